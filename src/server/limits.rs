//! What one client may take of the server: failed logins, password checks at once,
//! searches, connections, and how long a connection may sit without a whole request. Every
//! limit is a field of [`Limits`], set in [`super::ServerOptions`]; `Limits::default()` is
//! what `velodesk serve` runs with (the README lists them and what each one answers).

use std::time::Duration;

/// The server's limits. The defaults are documented on each field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Failed logins of one username from one address within [`Limits::login_window`]
    /// before that pair is refused `429` (default 5).
    pub login_per_name_address: usize,
    /// Failed logins of one username from all addresses together before the account is
    /// refused `429` everywhere (default 100: an attacker at one address cannot lock a
    /// colleague out, a crowd of them still can be stopped).
    pub login_per_name: usize,
    /// Failed logins from one address, whatever the usernames (default 20).
    pub login_per_address: usize,
    /// The window failed logins are counted in (default 5 minutes).
    pub login_window: Duration,
    /// Password checks (Argon2id, about 19 MiB of memory each) running at once (default 2).
    pub password_checks: usize,
    /// How long a login waits for a password check to be free before it is answered `503`
    /// with `Retry-After` (default 5 s).
    pub password_wait: Duration,
    /// Searches (`GET /riders`) a session may make in a burst (default 20) ...
    pub search_burst: u32,
    /// ... and per second after it (default 5); beyond, `429` with `Retry-After`.
    pub search_per_second: u32,
    /// A connection must send a whole request head within this time of opening, and of its
    /// previous answer when kept alive, or it is closed (default 10 s).
    pub header_read_timeout: Duration,
    /// Connections open at once (default 768, below the usual limit of 1,024 open files);
    /// more are closed as soon as they are accepted.
    pub max_connections: usize,
    /// Connections open at once from one address (default 256): one client cannot take
    /// the last free connections, which still serve everyone else's logins. Behind a
    /// trusted proxy every connection is the proxy's, and only `max_connections` holds.
    pub max_connections_per_address: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            login_per_name_address: 5,
            login_per_name: 100,
            login_per_address: 20,
            login_window: Duration::from_secs(300),
            password_checks: 2,
            password_wait: Duration::from_secs(5),
            search_burst: 20,
            search_per_second: 5,
            header_read_timeout: Duration::from_secs(10),
            max_connections: 768,
            max_connections_per_address: 256,
        }
    }
}
