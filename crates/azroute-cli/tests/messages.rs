//! What stderr tells a user, end to end: the error that matters before the warnings, repeated
//! warnings folded by code, a closed stderr that never crashes the process, "did you mean" for
//! examples and check codes, the doctor's left-out count and the exit-status rule of the
//! commands that judge, refused options, and verify's errors through the common error path.

mod common;

use std::process::{Command, Stdio};

use common::*;

/// Before: `azroute routes --example hub-spoke --nic nope 2>&1 | true` exited 134 (SIGABRT: a
/// panic while printing the error to a closed pipe).
#[test]
fn a_closed_stderr_or_stdout_ends_quietly() {
    for args in [
        &["routes", "--example", "hub-spoke", "--nic", "nope"][..],
        &["routes", "--example", "hub-spoke", "--nic", "nic-app1"][..],
        &["routes", "--snapshot", "/nonexistent/snapshot", "--nic", "x"][..],
        &["doctor", "--example", "troubleshoot"][..],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        let (out_reader, out_writer) = std::io::pipe().unwrap();
        drop(reader);
        drop(out_reader);
        let status = Command::new(env!("CARGO_BIN_EXE_azroute"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(out_writer)
            .stderr(writer)
            .status()
            .unwrap();
        let code = status.code();
        assert!(matches!(code, Some(0..=2)), "{args:?}: {status:?} (a signal is a crash)");
    }
}

/// Before: a one-file snapshot printed ten `DanglingReference` warnings, then the error.
#[test]
fn the_error_comes_first_and_repeated_warnings_fold_into_a_count() {
    let nics = repo_str("crates/azroute-cli/estates/hub-spoke/nic-list.json");
    let run = azroute(&["routes", "--snapshot", &nics, "--nic", "nic-app1"]).fails();
    let error = run.stderr.find("error: the subnet of network interface `nic-app1`").expect("the error");
    let warning = run.stderr.find("warning [DanglingReference]").expect("a warning");
    assert!(error < warning, "{}", run.stderr);
    assert_eq!(run.stderr.matches("warning [DanglingReference]").count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("… and 9 more DanglingReference warning(s) like it; --verbose lists them"));
    let verbose = azroute(&["routes", "--snapshot", &nics, "--nic", "nic-app1", "-v"]).fails();
    assert_eq!(verbose.stderr.matches("warning [DanglingReference]").count(), 10, "{}", verbose.stderr);
    let quiet = azroute(&["routes", "--snapshot", &nics, "--nic", "nic-app1", "-q"]).fails();
    assert!(!quiet.stderr.contains("warning"), "{}", quiet.stderr);
}

#[test]
fn example_names_and_check_codes_get_a_did_you_mean() {
    let run = azroute(&["routes", "--example", "hub-spok", "--nic", "nic-app1"]).fails();
    assert!(run.stderr.contains("did you mean `hub-spoke`?"), "{}", run.stderr);
    // Before: "the codes are listed in the README".
    let run = azroute(&["doctor", "--example", "hub-spoke", "--only", "AsymetricPath"]).fails();
    assert!(run.stderr.contains("did you mean `AsymmetricPath`?"), "{}", run.stderr);
    let run = azroute(&["doctor", "--explain", "RoutingLop"]).fails();
    assert!(run.stderr.contains("did you mean `RoutingLoop`?"), "{}", run.stderr);
    let run = azroute(&["routes", "--example", "hub-spoke", "--subnet", "vnet-hub/gatewaysubnt"]).fails();
    assert!(run.stderr.contains("did you mean `vnet-hub/GatewaySubnet`?"), "{}", run.stderr);
    let run = azroute(&["routes", "--example", "hub-spoke", "--vm", "vm-shard"]).fails();
    assert!(run.stderr.contains("did you mean `vm-shared`?"), "{}", run.stderr);
}

/// One rule for the commands that judge: 0 nothing at error level, 1 a problem at error level,
/// 2 bad input. Before: `doctor` exited 0 with errors unless `--fail-on` was given.
#[test]
fn commands_that_judge_share_one_exit_status_rule() {
    // doctor: errors on troubleshoot, none on hub-spoke.
    assert_eq!(azroute(&["doctor", "--example", "troubleshoot"]).code, 1);
    assert_eq!(azroute(&["doctor", "--example", "hub-spoke"]).code, 0);
    assert_eq!(azroute(&["doctor", "--example", "troubleshoot", "--fail-on", "never"]).code, 0);
    assert_eq!(azroute(&["doctor", "--example", "troubleshoot", "--only", "RouteTableNotAssociated"]).code, 0);
    let warn =
        azroute(&["doctor", "--example", "troubleshoot", "--only", "RouteTableNotAssociated", "--fail-on", "warning"]);
    assert_eq!(warn.code, 1, "a warning reaches --fail-on warning");
    // trace: dropped on troubleshoot, delivered on hub-spoke.
    assert_eq!(
        azroute(&["trace", "--example", "troubleshoot", "--from", "vm-web", "--to", "vm-db", "--port", "1433"]).code,
        1
    );
    assert_eq!(azroute(&["trace", "--example", "hub-spoke", "--from", "vm-app1", "--to", "vm-app2"]).code, 0);
    // diff: nothing lost between an example and itself.
    assert_eq!(azroute(&["diff", "--before", "example:hub-spoke", "--after", "example:hub-spoke"]).code, 0);
    // Bad input is 2 for each.
    for args in [
        &["doctor", "--example", "nope"][..],
        &["trace", "--example", "hub-spoke", "--from", "nope", "--to", "vm-app2"][..],
        &["diff", "--before", "example:nope", "--after", "example:hub-spoke"][..],
        &["verify", "--example", "hub-spoke", "--actual", "/nonexistent"][..],
    ] {
        azroute(args).fails();
    }
    // Every judging command's help states the rule.
    for command in ["trace", "diff", "what-if", "verify", "doctor"] {
        let help = azroute(&[command, "--help"]).ok().stdout;
        assert!(help.contains("Exit status: 0") && help.contains(", 1 ") && help.contains("2 bad input"), "{command}");
    }
}

#[test]
fn doctor_says_how_many_findings_severity_left_out() {
    let all = azroute(&["doctor", "--example", "troubleshoot", "-o", "json", "--fail-on", "never"]).ok().json();
    let below_warning = all["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "info").count();
    assert!(below_warning > 0, "troubleshoot has info findings");
    let run = azroute(&["doctor", "--example", "troubleshoot", "--severity", "warning", "-o", "json"]);
    assert!(
        run.stderr.contains(&format!("note: {below_warning} finding(s) below severity warning left out")),
        "{}",
        run.stderr
    );
    assert!(run.json()["findings"].as_array().unwrap().iter().all(|f| f["severity"] != "info"));
    let run = azroute(&["doctor", "--example", "troubleshoot", "--fail-on", "never"]);
    assert!(!run.stderr.contains("left out"), "{}", run.stderr);
}

/// Before: `--internet-address 10.9.9.9` was accepted and stood for "the Internet".
#[test]
fn a_private_internet_address_is_refused() {
    for address in ["10.9.9.9", "192.168.1.1", "100.64.0.1"] {
        let run = azroute(&["reach", "--example", "hub-spoke", "--internet-address", address]).fails();
        assert!(run.stderr.contains("is a private or reserved address"), "{}", run.stderr);
    }
    let run = azroute(&["reach", "--example", "hub-spoke", "--internet-address", "2001:db8::1"]).fails();
    assert!(run.stderr.contains("IPv4 only"), "{}", run.stderr);
    azroute(&["reach", "--example", "hub-spoke", "--internet-address", "198.51.100.7"]).ok();
}

/// Every error of a verify run is listed (through the common error path), then the count.
#[test]
fn verify_lists_each_failure_then_the_count() {
    let dir = temp_dir("verify-errors");
    let agree = repo("crates/azroute-cli/tests/verify-fixtures/hub-spoke-agree");
    std::fs::copy(agree.join("nic-app1.json"), dir.join("nic-nope.json")).unwrap();
    std::fs::copy(agree.join("nic-app1.json"), dir.join("nic-app1.json")).unwrap();
    std::fs::copy(agree.join("nic-app1.json"), dir.join("NIC-APP1.json")).unwrap();
    let run = azroute(&["verify", "--example", "hub-spoke", "--actual", dir.to_str().unwrap()]).fails();
    assert!(run.stderr.contains("nic-nope.json: no network interface named or with id `nic-nope`"), "{}", run.stderr);
    assert!(run.stderr.contains("both hold routes of network interface `nic-app1`"), "{}", run.stderr);
    let last = run.stderr.trim_end().lines().rev().find(|l| l.starts_with("error:")).unwrap();
    assert!(last.contains("2 file(s) of Azure's routes could not be compared"), "{}", run.stderr);
}

#[test]
fn the_examples_listing_speaks_to_users() {
    let run = azroute(&["examples"]).ok();
    assert!(run.stdout.contains("Microsoft's \"diagnose a VM routing problem\" guide"), "{}", run.stdout);
    assert!(!run.stdout.contains("seed"), "{}", run.stdout);
}

/// Before: "See why: azroute trace --assume-host …" without `--snapshot`, so it could not be
/// pasted. Now it names the after snapshot, and pasting it traces.
#[test]
fn diffs_suggested_trace_pastes_as_is() {
    let dir = temp_dir("diff-see-why");
    azroute_in(Some(&dir), &["examples", "--export", "hub-spoke", "--out", "./after"]).ok();
    let tables = dir.join("after/route-table-list.json");
    let mut v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&tables).unwrap()).unwrap();
    for table in v.as_array_mut().unwrap() {
        for route in table["routes"].as_array_mut().into_iter().flatten() {
            if route["addressPrefix"] == "0.0.0.0/0" {
                route["nextHopType"] = "None".into();
                route.as_object_mut().unwrap().remove("nextHopIpAddress");
            }
        }
    }
    std::fs::write(&tables, v.to_string()).unwrap();
    let run = azroute_in(Some(&dir), &["diff", "--before", "example:hub-spoke", "--after", "./after"]);
    assert_eq!(run.code, 1, "reachability lost: {}", run.stderr);
    let line = run.stdout.lines().find(|l| l.starts_with("See why: ")).expect("a suggested command");
    let command = line.trim_start_matches("See why: ");
    assert!(command.starts_with("azroute trace --snapshot ./after --assume-host --from "), "{command}");
    let args: Vec<&str> = command.split_whitespace().skip(1).collect();
    let traced = azroute_in(Some(&dir), &args);
    assert_eq!(traced.code, 1, "the suggested trace shows the loss: {}", traced.stderr);
    // The JSON keeps its shape (the suggestion is text only).
    let json = azroute_in(Some(&dir), &["diff", "--before", "example:hub-spoke", "--after", "./after", "-o", "json"]);
    assert!(json.json().get("afterSnapshotArgs").is_none());
}
