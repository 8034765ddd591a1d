//! Pricing (R3–R5, R7, D1–D4): a trip's price, chained trips, the late fine and daily-pass
//! overuse, each as an itemised breakdown.

use super::money::Tenge;
use super::tariff::{PassDef, Tariff};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// D1: a trip's duration counts started minutes: 30:00 is 30, 30:01 is 31.
pub fn started_minutes(seconds: i64) -> i64 {
    if seconds <= 0 { 0 } else { (seconds + 59) / 60 }
}

/// R3 in the D2 model: the total for a trip of `minutes` started minutes.
pub fn trip_charge(tariff: &Tariff, minutes: i64) -> Tenge {
    let t = &tariff.trip;
    if let Some(&(_, price)) = t.brackets.iter().find(|(up_to, _)| minutes <= *up_to) {
        return price;
    }
    let (last_minutes, last_price) = *t.brackets.last().unwrap_or(&(0, Tenge::ZERO));
    let beyond = minutes - last_minutes;
    let steps = (beyond + t.tail_every_minutes - 1) / t.tail_every_minutes;
    last_price + t.tail_add.times(steps)
}

/// D4: days late for a rental of `seconds`: `ceil((duration − 24 h) / 24 h)`, 0 up to 24 h.
pub fn late_days(tariff: &Tariff, seconds: i64) -> i64 {
    let limit = tariff.late_after_hours * 3600;
    if seconds <= limit {
        0
    } else {
        (seconds - limit + 86_399) / 86_400
    }
}

/// R5: started days a bike was kept past a daily pass's window.
pub fn overuse_days(seconds_past_window: i64) -> i64 {
    if seconds_past_window <= 0 {
        0
    } else {
        (seconds_past_window + 86_399) / 86_400
    }
}

/// What an item of a breakdown is, so the engine knows where it goes in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    /// Time charge, accrued and posted at the next local midnight (R17).
    TripCharge,
    /// Late fine, posted at the return (R7, D4, D16).
    LateFine,
    /// Daily-pass overuse, taken from the deposit at the return (R5, D16).
    Overuse,
}

/// One line of a price breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PriceItem {
    pub kind: ItemKind,
    /// The line in English words (the API's, the audit's); a console words [`Self::detail`].
    pub label: String,
    pub amount: Tenge,
    /// The rules that make this line (`R3, D2`).
    pub rules: Cow<'static, str>,
    /// What the line counts, as data, for a console to word in its language (absent from
    /// answers of an older server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<ItemDetail>,
}

/// What one line of a quote counts: the facts behind its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "what", rename_all = "kebab-case")]
pub enum ItemDetail {
    /// A trip within the first bracket, included (R3, R4).
    Included { minutes: i64, up_to: i64 },
    /// A trip within a later bracket (R3, D2).
    Bracket { minutes: i64, from: i64, up_to: i64 },
    /// A trip past the last bracket: `add` per started `every` minutes (R3, D2).
    Tail {
        minutes: i64,
        past: i64,
        add: Tenge,
        every: i64,
    },
    /// A trip on an all-inclusive pass (R5): `pass` is the pass's id.
    AllInclusive { minutes: i64, pass: String },
    /// Days kept past a daily pass's window × the pass's price a day (R5, D4).
    Overuse { days: i64, per_day: Tenge },
    /// Days late past `after_hours` × the late fine a day (R7, D4).
    LateFine {
        days: i64,
        after_hours: i64,
        per_day: Tenge,
    },
}

/// An itemised price for one (possibly chained) trip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Quote {
    pub seconds: i64,
    pub minutes: i64,
    pub pass: String,
    pub items: Vec<PriceItem>,
    pub total: Tenge,
}

impl Quote {
    pub fn amount_of(&self, kind: ItemKind) -> Tenge {
        self.items
            .iter()
            .filter(|i| i.kind == kind)
            .map(|i| i.amount)
            .sum()
    }
}

/// How long a trip ran, as each price rule counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TripTime {
    /// From the start of the chain (D3) to the end: what the time charge counts.
    pub seconds: i64,
    /// How long this bike was kept (D24): what the late fine counts.
    pub held_seconds: i64,
    /// How far the end is past the window of a daily pass (R5, D19).
    pub past_window_seconds: i64,
}

impl TripTime {
    /// A single trip, not chained: the bike was kept as long as the trip ran.
    pub fn single(seconds: i64, past_window_seconds: i64) -> TripTime {
        TripTime {
            seconds,
            held_seconds: seconds,
            past_window_seconds,
        }
    }
}

/// Price a trip ridden on `pass`: the time charge for `time.seconds` (R3, D1–D3), and past
/// 24 h of holding the bike the late fine (R7, D4, D24); on an all-inclusive pass no time
/// charge, only the overuse past its window (R5, D19).
pub fn quote(tariff: &Tariff, pass: &PassDef, time: TripTime) -> Quote {
    let seconds = time.seconds;
    let seconds_past_window = time.past_window_seconds;
    let minutes = started_minutes(seconds);
    let mut items = Vec::new();
    if pass.all_inclusive {
        items.push(PriceItem {
            kind: ItemKind::TripCharge,
            label: format!("{minutes} min on the all-inclusive {} pass", pass.label),
            amount: Tenge::ZERO,
            rules: Cow::Borrowed("R5"),
            detail: Some(ItemDetail::AllInclusive {
                minutes,
                pass: pass.id.clone(),
            }),
        });
        let days = overuse_days(seconds_past_window);
        if days > 0 {
            items.push(PriceItem {
                kind: ItemKind::Overuse,
                label: format!(
                    "kept {days} day(s) past the pass window × {}",
                    pass.overuse_per_day
                ),
                amount: pass.overuse_per_day.times(days),
                rules: Cow::Borrowed("R5, D4"),
                detail: Some(ItemDetail::Overuse {
                    days,
                    per_day: pass.overuse_per_day,
                }),
            });
        }
    } else {
        let charge = trip_charge(tariff, minutes);
        let detail = bracket(tariff, minutes);
        items.push(PriceItem {
            kind: ItemKind::TripCharge,
            label: bracket_label(&detail),
            amount: charge,
            rules: Cow::Borrowed("R3, D1, D2"),
            detail: Some(detail),
        });
        let days = late_days(tariff, time.held_seconds);
        if days > 0 {
            items.push(PriceItem {
                kind: ItemKind::LateFine,
                label: format!(
                    "late return: {days} day(s) past {} h × {}",
                    tariff.late_after_hours, tariff.fines.late_per_day
                ),
                amount: tariff.fines.late_per_day.times(days),
                rules: Cow::Borrowed("R7, R15, D4"),
                detail: Some(ItemDetail::LateFine {
                    days,
                    after_hours: tariff.late_after_hours,
                    per_day: tariff.fines.late_per_day,
                }),
            });
        }
    }
    let total = items.iter().map(|i| i.amount).sum();
    Quote {
        seconds,
        minutes,
        pass: pass.id.clone(),
        items,
        total,
    }
}

/// Which bracket of the tariff a trip of `minutes` falls in (R3, D2).
fn bracket(tariff: &Tariff, minutes: i64) -> ItemDetail {
    let mut from = 0;
    for &(up_to, _) in &tariff.trip.brackets {
        if minutes <= up_to {
            return if from == 0 {
                ItemDetail::Included { minutes, up_to }
            } else {
                ItemDetail::Bracket {
                    minutes,
                    from: from + 1,
                    up_to,
                }
            };
        }
        from = up_to;
    }
    ItemDetail::Tail {
        minutes,
        past: from,
        add: tariff.trip.tail_add,
        every: tariff.trip.tail_every_minutes,
    }
}

fn bracket_label(d: &ItemDetail) -> String {
    match d {
        ItemDetail::Included { minutes, up_to } => {
            format!("{minutes} min trip (up to {up_to} min, included)")
        }
        ItemDetail::Bracket {
            minutes,
            from,
            up_to,
        } => format!("{minutes} min trip ({from}–{up_to} min bracket)"),
        ItemDetail::Tail {
            minutes,
            past,
            add,
            every,
        } => format!("{minutes} min trip (past {past} min: +{add} per started {every} min)"),
        _ => String::new(),
    }
}

/// D3: whether a trip that starts `break_seconds` after the previous one ended chains
/// onto it (R4: the 30 free minutes need a break of at least 30 s).
pub fn chains(tariff: &Tariff, break_seconds: i64) -> bool {
    break_seconds < tariff.chain_break_seconds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tariff::load_named;

    fn astana() -> Tariff {
        load_named("astana").unwrap().unwrap()
    }
    fn monthly(t: &Tariff) -> PassDef {
        t.pass("monthly").unwrap().clone()
    }

    #[test]
    fn d1_started_minutes_boundaries() {
        assert_eq!(started_minutes(30 * 60), 30);
        assert_eq!(started_minutes(30 * 60 + 1), 31);
        assert_eq!(started_minutes(1), 1);
        assert_eq!(started_minutes(0), 0);
    }

    #[test]
    fn r3_d2_bracket_totals_at_every_boundary() {
        let t = astana();
        let cases = [
            (0, 0),
            (30, 0),
            (31, 100),
            (45, 100),
            (60, 100),
            (61, 250),
            (100, 250),
            (120, 250),
            (121, 500),
            (150, 500),
            (180, 500),
            (181, 1000),
            (240, 1000),
            (241, 2000),
            (300, 2000),
            (301, 3000),
        ];
        for (min, price) in cases {
            assert_eq!(trip_charge(&t, min), Tenge(price), "{min} min");
        }
    }

    #[test]
    fn d1_r3_thirty_minutes_is_free_thirty_and_one_second_is_not() {
        let t = astana();
        let p = monthly(&t);
        assert_eq!(quote(&t, &p, TripTime::single(30 * 60, 0)).total, Tenge(0));
        assert_eq!(
            quote(&t, &p, TripTime::single(30 * 60 + 1, 0)).total,
            Tenge(100)
        );
    }

    #[test]
    fn d2_the_additive_reading_is_expressible_by_configuration_alone() {
        let text = include_str!("../../assets/tariffs/astana.toml").replace(
            "brackets = [[30, 0], [60, 100], [120, 250], [180, 500], [240, 1000]]",
            "brackets = [[30, 0], [60, 100], [120, 350], [180, 850], [240, 1850]]",
        );
        let t = Tariff::parse("additive.toml", &text).unwrap();
        assert_eq!(trip_charge(&t, 100), Tenge(350));
        assert_eq!(trip_charge(&t, 45), Tenge(100));
    }

    #[test]
    fn d4_r7_late_days_start_after_24_hours() {
        let t = astana();
        let p = monthly(&t);
        let day = 24 * 3600;
        assert_eq!(late_days(&t, day), 0);
        assert_eq!(late_days(&t, day + 1), 1);
        assert_eq!(late_days(&t, 2 * day), 1);
        assert_eq!(late_days(&t, 2 * day + 1), 2);
        let q = quote(&t, &p, TripTime::single(day, 0));
        assert_eq!(q.amount_of(ItemKind::LateFine), Tenge(0));
        let q = quote(&t, &p, TripTime::single(day + 1, 0));
        assert_eq!(q.amount_of(ItemKind::LateFine), Tenge(30_000));
        // the trip's real price is added: 1441 min = 240 + 1201 → 21 started hours.
        assert_eq!(q.amount_of(ItemKind::TripCharge), Tenge(1000 + 21 * 1000));
        assert_eq!(q.total, Tenge(30_000 + 22_000));
    }

    #[test]
    fn r5_daily_passes_are_all_inclusive_and_charge_overuse_per_started_day() {
        let t = astana();
        let p = t.pass("day1").unwrap();
        let q = quote(&t, p, TripTime::single(20 * 3600, 0));
        assert_eq!(q.total, Tenge(0));
        let q = quote(&t, p, TripTime::single(25 * 3600, 1));
        assert_eq!(q.amount_of(ItemKind::Overuse), Tenge(3500));
        assert_eq!(
            q.amount_of(ItemKind::LateFine),
            Tenge(0),
            "D4: R5 replaces R7"
        );
        let q = quote(&t, p, TripTime::single(50 * 3600, 24 * 3600 + 1));
        assert_eq!(q.amount_of(ItemKind::Overuse), Tenge(7000));
    }

    #[test]
    fn d24_a_chain_is_priced_as_one_trip_but_late_only_by_the_bike_held() {
        let t = astana();
        let p = monthly(&t);
        let chained = TripTime {
            seconds: 24 * 3600 + 610,
            held_seconds: 20 * 60,
            past_window_seconds: 0,
        };
        let q = quote(&t, &p, chained);
        assert_eq!(q.amount_of(ItemKind::LateFine), Tenge(0));
        assert_eq!(q.amount_of(ItemKind::TripCharge), Tenge(22_000));
        let held = TripTime {
            held_seconds: 24 * 3600 + 1,
            ..chained
        };
        assert_eq!(
            quote(&t, &p, held).amount_of(ItemKind::LateFine),
            Tenge(30_000)
        );
    }

    #[test]
    fn r4_d3_a_break_of_29_seconds_chains_30_does_not() {
        let t = astana();
        assert!(chains(&t, 29));
        assert!(!chains(&t, 30));
    }

    proptest::proptest! {
        #[test]
        fn a_price_never_drops_as_a_trip_gets_longer_and_is_never_negative(
            a in 0i64..10 * 86_400, extra in 0i64..86_400
        ) {
            let t = astana();
            let p = monthly(&t);
            let short = quote(&t, &p, TripTime::single(a, 0)).total;
            let long = quote(&t, &p, TripTime::single(a + extra, 0)).total;
            proptest::prop_assert!(short >= Tenge(0));
            proptest::prop_assert!(long >= short);
        }
    }
}
