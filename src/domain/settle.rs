//! Settling a return (R3–R7, R16–R17, D1–D4, D16, D19, D24, D26), pure: from the facts of a
//! rental that ends — its chain's times, the pass, the tariff, what the chain already
//! accrued and the deposit held — the quote and what it becomes on the account: the time
//! charge to accrue, the late fine to post, the share of overuse taken from the deposit and
//! the rest charged to the balance. The engine gathers the facts and writes the plan; the
//! one pricing of a chained trip ([`price_chain`]) serves returns, previews and the live
//! price alike.

use super::money::Tenge;
use super::pricing::{self, ItemKind, Quote, TripTime};
use super::tariff::{PassDef, Period, Tariff};
use super::time::next_local_midnight;
use chrono::{DateTime, Utc};

/// When a (possibly chained) trip ran, as the price rules count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainTimes {
    /// The start of the chain's first trip (D3): the time charge counts from here.
    pub chain_start: DateTime<Utc>,
    /// When this bike was taken (D24): the late fine counts from here.
    pub taken_at: DateTime<Utc>,
    /// The end of the pass's window: a daily pass's with the passes bought back to back
    /// after it (D19), else the pass's own end. Overuse counts from here (R5).
    pub window_end: DateTime<Utc>,
}

/// D2, D3, D24: the price of a chained trip that ends at `end`: the time charge from the
/// chain's first start, the late fine by the bike held, the overuse past the window.
pub fn price_chain(
    tariff: &Tariff,
    pass: &PassDef,
    times: ChainTimes,
    end: DateTime<Utc>,
) -> Quote {
    let time = TripTime {
        seconds: (end - times.chain_start).num_seconds(),
        held_seconds: (end - times.taken_at).num_seconds(),
        past_window_seconds: (end - times.window_end).num_seconds(),
    };
    pricing::quote(tariff, pass, time)
}

/// A single trip of `seconds` on `pass` bought at the trip's start (the `quote` command,
/// GBFS pricing): not chained, its window the pass's own hours.
pub fn price_single(tariff: &Tariff, pass: &PassDef, seconds: i64) -> Quote {
    let window = match pass.period {
        Period::Hours(h) => i64::from(h) * 3600,
        _ => i64::MAX / 4,
    };
    pricing::quote(tariff, pass, TripTime::single(seconds, seconds - window))
}

/// What the engine knows when a rental ends.
#[derive(Debug, Clone, Copy)]
pub struct ReturnFacts<'a> {
    pub tariff: &'a Tariff,
    /// The pass the rental was taken on.
    pub pass: &'a PassDef,
    pub times: ChainTimes,
    /// When the rental ends (now, or earlier for one ended by hand).
    pub end: DateTime<Utc>,
    /// The engine's time.
    pub now: DateTime<Utc>,
    /// What the chain's earlier legs already accrued as time charge (D3).
    pub accrued_for_chain: Tenge,
    /// The deposit held on the rider's card (R5); a negative one counts as none.
    pub deposit_held: Tenge,
}

/// The time charge a return accrues (R17).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TripAccrual {
    /// The chain's time charge less what its earlier legs accrued (D3); positive.
    pub amount: Tenge,
    /// The local midnight after the end (R17).
    pub due_at: DateTime<Utc>,
    /// D26: that midnight has passed already (a rental ended by hand in the past): it posts
    /// at once.
    pub post_now: bool,
}

/// What a return does to the account, for the engine to write in this order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnPlan {
    /// The itemised price, as the rider and the desk see it.
    pub quote: Quote,
    /// The time charge to accrue, if any is left to accrue.
    pub accrual: Option<TripAccrual>,
    /// The late fine of this bike (R7, D4, D24), posted at the return without approval
    /// (D16, D25); zero when there is none.
    pub late_fine: Tenge,
    /// Daily-pass overuse taken from the deposit (R5, D16).
    pub deposit_capture: Tenge,
    /// The overuse the deposit did not cover, charged to the balance now (R5, D16).
    pub remaining_charge: Tenge,
}

/// Settle a return: price the chain and split the price into what is accrued, fined,
/// captured and charged.
pub fn settle_return(f: &ReturnFacts<'_>) -> ReturnPlan {
    let quote = price_chain(f.tariff, f.pass, f.times, f.end);
    let charge = quote.amount_of(ItemKind::TripCharge) - f.accrued_for_chain;
    let accrual = charge.is_positive().then(|| {
        let due_at = next_local_midnight(f.tariff.time_zone, f.end);
        TripAccrual {
            amount: charge,
            due_at,
            post_now: due_at <= f.now,
        }
    });
    let late_fine = quote.amount_of(ItemKind::LateFine).max(Tenge::ZERO);
    let overuse = quote.amount_of(ItemKind::Overuse).max(Tenge::ZERO);
    let deposit_capture = overuse.min(f.deposit_held.max(Tenge::ZERO));
    ReturnPlan {
        accrual,
        late_fine,
        deposit_capture,
        remaining_charge: overuse - deposit_capture,
        quote,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tariff::load_named;
    use chrono::{Duration, TimeZone};

    fn astana() -> Tariff {
        load_named("astana").unwrap().unwrap()
    }

    /// 10:00 local in Astana (UTC+5) on 1 June 2025.
    fn ten() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 1, 5, 0, 0).unwrap()
    }

    fn single(start: DateTime<Utc>, window_end: DateTime<Utc>) -> ChainTimes {
        ChainTimes {
            chain_start: start,
            taken_at: start,
            window_end,
        }
    }

    fn facts<'a>(
        t: &'a Tariff,
        pass: &'a PassDef,
        times: ChainTimes,
        end: DateTime<Utc>,
    ) -> ReturnFacts<'a> {
        ReturnFacts {
            tariff: t,
            pass,
            times,
            end,
            now: end,
            accrued_for_chain: Tenge::ZERO,
            deposit_held: Tenge(37_500),
        }
    }

    #[test]
    fn r3_r17_a_45_minute_trip_accrues_100_due_at_the_next_local_midnight() {
        let t = astana();
        let p = t.pass("monthly").unwrap();
        let end = ten() + Duration::minutes(45);
        let plan = settle_return(&facts(
            &t,
            p,
            single(ten(), ten() + Duration::days(30)),
            end,
        ));
        assert_eq!(plan.quote.total, Tenge(100));
        let a = plan.accrual.expect("a time charge");
        assert_eq!(a.amount, Tenge(100));
        assert_eq!(
            a.due_at,
            Utc.with_ymd_and_hms(2025, 6, 1, 19, 0, 0).unwrap()
        );
        assert!(!a.post_now);
        assert_eq!(
            (plan.late_fine, plan.deposit_capture, plan.remaining_charge),
            (Tenge::ZERO, Tenge::ZERO, Tenge::ZERO)
        );
    }

    #[test]
    fn r4_a_free_half_hour_accrues_nothing() {
        let t = astana();
        let p = t.pass("monthly").unwrap();
        let plan = settle_return(&facts(
            &t,
            p,
            single(ten(), ten() + Duration::days(30)),
            ten() + Duration::minutes(30),
        ));
        assert_eq!(plan.accrual, None);
        assert_eq!(plan.quote.total, Tenge::ZERO);
    }

    #[test]
    fn d3_a_chain_accrues_only_what_its_earlier_legs_did_not() {
        let t = astana();
        let p = t.pass("monthly").unwrap();
        // 20 min + 25 min chained: 45 min from the first start costs 100; the first leg
        // accrued nothing, and a leg that had accrued 100 already leaves nothing.
        let times = ChainTimes {
            chain_start: ten(),
            taken_at: ten() + Duration::minutes(20),
            window_end: ten() + Duration::days(30),
        };
        let end = ten() + Duration::minutes(45);
        let plan = settle_return(&facts(&t, p, times, end));
        assert_eq!(plan.accrual.map(|a| a.amount), Some(Tenge(100)));
        let paid = ReturnFacts {
            accrued_for_chain: Tenge(100),
            ..facts(&t, p, times, end)
        };
        assert_eq!(settle_return(&paid).accrual, None);
    }

    #[test]
    fn d26_a_rental_ended_by_hand_before_a_past_midnight_posts_at_once() {
        let t = astana();
        let p = t.pass("monthly").unwrap();
        let end = ten() + Duration::minutes(45);
        let late_entry = ReturnFacts {
            now: end + Duration::days(1),
            ..facts(&t, p, single(ten(), ten() + Duration::days(30)), end)
        };
        assert!(settle_return(&late_entry).accrual.unwrap().post_now);
    }

    #[test]
    fn r7_d4_d16_a_bike_held_25_hours_is_fined_one_day_at_the_return() {
        let t = astana();
        let p = t.pass("monthly").unwrap();
        let plan = settle_return(&facts(
            &t,
            p,
            single(ten(), ten() + Duration::days(30)),
            ten() + Duration::hours(25),
        ));
        assert_eq!(plan.late_fine, Tenge(30_000));
        assert_eq!(plan.deposit_capture, Tenge::ZERO);
    }

    #[test]
    fn d24_the_late_fine_counts_the_bike_held_not_the_chain() {
        let t = astana();
        let p = t.pass("monthly").unwrap();
        let times = ChainTimes {
            chain_start: ten(),
            taken_at: ten() + Duration::hours(20),
            window_end: ten() + Duration::days(30),
        };
        let plan = settle_return(&facts(&t, p, times, ten() + Duration::hours(25)));
        assert_eq!(plan.late_fine, Tenge::ZERO);
        assert!(plan.accrual.is_some_and(|a| a.amount.is_positive()));
    }

    #[test]
    fn r5_d16_overuse_comes_from_the_deposit_first_and_the_rest_from_the_balance() {
        let t = astana();
        let p = t.pass("day1").unwrap();
        let window = ten() + Duration::hours(24);
        // Two started days past the window: 7,000; the deposit covers it.
        let end = window + Duration::hours(25);
        let plan = settle_return(&facts(&t, p, single(ten(), window), end));
        assert_eq!(plan.accrual, None, "R5: time costs nothing on a daily pass");
        assert_eq!(plan.late_fine, Tenge::ZERO, "D4: R5 replaces R7");
        assert_eq!(
            (plan.deposit_capture, plan.remaining_charge),
            (Tenge(7_000), Tenge::ZERO)
        );
        let thin = ReturnFacts {
            deposit_held: Tenge(5_000),
            ..facts(&t, p, single(ten(), window), end)
        };
        let plan = settle_return(&thin);
        assert_eq!(
            (plan.deposit_capture, plan.remaining_charge),
            (Tenge(5_000), Tenge(2_000))
        );
    }

    #[test]
    fn d19_inside_the_window_of_daily_passes_back_to_back_nothing_is_owed() {
        let t = astana();
        let p = t.pass("day1").unwrap();
        let plan = settle_return(&facts(
            &t,
            p,
            single(ten(), ten() + Duration::hours(48)),
            ten() + Duration::hours(30),
        ));
        assert_eq!(plan.quote.total, Tenge::ZERO);
        assert_eq!(
            (plan.deposit_capture, plan.remaining_charge),
            (Tenge::ZERO, Tenge::ZERO)
        );
    }

    #[test]
    fn a_single_trip_is_a_chain_of_one() {
        let t = astana();
        let p = t.pass("day1").unwrap();
        let seconds = 30 * 3600;
        assert_eq!(
            price_single(&t, p, seconds),
            price_chain(
                &t,
                p,
                single(ten(), ten() + Duration::hours(24)),
                ten() + Duration::seconds(seconds)
            )
        );
    }

    proptest::proptest! {
        #[test]
        fn r5_d16_capture_and_the_rest_make_the_overuse_and_nothing_is_negative(
            kept_hours in 0i64..24 * 20,
            deposit in -50_000i64..100_000,
            accrued in 0i64..30_000,
            daily in proptest::bool::ANY,
        ) {
            let t = astana();
            let p = t.pass(if daily { "day3" } else { "monthly" }).unwrap();
            let f = ReturnFacts {
                accrued_for_chain: Tenge(accrued),
                deposit_held: Tenge(deposit),
                ..facts(&t, p, single(ten(), ten() + Duration::hours(72)), ten() + Duration::hours(kept_hours))
            };
            let plan = settle_return(&f);
            let overuse = plan.quote.amount_of(ItemKind::Overuse);
            proptest::prop_assert_eq!(plan.deposit_capture + plan.remaining_charge, overuse);
            proptest::prop_assert!(plan.deposit_capture <= Tenge(deposit.max(0)));
            for m in [plan.late_fine, plan.deposit_capture, plan.remaining_charge] {
                proptest::prop_assert!(m >= Tenge::ZERO);
            }
            if let Some(a) = plan.accrual {
                proptest::prop_assert!(a.amount.is_positive());
                proptest::prop_assert_eq!(a.amount + f.accrued_for_chain, plan.quote.amount_of(ItemKind::TripCharge));
                proptest::prop_assert!(a.due_at > f.end);
            }
            // The rider never pays more than the quote at the return and its accrual.
            let owed = plan.accrual.map_or(Tenge::ZERO, |a| a.amount)
                + plan.late_fine + plan.deposit_capture + plan.remaining_charge;
            proptest::prop_assert!(owed <= plan.quote.total);
        }
    }
}
