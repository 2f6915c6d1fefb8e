//! Hub route tables (§20.2 VW-1…VW-7) and routing intent (§20.3 RI-2…RI-4, RI-12) on small
//! Virtual WAN estates, loaded in every dialect. Expected tables follow Microsoft's documented
//! behaviour: the "isolating VNets" custom-table scenario of "About virtual hub routing", the
//! `Remote Hub`/`65520-65520` rendering of the spec examples, and the routing-intent rules of
//! "How to configure routing intent".

use azroute_engine::{HubRouting, RouteEngine, Topology};
use azroute_model::*;
use azroute_testkit::vwan::*;
use azroute_testkit::*;
use serde_json::{Value, json};

/// `prefix  nextHopType  next hop name  asPath`, sorted.
fn rows(routing: &HubRouting, table: &str) -> Vec<String> {
    let t = routing.table_named(table).unwrap_or_else(|| panic!("no table {table}"));
    let mut out: Vec<String> = t
        .routes
        .iter()
        .map(|r| {
            let hops: Vec<&str> = r.next_hops.iter().map(|h| h.last_segment()).collect();
            let prefixes: Vec<String> = r.prefixes.iter().map(|p| p.to_string()).collect();
            format!("{} {} {} {}", prefixes.join(","), r.next_hop_type.as_str(), hops.join(","), r.as_path)
                .trim_end()
                .to_string()
        })
        .collect();
    out.sort();
    out
}

fn hub<'a>(topo: &'a Topology, snap: &Snapshot, name: &str) -> &'a HubRouting {
    let h = snap.virtual_hubs.iter().position(|h| h.name == name).expect("hub");
    topo.vwan.hub(VirtualHubIdx(h as u32)).expect("a Virtual WAN hub")
}

/// Two hubs, two spokes on hub1 and one on hub2, a VPN branch on hub1; nothing routing-specific
/// configured (Azure's defaults).
fn two_hubs() -> Estate {
    let mut e = Estate::new();
    e.vwan_hub("hub1", "10.100.0.0/24", &["10.100.0.68", "10.100.0.69"], "ExpressRoute").vwan_hub(
        "hub2",
        "10.200.0.0/24",
        &["10.200.0.68", "10.200.0.69"],
        "ExpressRoute",
    );
    for (spoke, space, hub) in
        [("spoke1", "10.1.0.0/16", "hub1"), ("spoke2", "10.2.0.0/16", "hub1"), ("spoke3", "10.3.0.0/16", "hub2")]
    {
        e.vnet(spoke, "eastus", &[space]).subnet(spoke, "app", &space.replace(".0.0/16", ".1.0/24"));
        e.hub_connection(hub, &format!("{spoke}-conn"), spoke, Value::Null, true);
    }
    e.vpn_site("branch1", &["192.168.10.0/24"], 65010).vpn_gateway(
        "vpngw1",
        "hub1",
        &["10.100.0.14", "10.100.0.15"],
        &[("branch1-conn", "branch1", false, Value::Null)],
    );
    e
}

#[test]
fn vw1_vw2_vw3_default_tables_hold_every_connection_and_remote_hub_routes() {
    let s = Scenario::new(&two_hubs());
    let topo = Topology::build(&s.snapshot);
    assert_eq!(
        rows(hub(&topo, &s.snapshot, "hub1"), "defaultRouteTable"),
        [
            "10.1.0.0/16 Virtual Network Connection spoke1-conn",
            "10.2.0.0/16 Virtual Network Connection spoke2-conn",
            "10.3.0.0/16 Remote Hub hub2 65520-65520",
            "192.168.10.0/24 VPN_S2S_Gateway vpngw1",
        ]
    );
    assert_eq!(
        rows(hub(&topo, &s.snapshot, "hub2"), "defaultRouteTable"),
        [
            "10.1.0.0/16 Remote Hub hub1 65520-65520",
            "10.2.0.0/16 Remote Hub hub1 65520-65520",
            "10.3.0.0/16 Virtual Network Connection spoke3-conn",
            "192.168.10.0/24 Remote Hub hub1 65520-65520",
        ]
    );
    // The implied tables: noneRouteTable holds nothing.
    assert!(rows(hub(&topo, &s.snapshot, "hub1"), "noneRouteTable").is_empty());
}

/// "Isolating VNets": VNets associated with RT_VNET and propagating to the default table;
/// branches associated with the default table and propagating to both. VNets then reach
/// branches only, branches reach everything.
#[test]
fn vw1_vw2_isolated_vnets_reach_only_branches() {
    let mut e = Estate::new();
    e.vwan_hub("hub1", "10.100.0.0/24", &["10.100.0.68", "10.100.0.69"], "ExpressRoute");
    e.hub_route_table("hub1", "RT_VNET", &["vnets"], &[]);
    for (spoke, space) in [("spoke1", "10.1.0.0/16"), ("spoke2", "10.2.0.0/16")] {
        e.vnet(spoke, "eastus", &[space]).subnet(spoke, "app", &space.replace(".0.0/16", ".1.0/24"));
        e.hub_connection(
            "hub1",
            &format!("{spoke}-conn"),
            spoke,
            routing("hub1", "RT_VNET", &["defaultRouteTable"], &[]),
            true,
        );
    }
    e.vpn_site("branch1", &["192.168.10.0/24"], 65010).vpn_gateway(
        "vpngw1",
        "hub1",
        &["10.100.0.14", "10.100.0.15"],
        &[("branch1-conn", "branch1", false, routing("hub1", "defaultRouteTable", &["defaultRouteTable"], &["vnets"]))],
    );
    let s = Scenario::new(&e);
    let topo = Topology::build(&s.snapshot);
    let h = hub(&topo, &s.snapshot, "hub1");
    assert_eq!(rows(h, "RT_VNET"), ["192.168.10.0/24 VPN_S2S_Gateway vpngw1"]);
    assert_eq!(
        rows(h, "defaultRouteTable"),
        [
            "10.1.0.0/16 Virtual Network Connection spoke1-conn",
            "10.2.0.0/16 Virtual Network Connection spoke2-conn",
            "192.168.10.0/24 VPN_S2S_Gateway vpngw1",
        ]
    );
    let c = h.connection_named("spoke1-conn").unwrap();
    assert!(c.associated.as_str().ends_with("/RT_VNET"));
}

/// VW-3, VW-4, VW-6: a spoke's static routes with `propagateStaticRoutes` reach the other hub as
/// `Remote Hub`, except 0.0.0.0/0; without it they stay local. A table's static route wins
/// over the learned route for the same prefix.
#[test]
fn vw3_vw4_vw6_static_routes() {
    let mut e = two_hubs();
    let mut r = routing("hub1", "defaultRouteTable", &["defaultRouteTable"], &["default"]);
    r["vnetRoutes"] = json!({
        "staticRoutes": [{"name": "indirect", "addressPrefixes": ["10.50.0.0/16", "0.0.0.0/0"], "nextHopIpAddress": "10.1.1.4"}],
        "staticRoutesConfig": {"propagateStaticRoutes": true, "vnetLocalRouteOverrideCriteria": "Contains"}
    });
    e.hub_connection("hub1", "spoke1-conn", "spoke1", r, true);
    e.hub_firewall("fw1", "hub1", "10.100.0.132");
    e.hub_route_table(
        "hub1",
        "defaultRouteTable",
        &["default"],
        &[("inspect-spoke2", &["10.2.0.0/16"], id("azureFirewalls", "fw1"))],
    );
    let s = Scenario::new(&e);
    let topo = Topology::build(&s.snapshot);
    let h1 = rows(hub(&topo, &s.snapshot, "hub1"), "defaultRouteTable");
    assert!(h1.contains(&"0.0.0.0/0 Virtual Network Connection spoke1-conn".to_string()), "{h1:?}");
    assert!(h1.contains(&"10.50.0.0/16 Virtual Network Connection spoke1-conn".to_string()), "{h1:?}");
    assert!(h1.contains(&"10.2.0.0/16 Azure Firewall fw1".to_string()), "{h1:?}");
    assert!(!h1.iter().any(|r| r.starts_with("10.2.0.0/16 Virtual Network Connection")), "static over learned: {h1:?}");
    let h2 = rows(hub(&topo, &s.snapshot, "hub2"), "defaultRouteTable");
    assert!(h2.contains(&"10.50.0.0/16 Remote Hub hub1 65520-65520".to_string()), "{h2:?}");
    assert!(!h2.iter().any(|r| r.starts_with("0.0.0.0/0")), "0/0 stays in its hub: {h2:?}");
    // The table's static route is not shared across hubs: hub2 still learns spoke2 from hub1.
    assert!(h2.contains(&"10.2.0.0/16 Remote Hub hub1 65520-65520".to_string()), "{h2:?}");
}

/// VW-7: the same branch prefix from a local VPN site (long AS path) and through the other hub
/// (shorter): `ExpressRoute` (default) prefers the local route, `ASPath` the shorter path.
#[test]
fn vw7_routing_preference_decides_between_local_and_remote() {
    for (preference, expected) in [
        ("ExpressRoute", "172.16.0.0/16 VPN_S2S_Gateway vpngw1 65010"),
        ("VpnGateway", "172.16.0.0/16 VPN_S2S_Gateway vpngw1 65010"),
        ("ASPath", "172.16.0.0/16 Remote Hub hub2 65520-65520"),
    ] {
        let mut e = two_hubs();
        e.resource_property("Microsoft.Network/virtualHubs", "hub1", "hubRoutingPreference", json!(preference));
        // hub1's branch announces with BGP: observed routes give the prepended path.
        e.vpn_site("dc1", &[], 65010).vpn_site("dc2", &["172.16.0.0/16"], 65020);
        e.vpn_gateway("vpngw1", "hub1", &["10.100.0.14", "10.100.0.15"], &[("dc1-conn", "dc1", true, Value::Null)]);
        e.vpn_gateway("vpngw2", "hub2", &["10.200.0.14", "10.200.0.15"], &[("dc2-conn", "dc2", false, Value::Null)]);
        e.observed_hub_routes(
            "hub1",
            "defaultRouteTable",
            &[("172.16.0.0/16", "VPN_S2S_Gateway", id("vpnGateways", "vpngw1"), "65010-65010-65010-65010")],
        );
        let s = Scenario::new(&e);
        let topo = Topology::build(&s.snapshot);
        let h1 = rows(hub(&topo, &s.snapshot, "hub1"), "defaultRouteTable");
        let for_prefix: Vec<&String> = h1.iter().filter(|r| r.starts_with("172.16.0.0/16")).collect();
        assert_eq!(for_prefix.len(), 1, "{preference}: {h1:?}");
        assert!(for_prefix[0].starts_with(expected.split(" 650").next().unwrap()), "{preference}: {for_prefix:?}");
    }
}

/// ExpressRoute prefixes are unknown without observed hub routes; with them they are read.
#[test]
fn express_route_prefixes_come_from_observed_routes() {
    let mut e = two_hubs();
    e.express_route_gateway("ergw1", "hub1", "er-conn");
    let s = Scenario::new(&e);
    let topo = Topology::build(&s.snapshot);
    let h1 = hub(&topo, &s.snapshot, "hub1");
    assert!(h1.notes.iter().any(|n| matches!(n, azroute_engine::HubNote::ExpressRouteRoutesUnknown { .. })));
    e.observed_hub_routes(
        "hub1",
        "defaultRouteTable",
        &[("10.20.0.0/16", "ExpressRouteGateway", id("expressRouteGateways", "ergw1"), "12076-12076")],
    );
    let s = Scenario::new(&e);
    let topo = Topology::build(&s.snapshot);
    assert!(
        rows(hub(&topo, &s.snapshot, "hub1"), "defaultRouteTable")
            .contains(&"10.20.0.0/16 ExpressRouteGateway ergw1 12076-12076".to_string())
    );
    assert!(
        rows(hub(&topo, &s.snapshot, "hub2"), "defaultRouteTable")
            .contains(&"10.20.0.0/16 Remote Hub hub1 65520-65520-12076-12076".to_string())
    );
}

/// RI-3, RI-4: private and Internet policies. Before: the default table holds the spokes and
/// the branch; static routes for 10.0.0.0/8 and 0.0.0.0/0 and for 40.0.0.0/24. After: the
/// policy routes to the firewall, the 40.0.0.0/24 static kept (REST/CLI path), connections
/// propagating nowhere; the firewall's own table holds what the spokes and branch offer.
#[test]
fn ri3_ri4_routing_intent_replaces_the_default_table() {
    let mut e = two_hubs();
    e.hub_firewall("fw1", "hub1", "10.100.0.132");
    let fw = id("azureFirewalls", "fw1");
    e.hub_route_table(
        "hub1",
        "defaultRouteTable",
        &["default"],
        &[
            ("private", &["10.0.0.0/8"], fw.clone()),
            ("internet", &["0.0.0.0/0"], fw.clone()),
            ("other", &["40.0.0.0/24"], fw.clone()),
        ],
    );
    let before = Scenario::new(&e);
    let topo = Topology::build(&before.snapshot);
    assert!(
        rows(hub(&topo, &before.snapshot, "hub1"), "defaultRouteTable")
            .contains(&"10.1.0.0/16 Virtual Network Connection spoke1-conn".to_string())
    );

    e.routing_intent("hub1", &[("PrivateTraffic", fw.clone()), ("Internet", fw.clone())]);
    let after = Scenario::new(&e);
    let topo = Topology::build(&after.snapshot);
    let h1 = hub(&topo, &after.snapshot, "hub1");
    assert_eq!(
        rows(h1, "defaultRouteTable"),
        [
            "0.0.0.0/0 Azure Firewall fw1",
            "10.0.0.0/8 Azure Firewall fw1",
            "172.16.0.0/12 Azure Firewall fw1",
            "192.168.0.0/16 Azure Firewall fw1",
            "40.0.0.0/24 Azure Firewall fw1",
            // RI-5: hub2 has no routing intent; its spokes still propagate to every default
            // table, so hub1 learns them unfiltered (inspection between hubs needs intent on both).
            "10.3.0.0/16 Remote Hub hub2 65520-65520",
        ]
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    );
    let derived: Vec<bool> = h1.default_table().unwrap().routes.iter().map(|r| r.derived).collect();
    assert_eq!(derived.iter().filter(|d| **d).count(), 4, "the four policy routes were derived");
    assert!(h1.notes.iter().any(|n| matches!(n, azroute_engine::HubNote::PolicyRoutesDerived { .. })));
    let firewall = rows_of(h1.firewall_table.as_ref().unwrap());
    assert!(firewall.contains(&"0.0.0.0/0 Internet".to_string()), "{firewall:?}");
    assert!(firewall.contains(&"10.1.0.0/16 Virtual Network Connection spoke1-conn".to_string()), "{firewall:?}");
    assert!(firewall.contains(&"192.168.10.0/24 VPN_S2S_Gateway vpngw1".to_string()), "{firewall:?}");
    assert!(firewall.contains(&"10.3.0.0/16 Remote Hub hub2 65520-65520".to_string()), "{firewall:?}");
    // Private policy: hub1's connections no longer propagate to hub1's own tables, but hub2,
    // without one, still learns them as Remote Hub: Microsoft's traffic table has its spokes
    // reach hub1's through hub1's firewall (§20.14).
    let h2 = rows(hub(&topo, &after.snapshot, "hub2"), "defaultRouteTable");
    assert_eq!(
        h2,
        [
            "10.1.0.0/16 Remote Hub hub1 65520-65520",
            "10.2.0.0/16 Remote Hub hub1 65520-65520",
            "10.3.0.0/16 Virtual Network Connection spoke3-conn",
            "192.168.10.0/24 Remote Hub hub1 65520-65520",
        ]
    );
    // The engine reads the snapshot without error either way.
    RouteEngine::new(&after.snapshot, ModelOptions::default());
}

/// RI-4 read as exported: when the export holds the policy routes they are used as they are,
/// not derived.
#[test]
fn ri4_exported_policy_routes_are_read_not_derived() {
    let mut e = two_hubs();
    e.hub_firewall("fw1", "hub1", "10.100.0.132");
    let fw = id("azureFirewalls", "fw1");
    e.hub_route_table(
        "hub1",
        "defaultRouteTable",
        &["default"],
        &[("_policy_PublicTraffic", &["0.0.0.0/0"], fw.clone())],
    );
    e.routing_intent("hub1", &[("Internet", fw)]);
    let s = Scenario::new(&e);
    let topo = Topology::build(&s.snapshot);
    let h1 = hub(&topo, &s.snapshot, "hub1");
    let table = h1.default_table().unwrap();
    let policy: Vec<_> = table.routes.iter().filter(|r| r.prefixes[0].prefix_len() == 0).collect();
    assert_eq!(policy.len(), 1);
    assert!(!policy[0].derived);
    assert!(!h1.notes.iter().any(|n| matches!(n, azroute_engine::HubNote::PolicyRoutesDerived { .. })));
    // Internet only (RI-3): connections still propagate to the default label.
    assert!(rows(h1, "defaultRouteTable").contains(&"10.1.0.0/16 Virtual Network Connection spoke1-conn".to_string()));
}

/// RI-2: routing intent beside a custom table is an invalid state, said as a note.
#[test]
fn ri2_custom_tables_with_routing_intent_are_flagged() {
    let mut e = two_hubs();
    e.hub_firewall("fw1", "hub1", "10.100.0.132").hub_route_table("hub1", "RT_custom", &["custom"], &[]);
    e.routing_intent("hub1", &[("PrivateTraffic", id("azureFirewalls", "fw1"))]);
    let s = Scenario::new(&e);
    let topo = Topology::build(&s.snapshot);
    let h1 = hub(&topo, &s.snapshot, "hub1");
    assert!(h1.notes.iter().any(
        |n| matches!(n, azroute_engine::HubNote::RoutingIntentWithCustomTables { tables, .. } if tables.len() == 1)
    ));
    assert!(
        h1.connections.iter().all(|c| c.associated.as_str().ends_with("/defaultRouteTable") && c.associated_by_intent)
    );
}

fn rows_of(t: &azroute_engine::HubTable) -> Vec<String> {
    t.routes
        .iter()
        .map(|r| {
            let hops: Vec<&str> = r.next_hops.iter().map(|h| h.last_segment()).collect();
            format!("{} {} {} {}", r.prefixes[0], r.next_hop_type.as_str(), hops.join(","), r.as_path)
                .trim_end()
                .to_string()
        })
        .collect()
}

/// C27, C28, C29 (§20.4, inferred) as options: a connection whose `propagatedRouteTables` is
/// empty propagates like one that says nothing, or nowhere; static routes without
/// `propagateStaticRoutes` stay in their hub, or cross hubs; a BGP branch route through another
/// hub carries `65520-65520` and the origin path, or `65520-65520` alone. Each assumption is a
/// hub note.
#[test]
fn c27_c28_c29_are_options_with_notes() {
    let mut e = two_hubs();
    let mut r = json!({"propagatedRouteTables": {"ids": [], "labels": []}});
    r["vnetRoutes"] = json!({"staticRoutes": [{"name": "indirect", "addressPrefixes": ["10.50.0.0/16"], "nextHopIpAddress": "10.1.1.4"}]});
    e.hub_connection("hub1", "spoke1-conn", "spoke1", r, true);
    e.vpn_gateway("vpngw1", "hub1", &["10.100.0.14", "10.100.0.15"], &[("branch1-conn", "branch1", true, Value::Null)]);
    let s = Scenario::new(&e);
    let tables = |options: ModelOptions| {
        let topo = Topology::build_with(&s.snapshot, &options);
        let h1 = hub(&topo, &s.snapshot, "hub1");
        (rows(h1, "defaultRouteTable"), rows(hub(&topo, &s.snapshot, "hub2"), "defaultRouteTable"), h1.notes.clone())
    };
    let (h1, h2, notes) = tables(ModelOptions::default());
    assert!(h1.contains(&"10.1.0.0/16 Virtual Network Connection spoke1-conn".to_string()), "C27 default: {h1:?}");
    assert!(h2.contains(&"10.1.0.0/16 Remote Hub hub1 65520-65520".to_string()), "C27 default: {h2:?}");
    assert!(h1.contains(&"10.50.0.0/16 Virtual Network Connection spoke1-conn".to_string()), "{h1:?}");
    assert!(!h2.iter().any(|r| r.starts_with("10.50.0.0/16")), "C28 hub-local: {h2:?}");
    assert!(h2.contains(&"192.168.10.0/24 Remote Hub hub1 65520-65520-65010".to_string()), "C29 prepend: {h2:?}");
    let c1 = ArmId::new(hub_connection_id("hub1", "spoke1-conn"));
    assert!(
        notes.contains(&azroute_engine::HubNote::EmptyPropagationAssumed { connection: c1.clone(), nowhere: false })
    );
    assert!(
        notes.contains(&azroute_engine::HubNote::StaticRoutePropagationAssumed { connection: c1, all_hubs: false })
    );

    let (h1, h2, _) =
        tables(ModelOptions { vwan_empty_propagation: VwanEmptyPropagation::Nowhere, ..ModelOptions::default() });
    assert!(!h1.iter().chain(h2.iter()).any(|r| r.starts_with("10.1.0.0/16")), "C27 nowhere: {h1:?} {h2:?}");

    let options = ModelOptions {
        vwan_static_route_propagation: VwanStaticRoutePropagation::AllHubs,
        vwan_remote_branch_as_path: VwanRemoteBranchAsPath::RemoteHubOnly,
        ..ModelOptions::default()
    };
    let (_, h2, _) = tables(options.clone());
    assert!(h2.contains(&"10.50.0.0/16 Remote Hub hub1 65520-65520".to_string()), "C28 all hubs: {h2:?}");
    assert!(h2.contains(&"192.168.10.0/24 Remote Hub hub1 65520-65520".to_string()), "C29 alone: {h2:?}");
    let topo = Topology::build_with(&s.snapshot, &options);
    let notes = &hub(&topo, &s.snapshot, "hub2").notes;
    assert!(notes.contains(&azroute_engine::HubNote::RemoteBranchAsPathAssumed { prepended: false }), "{notes:?}");
}
