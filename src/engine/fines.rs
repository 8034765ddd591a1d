//! Fines (R7, R21–R24, D14, D16, D25): entered by staff (posted at once, or waiting for a
//! supervisor above the threshold), approved or rejected by someone else, and posted to the
//! ledger with the rider told.

use super::money::reason_given;
use super::posting::post_charge;
use super::{Engine, Event, Result, refuse, staff_actor};
use crate::api::FineOutcome;
use crate::domain::fine::{FineKind, FineStatus};
use crate::domain::ledger::{Actor, EntryKind};
use crate::domain::messages::Notice;
use crate::domain::roles::StaffAction;
use crate::domain::{EntryId, Refusal, RentalId, RiderId, Tenge};
use crate::store::ledger::NewEntry;
use crate::store::passes;
use crate::store::people::Staff;

impl Engine {
    /// Enter a fine (R7, R21–R24). Without an amount the tariff's fixed one applies; above
    /// the approval threshold it waits for a supervisor (D14); otherwise it posts now (R17).
    pub(super) fn fine_by(
        &mut self,
        s: &Staff,
        rider: RiderId,
        kind: FineKind,
        amount: Option<Tenge>,
        rental: Option<RentalId>,
        note: &str,
    ) -> Result<FineOutcome> {
        let threshold = self.settings.approval_threshold;
        self.write(|ctx, c| {
            ctx.rider(c, rider)?;
            let amount = match amount.or_else(|| ctx.tariff.fixed_fine(kind)) {
                Some(a) => a,
                None => {
                    return refuse(
                        Refusal::Invalid,
                        format!("a {kind} fine needs an amount: the tariff has no fixed one"),
                    );
                }
            };
            amount.bounded("a fine")?;
            let threshold = threshold.unwrap_or(ctx.tariff.fines.approval_threshold);
            let pending = amount > threshold;
            let fine = passes::insert_fine(
                c,
                rider,
                kind,
                amount,
                rental,
                note,
                &s.name,
                ctx.now,
                if pending {
                    FineStatus::Pending
                } else {
                    FineStatus::Posted
                },
            )?;
            ctx.audit(
                c,
                s,
                StaffAction::EnterFine,
                Some(rider),
                &format!("{kind} {amount}"),
                note,
                if pending {
                    "awaiting approval (D14)"
                } else {
                    "posted"
                },
            )?;
            if pending {
                ctx.emit(Event::Alert {
                    kind: crate::api::AlertKind::FineApproval,
                    text: format!(
                        "{kind} fine of {amount} for rider {rider} waits for a supervisor (D14)"
                    ),
                    rider: Some(rider),
                    station: None,
                });
                return Ok(FineOutcome::AwaitingApproval { fine, amount });
            }
            let actor = staff_actor(s);
            post_fine(ctx, c, rider, fine, kind, amount, &actor, note, None)?;
            Ok(FineOutcome::Posted { fine, amount })
        })
    }

    /// A supervisor approves the rider's oldest pending fine (D14); not their own.
    pub(super) fn approve_fine_by(&mut self, s: &Staff, rider: RiderId) -> Result<FineOutcome> {
        self.write(|ctx, c| {
            ctx.rider(c, rider)?;
            let Some(f) = passes::oldest_pending_fine(c, rider)? else {
                return refuse(
                    Refusal::NotFound,
                    format!("rider {rider} has no fine waiting for approval"),
                );
            };
            if f.entered_by == s.name {
                return refuse(
                    Refusal::Forbidden,
                    "a fine is approved by someone other than who entered it (D14)",
                );
            }
            ctx.audit(
                c,
                s,
                StaffAction::ApproveFine,
                Some(rider),
                &format!("{} {}", f.kind, f.amount),
                &f.note,
                &format!("fine {}", f.id),
            )?;
            let actor = staff_actor(s);
            post_fine(
                ctx,
                c,
                rider,
                f.id,
                f.kind,
                f.amount,
                &actor,
                &f.note,
                Some(&s.name),
            )?;
            Ok(FineOutcome::Posted {
                fine: f.id,
                amount: f.amount,
            })
        })
    }

    /// D14: a supervisor rejects the rider's oldest fine waiting for approval, with a
    /// reason; nothing is posted. Returns the fine's amount.
    pub(super) fn reject_fine_by(
        &mut self,
        s: &Staff,
        rider: RiderId,
        reason: &str,
    ) -> Result<Tenge> {
        self.write(|ctx, c| {
            reason_given(reason)?;
            ctx.rider(c, rider)?;
            let Some(f) = passes::oldest_pending_fine(c, rider)? else {
                return refuse(
                    Refusal::NotFound,
                    format!("rider {rider} has no fine waiting for approval"),
                );
            };
            passes::set_fine_rejected(c, f.id, &s.name, ctx.now)?;
            ctx.audit(
                c,
                s,
                StaffAction::ApproveFine,
                Some(rider),
                &format!("reject {} {}", f.kind, f.amount),
                reason,
                &format!("fine {}", f.id),
            )?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(f.amount)
        })
    }
}

/// Post a fine to the ledger (R17: when entered or approved), tell the rider.
#[allow(clippy::too_many_arguments)]
pub(super) fn post_fine(
    ctx: &super::Ctx<'_>,
    c: &rusqlite::Connection,
    rider: RiderId,
    fine: i64,
    kind: FineKind,
    amount: Tenge,
    actor: &Actor,
    note: &str,
    decided_by: Option<&str>,
) -> Result<EntryId> {
    let reason = if note.is_empty() {
        format!("{kind} fine")
    } else {
        format!("{kind} fine: {note}")
    };
    let mut e = NewEntry::new(rider, ctx.now, EntryKind::Fine, actor, &reason);
    e.fine = Some(fine);
    let id = post_charge(ctx, c, e, amount)?;
    passes::set_fine_posted(c, fine, id, decided_by, ctx.now)?;
    ctx.notify(c, rider, Notice::Fine { kind, amount })?;
    ctx.emit(Event::RiderChanged { rider });
    Ok(id)
}
