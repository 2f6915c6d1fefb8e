//! Resolving ids to typed indices: exact and `resourceGroups/`-relative lookup, references to
//! resources the export lacks (reported once per target), large kinds resolved in parallel.

use std::collections::{BTreeMap, HashMap};

use azroute_model::*;

/// Exact and `resourceGroups/…`-relative lookup of normalised keys.
pub(super) struct KeyIndex {
    exact: HashMap<String, u32>,
    relative: HashMap<String, Vec<u32>>,
}

impl KeyIndex {
    pub(super) fn new<'k>(keys: impl Iterator<Item = &'k str>) -> KeyIndex {
        let mut exact = HashMap::new();
        let mut relative: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, key) in keys.enumerate() {
            exact.insert(key.to_string(), i as u32);
            if let Some(rel) = rg_relative_key(key) {
                relative.entry(rel.to_string()).or_default().push(i as u32);
            }
        }
        KeyIndex { exact, relative }
    }

    pub(super) fn get(&self, key: &str) -> Option<u32> {
        if let Some(&i) = self.exact.get(key) {
            return Some(i);
        }
        let rel = rg_relative_key(key)?;
        match self.relative.get(rel).map(|v| v.as_slice()) {
            Some([only]) => Some(*only),
            _ => None,
        }
    }
}

/// Each resource with its normalised id (computed here, in parallel, rather than kept from
/// parsing: the keys live only while their kind is sorted and deduplicated).
pub(super) fn keyed<T: HasOrigin + Send>(v: Vec<T>) -> Vec<(String, T)> {
    use rayon::prelude::*;
    v.into_par_iter().map(|item| (normalize_id(item.id_str()), item)).collect()
}

/// Tracks references to resources the export does not contain, reported once per target.
#[derive(Default)]
pub(super) struct Dangling {
    pub(super) targets: BTreeMap<String, (ResourceKind, String, usize, String)>,
}

impl Dangling {
    fn note(&mut self, kind: ResourceKind, target: &ArmId, referrer: &str) {
        let entry =
            self.targets.entry(target.key()).or_insert_with(|| (kind, target.to_string(), 0, referrer.to_string()));
        entry.2 += 1;
    }
}

impl Dangling {
    /// Adds another part's references, keeping the first referrer of each target (parts are
    /// absorbed in input order, so the result does not depend on how work was split).
    fn absorb(&mut self, other: Dangling) {
        for (key, (kind, id, count, referrer)) in other.targets {
            self.targets.entry(key).or_insert((kind, id, 0, referrer)).2 += count;
        }
    }
}

/// Resolves the references of a large vector in parallel chunks.
fn resolve_all<R: Send>(
    snapshot: &Snapshot,
    dangling: &mut Dangling,
    items: &mut [R],
    resolve_one: impl Fn(&Snapshot, &mut Dangling, &mut R) + Sync,
) {
    use rayon::prelude::*;
    let parts: Vec<Dangling> = items
        .par_chunks_mut(4096)
        .map(|chunk| {
            let mut d = Dangling::default();
            for item in chunk {
                resolve_one(snapshot, &mut d, item);
            }
            d
        })
        .collect();
    for part in parts {
        dangling.absorb(part);
    }
}

fn resolve<T: Copy>(
    snapshot: &Snapshot,
    dangling: &mut Dangling,
    link: &mut Link<T>,
    kind: ResourceKind,
    referrer: &str,
    make: fn(u32) -> T,
) {
    if let Link::Missing(id) = link {
        match snapshot.resolve_id(kind, id.as_str()) {
            Some(idx) => *link = Link::Resolved(make(idx)),
            None => dangling.note(kind, id, referrer),
        }
    }
}

fn resolve_opt<T: Copy>(
    snapshot: &Snapshot,
    dangling: &mut Dangling,
    link: &mut Option<Link<T>>,
    kind: ResourceKind,
    referrer: &str,
    make: fn(u32) -> T,
) {
    if let Some(l) = link {
        resolve(snapshot, dangling, l, kind, referrer, make);
    }
}

/// Resolves every reference of the snapshot. Each kind's references point at other kinds only,
/// so each vector in turn is taken out, resolved against the snapshot holding all the others
/// (lookups confirm a hit against the target's own id), and put back.
pub(super) fn resolve_references(snapshot: &mut Snapshot) -> Dangling {
    let mut dangling = Dangling::default();
    let d = &mut dangling;
    let mut subnets = std::mem::take(&mut snapshot.subnets);
    for s in &mut subnets {
        let who = s.id.as_str();
        resolve_opt(snapshot, d, &mut s.route_table, ResourceKind::RouteTable, who, RouteTableIdx);
        resolve_opt(snapshot, d, &mut s.nsg, ResourceKind::NetworkSecurityGroup, who, NsgIdx);
    }
    snapshot.subnets = subnets;
    let mut peerings = std::mem::take(&mut snapshot.peerings);
    for p in &mut peerings {
        let who = p.id.as_str();
        resolve(snapshot, d, &mut p.remote_vnet, ResourceKind::VirtualNetwork, who, VnetIdx);
    }
    snapshot.peerings = peerings;
    let mut nics = std::mem::take(&mut snapshot.nics);
    resolve_all(snapshot, d, &mut nics, |snap, d, n: &mut Nic| {
        let who = n.id.as_str();
        resolve_opt(snap, d, &mut n.nsg, ResourceKind::NetworkSecurityGroup, who, NsgIdx);
        resolve_opt(snap, d, &mut n.vm, ResourceKind::VirtualMachine, who, VmIdx);
        for c in &mut n.ip_configs {
            resolve_opt(snap, d, &mut c.subnet, ResourceKind::Subnet, who, SubnetIdx);
            resolve_opt(snap, d, &mut c.public_ip, ResourceKind::PublicIpAddress, who, PublicIpIdx);
        }
    });
    snapshot.nics = nics;
    let mut vms = std::mem::take(&mut snapshot.vms);
    resolve_all(snapshot, d, &mut vms, |snap, d, v: &mut Vm| {
        let who = v.id.as_str();
        for l in &mut v.nics {
            resolve(snap, d, l, ResourceKind::NetworkInterface, who, NicIdx);
        }
        resolve_opt(snap, d, &mut v.scale_set, ResourceKind::VirtualMachineScaleSet, who, ScaleSetIdx);
    });
    snapshot.vms = vms;
    resolve_gateway_links(snapshot, d);
    resolve_service_links(snapshot, d);
    resolve_firewall_links(snapshot, d);
    resolve_platform_links(snapshot, d);
    dangling
}

/// Firewalls' subnets, public IPs and policies; policies' parents; rules' IP groups.
fn resolve_firewall_links(snapshot: &mut Snapshot, d: &mut Dangling) {
    let resolve_rules = |snap: &Snapshot, d: &mut Dangling, collections: &mut [FwRuleCollection], who: &str| {
        for rule in collections.iter_mut().flat_map(|c| c.rules.iter_mut()) {
            for l in rule.source_ip_groups.iter_mut().chain(rule.destination_ip_groups.iter_mut()) {
                resolve(snap, d, l, ResourceKind::IpGroup, who, IpGroupIdx);
            }
        }
    };
    let mut firewalls = std::mem::take(&mut snapshot.firewalls);
    for f in &mut firewalls {
        let who = f.id.to_string();
        for c in f.ip_configs.iter_mut().chain(f.management_ip_config.iter_mut()) {
            resolve_opt(snapshot, d, &mut c.subnet, ResourceKind::Subnet, &who, SubnetIdx);
            resolve_opt(snapshot, d, &mut c.public_ip, ResourceKind::PublicIpAddress, &who, PublicIpIdx);
        }
        resolve_opt(snapshot, d, &mut f.policy, ResourceKind::FirewallPolicy, &who, FirewallPolicyIdx);
        resolve_rules(snapshot, d, &mut f.classic, &who);
    }
    snapshot.firewalls = firewalls;
    let mut policies = std::mem::take(&mut snapshot.firewall_policies);
    // A policy's parent is another policy: look it up among the ids taken out.
    let ids: Vec<String> = policies.iter().map(|p| normalize_id(p.id.as_str())).collect();
    for p in &mut policies {
        let who = p.id.to_string();
        if let Some(Link::Missing(parent)) = &p.base_policy {
            match ids.iter().position(|k| *k == normalize_id(parent.as_str())) {
                Some(i) => p.base_policy = Some(Link::Resolved(FirewallPolicyIdx(i as u32))),
                None => d.note(ResourceKind::FirewallPolicy, parent, &who),
            }
        }
        for g in &mut p.rule_collection_groups {
            resolve_rules(snapshot, d, &mut g.collections, g.id.as_str());
        }
    }
    snapshot.firewall_policies = policies;
}

/// Gateways' VNets, connections' gateways.
fn resolve_gateway_links(snapshot: &mut Snapshot, d: &mut Dangling) {
    let mut gateways = std::mem::take(&mut snapshot.gateways);
    for g in &mut gateways {
        let who = g.id.as_str();
        resolve_opt(snapshot, d, &mut g.vnet, ResourceKind::VirtualNetwork, who, VnetIdx);
        resolve_opt(snapshot, d, &mut g.default_site, ResourceKind::LocalNetworkGateway, who, LocalGatewayIdx);
    }
    snapshot.gateways = gateways;
    // A Route Server's VNet is the parent of its RouteServerSubnet.
    let mut hubs = std::mem::take(&mut snapshot.virtual_hubs);
    for h in &mut hubs {
        resolve_opt(snapshot, d, &mut h.vnet, ResourceKind::VirtualNetwork, h.id.as_str(), VnetIdx);
    }
    snapshot.virtual_hubs = hubs;
    let mut connections = std::mem::take(&mut snapshot.connections);
    for c in &mut connections {
        let who = c.id.as_str();
        resolve_opt(snapshot, d, &mut c.gateway1, ResourceKind::VirtualNetworkGateway, who, GatewayIdx);
        resolve_opt(snapshot, d, &mut c.gateway2, ResourceKind::VirtualNetworkGateway, who, GatewayIdx);
        resolve_opt(snapshot, d, &mut c.local_gateway2, ResourceKind::LocalNetworkGateway, who, LocalGatewayIdx);
    }
    snapshot.connections = connections;
}

/// Private endpoints' and load balancers' subnets and NICs.
fn resolve_service_links(snapshot: &mut Snapshot, d: &mut Dangling) {
    let mut pes = std::mem::take(&mut snapshot.private_endpoints);
    for p in &mut pes {
        let who = p.id.as_str();
        resolve_opt(snapshot, d, &mut p.subnet, ResourceKind::Subnet, who, SubnetIdx);
        resolve_opt(snapshot, d, &mut p.nic, ResourceKind::NetworkInterface, who, NicIdx);
    }
    snapshot.private_endpoints = pes;
    let mut lbs = std::mem::take(&mut snapshot.load_balancers);
    for lb in &mut lbs {
        let who = lb.id.as_str();
        for f in &mut lb.frontends {
            resolve_opt(snapshot, d, &mut f.subnet, ResourceKind::Subnet, who, SubnetIdx);
        }
        for l in &mut lb.backend_nics {
            resolve(snapshot, d, l, ResourceKind::NetworkInterface, who, NicIdx);
        }
    }
    snapshot.load_balancers = lbs;
}

/// Subnets' NAT gateways; NAT gateways' public IPs and prefixes; load balancers' public
/// frontends and outbound rules; the subnets and public IPs of platform services (§17.1).
fn resolve_platform_links(snapshot: &mut Snapshot, d: &mut Dangling) {
    let mut subnets = std::mem::take(&mut snapshot.subnets);
    for s in &mut subnets {
        resolve_opt(snapshot, d, &mut s.nat_gateway, ResourceKind::NatGateway, s.id.as_str(), NatGatewayIdx);
    }
    snapshot.subnets = subnets;
    let mut nat_gateways = std::mem::take(&mut snapshot.nat_gateways);
    for g in &mut nat_gateways {
        let who = g.id.as_str();
        for l in &mut g.public_ips {
            resolve(snapshot, d, l, ResourceKind::PublicIpAddress, who, PublicIpIdx);
        }
        for l in &mut g.public_ip_prefixes {
            resolve(snapshot, d, l, ResourceKind::PublicIpPrefix, who, PublicIpPrefixIdx);
        }
    }
    snapshot.nat_gateways = nat_gateways;
    let mut lbs = std::mem::take(&mut snapshot.load_balancers);
    for lb in &mut lbs {
        let who = lb.id.as_str();
        for f in &mut lb.frontends {
            resolve_opt(snapshot, d, &mut f.public_ip, ResourceKind::PublicIpAddress, who, PublicIpIdx);
        }
        for l in lb.outbound_rules.iter_mut().flat_map(|r| r.backend_nics.iter_mut()) {
            resolve(snapshot, d, l, ResourceKind::NetworkInterface, who, NicIdx);
        }
    }
    snapshot.load_balancers = lbs;
    let mut agws = std::mem::take(&mut snapshot.application_gateways);
    for a in &mut agws {
        for l in &mut a.subnets {
            resolve(snapshot, d, l, ResourceKind::Subnet, a.id.as_str(), SubnetIdx);
        }
    }
    snapshot.application_gateways = agws;
    let mut bastions = std::mem::take(&mut snapshot.bastion_hosts);
    for b in &mut bastions {
        let who = b.id.as_str();
        for l in &mut b.subnets {
            resolve(snapshot, d, l, ResourceKind::Subnet, who, SubnetIdx);
        }
        for l in &mut b.public_ips {
            resolve(snapshot, d, l, ResourceKind::PublicIpAddress, who, PublicIpIdx);
        }
    }
    snapshot.bastion_hosts = bastions;
    let mut endpoints = std::mem::take(&mut snapshot.dns_inbound_endpoints);
    for e in &mut endpoints {
        for l in &mut e.subnets {
            resolve(snapshot, d, l, ResourceKind::Subnet, e.id.as_str(), SubnetIdx);
        }
    }
    snapshot.dns_inbound_endpoints = endpoints;
    let mut scale_sets = std::mem::take(&mut snapshot.scale_sets);
    for v in &mut scale_sets {
        for l in &mut v.subnets {
            resolve(snapshot, d, l, ResourceKind::Subnet, v.id.as_str(), SubnetIdx);
        }
    }
    snapshot.scale_sets = scale_sets;
}
