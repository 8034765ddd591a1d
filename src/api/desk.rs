//! The desk's case file (issue 17) as the shared language: notes on a rider, a bike or a
//! station; contacts with a reason and an outcome; cases with their log; the shift's
//! handover and its items; and [`DeskFile`], what one staff member's desk holds now.

use crate::domain::{BikeId, RiderId, StationId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "kebab-case")]
pub enum NoteAbout {
    Rider(RiderId),
    Bike(BikeId),
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub staff: String,
    pub about: NoteAbout,
    pub text: String,
    pub pinned: bool,
}

/// A call or a visit handled at the desk: its reason, and once closed its outcome and note;
/// `actions` counts the audited actions its staff member took on the rider while it was
/// open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: i64,
    pub rider: RiderId,
    pub staff: String,
    /// A key of `assets/desk/reasons.toml`.
    pub reason: String,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// A key of `assets/desk/outcomes.toml`, once closed.
    pub outcome: Option<String>,
    pub note: String,
    pub actions: u32,
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CaseStatus {
    Open,
    WaitingRider,
    WaitingDepot,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 4] = [
        CaseStatus::Open,
        CaseStatus::WaitingRider,
        CaseStatus::WaitingDepot,
        CaseStatus::Closed,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::WaitingRider => "waiting-rider",
            CaseStatus::WaitingDepot => "waiting-depot",
            CaseStatus::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// One line of a case's log, oldest first: a note or a change of the case (`case`), a
/// contact with the rider (`contact`), a message sent to them (`message`), an action
/// taken on their account (`action`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CaseLine {
    pub at: DateTime<Utc>,
    pub kind: String,
    pub staff: String,
    pub text: String,
}

/// What a call could not finish: a kind (a contact reason), an owner (`None`: the desk's),
/// a status, the next action and when it is due, and its log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Case {
    pub id: i64,
    pub kind: String,
    #[schema(value_type = Option<i64>)]
    pub rider: Option<RiderId>,
    pub owner: Option<String>,
    pub status: CaseStatus,
    pub next_action: String,
    pub due: DateTime<Utc>,
    pub opened_by: String,
    pub opened_at: DateTime<Utc>,
    /// The contact it was opened from.
    pub contact: Option<i64>,
    pub overdue: bool,
    #[serde(default)]
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
    pub fn as_str(self) -> &'static str {
        match self {
            HandoverKind::Case => "case",
            HandoverKind::CableLock => "cable-lock",
            HandoverKind::Fine => "fine",
            HandoverKind::Alert => "alert",
            HandoverKind::Note => "note",
        }
    }
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
    pub id: i64,
    pub kind: HandoverKind,
    #[schema(value_type = Option<i64>)]
    pub rider: Option<RiderId>,
    pub text: String,
    /// Who took it over, and when (`None`: it stays on the list).
    #[schema(value_type = Option<Vec<String>>)]
    pub acked: Option<(String, DateTime<Utc>)>,
}

/// A shift's handover: who handed over, when, and the items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Handover {
    pub id: i64,
    pub staff: String,
    pub at: DateTime<Utc>,
    pub items: Vec<HandoverItem>,
}

/// What one staff member's desk holds now: the cases they see (theirs and the desk's;
/// a supervisor's: all open ones), overdue first, and the handovers with items nobody
/// took over yet (but their own).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DeskFile {
    pub cases: Vec<Case>,
    pub handovers: Vec<Handover>,
}
