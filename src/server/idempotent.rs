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
use crate::api::{BResult, BackendError};
use crate::api::{Op, Outcome};
use crate::engine::{Ctx, EngineError};
use crate::store::{StoreError, audit, idempotency};
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::Utc;
use rusqlite::Connection;
use serde::Serialize;
use std::future::Future;
use std::sync::Arc;

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

/// What a hook writes in the unit of the operation it follows.
type Hook<T> =
    Box<dyn FnOnce(&Ctx<'_>, &Connection, &T) -> Result<(), EngineError> + Send + 'static>;

/// How an operation's answer is given: alone, as its own route gives it, or whole, as
/// `POST /ops` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Answer,
    Whole,
}

/// Run `op` as staff member `who`, at most once per idempotency key, answered in `shape`.
pub async fn staff_op(st: &AppState, who: &AuthStaff, idem: Option<Idem>, op: Op) -> Answer {
    run_op(
        st,
        who.principal(),
        Some(who.name.clone()),
        idem,
        op,
        Shape::Answer,
        async { Ok(()) },
    )
    .await
}

/// Run `op` for `principal` acting as `actor`, at most once per idempotency key. `check`
/// runs after the replay check (a retried pull is answered from its record though the
/// bike has left its dock).
pub async fn run_op(
    st: &AppState,
    principal: String,
    actor: Option<String>,
    idem: Option<Idem>,
    op: Op,
    shape: Shape,
    check: impl Future<Output = BResult<()>>,
) -> Answer {
    let remember: Remember<Outcome> = Arc::new(move |v: &Outcome| {
        let body = match shape {
            Shape::Answer => serde_json::to_string(&v.answer()),
            Shape::Whole => serde_json::to_string(v),
        };
        body.map(|b| (200, b))
            .map_err(|e| EngineError::Store(StoreError::Conflict(e.to_string())))
    });
    let backend = match actor {
        Some(name) => st.backend.acting(&name),
        None => st.backend.as_ref().clone(),
    };
    once(
        st,
        principal,
        idem,
        None,
        remember.clone(),
        remember,
        move |hook| async move {
            check.await?;
            backend.execute_hooked(op, hook).await
        },
    )
    .await
}

/// A server's own action (staff accounts, station keys) by `who`: `f` on the engine,
/// audited as `action` on `target(answer)` in the transaction of its effect, at most once
/// per idempotency key (a replay is not audited again: nothing happened).
pub async fn admin_action<T, F>(
    st: &AppState,
    who: &AuthStaff,
    idem: Option<Idem>,
    action: &'static str,
    target: impl Fn(&T) -> String + Send + Sync + 'static,
    f: F,
) -> Answer
where
    T: Serialize + Send + 'static,
    F: FnOnce(&mut crate::engine::Engine) -> crate::engine::Result<T> + Send + 'static,
{
    let audit = Audit::of(who, action, target);
    let backend = st.backend.clone();
    once(
        st,
        who.principal(),
        idem,
        Some(audit),
        the_answer(),
        the_answer(),
        move |hook| async move { backend.call_hooked(f, hook).await },
    )
    .await
}

/// [`admin_action`] for an action whose answer is a secret shown once (a station key):
/// the record keeps no secret, only `refusal(answer)`, a problem a replay is answered
/// with (saying what was issued and that it must be done again), so no backup of the
/// database carries a working secret.
pub async fn admin_action_secret<T, F>(
    st: &AppState,
    who: &AuthStaff,
    idem: Option<Idem>,
    action: &'static str,
    target: impl Fn(&T) -> String + Send + Sync + 'static,
    refusal: impl Fn(&T) -> ApiError + Send + Sync + 'static,
    f: F,
) -> Answer
where
    T: Serialize + Send + 'static,
    F: FnOnce(&mut crate::engine::Engine) -> crate::engine::Result<T> + Send + 'static,
{
    let audit = Audit::of(who, action, target);
    let remember: Remember<T> = Arc::new(move |v: &T| {
        let e = refusal(v);
        serde_json::to_string(&e.problem())
            .map(|body| (e.status.as_u16(), body))
            .map_err(|e| EngineError::Store(StoreError::Conflict(e.to_string())))
    });
    let backend = st.backend.clone();
    once(
        st,
        who.principal(),
        idem,
        Some(audit),
        the_answer(),
        remember,
        move |hook| async move { backend.call_hooked(f, hook).await },
    )
    .await
}

type Answer = Result<Response, ApiError>;

/// Run `run` with a hook that writes the idempotency record and the audit record in the
/// unit of the effect, given its answer: typed, so the record holds the whole answer.
async fn once<T, R, Fut>(
    st: &AppState,
    principal: String,
    idem: Option<Idem>,
    audit: Option<Audit<T>>,
    respond: Remember<T>,
    remember: Remember<T>,
    run: R,
) -> Answer
where
    T: Serialize + Send + 'static,
    R: FnOnce(Hook<T>) -> Fut,
    Fut: Future<Output = BResult<T>>,
{
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
    let now = Utc::now();
    let hook: Hook<T> = Box::new(move |ctx, c, v| {
        if let Some(record) = record {
            let (status, body) = remember(v)?;
            idempotency::purge(c, now)?;
            idempotency::put(
                c,
                &idempotency::Record {
                    status,
                    body,
                    ..record
                },
                now,
            )?;
        }
        if let Some(a) = &audit {
            a.record(c, ctx, v)?;
        }
        Ok(())
    });
    match run(hook).await {
        Ok(v) => {
            let (status, body) = respond(&v).map_err(|e| ApiError::internal(e.to_string()))?;
            Ok(json_response(status, body))
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
