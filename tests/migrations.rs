//! A database made by an earlier velodesk opens in this one, and keeps its meaning: the
//! decisions D21, D12 and D23 read what the older rows said.

use velodesk::domain::RiderId;
use velodesk::domain::rules::RestrictionSource;
use velodesk::domain::tariff::Concession;
use velodesk::engine::{Engine, Settings};
use velodesk::store::Store;

/// The schema as velodesk 3 left it (migrations 1–3), with an Astana and an Almaty system.
fn version_3(path: &std::path::Path, tariff: &str) {
    let c = rusqlite::Connection::open(path).unwrap();
    for sql in [
        include_str!("../src/store/migrations/001_init.sql"),
        include_str!("../src/store/migrations/002_server.sql"),
        include_str!("../src/store/migrations/003_rental_indexes.sql"),
    ] {
        c.execute_batch(sql).unwrap();
    }
    c.pragma_update(None, "user_version", 3).unwrap();
    // The tariff as it was stored then: without D23's key.
    let old = tariff
        .lines()
        .filter(|l| !l.starts_with("concession_categories"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(!old.contains("concession_categories ="));
    c.execute(
        "INSERT INTO tariffs (name, effective_from, source) VALUES ('t', '2024-01-01', ?1)",
        [old],
    )
    .unwrap();
    c.execute(
        "INSERT INTO riders (id, born, resident, pin_hash, created_at, restricted, restricted_reason)
         VALUES (1, '1990-01-01', 1, 'x', 0, 1, 'by saule: chargeback'),
                (2, '1990-01-01', 1, 'x', 0, 1, 'balance -100 ₸ at the posting of … (R18)')",
        [],
    )
    .unwrap();
}

#[test]
fn d23_d12_an_older_database_gains_its_concession_categories_and_restriction_sources() {
    for (name, tariff, expected) in [
        (
            "almaty",
            include_str!("../assets/tariffs/almaty.toml"),
            vec![Concession::Student, Concession::Pensioner],
        ),
        (
            "astana",
            include_str!("../assets/tariffs/astana.toml"),
            vec![
                Concession::Student,
                Concession::Pensioner,
                Concession::Disability3,
            ],
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join(format!("{name}.db"));
        version_3(&db, tariff);
        let mut e = Engine::new(Store::open(&db).unwrap(), Settings::default()).unwrap();
        assert_eq!(e.tariff().concession_categories, expected, "{name}");
        let hand = e.rider_view(RiderId(1)).unwrap().rider;
        assert_eq!(hand.restriction, Some(RestrictionSource::Hand), "{name}");
        let system = e.rider_view(RiderId(2)).unwrap().rider;
        assert_eq!(
            system.restriction,
            Some(RestrictionSource::System),
            "{name}"
        );
    }
}

#[test]
fn check_reads_an_older_database_without_migrating_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    version_3(&db, include_str!("../assets/tariffs/astana.toml"));
    let before = std::fs::read(&db).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_velodesk"))
        .args(["check", "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.starts_with("OK: 2 riders verified"), "{out}");
    assert!(
        std::fs::read(&db).unwrap() == before,
        "check never writes, not even a migration"
    );
    let c = rusqlite::Connection::open(&db).unwrap();
    let version: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 3, "still the schema it had");
}
