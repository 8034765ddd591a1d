//! Money at the desk: payments, passes, deposits, refunds, claim credits, bonus and
//! corrections (R2, R5, R6, R16–R26, D9–D13, D15). Fines are in `fines.rs`.

use super::ctx::Tell;
use super::posting::{post_charge, post_credit};
use super::{Engine, Event, Result, refuse, staff_actor};
use crate::api::Accrual;
use crate::api::PayMethod;
use crate::domain::ledger::{Actor, EntryKind, Moves};
use crate::domain::messages::Notice;
use crate::domain::roles::StaffAction;
use crate::domain::rules::{BuyFacts, check_buy, pass_end, period_end};
use crate::domain::tariff::{Concession, PassDef};
use crate::domain::time::next_local_midnight;
use crate::domain::{EntryId, Refusal, RiderId, Tenge};
use crate::store::ledger::{self as sl, NewEntry};
use crate::store::people::Staff;
use crate::store::{fleet, passes};

pub(super) fn reason_given(reason: &str) -> Result<()> {
    if reason.trim().is_empty() {
        refuse(Refusal::Invalid, "a reason is required")
    } else {
        Ok(())
    }
}

impl Engine {
    /// Money arrives on the account: at the cash desk (by staff) or from card/bank (R19, R20).
    pub(super) fn pay_by(
        &mut self,
        by: Option<&Staff>,
        rider: RiderId,
        amount: Tenge,
        method: PayMethod,
    ) -> Result<EntryId> {
        self.write(|ctx, c| {
            amount.bounded("a payment")?;
            ctx.rider(c, rider)?;
            let actor = desk_actor(
                ctx,
                c,
                by,
                StaffAction::TakePayment,
                rider,
                amount,
                method.as_str(),
            )?;
            let mut e = NewEntry::new(rider, ctx.now, EntryKind::Payment, &actor, "payment");
            e.method = Some(method.as_str());
            let id = post_credit(ctx, c, e, amount)?;
            let balance = sl::account(c, rider)?.balance;
            ctx.notify(c, rider, Notice::PaymentReceived { amount, balance })?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(id)
        })
    }

    /// Buy a pass (R2, R16, A3, D6): the fee is accrued and posts at the next midnight (R17).
    /// A pass bought while one is valid starts when that one ends.
    pub(super) fn buy_by(
        &mut self,
        by: Option<&Staff>,
        rider: RiderId,
        pass_id: &str,
    ) -> Result<crate::api::Pass> {
        self.write(|ctx, c| {
            let r = ctx.rider(c, rider)?;
            let Some(def) = ctx.tariff.pass(pass_id) else {
                let offered: Vec<_> = ctx.tariff.passes.iter().map(|p| p.id.as_str()).collect();
                return refuse(
                    Refusal::Invalid,
                    format!(
                        "{} offers no pass {pass_id:?} (it offers {})",
                        ctx.tariff.city,
                        offered.join(", ")
                    ),
                );
            };
            if r.blocked_reason.is_some() {
                return refuse(Refusal::Restricted, format!("rider {rider} is blocked"));
            }
            let account = sl::account(c, rider)?;
            // A pass bought while one is valid starts when that one ends.
            let start = passes::passes_of(c, rider)?
                .iter()
                .filter(|p| p.valid_until() > ctx.now)
                .map(|p| p.valid_until())
                .max()
                .unwrap_or(ctx.now)
                .max(ctx.now);
            let concession = r.concession.as_deref().and_then(Concession::parse);
            let facts = BuyFacts {
                resident: r.resident,
                concession,
                available: account.available(),
                deposit_held: account.deposit,
                starts_at: start,
            };
            let price = check_buy(ctx.tariff, def, facts, ctx.now).or_else(|kind| {
                refuse(
                    kind,
                    format!(
                        "rider {rider} cannot buy {pass_id}: {}",
                        buy_reason(
                            kind,
                            &facts,
                            def,
                            ctx.tariff.price_for(def, concession),
                            ctx
                        )
                    ),
                )
            })?;
            if let Some(s) = by {
                ctx.audit(
                    c,
                    s,
                    StaffAction::SellPass,
                    Some(rider),
                    pass_id,
                    "",
                    &price.to_string(),
                )?;
            }
            let period_end = period_end(ctx.tariff, def, start);
            let (starts_at, ends_at) = (start, pass_end(ctx.tariff, start, period_end));
            let mut pass = crate::api::Pass {
                id: 0,
                rider,
                pass: def.id.clone(),
                label: def.label.clone(),
                price,
                bought_at: ctx.now,
                starts_at,
                ends_at,
                ended_at: None,
                all_inclusive: def.all_inclusive,
                deposit: def.deposit,
                overuse_per_day: def.overuse_per_day,
                period_end,
            };
            pass.id = passes::insert_pass(c, &pass)?;
            if price.is_positive() {
                sl::add_accrual(
                    c,
                    &Accrual {
                        id: 0,
                        rider,
                        kind: EntryKind::PassFee,
                        amount: price,
                        at: ctx.now,
                        due_at: next_local_midnight(ctx.tariff.time_zone, ctx.now),
                        label: format!("{} pass", def.label),
                        rental: None,
                    },
                    Some(pass.id),
                )?;
            }
            ctx.notify(
                c,
                rider,
                Notice::PassBought {
                    pass: def.label.clone(),
                    until: ctx.local(ends_at),
                },
            )?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(pass)
        })
    }

    /// A deposit is held on the rider's card (R5).
    pub(super) fn hold_deposit_by(
        &mut self,
        by: Option<&Staff>,
        rider: RiderId,
        amount: Tenge,
    ) -> Result<EntryId> {
        self.write(|ctx, c| {
            amount.bounded("a deposit")?;
            ctx.rider(c, rider)?;
            let actor = desk_actor(ctx, c, by, StaffAction::HoldDeposit, rider, amount, "")?;
            let mut e = NewEntry::new(
                rider,
                ctx.now,
                EntryKind::DepositHold,
                &actor,
                "deposit held on card (R5)",
            );
            e.moves = Moves {
                deposit: amount,
                ..Moves::default()
            };
            let id = sl::append(c, &e)?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(id)
        })
    }

    /// End the contract (R25): post what is accrued, pay out the positive balance, release
    /// the deposit, forfeit the bonus (R6), end the passes, and block access.
    pub(super) fn refund_by(&mut self, s: &Staff, rider: RiderId) -> Result<Tenge> {
        self.write(|ctx, c| {
            let r = ctx.rider(c, rider)?;
            if let Some(ended) = r.contract_ended_at {
                return refuse(
                    Refusal::Invalid,
                    format!(
                        "rider {rider}'s contract ended on {} and was refunded then (R25)",
                        ctx.local(ended)
                    ),
                );
            }
            if fleet::open_rental_of_rider(c, rider)?.is_some() {
                return refuse(
                    Refusal::AlreadyRenting,
                    format!("rider {rider} has a bike out: end the rental first"),
                );
            }
            let actor = staff_actor(s);
            // Everything accrued becomes due now.
            let pending = sl::pending_accruals(c, rider)?;
            for a in &pending {
                let mut e = NewEntry::new(rider, ctx.now, a.kind, &actor, &a.label);
                e.accrual = Some(a.id);
                e.rental = a.rental;
                post_charge(ctx, c, e, a.amount)?;
                sl::move_balances(c, rider, Default::default(), -a.amount)?;
            }
            let account = sl::account(c, rider)?;
            let paid_out = account.balance.max(Tenge::ZERO);
            let mut moves = Vec::new();
            if paid_out.is_positive() {
                moves.push((
                    EntryKind::Refund,
                    Moves {
                        money: -paid_out,
                        ..Moves::default()
                    },
                    "money left on the account refunded (R25)",
                ));
            }
            if account.deposit.is_positive() {
                moves.push((
                    EntryKind::DepositRelease,
                    Moves {
                        deposit: -account.deposit,
                        ..Moves::default()
                    },
                    "deposit released at the end of the contract",
                ));
            }
            if account.bonus.is_positive() {
                moves.push((
                    EntryKind::BonusForfeit,
                    Moves {
                        bonus: -account.bonus,
                        ..Moves::default()
                    },
                    "promotional bonus is not refunded (R6)",
                ));
            }
            for (kind, m, reason) in moves {
                let mut e = NewEntry::new(rider, ctx.now, kind, &actor, reason);
                e.moves = m;
                sl::append(c, &e)?;
            }
            passes::end_passes(c, rider, ctx.now)?;
            crate::store::people::set_blocked(c, rider, Some("contract ended (R25)"))?;
            crate::store::people::set_contract_ended(c, rider, ctx.now)?;
            fleet::cancel_unlocks(c, None, Some(rider), ctx.now, Refusal::Restricted)?;
            ctx.audit(
                c,
                s,
                StaffAction::Refund,
                Some(rider),
                &paid_out.to_string(),
                "contract ended",
                "",
            )?;
            ctx.notify(c, rider, Notice::Refunded { amount: paid_out })?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(paid_out)
        })
    }

    /// Credit a recognised claim (R26): incoming money, settles debts oldest first.
    pub(super) fn credit_claim_by(
        &mut self,
        s: &Staff,
        rider: RiderId,
        amount: Tenge,
        reason: &str,
        tell: Tell,
    ) -> Result<EntryId> {
        self.write(|ctx, c| {
            amount.bounded("a claim credit")?;
            reason_given(reason)?;
            ctx.rider(c, rider)?;
            ctx.audit(
                c,
                s,
                StaffAction::CreditClaim,
                Some(rider),
                &amount.to_string(),
                reason,
                "",
            )?;
            let actor = staff_actor(s);
            let e = NewEntry::new(rider, ctx.now, EntryKind::ClaimCredit, &actor, reason);
            let id = post_credit(ctx, c, e, amount)?;
            if tell == Tell::Rider {
                ctx.notify(c, rider, Notice::ClaimCredited { amount })?;
            }
            ctx.emit(Event::RiderChanged { rider });
            Ok(id)
        })
    }

    /// Promotional credit to the bonus balance (R6, D11).
    pub(super) fn give_bonus_by(
        &mut self,
        s: &Staff,
        rider: RiderId,
        amount: Tenge,
        reason: &str,
    ) -> Result<EntryId> {
        self.write(|ctx, c| {
            amount.bounded("a bonus")?;
            ctx.rider(c, rider)?;
            let reason = if reason.trim().is_empty() {
                "promotion"
            } else {
                reason
            };
            ctx.audit(
                c,
                s,
                StaffAction::GiveBonus,
                Some(rider),
                &amount.to_string(),
                reason,
                "",
            )?;
            let actor = staff_actor(s);
            let mut e = NewEntry::new(rider, ctx.now, EntryKind::BonusCredit, &actor, reason);
            e.moves = Moves {
                bonus: amount,
                ..Moves::default()
            };
            let id = sl::append(c, &e)?;
            ctx.notify(c, rider, Notice::BonusGiven { amount })?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(id)
        })
    }

    /// A correction of an earlier entry (D9): a new entry naming it, never an edit.
    pub(super) fn correct_by(
        &mut self,
        s: &Staff,
        rider: RiderId,
        corrects: EntryId,
        amount: Tenge,
        reason: &str,
    ) -> Result<EntryId> {
        self.write(|ctx, c| {
            reason_given(reason)?;
            ctx.rider(c, rider)?;
            amount.bounded_signed("a correction")?;
            if !sl::entries(c, rider)?.iter().any(|e| e.id == corrects) {
                return refuse(
                    Refusal::NotFound,
                    format!("rider {rider} has no ledger entry {corrects}"),
                );
            }
            ctx.audit(
                c,
                s,
                StaffAction::Correct,
                Some(rider),
                &format!("entry {corrects}: {amount}"),
                reason,
                "",
            )?;
            let actor = staff_actor(s);
            let mut e = NewEntry::new(rider, ctx.now, EntryKind::Correction, &actor, reason);
            e.corrects = Some(corrects);
            let id = if amount.is_positive() {
                post_credit(ctx, c, e, amount)?
            } else {
                post_charge(ctx, c, e, -amount)?
            };
            ctx.notify(c, rider, Notice::Corrected { amount })?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(id)
        })
    }
}

/// Who moves money at the desk: the staff member, checked and audited, or the rider.
fn desk_actor(
    ctx: &super::Ctx<'_>,
    c: &rusqlite::Connection,
    by: Option<&Staff>,
    action: StaffAction,
    rider: RiderId,
    amount: Tenge,
    details: &str,
) -> Result<Actor> {
    let Some(s) = by else {
        return Ok(Actor::Rider(rider));
    };
    ctx.audit(c, s, action, Some(rider), &amount.to_string(), "", details)?;
    Ok(staff_actor(s))
}

fn buy_reason(
    kind: Refusal,
    facts: &BuyFacts,
    def: &PassDef,
    price: Tenge,
    ctx: &super::Ctx<'_>,
) -> String {
    match kind {
        Refusal::OutOfSeason if facts.starts_at > ctx.now => format!(
            "it would begin on {}, when the season is over (D22)",
            ctx.local(facts.starts_at)
        ),
        Refusal::OutOfSeason => "the rental season is closed".into(),
        Refusal::NotResident => {
            "monthly, quarterly and seasonal passes are for residents only (R2)".into()
        }
        Refusal::NoDeposit => format!(
            "a daily pass needs the whole deposit of {} held; {} held (D18)",
            def.deposit, facts.deposit_held
        ),
        Refusal::LowBalance => format!(
            "{} available, the pass costs {price} (R16)",
            facts.available
        ),
        other => other.to_string(),
    }
}
