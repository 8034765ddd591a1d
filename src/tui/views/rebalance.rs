//! Rebalancing for depot staff: stations ranked by how far they are from their target fill,
//! the bikes in the van, and suggested moves (take N from A to B, nearest first). `Enter`
//! opens a station, where the service release / dock / to-repair actions are.

use super::titled;
use crate::api::StationCounts;
use crate::tui::app::App;
use crate::tui::text::{T, fill};
use crate::tui::theme::Meaning;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table};

pub use crate::domain::planning::greedy::Move;

/// Bikes above (+) or below (−) the station's target fill (the domain's rule).
pub fn deviation(s: &StationCounts) -> i64 {
    crate::domain::planning::greedy::deviation(&s.planning_view())
}

/// Active stations off their target, the farthest first.
pub fn ranked(app: &App) -> Vec<&StationCounts> {
    let mut v: Vec<&StationCounts> = app
        .stations
        .rows
        .iter()
        .filter(|s| s.active && deviation(s) != 0)
        .collect();
    v.sort_by_key(|s| (std::cmp::Reverse(deviation(s).abs()), s.id));
    v
}

/// The suggested moves: [`crate::domain::planning::greedy::moves`] of the stations shown.
pub fn moves(stations: &[StationCounts], limit: usize) -> Vec<Move> {
    let now: Vec<_> = stations.iter().map(StationCounts::planning_view).collect();
    crate::domain::planning::greedy::moves(&now, limit)
}

pub fn render(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.opts.theme;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let ranked = ranked(app);
    let block = titled(app, format!("{} ({})", app.t(T::Rebalance), ranked.len()));
    let h = block.inner(left).height.saturating_sub(1) as usize;
    app.list_area.set((left.y + 2, h as u16));
    let header = Row::new([
        app.t(T::Code),
        app.t(T::Name),
        app.t(T::Bikes),
        app.t(T::Target),
        app.t(T::Deviation),
    ])
    .style(th.style(Meaning::Title));
    let keys: Vec<_> = ranked.iter().map(|s| s.id).collect();
    let sel = app.rebalance_sel.index(&keys);
    let skip = sel.saturating_sub(h.saturating_sub(1));
    let rows = ranked.iter().enumerate().skip(skip).take(h).map(|(i, s)| {
        let d = deviation(s);
        let m = if i == sel {
            Meaning::Selected
        } else if d < 0 {
            Meaning::Warn
        } else {
            Meaning::Info
        };
        Row::new([
            Cell::from(format!("{}{}", if i == sel { "›" } else { " " }, s.id)),
            Cell::from(s.name.clone()),
            Cell::from(format!("{}/{}", s.bikes, s.docks)),
            Cell::from(format!("{}%", s.target_fill)),
            Cell::from(format!("{d:+}")),
        ])
        .style(th.style(m))
    });
    let widths = [
        Constraint::Length(7),
        Constraint::Min(18),
        Constraint::Length(7),
        Constraint::Length(7),
        Constraint::Length(7),
    ];
    f.render_widget(Table::new(rows, widths).header(header).block(block), left);

    let [van, mv] = Layout::vertical([Constraint::Length(5), Constraint::Min(3)]).areas(right);
    let van_text = if app.van.is_empty() {
        "—".to_string()
    } else {
        app.van
            .iter()
            .map(|b| b.id.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    f.render_widget(
        Paragraph::new(van_text)
            .wrap(ratatui::widgets::Wrap { trim: true })
            .block(titled(
                app,
                format!("{} ({})", app.t(T::Van), app.van.len()),
            )),
        van,
    );
    let moves = moves(&app.stations.rows, 50);
    let lines: Vec<Line> = if moves.is_empty() {
        vec![Line::styled(app.t(T::NoMoves), th.style(Meaning::Ok))]
    } else {
        moves
            .iter()
            .map(|m| {
                Line::from(fill(
                    app.t(T::MoveLine),
                    &[&m.n, &m.from, &m.to, &format!("{:.1}", m.km)],
                ))
            })
            .collect()
    };
    f.render_widget(
        Paragraph::new(lines).block(titled(app, app.t(T::Moves).to_string())),
        mv,
    );
}
