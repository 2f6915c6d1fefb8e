//! Every doctor check, both ways: an estate that triggers it and one that does not.

use azroute_doctor::{DoctorAssumption, DoctorConfig, DoctorReport, run};
use azroute_engine::{RouteEngine, Severity};
use azroute_model::*;
use azroute_testkit::*;
use serde_json::json;

/// The doctor's findings for an estate, as (code, severity).
fn doctor(e: &Estate) -> Vec<(&'static str, Severity)> {
    let snapshot = e.load(Dialect::AzCli);
    let engine = RouteEngine::new(&snapshot, ModelOptions::default());
    run(&engine, &DoctorConfig::default()).findings.iter().map(|f| (f.code.as_str(), f.severity)).collect()
}

/// The doctor's whole report for an estate (az CLI dialect), with the snapshot it read.
fn report(e: &Estate) -> (Snapshot, DoctorReport) {
    let snapshot = e.load(Dialect::AzCli);
    let report = {
        let engine = RouteEngine::new(&snapshot, ModelOptions::default());
        run(&engine, &DoctorConfig::default())
    };
    (snapshot, report)
}

fn count(e: &Estate, code: &str) -> usize {
    doctor(e).iter().filter(|(c, _)| *c == code).count()
}

fn has(e: &Estate, code: &str) -> bool {
    doctor(e).iter().any(|(c, _)| *c == code)
}

fn severity(e: &Estate, code: &str) -> Option<Severity> {
    doctor(e).iter().find(|(c, _)| *c == code).map(|(_, s)| *s)
}

/// A VNet with a workload subnet, an NVA subnet and one VM in each.
fn base(nva_forwarding: bool) -> Estate {
    let mut e = Estate::new();
    e.vnet("v", "eastus", &["10.0.0.0/16"]).subnet("v", "app", "10.0.1.0/24").subnet("v", "nva", "10.0.9.0/24");
    e.nic("app", "v", "app", "10.0.1.4").nic_with("nva", "v", "nva", "10.0.9.4", nva_forwarding);
    e
}

fn with_default_route(mut e: Estate) -> Estate {
    e.route_table("rt", &[("default-nva", "0.0.0.0/0", "VirtualAppliance", Some("10.0.9.4"))])
        .associate("v", "app", "rt");
    e
}

#[test]
fn route_table_not_associated() {
    let mut e = base(true);
    e.route_table("orphan", &[("r", "10.9.0.0/16", "None", None)]);
    assert!(has(&e, "RouteTableNotAssociated"));
    assert!(!has(&with_default_route(base(true)), "RouteTableNotAssociated"));
}

#[test]
fn udr_next_hop_without_ip_forwarding() {
    assert!(has(&with_default_route(base(false)), "UdrNextHopNoForwarding"));
    assert!(!has(&with_default_route(base(true)), "UdrNextHopNoForwarding"));
}

/// A stopped or deallocated NVA forwards nothing (§3.3, §11.1); without a power state in the
/// export the check assumes the VM runs, and the report says so.
#[test]
fn nva_not_running() {
    let with_state = |state: Option<&str>| {
        let mut e = with_default_route(base(true));
        if let Some(state) = state {
            e.resource_property("Microsoft.Compute/virtualMachines", "nva-vm", "powerState", json!(state));
        }
        e
    };
    for stopped in ["VM deallocated", "VM stopped"] {
        assert_eq!(severity(&with_state(Some(stopped)), "NvaNotRunning"), Some(Severity::Error), "{stopped}");
    }
    assert!(!has(&with_state(Some("VM running")), "NvaNotRunning"));
    // The modelling options a doctor run states (C23 here: the subnets do not say
    // defaultOutboundAccess) are not power-state assumptions.
    let not_options = |a: &&DoctorAssumption| !matches!(a, DoctorAssumption::Option(_));
    let (_, running) = report(&with_state(Some("VM running")));
    assert_eq!(running.assumptions.iter().filter(not_options).count(), 0, "{:?}", running.assumptions);
    let unknown = with_state(None);
    assert!(!has(&unknown, "NvaNotRunning"));
    let (snapshot, unknown) = report(&unknown);
    let power: Vec<_> = unknown.assumptions.iter().filter(not_options).collect();
    let [DoctorAssumption::PowerStateUnknown { vms }] = power.as_slice() else { panic!("{:?}", unknown.assumptions) };
    assert_eq!(vms.iter().map(|v| snapshot.vms[v.index()].name.as_str()).collect::<Vec<_>>(), ["nva-vm"]);
}

/// NSGs apply to the packets an NVA forwards (§9.3): the NVA subnet's NSG with only the default
/// rules denies the app subnet's Internet-bound traffic (DenyAllInBound: the destination is
/// outside VirtualNetwork); a rule allowing the app subnet fixes it.
#[test]
fn nsg_blocks_forwarded_traffic() {
    let with_nsg = |rules: &[serde_json::Value]| {
        let mut e = with_default_route(base(true));
        e.nsg("nsg-nva", rules).subnet_nsg("v", "nva", "nsg-nva");
        e
    };
    let blocked = with_nsg(&[]);
    assert_eq!(severity(&blocked, "NsgBlocksForwardedTraffic"), Some(Severity::Error));
    let (snapshot, found) = report(&blocked);
    let finding = found.findings.iter().find(|f| f.code.as_str() == "NsgBlocksForwardedTraffic").expect("found");
    let azroute_engine::Evidence::NsgBlocksForwardedTraffic(e) = &finding.evidence else { panic!() };
    assert_eq!(&*e.rule, "defaultSecurityRules/DenyAllInBound");
    assert_eq!(e.direction, Direction::Inbound);
    assert_eq!(snapshot.subnet_label(e.subnet), "v/app");
    let allowed = with_nsg(&[rule("allow-app", 100, "Inbound", "Allow", "*", "10.0.1.0/24", "*", "*")]);
    assert!(!has(&allowed, "NsgBlocksForwardedTraffic"));
    // Without an NSG on the NVA nothing is denied.
    assert!(!has(&with_default_route(base(true)), "NsgBlocksForwardedTraffic"));
}

/// A route table and the subnets it serves must share region and subscription (T35).
#[test]
fn route_table_region_mismatch() {
    let build = |region: &str| {
        let mut e = Estate::new();
        e.vnet("v", region, &["10.0.0.0/16"]).subnet("v", "app", "10.0.1.0/24").nic("app", "v", "app", "10.0.1.4");
        // The test kit's route tables are in eastus.
        e.route_table("rt", &[("r", "10.9.0.0/16", "None", None)]).associate("v", "app", "rt");
        e
    };
    assert_eq!(severity(&build("westeurope"), "RouteTableRegionMismatch"), Some(Severity::Error));
    assert!(!has(&build("eastus"), "RouteTableRegionMismatch"));
}

#[test]
fn next_hop_unreachable() {
    let mut e = base(true);
    e.route_table("rt", &[("ghost", "0.0.0.0/0", "VirtualAppliance", Some("10.0.9.99"))]).associate("v", "app", "rt");
    assert!(has(&e, "NextHopUnreachable"));
    // An NVA in a VNet that is not peered is not directly reachable either.
    let mut e = base(true);
    e.vnet("other", "eastus", &["10.5.0.0/16"])
        .subnet("other", "s", "10.5.0.0/24")
        .nic_with("far-nva", "other", "s", "10.5.0.4", true);
    e.route_table("rt", &[("far", "0.0.0.0/0", "VirtualAppliance", Some("10.5.0.4"))]).associate("v", "app", "rt");
    assert!(has(&e, "NextHopUnreachable"));
    e.peer_simple("v", "other");
    assert!(!has(&e, "NextHopUnreachable"));
}

/// Forced tunnelling to a VPN gateway needs a default site or a BGP-learned 0.0.0.0/0 (§6.1).
#[test]
fn forced_tunnel_without_default_site() {
    let build = |learned: &[(&str, &str, &str)], default_site: bool| {
        let mut e = base(true);
        e.subnet("v", "GatewaySubnet", "10.0.0.0/27").gateway("gw", "v", "Vpn", &["10.0.0.4"]);
        e.learned("gw", learned);
        if default_site {
            let site = json!({"id": id("localNetworkGateways", "onprem")});
            e.resource_property("Microsoft.Network/virtualNetworkGateways", "gw", "gatewayDefaultSite", site);
        }
        e.route_table("rt", &[("tunnel", "0.0.0.0/0", "VirtualNetworkGateway", None)]).associate("v", "app", "rt");
        e
    };
    let onprem = [("172.16.0.0/16", "EBgp", "172.16.0.1")];
    assert_eq!(severity(&build(&onprem, false), "ForcedTunnelNoDefaultSite"), Some(Severity::Error));
    assert!(!has(&build(&onprem, true), "ForcedTunnelNoDefaultSite"));
    assert!(!has(&build(&[("0.0.0.0/0", "EBgp", "172.16.0.1")], false), "ForcedTunnelNoDefaultSite"));
    // A route for a narrower prefix is not forced tunnelling.
    let mut narrow = base(true);
    narrow.subnet("v", "GatewaySubnet", "10.0.0.0/27").gateway("gw", "v", "Vpn", &["10.0.0.4"]);
    narrow.learned("gw", &onprem);
    narrow.route_table("rt", &[("r", "172.16.0.0/12", "VirtualNetworkGateway", None)]).associate("v", "app", "rt");
    assert!(!has(&narrow, "ForcedTunnelNoDefaultSite"));
    // BGP on and no learned routes exported: the snapshot cannot tell, so nothing is claimed.
    let mut unknown = base(true);
    unknown.subnet("v", "GatewaySubnet", "10.0.0.0/27").gateway("gw", "v", "Vpn", &["10.0.0.4"]);
    unknown.route_table("rt", &[("t", "0.0.0.0/0", "VirtualNetworkGateway", None)]).associate("v", "app", "rt");
    assert!(!has(&unknown, "ForcedTunnelNoDefaultSite"));
}

#[test]
fn udr_to_gateway_without_vpn_gateway() {
    let build = |gateway: Option<&str>| {
        let mut e = base(true);
        e.subnet("v", "GatewaySubnet", "10.0.0.0/27");
        if let Some(t) = gateway {
            e.gateway("gw", "v", t, &["10.0.0.4"]);
        }
        e.route_table("rt", &[("onprem", "10.20.0.0/16", "VirtualNetworkGateway", None)]).associate("v", "app", "rt");
        e
    };
    assert!(has(&build(None), "UdrGatewayNotVpn"));
    assert!(has(&build(Some("ExpressRoute")), "UdrGatewayNotVpn"));
    assert!(!has(&build(Some("Vpn")), "UdrGatewayNotVpn"));
}

fn gateway_subnet(routes: &[(&str, &str, &str, Option<&str>)], disable_bgp: bool) -> Estate {
    let mut e = base(true);
    e.subnet("v", "GatewaySubnet", "10.0.0.0/27").gateway("gw", "v", "Vpn", &["10.0.0.4"]);
    e.route_table_with("rt-gw", routes, disable_bgp).associate("v", "GatewaySubnet", "rt-gw");
    e
}

#[test]
fn gateway_subnet_default_route() {
    assert!(has(
        &gateway_subnet(&[("d", "0.0.0.0/0", "VirtualAppliance", Some("10.0.9.4"))], false),
        "GatewaySubnetDefaultRoute"
    ));
    assert!(!has(
        &gateway_subnet(&[("s", "10.1.0.0/16", "VirtualAppliance", Some("10.0.9.4"))], false),
        "GatewaySubnetDefaultRoute"
    ));
}

#[test]
fn gateway_subnet_propagation_disabled() {
    assert!(has(&gateway_subnet(&[], true), "GatewaySubnetPropagationDisabled"));
    assert!(!has(&gateway_subnet(&[], false), "GatewaySubnetPropagationDisabled"));
}

#[test]
fn nsg_on_gateway_subnet() {
    let mut e = gateway_subnet(&[], false);
    e.nsg("nsg", &[]).subnet_nsg("v", "GatewaySubnet", "nsg");
    assert!(has(&e, "NsgOnGatewaySubnet"));
    let mut e = gateway_subnet(&[], false);
    e.nsg("nsg", &[]).subnet_nsg("v", "app", "nsg");
    assert!(!has(&e, "NsgOnGatewaySubnet"));
}

#[test]
fn udr_or_nsg_on_route_server_subnet() {
    let mut e = base(true);
    e.subnet("v", "RouteServerSubnet", "10.0.2.0/27");
    assert!(!has(&e, "UdrOrNsgOnRouteServerSubnet"));
    e.nsg("nsg", &[]).subnet_nsg("v", "RouteServerSubnet", "nsg");
    assert!(has(&e, "UdrOrNsgOnRouteServerSubnet"));
}

fn two_vnets() -> Estate {
    let mut e = Estate::new();
    e.vnet("a", "eastus", &["10.0.0.0/16"]).subnet("a", "s", "10.0.1.0/24").nic("nic-a", "a", "s", "10.0.1.4");
    e.vnet("b", "eastus", &["10.1.0.0/16"]).subnet("b", "s", "10.1.1.0/24").nic("nic-b", "b", "s", "10.1.1.4");
    e
}

#[test]
fn peering_not_connected() {
    let mut e = two_vnets();
    e.peer_one_way("a", "b", PeerSide { state: "Initiated", ..PeerSide::default() });
    assert!(has(&e, "PeeringNotConnected"));
    let mut e = two_vnets();
    e.peer_simple("a", "b");
    assert!(!has(&e, "PeeringNotConnected"));
}

#[test]
fn gateway_transit_on_one_side() {
    let build = |use_remote: bool, allow: bool| {
        let mut e = two_vnets();
        e.subnet("a", "GatewaySubnet", "10.0.0.0/27").gateway("gw", "a", "Vpn", &["10.0.0.4"]);
        e.peer(
            "a",
            "b",
            PeerSide { allow_gateway_transit: allow, ..PeerSide::default() },
            PeerSide { use_remote_gateways: use_remote, ..PeerSide::default() },
        );
        e
    };
    assert_eq!(severity(&build(false, true), "UseRemoteGatewaysMissing"), Some(Severity::Warning));
    assert_eq!(severity(&build(true, false), "UseRemoteGatewaysMissing"), Some(Severity::Error));
    assert!(!has(&build(true, true), "UseRemoteGatewaysMissing"));
    assert!(!has(&build(false, false), "UseRemoteGatewaysMissing"));
}

#[test]
fn forwarded_traffic_not_allowed() {
    assert!(has(&spokes_via_hub(true, false), "ForwardedTrafficNotAllowed"));
    assert!(!has(&spokes_via_hub(true, true), "ForwardedTrafficNotAllowed"));
}

#[test]
fn forced_tunnel_breaks_inbound() {
    let mut e = with_default_route(base(true));
    e.public_ip("app", "20.1.2.3");
    assert!(has(&e, "ForcedTunnelBreaksInbound"));
    let mut e = base(true);
    e.public_ip("app", "20.1.2.3");
    assert!(!has(&e, "ForcedTunnelBreaksInbound"));
}

fn private_endpoint(policies: &str, routes: &[(&str, &str, &str, Option<&str>)]) -> Estate {
    let mut e = base(true);
    e.vnet("spoke", "eastus", &["10.5.0.0/16"]).subnet("spoke", "pe", "10.5.4.0/24");
    e.subnet_property("spoke", "pe", "privateEndpointNetworkPolicies", json!(policies));
    e.private_endpoint("pe1", "spoke", "pe", "10.5.4.12");
    e.peer_simple("v", "spoke");
    e.route_table("rt", routes).associate("v", "app", "rt");
    e
}

#[test]
fn private_endpoint_bypasses_firewall() {
    let fw = Some("10.0.9.4");
    assert!(has(
        &private_endpoint("Disabled", &[("d", "0.0.0.0/0", "VirtualAppliance", fw)]),
        "PrivateEndpointBypassesFirewall"
    ));
    let fixed = private_endpoint(
        "RouteTableEnabled",
        &[("d", "0.0.0.0/0", "VirtualAppliance", fw), ("pe", "10.5.0.0/16", "VirtualAppliance", fw)],
    );
    assert!(!has(&fixed, "PrivateEndpointBypassesFirewall"));
}

/// An endpoint in the source's own VNet bypasses nothing: VnetLocal already wins over
/// 0.0.0.0/0 there. Contexts that share the firewall route's table report an endpoint once.
#[test]
fn private_endpoint_in_the_own_vnet_bypasses_nothing() {
    let mut e = with_default_route(base(true));
    e.subnet("v", "pe", "10.0.4.0/24").private_endpoint("pe-local", "v", "pe", "10.0.4.12");
    assert!(!has(&e, "PrivateEndpointBypassesFirewall"));
    // Two contexts of one VNet (one subnet with a service endpoint) and one table: one finding.
    let mut e = private_endpoint("Disabled", &[("d", "0.0.0.0/0", "VirtualAppliance", Some("10.0.9.4"))]);
    e.subnet("v", "app2", "10.0.2.0/24").nic("app2", "v", "app2", "10.0.2.4").associate("v", "app2", "rt");
    e.service_endpoint("v", "app2", "Microsoft.Storage", &["eastus"]);
    assert_eq!(count(&e, "PrivateEndpointBypassesFirewall"), 1);
}

#[test]
fn private_endpoint_user_route_without_policies() {
    let fw = Some("10.0.9.4");
    assert!(has(
        &private_endpoint("Disabled", &[("pe", "10.5.0.0/16", "VirtualAppliance", fw)]),
        "PeUdrIneffectiveNoPolicy"
    ));
    assert!(!has(
        &private_endpoint("RouteTableEnabled", &[("pe", "10.5.0.0/16", "VirtualAppliance", fw)]),
        "PeUdrIneffectiveNoPolicy"
    ));
}

fn hub_with_learned(network: &str) -> Estate {
    let mut e = base(true);
    e.subnet("v", "GatewaySubnet", "10.0.0.0/27").gateway("gw", "v", "Vpn", &["10.0.0.4"]);
    e.learned("gw", &[(network, "EBgp", "172.16.0.1")]);
    e
}

#[test]
fn bgp_route_shadowed_by_system_route() {
    assert_eq!(severity(&hub_with_learned("10.0.1.0/24"), "BgpRouteShadowedBySystemRoute"), Some(Severity::Info));
    assert!(!has(&hub_with_learned("172.16.0.0/16"), "BgpRouteShadowedBySystemRoute"));
}

#[test]
fn user_route_invalid_by_a_more_specific_tag() {
    let tags: Vec<(&str, &str, &[&str])> = vec![
        ("Storage", "", &["52.239.128.0/17", "20.38.96.0/19"]),
        ("Storage.EastUS", "eastus", &["52.239.128.0/17"]),
    ];
    let mut e = base(true);
    e.service_tags(&tags);
    e.route_table(
        "rt",
        &[
            ("storage", "Storage", "VirtualAppliance", Some("10.0.9.4")),
            ("storage-east", "Storage.EastUS", "Internet", None),
        ],
    )
    .associate("v", "app", "rt");
    assert!(has(&e, "UserRouteInvalid"));
    let mut e = base(true);
    e.service_tags(&tags);
    e.route_table("rt", &[("storage", "Storage", "VirtualAppliance", Some("10.0.9.4"))]).associate("v", "app", "rt");
    assert!(!has(&e, "UserRouteInvalid"));
}

#[test]
fn user_route_shadowed_by_more_specific_routes() {
    let mut e = base(true);
    e.route_table(
        "rt",
        &[
            ("wide", "10.8.0.0/16", "VirtualAppliance", Some("10.0.9.4")),
            ("low", "10.8.0.0/17", "None", None),
            ("high", "10.8.128.0/17", "None", None),
        ],
    )
    .associate("v", "app", "rt");
    assert!(has(&e, "UserRouteShadowed"));
    let mut e = base(true);
    e.route_table(
        "rt",
        &[("wide", "10.8.0.0/16", "VirtualAppliance", Some("10.0.9.4")), ("low", "10.8.0.0/17", "None", None)],
    )
    .associate("v", "app", "rt");
    assert!(!has(&e, "UserRouteShadowed"));
}

#[test]
fn none_route_black_holes_a_peered_range() {
    let mut e = two_vnets();
    e.peer_simple("a", "b");
    e.route_table("rt", &[("drop-b", "10.1.0.0/16", "None", None)]).associate("a", "s", "rt");
    assert!(has(&e, "NoneRouteBlackholesRange"));
    let mut e = two_vnets();
    e.peer_simple("a", "b");
    e.route_table("rt", &[("drop-other", "10.99.0.0/16", "None", None)]).associate("a", "s", "rt");
    assert!(!has(&e, "NoneRouteBlackholesRange"));
}

#[test]
fn overlapping_address_spaces() {
    let mut e = Estate::new();
    e.vnet("a", "eastus", &["10.0.0.0/16"]).subnet("a", "s", "10.0.1.0/24");
    e.vnet("b", "eastus", &["10.0.0.0/20"]).subnet("b", "s", "10.0.2.0/24");
    e.peer_simple("a", "b");
    assert!(has(&e, "OverlappingAddressSpace"));
    let mut e = two_vnets();
    e.peer_simple("a", "b");
    assert!(!has(&e, "OverlappingAddressSpace"));
    // An on-premises prefix overlapping the VNet it serves.
    assert!(has(&hub_with_learned("10.0.0.0/8"), "OverlappingAddressSpace"));
}

fn many_routes(n: usize, tags: bool) -> Estate {
    let names: Vec<String> = (0..n).map(|i| format!("r{i}")).collect();
    let prefixes: Vec<String> = (0..n)
        .map(|i| if tags { format!("Tag{i}") } else { format!("10.{}.{}.0/24", 100 + i / 256, i % 256) })
        .collect();
    let routes: Vec<(&str, &str, &str, Option<&str>)> =
        (0..n).map(|i| (names[i].as_str(), prefixes[i].as_str(), "VirtualAppliance", Some("10.0.9.4"))).collect();
    let mut e = base(true);
    e.route_table("rt", &routes).associate("v", "app", "rt");
    e
}

#[test]
fn route_and_service_tag_limits() {
    assert_eq!(severity(&many_routes(401, false), "RouteLimitExceeded"), Some(Severity::Warning));
    assert_eq!(severity(&many_routes(601, false), "RouteLimitExceeded"), Some(Severity::Error));
    assert!(!has(&many_routes(10, false), "RouteLimitExceeded"));
    assert!(has(&many_routes(26, true), "ServiceTagRouteLimit"));
    assert!(!has(&many_routes(25, true), "ServiceTagRouteLimit"));
}

#[test]
fn duplicate_prefix_in_route_table() {
    let mut e = base(true);
    e.route_table("rt", &[("a", "10.9.0.0/16", "None", None), ("b", "10.9.0.0/16", "Internet", None)])
        .associate("v", "app", "rt");
    assert!(has(&e, "DuplicatePrefixInRouteTable"));
    assert!(!has(&with_default_route(base(true)), "DuplicatePrefixInRouteTable"));
}

#[test]
fn secondary_nic_as_next_hop() {
    let build = |target: &str| {
        let mut e = Estate::new();
        e.vnet("v", "eastus", &["10.0.0.0/16"])
            .subnet("v", "app", "10.0.1.0/24")
            .subnet("v", "front", "10.0.8.0/24")
            .subnet("v", "back", "10.0.9.0/24");
        e.nic("app", "v", "app", "10.0.1.4");
        e.multi_nic_vm(
            "nva",
            &[("nva-front", "v", "front", "10.0.8.4", true), ("nva-back", "v", "back", "10.0.9.4", true)],
        );
        e.route_table("rt", &[("d", "0.0.0.0/0", "VirtualAppliance", Some(target))]).associate("v", "app", "rt");
        e
    };
    assert!(has(&build("10.0.9.4"), "MultiNicGuestRouteMissing"));
    assert!(!has(&build("10.0.8.4"), "MultiNicGuestRouteMissing"));
}

#[test]
fn virtual_network_tag_widened() {
    let mut e = with_default_route(base(true));
    e.nsg("nsg", &[rule("vnet-only", 100, "Inbound", "Allow", "Tcp", "VirtualNetwork", "*", "22")])
        .subnet_nsg("v", "app", "nsg");
    assert_eq!(severity(&e, "VirtualNetworkTagIncludesDefault"), Some(Severity::Warning));
    let mut e = with_default_route(base(true));
    e.nsg("nsg", &[]).subnet_nsg("v", "app", "nsg");
    assert_eq!(severity(&e, "VirtualNetworkTagIncludesDefault"), Some(Severity::Info));
    // One route table's default route widening the tag of three subnets is one finding (its
    // root cause), listing the subnets.
    e.subnet("v", "app2", "10.0.2.0/24").subnet("v", "app3", "10.0.3.0/24");
    e.subnet_nsg("v", "app2", "nsg").subnet_nsg("v", "app3", "nsg");
    e.associate("v", "app2", "rt").associate("v", "app3", "rt");
    assert_eq!(count(&e, "VirtualNetworkTagIncludesDefault"), 1);
    let (snapshot, found) = report(&e);
    let grouped = found.findings.iter().find(|f| f.code.as_str() == "VirtualNetworkTagIncludesDefault").expect("found");
    assert_eq!(grouped.grouped.len(), 2);
    let subnets: Vec<String> = grouped
        .resources
        .iter()
        .filter_map(|r| match r {
            azroute_engine::ResourceRef::Subnet(s) => Some(snapshot.subnet_label(*s)),
            _ => None,
        })
        .collect();
    assert_eq!(subnets, ["v/app", "v/app2", "v/app3"]);
    let mut e = base(true);
    e.nsg("nsg", &[rule("vnet-only", 100, "Inbound", "Allow", "Tcp", "VirtualNetwork", "*", "22")])
        .subnet_nsg("v", "app", "nsg");
    assert!(!has(&e, "VirtualNetworkTagIncludesDefault"));
}

#[test]
fn nva_in_the_subnet_it_serves() {
    let mut e = base(true);
    e.nic_with("nva2", "v", "app", "10.0.1.10", true);
    e.route_table("rt", &[("d", "0.0.0.0/0", "VirtualAppliance", Some("10.0.1.10"))]).associate("v", "app", "rt");
    assert!(has(&e, "NvaInSameSubnetLoop"));
    assert!(!has(&with_default_route(base(true)), "NvaInSameSubnetLoop"));
}

#[test]
fn nsg_blocking_health_probes() {
    let build = |rules: &[serde_json::Value]| {
        let mut e = base(true);
        e.internal_load_balancer("ilb", "v", "app", "10.0.1.100", &["app"]);
        e.nsg("nsg", rules).subnet_nsg("v", "app", "nsg");
        e
    };
    assert!(has(
        &build(&[rule("deny-vnet", 200, "Inbound", "Deny", "*", "VirtualNetwork", "*", "*")]),
        "NsgBlocksProbe"
    ));
    assert!(!has(
        &build(&[
            rule("allow-probes", 100, "Inbound", "Allow", "*", "AzureLoadBalancer", "*", "*"),
            rule("deny-vnet", 200, "Inbound", "Deny", "*", "VirtualNetwork", "*", "*"),
        ]),
        "NsgBlocksProbe"
    ));
}

#[test]
fn gateway_routes_suppressed() {
    let mut e = hub_with_learned("172.16.0.0/16");
    e.route_table_with("rt", &[], true).associate("v", "app", "rt");
    assert_eq!(severity(&e, "GatewayRoutesSuppressed"), Some(Severity::Info));
    assert!(!has(&hub_with_learned("172.16.0.0/16"), "GatewayRoutesSuppressed"));
}

#[test]
fn vm_not_running() {
    let mut e = base(true);
    e.resource_property("Microsoft.Compute/virtualMachines", "app-vm", "powerState", json!("VM deallocated"));
    assert!(has(&e, "EffectiveRoutesRequireRunningVm"));
    let mut e = base(true);
    e.resource_property("Microsoft.Compute/virtualMachines", "app-vm", "powerState", json!("VM running"));
    assert!(!has(&e, "EffectiveRoutesRequireRunningVm"));
}

#[test]
fn service_tag_not_expanded() {
    let mut e = base(true);
    e.service_endpoint("v", "app", "Microsoft.Storage", &["eastus"]);
    assert!(has(&e, "ServiceTagNotExpanded"));
    e.service_tags(&[("Storage.EastUS", "eastus", &["52.239.152.0/22"])]);
    assert!(!has(&e, "ServiceTagNotExpanded"));
}

#[test]
fn asymmetric_path() {
    let mut e = base(true);
    e.subnet("v", "db", "10.0.2.0/24").nic("db", "v", "db", "10.0.2.4");
    e.route_table("rt-app", &[("db-fw", "10.0.2.0/24", "VirtualAppliance", Some("10.0.9.4"))])
        .associate("v", "app", "rt-app");
    assert!(has(&e, "AsymmetricPath"));
    e.route_table("rt-db", &[("app-fw", "10.0.1.0/24", "VirtualAppliance", Some("10.0.9.4"))])
        .associate("v", "db", "rt-db");
    assert!(!has(&e, "AsymmetricPath"));
}

#[test]
fn routing_loop() {
    let mut e = Estate::new();
    e.vnet("v", "eastus", &["10.0.0.0/16"]).subnet("v", "a", "10.0.1.0/24").subnet("v", "b", "10.0.2.0/24");
    e.nic_with("nva-a", "v", "a", "10.0.1.4", true).nic_with("nva-b", "v", "b", "10.0.2.4", true);
    e.route_table("rt-a", &[("to-b", "10.30.0.0/16", "VirtualAppliance", Some("10.0.2.4"))])
        .associate("v", "a", "rt-a");
    e.route_table("rt-b", &[("to-a", "10.30.0.0/16", "VirtualAppliance", Some("10.0.1.4"))])
        .associate("v", "b", "rt-b");
    assert!(has(&e, "RoutingLoop"));
    let mut e = Estate::new();
    e.vnet("v", "eastus", &["10.0.0.0/16"]).subnet("v", "a", "10.0.1.0/24").subnet("v", "b", "10.0.2.0/24");
    e.nic_with("nva-a", "v", "a", "10.0.1.4", true).nic_with("nva-b", "v", "b", "10.0.2.4", true);
    e.route_table("rt-a", &[("to-b", "10.30.0.0/16", "VirtualAppliance", Some("10.0.2.4"))])
        .associate("v", "a", "rt-a");
    assert!(!has(&e, "RoutingLoop"));
}

#[test]
fn nva_path_that_ends_in_a_none_route() {
    let mut e = spokes_via_hub(true, true);
    e.route_table("rt-nva", &[("no-spoke2", "10.2.0.0/16", "None", None)]).associate("hub", "nva", "rt-nva");
    assert!(has(&e, "DroppedByNoneRoute"));
    assert!(!has(&spokes_via_hub(true, true), "DroppedByNoneRoute"));
}

/// Packets lost to a system None route for want of a route to another VNet have that VNet as
/// their root cause: one finding per destination VNet, whichever subnets they start from.
#[test]
fn drops_for_want_of_a_route_are_grouped_by_the_destination_vnet() {
    let mut e = Estate::new();
    e.vnet("v", "eastus", &["10.0.0.0/16"]).subnet("v", "a", "10.0.1.0/24").subnet("v", "b", "10.0.2.0/24");
    e.nic("na", "v", "a", "10.0.1.4").nic("nb", "v", "b", "10.0.2.4");
    e.vnet("far", "eastus", &["10.5.0.0/16"]).subnet("far", "s", "10.5.1.0/24").nic("nf", "far", "s", "10.5.1.4");
    let (snapshot, found) = report(&e);
    let vnet = |name: &str| {
        azroute_engine::ResourceRef::Vnet(VnetIdx(snapshot.vnets.iter().position(|v| v.name == name).unwrap() as u32))
    };
    let drops: Vec<_> = found.findings.iter().filter(|f| f.code.as_str() == "DroppedByNoneRoute").collect();
    assert_eq!(drops.len(), 2, "{drops:#?}");
    let to_far = drops.iter().find(|f| f.resources[0] == vnet("far")).expect("one finding for `far`");
    assert_eq!(to_far.grouped.len(), 1);
    assert!(drops.iter().any(|f| f.resources[0] == vnet("v")));
}

#[test]
fn non_transitive_peering_on_the_way_back() {
    // Spoke 1 sends spoke 2's range to the hub NVA; spoke 2 has no route back, so its replies
    // (and its own traffic to spoke 1) fall into 10/8 None: peering is not transitive.
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
    e.peer("hub", "spoke1", PeerSide::default(), PeerSide { allow_forwarded_traffic: true, ..PeerSide::default() });
    e.peer("hub", "spoke2", PeerSide::default(), PeerSide { allow_forwarded_traffic: true, ..PeerSide::default() });
    e.route_table("rt1", &[("to-spoke2", "10.2.0.0/16", "VirtualAppliance", Some("10.0.1.4"))])
        .associate("spoke1", "s", "rt1");
    // A warning, as the catalogue documents, on a traced path too.
    assert_eq!(severity(&e, "NonTransitivePeering"), Some(Severity::Warning));
    assert!(!has(&spokes_via_hub(true, true), "NonTransitivePeering"));
}

#[test]
fn private_destination_sent_to_the_internet() {
    let mut e = base(true);
    e.route_table("rt", &[("partner-fw", "172.20.0.0/16", "VirtualAppliance", Some("10.0.9.4"))])
        .associate("v", "app", "rt");
    // The NVA's own table overrides 0.0.0.0/0 to the Internet, which removes the reserved None
    // routes there: 172.20.x then leaves for the Internet.
    e.route_table("rt-nva", &[("out", "0.0.0.0/0", "Internet", None)]).associate("v", "nva", "rt-nva");
    assert!(has(&e, "PrivateDestinationToInternet"));
    let mut e = base(true);
    e.route_table("rt", &[("partner-fw", "172.20.0.0/16", "VirtualAppliance", Some("10.0.9.4"))])
        .associate("v", "app", "rt");
    assert!(!has(&e, "PrivateDestinationToInternet"));
}

/// Every check of the catalogue has a test in this file (the egress and platform-service checks
/// (§17) in `egress.rs`, the Azure Firewall checks (§16.7) in `firewall_doctor.rs`, the Azure
/// Virtual Network Manager checks in `avnm_doctor.rs`, the Route Server checks in
/// `route_server_doctor.rs` and `route_server_options.rs`, the Virtual WAN checks in
/// `vwan_doctor.rs`).
#[test]
fn every_check_is_tested_here() {
    let source = [
        include_str!("doctor_checks.rs"),
        include_str!("egress.rs"),
        include_str!("firewall_doctor.rs"),
        include_str!("avnm_doctor.rs"),
        include_str!("route_server_doctor.rs"),
        include_str!("route_server_options.rs"),
        include_str!("vwan_doctor.rs"),
    ]
    .concat();
    for check in azroute_doctor::CHECKS {
        assert!(source.contains(&format!("\"{}\"", check.code)), "no test names {}", check.code);
    }
}
