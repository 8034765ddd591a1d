//! Scenario files (`*.scn`, SCENARIOS.md): the rule book as runnable stories, run against a
//! fresh in-memory system with a simulated clock. This is a public interface: a line keeps
//! its meaning forever; new commands may be added (here: `pull BIKE`, `return … faulty`).

mod lex;

use crate::domain::tariff::{FineKind, Season, Tariff, bundled};
use crate::domain::time::parse_local;
use crate::domain::{BikeId, Refusal, RiderId, StationId, Tenge};
use crate::engine::{Engine, EngineError, PayMethod, Settings};
use crate::store::Store;
use crate::store::fleet::{BikeState, NewStation};
use crate::store::people::NewRider;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// How a scenario file ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScenarioResult {
    Pass {
        name: String,
    },
    Fail {
        name: String,
        line: usize,
        message: String,
    },
}

impl ScenarioResult {
    pub fn passed(&self) -> bool {
        matches!(self, ScenarioResult::Pass { .. })
    }
}

impl std::fmt::Display for ScenarioResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScenarioResult::Pass { name } => write!(f, "PASS {name}"),
            ScenarioResult::Fail {
                name,
                line,
                message,
            } => write!(f, "FAIL {name}: line {line}: {message}"),
        }
    }
}

/// Run one scenario file.
pub fn run_path(path: &Path) -> ScenarioResult {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    match std::fs::read_to_string(path) {
        Ok(text) => run_str(&name, &text),
        Err(e) => ScenarioResult::Fail {
            name,
            line: 0,
            message: format!("cannot read {}: {e}", path.display()),
        },
    }
}

/// Run a scenario given as text.
pub fn run_str(name: &str, text: &str) -> ScenarioResult {
    let mut run = Run::default();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let outcome =
            lex::words(raw).and_then(|w| if w.is_empty() { Ok(()) } else { run.line(&w) });
        if let Err(message) = outcome {
            return ScenarioResult::Fail {
                name: name.to_string(),
                line,
                message,
            };
        }
    }
    if run.engine.is_none() {
        return ScenarioResult::Fail {
            name: name.to_string(),
            line: 1,
            message: "no `tariff` line".into(),
        };
    }
    ScenarioResult::Pass {
        name: name.to_string(),
    }
}

type Step = Result<(), String>;

#[derive(Default)]
struct Run {
    engine: Option<Engine>,
    tariff: Option<Tariff>,
    riders: BTreeSet<i64>,
    stations: BTreeSet<i64>,
    bikes: BTreeSet<i64>,
    staff: BTreeMap<String, String>,
    started: bool,
}

fn int(w: &str, what: &str) -> Result<i64, String> {
    w.parse::<i64>()
        .map_err(|_| format!("{what} {w:?} is not a whole number"))
}

fn want<'a>(w: &'a [String], i: usize, what: &str) -> Result<&'a str, String> {
    w.get(i)
        .map(|s| s.as_str())
        .ok_or_else(|| format!("missing {what}"))
}

fn keyword(w: &[String], i: usize, kw: &str) -> Step {
    match w.get(i) {
        Some(x) if x == kw => Ok(()),
        Some(x) => Err(format!("expected `{kw}`, found {x:?}")),
        None => Err(format!("expected `{kw}`")),
    }
}

fn no_more(w: &[String], i: usize) -> Step {
    match w.get(i) {
        None => Ok(()),
        Some(x) => Err(format!("unexpected {x:?} at the end of the line")),
    }
}

impl Run {
    fn engine(&mut self) -> Result<&mut Engine, String> {
        self.engine
            .as_mut()
            .ok_or_else(|| "`tariff NAME` must come first".to_string())
    }

    fn tz(&self) -> chrono_tz::Tz {
        self.tariff
            .as_ref()
            .map(|t| t.time_zone)
            .unwrap_or(chrono_tz::Asia::Almaty)
    }

    /// A time at words `i` (`YYYY-MM-DD HH:MM[:SS]`, two words or one quoted); returns the
    /// time and the index after it.
    fn time(&self, w: &[String], i: usize) -> Result<(DateTime<Utc>, usize), String> {
        let first = want(w, i, "a time YYYY-MM-DD HH:MM")?;
        let (text, next) = if first.contains(' ') {
            (first.to_string(), i + 1)
        } else {
            let second = want(w, i + 1, "the time of day HH:MM")?;
            (format!("{first} {second}"), i + 2)
        };
        parse_local(self.tz(), &text)
            .map(|t| (t, next))
            .ok_or_else(|| format!("{text:?} is not a time YYYY-MM-DD HH:MM[:SS]"))
    }

    fn rider(&self, w: &str) -> Result<RiderId, String> {
        let id = int(w, "rider")?;
        if self.riders.contains(&id) {
            Ok(RiderId(id))
        } else {
            Err(format!("rider {id} is not declared"))
        }
    }
    fn station(&self, w: &str) -> Result<StationId, String> {
        let id = int(w, "station")?;
        if self.stations.contains(&id) {
            Ok(StationId(id))
        } else {
            Err(format!("station {id} is not declared"))
        }
    }
    fn bike(&self, w: &str) -> Result<BikeId, String> {
        let id = int(w, "bike")?;
        if self.bikes.contains(&id) {
            Ok(BikeId(id))
        } else {
            Err(format!("bike {id} is not declared"))
        }
    }
    fn staff(&self, w: &[String], i: usize) -> Result<String, String> {
        keyword(w, i, "by")?;
        let name = want(w, i + 1, "a staff name")?;
        no_more(w, i + 2)?;
        if self.staff.contains_key(name) {
            Ok(name.to_string())
        } else {
            Err(format!("staff {name} is not declared"))
        }
    }

    fn line(&mut self, all: &[String]) -> Step {
        // Split off `=> error KIND`.
        let (w, expected) = match all.iter().position(|x| x == "=>") {
            Some(p) => {
                keyword(all, p + 1, "error")?;
                let kind = want(all, p + 2, "an error kind")?;
                no_more(all, p + 3)?;
                let kind =
                    Refusal::parse(kind).ok_or_else(|| format!("unknown error kind {kind:?}"))?;
                (&all[..p], Some(kind))
            }
            None => (all, None),
        };
        let cmd = w[0].as_str();
        if !self.started && cmd != "tariff" {
            return Err("`tariff NAME` must come first".into());
        }
        let scene = matches!(
            cmd,
            "tariff" | "season" | "station" | "bike" | "rider" | "staff" | "at" | "expect"
        );
        if scene {
            if expected.is_some() {
                return Err(format!("`{cmd}` lines cannot expect an error"));
            }
            return self.scene(cmd, w);
        }
        let before = self.last_audit_id()?;
        let result = self.action(cmd, w)?;
        if result.is_ok() && w.iter().any(|x| x == "by") {
            self.audited(cmd, w, before)?;
        }
        match (result, expected) {
            (Ok(()), None) => Ok(()),
            (Ok(()), Some(k)) => Err(format!("expected error {k}, got success")),
            (Err(EngineError::Refused { kind, .. }), Some(k)) if kind == k => Ok(()),
            (Err(EngineError::Refused { kind, message }), Some(k)) => {
                Err(format!("expected error {k}, got error {kind} ({message})"))
            }
            (Err(EngineError::Refused { kind, message }), None) => {
                Err(format!("expected success, got error {kind} ({message})"))
            }
            (Err(e), _) => Err(format!("the system failed: {e}")),
        }
    }

    fn last_audit_id(&mut self) -> Result<i64, String> {
        let filter = crate::store::audit::AuditFilter {
            limit: 1,
            ..Default::default()
        };
        let last = self
            .engine()?
            .audit_log(&filter)
            .map_err(|e| e.to_string())?;
        Ok(last.first().map(|r| r.id).unwrap_or(0))
    }

    /// Every staff action leaves an audit record naming who and why, in its transaction.
    fn audited(&mut self, cmd: &str, w: &[String], before: i64) -> Step {
        let by = w
            .iter()
            .position(|x| x == "by")
            .and_then(|i| w.get(i + 1))
            .cloned()
            .unwrap_or_default();
        let reason = w
            .iter()
            .position(|x| x == "reason")
            .and_then(|i| w.get(i + 1))
            .cloned();
        let filter = crate::store::audit::AuditFilter {
            limit: 5,
            ..Default::default()
        };
        let records = self
            .engine()?
            .audit_log(&filter)
            .map_err(|e| e.to_string())?;
        let found = records.iter().any(|r| {
            r.id > before && r.staff == by && reason.as_ref().is_none_or(|why| r.reason == *why)
        });
        if found {
            Ok(())
        } else {
            Err(format!(
                "`{cmd}` by {by} left no audit record with its reason"
            ))
        }
    }

    fn scene(&mut self, cmd: &str, w: &[String]) -> Step {
        match cmd {
            "tariff" => {
                if self.started {
                    return Err("`tariff` comes once, first".into());
                }
                let name = want(w, 1, "a tariff name")?;
                no_more(w, 2)?;
                let (file, source) = match bundled(name) {
                    Some(s) => (format!("assets/tariffs/{name}.toml"), s.to_string()),
                    None => {
                        let file = format!("assets/tariffs/{name}.toml");
                        let s = std::fs::read_to_string(&file).map_err(|_| {
                            format!("no tariff {name:?} (assets/tariffs/{name}.toml)")
                        })?;
                        (file, s)
                    }
                };
                let tariff = Tariff::parse(&file, &source).map_err(|e| e.to_string())?;
                let store = Store::open_in_memory().map_err(|e| e.to_string())?;
                self.engine = Some(
                    Engine::init(store, &file, &source, Settings::default())
                        .map_err(|e| e.to_string())?,
                );
                self.tariff = Some(tariff);
                self.started = true;
                Ok(())
            }
            "season" => {
                let d = |i: usize| -> Result<NaiveDate, String> {
                    let s = want(w, i, "a date YYYY-MM-DD")?;
                    NaiveDate::parse_from_str(s, "%Y-%m-%d")
                        .map_err(|_| format!("{s:?} is not a date YYYY-MM-DD"))
                };
                let (from, to) = (d(1)?, d(2)?);
                no_more(w, 3)?;
                if to < from {
                    return Err("the season ends before it starts".into());
                }
                self.engine()?.set_season(Season::Dates { from, to });
                Ok(())
            }
            "station" => {
                let id = int(want(w, 1, "a station id")?, "station")?;
                keyword(w, 2, "docks")?;
                let n = int(want(w, 3, "a number of docks")?, "docks")?;
                no_more(w, 4)?;
                if !(0..=500).contains(&n) {
                    return Err(format!("{n} docks is not plausible"));
                }
                let s = NewStation {
                    id: StationId(id),
                    name: format!("Station {id}"),
                    docks: n as u32,
                    active: true,
                    ..NewStation::default()
                };
                self.engine()?.add_station(&s).map_err(|e| e.to_string())?;
                self.stations.insert(id);
                Ok(())
            }
            "bike" => {
                let id = int(want(w, 1, "a bike id")?, "bike")?;
                keyword(w, 2, "at")?;
                let st = self.station(want(w, 3, "a station")?)?;
                no_more(w, 4)?;
                self.engine()?
                    .add_bike(BikeId(id), Some(st))
                    .map_err(|e| e.to_string())?;
                self.bikes.insert(id);
                Ok(())
            }
            "rider" => {
                let id = int(want(w, 1, "a rider id")?, "rider")?;
                let resident = match want(w, 2, "resident|nonresident")? {
                    "resident" => true,
                    "nonresident" => false,
                    x => return Err(format!("{x:?}: resident or nonresident")),
                };
                keyword(w, 3, "born")?;
                let b = want(w, 4, "a birth date")?;
                let born = NaiveDate::parse_from_str(b, "%Y-%m-%d")
                    .map_err(|_| format!("{b:?} is not a date YYYY-MM-DD"))?;
                keyword(w, 5, "pin")?;
                let pin = want(w, 6, "a PIN")?.to_string();
                let concession = match w.get(7).map(|s| s.as_str()) {
                    None => None,
                    Some("concession") => {
                        let c = want(w, 8, "student|pensioner|disability3")?;
                        if !matches!(c, "student" | "pensioner" | "disability3") {
                            return Err(format!("{c:?}: student, pensioner or disability3"));
                        }
                        no_more(w, 9)?;
                        Some(c.to_string())
                    }
                    Some(x) => return Err(format!("unexpected {x:?}")),
                };
                let r = NewRider {
                    id: Some(RiderId(id)),
                    surname: format!("Rider{id}"),
                    born,
                    resident,
                    concession,
                    lang: "ru".into(),
                    pin,
                    ..NewRider::default()
                };
                self.engine()?.add_rider(&r).map_err(|e| e.to_string())?;
                self.riders.insert(id);
                Ok(())
            }
            "staff" => {
                let name = want(w, 1, "a staff name")?;
                let role = want(w, 2, "a role")?;
                no_more(w, 3)?;
                let r = crate::domain::roles::Role::parse(role)
                    .ok_or_else(|| format!("{role:?}: agent, depot, supervisor or admin"))?;
                self.engine()?
                    .add_staff(name, r, None)
                    .map_err(|e| e.to_string())?;
                self.staff.insert(name.to_string(), role.to_string());
                Ok(())
            }
            "at" => {
                let (t, next) = self.time(w, 1)?;
                no_more(w, next)?;
                self.engine()?.advance_to(t).map_err(|e| e.to_string())?;
                Ok(())
            }
            _ => self.expect(w),
        }
    }

    fn action(&mut self, cmd: &str, w: &[String]) -> Result<Result<(), EngineError>, String> {
        let r = match cmd {
            "pay" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let amount = Tenge(int(want(w, 2, "an amount")?, "amount")?);
                let m = want(w, 3, "cash|card|bank")?;
                let method =
                    PayMethod::parse(m).ok_or_else(|| format!("{m:?}: cash, card or bank"))?;
                no_more(w, 4)?;
                self.engine()?.pay(rider, amount, method, None).map(drop)
            }
            "buy" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let pass = want(w, 2, "a pass")?;
                if !matches!(
                    pass,
                    "monthly" | "quarterly" | "seasonal" | "day1" | "day3" | "day7"
                ) {
                    return Err(format!(
                        "{pass:?}: monthly, quarterly, seasonal, day1, day3 or day7"
                    ));
                }
                no_more(w, 3)?;
                self.engine()?.buy(rider, pass, None).map(drop)
            }
            "hold-deposit" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let amount = Tenge(int(want(w, 2, "an amount")?, "amount")?);
                no_more(w, 3)?;
                self.engine()?.hold_deposit(rider, amount, None).map(drop)
            }
            "rent" | "unlock" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                keyword(w, 2, "bike")?;
                let bike = self.bike(want(w, 3, "a bike")?)?;
                keyword(w, 4, "pin")?;
                let pin = want(w, 5, "a PIN")?.to_string();
                no_more(w, 6)?;
                if cmd == "rent" {
                    self.engine()?.rent(rider, bike, &pin).map(drop)
                } else {
                    self.engine()?.unlock(rider, bike, &pin)
                }
            }
            "pull" => {
                let bike = self.bike(want(w, 1, "a bike")?)?;
                no_more(w, 2)?;
                self.engine()?.pull(bike).map(drop)
            }
            "return" => {
                let bike = self.bike(want(w, 1, "a bike")?)?;
                keyword(w, 2, "at")?;
                let st = self.station(want(w, 3, "a station")?)?;
                let (lock_error, faulty) = match w.get(4).map(|s| s.as_str()) {
                    None => (false, false),
                    Some("lock-error") => (true, false),
                    Some("faulty") => (false, true),
                    Some(x) => return Err(format!("unexpected {x:?}: lock-error or faulty")),
                };
                no_more(w, 5)?;
                self.engine()?
                    .return_bike(bike, st, lock_error, faulty)
                    .map(drop)
            }
            "call" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                keyword(w, 2, "cable-lock")?;
                keyword(w, 3, "at")?;
                let st = self.station(want(w, 4, "a station")?)?;
                no_more(w, 5)?;
                self.engine()?.call_cable_lock(rider, st)
            }
            "cable-lock" => {
                let bike = self.bike(want(w, 1, "a bike")?)?;
                keyword(w, 2, "at")?;
                let st = self.station(want(w, 3, "a station")?)?;
                keyword(w, 4, "pin")?;
                let pin = want(w, 5, "a PIN")?.to_string();
                no_more(w, 6)?;
                self.engine()?.cable_lock(bike, st, &pin).map(drop)
            }
            "authorise-cable-lock" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                keyword(w, 2, "at")?;
                let st = self.station(want(w, 3, "a station")?)?;
                let by = self.staff(w, 4)?;
                self.engine()?.authorise_cable_lock(rider, st, &by)
            }
            "end-rental" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                keyword(w, 2, "at")?;
                let st = self.station(want(w, 3, "a station")?)?;
                keyword(w, 4, "time")?;
                let (t, next) = self.time(w, 5)?;
                keyword(w, next, "reason")?;
                let reason = want(w, next + 1, "a reason")?.to_string();
                let by = self.staff(w, next + 2)?;
                self.engine()?
                    .end_rental(rider, st, t, &reason, &by)
                    .map(drop)
            }
            "fine" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let k = want(w, 2, "a fine kind")?;
                let kind = FineKind::parse(k).ok_or_else(|| {
                    format!(
                        "{k:?}: late, damage, accident, no-explanation, parts or access-sharing"
                    )
                })?;
                let (amount, by_at) = match w.get(3).map(|s| s.as_str()) {
                    Some("by") => (None, 3),
                    Some(a) => (Some(Tenge(int(a, "amount")?)), 4),
                    None => return Err("missing `by NAME`".into()),
                };
                let by = self.staff(w, by_at)?;
                self.engine()?
                    .fine(rider, kind, amount, None, "", &by)
                    .map(drop)
            }
            "approve-fine" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let by = self.staff(w, 2)?;
                self.engine()?.approve_fine(rider, &by).map(drop)
            }
            "refund" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let by = self.staff(w, 2)?;
                self.engine()?.refund(rider, &by).map(drop)
            }
            "credit" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let amount = Tenge(int(want(w, 2, "an amount")?, "amount")?);
                keyword(w, 3, "reason")?;
                let reason = want(w, 4, "a reason")?.to_string();
                let by = self.staff(w, 5)?;
                self.engine()?
                    .credit_claim(rider, amount, &reason, &by)
                    .map(drop)
            }
            "bonus" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let amount = Tenge(int(want(w, 2, "an amount")?, "amount")?);
                let by = self.staff(w, 3)?;
                self.engine()?
                    .give_bonus(rider, amount, "promotion", &by)
                    .map(drop)
            }
            "block" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                keyword(w, 2, "reason")?;
                let reason = want(w, 3, "a reason")?.to_string();
                let by = self.staff(w, 4)?;
                self.engine()?.block(rider, &reason, &by)
            }
            "unblock" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let by = self.staff(w, 2)?;
                self.engine()?.unblock(rider, "", &by)
            }
            "service-release" | "to-repair" => {
                let bike = self.bike(want(w, 1, "a bike")?)?;
                let by = self.staff(w, 2)?;
                if cmd == "to-repair" {
                    self.engine()?.to_repair(bike, &by)
                } else {
                    self.engine()?.service_release(bike, &by)
                }
            }
            "service-dock" => {
                let bike = self.bike(want(w, 1, "a bike")?)?;
                keyword(w, 2, "at")?;
                let st = self.station(want(w, 3, "a station")?)?;
                let by = self.staff(w, 4)?;
                self.engine()?.service_dock(bike, st, &by)
            }
            "dock-out-of-service" => {
                let st = self.station(want(w, 1, "a station")?)?;
                let by = self.staff(w, 2)?;
                self.engine()?.dock_out_of_service(st, &by).map(drop)
            }
            other => return Err(format!("unknown command {other:?}")),
        };
        Ok(r)
    }

    fn expect(&mut self, w: &[String]) -> Step {
        let subject = want(w, 1, "what to expect")?;
        let check = |what: &str, expected: String, got: String| -> Step {
            if expected == got {
                Ok(())
            } else {
                Err(format!("expected {what} {expected}, got {got}"))
            }
        };
        match subject {
            "ledger" => {
                keyword(w, 2, "balanced")?;
                no_more(w, 3)?;
                let m = self.engine()?.verify().map_err(|e| e.to_string())?;
                match m.first() {
                    None => Ok(()),
                    Some(x) => Err(format!(
                        "expected ledger balanced, got rider {} {} {} cached but {} from the entries",
                        x.rider, x.what, x.cached.0, x.from_entries.0
                    )),
                }
            }
            "station" => {
                let st = self.station(want(w, 2, "a station")?)?;
                let what = want(w, 3, "bikes|free|cable-locked")?.to_string();
                let n = int(want(w, 4, "a number")?, "count")?;
                no_more(w, 5)?;
                let v = self
                    .engine()?
                    .station_view(st)
                    .map_err(|e| e.to_string())?
                    .station;
                let got = match what.as_str() {
                    "bikes" => v.bikes,
                    "free" => v.free_docks,
                    "cable-locked" => v.cable_locked,
                    x => return Err(format!("{x:?}: bikes, free or cable-locked")),
                };
                check(
                    &format!("station {st} {what}"),
                    n.to_string(),
                    got.to_string(),
                )
            }
            "bike" => {
                let bike = self.bike(want(w, 2, "a bike")?)?;
                keyword(w, 3, "at")?;
                let place = want(w, 4, "STATION|rental|van|repair")?.to_string();
                no_more(w, 5)?;
                if !matches!(place.as_str(), "rental" | "van" | "repair") {
                    self.station(&place)?;
                }
                let b = self.engine()?.bike(bike).map_err(|e| e.to_string())?;
                let got = match b.state {
                    BikeState::Docked | BikeState::CableLocked => {
                        b.station.map(|s| s.to_string()).unwrap_or_default()
                    }
                    other => other.as_str().to_string(),
                };
                check(&format!("bike {bike} at"), place, got)
            }
            _ => {
                let rider = self.rider(subject)?;
                let what = want(w, 2, "what to expect of the rider")?.to_string();
                let value = want(w, 3, "a value")?.to_string();
                let tail = w.get(4).cloned();
                let view = self
                    .engine()?
                    .rider_view(rider)
                    .map_err(|e| e.to_string())?;
                let amount = |v: &str| int(v, "amount").map(|n| n.to_string());
                let yes_no = |b: bool| {
                    if b {
                        "yes".to_string()
                    } else {
                        "no".to_string()
                    }
                };
                let label = format!("rider {rider} {what}");
                match what.as_str() {
                    "balance" => {
                        no_more(w, 4)?;
                        check(&label, amount(&value)?, view.rider.balance.0.to_string())
                    }
                    "accrued" => {
                        no_more(w, 4)?;
                        check(&label, amount(&value)?, view.rider.accrued.0.to_string())
                    }
                    "bonus" => {
                        no_more(w, 4)?;
                        check(&label, amount(&value)?, view.rider.bonus.0.to_string())
                    }
                    "deposit" => {
                        no_more(w, 4)?;
                        check(&label, amount(&value)?, view.rider.deposit.0.to_string())
                    }
                    "trips" => {
                        no_more(w, 4)?;
                        check(&label, amount(&value)?, view.trip_count.to_string())
                    }
                    "restricted" | "overdue" => {
                        no_more(w, 4)?;
                        if !matches!(value.as_str(), "yes" | "no") {
                            return Err(format!("{value:?}: yes or no"));
                        }
                        let got = if what == "restricted" {
                            view.rider.restricted || view.rider.blocked_reason.is_some()
                        } else {
                            view.open_rental.as_ref().is_some_and(|r| r.overdue)
                        };
                        check(&label, value, yes_no(got))
                    }
                    "renting" => {
                        no_more(w, 4)?;
                        if value != "none" {
                            self.bike(&value)?;
                        }
                        let got = view
                            .open_rental
                            .as_ref()
                            .map(|r| r.rental.bike.to_string())
                            .unwrap_or_else(|| "none".into());
                        check(&label, value, got)
                    }
                    "pass" => {
                        no_more(w, 4)?;
                        let got = view
                            .pass
                            .as_ref()
                            .map(|p| p.pass.clone())
                            .unwrap_or_else(|| "none".into());
                        check(&label, value, got)
                    }
                    "fined" => {
                        let kind = FineKind::parse(&value)
                            .ok_or_else(|| format!("{value:?} is not a fine kind"))?;
                        let n = int(tail.as_deref().ok_or("missing the amount")?, "amount")?;
                        no_more(w, 5)?;
                        check(
                            &format!("rider {rider} fined {kind}"),
                            n.to_string(),
                            view.fined(kind.as_str()).0.to_string(),
                        )
                    }
                    x => Err(format!("unknown expectation {x:?}")),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
tariff astana
station 1001 docks 4
station 1002 docks 1
bike 17 at 1001
bike 18 at 1002
rider 5 resident born 1990-05-01 pin 1234
staff ali agent

at 2025-06-01 09:00
pay 5 5000 cash
buy 5 monthly
expect 5 accrued 2500
at 2025-06-01 10:00
rent 5 bike 17 pin 1234
return 17 at 1002 => error station-full
call 5 cable-lock at 1002
authorise-cable-lock 5 at 1002 by ali
cable-lock 17 at 1002 pin 1234
expect 5 renting none
expect station 1002 cable-locked 1
at 2025-06-02 00:00
expect 5 balance 2500
expect ledger balanced
"#;

    #[test]
    fn the_example_of_scenarios_md_passes() {
        assert_eq!(
            run_str("example", EXAMPLE),
            ScenarioResult::Pass {
                name: "example".into()
            }
        );
    }

    #[test]
    fn a_wrong_number_fails_with_its_line_and_both_values() {
        let text = EXAMPLE.replace("expect 5 balance 2500", "expect 5 balance 2600");
        let r = run_str("wrong", &text);
        assert_eq!(
            r,
            ScenarioResult::Fail {
                name: "wrong".into(),
                line: 23,
                message: "expected rider 5 balance 2600, got 2500".into()
            }
        );
        assert_eq!(
            r.to_string(),
            "FAIL wrong: line 23: expected rider 5 balance 2600, got 2500"
        );
    }

    #[test]
    fn unknown_commands_malformed_lines_and_undeclared_references_fail_the_file() {
        let base = "tariff astana\nstation 1 docks 2\nrider 5 resident born 1990-01-01 pin 1\nat 2025-06-01 09:00\n";
        for (line, why) in [
            ("jump 5", "unknown command"),
            ("pay 5 lots cash", "not a whole number"),
            ("pay 6 100 cash", "rider 6 is not declared"),
            ("pay 5 100 gold", "cash, card or bank"),
            ("expect 5 balance", "missing a value"),
            ("rent 5 bike 9 pin 1", "bike 9 is not declared"),
            ("pay 5 100 cash => error nonsense", "unknown error kind"),
        ] {
            match run_str("bad", &format!("{base}{line}\n")) {
                ScenarioResult::Fail {
                    line: 5, message, ..
                } => assert!(message.contains(why), "{line}: {message}"),
                other => panic!("{line}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_refused_action_must_name_the_right_kind() {
        let text = "tariff astana\nrider 5 resident born 1990-01-01 pin 1\nat 2025-06-01 09:00\nbuy 5 monthly => error no-pass\n";
        match run_str("kind", text) {
            ScenarioResult::Fail {
                line: 4, message, ..
            } => assert!(
                message.starts_with("expected error no-pass, got error low-balance"),
                "{message}"
            ),
            other => panic!("{other:?}"),
        }
    }
}
