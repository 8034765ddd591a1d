//! A supervisor corrects a ledger entry: a signed amount posted against it, with a reason
//! (the entry stays; the correction is its own line).

use super::{Call, Cx, Outcome, Preview, Procedure, balance_after, invalid, ready, rider_of};
use crate::backend::Ops;
use crate::domain::time::format_local;
use crate::domain::{EntryId, Tenge};
use crate::tui::dialog::{Field, Form, typed_number};
use crate::tui::text::{Lang, T, entry_kind, fill};

pub struct Correct;

impl Procedure for Correct {
    fn title(&self) -> T {
        T::CorrectTitle
    }

    fn disabled(&self, cx: &Cx) -> Option<T> {
        cx.rider
            .is_some_and(|v| v.ledger.is_empty())
            .then_some(T::DisNoEntries)
    }

    fn fields(&self, cx: &Cx) -> Vec<Field> {
        let entries = cx
            .rider
            .map(|v| {
                v.ledger
                    .iter()
                    .rev()
                    .map(|e| {
                        let at = format_local(cx.tz, e.at);
                        (
                            e.id.to_string(),
                            format!(
                                "#{} · {} · {} · {}",
                                e.id,
                                at.get(..16).unwrap_or(&at),
                                entry_kind(&e.kind, cx.lang),
                                e.money
                            ),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        vec![
            Field::choice("entry", T::FieldEntry, entries, 0),
            Field::text("delta", T::FieldDelta, ""),
            Field::text("reason", T::FieldReason, ""),
        ]
    }

    fn validate(&self, f: &Form, lang: Lang) -> Option<String> {
        let label = T::FieldDelta.get(lang);
        match typed_number(f.value("delta")) {
            Some(0) | None => Some(fill(T::NeedSigned.get(lang), &[&label])),
            Some(_) => None,
        }
    }

    fn preview(&self, cx: &Cx, f: &Form) -> Preview {
        let d = f.num("delta").unwrap_or(0);
        let mut lines = vec![fill(
            cx.t(T::PreviewCorrects),
            &[&f.value("entry"), &Tenge(d)],
        )];
        lines.extend(balance_after(f, d));
        ready(Ok(lines))
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let entry = f.num("entry").map(EntryId);
        let delta = f.num("delta").map(Tenge);
        let reason = f.value("reason").to_string();
        Box::pin(async move {
            let r = rider_of(c.on)?;
            let e = entry.ok_or_else(|| invalid("no entry"))?;
            let d = delta.ok_or_else(|| invalid("no amount"))?;
            c.b.correct(r, e, d, &reason).await?;
            Ok(fill(c.t(T::DoneCorrect), &[&e, &d, &r]).into())
        })
    }
}
