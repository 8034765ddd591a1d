//! The console's words that are not one fixed text: counts with plural forms, `{}` filling,
//! and kinds, statuses, roles and refusals worded in the desk's language.

use super::text::{Lang, T};
use std::fmt::Display;

/// What a search matched on, in words (the system's word when the console has none).
pub fn matched(what: &str, lang: Lang) -> String {
    let t = match what {
        "id" => T::MId,
        "riding bike" => T::MRiding,
        "phone" => T::MPhone,
        "card" => T::MCard,
        "e-mail" => T::MEmail,
        "surname" => T::MSurname,
        "name" => T::MName,
        other => return other.to_string(),
    };
    t.get(lang).to_string()
}

/// A staff role in words.
pub fn role_name(r: crate::domain::roles::Role, lang: Lang) -> &'static str {
    use crate::domain::roles::Role;
    match r {
        Role::Agent => T::RoleAgent,
        Role::Depot => T::RoleDepot,
        Role::Supervisor => T::RoleSupervisor,
        Role::Admin => T::RoleAdmin,
    }
    .get(lang)
}

/// A payment method in words.
pub fn pay_method(m: crate::api::PayMethod, lang: Lang) -> &'static str {
    use crate::api::PayMethod;
    match m {
        PayMethod::Cash => T::PmCash,
        PayMethod::Card => T::PmCard,
        PayMethod::Bank => T::PmBank,
    }
    .get(lang)
}

/// A thing counted, for [`count`]'s plural forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Noun {
    Bike,
    Dock,
    Station,
    Alert,
}

impl Noun {
    pub const ALL: [Noun; 4] = [Noun::Bike, Noun::Dock, Noun::Station, Noun::Alert];

    /// The forms a language needs: English one and many; Russian one (1, 21), few (2–4,
    /// 22–24) and many (5–20, 25…); Kazakh one form (a noun after a numeral stays singular).
    /// An exhaustive match: a noun without a language does not compile.
    fn forms(self, lang: Lang) -> &'static [&'static str] {
        match (self, lang) {
            (Noun::Bike, Lang::En) => &["bike", "bikes"],
            (Noun::Bike, Lang::Ru) => &["велосипед", "велосипеда", "велосипедов"],
            (Noun::Bike, Lang::Kk) => &["велосипед"],
            (Noun::Dock, Lang::En) => &["dock", "docks"],
            (Noun::Dock, Lang::Ru) => &["док", "дока", "доков"],
            (Noun::Dock, Lang::Kk) => &["док"],
            (Noun::Station, Lang::En) => &["station", "stations"],
            (Noun::Station, Lang::Ru) => &["станция", "станции", "станций"],
            (Noun::Station, Lang::Kk) => &["бекет"],
            (Noun::Alert, Lang::En) => &["alert", "alerts"],
            (Noun::Alert, Lang::Ru) => &["тревога", "тревоги", "тревог"],
            (Noun::Alert, Lang::Kk) => &["дабыл"],
        }
    }
}

/// Which plural form a number takes in a language (an index into [`Noun::forms`]).
pub fn plural_form(n: u64, lang: Lang) -> usize {
    match lang {
        Lang::En => usize::from(n != 1),
        Lang::Ru => {
            let (m10, m100) = (n % 10, n % 100);
            if m10 == 1 && m100 != 11 {
                0
            } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
                1
            } else {
                2
            }
        }
        Lang::Kk => 0,
    }
}

/// `1 велосипед`, `2 велосипеда`, `5 велосипедов`; `5 велосипед` in Kazakh; `5 bikes`.
pub fn count(n: u64, noun: Noun, lang: Lang) -> String {
    let forms = noun.forms(lang);
    let form = forms
        .get(plural_form(n, lang))
        .or(forms.last())
        .copied()
        .unwrap_or("");
    format!("{n} {form}")
}

/// Fill `{}` placeholders in order.
pub fn fill(template: &str, args: &[&dyn Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    let mut args = args.iter();
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        match args.next() {
            Some(a) => out.push_str(&a.to_string()),
            None => out.push_str("{}"),
        }
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

/// A ledger entry's kind in words (its stored word when unknown).
pub fn entry_kind(kind: &str, lang: Lang) -> String {
    let t = match kind {
        "payment" => T::EkPayment,
        "pass-fee" => T::EkPassFee,
        "trip-charge" => T::EkTripCharge,
        "fine" => T::EkFine,
        "bonus-credit" => T::EkBonusCredit,
        "bonus-forfeit" => T::EkBonusForfeit,
        "deposit-hold" => T::EkDepositHold,
        "deposit-capture" => T::EkDepositCapture,
        "deposit-release" => T::EkDepositRelease,
        "refund" => T::EkRefund,
        "claim-credit" => T::EkClaimCredit,
        "correction" => T::EkCorrection,
        "card-fee" => T::EkCardFee,
        other => return other.to_string(),
    };
    t.get(lang).to_string()
}

/// A case's status in words.
pub fn case_status(s: crate::api::CaseStatus, lang: Lang) -> String {
    use crate::api::CaseStatus as S;
    match s {
        S::Open => T::CsOpen,
        S::WaitingRider => T::CsWaitingRider,
        S::WaitingDepot => T::CsWaitingDepot,
        S::Closed => T::CsClosed,
    }
    .get(lang)
    .to_string()
}

/// A handover item's kind in words.
pub fn handover_kind(k: crate::api::HandoverKind, lang: Lang) -> String {
    use crate::api::HandoverKind as K;
    match k {
        K::Case => T::HkCase,
        K::CableLock => T::HkCableLock,
        K::Fine => T::HkFine,
        K::Alert => T::HkAlert,
        K::Note => T::HkNote,
    }
    .get(lang)
    .to_string()
}

/// A fine kind in words.
pub fn fine_kind(kind: &str, lang: Lang) -> String {
    let t = match kind {
        "late" => T::FkLate,
        "damage" => T::FkDamage,
        "accident" => T::FkAccident,
        "no-explanation" => T::FkNoExplanation,
        "parts" => T::FkParts,
        "access-sharing" => T::FkAccessSharing,
        other => return other.to_string(),
    };
    t.get(lang).to_string()
}

/// A fine's state in words.
pub fn fine_status(status: &str, lang: Lang) -> String {
    let t = match status {
        "pending" => T::FsPending,
        "posted" => T::FsPosted,
        "rejected" => T::FsRejected,
        other => return other.to_string(),
    };
    t.get(lang).to_string()
}

/// A pass by its scenario name, in words; the tariff's own label when it is another.
pub fn pass_name(id: &str, label: &str, lang: Lang) -> String {
    let t = match (id, label) {
        ("seasonal", "Yearly") => T::PassYearly,
        ("monthly", _) => T::PassMonthly,
        ("quarterly", _) => T::PassQuarterly,
        ("seasonal", _) => T::PassSeasonal,
        ("day1", _) => T::PassDay1,
        ("day3", _) => T::PassDay3,
        ("day7", _) => T::PassDay7,
        _ => return label.to_string(),
    };
    t.get(lang).to_string()
}

/// One line of a quote in words: its detail worded in `lang` (the engine's English label
/// when an older server sent no detail).
pub fn price_item(i: &crate::domain::pricing::PriceItem, lang: Lang) -> String {
    use crate::domain::pricing::ItemDetail as D;
    let Some(d) = &i.detail else {
        return i.label.clone();
    };
    match d {
        D::Included { minutes, up_to } => fill(T::PiIncluded.get(lang), &[minutes, up_to]),
        D::Bracket {
            minutes,
            from,
            up_to,
        } => fill(T::PiBracket.get(lang), &[minutes, from, up_to]),
        D::Tail {
            minutes,
            past,
            add,
            every,
        } => fill(T::PiTail.get(lang), &[minutes, past, add, every]),
        D::AllInclusive { minutes, pass } => fill(
            T::PiAllInclusive.get(lang),
            &[minutes, &pass_name(pass, pass, lang)],
        ),
        D::Overuse { days, per_day } => fill(T::PiOveruse.get(lang), &[days, per_day]),
        D::LateFine {
            days,
            after_hours,
            per_day,
        } => fill(T::PiLateFine.get(lang), &[days, after_hours, per_day]),
    }
}

/// A refusal or failure as a sentence in the desk's language, then the system's detail.
pub fn describe(e: &crate::api::BackendError, lang: Lang) -> String {
    use crate::api::BackendError as E;
    use crate::domain::Refusal as R;
    let (t, detail) = match e {
        E::Refused { kind, message } => (
            match kind {
                R::Restricted => T::RfRestricted,
                R::LowBalance => T::RfLowBalance,
                R::NoPass => T::RfNoPass,
                R::AlreadyRenting => T::RfAlreadyRenting,
                R::BikeUnavailable => T::RfBikeUnavailable,
                R::BadPin => T::RfBadPin,
                R::UnderAge => T::RfUnderAge,
                R::NotResident => T::RfNotResident,
                R::NotEligible => T::RfNotEligible,
                R::NoDeposit => T::RfNoDeposit,
                R::StationFull => T::RfStationFull,
                R::NotRenting => T::RfNotRenting,
                R::NotAuthorised => T::RfNotAuthorised,
                R::OutOfSeason => T::RfOutOfSeason,
                R::Forbidden => T::RfForbidden,
                R::NotFound => T::RfNotFound,
                R::Invalid => T::RfInvalid,
            },
            message,
        ),
        E::Conflict { message } => (T::RfConflict, message),
        E::Unavailable { message } => (T::RfUnavailable, message),
        E::Internal { message } => (T::RfInternal, message),
    };
    if detail.is_empty() {
        format!("{}.", t.get(lang))
    } else {
        format!("{}: {detail}.", t.get(lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A quote's lines are worded by the console from their data (R3, R7, D2, D4): in
    /// English exactly as the engine's label, in Russian and Kazakh in those languages.
    #[test]
    fn r3_d4_quote_lines_are_worded_in_the_desks_language() {
        use crate::domain::pricing::{TripTime, quote};
        let t = crate::domain::tariff::load_named("astana")
            .unwrap()
            .unwrap();
        let pass = t.pass("monthly").unwrap().clone();
        for minutes in [10, 45, 100, 400, 60 * 30] {
            let q = quote(&t, &pass, TripTime::single(minutes * 60, 0));
            for i in &q.items {
                assert!(i.detail.is_some(), "{i:?}");
                assert_eq!(price_item(i, Lang::En), i.label, "{minutes} min");
                for l in [Lang::Ru, Lang::Kk] {
                    let w = price_item(i, l);
                    assert_ne!(w, i.label, "{minutes} min in {l:?}");
                    assert!(w.contains(&minutes.to_string()) || w.contains("×"), "{w}");
                }
            }
        }
        let q = quote(&t, &pass, TripTime::single(45 * 60, 0));
        assert_eq!(
            price_item(&q.items[0], Lang::Ru),
            "поездка 45 мин (интервал 31–60 мин)"
        );
        let late = quote(&t, &pass, TripTime::single(49 * 3600, 0));
        let fine = late
            .items
            .iter()
            .find(|i| {
                i.detail.as_ref().is_some_and(|d| {
                    matches!(d, crate::domain::pricing::ItemDetail::LateFine { .. })
                })
            })
            .unwrap();
        assert!(
            price_item(fine, Lang::Kk).starts_with("кеш қайтару: 2 күн (24 сағаттан кейін)"),
            "{}",
            price_item(fine, Lang::Kk)
        );
        // An older server's line without data keeps the engine's words.
        let mut old = q.items[0].clone();
        old.detail = None;
        assert_eq!(price_item(&old, Lang::Ru), old.label);
    }

    #[test]
    fn plurals_as_people_say_them() {
        let bikes = |n, l| count(n, Noun::Bike, l);
        assert_eq!(bikes(1, Lang::Ru), "1 велосипед");
        assert_eq!(bikes(2, Lang::Ru), "2 велосипеда");
        assert_eq!(bikes(5, Lang::Ru), "5 велосипедов");
        assert_eq!(bikes(11, Lang::Ru), "11 велосипедов");
        assert_eq!(bikes(21, Lang::Ru), "21 велосипед");
        assert_eq!(bikes(22, Lang::Ru), "22 велосипеда");
        assert_eq!(bikes(112, Lang::Ru), "112 велосипедов");
        assert_eq!(bikes(5, Lang::Kk), "5 велосипед");
        assert_eq!(bikes(1, Lang::En), "1 bike");
        assert_eq!(bikes(0, Lang::En), "0 bikes");
        for noun in Noun::ALL {
            for lang in [Lang::En, Lang::Ru, Lang::Kk] {
                for n in 0..30 {
                    assert!(
                        !count(n, noun, lang).ends_with(' '),
                        "{noun:?} {lang:?} {n}"
                    );
                }
            }
        }
    }

    #[test]
    fn locale_and_fill() {
        assert_eq!(Lang::from_locale(Some("ru_RU.UTF-8")), Lang::Ru);
        assert_eq!(Lang::from_locale(Some("kk_KZ")), Lang::Kk);
        assert_eq!(Lang::from_locale(Some("C")), Lang::En);
        assert_eq!(fill("{} of {}", &[&1, &"two"]), "1 of two");
    }
}
