//! The desk's catalogues (issue 17): why a rider called (a contact's reason, a case's kind)
//! and how the contact ended (its outcome), kept as data in `assets/desk/reasons.toml` and
//! `assets/desk/outcomes.toml`, each entry a stable key and its words in kk, ru and en. The
//! files are embedded (`include_str!`): the binary stands alone. Pure: parsing and checks.

use serde::Deserialize;
use std::sync::OnceLock;

/// One entry of a catalogue: its stable key and its words.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub key: String,
    pub kk: String,
    pub ru: String,
    pub en: String,
}

impl Entry {
    /// The entry's words in `lang` (`kk`, `ru`, anything else: English).
    pub fn words(&self, lang: &str) -> &str {
        match lang {
            "kk" => &self.kk,
            "ru" => &self.ru,
            _ => &self.en,
        }
    }
}

/// A catalogue: its entries in the file's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    /// What it lists (`reason`, `outcome`): the table's name in its file.
    pub what: &'static str,
    pub entries: Vec<Entry>,
}

impl Catalogue {
    /// Parse a catalogue's TOML (`[[what]]` tables), saying what is wrong and where: the
    /// file, the entry's number and key, the field.
    pub fn parse(file: &str, what: &'static str, source: &str) -> Result<Catalogue, String> {
        let table: toml::Table = source
            .parse()
            .map_err(|e: toml::de::Error| format!("{file}: {}", e.message()))?;
        if let Some(other) = table.keys().find(|k| k.as_str() != what) {
            return Err(format!(
                "{file}: unknown table {other:?}: the entries are [[{what}]]"
            ));
        }
        let Some(list) = table.get(what) else {
            return Err(format!("{file}: no [[{what}]] entry"));
        };
        let Some(items) = list.as_array() else {
            return Err(format!(
                "{file}: {what} must be a list of [[{what}]] tables"
            ));
        };
        let mut entries: Vec<Entry> = Vec::new();
        for (i, v) in items.iter().enumerate() {
            let n = i + 1;
            let e: Entry = v
                .clone()
                .try_into()
                .map_err(|e: toml::de::Error| format!("{file}: {what} {n}: {}", e.message()))?;
            if !valid_key(&e.key) {
                return Err(format!(
                    "{file}: {what} {n}: key {:?} must be lower-case letters and '-' (a stable id)",
                    e.key
                ));
            }
            for (lang, words) in [("kk", &e.kk), ("ru", &e.ru), ("en", &e.en)] {
                if words.trim().is_empty() {
                    return Err(format!(
                        "{file}: {what} {n} ({}): its words in {lang} are empty",
                        e.key
                    ));
                }
            }
            if entries.iter().any(|x| x.key == e.key) {
                return Err(format!(
                    "{file}: {what} {n}: key {:?} is listed twice",
                    e.key
                ));
            }
            entries.push(e);
        }
        if entries.is_empty() {
            return Err(format!("{file}: no [[{what}]] entry"));
        }
        Ok(Catalogue { what, entries })
    }

    /// The entry of `key`, if it is one.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// The keys, in order (for refusals that list what may be used).
    pub fn keys(&self) -> Vec<&str> {
        self.entries.iter().map(|e| e.key.as_str()).collect()
    }

    /// `key`'s words in `lang`, or the key itself when the catalogue does not list it
    /// (a record written before an entry was dropped).
    pub fn words<'a>(&'a self, key: &'a str, lang: &str) -> &'a str {
        self.get(key).map(|e| e.words(lang)).unwrap_or(key)
    }

    /// A refusal's words when `key` is not in the catalogue.
    pub fn check(&self, key: &str) -> Result<(), String> {
        match self.get(key) {
            Some(_) => Ok(()),
            None => Err(format!(
                "{key:?} is not a contact {}: use one of {}",
                self.what,
                self.keys().join(", ")
            )),
        }
    }
}

fn valid_key(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 40
        && k.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        && !k.starts_with('-')
        && !k.ends_with('-')
}

/// Both catalogues, as this velodesk was built with them.
#[derive(Debug, Clone)]
pub struct Catalogues {
    pub reasons: Catalogue,
    pub outcomes: Catalogue,
}

/// The reasons and outcomes every contact must be able to use (issue 17).
pub const REQUIRED_REASONS: [&str; 8] = [
    "docking-problem",
    "charge-question",
    "lost-card",
    "damage-report",
    "pass-purchase",
    "refund",
    "complaint",
    "other",
];
pub const REQUIRED_OUTCOMES: [&str; 5] =
    ["resolved", "credited", "fined", "escalated", "call-back"];

/// Parse both catalogues and check that the required keys are there.
pub fn load(reasons: &str, outcomes: &str) -> Result<Catalogues, String> {
    let reasons = Catalogue::parse("assets/desk/reasons.toml", "reason", reasons)?;
    let outcomes = Catalogue::parse("assets/desk/outcomes.toml", "outcome", outcomes)?;
    for (c, required) in [
        (&reasons, &REQUIRED_REASONS[..]),
        (&outcomes, &REQUIRED_OUTCOMES[..]),
    ] {
        if let Some(k) = required.iter().find(|k| c.get(k).is_none()) {
            return Err(format!(
                "the desk's {}s lack {k:?}, which velodesk relies on",
                c.what
            ));
        }
    }
    Ok(Catalogues { reasons, outcomes })
}

/// The embedded catalogues (parsed once). An error says which file and entry is wrong; the
/// tests parse them, so a build with a broken file does not pass its checks.
pub fn catalogues() -> Result<&'static Catalogues, String> {
    static LOADED: OnceLock<Result<Catalogues, String>> = OnceLock::new();
    LOADED
        .get_or_init(|| {
            load(
                include_str!("../../assets/desk/reasons.toml"),
                include_str!("../../assets/desk/outcomes.toml"),
            )
        })
        .as_ref()
        .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_catalogues_load_with_every_required_key_in_three_languages() {
        let c = catalogues().unwrap();
        assert_eq!(c.reasons.words("lost-card", "ru"), "Потеря карты");
        assert_eq!(c.outcomes.words("credited", "en"), "Credited");
        assert_eq!(c.outcomes.words("call-back", "kk"), "Қайта қоңырау шалу");
        assert!(
            c.outcomes
                .check("refunded-twice")
                .unwrap_err()
                .contains("resolved")
        );
    }

    #[test]
    fn a_bad_catalogue_says_what_is_wrong_and_where() {
        let missing_ru = "[[reason]]\nkey = \"x\"\nkk = \"a\"\nru = \"\"\nen = \"b\"\n";
        let e = Catalogue::parse("r.toml", "reason", missing_ru).unwrap_err();
        assert_eq!(e, "r.toml: reason 1 (x): its words in ru are empty");
        let twice = "[[reason]]\nkey = \"x\"\nkk = \"a\"\nru = \"a\"\nen = \"a\"\n\
                     [[reason]]\nkey = \"x\"\nkk = \"a\"\nru = \"a\"\nen = \"a\"\n";
        let e = Catalogue::parse("r.toml", "reason", twice).unwrap_err();
        assert!(e.contains("reason 2: key \"x\" is listed twice"), "{e}");
        let bad_key = "[[reason]]\nkey = \"Lost Card\"\nkk = \"a\"\nru = \"a\"\nen = \"a\"\n";
        let e = Catalogue::parse("r.toml", "reason", bad_key).unwrap_err();
        assert!(e.contains("reason 1: key \"Lost Card\""), "{e}");
        let unknown = "[[reason]]\nkey = \"x\"\nkk = \"a\"\nru = \"a\"\nen = \"a\"\nde = \"a\"\n";
        let e = Catalogue::parse("r.toml", "reason", unknown).unwrap_err();
        assert!(e.contains("reason 1") && e.contains("de"), "{e}");
        let e = load(
            "[[reason]]\nkey = \"other\"\nkk = \"a\"\nru = \"a\"\nen = \"a\"\n",
            include_str!("../../assets/desk/outcomes.toml"),
        )
        .unwrap_err();
        assert!(e.contains("docking-problem"), "{e}");
    }
}
