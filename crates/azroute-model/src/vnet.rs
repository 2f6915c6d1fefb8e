//! Virtual networks, their subnets and peerings (`Microsoft.Network/virtualNetworks` and its children).

use ipnet::IpNet;
use std::net::IpAddr;

use crate::*;

/// `Microsoft.Network/virtualNetworks`.
#[derive(Clone, Debug)]
pub struct Vnet {
    pub id: ArmId,
    pub name: String,
    /// Normalised region name (`eastus`); empty when the export did not say.
    pub location: String,
    /// `addressSpace.addressPrefixes`, IPv4 and IPv6 mixed, in input order.
    pub address_space: Vec<IpNet>,
    /// `dhcpOptions.dnsServers` (§16.7): the custom DNS servers the VNet hands its hosts, in
    /// input order; empty when the VNet uses Azure-provided DNS.
    pub dns_servers: Vec<IpAddr>,
    pub subnets: Vec<SubnetIdx>,
    pub peerings: Vec<PeeringIdx>,
    pub origin: Origin,
}

/// `Microsoft.Network/virtualNetworks/subnets`.
#[derive(Clone, Debug)]
pub struct Subnet {
    pub id: ArmId,
    pub name: String,
    pub vnet: VnetIdx,
    /// Union of `addressPrefix` and `addressPrefixes`.
    pub prefixes: Vec<IpNet>,
    pub route_table: Option<Link<RouteTableIdx>>,
    pub nsg: Option<Link<NsgIdx>>,
    pub service_endpoints: Vec<ServiceEndpoint>,
    pub private_endpoint_network_policies: PrivateEndpointNetworkPolicies,
    /// `natGateway` (§17.1): the subnet's explicit outbound method, when it has one.
    pub nat_gateway: Option<Link<NatGatewayIdx>>,
    /// `defaultOutboundAccess` (§17.2): `Some(false)` is a private subnet; `None` when the
    /// export does not say (old API versions and tools leave it null).
    pub default_outbound_access: Option<bool>,
    /// `delegations[].serviceName` (`Microsoft.Web/serverFarms`, …): the services that manage
    /// the subnet's outbound traffic themselves (§17.2).
    pub delegations: Vec<String>,
    pub origin: Origin,
}

impl Subnet {
    /// Azure gives these subnets special rules (`docs/azure-routing-rules.md` §3.9).
    pub fn is_gateway_subnet(&self) -> bool {
        self.name.eq_ignore_ascii_case("GatewaySubnet")
    }

    pub fn is_route_server_subnet(&self) -> bool {
        self.name.eq_ignore_ascii_case("RouteServerSubnet")
    }

    pub fn is_bastion_subnet(&self) -> bool {
        self.name.eq_ignore_ascii_case("AzureBastionSubnet")
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.prefixes.iter().any(|p| p.contains(&ip))
    }
}

/// One `serviceEndpoints[]` entry of a subnet.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServiceEndpoint {
    /// e.g. `Microsoft.Storage`.
    pub service: String,
    /// Normalised region names, or `*`.
    pub locations: Vec<String>,
}

/// `privateEndpointNetworkPolicies` of a subnet (§5.5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PrivateEndpointNetworkPolicies {
    #[default]
    Disabled,
    Enabled,
    NetworkSecurityGroupEnabled,
    RouteTableEnabled,
}

impl PrivateEndpointNetworkPolicies {
    /// Whether user routes may invalidate private-endpoint /32 routes (§5.5).
    pub fn route_tables_apply(self) -> bool {
        matches!(self, PrivateEndpointNetworkPolicies::Enabled | PrivateEndpointNetworkPolicies::RouteTableEnabled)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PrivateEndpointNetworkPolicies::Disabled => "Disabled",
            PrivateEndpointNetworkPolicies::Enabled => "Enabled",
            PrivateEndpointNetworkPolicies::NetworkSecurityGroupEnabled => "NetworkSecurityGroupEnabled",
            PrivateEndpointNetworkPolicies::RouteTableEnabled => "RouteTableEnabled",
        }
    }
}

/// `peeringState` of a peering object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeeringState {
    Initiated,
    Connected,
    Disconnected,
    Other(String),
}

impl PeeringState {
    pub fn as_str(&self) -> &str {
        match self {
            PeeringState::Initiated => "Initiated",
            PeeringState::Connected => "Connected",
            PeeringState::Disconnected => "Disconnected",
            PeeringState::Other(text) => text,
        }
    }
}

/// `Microsoft.Network/virtualNetworks/virtualNetworkPeerings`: one direction of a peering.
#[derive(Clone, Debug)]
pub struct Peering {
    pub id: ArmId,
    pub name: String,
    /// The VNet that owns this peering object.
    pub vnet: VnetIdx,
    pub remote_vnet: Link<VnetIdx>,
    pub state: PeeringState,
    pub allow_virtual_network_access: bool,
    pub allow_forwarded_traffic: bool,
    pub allow_gateway_transit: bool,
    pub use_remote_gateways: bool,
    /// `remoteAddressSpace` (what is actually peered; the listed subnets for subnet peering).
    pub remote_address_space: Vec<IpNet>,
    /// `remoteVirtualNetworkAddressSpace` (the remote VNet's full space).
    pub remote_virtual_network_address_space: Vec<IpNet>,
    pub peer_complete_vnets: bool,
    pub local_subnet_names: Vec<String>,
    pub remote_subnet_names: Vec<String>,
    pub origin: Origin,
}
