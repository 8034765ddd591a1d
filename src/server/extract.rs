//! Reading a request: the JSON body (parsed here, a bad one is a 400 that says where) and
//! the optional `Idempotency-Key` with the request's fingerprint (method, path, body).

use super::problem::ApiError;
use super::secret;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use std::marker::PhantomData;

pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// A key and what it was sent with.
#[derive(Debug, Clone)]
pub struct Idem {
    pub key: String,
    pub fingerprint: String,
}

/// A JSON body (an empty body reads as `{}`), with its idempotency key if any. The body is
/// parsed by [`Call::parse`] after the caller's role is checked: 401, then 403, then 400.
pub struct Call<T> {
    bytes: Bytes,
    pub idem: Option<Idem>,
    _body: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> Call<T> {
    pub fn parse(&self) -> Result<T, ApiError> {
        let first = self.bytes.iter().position(|b| !b.is_ascii_whitespace());
        let text: &[u8] = match first {
            None => b"{}",
            Some(i) if self.bytes[i] == b'{' => &self.bytes,
            // serde takes a struct from an array too (`[100, "cash"]` as a payment): the
            // fields by position, unnamed. Every body is an object with named fields.
            Some(i) => {
                let (line, column) = position(&self.bytes, i);
                return Err(ApiError::invalid(format!(
                    "request body: a JSON object {{…}} is expected, not {} at line {line} column {column}",
                    what_starts(self.bytes[i])
                )));
            }
        };
        serde_json::from_slice(text).map_err(|e| ApiError::invalid(format!("request body: {e}")))
    }
}

/// Line and column (from 1) of byte `at`.
fn position(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = at
        - before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    (line, column)
}

fn what_starts(b: u8) -> &'static str {
    match b {
        b'[' => "an array",
        b'"' => "a string",
        b'0'..=b'9' | b'-' => "a number",
        b't' | b'f' => "a boolean",
        b'n' => "null",
        _ => "this",
    }
}

impl<S: Send + Sync, T> FromRequest<S> for Call<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let method = req.method().to_string();
        let path = req.uri().path().to_string();
        let key = match req.headers().get(IDEMPOTENCY_KEY) {
            None => None,
            Some(v) => {
                let k = v.to_str().unwrap_or_default();
                if k.is_empty() || k.len() > 200 || !k.bytes().all(|b| b.is_ascii_graphic()) {
                    return Err(ApiError::invalid(
                        "Idempotency-Key: 1 to 200 visible ASCII characters",
                    ));
                }
                Some(k.to_string())
            }
        };
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::new(e.status(), "invalid", e.body_text()))?;
        let idem = key.map(|key| Idem {
            fingerprint: secret::digest(&[method.as_bytes(), path.as_bytes(), &bytes]),
            key,
        });
        Ok(Call {
            bytes,
            idem,
            _body: PhantomData,
        })
    }
}
