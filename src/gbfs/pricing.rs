//! The tariff as GBFS `system_pricing_plans`: one plan per pass.
//!
//! A GBFS plan prices **one trip**: `price` is charged once per trip and `per_min_pricing`
//! segments add to it as the trip goes on. A segment charges its `rate` when the trip has
//! run past its `start` minute, then again every `interval` minutes (an `interval` of 0
//! charges it once). Read with started minutes (D1: 30:01 is 31 min), that expresses the
//! D2 bracket totals exactly: each bracket boundary is a one-off segment adding the
//! difference to the previous total, the tail is a repeating segment. The late fine (R7,
//! D4: per started day past 24 h) is a repeating segment too, on the passes it applies to.
//!
//! What a GBFS plan cannot say, and where it goes instead (the plan's `description`):
//! - the **pass fee** (2 500 ₸ a month): GBFS has no subscriptions, and a plan's `price` is
//!   per trip, so `price` is 0 (a pass holder pays nothing to unlock) and the fee, the
//!   period, the concession price (with the document it needs) and "residents only" (R2)
//!   are in the description;
//! - a **daily pass**'s window, deposit and overuse (R5): the window runs from the
//!   purchase, not from a trip's start, so no per-trip segment can express it — its plan
//!   has no segments (all-inclusive) and the description says the rest;
//! - **chained trips** (R4, D3): a break under 30 s prices two trips as one;
//! - the **minimum balance** (R1), the **card fee**, the **season** (in
//!   `system_information.opening_hours`) and fines other than lateness;
//! - the exact boundary: GBFS does not say whether a trip of exactly 30:00 has "passed"
//!   minute 30; velodesk does not charge it (D1).
//!
//! Money stays whole tenge: every amount is a JSON integer, never a float (D7).

use super::export::text;
use super::model::Version;
use crate::domain::Tenge;
use crate::domain::tariff::{PassDef, Period, Tariff};
use serde_json::{Value, json};

/// One `per_min_pricing` segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// The minute the trip must have run past.
    pub start: i64,
    pub rate: Tenge,
    /// Minutes between charges; 0 charges once.
    pub interval: i64,
}

/// The trip brackets and tail of the tariff as segments (R3, D1, D2).
pub fn trip_segments(t: &Tariff) -> Vec<Segment> {
    let mut out = Vec::new();
    let (mut prev_up, mut prev_total) = (0, Tenge::ZERO);
    for &(up_to, total) in &t.trip.brackets {
        if total != prev_total {
            out.push(Segment {
                start: prev_up,
                rate: total - prev_total,
                interval: 0,
            });
        }
        (prev_up, prev_total) = (up_to, total);
    }
    if t.trip.tail_add != Tenge::ZERO {
        out.push(Segment {
            start: prev_up,
            rate: t.trip.tail_add,
            interval: t.trip.tail_every_minutes,
        });
    }
    out
}

/// The late fine as a segment: per started day past `late_after_hours` (R7, D4).
pub fn late_segment(t: &Tariff) -> Segment {
    Segment {
        start: t.late_after_hours * 60,
        rate: t.fines.late_per_day,
        interval: 24 * 60,
    }
}

/// The segments of a pass: none inside an all-inclusive daily pass (R5); trip charges
/// and the late fine otherwise (D4).
pub fn segments(t: &Tariff, pass: &PassDef) -> Vec<Segment> {
    if pass.all_inclusive {
        return Vec::new();
    }
    let mut out = trip_segments(t);
    if t.fines.late_per_day != Tenge::ZERO {
        out.push(late_segment(t));
    }
    out
}

/// What the segments add up to for a trip of `minutes` started minutes.
pub fn evaluate(segments: &[Segment], minutes: i64) -> Tenge {
    segments
        .iter()
        .filter(|s| minutes > s.start)
        .map(|s| {
            let times = if s.interval == 0 {
                1
            } else {
                (minutes - s.start + s.interval - 1) / s.interval
            };
            s.rate.times(times)
        })
        .sum()
}

/// The plan a bike shows by default: the pass a quote uses (`monthly`, else `seasonal`).
pub fn default_plan(t: &Tariff) -> Option<&str> {
    t.pass("monthly")
        .or_else(|| t.pass("seasonal"))
        .or_else(|| t.passes.first())
        .map(|p| p.id.as_str())
}

/// `system_pricing_plans.data.plans` for the tariff.
pub fn plans(t: &Tariff, v: Version) -> Vec<Value> {
    t.passes
        .iter()
        .map(|pass| {
            let segs: Vec<Value> = segments(t, pass)
                .iter()
                .map(|s| json!({ "start": s.start, "rate": s.rate.get(), "interval": s.interval }))
                .collect();
            let description = describe(t, pass);
            let mut plan = json!({
                "plan_id": pass.id,
                "name": text(v, &[("en", pass.label.as_str())]),
                "currency": "KZT",
                "price": 0,
                // Prices in Kazakhstan are quoted with tax included.
                "is_taxable": false,
                "description": text(v, &[("en", description.as_str())]),
            });
            if !segs.is_empty() {
                plan["per_min_pricing"] = Value::Array(segs);
            }
            plan
        })
        .collect()
}

fn period(p: Period) -> String {
    match p {
        Period::Months(1) => "1 month".into(),
        Period::Months(n) => format!("{n} months"),
        Period::Hours(h) => format!("{h} hours"),
        Period::Season => "the rest of the season".into(),
    }
}

/// The plan in words, with everything GBFS cannot express.
pub fn describe(t: &Tariff, pass: &PassDef) -> String {
    let mut parts = vec![format!(
        "{} pass: {} for {} from purchase",
        pass.label,
        pass.price,
        period(pass.period)
    )];
    if let Some(c) = pass.concession_price {
        parts.push(format!(
            "{c} for students, pensioners and disability group 3 with their document"
        ));
    }
    if pass.residents_only {
        parts.push("residents of Kazakhstan only".into());
    }
    if pass.all_inclusive {
        parts.push("all trips inside the window included".into());
        if pass.deposit != Tenge::ZERO {
            parts.push(format!("deposit {} held", pass.deposit));
        }
        if pass.overuse_per_day != Tenge::ZERO {
            parts.push(format!(
                "{} per started day a bike is kept past the window, from the deposit",
                pass.overuse_per_day
            ));
        }
    } else {
        parts.push(trip_words(t));
        if t.fines.late_per_day != Tenge::ZERO {
            parts.push(format!(
                "a bike kept over {} h: {} fine per started day",
                t.late_after_hours, t.fines.late_per_day
            ));
        }
        parts.push(format!(
            "trips with breaks under {} s count as one",
            t.chain_break_seconds
        ));
    }
    if t.minimum_balance != Tenge::ZERO {
        parts.push(format!("{} must stay on the account", t.minimum_balance));
    }
    format!("{}.", parts.join("; "))
}

/// `trips up to 30 min included, up to 60 min 100 ₸, …, then +1 000 ₸ per started 60 min`.
fn trip_words(t: &Tariff) -> String {
    let mut words = Vec::new();
    for &(up_to, total) in &t.trip.brackets {
        if total == Tenge::ZERO {
            words.push(format!("trips up to {up_to} min included"));
        } else {
            words.push(format!("up to {up_to} min {total}"));
        }
    }
    words.push(format!(
        "then +{} per started {} min",
        t.trip.tail_add, t.trip.tail_every_minutes
    ));
    words.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pricing::started_minutes;
    use crate::domain::tariff::load_named;
    use crate::engine::quote_trip;

    /// R3, D1, D2, D4: what a GBFS reader computes from the plan of each non-daily pass is
    /// what velodesk charges, for every duration up to three days.
    #[test]
    fn r3_d2_d4_segments_add_up_to_the_quote() {
        for city in ["astana", "almaty"] {
            let Some(Ok(t)) = load_named(city) else {
                panic!("{city} loads");
            };
            for pass in t.passes.iter().filter(|p| !p.all_inclusive) {
                let segs = segments(&t, pass);
                for seconds in (0..3 * 86_400 + 120).step_by(30) {
                    let quote = quote_trip(&t, pass, seconds);
                    assert_eq!(
                        evaluate(&segs, started_minutes(seconds)),
                        quote.total,
                        "{city} {} at {seconds} s",
                        pass.id
                    );
                }
            }
        }
    }

    #[test]
    fn d2_brackets_become_one_off_steps_and_a_tail() {
        let Some(Ok(t)) = load_named("astana") else {
            panic!("astana loads");
        };
        let segs = trip_segments(&t);
        assert_eq!(
            segs.first(),
            Some(&Segment {
                start: 30,
                rate: Tenge(100),
                interval: 0
            })
        );
        assert_eq!(
            segs.last(),
            Some(&Segment {
                start: 240,
                rate: Tenge(1000),
                interval: 60
            })
        );
    }

    #[test]
    fn r5_daily_passes_have_no_per_minute_charges_and_say_why() {
        let Some(Ok(t)) = load_named("astana") else {
            panic!("astana loads");
        };
        let day1 = t.pass("day1").unwrap();
        assert!(segments(&t, day1).is_empty());
        let words = describe(&t, day1);
        assert!(words.contains("deposit 37 500 ₸"), "{words}");
        assert!(words.contains("3 500 ₸ per started day"), "{words}");
    }
}
