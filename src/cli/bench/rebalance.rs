//! `velodesk bench rebalance`: the depot's van plan (P2) against today's greedy suggested
//! moves done by the same vans (P1) and no rebalancing at all (P0), on the same seeded days
//! of the same city: lost demand (failed rentals and returns per 1,000 attempts), minutes
//! stations spent empty or full, van-km per bike moved, and the planner's time per plan.
//! Each policy runs on its own copy of one city built once (with days of history for the
//! forecast to learn from), through the `Backend`, at speed max.

use super::policies::{Greedy, Planner};
use super::{BenchDir, failed, group, human};
use crate::cli::CliError;
use crate::cli::demo::{Bar, runtime, sim_error};
use crate::cli::demo_args::BenchRebalanceArgs;
use crate::domain::planning::Driving;
use crate::sim::city::{self, CityOptions, Fill};
use crate::sim::{
    DepotMode, Kpis, PlannerHandle, SimConfig, Simulator, Speed, VanPlanner, VanSetup, demo,
};
use chrono::Duration;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The vans' working hours, local (ASSUMPTION: two crews a van, 06:00–22:00).
const SHIFT: (u32, u32) = (6, 22);

struct Outcome {
    name: &'static str,
    kpis: Kpis,
    took: std::time::Duration,
    plans: Vec<std::time::Duration>,
}

pub fn run(a: &BenchRebalanceArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let city_name = match a.city.as_str() {
        "almaty" => "almaty".to_string(),
        "synthetic" => "synthetic:600".to_string(),
        s if s.starts_with("synthetic:") => s.to_string(),
        other => {
            return Err(CliError::input(format!(
                "--city {other:?}: expected almaty, synthetic or synthetic:N"
            )));
        }
    };
    let stations = crate::sim::stations::load(&city_name).map_err(CliError::input)?;
    let dir = BenchDir::new(a.dir.as_deref())?;
    let base = dir.path().join("base.db");
    let mut opts = CityOptions::almaty(a.seed);
    opts.city = city_name.clone();
    opts.riders = a.riders.unwrap_or(if city_name == "almaty" {
        3000
    } else {
        16 * stations.len() as u32
    });
    opts.fill = Fill::Percent(50);
    opts.history_days = a.history_days;
    let driving = Driving::default();
    writeln!(
        out,
        "bench rebalance: {} ({} stations, {} docks), {} riders, fill 50%, {} days of history, {} days per policy at speed max; {} vans × {} bikes, {:02}:00–{:02}:00, {} km/h over great-circle km × {} (2 min a stop, 20 s a bike); database in {}",
        if city_name == "almaty" {
            "the Almaty demo city".to_string()
        } else {
            format!("a synthetic city ({city_name})")
        },
        stations.len(),
        group(stations.iter().map(|s| u64::from(s.station.docks)).sum()),
        group(u64::from(opts.riders)),
        opts.history_days,
        a.days,
        a.vans,
        a.capacity,
        SHIFT.0,
        SHIFT.1,
        driving.speed_kmh,
        driving.road_factor,
        dir.path().display()
    )?;
    let rt = runtime()?;
    let bar = Bar::new();
    let progress = |s: &str, d: u64, t: u64| bar.update(s, d, t);
    let built_at = Instant::now();
    rt.block_on(city::build(&base, &opts, &progress))
        .map_err(sim_error("building the city"))?;
    bar.finish();
    writeln!(out, "  build: {}", human(built_at.elapsed()))?;

    let tz = chrono_tz::Asia::Almaty;
    let tuning = super::policies::Tuning {
        lookahead_h: a.lookahead_h as usize,
        route_h: a.route_h.clamp(0.25, 16.0),
        min_gain: a.min_gain.max(0.0),
    };
    let mut results = Vec::new();
    for name in ["P0", "P1", "P2"] {
        let db = dir.path().join(format!("{name}.db"));
        crate::store::copy_database(&base, &db).map_err(failed("copying the city"))?;
        let greedy = Arc::new(Mutex::new(Greedy {
            capacity: a.capacity,
            driving,
            plan_times: Vec::new(),
        }));
        let planner = Arc::new(Mutex::new(Planner::new(
            db.clone(),
            tz,
            a.capacity,
            driving,
            tuning,
        )));
        let handle: Option<Arc<Mutex<dyn VanPlanner>>> = match name {
            "P1" => Some(greedy.clone()),
            "P2" => Some(planner.clone()),
            _ => None,
        };
        let started = Instant::now();
        let kpis = rt
            .block_on(simulate(&db, a, handle, driving))
            .map_err(sim_error("simulating"))?;
        let took = started.elapsed();
        let plans = match name {
            "P1" => greedy
                .lock()
                .map(|g| g.plan_times.clone())
                .unwrap_or_default(),
            "P2" => planner
                .lock()
                .map(|p| p.plan_times.clone())
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let o = Outcome {
            name: match name {
                "P0" => "P0 no rebalancing",
                "P1" => "P1 greedy moves",
                _ => "P2 van plan",
            },
            kpis,
            took,
            plans,
        };
        print_policy(out, &o)?;
        if name == "P2"
            && let Ok(p) = planner.lock()
        {
            let mut learn = p.learn_times.clone();
            let (m, _) = super::median_p99(&mut learn);
            writeln!(
                out,
                "    forecast learned {} times from the database (median {}), {} failed",
                learn.len(),
                human(m),
                p.learn_errors
            )?;
        }
        results.push(o);
    }
    let (p0, p1, p2) = (&results[0].kpis, &results[1].kpis, &results[2].kpis);
    // A ratio over nothing: equal when both are nothing, else against one unit (a minute, a
    // failure per 1 000, a km), so the line scripts read always holds numbers (a small city
    // that P1 keeps perfectly healthy has no empty or full minute to divide by).
    let ratio = |x: f64, y: f64| match (x > 0.0, y > 0.0) {
        (_, true) => x / y,
        (false, false) => 1.0,
        (true, false) => x,
    };
    let lost = ratio(p2.failures_per_1000(), p1.failures_per_1000());
    let minutes = ratio(p2.empty_full_min(), p1.empty_full_min());
    let per_bike = ratio(p2.km_per_bike(), p1.km_per_bike());
    writeln!(
        out,
        "  P2 tuning: targets look {} h ahead, routes {} h, least gain a stop {} expected failures\n  ratios: P2/P1 failures {:.2}, empty/full minutes {:.2}, van-km per bike {:.2}, healthy share {:.2}; P1/P0 failures {:.2}, empty/full minutes {:.2}; P2/P0 failures {:.2}, empty/full minutes {:.2}",
        tuning.lookahead_h,
        tuning.route_h,
        tuning.min_gain,
        lost,
        minutes,
        per_bike,
        ratio(p2.healthy_share(), p1.healthy_share()),
        ratio(p1.failures_per_1000(), p0.failures_per_1000()),
        ratio(p1.empty_full_min(), p0.empty_full_min()),
        ratio(p2.failures_per_1000(), p0.failures_per_1000()),
        ratio(p2.empty_full_min(), p0.empty_full_min()),
    )?;
    let mean_docks = stations
        .iter()
        .map(|s| f64::from(s.station.docks))
        .sum::<f64>()
        / stations.len().max(1) as f64;
    writeln!(
        out,
        "  Fricker–Gast check (P0): stations empty or full {:.1}% of station-minutes, 2/(capacity+1) = {:.1}% at the mean capacity {:.1}",
        p0.trouble_share() * 100.0,
        200.0 / (mean_docks + 1.0),
        mean_docks
    )?;
    let mut plans = results[2].plans.clone();
    let p95 = percentile(&mut plans, 0.95);
    writeln!(
        out,
        "rebalance: lost demand P2/P1 {lost:.2}, empty/full minutes P2/P1 {minutes:.2}, van-km per bike P2/P1 {per_bike:.2}, plan p95 {:.2} s",
        p95.as_secs_f64()
    )?;
    Ok(ExitCode::SUCCESS)
}

async fn simulate(
    db: &Path,
    a: &BenchRebalanceArgs,
    planner: Option<Arc<Mutex<dyn VanPlanner>>>,
    driving: Driving,
) -> Result<Kpis, crate::sim::SimError> {
    let backend = demo::open(db).await?;
    let now = backend
        .now()
        .await
        .map_err(crate::sim::SimError::backend("reading the clock"))?;
    let mut cfg = SimConfig::new(a.seed, Speed::Max);
    cfg.until = Some(now + Duration::days(i64::from(a.days)));
    cfg.depot = DepotMode::Maintenance;
    cfg.vans = planner.map(|p| VanSetup {
        count: a.vans,
        capacity: a.capacity,
        depot: None,
        shift: SHIFT,
        driving,
        planner: PlannerHandle(p),
    });
    let (_stop, stop) = tokio::sync::watch::channel(false);
    let (_, record) = Simulator::new(backend, cfg).run_recorded(stop).await?;
    Ok(record.kpis)
}

/// The nearest-rank percentile of a sample.
fn percentile(samples: &mut [std::time::Duration], p: f64) -> std::time::Duration {
    if samples.is_empty() {
        return std::time::Duration::ZERO;
    }
    samples.sort_unstable();
    let r = ((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
    samples[r - 1]
}

fn print_policy(out: &mut dyn Write, o: &Outcome) -> Result<(), CliError> {
    let k = &o.kpis;
    writeln!(
        out,
        "  {}: rentals tried {} (failed {}, of them walked away {}), returns tried {} (failed {}, cable-lock calls {}); failed per 1 000 attempts {:.1}",
        o.name,
        group(k.rent_attempts),
        group(k.rent_failed),
        group(k.rentals_lost),
        group(k.return_attempts),
        group(k.return_failed),
        group(k.cable_calls),
        k.failures_per_1000()
    )?;
    writeln!(
        out,
        "    empty {} min, full {} min (episodes over 10 min, 06–22); empty or full at all {:.1}% and with ≥2 bikes and ≥2 free docks {:.1}% of station-minutes; van-km {:.0}, bikes moved {}, km per bike {:.2}; simulated in {}",
        group(k.empty_min.round() as u64),
        group(k.full_min.round() as u64),
        k.trouble_share() * 100.0,
        k.healthy_share() * 100.0,
        k.van_km,
        group(k.bikes_moved),
        k.km_per_bike(),
        human(o.took)
    )?;
    if !o.plans.is_empty() {
        let mut p = o.plans.clone();
        let (m, _) = super::median_p99(&mut p);
        let p95 = percentile(&mut p, 0.95);
        writeln!(
            out,
            "    plans {}: median {}, p95 {}",
            group(p.len() as u64),
            human(m),
            human(p95)
        )?;
    }
    Ok(())
}
