//! Tariffs as data (D8): one TOML file per city, parsed once at the boundary into a
//! [`Tariff`] that cannot be inconsistent. A bad file is refused with its name, line and
//! reason.

use super::money::Tenge;
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use toml::Spanned;

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
        let raw: RawTariff = toml::from_str(text).map_err(|e| TariffError {
            file: file.to_string(),
            line: e.span().map(|s| line_of(text, s.start)).unwrap_or(1),
            reason: e.message().trim().to_string(),
        })?;
        raw.validate(file, text)
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTariff {
    name: String,
    city: String,
    effective_from: Spanned<String>,
    time_zone: Spanned<String>,
    minimum_balance: Spanned<i64>,
    #[serde(default = "default_chain")]
    chain_break_seconds: Spanned<i64>,
    #[serde(default = "default_late")]
    late_after_hours: Spanned<i64>,
    #[serde(default)]
    card_fee: Option<Spanned<i64>>,
    season: Option<RawSeason>,
    trip: RawTrip,
    passes: BTreeMap<String, Spanned<RawPass>>,
    fines: RawFines,
    #[serde(default)]
    concession_categories: Option<Spanned<Vec<Spanned<String>>>>,
}

fn default_chain() -> Spanned<i64> {
    Spanned::new(0..0, 30)
}
fn default_late() -> Spanned<i64> {
    Spanned::new(0..0, 24)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeason {
    from: Spanned<String>,
    to: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrip {
    brackets: Spanned<Vec<Spanned<(i64, i64)>>>,
    tail_every_minutes: Spanned<i64>,
    tail_add: Spanned<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPass {
    label: String,
    price: Spanned<i64>,
    concession_price: Option<Spanned<i64>>,
    months: Option<u32>,
    hours: Option<u32>,
    #[serde(default)]
    until_season_end: bool,
    #[serde(default)]
    residents_only: bool,
    #[serde(default)]
    all_inclusive: bool,
    #[serde(default)]
    deposit: Option<Spanned<i64>>,
    #[serde(default)]
    overuse_per_day: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFines {
    late_per_day: Spanned<i64>,
    approval_threshold: Spanned<i64>,
    #[serde(default)]
    fixed: BTreeMap<String, Spanned<i64>>,
}

struct Checker<'a> {
    file: &'a str,
    text: &'a str,
}

impl Checker<'_> {
    fn err(&self, span: Range<usize>, reason: impl Into<String>) -> TariffError {
        TariffError {
            file: self.file.to_string(),
            line: line_of(self.text, span.start),
            reason: reason.into(),
        }
    }

    fn money(&self, v: &Spanned<i64>, what: &str) -> Result<Tenge, TariffError> {
        if *v.get_ref() < 0 {
            return Err(self.err(
                v.span(),
                format!(
                    "{what} is negative ({}); prices are whole tenge ≥ 0",
                    v.get_ref()
                ),
            ));
        }
        if Tenge(*v.get_ref()) > super::money::MAX_AMOUNT {
            return Err(self.err(
                v.span(),
                format!(
                    "{what} is {}, over the bound of {} for any amount (D30)",
                    Tenge(*v.get_ref()),
                    super::money::MAX_AMOUNT
                ),
            ));
        }
        Ok(Tenge(*v.get_ref()))
    }

    fn month_day(&self, v: &Spanned<String>) -> Result<Season, TariffError> {
        parse_season_bound(v).ok_or_else(|| {
            self.err(
                v.span(),
                format!("season date {:?} is not MM-DD or YYYY-MM-DD", v.get_ref()),
            )
        })
    }
}

/// Parse `MM-DD` (yearly) or `YYYY-MM-DD` (fixed) into a half-built season bound.
fn parse_season_bound(v: &Spanned<String>) -> Option<Season> {
    let s = v.get_ref();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(Season::Dates { from: d, to: d });
    }
    let (m, d) = s.split_once('-')?;
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    // 2024 is a leap year, so 02-29 is accepted.
    NaiveDate::from_ymd_opt(2024, m, d)?;
    Some(Season::Yearly {
        from: (m, d),
        to: (m, d),
    })
}

impl RawTariff {
    fn validate(self, file: &str, text: &str) -> Result<Tariff, TariffError> {
        let c = Checker { file, text };
        let effective_from = NaiveDate::parse_from_str(self.effective_from.get_ref(), "%Y-%m-%d")
            .map_err(|_| {
            c.err(
                self.effective_from.span(),
                format!(
                    "effective_from {:?} is not a date YYYY-MM-DD",
                    self.effective_from.get_ref()
                ),
            )
        })?;
        let time_zone: Tz = self.time_zone.get_ref().parse().map_err(|_| {
            c.err(
                self.time_zone.span(),
                format!("unknown time zone {:?}", self.time_zone.get_ref()),
            )
        })?;
        let minimum_balance = c.money(&self.minimum_balance, "minimum_balance")?;
        if *self.chain_break_seconds.get_ref() < 0 {
            return Err(c.err(
                self.chain_break_seconds.span(),
                "chain_break_seconds is negative",
            ));
        }
        if *self.late_after_hours.get_ref() <= 0 {
            return Err(c.err(
                self.late_after_hours.span(),
                "late_after_hours must be positive",
            ));
        }
        let card_fee = match &self.card_fee {
            Some(v) => c.money(v, "card_fee")?,
            None => Tenge::ZERO,
        };

        let season = match &self.season {
            None => Season::AllYear,
            Some(s) => match (c.month_day(&s.from)?, c.month_day(&s.to)?) {
                (Season::Yearly { from, .. }, Season::Yearly { to, .. }) => {
                    if to < from {
                        return Err(c.err(s.to.span(), "season ends before it starts"));
                    }
                    Season::Yearly { from, to }
                }
                (Season::Dates { from, .. }, Season::Dates { to, .. }) => {
                    if to < from {
                        return Err(c.err(s.to.span(), "season ends before it starts"));
                    }
                    Season::Dates { from, to }
                }
                _ => {
                    return Err(c.err(
                        s.to.span(),
                        "season from and to must both be MM-DD or both be YYYY-MM-DD",
                    ));
                }
            },
        };

        // Trip brackets: minutes strictly increasing, totals never decreasing (D2).
        let mut brackets = Vec::new();
        let mut last: Option<(i64, Tenge)> = None;
        for b in self.trip.brackets.get_ref() {
            let (minutes, price) = *b.get_ref();
            if minutes <= 0 {
                return Err(c.err(
                    b.span(),
                    format!("bracket up to {minutes} min: minutes must be positive"),
                ));
            }
            let price = c.money(&Spanned::new(b.span(), price), "bracket price")?;
            if let Some((lm, lp)) = last {
                if minutes <= lm {
                    return Err(c.err(
                        b.span(),
                        format!("brackets not increasing: {minutes} min comes after {lm} min"),
                    ));
                }
                if price < lp {
                    return Err(c.err(
                        b.span(),
                        format!("bracket up to {minutes} min costs {price}, less than the {lp} before it"),
                    ));
                }
            }
            last = Some((minutes, price));
            brackets.push((minutes, price));
        }
        if brackets.is_empty() {
            return Err(c.err(self.trip.brackets.span(), "trip.brackets is empty"));
        }
        if *self.trip.tail_every_minutes.get_ref() <= 0 {
            return Err(c.err(
                self.trip.tail_every_minutes.span(),
                "tail_every_minutes must be positive",
            ));
        }
        let trip = TripPrices {
            brackets,
            tail_every_minutes: *self.trip.tail_every_minutes.get_ref(),
            tail_add: c.money(&self.trip.tail_add, "tail_add")?,
        };

        let mut passes = Vec::new();
        for (id, sp) in &self.passes {
            let p = sp.get_ref();
            let period = match (p.months, p.hours, p.until_season_end) {
                (Some(m), None, false) if m > 0 => Period::Months(m),
                (None, Some(h), false) if h > 0 => Period::Hours(h),
                (None, None, true) => Period::Season,
                _ => {
                    return Err(c.err(
                        sp.span(),
                        format!("pass {id}: give exactly one of months, hours or until_season_end, positive"),
                    ));
                }
            };
            let price = c.money(&p.price, &format!("pass {id} price"))?;
            let concession_price = match &p.concession_price {
                Some(v) => Some(c.money(v, &format!("pass {id} concession_price"))?),
                None => None,
            };
            if let Some(cp) = concession_price
                && cp > price
            {
                return Err(c.err(
                    sp.span(),
                    format!("pass {id}: concession price {cp} is above the standard {price}"),
                ));
            }
            let deposit = match &p.deposit {
                Some(v) => c.money(v, &format!("pass {id} deposit"))?,
                None => Tenge::ZERO,
            };
            let overuse_per_day = match &p.overuse_per_day {
                Some(v) => c.money(v, &format!("pass {id} overuse_per_day"))?,
                None => Tenge::ZERO,
            };
            if !p.all_inclusive && overuse_per_day.is_positive() {
                return Err(c.err(
                    sp.span(),
                    format!("pass {id}: overuse_per_day only applies to all_inclusive passes"),
                ));
            }
            passes.push(PassDef {
                id: id.clone(),
                label: p.label.clone(),
                price,
                concession_price,
                period,
                residents_only: p.residents_only,
                all_inclusive: p.all_inclusive,
                deposit,
                overuse_per_day,
            });
        }
        if passes.is_empty() {
            return Err(c.err(0..0, "the tariff offers no pass"));
        }

        let mut fixed = BTreeMap::new();
        for (kind, v) in &self.fines.fixed {
            let k = FineKind::parse(kind).ok_or_else(|| {
                c.err(
                    v.span(),
                    format!(
                        "unknown fine kind {kind:?} (known: late, damage, accident, no-explanation, parts, access-sharing)"
                    ),
                )
            })?;
            fixed.insert(k, c.money(v, &format!("fine {kind}"))?);
        }
        let has_concession = passes.iter().any(|p| p.concession_price.is_some());
        let concession_categories = match &self.concession_categories {
            Some(list) => {
                let mut out = Vec::new();
                for v in list.get_ref() {
                    let k = Concession::parse(v.get_ref()).ok_or_else(|| {
                        c.err(
                            v.span(),
                            format!(
                                "unknown concession category {:?} (known: student, pensioner, disability3)",
                                v.get_ref()
                            ),
                        )
                    })?;
                    if !out.contains(&k) {
                        out.push(k);
                    }
                }
                out
            }
            None if has_concession => {
                return Err(c.err(
                    0..0,
                    "a pass has a concession_price, but concession_categories does not say who gets it (D23)",
                ));
            }
            None => Vec::new(),
        };
        let late_per_day = c.money(&self.fines.late_per_day, "fines.late_per_day")?;
        fixed.entry(FineKind::Late).or_insert(late_per_day);
        let fines = Fines {
            fixed,
            late_per_day,
            approval_threshold: c
                .money(&self.fines.approval_threshold, "fines.approval_threshold")?,
        };

        Ok(Tariff {
            name: self.name,
            city: self.city,
            effective_from,
            time_zone,
            minimum_balance,
            chain_break_seconds: *self.chain_break_seconds.get_ref(),
            late_after_hours: *self.late_after_hours.get_ref(),
            season,
            trip,
            passes,
            fines,
            card_fee,
            concession_categories,
        })
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
