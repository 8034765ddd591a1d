//! The rider view: profile (personal data masked until revealed with a reason), pass and
//! validity, balances, access, the open rental with its live duration and price, trips,
//! the ledger with running balance and what settled what, fines and messages sent.

use super::riders::{mask_email, mask_phone, mask_tail};
use super::{duration_in, titled};
use crate::domain::time::format_local;
use crate::tui::app::App;
use crate::tui::text::{T, entry_kind, fill, fine_kind, fine_status, pass_name};
use crate::tui::theme::Meaning;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn render(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.opts.theme;
    let Some(page) = &app.rider else { return };
    let Some(v) = &page.view else {
        f.render_widget(Paragraph::new(app.t(T::Loading)), area);
        return;
    };
    let tz = app
        .tariff
        .as_ref()
        .map(|t| t.time_zone)
        .unwrap_or(chrono_tz::Asia::Almaty);
    let r = &v.rider;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(42), Constraint::Percentage(58)]).areas(area);
    let label = |t: T| Span::styled(format!("{:<14}", app.t(t)), th.style(Meaning::Muted));
    let revealed = page.revealed.as_ref();
    let (phone, email, doc) = match revealed {
        Some(p) => (
            p.phone.clone().unwrap_or_else(|| "—".into()),
            p.email.clone().unwrap_or_else(|| "—".into()),
            p.document.clone().unwrap_or_else(|| "—".into()),
        ),
        None => (
            mask_phone(r.phone.as_deref()),
            mask_email(r.email.as_deref()),
            mask_tail(r.document.as_deref()),
        ),
    };
    // The patronymic's initial and the year of birth until revealed (a server's answers
    // come so already); what was revealed shows whole.
    let mut shown = r.clone();
    match revealed {
        Some(p) => {
            shown.patronymic = p.patronymic.clone();
            shown.born = p.born;
        }
        None => shown.hide_name_and_birthday(),
    }
    let (full_name, born) = (shown.full_name(), shown.born);
    let access = match v.stop_reason() {
        Some(reason) => Span::styled(reason, th.style(Meaning::Danger)),
        None => Span::styled(app.t(T::AccessOk), th.style(Meaning::Ok)),
    };
    let lang = app.opts.lang;
    let pass = match &v.pass {
        Some(p) => format!(
            "{} · {}",
            pass_name(&p.pass, &p.label, lang),
            fill(
                app.t(T::ValidUntil),
                &[&p.valid_until().with_timezone(&tz).format("%Y-%m-%d %H:%M")]
            )
        ),
        None => app.t(T::NoPass).to_string(),
    };
    // Passes bought to begin when the one in force ends.
    let now = app.now.unwrap_or_default();
    let queued: Vec<String> = v
        .passes
        .iter()
        .rev()
        .filter(|p| p.starts_at > now && p.valid_until() > p.starts_at)
        .map(|p| {
            fill(
                app.t(T::QueuedPass),
                &[
                    &pass_name(&p.pass, &p.label, lang),
                    &p.starts_at.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
                ],
            )
        })
        .collect();
    let money = |t: T, amount: crate::domain::Tenge| {
        let m = if amount.is_negative() {
            Meaning::Danger
        } else {
            Meaning::Normal
        };
        Line::from(vec![
            label(t),
            Span::styled(format!("{amount:>14}"), th.style(m)),
        ])
    };
    // What the desk acts on first (access, the open rental, the money), the personal data
    // last: at 80×24 what matters is what shows.
    let mut lines = vec![Line::styled(
        format!("{} · {}", r.id, full_name),
        th.style(Meaning::Title),
    )];
    // The desk's file first: a pinned note, the call this agent has open (issue 17).
    lines.extend(super::rider_desk::top_lines(app, v));
    lines.push(Line::from(vec![label(T::Access), access]));
    // What would lift it (R18), kept current by the live updates.
    if r.blocked_reason.is_none() && r.restricted {
        let how = match v.lifts_with {
            Some(amount) => fill(app.t(T::LiftsWith), &[&amount]),
            None => app.t(T::LiftsByHand).to_string(),
        };
        lines.push(Line::from(vec![
            Span::raw(format!("{:<14}", "")),
            Span::styled(how, th.style(Meaning::Warn)),
        ]));
    }
    lines.push(Line::from(vec![label(T::Pass), Span::raw(pass)]));
    for q in queued {
        lines.push(Line::from(vec![
            Span::raw(format!("{:<14}", "")),
            Span::raw(q),
        ]));
    }
    lines.push(Line::styled(app.t(T::OpenRental), th.style(Meaning::Title)));
    match &v.open_rental {
        Some(o) => {
            let from = o
                .rental
                .start_station
                .map(|s| s.to_string())
                .unwrap_or_else(|| "—".into());
            // Duration and price follow the clock between fetches (see `App::live_rental`).
            let (secs, price) = app.live_rental(o);
            let m = if o.overdue {
                Meaning::Danger
            } else {
                Meaning::Info
            };
            lines.push(Line::styled(
                fill(
                    app.t(T::RentalLine),
                    &[&o.rental.bike, &from, &duration_in(secs, lang), &price],
                ),
                th.style(m),
            ));
            if o.overdue {
                lines.push(Line::styled(app.t(T::Overdue), th.style(Meaning::Danger)));
            }
            if let (Some(at), Some(st)) = (o.rental.lock_error_at, o.rental.lock_error_station) {
                lines.push(Line::styled(
                    fill(app.t(T::LockErrorAt), &[&st, &format_local(tz, at)]),
                    th.style(Meaning::Danger),
                ));
            }
        }
        None => lines.push(Line::styled(app.t(T::NoRental), th.style(Meaning::Muted))),
    }
    lines.push(Line::raw(""));
    lines.push(money(T::Balance, r.balance));
    lines.push(money(T::Accrued, r.accrued));
    lines.push(money(T::Available, v.available));
    lines.push(money(T::Bonus, r.bonus));
    lines.push(money(T::Deposit, r.deposit));
    if v.debt.is_positive() {
        lines.push(money(T::Debt, v.debt));
    }
    if !v.fines.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(app.t(T::Fines), th.style(Meaning::Title)));
        for fi in v.fines.iter().rev().take(5) {
            let m = if fi.status == "pending" {
                Meaning::Warn
            } else {
                Meaning::Normal
            };
            lines.push(Line::styled(
                format!(
                    "{} {} {} ({})",
                    fine_kind(fi.kind.as_str(), lang),
                    fi.amount,
                    fine_status(fi.status.as_str(), lang),
                    fi.entered_by
                ),
                th.style(m),
            ));
        }
    }
    lines.push(Line::raw(""));
    lines.extend([
        Line::from(vec![label(T::Phone), Span::raw(phone)]),
        Line::from(vec![label(T::Email), Span::raw(email)]),
        Line::from(vec![label(T::Document), Span::raw(doc)]),
        Line::from(vec![label(T::Born), Span::raw(born.to_string())]),
        Line::from(vec![
            label(T::Card),
            Span::raw(match (&r.card, r.card_blocked) {
                (Some(c), false) => mask_tail(Some(c)),
                (Some(c), true) => format!("{} {}", mask_tail(Some(c)), app.t(T::Blocked)),
                (None, _) => "—".into(),
            }),
        ]),
        Line::from(vec![
            label(T::Concession),
            Span::raw(r.concession.clone().unwrap_or_else(|| "—".into())),
        ]),
    ]);
    if revealed.is_none() {
        lines.push(Line::styled(app.t(T::Masked), th.style(Meaning::Muted)));
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(titled(app, format!("{} {}", app.t(T::Rider), r.id))),
        left,
    );

    let [ledger_area, trips_area] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(right);
    // The entry number first (what "settles #N" points at), the running balance before the
    // words, so at 80 columns the money stays in view.
    let mut ledger = vec![Line::styled(
        format!(
            "{:>5} {:<11} {:>10} {:>10}  {}",
            "#",
            app.t(T::When),
            app.t(T::Amount),
            app.t(T::Running),
            app.t(T::Kind),
        ),
        th.style(Meaning::Title),
    )];
    for e in v.ledger.iter().rev() {
        let settles = e
            .settled
            .iter()
            .map(|(id, a)| format!("#{id} {a}"))
            .collect::<Vec<_>>()
            .join(", ");
        let m = if e.money.is_negative() {
            Meaning::Warn
        } else {
            Meaning::Normal
        };
        let mut words = entry_kind(&e.kind, lang);
        if !settles.is_empty() {
            words.push_str(&format!(" · {} {settles}", app.t(T::Settles)));
        }
        // The reason, unless it only repeats the kind (the system's own "payment").
        if !e.reason.is_empty() && e.reason != e.kind {
            words.push_str(&format!(" · {}", e.reason));
        }
        ledger.push(Line::styled(
            format!(
                "{:>5} {:<11} {:>10} {:>10}  {words}",
                format!("#{}", e.id),
                e.at.with_timezone(&tz).format("%d.%m %H:%M"),
                e.money.to_string(),
                e.running.to_string(),
            ),
            th.style(m),
        ));
    }
    let rows = usize::from(ledger_area.height.saturating_sub(3));
    let total = v.ledger.len();
    let first = usize::from(page.scroll).min(total.saturating_sub(1));
    let title = if total > rows {
        format!(
            "{} ({}) · {}",
            app.t(T::Ledger),
            total,
            fill(
                app.t(T::LedgerScroll),
                &[&(first + 1), &(first + rows).min(total), &total]
            )
        )
    } else {
        format!("{} ({})", app.t(T::Ledger), total)
    };
    f.render_widget(
        Paragraph::new(ledger)
            .scroll((page.scroll, 0))
            .block(titled(app, title)),
        ledger_area,
    );
    // The desk's file (contacts, open cases, notes) and the outbox (R27) before the trips:
    // what the rider was told shows without scrolling.
    let mut trips = super::rider_desk::panel_lines(app, v);
    for t in v.trips.iter().take(30) {
        let secs = t
            .end_at
            .map(|e| (e - t.start_at).num_seconds())
            .unwrap_or(0);
        trips.push(Line::from(format!(
            "{}  {} {} → {}  {}  {}",
            t.start_at.with_timezone(&tz).format("%d.%m %H:%M"),
            app.t(T::Bike).to_lowercase(),
            t.bike,
            t.end_station
                .map(|s| s.to_string())
                .unwrap_or_else(|| "—".into()),
            duration_in(secs, lang),
            t.charge
                .map(|c| crate::domain::Tenge(c).to_string())
                .unwrap_or_default()
        )));
    }
    f.render_widget(
        Paragraph::new(trips).block(titled(
            app,
            format!(
                "{} · {} · {} ({})",
                app.t(T::ContactsTitle),
                app.t(T::Messages),
                app.t(T::Trips),
                v.trip_count
            ),
        )),
        trips_area,
    );
}
