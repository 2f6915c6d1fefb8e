//! Azure Virtual WAN (`docs/azure-routing-rules.md` §20): virtual WANs, the connections of a
//! hub (VNet connections, VPN and ExpressRoute connections) with their `routingConfiguration`,
//! hub route tables, routing intent, VPN sites, hub NVAs, and hub effective routes as Azure
//! reported them (`az network vhub get-effective-routes`).
//!
//! Every kind is kept flat, as ARM lists it, in [`Vwan`]; a child names its hub by the parent
//! segments of its own id, and references between them are ids (the engine resolves them and
//! says when one is not in the snapshot). The hubs themselves are [`crate::VirtualHub`]s.

use std::net::IpAddr;

use ipnet::IpNet;

use crate::content::{clear_origins, same_content_but_origin};
use crate::*;

/// `Microsoft.Network/virtualWans`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VirtualWan {
    pub id: ArmId,
    pub name: String,
    pub location: String,
    /// `type`: `Standard` or `Basic` (Basic has no VNet-to-VNet transit, §20.1).
    pub wan_type: String,
    /// `allowBranchToBranchTraffic`.
    pub allow_branch_to_branch_traffic: Option<bool>,
    /// `allowVnetToVnetTraffic`.
    pub allow_vnet_to_vnet_traffic: Option<bool>,
    pub origin: Origin,
}

/// `vnetLocalRouteOverrideCriteria` of a VNet connection's static routes (§20.2 VW-9).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum VnetLocalRouteOverride {
    /// The default: all traffic matching the static route goes to its next hop.
    #[default]
    Contains,
    /// Traffic to the spoke's own space goes direct.
    Equal,
    Other(String),
}

impl VnetLocalRouteOverride {
    pub fn parse(text: &str) -> VnetLocalRouteOverride {
        match text.to_ascii_lowercase().as_str() {
            "" | "contains" => VnetLocalRouteOverride::Contains,
            "equal" | "equals" => VnetLocalRouteOverride::Equal,
            _ => VnetLocalRouteOverride::Other(text.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            VnetLocalRouteOverride::Contains => "Contains",
            VnetLocalRouteOverride::Equal => "Equal",
            VnetLocalRouteOverride::Other(text) => text,
        }
    }
}

/// One `vnetRoutes.staticRoutes[]` entry of a VNet connection (§20.2 VW-6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubStaticVnetRoute {
    pub name: String,
    pub address_prefixes: Vec<IpNet>,
    /// `nextHopIpAddress`: an NVA in the connected VNet.
    pub next_hop_ip: Option<IpAddr>,
}

/// `propagatedRouteTables` of a connection (§20.2 VW-2).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PropagatedRouteTables {
    /// `ids[].id`: hub route tables (of any hub).
    pub ids: Vec<ArmId>,
    /// `labels[]`: WAN-wide labels.
    pub labels: Vec<String>,
}

/// `routingConfiguration` of a VNet, VPN or ExpressRoute connection (§20.2 VW-1, VW-2).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectionRouting {
    /// `associatedRouteTable.id`; `None` when the export does not say (Azure's default is the
    /// hub's `defaultRouteTable`).
    pub associated_route_table: Option<ArmId>,
    /// `propagatedRouteTables`; `None` when the export does not say (a VNet connection then
    /// propagates to the `default` label).
    pub propagated_route_tables: Option<PropagatedRouteTables>,
    /// `vnetRoutes.staticRoutes`.
    pub static_routes: Vec<HubStaticVnetRoute>,
    /// `vnetRoutes.staticRoutesConfig.propagateStaticRoutes`.
    pub propagate_static_routes: Option<bool>,
    /// `vnetRoutes.staticRoutesConfig.vnetLocalRouteOverrideCriteria`.
    pub vnet_local_route_override: VnetLocalRouteOverride,
    /// `vnetRoutes.bgpConnections[].id`.
    pub bgp_connections: Vec<ArmId>,
}

/// `Microsoft.Network/virtualHubs/hubVirtualNetworkConnections`: a spoke VNet connected to a hub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubVnetConnection {
    pub id: ArmId,
    pub name: String,
    /// The hub: the parent of this resource's id.
    pub hub: ArmId,
    /// `remoteVirtualNetwork.id`.
    pub remote_vnet: Option<ArmId>,
    /// `enableInternetSecurity` ("Propagate Default Route", §20.2 VW-5); `None` when absent.
    pub enable_internet_security: Option<bool>,
    pub routing: ConnectionRouting,
    pub origin: Origin,
}

/// One route of a hub route table (§20.2 VW-6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubRoute {
    pub name: String,
    /// `destinationType`: `CIDR`, `ResourceId` or `Service`.
    pub destination_type: String,
    /// `destinations[]` as written.
    pub destinations: Vec<String>,
    /// The destinations that are prefixes (for `CIDR`).
    pub prefixes: Vec<IpNet>,
    /// `nextHopType` (`ResourceId`).
    pub next_hop_type: String,
    /// `nextHop`: a firewall, NVA or VNet connection id.
    pub next_hop: ArmId,
}

/// `Microsoft.Network/virtualHubs/hubRouteTables`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubRouteTable {
    pub id: ArmId,
    pub name: String,
    /// The hub: the parent of this resource's id.
    pub hub: ArmId,
    pub routes: Vec<HubRoute>,
    pub labels: Vec<String>,
    /// `associatedConnections[]` (read-only in ARM; what Azure reported).
    pub associated_connections: Vec<ArmId>,
    /// `propagatingConnections[]` (read-only in ARM; what Azure reported).
    pub propagating_connections: Vec<ArmId>,
    pub origin: Origin,
}

impl HubRouteTable {
    /// `defaultRouteTable`, the built-in table with label `default`.
    pub fn is_default(&self) -> bool {
        self.name.eq_ignore_ascii_case("defaultRouteTable")
    }

    /// `noneRouteTable`, the built-in table with label `none`.
    pub fn is_none_table(&self) -> bool {
        self.name.eq_ignore_ascii_case("noneRouteTable")
    }
}

/// What a routing policy covers (§20.3 RI-1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoutingPolicyKind {
    Internet,
    PrivateTraffic,
    Other(String),
}

impl RoutingPolicyKind {
    pub fn parse(text: &str) -> RoutingPolicyKind {
        if text.eq_ignore_ascii_case("Internet") {
            RoutingPolicyKind::Internet
        } else if text.eq_ignore_ascii_case("PrivateTraffic") {
            RoutingPolicyKind::PrivateTraffic
        } else {
            RoutingPolicyKind::Other(text.to_string())
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            RoutingPolicyKind::Internet => "Internet",
            RoutingPolicyKind::PrivateTraffic => "PrivateTraffic",
            RoutingPolicyKind::Other(text) => text,
        }
    }
}

/// One `routingPolicies[]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoutingPolicy {
    pub name: String,
    /// `destinations[]`: `Internet` and/or `PrivateTraffic`.
    pub destinations: Vec<RoutingPolicyKind>,
    /// `nextHop`: the hub firewall, NVA or SaaS id.
    pub next_hop: ArmId,
}

/// `Microsoft.Network/virtualHubs/routingIntent`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoutingIntent {
    pub id: ArmId,
    pub name: String,
    /// The hub: the parent of this resource's id.
    pub hub: ArmId,
    pub policies: Vec<RoutingPolicy>,
    pub origin: Origin,
}

impl RoutingIntent {
    /// The policy covering `kind`, if any.
    pub fn policy(&self, kind: &RoutingPolicyKind) -> Option<&RoutingPolicy> {
        self.policies.iter().find(|p| p.destinations.contains(kind))
    }
}

/// One `bgpSettings.bgpPeeringAddresses[]` entry of a hub VPN gateway: one instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VpnGatewayInstance {
    /// `ipconfigurationId` (`Instance0`).
    pub instance: String,
    /// `defaultBgpIpAddresses`: the instance's private address in the hub.
    pub default_bgp_ips: Vec<IpAddr>,
    /// `tunnelIpAddresses`: its public tunnel address.
    pub tunnel_ips: Vec<IpAddr>,
}

/// One `connections[]` (`vpnConnections`) entry of a hub VPN gateway: a VPN site connected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VpnConnection {
    pub id: ArmId,
    pub name: String,
    /// `remoteVpnSite.id`.
    pub remote_vpn_site: Option<ArmId>,
    /// `enableInternetSecurity` (§20.2 VW-5).
    pub enable_internet_security: Option<bool>,
    /// `enableBgp`, on the connection or on any of its link connections.
    pub enable_bgp: bool,
    /// `vpnLinkConnections[].vpnSiteLink.id`.
    pub site_links: Vec<ArmId>,
    pub routing: ConnectionRouting,
}

/// `Microsoft.Network/vpnGateways`: the site-to-site VPN gateway of a hub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VpnGateway {
    pub id: ArmId,
    pub name: String,
    pub location: String,
    /// `virtualHub.id`.
    pub hub: Option<ArmId>,
    /// `bgpSettings.asn` (65515 in a hub).
    pub asn: Option<i64>,
    pub instances: Vec<VpnGatewayInstance>,
    pub connections: Vec<VpnConnection>,
    pub origin: Origin,
}

impl VpnGateway {
    /// The instances' private addresses, in order (the next hops a spoke NIC shows, §20.4).
    pub fn instance_ips(&self) -> Vec<IpAddr> {
        let mut out = Vec::new();
        for ip in self.instances.iter().flat_map(|i| i.default_bgp_ips.iter()) {
            if !out.contains(ip) {
                out.push(*ip);
            }
        }
        out
    }
}

/// One `vpnSiteLinks[]` entry of a VPN site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VpnSiteLink {
    pub id: ArmId,
    pub name: String,
    /// `ipAddress`: the device's public address.
    pub ip_address: Option<IpAddr>,
    /// `bgpProperties.asn`.
    pub bgp_asn: Option<i64>,
    /// `bgpProperties.bgpPeeringAddress`.
    pub bgp_peering_address: Option<IpAddr>,
}

/// `Microsoft.Network/vpnSites`: an on-premises site (a branch) of a Virtual WAN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VpnSite {
    pub id: ArmId,
    pub name: String,
    pub location: String,
    pub virtual_wan: Option<ArmId>,
    /// `addressSpace.addressPrefixes`: the branch prefixes a static site offers.
    pub address_space: Vec<IpNet>,
    pub links: Vec<VpnSiteLink>,
    /// The site-level `bgpProperties.asn` (older API versions).
    pub bgp_asn: Option<i64>,
    pub origin: Origin,
}

impl VpnSite {
    /// The site's ASN: its own, else its first link's.
    pub fn asn(&self) -> Option<i64> {
        self.bgp_asn.or_else(|| self.links.iter().find_map(|l| l.bgp_asn))
    }
}

/// One `expressRouteConnections[]` entry of a hub ExpressRoute gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpressRouteConnection {
    pub id: ArmId,
    pub name: String,
    /// `expressRouteCircuitPeering.id`.
    pub circuit_peering: Option<ArmId>,
    /// `enableInternetSecurity` (§20.2 VW-5).
    pub enable_internet_security: Option<bool>,
    pub routing: ConnectionRouting,
}

/// `Microsoft.Network/expressRouteGateways`: the ExpressRoute gateway of a hub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpressRouteGateway {
    pub id: ArmId,
    pub name: String,
    pub location: String,
    /// `virtualHub.id`.
    pub hub: Option<ArmId>,
    pub connections: Vec<ExpressRouteConnection>,
    pub origin: Origin,
}

/// `Microsoft.Network/networkVirtualAppliances`: an NVA deployed in a hub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkVirtualAppliance {
    pub id: ArmId,
    pub name: String,
    pub location: String,
    /// `virtualHub.id`.
    pub hub: Option<ArmId>,
    /// `virtualApplianceAsn`.
    pub asn: Option<i64>,
    /// `virtualApplianceNics[].privateIpAddress`.
    pub private_ips: Vec<IpAddr>,
    /// `nvaSku.vendor`, as Azure writes it (`fortinet-ngfw-and-sdwan`, …); `None` where the
    /// input does not say (Terraform).
    pub vendor: Option<String>,
    /// `nvaSku.bundledScaleUnit` (NVA infrastructure units), as written.
    pub bundled_scale_unit: Option<String>,
    /// The distinct `virtualApplianceNics[].instanceName`s (`nva_0`, `nva_1`), in input order:
    /// the appliance's instances; empty when no NIC names its instance.
    pub instances: Vec<String>,
    pub origin: Origin,
}

/// The `nvaSku.vendor` values of the dual-role (SD-WAN connectivity and Next-Generation
/// Firewall) appliances that routing intent accepts as next hop (§20.17, RI-1).
pub const DUAL_ROLE_NVA_VENDORS: &[&str] = &["fortinet-ngfw-and-sdwan"];

impl NetworkVirtualAppliance {
    /// Whether the appliance's vendor is a dual-role SD-WAN and NGFW offering (§20.17);
    /// vendor names are compared without case.
    pub fn is_dual_role(&self) -> bool {
        self.vendor.as_deref().is_some_and(|v| DUAL_ROLE_NVA_VENDORS.iter().any(|d| d.eq_ignore_ascii_case(v.trim())))
    }
}

/// One route of `az network vhub get-effective-routes`, as Azure wrote it (§20.5 shapes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObservedHubRoute {
    pub address_prefixes: Vec<String>,
    pub next_hops: Vec<String>,
    /// `nextHopType` verbatim (`Virtual Network Connection`, `Remote Hub`, …).
    pub next_hop_type: String,
    pub route_origin: String,
    pub as_path: String,
}

/// The wrapper `{"virtualHubId", "resourceId", "effectiveRoutes"}`: a hub table's (or a
/// connection's) effective routes as Azure reported them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObservedHubRoutes {
    /// The hub (`virtualHubId`).
    pub virtual_hub: ArmId,
    /// The route table or connection (`resourceId`).
    pub resource: ArmId,
    pub routes: Vec<ObservedHubRoute>,
    pub origin: Origin,
}

/// Every Virtual WAN resource of a snapshot, flat and sorted by id (§20.1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vwan {
    pub virtual_wans: Vec<VirtualWan>,
    pub hub_connections: Vec<HubVnetConnection>,
    pub hub_route_tables: Vec<HubRouteTable>,
    pub routing_intents: Vec<RoutingIntent>,
    pub vpn_gateways: Vec<VpnGateway>,
    pub vpn_sites: Vec<VpnSite>,
    pub express_route_gateways: Vec<ExpressRouteGateway>,
    pub network_virtual_appliances: Vec<NetworkVirtualAppliance>,
    /// Hub effective routes as Azure reported them (observed state, not configuration).
    pub observed_routes: Vec<ObservedHubRoutes>,
}

impl Vwan {
    /// Whether the snapshot holds no Virtual WAN resource.
    pub fn is_empty(&self) -> bool {
        self == &Vwan::default()
    }

    /// The connections of one hub.
    pub fn connections_of<'a>(&'a self, hub: &'a ArmId) -> impl Iterator<Item = &'a HubVnetConnection> + 'a {
        self.hub_connections.iter().filter(move |c| same_arm_id(c.hub.as_str(), hub.as_str()))
    }

    /// The route tables of one hub.
    pub fn route_tables_of<'a>(&'a self, hub: &'a ArmId) -> impl Iterator<Item = &'a HubRouteTable> + 'a {
        self.hub_route_tables.iter().filter(move |t| same_arm_id(t.hub.as_str(), hub.as_str()))
    }

    /// The routing intent of one hub.
    pub fn routing_intent_of(&self, hub: &ArmId) -> Option<&RoutingIntent> {
        self.routing_intents.iter().find(|r| same_arm_id(r.hub.as_str(), hub.as_str()))
    }

    /// A copy with every origin cleared, for content comparison.
    fn without_origins(&self) -> Vwan {
        let mut a = self.clone();
        clear_origins!(
            a;
            virtual_wans,
            hub_connections,
            hub_route_tables,
            routing_intents,
            vpn_gateways,
            vpn_sites,
            express_route_gateways,
            network_virtual_appliances,
            observed_routes
        );
        a
    }
}

impl SameContent for Vwan {
    fn same_content(&self, other: &Vwan) -> bool {
        self.without_origins() == other.without_origins()
    }
}

same_content_but_origin!(
    VirtualWan,
    HubVnetConnection,
    HubRouteTable,
    RoutingIntent,
    VpnGateway,
    VpnSite,
    ExpressRouteGateway,
    NetworkVirtualAppliance
);

/// Whether two ids name the same resource (case and trailing slashes ignored).
pub fn same_arm_id(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || normalize_id(a) == normalize_id(b)
}

/// The hub id a hub child's id names (`…/virtualHubs/HUB/hubRouteTables/T` → `…/virtualHubs/HUB`),
/// as the input spells it.
pub fn hub_of_child_id(id: &str) -> String {
    let trimmed = id.trim_end_matches('/');
    let lower = trimmed.to_ascii_lowercase();
    match lower.find("/virtualhubs/") {
        Some(at) => {
            let after = at + "/virtualhubs/".len();
            let end = trimmed[after..].find('/').map_or(trimmed.len(), |e| after + e);
            trimmed[..end].to_string()
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hub_of_a_child_is_the_virtual_hubs_segment() {
        let t = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualHubs/hub1/hubRouteTables/defaultRouteTable";
        assert_eq!(
            hub_of_child_id(t),
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualHubs/hub1"
        );
        assert_eq!(hub_of_child_id("/subscriptions/s/providers/Microsoft.Network/vpnGateways/g"), "");
    }

    #[test]
    fn enums_read_azure_spellings_without_case() {
        assert_eq!(VnetLocalRouteOverride::parse("equal"), VnetLocalRouteOverride::Equal);
        assert_eq!(VnetLocalRouteOverride::parse(""), VnetLocalRouteOverride::Contains);
        assert_eq!(RoutingPolicyKind::parse("privatetraffic"), RoutingPolicyKind::PrivateTraffic);
        assert_eq!(RoutingPolicyKind::parse("Foo").as_str(), "Foo");
    }
}
