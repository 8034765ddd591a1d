//! Money given to a rider with a reason: a bonus by a supervisor (credited to the bonus
//! account, never paid out, D10/D11), or a recognised claim (money back for a fault of the
//! system, R26). One form, two operations.

use super::{Call, Cx, Outcome, Preview, Procedure, balance_after, invalid, ready, rider_of};
use crate::backend::Ops;
use crate::domain::Tenge;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

/// Where the money goes.
pub enum Credit {
    /// The bonus account (`Op::GiveBonus`).
    Bonus,
    /// The balance, as a recognised claim (`Op::CreditClaim`).
    Claim,
}

impl Procedure for Credit {
    fn title(&self) -> T {
        match self {
            Credit::Bonus => T::BonusTitle,
            Credit::Claim => T::ClaimTitle,
        }
    }

    fn fields(&self, _cx: &Cx) -> Vec<Field> {
        vec![
            Field::text("amount", T::FieldAmount, ""),
            Field::text("reason", T::FieldReason, ""),
        ]
    }

    fn preview(&self, cx: &Cx, f: &Form) -> Preview {
        let a = f.num("amount").unwrap_or(0);
        let lines = match self {
            Credit::Bonus => {
                let a = Tenge(a);
                let mut lines = vec![format!("{} +{a}", cx.t(T::Bonus))];
                if let Some(v) = &f.rider {
                    let b = v.rider.bonus;
                    lines.push(format!("{} {b} → {}", cx.t(T::Bonus), b + a));
                }
                lines
            }
            Credit::Claim => {
                let mut lines = vec![format!("+{}", Tenge(a))];
                lines.extend(balance_after(f, a));
                lines
            }
        };
        ready(Ok(lines))
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let (amount, reason) = (f.num("amount").map(Tenge), f.value("reason").to_string());
        let bonus = matches!(self, Credit::Bonus);
        Box::pin(async move {
            let r = rider_of(c.on)?;
            let a = amount.ok_or_else(|| invalid("no amount"))?;
            if bonus {
                c.b.give_bonus(r, a, &reason).await?;
                Ok(fill(c.t(T::DoneBonus), &[&a, &r]).into())
            } else {
                c.b.credit_claim(r, a, &reason).await?;
                Ok(fill(c.t(T::DoneClaim), &[&a, &r]).into())
            }
        })
    }
}
