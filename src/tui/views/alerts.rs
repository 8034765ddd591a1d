//! Alerts: overdue rentals (R15), lock errors (R12), cable-lock calls waiting (R14), empty
//! and full stations, restricted riders in debt (R18), fines waiting for approval (D14).

use super::titled;
use crate::tui::app::App;
use crate::tui::text::T;
use crate::tui::theme::Meaning;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

pub fn meaning(kind: &str) -> Meaning {
    match kind {
        "overdue" | "lock-error" | "cable-lock-call" => Meaning::Danger,
        "full-station" | "empty-station" => Meaning::Warn,
        _ => Meaning::Info,
    }
}

pub fn render(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.opts.theme;
    let tz = app
        .tariff
        .as_ref()
        .map(|t| t.time_zone)
        .unwrap_or(chrono_tz::Asia::Almaty);
    let block = titled(app, format!("{} ({})", app.t(T::Alerts), app.alerts.len()));
    let h = block.inner(area).height.saturating_sub(1) as usize;
    app.list_area.set((area.y + 2, h as u16));
    if app.alerts.is_empty() {
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
    let rows = app
        .alerts
        .iter()
        .enumerate()
        .skip(skip)
        .take(h)
        .map(|(i, a)| {
            let since = a
                .since
                .map(|s| s.with_timezone(&tz).format("%d.%m %H:%M").to_string())
                .unwrap_or_default();
            let row = Row::new([
                Cell::from(format!(
                    "{}{}",
                    if i == sel { "›" } else { " " },
                    a.kind.as_str().to_uppercase()
                ))
                .style(th.style(meaning(a.kind.as_str()))),
                Cell::from(since),
                Cell::from(a.text.clone()),
            ]);
            if i == sel {
                row.style(th.style(Meaning::Selected))
            } else {
                row
            }
        });
    let widths = [
        Constraint::Length(21),
        Constraint::Length(12),
        Constraint::Min(30),
    ];
    f.render_widget(Table::new(rows, widths).header(header).block(block), area);
}
