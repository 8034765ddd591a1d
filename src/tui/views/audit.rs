//! The audit log: who did what, when, to whom and why; filter by staff, rider, action.

use super::titled;
use crate::tui::app::App;
use crate::tui::text::T;
use crate::tui::theme::Meaning;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

pub fn render(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.opts.theme;
    let [filter, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    let text = if app.audit_filter.value().is_empty() && !app.audit_filtering {
        format!(" / {}", app.t(T::AuditFilterHint))
    } else {
        format!(
            " / {}{}",
            app.audit_filter.value(),
            if app.audit_filtering { "▏" } else { "" }
        )
    };
    f.render_widget(Paragraph::new(text).style(th.style(Meaning::Muted)), filter);
    let block = titled(app, format!("{} ({})", app.t(T::Audit), app.audit.len()));
    if app.audit_denied {
        let inner = block.inner(list);
        f.render_widget(block, list);
        f.render_widget(
            Paragraph::new(app.t(T::AuditNotAllowed)).style(th.style(Meaning::Warn)),
            inner,
        );
        return;
    }
    let h = block.inner(list).height.saturating_sub(1) as usize;
    app.list_area.set((list.y + 2, h as u16));
    let header = Row::new([
        app.t(T::When),
        app.t(T::Staff),
        app.t(T::Action),
        app.t(T::Rider),
        app.t(T::Reason),
        app.t(T::Details),
    ])
    .style(th.style(Meaning::Title));
    let sel = app.audit_sel.index(&app.audit_keys());
    let skip = sel.saturating_sub(h.saturating_sub(1));
    let rows = app
        .audit
        .iter()
        .enumerate()
        .skip(skip)
        .take(h)
        .map(|(i, a)| {
            let row = Row::new([
                Cell::from(format!(
                    "{}{}",
                    if i == sel { "›" } else { " " },
                    a.at_local
                )),
                Cell::from(format!("{} ({})", a.staff, a.role)),
                Cell::from(a.action.clone()),
                Cell::from(a.rider.map(|r| r.to_string()).unwrap_or_default()),
                Cell::from(a.reason.clone()),
                Cell::from(format!("{} {}", a.target, a.details)),
            ]);
            if i == sel {
                row.style(th.style(Meaning::Selected))
            } else {
                row
            }
        });
    let widths = [
        Constraint::Length(20),
        Constraint::Length(20),
        Constraint::Length(20),
        Constraint::Length(8),
        Constraint::Min(16),
        Constraint::Min(16),
    ];
    f.render_widget(Table::new(rows, widths).header(header).block(block), list);
}
