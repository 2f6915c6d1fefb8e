//! The doctor's Azure Firewall checks (§16.7), each both ways: the embedded `hub-firewall`
//! example, which follows the documented hub-and-spoke design (§16.4), raises none of them; one
//! edit of its JSON makes each mistake, and the doctor names it.

use std::path::PathBuf;

use azroute_doctor::{DoctorConfig, run};
use azroute_engine::*;
use azroute_ingest::load_texts;
use azroute_model::*;
use azroute_report::finding_text;
use serde_json::{Value, json};

const SUB: &str =
    "/subscriptions/00000000-0000-0000-0000-00000000a2e0/resourceGroups/rg-network/providers/Microsoft.Network";

/// The example's files, each edited by `edit(file name, JSON)`, loaded.
fn hub_firewall(edit: impl Fn(&str, &mut Value)) -> Snapshot {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../azroute-cli/estates/hub-firewall");
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        edit(&name, &mut v);
        texts.push((name, v.to_string()));
    }
    texts.sort();
    let loaded = load_texts(&texts);
    let errors: Vec<String> =
        loaded.diagnostics.iter().filter(|d| d.severity >= Severity::Error).map(|d| d.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    loaded.snapshot
}

fn findings_with(snap: &Snapshot, config: &DoctorConfig) -> Vec<Finding> {
    let engine = RouteEngine::new(snap, ModelOptions::default());
    run(&engine, config).findings
}

fn findings(snap: &Snapshot) -> Vec<Finding> {
    findings_with(snap, &DoctorConfig::default())
}

fn of_code<'a>(all: &'a [Finding], code: &str) -> Vec<&'a Finding> {
    all.iter().filter(|f| f.code.as_str() == code).collect()
}

/// The one finding of a code, with its words.
fn one(snap: &Snapshot, all: &[Finding], code: &str) -> (Finding, finding_text::FindingText) {
    let found = of_code(all, code);
    assert_eq!(found.len(), 1, "{code}: {:?}", all.iter().map(|f| f.code.as_str()).collect::<Vec<_>>());
    (found[0].clone(), finding_text::render(snap, found[0]))
}

/// The firewall codes of this work (§16.7).
const FIREWALL_CODES: &[&str] = &[
    "FirewallSubnetDefaultRouteNotInternet",
    "FirewallManagementSubnetRouteInvalid",
    "NsgOnFirewallSubnet",
    "FirewallSubnetTooSmall",
    "FirewallSubnetNameInvalid",
    "FirewallNextHopStale",
    "FirewallPolicyRuleShadowed",
    "FirewallAppRuleShadowedByNetworkRule",
    "FirewallFqdnNetworkRuleWithoutDnsProxy",
    "FirewallDnsProxyNotUsedByClients",
    "FirewallParentNatRulesIgnored",
    "FirewallSnatRangesDropRfc1918",
    "FirewallChildPolicyDnsNotInherited",
    "FirewallClassicSnatIgnored",
    "FirewallIcmpToInternet",
    "FirewallSnatSourceNotAllowedByNsg",
    "PrivateEndpointThroughFirewallNoSnat",
    "DnatWithForcedTunnel",
    "GatewaySubnetMissingSpokeRoute",
    "GatewaySubnetSummaryRouteShadowed",
    "SpokePropagationBypassesFirewall",
    "DirectPeeringBypassesFirewall",
    "VnetRangeUdrCapturesOwnSubnet",
    "AsymmetricThroughFirewall",
];

fn tables<'a>(name: &str, v: &'a mut Value) -> Option<&'a mut Vec<Value>> {
    (name == "route-table-list.json").then(|| v.as_array_mut().unwrap())
}

fn table<'a>(all: &'a mut [Value], name: &str) -> &'a mut Value {
    all.iter_mut().find(|t| t["name"] == name).unwrap()
}

fn route<'a>(t: &'a mut Value, name: &str) -> &'a mut Value {
    t["routes"].as_array_mut().unwrap().iter_mut().find(|r| r["name"] == name).unwrap()
}

fn subnet<'a>(vnets: &'a mut Value, vnet: &str, subnet: &str) -> &'a mut Value {
    let v = vnets.as_array_mut().unwrap().iter_mut().find(|v| v["name"] == vnet).unwrap();
    v["subnets"].as_array_mut().unwrap().iter_mut().find(|s| s["name"] == subnet).unwrap()
}

fn groups_of<'a>(name: &str, v: &'a mut Value) -> Option<&'a mut Vec<Value>> {
    (name == "firewall-policy-rule-collection-groups.json").then(|| v.as_array_mut().unwrap())
}

fn child_policy<'a>(name: &str, v: &'a mut Value) -> Option<&'a mut Value> {
    (name == "firewall-policy-list.json")
        .then(|| v.as_array_mut().unwrap().iter_mut().find(|p| p["name"] == "fw-policy-hub").unwrap())
}

/// A route table in the az CLI's shape, for subnet `associated` of `vnet-hub`.
fn new_table(name: &str, propagation_disabled: bool, routes: &[(&str, &str, &str, Option<&str>)]) -> Value {
    let id = format!("{SUB}/routeTables/{name}");
    let routes: Vec<Value> = routes
        .iter()
        .map(|(n, prefix, hop, ip)| {
            let mut r =
                json!({"id": format!("{id}/routes/{n}"), "name": n, "addressPrefix": prefix, "nextHopType": hop});
            if let Some(ip) = ip {
                r["nextHopIpAddress"] = json!(ip);
            }
            r
        })
        .collect();
    json!({"id": id, "name": name, "location": "eastus", "resourceGroup": "rg-network",
        "disableBgpRoutePropagation": propagation_disabled, "routes": routes})
}

fn filter_collection(name: &str, priority: u32, action: &str, rules: Vec<Value>) -> Value {
    json!({"ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": name, "priority": priority,
        "action": {"type": action}, "rules": rules})
}

fn net_rule(name: &str, protocols: &[&str], src: &[&str], dst: &[&str], ports: &[&str]) -> Value {
    json!({"ruleType": "NetworkRule", "name": name, "ipProtocols": protocols, "sourceAddresses": src,
        "destinationAddresses": dst, "destinationPorts": ports})
}

/// Adds a collection to a group of the example.
fn add_collection(groups: &mut [Value], group: &str, collection: Value) {
    let g = groups.iter_mut().find(|g| g["name"] == group).unwrap();
    g["ruleCollections"].as_array_mut().unwrap().push(collection);
}

#[test]
fn the_hub_firewall_example_follows_the_documented_design() {
    let snap = hub_firewall(|_, _| {});
    let all = findings(&snap);
    let raised: Vec<&str> = all.iter().map(|f| f.code.as_str()).filter(|c| FIREWALL_CODES.contains(c)).collect();
    assert!(raised.is_empty(), "{raised:?}");
    // The one error is the example's deliberately private subnet (§17.2), not the firewall's.
    let errors: Vec<&str> = all.iter().filter(|f| f.severity >= Severity::Error).map(|f| f.code.as_str()).collect();
    assert_eq!(errors, ["PrivateSubnetNoEgress"], "{all:?}");
}

/// `NsgOnFirewallSubnet`: the NVA subnet's NSG put on AzureFirewallSubnet, which Azure refuses.
#[test]
fn nsg_on_firewall_subnet() {
    let snap = hub_firewall(|name, v| {
        if name == "vnet-list.json" {
            for vnet in v.as_array_mut().unwrap() {
                for s in vnet["subnets"].as_array_mut().unwrap() {
                    if s["name"] == "AzureFirewallSubnet" {
                        s["networkSecurityGroup"] = json!({"id": format!("{SUB}/networkSecurityGroups/nsg-nva")});
                    }
                }
            }
        }
    });
    let all = findings(&snap);
    let (f, text) = one(&snap, &all, "NsgOnFirewallSubnet");
    assert_eq!(f.severity, Severity::Warning);
    assert!(text.message.contains("nsg-nva"), "{}", text.message);
}

/// §16.4 (`[multi-hub]`): without the GatewaySubnet's route for spoke 1, on-premises → spoke 1
/// goes straight over the peering while spoke 1 → on-premises crosses the firewall.
#[test]
fn gateway_subnet_missing_spoke_route() {
    let snap = hub_firewall(|name, v| {
        if let Some(t) = tables(name, v) {
            table(t, "rt-gateway")["routes"].as_array_mut().unwrap().retain(|r| r["name"] != "to-spoke1-via-fw");
        }
    });
    let all = findings(&snap);
    // One finding for the GatewaySubnet (the cause), with every spoke subnet that sends 0.0.0.0/0
    // to the firewall; spoke 2 keeps its route.
    let (f, text) = one(&snap, &all, "GatewaySubnetMissingSpokeRoute");
    let mut prefixes: Vec<String> = std::iter::once(&f.evidence)
        .chain(&f.grouped)
        .map(|e| match e {
            Evidence::GatewaySubnetMissingSpokeRoute(e) => e.prefix.to_string(),
            other => panic!("{other:?}"),
        })
        .collect();
    prefixes.sort();
    assert_eq!(prefixes, ["10.1.1.0/24", "10.1.2.0/24"]);
    assert_eq!(f.severity, Severity::Error);
    assert!(text.message.contains("VNetPeering"), "{}", text.message);
    assert!(text.fix.contains("VirtualAppliance 10.0.1.4"), "{}", text.fix);
}

/// §16.4: a summary route on the GatewaySubnet loses to the more specific peering route.
#[test]
fn gateway_subnet_summary_route_shadowed() {
    let snap = hub_firewall(|name, v| {
        if let Some(t) = tables(name, v) {
            route(table(t, "rt-gateway"), "to-spoke1-via-fw")["addressPrefix"] = json!("10.0.0.0/8");
        }
    });
    let all = findings(&snap);
    assert!(of_code(&all, "GatewaySubnetMissingSpokeRoute").is_empty());
    let found = of_code(&all, "GatewaySubnetSummaryRouteShadowed");
    assert!(!found.is_empty());
    let Evidence::GatewaySubnetSummaryRouteShadowed(e) = &found[0].evidence else { panic!() };
    assert_eq!(e.by.route().next_hop_type, NextHopType::VNetPeering);
    assert_eq!(e.by.route().prefix_text, ["10.1.0.0/16"]);
}

/// §16.4 (`[tut-hybrid]`): spoke 1 with propagation on takes the gateway's on-premises routes,
/// more specific than its 0.0.0.0/0 to the firewall. rt-endpoints has propagation on too, but
/// user routes for the on-premises prefixes keep them on the firewall: no finding there.
#[test]
fn spoke_propagation_bypasses_firewall() {
    let clean = findings(&hub_firewall(|_, _| {}));
    assert!(of_code(&clean, "SpokePropagationBypassesFirewall").is_empty());
    let snap = hub_firewall(|name, v| {
        if let Some(t) = tables(name, v) {
            table(t, "rt-spoke1")["disableBgpRoutePropagation"] = json!(false);
        }
    });
    let all = findings(&snap);
    let (f, text) = one(&snap, &all, "SpokePropagationBypassesFirewall");
    assert_eq!(f.severity, Severity::Warning);
    let Evidence::SpokePropagationBypassesFirewall(e) = &f.evidence else { panic!() };
    assert_eq!(e.gateway_route_count, 2);
    assert_eq!(snap.subnets[e.subnet.index()].name, "snet-workload");
    assert!(text.evidence.iter().any(|l| l.contains("172.16.0.0/16")), "{:?}", text.evidence);
}

/// §16.4: spokes peered with each other bypass the firewall despite their 0.0.0.0/0 to it,
/// unless a user route names the other's prefix (spoke 2 has one for spoke 1; spoke 1 has none).
#[test]
fn direct_peering_bypasses_firewall() {
    let peering = |from: &str, to: &str, prefix: &str| {
        json!({"id": format!("{SUB}/virtualNetworks/{from}/virtualNetworkPeerings/{from}-to-{to}"),
            "name": format!("{from}-to-{to}"), "peeringState": "Connected", "allowVirtualNetworkAccess": true,
            "allowForwardedTraffic": true, "allowGatewayTransit": false, "useRemoteGateways": false,
            "remoteVirtualNetwork": {"id": format!("{SUB}/virtualNetworks/{to}")},
            "remoteAddressSpace": {"addressPrefixes": [prefix]}})
    };
    let snap = hub_firewall(|name, v| {
        // Both spokes already send 0.0.0.0/0 to the firewall.
        if name == "vnet-list.json" {
            for vnet in v.as_array_mut().unwrap() {
                let p = match vnet["name"].as_str().unwrap() {
                    "vnet-spoke1" => peering("vnet-spoke1", "vnet-spoke2", "10.2.0.0/16"),
                    "vnet-spoke2" => peering("vnet-spoke2", "vnet-spoke1", "10.1.0.0/16"),
                    _ => continue,
                };
                vnet["virtualNetworkPeerings"].as_array_mut().unwrap().push(p);
            }
        }
    });
    let all = findings(&snap);
    let found = of_code(&all, "DirectPeeringBypassesFirewall");
    let from: Vec<&str> = found
        .iter()
        .map(|f| match &f.evidence {
            Evidence::DirectPeeringBypassesFirewall(e) => snap.subnets[e.subnet.index()].name.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(from, ["snet-endpoints", "snet-workload"]);
    assert!(found.iter().all(|f| f.severity == Severity::Info));
}

/// §16.4 (`[faq]`): a route to the firewall for the spoke's own range sends traffic inside the
/// subnet through it; the example's `keep-spoke-local` (VnetLocal) is the documented remedy.
#[test]
fn vnet_range_udr_captures_own_subnet() {
    let snap = hub_firewall(|name, v| {
        if let Some(t) = tables(name, v) {
            let r = route(table(t, "rt-spoke1"), "keep-spoke-local");
            r["nextHopType"] = json!("VirtualAppliance");
            r["nextHopIpAddress"] = json!("10.0.1.4");
        }
    });
    let all = findings(&snap);
    let (f, text) = one(&snap, &all, "VnetRangeUdrCapturesOwnSubnet");
    let Evidence::VnetRangeUdrCapturesOwnSubnet(e) = &f.evidence else { panic!() };
    assert_eq!(e.prefix.to_string(), "10.1.1.0/24");
    assert!(text.fix.contains("10.1.1.0/24 → VnetLocal"), "{}", text.fix);
}

/// Puts a route table on AzureFirewallSubnet.
fn firewall_subnet_table(
    routes: &'static [(&'static str, &'static str, &'static str, Option<&'static str>)],
) -> impl Fn(&str, &mut Value) {
    move |name, v| {
        if let Some(t) = tables(name, v) {
            t.push(new_table("rt-fw", false, routes));
        }
        if name == "vnet-list.json" {
            subnet(v, "vnet-hub", "AzureFirewallSubnet")["routeTable"] =
                json!({"id": format!("{SUB}/routeTables/rt-fw")});
        }
    }
}

/// §16.4: without a management IP configuration, AzureFirewallSubnet keeps 0.0.0.0/0 → Internet;
/// its DNAT rule breaks under forced tunnelling either way.
#[test]
fn firewall_subnet_default_route_not_internet_and_dnat() {
    let forced = hub_firewall(firewall_subnet_table(&[("to-onprem", "0.0.0.0/0", "VirtualNetworkGateway", None)]));
    let all = findings(&forced);
    let (f, _) = one(&forced, &all, "FirewallSubnetDefaultRouteNotInternet");
    assert_eq!(f.severity, Severity::Error);
    let (dnat, text) = one(&forced, &all, "DnatWithForcedTunnel");
    assert_eq!(dnat.severity, Severity::Error);
    assert!(text.evidence.iter().any(|l| l.contains("inbound-web")), "{:?}", text.evidence);

    // The split pair passes Azure's validation and forces the traffic all the same.
    let split = hub_firewall(firewall_subnet_table(&[
        ("low", "0.0.0.0/1", "VirtualNetworkGateway", None),
        ("high", "128.0.0.0/1", "VirtualNetworkGateway", None),
    ]));
    let all = findings(&split);
    let (f, _) = one(&split, &all, "FirewallSubnetDefaultRouteNotInternet");
    let Evidence::FirewallSubnetDefaultRouteNotInternet(e) = &f.evidence else { panic!() };
    assert_eq!(e.routes.len(), 2);

    // 0.0.0.0/0 → Internet, as Azure requires: neither.
    let internet = hub_firewall(firewall_subnet_table(&[("internet", "0.0.0.0/0", "Internet", None)]));
    let all = findings(&internet);
    assert!(of_code(&all, "FirewallSubnetDefaultRouteNotInternet").is_empty());
    assert!(of_code(&all, "DnatWithForcedTunnel").is_empty());

    // With a management IP configuration forced tunnelling is allowed; DNAT still breaks.
    let managed = hub_firewall(|name, v| {
        firewall_subnet_table(&[("to-onprem", "0.0.0.0/0", "VirtualNetworkGateway", None)])(name, v);
        if name == "firewall-list.json" {
            v[0]["managementIpConfiguration"] = json!({"name": "mgmt", "privateIPAddress": "10.0.5.4",
                "subnet": {"id": format!("{SUB}/virtualNetworks/vnet-hub/subnets/AzureFirewallManagementSubnet")}});
        }
    });
    let all = findings(&managed);
    assert!(of_code(&all, "FirewallSubnetDefaultRouteNotInternet").is_empty());
    assert_eq!(of_code(&all, "DnatWithForcedTunnel").len(), 1);
}

/// §16.4 (`[mgmt-nic]`, `[faq]`): the management subnet's one route, its size, NSGs, names.
#[test]
fn management_subnet_size_nsg_and_name() {
    let snap = hub_firewall(|name, v| {
        if let Some(t) = tables(name, v) {
            t.push(new_table("rt-mgmt", false, &[("to-nva", "10.9.0.0/16", "VirtualAppliance", Some("10.0.2.10"))]));
        }
        if name == "vnet-list.json" {
            let hub = v.as_array_mut().unwrap().iter_mut().find(|v| v["name"] == "vnet-hub").unwrap();
            hub["subnets"].as_array_mut().unwrap().push(json!({
                "id": format!("{SUB}/virtualNetworks/vnet-hub/subnets/AzureFirewallManagementSubnet"),
                "name": "AzureFirewallManagementSubnet", "addressPrefix": "10.0.5.0/27",
                "routeTable": {"id": format!("{SUB}/routeTables/rt-mgmt")}}));
        }
    });
    let all = findings(&snap);
    let (f, _) = one(&snap, &all, "FirewallManagementSubnetRouteInvalid");
    let Evidence::FirewallManagementSubnetRouteInvalid(e) = &f.evidence else { panic!() };
    assert_eq!(
        e.problems,
        [
            ManagementRouteProblem::NoDefaultToInternet,
            ManagementRouteProblem::PropagationEnabled,
            ManagementRouteProblem::OtherRoute { index: 0 }
        ]
    );
    let (small, _) = one(&snap, &all, "FirewallSubnetTooSmall");
    let Evidence::FirewallSubnetTooSmall(e) = &small.evidence else { panic!() };
    assert_eq!(e.prefix.to_string(), "10.0.5.0/27");

    let misplaced = hub_firewall(|name, v| {
        if name == "firewall-list.json" {
            v[0]["ipConfigurations"][0]["subnet"]["id"] =
                json!(format!("{SUB}/virtualNetworks/vnet-hub/subnets/snet-shared"));
        }
    });
    let all = findings(&misplaced);
    let (f, _) = one(&misplaced, &all, "FirewallSubnetNameInvalid");
    let Evidence::FirewallSubnetNameInvalid(e) = &f.evidence else { panic!() };
    assert_eq!(misplaced.subnets[e.subnet.index()].name, "snet-shared");
}

/// §16.4 (`[known-issues]`): a route to another address of AzureFirewallSubnet than the
/// firewall's private IP.
#[test]
fn firewall_next_hop_stale() {
    let snap = hub_firewall(|name, v| {
        if let Some(t) = tables(name, v) {
            route(table(t, "rt-gateway"), "to-spoke1-via-fw")["nextHopIpAddress"] = json!("10.0.1.5");
        }
    });
    let all = findings(&snap);
    let (f, text) = one(&snap, &all, "FirewallNextHopStale");
    assert_eq!(f.severity, Severity::Error);
    assert!(text.fix.contains("10.0.1.4"), "{}", text.fix);
    assert!(!of_code(&all, "NextHopUnreachable").is_empty());
}

/// §16.2: an earlier collection's rule (east-west: Any 10.0.0.0/8 → 10.0.0.0/8) takes every flow
/// of a later deny; the FQDN rule `sql` is not claimed (its addresses are the DNS answer).
#[test]
fn firewall_policy_rule_shadowed() {
    let snap = hub_firewall(|name, v| {
        if let Some(g) = groups_of(name, v) {
            let deny = net_rule("no-ssh-spoke2", &["TCP"], &["10.1.0.0/16"], &["10.2.0.0/16"], &["22"]);
            add_collection(
                g,
                "DefaultNetworkRuleCollectionGroup",
                filter_collection("late-deny", 300, "Deny", vec![deny]),
            );
        }
    });
    let all = findings(&snap);
    let (f, text) = one(&snap, &all, "FirewallPolicyRuleShadowed");
    let Evidence::FirewallPolicyRuleShadowed(e) = &f.evidence else { panic!() };
    assert_eq!(e.rule.rule.as_deref(), Some("no-ssh-spoke2"));
    assert_eq!(e.by.rule.as_deref(), Some("spokes-and-hub"));
    assert!(text.message.contains("never applies"), "{}", text.message);
}

/// §16.2, the documentation's first example: a network rule for TCP to any destination on the
/// application rule's ports takes its traffic; one port short, it does not.
#[test]
fn firewall_app_rule_shadowed_by_network_rule() {
    let with_ports = |ports: &'static [&'static str]| {
        hub_firewall(move |name, v| {
            if let Some(g) = groups_of(name, v) {
                let rule = net_rule("web-out", &["TCP"], &["10.0.0.0/8"], &["*"], ports);
                add_collection(
                    g,
                    "DefaultNetworkRuleCollectionGroup",
                    filter_collection("web", 300, "Allow", vec![rule]),
                );
            }
        })
    };
    let snap = with_ports(&["80", "443"]);
    let all = findings(&snap);
    let (f, _) = one(&snap, &all, "FirewallAppRuleShadowedByNetworkRule");
    let Evidence::FirewallAppRuleShadowedByNetworkRule(e) = &f.evidence else { panic!() };
    assert_eq!((e.rule.rule.as_deref(), e.by.rule.as_deref()), (Some("microsoft"), Some("web-out")));
    assert!(of_code(&findings(&with_ports(&["443"])), "FirewallAppRuleShadowedByNetworkRule").is_empty());
}

/// §16.2 (`[fqdn-net]`): the child policy's DNS proxy off (a parent's is not inherited).
#[test]
fn firewall_fqdn_network_rule_without_dns_proxy() {
    let snap = hub_firewall(|name, v| {
        if let Some(p) = child_policy(name, v) {
            p["dnsSettings"]["enableProxy"] = json!(false);
        }
    });
    let all = findings(&snap);
    let (f, _) = one(&snap, &all, "FirewallFqdnNetworkRuleWithoutDnsProxy");
    let Evidence::FirewallFqdnNetworkRuleWithoutDnsProxy(e) = &f.evidence else { panic!() };
    let names: Vec<_> = e.rules.iter().map(|r| r.rule.as_deref().unwrap()).collect();
    assert_eq!(names, ["sql"]);
}

/// §16.7 (`[dns]`): spoke 1 names another DNS server and spoke 2 none (Azure-provided DNS),
/// while the firewall resolves the FQDN of its network rule `sql` itself; the hub keeps the
/// firewall. With the proxy off, the other code says it instead.
#[test]
fn firewall_dns_proxy_not_used_by_clients() {
    let edit = |proxy: bool| {
        move |name: &str, v: &mut Value| {
            if name == "vnet-list.json" {
                for vnet in v.as_array_mut().unwrap() {
                    match vnet["name"].as_str().unwrap() {
                        "vnet-spoke1" => vnet["dhcpOptions"] = json!({"dnsServers": ["10.9.9.9"]}),
                        "vnet-spoke2" => _ = vnet.as_object_mut().unwrap().remove("dhcpOptions"),
                        _ => {}
                    }
                }
            }
            if let Some(p) = child_policy(name, v) {
                p["dnsSettings"]["enableProxy"] = json!(proxy);
            }
        }
    };
    let snap = hub_firewall(edit(true));
    let all = findings(&snap);
    let (f, text) = one(&snap, &all, "FirewallDnsProxyNotUsedByClients");
    assert_eq!(f.severity, Severity::Warning);
    let Evidence::FirewallDnsProxyNotUsedByClients(e) = &f.evidence else { panic!() };
    let vnets: Vec<(&str, Vec<String>)> = e
        .vnets
        .iter()
        .map(|(v, servers)| (snap.vnets[v.index()].name.as_str(), servers.iter().map(|s| s.to_string()).collect()))
        .collect();
    assert_eq!(vnets, [("vnet-spoke1", vec!["10.9.9.9".to_string()]), ("vnet-spoke2", vec![])]);
    assert_eq!(e.private_ip.to_string(), "10.0.1.4");
    assert_eq!(e.rules.iter().map(|r| r.rule.as_deref().unwrap()).collect::<Vec<_>>(), ["sql"]);
    assert!(
        text.fix.contains("10.0.1.4") && text.evidence.iter().any(|l| l.contains("Azure-provided DNS")),
        "{text:?}"
    );
    let off = hub_firewall(edit(false));
    let all = findings(&off);
    assert!(of_code(&all, "FirewallDnsProxyNotUsedByClients").is_empty());
    one(&off, &all, "FirewallFqdnNetworkRuleWithoutDnsProxy");
}

/// §16.7 (`[pe-fw]`): the endpoint's subnet stops applying route tables to it, so its reply to
/// spoke 2, which reaches it through the firewall by the network rule `spokes-and-hub` (no SNAT
/// to a private destination), goes straight back. The port follows the endpoint's groupId; a
/// private-range list that SNATs everything (255.255.255.255/32) removes the finding.
#[test]
fn private_endpoint_through_firewall_no_snat() {
    let edit = |group: &'static str, snat_always: bool| {
        move |name: &str, v: &mut Value| {
            if name == "vnet-list.json" {
                subnet(v, "vnet-spoke1", "snet-endpoints")["privateEndpointNetworkPolicies"] = json!("Disabled");
            }
            if name == "private-endpoint-list.json" {
                v[0]["privateLinkServiceConnections"][0]["groupIds"] = json!([group]);
            }
            if let Some(p) = child_policy(name, v).filter(|_| snat_always) {
                p["snat"]["privateRanges"] = json!(["255.255.255.255/32"]);
            }
        }
    };
    let snap = hub_firewall(edit("blob", false));
    let all = findings(&snap);
    let (f, text) = one(&snap, &all, "PrivateEndpointThroughFirewallNoSnat");
    assert_eq!(f.severity, Severity::Error);
    let Evidence::PrivateEndpointThroughFirewallNoSnat(e) = &f.evidence else { panic!() };
    let subnets: Vec<String> = e.subnets.iter().map(|(s, _)| snap.subnet_label(*s)).collect();
    assert_eq!(subnets, ["vnet-spoke2/snet-app"]);
    assert_eq!(e.subnets[0].1.route().name.as_deref(), Some("spoke1-via-fw"));
    assert_eq!(
        (e.address.to_string(), e.flow.destination_port, e.group_id.as_deref()),
        ("10.1.2.4".into(), Some(443), Some("blob"))
    );
    assert_eq!(e.flow.source.to_string(), "10.2.1.4");
    assert_eq!(e.rule.rule.as_deref(), Some("spokes-and-hub"));
    assert!(text.message.contains("TCP 443, assumed from groupId `blob`"), "{}", text.message);
    let sql = hub_firewall(edit("sqlServer", false));
    let all = findings(&sql);
    let (f, _) = one(&sql, &all, "PrivateEndpointThroughFirewallNoSnat");
    let Evidence::PrivateEndpointThroughFirewallNoSnat(e) = &f.evidence else { panic!() };
    assert_eq!(e.flow.destination_port, Some(1433));
    let snatted = hub_firewall(edit("blob", true));
    assert!(of_code(&findings(&snatted), "PrivateEndpointThroughFirewallNoSnat").is_empty());
}

/// C20: a parent policy's NAT collection is reported as ignored by default, and not with
/// `inherit_parent_dnat`.
#[test]
fn firewall_parent_nat_rules_ignored() {
    let snap = hub_firewall(|name, v| {
        if let Some(g) = groups_of(name, v) {
            let nat = json!({"ruleCollectionType": "FirewallPolicyNatRuleCollection", "name": "base-dnat",
                "priority": 100, "action": {"type": "DNAT"}, "rules": [{"ruleType": "NatRule", "name": "ssh",
                "ipProtocols": ["TCP"], "sourceAddresses": ["*"], "destinationAddresses": ["20.81.110.12"],
                "destinationPorts": ["22"], "translatedAddress": "10.2.1.4", "translatedPort": "22"}]});
            add_collection(g, "BaseNetwork", nat);
        }
    });
    let all = findings(&snap);
    let (f, text) = one(&snap, &all, "FirewallParentNatRulesIgnored");
    assert_eq!(f.severity, Severity::Info);
    assert!(text.message.contains("base-dnat") && text.message.contains("inherit_parent_dnat"), "{}", text.message);
    let inherit = DoctorConfig {
        firewall: FirewallOptions { inherit_parent_dnat: true, ..FirewallOptions::default() },
        ..DoctorConfig::default()
    };
    assert!(of_code(&findings_with(&snap, &inherit), "FirewallParentNatRulesIgnored").is_empty());
}

/// §16.3 (`[snat]`): a custom list without IANAPrivateRanges replaces the default.
#[test]
fn firewall_snat_ranges_drop_rfc1918() {
    let with_ranges = |ranges: Value| {
        hub_firewall(move |name, v| {
            if let Some(p) = child_policy(name, v) {
                p["snat"]["privateRanges"] = ranges.clone();
            }
        })
    };
    let snap = with_ranges(json!(["10.0.0.0/8", "192.168.0.0/17"]));
    let all = findings(&snap);
    let (f, _) = one(&snap, &all, "FirewallSnatRangesDropRfc1918");
    let Evidence::FirewallSnatRangesDropRfc1918(e) = &f.evidence else { panic!() };
    let uncovered: Vec<String> = e.uncovered.iter().map(|p| p.to_string()).collect();
    assert_eq!(uncovered, ["172.16.0.0/12", "192.168.0.0/16"]);
    for fine in [
        json!(["IANAPrivateRanges", "198.51.100.0/24"]),
        json!(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]),
        json!(["255.255.255.255/32"]),
    ] {
        assert!(of_code(&findings(&with_ranges(fine.clone())), "FirewallSnatRangesDropRfc1918").is_empty(), "{fine}");
    }
}

fn parent_policy<'a>(name: &str, v: &'a mut Value) -> Option<&'a mut Value> {
    (name == "firewall-policy-list.json")
        .then(|| v.as_array_mut().unwrap().iter_mut().find(|p| p["name"] == "fw-policy-base").unwrap())
}

/// §16.2 (`[known-issues]` 2025): DNS proxy on in the parent, off in the child, which does not
/// inherit it; not raised when the parent's is off too (then only the missing proxy is).
#[test]
fn firewall_child_policy_dns_not_inherited() {
    let with_parent_proxy = |parent_proxy: bool| {
        hub_firewall(move |name, v| {
            if let Some(p) = parent_policy(name, v) {
                p["dnsSettings"] = json!({"enableProxy": parent_proxy});
            }
            if let Some(p) = child_policy(name, v) {
                p["dnsSettings"]["enableProxy"] = json!(false);
            }
        })
    };
    let snap = with_parent_proxy(true);
    let all = findings(&snap);
    let (f, text) = one(&snap, &all, "FirewallChildPolicyDnsNotInherited");
    assert_eq!(f.severity, Severity::Warning);
    let Evidence::FirewallChildPolicyDnsNotInherited(e) = &f.evidence else { panic!() };
    let names: Vec<_> = e.rules.iter().map(|r| r.rule.as_deref().unwrap()).collect();
    assert_eq!(names, ["sql"]);
    assert_eq!(snap.firewall_policies[e.parent.index()].name, "fw-policy-base");
    assert!(text.message.contains("fw-policy-hub") && text.message.contains("not inherited"), "{}", text.message);
    assert!(of_code(&findings(&with_parent_proxy(false)), "FirewallChildPolicyDnsNotInherited").is_empty());
}

/// §16.3 (`[snat]`): a policy-managed firewall ignores its classic Network.SNAT.PrivateRanges;
/// a firewall without a policy uses it, and is not told so.
#[test]
fn firewall_classic_snat_ignored() {
    let with_classic = |keep_policy: bool| {
        hub_firewall(move |name, v| {
            if name == "firewall-list.json" {
                let fw = &mut v.as_array_mut().unwrap()[0];
                fw["additionalProperties"] =
                    json!({"Network.SNAT.PrivateRanges": "IANAPrivateRanges, 198.51.100.0/24"});
                if !keep_policy {
                    fw.as_object_mut().unwrap().remove("firewallPolicy");
                }
            }
        })
    };
    let snap = with_classic(true);
    let all = findings(&snap);
    let (f, text) = one(&snap, &all, "FirewallClassicSnatIgnored");
    assert_eq!(f.severity, Severity::Warning);
    let Evidence::FirewallClassicSnatIgnored(e) = &f.evidence else { panic!() };
    assert_eq!(e.classic, ["IANAPrivateRanges", "198.51.100.0/24"]);
    assert_eq!(e.policy_ranges.as_deref(), Some(&["IANAPrivateRanges".to_string()][..]));
    assert!(text.message.contains("ignored") && text.message.contains("fw-policy-hub"), "{}", text.message);
    assert!(of_code(&findings(&with_classic(false)), "FirewallClassicSnatIgnored").is_empty());
}

/// §16.2 (`[known-issues]`): ICMP (or Any without a port) allowed to public destinations; not
/// Any with a port (TCP and UDP), not ICMP between private networks, not a Deny collection.
#[test]
fn firewall_icmp_to_internet() {
    let snap = hub_firewall(|name, v| {
        if let Some(g) = groups_of(name, v) {
            let allow = filter_collection(
                "ping-out",
                400,
                "Allow",
                vec![
                    net_rule("ping", &["ICMP"], &["10.1.0.0/16"], &["*"], &["*"]),
                    net_rule("web-any", &["Any"], &["10.1.0.0/16"], &["*"], &["443"]),
                    net_rule("ping-spokes", &["ICMP"], &["10.1.0.0/16"], &["10.2.0.0/16"], &["*"]),
                    net_rule("any-out", &["Any"], &["10.2.0.0/16"], &["Internet"], &["*"]),
                ],
            );
            let deny =
                filter_collection("no-ping", 500, "Deny", vec![net_rule("icmp", &["ICMP"], &["*"], &["*"], &["*"])]);
            add_collection(g, "DefaultNetworkRuleCollectionGroup", allow);
            add_collection(g, "DefaultNetworkRuleCollectionGroup", deny);
        }
    });
    let all = findings(&snap);
    let (f, _) = one(&snap, &all, "FirewallIcmpToInternet");
    assert_eq!(f.severity, Severity::Info);
    let Evidence::FirewallIcmpToInternet(e) = &f.evidence else { panic!() };
    let names: Vec<_> = e.rules.iter().map(|r| r.rule.as_deref().unwrap()).collect();
    assert_eq!(names, ["ping", "any-out"]);
}

fn nsg_rule(name: &str, priority: u32, access: &str, source: &str) -> Value {
    json!({"id": format!("{SUB}/networkSecurityGroups/nsg-app/securityRules/{name}"), "name": name,
        "priority": priority, "direction": "Inbound", "access": access, "protocol": "Tcp",
        "sourcePortRange": "*", "destinationPortRange": "443", "sourceAddressPrefix": source,
        "destinationAddressPrefix": "*"})
}

/// §16.3 ([inferred] from `[arch-fw-agw]`): the firewall's SNATed traffic comes from an instance
/// of AzureFirewallSubnet; an NSG allowing only the frontend IP and denying the rest drops it.
#[test]
fn firewall_snat_source_not_allowed_by_nsg() {
    let with_rules = |rules: Vec<Value>| {
        hub_firewall(move |name, v| {
            if name == "nsg-list.json" {
                let nsg = v.as_array_mut().unwrap().iter_mut().find(|n| n["name"] == "nsg-app").unwrap();
                nsg["securityRules"].as_array_mut().unwrap().extend(rules.clone());
            }
        })
    };
    let deny = || nsg_rule("deny-vnet", 4000, "Deny", "VirtualNetwork");
    let snap = with_rules(vec![nsg_rule("allow-fw", 110, "Allow", "10.0.1.4"), deny()]);
    let all = findings(&snap);
    let (f, text) = one(&snap, &all, "FirewallSnatSourceNotAllowedByNsg");
    assert_eq!(f.severity, Severity::Warning);
    let Evidence::FirewallSnatSourceNotAllowedByNsg(e) = &f.evidence else { panic!() };
    assert_eq!((e.frontend.to_string(), e.firewall_subnet.to_string()), ("10.0.1.4".into(), "10.0.1.0/24".into()));
    assert!(text.message.contains("allow-fw") && text.message.contains("inferred"), "{}", text.message);
    // Without the deny, AllowVnetInBound admits the instances; allowing the subnet is the fix.
    for fine in [
        vec![nsg_rule("allow-fw", 110, "Allow", "10.0.1.4")],
        vec![nsg_rule("allow-fw", 110, "Allow", "10.0.1.0/24"), deny()],
    ] {
        assert!(of_code(&findings(&with_rules(fine)), "FirewallSnatSourceNotAllowedByNsg").is_empty());
    }
}
