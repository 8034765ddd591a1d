//! Errors on the wire: a problem document (RFC 9457) of the server's, with the kind a
//! program decides on, and the way back from one to the [`BackendError`] it stands for.

use super::BackendError;
use crate::domain::Refusal;
use serde::{Deserialize, Serialize};

/// The content type of an error (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Problem {
    /// `urn:velodesk:problem:KIND`.
    #[serde(rename = "type")]
    pub type_: String,
    /// A short title of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong, in words.
    pub detail: String,
    /// The kind a program decides on: a refusal kind or `unauthorized`, `conflict`, …
    pub kind: String,
}

/// Back from a problem document to the Backend's error (the remote backend's side).
pub fn to_backend_error(status: u16, p: Option<&Problem>) -> BackendError {
    let (kind, message) = match p {
        Some(p) => (p.kind.as_str(), p.detail.clone()),
        None => ("", format!("the server answered HTTP {status}")),
    };
    if let Some(kind) = Refusal::parse(kind) {
        return BackendError::Refused { kind, message };
    }
    match (status, kind) {
        (_, "conflict") | (409, _) => BackendError::Conflict { message },
        (401, _) | (403, _) => BackendError::Refused {
            kind: Refusal::Forbidden,
            message,
        },
        (404, _) => BackendError::Refused {
            kind: Refusal::NotFound,
            message,
        },
        (400 | 413 | 415 | 422, _) => BackendError::Refused {
            kind: Refusal::Invalid,
            message,
        },
        (408 | 429 | 502..=504, _) => BackendError::Unavailable { message },
        _ => BackendError::Internal { message },
    }
}
