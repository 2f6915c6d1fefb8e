//! Effective routes: what a subnet's NICs see, with Azure's source, state and next hop
//! vocabulary, and the reason each route exists or is Invalid kept as data.

use std::fmt;
use std::net::IpAddr;

use azroute_model::*;
use ipnet::IpNet;

/// `source` of an effective route (`EffectiveRouteSource`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RouteSource {
    Default,
    VirtualNetworkGateway,
    User,
}

impl RouteSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RouteSource::Default => "Default",
            RouteSource::VirtualNetworkGateway => "VirtualNetworkGateway",
            RouteSource::User => "User",
        }
    }

    /// Priority for identical prefixes (§4.1): User > gateway/BGP > system.
    pub fn priority(self) -> u8 {
        match self {
            RouteSource::User => 3,
            RouteSource::VirtualNetworkGateway => 2,
            RouteSource::Default => 1,
        }
    }
}

/// `state` of an effective route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RouteState {
    Active,
    Invalid,
}

impl RouteState {
    pub fn as_str(self) -> &'static str {
        match self {
            RouteState::Active => "Active",
            RouteState::Invalid => "Invalid",
        }
    }
}

/// `nextHopType` as the effective-route API spells it (§2.1).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum NextHopType {
    VnetLocal,
    VNetPeering,
    VNetGlobalPeering,
    VirtualNetworkGateway,
    VirtualAppliance,
    Internet,
    None,
    VirtualNetworkServiceEndpoint,
    InterfaceEndpoint,
    /// An Azure Virtual Network Manager connected group (§18.2): mesh or direct connectivity.
    ConnectedGroup,
    /// A next hop type azroute does not model, carried verbatim from a user route.
    Other(String),
}

impl NextHopType {
    /// The effective-route API's spelling (`az network nic show-effective-route-table`).
    pub fn as_str(&self) -> &str {
        match self {
            NextHopType::VnetLocal => "VnetLocal",
            NextHopType::VNetPeering => "VNetPeering",
            NextHopType::VNetGlobalPeering => "VNetGlobalPeering",
            NextHopType::VirtualNetworkGateway => "VirtualNetworkGateway",
            NextHopType::VirtualAppliance => "VirtualAppliance",
            NextHopType::Internet => "Internet",
            NextHopType::None => "None",
            NextHopType::VirtualNetworkServiceEndpoint => "VirtualNetworkServiceEndpoint",
            NextHopType::InterfaceEndpoint => "InterfaceEndpoint",
            NextHopType::ConnectedGroup => "ConnectedGroup",
            NextHopType::Other(text) => text,
        }
    }

    /// Network Watcher's documented spelling (§2.1, §7.5): `VirtualNetwork` for the VNet's own
    /// space, `VirtualNetworkPeering` for either kind of peering.
    pub fn network_watcher_name(&self) -> &str {
        match self {
            NextHopType::VnetLocal => "VirtualNetwork",
            NextHopType::VNetPeering | NextHopType::VNetGlobalPeering => "VirtualNetworkPeering",
            NextHopType::VirtualNetworkGateway => "VirtualNetworkGateway",
            NextHopType::VirtualAppliance => "VirtualAppliance",
            NextHopType::Internet => "Internet",
            NextHopType::None => "None",
            NextHopType::VirtualNetworkServiceEndpoint => "VirtualNetworkServiceEndpoint",
            // Network Watcher documents no name for private endpoints; see `next_hop`.
            NextHopType::InterfaceEndpoint => "VirtualNetwork",
            // Network Watcher documents no name for connected groups; Azure's own spelling.
            NextHopType::ConnectedGroup => "ConnectedGroup",
            NextHopType::Other(text) => text,
        }
    }

    pub fn from_user(t: &RouteNextHopType) -> NextHopType {
        match t {
            RouteNextHopType::VirtualNetworkGateway => NextHopType::VirtualNetworkGateway,
            RouteNextHopType::VnetLocal => NextHopType::VnetLocal,
            RouteNextHopType::Internet => NextHopType::Internet,
            // ECMP routes are shown as VirtualAppliance with several IPs (C18 default).
            RouteNextHopType::VirtualAppliance | RouteNextHopType::VirtualApplianceEcmp => {
                NextHopType::VirtualAppliance
            }
            RouteNextHopType::None => NextHopType::None,
            RouteNextHopType::Other(text) => NextHopType::Other(text.clone()),
        }
    }
}

/// How a gateway learned a prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayRouteKind {
    /// Static prefix of the local network gateway of a site-to-site connection.
    LocalNetworkGateway { local_gateway: LocalGatewayIdx, connection: ConnectionIdx },
    /// Learned over BGP (`list-learned-routes`).
    /// Shared text: every context the gateway serves carries these routes.
    Bgp { origin: std::sync::Arc<str>, source_peer: std::sync::Arc<str>, as_path: std::sync::Arc<str> },
    /// Address space of the VNet at the other end of a VNet-to-VNet connection.
    Vnet2Vnet { connection: ConnectionIdx, remote_vnet: VnetIdx },
    /// Point-to-site client address pool.
    PointToSiteClientPool,
}

/// Why a route exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteOrigin {
    /// One of the VNet's own address ranges.
    VnetAddressSpace { vnet: VnetIdx },
    /// The default 0.0.0.0/0 (or ::/0) Internet route.
    DefaultInternet,
    /// A reserved range dropped by default (§1.1).
    ReservedRange,
    /// An address range of a Connected peering's remote VNet.
    Peering { peering: PeeringIdx },
    /// A prefix programmed by a virtual network gateway, own or via gateway transit.
    Gateway { gateway: GatewayIdx, via_peering: Option<PeeringIdx>, kinds: Vec<GatewayRouteKind> },
    /// A service endpoint enabled on the subnet.
    ServiceEndpoint { service: String, tags: Vec<String> },
    /// A private endpoint's IP (§5.5).
    PrivateEndpoint { endpoint: PrivateEndpointIdx },
    /// The other members of an AVNM connected group (§18.2); the index into
    /// [`crate::ConnectedGroups::groups`], and its connectivity configuration's index into
    /// `Snapshot::avnm.connectivity_configurations`.
    ConnectedGroup { group: u32, configuration: u32 },
    /// A user-defined route (`route` indexes `RouteTable::routes`).
    User { table: RouteTableIdx, route: usize },
    /// A user route an AVNM routing configuration writes into the subnet's managed route
    /// table (§18.4); `rule` indexes `Snapshot::avnm.routing_rules`.
    AvnmRoutingRule { rule: usize },
    /// A route a Route Server learned from its BGP peers (§19.2): `peers` index the
    /// hub's `bgp_connections`; `via_peering` is set in a peered VNet that uses the remote
    /// gateway or Route Server (RS-1); `no_advertise`: whether it carries NO_ADVERTISE, `None`
    /// when the learned routes show no communities (RS-9).
    RouteServer {
        hub: VirtualHubIdx,
        via_peering: Option<PeeringIdx>,
        peers: Vec<usize>,
        as_path: std::sync::Arc<str>,
        no_advertise: Option<bool>,
    },
    /// A route of the Virtual WAN hub the VNet is connected to (§20.4): the hub table route's
    /// next hop type and first next hop (a connection, gateway, hub or firewall id), and whether
    /// azroute derived it (routing intent, RI-4).
    VirtualWanHub {
        hub: VirtualHubIdx,
        hub_next_hop_type: crate::vwan::HubNextHopType,
        next_hop: Option<ArmId>,
        derived: bool,
    },
}

/// Why a route is Invalid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvalidReason {
    /// Another route has the identical prefix and a higher-priority source (§4.1, §4.3).
    IdenticalPrefix { winner: usize },
    /// A user route at least as long as the private endpoint's VNet range covers its IP and the
    /// endpoint's subnet applies route tables to private endpoints (§5.5).
    PrivateEndpointOverridden { by: usize },
    /// The same prefix appears twice in one route table; Azure refuses this (§3.1).
    DuplicateInRouteTable { first: usize },
}

/// One effective route, as `show-effective-route-table` prints it plus why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffectiveRoute {
    /// The user route's name; `None` for system and gateway routes.
    pub name: Option<String>,
    pub source: RouteSource,
    pub state: RouteState,
    /// Prefixes usable for lookups.
    pub prefixes: Vec<IpNet>,
    /// What `addressPrefix` prints: the prefixes, or a service tag that could not be expanded.
    pub prefix_text: Vec<String>,
    pub next_hop_type: NextHopType,
    pub next_hop_ips: Vec<IpAddr>,
    pub origin: RouteOrigin,
    pub invalid: Option<InvalidReason>,
    /// The route rests on an assumption (IPv6 system routes, §10.3).
    pub assumed: bool,
}

impl EffectiveRoute {
    pub fn is_active(&self) -> bool {
        self.state == RouteState::Active
    }

    /// A protected system route (§4.1 rule 3): the VNet's own space, peerings and service
    /// endpoints win over more specific gateway routes.
    pub fn is_protected_system(&self) -> bool {
        self.source == RouteSource::Default
            && matches!(
                self.next_hop_type,
                NextHopType::VnetLocal
                    | NextHopType::VNetPeering
                    | NextHopType::VNetGlobalPeering
                    | NextHopType::VirtualNetworkServiceEndpoint
            )
    }

    /// A one-line label: `User 0.0.0.0/0 → VirtualAppliance 10.0.100.4 (Default-NVA)`.
    pub fn label(&self) -> String {
        let mut s =
            format!("{} {} → {}", self.source.as_str(), self.prefix_text.join(" "), self.next_hop_type.as_str());
        if !self.next_hop_ips.is_empty() {
            let ips: Vec<String> = self.next_hop_ips.iter().map(|ip| ip.to_string()).collect();
            s.push(' ');
            s.push_str(&ips.join(" "));
        }
        if let Some(name) = &self.name {
            s.push_str(&format!(" ({name})"));
        }
        s
    }
}

/// Something about a subnet's routes worth saying alongside them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableNote {
    /// A user route for 0.0.0.0/0 removed the default `None` routes (§1.3).
    ReservedNoneRoutesRemoved { by: usize },
    /// The route table disables gateway route propagation; gateway routes were left out.
    GatewayRoutesSuppressed { table: RouteTableIdx, prefixes: Vec<IpNet> },
    /// The route table disables peering routes (preview, §3.8).
    PeeringRoutesDisabled { table: RouteTableIdx },
    /// A peering is not Connected on both sides, so its routes are missing (§5.1).
    PeeringNotConnected { peering: PeeringIdx, local_state: String, remote_state: Option<String> },
    /// A peering asks for the remote gateway but the remote side does not offer it, or the
    /// other way round (§5.2, §5.3).
    GatewayTransitMismatch {
        peering: PeeringIdx,
        use_remote_gateways: bool,
        remote_allows_transit: bool,
        remote_has_gateway: bool,
    },
    /// A gateway route more specific than a VNet or peering range is never used there (§4.1).
    BgpRouteShadowedBySystemRoute { route: usize, by: usize },
    /// A user or gateway route covered by a service-endpoint route is not used for it (§4.1).
    ShadowedByServiceEndpoint { route: usize, by: usize },
    /// A service tag could not be expanded: no Service Tags file, or an unknown tag.
    ServiceTagNotExpanded { route: usize, tag: String, file_present: bool },
    /// IPv6 system routes are not documented; these were assumed (§10.3).
    Ipv6SystemRoutesAssumed,
    /// A gateway's instance IPs are not in the export, so its routes have no next hop IP.
    GatewayNextHopUnknown { gateway: GatewayIdx },
    /// The same prefix came from both an ExpressRoute and a VPN gateway; ExpressRoute is
    /// preferred by default (§5.4).
    ExpressRoutePreferred { prefix: IpNet },
    /// Route Server peers without a learned-routes file: what they advertise is unknown
    /// (§19.1).
    RouteServerRoutesUnknown { hub: VirtualHubIdx, peers: Vec<usize> },
    /// The route table disables gateway route propagation, which also keeps Route Server
    /// routes out (RS-2).
    RouteServerRoutesSuppressed { table: RouteTableIdx, hub: VirtualHubIdx, prefixes: Vec<IpNet> },
    /// A gateway and the Route Server offer the same prefix; `gateway_kept` says which one
    /// `hubRoutingPreference` programs (RS-6).
    RouteServerAgainstGateway { prefix: IpNet, gateway: GatewayIdx, hub: VirtualHubIdx, gateway_kept: bool },
    /// A VPN gateway and the Route Server offer the same prefix with equally long AS paths: the
    /// documentation does not say which wins; option `route_server_vpn_tie` decides (C30).
    RouteServerGatewayTie { prefix: IpNet, gateway: GatewayIdx, hub: VirtualHubIdx, gateway_kept: bool },
    /// Routes a gateway learned from the Route Server of its VNet (branch-to-branch): per
    /// option `route_server_relearned_routes` (C31), the Route Server programs them
    /// (`also_gateway` false) or the gateway programs them as well (RS-7).
    RouteServerRoutesRelearnedByGateway { gateway: GatewayIdx, prefixes: Vec<IpNet>, also_gateway: bool },
    /// Several peers advertise the prefix with equally short AS paths and different next
    /// hops: one route per next hop, traffic shared by ECMP (RS-5).
    RouteServerEcmp { prefix: IpNet, next_hops: Vec<IpAddr> },
    /// The VNet is connected to a Virtual WAN hub (a `RemoteVnetToHubPeering_*` peering) the
    /// snapshot does not hold (or no hub connection names it): the routes the hub programs are
    /// missing here (§19.4).
    VirtualWanHubRoutesNotModelled { peering: PeeringIdx, hub: Option<VirtualHubIdx> },
    /// The route table disables gateway route propagation: the hub's routes are left out
    /// (§20.4 VW-N2, RI-8).
    VirtualWanRoutesSuppressed { table: RouteTableIdx, hub: VirtualHubIdx, prefixes: Vec<IpNet> },
    /// Routes to the hub router show `virtualRouterIps` as next hop, an assumption (C26).
    VirtualWanRouterNextHopAssumed { hub: VirtualHubIdx },
    /// The connection's `enableInternetSecurity` is not in the export: 0.0.0.0/0 was left out
    /// (VW-5).
    VirtualWanInternetSecurityUnknown { hub: VirtualHubIdx },
    /// Routes learned over the hub's ExpressRoute gateway show no next hop IP: Azure shows the
    /// Microsoft edge router (MSEE) each was learned from, which no export holds (§20.4).
    VirtualWanExpressRouteNextHopUnknown { hub: VirtualHubIdx, gateways: Vec<ArmId>, prefixes: Vec<IpNet> },
    /// The hub has a private-traffic policy and its table also holds these more specific
    /// `Remote Hub` prefixes: option `vwan_secured_spoke_inter_hub` (C38, §20.14) left them out,
    /// so the spoke sends them to the local firewall (`local_firewall`), or kept them.
    VirtualWanSecuredSpokeInterHub { hub: VirtualHubIdx, prefixes: Vec<IpNet>, local_firewall: bool },
}

/// The effective routes of one route context (all subnets that share the same inputs).
#[derive(Clone, Debug)]
pub struct EffectiveRouteTable {
    pub routes: Vec<EffectiveRoute>,
    /// `disableBgpRoutePropagation` of the associated route table (false when none).
    pub disable_bgp_route_propagation: bool,
    pub route_table: Option<RouteTableIdx>,
    pub vnet: VnetIdx,
    pub notes: Vec<TableNote>,
    /// The compiled lookup structure.
    pub fib: crate::fib::Fib,
}

impl EffectiveRouteTable {
    pub fn active(&self) -> impl Iterator<Item = (usize, &EffectiveRoute)> {
        self.routes.iter().enumerate().filter(|(_, r)| r.is_active())
    }

    /// Whether an address lies in an address space the VNet reaches: its own ranges and its
    /// Connected peerings' and connected groups' (§18.2; the table's VnetLocal, peering and
    /// ConnectedGroup routes). A virtual-appliance
    /// next hop outside them cannot be reached: Network Watcher answers next hop type `None`
    /// for it (recorded 2017 and 2020, §7.5), and traces drop there (§3.3). The one place that
    /// decides it.
    pub fn reaches_address_space(&self, ip: IpAddr) -> bool {
        self.routes.iter().any(|r| {
            matches!(
                r.origin,
                RouteOrigin::VnetAddressSpace { .. } | RouteOrigin::Peering { .. } | RouteOrigin::ConnectedGroup { .. }
            ) && r.prefixes.iter().any(|p| p.contains(&ip))
        })
    }
}

impl fmt::Display for RouteSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
