//! Depot: a bike out of its dock without a rental — into the van (a docked or cable-locked
//! bike), or to repair — the bike under the cursor filled in. One form, two operations.

use super::{Call, Cx, Outcome, Procedure, invalid, station_fact};
use crate::backend::Ops;
use crate::domain::BikeId;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

/// Where the bike goes.
pub enum DepotBike {
    /// Into the van (`Op::ServiceRelease`).
    Van,
    /// To repair (`Op::ToRepair`).
    Repair,
}

impl Procedure for DepotBike {
    fn title(&self) -> T {
        match self {
            DepotBike::Van => T::ReleaseTitle,
            DepotBike::Repair => T::RepairTitle,
        }
    }

    fn facts(&self, cx: &Cx) -> Vec<String> {
        station_fact(cx)
    }

    fn fields(&self, cx: &Cx) -> Vec<Field> {
        let b = cx.on.bike.map(|b| b.to_string()).unwrap_or_default();
        vec![Field::text("bike", T::FieldBike, b)]
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let bike = f.num("bike").map(BikeId);
        let van = matches!(self, DepotBike::Van);
        Box::pin(async move {
            let bike = bike.ok_or_else(|| invalid("no bike"))?;
            if van {
                c.b.service_release(bike).await?;
                Ok(fill(c.t(T::DoneRelease), &[&bike]).into())
            } else {
                c.b.to_repair(bike).await?;
                Ok(fill(c.t(T::DoneRepair), &[&bike]).into())
            }
        })
    }
}
