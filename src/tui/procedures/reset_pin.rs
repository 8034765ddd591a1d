//! Reset the rider's PIN (four digits, as the bike's keypad takes it: R10).

use super::{Call, Cx, Outcome, Procedure, rider_of};
use crate::backend::Ops;
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill};

pub struct ResetPin;

impl Procedure for ResetPin {
    fn title(&self) -> T {
        T::PinTitle
    }

    fn fields(&self, _cx: &Cx) -> Vec<Field> {
        vec![Field::secret("pin", T::FieldPin)]
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let pin = f.value("pin").to_string();
        Box::pin(async move {
            let r = rider_of(c.on)?;
            c.b.reset_pin(r, &pin).await?;
            Ok(fill(c.t(T::DonePin), &[&r]).into())
        })
    }
}
