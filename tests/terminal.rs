//! The console in a real terminal: tmux starts the binary, the test types keys as a person
//! would, reads the screen, quits, and checks the terminal was given back (raw mode off, the
//! shell's screen back). The demo's console opens on its progress screen while the city is
//! built, and the plain demo rewrites one line. `.ci/run` installs tmux; without it these
//! tests fail and say so.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_velodesk");

struct Tmux {
    socket: String,
}

impl Tmux {
    /// A tmux server of the test's own (`name`: tests run side by side).
    fn start(dir: &Path, name: &str) -> Tmux {
        let socket = format!("velodesk-test-{}-{name}", std::process::id());
        let t = Tmux { socket };
        let o = t.run(&[
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "40",
            "-s",
            "desk",
            "-c",
            dir.to_str().unwrap(),
            "sh",
        ]);
        assert!(
            o.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        t
    }

    /// A tmux server of the test's own with its shell's screen cleared and ready.
    fn ready(dir: &Path, name: &str) -> Tmux {
        let t = Tmux::start(dir, name);
        t.keys(&["clear; echo READY", "Enter"]);
        t.wait_for("READY");
        t
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env("TERM", "xterm-256color")
            .output()
            .expect("tmux is needed for this test (.ci/run installs it: apt-get install -y tmux)")
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "desk"];
        args.extend_from_slice(keys);
        self.run(&args);
        // A lone Escape followed at once by a key reads as Alt+key in any terminal.
        std::thread::sleep(Duration::from_millis(150));
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "desk"]).stdout)
            .into_owned()
    }

    /// Wait (up to 30 s) for `text` to be on the screen.
    fn wait_for(&self, text: &str) -> String {
        self.wait_up_to(text, 30)
    }

    /// Wait up to `secs` seconds for `text` to be on the screen (a limit for a stuck
    /// program, never a measure of speed).
    fn wait_up_to(&self, text: &str, secs: u64) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(secs),
                "waited for {text:?}; the screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

#[test]
fn the_console_runs_in_a_real_terminal_and_gives_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    let db = db.to_str().unwrap();
    let ok = |o: Output| assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    ok(Command::new(BIN)
        .args(["init", "--db", db, "--tariff", "almaty"])
        .output()
        .unwrap());
    let feed = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gbfs/oslo-2022-10-23");
    ok(Command::new(BIN)
        .args(["import", "gbfs", "--db", db, "--with-bikes", feed])
        .output()
        .unwrap());
    staff_add(db, "aigerim", "agent");

    let t = Tmux::ready(dir.path(), "console");
    let cmd = format!(
        "HOME={} {BIN} console --db {db} --staff aigerim --lang en; echo EXITED-$?",
        dir.path().display()
    );
    t.keys(&[&cmd, "Enter"]);
    let s = t.wait_for("Code ▲");
    assert!(s.contains("1 Stations"), "{s}");
    assert!(!s.contains("EXITED"), "{s}");
    t.keys(&["2"]);
    t.wait_for("Map ·");
    t.keys(&["?"]);
    t.wait_for("Help — Keys");
    t.keys(&["Escape"]);
    t.keys(&["3"]);
    t.wait_for("Type an ID, phone");
    t.keys(&["Escape"]);
    t.keys(&["q"]);
    let s = t.wait_for("EXITED-0");
    // The alternate screen is gone: the shell's own lines are back.
    assert!(s.contains("READY"), "{s}");
    t.keys(&[
        "stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | sort | tr '\\n' ' '; echo STTY-$((1+1))",
        "Enter",
    ]);
    let s = t.wait_for("STTY-2");
    assert!(s.contains("echo icanon"), "raw mode is off again:\n{s}");
    // And the log went to a file, not the screen.
    assert!(
        dir.path()
            .join(".local/state/velodesk/console.log")
            .is_file()
    );
}

/// `velodesk staff add NAME --role ROLE --db DB`, the password on standard input.
fn staff_add(db: &str, name: &str, role: &str) {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .args(["staff", "add", name, "--role", role, "--db", db])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a-long-password\n")
        .unwrap();
    assert!(child.wait().unwrap().success());
}

/// The files of the demo's temporary databases in `dir`.
fn demo_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("velodesk-demo-"))
        .collect()
}

#[test]
fn the_demo_console_opens_on_its_progress_then_on_the_city_when_it_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let t = Tmux::ready(dir.path(), "demo");
    let home = dir.path().display();
    let cmd = format!(
        "HOME={home} TMPDIR={home} {BIN} demo --lang en --riders 40 --fill 10; echo EXITED-$?"
    );
    t.keys(&[&cmd, "Enter"]);
    // At once the console, on its progress screen: the city is being built behind it.
    let s = t.wait_for("Building the demo city of Almaty…");
    assert!(
        s.lines().next().is_some_and(|l| l.starts_with(" velodesk")),
        "{s}"
    );
    assert!(s.contains("q quits"), "{s}");
    // Then the city, and the console answers keys (the header's role comes with the first
    // look-ups, after the table's frame: wait for it, not for the frame).
    let s = t.wait_up_to("aigerim (agent)", 300);
    assert!(!s.contains("Building the demo city"), "{s}");
    assert!(
        s.contains("aigerim (agent)") && s.contains("1 Stations"),
        "{s}"
    );
    t.keys(&["2"]);
    t.wait_for("Map ·");
    t.keys(&["q"]);
    t.wait_for("EXITED-0");
    assert_eq!(
        demo_files(dir.path()),
        Vec::<String>::new(),
        "the temporary city is removed"
    );
}

#[test]
fn quitting_while_the_demo_city_is_built_stops_the_build_and_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let t = Tmux::ready(dir.path(), "quit");
    let home = dir.path().display();
    // The full demo city takes a while to build: there is time to give up.
    let cmd = format!("HOME={home} TMPDIR={home} {BIN} demo --lang en; echo EXITED-$?");
    t.keys(&[&cmd, "Enter"]);
    t.wait_for("Building the demo city of Almaty…");
    t.keys(&["q"]);
    let s = t.wait_for("EXITED-0");
    assert!(s.contains("READY"), "the shell's screen is back:\n{s}");
    assert_eq!(
        demo_files(dir.path()),
        Vec::<String>::new(),
        "nothing left behind"
    );
}

/// A terminal closed under the demo's console (a hang-up) removes the temporary city as `q`
/// does.
#[test]
fn a_hang_up_removes_the_demos_temporary_city() {
    let dir = tempfile::tempdir().unwrap();
    let t = Tmux::ready(dir.path(), "hangup");
    let home = dir.path().display();
    let cmd = format!("HOME={home} TMPDIR={home} {BIN} demo --lang en --riders 40 --fill 10");
    t.keys(&[&cmd, "Enter"]);
    t.wait_up_to("Code ▲", 300);
    assert!(
        !demo_files(dir.path()).is_empty(),
        "the city is in a temporary file"
    );
    // Closing the terminal hangs up on the console.
    t.run(&["kill-server"]);
    let until = Instant::now() + Duration::from_secs(30);
    while !demo_files(dir.path()).is_empty() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(
        demo_files(dir.path()),
        Vec::<String>::new(),
        "the hang-up removed the temporary city"
    );
}

/// The demo on a database that exists continues it, and its status line says so (not
/// "a fresh simulated system").
#[test]
fn the_demo_on_an_existing_city_says_it_is_continued() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("almaty.db");
    let db = db.to_str().unwrap();
    let built = Command::new(BIN)
        .args(["init", "--demo", "almaty", "--db", db, "--riders", "40"])
        .args(["--fill", "10", "--history-days", "0"])
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let t = Tmux::ready(dir.path(), "continued");
    let home = dir.path().display();
    let cmd = format!("HOME={home} {BIN} demo --lang en --db {db}; echo EXITED-$?");
    t.keys(&[&cmd, "Enter"]);
    let s = t.wait_up_to("Code ▲", 120);
    assert!(s.contains("Demo city continued from"), "{s}");
    assert!(!s.contains("a fresh simulated system"), "{s}");
    t.keys(&["q"]);
    t.wait_for("EXITED-0");
}

/// At 70×20 the console says to enlarge the window and the keys typed then do nothing:
/// once the window is large again, the console is where it was (no view changed, no
/// form opened).
#[test]
fn below_80x24_in_a_real_terminal_keys_do_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    let db = db.to_str().unwrap();
    let ok = |o: Output| assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    ok(Command::new(BIN)
        .args(["init", "--db", db, "--tariff", "almaty"])
        .output()
        .unwrap());
    staff_add(db, "aigerim", "agent");
    let t = Tmux::ready(dir.path(), "small");
    let cmd = format!(
        "HOME={} {BIN} console --db {db} --staff aigerim --lang en; echo EXITED-$?",
        dir.path().display()
    );
    t.keys(&[&cmd, "Enter"]);
    t.wait_for("Code ▲");
    t.run(&["resize-window", "-t", "desk", "-x", "70", "-y", "20"]);
    let s = t.wait_for("Enlarge the window");
    assert!(s.contains("now 70×20"), "{s}");
    for k in ["3", ":", "6", "Enter", "/"] {
        t.keys(&[k]);
    }
    let s = t.screen();
    assert!(
        s.contains("Enlarge the window"),
        "still only the message: {s}"
    );
    t.run(&["resize-window", "-t", "desk", "-x", "120", "-y", "40"]);
    let s = t.wait_for("Code ▲");
    assert!(
        !s.contains("Type an ID"),
        "the riders view did not open: {s}"
    );
    assert!(!s.contains("Audit ("), "{s}");
    t.keys(&["q"]);
    t.wait_for("EXITED-0");
}

#[test]
fn the_plain_demo_on_a_terminal_rewrites_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("almaty.db");
    let db = db.to_str().unwrap();
    let built = Command::new(BIN)
        .args(["init", "--demo", "almaty", "--db", db, "--riders", "40"])
        .args(["--fill", "10", "--history-days", "0"])
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let t = Tmux::ready(dir.path(), "plain");
    // 9 simulated minutes at 60×: about 9 s, four or so updates of the summary.
    let cmd = format!("{BIN} demo --plain --db {db} --speed 60 --hours 0.15; echo EXITED-$?");
    t.keys(&[&cmd, "Enter"]);
    let s = t.wait_for("EXITED-0");
    let summaries: Vec<&str> = s.lines().filter(|l| l.contains("  riding ")).collect();
    assert_eq!(
        summaries.len(),
        1,
        "one summary line, rewritten in place, then the last figures:\n{s}"
    );
    assert!(s.contains("Stopped after"), "{s}");
}
