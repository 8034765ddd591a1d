//! Staff operations on riders and the fleet (docs/rules.md §5): block/unblock, PIN, lost card,
//! manual restriction, depot moves, docks; and setting up a system (stations, bikes,
//! riders, staff).

use super::{Engine, Event, Result, refuse};
use crate::api::NewRider;
use crate::api::{BikeState, NewStation};
use crate::domain::messages::Notice;
use crate::domain::roles::{Role, StaffAction};
use crate::domain::rules::RestrictionSource;
use crate::domain::{BikeId, Refusal, RiderId, StationId};
use crate::store::fleet;
use crate::store::people;
use crate::store::people::Staff;

/// A rider's PIN has this many digits (the bike's keypad, R10; D29 counts its wrong tries).
pub const PIN_DIGITS: usize = 4;

/// A note on a rider is at most this long (characters).
pub const NOTE_MAX_CHARS: usize = 2000;

impl Engine {
    /// A note on a rider by a staff member: kept in the audit log, shown in the rider view.
    pub(super) fn note_by(&mut self, s: &Staff, rider: RiderId, text: &str) -> Result<()> {
        let text = text.trim();
        if text.is_empty() {
            return refuse(Refusal::Invalid, "a note needs words");
        }
        if text.chars().count() > NOTE_MAX_CHARS {
            return refuse(
                Refusal::Invalid,
                format!("a note is at most {NOTE_MAX_CHARS} characters"),
            );
        }
        self.write(|ctx, c| {
            ctx.rider(c, rider)?;
            ctx.audit(c, s, StaffAction::AddNote, Some(rider), "", text, "")?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(())
        })
    }

    /// "I am on it": the alert of `kind` about `rider` and `station`, taken by `by` (audited,
    /// shown with their name in every console's alert list). Refused when the alert is not
    /// there now, or someone else has it already.
    pub(super) fn take_alert_by(
        &mut self,
        s: &Staff,
        kind: crate::api::AlertKind,
        rider: Option<RiderId>,
        station: Option<StationId>,
    ) -> Result<()> {
        let current = self.alerts()?;
        let Some(alert) = current
            .iter()
            .find(|a| a.kind == kind && a.rider == rider && a.station == station)
        else {
            return refuse(
                Refusal::NotFound,
                format!("there is no {kind} alert to take (it may have ended)"),
            );
        };
        if let Some((who, _)) = &alert.taken
            && *who != s.name
        {
            return Err(super::EngineError::Conflict(format!(
                "{who} has taken this {kind} alert already"
            )));
        }
        self.write(|ctx, c| {
            let details = station.map(|s| s.to_string()).unwrap_or_default();
            crate::store::audit::record(
                c,
                ctx.now,
                &ctx.local(ctx.now),
                &s.name,
                s.role.as_str(),
                StaffAction::TakeAlert.as_str(),
                rider,
                kind.as_str(),
                "",
                &details,
            )?;
            ctx.emit(Event::Alert {
                kind,
                text: format!("{} took the {kind} alert", s.name),
                rider,
                station,
            });
            Ok(())
        })
    }

    /// Block access (R24, D17), with a reason.
    pub(super) fn block_by(&mut self, s: &Staff, rider: RiderId, reason: &str) -> Result<()> {
        self.write(|ctx, c| {
            if reason.trim().is_empty() {
                return refuse(Refusal::Invalid, "blocking needs a reason");
            }
            ctx.rider(c, rider)?;
            people::set_blocked(c, rider, Some(reason))?;
            // D28: a pending unlock of the rider starts nothing now.
            fleet::cancel_unlocks(c, None, Some(rider), ctx.now, Refusal::Restricted)?;
            ctx.audit(c, s, StaffAction::Block, Some(rider), "", reason, "")?;
            ctx.notify(
                c,
                rider,
                Notice::Blocked {
                    reason: reason.to_string(),
                },
            )?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(())
        })
    }

    pub(super) fn unblock_by(&mut self, s: &Staff, rider: RiderId, reason: &str) -> Result<()> {
        self.write(|ctx, c| {
            let r = ctx.rider(c, rider)?;
            if r.blocked_reason.is_none() {
                return refuse(Refusal::Invalid, format!("rider {rider} is not blocked"));
            }
            people::set_blocked(c, rider, None)?;
            ctx.audit(
                c,
                s,
                StaffAction::Unblock,
                Some(rider),
                "",
                reason,
                &format!("was: {}", r.blocked_reason.unwrap_or_default()),
            )?;
            ctx.notify(c, rider, Notice::Unblocked)?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(())
        })
    }

    /// D12: a supervisor imposes (`Some(reason)`) or lifts (`None`) a restriction by hand.
    pub(super) fn set_restriction_by(
        &mut self,
        s: &Staff,
        rider: RiderId,
        reason: Option<&str>,
        note: &str,
    ) -> Result<()> {
        self.write(|ctx, c| {
            if note.trim().is_empty() {
                return refuse(
                    Refusal::Invalid,
                    "a restriction changed by hand needs a reason",
                );
            }
            ctx.rider(c, rider)?;
            let stored = reason.map(|r| format!("by {}: {r}", s.name));
            people::set_restricted(
                c,
                rider,
                stored.as_deref().map(|r| (RestrictionSource::Hand, r)),
            )?;
            if reason.is_some() {
                // D28: a pending unlock of the rider starts nothing now.
                fleet::cancel_unlocks(c, None, Some(rider), ctx.now, Refusal::Restricted)?;
            }
            ctx.audit(
                c,
                s,
                StaffAction::SetRestriction,
                Some(rider),
                if reason.is_some() { "impose" } else { "lift" },
                note,
                "",
            )?;
            ctx.notify(
                c,
                rider,
                match reason {
                    Some(_) => Notice::Restricted {
                        balance: crate::store::ledger::account(c, rider)?.balance,
                    },
                    None => Notice::RestrictionLifted,
                },
            )?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(())
        })
    }

    pub(super) fn reset_pin_by(&mut self, s: &Staff, rider: RiderId, new_pin: &str) -> Result<()> {
        self.write(|ctx, c| {
            if new_pin.len() != PIN_DIGITS || !new_pin.chars().all(|ch| ch.is_ascii_digit()) {
                return refuse(
                    Refusal::Invalid,
                    format!("a PIN is {PIN_DIGITS} digits, as the bike's keypad takes it (R10)"),
                );
            }
            let r = ctx.rider(c, rider)?;
            people::set_pin(c, rider, new_pin)?;
            // D29: a PIN reset clears the count of wrong ones.
            super::rentals::clear_wrong_pins(c, &r)?;
            ctx.audit(c, s, StaffAction::ResetPin, Some(rider), "", "", "")?;
            ctx.notify(c, rider, Notice::PinReset)?;
            Ok(())
        })
    }

    /// R24: a lost card is blocked; access continues by ID.
    pub(super) fn block_lost_card_by(&mut self, s: &Staff, rider: RiderId) -> Result<()> {
        self.write(|ctx, c| {
            let r = ctx.rider(c, rider)?;
            if r.card.is_none() {
                return refuse(Refusal::Invalid, format!("rider {rider} has no card"));
            }
            if r.card_blocked {
                return refuse(
                    Refusal::Invalid,
                    format!("rider {rider}'s card is blocked already"),
                );
            }
            people::set_card_blocked(c, rider)?;
            ctx.audit(
                c,
                s,
                StaffAction::BlockLostCard,
                Some(rider),
                r.card.as_deref().unwrap_or(""),
                "card lost",
                "",
            )?;
            ctx.notify(c, rider, Notice::CardBlocked)?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(())
        })
    }

    /// Depot: take a docked or cable-locked bike out without a rental, into the van.
    pub(super) fn service_release_by(&mut self, s: &Staff, bike: BikeId) -> Result<()> {
        self.write(|ctx, c| {
            let Some(b) = fleet::bike(c, bike)? else {
                return refuse(Refusal::NotFound, format!("no bike {bike}"));
            };
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
            let Some(b) = fleet::bike(c, bike)? else {
                return refuse(Refusal::NotFound, format!("no bike {bike}"));
            };
            if fleet::station(c, station)?.is_none() {
                return refuse(Refusal::NotFound, format!("no station {station}"));
            }
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
            let Some(b) = fleet::bike(c, bike)? else {
                return refuse(Refusal::NotFound, format!("no bike {bike}"));
            };
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
            if fleet::station(c, station)?.is_none() {
                return refuse(Refusal::NotFound, format!("no station {station}"));
            }
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

    // --- setting up a system ---

    pub fn add_station(&mut self, s: &NewStation) -> Result<()> {
        self.write(|ctx, c| {
            if s.docks > 500 {
                return refuse(
                    Refusal::Invalid,
                    format!("station {}: {} docks is not plausible", s.id, s.docks),
                );
            }
            if let Some(why) = station_problem(s) {
                return refuse(Refusal::Invalid, format!("station {}: {why}", s.id));
            }
            fleet::upsert_station(c, s, ctx.now)?;
            ctx.emit(Event::StationChanged { station: s.id });
            Ok(())
        })
    }

    /// A new bike, docked at `station` (takes a free dock) or in the van.
    pub fn add_bike(&mut self, bike: BikeId, station: Option<StationId>) -> Result<()> {
        self.write(|ctx, c| {
            if fleet::bike(c, bike)?.is_some() {
                return refuse(Refusal::Invalid, format!("bike {bike} exists already"));
            }
            fleet::insert_bike(c, bike, ctx.now)?;
            if let Some(st) = station {
                if fleet::station(c, st)?.is_none() {
                    return refuse(Refusal::NotFound, format!("no station {st}"));
                }
                let Some(dock) = fleet::free_dock(c, st)? else {
                    return refuse(
                        Refusal::StationFull,
                        format!("station {st} has no free dock for bike {bike}"),
                    );
                };
                fleet::dock_bike(c, bike, st, dock, ctx.now)?;
                ctx.emit(Event::StationChanged { station: st });
            }
            Ok(())
        })
    }

    pub fn add_rider(&mut self, r: &NewRider) -> Result<RiderId> {
        self.write(|ctx, c| {
            if let Some(id) = r.id
                && people::rider(c, id)?.is_some()
            {
                return refuse(Refusal::Invalid, format!("rider {id} exists already"));
            }
            if !matches!(r.lang.as_str(), "kk" | "ru" | "en") {
                return refuse(
                    Refusal::Invalid,
                    format!("language {:?}: use kk, ru or en", r.lang),
                );
            }
            Ok(people::insert_rider(c, r, ctx.now)?)
        })
    }

    pub fn add_staff(&mut self, name: &str, role: Role, password_hash: Option<&str>) -> Result<()> {
        self.write(|ctx, c| {
            if let Some(why) = staff_name_problem(name) {
                return refuse(Refusal::Invalid, why);
            }
            people::insert_staff(c, name, role, password_hash, ctx.now)?;
            Ok(())
        })
    }
}

/// The longest staff name.
pub const STAFF_NAME_MAX: usize = 64;
/// The largest station code.
pub const STATION_ID_MAX: i64 = 999_999_999;

/// Why `name` cannot be a staff member's: 1 to 64 ASCII letters, digits, `.`, `_` or `-`
/// (a login name typed at any keyboard: no spaces, no look-alike or invisible characters
/// such as a zero-width space).
pub fn staff_name_problem(name: &str) -> Option<String> {
    let n = name.chars().count();
    if n == 0 || n > STAFF_NAME_MAX {
        let shown: String = name.chars().take(20).collect();
        return Some(format!(
            "staff name {shown:?}{}: 1 to {STAFF_NAME_MAX} characters, not {n}",
            if n > 20 { "…" } else { "" }
        ));
    }
    name.chars()
        .find(|ch| !(ch.is_ascii_alphanumeric() || matches!(ch, '.' | '_' | '-')))
        .map(|ch| {
            format!(
                "staff name {name:?}: character {:?} (U+{:04X}) is not allowed; use the letters a-z and A-Z, digits, '.', '_' or '-'",
                ch, ch as u32
            )
        })
}

/// Why a station cannot be stored as given, if it cannot.
fn station_problem(s: &NewStation) -> Option<String> {
    let text = |what: &str, v: &str, max: usize| -> Option<String> {
        let n = v.chars().count();
        if n > max {
            Some(format!("{what}: at most {max} characters, not {n}"))
        } else if v.chars().any(char::is_control) {
            Some(format!("{what}: no control characters"))
        } else {
            None
        }
    };
    if !(1..=STATION_ID_MAX).contains(&s.id.0) {
        return Some(format!("the code must be from 1 to {STATION_ID_MAX}"));
    }
    if s.name.trim().is_empty() {
        return Some("name: must not be empty".into());
    }
    if !(s.lat.is_finite() && (-90.0..=90.0).contains(&s.lat)) {
        return Some(format!("lat: {} is not a latitude (-90 to 90)", s.lat));
    }
    if !(s.lon.is_finite() && (-180.0..=180.0).contains(&s.lon)) {
        return Some(format!("lon: {} is not a longitude (-180 to 180)", s.lon));
    }
    text("name", &s.name, 200)
        .or_else(|| text("name_kk", s.name_kk.as_deref().unwrap_or(""), 200))
        .or_else(|| text("name_en", s.name_en.as_deref().unwrap_or(""), 200))
        .or_else(|| text("address", &s.address, 500))
}
