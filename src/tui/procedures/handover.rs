//! The shift's handover (issue 17): `:handover` (or quitting after a shift's length)
//! gathers what is open of this staff member's — the engine's own answer, previewed — with
//! a free note; the next person at the desk sees it first and takes it over item by item
//! (`a` or `Enter` on an item in the Cases view).

use super::{Call, Cx, Outcome, Preview, Procedure, invalid};
use crate::api::{Op, Outcome as Answer};
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill, handover_kind};

pub struct Handover;

impl Procedure for Handover {
    fn title(&self) -> T {
        T::HandoverTitle
    }
    fn fields(&self, _cx: &Cx) -> Vec<Field> {
        vec![Field::text("note", T::FieldHandoverNote, "").optional()]
    }
    fn preview(&self, cx: &Cx, f: &Form) -> Preview {
        let (b, lang) = (cx.app.backend.clone(), cx.lang);
        let note = f.value("note").to_string();
        Box::pin(async move {
            match b.preview(Op::Handover { note }).await {
                Ok(Answer::Handover(h)) => Ok(h
                    .items
                    .iter()
                    .map(|i| format!("{}: {}", handover_kind(i.kind, lang), i.text))
                    .collect()),
                Ok(_) => Ok(Vec::new()),
                Err(e) => Err(crate::tui::text::describe(&e, lang)),
            }
        })
    }
    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let note = f.value("note").to_string();
        Box::pin(async move {
            let out = c.b.execute(Op::Handover { note }).await?;
            let n = match out {
                Answer::Handover(h) => h.items.len(),
                _ => 0,
            };
            Ok(fill(c.t(T::DoneHandover), &[&n]).into())
        })
    }
}

/// The handover item the procedure is on: (who handed it over, the item).
fn item_of<'a>(cx: &Cx<'a>) -> Option<(&'a str, &'a crate::api::HandoverItem)> {
    let id = cx.on.item?;
    cx.app.desk_file.as_ref()?.handovers.iter().find_map(|h| {
        h.items
            .iter()
            .find(|i| i.id == id)
            .map(|i| (h.staff.as_str(), i))
    })
}

pub struct AckHandover;

impl Procedure for AckHandover {
    fn title(&self) -> T {
        T::AckHandoverTitle
    }
    fn disabled(&self, cx: &Cx) -> Option<T> {
        match item_of(cx) {
            None => Some(T::DisNoHandoverItem),
            Some((_, i)) if i.acked.is_some() => Some(T::DisTakenOver),
            _ => None,
        }
    }
    fn facts(&self, cx: &Cx) -> Vec<String> {
        item_of(cx)
            .map(|(who, i)| {
                vec![fill(
                    cx.t(T::HandoverFact),
                    &[&who, &handover_kind(i.kind, cx.lang), &i.text],
                )]
            })
            .unwrap_or_default()
    }
    fn fields(&self, _cx: &Cx) -> Vec<Field> {
        Vec::new()
    }
    fn submit(&self, c: Call, _f: &Form) -> Outcome {
        Box::pin(async move {
            let item = c.on.item.ok_or_else(|| invalid("no handover item"))?;
            c.b.execute(Op::AckHandover { item }).await?;
            Ok(fill(c.t(T::DoneAckHandover), &[&item]).into())
        })
    }
}
