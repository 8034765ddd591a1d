//! Typed helpers for the desk's case file (issue 17) over [`Backend::execute`], as
//! [`super::Ops`] has them for the other operations: notes, contacts, cards, cases and the
//! handover.

use super::ops::{done, unexpected};
use super::*;
use crate::api::{CaseStatus, Handover, NoteAbout};

/// The desk's operations as methods, for every [`Backend`].
#[async_trait]
pub trait DeskOps: Backend {
    /// [`Op::Note`], [`Op::BikeNote`], [`Op::StationNote`]: a note on `about`, pinned or
    /// not; its id.
    async fn note_on(&self, about: NoteAbout, text: &str, pinned: bool) -> BResult<i64> {
        let text = text.to_string();
        let op = match about {
            NoteAbout::Rider(rider) => Op::Note {
                rider,
                text,
                pinned,
            },
            NoteAbout::Bike(bike) => Op::BikeNote { bike, text, pinned },
            NoteAbout::Station(station) => Op::StationNote {
                station,
                text,
                pinned,
            },
        };
        match self.execute(op).await? {
            Outcome::Id(id) => Ok(id),
            other => unexpected("note", other),
        }
    }
    /// [`Op::PinNote`]: a note pinned or unpinned.
    async fn pin_note(&self, note: i64, pinned: bool) -> BResult<()> {
        done(self.execute(Op::PinNote { note, pinned }).await?)
    }
    /// [`Op::OpenContact`]: a contact with the rider opened for `reason`; its id.
    async fn open_contact(&self, rider: RiderId, reason: &str) -> BResult<i64> {
        let reason = reason.to_string();
        match self.execute(Op::OpenContact { rider, reason }).await? {
            Outcome::Id(id) => Ok(id),
            other => unexpected("open-contact", other),
        }
    }
    /// [`Op::CloseContact`]: the open contact with the rider closed; its id.
    async fn close_contact(&self, rider: RiderId, outcome: &str, note: &str) -> BResult<i64> {
        let (outcome, note) = (outcome.to_string(), note.to_string());
        match self
            .execute(Op::CloseContact {
                rider,
                outcome,
                note,
            })
            .await?
        {
            Outcome::Id(id) => Ok(id),
            other => unexpected("close-contact", other),
        }
    }
    /// [`Op::IssueCard`]: a card issued or replaced (R24); the fee charged.
    async fn issue_card(&self, rider: RiderId, card: &str) -> BResult<Tenge> {
        let card = card.to_string();
        match self.execute(Op::IssueCard { rider, card }).await? {
            Outcome::Amount(fee) => Ok(fee),
            other => unexpected("issue-card", other),
        }
    }
    /// [`Op::OpenCase`]: a case opened; its id.
    async fn open_case(
        &self,
        rider: Option<RiderId>,
        kind: &str,
        next_action: &str,
        due: DateTime<Utc>,
    ) -> BResult<i64> {
        let op = Op::OpenCase {
            rider,
            kind: kind.to_string(),
            next_action: next_action.to_string(),
            due,
            note: String::new(),
        };
        match self.execute(op).await? {
            Outcome::Id(id) => Ok(id),
            other => unexpected("open-case", other),
        }
    }
    /// [`Op::UpdateCase`]: a case's status (and a note) changed.
    async fn set_case_status(&self, case: i64, status: CaseStatus, note: &str) -> BResult<()> {
        done(
            self.execute(Op::UpdateCase {
                case,
                status: Some(status),
                next_action: None,
                due: None,
                note: note.to_string(),
            })
            .await?,
        )
    }
    /// [`Op::AssignCase`]: a case given to `owner`, or back to the desk.
    async fn assign_case(&self, case: i64, owner: Option<&str>) -> BResult<()> {
        let owner = owner.map(str::to_string);
        done(self.execute(Op::AssignCase { case, owner }).await?)
    }
    /// [`Op::Handover`]: the shift handed over; the handover made.
    async fn handover(&self, note: &str) -> BResult<Handover> {
        let note = note.to_string();
        match self.execute(Op::Handover { note }).await? {
            Outcome::Handover(h) => Ok(h),
            other => unexpected("handover", other),
        }
    }
    /// [`Op::AckHandover`]: one item of another's handover taken over.
    async fn ack_handover(&self, item: i64) -> BResult<()> {
        done(self.execute(Op::AckHandover { item }).await?)
    }
}

impl<B: Backend + ?Sized> DeskOps for B {}
