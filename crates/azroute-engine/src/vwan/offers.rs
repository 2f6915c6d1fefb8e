//! What each connection of a Virtual WAN offers its hub (§20.2): a spoke VNet's address space
//! and static routes, what the hub's BGP peers in that spoke advertise, a VPN site's prefixes,
//! and ExpressRoute prefixes (known only from observed hub routes). Each offer is written as
//! the local hub shows it; `tables.rs` places it.

use azroute_model::*;
use ipnet::IpNet;

use super::types::*;

/// A connection with what it offers and where it propagates.
pub(super) struct Conn {
    pub state: HubConnectionState,
    /// Position of its hub in the WAN hubs list.
    pub hub: usize,
    pub routing: ConnectionRouting,
    pub offers: Vec<HubEffectiveRoute>,
    /// `propagateStaticRoutes` is true: its static routes cross hubs (VW-3).
    pub propagate_static: bool,
    /// Routing intent's forced propagation (RI-3), replacing `routing`'s.
    pub forced: Option<ForcedPropagation>,
}

/// RI-3: where routing intent makes every connection of a hub propagate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ForcedPropagation {
    /// Internet policy only: the `default` label (every hub's default table).
    DefaultLabel,
    /// A private policy: `noneRouteTable`, that is nowhere.
    Nowhere,
}

/// One local route of one prefix.
fn offer(
    prefix: IpNet,
    kind: OfferKind,
    next_hop_type: HubNextHopType,
    hop: &ArmId,
    as_path: String,
) -> HubEffectiveRoute {
    HubEffectiveRoute {
        prefixes: vec![prefix],
        next_hop_type,
        next_hops: vec![hop.clone()],
        route_origin: hop.clone(),
        as_path,
        kind,
        next_hop_ips: Vec::new(),
        reason: HubRouteReason::FirewallInternet,
        derived: false,
    }
}

/// Observed hub routes of one hub with this next hop type (branch prefixes Azure reported).
fn observed<'a>(
    snap: &'a Snapshot,
    hub: &'a ArmId,
    kind: HubNextHopType,
) -> impl Iterator<Item = (IpNet, String)> + 'a {
    snap.vwan
        .observed_routes
        .iter()
        .filter(move |o| same_arm_id(o.virtual_hub.as_str(), hub.as_str()))
        .flat_map(|o| o.routes.iter())
        .filter(move |r| HubNextHopType::parse(&r.next_hop_type) == kind)
        .flat_map(|r| r.address_prefixes.iter().filter_map(|p| parse_prefix(p).ok()).map(|p| (p, r.as_path.clone())))
}

fn push_unique(offers: &mut Vec<HubEffectiveRoute>, route: HubEffectiveRoute) {
    if !offers.iter().any(|o| o.prefixes == route.prefixes && o.next_hops == route.next_hops) {
        offers.push(route);
    }
}

/// Every connection of every Virtual WAN hub, in id order.
pub(super) fn connections(
    snap: &Snapshot,
    hubs: &[VirtualHubIdx],
    notes: &mut [Vec<HubNote>],
    options: &ModelOptions,
) -> Vec<Conn> {
    let hub_pos =
        |id: &ArmId| hubs.iter().position(|h| same_arm_id(snap.virtual_hubs[h.index()].id.as_str(), id.as_str()));
    let mut out = Vec::new();
    for c in &snap.vwan.hub_connections {
        let Some(h) = hub_pos(&c.hub) else { continue };
        out.push(vnet_connection(snap, c, h, &mut notes[h], options));
    }
    for g in &snap.vwan.vpn_gateways {
        let Some(h) = g.hub.as_ref().and_then(hub_pos) else { continue };
        for c in &g.connections {
            out.push(vpn_connection(snap, g, c, h, &mut notes[h]));
        }
    }
    for g in &snap.vwan.express_route_gateways {
        let Some(h) = g.hub.as_ref().and_then(hub_pos) else { continue };
        for c in &g.connections {
            out.push(express_route_connection(snap, g, c, h, &mut notes[h]));
        }
    }
    out
}

fn state(
    id: &ArmId,
    name: &str,
    kind: OfferKind,
    routing: &ConnectionRouting,
    eis: Option<bool>,
) -> HubConnectionState {
    HubConnectionState {
        id: id.clone(),
        name: name.to_string(),
        kind,
        associated: routing.associated_route_table.clone().unwrap_or_else(|| ArmId::new("")),
        associated_by_intent: false,
        enable_internet_security: eis,
        vnet: None,
        vnet_local_route_override: routing.vnet_local_route_override.clone(),
        site: None,
        branch_prefixes: Vec::new(),
    }
}

/// A branch connection's state, with the prefixes it offers.
fn branch_state(mut st: HubConnectionState, offers: &[HubEffectiveRoute]) -> HubConnectionState {
    for p in offers.iter().flat_map(|o| o.prefixes.iter()) {
        if !st.branch_prefixes.contains(p) {
            st.branch_prefixes.push(*p);
        }
    }
    st
}

/// A spoke: its VNet's address space, its static routes (VW-6) and its BGP peers' routes.
fn vnet_connection(
    snap: &Snapshot,
    c: &HubVnetConnection,
    hub: usize,
    notes: &mut Vec<HubNote>,
    options: &ModelOptions,
) -> Conn {
    let mut st = state(&c.id, &c.name, OfferKind::VnetConnection, &c.routing, c.enable_internet_security);
    let vnet = c.remote_vnet.as_ref().and_then(|id| snap.resolve_id(ResourceKind::VirtualNetwork, id.as_str()));
    st.vnet = vnet.map(VnetIdx);
    let mut offers = Vec::new();
    match vnet {
        Some(v) => {
            for p in &snap.vnets[v as usize].address_space {
                let hop = HubNextHopType::VirtualNetworkConnection;
                push_unique(&mut offers, offer(*p, OfferKind::VnetConnection, hop, &c.id, String::new()));
            }
        }
        None => notes.push(HubNote::ConnectedVnetMissing { connection: c.id.clone(), vnet: c.remote_vnet.clone() }),
    }
    for r in &c.routing.static_routes {
        for p in &r.address_prefixes {
            let hop = HubNextHopType::VirtualNetworkConnection;
            let mut route = offer(*p, OfferKind::ConnectionStatic, hop, &c.id, String::new());
            route.next_hop_ips = r.next_hop_ip.into_iter().collect();
            push_unique(&mut offers, route);
        }
    }
    bgp_peer_offers(snap, c, &mut offers, notes);
    // C28: unset reads as hub-local unless the option says otherwise.
    let all_hubs = options.vwan_static_route_propagation == VwanStaticRoutePropagation::AllHubs;
    let propagate_static = c.routing.propagate_static_routes.unwrap_or(all_hubs);
    if !c.routing.static_routes.is_empty() {
        if c.routing.propagate_static_routes.is_none() {
            notes.push(HubNote::StaticRoutePropagationAssumed { connection: c.id.clone(), all_hubs });
        }
        if !propagate_static {
            notes.push(HubNote::StaticRoutesNotPropagated { connection: c.id.clone() });
        }
    }
    Conn { state: st, hub, routing: c.routing.clone(), offers, propagate_static, forced: None }
}

/// Routes the hub's BGP peers in this spoke advertised (`HubBgpConnection`).
fn bgp_peer_offers(
    snap: &Snapshot,
    c: &HubVnetConnection,
    offers: &mut Vec<HubEffectiveRoute>,
    notes: &mut Vec<HubNote>,
) {
    let peers = snap.virtual_hubs.iter().flat_map(|h| h.bgp_connections.iter()).filter(|b| {
        b.hub_virtual_network_connection.as_ref().is_some_and(|id| same_arm_id(id.as_str(), c.id.as_str()))
    });
    for b in peers {
        if !b.learned_routes_supplied {
            notes.push(HubNote::BgpPeerRoutesUnknown { bgp_connection: b.id.clone() });
            continue;
        }
        for r in &b.learned_routes {
            let hop = HubNextHopType::HubBgpConnection;
            let mut route = offer(r.route.network, OfferKind::BgpPeer, hop, &b.id, r.route.as_path.clone());
            route.next_hop_ips = r.route.next_hop.into_iter().collect();
            push_unique(offers, route);
        }
    }
}

/// A branch over site-to-site VPN: the site's address space; with BGP, what Azure reported.
fn vpn_connection(snap: &Snapshot, g: &VpnGateway, c: &VpnConnection, hub: usize, notes: &mut Vec<HubNote>) -> Conn {
    let mut st = state(&c.id, &c.name, OfferKind::Vpn, &c.routing, c.enable_internet_security);
    st.site = c.remote_vpn_site.clone();
    let site = c.remote_vpn_site.as_ref().and_then(|id| snap.resolve_id(ResourceKind::VpnSite, id.as_str()));
    let site = site.map(|s| &snap.vwan.vpn_sites[s as usize]);
    let as_path = match (c.enable_bgp, site.and_then(|s| s.asn())) {
        (true, Some(asn)) => asn.to_string(),
        _ => String::new(),
    };
    let ips = g.instance_ips();
    let mut offers = Vec::new();
    for p in site.map(|s| s.address_space.as_slice()).unwrap_or_default() {
        let mut route = offer(*p, OfferKind::Vpn, HubNextHopType::VpnS2sGateway, &g.id, as_path.clone());
        route.next_hop_ips = ips.clone();
        push_unique(&mut offers, route);
    }
    if c.enable_bgp {
        let learned: Vec<(IpNet, String)> =
            g.hub.as_ref().map(|id| observed(snap, id, HubNextHopType::VpnS2sGateway).collect()).unwrap_or_default();
        if learned.is_empty() {
            notes.push(HubNote::VpnBgpRoutesUnknown { connection: c.id.clone(), site: c.remote_vpn_site.clone() });
        }
        for (p, path) in learned {
            let mut route = offer(p, OfferKind::Vpn, HubNextHopType::VpnS2sGateway, &g.id, path);
            route.next_hop_ips = ips.clone();
            push_unique(&mut offers, route);
        }
    }
    let state = branch_state(st, &offers);
    Conn { state, hub, routing: c.routing.clone(), offers, propagate_static: false, forced: None }
}

/// A branch over ExpressRoute: prefixes only observed hub routes can give.
fn express_route_connection(
    snap: &Snapshot,
    g: &ExpressRouteGateway,
    c: &ExpressRouteConnection,
    hub: usize,
    notes: &mut Vec<HubNote>,
) -> Conn {
    let st = state(&c.id, &c.name, OfferKind::ExpressRoute, &c.routing, c.enable_internet_security);
    let hub_id = g.hub.clone().unwrap_or_else(|| ArmId::new(""));
    let mut offers = Vec::new();
    for (p, path) in observed(snap, &hub_id, HubNextHopType::ExpressRouteGateway) {
        push_unique(&mut offers, offer(p, OfferKind::ExpressRoute, HubNextHopType::ExpressRouteGateway, &g.id, path));
    }
    if offers.is_empty() {
        notes.push(HubNote::ExpressRouteRoutesUnknown { connection: c.id.clone() });
    }
    let state = branch_state(st, &offers);
    Conn { state, hub, routing: c.routing.clone(), offers, propagate_static: false, forced: None }
}
