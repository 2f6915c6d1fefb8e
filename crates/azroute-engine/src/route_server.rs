//! Azure Route Server (§19.2, RS-1…RS-12): which VNets receive a Route Server's
//! routes (its own and the peered VNets that use its VNet's gateway or Route Server), which
//! learned routes it programs (prefixes not inside its VNet, AS paths without 65515, the
//! shortest AS path per prefix), and how they meet gateway routes for the same prefix
//! (`hubRoutingPreference`). Routes are programmed with the BGP next hop (RS-4), one route per
//! distinct next hop (RS-5).

use std::collections::BTreeMap;
use std::net::IpAddr;

use azroute_model::*;
use ipnet::IpNet;

use crate::topology::PeeringStatus;

/// The ASN of Azure's own routers: an AS path holding it is dropped by loop prevention (RS-8).
pub const AZURE_ROUTER_ASN: &str = "65515";

/// The routes a Route Server accepts from one peer; a peer over it has its BGP session torn
/// down, so none of its routes are programmed (RS-8; 1,000 before 2025).
pub const PEER_ROUTE_LIMIT: usize = 4000;

/// Whether a peer ASN is one Route Server refuses (RS-8): not a 16-bit ASN, or reserved
/// (Azure's 8074, 8075, 12076, 65515, 65517–65520; IANA's 23456, 64496–64511, 65535).
pub fn peer_asn_refused(asn: i64) -> bool {
    !(1..=65535).contains(&asn)
        || matches!(asn, 8074 | 8075 | 12076 | 23456 | 65515 | 65517..=65520 | 64496..=64511 | 65535)
}

/// One route a Route Server programs: a prefix and one next hop (equal AS paths give one
/// route per distinct next hop, RS-5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteServerRoute {
    pub prefix: IpNet,
    pub next_hop: IpAddr,
    /// The AS path as the peer advertised it (`65002-65001`).
    pub as_path: String,
    /// The BGP connections (indices into the hub's `bgp_connections`) that advertised it.
    pub peers: Vec<usize>,
    /// Whether it carries NO_ADVERTISE (RS-9): programmed in the VNets but not advertised to
    /// other peers or gateways; `None` when the learned routes show no communities.
    pub no_advertise: Option<bool>,
}

/// Why a learned route is not programmed (RS-3, RS-5, RS-8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteServerDrop {
    /// The AS path holds 65515 (RS-8).
    AsPath65515,
    /// The prefix equals or lies inside this range of the Route Server's VNet (RS-3).
    InsideVnetRange { range: IpNet },
    /// Another peer offers the prefix with a shorter AS path (RS-5).
    LongerAsPath { shortest: usize },
    /// The peer advertised more routes than the limit: its session is torn down (RS-8).
    PeerOverRouteLimit { routes: usize },
}

/// A learned route the Route Server does not program, with why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DroppedRoute {
    pub connection: usize,
    pub route: LearnedRoute,
    pub reason: RouteServerDrop,
}

/// What one Route Server programs, and what it drops.
#[derive(Clone, Debug, Default)]
pub struct RouteServerRib {
    pub routes: Vec<RouteServerRoute>,
    pub dropped: Vec<DroppedRoute>,
    /// BGP connections with no learned-routes file: what they advertise is unknown.
    pub unknown_peers: Vec<usize>,
}

/// Route Servers of a snapshot: what each programs and which VNets it serves.
#[derive(Clone, Debug, Default)]
pub struct RouteServers {
    /// Per hub (index into `virtual_hubs`); empty for Virtual WAN hubs.
    pub ribs: Vec<RouteServerRib>,
    /// Per VNet: the Route Server whose routes it receives, and the peering it comes over
    /// (`None` for the Route Server's own VNet).
    pub serving: Vec<Option<(VirtualHubIdx, Option<PeeringIdx>)>>,
}

impl RouteServers {
    pub fn build(snap: &Snapshot, peerings: &[PeeringStatus]) -> RouteServers {
        let ribs = snap.virtual_hubs.iter().map(|h| rib(snap, h)).collect();
        let own = own_route_servers(snap);
        let serving = (0..snap.vnets.len()).map(|v| serving(snap, peerings, &own, VnetIdx(v as u32))).collect();
        RouteServers { ribs, serving }
    }

    /// The Route Server in a VNet, if any (RS-12: one per VNet).
    pub fn in_vnet(&self, vnet: VnetIdx) -> Option<VirtualHubIdx> {
        match self.serving.get(vnet.index()) {
            Some(Some((hub, None))) => Some(*hub),
            _ => None,
        }
    }
}

/// The Route Server of each VNet (its RouteServerSubnet's VNet).
fn own_route_servers(snap: &Snapshot) -> Vec<Option<VirtualHubIdx>> {
    let mut own = vec![None; snap.vnets.len()];
    for (hi, hub) in snap.virtual_hubs.iter().enumerate() {
        if let (true, Some(v)) = (hub.is_route_server(), hub.vnet.as_ref().and_then(|l| l.resolved())) {
            own[v.index()].get_or_insert(VirtualHubIdx(hi as u32));
        }
    }
    own
}

/// RS-1: a VNet receives its own Route Server's routes, else those of a peered VNet's Route
/// Server when its peering uses the remote gateway and the remote side allows gateway transit.
fn serving(
    snap: &Snapshot,
    peerings: &[PeeringStatus],
    own: &[Option<VirtualHubIdx>],
    vnet: VnetIdx,
) -> Option<(VirtualHubIdx, Option<PeeringIdx>)> {
    if let Some(hub) = own[vnet.index()] {
        return Some((hub, None));
    }
    snap.vnets[vnet.index()].peerings.iter().find_map(|&p| {
        let status = &peerings[p.index()];
        let remote = status.remote_vnet?;
        let hub = own[remote.index()]?;
        let transit = status.reverse.is_some_and(|q| snap.peerings[q.index()].allow_gateway_transit);
        (snap.peerings[p.index()].use_remote_gateways && status.connected && transit).then_some((hub, Some(p)))
    })
}

/// Whether an AS path (`65002-65001`, `65002 65001`) holds an ASN.
pub fn as_path_holds(as_path: &str, asn: &str) -> bool {
    as_path.split(['-', ' ', ',']).any(|a| a.trim() == asn)
}

/// The length of an AS path, in ASNs.
pub fn as_path_len(as_path: &str) -> usize {
    as_path.split(['-', ' ', ',']).filter(|a| !a.trim().is_empty()).count()
}

/// A candidate route for a prefix: (next hop, AS path length, connection, learned route).
type Candidate<'a> = (IpAddr, usize, usize, &'a HubLearnedRoute);

/// What one Route Server programs (RS-3, RS-4, RS-5, RS-8).
fn rib(snap: &Snapshot, hub: &VirtualHub) -> RouteServerRib {
    let mut out = RouteServerRib::default();
    if !hub.is_route_server() {
        return out;
    }
    let space: &[IpNet] = match hub.vnet.as_ref().and_then(|l| l.resolved()) {
        Some(v) => &snap.vnets[v.index()].address_space,
        None => &[],
    };
    let mut by_prefix: BTreeMap<IpNet, Vec<Candidate<'_>>> = BTreeMap::new();
    for (ci, connection) in hub.bgp_connections.iter().enumerate() {
        if !connection.learned_routes_supplied {
            out.unknown_peers.push(ci);
            continue;
        }
        let routes = peer_route_count(connection);
        if routes > PEER_ROUTE_LIMIT {
            for learned in &connection.learned_routes {
                let reason = RouteServerDrop::PeerOverRouteLimit { routes };
                push_once(&mut out.dropped, DroppedRoute { connection: ci, route: learned.route.clone(), reason });
            }
            continue;
        }
        for learned in &connection.learned_routes {
            let r = &learned.route;
            let drop = |reason| DroppedRoute { connection: ci, route: r.clone(), reason };
            if as_path_holds(&r.as_path, AZURE_ROUTER_ASN) {
                push_once(&mut out.dropped, drop(RouteServerDrop::AsPath65515));
            } else if let Some(range) = space.iter().find(|range| contains_prefix(range, &r.network)) {
                push_once(&mut out.dropped, drop(RouteServerDrop::InsideVnetRange { range: *range }));
            } else if let Some(hop) = r.next_hop.or(connection.peer_ip) {
                by_prefix.entry(r.network).or_default().push((hop, as_path_len(&r.as_path), ci, learned));
            }
        }
    }
    for (prefix, candidates) in by_prefix {
        select_shortest(prefix, candidates, &mut out);
    }
    out
}

/// The routes a peer advertised: the larger count of distinct prefixes over the instances.
pub fn peer_route_count(connection: &BgpConnection) -> usize {
    let mut by_instance: BTreeMap<&str, std::collections::BTreeSet<IpNet>> = BTreeMap::new();
    for r in &connection.learned_routes {
        by_instance.entry(r.instance.as_str()).or_default().insert(r.route.network);
    }
    by_instance.values().map(|s| s.len()).max().unwrap_or(0)
}

/// RS-5: only the shortest AS paths are programmed, one route per distinct next hop.
fn select_shortest(prefix: IpNet, candidates: Vec<Candidate<'_>>, out: &mut RouteServerRib) {
    let shortest = candidates.iter().map(|c| c.1).min().unwrap_or(0);
    let first = out.routes.len();
    for (hop, len, ci, learned) in candidates {
        let r = &learned.route;
        if len > shortest {
            let dropped =
                DroppedRoute { connection: ci, route: r.clone(), reason: RouteServerDrop::LongerAsPath { shortest } };
            push_once(&mut out.dropped, dropped);
            continue;
        }
        match out.routes[first..].iter_mut().find(|x| x.next_hop == hop) {
            Some(existing) => {
                if !existing.peers.contains(&ci) {
                    existing.peers.push(ci);
                }
                existing.no_advertise = merge_no_advertise(existing.no_advertise, learned.no_advertise());
            }
            None => out.routes.push(RouteServerRoute {
                prefix,
                next_hop: hop,
                as_path: r.as_path.clone(),
                peers: vec![ci],
                no_advertise: learned.no_advertise(),
            }),
        }
    }
    out.routes[first..].sort_by_key(|r| r.next_hop);
}

/// RS-9 over several copies of one route: it is kept from advertisement only if every copy
/// carries NO_ADVERTISE; unknown as soon as one copy's communities are.
fn merge_no_advertise(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn push_once<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// Which of a gateway route and a Route Server route for the same prefix is programmed
/// (RS-6, `hubRoutingPreference`): ExpressRoute (default) prefers ExpressRoute; VpnGateway
/// prefers VPN and NVA routes over ExpressRoute; ASPath the shorter AS path. Between a VPN and
/// an NVA route the shorter AS path wins whatever the preference. `None`: a tie the
/// documentation does not decide.
pub fn gateway_wins(
    preference: &HubRoutingPreference,
    gateway_is_expressroute: bool,
    gateway_as_path_len: usize,
    route_server_as_path_len: usize,
) -> Option<bool> {
    let by_as_path = || match gateway_as_path_len.cmp(&route_server_as_path_len) {
        std::cmp::Ordering::Less => Some(true),
        std::cmp::Ordering::Greater => Some(false),
        std::cmp::Ordering::Equal => None,
    };
    match (preference, gateway_is_expressroute) {
        (HubRoutingPreference::AsPath, _) => by_as_path(),
        (HubRoutingPreference::VpnGateway, true) => Some(false),
        (_, true) => Some(true),
        (_, false) => by_as_path(),
    }
}

/// The Route Server addresses of a VNet: routes a gateway learned from them are the Route
/// Server's (branch-to-branch, RS-7), programmed by the Route Server step, not the gateway's.
pub fn router_addresses(snap: &Snapshot, route_servers: &RouteServers, vnet: Option<VnetIdx>) -> Vec<IpAddr> {
    vnet.and_then(|v| route_servers.in_vnet(v))
        .map(|h| snap.virtual_hubs[h.index()].virtual_router_ips.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_paths_are_read_by_asn_not_by_text() {
        assert!(as_path_holds("65001-65515", "65515"));
        assert!(as_path_holds("65515", "65515"));
        assert!(!as_path_holds("655150-65001", "65515"));
        assert_eq!(as_path_len("65002-65001"), 2);
        assert_eq!(as_path_len(""), 0);
        assert_eq!(as_path_len("65002 65001 65001"), 3);
    }

    #[test]
    fn refused_peer_asns_rs8() {
        for asn in [65515, 12076, 8075, 23456, 64500, 65519, 65535, 65536, 4_200_000_000, 0] {
            assert!(peer_asn_refused(asn), "{asn}");
        }
        for asn in [65001, 64512, 65516, 65521, 1] {
            assert!(!peer_asn_refused(asn), "{asn}");
        }
    }

    #[test]
    fn routing_preference_decides_gateway_against_route_server_rs6() {
        let er = HubRoutingPreference::ExpressRoute;
        // Default: ExpressRoute wins even with a longer AS path.
        assert_eq!(gateway_wins(&er, true, 3, 1), Some(true));
        // VPN against NVA: shortest AS path, whatever the preference.
        assert_eq!(gateway_wins(&er, false, 1, 2), Some(true));
        assert_eq!(gateway_wins(&er, false, 2, 1), Some(false));
        assert_eq!(gateway_wins(&er, false, 2, 2), None);
        assert_eq!(gateway_wins(&HubRoutingPreference::VpnGateway, true, 1, 3), Some(false));
        assert_eq!(gateway_wins(&HubRoutingPreference::AsPath, true, 3, 1), Some(false));
        assert_eq!(gateway_wins(&HubRoutingPreference::AsPath, true, 1, 3), Some(true));
    }
}
