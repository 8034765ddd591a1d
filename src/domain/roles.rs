//! Staff roles and what each may do (docs/rules.md §5). One table: the engine checks it, the
//! console offers only what it allows, the README prints it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A staff member's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Agent,
    Depot,
    Supervisor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Agent, Role::Depot, Role::Supervisor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Depot => "depot",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every staff action the engine knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StaffAction {
    TakePayment,
    SellPass,
    HoldDeposit,
    AuthoriseCableLock,
    EndRental,
    EnterFine,
    ApproveFine,
    Refund,
    CreditClaim,
    GiveBonus,
    Block,
    Unblock,
    ResetPin,
    BlockLostCard,
    SetRestriction,
    Correct,
    RevealPersonalData,
    ManualUnlock,
    ServiceRelease,
    ServiceDock,
    ToRepair,
    DockOutOfService,
    DockInService,
    /// A van's stop of the depot's plan: take, leave and send to repair in one go.
    VanStop,
    /// Read the depot's van plan.
    ViewPlan,
    ViewAudit,
    ManageStaff,
    AddNote,
    TakeAlert,
    SetUp,
    /// A docking dispute settled from its evidence (issue 17): agents and supervisors.
    SettleDispute,
    /// A note on a bike or a station (issue 17): the desk and the depot.
    AddFleetNote,
    /// Pin or unpin a note (the note's own action is checked too: a rider's or a fleet one).
    PinNote,
    /// Open and close one's own contacts with riders (a call, a visit).
    HandleContact,
    /// Issue or replace a rider's card at the tariff's card fee, the old one blocked (R24).
    IssueCard,
    /// Open and work one's own cases and the desk's (a supervisor: anyone's).
    WorkCase,
    /// Give a case to another staff member, or back to the desk.
    AssignCase,
    /// Hand the shift over, and take over what another handed over.
    HandOver,
}

impl StaffAction {
    pub const ALL: [StaffAction; 38] = [
        StaffAction::TakePayment,
        StaffAction::SellPass,
        StaffAction::HoldDeposit,
        StaffAction::AuthoriseCableLock,
        StaffAction::EndRental,
        StaffAction::EnterFine,
        StaffAction::ApproveFine,
        StaffAction::Refund,
        StaffAction::CreditClaim,
        StaffAction::GiveBonus,
        StaffAction::Block,
        StaffAction::Unblock,
        StaffAction::ResetPin,
        StaffAction::BlockLostCard,
        StaffAction::SetRestriction,
        StaffAction::Correct,
        StaffAction::RevealPersonalData,
        StaffAction::ManualUnlock,
        StaffAction::ServiceRelease,
        StaffAction::ServiceDock,
        StaffAction::ToRepair,
        StaffAction::DockOutOfService,
        StaffAction::DockInService,
        StaffAction::VanStop,
        StaffAction::ViewPlan,
        StaffAction::ViewAudit,
        StaffAction::ManageStaff,
        StaffAction::AddNote,
        StaffAction::TakeAlert,
        StaffAction::SetUp,
        StaffAction::SettleDispute,
        StaffAction::AddFleetNote,
        StaffAction::PinNote,
        StaffAction::HandleContact,
        StaffAction::IssueCard,
        StaffAction::WorkCase,
        StaffAction::AssignCase,
        StaffAction::HandOver,
    ];

    /// The audit word for the action.
    pub fn as_str(self) -> &'static str {
        match self {
            StaffAction::TakePayment => "take-payment",
            StaffAction::SellPass => "sell-pass",
            StaffAction::HoldDeposit => "hold-deposit",
            StaffAction::AuthoriseCableLock => "authorise-cable-lock",
            StaffAction::EndRental => "end-rental",
            StaffAction::EnterFine => "enter-fine",
            StaffAction::ApproveFine => "approve-fine",
            StaffAction::Refund => "refund",
            StaffAction::CreditClaim => "credit-claim",
            StaffAction::GiveBonus => "give-bonus",
            StaffAction::Block => "block",
            StaffAction::Unblock => "unblock",
            StaffAction::ResetPin => "reset-pin",
            StaffAction::BlockLostCard => "block-lost-card",
            StaffAction::SetRestriction => "set-restriction",
            StaffAction::Correct => "correct",
            StaffAction::RevealPersonalData => "reveal-personal-data",
            StaffAction::ManualUnlock => "manual-unlock",
            StaffAction::ServiceRelease => "service-release",
            StaffAction::ServiceDock => "service-dock",
            StaffAction::ToRepair => "to-repair",
            StaffAction::DockOutOfService => "dock-out-of-service",
            StaffAction::DockInService => "dock-in-service",
            StaffAction::VanStop => "van-stop",
            StaffAction::ViewPlan => "view-plan",
            StaffAction::ViewAudit => "view-audit",
            StaffAction::ManageStaff => "manage-staff",
            StaffAction::AddNote => "add-note",
            StaffAction::TakeAlert => "take-alert",
            StaffAction::SetUp => "set-up",
            StaffAction::SettleDispute => "settle-dispute",
            StaffAction::AddFleetNote => "add-fleet-note",
            StaffAction::PinNote => "pin-note",
            StaffAction::HandleContact => "handle-contact",
            StaffAction::IssueCard => "issue-card",
            StaffAction::WorkCase => "work-case",
            StaffAction::AssignCase => "assign-case",
            StaffAction::HandOver => "hand-over",
        }
    }
}

/// The role matrix. Agents serve riders; depot staff move bikes; supervisors do what agents
/// do and approve, correct, give bonus and read the audit; admins do everything.
pub fn allows(role: Role, action: StaffAction) -> bool {
    use StaffAction::*;
    let agent = matches!(
        action,
        TakePayment
            | SellPass
            | HoldDeposit
            | AuthoriseCableLock
            | EndRental
            | EnterFine
            | Refund
            | CreditClaim
            | Block
            | Unblock
            | ResetPin
            | BlockLostCard
            | RevealPersonalData
            | ManualUnlock
            | AddNote
            | TakeAlert
            | SettleDispute
            | AddFleetNote
            | PinNote
            | HandleContact
            | IssueCard
            | WorkCase
            | HandOver
    );
    let depot = matches!(
        action,
        ServiceRelease
            | ServiceDock
            | ToRepair
            | DockOutOfService
            | DockInService
            | VanStop
            | ViewPlan
            | TakeAlert
            | AddFleetNote
            | PinNote
    );
    match role {
        Role::Admin => true,
        Role::Agent => agent,
        Role::Depot => depot,
        Role::Supervisor => {
            agent
                || matches!(
                    action,
                    ApproveFine
                        | GiveBonus
                        | SetRestriction
                        | Correct
                        | ViewAudit
                        | ViewPlan
                        | AssignCase
                )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_role_matrix_separates_desk_depot_and_approvals() {
        assert!(allows(Role::Agent, StaffAction::AuthoriseCableLock));
        assert!(allows(Role::Agent, StaffAction::ManualUnlock));
        assert!(!allows(Role::Depot, StaffAction::ManualUnlock));
        assert!(!allows(Role::Agent, StaffAction::ApproveFine), "D14");
        assert!(!allows(Role::Agent, StaffAction::GiveBonus));
        assert!(!allows(Role::Agent, StaffAction::ServiceRelease));
        assert!(allows(Role::Depot, StaffAction::ServiceRelease));
        assert!(!allows(Role::Depot, StaffAction::EnterFine));
        assert!(allows(Role::Supervisor, StaffAction::ApproveFine));
        assert!(allows(Role::Supervisor, StaffAction::EnterFine));
        assert!(!allows(Role::Supervisor, StaffAction::ManageStaff));
        // The van plan: the depot reads and does it, a supervisor reads it, an agent neither.
        assert!(allows(Role::Depot, StaffAction::VanStop));
        assert!(allows(Role::Supervisor, StaffAction::ViewPlan));
        assert!(!allows(Role::Supervisor, StaffAction::VanStop));
        assert!(!allows(Role::Agent, StaffAction::ViewPlan));
        assert!(!allows(Role::Agent, StaffAction::VanStop));
        assert!(StaffAction::ALL.iter().all(|a| allows(Role::Admin, *a)));
        // Issue 17: the desk settles a docking dispute; the depot does not.
        assert!(allows(Role::Agent, StaffAction::SettleDispute));
        assert!(allows(Role::Supervisor, StaffAction::SettleDispute));
        assert!(!allows(Role::Depot, StaffAction::SettleDispute));
    }

    #[test]
    fn the_desk_keeps_contacts_cases_and_cards_the_depot_writes_on_bikes_and_stations() {
        for a in [
            StaffAction::HandleContact,
            StaffAction::IssueCard,
            StaffAction::WorkCase,
            StaffAction::HandOver,
        ] {
            assert!(
                allows(Role::Agent, a) && allows(Role::Supervisor, a),
                "{a:?}"
            );
            assert!(!allows(Role::Depot, a), "{a:?}");
        }
        assert!(allows(Role::Depot, StaffAction::AddFleetNote));
        assert!(allows(Role::Depot, StaffAction::PinNote));
        assert!(
            !allows(Role::Depot, StaffAction::AddNote),
            "riders' notes are the desk's"
        );
        assert!(!allows(Role::Agent, StaffAction::AssignCase));
        assert!(allows(Role::Supervisor, StaffAction::AssignCase));
    }
}
