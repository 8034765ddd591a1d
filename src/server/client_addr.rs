//! Whose address a login comes from, for the failed-login limiter and the session record:
//! the TCP peer, or, behind a trusted reverse proxy (`velodesk serve --trust-proxy`), the
//! last address of `X-Forwarded-For`: the one the proxy itself appended (any earlier one is
//! the client's to make up). Without the option the header is ignored, so a client cannot
//! pick its own key.

use axum::http::HeaderMap;
use std::net::{IpAddr, SocketAddr};

/// Whether a reverse proxy in front of the server is trusted to say who the client is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Proxy {
    /// Clients connect directly: the TCP peer is the client.
    #[default]
    None,
    /// Every request comes through a proxy that appends the client to `X-Forwarded-For`.
    Trusted,
}

/// The client's address (an IP, as text).
pub fn client_address(proxy: Proxy, peer: SocketAddr, headers: &HeaderMap) -> String {
    let forwarded = match proxy {
        Proxy::None => None,
        Proxy::Trusted => last_forwarded(headers),
    };
    forwarded.unwrap_or(peer.ip()).to_string()
}

/// The last address of the last `X-Forwarded-For` header, when it is one.
fn last_forwarded(headers: &HeaderMap) -> Option<IpAddr> {
    let value = headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()?
        .to_str()
        .ok()?;
    let last = value.rsplit(',').next()?.trim();
    last.parse::<IpAddr>()
        .ok()
        .or_else(|| last.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proxys_own_entry_is_the_last() {
        let peer: SocketAddr = "10.0.0.2:5000".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        assert_eq!(client_address(Proxy::Trusted, peer, &h), "198.51.100.7");
        assert_eq!(client_address(Proxy::None, peer, &h), "10.0.0.2");
        h.insert("x-forwarded-for", "not an address".parse().unwrap());
        assert_eq!(client_address(Proxy::Trusted, peer, &h), "10.0.0.2");
    }
}
