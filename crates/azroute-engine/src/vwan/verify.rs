//! `azroute verify` for Virtual WAN hubs (§20.5): a hub table's (or connection's) effective
//! routes as Azure reported them (`vhub get-effective-routes`), compared with `hub-routes`.
//! Both sides are compared prefix by prefix (§20.10): each prefix with its `nextHopType` (case
//! ignored) and the set of next-hop ids of every row holding it, so a row of several
//! `addressPrefixes` and Azure's row splitting (§20.4) do not matter, and a prefix missing from
//! a multi-prefix row is named alone; the AS path is not compared.

use std::collections::BTreeMap;

use azroute_model::*;

use super::types::{HubEffectiveRoute, HubRouting};
use crate::Topology;

/// One hub route as both sides can state it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct HubRouteFacts {
    pub prefixes: Vec<String>,
    pub next_hop_type: String,
    pub next_hops: Vec<String>,
}

impl HubRouteFacts {
    fn key(&self) -> (Vec<String>, String, Vec<String>) {
        let mut prefixes: Vec<String> = self.prefixes.iter().map(|p| p.to_ascii_lowercase()).collect();
        prefixes.sort();
        let mut hops: Vec<String> = self.next_hops.iter().map(|h| normalize_id(h)).collect();
        hops.sort();
        hops.dedup();
        (prefixes, self.next_hop_type.to_ascii_lowercase(), hops)
    }

    fn computed(r: &HubEffectiveRoute) -> HubRouteFacts {
        HubRouteFacts {
            prefixes: r.prefixes.iter().map(|p| p.to_string()).collect(),
            next_hop_type: r.next_hop_type.as_str().to_string(),
            next_hops: r.next_hops.iter().map(|h| h.as_str().to_string()).collect(),
        }
    }

    fn observed(r: &ObservedHubRoute) -> HubRouteFacts {
        HubRouteFacts {
            prefixes: r
                .address_prefixes
                .iter()
                .map(|p| parse_prefix(p).map_or_else(|_| p.clone(), |n| n.to_string()))
                .collect(),
            next_hop_type: r.next_hop_type.clone(),
            next_hops: r.next_hops.clone(),
        }
    }
}

/// The comparison of one hub table or connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubVerification {
    pub hub: VirtualHubIdx,
    /// The route table or connection compared.
    pub resource: ArmId,
    pub agreeing: usize,
    /// Routes azroute computes and Azure did not report.
    pub only_azroute: Vec<HubRouteFacts>,
    /// Routes Azure reported and azroute does not compute.
    pub only_azure: Vec<HubRouteFacts>,
}

impl HubVerification {
    pub fn differences(&self) -> usize {
        self.only_azroute.len() + self.only_azure.len()
    }
}

/// Why a hub file could not be compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HubVerifyError {
    HubNotFound(ArmId),
    /// The hub is a Route Server.
    NotAVirtualWanHub(ArmId),
    /// Neither a route table nor a connection of the hub.
    ResourceNotFound {
        hub: ArmId,
        resource: ArmId,
    },
}

/// The routes azroute computes for the resource a wrapper names.
fn computed(routing: &HubRouting, resource: &ArmId) -> Option<Vec<HubEffectiveRoute>> {
    if let Some(t) = routing
        .table(resource.as_str())
        .or(routing.firewall_table.as_ref().filter(|t| same_arm_id(t.id.as_str(), resource.as_str())))
    {
        return Some(t.routes.clone());
    }
    routing.connection(resource.as_str()).map(|c| routing.connection_routes(c))
}

/// One fact per (prefix, next hop type): the next hops of every row holding the prefix, each
/// once (§20.10).
fn per_prefix(rows: impl Iterator<Item = HubRouteFacts>) -> Vec<HubRouteFacts> {
    let mut by_prefix: BTreeMap<(String, String), HubRouteFacts> = BTreeMap::new();
    for row in rows {
        for prefix in &row.prefixes {
            let key = (prefix.to_ascii_lowercase(), row.next_hop_type.to_ascii_lowercase());
            let fact = by_prefix.entry(key).or_insert_with(|| HubRouteFacts {
                prefixes: vec![prefix.clone()],
                next_hop_type: row.next_hop_type.clone(),
                next_hops: Vec::new(),
            });
            for hop in &row.next_hops {
                if !fact.next_hops.iter().any(|h| same_arm_id(h, hop)) {
                    fact.next_hops.push(hop.clone());
                }
            }
        }
    }
    by_prefix.into_values().collect()
}

/// Compares one observed hub file with what azroute computes.
pub fn verify_hub(
    snap: &Snapshot,
    topo: &Topology,
    observed: &ObservedHubRoutes,
) -> Result<HubVerification, HubVerifyError> {
    let hub = snap
        .resolve_id(ResourceKind::VirtualHub, observed.virtual_hub.as_str())
        .map(VirtualHubIdx)
        .ok_or_else(|| HubVerifyError::HubNotFound(observed.virtual_hub.clone()))?;
    let routing = topo.vwan.hub(hub).ok_or_else(|| HubVerifyError::NotAVirtualWanHub(observed.virtual_hub.clone()))?;
    let routes = computed(routing, &observed.resource).ok_or_else(|| HubVerifyError::ResourceNotFound {
        hub: observed.virtual_hub.clone(),
        resource: observed.resource.clone(),
    })?;
    let mut ours = per_prefix(routes.iter().map(HubRouteFacts::computed));
    let mut theirs = per_prefix(observed.routes.iter().map(HubRouteFacts::observed));
    let mut agreeing = 0;
    ours.retain(|o| match theirs.iter().position(|t| t.key() == o.key()) {
        Some(i) => {
            theirs.remove(i);
            agreeing += 1;
            false
        }
        None => true,
    });
    ours.sort();
    theirs.sort();
    Ok(HubVerification { hub, resource: observed.resource.clone(), agreeing, only_azroute: ours, only_azure: theirs })
}
