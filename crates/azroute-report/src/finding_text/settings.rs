//! The words of the doctor's settings checks (route tables, special subnets, peerings, route
//! contexts, appliances, inbound traffic, VMs), including the traced situations of the same
//! codes.

use azroute_engine::AppliedTo;
use azroute_engine::RouteOrigin;
use azroute_engine::invalid_text;
use azroute_engine::*;
use azroute_model::*;

use super::*;

pub(super) fn bgp_route_shadowed_by_system_route(snap: &Snapshot, e: &BgpRouteShadowedBySystemRoute) -> FindingText {
    FindingText::new(
        format!(
            "in {}, the gateway route {} is never used: the system route {} is preferred over more specific BGP routes",
            context_label(snap, &e.context),
            e.route.route().label(),
            e.by.route().label()
        ),
        "to steer this traffic, use a user route instead of BGP",
    )
}

pub(super) fn duplicate_prefix_in_route_table(snap: &Snapshot, e: &DuplicatePrefixInRouteTable) -> FindingText {
    let table = &snap.route_tables[e.table.index()];
    let (first, r) = (&table.routes[e.first], &table.routes[e.second]);
    FindingText::new(
        format!(
            "route table `{}` has two routes for {}: `{}` and `{}`; Azure refuses this and azroute ignores `{}`",
            table.name,
            r.prefix.text(),
            first.name,
            r.name,
            r.name
        ),
        format!("delete one of the routes `{}` and `{}`", first.name, r.name),
    )
    .evidence(format!("{}: {} → {}", first.name, first.prefix.text(), first.next_hop_type.as_str()))
    .evidence(format!("{}: {} → {}", r.name, r.prefix.text(), r.next_hop_type.as_str()))
}

pub(super) fn effective_routes_require_running_vm(snap: &Snapshot, e: &EffectiveRoutesRequireRunningVm) -> FindingText {
    let vm = &snap.vms[e.vm.index()];
    FindingText::new(
        format!(
            "`{}` is {}: Azure shows its effective routes only while it runs; azroute answers from configuration",
            vm.name,
            vm.power_state.as_ref().map(|s| s.as_str()).unwrap_or_default()
        ),
        "start the VM to compare with Azure's own answer (azroute verify)",
    )
}

pub(super) fn forced_tunnel_breaks_inbound(snap: &Snapshot, e: &ForcedTunnelBreaksInbound) -> FindingText {
    let reply = match e {
        ForcedTunnelBreaksInbound::Reply(reply) | ForcedTunnelBreaksInbound::Subnet { reply, .. } => reply,
    };
    let reply_subnet = snap.subnet_label(reply.subnet);
    let reply_route = reply.route.route().label();
    let message = match e {
        ForcedTunnelBreaksInbound::Reply(_) => format!(
            "the reply to Internet client {} leaves `{reply_subnet}` by {reply_route} instead of the Internet: the client sees the wrong source address and the connection (RDP/SSH/HTTPS to the public IP) fails",
            reply.client
        ),
        ForcedTunnelBreaksInbound::Subnet { subnet, route, public_nics, example, public_ip, .. } => format!(
            "`{}` forces Internet-bound traffic through {} while {public_nics} VM NIC(s) there have public IPs (e.g. `{}` at {public_ip}): replies to RDP/SSH/HTTPS clients on those IPs leave by the wrong path and the connections fail",
            snap.subnet_label(*subnet),
            route.route().label(),
            nic_name(snap, *example)
        ),
    };
    let fix = format!(
        "reach the VM through the NVA/firewall (DNAT on its public IP) instead of the VM's own public IP, or add a user route for the clients' prefix with next hop Internet to the route table of `{reply_subnet}`"
    );
    FindingText::new(message, fix).evidence(reply_route)
}

pub(super) fn gateway_routes_suppressed(snap: &Snapshot, e: &GatewayRoutesSuppressed) -> FindingText {
    match e {
        GatewayRoutesSuppressed::Destination { gateway, prefix, table, subnet, destination } => {
            let rt = table_name(snap, *table);
            FindingText::new(
                format!(
                    "gateway `{}` knows {prefix} but route table `{rt}` of `{}` disables gateway route propagation, so the subnet has no route to {destination}",
                    snap.gateways[gateway.index()].name,
                    snap.subnet_label(*subnet)
                ),
                format!(
                    "set disableBgpRoutePropagation = false on route table `{rt}` (\"Propagate gateway routes\" = Yes), or add a user route for {prefix} with next hop VirtualNetworkGateway or via the NVA"
                ),
            )
        }
        GatewayRoutesSuppressed::Context { context, table, prefixes } => FindingText::new(
            format!(
                "route table `{}` keeps {} gateway route(s) out of {} (disableBgpRoutePropagation = true): {}",
                table_name(snap, *table),
                prefixes.len(),
                context_label(snap, context),
                prefixes.iter().take(5).map(|p| p.to_string()).collect::<Vec<_>>().join(", ")
            ),
            "if these subnets must reach on-premises, route those prefixes with user routes (e.g. via the firewall) or enable propagation",
        ),
    }
}

pub(super) fn gateway_subnet_default_route(snap: &Snapshot, e: &GatewaySubnetDefaultRoute) -> FindingText {
    let (r, table) = user_route(snap, &e.route);
    FindingText::new(
        format!(
            "the GatewaySubnet `{}` uses route table `{}`, which has a 0.0.0.0/0 route (`{}`); Azure does not support this and the gateway stops working",
            snap.subnet_label(e.subnet),
            table.name,
            r.name
        ),
        format!(
            "remove `{}` from `{}`, and route only specific prefixes (e.g. spoke ranges) to the firewall",
            r.name, table.name
        ),
    )
}

pub(super) fn gateway_subnet_propagation_disabled(
    snap: &Snapshot,
    e: &GatewaySubnetPropagationDisabled,
) -> FindingText {
    let table = table_name(snap, e.table);
    FindingText::new(
        format!(
            "the GatewaySubnet `{}` uses route table `{table}`, which disables gateway route propagation; it must stay enabled there",
            snap.subnet_label(e.subnet)
        ),
        format!("set disableBgpRoutePropagation = false on `{table}`, or use another table for the GatewaySubnet"),
    )
}

pub(super) fn multi_nic_guest_route_missing(snap: &Snapshot, e: &MultiNicGuestRouteMissing) -> FindingText {
    let (r, table) = user_route(snap, &e.route);
    let (nic, vm) = (nic_name(snap, e.nic), &snap.vms[e.vm.index()].name);
    FindingText::new(
        format!(
            "route `{}` of `{}` sends traffic to `{nic}`, a secondary NIC of `{vm}`; only the primary NIC has a default route in the guest, so the NVA's OS needs routes for traffic in and out of this NIC",
            r.name, table.name
        ),
        format!("configure guest OS routes on `{vm}` for the prefixes that use `{nic}` (see the multi-NIC guide)"),
    )
}

/// `{route} of `{table}`: {prefix} → VirtualAppliance {ip}`.
fn appliance_route(snap: &Snapshot, route: &UserRoute, next_hop: std::net::IpAddr) -> String {
    let (r, table) = user_route(snap, route);
    format!("{} of `{}`: {} → VirtualAppliance {next_hop}", r.name, table.name, r.prefix.text())
}

pub(super) fn next_hop_unreachable(snap: &Snapshot, e: &NextHopUnreachable) -> FindingText {
    match e {
        NextHopUnreachable::RouteNotOwned { .. }
        | NextHopUnreachable::RouteNotPeered { .. }
        | NextHopUnreachable::RouteBasicLoadBalancerGlobal { .. }
        | NextHopUnreachable::RouteNotAnAppliance { .. } => user_route_next_hop_unreachable(snap, e),
        _ => traced_next_hop_unreachable(snap, e),
    }
}

/// A next hop a traced packet could not reach.
fn traced_next_hop_unreachable(snap: &Snapshot, e: &NextHopUnreachable) -> FindingText {
    let lb_name = |lb: &LoadBalancerIdx| &snap.load_balancers[lb.index()].name;
    let traced_fix = |vnet: &VnetIdx| {
        format!(
            "point the route at the private IP of an NVA NIC or internal load balancer in `{}` or a directly peered VNet",
            vnet_name(snap, *vnet)
        )
    };
    match e {
        NextHopUnreachable::NoGatewaySubnet { gateway } => FindingText::new(
            format!(
                "gateway `{}` has no GatewaySubnet in the snapshot, so its routes are unknown",
                snap.gateways[gateway.index()].name
            ),
            "export the gateway's virtual network with its GatewaySubnet",
        ),
        NextHopUnreachable::OutsideAddressSpace { vnet, next_hop, route } => FindingText::new(
            format!(
                "next hop {next_hop} is outside every address space `{}` reaches (its own ranges and its connected peerings'): the packet is dropped (Network Watcher's next hop answers None for this route)",
                vnet_name(snap, *vnet)
            ),
            traced_fix(vnet),
        )
        .evidence(route.route().label()),
        NextHopUnreachable::NotOwned { vnet, next_hop, route } => FindingText::new(
            format!("no NIC or load balancer in the snapshot owns the next hop {next_hop}: the packet is dropped"),
            traced_fix(vnet),
        )
        .evidence(route.route().label()),
        NextHopUnreachable::NotPeered { vnet, next_hop, owner_vnet, route } => FindingText::new(
            format!(
                "next hop {next_hop} belongs to a resource in `{}`, which is neither `{}` nor directly peered with it: Azure cannot reach it",
                vnet_name(snap, *owner_vnet),
                vnet_name(snap, *vnet)
            ),
            traced_fix(vnet),
        )
        .evidence(route.route().label()),
        NextHopUnreachable::BasicLoadBalancerGlobal { next_hop, lb } => FindingText::new(
            format!(
                "next hop {next_hop} is the frontend of Basic load balancer `{}` across a global peering, which Azure does not support",
                lb_name(lb)
            ),
            "use a Standard internal load balancer, or an NVA in the same region",
        ),
        NextHopUnreachable::NoBackend { next_hop, lb } => FindingText::new(
            format!("load balancer `{}` (next hop {next_hop}) has no backend NIC in the snapshot", lb_name(lb)),
            "add the NVAs to the load balancer's backend pool",
        ),
        NextHopUnreachable::NotAnAppliance { next_hop, route } => FindingText::new(
            format!("next hop {next_hop} is not an NVA (it belongs to a private endpoint or a gateway)"),
            "point the route at the private IP of an NVA NIC or internal load balancer",
        )
        .evidence(route.route().label()),
        _ => unreachable!("user-route situations are worded by user_route_next_hop_unreachable"),
    }
}

/// A user route's next hop that Azure cannot reach.
fn user_route_next_hop_unreachable(snap: &Snapshot, e: &NextHopUnreachable) -> FindingText {
    let lb_name = |lb: &LoadBalancerIdx| &snap.load_balancers[lb.index()].name;
    match e {
        NextHopUnreachable::RouteNotOwned { route, next_hop } => {
            let (r, table) = user_route(snap, route);
            FindingText::new(
                format!(
                    "route `{}` of `{}` sends {} to {next_hop}, which no NIC or load balancer in the snapshot owns: the traffic is dropped",
                    r.name,
                    table.name,
                    r.prefix.text()
                ),
                "point the route at the NVA's private IP (or its internal load balancer's), or add the NVA to the snapshot if it exists",
            )
            .evidence(appliance_route(snap, route, *next_hop))
        }
        NextHopUnreachable::RouteNotPeered { route, next_hop, vnet, owner_vnet } => {
            let (r, table) = user_route(snap, route);
            let owner = owner_vnet.map(|v| vnet_name(snap, v)).unwrap_or_default();
            let vnet = vnet_name(snap, *vnet);
            FindingText::new(
                format!(
                    "route `{}` of `{}` sends {} to {next_hop} in `{owner}`, which is neither `{vnet}` nor directly peered with it (next hops must be directly reachable)",
                    r.name,
                    table.name,
                    r.prefix.text()
                ),
                format!("peer `{vnet}` with `{owner}` or use an NVA in a directly reachable VNet"),
            )
            .evidence(appliance_route(snap, route, *next_hop))
        }
        NextHopUnreachable::RouteBasicLoadBalancerGlobal { route, lb } => {
            let (r, table) = user_route(snap, route);
            FindingText::new(
                format!(
                    "route `{}` of `{}` uses Basic load balancer `{}` across a global peering, which Azure does not support",
                    r.name,
                    table.name,
                    lb_name(lb)
                ),
                "use a Standard internal load balancer",
            )
        }
        NextHopUnreachable::RouteNotAnAppliance { route, next_hop } => {
            let (r, table) = user_route(snap, route);
            FindingText::new(
                format!(
                    "route `{}` of `{}` sends {} to {next_hop}, a private endpoint or gateway address, not an NVA",
                    r.name,
                    table.name,
                    r.prefix.text()
                ),
                "point the route at an NVA's private IP",
            )
        }
        _ => unreachable!("traced situations are worded by traced_next_hop_unreachable"),
    }
}

pub(super) fn none_route_blackholes_range(snap: &Snapshot, e: &NoneRouteBlackholesRange) -> FindingText {
    let mut covered: Vec<String> = e
        .covered
        .iter()
        .map(|c| match c {
            CoveredRange::OwnVnet(range) => format!("{range} (this VNet)"),
            CoveredRange::Peered { range, vnet } => format!("{range} (peered `{}`)", vnet_name(snap, *vnet)),
            CoveredRange::OnPremises { prefix, gateway } => {
                format!("{prefix} (on-premises via `{}`)", snap.gateways[gateway.index()].name)
            }
        })
        .collect();
    covered.sort();
    covered.dedup();
    let r = e.route.route();
    FindingText::new(
        format!(
            "user route {} of `{}` drops traffic to {} from {}",
            r.label(),
            user_route_table_name(snap, &e.route),
            covered.join(", "),
            context_label(snap, &e.context)
        ),
        "if this traffic should flow, remove the None route or narrow its prefix",
    )
    .evidence(r.label())
}

/// The name of the route table a user route of a computed table comes from.
fn user_route_table_name<'s>(snap: &'s Snapshot, route: &RouteRef) -> &'s str {
    match route.route().origin {
        RouteOrigin::User { table, .. } => table_name(snap, table),
        _ => "",
    }
}

pub(super) fn nsg_blocks_probe(snap: &Snapshot, e: &NsgBlocksProbe) -> FindingText {
    let at = match e.applied_to {
        AppliedTo::Subnet(s) => format!("subnet `{}`", snap.subnet_label(s)),
        AppliedTo::NetworkInterface(n) => format!("NIC `{}`", nic_name(snap, n)),
    };
    FindingText::new(
        format!(
            "rule `{}` (priority {}) of NSG `{}` on {at} denies 168.63.129.16, the source of load balancer `{}`'s health probes, before AllowAzureLoadBalancerInBound",
            e.rule,
            e.priority,
            snap.nsgs[e.nsg.index()].name,
            snap.load_balancers[e.lb.index()].name
        ),
        format!("add an Allow rule for source AzureLoadBalancer with a lower priority number than `{}`", e.rule),
    )
}

pub(super) fn nsg_on_gateway_subnet(snap: &Snapshot, e: &NsgOnGatewaySubnet) -> FindingText {
    let nsg = &snap.nsgs[e.nsg.index()].name;
    FindingText::new(
        format!("the GatewaySubnet `{}` has NSG `{nsg}`; NSGs are not supported there", snap.subnet_label(e.subnet)),
        format!("dissociate `{nsg}` from the GatewaySubnet"),
    )
}

pub(super) fn nva_in_same_subnet_loop(snap: &Snapshot, e: &NvaInSameSubnetLoop) -> FindingText {
    let (r, table) = user_route(snap, &e.route);
    let ip = e.next_hop;
    FindingText::new(
        format!(
            "NVA {ip} sits in `{}`, whose route table `{}` sends {} back to it: its forwarded traffic loops",
            snap.subnet_label(e.subnet),
            table.name,
            r.prefix.text()
        ),
        "move the NVA to its own subnet, or associate that subnet with a table without this route",
    )
    .evidence(format!("{}: {} → VirtualAppliance {ip}", r.name, r.prefix.text()))
}

pub(super) fn overlapping_address_space(snap: &Snapshot, e: &OverlappingAddressSpace) -> FindingText {
    match *e {
        OverlappingAddressSpace::Peered { a, a_range, b, b_range } => FindingText::new(
            format!(
                "peered VNets `{}` ({a_range}) and `{}` ({b_range}) overlap; Azure refuses such a peering and overlapping addresses are unreachable",
                vnet_name(snap, a),
                vnet_name(snap, b)
            ),
            "re-address one of the VNets, or peer only non-overlapping subnets (subnet peering)",
        ),
        OverlappingAddressSpace::OnPremises { vnet, range, gateway, prefix } => FindingText::new(
            format!(
                "on-premises prefix {prefix} (via gateway `{}`) overlaps {range} of `{}`: the overlapping addresses stay in the VNet",
                snap.gateways[gateway.index()].name,
                vnet_name(snap, vnet)
            ),
            "re-address on-premises or the VNet, or advertise narrower prefixes",
        ),
    }
}

pub(super) fn pe_udr_ineffective_no_policy(snap: &Snapshot, e: &PeUdrIneffectiveNoPolicy) -> FindingText {
    let subnet = snap.subnet_label(e.endpoint_subnet);
    FindingText::new(
        format!(
            "in {}, the user route {} covers private endpoint `{}` ({}), but the endpoint's subnet `{subnet}` does not apply route tables to private endpoints: the /32 route stays Active and endpoint traffic does not follow the user route",
            context_label(snap, &e.context),
            e.user_route.route().label(),
            snap.private_endpoints[e.endpoint.index()].name,
            e.address
        ),
        format!("set privateEndpointNetworkPolicies = RouteTableEnabled on `{subnet}`"),
    )
    .evidence(e.user_route.route().label())
    .evidence(e.endpoint_route.route().label())
}

/// A peering's state, and its other side's: the reverse peering's state, `missing` when the
/// remote VNet is exported without one, None when the remote VNet is not exported.
fn peering_states<'s>(snap: &'s Snapshot, sides: &PeeringSides) -> (&'s str, Option<&'s str>) {
    let local = snap.peerings[sides.peering.index()].state.as_str();
    let remote = match (sides.reverse, sides.remote_vnet) {
        (Some(q), _) => Some(snap.peerings[q.index()].state.as_str()),
        (None, Some(_)) => Some("missing"),
        (None, None) => None,
    };
    (local, remote)
}

pub(super) fn peering_not_connected(snap: &Snapshot, e: &PeeringNotConnected) -> FindingText {
    match e {
        PeeringNotConnected::Destination { vnet, target, sides, destination } => {
            let (local, remote) = peering_states(snap, sides);
            let (v, t) = (vnet_name(snap, *vnet), vnet_name(snap, *target));
            let (owner, other) = if snap.peerings[sides.peering.index()].vnet == *vnet { (t, v) } else { (v, t) };
            FindingText::new(
                format!(
                    "`{v}` and `{t}` are peered, but the peering is {local} (remote side: {}), so there is no route to {destination}",
                    remote.unwrap_or("missing")
                ),
                format!("create the peering from `{owner}` back to `{other}` (or re-create the deleted side) so both sides are Connected"),
            )
            .evidence(format!("peeringState = {local}"))
        }
        PeeringNotConnected::Peering(sides) => peering_object_not_connected(snap, sides),
    }
}

fn peering_object_not_connected(snap: &Snapshot, sides: &PeeringSides) -> FindingText {
    let p = &snap.peerings[sides.peering.index()];
    let (local_state, remote_state) = peering_states(snap, sides);
    let local = vnet_name(snap, p.vnet);
    let remote_name = match sides.remote_vnet {
        Some(r) => vnet_name(snap, r),
        None => p.remote_vnet.missing().map(|i| i.last_segment()).unwrap_or_default(),
    };
    let fix = match (&p.state, remote_state) {
        (PeeringState::Connected, Some(other)) => {
            format!("the peering back from `{remote_name}` is {other}: repair or re-create it")
        }
        (_, None) if sides.remote_vnet.is_some() => {
            format!("create the peering from `{remote_name}` back to `{local}`")
        }
        (PeeringState::Disconnected, _) => {
            format!("the other side was deleted: delete `{}` and re-create the peering on both sides", p.name)
        }
        _ => format!("create the peering from `{remote_name}` back to `{local}`, or sync both sides"),
    };
    let remote_text = remote_state.unwrap_or(if sides.remote_vnet.is_some() { "missing" } else { "not exported" });
    FindingText::new(
        format!(
            "peering `{}` from `{local}` to `{remote_name}` is {local_state} (remote side: {remote_text}): neither VNet has routes to the other",
            p.name
        ),
        fix,
    )
    .evidence(format!("peeringState = {local_state}"))
}

pub(super) fn private_endpoint_bypasses_firewall(snap: &Snapshot, e: &PrivateEndpointBypassesFirewall) -> FindingText {
    match e {
        PrivateEndpointBypassesFirewall::Traced { subnet, endpoint, route, firewall } => {
            let fw = firewall.route();
            FindingText::new(
                format!(
                    "traffic from `{}` to private endpoint `{}` takes its /32 route and skips the NVA {} that the subnet's 0.0.0.0/0 route sends everything else to",
                    snap.subnet_label(*subnet),
                    endpoint.map(|p| snap.private_endpoints[p.index()].name.as_str()).unwrap_or_default(),
                    fw.next_hop_ips.first().map(|i| i.to_string()).unwrap_or_default()
                ),
                "enable route-table network policies on the private endpoint's subnet (privateEndpointNetworkPolicies = RouteTableEnabled) and add a user route for the endpoint's VNet range (or the /32) via the NVA; SNAT at the NVA keeps replies symmetric",
            )
            .evidence(route.route().label())
            .evidence(fw.label())
        }
        PrivateEndpointBypassesFirewall::Context { context, firewall, endpoint_routes } => {
            let fw = firewall.route();
            FindingText::new(
                format!(
                    "in {}, {} private endpoint route(s) ({}) win over the 0.0.0.0/0 route to the firewall {}: traffic to those endpoints is not inspected",
                    context_label(snap, context),
                    endpoint_routes.len(),
                    endpoint_routes.iter().take(4).map(|r| r.route().prefix_text.join(" ")).collect::<Vec<_>>().join(", "),
                    ips(&fw.next_hop_ips)
                ),
                "enable route-table network policies on the endpoints' subnets (privateEndpointNetworkPolicies = RouteTableEnabled) and add user routes for their ranges via the firewall; SNAT there keeps replies symmetric",
            )
            .evidence(fw.label())
        }
    }
}

pub(super) fn route_limit_exceeded(snap: &Snapshot, e: &RouteLimitExceeded) -> FindingText {
    match *e {
        RouteLimitExceeded::Over { table, count, limit } => FindingText::new(
            format!("route table `{}` has {count} routes, more than the {limit} Azure allows", table_name(snap, table)),
            "summarise routes (fewer, shorter prefixes) or split the subnets over several tables",
        ),
        RouteLimitExceeded::Near { table, count } => FindingText::new(
            format!(
                "route table `{}` has {count} routes; the documented limit is 400 (600 in newer documentation)",
                table_name(snap, table)
            ),
            "summarise routes before the table hits the limit",
        ),
    }
}

pub(super) fn route_table_not_associated(snap: &Snapshot, e: &RouteTableNotAssociated) -> FindingText {
    let table = &snap.route_tables[e.table.index()];
    let mut text = FindingText::new(
        format!(
            "route table `{}` is associated with no subnet: its {} route(s) apply to nothing",
            table.name,
            table.routes.len()
        ),
        format!(
            "associate `{}` with the subnets that need it (`{}` for each) or delete it",
            table.name,
            az::associate_route_table(&table.id)
        ),
    );
    for r in table.routes.iter().take(5) {
        text = text.evidence(format!("{} → {} {}", r.prefix.text(), r.next_hop_type.as_str(), ips(&r.next_hop_ips)));
    }
    text
}

pub(super) fn service_tag_not_expanded(snap: &Snapshot, e: &ServiceTagNotExpanded) -> FindingText {
    FindingText::new(
        format!(
            "in {}, service tag `{}` could not be expanded, so its routes take no part in lookups",
            context_label(snap, &e.context),
            e.tag
        ),
        "add Azure's Service Tags file to the snapshot (az network list-service-tags --location REGION)",
    )
}

pub(super) fn service_tag_route_limit(snap: &Snapshot, e: &ServiceTagRouteLimit) -> FindingText {
    FindingText::new(
        format!("route table `{}` has {} service-tag routes; Azure allows 25", table_name(snap, e.table), e.count),
        "replace regional tags by a broader tag, or move some routes to another table",
    )
}

pub(super) fn udr_gateway_not_vpn(snap: &Snapshot, e: &UdrGatewayNotVpn) -> FindingText {
    let gateway_name = |g: &GatewayIdx| &snap.gateways[g.index()].name;
    let settings_fix = "use a VPN gateway (own or through gateway transit), let BGP carry routes over ExpressRoute, or send the traffic to an NVA";
    let settings_message = |route: &UserRoute, vnet: &VnetIdx, problem: String| {
        let (r, table) = user_route(snap, route);
        format!(
            "route `{}` of `{}` sends {} to VirtualNetworkGateway, but `{}` {problem}: the traffic is dropped",
            r.name,
            table.name,
            r.prefix.text(),
            vnet_name(snap, *vnet)
        )
    };
    match e {
        UdrGatewayNotVpn::TracedNoGateway { vnet, route } => FindingText::new(
            format!(
                "the user route {} sends traffic to VirtualNetworkGateway, but `{}` has no gateway of its own or by gateway transit: the traffic is dropped",
                route.route().label(),
                vnet_name(snap, *vnet)
            ),
            "deploy a VPN gateway (or enable gateway transit from a hub), or change the route's next hop",
        )
        .evidence(route.route().label()),
        UdrGatewayNotVpn::TracedExpressRoute { gateway, route } => FindingText::new(
            format!(
                "the user route {} sends traffic to VirtualNetworkGateway, which resolves to ExpressRoute gateway `{}`; only VPN gateways are supported as this next hop (§3.4): modelled as dropped",
                route.route().label(),
                gateway_name(gateway)
            ),
            "let BGP carry routes over ExpressRoute, or send the traffic to an NVA",
        )
        .evidence(route.route().label()),
        UdrGatewayNotVpn::NoGateway { route, vnet } => FindingText::new(
            settings_message(route, vnet, "has no gateway of its own or by gateway transit".to_string()),
            settings_fix,
        ),
        UdrGatewayNotVpn::ExpressRoute { route, vnet, gateway } => FindingText::new(
            settings_message(
                route,
                vnet,
                format!(
                    "resolves to ExpressRoute gateway `{}`; only VPN gateways are supported as this next hop",
                    gateway_name(gateway)
                ),
            ),
            settings_fix,
        ),
    }
}

pub(super) fn udr_next_hop_no_forwarding(snap: &Snapshot, e: &UdrNextHopNoForwarding) -> FindingText {
    let (r, table) = user_route(snap, &e.route);
    let nic = nic_name(snap, e.nic);
    FindingText::new(
        format!(
            "route `{}` of `{}` sends {} to NVA `{nic}` ({}), whose NIC has IP forwarding off: Azure drops what it should forward",
            r.name,
            table.name,
            r.prefix.text(),
            e.next_hop
        ),
        format!(
            "enable IP forwarding on network interface `{nic}` (`{}`) and in its guest OS",
            az::nic_ip_forwarding(&snap.nics[e.nic.index()].id)
        ),
    )
    .evidence(appliance_route(snap, &e.route, e.next_hop))
    .evidence(format!("{nic}: enableIPForwarding = false"))
}

pub(super) fn udr_or_nsg_on_route_server_subnet(snap: &Snapshot, e: &UdrOrNsgOnRouteServerSubnet) -> FindingText {
    FindingText::new(
        format!(
            "the RouteServerSubnet `{}` has a route table or NSG; Route Server supports neither",
            snap.subnet_label(e.subnet)
        ),
        "dissociate the route table and NSG from the RouteServerSubnet",
    )
}

pub(super) fn use_remote_gateways_missing(snap: &Snapshot, e: &UseRemoteGatewaysMissing) -> FindingText {
    let peering = |p: &PeeringIdx| &snap.peerings[p.index()].name;
    match e {
        UseRemoteGatewaysMissing::Destination {
            gateway,
            prefix,
            peering: p,
            vnet,
            remote,
            use_remote_gateways,
            remote_allows_transit,
            destination,
        } => {
            let v = vnet_name(snap, *vnet);
            let fix = if !use_remote_gateways {
                format!("set useRemoteGateways = true on peering `{}` of `{v}`", peering(p))
            } else {
                format!(
                    "set allowGatewayTransit = true on the peering from `{}` back to `{v}`",
                    remote.map(|r| vnet_name(snap, r)).unwrap_or_default()
                )
            };
            FindingText::new(
                format!(
                    "gateway `{}` in the peered VNet knows {prefix}, but gateway transit is half-configured (useRemoteGateways = {use_remote_gateways}, remote allowGatewayTransit = {remote_allows_transit}), so `{v}` gets no route to {destination}",
                    snap.gateways[gateway.index()].name
                ),
                fix,
            )
        }
        UseRemoteGatewaysMissing::TransitNotAllowed { vnet, peering: p } => {
            let v = vnet_name(snap, *vnet);
            FindingText::new(
                format!(
                    "`{v}` uses the remote gateway over peering `{}`, but the hub's peering back does not allow gateway transit: `{v}` gets no on-premises routes",
                    peering(p)
                ),
                "set allowGatewayTransit = true on the hub's peering to this VNet",
            )
        }
        UseRemoteGatewaysMissing::TransitNotUsed { vnet, peering: p } => {
            let v = vnet_name(snap, *vnet);
            FindingText::new(
                format!(
                    "the hub offers its gateway to `{v}` (allowGatewayTransit), but peering `{}` does not use it (useRemoteGateways = false): `{v}` gets no on-premises routes",
                    peering(p)
                ),
                format!("set useRemoteGateways = true on peering `{}` if `{v}` should reach on-premises", peering(p)),
            )
        }
        UseRemoteGatewaysMissing::NoRemoteGateway { peering: p, remote } => FindingText::new(
            format!(
                "peering `{}` sets useRemoteGateways, but `{}` has no gateway to use",
                peering(p),
                vnet_name(snap, *remote)
            ),
            "deploy the gateway in the hub, or clear useRemoteGateways",
        ),
        UseRemoteGatewaysMissing::OwnAndRemoteGateway { peering: p, vnet } => FindingText::new(
            format!(
                "`{}` has its own gateway and also uses a remote one over `{}`; Azure allows only one",
                vnet_name(snap, *vnet),
                peering(p)
            ),
            "clear useRemoteGateways on this peering, or remove the VNet's own gateway",
        ),
    }
}

pub(super) fn user_route_invalid(snap: &Snapshot, e: &UserRouteInvalid) -> FindingText {
    let r = e.route.route();
    let why = r.invalid.as_ref().map(|reason| invalid_text(e.route.table(), reason)).unwrap_or_default();
    FindingText::new(
        format!(
            "user route {} of `{}` is Invalid in {}: {why}",
            r.label(),
            user_route_table_name(snap, &e.route),
            context_label(snap, &e.context)
        ),
        "remove the route, or change its prefix if it should take effect",
    )
    .evidence(r.label())
}

pub(super) fn user_route_shadowed(snap: &Snapshot, e: &UserRouteShadowed) -> FindingText {
    let r = e.route.route();
    let why = match &e.by_service_endpoint {
        Some(by) => format!("the service-endpoint route {} takes precedence", by.route().label()),
        None => "more specific routes cover its whole prefix".to_string(),
    };
    FindingText::new(
        format!(
            "user route {} of `{}` is never used in {}: {why}",
            r.label(),
            user_route_table_name(snap, &e.route),
            context_label(snap, &e.context)
        ),
        "remove the route or the routes that shadow it",
    )
    .evidence(r.label())
}

pub(super) fn virtual_network_tag_includes_default(
    snap: &Snapshot,
    e: &VirtualNetworkTagIncludesDefault,
) -> FindingText {
    let names: Vec<&str> = e.nsgs.iter().map(|n| snap.nsgs[n.index()].name.as_str()).collect();
    let what = if e.relying.is_empty() {
        "AllowVnetInBound and AllowVnetOutBound now allow every address".to_string()
    } else {
        let rules: Vec<String> = e
            .relying
            .iter()
            .map(|(n, i)| {
                let nsg = &snap.nsgs[n.index()];
                format!("{}/{}", nsg.name, nsg.rules[*i].name)
            })
            .collect();
        format!("AllowVnetInBound, AllowVnetOutBound and the rules {} now match every address", rules.join(", "))
    };
    FindingText::new(
        format!(
            "the user route {} makes the VirtualNetwork tag of `{}` include 0.0.0.0/0: in NSG {}, {what}",
            e.route.route().label(),
            snap.subnet_label(e.subnet),
            names.join(", ")
        ),
        "do not rely on VirtualNetwork to filter: add explicit Deny rules (or rules on exact prefixes) above 65000",
    )
}

/// `ForcedTunnelNoDefaultSite` found by the doctor on a route table.
pub(super) fn forced_tunnel_no_default_site(
    snap: &Snapshot,
    route: &UserRoute,
    vnet: VnetIdx,
    gateway: GatewayIdx,
) -> FindingText {
    let (r, table) = user_route(snap, route);
    let gw = &snap.gateways[gateway.index()].name;
    let gw_id = &snap.gateways[gateway.index()].id;
    FindingText::new(
        format!(
            "route `{}` of `{}` forces {} from `{}` to VPN gateway `{gw}`, which has no default site (gatewayDefaultSite) and no 0.0.0.0/0 learned over BGP: it drops Internet-bound traffic",
            r.name,
            table.name,
            r.prefix.text(),
            vnet_name(snap, vnet)
        ),
        format!(
            "set the default site of `{gw}` (`{}`; in Terraform default_local_network_gateway_id), advertise 0.0.0.0/0 over BGP, or route 0.0.0.0/0 elsewhere",
            az::gateway_default_site(gw_id)
        ),
    )
    .evidence(format!("{} of `{}`: {} → VirtualNetworkGateway", r.name, table.name, r.prefix.text()))
    .evidence(format!("{gw}: gatewayDefaultSite = null"))
}

pub(super) fn nsg_blocks_forwarded_traffic(snap: &Snapshot, e: &NsgBlocksForwardedTraffic) -> FindingText {
    let (r, table) = user_route(snap, &e.route);
    let nsg = &snap.nsgs[e.nsg.index()].name;
    let nic = nic_name(snap, e.nic);
    let at = match e.applied_to {
        AppliedTo::Subnet(s) => format!("subnet `{}`", snap.subnet_label(s)),
        AppliedTo::NetworkInterface(n) => format!("NIC `{}`", nic_name(snap, n)),
    };
    let (protocol, src, dst, port) = (e.protocol.as_str(), e.source, e.destination, e.destination_port);
    let direction = e.direction.as_str().to_ascii_lowercase();
    FindingText::new(
        format!(
            "route `{}` of `{}` sends `{}`'s traffic to NVA `{nic}`, but `{}` of NSG `{nsg}` on {at} denies it {direction} ({protocol} {src} → {dst} port {port}): the forwarded traffic is dropped",
            r.name,
            table.name,
            snap.subnet_label(e.subnet),
            e.rule
        ),
        format!(
            "allow the routed traffic {direction} on NSG `{nsg}` (a rule for the routed subnets' prefixes with a lower priority number than `{}`)",
            e.rule.trim_start_matches("securityRules/").trim_start_matches("defaultSecurityRules/")
        ),
    )
    .evidence(appliance_route(snap, &e.route, snap.nics[e.nic.index()].primary_ip_config().and_then(|c| c.private_ip).unwrap_or(e.destination)))
    .evidence(format!("{nsg} {} ({})", e.rule, e.applied_to.as_str()))
}

/// `NvaNotRunning` found by the doctor on a route table.
pub(super) fn nva_not_running(
    snap: &Snapshot,
    route: &UserRoute,
    next_hop: IpAddr,
    nic: NicIdx,
    vm: VmIdx,
    state: &PowerState,
) -> FindingText {
    let (r, table) = user_route(snap, route);
    let vm_name = &snap.vms[vm.index()].name;
    FindingText::new(
        format!(
            "route `{}` of `{}` sends {} to NVA `{}` ({next_hop}), whose VM `{vm_name}` is not running ({}): it forwards nothing",
            r.name,
            table.name,
            r.prefix.text(),
            nic_name(snap, nic),
            state.as_str()
        ),
        format!("start VM `{vm_name}` (`{}`), or route around it", az::vm_start(&snap.vms[vm.index()].id)),
    )
    .evidence(appliance_route(snap, route, next_hop))
    .evidence(format!("{vm_name}: {}", state.as_str()))
}

pub(super) fn route_table_region_mismatch(snap: &Snapshot, e: &RouteTableRegionMismatch) -> FindingText {
    let (table, subnet, what) = match e {
        RouteTableRegionMismatch::Region { table, subnet, table_location, vnet_location } => {
            (table, subnet, format!("region: the table is in {table_location}, the VNet in {vnet_location}"))
        }
        RouteTableRegionMismatch::Subscription { table, subnet, table_subscription, vnet_subscription } => (
            table,
            subnet,
            format!("subscription: the table is in {table_subscription}, the VNet in {vnet_subscription}"),
        ),
    };
    let name = table_name(snap, *table);
    FindingText::new(
        format!(
            "route table `{name}` is associated with `{}` of another {what}; Azure refuses such an association, so this is not a network Azure runs",
            snap.subnet_label(*subnet)
        ),
        format!(
            "create the route table in the VNet's region and subscription and associate that one instead of `{name}`"
        ),
    )
}
