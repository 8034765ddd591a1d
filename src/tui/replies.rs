//! What the console does with what comes back: ticks (the live clock, periodic refresh),
//! live events (which views to refresh), and the backend's replies (newest search only,
//! stations re-sorted with the selection kept, procedures' outcomes).

use super::app::{App, Col, Reply, Severity, StationStatus, View, fill_pct};
use super::text::{T, fill};
use crate::api::BackendError;
use crate::api::Event;
use crate::api::StationCounts;
use crate::domain::StationId;
use std::collections::HashMap;
use std::time::Duration;

/// How often an idle console takes one look at the system.
pub const LOOK_EVERY: Duration = Duration::from_secs(10);

impl App {
    /// A second passed: fetch what is stale. Nothing is fetched just because time passed,
    /// but for one look every 10 s (rotating: the clock, the stations, the alerts, so that
    /// what changes with time alone — an overdue rental — shows) and an open rental's
    /// price each minute; the clock is extrapolated between its reads.
    pub(super) fn on_tick(&mut self) {
        let wall = self.wall();
        let since = self.last_refresh.map(|t| wall.duration_since(t));
        if since.is_none_or(|d| d >= LOOK_EVERY) {
            self.last_refresh = Some(wall);
            self.look = self.look.wrapping_add(1);
            match self.look % 3 {
                0 => self.jobs.clock.mark(),
                1 => self.jobs.stations.mark(),
                _ => self.jobs.alerts.mark(),
            }
            if self.look.is_multiple_of(30) {
                self.request_replication();
            }
            // The plan, where it is shown (the engine recomputes it every 15 minutes).
            self.request_plan();
        } else if std::mem::take(&mut self.depot.dirty) {
            self.request_plan();
        }
        if !self.info.on_server() && self.info.simulated_clock {
            // An in-process simulated clock is read every second: reading costs nothing
            // and its speed may change.
            self.jobs.clock.mark();
        }
        if let Some(p) = &self.rider
            && let Some(fetched) = p.fetched
            && p.view.as_ref().is_some_and(|v| v.open_rental.is_some())
            && wall.duration_since(fetched) >= Duration::from_secs(60)
        {
            self.jobs.rider.mark();
        }
        if let Some(due) = self.search_due
            && wall >= due
        {
            self.search_now();
        }
        self.pump();
        let now = self.clock_now().unwrap_or_else(chrono::Utc::now);
        if let Some(f) = &mut self.dialog {
            f.tick(now);
        }
        self.stations
            .flash
            .retain(|_, t| wall.duration_since(*t) < Duration::from_millis(1500));
    }

    /// A live event marks what it changes as stale; the next tick fetches it (one fetch
    /// for a burst of events).
    pub(super) fn on_event(&mut self, e: Event) {
        self.last_update = Some(self.wall());
        self.disconnected = None;
        match &e {
            Event::StationChanged { station } => {
                self.jobs.stations.mark();
                self.jobs.alerts.mark();
                self.depot.dirty |= self.depot.plans(*station);
                if self.station.as_ref().is_some_and(|p| p.id == *station) {
                    self.jobs.station.mark();
                }
            }
            Event::Alert { .. } => self.jobs.alerts.mark(),
            Event::RentalStarted { rider, .. }
            | Event::RentalEnded { rider, .. }
            | Event::RiderChanged { rider } => {
                self.jobs.alerts.mark();
                if self.rider.as_ref().is_some_and(|p| p.id == *rider) {
                    self.jobs.rider.mark();
                }
                if self.riders.hits.iter().any(|h| h.id == *rider) {
                    // The search's answer shows the rider: it is asked again.
                    self.riders.seq += 1;
                    self.search_due = Some(self.wall());
                }
            }
            Event::LedgerPosted { rider, .. } => {
                self.jobs.alerts.mark();
                if let (Some(p), Some(r)) = (&self.rider, rider)
                    && p.id == *r
                {
                    self.jobs.rider.mark();
                }
                if let Some(r) = rider
                    && self.riders.hits.iter().any(|h| h.id == *r)
                {
                    self.riders.seq += 1;
                    self.search_due = Some(self.wall());
                }
            }
        }
        if let Some(f) = &mut self.dialog
            && let Some(bike) = f.on_event(&e)
        {
            // Docked or cable-locked: the bike's state says which.
            let (b, seq) = (self.backend.clone(), f.seq);
            self.spawn(async move { Reply::CableBike(seq, b.bike(bike).await) });
        }
    }

    fn failed(&mut self, e: &BackendError) {
        if matches!(e, BackendError::Unavailable { .. }) {
            self.disconnected = Some(e.to_string());
        }
        let text = super::text::describe(e, self.opts.lang);
        self.set_status(text, Severity::Error);
    }

    pub(super) fn on_reply(&mut self, r: Reply) {
        match r {
            Reply::Now(res) => {
                self.jobs.clock.finished();
                match res {
                    Ok(now) => {
                        self.started.get_or_insert(now);
                        self.set_clock(now)
                    }
                    Err(e) => self.failed(&e),
                }
            }
            Reply::Role(Ok(role)) => {
                self.role = Some(role);
                self.request_replication();
                self.request_plan();
            }
            Reply::Replication(Ok(r)) => self.replication = r,
            // The link's state says why; the last answer stands meanwhile.
            Reply::Replication(Err(_)) => {}
            Reply::Desk(Ok(d)) => {
                self.tariff = d.tariff().ok();
                self.desk = Some(d);
            }
            Reply::Stations(res) => {
                self.jobs.stations.finished();
                match res {
                    Ok(rows) => {
                        self.last_update = Some(self.wall());
                        self.disconnected = None;
                        self.set_stations(rows);
                    }
                    Err(e) => self.failed(&e),
                }
            }
            Reply::Station(id, res) => {
                self.jobs.station.finished();
                match res {
                    Ok(v) => {
                        if let Some(p) = &mut self.station
                            && p.id == id
                        {
                            p.view = Some(v);
                        }
                    }
                    Err(e) => self.failed(&e),
                }
            }
            Reply::Search(seq, res) => {
                // Only the newest query's answer is shown; older ones are dropped.
                if seq >= self.riders.shown && seq == self.riders.seq {
                    self.riders.shown = seq;
                    match res {
                        Ok(h) => {
                            self.riders.hits = h;
                            // A new query's answer starts at its top.
                            let keys = self.riders.keys();
                            self.riders.selected.pick(&keys, 0);
                        }
                        Err(e) => self.failed(&e),
                    }
                }
            }
            Reply::Rider(id, res) => {
                self.jobs.rider.finished();
                match res {
                    Ok(v) => {
                        let wall = self.wall();
                        if let Some(p) = &mut self.rider
                            && p.id == id
                        {
                            p.view = Some(v);
                            p.fetched = Some(wall);
                        }
                    }
                    Err(e) => self.failed(&e),
                }
            }
            Reply::DeskFile(res) => {
                self.jobs.desk.finished();
                match res {
                    Ok(file) => {
                        let shown = super::views::cases::keys(self);
                        self.cases_sel.hold(&shown);
                        let waiting = file.handovers.first().map(|h| h.staff.clone());
                        self.desk_file = Some(file);
                        // The next person at the desk sees the handover first.
                        if let Some(who) = waiting
                            && !self.handover_shown
                        {
                            self.handover_shown = true;
                            if self.dialog.is_none() && self.stack.is_empty() {
                                self.view = View::Cases;
                                let keys = super::views::cases::keys(self);
                                self.cases_sel.pick(&keys, 0);
                            }
                            let text = fill(self.t(T::HandoverWaiting), &[&who]);
                            self.set_status(text, Severity::Info);
                        }
                    }
                    // Not a desk role (the depot), or an older server: no desk file.
                    Err(_) => self.desk_file = None,
                }
            }
            Reply::Call(who, res) => match res {
                Ok(hits) if hits.len() == 1 => {
                    let id = hits[0].id;
                    self.open_rider(id);
                    self.open_call_contact(id);
                }
                Ok(hits) if hits.is_empty() => {
                    let text = fill(self.t(T::CallNotFound), &[&who]);
                    self.set_status(text, Severity::Error);
                }
                Ok(hits) => {
                    let text = fill(self.t(T::CallMany), &[&hits.len(), &who]);
                    self.set_status(text, Severity::Error);
                }
                Err(e) => self.failed(&e),
            },
            Reply::Alerts(res) => {
                self.jobs.alerts.finished();
                match res {
                    Ok(a) => {
                        self.last_update = Some(self.wall());
                        let shown = self.alert_keys();
                        self.alerts_sel.hold(&shown);
                        self.alerts = super::views::alerts::ordered(a);
                    }
                    Err(e) => self.failed(&e),
                }
            }
            Reply::CableBike(seq, res) => {
                if let (Some(f), Ok(bike)) = (&mut self.dialog, res)
                    && f.seq == seq
                {
                    f.on_bike(&bike);
                }
            }
            Reply::Audit(res) => match res {
                Ok(a) => {
                    self.audit_denied = false;
                    let shown = self.audit_keys();
                    self.audit_sel.hold(&shown);
                    self.audit = a;
                }
                Err(e) if e.refusal() == Some(crate::domain::Refusal::Forbidden) => {
                    self.audit_denied = true;
                    self.audit.clear();
                }
                Err(e) => self.failed(&e),
            },
            Reply::Van(Ok(v)) => self.van = v,
            Reply::Taken(Ok(_)) => {
                self.set_status(self.t(T::AlertTaken), Severity::Info);
                self.jobs.alerts.mark();
            }
            Reply::Taken(Err(e)) => self.failed(&e),
            Reply::Plan(seq, res) => {
                // Only the newest request's answer is shown.
                if seq != self.depot.seq {
                    return;
                }
                match res {
                    Ok(p) => {
                        let shown = self.rebalance_keys();
                        self.rebalance_sel.hold(&shown);
                        self.depot.denied = false;
                        self.depot.plan = Some(p);
                    }
                    Err(e) if e.refusal() == Some(crate::domain::Refusal::Forbidden) => {
                        self.depot.denied = true;
                        self.depot.plan = None;
                    }
                    Err(e) => self.failed(&e),
                }
            }
            Reply::StopStation(van, station, res) => match res {
                Ok(v) if self.dialog.is_none() && self.page().is_none() => {
                    self.depot.stop_view = Some(v);
                    self.open_form(super::dialog::Proc::VanStop(van, station));
                }
                Ok(_) => {}
                Err(e) => self.failed(&e),
            },
            Reply::Preview(seq, res) => {
                if let Some(f) = &mut self.dialog {
                    f.on_preview(seq, res);
                }
            }
            Reply::Submitted(seq, res) => {
                let now = self.clock_now().unwrap_or_else(chrono::Utc::now);
                let Some(f) = &mut self.dialog else { return };
                if f.seq != seq {
                    return;
                }
                let lang = self.opts.lang;
                match res {
                    Ok(done) => {
                        let keep = f.on_done(&done.text, now);
                        let line = fill(T::Done.get(lang), &[&done.text]);
                        if let (Some(p), Some(page)) = (done.personal, &mut self.rider) {
                            page.revealed = Some(p);
                        }
                        if !keep {
                            self.dialog = None;
                        }
                        self.set_status(line, Severity::Ok);
                        self.refresh_all();
                    }
                    Err(e) => {
                        f.on_error(super::text::describe(&e, lang));
                        self.failed(&e);
                    }
                }
            }
            Reply::Role(Err(e)) | Reply::Desk(Err(e)) | Reply::Van(Err(e)) => self.failed(&e),
        }
        self.pump();
    }

    /// A read of the system's clock: the rate it ran since the last read is kept, so that
    /// the clock moves on between reads as the system's does.
    fn set_clock(&mut self, now: chrono::DateTime<chrono::Utc>) {
        let wall = self.wall();
        if let (Some(prev), Some(at)) = (self.now, self.now_read) {
            let real = wall.saturating_duration_since(at).as_secs_f64();
            let sys = (now - prev).num_milliseconds() as f64 / 1000.0;
            if real >= 0.5 && sys >= 0.0 {
                self.clock_rate = (sys / real).clamp(0.0, 100_000.0);
            }
        }
        self.now = Some(now);
        self.now_read = Some(wall);
        self.last_update = Some(wall);
    }

    fn set_stations(&mut self, rows: Vec<StationCounts>) {
        let now = self.wall();
        if self.stations.loaded {
            let old: HashMap<StationId, (u32, u32)> = self
                .stations
                .rows
                .iter()
                .map(|s| (s.id, (s.bikes, s.free_docks)))
                .collect();
            for s in &rows {
                if old
                    .get(&s.id)
                    .is_some_and(|o| *o != (s.bikes, s.free_docks))
                {
                    self.stations.flash.insert(s.id, now);
                }
            }
        }
        self.stations.rows = rows;
        self.stations.loaded = true;
        if self.stations.selected.is_none() {
            self.stations.selected = self.stations.rows.first().map(|s| s.id);
        }
        self.resort();
    }

    /// Filter and sort the station rows; the selection stays on the same station.
    pub fn resort(&mut self) {
        let f = self.stations.filter.value().to_lowercase();
        let rows = &self.stations.rows;
        let mut vis: Vec<usize> = (0..rows.len())
            .filter(|&i| {
                f.is_empty() || {
                    let s = &rows[i];
                    s.id.to_string().contains(&f)
                        || s.name.to_lowercase().contains(&f)
                        || s.name_en
                            .as_deref()
                            .is_some_and(|n| n.to_lowercase().contains(&f))
                        || s.name_kk
                            .as_deref()
                            .is_some_and(|n| n.to_lowercase().contains(&f))
                        || s.address.to_lowercase().contains(&f)
                }
            })
            .collect();
        let (col, asc) = self.stations.sort;
        let col = Col::ALL[col];
        vis.sort_by(|&a, &b| {
            let (a, b) = (&rows[a], &rows[b]);
            let o = match col {
                Col::Code => a.id.cmp(&b.id),
                Col::Name => a.name.cmp(&b.name),
                Col::Bikes => a.bikes.cmp(&b.bikes),
                Col::Free => a.free_docks.cmp(&b.free_docks),
                Col::OutOfService => a.out_of_service.cmp(&b.out_of_service),
                Col::Cable => a.cable_locked.cmp(&b.cable_locked),
                Col::Fill => fill_pct(a).cmp(&fill_pct(b)),
                Col::Status => StationStatus::of(a).cmp(&StationStatus::of(b)),
                Col::Changed => a.updated_at.cmp(&b.updated_at),
            }
            .then(a.id.cmp(&b.id));
            if asc { o } else { o.reverse() }
        });
        self.stations.visible = vis;
        let sel_visible = self
            .stations
            .selected
            .is_some_and(|id| self.visible_index(id).is_some());
        if !sel_visible {
            self.stations.selected = self.stations.visible.first().map(|&i| rows[i].id);
        }
    }
}
