//! Input the user did not mean, named as such (issues 11 and 16): a file that is not an Azure
//! export given as the snapshot exits 2 saying so, instead of "No findings".

mod common;

use common::*;

#[test]
fn a_package_json_given_as_the_snapshot_is_refused() {
    let dir = temp_dir("package-json");
    let file = dir.join("package.json");
    std::fs::write(&file, r#"{"name": "my-app", "version": "1.0.0", "dependencies": {}}"#).unwrap();
    let run = azroute(&["doctor", "--snapshot", file.to_str().unwrap(), "--fail-on", "error"]).fails();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("NoAzureResources") && run.stderr.contains("package.json"), "{}", run.stderr);
    assert!(run.stderr.contains("no Azure network resources were found in"), "{}", run.stderr);
    assert!(!run.stdout.contains("No findings"), "{}", run.stdout);
}

#[test]
fn a_saved_error_body_names_its_code() {
    let dir = temp_dir("error-body");
    let file = dir.join("vnets.json");
    std::fs::write(
        &file,
        r#"{"error": {"code": "SubscriptionNotFound", "message": "The subscription 'x' could not be found."}}"#,
    )
    .unwrap();
    let run = azroute(&["routes", "--snapshot", file.to_str().unwrap(), "--nic", "x"]).fails();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("SubscriptionNotFound") && run.stderr.contains("could not be found"), "{}", run.stderr);
}

#[test]
fn a_directory_named_explicitly_is_read_even_when_hidden() {
    let dir = temp_dir("hidden-explicit").join(".exports");
    std::fs::create_dir_all(&dir).unwrap();
    let snapshot = repo("testdata/malformed/utf8-bom/snapshot/a.json");
    std::fs::copy(snapshot, dir.join("a.json")).unwrap();
    let run = azroute(&["routes", "--snapshot", dir.to_str().unwrap(), "--nic", "nic1", "-o", "json"]).ok();
    assert!(run.stdout.contains("10.0.0.0/16"), "{}", run.stdout);
}
