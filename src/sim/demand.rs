//! When and where riders ride: the time-of-day demand (weekday commute peaks, weekend
//! afternoons, quiet nights), why (commute, outing, errand), where homes and workplaces
//! gather, distances on the map, and how long a ride or a walk takes.

use super::rng::SimRng;

/// Relative demand for each local hour 0–23 of a weekday (ASSUMPTION: the shape of a city
/// bike share's weekday, commute peaks at 8–9 and 17–19, a lunch bump, almost nothing at 2–5).
const WEEKDAY: [f64; 24] = [
    0.8, 0.4, 0.2, 0.1, 0.1, 0.3, 1.2, 3.5, 6.0, 4.5, 3.0, 3.0, 3.6, 3.8, 3.4, 3.6, 4.6, 6.2, 6.5,
    5.2, 3.8, 2.8, 1.9, 1.3,
];

/// The same for Saturday and Sunday (ASSUMPTION: no commute peaks; riders go out late in
/// the morning and ride most in the afternoon, about 85% of a weekday's trips, as the
/// weekend curves of Citi Bike, Divvy and Bixi look).
const WEEKEND: [f64; 24] = [
    1.2, 0.8, 0.4, 0.2, 0.1, 0.1, 0.3, 0.7, 1.5, 2.6, 3.6, 4.3, 4.8, 5.0, 5.0, 4.9, 4.8, 4.6, 4.2,
    3.6, 2.8, 2.1, 1.6, 1.2,
];

fn curve(weekend: bool) -> &'static [f64; 24] {
    if weekend { &WEEKEND } else { &WEEKDAY }
}

/// Demand at a local time of day (hours 0.0–24.0), relative to the busiest hour of the week.
pub fn relative_demand(weekend: bool, hour: f64) -> f64 {
    let c = curve(weekend);
    let h = hour.rem_euclid(24.0);
    let i = h.floor() as usize % 24;
    let next = (i + 1) % 24;
    let frac = h - h.floor();
    let v = c[i] * (1.0 - frac) + c[next] * frac;
    v / peak()
}

fn peak() -> f64 {
    WEEKDAY.iter().chain(&WEEKEND).cloned().fold(0.0, f64::max)
}

/// Of a weekday's trips, the share that starts in the busiest hour (to turn a daily total
/// into a peak rate).
pub fn peak_share() -> f64 {
    peak() / WEEKDAY.iter().sum::<f64>()
}

/// What a trip is for, by the hour: on weekdays commuters go home→work in the morning and
/// back in the evening; at weekends riders go out to the centre and parks and come back;
/// the rest of the time they go somewhere nearby and back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    ToWork,
    ToHome,
    /// Weekend: from home to somewhere to spend the day.
    Out,
    /// Weekend: back home from there.
    Back,
    Errand,
}

// ASSUMPTIONS: the share of trips in the peak hours that are commutes (weekdays), and of
// weekend trips that are outings (to a place in the afternoon, back in the evening).
const COMMUTE: f64 = 0.75;
const OUTING: f64 = 0.5;

pub fn purpose(weekend: bool, hour: f64, rng: &mut SimRng) -> Purpose {
    let u = rng.unit();
    if weekend {
        if (9.5..15.0).contains(&hour) && u < OUTING {
            Purpose::Out
        } else if (15.0..21.5).contains(&hour) && u < OUTING {
            Purpose::Back
        } else {
            Purpose::Errand
        }
    } else if (6.5..10.5).contains(&hour) && u < COMMUTE {
        Purpose::ToWork
    } else if (16.5..20.5).contains(&hour) && u < COMMUTE {
        Purpose::ToHome
    } else {
        Purpose::Errand
    }
}

/// How much a station draws workplaces and outings (the centre) or homes (the edges), by
/// its distance from the city's centre (ASSUMPTION: jobs fall off with distance from the
/// centre over about 2.5 km, as in a monocentric city like Almaty; homes spread out, fewer
/// in the very centre).
pub fn centre_weight(km_from_centre: f64) -> f64 {
    (-km_from_centre / 2.5).exp()
}

pub fn home_weight(km_from_centre: f64) -> f64 {
    0.3 + (km_from_centre / 3.0).min(1.5)
}

pub use crate::domain::geo::km;

/// Seconds to ride `km` on a three-speed city bike: about 11 km/h on the road network
/// (streets are 1.3× the straight line), with riders faster and slower, at least 3 min.
pub fn ride_seconds(km: f64, rng: &mut SimRng) -> i64 {
    let speed = rng.lognormal(11.0, 0.2).clamp(6.0, 22.0);
    let s = km * 1.3 / speed * 3600.0;
    (s as i64).max(180) + rng.between(0, 90)
}

/// Cumulative home and workplace weights of the stations, and the city's centre (the
/// dock-weighted middle of the active stations).
pub fn weights(spots: &[(bool, (f64, f64), u32)]) -> (Vec<f64>, Vec<f64>, (f64, f64)) {
    let active = spots.iter().filter(|s| s.0);
    let docks: f64 = active.clone().map(|s| f64::from(s.2)).sum::<f64>().max(1.0);
    let centre = active.fold((0.0, 0.0), |c, s| {
        let w = f64::from(s.2) / docks;
        (c.0 + s.1.0 * w, c.1 + s.1.1 * w)
    });
    let (mut home, mut work) = (Vec::new(), Vec::new());
    let (mut h, mut w) = (0.0, 0.0);
    for s in spots {
        if s.0 {
            let d = km(s.1, centre);
            h += f64::from(s.2) * home_weight(d);
            w += f64::from(s.2) * centre_weight(d);
        }
        home.push(h);
        work.push(w);
    }
    (home, work, centre)
}

/// The index whose cumulative weight first exceeds `u` × the total.
pub fn pick_weighted(cumulative: &[f64], u: f64) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let x = u * total;
    cumulative
        .partition_point(|&c| c <= x)
        .min(cumulative.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peaks_in_the_morning_and_evening_and_quiet_at_night() {
        assert!(relative_demand(false, 8.5) > 0.8);
        assert!(relative_demand(false, 18.0) > 0.9);
        assert!(relative_demand(false, 3.5) < 0.05);
        assert!(relative_demand(false, 12.0) < relative_demand(false, 8.5));
        assert!((relative_demand(false, 24.0) - relative_demand(false, 0.0)).abs() < 1e-9);
        // The weekend sleeps in and rides in the afternoon.
        assert!(relative_demand(true, 8.0) < relative_demand(false, 8.0) / 2.0);
        assert!(relative_demand(true, 14.0) > relative_demand(false, 14.0));
        let mut rng = SimRng::new(1);
        let out = (0..1000)
            .filter(|_| purpose(true, 12.0, &mut rng) == Purpose::Out)
            .count();
        assert!((400..600).contains(&out), "{out}");
        assert!(centre_weight(0.0) > 5.0 * centre_weight(5.0));
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
