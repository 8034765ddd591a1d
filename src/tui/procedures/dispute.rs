//! Issue 17, "I returned the bike, but the rental went on": `D` on a rider. The claim's
//! station and time (prefilled from the trip's last lock error; empty: the engine takes
//! it), the evidence the backend gathers shown as the preview, and one confirm that
//! settles it — the open rental ended at the fair time (R15, D3), or an ended trip
//! credited the difference (R26) — through the engine's own dry run first.

use super::{Call, Cx, Outcome, Preview, Procedure, invalid, rider_of};
use crate::api::{DisputeQuery, Op, Outcome as Answer};
use crate::domain::StationId;
use crate::domain::time::{format_local, parse_local};
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct Dispute;

/// The trip the dialog is on: the open rental, else the most recent trip.
fn trip(cx: &Cx) -> Option<crate::api::Rental> {
    let v = cx.rider?;
    v.open_rental
        .as_ref()
        .map(|o| o.rental.clone())
        .or_else(|| v.trips.first().cloned())
}

/// The query the form says: its trip, and the claim when both fields are filled.
fn query(f: &Form) -> Result<DisputeQuery, String> {
    let rental = f.rider.as_ref().and_then(|v| {
        v.open_rental
            .as_ref()
            .map(|o| o.rental.id)
            .or_else(|| v.trips.first().map(|t| t.id))
    });
    let (st, at) = (f.value("station"), f.value("claim_at"));
    if st.is_empty() && at.is_empty() {
        return Ok(DisputeQuery {
            rental,
            ..DisputeQuery::default()
        });
    }
    let station = st.parse::<i64>().ok().map(StationId);
    let at = parse_local(f.tz, at);
    match (station, at) {
        (Some(s), Some(a)) => Ok(DisputeQuery {
            rental,
            station: Some(s),
            at: Some(a),
        }),
        (None, _) => Err(T::FieldClaimStation.get(f.lang).to_string()),
        (_, None) => Err(T::FieldClaimAt.get(f.lang).to_string()),
    }
}

impl Procedure for Dispute {
    fn title(&self) -> T {
        T::DisputeTitle
    }

    fn disabled(&self, cx: &Cx) -> Option<T> {
        (cx.rider.is_some() && trip(cx).is_none()).then_some(T::DisNoTrip)
    }

    fn fields(&self, cx: &Cx) -> Vec<Field> {
        let t = trip(cx);
        let st = t
            .as_ref()
            .and_then(|r| r.lock_error_station)
            .map(|s| s.to_string())
            .unwrap_or_default();
        let at = t
            .as_ref()
            .and_then(|r| r.lock_error_at)
            .map(|a| {
                let s = format_local(cx.tz, a);
                s.get(..16).unwrap_or(&s).to_string()
            })
            .unwrap_or_default();
        vec![
            Field::text("station", T::FieldClaimStation, st).optional(),
            Field::text("claim_at", T::FieldClaimAt, at).optional(),
        ]
    }

    fn validate(&self, f: &Form, _lang: crate::tui::text::Lang) -> Option<String> {
        query(f).err()
    }

    fn preview(&self, cx: &Cx, f: &Form) -> Preview {
        let (b, lang, tz, rider) = (cx.app.backend.clone(), cx.lang, cx.tz, cx.on.rider);
        let q = query(f);
        Box::pin(async move {
            let r = rider.ok_or("no rider")?;
            let q = q?;
            let ev = b
                .dispute(r, q)
                .await
                .map_err(|e| crate::tui::text::describe(&e, lang))?;
            Ok(crate::tui::views::dispute::lines(&ev, tz, lang))
        })
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let q = query(f);
        Box::pin(async move {
            let r = rider_of(c.on)?;
            let q = q.map_err(|e| invalid(&e))?;
            let ev = c.b.dispute(r, q).await?;
            let op = Op::SettleDispute {
                rider: r,
                rental: Some(ev.rental),
                station: ev.claim.station,
                at: ev.claim.at,
            };
            // The settlement is linked to the agent's open contact with the rider by the
            // engine (every audited action is); the agent closes the contact with its outcome.
            Ok(match c.b.execute(op).await? {
                Answer::Priced(Some(q)) => {
                    fill(c.t(T::DoneDisputeEnd), &[&r, &ev.claim.station, &q.total]).into()
                }
                _ => {
                    let amount = match ev.settlement {
                        Some(crate::domain::dispute::Settlement::Credit { amount }) => amount,
                        _ => crate::domain::Tenge::ZERO,
                    };
                    fill(c.t(T::DoneDisputeCredit), &[&r, &amount]).into()
                }
            })
        })
    }
}
