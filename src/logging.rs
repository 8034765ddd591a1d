//! Where log lines go (the `log` facade the engine and server write to): the commands and
//! `velodesk serve` print them to standard error, the console appends them to its log file
//! (a terminal program never writes over its own screen). Installed once per process.

use log::{Level, LevelFilter, Log, Metadata, Record};
use std::io::Write;
use std::path::PathBuf;

struct Sink {
    /// `None`: standard error.
    file: Option<PathBuf>,
}

impl Log for Sink {
    /// velodesk's own lines from `info` up; a library's only from `warn` (rusqlite_migration
    /// says "Database migrated to version N" at `info` whenever a database is created).
    fn enabled(&self, m: &Metadata<'_>) -> bool {
        let ours = m.target().starts_with("velodesk");
        m.level() <= if ours { Level::Info } else { Level::Warn }
    }

    fn log(&self, r: &Record<'_>) {
        if !self.enabled(r.metadata()) {
            return;
        }
        let line = format!(
            "{} {:<5} {}",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
            r.level(),
            r.args()
        );
        match &self.file {
            None => {
                let _ = writeln!(std::io::stderr(), "{line}");
            }
            Some(path) => {
                if let Some(dir) = path.parent() {
                    let _ = std::fs::create_dir_all(dir);
                }
                if let Ok(mut f) = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                {
                    let _ = writeln!(f, "{line}");
                }
            }
        }
    }

    fn flush(&self) {}
}

/// Log lines to standard error (the commands, the server). A second call changes nothing.
pub fn to_stderr() {
    install(Sink { file: None });
}

/// Log lines appended to `path` (the console). A second call changes nothing.
pub fn to_file(path: PathBuf) {
    install(Sink { file: Some(path) });
}

fn install(sink: Sink) {
    if log::set_boxed_logger(Box::new(sink)).is_ok() {
        log::set_max_level(LevelFilter::Info);
    }
}
