//! `azroute generate` and whole-estate `routes --all` end to end: a small generated estate
//! ingests cleanly, its routes make sense for a spoke NIC and the hub, the same seed writes the
//! same bytes, and `--all` streams, for every NIC, exactly the routes `routes --nic` prints.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

const SMALL: &[&str] = &[
    "--hubs",
    "2",
    "--spokes-per-hub",
    "3",
    "--subnets-per-spoke",
    "3",
    "--nics-per-subnet",
    "2",
    "--routes-per-table",
    "8",
    "--private-endpoints",
    "4",
];

fn generate(name: &str, extra: &[&str]) -> PathBuf {
    let out = temp_dir(name).join("estate");
    let mut args = vec!["generate", "--out", out.to_str().expect("utf-8 path")];
    args.extend_from_slice(SMALL);
    args.extend_from_slice(extra);
    let run = azroute(&args).ok();
    assert!(run.stdout.contains("wrote "), "{}", run.stdout);
    out
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("list").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("inside").display().to_string();
                out.push((rel, std::fs::read(&p).expect("read")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn generated_estate_ingests_cleanly_and_routes_a_spoke_and_the_hub() {
    let dir = generate("gen-small", &[]);
    let snap = dir.to_str().expect("utf-8");
    // No warnings at all: every reference resolves, every prefix is valid.
    let run = azroute(&["routes", "--snapshot", snap, "--nic", "nic-hub00-s0001-n0-000", "-o", "json"]).ok();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let routes = run.json()["value"].as_array().expect("routes").clone();
    let find = |prefix: &str, source: &str| {
        routes
            .iter()
            .find(|r| r["addressPrefix"][0] == prefix && r["source"] == source)
            .unwrap_or_else(|| panic!("no {source} route for {prefix}: {routes:#?}"))
            .clone()
    };
    // The spoke's default route goes to the hub's firewall (the load balancer's frontend).
    let default = find("0.0.0.0/0", "User");
    assert_eq!(default["nextHopType"], "VirtualAppliance");
    assert_eq!(default["state"], "Active");
    assert_eq!(find("0.0.0.0/0", "Default")["state"], "Invalid");
    // Peering to the hub, and on-premises prefixes learned by the hub's gateway (gateway transit).
    let peering = routes.iter().find(|r| r["nextHopType"] == "VNetPeering" || r["nextHopType"] == "VNetGlobalPeering");
    assert!(peering.is_some(), "{routes:#?}");
    assert!(routes.iter().any(|r| r["source"] == "VirtualNetworkGateway"), "{routes:#?}");
    // Next hop: the Internet goes through the firewall; the hub's on-premises site
    // (172.16.0.0/16, learned by its gateway) is more specific than the user route for
    // 172.16.0.0/12, so it goes straight to the gateway (longest prefix first).
    let next_hop = |dest: &str| {
        azroute(&["next-hop", "--snapshot", snap, "--nic", "nic-hub00-s0001-n0-000", "--dest-ip", dest, "-o", "json"])
            .ok()
            .json()
    };
    assert_eq!(next_hop("8.8.8.8")["nextHopType"], "VirtualAppliance");
    assert_eq!(next_hop("172.16.1.1")["nextHopType"], "VirtualNetworkGateway");

    // The hub's GatewaySubnet sends each spoke through the firewall; a hub NIC sees every spoke.
    let gw = azroute(&["routes", "--snapshot", snap, "--subnet", "vnet-hub00/GatewaySubnet", "-o", "json"]).ok().json();
    let user: Vec<&Value> = gw["value"].as_array().expect("routes").iter().filter(|r| r["source"] == "User").collect();
    assert_eq!(user.len(), 3, "{gw:#}");
    let hub = azroute(&["routes", "--snapshot", snap, "--nic", "nic-hub00-shared-000", "-o", "json"]).ok().json();
    let peerings = hub["value"]
        .as_array()
        .expect("routes")
        .iter()
        .filter(|r| r["source"] == "Default" && r["nextHopType"].as_str().unwrap_or("").starts_with("VNet"))
        .count();
    assert_eq!(peerings, 3 + 1, "three spokes and the other hub: {hub:#}");
}

#[test]
fn same_seed_same_bytes() {
    let a = generate("gen-seed-a", &["--seed", "42"]);
    let b = generate("gen-seed-b", &["--seed", "42"]);
    let c = generate("gen-seed-c", &["--seed", "43"]);
    assert_eq!(files(&a), files(&b));
    assert_ne!(files(&a), files(&c));
    // A non-empty directory is refused rather than mixed with another estate.
    let again = azroute(&["generate", "--out", a.to_str().expect("utf-8")]).fails();
    assert!(again.stderr.contains("not empty"), "{}", again.stderr);
}

#[test]
fn all_streams_every_nic_exactly_as_routes_nic() {
    let dir = generate("gen-all", &[]);
    let snap = dir.to_str().expect("utf-8");
    let all = azroute(&["routes", "--snapshot", snap, "--all", "-o", "json"]).ok();
    let v = all.json();
    let entries = v["value"].as_array().expect("a list");
    // 2 hubs × (2 NVAs + 2 × 2 shared/mgmt) + 6 spokes × 3 subnets × 2 NICs + 4 endpoint NICs.
    assert_eq!(entries.len(), 2 * 6 + 6 * 3 * 2 + 4);
    for entry in entries.iter().step_by(5) {
        let nic = entry["networkInterface"]["id"].as_str().expect("id");
        let single = azroute(&["routes", "--snapshot", snap, "--nic", nic, "-o", "json"]).ok().json();
        assert_eq!(entry["value"], single["value"], "{nic}");
        assert!(entry["subnet"]["id"].as_str().expect("subnet").contains("/subnets/"));
        assert_eq!(entry["networkInterface"]["name"], nic.rsplit('/').next().expect("name"));
    }
    // CSV: the NIC's id and name, the subnet's id and `vnet/subnet`, then the table's columns,
    // one row per route of every NIC.
    let csv = azroute(&["routes", "--snapshot", snap, "--all", "-o", "csv"]).ok();
    let mut lines = csv.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("NIC,NIC Name,Subnet,VNet/Subnet,Source,State,Address Prefix,Next Hop Type,Next Hop IP,Name")
    );
    let rows = entries.iter().map(|e| e["value"].as_array().expect("routes").len()).sum::<usize>();
    assert_eq!(lines.count(), rows);
    for line in csv.stdout.lines().skip(1).step_by(97) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[1], cells[0].rsplit('/').next().expect("NIC name"), "{line}");
        let (vnet, subnet) = cells[3].split_once('/').expect("vnet/subnet");
        assert!(cells[2].ends_with(&format!("virtualNetworks/{vnet}/subnets/{subnet}")), "{line}");
    }
    // With --explain every entry carries notes; a table is refused with a hint.
    let explained = azroute(&["routes", "--snapshot", snap, "--all", "-o", "json", "--explain"]).ok().json();
    assert!(explained["value"][0]["notes"].is_array());
    assert!(explained["value"][0]["value"][0]["origin"].is_string());
    let table = azroute(&["routes", "--snapshot", snap, "--all"]).fails();
    assert!(table.stderr.contains("-o json"), "{}", table.stderr);
}

/// (source VNet, destination, reachability, code) of every cell of `reach -o csv`.
fn reach_cells(snap: &str, port: &str) -> Vec<(String, String, String, String)> {
    let csv = azroute(&["reach", "--snapshot", snap, "--port", port, "-o", "csv"]).ok().stdout;
    csv.lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            let vnet = f[0].split('/').next().unwrap().to_string();
            (vnet, f[1].to_string(), f[3].to_string(), f[4].to_string())
        })
        .collect()
}

// Issue 18: the realistic rule mix allows the designed flows and denies what it says it denies;
// the legacy mix is kept for comparing older figures.
#[test]
fn realistic_rule_mix_allows_the_designed_flows_and_denies_the_deliberate_ones() {
    let realistic = generate("mix-realistic", &[]);
    let snap = realistic.to_str().unwrap();
    let spoke_to_spoke = |cells: &[(String, String, String, String)]| -> Vec<(String, String)> {
        cells
            .iter()
            .filter(|(from, to, _, _)| {
                from.contains("-spoke") && to.contains("-spoke") && !to.starts_with(from.as_str())
            })
            .map(|(_, _, reach, code)| (reach.clone(), code.clone()))
            .collect()
    };
    let https = reach_cells(snap, "443");
    let across = spoke_to_spoke(&https);
    assert!(!across.is_empty());
    assert!(across.iter().all(|(reach, _)| reach == "DeliveredThroughNva"), "{across:?}");
    // The spokes reach the Internet through the hub's NVAs.
    for (from, to, reach, _) in &https {
        if to == "Internet" && from.contains("-spoke") {
            assert_eq!(reach, "DeliveredThroughNva", "{from} -> Internet");
        }
    }
    // SSH between spokes is denied on purpose (only the hub's management subnet may); a cell
    // holding a private endpoint is Mixed (no NSG applies to it by default).
    let ssh = spoke_to_spoke(&reach_cells(snap, "22"));
    assert!(ssh.iter().all(|(reach, code)| (reach == "Dropped" || reach == "Mixed") && code == "NsgDenied"), "{ssh:?}");
    assert!(ssh.iter().any(|(reach, _)| reach == "Dropped"));

    let legacy = generate("mix-legacy", &["--rule-mix", "legacy"]);
    let legacy_https = spoke_to_spoke(&reach_cells(legacy.to_str().unwrap(), "443"));
    let denied = legacy_https.iter().filter(|(_, code)| code == "NsgDenied").count();
    assert!(denied > 0, "the legacy mix's deny-all drops some of it: {legacy_https:?}");
    let nsg_file = |dir: &Path| -> String {
        let (_, bytes) = files(dir).into_iter().find(|(name, _)| name.ends_with("nsg-list-hub00.json")).unwrap();
        String::from_utf8(bytes).unwrap()
    };
    assert!(nsg_file(&legacy).contains("\"rule-000\"") && !nsg_file(&legacy).contains("allow-web-from-vnet"));
    assert!(nsg_file(&realistic).contains("\"deny-all-inbound\""));
}

/// `--topology vwan`: a Virtual WAN estate the commands read; its spokes are connected to their
/// hubs (each NIC's table shows its hub's prefix over the hub peering).
#[test]
fn generate_vwan_topology() {
    let out = generate("generate-vwan", &["--topology", "vwan"]);
    let dir = out.to_str().unwrap();
    let listed: Vec<String> = files(&out).into_iter().map(|(name, _)| name).collect();
    assert!(listed.iter().any(|f| f.ends_with("vhub-route-table-list-hub00.json")), "{listed:?}");
    assert!(listed.iter().any(|f| f.ends_with("vhub-routing-intent-list-hub00.json")), "{listed:?}");
    assert!(!listed.iter().any(|f| f.ends_with("vhub-routing-intent-list-hub01.json")), "{listed:?}");
    let v = azroute(&["routes", "--snapshot", dir, "--nic", "nic-hub01-s0002-n0-001", "-o", "json"]).ok().json();
    let peering: Vec<&Value> =
        v["value"].as_array().unwrap().iter().filter(|r| r["nextHopType"] == "VNetPeering").collect();
    assert_eq!(peering.len(), 1, "{v}");
    azroute(&["generate", "--out", "/nonexistent-parent/x", "--topology", "mesh"]).fails();
}

/// `--hub-appliance azure-firewall` (§16): the doctor raises no firewall finding on the
/// designed flows, a spoke-to-spoke TCP/443 trace crosses the hub's Azure Firewall allowed by a
/// named rule of the generated policy, and a deliberate deny (SSH towards on-premises) is denied
/// by its named rule; in a Virtual WAN estate, the secured hub's firewall applies the same policy.
#[test]
fn azure_firewall_hubs_allow_the_designed_flows_by_named_rules() {
    let dir = generate("gen-azfw", &["--hub-appliance", "azure-firewall"]);
    let snap = dir.to_str().expect("utf-8");
    let doctor = azroute(&["doctor", "--snapshot", snap, "-o", "json"]).found_problem();
    let findings = doctor.json()["findings"].as_array().expect("findings").clone();
    let firewall: Vec<&Value> = findings
        .iter()
        .filter(|f| {
            let code = f["code"].as_str().unwrap_or("");
            code.contains("Firewall") || code == "AsymmetricPath"
        })
        .collect();
    assert!(firewall.is_empty(), "{firewall:#?}");

    let trace = |to: &str, port: &str| {
        azroute(&[
            "trace",
            "--snapshot",
            snap,
            "--from",
            "nic-hub00-s0000-n0-000",
            "--to",
            to,
            "--port",
            port,
            "-o",
            "json",
        ])
    };
    let web = trace("10.0.1.36", "443").ok().json();
    assert_eq!(web["verdict"], "Delivered", "{web:#}");
    let hop =
        web["hops"].as_array().expect("hops").iter().find(|h| h["type"] == "AzureFirewall").expect("firewall hop");
    assert_eq!(hop["resource"]["name"], "fw-hub00");
    let notes = hop["notes"].to_string();
    assert!(notes.contains("rule `web-between-spokes`") && notes.contains("fw-policy-hub00"), "{notes}");

    let ssh = trace("172.16.0.1", "22").found_problem().json();
    assert_eq!(ssh["verdict"], "Dropped", "{ssh:#}");
    let denied = ssh["findings"].as_array().expect("findings").iter().find(|f| f["code"] == "FirewallDeniesFlow");
    assert!(denied.is_some_and(|f| f["message"].as_str().unwrap_or("").contains("deny-admin-to-on-premises")));

    // Virtual WAN: the secured hub's AZFW_Hub firewall allows the same flow by the same rule.
    let vwan = generate("gen-azfw-vwan", &["--hub-appliance", "azure-firewall", "--topology", "vwan"]);
    let args = ["--from", "nic-hub00-s0000-n0-000", "--to", "10.0.1.36", "--port", "443", "-o", "json"];
    let mut all = vec!["trace", "--snapshot", vwan.to_str().expect("utf-8")];
    all.extend_from_slice(&args);
    let web = azroute(&all).ok().json();
    let hop =
        web["hops"].as_array().expect("hops").iter().find(|h| h["type"] == "AzureFirewall").expect("firewall hop");
    assert!(hop["notes"].to_string().contains("rule `web-between-spokes`"), "{web:#}");
}
