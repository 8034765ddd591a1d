//! Money: whole tenge in an `i64` newtype (D7). No floats anywhere. Every single amount has
//! bounds (D30, [`Tenge::bounded`]), every sum the engine keeps is computed with checked
//! arithmetic ([`Tenge::checked_add`]); the operators saturate, so nothing ever panics or wraps.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount of money in whole tenge. May be negative (a debt, a debit entry).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(transparent)]
pub struct Tenge(pub i64);

/// D30: no single amount is larger than this in size.
pub const MAX_AMOUNT: Tenge = Tenge(10_000_000);

/// Why an amount was refused (D30): which amount, and the bound it broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("{what} of {amount} is over the bound of {max} (D30)", max = MAX_AMOUNT)]
    TooLarge { what: String, amount: Tenge },
    #[error("{what} must be at least 1 ₸, not {amount} (D30)")]
    TooSmall { what: String, amount: Tenge },
    #[error("{what} of 0 ₸ changes nothing (D30)")]
    Zero { what: String },
    #[error("{what} would not fit: {detail} (D30)")]
    Overflow { what: String, detail: String },
}

impl Tenge {
    pub const ZERO: Tenge = Tenge(0);

    /// D30: a payment, price, deposit, fine, bonus or credit: from 1 ₸ to [`MAX_AMOUNT`].
    /// `what` names it in the refusal ("a payment").
    pub fn bounded(self, what: &str) -> Result<Tenge, AmountError> {
        if self.0 < 1 {
            return Err(AmountError::TooSmall {
                what: what.to_string(),
                amount: self,
            });
        }
        if self > MAX_AMOUNT {
            return Err(AmountError::TooLarge {
                what: what.to_string(),
                amount: self,
            });
        }
        Ok(self)
    }

    /// D30: a correction, whose sign is its direction: not zero, at most [`MAX_AMOUNT`] in size.
    pub fn bounded_signed(self, what: &str) -> Result<Tenge, AmountError> {
        if self.0 == 0 {
            return Err(AmountError::Zero {
                what: what.to_string(),
            });
        }
        if self.0.unsigned_abs() > MAX_AMOUNT.0.unsigned_abs() {
            return Err(AmountError::TooLarge {
                what: what.to_string(),
                amount: self,
            });
        }
        Ok(self)
    }

    pub fn checked_add(self, other: Tenge) -> Option<Tenge> {
        self.0.checked_add(other.0).map(Tenge)
    }
    pub fn checked_sub(self, other: Tenge) -> Option<Tenge> {
        self.0.checked_sub(other.0).map(Tenge)
    }
    pub fn checked_neg(self) -> Option<Tenge> {
        self.0.checked_neg().map(Tenge)
    }

    /// `self + other`, or the D30 refusal naming `what` when the sum would not fit.
    pub fn plus(self, other: Tenge, what: &str) -> Result<Tenge, AmountError> {
        self.checked_add(other)
            .ok_or_else(|| AmountError::Overflow {
                what: what.to_string(),
                detail: format!("{self} + {other}"),
            })
    }

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
    /// `n` times this amount (saturating: a price never wraps).
    pub fn times(self, n: i64) -> Tenge {
        Tenge(self.0.saturating_mul(n))
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

// The operators saturate: they serve display and pricing, whose amounts are far inside the
// bounds. What the engine keeps (balances, debts, accrued totals, deposits) goes through the
// checked functions above and is refused rather than saturated (D30).
impl Add for Tenge {
    type Output = Tenge;
    fn add(self, rhs: Tenge) -> Tenge {
        Tenge(self.0.saturating_add(rhs.0))
    }
}
impl Sub for Tenge {
    type Output = Tenge;
    fn sub(self, rhs: Tenge) -> Tenge {
        Tenge(self.0.saturating_sub(rhs.0))
    }
}
impl Neg for Tenge {
    type Output = Tenge;
    fn neg(self) -> Tenge {
        Tenge(self.0.saturating_neg())
    }
}
impl AddAssign for Tenge {
    fn add_assign(&mut self, rhs: Tenge) {
        *self = *self + rhs;
    }
}
impl SubAssign for Tenge {
    fn sub_assign(&mut self, rhs: Tenge) {
        *self = *self - rhs;
    }
}
impl Sum for Tenge {
    fn sum<I: Iterator<Item = Tenge>>(iter: I) -> Tenge {
        iter.fold(Tenge::ZERO, |a, b| a + b)
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
        assert_eq!(Tenge(i64::MIN).to_string(), "-9 223 372 036 854 775 808 ₸");
    }

    #[test]
    fn d30_single_amounts_are_between_1_and_10_million_and_name_the_bound() {
        assert_eq!(Tenge(1).bounded("a payment"), Ok(Tenge(1)));
        assert_eq!(
            Tenge(10_000_000).bounded("a payment"),
            Ok(Tenge(10_000_000))
        );
        let e = Tenge(10_000_001).bounded("a payment").unwrap_err();
        assert_eq!(
            e.to_string(),
            "a payment of 10 000 001 ₸ is over the bound of 10 000 000 ₸ (D30)"
        );
        assert!(Tenge(0).bounded("a fine").is_err());
        assert!(Tenge(i64::MIN).bounded("a fine").is_err());
        assert!(Tenge(i64::MAX).bounded("a fine").is_err());
        assert_eq!(Tenge(-500).bounded_signed("a correction"), Ok(Tenge(-500)));
        assert!(Tenge(-10_000_001).bounded_signed("a correction").is_err());
        assert!(Tenge(i64::MIN).bounded_signed("a correction").is_err());
        assert!(Tenge(0).bounded_signed("a correction").is_err());
    }

    #[test]
    fn d30_sums_are_checked_and_the_operators_never_wrap() {
        assert_eq!(Tenge(i64::MAX).checked_add(Tenge(1)), None);
        assert!(Tenge(i64::MAX).plus(Tenge(1), "the balance").is_err());
        assert_eq!(Tenge(i64::MIN).checked_neg(), None);
        assert_eq!(Tenge(i64::MAX) + Tenge(1), Tenge(i64::MAX));
        assert_eq!(-Tenge(i64::MIN), Tenge(i64::MAX));
        assert_eq!(Tenge(i64::MAX).times(3), Tenge(i64::MAX));
        assert_eq!(
            [Tenge(i64::MAX), Tenge(5)].into_iter().sum::<Tenge>(),
            Tenge(i64::MAX)
        );
    }
}
