//! Typed helpers over [`Backend::execute`]: each builds its [`Op`] and reads its
//! [`Outcome`]. A new operation needs none (`backend.execute(Op::…)` does); they are here
//! for the callers that write many operations (the scenario runner, the simulator, tests).

use super::*;

fn unexpected<T>(op: &str, out: Outcome) -> BResult<T> {
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
    async fn buy(&self, rider: RiderId, pass: &str) -> BResult<Pass> {
        let pass = pass.to_string();
        let out = self.execute(Op::Buy { rider, pass }).await?;
        answer!(out, "buy", Outcome::Pass(p) => p)
    }
    async fn hold_deposit(&self, rider: RiderId, amount: Tenge) -> BResult<EntryId> {
        let out = self.execute(Op::HoldDeposit { rider, amount }).await?;
        answer!(out, "hold-deposit", Outcome::Entry(e) => e)
    }
    async fn unlock(&self, rider: RiderId, bike: BikeId, pin: &str) -> BResult<()> {
        let pin = pin.to_string();
        done(self.execute(Op::Unlock { rider, bike, pin }).await?)
    }
    async fn pull(&self, bike: BikeId) -> BResult<RentalId> {
        let out = self.execute(Op::Pull { bike }).await?;
        answer!(out, "pull", Outcome::Rental(r) => r)
    }
    async fn rent(&self, rider: RiderId, bike: BikeId, pin: &str) -> BResult<RentalId> {
        let pin = pin.to_string();
        let out = self.execute(Op::Rent { rider, bike, pin }).await?;
        answer!(out, "rent", Outcome::Rental(r) => r)
    }
    async fn return_bike(
        &self,
        bike: BikeId,
        station: StationId,
        how: DockOutcome,
    ) -> BResult<Option<Quote>> {
        let out = self.execute(Op::ReturnBike { bike, station, how }).await?;
        answer!(out, "return-bike", Outcome::Priced(q) => q)
    }
    async fn call_cable_lock(&self, rider: RiderId, station: StationId) -> BResult<()> {
        done(self.execute(Op::CallCableLock { rider, station }).await?)
    }
    async fn cable_lock(&self, bike: BikeId, station: StationId, pin: &str) -> BResult<Quote> {
        let pin = pin.to_string();
        let out = self.execute(Op::CableLock { bike, station, pin }).await?;
        answer!(out, "cable-lock", Outcome::Priced(Some(q)) => q)
    }
    async fn authorise_cable_lock(&self, rider: RiderId, station: StationId) -> BResult<()> {
        done(
            self.execute(Op::AuthoriseCableLock { rider, station })
                .await?,
        )
    }
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
    async fn refund(&self, rider: RiderId) -> BResult<Tenge> {
        let out = self.execute(Op::Refund { rider }).await?;
        answer!(out, "refund", Outcome::Amount(t) => t)
    }
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
    async fn block(&self, rider: RiderId, reason: &str) -> BResult<()> {
        let reason = reason.to_string();
        done(self.execute(Op::Block { rider, reason }).await?)
    }
    async fn unblock(&self, rider: RiderId, reason: &str) -> BResult<()> {
        let reason = reason.to_string();
        done(self.execute(Op::Unblock { rider, reason }).await?)
    }
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
    async fn reset_pin(&self, rider: RiderId, pin: &str) -> BResult<()> {
        let pin = pin.to_string();
        done(self.execute(Op::ResetPin { rider, pin }).await?)
    }
    async fn block_lost_card(&self, rider: RiderId) -> BResult<()> {
        done(self.execute(Op::BlockLostCard { rider }).await?)
    }
    async fn note(&self, rider: RiderId, text: &str) -> BResult<()> {
        let text = text.to_string();
        done(self.execute(Op::Note { rider, text }).await?)
    }
    async fn service_release(&self, bike: BikeId) -> BResult<()> {
        done(self.execute(Op::ServiceRelease { bike }).await?)
    }
    async fn service_dock(&self, bike: BikeId, station: StationId) -> BResult<()> {
        done(self.execute(Op::ServiceDock { bike, station }).await?)
    }
    async fn van_stop(
        &self,
        stop: &crate::api::VanStopRequest,
    ) -> BResult<crate::api::VanStopDone> {
        let out = self.execute(Op::VanStop { stop: stop.clone() }).await?;
        answer!(out, "van-stop", Outcome::VanStop(d) => d)
    }
    async fn to_repair(&self, bike: BikeId) -> BResult<()> {
        done(self.execute(Op::ToRepair { bike }).await?)
    }
    async fn dock_out_of_service(&self, station: StationId, number: Option<u32>) -> BResult<u32> {
        let out = self
            .execute(Op::DockOutOfService { station, number })
            .await?;
        answer!(out, "dock-out-of-service", Outcome::Dock(n) => n)
    }
    async fn dock_in_service(&self, station: StationId, number: Option<u32>) -> BResult<u32> {
        let out = self.execute(Op::DockInService { station, number }).await?;
        answer!(out, "dock-in-service", Outcome::Dock(n) => n)
    }
    async fn add_station(&self, station: NewStation) -> BResult<()> {
        done(self.execute(Op::AddStation { station }).await?)
    }
    async fn add_bike(&self, bike: BikeId, station: Option<StationId>) -> BResult<()> {
        done(self.execute(Op::AddBike { bike, station }).await?)
    }
    async fn add_rider(&self, rider: NewRider) -> BResult<RiderId> {
        let out = self.execute(Op::AddRider { rider }).await?;
        answer!(out, "add-rider", Outcome::Rider(r) => r)
    }
    async fn add_staff(&self, name: &str, role: Role) -> BResult<()> {
        let name = name.to_string();
        done(self.execute(Op::AddStaff { name, role }).await?)
    }
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

fn done(out: Outcome) -> BResult<()> {
    match out {
        Outcome::Done => Ok(()),
        other => unexpected("the operation", other),
    }
}
