//! The desk's case file, part one (issue 17): notes on a rider, a bike or a station (pinned
//! or not), contacts with a reason and an outcome, and cards issued at the desk (R24).

use super::posting::post_charge;
use super::{Ctx, Engine, EngineError, Event, Result, refuse, staff_actor};
use crate::api::{NoteAbout, Outcome};
use crate::domain::desk::{Catalogues, catalogues};
use crate::domain::ledger::EntryKind;
use crate::domain::messages::Notice;
use crate::domain::roles::StaffAction;
use crate::domain::{Refusal, RiderId, Tenge};
use crate::store::ledger::NewEntry;
use crate::store::people::Staff;
use crate::store::{desk as sd, fleet};
use rusqlite::Connection;

/// A note is at most this long (characters).
pub const NOTE_MAX_CHARS: usize = 2000;
/// A card number, as read off the card (spaces, `-` and `:` dropped): 4 to 32 letters and digits.
pub const CARD_MAX_CHARS: usize = 32;

/// `text` trimmed, or a refusal saying what is wrong with it.
pub(super) fn bounded_text<'a>(what: &str, text: &'a str, max: usize) -> Result<&'a str> {
    let text = text.trim();
    if text.is_empty() {
        return refuse(Refusal::Invalid, format!("{what} needs words"));
    }
    if text.chars().count() > max {
        return refuse(
            Refusal::Invalid,
            format!("{what} is at most {max} characters"),
        );
    }
    Ok(text)
}

/// The desk's catalogues, or a refusal naming the broken file.
pub(super) fn desk_catalogues() -> Result<&'static Catalogues> {
    catalogues().map_err(|e| EngineError::Refused {
        kind: Refusal::Invalid,
        message: e,
    })
}

fn note_action(about: NoteAbout) -> StaffAction {
    match about {
        NoteAbout::Rider(_) => StaffAction::AddNote,
        NoteAbout::Bike(_) | NoteAbout::Station(_) => StaffAction::AddFleetNote,
    }
}

/// The event that makes every console fetch what the note is shown on.
fn note_changed(ctx: &Ctx<'_>, c: &Connection, about: NoteAbout) -> Result<()> {
    match about {
        NoteAbout::Rider(rider) => ctx.emit(Event::RiderChanged { rider }),
        NoteAbout::Station(station) => ctx.emit(Event::StationChanged { station }),
        NoteAbout::Bike(b) => {
            if let Some(station) = fleet::bike(c, b)?.and_then(|b| b.station) {
                ctx.emit(Event::StationChanged { station });
            }
        }
    }
    Ok(())
}

impl Engine {
    /// A note by a staff member on a rider (agents, supervisors), a bike or a station (the
    /// desk and the depot): kept with its subject's notes and audited. Returns its id.
    pub fn note(&mut self, about: NoteAbout, text: &str, pinned: bool, s: &Staff) -> Result<i64> {
        let text = bounded_text("a note", text, NOTE_MAX_CHARS)?.to_string();
        self.write(move |ctx, c| {
            let action = note_action(about);
            let rider = match about {
                NoteAbout::Rider(r) => {
                    ctx.rider(c, r)?;
                    Some(r)
                }
                NoteAbout::Bike(b) => {
                    if fleet::bike(c, b)?.is_none() {
                        return refuse(Refusal::NotFound, format!("no bike {b}"));
                    }
                    None
                }
                NoteAbout::Station(st) => {
                    if fleet::station(c, st)?.is_none() {
                        return refuse(Refusal::NotFound, format!("no station {st}"));
                    }
                    None
                }
            };
            let id = sd::insert_note(c, ctx.now, &s.name, about, &text, pinned)?;
            ctx.audit(
                c,
                s,
                action,
                rider,
                &about.to_string(),
                &text,
                if pinned { "pinned" } else { "" },
            )?;
            note_changed(ctx, c, about)?;
            Ok(id)
        })
    }

    /// A note pinned to the top of its rider's or station's view, or unpinned; by whoever
    /// may write such a note.
    pub fn pin_note(&mut self, note: i64, pinned: bool, s: &Staff) -> Result<()> {
        self.write(|ctx, c| {
            let Some(n) = sd::note(c, note)? else {
                return refuse(Refusal::NotFound, format!("no note {note}"));
            };
            // Beside pinning, the note's own kind: a rider's note is the desk's to pin.
            let own = note_action(n.about);
            if !crate::domain::roles::allows(s.role, own) {
                return refuse(
                    Refusal::Forbidden,
                    format!("a {} may not {}", s.role, own.as_str()),
                );
            }
            if n.pinned == pinned {
                return refuse(
                    Refusal::Invalid,
                    format!(
                        "note {note} is {} already",
                        if pinned { "pinned" } else { "not pinned" }
                    ),
                );
            }
            sd::set_pinned(c, note, pinned)?;
            let rider = match n.about {
                NoteAbout::Rider(r) => Some(r),
                _ => None,
            };
            ctx.audit_word(
                c,
                s,
                StaffAction::PinNote.as_str(),
                rider,
                &format!("note {note} on {}", n.about),
                &n.text,
                if pinned { "pin" } else { "unpin" },
            )?;
            note_changed(ctx, c, n.about)
        })
    }

    /// A contact opened by `by` with the rider, for a reason of the catalogue. Refused when
    /// they have one open with the rider already. Returns its id.
    pub fn open_contact(&mut self, rider: RiderId, reason: &str, s: &Staff) -> Result<i64> {
        let cat = desk_catalogues()?;
        if let Err(e) = cat.reasons.check(reason) {
            return refuse(Refusal::Invalid, e);
        }
        self.write(|ctx, c| {
            ctx.rider(c, rider)?;
            if let Some(k) = sd::open_contact_of(c, &s.name, rider)? {
                return refuse(
                    Refusal::Invalid,
                    format!(
                        "{} has contact {} with rider {rider} open already (since {})",
                        s.name,
                        k.id,
                        ctx.local(k.opened_at)
                    ),
                );
            }
            let id = sd::open_contact(c, rider, &s.name, reason, ctx.now)?;
            ctx.audit_word(
                c,
                s,
                "open-contact",
                Some(rider),
                &format!("contact {id}"),
                reason,
                "",
            )?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(id)
        })
    }

    /// `by`'s open contact with the rider closed with an outcome of the catalogue and a
    /// note. Returns its id.
    pub fn close_contact(
        &mut self,
        rider: RiderId,
        outcome: &str,
        note: &str,
        s: &Staff,
    ) -> Result<i64> {
        let cat = desk_catalogues()?;
        if let Err(e) = cat.outcomes.check(outcome) {
            return refuse(Refusal::Invalid, e);
        }
        if note.chars().count() > NOTE_MAX_CHARS {
            return refuse(
                Refusal::Invalid,
                format!("a contact's note is at most {NOTE_MAX_CHARS} characters"),
            );
        }
        self.write(|ctx, c| {
            ctx.rider(c, rider)?;
            let Some(k) = sd::open_contact_of(c, &s.name, rider)? else {
                return refuse(
                    Refusal::NotFound,
                    format!("{} has no contact open with rider {rider}", s.name),
                );
            };
            ctx.audit_word(
                c,
                s,
                "close-contact",
                Some(rider),
                &format!("contact {}", k.id),
                outcome,
                note.trim(),
            )?;
            sd::close_contact(c, k.id, outcome, note.trim(), ctx.now)?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(k.id)
        })
    }

    /// R24: a card issued to the rider, or their card replaced (the old one blocked), at the
    /// tariff's card fee (Almaty 1 000 ₸; none in Astana), charged to the account; the rider
    /// is told (R27). Returns the fee charged.
    pub fn issue_card(&mut self, rider: RiderId, card: &str, s: &Staff) -> Result<Tenge> {
        let card = crate::domain::search::card_key(card);
        let n = card.chars().count();
        if !(4..=CARD_MAX_CHARS).contains(&n) || !card.chars().all(|ch| ch.is_ascii_alphanumeric())
        {
            return refuse(
                Refusal::Invalid,
                format!(
                    "card {card:?}: 4 to {CARD_MAX_CHARS} letters and digits, as printed on the card"
                ),
            );
        }
        self.write(move |ctx, c| {
            let r = ctx.rider(c, rider)?;
            match sd::card_holder(c, &card)? {
                Some((holder, _)) if holder == rider && r.card.as_deref() == Some(&card) => {
                    return refuse(
                        Refusal::Invalid,
                        format!("card {card} is rider {rider}'s card already"),
                    );
                }
                Some((holder, now)) => {
                    return refuse(
                        Refusal::Invalid,
                        format!(
                            "card {card} {} rider {holder}'s: issue another card",
                            if now { "is" } else { "was" }
                        ),
                    );
                }
                None => {}
            }
            let fee = ctx.tariff.card_fee;
            sd::replace_card(c, rider, r.card.as_deref(), &card, ctx.now)?;
            let what = match &r.card {
                Some(old) => format!("card {card} replaces {old} (blocked)"),
                None => format!("card {card}"),
            };
            ctx.audit(
                c,
                s,
                StaffAction::IssueCard,
                Some(rider),
                &what,
                "",
                &format!("fee {fee}"),
            )?;
            if fee.is_positive() {
                let actor = staff_actor(s);
                let e = NewEntry::new(rider, ctx.now, EntryKind::CardFee, &actor, &what);
                post_charge(ctx, c, e, fee)?;
            }
            let last4: String = {
                let chars: Vec<char> = card.chars().collect();
                chars[chars.len().saturating_sub(4)..].iter().collect()
            };
            ctx.notify(c, rider, Notice::CardIssued { last4, fee })?;
            ctx.emit(Event::RiderChanged { rider });
            Ok(fee)
        })
    }

    /// The door's step for the desk's operations.
    pub(super) fn run_desk(&mut self, op: crate::api::Op, s: &Staff) -> Result<Outcome> {
        use crate::api::Op;
        Ok(match op {
            Op::Note {
                rider,
                text,
                pinned,
            } => Outcome::Id(self.note(NoteAbout::Rider(rider), &text, pinned, s)?),
            Op::BikeNote { bike, text, pinned } => {
                Outcome::Id(self.note(NoteAbout::Bike(bike), &text, pinned, s)?)
            }
            Op::StationNote {
                station,
                text,
                pinned,
            } => Outcome::Id(self.note(NoteAbout::Station(station), &text, pinned, s)?),
            Op::PinNote { note, pinned } => {
                self.pin_note(note, pinned, s)?;
                Outcome::Done
            }
            Op::OpenContact { rider, reason } => Outcome::Id(self.open_contact(rider, &reason, s)?),
            Op::CloseContact {
                rider,
                outcome,
                note,
            } => Outcome::Id(self.close_contact(rider, &outcome, &note, s)?),
            Op::IssueCard { rider, card } => Outcome::Amount(self.issue_card(rider, &card, s)?),
            other => return self.run_cases(other, s),
        })
    }
}
