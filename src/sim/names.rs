//! The demo city's riders: Kazakh, Russian, Uyghur, Korean, Tatar and Uzbek names as
//! Almaty's population has them, and visitors from abroad (non-residents, R2). Ages follow
//! a bike-share's users (mostly young, never under 16, R8); students and pensioners hold
//! their concession (docs/rules.md §1) at the rates assumed below. Deterministic from the seed.

use super::people::*;
use super::rng::SimRng;
use crate::api::NewRider;
use crate::domain::RiderId;
use chrono::{Datelike, NaiveDate};

/// The PIN of demo rider `id`: derived from the id alone, so that the simulator (or a
/// tester) can rent as any demo rider. Demo data only; a real PIN is the rider's secret.
pub fn demo_pin(id: RiderId) -> String {
    let mut r = SimRng::new(id.0 as u64).fork("pin");
    format!("{:04}", r.below(10_000))
}

/// A contactless card number (a 7-byte RFID UID in hex), unique per rider id.
pub fn card_of(id: RiderId) -> String {
    const MASK: u64 = (1 << 48) - 1;
    let mut x = (id.0 as u64) & MASK;
    for _ in 0..3 {
        x = x.wrapping_mul(0x5851_F42D_4C95_7F2D) & MASK;
        x ^= x >> 24;
    }
    format!("04{x:012X}")
}

pub fn feminine(surname: &str) -> String {
    if ["ов", "ев", "ёв", "ин"]
        .iter()
        .any(|s| surname.ends_with(s))
    {
        format!("{surname}а")
    } else {
        surname.to_string()
    }
}

/// A patronymic from the father's name: Сергей → Сергеевич / Сергеевна.
pub fn patronymic(father: &str, woman: bool) -> String {
    let (stem, m, f) = if let Some(stem) = father.strip_suffix("ий") {
        (format!("{stem}и"), "евич", "евна")
    } else if let Some(stem) = father.strip_suffix('й') {
        (stem.to_string(), "евич", "евна")
    } else {
        (father.to_string(), "ович", "овна")
    };
    format!("{stem}{}", if woman { f } else { m })
}

/// Latin letters for an e-mail address.
pub fn latin(s: &str) -> String {
    let mut out = String::new();
    for ch in s.to_lowercase().chars() {
        let t = match ch {
            'а' | 'ә' => "a",
            'б' => "b",
            'в' => "v",
            'г' | 'ғ' => "g",
            'д' => "d",
            'е' | 'э' => "e",
            'ё' => "yo",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' | 'і' => "i",
            'к' | 'қ' => "k",
            'л' => "l",
            'м' => "m",
            'н' | 'ң' => "n",
            'о' | 'ө' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' | 'ұ' | 'ү' => "u",
            'ф' => "f",
            'х' | 'һ' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "",
        };
        out.push_str(t);
    }
    out
}

/// An age as a bike share's riders have it: mostly 18–40, never under 16 (R8).
fn age(rng: &mut SimRng) -> i32 {
    match rng.below(100) {
        0..=29 => rng.between(16, 24) as i32,
        30..=64 => rng.between(25, 34) as i32,
        65..=86 => rng.between(35, 49) as i32,
        87..=95 => rng.between(50, 62) as i32,
        _ => rng.between(63, 75) as i32,
    }
}

/// Demo rider `id`, registered on `today` (ages count from it).
pub fn rider(rng: &mut SimRng, id: RiderId, today: NaiveDate) -> NewRider {
    let roll = rng.below(100);
    let (people, resident) = match roll {
        0..=57 => (&KAZAKH, true),
        58..=79 => (&RUSSIAN, true),
        80..=84 => (&UYGHUR, true),
        85..=87 => (&KOREAN, true),
        88..=89 => (&TATAR, true),
        90..=92 => (&UZBEK, true),
        _ => (&VISITORS, false),
    };
    let woman = rng.chance(0.45);
    let surname_m = rng.pick(people.surnames).copied().unwrap_or("Ахметов");
    let surname = if woman && people.feminine {
        feminine(surname_m)
    } else {
        surname_m.to_string()
    };
    let given = if woman { people.women } else { people.men };
    let name = rng.pick(given).copied().unwrap_or("Алия").to_string();
    let patronymic = if people.patronymic {
        let father = rng.pick(people.men).copied().unwrap_or("Марат");
        if std::ptr::eq(people, &KAZAKH) && rng.chance(0.3) {
            format!("{father} {}", if woman { "қызы" } else { "ұлы" })
        } else {
            patronymic(father, woman)
        }
    } else {
        String::new()
    };
    let years = age(rng);
    let born = NaiveDate::from_ymd_opt(today.year() - years, 1, 1)
        .and_then(|d| d.checked_add_days(chrono::Days::new(rng.below(365))))
        .and_then(|d| d.checked_sub_days(chrono::Days::new(366)))
        .unwrap_or(today);
    // ASSUMPTION: 40% of riders aged 17–24 are students with a student card; pensioners
    // from 63 (men) or 61 (women) nearly all hold the concession; 1% disability group 3.
    let concession = if !resident {
        None
    } else if (17..=24).contains(&years) && rng.chance(0.4) {
        Some("student")
    } else if years >= if woman { 61 } else { 63 } && rng.chance(0.9) {
        Some("pensioner")
    } else if rng.chance(0.01) {
        Some("disability3")
    } else {
        None
    };
    let lang = if !resident {
        "en"
    } else if std::ptr::eq(people, &KAZAKH) && rng.chance(0.6) {
        "kk"
    } else {
        "ru"
    };
    let phone = if resident || rng.chance(0.3) {
        let code = rng.pick(MOBILE_CODES).copied().unwrap_or("701");
        Some(format!("+7{code}{:07}", rng.below(10_000_000)))
    } else {
        None
    };
    let email = rng.chance(0.8).then(|| {
        let domain = rng.pick(MAIL_DOMAINS).copied().unwrap_or("mail.ru");
        format!(
            "{}.{}{}@{domain}",
            latin(&name),
            latin(&surname),
            rng.below(1000)
        )
    });
    let document = Some(if resident {
        format!("{:09}", rng.below(1_000_000_000))
    } else {
        format!("P{:08}", rng.below(100_000_000))
    });
    let address = resident.then(|| {
        let street = rng.pick(STREETS).copied().unwrap_or("пр. Абая");
        format!(
            "Алматы, {street}, {}, кв. {}",
            1 + rng.below(150),
            1 + rng.below(200)
        )
    });
    NewRider {
        id: Some(id),
        surname,
        name,
        patronymic,
        phone,
        email,
        document,
        address,
        born,
        resident,
        concession: concession.map(str::to_string),
        lang: lang.to_string(),
        pin: demo_pin(id),
        card: (resident && rng.chance(0.7)).then(|| card_of(id)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn population(n: i64) -> Vec<NewRider> {
        let mut rng = SimRng::new(42);
        let today = NaiveDate::from_ymd_opt(2025, 6, 2).unwrap();
        (1..=n)
            .map(|i| rider(&mut rng, RiderId(i), today))
            .collect()
    }

    #[test]
    fn r8_no_rider_is_under_16_and_visitors_are_not_residents() {
        let today = NaiveDate::from_ymd_opt(2025, 6, 2).unwrap();
        for r in population(2000) {
            let sixteen = NaiveDate::from_ymd_opt(r.born.year() + 16, r.born.month(), 1).unwrap();
            assert!(sixteen <= today, "{} born {}", r.surname, r.born);
            if !r.resident {
                assert_eq!(r.concession, None, "R2: concessions are for residents");
                assert_eq!(r.lang, "en");
            }
        }
    }

    #[test]
    fn a_mixed_city_with_concessions() {
        let all = population(3000);
        let kazakh = all.iter().filter(|r| r.lang == "kk").count();
        let visitors = all.iter().filter(|r| !r.resident).count();
        let students = all
            .iter()
            .filter(|r| r.concession.as_deref() == Some("student"))
            .count();
        let pensioners = all
            .iter()
            .filter(|r| r.concession.as_deref() == Some("pensioner"))
            .count();
        assert!(
            kazakh > 500 && visitors > 100 && students > 100 && pensioners > 10,
            "kk {kazakh}, visitors {visitors}, students {students}, pensioners {pensioners}"
        );
        assert!(all.iter().any(|r| r.surname.ends_with("ова")));
        assert!(all.iter().any(|r| r.patronymic.ends_with("қызы")));
    }

    #[test]
    fn pins_and_cards_depend_on_the_id_only() {
        assert_eq!(demo_pin(RiderId(17)), demo_pin(RiderId(17)));
        assert_eq!(demo_pin(RiderId(17)).len(), 4);
        let cards: std::collections::BTreeSet<_> = (1..5000).map(|i| card_of(RiderId(i))).collect();
        assert_eq!(cards.len(), 4999);
    }
}
