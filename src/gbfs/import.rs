//! Reading a real system's GBFS feed (2.x or 3.0) into stations velodesk can hold. Real
//! feeds are messy: booleans written `1`/`0` or `"true"`, `num_bikes_available` beside
//! `num_vehicles_available`, station ids as numbers or as words, missing capacity,
//! fields nobody asked for. Whatever is meaningful is taken; a station that cannot be
//! placed or named is skipped with its reason; unknown fields are ignored. Pure: the
//! documents come in, a [`Plan`] goes out.

use crate::domain::StationId;
use crate::engine::MAX_IMPORT_DOCKS as MAX_DOCKS;
use crate::engine::{ImportStation, StationImport};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// The documents of one feed, as fetched.
#[derive(Debug, Clone, Default)]
pub struct FeedDocs {
    /// Where they came from, for messages and the audit record.
    pub source: String,
    pub station_information: Value,
    pub station_status: Option<Value>,
    pub system_information: Option<Value>,
}

/// A station of the source that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The station's id in the source, or its position when it has none.
    pub station: String,
    pub reason: String,
}

/// What an import will do, and what it will not.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub import: StationImport,
    pub skipped: Vec<Skipped>,
    /// Facts worth telling (a field taken from a fallback, a status without a station).
    pub notes: Vec<String>,
    /// The feed's `version`, when it says.
    pub version: Option<String>,
}

/// Read the stations of `docs`; with `with_bikes`, also how many bikes each holds now.
pub fn plan(docs: &FeedDocs, with_bikes: bool) -> Plan {
    let mut p = Plan {
        version: docs
            .station_information
            .get("version")
            .and_then(Value::as_str)
            .map(str::to_string),
        ..Plan::default()
    };
    let main = main_language(docs.system_information.as_ref());
    let statuses = statuses(docs.station_status.as_ref(), &mut p);
    let Some(list) = stations_of(&docs.station_information) else {
        p.notes
            .push("station_information has no data.stations list: nothing to import".into());
        return p;
    };
    let mut seen_ids = HashSet::new();
    let mut seen_codes: HashMap<StationId, String> = HashMap::new();
    for (i, raw) in list.iter().enumerate() {
        let label = raw
            .get("station_id")
            .and_then(id_of)
            .unwrap_or_else(|| format!("#{} (no station_id)", i + 1));
        if seen_ids.contains(&label) {
            p.skipped.push(Skipped {
                station: label,
                reason: "the same station_id appears earlier in the feed".into(),
            });
            continue;
        }
        match station(raw, &main, statuses.get(&label), with_bikes, &mut p.notes) {
            Err(reason) => p.skipped.push(Skipped {
                station: label,
                reason,
            }),
            Ok(s) => {
                seen_ids.insert(s.source_id.clone());
                if let Some(code) = s.code
                    && let Some(first) = seen_codes.insert(code, s.source_id.clone())
                {
                    p.skipped.push(Skipped {
                        station: label,
                        reason: format!(
                            "station_id {first:?} earlier in the feed is the same code {code}"
                        ),
                    });
                    continue;
                }
                p.import.stations.push(s);
            }
        }
    }
    let known: HashSet<&String> = seen_ids.iter().collect();
    let orphans = statuses.keys().filter(|id| !known.contains(id)).count();
    if orphans > 0 {
        p.notes.push(format!(
            "station_status has {orphans} station(s) that station_information does not: ignored"
        ));
    }
    p.import.source = docs.source.clone();
    p.import.skipped = p.skipped.len();
    p
}

fn stations_of(doc: &Value) -> Option<&Vec<Value>> {
    doc.get("data")?.get("stations")?.as_array()
}

/// The language station names are read in first: Russian where the feed has it (it is
/// velodesk's main language), else the feed's own.
fn main_language(system: Option<&Value>) -> Vec<String> {
    let mut out = vec!["ru".to_string()];
    let data = system.and_then(|s| s.get("data"));
    if let Some(l) = data.and_then(|d| d.get("language")).and_then(Value::as_str) {
        out.push(l.to_string());
    }
    if let Some(ls) = data
        .and_then(|d| d.get("languages"))
        .and_then(Value::as_array)
    {
        out.extend(ls.iter().filter_map(Value::as_str).map(str::to_string));
    }
    out
}

/// A station's status, by station id.
fn statuses<'a>(doc: Option<&'a Value>, p: &mut Plan) -> HashMap<String, &'a Value> {
    let mut out = HashMap::new();
    let Some(doc) = doc else {
        return out;
    };
    let Some(list) = stations_of(doc) else {
        p.notes
            .push("station_status has no data.stations list: ignored".into());
        return out;
    };
    for s in list {
        if let Some(id) = s.get("station_id").and_then(id_of) {
            out.entry(id).or_insert(s);
        }
    }
    out
}

/// A station id: a string, or a whole number written as one.
fn id_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => n
            .as_u64()
            .map(|n| n.to_string())
            .or_else(|| n.as_i64().map(|n| n.to_string())),
        _ => None,
    }
}

/// A station code from an id: a positive whole number (`"2351"`, `"0042"`).
fn code_of(id: &str) -> Option<StationId> {
    if !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse::<i64>().ok().filter(|n| *n > 0).map(StationId)
}

/// `true`/`false`, `1`/`0`, `"true"`/`"1"`/`"yes"` and their opposites.
fn bool_of(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_u64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A count: a whole number ≥ 0, also written as `12.0` or `"12"`.
fn count_of(v: &Value) -> Option<u32> {
    let x = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    (x >= 0.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX)).then_some(x as u32)
}

/// A coordinate: a number, also written as a string.
fn number_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|x| x.is_finite())
}

/// Names by language: a plain string (2.x) has no language; a 3.0 list has one each.
fn names_of(v: &Value) -> Vec<(Option<String>, String)> {
    let clean = |s: &str| {
        let s = s.trim();
        (!s.is_empty()).then(|| s.to_string())
    };
    match v {
        Value::String(s) => clean(s).map(|s| vec![(None, s)]).unwrap_or_default(),
        Value::Array(items) => items
            .iter()
            .filter_map(|item| {
                let text = clean(item.get("text")?.as_str()?)?;
                let lang = item
                    .get("language")
                    .and_then(Value::as_str)
                    .map(|l| l.to_ascii_lowercase());
                Some((lang, text))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The first field of `names` that `v` has, with its value.
fn first_field<'a>(v: &'a Value, names: &[&'static str]) -> Option<(&'static str, &'a Value)> {
    names
        .iter()
        .find_map(|n| v.get(*n).filter(|x| !x.is_null()).map(|x| (*n, x)))
}

fn station(
    raw: &Value,
    main: &[String],
    status: Option<&&Value>,
    with_bikes: bool,
    notes: &mut Vec<String>,
) -> Result<ImportStation, String> {
    let id = raw
        .get("station_id")
        .and_then(id_of)
        .ok_or("no station_id")?;
    let names = raw.get("name").map(names_of).unwrap_or_default();
    let in_lang = |lang: &str| {
        names
            .iter()
            .find(|(l, _)| l.as_deref() == Some(lang))
            .map(|(_, t)| t.clone())
    };
    let name = main
        .iter()
        .find_map(|l| in_lang(l))
        .or_else(|| names.first().map(|(_, t)| t.clone()))
        .ok_or("no name")?;
    let lat = raw.get("lat").and_then(number_of).ok_or("no latitude")?;
    let lon = raw.get("lon").and_then(number_of).ok_or("no longitude")?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!("coordinates {lat}, {lon} are not on Earth"));
    }
    if lat == 0.0 && lon == 0.0 {
        return Err("coordinates 0, 0 (a placeholder, not a place)".into());
    }
    let status = status.copied();
    let docks = match raw.get("capacity").filter(|c| !c.is_null()) {
        Some(c) => Some(count_of(c).ok_or_else(|| format!("capacity {c} is not a count"))?),
        None => status.and_then(capacity_from_status),
    };
    if let Some(d) = docks
        && d > MAX_DOCKS
    {
        return Err(format!(
            "capacity {d} is not plausible for one station (at most {MAX_DOCKS} docks)"
        ));
    }
    let flag = |field: &str| status.and_then(|s| s.get(field)).and_then(bool_of);
    let active = match status {
        None => true,
        Some(_) => {
            flag("is_installed").unwrap_or(true)
                && (flag("is_renting").unwrap_or(true) || flag("is_returning").unwrap_or(true))
        }
    };
    let bikes = if with_bikes {
        status.and_then(|s| bikes_of(&id, s, docks, notes))
    } else {
        None
    };
    Ok(ImportStation {
        code: code_of(&id),
        source_id: id,
        name_kk: in_lang("kk"),
        name_en: in_lang("en"),
        name,
        address: raw
            .get("address")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string),
        lat,
        lon,
        docks,
        active,
        bikes,
    })
}

/// Capacity when the feed does not give it: bikes (working and not) plus docks (free and
/// not) at the station now.
fn capacity_from_status(s: &Value) -> Option<u32> {
    let get = |names: &[&'static str]| first_field(s, names).and_then(|(_, v)| count_of(v));
    let docks = get(&["num_docks_available"])?;
    let bikes = get(&["num_bikes_available", "num_vehicles_available"]).unwrap_or(0);
    let bikes_off = get(&["num_bikes_disabled", "num_vehicles_disabled"]).unwrap_or(0);
    let docks_off = get(&["num_docks_disabled"]).unwrap_or(0);
    Some(docks + bikes + bikes_off + docks_off)
}

/// Bikes at the station now: `num_bikes_available` (2.x) or `num_vehicles_available`
/// (3.0); when a feed gives both and they differ, the larger, with a note.
fn bikes_of(id: &str, s: &Value, docks: Option<u32>, notes: &mut Vec<String>) -> Option<u32> {
    let bikes = s.get("num_bikes_available").and_then(count_of);
    let vehicles = s.get("num_vehicles_available").and_then(count_of);
    let n = match (bikes, vehicles) {
        (Some(b), Some(v)) if b != v => {
            notes.push(format!(
                "station {id}: num_bikes_available {b} and num_vehicles_available {v} differ: took {}",
                b.max(v)
            ));
            b.max(v)
        }
        (b, v) => b.or(v)?,
    };
    match docks {
        Some(d) if n > d => {
            notes.push(format!("station {id}: {n} bikes for {d} docks: took {d}"));
            Some(d)
        }
        _ => Some(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn docs(info: Value, status: Value) -> FeedDocs {
        FeedDocs {
            source: "test".into(),
            station_information: json!({ "version": "2.2", "data": { "stations": info } }),
            station_status: Some(json!({ "data": { "stations": status } })),
            system_information: None,
        }
    }

    #[test]
    fn booleans_as_numbers_and_words_are_read() {
        for (v, want) in [
            (json!(1), Some(true)),
            (json!(0), Some(false)),
            (json!("true"), Some(true)),
            (json!("0"), Some(false)),
            (json!(2), None),
            (json!(null), None),
        ] {
            assert_eq!(bool_of(&v), want, "{v}");
        }
    }

    #[test]
    fn a_missing_capacity_comes_from_the_status_counts() {
        let p = plan(
            &docs(
                json!([{ "station_id": 7, "name": "A", "lat": 43.2, "lon": 76.9 }]),
                json!([{ "station_id": "7", "num_bikes_available": 3, "num_bikes_disabled": 1,
                         "num_docks_available": 5, "num_docks_disabled": 1,
                         "is_installed": 1, "is_renting": 0, "is_returning": 0 }]),
            ),
            true,
        );
        let s = &p.import.stations[0];
        assert_eq!(s.code, Some(StationId(7)));
        assert_eq!(s.docks, Some(10));
        assert_eq!(s.bikes, Some(3));
        assert!(!s.active, "installed but neither renting nor returning");
    }

    #[test]
    fn a_word_id_has_no_code_and_a_bad_station_says_why() {
        let p = plan(
            &docs(
                json!([
                    { "station_id": "north-1", "name": "B", "lat": 43.2, "lon": 76.9 },
                    { "station_id": "9", "name": "C", "lat": 95.0, "lon": 76.9 },
                    { "station_id": "10", "lat": 43.0, "lon": 76.0 },
                ]),
                json!([]),
            ),
            false,
        );
        assert_eq!(p.import.stations.len(), 1);
        assert_eq!(p.import.stations[0].code, None);
        assert_eq!(p.skipped[0].station, "9");
        assert!(
            p.skipped[0].reason.contains("not on Earth"),
            "{:?}",
            p.skipped
        );
        assert_eq!(p.skipped[1].reason, "no name");
    }
}
