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
    AsymmetricPath,
    AsymmetricThroughFirewall,
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
    IncompleteSnapshot,
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
