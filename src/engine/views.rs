//! Read models for the console, the scenario expectations and the API: a rider's account
//! view, a station view, the alerts, the audit.

use super::settling::{price_rental, rental_overdue_from};
use super::{Engine, Result, refuse};
use crate::api::Mismatch;
use crate::api::RiderHit;
use crate::api::{Alert, AlertKind, DeskInfo, OpenRental, RiderView, StationView};
use crate::api::{AuditFilter, AuditRecord, Message};
use crate::api::{Bike, Rental, StationCounts};
use crate::domain::pricing::Quote;
use crate::domain::rental::{DockOutcome, PIN_WINDOW};
use crate::domain::roles::{StaffAction, allows};
use crate::domain::rules::RestrictionSource;
use crate::domain::{BikeId, Refusal, RiderId, StationId, Tenge};
use crate::store::audit;
use crate::store::fleet;
use crate::store::ledger as sl;
use crate::store::passes;
use crate::store::people;

impl Engine {
    pub fn rider_view(&mut self, id: RiderId) -> Result<RiderView> {
        self.read(|ctx, c| {
            let Some(rider) = people::rider(c, id)? else {
                return refuse(Refusal::NotFound, format!("no rider {id}"));
            };
            let all = passes::passes_of(c, id)?;
            let pass = all.iter().find(|p| p.valid_at(ctx.now)).cloned();
            let account = sl::account(c, id)?;
            let open_rental = match fleet::open_rental_of_rider(c, id)? {
                Some(r) => {
                    let seconds = (ctx.now - r.start_at).num_seconds().max(0);
                    let live_price = price_rental(ctx.tariff, c, &r, ctx.now)
                        .map(|q| q.total)
                        .unwrap_or(Tenge::ZERO);
                    let overdue =
                        r.overdue_at.is_some() || ctx.now > rental_overdue_from(ctx.tariff, c, &r)?;
                    Some(OpenRental {
                        overdue,
                        rental: r,
                        seconds,
                        live_price,
                    })
                }
                None => None,
            };
            let lifts_with = (rider.restricted
                && rider.restriction != Some(RestrictionSource::Hand))
            .then(|| {
                let fee = all.first().map(|p| p.price).unwrap_or(Tenge::ZERO);
                crate::domain::ledger::money_to_lift(&account, fee)
            });
            Ok(RiderView {
                lifts_with,
                pin_locked_until: rider.pin_tries.locked_until(ctx.now),
                available: account.available(),
                debt: account.debt(),
                pending: sl::pending_accruals(c, id)?,
                pass,
                passes: all,
                open_rental,
                trips: fleet::rentals_of_rider(c, id, 100)?,
                trip_count: fleet::trip_count(c, id)?,
                ledger: sl::entries(c, id)?,
                fines: passes::fines_of(c, id)?,
                messages: audit::messages(c, id, 100)?,
                notes: crate::store::desk::notes_of(c, crate::api::NoteAbout::Rider(id), 50)?,
                contacts: crate::store::desk::contacts_of(c, id, 50)?,
                cases: Engine::rider_cases(ctx, c, id)?,
                rider,
            })
        })
    }

    pub fn search_riders(&mut self, query: &str, limit: usize) -> Result<Vec<RiderHit>> {
        self.search_riders_as(None, query, limit)
    }

    /// Riders found for `staff` (`None`: the system's owner in-process). A role that may
    /// not see personal data finds a rider by a whole phone number only: first digits,
    /// tried one more at a time, would spell out a number that its answers mask.
    pub fn search_riders_as(
        &mut self,
        staff: Option<&str>,
        query: &str,
        limit: usize,
    ) -> Result<Vec<RiderHit>> {
        self.read(|_, c| {
            let phones = match staff {
                Some(name) => match people::staff(c, name)? {
                    Some(s) if allows(s.role, StaffAction::RevealPersonalData) => {
                        people::PhoneMatch::Prefix
                    }
                    _ => people::PhoneMatch::Whole,
                },
                None => people::PhoneMatch::Prefix,
            };
            Ok(people::search_matching(c, query, limit, phones)?)
        })
    }

    pub fn stations(&mut self) -> Result<Vec<StationCounts>> {
        self.read(|_, c| Ok(fleet::stations(c)?))
    }

    pub fn station_view(&mut self, id: StationId) -> Result<StationView> {
        self.read(|ctx, c| {
            Ok(StationView {
                station: ctx.station(c, id)?,
                docks: fleet::docks(c, id)?,
                bikes: fleet::bikes_at(c, id)?,
                notes: crate::store::desk::notes_at_station(c, id, 50)?,
            })
        })
    }

    pub fn bike(&mut self, id: BikeId) -> Result<Bike> {
        self.read(|ctx, c| {
            let mut b = ctx.bike(c, id)?;
            b.notes = crate::store::desk::notes_of(c, crate::api::NoteAbout::Bike(id), 20)?;
            Ok(b)
        })
    }

    /// The bikes in the van or in repair (the depot's view).
    pub fn bikes_in(&mut self, state: crate::api::BikeState, limit: usize) -> Result<Vec<Bike>> {
        self.read(|_, c| {
            let mut bikes = fleet::bikes_in_state(c, state, limit)?;
            for b in &mut bikes {
                b.notes = crate::store::desk::notes_of(c, crate::api::NoteAbout::Bike(b.id), 20)?;
            }
            Ok(bikes)
        })
    }

    /// Every open rental, oldest first.
    pub fn open_rentals(&mut self) -> Result<Vec<Rental>> {
        self.read(|_, c| Ok(fleet::open_rentals(c)?))
    }

    /// The fleet invariants, one store query each (`velodesk check`).
    pub fn verify_fleet(&mut self) -> Result<Vec<crate::api::FleetProblem>> {
        self.read(|_, c| Ok(crate::store::fleet_check::verify(c)?))
    }

    /// Alerts: overdue rentals, lock errors, cable-lock calls, empty and full stations,
    /// restricted riders in debt, fines waiting for approval.
    /// What needs an operator now, each with who took it ([`crate::api::Op::TakeAlert`]).
    pub fn alerts(&mut self) -> Result<Vec<Alert>> {
        self.read(|ctx, c| {
            let mut out = Vec::new();
            let about = |kind, text: String, rider, station, since| Alert {
                rider,
                station,
                since,
                ..Alert::new(kind, text)
            };
            for r in fleet::open_rentals(c)? {
                let from = rental_overdue_from(ctx.tariff, c, &r)?;
                if ctx.now > from {
                    let text = format!(
                        "bike {} out {} h with rider {}, overdue since {} (R15, D20)",
                        r.bike,
                        (ctx.now - r.start_at).num_hours(),
                        r.rider,
                        ctx.local(from)
                    );
                    out.push(Alert {
                        bike: Some(r.bike),
                        ..about(AlertKind::Overdue, text, Some(r.rider), None, Some(from))
                    });
                }
                if let (Some(at), Some(st)) = (r.lock_error_at, r.lock_error_station) {
                    let kind = match r.lock_error_kind {
                        Some(DockOutcome::Unrecognised) => AlertKind::Unrecognised,
                        _ => AlertKind::LockError,
                    };
                    let text = format!(
                        "{}: bike {} at station {st}, rider {} still charged (R12)",
                        kind.as_str().replace('-', " "),
                        r.bike,
                        r.rider
                    );
                    out.push(Alert {
                        bike: Some(r.bike),
                        ..about(kind, text, Some(r.rider), Some(st), Some(at))
                    });
                }
            }
            out.extend(super::dispute::faulty_dock_alerts(ctx, c)?);
            // A call ends when its rental does: only calls of a rental still open wait.
            for (rider, station, at) in fleet::waiting_cable_calls(c)? {
                let text =
                    format!("rider {rider} waits for a cable lock at station {station} (R14)");
                out.push(about(
                    AlertKind::CableLockCall,
                    text,
                    Some(rider),
                    Some(station),
                    Some(at),
                ));
            }
            for s in fleet::stations(c)? {
                if !s.active {
                    continue;
                }
                let (kind, text) = if s.bikes == 0 {
                    (
                        AlertKind::EmptyStation,
                        format!("station {} {} is EMPTY", s.id, s.name),
                    )
                } else if s.free_docks == 0 {
                    (
                        AlertKind::FullStation,
                        format!("station {} {} is FULL", s.id, s.name),
                    )
                } else {
                    continue;
                };
                out.push(about(kind, text, None, Some(s.id), Some(s.updated_at)));
            }
            for (rider, balance) in people::restricted_in_debt(c, 200)? {
                let text = format!("rider {rider} restricted with balance {balance} (R18)");
                out.push(Alert {
                    amount: Some(balance),
                    ..about(AlertKind::RestrictedInDebt, text, Some(rider), None, None)
                });
            }
            for (rider, until) in people::pin_locked(c, ctx.now)? {
                let text = format!(
                    "rider {rider}: too many wrong PINs, unlocks refused until {} (D29)",
                    ctx.local(until)
                );
                out.push(Alert {
                    until: Some(until),
                    ..about(
                        AlertKind::PinLocked,
                        text,
                        Some(rider),
                        None,
                        Some(until - PIN_WINDOW),
                    )
                });
            }
            for (rider, f) in sl::posting_failures(c)? {
                let text = format!(
                    "rider {rider} was not posted at {}: {} (D31)",
                    ctx.local(f.midnight),
                    f.error
                );
                out.push(about(
                    AlertKind::PostingFailed,
                    text,
                    Some(rider),
                    None,
                    Some(f.since),
                ));
            }
            for f in passes::pending_fines(c, 200)? {
                let text = format!(
                    "{} fine {} for rider {} entered by {} waits for approval (D14)",
                    f.kind, f.amount, f.rider, f.entered_by
                );
                out.push(Alert {
                    amount: Some(f.amount),
                    ..about(
                        AlertKind::FineApproval,
                        text,
                        Some(f.rider),
                        None,
                        Some(f.entered_at),
                    )
                });
            }
            let taken = audit::alerts_taken(c)?;
            for a in &mut out {
                a.taken = taken
                    .iter()
                    .find(|t| {
                        t.kind == a.kind.as_str()
                            && t.rider == a.rider
                            && t.station == a.station
                            && a.since.is_none_or(|since| t.at >= since)
                    })
                    .map(|t| (t.staff.clone(), t.at));
            }
            Ok(out)
        })
    }

    pub fn audit_log(&mut self, filter: &AuditFilter) -> Result<Vec<AuditRecord>> {
        self.read(|_, c| Ok(audit::list(c, filter)?))
    }

    /// D9: every balance re-verified from the entries alone.
    pub fn verify(&mut self) -> Result<Vec<Mismatch>> {
        self.read(|_, c| Ok(sl::verify(c)?))
    }

    /// Price a trip without riding it (the `quote` command, previews).
    pub fn quote(&self, pass: &str, seconds: i64) -> Result<Quote> {
        let t = self.tariff();
        let Some(def) = t.pass(pass) else {
            return refuse(Refusal::Invalid, format!("no pass {pass:?}"));
        };
        Ok(quote_trip(t, def, seconds))
    }

    pub fn events_after(&mut self, after: i64, limit: usize) -> Result<Vec<(i64, String, String)>> {
        self.read(|_, c| Ok(audit::events_after(c, after, limit)?))
    }
}

/// Price a trip of `seconds` on `pass` bought at the trip's start (the `quote` command):
/// the domain's [`crate::domain::settle::price_single`], a chain of one.
pub use crate::domain::settle::price_single as quote_trip;

impl Engine {
    /// A staff member's role (the console offers only what it allows).
    pub fn staff_role(&mut self, name: &str) -> Result<crate::domain::roles::Role> {
        self.read(|_, c| match people::staff(c, name)? {
            Some(s) if !s.disabled => Ok(s.role),
            Some(_) => refuse(
                Refusal::Forbidden,
                format!("staff member {name} is disabled"),
            ),
            None => refuse(Refusal::NotFound, format!("no staff member {name:?}")),
        })
    }

    /// The audit log, for those whose role may read it.
    pub fn audit_as(&mut self, by: &str, filter: &AuditFilter) -> Result<Vec<AuditRecord>> {
        self.read(|ctx, c| {
            ctx.authorise(c, by, crate::domain::roles::StaffAction::ViewAudit)?;
            Ok(audit::list(c, filter)?)
        })
    }
}

/// Delivers outbox messages (R27): SMS gateway, push service. The default records only.
pub trait MessageSender: Send {
    /// Hand one message over; an error leaves it in the outbox for the next try.
    fn deliver(&mut self, message: &Message) -> std::result::Result<(), String>;
}

impl Engine {
    /// Hand undelivered messages to `sender`, marking each one delivered. Returns how many.
    pub fn deliver_outbox(
        &mut self,
        sender: &mut dyn MessageSender,
        limit: usize,
    ) -> Result<usize> {
        let pending = self.read(|_, c| Ok(audit::undelivered(c, limit)?))?;
        let mut n = 0;
        for m in pending {
            if sender.deliver(&m).is_err() {
                break;
            }
            self.write(|ctx, c| Ok(audit::mark_sent(c, m.id, ctx.now)?))?;
            n += 1;
        }
        Ok(n)
    }
}

impl Engine {
    pub fn desk_info(&mut self) -> Result<DeskInfo> {
        let current = self.tariff().effective_from;
        let sources = self.read(|_, c| Ok(crate::store::tariffs(c)?))?;
        let (tariff_file, tariff_source) = sources
            .into_iter()
            .rev()
            .find(|(name, src)| {
                crate::domain::tariff::Tariff::parse(name, src)
                    .is_ok_and(|t| t.effective_from == current)
            })
            .ok_or_else(|| super::EngineError::Conflict("no tariff in force".into()))?;
        Ok(DeskInfo {
            tariff_file,
            tariff_source,
            approval_threshold: self
                .settings()
                .approval_threshold
                .unwrap_or(self.tariff().fines.approval_threshold),
            cable_auth_valid_s: self.settings().cable_auth_valid_s,
        })
    }
}
