//! D14: a supervisor rejects the rider's oldest fine waiting for approval, with a reason;
//! nothing is posted.

use super::approve::pending_lines;
use super::{Call, Cx, Outcome, Preview, Procedure, pending_fines, ready, rider_of};
use crate::backend::Ops;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct Reject;

impl Procedure for Reject {
    fn title(&self) -> T {
        T::RejectTitle
    }

    fn disabled(&self, cx: &Cx) -> Option<T> {
        (cx.rider.is_some() && pending_fines(cx).is_empty()).then_some(T::DisNoPendingFine)
    }

    fn facts(&self, cx: &Cx) -> Vec<String> {
        pending_lines(cx)
    }

    fn fields(&self, _cx: &Cx) -> Vec<Field> {
        vec![Field::text("reason", T::FieldReason, "")]
    }

    fn preview(&self, cx: &Cx, _f: &Form) -> Preview {
        let first = pending_lines(cx).into_iter().next().unwrap_or_default();
        ready(Ok(vec![fill(cx.t(T::PreviewReject), &[&first])]))
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let reason = f.value("reason").to_string();
        Box::pin(async move {
            let r = rider_of(c.on)?;
            let amount = c.b.reject_fine(r, &reason).await?;
            Ok(fill(c.t(T::DoneReject), &[&amount, &r]).into())
        })
    }
}
