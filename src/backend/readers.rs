//! Look-ups beside the writer: a few read-only engines on their own connections to the
//! same database file (WAL lets them read while the writer writes), so a rider's view or a
//! search never queues behind the writes. (The season override stays the writer's: no
//! look-up depends on it.) Each read runs on the blocking pool in one read
//! transaction, at the time the writer has reached; a caller that heard its write
//! acknowledged reads it back (the commit came first). In-memory systems have none: their
//! database lives on the writer's connection only.

use super::{BResult, BackendError};
use crate::engine::{Engine, Settings};
use crate::store::Store;
use chrono::{DateTime, Utc};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// Reads at once: one core fewer than the machine has (at least one), so the writer —
/// whose commits everyone waits for — keeps a core of its own under a flood of look-ups.
fn readers_at_once() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get().saturating_sub(1))
        .unwrap_or(1)
        .max(1)
}

pub struct Readers {
    path: PathBuf,
    settings: Settings,
    idle: Mutex<Vec<Engine>>,
    permits: Semaphore,
    /// The writer's time after its last batch.
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl Readers {
    /// Readers for the writer's `engine`, or `None` when its database is not a file.
    pub fn beside(engine: &mut Engine) -> Option<Readers> {
        let path = engine
            .store()
            .connection()
            .path()
            .filter(|p| !p.is_empty())?;
        Some(Readers {
            path: PathBuf::from(path),
            settings: engine.settings().clone(),
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(readers_at_once()),
            now: Arc::new(Mutex::new(engine.now())),
        })
    }

    /// Where the writer publishes the time it has reached.
    pub fn clock(&self) -> Arc<Mutex<DateTime<Utc>>> {
        self.now.clone()
    }

    /// Run `f` on a reader. `None` when no reader could be opened (the caller asks the
    /// writer instead).
    pub async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Engine) -> crate::engine::Result<T> + Send + 'static,
    ) -> Option<BResult<T>> {
        let _permit = self.permits.acquire().await.ok()?;
        let idle = lock(&self.idle).pop();
        let mut engine = match idle {
            Some(e) => e,
            None => self.open().ok()?,
        };
        let now = *lock(&self.now);
        let (engine, out) = tokio::task::spawn_blocking(move || {
            engine.look_at(now);
            let out = f(&mut engine).map_err(BackendError::from);
            (engine, out)
        })
        .await
        .ok()?;
        lock(&self.idle).push(engine);
        Some(out)
    }

    fn open(&self) -> crate::engine::Result<Engine> {
        Engine::new(Store::open(&self.path)?, self.settings.clone())
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
