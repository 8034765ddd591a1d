//! Typed helpers over [`Backend::execute`]: each builds its [`Op`] and reads its
//! [`Outcome`]. A new operation needs none (`backend.execute(Op::…)` does); they are here
//! for the callers that write many operations (the scenario runner, the simulator, tests).

use super::*;

/// An answer of another kind than the operation's (a backend's fault).
pub(super) fn unexpected<T>(op: &str, out: Outcome) -> BResult<T> {
    Err(BackendError::Internal {
        message: format!("{op} was answered {out:?}"),
    })
}

macro_rules! answer {
    ($out:expr, $op:literal, $pat:pat => $v:expr) => {
        match $out {
            $pat => Ok($v),
            other => unexpected($op, other),
        }
    };
}

/// The operations as methods, for every [`Backend`].
#[async_trait]
pub trait Ops: Backend {
    /// [`Op::Pay`]: money arrives on the account (R19, R20): at the desk, or from card or bank.
    async fn pay(&self, rider: RiderId, amount: Tenge, method: PayMethod) -> BResult<EntryId> {
        let out = self
            .execute(Op::Pay {
                rider,
                amount,
                method,
            })
            .await?;
        answer!(out, "pay", Outcome::Entry(e) => e)
    }
    /// [`Op::Buy`]: a pass sold (R16, D15, D18, D22, D23).
    async fn buy(&self, rider: RiderId, pass: &str) -> BResult<Pass> {
        let pass = pass.to_string();
        let out = self.execute(Op::Buy { rider, pass }).await?;
        answer!(out, "buy", Outcome::Pass(p) => p)
    }
    /// [`Op::HoldDeposit`]: a deposit held (R5, D16).
    async fn hold_deposit(&self, rider: RiderId, amount: Tenge) -> BResult<EntryId> {
        let out = self.execute(Op::HoldDeposit { rider, amount }).await?;
        answer!(out, "hold-deposit", Outcome::Entry(e) => e)
    }
    /// [`Op::Unlock`]: a rider unlocks a bike with ID and PIN (R9, R10, D29).
    async fn unlock(&self, rider: RiderId, bike: BikeId, pin: &str) -> BResult<()> {
        let pin = pin.to_string();
        done(self.execute(Op::Unlock { rider, bike, pin }).await?)
    }
    /// [`Op::Pull`]: the unlocked bike left its dock: the rental starts (R11).
    async fn pull(&self, bike: BikeId) -> BResult<RentalId> {
        let out = self.execute(Op::Pull { bike }).await?;
        answer!(out, "pull", Outcome::Rental(r) => r)
    }
    /// [`Op::Rent`]: unlock and pull at once (scenarios, the simulator).
    async fn rent(&self, rider: RiderId, bike: BikeId, pin: &str) -> BResult<RentalId> {
        let pin = pin.to_string();
        let out = self.execute(Op::Rent { rider, bike, pin }).await?;
        answer!(out, "rent", Outcome::Rental(r) => r)
    }
    /// [`Op::ReturnBike`]: a bike pushed into a dock, with what the dock reports (R12, R13).
    async fn return_bike(
        &self,
        bike: BikeId,
        station: StationId,
        how: DockOutcome,
    ) -> BResult<Option<Quote>> {
        let out = self
            .execute(Op::ReturnBike {
                bike,
                station,
                dock: None,
                how,
            })
            .await?;
        answer!(out, "return-bike", Outcome::Priced(q) => q)
    }
    /// [`Op::CallCableLock`]: the rider calls for a cable lock at a full station (R14).
    async fn call_cable_lock(&self, rider: RiderId, station: StationId) -> BResult<()> {
        done(self.execute(Op::CallCableLock { rider, station }).await?)
    }
    /// [`Op::CableLock`]: the bike locked with its cable, with the permission and the PIN (R14).
    async fn cable_lock(&self, bike: BikeId, station: StationId, pin: &str) -> BResult<Quote> {
        let pin = pin.to_string();
        let out = self.execute(Op::CableLock { bike, station, pin }).await?;
        answer!(out, "cable-lock", Outcome::Priced(Some(q)) => q)
    }
    /// [`Op::AuthoriseCableLock`]: an operator's permission to cable-lock at a full station (R14).
    async fn authorise_cable_lock(&self, rider: RiderId, station: StationId) -> BResult<()> {
        done(
            self.execute(Op::AuthoriseCableLock { rider, station })
                .await?,
        )
    }
    /// [`Op::ManualUnlock`]: a bike released for a rider whose own unlock failed (no PIN; a reason).
    async fn manual_unlock(&self, rider: RiderId, bike: BikeId, reason: &str) -> BResult<()> {
        let reason = reason.to_string();
        done(
            self.execute(Op::ManualUnlock {
                rider,
                bike,
                reason,
            })
            .await?,
        )
    }
    /// [`Op::EndRental`]: a stuck rental ended by hand at a station and time (R15, D3).
    async fn end_rental(
        &self,
        rider: RiderId,
        station: StationId,
        at: DateTime<Utc>,
        reason: &str,
    ) -> BResult<Quote> {
        let reason = reason.to_string();
        let op = Op::EndRental {
            rider,
            station,
            at,
            reason,
        };
        let out = self.execute(op).await?;
        answer!(out, "end-rental", Outcome::Priced(Some(q)) => q)
    }
    /// [`Op::Fine`]: a fine entered (R21–R24; above the threshold it waits for a supervisor, D14).
    async fn fine(
        &self,
        rider: RiderId,
        kind: FineKind,
        amount: Option<Tenge>,
        rental: Option<RentalId>,
        note: &str,
    ) -> BResult<FineOutcome> {
        let note = note.to_string();
        let op = Op::Fine {
            rider,
            kind,
            amount,
            rental,
            note,
        };
        let out = self.execute(op).await?;
        answer!(out, "fine", Outcome::Fine(f) => f)
    }
    /// [`Op::ApproveFine`]: the rider's fine waiting for approval, approved (D14).
    async fn approve_fine(&self, rider: RiderId) -> BResult<FineOutcome> {
        let out = self.execute(Op::ApproveFine { rider }).await?;
        answer!(out, "approve-fine", Outcome::Fine(f) => f)
    }
    /// D14: the rider's oldest fine waiting for approval, rejected; its amount.
    async fn reject_fine(&self, rider: RiderId, reason: &str) -> BResult<Tenge> {
        let reason = reason.to_string();
        let out = self.execute(Op::RejectFine { rider, reason }).await?;
        answer!(out, "reject-fine", Outcome::Amount(t) => t)
    }
    /// [`Op::Refund`]: the rider's unused balance paid back (R25).
    async fn refund(&self, rider: RiderId) -> BResult<Tenge> {
        let out = self.execute(Op::Refund { rider }).await?;
        answer!(out, "refund", Outcome::Amount(t) => t)
    }
    /// [`Op::CreditClaim`]: a claim credited to the account (R26).
    async fn credit_claim(&self, rider: RiderId, amount: Tenge, reason: &str) -> BResult<EntryId> {
        let reason = reason.to_string();
        let out = self
            .execute(Op::CreditClaim {
                rider,
                amount,
                reason,
            })
            .await?;
        answer!(out, "credit-claim", Outcome::Entry(e) => e)
    }
    /// [`Op::GiveBonus`]: a bonus given (D10).
    async fn give_bonus(&self, rider: RiderId, amount: Tenge, reason: &str) -> BResult<EntryId> {
        let reason = reason.to_string();
        let out = self
            .execute(Op::GiveBonus {
                rider,
                amount,
                reason,
            })
            .await?;
        answer!(out, "give-bonus", Outcome::Entry(e) => e)
    }
    /// [`Op::Correct`]: a ledger entry corrected by a new one (D9).
    async fn correct(
        &self,
        rider: RiderId,
        entry: EntryId,
        amount: Tenge,
        reason: &str,
    ) -> BResult<EntryId> {
        let reason = reason.to_string();
        let op = Op::Correct {
            rider,
            entry,
            amount,
            reason,
        };
        let out = self.execute(op).await?;
        answer!(out, "correct", Outcome::Entry(e) => e)
    }
    /// [`Op::Block`]: the rider blocked, with the reason they are told (R27).
    async fn block(&self, rider: RiderId, reason: &str) -> BResult<()> {
        let reason = reason.to_string();
        done(self.execute(Op::Block { rider, reason }).await?)
    }
    /// [`Op::Unblock`]: the rider's block lifted.
    async fn unblock(&self, rider: RiderId, reason: &str) -> BResult<()> {
        let reason = reason.to_string();
        done(self.execute(Op::Unblock { rider, reason }).await?)
    }
    /// [`Op::SetRestriction`]: a restriction imposed by hand (`reason`) or lifted (`None`) (D12).
    async fn set_restriction(
        &self,
        rider: RiderId,
        reason: Option<&str>,
        note: &str,
    ) -> BResult<()> {
        let (reason, note) = (reason.map(str::to_string), note.to_string());
        done(
            self.execute(Op::SetRestriction {
                rider,
                reason,
                note,
            })
            .await?,
        )
    }
    /// [`Op::ResetPin`]: a new 4-digit PIN (D29 clears the failed tries).
    async fn reset_pin(&self, rider: RiderId, pin: &str) -> BResult<()> {
        let pin = pin.to_string();
        done(self.execute(Op::ResetPin { rider, pin }).await?)
    }
    /// [`Op::BlockLostCard`]: the rider's lost card blocked (R24).
    async fn block_lost_card(&self, rider: RiderId) -> BResult<()> {
        done(self.execute(Op::BlockLostCard { rider }).await?)
    }
    /// [`Op::Note`]: a note on a rider, shown in the rider view; the note's id.
    async fn note(&self, rider: RiderId, text: &str) -> BResult<i64> {
        let text = text.to_string();
        let out = self
            .execute(Op::Note {
                rider,
                text,
                pinned: false,
            })
            .await?;
        answer!(out, "note", Outcome::Id(id) => id)
    }
    /// [`Op::ServiceRelease`]: the depot takes a docked bike into the van.
    async fn service_release(&self, bike: BikeId) -> BResult<()> {
        done(self.execute(Op::ServiceRelease { bike }).await?)
    }
    /// [`Op::ServiceDock`]: the depot docks a bike from the van or repair.
    async fn service_dock(&self, bike: BikeId, station: StationId) -> BResult<()> {
        done(self.execute(Op::ServiceDock { bike, station }).await?)
    }
    /// [`Op::VanStop`]: a van's stop of the depot's plan: repair, leave and take in one go (all or nothing).
    async fn van_stop(
        &self,
        stop: &crate::api::VanStopRequest,
    ) -> BResult<crate::api::VanStopDone> {
        let out = self.execute(Op::VanStop { stop: stop.clone() }).await?;
        answer!(out, "van-stop", Outcome::VanStop(d) => d)
    }
    /// [`Op::ToRepair`]: a bike sent to repair.
    async fn to_repair(&self, bike: BikeId) -> BResult<()> {
        done(self.execute(Op::ToRepair { bike }).await?)
    }
    /// [`Op::DockOutOfService`]: a station's free dock taken out of service (`number`, or any free working one).
    async fn dock_out_of_service(&self, station: StationId, number: Option<u32>) -> BResult<u32> {
        let out = self
            .execute(Op::DockOutOfService { station, number })
            .await?;
        answer!(out, "dock-out-of-service", Outcome::Dock(n) => n)
    }
    /// [`Op::DockInService`]: a dock back in service (`number`, or the first out of service).
    async fn dock_in_service(&self, station: StationId, number: Option<u32>) -> BResult<u32> {
        let out = self.execute(Op::DockInService { station, number }).await?;
        answer!(out, "dock-in-service", Outcome::Dock(n) => n)
    }
    /// [`Op::AddStation`]: a station created or updated (set-up).
    async fn add_station(&self, station: NewStation) -> BResult<()> {
        done(self.execute(Op::AddStation { station }).await?)
    }
    /// [`Op::AddBike`]: a bike added, docked at `station` or in the depot (set-up).
    async fn add_bike(&self, bike: BikeId, station: Option<StationId>) -> BResult<()> {
        done(self.execute(Op::AddBike { bike, station }).await?)
    }
    /// [`Op::AddRider`]: a rider registered (set-up).
    async fn add_rider(&self, rider: NewRider) -> BResult<RiderId> {
        let out = self.execute(Op::AddRider { rider }).await?;
        answer!(out, "add-rider", Outcome::Rider(r) => r)
    }
    /// [`Op::AddStaff`]: a staff account added or its role changed (set-up).
    async fn add_staff(&self, name: &str, role: Role) -> BResult<()> {
        let name = name.to_string();
        done(self.execute(Op::AddStaff { name, role }).await?)
    }
    /// [`Op::SetSeason`]: the operator's season (R8, D21), local dates inclusive.
    async fn set_season(&self, from: chrono::NaiveDate, to: chrono::NaiveDate) -> BResult<()> {
        done(self.execute(Op::SetSeason { from, to }).await?)
    }
    /// Move a simulated clock (refused `invalid` on the system clock).
    async fn advance_clock(&self, to: DateTime<Utc>) -> BResult<PostingReport> {
        let out = self.execute(Op::AdvanceClock { to }).await?;
        answer!(out, "advance-clock", Outcome::Posted(p) => p)
    }
}

impl<B: Backend + ?Sized> Ops for B {}

/// The answer of an operation that tells nothing but its success.
pub(super) fn done(out: Outcome) -> BResult<()> {
    match out {
        Outcome::Done => Ok(()),
        other => unexpected("the operation", other),
    }
}
