//! The docking dispute's evidence in words (issue 17): the trip, the claim, what was
//! recorded about the bike with its times — the proof marked — the dock's faults, the
//! proposed end and the price difference. The dialog shows these lines before its confirm.

use crate::api::DisputeEvidence;
use crate::domain::dispute::{NoCase, Seen, Settlement, Sighting};
use crate::domain::time::format_local;
use crate::tui::text::{Lang, T, fill};

/// The mark a proof's line starts with (the dialog styles it; the line says PROOF too).
pub const PROOF_MARK: &str = "▶";

fn minute(tz: chrono_tz::Tz, at: chrono::DateTime<chrono::Utc>) -> String {
    let s = format_local(tz, at);
    s.get(..16).unwrap_or(&s).to_string()
}

/// What a record says, in words.
pub fn seen_words(seen: Seen, lang: Lang) -> String {
    match seen {
        Seen::LockError => T::DsLockError.get(lang).to_string(),
        Seen::Unrecognised => T::DsUnrecognised.get(lang).to_string(),
        Seen::AskedFor { rider } => fill(T::DsAskedFor.get(lang), &[&rider]),
        Seen::NextRental { rider } => fill(T::DsNextRental.get(lang), &[&rider]),
        Seen::DepotTook => T::DsDepotTook.get(lang).to_string(),
    }
}

/// Why there is nothing to settle, in words.
pub fn no_case_words(n: NoCase, lang: Lang) -> &'static str {
    match n {
        NoCase::NoProof => T::DsNoProof.get(lang),
        NoCase::SeenElsewhere => T::DsSeenElsewhere.get(lang),
        NoCase::EndedElsewhere => T::DsEndedElsewhere.get(lang),
        NoCase::InTheFuture | NoCase::BeforeStart | NoCase::AfterEnd => T::DsBadTime.get(lang),
        NoCase::NothingToGain => T::DsNoGain.get(lang),
        NoCase::AlreadySettled => T::DsSettled.get(lang),
    }
}

/// A record's time, as the ledger shows one (`02.06 10:05`).
fn short(tz: chrono_tz::Tz, at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&tz).format("%d.%m %H:%M").to_string()
}

fn sighting_line(s: &Sighting, tz: chrono_tz::Tz, lang: Lang) -> String {
    let mut place = fill(T::DsAtStation.get(lang), &[&s.station]);
    if let Some(d) = s.dock {
        place = format!("{place}, {}", fill(T::DsDock.get(lang), &[&d]));
    }
    format!("{}  {place}  {}", short(tz, s.at), seen_words(s.seen, lang))
}

/// The evidence as the dialog lists it.
pub fn lines(ev: &DisputeEvidence, tz: chrono_tz::Tz, lang: Lang) -> Vec<String> {
    let t = |x: T| x.get(lang);
    let state = match (ev.end_at, ev.end_station) {
        (Some(end), st) => fill(
            t(T::DsEnded),
            &[
                &minute(tz, end),
                &st.map(|s| s.to_string()).unwrap_or_else(|| "—".into()),
            ],
        ),
        (None, _) => t(T::DsOpen).to_string(),
    };
    let mut out = vec![
        fill(
            t(T::DsTrip),
            &[&ev.rental, &ev.bike, &minute(tz, ev.start_at), &state],
        ),
        fill(
            t(T::DsClaim),
            &[&ev.claim.station, &minute(tz, ev.claim.at)],
        ),
    ];
    if ev.sightings.is_empty() {
        out.push(t(T::DsNothingRecorded).to_string());
    } else {
        out.push(t(T::DsRecorded).to_string());
    }
    for (i, s) in ev.sightings.iter().enumerate() {
        let line = sighting_line(s, tz, lang);
        match ev.fair {
            Some(f) if f.proof == i => {
                out.push(format!("{PROOF_MARK} {line}  ◀ {}", t(T::DsProof)));
            }
            Some(f) if f.report == Some(i) => {
                out.push(format!("• {line}  ◀ {}", t(T::DsReport)));
            }
            _ => out.push(format!("  {line}")),
        }
    }
    if let (Some(last), Some(dock)) = (
        ev.dock_faults.first(),
        ev.dock_faults.first().and_then(|s| s.dock),
    ) {
        out.push(fill(
            t(T::DsDockHistory),
            &[
                &dock,
                &last.station,
                &ev.dock_faults.len(),
                &minute(tz, last.at),
            ],
        ));
    }
    match (ev.fair, ev.settlement, ev.fair_price) {
        (Some(f), Some(settle), Some(fair_price)) => {
            out.push(fill(t(T::DsFairEnd), &[&minute(tz, f.at), &f.station]));
            out.push(match settle {
                Settlement::EndAt { .. } => fill(
                    t(T::DsEndPrice),
                    &[&ev.price, &fair_price, &(ev.price - fair_price)],
                ),
                Settlement::Credit { amount } => {
                    fill(t(T::DsCredit), &[&ev.price, &fair_price, &amount])
                }
            });
        }
        _ => {
            let why = match ev.no_case {
                Some(n) => no_case_words(n, lang),
                None => t(T::DsNoGain),
            };
            out.push(fill(t(T::DsNothing), &[&why]));
        }
    }
    out
}
