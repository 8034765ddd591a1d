//! Scenario lines of the desk's case file (issue 17): notes (on a rider, a bike, a
//! station), contacts, a card issued at the desk (R24), and what must hold of them: the
//! notes shown, the last contact's outcome and linked actions, what the rider was told
//! (R27).

use super::run::{Run, Step, Stop, int, keyword, no_more, system, want};
use crate::api::{BResult, NoteAbout};
use crate::backend::DeskOps;

fn check(what: &str, expected: String, got: String) -> Step {
    if expected == got {
        Ok(())
    } else {
        Err(Stop::Failed(format!(
            "expected {what} {expected}, got {got}"
        )))
    }
}

impl Run<'_> {
    /// The desk's action lines; `None` when `cmd` is not one of them.
    pub(super) async fn desk_action(
        &mut self,
        cmd: &str,
        w: &[String],
    ) -> Option<Result<BResult<()>, String>> {
        let r = match cmd {
            "note" => self.note(w).await,
            "contact" => {
                let b = self.backend();
                async {
                    let b = b?;
                    let rider = self.rider(want(w, 1, "a rider")?)?;
                    let reason = want(w, 2, "a reason")?;
                    let by = self.staff(w, 3)?;
                    Ok(b.as_staff(&by).open_contact(rider, reason).await.map(drop))
                }
                .await
            }
            "close-contact" => {
                let b = self.backend();
                async {
                    let b = b?;
                    let rider = self.rider(want(w, 1, "a rider")?)?;
                    let outcome = want(w, 2, "an outcome")?;
                    let (note, by_at) = if w.get(3).is_some_and(|x| x == "note") {
                        (want(w, 4, "a note")?, 5)
                    } else {
                        ("", 3)
                    };
                    let by = self.staff(w, by_at)?;
                    Ok(b.as_staff(&by)
                        .close_contact(rider, outcome, note)
                        .await
                        .map(drop))
                }
                .await
            }
            "issue-card" => {
                let b = self.backend();
                async {
                    let b = b?;
                    let rider = self.rider(want(w, 1, "a rider")?)?;
                    let card = want(w, 2, "a card number")?;
                    let by = self.staff(w, 3)?;
                    Ok(b.as_staff(&by).issue_card(rider, card).await.map(drop))
                }
                .await
            }
            _ => return None,
        };
        Some(r)
    }

    /// `note RIDER|bike BIKE|station STATION "…" [pinned] by NAME`.
    async fn note(&self, w: &[String]) -> Result<BResult<()>, String> {
        let b = self.backend()?;
        let (about, at) = match want(w, 1, "a rider, bike or station")? {
            "bike" => (NoteAbout::Bike(self.bike(want(w, 2, "a bike")?)?), 3),
            "station" => (
                NoteAbout::Station(self.station(want(w, 2, "a station")?)?),
                3,
            ),
            r => (NoteAbout::Rider(self.rider(r)?), 2),
        };
        let text = want(w, at, "the note's words")?;
        let pinned = w.get(at + 1).is_some_and(|x| x == "pinned");
        let by = self.staff(w, at + 1 + usize::from(pinned))?;
        Ok(b.as_staff(&by).note_on(about, text, pinned).await.map(drop))
    }

    /// The desk's expectations about a rider (`expect RIDER WHAT …`); `None` when `what`
    /// is not one of them.
    pub(super) async fn expect_desk(&self, rider: &str, w: &[String]) -> Option<Step> {
        let what = w.get(2)?.as_str();
        if !matches!(what, "told" | "notes" | "pinned" | "contact") {
            return None;
        }
        Some(self.expect_desk_rider(rider, what, w).await)
    }

    async fn expect_desk_rider(&self, rider: &str, what: &str, w: &[String]) -> Step {
        let rider = self.rider(rider)?;
        let view = self.backend()?.rider(rider).await.map_err(system)?;
        let value = want(w, 3, "a value")?.to_string();
        let label = format!("rider {rider} {what}");
        match what {
            // R27: the outbox holds a message of this kind (`card-issued`, `bonus`…).
            "told" => {
                no_more(w, 4)?;
                let got = if view.messages.iter().any(|m| m.kind == value) {
                    value.clone()
                } else {
                    let kinds: Vec<&str> = view.messages.iter().map(|m| m.kind.as_str()).collect();
                    format!("only [{}]", kinds.join(", "))
                };
                check(&label, value, got)
            }
            "notes" => {
                no_more(w, 4)?;
                let n = int(&value, "count")?;
                check(&label, n.to_string(), view.notes.len().to_string())
            }
            "pinned" => {
                no_more(w, 4)?;
                let got = view
                    .notes
                    .iter()
                    .find(|n| n.pinned)
                    .map(|n| n.text.clone())
                    .unwrap_or_else(|| "none".into());
                check(&label, value, got)
            }
            // `expect RIDER contact OUTCOME|open actions N`: the latest contact.
            _ => {
                keyword(w, 4, "actions")?;
                let n = int(want(w, 5, "a number")?, "count")?;
                no_more(w, 6)?;
                let got = match view.contacts.first() {
                    Some(k) => format!(
                        "{} actions {}",
                        k.outcome.clone().unwrap_or_else(|| "open".into()),
                        k.actions
                    ),
                    None => "none".into(),
                };
                check(&label, format!("{value} actions {n}"), got)
            }
        }
    }

    /// `expect station ID notes N`: the notes on the station and the bikes standing there.
    pub(super) async fn expect_station_notes(&self, w: &[String]) -> Step {
        let st = self.station(want(w, 2, "a station")?)?;
        let n = int(want(w, 4, "a number")?, "count")?;
        no_more(w, 5)?;
        let v = self.backend()?.station(st).await.map_err(system)?;
        check(
            &format!("station {st} notes"),
            n.to_string(),
            v.notes.len().to_string(),
        )
    }
}
