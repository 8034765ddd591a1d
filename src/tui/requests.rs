//! The console's requests to its backend: the first fetches, the plan, the van, the audit
//! and the rider search (each a task that reports back with a `Reply`).

use crate::api::BikeState;
use crate::domain::roles::{self, Role};

use super::app::{App, Msg, Reply, SEARCH_PAUSE, View, parse_audit_filter};

impl App {
    pub(super) fn start(&mut self) {
        let (b, staff) = (self.backend.clone(), self.opts.staff.clone());
        self.spawn(async move { Reply::Role(b.staff_role(&staff).await) });
        let b = self.backend.clone();
        self.spawn(async move { Reply::Desk(b.desk_info().await) });
        self.refresh_all();
    }

    /// An admin's console asks whether the database is replicated (the header says so).
    pub(super) fn request_replication(&mut self) {
        if self.role == Some(Role::Admin) {
            let b = self.backend.clone();
            self.spawn(async move { Reply::Replication(b.replication().await) });
        }
    }

    /// Ask for the van plan, where it is shown (Rebalance, Map) and the role may read it.
    pub(super) fn request_plan(&mut self) {
        let may = self
            .role
            .is_some_and(|r| roles::allows(r, crate::domain::roles::StaffAction::ViewPlan));
        if !may || !matches!(self.view, View::Rebalance | View::Map) {
            self.depot.denied = self.role.is_some() && !may;
            return;
        }
        self.depot.seq += 1;
        let (seq, fresh) = (self.depot.seq, std::mem::take(&mut self.depot.want_fresh));
        let b = self.backend.clone();
        self.spawn(async move { Reply::Plan(seq, b.rebalance_plan(fresh).await) });
    }

    pub(super) fn request_van(&mut self) {
        let b = self.backend.clone();
        self.spawn(async move { Reply::Van(b.bikes_in(BikeState::Van, 500).await) });
    }

    pub fn request_audit(&mut self) {
        let filter = parse_audit_filter(self.audit_filter.value());
        let b = self.backend.clone();
        self.spawn(async move { Reply::Audit(b.audit(filter).await) });
    }

    /// The query changed: its search starts after a pause in the typing (about 150 ms);
    /// an emptied query clears the answer at once.
    pub(super) fn search(&mut self) {
        self.riders.seq += 1;
        if self.riders.input.value().trim().is_empty() {
            self.riders.hits.clear();
            self.riders.shown = self.riders.seq;
            self.search_due = None;
            return;
        }
        self.search_due = Some(self.wall() + SEARCH_PAUSE);
        if self.frozen.is_some() {
            // A frozen clock (tests) never sees the pause pass: search now.
            self.search_now();
            return;
        }
        // The pause is timed: a newer keystroke makes this one stale.
        let (tx, seq) = (self.tx.clone(), self.riders.seq);
        tokio::spawn(async move {
            tokio::time::sleep(SEARCH_PAUSE).await;
            let _ = tx.send(Msg::SearchDue(seq));
        });
    }

    /// Send the search for the query as it is now.
    pub(super) fn search_now(&mut self) {
        self.search_due = None;
        let (seq, query) = (self.riders.seq, self.riders.input.value().to_string());
        if query.trim().is_empty() {
            return;
        }
        let b = self.backend.clone();
        self.spawn(async move { Reply::Search(seq, b.search_riders(&query, 50).await) });
    }
}
