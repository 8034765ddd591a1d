//! Hold a deposit (the largest a pass asks for, filled in).

use super::{Call, Cx, Outcome, Preview, Procedure, invalid, ready, rider_of};
use crate::backend::Ops;
use crate::domain::Tenge;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct Deposit;

impl Procedure for Deposit {
    fn title(&self) -> T {
        T::DepositTitle
    }

    fn fields(&self, cx: &Cx) -> Vec<Field> {
        let amount = cx
            .app
            .tariff
            .as_ref()
            .and_then(|t| t.passes.iter().map(|p| p.deposit).max())
            .filter(|d| d.is_positive())
            .map(|d| d.get().to_string())
            .unwrap_or_default();
        vec![Field::text("amount", T::FieldAmount, amount)]
    }

    fn preview(&self, cx: &Cx, f: &Form) -> Preview {
        let a = Tenge(f.num("amount").unwrap_or(0));
        ready(Ok(vec![format!("{} {a}", cx.t(T::Deposit))]))
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let amount = f.num("amount").map(Tenge);
        Box::pin(async move {
            let r = rider_of(c.on)?;
            let a = amount.ok_or_else(|| invalid("no amount"))?;
            c.b.hold_deposit(r, a).await?;
            Ok(fill(c.t(T::DoneDeposit), &[&a, &r]).into())
        })
    }
}
