//! Checks that read settings and computed route tables: each proves a misconfiguration from the
//! snapshot and says how to fix it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;

use azroute_engine::*;
use azroute_model::*;
use ipnet::IpNet;

use crate::Doctor;

fn rt_label(snap: &Snapshot, t: RouteTableIdx) -> &str {
    &snap.route_tables[t.index()].name
}

impl Doctor<'_, '_> {
    /// Subnets associated with each route table.
    pub(crate) fn associations(&self) -> Vec<Vec<SubnetIdx>> {
        let snap = self.snap;
        let mut out = vec![Vec::new(); snap.route_tables.len()];
        for (i, s) in snap.subnets.iter().enumerate() {
            if let Some(t) = s.route_table.as_ref().and_then(|l| l.resolved()) {
                out[t.index()].push(SubnetIdx(i as u32));
            }
        }
        out
    }

    pub(crate) fn route_table_checks(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        let associations = self.associations();
        let topo = self.routes.topology();
        for (ti, table) in snap.route_tables.iter().enumerate() {
            let t = RouteTableIdx(ti as u32);
            let subnets = &associations[ti];
            let id = table.id.to_string();
            if subnets.is_empty() {
                let mut f = Finding::new(
                    "RouteTableNotAssociated",
                    Severity::Warning,
                    format!("route table `{}` is associated with no subnet: its {} route(s) apply to nothing", table.name, table.routes.len()),
                    format!(
                        "associate `{}` with the subnets that need it (az network vnet subnet update --route-table {}) or delete it",
                        table.name, table.name
                    ),
                )
                .resource(&id);
                for r in table.routes.iter().take(5) {
                    f = f.evidence(format!(
                        "{} → {} {}",
                        r.prefix.text(),
                        r.next_hop_type.as_str(),
                        ips(&r.next_hop_ips)
                    ));
                }
                out.push(f);
            }
            // Limits (§3.6).
            let n = table.routes.len();
            if n > self.routes.options().max_routes_per_table {
                out.push(
                    Finding::new(
                        "RouteLimitExceeded",
                        Severity::Error,
                        format!(
                            "route table `{}` has {n} routes, more than the {} Azure allows",
                            table.name,
                            self.routes.options().max_routes_per_table
                        ),
                        "summarise routes (fewer, shorter prefixes) or split the subnets over several tables",
                    )
                    .resource(&id),
                );
            } else if n > self.routes.options().warn_routes_per_table {
                out.push(
                    Finding::new(
                        "RouteLimitExceeded",
                        Severity::Warning,
                        format!(
                            "route table `{}` has {n} routes; the documented limit is 400 (600 in newer documentation)",
                            table.name
                        ),
                        "summarise routes before the table hits the limit",
                    )
                    .resource(&id),
                );
            }
            let tag_routes = table.routes.iter().filter(|r| matches!(r.prefix, RoutePrefix::ServiceTag(_))).count();
            if tag_routes > 25 {
                out.push(
                    Finding::new(
                        "ServiceTagRouteLimit",
                        Severity::Error,
                        format!("route table `{}` has {tag_routes} service-tag routes; Azure allows 25", table.name),
                        "replace regional tags by a broader tag, or move some routes to another table",
                    )
                    .resource(&id),
                );
            }
            let mut seen: HashMap<String, &Route> = HashMap::new();
            for r in &table.routes {
                let key = r.prefix.text().to_ascii_lowercase();
                if let Some(first) = seen.get(&key) {
                    out.push(
                        Finding::new(
                            "DuplicatePrefixInRouteTable",
                            Severity::Error,
                            format!("route table `{}` has two routes for {}: `{}` and `{}`; Azure refuses this and azroute ignores `{}`", table.name, r.prefix.text(), first.name, r.name, r.name),
                            format!("delete one of the routes `{}` and `{}`", first.name, r.name),
                        )
                        .resource(&id)
                        .evidence(format!("{}: {} → {}", first.name, first.prefix.text(), first.next_hop_type.as_str()))
                        .evidence(format!("{}: {} → {}", r.name, r.prefix.text(), r.next_hop_type.as_str())),
                    );
                } else {
                    seen.insert(key, r);
                }
            }
            if subnets.is_empty() {
                continue;
            }
            for r in &table.routes {
                match r.next_hop_type {
                    RouteNextHopType::VirtualAppliance | RouteNextHopType::VirtualApplianceEcmp => {
                        for ip in &r.next_hop_ips {
                            self.appliance_checks(t, r, *ip, subnets, out);
                        }
                    }
                    RouteNextHopType::VirtualNetworkGateway => {
                        let mut vnets: BTreeSet<VnetIdx> =
                            subnets.iter().map(|s| snap.subnets[s.index()].vnet).collect();
                        for v in std::mem::take(&mut vnets) {
                            let gws = &topo.attachments[v.index()].gateways;
                            let vpn = gws.iter().any(|g| snap.gateways[g.index()].gateway_type == GatewayType::Vpn);
                            let er =
                                gws.iter().find(|g| snap.gateways[g.index()].gateway_type == GatewayType::ExpressRoute);
                            let problem = match (vpn, er) {
                                (true, None) => None,
                                (false, None) => Some("has no gateway of its own or by gateway transit".to_string()),
                                (_, Some(e)) => Some(format!(
                                    "resolves to ExpressRoute gateway `{}`; only VPN gateways are supported as this next hop",
                                    snap.gateways[e.index()].name
                                )),
                            };
                            if let Some(problem) = problem {
                                out.push(
                                    Finding::new(
                                        "UdrGatewayNotVpn",
                                        Severity::Error,
                                        format!(
                                            "route `{}` of `{}` sends {} to VirtualNetworkGateway, but `{}` {problem}: the traffic is dropped",
                                            r.name,
                                            table.name,
                                            r.prefix.text(),
                                            snap.vnets[v.index()].name
                                        ),
                                        "use a VPN gateway (own or through gateway transit), let BGP carry routes over ExpressRoute, or send the traffic to an NVA",
                                    )
                                    .resource(&id)
                                    .resource(snap.vnets[v.index()].id.to_string()),
                                );
                            }
                        }
                    }
                    _ => {}
                }
            }
            // An NVA in a subnet whose own table sends traffic back to it (§3.3).
            for r in table.routes.iter().filter(|r| r.next_hop_type == RouteNextHopType::VirtualAppliance) {
                for s in subnets {
                    let subnet = &snap.subnets[s.index()];
                    let Some(ip) = r.next_hop_ips.first() else { continue };
                    let covers_subnet = match &r.prefix {
                        RoutePrefix::Cidr(p) => {
                            subnet.prefixes.iter().any(|sp| contains_prefix(p, sp)) || p.prefix_len() == 0
                        }
                        RoutePrefix::ServiceTag(_) => false,
                    };
                    if subnet.contains(*ip) && covers_subnet {
                        out.push(
                            Finding::new(
                                "NvaInSameSubnetLoop",
                                Severity::Error,
                                format!(
                                    "NVA {ip} sits in `{}`, whose route table `{}` sends {} back to it: its forwarded traffic loops",
                                    snap.subnet_label(*s),
                                    table.name,
                                    r.prefix.text()
                                ),
                                "move the NVA to its own subnet, or associate that subnet with a table without this route",
                            )
                            .resource(&id)
                            .resource(subnet.id.to_string())
                            .evidence(format!("{}: {} → VirtualAppliance {ip}", r.name, r.prefix.text())),
                        );
                    }
                }
            }
        }
    }

    /// A virtual-appliance next hop: owned, reachable, forwarding (§3.3, §6.2, §6.3).
    fn appliance_checks(&self, t: RouteTableIdx, r: &Route, ip: IpAddr, subnets: &[SubnetIdx], out: &mut Vec<Finding>) {
        let snap = self.snap;
        let topo = self.routes.topology();
        let table = &snap.route_tables[t.index()];
        let owners: Vec<Owner> = self
            .tracer
            .addressing
            .owners(ip)
            .iter()
            .copied()
            .filter(|o| !matches!(o, Owner::PublicIp { .. }))
            .collect();
        let evidence = format!("{} of `{}`: {} → VirtualAppliance {ip}", r.name, table.name, r.prefix.text());
        if owners.is_empty() {
            out.push(
                Finding::new(
                    "NextHopUnreachable",
                    Severity::Error,
                    format!("route `{}` of `{}` sends {} to {ip}, which no NIC or load balancer in the snapshot owns: the traffic is dropped", r.name, table.name, r.prefix.text()),
                    "point the route at the NVA's private IP (or its internal load balancer's), or add the NVA to the snapshot if it exists".to_string(),
                )
                .resource(table.id.to_string())
                .evidence(evidence),
            );
            return;
        }
        let vnets: BTreeSet<VnetIdx> = subnets.iter().map(|s| snap.subnets[s.index()].vnet).collect();
        for v in vnets {
            let mut reachable = vec![v];
            reachable.extend(topo.connected_peerings(snap, v).filter_map(|p| topo.peerings[p.index()].remote_vnet));
            let Some(owner) =
                owners.iter().find(|o| Addressing::vnet_of(snap, o).is_some_and(|ov| reachable.contains(&ov)))
            else {
                let where_ = owners
                    .iter()
                    .find_map(|o| Addressing::vnet_of(snap, o))
                    .map(|ov| snap.vnets[ov.index()].name.clone())
                    .unwrap_or_default();
                out.push(
                    Finding::new(
                        "NextHopUnreachable",
                        Severity::Error,
                        format!(
                            "route `{}` of `{}` sends {} to {ip} in `{where_}`, which is neither `{}` nor directly peered with it (next hops must be directly reachable)",
                            r.name,
                            table.name,
                            r.prefix.text(),
                            snap.vnets[v.index()].name
                        ),
                        format!("peer `{}` with `{where_}` or use an NVA in a directly reachable VNet", snap.vnets[v.index()].name),
                    )
                    .resource(table.id.to_string())
                    .evidence(evidence.clone()),
                );
                continue;
            };
            let nics: Vec<NicIdx> = match owner {
                Owner::Nic { nic, .. } => vec![*nic],
                Owner::LoadBalancer { lb, .. } => {
                    let l = &snap.load_balancers[lb.index()];
                    let ov = Addressing::vnet_of(snap, owner).expect("filtered");
                    let global = topo.peering_between(snap, v, ov).is_some_and(|p| topo.peerings[p.index()].global);
                    if global && l.sku.eq_ignore_ascii_case("Basic") {
                        out.push(
                            Finding::new(
                                "NextHopUnreachable",
                                Severity::Error,
                                format!("route `{}` of `{}` uses Basic load balancer `{}` across a global peering, which Azure does not support", r.name, table.name, l.name),
                                "use a Standard internal load balancer",
                            )
                            .resource(table.id.to_string())
                            .resource(l.id.to_string()),
                        );
                    }
                    l.backend_nics.iter().filter_map(|b| b.resolved()).collect()
                }
                _ => {
                    out.push(
                        Finding::new(
                            "NextHopUnreachable",
                            Severity::Error,
                            format!("route `{}` of `{}` sends {} to {ip}, a private endpoint or gateway address, not an NVA", r.name, table.name, r.prefix.text()),
                            "point the route at an NVA's private IP",
                        )
                        .resource(table.id.to_string()),
                    );
                    continue;
                }
            };
            for nic in nics {
                let n = &snap.nics[nic.index()];
                if !n.ip_forwarding {
                    out.push(
                        Finding::new(
                            "UdrNextHopNoForwarding",
                            Severity::Error,
                            format!("route `{}` of `{}` sends {} to NVA `{}` ({ip}), whose NIC has IP forwarding off: Azure drops what it should forward", r.name, table.name, r.prefix.text(), n.name),
                            format!("enable IP forwarding on network interface `{}` (az network nic update --ip-forwarding true) and in its guest OS", n.name),
                        )
                        .resource(n.id.to_string())
                        .resource(table.id.to_string())
                        .evidence(evidence.clone())
                        .evidence(format!("{}: enableIPForwarding = false", n.name)),
                    );
                }
                if let Some(vm) = n.vm.as_ref().and_then(|l| l.resolved()) {
                    let v = &snap.vms[vm.index()];
                    let primary = v.nics.get(v.primary_nic).and_then(|l| l.resolved());
                    if v.nics.len() > 1 && primary != Some(nic) {
                        out.push(
                            Finding::new(
                                "MultiNicGuestRouteMissing",
                                Severity::Warning,
                                format!(
                                    "route `{}` of `{}` sends traffic to `{}`, a secondary NIC of `{}`; only the primary NIC has a default route in the guest, so the NVA's OS needs routes for traffic in and out of this NIC",
                                    r.name, table.name, n.name, v.name
                                ),
                                format!("configure guest OS routes on `{}` for the prefixes that use `{}` (see the multi-NIC guide)", v.name, n.name),
                            )
                            .resource(n.id.to_string())
                            .resource(v.id.to_string()),
                        );
                    }
                }
            }
        }
    }

    pub(crate) fn special_subnet_checks(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        for (i, s) in snap.subnets.iter().enumerate() {
            let label = snap.subnet_label(SubnetIdx(i as u32));
            let rt = s.route_table.as_ref().and_then(|l| l.resolved());
            if s.is_gateway_subnet() {
                if let Some(t) = rt {
                    let table = &snap.route_tables[t.index()];
                    if let Some(r) = table
                        .routes
                        .iter()
                        .find(|r| matches!(r.prefix, RoutePrefix::Cidr(p) if p.prefix_len() == 0 && p.addr().is_ipv4()))
                    {
                        out.push(
                            Finding::new(
                                "GatewaySubnetDefaultRoute",
                                Severity::Error,
                                format!("the GatewaySubnet `{label}` uses route table `{}`, which has a 0.0.0.0/0 route (`{}`); Azure does not support this and the gateway stops working", table.name, r.name),
                                format!("remove `{}` from `{}`, and route only specific prefixes (e.g. spoke ranges) to the firewall", r.name, table.name),
                            )
                            .resource(table.id.to_string())
                            .resource(s.id.to_string()),
                        );
                    }
                    if table.disable_bgp_route_propagation {
                        out.push(
                            Finding::new(
                                "GatewaySubnetPropagationDisabled",
                                Severity::Error,
                                format!("the GatewaySubnet `{label}` uses route table `{}`, which disables gateway route propagation; it must stay enabled there", table.name),
                                format!("set disableBgpRoutePropagation = false on `{}`, or use another table for the GatewaySubnet", table.name),
                            )
                            .resource(table.id.to_string())
                            .resource(s.id.to_string()),
                        );
                    }
                }
                if let Some(n) = s.nsg.as_ref().and_then(|l| l.resolved()) {
                    out.push(
                        Finding::new(
                            "NsgOnGatewaySubnet",
                            Severity::Error,
                            format!(
                                "the GatewaySubnet `{label}` has NSG `{}`; NSGs are not supported there",
                                snap.nsgs[n.index()].name
                            ),
                            format!("dissociate `{}` from the GatewaySubnet", snap.nsgs[n.index()].name),
                        )
                        .resource(snap.nsgs[n.index()].id.to_string())
                        .resource(s.id.to_string()),
                    );
                }
            }
            if s.is_route_server_subnet() && (rt.is_some() || s.nsg.is_some()) {
                out.push(
                    Finding::new(
                        "UdrOrNsgOnRouteServerSubnet",
                        Severity::Error,
                        format!(
                            "the RouteServerSubnet `{label}` has a route table or NSG; Route Server supports neither"
                        ),
                        "dissociate the route table and NSG from the RouteServerSubnet",
                    )
                    .resource(s.id.to_string()),
                );
            }
        }
    }

    pub(crate) fn peering_checks(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        let topo = self.routes.topology();
        let mut reported: BTreeSet<(VnetIdx, u64)> = BTreeSet::new();
        for (pi, p) in snap.peerings.iter().enumerate() {
            let status = &topo.peerings[pi];
            let remote_name = status
                .remote_vnet
                .map(|r| snap.vnets[r.index()].name.clone())
                .unwrap_or_else(|| p.remote_vnet.missing().map(|i| i.last_segment().to_string()).unwrap_or_default());
            if !status.connected {
                let pair = match status.remote_vnet {
                    Some(r) => (p.vnet.min(r), p.vnet.max(r).0 as u64),
                    None => (p.vnet, u64::MAX - pi as u64),
                };
                if reported.insert(pair) {
                    let local = &snap.vnets[p.vnet.index()].name;
                    let fix = match (&p.state, status.remote_state.as_deref()) {
                        (PeeringState::Connected, Some(other)) => {
                            format!("the peering back from `{remote_name}` is {other}: repair or re-create it")
                        }
                        (_, None) if status.remote_vnet.is_some() => {
                            format!("create the peering from `{remote_name}` back to `{local}`")
                        }
                        (PeeringState::Disconnected, _) => format!(
                            "the other side was deleted: delete `{}` and re-create the peering on both sides",
                            p.name
                        ),
                        _ => format!("create the peering from `{remote_name}` back to `{local}`, or sync both sides"),
                    };
                    out.push(
                        Finding::new(
                            "PeeringNotConnected",
                            Severity::Error,
                            format!(
                                "peering `{}` from `{local}` to `{remote_name}` is {} (remote side: {}): neither VNet has routes to the other",
                                p.name,
                                status.local_state,
                                status.remote_state.clone().unwrap_or_else(|| if status.remote_vnet.is_some() { "missing".to_string() } else { "not exported".to_string() })
                            ),
                            fix,
                        )
                        .resource(p.id.to_string())
                        .evidence(format!("peeringState = {}", status.local_state)),
                    );
                }
            }
            // Peered VNets must not overlap.
            if let Some(r) = status.remote_vnet
                && p.vnet < r
            {
                let a = &snap.vnets[p.vnet.index()];
                let b = &snap.vnets[r.index()];
                for x in &a.address_space {
                    for y in &b.address_space {
                        if contains_prefix(x, y) || contains_prefix(y, x) {
                            out.push(
                                    Finding::new(
                                        "OverlappingAddressSpace",
                                        Severity::Error,
                                        format!("peered VNets `{}` ({x}) and `{}` ({y}) overlap; Azure refuses such a peering and overlapping addresses are unreachable", a.name, b.name),
                                        "re-address one of the VNets, or peer only non-overlapping subnets (subnet peering)",
                                    )
                                    .resource(a.id.to_string())
                                    .resource(b.id.to_string()),
                                );
                        }
                    }
                }
            }
        }
        // Gateway transit on one side only (§5.2, §5.3).
        for (vi, attachment) in topo.attachments.iter().enumerate() {
            for note in &attachment.mismatches {
                if let TableNote::GatewayTransitMismatch {
                    peering, use_remote_gateways, remote_allows_transit, ..
                } = note
                {
                    let p = &snap.peerings[peering.index()];
                    let v = &snap.vnets[vi];
                    let (severity, message, fix) = if *use_remote_gateways {
                        (
                            Severity::Error,
                            format!(
                                "`{}` uses the remote gateway over peering `{}`, but the hub's peering back does not allow gateway transit: `{}` gets no on-premises routes",
                                v.name, p.name, v.name
                            ),
                            "set allowGatewayTransit = true on the hub's peering to this VNet".to_string(),
                        )
                    } else {
                        (
                            Severity::Warning,
                            format!(
                                "the hub offers its gateway to `{}` (allowGatewayTransit), but peering `{}` does not use it (useRemoteGateways = false): `{}` gets no on-premises routes",
                                v.name, p.name, v.name
                            ),
                            format!(
                                "set useRemoteGateways = true on peering `{}` if `{}` should reach on-premises",
                                p.name, v.name
                            ),
                        )
                    };
                    let _ = remote_allows_transit;
                    out.push(
                        Finding::new("UseRemoteGatewaysMissing", severity, message, fix).resource(p.id.to_string()),
                    );
                }
            }
        }
        for (pi, p) in snap.peerings.iter().enumerate() {
            let status = &topo.peerings[pi];
            if p.use_remote_gateways && status.connected {
                if let Some(r) = status.remote_vnet
                    && topo.own_gateways[r.index()].is_empty()
                {
                    out.push(
                        Finding::new(
                            "UseRemoteGatewaysMissing",
                            Severity::Error,
                            format!(
                                "peering `{}` sets useRemoteGateways, but `{}` has no gateway to use",
                                p.name,
                                snap.vnets[r.index()].name
                            ),
                            "deploy the gateway in the hub, or clear useRemoteGateways",
                        )
                        .resource(p.id.to_string()),
                    );
                }
                if !topo.own_gateways[p.vnet.index()].is_empty() {
                    out.push(
                        Finding::new(
                            "UseRemoteGatewaysMissing",
                            Severity::Error,
                            format!(
                                "`{}` has its own gateway and also uses a remote one over `{}`; Azure allows only one",
                                snap.vnets[p.vnet.index()].name,
                                p.name
                            ),
                            "clear useRemoteGateways on this peering, or remove the VNet's own gateway",
                        )
                        .resource(p.id.to_string()),
                    );
                }
            }
        }
    }

    /// Checks on each distinct route context's computed table.
    pub(crate) fn table_checks(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        let topo = self.routes.topology();
        // Group subnets by context.
        let mut contexts: BTreeMap<String, (ContextKey, Vec<SubnetIdx>)> = BTreeMap::new();
        for i in 0..snap.subnets.len() {
            let s = SubnetIdx(i as u32);
            if let Ok(key) = self.routes.context_key(s) {
                contexts.entry(format!("{key:?}")).or_insert_with(|| (key, Vec::new())).1.push(s);
            }
        }
        let mut user_reported: BTreeSet<(RouteTableIdx, usize, &'static str)> = BTreeSet::new();
        for (key, subnets) in contexts.values() {
            let table = self.routes.table_for_key(key);
            let first = subnets[0];
            let label = snap.subnet_label(first);
            let more = if subnets.len() > 1 {
                format!(" (and {} more subnet(s) with the same routes)", subnets.len() - 1)
            } else {
                String::new()
            };
            let selected = table.fib.selected_routes();
            let vnet = &snap.vnets[key.vnet.index()];
            for (i, r) in table.routes.iter().enumerate() {
                let RouteOrigin::User { table: t, route } = r.origin else { continue };
                match &r.invalid {
                    Some(reason @ InvalidReason::IdenticalPrefix { .. })
                        if user_reported.insert((t, route, "UserRouteInvalid")) =>
                    {
                        out.push(
                            Finding::new(
                                "UserRouteInvalid",
                                Severity::Warning,
                                format!(
                                    "user route {} of `{}` is Invalid in `{label}`{more}: {}",
                                    r.label(),
                                    rt_label(snap, t),
                                    invalid_text(&table, reason)
                                ),
                                "remove the route, or change its prefix if it should take effect",
                            )
                            .resource(snap.route_tables[t.index()].id.to_string())
                            .evidence(r.label()),
                        );
                    }
                    None if r.is_active()
                        && !r.prefixes.is_empty()
                        && !selected.contains(&(i as u32))
                        && user_reported.insert((t, route, "UserRouteShadowed")) =>
                    {
                        let why = table
                            .notes
                            .iter()
                            .find_map(|n| match n {
                                TableNote::ShadowedByServiceEndpoint { route: x, by } if *x == i => Some(format!(
                                    "the service-endpoint route {} takes precedence",
                                    table.routes[*by].label()
                                )),
                                _ => None,
                            })
                            .unwrap_or_else(|| "more specific routes cover its whole prefix".to_string());
                        out.push(
                            Finding::new(
                                "UserRouteShadowed",
                                Severity::Warning,
                                format!(
                                    "user route {} of `{}` is never used in `{label}`{more}: {why}",
                                    r.label(),
                                    rt_label(snap, t)
                                ),
                                "remove the route or the routes that shadow it",
                            )
                            .resource(snap.route_tables[t.index()].id.to_string())
                            .evidence(r.label()),
                        );
                    }
                    _ => {}
                }
                // A None route over a range that should be reachable.
                if r.next_hop_type == NextHopType::None && r.is_active() && selected.contains(&(i as u32)) {
                    let mut covered: Vec<String> = Vec::new();
                    for p in &r.prefixes {
                        for range in &vnet.address_space {
                            if contains_prefix(p, range) || contains_prefix(range, p) {
                                covered.push(format!("{range} (this VNet)"));
                            }
                        }
                        for q in topo.connected_peerings(snap, key.vnet) {
                            if let Some(rv) = topo.peerings[q.index()].remote_vnet {
                                for range in &snap.vnets[rv.index()].address_space {
                                    if contains_prefix(p, range) || contains_prefix(range, p) {
                                        covered.push(format!("{range} (peered `{}`)", snap.vnets[rv.index()].name));
                                    }
                                }
                            }
                        }
                        for g in &topo.attachments[key.vnet.index()].gateways {
                            for gp in &topo.gateway_prefixes[g.index()] {
                                if contains_prefix(p, &gp.prefix) || contains_prefix(&gp.prefix, p) {
                                    covered.push(format!(
                                        "{} (on-premises via `{}`)",
                                        gp.prefix,
                                        snap.gateways[g.index()].name
                                    ));
                                }
                            }
                        }
                    }
                    covered.sort();
                    covered.dedup();
                    if !covered.is_empty() && user_reported.insert((t, route, "NoneRouteBlackholesRange")) {
                        out.push(
                            Finding::new(
                                "NoneRouteBlackholesRange",
                                Severity::Warning,
                                format!(
                                    "user route {} of `{}` drops traffic to {} from `{label}`{more}",
                                    r.label(),
                                    rt_label(snap, t),
                                    covered.join(", ")
                                ),
                                "if this traffic should flow, remove the None route or narrow its prefix",
                            )
                            .resource(snap.route_tables[t.index()].id.to_string())
                            .evidence(r.label()),
                        );
                    }
                }
            }
            for note in &table.notes {
                match note {
                    TableNote::BgpRouteShadowedBySystemRoute { route, by } => out.push(
                        Finding::new(
                            "BgpRouteShadowedBySystemRoute",
                            Severity::Info,
                            format!("in `{label}`{more}, the gateway route {} is never used: the system route {} is preferred over more specific BGP routes", table.routes[*route].label(), table.routes[*by].label()),
                            "to steer this traffic, use a user route instead of BGP",
                        )
                        .resource(vnet.id.to_string()),
                    ),
                    TableNote::GatewayRoutesSuppressed { table: t, prefixes } => out.push(
                        Finding::new(
                            "GatewayRoutesSuppressed",
                            Severity::Info,
                            format!(
                                "route table `{}` keeps {} gateway route(s) out of `{label}`{more} (disableBgpRoutePropagation = true): {}",
                                rt_label(snap, *t),
                                prefixes.len(),
                                prefixes.iter().take(5).map(|p| p.to_string()).collect::<Vec<_>>().join(", ")
                            ),
                            "if these subnets must reach on-premises, route those prefixes with user routes (e.g. via the firewall) or enable propagation",
                        )
                        .resource(snap.route_tables[t.index()].id.to_string()),
                    ),
                    TableNote::ServiceTagNotExpanded { tag, .. } => out.push(
                        Finding::new(
                            "ServiceTagNotExpanded",
                            Severity::Warning,
                            format!("in `{label}`{more}, service tag `{tag}` could not be expanded, so its routes take no part in lookups"),
                            "add Azure's Service Tags file to the snapshot (az network list-service-tags --location REGION)",
                        )
                        .resource(vnet.id.to_string()),
                    ),
                    _ => {}
                }
            }
            self.private_endpoint_checks(&table, key, &label, &more, out);
            // VirtualNetwork widened to 0.0.0.0/0 where an NSG applies (issue #22178).
            let default_udr = table.routes.iter().find(|r| {
                r.source == RouteSource::User
                    && r.is_active()
                    && r.prefixes.iter().any(|p| p.prefix_len() == 0 && p.addr().is_ipv4())
            });
            if let Some(udr) = default_udr {
                for s in subnets {
                    let subnet = &snap.subnets[s.index()];
                    let mut nsgs: BTreeSet<NsgIdx> =
                        subnet.nsg.as_ref().and_then(|l| l.resolved()).into_iter().collect();
                    for &n in &self.nics_by_subnet[s.index()] {
                        nsgs.extend(snap.nics[n.index()].nsg.as_ref().and_then(|l| l.resolved()));
                    }
                    if nsgs.is_empty() {
                        continue;
                    }
                    let names: Vec<&str> = nsgs.iter().map(|n| snap.nsgs[n.index()].name.as_str()).collect();
                    // Custom rules written for "the VNet" now cover every address: a warning.
                    // Otherwise only the default rules widen: worth knowing, not alarming.
                    let relying: Vec<String> = nsgs
                        .iter()
                        .flat_map(|n| {
                            let nsg = &snap.nsgs[n.index()];
                            nsg.rules
                                .iter()
                                .filter(|r| {
                                    r.sources.iter().chain(r.destinations.iter()).any(|a| matches!(a, AddressPattern::Tag(t) if t.eq_ignore_ascii_case("VirtualNetwork")))
                                })
                                .map(move |r| format!("{}/{}", nsg.name, r.name))
                        })
                        .collect();
                    let severity = if relying.is_empty() { Severity::Info } else { Severity::Warning };
                    let what = if relying.is_empty() {
                        "AllowVnetInBound and AllowVnetOutBound now allow every address".to_string()
                    } else {
                        format!(
                            "AllowVnetInBound, AllowVnetOutBound and the rules {} now match every address",
                            relying.join(", ")
                        )
                    };
                    let mut f = Finding::new(
                        "VirtualNetworkTagIncludesDefault",
                        severity,
                        format!(
                            "the user route {} makes the VirtualNetwork tag of `{}` include 0.0.0.0/0: in NSG {}, {what}",
                            udr.label(),
                            snap.subnet_label(*s),
                            names.join(", ")
                        ),
                        "do not rely on VirtualNetwork to filter: add explicit Deny rules (or rules on exact prefixes) above 65000",
                    )
                    .resource(subnet.id.to_string());
                    for n in &nsgs {
                        f = f.resource(snap.nsgs[n.index()].id.to_string());
                    }
                    out.push(f);
                }
            }
        }
    }

    fn private_endpoint_checks(
        &self,
        table: &EffectiveRouteTable,
        key: &ContextKey,
        label: &str,
        more: &str,
        out: &mut Vec<Finding>,
    ) {
        let snap = self.snap;
        let firewall = table.routes.iter().find(|r| {
            r.source == RouteSource::User
                && r.is_active()
                && r.next_hop_type == NextHopType::VirtualAppliance
                && r.prefixes.iter().any(|p| p.prefix_len() == 0)
        });
        let pe_routes: Vec<(usize, &EffectiveRoute)> = table
            .routes
            .iter()
            .enumerate()
            .filter(|(_, r)| r.next_hop_type == NextHopType::InterfaceEndpoint && r.is_active())
            .collect();
        if let (Some(fw), false) = (firewall, pe_routes.is_empty()) {
            let mut f = Finding::new(
                "PrivateEndpointBypassesFirewall",
                Severity::Warning,
                format!(
                    "in `{label}`{more}, {} private endpoint route(s) ({}) win over the 0.0.0.0/0 route to the firewall {}: traffic to those endpoints is not inspected",
                    pe_routes.len(),
                    pe_routes.iter().take(4).map(|(_, r)| r.prefix_text.join(" ")).collect::<Vec<_>>().join(", "),
                    ips(&fw.next_hop_ips)
                ),
                "enable route-table network policies on the endpoints' subnets (privateEndpointNetworkPolicies = RouteTableEnabled) and add user routes for their ranges via the firewall; SNAT there keeps replies symmetric",
            )
            .evidence(fw.label());
            for (_, r) in &pe_routes {
                if let RouteOrigin::PrivateEndpoint { endpoint } = r.origin {
                    f = f.resource(snap.private_endpoints[endpoint.index()].id.to_string());
                }
            }
            out.push(f);
        }
        // A user route meant to capture endpoint traffic that policies make ineffective (§5.5).
        for (_, pr) in &pe_routes {
            let RouteOrigin::PrivateEndpoint { endpoint } = pr.origin else { continue };
            let pe = &snap.private_endpoints[endpoint.index()];
            let Some(host) = pr.prefixes.first() else { continue };
            let ip = host.addr();
            let Some(pe_subnet) = pe.subnet.as_ref().and_then(|l| l.resolved()) else { continue };
            let subnet = &snap.subnets[pe_subnet.index()];
            if subnet.private_endpoint_network_policies.route_tables_apply() {
                continue;
            }
            let pe_vnet = &snap.vnets[subnet.vnet.index()];
            let Some(range_len) =
                pe_vnet.address_space.iter().filter(|r| r.contains(&ip)).map(|r| r.prefix_len()).min()
            else {
                continue;
            };
            let udr = table.routes.iter().find(|u| {
                u.source == RouteSource::User
                    && u.is_active()
                    && u.prefixes
                        .iter()
                        .any(|p| p.contains(&ip) && p.prefix_len() >= range_len && p.prefix_len() < p.max_prefix_len())
            });
            if let Some(u) = udr {
                out.push(
                    Finding::new(
                        "PeUdrIneffectiveNoPolicy",
                        Severity::Warning,
                        format!(
                            "in `{label}`{more}, the user route {} covers private endpoint `{}` ({ip}), but the endpoint's subnet `{}` does not apply route tables to private endpoints: the /32 route stays Active and endpoint traffic does not follow the user route",
                            u.label(),
                            pe.name,
                            snap.subnet_label(pe_subnet)
                        ),
                        format!("set privateEndpointNetworkPolicies = RouteTableEnabled on `{}`", snap.subnet_label(pe_subnet)),
                    )
                    .resource(pe.id.to_string())
                    .resource(subnet.id.to_string())
                    .evidence(u.label())
                    .evidence(pr.label()),
                );
            }
        }
        let _ = key;
    }

    /// Forced tunnelling that breaks inbound connections to public IPs (§6.1), proven by a
    /// trace from the Internet to each public IP.
    pub(crate) fn forced_tunnel_checks(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        let probe_client: IpAddr = "198.51.100.200".parse().expect("valid");
        let mut by_subnet: BTreeMap<SubnetIdx, Vec<(NicIdx, IpAddr)>> = BTreeMap::new();
        for (i, nic) in snap.nics.iter().enumerate() {
            for cfg in &nic.ip_configs {
                let Some(pip) = cfg.public_ip.as_ref().and_then(|l| l.resolved()) else { continue };
                let Some(public) = snap.public_ips[pip.index()].ip else { continue };
                let Some(subnet) = cfg.subnet.as_ref().and_then(|l| l.resolved()) else { continue };
                by_subnet.entry(subnet).or_default().push((NicIdx(i as u32), public));
            }
        }
        for (subnet, nics) in by_subnet {
            let Ok(table) = self.routes.subnet_table(subnet) else { continue };
            let Some(entry) = table.fib.lookup(probe_client) else { continue };
            let route = &table.routes[entry.route as usize];
            if !matches!(route.next_hop_type, NextHopType::VirtualAppliance | NextHopType::VirtualNetworkGateway) {
                continue;
            }
            let (nic, public) = nics[0];
            let Ok(trace) = self.tracer.trace(TraceRequest {
                source: TraceSource::External(probe_client),
                destination: public,
                protocol: azroute_model::Protocol::Tcp,
                source_port: 50000,
                destination_port: 22,
            }) else {
                continue;
            };
            if let Some(f) = trace.findings.iter().find(|f| f.code == "ForcedTunnelBreaksInbound") {
                let mut f = f.clone();
                f.message = format!(
                    "`{}` forces Internet-bound traffic through {} while {} VM NIC(s) there have public IPs (e.g. `{}` at {public}): replies to RDP/SSH/HTTPS clients on those IPs leave by the wrong path and the connections fail",
                    snap.subnet_label(subnet),
                    route.label(),
                    nics.len(),
                    snap.nics[nic.index()].name
                );
                for (n, _) in &nics {
                    f = f.resource(snap.nics[n.index()].id.to_string());
                }
                f = f.resource(snap.subnets[subnet.index()].id.to_string());
                out.push(f);
            }
        }
    }

    /// NSG rules that block health probes on load-balancer backends.
    pub(crate) fn nsg_checks(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        let security = SecurityEngine::new(self.routes);
        let host: IpAddr = azroute_engine::AZURE_HOST_IP.parse::<IpNet>().expect("valid").addr();
        let mut checked: BTreeSet<(NsgIdx, u32)> = BTreeSet::new();
        for lb in &snap.load_balancers {
            for nic in lb.backend_nics.iter().filter_map(|b| b.resolved()) {
                let Ok(levels) = security.levels(nic, Direction::Inbound) else { continue };
                let Ok(subnet) = self.routes.nic_subnet(nic) else { continue };
                for level in levels {
                    if !checked.insert((level.nsg, subnet.0)) {
                        continue;
                    }
                    let flow = azroute_engine::Flow {
                        direction: Direction::Inbound,
                        protocol: azroute_model::Protocol::Tcp,
                        source: host,
                        source_port: None,
                        destination: snap.nics[nic.index()]
                            .primary_ip_config()
                            .and_then(|c| c.private_ip)
                            .unwrap_or(host),
                        destination_port: None,
                    };
                    let mut unknown = Vec::new();
                    let rules = nsg_rules(&snap.nsgs[level.nsg.index()]);
                    let first = rules.iter().find(|r| {
                        r.direction == Direction::Inbound && security.rule_matches(r, &flow, subnet, &mut unknown)
                    });
                    if let Some(rule) = first
                        && rule.access == Access::Deny
                        && !rule.default
                    {
                        let nsg = &snap.nsgs[level.nsg.index()];
                        out.push(
                                Finding::new(
                                    "NsgBlocksProbe",
                                    Severity::Warning,
                                    format!(
                                        "rule `{}` (priority {}) of NSG `{}` on {} denies 168.63.129.16, the source of load balancer `{}`'s health probes, before AllowAzureLoadBalancerInBound",
                                        rule.name,
                                        rule.priority,
                                        nsg.name,
                                        match level.applied_to {
                                            AppliedTo::Subnet(s) => format!("subnet `{}`", snap.subnet_label(s)),
                                            AppliedTo::NetworkInterface(n) => format!("NIC `{}`", snap.nics[n.index()].name),
                                        },
                                        lb.name
                                    ),
                                    format!("add an Allow rule for source AzureLoadBalancer with a lower priority number than `{}`", rule.name),
                                )
                                .resource(nsg.id.to_string())
                                .resource(lb.id.to_string()),
                            );
                    }
                }
            }
        }
    }

    pub(crate) fn vm_checks(&self, out: &mut Vec<Finding>) {
        for vm in &self.snap.vms {
            if let Some(state) = &vm.power_state {
                let lower = state.to_ascii_lowercase();
                if lower.contains("deallocated") || lower.contains("stopped") {
                    out.push(
                        Finding::new(
                            "EffectiveRoutesRequireRunningVm",
                            Severity::Info,
                            format!("`{}` is {state}: Azure shows its effective routes only while it runs; azroute answers from configuration", vm.name),
                            "start the VM to compare with Azure's own answer (azroute verify)",
                        )
                        .resource(vm.id.to_string()),
                    );
                }
            }
        }
        // Gateways whose learned routes overlap the address space they serve.
        let snap = self.snap;
        let topo = self.routes.topology();
        for (vi, attachment) in topo.attachments.iter().enumerate() {
            let v = &snap.vnets[vi];
            for g in &attachment.gateways {
                for gp in &topo.gateway_prefixes[g.index()] {
                    for range in &v.address_space {
                        if contains_prefix(range, &gp.prefix) || contains_prefix(&gp.prefix, range) {
                            out.push(
                                Finding::new(
                                    "OverlappingAddressSpace",
                                    Severity::Warning,
                                    format!("on-premises prefix {} (via gateway `{}`) overlaps {range} of `{}`: the overlapping addresses stay in the VNet", gp.prefix, snap.gateways[g.index()].name, v.name),
                                    "re-address on-premises or the VNet, or advertise narrower prefixes",
                                )
                                .resource(v.id.to_string())
                                .resource(snap.gateways[g.index()].id.to_string()),
                            );
                        }
                    }
                }
            }
        }
    }
}

fn ips(list: &[IpAddr]) -> String {
    list.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(" ")
}
