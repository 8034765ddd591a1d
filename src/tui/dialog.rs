//! The guided procedures (cable lock, manual unlock, end a stuck rental, fine entry, the
//! cash desk, the depot's moves) as one kind of keyboard form: fields → a preview of the
//! effect → a confirmation with *Cancel* focused → the backend call → the outcome.

use super::keymap::Action;
use super::text::{Lang, T, fill};
use crate::api::{Event, RiderView};
use crate::domain::money::MAX_AMOUNT;
use crate::domain::time::parse_local;
use crate::domain::{BikeId, RiderId, StationId, Tenge};
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use tui_input::Input;

/// What a procedure acts on: the rider of the page, or the station (and the dock and bike
/// under the cursor) of the depot's page; a cable lock also names the call's station.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Target {
    pub rider: Option<RiderId>,
    pub station: Option<StationId>,
    pub bike: Option<BikeId>,
    pub dock: Option<u32>,
    /// The van of a stop of the depot's plan.
    pub van: Option<u32>,
    /// The desk's record it acts on: a case, a note, a handover item (issue 17).
    pub item: Option<i64>,
}

impl Target {
    pub fn rider(r: RiderId) -> Target {
        Target {
            rider: Some(r),
            ..Target::default()
        }
    }
}

/// Every procedure the console offers (each is one module under `procedures/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Authorise a cable lock (R14) for a rider, at a station when the call names one.
    CableLock,
    ManualUnlock,
    EndRental,
    Fine,
    Pay,
    SellPass,
    Deposit,
    Refund,
    Claim,
    Bonus,
    Correct,
    Block,
    /// A note on the rider (kept in the audit, shown in the rider view).
    Note,
    Unblock,
    Restrict,
    LiftRestriction,
    ResetPin,
    LostCard,
    Reveal,
    Approve,
    Reject,
    Release,
    ServiceDock,
    Repair,
    DockOut,
    DockIn,
    /// A van's stop of the depot's plan (opened by `d` in the Rebalance view).
    VanStop,
    /// A docking dispute (issue 17): the evidence, the fair end, one confirm.
    Dispute,
    /// Unpin the pinned note of the rider's or station's page.
    Unpin,
    /// A note on the station of the page, or on the bike under the cursor.
    StationNote,
    BikeNote,
    /// A contact with the rider opened (a reason) or closed (an outcome and a note).
    OpenContact,
    CloseContact,
    /// A card issued or replaced at the tariff's fee (R24).
    IssueCard,
    /// A case opened on the rider (from the contact), moved on, or given to someone.
    OpenCase,
    UpdateCase,
    AssignCase,
    /// The shift handed over (`:handover`), and an item of another's taken over.
    Handover,
    AckHandover,
}

impl Kind {
    /// The procedure a key's action opens.
    pub fn of(a: Action) -> Option<Kind> {
        Some(match a {
            Action::CableLock => Kind::CableLock,
            Action::ManualUnlock => Kind::ManualUnlock,
            Action::EndRental => Kind::EndRental,
            Action::Fine => Kind::Fine,
            Action::Pay => Kind::Pay,
            Action::SellPass => Kind::SellPass,
            Action::Deposit => Kind::Deposit,
            Action::Refund => Kind::Refund,
            Action::Claim => Kind::Claim,
            Action::Bonus => Kind::Bonus,
            Action::Correct => Kind::Correct,
            Action::Block => Kind::Block,
            Action::Note => Kind::Note,
            Action::Unblock => Kind::Unblock,
            Action::Restrict => Kind::Restrict,
            Action::LiftRestriction => Kind::LiftRestriction,
            Action::ResetPin => Kind::ResetPin,
            Action::LostCard => Kind::LostCard,
            Action::Reveal => Kind::Reveal,
            Action::Approve => Kind::Approve,
            Action::Reject => Kind::Reject,
            Action::ServiceRelease => Kind::Release,
            Action::ServiceDock => Kind::ServiceDock,
            Action::ToRepair => Kind::Repair,
            Action::DockOut => Kind::DockOut,
            Action::DockIn => Kind::DockIn,
            Action::Dispute => Kind::Dispute,
            Action::Unpin => Kind::Unpin,
            Action::StationNote => Kind::StationNote,
            Action::BikeNote => Kind::BikeNote,
            Action::OpenContact => Kind::OpenContact,
            Action::CloseContact => Kind::CloseContact,
            Action::IssueCard => Kind::IssueCard,
            Action::OpenCase => Kind::OpenCase,
            Action::UpdateCase => Kind::UpdateCase,
            Action::AssignCase => Kind::AssignCase,
            Action::AckHandover => Kind::AckHandover,
            _ => return None,
        })
    }

    /// Whether it acts on a rider (the rider view's keys) rather than a station.
    pub fn on_rider(self) -> bool {
        !matches!(
            self,
            Kind::Release
                | Kind::ServiceDock
                | Kind::Repair
                | Kind::DockOut
                | Kind::DockIn
                | Kind::VanStop
                | Kind::StationNote
                | Kind::BikeNote
                | Kind::UpdateCase
                | Kind::AssignCase
                | Kind::Handover
                | Kind::AckHandover
        )
    }

    /// Whether it acts on the desk's file (the Cases view, the palette) rather than a page.
    pub fn on_desk(self) -> bool {
        matches!(
            self,
            Kind::UpdateCase | Kind::AssignCase | Kind::Handover | Kind::AckHandover
        )
    }
}

/// A procedure and what it acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proc {
    pub kind: Kind,
    pub on: Target,
}

impl Proc {
    pub fn new(kind: Kind, on: Target) -> Proc {
        Proc { kind, on }
    }

    /// A van's stop at a station of the depot's plan.
    #[allow(non_snake_case)]
    pub fn VanStop(van: u32, station: StationId) -> Proc {
        Proc::new(
            Kind::VanStop,
            Target {
                station: Some(station),
                van: Some(van),
                ..Target::default()
            },
        )
    }

    /// A cable lock for the rider, at the call's station when there is one.
    pub fn cable_lock(r: RiderId, station: Option<StationId>) -> Proc {
        Proc::new(
            Kind::CableLock,
            Target {
                station,
                ..Target::rider(r)
            },
        )
    }

    pub fn title(self) -> T {
        super::procedures::of(self.kind).title()
    }
}

pub enum Field {
    Text {
        key: &'static str,
        label: T,
        input: Input,
        secret: bool,
        /// Whether it must be filled in (reasons, bikes, stations, amounts: by default).
        required: bool,
    },
    Choice {
        key: &'static str,
        label: T,
        /// (value, shown label)
        options: Vec<(String, String)>,
        selected: usize,
        /// What was typed to pick an option by its start (a station by its code).
        typed: String,
    },
}

impl Field {
    pub(super) fn text(key: &'static str, label: T, value: impl Into<String>) -> Field {
        Field::Text {
            key,
            label,
            input: Input::new(value.into()),
            secret: false,
            required: matches!(key, "reason" | "bike" | "pin" | "station" | "at" | "amount"),
        }
    }
    pub(super) fn secret(key: &'static str, label: T) -> Field {
        Field::Text {
            key,
            label,
            input: Input::default(),
            secret: true,
            required: true,
        }
    }
    pub(super) fn choice(
        key: &'static str,
        label: T,
        options: Vec<(String, String)>,
        selected: usize,
    ) -> Field {
        Field::Choice {
            key,
            label,
            options,
            selected,
            typed: String::new(),
        }
    }
    /// May be left empty.
    pub(super) fn optional(mut self) -> Field {
        if let Field::Text { required, .. } = &mut self {
            *required = false;
        }
        self
    }
    /// Must be filled in.
    pub(super) fn required(mut self) -> Field {
        if let Field::Text { required, .. } = &mut self {
            *required = true;
        }
        self
    }
    pub(super) fn key(&self) -> &'static str {
        match self {
            Field::Text { key, .. } | Field::Choice { key, .. } => key,
        }
    }
    pub fn label(&self) -> T {
        match self {
            Field::Text { label, .. } | Field::Choice { label, .. } => *label,
        }
    }
    pub(super) fn value(&self) -> &str {
        match self {
            Field::Text { input, .. } => input.value(),
            Field::Choice {
                options, selected, ..
            } => options.get(*selected).map(|o| o.0.as_str()).unwrap_or(""),
        }
    }
    fn is_required(&self) -> bool {
        matches!(self, Field::Text { required: true, .. })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    Edit,
    Previewing,
    /// The preview is shown; which button has the focus (`false`: *Cancel*).
    Confirm {
        on_confirm: bool,
    },
    Busy,
    /// After a cable-lock authorisation: waiting for the rental to end.
    Waiting {
        slow: bool,
    },
    Done,
}

/// How the rental of a cable lock ended, as the dialog tells it (R14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CableOutcome {
    /// Locked with the cable at the authorised station.
    Locked(StationId),
    /// The rider found a dock after all (at this station): the permission went unused.
    Docked(StationId),
    /// Ended some other way (by hand, at no station): the permission went unused.
    EndedOtherwise,
}

pub struct Form {
    pub proc: Proc,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub stage: Stage,
    /// Facts shown above the fields (the rider, the rental…).
    pub facts: Vec<String>,
    pub preview: Vec<String>,
    pub result: Vec<String>,
    pub error: Option<String>,
    pub seq: u64,
    /// The local time zone and the rider as they were when the form opened.
    pub(super) tz: chrono_tz::Tz,
    pub(super) lang: Lang,
    pub(super) rider: Option<RiderView>,
    pub(super) valid_until: Option<String>,
    /// When the system authorised the cable lock (the system's clock).
    pub(super) since: Option<DateTime<Utc>>,
    /// The system's clock at the last tick (the wait's duration follows it).
    pub(super) clock: DateTime<Utc>,
    /// The tariff's fixed amount per fine kind (empty when the kind has none).
    pub(super) fine_amounts: Vec<(String, String)>,
    /// How a cable lock's rental ended, once it has.
    pub outcome: Option<CableOutcome>,
}

/// What a confirmed procedure did, in words; a reveal also brings the data.
pub struct Done {
    pub text: String,
    pub personal: Option<crate::api::Personal>,
}

impl From<String> for Done {
    fn from(text: String) -> Done {
        Done {
            text,
            personal: None,
        }
    }
}

pub enum Outcome {
    Stay,
    Close,
    Preview,
    Submit,
}

impl Form {
    pub fn value(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.key() == key)
            .map(|f| f.value().trim())
            .unwrap_or("")
    }

    /// Replace a text field's value.
    pub(super) fn set(&mut self, key: &str, value: &str) {
        for f in &mut self.fields {
            if let Field::Text { key: k, input, .. } = f
                && *k == key
            {
                *input = Input::new(value.to_string());
            }
        }
    }

    /// Check what was typed before asking for a preview; the error names the field.
    fn validate(&self, lang: Lang) -> Option<String> {
        for f in &self.fields {
            let v = f.value().trim();
            let label = f.label().get(lang);
            if f.is_required() && v.is_empty() {
                return Some(fill(T::NeedText.get(lang), &[&label]));
            }
            let numeric = matches!(f.key(), "amount" | "bike" | "station" | "dock" | "delta");
            if numeric && !v.is_empty() && typed_number(v).is_none() {
                return Some(fill(T::NeedNumber.get(lang), &[&label]));
            }
            if f.key() == "pin" && (v.len() != 4 || !v.chars().all(|c| c.is_ascii_digit())) {
                return Some(fill(T::NeedPin.get(lang), &[&label]));
            }
            // D30: every amount a desk form takes is from 1 ₸ to the bound.
            if f.key() == "amount"
                && let Some(n) = typed_number(v)
                && Tenge(n).bounded("").is_err()
            {
                let max = MAX_AMOUNT.to_string();
                let max = max.trim_end_matches(" ₸");
                return Some(fill(T::AmountBound.get(lang), &[&label, &max]));
            }
            if f.key() == "at" && parse_local(self.tz, v).is_none() {
                return Some(fill(T::BadTime.get(lang), &[&label]));
            }
        }
        super::procedures::of(self.proc.kind).validate(self, lang)
    }

    pub(super) fn num(&self, key: &str) -> Option<i64> {
        typed_number(self.value(key))
    }

    pub fn key(&mut self, k: KeyEvent, lang: Lang) -> Outcome {
        match self.stage.clone() {
            Stage::Edit => match k.code {
                KeyCode::Esc => return Outcome::Close,
                KeyCode::Tab | KeyCode::Down => {
                    self.focus = (self.focus + 1) % self.fields.len().max(1)
                }
                KeyCode::BackTab | KeyCode::Up => {
                    let n = self.fields.len().max(1);
                    self.focus = (self.focus + n - 1) % n
                }
                KeyCode::Enter => {
                    self.error = self.validate(lang);
                    if self.error.is_none() {
                        self.stage = Stage::Previewing;
                        return Outcome::Preview;
                    }
                }
                _ => {
                    let mut changed = None;
                    if let Some(f) = self.fields.get_mut(self.focus) {
                        changed = Some(f.key());
                        match f {
                            Field::Text { input, .. } => {
                                super::input::edit(input, k);
                            }
                            Field::Choice {
                                options,
                                selected,
                                typed,
                                ..
                            } => choose(options, selected, typed, k),
                        }
                    }
                    if let Some(key) = changed {
                        super::procedures::of(self.proc.kind).changed(self, key);
                    }
                }
            },
            // A preview may be abandoned; a call in flight is not (its answer will come).
            Stage::Previewing => {
                if k.code == KeyCode::Esc {
                    self.stage = Stage::Edit;
                }
            }
            Stage::Busy => {}
            Stage::Confirm { on_confirm } => match k.code {
                KeyCode::Left | KeyCode::Right | KeyCode::Tab | KeyCode::BackTab => {
                    self.stage = Stage::Confirm {
                        on_confirm: !on_confirm,
                    }
                }
                KeyCode::Char('h') => self.stage = Stage::Confirm { on_confirm: false },
                KeyCode::Char('l') => self.stage = Stage::Confirm { on_confirm: true },
                KeyCode::Esc => self.stage = Stage::Edit,
                KeyCode::Enter if on_confirm => {
                    self.stage = Stage::Busy;
                    return Outcome::Submit;
                }
                KeyCode::Enter => self.stage = Stage::Edit,
                _ => {}
            },
            Stage::Waiting { .. } | Stage::Done => {
                if matches!(k.code, KeyCode::Esc | KeyCode::Enter) {
                    return Outcome::Close;
                }
            }
        }
        Outcome::Stay
    }

    pub fn on_preview(&mut self, seq: u64, res: Result<Vec<String>, String>) {
        if seq != self.seq || self.stage != Stage::Previewing {
            return;
        }
        match res {
            Ok(lines) => {
                self.preview = lines;
                self.error = None;
                self.stage = Stage::Confirm { on_confirm: false };
            }
            Err(e) => {
                self.error = Some(e);
                self.stage = Stage::Edit;
            }
        }
    }

    /// The backend said yes. Returns whether the dialog stays open (cable lock: it waits
    /// for the rental to end); `now` is the system's clock.
    pub fn on_done(&mut self, text: &str, now: DateTime<Utc>) -> bool {
        self.result = vec![text.to_string()];
        self.clock = now;
        if self.proc.kind == Kind::CableLock {
            self.since = Some(now);
            self.stage = Stage::Waiting { slow: false };
            return true;
        }
        if self.proc.kind == Kind::Reveal {
            return false;
        }
        self.stage = Stage::Done;
        false
    }

    pub fn on_error(&mut self, e: String) {
        self.error = Some(e);
        self.stage = Stage::Edit;
    }

    /// A rental ended: if it is this cable lock's rider, say how. The station the bike
    /// ended at tells: the authorised one is a lock (the bike's state confirms it, see
    /// [`Form::on_bike`]), another is a dock the rider found.
    pub fn on_event(&mut self, e: &Event) -> Option<BikeId> {
        if let (Kind::CableLock, Stage::Waiting { .. }) = (self.proc.kind, &self.stage)
            && let Event::RentalEnded {
                rider,
                bike,
                station,
                charge,
            } = e
            && Some(*rider) == self.proc.on.rider
        {
            let authorised = typed_number(self.value("station")).map(StationId);
            self.outcome = Some(match station {
                Some(s) if Some(*s) == authorised => CableOutcome::Locked(*s),
                Some(s) => CableOutcome::Docked(*s),
                None => CableOutcome::EndedOtherwise,
            });
            let st = station.map(|s| s.to_string()).unwrap_or_else(|| "—".into());
            self.result = vec![
                format!(
                    "{} {bike} · {} {st}",
                    T::Bike.get(self.lang),
                    T::Station.get(self.lang)
                ),
                fill(T::PreviewTotal.get(self.lang), &[&Tenge(*charge)]),
            ];
            self.stage = Stage::Done;
            return Some(BikeId(*bike));
        }
        None
    }

    /// The bike of a cable lock's ended rental, as the system has it now: docked rather
    /// than cable-locked at the authorised station means the rider docked after all.
    pub fn on_bike(&mut self, bike: &crate::api::Bike) {
        if let Some(CableOutcome::Locked(s)) = self.outcome
            && bike.state == crate::api::BikeState::Docked
        {
            self.outcome = Some(CableOutcome::Docked(s));
        }
    }

    /// Time passes (the system's clock): a cable lock that has waited long says what to do.
    pub fn tick(&mut self, now: DateTime<Utc>) {
        self.clock = now;
        if let (Stage::Waiting { slow }, Some(since)) = (&mut self.stage, self.since)
            && !*slow
            && (now - since).num_seconds() > 120
        {
            *slow = true;
        }
    }

    pub fn waited(&self) -> String {
        match (&self.stage, self.since) {
            (Stage::Waiting { .. }, Some(since)) => {
                super::views::duration_in((self.clock - since).num_seconds(), self.lang)
            }
            _ => String::new(),
        }
    }

    pub fn valid_until(&self) -> &str {
        self.valid_until.as_deref().unwrap_or("")
    }
}

/// A key on a choice: ←/→ step; digits and letters pick the first option whose label
/// starts with what was typed (a station by its code); Backspace takes a character back.
fn choose(options: &[(String, String)], selected: &mut usize, typed: &mut String, k: KeyEvent) {
    match k.code {
        KeyCode::Left | KeyCode::Char('h') if typed.is_empty() => {
            *selected = selected.saturating_sub(1)
        }
        KeyCode::Right | KeyCode::Char('l') | KeyCode::Char(' ') if typed.is_empty() => {
            *selected = (*selected + 1).min(options.len().saturating_sub(1))
        }
        KeyCode::Left => *selected = selected.saturating_sub(1),
        KeyCode::Right => *selected = (*selected + 1).min(options.len().saturating_sub(1)),
        KeyCode::Backspace => {
            typed.pop();
        }
        KeyCode::Char(c) if c.is_alphanumeric() => {
            typed.push(c);
            let t = typed.to_lowercase();
            match options
                .iter()
                .position(|o| o.1.to_lowercase().starts_with(&t))
            {
                Some(i) => *selected = i,
                // Nothing starts so: the typing starts again from this character.
                None => {
                    typed.clear();
                    typed.push(c);
                    let t = typed.to_lowercase();
                    if let Some(i) = options
                        .iter()
                        .position(|o| o.1.to_lowercase().starts_with(&t))
                    {
                        *selected = i;
                    }
                }
            }
        }
        _ => {}
    }
}

/// A whole number as people type it, money as the console prints it included:
/// `10 000`, `10 000 ₸`, `15000`.
pub fn typed_number(s: &str) -> Option<i64> {
    let digits: String = s
        .trim()
        .trim_end_matches('₸')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}')
        .collect();
    digits.parse().ok()
}
