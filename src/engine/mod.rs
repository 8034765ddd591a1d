//! The engine: each operation gathers facts from the store, asks the domain, and writes the
//! outcome — ledger entries, fleet changes, audit record, rider message, events — in one
//! transaction. It keeps no clock: time moves only through [`Engine::advance_to`].

mod calls;
mod cases;
mod ctx;
mod depot_ops;
mod desk;
mod dispute;
mod door;
mod error;
mod fines;
mod import;
mod money;
mod plan;
mod posting;
mod rentals;
mod returns;
mod reveal;
mod settling;
mod setup;
mod staff_ops;
pub mod views;

use crate::api::{Event, PostingReport};
use crate::domain::tariff::{Season, Tariff};
use crate::domain::time::{format_local, local_date, local_midnight};
use crate::domain::{Refusal, RiderId};
use crate::store::ledger::POSTED_THROUGH;
use crate::store::{self, Store, StoreError, audit};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;

/// The read models moved to the shared language; the engine answers with them.
pub use crate::api::{Alert, DeskInfo, OpenRental, Personal, RiderView, StationView};
pub use desk::{CARD_MAX_CHARS, NOTE_MAX_CHARS};
pub use import::{ImportReport, ImportStation, MAX_DOCKS as MAX_IMPORT_DOCKS, StationImport};
pub use views::*;

pub use ctx::{Ctx, staff_actor};
pub use error::{EngineError, Result, refuse};

/// Tunables that are not tariff (deployment settings).
#[derive(Debug, Clone)]
pub struct Settings {
    /// R10: seconds to pull the bike after a successful unlock.
    pub unlock_window_s: i64,
    /// R14: how long a cable-lock permission stays valid.
    pub cable_auth_valid_s: i64,
    /// R13: a bike reported faulty this soon after the start cancels the trip.
    pub faulty_grace_s: i64,
    /// D14: overrides the tariff's approval threshold when set.
    pub approval_threshold: Option<crate::domain::Tenge>,
    /// The depot's vans (issue #16): how many, and how many bikes each carries.
    pub vans: u32,
    pub van_capacity: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            unlock_window_s: 30,
            cable_auth_valid_s: 3600,
            faulty_grace_s: 300,
            approval_threshold: None,
            vans: 2,
            van_capacity: 20,
        }
    }
}

/// What a refused operation still records: a wrong PIN counts however the attempt ends
/// (D29). Written after the refusal, in a transaction of its own — after the whole unit when
/// the operation runs in one ([`Engine::atomically`]) — so the refusal changes nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Aftermath {
    WrongPin {
        rider: RiderId,
    },
    /// A rider asked for a bike still in another's rental after a lock error (issue 17).
    AskedFor {
        rider: RiderId,
        bike: crate::domain::BikeId,
        station: crate::domain::StationId,
        rental: crate::domain::RentalId,
    },
}

/// One velodesk system: its store, its tariffs and the time it has reached.
pub struct Engine {
    store: Store,
    tariffs: Vec<Tariff>,
    now: Option<DateTime<Utc>>,
    settings: Settings,
    events: Vec<(i64, Event)>,
    /// Refusals' records waiting for their own transaction.
    aftermath: Vec<Aftermath>,
    /// How many [`Engine::atomically`] units are open.
    units: u32,
    /// The depot's van plan and its forecast, kept between look-ups ([`plan`]).
    plan: plan::Cache,
}

/// The operator's season override (`FROM..TO`, local dates), kept across restarts.
const SEASON_OVERRIDE: &str = "season_override";

impl Engine {
    /// Wrap a migrated store; the tariffs come from the database (D8).
    pub fn new(mut store: Store, settings: Settings) -> Result<Engine> {
        let sources = store.read(store::tariffs)?;
        let mut tariffs = Vec::new();
        for (name, source) in sources {
            tariffs.push(
                Tariff::parse(&name, &source).map_err(|e| EngineError::Refused {
                    kind: Refusal::Invalid,
                    message: e.to_string(),
                })?,
            );
        }
        if tariffs.is_empty() {
            return Err(EngineError::Store(StoreError::NotASystem(
                "it has no tariff (create it with `velodesk init`)".into(),
            )));
        }
        tariffs.sort_by_key(|t| t.effective_from);
        let overridden = store.read(|c| store::get_meta(c, SEASON_OVERRIDE))?;
        let mut engine = Engine {
            store,
            tariffs,
            now: None,
            settings,
            events: Vec::new(),
            aftermath: Vec::new(),
            units: 0,
            plan: plan::Cache::default(),
        };
        if let Some((from, to)) = overridden.as_deref().and_then(|v| v.split_once("..")) {
            match (from.parse(), to.parse()) {
                (Ok(from), Ok(to)) => engine.apply_season(Season::Dates { from, to }),
                _ => {
                    return Err(EngineError::Store(StoreError::NotASystem(format!(
                        "its season override {overridden:?} is not FROM..TO dates"
                    ))));
                }
            }
        }
        Ok(engine)
    }

    /// Create a system in `store` with a tariff (`name` for messages, `source` its TOML).
    pub fn init(mut store: Store, name: &str, source: &str, settings: Settings) -> Result<Engine> {
        let tariff = Tariff::parse(name, source).map_err(|e| EngineError::Refused {
            kind: Refusal::Invalid,
            message: e.to_string(),
        })?;
        store.write(|c| -> Result<()> {
            if !store::tariffs(c)?.is_empty() {
                return refuse(
                    Refusal::Invalid,
                    "this database already holds a velodesk system",
                );
            }
            store::add_tariff(c, name, &tariff.effective_from.to_string(), source)?;
            store::set_meta(c, "city", &tariff.city)?;
            Ok(())
        })?;
        Engine::new(store, settings)
    }

    /// The tariff in force for something starting at `at` (D8).
    pub fn tariff_at(&self, at: DateTime<Utc>) -> &Tariff {
        Tariff::in_force(&self.tariffs, at).unwrap_or(&self.tariffs[0])
    }

    /// The tariff in force now.
    pub fn tariff(&self) -> &Tariff {
        self.tariff_at(self.now())
    }

    pub fn time_zone(&self) -> chrono_tz::Tz {
        self.tariffs[0].time_zone
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Replace the season with the dates `from` to `to` (scenario `season`, an operator's
    /// override): kept in the database, so it outlives a restart. D21: it applies to the
    /// passes already sold that run into it: each ends at the latest at its end, and a
    /// seasonal pass runs to it.
    pub fn set_season(&mut self, from: NaiveDate, to: NaiveDate) -> Result<()> {
        if to < from {
            return refuse(
                Refusal::Invalid,
                format!("the season cannot end on {to}, before it starts on {from}"),
            );
        }
        let season = Season::Dates { from, to };
        let mut moved = self.tariff().clone();
        moved.season = season;
        self.write(|ctx, c| {
            store::set_meta(c, SEASON_OVERRIDE, &format!("{from}..{to}"))?;
            let begins = local_midnight(moved.time_zone, from);
            for p in store::passes::passes_from(c, begins)? {
                let end = crate::domain::rules::pass_end(&moved, p.starts_at, p.period_end);
                if end != p.ends_at {
                    store::passes::set_pass_end(c, p.id, end)?;
                    ctx.emit(Event::RiderChanged { rider: p.rider });
                }
            }
            Ok(())
        })?;
        self.apply_season(season);
        Ok(())
    }

    fn apply_season(&mut self, season: Season) {
        for t in &mut self.tariffs {
            t.season = season;
        }
    }

    /// The time the engine has reached (the epoch before the first `advance_to`).
    pub fn now(&self) -> DateTime<Utc> {
        self.now.unwrap_or_default()
    }

    /// Set the time of a read-only engine beside the writer (its look-ups price and age
    /// things at the writer's time); runs nothing that falls due — that is the writer's.
    pub fn look_at(&mut self, now: DateTime<Utc>) {
        self.now = Some(now);
    }

    /// Events produced since the last call, with their log ids.
    pub fn take_events(&mut self) -> Vec<(i64, Event)> {
        std::mem::take(&mut self.events)
    }

    pub fn store(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Run `f` (any engine operations) and then `hook`, given `f`'s result, as one unit:
    /// all of it commits or none, events included (the server's idempotency records and
    /// the audit of set-ups commit with their effect). Returns both results.
    pub fn atomically<T: 'static, H: 'static>(
        &mut self,
        f: impl FnOnce(&mut Engine) -> Result<T>,
        hook: impl FnOnce(&Ctx<'_>, &Connection, &T) -> Result<H>,
    ) -> Result<(T, H)> {
        let mark = self.events.len();
        let grouped = self.store.begin_unit()?;
        self.units += 1;
        let out = f(self).and_then(|v| {
            let h = self.write(|ctx, c| hook(ctx, c, &v))?;
            Ok((v, h))
        });
        self.units -= 1;
        let ended = self
            .store
            .end_unit(grouped, out.is_ok())
            .map_err(EngineError::from);
        if out.is_err() || ended.is_err() {
            self.events.truncate(mark);
        }
        self.settle_aftermath();
        ended.and(out)
    }

    /// Write what refused operations still record ([`Aftermath`]), once no unit is open.
    fn settle_aftermath(&mut self) {
        if self.units > 0 || self.aftermath.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.aftermath);
        let written = self.write(|ctx, c| {
            for a in &pending {
                match *a {
                    Aftermath::WrongPin { rider } => rentals::count_wrong_pin(ctx, c, rider)?,
                    Aftermath::AskedFor {
                        rider,
                        bike,
                        station,
                        rental,
                    } => dispute::record_asked_for(ctx, c, rider, bike, station, rental)?,
                }
            }
            Ok(())
        });
        if let Err(e) = written {
            log::error!("the records of a refusal were not written ({pending:?}): {e}");
        }
    }

    /// Run `f` in one write transaction, keeping its events only if it commits.
    fn write<T: 'static>(
        &mut self,
        f: impl FnOnce(&Ctx<'_>, &Connection) -> Result<T>,
    ) -> Result<T> {
        let now = self.now();
        let tariff = self.tariff_at(now).clone();
        let ctx = Ctx {
            now,
            tariff: &tariff,
            settings: &self.settings,
            events: std::cell::RefCell::new(Vec::new()),
            aftermath: std::cell::RefCell::new(Vec::new()),
        };
        let out = self.store.write(|c| -> Result<T> {
            let out = f(&ctx, c)?;
            let mut logged = Vec::new();
            for e in ctx.events.borrow().iter() {
                let payload = serde_json::to_string(e).unwrap_or_default();
                logged.push((audit::add_event(c, now, e.kind(), &payload)?, e.clone()));
            }
            *ctx.events.borrow_mut() = Vec::new();
            self.events.extend(logged);
            Ok(out)
        });
        if out.is_err() {
            let after = ctx.aftermath.take();
            self.aftermath.extend(after);
            self.settle_aftermath();
        }
        out
    }

    /// Run `f` in one write transaction of the engine's (the server's own tables: sessions,
    /// station keys), so a commit hook and a group commit take it like any operation.
    pub fn write_with<T: 'static>(
        &mut self,
        f: impl FnOnce(&Ctx<'_>, &Connection) -> Result<T>,
    ) -> Result<T> {
        self.write(f)
    }

    /// Run `f` over a read snapshot.
    pub fn read<T>(&mut self, f: impl FnOnce(&Ctx<'_>, &Connection) -> Result<T>) -> Result<T> {
        let now = self.now();
        let tariff = self.tariff_at(now).clone();
        let ctx = Ctx {
            now,
            tariff: &tariff,
            settings: &self.settings,
            events: std::cell::RefCell::new(Vec::new()),
            aftermath: std::cell::RefCell::new(Vec::new()),
        };
        self.store.read(|c| f(&ctx, c))
    }

    /// Move time forward to `to`, running what falls due on the way, in order, exactly as
    /// production does: the nightly posting at each local midnight (R17, R18, D16) and the
    /// 24-hour overdue marks (R15). Returns what was posted. Time never moves backwards.
    pub fn advance_to(&mut self, to: DateTime<Utc>) -> Result<PostingReport> {
        let mut report = PostingReport::default();
        let tz = self.time_zone();
        let Some(now) = self.now else {
            // First look at the clock of a new system: start the postings just before the
            // oldest charge waiting (so its midnight is not skipped), or before today.
            let posted = self.store.read(|c| store::get_meta(c, POSTED_THROUGH))?;
            self.now = Some(to);
            if posted.is_none() {
                let today = local_midnight(tz, local_date(tz, to));
                let oldest = self.store.read(crate::store::ledger::next_due)?;
                let start = match oldest {
                    Some(due) if due <= today => due - chrono::Duration::seconds(1),
                    _ => today - chrono::Duration::seconds(1),
                };
                self.store
                    .write(|c| store::set_meta(c, POSTED_THROUGH, &store::ts(start).to_string()))?;
            }
            return self.advance_to(to);
        };
        if to < now {
            return refuse(
                Refusal::Invalid,
                format!(
                    "time never moves backwards: it is {} and {} is earlier",
                    format_local(tz, now),
                    format_local(tz, to)
                ),
            );
        }
        loop {
            let posted_through = self
                .store
                .read(|c| store::get_meta(c, POSTED_THROUGH))?
                .and_then(|s| s.parse::<i64>().ok())
                .map(store::from_ts)
                .unwrap_or(now);
            let midnight = crate::domain::time::next_local_midnight(tz, posted_through);
            if midnight > to {
                break;
            }
            self.now = Some(midnight.max(now));
            self.mark_overdue(midnight)?;
            let r = self.nightly_posting(midnight)?;
            report.add(&r);
        }
        self.now = Some(to);
        self.mark_overdue(to)?;
        Ok(report)
    }
}
