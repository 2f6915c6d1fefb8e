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
    assert!(text.starts_with("Address Prefix  Next Hop Type"), "{text}");
    assert!(text.contains("Route Origin"), "{text}");
    assert!(text.contains("10.3.0.0/16: connection `spoke3-conn`"), "{text}");
}

/// VW-5: a connection receives its associated table's routes, 0.0.0.0/0 only with
/// `enableInternetSecurity` (the VPN connection has it off).
#[test]
fn hub_routes_of_a_connection() {
    let s = snapshot();
    let v = azroute(&["hub-routes", "--snapshot", &s, "--hub", "hub1", "--connection", "branch1-conn", "-o", "json"])
        .ok()
        .json();
    let r = rows(&v);
    assert!(!r.iter().any(|r| r.starts_with("0.0.0.0/0")), "{r:?}");
    assert!(r.contains(&"10.0.0.0/8 Azure Firewall fw-hub1 derived".to_string()), "{r:?}");
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
