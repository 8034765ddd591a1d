//! The console's state and its one `update`: keys, ticks, backend replies and live events
//! all arrive as [`Msg`]s. Nothing here waits on the backend: a request is a task that
//! reports back with a [`Reply`]; a stale reply (an older search) is recognised and dropped.

use super::dialog::{self, Form};
use super::keymap::{Action, Scope};
use super::text::{Lang, T};
use super::theme::Theme;
use crate::api::RiderHit;
use crate::api::{Alert, DeskInfo, Event, RiderView, StationView};
use crate::api::{AuditFilter, AuditRecord};
use crate::api::{BResult, BackendError, BackendInfo};
use crate::api::{Bike, BikeState, StationCounts};
use crate::backend::Backend;
use crate::domain::roles::{self, Role};
use crate::domain::tariff::Tariff;
use crate::domain::{RiderId, StationId};
use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseEvent};
use std::cell::Cell;
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::mpsc::UnboundedSender;
use tui_input::Input;

pub use super::fetch::{Job, Jobs};

/// How long the typing pauses before a rider search is sent.
pub const SEARCH_PAUSE: std::time::Duration = std::time::Duration::from_millis(150);

/// The seven top views, in tab order (keys `1`–`7`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Stations,
    Map,
    Riders,
    Rebalance,
    Alerts,
    Audit,
    /// The desk's file: handovers to take over, cases (issue 17).
    Cases,
}

impl View {
    pub const ALL: [View; 7] = [
        View::Stations,
        View::Map,
        View::Riders,
        View::Rebalance,
        View::Alerts,
        View::Audit,
        View::Cases,
    ];
    pub fn title(self) -> T {
        match self {
            View::Stations => T::Stations,
            View::Map => T::Map,
            View::Riders => T::Riders,
            View::Rebalance => T::Rebalance,
            View::Alerts => T::Alerts,
            View::Audit => T::Audit,
            View::Cases => T::Cases,
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
    /// A shift's length: quitting after it asks for the handover first (issue 17).
    pub shift: chrono::Duration,
}

/// A shift's length when the configuration does not say (issue 17).
pub const DEFAULT_SHIFT_HOURS: i64 = 8;

#[allow(clippy::large_enum_variant)] // one message at a time; boxing buys nothing here
pub enum Msg {
    Key(KeyEvent),
    /// The backend's link changed (a remote one lost or regained its server).
    Connection(crate::api::ConnectionState),
    Mouse(MouseEvent),
    Tick,
    /// The typing paused: the search of query number `seq` is due (if it is still the
    /// newest).
    SearchDue(u64),
    Event(i64, Event),
    Reply(Reply),
}

#[allow(clippy::large_enum_variant)]
pub enum Reply {
    Now(BResult<DateTime<Utc>>),
    Role(BResult<Role>),
    Desk(BResult<DeskInfo>),
    Replication(BResult<Option<crate::api::Replication>>),
    Stations(BResult<Vec<StationCounts>>),
    Station(StationId, BResult<StationView>),
    Search(u64, BResult<Vec<RiderHit>>),
    Rider(RiderId, BResult<RiderView>),
    Alerts(BResult<Vec<Alert>>),
    Audit(BResult<Vec<AuditRecord>>),
    Van(BResult<Vec<Bike>>),
    Plan(u64, BResult<crate::api::RebalancePlan>),
    /// An alert taken ("I am on it").
    Taken(BResult<crate::api::Outcome>),
    /// The station of the van's stop `d` opens (van, station).
    StopStation(u32, StationId, BResult<StationView>),
    Preview(u64, Result<Vec<String>, String>),
    Submitted(u64, Result<dialog::Done, BackendError>),
    /// The bike of a cable lock's ended rental (how it ended).
    CableBike(u64, BResult<Bike>),
    /// The desk's file (cases, handovers).
    DeskFile(BResult<crate::api::DeskFile>),
    /// The riders a `:call` found (what was asked, the hits).
    Call(String, BResult<Vec<RiderHit>>),
}

pub use super::state::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Info,
    Ok,
    Error,
}

pub struct App {
    pub backend: Arc<dyn Backend>,
    pub(super) tx: UnboundedSender<Msg>,
    pub opts: Options,
    pub info: BackendInfo,
    pub role: Option<Role>,
    pub desk: Option<DeskInfo>,
    /// Whether the server's database is replicated (asked by admins only).
    pub replication: Option<crate::api::Replication>,
    pub tariff: Option<Tariff>,
    pub now: Option<DateTime<Utc>>,
    /// When `now` was read, and how fast the system's clock ran between the last two
    /// reads (a demo's simulated clock runs faster): the clock is extrapolated between
    /// reads, read at most every 10 s on a server.
    pub(super) now_read: Option<Instant>,
    pub(super) clock_rate: f64,
    /// The fetches, one running and one queued each.
    pub jobs: Jobs,
    /// The rider search waits for a pause in the typing (about 150 ms).
    pub(super) search_due: Option<Instant>,
    pub last_update: Option<Instant>,
    pub disconnected: Option<String>,
    /// The link behind the live updates (always live for an in-process backend).
    pub connection: crate::api::ConnectionState,
    pub view: View,
    pub stack: Vec<Page>,
    pub stations: StationsState,
    pub map: MapState,
    pub riders: RidersState,
    pub rider: Option<RiderPage>,
    pub station: Option<StationPage>,
    pub alerts: Vec<Alert>,
    pub alerts_sel: Picked<AlertKey>,
    pub alerts_filter: Input,
    pub alerts_filtering: bool,
    pub audit: Vec<AuditRecord>,
    pub audit_filter: Input,
    pub audit_filtering: bool,
    pub audit_sel: Picked<i64>,
    pub audit_denied: bool,
    pub rebalance_sel: Picked<StationId>,
    pub van: Vec<Bike>,
    /// The depot's van plan (the Rebalance view and the map's routes).
    pub depot: super::views::rebalance::DepotState,
    /// The desk's file: cases and handovers (`None` until fetched, or for the depot).
    pub desk_file: Option<crate::api::DeskFile>,
    pub cases_sel: Picked<super::views::cases::CaseKey>,
    /// Whether the handovers waiting were shown once (the first look goes to Cases).
    pub(super) handover_shown: bool,
    /// When the console started (quitting after a shift's length asks for a handover).
    pub started: Option<DateTime<Utc>>,
    /// The shift's length (`--shift-hours`, the configuration; 8 h by default).
    pub(super) quit_warned: bool,
    pub dialog: Option<Form>,
    pub palette: Option<Input>,
    pub help: bool,
    /// Whether the console takes the mouse (`m`); off, the terminal keeps it for copying.
    pub mouse: bool,
    pub status: Option<(String, Severity)>,
    pub quit: bool,
    /// Requests sent and not yet answered (tests wait for zero).
    pub pending: usize,
    pub(super) last_refresh: Option<Instant>,
    /// Which look the console takes next (see `on_tick`).
    pub(super) look: u64,
    /// The list area's top row and height at the last render (mouse, paging).
    pub list_area: Cell<(u16, u16)>,
    /// A text field was just focused with text in it: the first character typed replaces
    /// that text (as a selected text does), any other key keeps it.
    pub(super) text_fresh: bool,
    /// Whether the last frame was too small to show anything but "enlarge the window":
    /// keys other than quit and help then do nothing (what they would do is not seen).
    pub too_small: Cell<bool>,
    /// Frozen wall clock for snapshot tests; `None` reads `Instant::now()`.
    pub frozen: Option<Instant>,
}

impl App {
    pub fn new(backend: Arc<dyn Backend>, tx: UnboundedSender<Msg>, opts: Options) -> App {
        // The console acts as its staff member: every operation and look-up is theirs.
        let backend = backend.as_staff(&opts.staff);
        let info = backend.info();
        let mut app = App {
            backend,
            tx,
            info,
            role: None,
            desk: None,
            replication: None,
            tariff: None,
            now: None,
            now_read: None,
            clock_rate: 1.0,
            jobs: Jobs::default(),
            search_due: None,
            last_update: None,
            disconnected: None,
            connection: crate::api::ConnectionState::Live,
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
            alerts_sel: Picked::default(),
            alerts_filter: Input::default(),
            alerts_filtering: false,
            audit: Vec::new(),
            audit_filter: Input::default(),
            audit_filtering: false,
            audit_sel: Picked::default(),
            audit_denied: false,
            rebalance_sel: Picked::default(),
            van: Vec::new(),
            depot: Default::default(),
            desk_file: None,
            cases_sel: Picked::default(),
            handover_shown: false,
            started: None,
            quit_warned: false,
            dialog: None,
            palette: None,
            help: false,
            mouse: false,
            status: opts.note.clone().map(|n| (n, Severity::Info)),
            quit: false,
            pending: 0,
            last_refresh: None,
            look: 0,
            list_area: Cell::new((0, 0)),
            too_small: Cell::new(false),
            text_fresh: false,
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

    /// The system's clock now: the last read, moved on at the rate it ran.
    pub fn clock_now(&self) -> Option<DateTime<Utc>> {
        let now = self.now?;
        let since = self
            .now_read
            .map(|t| self.wall().saturating_duration_since(t))
            .unwrap_or_default();
        let micros = (since.as_secs_f64() * self.clock_rate * 1e6) as i64;
        Some(now + chrono::Duration::microseconds(micros))
    }

    /// A held open rental's duration and price now: the duration counts on with the
    /// system's clock from when the view came; the price is the one the system gave then
    /// (the view is fetched again on every change of the rider, and each minute).
    pub fn live_rental(&self, o: &crate::api::OpenRental) -> (i64, crate::domain::Tenge) {
        let since = self
            .rider
            .as_ref()
            .and_then(|p| p.fetched)
            .map(|t| self.wall().saturating_duration_since(t).as_secs_f64())
            .unwrap_or(0.0);
        (o.seconds + (since * self.clock_rate) as i64, o.live_price)
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

    /// May the console's staff member take this action here and now?
    pub fn allowed(&self, a: Action) -> bool {
        match a.needs() {
            None => true,
            Some(_) if self.opts.read_only => false,
            Some(need) => self.role.is_some_and(|r| roles::allows(r, need)),
        }
    }

    /// Why a procedure's key does nothing here now, in words (`None`: it can be used).
    pub fn disabled_reason(&self, a: Action) -> Option<&'static str> {
        let kind = dialog::Kind::of(a)?;
        let on = self.target(kind)?;
        super::procedures::disabled(self, kind, on)
    }

    pub fn page(&self) -> Option<Page> {
        self.stack.last().copied()
    }

    /// The scopes whose keys apply now, most specific first.
    pub fn scopes(&self) -> Vec<Scope> {
        let mut s = Vec::with_capacity(3);
        if self.text_focused() {
            // Printable keys are text here (the field takes them first); the keys it lets
            // through — moving, Enter, Tab — act as anywhere.
            return vec![Scope::Text, Scope::List, Scope::Global];
        }
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
                    View::Rebalance => s.push(Scope::Rebalance),
                    View::Alerts => s.push(Scope::Alerts),
                    View::Cases => s.push(Scope::Cases),
                    _ => {}
                }
                s.push(Scope::List);
            }
        }
        s.push(Scope::Global);
        s
    }

    /// Whether a text field has the keys (the station filter, the rider search, the audit
    /// filter, in their view with no page open).
    pub fn text_focused(&self) -> bool {
        self.page().is_none()
            && match self.view {
                View::Stations => self.stations.filtering,
                View::Riders => self.riders.typing,
                View::Audit => self.audit_filtering,
                View::Alerts => self.alerts_filtering,
                _ => false,
            }
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
            Msg::SearchDue(seq) => {
                if seq == self.riders.seq && self.search_due.is_some() {
                    self.search_now();
                }
            }
            Msg::Connection(c) => {
                let was_live = self.connection.is_live();
                self.connection = c;
                if self.connection.is_live() && !was_live {
                    // Back online: whatever was missed comes with a fresh look.
                    self.refresh_all();
                }
            }
            Msg::Event(_, e) => self.on_event(e),
            Msg::Reply(r) => {
                self.pending = self.pending.saturating_sub(1);
                self.on_reply(r)
            }
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

    /// The alerts as listed (the filter applied).
    pub fn visible_alerts(&self) -> Vec<&Alert> {
        let f = self.alerts_filter.value();
        self.alerts
            .iter()
            .filter(|a| super::views::alerts::matches(self, a, f))
            .collect()
    }

    /// The alerts as listed, by identity.
    pub fn alert_keys(&self) -> Vec<AlertKey> {
        self.visible_alerts().into_iter().map(alert_key).collect()
    }

    /// A station's name in the console's language (Kazakh names in Kazakh, where the city
    /// has them).
    pub fn station_name(&self, id: StationId) -> String {
        self.station_by_id(id)
            .map(|s| super::views::stations::local_name(s, self.opts.lang).to_string())
            .unwrap_or_default()
    }

    pub fn audit_keys(&self) -> Vec<i64> {
        self.audit.iter().map(|a| a.id).collect()
    }

    pub fn rebalance_keys(&self) -> Vec<StationId> {
        super::views::rebalance::stop_keys(self)
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
