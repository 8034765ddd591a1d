//! The shapes of the engine's and the store's answers as `/openapi.json` describes them.
//! Those types belong to layers that know nothing of HTTP (no `utoipa` there), so their
//! JSON is described here, field for field as serde writes it, for the document only:
//! nothing is ever built from these. `tests/openapi.rs` checks real answers against the
//! document, and the schemathesis run of `.ci/schemathesis.sh` checks every route's.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, Utc};
use utoipa::ToSchema;

/// A staff member's role.
#[derive(ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Agent,
    Depot,
    Supervisor,
    Admin,
}

/// How money arrived (R20).
#[derive(ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PayMethod {
    Cash,
    Card,
    Bank,
}

/// A station to create or update (its docks are created up to `docks`).
#[derive(ToSchema)]
pub struct NewStation {
    /// The station's code.
    #[schema(minimum = 1, maximum = 999_999_999)]
    pub id: i64,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(max_length = 200)]
    pub name_kk: Option<String>,
    #[schema(max_length = 200)]
    pub name_en: Option<String>,
    #[schema(max_length = 500)]
    pub address: String,
    #[schema(minimum = -90, maximum = 90)]
    pub lat: f64,
    #[schema(minimum = -180, maximum = 180)]
    pub lon: f64,
    #[schema(minimum = 1, maximum = 500)]
    pub docks: u32,
    pub active: bool,
}

/// A rider to register.
#[derive(ToSchema)]
pub struct NewRider {
    /// The rider's ID; the next free one when absent.
    #[schema(minimum = 1, maximum = 999_999_999)]
    pub id: Option<i64>,
    #[schema(min_length = 1, max_length = 100)]
    pub surname: String,
    #[schema(max_length = 100)]
    pub name: String,
    #[schema(max_length = 100)]
    pub patronymic: String,
    #[schema(max_length = 100)]
    pub phone: Option<String>,
    #[schema(max_length = 200)]
    pub email: Option<String>,
    #[schema(max_length = 100)]
    pub document: Option<String>,
    #[schema(max_length = 500)]
    pub address: Option<String>,
    /// From 1900-01-01 to today.
    pub born: NaiveDate,
    pub resident: bool,
    /// `student`, `pensioner`, `disability-3`.
    #[schema(max_length = 100)]
    pub concession: Option<String>,
    #[schema(pattern = "^(kk|ru|en)$")]
    pub lang: String,
    /// 4 to 8 digits.
    #[schema(pattern = "^[0-9]{4,8}$")]
    pub pin: String,
    #[schema(max_length = 100)]
    pub card: Option<String>,
}

/// The system: the city and time zone to anyone; the rest with a login.
#[derive(ToSchema)]
pub struct Info {
    pub city: String,
    pub time_zone: String,
    /// With a login: `server database PATH`.
    pub location: Option<String>,
    /// With a login.
    pub simulated_clock: Option<bool>,
}

#[derive(ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BikeState {
    Docked,
    Rental,
    CableLocked,
    Van,
    Repair,
    Lost,
}

#[derive(ToSchema)]
pub struct Bike {
    pub id: i64,
    pub state: BikeState,
    pub station: Option<i64>,
    pub dock: Option<u32>,
    pub faulty: bool,
    /// Staff's notes on the bike, pinned first (sent when there are some).
    #[schema(required = false)]
    pub notes: Vec<Note>,
}

/// A staff member's note on a rider, a bike or a station (issue 17).
#[derive(ToSchema)]
pub struct Note {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub staff: String,
    /// `{"type": "rider"|"bike"|"station", "id": N}`.
    pub about: serde_json::Value,
    pub text: String,
    pub pinned: bool,
}

/// A station with its live counts.
#[derive(ToSchema)]
pub struct StationCounts {
    pub id: i64,
    pub name: String,
    pub name_kk: Option<String>,
    pub name_en: Option<String>,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub active: bool,
    pub target_fill: u32,
    pub docks: u32,
    pub bikes: u32,
    pub free_docks: u32,
    pub out_of_service: u32,
    pub cable_locked: u32,
    pub faulty: u32,
    pub updated_at: DateTime<Utc>,
}

#[derive(ToSchema)]
pub struct Dock {
    pub number: u32,
    pub in_service: bool,
    pub bike: Option<i64>,
}

/// A station with its docks and the bikes there.
#[derive(ToSchema)]
pub struct StationView {
    pub station: StationCounts,
    pub docks: Vec<Dock>,
    pub bikes: Vec<Bike>,
    /// The notes on the station and on the bikes standing there, pinned first.
    pub notes: Vec<Note>,
}

/// A line of search results (personal data masked).
#[derive(ToSchema)]
pub struct RiderHit {
    pub id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub balance: i64,
    /// What matched: `id`, `phone`, `name`, …
    pub matched: String,
}

/// A rider (personal data masked unless revealed).
#[derive(ToSchema)]
pub struct Rider {
    pub id: i64,
    pub surname: String,
    pub name: String,
    pub patronymic: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub document: Option<String>,
    pub address: Option<String>,
    /// `1990-05-17`, or `1990-**-**` masked.
    #[schema(example = "1990-**-**")]
    pub born: String,
    pub resident: bool,
    pub concession: Option<String>,
    pub lang: String,
    pub card: Option<String>,
    pub card_blocked: bool,
    pub blocked_reason: Option<String>,
    pub restricted: bool,
    pub restricted_reason: Option<String>,
    pub balance: i64,
    pub bonus: i64,
    pub deposit: i64,
    pub accrued: i64,
    pub created_at: DateTime<Utc>,
}

/// A pass a rider bought.
#[derive(ToSchema)]
pub struct Pass {
    pub id: i64,
    pub rider: i64,
    pub pass: String,
    pub label: String,
    pub price: i64,
    pub bought_at: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub all_inclusive: bool,
    pub deposit: i64,
    pub overuse_per_day: i64,
}

/// A rental, open or ended.
#[derive(ToSchema)]
pub struct Rental {
    pub id: i64,
    pub rider: i64,
    pub bike: i64,
    pub pass_id: i64,
    pub chain: i64,
    pub start_at: DateTime<Utc>,
    pub start_station: Option<i64>,
    pub end_at: Option<DateTime<Utc>>,
    pub end_station: Option<i64>,
    pub end_how: Option<String>,
    pub lock_error_at: Option<DateTime<Utc>>,
    pub lock_error_station: Option<i64>,
    pub charge: Option<i64>,
    pub overdue_at: Option<DateTime<Utc>>,
}

/// Everything an agent sees about a rider.
#[derive(ToSchema)]
pub struct RiderView {
    pub rider: Rider,
    pub pass: Option<Pass>,
    pub passes: Vec<Pass>,
    pub available: i64,
    pub debt: i64,
    /// Accrued charges not yet posted (R17).
    pub pending: Vec<serde_json::Value>,
    /// The open rental with its live duration and price.
    pub open_rental: Option<serde_json::Value>,
    pub trips: Vec<Rental>,
    pub trip_count: u32,
    /// Ledger entries with their running balance.
    pub ledger: Vec<serde_json::Value>,
    pub fines: Vec<serde_json::Value>,
    /// The outbox: what the rider was told (R27), newest first.
    pub messages: Vec<serde_json::Value>,
    /// Staff's notes on the rider, pinned first.
    pub notes: Vec<Note>,
    /// The rider's contacts with the desk (reason, outcome, who, when, actions linked).
    pub contacts: Vec<serde_json::Value>,
    /// The rider's cases.
    pub cases: Vec<crate::api::Case>,
}

/// Something that needs an operator.
#[derive(ToSchema)]
pub struct Alert {
    /// `overdue`, `lock-error`, `cable-lock-call`, `empty-station`, `full-station`,
    /// `restricted-in-debt`, `fine-approval`, `login-locked`, …
    pub kind: String,
    pub text: String,
    pub rider: Option<i64>,
    pub station: Option<i64>,
    pub since: Option<DateTime<Utc>>,
    /// The bike it is about, where it is about one.
    pub bike: Option<i64>,
    /// The money it is about (a fine waiting, a debt).
    pub amount: Option<i64>,
    /// Until when it holds (a PIN lock).
    pub until: Option<DateTime<Utc>>,
    /// Who took it ("I am on it") and when: `[staff, at]`.
    #[schema(value_type = Option<Vec<String>>, min_items = 2, max_items = 2)]
    pub taken: Option<(String, DateTime<Utc>)>,
}

/// One record about a disputed trip's bike: when, where, at which dock, and what (`what`:
/// `lock-error`, `unrecognised`, `asked-for`, `next-rental`, `depot-took`; `rider` for the
/// other rider's).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Sighting {
    at: DateTime<Utc>,
    station: i64,
    dock: Option<u32>,
    seen: serde_json::Value,
}

/// The evidence of a docking dispute and the rule's finding (issue 17).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct DisputeEvidence {
    rider: i64,
    rental: i64,
    bike: i64,
    open: bool,
    start_at: DateTime<Utc>,
    end_at: Option<DateTime<Utc>>,
    end_station: Option<i64>,
    /// `{station, at}`: where and when the rider says they docked.
    claim: serde_json::Value,
    sightings: Vec<Sighting>,
    dock_faults: Vec<Sighting>,
    /// `{at, station, report, proof}` (indexes into `sightings`), or null.
    fair: Option<serde_json::Value>,
    /// Why there is no fair end (`no-proof`, `in-the-future`, …), or null.
    no_case: Option<String>,
    price: i64,
    fair_price: Option<i64>,
    /// `{settle: end-at, at}` or `{settle: credit, amount}`, or null.
    settlement: Option<serde_json::Value>,
}

/// One audited staff action.
#[derive(ToSchema)]
pub struct AuditRecord {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub at_local: String,
    pub staff: String,
    pub role: String,
    pub action: String,
    pub rider: Option<i64>,
    pub target: String,
    pub reason: String,
    pub details: String,
}

#[derive(ToSchema)]
pub struct PriceItem {
    /// `trip-charge`, `late-fine` or `overuse`.
    pub kind: String,
    /// The line in English words.
    pub label: String,
    pub amount: i64,
    /// The rules behind it (`R3, D2`).
    pub rules: String,
    /// What the line counts, as data, for a client to word in its language.
    pub detail: Option<crate::domain::pricing::ItemDetail>,
}

/// An itemised trip price.
#[derive(ToSchema)]
pub struct Quote {
    pub seconds: i64,
    pub minutes: i64,
    pub pass: String,
    pub items: Vec<PriceItem>,
    pub total: i64,
}

/// A rider whose cached balances disagree with the ledger.
#[derive(ToSchema)]
pub struct Mismatch {
    pub rider: i64,
    pub what: String,
    pub cached: i64,
    pub from_entries: i64,
}

/// A broken fleet invariant.
#[derive(ToSchema)]
pub struct FleetProblem {
    pub check: String,
    pub subject: String,
    pub detail: String,
}

/// What the nightly postings did.
#[derive(ToSchema)]
pub struct PostingReport {
    pub midnights: u32,
    pub entries: u64,
    pub riders: u64,
    pub total: i64,
    pub restricted: u64,
    pub lifted: u64,
    pub deposits_released: u64,
}

/// What the desk's forms need: the tariff in force (TOML), the fine approval threshold
/// (D14), how long a cable-lock permission lasts (R14).
#[derive(ToSchema)]
pub struct DeskInfo {
    pub tariff_file: String,
    pub tariff_source: String,
    pub approval_threshold: i64,
    pub cable_auth_valid_s: i64,
}

#[derive(ToSchema)]
pub struct FineEntry {
    pub fine: i64,
    pub amount: i64,
}

/// A fine posted, or waiting for a supervisor's approval (D14).
#[derive(ToSchema)]
pub enum FineOutcome {
    Posted(FineEntry),
    AwaitingApproval(FineEntry),
}

/// Something that changed (the `data:` of the stream, an item of the event log).
#[derive(ToSchema)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Event {
    StationChanged {
        station: i64,
    },
    RentalStarted {
        rider: i64,
        bike: i64,
        station: Option<i64>,
    },
    RentalEnded {
        rider: i64,
        bike: i64,
        station: Option<i64>,
        charge: i64,
    },
    Alert {
        kind: String,
        text: String,
        rider: Option<i64>,
        station: Option<i64>,
    },
    LedgerPosted {
        rider: Option<i64>,
        entries: u64,
    },
    RiderChanged {
        rider: i64,
    },
}

/// An event of the log with its id: `[id, event]`.
pub struct LoggedEvent;

impl utoipa::PartialSchema for LoggedEvent {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, Object, Schema, Type};
        use utoipa::openapi::{Ref, RefOr};
        let id: Schema = Object::with_type(Type::Integer).into();
        let event: RefOr<Schema> = Ref::from_schema_name("Event").into();
        let pair = ArrayBuilder::new()
            .prefix_items([id, schema_of(event)])
            .items(utoipa::openapi::schema::ArrayItems::False)
            .min_items(Some(2))
            .max_items(Some(2))
            .description(Some("[id, event]"))
            .build();
        RefOr::T(Schema::Array(pair))
    }
}

impl ToSchema for LoggedEvent {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        schemas.push(("Event".into(), <Event as utoipa::PartialSchema>::schema()));
        <Event as ToSchema>::schemas(schemas);
    }
}

/// A `$ref` as a schema of `prefixItems` (which holds schemas, not references).
fn schema_of(
    r: utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
) -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{AllOfBuilder, Schema};
    match r {
        utoipa::openapi::RefOr::T(s) => s,
        reference => Schema::AllOf(AllOfBuilder::new().item(reference).build()),
    }
}

/// A JSON `null`: the answer of an action that has nothing to tell but its success.
pub struct Null;

impl utoipa::PartialSchema for Null {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{Object, Type};
        utoipa::openapi::RefOr::T(Object::with_type(Type::Null).into())
    }
}

impl ToSchema for Null {
    fn name() -> std::borrow::Cow<'static, str> {
        "Null".into()
    }
}

/// An operation as data: `op` names it (`pay`, `fine`, `service-release`…), its other
/// fields are the operation's own, as `velodesk::api::Op` has them.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OpRequest {
    /// The operation's name, kebab-case.
    op: String,
}

/// What an operation did: `outcome` names the kind of answer (`done`, `entry`, `pass`,
/// `rental`, `priced`, `fine`, `amount`, `dock`, `rider`, `posted`, `van-stop`, `id`,
/// `handover`), `value` holds it.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OpOutcome {
    outcome: String,
    value: Option<serde_json::Value>,
}
