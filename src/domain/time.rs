//! Local time in the operator's zone (D13): a time-zone database, never a fixed offset.
//! Pure: every function takes the instant it works on.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The local calendar date of an instant.
pub fn local_date(tz: Tz, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// The instant of local 00:00 on `day` (the earliest, should a zone ever skip midnight).
pub fn local_midnight(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    local_to_utc(tz, day.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// R17: the posting instant for something that happened at `at`: 00:00 local of the next day.
pub fn next_local_midnight(tz: Tz, at: DateTime<Utc>) -> DateTime<Utc> {
    let day = local_date(tz, at) + Duration::days(1);
    local_midnight(tz, day)
}

/// A local wall-clock time as an instant. In a gap (a skipped hour) the first valid instant
/// after it is taken; in an overlap the earlier one.
pub fn local_to_utc(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, _) => a.with_timezone(&Utc),
        LocalResult::None => {
            let mut probe = local;
            for _ in 0..180 {
                probe += Duration::minutes(1);
                if let LocalResult::Single(t) | LocalResult::Ambiguous(t, _) =
                    tz.from_local_datetime(&probe)
                {
                    return t.with_timezone(&Utc);
                }
            }
            Utc.from_utc_datetime(&local)
        }
    }
}

/// Parse `YYYY-MM-DD HH:MM[:SS]` as local time in `tz`.
pub fn parse_local(tz: Tz, text: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"))
        .ok()?;
    Some(local_to_utc(tz, naive))
}

/// Show an instant as local `YYYY-MM-DD HH:MM:SS`.
pub fn format_local(tz: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&tz)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Almaty;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn d13_almaty_was_utc_plus_6_before_1_march_2024_and_utc_plus_5_after() {
        // Midnight of 29 Feb 2024 local was 18:00 UTC the day before (UTC+6) ...
        let before = local_midnight(Almaty, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert_eq!(before, utc("2024-02-28T18:00:00Z"));
        // ... and from 1 March 2024 local midnight is 19:00 UTC (UTC+5).
        let after = local_midnight(Almaty, NaiveDate::from_ymd_opt(2024, 3, 2).unwrap());
        assert_eq!(after, utc("2024-03-01T19:00:00Z"));
    }

    #[test]
    fn r17_d13_posting_is_at_the_next_local_midnight_on_both_sides_of_the_change() {
        let trip_end = parse_local(Almaty, "2024-02-15 23:59").unwrap();
        assert_eq!(
            next_local_midnight(Almaty, trip_end),
            utc("2024-02-15T18:00:00Z")
        );
        let trip_end = parse_local(Almaty, "2024-03-15 23:59").unwrap();
        assert_eq!(
            next_local_midnight(Almaty, trip_end),
            utc("2024-03-15T19:00:00Z")
        );
        // 23:30 UTC on 14 March is already 04:30 local on the 15th: posts at the 16th.
        let late_utc = utc("2024-03-14T23:30:00Z");
        assert_eq!(
            next_local_midnight(Almaty, late_utc),
            utc("2024-03-15T19:00:00Z")
        );
    }

    #[test]
    fn local_times_parse_with_and_without_seconds() {
        assert_eq!(
            parse_local(Almaty, "2025-06-01 09:00").unwrap(),
            utc("2025-06-01T04:00:00Z")
        );
        assert_eq!(
            parse_local(Almaty, "2025-06-01 09:00:20").unwrap(),
            utc("2025-06-01T04:00:20Z")
        );
        assert!(parse_local(Almaty, "2025-06-01").is_none());
        assert!(parse_local(Almaty, "2025-13-01 09:00").is_none());
    }
}
