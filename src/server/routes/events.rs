//! `GET /events`: the engine's events as Server-Sent Events (`id:` the event's log id,
//! `event:` its kind, `data:` its JSON). A client resumes with `Last-Event-ID` (or
//! `?after=`): first the events it missed, from the log, then the live ones, none twice,
//! none skipped (the live stream is subscribed before the log is read; ids dedupe). A
//! client that gives no position gets a first `event: hello` whose `id:` is the head of the
//! log, its resume point should the connection break before any event; so does one whose
//! position is past the head (a server restored from its replica lost the last events).
//!
//! A stream lives no longer than its session: the session is looked up again before events
//! are sent (at most once a second while they flow) and every few seconds when idle, and
//! the stream ends once it is logged out, expired or its staff member disabled. The client
//! reconnects, is refused 401 and knows it is logged out.

use crate::backend::Backend;
use crate::engine::Event;
use crate::server::auth::AuthStaff;
use crate::server::problem::ApiError;
use crate::server::state::AppState;
use crate::server::{Limited, Problems};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{self, KeepAlive, KeepAliveStream, Sse};
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use tokio::time::Instant;
use tokio_stream::wrappers::ReceiverStream;

const PAGE: usize = 500;
/// A session check this recent lets events through without another look-up.
const FRESH: Duration = Duration::from_secs(1);
/// An idle stream checks its session this often.
const RECHECK: Duration = Duration::from_secs(3);

/// The session behind a stream, checked again on the server's side connection.
struct Session {
    st: AppState,
    who: AuthStaff,
    checked: Instant,
}

impl Session {
    /// Whether the stream may go on: the session held within [`FRESH`], or holds now. A
    /// failed look-up ends the stream too (the client resumes where it was).
    async fn holds(&mut self) -> bool {
        if self.checked.elapsed() < FRESH {
            return true;
        }
        let ok = matches!(self.who.still_valid(&self.st).await, Ok(true));
        self.checked = Instant::now();
        ok
    }
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct StreamQuery {
    /// Resume after this event id (the `Last-Event-ID` header wins when both are given).
    #[param(minimum = 0)]
    pub after: Option<i64>,
}

fn frame(id: i64, e: &Event) -> sse::Event {
    let data = serde_json::to_string(e).unwrap_or_default();
    sse::Event::default()
        .id(id.to_string())
        .event(e.kind())
        .data(data)
}

/// The live stream of events.
#[utoipa::path(get, path = "/events", tag = "events", params(StreamQuery,
        ("Last-Event-ID" = Option<i64>, Header, minimum = 0, description = "resume after this id")),
    responses((status = 200, content_type = "text/event-stream", body = String,
        description = "id: N / event: station-changed|rental-started|rental-ended|alert|ledger-posted|rider-changed / data: JSON"),
        Problems, Limited))]
pub async fn stream(
    State(st): State<AppState>,
    who: AuthStaff,
    headers: HeaderMap,
    Query(q): Query<StreamQuery>,
) -> Result<Sse<KeepAliveStream<ReceiverStream<Result<sse::Event, Infallible>>>>, ApiError> {
    let after = match headers.get("last-event-id") {
        Some(v) => Some(event_id(v.to_str().ok(), "header Last-Event-ID")?),
        None => match q.after {
            Some(a) if a < 0 => {
                return Err(ApiError::invalid(format!(
                    "query parameter after: {a} is not an event id (0 or more)"
                )));
            }
            other => other,
        },
    };
    let mut live = st.backend.subscribe();
    // Read after subscribing: anything newer arrives live.
    let logged = st.db.run(crate::store::event_log::last_event_id).await.ok();
    // A position past the log's head: the database was restored from its replica and lost
    // its last events, whose ids new events take again. Such a client starts again at the
    // head, with a hello (else it would skip as many new events as were lost).
    let after = after.filter(|a| logged.is_none_or(|h| *a <= h));
    let head = match after {
        Some(_) => None,
        None => logged,
    };
    let (tx, rx) = mpsc::channel(256);
    let backend = st.backend.clone();
    let mut stopping = st.stopping.clone();
    let mut session = Session {
        st: st.clone(),
        who,
        checked: Instant::now(),
    };
    tokio::spawn(async move {
        let mut idle = tokio::time::interval_at(Instant::now() + RECHECK, RECHECK);
        // Without a position, the live events only; with one, the log first.
        let mut last: Option<i64> = after.or(head);
        if let Some(h) = head {
            let hello = sse::Event::default()
                .id(h.to_string())
                .event("hello")
                .data("{}");
            if tx.send(Ok(hello)).await.is_err() {
                return;
            }
        }
        let send = |id: i64, e: &Event| tx.send(Ok(frame(id, e)));
        loop {
            // Catch up from the log (at the start, and after falling behind).
            while let Some(from) = last {
                let Ok(page) = backend.events_after(from, PAGE).await else {
                    return;
                };
                let full = page.len() == PAGE;
                if !page.is_empty() && !session.holds().await {
                    return;
                }
                for (id, e) in &page {
                    if send(*id, e).await.is_err() {
                        return;
                    }
                    last = Some(*id);
                }
                if !full {
                    break;
                }
            }
            loop {
                let got = tokio::select! {
                    got = live.recv() => got,
                    _ = stopping.changed() => return,
                    _ = idle.tick() => {
                        if session.holds().await {
                            continue;
                        }
                        return;
                    }
                };
                match got {
                    Ok((id, e)) => {
                        if last.is_some_and(|l| id <= l) {
                            continue;
                        }
                        if !session.holds().await || send(id, &e).await.is_err() {
                            return;
                        }
                        last = Some(id);
                    }
                    // Fell behind the live stream: catch up from the log where we were.
                    Err(broadcast::error::RecvError::Lagged(_)) => break,
                    Err(broadcast::error::RecvError::Closed) => return,
                }
            }
        }
    });
    Ok(Sse::new(ReceiverStream::new(rx))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// An event id a client resumes after: a whole number, 0 or more. Anything else is
/// refused, where starting at the head would silently lose the events it missed.
fn event_id(text: Option<&str>, what: &str) -> Result<i64, ApiError> {
    let text = text.unwrap_or_default().trim();
    match text.parse::<i64>() {
        Ok(id) if id >= 0 && text.bytes().all(|b| b.is_ascii_digit()) => Ok(id),
        _ => Err(ApiError::invalid(format!(
            "{what}: {text:?} is not an event id (a whole number, 0 or more, that fits 64 bits)"
        ))),
    }
}
