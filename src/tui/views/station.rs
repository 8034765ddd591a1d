//! The station view: its docks (number, bike, state), the bikes cable-locked there and what
//! is wrong at it now; the depot's actions work on the selected dock's bike.

use super::titled;
use crate::api::BikeState;
use crate::tui::app::{App, StationStatus, station_rows};
use crate::tui::text::{Noun, T, count};
use crate::tui::theme::Meaning;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

pub fn render(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.opts.theme;
    let Some(page) = &app.station else { return };
    let Some(v) = &page.view else {
        f.render_widget(Paragraph::new(app.t(T::Loading)), area);
        return;
    };
    let s = &v.station;
    let status = StationStatus::of(s);
    // The notes on the station and on its bikes, pinned first (issue 17): at most three.
    let notes: Vec<Line> = v
        .notes
        .iter()
        .take(3)
        .map(|n| {
            let on = match n.about {
                crate::api::NoteAbout::Bike(b) => format!("{} {b} · ", app.t(T::Bike)),
                _ => String::new(),
            };
            let pin = if n.pinned {
                format!("{} · ", app.t(T::Pinned))
            } else {
                String::new()
            };
            Line::styled(
                format!("{pin}{on}{}: {}", n.staff, n.text),
                th.style(if n.pinned {
                    Meaning::Warn
                } else {
                    Meaning::Info
                }),
            )
        })
        .collect();
    let [top, rest] = Layout::vertical([
        Constraint::Length(5 + notes.len() as u16),
        Constraint::Min(5),
    ])
    .areas(area);
    let mut names = vec![s.name.clone()];
    names.extend(s.name_kk.clone());
    names.extend(s.name_en.clone());
    let info = vec![
        Line::from(names.join(" · ")),
        Line::styled(
            format!(
                "{}: {}  ({:.5}, {:.5})",
                app.t(T::Address),
                s.address,
                s.lat,
                s.lon
            ),
            th.style(Meaning::Muted),
        ),
        Line::from(format!(
            "{} {} · {} {} · {} {} · {} {} · {} {}% · {}",
            app.t(T::ColBikes),
            s.bikes,
            app.t(T::ColFree),
            s.free_docks,
            app.t(T::ColOut),
            s.out_of_service,
            app.t(T::CableLocked),
            s.cable_locked,
            app.t(T::Target),
            s.target_fill,
            app.t(status.word())
        ))
        .style(th.style(super::stations::status_meaning(status))),
    ];
    let mut info = info;
    info.extend(notes);
    f.render_widget(
        Paragraph::new(info).block(titled(
            app,
            format!(
                "{} {} · {} · {}",
                app.t(T::Station),
                s.id,
                count(u64::from(s.bikes), Noun::Bike, app.opts.lang),
                count(u64::from(s.docks), Noun::Dock, app.opts.lang)
            ),
        )),
        top,
    );
    let [docks_area, side] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(rest);
    let rows = station_rows(v);
    let block = titled(app, app.t(T::Docks).to_string());
    let h = block.inner(docks_area).height.saturating_sub(1) as usize;
    app.list_area.set((docks_area.y + 2, h as u16));
    let header =
        Row::new([app.t(T::Dock), app.t(T::Bike), app.t(T::State)]).style(th.style(Meaning::Title));
    let skip = page.selected.saturating_sub(h.saturating_sub(1));
    let table_rows = rows
        .iter()
        .enumerate()
        .skip(skip)
        .take(h)
        .map(|(i, (dock, bike))| {
            let in_service = dock
                .and_then(|n| v.docks.iter().find(|d| d.number == n))
                .is_none_or(|d| d.in_service);
            let b = bike.and_then(|id| v.bikes.iter().find(|x| x.id == id));
            let (state, m) = match (dock, b) {
                (_, Some(b)) if b.faulty => (app.t(T::Faulty).to_string(), Meaning::Danger),
                (None, Some(_)) => (app.t(T::CableLockedHere).to_string(), Meaning::Warn),
                (Some(_), Some(b)) if b.state == BikeState::Docked => {
                    (app.t(T::InService).to_string(), Meaning::Ok)
                }
                _ if !in_service => (app.t(T::NotInService).to_string(), Meaning::Danger),
                _ => (app.t(T::Free).to_string(), Meaning::Muted),
            };
            let row = Row::new([
                Cell::from(format!(
                    "{}{}",
                    if i == page.selected { "›" } else { " " },
                    dock.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
                )),
                Cell::from(bike.map(|b| b.to_string()).unwrap_or_default()),
                Cell::from(state).style(th.style(m)),
            ]);
            if i == page.selected {
                row.style(th.style(Meaning::Selected))
            } else {
                row
            }
        });
    let widths = [
        Constraint::Length(7),
        Constraint::Length(10),
        Constraint::Min(14),
    ];
    f.render_widget(
        Table::new(table_rows, widths).header(header).block(block),
        docks_area,
    );
    let alerts: Vec<Line> = app
        .alerts
        .iter()
        .filter(|a| a.station == Some(s.id))
        .map(|a| {
            Line::styled(
                format!(
                    "{} — {}",
                    super::alerts::kind_word(a.kind.as_str(), app.opts.lang),
                    super::alerts::text(app, a)
                ),
                th.style(super::alerts::meaning(a.kind.as_str())),
            )
        })
        .collect();
    let lines = if alerts.is_empty() {
        vec![Line::styled(app.t(T::NoAlerts), th.style(Meaning::Ok))]
    } else {
        alerts
    };
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(titled(app, app.t(T::Alerts).to_string())),
        side,
    );
}
