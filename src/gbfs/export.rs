//! Building the feeds of one GBFS version from a [`Snapshot`]: discovery (`gbfs.json`,
//! `gbfs_versions`, and `manifest` in 3.0), `system_information`, `vehicle_types`,
//! `station_information`, `station_status` and `system_pricing_plans`. Pure: the same
//! snapshot gives the same JSON.
//!
//! Stations: the GBFS `station_id` is the station's code. A station that is active rents
//! and takes bikes back — also when every dock is taken, because a full station still
//! takes a bike by cable lock with the operator's permission (R14) — so `is_returning`
//! stays `true` with `num_docks_available: 0`. An inactive station neither rents nor
//! takes bikes back. Faulty bikes at a station are counted as disabled, docks out of
//! service as disabled docks.

use super::model::{Feed, Publish, Snapshot, Version};
use super::{GbfsError, pricing};
use crate::api::StationCounts;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

/// The one vehicle type: the three-speed city bike.
pub const BIKE: &str = "bike";

/// Every feed of version `v`, in the order `gbfs.json` lists them. GBFS 3.0 requires a
/// feed contact e-mail: without one in the system's settings this is refused.
pub fn feeds(s: &Snapshot, v: Version, p: &Publish) -> Result<Vec<Feed>, GbfsError> {
    if v == Version::V3_0 && s.system.feed_contact_email.is_none() {
        return Err(GbfsError::Missing(
            "GBFS 3.0 requires a feed contact e-mail (gbfs.feed_contact_email): set one, e.g. \
             `velodesk gbfs export --contact-email ADDRESS`"
                .into(),
        ));
    }
    let head = Head {
        v,
        ttl: p.ttl,
        now: s.now,
    };
    let mut out = vec![
        Feed {
            name: "gbfs",
            json: head.wrap(discovery(v, p)),
        },
        Feed {
            name: "gbfs_versions",
            json: head.wrap(json!({ "versions": versions(p) })),
        },
    ];
    if v == Version::V3_0 {
        out.push(Feed {
            name: "manifest",
            json: head.wrap(json!({ "datasets": [{
                "system_id": s.system.system_id,
                "versions": versions(p),
            }]})),
        });
    }
    out.push(Feed {
        name: "system_information",
        json: head.wrap(system_information(s, v, p)),
    });
    out.push(Feed {
        name: "vehicle_types",
        json: head.wrap(vehicle_types(s, v)),
    });
    out.push(Feed {
        name: "station_information",
        json: head.wrap(json!({
            "stations": s.stations.iter().map(|st| station_information(st, v)).collect::<Vec<_>>()
        })),
    });
    out.push(Feed {
        name: "station_status",
        json: head.wrap(json!({
            "stations": s.stations.iter().map(|st| station_status(st, v, s.now)).collect::<Vec<_>>()
        })),
    });
    out.push(Feed {
        name: "system_pricing_plans",
        json: head.wrap(json!({ "plans": pricing::plans(&s.tariff, v) })),
    });
    Ok(out)
}

/// The feeds `gbfs.json` lists (itself and `manifest` are not listed).
const LISTED: [&str; 6] = [
    "gbfs_versions",
    "system_information",
    "vehicle_types",
    "station_information",
    "station_status",
    "system_pricing_plans",
];

/// The names of every feed of version `v` (what [`feeds`] builds).
pub fn feed_names(v: Version) -> Vec<&'static str> {
    let mut out = vec!["gbfs"];
    if v == Version::V3_0 {
        out.push("manifest");
    }
    out.extend(LISTED);
    out
}

/// The common header of every feed.
struct Head {
    v: Version,
    ttl: u32,
    now: DateTime<Utc>,
}

impl Head {
    fn wrap(&self, data: Value) -> Value {
        json!({
            "last_updated": time(self.v, self.now),
            "ttl": self.ttl,
            "version": self.v.as_str(),
            "data": data,
        })
    }
}

/// A time as the version writes it: POSIX seconds (2.3) or RFC 3339 (3.0).
fn time(v: Version, t: DateTime<Utc>) -> Value {
    match v {
        Version::V2_3 => json!(t.timestamp()),
        Version::V3_0 => json!(t.to_rfc3339_opts(SecondsFormat::Secs, true)),
    }
}

/// A text in several languages: 2.3 has one string (the first), 3.0 a list.
pub(crate) fn text(v: Version, texts: &[(&str, &str)]) -> Value {
    match v {
        Version::V2_3 => json!(texts.first().map(|(_, t)| *t).unwrap_or_default()),
        Version::V3_0 => Value::Array(
            texts
                .iter()
                .map(|(lang, t)| json!({ "text": t, "language": lang }))
                .collect(),
        ),
    }
}

fn discovery(v: Version, p: &Publish) -> Value {
    let feeds: Vec<Value> = LISTED
        .iter()
        .map(|name| json!({ "name": name, "url": p.url(v, name) }))
        .collect();
    match v {
        // 2.3 lists the feeds per language; velodesk publishes its main language, Russian.
        Version::V2_3 => json!({ "ru": { "feeds": feeds } }),
        Version::V3_0 => json!({ "feeds": feeds }),
    }
}

fn versions(p: &Publish) -> Vec<Value> {
    let mut vs = p.versions.clone();
    vs.sort();
    vs.dedup();
    vs.into_iter()
        .map(|v| json!({ "version": v.as_str(), "url": p.url(v, "gbfs") }))
        .collect()
}

fn system_information(s: &Snapshot, v: Version, p: &Publish) -> Value {
    let sys = &s.system;
    let mut d = Map::new();
    d.insert("system_id".into(), json!(sys.system_id));
    let langs: Vec<(&str, &str)> = sys
        .languages
        .iter()
        .map(|l| (l.as_str(), sys.name.as_str()))
        .collect();
    d.insert("name".into(), text(v, &langs));
    if let Some(op) = &sys.operator {
        let ops: Vec<(&str, &str)> = sys
            .languages
            .iter()
            .map(|l| (l.as_str(), op.as_str()))
            .collect();
        d.insert("operator".into(), text(v, &ops));
    }
    match v {
        Version::V2_3 => {
            let main = sys.languages.first().map(String::as_str).unwrap_or("ru");
            d.insert("language".into(), json!(main));
        }
        Version::V3_0 => {
            d.insert("languages".into(), json!(sys.languages));
            d.insert("opening_hours".into(), json!(sys.opening_hours));
            d.insert("manifest_url".into(), json!(p.url(v, "manifest")));
        }
    }
    for (key, value) in [
        ("url", &sys.url),
        ("phone_number", &sys.phone_number),
        ("email", &sys.email),
        ("feed_contact_email", &sys.feed_contact_email),
    ] {
        if let Some(value) = value {
            d.insert(key.into(), json!(value));
        }
    }
    d.insert("timezone".into(), json!(sys.timezone));
    Value::Object(d)
}

fn vehicle_types(s: &Snapshot, v: Version) -> Value {
    let plans: Vec<&str> = s.tariff.passes.iter().map(|p| p.id.as_str()).collect();
    let mut t = json!({
        "vehicle_type_id": BIKE,
        "form_factor": "bicycle",
        "propulsion_type": "human",
        "name": text(v, &[("ru", "Велосипед"), ("kk", "Велосипед"), ("en", "Bicycle")]),
        "wheel_count": 2,
        "return_constraint": "any_station",
        "pricing_plan_ids": plans,
    });
    if let Some(default) = pricing::default_plan(&s.tariff) {
        t["default_pricing_plan_id"] = json!(default);
    }
    json!({ "vehicle_types": [t] })
}

/// A station's names, Russian first, then Kazakh and English where it has them.
fn names(st: &StationCounts) -> Vec<(&'static str, &str)> {
    let mut out = vec![("ru", st.name.as_str())];
    for (lang, name) in [("kk", &st.name_kk), ("en", &st.name_en)] {
        if let Some(name) = name.as_deref().filter(|n| !n.trim().is_empty()) {
            out.push((lang, name));
        }
    }
    out
}

fn station_information(st: &StationCounts, v: Version) -> Value {
    let mut d = json!({
        "station_id": st.id.to_string(),
        "name": text(v, &names(st)),
        "lat": st.lat,
        "lon": st.lon,
        "capacity": st.docks,
        // Riders unlock with their ID and PIN at the bike, or with their card.
        "rental_methods": ["accountnumber", "key"],
    });
    if !st.address.trim().is_empty() {
        d["address"] = json!(st.address);
    }
    d
}

/// `last_reported` must be a plausible time: a station never touched since it was made
/// in a system whose clock had not started reports the snapshot's time.
fn reported(st: &StationCounts, now: DateTime<Utc>) -> DateTime<Utc> {
    // 2015-12-15, the earliest time the GBFS schemas accept.
    if st.updated_at.timestamp() < 1_450_155_600 {
        now
    } else {
        st.updated_at.min(now)
    }
}

fn station_status(st: &StationCounts, v: Version, now: DateTime<Utc>) -> Value {
    let (available, disabled) = match v {
        Version::V2_3 => ("num_bikes_available", "num_bikes_disabled"),
        Version::V3_0 => ("num_vehicles_available", "num_vehicles_disabled"),
    };
    let mut d = Map::new();
    d.insert("station_id".into(), json!(st.id.to_string()));
    d.insert(available.into(), json!(st.bikes));
    d.insert(disabled.into(), json!(st.faulty));
    d.insert(
        "vehicle_types_available".into(),
        json!([{ "vehicle_type_id": BIKE, "count": st.bikes }]),
    );
    d.insert("num_docks_available".into(), json!(st.free_docks));
    d.insert("num_docks_disabled".into(), json!(st.out_of_service));
    d.insert("is_installed".into(), json!(true));
    // R14: an active station takes bikes back even when full (cable lock).
    d.insert("is_renting".into(), json!(st.active));
    d.insert("is_returning".into(), json!(st.active));
    d.insert("last_reported".into(), time(v, reported(st, now)));
    Value::Object(d)
}
