//! Loading the simulator's city from a backend: the stations, the riders (counted), the
//! demand, the vans and the record, as a remote client would see them.

use super::super::SimError;
use super::super::demand;
use super::super::record::SimRecord;
use super::super::rng::SimRng;
use super::super::run::{SimConfig, SimStats};
use super::super::vans::Vans;
use super::{Spot, World};
use crate::api::BackendError;
use crate::backend::Backend;
use crate::domain::{Refusal, RiderId};
use chrono_tz::Tz;
use std::collections::{BTreeMap, BinaryHeap};
use std::sync::Arc;

impl World {
    pub async fn load(b: Arc<dyn Backend>, cfg: &SimConfig) -> Result<World, SimError> {
        let info = b.info();
        let tz: Tz = info
            .time_zone
            .parse()
            .map_err(|_| SimError::Setup(format!("unknown time zone {:?}", info.time_zone)))?;
        if !info.simulated_clock && cfg.speed != super::super::run::Speed::RealTime {
            return Err(SimError::Setup(format!(
                "{} runs on its real clock: the simulation there runs at real time (speed 1)",
                info.location
            )));
        }
        let now = b
            .now()
            .await
            .map_err(SimError::backend("reading the clock"))?;
        let real_clock = (!info.simulated_clock).then(|| (now, tokio::time::Instant::now()));
        let stations = b
            .stations()
            .await
            .map_err(SimError::backend("listing stations"))?;
        let spots: Vec<Spot> = stations
            .iter()
            .map(|s| Spot {
                id: s.id,
                pos: (s.lat, s.lon),
                active: s.active && s.docks > 0,
                docks: s.docks,
                bikes: s.bikes.saturating_sub(s.cable_locked),
                free: s.free_docks,
            })
            .collect();
        if !spots.iter().any(|s| s.active) {
            return Err(SimError::Setup(
                "the system has no active station to ride from".into(),
            ));
        }
        let near = spots
            .iter()
            .map(|a| {
                let mut by: Vec<(f64, usize)> = spots
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.active)
                    .map(|(i, s)| (demand::km(a.pos, s.pos), i))
                    .collect();
                by.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
                by.into_iter().take(20).map(|(_, i)| i).collect()
            })
            .collect();
        let riders = count_riders(&*b).await?;
        if riders == 0 {
            return Err(SimError::Setup(
                "the system has no riders (numbered from 1)".into(),
            ));
        }
        let tariff = b.desk_info().await.ok().and_then(|d| d.tariff().ok());
        let (home_w, work_w, centre) = demand::weights(
            &spots
                .iter()
                .map(|s| (s.active, s.pos, s.docks))
                .collect::<Vec<_>>(),
        );
        let record = SimRecord::new(
            tz,
            now,
            &spots
                .iter()
                .map(|s| (s.id, s.bikes, s.free, s.active))
                .collect::<Vec<_>>(),
        );
        let vans = cfg.vans.clone().map(|v| {
            let depot = v.depot.unwrap_or(centre);
            Vans::new(v, depot)
        });
        let bikes: u32 = stations.iter().map(|s| s.bikes).sum();
        let daily = (f64::from(bikes.max(25)) * cfg.trips_per_bike).max(50.0);
        let peak_per_s = daily * demand::peak_share() / 3600.0;
        Ok(World {
            b,
            rng: SimRng::new(cfg.seed)
                .fork("day")
                .fork(&now.timestamp().to_string()),
            seed: cfg.seed,
            tz,
            now,
            queue: BinaryHeap::new(),
            events: BTreeMap::new(),
            seq: 0,
            spots,
            near,
            riders,
            on_bike: BTreeMap::new(),
            arrival_gap_s: 1.0 / peak_per_s,
            desk_share: cfg.desk_share.clamp(0.0, 1.0),
            desk_wait_s: cfg.desk_wait_s.max(0),
            paced: !matches!(cfg.speed, super::super::run::Speed::Max),
            real_clock,
            rush: cfg.rush,
            stats: SimStats::default(),
            tariff,
            home_w,
            work_w,
            record,
            vans,
            depot_mode: cfg.depot,
            next_bike: 90_000_001,
        })
    }
}

/// Demo riders are numbered 1..=N without gaps: find N by doubling, then halving.
async fn count_riders(b: &dyn Backend) -> Result<i64, SimError> {
    async fn exists(b: &dyn Backend, id: i64) -> Result<bool, SimError> {
        match b.rider(RiderId(id)).await {
            Ok(_) => Ok(true),
            Err(BackendError::Refused {
                kind: Refusal::NotFound,
                ..
            }) => Ok(false),
            Err(e) => Err(SimError::backend("looking riders up")(e)),
        }
    }
    if !exists(b, 1).await? {
        return Ok(0);
    }
    let mut lo = 1i64;
    let mut hi = 2i64;
    while exists(b, hi).await? {
        lo = hi;
        hi *= 2;
        if hi > 1 << 40 {
            break;
        }
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if exists(b, mid).await? {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(lo)
}
