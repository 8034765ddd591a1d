//! `velodesk staff add|list|disable|enable` and `velodesk station key`: accounts and keys, written
//! straight to the database (a running server sees them at once). Each change is audited
//! under `cli:$USER`.

use super::CliError;
use super::server_args::{StaffAddArgs, StaffDbArgs, StaffNameArgs, StationKeyArgs};
use super::system::open_system;
use crate::domain::StationId;
use crate::domain::roles::Role;
use crate::domain::time::format_local;
use crate::engine::{Engine, Settings};
use crate::server::secret;
use crate::store::{audit, auth, fleet, people};
use color_eyre::eyre;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

fn failed(doing: &str) -> impl FnOnce(crate::engine::EngineError) -> CliError + '_ {
    move |e| CliError::Failed(eyre::Report::new(e).wrap_err(doing.to_string()))
}

/// Who ran the command, for the audit log.
fn actor() -> String {
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    format!("cli:{user}")
}

fn audited(engine: &mut Engine, action: &str, target: &str) -> Result<(), CliError> {
    let now = chrono::Utc::now();
    let local = format_local(engine.time_zone(), now);
    let who = actor();
    engine
        .store()
        .write(|c| audit::record(c, now, &local, &who, "admin", action, None, target, "", ""))
        .map_err(|e| CliError::Failed(eyre::Report::new(e).wrap_err("writing the audit record")))
}

/// The password: asked for without echo on a terminal, else the first line of stdin.
fn read_password(name: &str) -> Result<String, CliError> {
    let stdin = std::io::stdin();
    let password = if stdin.is_terminal() {
        let first = prompt(&format!("Password for {name}: "))?;
        let again = prompt("Again: ")?;
        if first != again {
            return Err(CliError::input(
                "the two passwords differ; nothing was changed",
            ));
        }
        first
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    if password.chars().count() < 8 {
        return Err(CliError::input(
            "the password must have at least 8 characters; nothing was changed",
        ));
    }
    Ok(password)
}

fn prompt(label: &str) -> Result<String, CliError> {
    use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
    use crossterm::terminal::{disable_raw_mode, enable_raw_mode};
    let mut err = std::io::stderr();
    write!(err, "{label}")?;
    err.flush()?;
    enable_raw_mode()?;
    let mut text = String::new();
    let outcome = loop {
        match read() {
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => match k.code {
                KeyCode::Enter => break Ok(()),
                KeyCode::Backspace => {
                    text.pop();
                }
                KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                    break Err(CliError::input("cancelled; nothing was changed"));
                }
                KeyCode::Char(ch) => text.push(ch),
                _ => {}
            },
            Ok(_) => {}
            Err(e) => break Err(e.into()),
        }
    };
    let _ = disable_raw_mode();
    writeln!(err)?;
    outcome.map(|_| text)
}

pub fn add(a: &StaffAddArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let Some(role) = Role::parse(&a.role) else {
        return Err(CliError::input(format!(
            "--role {:?}: expected agent, depot, supervisor or admin",
            a.role
        )));
    };
    let mut engine = open_system(&a.db, Settings::default())?;
    let password = read_password(&a.name)?;
    let hash = secret::hash_password(&password).map_err(|e| CliError::Failed(eyre::eyre!(e)))?;
    engine
        .add_staff(&a.name, role, Some(&hash))
        .map_err(|e| match e {
            crate::engine::EngineError::Refused { message, .. } => CliError::input(message),
            other => failed("adding the staff member")(other),
        })?;
    engine
        .store()
        .write(|c| auth::end_sessions_of(c, &a.name))
        .map_err(|e| CliError::Failed(eyre::Report::new(e)))?;
    audited(
        &mut engine,
        "manage-staff",
        &format!("add {} as {role}", a.name),
    )?;
    let disabled = engine
        .read(|_, c| Ok(people::staff(c, &a.name)?.is_some_and(|s| s.disabled)))
        .map_err(failed("reading the staff member back"))?;
    if disabled {
        writeln!(
            out,
            "Staff member {} ({role}) is disabled: `velodesk staff enable {}` lets them log in again.",
            a.name, a.name
        )?;
    } else {
        writeln!(out, "Staff member {} ({role}) can log in now.", a.name)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn list(a: &StaffDbArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let mut engine = open_system(&a.db, Settings::default())?;
    let staff = engine
        .read(|_, c| Ok(people::all_staff(c)?))
        .map_err(failed("listing staff"))?;
    writeln!(out, "{:<20} {:<11} LOGIN", "NAME", "ROLE")?;
    for s in staff {
        let login = match (s.disabled, s.password_hash.is_some()) {
            (true, _) => "disabled",
            (false, true) => "yes",
            (false, false) => "no password",
        };
        writeln!(out, "{:<20} {:<11} {login}", s.name, s.role.as_str())?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn disable(a: &StaffNameArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let mut engine = open_system(&a.db, Settings::default())?;
    let (found, sessions) = engine
        .store()
        .write(|c| {
            let found = people::disable_staff(c, &a.name)?;
            Ok::<_, crate::store::StoreError>((found, auth::end_sessions_of(c, &a.name)?))
        })
        .map_err(|e| CliError::Failed(eyre::Report::new(e)))?;
    if !found {
        return Err(CliError::input(format!("no staff member {:?}", a.name)));
    }
    audited(&mut engine, "manage-staff", &format!("disable {}", a.name))?;
    writeln!(
        out,
        "Staff member {} is disabled; {sessions} session(s) ended.",
        a.name
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn enable(a: &StaffNameArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let mut engine = open_system(&a.db, Settings::default())?;
    let found = engine
        .store()
        .write(|c| people::enable_staff(c, &a.name))
        .map_err(|e| CliError::Failed(eyre::Report::new(e)))?;
    if !found {
        return Err(CliError::input(format!("no staff member {:?}", a.name)));
    }
    audited(&mut engine, "manage-staff", &format!("enable {}", a.name))?;
    writeln!(out, "Staff member {} can log in again.", a.name)?;
    Ok(ExitCode::SUCCESS)
}

pub fn station_key(a: &StationKeyArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let mut engine = open_system(&a.db, Settings::default())?;
    let station = StationId(a.station);
    let exists = engine
        .read(|_, c| Ok(fleet::station(c, station)?.is_some()))
        .map_err(failed("looking up the station"))?;
    if !exists {
        return Err(CliError::input(format!("no station {station}")));
    }
    let key = secret::new_token();
    let h = secret::token_hash(&key);
    engine
        .store()
        .write(|c| auth::set_station_key(c, station, &h, chrono::Utc::now()))
        .map_err(|e| CliError::Failed(eyre::Report::new(e)))?;
    audited(&mut engine, "station-key", &format!("station {station}"))?;
    writeln!(out, "{key}")?;
    Ok(ExitCode::SUCCESS)
}
