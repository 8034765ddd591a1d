//! The simulator's loop: take the next event in time order, let the simulated clock catch
//! up (paced to real time, accelerated, or as fast as it goes), move the backend's clock
//! there through [`Backend::advance_clock`], handle the event, publish the live figures.
//! On a backend with a real clock (a server) only real time is offered: the loop paces
//! events to the wall clock and never moves the backend's clock.

use super::SimError;
use super::record::SimRecord;
use super::world::{Ev, World};
use crate::backend::Backend;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::sync::watch;

/// How fast simulated time runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Speed {
    /// One simulated second per second.
    RealTime,
    /// This many simulated seconds per second (`--speed 60`: an hour a minute).
    Times(f64),
    /// As fast as the backend answers.
    Max,
}

impl Speed {
    /// `max`, or a positive factor (`1`, `60`, `0.5`).
    pub fn parse(text: &str) -> Result<Speed, String> {
        if text.eq_ignore_ascii_case("max") {
            return Ok(Speed::Max);
        }
        match text.parse::<f64>() {
            Ok(1.0) => Ok(Speed::RealTime),
            Ok(x) if x.is_finite() && x > 0.0 && x <= 1e6 => Ok(Speed::Times(x)),
            _ => Err(format!(
                "{text:?}: expected `max` or a speed-up factor between 0 and 1000000 (e.g. 60)"
            )),
        }
    }

    fn factor(self) -> Option<f64> {
        match self {
            Speed::RealTime => Some(1.0),
            Speed::Times(x) => Some(x),
            Speed::Max => None,
        }
    }
}

/// What to simulate.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Everything the riders decide comes from this seed: the same seed, the same day.
    pub seed: u64,
    pub speed: Speed,
    /// Stop at this simulated time (`None`: until stopped).
    pub until: Option<DateTime<Utc>>,
    /// Share of cable-lock calls (R14) the simulated desk answers; the rest wait for the
    /// human at the console (they show as alerts), and riders give up after 45 minutes.
    pub desk_share: f64,
    /// Seconds of simulated time the simulated desk leaves a cable-lock call to the human
    /// at the console before it answers it (it never answers a call a person took).
    pub desk_wait_s: i64,
    /// Trips a day per bike on the street (ASSUMPTION: 4, a busy city share's turnover).
    pub trips_per_bike: f64,
    /// A test's knob, not an option: every candidate arrival comes whatever the hour, and
    /// rides last a few seconds, so that a short run on a real clock (a server) sees trips
    /// start and end. Arrivals come at most one a second (with a large `trips_per_bike`).
    pub rush: bool,
    /// What the depot does at 03:00.
    pub depot: DepotMode,
    /// Vans that rebalance through the day by a planner (issue #16; none by default).
    pub vans: Option<super::vans::VanSetup>,
}

/// The depot's night at 03:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepotMode {
    /// Today's night shift: repairs, cable-locked bikes collected, full stations emptied
    /// into empty ones.
    Night,
    /// Repairs only, the same under every rebalancing policy: faulty bikes go to repair and
    /// as many come back repaired into the same docks, cable-locked bikes are docked where
    /// they are (or at the nearest station with room). No rebalancing.
    Maintenance,
}

impl SimConfig {
    pub fn new(seed: u64, speed: Speed) -> SimConfig {
        SimConfig {
            seed,
            speed,
            until: None,
            desk_share: 0.75,
            desk_wait_s: 120,
            trips_per_bike: 4.0,
            rush: false,
            depot: DepotMode::Night,
            vans: None,
        }
    }
}

/// Live figures of a run (all counts since it started).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SimStats {
    /// The simulated time reached.
    pub now: Option<DateTime<Utc>>,
    pub events: u64,
    /// Riders who came to a station wanting a bike.
    pub arrivals: u64,
    pub trips_started: u64,
    pub trips_ended: u64,
    /// Riders out on a bike now.
    pub riding: u64,
    /// Riders who found no bike within a short walk and left.
    pub no_bike: u64,
    /// Refused for too little money (R1, D15), no pass (R9), restriction or block (R18).
    pub low_money: u64,
    pub no_pass: u64,
    pub restricted: u64,
    pub payments: u64,
    pub passes_bought: u64,
    /// "Lock error" at a dock (R12): the rental goes on.
    pub lock_errors: u64,
    /// Arrived at a full station.
    pub station_full: u64,
    /// Calls for a cable lock (R14); of them, left for the console.
    pub cable_calls: u64,
    pub calls_for_console: u64,
    pub desk_authorisations: u64,
    pub cable_locks: u64,
    /// Riders who gave up waiting for a cable-lock permission and rode on.
    pub gave_up_waiting: u64,
    /// Rentals the desk ended by hand (a bike left in a dock after a lock error).
    pub ended_by_desk: u64,
    /// Faulty bikes reported (R13 at the start, or at the end of a trip).
    pub faulty: u64,
    /// Bikes kept past 24 hours (R15).
    pub kept_over_24h: u64,
    /// Depot moves at night: bikes rebalanced and bikes taken to repair.
    pub rebalanced: u64,
    pub to_repair: u64,
    /// Refusals the simulator did not expect (a race with the console, a bug).
    pub unexpected: u64,
    pub backend_calls: u64,
}

/// Riders and bikes of a demo city, driven through a [`Backend`] only.
pub struct Simulator {
    backend: Arc<dyn Backend>,
    cfg: SimConfig,
    stats: watch::Sender<SimStats>,
}

impl Simulator {
    pub fn new(backend: Arc<dyn Backend>, cfg: SimConfig) -> Simulator {
        let (stats, _) = watch::channel(SimStats::default());
        Simulator {
            backend,
            cfg,
            stats,
        }
    }

    /// The live figures, updated after every event.
    pub fn stats(&self) -> watch::Receiver<SimStats> {
        self.stats.subscribe()
    }

    /// Run until `cfg.until`, or until `stop` turns true (or its sender is dropped after
    /// sending true). Returns the final figures.
    pub async fn run(self, stop: watch::Receiver<bool>) -> Result<SimStats, SimError> {
        Ok(self.run_recorded(stop).await?.0)
    }

    /// [`Simulator::run`], with the record of every attempt and the stations' occupancy.
    pub async fn run_recorded(
        self,
        mut stop: watch::Receiver<bool>,
    ) -> Result<(SimStats, SimRecord), SimError> {
        sim_accounts(self.backend.as_ref()).await?;
        let mut w = World::load(self.backend.clone(), &self.cfg).await?;
        w.start().await?;
        let factor = self.cfg.speed.factor();
        let sim0 = w.now;
        let wall0 = tokio::time::Instant::now();
        let mut watching = true;
        loop {
            if *stop.borrow() {
                break;
            }
            let Some((t, ev)) = w.pop() else { break };
            // The next event comes after the end: wait for the end (when paced), stop there.
            let end = self.cfg.until.filter(|until| t > *until);
            if end.is_none() && matches!(ev, Ev::Arrival) && !w.keep_arrival(t) {
                continue;
            }
            if let Some(f) = factor {
                let offset = (end.unwrap_or(t) - sim0).num_milliseconds().max(0) as f64 / f;
                let due = wall0 + std::time::Duration::from_millis(offset as u64);
                if watching {
                    tokio::select! {
                        _ = tokio::time::sleep_until(due) => {}
                        changed = stop.changed() => {
                            if changed.is_err() { watching = false; }
                            w.push_at(t, ev);
                            continue;
                        }
                    }
                } else {
                    tokio::time::sleep_until(due).await;
                }
            }
            if let Some(until) = end {
                w.advance(until).await?;
                break;
            }
            w.advance(t).await?;
            w.handle(ev).await?;
            w.stats.events += 1;
            w.stats.now = Some(w.now);
            self.stats.send_replace(w.stats.clone());
        }
        w.stats.now = Some(w.now);
        self.stats.send_replace(w.stats.clone());
        w.record.finish(w.now);
        Ok((w.stats, w.record))
    }
}

impl World {
    /// Schedule the first events: riders arriving, refreshes, the nightly depot, and (when
    /// paced) a tick that keeps the clock moving through quiet minutes.
    async fn start(&mut self) -> Result<(), SimError> {
        self.resume_open_rentals().await?;
        self.schedule_next_arrival(self.now);
        self.push_in(600, Ev::Refresh);
        let depot = self.next_local(3);
        self.push_at(depot, Ev::Depot);
        if let Some(shift) = self.vans.as_ref().map(|v| v.shift()) {
            let (start, end) = (self.next_local(shift.0), self.next_local(shift.1));
            if end < start {
                // Within the shift already: it starts now.
                self.push_in(1, Ev::ShiftStart);
            } else {
                self.push_at(start, Ev::ShiftStart);
            }
        }
        if self.paced {
            self.push_in(15, Ev::Tick);
        }
        Ok(())
    }
}

/// The simulated staff's accounts, added to an in-process city built before they existed
/// (a server's simulation plays every role as its session's account).
async fn sim_accounts(b: &dyn crate::backend::Backend) -> Result<(), SimError> {
    use crate::backend::Ops;
    if b.acting_as().is_some() {
        return Ok(());
    }
    for (name, role) in super::city::DEMO_STAFF {
        if name.starts_with("sim-") && b.staff_role(name).await.is_err() {
            b.add_staff(name, *role)
                .await
                .map_err(SimError::backend("adding the simulated staff"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_parse_with_a_clear_refusal() {
        assert_eq!(Speed::parse("max"), Ok(Speed::Max));
        assert_eq!(Speed::parse("1"), Ok(Speed::RealTime));
        assert_eq!(Speed::parse("60"), Ok(Speed::Times(60.0)));
        assert!(Speed::parse("0").unwrap_err().contains("max"));
        assert!(Speed::parse("fast").is_err());
    }
}
