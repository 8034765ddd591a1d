//! What an operation sees ([`Ctx`]): the time, the tariff in force, the settings, and where
//! its events, audit records and riders' messages go.

use super::{Aftermath, Event, Result, Settings, refuse};
use crate::domain::ledger::Actor;
use crate::domain::messages::Notice;
use crate::domain::roles::{StaffAction, allows};
use crate::domain::tariff::Tariff;
use crate::domain::time::format_local;
use crate::domain::{BikeId, Refusal, RiderId, StationId};
use crate::store::{audit, fleet, people};
use chrono::{DateTime, Utc};
use rusqlite::Connection;

/// What an operation sees: the time, the tariff in force, and where its events go.
pub struct Ctx<'a> {
    pub now: DateTime<Utc>,
    pub tariff: &'a Tariff,
    pub settings: &'a Settings,
    pub(super) events: std::cell::RefCell<Vec<Event>>,
    pub(super) aftermath: std::cell::RefCell<Vec<Aftermath>>,
}

impl Ctx<'_> {
    pub fn emit(&self, e: Event) {
        self.events.borrow_mut().push(e);
    }

    /// Record `a` even if the operation is refused ([`Aftermath`]).
    pub(crate) fn after_refusal(&self, a: Aftermath) {
        self.aftermath.borrow_mut().push(a);
    }

    pub fn local(&self, at: DateTime<Utc>) -> String {
        format_local(self.tariff.time_zone, at)
    }

    /// The staff member, if they exist, are active and their role allows `action`.
    pub fn authorise(
        &self,
        c: &Connection,
        staff: &str,
        action: StaffAction,
    ) -> Result<people::Staff> {
        let Some(s) = people::staff(c, staff)? else {
            return refuse(Refusal::Forbidden, format!("no staff member {staff:?}"));
        };
        if s.disabled {
            return refuse(
                Refusal::Forbidden,
                format!("staff member {staff} is disabled"),
            );
        }
        if !allows(s.role, action) {
            return refuse(
                Refusal::Forbidden,
                format!("a {} may not {}", s.role, action.as_str()),
            );
        }
        Ok(s)
    }

    /// Record a staff action in the audit log (same transaction as its effect).
    #[allow(clippy::too_many_arguments)]
    pub fn audit(
        &self,
        c: &Connection,
        staff: &people::Staff,
        action: StaffAction,
        rider: Option<RiderId>,
        target: &str,
        reason: &str,
        details: &str,
    ) -> Result<()> {
        self.audit_word(c, staff, action.as_str(), rider, target, reason, details)
    }

    /// An audit record under an action word of its own (`open-contact`, `add-station`…).
    #[allow(clippy::too_many_arguments)]
    pub fn audit_word(
        &self,
        c: &Connection,
        staff: &people::Staff,
        word: &str,
        rider: Option<RiderId>,
        target: &str,
        reason: &str,
        details: &str,
    ) -> Result<()> {
        audit::record(
            c,
            self.now,
            &self.local(self.now),
            &staff.name,
            staff.role.as_str(),
            word,
            rider,
            target,
            reason,
            details,
        )?;
        Ok(())
    }

    /// Put a message to the rider into the outbox, in their language (R27).
    /// One change is told once: a step that runs as part of a larger one (a dispute's
    /// settlement ends or credits) takes [`Tell::ByCaller`] and the larger one tells.
    pub fn notify(&self, c: &Connection, rider: RiderId, notice: Notice) -> Result<()> {
        let lang = people::rider(c, rider)?
            .map(|r| r.lang)
            .unwrap_or_else(|| "ru".to_string());
        audit::add_message(
            c,
            rider,
            self.now,
            &lang,
            notice.kind(),
            &notice.text(&lang),
        )?;
        Ok(())
    }

    /// The rider, or a refusal naming the one there is not.
    pub fn rider(&self, c: &Connection, id: RiderId) -> Result<crate::api::Rider> {
        match people::rider(c, id)? {
            Some(r) => Ok(r),
            None => refuse(Refusal::NotFound, format!("no rider {id}")),
        }
    }

    /// The bike, or a refusal naming the one there is not.
    pub fn bike(&self, c: &Connection, id: BikeId) -> Result<crate::api::Bike> {
        match fleet::bike(c, id)? {
            Some(b) => Ok(b),
            None => refuse(Refusal::NotFound, format!("no bike {id}")),
        }
    }

    /// The station, or a refusal naming the one there is not.
    pub fn station(&self, c: &Connection, id: StationId) -> Result<crate::api::StationCounts> {
        match fleet::station(c, id)? {
            Some(s) => Ok(s),
            None => refuse(Refusal::NotFound, format!("no station {id}")),
        }
    }
}

/// The actor for a staff member.
pub fn staff_actor(s: &people::Staff) -> Actor {
    Actor::Staff(s.name.clone())
}

/// Who tells the rider of a step's change (R27): the step itself, or the operation it is a
/// part of, which sends one message for the whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tell {
    /// The step sends its own message.
    Rider,
    /// The calling operation sends one message for all its steps.
    ByCaller,
}
