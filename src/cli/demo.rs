//! `velodesk init --demo` and `velodesk demo`: build the demo city; run it with simulated
//! riders and print a live summary (on a terminal one line, rewritten every 2 s; in a pipe
//! only the start and the end, each on a line of its own), until `--hours` or Ctrl-C.
//! Progress bars go to stderr, and only on a terminal. `velodesk demo --server URL` runs
//! the riders on a server ([`server`]).

use super::args::InitArgs;
use super::demo_args::DemoArgs;
use super::{CliError, system};
use crate::api::BackendError;
use crate::backend::Backend;
use crate::domain::Refusal;
use crate::domain::time::format_local;
use crate::sim::city::{self, CityOptions, CitySummary};
use crate::sim::demo::{self, DemoOptions, Running};
use crate::sim::{SimError, SimStats, Speed};
use color_eyre::eyre;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

mod server;

/// A progress bar on stderr when it is a terminal; hidden otherwise.
pub struct Bar {
    bar: ProgressBar,
    stage: Mutex<String>,
}

impl Bar {
    pub fn new() -> Bar {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(0), target);
        if let Ok(style) = ProgressStyle::with_template("{msg:>28} [{bar:30}] {pos}/{len}") {
            bar.set_style(style.progress_chars("=> "));
        }
        Bar {
            bar,
            stage: Mutex::new(String::new()),
        }
    }

    pub fn update(&self, stage: &str, done: u64, total: u64) {
        let mut s = self.stage.lock().unwrap_or_else(|e| e.into_inner());
        if *s != stage {
            *s = stage.to_string();
            self.bar.set_message(stage.to_string());
            self.bar.set_length(total);
        }
        self.bar.set_position(done);
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

pub fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(eyre::Report::new(e).wrap_err("starting the runtime")))
}

/// A setup problem is the user's (exit 2); anything else failed (exit 1).
pub fn sim_error(doing: &str) -> impl FnOnce(SimError) -> CliError + '_ {
    move |e| match e {
        SimError::Setup(m) => CliError::input(m),
        other => CliError::Failed(eyre::Report::new(other).wrap_err(doing.to_string())),
    }
}

pub fn init(a: &InitArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let city = a.demo.demo.clone().unwrap_or_default();
    let mut opts = CityOptions::almaty(a.demo.seed);
    opts.city = city.clone();
    opts.riders = a.demo.riders;
    opts.fill = a.demo.fill;
    opts.history_days = a.demo.history_days;
    if a.db.exists() {
        return Err(CliError::input(format!(
            "--db {}: the file exists already; the demo city is built in a new file",
            a.db.display()
        )));
    }
    let bar = Bar::new();
    let rt = runtime()?;
    let progress = |s: &str, d: u64, t: u64| bar.update(s, d, t);
    let built = rt.block_on(city::build(&a.db, &opts, &progress));
    bar.finish();
    let built = match built {
        Ok(b) => b,
        Err(e) => {
            system::remove_database(&a.db);
            return Err(sim_error("building the demo city")(match e {
                SimError::Setup(m) => SimError::Setup(format!("--demo {city}: {m}")),
                other => other,
            }));
        }
    };
    drop(rt);
    write_built(out, &built, &a.db.display().to_string())?;
    writeln!(
        out,
        "Next: `velodesk demo --db {}` runs its day; `velodesk check --db {}` verifies it.",
        a.db.display(),
        a.db.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn write_built(out: &mut dyn Write, b: &CitySummary, db: &str) -> std::io::Result<()> {
    let tz = chrono_tz::Asia::Almaty;
    writeln!(out, "Built the Almaty Bike demo city in {db}.")?;
    writeln!(
        out,
        "  stations: {} ({} active), {} docks; bikes: {} docked of a fleet of {}",
        b.stations, b.active, b.docks, b.docked, b.fleet
    )?;
    writeln!(
        out,
        "  riders: {}; history: {} trips, {} payments, {} lock errors, {} cable locks",
        b.riders,
        b.history.trips_ended,
        b.history.payments,
        b.history.lock_errors,
        b.history.cable_locks
    )?;
    writeln!(out, "  the day starts {} ({tz})", format_local(tz, b.start))?;
    Ok(())
}

fn line(s: &SimStats, tz: chrono_tz::Tz) -> String {
    let at = s.now.map(|t| format_local(tz, t)).unwrap_or_default();
    format!(
        "{at}  riding {:>3}  trips {:>5}  no bike {:>4}  full {:>3}  cable calls {:>3} (console {:>2}, locked {:>3})  lock errors {:>3}  faulty {:>3}  >24h {:>2}  refused: money {:>3}, pass {:>3}, restricted {:>3}",
        s.riding,
        s.trips_ended,
        s.no_bike,
        s.station_full,
        s.cable_calls,
        s.calls_for_console,
        s.cable_locks,
        s.lock_errors,
        s.faulty,
        s.kept_over_24h,
        s.low_money,
        s.no_pass,
        s.restricted
    )
}

pub fn run(a: &DemoArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    if let Some(url) = &a.server {
        return server::run(url, a, out);
    }
    let opts = DemoOptions {
        db: a.db.clone(),
        seed: a.seed,
        speed: a.speed.unwrap_or(Speed::Times(60.0)),
        hours: a.hours,
        riders: a.riders,
        fill: a.fill,
    };
    if let Some(staff) = &a.staff {
        // Whoever is named must be in the city, also for the plain summary (where the
        // name is not used): a typo is told at once, with who is there.
        let place = a.db.clone().unwrap_or_else(|| "the demo city".into());
        super::console::known_staff(staff, &super::console::demo_staff(a.db.as_deref())?, &place)?;
    }
    if use_console(a) {
        let console = super::args::ConsoleArgs {
            staff: a.staff.clone(),
            lang: a.lang.clone(),
            ..Default::default()
        };
        return super::console::demo(&opts, &console);
    }
    let rt = runtime()?;
    let bar = Bar::new();
    let progress = |s: &str, d: u64, t: u64| bar.update(s, d, t);
    let started = rt.block_on(demo::start(&opts, &progress));
    bar.finish();
    let d = started.map_err(sim_error("starting the demo"))?;
    if let Some(b) = &d.built {
        write_built(out, b, &d.db.display().to_string())?;
    }
    let info = d.backend.info();
    writeln!(
        out,
        "Demo running on {} (simulated clock, speed {}); Ctrl-C stops it.",
        info.location,
        speed_text(opts.speed)
    )?;
    out.flush()?;
    let wall = std::time::Instant::now();
    let stats =
        follow(&rt, d.run, zone(&*d.backend), out)?.map_err(sim_error("running the simulation"))?;
    finish(&rt, &*d.backend, &stats, wall, out)
}

/// The console when both ends are a terminal and `--plain` was not asked for.
fn use_console(a: &DemoArgs) -> bool {
    std::io::stdout().is_terminal() && std::io::stdin().is_terminal() && !a.plain
}

/// Follow a run until it ends (`--hours`) or Ctrl-C stops it: on a terminal one summary
/// line, rewritten in place every 2 s (a carriage return, the line cut to the terminal's
/// width so that it never wraps, the rest of the row cleared). When the run failed, its
/// last figures are printed before the error returns; the last figures always end in a
/// new line of their own.
fn follow(
    rt: &tokio::runtime::Runtime,
    mut run: Running,
    tz: chrono_tz::Tz,
    out: &mut dyn Write,
) -> Result<Result<SimStats, SimError>, CliError> {
    let terminal = std::io::stdout().is_terminal();
    let mut live = false;
    let result = rt.block_on(async {
        let mut ticker = tokio::time::interval(Duration::from_secs(2));
        ticker.tick().await;
        loop {
            tokio::select! {
                done = &mut run.task => return done,
                _ = tokio::signal::ctrl_c() => { let _ = run.stop.send(true); }
                _ = ticker.tick(), if terminal => {
                    let s = run.stats.borrow().clone();
                    let width = crossterm::terminal::size().map(|(w, _)| w).unwrap_or(80);
                    let _ = write!(out, "{}", rewrite(&line(&s, tz), width));
                    let _ = out.flush();
                    live = true;
                }
            }
        }
    });
    if live {
        // The live line gives way to the last figures.
        write!(out, "\r\x1b[K")?;
    }
    let result = result
        .map_err(|e| CliError::Failed(eyre::Report::new(e).wrap_err("the simulator task")))?;
    match &result {
        Ok(stats) => writeln!(out, "{}", line(stats, tz))?,
        Err(_) => writeln!(out, "{}", line(&run.stats.borrow(), tz))?,
    }
    Ok(result)
}

/// A live line that replaces the one before it on a terminal `width` columns wide: back to
/// the start of the row, the line cut short of the last column (a line that wrapped would
/// leave its first rows behind), the rest of the row cleared.
fn rewrite(line: &str, width: u16) -> String {
    let room = usize::from(width.max(2)) - 1;
    let cut: String = line.chars().take(room).collect();
    format!("\r{cut}\x1b[K")
}

/// The system's time zone, for the summary's times.
fn zone(backend: &dyn Backend) -> chrono_tz::Tz {
    backend
        .info()
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Asia::Almaty)
}

/// The closing line: the run's size and the ledger and fleet checks (the fleet check where
/// the backend offers it); a failed check fails the command.
fn finish(
    rt: &tokio::runtime::Runtime,
    backend: &dyn Backend,
    stats: &SimStats,
    wall: std::time::Instant,
    out: &mut dyn Write,
) -> Result<ExitCode, CliError> {
    let ledger = rt
        .block_on(backend.verify())
        .map_err(|e| CliError::Failed(eyre::Report::new(e).wrap_err("verifying the ledger")))?;
    let fleet = match rt.block_on(backend.verify_fleet()) {
        Ok(f) => Some(f),
        Err(BackendError::Refused {
            kind: Refusal::Invalid,
            ..
        }) => None,
        Err(e) => {
            return Err(CliError::Failed(
                eyre::Report::new(e).wrap_err("checking the fleet"),
            ));
        }
    };
    let checks = match &fleet {
        Some(f) => format!(
            "{} ledger mismatches, {} fleet problems",
            ledger.len(),
            f.len()
        ),
        None => format!(
            "{} ledger mismatches (this backend offers no fleet check: `velodesk check --db PATH` beside the database)",
            ledger.len()
        ),
    };
    writeln!(
        out,
        "Stopped after {:.1} s: {} events, {} backend calls; check: {checks}.",
        wall.elapsed().as_secs_f64(),
        stats.events,
        stats.backend_calls,
    )?;
    let fleet = fleet.unwrap_or_default();
    for p in &fleet {
        writeln!(out, "FLEET {p}")?;
    }
    Ok(if ledger.is_empty() && fleet.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn speed_text(speed: Speed) -> String {
    match speed {
        Speed::Max => "max".into(),
        Speed::RealTime => "1×".into(),
        Speed::Times(x) => format!("{x}×"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_live_line_goes_back_to_the_start_of_its_row_and_never_wraps() {
        let long = "x".repeat(200);
        let l = super::rewrite(&long, 120);
        assert!(l.starts_with('\r') && l.ends_with("\x1b[K"), "{l:?}");
        assert!(!l.contains('\n'));
        assert_eq!(l.chars().filter(|c| *c == 'x').count(), 119);
        assert_eq!(super::rewrite("short", 120), "\rshort\x1b[K");
    }
}
