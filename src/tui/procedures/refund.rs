//! Refund and end the contract: the balance and the deposit paid out, the bonus forfeited.

use super::{Call, Cx, Outcome, Preview, Procedure, ready, rider_of};
use crate::backend::Ops;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct Refund;

impl Procedure for Refund {
    fn title(&self) -> T {
        T::RefundTitle
    }

    fn disabled(&self, cx: &Cx) -> Option<T> {
        cx.rider
            .is_some_and(|v| v.open_rental.is_some())
            .then_some(T::DisRenting)
    }

    fn fields(&self, _cx: &Cx) -> Vec<Field> {
        Vec::new()
    }

    fn preview(&self, cx: &Cx, f: &Form) -> Preview {
        let mut lines = Vec::new();
        if let Some(v) = &f.rider {
            lines.push(format!(
                "{} {} · {} {} · {} {}",
                cx.t(T::Balance),
                v.rider.balance,
                cx.t(T::Deposit),
                v.rider.deposit,
                cx.t(T::Bonus),
                v.rider.bonus
            ));
        }
        lines.push(cx.t(T::PreviewRefund).to_string());
        ready(Ok(lines))
    }

    fn submit(&self, c: Call, _f: &Form) -> Outcome {
        Box::pin(async move {
            let r = rider_of(c.on)?;
            let paid = c.b.refund(r).await?;
            Ok(fill(c.t(T::DoneRefund), &[&r, &paid]).into())
        })
    }
}
