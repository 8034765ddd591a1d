//! Keys as data: one table maps keys to actions per scope, with a description and a group.
//! The help overlay, the hint bar and the README's key table all come from [`BINDINGS`].

use super::text::T;
use crate::domain::roles::StaffAction;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    /// Any list or table (stations, riders, alerts, audit, rebalance, station view).
    List,
    Stations,
    Map,
    /// The Rebalance view (the depot's van plan).
    Rebalance,
    /// The Alerts view.
    Alerts,
    /// The Cases view (the desk's file: cases and handovers).
    Cases,
    /// The rider view.
    Rider,
    /// The station view (docks and bikes).
    Station,
    /// A focused text field (the station filter, the rider search, the audit filter):
    /// printable keys are typed into it, so `q` and `?` are text there.
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    Palette,
    Filter,
    NextView,
    PrevView,
    View(u8),
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    /// The first and the last row of a list.
    Top,
    Bottom,
    Open,
    Back,
    Sort,
    SortReverse,
    ZoomIn,
    ZoomOut,
    /// Move the map's view (east, north) in tenths of its span.
    Pan(i8, i8),
    Theme,
    /// Let the terminal's mouse through to the console, or give it back to the terminal
    /// (to select and copy text): off at the start.
    Mouse,
    Refresh,
    /// Leave a text field (it keeps its text).
    LeaveText,
    /// Empty a text field.
    ClearText,
    /// Delete the word before the cursor.
    DeleteWord,
    // Procedures at the desk (rider view)
    CableLock,
    ManualUnlock,
    EndRental,
    Fine,
    Pay,
    SellPass,
    Deposit,
    Refund,
    Claim,
    Block,
    Note,
    Unblock,
    ResetPin,
    LostCard,
    Reveal,
    Approve,
    Reject,
    Bonus,
    Correct,
    Restrict,
    LiftRestriction,
    /// A docking dispute: the evidence and its settlement (issue 17).
    Dispute,
    // Depot (station view)
    ServiceRelease,
    ServiceDock,
    ToRepair,
    DockOut,
    DockIn,
    // Depot (the van plan)
    VanStop,
    /// "I am on it": take the alert under the cursor.
    TakeAlert,
    // The desk's case file (issue 17)
    Unpin,
    StationNote,
    BikeNote,
    OpenContact,
    CloseContact,
    IssueCard,
    OpenCase,
    UpdateCase,
    AssignCase,
    AckHandover,
}

impl Action {
    /// The staff permission the action needs; `None` for looking around.
    pub fn needs(self) -> Option<StaffAction> {
        use Action::*;
        Some(match self {
            CableLock => StaffAction::AuthoriseCableLock,
            ManualUnlock => StaffAction::ManualUnlock,
            EndRental => StaffAction::EndRental,
            Fine => StaffAction::EnterFine,
            Pay => StaffAction::TakePayment,
            SellPass => StaffAction::SellPass,
            Deposit => StaffAction::HoldDeposit,
            Refund => StaffAction::Refund,
            Claim => StaffAction::CreditClaim,
            Block => StaffAction::Block,
            Note => StaffAction::AddNote,
            Unblock => StaffAction::Unblock,
            ResetPin => StaffAction::ResetPin,
            LostCard => StaffAction::BlockLostCard,
            Reveal => StaffAction::RevealPersonalData,
            Approve | Reject => StaffAction::ApproveFine,
            Bonus => StaffAction::GiveBonus,
            Correct => StaffAction::Correct,
            Restrict | LiftRestriction => StaffAction::SetRestriction,
            Dispute => StaffAction::SettleDispute,
            ServiceRelease => StaffAction::ServiceRelease,
            ServiceDock => StaffAction::ServiceDock,
            ToRepair => StaffAction::ToRepair,
            DockOut => StaffAction::DockOutOfService,
            DockIn => StaffAction::DockInService,
            VanStop => StaffAction::VanStop,
            TakeAlert => StaffAction::TakeAlert,
            Unpin => StaffAction::PinNote,
            StationNote | BikeNote => StaffAction::AddFleetNote,
            OpenContact | CloseContact => StaffAction::HandleContact,
            IssueCard => StaffAction::IssueCard,
            OpenCase | UpdateCase => StaffAction::WorkCase,
            AssignCase => StaffAction::AssignCase,
            AckHandover => StaffAction::HandOver,
            _ => return None,
        })
    }

    /// Changes state (never offered in `--read-only`). Revealing data is audited, so it
    /// counts as a change too.
    pub fn mutates(self) -> bool {
        self.needs().is_some()
    }
}

/// A key as written in the help: `q`, `Ctrl-C`, `Enter`, `↑`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}
const fn kc(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}
const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

impl Key {
    pub fn matches(&self, e: &KeyEvent) -> bool {
        let ctrl = e.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl != self.ctrl {
            return false;
        }
        match (self.code, e.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => a == b,
            (a, b) => a == b,
        }
    }

    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::F(n) => format!("F{n}"),
            _ => "?".into(),
        };
        if self.ctrl {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }
}

/// One binding: keys, the action, where it applies, what it does, its help group.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub scope: Scope,
    pub desc: T,
    pub group: T,
    /// Shown in the hint bar (the few that matter most in the scope).
    pub hint: bool,
}

const fn b(
    keys: &'static [Key],
    action: Action,
    scope: Scope,
    desc: T,
    group: T,
    hint: bool,
) -> Binding {
    Binding {
        keys,
        action,
        scope,
        desc,
        group,
        hint,
    }
}

use Action as A;
use Scope as S;

/// The one key table (one binding per line, as a table reads).
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    b(&[k('q'), ctrl('c')], A::Quit, S::Global, T::KQuit, T::GroupGeneral, true),
    b(&[k('?'), kc(KeyCode::F(1))], A::Help, S::Global, T::KHelp, T::GroupGeneral, true),
    b(&[k(':')], A::Palette, S::Global, T::KPalette, T::GroupGeneral, true),
    b(&[k('/')], A::Filter, S::Global, T::KFilter, T::GroupGeneral, true),
    b(&[kc(KeyCode::Tab)], A::NextView, S::Global, T::KNextView, T::GroupGeneral, false),
    b(&[kc(KeyCode::BackTab)], A::PrevView, S::Global, T::KPrevView, T::GroupGeneral, false),
    b(&[k('1')], A::View(1), S::Global, T::KViews, T::GroupGeneral, false),
    b(&[k('2')], A::View(2), S::Global, T::KViews, T::GroupGeneral, false),
    b(&[k('3')], A::View(3), S::Global, T::KViews, T::GroupGeneral, false),
    b(&[k('4')], A::View(4), S::Global, T::KViews, T::GroupGeneral, false),
    b(&[k('5')], A::View(5), S::Global, T::KViews, T::GroupGeneral, false),
    b(&[k('6')], A::View(6), S::Global, T::KViews, T::GroupGeneral, false),
    b(&[k('7')], A::View(7), S::Global, T::KViews, T::GroupGeneral, false),
    b(&[k('t')], A::Theme, S::Global, T::KTheme, T::GroupGeneral, false),
    b(&[k('m')], A::Mouse, S::Global, T::KMouse, T::GroupGeneral, false),
    b(&[ctrl('r')], A::Refresh, S::Global, T::KRefresh, T::GroupGeneral, false),
    b(&[kc(KeyCode::Esc)], A::Back, S::Global, T::KBack, T::GroupGeneral, true),
    b(&[kc(KeyCode::Up), k('k')], A::Up, S::Global, T::KMove, T::GroupMove, false),
    b(&[kc(KeyCode::Down), k('j')], A::Down, S::Global, T::KMove, T::GroupMove, false),
    b(&[kc(KeyCode::Left), k('h')], A::Left, S::Map, T::KMove, T::GroupMove, false),
    b(&[kc(KeyCode::Right), k('l')], A::Right, S::Map, T::KMove, T::GroupMove, false),
    b(&[kc(KeyCode::PageUp)], A::PageUp, S::List, T::KPage, T::GroupMove, false),
    b(&[kc(KeyCode::PageDown)], A::PageDown, S::List, T::KPage, T::GroupMove, false),
    b(&[kc(KeyCode::Home), k('g')], A::Top, S::List, T::KTop, T::GroupMove, false),
    b(&[kc(KeyCode::End), k('G')], A::Bottom, S::List, T::KBottom, T::GroupMove, false),
    b(&[kc(KeyCode::Enter)], A::Open, S::Global, T::KOpen, T::GroupMove, true),
    b(&[k('s')], A::Sort, S::Stations, T::KSort, T::GroupMove, true),
    b(&[k('S')], A::SortReverse, S::Stations, T::KSortRev, T::GroupMove, false),
    b(&[k('+'), k('=')], A::ZoomIn, S::Map, T::KZoomIn, T::GroupMove, true),
    b(&[k('-')], A::ZoomOut, S::Map, T::KZoomOut, T::GroupMove, true),
    b(&[k('H')], A::Pan(-1, 0), S::Map, T::KPan, T::GroupMove, false),
    b(&[k('L')], A::Pan(1, 0), S::Map, T::KPan, T::GroupMove, false),
    b(&[k('K')], A::Pan(0, 1), S::Map, T::KPan, T::GroupMove, false),
    b(&[k('J')], A::Pan(0, -1), S::Map, T::KPan, T::GroupMove, false),
    b(&[k('c')], A::CableLock, S::Rider, T::KCableLock, T::GroupRider, true),
    b(&[k('u')], A::ManualUnlock, S::Rider, T::KUnlock, T::GroupRider, false),
    b(&[k('e')], A::EndRental, S::Rider, T::KEndRental, T::GroupRider, true),
    b(&[k('f')], A::Fine, S::Rider, T::KFine, T::GroupRider, true),
    b(&[k('p')], A::Pay, S::Rider, T::KPay, T::GroupRider, true),
    b(&[k('b')], A::SellPass, S::Rider, T::KSellPass, T::GroupRider, true),
    b(&[k('d')], A::Deposit, S::Rider, T::KDeposit, T::GroupRider, false),
    b(&[k('R')], A::Refund, S::Rider, T::KRefund, T::GroupRider, false),
    b(&[k('C')], A::Claim, S::Rider, T::KClaim, T::GroupRider, false),
    b(&[k('B')], A::Block, S::Rider, T::KBlock, T::GroupRider, false),
    b(&[k('n')], A::Note, S::Rider, T::KNote, T::GroupRider, false),
    b(&[k('U')], A::Unblock, S::Rider, T::KUnblock, T::GroupRider, false),
    b(&[k('P')], A::ResetPin, S::Rider, T::KPin, T::GroupRider, false),
    b(&[k('L')], A::LostCard, S::Rider, T::KLostCard, T::GroupRider, false),
    b(&[k('v')], A::Reveal, S::Rider, T::KReveal, T::GroupRider, true),
    b(&[k('a')], A::Approve, S::Rider, T::KApprove, T::GroupRider, false),
    b(&[k('X')], A::Reject, S::Rider, T::KReject, T::GroupRider, false),
    b(&[k('g')], A::Bonus, S::Rider, T::KBonus, T::GroupRider, false),
    b(&[k('E')], A::Correct, S::Rider, T::KCorrect, T::GroupRider, false),
    b(&[k('r')], A::Restrict, S::Rider, T::KRestrict, T::GroupRider, false),
    b(&[k('l')], A::LiftRestriction, S::Rider, T::KLift, T::GroupRider, false),
    b(&[k('D')], A::Dispute, S::Rider, T::KDispute, T::GroupRider, false),
    b(&[k('r')], A::ServiceRelease, S::Station, T::KRelease, T::GroupDepot, true),
    b(&[k('D')], A::ServiceDock, S::Station, T::KServiceDock, T::GroupDepot, true),
    b(&[k('x')], A::ToRepair, S::Station, T::KRepair, T::GroupDepot, true),
    b(&[k('o')], A::DockOut, S::Station, T::KDockOut, T::GroupDepot, false),
    b(&[k('i')], A::DockIn, S::Station, T::KDockIn, T::GroupDepot, false),
    b(&[k('d')], A::VanStop, S::Rebalance, T::KVanStop, T::GroupDepot, true),
    b(&[k('t')], A::TakeAlert, S::Alerts, T::KTakeAlert, T::GroupGeneral, true),
    b(&[k('N')], A::Unpin, S::Rider, T::KUnpin, T::GroupRider, false),
    b(&[k('o')], A::OpenContact, S::Rider, T::KOpenContact, T::GroupRider, true),
    b(&[k('w')], A::CloseContact, S::Rider, T::KCloseContact, T::GroupRider, true),
    b(&[k('I')], A::IssueCard, S::Rider, T::KIssueCard, T::GroupRider, false),
    b(&[k('O')], A::OpenCase, S::Rider, T::KOpenCase, T::GroupRider, false),
    b(&[k('n')], A::StationNote, S::Station, T::KStationNote, T::GroupDepot, false),
    b(&[k('b')], A::BikeNote, S::Station, T::KBikeNote, T::GroupDepot, false),
    b(&[k('N')], A::Unpin, S::Station, T::KUnpin, T::GroupDepot, false),
    b(&[kc(KeyCode::Enter)], A::UpdateCase, S::Cases, T::KUpdateCase, T::GroupCases, true),
    b(&[k('A')], A::AssignCase, S::Cases, T::KAssignCase, T::GroupCases, true),
    b(&[k('a')], A::AckHandover, S::Cases, T::KAckHandover, T::GroupCases, true),
    b(&[kc(KeyCode::Esc)], A::LeaveText, S::Text, T::KLeaveText, T::GroupText, true),
    b(&[ctrl('u')], A::ClearText, S::Text, T::KClearText, T::GroupText, true),
    b(&[ctrl('w')], A::DeleteWord, S::Text, T::KDeleteWord, T::GroupText, false),
];

/// The bindings live in `scopes` (most specific first), given what the staff member may do.
pub fn lookup(e: &KeyEvent, scopes: &[Scope], allowed: impl Fn(Action) -> bool) -> Option<Action> {
    scopes.iter().find_map(|scope| {
        BINDINGS
            .iter()
            .filter(|b| b.scope == *scope && allowed(b.action))
            .find(|b| b.keys.iter().any(|k| k.matches(e)))
            .map(|b| b.action)
    })
}

/// The keys of a binding, as the help writes them (`q / Ctrl-C`).
pub fn keys_label(b: &Binding) -> String {
    b.keys
        .iter()
        .map(Key::label)
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The key table as Markdown, as the README shows it (checked by a test).
pub fn markdown_table() -> String {
    let mut out = String::from("| key | where | what |\n| --- | --- | --- |\n");
    let mut seen_views = false;
    for b in BINDINGS {
        if matches!(b.action, A::View(_)) {
            if seen_views {
                continue;
            }
            seen_views = true;
            out.push_str("| `1`–`7` | everywhere | go to view 1–7 |\n");
            continue;
        }
        let keys = b
            .keys
            .iter()
            .map(|k| format!("`{}`", k.label()))
            .collect::<Vec<_>>()
            .join(" ");
        let scope = match b.scope {
            S::Global => "everywhere",
            S::List => "lists",
            S::Stations => "stations",
            S::Map => "map",
            S::Rebalance => "rebalance",
            S::Alerts => "alerts",
            S::Cases => "cases",
            S::Rider => "rider view",
            S::Station => "station view",
            S::Text => "typing in a field",
        };
        out.push_str(&format!(
            "| {keys} | {scope} | {} |\n",
            b.desc.get(super::text::Lang::En)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_means_two_things_in_one_scope() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                let overlap = a.scope == b.scope && a.keys.iter().any(|k| b.keys.contains(k));
                assert!(
                    !overlap,
                    "{:?} and {:?} share a key in {:?}",
                    a.action, b.action, a.scope
                );
            }
        }
    }

    #[test]
    fn ctrl_c_quits_and_q_is_not_ctrl_q() {
        let e = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(&e, &[S::Global], |_| true), Some(A::Quit));
        let e = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert_eq!(lookup(&e, &[S::Global], |_| true), None);
    }

    #[test]
    fn a_forbidden_action_has_no_key() {
        let e = KeyEvent::new(KeyCode::Char('f'), KeyModifiers::NONE);
        assert_eq!(lookup(&e, &[S::Rider], |a| a != A::Fine), None);
    }
}
