//! Depot: put an out-of-service dock back in service (the one under the cursor when it is
//! out of service; empty: the first one out).

use super::{Call, Cx, Outcome, Preview, Procedure, ready, station_fact, station_of};
use crate::backend::Ops;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct DockIn;

impl Procedure for DockIn {
    fn title(&self) -> T {
        T::DockInTitle
    }

    fn disabled(&self, cx: &Cx) -> Option<T> {
        let p = cx
            .app
            .station
            .as_ref()
            .filter(|p| Some(p.id) == cx.on.station)?;
        let v = p.view.as_ref()?;
        v.docks
            .iter()
            .all(|d| d.in_service)
            .then_some(T::DisAllInService)
    }

    fn facts(&self, cx: &Cx) -> Vec<String> {
        station_fact(cx)
    }

    fn fields(&self, cx: &Cx) -> Vec<Field> {
        let out = cx
            .app
            .station
            .as_ref()
            .and_then(|p| p.view.as_ref())
            .and_then(|v| v.docks.iter().find(|d| Some(d.number) == cx.on.dock))
            .is_some_and(|d| !d.in_service);
        let n = if out {
            cx.on.dock.map(|n| n.to_string()).unwrap_or_default()
        } else {
            String::new()
        };
        vec![Field::text("dock", T::FieldDock, n)]
    }

    fn preview(&self, cx: &Cx, f: &Form) -> Preview {
        let st = cx.on.station.map(|s| s.to_string()).unwrap_or_default();
        let line = match f.num("dock") {
            Some(n) => fill(cx.t(T::PreviewDockIn), &[&n, &st]),
            None => fill(cx.t(T::PreviewDockInAll), &[&st]),
        };
        ready(Ok(vec![line]))
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let dock = f.num("dock").and_then(|d| u32::try_from(d).ok());
        Box::pin(async move {
            let st = station_of(c.on)?;
            let k = c.b.dock_in_service(st, dock).await?;
            Ok(fill(c.t(T::DoneDockIn), &[&k, &st]).into())
        })
    }
}
