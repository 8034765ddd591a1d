//! Depot: a van's stop of the plan (issue 16) — the station's bikes, the planned number to
//! take or leave preselected, faulty ones first to repair — done as one operation.

use super::{Call, Cx, Outcome, Preview, Procedure, invalid, ready};
use crate::backend::Ops;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};
use crate::tui::views::rebalance;

pub struct VanStop;

impl Procedure for VanStop {
    fn title(&self) -> T {
        T::VanStopTitle
    }

    fn fields(&self, cx: &Cx) -> Vec<Field> {
        let (Some(van), Some(st)) = (cx.on.van, cx.on.station) else {
            return Vec::new();
        };
        let (mut facts, mut fields) = (Vec::new(), Vec::new());
        rebalance::stop_form(cx.app, van, st, &mut facts, &mut fields);
        fields
    }

    fn facts(&self, cx: &Cx) -> Vec<String> {
        let (Some(van), Some(st)) = (cx.on.van, cx.on.station) else {
            return Vec::new();
        };
        let (mut facts, mut fields) = (Vec::new(), Vec::new());
        rebalance::stop_form(cx.app, van, st, &mut facts, &mut fields);
        facts
    }

    fn preview(&self, cx: &Cx, f: &Form) -> Preview {
        let (Some(van), Some(st)) = (cx.on.van, cx.on.station) else {
            return ready(Err("no stop".into()));
        };
        ready(rebalance::stop_preview(cx.app, f, van, st))
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let stop = match (c.on.van, c.on.station) {
            (Some(van), Some(st)) => rebalance::stop_request(f, van, st),
            _ => None,
        };
        Box::pin(async move {
            let stop = stop.ok_or_else(|| invalid("bike numbers separated by spaces"))?;
            let d = c.b.van_stop(&stop).await?;
            Ok(fill(
                c.t(T::DoneStop),
                &[&d.van, &d.station, &d.taken, &d.left, &d.repaired, &d.load],
            )
            .into())
        })
    }
}
