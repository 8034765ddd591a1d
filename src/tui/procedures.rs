//! The procedures behind the dialogs: how each form is prefilled from what the console
//! knows, what its preview says, and the one backend call that does it.

use super::app::App;
use super::dialog::{Done, Field, Form, Proc, Stage, rider_of};
use super::text::{T, fill};
use crate::api::BackendError;
use crate::api::{FineOutcome, PayMethod};
use crate::backend::Backend;
use crate::backend::Ops;
use crate::domain::geo::km;
use crate::domain::tariff::{Concession, FineKind};
use crate::domain::time::{format_local, parse_local};
use crate::domain::{BikeId, RentalId, StationId, Tenge};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tui_input::Input;

/// Build the form for a procedure, prefilled from what the console knows.
pub fn open(app: &App, proc: Proc) -> Form {
    let lang = app.opts.lang;
    let tz = app
        .tariff
        .as_ref()
        .map(|t| t.time_zone)
        .unwrap_or(chrono_tz::Asia::Almaty);
    let rv = app
        .rider
        .as_ref()
        .filter(|p| Some(p.id) == rider_of(proc))
        .and_then(|p| p.view.clone());
    let now = app.now.unwrap_or_else(chrono::Utc::now);
    let mut facts = Vec::new();
    if let Some(v) = &rv {
        facts.push(format!(
            "{} {} · {} {} · {} {}",
            T::Rider.get(lang),
            v.rider.id,
            v.rider.full_name(),
            "",
            T::Balance.get(lang),
            v.rider.balance
        ));
        if let Some(o) = &v.open_rental {
            let from = o
                .rental
                .start_station
                .map(|s| s.to_string())
                .unwrap_or_else(|| "—".into());
            facts.push(fill(
                T::RentalLine.get(lang),
                &[
                    &o.rental.bike,
                    &from,
                    &super::views::duration(o.seconds),
                    &o.live_price,
                ],
            ));
        }
    }
    let mut fields = Vec::new();
    let open = rv.as_ref().and_then(|v| v.open_rental.as_ref());
    match proc {
        Proc::CableLock(_, call_station) => {
            // The call's station, else the full stations nearest the rental's start.
            let reference = call_station
                .or_else(|| open.and_then(|o| o.rental.start_station))
                .and_then(|id| app.station_by_id(id))
                .map(|s| (s.lat, s.lon));
            let mut options: Vec<_> = app
                .stations
                .rows
                .iter()
                .filter(|s| s.active && (s.free_docks == 0 || Some(s.id) == call_station))
                .collect();
            if let Some((lat, lon)) = reference {
                options.sort_by(|a, b| {
                    km((lat, lon), (a.lat, a.lon)).total_cmp(&km((lat, lon), (b.lat, b.lon)))
                });
            }
            if let Some(c) = call_station
                && let Some(i) = options.iter().position(|s| s.id == c)
            {
                let s = options.remove(i);
                options.insert(0, s);
            }
            let mut opts: Vec<(String, String)> = options
                .iter()
                .map(|s| {
                    let w = super::app::StationStatus::of(s).word().get(lang);
                    (s.id.to_string(), format!("{} {} — {w}", s.id, s.name))
                })
                .collect();
            if opts.is_empty() {
                opts.push((String::new(), "—".into()));
            }
            fields.push(Field::Choice {
                key: "station",
                label: T::FieldStation,
                options: opts,
                selected: 0,
            });
        }
        Proc::ManualUnlock(_) => {
            fields.push(Field::text("bike", T::FieldBike, ""));
            fields.push(Field::text(
                "reason",
                T::FieldReason,
                "unlock failed at the dock",
            ));
        }
        Proc::EndRental(_) => {
            let st = open
                .and_then(|o| o.rental.lock_error_station)
                .map(|s| s.to_string())
                .unwrap_or_default();
            let at = open.and_then(|o| o.rental.lock_error_at).unwrap_or(now);
            let at = format_local(tz, at);
            fields.push(Field::text("station", T::FieldStation, st));
            fields.push(Field::text("at", T::FieldAt, at.get(..16).unwrap_or(&at)));
            fields.push(Field::text("reason", T::FieldReason, ""));
        }
        Proc::Fine(_) => {
            let options = FineKind::ALL
                .iter()
                .map(|k| (k.as_str().to_string(), k.as_str().to_string()))
                .collect();
            fields.push(Field::Choice {
                key: "kind",
                label: T::FieldKind,
                options,
                selected: 0,
            });
            let amount = app
                .tariff
                .as_ref()
                .and_then(|t| t.fixed_fine(FineKind::Late))
                .map(|a| a.get().to_string())
                .unwrap_or_default();
            fields.push(Field::text("amount", T::FieldAmount, amount));
            let mut rentals = vec![(String::new(), T::NoRentalChoice.get(lang).to_string())];
            if let Some(v) = &rv {
                if let Some(o) = &v.open_rental {
                    rentals.insert(
                        0,
                        (
                            o.rental.id.to_string(),
                            format!(
                                "{} · {} {}",
                                o.rental.id,
                                T::Bike.get(lang).to_lowercase(),
                                o.rental.bike
                            ),
                        ),
                    );
                }
                for t in v.trips.iter().take(10) {
                    rentals.push((
                        t.id.to_string(),
                        format!(
                            "{} · bike {} · {}",
                            t.id,
                            t.bike,
                            format_local(tz, t.start_at)
                        ),
                    ));
                }
            }
            fields.push(Field::Choice {
                key: "rental",
                label: T::FieldRental,
                options: rentals,
                selected: 0,
            });
            fields.push(Field::text("note", T::FieldNote, ""));
        }
        Proc::Pay(_) => {
            fields.push(Field::text("amount", T::FieldAmount, ""));
            fields.push(Field::Choice {
                key: "method",
                label: T::FieldMethod,
                options: ["cash", "card", "bank"]
                    .iter()
                    .map(|m| (m.to_string(), m.to_string()))
                    .collect(),
                selected: 0,
            });
        }
        Proc::SellPass(_) => {
            let concession = rv
                .as_ref()
                .and_then(|v| v.rider.concession.as_deref())
                .and_then(Concession::parse);
            let options = app
                .tariff
                .as_ref()
                .map(|t| {
                    t.passes
                        .iter()
                        .map(|p| {
                            (
                                p.id.clone(),
                                format!("{} — {}", p.label, t.price_for(p, concession)),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            fields.push(Field::Choice {
                key: "pass",
                label: T::FieldPass,
                options,
                selected: 0,
            });
        }
        Proc::Deposit(_) => {
            let amount = app
                .tariff
                .as_ref()
                .and_then(|t| t.passes.iter().map(|p| p.deposit).max())
                .filter(|d| d.is_positive())
                .map(|d| d.get().to_string())
                .unwrap_or_default();
            fields.push(Field::text("amount", T::FieldAmount, amount));
        }
        Proc::Claim(_) => {
            fields.push(Field::text("amount", T::FieldAmount, ""));
            fields.push(Field::text("reason", T::FieldReason, ""));
        }
        Proc::Block(_) | Proc::Unblock(_) | Proc::Reveal(_) => {
            fields.push(Field::text("reason", T::FieldReason, ""));
        }
        Proc::ResetPin(_) => fields.push(Field::Text {
            key: "pin",
            label: T::FieldPin,
            input: Input::default(),
            secret: true,
        }),
        Proc::Release(_, bike) | Proc::Repair(_, bike) => {
            let b = bike.map(|b| b.to_string()).unwrap_or_default();
            fields.push(Field::text("bike", T::FieldBike, b));
        }
        Proc::ServiceDock(_) => {
            let b = app
                .van
                .first()
                .map(|b| b.id.to_string())
                .unwrap_or_default();
            fields.push(Field::text("bike", T::FieldBike, b));
        }
        Proc::DockIn(_) => fields.push(Field::text("dock", T::FieldDock, "")),
        Proc::VanStop(van, st) => {
            super::views::rebalance::stop_form(app, van, st, &mut facts, &mut fields)
        }
        Proc::Refund(_) | Proc::LostCard(_) | Proc::Approve(_) | Proc::DockOut(_) => {}
    }
    if let Proc::Release(s, _)
    | Proc::ServiceDock(s)
    | Proc::Repair(s, _)
    | Proc::DockOut(s)
    | Proc::DockIn(s) = proc
    {
        let name = app
            .station_by_id(s)
            .map(|x| x.name.clone())
            .unwrap_or_default();
        facts.push(format!("{} {s} {name}", T::Station.get(lang)));
    }
    if let (Proc::Approve(_), Some(v)) = (proc, &rv) {
        for f in v.fines.iter().filter(|f| f.status == "pending") {
            facts.push(format!(
                "{} {} · {} · {}",
                f.kind, f.amount, f.entered_by, f.note
            ));
        }
    }
    let valid_until = app
        .desk
        .as_ref()
        .map(|d| format_local(tz, now + chrono::Duration::seconds(d.cable_auth_valid_s)));
    Form {
        proc,
        fields,
        focus: 0,
        stage: Stage::Edit,
        facts,
        preview: Vec::new(),
        result: Vec::new(),
        error: None,
        seq: 0,
        tz,
        lang,
        rider: rv,
        valid_until,
        clock: app.wall(),
        fine_amounts: FineKind::ALL
            .iter()
            .map(|k| {
                let a = app.tariff.as_ref().and_then(|t| t.fixed_fine(*k));
                (
                    k.as_str().to_string(),
                    a.map(|a| a.get().to_string()).unwrap_or_default(),
                )
            })
            .collect(),
    }
}

type Fut<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// The effect of the procedure, in words, before it is confirmed.
pub fn preview(app: &App, f: &Form) -> Fut<Result<Vec<String>, String>> {
    let lang = app.opts.lang;
    let b = app.backend.clone();
    let balance = f.rider.as_ref().map(|v| v.rider.balance);
    let threshold = app.desk.as_ref().map(|d| d.approval_threshold);
    let mut lines: Vec<String> = Vec::new();
    let after = |delta: i64| -> Option<String> {
        balance.map(|bal| {
            fill(
                T::PreviewBalance.get(lang),
                &[&bal, &Tenge(bal.get() + delta)],
            )
        })
    };
    match f.proc {
        Proc::EndRental(r) => {
            let at = parse_local(f.tz, f.value("at"));
            return Box::pin(async move {
                let at = at.ok_or("bad time")?;
                let q = b.preview_end(r, at).await.map_err(|e| e.to_string())?;
                let mut lines: Vec<String> = q
                    .items
                    .iter()
                    .map(|i| format!("{:<28} {:>10}  {}", i.label, i.amount.to_string(), i.rules))
                    .collect();
                lines.push(fill(T::PreviewTotal.get(lang), &[&q.total]));
                Ok(lines)
            });
        }
        Proc::Fine(_) => {
            let kind = FineKind::parse(f.value("kind"));
            let amount = f
                .num("amount")
                .map(Tenge)
                .or_else(|| kind.and_then(|k| app.tariff.as_ref()?.fixed_fine(k)));
            let Some(amount) = amount else {
                return Box::pin(async move {
                    Err(fill(T::NeedText.get(lang), &[&T::FieldAmount.get(lang)]))
                });
            };
            lines.push(format!("{} {}", f.value("kind"), amount));
            if threshold.is_some_and(|t| amount > t) {
                lines.push(fill(
                    T::PreviewApproval.get(lang),
                    &[&threshold.unwrap_or_default()],
                ));
            } else {
                lines.extend(after(-amount.get()));
                if balance.is_some_and(|b| crate::domain::ledger::restricts(b - amount)) {
                    lines.push(T::PreviewRestrict.get(lang).to_string());
                }
            }
        }
        Proc::Pay(_) | Proc::Claim(_) => {
            let a = f.num("amount").unwrap_or(0);
            lines.push(format!("+{}", Tenge(a)));
            lines.extend(after(a));
        }
        Proc::Deposit(_) => lines.push(format!(
            "{} {}",
            T::Deposit.get(lang),
            Tenge(f.num("amount").unwrap_or(0))
        )),
        Proc::SellPass(_) => {
            let concession = f
                .rider
                .as_ref()
                .and_then(|v| v.rider.concession.as_deref())
                .and_then(Concession::parse);
            if let Some((t, p)) = app
                .tariff
                .as_ref()
                .and_then(|t| t.pass(f.value("pass")).map(|p| (t, p)))
            {
                let price = t.price_for(p, concession);
                lines.push(format!("{} — {price}", p.label));
                let available = f.rider.as_ref().map(|v| v.available);
                if let Some(av) = available {
                    lines.push(format!("{} {av} → {}", T::Available.get(lang), av - price));
                }
            }
        }
        Proc::VanStop(van, st) => {
            return Box::pin(std::future::ready(super::views::rebalance::stop_preview(
                app, f, van, st,
            )));
        }
        Proc::Refund(_) => {
            if let Some(v) = &f.rider {
                lines.push(format!(
                    "{} {} · {} {} · {} {}",
                    T::Balance.get(lang),
                    v.rider.balance,
                    T::Deposit.get(lang),
                    v.rider.deposit,
                    T::Bonus.get(lang),
                    v.rider.bonus
                ));
            }
            lines.push(T::PreviewRefund.get(lang).to_string());
        }
        _ => {
            for fl in &f.fields {
                let v = match fl {
                    Field::Text { secret: true, .. } => "••••".to_string(),
                    Field::Choice {
                        options, selected, ..
                    } => options
                        .get(*selected)
                        .map(|o| o.1.clone())
                        .unwrap_or_default(),
                    other => other.value().to_string(),
                };
                lines.push(format!("{}: {v}", fl.label().get(lang)));
            }
        }
    }
    Box::pin(async move { Ok(lines) })
}

/// Do it: one backend call; the answer in words for the status bar.
pub fn submit(app: &App, f: &Form) -> Fut<Result<Done, BackendError>> {
    let b: Arc<dyn Backend> = app.backend.clone();
    let by = app.opts.staff.clone();
    let tz = f.tz;
    let s = |k: &str| f.value(k).to_string();
    let n = |k: &str| f.num(k);
    let proc = f.proc;
    let lang = app.opts.lang;
    let (reason, bike, station) = (
        s("reason"),
        n("bike").map(BikeId),
        n("station").map(StationId),
    );
    let amount = n("amount").map(Tenge);
    match proc {
        Proc::CableLock(r, _) => Box::pin(async move {
            let st = station.ok_or_else(|| invalid("no station chosen"))?;
            b.as_staff(&by).authorise_cable_lock(r, st).await?;
            Ok(fill(T::DoneCable.get(lang), &[&r, &st]).into())
        }),
        Proc::ManualUnlock(r) => Box::pin(async move {
            let bike = bike.ok_or_else(|| invalid("no bike"))?;
            b.as_staff(&by).manual_unlock(r, bike, &reason).await?;
            Ok(fill(T::DoneUnlock.get(lang), &[&bike, &r]).into())
        }),
        Proc::EndRental(r) => {
            let at = parse_local(tz, f.value("at"));
            Box::pin(async move {
                let at = at.ok_or_else(|| invalid("bad time"))?;
                let st = station.ok_or_else(|| invalid("no station"))?;
                let q = b.as_staff(&by).end_rental(r, st, at, &reason).await?;
                Ok(fill(T::DoneEnd.get(lang), &[&r, &st, &q.total]).into())
            })
        }
        Proc::Fine(r) => {
            let kind = FineKind::parse(f.value("kind"));
            let rental = n("rental").map(RentalId);
            let note = s("note");
            Box::pin(async move {
                let kind = kind.ok_or_else(|| invalid("no fine kind"))?;
                Ok(Done::from(
                    match b.as_staff(&by).fine(r, kind, amount, rental, &note).await? {
                        FineOutcome::Posted { amount, .. } => {
                            fill(T::DoneFine.get(lang), &[&kind, &amount, &r])
                        }
                        FineOutcome::AwaitingApproval { amount, .. } => {
                            fill(T::DoneFineWaits.get(lang), &[&kind, &amount, &r])
                        }
                    },
                ))
            })
        }
        Proc::Pay(r) => {
            let method = PayMethod::parse(f.value("method")).unwrap_or(PayMethod::Cash);
            Box::pin(async move {
                let a = amount.ok_or_else(|| invalid("no amount"))?;
                b.as_staff(&by).pay(r, a, method).await?;
                Ok(fill(T::DonePay.get(lang), &[&a, &method.as_str(), &r]).into())
            })
        }
        Proc::SellPass(r) => {
            let pass = s("pass");
            Box::pin(async move {
                let p = b.as_staff(&by).buy(r, &pass).await?;
                Ok(fill(T::DonePass.get(lang), &[&p.label, &r, &p.price]).into())
            })
        }
        Proc::Deposit(r) => Box::pin(async move {
            let a = amount.ok_or_else(|| invalid("no amount"))?;
            b.as_staff(&by).hold_deposit(r, a).await?;
            Ok(fill(T::DoneDeposit.get(lang), &[&a, &r]).into())
        }),
        Proc::Refund(r) => Box::pin(async move {
            let paid = b.as_staff(&by).refund(r).await?;
            Ok(fill(T::DoneRefund.get(lang), &[&r, &paid]).into())
        }),
        Proc::Claim(r) => Box::pin(async move {
            let a = amount.ok_or_else(|| invalid("no amount"))?;
            b.as_staff(&by).credit_claim(r, a, &reason).await?;
            Ok(fill(T::DoneClaim.get(lang), &[&a, &r]).into())
        }),
        Proc::Block(r) => Box::pin(async move {
            b.as_staff(&by).block(r, &reason).await?;
            Ok(fill(T::DoneBlock.get(lang), &[&r]).into())
        }),
        Proc::Unblock(r) => Box::pin(async move {
            b.as_staff(&by).unblock(r, &reason).await?;
            Ok(fill(T::DoneUnblock.get(lang), &[&r]).into())
        }),
        Proc::ResetPin(r) => {
            let pin = s("pin");
            Box::pin(async move {
                b.as_staff(&by).reset_pin(r, &pin).await?;
                Ok(fill(T::DonePin.get(lang), &[&r]).into())
            })
        }
        Proc::LostCard(r) => Box::pin(async move {
            b.as_staff(&by).block_lost_card(r).await?;
            Ok(fill(T::DoneCard.get(lang), &[&r]).into())
        }),
        Proc::Reveal(r) => Box::pin(async move {
            // The revealed data comes back through the rider page (see `App`).
            let v = b.as_staff(&by).reveal_rider(r, &reason).await?;
            let p = crate::api::Personal::of(&v.rider);
            Ok(Done {
                text: fill(T::DoneReveal.get(lang), &[&r]),
                personal: Some(p),
            })
        }),
        Proc::Approve(r) => Box::pin(async move {
            Ok(Done::from(match b.as_staff(&by).approve_fine(r).await? {
                FineOutcome::Posted { amount, .. }
                | FineOutcome::AwaitingApproval { amount, .. } => {
                    fill(T::DoneApprove.get(lang), &[&amount, &r])
                }
            }))
        }),
        Proc::Release(_, _) => Box::pin(async move {
            let bike = bike.ok_or_else(|| invalid("no bike"))?;
            b.as_staff(&by).service_release(bike).await?;
            Ok(fill(T::DoneRelease.get(lang), &[&bike]).into())
        }),
        Proc::ServiceDock(st) => Box::pin(async move {
            let bike = bike.ok_or_else(|| invalid("no bike"))?;
            b.as_staff(&by).service_dock(bike, st).await?;
            Ok(fill(T::DoneDock.get(lang), &[&bike, &st]).into())
        }),
        Proc::Repair(_, _) => Box::pin(async move {
            let bike = bike.ok_or_else(|| invalid("no bike"))?;
            b.as_staff(&by).to_repair(bike).await?;
            Ok(fill(T::DoneRepair.get(lang), &[&bike]).into())
        }),
        Proc::VanStop(van, st) => {
            let stop = super::views::rebalance::stop_request(f, van, st);
            Box::pin(async move {
                let stop = stop.ok_or_else(|| invalid("bike numbers separated by spaces"))?;
                let d = b.as_staff(&by).van_stop(&stop).await?;
                Ok(fill(
                    T::DoneStop.get(lang),
                    &[&d.van, &d.station, &d.taken, &d.left, &d.repaired, &d.load],
                )
                .into())
            })
        }
        Proc::DockOut(st) => Box::pin(async move {
            let d = b.as_staff(&by).dock_out_of_service(st).await?;
            Ok(fill(T::DoneDockOut.get(lang), &[&d, &st]).into())
        }),
        Proc::DockIn(st) => {
            let dock = n("dock").and_then(|d| u32::try_from(d).ok());
            Box::pin(async move {
                let k = b.as_staff(&by).dock_in_service(st, dock).await?;
                Ok(fill(T::DoneDockIn.get(lang), &[&k, &st]).into())
            })
        }
    }
}

fn invalid(message: &str) -> BackendError {
    BackendError::Refused {
        kind: crate::domain::Refusal::Invalid,
        message: message.into(),
    }
}
