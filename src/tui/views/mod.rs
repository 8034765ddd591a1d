//! Drawing: functions that only read the [`App`] and paint a frame. The frame is a header,
//! the view tabs, the view (or the page opened on it), the key hints and the status line;
//! dialogs, the help and the command palette are drawn over it.

pub mod alerts;
pub mod audit;
pub mod cases;
pub mod dispute;
pub mod form;
pub mod map;
pub mod rebalance;
pub mod rebalance_stop;
pub mod rider;
pub mod rider_desk;
pub mod riders;
pub mod station;
pub mod stations;

use super::app::{App, Page, Severity, View};
use super::keymap::{self, BINDINGS};
use super::text::{T, fill};
use super::theme::Meaning;
use crate::domain::time::format_local;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub const MIN_W: u16 = 80;
pub const MIN_H: u16 = 24;

pub fn render(f: &mut Frame, app: &App) {
    let area = f.area();
    f.render_widget(Block::default().style(app.opts.theme.background()), area);
    app.too_small.set(area.width < MIN_W || area.height < MIN_H);
    if app.too_small.get() {
        let text = fill(app.t(T::TooSmall), &[&area.width, &area.height]);
        f.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .style(app.opts.theme.style(Meaning::Warn)),
            area,
        );
        return;
    }
    let [header, tabs, body, hints, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(5),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    render_header(f, app, header);
    render_tabs(f, app, tabs);
    match app.page() {
        Some(Page::Station(_)) => station::render(f, app, body),
        Some(Page::Rider(_)) => rider::render(f, app, body),
        None => match app.view {
            View::Stations => stations::render(f, app, body),
            View::Map => map::render(f, app, body),
            View::Riders => riders::render(f, app, body),
            View::Rebalance => rebalance::render(f, app, body),
            View::Alerts => alerts::render(f, app, body),
            View::Audit => audit::render(f, app, body),
            View::Cases => cases::render(f, app, body),
        },
    }
    render_hints(f, app, hints);
    render_status(f, app, status);
    if let Some(form) = &app.dialog {
        form::render(f, app, form, body);
    }
    if let Some(input) = &app.palette {
        render_palette(f, app, input, body);
    }
    if app.help {
        render_help(f, app, body);
    }
}

fn render_header(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.opts.theme;
    let tz = app
        .tariff
        .as_ref()
        .map(|t| t.time_zone)
        .unwrap_or(chrono_tz::Asia::Almaty);
    let time = app
        .clock_now()
        .map(|n| format_local(tz, n))
        .unwrap_or_else(|| "—".into());
    let role = app
        .role
        .map(|r| crate::tui::text::role_name(r, app.opts.lang).to_string())
        .unwrap_or_else(|| "?".into());
    let age = app
        .last_update
        .map(|t| app.wall().saturating_duration_since(t).as_secs());
    let stale =
        app.disconnected.is_some() || !app.connection.is_live() || age.is_none_or(|a| a > 30);
    let (word, meaning) = if stale {
        (T::Stale, Meaning::Danger)
    } else {
        (T::Live, Meaning::Ok)
    };
    let age_text = match &app.connection {
        crate::api::ConnectionState::Stale { since, .. }
        | crate::api::ConnectionState::LoggedOut { since } => {
            let secs = app.now.map(|n| (n - *since).num_seconds()).unwrap_or(0);
            fill(app.t(T::Updated), &[&duration_in(secs, app.opts.lang)])
        }
        crate::api::ConnectionState::Live => age
            .map(|a| fill(app.t(T::Updated), &[&duration_in(a as i64, app.opts.lang)]))
            .unwrap_or_default(),
    };
    // What matters first (the link, whether this session may write, who and when), so
    // that at 80 columns nothing that matters is cut; where from comes last.
    let wide = area.width >= 120;
    let mut spans = vec![
        Span::styled(" velodesk ", th.style(Meaning::Key)),
        Span::styled(format!(" [{}]", app.t(word)), th.style(meaning)),
    ];
    if let Some(r) = &app.replication {
        let (word, meaning) = if r.is_live() {
            (T::Replicated, Meaning::Ok)
        } else {
            (T::NotReplicated, Meaning::Danger)
        };
        spans.push(Span::styled(
            format!(" [{}]", app.t(word)),
            th.style(meaning),
        ));
    }
    let cannot_write = app.opts.read_only
        || matches!(
            app.connection,
            crate::api::ConnectionState::LoggedOut { .. }
        );
    if cannot_write {
        spans.push(Span::styled(
            format!(" [{}]", app.t(T::ReadOnly)),
            th.style(Meaning::Warn),
        ));
    }
    let time = if wide {
        format!("{time} {}", tz.name())
    } else {
        time.get(..16).unwrap_or(&time).to_string()
    };
    // Ranked: at 80 columns the age goes first (kept while the link is stale: then it says
    // for how long), then where from, then the city.
    let mut parts: Vec<(u8, Span<'static>)> = spans.into_iter().map(|s| (0, s)).collect();
    parts.extend([
        (
            0,
            Span::styled(
                format!(" {} ({role}) ", app.opts.staff),
                th.style(Meaning::Normal),
            ),
        ),
        (
            0,
            Span::styled(format!("· {time} "), th.style(Meaning::Normal)),
        ),
        (
            2,
            Span::styled(format!("· {} ", app.info.city), th.style(Meaning::Title)),
        ),
        (
            3,
            Span::styled(
                format!("· {} ", app.info.location),
                th.style(Meaning::Muted),
            ),
        ),
        (
            if stale { 1 } else { 4 },
            Span::styled(format!("· {age_text}"), th.style(Meaning::Muted)),
        ),
    ]);
    f.render_widget(Paragraph::new(fitted(parts, area.width)), area);
}

/// The spans that fit in `width`, in their order: the highest rank dropped first.
fn fitted(mut parts: Vec<(u8, Span<'static>)>, width: u16) -> Line<'static> {
    let width = usize::from(width);
    while parts.iter().map(|(_, s)| s.width()).sum::<usize>() > width {
        let Some(worst) = parts.iter().map(|(r, _)| *r).max().filter(|r| *r > 0) else {
            break;
        };
        let i = parts.iter().rposition(|(r, _)| *r == worst).unwrap_or(0);
        parts.remove(i);
    }
    Line::from(parts.into_iter().map(|(_, s)| s).collect::<Vec<_>>())
}

fn render_tabs(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.opts.theme;
    // Where every view's name does not fit, the others show their number alone.
    let page = app.page().map(|_| 16).unwrap_or(0);
    let full: usize = View::ALL
        .iter()
        .map(|v| app.t(v.title()).chars().count() + 5)
        .sum();
    let short = full + page > usize::from(area.width);
    let mut spans = Vec::new();
    for (i, v) in View::ALL.iter().enumerate() {
        let (label, m) = if *v == app.view {
            (
                format!(" {} {} ", i + 1, app.t(v.title())),
                Meaning::Selected,
            )
        } else if short {
            (format!(" {} ", i + 1), Meaning::Muted)
        } else {
            (format!(" {} {} ", i + 1, app.t(v.title())), Meaning::Muted)
        };
        spans.push(Span::styled(label, th.style(m)));
        spans.push(Span::raw(" "));
    }
    match app.page() {
        Some(Page::Station(id)) => spans.push(Span::styled(
            format!("› {} {id}", app.t(T::Station)),
            th.style(Meaning::Title),
        )),
        Some(Page::Rider(id)) => spans.push(Span::styled(
            format!("› {} {id}", app.t(T::Rider)),
            th.style(Meaning::Title),
        )),
        None => {}
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The hint bar: the current scopes' most useful keys the staff member may use.
fn render_hints(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.opts.theme;
    // A form or the palette has the keys (its own line says which): the view's keys,
    // `q` and `?` included, would not act, so the bar shows none.
    if app.dialog.is_some() || app.palette.is_some() {
        return;
    }
    // While a field has the keys, `q` and `?` are text: the bar shows the field's keys.
    let scopes = if app.text_focused() {
        vec![keymap::Scope::Text]
    } else {
        app.scopes()
    };
    // Whole hints only, in the scopes' order, each that fits (a long one left out lets a
    // shorter one in); quit and help stay last, so what does not fit is one key away.
    let mut hints: Vec<Vec<Span<'static>>> = Vec::new();
    let mut last: Vec<Span<'static>> = Vec::new();
    for scope in &scopes {
        for b in BINDINGS
            .iter()
            .filter(|b| b.scope == *scope && b.hint && app.allowed(b.action))
        {
            // A key that cannot act now stays in the bar, greyed, with the reason.
            let why = app.disabled_reason(b.action);
            let hint = match &why {
                Some(why) => vec![Span::styled(
                    format!(" {} {} ({why})  ", b.keys[0].label(), app.t(b.desc)),
                    th.style(Meaning::Muted),
                )],
                None => vec![
                    Span::styled(format!(" {} ", b.keys[0].label()), th.style(Meaning::Key)),
                    Span::styled(format!(" {}  ", app.t(b.desc)), th.style(Meaning::Muted)),
                ],
            };
            if matches!(b.action, keymap::Action::Help | keymap::Action::Quit) {
                last.extend(hint);
            } else {
                hints.push(hint);
            }
        }
    }
    let width = |h: &[Span<'static>]| h.iter().map(Span::width).sum::<usize>();
    let mut room = usize::from(area.width).saturating_sub(width(&last));
    let mut spans: Vec<Span<'static>> = Vec::new();
    for h in hints {
        if width(&h) <= room {
            room -= width(&h);
            spans.extend(h);
        }
    }
    spans.extend(last);
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_status(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.opts.theme;
    let link = match &app.connection {
        crate::api::ConnectionState::Live => None,
        crate::api::ConnectionState::Stale { reason, .. } => Some(reason.clone()),
        crate::api::ConnectionState::LoggedOut { .. } => Some(app.t(T::LoggedOut).to_string()),
    };
    let (text, m) = match (link.as_ref().or(app.disconnected.as_ref()), &app.status) {
        (Some(d), _) => (fill(app.t(T::Disconnected), &[d]), Meaning::Danger),
        (None, Some((t, sev))) => (
            t.clone(),
            match sev {
                Severity::Info => Meaning::Info,
                Severity::Ok => Meaning::Ok,
                Severity::Error => Meaning::Danger,
            },
        ),
        (None, None) => (String::new(), Meaning::Muted),
    };
    f.render_widget(Paragraph::new(text).style(th.style(m)), area);
}

fn render_palette(f: &mut Frame, app: &App, input: &tui_input::Input, body: Rect) {
    let th = &app.opts.theme;
    let area = Rect {
        x: body.x + 2,
        y: body.y + 1,
        width: body.width.saturating_sub(4),
        height: 5,
    };
    f.render_widget(Clear, area);
    let block = Block::default()
        .style(th.background())
        .borders(Borders::ALL)
        .title(format!(" {} ", app.t(T::KPalette)))
        .border_style(th.style(Meaning::Title));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let lines = vec![
        Line::from(format!(":{}", input.value())),
        Line::styled(app.t(T::PaletteHint), th.style(Meaning::Muted)),
    ];
    // The commands wrap at 80 columns rather than being cut.
    f.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
        inner,
    );
    f.set_cursor_position((inner.x + 1 + input.visual_cursor() as u16, inner.y));
}

/// The help: every key the staff member may use here, by group, from the key table.
fn render_help(f: &mut Frame, app: &App, body: Rect) {
    let th = &app.opts.theme;
    let area = centered(body, 90, body.height.saturating_sub(2));
    f.render_widget(Clear, area);
    let block = Block::default()
        .style(th.background())
        .borders(Borders::ALL)
        .title(format!(" {} — {} ", app.t(T::Help), app.t(T::Keys)))
        .border_style(th.style(Meaning::Title));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let mut lines = Vec::new();
    let mut group = None;
    let mut seen_views = false;
    for b in BINDINGS.iter().filter(|b| app.allowed(b.action)) {
        if matches!(b.action, keymap::Action::View(_)) {
            if seen_views {
                continue;
            }
            seen_views = true;
        }
        if group != Some(b.group) {
            group = Some(b.group);
            lines.push(Line::styled(app.t(b.group), th.style(Meaning::Title)));
        }
        let keys = if matches!(b.action, keymap::Action::View(_)) {
            "1–7".to_string()
        } else {
            keymap::keys_label(b)
        };
        let mut line = vec![
            Span::styled(format!("  {keys:<16}"), th.style(Meaning::Info)),
            Span::raw(app.t(b.desc)),
        ];
        if let Some(why) = app.disabled_reason(b.action) {
            line.push(Span::styled(format!(" — {why}"), th.style(Meaning::Muted)));
        }
        lines.push(Line::from(line));
    }
    // Two columns when it does not fit in one.
    let h = usize::from(inner.height.max(1));
    let cols =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).split(inner);
    let (a, b) = lines.split_at(lines.len().min(h));
    f.render_widget(Paragraph::new(a.to_vec()), cols[0]);
    f.render_widget(Paragraph::new(b.to_vec()), cols[1]);
}

pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// `1 h 05 min`, `12 min`, `40 s` in the console's language.
pub fn duration_in(seconds: i64, lang: crate::tui::text::Lang) -> String {
    let s = seconds.max(0);
    let u = |t: T| t.get(lang);
    if s < 60 {
        format!("{s} {}", u(T::UnitS))
    } else if s < 3600 {
        format!("{} {}", s / 60, u(T::UnitMin))
    } else if s < 86_400 {
        format!(
            "{} {} {:02} {}",
            s / 3600,
            u(T::UnitH),
            (s % 3600) / 60,
            u(T::UnitMin)
        )
    } else {
        format!(
            "{} {} {} {}",
            s / 86_400,
            u(T::UnitD),
            (s % 86_400) / 3600,
            u(T::UnitH)
        )
    }
}

/// A block with a title in the theme's title style.
pub fn titled<'a>(app: &App, title: String) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(
            format!(" {title} "),
            app.opts.theme.style(Meaning::Title),
        ))
        .border_style(app.opts.theme.style(Meaning::Muted))
}
