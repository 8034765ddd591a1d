//! Group commit in the writer thread: what a batch keeps when one of its jobs is refused,
//! and what everyone in it hears when the batch cannot be saved.

use super::*;
use crate::api::NewRider;
use crate::api::PayMethod;
use crate::engine::Settings;
use crate::store::Store;
use std::sync::Mutex;

type Heard = Arc<Mutex<Vec<(usize, Result<(), BackendError>)>>>;

fn engine_with_riders(n: i64) -> Engine {
    let store = Store::open_in_memory().expect("store");
    let source = crate::domain::tariff::bundled("almaty").expect("tariff");
    let mut e = Engine::init(store, "almaty", source, Settings::default()).expect("engine");
    e.advance_to(crate::domain::time::parse_local(e.time_zone(), "2025-06-01 10:00").expect("t"))
        .expect("clock");
    for id in 1..=n {
        e.add_rider(&NewRider {
            id: Some(RiderId(id)),
            surname: "Ахметова".into(),
            name: "Айгерим".into(),
            born: chrono::NaiveDate::from_ymd_opt(1990, 5, 17).expect("date"),
            resident: true,
            lang: "kk".into(),
            pin: "4321".into(),
            ..NewRider::default()
        })
        .expect("rider");
    }
    e.take_events();
    e
}

/// A job paying `amount` to `rider`, recording what its caller hears as number `n`.
fn pay_job(n: usize, rider: i64, amount: i64, heard: &Heard) -> Job {
    let heard = heard.clone();
    Box::new(move |engine: &mut Engine| -> Reply {
        let out = engine
            .pay(RiderId(rider), Tenge(amount), PayMethod::Cash, None)
            .map(|_| ())
            .map_err(BackendError::from);
        Box::new(move |failed: Option<&BackendError>| {
            let out = failed.map_or(out, |e| Err(e.clone()));
            heard.lock().expect("lock").push((n, out));
        })
    })
}

fn available(e: &mut Engine, rider: i64) -> Tenge {
    e.rider_view(RiderId(rider)).expect("rider").available
}

#[test]
fn a_refused_job_in_a_batch_undoes_only_itself() {
    let mut e = engine_with_riders(2);
    let heard: Heard = Arc::default();
    // The middle payment is refused (a negative amount), and a job that wrote before it
    // failed; the others share their batch.
    let half_done: Job = Box::new(|engine: &mut Engine| -> Reply {
        let _ = engine.store().write(|c| -> crate::store::Result<()> {
            crate::store::set_meta(c, "half-done", "written before the failure")?;
            Err(crate::store::StoreError::Conflict("failed half-way".into()))
        });
        Box::new(|_: Option<&BackendError>| {})
    });
    let batch = vec![
        pay_job(0, 1, 500, &heard),
        pay_job(1, 2, -100, &heard),
        half_done,
        pay_job(2, 2, 700, &heard),
    ];
    let (replies, failed) = run_batch(&mut e, batch);
    assert!(failed.is_none(), "the batch commits: {failed:?}");
    assert!(
        heard.lock().expect("lock").is_empty(),
        "nobody hears before the commit"
    );
    for r in replies {
        r(failed.as_ref());
    }
    let heard = heard.lock().expect("lock");
    assert!(heard[0].1.is_ok() && heard[2].1.is_ok(), "{heard:?}");
    assert!(
        matches!(heard[1].1, Err(BackendError::Refused { .. })),
        "{heard:?}"
    );
    assert_eq!(available(&mut e, 1), Tenge(500));
    assert_eq!(available(&mut e, 2), Tenge(700));
    let half = e.store().read(|c| crate::store::get_meta(c, "half-done"));
    assert_eq!(
        half.expect("read"),
        None,
        "a failed write leaves nothing behind"
    );
    let events = e.take_events();
    assert_eq!(
        events.len(),
        2,
        "one ledger event per kept payment: {events:?}"
    );
}

#[test]
fn a_batch_the_database_lost_is_reported_to_everyone_in_it_and_keeps_nothing() {
    let mut e = engine_with_riders(2);
    let heard: Heard = Arc::default();
    // The third job rolls the batch's transaction back under everyone, as SQLite does on a
    // full disk or an I/O error.
    let lose: Job = Box::new(|engine: &mut Engine| -> Reply {
        let _ = engine.store().connection().execute_batch("ROLLBACK");
        Box::new(|_: Option<&BackendError>| {})
    });
    let batch = vec![pay_job(0, 1, 500, &heard), pay_job(1, 2, 700, &heard), lose];
    let (replies, failed) = run_batch(&mut e, batch);
    for r in replies {
        r(failed.as_ref());
    }
    let heard = heard.lock().expect("lock");
    assert_eq!(heard.len(), 2);
    for (n, out) in heard.iter() {
        match out {
            Err(BackendError::Unavailable { message }) => {
                assert!(
                    message.contains("nothing of it was applied"),
                    "{n}: {message}"
                )
            }
            other => panic!("job {n} heard {other:?} for a change that was not saved"),
        }
    }
    assert_eq!(available(&mut e, 1), Tenge(0));
    assert_eq!(available(&mut e, 2), Tenge(0));
    // After a lost batch the next one works as usual.
    let heard2: Heard = Arc::default();
    let (replies, failed) = run_batch(
        &mut e,
        vec![pay_job(0, 1, 300, &heard2), pay_job(1, 2, 400, &heard2)],
    );
    assert!(failed.is_none());
    for r in replies {
        r(None);
    }
    assert_eq!(available(&mut e, 1), Tenge(300));
}

/// A hooked operation (the server's idempotency and audit records) is one unit with its
/// hook, alone or inside a group commit: a hook that fails undoes the whole operation and
/// its events, one that succeeds keeps both.
#[test]
fn an_operation_and_its_hook_commit_together_or_not_at_all() {
    for grouped in [false, true] {
        let mut e = engine_with_riders(1);
        if grouped {
            e.store().begin_batch().expect("batch");
        }
        let failing = |_: &crate::engine::Ctx<'_>, _: &rusqlite::Connection, _: &Outcome| {
            Err::<(), _>(crate::engine::EngineError::Store(
                crate::store::StoreError::Conflict("the record could not be written".into()),
            ))
        };
        let pay = || Op::Pay {
            rider: RiderId(1),
            amount: Tenge(700),
            method: PayMethod::Cash,
        };
        let out = e.atomically(|e| e.execute(None, pay()), failing);
        assert!(out.is_err(), "grouped {grouped}");
        assert!(e.take_events().is_empty(), "no event of an undone payment");
        assert_eq!(available(&mut e, 1), Tenge(0), "grouped {grouped}");

        // The hook is given the operation's whole answer, typed.
        let taking = |ctx: &crate::engine::Ctx<'_>, c: &rusqlite::Connection, out: &Outcome| {
            assert!(matches!(out, Outcome::Entry(_)), "{out:?}");
            crate::store::audit::record(
                c, ctx.now, "", "ada", "admin", "hooked", None, "", "", "",
            )?;
            Ok(())
        };
        e.atomically(|e| e.execute(None, pay()), taking)
            .expect("a payment");
        if grouped {
            e.store().commit_batch().expect("commit");
        }
        assert_eq!(available(&mut e, 1), Tenge(700), "grouped {grouped}");
        let hooked: i64 = e
            .store()
            .connection()
            .query_row(
                "SELECT COUNT(*) FROM audit WHERE action = 'hooked'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(hooked, 1, "grouped {grouped}");
        assert!(!e.take_events().is_empty(), "the payment's events are kept");
    }
}
