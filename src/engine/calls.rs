//! The engine's operations as methods that take the staff member's name (tests, benches,
//! the CLI, in-process set-up): each builds its [`Op`] and goes through the one door,
//! [`Engine::execute`], so the role is checked there and only there, with the same refusals
//! as `POST /ops`.

use super::{Engine, EngineError, Result};
use crate::api::{FineOutcome, Op, Outcome, PayMethod, VanStopDone, VanStopRequest};
use crate::domain::fine::FineKind;
use crate::domain::pricing::Quote;
use crate::domain::{BikeId, EntryId, RentalId, RiderId, StationId, Tenge};
use chrono::{DateTime, Utc};

/// The answer of `$op` run as `$by`, as the step's own type.
macro_rules! through_door {
    ($self:ident, $by:expr, $op:expr, $pat:pat => $v:expr) => {{
        let op = $op;
        let name = op.name();
        match $self.execute($by, op)? {
            $pat => Ok($v),
            other => Err(unexpected(name, other)),
        }
    }};
}

/// An answer of another kind than the operation's (the door's fault, never the caller's).
fn unexpected(op: &str, out: Outcome) -> EngineError {
    EngineError::Conflict(format!("{op} was answered {out:?}"))
}

impl Engine {
    /// Money arrives on the account: at the cash desk (by staff) or from card/bank (R19, R20).
    pub fn pay(
        &mut self,
        rider: RiderId,
        amount: Tenge,
        method: PayMethod,
        by: Option<&str>,
    ) -> Result<EntryId> {
        let op = Op::Pay {
            rider,
            amount,
            method,
        };
        through_door!(self, by, op, Outcome::Entry(e) => e)
    }

    /// Buy a pass (R2, R16, A3, D6): the fee is accrued and posts at the next midnight (R17).
    pub fn buy(
        &mut self,
        rider: RiderId,
        pass: &str,
        by: Option<&str>,
    ) -> Result<crate::api::Pass> {
        let op = Op::Buy {
            rider,
            pass: pass.to_string(),
        };
        through_door!(self, by, op, Outcome::Pass(p) => p)
    }

    /// A deposit is held on the rider's card (R5).
    pub fn hold_deposit(
        &mut self,
        rider: RiderId,
        amount: Tenge,
        by: Option<&str>,
    ) -> Result<EntryId> {
        through_door!(self, by, Op::HoldDeposit { rider, amount }, Outcome::Entry(e) => e)
    }

    /// An agent releases the bike for a rider whose own unlock failed, with a reason.
    pub fn manual_unlock(
        &mut self,
        rider: RiderId,
        bike: BikeId,
        reason: &str,
        by: &str,
    ) -> Result<()> {
        let op = Op::ManualUnlock {
            rider,
            bike,
            reason: reason.to_string(),
        };
        through_door!(self, Some(by), op, Outcome::Done => ())
    }

    /// R14: staff permit this rider's cable lock at this station.
    pub fn authorise_cable_lock(
        &mut self,
        rider: RiderId,
        station: StationId,
        by: &str,
    ) -> Result<()> {
        let op = Op::AuthoriseCableLock { rider, station };
        through_door!(self, Some(by), op, Outcome::Done => ())
    }

    /// End a stuck rental by hand at the real time, with a reason (docs/rules.md §5).
    pub fn end_rental(
        &mut self,
        rider: RiderId,
        station: StationId,
        at: DateTime<Utc>,
        reason: &str,
        by: &str,
    ) -> Result<Quote> {
        let op = Op::EndRental {
            rider,
            station,
            at,
            reason: reason.to_string(),
        };
        through_door!(self, Some(by), op, Outcome::Priced(Some(q)) => q)
    }

    /// Enter a fine (R7, R21–R24, D14).
    pub fn fine(
        &mut self,
        rider: RiderId,
        kind: FineKind,
        amount: Option<Tenge>,
        rental: Option<RentalId>,
        note: &str,
        by: &str,
    ) -> Result<FineOutcome> {
        let op = Op::Fine {
            rider,
            kind,
            amount,
            rental,
            note: note.to_string(),
        };
        through_door!(self, Some(by), op, Outcome::Fine(f) => f)
    }

    /// A supervisor approves the rider's oldest pending fine (D14); not their own.
    pub fn approve_fine(&mut self, rider: RiderId, by: &str) -> Result<FineOutcome> {
        through_door!(self, Some(by), Op::ApproveFine { rider }, Outcome::Fine(f) => f)
    }

    /// D14: a supervisor rejects the rider's oldest pending fine, with a reason.
    pub fn reject_fine(&mut self, rider: RiderId, reason: &str, by: &str) -> Result<Tenge> {
        let op = Op::RejectFine {
            rider,
            reason: reason.to_string(),
        };
        through_door!(self, Some(by), op, Outcome::Amount(a) => a)
    }

    /// End the contract (R25) and pay out what is left.
    pub fn refund(&mut self, rider: RiderId, by: &str) -> Result<Tenge> {
        through_door!(self, Some(by), Op::Refund { rider }, Outcome::Amount(a) => a)
    }

    /// Credit a recognised claim (R26).
    pub fn credit_claim(
        &mut self,
        rider: RiderId,
        amount: Tenge,
        reason: &str,
        by: &str,
    ) -> Result<EntryId> {
        let op = Op::CreditClaim {
            rider,
            amount,
            reason: reason.to_string(),
        };
        through_door!(self, Some(by), op, Outcome::Entry(e) => e)
    }

    /// Promotional credit to the bonus balance (R6, D11).
    pub fn give_bonus(
        &mut self,
        rider: RiderId,
        amount: Tenge,
        reason: &str,
        by: &str,
    ) -> Result<EntryId> {
        let op = Op::GiveBonus {
            rider,
            amount,
            reason: reason.to_string(),
        };
        through_door!(self, Some(by), op, Outcome::Entry(e) => e)
    }

    /// A correction of an earlier entry (D9).
    pub fn correct(
        &mut self,
        rider: RiderId,
        corrects: EntryId,
        amount: Tenge,
        reason: &str,
        by: &str,
    ) -> Result<EntryId> {
        let op = Op::Correct {
            rider,
            entry: corrects,
            amount,
            reason: reason.to_string(),
        };
        through_door!(self, Some(by), op, Outcome::Entry(e) => e)
    }

    /// Block access (R24, D17), with a reason.
    pub fn block(&mut self, rider: RiderId, reason: &str, by: &str) -> Result<()> {
        let op = Op::Block {
            rider,
            reason: reason.to_string(),
        };
        through_door!(self, Some(by), op, Outcome::Done => ())
    }

    /// Give a blocked rider access again, with a reason.
    pub fn unblock(&mut self, rider: RiderId, reason: &str, by: &str) -> Result<()> {
        let op = Op::Unblock {
            rider,
            reason: reason.to_string(),
        };
        through_door!(self, Some(by), op, Outcome::Done => ())
    }

    /// D12: a supervisor imposes (`Some(reason)`) or lifts (`None`) a restriction by hand.
    pub fn set_restriction(
        &mut self,
        rider: RiderId,
        reason: Option<&str>,
        note: &str,
        by: &str,
    ) -> Result<()> {
        let op = Op::SetRestriction {
            rider,
            reason: reason.map(str::to_string),
            note: note.to_string(),
        };
        through_door!(self, Some(by), op, Outcome::Done => ())
    }

    /// A new PIN for the rider (D29: clears the wrong tries).
    pub fn reset_pin(&mut self, rider: RiderId, new_pin: &str, by: &str) -> Result<()> {
        let op = Op::ResetPin {
            rider,
            pin: new_pin.to_string(),
        };
        through_door!(self, Some(by), op, Outcome::Done => ())
    }

    /// R24: the rider's card is blocked; they go on by ID.
    pub fn block_lost_card(&mut self, rider: RiderId, by: &str) -> Result<()> {
        through_door!(self, Some(by), Op::BlockLostCard { rider }, Outcome::Done => ())
    }

    /// "I am on it": the alert of `kind` about `rider` and `station`, taken by `by`.
    pub fn take_alert(
        &mut self,
        kind: crate::api::AlertKind,
        rider: Option<RiderId>,
        station: Option<StationId>,
        by: &str,
    ) -> Result<()> {
        let op = Op::TakeAlert {
            kind,
            rider,
            station,
        };
        through_door!(self, Some(by), op, Outcome::Done => ())
    }

    /// The depot takes a bike out of its dock for service (D28).
    pub fn service_release(&mut self, bike: BikeId, by: &str) -> Result<()> {
        through_door!(self, Some(by), Op::ServiceRelease { bike }, Outcome::Done => ())
    }

    /// The depot docks a bike from its van at `station`.
    pub fn service_dock(&mut self, bike: BikeId, station: StationId, by: &str) -> Result<()> {
        through_door!(self, Some(by), Op::ServiceDock { bike, station }, Outcome::Done => ())
    }

    /// A bike from the van goes to repair.
    pub fn to_repair(&mut self, bike: BikeId, by: &str) -> Result<()> {
        through_door!(self, Some(by), Op::ToRepair { bike }, Outcome::Done => ())
    }

    /// A dock taken out of service (`None`: the first free one); returns its number.
    pub fn dock_out_of_service(
        &mut self,
        station: StationId,
        number: Option<u32>,
        by: &str,
    ) -> Result<u32> {
        let op = Op::DockOutOfService { station, number };
        through_door!(self, Some(by), op, Outcome::Dock(n) => n)
    }

    /// A dock put back in service (`None`: the first one out); returns its number.
    pub fn dock_in_service(
        &mut self,
        station: StationId,
        number: Option<u32>,
        by: &str,
    ) -> Result<u32> {
        let op = Op::DockInService { station, number };
        through_door!(self, Some(by), op, Outcome::Dock(n) => n)
    }

    /// A van's stop: bikes to repair, into docks and into the van, all or nothing.
    pub fn van_stop(&mut self, req: &VanStopRequest, by: &str) -> Result<VanStopDone> {
        let op = Op::VanStop { stop: req.clone() };
        through_door!(self, Some(by), op, Outcome::VanStop(d) => d)
    }
}
