//! Large-estate features end to end: `--quiet` on every command, no progress text when
//! stderr is not a terminal, and `reach --by vnet` against the subnet matrix summed by VNet.

mod common;

use std::collections::BTreeMap;

use common::*;
use serde_json::Value;

const COMMANDS: &[&str] = &[
    "routes",
    "next-hop",
    "security-rules",
    "ip-flow",
    "trace",
    "firewall-flow",
    "reach",
    "diff",
    "what-if",
    "doctor",
    "serve",
    "report",
    "verify",
    "collect",
    "examples",
    "generate",
    "completions",
    "man",
];

#[test]
fn quiet_is_accepted_by_every_command() {
    let help = azroute(&["--help"]).ok().stdout;
    for command in COMMANDS {
        assert!(help.contains(&format!("  {command} ")), "`{command}` is a command of `azroute --help`");
        // Missing arguments are reported (or the command runs): `--quiet` itself is never refused.
        for args in [vec![*command, "--quiet"], vec!["--quiet", *command], vec![*command, "-q"]] {
            let run = azroute(&args);
            assert!(!run.stderr.contains("unexpected argument"), "{args:?}: {}", run.stderr);
            assert!(!run.stderr.contains("internal error"), "{args:?}: {}", run.stderr);
        }
    }
}

#[test]
fn quiet_silences_warnings_but_not_the_answer() {
    let loud = azroute(&["reach", "--example", "troubleshoot", "-o", "csv"]).ok();
    let quiet = azroute(&["reach", "--example", "troubleshoot", "-o", "csv", "--quiet"]).ok();
    assert_eq!(loud.stdout, quiet.stdout);
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
}

#[test]
fn no_progress_is_drawn_when_stderr_is_not_a_terminal() {
    for args in [
        &["reach", "--example", "hub-spoke"][..],
        &["reach", "--example", "hub-spoke", "--by", "vnet", "-o", "json"],
        &["diff", "--before", "example:hub-spoke", "--after", "example:hub-spoke"],
        &["doctor", "--example", "hub-spoke"],
        &["routes", "--example", "hub-spoke", "--all", "-o", "json"],
    ] {
        let run = azroute(args);
        for stage in ["tracing class pairs", "address classes", "matrix cells", "reading", "writing", "elapsed"] {
            assert!(!run.stderr.contains(stage), "{args:?} drew progress on a pipe: {}", run.stderr);
        }
        assert!(!run.stderr.contains('\r') && !run.stderr.contains('\u{1b}'), "{args:?}: {:?}", run.stderr);
    }
}

/// (source VNet, destination) → subnet cells per reachability, from the subnet matrix's JSON.
fn summed_by_vnet(subnet: &Value) -> BTreeMap<(String, String), BTreeMap<String, u64>> {
    let mut out: BTreeMap<(String, String), BTreeMap<String, u64>> = BTreeMap::new();
    for cell in subnet["cells"].as_array().unwrap() {
        let source = cell["source"].as_str().unwrap().split('/').next().unwrap().to_string();
        let destination = cell["destination"].as_str().unwrap();
        let destination = match cell["destinationType"].as_str().unwrap() {
            "Subnet" => destination.split('/').next().unwrap().to_string(),
            _ => destination.to_string(),
        };
        let reach = cell["reachability"].as_str().unwrap().to_string();
        *out.entry((source, destination)).or_default().entry(reach).or_default() += 1;
    }
    out
}

#[test]
fn reach_by_vnet_json_sums_the_subnet_matrix() {
    for example in ["hub-spoke", "hub-firewall", "troubleshoot"] {
        let subnet = azroute(&["reach", "--example", example, "-o", "json"]).ok().json();
        let vnet = azroute(&["reach", "--example", example, "--by", "vnet", "-o", "json"]).ok().json();
        assert_eq!(vnet["by"], "vnet");
        let cells = vnet["cells"].as_array().unwrap();
        assert_eq!(cells.len(), vnet["rows"].as_array().unwrap().len() * vnet["columns"].as_array().unwrap().len());
        let mut from_vnet: BTreeMap<(String, String), BTreeMap<String, u64>> = BTreeMap::new();
        for cell in cells {
            let counts: BTreeMap<String, u64> = cell["reachability"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
                .collect();
            assert_eq!(counts.values().sum::<u64>(), cell["subnetCells"].as_u64().unwrap(), "{cell}");
            let key = (cell["source"].as_str().unwrap().to_string(), cell["destination"].as_str().unwrap().to_string());
            from_vnet.insert(key, counts);
        }
        assert_eq!(from_vnet, summed_by_vnet(&subnet), "{example}");
        assert_eq!(vnet["stats"], subnet["stats"], "{example}: the same classes and traces");
    }
}

#[test]
fn reach_by_vnet_problems_table_and_csv() {
    let all = azroute(&["reach", "--example", "troubleshoot", "--by", "vnet", "-o", "json"]).ok().json();
    let problems =
        azroute(&["reach", "--example", "troubleshoot", "--by", "vnet", "--problems", "-o", "json"]).ok().json();
    let failing = |c: &&Value| !matches!(c["worst"].as_str(), Some("Delivered" | "DeliveredThroughNva"));
    let expected: Vec<&Value> = all["cells"].as_array().unwrap().iter().filter(failing).collect();
    assert!(!expected.is_empty(), "troubleshoot is broken on purpose");
    assert_eq!(problems["cells"].as_array().unwrap().iter().collect::<Vec<_>>(), expected);
    assert_eq!(problems["summary"], all["summary"], "the summary counts every cell");

    let csv = azroute(&["reach", "--example", "troubleshoot", "--by", "vnet", "--problems", "-o", "csv"]).ok().stdout;
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "Source,Destination,DestinationType,SubnetCells,Worst,Delivered,DeliveredThroughNva,Asymmetric,Dropped,Mixed,Codes"
    );
    assert_eq!(lines.count(), expected.len());
    let table = azroute(&["reach", "--example", "troubleshoot", "--by", "vnet"]).ok().stdout;
    assert!(table.starts_with("Source"), "{table}");
    for cell in &expected {
        assert!(table.contains(cell["source"].as_str().unwrap()), "{table}");
    }
    assert!(table.contains("VNet cells summarising"), "{table}");
}
