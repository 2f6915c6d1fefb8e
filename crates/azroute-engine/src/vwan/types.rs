//! The vocabulary of hub routing (§20.2, §20.5): a hub table's effective routes as
//! `az network vhub get-effective-routes` spells them, each with why it is there, and what the
//! snapshot could not tell.

use std::net::IpAddr;

use azroute_model::*;
use ipnet::IpNet;

/// `nextHopType` of a hub effective route, spelled as Azure spells it (§20.5); open.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HubNextHopType {
    VirtualNetworkConnection,
    VpnS2sGateway,
    ExpressRouteGateway,
    RemoteHub,
    AzureFirewall,
    HubBgpConnection,
    Internet,
    /// A static route or routing policy to a hub NVA; Azure's spelling is not documented.
    NetworkVirtualAppliance,
    Other(String),
}

impl HubNextHopType {
    pub fn as_str(&self) -> &str {
        match self {
            HubNextHopType::VirtualNetworkConnection => "Virtual Network Connection",
            HubNextHopType::VpnS2sGateway => "VPN_S2S_Gateway",
            HubNextHopType::ExpressRouteGateway => "ExpressRouteGateway",
            HubNextHopType::RemoteHub => "Remote Hub",
            HubNextHopType::AzureFirewall => "Azure Firewall",
            HubNextHopType::HubBgpConnection => "HubBgpConnection",
            HubNextHopType::Internet => "Internet",
            HubNextHopType::NetworkVirtualAppliance => "NetworkVirtualAppliance",
            HubNextHopType::Other(text) => text,
        }
    }

    /// Reads Azure's spelling (as observed files hold it).
    pub fn parse(text: &str) -> HubNextHopType {
        let t = text.trim();
        [
            HubNextHopType::VirtualNetworkConnection,
            HubNextHopType::VpnS2sGateway,
            HubNextHopType::ExpressRouteGateway,
            HubNextHopType::RemoteHub,
            HubNextHopType::AzureFirewall,
            HubNextHopType::HubBgpConnection,
            HubNextHopType::Internet,
            HubNextHopType::NetworkVirtualAppliance,
        ]
        .into_iter()
        .find(|k| k.as_str().eq_ignore_ascii_case(t))
        .unwrap_or_else(|| HubNextHopType::Other(t.to_string()))
    }
}

/// What kind of connection offers a route: decides selection (VW-7) and the next hop a spoke
/// NIC shows (§20.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OfferKind {
    /// A spoke VNet's address space.
    VnetConnection,
    /// A VNet connection's `vnetRoutes.staticRoutes` (VW-6).
    ConnectionStatic,
    /// A hub route table's static route (VW-6).
    TableStatic,
    Vpn,
    ExpressRoute,
    /// Learned from a BGP peer of the hub (an NVA in a spoke).
    BgpPeer,
    /// A routing policy's route (RI-4).
    RoutingIntent,
    /// 0.0.0.0/0 to the Internet, in a secured hub's firewall table (RI-12).
    Internet,
}

impl OfferKind {
    /// VW-6/VW-7 step 2: static routes first, then the VNets' own prefixes (system routes the
    /// hub learns directly, preferred over BGP, VW-9), then what BGP brings.
    pub fn class(self) -> u8 {
        match self {
            OfferKind::ConnectionStatic | OfferKind::TableStatic | OfferKind::RoutingIntent | OfferKind::Internet => 0,
            OfferKind::VnetConnection => 1,
            OfferKind::Vpn | OfferKind::ExpressRoute | OfferKind::BgpPeer => 2,
        }
    }
}

/// How a connection's propagation reached a table (VW-2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PropagationBy {
    /// The table's id is in `propagatedRouteTables.ids`.
    TableId,
    /// The table carries this label of `propagatedRouteTables.labels`.
    Label(String),
    /// The connection says nothing: Azure's default, the hub's `defaultRouteTable` and the
    /// `default` label.
    Default,
    /// Routing intent forces it (RI-3).
    RoutingIntent,
}

/// Why a route is in a hub table (for `--explain`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HubRouteReason {
    /// A connection of this hub propagates it here.
    Propagated { connection: ArmId, by: PropagationBy },
    /// A connection of another hub propagates it here (VW-3): it shows as `Remote Hub`.
    RemoteHub { hub: ArmId, connection: ArmId, by: PropagationBy },
    /// A static route of this table (VW-6).
    TableStatic { table: ArmId, name: String },
    /// A routing policy route (RI-4): read from the exported table, or derived from the
    /// routing intent when the export does not hold it.
    RoutingPolicy { name: String, policy: RoutingPolicyKind, derived: bool },
    /// The secured hub firewall's own route to the Internet (RI-12).
    FirewallInternet,
}

/// One route of a hub table, as `get-effective-routes` prints it, with why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubEffectiveRoute {
    pub prefixes: Vec<IpNet>,
    pub next_hop_type: HubNextHopType,
    /// `nextHops`: resource ids.
    pub next_hops: Vec<ArmId>,
    pub route_origin: ArmId,
    /// `asPath` (`-` separated), empty for VNet connections and static routes.
    pub as_path: String,
    pub kind: OfferKind,
    /// The addresses a spoke NIC shows as next hop for this route (§20.4); empty when they
    /// are the hub router's.
    pub next_hop_ips: Vec<IpAddr>,
    pub reason: HubRouteReason,
    /// Derived by azroute rather than read (a routing-intent route the export lacks).
    pub derived: bool,
}

/// Something the snapshot could not say about a hub's routes, or an invalid state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HubNote {
    /// An ExpressRoute connection's prefixes are learned from the circuit: without observed
    /// hub routes they are unknown.
    ExpressRouteRoutesUnknown { connection: ArmId },
    /// A VPN connection with BGP: what the site advertises beyond its address space is unknown
    /// without observed hub routes.
    VpnBgpRoutesUnknown { connection: ArmId, site: Option<ArmId> },
    /// A hub BGP connection without a learned-routes file.
    BgpPeerRoutesUnknown { bgp_connection: ArmId },
    /// A VNet connection's VNet is not in the snapshot: its prefixes are unknown.
    ConnectedVnetMissing { connection: ArmId, vnet: Option<ArmId> },
    /// A connection names a route table the snapshot does not hold.
    RouteTableMissing { connection: ArmId, table: ArmId },
    /// RI-2: routing intent with custom route tables, a state Azure refuses; routing intent
    /// was applied.
    RoutingIntentWithCustomTables { intent: ArmId, tables: Vec<ArmId> },
    /// RI-4: static routes for 0.0.0.0/0 or an RFC 1918 supernet removed by routing intent.
    StaticRouteReplacedByIntent { table: ArmId, name: String, prefix: IpNet },
    /// C39 (§20.13): the export holds the default table as it was before routing intent, so
    /// its other static routes were rewritten as the tool option says: consolidated into
    /// `private_traffic` (`portal`) or kept as they are (REST, CLI, PowerShell); `routes` names
    /// the exported routes concerned.
    StaticRoutesRewrittenByTool { table: ArmId, portal: bool, routes: Vec<String> },
    /// A routing policy's routes were derived (the export did not hold them).
    PolicyRoutesDerived { intent: ArmId },
    /// Static routes of a connection with `propagateStaticRoutes` not set to true stay in
    /// this hub (VW-3).
    StaticRoutesNotPropagated { connection: ArmId },
    /// C28: the export does not say `propagateStaticRoutes`; option
    /// `vwan_static_route_propagation` decided whether the static routes cross hubs.
    StaticRoutePropagationAssumed { connection: ArmId, all_hubs: bool },
    /// C27: `propagatedRouteTables` names neither ids nor labels; option
    /// `vwan_empty_propagation` read it as the default (`nowhere` false) or as nowhere.
    EmptyPropagationAssumed { connection: ArmId, nowhere: bool },
    /// C29: branch routes from another hub carry an AS path built by option
    /// `vwan_remote_branch_as_path` (`65520-65520` with the origin path prepended, or alone).
    RemoteBranchAsPathAssumed { prepended: bool },
}

/// A hub route table and its effective routes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubTable {
    pub id: ArmId,
    pub name: String,
    /// Its labels, built-in ones included (`default`, `none`).
    pub labels: Vec<String>,
    /// Whether the export holds the table (built-in tables are implied otherwise).
    pub exported: bool,
    pub routes: Vec<HubEffectiveRoute>,
}

impl HubTable {
    pub fn is_default(&self) -> bool {
        self.name.eq_ignore_ascii_case("defaultRouteTable")
    }

    pub fn is_none_table(&self) -> bool {
        self.name.eq_ignore_ascii_case("noneRouteTable")
    }
}

/// A Virtual WAN hub's routing: its tables, and what could not be known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubRouting {
    pub hub: VirtualHubIdx,
    pub tables: Vec<HubTable>,
    /// With routing intent: the firewall's (or NVA's) own table, where inspected traffic
    /// goes next (RI-12).
    pub firewall_table: Option<HubTable>,
    /// Its connections (VNet, VPN, ExpressRoute).
    pub connections: Vec<HubConnectionState>,
    pub notes: Vec<HubNote>,
}

impl HubRouting {
    pub fn table(&self, id: &str) -> Option<&HubTable> {
        self.tables.iter().find(|t| same_arm_id(t.id.as_str(), id))
    }

    pub fn table_named(&self, name: &str) -> Option<&HubTable> {
        self.tables.iter().find(|t| t.name.eq_ignore_ascii_case(name))
    }

    pub fn default_table(&self) -> Option<&HubTable> {
        self.tables.iter().find(|t| t.is_default())
    }

    pub fn connection(&self, id: &str) -> Option<&HubConnectionState> {
        self.connections.iter().find(|c| same_arm_id(c.id.as_str(), id))
    }

    pub fn connection_named(&self, name: &str) -> Option<&HubConnectionState> {
        self.connections.iter().find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// The routes a connection receives: its associated table's, 0.0.0.0/0 only with
    /// `enableInternetSecurity` (VW-1, VW-5); a branch of a hub with a private-traffic policy
    /// receives what RI-10 advertises to on-premises instead.
    pub fn connection_routes(&self, connection: &HubConnectionState) -> Vec<HubEffectiveRoute> {
        if matches!(connection.kind, OfferKind::Vpn | OfferKind::ExpressRoute) && self.has_private_policy() {
            return self.advertised_to_branch(connection);
        }
        let Some(table) = self.table(connection.associated.as_str()) else { return Vec::new() };
        let internet_security = connection.enable_internet_security == Some(true);
        table
            .routes
            .iter()
            .filter(|r| internet_security || !r.prefixes.iter().any(|p| p.prefix_len() == 0))
            .cloned()
            .collect()
    }
}

impl HubRouting {
    /// Whether the hub's default table holds a `PrivateTraffic` policy route (RI-4).
    pub fn has_private_policy(&self) -> bool {
        self.default_table().is_some_and(|t| {
            t.routes.iter().any(|r| {
                matches!(&r.reason, HubRouteReason::RoutingPolicy { policy: RoutingPolicyKind::PrivateTraffic, .. })
            })
        })
    }

    /// RI-10 (§20.15): what a hub with a private-traffic policy advertises to a branch: its own
    /// connections' prefixes (not the branch's own), those of the WAN's other secured hubs, and
    /// those of hubs without routing intent that propagate to its default table, that is its
    /// firewall's table (RI-12) less the Internet; ExpressRoute prefixes not to another
    /// ExpressRoute connection (Global Reach, which no export of the hub shows, is assumed off);
    /// 0.0.0.0/0 only with `enableInternetSecurity` (RI-6). The private traffic prefixes, static
    /// routes of the default table, are not advertised.
    fn advertised_to_branch(&self, connection: &HubConnectionState) -> Vec<HubEffectiveRoute> {
        let Some(firewall) = &self.firewall_table else { return Vec::new() };
        let own = |r: &HubEffectiveRoute| matches!(&r.reason, HubRouteReason::Propagated { connection: c, .. } if same_arm_id(c.as_str(), connection.id.as_str()));
        let mut out: Vec<HubEffectiveRoute> = firewall
            .routes
            .iter()
            .filter(|r| {
                r.reason != HubRouteReason::FirewallInternet && !own(r) && !connection.express_route_to_express_route(r)
            })
            .cloned()
            .collect();
        if connection.enable_internet_security == Some(true) {
            let default = self.default_table().into_iter().flat_map(|t| t.routes.iter());
            out.extend(default.filter(|r| r.prefixes.iter().any(|p| p.prefix_len() == 0)).cloned());
        }
        out
    }
}

/// A connection of a hub as routing sees it, after routing intent's forced association.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubConnectionState {
    pub id: ArmId,
    pub name: String,
    /// `VnetConnection`, `Vpn` or `ExpressRoute`.
    pub kind: OfferKind,
    /// The table it is associated with (VW-1; RI-3 under routing intent).
    pub associated: ArmId,
    /// Whether the association was forced by routing intent (RI-3).
    pub associated_by_intent: bool,
    /// `enableInternetSecurity` (VW-5), as read.
    pub enable_internet_security: Option<bool>,
    /// The connected VNet (a VNet connection).
    pub vnet: Option<VnetIdx>,
    /// `vnetLocalRouteOverrideCriteria` of its static routes (VW-9).
    pub vnet_local_route_override: VnetLocalRouteOverride,
    /// A VPN connection's site (`remoteVpnSite`).
    pub site: Option<ArmId>,
    /// What a branch connection (VPN, ExpressRoute) offers its hub (§20.2): the site's address
    /// space and the branch prefixes Azure reported; empty for a VNet connection.
    pub branch_prefixes: Vec<IpNet>,
}

impl HubConnectionState {
    /// Whether a route is one ExpressRoute circuit's prefix offered to another circuit's
    /// connection: not advertised without Global Reach, which no export of the hub shows, so
    /// assumed off (§20.15).
    pub fn express_route_to_express_route(&self, route: &HubEffectiveRoute) -> bool {
        self.kind == OfferKind::ExpressRoute && route.kind == OfferKind::ExpressRoute
    }
}
