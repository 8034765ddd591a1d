//! The command palette's commands (`:stations`, `:rider 42`, `:call …`, `:quit`…) and
//! the call that opens a rider and a contact with them.

use super::app::{App, Reply, Severity, View};
use super::dialog::{self, Proc, Target};
use super::keymap::Action;
use super::text::{T, fill};
use crate::domain::{RiderId, StationId};

impl App {
    pub(super) fn run_command(&mut self, cmd: &str) {
        let mut parts = cmd.trim().trim_start_matches(':').split_whitespace();
        let word = parts.next().unwrap_or("");
        let arg = parts.next();
        let view = match word {
            "stations" | "s" => Some(View::Stations),
            "map" | "m" => Some(View::Map),
            "riders" => Some(View::Riders),
            "rebalance" => Some(View::Rebalance),
            "alerts" | "a" => Some(View::Alerts),
            "audit" => Some(View::Audit),
            _ => None,
        };
        if let Some(v) = view {
            self.go(v);
            return;
        }
        match (word, arg.and_then(|a| a.parse::<i64>().ok())) {
            ("q" | "quit" | "q!", _) => self.quit = true,
            ("help" | "h", _) => self.help = true,
            ("theme", _) => self.opts.theme = self.opts.theme.toggled(),
            ("rider" | "r", Some(id)) => self.open_rider(RiderId(id)),
            ("call", _) if arg.is_some() => self.call(arg.unwrap_or_default()),
            ("handover", _) => self.procedure_anywhere(dialog::Kind::Handover),
            ("cases", _) => self.go(View::Cases),
            ("station" | "st", Some(id)) => self.open_station(StationId(id)),
            ("dispute", _) if self.allowed(super::keymap::Action::Dispute) => {
                self.act(super::keymap::Action::Dispute)
            }
            ("dispute", _) => self.set_status(self.t(T::NotAllowed), Severity::Error),
            _ => {
                let text = fill(self.t(T::UnknownCommand), &[&cmd]);
                self.set_status(text, Severity::Error);
            }
        }
    }

    /// `:call PHONE-OR-ID`: find the rider who calls, open them and a contact with them.
    fn call(&mut self, who: &str) {
        let who = who.trim().to_string();
        if let Ok(id) = who.parse::<i64>()
            && who.len() < 9
        {
            self.open_rider(RiderId(id));
            self.open_call_contact(RiderId(id));
            return;
        }
        let b = self.backend.clone();
        self.spawn(async move {
            let hits = b.search_riders(&who, 5).await;
            Reply::Call(who, hits)
        });
    }

    /// The contact form on the rider just opened from a call (when the role keeps contacts).
    pub(super) fn open_call_contact(&mut self, r: RiderId) {
        if self.allowed(Action::OpenContact) {
            self.open_form(Proc::new(dialog::Kind::OpenContact, Target::rider(r)));
        }
    }
}
