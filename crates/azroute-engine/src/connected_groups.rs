//! Azure Virtual Network Manager connected groups (§18.2, AV-C1…AV-C5): which VNets a
//! connectivity configuration joins without peering objects, and the one `ConnectedGroup` route
//! each member's NICs show, listing every other member's prefixes.
//!
//! A mesh joins the VNets of all the configuration's groups (AV-C1); a hub-and-spoke
//! configuration joins the spokes of each `DirectlyConnected` group (AV-C3). Either is regional
//! (one connected group per region) unless `isGlobal`. Deployment and membership (§18.6): a VNet
//! with an effective-connectivity answer is a member exactly of the configurations it lists
//! (dynamic members included); otherwise its static membership counts where the configuration is
//! deployed in its region, and everywhere when the snapshot holds no deployment state for it
//! (assumed deployed, §18.5).

use std::collections::BTreeMap;

use azroute_model::*;
use ipnet::IpNet;

/// One connected group: VNets joined by one connectivity configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectedGroup {
    /// Index into `Snapshot::avnm.connectivity_configurations`.
    pub configuration: usize,
    /// The network groups whose members it joins.
    pub network_groups: Vec<ArmId>,
    /// Members, in index order.
    pub members: Vec<VnetIdx>,
    /// `isGlobal`: across regions; otherwise every member is in `region`.
    pub global: bool,
    pub region: String,
}

/// Every connected group of a snapshot, and the groups each VNet belongs to.
#[derive(Clone, Debug, Default)]
pub struct ConnectedGroups {
    pub groups: Vec<ConnectedGroup>,
    /// VNet index → indices into `groups`.
    by_vnet: Vec<Vec<u32>>,
}

/// The VNets statically put in a network group (dynamic members come from Azure Policy and are
/// not exported, §18.1). Members that are not a VNet of the snapshot are left out.
pub fn network_group_vnets(snap: &Snapshot, group: &ArmId) -> Vec<VnetIdx> {
    let mut out: Vec<VnetIdx> = snap
        .avnm
        .static_members
        .iter()
        .filter(|m| m.group == *group)
        .filter_map(|m| snap.resolve_id(ResourceKind::VirtualNetwork, m.resource.as_str()).map(VnetIdx))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The subnets statically put in a network group of `memberType` `Subnet` (§18.10): members
/// that are not a subnet of the snapshot are left out.
pub fn network_group_subnets(snap: &Snapshot, group: &ArmId) -> Vec<SubnetIdx> {
    let mut out: Vec<SubnetIdx> = (snap.avnm.static_members.iter())
        .filter(|m| m.group == *group)
        .filter_map(|m| snap.resolve_id(ResourceKind::Subnet, m.resource.as_str()).map(SubnetIdx))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The VNets `configuration` joins through network group `group` (§18.6, `Avnm::joins`).
pub fn configuration_members(
    snap: &Snapshot,
    configuration: &ConnectivityConfiguration,
    group: &ArmId,
) -> Vec<VnetIdx> {
    let mut out: Vec<VnetIdx> = snap
        .avnm
        .candidate_vnets(group)
        .filter_map(|id| snap.resolve_id(ResourceKind::VirtualNetwork, id.as_str()).map(VnetIdx))
        .filter(|v| {
            let vnet = &snap.vnets[v.index()];
            snap.avnm.joins(configuration, group, &vnet.id, &vnet.location)
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

impl ConnectedGroups {
    pub fn build(snap: &Snapshot) -> ConnectedGroups {
        let mut groups = Vec::new();
        for (ci, config) in snap.avnm.connectivity_configurations.iter().enumerate() {
            match config.topology {
                ConnectivityTopology::Mesh => {
                    let ids: Vec<ArmId> = config.applies_to.iter().map(|g| g.network_group.clone()).collect();
                    let global = config.is_global || config.applies_to.iter().any(|g| g.is_global);
                    push_regional(snap, &mut groups, (ci, config), ids, global);
                }
                ConnectivityTopology::HubAndSpoke => {
                    for item in config.applies_to.iter().filter(|g| g.directly_connected) {
                        let global = item.is_global || config.is_global;
                        push_regional(snap, &mut groups, (ci, config), vec![item.network_group.clone()], global);
                    }
                }
                ConnectivityTopology::Other(_) => {}
            }
        }
        let mut by_vnet = vec![Vec::new(); snap.vnets.len()];
        for (gi, g) in groups.iter().enumerate() {
            for v in &g.members {
                by_vnet[v.index()].push(gi as u32);
            }
        }
        ConnectedGroups { groups, by_vnet }
    }

    /// The connected groups a VNet is a member of.
    pub fn of_vnet(&self, vnet: VnetIdx) -> &[u32] {
        self.by_vnet.get(vnet.index()).map_or(&[], |v| v.as_slice())
    }

    /// The member of `group` whose address space holds `ip` (the first, if several overlap).
    pub fn member_holding(&self, snap: &Snapshot, group: u32, ip: std::net::IpAddr) -> Option<VnetIdx> {
        let g = self.groups.get(group as usize)?;
        g.members.iter().copied().find(|v| snap.vnets[v.index()].address_space.iter().any(|r| r.contains(&ip)))
    }

    /// What `vnet`'s `ConnectedGroup` route of `group` lists: every other member's ranges and,
    /// apart, those left out because they overlap the local VNet or another member (AV-C5,
    /// option `connected_group_overlap`).
    pub fn route_prefixes(
        &self,
        snap: &Snapshot,
        options: &ModelOptions,
        group: u32,
        vnet: VnetIdx,
    ) -> (Vec<IpNet>, Vec<IpNet>) {
        let g = &self.groups[group as usize];
        let local = &snap.vnets[vnet.index()].address_space;
        let mut kept = Vec::new();
        let mut dropped = Vec::new();
        for &m in g.members.iter().filter(|&&m| m != vnet) {
            for range in &snap.vnets[m.index()].address_space {
                let overlaps = |other: &IpNet| contains_prefix(other, range) || contains_prefix(range, other);
                let clash = local.iter().any(overlaps)
                    || g.members
                        .iter()
                        .filter(|&&o| o != m && o != vnet)
                        .any(|&o| snap.vnets[o.index()].address_space.iter().any(overlaps));
                if clash && options.connected_group_overlap == ConnectedGroupOverlap::DropOverlapping {
                    dropped.push(*range);
                } else if !kept.contains(range) {
                    kept.push(*range);
                }
            }
        }
        (kept, dropped)
    }
}

/// One connected group per region of the members (or one for all when global).
fn push_regional(
    snap: &Snapshot,
    groups: &mut Vec<ConnectedGroup>,
    (ci, config): (usize, &ConnectivityConfiguration),
    ids: Vec<ArmId>,
    global: bool,
) {
    let mut members: Vec<VnetIdx> = ids.iter().flat_map(|id| configuration_members(snap, config, id)).collect();
    members.sort();
    members.dedup();
    let mut by_region: BTreeMap<String, Vec<VnetIdx>> = BTreeMap::new();
    for v in members {
        let region = if global { String::new() } else { snap.vnets[v.index()].location.clone() };
        by_region.entry(region).or_default().push(v);
    }
    for (region, members) in by_region {
        if members.len() > 1 {
            groups.push(ConnectedGroup { configuration: ci, network_groups: ids.clone(), members, global, region });
        }
    }
}
