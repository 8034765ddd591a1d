//! The depot's moves (docs/rules.md §5, D28): a bike out of its dock into the van, back
//! into a dock, to repair; a dock out of service and back.

use super::{Engine, Event, Result, refuse};
use crate::api::BikeState;
use crate::domain::roles::StaffAction;
use crate::domain::{BikeId, Refusal, StationId};
use crate::store::fleet;
use crate::store::people::Staff;

impl Engine {
    /// Depot: take a docked or cable-locked bike out without a rental, into the van.
    pub(super) fn service_release_by(&mut self, s: &Staff, bike: BikeId) -> Result<()> {
        self.write(|ctx, c| {
            let b = ctx.bike(c, bike)?;
            if !matches!(b.state, BikeState::Docked | BikeState::CableLocked) {
                return refuse(
                    Refusal::BikeUnavailable,
                    format!("bike {bike} is {}, not at a station", b.state.as_str()),
                );
            }
            fleet::set_bike_state(c, bike, BikeState::Van, None, ctx.now)?;
            // D28: a rider's pending unlock of this bike starts nothing now.
            fleet::cancel_unlocks(c, Some(bike), None, ctx.now, Refusal::BikeUnavailable)?;
            let from = b.station.map(|s| s.to_string()).unwrap_or_default();
            ctx.audit(
                c,
                s,
                StaffAction::ServiceRelease,
                None,
                &format!("bike {bike} from station {from}"),
                "",
                "",
            )?;
            if let Some(st) = b.station {
                ctx.emit(Event::StationChanged { station: st });
            }
            Ok(())
        })
    }

    /// Depot: dock a van bike at a station.
    pub(super) fn service_dock_by(
        &mut self,
        s: &Staff,
        bike: BikeId,
        station: StationId,
    ) -> Result<()> {
        self.write(|ctx, c| {
            let b = ctx.bike(c, bike)?;
            ctx.station(c, station)?;
            if b.state != BikeState::Van {
                return refuse(
                    Refusal::BikeUnavailable,
                    format!("bike {bike} is {}, not in the van", b.state.as_str()),
                );
            }
            let Some(dock) = fleet::free_dock(c, station)? else {
                return refuse(
                    Refusal::StationFull,
                    format!("station {station} has no free dock"),
                );
            };
            fleet::dock_bike(c, bike, station, dock, ctx.now)?;
            ctx.audit(
                c,
                s,
                StaffAction::ServiceDock,
                None,
                &format!("bike {bike} to station {station} dock {dock}"),
                "",
                "",
            )?;
            ctx.emit(Event::StationChanged { station });
            Ok(())
        })
    }

    /// Depot: the bike goes to the repair depot (from a station or the van).
    pub(super) fn repair_by(&mut self, s: &Staff, bike: BikeId) -> Result<()> {
        self.write(|ctx, c| {
            let b = ctx.bike(c, bike)?;
            if matches!(b.state, BikeState::Rental | BikeState::Repair) {
                return refuse(
                    Refusal::BikeUnavailable,
                    format!("bike {bike} is {}", b.state.as_str()),
                );
            }
            fleet::set_bike_state(c, bike, BikeState::Repair, None, ctx.now)?;
            fleet::set_bike_faulty(c, bike, false)?;
            fleet::cancel_unlocks(c, Some(bike), None, ctx.now, Refusal::BikeUnavailable)?;
            ctx.audit(
                c,
                s,
                StaffAction::ToRepair,
                None,
                &format!("bike {bike}"),
                "",
                b.state.as_str(),
            )?;
            if let Some(st) = b.station {
                ctx.emit(Event::StationChanged { station: st });
            }
            Ok(())
        })
    }

    /// Depot: a free dock of the station goes out of service: `number`, else any free
    /// working one.
    pub(super) fn dock_out_of_service_by(
        &mut self,
        s: &Staff,
        station: StationId,
        number: Option<u32>,
    ) -> Result<u32> {
        self.write(|ctx, c| {
            ctx.station(c, station)?;
            let Some(n) = fleet::dock_out_of_service(c, station, number, ctx.now)? else {
                return refuse(
                    Refusal::Invalid,
                    match number {
                        Some(d) => {
                            format!("dock {d} of station {station} is not a free working dock")
                        }
                        None => format!(
                            "station {station} has no free working dock to take out of service"
                        ),
                    },
                );
            };
            ctx.audit(
                c,
                s,
                StaffAction::DockOutOfService,
                None,
                &format!("station {station} dock {n}"),
                "",
                "",
            )?;
            ctx.emit(Event::StationChanged { station });
            Ok(n)
        })
    }

    /// Depot: an out-of-service dock goes back in service.
    pub(super) fn dock_in_service_by(
        &mut self,
        s: &Staff,
        station: StationId,
        number: Option<u32>,
    ) -> Result<u32> {
        self.write(|ctx, c| {
            let Some(n) = fleet::dock_in_service(c, station, number, ctx.now)? else {
                return refuse(
                    Refusal::NotFound,
                    format!("station {station} has no such dock out of service"),
                );
            };
            ctx.audit(
                c,
                s,
                StaffAction::DockInService,
                None,
                &format!("station {station} dock {n}"),
                "",
                "",
            )?;
            ctx.emit(Event::StationChanged { station });
            Ok(n)
        })
    }
}
