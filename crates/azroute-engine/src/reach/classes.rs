//! Address classes: runs of addresses with the same atom, VNet, route context, subnet NSG and
//! endpoint, which behave alike as sources and as destinations; interned per matrix, with the
//! members (class runs) of each row and column.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};

use azroute_model::*;
use ipnet::IpNet;
use rustc_hash::FxHashMap as HashMap;

use super::atoms::{Atoms, atoms, host_range, special_addresses, v4_range};
use super::{Column, ReachQuery, columns};
use crate::{ContextKey, RouteEngine, RouteError};

/// The classes of a matrix's rows and columns and the members of each: what its class pairs
/// and cells are made from, owned (the engine's incremental `reach` keeps them across route
/// changes that leave them alone, `super::kept`).
pub(super) struct MatrixClasses {
    /// How many atoms split the address space.
    pub(super) atoms: usize,
    pub(super) sources: Classes,
    pub(super) destinations: Classes,
    pub(super) rows: Rows,
    pub(super) columns: Vec<Column>,
    pub(super) column_members: Vec<Vec<Member>>,
}

impl MatrixClasses {
    /// Every class of `query`'s rows and columns.
    pub(super) fn build(engine: &RouteEngine<'_>, query: &ReachQuery) -> MatrixClasses {
        let mut space = ClassSpace::new(engine);
        let rows = space.rows(&query.sources);
        let columns = columns(engine, query);
        let column_members = space.columns(&columns);
        MatrixClasses {
            atoms: space.atoms.len(),
            sources: std::mem::take(&mut space.sources),
            destinations: std::mem::take(&mut space.destinations),
            rows,
            columns,
            column_members,
        }
    }

    /// The IPv4 ranges whose atoms decide the members (each row's and subnet column's host
    /// ranges, each prefix column's range, the Internet column's address), sorted and merged:
    /// a prefix that meets none of them cannot split or merge any member.
    pub(super) fn member_ranges(&self, snap: &Snapshot) -> Vec<(u32, u32)> {
        let subnets = self.rows.subnets.iter().chain(self.columns.iter().filter_map(|c| match c {
            Column::Subnet(s) => Some(s),
            _ => None,
        }));
        let mut ranges: Vec<(u32, u32)> = subnets
            .flat_map(|s| snap.subnets[s.index()].prefixes.iter())
            .filter_map(|p| match p {
                IpNet::V4(net) => host_range(net),
                IpNet::V6(_) => None,
            })
            .collect();
        for column in &self.columns {
            match column {
                Column::OnPremises { prefix: IpNet::V4(net), .. } => ranges.push(v4_range(net)),
                Column::Branch(b) => {
                    if let IpNet::V4(net) = &b.prefix {
                        ranges.push(v4_range(net));
                    }
                }
                Column::Internet(IpAddr::V4(a)) => ranges.push((u32::from(*a), u32::from(*a))),
                _ => {}
            }
        }
        crate::ranges::merged(ranges)
    }
}

/// The classes of a matrix's rows and columns, interned as they are met (rows first, then
/// columns, each in order), with what deciding a class needs.
pub(super) struct ClassSpace<'e, 's> {
    engine: &'e RouteEngine<'s>,
    pub(super) atoms: Atoms,
    hosts: Vec<Vec<(u32, NicIdx, Endpoint)>>,
    specials: BTreeSet<u32>,
    /// Route contexts, interned: a subnet address's context is part of its class.
    context_ids: HashMap<ContextKey, u32>,
    pub(super) sources: Classes,
    pub(super) destinations: Classes,
}

impl<'e, 's> ClassSpace<'e, 's> {
    pub(super) fn new(engine: &'e RouteEngine<'s>) -> Self {
        let snap = engine.snap();
        let atoms = atoms(engine);
        let hosts = subnet_hosts(snap, engine);
        let specials = special_addresses(snap);
        ClassSpace {
            engine,
            atoms,
            hosts,
            specials,
            context_ids: HashMap::default(),
            sources: Classes::default(),
            destinations: Classes::default(),
        }
    }

    fn context_id(&mut self, key: ContextKey) -> u32 {
        let n = self.context_ids.len() as u32;
        *self.context_ids.entry(key).or_insert(n)
    }

    /// The rows: every source subnet whose routes can be computed, with its members; the
    /// others with why not.
    pub(super) fn rows(&mut self, sources: &[SubnetIdx]) -> Rows {
        let snap = self.engine.snap();
        let mut rows = Rows::default();
        for &s in sources {
            let context = match self.engine.context_key(s) {
                Ok(key) => self.context_id(key),
                Err(e) => {
                    rows.errors.push((s, e));
                    continue;
                }
            };
            rows.subnets.push(s);
            let members_of = SubnetMembers { atoms: &self.atoms, hosts: &self.hosts, specials: &self.specials };
            rows.members.push(members_of.members(snap, s, Some(context), true, &mut self.sources));
        }
        rows
    }

    /// The members of every column.
    pub(super) fn columns(&mut self, columns: &[Column]) -> Vec<Vec<Member>> {
        columns
            .iter()
            .map(|c| match c {
                Column::Subnet(s) => self.subnet_column(*s),
                Column::OnPremises { prefix, .. } => self.prefix_column(prefix),
                Column::Branch(b) => self.prefix_column(&b.prefix),
                Column::Internet(ip) => self.internet_column(*ip),
            })
            .collect()
    }

    fn subnet_column(&mut self, s: SubnetIdx) -> Vec<Member> {
        // The reply starts in the destination subnet: its routes matter too.
        let context = self.engine.context_key(s).ok().map(|key| self.context_id(key));
        let members_of = SubnetMembers { atoms: &self.atoms, hosts: &self.hosts, specials: &self.specials };
        members_of.members(self.engine.snap(), s, context, false, &mut self.destinations)
    }

    fn prefix_column(&mut self, prefix: &IpNet) -> Vec<Member> {
        let IpNet::V4(net) = prefix else { return Vec::new() };
        let (lo, hi) = v4_range(net);
        let atoms = &self.atoms;
        let destinations = &mut self.destinations;
        atoms
            .split(lo, hi)
            .into_iter()
            .map(|(a, b)| {
                let key = ClassKey {
                    atom: atoms.atom_of(a),
                    vnet: None,
                    firewall_subnet: None,
                    context: None,
                    subnet_nsg: None,
                    endpoint: Endpoint::Plain,
                };
                // Not the network address itself where the atom has others.
                let rep = IpAddr::V4(Ipv4Addr::from(if b > a { a + 1 } else { a }));
                let alt = (b > a).then(|| IpAddr::V4(Ipv4Addr::from(a)));
                let class = destinations.intern(key, rep, None, None, alt);
                Member { class, rep, size: (b - a) as u128 + 1 }
            })
            .collect()
    }

    fn internet_column(&mut self, ip: IpAddr) -> Vec<Member> {
        let atom = match ip {
            IpAddr::V4(a) => self.atoms.atom_of(u32::from(a)),
            IpAddr::V6(_) => u32::MAX,
        };
        let key = ClassKey {
            atom,
            vnet: None,
            firewall_subnet: None,
            context: None,
            subnet_nsg: None,
            endpoint: Endpoint::Unique(ip),
        };
        let class = self.destinations.intern(key, ip, None, None, None);
        vec![Member { class, rep: ip, size: 1 }]
    }
}

/// The rows of a matrix: subnets, the members of each, and the subnets left out.
#[derive(Default)]
pub(super) struct Rows {
    pub(super) subnets: Vec<SubnetIdx>,
    pub(super) members: Vec<Vec<Member>>,
    pub(super) errors: Vec<(SubnetIdx, RouteError)>,
}

/// What holds an address, as far as NSGs and replies can tell.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum Endpoint {
    /// A host without NSG or application security groups of its own (a NIC without them, or
    /// an address no NIC holds).
    Plain,
    /// A NIC with its own NSG or ASGs.
    Nic { nsg: Option<NsgIdx>, asgs: Vec<String> },
    /// Something unique (a load balancer frontend, a private endpoint, a gateway instance, a
    /// NIC whose address is on a secondary configuration in another subnet): its own class.
    Unique(IpAddr),
}

/// What makes two addresses behave alike, as sources and as destinations.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ClassKey {
    atom: u32,
    vnet: Option<VnetIdx>,
    /// A firewall's own subnet: its instances end the flows they start there, so a reply
    /// to them is not one the firewall forwards (§16.5).
    firewall_subnet: Option<SubnetIdx>,
    context: Option<u32>,
    subnet_nsg: Option<NsgIdx>,
    endpoint: Endpoint,
}

/// A run of addresses of one class inside one column or row.
#[derive(Clone, Copy, Debug)]
pub(super) struct Member {
    pub(super) class: u32,
    pub(super) rep: IpAddr,
    pub(super) size: u128,
}

/// Interns class keys.
#[derive(Default)]
pub(super) struct Classes {
    ids: HashMap<ClassKey, u32>,
    /// Per class: a representative address and how to trace from it.
    pub(super) reps: Vec<(IpAddr, Option<NicIdx>, Option<SubnetIdx>)>,
    /// Another address of the class, to stand for it when it is paired with itself.
    pub(super) alts: Vec<Option<IpAddr>>,
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

/// Whether a subnet is an Azure Firewall's `AzureFirewallSubnet`.
fn is_firewall_subnet(snap: &Snapshot, subnet: SubnetIdx) -> bool {
    snap.firewalls.iter().any(|f| f.subnet() == Some(subnet))
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
            // A NIC of a stopped VM answers nothing (§11.1): its own class, never merged with
            // running hosts.
            let stopped =
                nic.vm.as_ref().and_then(|l| l.resolved()).is_some_and(|v| snap.vms[v.index()].stopped().is_some());
            let endpoint = if primary_subnet != Some(s) || stopped {
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
        let firewall_subnet = is_firewall_subnet(snap, subnet).then_some(subnet);
        let hosts = &self.hosts[subnet.index()];
        let mut out = Vec::new();
        for prefix in &s.prefixes {
            let IpNet::V4(net) = prefix else { continue };
            let Some((lo, hi)) = host_range(net) else { continue };
            for (a, b) in self.atoms.split(lo, hi) {
                let atom = self.atoms.atom_of(a);
                let key = |endpoint: Endpoint| ClassKey { atom, vnet, firewall_subnet, context, subnet_nsg, endpoint };
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
