//! The SQLite adapter: one connection owned by one writer, versioned migrations, WAL,
//! foreign keys, `synchronous=FULL`. Each operation runs in one transaction. All SQL of
//! velodesk lives under this module.

pub mod audit;
pub mod auth;
pub mod event_log;
pub mod fleet;
pub mod fleet_check;
pub mod idempotency;
pub mod ledger;
pub mod passes;
pub mod people;
pub mod planning;
pub mod replication;

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use rusqlite_migration::{M, Migrations};
use std::path::Path;

/// A failure of the store, mapped at the seam so callers never see rusqlite.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("{0}")]
    Conflict(String),
    #[error("the database is not a velodesk system: {0}")]
    NotASystem(String),
    #[error("nothing was saved: {0}")]
    Aborted(String),
    /// A sum that would not fit (D30): refused before it reaches the database.
    #[error(transparent)]
    Amount(#[from] crate::domain::money::AmountError),
}

impl StoreError {
    /// A uniqueness or check constraint refused the write (a race lost, a duplicate).
    pub fn is_constraint(&self) -> bool {
        matches!(
            self,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation
        ) || matches!(self, StoreError::Conflict(_))
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/001_init.sql")),
        M::up(include_str!("migrations/002_server.sql")),
        M::up(include_str!("migrations/003_rental_indexes.sql")),
        M::up(include_str!("migrations/004_contract_letter.sql")),
        M::up_with_hook(
            include_str!("migrations/005_search_keys.sql"),
            people::refold_names,
        ),
        M::up(include_str!("migrations/006_station_states.sql")),
    ])
}

/// The database of one velodesk system.
pub struct Store {
    conn: Connection,
    /// A group commit is open ([`Store::begin_batch`]): writes join it in savepoints.
    batch: bool,
}

impl Store {
    /// Open (creating if needed) and migrate a database file.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path)?;
        Store::setup(conn, true)
    }

    /// A fresh private in-memory database (scenarios, tests).
    pub fn open_in_memory() -> Result<Store> {
        Store::setup(Connection::open_in_memory()?, false)
    }

    fn setup(mut conn: Connection, wal: bool) -> Result<Store> {
        if wal {
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        // 64 MiB of page cache: a nightly posting of a city's charges stays in memory.
        conn.pragma_update(None, "cache_size", -65536)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Every statement velodesk runs stays prepared (rusqlite keeps 16 by default, fewer
        // than one rental's path uses, so they were parsed again on every request).
        conn.set_prepared_statement_cache_capacity(256);
        migrations().to_latest(&mut conn)?;
        Ok(Store { conn, batch: false })
    }

    /// Run `f` in one write transaction (BEGIN IMMEDIATE): all of it commits or none. In a
    /// group commit it runs in a savepoint of the batch's transaction instead: all of it
    /// stays or none, and it is durable when the batch commits.
    pub fn write<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Connection) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        if self.batch {
            let sp = self.conn.savepoint().map_err(StoreError::from)?;
            let out = f(&sp)?;
            sp.commit().map_err(StoreError::from)?;
            return Ok(out);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let out = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Run `f` over a read snapshot (in a group commit: over the batch's own view).
    pub fn read<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Connection) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        if self.batch {
            return f(&self.conn);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(StoreError::from)?;
        f(&tx)
    }

    /// Open a unit that the writes until [`Store::end_unit`] join, each in a savepoint of
    /// its own: a transaction of its own, or a savepoint inside an open group commit.
    /// Returns whether a group commit was open (give it back to `end_unit`).
    pub fn begin_unit(&mut self) -> Result<bool> {
        let grouped = self.batch;
        self.conn.execute_batch(if grouped {
            "SAVEPOINT unit"
        } else {
            "BEGIN IMMEDIATE"
        })?;
        self.batch = true;
        Ok(grouped)
    }

    /// Close the unit opened by [`Store::begin_unit`]: keep all of it, or none.
    pub fn end_unit(&mut self, grouped: bool, keep: bool) -> Result<()> {
        self.batch = grouped;
        let sql = match (grouped, keep) {
            (true, true) => "RELEASE unit",
            (true, false) => "ROLLBACK TO unit; RELEASE unit",
            (false, true) => "COMMIT",
            (false, false) => "ROLLBACK",
        };
        if let Err(e) = self.conn.execute_batch(sql) {
            if !grouped && !self.conn.is_autocommit() {
                let _ = self.conn.execute_batch("ROLLBACK");
            }
            return Err(e.into());
        }
        Ok(())
    }

    /// Group commit: open one transaction that the writes until [`Store::commit_batch`]
    /// join, each in a savepoint of its own, so many requests share one fsync.
    pub fn begin_batch(&mut self) -> Result<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        self.batch = true;
        Ok(())
    }

    /// Commit the group opened by [`Store::begin_batch`]. On an error nothing of the
    /// batch is kept (the transaction is rolled back), and the caller must say so to
    /// everyone whose write was in it.
    pub fn commit_batch(&mut self) -> Result<()> {
        self.batch = false;
        if self.conn.is_autocommit() {
            return Err(StoreError::Aborted(
                "the database rolled the batch back on its own (disk full or an I/O error?)".into(),
            ));
        }
        if let Err(e) = self.conn.execute_batch("COMMIT") {
            let _ = self.conn.execute_batch("ROLLBACK");
            return Err(e.into());
        }
        Ok(())
    }

    /// Relax durability for a bulk build that is thrown away on failure (demo city, bench).
    pub fn set_bulk_mode(&mut self, bulk: bool) -> Result<()> {
        self.conn
            .pragma_update(None, "synchronous", if bulk { "OFF" } else { "FULL" })?;
        Ok(())
    }

    /// SQLite's automatic checkpoint after a commit once the WAL holds `pages` pages (its
    /// default 1000); 0 turns it off, to leave checkpoints to Litestream while it
    /// replicates (see `store::replication`).
    pub fn set_wal_autocheckpoint(&mut self, pages: u32) -> Result<()> {
        self.conn.pragma_update(None, "wal_autocheckpoint", pages)?;
        Ok(())
    }

    pub fn connection(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

pub fn get_meta(c: &Connection, key: &str) -> Result<Option<String>> {
    Ok(
        c.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?,
    )
}

pub fn set_meta(c: &Connection, key: &str, value: &str) -> Result<()> {
    c.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// Copy a whole database file to a new file at `to` (SQLite's backup API: a consistent
/// copy, whatever is still in the write-ahead log). For throw-away bench copies.
pub fn copy_database(from: &Path, to: &Path) -> Result<()> {
    let src = Connection::open(from)?;
    src.backup(rusqlite::MAIN_DB, to, None)?;
    Ok(())
}

/// UTC seconds ⇄ instants.
pub fn ts(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}
pub fn from_ts(s: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(s, 0).single().unwrap_or_default()
}

/// Store a tariff version (D8).
pub fn add_tariff(c: &Connection, name: &str, effective_from: &str, source: &str) -> Result<()> {
    c.execute(
        "INSERT INTO tariffs (name, effective_from, source) VALUES (?1, ?2, ?3)",
        [name, effective_from, source],
    )?;
    Ok(())
}

/// All tariff versions, oldest first: `(name, source)`.
pub fn tariffs(c: &Connection) -> Result<Vec<(String, String)>> {
    let mut st = c.prepare("SELECT name, source FROM tariffs ORDER BY effective_from, id")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
