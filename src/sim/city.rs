//! `velodesk init --demo almaty`: the demo city, built through the engine on a simulated
//! clock from a seed. Stations and docks from the data, bikes to the snapshot or a fill,
//! riders with their money and trouble, then days of history ridden by the [`Simulator`],
//! then the depot's morning placement so the day starts with the chosen counts.

use super::names;
use super::rng::SimRng;
use super::stations::{self, CityStation};
use super::{SimConfig, SimError, SimStats, Simulator, Speed};
use crate::api::BikeState;
use crate::backend::Ops;
use crate::backend::{Backend, LocalBackend};
use crate::clock::SimClock;
use crate::domain::roles::Role;
use crate::domain::time::{local_date, local_to_utc};
use crate::domain::{BikeId, RiderId, Tenge};
use crate::engine::{Engine, Settings};
use crate::store::Store;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::path::Path;
use std::sync::Arc;
use tokio::sync::watch;

/// The demo staff accounts (no passwords: the server adds them).
pub const DEMO_STAFF: &[(&str, Role)] = &[
    ("aigerim", Role::Agent),
    ("nurlan", Role::Depot),
    ("saule", Role::Supervisor),
    ("admin", Role::Admin),
    (SIM_DESK, Role::Agent),
    (SIM_DEPOT, Role::Depot),
    (SIM_SUPERVISOR, Role::Supervisor),
];

/// The simulated staff's own accounts (#15.4): the simulator never acts under a person's
/// name, so the audit tells the console's work from the simulation's.
pub const SIM_DESK: &str = "sim-desk";
pub const SIM_DEPOT: &str = "sim-depot";
pub const SIM_SUPERVISOR: &str = "sim-supervisor";

const DEPOT: &str = SIM_DEPOT;
/// Bike inventory numbers start here.
const FIRST_BIKE: i64 = 10_001;

/// How many bikes stand in the docks when the day starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// The snapshot's real counts (197 bikes in Almaty's).
    Snapshot,
    /// This percentage of each active station's working docks.
    Percent(u8),
}

impl Fill {
    /// `snapshot`, or a percentage `0`–`100` (with or without `%`).
    pub fn parse(text: &str) -> Result<Fill, String> {
        if text.eq_ignore_ascii_case("snapshot") {
            return Ok(Fill::Snapshot);
        }
        match text.trim_end_matches('%').parse::<u8>() {
            Ok(p) if p <= 100 => Ok(Fill::Percent(p)),
            _ => Err(format!(
                "{text:?}: expected `snapshot` or a percentage 0-100"
            )),
        }
    }
}

/// What to build.
#[derive(Debug, Clone)]
pub struct CityOptions {
    pub city: String,
    pub seed: u64,
    pub riders: u32,
    pub fill: Fill,
    /// When the demo day starts (the history ends here).
    pub start: DateTime<Utc>,
    /// Days of history ridden before the start.
    pub history_days: u32,
}

impl CityOptions {
    /// Almaty with 3,000 riders, the snapshot's bikes, two days of history.
    pub fn almaty(seed: u64) -> CityOptions {
        CityOptions {
            city: "almaty".into(),
            seed,
            riders: 3000,
            fill: Fill::Snapshot,
            start: default_start(),
            history_days: 2,
        }
    }
}

/// Monday 2 June 2025, 06:00 in Almaty: a working day in the riding season.
pub fn default_start() -> DateTime<Utc> {
    let day = NaiveDate::from_ymd_opt(2025, 6, 2).unwrap_or_default();
    local_to_utc(
        chrono_tz::Asia::Almaty,
        day.and_hms_opt(6, 0, 0).unwrap_or_default(),
    )
}

/// What was built.
#[derive(Debug, Clone)]
pub struct CitySummary {
    pub stations: usize,
    pub active: usize,
    pub docks: u32,
    /// Bikes in docks when the day starts; the whole fleet.
    pub docked: u32,
    pub fleet: u32,
    pub riders: u32,
    pub start: DateTime<Utc>,
    /// What the history's days did.
    pub history: SimStats,
}

/// Progress of a long build: `(stage, done, total)`.
pub type Progress<'a> = &'a (dyn Fn(&str, u64, u64) + Sync);

/// Build the demo city in a new database file at `path` (refused if the file exists).
pub async fn build(
    path: &Path,
    opts: &CityOptions,
    progress: Progress<'_>,
) -> Result<CitySummary, SimError> {
    let data = stations::load(&opts.city).map_err(SimError::Setup)?;
    if path.exists() {
        return Err(SimError::Setup(format!(
            "{}: the file exists already; the demo city is built in a new file",
            path.display()
        )));
    }
    // A synthetic city rides on Almaty's tariff.
    let tariff_city = if opts.city.starts_with("synthetic:") {
        "almaty"
    } else {
        opts.city.as_str()
    };
    let tariff = crate::domain::tariff::bundled(tariff_city)
        .ok_or_else(|| SimError::Setup(format!("no bundled tariff for {}", opts.city)))?;
    let history_start = opts.start - Duration::days(i64::from(opts.history_days));
    let mut store = Store::open(path)?;
    // A build that fails is thrown away: durability is not needed while it runs.
    store.set_bulk_mode(true)?;
    let mut engine = Engine::init(
        store,
        &format!("assets/tariffs/{tariff_city}.toml"),
        tariff,
        Settings::default(),
    )?;
    // The demo city lives on a simulated clock: `velodesk settle` and the console read its
    // time from its last event, never the system clock (which would post every midnight
    // from the demo's day to today).
    engine
        .store()
        .write(|c| crate::store::set_meta(c, crate::store::SIMULATED_CLOCK, "demo"))?;
    engine.advance_to(history_start)?;
    let clock = Arc::new(SimClock::new(history_start));
    let b: Arc<dyn Backend> = Arc::new(LocalBackend::start(
        engine,
        clock,
        &format!("local file {}", path.display()),
    ));
    let mut rng = SimRng::new(opts.seed).fork("city");

    let call = |doing: &'static str| SimError::backend(doing);
    for (name, role) in DEMO_STAFF {
        b.add_staff(name, *role)
            .await
            .map_err(call("adding the demo staff"))?;
    }
    let targets: Vec<u32> = data.iter().map(|s| target(s, opts.fill)).collect();
    for s in &data {
        b.add_station(s.station.clone())
            .await
            .map_err(call("adding a station"))?;
    }
    let placed: u32 = targets.iter().sum();
    // Spares cover the bikes the history leaves in repair or out on a ride.
    let spares = placed * 15 / 100 + 10;
    let mut next_bike = FIRST_BIKE;
    for (s, &n) in data.iter().zip(&targets) {
        for _ in 0..n {
            b.add_bike(BikeId(next_bike), Some(s.station.id))
                .await
                .map_err(call("placing a bike"))?;
            next_bike += 1;
        }
    }
    let mut spare_bikes = Vec::new();
    for _ in 0..spares {
        b.add_bike(BikeId(next_bike), None)
            .await
            .map_err(call("adding a spare bike"))?;
        spare_bikes.push(BikeId(next_bike));
        next_bike += 1;
    }
    for s in &data {
        for _ in 0..s.out_of_service.min(s.station.docks) {
            if s.station.active {
                super::staff(&*b, DEPOT)
                    .dock_out_of_service(s.station.id, None)
                    .await
                    .map_err(call("putting a dock out of service"))?;
            }
        }
    }

    let desk = b
        .desk_info()
        .await
        .map_err(call("reading the tariff"))?
        .tariff()
        .map_err(SimError::Setup)?;
    let today = local_date(chrono_tz::Asia::Almaty, history_start);
    // Registrations spread over the history's first hours (none without a history).
    let spread = (opts.start - history_start).num_seconds().min(3 * 3600);
    let gap = spread / i64::from(opts.riders.max(1));
    for i in 1..=i64::from(opts.riders) {
        if i % 25 == 1 {
            b.advance_clock(history_start + Duration::seconds(gap * i))
                .await
                .map_err(call("moving the clock"))?;
            progress("riders", i as u64, u64::from(opts.riders));
        }
        let id = RiderId(i);
        let r = names::rider(&mut rng, id, today);
        b.add_rider(r.clone())
            .await
            .map_err(call("registering a rider"))?;
        super::accounts::money(
            &*b,
            &mut rng,
            id,
            r.resident,
            yearly_price(&desk, r.concession.as_deref()),
            r.card.is_some(),
        )
        .await?;
    }
    progress("riders", u64::from(opts.riders), u64::from(opts.riders));

    let history = ride_history(b.clone(), opts, progress).await?;
    b.advance_clock(opts.start)
        .await
        .map_err(call("moving the clock"))?;
    let docked = place_bikes(&*b, &data, &targets, spare_bikes).await?;
    // Every write is in when this answers; the writer thread closes the file as `b` drops.
    b.verify().await.map_err(call("verifying the ledger"))?;
    Ok(CitySummary {
        stations: data.len(),
        active: data.iter().filter(|s| s.station.active).count(),
        docks: data.iter().map(|s| s.station.docks).sum(),
        docked,
        fleet: (next_bike - FIRST_BIKE) as u32,
        riders: opts.riders,
        start: opts.start,
        history,
    })
}

fn target(s: &CityStation, fill: Fill) -> u32 {
    match fill {
        Fill::Snapshot => s.snapshot_bikes,
        _ if !s.station.active => 0,
        Fill::Percent(p) => {
            let working = s.station.docks.saturating_sub(s.out_of_service);
            (working * u32::from(p) + 50) / 100
        }
    }
}

/// The days before the start, ridden by the simulator as fast as it goes.
async fn ride_history(
    b: Arc<dyn Backend>,
    opts: &CityOptions,
    progress: Progress<'_>,
) -> Result<SimStats, SimError> {
    if opts.history_days == 0 {
        return Ok(SimStats::default());
    }
    let mut cfg = SimConfig::new(opts.seed, Speed::Max);
    cfg.until = Some(opts.start);
    let sim = Simulator::new(b, cfg);
    let mut live = sim.stats();
    let (_stop, stop) = watch::channel(false);
    let run = sim.run(stop);
    tokio::pin!(run);
    let total = (u64::from(opts.history_days) * 24 * 60) as i64;
    let from = opts.start - Duration::days(i64::from(opts.history_days));
    loop {
        tokio::select! {
            done = &mut run => return done,
            changed = live.changed() => {
                if changed.is_err() {
                    return run.await;
                }
                let now = live.borrow_and_update().now;
                if let Some(now) = now {
                    progress("history (simulated minutes)", (now - from).num_minutes().clamp(0, total) as u64, total as u64);
                }
            }
        }
    }
}

/// The depot's morning placement: faulty bikes to repair, cable-locked ones collected,
/// every station brought to its target from the surplus and the spares; the spares left
/// go to the depot. Returns the bikes docked.
async fn place_bikes(
    b: &dyn Backend,
    data: &[CityStation],
    targets: &[u32],
    spares: Vec<BikeId>,
) -> Result<u32, SimError> {
    let call = |doing: &'static str| SimError::backend(doing);
    let mut van: Vec<BikeId> = Vec::new();
    let mut docked: Vec<u32> = Vec::with_capacity(data.len());
    for (s, &want) in data.iter().zip(targets) {
        let view = b
            .station(s.station.id)
            .await
            .map_err(call("looking at a station"))?;
        let mut have = 0;
        for bike in &view.bikes {
            let keep = bike.state == BikeState::Docked && !bike.faulty && have < want;
            if keep {
                have += 1;
            } else if bike.faulty {
                super::staff(b, DEPOT)
                    .to_repair(bike.id)
                    .await
                    .map_err(call("taking a bike to repair"))?;
            } else {
                super::staff(b, DEPOT)
                    .service_release(bike.id)
                    .await
                    .map_err(call("releasing a bike"))?;
                van.push(bike.id);
            }
        }
        docked.push(have);
    }
    for bike in spares {
        if b.bike(bike).await.map_err(call("looking a bike up"))?.state == BikeState::Van {
            van.push(bike);
        }
    }
    van.sort();
    van.reverse();
    for ((s, &want), have) in data.iter().zip(targets).zip(docked.iter_mut()) {
        while *have < want {
            let Some(bike) = van.pop() else { break };
            super::staff(b, DEPOT)
                .service_dock(bike, s.station.id)
                .await
                .map_err(call("docking a bike"))?;
            *have += 1;
        }
    }
    for bike in van {
        super::staff(b, DEPOT)
            .to_repair(bike)
            .await
            .map_err(call("taking a spare to the depot"))?;
    }
    Ok(docked.iter().sum())
}

/// What a resident of concession category `concession` pays for the yearly pass (D23: the
/// tariff says which categories get the concession price).
pub(super) fn yearly_price(t: &crate::domain::tariff::Tariff, concession: Option<&str>) -> Tenge {
    let concession = concession.and_then(crate::domain::tariff::Concession::parse);
    t.pass("seasonal")
        .map(|p| t.price_for(p, concession))
        .unwrap_or(Tenge(10_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_parse_and_refuse_clearly() {
        assert_eq!(Fill::parse("snapshot"), Ok(Fill::Snapshot));
        assert_eq!(Fill::parse("60"), Ok(Fill::Percent(60)));
        assert_eq!(Fill::parse("60%"), Ok(Fill::Percent(60)));
        assert!(Fill::parse("101").unwrap_err().contains("0-100"));
    }

    #[test]
    fn the_demo_day_starts_at_six_in_almaty() {
        assert_eq!(default_start().to_rfc3339(), "2025-06-02T01:00:00+00:00");
    }
}
