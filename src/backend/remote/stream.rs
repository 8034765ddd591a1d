//! Following the server's events: one SSE connection, reconnected with backoff (250 ms
//! doubling to 10 s) and resumed with `Last-Event-ID`, so the subscribers see every event
//! once, in order. The connection state says `Live`, `Stale { since }` or `LoggedOut`.

use super::super::ConnectionState;
use crate::api::Event;
use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(10);
/// The server sends a keep-alive every 15 s: silence this long means the link is dead.
const SILENCE: Duration = Duration::from_secs(45);

pub async fn follow(
    base: String,
    token: String,
    events: broadcast::Sender<(i64, Event)>,
    state: Arc<watch::Sender<ConnectionState>>,
) {
    let client = match reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .read_timeout(SILENCE)
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            stale(&state, format!("cannot build an HTTP client: {e}"));
            return;
        }
    };
    let mut last: Option<i64> = None;
    let mut backoff = FIRST_BACKOFF;
    loop {
        let mut req = client.get(format!("{base}/events")).bearer_auth(&token);
        if let Some(l) = last {
            req = req.header("last-event-id", l.to_string());
        }
        let reason = match req.send().await {
            Ok(resp) if resp.status().is_success() => {
                state.send_replace(ConnectionState::Live);
                backoff = FIRST_BACKOFF;
                let mut stream = resp.bytes_stream().eventsource();
                let mut reason = "the server closed the stream".to_string();
                while let Some(item) = stream.next().await {
                    let ev = match item {
                        Ok(ev) => ev,
                        Err(e) => {
                            reason = e.to_string();
                            break;
                        }
                    };
                    let Ok(id) = ev.id.trim().parse::<i64>() else {
                        continue;
                    };
                    if ev.event == "hello" {
                        last.get_or_insert(id);
                        continue;
                    }
                    if last.is_some_and(|l| id <= l) {
                        continue;
                    }
                    if let Ok(e) = serde_json::from_str::<Event>(&ev.data) {
                        let _ = events.send((id, e));
                    }
                    last = Some(id);
                }
                reason
            }
            Ok(resp) if resp.status() == reqwest::StatusCode::UNAUTHORIZED => {
                state.send_replace(ConnectionState::LoggedOut {
                    since: chrono::Utc::now(),
                });
                return;
            }
            Ok(resp) => format!("the server answered HTTP {}", resp.status()),
            Err(e) => e.to_string(),
        };
        stale(&state, reason);
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// Mark the link stale, keeping the time it first went stale.
fn stale(state: &watch::Sender<ConnectionState>, reason: String) {
    state.send_modify(|s| {
        let since = match s {
            ConnectionState::Stale { since, .. } => *since,
            _ => chrono::Utc::now(),
        };
        *s = ConnectionState::Stale { since, reason };
    });
}
