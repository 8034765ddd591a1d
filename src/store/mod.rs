//! The SQLite adapter: one connection owned by one writer, versioned migrations, WAL,
//! foreign keys, `synchronous=FULL`. Each operation runs in one transaction. All SQL of
//! velodesk lives under this module.

pub mod audit;
pub mod auth;
pub mod cases;
pub mod desk;
pub mod dispute;
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
        M::up(include_str!("migrations/007_vans.sql")),
        M::up(include_str!("migrations/008_desk.sql")),
        M::up(include_str!("migrations/009_dispute.sql")),
    ])
}

/// Whether a velodesk database has this velodesk's schema (`false`: an older one, which
/// migrations bring up to date), read without writing; anything else (an empty file,
/// another program's SQLite database, a newer velodesk's) is refused saying what it is. A
/// file that is not SQLite at all fails on the first read ("file is not a database").
fn is_current_system(conn: &Connection) -> Result<bool> {
    let tables: Vec<String> = {
        let mut st = conn.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?;
        st.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    if tables.is_empty() {
        return Err(StoreError::NotASystem(
            "it is empty (create a system with `velodesk init`)".into(),
        ));
    }
    if !["meta", "tariffs"]
        .iter()
        .all(|t| tables.iter().any(|x| x == t))
    {
        let mut shown: Vec<&str> = tables.iter().map(String::as_str).take(5).collect();
        if tables.len() > 5 {
            shown.push("…");
        }
        return Err(StoreError::NotASystem(format!(
            "it is another program's SQLite database (tables: {})",
            shown.join(", ")
        )));
    }
    let m = migrations();
    match m.current_version(conn)? {
        rusqlite_migration::SchemaVersion::Inside(_) => Ok(m.pending_migrations(conn)? == 0),
        rusqlite_migration::SchemaVersion::NoneSet => Err(StoreError::NotASystem(
            "it has velodesk's tables but no schema version".into(),
        )),
        rusqlite_migration::SchemaVersion::Outside(v) => Err(StoreError::NotASystem(format!(
            "its schema is version {v}, newer than this velodesk knows: use a newer velodesk"
        ))),
    }
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

    /// Open an existing velodesk database to read it, never writing to the file (`velodesk
    /// check`): a file that is not a velodesk system is refused ([`StoreError::NotASystem`])
    /// and left as it was, byte for byte. A system of an older schema is read through a copy
    /// in memory migrated there, so the file is not upgraded behind the reader's back.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let conn = Store::read_only_connection(path)?;
        if is_current_system(&conn)? {
            return Ok(Store { conn, batch: false });
        }
        let mut copy = Connection::open_in_memory()?;
        rusqlite::backup::Backup::new(&conn, &mut copy)?.run_to_completion(
            1024,
            std::time::Duration::from_millis(5),
            None,
        )?;
        drop(conn);
        Store::setup(copy, false)
    }

    /// Open (and migrate) a database file that must already hold a velodesk system: as
    /// [`Store::open`], but a file that is not a system is refused before anything is
    /// written to it (an empty file, another program's database).
    pub fn open_existing(path: &Path) -> Result<Store> {
        is_current_system(&Store::read_only_connection(path)?)?;
        Store::open(path)
    }

    fn read_only_connection(path: &Path) -> Result<Connection> {
        let conn = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.set_prepared_statement_cache_capacity(256);
        Ok(conn)
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
        // Savepoints (a rider of the nightly posting, D31; a job of a group commit) keep the
        // pages they change in a sub-journal: in memory, not a temporary file written page by
        // page (a quarter of a posting's time went to those writes). It holds one rider's or
        // one job's pages at a time, freed at its release.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
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

    /// Run `f` in a savepoint of the transaction open on `c`: what it wrote is kept when it
    /// succeeds and undone when it fails, and its error comes back for the caller to handle
    /// while the transaction goes on (D31: one rider of a nightly posting).
    pub fn savepoint<T, E>(
        c: &Connection,
        f: impl FnOnce() -> std::result::Result<T, E>,
    ) -> Result<std::result::Result<T, E>> {
        // Prepared once: a night posts a hundred thousand riders, each in its savepoint.
        c.prepare_cached("SAVEPOINT part")?.execute([])?;
        let out = f();
        if out.is_ok() {
            c.prepare_cached("RELEASE part")?.execute([])?;
        } else {
            c.execute_batch("ROLLBACK TO part; RELEASE part")?;
        }
        Ok(out)
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

/// The `meta` key that marks a database kept on a simulated clock (the demo city's, set
/// when it is built): its time is the time of its last event, where `velodesk demo --db`
/// resumes, not the system clock's.
pub const SIMULATED_CLOCK: &str = "simulated_clock";

/// Where the clock of a database on a simulated clock stands: the time of its last event
/// (before any event, the last midnight posted); `None` for a database on the system clock.
pub fn simulated_now(c: &Connection) -> Result<Option<DateTime<Utc>>> {
    if get_meta(c, SIMULATED_CLOCK)?.is_none() {
        return Ok(None);
    }
    let posted = get_meta(c, ledger::POSTED_THROUGH)?
        .and_then(|v| v.parse::<i64>().ok())
        .map(from_ts);
    Ok(audit::last_event_at(c)?.or(posted))
}

/// Fold a database file's WAL into the file and leave WAL mode, so the file is whole by
/// itself (a restored replica before its read-only check, which would otherwise leave an
/// empty WAL beside it; `velodesk serve` puts it back in WAL mode when it opens it).
pub fn fold_wal(path: &Path) -> Result<()> {
    let conn = Connection::open(path)?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    conn.close().map_err(|(_, e)| StoreError::from(e))
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

/// Column `i`, one of an enum's stored words (`FineKind::parse`…); a word it does not know
/// is an error naming it, never a guess.
pub(crate) fn word<T>(
    r: &rusqlite::Row<'_>,
    i: usize,
    parse: impl Fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    parse(&s).ok_or_else(|| unknown_word(i, &s))
}

/// As [`word`], for a column that may be NULL.
pub(crate) fn word_opt<T>(
    r: &rusqlite::Row<'_>,
    i: usize,
    parse: impl Fn(&str) -> Option<T>,
) -> rusqlite::Result<Option<T>> {
    match r.get::<_, Option<String>>(i)? {
        Some(s) => parse(&s).map(Some).ok_or_else(|| unknown_word(i, &s)),
        None => Ok(None),
    }
}

fn unknown_word(i: usize, s: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        i,
        rusqlite::types::Type::Text,
        format!("{s:?} is not a word this column holds").into(),
    )
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
