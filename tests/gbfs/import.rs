//! The feeds in: a system's own feed round trip, messy and real feeds, all or nothing,
//! audited.

use super::*;

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

/// The demo city: Almaty Bike's real stations (every name, address and coordinate of the
/// bundled map) survive a round trip through GBFS 3.0.
#[test]
fn the_almaty_demo_city_survives_a_round_trip() {
    use velodesk::sim::city::{self, CityOptions, Fill};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("almaty.db");
    let mut opts = CityOptions::almaty(1);
    opts.riders = 10;
    opts.fill = Fill::Percent(10);
    opts.history_days = 0;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let built = rt.block_on(city::build(&db, &opts, &|_, _, _| {})).unwrap();
    assert!(built.stations > 100, "{built:?}");
    let mut source = Engine::new(Store::open(&db).unwrap(), Settings::default()).unwrap();
    store_contact(&mut source);
    assert_round_trip(&mut source);
}

/// GBFS 3.0 needs a feed contact e-mail.
fn store_contact(e: &mut Engine) {
    e.store()
        .write(|c| store::set_meta(c, "gbfs.feed_contact_email", "gbfs@almatybike.kz"))
        .unwrap();
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
