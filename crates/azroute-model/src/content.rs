//! Resources compared by content: what they say, not where they were read. Each field is
//! compared by its type: ids and the values Azure treats case-insensitively (enum-like strings,
//! service and tag names, locations) ignoring case, names and other free text exactly. Every
//! impl destructures its resource, so a new field cannot be forgotten.

use std::fmt::Debug;

use crate::*;

/// Access to the id and origin of every resource.
pub trait HasOrigin: Debug + Clone + SameContent {
    fn origin_ref(&self) -> &Origin;
    fn id_str(&self) -> &str;
}

/// Equality of what a resource says (its origin, and the origins of what it holds, ignored).
pub trait SameContent {
    fn same_content(&self, other: &Self) -> bool;
}

/// Implements `SameContent` for resources that compare by every field but their origin (their
/// text fields are ids, names and enum values compared as read, by a derived `PartialEq`): the
/// Virtual WAN and Virtual Network Manager kinds.
macro_rules! same_content_but_origin {
    ($($t:ty),*) => {$(
        impl $crate::content::SameContent for $t {
            fn same_content(&self, other: &$t) -> bool {
                let mut a = self.clone();
                a.origin = other.origin.clone();
                &a == other
            }
        }
    )*};
}
pub(crate) use same_content_but_origin;

/// Clears the origin of every resource in the named list fields of `$value`, so two collections
/// compare by content with a derived `PartialEq`.
macro_rules! clear_origins {
    ($value:ident; $($field:ident),*) => {$(for r in &mut $value.$field { r.origin = Origin::default(); })*};
}
pub(crate) use clear_origins;

macro_rules! has_origin {
    ($($t:ty),*) => {$(
        impl HasOrigin for $t {
            fn origin_ref(&self) -> &Origin { &self.origin }
            fn id_str(&self) -> &str { self.id.as_str() }
        }
    )*};
}

has_origin!(
    Vnet,
    Subnet,
    Peering,
    RouteTable,
    Route,
    Nic,
    Vm,
    VnetGateway,
    LocalNetworkGateway,
    Connection,
    Nsg,
    SecurityRule,
    PrivateEndpoint,
    LoadBalancer,
    PublicIp,
    Firewall,
    FirewallPolicy,
    RuleCollectionGroup,
    IpGroup,
    NatGateway,
    PublicIpPrefix,
    ApplicationGateway,
    BastionHost,
    DnsResolverInboundEndpoint,
    ScaleSet,
    NetworkGroup,
    NetworkGroupMember,
    ConnectivityConfiguration,
    SecurityAdminConfiguration,
    AdminRuleCollection,
    AdminRule,
    RoutingConfiguration,
    RoutingRuleCollection,
    RoutingRule,
    AvnmDeployment,
    VnetEffectiveConnectivity,
    VnetEffectiveAdminRules,
    VirtualHub,
    BgpConnection,
    VirtualWan,
    HubVnetConnection,
    HubRouteTable,
    RoutingIntent,
    VpnGateway,
    VpnSite,
    ExpressRouteGateway,
    NetworkVirtualAppliance
);

/// Text Azure compares without case (enum values, service names, locations, SKUs).
fn same_text(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn same_texts(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_text(x, y))
}

fn same_all<T: SameContent>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_content(y))
}

impl SameContent for Vnet {
    fn same_content(&self, other: &Vnet) -> bool {
        let Vnet { id, name, location, address_space, dns_servers, subnets, peerings, origin: _ } = self;
        *id == other.id
            && *name == other.name
            && same_text(location, &other.location)
            && *address_space == other.address_space
            && *dns_servers == other.dns_servers
            && *subnets == other.subnets
            && *peerings == other.peerings
    }
}

impl SameContent for ServiceEndpoint {
    fn same_content(&self, other: &ServiceEndpoint) -> bool {
        let ServiceEndpoint { service, locations } = self;
        same_text(service, &other.service) && same_texts(locations, &other.locations)
    }
}

impl SameContent for Subnet {
    fn same_content(&self, other: &Subnet) -> bool {
        let Subnet {
            id,
            name,
            vnet,
            prefixes,
            route_table,
            nsg,
            service_endpoints,
            private_endpoint_network_policies,
            nat_gateway,
            default_outbound_access,
            delegations,
            origin: _,
        } = self;
        *id == other.id
            && *name == other.name
            && *vnet == other.vnet
            && *prefixes == other.prefixes
            && *route_table == other.route_table
            && *nsg == other.nsg
            && same_all(service_endpoints, &other.service_endpoints)
            && *private_endpoint_network_policies == other.private_endpoint_network_policies
            && *nat_gateway == other.nat_gateway
            && *default_outbound_access == other.default_outbound_access
            && same_texts(delegations, &other.delegations)
    }
}

impl SameContent for PeeringState {
    fn same_content(&self, other: &PeeringState) -> bool {
        same_text(self.as_str(), other.as_str())
    }
}

impl SameContent for Peering {
    fn same_content(&self, other: &Peering) -> bool {
        let Peering {
            id,
            name,
            vnet,
            remote_vnet,
            state,
            allow_virtual_network_access,
            allow_forwarded_traffic,
            allow_gateway_transit,
            use_remote_gateways,
            remote_address_space,
            remote_virtual_network_address_space,
            peer_complete_vnets,
            local_subnet_names,
            remote_subnet_names,
            origin: _,
        } = self;
        *id == other.id
            && *name == other.name
            && *vnet == other.vnet
            && *remote_vnet == other.remote_vnet
            && state.same_content(&other.state)
            && *allow_virtual_network_access == other.allow_virtual_network_access
            && *allow_forwarded_traffic == other.allow_forwarded_traffic
            && *allow_gateway_transit == other.allow_gateway_transit
            && *use_remote_gateways == other.use_remote_gateways
            && *remote_address_space == other.remote_address_space
            && *remote_virtual_network_address_space == other.remote_virtual_network_address_space
            && *peer_complete_vnets == other.peer_complete_vnets
            && *local_subnet_names == other.local_subnet_names
            && *remote_subnet_names == other.remote_subnet_names
    }
}

impl SameContent for RoutePrefix {
    fn same_content(&self, other: &RoutePrefix) -> bool {
        match (self, other) {
            (RoutePrefix::Cidr(a), RoutePrefix::Cidr(b)) => a == b,
            (RoutePrefix::ServiceTag(a), RoutePrefix::ServiceTag(b)) => same_text(a, b),
            _ => false,
        }
    }
}

impl SameContent for RouteNextHopType {
    fn same_content(&self, other: &RouteNextHopType) -> bool {
        same_text(self.as_str(), other.as_str())
    }
}

impl SameContent for Route {
    fn same_content(&self, other: &Route) -> bool {
        let Route { id, name, prefix, next_hop_type, next_hop_ips, origin: _ } = self;
        *id == other.id
            && *name == other.name
            && prefix.same_content(&other.prefix)
            && next_hop_type.same_content(&other.next_hop_type)
            && *next_hop_ips == other.next_hop_ips
    }
}

impl SameContent for RouteTable {
    fn same_content(&self, other: &RouteTable) -> bool {
        let RouteTable { id, name, location, disable_bgp_route_propagation, disable_peering_routes, routes, origin: _ } =
            self;
        *id == other.id
            && *name == other.name
            && same_text(location, &other.location)
            && *disable_bgp_route_propagation == other.disable_bgp_route_propagation
            && *disable_peering_routes == other.disable_peering_routes
            && same_all(routes, &other.routes)
    }
}

impl SameContent for IpConfig {
    fn same_content(&self, other: &IpConfig) -> bool {
        let IpConfig { id: _, name, private_ip, subnet, public_ip, primary, application_security_groups } = self;
        // Spelled out: one copy may share its NIC's id and the other not.
        self.id() == other.id()
            && *name == other.name
            && *private_ip == other.private_ip
            && *subnet == other.subnet
            && *public_ip == other.public_ip
            && *primary == other.primary
            // Normalised ids.
            && *application_security_groups == other.application_security_groups
    }
}

impl SameContent for Nic {
    fn same_content(&self, other: &Nic) -> bool {
        let Nic { id, name, location, ip_forwarding, nsg, vm, primary, ip_configs, private_endpoint, origin: _ } = self;
        *id == other.id
            && *name == other.name
            && same_text(location, &other.location)
            && *ip_forwarding == other.ip_forwarding
            && *nsg == other.nsg
            && *vm == other.vm
            && *primary == other.primary
            && same_all(ip_configs, &other.ip_configs)
            && *private_endpoint == other.private_endpoint
    }
}

impl SameContent for Vm {
    fn same_content(&self, other: &Vm) -> bool {
        let Vm { id, name, location, nics, primary_nic, power_state, scale_set, origin: _ } = self;
        *id == other.id
            && *name == other.name
            && same_text(location, &other.location)
            && *nics == other.nics
            && *primary_nic == other.primary_nic
            && *power_state == other.power_state
            && *scale_set == other.scale_set
    }
}

impl SameContent for GatewayType {
    fn same_content(&self, other: &GatewayType) -> bool {
        same_text(self.as_str(), other.as_str())
    }
}

impl SameContent for VnetGateway {
    fn same_content(&self, other: &VnetGateway) -> bool {
        let VnetGateway {
            id,
            name,
            location,
            gateway_type,
            vpn_type,
            sku,
            active_active,
            bgp_enabled,
            bgp_asn,
            vnet,
            instance_ips,
            default_site,
            vpn_client_address_pool,
            learned_routes,
            learned_routes_supplied,
            provisioning_state,
            origin: _,
        } = self;
        *id == other.id
            && *name == other.name
            && same_text(location, &other.location)
            && gateway_type.same_content(&other.gateway_type)
            && same_text(vpn_type, &other.vpn_type)
            && same_text(sku, &other.sku)
            && *active_active == other.active_active
            && *bgp_enabled == other.bgp_enabled
            && *bgp_asn == other.bgp_asn
            && *vnet == other.vnet
            && *instance_ips == other.instance_ips
            && *default_site == other.default_site
            && *vpn_client_address_pool == other.vpn_client_address_pool
            && *learned_routes == other.learned_routes
            && *learned_routes_supplied == other.learned_routes_supplied
            && same_text(provisioning_state, &other.provisioning_state)
    }
}

impl SameContent for LocalNetworkGateway {
    fn same_content(&self, other: &LocalNetworkGateway) -> bool {
        let LocalNetworkGateway { id, name, prefixes, gateway_ip, bgp_peering_address, origin: _ } = self;
        *id == other.id
            && *name == other.name
            && *prefixes == other.prefixes
            && same_text(gateway_ip, &other.gateway_ip)
            && *bgp_peering_address == other.bgp_peering_address
    }
}

impl SameContent for ConnectionType {
    fn same_content(&self, other: &ConnectionType) -> bool {
        match (self, other) {
            (ConnectionType::Other(a), ConnectionType::Other(b)) => same_text(a, b),
            (a, b) => a == b,
        }
    }
}

impl SameContent for Connection {
    fn same_content(&self, other: &Connection) -> bool {
        let Connection { id, name, connection_type, gateway1, gateway2, local_gateway2, status, enable_bgp, origin: _ } =
            self;
        *id == other.id
            && *name == other.name
            && connection_type.same_content(&other.connection_type)
            && *gateway1 == other.gateway1
            && *gateway2 == other.gateway2
            && *local_gateway2 == other.local_gateway2
            && same_text(status, &other.status)
            && *enable_bgp == other.enable_bgp
    }
}

impl SameContent for AddressPattern {
    fn same_content(&self, other: &AddressPattern) -> bool {
        match (self, other) {
            (AddressPattern::Tag(a), AddressPattern::Tag(b)) => same_text(a, b),
            (a, b) => a == b,
        }
    }
}

impl SameContent for SecurityRule {
    fn same_content(&self, other: &SecurityRule) -> bool {
        let SecurityRule {
            id,
            name,
            priority,
            direction,
            access,
            protocol,
            sources,
            destinations,
            source_asgs,
            destination_asgs,
            source_ports,
            destination_ports,
            source_text,
            destination_text,
            origin: _,
        } = self;
        *id == other.id
            && *name == other.name
            && *priority == other.priority
            && *direction == other.direction
            && *access == other.access
            && *protocol == other.protocol
            && same_all(sources, &other.sources)
            && same_all(destinations, &other.destinations)
            // Application security group ids.
            && same_texts(source_asgs, &other.source_asgs)
            && same_texts(destination_asgs, &other.destination_asgs)
            && *source_ports == other.source_ports
            && *destination_ports == other.destination_ports
            // Prefixes and service tags as written: tags are case-insensitive.
            && same_texts(source_text, &other.source_text)
            && same_texts(destination_text, &other.destination_text)
    }
}

impl SameContent for Nsg {
    fn same_content(&self, other: &Nsg) -> bool {
        let Nsg { id, name, location, rules, origin: _ } = self;
        *id == other.id && *name == other.name && same_text(location, &other.location) && same_all(rules, &other.rules)
    }
}

impl SameContent for PrivateEndpoint {
    fn same_content(&self, other: &PrivateEndpoint) -> bool {
        let PrivateEndpoint { id, name, subnet, ips, nic, group_ids, origin: _ } = self;
        *id == other.id
            && *name == other.name
            && *subnet == other.subnet
            && *ips == other.ips
            && *nic == other.nic
            && same_texts(group_ids, &other.group_ids)
    }
}

impl SameContent for LbFrontend {
    fn same_content(&self, other: &LbFrontend) -> bool {
        let LbFrontend { name, private_ip, subnet, public_ip } = self;
        *name == other.name
            && *private_ip == other.private_ip
            && *subnet == other.subnet
            && *public_ip == other.public_ip
    }
}

impl SameContent for LoadBalancer {
    fn same_content(&self, other: &LoadBalancer) -> bool {
        let LoadBalancer { id, name, sku, frontends, backend_nics, outbound_rules, origin: _ } = self;
        *id == other.id
            && *name == other.name
            && same_text(sku, &other.sku)
            && same_all(frontends, &other.frontends)
            && *backend_nics == other.backend_nics
            && same_all(outbound_rules, &other.outbound_rules)
    }
}

impl SameContent for PublicIp {
    fn same_content(&self, other: &PublicIp) -> bool {
        let PublicIp { id, name, ip, origin: _ } = self;
        *id == other.id && *name == other.name && *ip == other.ip
    }
}

// Firewall resources: rule values are parsed (addresses, ports, protocols, actions), so
// comparing the parsed values ignores the case of enum text; names compare exactly.
impl SameContent for Firewall {
    fn same_content(&self, other: &Firewall) -> bool {
        let Firewall {
            id,
            name,
            sku,
            tier,
            ip_configs,
            management_ip_config,
            hub_private_ip,
            hub_public_ips,
            virtual_hub,
            policy,
            classic,
            threat_intel_mode,
            snat_private_ranges,
            dns_proxy,
            origin: _,
        } = self;
        *id == other.id
            && *name == other.name
            && *sku == other.sku
            && same_text(tier, &other.tier)
            && *ip_configs == other.ip_configs
            && *management_ip_config == other.management_ip_config
            && *hub_private_ip == other.hub_private_ip
            && *hub_public_ips == other.hub_public_ips
            && *virtual_hub == other.virtual_hub
            && *policy == other.policy
            && *classic == other.classic
            && same_text(threat_intel_mode, &other.threat_intel_mode)
            && *snat_private_ranges == other.snat_private_ranges
            && *dns_proxy == other.dns_proxy
    }
}

impl SameContent for FirewallPolicy {
    fn same_content(&self, other: &FirewallPolicy) -> bool {
        let FirewallPolicy {
            id,
            name,
            base_policy,
            threat_intel_mode,
            snat_private_ranges,
            auto_learn_private_ranges,
            dns_proxy,
            tier,
            rule_collection_groups,
            origin: _,
        } = self;
        *id == other.id
            && *name == other.name
            && *base_policy == other.base_policy
            && same_text(threat_intel_mode, &other.threat_intel_mode)
            && *snat_private_ranges == other.snat_private_ranges
            && *auto_learn_private_ranges == other.auto_learn_private_ranges
            && *dns_proxy == other.dns_proxy
            && same_text(tier, &other.tier)
            && same_all(rule_collection_groups, &other.rule_collection_groups)
    }
}

impl SameContent for RuleCollectionGroup {
    fn same_content(&self, other: &RuleCollectionGroup) -> bool {
        let RuleCollectionGroup { id, name, priority, collections, origin: _ } = self;
        *id == other.id && *name == other.name && *priority == other.priority && *collections == other.collections
    }
}

impl SameContent for IpGroup {
    fn same_content(&self, other: &IpGroup) -> bool {
        let IpGroup { id, name, ip_addresses, origin: _ } = self;
        *id == other.id && *name == other.name && *ip_addresses == other.ip_addresses
    }
}

impl SameContent for ServiceTag {
    fn same_content(&self, other: &ServiceTag) -> bool {
        let ServiceTag { name, region, system_service, prefixes } = self;
        same_text(name, &other.name)
            && same_text(region, &other.region)
            && same_text(system_service, &other.system_service)
            && *prefixes == other.prefixes
    }
}

impl SameContent for ServiceTags {
    fn same_content(&self, other: &ServiceTags) -> bool {
        let ServiceTags { change_number, cloud, tags } = self;
        *change_number == other.change_number && same_text(cloud, &other.cloud) && same_all(tags, &other.tags)
    }
}

impl<T: SameContent> SameContent for Option<T> {
    fn same_content(&self, other: &Option<T>) -> bool {
        match (self, other) {
            (Some(a), Some(b)) => a.same_content(b),
            (None, None) => true,
            _ => false,
        }
    }
}

// Egress and platform services (§17).
impl SameContent for LbOutboundRule {
    fn same_content(&self, other: &LbOutboundRule) -> bool {
        let LbOutboundRule { name, frontends, backend_nics } = self;
        *name == other.name && *frontends == other.frontends && *backend_nics == other.backend_nics
    }
}

impl SameContent for NatGateway {
    fn same_content(&self, other: &NatGateway) -> bool {
        let NatGateway { id, name, sku, public_ips, public_ip_prefixes, origin: _ } = self;
        *id == other.id
            && *name == other.name
            && same_text(sku, &other.sku)
            && *public_ips == other.public_ips
            && *public_ip_prefixes == other.public_ip_prefixes
    }
}

impl SameContent for PublicIpPrefix {
    fn same_content(&self, other: &PublicIpPrefix) -> bool {
        let PublicIpPrefix { id, name, prefix, origin: _ } = self;
        *id == other.id && *name == other.name && *prefix == other.prefix
    }
}

impl SameContent for ApplicationGateway {
    fn same_content(&self, other: &ApplicationGateway) -> bool {
        let ApplicationGateway { id, name, tier, frontend_private_ips, subnets, origin: _ } = self;
        *id == other.id
            && *name == other.name
            && same_text(tier, &other.tier)
            && *frontend_private_ips == other.frontend_private_ips
            && *subnets == other.subnets
    }
}

impl SameContent for BastionHost {
    fn same_content(&self, other: &BastionHost) -> bool {
        let BastionHost { id, name, subnets, public_ips, origin: _ } = self;
        *id == other.id && *name == other.name && *subnets == other.subnets && *public_ips == other.public_ips
    }
}

impl SameContent for DnsResolverInboundEndpoint {
    fn same_content(&self, other: &DnsResolverInboundEndpoint) -> bool {
        let DnsResolverInboundEndpoint { id, name, ips, subnets, origin: _ } = self;
        *id == other.id && *name == other.name && *ips == other.ips && *subnets == other.subnets
    }
}

impl SameContent for ScaleSet {
    fn same_content(&self, other: &ScaleSet) -> bool {
        let ScaleSet { id, name, orchestration_mode, subnets, origin: _ } = self;
        *id == other.id
            && *name == other.name
            && *orchestration_mode == other.orchestration_mode
            && *subnets == other.subnets
    }
}

impl SameContent for VirtualHub {
    fn same_content(&self, other: &VirtualHub) -> bool {
        let VirtualHub {
            id,
            name,
            location,
            virtual_wan,
            address_prefix,
            subnet,
            vnet,
            virtual_router_asn,
            virtual_router_ips,
            allow_branch_to_branch_traffic,
            hub_routing_preference,
            bgp_connections,
            vwan_hub,
            origin: _,
        } = self;
        *id == other.id
            && *name == other.name
            && same_text(location, &other.location)
            && *virtual_wan == other.virtual_wan
            && *address_prefix == other.address_prefix
            && *subnet == other.subnet
            && *vnet == other.vnet
            && *virtual_router_asn == other.virtual_router_asn
            && *virtual_router_ips == other.virtual_router_ips
            && *allow_branch_to_branch_traffic == other.allow_branch_to_branch_traffic
            && same_text(hub_routing_preference.as_str(), other.hub_routing_preference.as_str())
            && same_all(bgp_connections, &other.bgp_connections)
            && *vwan_hub == other.vwan_hub
    }
}

impl SameContent for BgpConnection {
    fn same_content(&self, other: &BgpConnection) -> bool {
        let BgpConnection {
            id,
            name,
            peer_ip,
            peer_asn,
            hub_virtual_network_connection,
            learned_routes,
            learned_routes_supplied,
            origin: _,
        } = self;
        *id == other.id
            && *name == other.name
            && *peer_ip == other.peer_ip
            && *peer_asn == other.peer_asn
            && *hub_virtual_network_connection == other.hub_virtual_network_connection
            && *learned_routes == other.learned_routes
            && *learned_routes_supplied == other.learned_routes_supplied
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(id: &str, name: &str, hop: &str) -> Route {
        Route {
            id: ArmId::new(id),
            name: name.to_string(),
            prefix: RoutePrefix::Cidr("10.0.0.0/8".parse().unwrap()),
            next_hop_type: RouteNextHopType::parse(hop),
            next_hop_ips: Vec::new(),
            origin: Origin { file: 1, json_path: "$[0]".into() },
        }
    }

    #[test]
    fn ids_and_enum_values_ignore_case_names_do_not() {
        let a = route(
            "/subscriptions/s/resourceGroups/RG/providers/Microsoft.Network/routeTables/t/routes/r",
            "r",
            "Internet",
        );
        let mut b = route(
            "/subscriptions/S/resourcegroups/rg/providers/microsoft.network/routeTables/T/routes/R",
            "r",
            "internet",
        );
        b.origin = Origin::default();
        assert!(a.same_content(&b), "an id or enum value differing only in case is the same");
        let renamed = route(a.id.as_str(), "R", "Internet");
        assert!(!a.same_content(&renamed), "a name differing in case is a change");
        let other_hop = route(a.id.as_str(), "r", "None");
        assert!(!a.same_content(&other_hop));
    }
}
