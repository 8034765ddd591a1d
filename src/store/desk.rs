//! The desk's rows (issue 17): notes on riders, bikes and stations; contacts and the
//! actions linked to them; the cards a rider had before.

use super::{Result, from_ts, ts};
use crate::api::{Contact, Note, NoteAbout};
use crate::domain::{BikeId, RiderId, StationId};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

const NOTE_COLS: &str = "id, at, staff, rider_id, bike_id, station_id, text, pinned";

fn note_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Note> {
    let about = match (
        r.get::<_, Option<i64>>(3)?,
        r.get::<_, Option<i64>>(4)?,
        r.get::<_, Option<i64>>(5)?,
    ) {
        (Some(id), _, _) => NoteAbout::Rider(RiderId(id)),
        (_, Some(id), _) => NoteAbout::Bike(BikeId(id)),
        (_, _, Some(id)) => NoteAbout::Station(StationId(id)),
        // The table's check keeps exactly one of the three.
        _ => NoteAbout::Rider(RiderId(0)),
    };
    Ok(Note {
        id: r.get(0)?,
        at: from_ts(r.get(1)?),
        staff: r.get(2)?,
        about,
        text: r.get(6)?,
        pinned: r.get(7)?,
    })
}

fn about_cols(about: NoteAbout) -> (Option<i64>, Option<i64>, Option<i64>) {
    match about {
        NoteAbout::Rider(r) => (Some(r.0), None, None),
        NoteAbout::Bike(b) => (None, Some(b.0), None),
        NoteAbout::Station(s) => (None, None, Some(s.0)),
    }
}

pub fn insert_note(
    c: &Connection,
    at: DateTime<Utc>,
    staff: &str,
    about: NoteAbout,
    text: &str,
    pinned: bool,
) -> Result<i64> {
    let (r, b, s) = about_cols(about);
    c.prepare_cached(
        "INSERT INTO notes (at, staff, rider_id, bike_id, station_id, text, pinned)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![ts(at), staff, r, b, s, text, pinned])?;
    Ok(c.last_insert_rowid())
}

pub fn note(c: &Connection, id: i64) -> Result<Option<Note>> {
    Ok(
        c.prepare_cached(&format!("SELECT {NOTE_COLS} FROM notes WHERE id = ?1"))?
            .query_row([id], note_row)
            .optional()?,
    )
}

pub fn set_pinned(c: &Connection, id: i64, pinned: bool) -> Result<()> {
    c.prepare_cached("UPDATE notes SET pinned = ?2 WHERE id = ?1")?
        .execute(params![id, pinned])?;
    Ok(())
}

/// The notes on one thing, pinned first, then newest first.
pub fn notes_of(c: &Connection, about: NoteAbout, limit: usize) -> Result<Vec<Note>> {
    let (col, id) = match about {
        NoteAbout::Rider(r) => ("rider_id", r.0),
        NoteAbout::Bike(b) => ("bike_id", b.0),
        NoteAbout::Station(s) => ("station_id", s.0),
    };
    let mut st = c.prepare_cached(&format!(
        "SELECT {NOTE_COLS} FROM notes WHERE {col} = ?1 ORDER BY pinned DESC, id DESC LIMIT ?2"
    ))?;
    let rows = st.query_map(params![id, limit as i64], note_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The notes on a station and on the bikes standing there now (docked or cable-locked):
/// a bike's notes follow it to wherever it is. Pinned first, then newest first.
pub fn notes_at_station(c: &Connection, station: StationId, limit: usize) -> Result<Vec<Note>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {NOTE_COLS} FROM notes
         WHERE station_id = ?1 OR bike_id IN (SELECT id FROM bikes WHERE station_id = ?1)
         ORDER BY pinned DESC, id DESC LIMIT ?2"
    ))?;
    let rows = st.query_map(params![station.0, limit as i64], note_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// --- contacts ---

const CONTACT_COLS: &str = "k.id, k.rider_id, k.staff, k.reason, k.opened_at, k.closed_at, \
     k.outcome, k.note, (SELECT COUNT(*) FROM audit a WHERE a.contact_id = k.id \
     AND a.action NOT IN ('open-contact', 'close-contact'))";

fn contact_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Contact> {
    Ok(Contact {
        id: r.get(0)?,
        rider: RiderId(r.get(1)?),
        staff: r.get(2)?,
        reason: r.get(3)?,
        opened_at: from_ts(r.get(4)?),
        closed_at: r.get::<_, Option<i64>>(5)?.map(from_ts),
        outcome: r.get(6)?,
        note: r.get(7)?,
        actions: r.get(8)?,
    })
}

pub fn open_contact(
    c: &Connection,
    rider: RiderId,
    staff: &str,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO contacts (rider_id, staff, reason, opened_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![rider.0, staff, reason, ts(at)])?;
    Ok(c.last_insert_rowid())
}

/// The contact `staff` has open on `rider`, if any.
pub fn open_contact_of(c: &Connection, staff: &str, rider: RiderId) -> Result<Option<Contact>> {
    Ok(c.prepare_cached(&format!(
        "SELECT {CONTACT_COLS} FROM contacts k
             WHERE k.staff = ?1 AND k.rider_id = ?2 AND k.closed_at IS NULL"
    ))?
    .query_row(params![staff, rider.0], contact_row)
    .optional()?)
}

pub fn close_contact(
    c: &Connection,
    id: i64,
    outcome: &str,
    note: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    c.prepare_cached("UPDATE contacts SET closed_at = ?2, outcome = ?3, note = ?4 WHERE id = ?1")?
        .execute(params![id, ts(at), outcome, note])?;
    Ok(())
}

/// The rider's contacts, newest first (open ones too).
pub fn contacts_of(c: &Connection, rider: RiderId, limit: usize) -> Result<Vec<Contact>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {CONTACT_COLS} FROM contacts k WHERE k.rider_id = ?1 ORDER BY k.id DESC LIMIT ?2"
    ))?;
    let rows = st.query_map(params![rider.0, limit as i64], contact_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn contact(c: &Connection, id: i64) -> Result<Option<Contact>> {
    Ok(c.prepare_cached(&format!(
        "SELECT {CONTACT_COLS} FROM contacts k WHERE k.id = ?1"
    ))?
    .query_row([id], contact_row)
    .optional()?)
}

// --- cards ---

/// The rider's card replaced by `card` (unblocked); the old one, if any, kept as blocked.
pub fn replace_card(
    c: &Connection,
    rider: RiderId,
    old: Option<&str>,
    card: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    if let Some(old) = old {
        c.prepare_cached("INSERT INTO old_cards (card, rider_id, blocked_at) VALUES (?1, ?2, ?3)")?
            .execute(params![old, rider.0, ts(at)])?;
    }
    c.prepare_cached("UPDATE riders SET card = ?2, card_blocked = 0 WHERE id = ?1")?
        .execute(params![rider.0, card])?;
    Ok(())
}

/// Whose card `card` is or was: the rider holding it now, or one who had it before.
pub fn card_holder(c: &Connection, card: &str) -> Result<Option<(RiderId, bool)>> {
    let now: Option<i64> = c
        .prepare_cached("SELECT id FROM riders WHERE card = ?1")?
        .query_row([card], |r| r.get(0))
        .optional()?;
    if let Some(id) = now {
        return Ok(Some((RiderId(id), true)));
    }
    let before: Option<i64> = c
        .prepare_cached("SELECT rider_id FROM old_cards WHERE card = ?1 LIMIT 1")?
        .query_row([card], |r| r.get(0))
        .optional()?;
    Ok(before.map(|id| (RiderId(id), false)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 17: the riders' notes kept in the audit log before version 8 are the riders'
    /// notes after it, with who wrote them and when; the audit keeps its records.
    #[test]
    fn the_notes_of_the_audit_log_become_the_riders_notes_at_version_8() {
        let mut c = Connection::open_in_memory().unwrap();
        super::super::migrations().to_version(&mut c, 7).unwrap();
        c.execute_batch(
            "INSERT INTO riders (id, surname, name, born, resident, lang, pin_hash, created_at)
             VALUES (5, 'A', 'B', '1990-01-01', 1, 'kk', 'x', 0);
             INSERT INTO audit (at, at_local, staff, role, action, rider_id, reason)
             VALUES (100, '', 'aigerim', 'agent', 'add-note', 5, 'prefers Kazakh'),
                    (200, '', 'aigerim', 'agent', 'block', 5, 'not a note');",
        )
        .unwrap();
        super::super::migrations().to_latest(&mut c).unwrap();
        let notes = notes_of(&c, NoteAbout::Rider(RiderId(5)), 10).unwrap();
        assert_eq!(notes.len(), 1);
        assert_eq!(
            (
                notes[0].staff.as_str(),
                notes[0].text.as_str(),
                ts(notes[0].at)
            ),
            ("aigerim", "prefers Kazakh", 100)
        );
        let kept: i64 = c
            .query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, 2, "the audit log is not edited");
    }
}
