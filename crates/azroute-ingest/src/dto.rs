//! Typed views of Azure's JSON objects, read in one pass in every dialect Azure produces.
//!
//! One struct serves both the REST shape (fields under `properties`) and the az CLI shape
//! (`properties` flattened away): the generated deserializer merges a nested `properties`
//! object into the same struct. Keys are matched case-insensitively (`privateIPAddress` from
//! REST, `privateIpAddress` from older CLIs) and `null` counts as absent (older CLIs print every
//! absent field as `null`). Unknown keys are skipped. Strings borrow from the input buffer.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A string borrowed from the input when it has no escapes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Str<'a>(pub Cow<'a, str>);

impl Str<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(StrVisitor)
    }
}

/// A field Azure writes as a string in one place and a list of strings in another
/// (`addressPrefix` of a route vs. of an effective route).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StrList<'a>(pub Vec<Str<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for StrList<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = StrList<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(StrList(vec![Str(Cow::Borrowed(v))]))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(StrList(vec![Str(Cow::Owned(v.to_string()))]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<Option<Str<'de>>>()? {
                    out.extend(item);
                }
                Ok(StrList(out))
            }
        }
        deserializer.deserialize_any(ListVisitor)
    }
}

/// A boolean, also accepted as Resource Graph's `"true"`/`"false"` strings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flag(pub bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FlagVisitor;
        impl Visitor<'_> for FlagVisitor {
            type Value = Flag;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean (true or false)")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Flag, E> {
                Ok(Flag(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Flag, E> {
                if v.eq_ignore_ascii_case("true") {
                    Ok(Flag(true))
                } else if v.eq_ignore_ascii_case("false") {
                    Ok(Flag(false))
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }
        }
        deserializer.deserialize_any(FlagVisitor)
    }
}

/// Reads one map key without allocating when possible.
pub(crate) fn next_key<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Str<'de>>, A::Error> {
    map.next_key::<Str<'de>>()
}

/// An Azure object whose fields are read by key (see [`azure_object!`]).
pub trait AzureObject<'a>: Default + Sized {
    /// Consumes the value of `key` when it names one of this object's fields. A nested
    /// `properties` object is merged into this one when `allow_properties` is set; it is only set
    /// at the outer level, so typed nesting stays shallow however deep the input is nested.
    fn visit_field_with<'de: 'a, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        allow_properties: bool,
    ) -> Result<bool, A::Error>;

    /// A short name for messages.
    fn object_name() -> &'static str;
}

/// Reads any [`AzureObject`] from a JSON object.
pub(crate) struct ObjectVisitor<T> {
    pub(crate) allow_properties: bool,
    pub(crate) marker: std::marker::PhantomData<T>,
}

impl<'de: 'a, 'a, T: AzureObject<'a>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object ({})", T::object_name())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        while let Some(key) = next_key(&mut map)? {
            if !out.visit_field_with(key.as_str(), &mut map, self.allow_properties)? {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

/// Deserializes an object as the outer level (a nested `properties` is merged).
pub(crate) fn deserialize_object<'de: 'a, 'a, T: AzureObject<'a>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor { allow_properties: true, marker: std::marker::PhantomData })
}

/// The content of a `properties` object: read without accepting a further `properties`.
pub(crate) struct Inner<T>(pub T);

impl<'de: 'a, 'a, T: AzureObject<'a>> Deserialize<'de> for Inner<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_map(ObjectVisitor { allow_properties: false, marker: std::marker::PhantomData })
            .map(Inner)
    }
}

/// Declares an Azure object: its fields (all optional), the JSON key of each, and a
/// deserializer that matches keys case-insensitively and merges a nested `properties` object.
macro_rules! azure_object {
    (
        $(#[$meta:meta])*
        pub struct $name:ident<'a> {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty = $key:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default)]
        pub struct $name<'a> {
            $( $(#[$fmeta])* pub $field: Option<$ty>, )*
            /// Whether the fields came (partly) from a nested `properties` object; used to
            /// write JSON paths as the input spells them.
            pub nested_properties: bool,
            #[doc(hidden)]
            pub _lifetime: std::marker::PhantomData<&'a ()>,
        }

        impl<'a> $crate::dto::AzureObject<'a> for $name<'a> {
            fn visit_field_with<'de: 'a, A: serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
                allow_properties: bool,
            ) -> Result<bool, A::Error> {
                if key.eq_ignore_ascii_case("properties") {
                    if !allow_properties {
                        return Ok(false);
                    }
                    let inner: Option<$crate::dto::Inner<$name<'a>>> = map.next_value()?;
                    if let Some($crate::dto::Inner(inner)) = inner {
                        self.merge(inner);
                        self.nested_properties = true;
                    }
                    return Ok(true);
                }
                $(
                    if key.eq_ignore_ascii_case($key) {
                        let value: Option<$ty> = map.next_value()?;
                        if value.is_some() {
                            self.$field = value;
                        }
                        return Ok(true);
                    }
                )*
                Ok(false)
            }

            fn object_name() -> &'static str {
                stringify!($name)
            }
        }

        impl<'a> $name<'a> {
            /// Consumes the value of `key` when it names one of this object's fields.
            #[allow(dead_code)]
            pub fn visit_field<'de: 'a, A: serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> Result<bool, A::Error> {
                $crate::dto::AzureObject::visit_field_with(self, key, map, true)
            }

            fn merge(&mut self, other: $name<'a>) {
                $( if other.$field.is_some() { self.$field = other.$field; } )*
            }

            /// The JSON path of `field` below this object, as the input spells it.
            #[allow(dead_code)]
            pub fn path(&self, base: &str, field: &str) -> String {
                if self.nested_properties {
                    format!("{base}.properties.{field}")
                } else {
                    format!("{base}.{field}")
                }
            }
        }

        impl<'de: 'a, 'a> serde::Deserialize<'de> for $name<'a> {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::dto::deserialize_object(deserializer)
            }
        }
    };
}

pub(crate) use azure_object;

azure_object! {
    /// `{"id": ...}` reference, with the `primary` flag VM NIC references carry.
    pub struct RefDto<'a> {
        id: Str<'a> = "id",
        primary: Flag = "primary",
    }
}

azure_object! {
    /// `addressSpace`, `remoteAddressSpace`, `localNetworkAddressSpace`, address pools.
    pub struct AddressSpaceDto<'a> {
        address_prefixes: Vec<Str<'a>> = "addressPrefixes",
    }
}

azure_object! {
    /// A VNet's `dhcpOptions` (§16.7).
    pub struct DhcpOptionsDto<'a> {
        dns_servers: Vec<Str<'a>> = "dnsServers",
    }
}

azure_object! {
    /// One `serviceEndpoints[]` entry.
    pub struct ServiceEndpointDto<'a> {
        service: Str<'a> = "service",
        locations: StrList<'a> = "locations",
    }
}

azure_object! {
    /// A subnet, inline in a VNet or standalone; also a `subnets[]` back-reference.
    pub struct SubnetDto<'a> {
        id: Str<'a> = "id",
        name: Str<'a> = "name",
        address_prefix: StrList<'a> = "addressPrefix",
        address_prefixes: Vec<Str<'a>> = "addressPrefixes",
        route_table: RefDto<'a> = "routeTable",
        network_security_group: RefDto<'a> = "networkSecurityGroup",
        service_endpoints: Vec<ServiceEndpointDto<'a>> = "serviceEndpoints",
        private_endpoint_network_policies: Str<'a> = "privateEndpointNetworkPolicies",
        ip_configurations: Vec<RefDto<'a>> = "ipConfigurations",
        nat_gateway: IdRef<'a> = "natGateway",
        default_outbound_access: Flag = "defaultOutboundAccess",
        delegations: Vec<DelegationDto<'a>> = "delegations",
    }
}

azure_object! {
    /// A VNet peering object, inline in a VNet or standalone.
    pub struct PeeringDto<'a> {
        id: Str<'a> = "id",
        name: Str<'a> = "name",
        remote_virtual_network: RefDto<'a> = "remoteVirtualNetwork",
        peering_state: Str<'a> = "peeringState",
        allow_virtual_network_access: Flag = "allowVirtualNetworkAccess",
        allow_forwarded_traffic: Flag = "allowForwardedTraffic",
        allow_gateway_transit: Flag = "allowGatewayTransit",
        use_remote_gateways: Flag = "useRemoteGateways",
        remote_address_space: AddressSpaceDto<'a> = "remoteAddressSpace",
        remote_virtual_network_address_space: AddressSpaceDto<'a> = "remoteVirtualNetworkAddressSpace",
        peer_complete_vnets: Flag = "peerCompleteVnets",
        local_subnet_names: StrList<'a> = "localSubnetNames",
        remote_subnet_names: StrList<'a> = "remoteSubnetNames",
    }
}

azure_object! {
    /// `nextHop` of a `VirtualApplianceEcmp` route.
    pub struct NextHopDto<'a> {
        next_hop_ip_addresses: StrList<'a> = "nextHopIpAddresses",
        // An AVNM routing rule's `nextHop` (`dto_avnm.rs`).
        next_hop_type: Str<'a> = "nextHopType",
        next_hop_address: Str<'a> = "nextHopAddress",
    }
}

azure_object! {
    /// One user-defined route of a route table.
    pub struct RouteDto<'a> {
        id: Str<'a> = "id",
        name: Str<'a> = "name",
        address_prefix: StrList<'a> = "addressPrefix",
        next_hop_type: Str<'a> = "nextHopType",
        next_hop_ip_address: StrList<'a> = "nextHopIpAddress",
        next_hop: NextHopField<'a> = "nextHop",
        // A hub route table's route (`dto_vwan.rs`).
        destination_type: Str<'a> = "destinationType",
        destinations: StrList<'a> = "destinations",
    }
}

azure_object! {
    /// An IP configuration of a NIC, gateway, private endpoint or load-balancer frontend.
    pub struct IpConfigDto<'a> {
        id: Str<'a> = "id",
        name: Str<'a> = "name",
        private_ip_address: Str<'a> = "privateIPAddress",
        subnet: RefDto<'a> = "subnet",
        public_ip_address: PublicIpField<'a> = "publicIPAddress",
        primary: Flag = "primary",
        application_security_groups: Vec<RefDto<'a>> = "applicationSecurityGroups",
    }
}

azure_object! {
    /// A security rule of an NSG.
    pub struct RuleDto<'a> {
        id: Str<'a> = "id",
        name: Str<'a> = "name",
        protocol: Str<'a> = "protocol",
        access: Str<'a> = "access",
        priority: i64 = "priority",
        direction: Str<'a> = "direction",
        source_port_range: Str<'a> = "sourcePortRange",
        source_port_ranges: StrList<'a> = "sourcePortRanges",
        destination_port_range: Str<'a> = "destinationPortRange",
        destination_port_ranges: StrList<'a> = "destinationPortRanges",
        source_address_prefix: Str<'a> = "sourceAddressPrefix",
        source_address_prefixes: StrList<'a> = "sourceAddressPrefixes",
        destination_address_prefix: Str<'a> = "destinationAddressPrefix",
        destination_address_prefixes: StrList<'a> = "destinationAddressPrefixes",
        source_application_security_groups: Vec<RefDto<'a>> = "sourceApplicationSecurityGroups",
        destination_application_security_groups: Vec<RefDto<'a>> = "destinationApplicationSecurityGroups",
    }
}

azure_object! {
    /// One `bgpPeeringAddresses[]` entry of a gateway.
    pub struct BgpPeeringAddressDto<'a> {
        default_bgp_ip_addresses: StrList<'a> = "defaultBgpIpAddresses",
        // A Virtual WAN VPN gateway's instances (`dto_vwan.rs`).
        ipconfiguration_id: Str<'a> = "ipconfigurationId",
        tunnel_ip_addresses: StrList<'a> = "tunnelIpAddresses",
    }
}

azure_object! {
    /// `bgpSettings` of a gateway or local network gateway.
    pub struct BgpSettingsDto<'a> {
        bgp_peering_address: Str<'a> = "bgpPeeringAddress",
        bgp_peering_addresses: Vec<BgpPeeringAddressDto<'a>> = "bgpPeeringAddresses",
        asn: LooseText<'a> = "asn",
    }
}

azure_object! {
    /// `sku` of a gateway, load balancer or public IP.
    pub struct SkuObjectDto<'a> {
        name: Str<'a> = "name",
        tier: Str<'a> = "tier",
    }
}

/// `sku`: an object in ARM, a bare string in some exports (container groups, hubs).
#[derive(Clone, Debug, Default)]
pub struct SkuDto<'a> {
    pub name: Option<Str<'a>>,
    pub tier: Option<Str<'a>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for SkuDto<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SkuVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for SkuVisitor<'a> {
            type Value = SkuDto<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a SKU (an object with `name`, or a string)")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(SkuDto { name: Some(Str(Cow::Borrowed(v))), tier: None })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(SkuDto { name: Some(Str(Cow::Owned(v.to_string()))), tier: None })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let obj: SkuObjectDto<'a> =
                    ObjectVisitor { allow_properties: true, marker: std::marker::PhantomData }.visit_map(map)?;
                Ok(SkuDto { name: obj.name, tier: obj.tier })
            }
        }
        deserializer.deserialize_any(SkuVisitor(std::marker::PhantomData))
    }
}

azure_object! {
    /// `vpnClientConfiguration` of a gateway.
    pub struct VpnClientConfigurationDto<'a> {
        vpn_client_address_pool: AddressSpaceDto<'a> = "vpnClientAddressPool",
    }
}

azure_object! {
    /// `networkProfile` of a VM.
    pub struct NetworkProfileDto<'a> {
        network_interfaces: Vec<RefDto<'a>> = "networkInterfaces",
    }
}

azure_object! {
    /// One status of a VM instance view.
    pub struct StatusDto<'a> {
        code: Str<'a> = "code",
    }
}

azure_object! {
    /// `instanceView` of a VM.
    pub struct InstanceViewDto<'a> {
        statuses: Vec<StatusDto<'a>> = "statuses",
    }
}

azure_object! {
    /// A load-balancer backend pool.
    pub struct BackendPoolDto<'a> {
        id: Str<'a> = "id",
        name: Str<'a> = "name",
        backend_ip_configurations: Vec<RefDto<'a>> = "backendIPConfigurations",
    }
}

azure_object! {
    /// A private-link service connection of a private endpoint.
    pub struct PrivateLinkConnectionDto<'a> {
        group_ids: StrList<'a> = "groupIds",
    }
}

azure_object! {
    /// `customDnsConfigs[]` of a private endpoint.
    pub struct CustomDnsConfigDto<'a> {
        ip_addresses: StrList<'a> = "ipAddresses",
    }
}

azure_object! {
    /// Any ARM resource azroute reads: the union of the fields of every supported type.
    ///
    /// One struct for all types keeps parsing to a single pass (the `type` key may come after
    /// the fields); lowering picks the fields that belong to the resource's type.
    pub struct ResourceDto<'a> {
        id: Str<'a> = "id",
        name: Str<'a> = "name",
        resource_type: Str<'a> = "type",
        location: Str<'a> = "location",
        // Virtual network.
        address_space: AddressSpaceDto<'a> = "addressSpace",
        dhcp_options: DhcpOptionsDto<'a> = "dhcpOptions",
        subnets: Vec<SubnetDto<'a>> = "subnets",
        virtual_network_peerings: Vec<PeeringDto<'a>> = "virtualNetworkPeerings",
        // Standalone subnet.
        address_prefix: StrList<'a> = "addressPrefix",
        address_prefixes: Vec<Str<'a>> = "addressPrefixes",
        route_table: RefDto<'a> = "routeTable",
        network_security_group: RefDto<'a> = "networkSecurityGroup",
        service_endpoints: Vec<ServiceEndpointDto<'a>> = "serviceEndpoints",
        private_endpoint_network_policies: Str<'a> = "privateEndpointNetworkPolicies",
        nat_gateway: IdRef<'a> = "natGateway",
        default_outbound_access: Flag = "defaultOutboundAccess",
        delegations: Vec<DelegationDto<'a>> = "delegations",
        // Standalone peering.
        remote_virtual_network: RefDto<'a> = "remoteVirtualNetwork",
        peering_state: Str<'a> = "peeringState",
        allow_virtual_network_access: Flag = "allowVirtualNetworkAccess",
        allow_forwarded_traffic: Flag = "allowForwardedTraffic",
        allow_gateway_transit: Flag = "allowGatewayTransit",
        use_remote_gateways: Flag = "useRemoteGateways",
        remote_address_space: AddressSpaceDto<'a> = "remoteAddressSpace",
        remote_virtual_network_address_space: AddressSpaceDto<'a> = "remoteVirtualNetworkAddressSpace",
        peer_complete_vnets: Flag = "peerCompleteVnets",
        local_subnet_names: StrList<'a> = "localSubnetNames",
        remote_subnet_names: StrList<'a> = "remoteSubnetNames",
        // Standalone route.
        next_hop_type: Str<'a> = "nextHopType",
        next_hop_ip_address: StrList<'a> = "nextHopIpAddress",
        next_hop: NextHopField<'a> = "nextHop",
        // Network interface.
        ip_configurations: Vec<IpConfigDto<'a>> = "ipConfigurations",
        enable_ip_forwarding: Flag = "enableIPForwarding",
        virtual_machine: RefDto<'a> = "virtualMachine",
        primary: Flag = "primary",
        private_endpoint: RefDto<'a> = "privateEndpoint",
        // Route table.
        routes: Vec<RouteDto<'a>> = "routes",
        disable_bgp_route_propagation: Flag = "disableBgpRoutePropagation",
        disable_peering_route: Str<'a> = "disablePeeringRoute",
        // Virtual network gateway.
        gateway_type: Str<'a> = "gatewayType",
        vpn_type: Str<'a> = "vpnType",
        active_active: Flag = "activeActive",
        enable_bgp: Flag = "enableBgp",
        bgp_settings: BgpSettingsDto<'a> = "bgpSettings",
        sku: SkuDto<'a> = "sku",
        provisioning_state: Str<'a> = "provisioningState",
        vpn_client_configuration: VpnClientConfigurationDto<'a> = "vpnClientConfiguration",
        gateway_default_site: RefDto<'a> = "gatewayDefaultSite",
        // Local network gateway.
        local_network_address_space: AddressSpaceDto<'a> = "localNetworkAddressSpace",
        gateway_ip_address: Str<'a> = "gatewayIpAddress",
        // Connection.
        connection_type: Str<'a> = "connectionType",
        virtual_network_gateway1: RefDto<'a> = "virtualNetworkGateway1",
        virtual_network_gateway2: RefDto<'a> = "virtualNetworkGateway2",
        local_network_gateway2: RefDto<'a> = "localNetworkGateway2",
        connection_status: Str<'a> = "connectionStatus",
        // Network security group and standalone rules.
        security_rules: Vec<RuleDto<'a>> = "securityRules",
        protocol: Str<'a> = "protocol",
        access: Str<'a> = "access",
        priority: i64 = "priority",
        direction: Str<'a> = "direction",
        source_port_range: Str<'a> = "sourcePortRange",
        source_port_ranges: StrList<'a> = "sourcePortRanges",
        destination_port_range: Str<'a> = "destinationPortRange",
        destination_port_ranges: StrList<'a> = "destinationPortRanges",
        source_address_prefix: Str<'a> = "sourceAddressPrefix",
        source_address_prefixes: StrList<'a> = "sourceAddressPrefixes",
        destination_address_prefix: Str<'a> = "destinationAddressPrefix",
        destination_address_prefixes: StrList<'a> = "destinationAddressPrefixes",
        source_application_security_groups: Vec<RefDto<'a>> = "sourceApplicationSecurityGroups",
        destination_application_security_groups: Vec<RefDto<'a>> = "destinationApplicationSecurityGroups",
        // Private endpoint.
        subnet: RefDto<'a> = "subnet",
        network_interfaces: Vec<RefDto<'a>> = "networkInterfaces",
        custom_dns_configs: Vec<CustomDnsConfigDto<'a>> = "customDnsConfigs",
        private_link_service_connections: Vec<PrivateLinkConnectionDto<'a>> = "privateLinkServiceConnections",
        manual_private_link_service_connections: Vec<PrivateLinkConnectionDto<'a>> = "manualPrivateLinkServiceConnections",
        // Virtual machine.
        network_profile: NetworkProfileDto<'a> = "networkProfile",
        instance_view: InstanceViewDto<'a> = "instanceView",
        power_state: Str<'a> = "powerState",
        virtual_machine_scale_set: RefDto<'a> = "virtualMachineScaleSet",
        // Load balancer.
        frontend_ip_configurations: Vec<IpConfigDto<'a>> = "frontendIPConfigurations",
        backend_address_pools: Vec<BackendPoolDto<'a>> = "backendAddressPools",
        // Public IP address.
        ip_address: Str<'a> = "ipAddress",
        // Azure Firewall (`dto_firewall.rs`).
        management_ip_configuration: IpConfigDto<'a> = "managementIpConfiguration",
        hub_ip_addresses: HubIpAddressesDto<'a> = "hubIPAddresses",
        virtual_hub: RefDto<'a> = "virtualHub",
        firewall_policy: RefDto<'a> = "firewallPolicy",
        network_rule_collections: Vec<FwRuleCollectionDto<'a>> = "networkRuleCollections",
        application_rule_collections: Vec<FwRuleCollectionDto<'a>> = "applicationRuleCollections",
        nat_rule_collections: Vec<FwRuleCollectionDto<'a>> = "natRuleCollections",
        threat_intel_mode: Str<'a> = "threatIntelMode",
        additional_properties: AdditionalPropertiesDto<'a> = "additionalProperties",
        // Firewall policy and its rule collection groups.
        base_policy: RefDto<'a> = "basePolicy",
        dns_settings: DnsSettingsDto<'a> = "dnsSettings",
        snat: SnatDto<'a> = "snat",
        rule_collections: Vec<FwRuleCollectionDto<'a>> = "ruleCollections",
        // IP group.
        ip_addresses: StrList<'a> = "ipAddresses",
        // Egress and platform services (`dto_platform.rs`): NAT gateway, public IP prefix,
        // load-balancer outbound rules, application gateway, VM scale set.
        public_ip_addresses: Vec<RefDto<'a>> = "publicIpAddresses",
        public_ip_prefixes: Vec<RefDto<'a>> = "publicIpPrefixes",
        ip_prefix: Str<'a> = "ipPrefix",
        outbound_rules: Vec<OutboundRuleDto<'a>> = "outboundRules",
        gateway_ip_configurations: Vec<IpConfigDto<'a>> = "gatewayIPConfigurations",
        orchestration_mode: Str<'a> = "orchestrationMode",
        virtual_machine_profile: VmssProfileDto<'a> = "virtualMachineProfile",
        // Azure Virtual Network Manager (`dto_avnm.rs`).
        kind: Str<'a> = "kind",
        member_type: Str<'a> = "memberType",
        resource_id: Str<'a> = "resourceId",
        connectivity_topology: Str<'a> = "connectivityTopology",
        hubs: Vec<AvnmHubDto<'a>> = "hubs",
        is_global: Flag = "isGlobal",
        delete_existing_peering: Flag = "deleteExistingPeering",
        applies_to_groups: Vec<AvnmGroupItemDto<'a>> = "appliesToGroups",
        applies_to: Vec<AvnmGroupItemDto<'a>> = "appliesTo",
        connectivity_capabilities: ConnectivityCapabilitiesDto<'a> = "connectivityCapabilities",
        apply_on_network_intent_policy_based_services: StrList<'a> = "applyOnNetworkIntentPolicyBasedServices",
        flag: Str<'a> = "flag",
        sources: Vec<AdminAddressDto<'a>> = "sources",
        destinations: Vec<AdminAddressDto<'a>> = "destinations",
        destination: RoutingDestinationDto<'a> = "destination",
        route_table_usage_mode: Str<'a> = "routeTableUsageMode",
        region: Str<'a> = "region",
        commit_time: Str<'a> = "commitTime",
        configuration_groups: Vec<RefDto<'a>> = "configurationGroups",
        // Virtual hub (Route Server) and its BGP connections (`arm_hub.rs`).
        virtual_wan: RefDto<'a> = "virtualWan",
        virtual_router_asn: LooseText<'a> = "virtualRouterAsn",
        virtual_router_ips: StrList<'a> = "virtualRouterIps",
        allow_branch_to_branch_traffic: Flag = "allowBranchToBranchTraffic",
        hub_routing_preference: Str<'a> = "hubRoutingPreference",
        peer_ip: Str<'a> = "peerIp",
        peer_asn: LooseText<'a> = "peerAsn",
        // Virtual WAN (`dto_vwan.rs`, `arm_vwan.rs`).
        hub_virtual_network_connection: RefDto<'a> = "hubVirtualNetworkConnection",
        type_properties_type: Str<'a> = "typePropertiesType",
        allow_vnet_to_vnet_traffic: Flag = "allowVnetToVnetTraffic",
        azure_firewall: RefDto<'a> = "azureFirewall",
        vpn_gateway: RefDto<'a> = "vpnGateway",
        express_route_gateway: RefDto<'a> = "expressRouteGateway",
        p2s_vpn_gateway: RefDto<'a> = "p2SVpnGateway",
        routing_state: Str<'a> = "routingState",
        enable_internet_security: Flag = "enableInternetSecurity",
        routing_configuration: RoutingConfigurationDto<'a> = "routingConfiguration",
        labels: StrList<'a> = "labels",
        associated_connections: StrList<'a> = "associatedConnections",
        propagating_connections: StrList<'a> = "propagatingConnections",
        routing_policies: Vec<RoutingPolicyDto<'a>> = "routingPolicies",
        connections: Vec<VpnConnectionDto<'a>> = "connections",
        vpn_site_links: Vec<VpnSiteLinkDto<'a>> = "vpnSiteLinks",
        bgp_properties: BgpPropertiesDto<'a> = "bgpProperties",
        express_route_connections: Vec<ExpressRouteConnectionDto<'a>> = "expressRouteConnections",
        virtual_appliance_nics: Vec<NvaNicDto<'a>> = "virtualApplianceNics",
        virtual_appliance_asn: LooseText<'a> = "virtualApplianceAsn",
        nva_sku: NvaSkuDto<'a> = "nvaSku",
    }
}

pub use crate::dto_avnm::*;
pub use crate::dto_firewall::*;
pub use crate::dto_platform::*;
pub use crate::dto_vwan::*;

azure_object! {
    /// One tag of the Service Tags file.
    pub struct ServiceTagDto<'a> {
        name: Str<'a> = "name",
        region: Str<'a> = "region",
        system_service: Str<'a> = "systemService",
        address_prefixes: StrList<'a> = "addressPrefixes",
    }
}

azure_object! {
    /// One route of `az network vnet-gateway list-learned-routes` (and of `az network
    /// routeserver peering list-learned-routes`, which adds `localAddress`).
    pub struct LearnedRouteDto<'a> {
        local_address: Str<'a> = "localAddress",
        network: Str<'a> = "network",
        next_hop: Str<'a> = "nextHop",
        origin: Str<'a> = "origin",
        as_path: Str<'a> = "asPath",
        source_peer: Str<'a> = "sourcePeer",
        weight: i64 = "weight",
        /// BGP communities, where an output carries them (RS-9); Route Server's
        /// `list-learned-routes` does not.
        communities: StrList<'a> = "communities",
        bgp_communities: StrList<'a> = "bgpCommunities",
    }
}

/// Skips a value of any shape.
pub(crate) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_and_cli_shapes_read_the_same() {
        let rest = r#"{"name":"s","properties":{"addressPrefix":"10.0.1.0/24","routeTable":{"id":"/x/rt"}}}"#;
        let cli = r#"{"name":"s","addressPrefix":"10.0.1.0/24","routeTable":{"id":"/x/rt"},"natGateway":null}"#;
        let a: SubnetDto = serde_json::from_str(rest).unwrap();
        let b: SubnetDto = serde_json::from_str(cli).unwrap();
        assert_eq!(a.address_prefix, b.address_prefix);
        assert_eq!(a.route_table.unwrap().id, b.route_table.unwrap().id);
        assert!(a.nested_properties && !b.nested_properties);
    }

    #[test]
    fn keys_match_case_insensitively_and_nulls_are_absent() {
        let text = r#"{"PrivateIpAddress":"10.0.0.4","primary":null,"subnet":{"ID":"/s"}}"#;
        let c: IpConfigDto = serde_json::from_str(text).unwrap();
        assert_eq!(c.private_ip_address.unwrap().as_str(), "10.0.0.4");
        assert!(c.primary.is_none());
        assert_eq!(c.subnet.unwrap().id.unwrap().as_str(), "/s");
    }

    #[test]
    fn wrong_types_are_errors() {
        let text = r#"{"enableIPForwarding":"yes"}"#;
        assert!(serde_json::from_str::<ResourceDto>(text).is_err());
        let ok = r#"{"enableIPForwarding":"true"}"#;
        assert!(serde_json::from_str::<ResourceDto>(ok).unwrap().enable_ip_forwarding.unwrap().0);
    }

    #[test]
    fn strings_are_borrowed_when_unescaped() {
        let text = r#"{"name":"plain"}"#;
        let r: ResourceDto = serde_json::from_str(text).unwrap();
        assert!(matches!(r.name.unwrap().0, Cow::Borrowed(_)));
    }
}
