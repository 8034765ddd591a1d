//! Depot: send a bike to repair (the bike under the cursor filled in).

use super::{Call, Cx, Outcome, Procedure, invalid, station_fact};
use crate::backend::Ops;
use crate::domain::BikeId;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct Repair;

impl Procedure for Repair {
    fn title(&self) -> T {
        T::RepairTitle
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
        Box::pin(async move {
            let bike = bike.ok_or_else(|| invalid("no bike"))?;
            c.b.to_repair(bike).await?;
            Ok(fill(c.t(T::DoneRepair), &[&bike]).into())
        })
    }
}
