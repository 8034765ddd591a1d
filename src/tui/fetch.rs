//! What the console fetches, as jobs (gitui's `AsyncSingleJob`): one request running and
//! one queued per resource; events and keys mark a resource stale, [`App::pump`] starts
//! what is stale and not running, and each reply finishes its job.

use super::app::{App, Reply, View};
use crate::domain::{RiderId, StationId};

/// A resource fetched one request at a time (gitui's `AsyncSingleJob`): events and keys
/// mark it stale; a fetch starts when it is stale and none runs; a need that comes while
/// one runs waits as one queued fetch, whatever the number of needs (the newest wins: the
/// fetch reads the state when it starts).
#[derive(Debug, Default, Clone, Copy)]
pub struct Job {
    pub running: bool,
    pub stale: bool,
}

impl Job {
    pub fn mark(&mut self) {
        self.stale = true;
    }
    /// Whether to start a fetch now; starting takes the stale mark.
    pub fn start(&mut self) -> bool {
        if self.stale && !self.running {
            self.stale = false;
            self.running = true;
            true
        } else {
            false
        }
    }
    pub fn finished(&mut self) {
        self.running = false;
    }
}

/// What the console fetches as jobs.
#[derive(Debug, Default)]
pub struct Jobs {
    pub stations: Job,
    pub alerts: Job,
    pub rider: Job,
    pub station: Job,
    pub clock: Job,
    /// The desk's file (cases, handovers).
    pub desk: Job,
}

impl App {
    /// Everything fetched again (Ctrl-R, back online, after a procedure).
    pub fn refresh_all(&mut self) {
        self.jobs.stations.mark();
        self.jobs.alerts.mark();
        self.jobs.clock.mark();
        self.jobs.desk.mark();
        if self.rider.is_some() {
            self.jobs.rider.mark();
        }
        if self.station.is_some() {
            self.jobs.station.mark();
        }
        if self.view == View::Audit {
            self.request_audit();
        }
        if self.view == View::Rebalance {
            self.request_van();
        }
        self.request_plan();
        self.pump();
    }

    /// Start the fetches that are stale and not running.
    pub fn pump(&mut self) {
        if self.jobs.stations.start() {
            self.last_refresh = Some(self.wall());
            let b = self.backend.clone();
            self.spawn(async move { Reply::Stations(b.stations().await) });
        }
        if self.jobs.alerts.start() {
            let b = self.backend.clone();
            self.spawn(async move { Reply::Alerts(b.alerts().await) });
        }
        if self.jobs.desk.start() {
            let b = self.backend.clone();
            self.spawn(async move { Reply::DeskFile(b.desk_file().await) });
        }
        if self.jobs.clock.start() {
            let b = self.backend.clone();
            self.spawn(async move { Reply::Now(b.now().await) });
        }
        if let Some(id) = self.rider.as_ref().map(|p| p.id)
            && self.jobs.rider.start()
        {
            let b = self.backend.clone();
            self.spawn(async move { Reply::Rider(id, b.rider(id).await) });
        }
        if let Some(id) = self.station.as_ref().map(|p| p.id)
            && self.jobs.station.start()
        {
            let b = self.backend.clone();
            self.spawn(async move { Reply::Station(id, b.station(id).await) });
        }
    }

    pub fn request_rider(&mut self, _id: RiderId) {
        self.jobs.rider.mark();
        self.pump();
    }

    pub fn request_station(&mut self, _id: StationId) {
        self.jobs.station.mark();
        self.pump();
    }
}
