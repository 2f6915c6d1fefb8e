//! What a spoke connected to a Virtual WAN hub programs into its NICs (§20.4 VW-N1, VW-N2,
//! VW-5, VW-8): the routes of its connection's associated table, 0.0.0.0/0 only with
//! `enableInternetSecurity`, nothing equal to or inside the spoke's own space, as
//! `VirtualNetworkGateway` routes whose next hop is the hub router, the VPN gateway's instances
//! (one row each), the hub firewall under routing intent, or the BGP next hop of a hub peer;
//! a hub peer's routes are not programmed over the spoke's own peerings (§20.11).

use std::net::IpAddr;

use azroute_model::*;
use ipnet::IpNet;

use super::types::*;
use crate::route::*;

/// The hub routes one spoke VNet receives, as effective routes, and the notes they need.
pub(crate) fn spoke_routes(
    snap: &Snapshot,
    routing: &super::VwanRouting,
    vnet: VnetIdx,
    options: &ModelOptions,
) -> Option<(Vec<EffectiveRoute>, Vec<TableNote>)> {
    let (hub, connection) = routing.connection_of_vnet(vnet)?;
    let space = &snap.vnets[vnet.index()].address_space;
    let router = &snap.virtual_hubs[hub.hub.index()].virtual_router_ips;
    let peered = peered_ranges(snap, vnet);
    let mut routes = Vec::new();
    let mut notes = Vec::new();
    let (mut msee_gateways, mut msee_prefixes): (Vec<ArmId>, Vec<IpNet>) = (Vec::new(), Vec::new());
    let received = hub.connection_routes(connection);
    let private = private_destinations(snap, hub, &received);
    let local_firewall = options.vwan_secured_spoke_inter_hub == VwanSecuredSpokeInterHub::LocalFirewall;
    let mut inter_hub = Vec::new();
    for r in received {
        for prefix in &r.prefixes {
            // C38 (§20.14): a secured hub's spoke sends private traffic to the local firewall,
            // even where a more specific Remote Hub route covers it.
            if crosses_local_firewall(&r, prefix, &private) {
                inter_hub.push(*prefix);
                if local_firewall {
                    continue;
                }
            }
            // VW-8: the hub cannot program a prefix equal to or inside the spoke's own space.
            if space.iter().any(|s| s.contains(prefix)) {
                continue;
            }
            // §20.11: the spoke's own peering routes are preferred over what the hub learned by
            // BGP, so a hub peer's routes are not programmed over the peering they came from.
            if r.kind == OfferKind::BgpPeer && peered.iter().any(|s| s.contains(prefix)) {
                continue;
            }
            if r.next_hop_type == HubNextHopType::ExpressRouteGateway {
                msee_prefixes.push(*prefix);
                msee_gateways
                    .extend(r.next_hops.iter().filter(|g| !msee_gateways.contains(g)).cloned().collect::<Vec<_>>());
            }
            for (ips, assumed) in next_hops(&r, router, options) {
                routes.push(route(hub.hub, &r, *prefix, ips, assumed));
            }
        }
    }
    if !inter_hub.is_empty() {
        notes.push(TableNote::VirtualWanSecuredSpokeInterHub { hub: hub.hub, prefixes: inter_hub, local_firewall });
    }
    if routes.iter().any(|r| r.assumed) {
        notes.push(TableNote::VirtualWanRouterNextHopAssumed { hub: hub.hub });
    }
    if !msee_prefixes.is_empty() {
        notes.push(TableNote::VirtualWanExpressRouteNextHopUnknown {
            hub: hub.hub,
            gateways: msee_gateways,
            prefixes: msee_prefixes,
        });
    }
    if connection.enable_internet_security.is_none() {
        notes.push(TableNote::VirtualWanInternetSecurityUnknown { hub: hub.hub });
    }
    Some((routes, notes))
}

/// C38 (§20.14): whether a secured hub's connection sends `prefix` of this `Remote Hub` route to
/// its local firewall instead (under `LocalFirewall`), the prefix being private traffic the
/// policy inspects (`private`, [`private_destinations`]): from spokes and branches alike.
pub(crate) fn crosses_local_firewall(r: &HubEffectiveRoute, prefix: &IpNet, private: &[IpNet]) -> bool {
    r.next_hop_type == HubNextHopType::RemoteHub && private.iter().any(|p| p.contains(prefix))
}

/// With a private-traffic policy on the hub, the prefixes its routes send to the policy's next
/// hop (the RFC 1918 aggregates and the private traffic prefixes, RI-4, RI-5); none otherwise.
pub(crate) fn private_destinations(snap: &Snapshot, hub: &HubRouting, routes: &[HubEffectiveRoute]) -> Vec<IpNet> {
    let Some(policy) = super::intent::private_policy(snap, &snap.virtual_hubs[hub.hub.index()]) else {
        return Vec::new();
    };
    routes
        .iter()
        .filter(|r| {
            r.kind.class() == 0 && r.next_hops.iter().any(|h| same_arm_id(h.as_str(), policy.next_hop.as_str()))
        })
        .flat_map(|r| r.prefixes.iter().copied())
        .filter(|p| p.prefix_len() > 0)
        .collect()
}

/// The ranges a spoke reaches over its own connected peerings (not the hub's).
fn peered_ranges(snap: &Snapshot, vnet: VnetIdx) -> Vec<IpNet> {
    snap.peerings
        .iter()
        .filter(|p| p.vnet == vnet && p.state == PeeringState::Connected && !super::is_virtual_wan_hub_peering(p))
        .flat_map(|p| p.remote_address_space.iter().copied())
        .collect()
}

/// The rows a hub route gives: the VPN gateway's instances one row each, other next hops one
/// row (§20.4); `true` when the address is the hub router's, which rests on an assumption
/// (C26).
fn next_hops(r: &HubEffectiveRoute, router: &[IpAddr], options: &ModelOptions) -> Vec<(Vec<IpAddr>, bool)> {
    let router_row = || match options.vwan_router_next_hop {
        VwanRouterNextHop::VirtualRouterIps => vec![(router.to_vec(), true)],
        VwanRouterNextHop::Omitted => vec![(Vec::new(), false)],
    };
    match r.next_hop_type {
        HubNextHopType::VpnS2sGateway if !r.next_hop_ips.is_empty() => {
            r.next_hop_ips.iter().map(|ip| (vec![*ip], false)).collect()
        }
        HubNextHopType::AzureFirewall | HubNextHopType::NetworkVirtualAppliance | HubNextHopType::HubBgpConnection
            if !r.next_hop_ips.is_empty() =>
        {
            vec![(r.next_hop_ips.clone(), false)]
        }
        // The MSEE address is not in any configuration.
        HubNextHopType::ExpressRouteGateway => vec![(Vec::new(), false)],
        _ => router_row(),
    }
}

fn route(hub: VirtualHubIdx, r: &HubEffectiveRoute, prefix: IpNet, ips: Vec<IpAddr>, assumed: bool) -> EffectiveRoute {
    EffectiveRoute {
        name: None,
        source: RouteSource::VirtualNetworkGateway,
        state: RouteState::Active,
        prefixes: vec![prefix],
        prefix_text: vec![crate::effective::prefix_text(&prefix)],
        next_hop_type: NextHopType::VirtualNetworkGateway,
        next_hop_ips: ips,
        origin: RouteOrigin::VirtualWanHub {
            hub,
            hub_next_hop_type: r.next_hop_type.clone(),
            next_hop: r.next_hops.first().cloned(),
            derived: r.derived,
        },
        invalid: None,
        assumed,
    }
}
