//! What an operation answers ([`Outcome`]), and what a fine entry did.

use super::event::PostingReport;
use super::rider::Pass;
use crate::domain::pricing::Quote;
use crate::domain::{EntryId, RentalId, RiderId, Tenge};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a fine entry did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
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

/// What an operation answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
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
