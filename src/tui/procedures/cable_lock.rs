//! R14: authorise a cable lock at a full station for a rider whose bike has nowhere to
//! dock. The station is the call's (from Alerts, or the rider's pending call), else the
//! full stations nearest where the rental started; any station can be typed by its code.

use super::{Call, Cx, Outcome, Procedure, invalid, no_rental, rider_of};
use crate::backend::Ops;
use crate::domain::StationId;
use crate::domain::geo::km;
use crate::tui::app::StationStatus;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct CableLock;

impl Procedure for CableLock {
    fn title(&self) -> T {
        T::CableLockTitle
    }

    fn disabled(&self, cx: &Cx) -> Option<T> {
        no_rental(cx).then_some(T::DisNoRental)
    }

    fn fields(&self, cx: &Cx) -> Vec<Field> {
        let app = cx.app;
        // The call's station: named by the alert, else the rider's own pending call.
        let call = cx.on.station.or_else(|| {
            app.alerts
                .iter()
                .find(|a| a.kind == crate::api::AlertKind::CableLockCall && a.rider == cx.on.rider)
                .and_then(|a| a.station)
        });
        let open = cx.rider.and_then(|v| v.open_rental.as_ref());
        let reference = call
            .or_else(|| open.and_then(|o| o.rental.start_station))
            .and_then(|id| app.station_by_id(id))
            .map(|s| (s.lat, s.lon));
        // Full stations first (nearest first), then every other working one.
        let mut options: Vec<_> = app.stations.rows.iter().filter(|s| s.active).collect();
        options.sort_by(|a, b| {
            let full = |s: &crate::api::StationCounts| s.free_docks != 0;
            let d =
                |s: &crate::api::StationCounts| reference.map_or(0.0, |r| km(r, (s.lat, s.lon)));
            (full(a), Some(a.id) != call)
                .cmp(&(full(b), Some(b.id) != call))
                .then(d(a).total_cmp(&d(b)))
        });
        let mut opts: Vec<(String, String)> = options
            .iter()
            .map(|s| {
                let w = StationStatus::of(s).word().get(cx.lang);
                (s.id.to_string(), format!("{} {} — {w}", s.id, s.name))
            })
            .collect();
        if opts.is_empty() {
            opts.push((String::new(), "—".into()));
        }
        vec![Field::choice("station", T::FieldStation, opts, 0)]
    }

    fn facts(&self, cx: &Cx) -> Vec<String> {
        vec![cx.t(T::CableTypeStation).to_string()]
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let station = f.num("station").map(StationId);
        Box::pin(async move {
            let r = rider_of(c.on)?;
            let st = station.ok_or_else(|| invalid("no station chosen"))?;
            c.b.authorise_cable_lock(r, st).await?;
            Ok(fill(c.t(T::DoneCable), &[&r, &st]).into())
        })
    }
}
