//! `velodesk bench load`: concurrent clients against a server — riders renting and
//! returning through the station endpoints (unlock, pull, dock, each with an
//! Idempotency-Key, as docks send them), agents searching and opening riders — for a fixed
//! time; requests per second, p50/p99 latency, and beside it, measured in the same run,
//! raw SQLite doing the same writes (one durable transaction per request, one thread).
//! Without `--server` it starts an in-process server on a throw-away city whose clock runs
//! by itself, as production's does, at `--speed` (20×) from a summer noon (in season, so rentals are
//! allowed; each client's riders take turns, so a rider's trips are minutes apart and not
//! one endless D3 chain). Run under `litestream replicate -exec` (a directory watch, see
//! BENCHMARKS.md) it is measured as `velodesk serve` runs there: it says so, and leaves WAL
//! checkpoints to Litestream.

use super::{BenchDir, failed, group, human, median_p99, rate};
use crate::cli::CliError;
use crate::cli::server_args::BenchLoadArgs;
use crate::clock::RunningClock;
use crate::server::{self, SESSION_HOURS, ServerOptions};
use crate::store::Store;
use color_eyre::eyre;
use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

mod city;
mod raw;

use city::{build_city, summer};
use raw::raw_baseline;

const STATIONS: i64 = 20;
const DOCKS: u32 = 20;
const BIKES_PER_STATION: i64 = 12;
const RIDERS: u64 = 5_000;
const PIN: &str = "1234";
const BENCH_PASSWORD: &str = "bench-load-admin";

/// A rider client's loop: its riders (taking turns), its bike, its station.
#[derive(Clone)]
struct Cycle {
    riders: Vec<i64>,
    bike: i64,
    station: i64,
    key: String,
}

/// What one client measured.
#[derive(Default)]
struct Sample {
    station: Vec<Duration>,
    agent: Vec<Duration>,
    errors: Vec<String>,
    /// The station requests the server acknowledged, as journal lines (with `--journal`).
    acknowledged: Vec<Value>,
    /// Why the client stopped early: the server stopped answering.
    gone: Option<String>,
    /// Searches answered 429 (the per-session limit): the agent waited `Retry-After`.
    limited: u64,
}

pub fn run(a: &BenchLoadArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(failed("starting the runtime"))?;
    rt.block_on(run_async(a, out))
}

async fn run_async(a: &BenchLoadArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    crate::backend::remote::install_crypto();
    let dir = BenchDir::new(a.dir.as_deref())?;
    let (url, password, local) = match &a.server {
        Some(url) => {
            let pw = std::env::var("VELODESK_PASSWORD").map_err(|_| {
                CliError::input("--server: give the password of --username in VELODESK_PASSWORD")
            })?;
            (url.trim_end_matches('/').to_string(), pw, None)
        }
        None => {
            let built = Instant::now();
            let db = dir.path().join("velodesk.db");
            build_city(&dir)?;
            writeln!(
                out,
                "bench load: built a throw-away city ({STATIONS} stations × {DOCKS} docks, {} bikes, {} riders) in {}",
                STATIONS * BIKES_PER_STATION,
                group(RIDERS),
                human(built.elapsed())
            )?;
            let store = Store::open(&db).map_err(failed("opening the bench database"))?;
            let engine = crate::engine::Engine::new(store, crate::engine::Settings::default())
                .map_err(failed("opening the bench system"))?;
            let running = server::start(
                engine,
                ServerOptions {
                    db,
                    listen: "127.0.0.1:0"
                        .parse()
                        .map_err(|_| CliError::input("address"))?,
                    clock: Arc::new(RunningClock::new(summer(), a.speed)),
                    session: chrono::Duration::hours(SESSION_HOURS),
                    gbfs: Default::default(),
                    proxy: crate::server::client_addr::Proxy::None,
                    limits: Default::default(),
                },
            )
            .await
            .map_err(|e| CliError::Failed(eyre::Report::new(e)))?;
            // As `velodesk serve` does: under Litestream, its checkpoints (README).
            let replication =
                crate::cli::serve_replication::at_start(&dir.path().join("velodesk.db")).await;
            writeln!(out, "bench load: replication: {}", replication.describe())?;
            if let Some(why) =
                crate::cli::serve_replication::follow(&running, &replication, None).await
            {
                writeln!(out, "bench load: replication: {why}")?;
            }
            (running.url(), BENCH_PASSWORD.to_string(), Some(running))
        }
    };
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(a.clients as usize * 2)
        .build()
        .map_err(failed("building the HTTP client"))?;
    let token = login(&http, &url, &a.username, &password).await?;
    // The riders the clients share: the throw-away city's all, or on a server one each.
    let pool = if local.is_some() { RIDERS } else { a.clients };
    let cycles = plan(&http, &url, &token, a.clients, pool).await?;
    let agents = a.clients as usize - cycles.len();
    writeln!(
        out,
        "bench load: {} clients ({} riders at docks, {agents} agents searching) for {} s against {}{}",
        a.clients,
        cycles.len(),
        a.seconds,
        url,
        if local.is_some() {
            format!(" (in-process, database in {})", dir.path().display())
        } else {
            String::new()
        }
    )?;

    let deadline = Instant::now() + Duration::from_secs(a.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    let journal = a.journal.is_some();
    for (i, c) in cycles.into_iter().enumerate() {
        let (http, url) = (http.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            rider_client(&http, &url, c, i, deadline, journal).await
        }));
    }
    for i in 0..agents {
        // Each agent is a desk of its own: its session, its share of the search limit.
        let desk = login(&http, &url, &a.username, &password).await?;
        let (http, url) = (http.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            agent_client(&http, &url, &desk, i as u64, deadline).await
        }));
    }
    let mut all = Sample::default();
    for t in tasks {
        let s = t.await.map_err(failed("a client"))?;
        all.station.extend(s.station);
        all.agent.extend(s.agent);
        all.errors.extend(s.errors);
        all.acknowledged.extend(s.acknowledged);
        all.limited += s.limited;
        all.gone = all.gone.or(s.gone);
    }
    let elapsed = started.elapsed();
    if let Some(running) = local {
        running
            .stop()
            .await
            .map_err(failed("stopping the server"))?;
    }

    let station_n = all.station.len() as u64;
    let agent_n = all.agent.len() as u64;
    let mut every: Vec<Duration> = all.station.iter().chain(&all.agent).copied().collect();
    let (sp50, sp99) = median_p99(&mut all.station);
    let (ap50, ap99) = median_p99(&mut all.agent);
    let (p50, p99) = median_p99(&mut every);
    writeln!(
        out,
        "  station requests (unlock, pull, dock): {} in {} ({}), p50 {}, p99 {}",
        group(station_n),
        human(elapsed),
        rate(station_n, elapsed),
        human(sp50),
        human(sp99)
    )?;
    writeln!(
        out,
        "  agent requests (search, rider view):   {} ({}), p50 {}, p99 {}",
        group(agent_n),
        rate(agent_n, elapsed),
        human(ap50),
        human(ap99)
    )?;
    writeln!(
        out,
        "  all requests: {} ({}), p50 {}, p99 {}; refused or failed: {}",
        group(station_n + agent_n),
        rate(station_n + agent_n, elapsed),
        human(p50),
        human(p99),
        all.errors.len()
    )?;
    writeln!(
        out,
        "  agent searches over the per-session limit (429, then Retry-After waited): {}",
        group(all.limited)
    )?;
    let mut kinds: Vec<String> = all.errors.clone();
    kinds.sort();
    kinds.dedup();
    for k in kinds.iter().take(5) {
        let n = all.errors.iter().filter(|e| *e == k).count();
        writeln!(out, "    {n} × {k}")?;
    }
    if let Some(path) = &a.journal {
        write_journal(path, &all.acknowledged)?;
        writeln!(
            out,
            "  journal: {} acknowledged station requests in {}",
            group(all.acknowledged.len() as u64),
            path.display()
        )?;
    }
    if let Some(why) = &all.gone {
        writeln!(
            out,
            "  the server stopped answering ({why}): the clients stopped, no ratio"
        )?;
        return Ok(ExitCode::FAILURE);
    }

    let (raw_n, raw_time) = raw_baseline(dir.path(), Duration::from_secs(a.seconds.min(10)))?;
    writeln!(
        out,
        "  raw SQLite (synchronous=FULL, WAL, one thread): the writes of a station request (bike, dock, 2 events, idempotency record), one transaction each: {} in {} ({})",
        group(raw_n),
        human(raw_time),
        rate(raw_n, raw_time)
    )?;
    let served = station_n as f64 / elapsed.as_secs_f64().max(1e-9);
    let raw = raw_n as f64 / raw_time.as_secs_f64().max(1e-9);
    writeln!(
        out,
        "  ratio: station requests at {:.2}× the raw rate (aim ≥ 0.5×); p99 of all requests {} (aim < 20 ms)",
        served / raw.max(1e-9),
        human(p99)
    )?;
    Ok(ExitCode::SUCCESS)
}

async fn login(
    http: &reqwest::Client,
    url: &str,
    user: &str,
    pw: &str,
) -> Result<String, CliError> {
    let r = http
        .post(format!("{url}/auth/login"))
        .json(&json!({"username": user, "password": pw}))
        .send()
        .await
        .map_err(failed("logging in"))?;
    if !r.status().is_success() {
        return Err(CliError::input(format!(
            "--server {url}: login as {user} refused ({})",
            r.status()
        )));
    }
    let v: Value = r.json().await.map_err(failed("reading the login"))?;
    Ok(v["token"].as_str().unwrap_or_default().to_string())
}

/// Give each rider client its riders (of riders 1..=`pool`), a docked bike and its
/// station's key (new keys: a bench is for a test system).
async fn plan(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    clients: u64,
    pool: u64,
) -> Result<Vec<Cycle>, CliError> {
    let riders = (clients - clients / 4).max(1);
    let stations: Vec<Value> = get(http, url, token, "/stations").await?;
    let mut cycles = Vec::new();
    'stations: for s in &stations {
        let id = s["id"].as_i64().unwrap_or_default();
        let view: Value = get(http, url, token, &format!("/stations/{id}")).await?;
        let key: Value = http
            .post(format!("{url}/stations/{id}/key"))
            .bearer_auth(token)
            .send()
            .await
            .map_err(failed("making a station key"))?
            .json()
            .await
            .map_err(failed("reading a station key"))?;
        let key = key["key"].as_str().unwrap_or_default().to_string();
        let docked: Vec<i64> = view["docks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d["bike"].as_i64())
            .collect();
        // Half the bikes of a station at most, so each rider finds a free dock.
        for bike in docked.iter().take(docked.len() / 2) {
            if cycles.len() as u64 >= riders {
                break 'stations;
            }
            let first = cycles.len() as u64 + 1;
            cycles.push(Cycle {
                riders: (first..=pool.max(first))
                    .step_by(riders as usize)
                    .map(|r| r as i64)
                    .collect(),
                bike: *bike,
                station: id,
                key: key.clone(),
            });
        }
    }
    Ok(cycles)
}

async fn get<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    path: &str,
) -> Result<T, CliError> {
    http.get(format!("{url}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .map_err(failed("a lookup"))?
        .json()
        .await
        .map_err(failed("reading a lookup"))
}

/// Write the acknowledged requests to `path`, one JSON line each.
fn write_journal(path: &Path, lines: &[Value]) -> Result<(), CliError> {
    let mut text = String::new();
    for line in lines {
        text.push_str(&line.to_string());
        text.push('\n');
    }
    std::fs::write(path, text).map_err(|e| {
        CliError::Failed(eyre::Report::new(e).wrap_err(format!("writing {}", path.display())))
    })
}

/// Send one request, timing it; a refusal is noted by kind. Returns the status and the
/// answer, or `None` when the server did not answer (noted in `s.gone`: the client stops).
async fn timed(
    req: reqwest::RequestBuilder,
    times: &mut Vec<Duration>,
    s: &mut Sample,
) -> Option<(u16, Value, Option<u64>)> {
    let t = Instant::now();
    let answered = match req.send().await {
        Ok(r) => {
            let status = r.status();
            let wait = r
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            r.bytes().await.map(|body| (status, body, wait))
        }
        Err(e) => Err(e),
    };
    match answered {
        Ok((status, body, wait)) => {
            times.push(t.elapsed());
            let value = serde_json::from_slice::<Value>(&body).unwrap_or(Value::Null);
            if !status.is_success() {
                let kind = value["kind"]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| status.to_string());
                s.errors.push(kind);
            }
            Some((status.as_u16(), value, wait))
        }
        Err(e) => {
            s.errors.push(format!("transport: {e}"));
            s.gone = Some(e.to_string());
            None
        }
    }
}

async fn rider_client(
    http: &reqwest::Client,
    url: &str,
    c: Cycle,
    n: usize,
    deadline: Instant,
    journal: bool,
) -> Sample {
    let mut s = Sample::default();
    let mut times = Vec::new();
    let auth = format!("Station {}", c.key);
    let mut i = 0u64;
    for rider in c.riders.iter().cycle() {
        if Instant::now() >= deadline || s.gone.is_some() {
            break;
        }
        for (action, body) in [
            (
                "unlock",
                json!({"rider": rider, "bike": c.bike, "pin": PIN}),
            ),
            ("pull", json!({"bike": c.bike})),
            ("dock", json!({"bike": c.bike})),
        ] {
            i += 1;
            let key = format!("bench-{n}-{i}");
            let req = http
                .post(format!("{url}/station/{}/{action}", c.station))
                .header("authorization", &auth)
                .header("idempotency-key", &key)
                .json(&body);
            match timed(req, &mut times, &mut s).await {
                Some((status, answer, _)) if journal && (200..300).contains(&status) => {
                    s.acknowledged.push(json!({
                        "station": c.station, "action": action, "key": key,
                        "body": body, "status": status, "answer": answer,
                        "acknowledged_ms": chrono::Utc::now().timestamp_millis(),
                    }));
                }
                Some(_) => {}
                None => break,
            }
        }
    }
    s.station = times;
    s
}

async fn agent_client(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    seed: u64,
    deadline: Instant,
) -> Sample {
    let mut s = Sample::default();
    let mut times = Vec::new();
    let mut rng = super::names::Rng::new(seed + 17);
    while Instant::now() < deadline && s.gone.is_none() {
        let id = rng.below(RIDERS) + 1;
        let surname: String = super::names::rider(id).surname.chars().take(3).collect();
        let req = http
            .get(format!("{url}/riders"))
            .bearer_auth(token)
            .query(&[("q", surname.as_str()), ("limit", "20")]);
        match timed(req, &mut times, &mut s).await {
            None => break,
            Some((429, _, wait)) => {
                // The desk's search limit: not a failure; wait as told, as a console does.
                s.errors.pop();
                times.pop();
                s.limited += 1;
                tokio::time::sleep(Duration::from_secs(wait.unwrap_or(1))).await;
                continue;
            }
            Some(_) => {}
        }
        let req = http.get(format!("{url}/riders/{id}")).bearer_auth(token);
        timed(req, &mut times, &mut s).await;
    }
    s.agent = times;
    s
}
