//! Scratch evaluation (not part of velodesk): velodesk's van-route heuristic against
//! vrp-core 1.25 on the same rebalancing instances, scored by the same expected-failure
//! curves. Run: cargo run --release -- STATIONS INSTANCES GENERATIONS (from this folder).
#![allow(dead_code)]

mod domain {
    #[path = "../../../../src/domain/geo.rs"]
    pub mod geo;
    #[path = "../../../../src/domain/planning/mod.rs"]
    pub mod planning;
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub struct StationId(pub i64);
}

use chrono::TimeZone;
use domain::StationId;
use domain::planning::routes::{self, Action, PlanInput, VanStart};
use domain::planning::targets::Dissatisfaction;
use domain::planning::{Driving, StationNow};
use std::sync::Arc;
use std::time::Instant;
use vrp_core::prelude::*;
use vrp_core::construction::features::JobDemandDimension;

struct Lcg(u64);
impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn instance(n: usize, seed: u64) -> (Vec<StationNow>, Vec<Dissatisfaction>) {
    let mut r = Lcg(seed * 7919 + 1);
    let radius = (n as f64 / (3.0 * std::f64::consts::PI)).sqrt();
    let mut st = Vec::new();
    let mut cv = Vec::new();
    for i in 0..n {
        let (a, d) = (r.unit() * std::f64::consts::TAU, radius * r.unit().sqrt());
        let pos = (43.245 + d * a.sin() / 111.2, 76.925 + d * a.cos() / 81.0);
        let docks = 6 + (r.unit() * 11.0) as u32;
        let bikes = (r.unit() * (docks + 1) as f64) as u32;
        // The centre draws morning returns, the edge morning rentals.
        let centre = (-d / 2.5).exp();
        let base = 0.5 + 2.5 * r.unit();
        let (arr, dep) = (base * (0.4 + 1.2 * centre), base * (1.4 - 1.0 * centre));
        cv.push(Dissatisfaction::compute(docks, &[(arr, dep); 4]));
        st.push(StationNow { id: StationId(i as i64), pos, active: true, docks, bikes: bikes.min(docks), free: docks - bikes.min(docks), target_fill: 50 });
    }
    (st, cv)
}

/// The moves vrp-core routes: each surplus bike matched to the receiver with the best
/// gain per km (marginal gains from the curves), grouped into one pickup-and-delivery job
/// per (donor, receiver) pair, valued by its gain.
fn moves(st: &[StationNow], cv: &[Dissatisfaction], d: &Driving, cap: u32) -> Vec<(usize, usize, u32)> {
    let n = st.len();
    let mut x: Vec<i32> = st.iter().map(|s| s.bikes as i32).collect();
    let range: Vec<(u32, u32)> = cv.iter().map(|c| c.range()).collect();
    let mut flow = std::collections::BTreeMap::new();
    loop {
        let mut best: Option<(f64, usize, usize)> = None;
        for a in 0..n {
            if x[a] - 1 < range[a].0 as i32 || x[a] == 0 { continue; }
            let ga = cv[a].at(x[a] as u32) - cv[a].at((x[a] - 1) as u32);
            for b in 0..n {
                if b == a || x[b] + 1 > range[b].1 as i32 || x[b] + 1 > st[b].docks as i32 { continue; }
                let gb = cv[b].at(x[b] as u32) - cv[b].at((x[b] + 1) as u32);
                let g = ga + gb;
                if g <= 0.02 { continue; }
                let s = g / (d.km(st[a].pos, st[b].pos) + 0.3);
                if best.is_none_or(|bb| s > bb.0) { best = Some((s, a, b)); }
            }
        }
        let Some((_, a, b)) = best else { break };
        let e = flow.entry((a, b)).or_insert(0u32);
        if *e >= cap { break; }
        *e += 1;
        x[a] -= 1;
        x[b] += 1;
        if flow.values().sum::<u32>() > 400 { break; }
    }
    flow.into_iter().map(|((a, b), q)| (a, b, q)).collect()
}

custom_dimension!(JobValue typeof f64);

fn gain_of(st: &[StationNow], cv: &[Dissatisfaction], changes: &[(usize, i32)]) -> f64 {
    let mut x: Vec<i32> = st.iter().map(|s| s.bikes as i32).collect();
    let before: f64 = (0..st.len()).map(|i| cv[i].at(x[i] as u32)).sum();
    for &(i, q) in changes { x[i] += q; }
    let after: f64 = (0..st.len()).map(|i| cv[i].at(x[i].clamp(0, st[i].docks as i32) as u32)).sum();
    before - after
}

fn solve_vrp(st: &[StationNow], cv: &[Dissatisfaction], d: &Driving, vans: &[VanStart], cap: u32, horizon_s: f64, generations: usize) -> GenericResult<(f64, f64)> {
    let mv = moves(st, cv, d, cap);
    // Locations: 0 = the vans' start, then each station.
    let n = st.len() + 1;
    let pos = |l: usize| if l == 0 { vans[0].pos } else { st[l - 1].pos };
    let mut dist = Vec::with_capacity(n * n);
    let mut dur = Vec::with_capacity(n * n);
    for a in 0..n { for b in 0..n { let km = d.km(pos(a), pos(b)); dist.push(km * 1000.0); dur.push(d.drive_s(km)); } }
    let transport: Arc<dyn TransportCost> = Arc::new(SimpleTransportCost::new(dur, dist)?);
    let mut jobs = Vec::new();
    for (k, &(a, b, q)) in mv.iter().enumerate() {
        let value = gain_of(st, cv, &[(a, -(q as i32)), (b, q as i32)]);
        jobs.push(MultiBuilder::default()
            .id(&format!("m{k}"))
            .add_job(SingleBuilder::default().demand(Demand::pudo_pickup(q as i32)).duration(d.handle_s(q))?.location(a + 1)?.build()?)
            .add_job(SingleBuilder::default().demand(Demand::pudo_delivery(q as i32)).duration(d.handle_s(q))?.location(b + 1)?.build()?)
            .dimension(|dm| { dm.set_job_value(value); })
            .build_as_job()?);
    }
    let vehicles: Vec<Vehicle> = (0..vans.len()).map(|i| VehicleBuilder::default().id(&format!("v{i}"))
        .add_detail(VehicleDetailBuilder::default().set_start_location(0).set_start_time(0.).set_end_time(horizon_s).build().expect("detail"))
        .capacity(SingleDimLoad::new(cap as i32)).build().expect("vehicle")).collect();
    let unassigned = MinimizeUnassignedBuilder::new("min-unassigned")
        .set_job_estimator(|_, job| job.dimens().get_job_value().copied().unwrap_or(1.0) * 1000.0)
        .build()?;
    let capacity = CapacityFeatureBuilder::<SingleDimLoad>::new("capacity").build()?;
    let tr = TransportFeatureBuilder::new("min-distance").set_transport_cost(transport.clone()).set_time_constrained(true).build_minimize_distance()?;
    let goal = GoalContextBuilder::with_features(&[unassigned, tr, capacity])?.build()?;
    let problem = Arc::new(ProblemBuilder::default().add_jobs(jobs.into_iter()).add_vehicles(vehicles.into_iter()).with_goal(goal).with_transport_cost(transport).build()?);
    let env = Arc::new(Environment { random: Arc::new(DefaultRandom::new_repeatable()), parallelism: rosomaxa_par(), ..Environment::default() });
    let config = VrpConfigBuilder::new(problem.clone()).set_environment(env).prebuild()?.with_max_generations(Some(generations)).build()?;
    let solution = Solver::new(problem, config).solve()?;
    let mut changes = Vec::new();
    let mut km = 0.0;
    for route in &solution.routes {
        let locs: Vec<usize> = route.tour.all_activities().map(|a| a.place.location).collect();
        for w in locs.windows(2) { km += d.km(pos(w[0]), pos(w[1])); }
        for a in route.tour.all_activities() {
            if let Some(single) = a.job.as_ref() {
                let l = a.place.location;
                if l == 0 { continue; }
                let q = single.dimens.get_job_demand().map(|dm: &Demand<SingleDimLoad>| dm.delivery.1.value - dm.pickup.1.value).unwrap_or(0);
                changes.push((l - 1, q));
            }
        }
    }
    Ok((gain_of(st, cv, &changes), km))
}

fn rosomaxa_par() -> vrp_core::rosomaxa::utils::Parallelism { vrp_core::rosomaxa::utils::Parallelism::new(1, 1) }

fn main() -> GenericResult<()> {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let (n, k, gens) = (args.first().copied().unwrap_or(300), args.get(1).copied().unwrap_or(5), args.get(2).copied().unwrap_or(200));
    let d = Driving::default();
    let now = chrono::Utc.with_ymd_and_hms(2025, 6, 2, 2, 0, 0).single().expect("time");
    println!("instance  heuristic: gain km gain/km time   vrp-core: gain km gain/km time");
    for seed in 0..k as u64 {
        let (st, cv) = instance(n, seed);
        let vans = vec![VanStart { pos: (43.245, 76.925), load: 0, ready_s: 0.0 }; 2];
        let t = Instant::now();
        let p = routes::plan(&PlanInput { now, stations: &st, curves: &cv, vans: &vans, capacity: 20, horizon_s: 7200.0, driving: d, min_gain: routes::MIN_GAIN });
        let th = t.elapsed();
        let changes: Vec<(usize, i32)> = p.routes.iter().flatten().map(|s| (s.station.0 as usize, match s.action { Action::Take(q) => -(q as i32), Action::Leave(q) => q as i32 })).collect();
        let gh = gain_of(&st, &cv, &changes);
        let t = Instant::now();
        let (gv, kv) = solve_vrp(&st, &cv, &d, &vans, 20, 7200.0, gens)?;
        let tv = t.elapsed();
        println!("{seed:>8}  {gh:>9.1} {:>5.1} {:>6.2} {:>6.2}s   {gv:>9.1} {kv:>5.1} {:>6.2} {:>6.2}s", p.km, gh / p.km.max(0.01), th.as_secs_f64(), gv / kv.max(0.01), tv.as_secs_f64());
    }
    Ok(())
}
