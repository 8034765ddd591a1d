//! Setting up a system: stations, bikes, riders and staff, each checked at the boundary.

use super::{Engine, Event, Result, refuse};
use crate::api::NewRider;
use crate::api::NewStation;
use crate::domain::roles::Role;
use crate::domain::{BikeId, Refusal, RiderId, StationId};
use crate::store::fleet;
use crate::store::people;

impl Engine {
    pub fn add_station(&mut self, s: &NewStation) -> Result<()> {
        self.write(|ctx, c| {
            if s.docks > 500 {
                return refuse(
                    Refusal::Invalid,
                    format!("station {}: {} docks is not plausible", s.id, s.docks),
                );
            }
            if let Some(why) = station_problem(s) {
                return refuse(Refusal::Invalid, format!("station {}: {why}", s.id));
            }
            fleet::upsert_station(c, s, ctx.now)?;
            ctx.emit(Event::StationChanged { station: s.id });
            Ok(())
        })
    }

    /// A new bike, docked at `station` (takes a free dock) or in the van.
    pub fn add_bike(&mut self, bike: BikeId, station: Option<StationId>) -> Result<()> {
        self.write(|ctx, c| {
            if fleet::bike(c, bike)?.is_some() {
                return refuse(Refusal::Invalid, format!("bike {bike} exists already"));
            }
            fleet::insert_bike(c, bike, ctx.now)?;
            if let Some(st) = station {
                if fleet::station(c, st)?.is_none() {
                    return refuse(Refusal::NotFound, format!("no station {st}"));
                }
                let Some(dock) = fleet::free_dock(c, st)? else {
                    return refuse(
                        Refusal::StationFull,
                        format!("station {st} has no free dock for bike {bike}"),
                    );
                };
                fleet::dock_bike(c, bike, st, dock, ctx.now)?;
                ctx.emit(Event::StationChanged { station: st });
            }
            Ok(())
        })
    }

    pub fn add_rider(&mut self, r: &NewRider) -> Result<RiderId> {
        self.write(|ctx, c| {
            if let Some(id) = r.id
                && people::rider(c, id)?.is_some()
            {
                return refuse(Refusal::Invalid, format!("rider {id} exists already"));
            }
            if !matches!(r.lang.as_str(), "kk" | "ru" | "en") {
                return refuse(
                    Refusal::Invalid,
                    format!("language {:?}: use kk, ru or en", r.lang),
                );
            }
            Ok(people::insert_rider(c, r, ctx.now)?)
        })
    }

    pub fn add_staff(&mut self, name: &str, role: Role, password_hash: Option<&str>) -> Result<()> {
        self.write(|ctx, c| {
            if let Some(why) = staff_name_problem(name) {
                return refuse(Refusal::Invalid, why);
            }
            people::insert_staff(c, name, role, password_hash, ctx.now)?;
            Ok(())
        })
    }
}

/// The longest staff name.
pub const STAFF_NAME_MAX: usize = 64;
/// The largest station code.
pub const STATION_ID_MAX: i64 = 999_999_999;

/// Why `name` cannot be a staff member's: 1 to 64 ASCII letters, digits, `.`, `_` or `-`
/// (a login name typed at any keyboard: no spaces, no look-alike or invisible characters
/// such as a zero-width space).
pub fn staff_name_problem(name: &str) -> Option<String> {
    let n = name.chars().count();
    if n == 0 || n > STAFF_NAME_MAX {
        let shown: String = name.chars().take(20).collect();
        return Some(format!(
            "staff name {shown:?}{}: 1 to {STAFF_NAME_MAX} characters, not {n}",
            if n > 20 { "…" } else { "" }
        ));
    }
    name.chars()
        .find(|ch| !(ch.is_ascii_alphanumeric() || matches!(ch, '.' | '_' | '-')))
        .map(|ch| {
            format!(
                "staff name {name:?}: character {:?} (U+{:04X}) is not allowed; use the letters a-z and A-Z, digits, '.', '_' or '-'",
                ch, ch as u32
            )
        })
}

/// Why a station cannot be stored as given, if it cannot.
fn station_problem(s: &NewStation) -> Option<String> {
    let text = |what: &str, v: &str, max: usize| -> Option<String> {
        let n = v.chars().count();
        if n > max {
            Some(format!("{what}: at most {max} characters, not {n}"))
        } else if v.chars().any(char::is_control) {
            Some(format!("{what}: no control characters"))
        } else {
            None
        }
    };
    if !(1..=STATION_ID_MAX).contains(&s.id.0) {
        return Some(format!("the code must be from 1 to {STATION_ID_MAX}"));
    }
    if s.name.trim().is_empty() {
        return Some("name: must not be empty".into());
    }
    if !(s.lat.is_finite() && (-90.0..=90.0).contains(&s.lat)) {
        return Some(format!("lat: {} is not a latitude (-90 to 90)", s.lat));
    }
    if !(s.lon.is_finite() && (-180.0..=180.0).contains(&s.lon)) {
        return Some(format!("lon: {} is not a longitude (-180 to 180)", s.lon));
    }
    text("name", &s.name, 200)
        .or_else(|| text("name_kk", s.name_kk.as_deref().unwrap_or(""), 200))
        .or_else(|| text("name_en", s.name_en.as_deref().unwrap_or(""), 200))
        .or_else(|| text("address", &s.address, 500))
}
