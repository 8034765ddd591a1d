//! Release a bike for a rider whose own unlock failed (no PIN; audited with a reason).

use super::{Call, Cx, Outcome, Procedure, invalid, rider_of};
use crate::backend::Ops;
use crate::domain::BikeId;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct ManualUnlock;

impl Procedure for ManualUnlock {
    fn title(&self) -> T {
        T::UnlockTitle
    }

    fn disabled(&self, cx: &Cx) -> Option<T> {
        cx.rider
            .is_some_and(|v| v.open_rental.is_some())
            .then_some(T::DisRenting)
    }

    fn fields(&self, cx: &Cx) -> Vec<Field> {
        vec![
            Field::text("bike", T::FieldBike, ""),
            Field::text("reason", T::FieldReason, cx.t(T::UnlockFailedReason)),
        ]
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let (bike, reason) = (f.num("bike").map(BikeId), f.value("reason").to_string());
        Box::pin(async move {
            let r = rider_of(c.on)?;
            let bike = bike.ok_or_else(|| invalid("no bike"))?;
            c.b.manual_unlock(r, bike, &reason).await?;
            Ok(fill(c.t(T::DoneUnlock), &[&bike, &r]).into())
        })
    }
}
