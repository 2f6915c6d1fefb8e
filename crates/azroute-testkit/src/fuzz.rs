//! What the fuzz targets (`fuzz/`) and the fuzz regression test run over one input file: ingest,
//! then, for an input without errors, routes, next hops, NSG verdicts and traces, with the
//! invariants that must hold for any input.
//!
//! Kept here, not in the fuzz crate, so the regression test (`tests/fuzz_regressions.rs`) runs
//! exactly what the fuzzers ran when they found an input.

use std::net::{IpAddr, Ipv4Addr};

use azroute_engine::{Flow, RouteEngine, SecurityEngine, TraceRequest, TraceSource, Tracer, explain, next_hop};
use azroute_ingest::{Diagnostic, Loaded, Severity, load_bytes, parse_observed};
use azroute_model::*;
use ipnet::IpNet;

/// Bounds on the work done per input, so the fuzzers spend their time on many inputs rather
/// than on one large estate.
const MAX_TABLES: usize = 8;
const MAX_PROBES_PER_TABLE: usize = 16;
const MAX_NICS: usize = 4;
const MAX_FLOWS_PER_NIC: usize = 24;
const MAX_TRACES: usize = 8;

/// Loads one file's bytes the way the fuzz targets do and checks what ingest promises: every
/// diagnostic says something. Returns the load for [`exercise`].
pub fn load(bytes: &[u8]) -> Loaded {
    let loaded = load_bytes("fuzz.json", bytes);
    for d in &loaded.diagnostics {
        explained(d);
    }
    // The same bytes as `verify`'s input: Azure's effective routes for one NIC.
    if let Ok(text) = std::str::from_utf8(bytes)
        && let Err(d) = parse_observed("fuzz.json", "fuzz", text)
    {
        explained(&d);
    }
    loaded
}

/// A diagnostic says what is wrong, and prints (the CLI's output) without panicking.
fn explained(d: &Diagnostic) {
    assert!(!d.message.trim().is_empty(), "a diagnostic without a message: {d:?}");
    let _ = d.to_string();
}

/// Runs the engine over a load without errors (commands refuse the others): every subnet's
/// table, next hops explained and compiled (which must agree), NSG verdicts for flows drawn from
/// the rules, and a few traces.
pub fn exercise(loaded: &Loaded) {
    if loaded.diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return;
    }
    let snap = &loaded.snapshot;
    let options = ModelOptions::default();
    let engine = RouteEngine::new(snap, options.clone());
    let tables = engine.all_subnet_tables();
    for table in tables.iter().filter_map(|t| t.as_ref().ok()).take(MAX_TABLES) {
        for dst in probes(table.routes.iter().flat_map(|r| r.prefixes.iter().copied())).take(MAX_PROBES_PER_TABLE) {
            let compiled = table.fib.lookup(dst).map(|e| (e.route as usize, e.prefix));
            let explained = explain(&options, table, dst).selected;
            assert_eq!(compiled, explained, "compiled and explained lookups disagree for {dst}");
            let _ = next_hop(snap, table, dst);
        }
    }

    let security = SecurityEngine::new(&engine);
    let nics: Vec<NicIdx> = (0..snap.nics.len().min(MAX_NICS)).map(|i| NicIdx(i as u32)).collect();
    for &nic in &nics {
        let own = snap.nics[nic.index()].primary_ip_config().and_then(|c| c.private_ip);
        for flow in flows(snap, own).take(MAX_FLOWS_PER_NIC) {
            if let Ok(decision) = security.evaluate(nic, &flow) {
                assert_eq!(decision.evaluations.is_empty(), decision.decided_by.is_none());
            }
        }
        if let Ok(subnet) = engine.nic_subnet(nic) {
            // What `list-effective-nsg` shows: each level's rules with their tags expanded.
            for direction in [Direction::Inbound, Direction::Outbound] {
                for level in security.levels_at(subnet, Some(nic), direction) {
                    for rule in level.rules.iter() {
                        for pattern in rule.sources.iter().chain(&rule.destinations) {
                            if let AddressPattern::Tag(tag) = pattern {
                                let _ = security.expand_tag(tag, subnet);
                            }
                        }
                    }
                }
            }
        }
    }

    let tracer = Tracer::new(&engine);
    let mut traced = 0;
    'nics: for &nic in &nics {
        let Some(ip) = snap.nics[nic.index()].primary_ip_config().and_then(|c| c.private_ip) else { continue };
        let others = snap.nics.iter().filter_map(|n| n.primary_ip_config().and_then(|c| c.private_ip));
        let outside = [IpAddr::V4(Ipv4Addr::new(8, 8, 8, 8)), IpAddr::V4(Ipv4Addr::new(192, 168, 0, 1))];
        for destination in others.chain(outside) {
            if traced == MAX_TRACES {
                break 'nics;
            }
            traced += 1;
            let _ = tracer.trace(TraceRequest {
                source: TraceSource::Nic { nic, ip },
                destination,
                protocol: Protocol::Tcp,
                source_port: 50000,
                destination_port: 443,
            });
        }
    }
}

/// Addresses worth asking about for a set of prefixes: the first and last address of each.
fn probes(prefixes: impl Iterator<Item = IpNet>) -> impl Iterator<Item = IpAddr> {
    prefixes.flat_map(|p| [p.network(), p.broadcast()])
}

/// Flows that reach the interesting corners of the snapshot's NSG rules: each rule's first
/// prefix address and first and last port, in both directions, for its protocol, to and from
/// the NIC's own address.
fn flows(snap: &Snapshot, own: Option<IpAddr>) -> impl Iterator<Item = Flow> + '_ {
    let own = own.unwrap_or(IpAddr::V4(Ipv4Addr::new(10, 0, 1, 4)));
    snap.nsgs.iter().flat_map(|n| n.rules.iter()).flat_map(move |rule| {
        let remote = rule
            .sources
            .iter()
            .chain(&rule.destinations)
            .find_map(|p| match p {
                AddressPattern::Prefix(net) => Some(net.network()),
                _ => None,
            })
            .unwrap_or(IpAddr::V4(Ipv4Addr::new(203, 0, 113, 7)));
        let protocol = match rule.protocol {
            RuleProtocol::Any => Protocol::Tcp,
            RuleProtocol::Only(protocol) => protocol,
        };
        let ports = rule.destination_ports.first().copied().unwrap_or(PortRange::ALL);
        [(Direction::Inbound, ports.lo), (Direction::Outbound, ports.hi)].into_iter().map(move |(direction, port)| {
            let (source, destination) = match direction {
                Direction::Inbound => (remote, own),
                Direction::Outbound => (own, remote),
            };
            Flow { direction, protocol, source, source_port: Some(port), destination, destination_port: Some(port) }
        })
    })
}
