//! The operations: what changes the system, as data — how money came in, what a fine
//! entry did.

use super::event::AlertKind;
use super::fleet::NewStation;
use super::rider::NewRider;
use crate::domain::rental::DockOutcome;
use crate::domain::roles::Role;
use crate::domain::tariff::FineKind;
use crate::domain::{BikeId, EntryId, RentalId, RiderId, StationId, Tenge};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How money arrived (R20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
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

/// Every change an operator, a dock or a set-up makes, as data: what the console, the
/// scenario runner and the simulator send through [`crate::backend::Backend::execute`], what
/// `POST /ops` carries, and what the engine's one door ([`crate::engine::Engine::execute`])
/// runs. Who acts is not in it: the backend handle acts as one staff member (or as the
/// rider and the docks, with none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
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
        /// The dock it is pushed into, when the station names it; else the first free one.
        #[serde(default)]
        dock: Option<u32>,
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
