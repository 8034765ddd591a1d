//! Errors as `application/problem+json` (RFC 9457), with the same kinds as the Backend's
//! typed error: 400 `invalid`, 401 `unauthorized`, 403 `forbidden`, 404 `not-found`,
//! 409 `conflict`, 422 a rule refusal with its kind (`low-balance`, `station-full`, …),
//! 429 `too-many-requests`, 503 `unavailable`. Every error response the server sends,
//! axum's own rejections included, has this shape (see [`problem_everywhere`]).

use crate::backend::BackendError;
use crate::domain::Refusal;
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Problem {
    /// `urn:velodesk:problem:KIND`.
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The kind a program decides on: a refusal kind or `unauthorized`, `conflict`, …
    pub kind: String,
}

/// An error on its way to becoming a problem response.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: String,
    pub detail: String,
    /// Seconds, for 429 and 503.
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &str, detail: impl Into<String>) -> ApiError {
        ApiError {
            status,
            kind: kind.to_string(),
            detail: detail.into(),
            retry_after: None,
        }
    }
    /// With a `Retry-After` of `seconds`.
    pub fn retry_after(self, seconds: u64) -> ApiError {
        ApiError {
            retry_after: Some(seconds),
            ..self
        }
    }
    pub fn invalid(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid", detail)
    }
    pub fn unauthorized(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", detail)
    }
    pub fn forbidden(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }
    pub fn internal(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", detail)
    }

    pub fn problem(&self) -> Problem {
        Problem {
            type_: format!("urn:velodesk:problem:{}", self.kind),
            title: title(self.status, &self.kind),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            kind: self.kind.clone(),
        }
    }
}

/// The HTTP status of a refusal kind.
pub fn status_of(kind: Refusal) -> StatusCode {
    match kind {
        Refusal::Invalid => StatusCode::BAD_REQUEST,
        Refusal::Forbidden => StatusCode::FORBIDDEN,
        Refusal::NotFound => StatusCode::NOT_FOUND,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

fn title(status: StatusCode, kind: &str) -> String {
    match status.as_u16() {
        422 => format!("Refused by the rules: {kind}"),
        _ => status.canonical_reason().unwrap_or("Error").to_string(),
    }
}

impl From<BackendError> for ApiError {
    fn from(e: BackendError) -> Self {
        match e {
            BackendError::Refused { kind, message } => {
                ApiError::new(status_of(kind), kind.as_str(), message)
            }
            BackendError::Conflict { message } => {
                ApiError::new(StatusCode::CONFLICT, "conflict", message)
            }
            BackendError::Unavailable { message } => ApiError {
                retry_after: Some(1),
                ..ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
            },
            BackendError::Internal { message } => ApiError::internal(message),
        }
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        ApiError::internal(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_string(&self.problem()).unwrap_or_default();
        let mut resp = Response::new(Body::from(body));
        *resp.status_mut() = self.status;
        resp.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(s) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
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

/// Middleware: an error response that is not yet a problem document (axum's rejections of
/// a bad path or query, an unknown route, a body over the limit, a timeout) becomes one.
pub async fn problem_everywhere(resp: Response) -> Response {
    let status = resp.status();
    let is_problem = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return resp;
    }
    let (_, body) = resp.into_parts();
    let text = axum::body::to_bytes(body, 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let kind = match status.as_u16() {
        400 | 413 | 415 | 422 => "invalid",
        404 => "not-found",
        405 => "method-not-allowed",
        408 => "timeout",
        _ if status.is_server_error() => "unavailable",
        _ => "invalid",
    };
    let detail = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        text
    };
    ApiError::new(status, kind, detail).into_response()
}
