//! The rental's own rules, pure: the window a daily pass gives (D19), when a rental is
//! overdue (R15, D20, D24), how a dock reports a return (R12, R13), and the count of wrong
//! PINs that locks a rider out for a while (D29).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A pass as the window rules see it: when it runs and whether it is a daily pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassSpan {
    pub starts_at: DateTime<Utc>,
    /// Its end, or an earlier end (a refund).
    pub valid_until: DateTime<Utc>,
    /// A daily pass (R5): all-inclusive inside its window.
    pub all_inclusive: bool,
}

/// D19: the end of the window a daily pass gives: its own end, carried on by the daily
/// passes bought back to back after it (each beginning when the one before ends), to the
/// end of the last of them. A pass of another kind ends its own window.
pub fn window_end(pass: PassSpan, rider_passes: &[PassSpan]) -> DateTime<Utc> {
    let mut end = pass.valid_until;
    if !pass.all_inclusive {
        return end;
    }
    // Each step moves `end` forward, so this ends after at most one step per pass.
    while let Some(next) = rider_passes
        .iter()
        .filter(|p| p.all_inclusive && p.starts_at == end && p.valid_until > end)
        .map(|p| p.valid_until)
        .max()
    {
        end = next;
    }
    end
}

/// R15, D20, D24: the instant from which a rental is overdue. On a monthly-type pass, past
/// `late_after_hours` from when this bike was taken (not from the start of a chain, D24); on
/// a daily pass, past the end of its window (D19), however long the rental is.
pub fn overdue_from(
    taken_at: DateTime<Utc>,
    late_after_hours: i64,
    daily_window_end: Option<DateTime<Utc>>,
) -> DateTime<Utc> {
    match daily_window_end {
        Some(end) => end,
        None => taken_at + Duration::hours(late_after_hours),
    }
}

/// What a dock reports when a bike is pushed in (R12, R13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DockOutcome {
    /// «Қайтару ОК»: locked, the rental ends.
    Locked,
    /// «Бұғаттау қатесі»: the dock failed to lock; the rental goes on and the dock stays free.
    LockError,
    /// «Танылмаған станция»: the station did not recognise the bike; as a lock error.
    Unrecognised,
    /// Put back and reported faulty (R13): right after the start the trip is cancelled.
    Faulty,
}

impl DockOutcome {
    pub const ALL: [DockOutcome; 4] = [
        DockOutcome::Locked,
        DockOutcome::LockError,
        DockOutcome::Unrecognised,
        DockOutcome::Faulty,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DockOutcome::Locked => "locked",
            DockOutcome::LockError => "lock-error",
            DockOutcome::Unrecognised => "unrecognised",
            DockOutcome::Faulty => "faulty",
        }
    }

    pub fn parse(s: &str) -> Option<DockOutcome> {
        DockOutcome::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// The bike did not lock: the rental goes on (R12).
    pub fn failed(self) -> bool {
        matches!(self, DockOutcome::LockError | DockOutcome::Unrecognised)
    }
}

/// How a rental ended (R12–R14, §5): the word stored with it and sent on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EndHow {
    /// Pushed into a free dock, "Return OK" (R12).
    Dock,
    /// Cable-locked at a full station with staff permission (R14).
    CableLock,
    /// Ended by hand by staff, with a reason (docs/rules.md §5).
    Staff,
    /// Reported faulty right after the start: the trip is cancelled (R13), and it never
    /// chains onto the next one (D3).
    Faulty,
}

impl EndHow {
    pub const ALL: [EndHow; 4] = [
        EndHow::Dock,
        EndHow::CableLock,
        EndHow::Staff,
        EndHow::Faulty,
    ];

    /// The word stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            EndHow::Dock => "dock",
            EndHow::CableLock => "cable-lock",
            EndHow::Staff => "staff",
            EndHow::Faulty => "faulty",
        }
    }

    pub fn parse(s: &str) -> Option<EndHow> {
        EndHow::ALL.into_iter().find(|h| h.as_str() == s)
    }
}

impl std::fmt::Display for EndHow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

super::same_word!(EndHow);

/// D29: a wrong PIN is counted while it comes less than this after the one before, and the
/// lock lasts this long after the last wrong try.
pub const PIN_WINDOW: Duration = Duration::minutes(15);
/// D29: from this many wrong PINs in a row, unlocks and cable locks are refused.
pub const PIN_TRIES: u32 = 5;

/// D29: a rider's wrong PINs in a row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PinTries {
    pub wrong: u32,
    pub last_wrong: Option<DateTime<Utc>>,
}

impl PinTries {
    /// Until when the rider's PIN is locked, if it is at `now`.
    pub fn locked_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let until = self.last_wrong? + PIN_WINDOW;
        (self.wrong >= PIN_TRIES && now < until).then_some(until)
    }

    /// The count after a wrong PIN at `now`: one more when the last came less than
    /// [`PIN_WINDOW`] before, else it starts again at 1.
    pub fn after_wrong(&self, now: DateTime<Utc>) -> PinTries {
        let in_a_row = self.last_wrong.is_some_and(|l| now - l < PIN_WINDOW);
        PinTries {
            wrong: if in_a_row {
                self.wrong.saturating_add(1)
            } else {
                1
            },
            last_wrong: Some(now),
        }
    }

    /// Whether this wrong PIN is the one that locks the rider (the desk is alerted once).
    pub fn just_locked(&self) -> bool {
        self.wrong == PIN_TRIES
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 1, h, m, s).unwrap()
    }

    fn span(from: DateTime<Utc>, hours: i64, daily: bool) -> PassSpan {
        PassSpan {
            starts_at: from,
            valid_until: from + Duration::hours(hours),
            all_inclusive: daily,
        }
    }

    #[test]
    fn r12_r14_every_way_a_rental_ends_reads_back_from_its_stored_word() {
        for h in EndHow::ALL {
            assert_eq!(EndHow::parse(h.as_str()), Some(h));
            assert_eq!(
                serde_json::to_string(&h).unwrap(),
                format!("\"{}\"", h.as_str())
            );
        }
        assert_eq!(EndHow::parse("cable_lock"), None);
    }

    #[test]
    fn d19_daily_passes_back_to_back_are_one_window() {
        let first = span(t(9, 0, 0), 24, true);
        let second = span(first.valid_until, 72, true);
        let third = span(second.valid_until + Duration::hours(1), 24, true);
        let all = [first, second, third];
        assert_eq!(window_end(first, &all), second.valid_until);
        assert_eq!(window_end(second, &all), second.valid_until);
        assert_eq!(window_end(third, &all), third.valid_until);
        let monthly = span(first.valid_until, 720, false);
        assert_eq!(window_end(first, &[first, monthly]), first.valid_until);
    }

    #[test]
    fn d20_d24_overdue_counts_from_the_bike_or_the_daily_window() {
        let taken = t(9, 0, 0);
        assert_eq!(overdue_from(taken, 24, None), taken + Duration::hours(24));
        let window = taken + Duration::hours(168);
        assert_eq!(overdue_from(taken, 24, Some(window)), window);
    }

    #[test]
    fn d29_five_wrong_pins_in_a_row_lock_for_15_minutes_after_the_last() {
        let mut p = PinTries::default();
        for i in 0..4 {
            p = p.after_wrong(t(10, i, 0));
            assert_eq!(p.locked_until(t(10, i, 0)), None);
        }
        p = p.after_wrong(t(10, 4, 0));
        assert!(p.just_locked());
        assert_eq!(p.locked_until(t(10, 4, 0)), Some(t(10, 19, 0)));
        assert_eq!(p.locked_until(t(10, 18, 59)), Some(t(10, 19, 0)));
        assert_eq!(p.locked_until(t(10, 19, 0)), None);
        // a wrong try meanwhile is counted and extends the lock
        p = p.after_wrong(t(10, 10, 0));
        assert!(!p.just_locked());
        assert_eq!(p.locked_until(t(10, 20, 0)), Some(t(10, 25, 0)));
    }

    #[test]
    fn d29_a_wrong_pin_15_minutes_after_the_last_starts_the_count_again() {
        let p = PinTries {
            wrong: 4,
            last_wrong: Some(t(10, 0, 0)),
        };
        assert_eq!(p.after_wrong(t(10, 14, 59)).wrong, 5);
        assert_eq!(p.after_wrong(t(10, 15, 0)).wrong, 1);
    }
}
