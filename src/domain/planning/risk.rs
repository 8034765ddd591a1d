//! Stations at risk: from the bikes a station holds now and its forecast for the next
//! hour(s), the expected riders who will find it empty and those who will find it full,
//! apart (the same birth–death chain as [`super::targets`], run forward from today's count
//! instead of backward over every count).

/// (expected riders finding it empty, expected riders finding it full) over `hours`, each
/// (arrivals per hour, departures per hour), for a station of `docks` working docks that
/// holds `bikes` rentable bikes now.
pub fn expected_failures(docks: u32, bikes: u32, hours: &[(f64, f64)]) -> (f64, f64) {
    let k = docks as usize;
    let mut p = vec![0.0; k + 1];
    p[(bikes as usize).min(k)] = 1.0;
    let mut next = vec![0.0; k + 1];
    let (mut empty, mut full) = (0.0, 0.0);
    for &(arr, dep) in hours {
        let (arr, dep) = (arr.max(0.0), dep.max(0.0));
        let steps = ((arr + dep) / 0.5).ceil().max(1.0) as usize;
        let dt = 1.0 / steps as f64;
        let (pa, pd) = (arr * dt, dep * dt);
        for _ in 0..steps {
            empty += p[0] * pd;
            full += p[k] * pa;
            next.iter_mut().for_each(|x| *x = 0.0);
            for x in 0..=k {
                let up = if x < k { x + 1 } else { x };
                let down = x.saturating_sub(1);
                next[up] += p[x] * pa;
                next[down] += p[x] * pd;
                next[x] += p[x] * (1.0 - pa - pd);
            }
            std::mem::swap(&mut p, &mut next);
        }
    }
    (empty, full)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::planning::targets::Dissatisfaction;

    #[test]
    fn an_empty_station_with_departures_fails_renters_not_returners() {
        let (empty, full) = expected_failures(10, 0, &[(0.0, 6.0)]);
        assert!(empty > 5.0, "six riders an hour, no bike: {empty}");
        assert!(full < 1e-9, "{full}");
    }

    #[test]
    fn a_full_station_with_arrivals_fails_returners() {
        let (empty, full) = expected_failures(10, 10, &[(4.0, 0.0)]);
        assert!(full > 3.0 && empty < 1e-9, "{empty} {full}");
    }

    #[test]
    fn both_sides_add_up_to_the_dissatisfaction_at_that_count() {
        let hours = [(3.0, 5.0), (2.0, 6.0)];
        for bikes in [0, 2, 5, 8] {
            let (e, f) = expected_failures(8, bikes, &hours);
            let d = Dissatisfaction::compute(8, &hours).at(bikes);
            assert!((e + f - d).abs() < 1e-6, "{bikes}: {e}+{f} vs {d}");
        }
    }
}
