//! Azure Firewall end to end (§16) on the embedded example `hub-firewall` (the hub-spoke example
//! with an Azure Firewall, a parent and a child policy, in the az CLI's JSON; regenerate with
//! `python3 tools/make_firewall_fixture.py`): `firewall-flow` in JSON and table, `trace` through
//! the firewall with and without `--fqdn`, the doctor on a healthy firewall estate, bad input;
//! the doctor on `firewall-mistakes` (regenerate with `python3 tools/make_firewall_mistakes.py`),
//! which names each typical mistake of §16.7.

mod common;

use azroute_testkit::http;
use common::*;

fn flow(args: &[&str]) -> Run {
    let mut all = vec!["firewall-flow", "--example", "hub-firewall", "--firewall", "fw-hub"];
    all.extend_from_slice(args);
    azroute(&all)
}

/// Spoke to spoke: allowed by the child policy's network rule, no SNAT (private destination).
#[test]
fn network_rule_allows_east_west_without_snat() {
    let run = flow(&["--protocol", "TCP", "--source", "10.1.1.4", "--destination", "10.2.1.4:443", "-o", "json"]).ok();
    let v = run.json();
    assert_eq!(v["action"], "Allow");
    assert_eq!(v["pass"], "Network");
    assert_eq!(v["policy"], "fw-policy-hub");
    assert_eq!(v["ruleCollectionGroup"], "DefaultNetworkRuleCollectionGroup");
    assert_eq!(v["ruleCollection"], "east-west");
    assert_eq!(v["rule"], "spokes-and-hub");
    assert_eq!(v["snat"]["translated"], false);
    assert!(v["dnat"].is_null());
    // Exactly the keys, in its order.
    let keys = [
        "action",
        "pass",
        "policy",
        "ruleCollectionGroup",
        "ruleCollection",
        "rule",
        "snat",
        "dnat",
        "skipped",
        "reasons",
    ];
    let at: Vec<usize> = keys
        .iter()
        .map(|k| run.stdout.find(&format!("\n  \"{k}\":")).unwrap_or_else(|| panic!("no key {k}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{}", run.stdout);
    assert_eq!(v.as_object().unwrap().len(), keys.len());
    assert!(v["reasons"][0].as_str().unwrap().contains("threat intelligence, IDPS and TLS inspection"));
}

/// The parent policy's deny is processed before the child's allow, whatever the priorities.
#[test]
fn parent_policy_deny_comes_first() {
    let run = flow(&["--protocol", "TCP", "--source", "10.1.1.4", "--destination", "10.2.1.4:23", "-o", "json"])
        .found_problem();
    let v = run.json();
    assert_eq!(
        (v["action"].as_str(), v["policy"].as_str(), v["rule"].as_str()),
        (Some("Deny"), Some("fw-policy-base"), Some("no-telnet"))
    );
}

/// DNAT from the Internet to the firewall's public IP, translated and SNATed.
#[test]
fn dnat_to_the_public_ip() {
    let v = flow(&["--protocol", "TCP", "--source", "198.51.100.7", "--destination", "20.81.110.12:443", "-o", "json"])
        .ok()
        .json();
    assert_eq!(v["pass"], "Dnat");
    assert_eq!(v["dnat"]["translatedAddress"], "10.2.1.4");
    assert_eq!(v["snat"]["to"], "AzureFirewallSubnet");
}

/// An application rule needs the host name; `--explain` lists the candidates in order.
#[test]
fn application_rule_needs_fqdn_and_explain_lists_candidates() {
    let args = ["--protocol", "TCP", "--source", "10.1.1.4", "--destination", "52.1.1.1:443"];
    let v = flow(&[&args[..], &["-o", "json", "--explain"]].concat()).found_problem().json();
    assert_eq!(v["action"], "Indeterminate");
    assert_eq!(v["pass"], "Application");
    assert!(v["reasons"][0].as_str().unwrap().contains("--fqdn"), "{}", v["reasons"]);
    let candidates: Vec<(&str, &str)> = v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["ruleCollection"].as_str().unwrap(), c["result"].as_str().unwrap()))
        .collect();
    assert_eq!(
        candidates,
        [
            ("inbound-web", "NoMatch"),
            ("deny-telnet", "NoMatch"),
            ("east-west", "NoMatch"),
            ("east-west", "NoMatch"),
            ("east-west", "NoMatch"),
            ("fqdn-sql", "NoMatch"),
            ("web", "Undecided"),
        ]
    );
    let named = flow(&[&args[..], &["--fqdn", "learn.microsoft.com", "-o", "json"]].concat()).ok().json();
    assert_eq!((named["action"].as_str(), named["snat"]["to"].as_str()), (Some("Allow"), Some("PublicIp")));
    // AzureFirewallSubnet has a NAT gateway: Internet traffic leaves by its address (§17.2).
    assert_eq!(named["snat"]["addresses"][0], "20.81.110.20");
    let table = flow(&[&args[..], &["--fqdn", "learn.microsoft.com"]].concat()).ok().stdout;
    assert!(table.contains("Allow   Application") && table.contains("SNAT: to a public IP"), "{table}");
}

/// The example: vm-app1 → vm-app2 through the firewall is delivered; the doctor finds
/// no firewall next hop unreachable.
#[test]
fn trace_and_doctor_on_a_firewall_estate() {
    let run =
        azroute(&["trace", "--example", "hub-firewall", "--from", "vm-app1", "--to", "vm-app2", "-o", "json"]).ok();
    let v = run.json();
    assert_eq!(v["verdict"], "Delivered");
    let kinds: Vec<&str> = v["hops"].as_array().unwrap().iter().map(|h| h["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["Source", "AzureFirewall", "Destination"], "{v}");
    let internet =
        azroute(&["trace", "--example", "hub-firewall", "--from", "vm-app1", "--to", "52.1.1.1"]).found_problem();
    assert!(internet.stdout.contains("FirewallVerdictIndeterminate"), "{}", internet.stdout);
    let allowed = azroute(&[
        "trace",
        "--example",
        "hub-firewall",
        "--from",
        "vm-app1",
        "--to",
        "52.1.1.1",
        "--fqdn",
        "www.contoso.com",
    ])
    .ok();
    assert!(
        allowed.stdout.contains("ExitedToInternet") && allowed.stdout.contains("source NAT to 20.81.110.20"),
        "{}",
        allowed.stdout
    );
    // The example's one error is its private subnet without egress (`egress.rs`).
    let doctor = azroute(&["doctor", "--example", "hub-firewall", "-o", "json"]).found_problem();
    assert!(!doctor.stdout.contains("NextHopUnreachable") && !doctor.stdout.contains("UdrNextHopNoForwarding"));
}

/// Bad input: an unknown firewall (with the closest name), a destination without a port.
#[test]
fn bad_input_exits_2_with_a_hint() {
    let run = azroute(&[
        "firewall-flow",
        "--example",
        "hub-firewall",
        "--firewall",
        "fw-hbu",
        "--protocol",
        "TCP",
        "--source",
        "10.1.1.4",
        "--destination",
        "10.2.1.4:443",
    ])
    .fails();
    assert!(run.stderr.contains("fw-hub"), "{}", run.stderr);
    let run = flow(&["--protocol", "TCP", "--source", "10.1.1.4", "--destination", "10.2.1.4"]).fails();
    assert!(run.stderr.contains("--destination") && run.stderr.contains("hint"), "{}", run.stderr);
}

/// §16.7: every mistake `firewall-mistakes` makes on purpose is named by the doctor, with the
/// severity of the catalogue, and the exit status says errors were found; `hub-firewall`, the
/// same estate done right, raises none of them but the NSG it keeps on AzureFirewallSubnet.
#[test]
fn doctor_names_each_mistake_of_the_firewall_mistakes_example() {
    let expected = [
        ("FirewallSubnetDefaultRouteNotInternet", "error"),
        ("FirewallManagementSubnetRouteInvalid", "error"),
        ("NsgOnFirewallSubnet", "warning"),
        ("FirewallSubnetTooSmall", "error"),
        ("FirewallNextHopStale", "error"),
        ("FirewallPolicyRuleShadowed", "warning"),
        ("FirewallAppRuleShadowedByNetworkRule", "warning"),
        ("FirewallFqdnNetworkRuleWithoutDnsProxy", "error"),
        ("FirewallParentNatRulesIgnored", "info"),
        ("FirewallSnatRangesDropRfc1918", "warning"),
        ("FirewallChildPolicyDnsNotInherited", "warning"),
        ("FirewallClassicSnatIgnored", "warning"),
        ("FirewallIcmpToInternet", "info"),
        ("FirewallSnatSourceNotAllowedByNsg", "warning"),
        ("PrivateEndpointThroughFirewallNoSnat", "error"),
        ("DnatWithForcedTunnel", "error"),
        ("GatewaySubnetMissingSpokeRoute", "error"),
        ("GatewaySubnetSummaryRouteShadowed", "error"),
        ("SpokePropagationBypassesFirewall", "warning"),
        ("DirectPeeringBypassesFirewall", "info"),
        ("VnetRangeUdrCapturesOwnSubnet", "warning"),
        ("AsymmetricThroughFirewall", "error"),
    ];
    let run = azroute(&["doctor", "--example", "firewall-mistakes", "-o", "json"]).found_problem();
    let v = run.json();
    let findings = v["findings"].as_array().unwrap();
    for (code, severity) in expected {
        let f = findings.iter().find(|f| f["code"] == code).unwrap_or_else(|| panic!("{code} not reported"));
        assert_eq!(f["severity"], severity, "{code}");
        assert!(!f["fix"].as_str().unwrap().is_empty(), "{code}");
    }
    // hub-firewall's one error is its deliberately private subnet (PrivateSubnetNoEgress, §17.2).
    let healthy = azroute(&["doctor", "--example", "hub-firewall", "-o", "json"]).found_problem().json();
    let healthy_codes: Vec<&str> =
        healthy["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    // Its VNets name the firewall as DNS server, as its FQDN network rule needs (§16.7).
    for code in expected.iter().map(|(c, _)| *c).chain(["FirewallDnsProxyNotUsedByClients"]) {
        assert!(!healthy_codes.contains(&code), "{code} on hub-firewall");
    }
    // The table names the mistakes with their resources and words.
    let table = azroute(&["doctor", "--example", "firewall-mistakes", "--only", "GatewaySubnetSummaryRouteShadowed"])
        .found_problem();
    assert!(table.stdout.contains("a summary does not beat the peering routes"), "{}", table.stdout);
}

fn cell<'v>(v: &'v serde_json::Value, source: &str, destination: &str) -> &'v serde_json::Value {
    v["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["source"] == source && c["destination"] == destination)
        .unwrap_or_else(|| panic!("no cell {source} → {destination}"))
}

/// §16.4 in the matrix: the firewall is named under "via"; its deny is the cell's outcome
/// (`Dropped`, `FirewallDeniesFlow`), and a verdict the snapshot cannot decide (HTTPS to the
/// Internet needs the host name the application rules match) is `Indeterminate`, not a drop.
#[test]
fn reach_names_the_firewall_its_denies_and_what_it_cannot_decide() {
    let v = azroute(&["reach", "--example", "hub-firewall", "-o", "json"]).ok().json();
    let east_west = cell(&v, "vnet-spoke1/snet-workload", "vnet-spoke2/snet-app");
    assert_eq!(east_west["reachability"], "DeliveredThroughNva");
    assert_eq!(east_west["via"], serde_json::json!(["fw-hub"]));
    let internet = cell(&v, "vnet-spoke1/snet-workload", "Internet");
    assert_eq!(internet["reachability"], "Indeterminate", "{internet}");
    assert_eq!(internet["code"], "FirewallVerdictIndeterminate", "{internet}");
    assert_eq!(internet["via"], serde_json::json!(["fw-hub"]), "the firewall that cannot decide: {internet}");
    // The hub's shared subnet reaches the Internet directly: no firewall on the way.
    assert_eq!(cell(&v, "vnet-hub/snet-shared", "Internet")["reachability"], "Delivered");
    // Telnet is denied by the parent policy's first collection, east-west too.
    let telnet = azroute(&["reach", "--example", "hub-firewall", "--port", "23", "-o", "json"]).ok().json();
    let denied = cell(&telnet, "vnet-spoke1/snet-workload", "vnet-spoke2/snet-app");
    assert_eq!((&denied["reachability"], &denied["code"]), (&"Dropped".into(), &"FirewallDeniesFlow".into()));
    assert_eq!(denied["via"], serde_json::json!(["fw-hub"]));
    let table = azroute(&["reach", "--example", "hub-firewall"]).ok();
    assert!(table.stdout.contains("Indeterminate 7"), "{}", table.stdout);
}

/// §16.5 in the matrix: a flow whose reply crosses the firewall while its request did not is
/// dropped by the stateful firewall, so the cell is `Dropped` on the reply with
/// `AsymmetricThroughFirewall`, never `Delivered`. Sending the whole hub range to the firewall
/// from spoke 1 does that to Bastion's sessions; the firewall's own subnet, whose instances end
/// the flows they start, is not affected.
#[test]
fn reach_drops_what_the_firewall_sees_one_way_only() {
    let dir = exported("fw-one-way");
    edit_json(&dir.join("route-table-list.json"), |tables| {
        let spoke1 = tables.as_array_mut().unwrap().iter_mut().find(|t| t["name"] == "rt-spoke1").unwrap();
        let id = format!("{SUB}/routeTables/rt-spoke1/routes/hub-via-fw");
        spoke1["routes"].as_array_mut().unwrap().push(serde_json::json!({
            "id": id, "name": "hub-via-fw", "addressPrefix": "10.0.0.0/16", "nextHopType": "VirtualAppliance",
            "nextHopIpAddress": "10.0.1.4", "provisioningState": "Succeeded",
            "type": "Microsoft.Network/routeTables/routes"
        }));
    });
    let snap = dir.to_str().unwrap();
    let v = azroute(&["reach", "--snapshot", snap, "--port", "22", "-o", "json"]).ok().json();
    let bastion = cell(&v, "vnet-hub/AzureBastionSubnet", "vnet-spoke1/snet-workload");
    assert_eq!(bastion["reachability"], "Dropped", "{bastion}");
    assert_eq!(bastion["code"], "AsymmetricThroughFirewall", "{bastion}");
    assert_eq!(bastion["failedDirection"], "Reply", "{bastion}");
    let own = cell(&v, "vnet-hub/AzureFirewallSubnet", "vnet-spoke1/snet-workload");
    assert_ne!(own["reachability"], "Dropped", "{own}");
    assert!(!own["codes"].to_string().contains("AsymmetricThroughFirewall"), "{own}");
    let trace = azroute(&[
        "trace",
        "--snapshot",
        snap,
        "--from",
        "10.0.1.10",
        "--assume-host",
        "--to",
        "vm-app1",
        "--port",
        "22",
        "-o",
        "json",
    ])
    .ok()
    .json();
    assert!(!trace["findings"].to_string().contains("AsymmetricThroughFirewall"), "{trace}");
    // Without that route (the example as written) Bastion's sessions are symmetric.
    let example = azroute(&["reach", "--example", "hub-firewall", "--port", "22", "-o", "json"]).ok().json();
    assert_eq!(cell(&example, "vnet-hub/AzureBastionSubnet", "vnet-spoke1/snet-workload")["reachability"], "Delivered");
}

/// `routes`, `next-hop` and `verify` on the firewall estate: Network Watcher's answer names the
/// firewall's private IP (the platform does not look at the owner), AzureFirewallSubnet keeps
/// its default route to the Internet, the GatewaySubnet sends each spoke to the firewall, and
/// Azure's recorded routes of the spoke NICs (the hub-spoke recordings: the same routes) agree.
#[test]
fn routes_next_hop_and_verify_on_the_firewall_estate() {
    let hop =
        azroute(&["next-hop", "--example", "hub-firewall", "--nic", "nic-app1", "--dest-ip", "10.2.1.4", "-o", "json"])
            .ok()
            .json();
    assert_eq!((&hop["nextHopType"], &hop["nextHopIpAddress"]), (&"VirtualAppliance".into(), &"10.0.1.4".into()));
    let active = |subnet: &str| -> Vec<(String, String)> {
        let v = azroute(&["routes", "--example", "hub-firewall", "--subnet", subnet, "-o", "json"]).ok().json();
        v["value"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["state"] == "Active")
            .map(|r| {
                (r["addressPrefix"][0].as_str().unwrap().to_string(), r["nextHopType"].as_str().unwrap().to_string())
            })
            .collect()
    };
    assert!(active("vnet-hub/AzureFirewallSubnet").contains(&("0.0.0.0/0".into(), "Internet".into())));
    let gateway = active("vnet-hub/GatewaySubnet");
    for spoke in ["10.1.0.0/16", "10.2.0.0/16"] {
        assert!(gateway.contains(&(spoke.into(), "VirtualAppliance".into())), "{gateway:?}");
    }
    // Azure's routes of the hub-and-spoke NVA estate differ from the firewall estate's exactly
    // where the firewall estate routes differently on purpose: the spokes send only the hub
    // subnets the firewall inspects to it (not the whole hub range, which would send Bastion's
    // replies through it, §16.5), and spoke 2 sends 0.0.0.0/0 to the firewall without the
    // gateway's on-premises routes instead of forced tunnelling.
    let hub_routes = ["10.0.0.0/16", "10.0.2.0/24", "10.0.3.0/24"];
    for (nic, also) in [("nic-app1", &[][..]), ("nic-app2", &["0.0.0.0/0", "172.16.0.0/16", "172.17.0.0/16"][..])] {
        let actual = repo_str(&format!("crates/azroute-cli/tests/verify-fixtures/hub-spoke-agree/{nic}.json"));
        let v =
            azroute(&["verify", "--example", "hub-firewall", "--actual", &actual, "-o", "json"]).found_problem().json();
        let differing: std::collections::BTreeSet<&str> = v["nics"][0]["differences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let side = if d["azroute"].is_null() { &d["azure"] } else { &d["azroute"] };
                side["addressPrefix"][0].as_str().unwrap()
            })
            .collect();
        let expected: std::collections::BTreeSet<&str> = hub_routes.iter().chain(also).copied().collect();
        assert_eq!(differing, expected, "{nic}: {v}");
        assert!(v["summary"]["matched"].as_u64().unwrap() >= 3, "{nic}: {v}");
    }
}

const SUB: &str =
    "/subscriptions/00000000-0000-0000-0000-00000000a2e0/resourceGroups/rg-network/providers/Microsoft.Network";

/// Exports the hub-firewall example into a fresh directory.
fn exported(name: &str) -> std::path::PathBuf {
    let out = temp_dir(name).join("estate");
    azroute(&["examples", "--export", "hub-firewall", "--out", out.to_str().unwrap()]).ok();
    out
}

fn edit_json(path: &std::path::Path, change: impl FnOnce(&mut serde_json::Value)) {
    let mut v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    change(&mut v);
    std::fs::write(path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

fn tf_rule(name: &str, src: &str, dst: &str) -> serde_json::Value {
    serde_json::json!({"name": name, "protocols": ["Any"], "source_addresses": [src], "destination_addresses": [dst],
        "destination_ports": ["*"], "destination_fqdns": [], "source_ip_groups": [], "destination_ip_groups": []})
}

/// The child policy's network group as Terraform holds it.
fn tf_network_group() -> serde_json::Value {
    let mut collections = Vec::new();
    collections.push(serde_json::json!({"name": "east-west", "action": "Allow", "priority": 100, "rule": [
        tf_rule("spokes-and-hub", "10.0.0.0/8", "10.0.0.0/8"),
        tf_rule("on-premises", "172.16.0.0/16", "10.0.0.0/8"),
        tf_rule("to-on-premises", "10.0.0.0/8", "172.16.0.0/16")]}));
    collections.push(
        serde_json::json!({"name": "fqdn-sql", "action": "Allow", "priority": 200, "rule": [{"name": "sql",
        "protocols": ["TCP"], "source_addresses": ["10.1.0.0/16"], "destination_addresses": [],
        "destination_fqdns": ["sql.contoso.com"], "destination_ports": ["1433"]}]}),
    );
    serde_json::json!({"id": format!("{SUB}/firewallPolicies/fw-policy-hub/ruleCollectionGroups/DefaultNetworkRuleCollectionGroup"),
        "name": "DefaultNetworkRuleCollectionGroup", "firewall_policy_id": format!("{SUB}/firewallPolicies/fw-policy-hub"),
        "priority": 200, "network_rule_collection": collections, "nat_rule_collection": [], "application_rule_collection": []})
}

/// A Terraform plan that adds a rule collection group with a deny collection ahead of the
/// network group (`azurerm_firewall_policy_rule_collection_group`, priority 150 < 200) shows the
/// reachability it takes away: spoke 1 → spoke 2, now denied by the firewall, computed in full
/// since the firewall changed.
#[test]
fn what_if_a_plan_changes_a_firewall_rule_collection_group() {
    let deny = serde_json::json!({"name": "no-spoke-to-spoke", "action": "Deny", "priority": 100,
        "rule": [tf_rule("spoke1-to-spoke2", "10.1.0.0/16", "10.2.0.0/16")]});
    let group = serde_json::json!({"name": "DenyFirst", "firewall_policy_id": format!("{SUB}/firewallPolicies/fw-policy-hub"),
        "priority": 150, "network_rule_collection": [deny], "nat_rule_collection": [], "application_rule_collection": []});
    let plan = serde_json::json!({"format_version": "1.2", "terraform_version": "1.9.5", "resource_changes": [{
        "address": "azurerm_firewall_policy_rule_collection_group.deny", "mode": "managed",
        "type": "azurerm_firewall_policy_rule_collection_group", "name": "deny",
        "change": {"actions": ["create"], "before": null, "after": group, "after_unknown": {"id": true}}}]});
    let path = temp_dir("what-if-firewall-rule").join("plan.json");
    std::fs::write(&path, plan.to_string()).unwrap();
    let run = azroute(&["what-if", "--example", "hub-firewall", "--plan", path.to_str().unwrap(), "-o", "json"]);
    assert_eq!(run.code, 1, "reachability is lost: {}", run.stderr);
    let v = run.json();
    assert!(v["routes"].as_array().unwrap().is_empty(), "no route changes: {v:#}");
    let mut lost: Vec<(String, String)> = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["change"] == "Lost")
        .map(|c| (c["source"].as_str().unwrap().to_string(), c["destination"].as_str().unwrap().to_string()))
        .collect();
    lost.sort();
    let expected = [
        ("vnet-spoke1/snet-endpoints", "vnet-spoke2/snet-app"),
        ("vnet-spoke1/snet-private", "vnet-spoke2/snet-app"),
        ("vnet-spoke1/snet-workload", "vnet-spoke2/snet-app"),
    ];
    assert_eq!(lost, expected.map(|(a, b)| (a.to_string(), b.to_string())), "{v:#}");
    let text = azroute(&["what-if", "--example", "hub-firewall", "--plan", path.to_str().unwrap()]).found_problem();
    assert!(text.stdout.contains("Dropped FirewallDeniesFlow via fw-hub"), "{}", text.stdout);
    // The same plan without the deny changes nothing.
    let same = serde_json::json!({"format_version": "1.2", "terraform_version": "1.9.5", "resource_changes": [{
        "address": "azurerm_firewall_policy_rule_collection_group.net", "mode": "managed",
        "type": "azurerm_firewall_policy_rule_collection_group", "name": "net",
        "change": {"actions": ["update"], "before": tf_network_group(), "after": tf_network_group()}}]});
    std::fs::write(&path, same.to_string()).unwrap();
    let v =
        azroute(&["what-if", "--example", "hub-firewall", "--plan", path.to_str().unwrap(), "-o", "json"]).ok().json();
    assert!(v["reachability"].as_array().unwrap().is_empty(), "{v:#}");
}

/// `diff` of two exports that differ by one firewall rule, in a policy's group and in a classic
/// firewall's inline collection: the reachability it changes, both ways.
#[test]
fn diff_of_one_firewall_rule_in_a_policy_and_in_a_classic_collection() {
    let before = exported("diff-fw-before");
    let after = exported("diff-fw-after");
    // The parent policy's telnet deny now covers HTTPS too.
    edit_json(&after.join("firewall-policy-rule-collection-groups.json"), |groups| {
        let base = groups.as_array_mut().unwrap().iter_mut().find(|g| g["name"] == "BaseNetwork").unwrap();
        base["ruleCollections"][0]["rules"][0]["destinationPorts"] = serde_json::json!(["23", "443"]);
    });
    let run =
        azroute(&["diff", "--before", before.to_str().unwrap(), "--after", after.to_str().unwrap(), "-o", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v = run.json();
    let lost: Vec<&serde_json::Value> =
        v["reachability"].as_array().unwrap().iter().filter(|c| c["change"] == "Lost").collect();
    assert!(!lost.is_empty() && lost.iter().all(|c| c["after"]["code"] == "FirewallDeniesFlow"), "{v:#}");
    assert!(
        lost.iter().any(|c| c["source"] == "vnet-spoke1/snet-workload" && c["destination"] == "vnet-spoke2/snet-app")
    );

    // The same firewall with classic (inline) rules instead of a policy.
    let classic = |dir: &std::path::Path, ports: &[&str]| {
        edit_json(&dir.join("firewall-list.json"), |fws| {
            let fw = &mut fws[0];
            fw.as_object_mut().unwrap().remove("firewallPolicy");
            fw["networkRuleCollections"] = serde_json::json!([{"name": "east-west", "priority": 100, "action": {"type": "Allow"},
                "rules": [{"name": "spokes", "protocols": ["TCP"], "sourceAddresses": ["10.0.0.0/8"],
                    "destinationAddresses": ["10.0.0.0/8"], "destinationPorts": ports}]}]);
        });
    };
    let (classic_before, classic_after) = (exported("diff-classic-before"), exported("diff-classic-after"));
    classic(&classic_before, &["22"]);
    classic(&classic_after, &["22", "443"]);
    let run = azroute(&[
        "diff",
        "--before",
        classic_before.to_str().unwrap(),
        "--after",
        classic_after.to_str().unwrap(),
        "-o",
        "json",
    ]);
    assert_eq!(run.code, 0, "only newly allowed: {}", run.stderr);
    let v = run.json();
    let gained: Vec<&serde_json::Value> =
        v["reachability"].as_array().unwrap().iter().filter(|c| c["change"] == "NewlyAllowed").collect();
    assert!(
        gained.iter().any(|c| c["source"] == "vnet-spoke1/snet-workload" && c["destination"] == "vnet-spoke2/snet-app"),
        "{v:#}"
    );
    assert!(gained.iter().all(|c| c["before"]["code"] == "FirewallDeniesFlow"), "{v:#}");
}

/// A cell a firewall leaves undecided on one side is `Undecided` in a diff, never `Lost` nor
/// `NewlyAllowed` (§16.4): spoke 1's HTTPS to the Internet needs the host name the application
/// rules match; a network rule allowing it makes the after side decided.
#[test]
fn diff_calls_a_cell_the_firewall_leaves_undecided_undecided() {
    let before = exported("diff-undecided-before");
    let after = exported("diff-undecided-after");
    edit_json(&after.join("firewall-policy-rule-collection-groups.json"), |groups| {
        let network = groups
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|g| g["name"] == "DefaultNetworkRuleCollectionGroup")
            .unwrap();
        network["ruleCollections"].as_array_mut().unwrap().push(serde_json::json!({
            "ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": "web-out", "priority": 300,
            "action": {"type": "Allow"}, "rules": [{"ruleType": "NetworkRule", "name": "https", "ipProtocols": ["TCP"],
                "sourceAddresses": ["10.1.0.0/16"], "destinationAddresses": ["*"], "destinationPorts": ["443"]}]}));
    });
    let run =
        azroute(&["diff", "--before", before.to_str().unwrap(), "--after", after.to_str().unwrap(), "-o", "json"]);
    assert_eq!(run.code, 0, "nothing is lost: {}", run.stderr);
    let v = run.json();
    let changes = v["reachability"].as_array().unwrap();
    let internet = changes
        .iter()
        .find(|c| c["source"] == "vnet-spoke1/snet-workload" && c["destination"] == "Internet")
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(internet["change"], "Undecided", "{internet}");
    assert!(changes.iter().all(|c| c["change"] != "NewlyAllowed" && c["change"] != "Lost"), "{v:#}");
    assert!(v["summary"]["undecided"].as_u64().unwrap() >= 1, "{v:#}");
}

fn hop_summary(path: &serde_json::Value) -> Vec<(String, String)> {
    let hops = path["hops"].as_array().unwrap();
    hops.iter().map(|h| (h["type"].as_str().unwrap().into(), h["address"].as_str().unwrap_or("").into())).collect()
}

/// The trace's findings (the reply's among them).
fn codes_of(v: &serde_json::Value) -> Vec<&str> {
    v["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect()
}

/// From the Internet to the firewall's public IP (§16.3, §16.4): the DNAT rule `web-to-app2`
/// translates 20.81.110.12:443 to 10.2.1.4:443 and SNATs to the firewall's address; the reply
/// comes back to the firewall by ordinary routing and leaves by the Internet route of
/// `AzureFirewallSubnet`, with no forced-tunnel complaint (the reply goes to the firewall, not
/// to the client). Another port meets no DNAT rule: the firewall's default deny.
#[test]
fn internet_client_reaches_the_dnat_backend_and_gets_its_reply() {
    let args = ["trace", "--example", "hub-firewall", "--from", "203.0.113.50", "--to", "20.81.110.12"];
    let run = azroute(&[&args[..], &["--port", "443", "-o", "json"]].concat()).ok();
    let v = run.json();
    assert_eq!(v["verdict"], "Delivered");
    let own = |pairs: &[(&str, &str)]| pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
    assert_eq!(
        hop_summary(&v),
        own(&[("Internet", "203.0.113.50"), ("AzureFirewall", "10.0.1.4"), ("Destination", "10.2.1.4")])
    );
    let notes = v["hops"][1]["notes"].to_string();
    assert!(notes.contains("rule `web-to-app2`") && notes.contains("destination NAT to 10.2.1.4:443"), "{notes}");
    assert!(notes.contains("source NAT to 10.0.1.4"), "{notes}");
    assert_eq!(v["return"]["verdict"], "ExitedToInternet");
    assert_eq!(
        hop_summary(&v["return"]),
        own(&[("Source", "10.2.1.4"), ("AzureFirewall", "10.0.1.4"), ("Internet", "203.0.113.50")])
    );
    assert!(codes_of(&v).is_empty(), "{v}");
    // No DNAT rule for SSH: denied by default, at the firewall.
    let ssh = azroute(&[&args[..], &["--port", "22", "-o", "json"]].concat()).found_problem().json();
    assert_eq!((ssh["verdict"].as_str(), codes_of(&ssh)), (Some("Dropped"), vec!["FirewallDeniesFlow"]));
    assert!(ssh["findings"][0]["evidence"].to_string().contains("default deny"), "{ssh}");
}

/// `firewall-mistakes` forced-tunnels `AzureFirewallSubnet` to the VPN gateway and keeps its
/// DNAT rule: the request arrives, the reply leaves for on-premises, and the trace says
/// `DnatWithForcedTunnel` (§16.7), an error.
#[test]
fn dnat_reply_forced_into_the_tunnel_is_named() {
    let run = azroute(&[
        "trace",
        "--example",
        "firewall-mistakes",
        "--from",
        "203.0.113.50",
        "--to",
        "20.81.110.12",
        "--port",
        "443",
        "-o",
        "json",
    ])
    .found_problem();
    let v = run.json();
    assert_eq!(
        (v["verdict"].as_str(), v["return"]["verdict"].as_str()),
        (Some("Delivered"), Some("ExitedToOnPremises"))
    );
    assert_eq!(codes_of(&v), ["DnatWithForcedTunnel"], "{v}");
    assert_eq!(v["return"]["findings"][0]["code"], "DnatWithForcedTunnel");
}

/// `firewall-mistakes` keeps a private subnet's routes to spoke 1 local while spoke 1 sends the
/// hub's range to the firewall: the request skips the firewall, the reply reaches it and is
/// dropped there (§16.5). The trace says `Dropped` on the reply, as `reach` does for the cell.
#[test]
fn reply_dropped_by_a_firewall_without_a_session_says_dropped() {
    let args = ["trace", "--example", "firewall-mistakes", "--from", "10.1.3.4", "--assume-host", "--to", "10.1.1.4"];
    let v = azroute(&[&args[..], &["-o", "json"]].concat()).found_problem().json();
    assert_eq!((v["verdict"].as_str(), v["return"]["verdict"].as_str()), (Some("Delivered"), Some("Dropped")), "{v}");
    assert_eq!(codes_of(&v), ["AsymmetricThroughFirewall"], "{v}");
    let hops = v["return"]["hops"].as_array().unwrap();
    assert_eq!(hops.last().unwrap()["resource"]["name"], "fw-hub", "{v}");
    let text = azroute(&args).found_problem().stdout;
    assert!(text.contains(": Dropped") && text.contains("saw no session start"), "{text}");
}

/// The firewall and egress options (C20, C21, C23) reach every command that answers, not only
/// `trace` and `firewall-flow`: the doctor (a parent's NAT collections are processed, so not
/// reported as ignored), the matrix (a subnet that does not say `defaultOutboundAccess` taken as
/// private loses its Internet egress), the trace's assumptions, and the web API of `serve`.
#[test]
fn firewall_and_egress_options_reach_doctor_reach_trace_and_the_api() {
    let codes = |args: &[&str]| azroute(args).json()["findings"].to_string();
    let doctor = ["doctor", "--example", "firewall-mistakes", "-o", "json"];
    assert!(codes(&doctor).contains("FirewallParentNatRulesIgnored"));
    assert!(!codes(&[&doctor[..], &["--inherit-parent-dnat"]].concat()).contains("FirewallParentNatRulesIgnored"));

    let reach = ["reach", "--example", "hub-firewall", "-o", "json"];
    let private = [&reach[..], &["--default-outbound-unset", "private"]].concat();
    let (default_run, private_run) = (azroute(&reach).json(), azroute(&private).json());
    // Only `snet-private` says `defaultOutboundAccess: false`; taken as private, the subnets that
    // do not say it lose their Internet egress too.
    let no_egress = |v: &serde_json::Value| v.to_string().matches("PrivateSubnetNoEgress").count();
    assert!(no_egress(&private_run) > no_egress(&default_run), "{private_run}");
    assert!(private_run["summary"]["Dropped"].as_u64() > default_run["summary"]["Dropped"].as_u64(), "{private_run}");

    let dnat = [
        "trace",
        "--example",
        "hub-firewall",
        "--from",
        "203.0.113.50",
        "--to",
        "20.81.110.12",
        "--port",
        "443",
        "-o",
        "json",
    ];
    let assumed = |args: &[&str]| azroute(args).ok().json()["assumptions"].to_string();
    assert!(assumed(&dnat).contains("a DNAT match is final"));
    assert!(
        assumed(&[&dnat[..], &["--dnat-respects-network-deny"]].concat()).contains("was run through the network rules")
    );

    let serve = Serve::start(&["--example", "hub-firewall", "--default-outbound-unset", "private"]);
    let api = http::get(serve.address, "/api/reach").text();
    assert_eq!(api, azroute(&private).stdout);
}

/// `doctor` and `reach` say which firewall and egress options they assumed (§16.6, §17.4), in
/// JSON and tables, and the flags change what they say; `firewall-flow` to the firewall's
/// private IP says which reading of C33 it assumed.
#[test]
fn doctor_and_reach_list_the_modelling_options_assumed() {
    for command in ["doctor", "reach"] {
        let v = azroute(&[command, "--example", "hub-firewall", "-o", "json"]).json();
        let assumed = v["assumptions"].to_string();
        assert!(
            assumed.contains("C33, --dnat-private-ip-unsupported") && assumed.contains("matched on Standard"),
            "{assumed}"
        );
        assert!(assumed.contains("--default-outbound-unset allowed"), "{assumed}");
        let v = azroute(&[
            command,
            "--example",
            "hub-firewall",
            "--dnat-private-ip-unsupported",
            "--default-outbound-unset",
            "private",
            "-o",
            "json",
        ])
        .json();
        let assumed = v["assumptions"].to_string();
        assert!(assumed.contains("never matched") && assumed.contains("read as private subnets"), "{assumed}");
    }
    let table = azroute(&["doctor", "--example", "hub-firewall"]).stdout;
    assert!(table.contains("assumed: Azure Firewall rules evaluated with"), "{table}");
    let to_private = ["--protocol", "TCP", "--source", "10.1.1.4", "--destination", "10.0.1.4:8443", "-o", "json"];
    let v = flow(&to_private).json();
    assert!(v["reasons"].to_string().contains("C33"), "{v}");
}
