//! The `--tariff` argument: a bundled city (`astana`, `almaty`) or a TOML file on disk,
//! read and parsed here so that a bad file is refused with `file:line: reason`.

use super::CliError;
use crate::domain::tariff::{Tariff, bundled};

/// A tariff as given: the name it goes by in messages and the database, and its text.
pub struct TariffSource {
    pub name: String,
    pub text: String,
    pub tariff: Tariff,
}

/// Resolve `--tariff`: bundled names first, then a path.
pub fn load(arg: &str) -> Result<TariffSource, CliError> {
    let (name, text) = match bundled(arg) {
        Some(text) => (format!("assets/tariffs/{arg}.toml"), text.to_string()),
        None => match std::fs::read_to_string(arg) {
            Ok(text) => (arg.to_string(), text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(CliError::input(format!(
                    "--tariff {arg}: no such file, and not a bundled tariff (astana, almaty)"
                )));
            }
            Err(e) => {
                return Err(CliError::input(format!(
                    "--tariff {arg}: cannot read the tariff file: {e}"
                )));
            }
        },
    };
    let tariff = Tariff::parse(&name, &text).map_err(|e| CliError::input(e.to_string()))?;
    Ok(TariffSource { name, text, tariff })
}
