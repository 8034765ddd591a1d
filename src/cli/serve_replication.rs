//! `velodesk serve` beside Litestream: at start it says whether the database is replicated
//! (`store::replication`), and then looks again every few seconds and says when that
//! changes. While Litestream replicates, the engine's writer leaves WAL checkpoints to
//! it (`wal_autocheckpoint = 0`, as Litestream's tips ask of a busy writer: a checkpoint
//! of ours in the instant Litestream lets go of its read lock makes it start over with a
//! full snapshot); when Litestream goes, SQLite's own checkpoints come back (1000
//! pages), so the WAL does not grow without end.

use crate::server::RunningServer;
use crate::store::replication::{self, Replication};
use std::path::Path;
use std::time::{Duration, Instant};

/// How often the server looks again.
pub const EVERY: Duration = Duration::from_secs(2);

/// Started by `litestream replicate -exec`, the server waits this long at most for
/// Litestream to open the database (it does so after its first monitor interval).
const WAIT_FOR_LITESTREAM: Duration = Duration::from_secs(5);

/// SQLite's default automatic checkpoint, in pages.
const SQLITE_AUTOCHECKPOINT: u32 = 1000;

/// What replicates `db` as the server starts.
pub async fn at_start(db: &Path) -> Replication {
    let mut found = look(db).await;
    if found.is_live() || !replication::started_by_litestream() {
        return found;
    }
    let started = Instant::now();
    while !found.is_live() && started.elapsed() < WAIT_FOR_LITESTREAM {
        tokio::time::sleep(Duration::from_millis(100)).await;
        found = look(db).await;
    }
    found
}

/// What replicates `db` now.
pub async fn look(db: &Path) -> Replication {
    let db = db.to_path_buf();
    let off = Replication {
        state: replication::ReplicationState::Unknown,
        pid: None,
        last_sync: None,
        meta_dir: replication::meta_dir(&db).display().to_string(),
    };
    tokio::task::spawn_blocking(move || replication::detect(&db))
        .await
        .unwrap_or(off)
}

/// Set the writer's checkpoints for `now` (Litestream's while it replicates, SQLite's
/// otherwise), when that differs from `before` (`None`: the server has just started, on
/// SQLite's default). Says why it could not, if it could not.
pub async fn follow(
    running: &RunningServer,
    now: &Replication,
    before: Option<&Replication>,
) -> Option<String> {
    let was_live = before.is_some_and(Replication::is_live);
    let pages = match (now.is_live(), was_live) {
        (true, false) => 0,
        (false, true) => SQLITE_AUTOCHECKPOINT,
        _ => return None,
    };
    running
        .backend
        .call(move |engine| Ok(engine.store().set_wal_autocheckpoint(pages)?))
        .await
        .err()
        .map(|e| format!("could not set the WAL's checkpoints to {pages} pages: {e}"))
}
