//! Scenario lexing: one command per line, `#` comments, words split by spaces, a quoted
//! string is one word.

/// A line's words, or why the line cannot be read.
pub fn words(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.peek() {
            None | Some('#') => break,
            Some('"') => {
                chars.next();
                let mut w = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == '"' {
                        closed = true;
                        break;
                    }
                    w.push(c);
                }
                if !closed {
                    return Err("a quoted string is not closed".into());
                }
                out.push(w);
            }
            Some(_) => {
                let mut w = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() {
                        break;
                    }
                    w.push(c);
                    chars.next();
                }
                out.push(w);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn quoted_strings_are_one_word_and_comments_end_the_line() {
        assert_eq!(
            words(r#"block 5 reason "shared his PIN" by ali # R24"#).unwrap(),
            vec!["block", "5", "reason", "shared his PIN", "by", "ali"]
        );
        assert!(words("  # only a comment").unwrap().is_empty());
        assert!(words(r#"credit 5 100 reason "open"#).is_err());
    }
}
