//! The rider view's part of the desk's case file (issue 17): the pinned notes and the call
//! this agent has open at the top; the contacts (reason, outcome, who, when, actions), the
//! open cases, the other notes and the outbox (R27) in the panel beside the ledger.

use crate::api::{CaseStatus, RiderView};
use crate::domain::desk::catalogues;
use crate::tui::app::App;
use crate::tui::text::{T, case_status, fill};
use crate::tui::theme::Meaning;
use ratatui::text::Line;

fn tz(app: &App) -> chrono_tz::Tz {
    app.tariff
        .as_ref()
        .map(|t| t.time_zone)
        .unwrap_or(chrono_tz::Asia::Almaty)
}

/// The pinned notes and this agent's open contact, for the top of the rider view.
pub fn top_lines(app: &App, v: &RiderView) -> Vec<Line<'static>> {
    let th = &app.opts.theme;
    let lang = app.opts.lang.code();
    let mut out = Vec::new();
    for n in v.notes.iter().filter(|n| n.pinned) {
        out.push(Line::styled(
            format!("{} · {}: {}", app.t(T::Pinned), n.staff, n.text),
            th.style(Meaning::Warn),
        ));
    }
    let me = app.opts.staff.as_str();
    if let Some(k) = v
        .contacts
        .iter()
        .find(|k| k.closed_at.is_none() && k.staff == me)
    {
        let reason = catalogues()
            .map(|c| c.reasons.words(&k.reason, lang).to_string())
            .unwrap_or_else(|_| k.reason.clone());
        let since = k.opened_at.with_timezone(&tz(app)).format("%H:%M");
        out.push(Line::styled(
            fill(app.t(T::OnCall), &[&since, &reason]),
            th.style(Meaning::Info),
        ));
    }
    out
}

/// Contacts, open cases, the notes not pinned, and the messages sent (the outbox).
pub fn panel_lines(app: &App, v: &RiderView) -> Vec<Line<'static>> {
    let th = &app.opts.theme;
    let lang = app.opts.lang;
    let tz = tz(app);
    let cat = catalogues().ok();
    let words = |key: &str, outcome: bool| -> String {
        cat.map(|c| {
            if outcome {
                c.outcomes.words(key, lang.code()).to_string()
            } else {
                c.reasons.words(key, lang.code()).to_string()
            }
        })
        .unwrap_or_else(|| key.to_string())
    };
    let mut out = Vec::new();
    for k in v.contacts.iter().take(5) {
        let outcome = k
            .outcome
            .as_deref()
            .map(|o| words(o, true))
            .unwrap_or_else(|| app.t(T::ContactStillOpen).to_string());
        out.push(Line::styled(
            format!(
                "☎ {}",
                fill(
                    app.t(T::ContactRow),
                    &[
                        &k.opened_at.with_timezone(&tz).format("%d.%m %H:%M"),
                        &k.staff,
                        &words(&k.reason, false),
                        &outcome,
                        &k.actions,
                    ],
                )
            ),
            th.style(Meaning::Info),
        ));
    }
    for c in v.cases.iter().filter(|c| c.status != CaseStatus::Closed) {
        let m = if c.overdue {
            Meaning::Danger
        } else {
            Meaning::Warn
        };
        out.push(Line::styled(
            format!(
                "▣ {}",
                fill(
                    app.t(T::CaseLine),
                    &[
                        &c.id,
                        &words(&c.kind, false),
                        &case_status(c.status, lang),
                        &c.next_action,
                        &c.due.with_timezone(&tz).format("%d.%m %H:%M"),
                    ],
                )
            ),
            th.style(m),
        ));
    }
    for n in v.notes.iter().filter(|n| !n.pinned).take(5) {
        out.push(Line::styled(
            format!(
                "✎ {} {}: {}",
                n.at.with_timezone(&tz).format("%d.%m %H:%M"),
                n.staff,
                n.text
            ),
            th.style(Meaning::Info),
        ));
    }
    for m in v.messages.iter().take(10) {
        out.push(Line::styled(
            format!(
                "✉ {} {}",
                m.at.with_timezone(&tz).format("%d.%m %H:%M"),
                m.text
            ),
            th.style(Meaning::Muted),
        ));
    }
    out
}
