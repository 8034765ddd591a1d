//! Revealing a rider's personal data (phone, e-mail, document, address, birth date): only
//! for a role that may, only with a reason, and always audited (docs/rules.md §5).

use super::{Engine, Result, RiderView, refuse};
use crate::domain::roles::StaffAction;
use crate::domain::{Refusal, RiderId};

impl Engine {
    /// Audit that `by` looked at rider `id`'s personal data for `reason`, then return the
    /// full view. Refused `forbidden` for a role that may not, `invalid` without a reason.
    pub fn reveal_rider(&mut self, id: RiderId, reason: &str, by: &str) -> Result<RiderView> {
        self.write(|ctx, c| {
            let s = ctx.authorise(c, by, StaffAction::RevealPersonalData)?;
            if reason.trim().is_empty() {
                return refuse(Refusal::Invalid, "revealing personal data needs a reason");
            }
            ctx.rider(c, id)?;
            ctx.audit(
                c,
                &s,
                StaffAction::RevealPersonalData,
                Some(id),
                "",
                reason.trim(),
                "",
            )
        })?;
        self.rider_view(id)
    }
}
