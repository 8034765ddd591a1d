//! Reading a tariff file (D8): the TOML as written, with its spans, checked part by part
//! into a [`Tariff`] that cannot be inconsistent; each refusal names the file, the line and
//! what is wrong.

use super::{
    Concession, FineKind, Fines, PassDef, Period, Season, Tariff, TariffError, TripPrices,
};
use crate::domain::money::Tenge;
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// Parse and validate a tariff file. `file` names it in errors.
pub(super) fn parse(file: &str, text: &str) -> Result<Tariff, TariffError> {
    let raw: RawTariff = toml::from_str(text).map_err(|e| TariffError {
        file: file.to_string(),
        line: e.span().map(|s| line_of(text, s.start)).unwrap_or(1),
        reason: e.message().trim().to_string(),
    })?;
    raw.validate(file, text)
}

/// The line (from 1) of byte `offset` in `text`, for an error that points at it.
pub fn line_of(text: &str, offset: usize) -> usize {
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
        if Tenge(*v.get_ref()) > crate::domain::money::MAX_AMOUNT {
            return Err(self.err(
                v.span(),
                format!(
                    "{what} is {}, over the bound of {} for any amount (D30)",
                    Tenge(*v.get_ref()),
                    crate::domain::money::MAX_AMOUNT
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

        let season = season(&c, self.season.as_ref())?;
        let trip = trip(&c, &self.trip)?;
        let mut passes = Vec::new();
        for (id, sp) in &self.passes {
            passes.push(pass(&c, id, sp)?);
        }
        if passes.is_empty() {
            return Err(c.err(0..0, "the tariff offers no pass"));
        }
        let fixed = fixed_fines(&c, &self.fines.fixed)?;
        let has_concession = passes.iter().any(|p| p.concession_price.is_some());
        let concession_categories =
            concession_categories(&c, self.concession_categories.as_ref(), has_concession)?;
        let fines = fines(&c, &self.fines, fixed)?;

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

/// The season (MM-DD yearly, or YYYY-MM-DD dates), from before to after; all year without one.
fn season(c: &Checker<'_>, s: Option<&RawSeason>) -> Result<Season, TariffError> {
    Ok(match s {
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
    })
}

/// R3 in the D2 model: brackets with minutes strictly increasing and totals never
/// decreasing, and the tail past the last one.
fn trip(c: &Checker<'_>, raw: &RawTrip) -> Result<TripPrices, TariffError> {
    // Trip brackets: minutes strictly increasing, totals never decreasing (D2).
    let mut brackets = Vec::new();
    let mut last: Option<(i64, Tenge)> = None;
    for b in raw.brackets.get_ref() {
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
                    format!(
                        "bracket up to {minutes} min costs {price}, less than the {lp} before it"
                    ),
                ));
            }
        }
        last = Some((minutes, price));
        brackets.push((minutes, price));
    }
    if brackets.is_empty() {
        return Err(c.err(raw.brackets.span(), "trip.brackets is empty"));
    }
    if *raw.tail_every_minutes.get_ref() <= 0 {
        return Err(c.err(
            raw.tail_every_minutes.span(),
            "tail_every_minutes must be positive",
        ));
    }
    Ok(TripPrices {
        brackets,
        tail_every_minutes: *raw.tail_every_minutes.get_ref(),
        tail_add: c.money(&raw.tail_add, "tail_add")?,
    })
}

/// One pass (D6): exactly one period, a concession price not above the standard one (D23),
/// overuse only on an all-inclusive pass (R5).
fn pass(c: &Checker<'_>, id: &str, sp: &Spanned<RawPass>) -> Result<PassDef, TariffError> {
    let p = sp.get_ref();
    let period = match (p.months, p.hours, p.until_season_end) {
        (Some(m), None, false) if m > 0 => Period::Months(m),
        (None, Some(h), false) if h > 0 => Period::Hours(h),
        (None, None, true) => Period::Season,
        _ => {
            return Err(c.err(
                sp.span(),
                format!(
                    "pass {id}: give exactly one of months, hours or until_season_end, positive"
                ),
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
    Ok(PassDef {
        id: id.to_string(),
        label: p.label.clone(),
        price,
        concession_price,
        period,
        residents_only: p.residents_only,
        all_inclusive: p.all_inclusive,
        deposit,
        overuse_per_day,
    })
}

/// The fixed fines (A3 table 4), by kind.
fn fixed_fines(
    c: &Checker<'_>,
    raw: &BTreeMap<String, Spanned<i64>>,
) -> Result<BTreeMap<FineKind, Tenge>, TariffError> {
    let mut fixed = BTreeMap::new();
    for (kind, v) in raw {
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
    Ok(fixed)
}

/// D23: who gets a concession price; a tariff with one must say.
fn concession_categories(
    c: &Checker<'_>,
    raw: Option<&Spanned<Vec<Spanned<String>>>>,
    has_concession: bool,
) -> Result<Vec<Concession>, TariffError> {
    Ok(match raw {
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
    })
}

/// The fines schedule: the late fine per day is also the fixed late fine (R7, D4); the
/// approval threshold (D14).
fn fines(
    c: &Checker<'_>,
    raw: &RawFines,
    mut fixed: BTreeMap<FineKind, Tenge>,
) -> Result<Fines, TariffError> {
    let late_per_day = c.money(&raw.late_per_day, "fines.late_per_day")?;
    fixed.entry(FineKind::Late).or_insert(late_per_day);
    Ok(Fines {
        fixed,
        late_per_day,
        approval_threshold: c.money(&raw.approval_threshold, "fines.approval_threshold")?,
    })
}
