//! The titles and long explanations of the codes (`azroute doctor --explain CODE`, SARIF
//! rules): the words for the catalogue's data.

use azroute_engine::FindingCode;

/// A code's words.
struct CodeText {
    code: FindingCode,
    /// What it finds, in a few words.
    title: &'static str,
    /// What it means, why Azure behaves so, and what to do.
    explanation: &'static str,
}

/// A code's title: what it finds, in a few words.
pub fn title(code: FindingCode) -> &'static str {
    text(code).title
}

/// What a code means, why Azure behaves so, and what to do.
pub fn explanation(code: FindingCode) -> &'static str {
    text(code).explanation
}

fn text(code: FindingCode) -> &'static CodeText {
    TEXTS.iter().find(|t| t.code == code).expect("every code has its words")
}

/// When a code's findings take another severity than its default (the catalogue's
/// `other_severities`), in words: `--explain`, the README's table and the rules reference say it.
pub fn severity_rule(code: FindingCode) -> Option<&'static str> {
    let rule = match code {
        FindingCode::UseRemoteGatewaysMissing => "warning when the hub offers transit the spoke does not use",
        FindingCode::OverlappingAddressSpace => "warning for an on-premises prefix inside the VNet it serves",
        FindingCode::RouteLimitExceeded => "error past the enforced limit",
        FindingCode::VirtualNetworkTagIncludesDefault => "info when no custom rule names the tag",
        FindingCode::GatewayRoutesSuppressed => "error on a traced path it breaks",
        FindingCode::NoHostAtDestination => "warning when the destination's VNet is not exported",
        _ => return None,
    };
    Some(rule)
}

const TEXTS: &[CodeText] = &[
    CodeText {
        code: FindingCode::RouteTableNotAssociated,
        title: "route table associated with no subnet",
        explanation: "A route table acts only on the subnets it is associated with; it is never associated with a VNet or a NIC. A table with no subnet changes nothing, which usually means the association was forgotten and traffic takes the system routes instead (the first fix the diagnose guide lists). Associate the table with the subnets whose traffic it is meant for, or delete it.",
    },
    CodeText {
        code: FindingCode::UdrNextHopNoForwarding,
        title: "user route to an NVA whose NIC has IP forwarding off",
        explanation: "A user route with next hop VirtualAppliance sends packets to the NVA's private IP. Azure delivers packets not addressed to a NIC only when IP forwarding is enabled on that NIC (enableIPForwarding); otherwise the platform drops them. The guest OS must forward too. Enable IP forwarding on every NIC of the NVA that receives forwarded traffic.",
    },
    CodeText {
        code: FindingCode::RouteTableRegionMismatch,
        title: "route table associated with a subnet of another region or subscription",
        explanation: "Azure associates a route table only with subnets of virtual networks in the same region and subscription as the table, and refuses any other association. A snapshot that holds one (a Terraform plan, an edited export) describes a network Azure will not build: the apply fails, and the routes azroute computes for the subnet are not what it will get. Create the route table in the VNet's region and subscription.",
    },
    CodeText {
        code: FindingCode::NvaNotRunning,
        title: "user route to an NVA whose VM is not running",
        explanation: "A stopped or deallocated VM forwards nothing: every packet a user route sends to its address is lost, although the route stays Active in the effective routes (a route does not fail over by itself). The doctor reports the route; a trace or a reach cell that reaches the NVA is dropped there. azroute reads the VM's power state from the export (`az vm list -d`, or the instance view); without it the VM is assumed running and the answer says so under its assumptions. Start the VM, or route around it (another NVA, or a load balancer with a health probe in front of several).",
    },
    CodeText {
        code: FindingCode::NsgBlocksForwardedTraffic,
        title: "NSG on an NVA denies the traffic routed through it",
        explanation: "NSGs associated with an NVA's NIC or subnet filter the packets it forwards like any other: inbound as they arrive from the routed subnet, outbound as they leave towards the destination. A Deny rule there (DenyAllInBound left in place, a rule written for management traffic only) drops the traffic a user route sends through the NVA, while the routes look right. Allow the routed subnets' traffic on the NVA's NSGs (the doctor checks TCP/443 from each routed subnet to an address of the route's prefix).",
    },
    CodeText {
        code: FindingCode::NextHopUnreachable,
        title: "virtual-appliance next hop that Azure cannot reach",
        explanation: "A virtual-appliance next hop must be the private IP of a NIC or internal load balancer in the same VNet or a directly peered VNet. An address nobody owns, an address reachable only through a gateway, ExpressRoute or Virtual WAN, or a Basic load balancer across a global peering makes the route drop traffic.",
    },
    CodeText {
        code: FindingCode::UdrGatewayNotVpn,
        title: "user route to VirtualNetworkGateway without a VPN gateway",
        explanation: "Next hop VirtualNetworkGateway in a user route means \"the VNet's gateway\": its own, or the hub's through gateway transit. It works only when that gateway is a VPN gateway; with no gateway, an ExpressRoute gateway, or VPN and ExpressRoute coexisting, the route is not supported and azroute models the traffic as dropped.",
    },
    CodeText {
        code: FindingCode::GatewaySubnetDefaultRoute,
        title: "0.0.0.0/0 user route on the GatewaySubnet",
        explanation: "Azure does not support a route table with a 0.0.0.0/0 route on the GatewaySubnet: the gateway's own control traffic follows it and the gateway stops working (gateway creation is even blocked with such a table). Route specific prefixes (for example spoke ranges to a firewall) instead.",
    },
    CodeText {
        code: FindingCode::GatewaySubnetPropagationDisabled,
        title: "gateway route propagation disabled on the GatewaySubnet",
        explanation: "BGP route propagation must stay enabled on the GatewaySubnet's route table; with disableBgpRoutePropagation = true the gateway stops functioning correctly.",
    },
    CodeText {
        code: FindingCode::NsgOnGatewaySubnet,
        title: "network security group on the GatewaySubnet",
        explanation: "Network security groups are not supported on the GatewaySubnet; one may stop the gateway from working.",
    },
    CodeText {
        code: FindingCode::UdrOrNsgOnRouteServerSubnet,
        title: "route table or NSG on the RouteServerSubnet",
        explanation: "Azure Route Server's subnet supports neither a route table nor a network security group.",
    },
    CodeText {
        code: FindingCode::RouteServerSingleInstancePeer,
        title: "NVA peered with one Route Server instance only",
        explanation: "Azure Route Server runs two instances, each with its own address (virtualRouterIps), and programs the routes each instance learns. An NVA that peers with one of them only gives inconsistent programming: some VMs receive its routes and others do not. azroute sees it in the learned-routes file: a prefix on RouteServiceRole_IN_0 missing from RouteServiceRole_IN_1, or the other way round. Configure BGP sessions from the NVA to both Route Server addresses.",
    },
    CodeText {
        code: FindingCode::RouteServerRouteDroppedAsPath65515,
        title: "Route Server peer route dropped: AS path holds 65515",
        explanation: "65515 is the ASN of Azure's own routers (Route Server, VPN and ExpressRoute gateways). BGP loop prevention makes Route Server drop any route whose AS path already holds it, silently: the route is in the NVA's advertisement and in no effective route table. Advertise the prefix without 65515 in the AS path (as-override, or a route map that replaces it).",
    },
    CodeText {
        code: FindingCode::RouteServerDefaultRouteSelfLoop,
        title: "NVA's default route via Route Server loops back to the NVA",
        explanation: "A 0.0.0.0/0 an NVA advertises to Route Server is programmed on every subnet of the VNet, the NVA's own subnet included, so the NVA's own Internet-bound traffic is sent back to it. Put a route table on the NVA's subnet with a user route 0.0.0.0/0 to Internet: a user route beats the BGP route of the identical prefix.",
    },
    CodeText {
        code: FindingCode::RouteServerPrefixTooSpecific,
        title: "Route Server peer prefix inside the VNet, never programmed",
        explanation: "Route Server neither programs nor advertises a learned route whose prefix is equal to or longer than the virtual network's address space: BGP cannot steer traffic inside a VNet, where the VNet, peering and service-endpoint system routes always win. Supernets are programmed (10.0.0.0/8 over a 10.0.0.0/16 VNet). Advertise a shorter prefix, or use a user route for traffic inside the VNet.",
    },
    CodeText {
        code: FindingCode::RouteServerBranchToBranchDisabled,
        title: "Route Server beside a gateway without branch-to-branch",
        explanation: "With allowBranchToBranchTraffic false (the default), Route Server does not exchange routes between its BGP peers and the VPN or ExpressRoute gateways of its VNet: on-premises does not learn the prefixes the NVAs advertise, and the NVAs do not learn the on-premises prefixes. Routes inside Azure are unaffected. Enable branch-to-branch if the NVAs and on-premises should exchange routes (the VPN gateway must be active-active with ASN 65515).",
    },
    CodeText {
        code: FindingCode::PeeringNotConnected,
        title: "peering that is not Connected on both sides",
        explanation: "A peering carries traffic only when both peering objects exist and are Connected. Created on one side only it stays Initiated; with one side deleted the other shows Disconnected. Until then neither VNet has a route to the other, so traffic falls into a reserved None route or the Internet route.",
    },
    CodeText {
        code: FindingCode::UseRemoteGatewaysMissing,
        title: "gateway transit configured on one side only",
        explanation: "A spoke gets the hub gateway's routes (on-premises prefixes) only when the hub's peering allows gateway transit and the spoke's peering uses remote gateways. With only one of the flags, the spoke has no route to on-premises and its ranges are not advertised there.",
    },
    CodeText {
        code: FindingCode::ForcedTunnelNoDefaultSite,
        title: "forced tunnelling to a VPN gateway without a default site",
        explanation: "A user route to VirtualNetworkGateway sends traffic into the VPN gateway; destinations that none of the gateway's on-premises prefixes holds (a 0.0.0.0/0 route's Internet traffic) leave only by the gateway's default site (gatewayDefaultSite, on a route-based gateway) or by a 0.0.0.0/0 learned over BGP. With neither, the gateway has nowhere to send them and they are dropped: the doctor reports the 0.0.0.0/0 route, a trace or a reach cell drops there. Set the default site (`az network vnet-gateway update --gateway-default-site`, or Terraform's default_local_network_gateway_id), advertise 0.0.0.0/0 from on-premises over BGP, or route 0.0.0.0/0 elsewhere. A BGP gateway whose learned routes are not exported is not judged.",
    },
    CodeText {
        code: FindingCode::ForwardedTrafficNotAllowed,
        title: "peering refuses traffic an NVA forwards",
        explanation: "A packet that an NVA forwards across a peering keeps its original source, which is outside the sending VNet. The receiving VNet's peering accepts such packets only with allowForwardedTraffic. Hub-and-spoke designs that route spoke to spoke through a hub NVA need it on the spokes' peerings.",
    },
    CodeText {
        code: FindingCode::ForcedTunnelBreaksInbound,
        title: "forced tunnelling on a subnet whose VMs have public IPs",
        explanation: "When a subnet's 0.0.0.0/0 route points at an NVA or a gateway (forced tunnelling), replies to clients that reached a VM on its public IP leave through that device instead of the Internet; the client sees another source address and RDP, SSH or HTTPS to the public IP fails. Publish the VM through the device (DNAT) or route the clients' prefixes to the Internet.",
    },
    CodeText {
        code: FindingCode::PrivateEndpointBypassesFirewall,
        title: "private endpoint routes bypass a 0.0.0.0/0 firewall route",
        explanation: "Each private endpoint adds a /32 system route to its VNet and directly peered VNets. By longest-prefix match it wins over a 0.0.0.0/0 route to a firewall, so traffic to the endpoint skips inspection. Enable route-table network policies on the endpoint's subnet and add a user route for its range via the firewall (and SNAT there for symmetric replies).",
    },
    CodeText {
        code: FindingCode::PeUdrIneffectiveNoPolicy,
        title: "user route meant for a private endpoint without network policies",
        explanation: "A user route at least as long as the private endpoint VNet's range invalidates the endpoint's /32 route only when the endpoint's subnet applies route tables to private endpoints (privateEndpointNetworkPolicies Enabled or RouteTableEnabled). Without that, the /32 route stays Active and the user route does not steer endpoint traffic.",
    },
    CodeText {
        code: FindingCode::BgpRouteShadowedBySystemRoute,
        title: "gateway route more specific than a VNet or peering range",
        explanation: "System routes for the VNet's own ranges, its peerings and service endpoints are preferred over BGP routes even when the BGP route is more specific. A learned route inside such a range is listed but never used; steering that traffic needs a user route.",
    },
    CodeText {
        code: FindingCode::UserRouteInvalid,
        title: "user route made Invalid by another route",
        explanation: "When several routes have the identical prefix, Azure keeps one (user over gateway over system; among service-tag routes the more specific tag) and lists the others as Invalid. An Invalid user route does nothing.",
    },
    CodeText {
        code: FindingCode::UserRouteShadowed,
        title: "user route never used",
        explanation: "A user route that no destination ever selects, because more specific routes cover its whole prefix or a service-endpoint route takes precedence, has no effect. Remove it or change the routes that shadow it.",
    },
    CodeText {
        code: FindingCode::NoneRouteBlackholesRange,
        title: "user None route dropping a peered, local or on-premises range",
        explanation: "A user route with next hop None drops matching traffic. When its prefix covers the VNet's own space, a peered VNet or an on-premises range, traffic there is black-holed; confirm this is intended.",
    },
    CodeText {
        code: FindingCode::OverlappingAddressSpace,
        title: "overlapping address spaces",
        explanation: "Peered VNets must not overlap (peering creation fails with VnetAddressSpacesOverlap), and an on-premises prefix that overlaps a VNet it serves is never reached for the overlapping part: the VNet's own route wins.",
    },
    CodeText {
        code: FindingCode::RouteLimitExceeded,
        title: "route table near or over its route limit",
        explanation: "Azure limits the routes of a route table (400 in the limits page, 600 by default in newer documentation, 1,000 for tables managed by Virtual Network Manager). azroute warns above 400 and reports an error above 600.",
    },
    CodeText {
        code: FindingCode::ServiceTagRouteLimit,
        title: "more than 25 service-tag routes in a route table",
        explanation: "A route table may hold at most 25 routes whose prefix is a service tag.",
    },
    CodeText {
        code: FindingCode::DuplicatePrefixInRouteTable,
        title: "the same prefix twice in one route table",
        explanation: "Within one route table an address prefix may appear only once; Azure refuses a second route for it. azroute keeps the first and lists the second as Invalid.",
    },
    CodeText {
        code: FindingCode::MultiNicGuestRouteMissing,
        title: "traffic expected on a secondary NIC of a multi-NIC VM",
        explanation: "Inside the guest OS only the primary NIC gets a default route. When a route sends traffic to a secondary NIC (a typical two-armed NVA), the guest needs its own routes so the traffic leaves by the right interface; otherwise it leaves by the primary NIC or is dropped.",
    },
    CodeText {
        code: FindingCode::VirtualNetworkTagIncludesDefault,
        title: "VirtualNetwork service tag widened to 0.0.0.0/0 by a user route",
        explanation: "The VirtualNetwork service tag includes the prefixes of the subnet's user routes. With a 0.0.0.0/0 route it matches every address, so the default rules AllowVnetInBound and AllowVnetOutBound allow traffic from and to anywhere, and a rule written for \"the VNet\" covers the Internet.",
    },
    CodeText {
        code: FindingCode::NvaInSameSubnetLoop,
        title: "NVA in the subnet whose traffic it receives",
        explanation: "When a route table sends a subnet's traffic to an NVA that sits in that same subnet, the NVA's own forwarded traffic matches the same route and comes back to it: a loop. Put the NVA in a different subnet, or give its subnet a table without that route.",
    },
    CodeText {
        code: FindingCode::NsgBlocksProbe,
        title: "NSG rule blocks load-balancer health probes",
        explanation: "Health probes come from 168.63.129.16, which the VirtualNetwork tag and `*` include. A Deny rule that matches it before AllowAzureLoadBalancerInBound (priority 65001) makes every backend look unhealthy.",
    },
    CodeText {
        code: FindingCode::GatewayRoutesSuppressed,
        title: "gateway routes not propagated to a subnet",
        explanation: "A route table with disableBgpRoutePropagation = true keeps gateway routes (BGP and local network gateway prefixes) out of its subnets. That is often intended (everything goes to a firewall), but then on-premises traffic needs user routes.",
    },
    CodeText {
        code: FindingCode::EffectiveRoutesRequireRunningVm,
        title: "VM not running",
        explanation: "Azure returns effective routes, next hop and IP flow verify only for running VMs. azroute answers from configuration regardless.",
    },
    CodeText {
        code: FindingCode::ServiceTagNotExpanded,
        title: "service-tag route that could not be expanded",
        explanation: "Service-endpoint routes and user routes with a service tag as prefix need Azure's Service Tags file to know their prefixes. Without it those routes take no part in lookups, and answers for Azure service addresses may differ from Azure's.",
    },
    CodeText {
        code: FindingCode::AsymmetricPath,
        title: "asymmetric path through a stateful NVA",
        explanation: "A stateful firewall or NVA drops packets of connections it did not see start. When one direction between two subnets passes an NVA and the other does not (or passes another one), connections fail. Add matching user routes on both sides, or SNAT at the NVA.",
    },
    CodeText {
        code: FindingCode::AsymmetricThroughFirewall,
        title: "flow through an Azure Firewall whose reply skips it",
        explanation: "Azure Firewall is stateful. A flow it does not SNAT (network rules to destinations in its private-range list, by default RFC 1918 and RFC 6598 space) keeps its source address, so the reply follows the destination's own routes; unless those send the source's prefix to the firewall, the firewall sees one direction only and the connection fails. Route the source's prefix to the firewall on the reply side too (spokes: a 0.0.0.0/0 or spoke-prefix user route; GatewaySubnet: a user route per spoke prefix), or make the firewall SNAT the traffic.",
    },
    CodeText {
        code: FindingCode::FirewallDeniesFlow,
        title: "Azure Firewall denies the flow",
        explanation: "Azure Firewall processes DNAT rules, then network rules, then application rules (HTTP, HTTPS, MSSQL), parent policy first, then by rule collection group and rule collection priority; the first collection with a matching rule decides, and a flow no rule matches is denied. The finding names the deciding collection and rule, or the default deny. Allow the flow in a collection processed earlier, or change the deny.",
    },
    CodeText {
        code: FindingCode::FirewallVerdictIndeterminate,
        title: "Azure Firewall verdict the snapshot cannot decide",
        explanation: "A rule that may match could not be decided offline: an application rule matches the host name (HTTP Host or TLS SNI), which a 5-tuple does not carry (give it with --fqdn); a network rule names FQDNs (resolved by the firewall's DNS proxy); an IP group, service tag, policy or rule collection group is missing from the snapshot; FQDN tags and web categories need Microsoft's catalogues. azroute stops rather than guess.",
    },
    CodeText {
        code: FindingCode::RoutingLoop,
        title: "routing loop between NVAs",
        explanation: "User routes that send a prefix from one NVA to another and back make packets circle until their TTL runs out.",
    },
    CodeText {
        code: FindingCode::DroppedByNoneRoute,
        title: "traffic an NVA path drops",
        explanation: "A packet sent along a user route (to an NVA) ends in a None route further on: the path the route promises does not exist.",
    },
    CodeText {
        code: FindingCode::NonTransitivePeering,
        title: "destination reachable only through a peer of a peer",
        explanation: "VNet peering is not transitive: A peered with B and B with C gives A no route to C. Peer directly, or route through an NVA in the middle with user routes on both sides.",
    },
    CodeText {
        code: FindingCode::PrivateDestinationToInternet,
        title: "private destination sent to the Internet",
        explanation: "A private destination matched the Internet route (possible when the reserved None routes were removed by a 0.0.0.0/0 override); the packet is lost.",
    },
    // The doctor's Azure Firewall checks (§16.7).
    CodeText {
        code: FindingCode::FirewallSubnetDefaultRouteNotInternet,
        title: "AzureFirewallSubnet's default route does not go to the Internet",
        explanation: "Azure Firewall must have direct Internet connectivity. Without a management IP configuration, a route table on AzureFirewallSubnet must hold 0.0.0.0/0 with next hop Internet (Azure refuses the association otherwise: AzureFirewallSubnetRouteTableMustHaveDefaultRouteToInternet), and a default route learned by BGP must be overridden by that user route. A split pair 0.0.0.0/1 + 128.0.0.0/1 passes the validation but forces the traffic elsewhere all the same. Forced tunnelling needs the firewall's management IP configuration (AzureFirewallManagementSubnet).",
    },
    CodeText {
        code: FindingCode::FirewallManagementSubnetRouteInvalid,
        title: "invalid route table on AzureFirewallManagementSubnet",
        explanation: "The management subnet carries the firewall's own control traffic to Azure. The only route allowed there is a default route to the Internet, and gateway route propagation must be disabled; anything else cuts the firewall off from its management plane.",
    },
    CodeText {
        code: FindingCode::NsgOnFirewallSubnet,
        title: "NSG on a firewall subnet",
        explanation: "Subnet-level NSGs are not required on AzureFirewallSubnet and are disabled to ensure no service interruption; the platform refuses to associate one with AzureFirewallSubnet or AzureFirewallManagementSubnet. A snapshot holding one is inconsistent or hand-made. Filter with the firewall's own rules.",
    },
    CodeText {
        code: FindingCode::FirewallSubnetTooSmall,
        title: "firewall subnet smaller than /26",
        explanation: "AzureFirewallSubnet (and AzureFirewallManagementSubnet) must be at least a /26: the firewall adds instances as it scales, each taking addresses of the subnet. A smaller subnet fails deployment or scaling.",
    },
    CodeText {
        code: FindingCode::FirewallSubnetNameInvalid,
        title: "firewall in a subnet not named AzureFirewallSubnet",
        explanation: "Azure deploys a VNet firewall's IP configuration only in a subnet named exactly AzureFirewallSubnet, and its management IP configuration only in AzureFirewallManagementSubnet. A snapshot that says otherwise describes a firewall Azure will not build.",
    },
    CodeText {
        code: FindingCode::FirewallNextHopStale,
        title: "user route to a firewall address that is not the firewall's private IP",
        explanation: "User routes send traffic to a firewall's private (frontend) IP. That IP can change when the firewall is deallocated and allocated again, and a route to another address of AzureFirewallSubnet (an instance, an old frontend IP) reaches nothing: the traffic is dropped. Point the route at the firewall's current private IP.",
    },
    CodeText {
        code: FindingCode::FirewallPolicyRuleShadowed,
        title: "firewall rule that can never match",
        explanation: "Azure Firewall's rules are terminating: DNAT, network and application rules each run in processing order (parent policy first, then rule collection group priority, then rule collection priority) and the first collection with a matching rule decides. A rule whose every flow (sources, destinations, protocols, ports) an earlier rule already matches never decides anything: redundant if the actions agree, dead if they differ. azroute proves coverage by one earlier rule from the rules' values; a service tag, FQDN or IP group covers only itself.",
    },
    CodeText {
        code: FindingCode::FirewallAppRuleShadowedByNetworkRule,
        title: "application rule a network rule takes first",
        explanation: "Network rules are processed before application rules whatever their priorities. If a network rule matches an application rule's whole traffic (TCP on its ports, from its sources, to any destination), the application rule never sees a packet (the first example of the rule-processing documentation: a network rule allowing TCP 443 makes an application deny of a web site useless).",
    },
    CodeText {
        code: FindingCode::FirewallFqdnNetworkRuleWithoutDnsProxy,
        title: "FQDN network rules without DNS proxy",
        explanation: "FQDNs in network rules are resolved by the firewall's DNS proxy: \"You must enable DNS Proxy to use FQDNs in your network rules\". Without it (or on a Basic firewall, which has none) those rules match nothing. A child policy does not inherit its parent's DNS settings. Clients should use the firewall as their DNS server, so that both resolve names alike.",
    },
    CodeText {
        code: FindingCode::FirewallDnsProxyNotUsedByClients,
        title: "clients do not use the firewall's DNS proxy",
        explanation: "Azure Firewall resolves the FQDNs of its network rules itself, through its DNS proxy, and allows only the addresses it resolved. A client that asks another DNS server (a custom server, or Azure-provided DNS when its VNet names none) may get another address for the same name, at another time, and its connection then matches no rule and is denied. Microsoft's DNS settings page asks that clients use the firewall as their DNS proxy when network rules name FQDNs: set the DNS servers of every VNet whose traffic crosses the firewall to its private IP.",
    },
    CodeText {
        code: FindingCode::FirewallChildPolicyDnsNotInherited,
        title: "child policy relies on its parent's DNS proxy",
        explanation: "A child firewall policy inherits its parent's rule collections, but not its DNS settings (Azure Firewall known issues): with DNS proxy on in the parent and off in the child, the firewall has no DNS proxy, and the FQDN network rules it processes do not resolve. Set dnsSettings in the child policy.",
    },
    CodeText {
        code: FindingCode::FirewallParentNatRulesIgnored,
        title: "parent policy NAT collections a child does not inherit",
        explanation: "NAT rule collections are specific to individual firewalls and are not inherited by child policies (the policy overview); the rule-processing example disagrees (conflict C20). azroute follows the policy overview by default (option inherit_parent_dnat off): the firewall does not process the parent's DNAT rules. Define them in the firewall's own policy.",
    },
    CodeText {
        code: FindingCode::FirewallSnatRangesDropRfc1918,
        title: "private-range list without RFC 1918",
        explanation: "Azure Firewall does not SNAT network-rule traffic to destinations in its private-range list, by default IANAPrivateRanges (RFC 1918, and RFC 6598 on the current SNAT page). A custom list replaces the default: one that leaves out RFC 1918 space makes the firewall SNAT traffic to those private destinations, so their NSGs and logs see a firewall address instead of the client's. Include IANAPrivateRanges in the list.",
    },
    CodeText {
        code: FindingCode::FirewallClassicSnatIgnored,
        title: "firewall-level SNAT ranges ignored under a policy",
        explanation: "A firewall managed by a firewall policy takes its SNAT private ranges from the policy (snat.privateRanges); the firewall's own Network.SNAT.PrivateRanges setting is ignored. The classic list there suggests a no-SNAT behaviour the firewall does not have. Set the ranges in the policy.",
    },
    CodeText {
        code: FindingCode::FirewallIcmpToInternet,
        title: "ICMP allowed to the Internet",
        explanation: "Network rules for protocols other than TCP and UDP, such as ICMP, do not work for Internet-bound traffic through Azure Firewall, which does not SNAT them to its public IP; they work between private networks. A rule with protocol ICMP, or Any without an explicit port (Any with a port means TCP and UDP), towards public destinations allows traffic that cannot work: a ping to the Internet through the firewall fails although the rule allows it.",
    },
    CodeText {
        code: FindingCode::FirewallSnatSourceNotAllowedByNsg,
        title: "NSG allows the firewall's frontend IP only (inferred)",
        explanation: "Azure Firewall runs several instances behind its frontend IP; traffic it SNATs to a private destination (DNAT, application rules, network rules outside the private ranges) leaves from the address of an instance in AzureFirewallSubnet, not from the frontend IP (the Azure architecture guide's firewall and Application Gateway example). An NSG that allows only the frontend IP as source therefore drops it. azroute infers this rule from that example; allow the whole AzureFirewallSubnet prefix.",
    },
    CodeText {
        code: FindingCode::PrivateEndpointThroughFirewallNoSnat,
        title: "private endpoint reached through the firewall without SNAT",
        explanation: "A private endpoint ignores the route tables of its subnet unless its network policies are enabled, and answers the address that reached it. When a client's route sends traffic for the endpoint to Azure Firewall and a network rule allows it, the firewall keeps the source for destinations in its private ranges: the reply goes straight back to the client, the firewall sees one direction only and the connection fails. Microsoft recommends application rules (always SNATed) for traffic to private endpoints, or SNAT for network rules. azroute tests TCP on the port of the endpoint's groupId (1433 for sqlServer, …, 443 otherwise) and says which it assumed.",
    },
    CodeText {
        code: FindingCode::DnatWithForcedTunnel,
        title: "DNAT on a forced-tunnelled firewall",
        explanation: "DNAT is not supported with forced tunnelling: the reply to an inbound DNAT connection follows AzureFirewallSubnet's default route, which no longer goes to the Internet, so the client never sees it (asymmetric routing). Keep 0.0.0.0/0 → Internet on AzureFirewallSubnet, or publish the service another way.",
    },
    CodeText {
        code: FindingCode::GatewaySubnetMissingSpokeRoute,
        title: "GatewaySubnet does not send a spoke through the firewall",
        explanation: "In a hub with a firewall, spokes send their traffic (on-premises included) to the firewall with 0.0.0.0/0. The hub's GatewaySubnet must send each spoke's prefix to the firewall too, or on-premises → spoke takes the peering route directly while spoke → on-premises crosses the firewall: the firewall sees one direction only and drops the connection. Add a user route per spoke prefix to the firewall on the GatewaySubnet.",
    },
    CodeText {
        code: FindingCode::GatewaySubnetSummaryRouteShadowed,
        title: "GatewaySubnet summary route beaten by peering routes",
        explanation: "A GatewaySubnet user route for a summary of the spokes (10.1.0.0/16 for spokes 10.1.1.0/24 and 10.1.2.0/24) does not work: the peering system routes are more specific and win by longest prefix match, so on-premises traffic to the spokes skips the firewall. Add a user route per peered prefix.",
    },
    CodeText {
        code: FindingCode::SpokePropagationBypassesFirewall,
        title: "spoke's default route to the firewall with gateway propagation on",
        explanation: "A spoke that sends 0.0.0.0/0 to the firewall but keeps gateway route propagation receives the on-premises prefixes from the gateway; they are more specific than 0.0.0.0/0, so on-premises traffic leaves by the gateway directly, skipping the firewall outbound while inbound traffic is inspected. Disable gateway route propagation on the spoke's route table, or add user routes for the on-premises prefixes to the firewall.",
    },
    CodeText {
        code: FindingCode::DirectPeeringBypassesFirewall,
        title: "directly peered VNets bypass the firewall",
        explanation: "A 0.0.0.0/0 user route to the firewall does not cover a directly peered VNet: the peering route is more specific. Two VNets peered with each other talk directly even when both send their traffic to the firewall; if it must be inspected, a user route must contain the target subnet's prefix explicitly on both subnets.",
    },
    CodeText {
        code: FindingCode::VnetRangeUdrCapturesOwnSubnet,
        title: "user route for the VNet's range captures the subnet's own traffic",
        explanation: "A user route to the firewall for the VNet's own address range has the prefix of the VnetLocal system route (or a longer one) and takes precedence over it, so even traffic between two hosts of the same subnet is sent to the firewall. The FAQ's remedy: add a user route for the subnet's own prefix with next hop VnetLocal (\"VNET\"), which is more specific.",
    },
    CodeText {
        code: FindingCode::IpForwardingDisabled,
        title: "a NIC forwards a packet with IP forwarding off",
        explanation: "Azure delivers a packet to a NIC, or lets a NIC send one, only when the packet is addressed to or from one of the NIC's own IPs, unless IP forwarding (enableIPForwarding) is on. An NVA that receives traffic to forward, or a NIC sending from an address that is not its own, has its packets dropped by the platform. Enable IP forwarding on the NIC, and forwarding in the guest OS.",
    },
    CodeText {
        code: FindingCode::AvnmConnectedGroupOverlap,
        title: "overlapping VNets in a Virtual Network Manager connected group",
        explanation: "Members of a connected group (a mesh, or a hub-and-spoke group with direct connectivity) reach each other without peerings. When their address spaces overlap, Azure drops communication to the overlapped addresses; azroute leaves the overlapping ranges out of the ConnectedGroup route (option --connected-group-overlap). Re-address a VNet or take it out of the group; connectedGroupAddressOverlap = Disallowed makes Azure refuse such members.",
    },
    CodeText {
        code: FindingCode::AvnmLimitExceeded,
        title: "more than a documented Virtual Network Manager limit allows",
        explanation: "Virtual Network Manager documents limits: 250 VNets in a connected group (more with a high-scale connected group, on request), 2 connected groups per VNet (a soft limit), 1,000 spokes peered to one hub, 20,000 IP prefixes in all the security admin rules combined. A configuration beyond them is not deployed as configured, so the estate cannot be what the snapshot describes. Split groups or hubs, aggregate prefixes, or request the higher limit where there is one.",
    },
    CodeText {
        code: FindingCode::AvnmManagersOverlap,
        title: "configurations of several Virtual Network Managers apply to one VNet",
        explanation: "Several network managers can manage overlapping scopes. When their configurations conflict for one resource, the configuration of the manager with the higher scope is applied. Which scope is higher follows the management-group hierarchy, which a snapshot does not hold, so azroute evaluates the admin rules (by priority) and routing rules of all managers together, as one manager's: its verdicts may differ from Azure's where the managers' rules conflict.",
    },
    CodeText {
        code: FindingCode::AvnmAdminDenyOverridesNsgAllow,
        title: "a security admin Deny rule overrides an NSG allow rule",
        explanation: "Security admin rules of Azure Virtual Network Manager are evaluated before every NSG. A Deny admin rule that matches traffic an NSG rule explicitly allows ends evaluation: the NSG rule never takes effect for that traffic, and the VNet's owners cannot change that in the NSG. Narrow the admin rule or add an Allow/AlwaysAllow admin rule with a lower priority number.",
    },
    CodeText {
        code: FindingCode::AvnmAlwaysAllowBypassesNsgDeny,
        title: "a security admin AlwaysAllow rule bypasses an NSG deny rule",
        explanation: "An AlwaysAllow security admin rule admits matching traffic without evaluating the NSGs, so a Deny rule of an NSG in the same VNet never takes effect for it. Use Allow (which lets the NSGs decide) where the NSGs must still be able to deny.",
    },
    CodeText {
        code: FindingCode::AvnmAdminRuleNotApplied,
        title: "security admin rules are not applied to a subnet or private endpoint they target",
        explanation: "Security admin rules apply at VNet level, except to platform subnets (GatewaySubnet, AzureFirewallSubnet, AzureBastionSubnet, RouteServerSubnet, …), private endpoints and VNets of services with network intent policies. Traffic there is not filtered by them; protect it with the service's own controls or NSGs.",
    },
    CodeText {
        code: FindingCode::AvnmRoutingRuleConflict,
        title: "routing rules with one destination and different next hops",
        explanation: "When Virtual Network Manager routing rules that reach the same VNet name the same destination with different next hops, Azure applies only one of them, \"selected at random\". The result cannot be predicted; keep one rule per destination.",
    },
    CodeText {
        code: FindingCode::AvnmHubGatewayMissing,
        title: "useHubGateway without a gateway in the hub",
        explanation: "A hub-and-spoke connectivity configuration with useHubGateway = True makes the spokes use the hub's gateway. With no gateway in the hub, the spoke-to-hub peering fails and hub-to-spoke is created without an established connection. Deploy a gateway in the hub or set useHubGateway = False.",
    },
    // Virtual WAN (§20.6).
    CodeText {
        code: FindingCode::VwanSpokePropagationDisabled,
        title: "Virtual WAN spoke subnet refuses the hub's routes",
        explanation: "A VNet connected to a Virtual WAN hub gets the hub's routes (other spokes, branches, routing intent's firewall) as gateway routes. A subnet whose route table sets \"Propagate gateway routes\" to No (disableBgpRoutePropagation = true) gets none of them: under routing intent its traffic is no longer inspected by the hub firewall, otherwise other spokes and branches fall into the reserved None routes. User routes in spokes are allowed; keep gateway route propagation on.",
    },
    CodeText {
        code: FindingCode::VwanPrivateEndpointAsymmetry,
        title: "private endpoint behind a secured hub without route-table policies",
        explanation: "With a private-traffic routing policy, traffic from on-premises or other spokes to a private endpoint bypasses the hub firewall by default (the endpoint's /32 is more specific than the routing-intent aggregates), while the endpoint's replies follow the spoke's routes through the firewall: the flow is asymmetric and the firewall drops it. Enable route-table network policies on the endpoint's subnet; /32 entries in the private-traffic prefixes do not fix it.",
    },
    CodeText {
        code: FindingCode::VwanDefaultRouteNotPropagated,
        title: "Virtual WAN connection does not take the hub's default route",
        explanation: "A 0.0.0.0/0 in a hub route table (routing intent's Internet policy, or a static route to a firewall) reaches a connection only if its enableInternetSecurity (\"Propagate Default Route\") is true. Otherwise the spoke keeps its own Internet route and its Internet traffic leaves directly, past the hub firewall. The portal defaults it to true for VNet connections; Terraform defaults it to false.",
    },
    CodeText {
        code: FindingCode::VwanRouteInsideSpokeSpace,
        title: "Virtual WAN hub route inside the spoke's own address space",
        explanation: "Virtual WAN programs a route in a spoke only if its prefix is shorter than the spoke's address space: it cannot attract traffic between subnets of one VNet. A hub route (static, learned over BGP or from another connection) equal to or inside the spoke's range is not programmed there. Use a less specific prefix, or user routes in the spoke.",
    },
    CodeText {
        code: FindingCode::VwanRoutingIntentWithCustomTables,
        title: "routing intent beside custom route tables",
        explanation: "Routing intent requires a hub with only defaultRouteTable and noneRouteTable and no static route whose next hop is a VNet connection; Azure refuses to configure it otherwise (CantConfigureRoutingIntentIfCustomRouteTablesPresent). A snapshot holding both is inconsistent; azroute applies routing intent. Remove the custom tables and those static routes, or routing intent.",
    },
    CodeText {
        code: FindingCode::VwanRoutingIntentNotOnAllHubs,
        title: "routing intent for private traffic on some hubs of a Virtual WAN only",
        explanation: "A private-traffic routing policy sends inter-hub traffic through the hub's firewall or NVA, but inspection between hubs is symmetric only when every hub has one. Between a hub with routing intent and one without, traffic is inspected one way only (and a stateful firewall drops the replies it did not see) or not at all. Configure routing intent on every hub or on none.",
    },
    CodeText {
        code: FindingCode::RouteServerPeerAsnRefused,
        title: "Route Server peer with an ASN it refuses",
        explanation: "Route Server peers only with 16-bit ASNs, and not with those Azure uses (8074, 8075, 12076, 65515, 65517-65520) or IANA reserves (23456, 64496-64511, 65535). A peering with such an ASN never comes up, so the NVA's routes are never learned. Give the NVA a private ASN that is not reserved.",
    },
    CodeText {
        code: FindingCode::RouteServerPeerOverRouteLimit,
        title: "Route Server peer over its route limit",
        explanation: "Route Server accepts at most 4,000 routes from one BGP peer (1,000 before), counting the current routes plus an update. A peer over the limit has its BGP session torn down: none of its routes are programmed until it advertises fewer. Summarise the prefixes the NVA advertises.",
    },
    CodeText {
        code: FindingCode::RouteServerBranchToBranchGatewayNotActiveActive,
        title: "Route Server branch-to-branch with a VPN gateway that is not active-active or not AS 65515",
        explanation: "With branch-to-branch, Route Server exchanges routes with the VPN and ExpressRoute gateways of its VNet; a VPN gateway must then be active-active and keep the ASN 65515. Otherwise the NVAs' routes do not reach the VPN branches, nor theirs the NVAs. Make the gateway active-active with AS 65515.",
    },
    CodeText {
        code: FindingCode::RouteServerMultiplePerVnet,
        title: "more than one Route Server in a VNet",
        explanation: "A VNet holds at most one Route Server (in its RouteServerSubnet). A snapshot with several describes a state Azure does not deploy, so routes computed from it are doubtful. Keep one Route Server per VNet.",
    },
    CodeText {
        code: FindingCode::VwanSpokeHasGateway,
        title: "Virtual WAN spoke with its own gateway or Route Server",
        explanation: "A VNet connected to a Virtual WAN hub must have no virtual network gateway, and cannot hold a Route Server. Branches are reached through the hub's gateways. Remove the spoke's gateway or Route Server, or disconnect the VNet from the hub.",
    },
    CodeText {
        code: FindingCode::VwanDualRoleNvaEcmp,
        title: "private routing policy to an active-active dual-role NVA",
        explanation: "With a private-traffic routing policy to a dual-role (SD-WAN connectivity and Next-Generation Firewall) NVA in the hub, Virtual WAN routes to the NVA's instances directly. Where several instances advertise a prefix with the same AS path (active-active), Azure load-balances flows over them by ECMP and does not guarantee flow symmetry: a flow's two directions can reach different instances and a stateful firewall drops them. Run the NVA active-passive for each prefix, unless it supports asymmetric forwarding or session synchronisation.",
    },
    CodeText {
        code: FindingCode::SubnetPeeringNonPeeredDestination,
        title: "a subnet peering drops connected-group traffic to a subnet it does not list",
        explanation: "When two VNets of a Virtual Network Manager connected group also have a subnet peering, the subnet peering takes precedence: traffic between subnets it does not list is dropped, although the ConnectedGroup route covers their whole address spaces. List the subnet in the subnet peering, peer the whole VNets, or remove the subnet peering.",
    },
    CodeText {
        code: FindingCode::SubnetPeeringNonPeeredSource,
        title: "a subnet peering drops packets from a subnet it does not list",
        explanation: "A subnet peering (peerCompleteVnets = false) connects only the listed subnets, but in the current release Azure gives every subnet of the VNet the routes to the remote peered subnets; packets from the subnets that are not listed are dropped at the destination. The route is there (option --subnet-peering-scope decides whether azroute shows it), the traffic does not flow. Add the subnet to localSubnetNames (and the remote side's remoteSubnetNames), or peer the whole VNets.",
    },
    CodeText {
        code: FindingCode::AvnmAdminRuleDenied,
        title: "a Virtual Network Manager security admin rule denies the traffic",
        explanation: "Security admin rules of Azure Virtual Network Manager are evaluated before every NSG, at the virtual network that owns the NIC; the rule with the lowest priority number that matches decides. Deny drops the packet whatever the NSGs say, AlwaysAllow lets it through without them, Allow hands it to the NSGs. Change the admin rule, or add an Allow or AlwaysAllow admin rule with a lower priority number (the network manager's administrators own it, not the VNet's).",
    },
    CodeText {
        code: FindingCode::NsgDenied,
        title: "an NSG rule denies the traffic",
        explanation: "Network security groups are evaluated in Azure's order: inbound, the subnet's NSG then the NIC's; outbound, the NIC's then the subnet's. Within an NSG the rule with the lowest priority number that matches decides. A Deny there drops the packet. Change the rule, or add an Allow rule with a lower priority number.",
    },
    CodeText {
        code: FindingCode::NoHostAtDestination,
        title: "nothing at the destination address",
        explanation: "No NIC, load balancer frontend, private endpoint or gateway in the snapshot holds the destination address, so the packet has nowhere to go: the address is wrong, the resource is not in the export, or (from the Internet) it is not a public IP of a NIC. When the destination is in a peered VNet the export lacks, the trace stops at the peering.",
    },
    CodeText {
        code: FindingCode::GatewayConnectionDown,
        title: "the connection to the on-premises site is not Connected",
        explanation: "A site's prefixes are programmed while its connection exists, but packets reach the site only while the tunnel is up. A connection whose status is not Connected may drop what the route sends to it. Check the tunnel and the on-premises device.",
    },
    CodeText {
        code: FindingCode::PeeringAccessDisabled,
        title: "peering with allowVirtualNetworkAccess = false",
        explanation: "With allowVirtualNetworkAccess = false on the receiving side's peering, azroute models traffic across the peering as dropped (the `drop` reading of --peering-access-false-semantics). Set it to true where the VNets must talk.",
    },
    CodeText {
        code: FindingCode::NoRoute,
        title: "no route matches the destination",
        explanation: "Every subnet has a 0.0.0.0/0 system route, so no route matching means the default route was removed and nothing replaced it (for example an IPv6 destination without ::/0). The packet is dropped. Add a route for the destination.",
    },
    CodeText {
        code: FindingCode::NotModelled,
        title: "a next hop type azroute does not model",
        explanation: "The route's next hop type is not one azroute models, so the trace stops there rather than guess. Check the route against Azure's documentation.",
    },
    CodeText {
        code: FindingCode::DestinationNotRunning,
        title: "the destination VM is not running",
        explanation: "The NIC that holds the destination address belongs to a VM that is stopped or deallocated: it answers nothing, so the packet is dropped there. azroute reads the VM's power state from the export (`az vm list -d`, or the instance view); without it the VM is assumed running and the trace says so under its assumptions. A stopped source VM is traced from its configuration, with an assumption saying so. Start the VM.",
    },
    CodeText {
        code: FindingCode::TrafficAnalysisSampled,
        title: "traffic analysis traced a sample",
        explanation: "The doctor traces representative traffic between route contexts whose routes involve an NVA. When there are more such pairs than --max-traces, it traces an evenly spread sample and says so: problems on untraced pairs can be missed. Raise --max-traces to trace them all.",
    },
    CodeText {
        code: FindingCode::IncompleteSnapshot,
        title: "the snapshot cannot decide",
        explanation: "A reachability pair could not be traced because a resource the question needs is not in the snapshot (a route table, a subnet, a NIC). The cell is reported as dropped with this code rather than as a guess. Export the missing resources.",
    },
    // Egress and platform services (§17).
    CodeText {
        code: FindingCode::PrivateSubnetNoEgress,
        title: "private subnet without an outbound method",
        explanation: "A subnet with defaultOutboundAccess set to false (the default for VNets created after 31 March 2026) gives its VMs no default outbound IP. Without an explicit outbound method (a NAT gateway on the subnet, a public IP on the NIC, a Standard load balancer with outbound rules, or a 0.0.0.0/0 route to a firewall or NVA that egresses), Internet-bound traffic is not delivered, although the effective routes still list 0.0.0.0/0 → Internet. Service endpoints and Azure Storage in the same region still work.",
    },
    CodeText {
        code: FindingCode::OutboundIcmpNotSupported,
        title: "ICMP to the Internet by NAT gateway or default outbound access",
        explanation: "A NAT gateway translates TCP and UDP only, and default outbound access does not support ICMP pings (Microsoft's NAT gateway and default outbound access pages): an ICMP packet leaving a subnet for the Internet by either is not delivered, although the routes send it there. An instance public IP carries ICMP.",
    },
    CodeText {
        code: FindingCode::PrivateSubnetInternetUdr,
        title: "user route to the Internet in a private subnet",
        explanation: "In a private subnet, user routes with next hop Internet do not reach the Internet unless the source has an explicit outbound method: the common pattern of 0.0.0.0/0 to a firewall plus service-tag routes to Internet breaks there. Add a NAT gateway to the subnet, or send those prefixes to the firewall too.",
    },
    CodeText {
        code: FindingCode::DefaultOutboundAccessInUse,
        title: "Internet egress by default outbound access",
        explanation: "VMs without an explicit outbound method reach the Internet from a Microsoft-owned address that is not theirs and can change; it supports neither fragmented packets nor ICMP, and new VNets no longer get it. Azure recommends an explicit method: a NAT gateway, a public IP or load-balancer outbound rules, then defaultOutboundAccess set to false.",
    },
    CodeText {
        code: FindingCode::NatGatewayOverriddenByUdr,
        title: "NAT gateway unused: 0.0.0.0/0 goes to an appliance",
        explanation: "A user route to a virtual appliance or virtual network gateway takes precedence over the subnet's NAT gateway, so Internet traffic leaves through the appliance; the NAT gateway serves only what the route does not cover.",
    },
    CodeText {
        code: FindingCode::NatGatewayOnUnsupportedSubnet,
        title: "NAT gateway on a subnet that cannot use it",
        explanation: "A NAT gateway cannot be attached to the GatewaySubnet or a SQL Managed Instance subnet, a StandardV2 NAT gateway does not support several delegated subnets, and NAT gateway is incompatible with Basic load balancers and Basic public IPs in the subnet.",
    },
    CodeText {
        code: FindingCode::AppGatewayV2DefaultRouteToAppliance,
        title: "Application Gateway v2 subnet sends 0.0.0.0/0 to an appliance",
        explanation: "Application Gateway v2 needs direct Internet connectivity for its control traffic: a 0.0.0.0/0 route to a virtual appliance or a forced tunnel is not supported on its subnet (a route to Internet, or a route table with propagation disabled, is). Private Application Gateway deployments lift this restriction.",
    },
    CodeText {
        code: FindingCode::UdrOnBastionSubnet,
        title: "route table on AzureBastionSubnet",
        explanation: "User-defined routes are not supported on AzureBastionSubnet; Bastion's traffic need not be forced through a firewall.",
    },
    CodeText {
        code: FindingCode::BastionSubnetTooSmall,
        title: "AzureBastionSubnet smaller than /26",
        explanation: "Azure Bastion deployed on or after 2 November 2021 needs an AzureBastionSubnet of /26 or larger; older deployments on /27 keep working but cannot scale.",
    },
    CodeText {
        code: FindingCode::PublicLoadBalancerBehindFirewallDefaultRoute,
        title: "public load balancer behind a firewall's default route",
        explanation: "When a public load balancer's backends sit in a subnet whose 0.0.0.0/0 goes to a firewall or NVA, replies to Internet clients leave through the appliance instead of the load balancer that received the request: the connection is asymmetric and fails. Route the clients' addresses to Internet from that subnet, or publish the service through the firewall.",
    },
    CodeText {
        code: FindingCode::VmssNicsMissing,
        title: "scale set whose instance NICs are not exported",
        explanation: "`az network nic list` leaves out the NICs of Uniform scale-set instances; they come from `az vmss nic list` (Flexible instances have ordinary NICs). Without them the instances' addresses have no owner in the snapshot and cannot be traced.",
    },
    CodeText {
        code: FindingCode::PlatformOwnedDestination,
        title: "destination owned by a platform service",
        explanation: "Application Gateway, Azure Bastion, DNS Private Resolver endpoints, scale-set instances and delegated services hold addresses in a VNet without a NIC in the export. A trace to a frontend address is delivered to the service; an address of its instances, or a port it does not serve, is named with its owner rather than reported as having no host.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code whose severity can vary says when, and no other does.
    #[test]
    fn every_varying_severity_is_worded() {
        for code in FindingCode::ALL {
            assert_eq!(severity_rule(*code).is_some(), !code.info().other_severities.is_empty(), "{code}");
        }
    }

    #[test]
    fn every_code_has_its_words_once() {
        for code in FindingCode::ALL {
            assert_eq!(TEXTS.iter().filter(|t| t.code == *code).count(), 1, "{code}");
        }
    }
}
