//! matrix-synapse from PyPI, in a virtual environment under cargo's target
//! directory: made by the first test run that needs it, reused by the next.

use std::fs::{self, File};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The release the tests run against. A new pin installs beside the old
/// environment instead of over it, so a run never meets half of each.
const SYNAPSE_VERSION: &str = "1.163.2";

/// The environment's Python, with Synapse installed; or why it cannot be,
/// when what is missing is this machine's (Python, pip, the network).
pub async fn install() -> Result<PathBuf, String> {
    tokio::task::spawn_blocking(install_blocking).await.expect("the install did not panic")
}

fn install_blocking() -> Result<PathBuf, String> {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let venv = root.join(format!("synapse-venv-{SYNAPSE_VERSION}"));
    let python = venv.join("bin").join("python");
    let marker = venv.join("installed");

    // Another test binary may be installing at this moment: wait for it
    // rather than install over it.
    fs::create_dir_all(root).expect("cargo's temporary directory");
    let lock = File::create(root.join(format!("synapse-venv-{SYNAPSE_VERSION}.lock")))
        .expect("the install's lock file");
    lock.lock().expect("the install's lock");
    if marker.exists() && python.exists() {
        return Ok(python);
    }

    // Without the marker, an earlier install stopped half-way.
    let _ = fs::remove_dir_all(&venv);
    let line = format!("installing Synapse {SYNAPSE_VERSION} into {}, once", venv.display());
    let _ = writeln!(std::io::stderr(), "{line}");
    let mut make = Command::new("python3");
    run(make.args(["-m", "venv"]).arg(&venv), "python3 cannot make a virtual environment")?;
    let mut pip = Command::new(&python);
    pip.args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"])
        .arg(format!("matrix-synapse=={SYNAPSE_VERSION}"));
    run(&mut pip, "pip cannot install matrix-synapse")?;
    fs::write(&marker, SYNAPSE_VERSION).expect("the install's marker");
    Ok(python)
}

/// Runs a step of the install; a failure gives the last line it printed.
fn run(command: &mut Command, failure: &str) -> Result<(), String> {
    let output = command.output().map_err(|error| match error.kind() {
        ErrorKind::NotFound => format!("{} is not installed", command.get_program().display()),
        _ => format!("{failure}: {error}"),
    })?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stderr.lines().rev().find(|line| !line.trim().is_empty());
    Err(format!("{failure}: {}", last.unwrap_or("it printed nothing")))
}
