//! `velodesk bench console`: the console's frame time — state update (a live refresh where
//! some stations changed) + render + diff — for the stations table and the map, median and
//! p99, beside a raw baseline measured in the same run: drawing a plain full-screen text of
//! the same size through the same terminal.

use super::{human, median_p99};
use crate::backend::Ops;
use crate::backend::{Backend, LocalBackend};
use crate::cli::CliError;
use crate::cli::args::BenchConsoleArgs;
use crate::clock::SimClock;
use crate::domain::StationId;
use crate::domain::tariff::bundled;
use crate::tui::app::{App, Msg, Options, Reply, View};
use crate::tui::text::Lang;
use crate::tui::theme::{Palette, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::widgets::Paragraph;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

pub fn run(a: &BenchConsoleArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let rt = crate::cli::console::runtime()?;
    rt.block_on(bench(a, out))
}

async fn bench(a: &BenchConsoleArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let store = crate::store::Store::open_in_memory().map_err(super::failed("opening memory"))?;
    let engine = crate::engine::Engine::init(
        store,
        "almaty",
        bundled("almaty").unwrap_or_default(),
        crate::engine::Settings::default(),
    )
    .map_err(super::failed("creating the system"))?;
    let start = chrono::Utc::now();
    let b = Arc::new(LocalBackend::start(
        engine,
        Arc::new(SimClock::new(start)),
        "bench",
    ));
    let n = a.stations as i64;
    for i in 0..n {
        // A grid over Almaty, deterministic.
        let (row, col) = (i / 40, i % 40);
        b.add_station(crate::api::NewStation {
            id: StationId(10_000 + i),
            name: format!("Станция {i} — пр. Абая / ул. {}", i * 7 % 113),
            lat: 43.18 + row as f64 * 0.004,
            lon: 76.85 + col as f64 * 0.006,
            docks: 10 + (i % 11) as u32,
            active: i % 37 != 0,
            ..Default::default()
        })
        .await
        .map_err(|e| CliError::input(e.to_string()))?;
    }
    let rows = b
        .stations()
        .await
        .map_err(|e| CliError::input(e.to_string()))?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let opts = Options {
        staff: "bench".into(),
        lang: Lang::En,
        read_only: true,
        theme: Theme::new(Palette::Dark),
        note: None,
        shift: chrono::Duration::hours(8),
    };
    let mut app = App::new(b.clone(), tx, opts);
    while app.pending > 0 {
        match rx.recv().await {
            Some(m) => app.update(m),
            None => break,
        }
    }
    let Ok(mut term) = Terminal::new(TestBackend::new(a.width, a.height));
    let text: String = (0..a.height)
        .map(|y| {
            format!(
                "{:width$}\n",
                format!("line {y} of plain text"),
                width = a.width as usize
            )
        })
        .collect();
    writeln!(
        out,
        "console frame time: {} stations, {} frames per view, {}×{} terminal",
        a.stations, a.frames, a.width, a.height
    )?;
    for (label, view) in [("stations table", View::Stations), ("map", View::Map)] {
        app.go(view);
        let mut frames = Vec::with_capacity(a.frames as usize);
        let mut raw = Vec::with_capacity(a.frames as usize);
        for f in 0..a.frames {
            // A live refresh in which one station in twenty changed.
            let mut next = rows.clone();
            for (i, s) in next.iter_mut().enumerate() {
                if (i as u64 + f).is_multiple_of(20) {
                    s.bikes = (s.bikes + 1) % (s.docks + 1);
                    s.free_docks = s.docks - s.bikes;
                }
            }
            let t = Instant::now();
            app.update(Msg::Reply(Reply::Stations(Ok(next))));
            if f % 2 == 0 {
                app.act(crate::tui::keymap::Action::Down);
            }
            let Ok(_) = term.draw(|fr| crate::tui::views::render(fr, &app));
            frames.push(t.elapsed());
            let t = Instant::now();
            let Ok(_) = term.draw(|fr| fr.render_widget(Paragraph::new(text.as_str()), fr.area()));
            raw.push(t.elapsed());
        }
        let (m, p) = median_p99(&mut frames);
        let (rm, rp) = median_p99(&mut raw);
        writeln!(
            out,
            "{label:<15} median {:>9}  p99 {:>9}   raw full-screen text: median {:>9}  p99 {:>9}   ratio {:.1}×",
            human(m),
            human(p),
            human(rm),
            human(rp),
            m.as_secs_f64() / rm.as_secs_f64().max(1e-9)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
