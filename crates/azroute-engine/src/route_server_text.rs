//! The words of Route Server routes and notes (§19.2), and of Virtual WAN hub connections
//! (§19.4), for `--explain`.

use azroute_model::*;

use crate::route::TableNote;

fn hub_name(snap: &Snapshot, hub: VirtualHubIdx) -> &str {
    &snap.virtual_hubs[hub.index()].name
}

fn peer_names(snap: &Snapshot, hub: VirtualHubIdx, peers: &[usize]) -> String {
    let hub = &snap.virtual_hubs[hub.index()];
    peers
        .iter()
        .filter_map(|&p| hub.bgp_connections.get(p))
        .map(|c| match c.peer_ip {
            Some(ip) => format!("`{}` ({ip})", c.name),
            None => format!("`{}`", c.name),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a Route Server route exists.
pub(crate) fn origin_text(
    snap: &Snapshot,
    hub: VirtualHubIdx,
    via_peering: Option<PeeringIdx>,
    peers: &[usize],
    as_path: &str,
    no_advertise: Option<bool>,
) -> String {
    let via = match via_peering {
        Some(p) => format!(" via peering `{}` (use remote gateway or Route Server)", snap.peerings[p.index()].name),
        None => String::new(),
    };
    let advertised = match no_advertise {
        Some(true) => {
            "; it carries NO_ADVERTISE (65535:65282), so it is programmed here but not advertised to the other BGP peers or to the gateways (RS-9)"
        }
        Some(false) => "",
        None => {
            "; the learned routes show no BGP communities, so whether it carries NO_ADVERTISE (and stays out of the other peers and on-premises) cannot be told (RS-9)"
        }
    };
    format!(
        "learned by Route Server `{}`{} from BGP peer {} (AS path {}); the next hop is the BGP next hop{advertised}",
        hub_name(snap, hub),
        via,
        peer_names(snap, hub, peers),
        if as_path.is_empty() { "empty" } else { as_path }
    )
}

/// The words of a Route Server note; `None` for other notes.
pub(crate) fn note_text(snap: &Snapshot, note: &TableNote) -> Option<String> {
    Some(match note {
        TableNote::RouteServerRoutesUnknown { hub, peers } => format!(
            "Route Server `{}` has BGP peer(s) {} with no learned-routes file, so the routes they advertise are unknown and missing here (wrap `az network routeserver peering list-learned-routes` output as {{\"bgpConnectionId\", \"learnedRoutes\"}})",
            hub_name(snap, *hub),
            peer_names(snap, *hub, peers)
        ),
        TableNote::RouteServerRoutesSuppressed { table, hub, prefixes } => format!(
            "route table `{}` has disableBgpRoutePropagation = true, so the {} route(s) of Route Server `{}` are not programmed here ({})",
            snap.route_tables[table.index()].name,
            prefixes.len(),
            hub_name(snap, *hub),
            prefixes.iter().take(5).map(|p| p.to_string()).collect::<Vec<_>>().join(", ")
        ),
        TableNote::RouteServerAgainstGateway { prefix, gateway, hub, gateway_kept } => {
            let h = &snap.virtual_hubs[hub.index()];
            let gw = &snap.gateways[gateway.index()].name;
            let kept = if *gateway_kept {
                format!("gateway `{gw}`'s route is programmed")
            } else {
                format!("the Route Server's route is programmed instead of gateway `{gw}`'s")
            };
            format!(
                "{prefix} is offered by gateway `{gw}` and by Route Server `{}`; with hubRoutingPreference = {}, {kept}",
                h.name,
                h.hub_routing_preference.as_str()
            )
        }
        TableNote::RouteServerGatewayTie { prefix, gateway, hub, gateway_kept } => format!(
            "{prefix} is offered by VPN gateway `{}` and by Route Server `{}` with equally long AS paths; Azure does not document which wins, so azroute assumes {} (option --route-server-vpn-tie {}, C30)",
            snap.gateways[gateway.index()].name,
            hub_name(snap, *hub),
            if *gateway_kept { "the gateway's route" } else { "the Route Server's route" },
            if *gateway_kept { "gateway" } else { "route-server" }
        ),
        TableNote::RouteServerRoutesRelearnedByGateway { gateway, prefixes, also_gateway } => format!(
            "gateway `{}` lists {} route(s) it learned from the Route Server of its VNet (branch-to-branch: {}); azroute assumes {} (option --route-server-relearned-routes {}, C31)",
            snap.gateways[gateway.index()].name,
            prefixes.len(),
            prefixes.iter().take(5).map(|p| p.to_string()).collect::<Vec<_>>().join(", "),
            if *also_gateway {
                "the gateway programs them as well, with its instances as next hop"
            } else {
                "the gateway only re-advertises them to on-premises and the Route Server programs them here, with the BGP next hop"
            },
            if *also_gateway { "also-gateway" } else { "route-server-only" }
        ),
        TableNote::RouteServerEcmp { prefix, next_hops } => format!(
            "{prefix} is advertised with equally short AS paths by several peers: one route per next hop ({}), traffic shared by ECMP; traces follow the first",
            next_hops.iter().map(|ip| ip.to_string()).collect::<Vec<_>>().join(", ")
        ),
        TableNote::VirtualWanHubRoutesNotModelled { peering, hub } => {
            let hub = match hub {
                Some(h) => format!("Virtual WAN hub `{}`", hub_name(snap, *h)),
                None => "a Virtual WAN hub".to_string(),
            };
            format!(
                "this VNet is connected to {hub} (peering `{}`), but the hub or its connection to this VNet is not in the snapshot, so the routes the hub programs (other spokes, branches, routing intent's firewall) are missing here, and traffic to them is not answered faithfully (export the hub, its hubVirtualNetworkConnections and route tables, §20.1)",
                snap.peerings[peering.index()].name
            )
        }
        _ => return None,
    })
}
