//! The rebalancing policies `velodesk bench rebalance` compares, as van planners for the
//! simulator: P1 today's greedy suggested moves (take N from the station farthest above its
//! fixed target fill to the nearest below, one move per van at a time), P2 the depot planner
//! (forecast learned from the database each night, look-ahead targets, routes). Both time
//! every plan they make.

use crate::domain::StationId;
use crate::domain::planning::forecast::Forecast;
use crate::domain::planning::greedy;
use crate::domain::planning::routes::{self, Action, PlanInput, Stop, VanStart};
use crate::domain::planning::targets::Dissatisfaction;
use crate::domain::planning::{Driving, StationNow};
use crate::sim::VanPlanner;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use std::path::PathBuf;
use std::time::Instant;

/// How far P2 looks: hours the targets look ahead, the longest a route is planned for (it
/// is replanned every 15 minutes anyway), and the least gain worth a stop.
#[derive(Debug, Clone, Copy)]
pub struct Tuning {
    pub lookahead_h: usize,
    pub route_h: f64,
    pub min_gain: f64,
}
/// Days of trips the forecast learns from.
pub const LEARN_DAYS: i64 = 28;

/// P1: the console's suggested moves, carried out by the vans.
pub struct Greedy {
    pub capacity: u32,
    pub driving: Driving,
    pub plan_times: Vec<std::time::Duration>,
}

impl VanPlanner for Greedy {
    fn plan(
        &mut self,
        now: DateTime<Utc>,
        _end: DateTime<Utc>,
        stations: &[StationNow],
        vans: &[VanStart],
    ) -> Vec<Vec<Stop>> {
        let started = Instant::now();
        let moves = greedy::moves(stations, 500);
        let pos = |id: StationId| stations.iter().find(|s| s.id == id).map(|s| s.pos);
        let mut used: Vec<StationId> = Vec::new();
        let mut out = Vec::new();
        for v in vans {
            let d = &self.driving;
            let mut route = Vec::new();
            let mut t = v.ready_s;
            let mut at = v.pos;
            let stop = |route: &mut Vec<Stop>,
                        id: StationId,
                        action: Action,
                        load: u32,
                        t: &mut f64,
                        at: &mut (f64, f64)| {
                let p = pos(id).unwrap_or(*at);
                *t += d.drive_s(d.km(*at, p));
                *at = p;
                route.push(Stop {
                    station: id,
                    action,
                    arrive: now + Duration::seconds(*t as i64),
                    load_after: load,
                });
                let q = match action {
                    Action::Take(q) | Action::Leave(q) => q,
                };
                *t += d.handle_s(q);
            };
            if v.load > 0 {
                // Carrying bikes: to the nearest station short of bikes.
                let best = moves
                    .iter()
                    .filter(|m| !used.contains(&m.to))
                    .filter_map(|m| Some((d.km(v.pos, pos(m.to)?), m)))
                    .min_by(|a, b| a.0.total_cmp(&b.0));
                if let Some((_, m)) = best {
                    let short = stations
                        .iter()
                        .find(|s| s.id == m.to)
                        .map_or(0, |s| (-greedy::deviation(s)).max(0) as u32);
                    let q = v.load.min(short.max(1));
                    used.push(m.to);
                    stop(
                        &mut route,
                        m.to,
                        Action::Leave(q),
                        v.load - q,
                        &mut t,
                        &mut at,
                    );
                }
            } else if let Some(m) = moves
                .iter()
                .find(|m| !used.contains(&m.from) && !used.contains(&m.to))
            {
                let q = (m.n.max(0) as u32).min(self.capacity);
                used.push(m.from);
                used.push(m.to);
                stop(&mut route, m.from, Action::Take(q), q, &mut t, &mut at);
                stop(&mut route, m.to, Action::Leave(q), 0, &mut t, &mut at);
            }
            out.push(route);
        }
        self.plan_times.push(started.elapsed());
        out
    }
}

/// P2: the depot planner on what the database holds.
pub struct Planner {
    pub db: PathBuf,
    pub tz: Tz,
    pub capacity: u32,
    pub driving: Driving,
    pub forecast: Forecast,
    pub tuning: Tuning,
    learned_on: Option<NaiveDate>,
    pub plan_times: Vec<std::time::Duration>,
    pub learn_times: Vec<std::time::Duration>,
    pub learn_errors: u32,
}

impl Planner {
    pub fn new(db: PathBuf, tz: Tz, capacity: u32, driving: Driving, tuning: Tuning) -> Planner {
        Planner {
            db,
            tz,
            capacity,
            driving,
            forecast: Forecast::default(),
            tuning,
            learned_on: None,
            plan_times: Vec::new(),
            learn_times: Vec::new(),
            learn_errors: 0,
        }
    }

    /// Learn the forecast again once a day, from the last [`LEARN_DAYS`] of trips.
    fn learn(&mut self, now: DateTime<Utc>) {
        let today = crate::domain::time::local_date(self.tz, now);
        if self.learned_on == Some(today) {
            return;
        }
        let started = Instant::now();
        match crate::store::planning::read_demand_facts(
            &self.db,
            now - Duration::days(LEARN_DAYS),
            now,
        ) {
            Ok(facts) => self.forecast = Forecast::learn(self.tz, &facts),
            Err(_) => self.learn_errors += 1,
        }
        self.learned_on = Some(today);
        self.learn_times.push(started.elapsed());
    }
}

impl Planner {
    /// The plan itself (pure but for the timing around it): targets from the forecast,
    /// then routes.
    pub fn plan_routes(
        &self,
        now: DateTime<Utc>,
        end: DateTime<Utc>,
        stations: &[StationNow],
        vans: &[VanStart],
    ) -> routes::Plan {
        let t = self.tuning;
        let curves: Vec<Dissatisfaction> = stations
            .iter()
            .map(|s| {
                Dissatisfaction::compute(s.docks, &self.forecast.ahead(s.id, now, t.lookahead_h))
            })
            .collect();
        let horizon_s = ((end - now).num_seconds() as f64).min(t.route_h * 3600.0);
        routes::plan(&PlanInput {
            now,
            stations,
            curves: &curves,
            vans,
            capacity: self.capacity,
            horizon_s,
            driving: self.driving,
            min_gain: t.min_gain,
        })
    }
}

impl VanPlanner for Planner {
    fn plan(
        &mut self,
        now: DateTime<Utc>,
        end: DateTime<Utc>,
        stations: &[StationNow],
        vans: &[VanStart],
    ) -> Vec<Vec<Stop>> {
        self.learn(now);
        let started = Instant::now();
        let p = self.plan_routes(now, end, stations, vans);
        self.plan_times.push(started.elapsed());
        p.routes
    }
}
