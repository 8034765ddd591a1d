//! What keys, clicks and commands do: the console's navigation (views, pages, lists, the
//! map's nearest-station moves), the text boxes, the palette, and opening procedures.

use super::app::{App, Col, Page, Reply, RiderPage, Severity, StationPage, View, station_rows};
use super::dialog::{self, Proc, Target};
use super::keymap::{self, Action};
use super::text::{T, fill};
use crate::domain::{RiderId, StationId};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use tui_input::{Input, InputRequest};

impl App {
    // ------------------------------------------------------------------ keys

    pub(super) fn on_key(&mut self, k: KeyEvent) {
        let ctrl_c = k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl_c {
            self.quit = true;
            return;
        }
        if self.too_small.get() {
            // Nothing is shown but "enlarge the window": only quit and help act, so no
            // key typed blind can change anything.
            match keymap::lookup(&k, &[keymap::Scope::Global], |_| true) {
                Some(Action::Quit) => self.quit = true,
                Some(Action::Help) => self.help = !self.help,
                _ => {}
            }
            return;
        }
        if self.help {
            self.help = false;
            return;
        }
        if self.dialog.is_some() {
            self.dialog_key(k);
            return;
        }
        if let Some(input) = &mut self.palette {
            match k.code {
                KeyCode::Esc => self.palette = None,
                KeyCode::Enter => {
                    let cmd = input.value().to_string();
                    self.palette = None;
                    self.run_command(&cmd);
                }
                _ => {
                    edit(input, k);
                }
            }
            return;
        }
        // A terminal sends Esc and a key typed right after it as one Alt-key: in a text
        // field that is Esc (leave the field), then the key.
        if k.modifiers.contains(KeyModifiers::ALT)
            && matches!(k.code, KeyCode::Char(_))
            && self.text_focused()
        {
            self.text_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            let mut plain = k;
            plain.modifiers.remove(KeyModifiers::ALT);
            return self.on_key(plain);
        }
        if self.text_key(k) {
            return;
        }
        let scopes = self.scopes();
        let Some(action) = keymap::lookup(&k, &scopes, |a| self.allowed(a)) else {
            if keymap::lookup(&k, &scopes, |_| true).is_some() {
                let text = if self.opts.read_only {
                    T::ReadOnly
                } else {
                    T::NotAllowed
                };
                self.set_status(self.t(text), Severity::Error);
            }
            return;
        };
        self.act(action);
    }

    /// Keys typed into a focused text box (station filter, rider search, audit filter):
    /// the field's own keys ([`Scope::Text`](keymap::Scope::Text)), then editing; moving
    /// and `Enter` go on to the list. Returns whether the key was taken.
    fn text_key(&mut self, k: KeyEvent) -> bool {
        if !self.text_focused() {
            return false;
        }
        let fresh = std::mem::take(&mut self.text_fresh);
        let view = self.view;
        let (input, focused) = match view {
            View::Stations => (&mut self.stations.filter, &mut self.stations.filtering),
            View::Riders => (&mut self.riders.input, &mut self.riders.typing),
            View::Alerts => (&mut self.alerts_filter, &mut self.alerts_filtering),
            _ => (&mut self.audit_filter, &mut self.audit_filtering),
        };
        let changed = match keymap::lookup(&k, &[keymap::Scope::Text], |_| true) {
            // A filter is cleared as it is left; a search keeps its answer on the screen.
            Some(Action::LeaveText) if view == View::Stations => {
                *focused = false;
                let had = !input.value().is_empty();
                *input = Input::default();
                had
            }
            Some(Action::LeaveText) => {
                *focused = false;
                return true;
            }
            Some(Action::ClearText) => {
                let had = !input.value().is_empty();
                *input = Input::default();
                had
            }
            Some(Action::DeleteWord) => edit(
                input,
                KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL),
            ),
            Some(_) => false,
            None => match k.code {
                KeyCode::Enter if view != View::Riders => {
                    *focused = false;
                    if view == View::Audit {
                        self.request_audit();
                    }
                    return true;
                }
                KeyCode::Up
                | KeyCode::Down
                | KeyCode::Enter
                | KeyCode::Tab
                | KeyCode::BackTab
                | KeyCode::PageUp
                | KeyCode::PageDown => return false,
                KeyCode::Char(_) if fresh && !k.modifiers.contains(KeyModifiers::CONTROL) => {
                    // The text shown when the field was focused is replaced, not appended to.
                    *input = Input::default();
                    edit(input, k);
                    true
                }
                _ => edit(input, k),
            },
        };
        if changed {
            match view {
                View::Stations => self.resort(),
                View::Riders => self.search(),
                _ => {}
            }
        }
        true
    }

    pub fn act(&mut self, a: Action) {
        match a {
            Action::Quit => {
                if !self.stack.is_empty() {
                    self.back();
                } else if self.shift_over() && !self.quit_warned && self.may_hand_over() {
                    // Quitting after a shift's length: the handover first; q again quits.
                    self.quit_warned = true;
                    let hours = format!("{} h", self.opts.shift.num_hours());
                    self.set_status(fill(self.t(T::ShiftOver), &[&hours]), Severity::Info);
                    if self.may_hand_over() {
                        self.open_form(Proc::new(dialog::Kind::Handover, Target::default()));
                    }
                } else {
                    self.quit = true;
                }
            }
            Action::Help => self.help = true,
            Action::Palette => self.palette = Some(Input::default()),
            Action::Filter => self.focus_filter(),
            Action::NextView | Action::PrevView => {
                let i = View::ALL.iter().position(|v| *v == self.view).unwrap_or(0);
                let n = View::ALL.len();
                let j = if a == Action::NextView {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                self.go(View::ALL[j]);
            }
            Action::View(n) => {
                if let Some(v) = View::ALL.get(usize::from(n).saturating_sub(1)) {
                    self.go(*v);
                }
            }
            Action::Back => self.back(),
            Action::Up => self.move_sel(-1),
            Action::Down => self.move_sel(1),
            Action::Top => self.move_sel(-(isize::MAX / 2)),
            Action::Bottom => self.move_sel(isize::MAX / 2),
            Action::PageUp => self.move_sel(-(self.page_rows() as isize)),
            Action::PageDown => self.move_sel(self.page_rows() as isize),
            Action::Left | Action::Right => self.map_move(a),
            Action::Open => self.open(),
            Action::Sort => {
                self.stations.sort = ((self.stations.sort.0 + 1) % Col::ALL.len(), true);
                self.resort();
            }
            Action::SortReverse => {
                self.stations.sort.1 = !self.stations.sort.1;
                self.resort();
            }
            Action::ZoomIn => self.map.span = (self.map_span() / 1.6).max(0.004),
            Action::ZoomOut => self.map.span = (self.map_span() * 1.6).min(2.0),
            Action::Pan(east, north) => {
                let step = self.map_span() / 10.0;
                self.map.pan.0 += f64::from(east) * step;
                self.map.pan.1 += f64::from(north) * step;
            }
            Action::Theme => self.opts.theme = self.opts.theme.toggled(),
            Action::Mouse => {
                self.mouse = !self.mouse;
                let t = if self.mouse { T::MouseOn } else { T::MouseOff };
                self.set_status(self.t(t), Severity::Info);
            }
            Action::Refresh => {
                // In the depot's view, asked afresh: the engine computes the plan again.
                self.depot.want_fresh = self.view == View::Rebalance;
                self.refresh_all();
            }
            Action::VanStop => self.van_stop(),
            // Enter on a handover item takes it over; on a case, moves it on.
            Action::UpdateCase
                if matches!(
                    self.selected_case_key(),
                    Some(super::views::cases::CaseKey::Item(_))
                ) =>
            {
                self.procedure(Action::AckHandover)
            }
            Action::TakeAlert => self.take_alert(),
            other => self.procedure(other),
        }
    }

    /// Whether this staff member hands shifts over (the desk's roles, not read-only).
    fn may_hand_over(&self) -> bool {
        !self.opts.read_only
            && self.role.is_some_and(|r| {
                crate::domain::roles::allows(r, crate::domain::roles::StaffAction::HandOver)
            })
    }

    /// A procedure that needs no page (the handover), if the role may do it.
    pub(super) fn procedure_anywhere(&mut self, kind: dialog::Kind) {
        if self.may_hand_over() {
            self.open_form(Proc::new(kind, Target::default()));
        } else {
            self.set_status(self.t(T::RfForbidden), Severity::Error);
        }
    }

    /// A procedure's key: its form opens on the page's rider or station, unless the
    /// procedure says why it cannot be done now (then the status line says so).
    fn procedure(&mut self, a: Action) {
        let Some(kind) = dialog::Kind::of(a) else {
            return;
        };
        let Some(on) = self.target(kind) else {
            let need = if kind.on_rider() {
                T::NeedRider
            } else {
                T::NeedStation
            };
            self.set_status(self.t(need), Severity::Error);
            return;
        };
        if let Some(why) = super::procedures::disabled(self, kind, on) {
            let text = format!("{}: {why}", self.t(Proc::new(kind, on).title()));
            self.set_status(text, Severity::Error);
            return;
        }
        self.open_form(Proc::new(kind, on));
    }

    /// What a procedure of `kind` would act on from the page open now.
    pub fn target(&self, kind: dialog::Kind) -> Option<Target> {
        use super::views::cases::CaseKey;
        if kind == dialog::Kind::Handover {
            return Some(Target::default());
        }
        if kind.on_desk() {
            if self.page().is_some() || self.view != View::Cases {
                return None;
            }
            let item = match (kind, self.selected_case_key()?) {
                (dialog::Kind::AckHandover, CaseKey::Item(i)) => i,
                (dialog::Kind::UpdateCase | dialog::Kind::AssignCase, CaseKey::Case(k)) => k,
                _ => return None,
            };
            return Some(Target {
                item: Some(item),
                ..Target::default()
            });
        }
        if kind == dialog::Kind::Unpin {
            let on = match self.page()? {
                Page::Rider(r) => Target::rider(r),
                Page::Station(s) => Target {
                    station: Some(s),
                    ..Target::default()
                },
            };
            return Some(Target {
                item: super::procedures::desk_notes::pinned_id(self, on),
                ..on
            });
        }
        match (self.page(), kind.on_rider()) {
            (Some(Page::Rider(r)), true) => Some(Target::rider(r)),
            (Some(Page::Station(s)), false) => {
                let (dock, bike) = self.selected_dock_row();
                Some(Target {
                    station: Some(s),
                    dock,
                    bike,
                    ..Target::default()
                })
            }
            _ => None,
        }
    }

    /// `t` on an alert: "I am on it", shown with this staff member's name at every desk.
    fn take_alert(&mut self) {
        let keys = self.alert_keys();
        let i = self.alerts_sel.index(&keys);
        let Some(a) = self.visible_alerts().get(i).copied().cloned() else {
            return;
        };
        let op = crate::api::Op::TakeAlert {
            kind: a.kind,
            rider: a.rider,
            station: a.station,
        };
        let b = self.backend.clone();
        self.spawn(async move { Reply::Taken(b.execute(op).await) });
    }

    /// `d` on a stop of the plan: fetch its station, then open the stop's form.
    fn van_stop(&mut self) {
        let Some((van, stop)) = super::views::rebalance::selected_stop(self) else {
            self.set_status(self.t(T::NoStopHere), Severity::Error);
            return;
        };
        let (b, st) = (self.backend.clone(), stop.station);
        self.spawn(async move { Reply::StopStation(van, st, b.station(st).await) });
    }

    pub fn open_form(&mut self, p: Proc) {
        let form = super::procedures::open(self, p);
        self.dialog = Some(form);
    }

    /// The dock number and the bike of the station page's row under the cursor.
    fn selected_dock_row(&self) -> (Option<u32>, Option<crate::domain::BikeId>) {
        let Some(v) = self
            .station
            .as_ref()
            .and_then(|p| p.view.as_ref().map(|v| (p, v)))
        else {
            return (None, None);
        };
        let rows = station_rows(v.1);
        rows.get(v.0.selected).copied().unwrap_or((None, None))
    }

    fn dialog_key(&mut self, k: KeyEvent) {
        let Some(mut f) = self.dialog.take() else {
            return;
        };
        match f.key(k, self.opts.lang) {
            dialog::Outcome::Stay => {}
            dialog::Outcome::Close => {
                self.dialog = None;
                return;
            }
            dialog::Outcome::Preview => {
                f.seq += 1;
                let seq = f.seq;
                let fut = super::procedures::preview(self, &f);
                self.spawn(async move { Reply::Preview(seq, fut.await) });
            }
            dialog::Outcome::Submit => {
                f.seq += 1;
                let seq = f.seq;
                let fut = super::procedures::submit(self, &f);
                self.spawn(async move { Reply::Submitted(seq, fut.await) });
            }
        }
        self.dialog = Some(f);
    }

    fn focus_filter(&mut self) {
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

    fn back(&mut self) {
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

    fn open(&mut self) {
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

    fn page_rows(&self) -> usize {
        usize::from(self.list_area.get().1.max(2)) - 1
    }

    fn move_sel(&mut self, d: isize) {
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
    fn shift_over(&self) -> bool {
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
    fn map_move(&mut self, a: Action) {
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

    pub(super) fn on_mouse(&mut self, m: MouseEvent) {
        if self.dialog.is_some() || self.help || self.palette.is_some() {
            return;
        }
        match m.kind {
            MouseEventKind::ScrollDown => self.move_sel(3),
            MouseEventKind::ScrollUp => self.move_sel(-3),
            MouseEventKind::Down(_) => {
                let (top, height) = self.list_area.get();
                if m.row >= top && m.row < top + height && self.view == View::Stations {
                    let i = self.stations.offset.get() + usize::from(m.row - top);
                    if let Some(&k) = self.stations.visible.get(i) {
                        self.stations.selected = Some(self.stations.rows[k].id);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Feed a key to a text box; whether the text changed.
pub fn edit(input: &mut Input, k: KeyEvent) -> bool {
    let req = match k.code {
        KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => {
            InputRequest::InsertChar(c)
        }
        KeyCode::Char('u') => InputRequest::DeleteLine,
        KeyCode::Char('w') => InputRequest::DeletePrevWord,
        KeyCode::Backspace => InputRequest::DeletePrevChar,
        KeyCode::Delete => InputRequest::DeleteNextChar,
        KeyCode::Left => InputRequest::GoToPrevChar,
        KeyCode::Right => InputRequest::GoToNextChar,
        KeyCode::Home => InputRequest::GoToStart,
        KeyCode::End => InputRequest::GoToEnd,
        _ => return false,
    };
    input.handle(req).is_some_and(|r| r.value)
}
