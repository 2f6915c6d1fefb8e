//! The delta between two snapshots of one estate when it is made only of changes the engine can apply
//! incrementally: a route table's routes, route table associations, peering settings and
//! peering deletions.

use crate::content::{HasOrigin, SameContent};
use crate::snapshot::Snapshot;
use crate::*;
use crate::{PeeringIdx, RouteTableIdx, SubnetIdx};

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
    match a.iter().zip(b).find(|(x, y)| !x.same_content(y)) {
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
        if !a2.same_content(&b2) {
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
        if !a.same_content(&before.peerings[bi.index()]) {
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
        if !b2.same_content(&a2) {
            return Err(format!("route table `{}` changed beyond its routes", b.id));
        }
        if !(b.routes.len() == a.routes.len() && b.routes.iter().zip(&a.routes).all(|(x, y)| x.same_content(y))) {
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
        if !b2.same_content(&a2) {
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
    same_content("firewalls", &before.firewalls, &after.firewalls)?;
    same_content("firewall policies", &before.firewall_policies, &after.firewall_policies)?;
    same_content("IP groups", &before.ip_groups, &after.ip_groups)?;
    same_content("NAT gateways", &before.nat_gateways, &after.nat_gateways)?;
    same_content("public IP prefixes", &before.public_ip_prefixes, &after.public_ip_prefixes)?;
    same_content("application gateways", &before.application_gateways, &after.application_gateways)?;
    same_content("Bastion hosts", &before.bastion_hosts, &after.bastion_hosts)?;
    same_content("DNS resolver inbound endpoints", &before.dns_inbound_endpoints, &after.dns_inbound_endpoints)?;
    same_content("VM scale sets", &before.scale_sets, &after.scale_sets)?;
    if let Some(change) = after.avnm.changes_since(&before.avnm).first() {
        return Err(match change.kind {
            Some(kind) => format!("the Virtual Network Manager {}s differ", kind.noun()),
            None => "the Virtual Network Manager deployment state or effective answers differ".into(),
        });
    }
    same_content("virtual hubs", &before.virtual_hubs, &after.virtual_hubs)?;
    if !before.vwan.same_content(&after.vwan) {
        return Err("the Virtual WAN resources differ".into());
    }
    if !before.service_tags.same_content(&after.service_tags) {
        return Err("the service tags differ".into());
    }
    Ok(delta)
}
