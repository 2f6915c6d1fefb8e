//! The reachability matrix: source subnets against destination subnets, on-premises prefixes
//! and the Internet, computed over address equivalence classes rather than address by address.
//!
//! Every forwarding decision the tracer makes depends on a packet's addresses only through
//! prefixes: the routes of the tables it meets, the NSG rules it is checked against, the VNet
//! address spaces a peering compares, and the owner of the destination address. All those
//! prefixes (every route a compiled table selects, NSG rule prefixes, owned special addresses,
//! the private ranges some checks test) are CIDR, so they nest or are disjoint, and the set of
//! them containing an address is fixed by the longest one: that prefix is the address's *atom*,
//! and addresses of one atom are treated alike by every table and rule (the Veriflow /
//! Delta-net / APKeep technique, see `peers-and-pain-points.md` §10). Within a subnet an atom
//! is further split by the endpoint that holds the address (a NIC's own NSG and application
//! security groups are per NIC).
//!
//! An address's *class* is then (atom, VNet, route context, subnet NSG, endpoint): two
//! addresses of the same class behave identically as sources and as destinations, so each
//! (source class, destination class) pair is traced once — with its reply — and the result is
//! shared by every matrix cell containing that pair. A cell whose classes disagree is `Mixed`
//! and lists each outcome with the addresses it covers.
//!
//! IPv4 only: the matrix is built over subnets' IPv4 prefixes (IPv6 subnets are rare in
//! routed estates; single IPv6 flows can still be traced). The first four and the last
//! address of every subnet are reserved by Azure and never stand for a host.

use std::collections::BTreeSet;

// Fx rather than SipHash: the matrix hashes a million pair keys and outcomes per run, all of
// them computed here (nothing an attacker chooses), and SipHash was a fifth of the time.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::net::{IpAddr, Ipv4Addr};

use azroute_model::*;
use ipnet::{IpNet, Ipv4Net};
use rayon::prelude::*;

use crate::fib::{Fib, FibEntry, NO_ROUTE};
use crate::finding::Severity;
use crate::route::EffectiveRouteTable;
use crate::trace::{Trace, TraceRequest, TraceSource, Tracer, Verdict};
use crate::{RouteEngine, RouteError};

/// The address that stands for the Internet unless the caller picks another (TEST-NET-3,
/// RFC 5737: routed like any public address by the default route).
pub const DEFAULT_INTERNET_ADDRESS: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 10);

/// What to compute.
#[derive(Clone, Debug)]
pub struct ReachQuery {
    /// Rows: the subnets traffic starts from.
    pub sources: Vec<SubnetIdx>,
    /// Subnet columns.
    pub destinations: Vec<SubnetIdx>,
    /// Add one column per on-premises prefix the gateways know (local network gateway
    /// address spaces and BGP-learned prefixes).
    pub on_premises: bool,
    /// Add an Internet column, represented by this address.
    pub internet: Option<IpAddr>,
    pub protocol: Protocol,
    pub source_port: u16,
    pub destination_port: u16,
    /// Evaluate NSGs (off: routing only).
    pub evaluate_nsgs: bool,
}

/// Whether a matrix covers a subnet when the user names none: every subnet but GatewaySubnet
/// and RouteServerSubnet, which hold no workload.
pub fn in_default_scope(subnet: &Subnet) -> bool {
    !subnet.is_gateway_subnet() && !subnet.is_route_server_subnet()
}

impl ReachQuery {
    /// What `azroute reach` asks by default, to `destination_port`: every subnet in the
    /// default scope both ways, on-premises prefixes and the Internet as columns, TCP from port
    /// 50000, NSGs evaluated.
    pub fn every_subnet(snap: &Snapshot, destination_port: u16) -> ReachQuery {
        let subnets: Vec<SubnetIdx> = (0..snap.subnets.len())
            .map(|i| SubnetIdx(i as u32))
            .filter(|s| in_default_scope(&snap.subnets[s.index()]))
            .collect();
        ReachQuery {
            sources: subnets.clone(),
            destinations: subnets,
            on_premises: true,
            internet: Some(IpAddr::V4(DEFAULT_INTERNET_ADDRESS)),
            protocol: Protocol::Tcp,
            source_port: 50000,
            destination_port,
            evaluate_nsgs: true,
        }
    }
}

/// A column of the matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Column {
    Subnet(SubnetIdx),
    /// An on-premises prefix and the gateways that program it.
    OnPremises {
        prefix: IpNet,
        gateways: Vec<GatewayIdx>,
    },
    Internet(IpAddr),
}

/// How traffic of a cell (or of one class pair) fares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reachability {
    /// Delivered (or left Azure to on-premises / the Internet, or reached an Azure service)
    /// and the reply comes back the same way, without passing an NVA.
    Delivered,
    /// As `Delivered`, through one or more NVAs in both directions.
    DeliveredThroughNva,
    /// The request arrives but the reply passes different stateful devices.
    Asymmetric,
    /// The request or its reply is dropped; the code says why.
    Dropped,
    /// Addresses of the cell fare differently; see the cell's outcomes.
    Mixed,
}

impl Reachability {
    pub fn as_str(self) -> &'static str {
        match self {
            Reachability::Delivered => "Delivered",
            Reachability::DeliveredThroughNva => "DeliveredThroughNva",
            Reachability::Asymmetric => "Asymmetric",
            Reachability::Dropped => "Dropped",
            Reachability::Mixed => "Mixed",
        }
    }

    /// Whether a connection succeeds.
    pub fn connects(self) -> bool {
        matches!(self, Reachability::Delivered | Reachability::DeliveredThroughNva)
    }
}

/// Which direction failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FailedDirection {
    Request,
    Reply,
}

impl FailedDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            FailedDirection::Request => "Request",
            FailedDirection::Reply => "Reply",
        }
    }
}

/// The result of tracing one (source class, destination class) pair.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PairOutcome {
    pub reach: Reachability,
    /// How the request ended.
    pub verdict: Verdict,
    /// The finding code that explains a drop or an asymmetry.
    pub code: Option<&'static str>,
    pub failed: Option<FailedDirection>,
    /// NVAs the request passes, in order.
    pub nvas: Vec<NicIdx>,
    /// Every finding code of the trace (warnings included), sorted.
    pub codes: Vec<&'static str>,
}

/// One distinct outcome inside a cell, with the addresses it covers and a sample pair to trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellOutcome {
    /// Index into [`ReachMatrix::outcomes`].
    pub outcome: u32,
    pub sample_source: IpAddr,
    pub sample_destination: IpAddr,
    /// Source × destination address pairs with this outcome.
    pub address_pairs: u128,
}

/// One cell of the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReachCell {
    pub reach: Reachability,
    /// The common code when every outcome has the same one.
    pub code: Option<&'static str>,
    /// Where the cell's outcomes start in [`ReachMatrix::parts`], and how many there are.
    first: u32,
    len: u32,
}

/// Counts that show how much the classes saved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReachStats {
    pub cells: usize,
    /// Address atoms: distinct longest prefixes that split the address space.
    pub atoms: usize,
    pub source_classes: usize,
    pub destination_classes: usize,
    /// Traces run (one per distinct class pair, reply included).
    pub traces: usize,
    /// Class pairs whose outcome was reused from before a change (incremental).
    pub reused: usize,
}

/// The matrix, row-major.
#[derive(Clone, Debug)]
pub struct ReachMatrix {
    pub rows: Vec<SubnetIdx>,
    pub columns: Vec<Column>,
    pub cells: Vec<ReachCell>,
    /// Every cell's outcomes, largest first within a cell.
    pub parts: Vec<CellOutcome>,
    /// Distinct outcomes, shared by the cells.
    pub outcomes: Vec<PairOutcome>,
    pub stats: ReachStats,
    pub errors: Vec<(SubnetIdx, RouteError)>,
    pub assumptions: Vec<String>,
}

impl ReachMatrix {
    pub fn cell(&self, row: usize, column: usize) -> &ReachCell {
        &self.cells[row * self.columns.len() + column]
    }

    /// A cell's outcomes, largest first.
    pub fn cell_outcomes(&self, cell: &ReachCell) -> &[CellOutcome] {
        &self.parts[cell.first as usize..(cell.first + cell.len) as usize]
    }

    pub fn outcome(&self, part: &CellOutcome) -> &PairOutcome {
        &self.outcomes[part.outcome as usize]
    }
}

/// What holds an address, as far as NSGs and replies can tell.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Endpoint {
    /// A host without NSG or application security groups of its own (a NIC without them, or
    /// an address no NIC holds).
    Plain,
    /// A NIC with its own NSG or ASGs.
    Nic { nsg: Option<NsgIdx>, asgs: Vec<String> },
    /// Something unique (a load balancer frontend, a private endpoint, a gateway instance, a
    /// NIC whose address is on a secondary configuration in another subnet): its own class.
    Unique(IpAddr),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ClassKey {
    atom: u32,
    vnet: Option<VnetIdx>,
    context: Option<u32>,
    subnet_nsg: Option<NsgIdx>,
    endpoint: Endpoint,
}

/// A run of addresses of one class inside one column or row.
#[derive(Clone, Copy, Debug)]
struct Member {
    class: u32,
    rep: IpAddr,
    size: u128,
}

/// The address atoms of a snapshot. Every prefix that can decide something (a route a table
/// selects, an NSG rule prefix, an owned special address) is CIDR, so prefixes nest or are
/// disjoint and the set of prefixes containing an address is fixed by the longest one: two
/// addresses with the same longest containing prefix are matched by exactly the same routes
/// and rules. That longest prefix is the atom; it is looked up in a forwarding table built
/// over all of them.
pub(crate) struct Atoms {
    fib: Fib,
}

impl Atoms {
    /// The atom of an address: the index of its longest containing prefix (`NO_ROUTE` when
    /// none contains it).
    fn atom_of(&self, a: u32) -> u32 {
        self.fib.lookup_route(IpAddr::V4(Ipv4Addr::from(a))).unwrap_or(NO_ROUTE)
    }

    /// Number of distinct prefixes.
    pub(crate) fn len(&self) -> usize {
        self.fib.entries.len()
    }

    /// Splits `lo..=hi` where the longest containing prefix changes.
    fn split(&self, lo: u32, hi: u32) -> Vec<(u32, u32)> {
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

fn v4_range(net: &Ipv4Net) -> (u32, u32) {
    (u32::from(net.network()), u32::from(net.broadcast()))
}

/// The usable host range of a subnet prefix: Azure reserves the first four addresses and the
/// last one (prefixes of /29 and shorter; smaller ones cannot be subnets).
fn host_range(net: &Ipv4Net) -> Option<(u32, u32)> {
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
pub(crate) fn atoms(engine: &RouteEngine<'_>) -> Atoms {
    let snap = engine.snap();
    let mut prefixes: BTreeSet<Ipv4Net> = BTreeSet::new();
    for p in FIXED_PREFIXES {
        prefixes.insert(p.parse().expect("valid prefix"));
    }
    let mut seen_tables: HashSet<*const EffectiveRouteTable> = HashSet::default();
    for table in engine.all_subnet_tables().into_iter().flatten() {
        if seen_tables.insert(std::sync::Arc::as_ptr(&table)) {
            prefixes.extend(table.fib.entries.iter().filter_map(|e| match e.prefix {
                IpNet::V4(n) => Some(n),
                IpNet::V6(_) => None,
            }));
        }
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
    for a in special_addresses(snap) {
        prefixes.insert(Ipv4Net::new(Ipv4Addr::from(a), 32).expect("/32 is valid"));
    }
    let entries =
        prefixes.into_iter().enumerate().map(|(i, n)| FibEntry { prefix: IpNet::V4(n), route: i as u32 }).collect();
    Atoms { fib: Fib::build(entries) }
}

/// Interns class keys.
#[derive(Default)]
struct Classes {
    ids: HashMap<ClassKey, u32>,
    /// Per class: a representative address and how to trace from it.
    reps: Vec<(IpAddr, Option<NicIdx>, Option<SubnetIdx>)>,
    /// Another address of the class, to stand for it when it is paired with itself.
    alts: Vec<Option<IpAddr>>,
}

impl Classes {
    fn intern(
        &mut self,
        key: ClassKey,
        rep: IpAddr,
        nic: Option<NicIdx>,
        subnet: Option<SubnetIdx>,
        alt: Option<IpAddr>,
    ) -> u32 {
        if let Some(id) = self.ids.get(&key) {
            return *id;
        }
        let id = self.reps.len() as u32;
        self.ids.insert(key, id);
        self.reps.push((rep, nic, subnet));
        self.alts.push(alt);
        id
    }
}

/// NIC addresses of one subnet, sorted, with each one's endpoint.
fn subnet_hosts(snap: &Snapshot, engine: &RouteEngine<'_>) -> Vec<Vec<(u32, NicIdx, Endpoint)>> {
    let mut hosts: Vec<Vec<(u32, NicIdx, Endpoint)>> = vec![Vec::new(); snap.subnets.len()];
    for (i, nic) in snap.nics.iter().enumerate() {
        if nic.private_endpoint.is_some() {
            continue;
        }
        let nic_idx = NicIdx(i as u32);
        let primary_subnet = engine.nic_subnet(nic_idx).ok();
        for cfg in &nic.ip_configs {
            let (Some(IpAddr::V4(a)), Some(s)) = (cfg.private_ip, cfg.subnet.as_ref().and_then(|l| l.resolved()))
            else {
                continue;
            };
            let nsg = nic.nsg.as_ref().and_then(|l| l.resolved());
            let endpoint = if primary_subnet != Some(s) {
                Endpoint::Unique(IpAddr::V4(a))
            } else if nsg.is_none() && cfg.application_security_groups.is_empty() {
                Endpoint::Plain
            } else {
                let mut asgs = cfg.application_security_groups.clone();
                asgs.sort();
                Endpoint::Nic { nsg, asgs }
            };
            hosts[s.index()].push((u32::from(a), nic_idx, endpoint));
        }
    }
    for h in &mut hosts {
        h.sort_by_key(|(a, n, _)| (*a, *n));
        h.dedup_by_key(|(a, _, _)| *a);
    }
    hosts
}

/// Addresses owned by something other than a NIC (load balancer frontends, private endpoints,
/// gateway instances): each is its own class.
fn special_addresses(snap: &Snapshot) -> BTreeSet<u32> {
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

/// NICs of one endpoint inside a run: the endpoint, the first and last (address, NIC), how many.
type HostGroup = (Endpoint, (u32, NicIdx), (u32, NicIdx), u128);

/// The members (class runs) of one subnet.
struct SubnetMembers<'a> {
    atoms: &'a Atoms,
    hosts: &'a [Vec<(u32, NicIdx, Endpoint)>],
    specials: &'a BTreeSet<u32>,
}

impl SubnetMembers<'_> {
    fn members(
        &self,
        snap: &Snapshot,
        subnet: SubnetIdx,
        context: Option<u32>,
        as_source: bool,
        classes: &mut Classes,
    ) -> Vec<Member> {
        let s = &snap.subnets[subnet.index()];
        let vnet = Some(s.vnet);
        let subnet_nsg = s.nsg.as_ref().and_then(|l| l.resolved());
        let hosts = &self.hosts[subnet.index()];
        let mut out = Vec::new();
        for prefix in &s.prefixes {
            let IpNet::V4(net) = prefix else { continue };
            let Some((lo, hi)) = host_range(net) else { continue };
            for (a, b) in self.atoms.split(lo, hi) {
                let atom = self.atoms.atom_of(a);
                let key = |endpoint: Endpoint| ClassKey { atom, vnet, context, subnet_nsg, endpoint };
                // NICs inside the run, grouped by endpoint.
                let from = hosts.partition_point(|(x, _, _)| *x < a);
                let to = hosts.partition_point(|(x, _, _)| *x <= b);
                let inside = &hosts[from..to];
                // Per endpoint: first and last NIC address, and how many.
                let mut groups: Vec<HostGroup> = Vec::new();
                let mut plain_nics: Vec<(u32, NicIdx)> = Vec::new();
                for (addr, nic, endpoint) in inside {
                    if self.specials.contains(addr) {
                        continue;
                    }
                    if *endpoint == Endpoint::Plain {
                        plain_nics.push((*addr, *nic));
                        continue;
                    }
                    match groups.iter_mut().find(|g| g.0 == *endpoint) {
                        Some(g) => {
                            g.2 = (*addr, *nic);
                            g.3 += 1;
                        }
                        None => groups.push((endpoint.clone(), (*addr, *nic), (*addr, *nic), 1)),
                    }
                }
                let non_plain: u128 = groups.iter().map(|g| g.3).sum();
                let special_here: Vec<u32> = self.specials.range(a..=b).copied().collect();
                // Load balancer frontends, private endpoints and gateway instances receive
                // traffic; they do not start connections of their own.
                for addr in special_here.iter().filter(|_| !as_source) {
                    let ip = IpAddr::V4(Ipv4Addr::from(*addr));
                    let class = classes.intern(key(Endpoint::Unique(ip)), ip, None, Some(subnet), None);
                    out.push(Member { class, rep: ip, size: 1 });
                }
                // Sources take the first address of a class and destinations the last, so a
                // class's sample pair is two different hosts where it can be; the other end is
                // kept as the alternative for a class paired with itself.
                let v4 = |x: u32| IpAddr::V4(Ipv4Addr::from(x));
                for (endpoint, first, last, count) in groups {
                    let ((rep, nic), other) = if as_source { (first, last) } else { (last, first) };
                    let alt = (count > 1).then(|| v4(other.0));
                    let class = classes.intern(key(endpoint), v4(rep), Some(nic), Some(subnet), alt);
                    out.push(Member { class, rep: v4(rep), size: count });
                }
                let plain = (b - a) as u128 + 1 - non_plain - special_here.len() as u128;
                if plain > 0 {
                    let (rep, nic) = match (as_source, plain_nics.first(), plain_nics.last()) {
                        (true, Some(&(addr, nic)), _) | (false, _, Some(&(addr, nic))) => (addr, Some(nic)),
                        _ => (free_address(a, b, inside, &special_here, as_source), None),
                    };
                    let plain_at = |x: u32| {
                        special_here.binary_search(&x).is_err()
                            && inside
                                .binary_search_by_key(&x, |(v, _, _)| *v)
                                .map_or(true, |i| inside[i].2 == Endpoint::Plain)
                    };
                    let alt = (plain > 1).then(|| (a..=b).find(|x| *x != rep && plain_at(*x))).flatten().map(v4);
                    let class = classes.intern(key(Endpoint::Plain), v4(rep), nic, Some(subnet), alt);
                    out.push(Member { class, rep: v4(rep), size: plain });
                }
            }
        }
        out
    }
}

/// The first (or last) address of `a..=b` that no NIC or special owner holds.
fn free_address(a: u32, b: u32, inside: &[(u32, NicIdx, Endpoint)], specials: &[u32], first: bool) -> u32 {
    let taken = |x: u32| inside.binary_search_by_key(&x, |(v, _, _)| *v).is_ok() || specials.binary_search(&x).is_ok();
    if first { (a..=b).find(|x| !taken(*x)).unwrap_or(a) } else { (a..=b).rev().find(|x| !taken(*x)).unwrap_or(b) }
}

/// Reduces a trace to the outcome the matrix shows.
pub(crate) fn outcome_of(trace: &Trace) -> PairOutcome {
    let mut codes: Vec<&'static str> = trace.findings.iter().map(|f| f.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let first_error = |findings: &[crate::finding::Finding]| {
        findings.iter().find(|f| f.severity == Severity::Error).or_else(|| findings.first()).map(|f| f.code)
    };
    let forward = &trace.forward;
    let nvas = forward.devices.clone();
    let (reach, code, failed) = if !forward.verdict.reached() {
        let code = first_error(&forward.findings).or(match forward.verdict {
            Verdict::Loop => Some("RoutingLoop"),
            _ => None,
        });
        (Reachability::Dropped, code, Some(FailedDirection::Request))
    } else if let Some(reply) = trace.reverse.as_ref().filter(|r| !r.verdict.reached()) {
        (Reachability::Dropped, first_error(&reply.findings), Some(FailedDirection::Reply))
    } else if trace.findings.iter().any(|f| f.code == "AsymmetricPath") {
        (Reachability::Asymmetric, Some("AsymmetricPath"), Some(FailedDirection::Reply))
    } else if let Some(f) = trace.findings.iter().find(|f| f.code == "ForcedTunnelBreaksInbound") {
        (Reachability::Dropped, Some(f.code), Some(FailedDirection::Reply))
    } else if nvas.is_empty() {
        (Reachability::Delivered, None, None)
    } else {
        (Reachability::DeliveredThroughNva, None, None)
    };
    PairOutcome { reach, verdict: forward.verdict, code, failed, nvas, codes }
}

/// The on-premises prefixes the gateways program, each with its gateways, sorted.
pub(crate) fn on_premises_columns(engine: &RouteEngine<'_>) -> Vec<Column> {
    let mut by_prefix: std::collections::BTreeMap<IpNet, Vec<GatewayIdx>> = std::collections::BTreeMap::new();
    for (g, prefixes) in engine.topology().gateway_prefixes.iter().enumerate() {
        for gp in prefixes {
            if gp.prefix.addr().is_ipv4() {
                let list = by_prefix.entry(gp.prefix).or_default();
                if !list.contains(&GatewayIdx(g as u32)) {
                    list.push(GatewayIdx(g as u32));
                }
            }
        }
    }
    by_prefix.into_iter().map(|(prefix, gateways)| Column::OnPremises { prefix, gateways }).collect()
}

/// The tracer the matrix uses: NIC-less addresses of a subnet stand for hosts, NSGs as asked.
pub fn reach_tracer<'e, 's>(engine: &'e RouteEngine<'s>, query: &ReachQuery) -> Tracer<'e, 's> {
    let mut tracer = Tracer::new(engine);
    tracer.virtual_hosts = true;
    tracer.evaluate_nsgs = query.evaluate_nsgs;
    tracer.detail = false;
    tracer
}

/// Computes the matrix.
pub fn reach(engine: &RouteEngine<'_>, query: &ReachQuery) -> ReachMatrix {
    compute(engine, query, None)
}

/// Computes the matrix, reusing the outcomes kept in `cache` (by an earlier computation on the
/// same estate before a change) for every representative pair whose trace consulted nothing
/// `stale` names, and keeping the pairs traced now for the next change.
pub fn reach_incremental(
    engine: &RouteEngine<'_>,
    query: &ReachQuery,
    cache: &mut PairCache,
    stale: &Invalidation,
) -> ReachMatrix {
    compute(engine, query, Some((cache, stale)))
}

/// The matrix; with a cache, reusing and keeping traced pairs.
fn compute(
    engine: &RouteEngine<'_>,
    query: &ReachQuery,
    cache: Option<(&mut PairCache, &Invalidation)>,
) -> ReachMatrix {
    let tracer = &reach_tracer(engine, query);
    let snap = engine.snap();
    let atoms = atoms(engine);
    let hosts = subnet_hosts(snap, engine);
    let specials = special_addresses(snap);
    let members_of = SubnetMembers { atoms: &atoms, hosts: &hosts, specials: &specials };

    // Route contexts, interned, for source classes.
    let mut context_ids: HashMap<crate::ContextKey, u32> = HashMap::default();
    let mut errors = Vec::new();
    let mut source_classes = Classes::default();
    let mut rows = Vec::new();
    let mut row_members: Vec<Vec<Member>> = Vec::new();
    for &s in &query.sources {
        let context = match engine.context_key(s) {
            Ok(key) => {
                let n = context_ids.len() as u32;
                *context_ids.entry(key).or_insert(n)
            }
            Err(e) => {
                errors.push((s, e));
                continue;
            }
        };
        rows.push(s);
        row_members.push(members_of.members(snap, s, Some(context), true, &mut source_classes));
    }

    let mut columns: Vec<Column> = query.destinations.iter().map(|s| Column::Subnet(*s)).collect();
    if query.on_premises {
        columns.extend(on_premises_columns(engine));
    }
    if let Some(ip) = query.internet {
        columns.push(Column::Internet(ip));
    }
    let mut destination_classes = Classes::default();
    let column_members: Vec<Vec<Member>> = columns
        .iter()
        .map(|c| match c {
            Column::Subnet(s) => {
                // The reply starts in the destination subnet: its routes matter too.
                let context = engine.context_key(*s).ok().map(|key| {
                    let n = context_ids.len() as u32;
                    *context_ids.entry(key).or_insert(n)
                });
                members_of.members(snap, *s, context, false, &mut destination_classes)
            }
            Column::OnPremises { prefix, .. } => {
                let IpNet::V4(net) = prefix else { return Vec::new() };
                let (lo, hi) = v4_range(net);
                atoms
                    .split(lo, hi)
                    .into_iter()
                    .map(|(a, b)| {
                        let key = ClassKey {
                            atom: atoms.atom_of(a),
                            vnet: None,
                            context: None,
                            subnet_nsg: None,
                            endpoint: Endpoint::Plain,
                        };
                        // Not the network address itself where the atom has others.
                        let rep = IpAddr::V4(Ipv4Addr::from(if b > a { a + 1 } else { a }));
                        let alt = (b > a).then(|| IpAddr::V4(Ipv4Addr::from(a)));
                        let class = destination_classes.intern(key, rep, None, None, alt);
                        Member { class, rep, size: (b - a) as u128 + 1 }
                    })
                    .collect()
            }
            Column::Internet(ip) => {
                let atom = match ip {
                    IpAddr::V4(a) => atoms.atom_of(u32::from(*a)),
                    IpAddr::V6(_) => u32::MAX,
                };
                let key =
                    ClassKey { atom, vnet: None, context: None, subnet_nsg: None, endpoint: Endpoint::Unique(*ip) };
                let class = destination_classes.intern(key, *ip, None, None, None);
                vec![Member { class, rep: *ip, size: 1 }]
            }
        })
        .collect();

    // Every class pair the matrix needs, traced once each, in parallel. A dense table maps a
    // pair to its outcome when it fits; otherwise a sorted list is searched.
    let (n_src, n_dst) = (source_classes.reps.len(), destination_classes.reps.len());
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for rm in &row_members {
        for cm in &column_members {
            for r in rm {
                for c in cm {
                    pairs.push((r.class, c.class));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    let flow = (query.protocol, query.source_port, query.destination_port, query.evaluate_nsgs);
    let mut cache = cache;
    if let Some((c, _)) = cache.as_mut()
        && c.flow != Some(flow)
    {
        c.entries.clear();
        c.flow = Some(flow);
    }
    // Forget every kept pair a change may have altered, needed now or not: the next change
    // starts from an empty invalidation.
    if let Some((c, stale)) = cache.as_mut()
        && (stale.all || !stale.subnets.is_empty() || !stale.vnets.is_empty())
    {
        c.entries.retain(|_, (_, consulted)| !stale.stales(consulted));
    }
    let keep = cache.is_some();
    /// A pair's outcome: still valid in the cache, or traced now.
    enum Slot<'c> {
        Cached(&'c PairOutcome),
        Traced(PairKey, PairOutcome, Option<Consulted>),
    }
    let lookup = cache.as_ref().map(|(c, _)| &**c);
    let slots: Vec<Slot<'_>> = pairs
        .par_iter()
        .map(|&(src, dst)| {
            let (src_ip, src_nic, src_subnet) = source_classes.reps[src as usize];
            let mut dst_ip = destination_classes.reps[dst as usize].0;
            if dst_ip == src_ip
                && let Some(alt) = destination_classes.alts[dst as usize]
            {
                dst_ip = alt;
            }
            let key = (src_ip, src_nic, src_subnet, dst_ip);
            if let Some(c) = lookup
                && let Some((outcome, _)) = c.entries.get(&key)
            {
                return Slot::Cached(outcome);
            }
            let (outcome, consulted) = if keep {
                trace_pair_consulting(tracer, query, src_ip, src_nic, src_subnet, dst_ip)
            } else {
                (trace_pair(tracer, query, src_ip, src_nic, src_subnet, dst_ip), None)
            };
            Slot::Traced(key, outcome, consulted)
        })
        .collect();
    let reused = slots.iter().filter(|s| matches!(s, Slot::Cached(_))).count();
    // Distinct outcomes, interned by reference (a matrix has a million pairs and a few hundred
    // distinct outcomes).
    let mut outcomes: Vec<PairOutcome> = Vec::new();
    let mut outcome_ids: HashMap<&PairOutcome, u32> = HashMap::default();
    let pair_outcome: Vec<u32> = slots
        .iter()
        .map(|slot| {
            let o = match slot {
                Slot::Cached(o) => *o,
                Slot::Traced(_, o, _) => o,
            };
            let next = outcome_ids.len() as u32;
            *outcome_ids.entry(o).or_insert_with(|| {
                outcomes.push(o.clone());
                next
            })
        })
        .collect();
    drop(outcome_ids);
    let traced: Vec<(PairKey, PairOutcome, Option<Consulted>)> = slots
        .into_iter()
        .filter_map(|slot| match slot {
            Slot::Cached(_) => None,
            Slot::Traced(key, outcome, consulted) => Some((key, outcome, consulted)),
        })
        .collect();
    if let Some((c, _)) = cache {
        c.entries.extend(traced.into_iter().map(|(key, outcome, consulted)| (key, (outcome, consulted))));
    }
    let dense: Option<Vec<u32>> = (n_src.saturating_mul(n_dst) <= 1 << 24).then(|| {
        let mut table = vec![u32::MAX; n_src * n_dst];
        for (i, &(src, dst)) in pairs.iter().enumerate() {
            table[src as usize * n_dst + dst as usize] = pair_outcome[i];
        }
        table
    });
    let outcome_of_pair = |src: u32, dst: u32| -> u32 {
        match &dense {
            Some(table) => table[src as usize * n_dst + dst as usize],
            None => pair_outcome[pairs.binary_search(&(src, dst)).expect("every pair was traced")],
        }
    };

    let per_row: Vec<(Vec<ReachCell>, Vec<CellOutcome>)> = row_members
        .par_iter()
        .map(|rm| {
            let mut cells = Vec::with_capacity(column_members.len());
            let mut parts: Vec<CellOutcome> = Vec::new();
            for cm in &column_members {
                let first = parts.len();
                for r in rm {
                    for c in cm {
                        let outcome = outcome_of_pair(r.class, c.class);
                        let weight = r.size * c.size;
                        match parts[first..].iter_mut().find(|m| m.outcome == outcome) {
                            Some(m) => m.address_pairs += weight,
                            None => parts.push(CellOutcome {
                                outcome,
                                sample_source: r.rep,
                                // The pair actually traced: a class paired with itself
                                // stands for two of its hosts where it has two.
                                sample_destination: match destination_classes.alts[c.class as usize] {
                                    Some(alt) if c.rep == r.rep => alt,
                                    _ => c.rep,
                                },
                                address_pairs: weight,
                            }),
                        }
                    }
                }
                cells.push(cell_of(&mut parts[first..], &outcomes, first as u32));
            }
            (cells, parts)
        })
        .collect();
    let mut cells = Vec::with_capacity(row_members.len() * column_members.len());
    let mut parts = Vec::new();
    for (row_cells, row_parts) in per_row {
        let base = parts.len() as u32;
        cells.extend(row_cells.into_iter().map(|mut c| {
            c.first += base;
            c
        }));
        parts.extend(row_parts);
    }

    let stats = ReachStats {
        cells: cells.len(),
        atoms: atoms.len(),
        source_classes: source_classes.reps.len(),
        destination_classes: destination_classes.reps.len(),
        traces: pairs.len() - reused,
        reused,
    };
    let mut assumptions = vec![
        "each address class is traced once, from a representative address (a NIC's where the class holds one)"
            .to_string(),
        "the first four and the last address of every subnet are reserved by Azure and left out".to_string(),
        "the guest OS of every NVA forwards what Azure delivers to it, without SNAT".to_string(),
    ];
    if !query.evaluate_nsgs {
        assumptions.push("NSGs were not evaluated (routing only)".to_string());
    }
    if let Some(ip) = query.internet {
        assumptions.push(format!("the Internet column stands for {ip}; a user route for a narrower public prefix can treat other addresses differently"));
    }
    ReachMatrix { rows, columns, cells, parts, outcomes, stats, errors, assumptions }
}

/// Orders a cell's outcomes (largest first) and sums them up.
fn cell_of(parts: &mut [CellOutcome], outcomes: &[PairOutcome], first: u32) -> ReachCell {
    let reach = |p: &CellOutcome| outcomes[p.outcome as usize].reach;
    let code = |p: &CellOutcome| outcomes[p.outcome as usize].code;
    parts.sort_by(|a, b| b.address_pairs.cmp(&a.address_pairs).then(reach(a).cmp(&reach(b))));
    let len = parts.len() as u32;
    match &*parts {
        [] => ReachCell { reach: Reachability::Dropped, code: Some("NoHostAtDestination"), first, len },
        [first_part, rest @ ..] => {
            let same_reach = rest.iter().all(|m| reach(m) == reach(first_part));
            let same_code = rest.iter().all(|m| code(m) == code(first_part));
            ReachCell {
                reach: if same_reach { reach(first_part) } else { Reachability::Mixed },
                code: if same_code { code(first_part) } else { None },
                first,
                len,
            }
        }
    }
}

/// Traces one representative pair.
pub(crate) fn trace_pair(
    tracer: &Tracer<'_, '_>,
    query: &ReachQuery,
    src_ip: IpAddr,
    src_nic: Option<NicIdx>,
    src_subnet: Option<SubnetIdx>,
    dst_ip: IpAddr,
) -> PairOutcome {
    trace_pair_with(tracer, query, src_ip, src_nic, src_subnet, dst_ip, false).0
}

fn trace_pair_consulting(
    tracer: &Tracer<'_, '_>,
    query: &ReachQuery,
    src_ip: IpAddr,
    src_nic: Option<NicIdx>,
    src_subnet: Option<SubnetIdx>,
    dst_ip: IpAddr,
) -> (PairOutcome, Option<Consulted>) {
    trace_pair_with(tracer, query, src_ip, src_nic, src_subnet, dst_ip, true)
}

/// Traces one representative pair, with what the trace consulted when asked (`None`:
/// unknown, as when routes could not be computed; such a result is recomputed after any
/// change).
fn trace_pair_with(
    tracer: &Tracer<'_, '_>,
    query: &ReachQuery,
    src_ip: IpAddr,
    src_nic: Option<NicIdx>,
    src_subnet: Option<SubnetIdx>,
    dst_ip: IpAddr,
    consulting: bool,
) -> (PairOutcome, Option<Consulted>) {
    if src_ip == dst_ip {
        // A host talking to itself never reaches the network.
        let outcome = PairOutcome {
            reach: Reachability::Delivered,
            verdict: Verdict::Delivered,
            code: None,
            failed: None,
            nvas: Vec::new(),
            codes: Vec::new(),
        };
        return (outcome, Some(Consulted::default()));
    }
    let source = match (src_nic, src_subnet) {
        (Some(nic), _) => TraceSource::Nic { nic, ip: src_ip },
        (None, Some(subnet)) => TraceSource::Host { subnet, ip: src_ip },
        (None, None) => TraceSource::External(src_ip),
    };
    let request = TraceRequest {
        source,
        destination: dst_ip,
        protocol: query.protocol,
        source_port: query.source_port,
        destination_port: query.destination_port,
    };
    match tracer.trace(request) {
        Ok(trace) if !consulting => (outcome_of(&trace), None),
        Ok(trace) => {
            let mut subnets: Vec<SubnetIdx> = src_subnet.into_iter().collect();
            let mut vnets: Vec<VnetIdx> = Vec::new();
            for path in std::iter::once(&trace.forward).chain(trace.reverse.as_ref()) {
                subnets.extend(path.consulted.iter().copied());
                vnets.extend(path.consulted_vnets.iter().copied());
            }
            let snap = tracer.routes.snap();
            vnets.extend(subnets.iter().map(|s| snap.subnets[s.index()].vnet));
            subnets.sort_unstable();
            subnets.dedup();
            vnets.sort_unstable();
            vnets.dedup();
            (outcome_of(&trace), Some(Consulted { subnets, vnets }))
        }
        Err(_) => (
            PairOutcome {
                reach: Reachability::Dropped,
                verdict: Verdict::Dropped,
                code: Some("IncompleteSnapshot"),
                failed: Some(FailedDirection::Request),
                nvas: Vec::new(),
                codes: vec!["IncompleteSnapshot"],
            },
            None,
        ),
    }
}

/// What one trace consulted: the subnets whose routes or NSGs decided something and the VNets
/// whose peerings, gateways or subnets did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Consulted {
    pub subnets: Vec<SubnetIdx>,
    pub vnets: Vec<VnetIdx>,
}

/// What a change may have altered: traces that consulted none of it keep their outcome.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Invalidation {
    pub subnets: HashSet<SubnetIdx>,
    pub vnets: HashSet<VnetIdx>,
    /// Everything is stale (the query changed, or a change of another kind).
    pub all: bool,
}

impl Invalidation {
    fn stales(&self, consulted: &Option<Consulted>) -> bool {
        match consulted {
            None => true,
            Some(c) => {
                self.all
                    || c.subnets.iter().any(|s| self.subnets.contains(s))
                    || c.vnets.iter().any(|v| self.vnets.contains(v))
            }
        }
    }
}

/// The representative pairs a matrix traced, keyed by addresses, with their outcomes and what
/// each consulted: the memory of incremental reachability.
#[derive(Clone, Debug, Default)]
pub struct PairCache {
    entries: HashMap<PairKey, (PairOutcome, Option<Consulted>)>,
    /// The flow the outcomes are for.
    flow: Option<(Protocol, u16, u16, bool)>,
}

type PairKey = (IpAddr, Option<NicIdx>, Option<SubnetIdx>, IpAddr);

impl PairCache {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Traces one concrete address pair, without classes: the naive reference the matrix is
/// checked against. `tracer` comes from [`reach_tracer`].
pub fn reach_pair(
    tracer: &Tracer<'_, '_>,
    query: &ReachQuery,
    src_subnet: SubnetIdx,
    src_ip: IpAddr,
    dst_ip: IpAddr,
) -> PairOutcome {
    let nic = tracer.nic_owning(src_ip).filter(|n| tracer.routes.nic_subnet(*n).ok() == Some(src_subnet));
    trace_pair(tracer, query, src_ip, nic, Some(src_subnet), dst_ip)
}
