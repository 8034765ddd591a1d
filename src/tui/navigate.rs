//! Moving about the console: the views and pages, opening what is selected, the lists'
//! selection and pages, the map's nearest-station moves.

use super::app::{App, Page, RiderPage, StationPage, View, station_rows};
use super::dialog::Proc;
use super::keymap::Action;
use crate::domain::{RiderId, StationId};

impl App {
    pub(super) fn focus_filter(&mut self) {
        if self.page().is_some() {
            return;
        }
        let had_text = match self.view {
            View::Stations => {
                self.stations.filtering = true;
                !self.stations.filter.value().is_empty()
            }
            View::Riders => {
                self.riders.typing = true;
                !self.riders.input.value().is_empty()
            }
            View::Audit => {
                self.audit_filtering = true;
                !self.audit_filter.value().is_empty()
            }
            View::Alerts => {
                self.alerts_filtering = true;
                !self.alerts_filter.value().is_empty()
            }
            _ => false,
        };
        self.text_fresh = had_text;
    }

    pub fn go(&mut self, v: View) {
        self.stack.clear();
        self.rider = None;
        self.station = None;
        self.view = v;
        match v {
            View::Audit => self.request_audit(),
            View::Rebalance => {
                self.request_van();
                self.request_plan();
            }
            View::Map => self.request_plan(),
            View::Riders => self.focus_filter(),
            View::Cases => {
                self.jobs.desk.mark();
                self.pump();
            }
            _ => {}
        }
    }

    pub(super) fn back(&mut self) {
        match self.stack.pop() {
            Some(Page::Rider(_)) => self.rider = None,
            Some(Page::Station(_)) => self.station = None,
            None => {}
        }
        // The page below, if any, gets its data again.
        match self.page() {
            Some(Page::Rider(id)) => self.open_rider(id),
            Some(Page::Station(id)) => self.open_station(id),
            None => {}
        }
    }

    pub fn open_rider(&mut self, id: RiderId) {
        // Back from the rider, the search shows its answer; `/` types in it again.
        self.riders.typing = false;
        if self.page() != Some(Page::Rider(id)) {
            self.stack.push(Page::Rider(id));
        }
        self.station = None;
        self.rider = Some(RiderPage {
            id,
            view: None,
            fetched: None,
            revealed: None,
            scroll: 0,
        });
        self.request_rider(id);
    }

    pub fn open_station(&mut self, id: StationId) {
        if self.page() != Some(Page::Station(id)) {
            self.stack.push(Page::Station(id));
        }
        self.rider = None;
        self.stations.selected = Some(id);
        self.station = Some(StationPage {
            id,
            view: None,
            selected: 0,
        });
        self.request_station(id);
    }

    pub(super) fn open(&mut self) {
        match self.page() {
            Some(Page::Station(_)) => {}
            Some(Page::Rider(_)) => {}
            None => match self.view {
                View::Stations | View::Map => {
                    if let Some(id) = self.stations.selected {
                        self.open_station(id);
                    }
                }
                View::Riders => {
                    let keys = self.riders.keys();
                    if let Some(&id) = self.riders.selected.key_in(&keys) {
                        self.open_rider(id);
                    }
                }
                // Enter there is the Cases view's own (move the case on, take an item over).
                View::Cases => {}
                View::Alerts => {
                    let keys = self.alert_keys();
                    let i = self.alerts_sel.index(&keys);
                    if let Some(a) = self.visible_alerts().get(i).map(|a| (*a).clone()) {
                        if a.kind == crate::api::AlertKind::CableLockCall
                            && let Some(r) = a.rider
                        {
                            self.open_rider(r);
                            if self.allowed(Action::CableLock) {
                                self.open_form(Proc::cable_lock(r, a.station));
                            }
                        } else if let Some(r) = a.rider {
                            self.open_rider(r);
                        } else if let Some(s) = a.station {
                            self.open_station(s);
                        }
                    }
                }
                View::Rebalance => {
                    let keys = self.rebalance_keys();
                    if let Some(&id) = self.rebalance_sel.key_in(&keys) {
                        self.open_station(id);
                    }
                }
                View::Audit => {
                    let keys = self.audit_keys();
                    let i = self.audit_sel.index(&keys);
                    if let Some(r) = self.audit.get(i).and_then(|a| a.rider) {
                        self.open_rider(r);
                    }
                }
            },
        }
    }

    pub(super) fn page_rows(&self) -> usize {
        usize::from(self.list_area.get().1.max(2)) - 1
    }

    pub(super) fn move_sel(&mut self, d: isize) {
        let step = |i: usize, n: usize| -> usize {
            if n == 0 {
                0
            } else {
                (i as isize + d).clamp(0, n as isize - 1) as usize
            }
        };
        match self.page() {
            Some(Page::Rider(_)) => {
                if let Some(p) = &mut self.rider {
                    p.scroll = (p.scroll as isize + d).clamp(0, u16::MAX as isize) as u16;
                }
            }
            Some(Page::Station(_)) => {
                if let Some(p) = &mut self.station {
                    let n = p.view.as_ref().map(|v| station_rows(v).len()).unwrap_or(0);
                    p.selected = step(p.selected, n);
                }
            }
            None => match self.view {
                View::Stations => {
                    let n = self.stations.visible.len();
                    let i = self
                        .stations
                        .selected
                        .and_then(|id| self.visible_index(id))
                        .unwrap_or(0);
                    let j = step(i, n);
                    self.stations.selected = self
                        .stations
                        .visible
                        .get(j)
                        .map(|&k| self.stations.rows[k].id);
                }
                View::Map => self.map_move(if d < 0 { Action::Up } else { Action::Down }),
                View::Riders => {
                    let keys = self.riders.keys();
                    self.riders.selected.step(&keys, d)
                }
                View::Alerts => {
                    let keys = self.alert_keys();
                    self.alerts_sel.step(&keys, d)
                }
                View::Audit => {
                    let keys = self.audit_keys();
                    self.audit_sel.step(&keys, d)
                }
                View::Rebalance => {
                    let keys = self.rebalance_keys();
                    self.rebalance_sel.step(&keys, d)
                }
                View::Cases => {
                    let keys = super::views::cases::keys(self);
                    self.cases_sel.step(&keys, d)
                }
            },
        }
    }

    /// The handover item or case under the cursor of the Cases view.
    pub fn selected_case_key(&self) -> Option<super::views::cases::CaseKey> {
        let keys = super::views::cases::keys(self);
        self.cases_sel.key_in(&keys).copied()
    }

    /// Whether this console has been open a shift's length (by the system's clock).
    pub(super) fn shift_over(&self) -> bool {
        match (self.started, self.clock_now()) {
            (Some(from), Some(now)) => now - from >= self.opts.shift,
            _ => false,
        }
    }

    pub fn map_span(&self) -> f64 {
        if self.map.span > 0.0 {
            self.map.span
        } else if self.map.fitted.get() > 0.0 {
            self.map.fitted.get()
        } else {
            0.16
        }
    }

    /// Move the map selection to the nearest station in a direction (within a 45° cone).
    pub(super) fn map_move(&mut self, a: Action) {
        let Some(cur) = self.stations.selected.and_then(|id| self.station_by_id(id)) else {
            return;
        };
        let (dx, dy): (f64, f64) = match a {
            Action::Up => (0.0, 1.0),
            Action::Down => (0.0, -1.0),
            Action::Left => (-1.0, 0.0),
            _ => (1.0, 0.0),
        };
        let k = cur.lat.to_radians().cos();
        let best = self
            .stations
            .rows
            .iter()
            .filter(|s| s.id != cur.id)
            .filter_map(|s| {
                let (x, y) = ((s.lon - cur.lon) * k, s.lat - cur.lat);
                let along = x * dx + y * dy;
                let across = (x * dy - y * dx).abs();
                (along > 0.0 && across <= along).then_some((along + 2.0 * across, s.id))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, id)) = best {
            self.stations.selected = Some(id);
            self.map.pan = (0.0, 0.0);
        }
    }
}
