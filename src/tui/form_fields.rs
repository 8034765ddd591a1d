//! The procedure form's own state: its fields (text, number, choice) and their values,
//! the keys on them, and the checks a form makes before its preview.

use super::dialog::{CableOutcome, Kind, Outcome, Proc, Stage};
use super::text::{Lang, T, fill};
use crate::api::{Event, RiderView};
use crate::domain::money::MAX_AMOUNT;
use crate::domain::time::parse_local;
use crate::domain::{BikeId, StationId, Tenge};
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use tui_input::Input;

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
