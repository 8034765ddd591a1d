//! The routes' promises: capacity and the shift kept, no station twice, stations left
//! within their range, the same plan for the same state.

use super::*;
use crate::domain::planning::targets::Dissatisfaction;
use chrono::TimeZone;

fn station(id: i64, lat: f64, lon: f64, bikes: u32, docks: u32) -> StationNow {
    StationNow {
        id: StationId(id),
        pos: (lat, lon),
        active: true,
        docks,
        bikes,
        free: docks - bikes,
        target_fill: 50,
    }
}

/// A grid of 60 stations, 15 docks each: the north-west half full and busy with returns,
/// the south-east half empty and busy with rentals.
fn city() -> (Vec<StationNow>, Vec<Dissatisfaction>) {
    let mut st = Vec::new();
    let mut curves = Vec::new();
    for i in 0..60 {
        let (r, c) = (i / 10, i % 10);
        let full = r + c < 8;
        let s = station(
            1000 + i,
            43.20 + 0.004 * r as f64,
            76.90 + 0.005 * c as f64,
            if full { 14 } else { 1 },
            15,
        );
        let rates = if full { (4.0, 1.0) } else { (1.0, 4.0) };
        curves.push(Dissatisfaction::compute(s.docks, &[rates; 4]));
        st.push(s);
    }
    (st, curves)
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 2, 2, 0, 0).unwrap()
}

fn input<'a>(
    st: &'a [StationNow],
    curves: &'a [Dissatisfaction],
    vans: &'a [VanStart],
    horizon_s: f64,
) -> PlanInput<'a> {
    PlanInput {
        now: now(),
        stations: st,
        curves,
        vans,
        capacity: 20,
        horizon_s,
        driving: Driving::default(),
        min_gain: MIN_GAIN,
    }
}

fn vans() -> Vec<VanStart> {
    vec![
        VanStart {
            pos: (43.21, 76.92),
            load: 0,
            ready_s: 0.0,
        },
        VanStart {
            pos: (43.21, 76.92),
            load: 5,
            ready_s: 300.0,
        },
    ]
}

#[test]
fn capacity_and_the_shift_are_kept_and_no_station_is_visited_twice() {
    let (st, curves) = city();
    let v = vans();
    let horizon = 2.0 * 3600.0;
    let p = plan(&input(&st, &curves, &v, horizon));
    assert_eq!(p.routes.len(), 2);
    assert!(p.gain > 5.0, "the plan helps: {p:?}");
    let mut seen = std::collections::BTreeSet::new();
    let end = now() + Duration::seconds(horizon as i64);
    for (r, van) in p.routes.iter().zip(&v) {
        assert!(!r.is_empty());
        let mut load = van.load as i64;
        for s in r {
            assert!(seen.insert(s.station), "station {} twice", s.station);
            match s.action {
                Action::Take(q) => load += i64::from(q),
                Action::Leave(q) => load -= i64::from(q),
            }
            assert!((0..=20).contains(&load), "load {load} at {s:?}");
            assert_eq!(load, i64::from(s.load_after));
            assert!(s.arrive <= end, "{s:?} after the shift's end");
            let i = st.iter().position(|x| x.id == s.station).unwrap();
            let (lo, hi) = curves[i].range();
            match s.action {
                Action::Take(q) => assert!(st[i].bikes - q >= lo, "{s:?} leaves it below {lo}"),
                Action::Leave(q) => {
                    assert!(st[i].bikes + q <= hi.min(st[i].docks), "{s:?} above {hi}")
                }
            }
        }
        let times: Vec<_> = r.iter().map(|s| s.arrive).collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]), "stops in time order");
    }
}

#[test]
fn a_plan_is_the_same_for_the_same_state_and_fits_a_short_shift() {
    let (st, curves) = city();
    let v = vans();
    let a = plan(&input(&st, &curves, &v, 3600.0));
    let b = plan(&input(&st, &curves, &v, 3600.0));
    assert_eq!(a, b);
    let short = plan(&input(&st, &curves, &v, 900.0));
    let stops = |p: &Plan| p.routes.iter().map(Vec::len).sum::<usize>();
    assert!(
        stops(&short) < stops(&a),
        "a quarter hour holds fewer stops"
    );
    for (r, van) in short.routes.iter().zip(&v) {
        if let Some(last) = r.last() {
            assert!(last.arrive <= now() + Duration::seconds(900));
            assert!(van.ready_s <= 900.0);
        }
    }
}

#[test]
fn nothing_to_do_gives_empty_routes() {
    let st: Vec<StationNow> = (0..5)
        .map(|i| station(i, 43.2 + 0.01 * i as f64, 76.9, 5, 10))
        .collect();
    let curves: Vec<_> = st
        .iter()
        .map(|s| Dissatisfaction::compute(s.docks, &[(1.0, 1.0); 3]))
        .collect();
    let v = vans();
    let p = plan(&input(&st, &curves, &v[..1], 3600.0));
    assert!(p.routes[0].is_empty(), "{p:?}");
}
