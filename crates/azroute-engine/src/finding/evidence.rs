//! The evidence of each finding code: the routes, rules, addresses and settings that prove it,
//! as typed data. One type per code, named like the code (an enum where the code covers
//! several situations); the report layer turns each into a message, evidence lines and a fix.

use std::net::IpAddr;
use std::sync::Arc;

use azroute_model::*;
use ipnet::IpNet;

use super::firewall_evidence::*;
use super::platform_evidence::*;
use super::route_server_evidence::*;
use super::vwan_evidence::*;
use super::{FindingCode, RouteRef, Severity};
use crate::nsg::AppliedTo;
use crate::trace::HopResource;

/// A user route as the snapshot holds it: route `index` of route table `table`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UserRoute {
    pub table: RouteTableIdx,
    pub index: usize,
}

/// A route context the doctor checked: the first of its subnets, and how many more share it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteContext {
    pub subnet: SubnetIdx,
    pub others: usize,
}

/// The route a hop of a trace used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HopRoute {
    pub hop: HopResource,
    pub subnet: SubnetIdx,
    pub route: RouteRef,
}

/// A peering object and its other side, as the topology found them (§5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeeringSides {
    pub peering: PeeringIdx,
    /// The remote VNet, when exported.
    pub remote_vnet: Option<VnetIdx>,
    /// The peering back from the remote VNet, when exported.
    pub reverse: Option<PeeringIdx>,
}

/// `AsymmetricPath`: the two directions pass different stateful devices (§6.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AsymmetricPath {
    /// NVA NICs the request passes, in order.
    pub request_devices: Vec<NicIdx>,
    /// NVA NICs the reply passes, in the request's direction.
    pub reply_devices: Vec<NicIdx>,
    /// The route that would make the reply pass the request's first unmatched NVA, when the
    /// reply has a first hop to put it on.
    pub return_route: Option<ReturnRoute>,
    /// The routes every hop of both directions used.
    pub routes: Vec<HopRoute>,
}

/// A user route for the request's source, via an NVA, on the reply's first subnet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReturnRoute {
    pub nva: NicIdx,
    pub source_prefix: IpNet,
    pub reply_subnet: Option<SubnetIdx>,
}

/// `BgpRouteShadowedBySystemRoute`: a gateway route more specific than a protected system
/// route is never used (§4.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BgpRouteShadowedBySystemRoute {
    pub context: RouteContext,
    pub route: RouteRef,
    pub by: RouteRef,
}

/// `DestinationNotRunning`: the NIC that holds the destination belongs to a VM that is stopped
/// or deallocated: nothing answers (§11.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DestinationNotRunning {
    pub nic: NicIdx,
    pub vm: VmIdx,
    pub state: PowerState,
    pub destination: IpAddr,
}

/// `DroppedByNoneRoute`: the packet's route has next hop None.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DroppedByNoneRoute {
    /// The walk ended there.
    Dropped { subnet: SubnetIdx, destination: IpAddr, route: RouteRef },
    /// An NSG dropped the packet first; routing would have dropped it too.
    BehindNsg { subnet: SubnetIdx, destination: IpAddr, route: RouteRef },
}

/// `DuplicatePrefixInRouteTable`: two routes of one table for one prefix (§3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DuplicatePrefixInRouteTable {
    pub table: RouteTableIdx,
    pub first: usize,
    pub second: usize,
}

/// `EffectiveRoutesRequireRunningVm`: the VM is stopped or deallocated (§7.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EffectiveRoutesRequireRunningVm {
    pub vm: VmIdx,
}

/// `ForcedTunnelBreaksInbound`: replies to Internet clients leave by a device (§6.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ForcedTunnelBreaksInbound {
    /// A traced reply to an Internet client takes the subnet's route to an NVA or gateway.
    Reply(ForcedReply),
    /// A subnet whose VMs have public IPs forces Internet traffic through a device, proven by
    /// the traced `reply` to one of them.
    Subnet {
        reply: ForcedReply,
        subnet: SubnetIdx,
        route: RouteRef,
        public_nics: usize,
        example: NicIdx,
        public_ip: IpAddr,
    },
}

/// `ForcedTunnelNoDefaultSite`: traffic for the Internet (or any prefix the gateway has no
/// route for) is sent to a VPN gateway that has no default site (`gatewayDefaultSite`) and
/// learned no 0.0.0.0/0 over BGP: the gateway has nowhere to send it and drops it (§6.1, §3.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ForcedTunnelNoDefaultSite {
    /// A 0.0.0.0/0 user route of a table associated with a subnet of `vnet`, served by `gateway`
    /// (the doctor's check).
    Route { route: UserRoute, vnet: VnetIdx, gateway: GatewayIdx },
    /// A traced packet reached the gateway by this route.
    Traced { gateway: GatewayIdx, destination: IpAddr, route: RouteRef },
}

/// The traced reply of forced tunnelling: the client, the subnet it leaves and the route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForcedReply {
    pub client: IpAddr,
    pub subnet: SubnetIdx,
    pub route: RouteRef,
}

/// `ForwardedTrafficNotAllowed`: the receiving peering refuses a forwarded packet (§5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ForwardedTrafficNotAllowed {
    pub source: IpAddr,
    pub from: VnetIdx,
    pub to: VnetIdx,
    /// The receiving side's peering.
    pub peering: PeeringIdx,
}

/// `SubnetPeeringNonPeeredDestination`: a packet for a subnet of `to` that the subnet peering
/// of `from` and `to` does not list, sent over a connected-group route: "subnet peering takes
/// preference and the connectivity between nonpeered subnets gets dropped" (§18.8, AV-C7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SubnetPeeringNonPeeredDestination {
    pub destination: IpAddr,
    pub from: VnetIdx,
    pub to: VnetIdx,
    /// The sending side's peering, whose `remoteAddressSpace` lists the peered remote subnets.
    pub peering: PeeringIdx,
}

/// `SubnetPeeringNonPeeredSource`: a packet from a subnet of `from` that its subnet peering
/// with `to` does not list reaches `to` over the routes Azure gives every subnet, and is
/// dropped there (§5.6, §18.8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SubnetPeeringNonPeeredSource {
    pub source: IpAddr,
    pub from: VnetIdx,
    pub to: VnetIdx,
    /// The receiving side's peering, whose `remoteAddressSpace` lists the peered subnets.
    pub peering: PeeringIdx,
}

/// `GatewayConnectionDown`: the connection to the site is not Connected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GatewayConnectionDown {
    pub connection: ConnectionIdx,
}

/// `GatewayRoutesSuppressed`: a route table keeps gateway routes out (§3.7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayRoutesSuppressed {
    /// A traced destination the gateway knows.
    Destination { gateway: GatewayIdx, prefix: IpNet, table: RouteTableIdx, subnet: SubnetIdx, destination: IpAddr },
    /// The gateway prefixes a context's table keeps out.
    Context { context: RouteContext, table: RouteTableIdx, prefixes: Vec<IpNet> },
}

/// `GatewaySubnetDefaultRoute`: a 0.0.0.0/0 route on the GatewaySubnet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GatewaySubnetDefaultRoute {
    pub subnet: SubnetIdx,
    pub route: UserRoute,
}

/// `GatewaySubnetPropagationDisabled`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GatewaySubnetPropagationDisabled {
    pub subnet: SubnetIdx,
    pub table: RouteTableIdx,
}

/// `IpForwardingDisabled`: Azure drops a packet not addressed to a NIC that does not forward
/// (§6.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IpForwardingDisabled {
    /// The source NIC sends from an address that is not its own.
    Source { nic: NicIdx, source: IpAddr },
    /// An NVA receives a packet to forward.
    Appliance { nic: NicIdx, address: Option<IpAddr>, destination: IpAddr, route: RouteRef },
}

/// `MultiNicGuestRouteMissing`: a route sends traffic to a VM's secondary NIC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MultiNicGuestRouteMissing {
    pub route: UserRoute,
    pub nic: NicIdx,
    pub vm: VmIdx,
}

/// `NextHopUnreachable`: a virtual-appliance next hop Azure cannot reach (§3.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextHopUnreachable {
    /// Traced: traffic enters through a gateway whose GatewaySubnet is not exported.
    NoGatewaySubnet { gateway: GatewayIdx },
    /// Traced: the next hop is outside every address space the VNet reaches (its own ranges
    /// and its Connected peerings'); Network Watcher answers next hop type None (§7.5).
    OutsideAddressSpace { vnet: VnetIdx, next_hop: IpAddr, route: RouteRef },
    /// Traced: nobody in the snapshot owns the next hop.
    NotOwned { vnet: VnetIdx, next_hop: IpAddr, route: RouteRef },
    /// Traced: the owner is in a VNet neither the sender's nor directly peered with it.
    NotPeered { vnet: VnetIdx, next_hop: IpAddr, owner_vnet: VnetIdx, route: RouteRef },
    /// Traced: a Basic load balancer across a global peering.
    BasicLoadBalancerGlobal { next_hop: IpAddr, lb: LoadBalancerIdx },
    /// Traced: a load balancer without backends.
    NoBackend { next_hop: IpAddr, lb: LoadBalancerIdx },
    /// Traced: the next hop is a private endpoint or a gateway.
    NotAnAppliance { next_hop: IpAddr, route: RouteRef },
    /// A user route's next hop nobody in the snapshot owns.
    RouteNotOwned { route: UserRoute, next_hop: IpAddr },
    /// A user route's next hop in a VNet neither the subnet's nor directly peered with it.
    RouteNotPeered { route: UserRoute, next_hop: IpAddr, vnet: VnetIdx, owner_vnet: Option<VnetIdx> },
    /// A user route to a Basic load balancer across a global peering.
    RouteBasicLoadBalancerGlobal { route: UserRoute, lb: LoadBalancerIdx },
    /// A user route to a private endpoint or gateway address.
    RouteNotAnAppliance { route: UserRoute, next_hop: IpAddr },
}

/// `NoHostAtDestination`: nothing at the destination address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoHostAtDestination {
    /// From the Internet to an address that is no NIC's public IP; `private` when it is a
    /// private address or in a VNet.
    NotPublic { source: IpAddr, destination: IpAddr, private: bool },
    /// The destination is in a peered VNet the snapshot lacks.
    RemoteVnetMissing { destination: IpAddr },
    /// No NIC, load balancer or private endpoint of the VNet has the address.
    Unowned { vnet: VnetIdx, destination: IpAddr },
    /// A load balancer without backends.
    NoBackend { lb: LoadBalancerIdx },
}

/// `NoRoute`: no route of the subnet matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoRoute {
    pub subnet: SubnetIdx,
    pub destination: IpAddr,
}

/// `NonTransitivePeering`: the destination is only a peer of a peer (§5.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NonTransitivePeering {
    pub vnet: VnetIdx,
    pub target: VnetIdx,
    /// The VNets peered with both.
    pub via: Vec<VnetIdx>,
    pub destination: IpAddr,
}

/// `NoneRouteBlackholesRange`: a selected user None route over a reachable range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoneRouteBlackholesRange {
    pub context: RouteContext,
    pub route: RouteRef,
    pub covered: Vec<CoveredRange>,
}

/// A range a None route covers or falls in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoveredRange {
    OwnVnet(IpNet),
    Peered { range: IpNet, vnet: VnetIdx },
    OnPremises { prefix: IpNet, gateway: GatewayIdx },
}

/// `NotModelled`: a next hop type azroute does not model, or one it cannot follow, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotModelled {
    /// The route that led there; none when the packet came from a Virtual WAN branch, whose
    /// hub route is not a route of any subnet (§20.16).
    pub route: Option<RouteRef>,
    /// Why a Virtual WAN hub's next hop is not followed (§20.11); None: the next hop type.
    pub reason: Option<NotFollowed>,
}

/// Why a trace stops at a Virtual WAN hub's next hop (§20.11).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotFollowed {
    /// A network virtual appliance in the hub: its guest routing is in no snapshot.
    HubAppliance { hub: VirtualHubIdx, appliance: Option<ArmId>, address: Option<IpAddr> },
    /// A hub BGP peer whose address no NIC of a spoke of the WAN holds.
    HubPeerNotInSnapshot { hub: VirtualHubIdx, bgp_connection: Option<ArmId>, address: Option<IpAddr> },
    /// A hub route to a connection, but no spoke of the WAN holds the destination.
    NoSpokeHolds { hub: VirtualHubIdx, destination: IpAddr },
    /// The secured hub's firewall table has no route for the destination, or none it can follow.
    FirewallTableSilent { hub: VirtualHubIdx, destination: IpAddr },
    /// A packet from a branch (§20.16) for a destination the hub does not advertise to that
    /// branch's connection: whether and where the branch sends it is its own network's choice.
    NotAdvertisedToBranch { hub: VirtualHubIdx, connection: ArmId, destination: IpAddr },
    /// A packet from a branch (§20.16) that the hub hands to an appliance in a spoke (a hub BGP
    /// peer, a connection's static route): not followed from a branch.
    SpokeApplianceFromBranch { hub: VirtualHubIdx, address: IpAddr },
    /// A packet from a branch to another branch where the Virtual WAN says
    /// `allowBranchToBranchTraffic` false (§20.16).
    BranchToBranchOff { hub: VirtualHubIdx, destination: IpAddr },
}

/// `NsgBlocksForwardedTraffic`: a user route sends a subnet's traffic to an NVA, and an NSG of
/// the NVA's NIC or subnet denies that traffic as it enters or leaves the NVA: NSGs apply to
/// forwarded packets like any other (§9.3, §6.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NsgBlocksForwardedTraffic {
    pub route: UserRoute,
    /// The subnet whose traffic the route sends to the NVA.
    pub subnet: SubnetIdx,
    pub nic: NicIdx,
    pub nsg: NsgIdx,
    pub applied_to: AppliedTo,
    /// `securityRules/NAME` or `defaultSecurityRules/NAME`.
    pub rule: Arc<str>,
    /// Inbound: entering the NVA; outbound: leaving it.
    pub direction: Direction,
    pub protocol: Protocol,
    pub source: IpAddr,
    pub destination: IpAddr,
    pub destination_port: u16,
}

/// `NsgBlocksProbe`: a Deny rule matches the health probes' source first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NsgBlocksProbe {
    pub nsg: NsgIdx,
    pub rule: Arc<str>,
    pub priority: u32,
    pub applied_to: AppliedTo,
    pub lb: LoadBalancerIdx,
}

/// `AvnmAdminRuleDenied`: an Azure Virtual Network Manager security admin rule denies the
/// packet before any NSG is evaluated (§18.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AvnmAdminRuleDenied {
    /// Index into `Snapshot::avnm.admin_rules`.
    pub rule: usize,
    /// `securityAdminConfigurations/{c}/ruleCollections/{rc}/rules/{r}`.
    pub name: Arc<str>,
    pub direction: Direction,
    pub protocol: Protocol,
    pub source: IpAddr,
    pub destination: IpAddr,
    pub destination_port: u16,
}

/// `AvnmAdminDenyOverridesNsgAllow` / `AvnmAlwaysAllowBypassesNsgDeny`: a security admin rule
/// decides traffic an NSG rule of the same VNet explicitly allows (denies) (§18.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AvnmAdminOverridesNsg {
    /// Index into `Snapshot::avnm.admin_rules`.
    pub admin_rule: usize,
    pub nsg: NsgIdx,
    /// `securityRules/NAME`.
    pub nsg_rule: Arc<str>,
    pub vnet: VnetIdx,
}

/// `AvnmAdminDenyOverridesNsgAllow`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AvnmAdminDenyOverridesNsgAllow(pub AvnmAdminOverridesNsg);

/// `AvnmAlwaysAllowBypassesNsgDeny`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AvnmAlwaysAllowBypassesNsgDeny(pub AvnmAdminOverridesNsg);

/// `AvnmAdminRuleNotApplied`: security admin rules target a VNet with a subnet or private
/// endpoint they are not applied to (§18.3, AV-S5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AvnmAdminRuleNotApplied {
    pub vnet: VnetIdx,
    /// A platform subnet, or the subnet of a private endpoint's NIC.
    pub subnet: SubnetIdx,
    pub private_endpoint: Option<NicIdx>,
}

/// `AvnmConnectedGroupOverlap`: two members of a connected group overlap; Azure drops traffic
/// to the overlapped addresses (§18.2, AV-C5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AvnmConnectedGroupOverlap {
    /// Index into `Snapshot::avnm.connectivity_configurations`.
    pub configuration: usize,
    pub vnet: VnetIdx,
    pub other: VnetIdx,
    pub prefix: IpNet,
    pub other_prefix: IpNet,
}

/// `AvnmHubGatewayMissing`: a hub-and-spoke configuration asks for the hub's gateway
/// (`useHubGateway`) and the hub has none: the spoke→hub peering fails (§18.2, AV-C2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AvnmHubGatewayMissing {
    pub configuration: usize,
    /// The hub VNet as the configuration names it.
    pub hub: ArmId,
}

/// A documented Virtual Network Manager limit (§18.9, AV-C6, AV-S4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AvnmLimit {
    /// VNets in one connected group (250 by default).
    ConnectedGroupVnets,
    /// Connected groups one VNet belongs to (2 by default).
    ConnectedGroupsPerVnet,
    /// Spokes a hub-and-spoke configuration peers to one hub (1,000).
    HubSpokes,
    /// IP prefixes in all the security admin rules of one network manager (20,000).
    AdminRulePrefixes,
}

impl AvnmLimit {
    /// The documented maximum.
    pub fn max(self) -> usize {
        match self {
            AvnmLimit::ConnectedGroupVnets => 250,
            AvnmLimit::ConnectedGroupsPerVnet => 2,
            AvnmLimit::HubSpokes => 1000,
            AvnmLimit::AdminRulePrefixes => 20_000,
        }
    }
}

/// `AvnmLimitExceeded`: more of something than Virtual Network Manager's documented limit
/// allows: Azure refuses (or, for a soft limit, needs a request to raise) the deployment, so the
/// estate cannot be as the snapshot says (§18.9).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AvnmLimitExceeded {
    pub limit: AvnmLimit,
    pub count: usize,
    /// The VNet counted (a hub, or a member of too many connected groups).
    pub vnet: Option<VnetIdx>,
    /// The connectivity configuration of an oversized connected group.
    pub configuration: Option<usize>,
    /// The network manager whose admin rules are counted.
    pub manager: Option<ArmId>,
}

/// `AvnmManagersOverlap`: configurations of several network managers apply to one VNet. On a
/// conflict the configuration of the manager with the higher scope applies (§18.5, AV-C8); which
/// scope is higher depends on the management-group hierarchy, which no snapshot holds, so
/// azroute evaluates them as one manager's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AvnmManagersOverlap {
    pub vnet: VnetIdx,
    /// `securityAdmin` or `routing`: the kind of configuration.
    pub kind: &'static str,
    /// The network managers' ids, sorted.
    pub managers: Vec<ArmId>,
}

/// `AvnmRoutingRuleConflict`: routing rules for one VNet name the same destination with
/// different next hops; Azure applies one "selected at random" (§18.4, AV-R2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AvnmRoutingRuleConflict {
    pub vnet: VnetIdx,
    /// Indices into `Snapshot::avnm.routing_rules`, the one azroute applies first.
    pub rules: Vec<usize>,
}

/// `NsgDenied`: an NSG rule denies the packet (§9).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NsgDenied {
    pub nsg: NsgIdx,
    pub applied_to: AppliedTo,
    /// `securityRules/NAME` or `defaultSecurityRules/NAME`.
    pub rule: Arc<str>,
    pub direction: Direction,
    pub protocol: Protocol,
    pub source: IpAddr,
    pub destination: IpAddr,
    pub destination_port: u16,
}

/// `NsgOnGatewaySubnet`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NsgOnGatewaySubnet {
    pub subnet: SubnetIdx,
    pub nsg: NsgIdx,
}

/// `NvaInSameSubnetLoop`: a subnet's table sends its traffic to an NVA in that subnet (§3.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NvaInSameSubnetLoop {
    pub route: UserRoute,
    pub subnet: SubnetIdx,
    pub next_hop: IpAddr,
}

/// `NvaNotRunning`: the next hop is an NVA whose VM is stopped or deallocated: it forwards
/// nothing (§3.3, §11.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NvaNotRunning {
    /// A user route of a table associated with a subnet sends traffic to the NVA.
    Route { route: UserRoute, next_hop: IpAddr, nic: NicIdx, vm: VmIdx, state: PowerState },
    /// A traced packet reached the NVA by this route.
    Traced { nic: NicIdx, vm: VmIdx, state: PowerState, destination: IpAddr, route: RouteRef },
}

/// `OverlappingAddressSpace`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OverlappingAddressSpace {
    /// Two peered VNets overlap.
    Peered { a: VnetIdx, a_range: IpNet, b: VnetIdx, b_range: IpNet },
    /// An on-premises prefix overlaps a VNet it serves.
    OnPremises { vnet: VnetIdx, range: IpNet, gateway: GatewayIdx, prefix: IpNet },
}

/// `PeUdrIneffectiveNoPolicy`: a user route covers a private endpoint whose subnet does not
/// apply route tables to it (§5.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeUdrIneffectiveNoPolicy {
    pub context: RouteContext,
    pub user_route: RouteRef,
    pub endpoint_route: RouteRef,
    pub endpoint: PrivateEndpointIdx,
    pub endpoint_subnet: SubnetIdx,
    pub address: IpAddr,
}

/// `PeeringAccessDisabled`: the receiving peering has allowVirtualNetworkAccess = false, under
/// the `drop` reading of that setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeeringAccessDisabled {
    /// The receiving side's peering, and its VNet.
    pub peering: PeeringIdx,
    pub vnet: VnetIdx,
}

/// `PeeringNotConnected`: a peering that is not Connected on both sides (§5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeeringNotConnected {
    /// A traced destination in a VNet peered with the source's by such a peering.
    Destination { vnet: VnetIdx, target: VnetIdx, sides: PeeringSides, destination: IpAddr },
    /// A peering object of the snapshot.
    Peering(PeeringSides),
}

/// `PrivateDestinationToInternet`: a private destination matched the Internet route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrivateDestinationToInternet {
    /// The walk ended there.
    Lost { subnet: SubnetIdx, destination: IpAddr, route: RouteRef },
    /// An NSG dropped the packet first; routing would have lost it too.
    BehindNsg { subnet: SubnetIdx, destination: IpAddr, route: RouteRef },
}

/// `PrivateEndpointBypassesFirewall`: private-endpoint routes win over a 0.0.0.0/0 route to a
/// firewall (§5.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrivateEndpointBypassesFirewall {
    /// A traced packet to the endpoint.
    Traced { subnet: SubnetIdx, endpoint: Option<PrivateEndpointIdx>, route: RouteRef, firewall: RouteRef },
    /// A context's endpoint routes.
    Context { context: RouteContext, firewall: RouteRef, endpoint_routes: Vec<RouteRef> },
}

/// `RouteLimitExceeded` (§3.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteLimitExceeded {
    /// More routes than the limit.
    Over { table: RouteTableIdx, count: usize, limit: usize },
    /// More routes than the documented 400.
    Near { table: RouteTableIdx, count: usize },
}

/// `RouteTableNotAssociated`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteTableNotAssociated {
    pub table: RouteTableIdx,
}

/// `RouteTableRegionMismatch`: a route table associated with a subnet of a VNet in another region
/// or subscription; Azure refuses such an association, so the snapshot cannot be what Azure
/// runs (a plan, a hand-edited export) (§14, T35).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteTableRegionMismatch {
    Region { table: RouteTableIdx, subnet: SubnetIdx, table_location: String, vnet_location: String },
    Subscription { table: RouteTableIdx, subnet: SubnetIdx, table_subscription: String, vnet_subscription: String },
}

/// `RoutingLoop`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoutingLoop {
    /// The packet came back to a hop it had left; the routes from there on.
    Revisit { destination: IpAddr, at: HopResource, routes: Vec<HopRoute> },
    /// The packet crossed the hop limit.
    HopLimit { destination: IpAddr, limit: usize },
}

/// `ServiceTagNotExpanded`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceTagNotExpanded {
    pub context: RouteContext,
    pub tag: String,
}

/// `ServiceTagRouteLimit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceTagRouteLimit {
    pub table: RouteTableIdx,
    pub count: usize,
}

/// `TrafficAnalysisSampled`: the doctor traced a sample of the candidate pairs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrafficAnalysisSampled {
    pub traced: usize,
    pub candidates: usize,
}

/// `UdrGatewayNotVpn`: next hop VirtualNetworkGateway without a VPN gateway (§3.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UdrGatewayNotVpn {
    /// Traced: the VNet has no gateway, own or by transit.
    TracedNoGateway { vnet: VnetIdx, route: RouteRef },
    /// Traced: the gateway is an ExpressRoute gateway.
    TracedExpressRoute { gateway: GatewayIdx, route: RouteRef },
    /// A user route, for a VNet with no gateway.
    NoGateway { route: UserRoute, vnet: VnetIdx },
    /// A user route, for a VNet whose gateway is an ExpressRoute gateway.
    ExpressRoute { route: UserRoute, vnet: VnetIdx, gateway: GatewayIdx },
}

/// `UdrNextHopNoForwarding`: a user route to an NVA whose NIC does not forward (§6.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UdrNextHopNoForwarding {
    pub route: UserRoute,
    pub next_hop: IpAddr,
    pub nic: NicIdx,
}

/// `UdrOrNsgOnRouteServerSubnet`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UdrOrNsgOnRouteServerSubnet {
    pub subnet: SubnetIdx,
}

/// `UseRemoteGatewaysMissing`: gateway transit configured on one side only (§5.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UseRemoteGatewaysMissing {
    /// A traced destination the hub's gateway knows.
    Destination {
        gateway: GatewayIdx,
        prefix: IpNet,
        peering: PeeringIdx,
        vnet: VnetIdx,
        remote: Option<VnetIdx>,
        use_remote_gateways: bool,
        remote_allows_transit: bool,
        destination: IpAddr,
    },
    /// The VNet uses the remote gateway; the hub does not allow transit.
    TransitNotAllowed { vnet: VnetIdx, peering: PeeringIdx },
    /// The hub offers transit; the VNet does not use it.
    TransitNotUsed { vnet: VnetIdx, peering: PeeringIdx },
    /// useRemoteGateways with no gateway in the remote VNet.
    NoRemoteGateway { peering: PeeringIdx, remote: VnetIdx },
    /// useRemoteGateways in a VNet with a gateway of its own.
    OwnAndRemoteGateway { peering: PeeringIdx, vnet: VnetIdx },
}

/// `UserRouteInvalid`: a user route another route makes Invalid (§4.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRouteInvalid {
    pub context: RouteContext,
    pub route: RouteRef,
}

/// `UserRouteShadowed`: a user route no destination selects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRouteShadowed {
    pub context: RouteContext,
    pub route: RouteRef,
    /// The service-endpoint route that takes precedence, if that is why.
    pub by_service_endpoint: Option<RouteRef>,
}

/// `VirtualNetworkTagIncludesDefault`: a 0.0.0.0/0 user route widens the VirtualNetwork tag
/// where NSGs apply (§9, issue #22178).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VirtualNetworkTagIncludesDefault {
    pub subnet: SubnetIdx,
    pub route: RouteRef,
    pub nsgs: Vec<NsgIdx>,
    /// Custom rules naming VirtualNetwork: (NSG, index into its rules).
    pub relying: Vec<(NsgIdx, usize)>,
}

macro_rules! evidence {
    ($($code:ident),* $(,)?) => {
        /// The facts that prove a finding, by code.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub enum Evidence {
            $($code($code),)*
        }

        impl Evidence {
            pub fn code(&self) -> FindingCode {
                match self {
                    $(Evidence::$code(_) => FindingCode::$code,)*
                }
            }
        }

        $(impl From<$code> for Evidence {
            fn from(evidence: $code) -> Evidence {
                Evidence::$code(evidence)
            }
        })*
    };
}

evidence! {
    AsymmetricPath,
    AsymmetricThroughFirewall,
    AvnmAdminDenyOverridesNsgAllow,
    AvnmAdminRuleDenied,
    AvnmAdminRuleNotApplied,
    AvnmAlwaysAllowBypassesNsgDeny,
    AvnmConnectedGroupOverlap,
    AvnmHubGatewayMissing,
    AvnmLimitExceeded,
    AvnmManagersOverlap,
    AvnmRoutingRuleConflict,
    BgpRouteShadowedBySystemRoute,
    DestinationNotRunning,
    DroppedByNoneRoute,
    DuplicatePrefixInRouteTable,
    EffectiveRoutesRequireRunningVm,
    FirewallDeniesFlow,
    FirewallVerdictIndeterminate,
    ForcedTunnelBreaksInbound,
    ForcedTunnelNoDefaultSite,
    ForwardedTrafficNotAllowed,
    GatewayConnectionDown,
    GatewayRoutesSuppressed,
    GatewaySubnetDefaultRoute,
    GatewaySubnetPropagationDisabled,
    IpForwardingDisabled,
    MultiNicGuestRouteMissing,
    NextHopUnreachable,
    NoHostAtDestination,
    NoRoute,
    NonTransitivePeering,
    NoneRouteBlackholesRange,
    NotModelled,
    NsgBlocksForwardedTraffic,
    NsgBlocksProbe,
    NsgDenied,
    NsgOnGatewaySubnet,
    NvaInSameSubnetLoop,
    NvaNotRunning,
    OverlappingAddressSpace,
    PeUdrIneffectiveNoPolicy,
    PeeringAccessDisabled,
    PeeringNotConnected,
    PrivateDestinationToInternet,
    PrivateEndpointBypassesFirewall,
    RouteLimitExceeded,
    RouteServerBranchToBranchDisabled,
    RouteServerDefaultRouteSelfLoop,
    RouteServerPrefixTooSpecific,
    RouteServerRouteDroppedAsPath65515,
    RouteServerSingleInstancePeer,
    RouteTableNotAssociated,
    RouteTableRegionMismatch,
    RoutingLoop,
    ServiceTagNotExpanded,
    ServiceTagRouteLimit,
    TrafficAnalysisSampled,
    UdrGatewayNotVpn,
    UdrNextHopNoForwarding,
    UdrOrNsgOnRouteServerSubnet,
    UseRemoteGatewaysMissing,
    UserRouteInvalid,
    UserRouteShadowed,
    VirtualNetworkTagIncludesDefault,
    // Egress and platform services (§17).
    AppGatewayV2DefaultRouteToAppliance,
    BastionSubnetTooSmall,
    DefaultOutboundAccessInUse,
    NatGatewayOnUnsupportedSubnet,
    NatGatewayOverriddenByUdr,
    PlatformOwnedDestination,
    PrivateSubnetInternetUdr,
    PrivateSubnetNoEgress,
    OutboundIcmpNotSupported,
    PublicLoadBalancerBehindFirewallDefaultRoute,
    UdrOnBastionSubnet,
    VmssNicsMissing,
    // The doctor's Azure Firewall checks (§16.7).
    FirewallSubnetDefaultRouteNotInternet,
    FirewallManagementSubnetRouteInvalid,
    NsgOnFirewallSubnet,
    FirewallSubnetTooSmall,
    FirewallSubnetNameInvalid,
    FirewallNextHopStale,
    FirewallPolicyRuleShadowed,
    FirewallAppRuleShadowedByNetworkRule,
    FirewallFqdnNetworkRuleWithoutDnsProxy,
    FirewallDnsProxyNotUsedByClients,
    FirewallChildPolicyDnsNotInherited,
    FirewallParentNatRulesIgnored,
    FirewallSnatRangesDropRfc1918,
    FirewallClassicSnatIgnored,
    FirewallIcmpToInternet,
    FirewallSnatSourceNotAllowedByNsg,
    PrivateEndpointThroughFirewallNoSnat,
    DnatWithForcedTunnel,
    GatewaySubnetMissingSpokeRoute,
    GatewaySubnetSummaryRouteShadowed,
    SpokePropagationBypassesFirewall,
    SubnetPeeringNonPeeredDestination,
    SubnetPeeringNonPeeredSource,
    DirectPeeringBypassesFirewall,
    VnetRangeUdrCapturesOwnSubnet,
    // Virtual WAN (§20.6).
    VwanSpokePropagationDisabled,
    VwanPrivateEndpointAsymmetry,
    VwanDefaultRouteNotPropagated,
    VwanRouteInsideSpokeSpace,
    VwanRoutingIntentWithCustomTables,
    VwanRoutingIntentNotOnAllHubs,
    VwanSpokeHasGateway,
    VwanDualRoleNvaEcmp,
    // Route Server peers (§19.3, RS-8).
    RouteServerPeerAsnRefused,
    RouteServerPeerOverRouteLimit,
    // Route Server restrictions (§19.6, RS-7, RS-12).
    RouteServerBranchToBranchGatewayNotActiveActive,
    RouteServerMultiplePerVnet,
}

impl Evidence {
    /// The finding's severity: the catalogue's default for its code, except where the evidence
    /// makes it more or less serious (listed here; the catalogue declares each such code's other
    /// severities, `CodeInfo::other_severities`, and a test checks the two agree).
    pub fn severity(&self) -> Severity {
        match self {
            // Past the enforced limit Azure refuses more routes; near it, a warning.
            Evidence::RouteLimitExceeded(RouteLimitExceeded::Over { .. }) => Severity::Error,
            // Only the default rules widen: worth knowing, not alarming.
            Evidence::VirtualNetworkTagIncludesDefault(v) if v.relying.is_empty() => Severity::Info,
            // Unused transit the hub offers may be intended.
            Evidence::UseRemoteGatewaysMissing(UseRemoteGatewaysMissing::TransitNotUsed { .. }) => Severity::Warning,
            // The overlapping addresses stay in the VNet: a surprise, not an outage.
            Evidence::OverlappingAddressSpace(OverlappingAddressSpace::OnPremises { .. }) => Severity::Warning,
            // The trace stops for want of data, not because of a proven problem.
            Evidence::NoHostAtDestination(NoHostAtDestination::RemoteVnetMissing { .. }) => Severity::Warning,
            // On a traced path this explains a drop.
            Evidence::GatewayRoutesSuppressed(GatewayRoutesSuppressed::Destination { .. }) => Severity::Error,
            _ => self.code().info().severity,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every severity an exception of [`Evidence::severity`] gives is declared by the catalogue
    /// (`CodeInfo::other_severities`), so the README and `--explain` can say when it applies.
    #[test]
    fn severity_exceptions_are_declared_by_the_catalogue() {
        let table = RouteTableIdx(0);
        let prefix: IpNet = "10.0.0.0/8".parse().expect("valid");
        let ip: IpAddr = "10.0.0.4".parse().expect("valid");
        let exceptions: Vec<Evidence> = vec![
            RouteLimitExceeded::Over { table, count: 1001, limit: 1000 }.into(),
            UseRemoteGatewaysMissing::TransitNotUsed { vnet: VnetIdx(0), peering: PeeringIdx(0) }.into(),
            OverlappingAddressSpace::OnPremises { vnet: VnetIdx(0), range: prefix, gateway: GatewayIdx(0), prefix }
                .into(),
            NoHostAtDestination::RemoteVnetMissing { destination: ip }.into(),
            GatewayRoutesSuppressed::Destination {
                gateway: GatewayIdx(0),
                prefix,
                table,
                subnet: SubnetIdx(0),
                destination: ip,
            }
            .into(),
        ];
        for evidence in exceptions {
            let info = evidence.code().info();
            let severity = evidence.severity();
            assert_ne!(severity, info.severity, "{}: not an exception", info.code);
            assert!(info.other_severities.contains(&severity), "{}: {severity} is not declared", info.code);
        }
    }

    /// A finding whose severity the catalogue does not declare as varying always has the
    /// default: NonTransitivePeering is a warning on a traced path too.
    #[test]
    fn non_transitive_peering_has_the_documented_severity() {
        let ip: IpAddr = "10.2.0.4".parse().expect("valid");
        let evidence: Evidence =
            NonTransitivePeering { vnet: VnetIdx(0), target: VnetIdx(2), via: vec![VnetIdx(1)], destination: ip }
                .into();
        assert_eq!(evidence.severity(), Severity::Warning);
        assert!(FindingCode::NonTransitivePeering.info().other_severities.is_empty());
    }
}
