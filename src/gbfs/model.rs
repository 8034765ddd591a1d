//! What a GBFS feed is built from: the [`Snapshot`] of a system (its public settings, its
//! tariff, its stations with their live counts, the time) and where the feeds are
//! published ([`Publish`]). The system's GBFS settings live in the `meta` table under
//! `gbfs.*` keys; what is not set is derived from the tariff.

use super::GbfsError;
use crate::api::StationCounts;
use crate::domain::tariff::{Season, Tariff};
use crate::engine::{self, Engine};
use crate::store::fleet;
use crate::store::{self, StoreError};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::Connection;
use serde_json::Value;
use std::fmt;

/// A GBFS version velodesk publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    V2_3,
    V3_0,
}

impl Version {
    pub const ALL: [Version; 2] = [Version::V2_3, Version::V3_0];

    pub fn as_str(self) -> &'static str {
        match self {
            Version::V2_3 => "2.3",
            Version::V3_0 => "3.0",
        }
    }

    pub fn parse(s: &str) -> Option<Version> {
        Version::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One feed file: its GBFS name (`station_status`) and its JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub name: &'static str,
    pub json: Value,
}

impl Feed {
    /// The file name it is published under.
    pub fn file_name(&self) -> String {
        format!("{}.json", self.name)
    }
}

/// Where the feeds are published and how long a reader may keep them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publish {
    /// The root URL, e.g. `https://bike.example.kz/gbfs` (a trailing `/` is ignored).
    pub base_url: String,
    /// Seconds before the data may change (`ttl` of every feed).
    pub ttl: u32,
    /// The versions published side by side. With more than one, 2.3 is at the root and
    /// 3.0 under `v3/` (the server's `/gbfs/gbfs.json` and `/gbfs/v3/gbfs.json`); a single
    /// version is at the root.
    pub versions: Vec<Version>,
}

impl Publish {
    /// The directory of a version's feeds, relative to the root (`""` or `"v3"`).
    pub fn dir(&self, v: Version) -> &'static str {
        if self.versions.len() > 1 && v == Version::V3_0 {
            "v3"
        } else {
            ""
        }
    }

    /// The URL of one feed of a version.
    pub fn url(&self, v: Version, name: &str) -> String {
        let base = self.base_url.trim_end_matches('/');
        match self.dir(v) {
            "" => format!("{base}/{name}.json"),
            dir => format!("{base}/{dir}/{name}.json"),
        }
    }
}

/// The public face of the system in `system_information`: no personal data, only the
/// operator's own settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemInfo {
    /// Stable identifier: the city in ASCII (`almaty`) unless set.
    pub system_id: String,
    /// The system's name shown to riders (the tariff's name unless set).
    pub name: String,
    pub operator: Option<String>,
    /// The operator's public web site.
    pub url: Option<String>,
    /// The operator's public customer-service phone.
    pub phone_number: Option<String>,
    /// The operator's public customer-service e-mail.
    pub email: Option<String>,
    /// Who to write to about the feed itself (required by GBFS 3.0).
    pub feed_contact_email: Option<String>,
    /// IANA zone, e.g. `Asia/Almaty`.
    pub timezone: String,
    /// The languages of the console and riders' messages, first the main one.
    pub languages: Vec<String>,
    /// OSM `opening_hours` of the rental season (R8: any time of day in the season).
    pub opening_hours: String,
}

/// The `meta` keys of the GBFS settings, and the field each fills.
pub const SETTINGS: [(&str, &str); 6] = [
    ("gbfs.system_id", "system id"),
    ("gbfs.operator", "operator"),
    ("gbfs.url", "web site"),
    ("gbfs.phone_number", "public phone"),
    ("gbfs.email", "public e-mail"),
    ("gbfs.feed_contact_email", "feed contact e-mail"),
];

impl SystemInfo {
    /// Read the settings from `meta`, deriving what is not set from the tariff.
    pub fn read(c: &Connection, tariff: &Tariff) -> Result<SystemInfo, StoreError> {
        let get = |key: &str| store::get_meta(c, key);
        Ok(SystemInfo {
            system_id: get("gbfs.system_id")?.unwrap_or_else(|| slug(&tariff.city)),
            name: tariff.name.clone(),
            operator: get("gbfs.operator")?,
            url: get("gbfs.url")?,
            phone_number: get("gbfs.phone_number")?,
            email: get("gbfs.email")?,
            feed_contact_email: get("gbfs.feed_contact_email")?,
            timezone: tariff.time_zone.name().to_string(),
            languages: vec!["ru".into(), "kk".into(), "en".into()],
            opening_hours: opening_hours(&tariff.season),
        })
    }
}

/// `Almaty Bike` → `almaty-bike`: ASCII letters and digits, words joined by `-`.
pub fn slug(name: &str) -> String {
    let words: Vec<String> = name
        .split(|ch: char| !ch.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() {
        "velodesk".into()
    } else {
        words.join("-")
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_day((m, d): (u32, u32)) -> String {
    let name = MONTHS.get(m.saturating_sub(1) as usize).unwrap_or(&"Jan");
    format!("{name} {d:02}")
}

fn date(d: NaiveDate) -> String {
    format!("{} {}", d.year(), month_day((d.month(), d.day())))
}

/// The season as OSM `opening_hours`: renting at any time of day inside it (R8).
pub fn opening_hours(season: &Season) -> String {
    match *season {
        Season::AllYear => "24/7".into(),
        Season::Yearly { from, to } => {
            format!("{}-{} 00:00-24:00", month_day(from), month_day(to))
        }
        Season::Dates { from, to } => format!("{}-{} 00:00-24:00", date(from), date(to)),
    }
}

/// Everything a feed is built from, read at one instant.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub system: SystemInfo,
    pub tariff: Tariff,
    pub stations: Vec<StationCounts>,
    pub now: DateTime<Utc>,
}

impl Snapshot {
    /// Read a snapshot in one read transaction `c`, with the tariff in force at `now`.
    pub fn read(
        c: &Connection,
        tariff: &Tariff,
        now: DateTime<Utc>,
    ) -> Result<Snapshot, StoreError> {
        Ok(Snapshot {
            system: SystemInfo::read(c, tariff)?,
            tariff: tariff.clone(),
            stations: fleet::stations(c)?,
            now,
        })
    }

    /// Read a snapshot from the database alone, in one read transaction on `c` (the
    /// server's own connection, never the engine's writer): the tariff in force at `now`
    /// (D8) comes from the stored tariffs.
    pub fn read_stored(c: &Connection, now: DateTime<Utc>) -> Result<Snapshot, GbfsError> {
        let failed = |message: String| GbfsError::Source {
            source_name: "the system's database".into(),
            message,
        };
        let tx = c
            .unchecked_transaction()
            .map_err(|e| failed(e.to_string()))?;
        let mut tariffs = Vec::new();
        for (name, source) in store::tariffs(&tx).map_err(|e| failed(e.to_string()))? {
            tariffs.push(Tariff::parse(&name, &source).map_err(|e| failed(e.to_string()))?);
        }
        tariffs.sort_by_key(|t| t.effective_from);
        let tariff =
            Tariff::in_force(&tariffs, now).ok_or_else(|| failed("it has no tariff".into()))?;
        Snapshot::read(&tx, tariff, now).map_err(|e| failed(e.to_string()))
    }

    /// The engine's system as it is at `now`.
    pub fn load(engine: &mut Engine, now: DateTime<Utc>) -> engine::Result<Snapshot> {
        let tariff = engine.tariff_at(now).clone();
        engine.read(|_, c| Ok(Snapshot::read(c, &tariff, now)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_season_reads_as_opening_hours() {
        assert_eq!(opening_hours(&Season::AllYear), "24/7");
        let astana = Season::Yearly {
            from: (4, 1),
            to: (10, 31),
        };
        assert_eq!(opening_hours(&astana), "Apr 01-Oct 31 00:00-24:00");
    }

    #[test]
    fn system_ids_are_ascii_words() {
        assert_eq!(slug("Almaty Bike"), "almaty-bike");
        assert_eq!(slug("Астана"), "velodesk");
    }

    #[test]
    fn both_versions_side_by_side_put_3_0_under_v3() {
        let p = Publish {
            base_url: "https://x.kz/gbfs/".into(),
            ttl: 60,
            versions: vec![Version::V2_3, Version::V3_0],
        };
        assert_eq!(p.url(Version::V2_3, "gbfs"), "https://x.kz/gbfs/gbfs.json");
        assert_eq!(
            p.url(Version::V3_0, "gbfs"),
            "https://x.kz/gbfs/v3/gbfs.json"
        );
        let alone = Publish {
            versions: vec![Version::V3_0],
            ..p
        };
        assert_eq!(
            alone.url(Version::V3_0, "gbfs"),
            "https://x.kz/gbfs/gbfs.json"
        );
    }
}
