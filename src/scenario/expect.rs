//! Scenario `expect` lines: what must be true, read through the backend's lookups (rider,
//! station, bike, ledger verification) and compared as the words of the line.

use super::run::{Run, Step, Stop, int, keyword, no_more, system, want};
use crate::api::BikeState;
use crate::domain::tariff::FineKind;

fn check(what: &str, expected: String, got: String) -> Step {
    if expected == got {
        Ok(())
    } else {
        Err(Stop::Failed(format!(
            "expected {what} {expected}, got {got}"
        )))
    }
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

impl Run<'_> {
    pub(super) async fn expect(&self, w: &[String]) -> Step {
        let subject = want(w, 1, "what to expect")?;
        let b = self.backend()?;
        match subject {
            "ledger" => {
                keyword(w, 2, "balanced")?;
                no_more(w, 3)?;
                let m = b.verify().await.map_err(system)?;
                match m.first() {
                    None => Ok(()),
                    Some(x) => Err(Stop::Failed(format!(
                        "expected ledger balanced, got rider {} {} {} cached but {} from the entries",
                        x.rider, x.what, x.cached.0, x.from_entries.0
                    ))),
                }
            }
            "station" if w.get(3).is_some_and(|x| x == "notes") => {
                self.expect_station_notes(w).await
            }
            "station" => {
                let st = self.station(want(w, 2, "a station")?)?;
                let what = want(w, 3, "bikes|free|cable-locked")?;
                let n = int(want(w, 4, "a number")?, "count")?;
                no_more(w, 5)?;
                let v = b.station(st).await.map_err(system)?.station;
                let got = match what {
                    "bikes" => v.bikes,
                    "free" => v.free_docks,
                    "cable-locked" => v.cable_locked,
                    x => return Err(format!("{x:?}: bikes, free or cable-locked").into()),
                };
                check(
                    &format!("station {st} {what}"),
                    n.to_string(),
                    got.to_string(),
                )
            }
            "bike" => {
                let bike = self.bike(want(w, 2, "a bike")?)?;
                keyword(w, 3, "at")?;
                let place = want(w, 4, "STATION|rental|van|repair")?.to_string();
                no_more(w, 5)?;
                if !matches!(place.as_str(), "rental" | "van" | "repair") {
                    self.station(&place)?;
                }
                let bk = b.bike(bike).await.map_err(system)?;
                let got = match bk.state {
                    BikeState::Docked | BikeState::CableLocked => {
                        bk.station.map(|s| s.to_string()).unwrap_or_default()
                    }
                    other => other.as_str().to_string(),
                };
                check(&format!("bike {bike} at"), place, got)
            }
            _ => match self.expect_desk(subject, w).await {
                Some(step) => step,
                None => self.expect_rider(subject, w).await,
            },
        }
    }

    /// `expect RIDER WHAT VALUE [AMOUNT]`.
    async fn expect_rider(&self, subject: &str, w: &[String]) -> Step {
        let rider = self.rider(subject)?;
        let what = want(w, 2, "what to expect of the rider")?;
        let value = want(w, 3, "a value")?.to_string();
        let tail = w.get(4);
        let view = self.backend()?.rider(rider).await.map_err(system)?;
        let amount = |v: &str| int(v, "amount").map(|n| n.to_string());
        let label = format!("rider {rider} {what}");
        match what {
            "balance" => {
                no_more(w, 4)?;
                check(&label, amount(&value)?, view.rider.balance.0.to_string())
            }
            "accrued" => {
                no_more(w, 4)?;
                check(&label, amount(&value)?, view.rider.accrued.0.to_string())
            }
            "bonus" => {
                no_more(w, 4)?;
                check(&label, amount(&value)?, view.rider.bonus.0.to_string())
            }
            "deposit" => {
                no_more(w, 4)?;
                check(&label, amount(&value)?, view.rider.deposit.0.to_string())
            }
            "trips" => {
                no_more(w, 4)?;
                check(&label, amount(&value)?, view.trip_count.to_string())
            }
            "restriction" => {
                no_more(w, 4)?;
                if !matches!(value.as_str(), "none" | "system" | "hand") {
                    return Err(format!("{value:?}: none, system or hand").into());
                }
                let got = match view.rider.restriction {
                    _ if !view.rider.restricted => "none",
                    Some(source) => source.as_str(),
                    None => "system",
                };
                check(&label, value, got.to_string())
            }
            "blocked" | "pin-locked" => {
                no_more(w, 4)?;
                if !matches!(value.as_str(), "yes" | "no") {
                    return Err(format!("{value:?}: yes or no").into());
                }
                let got = if what == "blocked" {
                    view.rider.blocked_reason.is_some()
                } else {
                    view.pin_locked_until.is_some()
                };
                check(&label, value, yes_no(got))
            }
            "card" => {
                no_more(w, 4)?;
                if !matches!(value.as_str(), "active" | "blocked" | "none") {
                    return Err(format!("{value:?}: active, blocked or none").into());
                }
                let got = match (&view.rider.card, view.rider.card_blocked) {
                    (None, _) => "none",
                    (Some(_), true) => "blocked",
                    (Some(_), false) => "active",
                };
                check(&label, value, got.to_string())
            }
            "restricted" | "overdue" => {
                no_more(w, 4)?;
                if !matches!(value.as_str(), "yes" | "no") {
                    return Err(format!("{value:?}: yes or no").into());
                }
                let got = if what == "restricted" {
                    view.rider.restricted || view.rider.blocked_reason.is_some()
                } else {
                    view.open_rental.as_ref().is_some_and(|r| r.overdue)
                };
                check(&label, value, yes_no(got))
            }
            "renting" => {
                no_more(w, 4)?;
                if value != "none" {
                    self.bike(&value)?;
                }
                let got = view
                    .open_rental
                    .as_ref()
                    .map(|r| r.rental.bike.to_string())
                    .unwrap_or_else(|| "none".into());
                check(&label, value, got)
            }
            "pass" => {
                no_more(w, 4)?;
                let got = view
                    .pass
                    .as_ref()
                    .map(|p| p.pass.clone())
                    .unwrap_or_else(|| "none".into());
                check(&label, value, got)
            }
            "dispute" => {
                // `expect RIDER dispute TIME` (the fair end proposed) or `expect RIDER
                // dispute WHY` (no-proof, seen-elsewhere, … : why there is none).
                let ev = self
                    .backend()?
                    .dispute(rider, Default::default())
                    .await
                    .map_err(system)?;
                let (expected, got) = if value.contains('-') && tail.is_some() {
                    let (at, next) = self.time(w, 3)?;
                    no_more(w, next)?;
                    let got = ev.fair.map(|f| f.at);
                    (
                        crate::domain::time::format_local(self.tz(), at),
                        got.map(|g| crate::domain::time::format_local(self.tz(), g))
                            .unwrap_or_else(|| {
                                ev.no_case
                                    .map(|n| format!("{n:?}"))
                                    .unwrap_or_else(|| "none".into())
                            }),
                    )
                } else {
                    no_more(w, 4)?;
                    let got = match (ev.fair, ev.no_case) {
                        (_, Some(n)) => serde_json::to_value(n)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default(),
                        (Some(f), None) => crate::domain::time::format_local(self.tz(), f.at),
                        (None, None) => "none".into(),
                    };
                    (value, got)
                };
                check(&label, expected, got)
            }
            "fined" => {
                let kind = FineKind::parse(&value)
                    .ok_or_else(|| format!("{value:?} is not a fine kind"))?;
                let n = int(tail.ok_or("missing the amount")?, "amount")?;
                no_more(w, 5)?;
                check(
                    &format!("rider {rider} fined {kind}"),
                    n.to_string(),
                    view.fined(kind).0.to_string(),
                )
            }
            x => Err(format!("unknown expectation {x:?}").into()),
        }
    }
}
