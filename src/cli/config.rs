//! The deployment configuration (`config.example.toml` documents every key): parsed once at
//! the boundary into a [`Config`] that cannot be invalid. A bad file is refused with
//! `file:line: reason`.

use crate::domain::Tenge;
use crate::domain::tariff::line_of;
use crate::engine::Settings;
use chrono_tz::Tz;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Why a configuration file was refused: which file, which line, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub reason: String,
}

/// The language of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Kk,
    Ru,
    En,
}

/// A validated configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The system's SQLite database.
    pub database: PathBuf,
    /// A bundled tariff (`astana`, `almaty`) or the path of a tariff file.
    pub tariff: String,
    /// The operator's local zone (D13).
    pub time_zone: Tz,
    /// D14: overrides the tariff's `approval_threshold`.
    pub fine_approval_threshold: Option<Tenge>,
    /// R10: seconds to pull the bike after a successful unlock.
    pub unlock_window_seconds: u32,
    /// R14: how long a cable-lock permission stays valid.
    pub cable_lock_valid_seconds: u32,
    /// R13: a bike reported faulty this soon after the start cancels the trip.
    pub faulty_grace_seconds: u32,
    /// The staff member the console acts as, when set.
    pub staff: Option<String>,
    pub language: Language,
    /// Where `velodesk serve` will listen.
    pub listen: SocketAddr,
    /// The depot's vans and what each carries (issue #16; optional, 2 × 20).
    pub vans: u32,
    pub van_capacity: u32,
    /// A desk shift's length in hours: quitting the console after it asks for the handover
    /// first (issue 17; optional, 8).
    pub shift_hours: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    database: PathBuf,
    tariff: String,
    time_zone: Spanned<String>,
    rules: RawRules,
    console: RawConsole,
    server: RawServer,
    depot: Option<RawDepot>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDepot {
    vans: Spanned<u32>,
    van_capacity: Spanned<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    fine_approval_threshold: Option<u32>,
    unlock_window_seconds: Spanned<u32>,
    cable_lock_valid_seconds: Spanned<u32>,
    faulty_grace_seconds: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConsole {
    staff: Option<String>,
    language: Language,
    shift_hours: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServer {
    listen: SocketAddr,
}

impl Config {
    /// Parse and validate a configuration. `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Config, ConfigError> {
        let err = |offset: usize, reason: String| ConfigError {
            file: file.to_string(),
            line: line_of(text, offset),
            reason,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            err(
                e.span().map(|s| s.start).unwrap_or(0),
                e.message().trim().to_string(),
            )
        })?;
        let time_zone: Tz = raw.time_zone.get_ref().parse().map_err(|_| {
            err(
                raw.time_zone.span().start,
                format!(
                    "unknown time zone {:?} (a tz database name such as \"Asia/Almaty\")",
                    raw.time_zone.get_ref()
                ),
            )
        })?;
        for (what, v) in [
            ("unlock_window_seconds", &raw.rules.unlock_window_seconds),
            (
                "cable_lock_valid_seconds",
                &raw.rules.cable_lock_valid_seconds,
            ),
        ] {
            if *v.get_ref() == 0 {
                return Err(err(
                    v.span().start,
                    format!("{what} must be at least 1 second"),
                ));
            }
        }
        let (vans, van_capacity) = match &raw.depot {
            Some(d) => {
                for (what, v, max) in [
                    ("vans", &d.vans, 50),
                    ("van_capacity", &d.van_capacity, 200),
                ] {
                    if !(1..=max).contains(v.get_ref()) {
                        return Err(err(
                            v.span().start,
                            format!("{what} must be from 1 to {max}"),
                        ));
                    }
                }
                (*d.vans.get_ref(), *d.van_capacity.get_ref())
            }
            None => (2, 20),
        };
        let shift_hours = match &raw.console.shift_hours {
            Some(h) if !(1..=24).contains(h.get_ref()) => {
                return Err(err(
                    h.span().start,
                    "shift_hours must be from 1 to 24".to_string(),
                ));
            }
            Some(h) => *h.get_ref(),
            None => crate::tui::app::DEFAULT_SHIFT_HOURS as u32,
        };
        Ok(Config {
            database: raw.database,
            tariff: raw.tariff,
            time_zone,
            fine_approval_threshold: raw
                .rules
                .fine_approval_threshold
                .map(|t| Tenge(i64::from(t))),
            unlock_window_seconds: *raw.rules.unlock_window_seconds.get_ref(),
            cable_lock_valid_seconds: *raw.rules.cable_lock_valid_seconds.get_ref(),
            faulty_grace_seconds: raw.rules.faulty_grace_seconds,
            staff: raw.console.staff.filter(|s| !s.trim().is_empty()),
            language: raw.console.language,
            listen: raw.server.listen,
            vans,
            van_capacity,
            shift_hours,
        })
    }

    /// Read and parse a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: file.clone(),
            line: 0,
            reason: format!("cannot read it: {e}"),
        })?;
        Config::parse(&file, &text)
    }

    /// The engine's settings from this configuration.
    pub fn settings(&self) -> Settings {
        Settings {
            unlock_window_s: i64::from(self.unlock_window_seconds),
            cable_auth_valid_s: i64::from(self.cable_lock_valid_seconds),
            faulty_grace_s: i64::from(self.faulty_grace_seconds),
            approval_threshold: self.fine_approval_threshold,
            vans: self.vans,
            van_capacity: self.van_capacity,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../../config.example.toml");

    #[test]
    fn the_example_parses_and_gives_the_documented_settings() {
        let c = Config::parse("config.example.toml", EXAMPLE).unwrap();
        assert_eq!(c.database, PathBuf::from("velodesk.db"));
        assert_eq!(c.tariff, "astana");
        assert_eq!(c.time_zone, chrono_tz::Asia::Almaty);
        assert_eq!(c.fine_approval_threshold, Some(Tenge(50_000)), "D14");
        assert_eq!(c.language, Language::Ru);
        let s = c.settings();
        let d = Settings::default();
        assert_eq!(
            (s.unlock_window_s, s.cable_auth_valid_s, s.faulty_grace_s),
            (d.unlock_window_s, d.cable_auth_valid_s, d.faulty_grace_s),
            "the example documents the engine's defaults (R10, R14, R13)"
        );
        assert_eq!(
            (s.vans, s.van_capacity),
            (d.vans, d.van_capacity),
            "2 vans of 20"
        );
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_line() {
        let text = EXAMPLE.replace("language = \"ru\"", "language = \"ru\"\ncolour = \"red\"");
        let line = text.lines().position(|l| l.starts_with("colour")).unwrap() + 1;
        let e = Config::parse("velodesk.toml", &text).unwrap_err();
        assert_eq!(e.line, line, "{e}");
        assert!(e.reason.contains("colour"), "{e}");
        assert!(e.to_string().starts_with(&format!("velodesk.toml:{line}:")));
    }

    #[test]
    fn a_bad_time_zone_or_language_names_the_line() {
        let text = EXAMPLE.replace("\"Asia/Almaty\"", "\"Asia/Nowhere\"");
        let line = text
            .lines()
            .position(|l| l.contains("Asia/Nowhere"))
            .unwrap()
            + 1;
        let e = Config::parse("c.toml", &text).unwrap_err();
        assert_eq!(e.line, line, "{e}");
        assert!(e.reason.contains("Asia/Nowhere"), "{e}");

        let text = EXAMPLE.replace("language = \"ru\"", "language = \"de\"");
        let line = text
            .lines()
            .position(|l| l.starts_with("language"))
            .unwrap()
            + 1;
        let e = Config::parse("c.toml", &text).unwrap_err();
        assert_eq!(e.line, line, "{e}");
    }

    #[test]
    fn a_zero_unlock_window_is_refused() {
        let text = EXAMPLE.replace("unlock_window_seconds = 30", "unlock_window_seconds = 0");
        let e = Config::parse("c.toml", &text).unwrap_err();
        assert!(e.reason.contains("unlock_window_seconds"), "{e}");
    }
}
