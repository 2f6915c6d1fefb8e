//! Traffic from a Virtual WAN branch (§20.16): an address of a VPN site's address space or of an
//! ExpressRoute connection's prefixes enters its hub by the hub's VPN or ExpressRoute gateway;
//! the hub forwards it by the branch connection's associated table (VW-1), under a
//! private-traffic policy through the hub firewall first (RI-5, C38), and on as any packet
//! crossing the hub (`hub.rs`). What the branch's own network does is in no snapshot: a
//! destination the hub does not advertise to the branch ends `Indeterminate`.

use std::net::IpAddr;

use azroute_model::*;

use super::hub::{HubEntry, HubHop, longest_match};
use super::walk::{Endpoint, Packet, Walk};
use super::{Hop, HopKind, HopNote, HopResource, PathTrace, Tracer, Verdict};
use crate::RouteError;
use crate::finding::*;
use crate::vwan::{HubConnectionState, HubEffectiveRoute, HubRouting, crosses_local_firewall};

/// A branch connection of a Virtual WAN hub: the hub, and the connection's position in it.
#[derive(Clone, Copy, Debug)]
pub(super) struct WanBranch {
    hub: VirtualHubIdx,
    connection: usize,
}

impl Tracer<'_, '_> {
    /// The branch connection whose prefixes (§20.2: a VPN site's `addressSpace`, the branch
    /// prefixes observed hub routes show) hold an address most specifically.
    pub(super) fn wan_branch(&self, ip: IpAddr) -> Option<WanBranch> {
        let mut best: Option<(u8, WanBranch)> = None;
        for h in &self.routes.topology().vwan.hubs {
            for (i, c) in h.connections.iter().enumerate() {
                for p in c.branch_prefixes.iter().filter(|p| p.contains(&ip)) {
                    if best.is_none_or(|(len, _)| p.prefix_len() > len) {
                        best = Some((p.prefix_len(), WanBranch { hub: h.hub, connection: i }));
                    }
                }
            }
        }
        best.map(|(_, b)| b)
    }

    /// A packet from a branch: it enters the hub at the branch connection's gateway, which
    /// forwards it by the connection's associated table, and on through the hub.
    pub(super) fn arriving_from_branch(
        &self,
        src: IpAddr,
        branch: WanBranch,
        pkt: Packet,
        forward_nics: &[Endpoint],
    ) -> Result<PathTrace, RouteError> {
        let routing = self.routes.topology().vwan.hub(branch.hub).expect("a branch of a hub of the topology");
        let connection = &routing.connections[branch.connection];
        let mut walk = Walk::from_hop(Some(Hop::new(HopKind::OnPremises, HopResource::OnPremises, Some(src))));
        let mut hop = Hop::new(HopKind::VirtualHub, HopResource::VirtualHub(branch.hub), None);
        hop.notes.push(HopNote::EntersFromBranch { connection: connection.id.clone(), kind: connection.kind });
        walk.hops.push(hop);
        if self.wan_branch(pkt.dst).is_some() && self.branch_to_branch_off(branch.hub) {
            let reason = NotFollowed::BranchToBranchOff { hub: branch.hub, destination: pkt.dst };
            walk.findings.push(Finding::new(NotModelled { route: None, reason: Some(reason) }));
            return Ok(walk.finish(Verdict::Indeterminate));
        }
        let advertised = routing.connection_routes(connection);
        let advertised = advertised
            .iter()
            .filter(|r| !connection.express_route_to_express_route(r))
            .any(|r| r.prefixes.iter().any(|p| p.contains(&pkt.dst)));
        let forward = self.branch_route(routing, connection, pkt.dst);
        let (true, Some(route)) = (advertised, forward) else {
            let reason = NotFollowed::NotAdvertisedToBranch {
                hub: branch.hub,
                connection: connection.id.clone(),
                destination: pkt.dst,
            };
            walk.findings.push(Finding::new(NotModelled { route: None, reason: Some(reason) }));
            return Ok(walk.finish(Verdict::Indeterminate));
        };
        let exit = self.hub_exit(branch.hub, &HubHop::of(route), pkt);
        let step = self.leave_hub(&mut walk, branch.hub, exit, HubEntry::Branch, pkt, forward_nics)?;
        self.walk_on(walk, step, pkt, forward_nics)
    }

    /// Whether the hub's Virtual WAN says `allowBranchToBranchTraffic` false: Azure then carries
    /// no traffic between its branches (§20.16). Unsaid: allowed, as Azure's default.
    fn branch_to_branch_off(&self, hub: VirtualHubIdx) -> bool {
        let snap = self.snap();
        let Some(wan) = &snap.virtual_hubs[hub.index()].virtual_wan else { return false };
        snap.vwan
            .virtual_wans
            .iter()
            .any(|w| same_arm_id(w.id.as_str(), wan.as_str()) && w.allow_branch_to_branch_traffic == Some(false))
    }

    /// The route of the branch connection's associated table (VW-1) a destination takes: under
    /// a private-traffic policy, private traffic goes to the policy's next hop even where a more
    /// specific `Remote Hub` route covers it, as from the hub's spokes (RI-5, C38).
    fn branch_route<'r>(
        &self,
        routing: &'r HubRouting,
        connection: &HubConnectionState,
        dst: IpAddr,
    ) -> Option<&'r HubEffectiveRoute> {
        let table = routing.table(connection.associated.as_str())?;
        let local_firewall = self.options().vwan_secured_spoke_inter_hub == VwanSecuredSpokeInterHub::LocalFirewall;
        let private = if local_firewall {
            crate::vwan::private_destinations(self.snap(), routing, &table.routes)
        } else {
            Vec::new()
        };
        // Only the prefixes holding `dst` matter: a route holding none of them is never matched.
        let past_firewall = |r: &HubEffectiveRoute| {
            r.prefixes.iter().filter(|p| p.contains(&dst)).all(|p| crosses_local_firewall(r, p, &private))
        };
        longest_match(table.routes.iter().filter(|r| !past_firewall(r)), dst)
    }
}
