//! The guided procedures (cable lock, manual unlock, end a stuck rental, fine entry, the
//! cash desk, the depot's moves) as one kind of keyboard form: fields → a preview of the
//! effect → a confirmation with *Cancel* focused → the backend call → the outcome.

use super::keymap::Action;
use super::text::T;
use crate::domain::{BikeId, RiderId, StationId};

/// What a procedure acts on: the rider of the page, or the station (and the dock and bike
/// under the cursor) of the depot's page; a cable lock also names the call's station.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Target {
    pub rider: Option<RiderId>,
    pub station: Option<StationId>,
    pub bike: Option<BikeId>,
    pub dock: Option<u32>,
    /// The van of a stop of the depot's plan.
    pub van: Option<u32>,
    /// The desk's record it acts on: a case, a note, a handover item (issue 17).
    pub item: Option<i64>,
}

impl Target {
    pub fn rider(r: RiderId) -> Target {
        Target {
            rider: Some(r),
            ..Target::default()
        }
    }
}

/// Every procedure the console offers (each is one module under `procedures/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Authorise a cable lock (R14) for a rider, at a station when the call names one.
    CableLock,
    ManualUnlock,
    EndRental,
    Fine,
    Pay,
    SellPass,
    Deposit,
    Refund,
    Claim,
    Bonus,
    Correct,
    Block,
    /// A note on the rider (kept in the audit, shown in the rider view).
    Note,
    Unblock,
    Restrict,
    LiftRestriction,
    ResetPin,
    LostCard,
    Reveal,
    Approve,
    Reject,
    Release,
    ServiceDock,
    Repair,
    DockOut,
    DockIn,
    /// A van's stop of the depot's plan (opened by `d` in the Rebalance view).
    VanStop,
    /// A docking dispute (issue 17): the evidence, the fair end, one confirm.
    Dispute,
    /// Unpin the pinned note of the rider's or station's page.
    Unpin,
    /// A note on the station of the page, or on the bike under the cursor.
    StationNote,
    BikeNote,
    /// A contact with the rider opened (a reason) or closed (an outcome and a note).
    OpenContact,
    CloseContact,
    /// A card issued or replaced at the tariff's fee (R24).
    IssueCard,
    /// A case opened on the rider (from the contact), moved on, or given to someone.
    OpenCase,
    UpdateCase,
    AssignCase,
    /// The shift handed over (`:handover`), and an item of another's taken over.
    Handover,
    AckHandover,
}

impl Kind {
    /// The procedure a key's action opens.
    pub fn of(a: Action) -> Option<Kind> {
        Some(match a {
            Action::CableLock => Kind::CableLock,
            Action::ManualUnlock => Kind::ManualUnlock,
            Action::EndRental => Kind::EndRental,
            Action::Fine => Kind::Fine,
            Action::Pay => Kind::Pay,
            Action::SellPass => Kind::SellPass,
            Action::Deposit => Kind::Deposit,
            Action::Refund => Kind::Refund,
            Action::Claim => Kind::Claim,
            Action::Bonus => Kind::Bonus,
            Action::Correct => Kind::Correct,
            Action::Block => Kind::Block,
            Action::Note => Kind::Note,
            Action::Unblock => Kind::Unblock,
            Action::Restrict => Kind::Restrict,
            Action::LiftRestriction => Kind::LiftRestriction,
            Action::ResetPin => Kind::ResetPin,
            Action::LostCard => Kind::LostCard,
            Action::Reveal => Kind::Reveal,
            Action::Approve => Kind::Approve,
            Action::Reject => Kind::Reject,
            Action::ServiceRelease => Kind::Release,
            Action::ServiceDock => Kind::ServiceDock,
            Action::ToRepair => Kind::Repair,
            Action::DockOut => Kind::DockOut,
            Action::DockIn => Kind::DockIn,
            Action::Dispute => Kind::Dispute,
            Action::Unpin => Kind::Unpin,
            Action::StationNote => Kind::StationNote,
            Action::BikeNote => Kind::BikeNote,
            Action::OpenContact => Kind::OpenContact,
            Action::CloseContact => Kind::CloseContact,
            Action::IssueCard => Kind::IssueCard,
            Action::OpenCase => Kind::OpenCase,
            Action::UpdateCase => Kind::UpdateCase,
            Action::AssignCase => Kind::AssignCase,
            Action::AckHandover => Kind::AckHandover,
            _ => return None,
        })
    }

    /// Whether it acts on a rider (the rider view's keys) rather than a station.
    pub fn on_rider(self) -> bool {
        !matches!(
            self,
            Kind::Release
                | Kind::ServiceDock
                | Kind::Repair
                | Kind::DockOut
                | Kind::DockIn
                | Kind::VanStop
                | Kind::StationNote
                | Kind::BikeNote
                | Kind::UpdateCase
                | Kind::AssignCase
                | Kind::Handover
                | Kind::AckHandover
        )
    }

    /// Whether it acts on the desk's file (the Cases view, the palette) rather than a page.
    pub fn on_desk(self) -> bool {
        matches!(
            self,
            Kind::UpdateCase | Kind::AssignCase | Kind::Handover | Kind::AckHandover
        )
    }
}

/// A procedure and what it acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proc {
    pub kind: Kind,
    pub on: Target,
}

impl Proc {
    pub fn new(kind: Kind, on: Target) -> Proc {
        Proc { kind, on }
    }

    /// A van's stop at a station of the depot's plan.
    #[allow(non_snake_case)]
    pub fn VanStop(van: u32, station: StationId) -> Proc {
        Proc::new(
            Kind::VanStop,
            Target {
                station: Some(station),
                van: Some(van),
                ..Target::default()
            },
        )
    }

    /// A cable lock for the rider, at the call's station when there is one.
    pub fn cable_lock(r: RiderId, station: Option<StationId>) -> Proc {
        Proc::new(
            Kind::CableLock,
            Target {
                station,
                ..Target::rider(r)
            },
        )
    }

    pub fn title(self) -> T {
        super::procedures::of(self.kind).title()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    Edit,
    Previewing,
    /// The preview is shown; which button has the focus (`false`: *Cancel*).
    Confirm {
        on_confirm: bool,
    },
    Busy,
    /// After a cable-lock authorisation: waiting for the rental to end.
    Waiting {
        slow: bool,
    },
    Done,
}

/// How the rental of a cable lock ended, as the dialog tells it (R14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CableOutcome {
    /// Locked with the cable at the authorised station.
    Locked(StationId),
    /// The rider found a dock after all (at this station): the permission went unused.
    Docked(StationId),
    /// Ended some other way (by hand, at no station): the permission went unused.
    EndedOtherwise,
}

/// What a confirmed procedure did, in words; a reveal also brings the data.
pub struct Done {
    pub text: String,
    pub personal: Option<crate::api::Personal>,
}

impl From<String> for Done {
    fn from(text: String) -> Done {
        Done {
            text,
            personal: None,
        }
    }
}

pub enum Outcome {
    Stay,
    Close,
    Preview,
    Submit,
}

pub use super::form_fields::{Field, Form, typed_number};
