//! What a trace returns: the request, each direction's hops (with the route and NSG rules each
//! used, and typed notes), the findings and the assumptions, all as data.

use std::net::IpAddr;

use azroute_model::*;
use ipnet::IpNet;

use crate::finding::{Finding, RouteRef};
use crate::firewall::RulePlace;
use crate::nsg::NsgEvaluation;

use super::egress::Egress;

/// Where a trace starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceSource {
    /// A NIC sending from one of its addresses.
    Nic { nic: NicIdx, ip: IpAddr },
    /// A host in a subnet that has no NIC in the snapshot (reachability of whole subnets):
    /// only the subnet's NSG applies.
    Host { subnet: SubnetIdx, ip: IpAddr },
    /// An address outside Azure (on-premises, a Virtual WAN branch, or the Internet).
    External(IpAddr),
}

impl TraceSource {
    /// The address the packet leaves from.
    pub fn ip(self) -> IpAddr {
        match self {
            TraceSource::Nic { ip, .. } | TraceSource::Host { ip, .. } | TraceSource::External(ip) => ip,
        }
    }
}

/// What to trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceRequest {
    pub source: TraceSource,
    pub destination: IpAddr,
    pub protocol: Protocol,
    pub source_port: u16,
    pub destination_port: u16,
}

/// How a path ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    Delivered,
    Dropped,
    ExitedToInternet,
    ExitedToOnPremises,
    DeliveredToAzureService,
    Loop,
    /// A firewall's rules decide the flow and the snapshot cannot say how (§16.4).
    Indeterminate,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Delivered => "Delivered",
            Verdict::Dropped => "Dropped",
            Verdict::ExitedToInternet => "ExitedToInternet",
            Verdict::ExitedToOnPremises => "ExitedToOnPremises",
            Verdict::DeliveredToAzureService => "DeliveredToAzureService",
            Verdict::Loop => "Loop",
            Verdict::Indeterminate => "Indeterminate",
        }
    }

    /// Whether the packet reached something that answers.
    pub fn reached(self) -> bool {
        !matches!(self, Verdict::Dropped | Verdict::Loop | Verdict::Indeterminate)
    }
}

/// What a hop is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HopKind {
    /// The NIC the packet leaves from.
    Source,
    /// The Internet, as the origin of an inbound connection or the place a packet leaves to.
    Internet,
    /// An on-premises network behind a gateway.
    OnPremises,
    VirtualNetworkGateway,
    LoadBalancer,
    /// A NIC that forwards packets not addressed to it (an NVA).
    VirtualAppliance,
    /// The NIC that owns the destination address.
    Destination,
    PrivateEndpoint,
    ServiceEndpoint,
    /// An Azure Firewall, entered at its private IP (§16.4).
    AzureFirewall,
    /// A Virtual WAN hub's router (§20.4).
    VirtualHub,
}

impl HopKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HopKind::Source => "Source",
            HopKind::Internet => "Internet",
            HopKind::OnPremises => "OnPremises",
            HopKind::VirtualNetworkGateway => "VirtualNetworkGateway",
            HopKind::LoadBalancer => "LoadBalancer",
            HopKind::VirtualAppliance => "VirtualAppliance",
            HopKind::Destination => "Destination",
            HopKind::PrivateEndpoint => "PrivateEndpoint",
            HopKind::ServiceEndpoint => "ServiceEndpoint",
            HopKind::VirtualHub => "VirtualHub",
            HopKind::AzureFirewall => "AzureFirewall",
        }
    }
}

/// The resource a hop is at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HopResource {
    Nic(NicIdx),
    Gateway(GatewayIdx),
    LoadBalancer(LoadBalancerIdx),
    PrivateEndpoint(PrivateEndpointIdx),
    /// A host in a subnet that has no NIC in the snapshot.
    Host(SubnetIdx),
    Internet,
    OnPremises,
    /// An Azure service reached by a service endpoint, named by its route (`Microsoft.Storage`)
    /// when the route says.
    Service(Option<String>),
    /// A private-endpoint route whose endpoint the route does not name.
    Unknown,
    Firewall(FirewallIdx),
    /// An Application Gateway, at a frontend private IP (§17.3).
    ApplicationGateway(ApplicationGatewayIdx),
    /// A DNS Private Resolver inbound endpoint (§17.3).
    DnsResolverInbound(DnsInboundEndpointIdx),
    /// A Virtual WAN hub (§20.4).
    VirtualHub(VirtualHubIdx),
}

/// Something worth saying about a hop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HopNote {
    /// An NSG rule names a service tag the snapshot cannot expand; it never matches.
    ServiceTagUnknown { tag: String },
    /// A public IP translated to the NIC's private IP (§9.1).
    PublicIpTranslated { public: IpAddr, private: IpAddr },
    /// Traffic from on-premises enters through the gateway; the GatewaySubnet's routes decide.
    EntersThroughGateway,
    /// Traffic from a Virtual WAN branch enters its hub by this branch connection (of a VPN
    /// gateway, `Vpn`, or an ExpressRoute gateway, `ExpressRoute`); the connection's associated
    /// table decides (§20.16).
    EntersFromBranch { connection: ArmId, kind: crate::vwan::OfferKind },
    /// A private destination routed to the Internet.
    PrivateDestinationLost,
    /// The packet leaves Azure with source NAT.
    LeavesWithSourceNat,
    /// Private endpoints carry TCP only.
    PrivateEndpointTcpOnly,
    /// The packet crosses a peering.
    CrossesPeering { from: VnetIdx, to: VnetIdx },
    /// A security admin rule matched first (§18.3): `Allow` handed the packet to the NSGs,
    /// `AlwaysAllow` admitted it without them, `Deny` dropped it.
    AdminRule { name: std::sync::Arc<str>, access: AdminAccess },
    /// The receiving peering refuses forwarded traffic.
    ForwardedTrafficRefused { into: VnetIdx },
    /// A forwarded packet crossed a peering azroute added from a hub-and-spoke configuration:
    /// whether it allows forwarded traffic is option `avnm_peering_forwarded_traffic` (C32).
    AvnmPeeringForwardedTraffic { peering: PeeringIdx, allowed: bool },
    /// The load balancer's first backend stands for the one Azure picks.
    FirstBackend,
    /// The gateway is the hub's, reached by gateway transit.
    GatewayTransit { hub: Option<VnetIdx> },
    /// A VNet-to-VNet connection to another VNet.
    VnetToVnet { connection: ConnectionIdx, remote_vnet: VnetIdx },
    /// The site and connection the packet leaves by.
    Site { local_gateway: LocalGatewayIdx, connection: ConnectionIdx },
    /// No on-premises prefix of the gateway contains the destination: forced tunnelling to its
    /// default site (`gatewayDefaultSite`, the local network gateway when exported).
    DefaultSite { gateway: GatewayIdx, destination: IpAddr, site: Option<LocalGatewayIdx> },
    /// The reply of Internet traffic returns to the NVA that sent the request.
    ReplyToTranslatingNva,
    /// The reply retraces the request with no routing decision.
    ReplyRetracesRequest,
    /// The firewall's rules allow the flow: the deciding rule (§16.2).
    FirewallAllowed { rule: Box<RulePlace> },
    /// The firewall translated the packet (§16.3): its new source, its new destination.
    FirewallTranslated { source: Option<IpAddr>, destination: Option<(IpAddr, Option<u16>)> },
    /// SNAT is decided by auto-learned private ranges, which the snapshot lacks (§16.3).
    FirewallSnatUnknown,
    /// The firewall passes the reply of a session it saw start (§16.5).
    FirewallFlowState,
    /// Routing-only analysis: the firewall's rules are not evaluated.
    FirewallRulesNotEvaluated,
    /// The reply comes back to the firewall that translated the request's source.
    ReplyToTranslatingFirewall,
    /// The reply reached a firewall that saw no session start for it, which drops it (§16.5).
    FirewallNoSession,
}

/// The route a hop used to choose the next one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteUsed {
    pub subnet: SubnetIdx,
    pub route: RouteRef,
    pub prefix: IpNet,
}

/// One NSG check at a hop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NsgCheck {
    pub direction: Direction,
    pub evaluation: NsgEvaluation,
    /// Allowed because the NSG saw the request of this reply (NSGs are stateful).
    pub by_flow_state: bool,
}

/// One hop of a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    pub kind: HopKind,
    pub resource: HopResource,
    pub address: Option<IpAddr>,
    pub subnet: Option<SubnetIdx>,
    pub route: Option<RouteUsed>,
    pub nsg: Vec<NsgCheck>,
    pub notes: Vec<HopNote>,
}

impl Hop {
    pub(crate) fn new(kind: HopKind, resource: HopResource, address: Option<IpAddr>) -> Hop {
        Hop { kind, resource, address, subnet: None, route: None, nsg: Vec::new(), notes: Vec::new() }
    }

    /// The NIC this hop is, for NIC hops.
    pub fn nic(&self) -> Option<NicIdx> {
        match self.resource {
            HopResource::Nic(nic) => Some(nic),
            _ => None,
        }
    }
}

/// One direction of a trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathTrace {
    pub verdict: Verdict,
    pub hops: Vec<Hop>,
    pub findings: Vec<Finding>,
    /// NICs of stateful devices (NVAs) crossed, in order.
    pub devices: Vec<NicIdx>,
    /// The gateway the packet left by, for the reply to come back through.
    pub exit_gateway: Option<GatewayIdx>,
    /// Subnets whose routes or NSGs the walk consulted.
    pub consulted: Vec<SubnetIdx>,
    /// VNets whose peerings or gateways the walk consulted (beyond those of the subnets).
    pub consulted_vnets: Vec<VnetIdx>,
    /// Azure Firewalls crossed, in order (stateful devices, §16.5).
    pub firewalls: Vec<FirewallCrossing>,
    /// How the packet got its public source, when it left for the Internet (§17.2).
    pub egress: Option<Egress>,
}

/// One pass through an Azure Firewall.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallCrossing {
    pub firewall: FirewallIdx,
    /// The source the firewall gave the packet (SNAT), if it translated it.
    pub snat_source: Option<IpAddr>,
    /// The packet's source and destination before the firewall.
    pub source: IpAddr,
    pub destination: IpAddr,
}

/// What a trace assumed because the snapshot cannot say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assumption {
    /// The guest OS of every NVA forwards what Azure delivers to it, without SNAT.
    NvaForwardsWithoutSnat,
    /// The source VM has several NICs; traffic leaves by the traced one only if the guest's
    /// routes send it there.
    MultiNicSource { vm: VmIdx },
    /// Replies from an Azure service or private endpoint retrace the request.
    ServiceRepliesRetrace,
    /// A load balancer in front of NVAs is traced to its first backend.
    FirstBackend,
    /// A VM on the path has no power state in the export (`az vm list` without `-d`): it is
    /// assumed running.
    PowerStateUnknown,
    /// The source VM is stopped or deallocated: the trace answers from configuration, as if it
    /// were started (Network Watcher answers only for a running VM, §7.1).
    SourceNotRunning { vm: VmIdx },
    /// An Azure Firewall's threat intelligence, IDPS and TLS inspection are not evaluated;
    /// with threat intelligence in `Deny` mode and a public end, its feed may drop the flow.
    FirewallInspectionNotModelled { threat_intel_deny: bool },
    /// The subnet the packet left from does not say `defaultOutboundAccess`: default outbound
    /// access was assumed (option `UnsetDefaultOutbound::Allowed`, §17.2).
    DefaultOutboundAccessAssumed,
    /// An Azure Firewall let the request in by a DNAT rule: final (C21, the default), or, with
    /// `dnat_respects_network_deny`, after the network rules found no explicit Deny (§16.6).
    DnatMatch { respects_network_deny: bool },
    /// The request is addressed to an Azure Firewall's private IP: whether DNAT rules match it
    /// (C33; supported on Standard and Premium unless `dnat_private_ip_unsupported`).
    DnatToPrivateIp { supported: bool },
    /// The path used a Virtual Network Manager connected group or security admin rule: the
    /// configurations are assumed deployed, a connected group protected from more specific BGP
    /// routes like a peering, admin rules stateful like NSGs (§18.5).
    AvnmConfigurationAssumed,
    /// A forwarded packet crossed a peering added from a hub-and-spoke configuration; whether
    /// AVNM's peerings allow forwarded traffic is not documented (option, §18.7, C32).
    AvnmPeeringForwardedTraffic { allowed: bool },
    /// A path left a spoke of a Virtual WAN hub with a private-traffic policy for another hub:
    /// whether it went through the local firewall first is option
    /// `vwan_secured_spoke_inter_hub` (§20.14, C38).
    VwanSecuredSpokeInterHub { local_firewall: bool },
    /// The request came from a Virtual WAN branch: its own network sends to the hub what the hub
    /// advertises to it, and takes the reply back; the branch's devices are in no snapshot
    /// (§20.16).
    BranchSendsToHub,
}

/// What one trace assumed: every trace assumes NVAs forward without SNAT; the rest depends on
/// the path.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Assumptions {
    /// The source VM, when it has several NICs.
    pub multi_nic_source: Option<VmIdx>,
    /// The request reached an Azure service or private endpoint.
    pub service_replies_retrace: bool,
    /// A direction passed a load balancer.
    pub first_backend: bool,
    /// A VM on the path has no power state in the export.
    pub power_state_unknown: bool,
    /// The source VM, when it is stopped or deallocated.
    pub source_not_running: Option<VmIdx>,
    /// A direction passed an Azure Firewall: `Some(threat intelligence in Deny mode with a
    /// public end)`.
    pub firewall_inspection: Option<bool>,
    /// The request left by default outbound access from a subnet that does not say
    /// `defaultOutboundAccess`.
    pub default_outbound_assumed: bool,
    /// A direction used a connected-group route or met a security admin rule (§18.5).
    pub avnm: bool,
    /// A firewall allowed the request by a DNAT rule: `Some(dnat_respects_network_deny)` (C21).
    pub dnat_match: Option<bool>,
    /// A forwarded packet crossed a peering added from a hub-and-spoke configuration:
    /// `Some(allowed)` (C32).
    pub avnm_peering_forwarded: Option<bool>,
    /// The request is addressed to a firewall's private IP: `Some(DNAT to it supported)` (C33).
    pub dnat_private_ip: Option<bool>,
    /// A path went from a spoke of a hub with a private-traffic policy to another hub:
    /// `Some(through the local firewall first)` (C38).
    pub vwan_secured_spoke_inter_hub: Option<bool>,
    /// The request came from a Virtual WAN branch (§20.16).
    pub branch_source: bool,
}

impl Assumptions {
    /// Every assumption, in the order a trace lists them.
    pub fn list(self) -> impl Iterator<Item = Assumption> {
        [
            Some(Assumption::NvaForwardsWithoutSnat),
            self.multi_nic_source.map(|vm| Assumption::MultiNicSource { vm }),
            self.service_replies_retrace.then_some(Assumption::ServiceRepliesRetrace),
            self.first_backend.then_some(Assumption::FirstBackend),
            self.power_state_unknown.then_some(Assumption::PowerStateUnknown),
            self.source_not_running.map(|vm| Assumption::SourceNotRunning { vm }),
            self.firewall_inspection
                .map(|threat_intel_deny| Assumption::FirewallInspectionNotModelled { threat_intel_deny }),
            self.default_outbound_assumed.then_some(Assumption::DefaultOutboundAccessAssumed),
            self.avnm.then_some(Assumption::AvnmConfigurationAssumed),
            self.dnat_match.map(|respects_network_deny| Assumption::DnatMatch { respects_network_deny }),
            self.avnm_peering_forwarded.map(|allowed| Assumption::AvnmPeeringForwardedTraffic { allowed }),
            self.dnat_private_ip.map(|supported| Assumption::DnatToPrivateIp { supported }),
            self.vwan_secured_spoke_inter_hub
                .map(|local_firewall| Assumption::VwanSecuredSpokeInterHub { local_firewall }),
            self.branch_source.then_some(Assumption::BranchSendsToHub),
        ]
        .into_iter()
        .flatten()
    }
}

/// A full trace: the request, the forward path and the reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    pub request: TraceRequest,
    pub forward: PathTrace,
    pub reverse: Option<PathTrace>,
    /// Every finding of both directions and their comparison, without duplicates.
    pub findings: Vec<Finding>,
    pub assumptions: Assumptions,
}
