//! Evidence of the Virtual WAN checks (§20.6, §20.17): the hub, the connection (by id), the
//! spoke VNet, subnet or private endpoint, or the hub NVA that prove each.

use ipnet::IpNet;

use azroute_model::*;

/// `VwanSpokePropagationDisabled`: a subnet of a hub-connected spoke whose route table disables
/// gateway route propagation, so it gets none of the hub's routes (§20.6, RI-8, VW-N2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VwanSpokePropagationDisabled {
    pub hub: VirtualHubIdx,
    pub connection: ArmId,
    pub subnet: SubnetIdx,
    pub table: RouteTableIdx,
    /// The hub has routing intent: the missing routes are the firewall's.
    pub routing_intent: bool,
    /// The prefixes of the hub routes the subnet does not get.
    pub prefixes: Vec<IpNet>,
}

/// `VwanPrivateEndpointAsymmetry`: a private endpoint in a spoke of a hub whose routing intent
/// inspects private traffic, in a subnet without route-table network policies: traffic to it
/// bypasses the firewall, its replies do not (§20.6, RI-9).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VwanPrivateEndpointAsymmetry {
    pub hub: VirtualHubIdx,
    pub endpoint: PrivateEndpointIdx,
    pub subnet: SubnetIdx,
    pub policies: PrivateEndpointNetworkPolicies,
}

/// `VwanDefaultRouteNotPropagated`: the table a VNet connection is associated with holds
/// 0.0.0.0/0, but the connection's `enableInternetSecurity` is not true, so the spoke does not
/// get it (§20.6, VW-5, RI-6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VwanDefaultRouteNotPropagated {
    pub hub: VirtualHubIdx,
    pub connection: ArmId,
    pub vnet: VnetIdx,
    /// The associated table.
    pub table: ArmId,
    /// `enableInternetSecurity` as read (`None`: absent).
    pub enable_internet_security: Option<bool>,
    /// The 0.0.0.0/0's next hop type as the hub prints it (`Azure Firewall`, …).
    pub next_hop_type: String,
}

/// `VwanRouteInsideSpokeSpace`: routes of a connection's associated table equal to or inside
/// the spoke's own address space, which Virtual WAN does not program in it (§20.6, VW-8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VwanRouteInsideSpokeSpace {
    pub hub: VirtualHubIdx,
    pub connection: ArmId,
    pub vnet: VnetIdx,
    /// (route prefix, the spoke range that holds it, its next hop type).
    pub routes: Vec<(IpNet, IpNet, String)>,
}

/// `VwanRoutingIntentWithCustomTables`: a hub with routing intent and custom route tables or
/// static routes to a VNet connection, a state Azure refuses (§20.6, RI-2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VwanRoutingIntentWithCustomTables {
    pub hub: VirtualHubIdx,
    pub intent: ArmId,
    /// Route tables other than defaultRouteTable and noneRouteTable.
    pub tables: Vec<ArmId>,
    /// (table, route name) of static routes whose next hop is a VNet connection.
    pub static_routes: Vec<(ArmId, String)>,
}

/// `VwanRoutingIntentNotOnAllHubs`: a Virtual WAN where some hubs inspect private traffic by
/// routing intent and others do not, so traffic between their spokes is inspected one way or not
/// at all (§20.6, RI-5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VwanRoutingIntentNotOnAllHubs {
    /// The Virtual WAN (`virtualWan.id` of its hubs).
    pub virtual_wan: ArmId,
    /// Hubs whose routing intent has a `PrivateTraffic` policy.
    pub secured: Vec<VirtualHubIdx>,
    /// Hubs of the same WAN without one.
    pub unsecured: Vec<VirtualHubIdx>,
}

/// `VwanSpokeHasGateway`: a VNet connected to a hub with a VPN or ExpressRoute gateway or a
/// Route Server of its own (§20.6, VW-N3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VwanSpokeHasGateway {
    pub hub: VirtualHubIdx,
    pub vnet: VnetIdx,
    pub gateways: Vec<GatewayIdx>,
    pub route_server: Option<VirtualHubIdx>,
}

/// `VwanDualRoleNvaEcmp`: a hub whose private-traffic routing policy sends traffic to a dual-role
/// (SD-WAN and NGFW) NVA of more than one instance: Azure spreads flows over the instances (ECMP)
/// without keeping the two directions of a flow on one, so a stateful firewall can drop them
/// (§20.17, RI-11).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VwanDualRoleNvaEcmp {
    pub hub: VirtualHubIdx,
    /// The NVA (`networkVirtualAppliances`) the policy names.
    pub nva: ArmId,
    /// Its `nvaSku.vendor`.
    pub vendor: String,
    /// Its instances (`virtualApplianceNics[].instanceName`); empty when the export does not
    /// name them (Virtual WAN deploys hub NVAs n+1, so more than one).
    pub instances: Vec<String>,
    /// The routing policy's `name`.
    pub policy: String,
}
