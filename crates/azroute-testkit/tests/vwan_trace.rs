//! Traces across a Virtual WAN hub to appliances (§20.11): a network virtual appliance inside
//! the hub as routing intent's next hop is not followed, and the trace says which one and why;
//! a VNet connection's static route to an NVA in its spoke sends the hub's traffic through that
//! NVA, for the spoke's own space too unless `vnetLocalRouteOverrideCriteria` is `Equal` (VW-9,
//! the design scenario of Microsoft's "Bypass next hop IP" section). And a trace from an
//! ExpressRoute branch (§20.16).

use azroute_engine::*;
use azroute_testkit::*;
use serde_json::{Value, json};

fn hop_names(s: &Scenario, path: &PathTrace) -> Vec<String> {
    path.hops
        .iter()
        .map(|h| match &h.resource {
            HopResource::Nic(n) => s.snapshot.nics[n.index()].name.clone(),
            HopResource::VirtualHub(h) => s.snapshot.virtual_hubs[h.index()].name.clone(),
            other => format!("{other:?}"),
        })
        .collect()
}

/// RI-1, §20.11: routing intent whose private-traffic next hop is an NVA in the hub: spoke to
/// spoke is Indeterminate, and the finding names the appliance and its hub.
#[test]
fn hub_nva_next_hop_is_indeterminate_with_the_appliance_named() {
    let mut e = Estate::new();
    e.vwan_hub("hub1", "10.100.0.0/24", &["10.100.0.68", "10.100.0.69"], "ExpressRoute");
    for (spoke, space, ip) in [("spoke1", "10.1.0.0/16", "10.1.1.4"), ("spoke2", "10.2.0.0/16", "10.2.1.4")] {
        let subnet = space.replace(".0.0/16", ".1.0/24");
        e.vnet(spoke, "eastus", &[space]).subnet(spoke, "app", &subnet).nic(&format!("{spoke}-vm"), spoke, "app", ip);
        e.hub_connection("hub1", &format!("{spoke}-conn"), spoke, Value::Null, true);
    }
    e.hub_nva("sdwan-ngfw", "hub1", &["10.100.0.180", "10.100.0.181"]);
    e.routing_intent("hub1", &[("PrivateTraffic", id("networkVirtualAppliances", "sdwan-ngfw"))]);
    let s = Scenario::new(&e);
    let t = s.trace("spoke1-vm", "spoke2-vm", 443);
    assert_eq!(t.forward.verdict, Verdict::Indeterminate);
    assert_eq!(hop_names(&s, &t.forward), ["spoke1-vm", "hub1"]);
    let reason = t.forward.findings.iter().find_map(|f| match &f.evidence {
        Evidence::NotModelled(NotModelled { reason: Some(r), .. }) => Some(r.clone()),
        _ => None,
    });
    match reason {
        Some(NotFollowed::HubAppliance { appliance: Some(a), .. }) => assert_eq!(a.last_segment(), "sdwan-ngfw"),
        other => panic!("expected the hub appliance named: {other:?}"),
    }
}

/// Microsoft's design scenario for VW-9: a direct spoke (10.0.0.0/24), an NVA spoke
/// (10.2.0.0/24, NVA 10.2.0.4) whose connection has the static route 10.2.0.0/16 → 10.2.0.4,
/// and an indirect spoke 10.2.1.0/24 peered with the NVA spoke.
fn bypass_estate(criteria: &str) -> Estate {
    let mut e = Estate::new();
    e.vwan_hub("hub1", "10.100.0.0/24", &["10.100.0.68", "10.100.0.69"], "ExpressRoute");
    e.vnet("direct", "eastus", &["10.0.0.0/24"]).subnet("direct", "app", "10.0.0.0/25").nic(
        "direct-vm",
        "direct",
        "app",
        "10.0.0.4",
    );
    e.vnet("nvaspoke", "eastus", &["10.2.0.0/24"]).subnet("nvaspoke", "app", "10.2.0.0/25");
    e.nic_with("nva", "nvaspoke", "app", "10.2.0.4", true).nic("workload", "nvaspoke", "app", "10.2.0.10");
    e.vnet("indirect", "eastus", &["10.2.1.0/24"]).subnet("indirect", "app", "10.2.1.0/25").nic(
        "indirect-vm",
        "indirect",
        "app",
        "10.2.1.4",
    );
    e.peer(
        "nvaspoke",
        "indirect",
        PeerSide { allow_forwarded_traffic: true, ..PeerSide::default() },
        PeerSide { allow_forwarded_traffic: true, ..PeerSide::default() },
    );
    e.hub_connection("hub1", "direct-conn", "direct", Value::Null, false);
    let routing = json!({
        "vnetRoutes": {
            "staticRoutes": [{"name": "via-nva", "addressPrefixes": ["10.2.0.0/16"], "nextHopIpAddress": "10.2.0.4"}],
            "staticRoutesConfig": {"vnetLocalRouteOverrideCriteria": criteria}
        }
    });
    e.hub_connection("hub1", "nva-conn", "nvaspoke", routing, false);
    e
}

/// VW-9 `Contains` (the default): traffic from the direct spoke to the NVA spoke's own
/// workload goes through the NVA; to the indirect spoke, through the NVA too.
#[test]
fn vw9_contains_sends_the_spokes_own_space_to_the_next_hop() {
    let s = Scenario::new(&bypass_estate("Contains"));
    let t = s.trace("direct-vm", "workload", 443);
    assert_eq!(t.forward.verdict, Verdict::Delivered, "{:?}", t.forward.findings);
    assert_eq!(hop_names(&s, &t.forward), ["direct-vm", "hub1", "nva", "workload"]);
    let t = s.trace("direct-vm", "indirect-vm", 443);
    assert_eq!(t.forward.verdict, Verdict::Delivered, "{:?}", t.forward.findings);
    assert_eq!(hop_names(&s, &t.forward), ["direct-vm", "hub1", "nva", "indirect-vm"]);
}

/// VW-9 `Equal` ("Bypass next hop IP" Yes): the NVA spoke's own workload is reached directly,
/// the indirect spoke still through the NVA.
#[test]
fn vw9_equal_bypasses_the_next_hop_for_the_spokes_own_space() {
    let s = Scenario::new(&bypass_estate("Equal"));
    let t = s.trace("direct-vm", "workload", 443);
    assert_eq!(t.forward.verdict, Verdict::Delivered, "{:?}", t.forward.findings);
    assert_eq!(hop_names(&s, &t.forward), ["direct-vm", "hub1", "workload"]);
    let t = s.trace("direct-vm", "indirect-vm", 443);
    assert_eq!(hop_names(&s, &t.forward), ["direct-vm", "hub1", "nva", "indirect-vm"]);
}

/// §20.16, §20.15: a trace from an ExpressRoute circuit's prefix (known from observed hub routes)
/// enters its hub by the ExpressRoute connection and reaches the hub's spoke; another hub's
/// circuit is not advertised to it (Global Reach, in no export, assumed off), so the trace to it
/// stops `Indeterminate`, naming the connection.
#[test]
fn express_route_branch_reaches_spokes_but_not_another_circuit() {
    let mut e = Estate::new();
    let hubs = [
        ("hub1", "10.100.0.0/24", "ergw1", "er1", "10.20.0.0/16"),
        ("hub2", "10.200.0.0/24", "ergw2", "er2", "10.30.0.0/16"),
    ];
    for (hub, prefix, gateway, connection, circuit) in hubs {
        let router = prefix.replace(".0/24", ".68");
        e.vwan_hub(hub, prefix, &[&router], "ExpressRoute");
        e.express_route_gateway(gateway, hub, connection);
        let learned = [(circuit, "ExpressRouteGateway", id("expressRouteGateways", gateway), "12076-12076")];
        e.observed_hub_routes(hub, "defaultRouteTable", &learned);
    }
    e.vnet("spoke1", "eastus", &["10.1.0.0/16"]).subnet("spoke1", "app", "10.1.1.0/24").nic(
        "spoke1-vm",
        "spoke1",
        "app",
        "10.1.1.4",
    );
    e.hub_connection("hub1", "spoke1-conn", "spoke1", Value::Null, true);
    let s = Scenario::new(&e);
    let t = s.trace("10.20.0.5", "spoke1-vm", 443);
    assert_eq!(t.forward.verdict, Verdict::Delivered, "{:?}", t.findings);
    assert_eq!(hop_names(&s, &t.forward), ["OnPremises", "hub1", "spoke1-vm"]);
    assert!(t.reverse.as_ref().is_some_and(|r| r.verdict == Verdict::ExitedToOnPremises), "{:?}", t.reverse);
    let t = s.trace("10.20.0.5", "10.30.0.5", 443);
    assert_eq!(t.forward.verdict, Verdict::Indeterminate, "{:?}", t.forward.hops);
    let reason = t.forward.findings.iter().find_map(|f| match &f.evidence {
        Evidence::NotModelled(NotModelled { reason: Some(r), .. }) => Some(r.clone()),
        _ => None,
    });
    match reason {
        Some(NotFollowed::NotAdvertisedToBranch { connection, .. }) => assert_eq!(connection.last_segment(), "er1"),
        other => panic!("expected the connection named: {other:?}"),
    }
}
