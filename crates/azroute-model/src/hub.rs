//! Virtual hubs: Azure Route Server (a `virtualHubs` resource without `virtualWan`, its IP
//! configurations in `RouteServerSubnet`), its BGP peers (`virtualHubs/bgpConnections`) and the
//! routes each peer advertised, as `list-learned-routes` reported them per Route Server instance.

use std::net::IpAddr;

use ipnet::IpNet;

use crate::*;

/// `hubRoutingPreference`: which routes win when a gateway and a BGP peer (or another hub)
/// offer the same prefix (§19.2 RS-6).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum HubRoutingPreference {
    /// The default: ExpressRoute routes first.
    #[default]
    ExpressRoute,
    VpnGateway,
    /// Shortest AS path first, whatever the source.
    AsPath,
    Other(String),
}

impl HubRoutingPreference {
    /// Reads Azure's value without case (`ASPath`, `aspath`); empty is the default.
    pub fn parse(text: &str) -> HubRoutingPreference {
        match text.to_ascii_lowercase().as_str() {
            "" | "expressroute" => HubRoutingPreference::ExpressRoute,
            "vpngateway" => HubRoutingPreference::VpnGateway,
            "aspath" => HubRoutingPreference::AsPath,
            _ => HubRoutingPreference::Other(text.to_string()),
        }
    }

    /// Azure's spelling.
    pub fn as_str(&self) -> &str {
        match self {
            HubRoutingPreference::ExpressRoute => "ExpressRoute",
            HubRoutingPreference::VpnGateway => "VpnGateway",
            HubRoutingPreference::AsPath => "ASPath",
            HubRoutingPreference::Other(text) => text,
        }
    }
}

/// `Microsoft.Network/virtualHubs`: a Route Server when `virtual_wan` is `None`.
#[derive(Clone, Debug)]
pub struct VirtualHub {
    pub id: ArmId,
    pub name: String,
    pub location: String,
    /// `virtualWan.id`: set for a Virtual WAN hub, absent for a Route Server.
    pub virtual_wan: Option<ArmId>,
    /// `addressPrefix` of a Virtual WAN hub.
    pub address_prefix: Option<IpNet>,
    /// The subnet of its IP configurations (`RouteServerSubnet` for a Route Server).
    pub subnet: Option<ArmId>,
    /// The VNet holding that subnet (a Route Server's VNet).
    pub vnet: Option<Link<VnetIdx>>,
    /// `virtualRouterAsn` (65515).
    pub virtual_router_asn: Option<i64>,
    /// `virtualRouterIps`: the two instances' addresses.
    pub virtual_router_ips: Vec<IpAddr>,
    /// `allowBranchToBranchTraffic` (false by default, §4.2 RS-7).
    pub allow_branch_to_branch_traffic: bool,
    pub hub_routing_preference: HubRoutingPreference,
    /// Its BGP peers, each with the routes it advertised.
    pub bgp_connections: Vec<BgpConnection>,
    /// What only a Virtual WAN hub says (§20.1); empty for a Route Server.
    pub vwan_hub: VwanHubFields,
    pub origin: Origin,
}

/// The fields of a Virtual WAN hub that a Route Server does not have (§20.1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VwanHubFields {
    /// `sku` (`Standard`, `Basic`).
    pub sku: String,
    /// `azureFirewall.id`: the secured hub's firewall.
    pub azure_firewall: Option<ArmId>,
    /// `vpnGateway.id`.
    pub vpn_gateway: Option<ArmId>,
    /// `expressRouteGateway.id`.
    pub express_route_gateway: Option<ArmId>,
    /// `p2SVpnGateway.id`.
    pub p2s_vpn_gateway: Option<ArmId>,
    /// `routingState` (`Provisioned`, …).
    pub routing_state: String,
}

impl VirtualHub {
    /// A Route Server: a hub that belongs to no Virtual WAN.
    pub fn is_route_server(&self) -> bool {
        self.virtual_wan.is_none()
    }
}

/// `Microsoft.Network/virtualHubs/bgpConnections`: one BGP peer of a hub.
#[derive(Clone, Debug)]
pub struct BgpConnection {
    pub id: ArmId,
    pub name: String,
    pub peer_ip: Option<IpAddr>,
    pub peer_asn: Option<i64>,
    /// `hubVirtualNetworkConnection.id`: on a Virtual WAN hub, the VNet connection of the
    /// spoke holding the peer (§20.1).
    pub hub_virtual_network_connection: Option<ArmId>,
    /// What `list-learned-routes` reported for this peer, instance by instance.
    pub learned_routes: Vec<HubLearnedRoute>,
    /// Whether a learned-routes file was supplied for this peer.
    pub learned_routes_supplied: bool,
    pub origin: Origin,
}

/// One route a Route Server instance learned from a peer (`RouteServiceRole_IN_0` / `_IN_1`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubLearnedRoute {
    /// The instance key (`RouteServiceRole_IN_0`), or empty for a flat list.
    pub instance: String,
    /// `localAddress`: the Route Server address the session runs on.
    pub local_address: Option<IpAddr>,
    pub route: LearnedRoute,
    /// The route's BGP communities (`65535:65282`), when the output carries them (`communities`
    /// or `bgpCommunities`); `None` when it does not, as `list-learned-routes` does not (RS-9).
    pub communities: Option<Vec<String>>,
}

/// The well-known community NO_ADVERTISE: the route is programmed but not advertised to other
/// peers or gateways (§19.2 RS-9).
pub const NO_ADVERTISE_COMMUNITY: &str = "65535:65282";

impl HubLearnedRoute {
    /// Whether the route carries NO_ADVERTISE: `None` when its communities are not known.
    pub fn no_advertise(&self) -> Option<bool> {
        self.communities.as_ref().map(|c| c.iter().any(|x| x.trim() == NO_ADVERTISE_COMMUNITY))
    }
}
