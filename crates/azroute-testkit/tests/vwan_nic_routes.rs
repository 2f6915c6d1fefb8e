//! What a spoke NIC shows when its VNet is connected to a Virtual WAN hub (§20.4 VW-N1, VW-N2,
//! VW-5, VW-8, RI-7, RI-8): its connection's associated table as `VirtualNetworkGateway` routes;
//! next hops the hub router, the VPN gateway's instances one row each, the hub firewall under
//! routing intent; 0.0.0.0/0 only with `enableInternetSecurity`; nothing inside its own space;
//! nothing in a subnet whose route table disables gateway propagation.

use azroute_model::*;
use azroute_testkit::*;
use serde_json::Value;

fn hub_rows(s: &Scenario, nic: &str) -> Vec<String> {
    s.route_strings(nic).into_iter().filter(|r| r.starts_with("VirtualNetworkGateway")).collect()
}

fn estate() -> Estate {
    let mut e = Estate::new();
    e.vwan_hub("hub1", "10.100.0.0/24", &["10.100.0.68", "10.100.0.69"], "ExpressRoute").vwan_hub(
        "hub2",
        "10.200.0.0/24",
        &["10.200.0.68", "10.200.0.69"],
        "ExpressRoute",
    );
    for (spoke, space, hub, internet) in [
        ("spoke1", "10.1.0.0/16", "hub1", true),
        ("spoke2", "10.2.0.0/16", "hub1", false),
        ("spoke3", "10.3.0.0/16", "hub2", true),
    ] {
        let subnet = space.replace(".0.0/16", ".1.0/24");
        let ip = space.replace(".0.0/16", ".1.4");
        e.vnet(spoke, "eastus", &[space]).subnet(spoke, "app", &subnet).nic(&format!("{spoke}-vm"), spoke, "app", &ip);
        e.hub_connection(hub, &format!("{spoke}-conn"), spoke, Value::Null, internet);
    }
    e.vpn_site("branch1", &["192.168.10.0/24"], 65010).vpn_gateway(
        "vpngw1",
        "hub1",
        &["10.100.0.14", "10.100.0.15"],
        &[("branch1-conn", "branch1", false, Value::Null)],
    );
    e.hub_firewall("fw1", "hub1", "10.100.0.132");
    let fw = id("azureFirewalls", "fw1");
    e.hub_route_table(
        "hub1",
        "defaultRouteTable",
        &["default"],
        &[("default-to-fw", &["0.0.0.0/0"], fw.clone()), ("spoke1-via-fw", &["10.1.0.0/16"], fw)],
    );
    e
}

/// VW-N1, VW-5, VW-8 and the §20.4 next hops, for the two spokes of hub1.
#[test]
fn vw_n1_spokes_get_their_associated_table() {
    let s = Scenario::new(&estate());
    assert_eq!(
        hub_rows(&s, "spoke1-vm"),
        [
            "VirtualNetworkGateway Active 0.0.0.0/0 VirtualNetworkGateway 10.100.0.132",
            "VirtualNetworkGateway Active 10.2.0.0/16 VirtualNetworkGateway 10.100.0.68 10.100.0.69",
            "VirtualNetworkGateway Active 10.3.0.0/16 VirtualNetworkGateway 10.100.0.68 10.100.0.69",
            "VirtualNetworkGateway Active 192.168.10.0/24 VirtualNetworkGateway 10.100.0.14",
            "VirtualNetworkGateway Active 192.168.10.0/24 VirtualNetworkGateway 10.100.0.15",
        ],
        "VW-8: spoke1's own 10.1.0.0/16 (a static to the firewall) is not programmed into spoke1"
    );
    // VW-5: spoke2's connection does not propagate the default route; VW-6: the static route to
    // the firewall for 10.1.0.0/16 wins over spoke1's connection.
    assert_eq!(
        hub_rows(&s, "spoke2-vm"),
        [
            "VirtualNetworkGateway Active 10.1.0.0/16 VirtualNetworkGateway 10.100.0.132",
            "VirtualNetworkGateway Active 10.3.0.0/16 VirtualNetworkGateway 10.100.0.68 10.100.0.69",
            "VirtualNetworkGateway Active 192.168.10.0/24 VirtualNetworkGateway 10.100.0.14",
            "VirtualNetworkGateway Active 192.168.10.0/24 VirtualNetworkGateway 10.100.0.15",
        ]
    );
    // The hub prefix stays a peering route; the "not modelled" note is gone.
    assert!(s.route_strings("spoke1-vm").contains(&"Default Active 10.100.0.0/24 VNetPeering".to_string()));
    assert!(!s.notes("spoke1-vm").iter().any(|n| n.contains("is not in the snapshot")));
    assert!(s.notes("spoke1-vm").iter().any(|n| n.contains("virtualRouterIps") && n.contains("C26")));
    // The next hop lookup follows the hub route.
    assert_eq!(s.next_hop("spoke1-vm", "10.3.1.4").0, "VirtualNetworkGateway");
    assert_eq!(s.next_hop("spoke1-vm", "8.8.8.8").1, "10.100.0.132");
}

/// RI-7: under routing intent the aggregates and 0.0.0.0/0 point at the firewall's private IP.
#[test]
fn ri7_routing_intent_routes_point_at_the_firewall() {
    let mut e = estate();
    e.hub_route_table("hub1", "defaultRouteTable", &["default"], &[]);
    e.routing_intent(
        "hub1",
        &[("PrivateTraffic", id("azureFirewalls", "fw1")), ("Internet", id("azureFirewalls", "fw1"))],
    );
    let s = Scenario::new(&e);
    let rows = hub_rows(&s, "spoke1-vm");
    for p in ["0.0.0.0/0", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] {
        assert!(
            rows.contains(&format!("VirtualNetworkGateway Active {p} VirtualNetworkGateway 10.100.0.132")),
            "{p}: {rows:?}"
        );
    }
    // VW-5 under the Internet policy (RI-6): spoke2 (enableInternetSecurity false) gets no 0.0.0.0/0.
    assert!(!hub_rows(&s, "spoke2-vm").iter().any(|r| r.contains(" 0.0.0.0/0 ")));
}

/// VW-N2, RI-8: a subnet whose route table disables gateway propagation gets no hub route, and
/// a note says which were left out.
#[test]
fn ri8_disabled_gateway_propagation_drops_every_hub_route() {
    let mut e = estate();
    e.route_table("rt-app", &[]).route_table_property("rt-app", "disableBgpRoutePropagation", Value::Bool(true));
    e.associate("spoke1", "app", "rt-app");
    let s = Scenario::new(&e);
    assert!(hub_rows(&s, "spoke1-vm").is_empty());
    assert!(
        s.notes("spoke1-vm").iter().any(|n| n.contains("disables gateway route propagation") && n.contains("RI-8"))
    );
}

/// C26: with `--vwan-router-next-hop omitted`, routes through the hub router show no address.
#[test]
fn c26_router_next_hop_option() {
    let options = ModelOptions { vwan_router_next_hop: VwanRouterNextHop::Omitted, ..ModelOptions::default() };
    let s = Scenario::with_options(&estate(), options);
    assert!(
        hub_rows(&s, "spoke1-vm")
            .contains(&"VirtualNetworkGateway Active 10.3.0.0/16 VirtualNetworkGateway".to_string())
    );
}

/// A spoke whose hub is not in the snapshot keeps the §19.4 note.
#[test]
fn a_missing_hub_keeps_the_not_modelled_note() {
    let mut e = Estate::new();
    e.vnet("spoke", "eastus", &["10.1.0.0/16"])
        .subnet("spoke", "app", "10.1.1.0/24")
        .nic("vm", "spoke", "app", "10.1.1.4");
    e.connect_to_virtual_wan_hub("spoke", "hubX", "10.100.0.0/24");
    let s = Scenario::new(&e);
    assert!(s.notes("vm").iter().any(|n| n.contains("missing")));
}
