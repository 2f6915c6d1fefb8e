//! Trace and NSG scenarios: T16, T17, T20, T21, T24–T26 of `docs/azure-routing-rules.md` §14,
//! and the traps engineers hit most (§12.3): an NVA with IP forwarding off, a
//! routing loop between NVAs, an asymmetric firewall path, forced tunnelling that breaks inbound
//! connections to a public IP, and an NSG deny at the destination. Every code only traces raise
//! has a scenario here (`tests/catalogue.rs` checks it), its words as `azroute trace` prints them.

use azroute_engine::{Assumption, Hop, HopKind, Trace, Verdict};
use azroute_model::*;
use azroute_report::finding_text::hop_name;
use azroute_report::trace::FindingView;
use azroute_testkit::*;
use serde_json::json;

fn codes(t: &Trace) -> Vec<&'static str> {
    t.findings.iter().map(|f| f.code.as_str()).collect()
}

/// The finding with this code, in the words `azroute trace` prints.
fn finding(s: &Scenario, t: &Trace, code: &str) -> FindingView {
    let f = t.findings.iter().find(|f| f.code.as_str() == code).expect("finding");
    FindingView::new(&s.snapshot, f)
}

/// Whether a hop is of this kind and shows this name.
fn is_hop(s: &Scenario, h: &Hop, kind: HopKind, name: &str) -> bool {
    h.kind == kind && hop_name(&s.snapshot, &h.resource) == name
}

fn kinds(t: &Trace) -> Vec<HopKind> {
    t.forward.hops.iter().map(|h| h.kind).collect()
}

/// T17 – Spoke-to-spoke through the hub NVA, both directions through the same NVA.
#[test]
fn t17_spoke_to_spoke_through_hub_nva_both_directions() {
    let s = Scenario::new(&spokes_via_hub(true, true));
    let t = s.trace("nic1", "nic2", 443);
    assert_eq!(t.forward.verdict, Verdict::Delivered, "{:?}", t.findings);
    assert_eq!(kinds(&t), vec![HopKind::Source, HopKind::VirtualAppliance, HopKind::Destination]);
    let reply = t.reverse.as_ref().expect("a reply");
    assert_eq!(reply.verdict, Verdict::Delivered);
    assert_eq!(
        reply.hops.iter().map(|h| h.kind).collect::<Vec<_>>(),
        vec![HopKind::Source, HopKind::VirtualAppliance, HopKind::Destination]
    );
    assert!(codes(&t).is_empty(), "{:?}", t.findings);
}

/// T17 – The receiving spoke's peering refuses forwarded traffic (receive-side reading, C10).
#[test]
fn t17_forwarded_traffic_refused_by_receiving_peering() {
    let s = Scenario::new(&spokes_via_hub(true, false));
    let t = s.trace("nic1", "nic2", 443);
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    let f = finding(&s, &t, "ForwardedTrafficNotAllowed");
    assert!(f.fix.contains("allowForwardedTraffic = true") && f.fix.contains("spoke2-to-hub"), "{}", f.fix);
    // With enforcement off (C10 option) the packet goes through.
    let options = ModelOptions { allow_forwarded_traffic_enforced: false, ..ModelOptions::default() };
    let s = Scenario::with_options(&spokes_via_hub(true, false), options);
    assert_eq!(s.trace("nic1", "nic2", 443).forward.verdict, Verdict::Delivered);
}

/// An NVA whose NIC has IP forwarding off drops what it should forward (§6.2).
#[test]
fn nva_with_ip_forwarding_off_drops() {
    let s = Scenario::new(&spokes_via_hub(false, true));
    let t = s.trace("nic1", "nic2", 443);
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    let f = finding(&s, &t, "IpForwardingDisabled");
    assert!(f.fix.contains("nic-nva") && f.resources[0].ends_with("/networkInterfaces/nic-nva"), "{f:?}");
}

/// T16 – A spoke reaches on-premises through the hub's gateway (gateway transit); without
/// useRemoteGateways the packet is dropped and the half-configured transit is named.
#[test]
fn t16_spoke_to_on_premises_through_gateway_transit() {
    let build = |use_remote: bool| {
        let mut e = Estate::new();
        e.vnet("hub", "eastus", &["10.0.0.0/16"]).subnet("hub", "GatewaySubnet", "10.0.0.0/27").gateway(
            "gw",
            "hub",
            "Vpn",
            &["10.0.0.4"],
        );
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
    };
    let s = Scenario::new(&build(true));
    let t = s.trace("nic-spoke", "10.10.3.3", 22);
    assert_eq!(t.forward.verdict, Verdict::ExitedToOnPremises);
    assert!(t.forward.hops.iter().any(|h| is_hop(&s, h, HopKind::VirtualNetworkGateway, "gw")));
    // The reply re-enters through the gateway and is delivered.
    assert_eq!(t.reverse.as_ref().unwrap().verdict, Verdict::Delivered);
    let s = Scenario::new(&build(false));
    let t = s.trace("nic-spoke", "10.10.3.3", 22);
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    assert!(
        codes(&t).contains(&"DroppedByNoneRoute") && codes(&t).contains(&"UseRemoteGatewaysMissing"),
        "{:?}",
        codes(&t)
    );
}

/// Gateway routes suppressed by the subnet's route table: the drop names the table (§3.7).
#[test]
fn gateway_routes_suppressed_is_named() {
    let mut e = Estate::new();
    e.vnet("hub", "eastus", &["10.0.0.0/16"]).subnet("hub", "GatewaySubnet", "10.0.0.0/27").subnet(
        "hub",
        "a",
        "10.0.1.0/24",
    );
    e.nic("nic-a", "hub", "a", "10.0.1.4").gateway("gw", "hub", "Vpn", &["10.0.0.4"]).site(
        "gw",
        "onprem",
        &["192.168.50.0/24"],
    );
    e.route_table_with("rt", &[], true).associate("hub", "a", "rt");
    let s = Scenario::new(&e);
    let t = s.trace("nic-a", "192.168.50.9", 443);
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    let f = finding(&s, &t, "GatewayRoutesSuppressed");
    assert!(f.fix.contains("disableBgpRoutePropagation = false") && f.fix.contains("`rt`"), "{}", f.fix);
}

fn pe_hub_with_firewall(policies: &str) -> Estate {
    let mut e = Estate::new();
    e.vnet("hub", "eastus", &["10.0.0.0/16"])
        .subnet("hub", "vms", "10.0.1.0/24")
        .subnet("hub", "fw", "10.0.9.0/24")
        .nic("nic-hub", "hub", "vms", "10.0.1.4")
        .nic_with("nic-fw", "hub", "fw", "10.0.9.4", true);
    e.vnet("spoke", "eastus", &["10.5.0.0/16"]).subnet("spoke", "pe", "10.5.4.0/24");
    e.subnet_property("spoke", "pe", "privateEndpointNetworkPolicies", json!(policies));
    e.private_endpoint("pe1", "spoke", "pe", "10.5.4.12");
    e.peer_simple("hub", "spoke");
    e.route_table("rt", &[("default-fw", "0.0.0.0/0", "VirtualAppliance", Some("10.0.9.4"))])
        .associate("hub", "vms", "rt");
    e
}

/// T20 – The private endpoint's /32 takes traffic past the 0/0 firewall route.
#[test]
fn t20_private_endpoint_bypasses_firewall() {
    let s = Scenario::new(&pe_hub_with_firewall("Disabled"));
    let t = s.trace("nic-hub", "10.5.4.12", 443);
    assert_eq!(t.forward.verdict, Verdict::DeliveredToAzureService);
    assert!(!t.forward.hops.iter().any(|h| h.kind == HopKind::VirtualAppliance));
    let f = finding(&s, &t, "PrivateEndpointBypassesFirewall");
    assert!(f.fix.contains("RouteTableEnabled"));
    // Other traffic goes through the firewall.
    let t = s.trace("nic-hub", "8.8.8.8", 443);
    assert_eq!(t.forward.verdict, Verdict::ExitedToInternet);
    assert!(t.forward.hops.iter().any(|h| is_hop(&s, h, HopKind::VirtualAppliance, "nic-fw")));
}

/// T21 – A VNet peered only to the hub has no route to the spoke's private endpoint: the
/// packet falls into 10/8 None and non-transitive peering is named.
#[test]
fn t21_private_endpoint_not_reachable_transitively() {
    let mut e = pe_hub_with_firewall("Disabled");
    e.vnet("spoke2", "eastus", &["10.6.0.0/16"])
        .subnet("spoke2", "s", "10.6.1.0/24")
        .nic("nic-s2", "spoke2", "s", "10.6.1.4");
    e.peer_simple("hub", "spoke2");
    let s = Scenario::new(&e);
    let t = s.trace("nic-s2", "10.5.4.12", 443);
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    assert!(codes(&t).contains(&"NonTransitivePeering"), "{:?}", codes(&t));
}

fn nsg_estate(subnet_rules: &[serde_json::Value], nic_rules: Option<&[serde_json::Value]>) -> Estate {
    let mut e = Estate::new();
    e.vnet("v", "eastus", &["10.0.0.0/16"]).subnet("v", "s", "10.0.1.0/24").nic("web", "v", "s", "10.0.1.4");
    e.nsg("nsg-subnet", subnet_rules).subnet_nsg("v", "s", "nsg-subnet");
    if let Some(rules) = nic_rules {
        e.nsg("nsg-nic", rules);
        e.nic_property("web", "networkSecurityGroup", json!({"id": id("networkSecurityGroups", "nsg-nic")}));
    }
    e
}

/// T24 – Inbound: the subnet NSG allows, the NIC NSG's default rule denies.
#[test]
fn t24_inbound_subnet_then_nic() {
    let allow80 = [rule("allow-80", 100, "Inbound", "Allow", "Tcp", "Internet", "*", "80")];
    let s = Scenario::new(&nsg_estate(&allow80, Some(&[])));
    assert_eq!(
        s.ip_flow("web", Direction::Inbound, "10.0.1.4", 80, "203.0.113.5", 50000),
        ("Deny".to_string(), "defaultSecurityRules/DenyAllInBound".to_string(), "networkInterface".to_string())
    );
    let s = Scenario::new(&nsg_estate(&allow80, None));
    assert_eq!(
        s.ip_flow("web", Direction::Inbound, "10.0.1.4", 80, "203.0.113.5", 50000),
        ("Allow".to_string(), "securityRules/allow-80".to_string(), "subnet".to_string())
    );
}

/// T25 – Outbound: the NIC NSG is consulted first; its deny decides and the subnet NSG is
/// never consulted.
#[test]
fn t25_outbound_nic_then_subnet() {
    let deny80 = [rule("deny-web", 100, "Outbound", "Deny", "Tcp", "*", "Internet", "80")];
    let s = Scenario::new(&nsg_estate(&[], Some(&deny80)));
    assert_eq!(
        s.ip_flow("web", Direction::Outbound, "10.0.1.4", 50000, "93.184.216.34", 80),
        ("Deny".to_string(), "securityRules/deny-web".to_string(), "networkInterface".to_string())
    );
    assert_eq!(s.ip_flow("web", Direction::Outbound, "10.0.1.4", 50000, "93.184.216.34", 443).0, "Allow");
}

/// T26 – A 0/0 user route widens the VirtualNetwork tag to 0.0.0.0/0, so AllowVnetInBound
/// admits Internet sources (issue #22178).
#[test]
fn t26_virtual_network_tag_widened_by_default_route() {
    let mut e = nsg_estate(&[], None);
    e.route_table("rt", &[("default-nva", "0.0.0.0/0", "VirtualAppliance", Some("10.0.1.10"))])
        .associate("v", "s", "rt");
    let s = Scenario::new(&e);
    assert_eq!(
        s.ip_flow("web", Direction::Inbound, "10.0.1.4", 3389, "203.0.113.5", 50000),
        ("Allow".to_string(), "defaultSecurityRules/AllowVnetInBound".to_string(), "subnet".to_string())
    );
    let engine = s.engine();
    let security = azroute_engine::SecurityEngine::new(&engine);
    let subnet = s.snapshot.find_subnet("v/s").unwrap();
    assert!(security.virtual_network_tag(subnet).contains(&"0.0.0.0/0".parse().unwrap()));
    // Without the route the tag is the VNet and the Azure host IP.
    let s = Scenario::new(&nsg_estate(&[], None));
    assert_eq!(
        s.ip_flow("web", Direction::Inbound, "10.0.1.4", 3389, "203.0.113.5", 50000).1,
        "defaultSecurityRules/DenyAllInBound"
    );
}

/// An NSG at the destination NIC denies the port; the finding names the rule and the fix.
#[test]
fn nsg_deny_at_destination_nic() {
    let mut e = Estate::new();
    e.vnet("v", "eastus", &["10.0.0.0/16"]).subnet("v", "a", "10.0.1.0/24").subnet("v", "b", "10.0.2.0/24");
    e.nic("client", "v", "a", "10.0.1.4").nic("server", "v", "b", "10.0.2.4");
    e.nsg("nsg-server", &[rule("deny-ssh", 100, "Inbound", "Deny", "Tcp", "*", "*", "22")]);
    e.nic_property("server", "networkSecurityGroup", json!({"id": id("networkSecurityGroups", "nsg-server")}));
    let s = Scenario::new(&e);
    let t = s.trace("client", "server", 22);
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    let f = finding(&s, &t, "NsgDenied");
    assert!(f.message.contains("securityRules/deny-ssh") && f.fix.contains("deny-ssh"), "{f:?}");
    assert_eq!(s.trace("client", "server", 443).forward.verdict, Verdict::Delivered);
}

/// Two NVAs that send a prefix to each other: a loop, with the routes that form it.
#[test]
fn routing_loop_between_two_nvas() {
    let mut e = Estate::new();
    e.vnet("v", "eastus", &["10.0.0.0/16"]).subnet("v", "a", "10.0.1.0/24").subnet("v", "b", "10.0.2.0/24");
    e.nic_with("nva-a", "v", "a", "10.0.1.4", true).nic_with("nva-b", "v", "b", "10.0.2.4", true);
    e.route_table("rt-a", &[("to-b", "10.30.0.0/16", "VirtualAppliance", Some("10.0.2.4"))])
        .associate("v", "a", "rt-a");
    e.route_table("rt-b", &[("to-a", "10.30.0.0/16", "VirtualAppliance", Some("10.0.1.4"))])
        .associate("v", "b", "rt-b");
    let s = Scenario::new(&e);
    let t = s.trace("nva-a", "10.30.0.5", 443);
    assert_eq!(t.forward.verdict, Verdict::Loop);
    let f = finding(&s, &t, "RoutingLoop");
    assert_eq!(f.evidence.len(), 2, "{:?}", f.evidence);
    assert!(f.evidence.iter().any(|e| e.contains("to-b")) && f.evidence.iter().any(|e| e.contains("to-a")));
}

/// One direction through the firewall, the other direct: the reply skips the stateful NVA.
#[test]
fn asymmetric_path_through_firewall() {
    let mut e = Estate::new();
    e.vnet("v", "eastus", &["10.0.0.0/16"]).subnet("v", "app", "10.0.1.0/24").subnet("v", "db", "10.0.2.0/24").subnet(
        "v",
        "fw",
        "10.0.9.0/24",
    );
    e.nic("app", "v", "app", "10.0.1.4").nic("db", "v", "db", "10.0.2.4").nic_with("fw", "v", "fw", "10.0.9.4", true);
    e.route_table("rt-app", &[("db-via-fw", "10.0.2.0/24", "VirtualAppliance", Some("10.0.9.4"))])
        .associate("v", "app", "rt-app");
    let s = Scenario::new(&e);
    let t = s.trace("app", "db", 1433);
    assert_eq!(t.forward.verdict, Verdict::Delivered);
    assert_eq!(t.forward.devices.len(), 1);
    assert!(t.reverse.as_ref().unwrap().devices.is_empty());
    let f = finding(&s, &t, "AsymmetricPath");
    assert!(f.fix.contains("v/db") && f.fix.contains("10.0.9.4"), "{}", f.fix);
    // The route proposed covers the source subnet, every host of it, not the traced host only.
    assert!(f.fix.contains("a user route for 10.0.1.0/24 "), "{}", f.fix);
    // The matching route on the db side makes it symmetric.
    e.route_table("rt-db", &[("app-via-fw", "10.0.1.0/24", "VirtualAppliance", Some("10.0.9.4"))])
        .associate("v", "db", "rt-db");
    let s = Scenario::new(&e);
    assert!(!codes(&s.trace("app", "db", 1433)).contains(&"AsymmetricPath"));
}

/// Forced tunnelling (§6.1): a VM with a public IP behind a 0/0 route to an NVA answers
/// Internet clients through the NVA, which breaks the connection.
#[test]
fn forced_tunnelling_breaks_inbound_to_public_ip() {
    let mut e = Estate::new();
    e.vnet("v", "eastus", &["10.0.0.0/16"]).subnet("v", "web", "10.0.1.0/24").subnet("v", "fw", "10.0.9.0/24");
    e.nic("web", "v", "web", "10.0.1.4").public_ip("web", "20.1.2.3").nic_with("fw", "v", "fw", "10.0.9.4", true);
    e.route_table("rt", &[("default-fw", "0.0.0.0/0", "VirtualAppliance", Some("10.0.9.4"))])
        .associate("v", "web", "rt");
    let s = Scenario::new(&e);
    let t = s.trace("198.51.100.7", "20.1.2.3", 22);
    assert_eq!(t.forward.verdict, Verdict::Delivered);
    assert_eq!(kinds(&t), vec![HopKind::Internet, HopKind::Destination]);
    assert!(codes(&t).contains(&"ForcedTunnelBreaksInbound"), "{:?}", codes(&t));
    // Without the 0/0 route the reply goes straight back.
    let mut e2 = Estate::new();
    e2.vnet("v", "eastus", &["10.0.0.0/16"]).subnet("v", "web", "10.0.1.0/24");
    e2.nic("web", "v", "web", "10.0.1.4").public_ip("web", "20.1.2.3");
    let s = Scenario::new(&e2);
    let t = s.trace("198.51.100.7", "20.1.2.3", 22);
    assert!(t.findings.is_empty(), "{:?}", t.findings);
}

/// A peering that is only Initiated: the drop names it (T07 as a trace).
#[test]
fn peering_not_connected_is_named() {
    let mut e = Estate::new();
    e.vnet("a", "eastus", &["10.0.0.0/16"]).subnet("a", "s", "10.0.1.0/24").nic("nic-a", "a", "s", "10.0.1.4");
    e.vnet("b", "eastus", &["10.1.0.0/16"]).subnet("b", "s", "10.1.1.0/24").nic("nic-b", "b", "s", "10.1.1.4");
    e.peer_one_way("a", "b", PeerSide { state: "Initiated", ..PeerSide::default() });
    let s = Scenario::new(&e);
    let t = s.trace("nic-a", "nic-b", 443);
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    let f = finding(&s, &t, "PeeringNotConnected");
    assert!(f.fix.contains("from `b` back to `a`"), "{}", f.fix);
}

/// A virtual-appliance route to an address nobody owns.
#[test]
fn next_hop_unreachable() {
    let mut e = Estate::new();
    e.vnet("v", "eastus", &["10.0.0.0/16"]).subnet("v", "s", "10.0.1.0/24").nic("vm", "v", "s", "10.0.1.4");
    e.route_table("rt", &[("to-ghost", "0.0.0.0/0", "VirtualAppliance", Some("10.0.7.7"))]).associate("v", "s", "rt");
    let s = Scenario::new(&e);
    let t = s.trace("vm", "8.8.8.8", 443);
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    assert!(codes(&t).contains(&"NextHopUnreachable"));
}

/// An internal load balancer front end as the next hop: the packet reaches a backend NVA.
#[test]
fn internal_load_balancer_as_next_hop() {
    let mut e = spokes_via_hub(true, true);
    e.nic_with("nic-nva2", "hub", "nva", "10.0.1.5", true);
    e.internal_load_balancer("ilb", "hub", "nva", "10.0.1.100", &["nic-nva", "nic-nva2"]);
    e.route_table("rt1b", &[("to-spoke2", "10.2.0.0/16", "VirtualAppliance", Some("10.0.1.100"))])
        .associate("spoke1", "s", "rt1b");
    let s = Scenario::new(&e);
    let t = s.trace("nic1", "nic2", 443);
    assert_eq!(t.forward.verdict, Verdict::Delivered, "{:?}", t.findings);
    assert_eq!(
        kinds(&t),
        vec![HopKind::Source, HopKind::LoadBalancer, HopKind::VirtualAppliance, HopKind::Destination]
    );
    assert!(t.assumptions.list().any(|a| a == Assumption::FirstBackend));
}

/// Application security groups: a rule naming an ASG applies only to its members.
#[test]
fn application_security_groups_match_members_only() {
    let asg = format!(
        "/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Network/applicationSecurityGroups/web-servers"
    );
    let mut e = Estate::new();
    e.vnet("v", "eastus", &["10.0.0.0/16"])
        .subnet("v", "s", "10.0.1.0/24")
        .nic("web", "v", "s", "10.0.1.4")
        .nic("other", "v", "s", "10.0.1.5");
    let mut allow = rule("allow-https-to-web", 100, "Inbound", "Allow", "Tcp", "*", "*", "443");
    allow["properties"]["destinationAddressPrefix"] = serde_json::Value::Null;
    allow["properties"]["destinationApplicationSecurityGroups"] = json!([{"id": asg}]);
    e.nsg("nsg", &[allow]).subnet_nsg("v", "s", "nsg");
    e.nic_property(
        "web",
        "ipConfigurations",
        json!([{"name": "ipconfig1", "id": format!("{}/ipConfigurations/ipconfig1", id("networkInterfaces", "web")),
            "properties": {"privateIPAddress": "10.0.1.4", "primary": true, "subnet": {"id": subnet_id("v", "s")}, "applicationSecurityGroups": [{"id": asg}]}}]),
    );
    let s = Scenario::new(&e);
    assert_eq!(
        s.ip_flow("web", Direction::Inbound, "10.0.1.4", 443, "203.0.113.5", 50000).1,
        "securityRules/allow-https-to-web"
    );
    assert_eq!(
        s.ip_flow("other", Direction::Inbound, "10.0.1.5", 443, "203.0.113.5", 50000).1,
        "defaultSecurityRules/DenyAllInBound"
    );
}

/// From on-premises into a spoke through the hub firewall (GatewaySubnet route), and back.
#[test]
fn on_premises_to_spoke_through_firewall_is_symmetric() {
    let mut e = spokes_via_hub(true, true);
    e.subnet("hub", "GatewaySubnet", "10.0.0.0/27").gateway("gw", "hub", "Vpn", &["10.0.0.4"]).site(
        "gw",
        "onprem",
        &["172.16.0.0/16"],
    );
    e.route_table("rt-gw", &[("spoke1-fw", "10.1.0.0/16", "VirtualAppliance", Some("10.0.1.4"))]).associate(
        "hub",
        "GatewaySubnet",
        "rt-gw",
    );
    e.route_table("rt1c", &[("onprem-fw", "172.16.0.0/16", "VirtualAppliance", Some("10.0.1.4"))])
        .associate("spoke1", "s", "rt1c");
    let s = Scenario::new(&e);
    let t = s.trace("172.16.5.5", "nic1", 22);
    assert_eq!(t.forward.verdict, Verdict::Delivered, "{:?}", t.findings);
    assert_eq!(
        kinds(&t),
        vec![HopKind::OnPremises, HopKind::VirtualNetworkGateway, HopKind::VirtualAppliance, HopKind::Destination]
    );
    let reply = t.reverse.as_ref().unwrap();
    assert_eq!(reply.verdict, Verdict::ExitedToOnPremises);
    assert!(!codes(&t).contains(&"AsymmetricPath"), "{:?}", codes(&t));
}

/// A hub whose VPN gateway reaches the site `onprem` (10.10.0.0/16) over `gw-to-onprem`, with a
/// workload NIC in the hub.
fn hub_with_site() -> Estate {
    let mut e = Estate::new();
    e.vnet("hub", "eastus", &["10.0.0.0/16"])
        .subnet("hub", "GatewaySubnet", "10.0.0.0/27")
        .subnet("hub", "s", "10.0.1.0/24")
        .nic("nic-hub", "hub", "s", "10.0.1.4")
        .gateway("gw", "hub", "Vpn", &["10.0.0.4"])
        .site("gw", "onprem", &["10.10.0.0/16"]);
    e
}

/// §5.3 – A local network gateway's prefixes are programmed from the connection's
/// configuration, so the route to the site exists while the tunnel is down; the packet leaves
/// for on-premises, and a connection that is not Connected is a warning that it may not arrive.
#[test]
fn gateway_connection_down_is_a_warning_on_the_exit() {
    let mut e = hub_with_site();
    e.resource_property("Microsoft.Network/connections", "gw-to-onprem", "connectionStatus", json!("NotConnected"));
    let s = Scenario::new(&e);
    let t = s.trace("nic-hub", "10.10.3.3", 443);
    assert_eq!(t.forward.verdict, Verdict::ExitedToOnPremises);
    let f = finding(&s, &t, "GatewayConnectionDown");
    assert_eq!(f.severity, "warning");
    assert!(f.message.contains("`gw-to-onprem` is NotConnected"), "{}", f.message);
    assert!(f.resources[0].ends_with("/connections/gw-to-onprem"), "{:?}", f.resources);
    // Connected: the same path, no finding.
    let s = Scenario::new(&hub_with_site());
    let t = s.trace("nic-hub", "10.10.3.3", 443);
    assert_eq!(t.forward.verdict, Verdict::ExitedToOnPremises);
    assert!(codes(&t).is_empty(), "{:?}", codes(&t));
}

/// §5.2, C9 – allowVirtualNetworkAccess = false on the receiving side: under the 2018
/// documentation's reading (`drop`) traffic over the peering does not flow; under the observed
/// default (`tag_only`) it only leaves the VirtualNetwork tag, so routing delivers it.
#[test]
fn peering_access_disabled_drops_only_under_the_drop_reading() {
    let mut e = Estate::new();
    e.vnet("a", "eastus", &["10.0.0.0/16"]).subnet("a", "s", "10.0.1.0/24").nic("nic-a", "a", "s", "10.0.1.4");
    e.vnet("b", "eastus", &["10.1.0.0/16"]).subnet("b", "s", "10.1.1.0/24").nic("nic-b", "b", "s", "10.1.1.4");
    e.peer("a", "b", PeerSide::default(), PeerSide { allow_virtual_network_access: false, ..PeerSide::default() });
    let options = ModelOptions { peering_access_false_semantics: PeeringAccessFalse::Drop, ..ModelOptions::default() };
    let s = Scenario::with_options(&e, options);
    let t = s.trace("nic-a", "nic-b", 443);
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    let f = finding(&s, &t, "PeeringAccessDisabled");
    assert!(f.resources[0].ends_with("/virtualNetworkPeerings/b-to-a"), "{:?}", f.resources);
    assert!(f.fix.contains("allowVirtualNetworkAccess = true on peering `b-to-a`"), "{}", f.fix);
    let s = Scenario::new(&e);
    assert_eq!(s.trace("nic-a", "nic-b", 443).forward.verdict, Verdict::Delivered);
}

/// §10.3 – IPv6 system routes are not documented: with the `none` option a dual-stack VNet has
/// no IPv6 route at all, so an IPv6 destination matches nothing and is dropped; with the
/// default (mirror IPv4) ::/0 sends it to the Internet.
#[test]
fn no_route_for_an_address_family_without_routes() {
    let mut e = Estate::new();
    e.vnet("v", "eastus", &["10.0.0.0/16", "fd00:db8::/48"]).subnet("v", "s6", "fd00:db8:0:1::/64").nic(
        "vm6",
        "v",
        "s6",
        "fd00:db8:0:1::4",
    );
    let options = ModelOptions { ipv6_system_routes: Ipv6SystemRoutes::None, ..ModelOptions::default() };
    let s = Scenario::with_options(&e, options);
    let t = s.trace("vm6", "2001:4860:4860::8888", 443);
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    assert_eq!(codes(&t), vec!["NoRoute"]);
    let f = finding(&s, &t, "NoRoute");
    assert_eq!(f.message, "no route of `v/s6` matches 2001:4860:4860::8888");
    let s = Scenario::new(&e);
    assert_eq!(s.trace("vm6", "2001:4860:4860::8888", 443).forward.verdict, Verdict::ExitedToInternet);
}

/// §3.2, §10.4 – A user route whose next hop type azroute does not model (`HyperNetGateway`,
/// in Azure's enum but undocumented): the trace stops there and says so rather than guess.
#[test]
fn unmodelled_next_hop_type_stops_the_trace() {
    let mut e = Estate::new();
    e.vnet("v", "eastus", &["10.0.0.0/16"]).subnet("v", "s", "10.0.1.0/24").nic("vm", "v", "s", "10.0.1.4");
    e.route_table("rt", &[("odd", "192.0.2.0/24", "HyperNetGateway", None)]).associate("v", "s", "rt");
    let s = Scenario::new(&e);
    let t = s.trace("vm", "192.0.2.7", 443);
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    let f = finding(&s, &t, "NotModelled");
    assert_eq!(f.severity, "warning");
    assert!(f.message.contains("`HyperNetGateway`"), "{}", f.message);
    assert!(f.evidence.iter().any(|e| e.contains("192.0.2.0/24") && e.contains("(odd)")), "{:?}", f.evidence);
    // Other destinations keep the system routes.
    assert_eq!(s.trace("vm", "10.0.1.4", 443).forward.verdict, Verdict::Delivered);
}

/// §11 – The route delivers inside the VNet, but no NIC, load balancer or private endpoint
/// holds the destination: dropped, naming the VNet. From the Internet, only a NIC's public IP
/// can be reached (§9.1).
#[test]
fn no_host_at_destination() {
    let mut e = Estate::new();
    e.vnet("v", "eastus", &["10.0.0.0/16"]).subnet("v", "s", "10.0.1.0/24").nic("vm", "v", "s", "10.0.1.4");
    let s = Scenario::new(&e);
    let t = s.trace("vm", "10.0.1.99", 443);
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    let f = finding(&s, &t, "NoHostAtDestination");
    assert_eq!(f.severity, "error");
    assert!(f.message.contains("in `v` has the address 10.0.1.99"), "{}", f.message);
    assert!(f.resources[0].ends_with("/virtualNetworks/v"), "{:?}", f.resources);
    let t = s.trace("203.0.113.9", "10.0.1.4", 443);
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    let f = finding(&s, &t, "NoHostAtDestination");
    assert!(f.message.contains("10.0.1.4 is a private address"), "{}", f.message);
}

/// The hub NVA and the destination with power states as `az vm list -d` exports them.
fn spokes_via_hub_powered(nva: &str, destination: &str) -> Estate {
    let mut e = spokes_via_hub(true, true);
    e.resource_property("Microsoft.Compute/virtualMachines", "nic-nva-vm", "powerState", json!(nva));
    e.resource_property("Microsoft.Compute/virtualMachines", "nic2-vm", "powerState", json!(destination));
    e.resource_property("Microsoft.Compute/virtualMachines", "nic1-vm", "powerState", json!("VM running"));
    e
}

/// §11.1 – A deallocated NVA forwards nothing: the hop is dropped with `NvaNotRunning`, whose
/// fix is a complete `az vm start`.
#[test]
fn nva_not_running_drops() {
    let s = Scenario::new(&spokes_via_hub_powered("VM deallocated", "VM running"));
    let t = s.trace("nic1", "nic2", 443);
    assert_eq!(t.forward.verdict, Verdict::Dropped, "{:?}", t.findings);
    assert_eq!(kinds(&t), vec![HopKind::Source, HopKind::VirtualAppliance]);
    let f = finding(&s, &t, "NvaNotRunning");
    assert_eq!(f.severity, "error");
    assert!(f.message.contains("PowerState/deallocated"), "{}", f.message);
    assert!(f.fix.contains("az vm start -g rg -n nic-nva-vm"), "{}", f.fix);
    assert!(t.reverse.is_none());
    // Every power state is known: nothing assumed about it.
    assert!(!t.assumptions.list().any(|a| a == Assumption::PowerStateUnknown));
    // The NVA's NSG was never reached: the table says so rather than leave the column blank.
    let mut e = spokes_via_hub_powered("VM deallocated", "VM running");
    e.nsg("nsg-nva", &[]).subnet_nsg("hub", "nva", "nsg-nva");
    let s = Scenario::new(&e);
    let text = azroute_report::trace::text(&azroute_report::trace::view(&s.snapshot, &s.trace("nic1", "nic2", 443)));
    let nva = text.lines().find(|l| l.starts_with("1  VirtualAppliance")).expect("the NVA hop");
    assert!(nva.trim_end().ends_with("not evaluated (the path ended first)"), "{text}");
}

/// §11.1 – A stopped destination answers nothing: `DestinationNotRunning`, no reply.
#[test]
fn destination_not_running_drops() {
    let s = Scenario::new(&spokes_via_hub_powered("VM running", "PowerState/stopped"));
    let t = s.trace("nic1", "nic2", 443);
    assert_eq!(t.forward.verdict, Verdict::Dropped, "{:?}", t.findings);
    assert_eq!(codes(&t), vec!["DestinationNotRunning"]);
    let f = finding(&s, &t, "DestinationNotRunning");
    assert!(f.message.contains("10.2.1.4") && f.message.contains("PowerState/stopped"), "{}", f.message);
    assert!(f.fix.contains("az vm start -g rg -n nic2-vm"), "{}", f.fix);
}

/// A stopped source is traced from its configuration, and the trace says so; without power
/// states in the export every VM is assumed running, also said.
#[test]
fn stopped_source_and_unknown_power_are_assumptions() {
    let mut e = spokes_via_hub_powered("VM running", "VM running");
    e.resource_property("Microsoft.Compute/virtualMachines", "nic1-vm", "powerState", json!("VM deallocated"));
    let s = Scenario::new(&e);
    let t = s.trace("nic1", "nic2", 443);
    assert_eq!(t.forward.verdict, Verdict::Delivered, "{:?}", t.findings);
    let vm = s.snapshot.vms.iter().position(|v| v.name == "nic1-vm").map(|i| VmIdx(i as u32)).unwrap();
    assert!(t.assumptions.list().any(|a| a == Assumption::SourceNotRunning { vm }));
    let unknown = Scenario::new(&spokes_via_hub(true, true)).trace("nic1", "nic2", 443);
    assert_eq!(unknown.forward.verdict, Verdict::Delivered);
    assert!(unknown.assumptions.list().any(|a| a == Assumption::PowerStateUnknown));
}

/// §6.1, §3.4 – Forced tunnelling to a VPN gateway needs a default site (or a BGP-learned
/// 0.0.0.0/0): without either, Internet traffic sent to the gateway is dropped with
/// `ForcedTunnelNoDefaultSite`; with a default site it leaves for that site; with a learned
/// 0.0.0.0/0 it follows that route.
#[test]
fn forced_tunnel_needs_a_default_site() {
    let forced = || {
        let mut e = hub_with_site();
        e.route_table("rt-ft", &[("default", "0.0.0.0/0", "VirtualNetworkGateway", None)])
            .associate("hub", "s", "rt-ft");
        e
    };
    let s = Scenario::new(&forced());
    let t = s.trace("nic-hub", "8.8.8.8", 443);
    assert_eq!(t.forward.verdict, Verdict::Dropped, "{:?}", t.findings);
    let f = finding(&s, &t, "ForcedTunnelNoDefaultSite");
    assert_eq!(f.severity, "error");
    assert!(f.message.contains("`gw`") && f.message.contains("gatewayDefaultSite"), "{}", f.message);
    assert!(f.fix.contains("az network vnet-gateway update -g rg -n gw --gateway-default-site"), "{}", f.fix);
    // On-premises destinations still leave by their site.
    assert_eq!(s.trace("nic-hub", "10.10.3.3", 443).forward.verdict, Verdict::ExitedToOnPremises);
    // A default site takes the rest.
    let mut e = forced();
    let site = json!({"id": format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Network/localNetworkGateways/onprem")});
    e.resource_property("Microsoft.Network/virtualNetworkGateways", "gw", "gatewayDefaultSite", site);
    let s = Scenario::new(&e);
    let t = s.trace("nic-hub", "8.8.8.8", 443);
    assert_eq!(t.forward.verdict, Verdict::ExitedToOnPremises, "{:?}", t.findings);
    assert!(codes(&t).is_empty(), "{:?}", codes(&t));
    // So does a 0.0.0.0/0 learned over BGP.
    let mut e = forced();
    e.learned("gw", &[("0.0.0.0/0", "EBgp", "10.10.0.1")]);
    let t = Scenario::new(&e).trace("nic-hub", "8.8.8.8", 443);
    assert_eq!(t.forward.verdict, Verdict::ExitedToOnPremises, "{:?}", t.findings);
}

/// A dual-stack VNet (§10.3): IPv4 10.0.0.0/16 and IPv6 fd00:db8:1::/48, two subnets, one NIC
/// in each with an IPv4 and an IPv6 configuration.
fn dual_stack() -> Estate {
    let mut e = Estate::new();
    e.vnet("v", "eastus", &["10.0.0.0/16", "fd00:db8:1::/48"]).subnet("v", "a", "10.0.1.0/24").subnet(
        "v",
        "b",
        "10.0.2.0/24",
    );
    for (subnet, prefixes) in [("a", ["10.0.1.0/24", "fd00:db8:1:1::/64"]), ("b", ["10.0.2.0/24", "fd00:db8:1:2::/64"])]
    {
        e.subnet_property("v", subnet, "addressPrefix", serde_json::Value::Null);
        e.subnet_property("v", subnet, "addressPrefixes", json!(prefixes));
    }
    for (nic, subnet, v4, v6) in
        [("nic-a", "a", "10.0.1.4", "fd00:db8:1:1::4"), ("nic-b", "b", "10.0.2.4", "fd00:db8:1:2::4")]
    {
        e.nic(nic, "v", subnet, v4);
        let nic_id = id("networkInterfaces", nic);
        let config = |name: &str, ip: &str, primary: bool| {
            json!({"id": format!("{nic_id}/ipConfigurations/{name}"), "name": name, "properties": {
                "privateIPAddress": ip, "primary": primary, "subnet": {"id": subnet_id("v", subnet)}}})
        };
        e.nic_property(nic, "ipConfigurations", json!([config("ipv4", v4, true), config("ipv6", v6, false)]));
    }
    e
}

/// §10.3, §9.2 – A dual-stack trace: the IPv6 address of the destination is reached from the
/// source's IPv6 address by the mirrored IPv6 VnetLocal route, the default NSG rules decide for
/// IPv6 as for IPv4 (never an unnamed rule), an IPv6 custom rule denies by name, and `::/0`
/// leaves for the Internet.
#[test]
fn dual_stack_traces_ipv6_like_ipv4() {
    let mut e = dual_stack();
    let s = Scenario::new(&e);
    let t = s.trace("fd00:db8:1:1::4", "fd00:db8:1:2::4", 443);
    assert!(matches!(t.request.source, azroute_engine::TraceSource::Nic { .. }), "{:?}", t.request.source);
    assert_eq!(t.forward.verdict, Verdict::Delivered, "{:?}", t.findings);
    assert_eq!(t.reverse.as_ref().map(|r| r.verdict), Some(Verdict::Delivered));
    let out = s.trace("fd00:db8:1:1::4", "2606:4700:4700::1111", 443);
    assert_eq!(out.forward.verdict, Verdict::ExitedToInternet, "{:?}", out.findings);
    // With NSGs of default rules only, both directions are decided by named default rules.
    e.nsg("nsg-b", &[rule("deny-v6-https", 100, "Inbound", "Deny", "Tcp", "fd00:db8:1:1::/64", "*", "443")])
        .subnet_nsg("v", "b", "nsg-b")
        .nsg("nsg-a", &[])
        .subnet_nsg("v", "a", "nsg-a");
    let s = Scenario::new(&e);
    let t = s.trace("fd00:db8:1:1::4", "fd00:db8:1:2::4", 80);
    assert_eq!(t.forward.verdict, Verdict::Delivered, "{:?}", t.findings);
    let rules: Vec<String> =
        t.forward.hops.iter().flat_map(|h| h.nsg.iter().map(|c| c.evaluation.rule_name.to_string())).collect();
    assert_eq!(rules, ["defaultSecurityRules/AllowVnetOutBound", "defaultSecurityRules/AllowVnetInBound"]);
    let t = s.trace("fd00:db8:1:1::4", "fd00:db8:1:2::4", 443);
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    let f = finding(&s, &t, "NsgDenied");
    assert!(f.message.contains("deny-v6-https"), "{}", f.message);
    // The Internet over IPv6: the default AllowInternetOutBound rule, by name.
    let t = s.trace("fd00:db8:1:1::4", "2606:4700:4700::1111", 443);
    assert_eq!(t.forward.verdict, Verdict::ExitedToInternet, "{:?}", t.findings);
    assert_eq!(t.forward.hops[0].nsg[0].evaluation.rule_name.as_ref(), "defaultSecurityRules/AllowInternetOutBound");
}
