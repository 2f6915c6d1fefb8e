//! Microsoft's routing-intent examples as data (§20.13, §20.14): every directory of
//! `testdata/vwan-intent` holds an estate described in the how-to's terms (`input.json`) and what
//! the how-to says comes out (`expected.json`): the `defaultRouteTable` after routing intent
//! rewrote its static routes (RI-4, by the portal or by REST, C39), or the hub firewalls each
//! cell of its traffic tables passes (RI-5). The same estates decide option C38 both ways.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use azroute_engine::{HopKind, HopResource, HubRouteReason, Topology, Trace};
use azroute_model::*;
use azroute_testkit::*;
use serde_json::{Value, json};

const INTERNET: &str = "203.0.113.10";

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/vwan-intent");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("testdata/vwan-intent")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    assert!(out.len() >= 4, "the how-to's four examples: {out:?}");
    out
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("a string: {v}"))
}

fn texts(v: &Value) -> Vec<&str> {
    v.as_array().map(|a| a.iter().map(text).collect()).unwrap_or_default()
}

/// `10.100.0.0/23` plus `n` in the last octet.
fn in_prefix(prefix: &str, n: u8) -> String {
    let base = prefix.split('/').next().unwrap();
    let mut octets: Vec<u8> = base.split('.').map(|o| o.parse().unwrap()).collect();
    octets[3] += n;
    octets.iter().map(|o| o.to_string()).collect::<Vec<_>>().join(".")
}

/// A hub firewall whose policy allows everything: the traffic tables ask where traffic goes, not
/// what a policy allows.
fn allow_all_firewall(e: &mut Estate, name: &str, hub: &str, ip: &str) {
    let policy = id("firewallPolicies", &format!("{name}-policy"));
    e.hub_firewall(name, hub, ip).resource_property(
        "Microsoft.Network/azureFirewalls",
        name,
        "firewallPolicy",
        json!({"id": policy}),
    );
    e.raw_resource(
        json!({"id": policy, "name": format!("{name}-policy"), "type": "Microsoft.Network/firewallPolicies",
        "location": "eastus", "properties": {"sku": {"tier": "Standard"}}}),
    );
    e.raw_resource(json!({"id": format!("{policy}/ruleCollectionGroups/all"), "name": "all",
        "type": "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
        "properties": {"priority": 100, "ruleCollections": [{"ruleCollectionType": "FirewallPolicyFilterRuleCollection",
            "name": "all", "priority": 100, "action": {"type": "Allow"}, "rules": [{"ruleType": "NetworkRule",
            "name": "any", "ipProtocols": ["Any"], "sourceAddresses": ["*"], "destinationAddresses": ["*"],
            "destinationPorts": ["*"]}]}]}}));
}

fn hub_estate(e: &mut Estate, h: &Value) {
    let hub = text(&h["name"]);
    let prefix = text(&h["addressPrefix"]);
    let (r0, r1) = (in_prefix(prefix, 68), in_prefix(prefix, 69));
    e.vwan_hub(hub, prefix, &[&r0, &r1], "ExpressRoute");
    if let Some(fw) = h.get("firewall") {
        allow_all_firewall(e, text(&fw["name"]), hub, text(&fw["privateIp"]));
        let hop = id("azureFirewalls", text(&fw["name"]));
        let policies: Vec<(&str, String)> =
            texts(&h["routingPolicies"]).into_iter().map(|k| (k, hop.clone())).collect();
        e.routing_intent(hub, &policies);
    }
    if let Some(routes) = h["defaultRouteTable"].as_array() {
        let routes: Vec<(&str, Vec<&str>, String)> = routes
            .iter()
            .map(|r| (text(&r["name"]), texts(&r["destinations"]), id("azureFirewalls", text(&r["nextHop"]))))
            .collect();
        let routes: Vec<(&str, &[&str], String)> =
            routes.iter().map(|(n, d, h)| (*n, d.as_slice(), h.clone())).collect();
        e.hub_route_table(hub, "defaultRouteTable", &["default"], &routes);
    }
    for v in h["vnets"].as_array().into_iter().flatten() {
        let (name, nic) = (text(&v["name"]), text(&v["nic"]));
        let subnet = format!("{}.0/24", &nic[..nic.rfind('.').unwrap()]);
        e.vnet(name, "eastus", &[text(&v["addressSpace"])]).subnet(name, "app", &subnet).nic(
            &format!("{name}-vm"),
            name,
            "app",
            nic,
        );
        e.hub_connection(hub, &format!("{name}-conn"), name, Value::Null, true);
    }
    let branches = h["branches"].as_array().map(Vec::as_slice).unwrap_or_default();
    let Some(first) = branches.first() else { return };
    let gateway = format!("{hub}-vpngw");
    let sites: Vec<(&str, String)> =
        branches.iter().map(|b| (text(&b["name"]), format!("{}-conn", text(&b["name"])))).collect();
    for (i, b) in branches.iter().enumerate() {
        e.vpn_site(sites[i].0, &texts(&b["prefixes"]), 65010 + i as u32);
    }
    let connections: Vec<(&str, &str, bool, Value)> =
        sites.iter().map(|(site, conn)| (conn.as_str(), *site, false, Value::Null)).collect();
    e.vpn_gateway(&gateway, hub, &texts(&first["gatewayInstances"]), &connections);
    for (b, (_, conn)) in branches.iter().zip(&sites) {
        if b["internetSecurity"] == true {
            e.vpn_connection_internet_security(&gateway, conn, true);
        }
    }
}

fn options(input: &Value) -> ModelOptions {
    let mut options = ModelOptions::default();
    match input["options"]["vwanIntentStaticRoutes"].as_str() {
        Some("portal") => options.vwan_intent_static_routes = VwanIntentStaticRoutes::Portal,
        Some("rest") | None => options.vwan_intent_static_routes = VwanIntentStaticRoutes::Rest,
        Some(other) => panic!("unknown tool {other}"),
    }
    options
}

fn scenario(input: &Value, options: ModelOptions) -> Scenario {
    let mut e = Estate::new();
    for h in input["hubs"].as_array().unwrap() {
        hub_estate(&mut e, h);
    }
    Scenario::with_options(&e, options)
}

/// A hub's `defaultRouteTable` after routing intent, one entry per route name: `name  prefixes
/// (sorted)  nextHopType  next hop`.
fn default_table(s: &Scenario, hub: &str) -> Vec<String> {
    let topo = Topology::build_with(&s.snapshot, &s.options);
    let h = s.snapshot.virtual_hubs.iter().position(|x| x.name == hub).unwrap();
    let table = topo.vwan.hub(VirtualHubIdx(h as u32)).unwrap().default_table().unwrap();
    let mut by_name: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
    for r in &table.routes {
        let name = match &r.reason {
            HubRouteReason::TableStatic { name, .. } | HubRouteReason::RoutingPolicy { name, .. } => name.clone(),
            other => format!("(not a static route: {other:?})"),
        };
        let hop = r.next_hops.iter().map(|h| h.last_segment()).collect::<Vec<_>>().join(",");
        let key = (name, r.next_hop_type.as_str().to_string(), hop);
        by_name.entry(key).or_default().extend(r.prefixes.iter().map(|p| p.to_string()));
    }
    by_name
        .into_iter()
        .map(|((name, kind, hop), mut prefixes)| {
            prefixes.sort();
            format!("{name}  {}  {kind}  {hop}", prefixes.join(","))
        })
        .collect()
}

fn expected_table(rows: &Value) -> Vec<String> {
    let mut out: Vec<String> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut prefixes = texts(&r["prefixes"]);
            prefixes.sort();
            format!(
                "{}  {}  {}  {}",
                text(&r["name"]),
                prefixes.join(","),
                text(&r["nextHopType"]),
                text(&r["nextHop"])
            )
        })
        .collect();
    out.sort();
    out
}

/// The address a cell of a traffic table stands for: the first NIC of the hub's first VNet or an
/// address of its first branch (`from`), of its second VNet or branch when the row's own hub is
/// the column's, or the Internet.
fn endpoint(input: &Value, cell: &str, from: Option<&str>) -> String {
    if cell == "Internet" {
        return INTERNET.to_string();
    }
    let (hub, what) = cell.split_once(' ').unwrap();
    let h = input["hubs"].as_array().unwrap().iter().find(|h| h["name"] == hub).unwrap();
    match what {
        "VNets" => {
            let same = from.is_some_and(|f| f.starts_with(&format!("{hub} ")));
            text(&h["vnets"][usize::from(same)]["nic"]).to_string()
        }
        "branches" => {
            let same = from.is_some_and(|f| f.starts_with(&format!("{hub} ")));
            in_prefix(texts(&h["branches"][usize::from(same)]["prefixes"])[0], 10)
        }
        other => panic!("unknown cell {other}"),
    }
}

fn firewalls(s: &Scenario, t: &Trace) -> Vec<String> {
    t.forward
        .hops
        .iter()
        .filter(|h| h.kind == HopKind::AzureFirewall)
        .filter_map(|h| match h.resource {
            HopResource::Firewall(f) => Some(s.snapshot.firewalls[f.index()].name.clone()),
            _ => None,
        })
        .collect()
}

/// Every cell: the forward path reaches its end through exactly the firewalls the how-to
/// names, in order, or ends as the cell's `verdict` says; between VNets and branches the reply
/// comes back too. A branch row is traced from an address of the branch (§20.16).
fn check_flows(case: &Path, input: &Value, s: &Scenario, flows: &Value) {
    for f in flows.as_array().unwrap() {
        let (from, to) = (text(&f["from"]), text(&f["to"]));
        let src = endpoint(input, from, None);
        let dst = endpoint(input, to, Some(from));
        let t = s.trace(&src, &dst, 443);
        let label = format!("{case:?}: {from} → {to} ({}): {:?} {:?}", text(&f["doc"]), t.forward.verdict, t.findings);
        match f.get("verdict") {
            Some(v) => assert_eq!(t.forward.verdict.as_str(), text(v), "{label}"),
            None => assert!(t.forward.verdict.reached(), "{label}"),
        }
        assert_eq!(firewalls(s, &t), texts(&f["firewalls"]), "{label}");
        if from.ends_with("branches") {
            assert!(t.assumptions.branch_source, "{label}");
        }
        if f.get("verdict").is_none() && (to.ends_with("VNets") || to.ends_with("branches")) {
            assert!(t.reverse.as_ref().is_some_and(|r| r.verdict.reached()), "reply of {label}");
        }
    }
}

#[test]
fn routing_intent_examples_of_the_how_to() {
    for case in cases() {
        let input = read(&case.join("input.json"));
        let expected = read(&case.join("expected.json"));
        let s = scenario(&input, options(&input));
        for (hub, rows) in expected["defaultRouteTables"].as_object().into_iter().flatten() {
            assert_eq!(default_table(&s, hub), expected_table(rows), "{case:?}: {hub}");
        }
        if let Some(flows) = expected.get("flows") {
            check_flows(&case, &input, &s, flows);
        }
    }
}

/// C39: the portal's example read as if REST had enabled routing intent keeps the routes apart
/// (and the REST example read as the portal's is consolidated): the tool changes the table.
#[test]
fn c39_the_tool_decides_the_rewritten_routes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/vwan-intent");
    let portal = read(&dir.join("static-routes-portal/input.json"));
    let s = scenario(&portal, ModelOptions::default());
    let table = default_table(&s, "hub1");
    assert!(table.contains(&"additional_private  50.0.0.0/24  Azure Firewall  fw1".to_string()), "{table:?}");
    assert!(table.contains(&"private_traffic  10.0.0.0/24,40.0.0.0/24  Azure Firewall  fw1".to_string()), "{table:?}");
    let rest = read(&dir.join("static-routes-rest/input.json"));
    let options = ModelOptions { vwan_intent_static_routes: VwanIntentStaticRoutes::Portal, ..ModelOptions::default() };
    let table = default_table(&scenario(&rest, options), "hub1");
    assert!(table.contains(&"private_traffic  10.0.0.0/24,40.0.0.0/24  Azure Firewall  fw1".to_string()), "{table:?}");
}

/// C38 both ways on the how-to's mixed estate: by default a secured hub's spoke reaches the
/// other hub's spoke through its own firewall (the how-to's table); with
/// `remote-hub-route` it follows the more specific Remote Hub route past it, and the trace
/// says which reading it assumed.
#[test]
fn c38_secured_spoke_to_another_hub_both_ways() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/vwan-intent");
    let input = read(&dir.join("traffic-one-hub-secured/input.json"));
    let (src, dst) = (endpoint(&input, "hub2 VNets", None), endpoint(&input, "hub1 VNets", Some("hub2 VNets")));
    let s = scenario(&input, ModelOptions::default());
    let t = s.trace(&src, &dst, 443);
    assert_eq!(firewalls(&s, &t), ["fw2"]);
    assert_eq!(t.assumptions.vwan_secured_spoke_inter_hub, Some(true));
    let options = ModelOptions {
        vwan_secured_spoke_inter_hub: VwanSecuredSpokeInterHub::RemoteHubRoute,
        ..ModelOptions::default()
    };
    let s = scenario(&input, options);
    let t = s.trace(&src, &dst, 443);
    assert!(t.forward.verdict.reached(), "{:?}", t.findings);
    assert!(firewalls(&s, &t).is_empty(), "{:?}", t.forward.hops);
    assert_eq!(t.assumptions.vwan_secured_spoke_inter_hub, Some(false));
    // The reply comes back through the secured hub's firewall: asymmetric, as RI-5 warns.
    let back = t.reverse.as_ref().expect("a reply");
    assert!(back.hops.iter().any(|h| h.kind == HopKind::AzureFirewall), "{:?}", back.hops);
}

/// RI-5 private traffic prefixes (§20.14): a spoke outside RFC 1918 (40.1.0.0/16) behind a
/// secured hub is reached through the firewall only where the hub's `defaultRouteTable` lists it
/// (the `private_traffic` static route Firewall Manager writes); the list is per hub, so a second
/// secured hub needs its own entry to send its spokes' traffic through its firewall.
#[test]
fn ri5_private_traffic_prefixes_are_per_hub() {
    let build = |on_hub2: bool| {
        let mut input = json!({"hubs": [
            {"name": "hub1", "addressPrefix": "10.100.0.0/23", "firewall": {"name": "fw1", "privateIp": "10.100.0.132"},
             "routingPolicies": ["PrivateTraffic"],
             "defaultRouteTable": [{"name": "private_traffic", "destinations": ["40.1.0.0/16"], "nextHop": "fw1"}],
             "vnets": [{"name": "app", "addressSpace": "10.1.0.0/16", "nic": "10.1.1.4"},
                       {"name": "public-space", "addressSpace": "40.1.0.0/16", "nic": "40.1.1.4"}]},
            {"name": "hub2", "addressPrefix": "10.200.0.0/23", "firewall": {"name": "fw2", "privateIp": "10.200.0.132"},
             "routingPolicies": ["PrivateTraffic"],
             "vnets": [{"name": "remote-app", "addressSpace": "10.21.0.0/16", "nic": "10.21.1.4"}]}
        ]});
        if on_hub2 {
            input["hubs"][1]["defaultRouteTable"] =
                json!([{"name": "private_traffic", "destinations": ["40.1.0.0/16"], "nextHop": "fw2"}]);
        }
        scenario(&input, ModelOptions::default())
    };
    let s = build(false);
    let t = s.trace("10.1.1.4", "40.1.1.4", 443);
    assert_eq!(t.forward.verdict, azroute_engine::Verdict::Delivered, "{:?}", t.findings);
    assert_eq!(firewalls(&s, &t), ["fw1"]);
    // hub2 does not list the prefix: its spoke has no route to the firewall for it.
    let t = s.trace("10.21.1.4", "40.1.1.4", 443);
    assert!(firewalls(&s, &t).is_empty(), "{:?}", t.forward.hops);
    assert!(!t.forward.verdict.reached() || t.forward.verdict == azroute_engine::Verdict::ExitedToInternet);
    let s = build(true);
    let t = s.trace("10.21.1.4", "40.1.1.4", 443);
    assert_eq!(firewalls(&s, &t), ["fw2", "fw1"], "{:?}", t.findings);
}

/// The prefixes a branch connection receives (`hub-routes --connection`), sorted.
fn branch_prefixes(s: &Scenario, hub: &str, connection: &str) -> Vec<String> {
    let topo = Topology::build_with(&s.snapshot, &s.options);
    let h = s.snapshot.virtual_hubs.iter().position(|x| x.name == hub).unwrap();
    let routing = topo.vwan.hub(VirtualHubIdx(h as u32)).unwrap();
    let c = routing.connection_named(connection).expect("the branch connection");
    let mut out: Vec<String> = routing
        .connection_routes(c)
        .iter()
        .flat_map(|r| r.prefixes.iter().map(move |p| format!("{p} {}", r.next_hop_type.as_str())))
        .collect();
    out.sort();
    out
}

/// RI-10: what a hub with a private-traffic policy advertises to its branches: its own VNets,
/// the VNets and branches of a hub without routing intent whose connections propagate to its
/// default table, and (both hubs secured) the other secured hub's; the hub's other branches;
/// 0.0.0.0/0, the connections having `enableInternetSecurity` on (RI-6); never the branch's own
/// prefix, nor the policy's aggregates.
#[test]
fn ri10_a_secured_hub_advertises_to_its_branches() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/vwan-intent");
    let mixed = scenario(&read(&dir.join("traffic-one-hub-secured/input.json")), ModelOptions::default());
    let expected = [
        "0.0.0.0/0 Azure Firewall",
        "10.11.0.0/16 Remote Hub",
        "10.12.0.0/16 Remote Hub",
        "10.21.0.0/16 Virtual Network Connection",
        "10.22.0.0/16 Virtual Network Connection",
        "192.168.1.0/24 Remote Hub",
        "192.168.11.0/24 Remote Hub",
        "192.168.21.0/24 VPN_S2S_Gateway",
    ];
    assert_eq!(branch_prefixes(&mixed, "hub2", "hub2-site-conn"), expected);
    let secured = scenario(&read(&dir.join("traffic-all-hubs-secured/input.json")), ModelOptions::default());
    let expected = [
        "0.0.0.0/0 Azure Firewall",
        "10.11.0.0/16 Virtual Network Connection",
        "10.12.0.0/16 Virtual Network Connection",
        "10.21.0.0/16 Remote Hub",
        "10.22.0.0/16 Remote Hub",
        "192.168.11.0/24 VPN_S2S_Gateway",
        "192.168.2.0/24 Remote Hub",
        "192.168.21.0/24 Remote Hub",
    ];
    assert_eq!(branch_prefixes(&secured, "hub1", "hub1-site-conn"), expected);
    // The unsecured hub's branch receives its default table as before (VW-1).
    let unsecured = branch_prefixes(&mixed, "hub1", "hub1-site-conn");
    assert!(unsecured.contains(&"10.11.0.0/16 Virtual Network Connection".to_string()), "{unsecured:?}");
}

/// §20.16: a Virtual WAN that says `allowBranchToBranchTraffic` false carries nothing between
/// its branches: a trace from one site to another of the same hub stops `Indeterminate`, naming
/// why; the same site still reaches the hub's spokes.
#[test]
fn branch_to_branch_off_stops_at_the_hub() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/vwan-intent");
    let input = read(&dir.join("traffic-one-hub-secured/input.json"));
    let mut e = Estate::new();
    for h in input["hubs"].as_array().unwrap() {
        hub_estate(&mut e, h);
    }
    e.raw_resource(json!({"id": id("virtualWans", "wan"), "name": "wan", "type": "Microsoft.Network/virtualWans",
        "location": "eastus", "properties": {"type": "Standard", "allowBranchToBranchTraffic": false}}));
    let s = Scenario::with_options(&e, ModelOptions::default());
    let (site1, site2) =
        (endpoint(&input, "hub1 branches", None), endpoint(&input, "hub1 branches", Some("hub1 branches")));
    let t = s.trace(&site1, &site2, 443);
    assert_eq!(t.forward.verdict, azroute_engine::Verdict::Indeterminate, "{:?}", t.forward.hops);
    let stopped = t.findings.iter().any(|f| {
        matches!(
            &f.evidence,
            azroute_engine::Evidence::NotModelled(azroute_engine::NotModelled {
                reason: Some(azroute_engine::NotFollowed::BranchToBranchOff { .. }),
                ..
            })
        )
    });
    assert!(stopped, "{:?}", t.findings);
    let t = s.trace(&site1, &endpoint(&input, "hub1 VNets", None), 443);
    assert_eq!(t.forward.verdict, azroute_engine::Verdict::Delivered, "{:?}", t.findings);
}
