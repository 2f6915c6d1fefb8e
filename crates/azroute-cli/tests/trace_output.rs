//! `azroute trace` output that shows the failure: the `return` key always present, findings
//! ordered by cause, the table's NSG column saying why it is empty, Mermaid that shows the
//! verdict, the failing hop and each finding with its fix, and fixes as complete `az` commands.

mod common;

use std::collections::BTreeSet;

use common::*;

fn trace(args: &[&str]) -> Run {
    azroute(&[&["trace", "--example", "troubleshoot"], args].concat())
}

/// A dropped request has `"return": null`, as the README lists the key.
#[test]
fn return_is_null_when_no_reply_was_traced() {
    let run = trace(&["--from", "vm-web", "--to", "vm-db", "--port", "1433", "-o", "json"]).found_problem();
    let v = run.json();
    assert_eq!(v["verdict"], "Dropped");
    assert!(v.as_object().unwrap().contains_key("return"), "{}", run.stdout);
    assert!(v["return"].is_null());
    // Arrived: the reply is traced.
    let ok = azroute(&["trace", "--example", "hub-spoke", "--from", "vm-app1", "--to", "vm-app2", "-o", "json"]).ok();
    assert_eq!(ok.json()["return"]["verdict"], "Delivered");
}

/// The root cause (the peering that is not Connected) comes before the drop it explains, in
/// JSON and in the table.
#[test]
fn findings_come_root_cause_first() {
    let args = ["--from", "vm-partner", "--to", "vm-db"];
    let v = trace(&[&args[..], &["-o", "json"]].concat()).found_problem().json();
    let codes: Vec<&str> = v["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["PeeringNotConnected", "DroppedByNoneRoute"]);
    let text = trace(&args).found_problem().stdout;
    assert!(text.find("PeeringNotConnected").unwrap() < text.find("DroppedByNoneRoute").unwrap(), "{text}");
}

/// The NSG column says "no NSG" where nothing applies, "n/a" where no NSG can apply, and never
/// stays blank for a NIC.
#[test]
fn nsg_column_says_why_it_is_empty() {
    let text = trace(&["--from", "vm-web", "--to", "vm-db", "--port", "1433"]).found_problem().stdout;
    let fw = text.lines().find(|l| l.starts_with("1  VirtualAppliance")).unwrap();
    assert!(fw.trim_end().ends_with("no NSG"), "{text}");
    let onprem = azroute(&["trace", "--example", "hub-spoke", "--from", "vm-app1", "--to", "172.16.1.10"]).ok().stdout;
    let last = onprem.lines().find(|l| l.contains("  OnPremises  ")).unwrap();
    assert!(last.trim_end().ends_with("n/a"), "{onprem}");
}

/// Mermaid: the title shows the failing verdict, the NVA the reply skips is styled as failing,
/// the finding and its fix are a visible node (not a `%%` comment) linked to it; and the chart
/// is well formed: every linked node is declared, every subgraph ends, every class is defined.
#[test]
fn mermaid_shows_the_failure() {
    let out = trace(&["--from", "vm-app", "--to", "vm-db", "--port", "1433", "-o", "mermaid"]).found_problem().stdout;
    assert!(
        out.contains("subgraph req[\"Request 10.10.6.4 → 10.10.4.4 TCP/1433: Delivered, but fails: AsymmetricPath\"]")
    );
    assert!(out.contains("req1[\"VirtualAppliance<br/>nic-router<br/>10.10.2.4\"]:::failing"), "{out}");
    assert!(out.contains("f0[\"ERROR AsymmetricPath<br/>") && out.contains("<br/>fix: make the reply pass"), "{out}");
    assert!(out.contains("req1 -.- f0"), "{out}");
    assert!(!out.contains("%%"), "{out}");
    assert_well_formed(&out);
    let dropped =
        trace(&["--from", "vm-web", "--to", "vm-db", "--port", "1433", "-o", "mermaid"]).found_problem().stdout;
    assert!(dropped.contains(": Dropped\"]") && dropped.contains("req1[\"VirtualAppliance<br/>nic-fw"), "{dropped}");
    assert!(dropped.contains("IpForwardingDisabled") && dropped.contains("req1 -.- f0"), "{dropped}");
    assert_well_formed(&dropped);
}

/// The structure Mermaid's flowchart grammar needs.
fn assert_well_formed(chart: &str) {
    assert!(chart.starts_with("flowchart TB\n"));
    let lines: Vec<&str> = chart.lines().map(str::trim).collect();
    let opened = lines.iter().filter(|l| l.starts_with("subgraph ")).count();
    assert_eq!(opened, lines.iter().filter(|l| **l == "end").count(), "{chart}");
    let mut declared = BTreeSet::new();
    let mut used = BTreeSet::new();
    let mut classes_used = BTreeSet::new();
    let mut classes_defined = BTreeSet::new();
    for line in &lines {
        if let Some(rest) = line.strip_prefix("classDef ") {
            classes_defined.insert(rest.split_whitespace().next().unwrap().to_string());
        } else if let Some((id, rest)) = line.split_once("[\"") {
            if !id.starts_with("subgraph") {
                declared.insert(id.to_string());
                assert!(rest.contains("\"]"), "unterminated label: {line}");
                if let Some((_, class)) = rest.rsplit_once("\"]:::") {
                    classes_used.insert(class.to_string());
                }
            }
            assert_eq!(rest.matches('"').count(), 1, "a quote inside a label: {line}");
        } else if line.contains("--") {
            let ends: Vec<&str> = line.split(['-', '.', '>', '|']).map(str::trim).filter(|s| !s.is_empty()).collect();
            used.insert(ends[0].to_string());
            used.insert(ends.last().unwrap().to_string());
        }
    }
    assert!(used.is_subset(&declared), "links to undeclared nodes: {:?}", used.difference(&declared));
    assert!(classes_used.is_subset(&classes_defined), "{classes_used:?} vs {classes_defined:?}");
}

/// The same fix, one phrasing, a complete `az` command with resource group and name, in the
/// trace and in the doctor.
#[test]
fn ip_forwarding_fix_is_one_complete_command() {
    let command = "az network nic update -g rg-trouble -n nic-fw --ip-forwarding true";
    let text = trace(&["--from", "vm-web", "--to", "vm-db", "--port", "1433"]).found_problem().stdout;
    assert!(text.contains(command), "{text}");
    let doctor = azroute(&["doctor", "--example", "troubleshoot", "-o", "json"]);
    assert!(doctor.stdout.contains(command), "{}", doctor.stdout);
    assert!(!doctor.stdout.contains("enableIPForwarding = true") && !text.contains("enableIPForwarding = true"));
}

/// §7.6, §10.3 – Azure's IP flow verify is IPv4 only: `ip-flow` refuses an IPv6 address with a
/// message saying so.
#[test]
fn ip_flow_refuses_ipv6() {
    let run = azroute(&[
        "ip-flow",
        "--example",
        "hub-spoke",
        "--vm",
        "vm-app1",
        "--direction",
        "Outbound",
        "--protocol",
        "TCP",
        "--local",
        "[fd00::4]:50000",
        "--remote",
        "10.2.1.4:443",
    ])
    .fails();
    assert!(run.stderr.contains("IP flow verify accepts IPv4 addresses only"), "{}", run.stderr);
}

/// Colour in tables (trace, reach, doctor, diff): on with `--color always`, off with
/// `--color never`, and with `auto` off when stdout is not a terminal (as here) or when
/// `NO_COLOR` is set; JSON is never coloured.
#[test]
fn tables_are_coloured_only_when_asked_or_on_a_terminal() {
    const RED: &str = "\x1b[1;31m";
    const GREEN: &str = "\x1b[32m";
    // The hub-spoke example without the hub's peering to spoke2: reachability is lost.
    let after = temp_dir("colour-diff").join("estate");
    azroute(&["examples", "--export", "hub-spoke", "--out", after.to_str().unwrap()]).ok();
    let vnets_file = after.join("vnet-list.json");
    let mut vnets: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&vnets_file).unwrap()).unwrap();
    for v in vnets.as_array_mut().unwrap().iter_mut().filter(|v| v["name"] == "vnet-hub") {
        v["virtualNetworkPeerings"].as_array_mut().unwrap().retain(|p| !p["name"].as_str().unwrap().contains("spoke2"));
    }
    std::fs::write(&vnets_file, vnets.to_string()).unwrap();
    let commands: [&[&str]; 4] = [
        &["trace", "--example", "troubleshoot", "--from", "vm-web", "--to", "vm-db"],
        &["reach", "--example", "troubleshoot"],
        &["doctor", "--example", "troubleshoot"],
        &["diff", "--before", "example:hub-spoke", "--after", after.to_str().unwrap()],
    ];
    for args in commands {
        let always = azroute(&[args, &["--color", "always"]].concat());
        assert!(always.stdout.contains(RED) || always.stdout.contains(GREEN), "{args:?}: {}", always.stdout);
        assert!(always.stdout.contains("\x1b[0m"), "{args:?}");
        for plain in [
            azroute(&[args, &["--color", "never"]].concat()),
            azroute(args),
            azroute_env(None, &[args, &["--color", "auto"]].concat(), &[("NO_COLOR", "1")]),
        ] {
            assert!(!plain.stdout.contains('\x1b'), "{args:?}: {}", plain.stdout);
        }
    }
    let json = azroute(&[
        "trace",
        "--example",
        "troubleshoot",
        "--from",
        "vm-web",
        "--to",
        "vm-db",
        "--color",
        "always",
        "-o",
        "json",
    ]);
    assert!(!json.stdout.contains('\x1b'));
    json.json();
}
