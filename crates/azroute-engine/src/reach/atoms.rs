//! Address atoms: the longest deciding prefix (a route a compiled table selects, an NSG rule
//! prefix, an owned special address, a fixed range some check tests) containing an address.
//! Addresses of one atom are matched by exactly the same routes and rules.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};

use azroute_model::*;
use ipnet::{IpNet, Ipv4Net};
use rustc_hash::FxHashSet as HashSet;

use crate::RouteEngine;
use crate::fib::{Fib, FibEntry, NO_ROUTE};
use crate::route::EffectiveRouteTable;

/// The address atoms of a snapshot. Every prefix that can decide something (a route a table
/// selects, an NSG rule prefix, an owned special address) is CIDR, so prefixes nest or are
/// disjoint and the set of prefixes containing an address is fixed by the longest one: two
/// addresses with the same longest containing prefix are matched by exactly the same routes
/// and rules. That longest prefix is the atom; it is looked up in a forwarding table built
/// over all of them.
pub(super) struct Atoms {
    fib: Fib,
}

impl Atoms {
    /// The atom of an address: the index of its longest containing prefix (`NO_ROUTE` when
    /// none contains it).
    pub(super) fn atom_of(&self, a: u32) -> u32 {
        self.fib.lookup_route(IpAddr::V4(Ipv4Addr::from(a))).unwrap_or(NO_ROUTE)
    }

    /// Number of distinct prefixes.
    pub(super) fn len(&self) -> usize {
        self.fib.entries.len()
    }

    /// Splits `lo..=hi` where the longest containing prefix changes.
    pub(super) fn split(&self, lo: u32, hi: u32) -> Vec<(u32, u32)> {
        let starts = self.fib.v4_boundaries();
        let mut out = Vec::new();
        let mut i = starts.partition_point(|&s| s <= lo);
        let mut start = lo;
        while i < starts.len() && starts[i] <= hi {
            out.push((start, starts[i] - 1));
            start = starts[i];
            i += 1;
        }
        out.push((start, hi));
        out
    }
}

pub(super) fn v4_range(net: &Ipv4Net) -> (u32, u32) {
    (u32::from(net.network()), u32::from(net.broadcast()))
}

/// The usable host range of a subnet prefix: Azure reserves the first four addresses and the
/// last one (prefixes of /29 and shorter; smaller ones cannot be subnets).
pub(super) fn host_range(net: &Ipv4Net) -> Option<(u32, u32)> {
    let (lo, hi) = v4_range(net);
    if net.prefix_len() > 29 {
        return Some((lo, hi));
    }
    (lo + 4 < hi).then_some((lo + 4, hi - 1))
}

/// Ranges whose membership some check tests directly (private address space for
/// `PrivateDestinationToInternet` and the `Internet` tag; the Azure host IP).
const FIXED_PREFIXES: [&str; 6] =
    ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "168.63.129.16/32", "0.0.0.0/0"];

/// Builds the atoms of a snapshot: every prefix a compiled table selects, every NSG rule
/// prefix (tags expanded where they touch the estate's own ranges), every address owned by
/// something other than a NIC, and the fixed ranges some checks test.
pub(super) fn atoms(engine: &RouteEngine<'_>) -> Atoms {
    let mut prefixes = static_prefixes(engine);
    let mut seen_tables: HashSet<*const EffectiveRouteTable> = HashSet::default();
    for table in engine.all_subnet_tables().into_iter().flatten() {
        if seen_tables.insert(std::sync::Arc::as_ptr(&table)) {
            prefixes.extend(table_prefixes(&table));
        }
    }
    Atoms::from_prefixes(prefixes)
}

impl Atoms {
    fn from_prefixes(prefixes: BTreeSet<Ipv4Net>) -> Atoms {
        let entries =
            prefixes.into_iter().enumerate().map(|(i, n)| FibEntry { prefix: IpNet::V4(n), route: i as u32 }).collect();
        Atoms { fib: Fib::build(entries) }
    }
}

/// The IPv4 prefixes a route table contributes to the atoms: those of its compiled table.
pub(super) fn table_prefixes(table: &EffectiveRouteTable) -> impl Iterator<Item = Ipv4Net> + '_ {
    table.fib.entries.iter().filter_map(|e| match e.prefix {
        IpNet::V4(n) => Some(n),
        IpNet::V6(_) => None,
    })
}

/// The prefixes of the atoms that no route table contributes: the fixed ranges, NSG and
/// security admin rule prefixes, owned special addresses. Changes to routes, associations and
/// peerings leave them alone.
pub(super) fn static_prefixes(engine: &RouteEngine<'_>) -> BTreeSet<Ipv4Net> {
    let snap = engine.snap();
    let mut prefixes: BTreeSet<Ipv4Net> = BTreeSet::new();
    for p in FIXED_PREFIXES {
        prefixes.insert(p.parse().expect("valid prefix"));
    }
    // Ranges the matrix is about: tag prefixes outside them cannot split anything it shows.
    let mut estate: Vec<(u32, u32)> = Vec::new();
    for v in &snap.vnets {
        for p in &v.address_space {
            if let IpNet::V4(n) = p {
                estate.push(v4_range(n));
            }
        }
    }
    for gp in engine.topology().gateway_prefixes.iter().flatten() {
        if let IpNet::V4(n) = gp.prefix {
            estate.push(v4_range(&n));
        }
    }
    let touches = |n: &Ipv4Net| {
        let (lo, hi) = v4_range(n);
        estate.iter().any(|&(a, b)| lo <= b && a <= hi)
    };
    for nsg in &snap.nsgs {
        for rule in &nsg.rules {
            for pattern in rule.sources.iter().chain(rule.destinations.iter()) {
                match pattern {
                    AddressPattern::Any | AddressPattern::Prefix(IpNet::V6(_)) => {}
                    AddressPattern::Prefix(IpNet::V4(n)) => {
                        prefixes.insert(n.trunc());
                    }
                    AddressPattern::Tag(tag) => {
                        for p in crate::effective::expand_tag(snap, tag).unwrap_or_default() {
                            if let IpNet::V4(n) = p
                                && touches(&n)
                            {
                                prefixes.insert(n.trunc());
                            }
                        }
                    }
                }
            }
        }
    }
    // §18.3: security admin rules split atoms as NSG rules do (network groups are VNet spaces,
    // which are atoms already).
    for rule in &snap.avnm.admin_rules {
        for address in rule.sources.iter().chain(rule.destinations.iter()) {
            match address {
                AdminAddress::Prefix(IpNet::V4(n)) => {
                    prefixes.insert(n.trunc());
                }
                AdminAddress::Tag(tag) => {
                    for p in crate::effective::expand_tag(snap, tag).unwrap_or_default() {
                        if let IpNet::V4(n) = p
                            && touches(&n)
                        {
                            prefixes.insert(n.trunc());
                        }
                    }
                }
                AdminAddress::Any | AdminAddress::Prefix(IpNet::V6(_)) | AdminAddress::NetworkGroup(_) => {}
            }
        }
    }
    for a in special_addresses(snap) {
        prefixes.insert(Ipv4Net::new(Ipv4Addr::from(a), 32).expect("/32 is valid"));
    }
    prefixes
}

/// Addresses owned by something other than a NIC (load balancer frontends, private endpoints,
/// gateway instances): each is its own class.
pub(super) fn special_addresses(snap: &Snapshot) -> BTreeSet<u32> {
    let mut out = BTreeSet::new();
    let v4 = |ip: &IpAddr| match ip {
        IpAddr::V4(a) => Some(u32::from(*a)),
        IpAddr::V6(_) => None,
    };
    for lb in &snap.load_balancers {
        out.extend(lb.frontends.iter().filter_map(|f| f.private_ip.as_ref().and_then(v4)));
    }
    for pe in &snap.private_endpoints {
        out.extend(pe.ips.iter().filter_map(v4));
    }
    for gw in &snap.gateways {
        out.extend(gw.instance_ips.iter().filter_map(v4));
    }
    out
}
