//! A demo rider's account when they register: a payment at the desk or online, a pass,
//! and for a few the trouble an agent meets: a fine that leaves them in debt, a fine waiting
//! for approval (D14), a restriction or block by hand, a lost card, a bonus, a claim.

use super::SimError;
use super::rng::SimRng;
use crate::api::PayMethod;
use crate::backend::Backend;
use crate::backend::Ops;
use crate::domain::tariff::FineKind;
use crate::domain::{RiderId, Tenge};

const AGENT: &str = super::city::SIM_DESK;
const SUPERVISOR: &str = super::city::SIM_SUPERVISOR;

/// A new rider's money and trouble: a payment (at the desk or online), a pass, and for a
/// few a fine that leaves them in debt, a fine waiting for approval (D14), a restriction
/// or block by hand, a lost card, a bonus, a claim credited.
pub async fn money(
    b: &dyn Backend,
    rng: &mut SimRng,
    id: RiderId,
    resident: bool,
    yearly_price: Tenge,
    card: bool,
) -> Result<(), SimError> {
    let call = |doing: &'static str| SimError::backend(doing);
    let desk = rng.chance(0.3).then_some(AGENT);
    let method = match (desk, rng.chance(0.85)) {
        (Some(_), _) => PayMethod::Cash,
        (None, true) => PayMethod::Card,
        (None, false) => PayMethod::Bank,
    };
    // At the desk, the agent acts; otherwise the rider pays by card or bank.
    let agent;
    let at: &dyn Backend = match desk {
        Some(name) => {
            agent = super::staff(b, name);
            agent.as_ref()
        }
        None => b,
    };
    let top_up = *rng
        .pick(&[500, 1000, 2000, 3000, 5000, 10_000])
        .unwrap_or(&1000);
    let paid = if resident {
        if rng.chance(0.06) {
            return Ok(()); // registered, never paid: refused for no pass when they come (R9)
        }
        let paid = yearly_price.0 + 500 + top_up;
        at.pay(id, Tenge(paid), method)
            .await
            .map_err(call("taking a payment"))?;
        at.buy(id, "seasonal")
            .await
            .map_err(call("selling a pass"))?;
        paid
    } else {
        let (pass, price) = *rng
            .pick(&[
                ("day1", 3500),
                ("day1", 3500),
                ("day3", 9000),
                ("day7", 17_500),
            ])
            .unwrap_or(&("day1", 3500));
        let paid = price + 500 + top_up;
        at.pay(id, Tenge(paid), method)
            .await
            .map_err(call("taking a payment"))?;
        at.hold_deposit(id, Tenge(37_500))
            .await
            .map_err(call("holding a deposit"))?;
        at.buy(id, pass).await.map_err(call("selling a pass"))?;
        paid
    };
    let roll = rng.below(1000);
    match roll {
        // A damaged basket, fined at the desk for more than the rider has: in debt, and
        // restricted at the next nightly posting (R18, R21).
        0..=24 => {
            let amount = (paid + 1000 * rng.between(1, 8)) / 500 * 500;
            super::staff(b, AGENT)
                .fine(
                    id,
                    FineKind::Damage,
                    Some(Tenge(amount)),
                    None,
                    "damaged basket found at the return (R21)",
                )
                .await
                .map_err(call("entering a fine"))?;
        }
        // A lost bike's value: above the threshold, it waits for a supervisor (D14).
        25..=27 => {
            super::staff(b, AGENT)
                .fine(
                    id,
                    FineKind::Damage,
                    Some(Tenge(95_000)),
                    None,
                    "bike not returned; police report filed (R22)",
                )
                .await
                .map_err(call("entering a fine"))?;
        }
        28..=32 => {
            super::staff(b, SUPERVISOR)
                .set_restriction(
                    id,
                    Some("ID and PIN shared with others (R24)"),
                    "reported by the Transport Control",
                )
                .await
                .map_err(call("restricting a rider"))?;
        }
        33..=35 => {
            super::staff(b, AGENT)
                .block(id, "identity document reported stolen")
                .await
                .map_err(call("blocking a rider"))?;
        }
        36..=45 if card => {
            super::staff(b, AGENT)
                .block_lost_card(id)
                .await
                .map_err(call("blocking a lost card"))?;
        }
        46..=75 => {
            let bonus = 500 * rng.between(1, 4);
            super::staff(b, SUPERVISOR)
                .give_bonus(id, Tenge(bonus), "Car-free day promotion")
                .await
                .map_err(call("giving bonus"))?;
        }
        76..=80 => {
            super::staff(b, AGENT)
                .credit_claim(
                    id,
                    Tenge(1000),
                    "double charge at the payment terminal (R26)",
                )
                .await
                .map_err(call("crediting a claim"))?;
        }
        _ => {}
    }
    Ok(())
}
