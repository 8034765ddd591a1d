//! The depot's night shift at 03:00 (docs/rules.md §5): faulty bikes to repair, cable-locked bikes
//! collected, and bikes moved from full stations to empty ones, with the demo depot account;
//! or, under a rebalancing policy's run, the repairs alone ([`World::maintenance`]).

use super::SimError;
use super::world::World;
use crate::api::BikeState;
use crate::backend::Ops;
use crate::domain::{BikeId, StationId};

/// The demo depot worker.
pub const DEPOT: &str = super::city::SIM_DEPOT;
/// Bikes one van moves in a night (ASSUMPTION).
const MOVES_PER_NIGHT: usize = 60;

impl World {
    pub async fn depot(&mut self) -> Result<(), SimError> {
        self.refresh().await?;
        let r = self.b.stations().await;
        let stations = self
            .counted(r)
            .map_err(SimError::backend("listing stations"))?;
        let mut van: Vec<BikeId> = Vec::new();
        for s in &stations {
            let crowded = s.active && s.free_docks == 0 && s.docks > 2;
            if s.faulty == 0 && s.cable_locked == 0 && !crowded {
                continue;
            }
            let r = self.b.station(s.id).await;
            let Ok(view) = self.refusal(r, "looking at a station")? else {
                continue;
            };
            let mut keep = s.docks / 2;
            for bike in &view.bikes {
                if bike.faulty {
                    let r = super::staff(&*self.b, DEPOT).to_repair(bike.id).await;
                    if self.refusal(r, "taking a bike to repair")?.is_ok() {
                        self.stats.to_repair += 1;
                    }
                } else if bike.state == BikeState::CableLocked
                    || (crowded
                        && bike.state == BikeState::Docked
                        && van.len() < MOVES_PER_NIGHT
                        && keep == 0)
                {
                    let r = super::staff(&*self.b, DEPOT).service_release(bike.id).await;
                    if self.refusal(r, "releasing a bike")?.is_ok() {
                        van.push(bike.id);
                    }
                } else if bike.state == BikeState::Docked {
                    keep = keep.saturating_sub(1);
                }
            }
        }
        // Empty stations first, the biggest first; then wherever there is most room.
        let mut targets: Vec<(u32, u32, StationId)> = stations
            .iter()
            .filter(|s| s.active && s.free_docks > 1)
            .map(|s| (s.bikes, u32::MAX - s.docks, s.id))
            .collect();
        targets.sort();
        let mut i = 0;
        while let Some(bike) = van.pop() {
            let Some(&(_, _, station)) = targets.get(i % targets.len().max(1)) else {
                break;
            };
            let r = super::staff(&*self.b, DEPOT)
                .service_dock(bike, station)
                .await;
            if self.refusal(r, "docking a bike")?.is_ok() {
                self.stats.rebalanced += 1;
            } else if i > targets.len() * 3 {
                break;
            } else {
                van.push(bike);
            }
            i += 1;
        }
        self.refresh().await
    }

    /// The repairs without rebalancing: each faulty bike goes to repair and a repaired one
    /// (a new inventory number: the engine has no way back from repair) takes its dock;
    /// cable-locked bikes are docked where they are, or at the nearest station with room.
    pub async fn maintenance(&mut self) -> Result<(), SimError> {
        let r = self.b.stations().await;
        let stations = self
            .counted(r)
            .map_err(SimError::backend("listing stations"))?;
        for s in stations
            .iter()
            .filter(|s| s.faulty > 0 || s.cable_locked > 0)
        {
            let r = self.b.station(s.id).await;
            let Ok(view) = self.refusal(r, "looking at a station")? else {
                continue;
            };
            let Some(i) = self.spots.iter().position(|p| p.id == s.id) else {
                continue;
            };
            for bike in &view.bikes {
                if bike.faulty && bike.state == BikeState::Docked {
                    let r = super::staff(&*self.b, DEPOT).to_repair(bike.id).await;
                    if self.refusal(r, "taking a bike to repair")?.is_ok() {
                        self.stats.to_repair += 1;
                        let new = BikeId(self.next_bike);
                        self.next_bike += 1;
                        let r = self.b.add_bike(new, Some(s.id)).await;
                        self.refusal(r, "bringing a repaired bike back")?.ok();
                    }
                } else if bike.state == BikeState::CableLocked {
                    let r = super::staff(&*self.b, DEPOT).service_release(bike.id).await;
                    if self.refusal(r, "releasing a bike")?.is_err() {
                        continue;
                    }
                    let near = self.near[i].clone();
                    for j in near {
                        let r = super::staff(&*self.b, DEPOT)
                            .service_dock(bike.id, self.spots[j].id)
                            .await;
                        if self.refusal(r, "docking a bike")?.is_ok() {
                            self.sync_spot(j).await?;
                            break;
                        }
                    }
                }
            }
            self.sync_spot(i).await?;
        }
        Ok(())
    }
}
