//! `velodesk demo --server URL`: the simulated riders on a running server. Logs in (the
//! password from `VELODESK_PASSWORD` or asked for, as the console does) as an admin, since
//! the riders use the stations' docks and only an admin can give them keys: every station
//! gets a new key (the docks' old keys stop working — a demo or test server's business).
//! Then the simulator runs over HTTP at real time: riders unlock, pull, dock and cable-lock
//! through the station endpoints; the desk and the depot act as the logged-in staff member.
//! The front end is the local demo's: the console beside it, or the plain summary.
//!
//! A lost connection stops the riders (the `RemoteBackend` has already retried each change
//! with its idempotency key) with a message saying so, after their last figures.

use super::super::CliError;
use super::super::console::{beside, log_in, options};
use super::{DemoArgs, finish, follow, runtime, sim_error, speed_text, use_console};
use crate::api::BackendError;
use crate::backend::Backend;
use crate::domain::Refusal;
use crate::domain::roles::Role;
use crate::sim::demo::attach;
use crate::sim::{SimConfig, SimError, Speed};
use color_eyre::eyre;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

/// The demo city's admin account, who logs in when `--staff` is not given.
const ADMIN: &str = "admin";

pub fn run(url: &str, a: &DemoArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    match a.speed {
        None | Some(Speed::RealTime) => {}
        Some(other) => {
            return Err(CliError::input(format!(
                "--speed {}: a server runs on its real clock, so the demo there runs at real time; leave --speed out (or give 1)",
                speed_text(other)
            )));
        }
    }
    let staff = a.staff.clone().unwrap_or_else(|| ADMIN.to_string());
    let console = if use_console(a) {
        let args = super::super::args::ConsoleArgs {
            staff: Some(staff.clone()),
            lang: a.lang.clone(),
            ..Default::default()
        };
        Some(options(&args, None, None)?)
    } else {
        None
    };
    let rt = runtime()?;
    let remote = log_in(url, &staff, &rt)?;
    let role = rt
        .block_on(remote.staff_role(&staff))
        .map_err(refused(url, "reading your role"))?;
    if role != Role::Admin {
        return Err(CliError::input(format!(
            "--staff {staff} is {role} at {url}: the demo on a server plays every station's docks, and only an admin can give them keys; log in as an admin (on the server's machine: `velodesk staff add NAME --role admin --db PATH`)"
        )));
    }
    let keys = rt
        .block_on(remote.provision_station_keys())
        .map_err(refused(url, "giving the stations keys"))?;
    let backend: Arc<dyn Backend> = Arc::new(remote);
    let cfg = SimConfig::new(a.seed, Speed::RealTime);
    let run = rt
        .block_on(attach(backend.clone(), cfg, a.hours))
        .map_err(lost(url))?;
    if let Some(console) = console {
        return beside(backend, run, console, &rt);
    }
    writeln!(
        out,
        "Demo riders on {} at real time, as {staff}: {keys} stations got new keys (their docks' old keys stop working); Ctrl-C stops them.",
        backend.info().location
    )?;
    out.flush()?;
    let wall = std::time::Instant::now();
    let stats = follow(&rt, run, super::zone(&*backend), out)?.map_err(lost(url))?;
    finish(&rt, &*backend, &stats, wall, out)
}

/// A call the server refused before the riders start: the user's to fix (a role, a
/// session), or the server unreachable.
fn refused<'a>(url: &'a str, doing: &'a str) -> impl FnOnce(BackendError) -> CliError + 'a {
    move |e| match e {
        BackendError::Refused { .. } => CliError::input(format!("--server {url}: {doing}: {e}")),
        other => CliError::Failed(eyre::Report::new(other).wrap_err(format!("{doing} at {url}"))),
    }
}

/// Why the riders stopped, in words that say what happened to the server.
fn lost(url: &str) -> impl FnOnce(SimError) -> CliError + '_ {
    move |e| match e {
        SimError::Backend {
            doing,
            source: BackendError::Unavailable { message },
        } => CliError::Failed(eyre::eyre!(
            "lost the server {url} while {doing}: {message}; the riders stopped"
        )),
        SimError::Backend {
            doing,
            source:
                BackendError::Refused {
                    kind: Refusal::Forbidden,
                    message,
                },
        } => CliError::Failed(eyre::eyre!(
            "the server {url} refused {doing}: {message} (the session ended, or the account was disabled or lost its role); the riders stopped"
        )),
        other => sim_error("running the riders")(other),
    }
}
