//! The Cases view (`7`, issue 17): first the handovers of others with their items — what
//! is not taken over stays — then the cases: mine, the desk's (a supervisor: all open
//! ones), overdue first. The cursor stays on the same item when the list re-sorts.

use super::titled;
use crate::api::Case;
use crate::domain::desk::catalogues;
use crate::domain::time::format_local;
use crate::tui::app::App;
use crate::tui::text::{T, case_status, fill, handover_kind};
use crate::tui::theme::Meaning;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

/// A row's identity: a handover item, or a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseKey {
    Item(i64),
    Case(i64),
}

impl Default for CaseKey {
    fn default() -> Self {
        CaseKey::Case(0)
    }
}

/// The cases as listed: overdue first, then by due time (the engine's order).
fn cases(app: &App) -> &[Case] {
    app.desk_file
        .as_ref()
        .map(|d| d.cases.as_slice())
        .unwrap_or_default()
}

/// The cases in their groups as shown: a supervisor's all in one; an agent's own, then the
/// desk's (each overdue first).
fn groups(app: &App) -> Vec<(T, Vec<&Case>)> {
    let all = app.role.is_some_and(|r| {
        crate::domain::roles::allows(r, crate::domain::roles::StaffAction::AssignCase)
    });
    let me = app.opts.staff.as_str();
    if all {
        return vec![(T::CasesAll, cases(app).iter().collect())];
    }
    vec![
        (
            T::CasesMine,
            cases(app)
                .iter()
                .filter(|k| k.owner.as_deref() == Some(me))
                .collect(),
        ),
        (
            T::CasesDesks,
            cases(app).iter().filter(|k| k.owner.is_none()).collect(),
        ),
    ]
}

/// The rows as shown, by identity: the handover items, then the cases.
pub fn keys(app: &App) -> Vec<CaseKey> {
    let Some(d) = &app.desk_file else {
        return Vec::new();
    };
    d.handovers
        .iter()
        .flat_map(|h| h.items.iter().map(|i| CaseKey::Item(i.id)))
        .chain(
            groups(app)
                .into_iter()
                .flat_map(|(_, list)| list.into_iter().map(|k| CaseKey::Case(k.id))),
        )
        .collect()
}

pub fn render(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.opts.theme;
    let lang = app.opts.lang;
    let tz = app
        .tariff
        .as_ref()
        .map(|t| t.time_zone)
        .unwrap_or(chrono_tz::Asia::Almaty);
    let local = |at| {
        let s = format_local(tz, at);
        s.get(..16).unwrap_or(&s).to_string()
    };
    let keys = keys(app);
    let sel = app.cases_sel.key_in(&keys).copied();
    let mark = |k: CaseKey| if Some(k) == sel { "›" } else { " " };
    let style = |k: CaseKey, m: Meaning| {
        if Some(k) == sel {
            th.style(Meaning::Selected)
        } else {
            th.style(m)
        }
    };
    let mut lines = Vec::new();
    let mut sel_line = 0;
    if let Some(d) = &app.desk_file {
        for h in &d.handovers {
            lines.push(Line::styled(
                fill(app.t(T::HandedOver), &[&h.staff, &local(h.at)]),
                th.style(Meaning::Title),
            ));
            for i in &h.items {
                let k = CaseKey::Item(i.id);
                if Some(k) == sel {
                    sel_line = lines.len();
                }
                let taken = match &i.acked {
                    Some((who, _)) => format!(" · {}", fill(app.t(T::TakenOverBy), &[who])),
                    None => String::new(),
                };
                let m = if i.acked.is_some() {
                    Meaning::Muted
                } else {
                    Meaning::Warn
                };
                lines.push(Line::styled(
                    format!(
                        "{}{}: {}{taken}",
                        mark(k),
                        handover_kind(i.kind, lang),
                        i.text
                    ),
                    style(k, m),
                ));
            }
            lines.push(Line::raw(""));
        }
    }
    let me = app.opts.staff.as_str();
    let groups = groups(app);
    if cases(app).is_empty() {
        lines.push(Line::styled(app.t(T::NoCases), th.style(Meaning::Ok)));
    }
    for (title, list) in groups {
        if list.is_empty() {
            continue;
        }
        lines.push(Line::styled(
            format!("{} ({})", app.t(title), list.len()),
            th.style(Meaning::Title),
        ));
        for c in list {
            let k = CaseKey::Case(c.id);
            if Some(k) == sel {
                sel_line = lines.len();
            }
            let kind = catalogues()
                .map(|cat| cat.reasons.words(&c.kind, lang.code()).to_string())
                .unwrap_or_else(|_| c.kind.clone());
            let rider = c
                .rider
                .map(|r| format!(" · {} {r}", app.t(T::Rider)))
                .unwrap_or_default();
            let owner = c
                .owner
                .as_deref()
                .filter(|o| *o != me)
                .map(|o| format!(" · {o}"))
                .unwrap_or_default();
            let overdue = if c.overdue {
                format!("{} ", app.t(T::Overdue))
            } else {
                String::new()
            };
            lines.push(Line::styled(
                format!(
                    "{}{overdue}{}{owner}",
                    mark(k),
                    fill(
                        app.t(T::CaseLine),
                        &[
                            &c.id,
                            &format!("{kind}{rider}"),
                            &case_status(c.status, lang),
                            &c.next_action,
                            &local(c.due),
                        ],
                    )
                ),
                style(
                    k,
                    if c.overdue {
                        Meaning::Danger
                    } else {
                        Meaning::Normal
                    },
                ),
            ));
        }
    }
    let block = titled(app, format!("{} ({})", app.t(T::Cases), cases(app).len()));
    let h = block.inner(area).height as usize;
    let scroll = sel_line.saturating_sub(h.saturating_sub(1));
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll as u16, 0))
            .block(block),
        area,
    );
}
