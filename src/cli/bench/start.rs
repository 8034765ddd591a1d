//! `velodesk bench start`: how long `velodesk` with no arguments (the console on a fresh
//! demo city, what `cargo run --release` runs) takes from the command to its first frame,
//! and to the first frame that shows the city, as a person sees them: tmux runs the binary
//! in a 120×40 terminal and the screen is read every 10 ms. The raw baseline, measured in
//! the same run through the same terminal and shell, is the floor of that measurement: the
//! same binary's `--version`, from the command to its line on the screen.

use super::{BenchDir, human};
use crate::cli::CliError;
use crate::cli::args::BenchStartArgs;
use color_eyre::eyre;
use std::io::Write;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// The console's header starts its first row, on the progress screen and on the city (the
/// screen is read without trailing spaces: no space after the word).
const FIRST_FRAME: &str = " velodesk";
/// The stations table's header: the city is on the screen.
const CITY: &str = "Code ▲";

pub fn run(a: &BenchStartArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let bin = match &a.bin {
        Some(b) => b.clone(),
        None => std::env::current_exe().map_err(super::failed("finding this binary"))?,
    };
    if !bin.is_file() {
        return Err(CliError::input(format!(
            "--bin {}: no such file",
            bin.display()
        )));
    }
    let dir = BenchDir::new(None)?;
    let tmux = Tmux::start(dir.path())?;
    let shown = bin.display().to_string();
    writeln!(
        out,
        "bench start: `velodesk` (the console on a fresh demo city: 190 stations, 3 000 riders, two days of history) in tmux at 120×40, {} runs of {shown}",
        a.runs
    )?;
    let (mut first, mut city, mut raw) = (Vec::new(), Vec::new(), Vec::new());
    for i in 1..=a.runs {
        let home = dir.path().join(format!("home-{i}"));
        std::fs::create_dir_all(&home).map_err(super::failed("creating a home directory"))?;
        let r = tmux.time(&format!("{shown} --version"), &[("velodesk ", Row::First)])?;
        tmux.wait_done()?;
        let console = format!(
            "HOME={h} TMPDIR={h} LANG=en_US.UTF-8 {shown}",
            h = home.display()
        );
        let t = tmux.time(&console, &[(FIRST_FRAME, Row::First), (CITY, Row::Any)])?;
        tmux.keys(&["q"])?;
        tmux.wait_done()?;
        writeln!(
            out,
            "  run {i}: first frame {}, the city {}; raw `--version` on the screen {}",
            human(t[0]),
            human(t[1]),
            human(r[0])
        )?;
        out.flush()?;
        first.push(t[0]);
        city.push(t[1]);
        raw.push(r[0]);
    }
    let line = |label: &str, s: &mut Vec<Duration>| {
        s.sort_unstable();
        format!(
            "  {label:<34} median {:>9}  (min {}, max {})",
            human(s[s.len() / 2]),
            human(s[0]),
            human(s[s.len() - 1])
        )
    };
    writeln!(out, "{}", line("first frame:", &mut first))?;
    writeln!(out, "{}", line("first frame showing the city:", &mut city))?;
    writeln!(out, "{}", line("raw `--version` on the screen:", &mut raw))?;
    Ok(ExitCode::SUCCESS)
}

/// Where on the screen a mark must be: the first row, or anywhere.
#[derive(Clone, Copy)]
enum Row {
    First,
    Any,
}

/// A tmux server of its own (a socket named for this process) with one 120×40 pane
/// running `sh`; killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(dir: &Path) -> Result<Tmux, CliError> {
        let t = Tmux {
            socket: format!("velodesk-bench-{}", std::process::id()),
        };
        let dir = dir.display().to_string();
        let args = [
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "40",
            "-s",
            "bench",
            "-c",
            &dir,
            "env",
            "PS1=$ ",
            "sh",
        ];
        t.run(&args)?;
        Ok(t)
    }

    fn run(&self, args: &[&str]) -> Result<String, CliError> {
        let o = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env("TERM", "xterm-256color")
            .output()
            .map_err(|e| {
                CliError::input(format!(
                    "bench start runs the console under tmux, which did not start ({e}): apt-get install tmux"
                ))
            })?;
        if !o.status.success() {
            return Err(CliError::Failed(eyre::eyre!(
                "tmux {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&o.stderr).trim()
            )));
        }
        Ok(String::from_utf8_lossy(&o.stdout).into_owned())
    }

    fn keys(&self, keys: &[&str]) -> Result<(), CliError> {
        let mut args = vec!["send-keys", "-t", "bench"];
        args.extend_from_slice(keys);
        self.run(&args).map(drop)
    }

    fn screen(&self) -> Result<String, CliError> {
        self.run(&["capture-pane", "-p", "-t", "bench"])
    }

    /// Clear the screen, run `command`, and time each mark's first appearance (in order)
    /// from the moment the command was typed.
    fn time(&self, command: &str, marks: &[(&str, Row)]) -> Result<Vec<Duration>, CliError> {
        let line = format!("clear; {command}; echo BENCH-$?-DONE");
        let start = Instant::now();
        self.keys(&[&line, "Enter"])?;
        let mut times = Vec::new();
        for (mark, row) in marks {
            loop {
                let s = self.screen()?;
                let seen = match row {
                    Row::First => s.lines().next().is_some_and(|l| l.starts_with(mark)),
                    Row::Any => s.contains(mark),
                };
                if seen {
                    times.push(start.elapsed());
                    break;
                }
                if done_code(&s).is_some() || start.elapsed() > Duration::from_secs(600) {
                    return Err(CliError::Failed(eyre::eyre!(
                        "`{command}` never showed {mark:?}; the screen:\n{s}"
                    )));
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        Ok(times)
    }

    /// Wait for the command to end (its `BENCH-0-DONE` line), then clear the mark away.
    fn wait_done(&self) -> Result<(), CliError> {
        let start = Instant::now();
        loop {
            let s = self.screen()?;
            if done_code(&s) == Some("0") {
                self.keys(&["clear", "Enter"])?;
                while done_code(&self.screen()?).is_some() {
                    std::thread::sleep(Duration::from_millis(10));
                }
                return Ok(());
            }
            if done_code(&s).is_some() || start.elapsed() > Duration::from_secs(60) {
                return Err(CliError::Failed(eyre::eyre!(
                    "the command did not end well; the screen:\n{s}"
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// The exit code in a `BENCH-N-DONE` line the shell printed after a command (the line
/// typed says `BENCH-$?-DONE`, so it is never mistaken for it).
fn done_code(screen: &str) -> Option<&str> {
    screen.split("BENCH-").skip(1).find_map(|rest| {
        let (code, after) = rest.split_once('-')?;
        (!code.is_empty() && code.chars().all(|c| c.is_ascii_digit()) && after.starts_with("DONE"))
            .then_some(code)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_end_mark_is_told_from_the_typed_command() {
        assert_eq!(
            super::done_code("$ clear; velodesk; echo BENCH-$?-DONE"),
            None
        );
        assert_eq!(super::done_code("BENCH-0-DONE\n$"), Some("0"));
        assert_eq!(
            super::done_code("echo BENCH-$?-DONE\nBENCH-2-DONE"),
            Some("2")
        );
    }
}
