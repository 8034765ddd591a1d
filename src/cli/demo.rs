//! `velodesk init --demo` and `velodesk demo`: build the demo city; run it with simulated
//! riders and print a live summary (a line every few seconds on a terminal; in a pipe only
//! the start and the end), until `--hours` or Ctrl-C. Progress bars go to stderr, and only
//! on a terminal.

use super::args::InitArgs;
use super::demo_args::DemoArgs;
use super::{CliError, system};
use crate::domain::time::format_local;
use crate::sim::city::{self, CityOptions, CitySummary};
use crate::sim::demo::{self, DemoOptions};
use crate::sim::{SimError, SimStats};
use color_eyre::eyre;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

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

fn line(s: &SimStats) -> String {
    let tz = chrono_tz::Asia::Almaty;
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
    let opts = DemoOptions {
        db: a.db.clone(),
        seed: a.seed,
        speed: a.speed,
        hours: a.hours,
        riders: a.riders,
        fill: a.fill,
    };
    let terminal = std::io::stdout().is_terminal();
    if terminal && std::io::stdin().is_terminal() && !a.plain {
        let console = super::args::ConsoleArgs {
            staff: Some(a.staff.clone()),
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
    let mut d = started.map_err(sim_error("starting the demo"))?;
    if let Some(b) = &d.built {
        write_built(out, b, &d.db.display().to_string())?;
    }
    let info = d.backend.info();
    writeln!(
        out,
        "Demo running on {} (simulated clock, speed {}); Ctrl-C stops it.",
        info.location,
        a.speed_text()
    )?;
    out.flush()?;
    let wall = std::time::Instant::now();
    let result = rt.block_on(async {
        let mut ticker = tokio::time::interval(Duration::from_secs(2));
        ticker.tick().await;
        loop {
            tokio::select! {
                done = &mut d.task => return done,
                _ = tokio::signal::ctrl_c() => { let _ = d.stop.send(true); }
                _ = ticker.tick(), if terminal => {
                    let s = d.stats.borrow().clone();
                    let _ = writeln!(out, "{}", line(&s));
                    let _ = out.flush();
                }
            }
        }
    });
    let stats = result
        .map_err(|e| CliError::Failed(eyre::Report::new(e).wrap_err("the simulator task")))?
        .map_err(sim_error("running the simulation"))?;
    writeln!(out, "{}", line(&stats))?;
    let ledger = rt
        .block_on(d.backend.verify())
        .map_err(|e| CliError::Failed(eyre::Report::new(e).wrap_err("verifying the ledger")))?;
    let fleet = rt
        .block_on(d.backend.verify_fleet())
        .map_err(|e| CliError::Failed(eyre::Report::new(e).wrap_err("checking the fleet")))?;
    writeln!(
        out,
        "Stopped after {:.1} s: {} events, {} backend calls; check: {} ledger mismatches, {} fleet problems.",
        wall.elapsed().as_secs_f64(),
        stats.events,
        stats.backend_calls,
        ledger.len(),
        fleet.len()
    )?;
    for p in &fleet {
        writeln!(out, "FLEET {p}")?;
    }
    Ok(if ledger.is_empty() && fleet.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

impl DemoArgs {
    fn speed_text(&self) -> String {
        match self.speed {
            crate::sim::Speed::Max => "max".into(),
            crate::sim::Speed::RealTime => "1×".into(),
            crate::sim::Speed::Times(x) => format!("{x}×"),
        }
    }
}
