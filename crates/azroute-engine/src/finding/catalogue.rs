//! The catalogue: for every finding code, its default severity, the Azure documentation it
//! rests on, and what raises it. One table decides severities for traces, the doctor and the
//! reachability matrix; its words (titles, explanations) are the report layer's.

use super::{FindingCode, Severity};

/// Who raises a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoundBy {
    /// A doctor check that reads settings and computed route tables (traces may raise the code
    /// too).
    Settings,
    /// A doctor check found by tracing representative traffic (traces raise it too).
    Traffic,
    /// Traces only (`azroute trace`, the cells of `azroute reach`).
    Trace,
    /// Says how an analysis ran rather than what is wrong: the doctor's sampled traffic
    /// analysis, a reachability pair the snapshot could not decide.
    Summary,
}

/// What the catalogue says about one code.
#[derive(Clone, Copy, Debug)]
pub struct CodeInfo {
    pub code: FindingCode,
    /// The severity a finding of this code has unless its evidence says otherwise
    /// ([`super::Evidence::severity`] lists the exceptions).
    pub severity: Severity,
    /// Azure documentation, most specific first.
    pub docs: &'static [&'static str],
    pub found_by: FoundBy,
    /// The other severities a finding of this code can have, when its evidence makes it more
    /// or less serious ([`super::Evidence::severity`]); the report words when each applies.
    pub other_severities: &'static [Severity],
}

impl CodeInfo {
    /// Whether `azroute doctor` runs a check for this code (`--only`, `--explain`, SARIF rules).
    pub fn is_doctor_check(&self) -> bool {
        matches!(self.found_by, FoundBy::Settings | FoundBy::Traffic)
    }
}

impl FindingCode {
    /// The catalogue's entry for this code.
    pub fn info(self) -> &'static CodeInfo {
        catalogue().find(|c| c.code == self).expect("every code is in the catalogue")
    }
}

/// Every code: the doctor's checks, then the codes only traces raise and the summaries.
pub fn catalogue() -> impl Iterator<Item = &'static CodeInfo> {
    CHECKS.iter().chain(OTHER_CODES)
}

const AVNM_CONNECTIVITY: &str =
    "https://learn.microsoft.com/azure/virtual-network-manager/concept-connectivity-configuration";
const AVNM_LIMITS: &str = "https://learn.microsoft.com/azure/virtual-network-manager/concept-limitations";
const AVNM_SCOPE: &str = "https://learn.microsoft.com/azure/virtual-network-manager/concept-network-manager-scope";
const AVNM_UDR: &str = "https://learn.microsoft.com/azure/virtual-network-manager/concept-user-defined-route";
const AVNM_FAQ: &str = "https://learn.microsoft.com/azure/virtual-network-manager/faq";
const VWAN_ROUTING_POLICIES: &str = "https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies";
const VWAN_NVA_HUB: &str = "https://learn.microsoft.com/azure/virtual-wan/about-nva-hub";
const VWAN_HUB_ROUTING: &str = "https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing";
const VWAN_EFFECTIVE_ROUTES: &str = "https://learn.microsoft.com/azure/virtual-wan/effective-routes-virtual-hub";
const VWAN_CONNECT_VNET: &str = "https://learn.microsoft.com/azure/virtual-wan/howto-connect-vnet-hub";
const AVNM_ADMIN: &str = "https://learn.microsoft.com/azure/virtual-network-manager/concept-security-admins";
const UDR: &str = "https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview";
const DIAGNOSE: &str = "https://learn.microsoft.com/azure/virtual-network/diagnose-network-routing-problem";
const PEERING: &str = "https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview";
const SUBNET_PEERING: &str = "https://learn.microsoft.com/azure/virtual-network/how-to-configure-subnet-peering";
const MANAGE_PEERING: &str = "https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering";
const TRANSIT: &str = "https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-peering-gateway-transit";
const VPN_SETTINGS: &str = "https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings#gwsub";
const VPN_TROUBLESHOOT: &str =
    "https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-troubleshoot-site-to-site-cannot-connect";
const IP_FORWARDING: &str = "https://learn.microsoft.com/azure/virtual-network/virtual-network-network-interface#enable-or-disable-ip-forwarding";
const FORCED_TUNNEL: &str = "https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-forced-tunneling-rm";
const PE_POLICY: &str = "https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy";
const PE_FIREWALL: &str = "https://learn.microsoft.com/azure/private-link/inspect-traffic-with-azure-firewall";
const NSG: &str = "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview";
const SERVICE_TAGS: &str = "https://learn.microsoft.com/azure/virtual-network/service-tags-overview";
const LIMITS: &str = "https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#azure-resource-manager-virtual-networking-limits";
const MANAGE_RT: &str = "https://learn.microsoft.com/azure/virtual-network/manage-route-table";
const MULTI_NIC: &str = "https://learn.microsoft.com/azure/virtual-machines/linux/multiple-nics";
const FW_RULES: &str = "https://learn.microsoft.com/azure/firewall/rule-processing";
const FW_FQDN: &str = "https://learn.microsoft.com/azure/firewall/fqdn-filtering-network-rules";
const FW_HYBRID: &str = "https://learn.microsoft.com/azure/firewall/tutorial-hybrid-portal";
const FW_LB: &str = "https://learn.microsoft.com/azure/firewall/integrate-lb";
// The Azure Firewall checks' documentation (§16.7).
const FW_FAQ: &str = "https://learn.microsoft.com/azure/firewall/firewall-faq";
const FW_FORCED: &str = "https://learn.microsoft.com/azure/firewall/forced-tunneling";
const FW_MGMT_NIC: &str = "https://learn.microsoft.com/azure/firewall/management-nic";
const FW_KNOWN_ISSUES: &str = "https://learn.microsoft.com/azure/firewall/firewall-known-issues";
const FW_SNAT: &str = "https://learn.microsoft.com/azure/firewall/snat-private-range";
const FW_DNS: &str = "https://learn.microsoft.com/azure/firewall/dns-settings";
const FW_DNS_DETAILS: &str = "https://learn.microsoft.com/azure/firewall/dns-details";
const FW_ARCH_AGW: &str =
    "https://learn.microsoft.com/azure/architecture/example-scenario/gateway/firewall-application-gateway";
const FW_SKU: &str = "https://learn.microsoft.com/azure/firewall/features-by-sku";
const FW_POLICY: &str = "https://learn.microsoft.com/azure/firewall-manager/policy-overview";
const FW_MULTI_HUB: &str = "https://learn.microsoft.com/azure/firewall/firewall-multi-hub-spoke";
const ROUTE_SERVER_FAQ: &str = "https://learn.microsoft.com/azure/route-server/route-server-faq";
// Egress and platform services (§17).
const DEFAULT_OUTBOUND: &str = "https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access";
const NAT_OVERVIEW: &str = "https://learn.microsoft.com/azure/nat-gateway/nat-overview";
const FW_NAT_GATEWAY: &str = "https://learn.microsoft.com/azure/firewall/integrate-with-nat-gateway";
const AGW_INFRA: &str = "https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure";
const BASTION_FAQ: &str = "https://learn.microsoft.com/azure/bastion/bastion-faq";
const DNS_RESOLVER: &str = "https://learn.microsoft.com/azure/dns/dns-private-resolver-overview";
const VMSS_NIC: &str = "https://learn.microsoft.com/cli/azure/vmss/nic";
const RS_INJECTION: &str = "https://learn.microsoft.com/azure/route-server/route-injection-in-spokes";
const RS_ER_VPN: &str = "https://learn.microsoft.com/azure/route-server/expressroute-vpn-support";

const fn entry(code: FindingCode, severity: Severity, docs: &'static [&'static str], found_by: FoundBy) -> CodeInfo {
    CodeInfo { code, severity, docs, found_by, other_severities: &[] }
}

/// An entry whose evidence can give other severities than the default.
const fn varies(entry: CodeInfo, other_severities: &'static [Severity]) -> CodeInfo {
    CodeInfo { other_severities, ..entry }
}

use FindingCode as C;
use FoundBy::*;
use Severity::*;

/// The doctor's checks, in the order `--explain`, SARIF and the README list them.
pub const CHECKS: &[CodeInfo] = &[
    entry(C::RouteTableNotAssociated, Warning, &[DIAGNOSE, MANAGE_RT], Settings),
    entry(C::RouteTableRegionMismatch, Error, &[MANAGE_RT], Settings),
    entry(C::UdrNextHopNoForwarding, Error, &[IP_FORWARDING, DIAGNOSE], Settings),
    entry(C::NvaNotRunning, Error, &[UDR, DIAGNOSE], Settings),
    entry(C::NsgBlocksForwardedTraffic, Error, &[NSG, IP_FORWARDING], Settings),
    entry(C::NextHopUnreachable, Error, &[UDR, PEERING], Settings),
    entry(C::UdrGatewayNotVpn, Error, &[UDR], Settings),
    entry(C::GatewaySubnetDefaultRoute, Error, &[VPN_SETTINGS, UDR], Settings),
    entry(C::GatewaySubnetPropagationDisabled, Error, &[VPN_SETTINGS, UDR], Settings),
    entry(C::NsgOnGatewaySubnet, Error, &[VPN_SETTINGS], Settings),
    entry(C::UdrOrNsgOnRouteServerSubnet, Error, &[ROUTE_SERVER_FAQ], Settings),
    entry(C::RouteServerSingleInstancePeer, Warning, &[ROUTE_SERVER_FAQ], Settings),
    entry(C::RouteServerRouteDroppedAsPath65515, Warning, &[ROUTE_SERVER_FAQ], Settings),
    entry(C::RouteServerDefaultRouteSelfLoop, Error, &[RS_INJECTION, ROUTE_SERVER_FAQ], Settings),
    entry(C::RouteServerPrefixTooSpecific, Warning, &[RS_INJECTION], Settings),
    entry(C::RouteServerBranchToBranchDisabled, Warning, &[RS_ER_VPN, ROUTE_SERVER_FAQ], Settings),
    entry(C::PeeringNotConnected, Error, &[MANAGE_PEERING, DIAGNOSE], Settings),
    varies(entry(C::UseRemoteGatewaysMissing, Error, &[TRANSIT, PEERING], Settings), &[Warning]),
    entry(C::ForwardedTrafficNotAllowed, Error, &[MANAGE_PEERING], Traffic),
    entry(C::ForcedTunnelBreaksInbound, Error, &[DIAGNOSE, FORCED_TUNNEL], Settings),
    entry(C::ForcedTunnelNoDefaultSite, Error, &[FORCED_TUNNEL, UDR], Settings),
    entry(C::PrivateEndpointBypassesFirewall, Warning, &[PE_POLICY], Settings),
    entry(C::PeUdrIneffectiveNoPolicy, Warning, &[PE_POLICY], Settings),
    entry(C::BgpRouteShadowedBySystemRoute, Info, &[UDR, ROUTE_SERVER_FAQ], Settings),
    entry(C::UserRouteInvalid, Warning, &[UDR], Settings),
    entry(C::UserRouteShadowed, Warning, &[UDR], Settings),
    entry(C::NoneRouteBlackholesRange, Warning, &[UDR], Settings),
    varies(entry(C::OverlappingAddressSpace, Error, &[PEERING, UDR], Settings), &[Warning]),
    varies(entry(C::RouteLimitExceeded, Warning, &[LIMITS, UDR], Settings), &[Error]),
    entry(C::ServiceTagRouteLimit, Error, &[UDR], Settings),
    entry(C::DuplicatePrefixInRouteTable, Error, &[MANAGE_RT], Settings),
    entry(C::MultiNicGuestRouteMissing, Warning, &[DIAGNOSE, MULTI_NIC], Settings),
    varies(entry(C::VirtualNetworkTagIncludesDefault, Warning, &[SERVICE_TAGS, NSG], Settings), &[Info]),
    entry(C::NvaInSameSubnetLoop, Error, &[UDR], Settings),
    entry(C::NsgBlocksProbe, Warning, &[NSG], Settings),
    varies(entry(C::GatewayRoutesSuppressed, Info, &[UDR], Settings), &[Error]),
    entry(C::EffectiveRoutesRequireRunningVm, Info, &[DIAGNOSE], Settings),
    entry(C::ServiceTagNotExpanded, Warning, &[SERVICE_TAGS], Settings),
    entry(C::AsymmetricPath, Error, &[UDR], Traffic),
    entry(C::RoutingLoop, Error, &[UDR], Traffic),
    entry(C::DroppedByNoneRoute, Error, &[UDR], Traffic),
    entry(C::NonTransitivePeering, Warning, &[PEERING], Traffic),
    entry(C::PrivateDestinationToInternet, Error, &[UDR], Traffic),
    // A stateful firewall that sees one direction only drops the flow (§16.5).
    entry(C::AsymmetricThroughFirewall, Error, &[FW_HYBRID, FW_LB], Traffic),
    // Egress and platform services (§17).
    entry(C::PrivateSubnetNoEgress, Error, &[DEFAULT_OUTBOUND, NAT_OVERVIEW], Settings),
    entry(C::OutboundIcmpNotSupported, Error, &[NAT_OVERVIEW, DEFAULT_OUTBOUND], Traffic),
    entry(C::PrivateSubnetInternetUdr, Error, &[DEFAULT_OUTBOUND], Settings),
    entry(C::DefaultOutboundAccessInUse, Info, &[DEFAULT_OUTBOUND], Settings),
    entry(C::NatGatewayOverriddenByUdr, Info, &[NAT_OVERVIEW], Settings),
    entry(C::NatGatewayOnUnsupportedSubnet, Error, &[NAT_OVERVIEW], Settings),
    entry(C::AppGatewayV2DefaultRouteToAppliance, Error, &[AGW_INFRA], Settings),
    entry(C::UdrOnBastionSubnet, Error, &[BASTION_FAQ], Settings),
    entry(C::BastionSubnetTooSmall, Warning, &[BASTION_FAQ], Settings),
    entry(C::PublicLoadBalancerBehindFirewallDefaultRoute, Error, &[FW_LB, FW_NAT_GATEWAY], Settings),
    entry(C::VmssNicsMissing, Warning, &[VMSS_NIC], Settings),
    // Azure Firewall (§16.7).
    entry(C::FirewallSubnetDefaultRouteNotInternet, Error, &[FW_FAQ, FW_FORCED], Settings),
    entry(C::FirewallManagementSubnetRouteInvalid, Error, &[FW_MGMT_NIC, FW_FORCED], Settings),
    entry(C::NsgOnFirewallSubnet, Warning, &[FW_FAQ], Settings),
    entry(C::FirewallSubnetTooSmall, Error, &[FW_FAQ, FW_MGMT_NIC], Settings),
    entry(C::FirewallSubnetNameInvalid, Error, &[FW_FAQ], Settings),
    entry(C::FirewallNextHopStale, Error, &[FW_KNOWN_ISSUES, UDR], Settings),
    entry(C::FirewallPolicyRuleShadowed, Warning, &[FW_RULES], Settings),
    entry(C::FirewallAppRuleShadowedByNetworkRule, Warning, &[FW_RULES], Settings),
    entry(C::FirewallFqdnNetworkRuleWithoutDnsProxy, Error, &[FW_FQDN, FW_DNS, FW_SKU], Settings),
    entry(C::FirewallDnsProxyNotUsedByClients, Warning, &[FW_DNS, FW_DNS_DETAILS], Settings),
    entry(C::FirewallChildPolicyDnsNotInherited, Warning, &[FW_KNOWN_ISSUES, FW_DNS], Settings),
    entry(C::FirewallParentNatRulesIgnored, Info, &[FW_POLICY, FW_RULES], Settings),
    entry(C::FirewallSnatRangesDropRfc1918, Warning, &[FW_SNAT], Settings),
    entry(C::FirewallClassicSnatIgnored, Warning, &[FW_SNAT], Settings),
    entry(C::FirewallIcmpToInternet, Info, &[FW_KNOWN_ISSUES], Settings),
    entry(C::FirewallSnatSourceNotAllowedByNsg, Warning, &[FW_ARCH_AGW], Settings),
    entry(C::PrivateEndpointThroughFirewallNoSnat, Error, &[PE_FIREWALL, FW_SNAT], Settings),
    entry(C::DnatWithForcedTunnel, Error, &[FW_FORCED, FW_KNOWN_ISSUES], Settings),
    entry(C::GatewaySubnetMissingSpokeRoute, Error, &[FW_HYBRID, FW_MULTI_HUB], Settings),
    entry(C::GatewaySubnetSummaryRouteShadowed, Error, &[FW_MULTI_HUB], Settings),
    entry(C::SpokePropagationBypassesFirewall, Warning, &[FW_HYBRID], Settings),
    entry(C::DirectPeeringBypassesFirewall, Info, &[FW_HYBRID], Settings),
    entry(C::VnetRangeUdrCapturesOwnSubnet, Warning, &[FW_FAQ], Settings),
    entry(C::AvnmConnectedGroupOverlap, Warning, &[AVNM_LIMITS, AVNM_CONNECTIVITY], Settings),
    entry(C::AvnmAdminDenyOverridesNsgAllow, Warning, &[AVNM_ADMIN], Settings),
    entry(C::AvnmAlwaysAllowBypassesNsgDeny, Warning, &[AVNM_ADMIN], Settings),
    entry(C::AvnmAdminRuleNotApplied, Info, &[AVNM_ADMIN, AVNM_FAQ], Settings),
    entry(C::AvnmRoutingRuleConflict, Error, &[AVNM_UDR], Settings),
    entry(C::AvnmHubGatewayMissing, Error, &[AVNM_CONNECTIVITY], Settings),
    entry(C::AvnmLimitExceeded, Warning, &[AVNM_LIMITS], Settings),
    entry(C::AvnmManagersOverlap, Warning, &[AVNM_SCOPE], Settings),
    entry(C::SubnetPeeringNonPeeredSource, Error, &[SUBNET_PEERING], Traffic),
    entry(C::SubnetPeeringNonPeeredDestination, Error, &[SUBNET_PEERING], Traffic),
    // Virtual WAN (§20.6).
    entry(C::VwanSpokePropagationDisabled, Warning, &[VWAN_ROUTING_POLICIES, VWAN_HUB_ROUTING], Settings),
    entry(C::VwanPrivateEndpointAsymmetry, Warning, &[VWAN_ROUTING_POLICIES], Settings),
    entry(C::VwanDefaultRouteNotPropagated, Warning, &[VWAN_EFFECTIVE_ROUTES, VWAN_HUB_ROUTING], Settings),
    entry(C::VwanRouteInsideSpokeSpace, Warning, &[VWAN_HUB_ROUTING], Settings),
    entry(C::VwanRoutingIntentWithCustomTables, Error, &[VWAN_ROUTING_POLICIES], Settings),
    entry(C::VwanRoutingIntentNotOnAllHubs, Warning, &[VWAN_ROUTING_POLICIES], Settings),
    entry(C::VwanSpokeHasGateway, Error, &[VWAN_CONNECT_VNET, ROUTE_SERVER_FAQ], Settings),
    entry(C::VwanDualRoleNvaEcmp, Warning, &[VWAN_ROUTING_POLICIES, VWAN_NVA_HUB], Settings),
    // Route Server peers (§19.3, RS-8).
    entry(C::RouteServerPeerAsnRefused, Error, &[ROUTE_SERVER_FAQ], Settings),
    entry(C::RouteServerPeerOverRouteLimit, Error, &[ROUTE_SERVER_FAQ], Settings),
    // Route Server restrictions (§19.6, RS-7, RS-12).
    entry(C::RouteServerBranchToBranchGatewayNotActiveActive, Error, &[RS_ER_VPN, ROUTE_SERVER_FAQ], Settings),
    entry(C::RouteServerMultiplePerVnet, Error, &[ROUTE_SERVER_FAQ], Settings),
];

/// The codes that are not doctor checks: raised by traces only, or summaries.
pub const OTHER_CODES: &[CodeInfo] = &[
    entry(C::IpForwardingDisabled, Error, &[IP_FORWARDING, DIAGNOSE], Trace),
    entry(C::NsgDenied, Error, &[NSG], Trace),
    entry(C::AvnmAdminRuleDenied, Error, &[AVNM_ADMIN], Trace),
    varies(entry(C::NoHostAtDestination, Error, &[DIAGNOSE], Trace), &[Warning]),
    entry(C::GatewayConnectionDown, Warning, &[VPN_TROUBLESHOOT], Trace),
    entry(C::PeeringAccessDisabled, Error, &[MANAGE_PEERING], Trace),
    entry(C::NoRoute, Error, &[UDR], Trace),
    entry(C::NotModelled, Warning, &[UDR], Trace),
    entry(C::DestinationNotRunning, Error, &[DIAGNOSE], Trace),
    entry(C::FirewallDeniesFlow, Error, &[FW_RULES], Trace),
    entry(C::FirewallVerdictIndeterminate, Warning, &[FW_RULES, FW_FQDN], Trace),
    entry(C::PlatformOwnedDestination, Info, &[AGW_INFRA, BASTION_FAQ, DNS_RESOLVER], Trace),
    entry(C::TrafficAnalysisSampled, Info, &[], Summary),
    entry(C::IncompleteSnapshot, Error, &[], Summary),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_exactly_one_entry() {
        for code in FindingCode::ALL {
            assert_eq!(catalogue().filter(|c| c.code == *code).count(), 1, "{code}");
        }
        assert_eq!(catalogue().count(), FindingCode::ALL.len());
    }

    #[test]
    fn checks_are_the_doctor_checks() {
        assert!(CHECKS.iter().all(CodeInfo::is_doctor_check));
        assert!(!OTHER_CODES.iter().any(CodeInfo::is_doctor_check));
    }

    /// Codes compare as their spelling does, so sorting by code sorts by name.
    #[test]
    fn code_order_is_spelling_order() {
        let mut spelled: Vec<&str> = FindingCode::ALL.iter().map(|c| c.as_str()).collect();
        spelled.sort_unstable();
        assert_eq!(spelled, FindingCode::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>());
    }
}
