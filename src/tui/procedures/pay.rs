//! Take a payment at the desk (cash, card or bank transfer).

use super::{Call, Cx, Outcome, Preview, Procedure, balance_after, invalid, ready, rider_of};
use crate::api::PayMethod;
use crate::backend::Ops;
use crate::domain::Tenge;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill, pay_method};

pub struct Pay;

impl Procedure for Pay {
    fn title(&self) -> T {
        T::PayTitle
    }

    fn fields(&self, cx: &Cx) -> Vec<Field> {
        let methods = [PayMethod::Cash, PayMethod::Card, PayMethod::Bank]
            .iter()
            .map(|m| (m.as_str().to_string(), pay_method(*m, cx.lang).to_string()))
            .collect();
        vec![
            Field::text("amount", T::FieldAmount, ""),
            Field::choice("method", T::FieldMethod, methods, 0),
        ]
    }

    fn preview(&self, _cx: &Cx, f: &Form) -> Preview {
        let a = f.num("amount").unwrap_or(0);
        let mut lines = vec![format!("+{}", Tenge(a))];
        lines.extend(balance_after(f, a));
        ready(Ok(lines))
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let amount = f.num("amount").map(Tenge);
        let method = PayMethod::parse(f.value("method")).unwrap_or(PayMethod::Cash);
        Box::pin(async move {
            let r = rider_of(c.on)?;
            let a = amount.ok_or_else(|| invalid("no amount"))?;
            c.b.pay(r, a, method).await?;
            Ok(fill(c.t(T::DonePay), &[&a, &pay_method(method, c.lang), &r]).into())
        })
    }
}
