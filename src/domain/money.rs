//! Money: whole tenge in an `i64` newtype (D7). No floats anywhere.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount of money in whole tenge. May be negative (a debt, a debit entry).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Tenge(pub i64);

impl Tenge {
    pub const ZERO: Tenge = Tenge(0);

    pub fn new(amount: i64) -> Self {
        Tenge(amount)
    }
    pub fn get(self) -> i64 {
        self.0
    }
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }
    pub fn is_positive(self) -> bool {
        self.0 > 0
    }
    pub fn max(self, other: Tenge) -> Tenge {
        Tenge(self.0.max(other.0))
    }
    pub fn min(self, other: Tenge) -> Tenge {
        Tenge(self.0.min(other.0))
    }
    /// `n` times this amount.
    pub fn times(self, n: i64) -> Tenge {
        Tenge(self.0 * n)
    }
}

impl fmt::Display for Tenge {
    /// `2 500 ₸`, `-30 000 ₸` (D7).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.unsigned_abs().to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(' ');
            }
            grouped.push(ch);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        f.pad(&format!("{sign}{grouped} ₸"))
    }
}

impl Add for Tenge {
    type Output = Tenge;
    fn add(self, rhs: Tenge) -> Tenge {
        Tenge(self.0 + rhs.0)
    }
}
impl Sub for Tenge {
    type Output = Tenge;
    fn sub(self, rhs: Tenge) -> Tenge {
        Tenge(self.0 - rhs.0)
    }
}
impl Neg for Tenge {
    type Output = Tenge;
    fn neg(self) -> Tenge {
        Tenge(-self.0)
    }
}
impl AddAssign for Tenge {
    fn add_assign(&mut self, rhs: Tenge) {
        self.0 += rhs.0;
    }
}
impl SubAssign for Tenge {
    fn sub_assign(&mut self, rhs: Tenge) {
        self.0 -= rhs.0;
    }
}
impl Sum for Tenge {
    fn sum<I: Iterator<Item = Tenge>>(iter: I) -> Tenge {
        Tenge(iter.map(|t| t.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn d7_money_is_shown_with_grouped_thousands_and_the_tenge_sign() {
        assert_eq!(Tenge(2500).to_string(), "2 500 ₸");
        assert_eq!(Tenge(37500).to_string(), "37 500 ₸");
        assert_eq!(Tenge(1_000_000).to_string(), "1 000 000 ₸");
        assert_eq!(Tenge(-30000).to_string(), "-30 000 ₸");
        assert_eq!(Tenge(0).to_string(), "0 ₸");
        assert_eq!(Tenge(999).to_string(), "999 ₸");
    }
}
