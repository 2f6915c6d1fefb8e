//! The table-building steps of Route Server routes (§19.2) and of Virtual WAN hub connections
//! (§20.4; §19.4 when the hub is missing), kept apart from the other sources of routes: `build_table` calls each once.

use ipnet::IpNet;

use azroute_model::*;

use super::{TableBuilder, draft, prefix_text};
use crate::route::*;
use crate::route_server;

impl TableBuilder<'_> {
    /// Route Server routes (§19.2): in the Route Server's VNet and in VNets that use
    /// it over a peering (RS-1), unless the route table disables gateway propagation (RS-2);
    /// one route per next hop (RS-4, RS-5); against a gateway route for the same prefix,
    /// `hubRoutingPreference` decides (RS-6).
    pub(super) fn route_server_routes(&mut self) {
        let Some((hub, via_peering)) = self.topo.route_servers.serving[self.key.vnet.index()] else {
            return;
        };
        let rib = &self.topo.route_servers.ribs[hub.index()];
        if !rib.unknown_peers.is_empty() {
            self.notes.push(TableNote::RouteServerRoutesUnknown { hub, peers: rib.unknown_peers.clone() });
        }
        if self.disable_bgp {
            let mut prefixes: Vec<IpNet> = rib.routes.iter().map(|r| r.prefix).collect();
            prefixes.dedup();
            if !prefixes.is_empty() {
                let table = self.key.route_table.expect("table is set");
                self.notes.push(TableNote::RouteServerRoutesSuppressed { table, hub, prefixes });
            }
            return;
        }
        for r in &rib.routes {
            if self.gateway_keeps_prefix(r.prefix, hub, route_server::as_path_len(&r.as_path)) {
                continue;
            }
            let route = EffectiveRoute {
                name: None,
                source: RouteSource::VirtualNetworkGateway,
                state: RouteState::Active,
                prefixes: vec![r.prefix],
                prefix_text: vec![prefix_text(&r.prefix)],
                next_hop_type: NextHopType::VirtualNetworkGateway,
                next_hop_ips: vec![r.next_hop],
                origin: RouteOrigin::RouteServer {
                    hub,
                    via_peering,
                    peers: r.peers.clone(),
                    as_path: r.as_path.as_str().into(),
                    no_advertise: r.no_advertise,
                },
                invalid: None,
                assumed: false,
            };
            self.drafts.push(draft(route));
        }
        for group in rib.routes.chunk_by(|a, b| a.prefix == b.prefix).filter(|g| g.len() > 1) {
            let next_hops = group.iter().map(|r| r.next_hop).collect();
            self.notes.push(TableNote::RouteServerEcmp { prefix: group[0].prefix, next_hops });
        }
    }

    /// A spoke of a Virtual WAN hub (§20.4): the routes of its connection's associated table,
    /// unless the route table disables gateway propagation (VW-N2, RI-8); when the hub or its
    /// connection is not in the snapshot, say that the hub's routes are missing (§19.4).
    pub(super) fn virtual_wan_hub_routes(&mut self) {
        if let Some((routes, notes)) =
            crate::vwan::spoke_routes(self.snap, &self.topo.vwan, self.key.vnet, self.options)
        {
            let hub = self.topo.vwan.connection_of_vnet(self.key.vnet).map(|(h, _)| h.hub).expect("connected");
            if self.disable_bgp {
                let mut prefixes: Vec<IpNet> = routes.iter().flat_map(|r| r.prefixes.iter().copied()).collect();
                prefixes.dedup();
                let table = self.key.route_table.expect("table is set");
                self.notes.push(TableNote::VirtualWanRoutesSuppressed { table, hub, prefixes });
                return;
            }
            self.drafts.extend(routes.into_iter().map(draft));
            self.notes.extend(notes);
            return;
        }
        for &p in &self.vnet.peerings {
            let peering = &self.snap.peerings[p.index()];
            if crate::vwan::is_virtual_wan_hub_peering(peering) {
                let hub = crate::vwan::hub_of_peering(self.snap, peering);
                self.notes.push(TableNote::VirtualWanHubRoutesNotModelled { peering: p, hub });
            }
        }
    }

    /// RS-6: whether a gateway route for the same prefix is kept instead of the Route Server's
    /// (the loser's draft is removed). Each gateway route is weighed once per prefix.
    fn gateway_keeps_prefix(&mut self, prefix: IpNet, hub: VirtualHubIdx, route_server_len: usize) -> bool {
        let gateway_draft = self.drafts.iter().position(|d| {
            matches!(d.route.origin, RouteOrigin::Gateway { .. }) && d.route.prefixes.as_slice() == [prefix]
        });
        let Some(pos) = gateway_draft else { return false };
        let RouteOrigin::Gateway { gateway, kinds, .. } = &self.drafts[pos].route.origin else { return false };
        let gateway = *gateway;
        let gateway_len = kinds
            .iter()
            .filter_map(|k| match k {
                GatewayRouteKind::Bgp { as_path, .. } => Some(route_server::as_path_len(as_path)),
                _ => None,
            })
            .min()
            .unwrap_or(0);
        let er = self.snap.gateways[gateway.index()].gateway_type == GatewayType::ExpressRoute;
        let preference = &self.snap.virtual_hubs[hub.index()].hub_routing_preference;
        let note_exists = |n: &TableNote| matches!(n, TableNote::RouteServerAgainstGateway { prefix: p, .. } | TableNote::RouteServerGatewayTie { prefix: p, .. } if *p == prefix);
        let first = !self.notes.iter().any(note_exists);
        match route_server::gateway_wins(preference, er, gateway_len, route_server_len) {
            Some(kept) => {
                if first {
                    self.notes.push(TableNote::RouteServerAgainstGateway { prefix, gateway, hub, gateway_kept: kept });
                }
                if !kept {
                    self.drafts.remove(pos);
                }
                kept
            }
            None => {
                let kept = self.options.route_server_vpn_tie == RouteServerVpnTie::Gateway;
                if first {
                    self.notes.push(TableNote::RouteServerGatewayTie { prefix, gateway, hub, gateway_kept: kept });
                }
                if !kept {
                    self.drafts.remove(pos);
                }
                kept
            }
        }
    }
}
