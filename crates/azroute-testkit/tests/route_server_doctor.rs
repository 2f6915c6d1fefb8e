//! The Route Server doctor checks (§19.3), each both ways: an estate that triggers it and one
//! that does not, with the words the report gives its evidence and fix.

use azroute_doctor::{DoctorConfig, run};
use azroute_engine::{Finding, RouteEngine, Severity};
use azroute_model::*;
use azroute_report::finding_text::render;
use azroute_testkit::*;
use serde_json::json;

/// Hub 10.0.0.0/16 with Route Server `rs` (10.0.1.4, .5), NVAs `nva1` 10.0.2.4 and `nva2`
/// 10.0.2.5 peered with it, and a workload VM.
fn hub() -> Estate {
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
    e
}

/// The doctor's findings of one code, with their words.
fn found(e: &Estate, code: &str) -> Vec<(Severity, String, Vec<String>, String)> {
    let snapshot = e.load(Dialect::AzCli);
    let engine = RouteEngine::new(&snapshot, ModelOptions::default());
    let findings: Vec<Finding> = run(&engine, &DoctorConfig::default()).findings;
    findings
        .iter()
        .filter(|f| f.code.as_str() == code)
        .map(|f| {
            let text = render(&snapshot, f);
            (f.severity, text.message, text.evidence, text.fix)
        })
        .collect()
}

#[test]
fn route_server_single_instance_peer_rs11() {
    let mut e = hub();
    e.peer_learned("rs", "nva1", &[("172.16.0.0/12", "10.0.2.4", "65001")], Some(&[]));
    let f = found(&e, "RouteServerSingleInstancePeer");
    assert_eq!(f.len(), 1);
    let (severity, message, evidence, fix) = &f[0];
    assert_eq!(*severity, Severity::Warning);
    assert!(message.contains("RouteServiceRole_IN_0") && message.contains("`nva1` (10.0.2.4, AS 65001)"), "{message}");
    assert_eq!(evidence, &["on RouteServiceRole_IN_0 only: 172.16.0.0/12"]);
    assert!(fix.contains("10.0.1.4, 10.0.1.5"));
    let mut both = hub();
    both.peer_learned("rs", "nva1", &[("172.16.0.0/12", "10.0.2.4", "65001")], None);
    assert!(found(&both, "RouteServerSingleInstancePeer").is_empty());
}

#[test]
fn route_server_route_dropped_as_path_65515_rs8() {
    let mut e = hub();
    e.peer_learned(
        "rs",
        "nva1",
        &[("192.168.10.0/24", "10.0.2.4", "65001-65515"), ("172.16.0.0/12", "10.0.2.4", "65001")],
        None,
    );
    let f = found(&e, "RouteServerRouteDroppedAsPath65515");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].2, ["192.168.10.0/24 asPath 65001-65515"]);
    let mut clean = hub();
    clean.peer_learned("rs", "nva1", &[("192.168.10.0/24", "10.0.2.4", "65001-655150")], None);
    assert!(found(&clean, "RouteServerRouteDroppedAsPath65515").is_empty());
}

#[test]
fn route_server_prefix_too_specific_rs3() {
    let mut e = hub();
    e.peer_learned("rs", "nva2", &[("10.0.3.0/24", "10.0.2.5", "65002"), ("10.0.0.0/8", "10.0.2.5", "65002")], None);
    let f = found(&e, "RouteServerPrefixTooSpecific");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].0, Severity::Warning);
    assert_eq!(f[0].2, ["10.0.3.0/24 is inside the VNet range 10.0.0.0/16"]);
    assert!(f[0].1.contains("`nva2`"));
}

/// T28 (§19.2 RS-10): the NVA's own subnet uses its 0.0.0.0/0; a user route → Internet there
/// clears the finding.
#[test]
fn route_server_default_route_self_loop_t28() {
    let mut e = hub();
    e.peer_learned("rs", "nva1", &[("0.0.0.0/0", "10.0.2.4", "65001")], None);
    let f = found(&e, "RouteServerDefaultRouteSelfLoop");
    assert_eq!(f.len(), 1);
    let (severity, message, _, fix) = &f[0];
    assert_eq!(*severity, Severity::Error);
    assert!(message.contains("`nva1-nic` (10.0.2.4)") && message.contains("`hub/nva`"), "{message}");
    assert!(fix.contains("0.0.0.0/0 → Internet"));
    e.route_table("nva-rt", &[("internet", "0.0.0.0/0", "Internet", None)]).associate("hub", "nva", "nva-rt");
    assert!(found(&e, "RouteServerDefaultRouteSelfLoop").is_empty());
}

#[test]
fn route_server_branch_to_branch_disabled_rs7() {
    let mut e = hub();
    e.subnet("hub", "GatewaySubnet", "10.0.255.0/27")
        .gateway("vpn", "hub", "Vpn", &["10.0.255.4", "10.0.255.5"])
        .peer_learned("rs", "nva1", &[("172.16.0.0/12", "10.0.2.4", "65001")], None);
    let f = found(&e, "RouteServerBranchToBranchDisabled");
    assert_eq!(f.len(), 1);
    assert!(
        f[0].1.contains("`vpn`")
            && f[0].3.contains("az network routeserver update -g rg -n rs --allow-b2b-traffic true"),
        "{:?}",
        f[0]
    );
    e.route_server_property("rs", "allowBranchToBranchTraffic", json!(true));
    assert!(found(&e, "RouteServerBranchToBranchDisabled").is_empty());
    // No gateway: nothing to exchange with.
    let mut alone = hub();
    alone.peer_learned("rs", "nva1", &[("172.16.0.0/12", "10.0.2.4", "65001")], None);
    assert!(found(&alone, "RouteServerBranchToBranchDisabled").is_empty());
}

/// RS-7 (§19.6): branch-to-branch with a VPN gateway that is not active-active, then one with
/// another ASN; an active-active gateway with AS 65515 passes, and without branch-to-branch
/// nothing is said.
#[test]
fn route_server_branch_to_branch_gateway_not_active_active_rs7() {
    const CODE: &str = "RouteServerBranchToBranchGatewayNotActiveActive";
    let mut e = hub();
    e.subnet("hub", "GatewaySubnet", "10.0.255.0/27").gateway("vpn", "hub", "Vpn", &["10.0.255.4", "10.0.255.5"]);
    assert!(found(&e, CODE).is_empty(), "branch-to-branch is off");
    e.route_server_property("rs", "allowBranchToBranchTraffic", json!(true));
    let f = found(&e, CODE);
    assert_eq!(f.len(), 1);
    let (severity, message, evidence, _) = &f[0];
    assert_eq!(*severity, Severity::Error);
    assert!(message.contains("`vpn` is not active-active") && !message.contains("has AS"), "{message}");
    assert_eq!(evidence, &["activeActive false, bgpSettings.asn 65515"]);
    e.resource_property("Microsoft.Network/virtualNetworkGateways", "vpn", "activeActive", json!(true));
    assert!(found(&e, CODE).is_empty(), "active-active with AS 65515");
    let gateway_bgp = json!({"asn": 65010, "bgpPeeringAddress": "10.0.255.4,10.0.255.5"});
    e.resource_property("Microsoft.Network/virtualNetworkGateways", "vpn", "bgpSettings", gateway_bgp);
    let f = found(&e, CODE);
    assert_eq!(f.len(), 1);
    assert!(f[0].1.contains("`vpn` has AS 65010"), "{}", f[0].1);
}

/// RS-12 (§19.6): two Route Servers in one VNet.
#[test]
fn route_server_multiple_per_vnet_rs12() {
    const CODE: &str = "RouteServerMultiplePerVnet";
    let mut e = hub();
    assert!(found(&e, CODE).is_empty());
    e.route_server("rs2", "hub", &["10.0.1.6", "10.0.1.7"], false);
    let f = found(&e, CODE);
    assert_eq!(f.len(), 1);
    assert!(f[0].1.contains("VNet `hub` holds 2 Route Servers (`rs`, `rs2`)"), "{}", f[0].1);
}
