//! Realistic riders for benchmarks: Kazakh and Russian names, patronymics, +7 phones,
//! e-mails and contactless cards, from the demo city's name lists (`sim::people`). Deterministic: rider N is the same in every run, so a
//! bench can ask for rider N's phone without reading it back.

use crate::api::NewRider;
use crate::domain::RiderId;
use crate::sim::names::{self, feminine, latin as translit, patronymic};
use crate::sim::people::{KAZAKH, KOREAN, MAIL_DOMAINS, MOBILE_CODES, RUSSIAN, STREETS};
use chrono::NaiveDate;

/// SplitMix64: a small, fast, well-mixed generator (no dependency needed for a bench).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A contactless card number for rider `id` (the demo city's scheme: unique per rider).
pub fn card_of(id: u64) -> String {
    names::card_of(RiderId(id as i64))
}

/// Rider `id` of the bench population, always the same.
pub fn rider(id: u64) -> NewRider {
    let mut rng = Rng::new(id.wrapping_mul(0xA076_1D64_78BD_642F) ^ 0x7E57_0BE7);
    let woman = rng.chance(50);
    let kazakh = rng.chance(65);
    let korean = !kazakh && rng.chance(8);
    let surname_m = if kazakh {
        *rng.pick(KAZAKH.surnames)
    } else if korean {
        *rng.pick(KOREAN.surnames)
    } else {
        *rng.pick(RUSSIAN.surnames)
    };
    let surname = if woman {
        feminine(surname_m)
    } else {
        surname_m.to_string()
    };
    let given = match (kazakh, woman) {
        (true, false) => *rng.pick(KAZAKH.men),
        (true, true) => *rng.pick(KAZAKH.women),
        (false, false) => *rng.pick(RUSSIAN.men),
        (false, true) => *rng.pick(RUSSIAN.women),
    };
    let father = if kazakh {
        *rng.pick(KAZAKH.men)
    } else {
        *rng.pick(RUSSIAN.men)
    };
    let patronymic = if kazakh && rng.chance(40) {
        format!("{father} {}", if woman { "қызы" } else { "ұлы" })
    } else {
        patronymic(father, woman)
    };
    let phone = rng.chance(98).then(|| {
        let code = rng.pick(MOBILE_CODES);
        format!("+7{code}{:07}", rng.below(10_000_000))
    });
    let email = rng.chance(85).then(|| {
        let domain = rng.pick(MAIL_DOMAINS);
        format!(
            "{}.{}{}@{domain}",
            translit(given),
            translit(&surname),
            rng.below(10_000)
        )
    });
    let born = NaiveDate::from_ymd_opt(1950, 1, 1)
        .unwrap_or_default()
        .checked_add_days(chrono::Days::new(rng.below(58 * 365)))
        .unwrap_or_default();
    let concession = match rng.below(100) {
        0..=4 => Some("student".to_string()),
        5..=8 => Some("pensioner".to_string()),
        9 => Some("disability3".to_string()),
        _ => None,
    };
    let lang = match rng.below(10) {
        0..=3 => "kk",
        4..=8 => "ru",
        _ => "en",
    };
    let street = rng.pick(STREETS);
    NewRider {
        id: Some(RiderId(id as i64)),
        surname,
        name: given.to_string(),
        patronymic,
        phone,
        email,
        document: Some(format!("{:09}", rng.below(1_000_000_000))),
        address: Some(format!(
            "{street}, {}, кв. {}",
            1 + rng.below(150),
            1 + rng.below(300)
        )),
        born,
        resident: rng.chance(95),
        concession,
        lang: lang.to_string(),
        pin: format!("{:04}", rng.below(10_000)),
        card: rng.chance(70).then(|| card_of(id)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn riders_are_deterministic_and_look_real() {
        let a = rider(42);
        let b = rider(42);
        assert_eq!(a.surname, b.surname);
        assert_eq!(a.phone, b.phone);
        assert!(a.phone.iter().all(|p| p.starts_with("+7") && p.len() == 12));
        assert!(a.email.iter().all(|e| e.is_ascii() && e.contains('@')));
    }

    #[test]
    fn feminine_surnames_and_patronymics() {
        assert_eq!(feminine("Ахметов"), "Ахметова");
        assert_eq!(feminine("Ким"), "Ким");
        assert_eq!(patronymic("Сергей", false), "Сергеевич");
        assert_eq!(patronymic("Дмитрий", true), "Дмитриевна");
        assert_eq!(patronymic("Нурлан", true), "Нурлановна");
        assert_eq!(translit("Айгерим"), "aigerim");
        assert_eq!(translit("Жулдыз"), "zhuldyz");
    }

    #[test]
    fn cards_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for id in 1..=200_000 {
            assert!(seen.insert(card_of(id)), "card of rider {id} repeats");
        }
    }
}
