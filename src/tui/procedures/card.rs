//! A card at the desk (R24, issue 17): `I` on a rider issues a card, or replaces a lost
//! one, at the tariff's card fee (Almaty 1 000 ₸; Astana none), the old card blocked.

use super::{Call, Cx, Outcome, Preview, Procedure, balance_after, ready, rider_of};
use crate::backend::DeskOps;
use crate::domain::Tenge;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct IssueCard;

fn fee(cx: &Cx) -> Tenge {
    cx.app
        .tariff
        .as_ref()
        .map(|t| t.card_fee)
        .unwrap_or(Tenge::ZERO)
}

impl Procedure for IssueCard {
    fn title(&self) -> T {
        T::IssueCardTitle
    }
    fn facts(&self, cx: &Cx) -> Vec<String> {
        let old = cx.rider.and_then(|v| v.rider.card.clone());
        match old {
            Some(c) => vec![fill(
                cx.t(T::CardReplaces),
                &[&crate::tui::views::riders::mask_tail(Some(&c))],
            )],
            None => Vec::new(),
        }
    }
    fn fields(&self, _cx: &Cx) -> Vec<Field> {
        vec![Field::text("card", T::FieldCardNumber, "").required()]
    }
    fn preview(&self, cx: &Cx, f: &Form) -> Preview {
        let fee = fee(cx);
        let mut lines = vec![if fee.is_positive() {
            fill(cx.t(T::PreviewCardFee), &[&fee])
        } else {
            cx.t(T::PreviewCardFree).to_string()
        }];
        if fee.is_positive() {
            lines.extend(balance_after(f, -fee.get()));
        }
        if f.rider.as_ref().is_some_and(|v| v.rider.card.is_some()) {
            lines.push(cx.t(T::PreviewOldCardBlocked).to_string());
        }
        ready(Ok(lines))
    }
    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let card = f.value("card").to_string();
        Box::pin(async move {
            let rider = rider_of(c.on)?;
            let fee = c.b.issue_card(rider, &card).await?;
            Ok(fill(c.t(T::DoneIssueCard), &[&rider, &fee]).into())
        })
    }
}
