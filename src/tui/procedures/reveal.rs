//! Reveal a rider's personal data, with a reason (audited); the data comes back with the
//! answer and shows on the rider page.

use super::{Call, Cx, Outcome, Procedure, rider_of};
use crate::tui::dialog::{Done, Field, Form};
use crate::tui::text::{T, fill};

pub struct Reveal;

impl Procedure for Reveal {
    fn title(&self) -> T {
        T::RevealTitle
    }

    fn fields(&self, _cx: &Cx) -> Vec<Field> {
        vec![Field::text("reason", T::FieldReason, "")]
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let reason = f.value("reason").to_string();
        Box::pin(async move {
            let r = rider_of(c.on)?;
            let v = c.b.reveal_rider(r, &reason).await?;
            Ok(Done {
                text: fill(c.t(T::DoneReveal), &[&r]),
                personal: Some(crate::api::Personal::of(&v.rider)),
            })
        })
    }
}
