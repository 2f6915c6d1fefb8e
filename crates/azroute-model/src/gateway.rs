//! Virtual network gateways, local network gateways and gateway connections.

use ipnet::IpNet;
use std::net::IpAddr;

use crate::*;

/// `gatewayType` of a virtual network gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayType {
    Vpn,
    ExpressRoute,
    LocalGateway,
    Other(String),
}

impl GatewayType {
    pub fn as_str(&self) -> &str {
        match self {
            GatewayType::Vpn => "Vpn",
            GatewayType::ExpressRoute => "ExpressRoute",
            GatewayType::LocalGateway => "LocalGateway",
            GatewayType::Other(text) => text,
        }
    }
}

/// `Microsoft.Network/virtualNetworkGateways`.
#[derive(Clone, Debug)]
pub struct VnetGateway {
    pub id: ArmId,
    pub name: String,
    pub location: String,
    pub gateway_type: GatewayType,
    /// `RouteBased` / `PolicyBased`.
    pub vpn_type: String,
    pub sku: String,
    pub active_active: bool,
    pub bgp_enabled: bool,
    /// `bgpSettings.asn` (65515 for Azure's gateways unless changed; §19.6 RS-7).
    pub bgp_asn: Option<i64>,
    /// The VNet whose GatewaySubnet holds the gateway (from its ip configurations).
    pub vnet: Option<Link<VnetIdx>>,
    /// Private instance addresses in the GatewaySubnet (the next hop IPs of gateway routes).
    pub instance_ips: Vec<IpAddr>,
    /// `gatewayDefaultSite`: the site forced tunnelling sends what no on-premises prefix
    /// holds to (§6.1); None when not set.
    pub default_site: Option<Link<LocalGatewayIdx>>,
    /// Point-to-site client address pool.
    pub vpn_client_address_pool: Vec<IpNet>,
    /// Routes learned over BGP, from a learned-routes file (see the README).
    pub learned_routes: Vec<LearnedRoute>,
    /// Whether a learned-routes file was supplied for this gateway.
    pub learned_routes_supplied: bool,
    pub provisioning_state: String,
    pub origin: Origin,
}

/// One entry of `az network vnet-gateway list-learned-routes`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LearnedRoute {
    pub network: IpNet,
    pub next_hop: Option<IpAddr>,
    /// `Network`, `EBgp`, `IBgp`, `Static`…
    pub origin: String,
    pub as_path: String,
    pub source_peer: String,
    pub weight: i64,
}

/// `Microsoft.Network/localNetworkGateways`: the on-premises side of a site-to-site VPN.
#[derive(Clone, Debug)]
pub struct LocalNetworkGateway {
    pub id: ArmId,
    pub name: String,
    pub prefixes: Vec<IpNet>,
    pub gateway_ip: String,
    pub bgp_peering_address: Option<IpAddr>,
    pub origin: Origin,
}

/// `connectionType` of a gateway connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectionType {
    IPsec,
    Vnet2Vnet,
    ExpressRoute,
    VPNClient,
    Other(String),
}

/// `Microsoft.Network/connections`.
#[derive(Clone, Debug)]
pub struct Connection {
    pub id: ArmId,
    pub name: String,
    pub connection_type: ConnectionType,
    pub gateway1: Option<Link<GatewayIdx>>,
    pub gateway2: Option<Link<GatewayIdx>>,
    pub local_gateway2: Option<Link<LocalGatewayIdx>>,
    /// `connectionStatus` (`Connected`, `NotConnected`, `Unknown`, …) when exported.
    pub status: String,
    pub enable_bgp: bool,
    pub origin: Origin,
}
