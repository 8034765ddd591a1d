//! What a console costs its server: a small TCP proxy between a console and a real
//! `velodesk serve` (started in-process) counts the HTTP requests. Idle, a console takes one
//! look every 10 s; a burst of changes to the rider it shows is one fetch of that rider.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{broadcast, mpsc};
use velodesk::api::{Event, PayMethod};
use velodesk::backend::Ops;
use velodesk::backend::{Backend, RemoteBackend};
use velodesk::domain::{RiderId, Tenge};
use velodesk::tui::app::{App, Msg, Options};
use velodesk::tui::text::Lang;
use velodesk::tui::theme::{Palette, Theme};

/// The request lines (`GET /stations`) that went through the proxy, in order.
type Seen = Arc<Mutex<Vec<String>>>;

/// A proxy on 127.0.0.1 in front of `target` (`http://127.0.0.1:PORT`); its URL.
async fn proxy(target: &str, seen: Seen) -> String {
    let upstream = target.trim_start_matches("http://").to_string();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let (upstream, seen) = (upstream.clone(), seen.clone());
            tokio::spawn(async move {
                let Ok(server) = TcpStream::connect(&upstream).await else {
                    return;
                };
                let (mut cr, mut cw) = client.into_split();
                let (mut sr, mut sw) = server.into_split();
                tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut sr, &mut cw).await;
                });
                let mut pending = String::new();
                let mut buf = vec![0u8; 16 * 1024];
                loop {
                    let n = match cr.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    pending.push_str(&String::from_utf8_lossy(&buf[..n]));
                    while let Some(i) = pending.find("\r\n") {
                        let line: String = pending.drain(..i + 2).collect();
                        let words: Vec<&str> = line.split_whitespace().collect();
                        if let [method, path, version] = words[..]
                            && version.starts_with("HTTP/")
                            && ["GET", "POST", "PUT", "DELETE", "PATCH"].contains(&method)
                        {
                            seen.lock().unwrap().push(format!("{method} {path}"));
                        }
                    }
                    if sw.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    url
}

/// A console on `b` with the real clock, driven as the terminal's loop drives it.
struct Console {
    app: App,
    rx: mpsc::UnboundedReceiver<Msg>,
    events: broadcast::Receiver<(i64, Event)>,
}

impl Console {
    fn open(b: Arc<dyn Backend>, staff: &str) -> Console {
        let (tx, rx) = mpsc::unbounded_channel();
        let events = b.subscribe();
        let opts = Options {
            staff: staff.into(),
            lang: Lang::En,
            read_only: false,
            theme: Theme::new(Palette::NoColor),
            note: None,
            shift: chrono::Duration::hours(8),
        };
        Console {
            app: App::new(b, tx, opts),
            rx,
            events,
        }
    }

    /// Run for `d`: replies and events as they come, a tick each second when `ticks`.
    async fn run(&mut self, d: Duration, ticks: bool) -> usize {
        let end = Instant::now() + d;
        let mut next_tick = Instant::now() + Duration::from_secs(1);
        let mut events = 0;
        while Instant::now() < end {
            while let Ok(m) = self.rx.try_recv() {
                self.app.update(m);
            }
            while let Ok((id, e)) = self.events.try_recv() {
                events += 1;
                self.app.update(Msg::Event(id, e));
            }
            if ticks && Instant::now() >= next_tick {
                next_tick += Duration::from_secs(1);
                self.app.update(Msg::Tick);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        events
    }
}

/// The requests seen, but the live event stream (one long request) and logging in.
fn counted(seen: &Seen) -> Vec<String> {
    seen.lock()
        .unwrap()
        .iter()
        .filter(|r| !r.contains("/events") && !r.contains("/login"))
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_console_takes_one_look_every_ten_seconds() {
    let s = support::TestServer::start().await;
    let seen = Seen::default();
    let url = proxy(&s.url, seen.clone()).await;
    let remote = RemoteBackend::connect(&url, "aigerim", &support::password("aigerim"))
        .await
        .unwrap();
    let mut c = Console::open(Arc::new(remote), "aigerim");
    c.run(Duration::from_secs(3), true).await;
    assert!(c.app.now.is_some(), "the console has the clock");
    seen.lock().unwrap().clear();
    c.run(Duration::from_secs(21), true).await;
    let asked = counted(&seen);
    assert!(
        asked.len() <= 3,
        "at most one request per 10 s while nothing changes, saw {}: {asked:?}",
        asked.len()
    );
    assert!(
        !asked.is_empty(),
        "it still takes its looks (and the proxy sees them)"
    );
    // And the clock on the screen goes on between its reads.
    let shown = c.app.clock_now().unwrap();
    let read = c.app.now.unwrap();
    assert!(shown >= read, "{shown} {read}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_changes_to_the_rider_shown_is_one_fetch() {
    let s = support::TestServer::start().await;
    let seen = Seen::default();
    let url = proxy(&s.url, seen.clone()).await;
    let remote = RemoteBackend::connect(&url, "aigerim", &support::password("aigerim"))
        .await
        .unwrap();
    let mut c = Console::open(Arc::new(remote), "aigerim");
    c.run(Duration::from_secs(2), true).await;
    c.app.open_rider(RiderId(1));
    c.run(Duration::from_secs(2), true).await;
    assert!(c.app.rider.as_ref().is_some_and(|p| p.view.is_some()));
    seen.lock().unwrap().clear();
    // Another desk (straight to the server) takes five payments in a row.
    let other = RemoteBackend::connect(&s.url, "bolat", &support::password("bolat"))
        .await
        .unwrap();
    for _ in 0..5 {
        other
            .as_staff("bolat")
            .pay(RiderId(1), Tenge(1_000), PayMethod::Cash)
            .await
            .unwrap();
    }
    // The events come (no tick meanwhile), then one tick fetches what they marked.
    let mut events = 0;
    let until = Instant::now() + Duration::from_secs(10);
    while events < 5 && Instant::now() < until {
        events += c.run(Duration::from_millis(200), false).await;
    }
    assert!(events >= 5, "the events arrived: {events}");
    c.app.update(Msg::Tick);
    c.run(Duration::from_secs(1), false).await;
    let riders: Vec<String> = counted(&seen)
        .into_iter()
        .filter(|r| r.starts_with("GET /riders/1"))
        .collect();
    assert_eq!(riders.len(), 1, "one rider fetch for the burst: {riders:?}");
    let balance = c
        .app
        .rider
        .as_ref()
        .and_then(|p| p.view.as_ref())
        .map(|v| v.rider.balance);
    assert_eq!(balance, Some(Tenge(25_000)), "and it shows all five");
}

/// A name typed at the speed of a person is one search, sent once the typing pauses, and
/// its answer shows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_typed_in_one_go_is_one_search() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let s = support::TestServer::start().await;
    let seen = Seen::default();
    let url = proxy(&s.url, seen.clone()).await;
    let remote = RemoteBackend::connect(&url, "aigerim", &support::password("aigerim"))
        .await
        .unwrap();
    let mut c = Console::open(Arc::new(remote), "aigerim");
    c.run(Duration::from_secs(2), false).await;
    c.app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('3'),
        KeyModifiers::NONE,
    )));
    seen.lock().unwrap().clear();
    for ch in "Rider3".chars() {
        c.app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char(ch),
            KeyModifiers::NONE,
        )));
        c.run(Duration::from_millis(40), false).await;
    }
    c.run(Duration::from_millis(800), false).await;
    let searches: Vec<String> = counted(&seen)
        .into_iter()
        .filter(|r| r.starts_with("GET /riders?"))
        .collect();
    assert_eq!(searches.len(), 1, "one search for the name: {searches:?}");
    assert!(searches[0].contains("q=Rider3"), "{searches:?}");
    assert_eq!(
        c.app.riders.hits.first().map(|h| h.id),
        Some(RiderId(3)),
        "and its answer shows"
    );
}
