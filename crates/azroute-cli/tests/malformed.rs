//! The malformed-input corpus (`testdata/malformed/*`): each case is a snapshot, the command to
//! run and the expected outcome. Bad input must exit 2 (or warn and answer where Azure itself
//! would still route) with a message naming the file and place, and must never panic.

mod common;

use common::*;

#[test]
fn malformed_input_corpus() {
    let root = repo("testdata/malformed");
    let mut cases: Vec<_> =
        std::fs::read_dir(&root).expect("corpus").flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    assert!(cases.len() >= 25, "the corpus has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let expect: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(case.join("expect.json")).expect("expect.json"))
                .expect("expect.json parses");
        let mut args: Vec<String> =
            expect["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect();
        args.push("--snapshot".to_string());
        args.push(case.join("snapshot").display().to_string());
        let arg_refs: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
        let run = azroute(&arg_refs);
        let mut problems = Vec::new();
        let want = expect["exit"].as_i64().unwrap() as i32;
        if run.code != want {
            problems.push(format!("exit {} instead of {want}", run.code));
        }
        if run.stderr.contains("internal error")
            || run.stderr.contains("panicked")
            || run.stderr.contains("RUST_BACKTRACE")
        {
            problems.push("panicked".to_string());
        }
        for needle in expect["stderr"].as_array().unwrap() {
            let needle = needle.as_str().unwrap();
            if !run.stderr.contains(needle) {
                problems.push(format!("stderr lacks `{needle}`"));
            }
        }
        for needle in expect["stdout"].as_array().unwrap() {
            let needle = needle.as_str().unwrap();
            if !run.stdout.contains(needle) {
                problems.push(format!("stdout lacks `{needle}`"));
            }
        }
        for needle in expect["stderr_absent"].as_array().unwrap() {
            let needle = needle.as_str().unwrap();
            if run.stderr.contains(needle) {
                problems.push(format!("stderr has `{needle}`"));
            }
        }
        if want == 2 && !run.stderr.contains("error") {
            problems.push("no error message".to_string());
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{name}: {}\n--- stderr\n{}\n--- stdout\n{}",
                problems.join("; "),
                run.stderr,
                run.stdout
            ));
        }
    }
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n\n"));
}

/// A 1 GB file of one long line is refused by size before it is read, so memory stays flat.
/// The file is sparse: creating it costs nothing.
#[test]
fn a_one_gigabyte_file_is_refused_by_size() {
    let dir = temp_dir("one-gigabyte");
    let file = std::fs::File::create(dir.join("huge.json")).unwrap();
    file.set_len(1 << 30).unwrap();
    drop(file);
    let run = azroute(&["routes", "--snapshot", dir.to_str().unwrap(), "--nic", "x"]).fails();
    assert!(
        run.stderr.contains("FileTooLarge")
            && run.stderr.contains("huge.json")
            && run.stderr.contains("--max-file-size"),
        "{}",
        run.stderr
    );
}

/// Input files are opened read-only and never changed.
#[test]
fn inputs_are_not_modified() {
    let dir = temp_dir("read-only");
    let text =
        std::fs::read_to_string(repo("testdata/malformed/duplicate-prefix-in-route-table/snapshot/a.json")).unwrap();
    let path = dir.join("a.json");
    std::fs::write(&path, &text).unwrap();
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    azroute(&["routes", "--snapshot", dir.to_str().unwrap(), "--nic", "nic1"]).ok();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), before);
}
