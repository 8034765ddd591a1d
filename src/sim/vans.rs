//! The depot's vans in the simulation (issue #16): V vans of capacity C drive between
//! stations on a shift, taking bikes out of docks and leaving them elsewhere through the
//! `Backend` as the depot account (`service_release` / `service_dock`), by the stops a
//! [`VanPlanner`] gives. They replan every 15 minutes and whenever a stop is done; a van
//! on its way to a stop finishes it first. At the shift's end the bikes still in a van go
//! into the nearest docks with room.

use super::SimError;
use super::depot::DEPOT;
use super::world::{Ev, World};
use crate::api::BikeState;
use crate::backend::Ops;
use crate::domain::BikeId;
use crate::domain::planning::routes::{Action, Stop, VanStart};
use crate::domain::planning::{Driving, StationNow};
use chrono::{DateTime, Duration, Utc};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// Who decides the vans' stops: given the time, the shift's end, the stations as the
/// backend lists them and where each van is, a list of stops per van.
pub trait VanPlanner: Send {
    fn plan(
        &mut self,
        now: DateTime<Utc>,
        shift_end: DateTime<Utc>,
        stations: &[StationNow],
        vans: &[VanStart],
    ) -> Vec<Vec<Stop>>;
}

/// A planner shared with whoever set the run up (it keeps its own figures).
#[derive(Clone)]
pub struct PlannerHandle(pub Arc<Mutex<dyn VanPlanner>>);

impl std::fmt::Debug for PlannerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PlannerHandle")
    }
}

/// The vans of a run.
#[derive(Debug, Clone)]
pub struct VanSetup {
    pub count: u32,
    pub capacity: u32,
    /// Where the vans start each shift (None: the middle of the active stations).
    pub depot: Option<(f64, f64)>,
    /// Local hours the vans work (ASSUMPTION for the bench: 06–22, two crews a van).
    pub shift: (u32, u32),
    pub driving: Driving,
    pub planner: PlannerHandle,
}

/// How often the vans replan while on shift (seconds).
const REPLAN_S: i64 = 900;

#[derive(Debug)]
pub(super) struct Van {
    pos: (f64, f64),
    bikes: Vec<BikeId>,
    /// The stop it is driving to or working at, and when it will be done there.
    at: Option<(Stop, DateTime<Utc>)>,
    queue: VecDeque<Stop>,
}

#[derive(Debug)]
pub(super) struct Vans {
    setup: VanSetup,
    vans: Vec<Van>,
    depot: (f64, f64),
    pub on_shift: bool,
    shift_end: DateTime<Utc>,
}

impl Vans {
    pub fn new(setup: VanSetup, depot: (f64, f64)) -> Vans {
        let vans = (0..setup.count)
            .map(|_| Van {
                pos: depot,
                bikes: Vec::new(),
                at: None,
                queue: VecDeque::new(),
            })
            .collect();
        Vans {
            setup,
            vans,
            depot,
            on_shift: false,
            shift_end: DateTime::UNIX_EPOCH,
        }
    }
    pub fn shift(&self) -> (u32, u32) {
        self.setup.shift
    }
}

impl World {
    pub(super) async fn shift_start(&mut self) -> Result<(), SimError> {
        let end_h = match &self.vans {
            Some(v) => v.setup.shift.1,
            None => return Ok(()),
        };
        let end = self.next_local(end_h);
        if let Some(v) = self.vans.as_mut() {
            v.on_shift = true;
            v.shift_end = end;
            let depot = v.depot;
            for van in &mut v.vans {
                van.pos = depot;
                van.at = None;
                van.queue.clear();
            }
        }
        self.push_at(end, Ev::ShiftEnd);
        self.push_in(REPLAN_S, Ev::VanTick);
        self.replan().await
    }

    pub(super) async fn van_tick(&mut self) -> Result<(), SimError> {
        if !self.vans.as_ref().is_some_and(|v| v.on_shift) {
            return Ok(());
        }
        self.push_in(REPLAN_S, Ev::VanTick);
        self.replan().await
    }

    /// Ask the planner for every van's stops; idle vans set off at once.
    async fn replan(&mut self) -> Result<(), SimError> {
        let r = self.b.stations().await;
        let stations = self
            .counted(r)
            .map_err(SimError::backend("listing stations"))?;
        let now = self.now;
        let Some(v) = self.vans.as_mut() else {
            return Ok(());
        };
        let views: Vec<StationNow> = stations.iter().map(|s| s.planning_view()).collect();
        let starts: Vec<VanStart> = v
            .vans
            .iter()
            .map(|van| match &van.at {
                Some((stop, done)) => VanStart {
                    pos: van.pos,
                    load: stop.load_after,
                    ready_s: (*done - now).num_seconds().max(0) as f64,
                },
                None => VanStart {
                    pos: van.pos,
                    load: van.bikes.len() as u32,
                    ready_s: 0.0,
                },
            })
            .collect();
        let routes = match v.setup.planner.0.lock() {
            Ok(mut p) => p.plan(now, v.shift_end, &views, &starts),
            Err(_) => return Err(SimError::Setup("the van planner panicked".into())),
        };
        let mut idle = Vec::new();
        for (i, van) in v.vans.iter_mut().enumerate() {
            van.queue = routes.get(i).cloned().unwrap_or_default().into();
            if van.at.is_none() {
                idle.push(i);
            }
        }
        for i in idle {
            self.van_go(i);
        }
        Ok(())
    }

    /// Drive van `i` to its next stop, if it has one.
    fn van_go(&mut self, i: usize) {
        let Some(v) = self.vans.as_mut() else { return };
        let driving = v.setup.driving;
        let Some(van) = v.vans.get_mut(i) else { return };
        let Some(stop) = van.queue.pop_front() else {
            return;
        };
        let Some(spot) = self.spots.iter().position(|s| s.id == stop.station) else {
            return;
        };
        let to = self.spots[spot].pos;
        let km = driving.km(van.pos, to);
        let drive = driving.drive_s(km).ceil() as i64;
        let q = match stop.action {
            Action::Take(q) | Action::Leave(q) => q,
        };
        let done = self.now + Duration::seconds(drive + driving.handle_s(q).ceil() as i64);
        van.pos = to;
        van.at = Some((stop, done));
        self.record.van(km, 0);
        self.push_in(drive, Ev::VanArrive { van: i, at: spot });
    }

    /// Van `i` reached station `at`: take or leave what it can, then work there a while.
    pub(super) async fn van_arrive(&mut self, i: usize, at: usize) -> Result<(), SimError> {
        let Some((stop, _)) = self
            .vans
            .as_ref()
            .and_then(|v| v.vans.get(i))
            .and_then(|van| van.at.clone())
        else {
            return Ok(());
        };
        let cap = self.vans.as_ref().map_or(0, |v| v.setup.capacity) as usize;
        let station = self.spots[at].id;
        let mut handled = 0u32;
        match stop.action {
            Action::Take(q) => {
                let r = self.b.station(station).await;
                let Ok(view) = self.refusal(r, "looking at a station")? else {
                    return self.van_done_in(i, 0);
                };
                let load = self.van_load(i);
                let mut bikes: Vec<(bool, BikeId)> = view
                    .bikes
                    .iter()
                    .filter(|b| {
                        !b.faulty && matches!(b.state, BikeState::Docked | BikeState::CableLocked)
                    })
                    .map(|b| (b.state == BikeState::Docked, b.id))
                    .collect();
                bikes.sort();
                for (_, bike) in bikes
                    .into_iter()
                    .take((q as usize).min(cap.saturating_sub(load)))
                {
                    let r = super::staff(&*self.b, DEPOT).service_release(bike).await;
                    if self.refusal(r, "releasing a bike")?.is_ok() {
                        handled += 1;
                        if let Some(van) = self.vans.as_mut().and_then(|v| v.vans.get_mut(i)) {
                            van.bikes.push(bike);
                        }
                    }
                }
                self.sync_spot(at).await?;
            }
            Action::Leave(q) => {
                for _ in 0..q {
                    let Some(bike) = self
                        .vans
                        .as_mut()
                        .and_then(|v| v.vans.get_mut(i))
                        .and_then(|van| van.bikes.pop())
                    else {
                        break;
                    };
                    let r = super::staff(&*self.b, DEPOT)
                        .service_dock(bike, station)
                        .await;
                    if self.refusal(r, "docking a bike")?.is_ok() {
                        handled += 1;
                    } else {
                        if let Some(van) = self.vans.as_mut().and_then(|v| v.vans.get_mut(i)) {
                            van.bikes.push(bike);
                        }
                        break;
                    }
                }
                self.record.van(0.0, u64::from(handled));
                self.sync_spot(at).await?;
            }
        }
        self.van_done_in(i, handled)
    }

    fn van_load(&self, i: usize) -> usize {
        self.vans
            .as_ref()
            .and_then(|v| v.vans.get(i))
            .map_or(0, |van| van.bikes.len())
    }

    fn van_done_in(&mut self, i: usize, handled: u32) -> Result<(), SimError> {
        let s = self
            .vans
            .as_ref()
            .map_or(0.0, |v| v.setup.driving.handle_s(handled));
        self.push_in(s.ceil() as i64, Ev::VanDone { van: i });
        Ok(())
    }

    /// The stop is done: replan and go on.
    pub(super) async fn van_done(&mut self, i: usize) -> Result<(), SimError> {
        let Some(v) = self.vans.as_mut() else {
            return Ok(());
        };
        let on = v.on_shift;
        if let Some(van) = v.vans.get_mut(i) {
            van.at = None;
        }
        if on { self.replan().await } else { Ok(()) }
    }

    /// The shift ends: bikes still in a van go into the nearest docks with room.
    pub(super) async fn shift_end(&mut self) -> Result<(), SimError> {
        let Some(v) = self.vans.as_mut() else {
            return Ok(());
        };
        v.on_shift = false;
        let start = v.setup.shift.0;
        let driving = v.setup.driving;
        let mut loads: Vec<((f64, f64), Vec<BikeId>)> = Vec::new();
        for van in &mut v.vans {
            van.queue.clear();
            van.at = None;
            loads.push((van.pos, std::mem::take(&mut van.bikes)));
        }
        for (mut pos, mut bikes) in loads {
            let mut order: Vec<usize> = (0..self.spots.len())
                .filter(|&i| self.spots[i].active)
                .collect();
            order.sort_by(|&a, &b| {
                driving
                    .km(pos, self.spots[a].pos)
                    .total_cmp(&driving.km(pos, self.spots[b].pos))
            });
            for at in order {
                if bikes.is_empty() {
                    break;
                }
                if self.spots[at].free == 0 {
                    continue;
                }
                let km = driving.km(pos, self.spots[at].pos);
                pos = self.spots[at].pos;
                let mut docked = 0;
                while let Some(bike) = bikes.pop() {
                    let r = super::staff(&*self.b, DEPOT)
                        .service_dock(bike, self.spots[at].id)
                        .await;
                    if self.refusal(r, "docking a bike")?.is_ok() {
                        docked += 1;
                    } else {
                        bikes.push(bike);
                        break;
                    }
                }
                self.record.van(km, docked);
                self.sync_spot(at).await?;
            }
        }
        let next = self.next_local(start);
        self.push_at(next, Ev::ShiftStart);
        Ok(())
    }
}
