//! Depot: put a free dock out of service: the dock under the cursor (any free working one
//! when the cursor is on none).

use super::{Call, Cx, Outcome, Preview, Procedure, ready, station_fact, station_of};
use crate::api::Dock;
use crate::backend::Ops;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct DockOut;

/// The dock under the cursor, as the station view the console holds shows it.
fn dock<'a>(cx: &'a Cx) -> Option<&'a Dock> {
    let n = cx.on.dock?;
    let p = cx
        .app
        .station
        .as_ref()
        .filter(|p| Some(p.id) == cx.on.station)?;
    p.view.as_ref()?.docks.iter().find(|d| d.number == n)
}

impl Procedure for DockOut {
    fn title(&self) -> T {
        T::DockOutTitle
    }

    fn disabled(&self, cx: &Cx) -> Option<T> {
        let d = dock(cx)?;
        if !d.in_service {
            Some(T::DisDockOut)
        } else if d.bike.is_some() {
            Some(T::DisDockHasBike)
        } else {
            None
        }
    }

    fn facts(&self, cx: &Cx) -> Vec<String> {
        station_fact(cx)
    }

    fn fields(&self, cx: &Cx) -> Vec<Field> {
        let n = cx.on.dock.map(|n| n.to_string()).unwrap_or_default();
        vec![Field::text("dock", T::FieldDockAny, n)]
    }

    fn preview(&self, cx: &Cx, f: &Form) -> Preview {
        let name = cx
            .on
            .station
            .and_then(|s| cx.app.station_by_id(s))
            .map(|s| format!("{} {}", s.id, s.name))
            .unwrap_or_default();
        let line = match f.num("dock") {
            Some(n) => fill(cx.t(T::PreviewDockOut), &[&n, &name]),
            None => fill(cx.t(T::PreviewDockOutAny), &[&name]),
        };
        ready(Ok(vec![line]))
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let dock = f.num("dock").and_then(|d| u32::try_from(d).ok());
        Box::pin(async move {
            let st = station_of(c.on)?;
            let d = c.b.dock_out_of_service(st, dock).await?;
            Ok(fill(c.t(T::DoneDockOut), &[&d, &st]).into())
        })
    }
}
