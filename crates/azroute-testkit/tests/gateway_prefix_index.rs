//! The topology's gateway prefix index (`Topology::gateway_prefixes_holding`), which a trace asks
//! for every packet it cannot deliver and for every on-premises address, against a scan of each
//! gateway's prefixes: per gateway, the first prefix in its order that holds the address, on
//! every prefix's edges and just beyond them, for the examples and generated estates.

use std::net::IpAddr;
use std::path::Path;

use azroute_engine::*;
use azroute_ingest::IngestOptions;
use azroute_model::*;
use azroute_testkit::estates::generated;
use ipnet::IpNet;

/// Each gateway holding `ip`, with the first of its prefixes that does, by scanning.
fn by_scan(topo: &Topology, ip: IpAddr) -> Vec<(GatewayIdx, IpNet)> {
    topo.gateway_prefixes
        .iter()
        .enumerate()
        .filter_map(|(g, prefixes)| {
            prefixes.iter().find(|gp| gp.prefix.contains(&ip)).map(|gp| (GatewayIdx(g as u32), gp.prefix))
        })
        .collect()
}

/// The addresses on and just beyond a prefix's edges.
fn edges(prefix: &IpNet) -> Vec<IpAddr> {
    match prefix {
        IpNet::V4(n) => {
            let (lo, hi) = (u32::from(n.network()), u32::from(n.broadcast()));
            [lo.checked_sub(1), Some(lo), Some(lo + (hi - lo) / 2), Some(hi), hi.checked_add(1)]
                .into_iter()
                .flatten()
                .map(|a| IpAddr::from(std::net::Ipv4Addr::from(a)))
                .collect()
        }
        IpNet::V6(n) => {
            let (lo, hi) = (u128::from(n.network()), u128::from(n.broadcast()));
            [lo.checked_sub(1), Some(lo), Some(hi), hi.checked_add(1)]
                .into_iter()
                .flatten()
                .map(|a| IpAddr::from(std::net::Ipv6Addr::from(a)))
                .collect()
        }
    }
}

/// Every edge address of every gateway prefix asked of the index and of the scan; returns how
/// many addresses some gateway holds in more than one of its prefixes (nested prefixes, where
/// the first in order must win).
fn check_index_matches_scan(snap: &Snapshot) -> usize {
    let engine = RouteEngine::new(snap, ModelOptions::default());
    let topo = engine.topology();
    let mut nested = 0;
    for gp in topo.gateway_prefixes.iter().flatten() {
        for ip in edges(&gp.prefix) {
            let index: Vec<(GatewayIdx, IpNet)> =
                topo.gateway_prefixes_holding(ip).map(|(g, gp)| (g, gp.prefix)).collect();
            assert_eq!(index, by_scan(topo, ip), "{ip}");
            nested += topo
                .gateway_prefixes
                .iter()
                .filter(|prefixes| prefixes.iter().filter(|gp| gp.prefix.contains(&ip)).count() > 1)
                .count();
        }
    }
    nested
}

#[test]
fn gateway_prefix_index_matches_the_scan_on_the_examples_and_a_generated_estate() {
    for name in ["hub-spoke", "hub-firewall", "troubleshoot", "vwan", "avnm", "route-server", "firewall-mistakes"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../azroute-cli/estates").join(name);
        let snap = azroute_ingest::load_path(&dir, &IngestOptions::default()).snapshot;
        check_index_matches_scan(&snap);
    }
    // The generated hub gateways learn an on-premises /16 and /24s inside it, in that order.
    let nested = check_index_matches_scan(&generated(azroute_generate::EstateTopology::HubSpoke));
    assert!(nested > 0, "no address held by nested prefixes of one gateway");
}
