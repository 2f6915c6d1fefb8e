//! The stable code of every finding: one enum for traces, the doctor and the reachability
//! matrix, spelled in PascalCase in every output.

use std::fmt;

macro_rules! finding_codes {
    ($($code:ident),* $(,)?) => {
        /// A finding's stable code. Its spelling (`as_str`) never changes: users filter on it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum FindingCode {
            $($code,)*
        }

        impl FindingCode {
            /// Every code.
            pub const ALL: &'static [FindingCode] = &[$(FindingCode::$code,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(FindingCode::$code => stringify!($code),)*
                }
            }
        }
    };
}

finding_codes! {
    AppGatewayV2DefaultRouteToAppliance,
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
    BastionSubnetTooSmall,
    BgpRouteShadowedBySystemRoute,
    DefaultOutboundAccessInUse,
    DestinationNotRunning,
    DirectPeeringBypassesFirewall,
    DnatWithForcedTunnel,
    DroppedByNoneRoute,
    DuplicatePrefixInRouteTable,
    EffectiveRoutesRequireRunningVm,
    FirewallAppRuleShadowedByNetworkRule,
    FirewallChildPolicyDnsNotInherited,
    FirewallClassicSnatIgnored,
    FirewallDeniesFlow,
    FirewallDnsProxyNotUsedByClients,
    FirewallFqdnNetworkRuleWithoutDnsProxy,
    FirewallIcmpToInternet,
    FirewallManagementSubnetRouteInvalid,
    FirewallNextHopStale,
    FirewallParentNatRulesIgnored,
    FirewallPolicyRuleShadowed,
    FirewallSnatRangesDropRfc1918,
    FirewallSnatSourceNotAllowedByNsg,
    FirewallSubnetDefaultRouteNotInternet,
    FirewallSubnetNameInvalid,
    FirewallSubnetTooSmall,
    FirewallVerdictIndeterminate,
    ForcedTunnelBreaksInbound,
    ForcedTunnelNoDefaultSite,
    ForwardedTrafficNotAllowed,
    GatewayConnectionDown,
    GatewayRoutesSuppressed,
    GatewaySubnetDefaultRoute,
    GatewaySubnetMissingSpokeRoute,
    GatewaySubnetPropagationDisabled,
    GatewaySubnetSummaryRouteShadowed,
    IncompleteSnapshot,
    IpForwardingDisabled,
    MultiNicGuestRouteMissing,
    NatGatewayOnUnsupportedSubnet,
    NatGatewayOverriddenByUdr,
    NextHopUnreachable,
    NoHostAtDestination,
    NoRoute,
    NonTransitivePeering,
    NoneRouteBlackholesRange,
    NotModelled,
    NsgBlocksForwardedTraffic,
    NsgBlocksProbe,
    NsgDenied,
    NsgOnFirewallSubnet,
    NsgOnGatewaySubnet,
    NvaInSameSubnetLoop,
    NvaNotRunning,
    OutboundIcmpNotSupported,
    OverlappingAddressSpace,
    PeUdrIneffectiveNoPolicy,
    PeeringAccessDisabled,
    PeeringNotConnected,
    PlatformOwnedDestination,
    PrivateDestinationToInternet,
    PrivateEndpointBypassesFirewall,
    PrivateEndpointThroughFirewallNoSnat,
    PrivateSubnetInternetUdr,
    PrivateSubnetNoEgress,
    PublicLoadBalancerBehindFirewallDefaultRoute,
    RouteLimitExceeded,
    RouteServerBranchToBranchDisabled,
    RouteServerBranchToBranchGatewayNotActiveActive,
    RouteServerDefaultRouteSelfLoop,
    RouteServerMultiplePerVnet,
    RouteServerPeerAsnRefused,
    RouteServerPeerOverRouteLimit,
    RouteServerPrefixTooSpecific,
    RouteServerRouteDroppedAsPath65515,
    RouteServerSingleInstancePeer,
    RouteTableNotAssociated,
    RouteTableRegionMismatch,
    RoutingLoop,
    ServiceTagNotExpanded,
    ServiceTagRouteLimit,
    SpokePropagationBypassesFirewall,
    SubnetPeeringNonPeeredDestination,
    SubnetPeeringNonPeeredSource,
    TrafficAnalysisSampled,
    UdrGatewayNotVpn,
    UdrNextHopNoForwarding,
    UdrOnBastionSubnet,
    UdrOrNsgOnRouteServerSubnet,
    UseRemoteGatewaysMissing,
    UserRouteInvalid,
    UserRouteShadowed,
    VirtualNetworkTagIncludesDefault,
    VmssNicsMissing,
    VnetRangeUdrCapturesOwnSubnet,
    VwanDefaultRouteNotPropagated,
    VwanDualRoleNvaEcmp,
    VwanPrivateEndpointAsymmetry,
    VwanRouteInsideSpokeSpace,
    VwanRoutingIntentNotOnAllHubs,
    VwanRoutingIntentWithCustomTables,
    VwanSpokeHasGateway,
    VwanSpokePropagationDisabled,
}

impl FindingCode {
    /// Reads a code in any case.
    pub fn parse(text: &str) -> Option<FindingCode> {
        FindingCode::ALL.iter().copied().find(|c| c.as_str().eq_ignore_ascii_case(text))
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
