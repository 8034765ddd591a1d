//! Rider search: the box finds as you type (ID, phone, name, e-mail, card, bike); only the
//! newest query's answer is ever shown.

use super::titled;
use crate::domain::roles::{self, StaffAction};
use crate::tui::app::App;
use crate::tui::text::T;
use crate::tui::theme::Meaning;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

pub fn render(f: &mut Frame, app: &App, area: Rect) {
    let th = &app.opts.theme;
    let r = &app.riders;
    let [search, list] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    let block = titled(app, app.t(T::Riders).to_string());
    let inner = block.inner(search);
    f.render_widget(block, search);
    let waiting = r.seq != r.shown;
    let text = if r.input.value().is_empty() {
        app.t(T::SearchHint).to_string()
    } else if waiting {
        format!("{}   {}", r.input.value(), app.t(T::Searching))
    } else {
        r.input.value().to_string()
    };
    let m = if r.input.value().is_empty() {
        Meaning::Muted
    } else {
        Meaning::Normal
    };
    f.render_widget(
        Paragraph::new(format!("/ {text}")).style(th.style(m)),
        inner,
    );
    if r.typing && app.dialog.is_none() && app.palette.is_none() && !app.help {
        f.set_cursor_position((inner.x + 2 + r.input.visual_cursor() as u16, inner.y));
    }
    let header = Row::new([
        app.t(T::Code),
        app.t(T::Name),
        app.t(T::Phone),
        app.t(T::Email),
        app.t(T::Balance),
        app.t(T::Matched),
    ])
    .style(th.style(Meaning::Title));
    let lb = titled(app, String::new());
    let h = lb.inner(list).height.saturating_sub(1) as usize;
    app.list_area.set((list.y + 2, h as u16));
    let sel = r.selected.index(&r.keys());
    let narrow = list.width < 100;
    let money_w = if narrow { 10 } else { 12 };
    let skip = sel.saturating_sub(h.saturating_sub(1));
    let rows = r
        .hits
        .iter()
        .enumerate()
        .skip(skip)
        .take(h)
        .map(|(i, hit)| {
            let style = if i == sel {
                th.style(Meaning::Selected)
            } else if hit.balance.is_negative() {
                th.style(Meaning::Danger)
            } else {
                th.style(Meaning::Normal)
            };
            Row::new([
                Cell::from(format!("{}{}", if i == sel { "›" } else { " " }, hit.id)),
                Cell::from(hit.name.clone()),
                Cell::from(mask_phone(hit.phone.as_deref())),
                Cell::from(mask_email(hit.email.as_deref())),
                Cell::from(format!("{:>w$}", hit.balance.to_string(), w = money_w)),
                Cell::from(crate::tui::text::matched(&hit.matched, app.opts.lang)),
            ])
            .style(style)
        });
    // At 80 columns every column still shows what matters: a masked phone's last four
    // digits, an e-mail's domain, the whole balance.
    let widths = if narrow {
        [
            Constraint::Length(7),
            Constraint::Min(16),
            Constraint::Length(12),
            Constraint::Length(16),
            Constraint::Length(10),
            Constraint::Length(9),
        ]
    } else {
        [
            Constraint::Length(8),
            Constraint::Min(24),
            Constraint::Length(16),
            Constraint::Length(22),
            Constraint::Length(13),
            Constraint::Length(10),
        ]
    };
    f.render_widget(Table::new(rows, widths).header(header).block(lb), list);
    if !r.input.value().is_empty() && !waiting && r.hits.is_empty() {
        let at = Rect {
            y: list.y + 2,
            height: 1,
            x: list.x + 2,
            width: list.width.saturating_sub(4),
        };
        // A role that may not see personal data finds by whole phone numbers only (the
        // server's rule): say so when what was typed looks like the start of one.
        let value = r.input.value();
        let phone_like = value.chars().filter(char::is_ascii_digit).count() >= 3
            && value
                .chars()
                .all(|c| c.is_ascii_digit() || "+ -()".contains(c));
        // The engine's rule, on every backend (#15.9).
        let whole_only = app
            .role
            .is_some_and(|role| !roles::allows(role, StaffAction::RevealPersonalData));
        let text = if phone_like && whole_only {
            T::NoHitsWholePhone
        } else {
            T::NoHits
        };
        f.render_widget(
            Paragraph::new(app.t(text)).style(th.style(Meaning::Muted)),
            at,
        );
    }
}

/// A phone as the console shows it unrevealed: the one policy ([`crate::domain::mask`]),
/// the same as a server sends.
pub fn mask_phone(p: Option<&str>) -> String {
    p.map(crate::domain::mask::phone)
        .unwrap_or_else(|| "—".into())
}

/// An e-mail, masked by the one policy.
pub fn mask_email(e: Option<&str>) -> String {
    e.map(crate::domain::mask::email)
        .unwrap_or_else(|| "—".into())
}

/// A document number, masked by the one policy.
pub fn mask_tail(d: Option<&str>) -> String {
    d.map(crate::domain::mask::document)
        .unwrap_or_else(|| "—".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_what_confirms_identity() {
        assert_eq!(mask_phone(Some("+77011234567")), "+*******4567");
        assert_eq!(mask_email(Some("aigerim@mail.kz")), "a***@mail.kz");
        assert_eq!(mask_tail(Some("N12345678")), "*******78");
        assert_eq!(mask_phone(None), "—");
        assert_eq!(mask_phone(Some("+*******4567")), "+*******4567");
    }
}
