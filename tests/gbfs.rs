//! GBFS out and in: the feeds velodesk publishes validate against the official schemas
//! (2.3 and 3.0) and carry no personal data; a full station still takes bikes back by
//! cable lock (R14); importing a system's own feed reproduces its stations; real and messy
//! feeds import what is meaningful, say what was skipped, and never half-import.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use std::path::{Path, PathBuf};
use velodesk::api::NewRider;
use velodesk::api::{NewStation, StationCounts};
use velodesk::domain::roles::Role;
use velodesk::domain::tariff::bundled;
use velodesk::domain::time::parse_local;
use velodesk::domain::{BikeId, RiderId, StationId};
use velodesk::engine::{Engine, ImportStation, Settings, StationImport};
use velodesk::gbfs::fetch::read_dir;
use velodesk::gbfs::import::plan;
use velodesk::gbfs::{Feed, Publish, Snapshot, Version, feeds};
use velodesk::store::fleet;
use velodesk::store::{self, Store};

fn at(s: &str) -> DateTime<Utc> {
    parse_local(chrono_tz::Asia::Almaty, s).unwrap()
}

fn fixtures() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gbfs"))
}

fn almaty() -> Engine {
    let store = Store::open_in_memory().unwrap();
    let mut e = Engine::init(
        store,
        "almaty",
        bundled("almaty").unwrap(),
        Settings::default(),
    )
    .unwrap();
    e.advance_to(at("2025-06-01 08:00")).unwrap();
    e
}

fn station(id: i64, name: &str, kk: Option<&str>, en: Option<&str>, docks: u32) -> NewStation {
    NewStation {
        id: StationId(id),
        name: name.into(),
        name_kk: kk.map(str::to_string),
        name_en: en.map(str::to_string),
        address: format!("ул. Тестовая, {id}"),
        lat: 43.2 + id as f64 / 1e4 + 0.000_012_345_678_9,
        lon: 76.9 - id as f64 / 1e4,
        docks,
        active: true,
    }
}

/// A small Almaty: a full station, one with a faulty bike and a broken dock, an inactive
/// one, names in Russian, Kazakh and English, a rider with personal data, GBFS settings.
fn fleet(e: &mut Engine) {
    e.add_station(&station(
        1001,
        "Абай — Достык",
        Some("Абай — Достық"),
        Some("Abai — Dostyk"),
        4,
    ))
    .unwrap();
    e.add_station(&station(
        1002,
        "Парк Горького",
        Some("Горький саябағы"),
        None,
        10,
    ))
    .unwrap();
    let mut closed = station(1003, "Склад «Южный»", None, Some("South depot"), 6);
    closed.active = false;
    e.add_station(&closed).unwrap();
    for b in 1..=4 {
        e.add_bike(BikeId(b), Some(StationId(1001))).unwrap();
    }
    for b in 5..=7 {
        e.add_bike(BikeId(b), Some(StationId(1002))).unwrap();
    }
    e.add_staff("dana", Role::Depot, None).unwrap();
    e.dock_out_of_service(StationId(1002), None, "dana")
        .unwrap();
    e.add_rider(&NewRider {
        id: Some(RiderId(77)),
        surname: "Сәрсенбаева".into(),
        name: "Әйгерім".into(),
        phone: Some("+77011234567".into()),
        email: Some("aigerim@example.kz".into()),
        document: Some("041234567".into()),
        born: NaiveDate::from_ymd_opt(1995, 3, 8).unwrap(),
        resident: true,
        lang: "kk".into(),
        pin: "4321".into(),
        card: Some("CARD-99887766".into()),
        ..NewRider::default()
    })
    .unwrap();
    e.store()
        .write(|c| -> Result<(), store::StoreError> {
            fleet::set_bike_faulty(c, BikeId(7), true)?;
            store::set_meta(c, "gbfs.feed_contact_email", "gbfs@almatybike.kz")?;
            store::set_meta(c, "gbfs.operator", "Almaty Bike")?;
            store::set_meta(c, "gbfs.url", "https://almatybike.kz")
        })
        .unwrap();
}

fn publish(versions: &[Version]) -> Publish {
    Publish {
        base_url: "https://almatybike.kz/gbfs".into(),
        ttl: 60,
        versions: versions.to_vec(),
    }
}

fn built(v: Version) -> Vec<Feed> {
    let mut e = almaty();
    fleet(&mut e);
    let snap = Snapshot::load(&mut e, at("2025-06-01 09:00")).unwrap();
    feeds(&snap, v, &publish(&Version::ALL)).unwrap()
}

fn feed<'a>(all: &'a [Feed], name: &str) -> &'a Value {
    &all.iter().find(|f| f.name == name).unwrap().json
}

fn status_of<'a>(all: &'a [Feed], id: &str) -> &'a Value {
    feed(all, "station_status")["data"]["stations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["station_id"] == id)
        .unwrap()
}
/// The stations as a reader compares them: everything the import promises to carry.
fn comparable(
    s: &StationCounts,
) -> (
    i64,
    String,
    Option<String>,
    Option<String>,
    String,
    u64,
    u64,
    u32,
    bool,
) {
    (
        s.id.0,
        s.name.clone(),
        s.name_kk.clone(),
        s.name_en.clone(),
        s.address.clone(),
        s.lat.to_bits(),
        s.lon.to_bits(),
        s.docks,
        s.active,
    )
}

fn write_feeds(dir: &Path, all: &[Feed]) {
    std::fs::create_dir_all(dir).unwrap();
    for f in all {
        std::fs::write(
            dir.join(f.file_name()),
            serde_json::to_vec_pretty(&f.json).unwrap(),
        )
        .unwrap();
    }
}

#[path = "gbfs/cli.rs"]
mod cli;
#[path = "gbfs/export.rs"]
mod export;
#[path = "support/gbfs_schema.rs"]
mod gbfs_schema;
#[path = "gbfs/import.rs"]
mod import;
