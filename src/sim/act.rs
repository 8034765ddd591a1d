//! What riders and the desk do, event by event: come to a station, rent (paying or buying
//! a pass when refused for money), ride, return, and the trouble of a real city at realistic
//! rates: lock errors (R12), full stations and cable-lock calls (R14), faulty bikes (R13),
//! bikes kept past 24 hours (R15).

use super::SimError;
use super::demand::{self, Purpose};
use super::names::demo_pin;
use super::record::{AttemptKind, Outcome, Then};
use super::world::{Ev, World};
use crate::api::BikeState;
use crate::api::PayMethod;
use crate::backend::DockOutcome;
use crate::backend::Ops;
use crate::domain::{BikeId, Refusal, RiderId, Tenge};

/// The demo agent who answers cable-lock calls and ends stuck rentals.
pub const DESK: &str = super::city::SIM_DESK;

// ASSUMPTIONS: the rates of trouble, per trip.
const LOCK_ERROR: f64 = 0.02;
const FAULTY_AT_START: f64 = 0.01;
const FAULTY_AT_END: f64 = 0.006;
const KEPT_OVER_24H: f64 = 0.003;
/// Of riders with a lock error, those who walk away believing the bike returned.
const WALK_AWAY: f64 = 0.3;
/// Of riders who find their station empty, those who walk on to one nearby with a bike
/// (the others take a bus or a taxi).
const WALK_ON: f64 = 0.6;

impl World {
    pub async fn handle(&mut self, ev: Ev) -> Result<(), SimError> {
        match ev {
            Ev::Arrival => self.arrival().await?,
            Ev::Return {
                rider,
                bike,
                at,
                tries,
                faulty_early,
                again,
            } => {
                self.ret(rider, bike, at, tries, faulty_early, again)
                    .await?
            }
            Ev::DeskAuthorise { rider, bike, at } => self.desk_authorise(rider, bike, at).await?,
            Ev::CableTry {
                rider,
                bike,
                at,
                waited_min,
            } => self.cable_try(rider, bike, at, waited_min).await?,
            Ev::DeskEnd { rider, at, since } => self.desk_end(rider, at, since).await?,
            Ev::Refresh => {
                self.refresh().await?;
                self.push_in(600, Ev::Refresh);
            }
            Ev::Depot => {
                match self.depot_mode {
                    super::run::DepotMode::Night => self.depot().await?,
                    super::run::DepotMode::Maintenance => self.maintenance().await?,
                }
                let next = self.next_local(3);
                self.push_at(next, Ev::Depot);
            }
            Ev::ShiftStart => self.shift_start().await?,
            Ev::VanTick => self.van_tick().await?,
            Ev::VanArrive { van, at } => self.van_arrive(van, at).await?,
            Ev::VanDone { van } => self.van_done(van).await?,
            Ev::ShiftEnd => self.shift_end().await?,
            Ev::Tick => self.push_in(15, Ev::Tick),
        }
        Ok(())
    }

    /// A rider wants a bike at the station nearest to where they are. Found empty, they
    /// walk to a station nearby that the app shows with a bike, or walk away; every station
    /// tried is an attempt recorded with its time and place.
    async fn arrival(&mut self) -> Result<(), SimError> {
        self.stats.arrivals += 1;
        // Some riders ride far more often than others.
        let u = self.rng.unit();
        let rider = RiderId(1 + ((u * u) * self.riders as f64) as i64 % self.riders);
        if self.on_bike.contains_key(&rider) {
            return Ok(());
        }
        let (home, work, play) = self.places(rider);
        let weekend = self.weekend();
        let purpose = demand::purpose(weekend, self.hour(), &mut self.rng);
        let (from, to) = match purpose {
            Purpose::ToWork => (home, Some(work)),
            Purpose::ToHome => (work, Some(home)),
            Purpose::Out => (home, Some(play)),
            Purpose::Back => (play, Some(home)),
            Purpose::Errand if weekend || self.rng.chance(0.5) => (home, None),
            Purpose::Errand => (work, None),
        };
        let mut origin = from;
        let mut walks = 0;
        loop {
            let station = self.spots[origin].id;
            match self.take_bike_at(origin).await? {
                Some(bike) => {
                    let dest = match to {
                        Some(d) if d != origin => d,
                        _ => {
                            let near: Vec<usize> =
                                self.near[origin].iter().skip(1).take(15).copied().collect();
                            self.rng.pick(&near).copied().unwrap_or(origin)
                        }
                    };
                    let served = self.rent(rider, bike).await?;
                    let outcome = if served {
                        Outcome::Served
                    } else {
                        Outcome::Refused
                    };
                    self.record
                        .attempt(self.now, station, AttemptKind::Rent, outcome);
                    if served {
                        self.ride_off(rider, bike, origin, dest);
                    }
                    return Ok(());
                }
                None => {
                    let next = if walks < 2 && self.rng.chance(WALK_ON) {
                        self.near[origin]
                            .iter()
                            .skip(1)
                            .take(3)
                            .find(|&&i| self.spots[i].bikes > 0)
                            .copied()
                    } else {
                        None
                    };
                    let then = match next {
                        Some(n) => Then::WalkedTo(self.spots[n].id),
                        None => Then::WalkedAway,
                    };
                    self.record
                        .attempt(self.now, station, AttemptKind::Rent, Outcome::Empty(then));
                    let Some(n) = next else {
                        self.stats.no_bike += 1;
                        return Ok(());
                    };
                    origin = n;
                    walks += 1;
                }
            }
        }
    }

    /// A bike a rider can take at station `i` (None: the station is empty).
    async fn take_bike_at(&mut self, i: usize) -> Result<Option<BikeId>, SimError> {
        if self.spots[i].bikes == 0 || !self.spots[i].active {
            return Ok(None);
        }
        let r = self.b.station(self.spots[i].id).await;
        let Ok(view) = self.refusal(r, "looking at a station")? else {
            return Ok(None);
        };
        let bikes: Vec<BikeId> = view
            .bikes
            .iter()
            .filter(|b| b.state == BikeState::Docked && !b.faulty)
            .map(|b| b.id)
            .collect();
        self.set_counts(i, bikes.len() as u32, view.station.free_docks);
        Ok(self.rng.pick(&bikes).copied())
    }

    /// Rent, paying or buying a pass once when refused for money. True when the bike is out.
    async fn rent(&mut self, rider: RiderId, bike: BikeId) -> Result<bool, SimError> {
        let pin = demo_pin(rider);
        for attempt in 0..2 {
            let r = self.b.rent(rider, bike, &pin).await;
            let refusal = match self.refusal(r, "renting")? {
                Ok(_) => return Ok(true),
                Err(kind) => kind,
            };
            if attempt == 1 {
                return Ok(false);
            }
            let retry = match refusal {
                Refusal::LowBalance => {
                    self.stats.low_money += 1;
                    let amount = 1000 * self.rng.between(2, 5);
                    self.rng.chance(0.6) && self.top_up(rider, amount).await?
                }
                Refusal::NoPass => {
                    self.stats.no_pass += 1;
                    self.rng.chance(0.8) && self.buy_pass(rider).await?
                }
                Refusal::NoDeposit => {
                    let r = self.b.hold_deposit(rider, Tenge(37_500)).await;
                    self.refusal(r, "holding a deposit")?.is_ok()
                }
                Refusal::Restricted => {
                    self.stats.restricted += 1;
                    if self.rng.chance(0.25) {
                        let debt = self.rider_debt(rider).await?;
                        let extra = 1000 * self.rng.between(1, 5);
                        self.top_up(rider, debt + extra).await?;
                    }
                    false
                }
                Refusal::AlreadyRenting => {
                    self.adopt(rider).await?;
                    false
                }
                Refusal::BikeUnavailable | Refusal::NotEligible | Refusal::NotResident => false,
                Refusal::OutOfSeason => {
                    return Err(SimError::Setup(
                        "the system is out of its rental season (R8): no rider can rent now".into(),
                    ));
                }
                _ => {
                    self.stats.unexpected += 1;
                    false
                }
            };
            if !retry {
                return Ok(false);
            }
        }
        Ok(false)
    }

    async fn top_up(&mut self, rider: RiderId, amount: i64) -> Result<bool, SimError> {
        if amount <= 0 {
            return Ok(false);
        }
        let method = if self.rng.chance(0.8) {
            PayMethod::Card
        } else {
            PayMethod::Bank
        };
        let r = self.b.pay(rider, Tenge(amount), method).await;
        let ok = self.refusal(r, "paying")?.is_ok();
        if ok {
            self.stats.payments += 1;
        }
        Ok(ok)
    }

    async fn rider_debt(&mut self, rider: RiderId) -> Result<i64, SimError> {
        let r = self.b.rider(rider).await;
        Ok(match self.refusal(r, "looking a rider up")? {
            Ok(v) => v.debt.0.max(0),
            Err(_) => 0,
        })
    }

    /// A resident buys the yearly pass (concession price where they hold one); a visitor a
    /// 24-hour pass with its deposit (R2, R5). Pays what is missing first, by card.
    async fn buy_pass(&mut self, rider: RiderId) -> Result<bool, SimError> {
        let r = self.b.rider(rider).await;
        let Ok(view) = self.refusal(r, "looking a rider up")? else {
            return Ok(false);
        };
        let (pass, price) = if view.rider.resident {
            (
                "seasonal",
                match &self.tariff {
                    Some(t) => super::city::yearly_price(t, view.rider.concession.as_deref()).0,
                    None => 10_000,
                },
            )
        } else {
            ("day1", 3500)
        };
        let missing = price + 1000 - view.available.0;
        if missing > 0 {
            let round = (missing + 999) / 1000 * 1000;
            if !self.top_up(rider, round).await? {
                return Ok(false);
            }
        }
        if !view.rider.resident && view.rider.deposit.0 < 37_500 {
            let r = self
                .b
                .hold_deposit(rider, Tenge(37_500 - view.rider.deposit.0))
                .await;
            self.refusal(r, "holding a deposit")?.ok();
        }
        let r = self.b.buy(rider, pass).await;
        let ok = self.refusal(r, "buying a pass")?.is_ok();
        if ok {
            self.stats.passes_bought += 1;
        }
        Ok(ok)
    }

    /// A rider the simulator did not know was out: find the bike and bring it back.
    async fn adopt(&mut self, rider: RiderId) -> Result<(), SimError> {
        let r = self.b.rider(rider).await;
        if let Ok(view) = self.refusal(r, "looking a rider up")?
            && let Some(open) = view.open_rental
        {
            let r = open.rental;
            self.resume(r.rider, r.bike, r.start_at, r.start_station);
        }
        Ok(())
    }

    fn ride_off(&mut self, rider: RiderId, bike: BikeId, origin: usize, dest: usize) {
        self.stats.trips_started += 1;
        self.on_bike.insert(rider, bike);
        self.stats.riding = self.on_bike.len() as u64;
        let (b, f) = (self.spots[origin].bikes, self.spots[origin].free);
        self.set_counts(origin, b.saturating_sub(1), f + 1);
        if self.rng.chance(FAULTY_AT_START) {
            // R13: the rider finds it faulty right away and pushes it back.
            let s = self.rng.between(40, 150);
            let s = self.ride_time(s);
            self.push_in(
                s,
                Ev::Return {
                    rider,
                    bike,
                    at: origin,
                    tries: 0,
                    faulty_early: true,
                    again: false,
                },
            );
            return;
        }
        let seconds = if self.rng.chance(KEPT_OVER_24H) {
            self.stats.kept_over_24h += 1;
            self.rng.between(25 * 3600, 40 * 3600)
        } else {
            let km = demand::km(self.spots[origin].pos, self.spots[dest].pos);
            let mut s = demand::ride_seconds(km, &mut self.rng);
            if self.rng.chance(0.15) {
                // A leisurely ride: a stop on the way, a loop in the park.
                s += self.rng.lognormal(1200.0, 0.6) as i64;
            }
            s
        };
        let seconds = self.ride_time(seconds);
        self.push_in(
            seconds,
            Ev::Return {
                rider,
                bike,
                at: dest,
                tries: 0,
                faulty_early: false,
                again: false,
            },
        );
    }

    /// The rider is off the bike; it took a dock at station `at` (a rider can take it
    /// again unless `faulty`).
    pub(super) fn off_bike(&mut self, rider: RiderId, at: Option<usize>, faulty: bool) {
        self.on_bike.remove(&rider);
        self.stats.riding = self.on_bike.len() as u64;
        if let Some(i) = at
            && self.spots[i].free > 0
        {
            let (b, f) = (self.spots[i].bikes, self.spots[i].free);
            self.set_counts(i, if faulty { b } else { b + 1 }, f - 1);
        }
    }

    /// The rider pushes the bike into a dock at station `at`.
    async fn ret(
        &mut self,
        rider: RiderId,
        bike: BikeId,
        at: usize,
        tries: u8,
        faulty_early: bool,
        again: bool,
    ) -> Result<(), SimError> {
        let station = self.spots[at].id;
        // A new arrival at a station with a bike is an attempt (not the push after a lock
        // error, not a faulty bike put back at once).
        let attempt = !again && !faulty_early;
        let lock_error = !faulty_early && tries == 0 && self.rng.chance(LOCK_ERROR);
        let faulty = faulty_early || self.rng.chance(FAULTY_AT_END);
        let how = if lock_error {
            DockOutcome::LockError
        } else if faulty {
            DockOutcome::Faulty
        } else {
            DockOutcome::Locked
        };
        let r = self.b.return_bike(bike, station, how).await;
        let r = self.refusal(r, "returning a bike")?;
        if attempt && r.is_ok() {
            self.record
                .attempt(self.now, station, AttemptKind::Return, Outcome::Served);
        }
        match r {
            Ok(_) if lock_error => {
                // R12: a triple beep; the rental goes on.
                self.stats.lock_errors += 1;
                if self.rng.chance(WALK_AWAY) {
                    let since = self.now;
                    let s = self.rng.between(20 * 60, 90 * 60);
                    self.push_in(s, Ev::DeskEnd { rider, at, since });
                } else {
                    let s = self.rng.between(20, 120);
                    self.push_in(
                        s,
                        Ev::Return {
                            rider,
                            bike,
                            at,
                            tries: 1,
                            faulty_early: false,
                            again: true,
                        },
                    );
                }
            }
            Ok(_) => {
                if faulty {
                    self.stats.faulty += 1;
                }
                self.stats.trips_ended += 1;
                self.off_bike(rider, Some(at), faulty);
            }
            Err(Refusal::StationFull) => {
                self.stats.station_full += 1;
                let b = self.spots[at].bikes;
                self.set_counts(at, b, 0);
                self.full_station(rider, bike, at, tries, attempt).await?;
            }
            Err(Refusal::NotRenting | Refusal::NotFound) => self.off_bike(rider, None, false),
            Err(_) => {
                self.stats.unexpected += 1;
                self.off_bike(rider, None, false);
            }
        }
        Ok(())
    }
}
