//! Scenario tests T01–T38 of `docs/azure-routing-rules.md` §14 that concern effective routes,
//! next hop and the settings checks that go with them. Each test builds the scenario's estate,
//! loads it in the REST, az CLI and Resource Graph dialects (which must agree), and checks Azure's
//! documented answer.

use azroute_doctor::DoctorConfig;
use azroute_engine::{FindingCode, RouteEngine};
use azroute_model::*;
use azroute_testkit::*;
use serde_json::json;

const BASE4: [&str; 4] = [
    "Default Active 10.0.0.0/8 None",
    "Default Active 100.64.0.0/10 None",
    "Default Active 172.16.0.0/12 None",
    "Default Active 192.168.0.0/16 None",
];

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn strings(items: &[&str]) -> Vec<String> {
    sorted(items.iter().map(|s| s.to_string()).collect())
}

fn nh(t: &str, ip: &str, rt: &str) -> (String, String, String) {
    (t.to_string(), ip.to_string(), rt.to_string())
}

fn plain(space: &[&str], subnet: &str) -> Estate {
    let mut e = Estate::new();
    e.vnet("vnet1", "eastus", space).subnet("vnet1", "s1", subnet).nic(
        "nic1",
        "vnet1",
        "s1",
        &subnet.replace(".0/24", ".5"),
    );
    e
}

/// T01 – Plain VNet 10.0.0.0/16, subnet 10.0.1.0/24, no route table: VnetLocal, Internet and
/// the four reserved None routes (10/8 kept: subset rule R3, §1.2).
#[test]
fn t01_plain_vnet() {
    let s = Scenario::new(&plain(&["10.0.0.0/16"], "10.0.1.0/24"));
    let mut expected = vec!["Default Active 10.0.0.0/16 VnetLocal", "Default Active 0.0.0.0/0 Internet"];
    expected.extend(BASE4);
    assert_eq!(s.route_strings("nic1"), strings(&expected));
    assert_eq!(s.next_hop("nic1", "10.0.7.9"), nh("VirtualNetwork", "", "System Route"));
    assert_eq!(s.next_hop("nic1", "13.107.21.200"), nh("Internet", "", "System Route"));
    assert_eq!(s.next_hop("nic1", "172.31.0.100"), nh("None", "", "System Route"));
    assert_eq!(s.next_hop("nic1", "10.200.0.1"), nh("None", "", "System Route"));
}

/// T02 – VNet exactly a reserved range (192.168.0.0/16): exactly five routes, no 192.168/16
/// None (rule R1, the PowerShell tutorial's output).
#[test]
fn t02_vnet_equal_to_reserved_range() {
    let s = Scenario::new(&plain(&["192.168.0.0/16"], "192.168.1.0/24"));
    assert_eq!(
        s.route_strings("nic1"),
        strings(&[
            "Default Active 192.168.0.0/16 VnetLocal",
            "Default Active 0.0.0.0/0 Internet",
            "Default Active 10.0.0.0/8 None",
            "Default Active 100.64.0.0/10 None",
            "Default Active 172.16.0.0/12 None",
        ])
    );
}

/// T03 – VNet range a superset of a reserved range (192.168.0.0/15): no 192.168/16 None (R2).
#[test]
fn t03_vnet_superset_of_reserved_range() {
    let s = Scenario::new(&plain(&["192.168.0.0/15"], "192.168.1.0/24"));
    let routes = s.route_strings("nic1");
    assert!(routes.contains(&"Default Active 192.168.0.0/15 VnetLocal".to_string()));
    assert!(!routes.iter().any(|r| r.contains("192.168.0.0/16")), "{routes:?}");
    assert!(routes.contains(&"Default Active 10.0.0.0/8 None".to_string()));
    assert_eq!(routes.len(), 5);
}

/// T04 – Multiple address ranges: one VnetLocal per range, none per subnet; 10/8 and
/// 172.16/12 kept (R3).
#[test]
fn t04_multiple_address_ranges() {
    let s = Scenario::new(&plain(&["10.0.0.0/16", "172.16.0.0/24"], "10.0.1.0/24"));
    let mut expected = vec![
        "Default Active 10.0.0.0/16 VnetLocal",
        "Default Active 172.16.0.0/24 VnetLocal",
        "Default Active 0.0.0.0/0 Internet",
    ];
    expected.extend(BASE4);
    assert_eq!(s.route_strings("nic1"), strings(&expected));
    assert_eq!(s.next_hop("nic1", "172.16.0.9"), nh("VirtualNetwork", "", "System Route"));
    assert_eq!(s.next_hop("nic1", "172.16.1.9"), nh("None", "", "System Route"));
}

fn two_vnets(region2: &str) -> Estate {
    let mut e = Estate::new();
    e.vnet("vnet1", "eastus", &["10.0.0.0/16"])
        .subnet("vnet1", "s1", "10.0.1.0/24")
        .nic("nic1", "vnet1", "s1", "10.0.1.4");
    e.vnet("vnet2", region2, &["10.1.0.0/16", "10.2.0.0/16"])
        .subnet("vnet2", "s2", "10.1.1.0/24")
        .nic("nic2", "vnet2", "s2", "10.1.1.4");
    e
}

/// T05 – Regional peering with a multi-range peer: one VNetPeering route per remote range.
#[test]
fn t05_regional_peering_multi_range() {
    let mut e = two_vnets("eastus");
    e.peer_simple("vnet1", "vnet2");
    let s = Scenario::new(&e);
    let routes = s.route_strings("nic1");
    assert!(routes.contains(&"Default Active 10.1.0.0/16 VNetPeering".to_string()), "{routes:?}");
    assert!(routes.contains(&"Default Active 10.2.0.0/16 VNetPeering".to_string()));
    assert_eq!(s.next_hop("nic1", "10.2.3.4"), nh("VirtualNetworkPeering", "", "System Route"));
    assert!(s.route_strings("nic2").contains(&"Default Active 10.0.0.0/16 VNetPeering".to_string()));
}

/// T06 – Global peering (regions differ): next hop type VNetGlobalPeering.
#[test]
fn t06_global_peering() {
    let mut e = two_vnets("westeurope");
    e.peer_simple("vnet1", "vnet2");
    let s = Scenario::new(&e);
    let routes = s.route_strings("nic1");
    assert!(routes.contains(&"Default Active 10.1.0.0/16 VNetGlobalPeering".to_string()), "{routes:?}");
    assert_eq!(s.next_hop("nic1", "10.1.3.4"), nh("VirtualNetworkPeering", "", "System Route"));
}

/// T07 – Half-created peering (Initiated): no peering routes on either side; traffic falls into
/// 10.0.0.0/8 None; the note names the peering.
#[test]
fn t07_half_created_peering() {
    let mut e = two_vnets("eastus");
    e.peer_one_way("vnet1", "vnet2", PeerSide { state: "Initiated", ..PeerSide::default() });
    let s = Scenario::new(&e);
    assert!(!s.route_strings("nic1").iter().any(|r| r.contains("Peering")));
    assert!(!s.route_strings("nic2").iter().any(|r| r.contains("Peering")));
    assert_eq!(s.next_hop("nic1", "10.1.0.5"), nh("None", "", "System Route"));
    assert!(
        s.notes("nic1").iter().any(|n| n.contains("vnet1-to-vnet2") && n.contains("Initiated")),
        "{:?}",
        s.notes("nic1")
    );
}

/// T08 – Non-transitivity: A–B and B–C give A no route to C.
#[test]
fn t08_peering_is_not_transitive() {
    let mut e = Estate::new();
    e.vnet("a", "eastus", &["10.0.0.0/16"]).subnet("a", "s", "10.0.1.0/24").nic("nic-a", "a", "s", "10.0.1.4");
    e.vnet("b", "eastus", &["10.1.0.0/16"]).subnet("b", "s", "10.1.1.0/24");
    e.vnet("c", "eastus", &["10.2.0.0/16"]).subnet("c", "s", "10.2.1.0/24").nic("nic-c", "c", "s", "10.2.0.4");
    e.peer_simple("a", "b").peer_simple("b", "c");
    let s = Scenario::new(&e);
    assert!(!s.route_strings("nic-a").iter().any(|r| r.contains("10.2.0.0/16")));
    assert_eq!(s.next_hop("nic-a", "10.2.0.4"), nh("None", "", "System Route"));
}

/// T09 – Default route to an NVA: the default Internet route is Invalid, the user route
/// Active, and the reserved None routes disappear (§1.3).
#[test]
fn t09_default_route_to_nva() {
    let mut e = plain(&["10.0.0.0/16"], "10.0.1.0/24");
    e.route_table("rt", &[("Default-NVA", "0.0.0.0/0", "VirtualAppliance", Some("10.0.100.4"))])
        .associate("vnet1", "s1", "rt");
    let s = Scenario::new(&e);
    assert_eq!(
        s.route_strings("nic1"),
        strings(&[
            "Default Active 10.0.0.0/16 VnetLocal",
            "Default Invalid 0.0.0.0/0 Internet",
            "User Active 0.0.0.0/0 VirtualAppliance 10.0.100.4 Default-NVA",
        ])
    );
    assert_eq!(s.next_hop("nic1", "8.8.8.8"), nh("VirtualAppliance", "10.0.100.4", "rt"));
    assert_eq!(s.next_hop("nic1", "172.31.0.100"), nh("VirtualAppliance", "10.0.100.4", "rt"));
}

/// T10 – Override the VNet route but keep intra-subnet traffic local: the winning route is a
/// user route, so routeTableId is the table even for VnetLocal.
#[test]
fn t10_override_vnet_route_keep_subnet_local() {
    let mut e = Estate::new();
    e.vnet("vnet1", "eastus", &["10.0.0.0/16"])
        .subnet("vnet1", "s0", "10.0.0.0/24")
        .nic("nic1", "vnet1", "s0", "10.0.0.5");
    e.route_table(
        "rt",
        &[
            ("vnet-via-nva", "10.0.0.0/16", "VirtualAppliance", Some("10.0.100.4")),
            ("subnet-local", "10.0.0.0/24", "VnetLocal", None),
        ],
    )
    .associate("vnet1", "s0", "rt");
    let s = Scenario::new(&e);
    assert_eq!(s.next_hop("nic1", "10.0.0.9"), nh("VirtualNetwork", "", "rt"));
    assert_eq!(s.next_hop("nic1", "10.0.1.9"), nh("VirtualAppliance", "10.0.100.4", "rt"));
    assert!(s.route_strings("nic1").contains(&"Default Invalid 10.0.0.0/16 VnetLocal".to_string()));
    // Both user routes stay Active: a less specific route is not Invalid (§4.3).
    assert!(
        s.route_strings("nic1")
            .contains(&"User Active 10.0.0.0/16 VirtualAppliance 10.0.100.4 vnet-via-nva".to_string())
    );
}

fn hub_with_gateway() -> Estate {
    let mut e = Estate::new();
    e.vnet("hub", "eastus", &["10.0.0.0/16"])
        .subnet("hub", "GatewaySubnet", "10.0.0.0/27")
        .subnet("hub", "a", "10.0.1.0/24")
        .subnet("hub", "b", "10.0.2.0/24")
        .nic("nic-a", "hub", "a", "10.0.1.4")
        .nic("nic-b", "hub", "b", "10.0.2.4")
        .gateway("gw", "hub", "Vpn", &["10.0.0.4", "10.0.0.5"]);
    e
}

/// T12 – A user route and a BGP route with the identical prefix: the gateway route is Invalid.
#[test]
fn t12_udr_beats_bgp_identical_prefix() {
    let mut e = hub_with_gateway();
    e.learned("gw", &[("10.10.0.0/16", "EBgp", "172.16.0.1")]);
    e.route_table("rt", &[("onprem-via-nva", "10.10.0.0/16", "VirtualAppliance", Some("10.0.1.10"))])
        .associate("hub", "a", "rt");
    let s = Scenario::new(&e);
    let routes = s.route_strings("nic-a");
    assert!(
        routes.contains(
            &"VirtualNetworkGateway Invalid 10.10.0.0/16 VirtualNetworkGateway 10.0.0.4 10.0.0.5".to_string()
        ),
        "{routes:?}"
    );
    assert!(routes.contains(&"User Active 10.10.0.0/16 VirtualAppliance 10.0.1.10 onprem-via-nva".to_string()));
    // Subnet b has no route table and uses the gateway route.
    assert_eq!(s.next_hop("nic-b", "10.10.1.1"), nh("VirtualNetworkGateway", "10.0.0.4", "System Route"));
}

/// T13 – A gateway learns 0.0.0.0/0 (forced tunnelling over BGP): the default Internet route is
/// Invalid; the documented None-route removal applies to user routes only (C12).
#[test]
fn t13_bgp_default_route() {
    let mut e = hub_with_gateway();
    e.learned("gw", &[("0.0.0.0/0", "EBgp", "172.16.0.1")]);
    let s = Scenario::new(&e);
    let routes = s.route_strings("nic-a");
    assert!(routes.contains(&"Default Invalid 0.0.0.0/0 Internet".to_string()), "{routes:?}");
    assert!(
        routes.contains(&"VirtualNetworkGateway Active 0.0.0.0/0 VirtualNetworkGateway 10.0.0.4 10.0.0.5".to_string())
    );
    assert!(routes.contains(&"Default Active 10.0.0.0/8 None".to_string()));
    assert_eq!(s.next_hop("nic-a", "8.8.8.8"), nh("VirtualNetworkGateway", "10.0.0.4", "System Route"));
    // With the udr-and-bgp option the None routes go away too.
    let options = ModelOptions {
        drop_reserved_none_routes_on_default_override: ReservedNoneRemoval::UdrAndBgp,
        ..ModelOptions::default()
    };
    let s = Scenario::with_options(&e, options);
    assert!(!s.route_strings("nic-a").iter().any(|r| r.ends_with(" None")));
}

/// T14 – A BGP route more specific than the VNet range is never used for VNet destinations:
/// system routes for the VNet and its peerings win (§4.1 rule 3); same for a peered range.
#[test]
fn t14_bgp_more_specific_than_vnet_is_shadowed() {
    let mut e = hub_with_gateway();
    e.vnet("peer", "eastus", &["10.1.0.0/16"]).subnet("peer", "s", "10.1.1.0/24");
    e.peer_simple("hub", "peer");
    e.learned("gw", &[("10.0.1.0/24", "EBgp", "172.16.0.1"), ("10.1.5.0/24", "EBgp", "172.16.0.1")]);
    let s = Scenario::new(&e);
    assert_eq!(s.next_hop("nic-b", "10.0.1.10"), nh("VirtualNetwork", "", "System Route"));
    assert_eq!(s.next_hop("nic-b", "10.1.5.9"), nh("VirtualNetworkPeering", "", "System Route"));
    // The BGP route is listed Active (a different prefix, §4.4) with a note.
    assert!(
        s.route_strings("nic-b")
            .contains(&"VirtualNetworkGateway Active 10.0.1.0/24 VirtualNetworkGateway 10.0.0.4 10.0.0.5".to_string())
    );
    assert!(
        s.notes("nic-b").iter().any(|n| n.contains("10.0.1.0/24") && n.contains("never used")),
        "{:?}",
        s.notes("nic-b")
    );
}

/// T15 – Gateway route propagation disabled on subnet a: no gateway route there and every route
/// carries disableBgpRoutePropagation; subnet b without a table still gets it.
#[test]
fn t15_gateway_route_propagation_disabled() {
    let mut e = hub_with_gateway();
    e.site("gw", "onprem", &["192.168.50.0/24"]);
    e.route_table_with("rt", &[], true).associate("hub", "a", "rt");
    let s = Scenario::new(&e);
    let rows = s.routes("nic-a");
    assert!(!rows.iter().any(|r| r.prefix == "192.168.50.0/24"));
    assert!(rows.iter().all(|r| r.disable_bgp));
    assert_eq!(s.next_hop("nic-a", "192.168.50.9"), nh("None", "", "System Route"));
    assert_eq!(s.next_hop("nic-b", "192.168.50.9"), nh("VirtualNetworkGateway", "10.0.0.4", "System Route"));
    assert!(s.routes("nic-b").iter().all(|r| !r.disable_bgp));
    assert!(s.notes("nic-a").iter().any(|n| n.contains("disableBgpRoutePropagation")));
}

fn hub_spoke_transit(use_remote: bool) -> Estate {
    let mut e = hub_with_gateway();
    e.site("gw", "onprem", &["10.10.0.0/16"]);
    e.vnet("spoke", "eastus", &["10.1.0.0/16"]).subnet("spoke", "s", "10.1.1.0/24").nic(
        "nic-spoke",
        "spoke",
        "s",
        "10.1.1.4",
    );
    e.peer(
        "hub",
        "spoke",
        PeerSide { allow_gateway_transit: true, ..PeerSide::default() },
        PeerSide { use_remote_gateways: use_remote, ..PeerSide::default() },
    );
    e
}

/// T16 – Gateway transit: the spoke gets the hub gateway's routes (source
/// VirtualNetworkGateway, the hub gateway's IPs); without useRemoteGateways it gets none.
#[test]
fn t16_gateway_transit() {
    let s = Scenario::new(&hub_spoke_transit(true));
    assert!(
        s.route_strings("nic-spoke")
            .contains(&"VirtualNetworkGateway Active 10.10.0.0/16 VirtualNetworkGateway 10.0.0.4 10.0.0.5".to_string())
    );
    assert_eq!(s.next_hop("nic-spoke", "10.10.3.3"), nh("VirtualNetworkGateway", "10.0.0.4", "System Route"));
    let s = Scenario::new(&hub_spoke_transit(false));
    assert!(!s.route_strings("nic-spoke").iter().any(|r| r.contains("10.10.0.0/16")));
    assert_eq!(s.next_hop("nic-spoke", "10.10.3.3"), nh("None", "", "System Route"));
    assert!(s.notes("nic-spoke").iter().any(|n| n.contains("useRemoteGateways = false")), "{:?}", s.notes("nic-spoke"));
}

/// T17 (routes part) – Spoke-to-spoke via a hub NVA: each spoke's next hop to the other spoke
/// is the NVA; from the NVA's subnet the other spoke is a peering route.
#[test]
fn t17_spoke_to_spoke_next_hops() {
    let mut e = Estate::new();
    e.vnet("hub", "eastus", &["10.0.0.0/16"])
        .subnet("hub", "nva", "10.0.1.0/24")
        .nic_with("nic-nva", "hub", "nva", "10.0.1.4", true);
    e.vnet("spoke1", "eastus", &["10.1.0.0/16"])
        .subnet("spoke1", "s", "10.1.1.0/24")
        .nic("nic1", "spoke1", "s", "10.1.1.4");
    e.vnet("spoke2", "eastus", &["10.2.0.0/16"])
        .subnet("spoke2", "s", "10.2.1.0/24")
        .nic("nic2", "spoke2", "s", "10.2.1.4");
    e.peer_simple("hub", "spoke1").peer_simple("hub", "spoke2");
    e.route_table("rt1", &[("to-spoke2", "10.2.0.0/16", "VirtualAppliance", Some("10.0.1.4"))])
        .associate("spoke1", "s", "rt1");
    e.route_table("rt2", &[("to-spoke1", "10.1.0.0/16", "VirtualAppliance", Some("10.0.1.4"))])
        .associate("spoke2", "s", "rt2");
    let s = Scenario::new(&e);
    assert_eq!(s.next_hop("nic1", "10.2.1.4"), nh("VirtualAppliance", "10.0.1.4", "rt1"));
    assert_eq!(s.next_hop("nic2", "10.1.1.4"), nh("VirtualAppliance", "10.0.1.4", "rt2"));
    assert_eq!(s.next_hop("nic-nva", "10.2.1.4"), nh("VirtualNetworkPeering", "", "System Route"));
}

fn storage_tags() -> Vec<(&'static str, &'static str, &'static [&'static str])> {
    vec![
        ("Storage", "", &["20.38.96.0/19", "52.239.128.0/17"]),
        ("Storage.EastUS", "eastus", &["20.38.98.0/24", "52.239.152.0/22"]),
    ]
}

/// T18 – Service endpoint plus forced tunnelling: the endpoint's route exists only on the
/// subnet that enables it, and wins for storage addresses; other traffic goes to the NVA.
#[test]
fn t18_service_endpoint_and_forced_tunnelling() {
    let mut e = Estate::new();
    e.vnet("vnet1", "eastus", &["10.0.0.0/16"])
        .subnet("vnet1", "s1", "10.0.1.0/24")
        .subnet("vnet1", "s2", "10.0.2.0/24")
        .nic("nic1", "vnet1", "s1", "10.0.1.4")
        .nic("nic2", "vnet1", "s2", "10.0.2.4")
        .service_endpoint("vnet1", "s1", "Microsoft.Storage", &["eastus"])
        .service_tags(&storage_tags());
    e.route_table("rt", &[("default-nva", "0.0.0.0/0", "VirtualAppliance", Some("10.0.100.4"))])
        .associate("vnet1", "s1", "rt");
    let s = Scenario::new(&e);
    assert!(
        s.route_strings("nic1")
            .contains(&"Default Active 20.38.98.0/24 52.239.152.0/22 VirtualNetworkServiceEndpoint".to_string())
    );
    assert!(!s.route_strings("nic2").iter().any(|r| r.contains("ServiceEndpoint")));
    assert_eq!(s.next_hop("nic1", "52.239.152.10"), nh("VirtualNetworkServiceEndpoint", "", "System Route"));
    assert_eq!(s.next_hop("nic1", "93.184.216.34"), nh("VirtualAppliance", "10.0.100.4", "rt"));
}

/// T18 without a Service Tags file: the endpoint route is listed with its tag as the prefix
/// and a note says why it could not be expanded.
#[test]
fn t18_service_endpoint_without_tags_file() {
    let mut e = Estate::new();
    e.vnet("vnet1", "eastus", &["10.0.0.0/16"])
        .subnet("vnet1", "s1", "10.0.1.0/24")
        .nic("nic1", "vnet1", "s1", "10.0.1.4");
    e.service_endpoint("vnet1", "s1", "Microsoft.Storage", &["eastus"]);
    let s = Scenario::new(&e);
    assert!(
        s.route_strings("nic1").contains(&"Default Active Storage.eastus VirtualNetworkServiceEndpoint".to_string())
    );
    assert!(s.notes("nic1").iter().any(|n| n.contains("no Service Tags file")));
}

/// T19 – Service-tag user routes: the regional tag beats the top-level tag for identical
/// prefixes, and an explicit CIDR beats both (§3.5).
#[test]
fn t19_service_tag_route_precedence() {
    let mut e = plain(&["10.0.0.0/16"], "10.0.1.0/24");
    e.service_tags(&storage_tags());
    e.route_table(
        "rt",
        &[
            ("storage-nva", "Storage", "VirtualAppliance", Some("10.0.100.4")),
            ("storage-east", "Storage.EastUS", "Internet", None),
        ],
    )
    .associate("vnet1", "s1", "rt");
    let s = Scenario::new(&e);
    assert_eq!(s.next_hop("nic1", "52.239.152.10"), nh("Internet", "", "rt"));
    assert_eq!(s.next_hop("nic1", "52.239.130.10"), nh("VirtualAppliance", "10.0.100.4", "rt"));
    let mut e2 = plain(&["10.0.0.0/16"], "10.0.1.0/24");
    e2.service_tags(&storage_tags());
    e2.route_table(
        "rt",
        &[
            ("storage-nva", "Storage", "VirtualAppliance", Some("10.0.100.4")),
            ("storage-east", "Storage.EastUS", "Internet", None),
            ("explicit", "52.239.152.0/22", "None", None),
        ],
    )
    .associate("vnet1", "s1", "rt");
    let s = Scenario::new(&e2);
    assert_eq!(s.next_hop("nic1", "52.239.152.10"), nh("None", "", "rt"));
}

fn pe_estate(policies: &str, hub_routes: &[(&str, &str, &str, Option<&str>)]) -> Estate {
    let mut e = Estate::new();
    e.vnet("hub", "eastus", &["10.0.0.0/16"])
        .subnet("hub", "vms", "10.0.1.0/24")
        .nic("nic-hub", "hub", "vms", "10.0.1.4");
    e.vnet("spoke", "eastus", &["10.5.0.0/16"]).subnet("spoke", "pe", "10.5.4.0/24");
    e.subnet_property("spoke", "pe", "privateEndpointNetworkPolicies", json!(policies));
    e.private_endpoint("pe1", "spoke", "pe", "10.5.4.12");
    e.peer_simple("hub", "spoke");
    e.route_table("rt", hub_routes).associate("hub", "vms", "rt");
    e
}

/// T20 – Private endpoint /32 routes bypass a 0/0 firewall route, and the variants of §5.5.
#[test]
fn t20_private_endpoint_routes() {
    let fw = Some("10.0.9.4");
    let s = Scenario::new(&pe_estate("Disabled", &[("default-fw", "0.0.0.0/0", "VirtualAppliance", fw)]));
    assert!(s.route_strings("nic-hub").contains(&"Default Active 10.5.4.12/32 InterfaceEndpoint".to_string()));
    assert_eq!(s.next_hop("nic-hub", "10.5.4.12").0, "VirtualNetworkPeering");
    // a: policies enabled and a /16 user route: the /32 is Invalid; traffic goes to the firewall.
    let s = Scenario::new(&pe_estate(
        "RouteTableEnabled",
        &[("default-fw", "0.0.0.0/0", "VirtualAppliance", fw), ("spoke-fw", "10.5.0.0/16", "VirtualAppliance", fw)],
    ));
    assert!(s.route_strings("nic-hub").contains(&"Default Invalid 10.5.4.12/32 InterfaceEndpoint".to_string()));
    assert_eq!(s.next_hop("nic-hub", "10.5.4.12"), nh("VirtualAppliance", "10.0.9.4", "rt"));
    // b: the same user route with policies disabled leaves the /32 Active.
    let s = Scenario::new(&pe_estate(
        "Disabled",
        &[("default-fw", "0.0.0.0/0", "VirtualAppliance", fw), ("spoke-fw", "10.5.0.0/16", "VirtualAppliance", fw)],
    ));
    assert!(s.route_strings("nic-hub").contains(&"Default Active 10.5.4.12/32 InterfaceEndpoint".to_string()));
    // c: a /32 user route wins by identical prefix whatever the policies.
    let s = Scenario::new(&pe_estate("Disabled", &[("pe-fw", "10.5.4.12/32", "VirtualAppliance", fw)]));
    assert!(s.route_strings("nic-hub").contains(&"Default Invalid 10.5.4.12/32 InterfaceEndpoint".to_string()));
    assert_eq!(s.next_hop("nic-hub", "10.5.4.12"), nh("VirtualAppliance", "10.0.9.4", "rt"));
    // d: only 0/0 with policies enabled: the /32 stays Active.
    let s = Scenario::new(&pe_estate("Enabled", &[("default-fw", "0.0.0.0/0", "VirtualAppliance", fw)]));
    assert!(s.route_strings("nic-hub").contains(&"Default Active 10.5.4.12/32 InterfaceEndpoint".to_string()));
}

/// T21 – Private endpoint routes are not transitive: a VNet peered only to the hub does not get
/// the spoke's private endpoint /32.
#[test]
fn t21_private_endpoint_route_not_transitive() {
    let mut e = pe_estate("Disabled", &[]);
    e.vnet("spoke2", "eastus", &["10.6.0.0/16"])
        .subnet("spoke2", "s", "10.6.1.0/24")
        .nic("nic-s2", "spoke2", "s", "10.6.1.4");
    e.peer_simple("hub", "spoke2");
    let s = Scenario::new(&e);
    assert!(!s.route_strings("nic-s2").iter().any(|r| r.contains("10.5.4.12")));
    assert!(s.route_strings("nic-hub").iter().any(|r| r.contains("10.5.4.12/32")));
}

/// T22 (routes part) – A user route to VirtualNetworkGateway is listed as written even where
/// the gateway is ExpressRoute (the doctor and trace report `UdrGatewayNotVpn`).
#[test]
fn t22_udr_to_virtual_network_gateway_is_listed() {
    let mut e = Estate::new();
    e.vnet("hub", "eastus", &["10.0.0.0/16"]).subnet("hub", "GatewaySubnet", "10.0.0.0/27").subnet(
        "hub",
        "a",
        "10.0.1.0/24",
    );
    e.nic("nic-a", "hub", "a", "10.0.1.4").gateway("er", "hub", "ExpressRoute", &[]);
    e.route_table("rt", &[("to-er", "10.20.0.0/16", "VirtualNetworkGateway", None)]).associate("hub", "a", "rt");
    let s = Scenario::new(&e);
    assert!(s.route_strings("nic-a").contains(&"User Active 10.20.0.0/16 VirtualNetworkGateway to-er".to_string()));
    assert_eq!(s.next_hop("nic-a", "10.20.1.1"), nh("VirtualNetworkGateway", "", "rt"));
}

/// The doctor's finding codes for an estate, loaded in each dialect, which must agree.
fn doctor_codes(e: &Estate) -> Vec<&'static str> {
    let per_dialect: Vec<Vec<&'static str>> = [Dialect::Rest, Dialect::AzCli, Dialect::ResourceGraph]
        .into_iter()
        .map(|dialect| {
            let snapshot = e.load(dialect);
            let engine = RouteEngine::new(&snapshot, ModelOptions::default());
            let mut codes: Vec<&'static str> = azroute_doctor::run(&engine, &DoctorConfig::default())
                .findings
                .iter()
                .map(|f| f.code.as_str())
                .collect();
            codes.sort_unstable();
            codes
        })
        .collect();
    assert!(per_dialect.windows(2).all(|w| w[0] == w[1]), "dialects disagree: {per_dialect:?}");
    per_dialect.into_iter().next().expect("three dialects")
}

/// A hub with a VPN gateway and a firewall NVA, a spoke peered to it, and a route table on the
/// GatewaySubnet with the given routes and propagation flag.
fn hub_with_gateway_subnet_table(routes: &[(&str, &str, &str, Option<&str>)], disable_bgp: bool) -> Estate {
    let mut e = Estate::new();
    e.vnet("hub", "eastus", &["10.0.0.0/16"])
        .subnet("hub", "GatewaySubnet", "10.0.0.0/27")
        .subnet("hub", "fw", "10.0.1.0/24")
        .nic_with("nic-fw", "hub", "fw", "10.0.1.4", true)
        .gateway("gw", "hub", "Vpn", &["10.0.0.4", "10.0.0.5"]);
    e.vnet("spoke", "eastus", &["10.1.0.0/16"]).subnet("spoke", "s", "10.1.1.0/24").nic(
        "nic-spoke",
        "spoke",
        "s",
        "10.1.1.4",
    );
    e.peer_simple("hub", "spoke");
    e.route_table_with("rt-gw", routes, disable_bgp).associate("hub", "GatewaySubnet", "rt-gw");
    e
}

/// T23 – GatewaySubnet constraints (§3.9): a 0.0.0.0/0 user route or disabled gateway route
/// propagation there is reported; a route for a spoke's range to the firewall is supported and
/// takes on-premises traffic to the spoke through it.
#[test]
fn t23_gateway_subnet_constraints() {
    let fw = Some("10.0.1.4");
    let codes =
        doctor_codes(&hub_with_gateway_subnet_table(&[("default-fw", "0.0.0.0/0", "VirtualAppliance", fw)], false));
    assert!(codes.contains(&"GatewaySubnetDefaultRoute"), "{codes:?}");
    assert!(!codes.contains(&"GatewaySubnetPropagationDisabled"), "{codes:?}");

    let spoke_via_fw = [("spoke-fw", "10.1.0.0/16", "VirtualAppliance", fw)];
    let codes = doctor_codes(&hub_with_gateway_subnet_table(&spoke_via_fw, true));
    assert!(codes.contains(&"GatewaySubnetPropagationDisabled"), "{codes:?}");
    assert!(!codes.contains(&"GatewaySubnetDefaultRoute"), "{codes:?}");

    let allowed = hub_with_gateway_subnet_table(&spoke_via_fw, false);
    let codes = doctor_codes(&allowed);
    assert!(!codes.iter().any(|c| c.starts_with("GatewaySubnet") || *c == "NsgOnGatewaySubnet"), "{codes:?}");
    let s = Scenario::new(&allowed);
    let rows: Vec<String> = s
        .subnet_rows("hub/GatewaySubnet")
        .iter()
        .map(|r| format!("{} {} {} {} {}", r.source, r.state, r.prefix, r.next_hop_type, r.next_hop_ips))
        .collect();
    assert!(rows.contains(&"User Active 10.1.0.0/16 VirtualAppliance 10.0.1.4".to_string()), "{rows:?}");
    assert!(rows.contains(&"Default Invalid 10.1.0.0/16 VNetPeering ".to_string()), "{rows:?}");
    // Other hub subnets keep the direct peering route.
    assert_eq!(s.next_hop("nic-fw", "10.1.1.4"), nh("VirtualNetworkPeering", "", "System Route"));
}

/// T30 – A gateway cannot steer intra-VNet traffic: a BGP route for one of the VNet's own
/// subnets loses to the VNet route.
#[test]
fn t30_bgp_cannot_steer_intra_vnet() {
    let mut e = hub_with_gateway();
    e.learned("gw", &[("10.0.2.0/24", "EBgp", "10.0.1.10")]);
    let s = Scenario::new(&e);
    assert_eq!(s.next_hop("nic-a", "10.0.2.9"), nh("VirtualNetwork", "", "System Route"));
}

/// T31 – Multi-NIC VM: each NIC has its own subnet's routes.
#[test]
fn t31_multi_nic_vm_routes_differ_per_nic() {
    let mut e = hub_with_gateway();
    e.site("gw", "onprem", &["192.168.50.0/24"]);
    e.multi_nic_vm("vm", &[("nic1", "hub", "a", "10.0.1.10", false), ("nic2", "hub", "b", "10.0.2.10", false)]);
    e.route_table_with("rt", &[], true).associate("hub", "b", "rt");
    let s = Scenario::new(&e);
    assert!(s.route_strings("nic1").iter().any(|r| r.contains("192.168.50.0/24")));
    assert!(!s.route_strings("nic2").iter().any(|r| r.contains("192.168.50.0/24")));
}

/// T32 – Subnet peering: every left subnet gets the peered right subnets; every right subnet
/// gets the left subnet; traffic to an unpeered right subnet falls into 10/8 None.
#[test]
fn t32_subnet_peering() {
    let mut e = Estate::new();
    e.vnet("left", "eastus", &["10.0.0.0/16"])
        .subnet("left", "subnet0", "10.0.0.0/24")
        .subnet("left", "subnet1", "10.0.1.0/24")
        .subnet("left", "subnet2", "10.0.2.0/24")
        .nic("left1", "left", "subnet1", "10.0.1.4")
        .nic("left0", "left", "subnet0", "10.0.0.4");
    e.vnet("right", "eastus", &["10.1.0.0/16"])
        .subnet("right", "subnet0", "10.1.0.0/24")
        .subnet("right", "subnet1", "10.1.1.0/24")
        .subnet("right", "subnet2", "10.1.2.0/24")
        .nic("right1", "right", "subnet1", "10.1.1.4");
    e.subnet_peer("left", "right", &["subnet1"], &["subnet0", "subnet2"]);
    let s = Scenario::new(&e);
    for nic in ["left0", "left1"] {
        let routes = s.route_strings(nic);
        assert!(routes.contains(&"Default Active 10.1.0.0/24 VNetPeering".to_string()), "{nic}: {routes:?}");
        assert!(routes.contains(&"Default Active 10.1.2.0/24 VNetPeering".to_string()));
        assert!(!routes.iter().any(|r| r.contains("10.1.1.0/24")));
    }
    assert!(s.route_strings("right1").contains(&"Default Active 10.0.1.0/24 VNetPeering".to_string()));
    assert_eq!(s.next_hop("left1", "10.1.1.4"), nh("None", "", "System Route"));
    // The documented-intent option limits the routes to the listed local subnets.
    let options =
        ModelOptions { subnet_peering_scope: SubnetPeeringScope::ListedSubnetsOnly, ..ModelOptions::default() };
    let s = Scenario::with_options(&e, options);
    assert!(!s.route_strings("left0").iter().any(|r| r.contains("VNetPeering")));
    assert!(s.route_strings("left1").iter().any(|r| r.contains("VNetPeering")));
}

/// T33 – The same prefix twice in one route table: the second is Invalid (ingest warns
/// `DuplicatePrefixInRouteTable`); overlapping but different prefixes are both Active.
#[test]
fn t33_duplicate_prefix_in_route_table() {
    let mut e = plain(&["10.0.0.0/16"], "10.0.1.0/24");
    e.route_table(
        "rt",
        &[
            ("first", "10.9.0.0/16", "VirtualAppliance", Some("10.0.100.4")),
            ("second", "10.9.0.0/16", "None", None),
            ("wide", "10.0.0.0/16", "VirtualAppliance", Some("10.0.100.4")),
            ("narrow", "10.0.0.0/22", "VirtualAppliance", Some("10.0.100.5")),
        ],
    )
    .associate("vnet1", "s1", "rt");
    let loaded = azroute_ingest::load_texts(&e.files(Dialect::Rest));
    assert!(loaded.diagnostics.iter().any(|d| d.code == "DuplicatePrefixInRouteTable"));
    let s = Scenario::new(&e);
    let routes = s.route_strings("nic1");
    assert!(routes.contains(&"User Active 10.9.0.0/16 VirtualAppliance 10.0.100.4 first".to_string()));
    assert!(routes.contains(&"User Invalid 10.9.0.0/16 None second".to_string()));
    assert!(routes.contains(&"User Active 10.0.0.0/22 VirtualAppliance 10.0.100.5 narrow".to_string()));
    assert!(routes.contains(&"User Active 10.0.0.0/16 VirtualAppliance 10.0.100.4 wide".to_string()));
}

/// T34 – A user None route for a peered range: the peering route is Invalid and the next hop's
/// routeTableId names the table, which tells a user drop from a system drop.
#[test]
fn t34_udr_none_for_peered_range() {
    let mut e = two_vnets("eastus");
    e.peer_simple("vnet1", "vnet2");
    e.route_table("rt", &[("drop-vnet2", "10.1.0.0/16", "None", None)]).associate("vnet1", "s1", "rt");
    let s = Scenario::new(&e);
    assert!(s.route_strings("nic1").contains(&"Default Invalid 10.1.0.0/16 VNetPeering".to_string()));
    assert_eq!(s.next_hop("nic1", "10.1.2.3"), nh("None", "", "rt"));
    assert_eq!(s.next_hop("nic1", "10.2.2.3"), nh("VirtualNetworkPeering", "", "System Route"));
}

/// T35 – Azure refuses to associate a route table with a subnet of another region or
/// subscription (§3.1). Such a snapshot (a plan, an edited export) is computed as written, and
/// the doctor says Azure will not accept it (`RouteTableRegionMismatch`).
#[test]
fn t35_route_table_in_another_region_or_subscription() {
    let estate = |region: &str| {
        let mut e = Estate::new();
        e.vnet("vnet1", region, &["10.0.0.0/16"])
            .subnet("vnet1", "s1", "10.0.1.0/24")
            .nic("nic1", "vnet1", "s1", "10.0.1.5");
        e.route_table("rt", &[("drop", "10.9.0.0/16", "None", None)]).associate("vnet1", "s1", "rt");
        e
    };
    // The test kit's route tables are in eastus.
    let abroad = estate("westeurope");
    assert_eq!(doctor_codes(&abroad), ["RouteTableRegionMismatch"]);
    assert!(Scenario::new(&abroad).route_strings("nic1").contains(&"User Active 10.9.0.0/16 None drop".to_string()));
    assert!(doctor_codes(&estate("eastus")).is_empty());
    // The same table in another subscription: every reference to it moved there.
    let home = format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Network/routeTables/rt");
    let other = home.replace(SUB, "11111111-2222-3333-4444-555555555555");
    let files: Vec<(String, String)> = estate("eastus")
        .files(Dialect::Rest)
        .into_iter()
        .map(|(name, text)| (name, text.replace(&home, &other)))
        .collect();
    let snapshot = azroute_ingest::load_texts(&files).snapshot;
    let engine = RouteEngine::new(&snapshot, ModelOptions::default());
    let codes: Vec<&str> =
        azroute_doctor::run(&engine, &DoctorConfig::default()).findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["RouteTableRegionMismatch"]);
}

/// T36 – Azure gives no effective routes for a VM that is not running; azroute answers from
/// configuration (the same routes as a running VM's) and the doctor names the stopped VM.
#[test]
fn t36_stopped_vm_answered_from_configuration() {
    let mut e = plain(&["10.0.0.0/16"], "10.0.1.0/24");
    e.nic("nic2", "vnet1", "s1", "10.0.1.6");
    e.resource_property("Microsoft.Compute/virtualMachines", "nic1-vm", "powerState", json!("VM deallocated"));
    e.resource_property("Microsoft.Compute/virtualMachines", "nic2-vm", "powerState", json!("VM running"));
    let s = Scenario::new(&e);
    let mut expected = vec!["Default Active 10.0.0.0/16 VnetLocal", "Default Active 0.0.0.0/0 Internet"];
    expected.extend(BASE4);
    assert_eq!(s.route_strings("nic1"), strings(&expected));
    assert_eq!(s.route_strings("nic1"), s.route_strings("nic2"));
    assert_eq!(s.next_hop("nic1", "10.0.7.9"), nh("VirtualNetwork", "", "System Route"));
    let codes = doctor_codes(&e);
    assert_eq!(codes.iter().filter(|c| **c == "EffectiveRoutesRequireRunningVm").count(), 1, "{codes:?}");
    let snapshot = e.load(Dialect::AzCli);
    let engine = RouteEngine::new(&snapshot, ModelOptions::default());
    let report = azroute_doctor::run(&engine, &DoctorConfig::default());
    let stopped =
        report.findings.iter().find(|f| f.code == FindingCode::EffectiveRoutesRequireRunningVm).expect("reported");
    assert!(
        stopped.resources.iter().any(|r| r.id(&snapshot).as_str().ends_with("/virtualMachines/nic1-vm")),
        "{:?}",
        stopped.resources
    );
}

/// T37 – The peer deleted on one side: the remaining side is Disconnected; no peering routes.
#[test]
fn t37_peer_removed_on_one_side() {
    let mut e = two_vnets("eastus");
    e.peer_one_way("vnet1", "vnet2", PeerSide { state: "Disconnected", ..PeerSide::default() });
    let s = Scenario::new(&e);
    assert!(!s.route_strings("nic1").iter().any(|r| r.contains("Peering")));
    assert_eq!(s.next_hop("nic1", "10.1.1.4"), nh("None", "", "System Route"));
}

/// T38 – disablePeeringRoute = All on the GatewaySubnet's table: peering routes are absent and
/// the summarised user route carries spoke traffic to the firewall.
#[test]
fn t38_disable_peering_route() {
    let mut e = Estate::new();
    e.vnet("hub", "eastus", &["10.0.0.0/16"]).subnet("hub", "GatewaySubnet", "10.0.0.0/27").subnet(
        "hub",
        "s",
        "10.0.1.0/24",
    );
    e.nic("nic-hub", "hub", "s", "10.0.1.4");
    e.vnet("spoke", "eastus", &["10.1.0.0/16"]).subnet("spoke", "s", "10.1.1.0/24");
    e.peer_simple("hub", "spoke");
    e.route_table("rt-gw", &[("spokes-fw", "10.0.0.0/8", "VirtualAppliance", Some("10.0.1.4"))]).associate(
        "hub",
        "GatewaySubnet",
        "rt-gw",
    );
    e.route_table_property("rt-gw", "disablePeeringRoute", json!("All"));
    let s = Scenario::new(&e);
    let gw = s.subnet_rows("hub/GatewaySubnet");
    assert!(!gw.iter().any(|r| r.next_hop_type == "VNetPeering"), "{gw:?}");
    assert!(s.route_strings("nic-hub").contains(&"Default Active 10.1.0.0/16 VNetPeering".to_string()));
}

/// §10.3 – IPv6 ranges are carried through: a VnetLocal per IPv6 range and ::/0 Internet,
/// flagged as assumed; the `none` option drops them.
#[test]
fn ipv6_system_routes_are_assumed() {
    let mut e = Estate::new();
    e.vnet("vnet1", "eastus", &["10.0.0.0/16", "fd00:db8::/48"])
        .subnet("vnet1", "s1", "10.0.1.0/24")
        .nic("nic1", "vnet1", "s1", "10.0.1.4");
    let s = Scenario::new(&e);
    let routes = s.route_strings("nic1");
    assert!(routes.contains(&"Default Active fd00:db8::/48 VnetLocal".to_string()));
    assert!(routes.contains(&"Default Active ::/0 Internet".to_string()));
    assert!(s.notes("nic1").iter().any(|n| n.contains("IPv6")));
    assert_eq!(s.next_hop("nic1", "fd00:db8::9"), nh("VirtualNetwork", "", "System Route"));
    let s = Scenario::with_options(
        &e,
        ModelOptions { ipv6_system_routes: Ipv6SystemRoutes::None, ..ModelOptions::default() },
    );
    assert!(!s.route_strings("nic1").iter().any(|r| r.contains("::")));
}

/// §1.4 – The platform-observed reserved ranges are opt-in.
#[test]
fn platform_observed_reserved_ranges_are_opt_in() {
    let e = plain(&["10.0.0.0/16"], "10.0.1.0/24");
    let s = Scenario::new(&e);
    assert!(!s.route_strings("nic1").iter().any(|r| r.contains("127.0.0.0/8")));
    let options =
        ModelOptions { reserved_none_profile: ReservedNoneProfile::PlatformObserved, ..ModelOptions::default() };
    let s = Scenario::with_options(&e, options);
    assert!(s.route_strings("nic1").contains(&"Default Active 127.0.0.0/8 None".to_string()));
}

/// §5.3 – ExpressRoute gateway routes point at the Microsoft edge routers they were learned
/// from (C4); VPN routes at the gateway instances.
#[test]
fn expressroute_routes_point_at_the_edge() {
    let mut e = Estate::new();
    e.vnet("hub", "eastus", &["10.0.0.0/16"]).subnet("hub", "GatewaySubnet", "10.0.0.0/27").subnet(
        "hub",
        "a",
        "10.0.1.0/24",
    );
    e.nic("nic-a", "hub", "a", "10.0.1.4").gateway("er", "hub", "ExpressRoute", &["10.0.0.4", "10.0.0.5"]);
    e.learned("er", &[("10.50.0.0/16", "EBgp", "10.0.0.12"), ("10.0.0.0/16", "Network", "")]);
    let s = Scenario::new(&e);
    let routes = s.route_strings("nic-a");
    assert!(
        routes.contains(&"VirtualNetworkGateway Active 10.50.0.0/16 VirtualNetworkGateway 10.0.0.12".to_string()),
        "{routes:?}"
    );
    // The gateway's own VNet range (origin Network) is not programmed back.
    assert_eq!(routes.iter().filter(|r| r.contains("10.0.0.0/16")).count(), 1);
}
