//! Personal data masked in answers, by the one policy of [`crate::domain::mask`] (phone, e-mail, document, address, card, patronymic,
//! date of birth): the desk sees enough to recognise a rider (`+*******4567`, `С.`,
//! `1990-**-**`), and the full data only through `?reveal=REASON`, for a role that may,
//! audited.

use crate::api::RiderView;
use crate::api::{Rider, RiderHit};

pub use crate::domain::mask::{email, phone, tail};

pub fn rider(r: &mut Rider) {
    r.hide_name_and_birthday();
    r.phone = r.phone.as_deref().map(phone);
    r.email = r.email.as_deref().map(email);
    r.document = r.document.as_deref().map(crate::domain::mask::document);
    r.address = r.address.as_ref().map(|_| "***".to_string());
    r.card = r.card.as_deref().map(crate::domain::mask::card);
}

pub fn view(v: &mut RiderView) {
    rider(&mut v.rider);
}

pub fn hit(h: &mut RiderHit) {
    h.phone = h.phone.as_deref().map(phone);
    h.email = h.email.as_deref().map(email);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_what_recognises_a_rider() {
        assert_eq!(phone("+77011234567"), "+*******4567");
        assert_eq!(email("aigerim.s@mail.kz"), "a***@mail.kz");
        assert_eq!(tail("0123456789", 2), "********89");
        let mut r = Rider {
            patronymic: "Сергеевич".into(),
            born: crate::domain::Born::Date(chrono::NaiveDate::from_ymd_opt(1990, 5, 17).unwrap()),
            ..Rider::default()
        };
        rider(&mut r);
        assert_eq!(
            (r.patronymic.as_str(), r.born.to_string().as_str()),
            ("С.", "1990-**-**")
        );
        rider(&mut r);
        assert_eq!(r.patronymic, "С.", "masking twice changes nothing");
    }
}
