//! Rebalancing for depot staff: stations ranked by how far they are from their target fill,
//! the bikes in the van, and suggested moves (take N from A to B, nearest first). `Enter`
//! opens a station, where the service release / dock / to-repair actions are.

use super::titled;
use crate::api::StationCounts;
use crate::domain::geo::km;
use crate::tui::app::App;
use crate::tui::text::{T, fill};
use crate::tui::theme::Meaning;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table};

/// Bikes above (+) or below (−) the station's target fill.
pub fn deviation(s: &StationCounts) -> i64 {
    let target = (i64::from(s.docks) * i64::from(s.target_fill) + 50) / 100;
    i64::from(s.bikes) - target
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

/// A move of `n` bikes from a station with too many to the nearest with too few.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub from: i64,
    pub to: i64,
    pub n: i64,
    pub km: f64,
}

/// Greedy: each surplus station sends to the nearest deficit stations first.
pub fn moves(stations: &[StationCounts], limit: usize) -> Vec<Move> {
    let active: Vec<&StationCounts> = stations.iter().filter(|s| s.active).collect();
    let mut need: Vec<(usize, i64)> = active
        .iter()
        .enumerate()
        .filter(|(_, s)| deviation(s) < 0)
        .map(|(i, s)| (i, -deviation(s)))
        .collect();
    let mut surplus: Vec<(usize, i64)> = active
        .iter()
        .enumerate()
        .filter(|(_, s)| deviation(s) > 0)
        .map(|(i, s)| (i, deviation(s)))
        .collect();
    surplus.sort_by_key(|&(i, d)| (std::cmp::Reverse(d), active[i].id));
    let mut out = Vec::new();
    for (si, mut have) in surplus {
        let a = active[si];
        need.sort_by(|x, y| {
            let (bx, by) = (active[x.0], active[y.0]);
            km((a.lat, a.lon), (bx.lat, bx.lon)).total_cmp(&km((a.lat, a.lon), (by.lat, by.lon)))
        });
        for (ni, want) in need.iter_mut() {
            if have == 0 || out.len() >= limit {
                break;
            }
            if *want == 0 {
                continue;
            }
            let n = have.min(*want);
            let b = active[*ni];
            out.push(Move {
                from: a.id.0,
                to: b.id.0,
                n,
                km: km((a.lat, a.lon), (b.lat, b.lon)),
            });
            have -= n;
            *want -= n;
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::StationId;

    fn st(id: i64, lat: f64, bikes: u32, docks: u32) -> StationCounts {
        StationCounts {
            id: StationId(id),
            name: format!("S{id}"),
            name_kk: None,
            name_en: None,
            address: String::new(),
            lat,
            lon: 76.9,
            active: true,
            target_fill: 50,
            docks,
            bikes,
            free_docks: docks - bikes,
            out_of_service: 0,
            cable_locked: 0,
            faulty: 0,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn surplus_goes_to_the_nearest_station_short_of_bikes() {
        // 1 has 10 of 10 (target 5: +5); 2 (near) and 3 (far) have none (−5 each).
        let s = vec![
            st(1, 43.20, 10, 10),
            st(2, 43.21, 0, 10),
            st(3, 43.30, 0, 10),
        ];
        let m = moves(&s, 10);
        assert_eq!(m.len(), 1);
        assert_eq!((m[0].from, m[0].to, m[0].n), (1, 2, 5));
        assert!(m[0].km > 1.0 && m[0].km < 1.2, "{}", m[0].km);
    }
}
