//! The feeds out: valid against the official schemas (resolved from the local folder,
//! never the network), R14's full stations, no personal data, localised names.

use super::gbfs_schema::*;
use super::*;

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
        // What the server routes (`export::feed_names`) is what is built.
        let mut routed = velodesk::gbfs::export::feed_names(v);
        let mut made = names.clone();
        routed.sort();
        made.sort();
        assert_eq!(routed, made, "{v}");
        // Each feed is validated against the schema of the same name; the repository keeps
        // one for every feed velodesk exports, of both versions (tests/gbfs/schema/), so a
        // feed added without its schema fails here instead of going unchecked.
        let (checked, unchecked): (Vec<&Feed>, Vec<&Feed>) =
            all.iter().partition(|f| schema(v, f.name).is_some());
        let unchecked: Vec<&str> = unchecked.iter().map(|f| f.name).collect();
        assert!(
            unchecked.is_empty(),
            "GBFS {v}: no official schema in tests/gbfs/schema/v{} for {unchecked:?}: copy it from MobilityData's gbfs-json-schema",
            v.as_str()
        );
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
