//! The depot's van plan in the engine (issue #16): facts from the store (stations now, the
//! trips and station states the forecast learns from, where each van is and what it
//! holds), decisions from the pure planner (`domain::planning`), one plan kept for every
//! console of the system. It is computed when asked and kept with its facts' time; it is
//! computed again when asked after [`REPLAN_S`], when asked afresh, and after a van's stop
//! (which drops it). A van's stop takes, leaves and sends to repair in one audited write.

use super::{Engine, Event, Result, refuse};
use crate::api::{
    AtRisk, BikeState, PlannedStop, RebalancePlan, VanRoute, VanStopDone, VanStopRequest,
};
use crate::domain::planning::forecast::Forecast;
use crate::domain::planning::routes::{self, Action, PlanInput, VanStart};
use crate::domain::planning::targets::Dissatisfaction;
use crate::domain::planning::{Driving, StationNow, risk};
use crate::domain::roles::{Role, StaffAction};
use crate::domain::time::local_date;
use crate::domain::{BikeId, Refusal};
use crate::store::people::{self, Staff};
use crate::store::{fleet, planning};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::Connection;

/// The plan is computed again when asked this long after its facts.
pub const REPLAN_S: i64 = 15 * 60;
/// Hours the targets look ahead, and the longest a route is planned for.
pub const LOOKAHEAD_H: usize = 4;
pub const ROUTE_H: f64 = 2.0;
/// Days of trips the forecast learns from (learned again each local day).
pub const LEARN_DAYS: i64 = 28;
/// A station is at risk when it is expected to turn away this many riders within the hour.
pub const RISK_MIN: f64 = 0.5;
const RISK_SHOWN: usize = 30;

/// The plan and the forecast it was computed from, kept between look-ups.
#[derive(Default)]
pub(super) struct Cache {
    forecast: Option<(NaiveDate, Forecast)>,
    plan: Option<RebalancePlan>,
}

/// The van a depot staff member drives: the active depot staff in alphabetical order take
/// vans 1, 2, … in turn (more staff than vans share them). Anyone else drives none.
fn van_of(c: &Connection, staff: &Staff, vans: u32) -> Result<Option<u32>> {
    if staff.role != Role::Depot || vans == 0 {
        return Ok(None);
    }
    let depot = drivers(c)?;
    Ok(depot
        .iter()
        .position(|n| *n == staff.name)
        .map(|i| (i as u32 % vans) + 1))
}

/// The active depot staff, alphabetically (who drives which van, [`van_of`]).
fn drivers(c: &Connection) -> Result<Vec<String>> {
    Ok(people::all_staff(c)?
        .into_iter()
        .filter(|s| s.role == Role::Depot && !s.disabled)
        .map(|s| s.name)
        .collect())
}

impl Engine {
    /// The depot's van plan as it stands (depot staff, supervisors, admins), with the asker's
    /// own van marked. `fresh` computes it again now.
    pub fn rebalance_plan(&mut self, by: &str, fresh: bool) -> Result<RebalancePlan> {
        let vans = self.settings.vans;
        let yours = self.read(|ctx, c| {
            let s = ctx.authorise(c, by, StaffAction::ViewPlan)?;
            van_of(c, &s, vans)
        })?;
        let now = self.now();
        let current = self
            .plan
            .plan
            .take()
            .filter(|p| !fresh && p.computed_at <= now && now < p.next_at);
        let mut plan = match current {
            Some(p) => p,
            None => self.compute_plan(now)?,
        };
        self.plan.plan = Some(plan.clone());
        plan.yours = yours;
        Ok(plan)
    }

    fn compute_plan(&mut self, now: DateTime<Utc>) -> Result<RebalancePlan> {
        let tz = self.time_zone();
        let today = local_date(tz, now);
        let known = self.plan.forecast.take().filter(|(d, _)| *d == today);
        let forecast = match known {
            Some((_, f)) => f,
            None => {
                let facts = self.read(|_, c| {
                    // The last LEARN_DAYS, or since the first trip when the system is younger
                    // (a demo city with two days of history): its empty days are no evidence.
                    let from = (now - Duration::days(LEARN_DAYS))
                        .max(planning::first_trip(c)?.unwrap_or(now));
                    Ok(planning::demand_facts(c, from, now)?)
                })?;
                Forecast::learn(tz, &facts)
            }
        };
        let (vans, capacity) = (self.settings.vans, self.settings.van_capacity);
        let facts = self.read(|_, c| {
            let stations: Vec<StationNow> = fleet::stations(c)?
                .iter()
                .map(|s| s.planning_view())
                .collect();
            let mut places = Vec::new();
            for v in 1..=vans {
                let at = planning::van_place(c, v)?.map(|p| p.0);
                places.push((v, at, planning::van_bikes(c, v)?));
            }
            Ok((stations, places, drivers(c)?))
        })?;
        let (stations, places, drivers) = facts;
        let depot = depot(&stations);
        let pos = |at: Option<crate::domain::StationId>| {
            at.and_then(|id| stations.iter().find(|s| s.id == id))
                .map_or(depot, |s| s.pos)
        };
        let starts: Vec<VanStart> = places
            .iter()
            .map(|(_, at, bikes)| VanStart {
                pos: pos(*at),
                load: bikes.len() as u32,
                ready_s: 0.0,
            })
            .collect();
        let curves: Vec<Dissatisfaction> = stations
            .iter()
            .map(|s| Dissatisfaction::compute(s.docks, &forecast.ahead(s.id, now, LOOKAHEAD_H)))
            .collect();
        let planned = routes::plan(&PlanInput {
            now,
            stations: &stations,
            curves: &curves,
            vans: &starts,
            capacity,
            horizon_s: ROUTE_H * 3600.0,
            driving: Driving::default(),
            min_gain: routes::MIN_GAIN,
        });
        let mut at_risk: Vec<AtRisk> = stations
            .iter()
            .filter(|s| s.active && s.docks > 0)
            .filter_map(|s| {
                let (empty, full) =
                    risk::expected_failures(s.docks, s.bikes, &forecast.ahead(s.id, now, 1));
                (empty + full >= RISK_MIN).then_some(AtRisk {
                    station: s.id,
                    empty,
                    full,
                })
            })
            .collect();
        at_risk.sort_by(|a, b| {
            (b.empty + b.full)
                .total_cmp(&(a.empty + a.full))
                .then(a.station.cmp(&b.station))
        });
        at_risk.truncate(RISK_SHOWN);
        let vans_out = places
            .into_iter()
            .enumerate()
            .map(|(i, (van, at, bikes))| VanRoute {
                van,
                capacity,
                at,
                bikes,
                driver: {
                    let names: Vec<&str> = drivers
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| (*k as u32 % vans.max(1)) + 1 == van)
                        .map(|(_, n)| n.as_str())
                        .collect();
                    (!names.is_empty()).then(|| names.join(", "))
                },
                stops: planned
                    .routes
                    .get(i)
                    .map(|r| {
                        r.iter()
                            .map(|s| {
                                let (take, leave) = match s.action {
                                    Action::Take(q) => (q, 0),
                                    Action::Leave(q) => (0, q),
                                };
                                PlannedStop {
                                    station: s.station,
                                    take,
                                    leave,
                                    arrive: s.arrive,
                                    load_after: s.load_after,
                                }
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect();
        self.plan.forecast = Some((today, forecast));
        Ok(RebalancePlan {
            computed_at: now,
            next_at: now + Duration::seconds(REPLAN_S),
            vans: vans_out,
            avoided: planned.gain,
            km: planned.km,
            lookahead_h: LOOKAHEAD_H as u32,
            at_risk,
            yours: None,
        })
    }

    /// A van's stop (depot staff with their own van, admins with any): the faulty bikes
    /// named go to repair, the van's bikes named into free docks, the station's bikes named
    /// into the van — all or nothing, one audit record. The plan is computed again after it.
    pub(super) fn van_stop_by(&mut self, s: &Staff, req: &VanStopRequest) -> Result<VanStopDone> {
        let (vans, capacity) = (self.settings.vans, self.settings.van_capacity);
        let done = self.write(|ctx, c| {
            let (van, station) = (req.van, req.station);
            if van == 0 || van > vans {
                return refuse(
                    Refusal::Invalid,
                    format!("there is no van {van}: the depot has vans 1 to {vans}"),
                );
            }
            if s.role == Role::Depot {
                let own = van_of(c, s, vans)?;
                if own != Some(van) {
                    let yours = own.map_or("none".to_string(), |v| v.to_string());
                    return refuse(
                        Refusal::Forbidden,
                        format!("van {van} is not {}'s (theirs: {yours})", s.name),
                    );
                }
            }
            ctx.station(c, station)?;
            let all: Vec<BikeId> = req
                .repair
                .iter()
                .chain(&req.leave)
                .chain(&req.take)
                .copied()
                .collect();
            if all.is_empty() {
                return refuse(
                    Refusal::Invalid,
                    "a stop takes, leaves or sends to repair at least one bike",
                );
            }
            let mut sorted = all.clone();
            sorted.sort();
            sorted.dedup();
            if sorted.len() != all.len() {
                return refuse(Refusal::Invalid, "a bike is named twice in the stop");
            }
            let mut load = planning::van_bikes(c, van)?;
            let after = load.len() + req.take.len();
            if after.saturating_sub(req.leave.len()) > capacity as usize {
                return refuse(
                    Refusal::Invalid,
                    format!(
                        "van {van} holds {capacity} bikes: it has {} and would have {}",
                        load.len(),
                        after.saturating_sub(req.leave.len())
                    ),
                );
            }
            let at_station = |bike: BikeId| -> Result<crate::api::Bike> {
                match fleet::bike(c, bike)? {
                    Some(b)
                        if b.station == Some(station)
                            && matches!(b.state, BikeState::Docked | BikeState::CableLocked) =>
                    {
                        Ok(b)
                    }
                    Some(b) => refuse(
                        Refusal::BikeUnavailable,
                        format!(
                            "bike {bike} is {}, not at station {station}",
                            b.state.as_str()
                        ),
                    ),
                    None => refuse(Refusal::NotFound, format!("no bike {bike}")),
                }
            };
            for &bike in &req.repair {
                if !at_station(bike)?.faulty {
                    return refuse(
                        Refusal::Invalid,
                        format!("bike {bike} is not faulty: take it or leave it"),
                    );
                }
                fleet::set_bike_state(c, bike, BikeState::Repair, None, ctx.now)?;
                fleet::set_bike_faulty(c, bike, false)?;
                fleet::cancel_unlocks(c, Some(bike), None, ctx.now, Refusal::BikeUnavailable)?;
            }
            for &bike in &req.leave {
                if !load.contains(&bike) {
                    return refuse(
                        Refusal::BikeUnavailable,
                        format!("bike {bike} is not in van {van}"),
                    );
                }
                let Some(dock) = fleet::free_dock(c, station)? else {
                    return refuse(
                        Refusal::StationFull,
                        format!("station {station} has no free dock for bike {bike}"),
                    );
                };
                fleet::dock_bike(c, bike, station, dock, ctx.now)?;
                load.retain(|b| *b != bike);
            }
            for &bike in &req.take {
                if at_station(bike)?.faulty {
                    return refuse(
                        Refusal::Invalid,
                        format!("bike {bike} is faulty: send it to repair"),
                    );
                }
                fleet::set_bike_state(c, bike, BikeState::Van, None, ctx.now)?;
                fleet::cancel_unlocks(c, Some(bike), None, ctx.now, Refusal::BikeUnavailable)?;
                planning::load_into_van(c, van, bike)?;
                load.push(bike);
            }
            planning::set_van_place(c, van, station, ctx.now)?;
            let list = |v: &[BikeId]| {
                v.iter()
                    .map(|b| b.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            ctx.audit(
                c,
                s,
                StaffAction::VanStop,
                None,
                &format!("van {van} at station {station}"),
                "",
                &format!(
                    "took {} [{}], left {} [{}], to repair {} [{}], van holds {}",
                    req.take.len(),
                    list(&req.take),
                    req.leave.len(),
                    list(&req.leave),
                    req.repair.len(),
                    list(&req.repair),
                    load.len()
                ),
            )?;
            ctx.emit(Event::StationChanged { station });
            Ok(VanStopDone {
                van,
                station,
                taken: req.take.len() as u32,
                left: req.leave.len() as u32,
                repaired: req.repair.len() as u32,
                load: load.len() as u32,
            })
        })?;
        // The stop changed the facts: the next look computes the plan again.
        self.plan.plan = None;
        Ok(done)
    }
}

/// Where a van with no stop yet starts: the middle of the active stations (ASSUMPTION: the
/// depot's yard is central, as the bench's vans are).
fn depot(stations: &[StationNow]) -> (f64, f64) {
    let active: Vec<&StationNow> = stations.iter().filter(|s| s.active).collect();
    if active.is_empty() {
        return (0.0, 0.0);
    }
    let n = active.len() as f64;
    (
        active.iter().map(|s| s.pos.0).sum::<f64>() / n,
        active.iter().map(|s| s.pos.1).sum::<f64>() / n,
    )
}
