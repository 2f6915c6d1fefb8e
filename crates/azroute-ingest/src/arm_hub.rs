//! Lowering of virtual hubs from ARM JSON (REST, az CLI, Resource Graph; §19.1):
//! Route Servers (`virtualHubs` without `virtualWan`), their IP configurations (inline or the
//! `virtualHubs/ipConfigurations` children), their BGP peers (`virtualHubs/bgpConnections`)
//! and the learned-routes wrapper `{"bgpConnectionId", "learnedRoutes"}`, whose `learnedRoutes`
//! is the verbatim map keyed by Route Server instance (`RouteServiceRole_IN_0`, `_IN_1`).

use azroute_model::*;

use crate::arm::{ref_id, s};
use crate::diag::Diagnostic;
use crate::dto::*;
use crate::pending::{Child, Pending};
use crate::values::*;

/// A learned-routes wrapper file for one BGP connection of a hub.
#[derive(Clone, Debug)]
pub(crate) struct PendingHubLearned {
    pub bgp_connection_id: String,
    pub routes: Vec<HubLearnedRoute>,
    pub origin: Origin,
}

/// A `virtualHubs/ipConfigurations` child read apart from its hub: the hub's normalised id and
/// the subnet it names.
#[derive(Clone, Debug)]
pub(crate) struct PendingHubSubnet {
    pub hub: String,
    pub subnet: ArmId,
}

/// An ASN written as a number or as text (`65515`, `"65515"`).
fn asn(text: &Option<LooseText<'_>>) -> Option<i64> {
    text.as_ref().and_then(|t| t.text()).and_then(|t| t.trim().parse().ok())
}

impl Pending {
    pub(crate) fn virtual_hub(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "virtual hub", path) {
            return;
        }
        let address_prefix = dto
            .address_prefix
            .as_ref()
            .and_then(|l| l.0.first())
            .and_then(|t| self.prefix(t.as_str(), &dto.path(path, "addressPrefix"), &id));
        let mut virtual_router_ips = Vec::new();
        for (i, text) in dto.virtual_router_ips.iter().flat_map(|l| l.0.iter()).enumerate() {
            let p = format!("{}[{i}]", dto.path(path, "virtualRouterIps"));
            if let Some(ip) = self.ip(text.as_str(), &p, &id)
                && !virtual_router_ips.contains(&ip)
            {
                virtual_router_ips.push(ip);
            }
        }
        let subnet = dto
            .ip_configurations
            .iter()
            .flatten()
            .find_map(|c| c.subnet.as_ref().and_then(|r| r.id.as_ref()))
            .map(|t| ArmId::new(t.as_str()))
            .filter(|s| !s.is_empty());
        let hub = VirtualHub {
            id: ArmId::new(&id),
            name: s(&dto.name),
            location: normalize_location(dto.location.as_ref().map_or("", |x| x.as_str())),
            virtual_wan: ref_id(&dto.virtual_wan),
            address_prefix,
            vnet: subnet.as_ref().map(|s| Link::Missing(ArmId::new(parent_id(s.as_str())))),
            subnet,
            virtual_router_asn: asn(&dto.virtual_router_asn),
            virtual_router_ips,
            allow_branch_to_branch_traffic: dto.allow_branch_to_branch_traffic.is_some_and(|f| f.0),
            hub_routing_preference: HubRoutingPreference::parse(&s(&dto.hub_routing_preference)),
            bgp_connections: Vec::new(),
            vwan_hub: crate::arm_vwan::vwan_hub_fields(dto),
            origin: self.origin(path),
        };
        self.virtual_hubs.push(hub);
    }

    /// `virtualHubs/ipConfigurations`: the subnet (`RouteServerSubnet`) of its hub.
    pub(crate) fn hub_ip_configuration(&mut self, dto: &ResourceDto<'_>, raw_id: &str) {
        if let Some(subnet) = ref_id(&dto.subnet) {
            self.hub_subnets.push(PendingHubSubnet { hub: normalize_id(&parent_id(raw_id)), subnet });
        }
    }

    /// `virtualHubs/bgpConnections`: one peer, nested into its hub when linked.
    pub(crate) fn bgp_connection(&mut self, dto: &ResourceDto<'_>, path: &str, raw_id: &str) {
        if !self.require_id(raw_id, "BGP connection", path) {
            return;
        }
        let peer_ip = dto.peer_ip.as_ref().and_then(|t| self.ip(t.as_str(), &dto.path(path, "peerIp"), raw_id));
        let connection = BgpConnection {
            id: ArmId::new(raw_id),
            name: s(&dto.name),
            peer_ip,
            peer_asn: asn(&dto.peer_asn),
            hub_virtual_network_connection: ref_id(&dto.hub_virtual_network_connection),
            learned_routes: Vec::new(),
            learned_routes_supplied: false,
            origin: self.origin(path),
        };
        self.bgp_connections.push(Child {
            key: normalize_id(raw_id),
            parent: normalize_id(&parent_id(raw_id)),
            item: connection,
        });
    }

    /// Lowers a Route Server learned-routes wrapper: each instance's routes, in order.
    pub fn hub_learned_routes(
        &mut self,
        bgp_connection_id: String,
        routes: Vec<(String, LearnedRouteDto<'_>)>,
        path: &str,
    ) {
        let mut out = Vec::with_capacity(routes.len());
        for (i, (instance, r)) in routes.iter().enumerate() {
            let p = if instance.is_empty() {
                format!("{path}.learnedRoutes[{i}].network")
            } else {
                format!("{path}.learnedRoutes.{instance}[{}].network", index_within(&routes, i))
            };
            let Some(network) = self.prefix(&s(&r.network), &p, &bgp_connection_id) else {
                continue;
            };
            out.push(HubLearnedRoute {
                instance: instance.clone(),
                local_address: r.local_address.as_ref().and_then(|t| parse_ip(t.as_str()).ok()),
                route: LearnedRoute {
                    network,
                    next_hop: r.next_hop.as_ref().and_then(|t| parse_ip(t.as_str()).ok()),
                    origin: s(&r.origin),
                    as_path: s(&r.as_path),
                    source_peer: s(&r.source_peer),
                    weight: r.weight.unwrap_or(0),
                },
                communities: learned_communities(r),
            });
        }
        let origin = self.origin(path);
        self.hub_learned.push(PendingHubLearned { bgp_connection_id, routes: out, origin });
    }

    /// The wrapper names no BGP connection that could be a Route Server peer.
    pub(crate) fn hub_learned_routes_misnamed(&mut self, id: &str, path: &str) {
        self.diag(
            Diagnostic::error(
                "LearnedRoutesWithoutBgpConnection",
                format!("`bgpConnectionId` `{id}` is not the id of a hub BGP connection (…/virtualHubs/HUB/bgpConnections/PEER)"),
            )
            .at(format!("{path}.bgpConnectionId"))
            .hint("wrap the output of `az network routeserver peering list-learned-routes` as {\"bgpConnectionId\": \"<peering id from az network routeserver peering show>\", \"learnedRoutes\": <output>}"),
        );
    }
}

/// The position of route `i` within its own instance's list (for JSON paths).
fn index_within(routes: &[(String, LearnedRouteDto<'_>)], i: usize) -> usize {
    routes[..i].iter().filter(|(instance, _)| *instance == routes[i].0).count()
}

/// Whether an id names a hub BGP connection (`…/virtualHubs/HUB/bgpConnections/PEER`).
pub(crate) fn is_bgp_connection_id(id: &str) -> bool {
    matches!(type_from_id(id), Some(t) if t.eq_ignore_ascii_case("microsoft.network/virtualhubs/bgpconnections"))
}

/// A learned route's BGP communities (`communities` or `bgpCommunities`, a list or one string
/// of space- or comma-separated values); `None` when the output carries neither (RS-9).
fn learned_communities(r: &LearnedRouteDto<'_>) -> Option<Vec<String>> {
    let list = r.communities.as_ref().or(r.bgp_communities.as_ref())?;
    Some(
        list.0
            .iter()
            .flat_map(|c| c.as_str().split([' ', ',']).map(str::trim).filter(|x| !x.is_empty()).map(String::from))
            .collect(),
    )
}
