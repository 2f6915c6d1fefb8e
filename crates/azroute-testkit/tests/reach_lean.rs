//! The matrix's lean trace (`reach_tracer`: no assumptions worked out, no NSG check recorded on
//! its hop) against the full tracer: for every cell of the examples, of generated estates
//! (hub-and-spoke and Virtual WAN) and of random estates, the same paths both ways, the same
//! findings and the same pair outcome (reachability, code, devices) — the lean mode drops only
//! what outcomes never show.

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

use azroute_engine::*;
use azroute_ingest::IngestOptions;
use azroute_model::*;
use azroute_testkit::Scenario;
use azroute_testkit::estates::generated;
use azroute_testkit::random::RandomHubSpoke;
use ipnet::IpNet;
use proptest::prelude::*;

/// A usable host address of a subnet (the fifth address: Azure reserves the first four).
fn host(snap: &Snapshot, subnet: SubnetIdx) -> Option<IpAddr> {
    match snap.subnets[subnet.index()].prefixes.first()? {
        IpNet::V4(n) if n.prefix_len() <= 29 => Some(IpAddr::V4(Ipv4Addr::from(u32::from(n.network()) + 4))),
        _ => None,
    }
}

/// A destination address of a matrix column.
fn column_address(snap: &Snapshot, column: &Column) -> Option<IpAddr> {
    match column {
        Column::Subnet(s) => host(snap, *s),
        Column::OnPremises { prefix, .. } => Some(prefix.hosts().next().unwrap_or(prefix.addr())),
        Column::Branch(b) => Some(b.prefix.hosts().next().unwrap_or(b.prefix.addr())),
        Column::Internet(ip) => Some(*ip),
    }
}

/// Every cell of `query`'s matrix traced once with the lean and once with the full tracer;
/// returns how many pairs were compared and how many NSG checks the full traces recorded.
fn check_lean_matches_full(snap: &Snapshot, query: &ReachQuery) -> (usize, usize) {
    let engine = RouteEngine::new(snap, ModelOptions::default());
    let lean = reach_tracer(&engine, query);
    assert!(!lean.assumptions && !lean.nsg_checks, "the matrix traces lean");
    let mut full = reach_tracer(&engine, query);
    full.assumptions = true;
    full.nsg_checks = true;
    let m = reach(&engine, query);
    let (mut compared, mut checks) = (0, 0);
    for &row in &m.rows {
        let Some(src) = host(snap, row) else { continue };
        for column in &m.columns {
            let Some(dst) = column_address(snap, column) else { continue };
            assert_eq!(
                reach_pair(&lean, query, row, src, dst),
                reach_pair(&full, query, row, src, dst),
                "{} → {dst}",
                snap.subnet_label(row)
            );
            let request = TraceRequest {
                source: TraceSource::Host { subnet: row, ip: src },
                destination: dst,
                protocol: query.protocol,
                source_port: query.source_port,
                destination_port: query.destination_port,
            };
            match (lean.trace(request), full.trace(request)) {
                (Ok(l), Ok(f)) => {
                    checks += f.forward.hops.iter().map(|h| h.nsg.len()).sum::<usize>();
                    assert!(
                        l.forward.hops.iter().chain(l.reverse.iter().flat_map(|r| &r.hops)).all(|h| h.nsg.is_empty())
                    );
                    let (forward, reverse) =
                        (without_nsg_checks(&f.forward), f.reverse.as_ref().map(without_nsg_checks));
                    assert_eq!((&l.forward, &l.reverse, &l.findings), (&forward, &reverse, &f.findings));
                    assert_eq!(l.assumptions, Assumptions::default(), "the lean trace works none out");
                }
                (l, f) => assert_eq!(l.is_err(), f.is_err()),
            }
            compared += 1;
        }
    }
    (compared, checks)
}

/// A path as the lean tracer walks it: the same hops without the NSG checks recorded on them.
fn without_nsg_checks(path: &PathTrace) -> PathTrace {
    let mut path = path.clone();
    for hop in &mut path.hops {
        hop.nsg.clear();
    }
    path
}

fn example(name: &str) -> Snapshot {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../azroute-cli/estates").join(name);
    azroute_ingest::load_path(&dir, &IngestOptions::default()).snapshot
}

#[test]
fn lean_matrix_traces_match_full_traces_on_the_examples() {
    // The Virtual WAN example's spokes have no NSG: the others' record checks.
    let mut all_checks = 0;
    for name in ["hub-spoke", "hub-firewall", "troubleshoot", "vwan"] {
        let snap = example(name);
        let mut routing_only = ReachQuery::every_subnet(&snap, 22);
        routing_only.evaluate_nsgs = false;
        let (compared, checks) = check_lean_matches_full(&snap, &ReachQuery::every_subnet(&snap, 443));
        assert!(compared > 0, "{name}: some cells compared");
        all_checks += checks;
        assert!(check_lean_matches_full(&snap, &routing_only).0 > 0, "{name}: some cells compared");
    }
    assert!(all_checks > 100, "the full traces recorded {all_checks} NSG checks");
}

#[test]
fn lean_matrix_traces_match_full_traces_on_generated_estates() {
    let mut all_checks = 0;
    for topology in [azroute_generate::EstateTopology::HubSpoke, azroute_generate::EstateTopology::Vwan] {
        let snap = generated(topology);
        let (compared, checks) = check_lean_matches_full(&snap, &ReachQuery::every_subnet(&snap, 443));
        assert!(compared > 100, "{topology:?}: {compared} cells compared");
        all_checks += checks;
    }
    assert!(all_checks > 100, "the full traces recorded {all_checks} NSG checks");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn lean_matrix_traces_match_full_traces_on_random_estates(p in RandomHubSpoke::strategy(6, true)) {
        let s = Scenario::new(&p.estate());
        check_lean_matches_full(&s.snapshot, &ReachQuery::every_subnet(&s.snapshot, 443));
    }
}
