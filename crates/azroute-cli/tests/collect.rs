//! End-to-end tests of `azroute collect` against the fake `az` of
//! `crates/azroute-collect/tests/fake-az/`: the collected snapshot answers like the example it
//! was recorded from, verify agrees with the effective routes collected alongside it, the
//! manifest is written, no planted secret reaches a file, and failures give the documented
//! exit codes.

#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

const SUB: &str = "00000000-0000-0000-0000-00000000a2e0";
const DENIED: &str = "11111111-2222-3333-4444-555555555555";

fn fake_az() -> String {
    repo_str("crates/azroute-collect/tests/fake-az/az")
}

/// Runs `azroute collect --out <tmp>/out --az <fake> <extra>` in a scenario.
fn collect(name: &str, scenario: &str, extra: &[&str]) -> (Run, PathBuf) {
    let base = temp_dir(&format!("cli-collect-{name}"));
    let out = base.join("out");
    let state = base.join("state");
    let out_s = out.display().to_string();
    let az = fake_az();
    let mut args = vec!["collect", "--out", &out_s, "--az", &az];
    args.extend_from_slice(extra);
    let state_s = state.display().to_string();
    let run = azroute_env(
        None,
        &args,
        &[("FAKE_AZ_SCENARIO", scenario), ("FAKE_AZ_STATE", &state_s), ("AZROUTE_COLLECT_RETRY_DELAY_MS", "1")],
    );
    (run, out)
}

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out
}

fn routes_json(snapshot: &str, nic: &str) -> Value {
    azroute(&["routes", "--snapshot", snapshot, "--nic", nic, "-o", "json"]).ok().json()
}

fn example_json(nic: &str) -> Value {
    azroute(&["routes", "--example", "hub-spoke", "--nic", nic, "-o", "json"]).ok().json()
}

#[test]
fn collect_end_to_end_against_the_fake_az() {
    let (run, out) = collect("ok", "ok", &["--service-tags", "eastus", "--effective-routes"]);
    // nic-fw's effective routes failed in the recording: a partial snapshot, exit 1 (README).
    let run = run.found_problem();
    assert!(run.stderr.contains("effective routes of nic-fw: failed"), "{}", run.stderr);
    assert!(run.stderr.contains("the collection is incomplete"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "data files only; progress on stderr");
    assert!(run.stderr.contains(&format!("subscription {SUB} (1 of 1)")), "{}", run.stderr);
    assert!(run.stderr.contains("network vnet list: 3 resource(s)"), "{}", run.stderr);
    assert!(run.stderr.contains("next: azroute routes --snapshot"), "{}", run.stderr);

    // The subscription's directory answers like the estate it was recorded from.
    let sub_dir = out.join(SUB).display().to_string();
    for nic in ["nic-app2", "nic-shared", "nic-fw"] {
        assert_eq!(routes_json(&sub_dir, nic), example_json(nic), "{nic}");
    }
    let hop =
        azroute(&["next-hop", "--snapshot", &sub_dir, "--vm", "vm-app2", "--dest-ip", "172.17.1.1", "-o", "json"])
            .ok()
            .json();
    assert_eq!(hop["nextHopType"], "VirtualNetworkGateway");
    // The whole directory adds the Service Tags file: service-endpoint routes expand too, and
    // the manifest and effective-route files are read without a warning.
    let whole = out.display().to_string();
    let app1 = azroute(&["routes", "--snapshot", &whole, "--nic", "nic-app1", "-o", "json"]).ok();
    assert_eq!(app1.json(), example_json("nic-app1"));
    assert!(!app1.stderr.contains("warning"), "{}", app1.stderr);
    // vm-shared is deallocated in the recording: azroute says so.
    let shared = azroute(&["routes", "--snapshot", &whole, "--nic", "nic-shared"]).ok();
    assert!(shared.stderr.contains("is not running (PowerState/deallocated)"), "{}", shared.stderr);

    // Azure's effective routes collected alongside agree with azroute's.
    let actual = out.join(SUB).join("actual").display().to_string();
    let verify = azroute(&["verify", "--snapshot", &whole, "--actual", &actual, "-o", "json"]).ok();
    let v = verify.json();
    assert_eq!(v["summary"]["nics"], 2);
    assert_eq!(v["summary"]["agreement"], 100.0);
    // Without the Service Tags file, verify names it as the cause of nic-app1's difference.
    let verify = azroute(&["verify", "--snapshot", &sub_dir, "--actual", &actual, "-o", "json"]);
    assert_eq!(verify.code, 1, "{}", verify.stderr);
    let v = verify.json();
    let app1 = &v["nics"][0];
    assert_eq!(app1["nic"], "nic-app1");
    assert_eq!(app1["missing"], 1);
    assert_eq!(app1["extra"], 1);
    assert_eq!(app1["likelyCauses"][0]["code"], "ServiceTagsMissing");

    // The manifest.
    let m: Value = serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["azCliVersion"], "2.67.0");
    assert_eq!(m["complete"], false);
    assert!(m["tool"].as_str().unwrap().starts_with("azroute "));
    assert_eq!(m["subscriptions"][0]["status"], "partial");
    assert!(m["subscriptions"][0]["effectiveRouteFailures"][0]["command"].as_str().unwrap().contains("-n nic-fw"));
    // 18, the firewall, firewall policy (with each policy's rule collection groups), IP group
    // and Bastion lists, the NAT gateway, public IP prefix, Application Gateway, scale set and
    // DNS resolver lists, the network manager list, and the (empty) Virtual WAN, ExpressRoute
    // gateway, network virtual appliance and Route Server lists.
    assert_eq!(m["totals"]["files"], 37);
    assert_eq!(m["serviceTags"]["location"], "eastus");

    // No planted secret reaches any file or the terminal.
    for file in all_files(&out) {
        let text = std::fs::read_to_string(&file).unwrap();
        for secret in ["PLANTED-SECRET", "eyJ0eXAiOiJKV1Qi"] {
            assert!(!text.contains(secret), "{secret} in {}", file.display());
        }
    }
    assert!(!run.stderr.contains("PLANTED"));
    let calls = std::fs::read_to_string(out.parent().unwrap().join("state/calls.log")).unwrap();
    assert!(!calls.contains("get-access-token"));
}

#[test]
fn collect_exit_codes() {
    // Not logged in: exit 2 with a hint, nothing written.
    let (run, out) = collect("not-logged-in", "not-logged-in", &[]);
    let run = run.fails();
    assert!(run.stderr.contains("not logged in") && run.stderr.contains("hint: run `az login`"), "{}", run.stderr);
    assert!(!out.exists());

    // A subscription without permission: the others are collected, exit 1.
    let (run, out) = collect("no-permission", "no-permission", &["--subscription", DENIED, "--subscription", SUB]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("AuthorizationFailed"), "{}", run.stderr);
    assert!(run.stderr.contains("the collection is incomplete"), "{}", run.stderr);
    let m: Value = serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["subscriptions"][0]["status"], "failed");
    assert_eq!(m["subscriptions"][1]["status"], "complete");
    routes_json(&out.join(SUB).display().to_string(), "nic-app1");

    // Throttled calls are retried: exit 0, and the retries are on stderr.
    let (run, _) = collect("throttled", "throttled", &[]);
    let run = run.ok();
    assert!(run.stderr.contains("throttled by Azure (429)"), "{}", run.stderr);
    let (run, _) = collect("throttled-no-retry", "throttled", &["--retries", "0"]);
    assert_eq!(run.code, 1, "{}", run.stderr);

    // A non-empty output directory, or no az: exit 2.
    let (run, out) = collect("twice", "ok", &[]);
    run.ok();
    let out_s = out.display().to_string();
    let run = azroute(&["collect", "--out", &out_s, "--az", &fake_az()]).fails();
    assert!(run.stderr.contains("already holds files"), "{}", run.stderr);
    let fresh = temp_dir("cli-collect-no-az").join("out").display().to_string();
    let run = azroute(&["collect", "--out", &fresh, "--az", "/nonexistent/az"]).fails();
    assert!(run.stderr.contains("--az PATH"), "{}", run.stderr);
}

/// A collected Uniform scale set's instance NIC (from `az vmss nic list`) and a DNS resolver's
/// inbound endpoint are in the snapshot (§17.1, §17.3): the instance is a host of its subnet, and
/// the endpoint's address a destination of the resolver, answering DNS.
#[test]
fn collected_scale_set_nics_and_dns_endpoints_answer() {
    let (run, out) = collect("platform", "platform", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let snapshot = out.display().to_string();
    let nic = azroute(&["routes", "--snapshot", &snapshot, "--nic", "rg-app/nic", "-o", "json"]).ok().json();
    assert!(nic["value"].as_array().is_some_and(|r| !r.is_empty()), "{nic}");
    let dns = azroute(&[
        "trace",
        "--snapshot",
        &snapshot,
        "--from",
        "vm-app1",
        "--to",
        "10.0.2.10",
        "--protocol",
        "UDP",
        "--port",
        "53",
        "-o",
        "json",
    ]);
    let v = dns.json();
    let last = v["hops"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["type"], "Destination", "{v}");
    assert!(last["resource"]["id"].as_str().unwrap().ends_with("/dnsResolvers/dnspr-hub/inboundEndpoints/in"), "{v}");
}

/// RI-11 (§20.17) end to end: `collect` lists the network virtual appliances (core az), and the
/// collected hub's private routing intent to a dual-role SD-WAN and NGFW appliance with two
/// instances gets the doctor's `VwanDualRoleNvaEcmp`, naming the appliance.
#[test]
fn collected_hub_appliances_reach_the_doctor() {
    let (run, out) = collect("hubs", "hubs", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let listed = std::fs::read_to_string(out.join(SUB).join("virtual-appliance-list.json")).unwrap();
    assert!(listed.contains("fortinet-ngfw-and-sdwan"), "{listed}");
    let snapshot = out.display().to_string();
    let doctor = azroute(&["doctor", "--snapshot", &snapshot, "-o", "json"]).json();
    let findings = doctor["findings"].as_array().unwrap_or_else(|| panic!("{doctor}"));
    let dual: Vec<&Value> = findings.iter().filter(|f| f["code"] == "VwanDualRoleNvaEcmp").collect();
    assert_eq!(dual.len(), 1, "{doctor}");
    assert!(dual[0].to_string().contains("nva-sdwan"), "{}", dual[0]);
}
