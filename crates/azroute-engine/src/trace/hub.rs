//! Crossing a Virtual WAN hub (§20.4, §20.3 RI-7, RI-12, §20.11): a spoke's hub route leads to
//! the hub router, which delivers into the spoke VNet (of this or another hub) holding the
//! destination, or to the NVA a static route of that spoke's connection names (VW-9); to a BGP
//! peer of the hub, an NVA in a spoke, which forwards by its own NIC's routes; to the hub's VPN
//! or ExpressRoute gateway, which leaves for the branch; or, under routing intent, to the hub
//! firewall, whose verdict is evaluated and which then forwards by its own table. A network
//! virtual appliance inside the hub is not followed: its guest routing is in no snapshot.

use std::net::IpAddr;

use azroute_model::*;

use super::walk::{Endpoint, Packet, Step, Walk};
use super::{Addressing, Hop, HopKind, HopResource, Owner, Tracer, Verdict};
use crate::RouteError;
use crate::finding::*;
use crate::route::*;
use crate::vwan::{HubEffectiveRoute, HubNextHopType};

/// Where a hub sends a packet next.
pub(super) enum HubExit {
    /// Into this spoke VNet.
    Spoke(VnetIdx),
    /// To an appliance in a spoke of the WAN (a hub BGP peer, or a connection's static route
    /// next hop, VW-9): the NIC that owns the address, in `vnet` when known.
    SpokeAppliance {
        address: IpAddr,
        vnet: Option<VnetIdx>,
        bgp_connection: Option<ArmId>,
    },
    Branch,
    Internet,
    /// Through this firewall first.
    Firewall(FirewallIdx),
    /// Across to another hub of the WAN, which forwards by its own default table (VW-3).
    Remote {
        hub: VirtualHubIdx,
        exit: Box<HubExit>,
    },
    /// Nowhere the snapshot can follow, and why.
    Stop(NotFollowed),
}

/// Where a packet came into a hub from.
#[derive(Clone, Copy)]
pub(super) enum HubEntry<'a> {
    /// From a spoke's subnet, by this route of its table.
    Spoke { vnet: VnetIdx, subnet: SubnetIdx, table: &'a EffectiveRouteTable, route: &'a RouteRef },
    /// From a branch (a VPN site, an ExpressRoute circuit) by its connection to the hub (§20.16).
    Branch,
}

impl HubEntry<'_> {
    /// The spoke route that led into the hub.
    fn route(&self) -> Option<RouteRef> {
        match self {
            HubEntry::Spoke { route, .. } => Some((*route).clone()),
            HubEntry::Branch => None,
        }
    }
}

/// The hub route a packet follows, as the hub's forwarding needs it.
pub(super) struct HubHop<'r> {
    pub kind: &'r HubNextHopType,
    pub next_hop: Option<&'r ArmId>,
    /// The addresses the route names (a BGP next hop, a static route's next-hop IP).
    pub addresses: &'r [IpAddr],
}

impl<'r> HubHop<'r> {
    /// A route of a hub table.
    pub fn of(route: &'r HubEffectiveRoute) -> HubHop<'r> {
        HubHop { kind: &route.next_hop_type, next_hop: route.next_hops.first(), addresses: &route.next_hop_ips }
    }
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
        forward_nics: &[Endpoint],
    ) -> Result<Step, RouteError> {
        let RouteOrigin::VirtualWanHub { hub, hub_next_hop_type, next_hop, .. } = &route.route().origin else {
            return Ok(Step::Ended(Verdict::Dropped));
        };
        let ips = &route.route().next_hop_ips;
        walk.hops.push(Hop::new(HopKind::VirtualHub, HopResource::VirtualHub(*hub), ips.first().copied()));
        let hop = HubHop { kind: hub_next_hop_type, next_hop: next_hop.as_ref(), addresses: ips };
        let exit = self.hub_exit(*hub, &hop, pkt);
        self.leave_hub(walk, *hub, exit, HubEntry::Spoke { vnet, subnet, table, route }, pkt, forward_nics)
    }

    /// Where a hub route's next hop leads.
    pub(super) fn hub_exit(&self, hub: VirtualHubIdx, hop: &HubHop, pkt: Packet) -> HubExit {
        match hop.kind {
            HubNextHopType::AzureFirewall => hop
                .next_hop
                .and_then(|id| self.snap().resolve_id(ResourceKind::AzureFirewall, id.as_str()))
                .map_or(HubExit::Stop(NotFollowed::FirewallTableSilent { hub, destination: pkt.dst }), |f| {
                    HubExit::Firewall(FirewallIdx(f))
                }),
            HubNextHopType::VpnS2sGateway | HubNextHopType::ExpressRouteGateway => HubExit::Branch,
            HubNextHopType::Internet => HubExit::Internet,
            HubNextHopType::HubBgpConnection => self.peer_exit(hub, hop),
            HubNextHopType::NetworkVirtualAppliance | HubNextHopType::Other(_) => {
                HubExit::Stop(NotFollowed::HubAppliance {
                    hub,
                    appliance: hop.next_hop.cloned(),
                    address: hop.addresses.first().copied(),
                })
            }
            HubNextHopType::VirtualNetworkConnection => self.connection_exit(hub, hop.next_hop, pkt),
            HubNextHopType::RemoteHub => match self.entering_secured_hub(hub, hop.next_hop) {
                Some(exit) => exit,
                None => self.remote_exit(hub, hop, pkt),
            },
        }
    }

    /// A `Remote Hub` route to a hub without a private-traffic policy: into the spoke or branch
    /// holding the destination, or by that hub's own table.
    fn remote_exit(&self, hub: VirtualHubIdx, hop: &HubHop, pkt: Packet) -> HubExit {
        match self.connection_exit(hub, hop.next_hop, pkt) {
            stop @ HubExit::Stop(NotFollowed::NoSpokeHolds { .. }) => {
                self.remote_hub_exit(hub, hop.next_hop, pkt).unwrap_or(stop)
            }
            exit => exit,
        }
    }

    /// RI-5 (§20.14): traffic entering a hub with a private-traffic policy from another hub
    /// goes through that hub's firewall first, which then forwards by its own table (RI-12);
    /// an NVA as the policy's next hop is not followed. `None` when the remote hub has no such
    /// policy.
    fn entering_secured_hub(&self, hub: VirtualHubIdx, next_hop: Option<&ArmId>) -> Option<HubExit> {
        let snap = self.snap();
        let remote = next_hop
            .and_then(|id| snap.resolve_id(ResourceKind::VirtualHub, id.as_str()))
            .map(VirtualHubIdx)
            .filter(|r| *r != hub)?;
        let policy = crate::vwan::private_policy(snap, &snap.virtual_hubs[remote.index()])?;
        let exit = match snap.resolve_id(ResourceKind::AzureFirewall, policy.next_hop.as_str()) {
            Some(f) => HubExit::Firewall(FirewallIdx(f)),
            None => HubExit::Stop(NotFollowed::HubAppliance {
                hub: remote,
                appliance: Some(policy.next_hop.clone()),
                address: None,
            }),
        };
        Some(HubExit::Remote { hub: remote, exit: Box::new(exit) })
    }

    /// A `Remote Hub` route whose destination no spoke of the WAN holds (a prefix the other hub
    /// learned from a BGP peer, say): the remote hub forwards it by its own default table (VW-3).
    /// Followed one hub deep: a remote route that leads on to yet another hub or to the remote
    /// hub's firewall is not followed, and the caller's reason stands.
    fn remote_hub_exit(&self, hub: VirtualHubIdx, next_hop: Option<&ArmId>, pkt: Packet) -> Option<HubExit> {
        let remote = next_hop
            .and_then(|id| self.snap().resolve_id(ResourceKind::VirtualHub, id.as_str()))
            .map(VirtualHubIdx)
            .filter(|r| *r != hub)?;
        let table = self.routes.topology().vwan.hub(remote)?.default_table()?;
        let best = longest_match(&table.routes, pkt.dst)?;
        if matches!(best.next_hop_type, HubNextHopType::RemoteHub | HubNextHopType::AzureFirewall) {
            return None;
        }
        Some(HubExit::Remote { hub: remote, exit: Box::new(self.hub_exit(remote, &HubHop::of(best), pkt)) })
    }

    /// A hub BGP peer (§20.11): the route's BGP next hop, unless it is the hub router's own
    /// address (a NIC row rendered without one), then the peer's `peerIp`; in the spoke of the
    /// peer's `hubVirtualNetworkConnection`.
    fn peer_exit(&self, hub: VirtualHubIdx, hop: &HubHop) -> HubExit {
        let snap = self.snap();
        let router = &snap.virtual_hubs[hub.index()].virtual_router_ips;
        let peer = hop.next_hop.and_then(|id| {
            snap.virtual_hubs
                .iter()
                .flat_map(|h| h.bgp_connections.iter())
                .find(|b| same_arm_id(b.id.as_str(), id.as_str()))
        });
        let address = hop.addresses.iter().copied().find(|ip| !router.contains(ip)).or(peer.and_then(|p| p.peer_ip));
        let Some(address) = address else {
            let bgp_connection = hop.next_hop.cloned();
            return HubExit::Stop(NotFollowed::HubPeerNotInSnapshot { hub, bgp_connection, address: None });
        };
        let vnet = peer
            .and_then(|p| p.hub_virtual_network_connection.as_ref())
            .and_then(|c| self.routes.topology().vwan.hubs.iter().find_map(|h| h.connection(c.as_str())))
            .and_then(|c| c.vnet);
        HubExit::SpokeAppliance { address, vnet, bgp_connection: hop.next_hop.cloned() }
    }

    /// A route to a VNet connection (of this or another hub): the connection it names, or the
    /// one whose spoke holds the destination, or whose static route does; then VW-9: a static
    /// route of that connection holding the destination sends it to its next-hop IP, unless
    /// `vnetLocalRouteOverrideCriteria` is `Equal` and the destination is in the spoke itself.
    fn connection_exit(&self, hub: VirtualHubIdx, next_hop: Option<&ArmId>, pkt: Packet) -> HubExit {
        let snap = self.snap();
        let wan = &snap.virtual_hubs[hub.index()].virtual_wan;
        // Every id is resolved at most once or twice per call: this runs for each packet a hub
        // forwards, and a large WAN has thousands of connections.
        let in_wan = |c: &HubVnetConnection| {
            snap.resolve_id(ResourceKind::VirtualHub, c.hub.as_str())
                .is_some_and(|h| snap.virtual_hubs[h as usize].virtual_wan == *wan)
        };
        let model = |id: &str| {
            snap.resolve_id(ResourceKind::HubVirtualNetworkConnection, id)
                .map(|i| &snap.vwan.hub_connections[i as usize])
        };
        let vnet_of = |c: &HubVnetConnection| {
            c.remote_vnet
                .as_ref()
                .and_then(|id| snap.resolve_id(ResourceKind::VirtualNetwork, id.as_str()))
                .map(VnetIdx)
        };
        let holds_dst = |v: VnetIdx| snap.vnets[v.index()].address_space.iter().any(|p| p.contains(&pkt.dst));
        let holds = |c: &HubVnetConnection| vnet_of(c).is_some_and(holds_dst);
        let named = next_hop.and_then(|id| model(id.as_str())).filter(|c| in_wan(c));
        // The spoke holding the destination, from the topology's connections (their VNets
        // resolved once, when the hub tables were built).
        let holding = || {
            self.routes
                .topology()
                .vwan
                .hubs
                .iter()
                .filter(|h| snap.virtual_hubs[h.hub.index()].virtual_wan == *wan)
                .flat_map(|h| h.connections.iter())
                .find(|c| c.vnet.is_some_and(holds_dst))
                .and_then(|c| model(c.id.as_str()))
        };
        let by_static_route = || {
            snap.vwan
                .hub_connections
                .iter()
                .filter_map(|c| static_next_hop(c, false, pkt.dst).map(|(len, _)| (len, c)))
                .filter(|(_, c)| in_wan(c))
                .max_by_key(|(len, _)| *len)
                .map(|(_, c)| c)
        };
        let connection = named.or_else(holding).or_else(by_static_route);
        let Some(connection) = connection else {
            return self.branch_holding(hub, pkt);
        };
        let vnet = vnet_of(connection);
        if let Some((_, address)) = static_next_hop(connection, holds(connection), pkt.dst) {
            return HubExit::SpokeAppliance { address, vnet, bgp_connection: None };
        }
        match vnet {
            Some(v) if holds(connection) => HubExit::Spoke(v),
            _ => HubExit::Stop(NotFollowed::NoSpokeHolds { hub, destination: pkt.dst }),
        }
    }

    /// A `Remote Hub` route to a branch of another hub of the WAN (a VPN site's or an
    /// ExpressRoute connection's prefix, §20.2 VW-3): across to that hub, whose gateway takes it
    /// there.
    fn branch_holding(&self, hub: VirtualHubIdx, pkt: Packet) -> HubExit {
        let snap = self.snap();
        let wan = &snap.virtual_hubs[hub.index()].virtual_wan;
        let holder = self
            .routes
            .topology()
            .vwan
            .hubs
            .iter()
            .filter(|h| h.hub != hub && snap.virtual_hubs[h.hub.index()].virtual_wan == *wan)
            .find(|h| h.connections.iter().any(|c| c.branch_prefixes.iter().any(|p| p.contains(&pkt.dst))));
        match holder {
            Some(h) => HubExit::Remote { hub: h.hub, exit: Box::new(HubExit::Branch) },
            None => HubExit::Stop(NotFollowed::NoSpokeHolds { hub, destination: pkt.dst }),
        }
    }

    /// `from`: where the packet came into the hub from.
    pub(super) fn leave_hub(
        &self,
        walk: &mut Walk,
        hub: VirtualHubIdx,
        exit: HubExit,
        from: HubEntry,
        pkt: Packet,
        forward_nics: &[Endpoint],
    ) -> Result<Step, RouteError> {
        Ok(match exit {
            HubExit::Spoke(target) => {
                walk.from_gateway = true;
                Step::Ended(self.deliver_from_hub(walk, from, target, pkt, forward_nics))
            }
            HubExit::SpokeAppliance { address, vnet: spoke, bgp_connection } => {
                return self.spoke_appliance(walk, hub, (address, spoke, bgp_connection), from, pkt, forward_nics);
            }
            HubExit::Remote { hub: remote, exit } => {
                let router = self.snap().virtual_hubs[remote.index()].virtual_router_ips.first().copied();
                walk.hops.push(Hop::new(HopKind::VirtualHub, HopResource::VirtualHub(remote), router));
                return self.leave_hub(walk, remote, *exit, from, pkt, forward_nics);
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
                        return self.leave_hub(walk, hub, next, from, pkt, forward_nics);
                    }
                    Err(verdict) => Step::Ended(verdict),
                }
            }
            HubExit::Stop(reason) => {
                let finding = Finding::new(NotModelled { route: from.route(), reason: Some(reason) });
                walk.findings.push(finding);
                Step::Ended(Verdict::Indeterminate)
            }
        })
    }

    /// The hub hands the packet to an appliance in one of its WAN's spokes (§20.11): the NIC
    /// owning the address receives it (inbound NSGs), forwards it if IP forwarding is on, and
    /// the walk goes on by that NIC's subnet routes. The appliance itself as destination is
    /// delivered there.
    fn spoke_appliance(
        &self,
        walk: &mut Walk,
        hub: VirtualHubIdx,
        (address, spoke, bgp_connection): (IpAddr, Option<VnetIdx>, Option<ArmId>),
        from: HubEntry,
        pkt: Packet,
        forward_nics: &[Endpoint],
    ) -> Result<Step, RouteError> {
        let spokes: Vec<VnetIdx> = spoke.map_or_else(|| self.wan_spokes(hub), |v| vec![v]);
        let owner = self.addressing.owners(address).iter().find_map(|o| match o {
            Owner::Nic { nic, .. } => {
                Addressing::vnet_of(self.snap(), o).filter(|v| spokes.contains(v)).map(|v| (*nic, v))
            }
            _ => None,
        });
        let Some((nic, owner_vnet)) = owner else {
            let reason = NotFollowed::HubPeerNotInSnapshot { hub, bgp_connection, address: Some(address) };
            walk.findings.push(Finding::new(NotModelled { route: from.route(), reason: Some(reason) }));
            return Ok(Step::Ended(Verdict::Indeterminate));
        };
        walk.from_gateway = true;
        if self.snap().nics[nic.index()].owns_ip(pkt.dst) {
            return Ok(Step::Ended(self.deliver_from_hub(walk, from, owner_vnet, pkt, forward_nics)));
        }
        let HubEntry::Spoke { route, .. } = from else {
            let reason = NotFollowed::SpokeApplianceFromBranch { hub, address };
            walk.findings.push(Finding::new(NotModelled { route: None, reason: Some(reason) }));
            return Ok(Step::Ended(Verdict::Indeterminate));
        };
        if !self.forward_through(walk, nic, pkt, route, forward_nics) {
            return Ok(Step::Ended(Verdict::Dropped));
        }
        Ok(Step::At { subnet: self.nic_subnet(nic)?, nic: Some(nic) })
    }

    /// The hub delivers into `target`, a spoke of its WAN: from a spoke, as across a peering
    /// (whose absence is no obstacle); from a branch, straight in.
    fn deliver_from_hub(
        &self,
        walk: &mut Walk,
        from: HubEntry,
        target: VnetIdx,
        pkt: Packet,
        forward_nics: &[Endpoint],
    ) -> Verdict {
        match from {
            HubEntry::Spoke { vnet, subnet, table, .. } => {
                self.deliver(walk, vnet, Some(target), Some((subnet, table)), pkt, forward_nics)
            }
            HubEntry::Branch => self.deliver(walk, target, Some(target), None, pkt, forward_nics),
        }
    }

    /// The spoke VNets connected to any hub of this hub's Virtual WAN.
    fn wan_spokes(&self, hub: VirtualHubIdx) -> Vec<VnetIdx> {
        let snap = self.snap();
        let wan = &snap.virtual_hubs[hub.index()].virtual_wan;
        let routing = &self.routes.topology().vwan;
        routing
            .hubs
            .iter()
            .filter(|h| snap.virtual_hubs[h.hub.index()].virtual_wan == *wan)
            .flat_map(|h| h.connections.iter())
            .filter_map(|c| c.vnet)
            .collect()
    }

    /// RI-5, RI-3 (§20.12): a packet dropped in a spoke of one hub on its way to a spoke of
    /// another hub of the WAN, where one hub has a private-traffic policy and the other not: the
    /// secured hub's connections propagate nowhere, so the other hub has no route back to them.
    pub(super) fn routing_intent_split(&self, vnet: VnetIdx, dst: IpAddr) -> Option<Finding> {
        let snap = self.snap();
        let routing = &self.routes.topology().vwan;
        if routing.routing_intent_splits.is_empty() {
            return None;
        }
        let (from, _) = routing.connection_of_vnet(vnet)?;
        let to_vnet = self
            .wan_spokes(from.hub)
            .into_iter()
            .find(|v| snap.vnets[v.index()].address_space.iter().any(|p| p.contains(&dst)))?;
        let (to, _) = routing.connection_of_vnet(to_vnet)?;
        let (a, b) = (from.hub, to.hub);
        let split = routing.routing_intent_splits.iter().find(|s| {
            (s.secured.contains(&a) && s.unsecured.contains(&b)) || (s.secured.contains(&b) && s.unsecured.contains(&a))
        })?;
        let finding = Finding::new(split.clone());
        Some(finding.resource(ResourceRef::VirtualHub(a)).resource(ResourceRef::VirtualHub(b)))
    }

    /// RI-12: where the secured hub's firewall sends what it allowed, by its own table.
    fn firewall_table_exit(&self, hub: VirtualHubIdx, pkt: Packet) -> HubExit {
        let silent = HubExit::Stop(NotFollowed::FirewallTableSilent { hub, destination: pkt.dst });
        let routing = self.routes.topology().vwan.hub(hub);
        let Some(table) = routing.and_then(|r| r.firewall_table.as_ref()) else { return silent };
        match longest_match(&table.routes, pkt.dst) {
            Some(r) if r.next_hop_type == HubNextHopType::AzureFirewall => silent,
            Some(r) => self.hub_exit(hub, &HubHop::of(r), pkt),
            None => silent,
        }
    }
}

/// The route of a hub table with the longest prefix holding `dst`.
pub(super) fn longest_match<'r>(
    routes: impl IntoIterator<Item = &'r HubEffectiveRoute>,
    dst: IpAddr,
) -> Option<&'r HubEffectiveRoute> {
    routes
        .into_iter()
        .filter(|r| r.prefixes.iter().any(|p| p.contains(&dst)))
        .max_by_key(|r| r.prefixes.iter().filter(|p| p.contains(&dst)).map(|p| p.prefix_len()).max())
}

/// VW-9: the longest static route of a VNet connection holding `dst` with a next-hop IP, as
/// (prefix length, next hop); none when the destination is in the spoke's own space
/// (`in_spoke`) and `vnetLocalRouteOverrideCriteria` is `Equal`.
fn static_next_hop(c: &HubVnetConnection, in_spoke: bool, dst: IpAddr) -> Option<(u8, IpAddr)> {
    if in_spoke && c.routing.vnet_local_route_override == VnetLocalRouteOverride::Equal {
        return None;
    }
    c.routing
        .static_routes
        .iter()
        .filter_map(|r| r.next_hop_ip.map(|ip| (r, ip)))
        .flat_map(|(r, ip)| r.address_prefixes.iter().filter(|p| p.contains(&dst)).map(move |p| (p.prefix_len(), ip)))
        .max_by_key(|(len, _)| *len)
}
