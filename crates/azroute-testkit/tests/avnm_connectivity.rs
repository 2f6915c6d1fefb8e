//! Azure Virtual Network Manager connected groups (§18.2) through real ingest in all three
//! dialects: T27 (hub-and-spoke with direct connectivity), mesh rendering as one entry (AV-C4),
//! regional versus global mesh (AV-C1), overlapping members (AV-C5, C25) and traces across a
//! connected group.

use azroute_engine::Verdict;
use azroute_model::*;
use azroute_testkit::{Estate, Scenario};

fn spokes_with_direct_connectivity() -> Estate {
    let mut e = Estate::new();
    e.vnet("hub", "westus", &["10.3.0.0/16"]).subnet("hub", "s", "10.3.0.0/24");
    e.vnet("spoke1", "eastus", &["10.4.0.0/16"])
        .subnet("spoke1", "s", "10.4.0.0/24")
        .nic("nic1", "spoke1", "s", "10.4.0.4");
    e.vnet("spoke2", "eastus", &["10.5.0.0/16"])
        .subnet("spoke2", "s", "10.5.0.0/24")
        .nic("nic2", "spoke2", "s", "10.5.0.4");
    // AV-C2: the hub-and-spoke peerings are real `virtualNetworkPeerings` objects.
    e.peer_simple("hub", "spoke1").peer_simple("hub", "spoke2");
    e.network_group("spokes", &["spoke1", "spoke2"]);
    e.connectivity("hs", "HubAndSpoke", Some("hub"), &[("spokes", true, false)], false);
    e
}

/// T27 – Virtual Network Manager connected group: hub↔spoke stays peering, spoke↔spoke is
/// `ConnectedGroup` (AV-C3).
#[test]
fn t27_direct_connectivity_gives_spokes_connected_group_routes() {
    let s = Scenario::new(&spokes_with_direct_connectivity());
    let routes = s.route_strings("nic1");
    assert!(routes.contains(&"Default Active 10.3.0.0/16 VNetGlobalPeering".to_string()), "{routes:?}");
    assert!(routes.contains(&"Default Active 10.5.0.0/16 ConnectedGroup".to_string()), "{routes:?}");
    assert_eq!(s.next_hop("nic1", "10.5.0.4").0, "ConnectedGroup");
    let trace = s.trace("nic1", "10.5.0.4", 443);
    assert_eq!(trace.forward.verdict, Verdict::Delivered, "{trace:?}");
}

#[test]
fn without_direct_connectivity_spokes_have_no_route_to_each_other() {
    let mut plain = Estate::new();
    plain.vnet("a", "eastus", &["10.4.0.0/16"]).subnet("a", "s", "10.4.0.0/24").nic("nic1", "a", "s", "10.4.0.4");
    plain.vnet("b", "eastus", &["10.5.0.0/16"]).subnet("b", "s", "10.5.0.0/24");
    plain.network_group("spokes", &["a", "b"]);
    plain.connectivity("hs", "HubAndSpoke", None, &[("spokes", false, false)], false);
    let s = Scenario::new(&plain);
    assert!(!s.route_strings("nic1").iter().any(|r| r.contains("ConnectedGroup")));
    assert_eq!(s.next_hop("nic1", "10.5.0.4").0, "None", "10/8 reserved None route");
}

fn mesh(locations: [&str; 3], global: bool) -> Estate {
    let mut e = Estate::new();
    for (i, (name, loc)) in ["m1", "m2", "m3"].iter().zip(locations).enumerate() {
        let space = format!("10.1{}.0.0/16", i + 1);
        let subnet = format!("10.1{}.0.0/24", i + 1);
        let ip = format!("10.1{}.0.4", i + 1);
        e.vnet(name, loc, &[&space]).subnet(name, "s", &subnet).nic(&format!("nic-{name}"), name, "s", &ip);
    }
    e.network_group("mesh", &["m1", "m2", "m3"]);
    e.connectivity("mesh", "Mesh", None, &[("mesh", false, false)], global);
    e
}

/// AV-C4: one `ConnectedGroup` entry listing every other member's prefixes.
#[test]
fn mesh_member_gets_one_entry_listing_every_other_member() {
    let s = Scenario::new(&mesh(["eastus"; 3], false));
    let routes = s.route_strings("nic-m1");
    assert!(routes.contains(&"Default Active 10.12.0.0/16 10.13.0.0/16 ConnectedGroup".to_string()), "{routes:?}");
    assert_eq!(routes.iter().filter(|r| r.contains("ConnectedGroup")).count(), 1);
    assert_eq!(s.trace("nic-m3", "10.11.0.4", 22).forward.verdict, Verdict::Delivered);
}

/// AV-C1: a mesh is regional unless global.
#[test]
fn regional_mesh_leaves_out_other_regions_and_global_mesh_joins_them() {
    let regional = Scenario::new(&mesh(["eastus", "eastus", "westeurope"], false));
    let routes = regional.route_strings("nic-m1");
    assert!(routes.contains(&"Default Active 10.12.0.0/16 ConnectedGroup".to_string()), "{routes:?}");
    assert!(!regional.route_strings("nic-m3").iter().any(|r| r.contains("ConnectedGroup")));
    let global = Scenario::new(&mesh(["eastus", "eastus", "westeurope"], true));
    assert!(
        global.route_strings("nic-m3").contains(&"Default Active 10.11.0.0/16 10.12.0.0/16 ConnectedGroup".to_string())
    );
}

/// AV-C5 [inferred, C25]: prefixes that overlap another member are left out; `keep-all` keeps
/// them.
#[test]
fn overlapping_members_are_left_out_of_the_connected_group_route() {
    let mut e = mesh(["eastus"; 3], false);
    e.vnet("m4", "eastus", &["10.12.0.0/16"]).subnet("m4", "s", "10.12.0.0/24");
    e.network_group("mesh2", &["m1", "m2", "m4"]);
    e.connectivity("mesh2", "Mesh", None, &[("mesh2", false, false)], false);
    let s = Scenario::new(&e);
    let routes = s.route_strings("nic-m1");
    let mesh2: Vec<&String> = routes.iter().filter(|r| r.contains("ConnectedGroup")).collect();
    // mesh: m2 and m3; mesh2: m2 and m4 both 10.12/16 — dropped there.
    assert!(mesh2.contains(&&"Default Active 10.12.0.0/16 10.13.0.0/16 ConnectedGroup".to_string()), "{routes:?}");
    assert_eq!(mesh2.len(), 1, "{routes:?}");
    let keep = ModelOptions { connected_group_overlap: ConnectedGroupOverlap::KeepAll, ..ModelOptions::default() };
    let s = Scenario::with_options(&e, keep);
    assert_eq!(s.route_strings("nic-m1").iter().filter(|r| r.contains("ConnectedGroup")).count(), 2);
}

/// §18.4 AV-R1/AV-R3: a routing configuration's rules are `User` routes of every subnet of the
/// group's VNets, computed from the configuration; `NoNextHop` is `None`.
#[test]
fn routing_configuration_writes_user_routes() {
    let mut e = mesh(["eastus"; 3], false);
    e.routing_rules(
        "rc-egress",
        "spokes",
        &["mesh"],
        false,
        &[
            ("default-to-fw", "0.0.0.0/0", "VirtualAppliance", Some("10.13.0.4")),
            ("blackhole", "10.200.0.0/16", "NoNextHop", None),
        ],
    );
    let s = Scenario::new(&e);
    let routes = s.route_strings("nic-m1");
    assert!(
        routes.contains(&"User Active 0.0.0.0/0 VirtualAppliance 10.13.0.4 default-to-fw".to_string()),
        "{routes:?}"
    );
    assert!(routes.contains(&"User Active 10.200.0.0/16 None blackhole".to_string()), "{routes:?}");
    assert!(routes.contains(&"Default Invalid 0.0.0.0/0 Internet".to_string()), "{routes:?}");
    // The appliance sits in m3, reached over the connected group.
    assert_eq!(s.next_hop("nic-m2", "8.8.8.8"), ("VirtualAppliance".into(), "10.13.0.4".into(), "System Route".into()));
}

/// AV-R2: a rule whose destination the subnet's own table has is ignored; of two rules with one
/// destination, one is applied.
/// §18.10: a routing rule collection targeting a network group of subnets writes its routes into
/// the member subnets only, not into the other subnets of their VNet (routing configurations
/// describe routes "for the subnets or virtual networks in the target network group").
#[test]
fn routing_configuration_on_a_subnet_group_reaches_only_its_subnets() {
    let mut e = mesh(["eastus"; 3], false);
    e.subnet("m1", "s2", "10.11.1.0/24").nic("nic-m1b", "m1", "s2", "10.11.1.4");
    e.subnet_group("app-subnets", &[("m1", "s")]);
    e.routing_rules(
        "rc",
        "apps",
        &["app-subnets"],
        true,
        &[("to-fw", "0.0.0.0/0", "VirtualAppliance", Some("10.13.0.4"))],
    );
    let s = Scenario::new(&e);
    let user = |nic: &str| s.route_strings(nic).into_iter().filter(|r| r.starts_with("User")).collect::<Vec<_>>();
    assert_eq!(user("nic-m1"), ["User Active 0.0.0.0/0 VirtualAppliance 10.13.0.4 to-fw"]);
    assert!(user("nic-m1b").is_empty(), "the other subnet of the VNet: {:?}", user("nic-m1b"));
    assert!(user("nic-m2").is_empty());
}

/// AV-C7 (§18.8): two members of a connected group that also have a subnet peering: "subnet
/// peering takes preference and the connectivity between nonpeered subnets gets dropped". The
/// connected-group route covers the whole remote VNet, but a packet for a subnet the peering
/// does not list is dropped; one for a listed subnet is delivered.
#[test]
fn subnet_peering_takes_precedence_over_a_connected_group() {
    let estate = |subnet_peering: bool| {
        let mut e = Estate::new();
        e.vnet("left", "eastus", &["10.0.0.0/16"])
            .subnet("left", "s0", "10.0.0.0/24")
            .nic("left0", "left", "s0", "10.0.0.4");
        e.vnet("right", "eastus", &["10.1.0.0/16"])
            .subnet("right", "s0", "10.1.0.0/24")
            .subnet("right", "s1", "10.1.1.0/24")
            .nic("right0", "right", "s0", "10.1.0.4")
            .nic("right1", "right", "s1", "10.1.1.4");
        e.network_group("g", &["left", "right"]);
        e.connectivity("mesh", "Mesh", None, &[("g", false, false)], false);
        if subnet_peering {
            e.subnet_peer("left", "right", &["s0"], &["s0"]);
        }
        Scenario::new(&e)
    };
    let s = estate(true);
    assert!(s.route_strings("left0").iter().any(|r| r.contains("ConnectedGroup")), "{:?}", s.route_strings("left0"));
    assert_eq!(s.trace("left0", "10.1.0.4", 443).forward.verdict, Verdict::Delivered);
    let refused = s.trace("left0", "10.1.1.4", 443);
    assert_eq!(refused.forward.verdict, Verdict::Dropped, "{refused:?}");
    let codes: Vec<&str> = refused.findings.iter().map(|f| f.code.as_str()).collect();
    assert!(codes.contains(&"SubnetPeeringNonPeeredDestination"), "{codes:?}");
    // Without the subnet peering the connected group reaches the whole VNet.
    assert_eq!(estate(false).trace("left0", "10.1.1.4", 443).forward.verdict, Verdict::Delivered);
}

#[test]
fn routing_rule_conflicts_follow_the_documented_rules() {
    let mut e = mesh(["eastus"; 3], false);
    e.route_table("rt", &[("own-default", "0.0.0.0/0", "VirtualAppliance", Some("10.11.0.9"))])
        .associate("m1", "s", "rt");
    e.routing_rules(
        "rc",
        "c",
        &["mesh"],
        false,
        &[
            ("a-default", "0.0.0.0/0", "Internet", None),
            ("b-onprem", "192.168.0.0/16", "VirtualAppliance", Some("10.99.0.4")),
            ("c-onprem", "192.168.0.0/16", "NoNextHop", None),
        ],
    );
    let s = Scenario::new(&e);
    let routes = s.route_strings("nic-m1");
    assert!(!routes.iter().any(|r| r.contains("a-default")), "{routes:?}");
    assert_eq!(
        routes.iter().filter(|r| r.contains("192.168.0.0/16") && r.starts_with("User")).count(),
        1,
        "{routes:?}"
    );
    // m2 has no table of its own: the AVNM default route applies there.
    assert!(s.route_strings("nic-m2").contains(&"User Active 0.0.0.0/0 Internet a-default".to_string()));
}

/// AV-C2 (§18.7): without exported `ANM_…` peerings (Terraform, or an export taken before
/// deployment) the hub-and-spoke configuration's peerings are added, both ways, with gateway
/// transit when the group uses the hub gateway; exported peerings are not duplicated.
#[test]
fn hub_and_spoke_peerings_are_added_when_the_export_lacks_them() {
    let mut e = spokes_with_direct_connectivity();
    e.vnet("spoke3", "eastus", &["10.6.0.0/16"])
        .subnet("spoke3", "s", "10.6.0.0/24")
        .nic("nic3", "spoke3", "s", "10.6.0.4");
    e.nic("nic-hub", "hub", "s", "10.3.0.4");
    e.network_group("more", &["spoke3"]);
    e.connectivity("hs2", "HubAndSpoke", Some("hub"), &[("more", false, false)], false);
    let s = Scenario::new(&e);
    assert!(s.route_strings("nic3").contains(&"Default Active 10.3.0.0/16 VNetGlobalPeering".to_string()));
    let added: Vec<&Peering> = s.snapshot.peerings.iter().filter(|p| p.name.starts_with("ANM_")).collect();
    let names: Vec<&str> = added.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["ANM_hs2_spoke3_hub", "ANM_hs2_hub_spoke3"], "exported hub–spoke1/2 peerings are kept");
    // Forwarded traffic allowed (C32), and known as added from the configuration.
    assert!(added.iter().all(|p| p.state == PeeringState::Connected && p.allow_forwarded_traffic));
    assert!(added.iter().all(|p| s.snapshot.avnm.created_peering_source(p).is_some_and(|c| c.name == "hs2")));
    assert!(
        !s.snapshot.peerings.iter().filter(|p| !p.name.starts_with("ANM_")).any(|p| s
            .snapshot
            .avnm
            .created_peering_source(p)
            .is_some())
    );
    let trace = s.trace("nic3", "10.3.0.4", 443);
    assert_eq!(trace.forward.verdict, Verdict::Delivered, "{trace:?}");
}
