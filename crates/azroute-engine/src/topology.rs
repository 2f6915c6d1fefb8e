//! Derived facts about an estate that many route contexts share: which peerings are Connected
//! on both sides, which gateway serves each VNet (own or by gateway transit), what each gateway
//! has learned, and which private endpoints each VNet sees.

use std::collections::BTreeMap;
use std::net::IpAddr;

use azroute_model::*;
use ipnet::IpNet;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::route::{GatewayRouteKind, TableNote};
use crate::route_server::{RouteServers, router_addresses};

/// The state of one peering object, with its reverse side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeeringStatus {
    /// Both sides Connected (or the remote VNet is not exported and this side says Connected).
    pub connected: bool,
    pub local_state: String,
    /// The reverse peering's state, when the remote VNet and its peering are exported.
    pub remote_state: Option<String>,
    pub reverse: Option<PeeringIdx>,
    /// Regions differ (`VNetGlobalPeering`).
    pub global: bool,
    pub remote_vnet: Option<VnetIdx>,
}

/// The gateway(s) whose routes a VNet receives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GatewayAttachment {
    pub gateways: Vec<GatewayIdx>,
    /// Set when the gateways are the remote VNet's, reached by gateway transit.
    pub via: Option<PeeringIdx>,
    /// Gateway-transit flags that do not match (one side set, the other not).
    pub mismatches: Vec<TableNote>,
}

/// One prefix a gateway programs, with its next hops and how it was learned.
#[derive(Clone, Debug)]
pub struct GatewayPrefix {
    pub prefix: IpNet,
    pub next_hops: Vec<IpAddr>,
    pub kinds: Vec<GatewayRouteKind>,
}

/// Facts derived once per snapshot.
#[derive(Clone, Debug, Default)]
pub struct Topology {
    pub peerings: Vec<PeeringStatus>,
    /// Gateways whose GatewaySubnet is in each VNet.
    pub own_gateways: Vec<Vec<GatewayIdx>>,
    pub attachments: Vec<GatewayAttachment>,
    pub gateway_prefixes: Vec<Vec<GatewayPrefix>>,
    /// Private endpoints whose subnet is in each VNet.
    pub endpoints_by_vnet: Vec<Vec<PrivateEndpointIdx>>,
    /// Azure Virtual Network Manager connected groups (§18.2).
    pub connected_groups: crate::ConnectedGroups,
    /// Route Servers: what each programs, and which VNets receive it (§19.2).
    pub route_servers: RouteServers,
    /// Per gateway: the routes it learned from the Route Server of its VNet (branch-to-branch,
    /// RS-7), kept out of `gateway_prefixes`; option `route_server_relearned_routes` (C31).
    pub route_server_relearned: Vec<Vec<GatewayPrefix>>,
    /// Virtual WAN hubs: each hub table's effective routes (§20.2, §20.3).
    pub vwan: crate::vwan::VwanRouting,
    /// Who peers with whom, by (VNet, remote VNet): asked at every peering a trace crosses,
    /// where a hub's list of peerings is hundreds long.
    peering_index: PeeringIndex,
    /// Per gateway, the first of its `gateway_prefixes` that holds an address, by search:
    /// asked for every packet a trace cannot deliver, where a scan of every gateway's prefixes
    /// was a tenth of the doctor's exhaustive analysis.
    gateway_prefix_index: Vec<crate::FirstOwner>,
}

/// The peerings between VNets as maps, built with the statuses: `peering_between` and
/// `connected_between` in one lookup instead of a scan of the VNet's peerings.
#[derive(Clone, Debug, Default)]
struct PeeringIndex {
    /// The first peering (in the VNet's own order) from a VNet to a remote VNet.
    first: FxHashMap<(VnetIdx, VnetIdx), PeeringIdx>,
    /// The (VNet, remote VNet) pairs with at least one connected peering.
    connected: FxHashSet<(VnetIdx, VnetIdx)>,
}

impl PeeringIndex {
    fn build(snap: &Snapshot, statuses: &[PeeringStatus]) -> PeeringIndex {
        let mut index = PeeringIndex::default();
        for (v, vnet) in snap.vnets.iter().enumerate() {
            let v = VnetIdx(v as u32);
            for &p in &vnet.peerings {
                let status = &statuses[p.index()];
                let Some(remote) = status.remote_vnet else { continue };
                index.first.entry((v, remote)).or_insert(p);
                if status.connected {
                    index.connected.insert((v, remote));
                }
            }
        }
        index
    }
}

impl Topology {
    /// The topology under the default options.
    pub fn build(snap: &Snapshot) -> Topology {
        Topology::build_with(snap, &ModelOptions::default())
    }

    /// The topology; `options` decide the Virtual WAN hub tables' disputed points (§20.4).
    pub fn build_with(snap: &Snapshot, options: &ModelOptions) -> Topology {
        let peerings = peering_statuses(snap);
        let mut own_gateways = vec![Vec::new(); snap.vnets.len()];
        for (gi, gw) in snap.gateways.iter().enumerate() {
            if let Some(v) = gw.vnet.as_ref().and_then(|l| l.resolved())
                && matches!(gw.gateway_type, GatewayType::Vpn | GatewayType::ExpressRoute)
            {
                own_gateways[v.index()].push(GatewayIdx(gi as u32));
            }
        }
        let attachments =
            (0..snap.vnets.len()).map(|v| attachment(snap, &peerings, &own_gateways, VnetIdx(v as u32))).collect();
        let route_servers = RouteServers::build(snap, &peerings);
        let (gateway_prefixes, route_server_relearned): (Vec<Vec<GatewayPrefix>>, Vec<_>) = (0..snap.gateways.len())
            .map(|g| {
                let vnet = snap.gateways[g].vnet.as_ref().and_then(|l| l.resolved());
                gateway_prefixes(snap, GatewayIdx(g as u32), &router_addresses(snap, &route_servers, vnet))
            })
            .unzip();
        let mut endpoints_by_vnet = vec![Vec::new(); snap.vnets.len()];
        for (pi, pe) in snap.private_endpoints.iter().enumerate() {
            if let Some(s) = pe.subnet.as_ref().and_then(|l| l.resolved()) {
                endpoints_by_vnet[snap.subnets[s.index()].vnet.index()].push(PrivateEndpointIdx(pi as u32));
            }
        }
        let connected_groups = crate::ConnectedGroups::build(snap);
        let peering_index = PeeringIndex::build(snap, &peerings);
        let gateway_prefix_index = gateway_prefixes
            .iter()
            .map(|prefixes| crate::FirstOwner::new(prefixes.iter().map(|gp| std::slice::from_ref(&gp.prefix))))
            .collect();
        Topology {
            gateway_prefix_index,
            peering_index,
            peerings,
            own_gateways,
            attachments,
            gateway_prefixes,
            endpoints_by_vnet,
            connected_groups,
            route_servers,
            route_server_relearned,
            vwan: crate::vwan::VwanRouting::build_with(snap, options),
        }
    }

    /// Each gateway whose on-premises prefixes hold an address, with the first of them (in
    /// `gateway_prefixes` order) that does.
    pub fn gateway_prefixes_holding(&self, ip: IpAddr) -> impl Iterator<Item = (GatewayIdx, &GatewayPrefix)> {
        self.gateway_prefix_index.iter().enumerate().filter_map(move |(g, index)| {
            index.owner_of(ip).map(|i| (GatewayIdx(g as u32), &self.gateway_prefixes[g][i]))
        })
    }

    /// Connected peerings of a VNet, with their remote VNet when exported.
    pub fn connected_peerings<'a>(
        &'a self,
        snap: &'a Snapshot,
        vnet: VnetIdx,
    ) -> impl Iterator<Item = PeeringIdx> + 'a {
        snap.vnets[vnet.index()].peerings.iter().copied().filter(move |p| self.peerings[p.index()].connected)
    }

    /// The peering from `vnet` to `remote`, if any: the first in `vnet`'s own order.
    /// `snap` is the snapshot the topology was built from (its peering lists are indexed).
    pub fn peering_between(&self, snap: &Snapshot, vnet: VnetIdx, remote: VnetIdx) -> Option<PeeringIdx> {
        debug_assert_eq!(
            self.peering_index.first.get(&(vnet, remote)).copied(),
            snap.vnets[vnet.index()]
                .peerings
                .iter()
                .copied()
                .find(|p| self.peerings[p.index()].remote_vnet == Some(remote)),
            "the topology indexes the snapshot it was built from"
        );
        self.peering_index.first.get(&(vnet, remote)).copied()
    }

    /// Whether `vnet` has a connected peering to `remote`.
    pub fn connected_between(&self, vnet: VnetIdx, remote: VnetIdx) -> bool {
        self.peering_index.connected.contains(&(vnet, remote))
    }
}

fn peering_statuses(snap: &Snapshot) -> Vec<PeeringStatus> {
    snap.peerings
        .iter()
        .map(|p| {
            let remote_vnet = p.remote_vnet.resolved();
            let reverse = remote_vnet.and_then(|r| {
                snap.vnets[r.index()]
                    .peerings
                    .iter()
                    .copied()
                    .find(|q| snap.peerings[q.index()].remote_vnet.resolved() == Some(p.vnet))
            });
            let remote_state = match (remote_vnet, reverse) {
                (_, Some(q)) => Some(snap.peerings[q.index()].state.as_str().to_string()),
                (Some(_), None) => Some("missing".to_string()),
                (None, None) => None,
            };
            let local_ok = p.state == PeeringState::Connected;
            // §5.1: routes only when both peering objects are Connected. When the remote VNet
            // is exported without a peering back, that side was deleted (its remote shows
            // Disconnected in Azure, T37); when the remote VNet is not exported, this side's
            // state is all there is.
            let remote_ok = match (remote_vnet, reverse) {
                (_, Some(q)) => snap.peerings[q.index()].state == PeeringState::Connected,
                (Some(_), None) => false,
                (None, None) => true,
            };
            let local_loc = &snap.vnets[p.vnet.index()].location;
            let global = match remote_vnet {
                Some(r) => {
                    let remote_loc = &snap.vnets[r.index()].location;
                    !local_loc.is_empty() && !remote_loc.is_empty() && local_loc != remote_loc
                }
                None => false,
            };
            PeeringStatus {
                connected: local_ok && remote_ok,
                local_state: p.state.as_str().to_string(),
                remote_state,
                reverse,
                global,
                remote_vnet,
            }
        })
        .collect()
}

/// Which gateway serves a VNet (§5.3): its own, else the remote VNet's through a peering with
/// `useRemoteGateways` whose reverse side has `allowGatewayTransit`.
fn attachment(
    snap: &Snapshot,
    peerings: &[PeeringStatus],
    own: &[Vec<GatewayIdx>],
    vnet: VnetIdx,
) -> GatewayAttachment {
    let mut out = GatewayAttachment::default();
    if !own[vnet.index()].is_empty() {
        out.gateways = own[vnet.index()].clone();
    }
    for &p in &snap.vnets[vnet.index()].peerings {
        let status = &peerings[p.index()];
        let peering = &snap.peerings[p.index()];
        let Some(remote) = status.remote_vnet else {
            continue;
        };
        let remote_allows = status.reverse.is_some_and(|q| snap.peerings[q.index()].allow_gateway_transit);
        let remote_has_gateway = !own[remote.index()].is_empty();
        if peering.use_remote_gateways && status.connected && remote_allows && remote_has_gateway {
            if out.gateways.is_empty() && out.via.is_none() {
                out.gateways = own[remote.index()].clone();
                out.via = Some(p);
            }
        } else if status.connected && remote_has_gateway && (peering.use_remote_gateways || remote_allows) {
            out.mismatches.push(TableNote::GatewayTransitMismatch {
                peering: p,
                use_remote_gateways: peering.use_remote_gateways,
                remote_allows_transit: remote_allows,
                remote_has_gateway,
            });
        }
    }
    out
}

/// What a gateway programs into the subnets it serves, and apart, the routes it learned from a
/// Route Server in its VNet (`route_server_ips`, branch-to-branch), which by default are the
/// Route Server's to program (RS-7, C31).
fn gateway_prefixes(
    snap: &Snapshot,
    g: GatewayIdx,
    route_server_ips: &[IpAddr],
) -> (Vec<GatewayPrefix>, Vec<GatewayPrefix>) {
    let gw = &snap.gateways[g.index()];
    let own_space: Vec<IpNet> = gw
        .vnet
        .as_ref()
        .and_then(|l| l.resolved())
        .map(|v| snap.vnets[v.index()].address_space.clone())
        .unwrap_or_default();
    let mut by_prefix: BTreeMap<IpNet, GatewayPrefix> = BTreeMap::new();
    let mut relearned: BTreeMap<IpNet, GatewayPrefix> = BTreeMap::new();
    let add = |by_prefix: &mut BTreeMap<IpNet, GatewayPrefix>,
               prefix: IpNet,
               next_hops: Vec<IpAddr>,
               kind: GatewayRouteKind| {
        if own_space.contains(&prefix) {
            return;
        }
        let entry = by_prefix.entry(prefix).or_insert_with(|| GatewayPrefix {
            prefix,
            next_hops: Vec::new(),
            kinds: Vec::new(),
        });
        for ip in next_hops {
            if !entry.next_hops.contains(&ip) {
                entry.next_hops.push(ip);
            }
        }
        if !entry.kinds.contains(&kind) {
            entry.kinds.push(kind);
        }
    };
    let instance = gw.instance_ips.clone();
    for (ci, conn) in snap.connections.iter().enumerate() {
        let is_gw1 = conn.gateway1.as_ref().and_then(|l| l.resolved()) == Some(g);
        let is_gw2 = conn.gateway2.as_ref().and_then(|l| l.resolved()) == Some(g);
        if !is_gw1 && !is_gw2 {
            continue;
        }
        let connection = ConnectionIdx(ci as u32);
        match conn.connection_type {
            ConnectionType::IPsec => {
                if let Some(lng) = conn.local_gateway2.as_ref().and_then(|l| l.resolved()) {
                    for prefix in &snap.local_gateways[lng.index()].prefixes {
                        add(
                            &mut by_prefix,
                            *prefix,
                            instance.clone(),
                            GatewayRouteKind::LocalNetworkGateway { local_gateway: lng, connection },
                        );
                    }
                }
            }
            ConnectionType::Vnet2Vnet => {
                let other = if is_gw1 { &conn.gateway2 } else { &conn.gateway1 };
                let remote = other
                    .as_ref()
                    .and_then(|l| l.resolved())
                    .and_then(|o| snap.gateways[o.index()].vnet.as_ref().and_then(|l| l.resolved()));
                if let Some(remote_vnet) = remote {
                    for prefix in &snap.vnets[remote_vnet.index()].address_space {
                        add(
                            &mut by_prefix,
                            *prefix,
                            instance.clone(),
                            GatewayRouteKind::Vnet2Vnet { connection, remote_vnet },
                        );
                    }
                }
            }
            _ => {}
        }
    }
    for learned in &gw.learned_routes {
        if learned.origin.eq_ignore_ascii_case("Network") {
            continue;
        }
        let from_route_server = route_server_ips.iter().any(|ip| learned.source_peer.trim() == ip.to_string());
        let target = if from_route_server { &mut relearned } else { &mut by_prefix };
        // ExpressRoute routes point at the Microsoft edge routers the route was learned from
        // (C4); VPN routes at the gateway's own instances.
        let hops = if gw.gateway_type == GatewayType::ExpressRoute {
            learned.next_hop.into_iter().collect()
        } else {
            instance.clone()
        };
        add(
            target,
            learned.network,
            hops,
            GatewayRouteKind::Bgp {
                origin: learned.origin.as_str().into(),
                source_peer: learned.source_peer.as_str().into(),
                as_path: learned.as_path.as_str().into(),
            },
        );
    }
    for prefix in &gw.vpn_client_address_pool {
        add(&mut by_prefix, *prefix, instance.clone(), GatewayRouteKind::PointToSiteClientPool);
    }
    (by_prefix.into_values().collect(), relearned.into_values().collect())
}
