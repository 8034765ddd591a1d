//! What the simulator measures for the depot (issue #16): every rental and return attempt
//! with its time, place and outcome — served, or a station found empty (the rider walks to
//! a station nearby or walks away) or full (rides on or calls for a cable lock) — and each
//! station's occupancy through the day: minutes empty or full in episodes over 10 minutes,
//! and the share of station-minutes with at least 2 bikes and 2 free docks, 06:00–22:00
//! local; beside them the vans' km and the bikes they moved.

use crate::domain::StationId;
use chrono::{DateTime, Duration, Timelike, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptKind {
    Rent,
    Return,
}

/// What the rider did after finding the station empty or full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    WalkedTo(StationId),
    WalkedAway,
    RodeOn(StationId),
    CalledForCableLock,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Served,
    /// Refused by the rules (money, pass, restriction): the station was not the trouble.
    Refused,
    Empty(Then),
    Full(Then),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub at: DateTime<Utc>,
    pub station: StationId,
    pub kind: AttemptKind,
    pub outcome: Outcome,
}

/// The measured window of the day, local hours (ASSUMPTION: riders who matter ride 06–22).
pub const WINDOW: (u32, u32) = (6, 22);
/// Empty or full for longer than this is an episode (seconds).
pub const EPISODE_S: i64 = 600;

#[derive(Debug, Clone)]
struct Track {
    id: StationId,
    active: bool,
    since: DateTime<Utc>,
    bikes: u32,
    free: u32,
    /// (start, empty?) of the empty or full spell under way.
    spell: Option<(DateTime<Utc>, bool)>,
}

/// Totals of a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kpis {
    pub rent_attempts: u64,
    pub rent_failed: u64,
    /// Riders who found no bike and walked away.
    pub rentals_lost: u64,
    pub return_attempts: u64,
    pub return_failed: u64,
    pub cable_calls: u64,
    /// Minutes in empty (full) episodes over 10 minutes, inside the window.
    pub empty_min: f64,
    pub full_min: f64,
    /// Station-minutes empty or full at all (any length), inside the window.
    pub trouble_min: f64,
    /// Station-minutes with at least 2 bikes and 2 free docks, inside the window.
    pub healthy_min: f64,
    pub station_min: f64,
    pub van_km: f64,
    pub bikes_moved: u64,
}

impl Kpis {
    /// Failed rentals and returns per 1,000 attempts.
    pub fn failures_per_1000(&self) -> f64 {
        let n = (self.rent_attempts + self.return_attempts).max(1) as f64;
        (self.rent_failed + self.return_failed) as f64 * 1000.0 / n
    }
    pub fn empty_full_min(&self) -> f64 {
        self.empty_min + self.full_min
    }
    pub fn healthy_share(&self) -> f64 {
        self.healthy_min / self.station_min.max(1.0)
    }
    pub fn trouble_share(&self) -> f64 {
        self.trouble_min / self.station_min.max(1.0)
    }
    pub fn km_per_bike(&self) -> f64 {
        if self.bikes_moved == 0 {
            0.0
        } else {
            self.van_km / self.bikes_moved as f64
        }
    }
}

/// The run's record.
#[derive(Debug, Clone)]
pub struct SimRecord {
    tz: Tz,
    pub attempts: Vec<Attempt>,
    tracks: Vec<Track>,
    pub kpis: Kpis,
}

/// Seconds of `[a, b)` inside the daily window, local time.
fn in_window(tz: Tz, a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    let mut total = 0;
    let mut day = crate::domain::time::local_date(tz, a);
    let last = crate::domain::time::local_date(tz, b);
    while day <= last {
        let mid = crate::domain::time::local_midnight(tz, day);
        let (w0, w1) = (
            mid + Duration::hours(i64::from(WINDOW.0)),
            mid + Duration::hours(i64::from(WINDOW.1)),
        );
        let (x, y) = (a.max(w0), b.min(w1));
        if y > x {
            total += (y - x).num_seconds();
        }
        match day.succ_opt() {
            Some(d) => day = d,
            None => break,
        }
    }
    total as f64
}

impl SimRecord {
    /// Start tracking these stations (id, bikes a rider can take, free docks) at `now`.
    pub fn new(tz: Tz, now: DateTime<Utc>, stations: &[(StationId, u32, u32, bool)]) -> SimRecord {
        let tracks = stations
            .iter()
            .map(|&(id, bikes, free, active)| Track {
                id,
                active,
                since: now,
                bikes,
                free,
                spell: (active && (bikes == 0 || free == 0)).then_some((now, bikes == 0)),
            })
            .collect();
        SimRecord {
            tz,
            attempts: Vec::new(),
            tracks,
            kpis: Kpis::default(),
        }
    }

    pub fn attempt(
        &mut self,
        at: DateTime<Utc>,
        station: StationId,
        kind: AttemptKind,
        outcome: Outcome,
    ) {
        let k = &mut self.kpis;
        match kind {
            AttemptKind::Rent => k.rent_attempts += 1,
            AttemptKind::Return => k.return_attempts += 1,
        }
        match outcome {
            Outcome::Empty(then) => {
                k.rent_failed += 1;
                if then == Then::WalkedAway {
                    k.rentals_lost += 1;
                }
            }
            Outcome::Full(then) => {
                k.return_failed += 1;
                if then == Then::CalledForCableLock {
                    k.cable_calls += 1;
                }
            }
            Outcome::Served | Outcome::Refused => {}
        }
        self.attempts.push(Attempt {
            at,
            station,
            kind,
            outcome,
        });
    }

    /// Station `i` holds `bikes` rentable bikes and `free` free docks from `now` on.
    pub fn occupancy(&mut self, i: usize, now: DateTime<Utc>, bikes: u32, free: u32) {
        let tz = self.tz;
        let Some(t) = self.tracks.get_mut(i) else {
            return;
        };
        if (t.bikes, t.free) == (bikes, free) {
            return;
        }
        if !t.active {
            (t.since, t.bikes, t.free) = (now, bikes, free);
            return;
        }
        let secs = in_window(tz, t.since, now) / 60.0;
        let k = &mut self.kpis;
        k.station_min += secs;
        if t.bikes == 0 || t.free == 0 {
            k.trouble_min += secs;
        }
        if t.bikes >= 2 && t.free >= 2 {
            k.healthy_min += secs;
        }
        let empty_now = bikes == 0;
        let trouble_now = bikes == 0 || free == 0;
        let same = matches!(t.spell, Some((_, e)) if trouble_now && e == empty_now);
        if !same {
            if let Some((start, empty)) = t.spell.take() {
                close_spell(tz, k, start, now, empty);
            }
            if trouble_now {
                t.spell = Some((now, empty_now));
            }
        }
        t.since = now;
        t.bikes = bikes;
        t.free = free;
    }

    /// Close every open interval at the end of the run.
    pub fn finish(&mut self, now: DateTime<Utc>) {
        let tz = self.tz;
        for t in self.tracks.iter_mut().filter(|t| t.active) {
            let secs = in_window(tz, t.since, now) / 60.0;
            let k = &mut self.kpis;
            k.station_min += secs;
            if t.bikes == 0 || t.free == 0 {
                k.trouble_min += secs;
            }
            if t.bikes >= 2 && t.free >= 2 {
                k.healthy_min += secs;
            }
            if let Some((start, empty)) = t.spell.take() {
                close_spell(tz, k, start, now, empty);
            }
            t.since = now;
        }
    }

    pub fn van(&mut self, km: f64, bikes_docked: u64) {
        self.kpis.van_km += km;
        self.kpis.bikes_moved += bikes_docked;
    }

    /// Which stations are tracked, in order.
    pub fn station_ids(&self) -> Vec<StationId> {
        self.tracks.iter().map(|t| t.id).collect()
    }
}

fn close_spell(tz: Tz, k: &mut Kpis, start: DateTime<Utc>, end: DateTime<Utc>, empty: bool) {
    let w = in_window(tz, start, end);
    if w > EPISODE_S as f64 {
        if empty {
            k.empty_min += w / 60.0;
        } else {
            k.full_min += w / 60.0;
        }
    }
}

/// The local hour of an instant (for the tests' readability).
pub fn local_hour(tz: Tz, at: DateTime<Utc>) -> u32 {
    at.with_timezone(&tz).hour()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const TZ: Tz = chrono_tz::Asia::Almaty;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        TZ.with_ymd_and_hms(2025, 6, 2, h, m, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn episodes_over_ten_minutes_inside_the_window_are_counted() {
        let mut r = SimRecord::new(TZ, at(5, 0), &[(StationId(1), 0, 10, true)]);
        // Empty from before 06:00 until 06:30: 30 minutes count.
        r.occupancy(0, at(6, 30), 3, 7);
        // Full for 8 minutes: too short to count, but trouble all the same.
        r.occupancy(0, at(7, 0), 1, 0);
        r.occupancy(0, at(7, 8), 1, 1);
        r.occupancy(0, at(8, 0), 5, 5);
        r.finish(at(9, 0));
        let k = &r.kpis;
        assert!((k.empty_min - 30.0).abs() < 1e-9, "{k:?}");
        assert_eq!(k.full_min, 0.0);
        assert!((k.trouble_min - 38.0).abs() < 1e-9, "{k:?}");
        assert!((k.station_min - 180.0).abs() < 1e-9, "{k:?}");
        // 06:30–07:00 (3 bikes, 7 free) and 08:00–09:00 are healthy; 1 bike is not.
        assert!((k.healthy_min - 90.0).abs() < 1e-9, "{k:?}");
        assert_eq!(local_hour(TZ, at(6, 30)), 6);
    }
}
