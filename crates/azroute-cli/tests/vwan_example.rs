//! The embedded example `vwan` end to end (§20, written by `tools/make_vwan_fixture.py`): the
//! reference's traffic questions on a secured hub with routing intent and an unsecured hub:
//! spoke to spoke in one hub, to a branch, to the Internet (RI-7: through the hub firewall),
//! spoke to spoke in the unsecured hub (the hub router), the BGP-peered NVA's indirect spoke;
//! `hub-routes` in Azure's shape, and the doctor's Virtual WAN findings.

mod common;

use common::*;
use serde_json::Value;

/// `State prefix next-hop-ips` of a NIC's VirtualNetworkGateway routes.
fn hub_rows(vm: &str) -> Vec<String> {
    let v = azroute(&["routes", "--example", "vwan", "--vm", vm, "-o", "json"]).ok().json();
    v["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["source"] == "VirtualNetworkGateway")
        .map(|r| {
            let hops: Vec<&str> =
                r["nextHopIpAddress"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
            format!("{} {} {}", r["state"].as_str().unwrap(), r["addressPrefix"][0].as_str().unwrap(), hops.join(" "))
                .trim_end()
                .to_string()
        })
        .collect()
}

fn next_hop(vm: &str, ip: &str) -> (String, String) {
    let v = azroute(&["next-hop", "--example", "vwan", "--vm", vm, "--dest-ip", ip, "-o", "json"]).ok().json();
    (v["nextHopType"].as_str().unwrap().to_string(), v["nextHopIpAddress"].as_str().unwrap_or("").to_string())
}

/// RI-3, RI-4, RI-7: a spoke of the secured hub gets the routing-intent routes (0.0.0.0/0 and
/// the RFC 1918 aggregates) with the hub firewall's private address as next hop, so traffic to
/// a spoke of the same hub, to the VPN branch and to the Internet goes to the firewall.
#[test]
fn secured_hub_spoke_sends_private_and_internet_traffic_to_the_firewall() {
    let rows = hub_rows("vm-app1");
    for prefix in ["0.0.0.0/0", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] {
        assert!(rows.contains(&format!("Active {prefix} 10.100.0.132")), "{prefix}: {rows:?}");
    }
    let firewall = ("VirtualNetworkGateway".to_string(), "10.100.0.132".to_string());
    assert_eq!(next_hop("vm-app1", "10.2.1.4"), firewall, "spoke to spoke, same hub");
    assert_eq!(next_hop("vm-app1", "192.168.10.5"), firewall, "to the VPN branch");
    assert_eq!(next_hop("vm-app1", "8.8.8.8"), firewall, "to the Internet");
    assert_eq!(
        next_hop("vm-app1", "10.1.1.9"),
        ("VirtualNetwork".to_string(), String::new()),
        "inside the spoke (VW-8)"
    );
}

/// VW-1, VW-2, §20.4: a spoke of the unsecured hub reaches the other spokes of its hub through
/// the hub router (virtualRouterIps), the NVA's indirect spoke through the NVA (its BGP next
/// hop), and never gets its own range (VW-8) or a default route.
#[test]
fn unsecured_hub_spoke_reaches_its_hub_through_the_router() {
    let rows = hub_rows("vm-web");
    assert!(rows.contains(&"Active 10.12.0.0/16 10.200.0.68 10.200.0.69".to_string()), "{rows:?}");
    assert!(rows.contains(&"Active 10.13.0.0/16 10.200.0.68 10.200.0.69".to_string()), "{rows:?}");
    assert!(rows.contains(&"Active 10.14.0.0/16 10.13.1.4".to_string()), "{rows:?}");
    assert!(!rows.iter().any(|r| r.contains(" 10.11.0.0/16 ")), "its own range is not programmed: {rows:?}");
    assert!(!rows.iter().any(|r| r.contains(" 0.0.0.0/0 ")), "no default route in this hub: {rows:?}");
    assert_eq!(next_hop("vm-web", "10.12.1.4"), ("VirtualNetworkGateway".to_string(), "10.200.0.68".to_string()));
    assert_eq!(next_hop("vm-web", "8.8.8.8").0, "Internet");
}

/// §20.5: `hub-routes` prints a hub table as `az network vhub get-effective-routes` does, with
/// Azure's nextHopType spellings: the unsecured hub's own connections, the NVA's BGP route and
/// the datacenter over ExpressRoute; the secured hub's routing-intent routes to the firewall.
#[test]
fn hub_routes_in_azure_shape() {
    let v = azroute(&[
        "hub-routes",
        "--example",
        "vwan",
        "--hub",
        "hub-westeurope",
        "--route-table",
        "defaultRouteTable",
        "-o",
        "json",
    ])
    .ok()
    .json();
    let rows: Vec<(String, String)> = v["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (r["addressPrefixes"][0].as_str().unwrap().to_string(), r["nextHopType"].as_str().unwrap().to_string())
        })
        .collect();
    for (prefix, kind) in [
        ("10.11.0.0/16", "Virtual Network Connection"),
        ("10.14.0.0/16", "HubBgpConnection"),
        ("172.30.0.0/16", "ExpressRouteGateway"),
    ] {
        assert!(rows.contains(&(prefix.to_string(), kind.to_string())), "{prefix} {kind}: {rows:?}");
    }
    let v = azroute(&[
        "hub-routes",
        "--example",
        "vwan",
        "--hub",
        "hub-eastus",
        "--route-table",
        "defaultRouteTable",
        "-o",
        "json",
    ])
    .ok()
    .json();
    let firewall: Vec<&Value> =
        v["value"].as_array().unwrap().iter().filter(|r| r["nextHopType"] == "Azure Firewall").collect();
    let prefixes: Vec<&str> =
        firewall.iter().flat_map(|r| r["addressPrefixes"].as_array().unwrap()).map(|p| p.as_str().unwrap()).collect();
    for p in ["0.0.0.0/0", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] {
        assert!(prefixes.contains(&p), "{p}: {v}");
    }
}

/// RI-9: the doctor names the private endpoint behind the secured hub whose subnet has no
/// route-table network policies.
#[test]
fn doctor_names_the_private_endpoint_asymmetry() {
    let run = azroute(&["doctor", "--example", "vwan", "--only", "VwanPrivateEndpointAsymmetry", "-o", "json"]);
    let v = run.json();
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{v}");
    assert!(findings[0]["message"].as_str().unwrap().contains("`pe-sqldata`"), "{v}");
    let explain = azroute(&["doctor", "--explain", "VwanPrivateEndpointAsymmetry"]).ok().stdout;
    assert!(explain.contains("https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies"), "{explain}");
}

/// The verdict and hop resource names of a trace's request and reply.
fn trace(from: &str, to: &str) -> (String, Vec<String>, String, Vec<String>) {
    let v = azroute(&["trace", "--example", "vwan", "--from", from, "--to", to, "-o", "json"]).json();
    let names = |path: &Value| -> Vec<String> {
        path["hops"].as_array().unwrap().iter().map(|h| h["resource"]["name"].as_str().unwrap().to_string()).collect()
    };
    let verdict = |path: &Value| path["verdict"].as_str().unwrap().to_string();
    (verdict(&v), names(&v), verdict(&v["return"]), names(&v["return"]))
}

/// §20.11: a spoke of the unsecured hub reaches the indirect spoke behind the BGP-peered NVA:
/// the hub hands the packet to the peer's NIC (its BGP next hop 10.13.1.4), which forwards it
/// by its own subnet's routes over its peering; the reply comes back through the NVA's user
/// route and the hub router.
#[test]
fn trace_crosses_the_hub_bgp_peer_to_the_indirect_spoke() {
    let (verdict, hops, reply, reply_hops) = trace("vm-web", "vm-indirect");
    assert_eq!(verdict, "Delivered");
    assert_eq!(hops, ["nic-web", "hub-westeurope", "nic-nva", "nic-indirect"]);
    assert_eq!(reply, "Delivered");
    assert_eq!(reply_hops, ["nic-indirect", "nic-nva", "hub-westeurope", "nic-web"]);
}

/// VW-3, §20.11, §20.14: from the secured hub's spoke, the indirect spoke is a `Remote Hub`
/// route of the secured hub's firewall that no spoke of the WAN holds: the remote hub forwards it
/// by its own table, to its BGP peer, so the request crosses the local firewall, both hubs and
/// the NVA; the reply comes back into the secured hub through its firewall.
#[test]
fn trace_follows_a_remote_hub_route_into_the_other_hubs_table() {
    let (verdict, hops, reply, reply_hops) = trace("vm-app1", "vm-indirect");
    assert_eq!(verdict, "Delivered");
    assert_eq!(hops, ["nic-app1", "hub-eastus", "fw-hub-eastus", "hub-westeurope", "nic-nva", "nic-indirect"]);
    assert_eq!(reply, "Delivered");
    assert_eq!(reply_hops, ["nic-indirect", "nic-nva", "hub-westeurope", "hub-eastus", "fw-hub-eastus", "nic-app1"]);
}

/// §20.11: the spoke holding the BGP peer keeps its own peering route to the indirect spoke:
/// the hub does not program the peer's route back over it (that would loop to the NVA).
#[test]
fn the_peer_spoke_keeps_its_peering_route() {
    let rows = hub_rows("vm-nva");
    assert!(!rows.iter().any(|r| r.contains(" 10.14.0.0/16 ")), "{rows:?}");
    assert_eq!(next_hop("vm-nva", "10.14.1.4"), ("VirtualNetworkPeering".to_string(), String::new()));
}

/// RI-5 (§20.12, §20.14): routing intent on hub-eastus only. As Microsoft's traffic table for
/// one secured hub says, a spoke of the secured hub reaches a spoke of the other hub through its
/// firewall, and the reply comes back through the same firewall; within the other hub, directly.
#[test]
fn inter_hub_traffic_crosses_the_secured_hubs_firewall_both_ways() {
    let (verdict, hops, reply, reply_hops) = trace("vm-app1", "vm-web");
    assert_eq!(verdict, "Delivered");
    assert_eq!(hops, ["nic-app1", "hub-eastus", "fw-hub-eastus", "nic-web"]);
    assert_eq!(reply, "Delivered");
    assert_eq!(reply_hops, ["nic-web", "hub-westeurope", "hub-eastus", "fw-hub-eastus", "nic-app1"]);
    let (_, hops, _, _) = trace("vm-web", "vm-shared");
    assert_eq!(hops, ["nic-web", "hub-westeurope", "nic-shared"]);
    // The trace says which reading of C38 it assumed.
    let v = azroute(&["trace", "--example", "vwan", "--from", "vm-app1", "--to", "vm-web"]).ok().stdout;
    assert!(v.contains("C38"), "{v}");
}

/// §20.16, RI-5: a trace from an address of the VPN site enters the secured hub by the branch
/// connection, crosses the hub firewall (private-traffic policy) to the spoke VM, and the reply
/// goes back from the spoke's effective routes through the hub and its firewall (flow state) to
/// the branch. The trace says it assumed what the branch's own network does.
#[test]
fn trace_from_a_vpn_branch_crosses_the_secured_hubs_firewall_and_back() {
    let v = azroute(&["trace", "--example", "vwan", "--from", "192.168.10.5", "--to", "vm-app1", "-o", "json"]).json();
    let (verdict, hops, reply, reply_hops) = trace("192.168.10.5", "vm-app1");
    assert_eq!(verdict, "Delivered", "{v}");
    assert_eq!(hops, ["on-premises", "hub-eastus", "fw-hub-eastus", "nic-app1"]);
    assert_eq!(reply, "ExitedToOnPremises", "{v}");
    assert_eq!(reply_hops, ["nic-app1", "hub-eastus", "fw-hub-eastus", "on-premises"]);
    let text = azroute(&["trace", "--example", "vwan", "--from", "192.168.10.5", "--to", "vm-app1"]).ok().stdout;
    assert!(
        text.contains("enters the hub from the branch by VPN gateway `vpngw-hub-eastus`, connection `conn-branch1`"),
        "{text}"
    );
    assert!(text.contains("the branch's own network sends this packet"), "{text}");
}

/// §20.16, §20.12: from the VPN site of the secured hub to a spoke of the other hub: through the
/// secured hub's firewall first (RI-5, C38), then into the other hub's spoke; the reply comes
/// from that spoke's Remote Hub route into the secured hub through its firewall.
#[test]
fn trace_from_a_branch_to_a_spoke_of_the_other_hub() {
    let (verdict, hops, reply, reply_hops) = trace("192.168.10.5", "vm-web");
    assert_eq!(verdict, "Delivered");
    assert_eq!(hops, ["on-premises", "hub-eastus", "fw-hub-eastus", "nic-web"]);
    assert_eq!(reply, "ExitedToOnPremises");
    assert_eq!(reply_hops, ["nic-web", "hub-westeurope", "hub-eastus", "fw-hub-eastus", "on-premises"]);
    // From the ExpressRoute datacenter of the unsecured hub to its own spoke: directly (VW-1).
    let (verdict, hops, _, _) = trace("172.30.0.5", "vm-web");
    assert_eq!(verdict, "Delivered");
    assert_eq!(hops, ["on-premises", "hub-westeurope", "nic-web"]);
}

/// §20.16: branch to branch, ExpressRoute ↔ VPN, across the two hubs: Microsoft's table for one
/// secured hub sends every flow touching it through its firewall, both ways; each direction
/// enters by its own branch connection. The Internet is not advertised to the VPN branch
/// (`enableInternetSecurity` off, RI-6): the branch's own network decides, Indeterminate.
#[test]
fn trace_between_branches_crosses_the_secured_hubs_firewall() {
    let (verdict, hops, reply, reply_hops) = trace("172.30.0.5", "192.168.10.5");
    assert_eq!(verdict, "ExitedToOnPremises");
    assert_eq!(hops, ["on-premises", "hub-westeurope", "hub-eastus", "fw-hub-eastus", "on-premises"]);
    assert_eq!(reply, "ExitedToOnPremises");
    assert_eq!(reply_hops, ["on-premises", "hub-eastus", "fw-hub-eastus", "hub-westeurope", "on-premises"]);
    let v = azroute(&["trace", "--example", "vwan", "--from", "192.168.10.5", "--to", "8.8.8.8", "-o", "json"]).json();
    assert_eq!(v["verdict"], "Indeterminate", "{v}");
    assert!(v["findings"].to_string().contains("does not advertise a route to 8.8.8.8"), "{v}");
}

/// The cell of `source` to the branch column named `destination` in a `reach -o json` output.
fn branch_cell<'v>(v: &'v Value, source: &str, destination: &str) -> &'v Value {
    let cells = v["cells"].as_array().unwrap();
    let found = cells.iter().find(|c| c["source"] == source && c["destination"] == destination);
    found.unwrap_or_else(|| panic!("no cell {source} → {destination}: {v}"))
}

/// §20.9: `reach` has a column per Virtual WAN branch prefix, named by its VPN site (or
/// ExpressRoute connection): a spoke of the secured hub reaches the VPN site through the hub
/// firewall (RI-7), and the ExpressRoute datacenter of the other hub through it too (§20.14),
/// in the subnet matrix (JSON, CSV) and the VNet matrix alike.
#[test]
fn reach_has_branch_columns() {
    let v = azroute(&["reach", "--example", "vwan", "--from", "vnet-app1/*", "-o", "json"]).ok().json();
    let branches: Vec<&Value> = v["columns"].as_array().unwrap().iter().filter(|c| c["type"] == "Branch").collect();
    let site = branches.iter().find(|c| c["site"] == "site-branch1").unwrap_or_else(|| panic!("{v}"));
    assert_eq!((site["prefix"].as_str(), site["branchType"].as_str()), (Some("192.168.10.0/24"), Some("Vpn")));
    assert!(site["ids"][1].as_str().unwrap().ends_with("/vpnSites/site-branch1"), "{site}");
    assert!(branches.iter().any(|c| c["prefix"] == "172.30.0.0/16" && c["branchType"] == "ExpressRoute"), "{v}");
    let vpn = branch_cell(&v, "vnet-app1/snet-app", "site-branch1 192.168.10.0/24");
    assert_eq!(vpn["destinationType"], "Branch");
    assert_eq!(vpn["reachability"], "DeliveredThroughNva", "{vpn}");
    assert_eq!(vpn["via"], serde_json::json!(["fw-hub-eastus"]), "{vpn}");
    let er = branch_cell(&v, "vnet-app1/snet-app", "conn-er-dc1 172.30.0.0/16");
    let er_answer = (er["reachability"].as_str(), er["verdict"].as_str());
    assert_eq!(er_answer, (Some("DeliveredThroughNva"), Some("ExitedToOnPremises")), "{er}");

    let csv = azroute(&["reach", "--example", "vwan", "--from", "vnet-app1/*", "-o", "csv"]).ok().stdout;
    assert!(
        csv.lines().any(|l| l.contains("site-branch1 192.168.10.0/24") && l.contains("DeliveredThroughNva")),
        "{csv}"
    );

    let by_vnet = azroute(&["reach", "--example", "vwan", "--by", "vnet", "-o", "json"]).ok().json();
    let cell = branch_cell(&by_vnet, "vnet-app1", "site-branch1 192.168.10.0/24");
    assert_eq!(cell["worst"], "DeliveredThroughNva", "{cell}");

    let none = azroute(&["reach", "--example", "vwan", "--no-on-premises", "-o", "json"]).ok().json();
    assert!(!none["columns"].as_array().unwrap().iter().any(|c| c["type"] == "Branch"), "{none}");
}

/// §20.4: the ExpressRoute datacenter prefix on a spoke of the hub with the ExpressRoute gateway
/// has no next hop IP, and a note names the gateway and why (Azure shows the MSEE address).
#[test]
fn express_route_routes_say_why_their_next_hop_is_empty() {
    let v = azroute(&["routes", "--example", "vwan", "--vm", "vm-web", "-o", "json", "--explain"]).ok().json();
    let er = v["value"].as_array().unwrap().iter().find(|r| r["addressPrefix"][0] == "172.30.0.0/16");
    let er = er.unwrap_or_else(|| panic!("{v}"));
    assert_eq!(er["nextHopIpAddress"], serde_json::json!([]), "{er}");
    let notes: Vec<&str> = v["notes"].as_array().unwrap().iter().filter_map(|n| n.as_str()).collect();
    let note = notes.iter().find(|n| n.starts_with("172.30.0.0/16 learned over ExpressRoute gateway"));
    let note = note.unwrap_or_else(|| panic!("{notes:?}"));
    assert!(note.contains("`ergw-hub-westeurope`") && note.contains("MSEE"), "{note}");
}

/// C29 as a flag of `hub-routes`: the datacenter's ExpressRoute route seen from the other hub
/// carries `65520-65520` and the origin path by default, `65520-65520` alone with
/// `--vwan-remote-branch-as-path remote-hub-only`; `--explain` says which was assumed.
#[test]
fn remote_branch_as_path_is_an_option_said_in_explain() {
    for (mode, path, words) in [
        ("prepend", "65520-65520-12076-65200", "followed by the path the origin hub had"),
        ("remote-hub-only", "65520-65520", "`65520-65520` alone"),
    ] {
        let args = ["hub-routes", "--example", "vwan", "--hub", "hub-eastus", "--route-table", "defaultRouteTable"];
        let mut args = args.to_vec();
        args.extend(["--vwan-remote-branch-as-path", mode, "--explain", "-o", "json"]);
        let v = azroute(&args).ok().json();
        let dc = v["value"].as_array().unwrap().iter().find(|r| r["addressPrefixes"][0] == "172.30.0.0/16");
        assert_eq!(dc.unwrap_or_else(|| panic!("{v}"))["asPath"], path, "{mode}");
        let notes: Vec<&str> = v["notes"].as_array().unwrap().iter().filter_map(|n| n.as_str()).collect();
        assert!(notes.iter().any(|n| n.contains("C29") && n.contains(words)), "{mode}: {notes:?}");
    }
}

/// The example's two hub tables (`vhub-effective-routes-*.json`, written from the documented
/// rules: the secured hub's spokes and branch reach the other hub's table as `Remote Hub`
/// (§20.14), VW-2 and RI-10 put the unsecured hub's connections into the secured hub's) are what
/// `hub-routes` computes, so `verify` of the example against them agrees row for row.
#[test]
fn verify_of_the_example_against_its_hub_tables_agrees() {
    let dir = temp_dir("vwan-example-hub-tables");
    let estate = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("estates/vwan");
    for hub in ["hub-eastus", "hub-westeurope"] {
        let name = format!("vhub-effective-routes-{hub}-defaultRouteTable.json");
        std::fs::copy(estate.join(&name), dir.join(&name)).unwrap();
    }
    let v = azroute(&["verify", "--example", "vwan", "--actual", dir.to_str().unwrap(), "-o", "json"]).ok().json();
    let tables = v["hubTables"].as_array().unwrap();
    assert_eq!(tables.len(), 2, "{v}");
    for t in tables {
        assert_eq!(t["onlyAzroute"].as_array().unwrap().len(), 0, "{t}");
        assert_eq!(t["onlyAzure"].as_array().unwrap().len(), 0, "{t}");
    }
    let out = azroute(&["verify", "--example", "vwan", "--actual", dir.to_str().unwrap()]).ok().stdout;
    assert!(out.contains("hub-eastus defaultRouteTable") && out.contains("9 route(s) agree, 0 differ"), "{out}");
    assert!(out.contains("hub-westeurope defaultRouteTable") && out.contains("9 route(s) agree, 0 differ"), "{out}");
}
