//! Named options for behaviour Azure's documentation leaves disputed or undefined.
//!
//! Each option is one row of `docs/azure-routing-rules.md` §14b. The default is the documented (or
//! recommended) behaviour; the alternative is selectable so a user whose platform behaves
//! differently can say so, and every answer that depended on an option says which value it used.

/// The set of default `None` routes for reserved ranges (§1.1, §1.4, conflicts C1/C2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ReservedNoneProfile {
    /// The four documented ranges: 10/8, 172.16/12, 192.168/16, 100.64/10.
    #[default]
    Documented,
    /// The documented ranges plus the extra ranges observed on the live platform (§1.4).
    PlatformObserved,
}

/// When the default `None` routes disappear because 0.0.0.0/0 is overridden (§1.3, C12).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ReservedNoneRemoval {
    /// Documented: a user route for exactly 0.0.0.0/0 removes them.
    #[default]
    UdrOnly,
    /// Also when 0.0.0.0/0 is learned from a gateway (BGP forced tunnelling).
    UdrAndBgp,
    /// Never remove them.
    Never,
}

/// What `allowVirtualNetworkAccess = false` on a peering does (§5.2, C9).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PeeringAccessFalse {
    /// Observed: only removes the peer from the `VirtualNetwork` service tag.
    #[default]
    TagOnly,
    /// 2018 documentation: traffic over the peering does not flow.
    Drop,
}

/// Which local subnets receive routes of a subnet peering (§5.6, C15).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SubnetPeeringScope {
    /// Observed: every subnet of the local VNet gets the remote subnets' prefixes.
    #[default]
    AllLocalSubnets,
    /// Documented intent: only the listed local subnets.
    ListedSubnetsOnly,
}

/// IPv6 system routes, which Azure does not document (§10.3, C17).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Ipv6SystemRoutes {
    /// Field knowledge: one `VnetLocal` per IPv6 range and `::/0 Internet`; flagged as assumed.
    #[default]
    MirrorIpv4,
    /// No IPv6 system routes.
    None,
}

/// Whether a `ConnectedGroup` route beats a more specific BGP route the way a peering route does
/// (§18.2, C24: undocumented).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ConnectedGroupPrecedence {
    /// Recommended, assumed: protected like `VNetPeering` (§4.1 rule 3).
    #[default]
    ProtectedLikePeering,
    /// Plain longest-prefix match against BGP routes.
    LongestPrefix,
}

/// What a connected group does with member address spaces that overlap (§18.2 AV-C5, C25).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ConnectedGroupOverlap {
    /// Inferred from "communication to an overlapped IP address is dropped": every prefix that
    /// overlaps another member or the local VNet is left out of the `ConnectedGroup` route.
    #[default]
    DropOverlapping,
    /// Keep every member prefix (longest prefix decides).
    KeepAll,
}

/// What the hub–spoke peerings a Virtual Network Manager hub-and-spoke configuration creates
/// say of forwarded traffic, for the peerings azroute adds from the configuration because the
/// snapshot lacks them (§18.7, C32: not documented). Exported `ANM_…` peerings say it themselves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AvnmPeeringForwardedTraffic {
    /// Inferred: allowed, as Microsoft's hub-and-spoke-with-Azure-Firewall how-to needs for
    /// traffic the hub's firewall forwards into a spoke.
    #[default]
    Allowed,
    /// Refused (a peering's own default).
    Refused,
}

/// Which route is programmed when a VPN gateway and a Route Server offer the same prefix with
/// equally long AS paths (§19.2 RS-6, C30: not documented).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RouteServerVpnTie {
    /// Assumed: the gateway's route, as for ExpressRoute under the default preference.
    #[default]
    Gateway,
    /// The Route Server's route (the NVA's next hop).
    RouteServer,
}

/// What becomes of routes a VPN or ExpressRoute gateway learned from the Route Server of its
/// VNet under branch-to-branch (§19.2 RS-7, C31: inferred).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RouteServerRelearnedRoutes {
    /// Inferred: the gateway re-advertises them to on-premises only; the VNet's routes for
    /// them are the Route Server's (next hop the BGP next hop).
    #[default]
    RouteServerOnly,
    /// The gateway programs them as well, with its own instances as next hop; the Route
    /// Server's route and the gateway's then meet as in RS-6.
    AlsoGateway,
}

/// The next hop a spoke NIC shows for routes through a Virtual WAN hub's router (§20.4, C26):
/// older hubs showed a public "route service" address, current ones are expected to show
/// `virtualRouterIps`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum VwanRouterNextHop {
    /// Recommended: the hub's `virtualRouterIps`, flagged as assumed.
    #[default]
    VirtualRouterIps,
    /// No address (the public route-service address of older hubs is in no export).
    Omitted,
}

/// What a Virtual WAN connection whose `propagatedRouteTables` names neither ids nor labels
/// propagates to (§20.2 VW-2, C27: not described).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum VwanEmptyPropagation {
    /// Inferred: as when the object is absent, the hub's default table and the `default` label.
    #[default]
    Default,
    /// Nowhere, as an explicit empty list would read.
    Nowhere,
}

/// Whether a VNet connection's static routes cross hubs when the export does not say
/// `propagateStaticRoutes` (§20.2 VW-3, C28: the API default is not stated).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum VwanStaticRoutePropagation {
    /// Inferred: they stay in their hub unless the export says `true`.
    #[default]
    HubLocal,
    /// They propagate like the connection's prefixes (the portal's behaviour when ticked).
    AllHubs,
}

/// The AS path of a branch route (VPN, ExpressRoute, hub BGP peer) seen through another hub
/// (§20.2 VW-3, C29: the examples show `65520-65520` for VNet routes only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum VwanRemoteBranchAsPath {
    /// Inferred: `65520-65520` followed by the path the origin hub had.
    #[default]
    Prepend,
    /// `65520-65520` alone, as for VNet routes.
    RemoteHubOnly,
}

/// How routing intent rewrites the other static routes of a hub's `defaultRouteTable` when a
/// snapshot holds the table as it was before (§20.13 RI-4, C39: the result depends on the tool).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum VwanIntentStaticRoutes {
    /// REST, CLI, PowerShell and the infrastructure-as-code tools built on them: the routes are
    /// kept, less the prefixes routing intent removes.
    #[default]
    Rest,
    /// Azure portal and Firewall Manager: the remaining prefixes are consolidated into one route
    /// named `private_traffic`.
    Portal,
}

/// Where a spoke of a hub with a private-traffic routing policy sends traffic for another hub's
/// spoke or branch that the hub's default table also holds as a more specific `Remote Hub`
/// route (§20.14, C38).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum VwanSecuredSpokeInterHub {
    /// Documented (Microsoft's traffic tables): to the local firewall or NVA first.
    #[default]
    LocalFirewall,
    /// The more specific `Remote Hub` route, past the local firewall.
    RemoteHubRoute,
}

/// All modelling options, with Azure's documented behaviour as the default.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ModelOptions {
    pub reserved_none_profile: ReservedNoneProfile,
    pub drop_reserved_none_routes_on_default_override: ReservedNoneRemoval,
    /// `false` (documented): service-endpoint routes cannot be overridden by user or gateway
    /// routes that are equal or more specific. `true`: plain LPM (issue #111706, C6).
    pub se_routes_lpm_strict: bool,
    pub peering_access_false_semantics: PeeringAccessFalse,
    /// `true`: a peering drops forwarded packets unless the receiving side's peering object has
    /// `allowForwardedTraffic` (C10, receive-side reading).
    pub allow_forwarded_traffic_enforced: bool,
    pub subnet_peering_scope: SubnetPeeringScope,
    pub ipv6_system_routes: Ipv6SystemRoutes,
    pub connected_group_precedence: ConnectedGroupPrecedence,
    pub connected_group_overlap: ConnectedGroupOverlap,
    pub avnm_peering_forwarded_traffic: AvnmPeeringForwardedTraffic,
    pub route_server_vpn_tie: RouteServerVpnTie,
    pub route_server_relearned_routes: RouteServerRelearnedRoutes,
    pub vwan_router_next_hop: VwanRouterNextHop,
    pub vwan_empty_propagation: VwanEmptyPropagation,
    pub vwan_static_route_propagation: VwanStaticRoutePropagation,
    pub vwan_remote_branch_as_path: VwanRemoteBranchAsPath,
    pub vwan_intent_static_routes: VwanIntentStaticRoutes,
    pub vwan_secured_spoke_inter_hub: VwanSecuredSpokeInterHub,
    /// Route-table size limit (C5): error above this many routes.
    pub max_routes_per_table: usize,
    /// Route-table size warning threshold (C5).
    pub warn_routes_per_table: usize,
    /// Azure Firewall's disputed behaviour (§16.6: C19, C20, C21).
    pub firewall: crate::FirewallOptions,
    /// A subnet that does not say `defaultOutboundAccess` (§17.4, C23).
    pub unset_default_outbound: crate::UnsetDefaultOutbound,
}

impl Default for ModelOptions {
    fn default() -> ModelOptions {
        ModelOptions {
            reserved_none_profile: ReservedNoneProfile::Documented,
            drop_reserved_none_routes_on_default_override: ReservedNoneRemoval::UdrOnly,
            se_routes_lpm_strict: false,
            peering_access_false_semantics: PeeringAccessFalse::TagOnly,
            allow_forwarded_traffic_enforced: true,
            subnet_peering_scope: SubnetPeeringScope::AllLocalSubnets,
            ipv6_system_routes: Ipv6SystemRoutes::MirrorIpv4,
            connected_group_precedence: ConnectedGroupPrecedence::ProtectedLikePeering,
            connected_group_overlap: ConnectedGroupOverlap::DropOverlapping,
            avnm_peering_forwarded_traffic: AvnmPeeringForwardedTraffic::Allowed,
            route_server_vpn_tie: RouteServerVpnTie::Gateway,
            route_server_relearned_routes: RouteServerRelearnedRoutes::RouteServerOnly,
            vwan_router_next_hop: VwanRouterNextHop::VirtualRouterIps,
            vwan_empty_propagation: VwanEmptyPropagation::Default,
            vwan_static_route_propagation: VwanStaticRoutePropagation::HubLocal,
            vwan_remote_branch_as_path: VwanRemoteBranchAsPath::Prepend,
            vwan_intent_static_routes: VwanIntentStaticRoutes::Rest,
            vwan_secured_spoke_inter_hub: VwanSecuredSpokeInterHub::LocalFirewall,
            max_routes_per_table: 600,
            warn_routes_per_table: 400,
            firewall: crate::FirewallOptions::default(),
            unset_default_outbound: crate::UnsetDefaultOutbound::default(),
        }
    }
}
