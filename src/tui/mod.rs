//! The console: the full-screen operator TUI over a `dyn Backend`. One event loop:
//! terminal input, ticks, backend replies and live events arrive as messages; the loop
//! drains them all, updates the state, then draws once. The terminal is restored on every
//! exit, panic included; logs go to a file, never to the screen.

pub mod app;
mod commands;
pub mod dialog;
mod fetch;
mod form_fields;
mod input;
pub mod keymap;
mod navigate;
pub mod procedures;
mod replies;
mod requests;
mod state;
pub mod text;
pub mod theme;
pub mod views;
mod words;

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

/// Give the terminal back. A terminal that is gone (a hang-up) cannot be given back, and
/// that is not an error worth a word: nothing is printed then (printing to a closed
/// terminal would fail in turn, and stop the clean-up that follows).
fn restore() {
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    if let Err(e) = ratatui::try_restore() {
        log(&format!("the terminal could not be restored: {e}"));
    }
}

/// Run the console until the user quits. Must be called inside a tokio runtime.
pub async fn run(backend: Arc<dyn Backend>, opts: Options) -> std::io::Result<()> {
    let mut session = Session::open()?;
    log(&format!(
        "console started as {} on {}",
        opts.staff,
        backend.info().location
    ));
    let result = event_loop(&mut session, backend, opts).await;
    session.close(result)
}

/// How a console that waited for its backend ended ([`run_when_ready`]).
pub enum Prepared<T, E> {
    /// The user quit before the backend was ready; what was being prepared was dropped.
    Quit,
    /// Preparing failed: the terminal is restored, the error is the caller's to tell.
    Failed(E),
    /// The console ran on the backend; `value` is what came with it (a demo's riders).
    Ran {
        value: T,
        console: std::io::Result<()>,
    },
}

/// Run the console on a backend that is still being prepared (a demo city being built):
/// the terminal opens at once on a screen showing `progress` (lines the caller writes, in
/// the console's language), redrawn as it changes; once `ready` gives the backend, the
/// console proper starts on it. `q`, `Esc` or `Ctrl-C` meanwhile gives up: `ready` is
/// dropped. Must be called inside a tokio runtime.
pub async fn run_when_ready<T, E>(
    ready: impl std::future::Future<Output = Result<(Arc<dyn Backend>, T), E>>,
    mut progress: tokio::sync::watch::Receiver<String>,
    opts: Options,
) -> std::io::Result<Prepared<T, E>> {
    let mut session = Session::open()?;
    tokio::pin!(ready);
    let mut following = true;
    let got = loop {
        let text = progress.borrow_and_update().clone();
        if let Err(e) = session
            .terminal
            .draw(|f| draw_progress(f, &opts.theme, &text))
        {
            return session.close(Err(e)).map(|()| Prepared::Quit);
        }
        tokio::select! {
            got = &mut ready => break got,
            changed = progress.changed(), if following => following = changed.is_ok(),
            msg = session.rx.recv() => match msg {
                Some(Msg::Key(k)) if quits(&k) => {
                    log("console closed while its system was being prepared");
                    return session.close(Ok(())).map(|()| Prepared::Quit);
                }
                Some(_) => {}
                None => return session.close(Ok(())).map(|()| Prepared::Quit),
            },
        }
    };
    match got {
        Err(e) => session.close(Ok(())).map(|()| Prepared::Failed(e)),
        Ok((backend, value)) => {
            log(&format!(
                "console started as {} on {}",
                opts.staff,
                backend.info().location
            ));
            let result = event_loop(&mut session, backend, opts).await;
            let console = session.close(result);
            Ok(Prepared::Ran { value, console })
        }
    }
}

/// A hang-up (the terminal closed) or a polite kill quits as `Ctrl-C` does, so that what
/// quitting cleans up (the demo's temporary database) is cleaned up then too.
fn hang_up_quits(tx: mpsc::UnboundedSender<Msg>) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut hup), Ok(mut term)) = (
            signal(SignalKind::hangup()),
            signal(SignalKind::terminate()),
        ) else {
            return;
        };
        tokio::select! {
            _ = hup.recv() => log("hang-up: the console quits"),
            _ = term.recv() => log("terminated: the console quits"),
        }
        let ctrl_c = crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char('c'),
            crossterm::event::KeyModifiers::CONTROL,
        );
        let _ = tx.send(Msg::Key(ctrl_c));
    });
    #[cfg(not(unix))]
    drop(tx);
}

/// The keys that leave the console before it is ready.
fn quits(k: &crossterm::event::KeyEvent) -> bool {
    use crossterm::event::{KeyCode, KeyModifiers};
    match k.code {
        KeyCode::Char('q') | KeyCode::Esc => true,
        KeyCode::Char('c') => k.modifiers.contains(KeyModifiers::CONTROL),
        _ => false,
    }
}

/// The screen while the backend is prepared: the console's header word, then the caller's
/// lines in the middle.
fn draw_progress(f: &mut ratatui::Frame, theme: &theme::Theme, text: &str) {
    use ratatui::layout::{Alignment, Constraint, Layout};
    use ratatui::text::{Line, Span};
    use ratatui::widgets::{Paragraph, Wrap};
    use theme::Meaning;
    let area = f.area();
    let lines = text.lines().count() as u16;
    let [header, _, middle, _] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(lines.max(1)),
        Constraint::Fill(1),
    ])
    .areas(area);
    f.render_widget(
        ratatui::widgets::Block::default().style(theme.background()),
        area,
    );
    f.render_widget(
        Paragraph::new(Line::from(Span::styled(
            " velodesk ",
            theme.style(Meaning::Key),
        ))),
        header,
    );
    f.render_widget(
        Paragraph::new(text.to_string())
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true })
            .style(theme.style(Meaning::Normal)),
        middle,
    );
}

/// The terminal while the console has it: raw mode and the alternate screen, the panic
/// hook that gives it back first, the log to a file, and the thread that reads input
/// into `rx` (started once, so that input read before the backend is ready and after
/// goes one way).
struct Session {
    terminal: ratatui::DefaultTerminal,
    tx: mpsc::UnboundedSender<Msg>,
    rx: mpsc::UnboundedReceiver<Msg>,
}

impl Session {
    fn open() -> std::io::Result<Session> {
        // Restore the terminal before any panic report is printed.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            log(&format!("panic: {info}"));
            previous(info);
        }));
        crate::logging::to_file(log_path());
        // The mouse stays the terminal's (to select and copy) until `m` gives it to the
        // console.
        let terminal = ratatui::try_init()?;
        let (tx, rx) = mpsc::unbounded_channel::<Msg>();
        hang_up_quits(tx.clone());
        // Terminal input on its own thread: crossterm's read blocks.
        let input_tx = tx.clone();
        std::thread::spawn(move || {
            loop {
                let msg = match event::read() {
                    Ok(TermEvent::Key(k)) if k.kind != event::KeyEventKind::Release => Msg::Key(k),
                    Ok(TermEvent::Mouse(m)) => Msg::Mouse(m),
                    Ok(TermEvent::Resize(..)) => Msg::Tick,
                    Ok(_) => continue,
                    Err(_) => break,
                };
                if input_tx.send(msg).is_err() {
                    break;
                }
            }
        });
        Ok(Session { terminal, tx, rx })
    }

    /// Give the terminal back; `result` is how the console ended.
    fn close(mut self, result: std::io::Result<()>) -> std::io::Result<()> {
        restore();
        if self.terminal.show_cursor().is_err() {
            // The terminal is gone: its `Drop` would print that the cursor cannot be shown.
            std::mem::forget(self.terminal);
        }
        if let Err(e) = &result {
            log(&format!("console stopped: {e}"));
        }
        result
    }
}

async fn event_loop(
    session: &mut Session,
    backend: Arc<dyn Backend>,
    opts: Options,
) -> std::io::Result<()> {
    let tx = session.tx.clone();
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
    let (terminal, rx) = (&mut session.terminal, &mut session.rx);
    let mut mouse = false;
    loop {
        if app.mouse != mouse {
            mouse = app.mouse;
            let _ = if mouse {
                execute!(std::io::stdout(), EnableMouseCapture)
            } else {
                execute!(std::io::stdout(), DisableMouseCapture)
            };
        }
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
