//! The bench's throw-away city and the summer noon its clock starts at.

use super::super::{BenchDir, failed};
use super::{BENCH_PASSWORD, BIKES_PER_STATION, DOCKS, PIN, RIDERS, STATIONS};
use crate::api::NewStation;
use crate::api::PayMethod;
use crate::cli::CliError;
use crate::domain::roles::Role;
use crate::domain::time::parse_local;
use crate::domain::{BikeId, RiderId, StationId, Tenge};
use crate::server::secret;
use color_eyre::eyre;

/// A day in season, where the bench clock starts.
pub(super) fn summer() -> chrono::DateTime<chrono::Utc> {
    parse_local(chrono_tz::Asia::Almaty, "2025-07-01 12:00").unwrap_or_default()
}

/// The throw-away city: stations, bikes, riders with money and a monthly pass, an admin,
/// and a key for every station.
pub(super) fn build_city(dir: &BenchDir) -> Result<(), CliError> {
    let mut engine = dir.engine()?;
    engine
        .store()
        .set_bulk_mode(true)
        .map_err(failed("bulk mode"))?;
    engine
        .advance_to(summer())
        .map_err(failed("setting the clock"))?;
    let mut bike = 0;
    for s in 1..=STATIONS {
        engine
            .add_station(&NewStation {
                id: StationId(s),
                name: format!("Bench {s}"),
                address: format!("Street {s}"),
                lat: 51.1 + s as f64 / 1000.0,
                lon: 71.4,
                docks: DOCKS,
                active: true,
                ..Default::default()
            })
            .map_err(failed("adding a station"))?;
        for _ in 0..BIKES_PER_STATION {
            bike += 1;
            engine
                .add_bike(BikeId(bike), Some(StationId(s)))
                .map_err(failed("adding a bike"))?;
        }
    }
    for id in 1..=RIDERS {
        let mut r = super::super::names::rider(id);
        r.id = Some(RiderId(id as i64));
        r.pin = PIN.into();
        r.resident = true;
        r.born = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or_default();
        r.concession = None;
        let id = engine.add_rider(&r).map_err(failed("adding a rider"))?;
        engine
            .pay(id, Tenge(50_000), PayMethod::Cash, None)
            .map_err(failed("a payment"))?;
        engine.buy(id, "monthly", None).map_err(failed("a pass"))?;
    }
    let hash =
        secret::hash_password(BENCH_PASSWORD).map_err(|e| CliError::Failed(eyre::eyre!(e)))?;
    engine
        .add_staff("admin", Role::Admin, Some(&hash))
        .map_err(failed("adding the admin"))?;
    engine
        .store()
        .set_bulk_mode(false)
        .map_err(failed("durable mode"))?;
    Ok(())
}
