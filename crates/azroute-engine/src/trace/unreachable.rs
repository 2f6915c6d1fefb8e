//! Why a destination has no usable route from a VNet: a peering not Connected (§5.1), peering
//! that is not transitive, gateway routes suppressed by the route table (§3.7), or gateway
//! transit configured on one side only (§5.3).

use std::net::IpAddr;

use azroute_model::*;

use super::Tracer;
use crate::finding::*;
use crate::route::{EffectiveRouteTable, TableNote};
use crate::topology::GatewayPrefix;

impl Tracer<'_, '_> {
    /// Every reason the snapshot shows for `dst` having no usable route from `subnet`.
    pub(super) fn why_unreachable(
        &self,
        vnet: VnetIdx,
        subnet: SubnetIdx,
        table: &EffectiveRouteTable,
        dst: IpAddr,
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        if let Some(target) = self.in_some_vnet(dst)
            && target != vnet
        {
            out.extend(self.peering_problem(vnet, target, dst));
        }
        // On-premises prefixes a gateway knows but this subnet does not get.
        for (g, gp) in self.routes.topology().gateway_prefixes_holding(dst) {
            if self.routes.topology().attachments[vnet.index()].gateways.contains(&g) {
                out.extend(suppressed(g, gp, subnet, table, dst));
            } else {
                out.extend(self.half_transit(g, gp, vnet, dst));
            }
        }
        out
    }

    /// The peering between two VNets is not Connected, or there is none and the destination is
    /// only a peer of a peer.
    fn peering_problem(&self, vnet: VnetIdx, target: VnetIdx, dst: IpAddr) -> Option<Finding> {
        let snap = self.snap();
        let topo = self.routes.topology();
        let (v, t) = (&snap.vnets[vnet.index()], &snap.vnets[target.index()]);
        // A peering object on either side names the pair.
        let direct = v
            .peerings
            .iter()
            .copied()
            .find(|p| topo.peerings[p.index()].remote_vnet == Some(target))
            .or_else(|| t.peerings.iter().copied().find(|p| topo.peerings[p.index()].remote_vnet == Some(vnet)));
        match direct {
            Some(p) if !topo.peerings[p.index()].connected => {
                let status = &topo.peerings[p.index()];
                let sides = PeeringSides { peering: p, remote_vnet: status.remote_vnet, reverse: status.reverse };
                let down = PeeringNotConnected::Destination { vnet, target, sides, destination: dst };
                Some(Finding::new(down).resource(ResourceRef::Peering(p)))
            }
            Some(_) => None,
            None => {
                // Peered to a peer of the destination only: peering is not transitive.
                let via: Vec<VnetIdx> = v
                    .peerings
                    .iter()
                    .filter(|p| topo.peerings[p.index()].connected)
                    .filter_map(|p| topo.peerings[p.index()].remote_vnet)
                    .filter(|mid| {
                        snap.vnets[mid.index()].peerings.iter().any(|q| {
                            topo.peerings[q.index()].remote_vnet == Some(target) && topo.peerings[q.index()].connected
                        })
                    })
                    .collect();
                (!via.is_empty()).then(|| {
                    Finding::new(NonTransitivePeering { vnet, target, via, destination: dst })
                        .resource(ResourceRef::Vnet(vnet))
                        .resource(ResourceRef::Vnet(target))
                })
            }
        }
    }

    /// The gateway is in a peered hub, and gateway transit is half-configured on the peering
    /// towards it.
    fn half_transit(&self, g: GatewayIdx, gp: &GatewayPrefix, vnet: VnetIdx, dst: IpAddr) -> Vec<Finding> {
        let snap = self.snap();
        let topo = self.routes.topology();
        let gw_vnet = snap.gateways[g.index()].vnet.as_ref().and_then(|l| l.resolved());
        let mut out = Vec::new();
        for note in &topo.attachments[vnet.index()].mismatches {
            let TableNote::GatewayTransitMismatch { peering, use_remote_gateways, remote_allows_transit, .. } = note
            else {
                continue;
            };
            let remote = topo.peerings[peering.index()].remote_vnet;
            if remote != gw_vnet {
                continue;
            }
            let half = UseRemoteGatewaysMissing::Destination {
                gateway: g,
                prefix: gp.prefix,
                peering: *peering,
                vnet,
                remote,
                use_remote_gateways: *use_remote_gateways,
                remote_allows_transit: *remote_allows_transit,
                destination: dst,
            };
            out.push(Finding::new(half).resource(ResourceRef::Peering(*peering)).resource(ResourceRef::Gateway(g)));
        }
        out
    }
}

/// The subnet's route table keeps the gateway's prefix out (disableBgpRoutePropagation).
fn suppressed(
    g: GatewayIdx,
    gp: &GatewayPrefix,
    subnet: SubnetIdx,
    table: &EffectiveRouteTable,
    dst: IpAddr,
) -> Vec<Finding> {
    table
        .notes
        .iter()
        .filter_map(|note| match note {
            TableNote::GatewayRoutesSuppressed { table: t, prefixes } if prefixes.contains(&gp.prefix) => {
                let off = GatewayRoutesSuppressed::Destination {
                    gateway: g,
                    prefix: gp.prefix,
                    table: *t,
                    subnet,
                    destination: dst,
                };
                Some(Finding::new(off).resource(ResourceRef::RouteTable(*t)).resource(ResourceRef::Gateway(g)))
            }
            _ => None,
        })
        .collect()
}
