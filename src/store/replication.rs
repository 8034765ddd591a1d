//! Whether Litestream replicates a system's database, told from what Litestream leaves in
//! the database and beside it (checked against Litestream 0.5.17):
//!
//! - in the database, the tables `_litestream_seq` and `_litestream_lock`, created once
//!   and kept (a database restored from a replica has them too);
//! - beside it, its directory `.NAME-litestream/` with the LTX files it wrote (`ltx/0/…`),
//!   one after each monitor interval in which the database changed;
//! - while it runs, a read transaction it keeps open (so that nobody else can restart the
//!   WAL before it has copied it): its process holds SQLite's locks on `NAME-shm`, which
//!   Linux lists in `/proc/locks` with the holder's process id.
//!
//! The tables and the directory say Litestream replicated the database once; only the lock
//! says it does now. Nothing here writes or locks anything.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What replicates the database now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReplicationState {
    /// A Litestream process has the database open: it replicates every change.
    Live,
    /// Litestream replicated it on this host (its directory is beside the file), but no
    /// Litestream process has it open now.
    Stopped,
    /// It came from a Litestream replica (it has Litestream's tables), and nothing
    /// replicates it here.
    Restored,
    /// No sign of Litestream.
    Off,
    /// Litestream replicated it here; whether it runs now cannot be told on this system
    /// (no `/proc/locks`).
    Unknown,
}

/// What [`detect`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replication {
    pub state: ReplicationState,
    /// The Litestream process that has the database open (when live).
    pub pid: Option<u32>,
    /// When Litestream last wrote down a change of the database beside it (its newest LTX
    /// file); it ships that to the replica within its sync interval.
    pub last_sync: Option<DateTime<Utc>>,
    /// Litestream's directory beside the database.
    pub meta_dir: String,
}

impl Replication {
    pub fn is_live(&self) -> bool {
        self.state == ReplicationState::Live
    }

    /// One sentence for the server's log and the admin.
    pub fn describe(&self) -> String {
        let last = match self.last_sync {
            Some(t) => {
                let secs = (Utc::now() - t).num_milliseconds() as f64 / 1000.0;
                format!("last change written down {:.1} s ago", secs.max(0.0))
            }
            None => "no change written down yet".to_string(),
        };
        match self.state {
            ReplicationState::Live => format!(
                "on: Litestream (pid {}) replicates it ({last}); WAL checkpoints are left to Litestream",
                self.pid.unwrap_or_default()
            ),
            ReplicationState::Stopped => format!(
                "OFF: Litestream replicated it here before ({}, {last}) but no Litestream process has it open now; start `litestream replicate`",
                self.meta_dir
            ),
            ReplicationState::Restored => "OFF: it was restored from a Litestream replica, but nothing replicates it here; start `litestream replicate`".to_string(),
            ReplicationState::Off => "off: no Litestream replicates it, so a lost disk loses everything since the last `velodesk backup`".to_string(),
            ReplicationState::Unknown => format!(
                "unknown: Litestream replicated it here ({}, {last}); whether it runs now cannot be told on this system",
                self.meta_dir
            ),
        }
    }
}

/// Litestream's directory beside `db` (its default `meta-path`).
pub fn meta_dir(db: &Path) -> PathBuf {
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    db.with_file_name(format!(".{name}-litestream"))
}

/// Look at `db` and beside it (see the module's documentation).
pub fn detect(db: &Path) -> Replication {
    let dir = meta_dir(db);
    let last_sync = newest_file(&dir.join("ltx"));
    let mut shm = db.as_os_str().to_owned();
    shm.push("-shm");
    let holder = lock_holders(&[PathBuf::from(shm), db.to_path_buf()])
        .map(|pids| pids.into_iter().find(|pid| is_litestream(*pid)));
    let state = match holder {
        Some(Some(_)) => ReplicationState::Live,
        _ if dir.is_dir() && holder.is_none() => ReplicationState::Unknown,
        _ if dir.is_dir() => ReplicationState::Stopped,
        _ if has_litestream_tables(db) => ReplicationState::Restored,
        _ => ReplicationState::Off,
    };
    Replication {
        state,
        pid: holder.flatten(),
        last_sync,
        meta_dir: dir.display().to_string(),
    }
}

/// Whether this process was started by Litestream (`litestream replicate -exec …`).
pub fn started_by_litestream() -> bool {
    is_litestream(std::os::unix::process::parent_id())
}

/// Whether the database holds Litestream's tables.
pub fn has_litestream_tables(db: &Path) -> bool {
    let Ok(c) = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY) else {
        return false;
    };
    c.query_row(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_litestream_seq'",
        [],
        |r| r.get::<_, i64>(0),
    )
    .is_ok_and(|n| n > 0)
}

/// The newest modification time of a file under `dir` (two levels: `ltx/LEVEL/FILE`).
fn newest_file(dir: &Path) -> Option<DateTime<Utc>> {
    let mut newest = None;
    for level in std::fs::read_dir(dir).ok()?.flatten() {
        let Ok(files) = std::fs::read_dir(level.path()) else {
            continue;
        };
        for f in files.flatten() {
            if let Ok(t) = f.metadata().and_then(|m| m.modified()) {
                let t = DateTime::<Utc>::from(t);
                newest = newest.max(Some(t));
            }
        }
    }
    newest
}

/// The other processes that hold a POSIX lock on any of `files`, from `/proc/locks`;
/// `None` when the system has no such list.
fn lock_holders(files: &[PathBuf]) -> Option<Vec<u32>> {
    use std::os::unix::fs::MetadataExt;
    let list = std::fs::read_to_string("/proc/locks").ok()?;
    let wanted: Vec<(String, u64)> = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| (device(m.dev()), m.ino()))
        .collect();
    let me = std::process::id();
    let mut pids = Vec::new();
    for line in list.lines() {
        // `1: POSIX  ADVISORY  READ 13653 fe:00:10029130 124 124` (`->` marks a waiter).
        let fields: Vec<&str> = line.split_whitespace().filter(|f| *f != "->").collect();
        let (Some(pid), Some(file)) = (fields.get(4), fields.get(5)) else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        let Some((dev, ino)) = file.rsplit_once(':') else {
            continue;
        };
        let held = wanted
            .iter()
            .any(|(d, i)| d == dev && ino.parse::<u64>().is_ok_and(|n| n == *i));
        if held && pid != me && !pids.contains(&pid) {
            pids.push(pid);
        }
    }
    Some(pids)
}

/// A device number as `/proc/locks` writes it: `MAJOR:MINOR` in hexadecimal.
fn device(dev: u64) -> String {
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
    format!("{major:02x}:{minor:02x}")
}

/// Whether process `pid` is a Litestream.
fn is_litestream(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .is_ok_and(|name| name.trim() == "litestream")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_without_litestream_is_off() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("city.db");
        let c = Connection::open(&db).unwrap();
        c.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x);")
            .unwrap();
        let r = detect(&db);
        assert_eq!(r.state, ReplicationState::Off, "{r:?}");
        assert!(r.describe().contains("velodesk backup"));
    }

    #[test]
    fn litestream_tables_without_its_directory_mean_restored() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("city.db");
        let c = Connection::open(&db).unwrap();
        c.execute_batch(
            "CREATE TABLE _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER);
             CREATE TABLE _litestream_lock (id INTEGER);",
        )
        .unwrap();
        assert_eq!(detect(&db).state, ReplicationState::Restored);
        std::fs::create_dir_all(meta_dir(&db).join("ltx/0")).unwrap();
        std::fs::write(meta_dir(&db).join("ltx/0/1-1.ltx"), b"x").unwrap();
        let r = detect(&db);
        assert_eq!(r.state, ReplicationState::Stopped, "{r:?}");
        assert!(r.last_sync.is_some());
        assert!(r.describe().starts_with("OFF"), "{}", r.describe());
    }

    #[test]
    fn the_directory_is_named_as_litestream_names_it() {
        assert_eq!(
            meta_dir(Path::new("/srv/astana.db")),
            PathBuf::from("/srv/.astana.db-litestream")
        );
    }

    #[test]
    fn devices_are_written_as_proc_locks_writes_them() {
        // makedev(254, 0) and makedev(8, 17).
        assert_eq!(device(0xfe00), "fe:00");
        assert_eq!(device(0x0811), "08:11");
    }
}
