//! The server's own connection to the database, beside the engine's writer: sessions,
//! station keys and idempotency look-ups. Runs on the blocking pool, never on the async
//! threads. WAL lets it read while the engine writes; its few writes wait their turn
//! (busy timeout).

use super::problem::ApiError;
use crate::store::{self, StoreError};
use rusqlite::Connection;
use std::path::Path;
use std::sync::{Arc, Mutex};

#[derive(Clone)]
pub struct SideDb {
    conn: Arc<Mutex<Connection>>,
}

impl SideDb {
    /// Open `path` (already created and migrated by the engine's store).
    pub fn open(path: &Path) -> store::Result<SideDb> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(SideDb {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// The database file this connection is to.
    pub fn path(&self) -> Option<std::path::PathBuf> {
        let c = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        c.path()
            .filter(|p| !p.is_empty())
            .map(std::path::PathBuf::from)
    }

    /// Run `f` on the connection, off the async threads.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let c = conn.lock().unwrap_or_else(|e| e.into_inner());
            f(&c)
        })
        .await
        .map_err(|e| ApiError::internal(format!("a database task failed: {e}")))?
        .map_err(ApiError::from)
    }
}
