//! Route selection for one destination, explained: every route whose prefix contains the
//! destination, the one that wins, and why each other one lost.
//!
//! The rules, in the order they apply (§4.2):
//! 1. A route that is Invalid (an identical prefix with a higher-priority source, or a private
//!    endpoint route overridden per §5.5) is not used.
//! 2. A gateway route more specific than an Active VNet, peering or service-endpoint route
//!    containing it is not used (§4.1 rule 3).
//! 3. A user or gateway route inside an Active service-endpoint prefix is not used (§4.1 rule
//!    4; with `se_routes_lpm_strict`, only when the prefixes are identical).
//! 4. Of the rest, the longest prefix wins.
//!
//! The compiled [`crate::fib::Fib`] applies the same rules ahead of time; tests check that the
//! two always agree.

use std::net::IpAddr;

use azroute_model::*;
use ipnet::IpNet;

use crate::effective::shadowed_by_rule;
use crate::route::*;

/// Why a candidate route did or did not carry the packet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CandidateVerdict {
    Selected,
    /// A longer prefix containing the destination won (`winner` is its route index).
    LongerPrefixWins {
        winner: usize,
    },
    /// The route is Invalid.
    Invalid(InvalidReason),
    /// A protected system route (VNet or peering range) covers this gateway route (§4.1).
    ShadowedBySystemRoute {
        by: usize,
    },
    /// A service-endpoint route covers this route (§4.1).
    ShadowedByServiceEndpoint {
        by: usize,
    },
}

/// One route considered for a destination.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub route: usize,
    pub prefix: IpNet,
    pub verdict: CandidateVerdict,
}

/// The full answer to "which route carries a packet to this address, and why".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub destination: IpAddr,
    /// The winning route and the prefix that matched.
    pub selected: Option<(usize, IpNet)>,
    /// Every route with a prefix containing the destination, longest prefix first.
    pub candidates: Vec<Candidate>,
}

/// Selects the route for `destination` by scanning every route: the reference that the
/// compiled table must agree with.
pub fn explain(options: &ModelOptions, table: &EffectiveRouteTable, destination: IpAddr) -> Explanation {
    let mut candidates: Vec<Candidate> = Vec::new();
    let protected: Vec<(usize, IpNet)> = table
        .routes
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_active() && r.is_protected_system())
        .flat_map(|(i, r)| r.prefixes.iter().map(move |p| (i, *p)))
        .collect();
    for (i, route) in table.routes.iter().enumerate() {
        for prefix in route.prefixes.iter().filter(|p| p.contains(&destination)) {
            let verdict = if let Some(reason) = &route.invalid {
                CandidateVerdict::Invalid(reason.clone())
            } else if let Some((by, se)) = shadowed_by_rule(options, route, prefix, &protected, &table.routes) {
                if se {
                    CandidateVerdict::ShadowedByServiceEndpoint { by }
                } else {
                    CandidateVerdict::ShadowedBySystemRoute { by }
                }
            } else {
                CandidateVerdict::Selected
            };
            candidates.push(Candidate { route: i, prefix: *prefix, verdict });
        }
    }
    // Longest eligible prefix wins; for equal prefixes the higher-priority source (only an
    // inconsistent table could hold two eligible routes for one prefix).
    let selected = candidates
        .iter()
        .filter(|c| c.verdict == CandidateVerdict::Selected)
        .max_by_key(|c| (c.prefix.prefix_len(), table.routes[c.route].source.priority(), std::cmp::Reverse(c.route)))
        .map(|c| (c.route, c.prefix));
    for c in &mut candidates {
        if c.verdict == CandidateVerdict::Selected && Some((c.route, c.prefix)) != selected {
            let winner = selected.map(|(r, _)| r).unwrap_or(usize::MAX);
            c.verdict = CandidateVerdict::LongerPrefixWins { winner };
        }
    }
    candidates.sort_by(|a, b| b.prefix.prefix_len().cmp(&a.prefix.prefix_len()).then(a.route.cmp(&b.route)));
    Explanation { destination, selected, candidates }
}

/// Human text for a verdict, naming the winning or shadowing route.
pub fn verdict_text(table: &EffectiveRouteTable, verdict: &CandidateVerdict) -> String {
    let label = |i: usize| table.routes.get(i).map(|r| r.label()).unwrap_or_else(|| "?".to_string());
    match verdict {
        CandidateVerdict::Selected => "selected: longest matching prefix".to_string(),
        CandidateVerdict::LongerPrefixWins { winner } => {
            format!("lost: a longer prefix matches ({})", label(*winner))
        }
        CandidateVerdict::Invalid(reason) => {
            format!("lost: Invalid — {}", invalid_text(table, reason))
        }
        CandidateVerdict::ShadowedBySystemRoute { by } => format!(
            "lost: the system route {} is preferred over more specific gateway routes (system routes for the VNet and its peerings win even against longer BGP prefixes)",
            label(*by)
        ),
        CandidateVerdict::ShadowedByServiceEndpoint { by } => {
            format!("lost: service-endpoint routes cannot be overridden ({})", label(*by))
        }
    }
}

/// Human text for an Invalid reason.
pub fn invalid_text(table: &EffectiveRouteTable, reason: &InvalidReason) -> String {
    let label = |i: usize| table.routes.get(i).map(|r| r.label()).unwrap_or_else(|| "?".to_string());
    match reason {
        InvalidReason::IdenticalPrefix { winner } => {
            let w = &table.routes[*winner];
            format!(
                "identical prefix with a higher-priority route ({}; priority User > VirtualNetworkGateway > Default)",
                w.label()
            )
        }
        InvalidReason::PrivateEndpointOverridden { by } => format!(
            "the user route {} covers this private endpoint and its subnet applies route tables to private endpoints",
            label(*by)
        ),
        InvalidReason::DuplicateInRouteTable { first } => {
            format!("the route table already has a route for this prefix ({}); Azure refuses duplicates", label(*first))
        }
    }
}

/// Human text for a table note.
pub fn note_text(snap: &Snapshot, table: &EffectiveRouteTable, note: &TableNote) -> String {
    let label = |i: usize| table.routes.get(i).map(|r| r.label()).unwrap_or_else(|| "?".to_string());
    let peering_label = |p: PeeringIdx| {
        let peering = &snap.peerings[p.index()];
        format!("`{}` of `{}`", peering.name, snap.vnets[peering.vnet.index()].name)
    };
    match note {
        TableNote::ReservedNoneRoutesRemoved { by } => format!(
            "the user route {} overrides 0.0.0.0/0, so Azure removes the default None routes for reserved ranges (10/8, 172.16/12, 192.168/16, 100.64/10); traffic to unknown private space follows 0.0.0.0/0 instead of being dropped",
            label(*by)
        ),
        TableNote::GatewayRoutesSuppressed { table: t, prefixes } => format!(
            "route table `{}` has disableBgpRoutePropagation = true, so {} gateway route(s) are not programmed here ({}); every route of this subnet carries disableBgpRoutePropagation: true",
            snap.route_tables[t.index()].name,
            prefixes.len(),
            prefixes.iter().take(5).map(|p| p.to_string()).collect::<Vec<_>>().join(", ")
        ),
        TableNote::PeeringRoutesDisabled { table: t } => format!(
            "route table `{}` sets disablePeeringRoute = All (preview): peering routes are left out",
            snap.route_tables[t.index()].name
        ),
        TableNote::PeeringNotConnected { peering, local_state, remote_state } => format!(
            "peering {} is {}{}; peering routes exist only while both sides are Connected",
            peering_label(*peering),
            if local_state.is_empty() { "in an unknown state" } else { local_state },
            match remote_state {
                Some(r) => format!(" (remote side: {r})"),
                None => String::new(),
            }
        ),
        TableNote::GatewayTransitMismatch { peering, use_remote_gateways, remote_allows_transit, .. } => format!(
            "peering {} has useRemoteGateways = {} while the remote side has allowGatewayTransit = {}; gateway routes reach a spoke only when both are true",
            peering_label(*peering),
            use_remote_gateways,
            remote_allows_transit
        ),
        TableNote::BgpRouteShadowedBySystemRoute { route, by } => format!(
            "the gateway route {} is never used: the system route {} covers it, and system routes for the VNet and its peerings are preferred over more specific BGP routes",
            label(*route),
            label(*by)
        ),
        TableNote::ShadowedByServiceEndpoint { route, by } => format!(
            "the route {} is not used for the service prefixes of {}: service-endpoint routes cannot be overridden",
            label(*route),
            label(*by)
        ),
        TableNote::ServiceTagNotExpanded { route, tag, file_present } => {
            let what = if *route == usize::MAX { "a service endpoint".to_string() } else { format!("the route {}", label(*route)) };
            if *file_present {
                format!("service tag `{tag}` of {what} is not in the Service Tags file; it is listed with the tag as its prefix and is not used for lookups")
            } else {
                format!("service tag `{tag}` of {what} could not be expanded: no Service Tags file in the snapshot; it is listed with the tag as its prefix and is not used for lookups (add ServiceTags_Public_*.json)")
            }
        }
        TableNote::Ipv6SystemRoutesAssumed => "IPv6 system routes are not documented by Azure; azroute assumes one VnetLocal route per IPv6 range and ::/0 Internet (option --ipv6-system-routes)".to_string(),
        TableNote::GatewayNextHopUnknown { gateway } => format!(
            "the instance IPs of gateway `{}` are not in the export, so its routes show no next hop IP",
            snap.gateways[gateway.index()].name
        ),
        TableNote::ExpressRoutePreferred { prefix } => format!(
            "{prefix} is learned from both an ExpressRoute and a VPN gateway; ExpressRoute is preferred by default"
        ),
        TableNote::RouteServerRoutesUnknown { .. }
        | TableNote::RouteServerRoutesSuppressed { .. }
        | TableNote::RouteServerAgainstGateway { .. }
        | TableNote::RouteServerGatewayTie { .. }
        | TableNote::RouteServerRoutesRelearnedByGateway { .. }
        | TableNote::RouteServerEcmp { .. }
        | TableNote::VirtualWanHubRoutesNotModelled { .. } => {
            crate::route_server_text::note_text(snap, note).unwrap_or_default()
        }
        TableNote::VirtualWanRoutesSuppressed { .. }
        | TableNote::VirtualWanRouterNextHopAssumed { .. }
        | TableNote::VirtualWanInternetSecurityUnknown { .. }
        | TableNote::VirtualWanExpressRouteNextHopUnknown { .. }
        | TableNote::VirtualWanSecuredSpokeInterHub { .. } => {
            crate::vwan::text::note_text(snap, note).unwrap_or_default()
        }
    }
}

/// Human text for why a route exists.
pub fn origin_text(snap: &Snapshot, route: &EffectiveRoute) -> String {
    match &route.origin {
        RouteOrigin::VnetAddressSpace { vnet } => {
            format!("address range of virtual network `{}`", snap.vnets[vnet.index()].name)
        }
        RouteOrigin::DefaultInternet => "default route to the Internet".to_string(),
        RouteOrigin::ReservedRange => "reserved range, dropped by default".to_string(),
        RouteOrigin::Peering { peering } => {
            let p = &snap.peerings[peering.index()];
            let remote =
                p.remote_vnet.resolved().map(|r| snap.vnets[r.index()].name.clone()).unwrap_or_else(|| {
                    p.remote_vnet.missing().map(|id| id.last_segment().to_string()).unwrap_or_default()
                });
            format!("address range of peered virtual network `{remote}` (peering `{}`)", p.name)
        }
        RouteOrigin::Gateway { gateway, via_peering, kinds } => {
            let gw = &snap.gateways[gateway.index()];
            let how: Vec<String> = kinds
                .iter()
                .map(|k| match k {
                    GatewayRouteKind::LocalNetworkGateway { local_gateway, connection } => format!(
                        "local network gateway `{}` of connection `{}`",
                        snap.local_gateways[local_gateway.index()].name,
                        snap.connections[connection.index()].name
                    ),
                    GatewayRouteKind::Bgp { origin, source_peer, .. } => {
                        if source_peer.is_empty() {
                            format!("BGP ({origin})")
                        } else {
                            format!("BGP ({origin}) from {source_peer}")
                        }
                    }
                    GatewayRouteKind::Vnet2Vnet { connection, remote_vnet } => format!(
                        "VNet-to-VNet connection `{}` to `{}`",
                        snap.connections[connection.index()].name,
                        snap.vnets[remote_vnet.index()].name
                    ),
                    GatewayRouteKind::PointToSiteClientPool => "point-to-site client address pool".to_string(),
                })
                .collect();
            let via = match via_peering {
                Some(p) => format!(" via gateway transit over peering `{}`", snap.peerings[p.index()].name),
                None => String::new(),
            };
            format!("programmed by gateway `{}`{} from {}", gw.name, via, how.join(", "))
        }
        RouteOrigin::ServiceEndpoint { service, tags } => {
            format!("service endpoint {} enabled on the subnet (service tag {})", service, tags.join(", "))
        }
        RouteOrigin::PrivateEndpoint { endpoint } => {
            format!("private endpoint `{}`", snap.private_endpoints[endpoint.index()].name)
        }
        RouteOrigin::AvnmRoutingRule { rule } => {
            let r = &snap.avnm.routing_rules[*rule];
            let collection = avnm_parent_id(r.id.as_str(), 1);
            let configuration = avnm_parent_id(r.id.as_str(), 2);
            format!(
                "routing rule `{}` of Virtual Network Manager routing configuration `{}` (collection `{}`; a managed route table, {})",
                r.name,
                configuration.rsplit('/').next().unwrap_or_default(),
                collection.rsplit('/').next().unwrap_or_default(),
                snap.avnm.deployment_word(&ArmId::new(&configuration))
            )
        }
        RouteOrigin::ConnectedGroup { configuration, .. } => {
            let config = &snap.avnm.connectivity_configurations[*configuration as usize];
            format!(
                "Virtual Network Manager connected group of connectivity configuration `{}` ({}; {})",
                config.name,
                config.topology.as_str(),
                snap.avnm.deployment_word(&config.id)
            )
        }
        RouteOrigin::User { table, route } => {
            let t = &snap.route_tables[table.index()];
            format!("user route `{}` of route table `{}`", t.routes[*route].name, t.name)
        }
        RouteOrigin::RouteServer { hub, via_peering, peers, as_path, no_advertise } => {
            crate::route_server_text::origin_text(snap, *hub, *via_peering, peers, as_path, *no_advertise)
        }
        RouteOrigin::VirtualWanHub { hub, hub_next_hop_type, next_hop, derived } => {
            crate::vwan::text::origin_text(snap, *hub, hub_next_hop_type, next_hop.as_ref(), *derived)
        }
    }
}
