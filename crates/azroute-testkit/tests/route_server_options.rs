//! Route Server behaviour the documentation leaves open, as named options with the documented
//! or recommended default (§19.5, C30, C31), and NO_ADVERTISE (§19.2 RS-9): each test shows
//! the default, the other value, and what `--explain` says.

use azroute_engine::{RouteOrigin, TableNote};
use azroute_model::{ModelOptions, RouteServerRelearnedRoutes, RouteServerVpnTie};
use azroute_testkit::*;

fn transit_hub() -> PeerSide {
    PeerSide { allow_gateway_transit: true, allow_forwarded_traffic: true, ..PeerSide::default() }
}

fn uses_remote() -> PeerSide {
    PeerSide { use_remote_gateways: true, allow_forwarded_traffic: true, ..PeerSide::default() }
}

/// Hub 10.0.0.0/16 with Route Server `rs` (10.0.1.4, .5), NVA `nva1` 10.0.2.4 and a VPN gateway
/// (instances 10.0.255.4, .5); `spoke1` 10.1.0.0/16 uses the hub's gateway and Route Server.
fn estate() -> Estate {
    let mut e = Estate::new();
    e.vnet("hub", "eastus", &["10.0.0.0/16"])
        .subnet("hub", "RouteServerSubnet", "10.0.1.0/27")
        .subnet("hub", "nva", "10.0.2.0/24")
        .subnet("hub", "GatewaySubnet", "10.0.255.0/27")
        .nic_with("nva1-nic", "hub", "nva", "10.0.2.4", true)
        .route_server("rs", "hub", &["10.0.1.4", "10.0.1.5"], true)
        .bgp_peer("rs", "nva1", "10.0.2.4", 65001)
        .gateway("vpn", "hub", "Vpn", &["10.0.255.4", "10.0.255.5"]);
    e.vnet("spoke1", "eastus", &["10.1.0.0/16"]).subnet("spoke1", "app", "10.1.1.0/24").nic(
        "spoke1-vm",
        "spoke1",
        "app",
        "10.1.1.4",
    );
    e.peer("spoke1", "hub", uses_remote(), transit_hub());
    e
}

fn rows_for(s: &Scenario, prefix: &str) -> Vec<String> {
    s.route_strings("spoke1-vm")
        .into_iter()
        .filter(|r| r.starts_with("VirtualNetworkGateway") && r.contains(&format!(" {prefix} ")))
        .collect()
}

/// C30: a VPN gateway learned 192.168.60.0/24 over BGP with AS path 65060, the NVA advertises
/// it with 65001: equally long, undocumented. Default: the gateway's route, said in a note;
/// `route-server`: the NVA's.
#[test]
fn c30_vpn_and_route_server_tie_follows_the_option() {
    let mut e = estate();
    e.learned("vpn", &[("192.168.60.0/24", "EBgp", "192.168.60.1")]).peer_learned(
        "rs",
        "nva1",
        &[("192.168.60.0/24", "10.0.2.4", "65001")],
        None,
    );
    let s = Scenario::new(&e);
    assert_eq!(
        rows_for(&s, "192.168.60.0/24"),
        ["VirtualNetworkGateway Active 192.168.60.0/24 VirtualNetworkGateway 10.0.255.4 10.0.255.5"]
    );
    let notes = s.notes("spoke1-vm");
    assert!(
        notes.iter().any(|n| n.contains("equally long AS paths") && n.contains("--route-server-vpn-tie gateway")),
        "{notes:?}"
    );
    let options = ModelOptions { route_server_vpn_tie: RouteServerVpnTie::RouteServer, ..ModelOptions::default() };
    let s = Scenario::with_options(&e, options);
    assert_eq!(
        rows_for(&s, "192.168.60.0/24"),
        ["VirtualNetworkGateway Active 192.168.60.0/24 VirtualNetworkGateway 10.0.2.4"]
    );
    assert!(s.notes("spoke1-vm").iter().any(|n| n.contains("--route-server-vpn-tie route-server")));
}

/// C31 (RS-7): with branch-to-branch the VPN gateway lists 172.16.0.0/12, learned from the Route
/// Server (source peer 10.0.1.4). Default: only the Route Server's route (next hop the NVA),
/// with a note; `also-gateway`: the gateway programs it too, and RS-6 weighs the two (equal
/// AS paths: the tie option keeps the gateway's).
#[test]
fn c31_routes_relearned_by_the_gateway_follow_the_option() {
    let mut e = estate();
    e.learned("vpn", &[("172.16.0.0/12", "IBgp", "10.0.1.4")]).peer_learned(
        "rs",
        "nva1",
        &[("172.16.0.0/12", "10.0.2.4", "65001")],
        None,
    );
    let s = Scenario::new(&e);
    assert_eq!(
        rows_for(&s, "172.16.0.0/12"),
        ["VirtualNetworkGateway Active 172.16.0.0/12 VirtualNetworkGateway 10.0.2.4"]
    );
    let engine = s.engine();
    let (_, table) = engine.nic_table(s.snapshot.find_nic("spoke1-vm").unwrap()).unwrap();
    assert!(table.notes.iter().any(|n| matches!(
        n,
        TableNote::RouteServerRoutesRelearnedByGateway { prefixes, also_gateway: false, .. } if prefixes.len() == 1
    )));
    let options = ModelOptions {
        route_server_relearned_routes: RouteServerRelearnedRoutes::AlsoGateway,
        ..ModelOptions::default()
    };
    let s = Scenario::with_options(&e, options);
    assert_eq!(
        rows_for(&s, "172.16.0.0/12"),
        ["VirtualNetworkGateway Active 172.16.0.0/12 VirtualNetworkGateway 10.0.255.4 10.0.255.5"]
    );
    assert!(s.notes("spoke1-vm").iter().any(|n| n.contains("--route-server-relearned-routes also-gateway")));
}

/// RS-9: a route carrying NO_ADVERTISE (65535:65282) is still programmed in the VNets; the
/// origin says it is not advertised on. Without communities in the output, that cannot be
/// told, and the origin says so.
#[test]
fn rs9_no_advertise_is_told_only_where_communities_are_known() {
    let mut e = estate();
    e.peer_learned_with_communities(
        "rs",
        "nva1",
        &[
            ("192.168.70.0/24", "10.0.2.4", "65001", &["65535:65282"]),
            ("192.168.71.0/24", "10.0.2.4", "65001", &["65001:100"]),
        ],
    );
    let s = Scenario::new(&e);
    assert_eq!(
        rows_for(&s, "192.168.70.0/24"),
        ["VirtualNetworkGateway Active 192.168.70.0/24 VirtualNetworkGateway 10.0.2.4"]
    );
    let engine = s.engine();
    let (_, table) = engine.nic_table(s.snapshot.find_nic("spoke1-vm").unwrap()).unwrap();
    let flag = |prefix: &str| {
        table.routes.iter().find_map(|r| match &r.origin {
            RouteOrigin::RouteServer { no_advertise, .. } if r.prefixes[0].to_string() == prefix => Some(*no_advertise),
            _ => None,
        })
    };
    assert_eq!(flag("192.168.70.0/24"), Some(Some(true)));
    assert_eq!(flag("192.168.71.0/24"), Some(Some(false)));
    let origin = |prefix: &str| {
        let r = table.routes.iter().find(|r| r.prefixes[0].to_string() == prefix).unwrap();
        azroute_engine::origin_text(&s.snapshot, r)
    };
    assert!(
        origin("192.168.70.0/24").contains("NO_ADVERTISE (65535:65282), so it is programmed here but not advertised")
    );
    assert!(!origin("192.168.71.0/24").contains("NO_ADVERTISE"));

    let mut unknown = estate();
    unknown.peer_learned("rs", "nva1", &[("192.168.70.0/24", "10.0.2.4", "65001")], None);
    let s = Scenario::new(&unknown);
    let engine = s.engine();
    let (_, table) = engine.nic_table(s.snapshot.find_nic("spoke1-vm").unwrap()).unwrap();
    let r = table.routes.iter().find(|r| r.prefixes[0].to_string() == "192.168.70.0/24").unwrap();
    assert!(azroute_engine::origin_text(&s.snapshot, r).contains("cannot be told"));
}

/// The doctor's findings of one code: (message, fix).
fn doctor(e: &Estate, code: &str) -> Vec<(String, String)> {
    let snapshot = e.load(Dialect::AzCli);
    let engine = azroute_engine::RouteEngine::new(&snapshot, ModelOptions::default());
    // Only the code asked for: the traffic analysis of thousands of routes is slow in debug.
    let config = azroute_doctor::DoctorConfig { only: Some(vec![code.to_string()]), ..Default::default() };
    let report = azroute_doctor::run(&engine, &config);
    report
        .findings
        .iter()
        .filter(|f| f.code.as_str() == code)
        .map(|f| {
            let text = azroute_report::finding_text::render(&snapshot, f);
            (text.message, text.fix)
        })
        .collect()
}

/// RS-8: a peer over 4,000 routes loses its session: none of its routes are programmed, and the
/// doctor says why; at the limit they all are. (One dialect and one engine per estate: the
/// table is large.)
#[test]
fn rs8_peer_over_the_route_limit_programs_nothing() {
    let prefixes: Vec<String> = (0..4001).map(|i| format!("172.{}.{}.0/24", 16 + i / 256, i % 256)).collect();
    let routes: Vec<(&str, &str, &str)> = prefixes.iter().map(|p| (p.as_str(), "10.0.2.4", "65001")).collect();
    let programmed = |e: &Estate| {
        let snapshot = e.load(Dialect::AzCli);
        let engine = azroute_engine::RouteEngine::new(&snapshot, ModelOptions::default());
        let rib = &engine.topology().route_servers.ribs[0];
        (rib.routes.len(), rib.dropped.len())
    };
    let mut over = estate();
    over.peer_learned("rs", "nva1", &routes, None);
    assert_eq!(programmed(&over), (0, 4001));
    let f = doctor(&over, "RouteServerPeerOverRouteLimit");
    assert_eq!(f.len(), 1);
    assert!(f[0].0.contains("advertised 4001 routes") && f[0].0.contains("none of its routes"), "{}", f[0].0);
    let mut at = estate();
    at.peer_learned("rs", "nva1", &routes[..4000], None);
    assert_eq!(programmed(&at), (4000, 0));
}

/// RS-8: a peer with a reserved or 32-bit ASN is named; a private 16-bit one is not.
#[test]
fn rs8_refused_peer_asn_is_named() {
    let mut e = estate();
    e.bgp_peer("rs", "nva2", "10.0.2.5", 65515);
    let f = doctor(&e, "RouteServerPeerAsnRefused");
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].0.contains("`nva2` (10.0.2.5, AS 65515)"), "{}", f[0].0);
    assert!(doctor(&estate(), "RouteServerPeerAsnRefused").is_empty());
}
