//! The engine's one door: [`Engine::execute`] runs any [`Op`] for an actor (a staff member,
//! or none: the rider, the docks, the system's owner in-process), checking the operation's
//! declared [`Permission`] first; [`Engine::preview`] runs the same request and undoes it,
//! so a form's preview is the engine's own answer, refusal included.

use super::ctx::Tell;
use super::{Engine, Result, refuse};
use crate::api::{Op, Outcome, Permission};
use crate::domain::Refusal;
use crate::store::people::Staff;

impl Engine {
    /// Run `op` as `actor` (`None`: the rider or a dock, or set-up in-process), in one
    /// transaction: refused before anything is written when `actor` may not do it.
    pub fn execute(&mut self, actor: Option<&str>, op: Op) -> Result<Outcome> {
        let staff = self.permitted(actor, op.permission())?;
        let setup = matches!(op.permission(), Permission::SetUp(_));
        match (setup, staff) {
            // A set-up by a staff member: audited in the unit of its effect.
            (true, Some(s)) => {
                let (word, target_of) = (setup_word(&op), op.clone());
                let audit = move |ctx: &super::Ctx<'_>,
                                  c: &rusqlite::Connection,
                                  out: &Outcome|
                      -> Result<()> {
                    let target = setup_target(&target_of, out);
                    ctx.audit_word(c, &s, word, None, &target, "", "")
                };
                let (out, ()) = self.atomically(move |e| e.run(None, op), audit)?;
                Ok(out)
            }
            (_, staff) => self.run(staff.as_ref(), op),
        }
    }

    /// What `op` would answer as `actor`, with nothing kept: it runs in a unit that is rolled
    /// back, its events and messages dropped, and what a refusal would still record (a wrong
    /// PIN) is not recorded. The season and the clock are not previewed.
    pub fn preview(&mut self, actor: Option<&str>, op: Op) -> Result<Outcome> {
        if matches!(op, Op::SetSeason { .. } | Op::AdvanceClock { .. }) {
            return refuse(
                Refusal::Invalid,
                format!("{} cannot be previewed", op.name()),
            );
        }
        let mark = self.events.len();
        let pending = self.aftermath.len();
        let grouped = self.store.begin_unit()?;
        self.units += 1;
        let out = self.execute(actor, op);
        self.units -= 1;
        let ended = self.store.end_unit(grouped, false);
        self.events.truncate(mark);
        self.aftermath.truncate(pending);
        ended?;
        out
    }

    /// The staff member acting, when `permission` lets `actor` do it: the one check of a
    /// role (`None`: the rider, a dock, or set-up in-process). The steps take what it found.
    fn permitted(&mut self, actor: Option<&str>, permission: Permission) -> Result<Option<Staff>> {
        let action = match (permission, actor) {
            (Permission::Station, _) => return Ok(None),
            (Permission::RiderOr(_) | Permission::SetUp(_), None) => return Ok(None),
            (Permission::Staff(a), None) => {
                return refuse(
                    Refusal::Forbidden,
                    format!(
                        "{} is a staff member's to do: no one is logged in",
                        a.as_str()
                    ),
                );
            }
            (Permission::Staff(a) | Permission::RiderOr(a) | Permission::SetUp(a), Some(_)) => a,
        };
        let name = actor.unwrap_or_default();
        self.read(|ctx, c| ctx.authorise(c, name, action)).map(Some)
    }

    /// The step for `op`: the operation's own code (money.rs, rentals.rs, returns.rs,
    /// staff_ops.rs, plan.rs), given the staff member [`Engine::permitted`] found.
    fn run(&mut self, staff: Option<&Staff>, op: Op) -> Result<Outcome> {
        let name = op.name();
        let who = || match staff {
            Some(s) => Ok(s),
            None => refuse(
                Refusal::Forbidden,
                format!("{name} is a staff member's to do: no one is logged in"),
            ),
        };
        let by = staff;
        Ok(match op {
            Op::Pay {
                rider,
                amount,
                method,
            } => Outcome::Entry(self.pay_by(by, rider, amount, method)?),
            Op::Buy { rider, pass } => Outcome::Pass(self.buy_by(by, rider, &pass)?),
            Op::HoldDeposit { rider, amount } => {
                Outcome::Entry(self.hold_deposit_by(by, rider, amount)?)
            }
            Op::Unlock { rider, bike, pin } => {
                self.unlock(rider, bike, &pin)?;
                Outcome::Done
            }
            Op::Pull { bike } => Outcome::Rental(self.pull(bike)?),
            Op::Rent { rider, bike, pin } => Outcome::Rental(self.rent(rider, bike, &pin)?),
            Op::ReturnBike {
                bike,
                station,
                dock,
                how,
            } => Outcome::Priced(self.return_bike(bike, station, dock, how)?),
            Op::CallCableLock { rider, station } => {
                self.call_cable_lock(rider, station)?;
                Outcome::Done
            }
            Op::CableLock { bike, station, pin } => {
                Outcome::Priced(Some(self.cable_lock(bike, station, &pin)?))
            }
            Op::AuthoriseCableLock { rider, station } => {
                self.authorise_cable_lock_by(who()?, rider, station)?;
                Outcome::Done
            }
            Op::ManualUnlock {
                rider,
                bike,
                reason,
            } => {
                self.manual_unlock_by(who()?, rider, bike, &reason)?;
                Outcome::Done
            }
            Op::EndRental {
                rider,
                station,
                at,
                reason,
            } => Outcome::Priced(Some(self.end_rental_by(
                who()?,
                rider,
                station,
                at,
                &reason,
                Tell::Rider,
            )?)),
            Op::Fine {
                rider,
                kind,
                amount,
                rental,
                note,
            } => Outcome::Fine(self.fine_by(who()?, rider, kind, amount, rental, &note)?),
            Op::ApproveFine { rider } => Outcome::Fine(self.approve_fine_by(who()?, rider)?),
            Op::RejectFine { rider, reason } => {
                Outcome::Amount(self.reject_fine_by(who()?, rider, &reason)?)
            }
            Op::Refund { rider } => Outcome::Amount(self.refund_by(who()?, rider)?),
            Op::CreditClaim {
                rider,
                amount,
                reason,
            } => {
                Outcome::Entry(self.credit_claim_by(who()?, rider, amount, &reason, Tell::Rider)?)
            }
            Op::SettleDispute {
                rider,
                rental,
                station,
                at,
            } => self.settle_dispute(rider, rental, station, at, who()?)?,
            Op::GiveBonus {
                rider,
                amount,
                reason,
            } => Outcome::Entry(self.give_bonus_by(who()?, rider, amount, &reason)?),
            Op::Correct {
                rider,
                entry,
                amount,
                reason,
            } => Outcome::Entry(self.correct_by(who()?, rider, entry, amount, &reason)?),
            Op::Block { rider, reason } => {
                self.block_by(who()?, rider, &reason)?;
                Outcome::Done
            }
            Op::Unblock { rider, reason } => {
                self.unblock_by(who()?, rider, &reason)?;
                Outcome::Done
            }
            Op::SetRestriction {
                rider,
                reason,
                note,
            } => {
                self.set_restriction_by(who()?, rider, reason.as_deref(), &note)?;
                Outcome::Done
            }
            Op::ResetPin { rider, pin } => {
                self.reset_pin_by(who()?, rider, &pin)?;
                Outcome::Done
            }
            Op::BlockLostCard { rider } => {
                self.block_lost_card_by(who()?, rider)?;
                Outcome::Done
            }
            op @ (Op::Note { .. }
            | Op::BikeNote { .. }
            | Op::StationNote { .. }
            | Op::PinNote { .. }
            | Op::OpenContact { .. }
            | Op::CloseContact { .. }
            | Op::IssueCard { .. }
            | Op::OpenCase { .. }
            | Op::UpdateCase { .. }
            | Op::AssignCase { .. }
            | Op::Handover { .. }
            | Op::AckHandover { .. }) => self.run_desk(op, who()?)?,
            Op::TakeAlert {
                kind,
                rider,
                station,
            } => {
                self.take_alert_by(who()?, kind, rider, station)?;
                Outcome::Done
            }
            Op::ServiceRelease { bike } => {
                self.service_release_by(who()?, bike)?;
                Outcome::Done
            }
            Op::ServiceDock { bike, station } => {
                self.service_dock_by(who()?, bike, station)?;
                Outcome::Done
            }
            Op::VanStop { stop } => Outcome::VanStop(self.van_stop_by(who()?, &stop)?),
            Op::ToRepair { bike } => {
                self.repair_by(who()?, bike)?;
                Outcome::Done
            }
            Op::DockOutOfService { station, number } => {
                Outcome::Dock(self.dock_out_of_service_by(who()?, station, number)?)
            }
            Op::DockInService { station, number } => {
                Outcome::Dock(self.dock_in_service_by(who()?, station, number)?)
            }
            Op::AddStation { station } => {
                self.add_station(&station)?;
                Outcome::Done
            }
            Op::AddBike { bike, station } => {
                self.add_bike(bike, station)?;
                Outcome::Done
            }
            Op::AddRider { rider } => Outcome::Rider(self.add_rider(&rider)?),
            Op::AddStaff { name, role } => {
                self.add_staff(&name, role, None)?;
                Outcome::Done
            }
            Op::SetSeason { from, to } => {
                self.set_season(from, to)?;
                Outcome::Done
            }
            Op::AdvanceClock { to } => Outcome::Posted(self.advance_to(to)?),
        })
    }
}

/// The audit log's word for a set-up.
fn setup_word(op: &Op) -> &'static str {
    match op {
        Op::AddStaff { .. } => "manage-staff",
        _ => op.name(),
    }
}

/// What a set-up was done to, in the audit log's words.
fn setup_target(op: &Op, out: &Outcome) -> String {
    match (op, out) {
        (Op::AddStation { station }, _) => format!("station {}", station.id),
        (Op::AddBike { bike, .. }, _) => format!("bike {bike}"),
        (Op::AddRider { .. }, Outcome::Rider(r)) => format!("rider {r}"),
        (Op::AddStaff { name, role }, _) => format!("add {name} as {role}"),
        (Op::SetSeason { from, to }, _) => format!("{from} to {to}"),
        (Op::AdvanceClock { to }, _) => to.to_rfc3339(),
        _ => op.name().to_string(),
    }
}
