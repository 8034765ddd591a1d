//! Block a card the rider lost (the account stays open).

use super::{Call, Cx, Outcome, Preview, Procedure, ready, rider_of};
use crate::backend::Ops;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct LostCard;

impl Procedure for LostCard {
    fn title(&self) -> T {
        T::LostCardTitle
    }

    fn disabled(&self, cx: &Cx) -> Option<T> {
        cx.rider
            .is_some_and(|v| v.rider.card.is_none() || v.rider.card_blocked)
            .then_some(T::DisNoCard)
    }

    fn fields(&self, _cx: &Cx) -> Vec<Field> {
        Vec::new()
    }

    fn preview(&self, cx: &Cx, f: &Form) -> Preview {
        let card = f
            .rider
            .as_ref()
            .and_then(|v| v.rider.card.clone())
            .map(|c| crate::tui::views::riders::mask_tail(Some(&c)))
            .unwrap_or_else(|| "—".into());
        ready(Ok(vec![fill(cx.t(T::PreviewCard), &[&card])]))
    }

    fn submit(&self, c: Call, _f: &Form) -> Outcome {
        Box::pin(async move {
            let r = rider_of(c.on)?;
            c.b.block_lost_card(r).await?;
            Ok(fill(c.t(T::DoneCard), &[&r]).into())
        })
    }
}
