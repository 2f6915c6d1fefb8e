//! Crossing a Virtual WAN hub (§20.4, §20.3 RI-7, RI-12): a spoke's hub route leads to the hub
//! router, which delivers into the spoke VNet (of this or another hub) holding the destination;
//! to the hub's VPN or ExpressRoute gateway, which leaves for the branch; or, under routing
//! intent, to the hub firewall, whose verdict is evaluated and which then forwards by its own
//! table: to a spoke, another hub's spoke, a branch or the Internet.

use std::collections::HashSet;

use azroute_model::*;

use super::walk::{Endpoint, Packet, Step, Walk};
use super::{Hop, HopKind, HopResource, Tracer, Verdict};
use crate::RouteError;
use crate::finding::*;
use crate::route::*;
use crate::vwan::{HubEffectiveRoute, HubNextHopType};

/// Where a hub sends a packet next.
enum HubExit {
    /// Into this spoke VNet.
    Spoke(VnetIdx),
    Branch,
    Internet,
    /// Through this firewall first.
    Firewall(FirewallIdx),
    /// Nowhere the snapshot can follow (an NVA, an unknown next hop).
    Unknown,
}

impl Tracer<'_, '_> {
    /// The packet follows a route of the spoke's Virtual WAN hub.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn through_hub(
        &self,
        walk: &mut Walk,
        vnet: VnetIdx,
        subnet: SubnetIdx,
        table: &EffectiveRouteTable,
        route: &RouteRef,
        pkt: Packet,
        forward_nics: &HashSet<Endpoint>,
    ) -> Result<Step, RouteError> {
        let RouteOrigin::VirtualWanHub { hub, hub_next_hop_type, next_hop, .. } = &route.route().origin else {
            return Ok(Step::Ended(Verdict::Dropped));
        };
        walk.hops.push(Hop::new(
            HopKind::VirtualHub,
            HopResource::VirtualHub(*hub),
            route.route().next_hop_ips.first().copied(),
        ));
        let exit = self.hub_exit(*hub, hub_next_hop_type, next_hop.as_ref(), pkt);
        Ok(self.leave_hub(walk, *hub, exit, (vnet, subnet, table, route), pkt, forward_nics))
    }

    /// Where a hub route's next hop leads.
    fn hub_exit(&self, hub: VirtualHubIdx, kind: &HubNextHopType, next_hop: Option<&ArmId>, pkt: Packet) -> HubExit {
        match kind {
            HubNextHopType::AzureFirewall => next_hop
                .and_then(|id| self.snap().resolve_id(ResourceKind::AzureFirewall, id.as_str()))
                .map_or(HubExit::Unknown, |f| HubExit::Firewall(FirewallIdx(f))),
            HubNextHopType::VpnS2sGateway | HubNextHopType::ExpressRouteGateway => HubExit::Branch,
            HubNextHopType::Internet => HubExit::Internet,
            HubNextHopType::NetworkVirtualAppliance | HubNextHopType::HubBgpConnection | HubNextHopType::Other(_) => {
                HubExit::Unknown
            }
            HubNextHopType::VirtualNetworkConnection | HubNextHopType::RemoteHub => self.spoke_holding(hub, pkt),
        }
    }

    /// The spoke VNet of the WAN whose space holds the destination.
    fn spoke_holding(&self, hub: VirtualHubIdx, pkt: Packet) -> HubExit {
        let snap = self.snap();
        let wan = &snap.virtual_hubs[hub.index()].virtual_wan;
        let routing = &self.routes.topology().vwan;
        routing
            .hubs
            .iter()
            .filter(|h| snap.virtual_hubs[h.hub.index()].virtual_wan == *wan)
            .flat_map(|h| h.connections.iter())
            .filter_map(|c| c.vnet)
            .find(|v| snap.vnets[v.index()].address_space.iter().any(|p| p.contains(&pkt.dst)))
            .map_or_else(|| self.branch_holding(hub, pkt), HubExit::Spoke)
    }

    /// A `Remote Hub` route to a branch of another hub of the WAN (a VPN site's or an
    /// ExpressRoute connection's prefix, §20.2 VW-3): that hub's gateway takes it there.
    fn branch_holding(&self, hub: VirtualHubIdx, pkt: Packet) -> HubExit {
        let snap = self.snap();
        let wan = &snap.virtual_hubs[hub.index()].virtual_wan;
        let held = self
            .routes
            .topology()
            .vwan
            .hubs
            .iter()
            .filter(|h| h.hub != hub && snap.virtual_hubs[h.hub.index()].virtual_wan == *wan)
            .flat_map(|h| h.connections.iter())
            .any(|c| c.branch_prefixes.iter().any(|p| p.contains(&pkt.dst)));
        if held { HubExit::Branch } else { HubExit::Unknown }
    }

    /// `from`: the spoke's VNet, subnet, table and the hub route it used.
    fn leave_hub(
        &self,
        walk: &mut Walk,
        hub: VirtualHubIdx,
        exit: HubExit,
        from: (VnetIdx, SubnetIdx, &EffectiveRouteTable, &RouteRef),
        pkt: Packet,
        forward_nics: &HashSet<Endpoint>,
    ) -> Step {
        let (vnet, subnet, table, route) = from;
        match exit {
            HubExit::Spoke(target) => {
                walk.from_gateway = true;
                Step::Ended(self.deliver(walk, vnet, Some(target), subnet, table, pkt, forward_nics))
            }
            HubExit::Branch => {
                walk.hops.push(Hop::new(HopKind::OnPremises, HopResource::OnPremises, Some(pkt.dst)));
                Step::Ended(Verdict::ExitedToOnPremises)
            }
            HubExit::Internet => {
                walk.hops.push(Hop::new(HopKind::Internet, HopResource::Internet, Some(pkt.dst)));
                Step::Ended(Verdict::ExitedToInternet)
            }
            HubExit::Firewall(firewall) => {
                let ip = self.snap().firewalls[firewall.index()].hub_private_ip;
                walk.hops.push(Hop::new(HopKind::AzureFirewall, HopResource::Firewall(firewall), ip));
                walk.from_gateway = false;
                match self.firewall_pass(walk, firewall, pkt, forward_nics) {
                    Ok(pkt) => {
                        let next = self.firewall_table_exit(hub, pkt);
                        self.leave_hub(walk, hub, next, from, pkt, forward_nics)
                    }
                    Err(verdict) => Step::Ended(verdict),
                }
            }
            HubExit::Unknown => {
                // An NVA or BGP peer of the hub, or a destination no spoke holds: not followed.
                walk.findings.push(Finding::new(NotModelled { route: route.clone() }));
                Step::Ended(Verdict::Indeterminate)
            }
        }
    }

    /// RI-12: where the secured hub's firewall sends what it allowed, by its own table.
    fn firewall_table_exit(&self, hub: VirtualHubIdx, pkt: Packet) -> HubExit {
        let routing = self.routes.topology().vwan.hub(hub);
        let Some(table) = routing.and_then(|r| r.firewall_table.as_ref()) else { return HubExit::Unknown };
        let best: Option<&HubEffectiveRoute> = table
            .routes
            .iter()
            .filter(|r| r.prefixes.iter().any(|p| p.contains(&pkt.dst)))
            .max_by_key(|r| r.prefixes.iter().filter(|p| p.contains(&pkt.dst)).map(|p| p.prefix_len()).max());
        match best {
            Some(r) if r.next_hop_type == HubNextHopType::AzureFirewall => HubExit::Unknown,
            Some(r) => self.hub_exit(hub, &r.next_hop_type, r.next_hops.first(), pkt),
            None => HubExit::Unknown,
        }
    }
}
