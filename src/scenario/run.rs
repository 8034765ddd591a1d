//! One scenario run: its lines in order, each turned into calls on a [`Backend`]. Here are
//! the references a line names, the scene lines and the audit check after a staff action;
//! actions are in `action.rs`, expectations in `expect.rs`.

use super::SetUp;
use crate::api::NewRider;
use crate::api::NewStation;
use crate::api::{BResult, BackendError};
use crate::backend::Backend;
use crate::backend::Ops;
use crate::domain::tariff::{Tariff, bundled};
use crate::domain::time::parse_local;
use crate::domain::{BikeId, Refusal, RiderId, StationId};
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::future::BoxFuture;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

/// Why a line stops its file: the line cannot be read as a scenario line (an unknown
/// command, wrong words, an undeclared reference: the file is bad), or it was read and ran
/// and did not end as the file says (an expectation that does not hold, a refusal where
/// success was written or the other way round, a missing audit record, the system failing:
/// the run failed). `velodesk scenario` exits 2 for the first and 1 for the second.
#[derive(Debug)]
pub(super) enum Stop {
    Bad(String),
    Failed(String),
}

impl From<String> for Stop {
    fn from(message: String) -> Stop {
        Stop::Bad(message)
    }
}

impl From<&str> for Stop {
    fn from(message: &str) -> Stop {
        Stop::Bad(message.to_string())
    }
}

/// The backend's failure on a line that was read: the run failed there.
pub(super) fn system(e: BackendError) -> Stop {
    Stop::Failed(e.to_string())
}

pub(super) type Step = Result<(), Stop>;

/// Makes the backend a scenario runs on, once its `tariff` line is read.
pub(super) type Factory<'f> =
    Box<dyn FnOnce(SetUp) -> BoxFuture<'f, BResult<Arc<dyn Backend>>> + Send + 'f>;

pub(super) struct Run<'f> {
    /// In a mutex only so that a run can be shared between threads (`Sync`); it is taken
    /// once, through `&mut self`, and never locked.
    make: Mutex<Option<Factory<'f>>>,
    backend: Option<Arc<dyn Backend>>,
    tariff: Option<Tariff>,
    /// The words of the first `at` line: where the clock starts.
    first_at: Option<Vec<String>>,
    riders: BTreeSet<i64>,
    stations: BTreeSet<i64>,
    bikes: BTreeSet<i64>,
    staff: BTreeMap<String, String>,
    started: bool,
}

pub(super) fn int(w: &str, what: &str) -> Result<i64, String> {
    w.parse::<i64>()
        .map_err(|_| format!("{what} {w:?} is not a whole number"))
}

pub(super) fn want<'a>(w: &'a [String], i: usize, what: &str) -> Result<&'a str, String> {
    w.get(i)
        .map(|s| s.as_str())
        .ok_or_else(|| format!("missing {what}"))
}

pub(super) fn keyword(w: &[String], i: usize, kw: &str) -> Result<(), String> {
    match w.get(i) {
        Some(x) if x == kw => Ok(()),
        Some(x) => Err(format!("expected `{kw}`, found {x:?}")),
        None => Err(format!("expected `{kw}`")),
    }
}

pub(super) fn no_more(w: &[String], i: usize) -> Result<(), String> {
    match w.get(i) {
        None => Ok(()),
        Some(x) => Err(format!("unexpected {x:?} at the end of the line")),
    }
}

/// The word after `key` on the line (`by NAME`, `reason "…"`).
fn after<'a>(w: &'a [String], key: &str) -> Option<&'a String> {
    w.iter().position(|x| x == key).and_then(|i| w.get(i + 1))
}

fn date(w: &[String], i: usize) -> Result<NaiveDate, String> {
    let s = want(w, i, "a date YYYY-MM-DD")?;
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("{s:?} is not a date YYYY-MM-DD"))
}

impl<'f> Run<'f> {
    /// A run that will make its backend with `make`; `first_at` are the words of the file's
    /// first `at` line, if any.
    pub(super) fn new(make: Factory<'f>, first_at: Option<Vec<String>>) -> Run<'f> {
        Run {
            make: Mutex::new(Some(make)),
            backend: None,
            tariff: None,
            first_at,
            riders: BTreeSet::new(),
            stations: BTreeSet::new(),
            bikes: BTreeSet::new(),
            staff: BTreeMap::new(),
            started: false,
        }
    }

    /// Whether the `tariff` line was read and the backend made.
    pub(super) fn has_backend(&self) -> bool {
        self.backend.is_some()
    }

    pub(super) fn backend(&self) -> Result<Arc<dyn Backend>, String> {
        self.backend
            .clone()
            .ok_or_else(|| "`tariff NAME` must come first".to_string())
    }

    pub(super) fn tz(&self) -> chrono_tz::Tz {
        self.tariff
            .as_ref()
            .map(|t| t.time_zone)
            .unwrap_or(chrono_tz::Asia::Almaty)
    }

    /// A time at words `i` (`YYYY-MM-DD HH:MM[:SS]`, two words or one quoted); returns the
    /// time and the index after it.
    pub(super) fn time(&self, w: &[String], i: usize) -> Result<(DateTime<Utc>, usize), String> {
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

    pub(super) fn rider(&self, w: &str) -> Result<RiderId, String> {
        let id = int(w, "rider")?;
        if self.riders.contains(&id) {
            Ok(RiderId(id))
        } else {
            Err(format!("rider {id} is not declared"))
        }
    }
    pub(super) fn station(&self, w: &str) -> Result<StationId, String> {
        let id = int(w, "station")?;
        if self.stations.contains(&id) {
            Ok(StationId(id))
        } else {
            Err(format!("station {id} is not declared"))
        }
    }
    pub(super) fn bike(&self, w: &str) -> Result<BikeId, String> {
        let id = int(w, "bike")?;
        if self.bikes.contains(&id) {
            Ok(BikeId(id))
        } else {
            Err(format!("bike {id} is not declared"))
        }
    }
    pub(super) fn staff(&self, w: &[String], i: usize) -> Result<String, String> {
        keyword(w, i, "by")?;
        let name = want(w, i + 1, "a staff name")?;
        no_more(w, i + 2)?;
        if self.staff.contains_key(name) {
            Ok(name.to_string())
        } else {
            Err(format!("staff {name} is not declared"))
        }
    }

    pub(super) async fn line(&mut self, all: &[String]) -> Step {
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
                return Err(format!("`{cmd}` lines cannot expect an error").into());
            }
            return self.scene(cmd, w).await;
        }
        let before = self.last_audit_id(w).await?;
        let result = self.action(cmd, w).await?;
        if result.is_ok() && w.iter().any(|x| x == "by") {
            self.audited(cmd, w, before).await?;
        }
        match (result, expected) {
            (Ok(()), None) => Ok(()),
            (Ok(()), Some(k)) => Err(Stop::Failed(format!("expected error {k}, got success"))),
            (Err(BackendError::Refused { kind, .. }), Some(k)) if kind == k => Ok(()),
            (Err(BackendError::Refused { kind, message }), Some(k)) => Err(Stop::Failed(format!(
                "expected error {k}, got error {kind} ({message})"
            ))),
            (Err(BackendError::Refused { kind, message }), None) => Err(Stop::Failed(format!(
                "expected success, got error {kind} ({message})"
            ))),
            (Err(e), _) => Err(Stop::Failed(format!("the system failed: {e}"))),
        }
    }

    /// The id of the last audit record of the staff member the line names (`by NAME`), or
    /// 0 when it names none that is declared (the action then fails on its words).
    async fn last_audit_id(&self, w: &[String]) -> Result<i64, Stop> {
        let Some(by) = after(w, "by").filter(|by| self.staff.contains_key(*by)) else {
            return Ok(0);
        };
        let last = self
            .backend()?
            .as_staff(by)
            .own_audit(1)
            .await
            .map_err(system)?;
        Ok(last.first().map(|r| r.id).unwrap_or(0))
    }

    /// Every staff action leaves an audit record naming who and why, in its transaction.
    async fn audited(&self, cmd: &str, w: &[String], before: i64) -> Step {
        let by = after(w, "by").cloned().unwrap_or_default();
        let reason = after(w, "reason");
        let records = self
            .backend()?
            .as_staff(&by)
            .own_audit(5)
            .await
            .map_err(system)?;
        let found = records
            .iter()
            .any(|r| r.id > before && r.staff == by && reason.is_none_or(|why| r.reason == *why));
        if found {
            Ok(())
        } else {
            Err(Stop::Failed(format!(
                "`{cmd}` by {by} left no audit record with its reason"
            )))
        }
    }

    /// `tariff NAME`: read the tariff, then make the backend with it, its clock at the
    /// file's first `at` (the epoch when there is none).
    async fn start(&mut self, w: &[String]) -> Step {
        if self.started {
            return Err("`tariff` comes once, first".into());
        }
        let name = want(w, 1, "a tariff name")?;
        no_more(w, 2)?;
        let file = format!("assets/tariffs/{name}.toml");
        let source = match bundled(name) {
            Some(s) => s.to_string(),
            None => std::fs::read_to_string(&file)
                .map_err(|_| format!("no tariff {name:?} (assets/tariffs/{name}.toml)"))?,
        };
        let tariff = Tariff::parse(&file, &source).map_err(|e| e.to_string())?;
        self.tariff = Some(tariff);
        let start = self
            .first_at
            .as_deref()
            .and_then(|at| self.time(at, 1).ok())
            .map(|(t, _)| t)
            .unwrap_or_default();
        let make = self
            .make
            .get_mut()
            .ok()
            .and_then(Option::take)
            .ok_or_else(|| "`tariff` comes once, first".to_string())?;
        let setup = SetUp {
            tariff_file: file,
            tariff_source: source,
            start,
        };
        self.backend = Some(make(setup).await.map_err(system)?);
        self.started = true;
        Ok(())
    }

    async fn scene(&mut self, cmd: &str, w: &[String]) -> Step {
        match cmd {
            "tariff" => self.start(w).await,
            "season" => {
                let (from, to) = (date(w, 1)?, date(w, 2)?);
                no_more(w, 3)?;
                if to < from {
                    return Err("the season ends before it starts".into());
                }
                self.backend()?.set_season(from, to).await.map_err(system)
            }
            "station" => {
                let id = int(want(w, 1, "a station id")?, "station")?;
                keyword(w, 2, "docks")?;
                let n = int(want(w, 3, "a number of docks")?, "docks")?;
                no_more(w, 4)?;
                if !(0..=500).contains(&n) {
                    return Err(format!("{n} docks is not plausible").into());
                }
                let s = NewStation {
                    id: StationId(id),
                    name: format!("Station {id}"),
                    docks: n as u32,
                    active: true,
                    ..NewStation::default()
                };
                self.backend()?.add_station(s).await.map_err(system)?;
                self.stations.insert(id);
                Ok(())
            }
            "bike" => {
                let id = int(want(w, 1, "a bike id")?, "bike")?;
                keyword(w, 2, "at")?;
                let st = self.station(want(w, 3, "a station")?)?;
                no_more(w, 4)?;
                self.backend()?
                    .add_bike(BikeId(id), Some(st))
                    .await
                    .map_err(system)?;
                self.bikes.insert(id);
                Ok(())
            }
            "rider" => {
                let r = rider(w)?;
                let id = r.id.map(|r| r.0).unwrap_or_default();
                self.backend()?.add_rider(r).await.map_err(system)?;
                self.riders.insert(id);
                Ok(())
            }
            "staff" => {
                let name = want(w, 1, "a staff name")?;
                let role = want(w, 2, "a role")?;
                no_more(w, 3)?;
                let r = crate::domain::roles::Role::parse(role)
                    .ok_or_else(|| format!("{role:?}: agent, depot, supervisor or admin"))?;
                self.backend()?.add_staff(name, r).await.map_err(system)?;
                self.staff.insert(name.to_string(), role.to_string());
                Ok(())
            }
            "at" => {
                let (t, next) = self.time(w, 1)?;
                no_more(w, next)?;
                self.backend()?.advance_clock(t).await.map_err(system)?;
                Ok(())
            }
            _ => self.expect(w).await,
        }
    }
}

/// `rider ID resident|nonresident born YYYY-MM-DD pin PIN [concession KIND] [card CARD|none]`.
/// A rider has a contactless card unless the line says `card none` (R24's lost card needs
/// one); its number is the line's, or `CARD-ID`.
fn rider(w: &[String]) -> Result<NewRider, String> {
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
    let mut concession = None;
    let mut card = Some(format!("CARD-{id}"));
    let mut i = 7;
    while let Some(option) = w.get(i).map(|s| s.as_str()) {
        match option {
            "concession" if concession.is_none() => {
                let c = want(w, i + 1, "student|pensioner|disability3")?;
                if !matches!(c, "student" | "pensioner" | "disability3") {
                    return Err(format!("{c:?}: student, pensioner or disability3"));
                }
                concession = Some(c.to_string());
            }
            "card" => {
                let c = want(w, i + 1, "a card number or none")?;
                card = (c != "none").then(|| c.to_string());
            }
            x => return Err(format!("unexpected {x:?}: concession KIND or card CARD")),
        }
        i += 2;
    }
    Ok(NewRider {
        id: Some(RiderId(id)),
        surname: format!("Rider{id}"),
        born,
        resident,
        concession,
        lang: "ru".into(),
        pin,
        card,
        ..NewRider::default()
    })
}
