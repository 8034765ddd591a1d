//! The commands as a user runs them: quiet in a pipe, bad arguments named, a feed fetched
//! from a local server.

use super::*;

fn velodesk(args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_velodesk"));
    // The feed server is on 127.0.0.1: no proxy of the machine's may stand in between.
    for var in [
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
    ] {
        cmd.env_remove(var);
    }
    cmd.args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn new_system(dir: &Path, name: &str) -> String {
    let db = dir.join(name).display().to_string();
    let o = velodesk(&["init", "--db", &db, "--tariff", "almaty"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    db
}

#[test]
fn the_commands_export_and_import_quietly_in_a_pipe() {
    let tmp = tempfile::tempdir().unwrap();
    let a = new_system(tmp.path(), "a.db");
    let messy = fixtures().join("messy").display().to_string();
    let o = velodesk(&["import", "gbfs", "--db", &a, "--with-bikes", &messy]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stderr), "", "no progress drawn into a pipe");
    let out = text(&o.stdout);
    assert!(out.contains("5 added"), "{out}");
    assert!(out.contains("Skipped 7:"), "{out}");
    assert!(out.contains("station 104: no latitude"), "{out}");

    let feeds_dir = tmp.path().join("feeds").display().to_string();
    let o = velodesk(&["gbfs", "export", "--db", &a, "--out", &feeds_dir]);
    assert_eq!(o.status.code(), Some(2), "3.0 needs a contact e-mail");
    assert!(
        text(&o.stderr).contains("--contact-email"),
        "{}",
        text(&o.stderr)
    );
    let o = velodesk(&[
        "gbfs",
        "export",
        "--db",
        &a,
        "--out",
        &feeds_dir,
        "--contact-email",
        "gbfs@almatybike.kz",
        "--base-url",
        "https://almatybike.kz/gbfs",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stderr), "");
    let gbfs: Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("feeds/v3/gbfs.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        gbfs["data"]["feeds"][0]["url"],
        "https://almatybike.kz/gbfs/v3/gbfs_versions.json"
    );
    // The contact e-mail was kept: the next export needs no flag.
    let o = velodesk(&[
        "gbfs",
        "export",
        "--db",
        &a,
        "--out",
        &feeds_dir,
        "--version",
        "3.0",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));

    let b = new_system(tmp.path(), "b.db");
    let v3 = tmp.path().join("feeds/v3").display().to_string();
    let o = velodesk(&["import", "gbfs", "--db", &b, &v3]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("(GBFS 3.0)"),
        "{}",
        text(&o.stdout)
    );
    let stations = |db: &str| {
        let mut e = Engine::new(Store::open(Path::new(db)).unwrap(), Settings::default()).unwrap();
        e.stations()
            .unwrap()
            .iter()
            .map(comparable)
            .collect::<Vec<_>>()
    };
    assert_eq!(stations(&b), stations(&a));
}

#[test]
fn bad_arguments_say_what_and_where() {
    let tmp = tempfile::tempdir().unwrap();
    let a = new_system(tmp.path(), "a.db");
    let out = tmp.path().join("o").display().to_string();
    for (args, says) in [
        (
            vec![
                "gbfs",
                "export",
                "--db",
                &a,
                "--out",
                &out,
                "--version",
                "2.2",
            ],
            "--version \"2.2\"",
        ),
        (
            vec![
                "gbfs",
                "export",
                "--db",
                &a,
                "--out",
                &out,
                "--contact-email",
                "nobody",
            ],
            "--contact-email",
        ),
        (
            vec![
                "gbfs", "export", "--db", &a, "--out", &out, "--url", "ftp://x",
            ],
            "--url",
        ),
        (
            vec!["import", "gbfs", "--db", &a, "/no/such/feed"],
            "/no/such/feed: no such directory",
        ),
    ] {
        let o = velodesk(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            text(&o.stderr).contains(says),
            "{args:?}: {}",
            text(&o.stderr)
        );
    }
    let broken = tmp.path().join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("station_information.json"), "{ \"data\": ").unwrap();
    let o = velodesk(&["import", "gbfs", "--db", &a, &broken.display().to_string()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("station_information.json: not JSON"),
        "{}",
        text(&o.stderr)
    );
}

/// Serves the `messy` fixture on 127.0.0.1:0, its `{BASE}` replaced by the server's URL.
fn serve_fixture() -> String {
    use axum::extract::Path as UrlPath;
    use axum::http::StatusCode;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}/gbfs", listener.local_addr().unwrap());
    let base_for_server = base.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let app = axum::Router::new().route(
                "/gbfs/{file}",
                axum::routing::get(move |UrlPath(file): UrlPath<String>| {
                    let base = base_for_server.clone();
                    async move {
                        match std::fs::read_to_string(fixtures().join("messy").join(&file)) {
                            Ok(t) => Ok(t.replace("{BASE}", &base)),
                            Err(_) => Err(StatusCode::NOT_FOUND),
                        }
                    }
                }),
            );
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    base
}

#[test]
fn a_feed_is_imported_from_its_gbfs_json_url() {
    let base = serve_fixture();
    let tmp = tempfile::tempdir().unwrap();
    let db = new_system(tmp.path(), "a.db");
    let url = format!("{base}/gbfs.json");
    let o = velodesk(&["import", "gbfs", "--db", &db, "--with-bikes", &url]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("5 added"), "{out}");
    assert!(out.contains("bikes added: 22"), "{out}");
    assert!(out.contains(&url), "the source is named: {out}");

    let o = velodesk(&[
        "import",
        "gbfs",
        "--db",
        &db,
        &format!("{base}/nothing.json"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("404"), "{}", text(&o.stderr));
}

#[test]
fn the_command_line_is_well_formed() {
    use clap::CommandFactory;
    velodesk::cli::Cli::command().debug_assert();
}
