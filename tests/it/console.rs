//! The terminal adapter run on scripts, against a store on a temporary
//! SQLite file.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use compagnie::app::App;
use compagnie::config::{Config, DatabaseUrl};
use compagnie::console::{self, ConsoleClock, Input, Summary};

/// Runs a script on the database in `dir`; returns what it printed.
async fn run_in(dir: &Path, script: &str) -> (Summary, String) {
    let url = format!("sqlite:{}", dir.join("compagnie.db").display());
    let config = Config { database_url: DatabaseUrl::new(url), ..Config::default() };
    let clock = Arc::new(ConsoleClock::default());
    let app = App::build(config, clock.clone()).await.expect("app on a temporary store");

    let mut file = tempfile::NamedTempFile::new().expect("script file");
    file.write_all(script.as_bytes()).expect("script written");
    let input = Input::File(file.path().to_owned());
    let mut out = Vec::new();
    let summary = console::run(&app, &clock, input, &mut out).await.expect("session runs");
    (summary, String::from_utf8(out).expect("output is text"))
}

async fn run(script: &str) -> (Summary, String) {
    let dir = tempfile::tempdir().expect("temporary directory");
    run_in(dir.path(), script).await
}

#[tokio::test]
async fn bad_lines_are_reported_by_number_and_the_script_goes_on() {
    let script = "# setting up\n\n@alice waves\n@alice press 0\ntime 2026-12-07 09:00\n";
    let (summary, out) = run(script).await;
    assert_eq!(summary, Summary { lines: 5, errors: 2 });
    assert!(out.contains("! line 3: expected `>`"), "{out}");
    assert!(out.contains("! line 4: `press` needs"), "{out}");
    assert!(out.contains("clock: 2026-12-07 09:00 CET"), "{out}");
}

#[tokio::test]
async fn scripts_are_echoed_so_the_transcript_reads_alone() {
    let (_, out) = run("# a comment\ntime 2026-07-07 09:00\ntime +1d\n").await;
    let expected = "# a comment\ntime 2026-07-07 09:00\nclock: 2026-07-07 09:00 CEST\n\
                    time +1d\nclock: 2026-07-08 09:00 CEST\n";
    assert_eq!(out, expected);
}

#[tokio::test]
async fn pressing_a_number_needs_a_message_with_buttons() {
    let (summary, out) = run("@alice press 1\n@alice in #paris-11 press 2\n").await;
    assert_eq!(summary.errors, 2);
    assert!(out.contains("! line 1: no message with buttons in @alice yet"), "{out}");
    assert!(out.contains("! line 2: no message with buttons in #paris-11 yet"), "{out}");
}

#[tokio::test]
async fn a_line_without_a_name_needs_a_current_person() {
    let (summary, out) = run("/start\n@claire\n/start\n").await;
    assert_eq!(summary.errors, 1, "{out}");
    assert!(out.contains("! line 1: who is speaking?"), "{out}");
}

#[tokio::test]
async fn a_missing_script_is_an_error() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite:{}", dir.path().join("compagnie.db").display());
    let config = Config { database_url: DatabaseUrl::new(url), ..Config::default() };
    let clock = Arc::new(ConsoleClock::default());
    let app = App::build(config, clock.clone()).await.expect("app on a temporary store");
    let input = Input::File(dir.path().join("missing.txt"));
    let error = console::run(&app, &clock, input, &mut Vec::new()).await.unwrap_err();
    assert!(error.to_string().starts_with("cannot read"), "{error}");
}
