//! The console: the full-screen operator TUI over a `dyn Backend`. One event loop:
//! terminal input, ticks, backend replies and live events arrive as messages; the loop
//! drains them all, updates the state, then draws once. The terminal is restored on every
//! exit, panic included; logs go to a file, never to the screen.

pub mod app;
pub mod dialog;
mod input;
pub mod keymap;
pub mod procedures;
mod replies;
pub mod text;
pub mod theme;
pub mod views;

use crate::backend::Backend;
use app::{App, Msg, Options};
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event as TermEvent};
use crossterm::execute;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Where the console writes its log: `$XDG_STATE_HOME/velodesk/console.log`, else
/// `~/.local/state/velodesk/console.log`, else the temporary directory.
pub fn log_path() -> PathBuf {
    let base = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("velodesk").join("console.log")
}

/// Append one line to the console's log; a log that cannot be written is not an error.
pub fn log(line: &str) {
    let path = log_path();
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
    {
        let _ = writeln!(
            f,
            "{} {line}",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
        );
    }
}

fn restore() {
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
}

/// Run the console until the user quits. Must be called inside a tokio runtime.
pub async fn run(backend: Arc<dyn Backend>, opts: Options) -> std::io::Result<()> {
    // Restore the terminal before any panic report is printed.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        log(&format!("panic: {info}"));
        previous(info);
    }));
    crate::logging::to_file(log_path());
    let mut terminal = ratatui::try_init()?;
    let _ = execute!(std::io::stdout(), EnableMouseCapture);
    log(&format!(
        "console started as {} on {}",
        opts.staff,
        backend.info().location
    ));
    let result = event_loop(&mut terminal, backend, opts).await;
    restore();
    if let Err(e) = &result {
        log(&format!("console stopped: {e}"));
    }
    result
}

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    backend: Arc<dyn Backend>,
    opts: Options,
) -> std::io::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    // Terminal input on its own thread: crossterm's read blocks.
    let input_tx = tx.clone();
    std::thread::spawn(move || {
        loop {
            match event::read() {
                Ok(TermEvent::Key(k)) if k.kind != event::KeyEventKind::Release => {
                    if input_tx.send(Msg::Key(k)).is_err() {
                        break;
                    }
                }
                Ok(TermEvent::Mouse(m)) => {
                    if input_tx.send(Msg::Mouse(m)).is_err() {
                        break;
                    }
                }
                Ok(TermEvent::Resize(..)) => {
                    if input_tx.send(Msg::Tick).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    });
    let tick_tx = tx.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(1));
        loop {
            every.tick().await;
            if tick_tx.send(Msg::Tick).is_err() {
                break;
            }
        }
    });
    let mut events = backend.subscribe();
    let ev_tx = tx.clone();
    tokio::spawn(async move {
        loop {
            match events.recv().await {
                Ok((id, e)) => {
                    if ev_tx.send(Msg::Event(id, e)).is_err() {
                        break;
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    // Too many to follow one by one: a full refresh catches up.
                    if ev_tx.send(Msg::Key(refresh_key())).is_err() {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
    });
    let mut link = backend.connection();
    let link_tx = tx.clone();
    tokio::spawn(async move {
        while link.changed().await.is_ok() {
            let state = link.borrow_and_update().clone();
            if link_tx.send(Msg::Connection(state)).is_err() {
                break;
            }
        }
    });
    let mut app = App::new(backend, tx, opts);
    loop {
        terminal.draw(|f| views::render(f, &app))?;
        let Some(first) = rx.recv().await else { break };
        app.update(first);
        while let Ok(m) = rx.try_recv() {
            app.update(m);
        }
        if app.quit {
            break;
        }
    }
    Ok(())
}

fn refresh_key() -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('r'),
        crossterm::event::KeyModifiers::CONTROL,
    )
}
