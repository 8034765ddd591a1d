//! Accepting connections, with bounds a slow or greedy client cannot get around (axum's
//! own `serve` sets no header-read timeout): HTTP/1.1 only, each connection must send a
//! whole request head within [`Limits::header_read_timeout`] of opening and of its
//! previous answer (so half a header, or an idle keep-alive connection, is closed), and no
//! more than [`Limits::max_connections`] are open at once, nor
//! [`Limits::max_connections_per_address`] from one address. A connection past a cap is
//! closed as soon as it is accepted, so it costs no file descriptor for long.
//!
//! Stopping: no new connections, every open one is asked to finish its request in flight
//! and close, and the accept loop returns once they have (event streams end on the same
//! signal).

use super::client_addr::Proxy;
use super::limits::Limits;
use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

/// Connections open per address.
#[derive(Default)]
struct PerAddress(Mutex<HashMap<IpAddr, usize>>);

/// One connection counted against its address until dropped.
struct Counted {
    table: Arc<PerAddress>,
    ip: IpAddr,
}

impl PerAddress {
    fn enter(self: &Arc<Self>, ip: IpAddr, cap: usize) -> Option<Counted> {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = t.entry(ip).or_insert(0);
        if *n >= cap {
            return None;
        }
        *n += 1;
        Some(Counted {
            table: self.clone(),
            ip,
        })
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        let mut t = self.table.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = t.get_mut(&self.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                t.remove(&self.ip);
            }
        }
    }
}

/// Serve `router` on `listener` until `stop` turns true, then drain.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    proxy: Proxy,
    mut stop: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let total = limits.max_connections.max(1);
    let open = Arc::new(Semaphore::new(total));
    let per_address = Arc::new(PerAddress::default());
    // Behind a trusted proxy every connection comes from the proxy.
    let address_cap = match proxy {
        Proxy::None => limits.max_connections_per_address.max(1),
        Proxy::Trusted => total,
    };
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => Some(a),
            _ = stop.wait_for(|s| *s) => None,
        };
        let Some(accepted) = accepted else { break };
        let (socket, peer) = match accepted {
            Ok(a) => a,
            Err(e) if is_per_connection(&e) => continue,
            Err(_) => {
                // Out of file descriptors, or similar: give the ones in use time to close.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(slot) = open.clone().try_acquire_owned() else {
            drop(socket);
            continue;
        };
        let Some(counted) = per_address.enter(peer.ip(), address_cap) else {
            drop(socket);
            continue;
        };
        let _ = socket.set_nodelay(true);
        let router = router.clone();
        let header_timeout = limits.header_read_timeout;
        let mut stopping = stop.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                let mut router = router.clone();
                tower_service::Service::call(&mut router, req)
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let conn = builder.serve_connection(TokioIo::new(socket), service);
            let mut conn = std::pin::pin!(conn);
            let stopped = tokio::select! {
                _ = conn.as_mut() => false,
                _ = stopping.wait_for(|s| *s) => true,
            };
            if stopped {
                conn.as_mut().graceful_shutdown();
                let _ = conn.await;
            }
            drop(counted);
            drop(slot);
        });
    }
    drop(listener);
    // Every connection has let go of its slot: all have closed.
    let _ = open.acquire_many(total as u32).await;
    Ok(())
}

/// Errors of one connection that the listener survives (the client went away early).
fn is_per_connection(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    )
}
