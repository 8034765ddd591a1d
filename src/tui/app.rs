//! The console's state and its one `update`: keys, ticks, backend replies and live events
//! all arrive as [`Msg`]s. Nothing here waits on the backend: a request is a task that
//! reports back with a [`Reply`]; a stale reply (an older search) is recognised and dropped.

use super::dialog::{self, Form, Proc};
use super::keymap::{self, Action, Scope};
use super::text::{Lang, T, fill};
use super::theme::Theme;
use crate::backend::{BResult, Backend, BackendError, BackendInfo};
use crate::domain::roles::{self, Role};
use crate::domain::tariff::Tariff;
use crate::domain::{RiderId, StationId};
use crate::engine::{Alert, DeskInfo, Event, Personal, RiderView, StationView};
use crate::store::audit::{AuditFilter, AuditRecord};
use crate::store::fleet::{Bike, BikeState, StationCounts};
use crate::store::people::RiderHit;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use std::cell::Cell;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedSender;
use tui_input::{Input, InputRequest};

/// The six top views, in tab order (keys `1`–`6`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Stations,
    Map,
    Riders,
    Rebalance,
    Alerts,
    Audit,
}

impl View {
    pub const ALL: [View; 6] = [
        View::Stations,
        View::Map,
        View::Riders,
        View::Rebalance,
        View::Alerts,
        View::Audit,
    ];
    pub fn title(self) -> T {
        match self {
            View::Stations => T::Stations,
            View::Map => T::Map,
            View::Riders => T::Riders,
            View::Rebalance => T::Rebalance,
            View::Alerts => T::Alerts,
            View::Audit => T::Audit,
        }
    }
}

/// A page opened on top of a view (`Enter`), closed with `Esc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Station(StationId),
    Rider(RiderId),
}

/// How the console was started.
#[derive(Debug, Clone)]
pub struct Options {
    pub staff: String,
    pub lang: Lang,
    pub read_only: bool,
    pub theme: Theme,
    /// Shown once in the status bar (e.g. "a fresh demo city").
    pub note: Option<String>,
}

#[allow(clippy::large_enum_variant)] // one message at a time; boxing buys nothing here
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Tick,
    Event(i64, Event),
    Reply(Reply),
}

#[allow(clippy::large_enum_variant)]
pub enum Reply {
    Now(BResult<DateTime<Utc>>),
    Role(BResult<Role>),
    Desk(BResult<DeskInfo>),
    Stations(BResult<Vec<StationCounts>>),
    Station(StationId, BResult<StationView>),
    Search(u64, BResult<Vec<RiderHit>>),
    Rider(RiderId, BResult<RiderView>),
    Alerts(BResult<Vec<Alert>>),
    Audit(BResult<Vec<AuditRecord>>),
    Van(BResult<Vec<Bike>>),
    Preview(u64, Result<Vec<String>, String>),
    Submitted(u64, Result<dialog::Done, BackendError>),
}

/// Station table columns (sortable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Code,
    Name,
    Bikes,
    Free,
    OutOfService,
    Cable,
    Fill,
    Status,
    Changed,
}

impl Col {
    pub const ALL: [Col; 9] = [
        Col::Code,
        Col::Name,
        Col::Bikes,
        Col::Free,
        Col::OutOfService,
        Col::Cable,
        Col::Fill,
        Col::Status,
        Col::Changed,
    ];
}

/// A station's state in words (never colour alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StationStatus {
    Inactive,
    Empty,
    Full,
    Low,
    Ok,
}

impl StationStatus {
    pub fn of(s: &StationCounts) -> StationStatus {
        if !s.active {
            StationStatus::Inactive
        } else if s.bikes == 0 {
            StationStatus::Empty
        } else if s.free_docks == 0 {
            StationStatus::Full
        } else if s.bikes * 5 < s.docks {
            StationStatus::Low
        } else {
            StationStatus::Ok
        }
    }
    pub fn word(self) -> T {
        match self {
            StationStatus::Inactive => T::Inactive,
            StationStatus::Empty => T::Empty,
            StationStatus::Full => T::Full,
            StationStatus::Low => T::Low,
            StationStatus::Ok => T::Ok,
        }
    }
}

#[derive(Default)]
pub struct StationsState {
    pub rows: Vec<StationCounts>,
    /// Indexes into `rows`, filtered and sorted.
    pub visible: Vec<usize>,
    pub sort: (usize, bool),
    pub filter: Input,
    pub filtering: bool,
    pub selected: Option<StationId>,
    pub offset: Cell<usize>,
    pub flash: HashMap<StationId, Instant>,
    pub loaded: bool,
}

#[derive(Default)]
pub struct MapState {
    /// Visible span in degrees of latitude (zoom); 0 until the user zooms: fit the city.
    pub span: f64,
    /// The span that fitted the city at the last draw (zooming starts from it).
    pub fitted: Cell<f64>,
}

#[derive(Default)]
pub struct RidersState {
    pub input: Input,
    pub typing: bool,
    pub seq: u64,
    pub shown: u64,
    pub hits: Vec<RiderHit>,
    pub selected: usize,
}

pub struct RiderPage {
    pub id: RiderId,
    pub view: Option<RiderView>,
    pub revealed: Option<Personal>,
    pub scroll: u16,
}

pub struct StationPage {
    pub id: StationId,
    pub view: Option<StationView>,
    pub selected: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Info,
    Ok,
    Error,
}

pub struct App {
    pub backend: Arc<dyn Backend>,
    tx: UnboundedSender<Msg>,
    pub opts: Options,
    pub info: BackendInfo,
    pub role: Option<Role>,
    pub desk: Option<DeskInfo>,
    pub tariff: Option<Tariff>,
    pub now: Option<DateTime<Utc>>,
    pub last_update: Option<Instant>,
    pub disconnected: Option<String>,
    pub view: View,
    pub stack: Vec<Page>,
    pub stations: StationsState,
    pub map: MapState,
    pub riders: RidersState,
    pub rider: Option<RiderPage>,
    pub station: Option<StationPage>,
    pub alerts: Vec<Alert>,
    pub alerts_sel: usize,
    pub audit: Vec<AuditRecord>,
    pub audit_filter: Input,
    pub audit_filtering: bool,
    pub audit_sel: usize,
    pub audit_denied: bool,
    pub rebalance_sel: usize,
    pub van: Vec<Bike>,
    pub dialog: Option<Form>,
    pub palette: Option<Input>,
    pub help: bool,
    pub status: Option<(String, Severity)>,
    pub quit: bool,
    /// Requests sent and not yet answered (tests wait for zero).
    pub pending: usize,
    stations_dirty: bool,
    alerts_dirty: bool,
    last_refresh: Option<Instant>,
    /// The list area's top row and height at the last render (mouse, paging).
    pub list_area: Cell<(u16, u16)>,
    /// Frozen wall clock for snapshot tests; `None` reads `Instant::now()`.
    pub frozen: Option<Instant>,
}

impl App {
    pub fn new(backend: Arc<dyn Backend>, tx: UnboundedSender<Msg>, opts: Options) -> App {
        let info = backend.info();
        let mut app = App {
            backend,
            tx,
            info,
            role: None,
            desk: None,
            tariff: None,
            now: None,
            last_update: None,
            disconnected: None,
            view: View::Stations,
            stack: Vec::new(),
            stations: StationsState {
                sort: (0, true),
                ..Default::default()
            },
            map: MapState::default(),
            riders: RidersState {
                typing: true,
                ..Default::default()
            },
            rider: None,
            station: None,
            alerts: Vec::new(),
            alerts_sel: 0,
            audit: Vec::new(),
            audit_filter: Input::default(),
            audit_filtering: false,
            audit_sel: 0,
            audit_denied: false,
            rebalance_sel: 0,
            van: Vec::new(),
            dialog: None,
            palette: None,
            help: false,
            status: opts.note.clone().map(|n| (n, Severity::Info)),
            quit: false,
            pending: 0,
            stations_dirty: false,
            alerts_dirty: false,
            last_refresh: None,
            list_area: Cell::new((0, 0)),
            frozen: None,
            opts,
        };
        app.start();
        app
    }

    pub fn t(&self, t: T) -> &'static str {
        t.get(self.opts.lang)
    }

    pub fn wall(&self) -> Instant {
        self.frozen.unwrap_or_else(Instant::now)
    }

    /// Run `fut` on the runtime; its reply comes back as a message.
    pub fn spawn<F>(&mut self, fut: F)
    where
        F: Future<Output = Reply> + Send + 'static,
    {
        self.pending += 1;
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let reply = fut.await;
            let _ = tx.send(Msg::Reply(reply));
        });
    }

    fn start(&mut self) {
        let (b, staff) = (self.backend.clone(), self.opts.staff.clone());
        self.spawn(async move { Reply::Role(b.staff_role(&staff).await) });
        let b = self.backend.clone();
        self.spawn(async move { Reply::Desk(b.desk_info().await) });
        self.refresh_all();
    }

    pub fn refresh_all(&mut self) {
        self.refresh_stations();
        self.refresh_alerts();
        let b = self.backend.clone();
        self.spawn(async move { Reply::Now(b.now().await) });
        if let Some(p) = &self.rider {
            let id = p.id;
            self.request_rider(id);
        }
        if let Some(p) = &self.station {
            let id = p.id;
            self.request_station(id);
        }
        if self.view == View::Audit {
            self.request_audit();
        }
        if self.view == View::Rebalance {
            self.request_van();
        }
    }

    fn refresh_stations(&mut self) {
        self.stations_dirty = false;
        self.last_refresh = Some(self.wall());
        let b = self.backend.clone();
        self.spawn(async move { Reply::Stations(b.stations().await) });
    }

    fn refresh_alerts(&mut self) {
        self.alerts_dirty = false;
        let b = self.backend.clone();
        self.spawn(async move { Reply::Alerts(b.alerts().await) });
    }

    pub fn request_rider(&mut self, id: RiderId) {
        let b = self.backend.clone();
        self.spawn(async move { Reply::Rider(id, b.rider(id).await) });
    }

    pub fn request_station(&mut self, id: StationId) {
        let b = self.backend.clone();
        self.spawn(async move { Reply::Station(id, b.station(id).await) });
    }

    fn request_van(&mut self) {
        let b = self.backend.clone();
        self.spawn(async move { Reply::Van(b.bikes_in(BikeState::Van, 500).await) });
    }

    pub fn request_audit(&mut self) {
        let filter = parse_audit_filter(self.audit_filter.value());
        let (b, staff) = (self.backend.clone(), self.opts.staff.clone());
        self.spawn(async move { Reply::Audit(b.audit(&staff, filter).await) });
    }

    fn search(&mut self) {
        self.riders.seq += 1;
        let (seq, query) = (self.riders.seq, self.riders.input.value().to_string());
        if query.trim().is_empty() {
            self.riders.hits.clear();
            self.riders.shown = seq;
            return;
        }
        let b = self.backend.clone();
        self.spawn(async move { Reply::Search(seq, b.search_riders(&query, 50).await) });
    }

    /// May the console's staff member take this action here and now?
    pub fn allowed(&self, a: Action) -> bool {
        match a.needs() {
            None => true,
            Some(_) if self.opts.read_only => false,
            Some(need) => self.role.is_some_and(|r| roles::allows(r, need)),
        }
    }

    pub fn page(&self) -> Option<Page> {
        self.stack.last().copied()
    }

    /// The scopes whose keys apply now, most specific first.
    pub fn scopes(&self) -> Vec<Scope> {
        let mut s = Vec::with_capacity(3);
        match self.page() {
            Some(Page::Rider(_)) => s.push(Scope::Rider),
            Some(Page::Station(_)) => {
                s.push(Scope::Station);
                s.push(Scope::List);
            }
            None => {
                match self.view {
                    View::Stations => s.push(Scope::Stations),
                    View::Map => s.push(Scope::Map),
                    _ => {}
                }
                s.push(Scope::List);
            }
        }
        s.push(Scope::Global);
        s
    }

    pub fn set_status(&mut self, text: impl Into<String>, sev: Severity) {
        self.status = Some((text.into(), sev));
    }

    // ------------------------------------------------------------------ update

    pub fn update(&mut self, msg: Msg) {
        match msg {
            Msg::Key(k) => self.on_key(k),
            Msg::Mouse(m) => self.on_mouse(m),
            Msg::Tick => self.on_tick(),
            Msg::Event(_, e) => self.on_event(e),
            Msg::Reply(r) => {
                self.pending = self.pending.saturating_sub(1);
                self.on_reply(r)
            }
        }
    }

    fn on_tick(&mut self) {
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

    fn on_event(&mut self, e: Event) {
        self.last_update = Some(self.wall());
        self.disconnected = None;
        match &e {
            Event::StationChanged { station } => {
                self.stations_dirty = true;
                self.alerts_dirty = true;
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
        let text = fill(self.t(T::Refused), &[&e]);
        self.set_status(text, Severity::Error);
    }

    fn on_reply(&mut self, r: Reply) {
        match r {
            Reply::Now(Ok(now)) => self.now = Some(now),
            Reply::Role(Ok(role)) => self.role = Some(role),
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
                            self.riders.selected = 0;
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
                self.alerts = a;
                self.alerts_sel = self.alerts_sel.min(self.alerts.len().saturating_sub(1));
            }
            Reply::Audit(res) => match res {
                Ok(a) => {
                    self.audit_denied = false;
                    self.audit = a;
                }
                Err(e) if e.refusal() == Some(crate::domain::Refusal::Forbidden) => {
                    self.audit_denied = true;
                    self.audit.clear();
                }
                Err(e) => self.failed(&e),
            },
            Reply::Van(Ok(v)) => self.van = v,
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
                        f.on_error(e.to_string());
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

    pub fn visible_index(&self, id: StationId) -> Option<usize> {
        self.stations
            .visible
            .iter()
            .position(|&i| self.stations.rows[i].id == id)
    }

    pub fn station_by_id(&self, id: StationId) -> Option<&StationCounts> {
        self.stations.rows.iter().find(|s| s.id == id)
    }

    // ------------------------------------------------------------------ keys

    fn on_key(&mut self, k: KeyEvent) {
        let ctrl_c = k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl_c {
            self.quit = true;
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

    /// Keys typed into a focused text box (station filter, rider search, audit filter).
    /// Returns whether the key was taken.
    fn text_key(&mut self, k: KeyEvent) -> bool {
        if self.page().is_some() {
            return false;
        }
        let (input, focused) = match self.view {
            View::Stations => (&mut self.stations.filter, &mut self.stations.filtering),
            View::Riders => (&mut self.riders.input, &mut self.riders.typing),
            View::Audit => (&mut self.audit_filter, &mut self.audit_filtering),
            _ => return false,
        };
        if !*focused {
            return false;
        }
        match k.code {
            KeyCode::Esc => {
                *focused = false;
                true
            }
            KeyCode::Enter if self.view != View::Riders => {
                *focused = false;
                if self.view == View::Audit {
                    self.request_audit();
                }
                true
            }
            KeyCode::Up | KeyCode::Down | KeyCode::Enter | KeyCode::Tab | KeyCode::BackTab => false,
            KeyCode::PageUp | KeyCode::PageDown => false,
            _ => {
                if edit(input, k) {
                    match self.view {
                        View::Stations => self.resort(),
                        View::Riders => self.search(),
                        _ => {}
                    }
                }
                true
            }
        }
    }

    pub fn act(&mut self, a: Action) {
        match a {
            Action::Quit => {
                if self.stack.is_empty() {
                    self.quit = true;
                } else {
                    self.back();
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
            Action::Theme => self.opts.theme = self.opts.theme.toggled(),
            Action::Refresh => self.refresh_all(),
            Action::Reveal => {
                if let Some(Page::Rider(id)) = self.page() {
                    self.open_form(Proc::Reveal(id));
                }
            }
            other => self.procedure(other),
        }
    }

    fn procedure(&mut self, a: Action) {
        let proc = match (self.page(), a) {
            (Some(Page::Rider(r)), a) => Proc::for_rider(a, r),
            (Some(Page::Station(s)), a) => Proc::for_station(a, s, self.selected_dock_bike()),
            (None, _) => None,
        };
        match proc {
            Some(p) => self.open_form(p),
            None => self.set_status(self.t(T::NeedRider), Severity::Error),
        }
    }

    pub fn open_form(&mut self, p: Proc) {
        let form = super::procedures::open(self, p);
        self.dialog = Some(form);
    }

    fn selected_dock_bike(&self) -> Option<crate::domain::BikeId> {
        let p = self.station.as_ref()?;
        let v = p.view.as_ref()?;
        let rows = station_rows(v);
        rows.get(p.selected).and_then(|r| r.1)
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
        match self.view {
            View::Stations => self.stations.filtering = true,
            View::Riders => self.riders.typing = true,
            View::Audit => self.audit_filtering = true,
            _ => {}
        }
    }

    pub fn go(&mut self, v: View) {
        self.stack.clear();
        self.rider = None;
        self.station = None;
        self.view = v;
        match v {
            View::Audit => self.request_audit(),
            View::Rebalance => self.request_van(),
            View::Riders => self.riders.typing = true,
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
        if self.page() != Some(Page::Rider(id)) {
            self.stack.push(Page::Rider(id));
        }
        self.station = None;
        self.rider = Some(RiderPage {
            id,
            view: None,
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
                    if let Some(h) = self.riders.hits.get(self.riders.selected) {
                        let id = h.id;
                        self.open_rider(id);
                    }
                }
                View::Alerts => {
                    if let Some(a) = self.alerts.get(self.alerts_sel).cloned() {
                        if a.kind == "cable-lock-call"
                            && let Some(r) = a.rider
                        {
                            self.open_rider(r);
                            if self.allowed(Action::CableLock) {
                                self.open_form(Proc::CableLock(r, a.station));
                            }
                        } else if let Some(r) = a.rider {
                            self.open_rider(r);
                        } else if let Some(s) = a.station {
                            self.open_station(s);
                        }
                    }
                }
                View::Rebalance => {
                    let ranked = super::views::rebalance::ranked(self);
                    if let Some(s) = ranked.get(self.rebalance_sel) {
                        let id = s.id;
                        self.open_station(id);
                    }
                }
                View::Audit => {
                    if let Some(r) = self.audit.get(self.audit_sel).and_then(|a| a.rider) {
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
                    p.scroll = (p.scroll as isize + d).max(0) as u16;
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
                    self.riders.selected = step(self.riders.selected, self.riders.hits.len())
                }
                View::Alerts => self.alerts_sel = step(self.alerts_sel, self.alerts.len()),
                View::Audit => self.audit_sel = step(self.audit_sel, self.audit.len()),
                View::Rebalance => {
                    let n = super::views::rebalance::ranked(self).len();
                    self.rebalance_sel = step(self.rebalance_sel, n)
                }
            },
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
        }
    }

    fn on_mouse(&mut self, m: MouseEvent) {
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

    fn run_command(&mut self, cmd: &str) {
        let mut parts = cmd.trim().trim_start_matches(':').split_whitespace();
        let word = parts.next().unwrap_or("");
        let arg = parts.next();
        let view = match word {
            "stations" | "s" => Some(View::Stations),
            "map" | "m" => Some(View::Map),
            "riders" => Some(View::Riders),
            "rebalance" => Some(View::Rebalance),
            "alerts" | "a" => Some(View::Alerts),
            "audit" => Some(View::Audit),
            _ => None,
        };
        if let Some(v) = view {
            self.go(v);
            return;
        }
        match (word, arg.and_then(|a| a.parse::<i64>().ok())) {
            ("q" | "quit" | "q!", _) => self.quit = true,
            ("help" | "h", _) => self.help = true,
            ("theme", _) => self.opts.theme = self.opts.theme.toggled(),
            ("rider" | "r", Some(id)) => self.open_rider(RiderId(id)),
            ("station" | "st", Some(id)) => self.open_station(StationId(id)),
            _ => {
                let text = fill(self.t(T::UnknownCommand), &[&cmd]);
                self.set_status(text, Severity::Error);
            }
        }
    }
}

/// A station view's rows: docks first (number, bike), then bikes cable-locked there.
pub fn station_rows(v: &StationView) -> Vec<(Option<u32>, Option<crate::domain::BikeId>)> {
    let mut rows: Vec<_> = v.docks.iter().map(|d| (Some(d.number), d.bike)).collect();
    rows.extend(
        v.bikes
            .iter()
            .filter(|b| b.state == BikeState::CableLocked)
            .map(|b| (None, Some(b.id))),
    );
    rows
}

pub fn fill_pct(s: &StationCounts) -> u32 {
    (s.bikes * 100).checked_div(s.docks).unwrap_or(0)
}

/// `staff:aigerim rider:1042 action:enter-fine` (any order, any subset).
pub fn parse_audit_filter(text: &str) -> AuditFilter {
    let mut f = AuditFilter {
        limit: 500,
        ..Default::default()
    };
    for w in text.split_whitespace() {
        match w.split_once(':') {
            Some(("staff", v)) => f.staff = Some(v.to_string()),
            Some(("rider", v)) => f.rider = v.parse().ok().map(RiderId),
            Some(("action", v)) => f.action = Some(v.to_string()),
            _ => f.staff = Some(w.to_string()),
        }
    }
    f
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
