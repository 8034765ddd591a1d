//! The guided procedures, one module each: its form (prefilled from what the console
//! holds), its validation, its preview (one function, asking the backend where the backend
//! offers a preview), its one request, and why it cannot be done now (lazygit's
//! `GetDisabledReason`). A new procedure is a module here, a variant of [`Kind`] and a line
//! in [`of`].

mod approve;
mod block;
mod cable_lock;
mod card;
mod case;
mod contact;
mod correct;
mod credit;
mod deposit;
mod depot_bike;
pub mod desk_notes;
mod dispute;
mod dock_in;
mod dock_out;
mod dry;
mod end_rental;
mod fine;
mod handover;
mod lost_card;
mod manual_unlock;
mod note;
mod pay;
mod refund;
mod reject;
mod reset_pin;
mod restrict;
mod reveal;
mod sell_pass;
mod service_dock;
mod unblock;
mod van_stop;

use super::app::App;
use super::dialog::{Done, Field, Form, Kind, Proc, Stage, Target};
use super::text::{Lang, T, fill};
use crate::api::{BackendError, RiderView};
use crate::backend::Backend;
use crate::domain::Tenge;
use crate::domain::tariff::FineKind;
use chrono::{DateTime, Utc};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub type Fut<T> = Pin<Box<dyn Future<Output = T> + Send>>;
/// What a preview says, or why the request would be refused.
pub type Preview = Fut<Result<Vec<String>, String>>;
/// What the request did, or the backend's refusal.
pub type Outcome = Fut<Result<Done, BackendError>>;

/// What a procedure's functions read: the console's state and what the procedure is on.
pub struct Cx<'a> {
    pub app: &'a App,
    pub on: Target,
    /// The rider's view when the procedure is on the rider of the page.
    pub rider: Option<&'a RiderView>,
    pub lang: Lang,
    pub tz: chrono_tz::Tz,
    pub now: DateTime<Utc>,
}

impl<'a> Cx<'a> {
    pub fn new(app: &'a App, on: Target) -> Cx<'a> {
        let rider = app
            .rider
            .as_ref()
            .filter(|p| Some(p.id) == on.rider)
            .and_then(|p| p.view.as_ref());
        Cx {
            app,
            on,
            rider,
            lang: app.opts.lang,
            tz: app
                .tariff
                .as_ref()
                .map(|t| t.time_zone)
                .unwrap_or(chrono_tz::Asia::Almaty),
            now: app.clock_now().unwrap_or_else(Utc::now),
        }
    }

    pub fn t(&self, t: T) -> &'static str {
        t.get(self.lang)
    }

    /// The rider's balance as the console holds it.
    pub fn balance(&self) -> Option<Tenge> {
        self.rider.map(|v| v.rider.balance)
    }
}

/// What a request needs: the backend (acting as the console's staff member), the language
/// of the answer, the target.
pub struct Call {
    pub b: Arc<dyn Backend>,
    pub lang: Lang,
    pub on: Target,
}

impl Call {
    pub fn t(&self, t: T) -> &'static str {
        t.get(self.lang)
    }
}

/// One procedure of the console.
pub trait Procedure: Sync {
    /// The dialog's title.
    fn title(&self) -> T;

    /// Why it cannot be done on this target now, from what the console holds (`None`: it
    /// can, or the console does not know yet and the backend will say).
    fn disabled(&self, _cx: &Cx) -> Option<T> {
        None
    }

    /// Lines shown above the fields besides the rider's (the station, what will happen…).
    fn facts(&self, _cx: &Cx) -> Vec<String> {
        Vec::new()
    }

    /// The form's fields, prefilled from what the console holds.
    fn fields(&self, cx: &Cx) -> Vec<Field>;

    /// A check of what was typed beyond the fields' own (required, numbers, bounds).
    fn validate(&self, _f: &Form, _lang: Lang) -> Option<String> {
        None
    }

    /// A field changed (a fine's kind fills its amount in).
    fn changed(&self, _f: &mut Form, _key: &str) {}

    /// What the request will do, in words: the one place a procedure's preview is made
    /// (the backend's own answer where it gives one, as `preview_end` does).
    fn preview(&self, cx: &Cx, f: &Form) -> Preview {
        ready(Ok(fields_as_lines(f, cx.lang)))
    }

    /// The one request; the answer in words for the status bar.
    fn submit(&self, call: Call, f: &Form) -> Outcome;
}

/// The procedure of a kind (the one table of them).
pub fn of(kind: Kind) -> &'static dyn Procedure {
    match kind {
        Kind::CableLock => &cable_lock::CableLock,
        Kind::ManualUnlock => &manual_unlock::ManualUnlock,
        Kind::EndRental => &end_rental::EndRental,
        Kind::Fine => &fine::Fine,
        Kind::Pay => &pay::Pay,
        Kind::SellPass => &sell_pass::SellPass,
        Kind::Deposit => &deposit::Deposit,
        Kind::Refund => &refund::Refund,
        Kind::Claim => &credit::Credit::Claim,
        Kind::Bonus => &credit::Credit::Bonus,
        Kind::Correct => &correct::Correct,
        Kind::Block => &block::Block,
        Kind::Note => &note::Note,
        Kind::Unblock => &unblock::Unblock,
        Kind::Restrict => &restrict::Restrict,
        Kind::LiftRestriction => &restrict::Lift,
        Kind::ResetPin => &reset_pin::ResetPin,
        Kind::LostCard => &lost_card::LostCard,
        Kind::Reveal => &reveal::Reveal,
        Kind::Approve => &approve::Approve,
        Kind::Reject => &reject::Reject,
        Kind::Release => &depot_bike::DepotBike::Van,
        Kind::ServiceDock => &service_dock::ServiceDock,
        Kind::Repair => &depot_bike::DepotBike::Repair,
        Kind::DockOut => &dock_out::DockOut,
        Kind::DockIn => &dock_in::DockIn,
        Kind::VanStop => &van_stop::VanStop,
        Kind::Dispute => &dispute::Dispute,
        Kind::Unpin => &desk_notes::Unpin,
        Kind::StationNote => &desk_notes::StationNote,
        Kind::BikeNote => &desk_notes::BikeNote,
        Kind::OpenContact => &contact::OpenContact,
        Kind::CloseContact => &contact::CloseContact,
        Kind::IssueCard => &card::IssueCard,
        Kind::OpenCase => &case::OpenCase,
        Kind::UpdateCase => &case::UpdateCase,
        Kind::AssignCase => &case::AssignCase,
        Kind::Handover => &handover::Handover,
        Kind::AckHandover => &handover::AckHandover,
    }
}

/// Why `kind` cannot be done on `on` now, in words (`None`: it can).
pub fn disabled(app: &App, kind: Kind, on: Target) -> Option<&'static str> {
    let cx = Cx::new(app, on);
    of(kind).disabled(&cx).map(|t| cx.t(t))
}

/// Build the form for a procedure, prefilled from what the console knows.
pub fn open(app: &App, proc: Proc) -> Form {
    let cx = Cx::new(app, proc.on);
    let p = of(proc.kind);
    let mut facts = Vec::new();
    if let Some(v) = cx.rider {
        facts.push(rider_line(&cx, v));
        if let Some(o) = &v.open_rental {
            let from = o
                .rental
                .start_station
                .map(|s| s.to_string())
                .unwrap_or_else(|| "—".into());
            let (secs, price) = app.live_rental(o);
            facts.push(fill(
                cx.t(T::RentalLine),
                &[
                    &o.rental.bike,
                    &from,
                    &super::views::duration_in(secs, cx.lang),
                    &price,
                ],
            ));
        }
    }
    facts.extend(p.facts(&cx));
    let fields = p.fields(&cx);
    let valid_until = app.desk.as_ref().map(|d| {
        crate::domain::time::format_local(
            cx.tz,
            cx.now + chrono::Duration::seconds(d.cable_auth_valid_s),
        )
    });
    Form {
        proc,
        fields,
        focus: 0,
        stage: Stage::Edit,
        facts,
        preview: Vec::new(),
        result: Vec::new(),
        error: None,
        seq: 0,
        tz: cx.tz,
        lang: cx.lang,
        rider: cx.rider.cloned(),
        valid_until,
        since: None,
        clock: cx.now,
        fine_amounts: FineKind::ALL
            .iter()
            .map(|k| {
                let a = app.tariff.as_ref().and_then(|t| t.fixed_fine(*k));
                (
                    k.as_str().to_string(),
                    a.map(|a| a.get().to_string()).unwrap_or_default(),
                )
            })
            .collect(),
        outcome: None,
    }
}

/// The rider as a dialog's header shows them: the patronymic as an initial, as the panel
/// shows it until the data is revealed.
fn rider_line(cx: &Cx, v: &RiderView) -> String {
    let mut shown = v.rider.clone();
    let revealed = cx
        .app
        .rider
        .as_ref()
        .and_then(|p| p.revealed.as_ref())
        .filter(|_| cx.app.rider.as_ref().map(|p| p.id) == cx.on.rider);
    match revealed {
        Some(p) => shown.patronymic = p.patronymic.clone(),
        None => shown.hide_name_and_birthday(),
    }
    format!(
        "{} {} · {} · {} {}",
        cx.t(T::Rider),
        v.rider.id,
        shown.full_name(),
        cx.t(T::Balance),
        v.rider.balance
    )
}

/// The effect of the procedure, in words, before it is confirmed.
pub fn preview(app: &App, f: &Form) -> Preview {
    let cx = Cx::new(app, f.proc.on);
    let p = of(f.proc.kind);
    let own = p.preview(&cx, f);
    // The engine's answer to the same request first (nothing kept): its refusal is the
    // preview's; the procedure's own lines say what will happen.
    let dry = p.submit(
        Call {
            b: Arc::new(dry::DryRun(app.backend.clone())),
            lang: app.opts.lang,
            on: f.proc.on,
        },
        f,
    );
    let lang = app.opts.lang;
    Box::pin(async move {
        match dry.await {
            // A backend that cannot preview (an older server) leaves it to the console's.
            Ok(_) | Err(BackendError::Unavailable { .. }) => own.await,
            Err(e) => Err(super::text::describe(&e, lang)),
        }
    })
}

/// Do it: one backend call.
pub fn submit(app: &App, f: &Form) -> Outcome {
    let call = Call {
        b: app.backend.clone(),
        lang: app.opts.lang,
        on: f.proc.on,
    };
    of(f.proc.kind).submit(call, f)
}

/// A preview known at once.
pub fn ready(lines: Result<Vec<String>, String>) -> Preview {
    Box::pin(async move { lines })
}

/// The fields as typed, one line each (a secret as dots): the preview of a procedure whose
/// effect is what was typed.
pub fn fields_as_lines(f: &Form, lang: Lang) -> Vec<String> {
    f.fields
        .iter()
        .map(|fl| {
            let v = match fl {
                Field::Text { secret: true, .. } => "••••".to_string(),
                Field::Choice {
                    options, selected, ..
                } => options
                    .get(*selected)
                    .map(|o| o.1.clone())
                    .unwrap_or_default(),
                other => other.value().to_string(),
            };
            format!("{}: {v}", fl.label().get(lang))
        })
        .collect()
}

/// `balance 1 000 ₸ → 1 500 ₸`, from the balance the form was opened with.
pub fn balance_after(f: &Form, delta: i64) -> Option<String> {
    f.rider.as_ref().map(|v| {
        let bal = v.rider.balance;
        fill(
            T::PreviewBalance.get(f.lang),
            &[&bal, &Tenge(bal.get() + delta)],
        )
    })
}

/// A request the console would not send: what is missing.
pub fn invalid(message: &str) -> BackendError {
    BackendError::Refused {
        kind: crate::domain::Refusal::Invalid,
        message: message.into(),
    }
}

/// The rider the procedure is on, or a refusal that says so.
pub fn rider_of(on: Target) -> Result<crate::domain::RiderId, BackendError> {
    on.rider.ok_or_else(|| invalid("no rider"))
}

/// The station the procedure is on, or a refusal that says so.
pub fn station_of(on: Target) -> Result<crate::domain::StationId, BackendError> {
    on.station.ok_or_else(|| invalid("no station"))
}

/// The station line of a depot's dialog.
pub fn station_fact(cx: &Cx) -> Vec<String> {
    let Some(s) = cx.on.station else {
        return Vec::new();
    };
    let name = cx
        .app
        .station_by_id(s)
        .map(|x| x.name.clone())
        .unwrap_or_default();
    vec![format!("{} {s} {name}", cx.t(T::Station))]
}

/// The rider has no open rental (known from the view the console holds).
pub fn no_rental(cx: &Cx) -> bool {
    cx.rider.is_some_and(|v| v.open_rental.is_none())
}

/// The rider's fines waiting for a supervisor.
pub fn pending_fines<'a>(cx: &Cx<'a>) -> Vec<&'a crate::api::Fine> {
    cx.rider
        .map(|v| v.fines.iter().filter(|f| f.status == "pending").collect())
        .unwrap_or_default()
}
