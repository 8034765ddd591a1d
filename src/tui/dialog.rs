//! The guided procedures (cable lock, manual unlock, end a stuck rental, fine entry, the
//! cash desk, the depot's moves) as one kind of keyboard form: fields → a preview of the
//! effect → a confirmation with *Cancel* focused → the backend call → the outcome.

use super::keymap::Action;
use super::text::{Lang, T, fill};
use crate::api::{Event, RiderView};
use crate::domain::money::MAX_AMOUNT;
use crate::domain::time::parse_local;
use crate::domain::{BikeId, RiderId, StationId, Tenge};
use crossterm::event::{KeyCode, KeyEvent};
use std::time::{Duration, Instant};
use tui_input::Input;

/// A procedure and what it acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proc {
    /// Authorise a cable lock (R14) for a rider, at a station when the call names one.
    CableLock(RiderId, Option<StationId>),
    ManualUnlock(RiderId),
    EndRental(RiderId),
    Fine(RiderId),
    Pay(RiderId),
    SellPass(RiderId),
    Deposit(RiderId),
    Refund(RiderId),
    Claim(RiderId),
    Block(RiderId),
    Unblock(RiderId),
    ResetPin(RiderId),
    LostCard(RiderId),
    Reveal(RiderId),
    Approve(RiderId),
    Release(StationId, Option<BikeId>),
    ServiceDock(StationId),
    Repair(StationId, Option<BikeId>),
    DockOut(StationId),
    DockIn(StationId),
    /// A van's stop of the depot's plan: van number, station.
    VanStop(u32, StationId),
}

impl Proc {
    pub fn for_rider(a: Action, r: RiderId) -> Option<Proc> {
        Some(match a {
            Action::CableLock => Proc::CableLock(r, None),
            Action::ManualUnlock => Proc::ManualUnlock(r),
            Action::EndRental => Proc::EndRental(r),
            Action::Fine => Proc::Fine(r),
            Action::Pay => Proc::Pay(r),
            Action::SellPass => Proc::SellPass(r),
            Action::Deposit => Proc::Deposit(r),
            Action::Refund => Proc::Refund(r),
            Action::Claim => Proc::Claim(r),
            Action::Block => Proc::Block(r),
            Action::Unblock => Proc::Unblock(r),
            Action::ResetPin => Proc::ResetPin(r),
            Action::LostCard => Proc::LostCard(r),
            Action::Reveal => Proc::Reveal(r),
            Action::Approve => Proc::Approve(r),
            _ => return None,
        })
    }

    pub fn for_station(a: Action, s: StationId, bike: Option<BikeId>) -> Option<Proc> {
        Some(match a {
            Action::ServiceRelease => Proc::Release(s, bike),
            Action::ServiceDock => Proc::ServiceDock(s),
            Action::ToRepair => Proc::Repair(s, bike),
            Action::DockOut => Proc::DockOut(s),
            Action::DockIn => Proc::DockIn(s),
            _ => return None,
        })
    }

    pub fn title(self) -> T {
        match self {
            Proc::CableLock(..) => T::CableLockTitle,
            Proc::ManualUnlock(_) => T::UnlockTitle,
            Proc::EndRental(_) => T::EndRentalTitle,
            Proc::Fine(_) => T::FineTitle,
            Proc::Pay(_) => T::PayTitle,
            Proc::SellPass(_) => T::SellPassTitle,
            Proc::Deposit(_) => T::DepositTitle,
            Proc::Refund(_) => T::RefundTitle,
            Proc::Claim(_) => T::ClaimTitle,
            Proc::Block(_) => T::BlockTitle,
            Proc::Unblock(_) => T::UnblockTitle,
            Proc::ResetPin(_) => T::PinTitle,
            Proc::LostCard(_) => T::LostCardTitle,
            Proc::Reveal(_) => T::RevealTitle,
            Proc::Approve(_) => T::ApproveTitle,
            Proc::Release(..) => T::ReleaseTitle,
            Proc::ServiceDock(_) => T::ServiceDockTitle,
            Proc::Repair(..) => T::RepairTitle,
            Proc::DockOut(_) => T::DockOutTitle,
            Proc::DockIn(_) => T::DockInTitle,
            Proc::VanStop(..) => T::VanStopTitle,
        }
    }
}

pub enum Field {
    Text {
        key: &'static str,
        label: T,
        input: Input,
        secret: bool,
    },
    Choice {
        key: &'static str,
        label: T,
        /// (value, shown label)
        options: Vec<(String, String)>,
        selected: usize,
    },
}

impl Field {
    pub(super) fn text(key: &'static str, label: T, value: impl Into<String>) -> Field {
        Field::Text {
            key,
            label,
            input: Input::new(value.into()),
            secret: false,
        }
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
    /// After a cable-lock authorisation: waiting for «Құлыпталды» from the station.
    Waiting {
        since: Instant,
        slow: bool,
    },
    Done,
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
    /// The console's wall clock at the last tick (the wait's duration).
    pub(super) clock: Instant,
    /// The tariff's fixed amount per fine kind (empty when the kind has none).
    pub(super) fine_amounts: Vec<(String, String)>,
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

pub(super) fn rider_of(p: Proc) -> Option<RiderId> {
    use Proc::*;
    match p {
        CableLock(r, _)
        | ManualUnlock(r)
        | EndRental(r)
        | Fine(r)
        | Pay(r)
        | SellPass(r)
        | Deposit(r)
        | Refund(r)
        | Claim(r)
        | Block(r)
        | Unblock(r)
        | ResetPin(r)
        | LostCard(r)
        | Reveal(r)
        | Approve(r) => Some(r),
        _ => None,
    }
}

impl Form {
    pub fn value(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.key() == key)
            .map(|f| f.value().trim())
            .unwrap_or("")
    }

    /// Check what was typed before asking for a preview; the error names the field.
    fn validate(&self, lang: Lang) -> Option<String> {
        for f in &self.fields {
            let v = f.value().trim();
            let label = f.label().get(lang);
            let required = matches!(f.key(), "reason" | "bike" | "pin" | "station" | "at")
                || (f.key() == "amount" && !matches!(self.proc, Proc::Fine(_)));
            if required && v.is_empty() {
                return Some(fill(T::NeedText.get(lang), &[&label]));
            }
            let numeric = matches!(f.key(), "amount" | "bike" | "station" | "dock");
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
        None
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
                    if let Some(f) = self.fields.get_mut(self.focus) {
                        match f {
                            Field::Text { input, .. } => {
                                super::input::edit(input, k);
                            }
                            Field::Choice {
                                options, selected, ..
                            } => match k.code {
                                KeyCode::Left | KeyCode::Char('h') => {
                                    *selected = selected.saturating_sub(1)
                                }
                                KeyCode::Right | KeyCode::Char('l') | KeyCode::Char(' ') => {
                                    *selected = (*selected + 1).min(options.len().saturating_sub(1))
                                }
                                _ => {}
                            },
                        }
                        if let (Proc::Fine(_), "kind") = (self.proc, self.fields[self.focus].key())
                        {
                            self.prefill_fine();
                        }
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

    /// A fine kind with a fixed amount in the tariff fills the amount in.
    fn prefill_fine(&mut self) {
        let kind = self.value("kind").to_string();
        let amount = self
            .fine_amounts
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, a)| a.clone())
            .unwrap_or_default();
        for f in &mut self.fields {
            if let Field::Text {
                key: "amount",
                input,
                ..
            } = f
            {
                *input = Input::new(amount.clone());
            }
        }
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
    /// for the station's «Құлыпталды»).
    pub fn on_done(&mut self, text: &str, now: Instant) -> bool {
        self.result = vec![text.to_string()];
        self.clock = now;
        if let Proc::CableLock(..) = self.proc {
            self.stage = Stage::Waiting {
                since: now,
                slow: false,
            };
            return true;
        }
        if let Proc::Reveal(_) = self.proc {
            return false;
        }
        self.stage = Stage::Done;
        false
    }

    pub fn on_error(&mut self, e: String) {
        self.error = Some(e);
        self.stage = Stage::Edit;
    }

    /// A rental ended: if it is this cable lock's rider, the bike is locked.
    pub fn on_event(&mut self, e: &Event) {
        if let (Proc::CableLock(r, _), Stage::Waiting { .. }) = (self.proc, &self.stage)
            && let Event::RentalEnded {
                rider,
                bike,
                station,
                charge,
            } = e
            && *rider == r
        {
            let st = station.map(|s| s.to_string()).unwrap_or_default();
            self.result = vec![
                format!(
                    "{} {bike} · {} {st}",
                    T::Bike.get(self.lang),
                    T::Station.get(self.lang)
                ),
                fill(T::PreviewTotal.get(self.lang), &[&Tenge(*charge)]),
            ];
            self.stage = Stage::Done;
        }
    }

    /// Time passes: a cable lock that has waited long says what to do.
    pub fn tick(&mut self, now: Instant) {
        self.clock = now;
        if let Stage::Waiting { since, slow } = &mut self.stage
            && !*slow
            && now.duration_since(*since) > Duration::from_secs(120)
        {
            *slow = true;
        }
    }

    pub fn waited(&self) -> String {
        match &self.stage {
            Stage::Waiting { since, .. } => {
                super::views::duration(self.clock.duration_since(*since).as_secs() as i64)
            }
            _ => String::new(),
        }
    }

    pub fn valid_until(&self) -> &str {
        self.valid_until.as_deref().unwrap_or("")
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
