//! `GET /replication` (admins): whether Litestream replicates the server's database now,
//! looked at afresh on every request (`store::replication`), so a console's header says
//! so without the server keeping any state for it.

use crate::server::Problems;
use crate::server::auth::AuthStaff;
use crate::server::problem::ApiError;
use crate::server::state::AppState;
use crate::store::replication::{self, Replication};
use axum::Json;
use axum::extract::State;

/// Whether the database is replicated now: `state` is `live` (a Litestream process has it
/// open), `stopped` (Litestream replicated it here, none runs now), `restored` (it came
/// from a replica, nothing replicates it here), `off` or `unknown`; with `detail` in words.
#[utoipa::path(get, path = "/replication", tag = "lookups",
    responses((status = 200, body = Object), Problems))]
pub async fn replication(
    State(st): State<AppState>,
    who: AuthStaff,
) -> Result<Json<serde_json::Value>, ApiError> {
    who.admin()?;
    let db = st
        .db
        .path()
        .ok_or_else(|| ApiError::internal("the server's database is not a file"))?;
    let found: Replication = tokio::task::spawn_blocking(move || replication::detect(&db))
        .await
        .map_err(|e| ApiError::internal(format!("looking at the replication failed: {e}")))?;
    let mut answer = serde_json::to_value(&found)
        .map_err(|e| ApiError::internal(format!("the replication's answer: {e}")))?;
    answer["detail"] = found.describe().into();
    Ok(Json(answer))
}
