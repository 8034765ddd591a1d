//! D14: a supervisor approves the rider's oldest fine waiting for approval (someone else
//! entered it); it posts.

use super::{Call, Cx, Outcome, Preview, Procedure, pending_fines, ready, rider_of};
use crate::api::FineOutcome;
use crate::backend::Ops;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill, fine_kind};

pub struct Approve;

/// The pending fines, oldest first, as the approve and reject dialogs show them.
pub fn pending_lines(cx: &Cx) -> Vec<String> {
    pending_fines(cx)
        .iter()
        .map(|f| {
            format!(
                "{} {} · {} · {}",
                fine_kind(f.kind.as_str(), cx.lang),
                f.amount,
                f.entered_by,
                f.note
            )
        })
        .collect()
}

impl Procedure for Approve {
    fn title(&self) -> T {
        T::ApproveTitle
    }

    fn disabled(&self, cx: &Cx) -> Option<T> {
        (cx.rider.is_some() && pending_fines(cx).is_empty()).then_some(T::DisNoPendingFine)
    }

    fn facts(&self, cx: &Cx) -> Vec<String> {
        pending_lines(cx)
    }

    fn fields(&self, _cx: &Cx) -> Vec<Field> {
        Vec::new()
    }

    fn preview(&self, cx: &Cx, _f: &Form) -> Preview {
        let first = pending_lines(cx).into_iter().next().unwrap_or_default();
        ready(Ok(vec![fill(cx.t(T::PreviewApprove), &[&first])]))
    }

    fn submit(&self, c: Call, _f: &Form) -> Outcome {
        Box::pin(async move {
            let r = rider_of(c.on)?;
            Ok(match c.b.approve_fine(r).await? {
                FineOutcome::Posted { amount, .. }
                | FineOutcome::AwaitingApproval { amount, .. } => {
                    fill(c.t(T::DoneApprove), &[&amount, &r])
                }
            }
            .into())
        })
    }
}
