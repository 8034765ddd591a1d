//! Seeding or updating stations from another system's data (a GBFS feed) in one
//! transaction, with one audit record naming the source and the counts: all of it lands,
//! or none of it.
//!
//! Rules of an import: a station is matched by its code; what the source does not say is
//! kept (Kazakh and English names, address, docks); docks are added, never removed (a
//! dock may hold a bike); bikes are only added, docked in free docks, up to the count the
//! source gives — never taken away, since a bike may be in a rental or at the depot.

use super::{Engine, Event, Result, refuse};
use crate::domain::{BikeId, Refusal, StationId};
use crate::store::{self, audit, fleet};
use rusqlite::Connection;

/// At most this many docks at one station (the same bound as adding a station by hand).
pub const MAX_DOCKS: u32 = 500;

/// A station as the source gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportStation {
    /// The source's id for it (GBFS `station_id`).
    pub source_id: String,
    /// The station code, when the source id is one; otherwise a code is assigned once and
    /// remembered, so a later import updates the same station.
    pub code: Option<StationId>,
    pub name: String,
    pub name_kk: Option<String>,
    pub name_en: Option<String>,
    pub address: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// `None` when the source does not say.
    pub docks: Option<u32>,
    pub active: bool,
    /// Bikes to have at the station (`--with-bikes`), when the source says.
    pub bikes: Option<u32>,
}

/// What to import, and from where (for the audit record).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StationImport {
    /// The source as the operator named it (a directory, a URL).
    pub source: String,
    pub stations: Vec<ImportStation>,
    /// Entries of the source that were not importable (reported by the caller).
    pub skipped: usize,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub bikes_added: u32,
    /// Things the operator should know (docks not removed, bikes that did not fit, codes
    /// assigned).
    pub notes: Vec<String>,
}

/// The `meta` key remembering the code given to a source's non-numeric station id.
fn code_key(source_id: &str) -> String {
    format!("gbfs.station_code.{source_id}")
}

impl Engine {
    /// Import stations (and, when given, bike counts) in one transaction, audited as the
    /// system's import naming the source and the counts.
    pub fn import_stations(&mut self, import: &StationImport) -> Result<ImportReport> {
        self.write(|ctx, c| {
            let mut report = ImportReport::default();
            let mut next_code = first_free_code(c, import)?;
            let mut next_bike = fleet::max_bike_id(c)? + 1;
            for s in &import.stations {
                let code = match s.code {
                    Some(code) => code,
                    None => match store::get_meta(c, &code_key(&s.source_id))?
                        .and_then(|v| v.parse::<i64>().ok())
                    {
                        Some(code) => StationId(code),
                        None => {
                            let code = StationId(next_code);
                            next_code += 1;
                            store::set_meta(c, &code_key(&s.source_id), &code.0.to_string())?;
                            report.notes.push(format!(
                                "station {:?} is station {code} here (its id is not a number)",
                                s.source_id
                            ));
                            code
                        }
                    },
                };
                let before = fleet::station(c, code)?;
                let new = merge(code, s, before.as_ref(), &mut report)?;
                let changed = match &before {
                    None => {
                        report.added += 1;
                        true
                    }
                    Some(b) => {
                        let same = b.name == new.name
                            && b.name_kk == new.name_kk
                            && b.name_en == new.name_en
                            && b.address == new.address
                            && b.lat == new.lat
                            && b.lon == new.lon
                            && b.active == new.active
                            && b.docks >= new.docks;
                        if same {
                            report.unchanged += 1;
                        } else {
                            report.updated += 1;
                        }
                        !same
                    }
                };
                if changed {
                    fleet::upsert_station(c, &new, ctx.now)?;
                }
                if let Some(want) = s.bikes {
                    let added = add_bikes(c, code, want, &mut next_bike, ctx.now, &mut report)?;
                    report.bikes_added += added;
                }
                ctx.emit(Event::StationChanged { station: code });
            }
            let details = format!(
                "{} added, {} updated, {} unchanged, {} bikes added, {} skipped",
                report.added, report.updated, report.unchanged, report.bikes_added, import.skipped
            );
            audit::record(
                c,
                ctx.now,
                &ctx.local(ctx.now),
                "system",
                "system",
                "import-stations",
                None,
                &import.source,
                "",
                &details,
            )?;
            Ok(report)
        })
    }
}

/// The station to write: the source's values, the stored ones where the source is silent.
fn merge(
    code: StationId,
    s: &ImportStation,
    before: Option<&crate::api::StationCounts>,
    report: &mut ImportReport,
) -> Result<crate::api::NewStation> {
    if s.name.trim().is_empty() {
        return refuse(Refusal::Invalid, format!("station {code}: no name"));
    }
    if !(-90.0..=90.0).contains(&s.lat) || !(-180.0..=180.0).contains(&s.lon) {
        return refuse(
            Refusal::Invalid,
            format!(
                "station {code}: coordinates {}, {} are not on Earth",
                s.lat, s.lon
            ),
        );
    }
    if let Some(d) = s.docks
        && d > MAX_DOCKS
    {
        return refuse(
            Refusal::Invalid,
            format!("station {code}: {d} docks is not plausible (at most {MAX_DOCKS})"),
        );
    }
    let docks = match (s.docks, before) {
        (Some(d), Some(b)) if d < b.docks => {
            report.notes.push(format!(
                "station {code}: the source says {d} docks, it has {}: docks are never removed",
                b.docks
            ));
            b.docks
        }
        (Some(d), _) => d,
        (None, Some(b)) => b.docks,
        (None, None) => {
            report.notes.push(format!(
                "station {code}: the source gives no capacity: created without docks"
            ));
            0
        }
    };
    let keep = |given: &Option<String>, stored: Option<&Option<String>>| {
        given.clone().or_else(|| stored.cloned().flatten())
    };
    Ok(crate::api::NewStation {
        id: code,
        name: s.name.clone(),
        name_kk: keep(&s.name_kk, before.map(|b| &b.name_kk)),
        name_en: keep(&s.name_en, before.map(|b| &b.name_en)),
        address: s
            .address
            .clone()
            .or_else(|| before.map(|b| b.address.clone()))
            .unwrap_or_default(),
        lat: s.lat,
        lon: s.lon,
        docks,
        active: s.active,
    })
}

/// Dock new bikes at `station` until it holds `want` (docked or cable-locked, faulty
/// included), as far as free docks allow. Returns how many were added.
fn add_bikes(
    c: &Connection,
    station: StationId,
    want: u32,
    next_bike: &mut i64,
    now: chrono::DateTime<chrono::Utc>,
    report: &mut ImportReport,
) -> Result<u32> {
    let Some(st) = fleet::station(c, station)? else {
        return Ok(0);
    };
    let have = st.bikes + st.faulty;
    if have >= want {
        if have > want {
            report.notes.push(format!(
                "station {station}: has {have} bikes, the source says {want}: none taken away"
            ));
        }
        return Ok(0);
    }
    let mut added = 0;
    while have + added < want {
        let Some(dock) = fleet::free_dock(c, station)? else {
            report.notes.push(format!(
                "station {station}: {} of {} bikes added, no free dock for the rest",
                added,
                want - have
            ));
            break;
        };
        let bike = BikeId(*next_bike);
        *next_bike += 1;
        fleet::insert_bike(c, bike, now)?;
        fleet::dock_bike(c, bike, station, dock, now)?;
        added += 1;
    }
    Ok(added)
}

/// The first code above every station code in use and every numeric code in the import.
fn first_free_code(c: &Connection, import: &StationImport) -> Result<i64> {
    let stored = fleet::max_station_id(c)?;
    let given = import
        .stations
        .iter()
        .filter_map(|s| s.code.map(|c| c.0))
        .max()
        .unwrap_or(0);
    Ok(stored.max(given) + 1)
}
