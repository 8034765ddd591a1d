//! The desk's case file, part two (issue 17): cases for what a call could not finish (kind,
//! owner, status, next action, log), the shift's handover and its taking over item by item,
//! and [`Engine::desk_file`], what one staff member's desk holds now.

use super::desk::{NOTE_MAX_CHARS, bounded_text, desk_catalogues};
use super::{Ctx, Engine, EngineError, Result, refuse};
use crate::api::Outcome;
use crate::api::{AuditFilter, Case, CaseLine, CaseStatus, DeskFile, Handover, HandoverKind, Op};
use crate::domain::roles::{StaffAction, allows};
use crate::domain::{Refusal, RiderId};
use crate::store::people::Staff;
use crate::store::{audit, cases as sc, desk as sd, people};
use chrono::{DateTime, Utc};
use rusqlite::Connection;

/// The audit words of the case file's own records (not counted as a case's actions).
const OWN_WORDS: [&str; 6] = [
    "open-contact",
    "close-contact",
    "open-case",
    "update-case",
    "assign-case",
    "ack-handover",
];

/// The case, or a refusal saying there is none.
fn case_of(c: &Connection, id: i64) -> Result<Case> {
    match sc::case(c, id)? {
        Some(k) => Ok(k),
        None => refuse(Refusal::NotFound, format!("no case {id}")),
    }
}

/// Whether `s` may work on case `k`: their own, the desk's, or anyone's for a supervisor.
fn may_work(s: &people::Staff, k: &Case) -> Result<()> {
    match &k.owner {
        Some(owner) if owner != &s.name && !allows(s.role, StaffAction::AssignCase) => refuse(
            Refusal::Forbidden,
            format!(
                "case {} is {owner}'s: a supervisor may give it to you",
                k.id
            ),
        ),
        _ => Ok(()),
    }
}

/// A case's log: its own lines, and since it opened the contacts, messages and actions on
/// its rider, oldest first.
fn case_log(c: &Connection, k: &Case) -> Result<Vec<CaseLine>> {
    let mut log = sc::case_log(c, k.id)?;
    if let Some(rider) = k.rider {
        let cat = desk_catalogues()?;
        for x in sd::contacts_of(c, rider, 50)? {
            if x.opened_at < k.opened_at && x.closed_at.is_none_or(|t| t < k.opened_at) {
                continue;
            }
            let mut text = cat.reasons.words(&x.reason, "en").to_string();
            if let Some(o) = &x.outcome {
                text.push_str(&format!(" → {}", cat.outcomes.words(o, "en")));
            }
            if !x.note.is_empty() {
                text.push_str(&format!(": {}", x.note));
            }
            log.push(CaseLine {
                at: x.opened_at,
                kind: "contact".into(),
                staff: x.staff,
                text,
            });
        }
        for m in audit::messages(c, rider, 100)? {
            if m.at >= k.opened_at {
                log.push(CaseLine {
                    at: m.at,
                    kind: "message".into(),
                    staff: String::new(),
                    text: m.text,
                });
            }
        }
        let filter = AuditFilter {
            rider: Some(rider),
            limit: 200,
            ..AuditFilter::default()
        };
        for a in audit::list(c, &filter)? {
            if a.at >= k.opened_at && !OWN_WORDS.contains(&a.action.as_str()) {
                let mut text = a.action.clone();
                for part in [&a.target, &a.reason] {
                    if !part.is_empty() {
                        text.push_str(&format!(" · {part}"));
                    }
                }
                log.push(CaseLine {
                    at: a.at,
                    kind: "action".into(),
                    staff: a.staff,
                    text,
                });
            }
        }
    }
    log.sort_by_key(|l| l.at);
    Ok(log)
}

/// Cases as a desk lists them: overdue first, then by the time they are due.
fn listed(ctx: &Ctx<'_>, c: &Connection, mut cases: Vec<Case>) -> Result<Vec<Case>> {
    for k in &mut cases {
        k.overdue = k.due <= ctx.now;
        k.log = case_log(c, k)?;
    }
    cases.sort_by_key(|k| (!k.overdue, k.due, k.id));
    Ok(cases)
}

/// Whether a staff member works cases: an enabled account of a role at the desk.
fn works_cases(s: &Staff) -> bool {
    !s.disabled && allows(s.role, StaffAction::WorkCase)
}

impl Engine {
    /// A case opened by `by`, who owns it; it names their open contact with the rider.
    pub fn open_case(
        &mut self,
        rider: Option<RiderId>,
        kind: &str,
        next_action: &str,
        due: DateTime<Utc>,
        note: &str,
        s: &Staff,
    ) -> Result<i64> {
        if let Err(e) = desk_catalogues()?.reasons.check(kind) {
            return refuse(Refusal::Invalid, e.replace("contact reason", "case kind"));
        }
        let next = bounded_text("a case's next action", next_action, 500)?.to_string();
        if note.chars().count() > NOTE_MAX_CHARS {
            return refuse(
                Refusal::Invalid,
                format!("a case's note is at most {NOTE_MAX_CHARS} characters"),
            );
        }
        self.write(|ctx, c| {
            if due < ctx.now {
                return refuse(
                    Refusal::Invalid,
                    format!(
                        "the next action cannot be due at {}, before now ({})",
                        ctx.local(due),
                        ctx.local(ctx.now)
                    ),
                );
            }
            let contact = match rider {
                Some(r) => {
                    ctx.rider(c, r)?;
                    sd::open_contact_of(c, &s.name, r)?.map(|k| k.id)
                }
                None => None,
            };
            let id = sc::insert_case(
                c,
                kind,
                rider,
                Some(&s.name),
                &next,
                due,
                &s.name,
                ctx.now,
                contact,
            )?;
            let mut line = format!("opened: next {next}, due {}", ctx.local(due));
            if !note.trim().is_empty() {
                line.push_str(&format!(" — {}", note.trim()));
            }
            sc::add_case_log(c, id, ctx.now, &s.name, &line)?;
            ctx.audit_word(c, s, "open-case", rider, &format!("case {id}"), kind, &next)?;
            Ok(id)
        })
    }

    /// A case moved on by its owner (or on the desk's case by anyone at the desk, or by a
    /// supervisor): a status, a next action, a due time, a note in its log.
    pub fn update_case(
        &mut self,
        case: i64,
        status: Option<CaseStatus>,
        next_action: Option<&str>,
        due: Option<DateTime<Utc>>,
        note: &str,
        s: &Staff,
    ) -> Result<()> {
        let next = match next_action {
            Some(n) => Some(bounded_text("a case's next action", n, 500)?.to_string()),
            None => None,
        };
        if note.chars().count() > NOTE_MAX_CHARS {
            return refuse(
                Refusal::Invalid,
                format!("a case's note is at most {NOTE_MAX_CHARS} characters"),
            );
        }
        self.write(|ctx, c| {
            let k = case_of(c, case)?;
            may_work(s, &k)?;
            if k.status == CaseStatus::Closed {
                return refuse(Refusal::Invalid, format!("case {case} is closed"));
            }
            let mut said = Vec::new();
            if let Some(st) = status.filter(|st| *st != k.status) {
                said.push(format!("status {}", st.as_str()));
            }
            if let Some(n) = next.as_ref().filter(|n| **n != k.next_action) {
                said.push(format!("next {n}"));
            }
            if let Some(d) = due.filter(|d| *d != k.due) {
                said.push(format!("due {}", ctx.local(d)));
            }
            if !note.trim().is_empty() {
                said.push(note.trim().to_string());
            }
            if said.is_empty() {
                return refuse(
                    Refusal::Invalid,
                    format!("nothing to change in case {case}: give a status, a next action, a due time or a note"),
                );
            }
            sc::update_case(
                c,
                case,
                status.unwrap_or(k.status),
                next.as_deref().unwrap_or(&k.next_action),
                due.unwrap_or(k.due),
                ctx.now,
            )?;
            let line = said.join("; ");
            sc::add_case_log(c, case, ctx.now, &s.name, &line)?;
            ctx.audit_word(c, s, "update-case", k.rider, &format!("case {case}"), &line, "")?;
            Ok(())
        })
    }

    /// A case given to `owner` (a staff member of the desk), or back to the desk (`None`).
    pub fn assign_case(&mut self, case: i64, owner: Option<&str>, s: &Staff) -> Result<()> {
        self.write(|ctx, c| {
            let k = case_of(c, case)?;
            if let Some(o) = owner {
                match people::staff(c, o)? {
                    Some(x) if works_cases(&x) => {}
                    Some(_) => {
                        return refuse(
                            Refusal::Invalid,
                            format!(
                                "{o} does not work cases (a disabled account, or not at the desk)"
                            ),
                        );
                    }
                    None => return refuse(Refusal::NotFound, format!("no staff member {o:?}")),
                }
            }
            sc::set_owner(c, case, owner)?;
            let line = match owner {
                Some(o) => format!("given to {o}"),
                None => "given back to the desk".to_string(),
            };
            sc::add_case_log(c, case, ctx.now, &s.name, &line)?;
            ctx.audit_word(
                c,
                s,
                "assign-case",
                k.rider,
                &format!("case {case}"),
                &line,
                "",
            )?;
            Ok(())
        })
    }

    /// The shift handed over by `by`: their open cases with the next actions, the cable-lock
    /// permissions they gave and that were not used, the fines they entered that wait for
    /// approval, the alerts they took that are still there, and the free note. Refused when
    /// there is nothing to hand over.
    pub fn handover(&mut self, note: &str, s: &Staff) -> Result<Handover> {
        if note.chars().count() > NOTE_MAX_CHARS {
            return refuse(
                Refusal::Invalid,
                format!("a handover's note is at most {NOTE_MAX_CHARS} characters"),
            );
        }
        let taken: Vec<_> = self
            .alerts()?
            .into_iter()
            .filter(|a| a.taken.as_ref().is_some_and(|(who, _)| *who == s.name))
            .collect();
        self.write(move |ctx, c| {
            let mut items: Vec<(HandoverKind, Option<RiderId>, Option<i64>, String)> = Vec::new();
            for k in sc::cases_owned(c, &s.name)? {
                let rider = k.rider.map(|r| format!(" · rider {r}")).unwrap_or_default();
                items.push((
                    HandoverKind::Case,
                    k.rider,
                    Some(k.id),
                    format!(
                        "case {} · {}{rider} · next: {} · due {}",
                        k.id,
                        k.kind,
                        k.next_action,
                        ctx.local(k.due)
                    ),
                ));
            }
            for (rider, station, until) in sc::unused_cable_auths(c, &s.name, ctx.now)? {
                items.push((
                    HandoverKind::CableLock,
                    Some(rider),
                    None,
                    format!(
                        "cable lock allowed, not used · rider {rider} at station {station} · valid until {}",
                        ctx.local(until)
                    ),
                ));
            }
            for (rider, kind, amount) in sc::fines_waiting(c, &s.name)? {
                items.push((
                    HandoverKind::Fine,
                    Some(rider),
                    None,
                    format!("fine waiting for approval · rider {rider} · {kind} {amount}"),
                ));
            }
            for a in &taken {
                items.push((
                    HandoverKind::Alert,
                    a.rider,
                    None,
                    format!("alert taken, not resolved · {} · {}", a.kind, a.text),
                ));
            }
            if !note.trim().is_empty() {
                items.push((HandoverKind::Note, None, None, note.trim().to_string()));
            }
            if items.is_empty() {
                return refuse(
                    Refusal::Invalid,
                    "nothing to hand over: no open case, unused cable-lock permission, fine waiting or alert taken, and no note",
                );
            }
            let id = sc::insert_handover(c, &s.name, ctx.now)?;
            for (kind, rider, case, text) in &items {
                sc::insert_item(c, id, *kind, *rider, *case, text)?;
            }
            ctx.audit_word(c, s,
                "handover",
                None,
                &format!("handover {id}"),
                note.trim(),
                &format!("{} items", items.len()),
            )?;
            match sc::handover(c, id)? {
                Some(h) => Ok(h),
                None => Err(EngineError::Conflict(format!("handover {id} vanished"))),
            }
        })
    }

    /// One item of another's handover taken over by `by`; a case's item gives them the case.
    pub fn ack_handover(&mut self, item: i64, s: &Staff) -> Result<()> {
        // An alert item: the alerts the handing staff member had taken about its rider are
        // taken by whoever takes the item over ("I am on it" moves with the shift).
        let alerts = self.alerts()?;
        self.write(|ctx, c| {
            let Some(it) = sc::item_ref(c, item)? else {
                return refuse(Refusal::NotFound, format!("no handover item {item}"));
            };
            if it.handover_staff == s.name {
                return refuse(
                    Refusal::Invalid,
                    "your own handover is for the next person at the desk",
                );
            }
            if let Some(who) = it.acked_by {
                return Err(EngineError::Conflict(format!(
                    "{who} has taken over handover item {item} already"
                )));
            }
            sc::ack_item(c, item, &s.name, ctx.now)?;
            if let Some(case) = it.case
                && sc::case(c, case)?.is_some_and(|k| k.status != CaseStatus::Closed)
            {
                sc::set_owner(c, case, Some(&s.name))?;
                let line = format!("taken over from {} at the handover", it.handover_staff);
                sc::add_case_log(c, case, ctx.now, &s.name, &line)?;
            }
            if it.alert {
                let theirs = alerts.iter().filter(|a| {
                    a.rider == it.rider
                        && a.taken
                            .as_ref()
                            .is_some_and(|(w, _)| *w == it.handover_staff)
                });
                for a in theirs {
                    let station = a.station.map(|s| s.to_string()).unwrap_or_default();
                    let (why, kind) = ("taken over at the handover", a.kind.as_str());
                    ctx.audit(c, s, StaffAction::TakeAlert, a.rider, kind, why, &station)?;
                    ctx.emit(crate::api::Event::Alert {
                        kind: a.kind,
                        text: format!("{} took the {} alert", s.name, a.kind),
                        rider: a.rider,
                        station: a.station,
                    });
                }
            }
            ctx.audit_word(
                c,
                s,
                "ack-handover",
                it.rider,
                &format!("item {item} of {}", it.handover_staff),
                &it.text,
                "",
            )?;
            Ok(())
        })
    }

    /// What `staff`'s desk holds now: the cases they see (a supervisor: every open one),
    /// overdue first, and the handovers of others with items nobody took over yet.
    pub fn desk_file(&mut self, staff: &str) -> Result<DeskFile> {
        self.read(|ctx, c| {
            let Some(s) = people::staff(c, staff)? else {
                return refuse(Refusal::Forbidden, format!("no staff member {staff:?}"));
            };
            if !works_cases(&s) {
                return refuse(
                    Refusal::Forbidden,
                    format!("a {} has no desk file (cases and handovers)", s.role),
                );
            }
            let all = allows(s.role, StaffAction::AssignCase);
            let cases = sc::open_cases(c, if all { None } else { Some(&s.name) })?;
            let assignable = if all {
                let mut names: Vec<String> = people::all_staff(c)?
                    .into_iter()
                    .filter(works_cases)
                    .map(|x| x.name)
                    .collect();
                names.sort();
                names
            } else {
                Vec::new()
            };
            Ok(DeskFile {
                cases: listed(ctx, c, cases)?,
                handovers: sc::open_handovers(c, &s.name)?,
                assignable,
            })
        })
    }

    /// The rider's cases, newest first, with their logs (the rider view).
    pub(super) fn rider_cases(ctx: &Ctx<'_>, c: &Connection, rider: RiderId) -> Result<Vec<Case>> {
        let mut cases = sc::cases_of_rider(c, rider)?;
        for k in &mut cases {
            k.overdue = k.status != CaseStatus::Closed && k.due <= ctx.now;
        }
        Ok(cases)
    }

    /// The door's step for cases and handovers.
    pub(super) fn run_cases(&mut self, op: Op, s: &Staff) -> Result<Outcome> {
        Ok(match op {
            Op::OpenCase {
                rider,
                kind,
                next_action,
                due,
                note,
            } => Outcome::Id(self.open_case(rider, &kind, &next_action, due, &note, s)?),
            Op::UpdateCase {
                case,
                status,
                next_action,
                due,
                note,
            } => {
                self.update_case(case, status, next_action.as_deref(), due, &note, s)?;
                Outcome::Done
            }
            Op::AssignCase { case, owner } => {
                self.assign_case(case, owner.as_deref(), s)?;
                Outcome::Done
            }
            Op::Handover { note } => Outcome::Handover(self.handover(&note, s)?),
            Op::AckHandover { item } => {
                self.ack_handover(item, s)?;
                Outcome::Done
            }
            other => {
                return refuse(
                    Refusal::Invalid,
                    format!("{} is not an operation of the desk's file", other.name()),
                );
            }
        })
    }
}
