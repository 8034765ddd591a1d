//! `velodesk quote`: the itemised price of a trip (R3–R5, R7, D1–D4), as text or JSON.

use super::args::QuoteArgs;
use super::{CliError, tariff_source};
use crate::domain::pricing::Quote;
use crate::domain::tariff::{PassDef, Tariff};
use crate::engine::quote_trip;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

/// The JSON shape of a quote: money as whole tenge (D7).
#[derive(Serialize)]
struct QuoteJson<'a> {
    tariff: &'a str,
    pass: &'a str,
    seconds: i64,
    minutes: i64,
    items: Vec<ItemJson<'a>>,
    total: i64,
}

#[derive(Serialize)]
struct ItemJson<'a> {
    kind: crate::domain::pricing::ItemKind,
    label: &'a str,
    amount: i64,
    rules: &'a str,
}

pub fn run(a: &QuoteArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let source = tariff_source::load(&a.tariff)?;
    let tariff = &source.tariff;
    let pass = choose_pass(tariff, a.pass.as_deref(), &a.tariff)?;
    let seconds = i64::from(a.minutes) * 60 + i64::from(a.seconds);
    let quote = quote_trip(tariff, pass, seconds);
    if a.json {
        let json = QuoteJson {
            tariff: &tariff.city,
            pass: &quote.pass,
            seconds: quote.seconds,
            minutes: quote.minutes,
            items: quote
                .items
                .iter()
                .map(|i| ItemJson {
                    kind: i.kind,
                    label: &i.label,
                    amount: i.amount.get(),
                    rules: &i.rules,
                })
                .collect(),
            total: quote.total.get(),
        };
        let text = serde_json::to_string_pretty(&json).map_err(|e| CliError::Failed(e.into()))?;
        writeln!(out, "{text}")?;
    } else {
        write_text(out, tariff, pass, a, &quote)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `--pass`, or the default: `monthly`, else `seasonal` (Almaty has no monthly pass).
fn choose_pass<'t>(
    tariff: &'t Tariff,
    asked: Option<&str>,
    arg: &str,
) -> Result<&'t PassDef, CliError> {
    let offered = || {
        tariff
            .passes
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match asked {
        Some(id) => tariff.pass(id).ok_or_else(|| {
            CliError::input(format!(
                "--pass {id}: the {arg} tariff offers no such pass (it offers {})",
                offered()
            ))
        }),
        None => tariff
            .pass("monthly")
            .or_else(|| tariff.pass("seasonal"))
            .ok_or_else(|| {
                CliError::input(format!(
                    "the {arg} tariff has neither a monthly nor a seasonal pass: choose one with --pass ({})",
                    offered()
                ))
            }),
    }
}

fn write_text(
    out: &mut dyn Write,
    tariff: &Tariff,
    pass: &PassDef,
    a: &QuoteArgs,
    q: &Quote,
) -> std::io::Result<()> {
    writeln!(
        out,
        "Tariff:  {} ({}), from {}",
        tariff.name, tariff.city, tariff.effective_from
    )?;
    writeln!(out, "Pass:    {} ({})", pass.label, pass.id)?;
    let duration = if a.seconds == 0 {
        format!("{} min", a.minutes)
    } else {
        format!("{} min {} s", a.minutes, a.seconds)
    };
    writeln!(
        out,
        "Trip:    {duration} = {} started minutes (D1)",
        q.minutes
    )?;
    writeln!(out)?;
    let amounts: Vec<String> = q.items.iter().map(|i| i.amount.to_string()).collect();
    let total = q.total.to_string();
    let label_w = q
        .items
        .iter()
        .map(|i| i.label.chars().count())
        .max()
        .unwrap_or(0)
        .max("Total".len());
    let amount_w = amounts
        .iter()
        .chain(std::iter::once(&total))
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(0);
    for (item, amount) in q.items.iter().zip(&amounts) {
        writeln!(
            out,
            "  {:<label_w$}  {:>amount_w$}  {}",
            item.label, amount, item.rules
        )?;
    }
    writeln!(out, "  {}", "-".repeat(label_w + 2 + amount_w))?;
    writeln!(out, "  {:<label_w$}  {:>amount_w$}", "Total", total)?;
    Ok(())
}
