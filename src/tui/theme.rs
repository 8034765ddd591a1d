//! Semantic styles: widgets ask for `danger`, `ok`, `muted`, `selected`, never a colour.
//! Dark and light palettes; `NO_COLOR` (or a monochrome terminal) gives bold/reverse/dim
//! only — state is always written in words as well.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    Normal,
    Muted,
    Title,
    Selected,
    Ok,
    Warn,
    Danger,
    Info,
    Key,
    Flash,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Palette {
    Dark,
    Light,
    NoColor,
}

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub palette: Palette,
}

impl Theme {
    pub fn new(palette: Palette) -> Theme {
        Theme { palette }
    }

    /// `NO_COLOR` set (any value) wins over the chosen palette.
    pub fn from_env(light: bool) -> Theme {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            Theme::new(Palette::NoColor)
        } else if light {
            Theme::new(Palette::Light)
        } else {
            Theme::new(Palette::Dark)
        }
    }

    pub fn toggled(self) -> Theme {
        match self.palette {
            Palette::Dark => Theme::new(Palette::Light),
            Palette::Light => Theme::new(Palette::Dark),
            Palette::NoColor => self,
        }
    }

    /// The whole screen's style: the light palette paints its own white background, so
    /// that it reads on a dark terminal too; the others keep the terminal's.
    pub fn background(&self) -> Style {
        match self.palette {
            Palette::Light => Style::default().bg(Color::White).fg(Color::Black),
            Palette::Dark | Palette::NoColor => Style::default(),
        }
    }

    pub fn style(&self, m: Meaning) -> Style {
        use Meaning::*;
        let s = Style::default();
        match self.palette {
            Palette::NoColor => match m {
                Normal | Info | Ok => s,
                Muted => s.add_modifier(Modifier::DIM),
                Title | Key | Warn => s.add_modifier(Modifier::BOLD),
                Danger => s.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                Selected | Flash => s.add_modifier(Modifier::REVERSED),
            },
            Palette::Dark => match m {
                Normal => s.fg(Color::Gray),
                Muted => s.fg(Color::DarkGray),
                Title => s.fg(Color::Cyan).add_modifier(Modifier::BOLD),
                Selected => s
                    .bg(Color::Blue)
                    .fg(Color::White)
                    .add_modifier(Modifier::BOLD),
                Ok => s.fg(Color::Green),
                Warn => s.fg(Color::Yellow),
                Danger => s.fg(Color::LightRed).add_modifier(Modifier::BOLD),
                Info => s.fg(Color::LightBlue),
                Key => s.fg(Color::Black).bg(Color::Cyan),
                Flash => s.bg(Color::Yellow).fg(Color::Black),
            },
            Palette::Light => match m {
                Normal => s.fg(Color::Black),
                Muted => s.fg(Color::Indexed(240)),
                Title => s.fg(Color::Blue).add_modifier(Modifier::BOLD),
                Selected => s
                    .bg(Color::LightBlue)
                    .fg(Color::Black)
                    .add_modifier(Modifier::BOLD),
                Ok => s.fg(Color::Green),
                Warn => s.fg(Color::Magenta),
                Danger => s.fg(Color::Red).add_modifier(Modifier::BOLD),
                Info => s.fg(Color::Blue),
                Key => s.fg(Color::White).bg(Color::Blue),
                Flash => s.bg(Color::LightYellow).fg(Color::Black),
            },
        }
    }
}
