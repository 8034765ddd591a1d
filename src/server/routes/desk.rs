//! The desk's actions on a rider (agents, supervisors, admins): money, passes, fines,
//! rentals ended by hand, cable-lock permissions, blocks and restrictions. Each checks the
//! caller's role here and again in the engine; the staff member is always the token's.

use crate::api::Op;
use crate::api::wire::*;
use crate::domain::RiderId;
use crate::domain::roles::StaffAction;
use crate::domain::tariff::FineKind;
use crate::server::auth::AuthStaff;
use crate::server::extract::Call;
use crate::server::idempotent::staff_op;
use crate::server::problem::ApiError;
use crate::server::state::AppState;
use crate::server::{IdempotencyKey, Limited, Problems, validate};
use axum::extract::{Path, State};
use axum::response::Response;

type Answer = Result<Response, ApiError>;

/// Take a payment (R2, R19: oldest debt first).
#[utoipa::path(post, path = "/riders/{id}/payments", tag = "desk",
    params(("id" = i64, Path, description = "rider ID"), IdempotencyKey),
    request_body = PayRequest,
    responses((status = 200, body = i64, description = "the ledger entry", content_type = "application/json"), Problems, Limited))]
pub async fn pay(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<PayRequest>,
) -> Answer {
    who.may(StaffAction::TakePayment)?;
    let b = call.parse()?;
    validate::amount("amount", b.amount, false)?;
    let op = Op::Pay {
        rider: RiderId(id),
        amount: b.amount,
        method: b.method,
    };
    staff_op(&st, &who, call.idem, op).await
}

/// Sell a pass (R16, D15).
#[utoipa::path(post, path = "/riders/{id}/passes", tag = "desk",
    params(("id" = i64, Path, description = "rider ID"), IdempotencyKey),
    request_body = BuyRequest,
    responses((status = 200, body = crate::api::Pass, description = "the pass"), Problems, Limited))]
pub async fn buy(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<BuyRequest>,
) -> Answer {
    who.may(StaffAction::SellPass)?;
    let body = call.parse()?;
    let op = Op::Buy {
        rider: RiderId(id),
        pass: body.pass,
    };
    staff_op(&st, &who, call.idem, op).await
}

/// Hold a deposit (R5, D16).
#[utoipa::path(post, path = "/riders/{id}/deposit", tag = "desk",
    params(("id" = i64, Path, description = "rider ID"), IdempotencyKey),
    request_body = AmountRequest,
    responses((status = 200, body = i64, description = "the ledger entry", content_type = "application/json"), Problems, Limited))]
pub async fn hold_deposit(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<AmountRequest>,
) -> Answer {
    who.may(StaffAction::HoldDeposit)?;
    let body = call.parse()?;
    validate::amount("amount", body.amount, false)?;
    let op = Op::HoldDeposit {
        rider: RiderId(id),
        amount: body.amount,
    };
    staff_op(&st, &who, call.idem, op).await
}

/// Permit a cable lock at a station for the rider's open rental (R14).
#[utoipa::path(post, path = "/riders/{id}/cable-lock-permission", tag = "desk",
    params(("id" = i64, Path, description = "rider ID"), IdempotencyKey),
    request_body = StationRequest,
    responses((status = 200, body = crate::server::schema::Null, description = "null", content_type = "application/json"), Problems, Limited))]
pub async fn authorise_cable_lock(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<StationRequest>,
) -> Answer {
    who.may(StaffAction::AuthoriseCableLock)?;
    let body = call.parse()?;
    let op = Op::AuthoriseCableLock {
        rider: RiderId(id),
        station: body.station,
    };
    staff_op(&st, &who, call.idem, op).await
}

/// Release a bike for the rider whose own unlock failed (no PIN; every other rule; audited
/// with the reason). The rider then has the unlock window to pull it (R10).
#[utoipa::path(post, path = "/riders/{id}/manual-unlock", tag = "desk",
    params(("id" = i64, Path, description = "rider ID"), IdempotencyKey),
    request_body = ManualUnlockRequest,
    responses((status = 200, body = crate::server::schema::Null, description = "null", content_type = "application/json"), Problems, Limited))]
pub async fn manual_unlock(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<ManualUnlockRequest>,
) -> Answer {
    who.may(StaffAction::ManualUnlock)?;
    let b = call.parse()?;
    let op = Op::ManualUnlock {
        rider: RiderId(id),
        bike: b.bike,
        reason: b.reason,
    };
    staff_op(&st, &who, call.idem, op).await
}

/// End the rider's rental by hand (R12).
#[utoipa::path(post, path = "/riders/{id}/rental/end", tag = "desk",
    params(("id" = i64, Path, description = "rider ID"), IdempotencyKey),
    request_body = EndRentalRequest,
    responses((status = 200, body = crate::domain::pricing::Quote, description = "the trip's price"), Problems, Limited))]
pub async fn end_rental(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<EndRentalRequest>,
) -> Answer {
    who.may(StaffAction::EndRental)?;
    let b = call.parse()?;
    let op = Op::EndRental {
        rider: RiderId(id),
        station: b.station,
        at: b.at,
        reason: b.reason,
    };
    staff_op(&st, &who, call.idem, op).await
}

/// Enter a fine (R21–R24); above the threshold it waits for approval (D14).
#[utoipa::path(post, path = "/riders/{id}/fines", tag = "desk",
    params(("id" = i64, Path, description = "rider ID"), IdempotencyKey),
    request_body = FineRequest,
    responses((status = 200, body = crate::api::FineOutcome, description = "posted or awaiting approval"), Problems, Limited))]
pub async fn fine(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<FineRequest>,
) -> Answer {
    who.may(StaffAction::EnterFine)?;
    let b = call.parse()?;
    if let Some(a) = b.amount {
        validate::amount("amount", a, false)?;
    }
    let Some(kind) = FineKind::parse(&b.kind) else {
        return Err(ApiError::invalid(format!(
            "kind: {:?} is not a fine kind (late, damage, accident, no-explanation, parts, access-sharing)",
            b.kind
        )));
    };
    let op = Op::Fine {
        rider: RiderId(id),
        kind,
        amount: b.amount,
        rental: b.rental,
        note: b.note,
    };
    staff_op(&st, &who, call.idem, op).await
}

/// Approve the rider's oldest fine waiting for approval (D14: not by who entered it).
#[utoipa::path(post, path = "/riders/{id}/fines/approve", tag = "desk",
    params(("id" = i64, Path, description = "rider ID"), IdempotencyKey),
    request_body = Empty,
    responses((status = 200, body = crate::api::FineOutcome, description = "the fine, posted"), Problems, Limited))]
pub async fn approve_fine(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<Empty>,
) -> Answer {
    who.may(StaffAction::ApproveFine)?;
    call.parse()?;
    let op = Op::ApproveFine { rider: RiderId(id) };
    staff_op(&st, &who, call.idem, op).await
}

/// Reject the rider's oldest fine waiting for approval, with a reason (D14); nothing posts.
#[utoipa::path(post, path = "/riders/{id}/fines/reject", tag = "desk",
    params(("id" = i64, Path, description = "rider ID"), IdempotencyKey),
    request_body = ReasonRequest,
    responses((status = 200, body = i64, description = "the fine's amount", content_type = "application/json"), Problems, Limited))]
pub async fn reject_fine(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<ReasonRequest>,
) -> Answer {
    who.may(StaffAction::ApproveFine)?;
    let body = call.parse()?;
    let op = Op::RejectFine {
        rider: RiderId(id),
        reason: body.reason,
    };
    staff_op(&st, &who, call.idem, op).await
}

/// Refund: end the contract (R25).
#[utoipa::path(post, path = "/riders/{id}/refund", tag = "desk",
    params(("id" = i64, Path, description = "rider ID"), IdempotencyKey),
    request_body = Empty,
    responses((status = 200, body = i64, description = "the amount paid out", content_type = "application/json"), Problems, Limited))]
pub async fn refund(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<Empty>,
) -> Answer {
    who.may(StaffAction::Refund)?;
    call.parse()?;
    let op = Op::Refund { rider: RiderId(id) };
    staff_op(&st, &who, call.idem, op).await
}

/// Credit a claim (R26).
#[utoipa::path(post, path = "/riders/{id}/claims", tag = "desk",
    params(("id" = i64, Path, description = "rider ID"), IdempotencyKey),
    request_body = AmountReasonRequest,
    responses((status = 200, body = i64, description = "the ledger entry", content_type = "application/json"), Problems, Limited))]
pub async fn credit_claim(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<AmountReasonRequest>,
) -> Answer {
    who.may(StaffAction::CreditClaim)?;
    let b = call.parse()?;
    validate::amount("amount", b.amount, false)?;
    let op = Op::CreditClaim {
        rider: RiderId(id),
        amount: b.amount,
        reason: b.reason,
    };
    staff_op(&st, &who, call.idem, op).await
}

/// Give bonus credit (R6, D11).
#[utoipa::path(post, path = "/riders/{id}/bonus", tag = "desk",
    params(("id" = i64, Path, description = "rider ID"), IdempotencyKey),
    request_body = AmountReasonRequest,
    responses((status = 200, body = i64, description = "the ledger entry", content_type = "application/json"), Problems, Limited))]
pub async fn give_bonus(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<AmountReasonRequest>,
) -> Answer {
    who.may(StaffAction::GiveBonus)?;
    let b = call.parse()?;
    validate::amount("amount", b.amount, false)?;
    let op = Op::GiveBonus {
        rider: RiderId(id),
        amount: b.amount,
        reason: b.reason,
    };
    staff_op(&st, &who, call.idem, op).await
}

/// Correct a ledger entry by a new one (D9).
#[utoipa::path(post, path = "/riders/{id}/corrections", tag = "desk",
    params(("id" = i64, Path, description = "rider ID"), IdempotencyKey),
    request_body = CorrectRequest,
    responses((status = 200, body = i64, description = "the correcting entry", content_type = "application/json"), Problems, Limited))]
pub async fn correct(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<CorrectRequest>,
) -> Answer {
    who.may(StaffAction::Correct)?;
    let b = call.parse()?;
    validate::amount("amount", b.amount, true)?;
    let op = Op::Correct {
        rider: RiderId(id),
        entry: b.entry,
        amount: b.amount,
        reason: b.reason,
    };
    staff_op(&st, &who, call.idem, op).await
}

/// Block the rider's access (R24, D17).
#[utoipa::path(post, path = "/riders/{id}/block", tag = "desk",
    params(("id" = i64, Path, description = "rider ID"), IdempotencyKey),
    request_body = ReasonRequest,
    responses((status = 200, body = crate::server::schema::Null, description = "null", content_type = "application/json"), Problems, Limited))]
pub async fn block(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<ReasonRequest>,
) -> Answer {
    who.may(StaffAction::Block)?;
    let body = call.parse()?;
    let op = Op::Block {
        rider: RiderId(id),
        reason: body.reason,
    };
    staff_op(&st, &who, call.idem, op).await
}

/// Unblock the rider.
#[utoipa::path(post, path = "/riders/{id}/unblock", tag = "desk",
    params(("id" = i64, Path, description = "rider ID"), IdempotencyKey),
    request_body = ReasonRequest,
    responses((status = 200, body = crate::server::schema::Null, description = "null", content_type = "application/json"), Problems, Limited))]
pub async fn unblock(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<ReasonRequest>,
) -> Answer {
    who.may(StaffAction::Unblock)?;
    let body = call.parse()?;
    let op = Op::Unblock {
        rider: RiderId(id),
        reason: body.reason,
    };
    staff_op(&st, &who, call.idem, op).await
}

/// Impose (with a reason) or lift (`reason: null`) a restriction by hand (D12).
#[utoipa::path(post, path = "/riders/{id}/restriction", tag = "desk",
    params(("id" = i64, Path, description = "rider ID"), IdempotencyKey),
    request_body = RestrictionRequest,
    responses((status = 200, body = crate::server::schema::Null, description = "null", content_type = "application/json"), Problems, Limited))]
pub async fn set_restriction(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<RestrictionRequest>,
) -> Answer {
    who.may(StaffAction::SetRestriction)?;
    let b = call.parse()?;
    let op = Op::SetRestriction {
        rider: RiderId(id),
        reason: b.reason,
        note: b.note,
    };
    staff_op(&st, &who, call.idem, op).await
}

/// Set a new PIN.
#[utoipa::path(post, path = "/riders/{id}/pin", tag = "desk",
    params(("id" = i64, Path, description = "rider ID"), IdempotencyKey),
    request_body = PinRequest,
    responses((status = 200, body = crate::server::schema::Null, description = "null", content_type = "application/json"), Problems, Limited))]
pub async fn reset_pin(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<PinRequest>,
) -> Answer {
    who.may(StaffAction::ResetPin)?;
    let body = call.parse()?;
    let op = Op::ResetPin {
        rider: RiderId(id),
        pin: body.pin,
    };
    staff_op(&st, &who, call.idem, op).await
}

/// Block a lost card.
#[utoipa::path(post, path = "/riders/{id}/card/block", tag = "desk",
    params(("id" = i64, Path, description = "rider ID"), IdempotencyKey),
    request_body = Empty,
    responses((status = 200, body = crate::server::schema::Null, description = "null", content_type = "application/json"), Problems, Limited))]
pub async fn block_lost_card(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<Empty>,
) -> Answer {
    who.may(StaffAction::BlockLostCard)?;
    call.parse()?;
    let op = Op::BlockLostCard { rider: RiderId(id) };
    staff_op(&st, &who, call.idem, op).await
}
