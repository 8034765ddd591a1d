//! The operations: what changes the system, as data — how money came in, what a fine
//! entry did.

use super::event::{AlertKind, PostingReport};
use super::fleet::NewStation;
use super::rider::{NewRider, Pass};
use crate::domain::pricing::Quote;
use crate::domain::rental::DockOutcome;
use crate::domain::roles::{Role, StaffAction};
use crate::domain::tariff::FineKind;
use crate::domain::{BikeId, EntryId, RentalId, RiderId, StationId, Tenge};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// How money arrived (R20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PayMethod {
    /// At the cash desk.
    Cash,
    /// By card.
    Card,
    /// By bank transfer (R20).
    Bank,
}

impl PayMethod {
    /// The method's word in the API and the ledger.
    pub fn as_str(self) -> &'static str {
        match self {
            PayMethod::Cash => "cash",
            PayMethod::Card => "card",
            PayMethod::Bank => "bank",
        }
    }
    /// The method of a word, if it is one.
    pub fn parse(s: &str) -> Option<PayMethod> {
        match s {
            "cash" => Some(PayMethod::Cash),
            "card" => Some(PayMethod::Card),
            "bank" => Some(PayMethod::Bank),
            _ => None,
        }
    }
}

/// What a fine entry did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FineOutcome {
    /// Posted to the ledger.
    Posted {
        /// The fine's id.
        fine: i64,
        /// Its amount.
        amount: Tenge,
    },
    /// Above the threshold: waiting for a supervisor (D14).
    AwaitingApproval {
        /// The fine's id.
        fine: i64,
        /// Its amount.
        amount: Tenge,
    },
}

/// Every change an operator, a dock or a set-up makes, as data: what the console, the
/// scenario runner and the simulator send through [`crate::backend::Backend::execute`], what
/// `POST /ops` carries, and what the engine's one door ([`crate::engine::Engine::execute`])
/// runs. Who acts is not in it: the backend handle acts as one staff member (or as the
/// rider and the docks, with none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Op {
    /// Money arrives on the account (R19, R20): at the desk, or from card or bank.
    Pay {
        /// The rider.
        rider: RiderId,
        /// The amount paid.
        amount: Tenge,
        /// How the money came: cash, card or bank.
        method: PayMethod,
    },
    /// A pass sold (R16, D15, D18, D22, D23).
    Buy {
        /// The rider.
        rider: RiderId,
        /// The pass's id in the tariff (`monthly`, `day1`…).
        pass: String,
    },
    /// A deposit held (R5, D16).
    HoldDeposit {
        /// The rider.
        rider: RiderId,
        /// The amount held.
        amount: Tenge,
    },
    /// A rider unlocks a bike with ID and PIN (R9, R10, D29).
    Unlock {
        /// The rider.
        rider: RiderId,
        /// The bike.
        bike: BikeId,
        /// The rider's PIN (four digits, R10).
        pin: String,
    },
    /// The unlocked bike left its dock: the rental starts (R11).
    Pull {
        /// The bike pulled out.
        bike: BikeId,
    },
    /// Unlock and pull at once (scenarios, the simulator).
    Rent {
        /// The rider.
        rider: RiderId,
        /// The bike.
        bike: BikeId,
        /// The rider's PIN (four digits, R10).
        pin: String,
    },
    /// A bike pushed into a dock, with what the dock reports (R12, R13).
    ReturnBike {
        /// The bike.
        bike: BikeId,
        /// The station it is pushed into.
        station: StationId,
        /// What the dock reported (R12, R13).
        how: DockOutcome,
    },
    /// The rider calls for a cable lock at a full station (R14).
    CallCableLock {
        /// The rider.
        rider: RiderId,
        /// The full station the rider calls from.
        station: StationId,
    },
    /// The bike locked with its cable, with the permission and the PIN (R14).
    CableLock {
        /// The bike.
        bike: BikeId,
        /// The full station it is locked at.
        station: StationId,
        /// The rider's PIN (four digits, R10).
        pin: String,
    },
    /// An operator's permission to cable-lock at a full station (R14).
    AuthoriseCableLock {
        /// The rider.
        rider: RiderId,
        /// The station the cable lock is permitted at.
        station: StationId,
    },
    /// A bike released for a rider whose own unlock failed (no PIN; a reason).
    ManualUnlock {
        /// The rider.
        rider: RiderId,
        /// The bike.
        bike: BikeId,
        /// Why, in the staff member's words (audited).
        reason: String,
    },
    /// A stuck rental ended by hand at a station and time (R15, D3).
    EndRental {
        /// The rider.
        rider: RiderId,
        /// Where the bike was left.
        station: StationId,
        /// When the rental really ended.
        at: DateTime<Utc>,
        /// Why, in the staff member's words (audited).
        reason: String,
    },
    /// A fine entered (R21–R24; above the threshold it waits for a supervisor, D14).
    Fine {
        /// The rider.
        rider: RiderId,
        /// The fine's kind (A3 table 4).
        kind: FineKind,
        /// The amount; `None`: the tariff's fixed one.
        amount: Option<Tenge>,
        /// The rental it is for, if any.
        rental: Option<RentalId>,
        /// The staff member's note (audited).
        note: String,
    },
    /// The rider's fine waiting for approval, approved (D14).
    ApproveFine {
        /// The rider.
        rider: RiderId,
    },
    /// The rider's oldest fine waiting for approval, rejected with a reason (D14): nothing
    /// is posted.
    RejectFine {
        /// The rider.
        rider: RiderId,
        /// Why, in the staff member's words (audited).
        reason: String,
    },
    /// The rider's unused balance paid back (R25).
    Refund {
        /// The rider.
        rider: RiderId,
    },
    /// A claim credited to the account (R26).
    CreditClaim {
        /// The rider.
        rider: RiderId,
        /// The amount credited.
        amount: Tenge,
        /// Why, in the staff member's words (audited).
        reason: String,
    },
    /// A docking dispute settled (issue 17): from the evidence around the rider's claim
    /// (`station`, `at`), an open rental (the rider's, or `rental`) ends at the fair time
    /// at that station (R15, D3); an ended trip is credited what it cost beyond its fair
    /// price, as a recognised claim (R26). The rider is told (R27).
    SettleDispute {
        /// The rider who called.
        rider: RiderId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        /// The trip (none: the open rental, else the latest).
        rental: Option<RentalId>,
        /// Where the rider says they docked.
        station: StationId,
        /// When they say they docked.
        at: DateTime<Utc>,
    },
    /// A bonus given (D10).
    GiveBonus {
        /// The rider.
        rider: RiderId,
        /// The bonus given.
        amount: Tenge,
        /// Why, in the staff member's words (audited).
        reason: String,
    },
    /// A ledger entry corrected by a new one (D9).
    Correct {
        /// The rider.
        rider: RiderId,
        /// The entry it corrects (D9).
        entry: EntryId,
        /// The correction: positive credits, negative charges.
        amount: Tenge,
        /// Why, in the staff member's words (audited).
        reason: String,
    },
    /// The rider blocked, with the reason they are told (R27).
    Block {
        /// The rider.
        rider: RiderId,
        /// Why, in the staff member's words (audited).
        reason: String,
    },
    /// The rider's block lifted.
    Unblock {
        /// The rider.
        rider: RiderId,
        /// Why, in the staff member's words (audited).
        reason: String,
    },
    /// A restriction imposed by hand (`reason`) or lifted (`None`) (D12).
    SetRestriction {
        /// The rider.
        rider: RiderId,
        /// `Some`: impose with this reason; `None`: lift.
        reason: Option<String>,
        /// Why, in the staff member's words (audited).
        note: String,
    },
    /// A new 4-digit PIN (D29 clears the failed tries).
    ResetPin {
        /// The rider.
        rider: RiderId,
        /// The new PIN (four digits).
        pin: String,
    },
    /// The rider's lost card blocked (R24).
    BlockLostCard {
        /// The rider.
        rider: RiderId,
    },
    /// A note on a rider: kept with the rider's notes and audited, shown in the rider view
    /// (a pinned one at its top).
    Note {
        /// The rider.
        rider: RiderId,
        /// The note's words.
        text: String,
        #[serde(default)]
        /// Whether it shows first.
        pinned: bool,
    },
    /// A note on a bike ("rear brake weak"): it follows the bike, shown on the station view
    /// where the bike stands and to the depot when it docks it.
    BikeNote {
        /// The bike.
        bike: BikeId,
        /// The note's words.
        text: String,
        #[serde(default)]
        /// Whether it shows first.
        pinned: bool,
    },
    /// A note on a station, shown in its view (a pinned one at its top).
    StationNote {
        /// The station.
        station: StationId,
        /// The note's words.
        text: String,
        #[serde(default)]
        /// Whether it shows first.
        pinned: bool,
    },
    /// A note pinned (to the top of its rider's or station's view) or unpinned.
    PinNote {
        /// The note.
        note: i64,
        /// Pinned (true) or not.
        pinned: bool,
    },
    /// A contact opened: the handle's staff member is on a call (or a visit) with the rider,
    /// for a reason of `assets/desk/reasons.toml`. Until it closes, every audited action of
    /// theirs on the rider is linked to it.
    OpenContact {
        /// The rider.
        rider: RiderId,
        /// Why they call, a key of `assets/desk/reasons.toml`.
        reason: String,
    },
    /// The handle's staff member's open contact with the rider closed, with an outcome of
    /// `assets/desk/outcomes.toml` and a note.
    CloseContact {
        /// The rider.
        rider: RiderId,
        /// The outcome, a key of `assets/desk/outcomes.toml`.
        outcome: String,
        #[serde(default)]
        /// What was done or promised.
        note: String,
    },
    /// A new card issued or a lost one replaced at the tariff's card fee, the old card
    /// blocked (R24).
    IssueCard {
        /// The rider.
        rider: RiderId,
        /// The new card's number.
        card: String,
    },
    /// A case for what a call could not finish: its kind (a contact reason), the next action
    /// and when it is due; the handle's staff member owns it, and it names their open
    /// contact with the rider, if any.
    OpenCase {
        /// The rider it is about, if any.
        rider: Option<RiderId>,
        /// Its kind, a key of `assets/desk/reasons.toml`.
        kind: String,
        /// What is to be done next.
        next_action: String,
        /// When the next action is due.
        due: DateTime<Utc>,
        #[serde(default)]
        /// A first line for its log.
        note: String,
    },
    /// A case moved on: its status, next action or due time changed, a note in its log.
    UpdateCase {
        /// The case.
        case: i64,
        #[serde(default)]
        /// Its new status, if it changes.
        status: Option<super::CaseStatus>,
        #[serde(default)]
        /// Its new next action, if it changes.
        next_action: Option<String>,
        #[serde(default)]
        /// Its new due time, if it changes.
        due: Option<DateTime<Utc>>,
        #[serde(default)]
        /// A line for its log.
        note: String,
    },
    /// A case given to a staff member, or back to the desk (`None`).
    AssignCase {
        /// The case.
        case: i64,
        /// Its new owner (`None`: the desk).
        owner: Option<String>,
    },
    /// The shift handed over: what is open of the handle's staff member's (cases, cable-lock
    /// permissions not used, fines waiting for approval, alerts taken) and a free note.
    Handover {
        #[serde(default)]
        /// What the next person should know.
        note: String,
    },
    /// One item of another staff member's handover taken over by the handle's.
    AckHandover {
        /// The handover's item.
        item: i64,
    },
    /// "I am on it": an alert taken by the handle's staff member, shown with their name to
    /// everyone (and left alone by the simulated desk).
    TakeAlert {
        /// The alert's kind.
        kind: AlertKind,
        /// The rider it is about, if any.
        rider: Option<RiderId>,
        /// The station it is about, if any.
        station: Option<StationId>,
    },
    /// The depot takes a docked bike into the van.
    ServiceRelease {
        /// The bike.
        bike: BikeId,
    },
    /// The depot docks a bike from the van or repair.
    ServiceDock {
        /// The bike.
        bike: BikeId,
        /// The station it is docked at.
        station: StationId,
    },
    /// A bike sent to repair.
    ToRepair {
        /// The bike.
        bike: BikeId,
    },
    /// A van's stop of the depot's plan: repair, leave and take in one go (all or nothing).
    VanStop {
        /// What the van does at the stop.
        stop: super::VanStopRequest,
    },
    /// A station's free dock taken out of service (`number`, or any free working one).
    DockOutOfService {
        /// The station.
        station: StationId,
        /// The dock's number (`None`: the first that fits).
        number: Option<u32>,
    },
    /// A dock back in service (`number`, or the first out of service).
    DockInService {
        /// The station.
        station: StationId,
        /// The dock's number (`None`: the first that fits).
        number: Option<u32>,
    },
    /// A station created or updated (set-up).
    AddStation {
        /// The station.
        station: NewStation,
    },
    /// A bike added, docked at `station` or in the depot (set-up).
    AddBike {
        /// The bike's inventory number.
        bike: BikeId,
        /// A station to dock it at, if any.
        station: Option<StationId>,
    },
    /// A rider registered (set-up).
    AddRider {
        /// The rider's details.
        rider: NewRider,
    },
    /// A staff account added or its role changed (set-up).
    AddStaff {
        /// Their name (their log-in).
        name: String,
        /// Their role.
        role: Role,
    },
    /// The operator's season (R8, D21), local dates inclusive.
    SetSeason {
        /// The season's first day (local).
        from: NaiveDate,
        /// Its last day (local).
        to: NaiveDate,
    },
    /// A simulated clock moved on, running what falls due (refused on the real clock).
    AdvanceClock {
        /// The time to move to.
        to: DateTime<Utc>,
    },
}

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

/// What an operation answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", content = "value", rename_all = "kebab-case")]
pub enum Outcome {
    /// Done; nothing to tell.
    Done,
    /// The ledger entry written.
    Entry(EntryId),
    /// The pass sold.
    Pass(Pass),
    /// The rental started.
    Rental(RentalId),
    /// A trip's price (a rental ended), or none (a lock error ended nothing).
    Priced(Option<Quote>),
    /// What a fine entry did.
    Fine(FineOutcome),
    /// An amount: paid back (a refund), or the fine rejected.
    Amount(Tenge),
    /// The dock taken out of or put back in service.
    Dock(u32),
    /// The rider registered.
    Rider(RiderId),
    /// What the nightly postings on the way did.
    Posted(PostingReport),
    /// What a van's stop did.
    VanStop(super::VanStopDone),
    /// The record made: a note's, a contact's or a case's id.
    Id(i64),
    /// The handover made, with its items.
    Handover(super::Handover),
}

impl Outcome {
    /// The answer alone, as the operation's own route (`POST /riders/{id}/payments`…) gives it.
    pub fn answer(&self) -> serde_json::Value {
        let v = match self {
            Outcome::Done => Ok(serde_json::Value::Null),
            Outcome::Entry(e) => serde_json::to_value(e),
            Outcome::Pass(p) => serde_json::to_value(p),
            Outcome::Rental(r) => serde_json::to_value(r),
            Outcome::Priced(q) => serde_json::to_value(q),
            Outcome::Fine(f) => serde_json::to_value(f),
            Outcome::Amount(t) => serde_json::to_value(t),
            Outcome::Dock(n) => serde_json::to_value(n),
            Outcome::Rider(r) => serde_json::to_value(r),
            Outcome::Posted(p) => serde_json::to_value(p),
            Outcome::VanStop(d) => serde_json::to_value(d),
            Outcome::Id(id) => serde_json::to_value(id),
            Outcome::Handover(h) => serde_json::to_value(h),
        };
        v.unwrap_or(serde_json::Value::Null)
    }
}
