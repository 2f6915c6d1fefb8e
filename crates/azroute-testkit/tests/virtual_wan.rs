//! A spoke connected to a Virtual WAN hub (§19.4): its table keeps the hub prefix as a peering
//! route and says that the routes the hub programs are missing, naming the hub when the snapshot
//! holds it; a plain peering says nothing of the kind.

use azroute_testkit::*;

#[test]
fn virtual_wan_spoke_says_hub_routes_are_missing() {
    let mut e = Estate::new();
    e.vnet("spoke", "eastus", &["10.1.0.0/16"])
        .subnet("spoke", "app", "10.1.1.0/24")
        .nic("vm", "spoke", "app", "10.1.1.4");
    e.virtual_wan_hub("hub1", "10.100.0.0/24").connect_to_virtual_wan_hub("spoke", "hub1", "10.100.0.0/24");
    let s = Scenario::new(&e);
    assert!(s.route_strings("vm").contains(&"Default Active 10.100.0.0/24 VNetPeering".to_string()));
    let notes = s.notes("vm");
    assert!(
        notes.iter().any(|n| n.contains("Virtual WAN hub `hub1`")
            && n.contains("RemoteVnetToHubPeering_")
            && n.contains("missing")),
        "{notes:?}"
    );

    let mut plain = Estate::new();
    plain.vnet("a", "eastus", &["10.1.0.0/16"]).subnet("a", "app", "10.1.1.0/24").nic("vm", "a", "app", "10.1.1.4");
    plain.vnet("b", "eastus", &["10.2.0.0/16"]).peer_simple("a", "b");
    assert!(!Scenario::new(&plain).notes("vm").iter().any(|n| n.contains("Virtual WAN")));
}
