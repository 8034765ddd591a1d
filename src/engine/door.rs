//! The engine's one door: [`Engine::execute`] runs any [`Op`] for an actor (a staff member,
//! or none: the rider, the docks, the system's owner in-process), checking the operation's
//! declared [`Permission`] first; [`Engine::preview`] runs the same request and undoes it,
//! so a form's preview is the engine's own answer, refusal included.

use super::{Engine, Result, refuse};
use crate::api::{Op, Outcome, Permission};
use crate::domain::Refusal;
use crate::domain::roles::StaffAction;

impl Engine {
    /// Run `op` as `actor` (`None`: the rider or a dock, or set-up in-process), in one
    /// transaction: refused before anything is written when `actor` may not do it.
    pub fn execute(&mut self, actor: Option<&str>, op: Op) -> Result<Outcome> {
        let staff = self.permitted(actor, op.permission())?;
        let setup = matches!(op.permission(), Permission::SetUp(_));
        match (setup, staff) {
            // A set-up by a staff member: audited in the unit of its effect.
            (true, Some(by)) => {
                let (word, target_of) = (setup_word(&op), op.clone());
                let audit = move |ctx: &super::Ctx<'_>,
                                  c: &rusqlite::Connection,
                                  out: &Outcome|
                      -> Result<()> {
                    let s = ctx.authorise(c, &by, setup_action(&target_of))?;
                    let target = setup_target(&target_of, out);
                    crate::store::audit::record(
                        c,
                        ctx.now,
                        &ctx.local(ctx.now),
                        &s.name,
                        s.role.as_str(),
                        word,
                        None,
                        &target,
                        "",
                        "",
                    )?;
                    Ok(())
                };
                let (out, ()) = self.atomically(move |e| e.run(actor, op), audit)?;
                Ok(out)
            }
            _ => self.run(actor, op),
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

    /// The staff member acting, when `permission` lets `actor` do it.
    fn permitted(&mut self, actor: Option<&str>, permission: Permission) -> Result<Option<String>> {
        let action = match (permission, actor) {
            (Permission::Station, _) => return Ok(actor.map(str::to_string)),
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
        let name = actor.unwrap_or_default().to_string();
        self.read(|ctx, c| ctx.authorise(c, &name, action).map(|_| ()))?;
        Ok(Some(name))
    }

    /// The step for `op`: the operation's own code (money.rs, rentals.rs, staff_ops.rs).
    fn run(&mut self, actor: Option<&str>, op: Op) -> Result<Outcome> {
        let by = actor.unwrap_or_default();
        Ok(match op {
            Op::Pay {
                rider,
                amount,
                method,
            } => Outcome::Entry(self.pay(rider, amount, method, actor)?),
            Op::Buy { rider, pass } => Outcome::Pass(self.buy(rider, &pass, actor)?),
            Op::HoldDeposit { rider, amount } => {
                Outcome::Entry(self.hold_deposit(rider, amount, actor)?)
            }
            Op::Unlock { rider, bike, pin } => {
                self.unlock(rider, bike, &pin)?;
                Outcome::Done
            }
            Op::Pull { bike } => Outcome::Rental(self.pull(bike)?),
            Op::Rent { rider, bike, pin } => Outcome::Rental(self.rent(rider, bike, &pin)?),
            Op::ReturnBike { bike, station, how } => {
                Outcome::Priced(self.return_bike(bike, station, how)?)
            }
            Op::CallCableLock { rider, station } => {
                self.call_cable_lock(rider, station)?;
                Outcome::Done
            }
            Op::CableLock { bike, station, pin } => {
                Outcome::Priced(Some(self.cable_lock(bike, station, &pin)?))
            }
            Op::AuthoriseCableLock { rider, station } => {
                self.authorise_cable_lock(rider, station, by)?;
                Outcome::Done
            }
            Op::ManualUnlock {
                rider,
                bike,
                reason,
            } => {
                self.manual_unlock(rider, bike, &reason, by)?;
                Outcome::Done
            }
            Op::EndRental {
                rider,
                station,
                at,
                reason,
            } => Outcome::Priced(Some(self.end_rental(rider, station, at, &reason, by)?)),
            Op::Fine {
                rider,
                kind,
                amount,
                rental,
                note,
            } => Outcome::Fine(self.fine(rider, kind, amount, rental, &note, by)?),
            Op::ApproveFine { rider } => Outcome::Fine(self.approve_fine(rider, by)?),
            Op::RejectFine { rider, reason } => {
                Outcome::Amount(self.reject_fine(rider, &reason, by)?)
            }
            Op::Refund { rider } => Outcome::Amount(self.refund(rider, by)?),
            Op::CreditClaim {
                rider,
                amount,
                reason,
            } => Outcome::Entry(self.credit_claim(rider, amount, &reason, by)?),
            Op::SettleDispute {
                rider,
                rental,
                station,
                at,
            } => self.settle_dispute(rider, rental, station, at, by)?,
            Op::GiveBonus {
                rider,
                amount,
                reason,
            } => Outcome::Entry(self.give_bonus(rider, amount, &reason, by)?),
            Op::Correct {
                rider,
                entry,
                amount,
                reason,
            } => Outcome::Entry(self.correct(rider, entry, amount, &reason, by)?),
            Op::Block { rider, reason } => {
                self.block(rider, &reason, by)?;
                Outcome::Done
            }
            Op::Unblock { rider, reason } => {
                self.unblock(rider, &reason, by)?;
                Outcome::Done
            }
            Op::SetRestriction {
                rider,
                reason,
                note,
            } => {
                self.set_restriction(rider, reason.as_deref(), &note, by)?;
                Outcome::Done
            }
            Op::ResetPin { rider, pin } => {
                self.reset_pin(rider, &pin, by)?;
                Outcome::Done
            }
            Op::BlockLostCard { rider } => {
                self.block_lost_card(rider, by)?;
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
            | Op::AckHandover { .. }) => self.run_desk(op, by)?,
            Op::TakeAlert {
                kind,
                rider,
                station,
            } => {
                self.take_alert(kind, rider, station, by)?;
                Outcome::Done
            }
            Op::ServiceRelease { bike } => {
                self.service_release(bike, by)?;
                Outcome::Done
            }
            Op::ServiceDock { bike, station } => {
                self.service_dock(bike, station, by)?;
                Outcome::Done
            }
            Op::VanStop { stop } => Outcome::VanStop(self.van_stop(&stop, by)?),
            Op::ToRepair { bike } => {
                self.to_repair(bike, by)?;
                Outcome::Done
            }
            Op::DockOutOfService { station, number } => {
                Outcome::Dock(self.dock_out_of_service(station, number, by)?)
            }
            Op::DockInService { station, number } => {
                Outcome::Dock(self.dock_in_service(station, number, by)?)
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

fn setup_action(op: &Op) -> StaffAction {
    match op.permission() {
        Permission::SetUp(a) | Permission::Staff(a) | Permission::RiderOr(a) => a,
        Permission::Station => StaffAction::SetUp,
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
