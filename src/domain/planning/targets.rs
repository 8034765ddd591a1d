//! Targets that look ahead: for a station with `docks` working docks and its forecast
//! arrival and departure rates for the next hours, the expected failures (riders who find
//! it empty, riders who find it full) over those hours as a function of the bikes it starts
//! with — Raviv and Kolka's user dissatisfaction function — and the range of starting
//! counts that keeps them lowest. The station is a birth–death chain on 0..=docks
//! (returns add a bike, rentals take one); one backward pass over the horizon gives the
//! expected failures from every starting count at once.

/// Expected failures over the horizon for each starting count `0..=docks`.
#[derive(Debug, Clone, PartialEq)]
pub struct Dissatisfaction {
    pub by_count: Vec<f64>,
}

/// Expected failures within this much of the least count as "lowest" (a tenth of a rider).
const SLACK: f64 = 0.1;

impl Dissatisfaction {
    /// `hours`: (arrivals per hour, departures per hour) for each hour ahead.
    pub fn compute(docks: u32, hours: &[(f64, f64)]) -> Dissatisfaction {
        let k = docks as usize;
        // V(x): expected failures from now to the horizon when the station holds x bikes.
        let mut v = vec![0.0; k + 1];
        let mut next = vec![0.0; k + 1];
        for &(arr, dep) in hours.iter().rev() {
            let (arr, dep) = (arr.max(0.0), dep.max(0.0));
            // Steps small enough that a step sees at most half an event on average.
            let steps = ((arr + dep) / 0.5).ceil().max(1.0) as usize;
            let dt = 1.0 / steps as f64;
            let (pa, pd) = (arr * dt, dep * dt);
            for _ in 0..steps {
                for x in 0..=k {
                    let up = if x < k { v[x + 1] } else { v[x] };
                    let down = if x > 0 { v[x - 1] } else { v[x] };
                    let lost = if x == 0 { pd } else { 0.0 } + if x == k { pa } else { 0.0 };
                    next[x] = lost + pa * up + pd * down + (1.0 - pa - pd) * v[x];
                }
                std::mem::swap(&mut v, &mut next);
            }
        }
        Dissatisfaction { by_count: v }
    }

    /// Expected failures starting with `bikes` (clamped to the docks).
    pub fn at(&self, bikes: u32) -> f64 {
        let i = (bikes as usize).min(self.by_count.len().saturating_sub(1));
        self.by_count.get(i).copied().unwrap_or(0.0)
    }

    /// The count with the fewest expected failures (the lowest such count on a tie).
    pub fn best(&self) -> u32 {
        let mut best = 0;
        for (i, &x) in self.by_count.iter().enumerate() {
            if x < self.by_count[best] - 1e-12 {
                best = i;
            }
        }
        best as u32
    }

    /// The range of counts whose expected failures are within [`SLACK`] of the least.
    pub fn range(&self) -> (u32, u32) {
        let best = self.best() as usize;
        let floor = self.by_count.get(best).copied().unwrap_or(0.0) + SLACK;
        let mut lo = best;
        while lo > 0 && self.by_count[lo - 1] <= floor {
            lo -= 1;
        }
        let mut hi = best;
        while hi + 1 < self.by_count.len() && self.by_count[hi + 1] <= floor {
            hi += 1;
        }
        (lo as u32, hi as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_station_with_heavy_morning_departures_is_filled_before_the_peak() {
        // 06:00, 20 docks: a quiet hour, then three hours of 8 rentals and 1 return an hour.
        let mut hours = vec![(0.5, 0.5)];
        hours.extend([(1.0, 8.0); 3]);
        let d = Dissatisfaction::compute(20, &hours);
        let (lo, hi) = d.range();
        assert!(lo >= 14, "the range starts high: {lo}..{hi}");
        assert!(
            d.at(2) > d.at(lo) + 5.0,
            "starting near empty fails many riders"
        );
        // The mirror image, a station riders ride to in the morning, wants room instead.
        let inflow: Vec<(f64, f64)> = hours.iter().map(|&(a, b)| (b, a)).collect();
        let (lo2, hi2) = Dissatisfaction::compute(20, &inflow).range();
        assert!(hi2 <= 6, "the range ends low: {lo2}..{hi2}");
    }

    #[test]
    fn expected_failures_are_zero_without_demand_and_grow_with_it() {
        let quiet = Dissatisfaction::compute(10, &[(0.0, 0.0); 4]);
        assert!(quiet.by_count.iter().all(|&x| x == 0.0));
        let busy = Dissatisfaction::compute(10, &[(3.0, 3.0); 4]);
        assert!(busy.at(0) > busy.at(5) && busy.at(10) > busy.at(5));
        let (lo, hi) = busy.range();
        assert!(lo <= 5 && 5 <= hi, "{lo}..{hi}");
    }
}
