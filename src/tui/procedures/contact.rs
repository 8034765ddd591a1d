//! Contacts at the desk (issue 17): `o` on a rider opens one for a reason (also `:call
//! PHONE-OR-ID`, which finds the rider first); `w` closes it with an outcome and a note.
//! While it is open, whatever the agent does on the rider is linked to it (the engine).

use super::{Call, Cx, Outcome, Procedure, rider_of};
use crate::api::Op;
use crate::domain::desk::{Catalogue, catalogues};
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

/// The catalogue's entries as a choice's options, in the console's language.
pub fn options(c: &Catalogue, lang: crate::tui::text::Lang) -> Vec<(String, String)> {
    c.entries
        .iter()
        .map(|e| (e.key.clone(), e.words(lang.code()).to_string()))
        .collect()
}

/// The contact this console's staff member has open on the rider of the page.
pub fn my_open_contact<'a>(cx: &Cx<'a>) -> Option<&'a crate::api::Contact> {
    let me = cx.app.opts.staff.as_str();
    cx.rider?
        .contacts
        .iter()
        .find(|k| k.closed_at.is_none() && k.staff == me)
}

pub struct OpenContact;

impl Procedure for OpenContact {
    fn title(&self) -> T {
        T::OpenContactTitle
    }
    fn disabled(&self, cx: &Cx) -> Option<T> {
        my_open_contact(cx).is_some().then_some(T::DisContactOpen)
    }
    fn fields(&self, cx: &Cx) -> Vec<Field> {
        let reasons = catalogues()
            .map(|c| options(&c.reasons, cx.lang))
            .unwrap_or_default();
        vec![Field::choice("reason", T::FieldContactReason, reasons, 0)]
    }
    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let reason = f.value("reason").to_string();
        Box::pin(async move {
            let rider = rider_of(c.on)?;
            c.b.execute(Op::OpenContact { rider, reason }).await?;
            Ok(fill(c.t(T::DoneOpenContact), &[&rider]).into())
        })
    }
}

pub struct CloseContact;

impl Procedure for CloseContact {
    fn title(&self) -> T {
        T::CloseContactTitle
    }
    fn disabled(&self, cx: &Cx) -> Option<T> {
        my_open_contact(cx).is_none().then_some(T::DisNoContact)
    }
    fn facts(&self, cx: &Cx) -> Vec<String> {
        let Some(k) = my_open_contact(cx) else {
            return Vec::new();
        };
        let reason = catalogues()
            .map(|c| c.reasons.words(&k.reason, cx.lang.code()).to_string())
            .unwrap_or_else(|_| k.reason.clone());
        vec![fill(cx.t(T::ContactFact), &[&reason, &k.actions])]
    }
    fn fields(&self, cx: &Cx) -> Vec<Field> {
        let outcomes = catalogues()
            .map(|c| options(&c.outcomes, cx.lang))
            .unwrap_or_default();
        vec![
            Field::choice("outcome", T::FieldOutcome, outcomes, 0),
            Field::text("note", T::FieldNote, "").optional(),
        ]
    }
    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let (outcome, note) = (f.value("outcome").to_string(), f.value("note").to_string());
        Box::pin(async move {
            let rider = rider_of(c.on)?;
            c.b.execute(Op::CloseContact {
                rider,
                outcome,
                note,
            })
            .await?;
            Ok(fill(c.t(T::DoneCloseContact), &[&rider]).into())
        })
    }
}
