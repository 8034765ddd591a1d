//! `velodesk` (no command) and `velodesk console`: the full-screen console on a system's
//! database, as a staff member. With nothing configured it opens a fresh demo city and says
//! so.

use super::CliError;
use super::args::ConsoleArgs;
use super::config::{Config, Language};
use crate::backend::{Backend, LocalBackend};
use crate::clock::{Clock, SimClock, SystemClock};
use crate::domain::roles::Role;
use crate::sim::Speed;
use crate::sim::city::Fill;
use crate::sim::demo::DemoOptions;
use crate::tui::app::Options;
use crate::tui::text::Lang;
use crate::tui::theme::Theme;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// The configuration file read when no `--config` is given, if it exists.
pub const DEFAULT_CONFIG: &str = "velodesk.toml";

/// Language: `--lang`, else the configuration, else `LANG`.
pub fn language(flag: Option<&str>, config: Option<&Config>) -> Result<Lang, CliError> {
    if let Some(l) = flag {
        return Lang::parse(l)
            .ok_or_else(|| CliError::input(format!("--lang {l}: use en, ru or kk")));
    }
    if let Some(c) = config {
        return Ok(match c.language {
            Language::En => Lang::En,
            Language::Ru => Lang::Ru,
            Language::Kk => Lang::Kk,
        });
    }
    Ok(Lang::from_locale(std::env::var("LANG").ok().as_deref()))
}

pub fn load_config(path: Option<&Path>) -> Result<Option<Config>, CliError> {
    let (path, given) = match path {
        Some(p) => (p.to_path_buf(), true),
        None => (PathBuf::from(DEFAULT_CONFIG), false),
    };
    if !given && !path.exists() {
        return Ok(None);
    }
    Config::load(&path)
        .map(Some)
        .map_err(|e| CliError::input(e.to_string()))
}

/// Console options from the flags and the configuration.
pub fn options(
    a: &ConsoleArgs,
    config: Option<&Config>,
    default_staff: Option<&str>,
) -> Result<Options, CliError> {
    let staff = a
        .staff
        .clone()
        .or_else(|| config.and_then(|c| c.staff.clone()))
        .or_else(|| default_staff.map(str::to_string))
        .ok_or_else(|| {
            CliError::input("--staff NAME: which staff member is at this console? (or `staff` in the configuration)")
        })?;
    Ok(Options {
        staff,
        lang: language(a.lang.as_deref(), config)?,
        read_only: a.read_only,
        theme: Theme::from_env(a.light),
        note: None,
        shift: chrono::Duration::hours(i64::from(config.map(|c| c.shift_hours).unwrap_or(8))),
    })
}

/// Run the console on `backend` until the user quits.
pub fn run_on(
    backend: Arc<dyn Backend>,
    opts: Options,
    rt: &tokio::runtime::Runtime,
) -> Result<ExitCode, CliError> {
    rt.block_on(crate::tui::run(backend, opts))?;
    Ok(ExitCode::SUCCESS)
}

pub use super::demo::runtime;

/// The console draws on a terminal; in a pipe it says so (and points at the commands).
pub fn needs_terminal() -> Result<(), CliError> {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        Ok(())
    } else {
        Err(CliError::input(
            "the console needs a terminal (stdin and stdout); `velodesk --help` lists the commands",
        ))
    }
}

/// The console on a database file (from `--db` or the configuration).
pub fn run(a: &ConsoleArgs) -> Result<ExitCode, CliError> {
    let config = load_config(a.config.as_deref())?;
    if let Some(url) = &a.server {
        return remote(url, a, config.as_ref());
    }
    let db =
        a.db.clone()
            .or_else(|| config.as_ref().map(|c| c.database.clone()));
    let Some(db) = db else {
        // Nothing configured: a fresh demo city, and the console says so.
        let opts = DemoOptions {
            db: None,
            seed: 1,
            speed: Speed::Times(60.0),
            hours: None,
            riders: 3000,
            fill: Fill::Percent(50),
        };
        return demo(&opts, a);
    };
    let settings = config.as_ref().map(|c| c.settings()).unwrap_or_default();
    let opts = options(a, config.as_ref(), None)?;
    let mut engine = super::system::open_system(&db, settings)?;
    let (staff, simulated) = engine
        .read(|_, c| {
            let staff = crate::store::people::all_staff(c)?;
            Ok((staff, crate::store::simulated_now(c)?))
        })
        .map_err(|e| {
            CliError::Failed(
                color_eyre::eyre::Report::new(e)
                    .wrap_err(format!("reading the staff of {}", db.display())),
            )
        })?;
    let staff: Vec<(String, Role, bool)> = staff
        .into_iter()
        .map(|s| (s.name, s.role, s.disabled))
        .collect();
    known_staff(&opts.staff, &staff, &db)?;
    needs_terminal()?;
    // A demo city's database keeps its simulated time: the system clock would post every
    // midnight from its day to today.
    let clock: Arc<dyn Clock> = match simulated {
        Some(at) => Arc::new(SimClock::new(at)),
        None => Arc::new(SystemClock),
    };
    let rt = runtime()?;
    let _guard = rt.enter();
    let backend = LocalBackend::start(engine, clock, &format!("local file {}", db.display()));
    run_on(Arc::new(backend), opts, &rt)
}

/// `--staff NAME` must name an active staff member of the system at `db` (`staff` are
/// its members: name, role, disabled); otherwise an error that lists who may sit there.
pub fn known_staff(name: &str, staff: &[(String, Role, bool)], db: &Path) -> Result<(), CliError> {
    let shown = db.display();
    let active: Vec<String> = staff
        .iter()
        .filter(|(_, _, disabled)| !disabled)
        .map(|(n, r, _)| format!("{n} ({})", r.as_str()))
        .collect();
    let found = staff.iter().find(|(n, _, _)| n == name);
    if found.is_some_and(|(_, _, disabled)| !disabled) {
        return Ok(());
    }
    let why = if found.is_some() {
        format!("--staff {name}: that account is disabled in {shown}")
    } else {
        format!("--staff {name}: no such staff member in {shown}")
    };
    Err(CliError::input(if active.is_empty() {
        format!(
            "{why}, which has no active staff: add one with `velodesk staff add NAME --role agent --db {shown}`"
        )
    } else {
        format!("{why}; its staff: {}", active.join(", "))
    }))
}

/// The staff of the demo city that `db` holds or will hold: its own when the file exists,
/// else the demo's accounts.
pub fn demo_staff(db: Option<&Path>) -> Result<Vec<(String, Role, bool)>, CliError> {
    if let Some(db) = db.filter(|p| p.exists()) {
        let mut engine = super::system::open_system_read_only(db)?;
        let staff = engine
            .read(|_, c| Ok(crate::store::people::all_staff(c)?))
            .map_err(|e| {
                CliError::Failed(
                    color_eyre::eyre::Report::new(e)
                        .wrap_err(format!("reading the staff of {}", db.display())),
                )
            })?;
        return Ok(staff
            .into_iter()
            .map(|s| (s.name, s.role, s.disabled))
            .collect());
    }
    Ok(crate::sim::city::DEMO_STAFF
        .iter()
        .map(|(n, r)| (n.to_string(), *r, false))
        .collect())
}

/// The console on a running demo: the console opens at once on a progress screen while
/// the city is built (or opened) and the simulator started, then shows the city; when the
/// console closes, stop the riders and wait for them. Quitting while the city is built
/// stops the build (a temporary database is removed).
pub fn demo(opts: &DemoOptions, a: &ConsoleArgs) -> Result<ExitCode, CliError> {
    let desk = crate::sim::city::DEMO_STAFF
        .iter()
        .find(|(_, role)| *role == Role::Agent)
        .map(|(name, _)| *name);
    let mut console = options(a, None, desk)?;
    let place = opts
        .db
        .clone()
        .unwrap_or_else(|| PathBuf::from("the demo city"));
    known_staff(&console.staff, &demo_staff(opts.db.as_deref())?, &place)?;
    needs_terminal()?;
    let building = opts.db.as_deref().is_none_or(|p| !p.exists());
    // A database that exists is continued, not fresh: the status line says which.
    console.note = Some(match &opts.db {
        None => crate::tui::text::T::DemoNote.get(console.lang).to_string(),
        Some(p) if !building => crate::tui::text::fill(
            crate::tui::text::T::DemoContinued.get(console.lang),
            &[&p.display()],
        ),
        Some(p) => format!(
            "{} — {}",
            crate::tui::text::T::DemoNote.get(console.lang),
            p.display()
        ),
    });
    let rt = runtime()?;
    let lang = console.lang;
    let first = super::demo_progress::text(lang, building, opts.riders, None);
    let (tx, progress) = tokio::sync::watch::channel(first);
    let riders = opts.riders;
    let task = {
        let opts = opts.clone();
        AbortOnDrop(rt.spawn(async move {
            let report = move |stage: &str, done: u64, total: u64| {
                let at = Some((stage, done, total));
                let text = super::demo_progress::text(lang, true, riders, at);
                // The console redraws on a change: only when the words change (a percent).
                tx.send_if_modified(|shown| {
                    let changed = *shown != text;
                    if changed {
                        *shown = text;
                    }
                    changed
                });
            };
            crate::sim::demo::start(&opts, &report).await
        }))
    };
    let ready = async move {
        let mut task = task;
        match (&mut task.0).await {
            Ok(Ok(d)) => Ok((d.backend.clone(), d)),
            Ok(Err(e)) => Err(super::demo::sim_error("starting the demo")(e)),
            Err(e) => Err(CliError::Failed(
                color_eyre::eyre::Report::new(e).wrap_err("starting the demo"),
            )),
        }
    };
    match rt.block_on(crate::tui::run_when_ready(ready, progress, console))? {
        crate::tui::Prepared::Quit => Ok(ExitCode::SUCCESS),
        crate::tui::Prepared::Failed(e) => Err(e),
        crate::tui::Prepared::Ran { value, console } => {
            stop_riders(value.run, &rt);
            console?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A task that is stopped when its handle is dropped (the console closed before the
/// demo city was ready).
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Stop the simulated riders and wait for them; an error that stopped them is told now
/// that the terminal is restored.
fn stop_riders(run: crate::sim::demo::Running, rt: &tokio::runtime::Runtime) {
    let _ = run.stop.send(true);
    if let Ok(Err(e)) = rt.block_on(run.task) {
        eprintln!("The simulated riders stopped: {e}");
    }
}

/// The console on a backend the simulator is driving; when it closes, stop the riders and
/// wait for them (an error that stopped them is told once the terminal is restored).
pub fn beside(
    backend: Arc<dyn Backend>,
    run: crate::sim::demo::Running,
    console: Options,
    rt: &tokio::runtime::Runtime,
) -> Result<ExitCode, CliError> {
    let result = rt.block_on(crate::tui::run(backend, console));
    stop_riders(run, rt);
    result?;
    Ok(ExitCode::SUCCESS)
}

/// The console on a server: log in as the staff member, then the same console over HTTP.
fn remote(url: &str, a: &ConsoleArgs, config: Option<&Config>) -> Result<ExitCode, CliError> {
    needs_terminal()?;
    let opts = options(a, config, None)?;
    let rt = runtime()?;
    let backend = log_in(url, &opts.staff, &rt)?;
    run_on(Arc::new(backend), opts, &rt)
}

/// Log in to the server at `url` as `staff`: the password from `VELODESK_PASSWORD`, else
/// asked for without echo. A refusal (a wrong password, an unknown name) is the user's.
pub fn log_in(
    url: &str,
    staff: &str,
    rt: &tokio::runtime::Runtime,
) -> Result<crate::backend::RemoteBackend, CliError> {
    let password = match std::env::var("VELODESK_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => ask_password(&format!("Password for {staff} at {url}: "))?,
    };
    rt.block_on(crate::backend::RemoteBackend::connect(
        url, staff, &password,
    ))
    .map_err(|e| CliError::input(format!("--server {url}: {e}")))
}

/// Read a password from the terminal without echoing it.
fn ask_password(prompt: &str) -> Result<String, CliError> {
    use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
    use std::io::Write;
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    crossterm::terminal::enable_raw_mode().map_err(|e| {
        eprintln!();
        CliError::input(format!(
            "no terminal to ask for the password on ({e}): set VELODESK_PASSWORD"
        ))
    })?;
    let mut password = String::new();
    let outcome = loop {
        match read() {
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => match k.code {
                KeyCode::Enter => break Ok(()),
                KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                    break Err(CliError::input("cancelled"));
                }
                KeyCode::Esc => break Err(CliError::input("cancelled")),
                KeyCode::Backspace => {
                    password.pop();
                }
                KeyCode::Char(c) => password.push(c),
                _ => {}
            },
            Ok(_) => {}
            Err(e) => break Err(e.into()),
        }
    };
    let _ = crossterm::terminal::disable_raw_mode();
    eprintln!();
    outcome.map(|()| password)
}
