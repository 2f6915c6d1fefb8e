//! The catalogue of checks: each code with its default severity, a title, the long explanation
//! `azroute doctor --explain CODE` prints, and the Azure documentation it rests on.

use azroute_engine::Severity;

/// One check of the doctor.
#[derive(Clone, Copy, Debug)]
pub struct Check {
    pub code: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    pub explanation: &'static str,
    pub docs: &'static [&'static str],
    /// Found by tracing traffic rather than by reading settings.
    pub traffic: bool,
}

const UDR: &str = "https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview";
const DIAGNOSE: &str = "https://learn.microsoft.com/azure/virtual-network/diagnose-network-routing-problem";
const PEERING: &str = "https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview";
const MANAGE_PEERING: &str = "https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering";
const TRANSIT: &str = "https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-peering-gateway-transit";
const VPN_SETTINGS: &str = "https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings#gwsub";
const IP_FORWARDING: &str = "https://learn.microsoft.com/azure/virtual-network/virtual-network-network-interface#enable-or-disable-ip-forwarding";
const FORCED_TUNNEL: &str = "https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-forced-tunneling-rm";
const PE_POLICY: &str = "https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy";
const NSG: &str = "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview";
const SERVICE_TAGS: &str = "https://learn.microsoft.com/azure/virtual-network/service-tags-overview";
const LIMITS: &str = "https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#azure-resource-manager-virtual-networking-limits";
const MANAGE_RT: &str = "https://learn.microsoft.com/azure/virtual-network/manage-route-table";
const MULTI_NIC: &str = "https://learn.microsoft.com/azure/virtual-machines/linux/multiple-nics";
const ROUTE_SERVER_FAQ: &str = "https://learn.microsoft.com/azure/route-server/route-server-faq";

pub const CHECKS: &[Check] = &[
    Check {
        code: "RouteTableNotAssociated",
        severity: Severity::Warning,
        title: "route table associated with no subnet",
        explanation: "A route table acts only on the subnets it is associated with; it is never associated with a VNet or a NIC. A table with no subnet changes nothing, which usually means the association was forgotten and traffic takes the system routes instead (the first fix the diagnose guide lists). Associate the table with the subnets whose traffic it is meant for, or delete it.",
        docs: &[DIAGNOSE, MANAGE_RT],
        traffic: false,
    },
    Check {
        code: "UdrNextHopNoForwarding",
        severity: Severity::Error,
        title: "user route to an NVA whose NIC has IP forwarding off",
        explanation: "A user route with next hop VirtualAppliance sends packets to the NVA's private IP. Azure delivers packets not addressed to a NIC only when IP forwarding is enabled on that NIC (enableIPForwarding); otherwise the platform drops them. The guest OS must forward too. Enable IP forwarding on every NIC of the NVA that receives forwarded traffic.",
        docs: &[IP_FORWARDING, DIAGNOSE],
        traffic: false,
    },
    Check {
        code: "NextHopUnreachable",
        severity: Severity::Error,
        title: "virtual-appliance next hop that Azure cannot reach",
        explanation: "A virtual-appliance next hop must be the private IP of a NIC or internal load balancer in the same VNet or a directly peered VNet. An address nobody owns, an address reachable only through a gateway, ExpressRoute or Virtual WAN, or a Basic load balancer across a global peering makes the route drop traffic.",
        docs: &[UDR, PEERING],
        traffic: false,
    },
    Check {
        code: "UdrGatewayNotVpn",
        severity: Severity::Error,
        title: "user route to VirtualNetworkGateway without a VPN gateway",
        explanation: "Next hop VirtualNetworkGateway in a user route means \"the VNet's gateway\": its own, or the hub's through gateway transit. It works only when that gateway is a VPN gateway; with no gateway, an ExpressRoute gateway, or VPN and ExpressRoute coexisting, the route is not supported and azroute models the traffic as dropped.",
        docs: &[UDR],
        traffic: false,
    },
    Check {
        code: "GatewaySubnetDefaultRoute",
        severity: Severity::Error,
        title: "0.0.0.0/0 user route on the GatewaySubnet",
        explanation: "Azure does not support a route table with a 0.0.0.0/0 route on the GatewaySubnet: the gateway's own control traffic follows it and the gateway stops working (gateway creation is even blocked with such a table). Route specific prefixes (for example spoke ranges to a firewall) instead.",
        docs: &[VPN_SETTINGS, UDR],
        traffic: false,
    },
    Check {
        code: "GatewaySubnetPropagationDisabled",
        severity: Severity::Error,
        title: "gateway route propagation disabled on the GatewaySubnet",
        explanation: "BGP route propagation must stay enabled on the GatewaySubnet's route table; with disableBgpRoutePropagation = true the gateway stops functioning correctly.",
        docs: &[VPN_SETTINGS, UDR],
        traffic: false,
    },
    Check {
        code: "NsgOnGatewaySubnet",
        severity: Severity::Error,
        title: "network security group on the GatewaySubnet",
        explanation: "Network security groups are not supported on the GatewaySubnet; one may stop the gateway from working.",
        docs: &[VPN_SETTINGS],
        traffic: false,
    },
    Check {
        code: "UdrOrNsgOnRouteServerSubnet",
        severity: Severity::Error,
        title: "route table or NSG on the RouteServerSubnet",
        explanation: "Azure Route Server's subnet supports neither a route table nor a network security group.",
        docs: &[ROUTE_SERVER_FAQ],
        traffic: false,
    },
    Check {
        code: "PeeringNotConnected",
        severity: Severity::Error,
        title: "peering that is not Connected on both sides",
        explanation: "A peering carries traffic only when both peering objects exist and are Connected. Created on one side only it stays Initiated; with one side deleted the other shows Disconnected. Until then neither VNet has a route to the other, so traffic falls into a reserved None route or the Internet route.",
        docs: &[MANAGE_PEERING, DIAGNOSE],
        traffic: false,
    },
    Check {
        code: "UseRemoteGatewaysMissing",
        severity: Severity::Error,
        title: "gateway transit configured on one side only",
        explanation: "A spoke gets the hub gateway's routes (on-premises prefixes) only when the hub's peering allows gateway transit and the spoke's peering uses remote gateways. With only one of the flags, the spoke has no route to on-premises and its ranges are not advertised there.",
        docs: &[TRANSIT, PEERING],
        traffic: false,
    },
    Check {
        code: "ForwardedTrafficNotAllowed",
        severity: Severity::Error,
        title: "peering refuses traffic an NVA forwards",
        explanation: "A packet that an NVA forwards across a peering keeps its original source, which is outside the sending VNet. The receiving VNet's peering accepts such packets only with allowForwardedTraffic. Hub-and-spoke designs that route spoke to spoke through a hub NVA need it on the spokes' peerings.",
        docs: &[MANAGE_PEERING],
        traffic: true,
    },
    Check {
        code: "ForcedTunnelBreaksInbound",
        severity: Severity::Error,
        title: "forced tunnelling on a subnet whose VMs have public IPs",
        explanation: "When a subnet's 0.0.0.0/0 route points at an NVA or a gateway (forced tunnelling), replies to clients that reached a VM on its public IP leave through that device instead of the Internet; the client sees another source address and RDP, SSH or HTTPS to the public IP fails. Publish the VM through the device (DNAT) or route the clients' prefixes to the Internet.",
        docs: &[DIAGNOSE, FORCED_TUNNEL],
        traffic: false,
    },
    Check {
        code: "PrivateEndpointBypassesFirewall",
        severity: Severity::Warning,
        title: "private endpoint routes bypass a 0.0.0.0/0 firewall route",
        explanation: "Each private endpoint adds a /32 system route to its VNet and directly peered VNets. By longest-prefix match it wins over a 0.0.0.0/0 route to a firewall, so traffic to the endpoint skips inspection. Enable route-table network policies on the endpoint's subnet and add a user route for its range via the firewall (and SNAT there for symmetric replies).",
        docs: &[PE_POLICY],
        traffic: false,
    },
    Check {
        code: "PeUdrIneffectiveNoPolicy",
        severity: Severity::Warning,
        title: "user route meant for a private endpoint without network policies",
        explanation: "A user route at least as long as the private endpoint VNet's range invalidates the endpoint's /32 route only when the endpoint's subnet applies route tables to private endpoints (privateEndpointNetworkPolicies Enabled or RouteTableEnabled). Without that, the /32 route stays Active and the user route does not steer endpoint traffic.",
        docs: &[PE_POLICY],
        traffic: false,
    },
    Check {
        code: "BgpRouteShadowedBySystemRoute",
        severity: Severity::Info,
        title: "gateway route more specific than a VNet or peering range",
        explanation: "System routes for the VNet's own ranges, its peerings and service endpoints are preferred over BGP routes even when the BGP route is more specific. A learned route inside such a range is listed but never used; steering that traffic needs a user route.",
        docs: &[UDR, ROUTE_SERVER_FAQ],
        traffic: false,
    },
    Check {
        code: "UserRouteInvalid",
        severity: Severity::Warning,
        title: "user route made Invalid by another route",
        explanation: "When several routes have the identical prefix, Azure keeps one (user over gateway over system; among service-tag routes the more specific tag) and lists the others as Invalid. An Invalid user route does nothing.",
        docs: &[UDR],
        traffic: false,
    },
    Check {
        code: "UserRouteShadowed",
        severity: Severity::Warning,
        title: "user route never used",
        explanation: "A user route that no destination ever selects, because more specific routes cover its whole prefix or a service-endpoint route takes precedence, has no effect. Remove it or change the routes that shadow it.",
        docs: &[UDR],
        traffic: false,
    },
    Check {
        code: "NoneRouteBlackholesRange",
        severity: Severity::Warning,
        title: "user None route dropping a peered, local or on-premises range",
        explanation: "A user route with next hop None drops matching traffic. When its prefix covers the VNet's own space, a peered VNet or an on-premises range, traffic there is black-holed; confirm this is intended.",
        docs: &[UDR],
        traffic: false,
    },
    Check {
        code: "OverlappingAddressSpace",
        severity: Severity::Error,
        title: "overlapping address spaces",
        explanation: "Peered VNets must not overlap (peering creation fails with VnetAddressSpacesOverlap), and an on-premises prefix that overlaps a VNet it serves is never reached for the overlapping part: the VNet's own route wins.",
        docs: &[PEERING, UDR],
        traffic: false,
    },
    Check {
        code: "RouteLimitExceeded",
        severity: Severity::Warning,
        title: "route table near or over its route limit",
        explanation: "Azure limits the routes of a route table (400 in the limits page, 600 by default in newer documentation, 1,000 for tables managed by Virtual Network Manager). azroute warns above 400 and reports an error above 600.",
        docs: &[LIMITS, UDR],
        traffic: false,
    },
    Check {
        code: "ServiceTagRouteLimit",
        severity: Severity::Error,
        title: "more than 25 service-tag routes in a route table",
        explanation: "A route table may hold at most 25 routes whose prefix is a service tag.",
        docs: &[UDR],
        traffic: false,
    },
    Check {
        code: "DuplicatePrefixInRouteTable",
        severity: Severity::Error,
        title: "the same prefix twice in one route table",
        explanation: "Within one route table an address prefix may appear only once; Azure refuses a second route for it. azroute keeps the first and lists the second as Invalid.",
        docs: &[MANAGE_RT],
        traffic: false,
    },
    Check {
        code: "MultiNicGuestRouteMissing",
        severity: Severity::Warning,
        title: "traffic expected on a secondary NIC of a multi-NIC VM",
        explanation: "Inside the guest OS only the primary NIC gets a default route. When a route sends traffic to a secondary NIC (a typical two-armed NVA), the guest needs its own routes so the traffic leaves by the right interface; otherwise it leaves by the primary NIC or is dropped.",
        docs: &[DIAGNOSE, MULTI_NIC],
        traffic: false,
    },
    Check {
        code: "VirtualNetworkTagIncludesDefault",
        severity: Severity::Warning,
        title: "VirtualNetwork service tag widened to 0.0.0.0/0 by a user route",
        explanation: "The VirtualNetwork service tag includes the prefixes of the subnet's user routes. With a 0.0.0.0/0 route it matches every address, so the default rules AllowVnetInBound and AllowVnetOutBound allow traffic from and to anywhere, and a rule written for \"the VNet\" covers the Internet.",
        docs: &[SERVICE_TAGS, NSG],
        traffic: false,
    },
    Check {
        code: "NvaInSameSubnetLoop",
        severity: Severity::Error,
        title: "NVA in the subnet whose traffic it receives",
        explanation: "When a route table sends a subnet's traffic to an NVA that sits in that same subnet, the NVA's own forwarded traffic matches the same route and comes back to it: a loop. Put the NVA in a different subnet, or give its subnet a table without that route.",
        docs: &[UDR],
        traffic: false,
    },
    Check {
        code: "NsgBlocksProbe",
        severity: Severity::Warning,
        title: "NSG rule blocks load-balancer health probes",
        explanation: "Health probes come from 168.63.129.16, which the VirtualNetwork tag and `*` include. A Deny rule that matches it before AllowAzureLoadBalancerInBound (priority 65001) makes every backend look unhealthy.",
        docs: &[NSG],
        traffic: false,
    },
    Check {
        code: "GatewayRoutesSuppressed",
        severity: Severity::Info,
        title: "gateway routes not propagated to a subnet",
        explanation: "A route table with disableBgpRoutePropagation = true keeps gateway routes (BGP and local network gateway prefixes) out of its subnets. That is often intended (everything goes to a firewall), but then on-premises traffic needs user routes.",
        docs: &[UDR],
        traffic: false,
    },
    Check {
        code: "EffectiveRoutesRequireRunningVm",
        severity: Severity::Info,
        title: "VM not running",
        explanation: "Azure returns effective routes, next hop and IP flow verify only for running VMs. azroute answers from configuration regardless.",
        docs: &[DIAGNOSE],
        traffic: false,
    },
    Check {
        code: "ServiceTagNotExpanded",
        severity: Severity::Warning,
        title: "service-tag route that could not be expanded",
        explanation: "Service-endpoint routes and user routes with a service tag as prefix need Azure's Service Tags file to know their prefixes. Without it those routes take no part in lookups, and answers for Azure service addresses may differ from Azure's.",
        docs: &[SERVICE_TAGS],
        traffic: false,
    },
    Check {
        code: "AsymmetricPath",
        severity: Severity::Error,
        title: "asymmetric path through a stateful NVA",
        explanation: "A stateful firewall or NVA drops packets of connections it did not see start. When one direction between two subnets passes an NVA and the other does not (or passes another one), connections fail. Add matching user routes on both sides, or SNAT at the NVA.",
        docs: &[UDR],
        traffic: true,
    },
    Check {
        code: "RoutingLoop",
        severity: Severity::Error,
        title: "routing loop between NVAs",
        explanation: "User routes that send a prefix from one NVA to another and back make packets circle until their TTL runs out.",
        docs: &[UDR],
        traffic: true,
    },
    Check {
        code: "DroppedByNoneRoute",
        severity: Severity::Error,
        title: "traffic an NVA path drops",
        explanation: "A packet sent along a user route (to an NVA) ends in a None route further on: the path the route promises does not exist.",
        docs: &[UDR],
        traffic: true,
    },
    Check {
        code: "NonTransitivePeering",
        severity: Severity::Warning,
        title: "destination reachable only through a peer of a peer",
        explanation: "VNet peering is not transitive: A peered with B and B with C gives A no route to C. Peer directly, or route through an NVA in the middle with user routes on both sides.",
        docs: &[PEERING],
        traffic: true,
    },
    Check {
        code: "PrivateDestinationToInternet",
        severity: Severity::Error,
        title: "private destination sent to the Internet",
        explanation: "A private destination matched the Internet route (possible when the reserved None routes were removed by a 0.0.0.0/0 override); the packet is lost.",
        docs: &[UDR],
        traffic: true,
    },
];

/// Summary finding codes that are not checks themselves.
pub const TRAFFIC_SAMPLED: &str = "TrafficAnalysisSampled";

pub fn find(code: &str) -> Option<&'static Check> {
    CHECKS.iter().find(|c| c.code.eq_ignore_ascii_case(code))
}
