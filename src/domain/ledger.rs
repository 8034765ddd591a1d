//! The account ledger rules (R16–R27, D9–D17), pure: given an account's state, decide the
//! entries an operation makes. The store appends them; nothing is ever updated (D9).

use super::ids::{EntryId, RiderId};
use super::money::Tenge;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a ledger entry records. Each entry moves up to three balances: money, bonus and
/// deposit; the balances are the sums of these moves (D9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    /// Money in: cash desk, card, bank (R19, R20).
    Payment,
    /// A pass fee, posted at the midnight after purchase (R17).
    PassFee,
    /// A trip's time charge, posted at the midnight after the trip (R17); bonus pays first (D11).
    TripCharge,
    /// A fine, posted when entered or approved (R7, R17, D14, D16).
    Fine,
    /// Promotional credit to the bonus balance (R6, D11).
    BonusCredit,
    /// Bonus forfeited at the end of the contract (R6, R25).
    BonusForfeit,
    /// A deposit held on the rider's card (R5).
    DepositHold,
    /// Daily-pass overuse taken from the deposit (R5, D16).
    DepositCapture,
    /// The deposit given back (R5, D16, R25).
    DepositRelease,
    /// Money paid back to the rider at the end of the contract (R25).
    Refund,
    /// A recognised claim credited to the account (R26).
    ClaimCredit,
    /// A correction of an earlier entry, naming it (D9).
    Correction,
    /// A card issued or replaced at the desk at the tariff's card fee (R24).
    CardFee,
}

impl EntryKind {
    pub const ALL: [EntryKind; 13] = [
        EntryKind::Payment,
        EntryKind::PassFee,
        EntryKind::TripCharge,
        EntryKind::Fine,
        EntryKind::BonusCredit,
        EntryKind::BonusForfeit,
        EntryKind::DepositHold,
        EntryKind::DepositCapture,
        EntryKind::DepositRelease,
        EntryKind::Refund,
        EntryKind::ClaimCredit,
        EntryKind::Correction,
        EntryKind::CardFee,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Payment => "payment",
            EntryKind::PassFee => "pass-fee",
            EntryKind::TripCharge => "trip-charge",
            EntryKind::Fine => "fine",
            EntryKind::BonusCredit => "bonus-credit",
            EntryKind::BonusForfeit => "bonus-forfeit",
            EntryKind::DepositHold => "deposit-hold",
            EntryKind::DepositCapture => "deposit-capture",
            EntryKind::DepositRelease => "deposit-release",
            EntryKind::Refund => "refund",
            EntryKind::ClaimCredit => "claim-credit",
            EntryKind::Correction => "correction",
            EntryKind::CardFee => "card-fee",
        }
    }

    pub fn parse(s: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Incoming money that settles debts oldest first (R19, D10).
    pub fn is_incoming_money(self) -> bool {
        matches!(
            self,
            EntryKind::Payment | EntryKind::ClaimCredit | EntryKind::Correction
        )
    }
}

impl fmt::Display for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who made an entry or took an action (D9).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "kebab-case")]
pub enum Actor {
    Rider(RiderId),
    System,
    Staff(String),
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::Rider(id) => write!(f, "rider:{id}"),
            Actor::System => f.write_str("system"),
            Actor::Staff(name) => write!(f, "staff:{name}"),
        }
    }
}

impl Actor {
    pub fn parse(s: &str) -> Option<Actor> {
        if s == "system" {
            return Some(Actor::System);
        }
        if let Some(id) = s.strip_prefix("rider:") {
            return id.parse().ok().map(|n| Actor::Rider(RiderId(n)));
        }
        s.strip_prefix("staff:")
            .map(|n| Actor::Staff(n.to_string()))
    }
}

/// A debt that is not paid yet: the part of a posted charge the balance did not cover (D10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenDebt {
    pub entry: EntryId,
    pub remaining: Tenge,
}

/// The posted state of one account, as the rules need it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Account {
    pub balance: Tenge,
    pub bonus: Tenge,
    pub deposit: Tenge,
    /// Charges accrued and not yet posted (R17).
    pub accrued: Tenge,
    /// Oldest first.
    pub open_debts: Vec<OpenDebt>,
}

impl Account {
    /// D15: what the rider may spend: the balance less what is accrued.
    pub fn available(&self) -> Tenge {
        self.balance - self.accrued
    }

    /// Total unpaid debt; always `max(0, -balance)` (D10).
    pub fn debt(&self) -> Tenge {
        self.open_debts.iter().map(|d| d.remaining).sum()
    }
}

/// How a charge is paid when posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChargeSplit {
    /// Taken from the money balance (a negative move).
    pub money: Tenge,
    /// Taken from the bonus balance (a negative move).
    pub bonus: Tenge,
    /// The part the money balance did not cover: a new open debt (D10).
    pub new_debt: Tenge,
}

/// Post a charge of `amount` (≥ 0). Bonus pays trip charges first and nothing else (D11).
pub fn split_charge(account: &Account, kind: EntryKind, amount: Tenge) -> ChargeSplit {
    let bonus_part = if kind == EntryKind::TripCharge {
        amount.min(account.bonus.max(Tenge::ZERO))
    } else {
        Tenge::ZERO
    };
    let money_part = amount - bonus_part;
    let covered = account.balance.max(Tenge::ZERO).min(money_part);
    ChargeSplit {
        money: -money_part,
        bonus: -bonus_part,
        new_debt: money_part - covered,
    }
}

/// R19, D10: incoming money settles open debts oldest first. Returns `(debt, amount)` pairs.
pub fn settle_debts(account: &Account, incoming: Tenge) -> Vec<(EntryId, Tenge)> {
    let mut left = incoming.max(Tenge::ZERO);
    let mut settled = Vec::new();
    for debt in &account.open_debts {
        if !left.is_positive() {
            break;
        }
        let take = left.min(debt.remaining);
        if take.is_positive() {
            settled.push((debt.entry, take));
            left -= take;
        }
    }
    settled
}

/// Apply settlements to the list of open debts (dropping the paid ones).
pub fn apply_settlements(debts: &mut Vec<OpenDebt>, settled: &[(EntryId, Tenge)]) {
    for (entry, amount) in settled {
        if let Some(d) = debts.iter_mut().find(|d| d.entry == *entry) {
            d.remaining -= *amount;
        }
    }
    debts.retain(|d| d.remaining.is_positive());
}

/// R18: a posting that leaves the balance at zero or below restricts the rider.
pub fn restricts(balance_after_posting: Tenge) -> bool {
    !balance_after_posting.is_positive()
}

/// R18, D12: the restriction lifts once the debt is paid and an advance of at least the
/// chosen pass's fee is on the account (what is accrued counts against it, D15).
pub fn restriction_lifts(account: &Account, pass_fee: Tenge) -> bool {
    account.balance.is_positive() && account.available() >= pass_fee
}

/// R18, D12: the money that would lift a system restriction now (what [`restriction_lifts`]
/// needs): enough for a positive balance and the pass fee in advance, whichever is more.
pub fn money_to_lift(account: &Account, pass_fee: Tenge) -> Tenge {
    let for_fee = pass_fee - account.available();
    let for_balance = Tenge(1) - account.balance;
    for_fee.max(for_balance).max(Tenge::ZERO)
}

/// One entry's moves, for re-verifying balances from the entries alone (D9).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moves {
    pub money: Tenge,
    pub bonus: Tenge,
    pub deposit: Tenge,
}

impl std::ops::AddAssign for Moves {
    fn add_assign(&mut self, rhs: Moves) {
        self.money += rhs.money;
        self.bonus += rhs.bonus;
        self.deposit += rhs.deposit;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn account(balance: i64, bonus: i64, debts: &[(i64, i64)]) -> Account {
        Account {
            balance: Tenge(balance),
            bonus: Tenge(bonus),
            open_debts: debts
                .iter()
                .map(|&(e, r)| OpenDebt {
                    entry: EntryId(e),
                    remaining: Tenge(r),
                })
                .collect(),
            ..Account::default()
        }
    }

    #[test]
    fn d11_bonus_pays_trip_charges_first_and_never_fines_or_passes() {
        let a = account(1000, 300, &[]);
        let s = split_charge(&a, EntryKind::TripCharge, Tenge(250));
        assert_eq!((s.money, s.bonus), (Tenge(0), Tenge(-250)));
        let s = split_charge(&a, EntryKind::TripCharge, Tenge(500));
        assert_eq!((s.money, s.bonus), (Tenge(-200), Tenge(-300)));
        for kind in [EntryKind::Fine, EntryKind::PassFee] {
            let s = split_charge(&a, kind, Tenge(500));
            assert_eq!((s.money, s.bonus), (Tenge(-500), Tenge(0)), "{kind}");
        }
    }

    #[test]
    fn d10_the_uncovered_part_of_a_charge_becomes_an_open_debt() {
        let a = account(300, 0, &[]);
        assert_eq!(
            split_charge(&a, EntryKind::Fine, Tenge(1000)).new_debt,
            Tenge(700)
        );
        let a = account(-200, 0, &[(1, 200)]);
        assert_eq!(
            split_charge(&a, EntryKind::Fine, Tenge(1000)).new_debt,
            Tenge(1000)
        );
        let a = account(5000, 0, &[]);
        assert_eq!(
            split_charge(&a, EntryKind::Fine, Tenge(1000)).new_debt,
            Tenge(0)
        );
    }

    #[test]
    fn r19_incoming_money_pays_the_oldest_debt_first() {
        let a = account(-1500, 0, &[(3, 1000), (7, 500)]);
        assert_eq!(
            settle_debts(&a, Tenge(1200)),
            vec![(EntryId(3), Tenge(1000)), (EntryId(7), Tenge(200))]
        );
        assert_eq!(settle_debts(&a, Tenge(400)), vec![(EntryId(3), Tenge(400))]);
        assert_eq!(settle_debts(&a, Tenge(9000)).len(), 2);
    }

    #[test]
    fn r18_a_posting_to_zero_or_below_restricts() {
        assert!(restricts(Tenge(0)));
        assert!(restricts(Tenge(-1)));
        assert!(!restricts(Tenge(1)));
    }

    #[test]
    fn r18_d12_the_restriction_lifts_with_debt_paid_and_the_pass_fee_in_advance() {
        let mut a = account(2499, 0, &[]);
        assert!(!restriction_lifts(&a, Tenge(2500)));
        a.balance = Tenge(2500);
        assert!(restriction_lifts(&a, Tenge(2500)));
        a.accrued = Tenge(100);
        assert!(!restriction_lifts(&a, Tenge(2500)), "D15: accrued counts");
        assert!(!restriction_lifts(&account(0, 0, &[]), Tenge(0)));
    }

    #[test]
    fn r18_the_money_that_lifts_a_restriction_is_what_the_rule_needs() {
        let fee = Tenge(2500);
        for (balance, accrued) in [(-1200, 0), (0, 0), (300, 100), (2400, 0), (-5, 3000)] {
            let mut a = account(balance, 0, &[]);
            a.accrued = Tenge(accrued);
            let need = money_to_lift(&a, fee);
            assert!(!restriction_lifts(&a, fee), "{balance} {accrued}");
            let mut paid = a.clone();
            paid.balance += need;
            assert!(
                restriction_lifts(&paid, fee),
                "{need} lifts {balance} {accrued}"
            );
            paid.balance -= Tenge(1);
            assert!(!restriction_lifts(&paid, fee), "{need} is the least");
        }
        let mut a = account(3000, 0, &[]);
        a.accrued = Tenge::ZERO;
        assert_eq!(money_to_lift(&a, fee), Tenge::ZERO);
    }

    proptest! {
        #[test]
        fn r19_a_payment_lowers_debt_by_min_payment_debt_and_the_total_by_the_payment(
            debts in proptest::collection::vec(1i64..50_000, 0..8),
            payment in 0i64..200_000,
        ) {
            let owed: i64 = debts.iter().sum();
            let mut a = account(
                -owed,
                0,
                &debts.iter().enumerate().map(|(i, d)| (i as i64, *d)).collect::<Vec<_>>(),
            );
            let settled = settle_debts(&a, Tenge(payment));
            apply_settlements(&mut a.open_debts, &settled);
            a.balance += Tenge(payment);
            prop_assert_eq!(a.debt(), Tenge(owed - payment.min(owed)));
            prop_assert_eq!(a.balance, Tenge(payment - owed));
            prop_assert_eq!(a.debt(), (-a.balance).max(Tenge::ZERO));
        }

        #[test]
        fn d10_open_debt_always_equals_the_negative_balance(
            ops in proptest::collection::vec((any::<bool>(), 1i64..20_000), 0..40)
        ) {
            let mut a = Account::default();
            for (next, (is_charge, amount)) in ops.into_iter().enumerate() {
                if is_charge {
                    let s = split_charge(&a, EntryKind::Fine, Tenge(amount));
                    a.balance += s.money;
                    if s.new_debt.is_positive() {
                        a.open_debts.push(OpenDebt { entry: EntryId(next as i64), remaining: s.new_debt });
                    }
                } else {
                    let settled = settle_debts(&a, Tenge(amount));
                    apply_settlements(&mut a.open_debts, &settled);
                    a.balance += Tenge(amount);
                }
                prop_assert_eq!(a.debt(), (-a.balance).max(Tenge::ZERO));
            }
        }
    }
}
