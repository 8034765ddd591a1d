//! What keys, clicks and commands do: the console's navigation (views, pages, lists, the
//! map's nearest-station moves), the text boxes, the palette, and opening procedures.

use super::app::{App, Col, Page, Reply, Severity, View, station_rows};
use super::dialog::{self, Proc, Target};
use super::keymap::{self, Action};
use super::text::{T, fill};
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
