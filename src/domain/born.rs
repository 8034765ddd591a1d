//! A rider's date of birth as it travels: the whole date, or masked to its year
//! (`1990-**-**`) where personal data is hidden (the server's answers to the desk). Written
//! as one string either way, so a console reads both.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

const MASK: &str = "-**-**";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Born {
    Date(NaiveDate),
    /// The year only: the day is hidden.
    Year(i32),
}

impl Born {
    /// The whole date, unless it was masked.
    pub fn date(self) -> Option<NaiveDate> {
        match self {
            Born::Date(d) => Some(d),
            Born::Year(_) => None,
        }
    }

    pub fn year(self) -> i32 {
        match self {
            Born::Date(d) => d.year(),
            Born::Year(y) => y,
        }
    }

    /// The year only.
    pub fn masked(self) -> Born {
        Born::Year(self.year())
    }

    /// `1990-05-17` or `1990-**-**`.
    pub fn parse(s: &str) -> Option<Born> {
        let s = s.trim();
        match s.strip_suffix(MASK) {
            Some(y) => y.parse().ok().map(Born::Year),
            None => s.parse().ok().map(Born::Date),
        }
    }
}

impl Default for Born {
    fn default() -> Born {
        Born::Date(NaiveDate::default())
    }
}

impl From<NaiveDate> for Born {
    fn from(d: NaiveDate) -> Born {
        Born::Date(d)
    }
}

impl fmt::Display for Born {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Born::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Born::Year(y) => write!(f, "{y:04}{MASK}"),
        }
    }
}

impl Serialize for Born {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Born {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Born, D::Error> {
        let s = String::deserialize(d)?;
        Born::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "date of birth {s:?}: expected YYYY-MM-DD or YYYY{MASK}"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_birth_date_keeps_the_year_and_reads_back() {
        let d = Born::Date(NaiveDate::from_ymd_opt(1990, 5, 17).unwrap());
        assert_eq!(d.to_string(), "1990-05-17");
        assert_eq!(d.masked().to_string(), "1990-**-**");
        for b in [d, d.masked()] {
            let json = serde_json::to_string(&b).unwrap();
            assert_eq!(serde_json::from_str::<Born>(&json).unwrap(), b);
        }
        assert_eq!(d.masked().date(), None);
        assert!(Born::parse("1990-13-01").is_none());
    }
}
