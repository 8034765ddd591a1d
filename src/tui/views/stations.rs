//! The stations table: counts, a fill bar, the status in words, sortable and filtered;
//! live updates keep the selection on the same station and the scroll where it was.

use super::titled;
use crate::api::StationCounts;
use crate::tui::app::{App, StationStatus, fill_pct};
use crate::tui::text::T;
use crate::tui::theme::Meaning;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

pub fn status_meaning(s: StationStatus) -> Meaning {
    match s {
        StationStatus::Inactive => Meaning::Muted,
        StationStatus::Empty | StationStatus::Full => Meaning::Danger,
        StationStatus::Low => Meaning::Warn,
        StationStatus::Ok => Meaning::Ok,
    }
}

/// `█████░░░░░` for a fill percentage.
pub fn bar(pct: u32, width: usize) -> String {
    let full = (pct as usize * width + 50) / 100;
    let full = full.min(width);
    format!("{}{}", "█".repeat(full), "░".repeat(width - full))
}

/// A station's name in the console's language: the Kazakh name in Kazakh, the English one
/// in English, where the city has them; the name on the station otherwise.
pub fn local_name(s: &StationCounts, lang: crate::tui::text::Lang) -> &str {
    use crate::tui::text::Lang;
    let other = match lang {
        Lang::Kk => s.name_kk.as_deref(),
        Lang::En => s.name_en.as_deref(),
        Lang::Ru => None,
    };
    other.filter(|n| !n.trim().is_empty()).unwrap_or(&s.name)
}

pub fn render(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.opts.theme;
    let st = &app.stations;
    let [filter_area, table_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    let filter_text = format!(
        " {} /: {}{}   {}/{}",
        app.t(T::Filter),
        st.filter.value(),
        if st.filtering { "▏" } else { "" },
        st.visible.len(),
        st.rows.len()
    );
    let fm = if st.filtering {
        Meaning::Info
    } else {
        Meaning::Muted
    };
    f.render_widget(Paragraph::new(filter_text).style(th.style(fm)), filter_area);

    let tz = app
        .tariff
        .as_ref()
        .map(|t| t.time_zone)
        .unwrap_or(chrono_tz::Asia::Almaty);
    let (sort_col, asc) = st.sort;
    let headers = [
        T::Code,
        T::Name,
        T::ColBikes,
        T::ColFree,
        T::ColOut,
        T::CableLocked,
        T::Fill,
        T::Status,
        T::ColChanged,
    ];
    // Below 110 columns the fill is a number without its bar, so that every column fits
    // at 80; each column is as wide as its header or its widest value, in any language.
    let compact = area.width < 110;
    let header = Row::new(headers.iter().enumerate().map(|(i, h)| {
        let arrow = if i == sort_col {
            if asc { " ▲" } else { " ▼" }
        } else {
            ""
        };
        Cell::from(format!("{}{arrow}", app.t(*h)))
    }))
    .style(th.style(Meaning::Title));
    let block = titled(app, app.t(T::Stations).to_string());
    let inner_h = block.inner(table_area).height.saturating_sub(1) as usize;
    app.list_area.set((table_area.y + 2, inner_h as u16));
    // Keep the selection in view without moving the scroll otherwise.
    let sel = st.selected.and_then(|id| app.visible_index(id));
    // Never scrolled further than the last page: a list that shrank (a filter) shows all
    // it can, with nothing hidden above.
    let mut offset = st
        .offset
        .get()
        .min(st.visible.len().saturating_sub(inner_h.max(1)));
    if let Some(i) = sel {
        if i < offset {
            offset = i;
        } else if inner_h > 0 && i >= offset + inner_h {
            offset = i + 1 - inner_h;
        }
    }
    st.offset.set(offset);
    let now = app.wall();
    let rows = st
        .visible
        .iter()
        .skip(offset)
        .take(inner_h.max(1))
        .map(|&k| {
            let s = &st.rows[k];
            let status = StationStatus::of(s);
            let selected = Some(s.id) == st.selected;
            let flash = st
                .flash
                .get(&s.id)
                .is_some_and(|t| now.duration_since(*t).as_millis() < 1500);
            let style = if selected {
                th.style(Meaning::Selected)
            } else if flash {
                th.style(Meaning::Flash)
            } else {
                th.style(Meaning::Normal)
            };
            row(app, s, status, tz, selected, compact).style(style)
        });
    let head =
        |i: usize| app.t(headers[i]).chars().count() as u16 + if i == sort_col { 2 } else { 0 };
    let status_w = [
        StationStatus::Inactive,
        StationStatus::Empty,
        StationStatus::Full,
        StationStatus::Low,
        StationStatus::Ok,
    ]
    .iter()
    .map(|s| app.t(s.word()).chars().count() as u16)
    .max()
    .unwrap_or(6);
    let fill_w = if compact { 4 } else { 15 };
    let widths = [
        Constraint::Length(head(0).max(5)),
        Constraint::Min(12),
        Constraint::Length(head(2).max(4)),
        Constraint::Length(head(3).max(4)),
        Constraint::Length(head(4).max(4)),
        Constraint::Length(head(5).max(3)),
        Constraint::Length(head(6).max(fill_w)),
        Constraint::Length(head(7).max(status_w)),
        Constraint::Length(head(8).max(5)),
    ];
    let table = Table::new(rows, widths).header(header).block(block);
    f.render_widget(table, table_area);
    if !st.loaded {
        f.render_widget(Paragraph::new(app.t(T::Loading)), filter_area);
    }
}

fn row<'a>(
    app: &App,
    s: &StationCounts,
    status: StationStatus,
    tz: chrono_tz::Tz,
    selected: bool,
    compact: bool,
) -> Row<'a> {
    let th = &app.opts.theme;
    let pct = fill_pct(s);
    let changed = s.updated_at.with_timezone(&tz).format("%H:%M").to_string();
    Row::new(vec![
        Cell::from(format!("{}{}", if selected { "›" } else { " " }, s.id)),
        Cell::from(local_name(s, app.opts.lang).to_string()),
        Cell::from(format!("{:>4}", s.bikes)),
        Cell::from(format!("{:>4}", s.free_docks)),
        Cell::from(format!("{:>4}", s.out_of_service)),
        Cell::from(format!("{:>3}", s.cable_locked)),
        Cell::from(if compact {
            Line::from(format!("{pct:>3}%"))
        } else {
            Line::from(vec![
                Span::raw(bar(pct, 10)),
                Span::raw(format!(" {pct:>3}%")),
            ])
        }),
        Cell::from(Span::styled(
            app.t(status.word()),
            th.style(status_meaning(status)),
        )),
        Cell::from(changed),
    ])
}
