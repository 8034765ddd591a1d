//! Unblock a rider's access, with a reason (audited).

use super::{Call, Cx, Outcome, Procedure, rider_of};
use crate::backend::Ops;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct Unblock;

impl Procedure for Unblock {
    fn title(&self) -> T {
        T::UnblockTitle
    }

    fn disabled(&self, cx: &Cx) -> Option<T> {
        cx.rider
            .is_some_and(|v| v.rider.blocked_reason.is_none())
            .then_some(T::DisNotBlocked)
    }

    fn fields(&self, _cx: &Cx) -> Vec<Field> {
        vec![Field::text("reason", T::FieldReason, "")]
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let reason = f.value("reason").to_string();
        Box::pin(async move {
            let r = rider_of(c.on)?;
            c.b.unblock(r, &reason).await?;
            Ok(fill(c.t(T::DoneUnblock), &[&r]).into())
        })
    }
}
