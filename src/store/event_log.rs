//! The head of the event log: where a new live stream starts, so a client that reconnects
//! before any event arrived still resumes without a gap.

use super::Result;
use rusqlite::Connection;

/// The id of the newest event (0 when there is none).
pub fn last_event_id(c: &Connection) -> Result<i64> {
    Ok(c.query_row("SELECT COALESCE(MAX(id), 0) FROM events", [], |r| r.get(0))?)
}
