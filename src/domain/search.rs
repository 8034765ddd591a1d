//! How the desk finds a rider as people type: names folded to one Latin spelling, so a
//! Russian spelling of a Kazakh name (`Сарсенбаев` for `Сәрсенбаев`, `Омирбеков` for
//! `Өмірбеков`) and a Latin transliteration (`Sarsenbayev`) find the same rider; card
//! numbers in any case and with spaces. Pure: the store keeps the folded keys and asks with
//! the folded query.

/// A name folded for search: lower case, Cyrillic (Russian and Kazakh letters alike)
/// transliterated to Latin, and the spelling variants of transliteration made one
/// (`y`/`i`, `kh`/`h`, an `i` between two vowels as in `-ayev`/`-аев`, doubled letters).
/// Only a key: two spellings of one name give the same key; the key is never shown.
pub fn fold_name(s: &str) -> String {
    let mut latin = String::with_capacity(s.len());
    for ch in s.chars().flat_map(char::to_lowercase) {
        let t: &str = match ch {
            'а' | 'ә' => "a",
            'б' => "b",
            'в' => "v",
            'г' | 'ғ' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' | 'і' | 'ы' => "i",
            'к' | 'қ' => "k",
            'л' => "l",
            'м' => "m",
            'н' | 'ң' => "n",
            'о' | 'ө' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' | 'ұ' | 'ү' | 'ў' => "u",
            'ф' => "f",
            'х' | 'һ' => "h",
            'ц' => "ts",
            'ч' => "ch",
            'ш' | 'щ' => "sh",
            'ъ' | 'ь' | '\'' | '’' | '-' => "",
            'ю' => "iu",
            'я' => "ia",
            c if c.is_ascii_alphanumeric() => {
                latin.push(c);
                continue;
            }
            c if c.is_alphanumeric() => {
                latin.push(c);
                continue;
            }
            _ => " ",
        };
        latin.push_str(t);
    }
    // Latin spelling variants: y → i, kh → h, j → zh (Zhanibek / Janibek).
    let latin = latin
        .replace("kh", "h")
        .replace('y', "i")
        .replace('j', "zh")
        .replace('q', "k")
        .replace('w', "v");
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'o' | 'u');
    let words: Vec<String> = latin
        .split_whitespace()
        .map(|word| {
            let chars: Vec<char> = word.chars().collect();
            let mut out = String::with_capacity(chars.len());
            for (i, &c) in chars.iter().enumerate() {
                let next_vowel = chars.get(i + 1).is_some_and(|&n| vowel(n));
                // An `i` before a vowel at the start (Ерлан / Yerlan, Юлия / Yulia) or
                // between two vowels (-аев / -ayev) is a glide the spellings disagree on.
                if c == 'i' && next_vowel && (i == 0 || vowel(chars[i - 1])) {
                    continue;
                }
                if out.ends_with(c) && c.is_alphabetic() {
                    continue;
                }
                out.push(c);
            }
            out
        })
        .collect();
    words.join(" ")
}

/// A card number as the desk may type it (`04 a1b2 c3d4 e5f6`): without spaces, colons or
/// dashes, in upper case.
pub fn card_key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ':' | '-'))
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kazakh_names_in_russian_spelling_and_latin_fold_together() {
        let k = fold_name("Сәрсенбаев");
        assert_eq!(fold_name("Сарсенбаев"), k);
        assert_eq!(fold_name("Sarsenbayev"), k);
        assert_eq!(fold_name("SARSENBAEV"), k);
        assert_eq!(fold_name("Өмірбеков"), fold_name("Омирбеков"));
        assert_eq!(fold_name("Өмірбеков"), fold_name("Omirbekov"));
        assert_eq!(fold_name("Ахметов"), fold_name("Akhmetov"));
        assert_eq!(fold_name("Жанибек"), fold_name("Zhanibek"));
        assert_eq!(fold_name("Жанибек"), fold_name("Janibek"));
        assert_eq!(fold_name("Ерлан"), fold_name("Yerlan"));
        assert_eq!(fold_name("Юлия"), fold_name("Yulia"));
        assert_eq!(fold_name("Айгерім"), fold_name("Aigerim"));
        assert_ne!(fold_name("Иванов"), fold_name("Петров"));
    }

    #[test]
    fn a_prefix_folds_to_a_prefix() {
        assert!(fold_name("Сәрсенбаев").starts_with(&fold_name("Сарс")));
        assert!(fold_name("Өмірбеков").starts_with(&fold_name("Оми")));
    }

    #[test]
    fn card_numbers_in_any_case_and_with_spaces() {
        assert_eq!(card_key("04 a1b2 c3d4 e5f6"), "04A1B2C3D4E5F6");
        assert_eq!(card_key("04:A1:B2"), "04A1B2");
    }
}
