//! Peering checks: peerings not Connected on both sides (§5.1), peered VNets that overlap, and
//! gateway transit configured on one side only or impossible (§5.2, §5.3).

use std::collections::BTreeSet;

use azroute_engine::TableNote;
use azroute_engine::*;
use azroute_model::*;

use crate::Doctor;

impl Doctor<'_, '_> {
    pub(crate) fn peering_checks(&self, out: &mut Vec<Finding>) {
        self.peering_not_connected_and_overlaps(out);
        self.use_remote_gateways_mismatched(out);
        self.use_remote_gateways_impossible(out);
    }

    /// Each pair of VNets once: its peering not Connected, and its address spaces overlapping.
    fn peering_not_connected_and_overlaps(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        let topo = self.routes.topology();
        let mut reported: BTreeSet<(VnetIdx, u64)> = BTreeSet::new();
        for (pi, p) in snap.peerings.iter().enumerate() {
            let peering = PeeringIdx(pi as u32);
            let status = &topo.peerings[pi];
            if !status.connected {
                let pair = match status.remote_vnet {
                    Some(r) => (p.vnet.min(r), p.vnet.max(r).0 as u64),
                    None => (p.vnet, u64::MAX - pi as u64),
                };
                if reported.insert(pair) {
                    let sides = PeeringSides { peering, remote_vnet: status.remote_vnet, reverse: status.reverse };
                    out.push(Finding::new(PeeringNotConnected::Peering(sides)).resource(ResourceRef::Peering(peering)));
                }
            }
            if let Some(r) = status.remote_vnet
                && p.vnet < r
            {
                overlapping_peered_vnets(snap, p.vnet, r, out);
            }
        }
    }

    /// Gateway transit flags that do not match across a peering (§5.3).
    fn use_remote_gateways_mismatched(&self, out: &mut Vec<Finding>) {
        for (vi, attachment) in self.routes.topology().attachments.iter().enumerate() {
            let vnet = VnetIdx(vi as u32);
            for note in &attachment.mismatches {
                if let TableNote::GatewayTransitMismatch { peering, use_remote_gateways, .. } = note {
                    let evidence = if *use_remote_gateways {
                        UseRemoteGatewaysMissing::TransitNotAllowed { vnet, peering: *peering }
                    } else {
                        UseRemoteGatewaysMissing::TransitNotUsed { vnet, peering: *peering }
                    };
                    out.push(Finding::new(evidence).resource(ResourceRef::Peering(*peering)));
                }
            }
        }
    }

    /// useRemoteGateways towards a VNet without a gateway, or from a VNet with its own.
    fn use_remote_gateways_impossible(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        let topo = self.routes.topology();
        for (pi, p) in snap.peerings.iter().enumerate() {
            let peering = PeeringIdx(pi as u32);
            let status = &topo.peerings[pi];
            if !(p.use_remote_gateways && status.connected) {
                continue;
            }
            if let Some(remote) = status.remote_vnet
                && topo.own_gateways[remote.index()].is_empty()
            {
                let none = UseRemoteGatewaysMissing::NoRemoteGateway { peering, remote };
                out.push(Finding::new(none).resource(ResourceRef::Peering(peering)));
            }
            if !topo.own_gateways[p.vnet.index()].is_empty() {
                let both = UseRemoteGatewaysMissing::OwnAndRemoteGateway { peering, vnet: p.vnet };
                out.push(Finding::new(both).resource(ResourceRef::Peering(peering)));
            }
        }
    }
}

/// Peered VNets must not overlap.
fn overlapping_peered_vnets(snap: &Snapshot, a: VnetIdx, b: VnetIdx, out: &mut Vec<Finding>) {
    for &a_range in &snap.vnets[a.index()].address_space {
        for &b_range in &snap.vnets[b.index()].address_space {
            if contains_prefix(&a_range, &b_range) || contains_prefix(&b_range, &a_range) {
                out.push(
                    Finding::new(OverlappingAddressSpace::Peered { a, a_range, b, b_range })
                        .resource(ResourceRef::Vnet(a))
                        .resource(ResourceRef::Vnet(b)),
                );
            }
        }
    }
}
