//! The topology's peering index (`Topology::peering_between`, `Topology::connected_between`),
//! which every trace asks at each peering it crosses, against a scan of each VNet's own
//! peerings: the first peering to a remote VNet in the VNet's order, and whether any peering
//! to it is connected, for every pair of VNets of the examples, generated and random estates.

use std::path::Path;

use azroute_engine::*;
use azroute_ingest::IngestOptions;
use azroute_model::*;
use azroute_testkit::estates::generated;
use azroute_testkit::random::RandomHubSpoke;
use azroute_testkit::{Estate, Scenario};
use proptest::prelude::*;

/// The first peering from `vnet` to `remote`, by scanning `vnet`'s peerings.
fn first_by_scan(snap: &Snapshot, topo: &Topology, vnet: VnetIdx, remote: VnetIdx) -> Option<PeeringIdx> {
    snap.vnets[vnet.index()].peerings.iter().copied().find(|p| topo.peerings[p.index()].remote_vnet == Some(remote))
}

/// Whether `vnet` has a connected peering to `remote`, by scanning.
fn connected_by_scan(snap: &Snapshot, topo: &Topology, vnet: VnetIdx, remote: VnetIdx) -> bool {
    topo.connected_peerings(snap, vnet).any(|p| topo.peerings[p.index()].remote_vnet == Some(remote))
}

/// Every ordered pair of VNets asked of the index and of the scan; returns how many pairs
/// have a peering.
fn check_index_matches_scan(snap: &Snapshot) -> usize {
    let engine = RouteEngine::new(snap, ModelOptions::default());
    let topo = engine.topology();
    let mut peered = 0;
    for v in 0..snap.vnets.len() {
        for r in 0..snap.vnets.len() {
            let (v, r) = (VnetIdx(v as u32), VnetIdx(r as u32));
            let first = first_by_scan(snap, topo, v, r);
            assert_eq!(topo.peering_between(snap, v, r), first, "{v:?} → {r:?}");
            assert_eq!(topo.connected_between(v, r), connected_by_scan(snap, topo, v, r), "{v:?} → {r:?}");
            peered += usize::from(first.is_some());
        }
    }
    peered
}

#[test]
fn peering_index_matches_the_scan_on_the_examples_and_generated_estates() {
    for name in ["hub-spoke", "hub-firewall", "troubleshoot", "vwan", "avnm", "route-server", "firewall-mistakes"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../azroute-cli/estates").join(name);
        let snap = azroute_ingest::load_path(&dir, &IngestOptions::default()).snapshot;
        check_index_matches_scan(&snap);
    }
    // A Virtual WAN estate's spokes connect to hubs, not to VNets: none is peered.
    check_index_matches_scan(&generated(azroute_generate::EstateTopology::Vwan));
    let peered = check_index_matches_scan(&generated(azroute_generate::EstateTopology::HubSpoke));
    assert!(peered > 4, "{peered} peered pairs");
}

/// Two peerings from one VNet to the same remote, the first not connected: the index names
/// the first (as the scan does) and still says the pair is connected (by the second).
#[test]
fn peering_index_keeps_the_first_peering_and_any_connected_one() {
    let mut estate = Estate::new();
    estate.vnet("a", "eastus", &["10.1.0.0/16"]).vnet("b", "eastus", &["10.2.0.0/16"]).peer_simple("a", "b");
    let mut snap = Scenario::new(&estate).snapshot;
    let a = VnetIdx(snap.vnets.iter().position(|v| v.name == "a").expect("vnet a") as u32);
    let b = VnetIdx(snap.vnets.iter().position(|v| v.name == "b").expect("vnet b") as u32);
    let connected = snap.vnets[a.index()].peerings[0];
    let mut disconnected = snap.peerings[connected.index()].clone();
    disconnected.state = PeeringState::Disconnected;
    let first = PeeringIdx(snap.peerings.len() as u32);
    snap.peerings.push(disconnected);
    snap.vnets[a.index()].peerings.insert(0, first);

    let engine = RouteEngine::new(&snap, ModelOptions::default());
    let topo = engine.topology();
    assert!(!topo.peerings[first.index()].connected && topo.peerings[connected.index()].connected);
    assert_eq!(topo.peering_between(&snap, a, b), Some(first));
    assert!(topo.connected_between(a, b));
    assert_eq!(topo.peering_between(&snap, b, a).map(|p| snap.peerings[p.index()].vnet), Some(b));
    assert_eq!(check_index_matches_scan(&snap), 2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn peering_index_matches_the_scan_on_random_estates(p in RandomHubSpoke::strategy(6, true)) {
        let s = Scenario::new(&p.estate());
        check_index_matches_scan(&s.snapshot);
    }
}
