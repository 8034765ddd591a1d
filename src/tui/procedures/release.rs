//! Depot: take a docked or cable-locked bike out without a rental, into the van (the bike
//! under the cursor filled in).

use super::{Call, Cx, Outcome, Procedure, invalid, station_fact};
use crate::backend::Ops;
use crate::domain::BikeId;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct Release;

impl Procedure for Release {
    fn title(&self) -> T {
        T::ReleaseTitle
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
            c.b.service_release(bike).await?;
            Ok(fill(c.t(T::DoneRelease), &[&bike]).into())
        })
    }
}
