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
use utoipa::ToSchema;

/// The open rental with its live duration and price.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OpenRental {
    /// The rental.
    pub rental: Rental,
    /// How long it has run.
    pub seconds: i64,
    /// Overdue now (R15, D20).
    pub overdue: bool,
    /// Its price if it ended now.
    pub live_price: Tenge,
}

/// Everything an agent sees about a rider (DOMAIN §5).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RiderView {
    /// The rider.
    pub rider: Rider,
    /// The pass valid now, if any.
    pub pass: Option<Pass>,
    /// All their passes, newest first.
    pub passes: Vec<Pass>,
    /// What they may spend (D15).
    pub available: Tenge,
    /// Their unpaid debt (D10).
    pub debt: Tenge,
    /// Charges accrued, not yet posted (R17).
    pub pending: Vec<Accrual>,
    /// The bike out now, if any.
    pub open_rental: Option<OpenRental>,
    /// Their latest trips.
    pub trips: Vec<Rental>,
    /// How many trips they made (a chain counts once).
    pub trip_count: u32,
    /// Their ledger entries.
    pub ledger: Vec<Entry>,
    /// Their fines.
    pub fines: Vec<Fine>,
    /// The messages sent to them (R27).
    pub messages: Vec<Message>,
    /// Staff's notes on the rider, pinned first, then newest first ([`crate::api::Op::Note`]).
    // These three are always sent (`default` reads an older server's answer).
    #[serde(default)]
    #[schema(required = true)]
    pub notes: Vec<super::Note>,
    /// The rider's contacts with the desk, newest first (an open one has no outcome yet).
    #[serde(default)]
    #[schema(required = true)]
    pub contacts: Vec<super::Contact>,
    /// The rider's cases, newest first.
    #[serde(default)]
    #[schema(required = true)]
    pub cases: Vec<super::Case>,
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
    /// The phone number.
    pub phone: Option<String>,
    /// The e-mail address.
    pub email: Option<String>,
    /// The identity document's number.
    pub document: Option<String>,
    /// The street address.
    pub address: Option<String>,
    /// The patronymic, if any.
    pub patronymic: String,
    /// Date of birth.
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NewRider {
    /// The rider's ID (`None`: the next free one).
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 999_999_999)]
    pub id: Option<RiderId>,
    /// The surname.
    #[schema(min_length = 1, max_length = 100)]
    pub surname: String,
    /// The name.
    #[schema(max_length = 100)]
    pub name: String,
    /// The patronymic, if any.
    #[schema(max_length = 100)]
    pub patronymic: String,
    /// The phone number.
    #[schema(max_length = 100)]
    pub phone: Option<String>,
    /// The e-mail address.
    #[schema(max_length = 200)]
    pub email: Option<String>,
    /// The identity document's number.
    #[schema(max_length = 100)]
    pub document: Option<String>,
    /// The street address.
    #[schema(max_length = 500)]
    pub address: Option<String>,
    /// Date of birth (R8), from 1900-01-01 to today.
    pub born: NaiveDate,
    /// A resident of Kazakhstan (R2).
    pub resident: bool,
    /// The concession category, if any (D23): `student`, `pensioner`, `disability3`, …
    #[schema(max_length = 100)]
    pub concession: Option<String>,
    /// The rider's language for messages (kk, ru, en; R27).
    #[schema(pattern = "^(kk|ru|en)$")]
    pub lang: String,
    /// Their PIN: 4 to 8 digits.
    #[schema(pattern = "^[0-9]{4,8}$")]
    pub pin: String,
    /// Their card number, if any.
    #[schema(max_length = 100)]
    pub card: Option<String>,
}

/// A rider as stored (the PIN only as a hash).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct Rider {
    /// The rider's ID.
    pub id: RiderId,
    /// The surname.
    pub surname: String,
    /// The name.
    pub name: String,
    /// The patronymic, if any.
    pub patronymic: String,
    /// The phone number.
    pub phone: Option<String>,
    /// The e-mail address.
    pub email: Option<String>,
    /// The identity document's number.
    pub document: Option<String>,
    /// The street address.
    pub address: Option<String>,
    /// The whole date in the store; masked to the year in answers that hide personal data
    /// (`1990-05-17`, `1990-**-**`).
    #[schema(value_type = String, example = "1990-**-**")]
    pub born: Born,
    /// A resident of Kazakhstan (R2).
    pub resident: bool,
    /// The concession category, if any (D23).
    pub concession: Option<String>,
    /// The rider's language for messages (kk, ru, en; R27).
    pub lang: String,
    /// The card number, if any.
    pub card: Option<String>,
    /// The card is blocked (R24).
    pub card_blocked: bool,
    /// Why access is blocked, if it is (R24, D17).
    pub blocked_reason: Option<String>,
    /// Restricted: no rentals (R18 at a posting, D12 by hand).
    pub restricted: bool,
    /// Why, if restricted.
    pub restricted_reason: Option<String>,
    /// Who restricted the rider, while restricted (D12).
    #[serde(default)]
    pub restriction: Option<RestrictionSource>,
    /// The money balance (R16).
    pub balance: Tenge,
    /// The bonus balance (R6, D11).
    pub bonus: Tenge,
    /// The deposit held (R5).
    pub deposit: Tenge,
    /// Charges accrued, not yet posted (R17).
    pub accrued: Tenge,
    /// When they registered.
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
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RiderHit {
    /// The rider's ID.
    pub id: RiderId,
    /// Their name.
    pub name: String,
    /// Their phone (masked for who may not see it).
    pub phone: Option<String>,
    /// Their e-mail (masked likewise).
    pub email: Option<String>,
    /// Their balance.
    pub balance: Tenge,
    /// What the search matched.
    pub matched: String,
}

/// A pass a rider bought.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Pass {
    /// The pass's id.
    pub id: i64,
    /// The rider.
    pub rider: RiderId,
    /// Its id in the tariff (`monthly`…).
    pub pass: String,
    /// The label shown.
    pub label: String,
    /// What it cost.
    pub price: Tenge,
    /// When it was bought.
    pub bought_at: DateTime<Utc>,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// When it ends (D6, D21).
    pub ends_at: DateTime<Utc>,
    /// When it was ended early (R25), if it was.
    pub ended_at: Option<DateTime<Utc>>,
    /// A daily pass: time costs nothing in its window (R5).
    pub all_inclusive: bool,
    /// The deposit it needs (R5, D18).
    pub deposit: Tenge,
    /// What a day past its window costs (R5).
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
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Fine {
    /// The fine's id.
    pub id: i64,
    /// The rider.
    pub rider: RiderId,
    /// Its kind (A3 table 4).
    pub kind: FineKind,
    /// The amount.
    pub amount: Tenge,
    /// The rental it is for, if any.
    pub rental: Option<RentalId>,
    /// The note it was entered with.
    pub note: String,
    /// Who entered it (`system` for a late fine).
    pub entered_by: String,
    /// When it was entered.
    pub entered_at: DateTime<Utc>,
    /// Pending, posted or rejected (D14).
    pub status: FineStatus,
    /// Who approved or rejected it.
    pub decided_by: Option<String>,
    /// The ledger entry it posted as.
    pub entry: Option<EntryId>,
}

/// A charge accrued and not yet posted (R17).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Accrual {
    /// The accrual's id.
    pub id: i64,
    /// The rider.
    pub rider: RiderId,
    /// What it charges.
    pub kind: EntryKind,
    /// The amount.
    pub amount: Tenge,
    /// When it arose.
    pub at: DateTime<Utc>,
    /// When it posts (R17).
    pub due_at: DateTime<Utc>,
    /// Its words on the ledger.
    pub label: String,
    /// The rental it is for, if any.
    pub rental: Option<RentalId>,
}

/// A ledger entry as shown and verified.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Entry {
    /// The entry's id.
    pub id: EntryId,
    /// The rider.
    pub rider: RiderId,
    /// When it was made.
    pub at: DateTime<Utc>,
    /// What it records.
    pub kind: String,
    /// Its move of the money balance.
    pub money: Tenge,
    /// Its move of the bonus.
    pub bonus: Tenge,
    /// Its move of the deposit.
    pub deposit: Tenge,
    /// Who made it (D9).
    pub actor: String,
    /// Why, in words.
    pub reason: String,
    /// How money came, for a payment.
    pub method: Option<String>,
    /// The entry it corrects (D9), if any.
    pub corrects: Option<EntryId>,
    /// The rental it is for, if any.
    pub rental: Option<RentalId>,
    /// Running money balance after this entry.
    pub running: Tenge,
    /// For incoming money: the debts it settled `(debt entry, amount)` (D10).
    pub settled: Vec<(EntryId, Tenge)>,
    /// For a debt: what settled it `(credit entry, amount)`.
    pub settled_by: Vec<(EntryId, Tenge)>,
}

/// A message the system sent (or would send) to a rider (R27).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct Message {
    /// The message's id.
    pub id: i64,
    /// The rider.
    pub rider: RiderId,
    /// When it was written.
    pub at: DateTime<Utc>,
    /// How it is sent (SMS, push).
    pub channel: String,
    /// Its language.
    pub lang: String,
    /// What it is about.
    pub kind: String,
    /// Its words.
    pub text: String,
}
