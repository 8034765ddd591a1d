//! Notes on the fleet and pins (issue 17): `n` on a station's page writes a note on the
//! station, `b` on the bike under the cursor ("rear brake weak": it follows the bike), either
//! pinned or not, `N` on a rider's or station's page unpins its pinned note (a station's page
//! pins its bikes' notes too: a pinned bike note shows first wherever the bike stands).

use super::{Call, Cx, Outcome, Preview, Procedure, invalid, ready, station_fact, station_of};
use crate::api::Op;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

/// "Pin it to the top of the view?" (no, yes).
pub fn pin_field(cx: &Cx) -> Field {
    Field::choice(
        "pinned",
        T::FieldPinNote,
        vec![
            ("no".into(), cx.t(T::No).to_string()),
            ("yes".into(), cx.t(T::Yes).to_string()),
        ],
        0,
    )
}

pub struct StationNote;

impl Procedure for StationNote {
    fn title(&self) -> T {
        T::StationNoteTitle
    }
    fn facts(&self, cx: &Cx) -> Vec<String> {
        station_fact(cx)
    }
    fn fields(&self, cx: &Cx) -> Vec<Field> {
        vec![Field::text("text", T::FieldStaffNote, ""), pin_field(cx)]
    }
    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let (text, pinned) = (f.value("text").to_string(), f.value("pinned") == "yes");
        Box::pin(async move {
            let station = station_of(c.on)?;
            c.b.execute(Op::StationNote {
                station,
                text,
                pinned,
            })
            .await?;
            Ok(fill(
                c.t(T::DoneFleetNote),
                &[&format!("{} {station}", c.t(T::Station))],
            )
            .into())
        })
    }
}

pub struct BikeNote;

impl Procedure for BikeNote {
    fn title(&self) -> T {
        T::BikeNoteTitle
    }
    fn disabled(&self, cx: &Cx) -> Option<T> {
        cx.on.bike.is_none().then_some(T::DisNoBikeHere)
    }
    fn facts(&self, cx: &Cx) -> Vec<String> {
        let mut f = station_fact(cx);
        if let Some(b) = cx.on.bike {
            f.push(format!("{} {b}", cx.t(T::Bike)));
        }
        f
    }
    fn fields(&self, cx: &Cx) -> Vec<Field> {
        vec![Field::text("text", T::FieldStaffNote, ""), pin_field(cx)]
    }
    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let (text, pinned) = (f.value("text").to_string(), f.value("pinned") == "yes");
        Box::pin(async move {
            let bike = c.on.bike.ok_or_else(|| invalid("no bike"))?;
            c.b.execute(Op::BikeNote { bike, text, pinned }).await?;
            Ok(fill(
                c.t(T::DoneFleetNote),
                &[&format!("{} {bike}", c.t(T::Bike))],
            )
            .into())
        })
    }
}

/// The pinned note of the page the procedure is on (the newest pinned one): a station's
/// page shows its own notes and its bikes', so either.
fn pinned_note(cx: &Cx) -> Option<crate::api::Note> {
    if cx.on.rider.is_some() {
        return cx
            .rider
            .and_then(|v| v.notes.iter().find(|n| n.pinned).cloned());
    }
    let page = cx.app.station.as_ref()?;
    let st = cx.on.station?;
    page.view
        .as_ref()
        .filter(|_| page.id == st)?
        .notes
        .iter()
        .find(|n| n.pinned)
        .cloned()
}

pub struct Unpin;

impl Procedure for Unpin {
    fn title(&self) -> T {
        T::UnpinTitle
    }
    fn disabled(&self, cx: &Cx) -> Option<T> {
        pinned_note(cx).is_none().then_some(T::DisNoPinned)
    }
    fn facts(&self, cx: &Cx) -> Vec<String> {
        let Some(n) = pinned_note(cx) else {
            return Vec::new();
        };
        let on = match n.about {
            crate::api::NoteAbout::Bike(b) => format!("{} {b} · ", cx.t(T::Bike)),
            _ => String::new(),
        };
        vec![format!("{on}{}: {}", n.staff, n.text)]
    }
    fn fields(&self, _cx: &Cx) -> Vec<Field> {
        Vec::new()
    }
    fn preview(&self, cx: &Cx, _f: &Form) -> Preview {
        ready(Ok(vec![cx.t(T::PreviewUnpin).to_string()]))
    }
    fn submit(&self, c: Call, _f: &Form) -> Outcome {
        let note = c.on.item;
        Box::pin(async move {
            let note = note.ok_or_else(|| invalid("no pinned note"))?;
            c.b.execute(Op::PinNote {
                note,
                pinned: false,
            })
            .await?;
            Ok(fill(c.t(T::DoneUnpin), &[&note]).into())
        })
    }
}

/// The id of the pinned note the page shows (the target's `item` for [`Unpin`]).
pub fn pinned_id(app: &crate::tui::app::App, on: crate::tui::dialog::Target) -> Option<i64> {
    pinned_note(&Cx::new(app, on)).map(|n| n.id)
}
