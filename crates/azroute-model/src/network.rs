//! The resources of an Azure network estate, as the routing engine needs them.
//!
//! Field names follow Azure's own vocabulary (`enableIPForwarding` becomes `ip_forwarding`,
//! `disableBgpRoutePropagation` stays `disable_bgp_route_propagation`) so that a reader who knows
//! the ARM schema can find each value. Enums are open: Azure adds values over time, and an
//! unknown value is carried as `Other(String)` rather than rejected.

use std::net::IpAddr;

use ipnet::IpNet;

use crate::ArmId;

macro_rules! index_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

index_type!(
    /// Index of a virtual network in [`crate::Snapshot::vnets`].
    VnetIdx,
    /// Index of a subnet in [`crate::Snapshot::subnets`].
    SubnetIdx,
    /// Index of a peering in [`crate::Snapshot::peerings`].
    PeeringIdx,
    /// Index of a route table in [`crate::Snapshot::route_tables`].
    RouteTableIdx,
    /// Index of a network interface in [`crate::Snapshot::nics`].
    NicIdx,
    /// Index of a virtual machine in [`crate::Snapshot::vms`].
    VmIdx,
    /// Index of a virtual network gateway in [`crate::Snapshot::gateways`].
    GatewayIdx,
    /// Index of a local network gateway in [`crate::Snapshot::local_gateways`].
    LocalGatewayIdx,
    /// Index of a gateway connection in [`crate::Snapshot::connections`].
    ConnectionIdx,
    /// Index of a network security group in [`crate::Snapshot::nsgs`].
    NsgIdx,
    /// Index of a private endpoint in [`crate::Snapshot::private_endpoints`].
    PrivateEndpointIdx,
    /// Index of a load balancer in [`crate::Snapshot::load_balancers`].
    LoadBalancerIdx,
    /// Index of a public IP address in [`crate::Snapshot::public_ips`].
    PublicIpIdx,
);

/// A reference from one resource to another.
///
/// Exports are often incomplete; a reference to a resource that is not in the snapshot is kept
/// with its id, so a question that needs it can name it and a question that does not can go on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link<T> {
    Resolved(T),
    Missing(ArmId),
}

impl<T: Copy> Link<T> {
    pub fn resolved(&self) -> Option<T> {
        match self {
            Link::Resolved(idx) => Some(*idx),
            Link::Missing(_) => None,
        }
    }

    pub fn missing(&self) -> Option<&ArmId> {
        match self {
            Link::Resolved(_) => None,
            Link::Missing(id) => Some(id),
        }
    }
}

/// Where in the input a resource was read: the file and the JSON path of its object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// Index into [`crate::Snapshot::files`]; `u32::MAX` for resources not read from a file.
    pub file: u32,
    /// JSON path of the resource object inside the file, e.g. `$[3].properties.subnets[1]`.
    pub json_path: String,
}

// ===== Virtual networks =====

/// `Microsoft.Network/virtualNetworks`.
#[derive(Clone, Debug)]
pub struct Vnet {
    pub id: ArmId,
    pub name: String,
    /// Normalised region name (`eastus`); empty when the export did not say.
    pub location: String,
    /// `addressSpace.addressPrefixes`, IPv4 and IPv6 mixed, in input order.
    pub address_space: Vec<IpNet>,
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
    pub origin: Origin,
}

impl Subnet {
    /// Azure gives these subnets special rules (§3.9 of the routing reference).
    pub fn is_gateway_subnet(&self) -> bool {
        self.name.eq_ignore_ascii_case("GatewaySubnet")
    }

    pub fn is_route_server_subnet(&self) -> bool {
        self.name.eq_ignore_ascii_case("RouteServerSubnet")
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

// ===== Route tables =====

/// `Microsoft.Network/routeTables`.
#[derive(Clone, Debug)]
pub struct RouteTable {
    pub id: ArmId,
    pub name: String,
    pub location: String,
    pub disable_bgp_route_propagation: bool,
    /// `disablePeeringRoute = All` (preview, §3.8).
    pub disable_peering_routes: bool,
    pub routes: Vec<Route>,
    pub origin: Origin,
}

/// What a user route's `addressPrefix` holds: a CIDR prefix or a service tag name (§3.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoutePrefix {
    Cidr(IpNet),
    ServiceTag(String),
}

impl RoutePrefix {
    pub fn text(&self) -> String {
        match self {
            RoutePrefix::Cidr(net) => net.to_string(),
            RoutePrefix::ServiceTag(tag) => tag.clone(),
        }
    }
}

/// `nextHopType` of a user route (`RouteNextHopType`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RouteNextHopType {
    VirtualNetworkGateway,
    VnetLocal,
    Internet,
    VirtualAppliance,
    VirtualApplianceEcmp,
    None,
    Other(String),
}

impl RouteNextHopType {
    /// Parses Azure's spelling, case-insensitively (Terraform accepts `vnetlocal`).
    pub fn parse(text: &str) -> RouteNextHopType {
        let t = text.trim();
        let is = |s: &str| t.eq_ignore_ascii_case(s);
        if is("VirtualNetworkGateway") || is("VPNGateway") {
            RouteNextHopType::VirtualNetworkGateway
        } else if is("VnetLocal") || is("VirtualNetwork") {
            RouteNextHopType::VnetLocal
        } else if is("Internet") {
            RouteNextHopType::Internet
        } else if is("VirtualAppliance") {
            RouteNextHopType::VirtualAppliance
        } else if is("VirtualApplianceEcmp") {
            RouteNextHopType::VirtualApplianceEcmp
        } else if is("None") || is("Null") {
            RouteNextHopType::None
        } else {
            RouteNextHopType::Other(t.to_string())
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            RouteNextHopType::VirtualNetworkGateway => "VirtualNetworkGateway",
            RouteNextHopType::VnetLocal => "VnetLocal",
            RouteNextHopType::Internet => "Internet",
            RouteNextHopType::VirtualAppliance => "VirtualAppliance",
            RouteNextHopType::VirtualApplianceEcmp => "VirtualApplianceEcmp",
            RouteNextHopType::None => "None",
            RouteNextHopType::Other(text) => text,
        }
    }
}

/// One user-defined route of a route table.
#[derive(Clone, Debug)]
pub struct Route {
    pub id: ArmId,
    pub name: String,
    pub prefix: RoutePrefix,
    pub next_hop_type: RouteNextHopType,
    /// `nextHopIpAddress`, or `nextHop.nextHopIpAddresses` for `VirtualApplianceEcmp`.
    pub next_hop_ips: Vec<IpAddr>,
    pub origin: Origin,
}

// ===== Network interfaces and VMs =====

/// `Microsoft.Network/networkInterfaces`.
#[derive(Clone, Debug)]
pub struct Nic {
    pub id: ArmId,
    pub name: String,
    pub location: String,
    /// `enableIPForwarding`.
    pub ip_forwarding: bool,
    pub nsg: Option<Link<NsgIdx>>,
    pub vm: Option<Link<VmIdx>>,
    /// `primary`: whether this is the VM's primary NIC, when the export says.
    pub primary: Option<bool>,
    pub ip_configs: Vec<IpConfig>,
    /// Set for the NIC Azure creates for a private endpoint.
    pub private_endpoint: Option<ArmId>,
    pub origin: Origin,
}

impl Nic {
    /// The primary IP configuration (the one marked primary, else the first).
    pub fn primary_ip_config(&self) -> Option<&IpConfig> {
        self.ip_configs.iter().find(|c| c.primary).or_else(|| self.ip_configs.first())
    }

    pub fn owns_ip(&self, ip: IpAddr) -> bool {
        self.ip_configs.iter().any(|c| c.private_ip == Some(ip))
    }
}

/// One `ipConfigurations[]` entry of a NIC.
#[derive(Clone, Debug)]
pub struct IpConfig {
    pub id: ArmId,
    pub name: String,
    pub private_ip: Option<IpAddr>,
    pub subnet: Option<Link<SubnetIdx>>,
    pub public_ip: Option<Link<PublicIpIdx>>,
    pub primary: bool,
    /// Normalised ids of the application security groups this configuration belongs to.
    pub application_security_groups: Vec<String>,
}

/// `Microsoft.Compute/virtualMachines`.
#[derive(Clone, Debug)]
pub struct Vm {
    pub id: ArmId,
    pub name: String,
    pub location: String,
    /// NICs in `networkProfile.networkInterfaces` order.
    pub nics: Vec<Link<NicIdx>>,
    /// Index into `nics` of the NIC marked primary (the first when none is marked).
    pub primary_nic: usize,
    /// `PowerState/running` and friends, when the export carries the instance view.
    pub power_state: Option<String>,
    pub origin: Origin,
}

// ===== Gateways =====

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
    /// The VNet whose GatewaySubnet holds the gateway (from its ip configurations).
    pub vnet: Option<Link<VnetIdx>>,
    /// Private instance addresses in the GatewaySubnet (the next hop IPs of gateway routes).
    pub instance_ips: Vec<IpAddr>,
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

// ===== Security =====

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    Inbound,
    Outbound,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "Inbound",
            Direction::Outbound => "Outbound",
        }
    }

    pub fn reverse(self) -> Direction {
        match self {
            Direction::Inbound => Direction::Outbound,
            Direction::Outbound => Direction::Inbound,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Access {
    Allow,
    Deny,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Allow => "Allow",
            Access::Deny => "Deny",
        }
    }
}

/// Protocol of an NSG rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NsgProtocol {
    Any,
    Tcp,
    Udp,
    Icmp,
    Esp,
    Ah,
}

impl NsgProtocol {
    pub fn parse(text: &str) -> Option<NsgProtocol> {
        let t = text.trim();
        let is = |s: &str| t.eq_ignore_ascii_case(s);
        Some(if t == "*" || is("All") || is("Any") {
            NsgProtocol::Any
        } else if is("Tcp") {
            NsgProtocol::Tcp
        } else if is("Udp") {
            NsgProtocol::Udp
        } else if is("Icmp") {
            NsgProtocol::Icmp
        } else if is("Esp") {
            NsgProtocol::Esp
        } else if is("Ah") {
            NsgProtocol::Ah
        } else {
            return None;
        })
    }

    /// The spelling of effective security rules (`All`, `Tcp`, `Udp`, …).
    pub fn as_effective_str(self) -> &'static str {
        match self {
            NsgProtocol::Any => "All",
            NsgProtocol::Tcp => "Tcp",
            NsgProtocol::Udp => "Udp",
            NsgProtocol::Icmp => "Icmp",
            NsgProtocol::Esp => "Esp",
            NsgProtocol::Ah => "Ah",
        }
    }
}

/// One source or destination entry of an NSG rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddressPattern {
    /// `*`, `0.0.0.0/0` is kept as a prefix.
    Any,
    Prefix(IpNet),
    /// A service tag such as `VirtualNetwork`, `Internet` or `Storage.EastUS`.
    Tag(String),
}

/// An inclusive port range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PortRange {
    pub lo: u16,
    pub hi: u16,
}

impl PortRange {
    pub const ALL: PortRange = PortRange { lo: 0, hi: 65535 };

    pub fn contains(self, port: u16) -> bool {
        self.lo <= port && port <= self.hi
    }

    /// Parses `*`, `80` or `1000-2000`.
    pub fn parse(text: &str) -> Option<PortRange> {
        let t = text.trim();
        if t == "*" {
            return Some(PortRange::ALL);
        }
        match t.split_once('-') {
            Some((lo, hi)) => {
                let lo: u16 = lo.trim().parse().ok()?;
                let hi: u16 = hi.trim().parse().ok()?;
                (lo <= hi).then_some(PortRange { lo, hi })
            }
            None => t.parse().ok().map(|p| PortRange { lo: p, hi: p }),
        }
    }
}

/// A custom rule of an NSG (default rules are supplied by the engine, §9.2).
#[derive(Clone, Debug)]
pub struct SecurityRule {
    pub id: ArmId,
    pub name: String,
    pub priority: u32,
    pub direction: Direction,
    pub access: Access,
    pub protocol: NsgProtocol,
    pub sources: Vec<AddressPattern>,
    pub destinations: Vec<AddressPattern>,
    /// Normalised ids of source application security groups.
    pub source_asgs: Vec<String>,
    pub destination_asgs: Vec<String>,
    pub source_ports: Vec<PortRange>,
    pub destination_ports: Vec<PortRange>,
    /// The address fields as written, for display (`sourceAddressPrefix(es)`).
    pub source_text: Vec<String>,
    pub destination_text: Vec<String>,
    pub origin: Origin,
}

/// `Microsoft.Network/networkSecurityGroups`.
#[derive(Clone, Debug)]
pub struct Nsg {
    pub id: ArmId,
    pub name: String,
    pub location: String,
    pub rules: Vec<SecurityRule>,
    pub origin: Origin,
}

// ===== Endpoints, load balancers, public IPs =====

/// `Microsoft.Network/privateEndpoints`.
#[derive(Clone, Debug)]
pub struct PrivateEndpoint {
    pub id: ArmId,
    pub name: String,
    pub subnet: Option<Link<SubnetIdx>>,
    pub ips: Vec<IpAddr>,
    pub nic: Option<Link<NicIdx>>,
    /// `groupId`s of the private link connections (`blob`, `sqlServer`, …).
    pub group_ids: Vec<String>,
    pub origin: Origin,
}

/// `Microsoft.Network/loadBalancers`: only what a virtual-appliance next hop needs.
#[derive(Clone, Debug)]
pub struct LoadBalancer {
    pub id: ArmId,
    pub name: String,
    /// `Basic` or `Standard`.
    pub sku: String,
    pub frontends: Vec<LbFrontend>,
    /// NICs in any backend pool.
    pub backend_nics: Vec<Link<NicIdx>>,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct LbFrontend {
    pub name: String,
    pub private_ip: Option<IpAddr>,
    pub subnet: Option<Link<SubnetIdx>>,
}

/// `Microsoft.Network/publicIPAddresses`.
#[derive(Clone, Debug)]
pub struct PublicIp {
    pub id: ArmId,
    pub name: String,
    pub ip: Option<IpAddr>,
    pub origin: Origin,
}

// ===== Service tags =====

/// Azure's Service Tags file (`ServiceTags_Public_*.json`).
#[derive(Clone, Debug, Default)]
pub struct ServiceTags {
    pub change_number: i64,
    pub cloud: String,
    pub tags: Vec<ServiceTag>,
}

#[derive(Clone, Debug)]
pub struct ServiceTag {
    /// e.g. `Storage.EastUS`.
    pub name: String,
    /// Normalised region, empty for a global tag.
    pub region: String,
    pub system_service: String,
    pub prefixes: Vec<IpNet>,
}

impl ServiceTags {
    pub fn find(&self, name: &str) -> Option<&ServiceTag> {
        self.tags.iter().find(|t| t.name.eq_ignore_ascii_case(name))
    }
}
