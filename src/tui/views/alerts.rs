//! Alerts: overdue rentals (R15), lock errors (R12), cable-lock calls waiting (R14), empty
//! and full stations, restricted riders in debt (R18), fines waiting for approval (D14).
//! Worded by the console in its language from what each alert is about; newest first
//! within a kind; `/` filters.

use super::titled;
use crate::api::Alert;
use crate::tui::app::App;
use crate::tui::text::{Lang, T, fill};
use crate::tui::theme::Meaning;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

pub fn meaning(kind: &str) -> Meaning {
    match kind {
        "overdue" | "lock-error" | "cable-lock-call" => Meaning::Danger,
        "full-station" | "empty-station" | "faulty-dock" => Meaning::Warn,
        _ => Meaning::Info,
    }
}

/// The alerts as listed: in the engine's order of kinds, newest first within a kind.
pub fn ordered(mut alerts: Vec<Alert>) -> Vec<Alert> {
    let mut kinds: Vec<String> = Vec::new();
    for a in &alerts {
        if !kinds.iter().any(|k| k == a.kind.as_str()) {
            kinds.push(a.kind.as_str().to_string());
        }
    }
    let rank = |k: &str| kinds.iter().position(|x| x == k).unwrap_or(usize::MAX);
    alerts.sort_by(|a, b| {
        rank(a.kind.as_str())
            .cmp(&rank(b.kind.as_str()))
            .then(b.since.cmp(&a.since))
    });
    alerts
}

/// An alert's kind in a word of the console's language.
pub fn kind_word(kind: &str, lang: Lang) -> String {
    let t = match kind {
        "overdue" => T::AkOverdue,
        "lock-error" => T::AkLockError,
        "unrecognised" => T::AkUnrecognised,
        "cable-lock-call" => T::AkCableCall,
        "empty-station" => T::Empty,
        "full-station" => T::Full,
        "restricted-in-debt" => T::AkInDebt,
        "restricted" => T::Restricted,
        "pin-locked" => T::AkPinLocked,
        "posting-failed" => T::AkPostingFailed,
        "fine-approval" => T::AkFineApproval,
        "faulty-bike" => T::Faulty,
        "faulty-dock" => T::AkFaultyDock,
        other => return other.to_uppercase(),
    };
    t.get(lang).to_string()
}

/// What the alert is about, in the console's language (the system's own text for a kind
/// the console does not know).
pub fn text(app: &App, a: &Alert) -> String {
    let lang = app.opts.lang;
    let r = a.rider.map(|r| r.to_string()).unwrap_or_default();
    let st = a
        .station
        .map(|s| {
            let name = app.station_name(s);
            format!("{s} {name}").trim().to_string()
        })
        .unwrap_or_default();
    let t = |t: T| t.get(lang);
    use crate::api::AlertKind as K;
    let words = match a.kind {
        K::Overdue => fill(t(T::AtOverdue), &[&r]),
        K::LockError => fill(t(T::AtLockError), &[&r, &st]),
        K::Unrecognised => fill(t(T::AtUnrecognised), &[&r, &st]),
        K::CableLockCall => fill(t(T::AtCableCall), &[&r, &st]),
        K::EmptyStation => fill(t(T::AtEmpty), &[&st]),
        K::FullStation => fill(t(T::AtFull), &[&st]),
        K::RestrictedInDebt => fill(t(T::AtInDebt), &[&r]),
        K::PinLocked => fill(t(T::AtPinLocked), &[&r]),
        K::PostingFailed => fill(t(T::AtPostingFailed), &[&r]),
        K::FineApproval => fill(t(T::AtFineApproval), &[&r]),
        K::FaultyBike => fill(t(T::AtFaulty), &[&r, &st]),
        K::LoginLocked => a.text.clone(),
        K::FaultyDock => {
            let dock = a.dock.map(|d| d.to_string()).unwrap_or_default();
            fill(t(T::AtFaultyDock), &[&st, &dock])
        }
    };
    match &a.taken {
        Some((who, _)) => format!("{} · {words}", fill(t(T::TakenBy), &[who])),
        None => words,
    }
}

/// Whether the alert matches the filter typed (its words, rider or station, any case).
pub fn matches(app: &App, a: &Alert, filter: &str) -> bool {
    let f = filter.trim().to_lowercase();
    if f.is_empty() {
        return true;
    }
    let hay = format!(
        "{} {} {} {}",
        kind_word(a.kind.as_str(), app.opts.lang),
        a.kind,
        text(app, a),
        a.text
    )
    .to_lowercase();
    f.split_whitespace().all(|w| hay.contains(w))
}

pub fn render(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.opts.theme;
    let tz = app
        .tariff
        .as_ref()
        .map(|t| t.time_zone)
        .unwrap_or(chrono_tz::Asia::Almaty);
    let [filter_area, area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    let shown = app.visible_alerts();
    let filter = app.alerts_filter.value();
    let mut spans = vec![Span::styled(
        format!(" {} /: ", app.t(T::Filter)),
        th.style(Meaning::Muted),
    )];
    spans.push(Span::styled(
        filter.to_string(),
        th.style(if app.alerts_filtering {
            Meaning::Selected
        } else {
            Meaning::Normal
        }),
    ));
    spans.push(Span::styled(
        format!("   {}/{}", shown.len(), app.alerts.len()),
        th.style(Meaning::Muted),
    ));
    f.render_widget(Paragraph::new(Line::from(spans)), filter_area);
    if app.alerts_filtering {
        f.set_cursor_position((
            filter_area.x
                + 5
                + app.t(T::Filter).chars().count() as u16
                + filter.chars().count() as u16,
            filter_area.y,
        ));
    }
    let block = titled(app, format!("{} ({})", app.t(T::Alerts), shown.len()));
    let h = block.inner(area).height.saturating_sub(1) as usize;
    app.list_area.set((area.y + 2, h as u16));
    if shown.is_empty() {
        let inner = block.inner(area);
        f.render_widget(block, area);
        f.render_widget(
            Paragraph::new(app.t(T::NoAlerts)).style(th.style(Meaning::Ok)),
            inner,
        );
        return;
    }
    let header =
        Row::new([app.t(T::Kind), app.t(T::Since), app.t(T::What)]).style(th.style(Meaning::Title));
    let sel = app.alerts_sel.index(&app.alert_keys());
    let skip = sel.saturating_sub(h.saturating_sub(1));
    let rows = shown.iter().enumerate().skip(skip).take(h).map(|(i, a)| {
        let since = a
            .since
            .map(|s| s.with_timezone(&tz).format("%d.%m %H:%M").to_string())
            .unwrap_or_default();
        let row = Row::new([
            Cell::from(format!(
                "{}{}",
                if i == sel { "›" } else { " " },
                kind_word(a.kind.as_str(), app.opts.lang)
            ))
            .style(th.style(meaning(a.kind.as_str()))),
            Cell::from(since),
            Cell::from(text(app, a)),
        ]);
        if i == sel {
            row.style(th.style(Meaning::Selected))
        } else {
            row
        }
    });
    let widths = [
        Constraint::Length(18),
        Constraint::Length(11),
        Constraint::Min(30),
    ];
    f.render_widget(Table::new(rows, widths).header(header).block(block), area);
}
