//! What went wrong, in the kinds a caller decides on: the one error every [`Backend`]
//! answers with, over HTTP as over a function call.
//!
//! [`Backend`]: crate::backend::Backend

use crate::domain::Refusal;
use serde::{Deserialize, Serialize};

/// What went wrong, in the kinds a caller decides on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum BackendError {
    /// The rules refused (includes `not-found`, `forbidden`, `invalid`).
    #[error("{kind}: {message}")]
    Refused {
        /// Which rule refused it.
        kind: Refusal,
        /// Why, in words.
        message: String,
    },
    /// Lost a race or broke a uniqueness rule; nothing changed, try again.
    #[error("conflict: {message}")]
    Conflict {
        /// What clashed, in words.
        message: String,
    },
    /// The system cannot be reached or is shutting down.
    #[error("unavailable: {message}")]
    Unavailable {
        /// What happened, in words.
        message: String,
    },
    /// The backend failed (a bug, the database): nothing the caller can change.
    #[error("internal error: {message}")]
    Internal {
        /// What happened, in words.
        message: String,
    },
}

impl BackendError {
    /// The refusal kind, when the rules refused.
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            BackendError::Refused { kind, .. } => Some(*kind),
            _ => None,
        }
    }
}

/// What a backend answers: the value, or why not.
pub type BResult<T> = Result<T, BackendError>;
