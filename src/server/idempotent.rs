//! Running a mutating request once. Without an `Idempotency-Key` the operation just runs.
//! With one: a key seen before with the same request replays the first answer (header
//! `Idempotent-Replayed: true`) and applies nothing; with another request it is refused
//! 422 `idempotency-key-reused`. The record is written by a commit hook that runs after
//! the whole engine operation, in one unit with it (`Engine::atomically`), given its final
//! answer: an acknowledged effect always has its record and a record never exists without
//! its effect. Two copies in flight at once: the second loses on the record's primary key,
//! its unit rolls back, and it replays the first. Only successes are remembered: a refused
//! request changed nothing and may be retried. Set-up actions (the engine's set-up
//! operations take no staff member) have their audit record written by the same hook.

use super::auth::AuthStaff;
use super::extract::Idem;
use super::problem::ApiError;
use super::state::AppState;
use crate::backend::{BResult, BackendError};
use crate::engine::{CommitHook, Ctx, EngineError};
use crate::store::{StoreError, audit, idempotency};
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::Utc;
use rusqlite::Connection;
use serde::Serialize;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

pub const REPLAYED: &str = "idempotent-replayed";

/// An `application/json` answer with `status`.
pub fn json_response(status: u16, body: String) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

fn encode<T: Serialize>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string(v).map_err(|e| ApiError::internal(format!("encoding the answer: {e}")))
}

/// A set-up action's audit record (the engine's set-up operations take no staff): written
/// by the same commit hook as the idempotency record, so it commits with the effect.
pub struct Audit<T> {
    pub staff: String,
    pub role: &'static str,
    pub action: &'static str,
    /// What the action was done to, given its answer (a new rider's ID).
    pub target: Arc<dyn Fn(&T) -> String + Send + Sync>,
}

impl<T> Clone for Audit<T> {
    fn clone(&self) -> Self {
        Audit {
            staff: self.staff.clone(),
            role: self.role,
            action: self.action,
            target: self.target.clone(),
        }
    }
}

impl<T> Audit<T> {
    fn of(
        who: &AuthStaff,
        action: &'static str,
        target: impl Fn(&T) -> String + Send + Sync + 'static,
    ) -> Audit<T> {
        Audit {
            staff: who.name.clone(),
            role: who.role.as_str(),
            action,
            target: Arc::new(target),
        }
    }

    fn record(&self, c: &Connection, ctx: &Ctx<'_>, answer: &T) -> crate::store::Result<()> {
        audit::record(
            c,
            ctx.now,
            &ctx.local(ctx.now),
            &self.staff,
            self.role,
            self.action,
            None,
            &(self.target)(answer),
            "",
            "",
        )
    }
}

/// What an idempotency record keeps of an answer: its status and body.
type Remember<T> = Arc<dyn Fn(&T) -> Result<(u16, String), EngineError> + Send + Sync>;

/// The answer itself, to be replayed as it was.
fn the_answer<T: Serialize>() -> Remember<T> {
    Arc::new(|v: &T| {
        serde_json::to_string(v)
            .map(|body| (200, body))
            .map_err(|e| EngineError::Store(StoreError::Conflict(e.to_string())))
    })
}

/// Run `op` for `principal`, at most once per idempotency key.
pub async fn mutate<T, F>(
    st: &AppState,
    principal: String,
    idem: Option<Idem>,
    op: F,
) -> Result<Response, ApiError>
where
    T: Serialize + Send + 'static,
    F: Future<Output = BResult<T>>,
{
    once(st, principal, idem, None, the_answer(), op).await
}

/// [`mutate`] for a set-up action by `who`, audited as `action` on `target(answer)` in the
/// transaction of its effect (a replay is not audited again: nothing happened).
pub async fn mutate_audited<T, F>(
    st: &AppState,
    who: &AuthStaff,
    idem: Option<Idem>,
    action: &'static str,
    target: impl Fn(&T) -> String + Send + Sync + 'static,
    op: F,
) -> Result<Response, ApiError>
where
    T: Serialize + Send + 'static,
    F: Future<Output = BResult<T>>,
{
    let audit = Audit::of(who, action, target);
    once(st, who.principal(), idem, Some(audit), the_answer(), op).await
}

/// [`mutate_audited`] for an action whose answer is a secret shown once (a station key):
/// the record keeps no secret, only `refusal(answer)`, a problem a replay is answered
/// with (saying what was issued and that it must be done again), so no backup of the
/// database carries a working secret.
pub async fn mutate_audited_secret<T, F>(
    st: &AppState,
    who: &AuthStaff,
    idem: Option<Idem>,
    action: &'static str,
    target: impl Fn(&T) -> String + Send + Sync + 'static,
    refusal: impl Fn(&T) -> ApiError + Send + Sync + 'static,
    op: F,
) -> Result<Response, ApiError>
where
    T: Serialize + Send + 'static,
    F: Future<Output = BResult<T>>,
{
    let audit = Audit::of(who, action, target);
    let remember: Remember<T> = Arc::new(move |v: &T| {
        let e = refusal(v);
        serde_json::to_string(&e.problem())
            .map(|body| (e.status.as_u16(), body))
            .map_err(|e| EngineError::Store(StoreError::Conflict(e.to_string())))
    });
    once(st, who.principal(), idem, Some(audit), remember, op).await
}

async fn once<T, F>(
    st: &AppState,
    principal: String,
    idem: Option<Idem>,
    audit: Option<Audit<T>>,
    remember: Remember<T>,
    op: F,
) -> Result<Response, ApiError>
where
    T: Serialize + Send + 'static,
    F: Future<Output = BResult<T>>,
{
    if idem.is_none() && audit.is_none() {
        return Ok(json_response(200, encode(&op.await?)?));
    }
    if let Some(idem) = &idem
        && let Some(r) = lookup(st, &principal, &idem.key).await?
    {
        return replay(r, idem);
    }
    let record = idem.as_ref().map(|idem| idempotency::Record {
        principal: principal.clone(),
        key: idem.key.clone(),
        fingerprint: idem.fingerprint.clone(),
        status: 200,
        body: String::new(),
    });
    let written = Arc::new(AtomicBool::new(false));
    let flag = written.clone();
    let now = Utc::now();
    let (hook_record, hook_audit, hook_remember) =
        (record.clone(), audit.clone(), remember.clone());
    let hook: CommitHook = Box::new(move |ctx, c, out| {
        let Some(v) = out.downcast_ref::<T>() else {
            return Ok(false);
        };
        if let Some(record) = &hook_record {
            let (status, body) = hook_remember(v)?;
            idempotency::purge(c, now)?;
            idempotency::put(
                c,
                &idempotency::Record {
                    status,
                    body,
                    ..record.clone()
                },
                now,
            )?;
        }
        if let Some(a) = &hook_audit {
            a.record(c, ctx, v)?;
        }
        flag.store(true, Ordering::SeqCst);
        Ok(true)
    });
    match st.backend.with_commit_hook(hook, op).await {
        Ok(v) => {
            let body = encode(&v)?;
            if !written.load(Ordering::SeqCst) {
                // An operation whose transaction returns another type than its answer, or
                // that writes nothing (the season, a clock with nothing due): remember and
                // audit it right after (the effect is already committed).
                st.backend
                    .call(move |e| {
                        e.write_with(move |ctx, c| {
                            if let Some(r) = record {
                                let (status, body) = remember(&v)?;
                                let r = idempotency::Record { status, body, ..r };
                                idempotency::put(c, &r, now)?;
                            }
                            if let Some(a) = &audit {
                                a.record(c, ctx, &v)?;
                            }
                            Ok(())
                        })
                    })
                    .await?;
            }
            Ok(json_response(200, body))
        }
        Err(BackendError::Conflict { message }) => {
            let found = match &idem {
                Some(idem) => lookup(st, &principal, &idem.key)
                    .await?
                    .map(|r| replay(r, idem)),
                None => None,
            };
            found.unwrap_or_else(|| Err(BackendError::Conflict { message }.into()))
        }
        Err(e) => Err(e.into()),
    }
}

async fn lookup(
    st: &AppState,
    principal: &str,
    key: &str,
) -> Result<Option<idempotency::Record>, ApiError> {
    let (p, k) = (principal.to_string(), key.to_string());
    st.db.run(move |c| idempotency::get(c, &p, &k)).await
}

fn replay(r: idempotency::Record, idem: &Idem) -> Result<Response, ApiError> {
    if r.fingerprint != idem.fingerprint {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency-key-reused",
            format!(
                "Idempotency-Key {:?} was used for another request; use a new key",
                idem.key
            ),
        ));
    }
    let mut resp = json_response(r.status, r.body);
    if r.status >= 400 {
        // A remembered refusal (a secret that is not kept): a problem document.
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(super::problem::PROBLEM_JSON),
        );
    }
    resp.headers_mut()
        .insert(REPLAYED, HeaderValue::from_static("true"));
    Ok(resp)
}
