//! Credit a rider's claim (money back for a fault of the system), with a reason.

use super::{Call, Cx, Outcome, Preview, Procedure, balance_after, invalid, ready, rider_of};
use crate::backend::Ops;
use crate::domain::Tenge;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct Claim;

impl Procedure for Claim {
    fn title(&self) -> T {
        T::ClaimTitle
    }

    fn fields(&self, _cx: &Cx) -> Vec<Field> {
        vec![
            Field::text("amount", T::FieldAmount, ""),
            Field::text("reason", T::FieldReason, ""),
        ]
    }

    fn preview(&self, _cx: &Cx, f: &Form) -> Preview {
        let a = f.num("amount").unwrap_or(0);
        let mut lines = vec![format!("+{}", Tenge(a))];
        lines.extend(balance_after(f, a));
        ready(Ok(lines))
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let (amount, reason) = (f.num("amount").map(Tenge), f.value("reason").to_string());
        Box::pin(async move {
            let r = rider_of(c.on)?;
            let a = amount.ok_or_else(|| invalid("no amount"))?;
            c.b.credit_claim(r, a, &reason).await?;
            Ok(fill(c.t(T::DoneClaim), &[&a, &r]).into())
        })
    }
}
