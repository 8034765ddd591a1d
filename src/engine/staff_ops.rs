//! Staff operations on riders (docs/rules.md §5): notes, taking alerts, block/unblock, a
//! restriction by hand, PIN, lost card. The depot's moves are in `depot_ops.rs`, setting up
//! a system in `setup.rs`.

use super::{Engine, Event, Result, refuse};
use crate::domain::messages::Notice;
use crate::domain::roles::StaffAction;
use crate::domain::rules::RestrictionSource;
use crate::domain::{Refusal, RiderId, StationId};
use crate::store::fleet;
use crate::store::people;
use crate::store::people::Staff;

/// A rider's PIN has this many digits (the bike's keypad, R10; D29 counts its wrong tries).
pub const PIN_DIGITS: usize = 4;

impl Engine {
    /// "I am on it": the alert of `kind` about `rider` and `station`, taken by `by` (audited,
    /// shown with their name in every console's alert list). Refused when the alert is not
    /// there now, or someone else has it already.
    pub(super) fn take_alert_by(
        &mut self,
        s: &Staff,
        kind: crate::api::AlertKind,
        rider: Option<RiderId>,
        station: Option<StationId>,
    ) -> Result<()> {
        let current = self.alerts()?;
        let Some(alert) = current
            .iter()
            .find(|a| a.kind == kind && a.rider == rider && a.station == station)
        else {
            return refuse(
                Refusal::NotFound,
                format!("there is no {kind} alert to take (it may have ended)"),
            );
        };
        if let Some((who, _)) = &alert.taken
            && *who != s.name
        {
            return Err(super::EngineError::Conflict(format!(
                "{who} has taken this {kind} alert already"
            )));
        }
        self.write(|ctx, c| {
            let details = station.map(|s| s.to_string()).unwrap_or_default();
            ctx.audit(
                c,
                s,
                StaffAction::TakeAlert,
                rider,
                kind.as_str(),
                "",
                &details,
            )?;
            ctx.emit(Event::Alert {
                kind,
                text: format!("{} took the {kind} alert", s.name),
                rider,
                station,
            });
            Ok(())
        })
    }

    /// Block access (R24, D17), with a reason.
    pub(super) fn block_by(&mut self, s: &Staff, rider: RiderId, reason: &str) -> Result<()> {
        self.write(|ctx, c| {
            if reason.trim().is_empty() {
                return refuse(Refusal::Invalid, "blocking needs a reason");
            }
            ctx.rider(c, rider)?;
            people::set_blocked(c, rider, Some(reason))?;
            // D28: a pending unlock of the rider starts nothing now.
            fleet::cancel_unlocks(c, None, Some(rider), ctx.now, Refusal::Restricted)?;
            ctx.audit(c, s, StaffAction::Block, Some(rider), "", reason, "")?;
            ctx.notify(
                c,
                rider,
                Notice::Blocked {
                    reason: reason.to_string(),
                },
            )?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(())
        })
    }

    pub(super) fn unblock_by(&mut self, s: &Staff, rider: RiderId, reason: &str) -> Result<()> {
        self.write(|ctx, c| {
            let r = ctx.rider(c, rider)?;
            if r.blocked_reason.is_none() {
                return refuse(Refusal::Invalid, format!("rider {rider} is not blocked"));
            }
            people::set_blocked(c, rider, None)?;
            ctx.audit(
                c,
                s,
                StaffAction::Unblock,
                Some(rider),
                "",
                reason,
                &format!("was: {}", r.blocked_reason.unwrap_or_default()),
            )?;
            ctx.notify(c, rider, Notice::Unblocked)?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(())
        })
    }

    /// D12: a supervisor imposes (`Some(reason)`) or lifts (`None`) a restriction by hand.
    pub(super) fn set_restriction_by(
        &mut self,
        s: &Staff,
        rider: RiderId,
        reason: Option<&str>,
        note: &str,
    ) -> Result<()> {
        self.write(|ctx, c| {
            if note.trim().is_empty() {
                return refuse(
                    Refusal::Invalid,
                    "a restriction changed by hand needs a reason",
                );
            }
            ctx.rider(c, rider)?;
            let stored = reason.map(|r| format!("by {}: {r}", s.name));
            people::set_restricted(
                c,
                rider,
                stored.as_deref().map(|r| (RestrictionSource::Hand, r)),
            )?;
            if reason.is_some() {
                // D28: a pending unlock of the rider starts nothing now.
                fleet::cancel_unlocks(c, None, Some(rider), ctx.now, Refusal::Restricted)?;
            }
            ctx.audit(
                c,
                s,
                StaffAction::SetRestriction,
                Some(rider),
                if reason.is_some() { "impose" } else { "lift" },
                note,
                "",
            )?;
            ctx.notify(
                c,
                rider,
                match reason {
                    Some(_) => Notice::Restricted {
                        balance: crate::store::ledger::account(c, rider)?.balance,
                    },
                    None => Notice::RestrictionLifted,
                },
            )?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(())
        })
    }

    pub(super) fn reset_pin_by(&mut self, s: &Staff, rider: RiderId, new_pin: &str) -> Result<()> {
        self.write(|ctx, c| {
            if new_pin.len() != PIN_DIGITS || !new_pin.chars().all(|ch| ch.is_ascii_digit()) {
                return refuse(
                    Refusal::Invalid,
                    format!("a PIN is {PIN_DIGITS} digits, as the bike's keypad takes it (R10)"),
                );
            }
            let r = ctx.rider(c, rider)?;
            people::set_pin(c, rider, new_pin)?;
            // D29: a PIN reset clears the count of wrong ones.
            super::rentals::clear_wrong_pins(c, &r)?;
            ctx.audit(c, s, StaffAction::ResetPin, Some(rider), "", "", "")?;
            ctx.notify(c, rider, Notice::PinReset)?;
            Ok(())
        })
    }

    /// R24: a lost card is blocked; access continues by ID.
    pub(super) fn block_lost_card_by(&mut self, s: &Staff, rider: RiderId) -> Result<()> {
        self.write(|ctx, c| {
            let r = ctx.rider(c, rider)?;
            if r.card.is_none() {
                return refuse(Refusal::Invalid, format!("rider {rider} has no card"));
            }
            if r.card_blocked {
                return refuse(
                    Refusal::Invalid,
                    format!("rider {rider}'s card is blocked already"),
                );
            }
            people::set_card_blocked(c, rider)?;
            ctx.audit(
                c,
                s,
                StaffAction::BlockLostCard,
                Some(rider),
                r.card.as_deref().unwrap_or(""),
                "card lost",
                "",
            )?;
            ctx.notify(c, rider, Notice::CardBlocked)?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(())
        })
    }
}
