//! What the console does with what comes back: ticks (the live clock, periodic refresh),
//! live events (which views to refresh), and the backend's replies (newest search only,
//! stations re-sorted with the selection kept, procedures' outcomes).

use super::app::{App, Col, Reply, Severity, StationStatus, fill_pct};
use super::text::{T, fill};
use crate::api::BackendError;
use crate::api::Event;
use crate::api::StationCounts;
use crate::domain::StationId;
use std::collections::HashMap;
use std::time::{Duration, Instant};

impl App {
    pub(super) fn on_tick(&mut self) {
        let b = self.backend.clone();
        self.spawn(async move { Reply::Now(b.now().await) });
        let since = self.last_refresh.map(|t| self.wall().duration_since(t));
        let due = since.is_none_or(|d| d >= Duration::from_secs(10));
        if self.stations_dirty || due {
            self.refresh_stations();
        }
        if self.alerts_dirty || due {
            self.refresh_alerts();
        }
        if due {
            self.request_replication();
        }
        if due || std::mem::take(&mut self.depot.dirty) {
            self.request_plan();
        }
        if let Some(p) = &self.rider
            && p.view.as_ref().is_some_and(|v| v.open_rental.is_some())
        {
            // The live duration and price of the open rental.
            let id = p.id;
            self.request_rider(id);
        }
        let now = self.wall();
        if let Some(f) = &mut self.dialog {
            f.tick(now);
        }
        self.stations
            .flash
            .retain(|_, t| now.duration_since(*t) < Duration::from_millis(1500));
    }

    pub(super) fn on_event(&mut self, e: Event) {
        self.last_update = Some(self.wall());
        self.disconnected = None;
        match &e {
            Event::StationChanged { station } => {
                self.stations_dirty = true;
                self.alerts_dirty = true;
                self.depot.dirty |= self.depot.plans(*station);
                if self.station.as_ref().is_some_and(|p| p.id == *station) {
                    self.request_station(*station);
                }
            }
            Event::Alert { .. } => self.alerts_dirty = true,
            Event::RentalStarted { rider, .. }
            | Event::RentalEnded { rider, .. }
            | Event::RiderChanged { rider } => {
                self.alerts_dirty = true;
                if self.rider.as_ref().is_some_and(|p| p.id == *rider) {
                    self.request_rider(*rider);
                }
            }
            Event::LedgerPosted { rider, .. } => {
                self.alerts_dirty = true;
                if let (Some(p), Some(r)) = (&self.rider, rider)
                    && p.id == *r
                {
                    self.request_rider(*r);
                }
            }
        }
        if let Some(f) = &mut self.dialog {
            f.on_event(&e);
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
            Reply::Now(Ok(now)) => self.now = Some(now),
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
            Reply::Stations(Ok(rows)) => {
                self.last_update = Some(self.wall());
                self.disconnected = None;
                self.set_stations(rows);
            }
            Reply::Station(id, Ok(v)) => {
                if let Some(p) = &mut self.station
                    && p.id == id
                {
                    p.view = Some(v);
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
            Reply::Rider(id, res) => match res {
                Ok(v) => {
                    if let Some(p) = &mut self.rider
                        && p.id == id
                    {
                        p.view = Some(v);
                    }
                }
                Err(e) => self.failed(&e),
            },
            Reply::Alerts(Ok(a)) => {
                let shown = self.alert_keys();
                self.alerts_sel.hold(&shown);
                self.alerts = a;
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
                let Some(f) = &mut self.dialog else { return };
                if f.seq != seq {
                    return;
                }
                let (lang, now) = (self.opts.lang, self.frozen.unwrap_or_else(Instant::now));
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
            Reply::Now(Err(e))
            | Reply::Role(Err(e))
            | Reply::Desk(Err(e))
            | Reply::Stations(Err(e))
            | Reply::Station(_, Err(e))
            | Reply::Alerts(Err(e))
            | Reply::Van(Err(e)) => self.failed(&e),
        }
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
