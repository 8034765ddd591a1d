//! The operations: what changes the system, as data — how money came in, what a fine
//! entry did.

use crate::domain::Tenge;
use serde::{Deserialize, Serialize};

/// How money arrived (R20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PayMethod {
    Cash,
    Card,
    Bank,
}

impl PayMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            PayMethod::Cash => "cash",
            PayMethod::Card => "card",
            PayMethod::Bank => "bank",
        }
    }
    pub fn parse(s: &str) -> Option<PayMethod> {
        match s {
            "cash" => Some(PayMethod::Cash),
            "card" => Some(PayMethod::Card),
            "bank" => Some(PayMethod::Bank),
            _ => None,
        }
    }
}

/// What a fine entry did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FineOutcome {
    Posted { fine: i64, amount: Tenge },
    AwaitingApproval { fine: i64, amount: Tenge },
}
