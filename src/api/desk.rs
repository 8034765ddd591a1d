//! The desk's case file (issue 17) as the shared language: notes on a rider, a bike or a
//! station; contacts with a reason and an outcome; cases with their log; the shift's
//! handover and its items; and [`DeskFile`], what one staff member's desk holds now.

use crate::domain::{BikeId, RiderId, StationId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", content = "id", rename_all = "kebab-case")]
pub enum NoteAbout {
    /// A rider.
    Rider(RiderId),
    /// A bike: the note follows it.
    Bike(BikeId),
    /// A station.
    Station(StationId),
}

impl std::fmt::Display for NoteAbout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoteAbout::Rider(r) => write!(f, "rider {r}"),
            NoteAbout::Bike(b) => write!(f, "bike {b}"),
            NoteAbout::Station(s) => write!(f, "station {s}"),
        }
    }
}

/// A staff member's note: who, when, on what; pinned notes show first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Note {
    /// The note's number.
    pub id: i64,
    /// When it was written.
    pub at: DateTime<Utc>,
    /// Who wrote it.
    pub staff: String,
    /// What it is on.
    pub about: NoteAbout,
    /// Its words.
    pub text: String,
    /// Whether it shows first, at the top of the view.
    pub pinned: bool,
}

/// A call or a visit handled at the desk: its reason, and once closed its outcome and note;
/// `actions` counts the audited actions its staff member took on the rider while it was
/// open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Contact {
    /// The contact's number.
    pub id: i64,
    /// The rider called (or visiting).
    pub rider: RiderId,
    /// The staff member who took it.
    pub staff: String,
    /// A key of `assets/desk/reasons.toml`.
    pub reason: String,
    /// When it opened.
    pub opened_at: DateTime<Utc>,
    /// When it closed, if it has.
    pub closed_at: Option<DateTime<Utc>>,
    /// A key of `assets/desk/outcomes.toml`, once closed.
    pub outcome: Option<String>,
    /// The note written when it closed.
    pub note: String,
    /// How many audited actions were taken during it.
    pub actions: u32,
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CaseStatus {
    /// Open: being worked.
    Open,
    /// Waiting for the rider.
    WaitingRider,
    /// Waiting for the depot.
    WaitingDepot,
    /// Closed.
    Closed,
}

impl CaseStatus {
    /// Every status, in the order they are offered.
    pub const ALL: [CaseStatus; 4] = [
        CaseStatus::Open,
        CaseStatus::WaitingRider,
        CaseStatus::WaitingDepot,
        CaseStatus::Closed,
    ];
    /// The status's word (stored, in the API).
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::WaitingRider => "waiting-rider",
            CaseStatus::WaitingDepot => "waiting-depot",
            CaseStatus::Closed => "closed",
        }
    }
    /// The status of a word, if it is one.
    pub fn parse(s: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// One line of a case's log, oldest first: a note or a change of the case (`case`), a
/// contact with the rider (`contact`), a message sent to them (`message`), an action
/// taken on their account (`action`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CaseLine {
    /// When.
    pub at: DateTime<Utc>,
    /// What the line is (`note`, `contact`, `message`, `action`…).
    pub kind: String,
    /// Who wrote or did it.
    pub staff: String,
    /// Its words.
    pub text: String,
}

/// What a call could not finish: a kind (a contact reason), an owner (`None`: the desk's),
/// a status, the next action and when it is due, and its log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Case {
    /// The case's number.
    pub id: i64,
    /// Its kind (a reason of the contact catalogue).
    pub kind: String,
    /// The rider it is about, if any.
    pub rider: Option<RiderId>,
    /// Who owns it (`None`: the desk's).
    pub owner: Option<String>,
    /// Where it stands.
    pub status: CaseStatus,
    /// What is to be done next.
    pub next_action: String,
    /// When the next action is due.
    pub due: DateTime<Utc>,
    /// Who opened it.
    pub opened_by: String,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
    /// The contact it was opened from.
    pub contact: Option<i64>,
    /// Whether the next action is past due.
    pub overdue: bool,
    #[serde(default)]
    /// Its log, oldest first.
    pub log: Vec<CaseLine>,
}

/// What a handover item is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum HandoverKind {
    /// An open case of the staff member's, with its next action.
    Case,
    /// A cable-lock permission they gave that was not used yet (R14).
    CableLock,
    /// A fine they entered that waits for a supervisor (D14).
    Fine,
    /// An alert they took ("I am on it") that is still there.
    Alert,
    /// The free note of the handover.
    Note,
}

impl HandoverKind {
    /// The kind's word (stored, in the API).
    pub fn as_str(self) -> &'static str {
        match self {
            HandoverKind::Case => "case",
            HandoverKind::CableLock => "cable-lock",
            HandoverKind::Fine => "fine",
            HandoverKind::Alert => "alert",
            HandoverKind::Note => "note",
        }
    }
    /// The kind of a word, if it is one.
    pub fn parse(s: &str) -> Option<HandoverKind> {
        [
            HandoverKind::Case,
            HandoverKind::CableLock,
            HandoverKind::Fine,
            HandoverKind::Alert,
            HandoverKind::Note,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One thing handed over: its kind, the rider it is about, and what to do, in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HandoverItem {
    /// The item's number.
    pub id: i64,
    /// What it is (a case, a permission, a fine, an alert, the note).
    pub kind: HandoverKind,
    /// The rider it is about, if any.
    pub rider: Option<RiderId>,
    /// What is open, in words.
    pub text: String,
    /// Who took it over, and when (`None`: it stays on the list): `[staff, at]`.
    #[schema(min_items = 2, max_items = 2)]
    pub acked: Option<(String, DateTime<Utc>)>,
}

/// A shift's handover: who handed over, when, and the items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Handover {
    /// The handover's number.
    pub id: i64,
    /// Who handed the shift over.
    pub staff: String,
    /// When.
    pub at: DateTime<Utc>,
    /// What is still to be taken over.
    pub items: Vec<HandoverItem>,
}

/// What one staff member's desk holds now: the cases they see (theirs and the desk's;
/// a supervisor's: all open ones), overdue first, and the handovers with items nobody
/// took over yet (but their own).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DeskFile {
    /// The cases the staff member may see, overdue first.
    pub cases: Vec<Case>,
    /// Handovers with items still to be taken over.
    pub handovers: Vec<Handover>,
    /// Whom a case may be given to, by name: every enabled staff member who works cases
    /// (for one who may reassign them; empty for others).
    #[serde(default)]
    pub assignable: Vec<String>,
}
