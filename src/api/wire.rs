//! The JSON shapes of the HTTP API: request bodies and the answers that are not engine
//! types. The server parses them, the remote backend builds them: one definition, no drift.
//! Money is whole tenge (`i64`), ids are integers, times RFC 3339.

use crate::api::PayMethod;
use crate::domain::rental::DockOutcome;
use crate::domain::roles::Role;
use crate::domain::{BikeId, EntryId, RentalId, RiderId, StationId, Tenge};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `POST /auth/login`: who logs in.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The staff member's name.
    pub username: String,
    /// The password.
    pub password: String,
}

/// A session's token and who it is.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginResponse {
    /// Opaque bearer token (`Authorization: Bearer …`), valid until `expires_at`.
    pub token: String,
    /// Who logged in.
    pub staff: String,
    /// Their role.
    pub role: Role,
    /// When the session ends.
    pub expires_at: DateTime<Utc>,
}

/// Who the token belongs to.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Me {
    /// Who is logged in.
    pub staff: String,
    /// Their role.
    pub role: Role,
}

/// `POST /riders/{id}/payments`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayRequest {
    /// Whole tenge, 1 to 10,000,000 (D30).
    #[schema(value_type = i64, minimum = 1, maximum = 10_000_000, example = 5000)]
    pub amount: Tenge,
    /// How the money came: cash, card or bank.
    pub method: PayMethod,
}

/// `POST /riders/{id}/passes`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BuyRequest {
    /// A pass id of the tariff (`monthly`, `daily`, …).
    pub pass: String,
}

/// A body with an amount (`POST /riders/{id}/deposit`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmountRequest {
    /// Whole tenge, 1 to 10,000,000 (D30).
    #[schema(value_type = i64, minimum = 1, maximum = 10_000_000)]
    pub amount: Tenge,
}

/// A body with an amount and a reason (claims, bonus).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmountReasonRequest {
    /// Whole tenge, 1 to 10,000,000 (D30).
    #[schema(value_type = i64, minimum = 1, maximum = 10_000_000)]
    pub amount: Tenge,
    /// Why, in the staff member's words (audited).
    pub reason: String,
}

/// A body naming a station.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StationRequest {
    /// The station.
    pub station: StationId,
}

/// Release a bike for a rider whose own unlock failed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ManualUnlockRequest {
    /// The bike.
    pub bike: BikeId,
    /// Why, in the staff member's words (audited).
    pub reason: String,
}

/// `POST /riders/{id}/rental/end`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndRentalRequest {
    /// Where the bike was left.
    pub station: StationId,
    /// When the rider left the bike (the end of the charge).
    pub at: DateTime<Utc>,
    /// Why, in the staff member's words (audited).
    pub reason: String,
}

/// `POST /riders/{id}/fines`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FineRequest {
    /// `late`, `damage`, `accident`, `no-explanation`, `parts`, `access-sharing`.
    pub kind: String,
    /// Whole tenge, 1 to 10,000,000 (D30); the tariff's amount for the kind when absent.
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 10_000_000)]
    #[serde(default)]
    pub amount: Option<Tenge>,
    #[serde(default)]
    /// The rental it is for, if any.
    pub rental: Option<RentalId>,
    #[serde(default)]
    /// The note (audited).
    pub note: String,
}

/// A body with a reason (block, unblock, reject a fine).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    /// Why, in the staff member's words (audited).
    pub reason: String,
}

/// `POST /riders/{id}/corrections`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectRequest {
    /// The entry it corrects (D9).
    pub entry: EntryId,
    /// Whole tenge, its sign the direction, at most 10,000,000 in size (D30), not 0.
    #[schema(value_type = i64, minimum = -10_000_000, maximum = 10_000_000)]
    pub amount: Tenge,
    /// Why, in the staff member's words (audited).
    pub reason: String,
}

/// `POST /riders/{id}/restriction`: impose (a reason) or lift (none).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestrictionRequest {
    /// A reason imposes a restriction by hand; `null` lifts it (D12).
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    /// Why, in the staff member's words (audited).
    pub note: String,
}

/// `POST /riders/{id}/pin`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PinRequest {
    /// The rider's PIN (four digits, R10).
    pub pin: String,
}

/// A body naming a dock, or none (any).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DockNumberRequest {
    /// The dock to put back in service; any one out of service when absent.
    #[serde(default)]
    pub number: Option<u32>,
}

/// `POST /bikes`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBikeRequest {
    #[schema(value_type = i64, minimum = 1, maximum = 999_999_999)]
    /// The bike's inventory number.
    pub id: BikeId,
    #[serde(default)]
    /// A station to dock it at, if any.
    pub station: Option<StationId>,
}

/// `POST /staff`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaffRequest {
    /// 1 to 64 letters a-z, A-Z, digits, `.`, `_` or `-`.
    #[schema(pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub name: String,
    /// Their role.
    pub role: Role,
    /// Sets the password (Argon2id, 8 to 1,024 characters); without one the account
    /// cannot log in yet.
    #[serde(default)]
    #[schema(min_length = 8, max_length = 1024)]
    pub password: Option<String>,
}

/// `POST /clock` (a simulated system).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockRequest {
    /// The time to move to.
    pub to: DateTime<Utc>,
}

/// An operator's override of the rental season (R8): local dates, both inclusive.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeasonRequest {
    /// In the years 2000 to 2100.
    #[schema(value_type = String, format = Date, example = "2025-04-15")]
    pub from: chrono::NaiveDate,
    /// In the years 2000 to 2100, not before `from`.
    #[schema(value_type = String, format = Date, example = "2025-11-15")]
    pub to: chrono::NaiveDate,
}

/// An empty body (or `{}`) for actions that need nothing more than their path.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

// --- the station side (docks and bikes, authenticated by the station's key) ---

/// `POST /station/{station}/unlock`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnlockRequest {
    /// The rider.
    pub rider: RiderId,
    /// The bike.
    pub bike: BikeId,
    /// The rider's PIN (four digits, R10).
    pub pin: String,
}

/// A dock's body naming a bike.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BikeRequest {
    /// The bike.
    pub bike: BikeId,
}

/// `POST /station/{station}/dock`: the bike and what the dock reports.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DockRequest {
    /// The bike.
    pub bike: BikeId,
    /// The dock reported a lock error: the rental goes on (R12).
    #[serde(default)]
    pub lock_error: bool,
    /// The station did not recognise the bike («Танылмаған станция»): as a lock error (R12).
    #[serde(default)]
    pub unrecognised: bool,
    /// The rider reported the bike faulty (R13).
    #[serde(default)]
    pub faulty: bool,
    /// The dock the bike was pushed into, as the station knows it; when absent the first free
    /// one. A dock that fails three times in a day raises a faulty-dock alert.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 500)]
    pub dock: Option<u32>,
}

impl DockRequest {
    /// The request for what the dock reports.
    pub fn of(bike: BikeId, how: DockOutcome) -> DockRequest {
        DockRequest {
            bike,
            lock_error: how == DockOutcome::LockError,
            unrecognised: how == DockOutcome::Unrecognised,
            faulty: how == DockOutcome::Faulty,
            dock: None,
        }
    }

    /// What the dock reports; at most one of the three may be set.
    pub fn outcome(&self) -> Result<DockOutcome, String> {
        match (self.lock_error, self.unrecognised, self.faulty) {
            (false, false, false) => Ok(DockOutcome::Locked),
            (true, false, false) => Ok(DockOutcome::LockError),
            (false, true, false) => Ok(DockOutcome::Unrecognised),
            (false, false, true) => Ok(DockOutcome::Faulty),
            _ => Err(
                "request body: at most one of `lock_error`, `unrecognised` and `faulty` is true"
                    .into(),
            ),
        }
    }
}

/// `POST /station/{station}/cable-lock`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CableLockRequest {
    /// The bike.
    pub bike: BikeId,
    /// The rider's PIN (four digits, R10).
    pub pin: String,
}

/// A dock's body naming a rider.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RiderRequest {
    /// The rider.
    pub rider: RiderId,
}

/// A new station key, shown once.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StationKey {
    /// The station.
    pub station: StationId,
    /// Its key (a secret, shown once).
    pub key: String,
}
