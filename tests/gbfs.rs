//! GBFS out and in: the feeds velodesk publishes validate against the official schemas
//! (2.3 and 3.0) and carry no personal data; a full station still takes bikes back by
//! cable lock (R14); importing a system's own feed reproduces its stations; real and messy
//! feeds import what is meaningful, say what was skipped, and never half-import.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use std::path::{Path, PathBuf};
use velodesk::domain::roles::Role;
use velodesk::domain::tariff::bundled;
use velodesk::domain::time::parse_local;
use velodesk::domain::{BikeId, RiderId, StationId};
use velodesk::engine::{Engine, ImportStation, Settings, StationImport};
use velodesk::gbfs::fetch::read_dir;
use velodesk::gbfs::import::plan;
use velodesk::gbfs::{Feed, Publish, Snapshot, Version, feeds};
use velodesk::store::fleet::{self, NewStation, StationCounts};
use velodesk::store::people::NewRider;
use velodesk::store::{self, Store};

fn at(s: &str) -> DateTime<Utc> {
    parse_local(chrono_tz::Asia::Almaty, s).unwrap()
}

fn schemas() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/gbfs-json-schema"
    ))
}

fn fixtures() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gbfs"))
}

/// Resolves the official schema URLs (`…/v3.0/station_status.json`) from the local copy;
/// anything else would need the network, and is refused.
struct LocalSchemas(PathBuf);

impl jsonschema::Retrieve for LocalSchemas {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let path = uri.path().as_str();
        let mut parts = path.rsplit('/');
        let (Some(file), Some(version)) = (parts.next(), parts.next()) else {
            return Err(format!("{uri}: not a GBFS schema, and the network is off").into());
        };
        let local = self.0.join(version).join(file);
        if !(version.starts_with('v') && local.is_file()) {
            return Err(format!("{uri}: not in the local schemas, and the network is off").into());
        }
        Ok(serde_json::from_str(&std::fs::read_to_string(local)?)?)
    }
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_retriever(LocalSchemas(schemas()))
        .should_validate_formats(true)
        .build(schema)
        .unwrap()
}

/// The official schema `version/name.json`, when the folder has one.
fn schema(version: Version, name: &str) -> Option<Value> {
    let path = schemas()
        .join(format!("v{}", version.as_str()))
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).ok()?;
    Some(serde_json::from_str(&text).unwrap())
}

/// Every error of `json` against the official schema `version/name.json`.
fn schema_errors(version: Version, name: &str, json: &Value) -> Vec<String> {
    let schema = schema(version, name).unwrap_or_else(|| panic!("no schema for {name}"));
    validator(&schema)
        .iter_errors(json)
        .map(|e| format!("{name} {}: {e}", e.instance_path()))
        .collect()
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
    e.dock_out_of_service(StationId(1002), "dana").unwrap();
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

#[test]
fn every_exported_feed_validates_against_the_official_schemas() {
    for v in Version::ALL {
        let all = built(v);
        let names: Vec<&str> = all.iter().map(|f| f.name).collect();
        let mut want = vec![
            "gbfs",
            "gbfs_versions",
            "system_information",
            "vehicle_types",
            "station_information",
            "station_status",
            "system_pricing_plans",
        ];
        if v == Version::V3_0 {
            want.push("manifest");
        }
        for name in &want {
            assert!(names.contains(name), "{v}: {name} missing from {names:?}");
        }
        // Each feed is validated against the schema of the same name the folder has; the
        // shared folder holds one for every feed of both versions (3.0's
        // `vehicle_types.json` included), and the feeds every reader needs must have one.
        let (checked, unchecked): (Vec<&Feed>, Vec<&Feed>) =
            all.iter().partition(|f| schema(v, f.name).is_some());
        for f in &unchecked {
            eprintln!(
                "GBFS {v}: no schema for {} in the folder: not validated",
                f.name
            );
        }
        for needed in [
            "gbfs",
            "system_information",
            "station_information",
            "station_status",
        ] {
            assert!(
                checked.iter().any(|f| f.name == needed),
                "{v}: {needed} unchecked"
            );
        }
        let errors: Vec<String> = checked
            .iter()
            .flat_map(|f| schema_errors(v, f.name, &f.json))
            .collect();
        assert!(errors.is_empty(), "GBFS {v}:\n{}", errors.join("\n"));
    }
}

#[test]
fn the_schema_check_catches_a_broken_feed() {
    let all = built(Version::V3_0);
    let mut status = feed(&all, "station_status").clone();
    status["data"]["stations"][0]["is_returning"] = serde_json::json!(1);
    assert!(!schema_errors(Version::V3_0, "station_status", &status).is_empty());
    let mut info = feed(&all, "system_information").clone();
    info["data"]["feed_contact_email"] = serde_json::json!("not an address");
    let errors = schema_errors(Version::V3_0, "system_information", &info);
    assert!(!errors.is_empty(), "formats are checked too");
}

#[test]
fn a_schema_that_refers_to_the_official_url_is_resolved_locally() {
    let all = built(Version::V3_0);
    let schema = serde_json::json!({
        "$ref": "https://raw.githubusercontent.com/MobilityData/gbfs-json-schema/master/v3.0/station_status.json"
    });
    let v = validator(&schema);
    assert!(v.is_valid(feed(&all, "station_status")));
    assert!(!v.is_valid(&serde_json::json!({ "data": {} })));
}

#[test]
fn r14_a_full_station_still_takes_bikes_back_and_an_inactive_one_neither_rents_nor_returns() {
    for v in Version::ALL {
        let all = built(v);
        let full = status_of(&all, "1001");
        assert_eq!(full["num_docks_available"], 0, "{v}: {full}");
        assert_eq!(full["is_returning"], true, "{v}: cable lock (R14): {full}");
        assert_eq!(full["is_renting"], true);
        let closed = status_of(&all, "1003");
        assert_eq!(closed["is_renting"], false, "{v}: {closed}");
        assert_eq!(closed["is_returning"], false, "{v}: {closed}");
        let park = status_of(&all, "1002");
        let (bikes, off) = match v {
            Version::V2_3 => ("num_bikes_available", "num_bikes_disabled"),
            Version::V3_0 => ("num_vehicles_available", "num_vehicles_disabled"),
        };
        assert_eq!(
            park[bikes], 2,
            "{v}: the faulty bike is not offered: {park}"
        );
        assert_eq!(park[off], 1, "{v}: {park}");
        assert_eq!(park["num_docks_disabled"], 1, "{v}: {park}");
        assert_eq!(park["num_docks_available"], 6, "{v}: {park}");
    }
}

#[test]
fn no_personal_data_reaches_any_feed() {
    for v in Version::ALL {
        let text: String = built(v)
            .iter()
            .map(|f| f.json.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        for secret in [
            "Сәрсенбаева",
            "Әйгерім",
            "+77011234567",
            "7011234567",
            "aigerim@example.kz",
            "041234567",
            "CARD-99887766",
            "1995-03-08",
        ] {
            assert!(!text.contains(secret), "{v}: {secret} is in a feed");
        }
        assert!(
            text.contains("Абай — Достык"),
            "the feeds do carry stations"
        );
    }
}

#[test]
fn names_are_localised_in_3_0_and_russian_in_2_3() {
    let v3 = built(Version::V3_0);
    let abai = &feed(&v3, "station_information")["data"]["stations"][0];
    assert_eq!(
        abai["name"],
        serde_json::json!([
            { "text": "Абай — Достык", "language": "ru" },
            { "text": "Абай — Достық", "language": "kk" },
            { "text": "Abai — Dostyk", "language": "en" },
        ])
    );
    let v2 = built(Version::V2_3);
    assert_eq!(
        feed(&v2, "station_information")["data"]["stations"][0]["name"],
        "Абай — Достык"
    );
    let info = &feed(&v3, "system_information")["data"];
    assert_eq!(info["timezone"], "Asia/Almaty");
    assert_eq!(info["opening_hours"], "24/7", "Almaty runs all year");
    assert_eq!(info["languages"], serde_json::json!(["ru", "kk", "en"]));
}

#[test]
fn gbfs_3_0_without_a_contact_e_mail_is_refused_with_the_fix() {
    let mut e = almaty();
    let snap = Snapshot::load(&mut e, at("2025-06-01 09:00")).unwrap();
    let err = feeds(&snap, Version::V3_0, &publish(&[Version::V3_0])).unwrap_err();
    assert!(err.to_string().contains("--contact-email"), "{err}");
    assert!(feeds(&snap, Version::V2_3, &publish(&[Version::V2_3])).is_ok());
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

/// Export `source` as GBFS 3.0, import the files into an empty system: the stations come
/// back exactly (names in every language, address, coordinates to the bit, docks, active),
/// and importing again changes nothing. Any fleet built through the engine can be checked.
fn assert_round_trip(source: &mut Engine) {
    let snap = Snapshot::load(source, at("2025-06-01 09:00")).unwrap();
    let all = feeds(&snap, Version::V3_0, &publish(&[Version::V3_0])).unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_feeds(dir.path(), &all);

    let p = plan(&read_dir(dir.path(), &mut |_| {}).unwrap(), false);
    assert!(p.skipped.is_empty(), "{:?}", p.skipped);
    let mut target = almaty();
    let n = snap.stations.len() as u32;
    let report = target.import_stations(&p.import).unwrap();
    assert_eq!((report.added, report.updated), (n, 0), "{report:?}");

    let want: Vec<_> = snap.stations.iter().map(comparable).collect();
    let got: Vec<_> = target.stations().unwrap().iter().map(comparable).collect();
    assert_eq!(got, want);

    let again = target.import_stations(&p.import).unwrap();
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, n));
}

#[test]
fn importing_its_own_3_0_feed_into_an_empty_system_reproduces_the_stations_exactly() {
    let mut source = almaty();
    fleet(&mut source);
    assert_round_trip(&mut source);
}

#[test]
fn importing_its_own_2_3_feed_carries_the_russian_names() {
    let mut source = almaty();
    fleet(&mut source);
    let snap = Snapshot::load(&mut source, at("2025-06-01 09:00")).unwrap();
    let all = feeds(&snap, Version::V2_3, &publish(&[Version::V2_3])).unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_feeds(dir.path(), &all);
    let p = plan(&read_dir(dir.path(), &mut |_| {}).unwrap(), true);
    let mut target = almaty();
    let report = target.import_stations(&p.import).unwrap();
    // 4 + 2 working bikes; the faulty one is not offered, so the feed does not count it.
    assert_eq!(report.bikes_added, 6, "{report:?}");
    let got = target.stations().unwrap();
    let strip = |s: &StationCounts| {
        let mut c = comparable(s);
        (c.2, c.3) = (None, None);
        c
    };
    let want: Vec<_> = snap.stations.iter().map(strip).collect();
    assert_eq!(got.iter().map(strip).collect::<Vec<_>>(), want);
    assert_eq!(got[0].bikes, 4);
}

#[test]
fn an_import_that_fails_half_way_leaves_nothing_behind() {
    let mut e = almaty();
    let good = ImportStation {
        source_id: "1".into(),
        code: Some(StationId(1)),
        name: "Первая".into(),
        name_kk: None,
        name_en: None,
        address: None,
        lat: 43.2,
        lon: 76.9,
        docks: Some(10),
        active: true,
        bikes: Some(5),
    };
    let bad = ImportStation {
        source_id: "2".into(),
        code: Some(StationId(2)),
        docks: Some(10_000),
        ..good.clone()
    };
    let import = StationImport {
        source: "test".into(),
        stations: vec![good, bad],
        skipped: 0,
    };
    let err = e.import_stations(&import).unwrap_err();
    assert!(err.to_string().contains("10000 docks"), "{err}");
    assert!(e.stations().unwrap().is_empty(), "nothing half-imported");
    let audit = e
        .read(|_, c| Ok(velodesk::store::audit::list(c, &Default::default())?))
        .unwrap();
    assert!(audit.iter().all(|a| a.action != "import-stations"));
}

#[test]
fn an_import_is_audited_with_its_source_and_counts() {
    let mut e = almaty();
    let p = plan(
        &read_dir(&fixtures().join("messy"), &mut |_| {}).unwrap(),
        true,
    );
    e.import_stations(&p.import).unwrap();
    let audit = e
        .read(|_, c| Ok(velodesk::store::audit::list(c, &Default::default())?))
        .unwrap();
    let rec = audit
        .iter()
        .find(|a| a.action == "import-stations")
        .expect("an audit record");
    assert!(rec.target.ends_with("messy"), "{rec:?}");
    assert!(rec.details.contains("added"), "{rec:?}");
    assert!(
        rec.details
            .contains(&format!("{} skipped", p.skipped.len())),
        "{rec:?}"
    );
}

fn messy_plan() -> velodesk::gbfs::import::Plan {
    plan(
        &read_dir(&fixtures().join("messy"), &mut |_| {}).unwrap(),
        true,
    )
}

#[test]
fn a_messy_feed_imports_what_is_meaningful_and_says_what_was_skipped_and_why() {
    let p = messy_plan();
    let skipped: Vec<(&str, &str)> = p
        .skipped
        .iter()
        .map(|s| (s.station.as_str(), s.reason.as_str()))
        .collect();
    let reason_of = |id: &str| {
        skipped
            .iter()
            .find(|(s, _)| *s == id)
            .map(|(_, r)| *r)
            .unwrap_or_else(|| panic!("{id} not skipped: {skipped:?}"))
    };
    assert_eq!(reason_of("104"), "no latitude");
    assert!(reason_of("105").contains("0, 0"));
    assert!(
        reason_of("101").contains("earlier"),
        "the duplicate is skipped, not the first"
    );
    assert!(reason_of("106").contains("9999"));
    assert_eq!(reason_of("#9 (no station_id)"), "no station_id");
    assert_eq!(reason_of("108"), "no name");
    assert!(reason_of("109").contains("-3"));
    assert_eq!(skipped.len(), 7, "{skipped:?}");
    assert!(
        p.notes.iter().any(|n| n.contains("1 station(s)")),
        "{:?}",
        p.notes
    );

    let mut e = almaty();
    let report = e.import_stations(&p.import).unwrap();
    assert_eq!(report.added, 5, "{report:?}");
    let got = e.stations().unwrap();
    let by = |code: i64| got.iter().find(|s| s.id.0 == code).unwrap();
    // A numeric id written as a number, capacity as a string, 1/0 booleans.
    assert_eq!(
        (by(101).name.as_str(), by(101).docks, by(101).bikes),
        ("Central", 12, 5)
    );
    assert!(by(101).active);
    // No capacity: bikes + disabled bikes + free docks; both counts given: the larger.
    assert_eq!((by(102).docks, by(102).bikes), (11, 4));
    // A word id gets the next free code, remembered for the next import.
    let north = by(111);
    assert_eq!(north.name, "Северная");
    assert_eq!(north.name_kk.as_deref(), Some("Солтүстік"));
    assert_eq!(north.name_en.as_deref(), Some("North"));
    assert_eq!(
        (north.lat, north.lon, north.docks, north.bikes),
        (43.2812, 76.8911, 8, 2)
    );
    assert!(!by(107).active, "is_installed \"false\"");
    assert_eq!(by(110).bikes, 10, "15 bikes do not fit 10 docks");
    assert!(
        report.notes.iter().any(|n| n.contains("north-7")),
        "{:?}",
        report.notes
    );

    let again = e.import_stations(&messy_plan().import).unwrap();
    assert_eq!((again.added, again.bikes_added), (0, 0), "{again:?}");
    assert_eq!(
        e.stations().unwrap().len(),
        5,
        "north-7 is the same station 111"
    );
}

#[test]
fn oslos_real_feed_imports_every_station_with_its_bikes() {
    let dir = fixtures().join("oslo-2022-10-23");
    let p = plan(&read_dir(&dir, &mut |_| {}).unwrap(), true);
    assert!(p.skipped.is_empty(), "{:?}", p.skipped);
    assert_eq!(p.version.as_deref(), Some("2.2"));
    let mut e = almaty();
    let report = e.import_stations(&p.import).unwrap();
    assert_eq!(
        (report.added, report.bikes_added),
        (260, 1721),
        "{:?}",
        report.notes
    );
    let got = e.stations().unwrap();
    let sogn = got.iter().find(|s| s.id.0 == 2351).unwrap();
    assert_eq!(sogn.name, "Sogn Studentby");
    assert_eq!(sogn.address, "Jon P Erliens vei 1");
    assert_eq!(
        (sogn.lat, sogn.lon),
        (59.95208441268443, 10.727852791011173)
    );
    assert_eq!((sogn.docks, sogn.bikes), (18, 10));
    assert!(
        got.iter().all(|s| s.active),
        "1/0 booleans read as booleans"
    );
}

// --- the command line ---

fn velodesk(args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_velodesk"));
    // The feed server is on 127.0.0.1: no proxy of the machine's may stand in between.
    for var in [
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
    ] {
        cmd.env_remove(var);
    }
    cmd.args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn new_system(dir: &Path, name: &str) -> String {
    let db = dir.join(name).display().to_string();
    let o = velodesk(&["init", "--db", &db, "--tariff", "almaty"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    db
}

#[test]
fn the_commands_export_and_import_quietly_in_a_pipe() {
    let tmp = tempfile::tempdir().unwrap();
    let a = new_system(tmp.path(), "a.db");
    let messy = fixtures().join("messy").display().to_string();
    let o = velodesk(&["import", "gbfs", "--db", &a, "--with-bikes", &messy]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stderr), "", "no progress drawn into a pipe");
    let out = text(&o.stdout);
    assert!(out.contains("5 added"), "{out}");
    assert!(out.contains("Skipped 7:"), "{out}");
    assert!(out.contains("station 104: no latitude"), "{out}");

    let feeds_dir = tmp.path().join("feeds").display().to_string();
    let o = velodesk(&["gbfs", "export", "--db", &a, "--out", &feeds_dir]);
    assert_eq!(o.status.code(), Some(2), "3.0 needs a contact e-mail");
    assert!(
        text(&o.stderr).contains("--contact-email"),
        "{}",
        text(&o.stderr)
    );
    let o = velodesk(&[
        "gbfs",
        "export",
        "--db",
        &a,
        "--out",
        &feeds_dir,
        "--contact-email",
        "gbfs@almatybike.kz",
        "--base-url",
        "https://almatybike.kz/gbfs",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stderr), "");
    let gbfs: Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("feeds/v3/gbfs.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        gbfs["data"]["feeds"][0]["url"],
        "https://almatybike.kz/gbfs/v3/gbfs_versions.json"
    );
    // The contact e-mail was kept: the next export needs no flag.
    let o = velodesk(&[
        "gbfs",
        "export",
        "--db",
        &a,
        "--out",
        &feeds_dir,
        "--version",
        "3.0",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));

    let b = new_system(tmp.path(), "b.db");
    let v3 = tmp.path().join("feeds/v3").display().to_string();
    let o = velodesk(&["import", "gbfs", "--db", &b, &v3]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("(GBFS 3.0)"),
        "{}",
        text(&o.stdout)
    );
    let stations = |db: &str| {
        let mut e = Engine::new(Store::open(Path::new(db)).unwrap(), Settings::default()).unwrap();
        e.stations()
            .unwrap()
            .iter()
            .map(comparable)
            .collect::<Vec<_>>()
    };
    assert_eq!(stations(&b), stations(&a));
}

#[test]
fn bad_arguments_say_what_and_where() {
    let tmp = tempfile::tempdir().unwrap();
    let a = new_system(tmp.path(), "a.db");
    let out = tmp.path().join("o").display().to_string();
    for (args, says) in [
        (
            vec![
                "gbfs",
                "export",
                "--db",
                &a,
                "--out",
                &out,
                "--version",
                "2.2",
            ],
            "--version \"2.2\"",
        ),
        (
            vec![
                "gbfs",
                "export",
                "--db",
                &a,
                "--out",
                &out,
                "--contact-email",
                "nobody",
            ],
            "--contact-email",
        ),
        (
            vec![
                "gbfs", "export", "--db", &a, "--out", &out, "--url", "ftp://x",
            ],
            "--url",
        ),
        (
            vec!["import", "gbfs", "--db", &a, "/no/such/feed"],
            "/no/such/feed: no such directory",
        ),
    ] {
        let o = velodesk(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            text(&o.stderr).contains(says),
            "{args:?}: {}",
            text(&o.stderr)
        );
    }
    let broken = tmp.path().join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("station_information.json"), "{ \"data\": ").unwrap();
    let o = velodesk(&["import", "gbfs", "--db", &a, &broken.display().to_string()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("station_information.json: not JSON"),
        "{}",
        text(&o.stderr)
    );
}

/// Serves the `messy` fixture on 127.0.0.1:0, its `{BASE}` replaced by the server's URL.
fn serve_fixture() -> String {
    use axum::extract::Path as UrlPath;
    use axum::http::StatusCode;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}/gbfs", listener.local_addr().unwrap());
    let base_for_server = base.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let app = axum::Router::new().route(
                "/gbfs/{file}",
                axum::routing::get(move |UrlPath(file): UrlPath<String>| {
                    let base = base_for_server.clone();
                    async move {
                        match std::fs::read_to_string(fixtures().join("messy").join(&file)) {
                            Ok(t) => Ok(t.replace("{BASE}", &base)),
                            Err(_) => Err(StatusCode::NOT_FOUND),
                        }
                    }
                }),
            );
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    base
}

#[test]
fn a_feed_is_imported_from_its_gbfs_json_url() {
    let base = serve_fixture();
    let tmp = tempfile::tempdir().unwrap();
    let db = new_system(tmp.path(), "a.db");
    let url = format!("{base}/gbfs.json");
    let o = velodesk(&["import", "gbfs", "--db", &db, "--with-bikes", &url]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("5 added"), "{out}");
    assert!(out.contains("bikes added: 22"), "{out}");
    assert!(out.contains(&url), "the source is named: {out}");

    let o = velodesk(&[
        "import",
        "gbfs",
        "--db",
        &db,
        &format!("{base}/nothing.json"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("404"), "{}", text(&o.stderr));
}

#[test]
fn the_command_line_is_well_formed() {
    use clap::CommandFactory;
    velodesk::cli::Cli::command().debug_assert();
}
