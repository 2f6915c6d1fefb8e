//! Typed views of Azure Virtual Network Manager's JSON (§18.1): connectivity `hubs` and
//! `appliesToGroups`, `connectivityCapabilities`, admin-rule `sources`/`destinations`, and a
//! routing rule's `destination`. AVNM writes booleans as `"True"`/`"False"` strings, which
//! [`Flag`] reads.

use crate::dto::{Flag, Str, azure_object};

azure_object! {
    /// One `hubs[]` entry of a hub-and-spoke configuration.
    pub struct AvnmHubDto<'a> {
        resource_id: Str<'a> = "resourceId",
        resource_type: Str<'a> = "resourceType",
    }
}

azure_object! {
    /// One `appliesToGroups[]` (connectivity, admin rule collections) or `appliesTo[]` (routing
    /// rule collections) entry.
    pub struct AvnmGroupItemDto<'a> {
        network_group_id: Str<'a> = "networkGroupId",
        group_connectivity: Str<'a> = "groupConnectivity",
        is_global: Flag = "isGlobal",
        use_hub_gateway: Flag = "useHubGateway",
    }
}

azure_object! {
    /// `connectivityCapabilities` of a connectivity configuration.
    pub struct ConnectivityCapabilitiesDto<'a> {
        connected_group_address_overlap: Str<'a> = "connectedGroupAddressOverlap",
    }
}

azure_object! {
    /// One `sources[]`/`destinations[]` entry of a security admin rule.
    pub struct AdminAddressDto<'a> {
        address_prefix: Str<'a> = "addressPrefix",
        address_prefix_type: Str<'a> = "addressPrefixType",
    }
}

azure_object! {
    /// `destination` of a routing rule.
    pub struct RoutingDestinationDto<'a> {
        destination_type: Str<'a> = "type",
        destination_address: Str<'a> = "destinationAddress",
    }
}
