//! The depot's van plan (issue #16), as the engine holds it for every console: each van's
//! route (stops in order, take or leave how many, arrival, load after), what the plan is
//! expected to avoid, the stations at risk within the hour, and what each van carries.
//! Depot staff see their own van's route; supervisors and admins every van's. `Enter` opens
//! the stop's station; `d` does the stop (its bikes preselected, faulty ones to repair).

use super::titled;
use crate::api::{PlannedStop, RebalancePlan, StationView, VanRoute};
use crate::domain::StationId;
use crate::tui::app::App;
use crate::tui::text::{T, fill};
use crate::tui::theme::Meaning;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

/// What the console knows of the plan.
#[derive(Debug, Default)]
pub struct DepotState {
    pub plan: Option<RebalancePlan>,
    /// The role may not read the plan (the view says so instead of asking again).
    pub denied: bool,
    /// The newest request; older answers are dropped.
    pub seq: u64,
    /// The next request asks the engine to compute the plan again (`Ctrl-R`).
    pub want_fresh: bool,
    /// The station of the stop being done, as it was when `d` was pressed.
    pub stop_view: Option<StationView>,
    /// A station of the plan changed (another console's stop, perhaps): ask again at the
    /// next tick.
    pub dirty: bool,
}

impl DepotState {
    /// Whether `station` is a stop of any van's route.
    pub fn plans(&self, station: StationId) -> bool {
        self.plan.as_ref().is_some_and(|p| {
            p.vans
                .iter()
                .any(|r| r.stops.iter().any(|s| s.station == station))
        })
    }
}

/// The vans whose routes are listed: the asker's own van when they drive one, else all.
pub fn shown_vans(plan: &RebalancePlan) -> Vec<&VanRoute> {
    match plan.yours {
        Some(v) => plan.vans.iter().filter(|r| r.van == v).collect(),
        None => plan.vans.iter().collect(),
    }
}

/// The stops listed, in order, with their van.
pub fn shown_stops(plan: &RebalancePlan) -> Vec<(u32, &PlannedStop)> {
    shown_vans(plan)
        .into_iter()
        .flat_map(|r| r.stops.iter().map(move |s| (r.van, s)))
        .collect()
}

/// The stops' identities (a station is a stop of one route at most).
pub fn stop_keys(app: &App) -> Vec<StationId> {
    app.depot
        .plan
        .as_ref()
        .map(|p| shown_stops(p).iter().map(|(_, s)| s.station).collect())
        .unwrap_or_default()
}

/// The stop under the cursor, with its van.
pub fn selected_stop(app: &App) -> Option<(u32, PlannedStop)> {
    let plan = app.depot.plan.as_ref()?;
    let stops = shown_stops(plan);
    let keys: Vec<StationId> = stops.iter().map(|(_, s)| s.station).collect();
    let i = app.rebalance_sel.index(&keys);
    stops.get(i).map(|(v, s)| (*v, (*s).clone()))
}

/// The rows `lines` take wrapped at `width` columns (about: words are not split).
fn rows_of(lines: &[(String, Meaning)], width: u16) -> u16 {
    let w = usize::from(width.max(1));
    lines
        .iter()
        .map(|(t, _)| t.chars().count().div_ceil(w).max(1) as u16)
        .sum()
}

/// Local hours and minutes.
fn hm(app: &App, at: chrono::DateTime<chrono::Utc>) -> String {
    let tz = app
        .tariff
        .as_ref()
        .map(|t| t.time_zone)
        .unwrap_or(chrono_tz::Asia::Almaty);
    at.with_timezone(&tz).format("%H:%M").to_string()
}

/// `take 5` / `leave 3`.
pub fn action_words(app: &App, s: &PlannedStop) -> String {
    if s.take > 0 {
        fill(app.t(T::TakeN), &[&s.take])
    } else {
        fill(app.t(T::LeaveN), &[&s.leave])
    }
}

/// A van's line: its number, load, where it is, who drives it.
pub fn van_line(app: &App, r: &VanRoute) -> String {
    let place = match r.at {
        Some(s) => fill(app.t(T::AtStation), &[&s]),
        None => app.t(T::AtDepot).to_string(),
    };
    let mut line = format!(
        "{} · {} · {place}",
        fill(app.t(T::VanNo), &[&r.van]),
        fill(app.t(T::VanHolds), &[&r.bikes.len(), &r.capacity]),
    );
    if let Some(d) = &r.driver {
        line.push_str(" · ");
        line.push_str(&fill(app.t(T::Driver), &[d]));
    }
    line
}

pub fn render(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.opts.theme;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let Some(plan) = app.depot.plan.as_ref() else {
        let text = if app.depot.denied {
            app.t(T::PlanDenied)
        } else {
            app.t(T::PlanWaiting)
        };
        f.render_widget(
            Paragraph::new(Line::styled(text, th.style(Meaning::Muted)))
                .block(titled(app, app.t(T::PlanTitle).to_string())),
            area,
        );
        return;
    };
    let stops = shown_stops(plan);
    let title = match plan.yours {
        Some(v) => format!(
            "{} · {} ({})",
            app.t(T::PlanTitle),
            fill(app.t(T::VanNo), &[&v]),
            stops.len()
        ),
        None => format!("{} ({})", app.t(T::PlanTitle), stops.len()),
    };
    let block = titled(app, title);
    let h = block.inner(left).height.saturating_sub(1) as usize;
    app.list_area.set((left.y + 2, h as u16));
    let all_vans = plan.yours.is_none();
    let mut head = vec![app.t(T::Arrive), app.t(T::Station), app.t(T::StopDo)];
    head.push(app.t(T::LoadAfter));
    if all_vans {
        head.insert(0, app.t(T::VanCol));
    }
    let header = Row::new(head).style(th.style(Meaning::Title));
    let keys: Vec<StationId> = stops.iter().map(|(_, s)| s.station).collect();
    let sel = app.rebalance_sel.index(&keys);
    let skip = sel.saturating_sub(h.saturating_sub(1));
    let rows = stops
        .iter()
        .enumerate()
        .skip(skip)
        .take(h)
        .map(|(i, (van, s))| {
            let m = if i == sel {
                Meaning::Selected
            } else if s.take > 0 {
                Meaning::Info
            } else {
                Meaning::Warn
            };
            let name = app
                .station_by_id(s.station)
                .map(|x| x.name.clone())
                .unwrap_or_default();
            let mut texts = vec![
                hm(app, s.arrive),
                format!("{} {name}", s.station),
                action_words(app, s),
                s.load_after.to_string(),
            ];
            if all_vans {
                texts.insert(0, van.to_string());
            }
            // The cursor's mark leads the row.
            texts[0] = format!("{}{}", if i == sel { "›" } else { " " }, texts[0]);
            let cells: Vec<Cell> = texts.into_iter().map(Cell::from).collect();
            Row::new(cells).style(th.style(m))
        });
    let mut widths = vec![
        Constraint::Length(if all_vans { 6 } else { 7 }),
        Constraint::Min(14),
        Constraint::Length(11),
        Constraint::Length(5),
    ];
    if all_vans {
        widths.insert(0, Constraint::Length(5));
    }
    if stops.is_empty() {
        f.render_widget(
            Paragraph::new(Line::styled(app.t(T::NoStops), th.style(Meaning::Ok)))
                .wrap(Wrap { trim: true })
                .block(block),
            left,
        );
    } else {
        f.render_widget(Table::new(rows, widths).header(header).block(block), left);
    }

    // The vans' content: always in view.
    let vans = shown_vans(plan);
    let mut van_text: Vec<(String, Meaning)> = Vec::new();
    for r in &vans {
        van_text.push((van_line(app, r), Meaning::Title));
        van_text.push((
            if r.bikes.is_empty() {
                "—".to_string()
            } else {
                bike_list(&r.bikes)
            },
            Meaning::Normal,
        ));
    }
    let summary = [
        (
            fill(
                app.t(T::Avoided),
                &[
                    &format!("{:.1}", plan.avoided),
                    &plan.lookahead_h,
                    &format!("{:.1}", plan.km),
                ],
            ),
            Meaning::Normal,
        ),
        (
            fill(
                app.t(T::PlanAt),
                &[&hm(app, plan.computed_at), &hm(app, plan.next_at)],
            ),
            Meaning::Muted,
        ),
    ];
    let inner = right.width.saturating_sub(2);
    let van_h = (rows_of(&van_text, inner) + 2).min(right.height / 2);
    let sum_h = rows_of(&summary, inner) + 2;
    let [van_area, sum_area, risk_area] = Layout::vertical([
        Constraint::Length(van_h),
        Constraint::Length(sum_h),
        Constraint::Min(3),
    ])
    .areas(right);
    let styled = |v: &[(String, Meaning)]| -> Vec<Line<'static>> {
        v.iter()
            .map(|(t, m)| Line::styled(t.clone(), th.style(*m)))
            .collect()
    };
    f.render_widget(
        Paragraph::new(styled(&van_text))
            .wrap(Wrap { trim: true })
            .block(titled(app, app.t(T::Van).to_string())),
        van_area,
    );
    f.render_widget(
        Paragraph::new(styled(&summary))
            .wrap(Wrap { trim: true })
            .block(titled(app, app.t(T::PlanTitle).to_string())),
        sum_area,
    );
    let risk: Vec<Line> = if plan.at_risk.is_empty() {
        vec![Line::styled(app.t(T::NoRisk), th.style(Meaning::Ok))]
    } else {
        plan.at_risk
            .iter()
            .map(|r| {
                let name = app
                    .station_by_id(r.station)
                    .map(|x| x.name.clone())
                    .unwrap_or_default();
                // The side riders are likelier to meet, in words and by style.
                let (m, word, n) = if r.empty >= r.full {
                    (Meaning::Danger, T::Empty, r.empty)
                } else {
                    (Meaning::Warn, T::Full, r.full)
                };
                Line::from(Span::styled(
                    fill(
                        app.t(T::RiskLine),
                        &[&r.station, &app.t(word), &format!("{n:.1}"), &name],
                    ),
                    th.style(m),
                ))
            })
            .collect()
    };
    f.render_widget(
        Paragraph::new(risk).block(titled(
            app,
            format!("{} ({})", app.t(T::AtRisk), plan.at_risk.len()),
        )),
        risk_area,
    );
}

pub use super::rebalance_stop::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Bike, BikeState, StationCounts};
    use crate::domain::BikeId;

    fn bike(id: i64, dock: Option<u32>, faulty: bool) -> Bike {
        Bike {
            id: BikeId(id),
            state: if dock.is_some() {
                BikeState::Docked
            } else {
                BikeState::CableLocked
            },
            station: Some(StationId(7)),
            dock,
            faulty,
            notes: Vec::new(),
        }
    }

    fn view(bikes: Vec<Bike>, free: u32) -> StationView {
        StationView {
            station: StationCounts {
                id: StationId(7),
                name: "Abay".into(),
                name_kk: None,
                name_en: None,
                address: String::new(),
                lat: 43.2,
                lon: 76.9,
                active: true,
                target_fill: 50,
                docks: 10,
                bikes: bikes.len() as u32,
                free_docks: free,
                out_of_service: 0,
                cable_locked: 0,
                faulty: 0,
                updated_at: chrono::DateTime::default(),
            },
            docks: Vec::new(),
            bikes,
            notes: Vec::new(),
        }
    }

    fn stop(take: u32, leave: u32) -> PlannedStop {
        PlannedStop {
            station: StationId(7),
            take,
            leave,
            arrive: chrono::DateTime::default(),
            load_after: 0,
        }
    }

    #[test]
    fn a_take_stop_preselects_the_faulty_to_repair_and_the_planned_number_of_healthy_ones() {
        let v = view(
            vec![
                bike(1, Some(1), false),
                bike(2, Some(2), true),
                bike(3, Some(3), false),
                bike(4, Some(4), false),
            ],
            6,
        );
        let c = stop_choice(&stop(2, 0), &v, &[]);
        assert_eq!(c.repair, vec![BikeId(2)], "the faulty one goes to repair");
        assert_eq!(
            c.take,
            vec![BikeId(1), BikeId(3)],
            "two healthy, in dock order"
        );
        assert!(c.leave.is_empty());
    }

    #[test]
    fn a_leave_stop_leaves_no_more_than_the_free_docks_take() {
        let v = view(vec![bike(1, Some(1), false)], 2);
        let van = [BikeId(10), BikeId(11), BikeId(12)];
        let c = stop_choice(&stop(0, 3), &v, &van);
        assert_eq!(c.leave, vec![BikeId(10), BikeId(11)], "two free docks");
        assert!(c.take.is_empty() && c.repair.is_empty());
    }

    #[test]
    fn bike_lists_read_back() {
        assert_eq!(
            parse_bikes("12 13,14"),
            Some(vec![BikeId(12), BikeId(13), BikeId(14)])
        );
        assert_eq!(parse_bikes(""), Some(vec![]));
        assert_eq!(parse_bikes("12 x"), None);
        assert_eq!(bike_list(&[BikeId(1), BikeId(2)]), "1 2");
    }
}
