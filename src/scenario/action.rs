//! Scenario action lines (what riders and staff do): each line's words checked, then one
//! call on the backend. The outer `Err` is a malformed line; the inner result is the
//! backend's answer, which the line may expect to be a refusal.

use super::run::{Run, int, keyword, no_more, want};
use crate::api::BResult;
use crate::api::PayMethod;
use crate::backend::DockOutcome;
use crate::backend::Ops;
use crate::domain::Tenge;
use crate::domain::tariff::FineKind;

impl Run<'_> {
    pub(super) async fn action(&mut self, cmd: &str, w: &[String]) -> Result<BResult<()>, String> {
        if let Some(r) = self.desk_action(cmd, w).await {
            return r;
        }
        let b = self.backend()?;
        let r = match cmd {
            "pay" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let amount = Tenge(int(want(w, 2, "an amount")?, "amount")?);
                let m = want(w, 3, "cash|card|bank")?;
                let method =
                    PayMethod::parse(m).ok_or_else(|| format!("{m:?}: cash, card or bank"))?;
                no_more(w, 4)?;
                b.pay(rider, amount, method).await.map(drop)
            }
            "buy" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let pass = want(w, 2, "a pass")?;
                if !matches!(
                    pass,
                    "monthly" | "quarterly" | "seasonal" | "day1" | "day3" | "day7"
                ) {
                    return Err(format!(
                        "{pass:?}: monthly, quarterly, seasonal, day1, day3 or day7"
                    ));
                }
                no_more(w, 3)?;
                b.buy(rider, pass).await.map(drop)
            }
            "hold-deposit" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let amount = Tenge(int(want(w, 2, "an amount")?, "amount")?);
                no_more(w, 3)?;
                b.hold_deposit(rider, amount).await.map(drop)
            }
            "rent" | "unlock" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                keyword(w, 2, "bike")?;
                let bike = self.bike(want(w, 3, "a bike")?)?;
                keyword(w, 4, "pin")?;
                let pin = want(w, 5, "a PIN")?;
                no_more(w, 6)?;
                if cmd == "rent" {
                    b.rent(rider, bike, pin).await.map(drop)
                } else {
                    b.unlock(rider, bike, pin).await
                }
            }
            "pull" => {
                let bike = self.bike(want(w, 1, "a bike")?)?;
                no_more(w, 2)?;
                b.pull(bike).await.map(drop)
            }
            "return" => {
                let bike = self.bike(want(w, 1, "a bike")?)?;
                keyword(w, 2, "at")?;
                let st = self.station(want(w, 3, "a station")?)?;
                let how = match w.get(4).map(|s| s.as_str()) {
                    None => DockOutcome::Locked,
                    Some("lock-error") => DockOutcome::LockError,
                    Some("unrecognised") => DockOutcome::Unrecognised,
                    Some("faulty") => DockOutcome::Faulty,
                    Some(x) => {
                        return Err(format!(
                            "unexpected {x:?}: lock-error, unrecognised or faulty"
                        ));
                    }
                };
                no_more(w, 5)?;
                b.return_bike(bike, st, how).await.map(drop)
            }
            "call" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                keyword(w, 2, "cable-lock")?;
                keyword(w, 3, "at")?;
                let st = self.station(want(w, 4, "a station")?)?;
                no_more(w, 5)?;
                b.call_cable_lock(rider, st).await
            }
            "cable-lock" => {
                let bike = self.bike(want(w, 1, "a bike")?)?;
                keyword(w, 2, "at")?;
                let st = self.station(want(w, 3, "a station")?)?;
                keyword(w, 4, "pin")?;
                let pin = want(w, 5, "a PIN")?;
                no_more(w, 6)?;
                b.cable_lock(bike, st, pin).await.map(drop)
            }
            "authorise-cable-lock" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                keyword(w, 2, "at")?;
                let st = self.station(want(w, 3, "a station")?)?;
                let by = self.staff(w, 4)?;
                b.as_staff(&by).authorise_cable_lock(rider, st).await
            }
            "end-rental" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                keyword(w, 2, "at")?;
                let st = self.station(want(w, 3, "a station")?)?;
                keyword(w, 4, "time")?;
                let (t, next) = self.time(w, 5)?;
                keyword(w, next, "reason")?;
                let reason = want(w, next + 1, "a reason")?;
                let by = self.staff(w, next + 2)?;
                b.as_staff(&by)
                    .end_rental(rider, st, t, reason)
                    .await
                    .map(drop)
            }
            "fine" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let k = want(w, 2, "a fine kind")?;
                let kind = FineKind::parse(k).ok_or_else(|| {
                    format!(
                        "{k:?}: late, damage, accident, no-explanation, parts or access-sharing"
                    )
                })?;
                let (amount, by_at) = match w.get(3).map(|s| s.as_str()) {
                    Some("by") => (None, 3),
                    Some(a) => (Some(Tenge(int(a, "amount")?)), 4),
                    None => return Err("missing `by NAME`".into()),
                };
                let by = self.staff(w, by_at)?;
                b.as_staff(&by)
                    .fine(rider, kind, amount, None, "")
                    .await
                    .map(drop)
            }
            "approve-fine" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let by = self.staff(w, 2)?;
                b.as_staff(&by).approve_fine(rider).await.map(drop)
            }
            "refund" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let by = self.staff(w, 2)?;
                b.as_staff(&by).refund(rider).await.map(drop)
            }
            "dispute" => {
                // `dispute RIDER [at STATION time TIME] by NAME` (issue 17): settled from the
                // evidence around the claim (the trip's last lock error when none is given).
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let (claim, by) = if w.get(2).map(String::as_str) == Some("at") {
                    let st = self.station(want(w, 3, "a station")?)?;
                    keyword(w, 4, "time")?;
                    let (t, next) = self.time(w, 5)?;
                    (Some((st, t)), self.staff(w, next)?)
                } else {
                    (None, self.staff(w, 2)?)
                };
                let staff = b.as_staff(&by);
                let (station, at) = match claim {
                    Some(c) => c,
                    None => match staff.dispute(rider, Default::default()).await {
                        Ok(ev) => (ev.claim.station, ev.claim.at),
                        Err(e) => return Ok(Err(e)),
                    },
                };
                staff
                    .execute(crate::api::Op::SettleDispute {
                        rider,
                        rental: None,
                        station,
                        at,
                    })
                    .await
                    .map(drop)
            }
            "credit" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let amount = Tenge(int(want(w, 2, "an amount")?, "amount")?);
                keyword(w, 3, "reason")?;
                let reason = want(w, 4, "a reason")?;
                let by = self.staff(w, 5)?;
                b.as_staff(&by)
                    .credit_claim(rider, amount, reason)
                    .await
                    .map(drop)
            }
            "bonus" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let amount = Tenge(int(want(w, 2, "an amount")?, "amount")?);
                let by = self.staff(w, 3)?;
                b.as_staff(&by)
                    .give_bonus(rider, amount, "promotion")
                    .await
                    .map(drop)
            }
            "block" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                keyword(w, 2, "reason")?;
                let reason = want(w, 3, "a reason")?;
                let by = self.staff(w, 4)?;
                b.as_staff(&by).block(rider, reason).await
            }
            "unblock" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let by = self.staff(w, 2)?;
                b.as_staff(&by).unblock(rider, "").await
            }
            "restrict" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                keyword(w, 2, "reason")?;
                let reason = want(w, 3, "a reason")?;
                let by = self.staff(w, 4)?;
                b.as_staff(&by)
                    .set_restriction(rider, Some(reason), reason)
                    .await
            }
            "lift" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let by = self.staff(w, 2)?;
                b.as_staff(&by)
                    .set_restriction(rider, None, "lifted by hand")
                    .await
            }
            "reset-pin" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                keyword(w, 2, "pin")?;
                let pin = want(w, 3, "a PIN")?;
                let by = self.staff(w, 4)?;
                b.as_staff(&by).reset_pin(rider, pin).await
            }
            "lost-card" => {
                let rider = self.rider(want(w, 1, "a rider")?)?;
                let by = self.staff(w, 2)?;
                b.as_staff(&by).block_lost_card(rider).await
            }
            "service-release" | "to-repair" => {
                let bike = self.bike(want(w, 1, "a bike")?)?;
                let by = self.staff(w, 2)?;
                if cmd == "to-repair" {
                    b.as_staff(&by).to_repair(bike).await
                } else {
                    b.as_staff(&by).service_release(bike).await
                }
            }
            "service-dock" => {
                let bike = self.bike(want(w, 1, "a bike")?)?;
                keyword(w, 2, "at")?;
                let st = self.station(want(w, 3, "a station")?)?;
                let by = self.staff(w, 4)?;
                b.as_staff(&by).service_dock(bike, st).await
            }
            "dock-out-of-service" => {
                let st = self.station(want(w, 1, "a station")?)?;
                let by = self.staff(w, 2)?;
                b.as_staff(&by)
                    .dock_out_of_service(st, None)
                    .await
                    .map(drop)
            }
            other => return Err(format!("unknown command {other:?}")),
        };
        Ok(r)
    }
}
