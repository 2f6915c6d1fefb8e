//! The user routes an Azure Virtual Network Manager routing configuration writes (§18.4,
//! AV-R1…AV-R3), computed from the configuration itself so that `what-if` and `diff` show what
//! deploying it will do: every rule of every rule collection whose `appliesTo` names a network
//! group the VNet is a static member of, with the collection's `disableBgpRoutePropagation`,
//! where the configuration is deployed in the VNet's region (assumed deployed when the snapshot
//! holds no deployment state for it, §18.6). A collection that names a network group of
//! subnets (`memberType` `Subnet`, §18.10) applies to those subnets only.

use azroute_model::*;

use crate::connected_groups::{network_group_subnets, network_group_vnets};

/// What AVNM routing configurations program into the route tables of one VNet's subnets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ManagedRoutes {
    /// Indices into `Snapshot::avnm.routing_rules`, by collection id then rule id.
    pub rules: Vec<usize>,
    /// A collection applying to the VNet disables BGP route propagation (AV-R3).
    pub disable_bgp_route_propagation: bool,
}

/// Whether a routing rule collection names a subnet group holding `subnet`.
pub fn collection_targets_subnet(snap: &Snapshot, collection: &RoutingRuleCollection, subnet: SubnetIdx) -> bool {
    collection.applies_to.iter().any(|g| network_group_subnets(snap, g).contains(&subnet))
}

/// The managed routes of a VNet's subnets: every subnet alike through groups of VNets, and
/// `subnet` (when given) through groups of subnets.
pub fn managed_routes(snap: &Snapshot, vnet: VnetIdx, subnet: Option<SubnetIdx>) -> ManagedRoutes {
    let mut out = ManagedRoutes::default();
    if snap.avnm.routing_rules.is_empty() {
        return out;
    }
    let location = &snap.vnets[vnet.index()].location;
    for collection in &snap.avnm.routing_rule_collections {
        let configuration = ArmId::new(avnm_parent_id(collection.id.as_str(), 1));
        let applies = snap.avnm.deployed_in(&configuration, location) != Some(false)
            && (collection.applies_to.iter().any(|g| network_group_vnets(snap, g).contains(&vnet))
                || subnet.is_some_and(|s| collection_targets_subnet(snap, collection, s)));
        if !applies {
            continue;
        }
        out.disable_bgp_route_propagation |= collection.disable_bgp_route_propagation;
        out.rules.extend(
            snap.avnm
                .routing_rules
                .iter()
                .enumerate()
                .filter(|(_, r)| ArmId::new(avnm_parent_id(r.id.as_str(), 1)) == collection.id)
                .map(|(i, _)| i),
        );
    }
    out
}
