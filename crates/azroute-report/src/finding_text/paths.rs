//! The words of findings made on traced paths: drops, loops, asymmetry, NSG denials, peerings
//! that refuse a packet, destinations nobody holds.

use azroute_engine::RouteOrigin;
use azroute_engine::*;
use azroute_model::*;

use super::*;

pub(super) fn asymmetric_path(snap: &Snapshot, e: &AsymmetricPath) -> FindingText {
    let names = |list: &[NicIdx]| -> String {
        if list.is_empty() {
            "no NVA".to_string()
        } else {
            list.iter().map(|n| format!("`{}`", nic_name(snap, *n))).collect::<Vec<_>>().join(" → ")
        }
    };
    let fix = match &e.return_route {
        Some(r) => format!(
            "make the reply pass `{}` too: add a user route for {} with next hop VirtualAppliance {} to the route table of the reply's first subnet{}, or SNAT the traffic at the NVA",
            nic_name(snap, r.nva),
            r.source_prefix,
            snap.nics[r.nva.index()].primary_ip_config().and_then(|c| c.private_ip).map(|i| i.to_string()).unwrap_or_default(),
            r.reply_subnet.map(|s| format!(" (`{}`)", snap.subnet_label(s))).unwrap_or_default()
        ),
        None => "make both directions pass the same stateful devices (matching user routes on both sides), or SNAT at the NVA".to_string(),
    };
    let message = format!(
        "the request passes {} but the reply passes {}: a stateful firewall drops packets of connections it did not see start",
        names(&e.request_devices),
        names(&e.reply_devices)
    );
    FindingText { message, evidence: hop_routes(snap, &e.routes), fix }
}

pub(super) fn dropped_by_none_route(snap: &Snapshot, e: &DroppedByNoneRoute) -> FindingText {
    match e {
        DroppedByNoneRoute::Dropped { subnet, destination, route } => {
            let r = route.route();
            let (by, fix) = match r.origin {
                RouteOrigin::User { table, .. } => (
                    format!(
                        "the user route `{}` of route table `{}`",
                        r.name.clone().unwrap_or_default(),
                        table_name(snap, table)
                    ),
                    "remove or change the user route if this traffic should flow",
                ),
                _ => (
                    format!("the system route {} (reserved ranges are dropped by default)", r.prefix_text.join(" ")),
                    "give the destination a route: peer its VNet directly, add a gateway route, or a user route to an NVA that can reach it",
                ),
            };
            let message = format!(
                "{destination} matches {by} with next hop None in `{}`: the packet is dropped",
                snap.subnet_label(*subnet)
            );
            FindingText::new(message, fix).evidence(r.label())
        }
        DroppedByNoneRoute::BehindNsg { subnet, destination, route } => behind_nsg(snap, *subnet, *destination, route),
    }
}

/// A route that would lose the packet an NSG already dropped.
fn behind_nsg(snap: &Snapshot, subnet: SubnetIdx, destination: std::net::IpAddr, route: &RouteRef) -> FindingText {
    let message = format!(
        "even if the NSG allowed it, {destination} from `{}` matches {} and would be lost",
        snap.subnet_label(subnet),
        route.route().label()
    );
    FindingText::new(message, "see the findings above for how to give the destination a route")
        .evidence(route.route().label())
}

pub(super) fn forwarded_traffic_not_allowed(snap: &Snapshot, e: &ForwardedTrafficNotAllowed) -> FindingText {
    let (from, to) = (&snap.vnets[e.from.index()], &snap.vnets[e.to.index()]);
    let back = &snap.peerings[e.peering.index()];
    let message = format!(
        "the packet from {} was forwarded by `{}` into `{}`, whose peering `{}` does not allow forwarded traffic: it is dropped",
        e.source, from.name, to.name, back.name
    );
    let fix = format!(
        "set allowForwardedTraffic = true on peering `{}` of `{}` (\"Allow traffic forwarded from {}\")",
        back.name, to.name, from.name
    );
    let space = from.address_space.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", ");
    FindingText::new(message, fix).evidence(format!("{} is outside {} ({space})", e.source, from.name))
}

pub(super) fn subnet_peering_non_peered_source(snap: &Snapshot, e: &SubnetPeeringNonPeeredSource) -> FindingText {
    let (from, to) = (&snap.vnets[e.from.index()], &snap.vnets[e.to.index()]);
    let back = &snap.peerings[e.peering.index()];
    let message = format!(
        "the packet from {} reaches `{}` over subnet peering `{}`, which does not list its subnet of `{}`: Azure gives every subnet the route but drops packets from non-peered subnets at the destination",
        e.source, to.name, back.name, from.name
    );
    let fix = format!(
        "add the source's subnet to the subnet peering of `{}` and `{}` (localSubnetNames on `{}`'s side, remoteSubnetNames on `{}`'s), or peer the whole VNets",
        from.name, to.name, from.name, to.name
    );
    let peered = back.remote_address_space.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", ");
    FindingText::new(message, fix).evidence(format!("peered subnets of {}: {peered}", from.name))
}

pub(super) fn subnet_peering_non_peered_destination(
    snap: &Snapshot,
    e: &SubnetPeeringNonPeeredDestination,
) -> FindingText {
    let (from, to) = (&snap.vnets[e.from.index()], &snap.vnets[e.to.index()]);
    let p = &snap.peerings[e.peering.index()];
    let message = format!(
        "the packet to {} takes the connected-group route from `{}` to `{}`, but the two VNets also have subnet peering `{}`, which does not list the destination's subnet: subnet peering takes precedence and traffic between non-peered subnets is dropped",
        e.destination, from.name, to.name, p.name
    );
    let fix = format!(
        "add the destination's subnet to the subnet peering (remoteSubnetNames on `{}`'s side, localSubnetNames on `{}`'s), peer the whole VNets, or remove the subnet peering",
        from.name, to.name
    );
    let peered = p.remote_address_space.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", ");
    FindingText::new(message, fix).evidence(format!("peered subnets of {}: {peered}", to.name))
}

pub(super) fn gateway_connection_down(snap: &Snapshot, e: &GatewayConnectionDown) -> FindingText {
    let c = &snap.connections[e.connection.index()];
    let message =
        format!("connection `{}` is {}: the route exists but packets may not reach on-premises", c.name, c.status);
    FindingText::new(message, "check the tunnel (VPN troubleshoot) and the on-premises device")
}

pub(super) fn ip_forwarding_disabled(snap: &Snapshot, e: &IpForwardingDisabled) -> FindingText {
    match e {
        IpForwardingDisabled::Source { nic, source } => {
            let name = nic_name(snap, *nic);
            FindingText::new(
                format!(
                    "`{name}` sends from {source}, which is not one of its addresses, and IP forwarding is off: Azure drops the packet"
                ),
                format!(
                    "enable IP forwarding on network interface `{name}` (`{}`)",
                    az::nic_ip_forwarding(&snap.nics[nic.index()].id)
                ),
            )
        }
        IpForwardingDisabled::Appliance { nic, address, destination, route } => {
            let name = nic_name(snap, *nic);
            FindingText::new(
                format!(
                    "NVA `{name}` ({}) receives a packet for {destination} but IP forwarding is off on its NIC: Azure drops it",
                    address.map(|a| a.to_string()).unwrap_or_default()
                ),
                format!(
                    "enable IP forwarding on network interface `{name}` (`{}`) and in the NVA's guest OS",
                    az::nic_ip_forwarding(&snap.nics[nic.index()].id)
                ),
            )
            .evidence(route.route().label())
        }
    }
}

pub(super) fn no_host_at_destination(snap: &Snapshot, e: &NoHostAtDestination) -> FindingText {
    match *e {
        NoHostAtDestination::NotPublic { source, destination, private } => {
            let message = if private {
                format!("{destination} is a private address; it cannot be reached from the Internet")
            } else {
                format!("{destination} is not a public IP of any NIC in the snapshot")
            };
            FindingText::new(
                message,
                "trace to a public IP attached to a NIC, or from a source inside Azure or on-premises",
            )
            .evidence(format!(
                "source {source} is neither in a VNet nor behind a gateway, so it is treated as the Internet"
            ))
        }
        NoHostAtDestination::RemoteVnetMissing { destination } => FindingText::new(
            format!("{destination} is in a peered VNet that is not in the snapshot; the trace stops at the peering"),
            "export the remote virtual network to follow the packet further",
        ),
        NoHostAtDestination::Unowned { vnet, destination } => FindingText::new(
            format!(
                "no NIC, load balancer or private endpoint in `{}` has the address {destination}",
                vnet_name(snap, vnet)
            ),
            "check the destination address; if the resource exists, add it to the snapshot",
        ),
        NoHostAtDestination::NoBackend { lb } => FindingText::new(
            format!("load balancer `{}` has no backend in the snapshot", snap.load_balancers[lb.index()].name),
            "add backends to the load balancer's pool",
        ),
    }
}

pub(super) fn no_route(snap: &Snapshot, e: &NoRoute) -> FindingText {
    FindingText::new(
        format!("no route of `{}` matches {}", snap.subnet_label(e.subnet), e.destination),
        "add a route for this destination",
    )
}

pub(super) fn non_transitive_peering(snap: &Snapshot, e: &NonTransitivePeering) -> FindingText {
    let (v, t) = (&snap.vnets[e.vnet.index()], &snap.vnets[e.target.index()]);
    let via: Vec<&str> = e.via.iter().map(|m| vnet_name(snap, *m)).collect();
    let message = format!(
        "`{}` reaches `{}` only through `{}`, but VNet peering is not transitive: `{}` has no route to {}",
        v.name,
        t.name,
        via.join("`, `"),
        v.name,
        e.destination
    );
    let fix = format!(
        "peer `{}` with `{}` directly, or send {} through an NVA in `{}` with a user route (next hop VirtualAppliance) on both sides",
        v.name,
        t.name,
        t.address_space.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", "),
        via[0]
    );
    FindingText::new(message, fix)
}

pub(super) fn nva_not_running(snap: &Snapshot, e: &NvaNotRunning) -> FindingText {
    match e {
        NvaNotRunning::Traced { nic, vm, state, destination, route } => {
            let vm_id = &snap.vms[vm.index()].id;
            let message = format!(
                "NVA `{}` (NIC `{}`) receives a packet for {destination} but its VM is not running ({}): it forwards nothing and the packet is dropped",
                snap.vms[vm.index()].name,
                nic_name(snap, *nic),
                state.as_str()
            );
            let fix = format!("start the VM (`{}`), or route around it", az::vm_start(vm_id));
            FindingText::new(message, fix).evidence(route.route().label())
        }
        NvaNotRunning::Route { route, next_hop, nic, vm, state } => {
            super::settings::nva_not_running(snap, route, *next_hop, *nic, *vm, state)
        }
    }
}

pub(super) fn forced_tunnel_no_default_site(snap: &Snapshot, e: &ForcedTunnelNoDefaultSite) -> FindingText {
    match e {
        ForcedTunnelNoDefaultSite::Traced { gateway, destination, route } => {
            let gw = &snap.gateways[gateway.index()];
            let message = format!(
                "{destination} is sent to VPN gateway `{}`, which has no on-premises prefix for it (no BGP-learned 0.0.0.0/0 either) and no default site (gatewayDefaultSite): forced tunnelling has nowhere to go and the packet is dropped",
                gw.name
            );
            let fix = format!(
                "set the gateway's default site (`{}`), or advertise 0.0.0.0/0 over BGP from on-premises",
                az::gateway_default_site(&gw.id)
            );
            FindingText::new(message, fix).evidence(route.route().label())
        }
        ForcedTunnelNoDefaultSite::Route { route, vnet, gateway } => {
            super::settings::forced_tunnel_no_default_site(snap, route, *vnet, *gateway)
        }
    }
}

pub(super) fn destination_not_running(snap: &Snapshot, e: &DestinationNotRunning) -> FindingText {
    let vm_id = &snap.vms[e.vm.index()].id;
    let message = format!(
        "{} is held by NIC `{}` of VM `{}`, which is not running ({}): nothing answers and the packet is dropped",
        e.destination,
        nic_name(snap, e.nic),
        snap.vms[e.vm.index()].name,
        e.state.as_str()
    );
    FindingText::new(message, format!("start the VM (`{}`)", az::vm_start(vm_id)))
}

pub(super) fn not_modelled(snap: &Snapshot, e: &NotModelled) -> FindingText {
    let r = e.route.as_ref().map(|r| r.route());
    let text = match (&e.reason, r) {
        (Some(reason), _) => super::vwan::not_followed(snap, reason),
        (None, r) => FindingText::new(
            format!(
                "next hop type `{}` is not modelled; the trace stops here",
                r.map_or("?", |r| r.next_hop_type.as_str())
            ),
            "check this route against Azure's documentation",
        ),
    };
    match r {
        Some(r) => text.evidence(r.label()),
        None => text,
    }
}

pub(super) fn nsg_denied(snap: &Snapshot, e: &NsgDenied) -> FindingText {
    let nsg = &snap.nsgs[e.nsg.index()];
    let at = match e.applied_to {
        azroute_engine::AppliedTo::Subnet(s) => format!("subnet `{}`", snap.subnet_label(s)),
        azroute_engine::AppliedTo::NetworkInterface(n) => format!("network interface `{}`", nic_name(snap, n)),
    };
    let rule = &*e.rule;
    let (protocol, src, dst, port) = (e.protocol.as_str(), e.source, e.destination, e.destination_port);
    let fix = if rule.starts_with("defaultSecurityRules/") {
        format!(
            "add a rule to NSG `{}` allowing {} {protocol} from {src} to {dst} port {port} with a priority below 65000",
            nsg.name,
            e.direction.as_str().to_ascii_lowercase()
        )
    } else {
        format!(
            "change or remove rule `{}` of NSG `{}`, or add an Allow rule with a lower priority number for {protocol} {src} to {dst} port {port}",
            rule.trim_start_matches("securityRules/"),
            nsg.name
        )
    };
    let message = format!(
        "{} traffic {src} → {dst} port {port} is denied by `{rule}` of NSG `{}` on {at}",
        e.direction.as_str(),
        nsg.name
    );
    FindingText::new(message, fix).evidence(format!("{} {rule} ({})", nsg.name, e.applied_to.as_str()))
}

pub(super) fn avnm_admin_rule_denied(snap: &Snapshot, e: &AvnmAdminRuleDenied) -> FindingText {
    let rule = &snap.avnm.admin_rules[e.rule];
    let (protocol, src, dst, port) = (e.protocol.as_str(), e.source, e.destination, e.destination_port);
    let message = format!(
        "{} traffic {src} → {dst} port {port} is denied by security admin rule `{}` before any NSG (§18.3)",
        e.direction.as_str(),
        e.name
    );
    let fix = format!(
        "change admin rule `{}` (priority {}) in Azure Virtual Network Manager, or add an Allow/AlwaysAllow admin rule with a lower priority number for {protocol} {src} to {dst} port {port}; NSG rules cannot override it",
        rule.name, rule.priority
    );
    FindingText::new(message, fix).evidence(format!("{} (SecurityAdminRule, Deny, priority {})", e.name, rule.priority))
}

pub(super) fn peering_access_disabled(snap: &Snapshot, e: &PeeringAccessDisabled) -> FindingText {
    let back = &snap.peerings[e.peering.index()];
    FindingText::new(
        format!(
            "peering `{}` of `{}` has allowVirtualNetworkAccess = false (modelled as dropping traffic, --peering-access-false-semantics drop)",
            back.name,
            vnet_name(snap, e.vnet)
        ),
        format!("set allowVirtualNetworkAccess = true on peering `{}`", back.name),
    )
}

pub(super) fn private_destination_to_internet(snap: &Snapshot, e: &PrivateDestinationToInternet) -> FindingText {
    match e {
        PrivateDestinationToInternet::Lost { subnet, destination, route } => FindingText::new(
            format!(
                "{destination} is a private address but the route chosen in `{}` sends it to the Internet, where it is lost",
                snap.subnet_label(*subnet)
            ),
            "route the private range explicitly (peering, gateway, or a user route to an NVA)",
        )
        .evidence(route.route().label()),
        PrivateDestinationToInternet::BehindNsg { subnet, destination, route } => {
            behind_nsg(snap, *subnet, *destination, route)
        }
    }
}

pub(super) fn routing_loop(snap: &Snapshot, e: &RoutingLoop) -> FindingText {
    match e {
        RoutingLoop::Revisit { destination, at, routes } => FindingText {
            message: format!(
                "the packet to {destination} returns to `{}`: the routes below send it round in a loop until its TTL runs out",
                hop_name(snap, at)
            ),
            evidence: hop_routes(snap, routes),
            fix: "change one of these routes so the destination is delivered (or dropped) instead of sent back"
                .to_string(),
        },
        RoutingLoop::HopLimit { destination, limit } => FindingText::new(
            format!("the packet to {destination} crossed {limit} hops without arriving"),
            "check the user routes along the path",
        ),
    }
}

pub(super) fn traffic_analysis_sampled(e: &TrafficAnalysisSampled) -> FindingText {
    FindingText::new(
        format!(
            "traffic analysis traced {} of {} context pairs involving an NVA (an evenly spread sample)",
            e.traced, e.candidates
        ),
        "pass --exhaustive to trace every cell of the reachability matrix instead, or raise --max-traces",
    )
}
