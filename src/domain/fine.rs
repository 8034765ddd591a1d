//! Fines as kinds and states (R7, R21–R24, D14, D16): the words stored in the database, sent
//! on the wire and written in scenarios, parsed once into enums.

use std::fmt;

/// A fine kind of A3 table 4 and R21–R24.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum FineKind {
    Late,
    Damage,
    Accident,
    NoExplanation,
    Parts,
    AccessSharing,
}

impl FineKind {
    pub const ALL: [FineKind; 6] = [
        FineKind::Late,
        FineKind::Damage,
        FineKind::Accident,
        FineKind::NoExplanation,
        FineKind::Parts,
        FineKind::AccessSharing,
    ];

    /// The word used in files, scenarios and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            FineKind::Late => "late",
            FineKind::Damage => "damage",
            FineKind::Accident => "accident",
            FineKind::NoExplanation => "no-explanation",
            FineKind::Parts => "parts",
            FineKind::AccessSharing => "access-sharing",
        }
    }

    pub fn parse(s: &str) -> Option<FineKind> {
        FineKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for FineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a fine stands (D14): waiting for a supervisor, posted to the ledger, or rejected.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum FineStatus {
    /// Above the approval threshold, waiting for a supervisor (D14).
    Pending,
    /// On the ledger (R17: when entered, approved, or at the return for a late fine, D16).
    Posted,
    /// A supervisor rejected it with a reason (D14); nothing was posted.
    Rejected,
}

impl FineStatus {
    pub const ALL: [FineStatus; 3] = [
        FineStatus::Pending,
        FineStatus::Posted,
        FineStatus::Rejected,
    ];

    /// The word stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            FineStatus::Pending => "pending",
            FineStatus::Posted => "posted",
            FineStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<FineStatus> {
        FineStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for FineStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

super::same_word!(FineKind, FineStatus);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_and_status_reads_back_from_its_word_and_serialises_as_it() {
        for k in FineKind::ALL {
            assert_eq!(FineKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
        }
        for s in FineStatus::ALL {
            assert_eq!(FineStatus::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        assert_eq!(FineKind::parse("speeding"), None);
        assert_eq!(FineStatus::parse("Pending"), None);
    }
}
