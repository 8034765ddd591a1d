//! A rider and their account as the desk sees them: registration, the account view (pass,
//! balances, open rental, trips, ledger, fines, messages), search hits, personal data.

use super::fleet::Rental;
use crate::domain::fine::{FineKind, FineStatus};
use crate::domain::ledger::EntryKind;
use crate::domain::rental::PinTries;
use crate::domain::rules::RestrictionSource;
use crate::domain::{Born, EntryId, RentalId, RiderId, Tenge};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The open rental with its live duration and price.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OpenRental {
    pub rental: Rental,
    pub seconds: i64,
    pub overdue: bool,
    pub live_price: Tenge,
}

/// Everything an agent sees about a rider (DOMAIN §5).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RiderView {
    pub rider: Rider,
    pub pass: Option<Pass>,
    pub passes: Vec<Pass>,
    pub available: Tenge,
    pub debt: Tenge,
    pub pending: Vec<Accrual>,
    pub open_rental: Option<OpenRental>,
    pub trips: Vec<Rental>,
    pub trip_count: u32,
    pub ledger: Vec<Entry>,
    pub fines: Vec<Fine>,
    pub messages: Vec<Message>,
    /// Staff's notes on the rider, newest first ([`crate::api::Op::Note`]; kept in the audit log).
    #[serde(default)]
    pub notes: Vec<super::AuditRecord>,
    /// D29: until when unlocks and cable locks are refused, while they are.
    #[serde(default)]
    pub pin_locked_until: Option<DateTime<Utc>>,
    /// R18, D12: for a rider restricted by a posting, the money that would lift it now.
    #[serde(default)]
    pub lifts_with: Option<Tenge>,
}

impl RiderView {
    /// D17: why the rider cannot rent, in words; `None` when they can as far as access goes.
    pub fn stop_reason(&self) -> Option<String> {
        if let Some(b) = &self.rider.blocked_reason {
            return Some(format!("BLOCKED: {b}"));
        }
        if self.rider.restricted {
            return Some(format!(
                "RESTRICTED: {}",
                self.rider.restricted_reason.clone().unwrap_or_default()
            ));
        }
        None
    }

    /// The total of the rider's fines of `kind` that were not rejected.
    pub fn fined(&self, kind: FineKind) -> Tenge {
        self.fines
            .iter()
            .filter(|f| f.kind == kind && f.status != FineStatus::Rejected)
            .map(|f| f.amount)
            .sum()
    }
}

/// A rider's personal data, shown unmasked only on a staff member's reasoned request
/// (`Backend::reveal_rider`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Personal {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub document: Option<String>,
    pub address: Option<String>,
    pub patronymic: String,
    pub born: crate::domain::Born,
}

impl Personal {
    /// The personal data of a rider record.
    pub fn of(r: &Rider) -> Personal {
        Personal {
            phone: r.phone.clone(),
            email: r.email.clone(),
            document: r.document.clone(),
            address: r.address.clone(),
            patronymic: r.patronymic.clone(),
            born: r.born,
        }
    }
}

/// A rider to register.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewRider {
    pub id: Option<RiderId>,
    pub surname: String,
    pub name: String,
    pub patronymic: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub document: Option<String>,
    pub address: Option<String>,
    pub born: NaiveDate,
    pub resident: bool,
    pub concession: Option<String>,
    pub lang: String,
    pub pin: String,
    pub card: Option<String>,
}

/// A rider as stored (the PIN only as a hash).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Rider {
    pub id: RiderId,
    pub surname: String,
    pub name: String,
    pub patronymic: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub document: Option<String>,
    pub address: Option<String>,
    /// The whole date in the store; masked to the year in answers that hide personal data.
    pub born: Born,
    pub resident: bool,
    pub concession: Option<String>,
    pub lang: String,
    pub card: Option<String>,
    pub card_blocked: bool,
    pub blocked_reason: Option<String>,
    pub restricted: bool,
    pub restricted_reason: Option<String>,
    /// Who restricted the rider, while restricted (D12).
    #[serde(default)]
    pub restriction: Option<RestrictionSource>,
    pub balance: Tenge,
    pub bonus: Tenge,
    pub deposit: Tenge,
    pub accrued: Tenge,
    pub created_at: DateTime<Utc>,
    /// Wrong PINs in a row (D29).
    #[serde(default)]
    pub pin_tries: PinTries,
    /// When the contract ended (R25), if it did.
    #[serde(default)]
    pub contract_ended_at: Option<DateTime<Utc>>,
}

impl Rider {
    /// The patronymic to its initial (`Сергеевич` → `С.`) and the birth date to its year:
    /// enough to recognise a rider, not to copy their data (masking is idempotent).
    pub fn hide_name_and_birthday(&mut self) {
        self.patronymic = self
            .patronymic
            .trim()
            .chars()
            .next()
            .map(|ch| format!("{ch}."))
            .unwrap_or_default();
        self.born = self.born.masked();
    }

    /// Surname, name and patronymic, as a document has them.
    pub fn full_name(&self) -> String {
        [&self.surname, &self.name, &self.patronymic]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A line of search results.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RiderHit {
    pub id: RiderId,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub balance: Tenge,
    pub matched: String,
}

/// A pass a rider bought.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pass {
    pub id: i64,
    pub rider: RiderId,
    pub pass: String,
    pub label: String,
    pub price: Tenge,
    pub bought_at: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub all_inclusive: bool,
    pub deposit: Tenge,
    pub overuse_per_day: Tenge,
    /// The end by the pass's own period, before the season caps it; `None` for a pass that
    /// runs to the season's end (D21: a change of the season moves `ends_at` from this).
    #[serde(default)]
    pub period_end: Option<DateTime<Utc>>,
}

impl Pass {
    /// The instant the pass stops being valid (its window end, or an early end).
    pub fn valid_until(&self) -> DateTime<Utc> {
        match self.ended_at {
            Some(e) if e < self.ends_at => e,
            _ => self.ends_at,
        }
    }
    /// Whether the pass covers `at` (from its start to its end).
    pub fn valid_at(&self, at: DateTime<Utc>) -> bool {
        self.starts_at <= at && at < self.valid_until()
    }

    /// The pass as the window rules see it (D19).
    pub fn span(&self) -> crate::domain::rental::PassSpan {
        crate::domain::rental::PassSpan {
            starts_at: self.starts_at,
            valid_until: self.valid_until(),
            all_inclusive: self.all_inclusive,
        }
    }
}

/// A fine, pending approval or posted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fine {
    pub id: i64,
    pub rider: RiderId,
    pub kind: FineKind,
    pub amount: Tenge,
    pub rental: Option<RentalId>,
    pub note: String,
    pub entered_by: String,
    pub entered_at: DateTime<Utc>,
    pub status: FineStatus,
    pub decided_by: Option<String>,
    pub entry: Option<EntryId>,
}

/// A charge accrued and not yet posted (R17).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Accrual {
    pub id: i64,
    pub rider: RiderId,
    pub kind: EntryKind,
    pub amount: Tenge,
    pub at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub label: String,
    pub rental: Option<RentalId>,
}

/// A ledger entry as shown and verified.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub id: EntryId,
    pub rider: RiderId,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub money: Tenge,
    pub bonus: Tenge,
    pub deposit: Tenge,
    pub actor: String,
    pub reason: String,
    pub method: Option<String>,
    pub corrects: Option<EntryId>,
    pub rental: Option<RentalId>,
    /// Running money balance after this entry.
    pub running: Tenge,
    /// For incoming money: the debts it settled `(debt entry, amount)` (D10).
    pub settled: Vec<(EntryId, Tenge)>,
    /// For a debt: what settled it `(credit entry, amount)`.
    pub settled_by: Vec<(EntryId, Tenge)>,
}

/// A message the system sent (or would send) to a rider (R27).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Message {
    pub id: i64,
    pub rider: RiderId,
    pub at: DateTime<Utc>,
    pub channel: String,
    pub lang: String,
    pub kind: String,
    pub text: String,
}
