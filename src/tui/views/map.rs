//! The map: every station at its coordinates on a braille canvas, marked by status with a
//! symbol and a colour; the selected one is labelled with its counts. The view follows the
//! selection (pan) at the chosen zoom; changed stations flash.

use super::stations::status_meaning;
use super::titled;
use crate::tui::app::{App, StationStatus};
use crate::tui::text::{T, fill};
use crate::tui::theme::Meaning;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Color;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::widgets::canvas::{Canvas, Line as CanvasLine, Points};

/// The symbol of a status on the map (shape, not only colour).
pub fn symbol(s: StationStatus) -> &'static str {
    match s {
        StationStatus::Empty => "○",
        StationStatus::Full => "●",
        StationStatus::Low => "◔",
        StationStatus::Ok => "◑",
        StationStatus::Inactive => "×",
    }
}

pub fn render(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.opts.theme;
    let [canvas_area, legend] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(1)]).areas(area);
    // The stations table's filter limits the map too, and the title says so.
    let filter = app.stations.filter.value().trim();
    let shown: Vec<&crate::api::StationCounts> = app
        .stations
        .visible
        .iter()
        .map(|&i| &app.stations.rows[i])
        .collect();
    let rows: Vec<&crate::api::StationCounts> = if filter.is_empty() {
        app.stations.rows.iter().collect()
    } else {
        shown
    };
    let sel = app.stations.selected.and_then(|id| app.station_by_id(id));
    let (clat, clon) = match sel {
        Some(s) => (s.lat, s.lon),
        None if !rows.is_empty() => (
            rows.iter().map(|s| s.lat).sum::<f64>() / rows.len() as f64,
            rows.iter().map(|s| s.lon).sum::<f64>() / rows.len() as f64,
        ),
        None => (43.24, 76.92),
    };
    app.map.fitted.set(fit(&rows, canvas_area));
    let span = app.map_span();
    // Terminal cells are about twice as tall as wide; a degree of longitude is shorter by
    // cos(latitude).
    let aspect = f64::from(canvas_area.width.max(1)) / f64::from(canvas_area.height.max(1)) / 2.0;
    let lon_span = span * aspect / clat.to_radians().cos();
    let (clon, clat) = (
        clon + app.map.pan.0 / clat.to_radians().cos(),
        clat + app.map.pan.1,
    );
    let (x0, x1) = (clon - lon_span / 2.0, clon + lon_span / 2.0);
    let (y0, y1) = (clat - span / 2.0, clat + span / 2.0);
    // A terminal cell's width in degrees of longitude.
    let cell = lon_span / f64::from(canvas_area.width.saturating_sub(2).max(1));
    let now = app.wall();
    let colour = |m: Meaning| th.style(m).fg.unwrap_or(Color::Reset);
    let canvas = Canvas::default()
        .block(titled(app, {
            let mut title = format!("{} · {:.1} km", app.t(T::Map), span * 111.0);
            if let Some(plan) = &app.depot.plan {
                // What each van carries, always in view.
                for r in super::rebalance::shown_vans(plan) {
                    title.push_str(&format!(
                        " · {} {}: {}/{}",
                        app.t(T::VanCol),
                        van_letter(r.van),
                        r.bikes.len(),
                        r.capacity
                    ));
                }
            }
            if !filter.is_empty() {
                title.push_str(&fill(
                    app.t(T::MapFiltered),
                    &[&filter, &rows.len(), &app.stations.rows.len()],
                ));
            }
            title
        }))
        .marker(Marker::Braille)
        .x_bounds([x0, x1])
        .y_bounds([y0, y1])
        .paint(|ctx| {
            for status in [
                StationStatus::Inactive,
                StationStatus::Ok,
                StationStatus::Low,
                StationStatus::Empty,
                StationStatus::Full,
            ] {
                let coords: Vec<(f64, f64)> = rows
                    .iter()
                    .filter(|s| StationStatus::of(s) == status)
                    .map(|s| (s.lon, s.lat))
                    .collect();
                ctx.draw(&Points {
                    coords: &coords,
                    color: colour(status_meaning(status)),
                });
            }
            ctx.layer();
            for s in &rows {
                let flash = app
                    .stations
                    .flash
                    .get(&s.id)
                    .is_some_and(|t| now.duration_since(*t).as_millis() < 1500);
                let st = StationStatus::of(s);
                {
                    let m = if Some(s.id) == app.stations.selected {
                        Meaning::Selected
                    } else if flash {
                        Meaning::Flash
                    } else {
                        status_meaning(st)
                    };
                    ctx.print(s.lon, s.lat, Span::styled(symbol(st), th.style(m)));
                }
            }
            // The vans' routes of the depot's plan: a line from where each van is through
            // its stops, each stop marked with the van's letter and its place in the route.
            if let Some(plan) = &app.depot.plan {
                ctx.layer();
                for r in super::rebalance::shown_vans(plan) {
                    let m = van_meaning(r.van);
                    let mut at =
                        r.at.and_then(|id| app.station_by_id(id))
                            .map(|s| (s.lon, s.lat));
                    for (i, stop) in r.stops.iter().enumerate() {
                        let Some(s) = app.station_by_id(stop.station) else {
                            continue;
                        };
                        if let Some((x, y)) = at {
                            ctx.draw(&CanvasLine::new(x, y, s.lon, s.lat, colour(m)));
                        }
                        at = Some((s.lon, s.lat));
                        // Left of the station, so that its own symbol stays in view.
                        let label = format!("{}{}", van_letter(r.van), i + 1);
                        ctx.print(
                            s.lon - cell * (label.chars().count() as f64 + 0.5),
                            s.lat,
                            Span::styled(label, th.style(m)),
                        );
                    }
                }
            }
            if let Some(s) = sel {
                let st = StationStatus::of(s);
                let label = format!(
                    " {} {} · {} {} · {} {} · {}",
                    s.id,
                    s.name,
                    s.bikes,
                    app.t(T::Bikes).to_lowercase(),
                    s.free_docks,
                    app.t(T::FreeDocks).to_lowercase(),
                    app.t(st.word())
                );
                ctx.print(
                    s.lon + lon_span * 0.01,
                    s.lat,
                    Span::styled(label, th.style(Meaning::Selected)),
                );
            }
        });
    f.render_widget(canvas, canvas_area);
    let mut spans = Vec::new();
    for st in [
        StationStatus::Ok,
        StationStatus::Low,
        StationStatus::Empty,
        StationStatus::Full,
        StationStatus::Inactive,
    ] {
        spans.push(Span::styled(
            format!(" {} ", symbol(st)),
            th.style(status_meaning(st)),
        ));
        spans.push(Span::raw(format!("{}  ", app.t(st.word()))));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), legend);
}

/// A van's letter on the map (`A` for van 1), so that routes differ by more than colour.
pub fn van_letter(van: u32) -> char {
    char::from_u32('A' as u32 + (van.saturating_sub(1) % 26)).unwrap_or('?')
}

fn van_meaning(van: u32) -> Meaning {
    if van % 2 == 1 {
        Meaning::Key
    } else {
        Meaning::Info
    }
}

/// The span (degrees of latitude) that shows every station in `area`.
pub fn fit(rows: &[&crate::api::StationCounts], area: Rect) -> f64 {
    if rows.len() < 2 {
        return 0.16;
    }
    let (mut la0, mut la1, mut lo0, mut lo1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for s in rows {
        la0 = la0.min(s.lat);
        la1 = la1.max(s.lat);
        lo0 = lo0.min(s.lon);
        lo1 = lo1.max(s.lon);
    }
    let aspect = f64::from(area.width.max(1)) / f64::from(area.height.max(1)) / 2.0;
    let k = ((la0 + la1) / 2.0).to_radians().cos();
    // Centred on the selection, so twice the extent keeps every station in view.
    (2.0 * (la1 - la0).max((lo1 - lo0) * k / aspect) * 1.05).clamp(0.004, 2.0)
}
