//! Route Server scenarios (§19.2, RS-1…RS-8): a hub VNet with a Route Server and two
//! NVAs peered with it, spokes that use the hub's Route Server and one that does not. Each test
//! cites its rule; every estate is read in the REST, az CLI and Resource Graph dialects, which
//! must agree.

use azroute_engine::{HopResource, RouteOrigin, TableNote, Verdict};
use azroute_testkit::*;
use serde_json::json;

fn transit_hub() -> PeerSide {
    PeerSide { allow_gateway_transit: true, allow_forwarded_traffic: true, ..PeerSide::default() }
}

fn uses_remote() -> PeerSide {
    PeerSide { use_remote_gateways: true, allow_forwarded_traffic: true, ..PeerSide::default() }
}

/// Hub 10.0.0.0/16 with Route Server `rs` (10.0.1.4, .5) and NVAs `nva1` 10.0.2.4, `nva2`
/// 10.0.2.5; `spoke1` 10.1.0.0/16 and `spoke2` 10.2.0.0/16 use the Route Server; `spoke3`
/// 10.3.0.0/16 is peered without `useRemoteGateways`.
fn estate() -> Estate {
    let mut e = Estate::new();
    e.vnet("hub", "eastus", &["10.0.0.0/16"])
        .subnet("hub", "RouteServerSubnet", "10.0.1.0/27")
        .subnet("hub", "nva", "10.0.2.0/24")
        .subnet("hub", "workload", "10.0.3.0/24")
        .nic_with("nva1-nic", "hub", "nva", "10.0.2.4", true)
        .nic_with("nva2-nic", "hub", "nva", "10.0.2.5", true)
        .nic("hub-vm", "hub", "workload", "10.0.3.4")
        .route_server("rs", "hub", &["10.0.1.4", "10.0.1.5"], false)
        .bgp_peer("rs", "nva1", "10.0.2.4", 65001)
        .bgp_peer("rs", "nva2", "10.0.2.5", 65002);
    for (spoke, space, subnet, ip) in [
        ("spoke1", "10.1.0.0/16", "10.1.1.0/24", "10.1.1.4"),
        ("spoke2", "10.2.0.0/16", "10.2.1.0/24", "10.2.1.4"),
        ("spoke3", "10.3.0.0/16", "10.3.1.0/24", "10.3.1.4"),
    ] {
        e.vnet(spoke, "eastus", &[space]).subnet(spoke, "app", subnet).nic(&format!("{spoke}-vm"), spoke, "app", ip);
        let side = if spoke == "spoke3" {
            PeerSide { allow_forwarded_traffic: true, ..PeerSide::default() }
        } else {
            uses_remote()
        };
        e.peer(spoke, "hub", side, transit_hub());
    }
    e
}

fn rs_rows(s: &Scenario, nic: &str) -> Vec<String> {
    s.route_strings(nic).into_iter().filter(|r| r.starts_with("VirtualNetworkGateway")).collect()
}

/// RS-1, RS-4, RS-5: both NVAs advertise 10.0.0.0/8 with equal AS paths: one row per next hop
/// in the hub and in spokes that use the Route Server; none in a spoke that does not.
#[test]
fn rs1_rs5_routes_reach_the_hub_and_spokes_using_it_one_row_per_next_hop() {
    let mut e = estate();
    e.peer_learned("rs", "nva1", &[("10.0.0.0/8", "10.0.2.4", "65001")], None).peer_learned(
        "rs",
        "nva2",
        &[("10.0.0.0/8", "10.0.2.5", "65002")],
        None,
    );
    let s = Scenario::new(&e);
    let expected = [
        "VirtualNetworkGateway Active 10.0.0.0/8 VirtualNetworkGateway 10.0.2.4",
        "VirtualNetworkGateway Active 10.0.0.0/8 VirtualNetworkGateway 10.0.2.5",
    ];
    for nic in ["hub-vm", "spoke1-vm", "spoke2-vm", "nva1-nic"] {
        assert_eq!(rs_rows(&s, nic), expected, "{nic}");
        // The BGP supernet replaces the reserved 10/8 None route (identical prefix, §4.1).
        assert!(s.route_strings(nic).contains(&"Default Invalid 10.0.0.0/8 None".to_string()), "{nic}");
    }
    assert!(rs_rows(&s, "spoke3-vm").is_empty());
    assert!(s.notes("spoke1-vm").iter().any(|n| n.contains("ECMP") && n.contains("10.0.2.4, 10.0.2.5")));
    assert_eq!(
        s.next_hop("spoke1-vm", "10.2.1.4"),
        ("VirtualNetworkGateway".into(), "10.0.2.4".into(), "System Route".into())
    );
}

/// RS-4: the next hop is the route's BGP next hop (a third party, here a firewall at
/// 10.0.2.100 advertised by nva1), not the peer that sent it.
#[test]
fn rs4_next_hop_is_the_bgp_next_hop_not_the_source_peer() {
    let mut e = estate();
    e.peer_learned("rs", "nva1", &[("0.0.0.0/0", "10.0.2.100", "65001")], None);
    let s = Scenario::new(&e);
    assert!(
        rs_rows(&s, "spoke1-vm")
            .contains(&"VirtualNetworkGateway Active 0.0.0.0/0 VirtualNetworkGateway 10.0.2.100".to_string())
    );
    assert!(s.route_strings("spoke1-vm").contains(&"Default Invalid 0.0.0.0/0 Internet".to_string()));
}

/// RS-5: a shorter AS path wins alone; RS-8: an AS path holding 65515 is dropped; RS-3: a
/// prefix equal to or inside the Route Server's VNet is not programmed, a supernet is.
#[test]
fn rs3_rs5_rs8_what_is_not_programmed() {
    let mut e = estate();
    e.peer_learned(
        "rs",
        "nva1",
        &[
            ("172.16.0.0/12", "10.0.2.4", "65001"),
            ("192.168.10.0/24", "10.0.2.4", "65001-65515"),
            ("10.0.5.0/24", "10.0.2.4", "65001"),
            ("10.0.0.0/16", "10.0.2.4", "65001"),
        ],
        None,
    )
    .peer_learned("rs", "nva2", &[("172.16.0.0/12", "10.0.2.5", "65002-65010")], None);
    let s = Scenario::new(&e);
    assert_eq!(rs_rows(&s, "hub-vm"), ["VirtualNetworkGateway Active 172.16.0.0/12 VirtualNetworkGateway 10.0.2.4"]);
    let engine = s.engine();
    let rib = &engine.topology().route_servers.ribs[0];
    let reasons: Vec<String> = rib.dropped.iter().map(|d| format!("{} {:?}", d.route.network, d.reason)).collect();
    assert_eq!(
        reasons,
        [
            "192.168.10.0/24 AsPath65515",
            "10.0.5.0/24 InsideVnetRange { range: 10.0.0.0/16 }",
            "10.0.0.0/16 InsideVnetRange { range: 10.0.0.0/16 }",
            "172.16.0.0/12 LongerAsPath { shortest: 1 }",
        ]
    );
}

/// RS-2: a route table that disables gateway route propagation keeps Route Server routes out,
/// and says so.
#[test]
fn rs2_propagation_disabled_gets_no_route_server_routes() {
    let mut e = estate();
    e.peer_learned("rs", "nva1", &[("172.16.0.0/12", "10.0.2.4", "65001")], None)
        .route_table("no-bgp", &[])
        .route_table_property("no-bgp", "disableBgpRoutePropagation", json!(true))
        .associate("spoke1", "app", "no-bgp");
    let s = Scenario::new(&e);
    assert!(rs_rows(&s, "spoke1-vm").is_empty());
    assert!(s.notes("spoke1-vm").iter().any(|n| n.contains("Route Server `rs`") && n.contains("172.16.0.0/12")));
    assert_eq!(rs_rows(&s, "spoke2-vm").len(), 1);
}

/// A peer without a learned-routes file: its routes are unknown, and the table says so rather
/// than answering confidently without them.
#[test]
fn peer_without_learned_routes_is_named() {
    let s = Scenario::new(&estate());
    assert!(rs_rows(&s, "spoke1-vm").is_empty());
    let notes = s.notes("spoke1-vm");
    assert!(notes.iter().any(|n| n.contains("`nva1` (10.0.2.4)") && n.contains("`nva2` (10.0.2.5)")), "{notes:?}");
}

/// RS-6: against a gateway's route for the same prefix, the default preference (ExpressRoute)
/// keeps ExpressRoute's; `VpnGateway` prefers the NVA's over ExpressRoute's; a VPN gateway's
/// static site prefix (no AS path) beats the NVA's longer one.
#[test]
fn rs6_routing_preference_against_gateway_routes() {
    let mut e = estate();
    e.subnet("hub", "GatewaySubnet", "10.0.255.0/27")
        .gateway("er", "hub", "ExpressRoute", &["10.0.255.4", "10.0.255.5"])
        .learned("er", &[("192.168.200.0/24", "EBgp", "10.0.255.100")])
        .peer_learned("rs", "nva1", &[("192.168.200.0/24", "10.0.2.4", "65001")], None);
    let s = Scenario::new(&e);
    let rows = s.route_strings("spoke1-vm");
    assert!(
        rows.contains(&"VirtualNetworkGateway Active 192.168.200.0/24 VirtualNetworkGateway 10.0.255.100".to_string()),
        "{rows:?}"
    );
    assert!(!rows.iter().any(|r| r.ends_with("192.168.200.0/24 VirtualNetworkGateway 10.0.2.4")));
    e.route_server_property("rs", "hubRoutingPreference", json!("VpnGateway"));
    let s = Scenario::new(&e);
    let rows = s.route_strings("spoke1-vm");
    assert!(
        rows.contains(&"VirtualNetworkGateway Active 192.168.200.0/24 VirtualNetworkGateway 10.0.2.4".to_string()),
        "{rows:?}"
    );
    assert!(s.notes("spoke1-vm").iter().any(|n| n.contains("hubRoutingPreference = VpnGateway")));

    let mut v = estate();
    v.subnet("hub", "GatewaySubnet", "10.0.255.0/27")
        .gateway("vpn", "hub", "Vpn", &["10.0.255.4", "10.0.255.5"])
        .site("vpn", "branch", &["192.168.100.0/24"])
        .peer_learned("rs", "nva1", &[("192.168.100.0/24", "10.0.2.4", "65001")], None);
    let s = Scenario::new(&v);
    let rows = s.route_strings("hub-vm");
    assert!(
        rows.contains(
            &"VirtualNetworkGateway Active 192.168.100.0/24 VirtualNetworkGateway 10.0.255.4 10.0.255.5".to_string()
        ),
        "{rows:?}"
    );
    assert!(!rows.iter().any(|r| r.contains("192.168.100.0/24 VirtualNetworkGateway 10.0.2.4")));
}

/// RS-7: with branch-to-branch, the VPN gateway learns the NVAs' routes from the Route Server
/// (source peer a Route Server address); those stay the Route Server's routes (next hop the
/// NVA), not gateway routes to the gateway's instances.
#[test]
fn rs7_routes_a_gateway_learned_from_the_route_server_are_not_gateway_routes() {
    let mut e = estate();
    e.route_server_property("rs", "allowBranchToBranchTraffic", json!(true))
        .subnet("hub", "GatewaySubnet", "10.0.255.0/27")
        .gateway("vpn", "hub", "Vpn", &["10.0.255.4", "10.0.255.5"])
        .learned("vpn", &[("172.16.0.0/12", "IBgp", "10.0.1.4")])
        .peer_learned("rs", "nva1", &[("172.16.0.0/12", "10.0.2.4", "65001")], None);
    let s = Scenario::new(&e);
    assert_eq!(rs_rows(&s, "spoke1-vm"), ["VirtualNetworkGateway Active 172.16.0.0/12 VirtualNetworkGateway 10.0.2.4"]);
}

/// RS-4 in a trace: a packet following a Route Server route goes to the NVA that is the next
/// hop (not to a gateway), which forwards it over the hub's peering to the other spoke.
#[test]
fn trace_follows_route_server_route_to_the_nva() {
    let mut e = estate();
    e.peer_learned("rs", "nva1", &[("10.0.0.0/8", "10.0.2.4", "65001")], None);
    let s = Scenario::new(&e);
    let t = s.trace("spoke1-vm", "spoke2-vm", 443);
    assert_eq!(t.forward.verdict, Verdict::Delivered, "{:?}", t.forward.hops);
    let nva = s.snapshot.find_nic("nva1-nic").unwrap();
    assert!(t.forward.hops.iter().any(|h| h.resource == HopResource::Nic(nva)));
    let first = t.forward.hops.iter().find_map(|h| h.route.as_ref()).expect("a route");
    assert!(matches!(first.route.route().origin, RouteOrigin::RouteServer { .. }));
    assert!(!t.forward.hops.iter().any(|h| matches!(h.resource, HopResource::Gateway(_))));
}

/// The notes are typed: the ECMP note names both next hops.
#[test]
fn ecmp_note_is_data() {
    let mut e = estate();
    e.peer_learned("rs", "nva1", &[("10.0.0.0/8", "10.0.2.4", "65001")], None).peer_learned(
        "rs",
        "nva2",
        &[("10.0.0.0/8", "10.0.2.5", "65002")],
        None,
    );
    let s = Scenario::new(&e);
    let engine = s.engine();
    let (_, table) = engine.nic_table(s.snapshot.find_nic("hub-vm").unwrap()).unwrap();
    let ecmp: Vec<_> = table.notes.iter().filter(|n| matches!(n, TableNote::RouteServerEcmp { .. })).collect();
    assert_eq!(ecmp.len(), 1);
}

/// T28 (§19.2 RS-10): NVA 10.0.2.4 advertises 0.0.0.0/0; every hub subnet, the NVA's own
/// included, sends the Internet to it; a user route 0.0.0.0/0 → Internet on the NVA's subnet
/// beats the gateway route of the identical prefix.
#[test]
fn t28_route_server_default_route_loop() {
    let mut e = estate();
    e.peer_learned("rs", "nva1", &[("0.0.0.0/0", "10.0.2.4", "65001")], None);
    let s = Scenario::new(&e);
    for nic in ["nva1-nic", "hub-vm", "spoke1-vm"] {
        assert_eq!(
            s.next_hop(nic, "13.107.21.200"),
            ("VirtualNetworkGateway".into(), "10.0.2.4".into(), "System Route".into()),
            "{nic}"
        );
    }
    e.route_table("nva-rt", &[("internet", "0.0.0.0/0", "Internet", None)]).associate("hub", "nva", "nva-rt");
    let s = Scenario::new(&e);
    assert_eq!(s.next_hop("nva1-nic", "13.107.21.200"), ("Internet".into(), "".into(), "nva-rt".into()));
    let rows = s.route_strings("nva1-nic");
    assert!(
        rows.contains(&"VirtualNetworkGateway Invalid 0.0.0.0/0 VirtualNetworkGateway 10.0.2.4".to_string()),
        "{rows:?}"
    );
    assert_eq!(s.next_hop("hub-vm", "13.107.21.200").1, "10.0.2.4");
}

/// T29 (§19.2 RS-5): NVA1 10.0.2.4 and NVA2 10.0.2.5 advertise 192.168.10.0/24 with equal AS
/// paths: both next hops, one row each; NVA2 prepending its AS path leaves only 10.0.2.4.
#[test]
fn t29_route_server_ecmp() {
    let mut e = estate();
    e.peer_learned("rs", "nva1", &[("192.168.10.0/24", "10.0.2.4", "65001")], None).peer_learned(
        "rs",
        "nva2",
        &[("192.168.10.0/24", "10.0.2.5", "65002")],
        None,
    );
    let s = Scenario::new(&e);
    assert_eq!(
        rs_rows(&s, "hub-vm"),
        [
            "VirtualNetworkGateway Active 192.168.10.0/24 VirtualNetworkGateway 10.0.2.4",
            "VirtualNetworkGateway Active 192.168.10.0/24 VirtualNetworkGateway 10.0.2.5",
        ]
    );
    let mut prepended = estate();
    prepended.peer_learned("rs", "nva1", &[("192.168.10.0/24", "10.0.2.4", "65001")], None).peer_learned(
        "rs",
        "nva2",
        &[("192.168.10.0/24", "10.0.2.5", "65002-65002-65002")],
        None,
    );
    let s = Scenario::new(&prepended);
    assert_eq!(rs_rows(&s, "hub-vm"), ["VirtualNetworkGateway Active 192.168.10.0/24 VirtualNetworkGateway 10.0.2.4"]);
}
