//! `velodesk serve`: run the HTTP API over a system until Ctrl-C or SIGTERM, then stop
//! gracefully (requests in flight finish, event streams end). It says whether Litestream
//! replicates the database, and when that changes (`serve_replication`).

use super::CliError;
use super::server_args::ServeArgs;
use super::system::open_system;
use crate::clock::SystemClock;
use crate::engine::Settings;
use crate::server::client_addr::Proxy;
use crate::server::{self, GbfsOptions, SESSION_HOURS, ServerError, ServerOptions};
use color_eyre::eyre;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

pub fn run(a: &ServeArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    if let Some(url) = &a.gbfs_base_url {
        super::gbfs::web_url(url, "--gbfs-base-url")?;
    }
    let settings = Settings {
        vans: a.vans,
        van_capacity: a.van_capacity,
        ..Settings::default()
    };
    let engine = open_system(&a.db, settings)?;
    let city = engine.tariff().city.clone();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(eyre::Report::new(e).wrap_err("starting the runtime")))?;
    rt.block_on(async {
        let opts = ServerOptions {
            db: a.db.clone(),
            listen: a.listen,
            clock: Arc::new(SystemClock),
            session: chrono::Duration::hours(SESSION_HOURS),
            gbfs: GbfsOptions {
                base_url: a.gbfs_base_url.clone(),
                ttl: a.gbfs_ttl,
            },
            proxy: if a.trust_proxy {
                Proxy::Trusted
            } else {
                Proxy::None
            },
            limits: Default::default(),
        };
        let mut running = server::start(engine, opts).await.map_err(|e| match e {
            ServerError::Listen { .. } => CliError::input(format!("--listen: {e}")),
            other => CliError::Failed(eyre::Report::new(other)),
        })?;
        // Best effort from here on: a server does not stop because its output went away.
        let _ = writeln!(
            out,
            "velodesk serving {city} ({}) on {}",
            a.db.display(),
            running.url()
        );
        let _ = writeln!(out, "API description: {}/openapi.json", running.url());
        let _ = writeln!(out, "GBFS feeds: {}/gbfs/gbfs.json", running.url());
        let _ = out.flush();
        let mut replication = super::serve_replication::at_start(&a.db).await;
        let _ = writeln!(out, "replication: {}", replication.describe());
        if let Some(why) = super::serve_replication::follow(&running, &replication, None).await {
            let _ = writeln!(out, "replication: {why}");
        }
        let _ = out.flush();
        let stop = stop_signal();
        tokio::pin!(stop);
        let mut every = tokio::time::interval(super::serve_replication::EVERY);
        loop {
            tokio::select! {
                r = running.wait() => {
                    r.map_err(|e| CliError::Failed(eyre::Report::new(e)))?;
                    break;
                }
                _ = &mut stop => {
                    let _ = writeln!(out, "stopping…");
                    let _ = out.flush();
                    running.stop().await.map_err(|e| CliError::Failed(eyre::Report::new(e)))?;
                    break;
                }
                _ = every.tick() => {
                    let now = super::serve_replication::look(&a.db).await;
                    if now.state != replication.state {
                        let _ = writeln!(out, "replication: {}", now.describe());
                        let _ = out.flush();
                        if let Some(why) = super::serve_replication::follow(&running, &now, Some(&replication)).await {
                            let _ = writeln!(out, "replication: {why}");
                        }
                    }
                    replication = now;
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
