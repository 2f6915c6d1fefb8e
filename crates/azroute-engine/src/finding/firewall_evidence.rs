//! Evidence of the Azure Firewall codes a trace raises (§16.4, §16.5): the firewall, the flow it
//! judged and the rule that decided, what it could not decide, and the reply that skips it.

use std::net::IpAddr;

use ipnet::IpNet;

use azroute_model::*;

use super::{RouteRef, UserRoute};
use crate::firewall::{FirewallFlow, IndeterminateReason, RulePlace};

/// `FirewallDeniesFlow`: the firewall's rules deny the flow (§16.2): a Deny collection's rule,
/// or the default deny when no rule matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallDeniesFlow {
    pub firewall: FirewallIdx,
    pub flow: FirewallFlow,
    /// The deciding rule; its `pass` is `Default` for the default deny.
    pub rule: RulePlace,
}

/// `FirewallVerdictIndeterminate`: the snapshot cannot decide the firewall's verdict (§16.2);
/// the trace stops rather than guess.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallVerdictIndeterminate {
    pub firewall: FirewallIdx,
    pub flow: FirewallFlow,
    pub reasons: Vec<IndeterminateReason>,
}

/// Which direction crossed a firewall the other did not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrossedBy {
    Request,
    Reply,
}

/// `AsymmetricThroughFirewall`: a flow the firewall did not SNAT, whose reply skips it (or a
/// reply that reaches a firewall the request skipped) (§16.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AsymmetricThroughFirewall {
    pub firewall: FirewallIdx,
    pub crossed_by: CrossedBy,
    /// The request's source, which the reply's first subnet must route to the firewall.
    pub source_prefix: IpNet,
    /// The subnet the reply leaves from.
    pub reply_subnet: Option<SubnetIdx>,
}

// The doctor's Azure Firewall checks (§16.7): the firewall's subnets, its rules, and the routes
// of the hub-and-spoke design around it (§16.4).

/// `FirewallSubnetDefaultRouteNotInternet`: a firewall without a management IP configuration
/// whose `AzureFirewallSubnet` sends 0.0.0.0/0 (or the split pair `0.0.0.0/1` +
/// `128.0.0.0/1`) somewhere other than the Internet (§16.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallSubnetDefaultRouteNotInternet {
    pub firewall: FirewallIdx,
    pub subnet: SubnetIdx,
    /// The active routes that take default-route traffic away from the Internet.
    pub routes: Vec<RouteRef>,
}

/// What is wrong with the route table of an `AzureFirewallManagementSubnet` (§16.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManagementRouteProblem {
    /// No `0.0.0.0/0` route with next hop `Internet`.
    NoDefaultToInternet,
    /// Gateway route propagation is on.
    PropagationEnabled,
    /// A route other than the default route to the Internet (`index` into the table's routes).
    OtherRoute { index: usize },
}

/// `FirewallManagementSubnetRouteInvalid`: "the only route allowed" on
/// `AzureFirewallManagementSubnet` "is a default route to the Internet", with propagation off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallManagementSubnetRouteInvalid {
    pub subnet: SubnetIdx,
    pub table: RouteTableIdx,
    pub problems: Vec<ManagementRouteProblem>,
}

/// `NsgOnFirewallSubnet`: an NSG on `AzureFirewallSubnet` or `AzureFirewallManagementSubnet`,
/// which the platform refuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NsgOnFirewallSubnet {
    pub subnet: SubnetIdx,
    pub nsg: NsgIdx,
}

/// `FirewallSubnetTooSmall`: a firewall subnet smaller than /26.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FirewallSubnetTooSmall {
    pub subnet: SubnetIdx,
    pub prefix: IpNet,
}

/// `FirewallSubnetNameInvalid`: a firewall IP configuration in a subnet not named
/// `AzureFirewallSubnet` (`AzureFirewallManagementSubnet` for the management one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FirewallSubnetNameInvalid {
    pub firewall: FirewallIdx,
    pub subnet: SubnetIdx,
    pub management: bool,
}

/// `FirewallNextHopStale`: a user route to an address of an `AzureFirewallSubnet` that is not
/// the firewall's private IP (it changes after a deallocation), or to a deallocated firewall.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallNextHopStale {
    pub route: UserRoute,
    pub next_hop: IpAddr,
    pub firewall: FirewallIdx,
    pub subnet: SubnetIdx,
    /// The firewall's private IPs now; empty when it is deallocated.
    pub firewall_ips: Vec<IpAddr>,
}

/// `FirewallPolicyRuleShadowed`: an earlier rule in processing order takes every flow of this
/// one (§16.2, §16.7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallPolicyRuleShadowed {
    pub firewall: FirewallIdx,
    pub rule: RulePlace,
    pub by: RulePlace,
}

/// `FirewallAppRuleShadowedByNetworkRule`: a network rule, processed before every application
/// rule, takes every flow of this application rule (§16.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallAppRuleShadowedByNetworkRule {
    pub firewall: FirewallIdx,
    pub rule: RulePlace,
    pub by: RulePlace,
}

/// `FirewallFqdnNetworkRuleWithoutDnsProxy`: network rules with `destinationFqdns` on a firewall
/// whose DNS proxy is off (or a Basic firewall, which has none): those rules match nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallFqdnNetworkRuleWithoutDnsProxy {
    pub firewall: FirewallIdx,
    pub rules: Vec<RulePlace>,
    pub basic: bool,
}

/// `FirewallDnsProxyNotUsedByClients`: a firewall with FQDN network rules and DNS proxy on, and
/// VNets whose traffic reaches it (its own, and those with a user route to its private IP) that
/// hand their hosts other DNS servers, or Azure-provided DNS: those hosts resolve the names
/// themselves and may get addresses the firewall's rules do not hold (§16.7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallDnsProxyNotUsedByClients {
    pub firewall: FirewallIdx,
    /// The firewall's private IP, the DNS server those VNets should name.
    pub private_ip: IpAddr,
    pub rules: Vec<RulePlace>,
    /// Each VNet with its `dhcpOptions.dnsServers` (empty: Azure-provided DNS).
    pub vnets: Vec<(VnetIdx, Vec<IpAddr>)>,
}

/// `FirewallChildPolicyDnsNotInherited`: the firewall's own (child) policy has DNS proxy off
/// while a parent policy has it on: DNS settings are not inherited, so the FQDN network rules the
/// firewall processes do not resolve (§16.2, known issues 2025).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallChildPolicyDnsNotInherited {
    pub firewall: FirewallIdx,
    /// The firewall's own policy (the child).
    pub policy: FirewallPolicyIdx,
    /// The parent policy whose DNS proxy is on.
    pub parent: FirewallPolicyIdx,
    pub rules: Vec<RulePlace>,
}

/// `FirewallParentNatRulesIgnored`: a parent policy's NAT collections, which child policies do
/// not inherit (C20, option `inherit_parent_dnat` off).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallParentNatRulesIgnored {
    pub firewall: FirewallIdx,
    pub policy: FirewallPolicyIdx,
    pub collections: Vec<String>,
}

/// `FirewallSnatRangesDropRfc1918`: a custom private-range list that leaves out (part of) RFC
/// 1918, so the firewall SNATs traffic to those private destinations (§16.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallSnatRangesDropRfc1918 {
    pub firewall: FirewallIdx,
    /// The policy that sets the list; `None` for the classic `Network.SNAT.PrivateRanges`.
    pub policy: Option<FirewallPolicyIdx>,
    pub ranges: Vec<String>,
    /// The RFC 1918 blocks the list does not cover whole.
    pub uncovered: Vec<IpNet>,
}

/// `FirewallClassicSnatIgnored`: the classic `Network.SNAT.PrivateRanges` is set on a firewall
/// managed by a policy: the firewall ignores it and uses the policy's `snat.privateRanges`
/// (§16.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallClassicSnatIgnored {
    pub firewall: FirewallIdx,
    pub policy: FirewallPolicyIdx,
    /// The ignored classic list.
    pub classic: Vec<String>,
    /// The policy's list; `None` when the policy sets none (the default applies).
    pub policy_ranges: Option<Vec<String>>,
}

/// `FirewallIcmpToInternet`: allowing network rules that take ICMP (`ICMP`, or `Any` without
/// explicit ports) to public destinations: the firewall cannot SNAT ICMP to the Internet, so such
/// traffic does not work (§16.2, known issues).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallIcmpToInternet {
    pub firewall: FirewallIdx,
    pub rules: Vec<RulePlace>,
}

/// `FirewallSnatSourceNotAllowedByNsg`: an inbound NSG rule allows the firewall's frontend IP as
/// source, but no inbound allow of the NSG covers `AzureFirewallSubnet`, whose instance addresses
/// SNATed traffic comes from ([inferred] from the Azure architecture guide, §16.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallSnatSourceNotAllowedByNsg {
    pub nsg: NsgIdx,
    /// The rule's position in the NSG's `rules`.
    pub rule: usize,
    pub firewall: FirewallIdx,
    pub frontend: IpAddr,
    pub firewall_subnet: IpNet,
}

/// `PrivateEndpointThroughFirewallNoSnat`: subnets whose route to a private endpoint sends it to
/// a firewall, whose network rule allows the flow without SNAT (the endpoint is in the private
/// ranges): the endpoint answers the original source directly, so the firewall sees one
/// direction only (§16.7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivateEndpointThroughFirewallNoSnat {
    pub endpoint: PrivateEndpointIdx,
    /// The endpoint's address the subnets send to the firewall.
    pub address: IpAddr,
    pub firewall: FirewallIdx,
    /// The subnets, each with its winning route to the endpoint.
    pub subnets: Vec<(SubnetIdx, RouteRef)>,
    /// The flow the firewall judged, for the first subnet: TCP to `port`.
    pub flow: FirewallFlow,
    /// The `groupId` the port was chosen from; `None` when the endpoint names none the check
    /// knows, and 443 was assumed.
    pub group_id: Option<String>,
    /// The network rule that allowed it.
    pub rule: RulePlace,
}

/// `DnatWithForcedTunnel`: DNAT rules on a firewall whose `AzureFirewallSubnet` sends
/// 0.0.0.0/0 elsewhere than the Internet: replies to DNAT clients leave by the tunnel (§16.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnatWithForcedTunnel {
    pub firewall: FirewallIdx,
    pub subnet: SubnetIdx,
    pub routes: Vec<RouteRef>,
    pub nat_collections: Vec<RulePlace>,
}

/// `GatewaySubnetMissingSpokeRoute`: the hub's GatewaySubnet does not send a spoke's prefix to
/// the firewall the spoke sends its traffic to: on-premises → spoke skips the firewall, spoke →
/// on-premises crosses it (§16.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewaySubnetMissingSpokeRoute {
    pub gateway_subnet: SubnetIdx,
    pub firewall: FirewallIdx,
    pub spoke_subnet: SubnetIdx,
    pub prefix: IpNet,
    /// The route the GatewaySubnet uses for the spoke instead.
    pub selected: Option<RouteRef>,
}

/// `GatewaySubnetSummaryRouteShadowed`: the GatewaySubnet's user route to the firewall covers
/// the spoke but a more specific peering route wins (§16.4, "a summary does not work").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewaySubnetSummaryRouteShadowed {
    pub gateway_subnet: SubnetIdx,
    pub firewall: FirewallIdx,
    pub route: UserRoute,
    pub spoke_subnet: SubnetIdx,
    pub prefix: IpNet,
    pub by: RouteRef,
}

/// `SpokePropagationBypassesFirewall`: a subnet sends 0.0.0.0/0 to the firewall but keeps
/// gateway route propagation, so on-premises prefixes (more specific) skip the firewall.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpokePropagationBypassesFirewall {
    pub subnet: SubnetIdx,
    pub firewall: FirewallIdx,
    pub default_route: UserRoute,
    /// Gateway routes the subnet uses instead (a few).
    pub gateway_routes: Vec<RouteRef>,
    pub gateway_route_count: usize,
}

/// `DirectPeeringBypassesFirewall`: two directly peered VNets both send 0.0.0.0/0 to a
/// firewall, but their traffic to each other takes the peering route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectPeeringBypassesFirewall {
    pub subnet: SubnetIdx,
    pub peer_subnet: SubnetIdx,
    pub firewall: FirewallIdx,
    pub route: RouteRef,
}

/// `VnetRangeUdrCapturesOwnSubnet`: a user route to the firewall for a range holding the
/// subnet itself: traffic inside the subnet goes to the firewall too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VnetRangeUdrCapturesOwnSubnet {
    pub subnet: SubnetIdx,
    pub firewall: FirewallIdx,
    pub route: UserRoute,
    pub prefix: IpNet,
}
