//! A procedure's dialog: facts, fields, the preview, and the buttons with *Cancel* focused
//! first; then the wait (cable lock) or the outcome.

use super::centered;
use crate::tui::app::App;
use crate::tui::dialog::{CableOutcome, Field, Form, Kind, Stage};
use crate::tui::text::{T, fill};
use crate::tui::theme::Meaning;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn render(f: &mut Frame, app: &App, form: &Form, body: Rect) {
    let th = &app.opts.theme;
    let area = centered(body, 84, 22);
    f.render_widget(Clear, area);
    let block = Block::default()
        .style(th.background())
        .borders(Borders::ALL)
        .title(Span::styled(
            format!(" {} ", app.t(form.proc.title())),
            th.style(Meaning::Title),
        ))
        .border_style(th.style(Meaning::Title));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let mut lines: Vec<Line> = form
        .facts
        .iter()
        .map(|l| Line::styled(l.clone(), th.style(Meaning::Muted)))
        .collect();
    if !lines.is_empty() {
        lines.push(Line::raw(""));
    }
    let editing = form.stage == Stage::Edit;
    let mut cursor = None;
    // The labels' column is as wide as the longest label, in any language.
    let lw = form
        .fields
        .iter()
        .map(|fl| app.t(fl.label()).chars().count() + 1)
        .max()
        .unwrap_or(0)
        .max(20);
    // The value's column fills what is left of the line, up to 40 (a wider one would wrap).
    let vw = usize::from(inner.width).saturating_sub(2 + lw).min(40);
    for (i, fl) in form.fields.iter().enumerate() {
        let focused = editing && i == form.focus;
        let label = format!("{:<lw$}", app.t(fl.label()));
        let value = match fl {
            Field::Text { input, secret, .. } => {
                if focused {
                    cursor = Some((lines.len(), 2 + lw + input.visual_cursor()));
                }
                if *secret {
                    "•".repeat(input.value().chars().count())
                } else {
                    input.value().to_string()
                }
            }
            Field::Choice {
                options, selected, ..
            } => {
                let v = options
                    .get(*selected)
                    .map(|o| o.1.clone())
                    .unwrap_or_default();
                format!("◀ {v} ▶  ({}/{})", selected + 1, options.len())
            }
        };
        let m = if focused {
            Meaning::Selected
        } else {
            Meaning::Normal
        };
        lines.push(Line::from(vec![
            Span::styled(if focused { "› " } else { "  " }, th.style(Meaning::Info)),
            Span::styled(label, th.style(Meaning::Muted)),
            Span::styled(format!("{value:<vw$}"), th.style(m)),
        ]));
    }
    if let Some(e) = &form.error {
        lines.push(Line::raw(""));
        lines.push(Line::styled(e.clone(), th.style(Meaning::Danger)));
    }
    match &form.stage {
        Stage::Edit => {
            lines.push(Line::raw(""));
            lines.push(Line::styled(app.t(T::FormKeys), th.style(Meaning::Muted)));
        }
        Stage::Previewing | Stage::Busy => {
            lines.push(Line::raw(""));
            lines.push(Line::styled(app.t(T::Working), th.style(Meaning::Info)));
        }
        Stage::Confirm { on_confirm } => {
            lines.push(Line::raw(""));
            lines.push(Line::styled(app.t(T::CheckFirst), th.style(Meaning::Title)));
            for p in &form.preview {
                // A dispute's proof stands out (and says PROOF in words too).
                if p.starts_with(super::dispute::PROOF_MARK) {
                    lines.push(Line::styled(format!("  {p}"), th.style(Meaning::Ok)));
                } else {
                    lines.push(Line::from(format!("  {p}")));
                }
            }
            lines.push(Line::raw(""));
            let (c, o) = if *on_confirm {
                (Meaning::Normal, Meaning::Selected)
            } else {
                (Meaning::Selected, Meaning::Normal)
            };
            lines.push(Line::from(vec![
                Span::raw("      "),
                Span::styled(format!("[ {} ]", app.t(T::Cancel)), th.style(c)),
                Span::raw("    "),
                Span::styled(format!("[ {} ]", app.t(T::Confirm)), th.style(o)),
            ]));
        }
        Stage::Waiting { slow, .. } => {
            lines.push(Line::raw(""));
            for r in &form.result {
                lines.push(Line::styled(r.clone(), th.style(Meaning::Ok)));
            }
            lines.push(Line::styled(
                fill(app.t(T::Waiting), &[&form.waited()]),
                th.style(Meaning::Info),
            ));
            if *slow {
                lines.push(Line::styled(
                    fill(app.t(T::CableTimeout), &[&form.valid_until()]),
                    th.style(Meaning::Warn),
                ));
            }
            lines.push(Line::styled(
                format!("[ {} ]", app.t(T::Close)),
                th.style(Meaning::Muted),
            ));
        }
        Stage::Done => {
            lines.push(Line::raw(""));
            if form.proc.kind == Kind::CableLock {
                // What happened, not just "Locked": a dock found after all leaves the
                // permission unused.
                let (text, m) = match form.outcome {
                    Some(CableOutcome::Locked(s)) => {
                        (fill(app.t(T::CableLockedAt), &[&s]), Meaning::Ok)
                    }
                    Some(CableOutcome::Docked(s)) => {
                        (fill(app.t(T::CableDocked), &[&s]), Meaning::Warn)
                    }
                    _ => (app.t(T::CableEndedOtherwise).to_string(), Meaning::Warn),
                };
                lines.push(Line::styled(text, th.style(m)));
                let text = form.result.join(" · ");
                lines.push(Line::styled(
                    fill(app.t(T::RentalEnded), &[&text]),
                    th.style(Meaning::Ok),
                ));
            } else {
                for r in &form.result {
                    lines.push(Line::styled(r.clone(), th.style(Meaning::Ok)));
                }
            }
            lines.push(Line::styled(
                format!("[ {} ]", app.t(T::Close)),
                th.style(Meaning::Selected),
            ));
        }
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    if let Some((row, col)) = cursor
        && row < usize::from(inner.height)
    {
        f.set_cursor_position((inner.x + col as u16, inner.y + row as u16));
    }
}
