//! Virtual WAN end to end (§20) on `testdata/vwan-minimal` (two hubs, hub1 secured with routing
//! intent for private and Internet traffic, a VPN branch; regenerate with
//! `python3 tools/make_vwan_minimal_fixture.py`): `hub-routes` in Azure's shape, bad names exit 2
//! with the candidates.

mod common;

use common::*;

fn snapshot() -> String {
    repo_str("testdata/vwan-minimal")
}

fn rows(v: &serde_json::Value) -> Vec<String> {
    let mut out: Vec<String> = v["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let hops: Vec<&str> = r["nextHops"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h.as_str().unwrap().rsplit('/').next().unwrap())
                .collect();
            let derived = if r["derived"] == true { " derived" } else { "" };
            format!(
                "{} {} {}{derived}",
                r["addressPrefixes"][0].as_str().unwrap(),
                r["nextHopType"].as_str().unwrap(),
                hops.join(" ")
            )
        })
        .collect();
    out.sort();
    out
}

/// RI-3, RI-4, VW-3: the secured hub's default table holds the derived policy routes to the
/// firewall and the unsecured hub's spoke as `Remote Hub`.
#[test]
fn hub_routes_of_a_secured_hub_default_table() {
    let s = snapshot();
    let v =
        azroute(&["hub-routes", "--snapshot", &s, "--hub", "hub1", "--route-table", "defaultRouteTable", "-o", "json"])
            .ok()
            .json();
    assert_eq!(
        rows(&v),
        [
            "0.0.0.0/0 Azure Firewall fw-hub1 derived",
            "10.0.0.0/8 Azure Firewall fw-hub1 derived",
            "10.3.0.0/16 Remote Hub hub2",
            "172.16.0.0/12 Azure Firewall fw-hub1 derived",
            "192.168.0.0/16 Azure Firewall fw-hub1 derived",
        ]
    );
    assert_eq!(v["value"][2]["asPath"], "65520-65520", "{v}");
    assert!(v["assumptions"][0].as_str().unwrap().contains("derived"));
}

/// RI-12: the firewall's own table: each connection's prefixes, the other hub's spoke, the
/// branch, and 0.0.0.0/0 to the Internet; the table output has the CLI's columns.
#[test]
fn hub_routes_of_the_firewall_and_the_table_columns() {
    let s = snapshot();
    let v = azroute(&["hub-routes", "--snapshot", &s, "--hub", "hub1", "--route-table", "fw-hub1", "-o", "json"])
        .ok()
        .json();
    assert_eq!(
        rows(&v),
        [
            "0.0.0.0/0 Internet  derived",
            "10.1.0.0/16 Virtual Network Connection spoke1-conn",
            "10.2.0.0/16 Virtual Network Connection spoke2-conn",
            "10.3.0.0/16 Remote Hub hub2",
            "192.168.10.0/24 VPN_S2S_Gateway vpngw-hub1",
        ]
    );
    let text =
        azroute(&["hub-routes", "--snapshot", &s, "--hub", "hub2", "--route-table", "defaultRouteTable", "--explain"])
            .ok()
            .stdout;
    assert!(text.starts_with("Address Prefix ") && text.lines().next().unwrap().contains("Next Hop Type"), "{text}");
    assert!(text.contains("Route Origin"), "{text}");
    assert!(text.contains("10.3.0.0/16: connection `spoke3-conn`"), "{text}");
}

/// VW-5: a connection receives its associated table's routes, 0.0.0.0/0 only with
/// `enableInternetSecurity` (the VPN connection has it off); RI-10 (§20.15): the branch of the
/// secured hub receives the hub's spokes and the other hub's, not the private aggregates nor
/// its own prefix.
#[test]
fn hub_routes_of_a_connection() {
    let s = snapshot();
    let v = azroute(&["hub-routes", "--snapshot", &s, "--hub", "hub1", "--connection", "branch1-conn", "-o", "json"])
        .ok()
        .json();
    let r = rows(&v);
    assert_eq!(
        r,
        [
            "10.1.0.0/16 Virtual Network Connection spoke1-conn",
            "10.2.0.0/16 Virtual Network Connection spoke2-conn",
            "10.3.0.0/16 Remote Hub hub2",
        ],
        "{r:?}"
    );
    let v = azroute(&["hub-routes", "--snapshot", &s, "--hub", "hub1", "--connection", "spoke1-conn", "-o", "json"])
        .ok()
        .json();
    assert!(rows(&v).contains(&"0.0.0.0/0 Azure Firewall fw-hub1 derived".to_string()));
}

#[test]
fn unknown_hub_table_or_connection_exit_2_with_candidates() {
    let s = snapshot();
    let r = azroute(&["hub-routes", "--snapshot", &s, "--hub", "hub9", "--route-table", "defaultRouteTable"]).fails();
    assert!(r.stderr.contains("hub1") && r.stderr.contains("hub2"), "{}", r.stderr);
    let r = azroute(&["hub-routes", "--snapshot", &s, "--hub", "hub1", "--route-table", "nope"]).fails();
    assert!(r.stderr.contains("defaultRouteTable, noneRouteTable, fw-hub1"), "{}", r.stderr);
    let r = azroute(&["hub-routes", "--snapshot", &s, "--hub", "hub1", "--connection", "nope"]).fails();
    assert!(r.stderr.contains("spoke1-conn"), "{}", r.stderr);
    azroute(&["hub-routes", "--snapshot", &s, "--hub", "hub1"]).fails();
}

fn trace(from: &str, to: &str) -> serde_json::Value {
    let s = snapshot();
    let r = azroute(&["trace", "--snapshot", &s, "--from", from, "--to", to, "--port", "443", "-o", "json"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    r.json()
}

fn hops(v: &serde_json::Value) -> Vec<String> {
    v["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| format!("{} {}", h["type"].as_str().unwrap(), h["resource"]["name"].as_str().unwrap()))
        .collect()
}

/// §20.4, §20.14: a spoke of the secured hub reaches the other hub's spoke through its hub and,
/// as Microsoft's routing-intent traffic table shows, the local firewall first (C38).
#[test]
fn trace_crosses_the_hub_router_to_another_hubs_spoke() {
    let v = trace("vm1-nic", "10.3.1.4");
    assert_eq!(v["verdict"], "Delivered", "{v}");
    assert_eq!(hops(&v), ["Source vm1-nic", "VirtualHub hub1", "AzureFirewall fw-hub1", "Destination vm3-nic"]);
    assert!(v["hops"][1]["resource"]["id"].as_str().unwrap().ends_with("/virtualHubs/hub1"));
}

/// RI-7, RI-12: under routing intent a spoke-to-spoke flow crosses the hub firewall, whose rule
/// allows it; the reply from a spoke whose route table disables gateway propagation is dropped
/// (RI-8: it has no route back).
#[test]
fn trace_crosses_the_hub_firewall_and_ri8_drops_the_reply() {
    let v = trace("vm1-nic", "10.2.1.4");
    assert_eq!(hops(&v), ["Source vm1-nic", "VirtualHub hub1", "AzureFirewall fw-hub1", "Destination vm2-nic"]);
    assert_eq!(v["return"]["verdict"], "Dropped", "{v}");
}

/// RI-12: a branch is reached through the firewall and back; the Internet policy sends
/// 8.8.8.8 to the firewall, whose default deny drops it.
#[test]
fn trace_to_the_branch_and_to_the_internet_through_the_firewall() {
    let v = trace("vm1-nic", "192.168.10.5");
    assert_eq!(v["verdict"], "ExitedToOnPremises", "{v}");
    assert_eq!(hops(&v), ["Source vm1-nic", "VirtualHub hub1", "AzureFirewall fw-hub1", "OnPremises on-premises"]);
    assert_eq!(v["return"]["verdict"], "Delivered");
    let v = trace("vm1-nic", "8.8.8.8");
    assert_eq!(v["verdict"], "Dropped");
    assert_eq!(v["findings"][0]["code"], "FirewallDeniesFlow", "{v}");
}

const HUB2: &str = "/subscriptions/00000000-0000-0000-0000-0000000000c0/resourceGroups/rg-vwan/providers/Microsoft.Network/virtualHubs/hub2";

/// `verify --actual` reads the hub wrapper (§20.5) and compares it with `hub-routes`: next hops
/// as a set, routes Azure reports and azroute does not named; exit 1 on a difference, 2 on a
/// wrapper naming no table or connection of the hub.
#[test]
fn verify_compares_hub_effective_routes() {
    let s = snapshot();
    let dir = temp_dir("vwan-verify");
    let spoke3 = format!("{HUB2}/hubVirtualNetworkConnections/spoke3-conn");
    let route = |prefix: &str, hop: &str, kind: &str| serde_json::json!({"addressPrefixes": [prefix], "nextHops": [hop], "nextHopType": kind, "routeOrigin": hop, "asPath": ""});
    let wrapper = |routes: Vec<serde_json::Value>, resource: &str| {
        serde_json::json!({"virtualHubId": HUB2, "resourceId": format!("{HUB2}/{resource}"), "effectiveRoutes": {"value": routes}})
            .to_string()
    };
    let file = dir.join("hub2-default.json");
    let hub1 = HUB2.replace("hub2", "hub1");
    // §20.14: the secured hub1's spokes and branch reach hub2 as Remote Hub routes.
    let mut routes = vec![route("10.3.0.0/16", &spoke3, "Virtual Network Connection")];
    routes.extend(["10.1.0.0/16", "10.2.0.0/16", "192.168.10.0/24"].map(|p| route(p, &hub1, "Remote Hub")));
    std::fs::write(&file, wrapper(routes.clone(), "hubRouteTables/defaultRouteTable")).unwrap();
    let out = azroute(&["verify", "--snapshot", &s, "--actual", file.to_str().unwrap()]).ok().stdout;
    assert!(out.contains("4 route(s) agree, 0 differ"), "{out}");

    routes.push(route("10.9.0.0/16", &hub1, "Remote Hub"));
    std::fs::write(&file, wrapper(routes, "hubRouteTables/defaultRouteTable")).unwrap();
    let r = azroute(&["verify", "--snapshot", &s, "--actual", file.to_str().unwrap(), "-o", "json"]).found_problem();
    let v = r.json();
    assert_eq!(v["hubTables"][0]["onlyAzure"][0], "10.9.0.0/16 → Remote Hub hub1", "{v}");

    std::fs::write(&file, wrapper(vec![], "hubRouteTables/nope")).unwrap();
    let r = azroute(&["verify", "--snapshot", &s, "--actual", file.to_str().unwrap()]).fails();
    assert!(r.stderr.contains("neither a route table nor a connection"), "{}", r.stderr);
}

/// §20.10: hub routes are compared prefix by prefix, so Azure's multi-prefix row of the routing
/// intent's private aggregates (RI-4) agrees with azroute's one-prefix rows, and a prefix
/// missing from such a row is named alone.
#[test]
fn verify_compares_a_multi_prefix_hub_row_per_prefix() {
    let s = snapshot();
    let dir = temp_dir("vwan-verify-prefixes");
    let hub1 = HUB2.replace("hub2", "hub1");
    let firewall = format!("{}/azureFirewalls/fw-hub1", HUB2.split("/virtualHubs/").next().unwrap());
    let row = |prefixes: &[&str], hop: &str, kind: &str| serde_json::json!({"addressPrefixes": prefixes, "nextHops": [hop], "nextHopType": kind, "routeOrigin": hop, "asPath": ""});
    let file = dir.join("hub1-default.json");
    let write = |private: &[&str]| {
        let routes = vec![
            row(&["0.0.0.0/0"], &firewall, "Azure Firewall"),
            row(private, &firewall, "Azure Firewall"),
            row(&["10.3.0.0/16"], HUB2, "Remote Hub"),
        ];
        let wrapper = serde_json::json!({"virtualHubId": hub1, "resourceId": format!("{hub1}/hubRouteTables/defaultRouteTable"), "effectiveRoutes": {"value": routes}});
        std::fs::write(&file, wrapper.to_string()).unwrap();
    };
    write(&["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]);
    let out = azroute(&["verify", "--snapshot", &s, "--actual", file.to_str().unwrap()]).ok().stdout;
    assert!(out.contains("5 route(s) agree, 0 differ"), "{out}");

    write(&["10.0.0.0/8", "192.168.0.0/16"]);
    let v =
        azroute(&["verify", "--snapshot", &s, "--actual", file.to_str().unwrap(), "-o", "json"]).found_problem().json();
    let table = &v["hubTables"][0];
    assert_eq!(table["onlyAzroute"], serde_json::json!(["172.16.0.0/12 → Azure Firewall fw-hub1"]), "{v}");
    assert_eq!(table["onlyAzure"], serde_json::json!([]), "{v}");
}
