//! `compagnie locate`, as a coordinator checks a configuration with it in
//! a fresh clone: the default neighbourhoods, a store of its own. Points
//! only: addresses would go to the configured address service, which the
//! geocoder tests replace with a local one.

use std::process::{Command, Output};

fn locate(place: &str) -> (Output, String) {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("compagnie.db").display());
    let output = Command::new(env!("CARGO_BIN_EXE_compagnie"))
        .args(["locate", place])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("COMPAGNIE_DATABASE_URL", database)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    (output, text)
}

#[test]
fn a_point_in_paris_names_its_arrondissement() {
    let (output, text) = locate("48.8575,2.3800");
    assert!(output.status.success(), "{text}");
    assert!(text.contains("neighbourhood: 11 (Popincourt)"), "{text}");
    assert!(text.contains("/link_group 11"), "no group linked yet: {text}");
}

#[test]
fn a_point_outside_paris_is_in_no_neighbourhood() {
    let (output, text) = locate("48.8049, 2.1204");
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("no configured neighbourhood holds this point"), "{text}");
}
