//! Options several commands share: where the snapshot comes from and how it is read, the
//! modelling options for disputed Azure behaviour, the flow protocol, the reachability scope.

use std::path::PathBuf;

use azroute_model::Protocol;
use clap::{Args, ValueEnum};

use crate::input::CliError;

/// Where the snapshot comes from (`--snapshot` or `--example`; the command checks that one is
/// given, so that `doctor --explain` can do without).
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Snapshot")]
pub struct SnapshotArgs {
    /// A directory (every *.json and *.tfstate below it) or one file: Azure JSON exports (az CLI,
    /// REST, Resource Graph), `terraform show -json` of a state or plan, or a terraform.tfstate.
    #[arg(long, value_name = "PATH", conflicts_with = "example")]
    pub snapshot: Option<PathBuf>,
    /// Use an embedded example estate instead (see `azroute examples`).
    #[arg(long, value_name = "NAME")]
    pub example: Option<String>,
    #[command(flatten)]
    pub load: LoadArgs,
}

/// How input files are read and what is said about them.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Snapshot")]
pub struct LoadArgs {
    /// Refuse input files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 512 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Print every warning and what was read (files, resources, skipped types); `--quiet`
    /// silences the warnings all the same.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ReservedNoneProfileArg {
    /// The four documented ranges (10/8, 172.16/12, 192.168/16, 100.64/10).
    Documented,
    /// Also the extra ranges seen on the live platform (docs/azure-routing-rules.md §1.4).
    PlatformObserved,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum NoneRemovalArg {
    /// Documented: a user route for 0.0.0.0/0 removes the reserved None routes.
    UdrOnly,
    /// Also a 0.0.0.0/0 learned from a gateway.
    UdrAndBgp,
    /// Never remove them.
    Never,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum PeeringAccessArg {
    /// Observed: allowVirtualNetworkAccess=false only removes the peer from the VirtualNetwork tag.
    TagOnly,
    /// 2018 documentation: no traffic flows over the peering.
    Drop,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum SubnetPeeringScopeArg {
    /// Observed: every local subnet gets the remote subnets' routes.
    AllLocalSubnets,
    /// Documented intent: only the listed local subnets.
    ListedSubnetsOnly,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Ipv6RoutesArg {
    /// Assumed: VnetLocal per IPv6 range and ::/0 Internet.
    MirrorIpv4,
    /// No IPv6 system routes.
    None,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ConnectedGroupPrecedenceArg {
    /// Assumed: a ConnectedGroup route is protected from more specific BGP routes like a peering.
    ProtectedLikePeering,
    /// Plain longest-prefix match against BGP routes.
    LongestPrefix,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ConnectedGroupOverlapArg {
    /// Inferred: member prefixes that overlap another member or the local VNet are left out.
    DropOverlapping,
    /// Keep every member prefix.
    KeepAll,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum AvnmPeeringForwardedTrafficArg {
    /// Inferred: the peerings AVNM creates allow forwarded traffic.
    Allowed,
    /// They refuse it (a peering's own default).
    Refused,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum RouteServerVpnTieArg {
    /// Assumed: the VPN gateway's route.
    Gateway,
    /// The Route Server's route (the NVA's next hop).
    RouteServer,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum RouteServerRelearnedArg {
    /// Inferred: the Route Server programs them; the gateway only re-advertises them.
    RouteServerOnly,
    /// The gateway programs them as well, with its instances as next hop.
    AlsoGateway,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum VwanRouterNextHopArg {
    /// Recommended: the hub's virtualRouterIps, flagged as assumed.
    VirtualRouterIps,
    /// No address (older hubs showed a public route-service address no export holds).
    Omitted,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum VwanEmptyPropagationArg {
    /// Inferred: the default table and label, as when absent.
    Default,
    /// Nowhere.
    None,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum VwanStaticRoutePropagationArg {
    /// Inferred: static routes stay in their hub unless the export says true.
    HubLocal,
    /// They cross hubs like the connection's prefixes.
    AllHubs,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum VwanRemoteBranchAsPathArg {
    /// Inferred: 65520-65520 followed by the origin hub's path.
    Prepend,
    /// 65520-65520 alone.
    RemoteHubOnly,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum VwanIntentStaticRoutesArg {
    /// REST, CLI, PowerShell, Terraform, Bicep: other static routes kept, less the removed prefixes.
    Rest,
    /// Azure portal, Firewall Manager: other prefixes consolidated into one route `private_traffic`.
    Portal,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum VwanSecuredSpokeInterHubArg {
    /// Documented: through the local firewall or NVA first.
    LocalFirewall,
    /// By the more specific Remote Hub route, past the local firewall.
    RemoteHubRoute,
}

/// Options for behaviour Azure leaves disputed (docs/azure-routing-rules.md §13 and §14b). Defaults
/// are the documented behaviour.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Modelling options (disputed Azure behaviour; defaults are documented)")]
pub struct ModelArgs {
    /// Which reserved ranges get default None routes.
    #[arg(long, value_name = "PROFILE", value_enum, default_value_t = ReservedNoneProfileArg::Documented)]
    pub reserved_none_profile: ReservedNoneProfileArg,
    /// When the reserved None routes disappear because 0.0.0.0/0 is overridden.
    #[arg(long, value_name = "WHEN", value_enum, default_value_t = NoneRemovalArg::UdrOnly)]
    pub drop_reserved_none_routes_on_default_override: NoneRemovalArg,
    /// Plain longest-prefix match between user routes and service-endpoint routes (issue
    /// #111706) instead of the documented "service-endpoint routes cannot be overridden".
    #[arg(long)]
    pub se_routes_lpm_strict: bool,
    /// What allowVirtualNetworkAccess=false on a peering does.
    #[arg(long, value_name = "MEANING", value_enum, default_value_t = PeeringAccessArg::TagOnly)]
    pub peering_access_false_semantics: PeeringAccessArg,
    /// Whether a peering drops forwarded packets unless the receiving side allows them.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub allow_forwarded_traffic_enforced: bool,
    /// Which local subnets receive routes of a subnet peering.
    #[arg(long, value_name = "SCOPE", value_enum, default_value_t = SubnetPeeringScopeArg::AllLocalSubnets)]
    pub subnet_peering_scope: SubnetPeeringScopeArg,
    /// IPv6 system routes (undocumented by Azure).
    #[arg(long, value_name = "MODE", value_enum, default_value_t = Ipv6RoutesArg::MirrorIpv4)]
    pub ipv6_system_routes: Ipv6RoutesArg,
    /// Whether a Virtual Network Manager ConnectedGroup route beats more specific BGP routes
    /// (undocumented, §18.2).
    #[arg(long, value_name = "MODE", value_enum, default_value_t = ConnectedGroupPrecedenceArg::ProtectedLikePeering)]
    pub connected_group_precedence: ConnectedGroupPrecedenceArg,
    /// What a connected group does with overlapping member address spaces (§18.2).
    #[arg(long, value_name = "MODE", value_enum, default_value_t = ConnectedGroupOverlapArg::DropOverlapping)]
    pub connected_group_overlap: ConnectedGroupOverlapArg,
    /// Whether the hub–spoke peerings azroute adds from a Virtual Network Manager hub-and-spoke
    /// configuration (when the snapshot lacks them) allow forwarded traffic (undocumented,
    /// §18.7 C32); exported `ANM_…` peerings say it themselves.
    #[arg(long, value_name = "MODE", value_enum, default_value_t = AvnmPeeringForwardedTrafficArg::Allowed)]
    pub avnm_peering_forwarded_traffic: AvnmPeeringForwardedTrafficArg,
    #[command(flatten)]
    pub firewall: super::FirewallOptionArgs,
    /// What a subnet whose export does not say `defaultOutboundAccess` is (§17.2, C23): `allowed`
    /// (null allows default outbound access, as older API versions write it) or `private` (VNets
    /// created after 31 March 2026 default to private subnets).
    #[arg(long, value_name = "MODE", value_enum, default_value_t = super::DefaultOutboundUnsetArg::Allowed)]
    pub default_outbound_unset: super::DefaultOutboundUnsetArg,
    /// Which route is programmed when a VPN gateway and a Route Server offer one prefix with
    /// equally long AS paths (undocumented, §19.5 C30).
    #[arg(long, value_name = "WINNER", value_enum, default_value_t = RouteServerVpnTieArg::Gateway)]
    pub route_server_vpn_tie: RouteServerVpnTieArg,
    /// Who programs the routes a gateway learned from its VNet's Route Server under
    /// branch-to-branch (inferred, §19.5 C31).
    #[arg(long, value_name = "MODE", value_enum, default_value_t = RouteServerRelearnedArg::RouteServerOnly)]
    pub route_server_relearned_routes: RouteServerRelearnedArg,
    /// The next hop a spoke shows for routes through a Virtual WAN hub's router (§20.4, C26).
    #[arg(long, value_name = "MODE", value_enum, default_value_t = VwanRouterNextHopArg::VirtualRouterIps)]
    pub vwan_router_next_hop: VwanRouterNextHopArg,
    /// What a Virtual WAN connection whose propagatedRouteTables names no ids and no labels
    /// propagates to (inferred, §20.4 C27).
    #[arg(long, value_name = "MODE", value_enum, default_value_t = VwanEmptyPropagationArg::Default)]
    pub vwan_empty_propagation: VwanEmptyPropagationArg,
    /// Whether a VNet connection's static routes cross hubs when the export does not say
    /// propagateStaticRoutes (inferred, §20.4 C28).
    #[arg(long, value_name = "MODE", value_enum, default_value_t = VwanStaticRoutePropagationArg::HubLocal)]
    pub vwan_static_route_propagation: VwanStaticRoutePropagationArg,
    /// The AS path of a branch route seen through another hub (inferred, §20.4 C29).
    #[arg(long, value_name = "MODE", value_enum, default_value_t = VwanRemoteBranchAsPathArg::Prepend)]
    pub vwan_remote_branch_as_path: VwanRemoteBranchAsPathArg,
    /// How routing intent rewrote the other static routes of a defaultRouteTable exported as it
    /// was before: depends on the tool that enabled it (§20.13 C39).
    #[arg(long, value_name = "TOOL", value_enum, default_value_t = VwanIntentStaticRoutesArg::Rest)]
    pub vwan_intent_static_routes: VwanIntentStaticRoutesArg,
    /// Where a spoke of a hub with a private-traffic policy sends traffic that a more specific
    /// Remote Hub route also covers (§20.14 C38).
    #[arg(long, value_name = "MODE", value_enum, default_value_t = VwanSecuredSpokeInterHubArg::LocalFirewall)]
    pub vwan_secured_spoke_inter_hub: VwanSecuredSpokeInterHubArg,
}

/// The protocol of a traced flow.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ProtocolArg {
    #[value(name = "TCP", alias = "tcp", alias = "Tcp")]
    Tcp,
    #[value(name = "UDP", alias = "udp", alias = "Udp")]
    Udp,
    #[value(name = "ICMP", alias = "icmp", alias = "Icmp")]
    Icmp,
}

impl From<ProtocolArg> for Protocol {
    fn from(protocol: ProtocolArg) -> Protocol {
        match protocol {
            ProtocolArg::Tcp => Protocol::Tcp,
            ProtocolArg::Udp => Protocol::Udp,
            ProtocolArg::Icmp => Protocol::Icmp,
        }
    }
}

/// The ports of a TCP or UDP flow.
#[derive(Args, Debug, Clone, Copy)]
pub struct PortArgs {
    /// Destination port, TCP or UDP only [default: 443].
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,
    /// Source port, TCP or UDP only [default: 50000].
    #[arg(long, value_name = "N")]
    pub source_port: Option<u16>,
}

impl PortArgs {
    /// (source port, destination port) for a flow of `protocol`; ICMP has no ports, so naming
    /// one is refused rather than printed as `ICMP/22`.
    pub fn for_protocol(self, protocol: ProtocolArg) -> Result<(u16, u16), CliError> {
        Ok(self.ports().for_protocol(protocol.into())?)
    }

    pub fn ports(self) -> azroute_query::Ports {
        azroute_query::Ports { port: self.port, source_port: self.source_port }
    }
}

/// Which cells a reachability matrix has, and the flow it tests.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Reachability")]
pub struct ReachScopeArgs {
    /// Source subnets (rows): a glob over `vnet/subnet`, the subnet name or id. Default: every
    /// subnet except GatewaySubnet and RouteServerSubnet.
    #[arg(long, value_name = "GLOB")]
    pub from: Option<String>,
    /// Destination subnets (columns), as --from.
    #[arg(long, value_name = "GLOB")]
    pub to: Option<String>,
    /// Leave out the on-premises prefix columns.
    #[arg(long)]
    pub no_on_premises: bool,
    /// Leave out the Internet column.
    #[arg(long)]
    pub no_internet: bool,
    /// The public address that stands for the Internet.
    #[arg(long, value_name = "IP", default_value = "203.0.113.10")]
    pub internet_address: std::net::IpAddr,
    /// Protocol.
    #[arg(long, value_name = "PROTO", value_enum, default_value_t = ProtocolArg::Tcp)]
    pub protocol: ProtocolArg,
    #[command(flatten)]
    pub ports: PortArgs,
    /// Routing only: do not evaluate NSGs.
    #[arg(long)]
    pub no_nsg: bool,
}

impl ReachScopeArgs {
    /// The query layer's matrix scope.
    pub fn scope(&self) -> azroute_query::ReachScope {
        azroute_query::ReachScope {
            from: self.from.clone(),
            to: self.to.clone(),
            no_on_premises: self.no_on_premises,
            no_internet: self.no_internet,
            internet_address: self.internet_address,
            protocol: self.protocol.into(),
            ports: self.ports.ports(),
            no_nsg: self.no_nsg,
        }
    }
}
