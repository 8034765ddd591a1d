//! A supervisor gives a bonus (credited to the bonus account, never paid out), with a reason.

use super::{Call, Cx, Outcome, Preview, Procedure, invalid, ready, rider_of};
use crate::backend::Ops;
use crate::domain::Tenge;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct Bonus;

impl Procedure for Bonus {
    fn title(&self) -> T {
        T::BonusTitle
    }

    fn fields(&self, _cx: &Cx) -> Vec<Field> {
        vec![
            Field::text("amount", T::FieldAmount, ""),
            Field::text("reason", T::FieldReason, ""),
        ]
    }

    fn preview(&self, cx: &Cx, f: &Form) -> Preview {
        let a = Tenge(f.num("amount").unwrap_or(0));
        let mut lines = vec![format!("{} +{a}", cx.t(T::Bonus))];
        if let Some(v) = &f.rider {
            let b = v.rider.bonus;
            lines.push(format!("{} {b} → {}", cx.t(T::Bonus), b + a));
        }
        ready(Ok(lines))
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let (amount, reason) = (f.num("amount").map(Tenge), f.value("reason").to_string());
        Box::pin(async move {
            let r = rider_of(c.on)?;
            let a = amount.ok_or_else(|| invalid("no amount"))?;
            c.b.give_bonus(r, a, &reason).await?;
            Ok(fill(c.t(T::DoneBonus), &[&a, &r]).into())
        })
    }
}
