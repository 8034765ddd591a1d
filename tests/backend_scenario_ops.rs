//! The Backend operations the scenario runner needs beyond the console's (the season
//! override, a staff member's own audit records) and the runner's entry point for any
//! backend (`run_on`, `run_str_on`), on `LocalBackend`.

mod wrappers;

use chrono::{DateTime, NaiveDate, Utc};
use std::sync::{Arc, Mutex};
use velodesk::api::AuditFilter;
use velodesk::api::NewRider;
use velodesk::api::NewStation;
use velodesk::api::PayMethod;
use velodesk::backend::Ops;
use velodesk::backend::{Backend, LocalBackend};
use velodesk::domain::roles::Role;
use velodesk::domain::tariff::bundled;
use velodesk::domain::time::parse_local;
use velodesk::domain::{BikeId, Refusal, RiderId, StationId, Tenge};
use velodesk::engine::Settings;
use velodesk::scenario::{ScenarioResult, SetUp, local_backend, run_on, run_str, run_str_on};

fn at(s: &str) -> DateTime<Utc> {
    parse_local(chrono_tz::Asia::Almaty, s).unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Astana in memory, at 2025-06-01 09:00: station 1 with bike 10, rider 5 with 5,000 ₸ and a
/// monthly pass, agent `ali`, supervisor `sue`.
async fn astana() -> LocalBackend {
    let source = bundled("astana").unwrap();
    let b = LocalBackend::in_memory(
        "astana.toml",
        source,
        Settings::default(),
        at("2025-06-01 09:00"),
    )
    .unwrap();
    b.add_station(NewStation {
        id: StationId(1),
        name: "One".into(),
        docks: 4,
        active: true,
        ..NewStation::default()
    })
    .await
    .unwrap();
    b.add_bike(BikeId(10), Some(StationId(1))).await.unwrap();
    b.add_rider(NewRider {
        id: Some(RiderId(5)),
        surname: "Rider5".into(),
        born: day("1990-01-01"),
        resident: true,
        lang: "ru".into(),
        pin: "1234".into(),
        ..NewRider::default()
    })
    .await
    .unwrap();
    b.add_staff("ali", Role::Agent).await.unwrap();
    b.add_staff("sue", Role::Supervisor).await.unwrap();
    b.as_staff("ali")
        .pay(RiderId(5), Tenge(5000), PayMethod::Cash)
        .await
        .unwrap();
    b.buy(RiderId(5), "monthly").await.unwrap();
    b
}

#[tokio::test]
async fn r8_an_operator_season_override_closes_renting_outside_its_dates() {
    let b = astana().await;
    // 1 June is inside Astana's default season; the override starts it on 15 June.
    b.set_season(day("2025-06-15"), day("2025-10-31"))
        .await
        .unwrap();
    let err = b.rent(RiderId(5), BikeId(10), "1234").await.unwrap_err();
    assert_eq!(err.refusal(), Some(Refusal::OutOfSeason), "{err}");
    b.advance_clock(at("2025-06-15 08:00")).await.unwrap();
    b.rent(RiderId(5), BikeId(10), "1234").await.unwrap();
}

#[tokio::test]
async fn a_season_that_ends_before_it_starts_is_refused_and_changes_nothing() {
    let b = astana().await;
    let err = b
        .set_season(day("2025-10-31"), day("2025-06-15"))
        .await
        .unwrap_err();
    assert_eq!(err.refusal(), Some(Refusal::Invalid), "{err}");
    assert!(err.to_string().contains("2025-06-15"), "{err}");
    // The default season still holds: 1 June is open.
    b.rent(RiderId(5), BikeId(10), "1234").await.unwrap();
}

#[tokio::test]
async fn an_agent_reads_their_own_audit_records_but_not_the_whole_log() {
    let b = astana().await;
    b.as_staff("ali")
        .block(RiderId(5), "lost card")
        .await
        .unwrap();
    b.as_staff("sue")
        .give_bonus(RiderId(5), Tenge(300), "promotion")
        .await
        .unwrap();
    // An agent may not read the audit log (README, roles)...
    let err = b
        .as_staff("ali")
        .audit(AuditFilter::default())
        .await
        .unwrap_err();
    assert_eq!(err.refusal(), Some(Refusal::Forbidden));
    // ...but sees the receipt of their own actions, newest first, and nobody else's.
    let mine = b.as_staff("ali").own_audit(0).await.unwrap();
    assert!(!mine.is_empty());
    assert!(mine.iter().all(|r| r.staff == "ali"), "{mine:?}");
    assert_eq!(mine[0].reason, "lost card");
    assert!(mine.windows(2).all(|w| w[0].id > w[1].id));
    assert_eq!(b.as_staff("ali").own_audit(1).await.unwrap().len(), 1);
    let sues = b.as_staff("sue").own_audit(5).await.unwrap();
    assert_eq!(sues.len(), 1, "{sues:?}");
    assert_eq!(sues[0].action, "give-bonus");
}

#[tokio::test]
async fn an_unknown_name_reads_no_audit_records() {
    let b = astana().await;
    let err = b.as_staff("mallory").own_audit(5).await.unwrap_err();
    assert_eq!(err.refusal(), Some(Refusal::Forbidden), "{err}");
}

const STORY: &str = r#"
tariff astana
station 1 docks 2
bike 10 at 1
rider 5 resident born 1990-01-01 pin 1234
staff ali agent
at "2025-06-01 09:00"
pay 5 5000 cash
buy 5 monthly
block 5 reason "lost card" by ali
expect 5 restricted yes
"#;

#[tokio::test]
async fn run_on_makes_one_backend_from_the_tariff_and_the_first_at_of_the_file() {
    let seen: Arc<Mutex<Vec<SetUp>>> = Arc::default();
    let log = seen.clone();
    let r = run_on("story", STORY, move |setup: SetUp| {
        log.lock().unwrap().push(setup.clone());
        local_backend(setup)
    })
    .await;
    assert!(r.passed(), "{r}");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].tariff_file, "assets/tariffs/astana.toml");
    assert_eq!(seen[0].tariff_source, bundled("astana").unwrap());
    assert_eq!(seen[0].start, at("2025-06-01 09:00"));
}

#[test]
fn a_backend_that_cannot_be_made_fails_the_file_at_its_tariff_line() {
    let r = run_str_on("story", STORY, |_| async {
        Err(velodesk::api::BackendError::Unavailable {
            message: "no server".into(),
        })
    });
    assert_eq!(
        r,
        ScenarioResult::Fail {
            name: "story".into(),
            line: 2,
            message: "unavailable: no server".into()
        }
    );
}

#[test]
fn a_backend_without_the_season_override_fails_the_season_line_with_why() {
    // An implementation that refuses an operation as not offered answers `unavailable`; the file
    // then fails at that line, it is never skipped.
    let text = STORY.replace(
        "station 1 docks 2",
        "season 2025-05-01 2025-09-30\nstation 1 docks 2",
    );
    let r = run_str_on("season", &text, |setup| async move {
        let inner = local_backend(setup).await?;
        Ok(Arc::new(wrappers::Older(inner)) as Arc<dyn Backend>)
    });
    match r {
        ScenarioResult::Fail {
            line: 3, message, ..
        } => {
            assert!(
                message.contains("does not offer setting the season"),
                "{message}"
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_staff_action_the_backend_shows_no_audit_record_for_fails_the_file() {
    let r = run_str_on("unaudited", STORY, |setup| async move {
        let inner = local_backend(setup).await?;
        Ok(Arc::new(wrappers::Unaudited(inner)) as Arc<dyn Backend>)
    });
    assert_eq!(
        r,
        ScenarioResult::Fail {
            name: "unaudited".into(),
            line: 10,
            message: "`block` by ali left no audit record with its reason".into()
        }
    );
}

#[tokio::test]
async fn the_sync_runner_works_inside_an_async_runtime_too() {
    // The conformance suite runs inside tokio; the blocking entry points must not panic there.
    assert!(run_str("story", STORY).passed());
}
