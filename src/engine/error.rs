//! Why an operation did not happen: a refusal with its kind and words, a conflict, or the
//! store's failure; mapped at the seam to the backend's errors.

use crate::domain::Refusal;
use crate::store::StoreError;

/// Why an operation did not happen. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{kind}: {message}")]
    Refused { kind: Refusal, message: String },
    #[error("conflict: {0}")]
    Conflict(String),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for EngineError {
    fn from(e: StoreError) -> Self {
        if let StoreError::Amount(a) = e {
            return EngineError::Refused {
                kind: Refusal::Invalid,
                message: a.to_string(),
            };
        }
        if e.is_constraint() {
            EngineError::Conflict(e.to_string())
        } else {
            EngineError::Store(e)
        }
    }
}

impl From<crate::domain::money::AmountError> for EngineError {
    fn from(e: crate::domain::money::AmountError) -> Self {
        EngineError::Refused {
            kind: Refusal::Invalid,
            message: e.to_string(),
        }
    }
}

impl From<rusqlite::Error> for EngineError {
    fn from(e: rusqlite::Error) -> Self {
        EngineError::from(StoreError::from(e))
    }
}

pub type Result<T> = std::result::Result<T, EngineError>;

impl From<EngineError> for crate::api::BackendError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::Refused { kind, message } => {
                crate::api::BackendError::Refused { kind, message }
            }
            EngineError::Conflict(message) => crate::api::BackendError::Conflict { message },
            EngineError::Store(s) => crate::api::BackendError::Internal {
                message: s.to_string(),
            },
        }
    }
}

/// A refusal with its reason in words.
pub fn refuse<T>(kind: Refusal, message: impl Into<String>) -> Result<T> {
    Err(EngineError::Refused {
        kind,
        message: message.into(),
    })
}
