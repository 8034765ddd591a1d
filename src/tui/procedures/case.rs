//! Cases (issue 17): `O` on a rider opens one for what the call could not finish (its kind,
//! the next action and when it is due; it names the open contact); in the Cases view
//! `Enter` moves one on (status, next action, due, a note) and a supervisor's `A` gives it
//! to someone or back to the desk.

use super::contact::{my_open_contact, options};
use super::{Call, Cx, Outcome, Procedure, invalid};
use crate::api::{Case, CaseStatus, Op};
use crate::domain::desk::catalogues;
use crate::domain::time::{format_local, parse_local};
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, case_status, fill};

/// `2025-06-02 18:00`: a time as the forms take it.
fn minutes(cx: &Cx, at: chrono::DateTime<chrono::Utc>) -> String {
    let s = format_local(cx.tz, at);
    s.get(..16).unwrap_or(&s).to_string()
}

/// The case the procedure is on (from the desk file the console holds).
pub fn case_of<'a>(cx: &Cx<'a>) -> Option<&'a Case> {
    let id = cx.on.item?;
    cx.app.desk_file.as_ref()?.cases.iter().find(|k| k.id == id)
}

/// A case in one line: its number, kind, rider, status, next action and due time.
pub fn case_line(cx: &Cx, k: &Case) -> String {
    let kind = catalogues()
        .map(|c| c.reasons.words(&k.kind, cx.lang.code()).to_string())
        .unwrap_or_else(|_| k.kind.clone());
    let rider = k
        .rider
        .map(|r| format!(" · {} {r}", cx.t(T::Rider)))
        .unwrap_or_default();
    fill(
        cx.t(T::CaseLine),
        &[
            &k.id,
            &format!("{kind}{rider}"),
            &case_status(k.status, cx.lang),
            &k.next_action,
            &minutes(cx, k.due),
        ],
    )
}

pub struct OpenCase;

impl Procedure for OpenCase {
    fn title(&self) -> T {
        T::OpenCaseTitle
    }
    fn facts(&self, cx: &Cx) -> Vec<String> {
        my_open_contact(cx)
            .map(|k| vec![fill(cx.t(T::CaseFromContact), &[&k.id])])
            .unwrap_or_default()
    }
    fn fields(&self, cx: &Cx) -> Vec<Field> {
        let kinds = catalogues()
            .map(|c| options(&c.reasons, cx.lang))
            .unwrap_or_default();
        let pick = my_open_contact(cx)
            .and_then(|k| kinds.iter().position(|(key, _)| *key == k.reason))
            .unwrap_or(0);
        let due = minutes(cx, cx.now + chrono::Duration::hours(24));
        vec![
            Field::choice("kind", T::FieldCaseKind, kinds, pick),
            Field::text("next", T::FieldNextAction, "").required(),
            Field::text("due", T::FieldDue, due).required(),
            Field::text("note", T::FieldNote, "").optional(),
        ]
    }
    fn validate(&self, f: &Form, lang: crate::tui::text::Lang) -> Option<String> {
        parse_local(f.tz, f.value("due"))
            .is_none()
            .then(|| T::BadDue.get(lang).to_string())
    }
    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let op = parse_local(f.tz, f.value("due")).map(|due| Op::OpenCase {
            rider: c.on.rider,
            kind: f.value("kind").to_string(),
            next_action: f.value("next").to_string(),
            due,
            note: f.value("note").to_string(),
        });
        Box::pin(async move {
            let op = op.ok_or_else(|| invalid("bad due time"))?;
            let out = c.b.execute(op).await?;
            let id = match out {
                crate::api::Outcome::Id(id) => id,
                _ => 0,
            };
            Ok(fill(c.t(T::DoneOpenCase), &[&id]).into())
        })
    }
}

pub struct UpdateCase;

impl Procedure for UpdateCase {
    fn title(&self) -> T {
        T::UpdateCaseTitle
    }
    fn facts(&self, cx: &Cx) -> Vec<String> {
        let Some(k) = case_of(cx) else {
            return Vec::new();
        };
        let mut lines = vec![case_line(cx, k)];
        for l in k.log.iter().rev().take(6) {
            lines.push(format!("  {} {} {}", minutes(cx, l.at), l.staff, l.text));
        }
        lines
    }
    fn fields(&self, cx: &Cx) -> Vec<Field> {
        let k = case_of(cx);
        let statuses = CaseStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), case_status(*s, cx.lang)))
            .collect();
        let at = k
            .and_then(|k| CaseStatus::ALL.iter().position(|s| *s == k.status))
            .unwrap_or(0);
        vec![
            Field::choice("status", T::FieldStatus, statuses, at),
            Field::text(
                "next",
                T::FieldNextAction,
                k.map(|k| k.next_action.clone()).unwrap_or_default(),
            )
            .required(),
            Field::text(
                "due",
                T::FieldDue,
                k.map(|k| minutes(cx, k.due)).unwrap_or_default(),
            )
            .required(),
            Field::text("note", T::FieldNote, "").optional(),
        ]
    }
    fn validate(&self, f: &Form, lang: crate::tui::text::Lang) -> Option<String> {
        parse_local(f.tz, f.value("due"))
            .is_none()
            .then(|| T::BadDue.get(lang).to_string())
    }
    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let op = Op::UpdateCase {
            case: c.on.item.unwrap_or(0),
            status: CaseStatus::parse(f.value("status")),
            next_action: Some(f.value("next").to_string()),
            due: parse_local(f.tz, f.value("due")),
            note: f.value("note").to_string(),
        };
        Box::pin(async move {
            let case = c.on.item.ok_or_else(|| invalid("no case"))?;
            c.b.execute(op).await?;
            Ok(fill(c.t(T::DoneUpdateCase), &[&case]).into())
        })
    }
}

pub struct AssignCase;

impl Procedure for AssignCase {
    fn title(&self) -> T {
        T::AssignCaseTitle
    }
    fn facts(&self, cx: &Cx) -> Vec<String> {
        case_of(cx)
            .map(|k| vec![case_line(cx, k)])
            .unwrap_or_default()
    }
    /// A pick of whom (the desk first, then every name the desk file lists), on the case's
    /// owner; a name to type only while the console has no list yet.
    fn fields(&self, cx: &Cx) -> Vec<Field> {
        let owner = case_of(cx)
            .and_then(|k| k.owner.clone())
            .unwrap_or_default();
        let names = cx
            .app
            .desk_file
            .as_ref()
            .map(|f| f.assignable.as_slice())
            .unwrap_or_default();
        if names.is_empty() {
            return vec![Field::text("owner", T::FieldOwner, owner).optional()];
        }
        let mut options = vec![(String::new(), cx.t(T::TheDesk).to_string())];
        options.extend(names.iter().map(|n| (n.clone(), n.clone())));
        let on = options.iter().position(|o| o.0 == owner).unwrap_or(0);
        vec![Field::choice("owner", T::FieldOwnerPick, options, on)]
    }
    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let owner = Some(f.value("owner").trim().to_string()).filter(|o| !o.is_empty());
        Box::pin(async move {
            let case = c.on.item.ok_or_else(|| invalid("no case"))?;
            let who = owner.clone().unwrap_or_else(|| c.t(T::TheDesk).to_string());
            c.b.execute(Op::AssignCase { case, owner }).await?;
            Ok(fill(c.t(T::DoneAssignCase), &[&case, &who]).into())
        })
    }
}
