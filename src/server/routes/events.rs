//! `GET /events`: the engine's events as Server-Sent Events (`id:` the event's log id,
//! `event:` its kind, `data:` its JSON). A client resumes with `Last-Event-ID` (or
//! `?after=`): first the events it missed, from the log, then the live ones, none twice,
//! none skipped (the live stream is subscribed before the log is read; ids dedupe). A
//! client that gives no position gets a first `event: hello` whose `id:` is the head of the
//! log, its resume point should the connection break before any event.

use crate::backend::Backend;
use crate::engine::Event;
use crate::server::Problems;
use crate::server::auth::AuthStaff;
use crate::server::state::AppState;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{self, KeepAlive, KeepAliveStream, Sse};
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;

const PAGE: usize = 500;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct StreamQuery {
    /// Resume after this event id (the `Last-Event-ID` header wins when both are given).
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
        ("Last-Event-ID" = Option<i64>, Header, description = "resume after this id")),
    responses((status = 200, content_type = "text/event-stream", body = String,
        description = "id: N / event: station-changed|rental-started|rental-ended|alert|ledger-posted|rider-changed / data: JSON"),
        Problems))]
pub async fn stream(
    State(st): State<AppState>,
    _who: AuthStaff,
    headers: HeaderMap,
    Query(q): Query<StreamQuery>,
) -> Sse<KeepAliveStream<ReceiverStream<Result<sse::Event, Infallible>>>> {
    let after = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(q.after);
    let mut live = st.backend.subscribe();
    // Read after subscribing: anything newer arrives live.
    let head = match after {
        Some(_) => None,
        None => st.db.run(crate::store::event_log::last_event_id).await.ok(),
    };
    let (tx, rx) = mpsc::channel(256);
    let backend = st.backend.clone();
    let mut stopping = st.stopping.clone();
    tokio::spawn(async move {
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
                };
                match got {
                    Ok((id, e)) => {
                        if last.is_some_and(|l| id <= l) {
                            continue;
                        }
                        if send(id, &e).await.is_err() {
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
    Sse::new(ReceiverStream::new(rx)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
