//! When the station is full or the lock fails: ride on to the next station, or call for a
//! cable lock (R14) that the simulated desk authorises or leaves for the console; the desk
//! ends by hand a rental left in a dock after a lock error (R12).

use super::SimError;
use super::act::DESK;
use super::demand;
use super::names::demo_pin;
use super::record::{AttemptKind, Outcome, Then};
use super::world::{Ev, World};
use crate::backend::Ops;
use crate::domain::{BikeId, Refusal, RiderId};

impl World {
    /// A full station: ride on to the next one with room, or call for a cable lock (R14).
    pub(super) async fn full_station(
        &mut self,
        rider: RiderId,
        bike: BikeId,
        at: usize,
        tries: u8,
        attempt: bool,
    ) -> Result<(), SimError> {
        let station = self.spots[at].id;
        if tries < 3 && (tries >= 2 || self.rng.chance(0.5)) {
            let r = self.b.call_cable_lock(rider, self.spots[at].id).await;
            if self.refusal(r, "calling for a cable lock")?.is_ok() {
                self.stats.cable_calls += 1;
                if attempt {
                    let full = Outcome::Full(Then::CalledForCableLock);
                    self.record
                        .attempt(self.now, station, AttemptKind::Return, full);
                }
                if self.rng.chance(self.desk_share) {
                    let s = self.desk_wait_s + self.rng.between(0, 180);
                    self.push_in(s, Ev::DeskAuthorise { rider, bike, at });
                } else {
                    self.stats.calls_for_console += 1;
                    self.push_in(
                        300,
                        Ev::CableTry {
                            rider,
                            bike,
                            at,
                            waited_min: 5,
                        },
                    );
                }
                return Ok(());
            }
        }
        let next = self.ride_on(rider, bike, at, tries.saturating_add(1));
        if attempt {
            let full = Outcome::Full(Then::RodeOn(self.spots[next].id));
            self.record
                .attempt(self.now, station, AttemptKind::Return, full);
        }
        Ok(())
    }

    /// Ride to the nearest station that had room when last seen; returns which.
    pub(super) fn ride_on(&mut self, rider: RiderId, bike: BikeId, at: usize, tries: u8) -> usize {
        let next = self.near[at]
            .iter()
            .skip(1)
            .find(|&&i| self.spots[i].free > 0)
            .or_else(|| self.near[at].get(1))
            .copied()
            .unwrap_or(at);
        let km = demand::km(self.spots[at].pos, self.spots[next].pos);
        let s = demand::ride_seconds(km, &mut self.rng);
        let s = self.ride_time(s);
        self.push_in(
            s,
            Ev::Return {
                rider,
                bike,
                at: next,
                tries,
                faulty_early: false,
                again: false,
            },
        );
        next
    }

    pub(super) async fn desk_authorise(
        &mut self,
        rider: RiderId,
        bike: BikeId,
        at: usize,
    ) -> Result<(), SimError> {
        // A call a person took, or answered, is theirs: the rider tries the cable again.
        if !self.call_waits_untaken(rider, self.spots[at].id).await? {
            self.push_in(
                60,
                Ev::CableTry {
                    rider,
                    bike,
                    at,
                    waited_min: 1,
                },
            );
            return Ok(());
        }
        let r = super::staff(&*self.b, DESK)
            .authorise_cable_lock(rider, self.spots[at].id)
            .await;
        match self.refusal(r, "authorising a cable lock")? {
            Ok(()) => {
                self.stats.desk_authorisations += 1;
                let s = self.rng.between(30, 120);
                self.push_in(
                    s,
                    Ev::CableTry {
                        rider,
                        bike,
                        at,
                        waited_min: 0,
                    },
                );
            }
            Err(Refusal::NotRenting) => self.off_bike(rider, None, false),
            Err(_) => {
                self.stats.unexpected += 1;
                let _ = self.ride_on(rider, bike, at, 3);
            }
        }
        Ok(())
    }

    /// Whether the rider's call at `station` still waits and no one has taken it.
    async fn call_waits_untaken(
        &mut self,
        rider: RiderId,
        station: crate::domain::StationId,
    ) -> Result<bool, SimError> {
        let alerts = self
            .b
            .alerts()
            .await
            .map_err(SimError::backend("reading the alerts"))?;
        Ok(alerts.iter().any(|a| {
            a.kind == crate::api::AlertKind::CableLockCall
                && a.rider == Some(rider)
                && a.station == Some(station)
                && a.taken.is_none()
        }))
    }

    /// The cable procedure: it ends the rental only with a permission (R14).
    pub(super) async fn cable_try(
        &mut self,
        rider: RiderId,
        bike: BikeId,
        at: usize,
        waited_min: u32,
    ) -> Result<(), SimError> {
        let pin = demo_pin(rider);
        let r = self.b.cable_lock(bike, self.spots[at].id, &pin).await;
        match self.refusal(r, "cable-locking a bike")? {
            Ok(_) => {
                self.stats.cable_locks += 1;
                self.stats.trips_ended += 1;
                self.off_bike(rider, None, false);
            }
            Err(Refusal::NotAuthorised) if waited_min < 45 => {
                self.push_in(
                    300,
                    Ev::CableTry {
                        rider,
                        bike,
                        at,
                        waited_min: waited_min + 5,
                    },
                );
            }
            Err(Refusal::NotAuthorised) => {
                self.stats.gave_up_waiting += 1;
                let _ = self.ride_on(rider, bike, at, 3);
            }
            Err(_) => self.off_bike(rider, None, false),
        }
        Ok(())
    }

    /// The desk ends a rental left in a dock after a lock error, at the time it was left.
    pub(super) async fn desk_end(
        &mut self,
        rider: RiderId,
        at: usize,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), SimError> {
        let reason = "bike left in the dock after a lock error (R12)";
        let r = super::staff(&*self.b, DESK)
            .end_rental(rider, self.spots[at].id, since, reason)
            .await;
        match self.refusal(r, "ending a rental by hand")? {
            Ok(_) => {
                self.stats.ended_by_desk += 1;
                self.stats.trips_ended += 1;
                self.off_bike(rider, Some(at), false);
            }
            Err(_) => self.off_bike(rider, None, false),
        }
        Ok(())
    }
}
