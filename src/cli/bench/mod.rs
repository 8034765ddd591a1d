//! `velodesk bench …`: measurements on throw-away databases, each with the raw SQLite
//! figure measured beside it in the same run (STYLE: benchmarks are commands, not tests).

pub mod console;
pub mod day;
pub mod load;
pub mod names;
pub mod policies;
pub mod rebalance;
pub mod search;
pub mod settle;
pub mod start;

use super::CliError;
use color_eyre::eyre;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A directory for a bench's databases, removed when the bench ends.
pub struct BenchDir {
    path: PathBuf,
}

impl BenchDir {
    pub fn new(base: Option<&Path>) -> Result<BenchDir, CliError> {
        let base = base
            .map(Path::to_path_buf)
            .unwrap_or_else(std::env::temp_dir);
        if !base.is_dir() {
            return Err(CliError::input(format!(
                "--dir {}: no such directory",
                base.display()
            )));
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path = base.join(format!("velodesk-bench-{}-{nanos}", std::process::id()));
        std::fs::create_dir(&path).map_err(|e| {
            CliError::Failed(eyre::Report::new(e).wrap_err(format!("creating {}", path.display())))
        })?;
        Ok(BenchDir { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for BenchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Progress on stderr, only when stderr is a terminal (never in logs or pipes).
pub struct Progress {
    enabled: bool,
    label: String,
    total: u64,
    last: Instant,
}

impl Progress {
    pub fn new(label: &str, total: u64) -> Progress {
        Progress {
            enabled: std::io::stderr().is_terminal(),
            label: label.to_string(),
            total,
            last: Instant::now(),
        }
    }

    pub fn tick(&mut self, done: u64) {
        if self.enabled && self.last.elapsed() >= Duration::from_millis(200) {
            self.last = Instant::now();
            let mut err = std::io::stderr();
            let _ = write!(
                err,
                "\r\x1b[K{} {}/{}",
                self.label,
                group(done),
                group(self.total)
            );
            let _ = err.flush();
        }
    }

    pub fn done(&mut self) {
        if self.enabled {
            let _ = write!(std::io::stderr(), "\r\x1b[K");
        }
    }
}

/// `1 000 000`: thousands grouped as money is (D7).
impl BenchDir {
    /// A fresh Astana system in `velodesk.db` inside this directory.
    pub fn engine(&self) -> Result<crate::engine::Engine, CliError> {
        let store = crate::store::Store::open(&self.path().join("velodesk.db"))
            .map_err(failed("creating the bench database"))?;
        let text = crate::domain::tariff::bundled("astana").unwrap_or_default();
        crate::engine::Engine::init(
            store,
            "assets/tariffs/astana.toml",
            text,
            crate::engine::Settings::default(),
        )
        .map_err(failed("creating the bench system"))
    }
}

pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

/// A duration for people: `812 ns`, `12.3 µs`, `4.56 ms`, `7.89 s`.
pub fn human(d: Duration) -> String {
    let ns = d.as_nanos();
    if ns < 1_000 {
        format!("{ns} ns")
    } else if ns < 1_000_000 {
        format!("{:.1} µs", ns as f64 / 1e3)
    } else if ns < 1_000_000_000 {
        format!("{:.2} ms", ns as f64 / 1e6)
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

/// Per second, grouped: `123 456/s`.
pub fn rate(n: u64, d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs <= 0.0 {
        return "-".into();
    }
    format!("{}/s", group((n as f64 / secs).round() as u64))
}

/// Median and 99th percentile of a sample (nearest rank).
pub fn median_p99(samples: &mut [Duration]) -> (Duration, Duration) {
    if samples.is_empty() {
        return (Duration::ZERO, Duration::ZERO);
    }
    samples.sort_unstable();
    let rank = |p: f64| {
        let r = ((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
        samples[r - 1]
    };
    (rank(0.50), rank(0.99))
}

/// A bench failure that is not the user's doing.
pub fn failed<E>(doing: &str) -> impl FnOnce(E) -> CliError + '_
where
    E: std::error::Error + Send + Sync + 'static,
{
    move |e| CliError::Failed(eyre::Report::new(e).wrap_err(doing.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let mut s: Vec<Duration> = (1..=100).map(Duration::from_micros).collect();
        assert_eq!(
            median_p99(&mut s),
            (Duration::from_micros(50), Duration::from_micros(99))
        );
        let mut one = vec![Duration::from_micros(7)];
        assert_eq!(
            median_p99(&mut one),
            (Duration::from_micros(7), Duration::from_micros(7))
        );
    }

    #[test]
    fn counts_are_grouped_like_money() {
        assert_eq!(group(1_000_000), "1 000 000");
        assert_eq!(group(999), "999");
    }
}
