//! Who may rent and buy (R2, R8, R9, R16, D6, D15): pure checks over the facts the engine
//! gathers. The order of the rent checks is the one `docs/scenarios.md` gives.

use super::money::Tenge;
use super::refusal::Refusal;
use super::tariff::{Concession, PassDef, Period, Season, Tariff};
use super::time::{local_date, local_midnight, local_to_utc};
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};

/// D12, D17: who restricted a rider: the system at a posting (R18), or a supervisor by
/// hand. Money lifts only the system's restriction.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum RestrictionSource {
    System,
    Hand,
}

impl RestrictionSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RestrictionSource::System => "system",
            RestrictionSource::Hand => "hand",
        }
    }
    pub fn parse(s: &str) -> Option<RestrictionSource> {
        match s {
            "system" => Some(RestrictionSource::System),
            "hand" => Some(RestrictionSource::Hand),
            _ => None,
        }
    }
}

/// R8: nobody under this age rents.
pub const MINIMUM_AGE: u32 = 16;

/// Age in whole years on `day`.
pub fn age_on(born: NaiveDate, day: NaiveDate) -> u32 {
    let mut years = day.year() - born.year();
    if (day.month(), day.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

/// What the engine knows when a rider asks for a bike.
#[derive(Debug, Clone)]
pub struct RentFacts<'a> {
    pub rider_exists: bool,
    pub bike_exists: bool,
    /// Docked (or cable-locked) and working, not reserved by another unlock.
    pub bike_rentable: bool,
    pub pin_ok: bool,
    pub born: NaiveDate,
    pub restricted_or_blocked: bool,
    /// The rider's pass valid now, if any.
    pub pass: Option<&'a PassDef>,
    pub deposit_held: Tenge,
    pub available: Tenge,
    pub already_renting: bool,
}

/// R8, R9, R1, D15: may this rider rent now? The first failing reason, in the order of the
/// scenario format (`docs/scenarios.md`).
pub fn check_rent(
    tariff: &Tariff,
    facts: &RentFacts<'_>,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    let today = local_date(tariff.time_zone, now);
    if !facts.rider_exists || !facts.bike_exists {
        return Err(Refusal::NotFound);
    }
    if !facts.bike_rentable {
        return Err(Refusal::BikeUnavailable);
    }
    if !facts.pin_ok {
        return Err(Refusal::BadPin);
    }
    if age_on(facts.born, today) < MINIMUM_AGE {
        return Err(Refusal::UnderAge);
    }
    if facts.restricted_or_blocked {
        return Err(Refusal::Restricted);
    }
    if !tariff.season.contains(today) {
        return Err(Refusal::OutOfSeason);
    }
    let Some(pass) = facts.pass else {
        return Err(Refusal::NoPass);
    };
    if pass.deposit.is_positive() && facts.deposit_held < pass.deposit {
        return Err(Refusal::NoDeposit);
    }
    if facts.available < tariff.minimum_balance {
        return Err(Refusal::LowBalance);
    }
    if facts.already_renting {
        return Err(Refusal::AlreadyRenting);
    }
    Ok(())
}

/// What the engine knows when a rider buys a pass.
#[derive(Debug, Clone, Copy)]
pub struct BuyFacts {
    pub resident: bool,
    /// The rider's concession category, if any (D23: the tariff says whether it counts).
    pub concession: Option<Concession>,
    pub available: Tenge,
    pub deposit_held: Tenge,
    /// When the pass would begin: now, or when the last pass still valid ends.
    pub starts_at: DateTime<Utc>,
}

/// R2, R16, A3, D18, D22, D23: may the rider buy `pass` now, and at what price? The
/// refusals in the order of the rent checks: `out-of-season` (also a pass that would begin
/// at or after the season's end, D22), `not-resident`, `no-deposit` (a daily pass needs the
/// whole deposit held to be bought, D18), `low-balance`.
pub fn check_buy(
    tariff: &Tariff,
    pass: &PassDef,
    facts: BuyFacts,
    now: DateTime<Utc>,
) -> Result<Tenge, Refusal> {
    let today = local_date(tariff.time_zone, now);
    if !tariff.season.contains(today) {
        return Err(Refusal::OutOfSeason);
    }
    if season_end_after(tariff.season, tariff.time_zone, today)
        .is_some_and(|end| facts.starts_at >= end)
    {
        return Err(Refusal::OutOfSeason);
    }
    if pass.residents_only && !facts.resident {
        return Err(Refusal::NotResident);
    }
    if pass.deposit.is_positive() && facts.deposit_held < pass.deposit {
        return Err(Refusal::NoDeposit);
    }
    let price = tariff.price_for(pass, facts.concession);
    if facts.available < price {
        return Err(Refusal::LowBalance);
    }
    Ok(price)
}

/// D6: when a pass that starts at `start` ends by its own period: months from the start,
/// hours for daily passes; `None` for a seasonal pass, which runs to the season's end.
pub fn period_end(tariff: &Tariff, pass: &PassDef, start: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let tz = tariff.time_zone;
    let local = start.with_timezone(&tz).naive_local();
    match pass.period {
        Period::Hours(h) => Some(start + Duration::hours(i64::from(h))),
        Period::Months(m) => Some(local_to_utc(
            tz,
            local.checked_add_months(Months::new(m)).unwrap_or(local),
        )),
        Period::Season => None,
    }
}

/// D6, D21: when a pass that starts at `start` ends under the season in force: its own
/// period's end (`period_end`), at the latest the end of the season it starts in; a
/// seasonal pass runs to that end (12 months in a city whose season is the whole year).
/// Never before its start.
pub fn pass_end(
    tariff: &Tariff,
    start: DateTime<Utc>,
    period_end: Option<DateTime<Utc>>,
) -> DateTime<Utc> {
    let tz = tariff.time_zone;
    let local = start.with_timezone(&tz).naive_local();
    let season_end = season_end_after(tariff.season, tz, local.date());
    let end = match (period_end, season_end) {
        (Some(own), Some(limit)) => own.min(limit),
        (Some(own), None) => own,
        (None, Some(limit)) => limit,
        (None, None) => local_to_utc(
            tz,
            local.checked_add_months(Months::new(12)).unwrap_or(local),
        ),
    };
    end.max(start)
}

/// D6: the window of a pass that starts at `start`: months from the start, hours for
/// daily passes, to the season's end for seasonal; no pass outlives the season.
pub fn pass_window(
    tariff: &Tariff,
    pass: &PassDef,
    start: DateTime<Utc>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    (
        start,
        pass_end(tariff, start, period_end(tariff, pass, start)),
    )
}

/// The instant the season containing `day` ends (local midnight after its last day).
pub fn season_end_after(
    season: Season,
    tz: chrono_tz::Tz,
    day: NaiveDate,
) -> Option<DateTime<Utc>> {
    let last = season.last_day(day)?;
    Some(local_midnight(tz, last + Duration::days(1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tariff::load_named;
    use crate::domain::time::parse_local;

    fn astana() -> Tariff {
        load_named("astana").unwrap().unwrap()
    }

    fn facts(t: &Tariff) -> RentFacts<'_> {
        RentFacts {
            rider_exists: true,
            bike_exists: true,
            bike_rentable: true,
            pin_ok: true,
            born: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
            restricted_or_blocked: false,
            pass: t.pass("monthly"),
            deposit_held: Tenge(0),
            available: Tenge(1000),
            already_renting: false,
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        parse_local(chrono_tz::Asia::Almaty, s).unwrap()
    }

    #[test]
    fn r8_nobody_under_16_rents() {
        let t = astana();
        let mut f = facts(&t);
        f.born = NaiveDate::from_ymd_opt(2009, 6, 2).unwrap();
        assert_eq!(
            check_rent(&t, &f, at("2025-06-01 10:00")),
            Err(Refusal::UnderAge)
        );
        assert_eq!(check_rent(&t, &f, at("2025-06-02 10:00")), Ok(()));
    }

    #[test]
    fn d15_r1_balance_less_accrued_must_reach_the_minimum() {
        let t = astana();
        let mut f = facts(&t);
        f.available = Tenge(499);
        assert_eq!(
            check_rent(&t, &f, at("2025-06-01 10:00")),
            Err(Refusal::LowBalance)
        );
        f.available = Tenge(500);
        assert_eq!(check_rent(&t, &f, at("2025-06-01 10:00")), Ok(()));
    }

    #[test]
    fn r9_refusals_come_in_the_documented_order() {
        let t = astana();
        let mut f = facts(&t);
        f.already_renting = true;
        f.available = Tenge(0);
        f.pass = None;
        f.restricted_or_blocked = true;
        f.pin_ok = false;
        let now = at("2025-06-01 10:00");
        assert_eq!(check_rent(&t, &f, now), Err(Refusal::BadPin));
        f.pin_ok = true;
        assert_eq!(check_rent(&t, &f, now), Err(Refusal::Restricted));
        f.restricted_or_blocked = false;
        assert_eq!(check_rent(&t, &f, now), Err(Refusal::NoPass));
        f.pass = t.pass("day1");
        assert_eq!(check_rent(&t, &f, now), Err(Refusal::NoDeposit));
        f.deposit_held = Tenge(37_500);
        assert_eq!(check_rent(&t, &f, now), Err(Refusal::LowBalance));
        f.available = Tenge(500);
        assert_eq!(check_rent(&t, &f, now), Err(Refusal::AlreadyRenting));
        assert_eq!(
            check_rent(&t, &f, at("2025-11-01 10:00")),
            Err(Refusal::OutOfSeason)
        );
    }

    #[test]
    fn r2_monthly_type_passes_are_for_residents_only() {
        let t = astana();
        let now = at("2025-06-01 10:00");
        let f = BuyFacts {
            resident: false,
            concession: None,
            available: Tenge(50_000),
            deposit_held: Tenge(37_500),
            starts_at: now,
        };
        assert_eq!(
            check_buy(&t, t.pass("monthly").unwrap(), f, now),
            Err(Refusal::NotResident)
        );
        assert_eq!(
            check_buy(&t, t.pass("day3").unwrap(), f, now),
            Ok(Tenge(9000))
        );
    }

    #[test]
    fn a3_concession_halves_quarterly_and_seasonal_only() {
        let t = astana();
        let now = at("2025-06-01 10:00");
        let f = BuyFacts {
            resident: true,
            concession: Some(Concession::Disability3),
            available: Tenge(50_000),
            deposit_held: Tenge::ZERO,
            starts_at: now,
        };
        assert_eq!(
            check_buy(&t, t.pass("quarterly").unwrap(), f, now),
            Ok(Tenge(3000))
        );
        assert_eq!(
            check_buy(&t, t.pass("seasonal").unwrap(), f, now),
            Ok(Tenge(5000))
        );
        assert_eq!(
            check_buy(&t, t.pass("monthly").unwrap(), f, now),
            Ok(Tenge(2500))
        );
    }

    #[test]
    fn r16_a_pass_needs_its_price_available() {
        let t = astana();
        let now = at("2025-06-01 10:00");
        let f = BuyFacts {
            resident: true,
            concession: None,
            available: Tenge(2499),
            deposit_held: Tenge::ZERO,
            starts_at: now,
        };
        assert_eq!(
            check_buy(&t, t.pass("monthly").unwrap(), f, now),
            Err(Refusal::LowBalance)
        );
    }

    #[test]
    fn d23_almaty_gives_its_concession_to_students_and_pensioners_only() {
        let t = load_named("almaty").unwrap().unwrap();
        let now = at("2025-06-01 10:00");
        let yearly = t.pass("seasonal").unwrap();
        let price = |concession| {
            let f = BuyFacts {
                resident: true,
                concession,
                available: Tenge(50_000),
                deposit_held: Tenge::ZERO,
                starts_at: now,
            };
            check_buy(&t, yearly, f, now)
        };
        assert_eq!(price(Some(Concession::Student)), Ok(Tenge(5000)));
        assert_eq!(price(Some(Concession::Pensioner)), Ok(Tenge(5000)));
        assert_eq!(price(Some(Concession::Disability3)), Ok(Tenge(10_000)));
        assert_eq!(price(None), Ok(Tenge(10_000)));
    }

    #[test]
    fn d18_d22_a_daily_pass_needs_the_deposit_and_no_pass_begins_at_the_season_end() {
        let t = astana();
        let now = at("2025-06-01 10:00");
        let mut f = BuyFacts {
            resident: true,
            concession: None,
            available: Tenge(50_000),
            deposit_held: Tenge(37_499),
            starts_at: now,
        };
        let day1 = t.pass("day1").unwrap();
        assert_eq!(check_buy(&t, day1, f, now), Err(Refusal::NoDeposit));
        f.deposit_held = Tenge(37_500);
        assert_eq!(check_buy(&t, day1, f, now), Ok(Tenge(3500)));
        f.starts_at = at("2025-11-01 00:00");
        assert_eq!(check_buy(&t, day1, f, now), Err(Refusal::OutOfSeason));
        f.starts_at = at("2025-10-31 23:59");
        assert_eq!(check_buy(&t, day1, f, now), Ok(Tenge(3500)));
    }

    #[test]
    fn d21_a_pass_ends_at_its_own_period_or_the_season_in_force() {
        let mut t = astana();
        let start = at("2025-10-20 09:00");
        let monthly = t.pass("monthly").unwrap().clone();
        let own = period_end(&t, &monthly, start);
        assert_eq!(own, Some(at("2025-11-20 09:00")));
        assert_eq!(pass_end(&t, start, own), at("2025-11-01 00:00"));
        t.season = Season::Dates {
            from: NaiveDate::from_ymd_opt(2025, 4, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2025, 11, 30).unwrap(),
        };
        assert_eq!(pass_end(&t, start, own), at("2025-11-20 09:00"));
        assert_eq!(pass_end(&t, start, None), at("2025-12-01 00:00"));
        t.season = Season::Dates {
            from: NaiveDate::from_ymd_opt(2025, 4, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2025, 10, 10).unwrap(),
        };
        assert_eq!(pass_end(&t, start, own), start, "never before its start");
    }

    #[test]
    fn d6_pass_periods_and_no_pass_outlives_the_season() {
        let t = astana();
        let start = at("2025-06-15 10:00");
        assert_eq!(
            pass_window(&t, t.pass("monthly").unwrap(), start).1,
            at("2025-07-15 10:00")
        );
        assert_eq!(
            pass_window(&t, t.pass("quarterly").unwrap(), start).1,
            at("2025-09-15 10:00")
        );
        assert_eq!(
            pass_window(&t, t.pass("seasonal").unwrap(), start).1,
            at("2025-11-01 00:00")
        );
        assert_eq!(
            pass_window(&t, t.pass("day3").unwrap(), start).1,
            at("2025-06-18 10:00")
        );
        let late = at("2025-10-15 10:00");
        assert_eq!(
            pass_window(&t, t.pass("monthly").unwrap(), late).1,
            at("2025-11-01 00:00")
        );
        let very_late = at("2025-10-31 12:00");
        assert_eq!(
            pass_window(&t, t.pass("day7").unwrap(), very_late).1,
            at("2025-11-01 00:00")
        );
    }

    #[test]
    fn almaty_runs_all_year_and_its_yearly_pass_lasts_12_months() {
        let t = load_named("almaty").unwrap().unwrap();
        let start = at("2025-01-10 10:00");
        assert_eq!(
            pass_window(&t, t.pass("seasonal").unwrap(), start).1,
            at("2026-01-10 10:00")
        );
        assert!(
            t.season
                .contains(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap())
        );
    }
}
