//! Riders and staff: registration, lookups, search, and the flags that stop rentals.

use super::{Result, from_ts, ts};
use crate::api::{NewRider, Rider, RiderHit};
use crate::domain::rental::PinTries;
use crate::domain::roles::Role;
use crate::domain::rules::RestrictionSource;
use crate::domain::search::{card_key, fold_name};
use crate::domain::{Born, RiderId, Tenge};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// The PIN is never stored in clear: a keyed digest of rider id and PIN.
pub fn pin_hash(rider: RiderId, pin: &str) -> String {
    // FNV-1a over "velodesk-pin:<id>:<pin>", twice with different seeds: not a password
    // hash (a 4-digit PIN cannot be protected by hashing alone), but it keeps PINs out of
    // dumps and logs.
    let input = format!("velodesk-pin:{}:{}", rider.0, pin);
    let mut out = String::new();
    for seed in [0xcbf2_9ce4_8422_2325u64, 0x8422_2325_cbf2_9ce4u64] {
        let mut h = seed;
        for b in input.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out
}

pub fn insert_rider(c: &Connection, r: &NewRider, now: DateTime<Utc>) -> Result<RiderId> {
    let id: i64 = match r.id {
        Some(id) => id.0,
        None => c.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM riders", [], |row| {
            row.get(0)
        })?,
    };
    c.prepare_cached(
        "INSERT INTO riders (id, surname, name, patronymic, phone, email, document, address,
                             born, resident, concession, lang, pin_hash, card, created_at,
                             surname_key, name_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?
    .execute(params![
        id,
        r.surname,
        r.name,
        r.patronymic,
        r.phone,
        r.email,
        r.document,
        r.address,
        r.born.to_string(),
        r.resident,
        r.concession,
        r.lang,
        pin_hash(RiderId(id), &r.pin),
        r.card,
        ts(now),
        fold_name(&r.surname),
        fold_name(&r.name),
    ])?;
    Ok(RiderId(id))
}

const RIDER_COLS: &str = "id, surname, name, patronymic, phone, email, document, address, born,
    resident, concession, lang, card, card_blocked, blocked_reason, restricted,
    restricted_reason, balance, bonus, deposit, accrued, created_at, restriction_source,
    pin_failures, pin_failed_at, contract_ended_at";

fn rider_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Rider> {
    let born: String = r.get(8)?;
    Ok(Rider {
        id: RiderId(r.get(0)?),
        surname: r.get(1)?,
        name: r.get(2)?,
        patronymic: r.get(3)?,
        phone: r.get(4)?,
        email: r.get(5)?,
        document: r.get(6)?,
        address: r.get(7)?,
        born: Born::Date(born.parse().unwrap_or_default()),
        resident: r.get(9)?,
        concession: r.get(10)?,
        lang: r.get(11)?,
        card: r.get(12)?,
        card_blocked: r.get(13)?,
        blocked_reason: r.get(14)?,
        restricted: r.get(15)?,
        restricted_reason: r.get(16)?,
        balance: Tenge(r.get(17)?),
        bonus: Tenge(r.get(18)?),
        deposit: Tenge(r.get(19)?),
        accrued: Tenge(r.get(20)?),
        created_at: from_ts(r.get(21)?),
        restriction: r
            .get::<_, Option<String>>(22)?
            .as_deref()
            .and_then(RestrictionSource::parse),
        pin_tries: PinTries {
            wrong: r.get(23)?,
            last_wrong: r.get::<_, Option<i64>>(24)?.map(from_ts),
        },
        contract_ended_at: r.get::<_, Option<i64>>(25)?.map(from_ts),
    })
}

pub fn rider(c: &Connection, id: RiderId) -> Result<Option<Rider>> {
    Ok(
        c.prepare_cached(&format!("SELECT {RIDER_COLS} FROM riders WHERE id = ?1"))?
            .query_row([id.0], rider_row)
            .optional()?,
    )
}

pub fn pin_matches(c: &Connection, id: RiderId, pin: &str) -> Result<bool> {
    let stored: Option<String> = c
        .prepare_cached("SELECT pin_hash FROM riders WHERE id = ?1")?
        .query_row([id.0], |r| r.get(0))
        .optional()?;
    Ok(stored.is_some_and(|h| h == pin_hash(id, pin)))
}

pub fn set_pin(c: &Connection, id: RiderId, pin: &str) -> Result<()> {
    c.execute(
        "UPDATE riders SET pin_hash = ?2 WHERE id = ?1",
        params![id.0, pin_hash(id, pin)],
    )?;
    Ok(())
}

pub fn set_blocked(c: &Connection, id: RiderId, reason: Option<&str>) -> Result<()> {
    c.execute(
        "UPDATE riders SET blocked_reason = ?2 WHERE id = ?1",
        params![id.0, reason],
    )?;
    Ok(())
}

/// Restrict the rider (`Some((who, reason))`) or lift the restriction (`None`).
pub fn set_restricted(
    c: &Connection,
    id: RiderId,
    restriction: Option<(RestrictionSource, &str)>,
) -> Result<()> {
    c.prepare_cached(
        "UPDATE riders SET restricted = ?2, restricted_reason = ?3, restriction_source = ?4
         WHERE id = ?1",
    )?
    .execute(params![
        id.0,
        restriction.is_some(),
        restriction.map(|(_, why)| why),
        restriction.map(|(who, _)| who.as_str()),
    ])?;
    Ok(())
}

/// D29: the rider's wrong PINs in a row.
pub fn set_pin_tries(c: &Connection, id: RiderId, tries: PinTries) -> Result<()> {
    c.prepare_cached("UPDATE riders SET pin_failures = ?2, pin_failed_at = ?3 WHERE id = ?1")?
        .execute(params![id.0, tries.wrong, tries.last_wrong.map(ts)])?;
    Ok(())
}

/// R25: the contract ended at `at`.
pub fn set_contract_ended(c: &Connection, id: RiderId, at: DateTime<Utc>) -> Result<()> {
    c.execute(
        "UPDATE riders SET contract_ended_at = ?2 WHERE id = ?1",
        params![id.0, ts(at)],
    )?;
    Ok(())
}

pub fn set_card_blocked(c: &Connection, id: RiderId) -> Result<()> {
    c.execute("UPDATE riders SET card_blocked = 1 WHERE id = ?1", [id.0])?;
    Ok(())
}

/// How a search may match phone numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneMatch {
    /// The whole number or its first digits (a desk that may see personal data).
    Prefix,
    /// The whole number only: first digits, tried one more at a time, would spell out a
    /// number that the answers mask.
    Whole,
}

/// Find riders by ID, phone (whole or first digits), e-mail, card, name (prefix) or the
/// bike they ride now. Every branch uses an index, so it stays in milliseconds at a
/// million riders.
pub fn search(c: &Connection, query: &str, limit: usize) -> Result<Vec<RiderHit>> {
    search_matching(c, query, limit, PhoneMatch::Prefix)
}

/// [`search`], with phones matched as `phones` says.
pub fn search_matching(
    c: &Connection,
    query: &str,
    limit: usize,
    phones: PhoneMatch,
) -> Result<Vec<RiderHit>> {
    let q = query.trim();
    let mut hits: Vec<RiderHit> = Vec::new();
    if q.is_empty() {
        return Ok(hits);
    }
    let limit = limit.max(1) as i64;
    // `?1` is the argument, `?2` the limit, `?3` (when the query has it) the upper bound.
    let push_range = |hits: &mut Vec<RiderHit>,
                      sql: &str,
                      arg: &dyn rusqlite::ToSql,
                      upper: Option<&str>,
                      what: &str|
     -> Result<()> {
        let mut st = c.prepare_cached(sql)?;
        let map = |r: &rusqlite::Row<'_>| {
            let surname: String = r.get(1)?;
            let name: String = r.get(2)?;
            Ok(RiderHit {
                id: RiderId(r.get(0)?),
                name: format!("{surname} {name}").trim().to_string(),
                phone: r.get(3)?,
                email: r.get(4)?,
                balance: Tenge(r.get(5)?),
                matched: what.to_string(),
            })
        };
        let rows: Vec<RiderHit> = match upper {
            Some(u) => st
                .query_map(params![arg, limit, u], map)?
                .collect::<rusqlite::Result<_>>()?,
            None => st
                .query_map(params![arg, limit], map)?
                .collect::<rusqlite::Result<_>>()?,
        };
        for h in rows {
            if !hits.iter().any(|x| x.id == h.id) {
                hits.push(h);
            }
        }
        Ok(())
    };
    let push = |hits: &mut Vec<RiderHit>, sql: &str, arg: &dyn rusqlite::ToSql, what: &str| {
        push_range(hits, sql, arg, None, what)
    };
    const COLS: &str = "r.id, r.surname, r.name, r.phone, r.email, r.balance";
    let digits: String = q.chars().filter(|ch| ch.is_ascii_digit()).collect();
    if let Ok(n) = q.parse::<i64>() {
        push(
            &mut hits,
            &format!("SELECT {COLS} FROM riders r WHERE r.id = ?1 LIMIT ?2"),
            &n,
            "id",
        )?;
        push(
            &mut hits,
            &format!(
                "SELECT {COLS} FROM rentals x JOIN riders r ON r.id = x.rider_id
                 WHERE x.bike_id = ?1 AND x.end_at IS NULL LIMIT ?2"
            ),
            &n,
            "riding bike",
        )?;
    }
    if digits.len() >= 4 && digits.len() * 2 >= q.len() {
        // Phones are stored as +7XXXXXXXXXX. People say them as 8 7XX… (the trunk prefix,
        // also while the agent is still typing), +7 7XX…, or 7XX… without the country.
        // A national number starts with 7, so a leading 8 is the trunk prefix; a foreign
        // number (+86…) is still tried as typed.
        let mut readings = Vec::new();
        if let Some(rest) = digits.strip_prefix('8').filter(|_| digits.len() <= 11) {
            readings.push(format!("+7{rest}"));
        }
        if digits.len() == 10 && digits.starts_with('7') {
            readings.push(format!("+7{digits}"));
        }
        if digits.len() != 11 || !digits.starts_with('8') {
            readings.push(format!("+{digits}"));
        }
        for reading in &readings {
            // The first digits find the whole number too: it is the first of the index's
            // range, so it still comes first. A range, not `GLOB ?1`: SQLite prepares a
            // statement again for every new pattern bound to a GLOB.
            match phones {
                PhoneMatch::Prefix => push_range(
                    &mut hits,
                    &format!(
                        "SELECT {COLS} FROM riders r WHERE r.phone >= ?1 AND r.phone < ?3 LIMIT ?2"
                    ),
                    reading,
                    Some(&format!("{reading}\u{10FFFF}")),
                    "phone",
                )?,
                PhoneMatch::Whole => push(
                    &mut hits,
                    &format!("SELECT {COLS} FROM riders r WHERE r.phone = ?1 LIMIT ?2"),
                    reading,
                    "phone",
                )?,
            }
        }
    }
    // A card in any case, with spaces, as read off the card (and as it was typed): one
    // look-up of the index for both.
    push_range(
        &mut hits,
        &format!("SELECT {COLS} FROM riders r WHERE r.card IN (?1, ?3) LIMIT ?2"),
        &q,
        Some(&card_key(q)),
        "card",
    )?;
    let one_word = !q.contains(char::is_whitespace);
    if q.contains('@') {
        push(
            &mut hits,
            &format!("SELECT {COLS} FROM riders r WHERE r.email = ?1 COLLATE NOCASE LIMIT ?2"),
            &q,
            "e-mail",
        )?;
    }
    // The start of an e-mail (`aigerim.s`), for a desk that may see personal data: tried one
    // more letter at a time it would spell out a masked address.
    if phones == PhoneMatch::Prefix
        && one_word
        && q.chars().count() >= 3
        && q.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '+'))
    {
        let lower = q.to_lowercase();
        let upper = format!("{lower}\u{10FFFF}");
        push_range(
            &mut hits,
            &format!(
                "SELECT {COLS} FROM riders r WHERE r.email >= ?1 COLLATE NOCASE
                   AND r.email < ?3 COLLATE NOCASE LIMIT ?2"
            ),
            &lower,
            Some(&upper),
            "e-mail",
        )?;
    }
    // A phone's middle digits (`702 196`), for a desk that may see personal data, when
    // nothing else matched: a scan, so only with enough digits to be specific.
    if phones == PhoneMatch::Prefix
        && digits.len() >= 6
        && digits.len() * 2 >= q.len()
        && hits.is_empty()
    {
        push(
            &mut hits,
            &format!("SELECT {COLS} FROM riders r WHERE r.phone GLOB ?1 LIMIT ?2"),
            &format!("*{digits}*"),
            "phone",
        )?;
    }
    if q.chars().any(|ch| ch.is_alphabetic()) && !q.contains('@') {
        // Names are matched on their folded spelling (`Сарсенбаев`, `Sarsenbayev` and
        // `Сәрсенбаев` alike).
        let mut words = q.split_whitespace();
        let first = fold_name(words.next().unwrap_or_default());
        let upper = format!("{first}\u{10FFFF}");
        let mut named = Vec::new();
        for (column, what) in [("surname_key", "surname"), ("name_key", "name")] {
            let sql = format!(
                "SELECT {COLS} FROM riders r WHERE r.{column} >= ?1 AND r.{column} < ?3 LIMIT ?2"
            );
            push_range(&mut named, &sql, &first, Some(&upper), what)?;
        }
        // A second word narrows the names found (not what matched a card or an e-mail).
        if let Some(second) = words.next() {
            let second = fold_name(second);
            named.retain(|h| fold_name(&h.name).contains(&second));
        }
        for h in named {
            if !hits.iter().any(|x| x.id == h.id) {
                hits.push(h);
            }
        }
    }
    hits.truncate(limit as usize);
    Ok(hits)
}

/// A staff member.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Staff {
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    pub password_hash: Option<String>,
}

pub fn insert_staff(
    c: &Connection,
    name: &str,
    role: Role,
    password_hash: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    c.execute(
        "INSERT INTO staff (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (name) DO UPDATE SET role = excluded.role,
             password_hash = COALESCE(excluded.password_hash, staff.password_hash)",
        params![name, role.as_str(), password_hash, ts(now)],
    )?;
    Ok(())
}

pub fn staff(c: &Connection, name: &str) -> Result<Option<Staff>> {
    Ok(
        c.prepare_cached("SELECT name, role, disabled, password_hash FROM staff WHERE name = ?1")?
            .query_row([name], staff_row)
            .optional()?,
    )
}

fn staff_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Staff> {
    let role: String = r.get(1)?;
    Ok(Staff {
        name: r.get(0)?,
        role: Role::parse(&role).unwrap_or(Role::Agent),
        disabled: r.get(2)?,
        password_hash: r.get(3)?,
    })
}

pub fn all_staff(c: &Connection) -> Result<Vec<Staff>> {
    let mut st =
        c.prepare("SELECT name, role, disabled, password_hash FROM staff ORDER BY name")?;
    let rows = st.query_map([], staff_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn disable_staff(c: &Connection, name: &str) -> Result<bool> {
    Ok(c.execute("UPDATE staff SET disabled = 1 WHERE name = ?1", [name])? > 0)
}

/// Let a disabled staff member log in again (with the password they have). Adding an
/// account that exists never does: a disabled account stays disabled until enabled.
pub fn enable_staff(c: &Connection, name: &str) -> Result<bool> {
    Ok(c.execute("UPDATE staff SET disabled = 0 WHERE name = ?1", [name])? > 0)
}

/// Riders restricted and in debt (an alert).
pub fn restricted_in_debt(c: &Connection, limit: usize) -> Result<Vec<(RiderId, Tenge)>> {
    let mut st = c.prepare_cached(
        "SELECT id, balance FROM riders WHERE restricted = 1 AND balance < 0 ORDER BY balance LIMIT ?1",
    )?;
    let rows = st.query_map([limit as i64], |r| {
        Ok((RiderId(r.get(0)?), Tenge(r.get(1)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count_restricted(c: &Connection) -> Result<u64> {
    let n: i64 = c.query_row(
        "SELECT COUNT(*) FROM riders WHERE restricted = 1",
        [],
        |r| r.get(0),
    )?;
    Ok(n.max(0) as u64)
}

/// How many riders the system has.
pub fn count_riders(c: &Connection) -> Result<u64> {
    let n: i64 = c.query_row("SELECT COUNT(*) FROM riders", [], |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

/// D29: riders whose PIN is locked at `now`, with until when.
pub fn pin_locked(c: &Connection, now: DateTime<Utc>) -> Result<Vec<(RiderId, DateTime<Utc>)>> {
    use crate::domain::rental::{PIN_TRIES, PIN_WINDOW};
    let mut st = c.prepare_cached(
        "SELECT id, pin_failed_at FROM riders WHERE pin_failures >= ?1 AND pin_failed_at > ?2
         ORDER BY pin_failed_at DESC LIMIT 200",
    )?;
    let rows = st.query_map(params![PIN_TRIES, ts(now - PIN_WINDOW)], |r| {
        Ok((
            RiderId(r.get(0)?),
            from_ts(r.get::<_, i64>(1)?) + PIN_WINDOW,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Migration 5: every rider's name keys folded as [`fold_name`] folds (they were only
/// lower-cased before).
pub fn refold_names(tx: &rusqlite::Transaction<'_>) -> rusqlite_migration::HookResult {
    let names: Vec<(i64, String, String)> = {
        let mut st = tx.prepare("SELECT id, surname, name FROM riders")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut st = tx.prepare("UPDATE riders SET surname_key = ?2, name_key = ?3 WHERE id = ?1")?;
    for (id, surname, name) in names {
        st.execute(params![id, fold_name(&surname), fold_name(&name)])?;
    }
    Ok(())
}
