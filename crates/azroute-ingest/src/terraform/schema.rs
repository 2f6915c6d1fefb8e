//! Attribute objects, one per azurerm resource type, with 3.x and 4.x attribute names side by side.

use super::*;

// ===== Attribute objects, one per azurerm resource type =====
//
// Both provider generations' names are separate optional fields; lowering resolves them.
// Lists may hold `null` where a plan does not know an element yet.

pub(super) type Strs = Option<Vec<Option<String>>>;
pub(super) type Blocks<T> = Option<Vec<Option<T>>>;

/// The fields every resource has; also what data sources are read for.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfCommon {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
}

/// What a deleted association's prior state names.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfAssociationTarget {
    pub(super) subnet_id: Option<String>,
    pub(super) network_interface_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfVnet {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) location: Option<String>,
    pub(super) address_space: Strs,
    /// `dns_servers` (§16.7): the VNet's custom DNS servers, 3.x and 4.x alike.
    pub(super) dns_servers: Strs,
    pub(super) subnet: Blocks<TfVnetSubnet>,
}

/// `azurerm_virtual_network_dns_servers` (3.x and 4.x): a VNet's DNS servers as a resource of
/// their own, which replaces what the VNet says (§16.7).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfVnetDnsServers {
    pub(super) virtual_network_id: Option<String>,
    pub(super) dns_servers: Strs,
}

/// An inline `subnet` block of `azurerm_virtual_network`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfVnetSubnet {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    /// azurerm ≤ 3.x.
    pub(super) address_prefix: Option<String>,
    /// azurerm 4.x.
    pub(super) address_prefixes: Strs,
    pub(super) security_group: Option<String>,
    /// azurerm 4.x.
    pub(super) route_table_id: Option<String>,
    pub(super) service_endpoints: Strs,
    pub(super) private_endpoint_network_policies: Option<String>,
    /// azurerm 4.x: `default_outbound_access_enabled` (§17.2).
    pub(super) default_outbound_access_enabled: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfSubnet {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) virtual_network_name: Option<String>,
    pub(super) address_prefixes: Strs,
    /// azurerm ≤ 2.x.
    pub(super) address_prefix: Option<String>,
    pub(super) service_endpoints: Strs,
    /// azurerm 4.x: `Disabled`, `Enabled`, `NetworkSecurityGroupEnabled`, `RouteTableEnabled`.
    pub(super) private_endpoint_network_policies: Option<String>,
    /// azurerm 3.x: true means `Enabled`.
    pub(super) private_endpoint_network_policies_enabled: Option<bool>,
    /// azurerm ≤ 3.x: true means `Disabled` (it enforces the *exemption* of private endpoints).
    pub(super) enforce_private_link_endpoint_network_policies: Option<bool>,
    /// azurerm ≥ 3.x: `default_outbound_access_enabled` (§17.2).
    pub(super) default_outbound_access_enabled: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfRouteTable {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) location: Option<String>,
    pub(super) route: Blocks<TfInlineRoute>,
    /// azurerm ≤ 3.x.
    pub(super) disable_bgp_route_propagation: Option<bool>,
    /// azurerm 4.x: the inverse, default true.
    pub(super) bgp_route_propagation_enabled: Option<bool>,
    /// Computed: ids of the subnets associated with the table.
    pub(super) subnets: Strs,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfInlineRoute {
    pub(super) name: Option<String>,
    pub(super) address_prefix: Option<String>,
    pub(super) next_hop_type: Option<String>,
    pub(super) next_hop_in_ip_address: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfRoute {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) route_table_name: Option<String>,
    pub(super) address_prefix: Option<String>,
    pub(super) next_hop_type: Option<String>,
    pub(super) next_hop_in_ip_address: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfSubnetRouteTableAssociation {
    pub(super) subnet_id: Option<String>,
    pub(super) route_table_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfSubnetNsgAssociation {
    pub(super) subnet_id: Option<String>,
    pub(super) network_security_group_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfNicNsgAssociation {
    pub(super) network_interface_id: Option<String>,
    pub(super) network_security_group_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfNic {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) location: Option<String>,
    /// azurerm ≤ 3.x.
    pub(super) enable_ip_forwarding: Option<bool>,
    /// azurerm ≥ 3.x (late) and 4.x.
    pub(super) ip_forwarding_enabled: Option<bool>,
    pub(super) ip_configuration: Blocks<TfNicIpConfig>,
    pub(super) virtual_machine_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfNicIpConfig {
    pub(super) name: Option<String>,
    pub(super) subnet_id: Option<String>,
    pub(super) private_ip_address: Option<String>,
    pub(super) primary: Option<bool>,
    pub(super) public_ip_address_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfPeering {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) virtual_network_name: Option<String>,
    pub(super) remote_virtual_network_id: Option<String>,
    pub(super) allow_virtual_network_access: Option<bool>,
    pub(super) allow_forwarded_traffic: Option<bool>,
    pub(super) allow_gateway_transit: Option<bool>,
    pub(super) use_remote_gateways: Option<bool>,
    pub(super) peer_complete_virtual_networks_enabled: Option<bool>,
    pub(super) local_subnet_names: Strs,
    pub(super) remote_subnet_names: Strs,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfNsg {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) location: Option<String>,
    pub(super) security_rule: Blocks<TfRule>,
}

/// An inline `security_rule` block, or the attributes of `azurerm_network_security_rule`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfRule {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) network_security_group_name: Option<String>,
    pub(super) priority: Option<i64>,
    pub(super) direction: Option<String>,
    pub(super) access: Option<String>,
    pub(super) protocol: Option<String>,
    pub(super) source_port_range: Option<String>,
    pub(super) source_port_ranges: Strs,
    pub(super) destination_port_range: Option<String>,
    pub(super) destination_port_ranges: Strs,
    pub(super) source_address_prefix: Option<String>,
    pub(super) source_address_prefixes: Strs,
    pub(super) destination_address_prefix: Option<String>,
    pub(super) destination_address_prefixes: Strs,
    pub(super) source_application_security_group_ids: Strs,
    pub(super) destination_application_security_group_ids: Strs,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfGateway {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) location: Option<String>,
    #[serde(rename = "type")]
    pub(super) gateway_type: Option<String>,
    pub(super) vpn_type: Option<String>,
    pub(super) sku: Option<String>,
    pub(super) active_active: Option<bool>,
    /// azurerm ≤ 4.x.
    pub(super) enable_bgp: Option<bool>,
    /// azurerm ≥ 4.x.
    pub(super) bgp_enabled: Option<bool>,
    pub(super) ip_configuration: Blocks<TfGatewayIpConfig>,
    pub(super) bgp_settings: Blocks<TfGatewayBgp>,
    pub(super) vpn_client_configuration: Blocks<TfVpnClient>,
    pub(super) default_local_network_gateway_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfGatewayIpConfig {
    pub(super) name: Option<String>,
    pub(super) subnet_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfGatewayBgp {
    pub(super) asn: Option<i64>,
    pub(super) peering_addresses: Blocks<TfGatewayPeeringAddress>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfGatewayPeeringAddress {
    pub(super) default_addresses: Strs,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfVpnClient {
    pub(super) address_space: Strs,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfLocalGateway {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) gateway_address: Option<String>,
    pub(super) gateway_fqdn: Option<String>,
    pub(super) address_space: Strs,
    pub(super) bgp_settings: Blocks<TfLocalBgp>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfLocalBgp {
    pub(super) bgp_peering_address: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfConnection {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    #[serde(rename = "type")]
    pub(super) connection_type: Option<String>,
    pub(super) virtual_network_gateway_id: Option<String>,
    pub(super) peer_virtual_network_gateway_id: Option<String>,
    pub(super) local_network_gateway_id: Option<String>,
    pub(super) enable_bgp: Option<bool>,
    pub(super) bgp_enabled: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfVm {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) location: Option<String>,
    pub(super) network_interface_ids: Strs,
    /// `azurerm_virtual_machine` (legacy) only.
    pub(super) primary_network_interface_id: Option<String>,
    /// The scale set (`azurerm_orchestrated_virtual_machine_scale_set`) of a Flexible instance.
    pub(super) virtual_machine_scale_set_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfPrivateEndpoint {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) location: Option<String>,
    pub(super) subnet_id: Option<String>,
    pub(super) private_service_connection: Blocks<TfPrivateServiceConnection>,
    pub(super) network_interface: Blocks<TfPrivateEndpointNic>,
    pub(super) custom_dns_configs: Blocks<TfCustomDns>,
    pub(super) ip_configuration: Blocks<TfPrivateEndpointIpConfig>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfPrivateServiceConnection {
    pub(super) subresource_names: Strs,
    pub(super) private_ip_address: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfPrivateEndpointNic {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfCustomDns {
    pub(super) ip_addresses: Strs,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfPrivateEndpointIpConfig {
    pub(super) private_ip_address: Option<String>,
    pub(super) subresource_name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfPublicIp {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) ip_address: Option<String>,
}

/// The attributes of one resource instance, by type.
pub(super) enum Attrs {
    Vnet(TfVnet),
    VnetDnsServers(TfVnetDnsServers),
    Subnet(TfSubnet),
    RouteTable(TfRouteTable),
    Route(TfRoute),
    SubnetRouteTable(TfSubnetRouteTableAssociation),
    SubnetNsg(TfSubnetNsgAssociation),
    NicNsg(TfNicNsgAssociation),
    Nic(TfNic),
    Peering(TfPeering),
    Nsg(TfNsg),
    Rule(TfRule),
    Gateway(TfGateway),
    LocalGateway(TfLocalGateway),
    Connection(TfConnection),
    Vm(TfVm),
    PrivateEndpoint(TfPrivateEndpoint),
    PublicIp(TfPublicIp),
    Firewall(super::firewall::TfFirewall),
    FirewallPolicy(super::firewall::TfFirewallPolicy),
    RuleCollectionGroup(super::firewall::TfRuleCollectionGroup),
    IpGroup(super::firewall::TfIpGroup),
    RouteServer(super::hubs::TfRouteServer),
    RouteServerBgpConnection(super::hubs::TfRouteServerBgpConnection),
    NetworkGroup(super::avnm::TfNetworkGroup),
    StaticMember(super::avnm::TfStaticMember),
    ConnectivityConfiguration(super::avnm::TfConnectivityConfiguration),
    SecurityAdminConfiguration(super::avnm::TfSecurityAdminConfiguration),
    AdminRuleCollection(super::avnm::TfAvnmRuleCollection),
    AdminRule(super::avnm::TfAdminRule),
    RoutingConfiguration(super::avnm::TfRoutingConfiguration),
    RoutingRuleCollection(super::avnm::TfAvnmRuleCollection),
    RoutingRule(super::avnm::TfRoutingRule),
    AvnmDeployment(super::avnm::TfAvnmDeployment),
    NatGateway(super::platform::TfNatGateway),
    NatGatewayAddress(super::platform::TfNatGatewayAddress),
    SubnetNatGateway(super::platform::TfSubnetNatGatewayAssociation),
    PublicIpPrefix(super::platform::TfPublicIpPrefix),
    ApplicationGateway(super::platform::TfApplicationGateway),
    BastionHost(super::platform::TfBastionHost),
    DnsInboundEndpoint(super::platform::TfDnsInboundEndpoint),
    UniformScaleSet(super::platform::TfScaleSet),
    FlexibleScaleSet(super::platform::TfScaleSet),
    ClassicNetworkCollection(super::platform::TfClassicCollection),
    ClassicApplicationCollection(super::platform::TfClassicCollection),
    ClassicNatCollection(super::platform::TfClassicCollection),
    VirtualWan(super::vwan::TfVirtualWan),
    VwanHub(super::vwan::TfVwanHub),
    HubConnection(super::vwan::TfHubConnection),
    HubRouteTable(super::vwan::TfHubRouteTable),
    HubRouteTableRoute(super::vwan::TfHubRoute),
    RoutingIntent(super::vwan::TfRoutingIntent),
    HubNva(super::vwan::TfHubNva),
    HubIp(super::hubs::TfHubIp),
    VpnSite(super::vwan_branches::TfVpnSite),
    VpnGateway(super::vwan_branches::TfVpnGateway),
    VpnGatewayConnection(super::vwan_branches::TfVpnConnection),
    ExpressRouteGateway(super::vwan_branches::TfErGateway),
    ExpressRouteConnection(super::vwan_branches::TfErConnection),
    LoadBalancer(super::load_balancer::TfLoadBalancer),
    LbPool(super::load_balancer::TfLbPool),
    LbOutboundRule(super::load_balancer::TfLbOutboundRule),
    NicPoolAssociation(super::load_balancer::TfNicPoolAssociation),
    /// A data source, or a managed type azroute does not model: only its id, name and
    /// resource group, so references to it can be followed.
    Other(TfCommon),
}

impl Attrs {
    pub(super) fn common(&self) -> (Option<&str>, Option<&str>, Option<&str>) {
        fn t(v: &Option<String>) -> Option<&str> {
            v.as_deref().filter(|s| !s.trim().is_empty())
        }
        match self {
            Attrs::Vnet(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::VnetDnsServers(_) => (None, None, None),
            Attrs::Subnet(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::RouteTable(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::Route(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::SubnetRouteTable(_) | Attrs::SubnetNsg(_) | Attrs::NicNsg(_) => (None, None, None),
            Attrs::Nic(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::Peering(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::Nsg(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::Rule(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::Gateway(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::LocalGateway(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::Connection(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::Vm(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::PrivateEndpoint(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::PublicIp(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::Firewall(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::FirewallPolicy(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::RuleCollectionGroup(a) => (t(&a.id), t(&a.name), None),
            Attrs::IpGroup(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::RouteServer(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::RouteServerBgpConnection(a) => (t(&a.id), t(&a.name), None),
            Attrs::NetworkGroup(a) => (t(&a.id), t(&a.name), None),
            Attrs::StaticMember(a) => (t(&a.id), t(&a.name), None),
            Attrs::ConnectivityConfiguration(a) => (t(&a.id), t(&a.name), None),
            Attrs::SecurityAdminConfiguration(a) => (t(&a.id), t(&a.name), None),
            Attrs::AdminRuleCollection(a) | Attrs::RoutingRuleCollection(a) => (t(&a.id), t(&a.name), None),
            Attrs::AdminRule(a) => (t(&a.id), t(&a.name), None),
            Attrs::RoutingConfiguration(a) => (t(&a.id), t(&a.name), None),
            Attrs::RoutingRule(a) => (t(&a.id), t(&a.name), None),
            Attrs::AvnmDeployment(_) => (None, None, None),
            Attrs::NatGateway(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::NatGatewayAddress(_) | Attrs::SubnetNatGateway(_) => (None, None, None),
            Attrs::PublicIpPrefix(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::ApplicationGateway(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::BastionHost(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::DnsInboundEndpoint(a) => (t(&a.id), t(&a.name), None),
            Attrs::UniformScaleSet(a) | Attrs::FlexibleScaleSet(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::ClassicNetworkCollection(a)
            | Attrs::ClassicApplicationCollection(a)
            | Attrs::ClassicNatCollection(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::VirtualWan(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::VwanHub(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::HubConnection(a) => (t(&a.id), t(&a.name), None),
            Attrs::HubRouteTable(a) => (t(&a.id), t(&a.name), None),
            Attrs::HubRouteTableRoute(a) => (t(&a.id), t(&a.name), None),
            Attrs::RoutingIntent(a) => (t(&a.id), t(&a.name), None),
            Attrs::HubNva(a) => (t(&a.id), t(&a.name), None),
            Attrs::HubIp(a) => (t(&a.id), t(&a.name), None),
            Attrs::VpnSite(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::VpnGateway(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::VpnGatewayConnection(a) => (t(&a.id), t(&a.name), None),
            Attrs::ExpressRouteGateway(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::ExpressRouteConnection(a) => (t(&a.id), t(&a.name), None),
            Attrs::LoadBalancer(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::LbPool(a) => (t(&a.id), t(&a.name), None),
            Attrs::LbOutboundRule(a) => (t(&a.id), t(&a.name), None),
            Attrs::NicPoolAssociation(_) => (None, None, None),
            Attrs::Other(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
        }
    }
}

/// The ARM type of a top-level resource azroute synthesises ids for.
pub(super) fn arm_type_of(rtype: &str) -> Option<&'static str> {
    Some(match rtype {
        "azurerm_virtual_network" => "Microsoft.Network/virtualNetworks",
        "azurerm_route_table" => "Microsoft.Network/routeTables",
        "azurerm_network_security_group" => "Microsoft.Network/networkSecurityGroups",
        "azurerm_network_interface" => "Microsoft.Network/networkInterfaces",
        "azurerm_virtual_network_gateway" => "Microsoft.Network/virtualNetworkGateways",
        "azurerm_local_network_gateway" => "Microsoft.Network/localNetworkGateways",
        "azurerm_virtual_network_gateway_connection" => "Microsoft.Network/connections",
        "azurerm_private_endpoint" => "Microsoft.Network/privateEndpoints",
        "azurerm_public_ip" => "Microsoft.Network/publicIPAddresses",
        "azurerm_firewall" => "Microsoft.Network/azureFirewalls",
        "azurerm_firewall_policy" => "Microsoft.Network/firewallPolicies",
        "azurerm_ip_group" => "Microsoft.Network/ipGroups",
        "azurerm_route_server" => "Microsoft.Network/virtualHubs",
        "azurerm_nat_gateway" => "Microsoft.Network/natGateways",
        "azurerm_public_ip_prefix" => "Microsoft.Network/publicIPPrefixes",
        "azurerm_application_gateway" => "Microsoft.Network/applicationGateways",
        "azurerm_bastion_host" => "Microsoft.Network/bastionHosts",
        "azurerm_lb" => "Microsoft.Network/loadBalancers",
        "azurerm_linux_virtual_machine_scale_set"
        | "azurerm_windows_virtual_machine_scale_set"
        | "azurerm_orchestrated_virtual_machine_scale_set" => "Microsoft.Compute/virtualMachineScaleSets",
        "azurerm_virtual_wan" => "Microsoft.Network/virtualWans",
        "azurerm_virtual_hub" => "Microsoft.Network/virtualHubs",
        "azurerm_vpn_site" => "Microsoft.Network/vpnSites",
        "azurerm_vpn_gateway" => "Microsoft.Network/vpnGateways",
        "azurerm_express_route_gateway" => "Microsoft.Network/expressRouteGateways",
        "azurerm_linux_virtual_machine" | "azurerm_windows_virtual_machine" | "azurerm_virtual_machine" => {
            "Microsoft.Compute/virtualMachines"
        }
        _ => return None,
    })
}

pub(super) const VNET: &[&str] = &["azurerm_virtual_network"];
pub(super) const SUBNET: &[&str] = &["azurerm_subnet"];
pub(super) const ROUTE_TABLE: &[&str] = &["azurerm_route_table"];
pub(super) const NSG: &[&str] = &["azurerm_network_security_group"];
pub(super) const NIC: &[&str] = &["azurerm_network_interface"];
pub(super) const GATEWAY: &[&str] = &["azurerm_virtual_network_gateway"];
pub(super) const LOCAL_GATEWAY: &[&str] = &["azurerm_local_network_gateway"];
pub(super) const PUBLIC_IP: &[&str] = &["azurerm_public_ip"];
pub(super) const NAT_GATEWAY: &[&str] = &["azurerm_nat_gateway"];
pub(super) const PUBLIC_IP_PREFIX: &[&str] = &["azurerm_public_ip_prefix"];
pub(super) const VPN_SITE: &[&str] = &["azurerm_vpn_site"];
