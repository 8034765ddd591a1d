//! When and where riders ride: the time-of-day demand (morning and evening peaks, quiet
//! nights), distances on the map, and how long a ride or a walk takes.

use super::rng::SimRng;

/// Relative demand for each local hour 0–23 (ASSUMPTION: the shape of a city bike share's
/// weekday, commute peaks at 8–9 and 17–19, a lunch bump, almost nothing at 2–5).
const HOURLY: [f64; 24] = [
    0.8, 0.4, 0.2, 0.1, 0.1, 0.3, 1.2, 3.5, 6.0, 4.5, 3.0, 3.0, 3.6, 3.8, 3.4, 3.6, 4.6, 6.2, 6.5,
    5.2, 3.8, 2.8, 1.9, 1.3,
];

/// Demand at a local time of day (hours 0.0–24.0), relative to the busiest hour.
pub fn relative_demand(hour: f64) -> f64 {
    let h = hour.rem_euclid(24.0);
    let i = h.floor() as usize % 24;
    let next = (i + 1) % 24;
    let frac = h - h.floor();
    let v = HOURLY[i] * (1.0 - frac) + HOURLY[next] * frac;
    v / peak()
}

fn peak() -> f64 {
    HOURLY.iter().cloned().fold(0.0, f64::max)
}

/// Of a day's trips, the share that starts in the busiest hour (to turn a daily total into
/// a peak rate).
pub fn peak_share() -> f64 {
    peak() / HOURLY.iter().sum::<f64>()
}

/// What a trip is for, by the hour: commuters go home→work in the morning and back in the
/// evening; the rest of the day riders go somewhere nearby and back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    ToWork,
    ToHome,
    Errand,
}

pub fn purpose(hour: f64, rng: &mut SimRng) -> Purpose {
    let commute = rng.chance(0.7);
    if (6.5..10.5).contains(&hour) && commute {
        Purpose::ToWork
    } else if (16.5..20.5).contains(&hour) && commute {
        Purpose::ToHome
    } else {
        Purpose::Errand
    }
}

pub use crate::domain::geo::km;

/// Seconds to ride `km` on a three-speed city bike: about 11 km/h on the road network
/// (streets are 1.3× the straight line), with riders faster and slower, at least 3 min.
pub fn ride_seconds(km: f64, rng: &mut SimRng) -> i64 {
    let speed = rng.lognormal(11.0, 0.2).clamp(6.0, 22.0);
    let s = km * 1.3 / speed * 3600.0;
    (s as i64).max(180) + rng.between(0, 90)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peaks_in_the_morning_and_evening_and_quiet_at_night() {
        assert!(relative_demand(8.5) > 0.8);
        assert!(relative_demand(18.0) > 0.9);
        assert!(relative_demand(3.5) < 0.05);
        assert!(relative_demand(12.0) < relative_demand(8.5));
        assert!((relative_demand(24.0) - relative_demand(0.0)).abs() < 1e-9);
    }

    #[test]
    fn distances_and_durations_are_plausible() {
        // Abai metro to the Circus: about 2.5 km across town.
        let d = km((43.24286, 76.95145), (43.2334, 76.9236));
        assert!((2.0..3.0).contains(&d), "{d}");
        let mut rng = SimRng::new(3);
        let s = ride_seconds(d, &mut rng);
        assert!((600..2400).contains(&s), "{s}");
        assert!(ride_seconds(0.0, &mut rng) >= 180);
    }
}
