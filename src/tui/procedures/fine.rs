//! Enter a fine (D14): its kind, an amount (the tariff's fixed one filled in), the rental it
//! is for and a note. Above the desk's threshold it waits for a supervisor.

use super::{Call, Cx, Outcome, Preview, Procedure, invalid, ready, rider_of};
use crate::api::{BackendError, FineOutcome, Op, Outcome as Answer};
use crate::backend::Ops;
use crate::domain::tariff::FineKind;
use crate::domain::time::format_local;
use crate::domain::{RentalId, Tenge};
use crate::tui::dialog::{Field, Form};
use crate::tui::text::{T, fill, fine_kind};
use crate::tui::words::describe;

pub struct Fine;

impl Procedure for Fine {
    fn title(&self) -> T {
        T::FineTitle
    }

    fn fields(&self, cx: &Cx) -> Vec<Field> {
        let options = FineKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), fine_kind(k.as_str(), cx.lang)))
            .collect();
        let amount = cx
            .app
            .tariff
            .as_ref()
            .and_then(|t| t.fixed_fine(FineKind::ALL[0]))
            .map(|a| a.get().to_string())
            .unwrap_or_default();
        let mut rentals = vec![(String::new(), cx.t(T::NoRentalChoice).to_string())];
        if let Some(v) = cx.rider {
            if let Some(o) = &v.open_rental {
                rentals.insert(
                    0,
                    (
                        o.rental.id.to_string(),
                        format!(
                            "{} · {} {}",
                            o.rental.id,
                            cx.t(T::Bike).to_lowercase(),
                            o.rental.bike
                        ),
                    ),
                );
            }
            for t in v.trips.iter().take(10) {
                rentals.push((
                    t.id.to_string(),
                    format!(
                        "{} · {} {} · {}",
                        t.id,
                        cx.t(T::Bike).to_lowercase(),
                        t.bike,
                        format_local(cx.tz, t.start_at)
                    ),
                ));
            }
        }
        vec![
            Field::choice("kind", T::FieldKind, options, 0),
            Field::text("amount", T::FieldAmount, amount).optional(),
            Field::choice("rental", T::FieldRental, rentals, 0),
            Field::text("note", T::FieldNote, ""),
        ]
    }

    fn changed(&self, f: &mut Form, key: &str) {
        if key == "kind" {
            // A kind with a fixed amount in the tariff fills the amount in.
            let kind = f.value("kind").to_string();
            let amount = f
                .fine_amounts
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, a)| a.clone())
                .unwrap_or_default();
            f.set("amount", &amount);
        }
    }

    /// The engine's dry run of the same fine says what happens: posted now or waiting for a
    /// supervisor (D14), at the amount it takes (the tariff's fixed one when none is typed).
    fn preview(&self, cx: &Cx, f: &Form) -> Preview {
        let lang = cx.lang;
        let words = fine_kind(f.value("kind"), lang).to_string();
        let threshold = cx.app.desk.as_ref().map(|d| d.approval_threshold);
        let balance = f.rider.as_ref().map(|v| v.rider.balance);
        let op = match (rider_of(cx.on), FineKind::parse(f.value("kind"))) {
            (Ok(rider), Some(kind)) => Op::Fine {
                rider,
                kind,
                amount: f.num("amount").map(Tenge),
                rental: f.num("rental").map(RentalId),
                note: f.value("note").to_string(),
            },
            _ => return ready(Err(fill(T::NeedText.get(lang), &[&T::FieldKind.get(lang)]))),
        };
        let b = cx.app.backend.clone();
        Box::pin(async move {
            let out = b.preview(op).await.map_err(|e| describe(&e, lang))?;
            let mut lines = Vec::new();
            match out {
                Answer::Fine(FineOutcome::AwaitingApproval { amount, .. }) => {
                    lines.push(format!("{words} {amount}"));
                    let t = threshold.map(|t| t.to_string()).unwrap_or_default();
                    lines.push(fill(T::PreviewApproval.get(lang), &[&t]));
                }
                Answer::Fine(FineOutcome::Posted { amount, .. }) => {
                    lines.push(format!("{words} {amount}"));
                    if let Some(b) = balance {
                        lines.push(fill(T::PreviewBalance.get(lang), &[&b, &(b - amount)]));
                        if crate::domain::ledger::restricts(b - amount) {
                            lines.push(T::PreviewRestrict.get(lang).to_string());
                        }
                    }
                }
                other => {
                    let e = BackendError::Internal {
                        message: format!("a fine's preview answered {other:?}"),
                    };
                    return Err(describe(&e, lang));
                }
            }
            Ok(lines)
        })
    }

    fn submit(&self, c: Call, f: &Form) -> Outcome {
        let kind = FineKind::parse(f.value("kind"));
        let amount = f.num("amount").map(Tenge);
        let rental = f.num("rental").map(RentalId);
        let note = f.value("note").to_string();
        Box::pin(async move {
            let r = rider_of(c.on)?;
            let kind = kind.ok_or_else(|| invalid("no fine kind"))?;
            let k = fine_kind(kind.as_str(), c.lang);
            Ok(match c.b.fine(r, kind, amount, rental, &note).await? {
                FineOutcome::Posted { amount, .. } => fill(c.t(T::DoneFine), &[&k, &amount, &r]),
                FineOutcome::AwaitingApproval { amount, .. } => {
                    fill(c.t(T::DoneFineWaits), &[&k, &amount, &r])
                }
            }
            .into())
        })
    }
}
