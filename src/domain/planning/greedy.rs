//! Today's suggested moves (policy P1): each station's distance from its fixed target fill
//! (50% unless set), and surplus sent to the nearest stations short of bikes. The console's
//! rebalance view shows this list; `velodesk bench rebalance` drives vans by it.

use super::StationNow;
use crate::domain::StationId;
use crate::domain::geo::km;

/// Bikes above (+) or below (−) the station's target fill.
pub fn deviation(s: &StationNow) -> i64 {
    let target = (i64::from(s.docks) * i64::from(s.target_fill) + 50) / 100;
    i64::from(s.bikes) - target
}

/// A move of `n` bikes from a station with too many to the nearest with too few.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub from: StationId,
    pub to: StationId,
    pub n: i64,
    pub km: f64,
}

/// Greedy: each surplus station (the largest first) sends to the nearest deficit stations.
pub fn moves(stations: &[StationNow], limit: usize) -> Vec<Move> {
    let active: Vec<&StationNow> = stations.iter().filter(|s| s.active).collect();
    let mut need: Vec<(usize, i64)> = active
        .iter()
        .enumerate()
        .filter(|(_, s)| deviation(s) < 0)
        .map(|(i, s)| (i, -deviation(s)))
        .collect();
    let mut surplus: Vec<(usize, i64)> = active
        .iter()
        .enumerate()
        .filter(|(_, s)| deviation(s) > 0)
        .map(|(i, s)| (i, deviation(s)))
        .collect();
    surplus.sort_by_key(|&(i, d)| (std::cmp::Reverse(d), active[i].id));
    let mut out = Vec::new();
    for (si, mut have) in surplus {
        let a = active[si];
        need.sort_by(|x, y| {
            km(a.pos, active[x.0].pos)
                .total_cmp(&km(a.pos, active[y.0].pos))
                .then(active[x.0].id.cmp(&active[y.0].id))
        });
        for (ni, want) in need.iter_mut() {
            if have == 0 || out.len() >= limit {
                break;
            }
            if *want == 0 {
                continue;
            }
            let n = have.min(*want);
            let b = active[*ni];
            out.push(Move {
                from: a.id,
                to: b.id,
                n,
                km: km(a.pos, b.pos),
            });
            have -= n;
            *want -= n;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(id: i64, lat: f64, bikes: u32, docks: u32) -> StationNow {
        StationNow {
            id: StationId(id),
            pos: (lat, 76.9),
            active: true,
            docks,
            bikes,
            free: docks - bikes,
            target_fill: 50,
        }
    }

    #[test]
    fn surplus_goes_to_the_nearest_station_short_of_bikes() {
        // 1 has 10 of 10 (target 5: +5); 2 (near) and 3 (far) have none (−5 each).
        let s = vec![
            st(1, 43.20, 10, 10),
            st(2, 43.21, 0, 10),
            st(3, 43.30, 0, 10),
        ];
        let m = moves(&s, 10);
        assert_eq!(m.len(), 1);
        assert_eq!(
            (m[0].from, m[0].to, m[0].n),
            (StationId(1), StationId(2), 5)
        );
        assert!(m[0].km > 1.0 && m[0].km < 1.2, "{}", m[0].km);
    }
}
