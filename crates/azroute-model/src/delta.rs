//! Comparing resources by content (what they say, not where they were read), and the delta
//! between two snapshots of one estate when it is made only of changes the engine can apply
//! incrementally: a route table's routes, route table associations, peering settings and
//! peering deletions.

use std::fmt::Debug;

use crate::snapshot::Snapshot;
use crate::*;
use crate::{PeeringIdx, RouteTableIdx, SubnetIdx};

/// Access to the origin of every resource, to compare resources without it.
pub trait HasOrigin: Debug + Clone {
    fn origin_mut(&mut self) -> &mut Origin;
    fn origin_ref(&self) -> &Origin;
    fn id_str(&self) -> &str;
    /// Forgets where nested items (routes, rules) were read, too.
    fn clear_nested_origins(&mut self) {}
}

macro_rules! has_origin {
    ($($t:ty),*) => {$(
        impl HasOrigin for $t {
            fn origin_mut(&mut self) -> &mut Origin { &mut self.origin }
            fn origin_ref(&self) -> &Origin { &self.origin }
            fn id_str(&self) -> &str { self.id.as_str() }
        }
    )*};
}

has_origin!(
    Vnet,
    Subnet,
    Peering,
    Route,
    Nic,
    Vm,
    VnetGateway,
    LocalNetworkGateway,
    Connection,
    SecurityRule,
    PrivateEndpoint,
    LoadBalancer,
    PublicIp
);

impl HasOrigin for RouteTable {
    fn origin_mut(&mut self) -> &mut Origin {
        &mut self.origin
    }
    fn origin_ref(&self) -> &Origin {
        &self.origin
    }
    fn id_str(&self) -> &str {
        self.id.as_str()
    }
    fn clear_nested_origins(&mut self) {
        for r in &mut self.routes {
            r.origin = Origin::default();
        }
    }
}

impl HasOrigin for Nsg {
    fn origin_mut(&mut self) -> &mut Origin {
        &mut self.origin
    }
    fn origin_ref(&self) -> &Origin {
        &self.origin
    }
    fn id_str(&self) -> &str {
        self.id.as_str()
    }
    fn clear_nested_origins(&mut self) {
        for r in &mut self.rules {
            r.origin = Origin::default();
        }
    }
}

/// Content of a resource without where it (or anything nested in it) was read, case-folded
/// (ids are case-insensitive).
pub fn content<T: HasOrigin>(item: &T) -> String {
    let mut copy = item.clone();
    *copy.origin_mut() = Origin::default();
    copy.clear_nested_origins();
    format!("{copy:?}").to_ascii_lowercase()
}

/// The changes that turn one snapshot into another, in the first one's indices.
#[derive(Clone, Debug, Default)]
pub struct SnapshotDelta {
    /// Route tables whose routes differ, with the new routes.
    pub routes: Vec<(RouteTableIdx, Vec<Route>)>,
    /// Subnets whose route table differs, with the new one.
    pub associations: Vec<(SubnetIdx, Option<RouteTableIdx>)>,
    /// Peerings whose settings differ, with the new object (re-indexed to the first snapshot).
    pub peerings: Vec<(PeeringIdx, Peering)>,
    /// Peerings that no longer exist.
    pub removed_peerings: Vec<PeeringIdx>,
}

impl SnapshotDelta {
    pub fn len(&self) -> usize {
        self.routes.len() + self.associations.len() + self.peerings.len() + self.removed_peerings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn same_ids<T: HasOrigin>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.id_str().eq_ignore_ascii_case(y.id_str()))
}

fn same_content<T: HasOrigin>(what: &str, a: &[T], b: &[T]) -> Result<(), String> {
    if !same_ids(a, b) {
        return Err(format!("{what} were added or removed"));
    }
    match a.iter().zip(b).find(|(x, y)| content(*x) != content(*y)) {
        Some((x, _)) => Err(format!("{what} `{}` changed", x.id_str())),
        None => Ok(()),
    }
}

/// The delta from `before` to `after` when it consists only of route, association and
/// peering changes on the same resources; otherwise why not.
pub fn snapshot_delta(before: &Snapshot, after: &Snapshot) -> Result<SnapshotDelta, String> {
    let mut delta = SnapshotDelta::default();
    // Peerings: the same, changed, or removed — never added.
    let mut peering_map: Vec<Option<PeeringIdx>> = vec![None; after.peerings.len()];
    let mut found = vec![false; before.peerings.len()];
    for (ai, p) in after.peerings.iter().enumerate() {
        let key = p.id.key();
        let Some(bi) = before.peerings.iter().position(|q| q.id.key() == key) else {
            return Err(format!("peering `{}` was added", p.id));
        };
        peering_map[ai] = Some(PeeringIdx(bi as u32));
        found[bi] = true;
    }
    let reindex =
        |list: &[PeeringIdx]| -> Vec<PeeringIdx> { list.iter().filter_map(|p| peering_map[p.index()]).collect() };
    // VNets: same, apart from the peerings they list.
    if !same_ids(&before.vnets, &after.vnets) {
        return Err("virtual networks were added or removed".into());
    }
    for (b, a) in before.vnets.iter().zip(&after.vnets) {
        let mut a2 = a.clone();
        a2.peerings = reindex(&a.peerings);
        let mut b2 = b.clone();
        b2.peerings.retain(|p| found[p.index()]);
        if content(&a2) != content(&b2) {
            return Err(format!("virtual network `{}` changed", b.id));
        }
    }
    for (bi, was_found) in found.iter().enumerate() {
        if !was_found {
            delta.removed_peerings.push(PeeringIdx(bi as u32));
        }
    }
    for (ai, a) in after.peerings.iter().enumerate() {
        let bi = peering_map[ai].expect("mapped above");
        if content(a) != content(&before.peerings[bi.index()]) {
            delta.peerings.push((bi, a.clone()));
        }
    }
    // Route tables: same tables; routes may differ.
    if !same_ids(&before.route_tables, &after.route_tables) {
        return Err("route tables were added or removed".into());
    }
    for (i, (b, a)) in before.route_tables.iter().zip(&after.route_tables).enumerate() {
        let (mut b2, mut a2) = (b.clone(), a.clone());
        b2.routes.clear();
        a2.routes.clear();
        if content(&b2) != content(&a2) {
            return Err(format!("route table `{}` changed beyond its routes", b.id));
        }
        let routes = |t: &RouteTable| t.routes.iter().map(content).collect::<Vec<_>>();
        if routes(b) != routes(a) {
            delta.routes.push((RouteTableIdx(i as u32), a.routes.clone()));
        }
    }
    // Subnets: same subnets; the route table may differ.
    if !same_ids(&before.subnets, &after.subnets) {
        return Err("subnets were added or removed".into());
    }
    for (i, (b, a)) in before.subnets.iter().zip(&after.subnets).enumerate() {
        let (mut b2, mut a2) = (b.clone(), a.clone());
        b2.route_table = None;
        a2.route_table = None;
        if content(&b2) != content(&a2) {
            return Err(format!("subnet `{}` changed beyond its route table", b.id));
        }
        if b.route_table != a.route_table {
            match &a.route_table {
                None => delta.associations.push((SubnetIdx(i as u32), None)),
                Some(Link::Resolved(t)) => delta.associations.push((SubnetIdx(i as u32), Some(*t))),
                Some(Link::Missing(id)) => return Err(format!("subnet `{}` names a missing route table `{id}`", b.id)),
            }
        }
    }
    same_content("network interfaces", &before.nics, &after.nics)?;
    same_content("virtual machines", &before.vms, &after.vms)?;
    same_content("gateways", &before.gateways, &after.gateways)?;
    same_content("local network gateways", &before.local_gateways, &after.local_gateways)?;
    same_content("connections", &before.connections, &after.connections)?;
    same_content("NSGs", &before.nsgs, &after.nsgs)?;
    same_content("private endpoints", &before.private_endpoints, &after.private_endpoints)?;
    same_content("load balancers", &before.load_balancers, &after.load_balancers)?;
    same_content("public IPs", &before.public_ips, &after.public_ips)?;
    if format!("{:?}", before.service_tags) != format!("{:?}", after.service_tags) {
        return Err("the service tags differ".into());
    }
    Ok(delta)
}
