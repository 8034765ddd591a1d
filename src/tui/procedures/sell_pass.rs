//! Sell a pass at the tariff's price for the rider's concession.

use super::{Call, Cx, Outcome, Preview, Procedure, ready, rider_of};
use crate::backend::Ops;
use crate::domain::tariff::Concession;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill, pass_name};

pub struct SellPass;

impl Procedure for SellPass {
    fn title(&self) -> T {
        T::SellPassTitle
    }

    fn fields(&self, cx: &Cx) -> Vec<Field> {
        let concession = cx
            .rider
            .and_then(|v| v.rider.concession.as_deref())
            .and_then(Concession::parse);
        let options = cx
            .app
            .tariff
            .as_ref()
            .map(|t| {
                t.passes
                    .iter()
                    .map(|p| {
                        let name = pass_name(&p.id, &p.label, cx.lang);
                        (
                            p.id.clone(),
                            format!("{name} — {}", t.price_for(p, concession)),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        vec![Field::choice("pass", T::FieldPass, options, 0)]
    }

    fn preview(&self, cx: &Cx, f: &Form) -> Preview {
        let concession = f
            .rider
            .as_ref()
            .and_then(|v| v.rider.concession.as_deref())
            .and_then(Concession::parse);
        let mut lines = Vec::new();
        if let Some((t, p)) = cx
            .app
            .tariff
            .as_ref()
            .and_then(|t| t.pass(f.value("pass")).map(|p| (t, p)))
        {
            let price = t.price_for(p, concession);
            lines.push(format!("{} — {price}", pass_name(&p.id, &p.label, cx.lang)));
            if let Some(av) = f.rider.as_ref().map(|v| v.available) {
                lines.push(format!("{} {av} → {}", cx.t(T::Available), av - price));
            }
        }
        ready(Ok(lines))
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let pass = f.value("pass").to_string();
        Box::pin(async move {
            let r = rider_of(c.on)?;
            let p = c.b.buy(r, &pass).await?;
            let name = pass_name(&p.pass, &p.label, c.lang);
            Ok(fill(c.t(T::DonePass), &[&name, &r, &p.price]).into())
        })
    }
}
