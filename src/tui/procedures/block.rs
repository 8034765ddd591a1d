//! Block a rider's access, with a reason that is sent to the rider in a message.

use super::{Call, Cx, Outcome, Procedure, rider_of};
use crate::backend::Ops;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct Block;

impl Procedure for Block {
    fn title(&self) -> T {
        T::BlockTitle
    }

    fn disabled(&self, cx: &Cx) -> Option<T> {
        cx.rider
            .is_some_and(|v| v.rider.blocked_reason.is_some())
            .then_some(T::DisBlocked)
    }

    fn facts(&self, cx: &Cx) -> Vec<String> {
        vec![cx.t(T::ReasonSentToRider).to_string()]
    }

    fn fields(&self, _cx: &Cx) -> Vec<Field> {
        vec![Field::text("reason", T::FieldReasonToRider, "")]
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let reason = f.value("reason").to_string();
        Box::pin(async move {
            let r = rider_of(c.on)?;
            c.b.block(r, &reason).await?;
            Ok(fill(c.t(T::DoneBlock), &[&r]).into())
        })
    }
}
