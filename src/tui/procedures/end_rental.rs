//! R12: end a stuck rental by hand at the station and time the lock error says; the
//! preview is the backend's own quote (`preview_end`).

use super::{Call, Cx, Outcome, Preview, Procedure, invalid, no_rental, rider_of};
use crate::backend::Ops;
use crate::domain::StationId;
use crate::domain::time::{format_local, parse_local};
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct EndRental;

impl Procedure for EndRental {
    fn title(&self) -> T {
        T::EndRentalTitle
    }

    fn disabled(&self, cx: &Cx) -> Option<T> {
        no_rental(cx).then_some(T::DisNoRental)
    }

    fn fields(&self, cx: &Cx) -> Vec<Field> {
        let open = cx.rider.and_then(|v| v.open_rental.as_ref());
        let st = open
            .and_then(|o| o.rental.lock_error_station)
            .map(|s| s.to_string())
            .unwrap_or_default();
        let at = open.and_then(|o| o.rental.lock_error_at).unwrap_or(cx.now);
        let at = format_local(cx.tz, at);
        vec![
            Field::text("station", T::FieldStation, st),
            Field::text("at", T::FieldAt, at.get(..16).unwrap_or(&at)),
            Field::text("reason", T::FieldReason, ""),
        ]
    }

    fn preview(&self, cx: &Cx, f: &Form) -> Preview {
        let (b, lang, rider) = (cx.app.backend.clone(), cx.lang, cx.on.rider);
        let at = parse_local(f.tz, f.value("at"));
        Box::pin(async move {
            let r = rider.ok_or("no rider")?;
            let at = at.ok_or("bad time")?;
            let q = b
                .preview_end(r, at)
                .await
                .map_err(|e| crate::tui::text::describe(&e, lang))?;
            let mut lines: Vec<String> = q
                .items
                .iter()
                .map(|i| {
                    let words = crate::tui::text::price_item(i, lang);
                    format!("{words:<28} {:>10}  {}", i.amount.to_string(), i.rules)
                })
                .collect();
            lines.push(fill(T::PreviewTotal.get(lang), &[&q.total]));
            Ok(lines)
        })
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let at = parse_local(f.tz, f.value("at"));
        let station = f.num("station").map(StationId);
        let reason = f.value("reason").to_string();
        Box::pin(async move {
            let r = rider_of(c.on)?;
            let at = at.ok_or_else(|| invalid("bad time"))?;
            let st = station.ok_or_else(|| invalid("no station"))?;
            let q = c.b.end_rental(r, st, at, &reason).await?;
            Ok(fill(c.t(T::DoneEnd), &[&r, &st, &q.total]).into())
        })
    }
}
