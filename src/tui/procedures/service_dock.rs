//! Depot: dock a bike from the van at this station (the van's first bike filled in).

use super::{
    Call, Cx, Outcome, Preview, Procedure, fields_as_lines, invalid, ready, station_fact,
    station_of,
};
use crate::backend::Ops;
use crate::domain::BikeId;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct ServiceDock;

impl Procedure for ServiceDock {
    fn title(&self) -> T {
        T::ServiceDockTitle
    }

    fn disabled(&self, cx: &Cx) -> Option<T> {
        let full = cx
            .on
            .station
            .and_then(|s| cx.app.station_by_id(s))
            .is_some_and(|s| s.free_docks == 0);
        full.then_some(T::DisStationFull)
    }

    fn facts(&self, cx: &Cx) -> Vec<String> {
        // The notes on the van's bikes follow them: the depot reads them as it docks them.
        let mut facts = station_fact(cx);
        for b in &cx.app.van {
            for n in &b.notes {
                facts.push(format!(
                    "{} {} · {}: {}",
                    cx.t(T::Bike),
                    b.id,
                    n.staff,
                    n.text
                ));
            }
        }
        facts
    }

    fn fields(&self, cx: &Cx) -> Vec<Field> {
        let b = cx
            .app
            .van
            .first()
            .map(|b| b.id.to_string())
            .unwrap_or_default();
        vec![Field::text("bike", T::FieldBike, b)]
    }

    /// The fields, then the notes on the bike typed (a bike's notes follow it: the depot
    /// reads "rear brake weak" as it docks it).
    fn preview(&self, cx: &Cx, f: &Form) -> Preview {
        let mut lines = fields_as_lines(f, cx.lang);
        let typed = f.num("bike").map(BikeId);
        for b in cx.app.van.iter().filter(|b| Some(b.id) == typed) {
            for n in &b.notes {
                lines.push(format!(
                    "{} {} · {}: {}",
                    cx.t(T::Bike),
                    b.id,
                    n.staff,
                    n.text
                ));
            }
        }
        ready(Ok(lines))
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let bike = f.num("bike").map(BikeId);
        Box::pin(async move {
            let st = station_of(c.on)?;
            let bike = bike.ok_or_else(|| invalid("no bike"))?;
            c.b.service_dock(bike, st).await?;
            Ok(fill(c.t(T::DoneDock), &[&bike, &st]).into())
        })
    }
}
