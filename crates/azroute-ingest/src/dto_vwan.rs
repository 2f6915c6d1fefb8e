//! Typed views of Virtual WAN JSON (§20.1): a connection's `routingConfiguration` (associated
//! and propagated tables, static VNet routes and their config), hub route table routes, routing
//! policies, VPN connections and site links, ExpressRoute connections, hub NVA NICs and
//! `nvaSku`. Keys match case-insensitively and `properties` levels merge, as for every other
//! object; booleans may be `"True"` strings ([`Flag`]).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use crate::dto::{AzureObject, Flag, NextHopDto, ObjectVisitor, RefDto, Str, StrList, azure_object};
use crate::dto_firewall::LooseText;

azure_object! {
    /// `routingConfiguration.propagatedRouteTables`.
    pub struct PropagatedRouteTablesDto<'a> {
        ids: Vec<RefDto<'a>> = "ids",
        labels: StrList<'a> = "labels",
    }
}

azure_object! {
    /// One `vnetRoutes.staticRoutes[]` entry.
    pub struct HubStaticRouteDto<'a> {
        name: Str<'a> = "name",
        address_prefixes: StrList<'a> = "addressPrefixes",
        next_hop_ip_address: Str<'a> = "nextHopIpAddress",
    }
}

azure_object! {
    /// `vnetRoutes.staticRoutesConfig`.
    pub struct StaticRoutesConfigDto<'a> {
        propagate_static_routes: Flag = "propagateStaticRoutes",
        vnet_local_route_override_criteria: Str<'a> = "vnetLocalRouteOverrideCriteria",
    }
}

azure_object! {
    /// `routingConfiguration.vnetRoutes`.
    pub struct VnetRoutesDto<'a> {
        static_routes: Vec<HubStaticRouteDto<'a>> = "staticRoutes",
        static_routes_config: StaticRoutesConfigDto<'a> = "staticRoutesConfig",
        bgp_connections: Vec<RefDto<'a>> = "bgpConnections",
    }
}

azure_object! {
    /// `routingConfiguration` of a VNet, VPN or ExpressRoute connection.
    pub struct RoutingConfigurationDto<'a> {
        associated_route_table: RefDto<'a> = "associatedRouteTable",
        propagated_route_tables: PropagatedRouteTablesDto<'a> = "propagatedRouteTables",
        vnet_routes: VnetRoutesDto<'a> = "vnetRoutes",
    }
}

azure_object! {
    /// One `routingPolicies[]` entry of a routing intent.
    pub struct RoutingPolicyDto<'a> {
        name: Str<'a> = "name",
        destinations: StrList<'a> = "destinations",
        next_hop: Str<'a> = "nextHop",
    }
}

azure_object! {
    /// One `vpnLinkConnections[]` entry of a VPN connection.
    pub struct VpnLinkConnectionDto<'a> {
        vpn_site_link: RefDto<'a> = "vpnSiteLink",
        enable_bgp: Flag = "enableBgp",
    }
}

azure_object! {
    /// One `connections[]` entry of a hub VPN gateway.
    pub struct VpnConnectionDto<'a> {
        id: Str<'a> = "id",
        name: Str<'a> = "name",
        remote_vpn_site: RefDto<'a> = "remoteVpnSite",
        enable_internet_security: Flag = "enableInternetSecurity",
        enable_bgp: Flag = "enableBgp",
        routing_configuration: RoutingConfigurationDto<'a> = "routingConfiguration",
        vpn_link_connections: Vec<VpnLinkConnectionDto<'a>> = "vpnLinkConnections",
    }
}

azure_object! {
    /// `bgpProperties` of a VPN site or site link.
    pub struct BgpPropertiesDto<'a> {
        asn: LooseText<'a> = "asn",
        bgp_peering_address: Str<'a> = "bgpPeeringAddress",
    }
}

azure_object! {
    /// One `vpnSiteLinks[]` entry of a VPN site.
    pub struct VpnSiteLinkDto<'a> {
        id: Str<'a> = "id",
        name: Str<'a> = "name",
        ip_address: Str<'a> = "ipAddress",
        bgp_properties: BgpPropertiesDto<'a> = "bgpProperties",
    }
}

azure_object! {
    /// One `expressRouteConnections[]` entry of a hub ExpressRoute gateway.
    pub struct ExpressRouteConnectionDto<'a> {
        id: Str<'a> = "id",
        name: Str<'a> = "name",
        express_route_circuit_peering: RefDto<'a> = "expressRouteCircuitPeering",
        enable_internet_security: Flag = "enableInternetSecurity",
        routing_configuration: RoutingConfigurationDto<'a> = "routingConfiguration",
    }
}

azure_object! {
    /// One `virtualApplianceNics[]` entry of a hub NVA.
    pub struct NvaNicDto<'a> {
        name: Str<'a> = "name",
        private_ip_address: Str<'a> = "privateIpAddress",
        public_ip_address: Str<'a> = "publicIpAddress",
        /// The instance the NIC belongs to (`nva_0`, `nva_1`).
        instance_name: Str<'a> = "instanceName",
    }
}

azure_object! {
    /// `nvaSku` of a hub NVA: who makes it and how many infrastructure units it has.
    pub struct NvaSkuDto<'a> {
        vendor: Str<'a> = "vendor",
        bundled_scale_unit: LooseText<'a> = "bundledScaleUnit",
    }
}

/// A field Azure writes as an object in one API and as a bare string in another. Dereferences
/// to the object's fields, empty when it was a string.
#[derive(Clone, Debug, Default)]
pub struct ObjectOrText<'a, T> {
    pub object: T,
    /// The string, when the field was one.
    pub text: Option<Str<'a>>,
}

impl<T> std::ops::Deref for ObjectOrText<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.object
    }
}

impl<'de: 'a, 'a, T: AzureObject<'a>> Deserialize<'de> for ObjectOrText<'a, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EitherVisitor<'a, T>(std::marker::PhantomData<(&'a (), T)>);
        impl<'de: 'a, 'a, T: AzureObject<'a>> Visitor<'de> for EitherVisitor<'a, T> {
            type Value = ObjectOrText<'a, T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object, or a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(ObjectOrText { object: T::default(), text: Some(Str(Cow::Borrowed(v))) })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(ObjectOrText { object: T::default(), text: Some(Str(Cow::Owned(v.to_string()))) })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let object: T =
                    ObjectVisitor { allow_properties: true, marker: std::marker::PhantomData }.visit_map(map)?;
                Ok(ObjectOrText { object, text: None })
            }
        }
        deserializer.deserialize_any(EitherVisitor(std::marker::PhantomData))
    }
}

/// `nextHop`: an object (a `VirtualApplianceEcmp` route's addresses, an AVNM routing rule's
/// type and address) or a resource id (a hub route table's route, §20.1).
pub type NextHopField<'a> = ObjectOrText<'a, NextHopDto<'a>>;

/// `publicIPAddress` of an IP configuration: a reference to a public IP resource, or the address
/// itself (a hub VPN gateway's `ipConfigurations`, §20.1).
pub type PublicIpField<'a> = ObjectOrText<'a, RefDto<'a>>;

#[cfg(test)]
mod tests {
    use crate::dto::{ResourceDto, RouteDto};

    #[test]
    fn next_hop_reads_an_id_or_an_object() {
        let hub: RouteDto = serde_json::from_str(r#"{"name":"r","destinationType":"CIDR","destinations":["10.0.0.0/8"],"nextHopType":"ResourceId","nextHop":"/x/azureFirewalls/fw"}"#).unwrap();
        assert_eq!(hub.next_hop.unwrap().text.unwrap().as_str(), "/x/azureFirewalls/fw");
        let ecmp: RouteDto = serde_json::from_str(r#"{"nextHop":{"nextHopIpAddresses":["10.0.0.4"]}}"#).unwrap();
        let nh = ecmp.next_hop.unwrap();
        assert!(nh.text.is_none());
        assert_eq!(nh.next_hop_ip_addresses.as_ref().unwrap().0.len(), 1);
    }

    #[test]
    fn string_booleans_are_read_in_routing_configuration() {
        let text = r#"{"properties":{"enableInternetSecurity":"True","routingConfiguration":{"vnetRoutes":{"staticRoutesConfig":{"propagateStaticRoutes":"False"}}}}}"#;
        let dto: ResourceDto = serde_json::from_str(text).unwrap();
        assert!(dto.enable_internet_security.unwrap().0);
        let config = dto.routing_configuration.unwrap().vnet_routes.unwrap().static_routes_config.unwrap();
        assert!(!config.propagate_static_routes.unwrap().0);
    }
}
