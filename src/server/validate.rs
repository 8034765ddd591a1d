//! Bounds on what a request may ask for, checked before it reaches the engine: a rider's
//! registration (lengths, the date of birth, the PIN), a season's dates, a staff
//! password. Each refusal says which field and why (400 `invalid`). `/openapi.json`
//! documents the same bounds (the `#[schema(...)]` of the request types in `api`).

use super::problem::ApiError;
use crate::api::NewRider;
use chrono::{Datelike, NaiveDate};

/// The largest ID a rider, bike or station may be given.
pub const ID_MAX: i64 = 999_999_999;
/// The years a season may fall in.
pub const SEASON_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
/// D30 (the domain's bounds), said of the request's `field`: an amount of 1 to
/// 10,000,000 tenge, or for a correction (`signed`, its sign the direction) not 0 and at
/// most that in size. Checked here too so that the refusal names the field.
pub fn amount(field: &str, a: crate::domain::Tenge, signed: bool) -> Result<(), ApiError> {
    let checked = if signed {
        a.bounded_signed(field)
    } else {
        a.bounded(field)
    };
    checked
        .map(|_| ())
        .map_err(|e| ApiError::invalid(format!("request body: {e}")))
}

/// A staff password's length in characters.
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 1024;

fn text(field: &str, v: &str, min: usize, max: usize) -> Result<(), ApiError> {
    let n = v.chars().count();
    if n < min || n > max {
        return Err(ApiError::invalid(format!(
            "request body: {field}: {min} to {max} characters, not {n}"
        )));
    }
    if v.chars().any(char::is_control) {
        return Err(ApiError::invalid(format!(
            "request body: {field}: no control characters"
        )));
    }
    if min > 0 && v.trim().is_empty() {
        return Err(ApiError::invalid(format!(
            "request body: {field}: must not be blank"
        )));
    }
    Ok(())
}

fn optional(field: &str, v: &Option<String>, max: usize) -> Result<(), ApiError> {
    v.as_deref().map_or(Ok(()), |v| text(field, v, 0, max))
}

/// An ID of a new thing: from 1 to [`ID_MAX`].
pub fn new_id(field: &str, id: i64) -> Result<(), ApiError> {
    if (1..=ID_MAX).contains(&id) {
        Ok(())
    } else {
        Err(ApiError::invalid(format!(
            "request body: {field}: {id} is not from 1 to {ID_MAX}"
        )))
    }
}

/// A rider's registration: names 1–100 characters, contacts bounded, born between 1900
/// and `today`, a PIN of 4 to 8 digits.
pub fn new_rider(r: &NewRider, today: NaiveDate) -> Result<(), ApiError> {
    if let Some(id) = r.id {
        new_id("id", id.0)?;
    }
    text("surname", &r.surname, 1, 100)?;
    text("name", &r.name, 0, 100)?;
    text("patronymic", &r.patronymic, 0, 100)?;
    optional("phone", &r.phone, 100)?;
    optional("email", &r.email, 200)?;
    optional("document", &r.document, 100)?;
    optional("address", &r.address, 500)?;
    optional("concession", &r.concession, 100)?;
    optional("card", &r.card, 100)?;
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN);
    if r.born < earliest || r.born > today {
        return Err(ApiError::invalid(format!(
            "request body: born: {} is not from 1900-01-01 to today ({today})",
            r.born
        )));
    }
    let pin_ok = (4..=8).contains(&r.pin.len()) && r.pin.bytes().all(|b| b.is_ascii_digit());
    if !pin_ok {
        return Err(ApiError::invalid(
            "request body: pin: 4 to 8 digits".to_string(),
        ));
    }
    Ok(())
}

/// A season's dates: within the years [`SEASON_YEARS`].
pub fn season(from: NaiveDate, to: NaiveDate) -> Result<(), ApiError> {
    for (field, d) in [("from", from), ("to", to)] {
        if !SEASON_YEARS.contains(&d.year()) {
            return Err(ApiError::invalid(format!(
                "request body: {field}: {d} is not in the years {} to {}",
                SEASON_YEARS.start(),
                SEASON_YEARS.end()
            )));
        }
    }
    Ok(())
}

/// A new staff password: 8 to 1,024 characters.
pub fn password(p: &str) -> Result<(), ApiError> {
    let n = p.chars().count();
    if (PASSWORD_MIN..=PASSWORD_MAX).contains(&n) {
        Ok(())
    } else {
        Err(ApiError::invalid(format!(
            "request body: password: {PASSWORD_MIN} to {PASSWORD_MAX} characters, not {n}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_season_far_in_the_future_and_a_rider_born_tomorrow_are_refused() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert!(season(d(2025, 4, 1), d(2025, 10, 31)).is_ok());
        let e = season(d(2025, 4, 1), d(262_142, 1, 1)).unwrap_err();
        assert!(e.detail.contains("to: +262142-01-01"), "{}", e.detail);
        let today = d(2025, 6, 1);
        let mut r = NewRider {
            surname: "A".into(),
            name: "B".into(),
            born: d(1990, 1, 1),
            lang: "kk".into(),
            pin: "1234".into(),
            ..NewRider::default()
        };
        assert!(new_rider(&r, today).is_ok());
        r.born = d(2025, 6, 2);
        assert!(new_rider(&r, today).unwrap_err().detail.contains("born"));
        r.born = d(1990, 1, 1);
        r.pin = "12a4".into();
        assert!(new_rider(&r, today).unwrap_err().detail.contains("pin"));
        r.pin = "1234".into();
        r.surname = "x".repeat(60_000);
        assert!(new_rider(&r, today).unwrap_err().detail.contains("surname"));
    }
}
