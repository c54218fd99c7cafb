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
    let config = Config { database_url: DatabaseUrl::new(url), ..crate::common::defaults() };
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

const DEMO: &str = include_str!("../../bot-config/demo.txt");

/// What was sent to or edited in `chat`: each header line and the
/// indented lines under it.
fn shown_in(out: &str, chat: &str) -> String {
    let mut shown = String::new();
    let mut inside = false;
    for line in out.lines() {
        if !line.is_empty() && !line.starts_with("    ") {
            let header = line.strip_prefix("→ ").or_else(|| line.strip_prefix("✎ "));
            inside = header.is_some_and(|rest| rest.starts_with(&format!("{chat} ")));
        }
        if inside {
            shown.push_str(line);
            shown.push('\n');
        }
    }
    shown
}

#[tokio::test]
async fn demo_runs_a_whole_outing_without_an_error() {
    let (summary, out) = run(DEMO).await;
    assert_eq!(summary.errors, 0, "{out}");

    let group = shown_in(&out, "#paris-11");
    assert!(group.contains("[1 Je prends · claim:101]"), "{group}");
    assert!(group.contains("✎ #paris-11 (message"), "the post is edited once taken: {group}");
    let alice = shown_in(&out, "@alice");
    assert!(alice.contains("01 43 55 12 34"), "the claimant gets the phone: {alice}");
    assert!(alice.contains("Vous accompagnez Marcel"), "French by default: {alice}");
    let bob = shown_in(&out, "@bob");
    assert!(bob.contains("Noted, I'll speak English with you."), "English once asked: {bob}");
    assert!(shown_in(&out, "#medico").contains("isolement"), "{out}");
    assert!(out.contains("↳ @bob: You can take outings as soon as"), "{out}");
}

#[tokio::test]
async fn demo_groups_never_see_the_elder_identity() {
    let (_, out) = run(DEMO).await;
    for chat in ["#paris-11", "#equipe"] {
        let shown = shown_in(&out, chat);
        for private in ["Marcel", "Dupont", "01 43 55 12 34", "Roquette", "48.8540"] {
            assert!(!shown.contains(private), "{private} shown in {chat}: {shown}");
        }
    }
}

#[tokio::test]
async fn a_second_session_on_the_same_store_is_answered_too() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (_, first) = run_in(dir.path(), "@claire > /start\n").await;
    let (_, second) = run_in(dir.path(), "@claire > /start\n").await;
    assert!(first.contains("→ @claire (m1)"), "{first}");
    assert!(second.contains("→ @claire (m1)"), "event ids must not repeat: {second}");
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
    let config = Config { database_url: DatabaseUrl::new(url), ..crate::common::defaults() };
    let clock = Arc::new(ConsoleClock::default());
    let app = App::build(config, clock.clone()).await.expect("app on a temporary store");
    let input = Input::File(dir.path().join("missing.txt"));
    let error = console::run(&app, &clock, input, &mut Vec::new()).await.unwrap_err();
    assert!(error.to_string().starts_with("cannot read"), "{error}");
}
