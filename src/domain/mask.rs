//! The one masking policy for personal data (issue 14 #7): what the server sends a role
//! that has not revealed a rider, and what the console shows of a rider it holds whole (a
//! local system) — the same strings either way, and masking a masked value changes nothing.
//! Enough to recognise a rider with the caller, not enough to copy: a phone's last four
//! digits (`+*******4567`), an e-mail's first letter and domain (`a***@mail.kz`), a
//! document's last two characters, a card's last four.

/// Keep the last `keep` characters, stars for the rest (spaces and a leading `+` kept).
pub fn tail(s: &str, keep: usize) -> String {
    let n = s.chars().count();
    s.chars()
        .enumerate()
        .map(|(i, ch)| {
            if i + keep >= n || ch == ' ' || (i == 0 && ch == '+') {
                ch
            } else {
                '*'
            }
        })
        .collect()
}

/// A phone number: its last four digits.
pub fn phone(p: &str) -> String {
    tail(p, 4)
}

/// An e-mail address: its first letter and its domain.
pub fn email(e: &str) -> String {
    match e.split_once('@') {
        Some((user, domain)) => {
            let first: String = user.chars().take(1).collect();
            let first = if first == "*" { String::new() } else { first };
            format!("{first}***@{domain}")
        }
        None => tail(e, 2),
    }
}

/// A document's number: its last two characters.
pub fn document(d: &str) -> String {
    tail(d, 2)
}

/// A contactless card's number: its last four characters.
pub fn card(c: &str) -> String {
    tail(c, 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_a_masked_value_changes_nothing() {
        for (f, raw) in [
            (phone as fn(&str) -> String, "+77011234567"),
            (email, "aigerim.s@mail.kz"),
            (document, "N12345678"),
            (card, "04A1B2C3D4E5F6"),
        ] {
            let once = f(raw);
            assert_ne!(once, raw);
            assert_eq!(f(&once), once, "{raw}");
        }
        assert_eq!(phone("+77011234567"), "+*******4567");
        assert_eq!(email("aigerim.s@mail.kz"), "a***@mail.kz");
        assert_eq!(document("N12345678"), "*******78");
    }
}
