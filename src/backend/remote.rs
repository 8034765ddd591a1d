//! `RemoteBackend`: the Backend over HTTP and SSE to `velodesk serve` (being written).

use std::sync::Once;

/// Install rustls's `ring` provider once, before any HTTP client is built.
pub fn install_crypto() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

pub struct RemoteBackend;
