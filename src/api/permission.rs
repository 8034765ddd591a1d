//! Who may do each operation ([`Permission`], the one declaration the engine checks) and
//! the operation's word and targets.

use super::Op;
use crate::domain::roles::StaffAction;
use crate::domain::{BikeId, StationId};

/// Who may do an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// A staff member whose role allows the action.
    Staff(StaffAction),
    /// The rider or a dock (no staff), or a staff member whose role allows the action.
    RiderOr(StaffAction),
    /// The docks: no staff member acts.
    Station,
    /// Setting the system up: an admin (by the action), or the system's owner in-process.
    SetUp(StaffAction),
}

impl Op {
    /// The word for the operation (audit, logs, the transcript).
    pub fn name(&self) -> &'static str {
        match self {
            Op::Pay { .. } => "pay",
            Op::Buy { .. } => "buy",
            Op::HoldDeposit { .. } => "hold-deposit",
            Op::Unlock { .. } => "unlock",
            Op::Pull { .. } => "pull",
            Op::Rent { .. } => "rent",
            Op::ReturnBike { .. } => "return-bike",
            Op::CallCableLock { .. } => "call-cable-lock",
            Op::CableLock { .. } => "cable-lock",
            Op::AuthoriseCableLock { .. } => "authorise-cable-lock",
            Op::ManualUnlock { .. } => "manual-unlock",
            Op::EndRental { .. } => "end-rental",
            Op::Fine { .. } => "fine",
            Op::ApproveFine { .. } => "approve-fine",
            Op::RejectFine { .. } => "reject-fine",
            Op::Refund { .. } => "refund",
            Op::CreditClaim { .. } => "credit-claim",
            Op::SettleDispute { .. } => "settle-dispute",
            Op::GiveBonus { .. } => "give-bonus",
            Op::Correct { .. } => "correct",
            Op::Block { .. } => "block",
            Op::Unblock { .. } => "unblock",
            Op::SetRestriction { .. } => "set-restriction",
            Op::ResetPin { .. } => "reset-pin",
            Op::BlockLostCard { .. } => "block-lost-card",
            Op::Note { .. } => "note",
            Op::BikeNote { .. } => "bike-note",
            Op::StationNote { .. } => "station-note",
            Op::PinNote { .. } => "pin-note",
            Op::OpenContact { .. } => "open-contact",
            Op::CloseContact { .. } => "close-contact",
            Op::IssueCard { .. } => "issue-card",
            Op::OpenCase { .. } => "open-case",
            Op::UpdateCase { .. } => "update-case",
            Op::AssignCase { .. } => "assign-case",
            Op::Handover { .. } => "handover",
            Op::AckHandover { .. } => "ack-handover",
            Op::TakeAlert { .. } => "take-alert",
            Op::ServiceRelease { .. } => "service-release",
            Op::ServiceDock { .. } => "service-dock",
            Op::ToRepair { .. } => "to-repair",
            Op::VanStop { .. } => "van-stop",
            Op::DockOutOfService { .. } => "dock-out-of-service",
            Op::DockInService { .. } => "dock-in-service",
            Op::AddStation { .. } => "add-station",
            Op::AddBike { .. } => "add-bike",
            Op::AddRider { .. } => "add-rider",
            Op::AddStaff { .. } => "add-staff",
            Op::SetSeason { .. } => "set-season",
            Op::AdvanceClock { .. } => "advance-clock",
        }
    }

    /// Who may do it: the one declaration the engine checks ([`crate::domain::roles`]).
    pub fn permission(&self) -> Permission {
        use StaffAction as A;
        match self {
            Op::Pay { .. } => Permission::RiderOr(A::TakePayment),
            Op::Buy { .. } => Permission::RiderOr(A::SellPass),
            Op::HoldDeposit { .. } => Permission::RiderOr(A::HoldDeposit),
            Op::Unlock { .. }
            | Op::Pull { .. }
            | Op::Rent { .. }
            | Op::ReturnBike { .. }
            | Op::CallCableLock { .. }
            | Op::CableLock { .. } => Permission::Station,
            Op::AuthoriseCableLock { .. } => Permission::Staff(A::AuthoriseCableLock),
            Op::ManualUnlock { .. } => Permission::Staff(A::ManualUnlock),
            Op::EndRental { .. } => Permission::Staff(A::EndRental),
            Op::Fine { .. } => Permission::Staff(A::EnterFine),
            Op::ApproveFine { .. } | Op::RejectFine { .. } => Permission::Staff(A::ApproveFine),
            Op::Refund { .. } => Permission::Staff(A::Refund),
            Op::CreditClaim { .. } => Permission::Staff(A::CreditClaim),
            Op::SettleDispute { .. } => Permission::Staff(A::SettleDispute),
            Op::GiveBonus { .. } => Permission::Staff(A::GiveBonus),
            Op::Correct { .. } => Permission::Staff(A::Correct),
            Op::Block { .. } => Permission::Staff(A::Block),
            Op::Unblock { .. } => Permission::Staff(A::Unblock),
            Op::SetRestriction { .. } => Permission::Staff(A::SetRestriction),
            Op::ResetPin { .. } => Permission::Staff(A::ResetPin),
            Op::BlockLostCard { .. } => Permission::Staff(A::BlockLostCard),
            Op::Note { .. } => Permission::Staff(A::AddNote),
            Op::BikeNote { .. } | Op::StationNote { .. } => Permission::Staff(A::AddFleetNote),
            Op::PinNote { .. } => Permission::Staff(A::PinNote),
            Op::OpenContact { .. } | Op::CloseContact { .. } => Permission::Staff(A::HandleContact),
            Op::IssueCard { .. } => Permission::Staff(A::IssueCard),
            Op::OpenCase { .. } | Op::UpdateCase { .. } => Permission::Staff(A::WorkCase),
            Op::AssignCase { .. } => Permission::Staff(A::AssignCase),
            Op::Handover { .. } | Op::AckHandover { .. } => Permission::Staff(A::HandOver),
            Op::TakeAlert { .. } => Permission::Staff(A::TakeAlert),
            Op::ServiceRelease { .. } => Permission::Staff(A::ServiceRelease),
            Op::ServiceDock { .. } => Permission::Staff(A::ServiceDock),
            Op::ToRepair { .. } => Permission::Staff(A::ToRepair),
            Op::VanStop { .. } => Permission::Staff(A::VanStop),
            Op::DockOutOfService { .. } => Permission::Staff(A::DockOutOfService),
            Op::DockInService { .. } => Permission::Staff(A::DockInService),
            Op::AddRider { .. } => Permission::SetUp(A::RevealPersonalData),
            Op::AddStaff { .. } => Permission::SetUp(A::ManageStaff),
            Op::AddStation { .. }
            | Op::AddBike { .. }
            | Op::SetSeason { .. }
            | Op::AdvanceClock { .. } => Permission::SetUp(A::SetUp),
        }
    }

    /// The station a dock's operation speaks for (its key must be that station's), when
    /// the operation names one; `Pull` and `Unlock` name a bike, which must stand there.
    pub fn station(&self) -> Option<StationId> {
        match self {
            Op::ReturnBike { station, .. }
            | Op::CallCableLock { station, .. }
            | Op::CableLock { station, .. } => Some(*station),
            _ => None,
        }
    }

    /// The bike a dock's operation takes from its dock (it must stand at the key's station).
    pub fn bike_from_dock(&self) -> Option<BikeId> {
        match self {
            Op::Unlock { bike, .. } | Op::Pull { bike } | Op::Rent { bike, .. } => Some(*bike),
            _ => None,
        }
    }
}
