//! Scenario files (`*.scn`, `docs/scenarios.md`): the rule book as runnable stories, run against a
//! fresh system with a simulated clock, through the [`Backend`] trait only — in-memory by
//! default ([`run_str`]), or any backend a caller makes ([`run_on`]: the conformance suite
//! runs the same files on a server). This is a public interface: a line keeps its meaning
//! forever; new commands may be added (here: `pull BIKE`, `return … faulty`; the format and
//! the project's additions are written down in `docs/scenarios.md`).

mod action;
mod desk;
mod expect;
mod lex;
mod run;

use crate::api::BResult;
use crate::backend::{Backend, LocalBackend};
use crate::engine::Settings;
use chrono::{DateTime, Utc};
use std::future::Future;
use std::path::Path;
use std::sync::Arc;

/// How a scenario file ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScenarioResult {
    Pass {
        name: String,
    },
    /// The file ran and a line did not end as it says (an expectation that does not hold,
    /// a refusal where success was written or the other way round, the system failing).
    Fail {
        name: String,
        line: usize,
        message: String,
    },
    /// The file is not a scenario that can run: a line that cannot be read (an unknown
    /// command, wrong words, a reference to something undeclared), no `tariff` line, or a
    /// file that cannot be read at all (`line` 0). A bad file, not a failed run.
    Bad {
        name: String,
        line: usize,
        message: String,
    },
}

impl ScenarioResult {
    pub fn passed(&self) -> bool {
        matches!(self, ScenarioResult::Pass { .. })
    }
}

impl std::fmt::Display for ScenarioResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScenarioResult::Pass { name } => write!(f, "PASS {name}"),
            ScenarioResult::Fail {
                name,
                line,
                message,
            } => write!(f, "FAIL {name}: line {line}: {message}"),
            ScenarioResult::Bad {
                name,
                line,
                message,
            } => write!(f, "BAD {name}: line {line}: {message}"),
        }
    }
}

/// The system a scenario declares before its first line runs: a fresh one with the tariff
/// of its `tariff` line and default [`Settings`], on a simulated clock that starts at the
/// time of its first `at` line (the epoch when it has none), so that line crosses no
/// midnight of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetUp {
    /// `assets/tariffs/NAME.toml`: the tariff's name in messages.
    pub tariff_file: String,
    /// The tariff's TOML.
    pub tariff_source: String,
    /// Where the simulated clock starts.
    pub start: DateTime<Utc>,
}

/// The default backend of a scenario: a [`LocalBackend`] in memory, as `setup` says.
pub async fn local_backend(setup: SetUp) -> BResult<Arc<dyn Backend>> {
    let b = LocalBackend::in_memory(
        &setup.tariff_file,
        &setup.tariff_source,
        Settings::default(),
        setup.start,
    )?;
    Ok(Arc::new(b))
}

/// Run one scenario file on an in-memory system.
pub fn run_path(path: &Path) -> ScenarioResult {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    match std::fs::read_to_string(path) {
        Ok(text) => run_str(&name, &text),
        Err(e) => ScenarioResult::Bad {
            name,
            line: 0,
            message: format!("cannot read {}: {e}", path.display()),
        },
    }
}

/// Run a scenario given as text on an in-memory system.
pub fn run_str(name: &str, text: &str) -> ScenarioResult {
    run_str_on(name, text, local_backend)
}

/// As [`run_on`], for callers without an async runtime: the run gets a runtime of its own
/// (on a thread of its own when called from inside one).
pub fn run_str_on<F, Fut>(name: &str, text: &str, make_backend: F) -> ScenarioResult
where
    F: FnOnce(SetUp) -> Fut + Send,
    Fut: Future<Output = BResult<Arc<dyn Backend>>> + Send,
{
    let fail = |message: String| ScenarioResult::Fail {
        name: name.to_string(),
        line: 0,
        message,
    };
    let go = || match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(run_on(name, text, make_backend)),
        Err(e) => fail(format!("cannot start the scenario runner: {e}")),
    };
    if tokio::runtime::Handle::try_current().is_err() {
        return go();
    }
    // Inside a runtime, blocking on (or dropping) another one would panic: the run gets a
    // thread of its own.
    std::thread::scope(|s| s.spawn(go).join())
        .unwrap_or_else(|_| fail("the scenario runner stopped".into()))
}

/// Run a scenario given as text on the backend `make_backend` returns for its [`SetUp`]
/// (called once, at the `tariff` line). Every line becomes calls on that backend; after
/// each staff action its audit record is checked through [`Backend::own_audit`].
pub async fn run_on<F, Fut>(name: &str, text: &str, make_backend: F) -> ScenarioResult
where
    F: FnOnce(SetUp) -> Fut + Send,
    Fut: Future<Output = BResult<Arc<dyn Backend>>> + Send,
{
    let first_at = text
        .lines()
        .filter_map(|l| lex::words(l).ok())
        .find(|w| w.first().is_some_and(|c| c == "at"));
    let mut run = run::Run::new(
        Box::new(move |setup| Box::pin(make_backend(setup))),
        first_at,
    );
    for (i, raw) in text.lines().enumerate() {
        let outcome = match lex::words(raw) {
            Ok(w) if w.is_empty() => Ok(()),
            Ok(w) => run.line(&w).await,
            Err(e) => Err(run::Stop::Bad(e)),
        };
        let (name, line) = (name.to_string(), i + 1);
        match outcome {
            Ok(()) => {}
            Err(run::Stop::Bad(message)) => {
                return ScenarioResult::Bad {
                    name,
                    line,
                    message,
                };
            }
            Err(run::Stop::Failed(message)) => {
                return ScenarioResult::Fail {
                    name,
                    line,
                    message,
                };
            }
        }
    }
    if !run.has_backend() {
        return ScenarioResult::Bad {
            name: name.to_string(),
            line: 1,
            message: "no `tariff` line".into(),
        };
    }
    ScenarioResult::Pass {
        name: name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
tariff astana
station 1001 docks 4
station 1002 docks 1
bike 17 at 1001
bike 18 at 1002
rider 5 resident born 1990-05-01 pin 1234
staff ali agent

at 2025-06-01 09:00
pay 5 5000 cash
buy 5 monthly
expect 5 accrued 2500
at 2025-06-01 10:00
rent 5 bike 17 pin 1234
return 17 at 1002 => error station-full
call 5 cable-lock at 1002
authorise-cable-lock 5 at 1002 by ali
cable-lock 17 at 1002 pin 1234
expect 5 renting none
expect station 1002 cable-locked 1
at 2025-06-02 00:00
expect 5 balance 2500
expect ledger balanced
"#;

    #[test]
    fn the_example_of_scenarios_md_passes() {
        assert_eq!(
            run_str("example", EXAMPLE),
            ScenarioResult::Pass {
                name: "example".into()
            }
        );
    }

    #[test]
    fn a_wrong_number_fails_with_its_line_and_both_values() {
        let text = EXAMPLE.replace("expect 5 balance 2500", "expect 5 balance 2600");
        let r = run_str("wrong", &text);
        assert_eq!(
            r,
            ScenarioResult::Fail {
                name: "wrong".into(),
                line: 23,
                message: "expected rider 5 balance 2600, got 2500".into()
            }
        );
        assert_eq!(
            r.to_string(),
            "FAIL wrong: line 23: expected rider 5 balance 2600, got 2500"
        );
    }

    #[test]
    fn unknown_commands_malformed_lines_and_undeclared_references_make_a_bad_file() {
        let base = "tariff astana\nstation 1 docks 2\nrider 5 resident born 1990-01-01 pin 1\nat 2025-06-01 09:00\n";
        for (line, why) in [
            ("jump 5", "unknown command"),
            ("pay 5 lots cash", "not a whole number"),
            ("pay 6 100 cash", "rider 6 is not declared"),
            ("pay 5 100 gold", "cash, card or bank"),
            ("expect 5 balance", "missing a value"),
            ("rent 5 bike 9 pin 1", "bike 9 is not declared"),
            ("pay 5 100 cash => error nonsense", "unknown error kind"),
        ] {
            match run_str("bad", &format!("{base}{line}\n")) {
                ScenarioResult::Bad {
                    line: 5, message, ..
                } => assert!(message.contains(why), "{line}: {message}"),
                other => panic!("{line}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_refused_action_must_name_the_right_kind() {
        let text = "tariff astana\nrider 5 resident born 1990-01-01 pin 1\nat 2025-06-01 09:00\nbuy 5 monthly => error no-pass\n";
        match run_str("kind", text) {
            ScenarioResult::Fail {
                line: 4, message, ..
            } => assert!(
                message.starts_with("expected error no-pass, got error low-balance"),
                "{message}"
            ),
            other => panic!("{other:?}"),
        }
    }
}
