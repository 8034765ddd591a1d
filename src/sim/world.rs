//! What the simulator knows of the city: the stations on the map with the counts it last
//! saw, who is out on which bike, riders' homes and workplaces, and the queue of what
//! happens next. It learns only through the `Backend`, like a remote client would.

use super::SimError;
use super::demand;
use super::record::SimRecord;
use super::rng::SimRng;
use super::run::{DepotMode, SimStats};
use super::vans::Vans;
use crate::api::{BResult, BackendError};
use crate::backend::Backend;
use crate::backend::Ops;
use crate::domain::{BikeId, Refusal, RiderId, StationId};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::sync::Arc;

/// Something that will happen.
#[derive(Debug, Clone)]
pub enum Ev {
    /// A rider comes to a station wanting a bike.
    Arrival,
    /// A rider reaches `at` and pushes the bike into a dock.
    Return {
        rider: RiderId,
        bike: BikeId,
        at: usize,
        tries: u8,
        faulty_early: bool,
        /// Pushing the bike in again after a lock error (not a new attempt).
        again: bool,
    },
    /// The simulated desk answers a cable-lock call (R14).
    DeskAuthorise {
        rider: RiderId,
        bike: BikeId,
        at: usize,
    },
    /// The rider tries the cable-lock procedure (with or without a permission yet).
    CableTry {
        rider: RiderId,
        bike: BikeId,
        at: usize,
        waited_min: u32,
    },
    /// The desk ends by hand a rental left in a dock after a lock error.
    DeskEnd {
        rider: RiderId,
        at: usize,
        since: DateTime<Utc>,
    },
    /// Re-read the station counts.
    Refresh,
    /// The depot's night shift.
    Depot,
    /// The vans' shift begins, a van replans, reaches a stop, is done there; the shift ends.
    ShiftStart,
    VanTick,
    VanArrive {
        van: usize,
        at: usize,
    },
    VanDone {
        van: usize,
    },
    ShiftEnd,
    /// Keeps a paced clock moving.
    Tick,
}

/// A station as the simulator last saw it.
#[derive(Debug, Clone)]
pub struct Spot {
    pub id: StationId,
    pub pos: (f64, f64),
    pub active: bool,
    pub docks: u32,
    pub bikes: u32,
    pub free: u32,
}

pub struct World {
    pub b: Arc<dyn Backend>,
    pub rng: SimRng,
    seed: u64,
    pub tz: Tz,
    pub now: DateTime<Utc>,
    queue: BinaryHeap<Reverse<(i64, u64)>>,
    events: BTreeMap<u64, Ev>,
    seq: u64,
    pub spots: Vec<Spot>,
    /// For each station, the active stations by distance (itself first), up to 20.
    pub near: Vec<Vec<usize>>,
    pub riders: i64,
    /// Riders out on a bike (or in a call about one).
    pub on_bike: BTreeMap<RiderId, BikeId>,
    /// Mean seconds between candidate arrivals at the busiest hour.
    arrival_gap_s: f64,
    pub desk_share: f64,
    /// [`SimConfig::desk_wait_s`].
    pub desk_wait_s: i64,
    pub paced: bool,
    /// On a real clock (a server): the backend's time at the start and the wall clock then.
    /// The simulator never moves such a clock; it reads the time from the wall.
    real_clock: Option<(DateTime<Utc>, tokio::time::Instant)>,
    /// The test knob [`SimConfig::rush`].
    pub rush: bool,
    /// Cumulative weights of each station as a home, and as a workplace or outing.
    home_w: Vec<f64>,
    work_w: Vec<f64>,
    /// What the run measures (issue #16).
    pub record: SimRecord,
    pub(super) vans: Option<Vans>,
    pub depot_mode: DepotMode,
    /// Inventory numbers for the bikes the repair shop sends back (maintenance mode).
    pub next_bike: i64,
    pub stats: SimStats,
    /// The tariff in force, for what a pass costs (read once at the start).
    pub tariff: Option<crate::domain::tariff::Tariff>,
}

/// Under [`SimConfig::rush`], no ride or wait for a bike's return lasts longer (seconds).
const RUSH_RIDE_S: i64 = 3;

mod load;

impl World {
    pub fn push_at(&mut self, t: DateTime<Utc>, ev: Ev) {
        self.seq += 1;
        self.queue.push(Reverse((t.timestamp(), self.seq)));
        self.events.insert(self.seq, ev);
    }

    pub fn push_in(&mut self, seconds: i64, ev: Ev) {
        self.push_at(self.now + Duration::seconds(seconds.max(1)), ev);
    }

    pub fn pop(&mut self) -> Option<(DateTime<Utc>, Ev)> {
        let Reverse((t, seq)) = self.queue.pop()?;
        let ev = self.events.remove(&seq)?;
        Some((crate::store::from_ts(t).max(self.now), ev))
    }

    /// Move the backend's clock (and ours) to `t`. On a real clock only ours moves, to the
    /// wall clock's time (the run paces events at real time; the server runs due jobs).
    pub async fn advance(&mut self, t: DateTime<Utc>) -> Result<(), SimError> {
        if let Some((at0, wall0)) = self.real_clock {
            let elapsed = Duration::from_std(wall0.elapsed()).unwrap_or(Duration::zero());
            self.now = self.now.max(at0 + elapsed);
            return Ok(());
        }
        if t > self.now {
            self.stats.backend_calls += 1;
            self.b
                .advance_clock(t)
                .await
                .map_err(SimError::backend("moving the simulated clock"))?;
            self.now = t;
        }
        Ok(())
    }

    /// The local hour of day now (0.0–24.0).
    pub fn hour(&self) -> f64 {
        use chrono::Timelike;
        let local = self.now.with_timezone(&self.tz);
        f64::from(local.hour()) + f64::from(local.minute()) / 60.0
    }

    /// The next time it is `hour`:00 local.
    pub fn next_local(&self, hour: u32) -> DateTime<Utc> {
        let today = crate::domain::time::local_date(self.tz, self.now);
        let mut t =
            crate::domain::time::local_midnight(self.tz, today) + Duration::hours(i64::from(hour));
        while t <= self.now {
            t += Duration::days(1);
        }
        t
    }

    /// Candidate arrivals come at the peak rate; [`World::keep_arrival`] keeps each with
    /// the hour's share of the peak (thinning), which gives the day's shape.
    pub fn schedule_next_arrival(&mut self, after: DateTime<Utc>) {
        let gap = self.rng.exponential(self.arrival_gap_s).ceil() as i64;
        self.push_at(after + Duration::seconds(gap.max(1)), Ev::Arrival);
    }

    /// Decide whether the candidate arrival at `t` happens (before the clock moves there,
    /// so the quiet night costs no backend calls), and schedule the next candidate.
    pub fn keep_arrival(&mut self, t: DateTime<Utc>) -> bool {
        self.schedule_next_arrival(t);
        let (weekend, hour) = {
            use chrono::{Datelike, Timelike};
            let local = t.with_timezone(&self.tz);
            (
                local.weekday().num_days_from_monday() >= 5,
                f64::from(local.hour()) + f64::from(local.minute()) / 60.0,
            )
        };
        self.rush || self.rng.chance(demand::relative_demand(weekend, hour))
    }

    /// How long a ride (or a wait for a bike's return) of `seconds` lasts: as given, or
    /// at most [`RUSH_RIDE_S`] under [`SimConfig::rush`].
    pub fn ride_time(&self, seconds: i64) -> i64 {
        if self.rush {
            seconds.min(RUSH_RIDE_S)
        } else {
            seconds
        }
    }

    /// Whether it is Saturday or Sunday, locally.
    pub fn weekend(&self) -> bool {
        use chrono::Datelike;
        self.now
            .with_timezone(&self.tz)
            .weekday()
            .num_days_from_monday()
            >= 5
    }

    /// A rider's home, workplace and weekend outing: fixed per rider and seed. Homes spread
    /// towards the edges, workplaces and outings gather in the centre, both where the big
    /// stations are ([`demand::home_weight`], [`demand::centre_weight`]).
    pub fn places(&self, rider: RiderId) -> (usize, usize, usize) {
        let mut r = SimRng::new(self.seed ^ (rider.0 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .fork("home");
        let home = demand::pick_weighted(&self.home_w, r.unit());
        let work = demand::pick_weighted(&self.work_w, r.unit());
        let play = demand::pick_weighted(&self.work_w, r.unit());
        (home, work, play)
    }

    /// Station `i` now holds `bikes` bikes a rider can take and `free` free docks.
    pub fn set_counts(&mut self, i: usize, bikes: u32, free: u32) {
        if let Some(s) = self.spots.get_mut(i) {
            s.bikes = bikes;
            s.free = free;
            self.record.occupancy(i, self.now, bikes, free);
        }
    }

    /// Read station `i`'s counts from the backend.
    pub async fn sync_spot(&mut self, i: usize) -> Result<(), SimError> {
        let r = self.b.station(self.spots[i].id).await;
        if let Ok(view) = self.refusal(r, "looking at a station")? {
            let bikes = view
                .bikes
                .iter()
                .filter(|b| b.state == crate::api::BikeState::Docked && !b.faulty)
                .count() as u32;
            self.set_counts(i, bikes, view.station.free_docks);
        }
        Ok(())
    }

    /// Count one backend call and pass its answer on.
    pub fn counted<T>(&mut self, r: BResult<T>) -> BResult<T> {
        self.stats.backend_calls += 1;
        r
    }

    /// A refusal is the rules speaking (the simulation goes on); anything else stops it.
    pub fn refusal<T>(
        &mut self,
        r: BResult<T>,
        doing: &str,
    ) -> Result<Result<T, Refusal>, SimError> {
        match self.counted(r) {
            Ok(v) => Ok(Ok(v)),
            // No rule refuses a rider `forbidden`: the staff session ended or lacks the
            // role (a server's 401/403), and every call after would be refused the same.
            Err(
                e @ BackendError::Refused {
                    kind: Refusal::Forbidden,
                    ..
                },
            ) => Err(SimError::Backend {
                doing: doing.to_string(),
                source: e,
            }),
            Err(BackendError::Refused { kind, .. }) => Ok(Err(kind)),
            Err(BackendError::Conflict { .. }) => Ok(Err(Refusal::BikeUnavailable)),
            Err(e) => Err(SimError::Backend {
                doing: doing.to_string(),
                source: e,
            }),
        }
    }

    /// Re-read the station counts (others move bikes too: the console, the depot).
    pub async fn refresh(&mut self) -> Result<(), SimError> {
        let r = self.b.stations().await;
        let stations = self
            .counted(r)
            .map_err(SimError::backend("listing stations"))?;
        for s in stations {
            if let Some(i) = self.spots.iter().position(|p| p.id == s.id) {
                self.spots[i].active = s.active && s.docks > 0;
                self.set_counts(i, s.bikes.saturating_sub(s.cable_locked), s.free_docks);
            }
        }
        Ok(())
    }

    /// Pick up rentals already open (a history's stragglers, bikes kept long): each is
    /// brought back within a realistic time.
    pub async fn resume_open_rentals(&mut self) -> Result<(), SimError> {
        let r = self.b.open_rentals().await;
        let open = match self.counted(r) {
            Ok(open) => open,
            Err(BackendError::Refused { .. }) => return Ok(()),
            Err(e) => return Err(SimError::backend("listing open rentals")(e)),
        };
        for rental in open {
            self.resume(
                rental.rider,
                rental.bike,
                rental.start_at,
                rental.start_station,
            );
        }
        Ok(())
    }

    /// Bring back a rental the simulator did not start.
    pub fn resume(
        &mut self,
        rider: RiderId,
        bike: BikeId,
        since: DateTime<Utc>,
        from: Option<StationId>,
    ) {
        if self.on_bike.contains_key(&rider) {
            return;
        }
        self.on_bike.insert(rider, bike);
        let out_h = (self.now - since).num_hours();
        let wait = if out_h >= 20 {
            self.rng.between(600, 6 * 3600)
        } else {
            self.rng.between(120, 2400)
        };
        let wait = self.ride_time(wait);
        let from = from
            .and_then(|id| self.spots.iter().position(|s| s.id == id))
            .unwrap_or(0);
        let near = self.near.get(from).cloned().unwrap_or_default();
        let at = self.rng.pick(&near).copied().unwrap_or(from);
        self.push_in(
            wait,
            Ev::Return {
                rider,
                bike,
                at,
                tries: 0,
                faulty_early: false,
                again: false,
            },
        );
    }
}
