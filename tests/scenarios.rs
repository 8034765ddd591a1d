//! Runs every scenario in tests/scenarios/ (one or more per rule R1–R27, D1–D17).

use std::path::Path;
use velodesk::scenario::{ScenarioResult, run_path};

#[test]
fn every_scenario_file_passes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/scenarios exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "scn"))
        .collect();
    files.sort();
    assert!(files.len() >= 40, "only {} scenario files", files.len());
    let failures: Vec<String> = files
        .iter()
        .map(|f| run_path(f))
        .filter(|r| !r.passed())
        .map(|r| r.to_string())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_and_decision_has_a_scenario_that_cites_it() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut text = String::new();
    for e in std::fs::read_dir(&dir)
        .expect("tests/scenarios exists")
        .flatten()
    {
        text.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
    }
    // D31 (one rider's failed posting) needs a poisoned account, which no scenario line
    // can make: tests/bounds.rs shows it, and cites it (checked below).
    let missing: Vec<String> = (1..=27)
        .map(|n| format!("R{n}"))
        .chain((1..=30).map(|n| format!("D{n}")))
        .filter(|rule| {
            !text
                .match_indices(rule.as_str())
                .any(|(i, _)| !text[i + rule.len()..].starts_with(|c: char| c.is_ascii_digit()))
        })
        .collect();
    assert!(missing.is_empty(), "no scenario cites {missing:?}");
    let engine_tests = include_str!("bounds.rs");
    for rule in ["D29", "D30", "D31"] {
        assert!(
            engine_tests.contains(&format!("fn {}_", rule.to_lowercase())),
            "tests/bounds.rs has no test named for {rule}"
        );
    }
}

#[test]
fn a_real_scenario_with_one_wrong_number_fails_at_that_line() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/d04_late_days.scn");
    let text = std::fs::read_to_string(path).expect("d04_late_days.scn exists");
    let line = text
        .lines()
        .position(|l| l.trim() == "expect 5 balance 47500")
        .expect("the file checks the balance after a late fine")
        + 1;
    let wrong = text.replace("expect 5 balance 47500", "expect 5 balance 47400");
    let r = velodesk::scenario::run_str("d04", &wrong);
    assert_eq!(
        r,
        ScenarioResult::Fail {
            name: "d04".into(),
            line,
            message: "expected rider 5 balance 47400, got 47500".into()
        }
    );
}

#[test]
fn the_rule_book_and_the_scenario_format_in_docs_state_what_the_tests_cite() {
    let rules = include_str!("../docs/rules.md");
    let missing: Vec<String> = (1..=27)
        .map(|n| format!("R{n}"))
        .chain((1..=31).map(|n| format!("D{n}")))
        .filter(|rule| !rules.contains(&format!("**{rule}**")))
        .collect();
    assert!(missing.is_empty(), "docs/rules.md states no {missing:?}");
    let format = include_str!("../docs/scenarios.md");
    for kind in velodesk::domain::Refusal::ALL {
        assert!(
            format.contains(&format!("`{kind}`")),
            "docs/scenarios.md names no refusal `{kind}`"
        );
    }
    for line in [
        "card CARD",
        "pull BIKE",
        "unrecognised",
        "faulty",
        "restrict RIDER",
        "lift RIDER",
        "reset-pin RIDER",
        "lost-card RIDER",
        "restriction none",
        "blocked yes",
        "pin-locked yes",
        "card active",
    ] {
        assert!(format.contains(line), "docs/scenarios.md: no {line:?}");
    }
}
