//! The demand forecast: departures and arrivals per station per hour of the week, learned
//! from the trips the system holds, corrected for the demand hidden while a station was
//! empty (no departures can be seen) or full (no returns can be seen). Following O'Mahony
//! and Shmoys, a rate is the trips seen divided by the time the station could serve them
//! (its uncensored exposure), not by the whole time. Sparse hours borrow from the same hour
//! of the other days of their kind (weekday, Saturday, Sunday), weighted by exposure.

use super::Occupancy;
use crate::domain::StationId;
use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;

/// Hours in a week; slot 0 is Monday 00:00–01:00 local.
pub const WEEK: usize = 168;

/// Hours of pooled evidence a slot's own estimate must outweigh (empirical Bayes prior).
const PRIOR_HOURS: f64 = 2.0;

/// What the database says, as facts: the trips' ends and the stations' occupancy changes
/// inside the window `[from, to)`, and the class each station was in at `from`.
#[derive(Debug, Clone, Default)]
pub struct DemandFacts {
    pub from: i64,
    pub to: i64,
    /// (station, unix seconds) of each rental's start.
    pub departures: Vec<(StationId, i64)>,
    /// (station, unix seconds) of each return into a dock.
    pub arrivals: Vec<(StationId, i64)>,
    /// (station, unix seconds, class from then on), in time order per station.
    pub changes: Vec<(StationId, i64, Occupancy)>,
    /// The class of a station at `from` (absent: unknown, taken as serving).
    pub initial: Vec<(StationId, Occupancy)>,
}

/// Expected trips per hour at one station for each hour of the week.
#[derive(Debug, Clone, PartialEq)]
pub struct StationRates {
    pub departures: [f64; WEEK],
    pub arrivals: [f64; WEEK],
}

impl Default for StationRates {
    fn default() -> StationRates {
        StationRates {
            departures: [0.0; WEEK],
            arrivals: [0.0; WEEK],
        }
    }
}

/// The forecast for every station seen.
#[derive(Debug, Clone, Default)]
pub struct Forecast {
    pub tz: Option<Tz>,
    pub stations: BTreeMap<StationId, StationRates>,
}

/// The hour-of-week slot of an instant in local time.
pub fn slot(tz: Tz, at: DateTime<Utc>) -> usize {
    let l = at.with_timezone(&tz);
    l.weekday().num_days_from_monday() as usize * 24 + l.hour() as usize
}

/// Which days pool together: weekdays, Saturday, Sunday.
fn kind(slot: usize) -> usize {
    match slot / 24 {
        5 => 1,
        6 => 2,
        _ => 0,
    }
}

impl Forecast {
    /// Learn the rates from `facts`, in the operator's time zone.
    pub fn learn(tz: Tz, facts: &DemandFacts) -> Forecast {
        let mut ids: Vec<StationId> = facts
            .departures
            .iter()
            .chain(&facts.arrivals)
            .map(|x| x.0)
            .chain(facts.changes.iter().map(|x| x.0))
            .chain(facts.initial.iter().map(|x| x.0))
            .collect();
        ids.sort();
        ids.dedup();
        let mut stations = BTreeMap::new();
        for id in ids {
            stations.insert(id, learn_station(tz, facts, id));
        }
        Forecast {
            tz: Some(tz),
            stations,
        }
    }

    /// (arrivals, departures) per hour at `station` for each of the `hours` hours from `now`.
    pub fn ahead(&self, station: StationId, now: DateTime<Utc>, hours: usize) -> Vec<(f64, f64)> {
        let (Some(tz), Some(r)) = (self.tz, self.stations.get(&station)) else {
            return vec![(0.0, 0.0); hours];
        };
        (0..hours)
            .map(|h| {
                let s = slot(tz, now + chrono::Duration::hours(h as i64));
                (r.arrivals[s], r.departures[s])
            })
            .collect()
    }
}

/// Seconds of `[a, b)` that fall outside the censored intervals (sorted, disjoint).
fn exposure(a: i64, b: i64, censored: &[(i64, i64)], from: &mut usize) -> f64 {
    while *from < censored.len() && censored[*from].1 <= a {
        *from += 1;
    }
    let mut hidden = 0;
    let mut i = *from;
    while i < censored.len() && censored[i].0 < b {
        hidden += censored[i].1.min(b) - censored[i].0.max(a);
        i += 1;
    }
    (b - a - hidden.max(0)) as f64
}

fn learn_station(tz: Tz, f: &DemandFacts, id: StationId) -> StationRates {
    // The censored periods: while empty (departures hidden) and while full (returns hidden).
    let mut state = f
        .initial
        .iter()
        .find(|x| x.0 == id)
        .map(|x| x.1)
        .unwrap_or(Occupancy::Ok);
    let mut since = f.from;
    let (mut empty, mut full) = (Vec::new(), Vec::new());
    let close = |state: Occupancy, a: i64, b: i64, empty: &mut Vec<_>, full: &mut Vec<_>| {
        if b > a {
            match state {
                Occupancy::Empty => empty.push((a, b)),
                Occupancy::Full => full.push((a, b)),
                Occupancy::Ok => {}
            }
        }
    };
    for &(_, at, next) in f.changes.iter().filter(|x| x.0 == id) {
        let at = at.clamp(f.from, f.to);
        close(state, since, at, &mut empty, &mut full);
        state = next;
        since = at;
    }
    close(state, since, f.to, &mut empty, &mut full);

    // Counts and exposure hours per slot, hour by hour of the window.
    let (mut dep_n, mut arr_n) = ([0.0; WEEK], [0.0; WEEK]);
    let (mut dep_h, mut arr_h) = ([0.0; WEEK], [0.0; WEEK]);
    let at = |t: i64| DateTime::from_timestamp(t, 0).unwrap_or_default();
    for &(s, t) in &f.departures {
        if s == id && (f.from..f.to).contains(&t) {
            dep_n[slot(tz, at(t))] += 1.0;
        }
    }
    for &(s, t) in &f.arrivals {
        if s == id && (f.from..f.to).contains(&t) {
            arr_n[slot(tz, at(t))] += 1.0;
        }
    }
    let (mut ie, mut if_) = (0, 0);
    let mut t = f.from - f.from.rem_euclid(3600);
    while t < f.to {
        let (a, b) = (t.max(f.from), (t + 3600).min(f.to));
        let s = slot(tz, at(a));
        dep_h[s] += exposure(a, b, &empty, &mut ie) / 3600.0;
        arr_h[s] += exposure(a, b, &full, &mut if_) / 3600.0;
        t += 3600;
    }
    StationRates {
        departures: shrink(&dep_n, &dep_h),
        arrivals: shrink(&arr_n, &arr_h),
    }
}

/// Each slot's rate, pulled towards the same hour of the same kind of day by
/// [`PRIOR_HOURS`] of that pooled rate (of every day, when that kind was never seen).
fn shrink(n: &[f64; WEEK], hours: &[f64; WEEK]) -> [f64; WEEK] {
    let mut pooled = [[(0.0, 0.0); 24]; 4];
    for s in 0..WEEK {
        for k in [kind(s), 3] {
            pooled[k][s % 24].0 += n[s];
            pooled[k][s % 24].1 += hours[s];
        }
    }
    let mut out = [0.0; WEEK];
    for s in 0..WEEK {
        let (kn, kh) = pooled[kind(s)][s % 24];
        let (an, ah) = pooled[3][s % 24];
        let prior = if kh > 0.0 {
            kn / kh
        } else if ah > 0.0 {
            an / ah
        } else {
            0.0
        };
        out[s] = (n[s] + PRIOR_HOURS * prior) / (hours[s] + PRIOR_HOURS);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const TZ: Tz = chrono_tz::Asia::Almaty;

    /// Monday 2 June 2025 00:00 local, in unix seconds.
    fn monday() -> i64 {
        TZ.with_ymd_and_hms(2025, 6, 2, 0, 0, 0)
            .unwrap()
            .timestamp()
    }

    #[test]
    fn a_known_hourly_pattern_written_as_trips_is_learned_back() {
        // Station 1: 6 departures in each hour 7–9, one an hour otherwise; 3 returns in
        // each hour 17–19, none otherwise; two weeks of trips, always serving.
        let (from, to) = (monday(), monday() + 14 * 86_400);
        let mut f = DemandFacts {
            from,
            to,
            ..DemandFacts::default()
        };
        for day in 0..14 {
            for h in 0..24 {
                let t0 = from + day * 86_400 + h * 3600;
                let n = if (7..10).contains(&h) { 6 } else { 1 };
                for k in 0..n {
                    f.departures.push((StationId(1), t0 + k * 3600 / n + 60));
                }
                if (17..20).contains(&h) {
                    for k in 0..3 {
                        f.arrivals.push((StationId(1), t0 + k * 1200 + 30));
                    }
                }
            }
        }
        let fc = Forecast::learn(TZ, &f);
        let r = &fc.stations[&StationId(1)];
        for s in 0..WEEK {
            let h = s % 24;
            let dep = if (7..10).contains(&h) { 6.0 } else { 1.0 };
            let arr = if (17..20).contains(&h) { 3.0 } else { 0.0 };
            assert!(
                (r.departures[s] - dep).abs() < 1e-9,
                "slot {s}: {}",
                r.departures[s]
            );
            assert!(
                (r.arrivals[s] - arr).abs() < 1e-9,
                "slot {s}: {}",
                r.arrivals[s]
            );
        }
        // Looking ahead from Tuesday 06:00: the morning peak comes in the second hour.
        let now = DateTime::from_timestamp(from + 86_400 + 6 * 3600, 0).unwrap();
        let ahead = fc.ahead(StationId(1), now, 3);
        assert_eq!(ahead, vec![(0.0, 1.0), (0.0, 6.0), (0.0, 6.0)]);
    }

    #[test]
    fn demand_hidden_while_a_station_is_empty_is_recovered() {
        // Riders want 4 bikes an hour all day, every day; on every other day the station
        // is empty from 07:00 to 11:00, and no departure can be seen then.
        let (from, to) = (monday(), monday() + 28 * 86_400);
        let mut f = DemandFacts {
            from,
            to,
            ..DemandFacts::default()
        };
        for day in 0..28 {
            let d0 = from + day * 86_400;
            let empty = day % 2 == 0;
            if empty {
                f.changes
                    .push((StationId(7), d0 + 7 * 3600, Occupancy::Empty));
                f.changes
                    .push((StationId(7), d0 + 11 * 3600, Occupancy::Ok));
            }
            for q in 0..96 {
                let t = d0 + q * 900 + 100;
                let hidden = empty && (7 * 3600..11 * 3600).contains(&(t - d0));
                if !hidden {
                    f.departures.push((StationId(7), t));
                }
            }
        }
        let fc = Forecast::learn(TZ, &f);
        let r = &fc.stations[&StationId(7)];
        for day in 0..7 {
            for h in 7..11 {
                let s = day * 24 + h;
                // Naively (trips over all hours) it would be 2 an hour on weekdays.
                assert!(
                    (r.departures[s] - 4.0).abs() < 0.35,
                    "slot {s}: {}",
                    r.departures[s]
                );
            }
            assert!((r.departures[day * 24 + 14] - 4.0).abs() < 1e-9);
        }
    }
}
