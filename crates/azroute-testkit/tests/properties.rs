//! Property tests over random estates: the compiled lookup, the explained lookup and a naive
//! scan agree; states follow the identical-prefix rule; answers do not depend on the order of
//! input files or resources.

use std::net::{IpAddr, Ipv4Addr};

use azroute_engine::*;
use azroute_model::*;
use azroute_testkit::*;
use ipnet::IpNet;
use proptest::prelude::*;

const HOPS: [&str; 5] = ["VirtualAppliance", "None", "Internet", "VnetLocal", "VirtualNetworkGateway"];

#[derive(Clone, Debug)]
struct Params {
    user_routes: Vec<(u32, u8, usize)>,
    bgp_routes: Vec<(u32, u8)>,
    peered: bool,
    service_endpoint: bool,
    propagation_disabled: bool,
    probes: Vec<u32>,
}

/// Addresses clustered in 10.0.0.0/14 and 52.239.0.0/16 so routes overlap VNet, peering,
/// gateway and service-tag space often.
fn addr() -> impl Strategy<Value = u32> {
    prop_oneof![
        (0u32..(1 << 18)).prop_map(|x| u32::from(Ipv4Addr::new(10, 0, 0, 0)) + x),
        (0u32..(1 << 16)).prop_map(|x| u32::from(Ipv4Addr::new(52, 239, 0, 0)) + x),
        any::<u32>(),
    ]
}

fn params() -> impl Strategy<Value = Params> {
    (
        proptest::collection::vec((addr(), 0u8..=32, 0usize..HOPS.len()), 0..12),
        proptest::collection::vec((addr(), 0u8..=32), 0..8),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec(addr(), 1..40),
    )
        .prop_map(|(user_routes, bgp_routes, peered, service_endpoint, propagation_disabled, probes)| Params {
            user_routes,
            bgp_routes,
            peered,
            service_endpoint,
            propagation_disabled,
            probes,
        })
}

fn prefix(addr: u32, len: u8) -> String {
    let net = ipnet::Ipv4Net::new(Ipv4Addr::from(addr), len).expect("len <= 32").trunc();
    net.to_string()
}

fn estate(p: &Params) -> Estate {
    let mut e = Estate::new();
    e.vnet("hub", "eastus", &["10.0.0.0/16"])
        .subnet("hub", "GatewaySubnet", "10.0.0.0/27")
        .subnet("hub", "s", "10.0.1.0/24")
        .nic("nic", "hub", "s", "10.0.1.4")
        .gateway("gw", "hub", "Vpn", &["10.0.0.4"])
        .service_tags(&[("Storage", "", &["52.239.128.0/17"]), ("Storage.EastUS", "eastus", &["52.239.152.0/22"])]);
    if p.service_endpoint {
        e.service_endpoint("hub", "s", "Microsoft.Storage", &["eastus"]);
    }
    if p.peered {
        e.vnet("peer", "eastus", &["10.1.0.0/16"]).subnet("peer", "s", "10.1.1.0/24");
        e.peer_simple("hub", "peer");
    }
    let bgp: Vec<(String, &str, &str)> =
        p.bgp_routes.iter().map(|(a, l)| (prefix(*a, *l), "EBgp", "172.16.0.1")).collect();
    let bgp_refs: Vec<(&str, &str, &str)> = bgp.iter().map(|(n, o, h)| (n.as_str(), *o, *h)).collect();
    e.learned("gw", &bgp_refs);
    let routes: Vec<(String, String, &str, Option<&str>)> = p
        .user_routes
        .iter()
        .enumerate()
        .map(|(i, (a, l, h))| {
            let hop = HOPS[*h];
            (format!("r{i}"), prefix(*a, *l), hop, (hop == "VirtualAppliance").then_some("10.0.1.10"))
        })
        .collect();
    let route_refs: Vec<(&str, &str, &str, Option<&str>)> =
        routes.iter().map(|(n, pfx, h, ip)| (n.as_str(), pfx.as_str(), *h, *ip)).collect();
    e.route_table_with("rt", &route_refs, p.propagation_disabled).associate("hub", "s", "rt");
    e
}

/// The naive reference, written from §4.1/§4.2 without the engine's selection code.
fn naive(table: &EffectiveRouteTable, dst: IpAddr, strict_se: bool) -> Option<(usize, IpNet)> {
    let covers =
        |outer: &IpNet, inner: &IpNet| outer.contains(&inner.network()) && outer.prefix_len() <= inner.prefix_len();
    let mut best: Option<(usize, IpNet)> = None;
    for (i, r) in table.routes.iter().enumerate() {
        if r.state != RouteState::Active {
            continue;
        }
        'prefixes: for p in r.prefixes.iter().filter(|p| p.contains(&dst)) {
            for q in table.routes.iter().filter(|q| q.state == RouteState::Active && q.source == RouteSource::Default) {
                for qp in &q.prefixes {
                    let se = q.next_hop_type == NextHopType::VirtualNetworkServiceEndpoint;
                    let system = matches!(
                        q.next_hop_type,
                        NextHopType::VnetLocal | NextHopType::VNetPeering | NextHopType::VNetGlobalPeering
                    );
                    if r.source != RouteSource::Default && se && (if strict_se { qp == p } else { covers(qp, p) }) {
                        continue 'prefixes;
                    }
                    if r.source == RouteSource::VirtualNetworkGateway && system && covers(qp, p) && qp != p {
                        continue 'prefixes;
                    }
                }
            }
            let better = match best {
                None => true,
                Some((bi, bp)) => {
                    p.prefix_len() > bp.prefix_len()
                        || (p.prefix_len() == bp.prefix_len()
                            && r.source.priority() > table.routes[bi].source.priority())
                }
            };
            if better {
                best = Some((i, *p));
            }
        }
    }
    best
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Compiled lookup == explained lookup == naive scan, on random estates.
    #[test]
    fn lookups_agree(p in params(), strict_se in any::<bool>()) {
        let e = estate(&p);
        let snapshot = e.load(Dialect::AzCli);
        let options = ModelOptions { se_routes_lpm_strict: strict_se, ..ModelOptions::default() };
        let engine = RouteEngine::new(&snapshot, options.clone());
        let nic = snapshot.find_nic("nic").unwrap();
        let (_, table) = engine.nic_table(nic).unwrap();
        for probe in &p.probes {
            let dst = IpAddr::V4(Ipv4Addr::from(*probe));
            let compiled = table.fib.lookup(dst).map(|e| (e.route as usize, e.prefix));
            let explained = explain(&options, &table, dst).selected;
            let reference = naive(&table, dst, strict_se);
            prop_assert_eq!(compiled, explained, "compiled vs explained for {}", dst);
            prop_assert_eq!(compiled.map(|c| c.1), reference.map(|r| r.1), "compiled vs naive prefix for {}", dst);
            prop_assert_eq!(
                compiled.map(|c| table.routes[c.0].source),
                reference.map(|r| table.routes[r.0].source),
                "compiled vs naive source for {}", dst
            );
        }
    }

    /// For every prefix, the Active routes are the highest-priority source (service-endpoint
    /// routes excepted); every Invalid route names a winner with the identical prefix.
    #[test]
    fn states_follow_the_identical_prefix_rule(p in params()) {
        let e = estate(&p);
        let snapshot = e.load(Dialect::Rest);
        let engine = RouteEngine::new(&snapshot, ModelOptions::default());
        let (_, table) = engine.nic_table(snapshot.find_nic("nic").unwrap()).unwrap();
        for r in &table.routes {
            match &r.invalid {
                Some(InvalidReason::IdenticalPrefix { winner }) | Some(InvalidReason::DuplicateInRouteTable { first: winner }) => {
                    let w = &table.routes[*winner];
                    prop_assert!(w.is_active());
                    prop_assert!(r.prefixes.iter().all(|p| w.prefixes.contains(p)));
                    prop_assert!(w.source.priority() >= r.source.priority());
                }
                Some(InvalidReason::PrivateEndpointOverridden { .. }) => {}
                None => prop_assert!(r.is_active()),
            }
        }
        for (i, a) in table.routes.iter().enumerate() {
            for b in table.routes.iter().skip(i + 1) {
                if a.is_active() && b.is_active()
                    && a.next_hop_type != NextHopType::VirtualNetworkServiceEndpoint
                    && b.next_hop_type != NextHopType::VirtualNetworkServiceEndpoint
                {
                    prop_assert!(!a.prefixes.iter().any(|p| b.prefixes.contains(p)), "two Active routes share a prefix: {} / {}", a.label(), b.label());
                }
            }
        }
        if p.propagation_disabled {
            prop_assert!(!table.routes.iter().any(|r| r.source == RouteSource::VirtualNetworkGateway));
        }
    }

    /// Effective routes do not depend on the order of files or of resources inside them.
    #[test]
    fn order_of_input_does_not_matter(p in params(), seed in any::<u64>()) {
        let e = estate(&p);
        let files = e.files(Dialect::AzCli);
        let mut shuffled: Vec<(String, String)> = files.iter().rev().cloned().collect();
        // Reverse the resources of the main file and rotate them by the seed.
        let mut resources: Vec<serde_json::Value> = serde_json::from_str(&files[0].1).unwrap();
        resources.reverse();
        let n = resources.len();
        resources.rotate_left((seed as usize) % n.max(1));
        let idx = shuffled.iter().position(|(name, _)| name == "resources.json").unwrap();
        shuffled[idx].1 = serde_json::to_string(&resources).unwrap();
        let a = azroute_ingest::load_texts(&files).snapshot;
        let b = azroute_ingest::load_texts(&shuffled).snapshot;
        let rows = |s: &Snapshot| -> Vec<String> {
            let engine = RouteEngine::new(s, ModelOptions::default());
            let mut out = Vec::new();
            for i in 0..s.subnets.len() {
                let idx = SubnetIdx(i as u32);
                let table = engine.subnet_table(idx).unwrap();
                for r in &table.routes {
                    out.push(format!("{} {}", s.subnet_label(idx), r.label()));
                }
            }
            out.sort();
            out
        };
        prop_assert_eq!(rows(&a), rows(&b));
    }
}

// ----- IPv6 -----

#[derive(Clone, Debug)]
struct Params6 {
    user_routes: Vec<(u128, u8, usize)>,
    bgp_routes: Vec<(u128, u8)>,
    probes: Vec<u128>,
}

/// Addresses clustered in fd00::/40 (the VNet's /48 inside it), else anywhere.
fn addr6() -> impl Strategy<Value = u128> {
    let base = u128::from("fd00::".parse::<std::net::Ipv6Addr>().unwrap());
    prop_oneof![(0u128..(1u128 << 88)).prop_map(move |x| base + x), any::<u128>()]
}

fn params6() -> impl Strategy<Value = Params6> {
    (
        proptest::collection::vec((addr6(), 0u8..=128, 0usize..HOPS.len()), 0..12),
        proptest::collection::vec((addr6(), 0u8..=128), 0..8),
        proptest::collection::vec(addr6(), 1..40),
    )
        .prop_map(|(user_routes, bgp_routes, probes)| Params6 { user_routes, bgp_routes, probes })
}

fn prefix6(addr: u128, len: u8) -> String {
    ipnet::Ipv6Net::new(std::net::Ipv6Addr::from(addr), len).expect("len <= 128").trunc().to_string()
}

/// A dual-stack VNet whose route table and gateway carry random IPv6 routes, some with
/// prefixes identical to each other or to system routes.
fn estate6(p: &Params6) -> Estate {
    let mut e = Estate::new();
    e.vnet("hub", "eastus", &["10.0.0.0/16", "fd00::/48"])
        .subnet("hub", "GatewaySubnet", "10.0.0.0/27")
        .subnet("hub", "s", "10.0.1.0/24")
        .subnet_property("hub", "s", "addressPrefixes", serde_json::json!(["10.0.1.0/24", "fd00:0:0:1::/64"]))
        .nic("nic", "hub", "s", "10.0.1.4")
        .gateway("gw", "hub", "Vpn", &["10.0.0.4"]);
    let bgp: Vec<(String, &str, &str)> =
        p.bgp_routes.iter().map(|(a, l)| (prefix6(*a, *l), "EBgp", "10.0.0.4")).collect();
    let bgp_refs: Vec<(&str, &str, &str)> = bgp.iter().map(|(n, o, h)| (n.as_str(), *o, *h)).collect();
    e.learned("gw", &bgp_refs);
    let routes: Vec<(String, String, &str, Option<&str>)> = p
        .user_routes
        .iter()
        .enumerate()
        .map(|(i, (a, l, h))| {
            let hop = HOPS[*h];
            (format!("r{i}"), prefix6(*a, *l), hop, (hop == "VirtualAppliance").then_some("fd00:0:0:1::10"))
        })
        .collect();
    let route_refs: Vec<(&str, &str, &str, Option<&str>)> =
        routes.iter().map(|(n, pfx, h, ip)| (n.as_str(), pfx.as_str(), *h, *ip)).collect();
    e.route_table_with("rt", &route_refs, false).associate("hub", "s", "rt");
    e
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// The same agreement over IPv6 routes (/0 to /128), identical prefixes from several sources.
    #[test]
    fn lookups_agree_ipv6(p in params6()) {
        let snapshot = estate6(&p).load(Dialect::Rest);
        let options = ModelOptions::default();
        let engine = RouteEngine::new(&snapshot, options.clone());
        let (_, table) = engine.nic_table(snapshot.find_nic("nic").unwrap()).unwrap();
        prop_assert!(table.routes.iter().any(|r| r.prefixes.iter().any(|x| x.addr().is_ipv6())));
        for probe in &p.probes {
            let dst = IpAddr::V6(std::net::Ipv6Addr::from(*probe));
            let compiled = table.fib.lookup(dst).map(|e| (e.route as usize, e.prefix));
            let explained = explain(&options, &table, dst).selected;
            let reference = naive(&table, dst, false);
            prop_assert_eq!(compiled, explained, "compiled vs explained for {}", dst);
            prop_assert_eq!(compiled.map(|c| c.1), reference.map(|r| r.1), "compiled vs naive prefix for {}", dst);
            prop_assert_eq!(
                compiled.map(|c| table.routes[c.0].source),
                reference.map(|r| table.routes[r.0].source),
                "compiled vs naive source for {}", dst
            );
        }
    }
}
