//! D12: a supervisor imposes a restriction by hand, or lifts one (a restriction imposed by
//! hand is lifted only by hand). Both take a note for the audit.

use super::{Call, Cx, Outcome, Procedure, rider_of};
use crate::backend::Ops;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct Restrict;

impl Procedure for Restrict {
    fn title(&self) -> T {
        T::RestrictTitle
    }

    fn disabled(&self, cx: &Cx) -> Option<T> {
        cx.rider
            .is_some_and(|v| v.rider.restricted)
            .then_some(T::DisRestricted)
    }

    fn facts(&self, cx: &Cx) -> Vec<String> {
        vec![cx.t(T::RestrictFact).to_string()]
    }

    fn fields(&self, _cx: &Cx) -> Vec<Field> {
        vec![
            Field::text("reason", T::FieldReasonToRider, ""),
            Field::text("note", T::FieldAuditNote, "").required(),
        ]
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let (reason, note) = (f.value("reason").to_string(), f.value("note").to_string());
        Box::pin(async move {
            let r = rider_of(c.on)?;
            c.b.set_restriction(r, Some(&reason), &note).await?;
            Ok(fill(c.t(T::DoneRestrict), &[&r]).into())
        })
    }
}

pub struct Lift;

impl Procedure for Lift {
    fn title(&self) -> T {
        T::LiftTitle
    }

    fn disabled(&self, cx: &Cx) -> Option<T> {
        cx.rider
            .is_some_and(|v| !v.rider.restricted)
            .then_some(T::DisNotRestricted)
    }

    fn fields(&self, _cx: &Cx) -> Vec<Field> {
        vec![Field::text("note", T::FieldAuditNote, "").required()]
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let note = f.value("note").to_string();
        Box::pin(async move {
            let r = rider_of(c.on)?;
            c.b.set_restriction(r, None, &note).await?;
            Ok(fill(c.t(T::DoneLift), &[&r]).into())
        })
    }
}
