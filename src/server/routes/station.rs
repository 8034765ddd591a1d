//! The station side: what docks and bikes call, authenticated by their station's key
//! (`Authorization: Station KEY`), only for their own station. Unlock with rider ID and PIN
//! (R9, R10), the bike leaving the dock (`pull`, R11), a dock with success or a lock error
//! (R12, R13), the rider's call for a cable lock and the cable lock itself (R14).

use crate::api::Op;
use crate::api::wire::*;
use crate::api::{BResult, BackendError};
use crate::domain::{BikeId, Refusal, StationId};
use crate::server::auth::AuthStation;
use crate::server::extract::Call;
use crate::server::idempotent::{Shape, run_op};
use crate::server::problem::ApiError;
use crate::server::state::AppState;
use crate::server::{IdempotencyKey, Limited, Problems};
use axum::extract::{Path, State};
use axum::response::Response;

type Answer = Result<Response, ApiError>;

/// Refused unless `bike` stands at `station` (a dock speaks only for its own bikes). Runs
/// inside the idempotent operation, after the replay check: a retried pull is answered
/// from the record though the bike has left.
/// Read on the server's own connection, not the engine's writer thread, which stays free
/// for the writes.
pub(crate) async fn bike_at(st: &AppState, bike: BikeId, station: StationId) -> BResult<()> {
    let found = st
        .db
        .run(move |c| {
            let b = crate::store::fleet::bike(c, bike)?;
            let left = crate::store::fleet::open_rental_of_bike(c, bike)?
                .and_then(|r| r.lock_error_station);
            Ok(b.map(|b| (b, left)))
        })
        .await
        .map_err(|e| BackendError::Internal { message: e.detail })?;
    // A bike still in a rental after a lock error at this station stands in its dock
    // (issue 17): the engine says why it cannot be rented, and keeps the asking.
    let Some((b, left)) = found else {
        return Err(BackendError::Refused {
            kind: Refusal::NotFound,
            message: format!("no bike {bike}"),
        });
    };
    if b.station == Some(station) || (b.station.is_none() && left == Some(station)) {
        Ok(())
    } else {
        Err(BackendError::Refused {
            kind: Refusal::BikeUnavailable,
            message: format!("bike {bike} is not at station {station}"),
        })
    }
}

/// Run a dock's operation for `who`'s station, at most once per idempotency key: a bike
/// taken from a dock must stand there (checked after the replay check, so a retried pull is
/// answered from its record though the bike has left).
pub(crate) async fn dock_op(
    st: &AppState,
    who: &AuthStation,
    idem: Option<crate::server::extract::Idem>,
    op: Op,
    shape: Shape,
) -> Answer {
    let (bike, station) = (op.bike_from_dock(), who.station);
    let check = async move {
        match bike {
            Some(b) => bike_at(st, b, station).await,
            None => Ok(()),
        }
    };
    run_op(st, who.principal(), None, idem, op, shape, check).await
}

/// A rider unlocks a bike with ID and PIN: 30 s to pull it out (R9, R10).
#[utoipa::path(post, path = "/station/{station}/unlock", tag = "station",
    params(("station" = i64, Path, description = "station code"), IdempotencyKey),
    request_body = UnlockRequest, security(("station_key" = [])),
    responses((status = 200, body = crate::server::schema::Null, description = "null", content_type = "application/json"), Problems, Limited))]
pub async fn unlock(
    State(st): State<AppState>,
    who: AuthStation,
    Path(station): Path<i64>,
    call: Call<UnlockRequest>,
) -> Answer {
    who.is(StationId(station))?;
    let b = call.parse()?;
    let op = Op::Unlock {
        rider: b.rider,
        bike: b.bike,
        pin: b.pin,
    };
    dock_op(&st, &who, call.idem, op, Shape::Answer).await
}

/// The bike left the dock: the rental starts (R11).
#[utoipa::path(post, path = "/station/{station}/pull", tag = "station",
    params(("station" = i64, Path, description = "station code"), IdempotencyKey),
    request_body = BikeRequest, security(("station_key" = [])),
    responses((status = 200, body = i64, description = "the rental", content_type = "application/json"), Problems, Limited))]
pub async fn pull(
    State(st): State<AppState>,
    who: AuthStation,
    Path(station): Path<i64>,
    call: Call<BikeRequest>,
) -> Answer {
    who.is(StationId(station))?;
    let body = call.parse()?;
    let op = Op::Pull { bike: body.bike };
    dock_op(&st, &who, call.idem, op, Shape::Answer).await
}

/// A bike pushed into a dock: locked (the rental ends) or a lock error (R12, R13).
#[utoipa::path(post, path = "/station/{station}/dock", tag = "station",
    params(("station" = i64, Path, description = "station code"), IdempotencyKey),
    request_body = DockRequest, security(("station_key" = [])),
    responses((status = 200, body = Option<crate::domain::pricing::Quote>, description = "the trip's price, or null when a lock error ended nothing"), Problems, Limited))]
pub async fn dock(
    State(st): State<AppState>,
    who: AuthStation,
    Path(station): Path<i64>,
    call: Call<DockRequest>,
) -> Answer {
    who.is(StationId(station))?;
    let b = call.parse()?;
    let how = b.outcome().map_err(ApiError::invalid)?;
    let op = Op::ReturnBike {
        bike: b.bike,
        station: who.station,
        dock: b.dock,
        how,
    };
    dock_op(&st, &who, call.idem, op, Shape::Answer).await
}

/// The rider calls for a cable lock at a full station (R14).
#[utoipa::path(post, path = "/station/{station}/cable-lock-call", tag = "station",
    params(("station" = i64, Path, description = "station code"), IdempotencyKey),
    request_body = RiderRequest, security(("station_key" = [])),
    responses((status = 200, body = crate::server::schema::Null, description = "null", content_type = "application/json"), Problems, Limited))]
pub async fn cable_lock_call(
    State(st): State<AppState>,
    who: AuthStation,
    Path(station): Path<i64>,
    call: Call<RiderRequest>,
) -> Answer {
    who.is(StationId(station))?;
    let body = call.parse()?;
    let op = Op::CallCableLock {
        rider: body.rider,
        station: who.station,
    };
    dock_op(&st, &who, call.idem, op, Shape::Answer).await
}

/// The bike locked with its cable at the station, with the permission and the PIN (R14).
#[utoipa::path(post, path = "/station/{station}/cable-lock", tag = "station",
    params(("station" = i64, Path, description = "station code"), IdempotencyKey),
    request_body = CableLockRequest, security(("station_key" = [])),
    responses((status = 200, body = crate::domain::pricing::Quote, description = "the trip's price"), Problems, Limited))]
pub async fn cable_lock(
    State(st): State<AppState>,
    who: AuthStation,
    Path(station): Path<i64>,
    call: Call<CableLockRequest>,
) -> Answer {
    who.is(StationId(station))?;
    let b = call.parse()?;
    let op = Op::CableLock {
        bike: b.bike,
        station: who.station,
        pin: b.pin,
    };
    dock_op(&st, &who, call.idem, op, Shape::Answer).await
}
