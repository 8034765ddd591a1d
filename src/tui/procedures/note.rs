//! A note on a rider (what the caller said, what was promised): kept in the audit log under
//! the agent's name and shown in the rider view at every desk — `Op::Note`, the example of
//! ARCHITECTURE.md (its rule, its `api` type, its engine step, this procedure).

use super::{Call, Cx, Outcome, Procedure, rider_of};
use crate::api::Op;
use crate::tui::dialog::{Field, Form};
use crate::tui::procedures::desk_notes::pin_field;
use crate::tui::text::{T, fill};

pub struct Note;

impl Procedure for Note {
    fn title(&self) -> T {
        T::NoteTitle
    }

    fn fields(&self, cx: &Cx) -> Vec<Field> {
        vec![Field::text("text", T::FieldStaffNote, ""), pin_field(cx)]
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let text = f.value("text").to_string();
        let pinned = f.value("pinned") == "yes";
        Box::pin(async move {
            let rider = rider_of(c.on)?;
            c.b.execute(Op::Note {
                rider,
                text,
                pinned,
            })
            .await?;
            Ok(fill(c.t(T::DoneNote), &[&rider]).into())
        })
    }
}
