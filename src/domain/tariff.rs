//! Tariffs as data (D8): one TOML file per city, parsed once at the boundary into a
//! [`Tariff`] that cannot be inconsistent. A bad file is refused with its name, line and
//! reason.

mod validate;

pub use validate::line_of;

use super::money::Tenge;
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::fmt;

/// Why a tariff file was refused: which file, which line, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct TariffError {
    pub file: String,
    pub line: usize,
    pub reason: String,
}

/// How long a pass lasts once it starts (D6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Calendar months from purchase (monthly = 1, quarterly = 3).
    Months(u32),
    /// Hours from purchase (the daily passes: 24, 72, 168).
    Hours(u32),
    /// Until the end of the rental season (seasonal).
    Season,
}

/// A pass offered by the tariff (A3 tables 1 and 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassDef {
    /// The scenario name: `monthly`, `quarterly`, `seasonal`, `day1`, `day3`, `day7`.
    pub id: String,
    pub label: String,
    pub price: Tenge,
    /// Price for riders with a concession; `None` when the pass has no concession (A3 *).
    pub concession_price: Option<Tenge>,
    pub period: Period,
    /// Only residents of Kazakhstan may buy it (R2).
    pub residents_only: bool,
    /// All-inclusive daily pass: no time charges inside the window (R5).
    pub all_inclusive: bool,
    /// Deposit that must be held to ride on this pass (R5), zero when none.
    pub deposit: Tenge,
    /// Charged per started day a bike is kept past the window (R5), taken from the deposit.
    pub overuse_per_day: Tenge,
}

impl PassDef {
    /// The price a rider pays: the concession price when the rider has one and the pass
    /// offers one (A3 table 1 note *).
    pub fn price_for(&self, has_concession: bool) -> Tenge {
        match (has_concession, self.concession_price) {
            (true, Some(p)) => p,
            _ => self.price,
        }
    }
}

/// The rental season (C 1): renting and passes only inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Season {
    /// Almaty runs all year (article).
    AllYear,
    /// The same month-days each year, inclusive (Astana: opening to 31 October).
    Yearly { from: (u32, u32), to: (u32, u32) },
    /// Fixed dates, inclusive (an operator's override).
    Dates { from: NaiveDate, to: NaiveDate },
}

impl Season {
    /// Whether `day` (a local date) is inside the season.
    pub fn contains(&self, day: NaiveDate) -> bool {
        use chrono::Datelike;
        match *self {
            Season::AllYear => true,
            Season::Yearly { from, to } => {
                let md = (day.month(), day.day());
                md >= from && md <= to
            }
            Season::Dates { from, to } => day >= from && day <= to,
        }
    }

    /// The last day of the season that contains `day`, `None` for an all-year season.
    pub fn last_day(&self, day: NaiveDate) -> Option<NaiveDate> {
        use chrono::Datelike;
        match *self {
            Season::AllYear => None,
            Season::Yearly { to, .. } => NaiveDate::from_ymd_opt(day.year(), to.0, to.1),
            Season::Dates { to, .. } => Some(to),
        }
    }
}

pub use super::fine::FineKind;

/// The fines schedule (A3 table 4) and the approval rule (D14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fines {
    /// Fixed amounts; a kind missing here needs an amount from staff.
    pub fixed: BTreeMap<FineKind, Tenge>,
    /// Late return, per late day (R7, D4).
    pub late_per_day: Tenge,
    /// Fines above this need a supervisor's approval before they post (D14).
    pub approval_threshold: Tenge,
}

/// Trip time charges (R3) in the D2 model: bracket totals plus a tail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TripPrices {
    /// `(up_to_minutes, total_price)`, strictly increasing in minutes.
    pub brackets: Vec<(i64, Tenge)>,
    /// Past the last bracket: every started `every_minutes` adds `add`.
    pub tail_every_minutes: i64,
    pub tail_add: Tenge,
}

/// One city's tariff, valid for trips starting on or after `effective_from` (D8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tariff {
    pub name: String,
    pub city: String,
    pub effective_from: NaiveDate,
    pub time_zone: Tz,
    pub minimum_balance: Tenge,
    /// A break shorter than this chains two trips into one (R4, D3).
    pub chain_break_seconds: i64,
    /// A rental longer than this is overdue and late (R15, D4).
    pub late_after_hours: i64,
    pub season: Season,
    pub trip: TripPrices,
    pub passes: Vec<PassDef>,
    pub fines: Fines,
    /// One-off card fee (Almaty: 1,000), zero when none.
    pub card_fee: Tenge,
    /// D23: the concession categories its concession prices are for.
    pub concession_categories: Vec<Concession>,
}

/// A concession category a rider may prove with a document (C 3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Concession {
    Student,
    Pensioner,
    Disability3,
}

impl Concession {
    pub const ALL: [Concession; 3] = [
        Concession::Student,
        Concession::Pensioner,
        Concession::Disability3,
    ];

    /// The word used in files, scenarios and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Concession::Student => "student",
            Concession::Pensioner => "pensioner",
            Concession::Disability3 => "disability3",
        }
    }

    pub fn parse(s: &str) -> Option<Concession> {
        Concession::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for Concession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Tariff {
    /// D23, A3: what a rider of `concession` (their category, if any) pays for `pass`: the
    /// concession price only when the pass has one and the tariff gives it to that category.
    pub fn price_for(&self, pass: &PassDef, concession: Option<Concession>) -> Tenge {
        let eligible = concession.is_some_and(|c| self.concession_categories.contains(&c));
        pass.price_for(eligible)
    }

    pub fn pass(&self, id: &str) -> Option<&PassDef> {
        self.passes.iter().find(|p| p.id == id)
    }

    /// The fixed amount of a fine kind, when the tariff has one.
    pub fn fixed_fine(&self, kind: FineKind) -> Option<Tenge> {
        self.fines.fixed.get(&kind).copied()
    }

    /// D8: of tariffs sorted by `effective_from`, the one in force for something starting
    /// at `at` (the first when none has started yet); `None` only when there are none.
    pub fn in_force(sorted: &[Tariff], at: chrono::DateTime<chrono::Utc>) -> Option<&Tariff> {
        let first = sorted.first()?;
        let day = super::time::local_date(first.time_zone, at);
        sorted
            .iter()
            .rev()
            .find(|t| t.effective_from <= day)
            .or(Some(first))
    }

    /// Parse and validate a tariff file. `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Tariff, TariffError> {
        validate::parse(file, text)
    }
}

/// The tariffs bundled with velodesk, by city name.
pub fn bundled(name: &str) -> Option<&'static str> {
    match name {
        "astana" => Some(include_str!("../../assets/tariffs/astana.toml")),
        "almaty" => Some(include_str!("../../assets/tariffs/almaty.toml")),
        _ => None,
    }
}

/// Load a bundled tariff by name (`astana`, `almaty`) or a TOML file by path.
/// Reading the file is the caller's IO: this takes its text.
pub fn load_named(name: &str) -> Option<Result<Tariff, TariffError>> {
    bundled(name).map(|text| Tariff::parse(&format!("assets/tariffs/{name}.toml"), text))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ASTANA: &str = include_str!("../../assets/tariffs/astana.toml");

    #[test]
    fn d23_each_tariff_says_who_gets_its_concession_price() {
        let astana = Tariff::parse("astana.toml", ASTANA).unwrap();
        assert_eq!(
            astana.concession_categories,
            vec![
                Concession::Student,
                Concession::Pensioner,
                Concession::Disability3
            ]
        );
        let almaty = load_named("almaty").unwrap().unwrap();
        assert_eq!(
            almaty.concession_categories,
            vec![Concession::Student, Concession::Pensioner]
        );
        let yearly = almaty.pass("seasonal").unwrap();
        assert_eq!(
            almaty.price_for(yearly, Some(Concession::Disability3)),
            Tenge(10_000)
        );
        assert_eq!(
            almaty.price_for(yearly, Some(Concession::Student)),
            Tenge(5000)
        );
    }

    #[test]
    fn d23_an_unknown_category_is_refused_with_its_line() {
        let text = ASTANA.replace(
            r#"concession_categories = ["student", "pensioner", "disability3"]"#,
            r#"concession_categories = ["student", "veteran"]"#,
        );
        assert_ne!(text, ASTANA);
        let e = Tariff::parse("astana.toml", &text).unwrap_err();
        let line = ASTANA
            .lines()
            .position(|l| l.starts_with("concession_categories"))
            .unwrap()
            + 1;
        assert_eq!(e.line, line, "{e}");
        assert!(e.reason.contains("\"veteran\""), "{e}");
        assert!(e.to_string().starts_with(&format!("astana.toml:{line}:")));
    }

    #[test]
    fn d23_a_concession_price_needs_its_categories() {
        let text = ASTANA.replace(
            r#"concession_categories = ["student", "pensioner", "disability3"]"#,
            "",
        );
        let e = Tariff::parse("astana.toml", &text).unwrap_err();
        assert!(e.reason.contains("concession_categories"), "{e}");
    }

    #[test]
    fn d30_a_tariff_amount_over_the_bound_is_refused_with_its_line() {
        let text = ASTANA.replace("price = 17500", "price = 17500000");
        let e = Tariff::parse("astana.toml", &text).unwrap_err();
        assert!(e.reason.contains("D30"), "{e}");
        assert!(e.reason.contains("pass day7 price"), "{e}");
    }
}
