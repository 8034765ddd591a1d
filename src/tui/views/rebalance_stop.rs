//! A van's stop of the depot's plan as a form: what to repair, leave and take, its preview
//! and its request (the procedure behind `d` on the Rebalance view).

use super::rebalance::*;
use crate::api::{PlannedStop, StationView, VanRoute};
use crate::domain::{BikeId, StationId};
use crate::tui::app::App;
use crate::tui::text::{T, fill};

/// The bikes a stop preselects: every faulty bike of the station to repair first, then the
/// planned number of the station's healthy bikes to take (dock order), or of the van's
/// bikes to leave (as many as the free docks, with those the repairs free, allow).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StopChoice {
    pub repair: Vec<BikeId>,
    pub leave: Vec<BikeId>,
    pub take: Vec<BikeId>,
}

pub fn stop_choice(stop: &PlannedStop, station: &StationView, van: &[BikeId]) -> StopChoice {
    let here: Vec<&crate::api::Bike> = {
        let mut v: Vec<_> = station
            .bikes
            .iter()
            .filter(|b| b.station == Some(stop.station))
            .collect();
        v.sort_by_key(|b| (b.dock.is_none(), b.dock, b.id));
        v
    };
    let repair: Vec<BikeId> = here.iter().filter(|b| b.faulty).map(|b| b.id).collect();
    let take = here
        .iter()
        .filter(|b| !b.faulty && b.dock.is_some())
        .take(stop.take as usize)
        .map(|b| b.id)
        .collect();
    let free = station.station.free_docks as usize
        + here.iter().filter(|b| b.faulty && b.dock.is_some()).count();
    let leave = van
        .iter()
        .take((stop.leave as usize).min(free))
        .copied()
        .collect();
    StopChoice {
        repair,
        leave,
        take,
    }
}

/// Bike numbers as a field shows them, and back.
pub fn bike_list(v: &[BikeId]) -> String {
    v.iter()
        .map(|b| b.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn parse_bikes(s: &str) -> Option<Vec<BikeId>> {
    s.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(|w| w.parse().ok().map(BikeId))
        .collect()
}

/// The van's route entry and the stop at `st` in the plan the console holds.
pub(super) fn planned(
    app: &App,
    van: u32,
    st: StationId,
) -> (Option<&VanRoute>, Option<&PlannedStop>) {
    let route = app
        .depot
        .plan
        .as_ref()
        .and_then(|p| p.vans.iter().find(|r| r.van == van));
    let stop = route.and_then(|r| r.stops.iter().find(|s| s.station == st));
    (route, stop)
}

/// The stop's form: the van and the station as facts, the bikes preselected in three
/// fields (to repair, to leave, to take), each editable.
pub fn stop_form(
    app: &App,
    van: u32,
    st: StationId,
    facts: &mut Vec<String>,
    fields: &mut Vec<crate::tui::dialog::Field>,
) {
    use crate::tui::dialog::Field;
    let (route, stop) = planned(app, van, st);
    let view = app.depot.stop_view.as_ref().filter(|v| v.station.id == st);
    let van_bikes = route.map(|r| r.bikes.clone()).unwrap_or_default();
    if let Some(r) = route {
        facts.push(van_line(app, r));
        if r.bikes.is_empty() {
            facts.push("—".to_string());
        }
        for chunk in r.bikes.chunks(10) {
            facts.push(bike_list(chunk));
        }
    }
    if let Some(s) = stop {
        facts.push(fill(app.t(T::StopPlanned), &[&action_words(app, s)]));
    }
    let choice = match (stop, view) {
        (Some(s), Some(v)) => stop_choice(s, v, &van_bikes),
        _ => StopChoice::default(),
    };
    if let Some(v) = view {
        let faulty = app.t(T::Faulty);
        let listed: Vec<String> = v
            .bikes
            .iter()
            .map(|b| {
                if b.faulty {
                    format!("{} {faulty}", b.id)
                } else {
                    b.id.to_string()
                }
            })
            .collect();
        // Ten bikes a line, so that none is cut off.
        for (i, chunk) in listed.chunks(10).enumerate() {
            if i == 0 {
                facts.push(fill(
                    app.t(T::StationBikesLine),
                    &[&st, &v.station.name, &chunk.join(" ")],
                ));
            } else {
                facts.push(format!("  {}", chunk.join(" ")));
            }
        }
    }
    fields.push(Field::text(
        "repair",
        T::FieldRepair,
        bike_list(&choice.repair),
    ));
    fields.push(Field::text(
        "leave",
        T::FieldLeave,
        bike_list(&choice.leave),
    ));
    fields.push(Field::text("take", T::FieldTake, bike_list(&choice.take)));
}

/// The stop the form asks for; `None` when a field is not a list of bike numbers.
pub fn stop_request(
    f: &crate::tui::dialog::Form,
    van: u32,
    st: StationId,
) -> Option<crate::api::VanStopRequest> {
    Some(crate::api::VanStopRequest {
        van,
        station: st,
        take: parse_bikes(f.value("take"))?,
        leave: parse_bikes(f.value("leave"))?,
        repair: parse_bikes(f.value("repair"))?,
    })
}

/// What the stop will do, in words: the van's load and the station's bikes before and after.
pub fn stop_preview(
    app: &App,
    f: &crate::tui::dialog::Form,
    van: u32,
    st: StationId,
) -> Result<Vec<String>, String> {
    for (key, label) in [
        ("repair", T::FieldRepair),
        ("leave", T::FieldLeave),
        ("take", T::FieldTake),
    ] {
        if parse_bikes(f.value(key)).is_none() {
            return Err(fill(app.t(T::NeedBikes), &[&app.t(label)]));
        }
    }
    let Some(req) = stop_request(f, van, st) else {
        return Err(app.t(T::NoStopHere).to_string());
    };
    let (route, _) = planned(app, van, st);
    let load = route.map_or(0, |r| r.bikes.len());
    let bikes = app
        .depot
        .stop_view
        .as_ref()
        .filter(|v| v.station.id == st)
        .map_or(0, |v| v.station.bikes as usize);
    let mut lines = vec![fill(
        app.t(T::PreviewStop),
        &[
            &van,
            &load,
            &(load + req.take.len()).saturating_sub(req.leave.len()),
            &st,
            &bikes,
            &(bikes + req.leave.len()).saturating_sub(req.take.len()),
        ],
    )];
    for (label, v) in [(T::FieldLeave, &req.leave), (T::FieldTake, &req.take)] {
        if !v.is_empty() {
            lines.push(format!("{}: {}", app.t(label), bike_list(v)));
        }
    }
    if !req.repair.is_empty() {
        lines.push(fill(
            app.t(T::PreviewRepair),
            &[&req.repair.len(), &bike_list(&req.repair)],
        ));
    }
    Ok(lines)
}
