//! Checks of each distinct route context's computed table: user routes Invalid, never used or
//! black-holing a reachable range (§4.1, §3); gateway routes shadowed (§4.1) or suppressed
//! (§3.7); service tags not expanded; private endpoints bypassing a firewall or a user route
//! (§5.5); and the VirtualNetwork tag widened by a 0.0.0.0/0 route (§9).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use azroute_engine::*;
use azroute_model::*;

use crate::Doctor;

/// User routes already reported, with the code: a table shared by several contexts is
/// reported once per route.
type Reported = BTreeSet<(RouteTableIdx, usize, FindingCode)>;

impl Doctor<'_, '_> {
    /// Every distinct route context, with the subnets that share it.
    pub(crate) fn context_checks(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        // Ordered by the key's debug form: the first context to show a shared user route names
        // it, so the order is part of the output.
        let mut contexts: BTreeMap<String, (ContextKey, Vec<SubnetIdx>)> = BTreeMap::new();
        for i in 0..snap.subnets.len() {
            let s = SubnetIdx(i as u32);
            if let Ok(key) = self.routes.context_key(s) {
                contexts.entry(format!("{key:?}")).or_insert_with(|| (key, Vec::new())).1.push(s);
            }
        }
        let mut reported = Reported::new();
        for (key, subnets) in contexts.values() {
            let table = self.routes.table_for_key(key);
            let context = RouteContext { subnet: subnets[0], others: subnets.len() - 1 };
            self.user_route_checks(&table, key, context, &mut reported, out);
            table_note_checks(&table, key, context, out);
            private_endpoint_bypasses_firewall(&table, context, out);
            self.pe_udr_ineffective_no_policy(&table, context, out);
            self.virtual_network_tag_includes_default(&table, subnets, out);
        }
    }

    /// Each user route of the context: Invalid, never selected, or a None route over a range
    /// that should be reachable.
    fn user_route_checks(
        &self,
        table: &Arc<EffectiveRouteTable>,
        key: &ContextKey,
        context: RouteContext,
        reported: &mut Reported,
        out: &mut Vec<Finding>,
    ) {
        let selected = table.fib.selected_routes();
        for (i, r) in table.routes.iter().enumerate() {
            let RouteOrigin::User { table: t, route: index } = r.origin else { continue };
            let route = RouteRef::new(table, i);
            let resource = ResourceRef::RouteTable(t);
            let first_report = |reported: &mut Reported, code| reported.insert((t, index, code));
            match &r.invalid {
                Some(InvalidReason::IdenticalPrefix { .. })
                    if first_report(reported, FindingCode::UserRouteInvalid) =>
                {
                    out.push(Finding::new(UserRouteInvalid { context, route: route.clone() }).resource(resource));
                }
                None if r.is_active()
                    && !r.prefixes.is_empty()
                    && !selected.contains(&(i as u32))
                    && first_report(reported, FindingCode::UserRouteShadowed) =>
                {
                    out.push(user_route_shadowed(table, context, route.clone()).resource(resource));
                }
                _ => {}
            }
            if r.next_hop_type == NextHopType::None && r.is_active() && selected.contains(&(i as u32)) {
                let covered = self.ranges_covered(r, key);
                if !covered.is_empty() && first_report(reported, FindingCode::NoneRouteBlackholesRange) {
                    let blackhole = NoneRouteBlackholesRange { context, route, covered };
                    out.push(Finding::new(blackhole).resource(resource));
                }
            }
        }
    }

    /// The VNet's own ranges, peered VNets' ranges and on-premises prefixes a route's prefixes
    /// overlap.
    fn ranges_covered(&self, r: &EffectiveRoute, key: &ContextKey) -> Vec<CoveredRange> {
        let snap = self.snap;
        let topo = self.routes.topology();
        let overlap = |a: &ipnet::IpNet, b: &ipnet::IpNet| contains_prefix(a, b) || contains_prefix(b, a);
        let mut covered = Vec::new();
        for p in &r.prefixes {
            for range in &snap.vnets[key.vnet.index()].address_space {
                if overlap(p, range) {
                    covered.push(CoveredRange::OwnVnet(*range));
                }
            }
            for q in topo.connected_peerings(snap, key.vnet) {
                let Some(vnet) = topo.peerings[q.index()].remote_vnet else { continue };
                for range in &snap.vnets[vnet.index()].address_space {
                    if overlap(p, range) {
                        covered.push(CoveredRange::Peered { range: *range, vnet });
                    }
                }
            }
            for &gateway in &topo.attachments[key.vnet.index()].gateways {
                for gp in &topo.gateway_prefixes[gateway.index()] {
                    if overlap(p, &gp.prefix) {
                        covered.push(CoveredRange::OnPremises { prefix: gp.prefix, gateway });
                    }
                }
            }
        }
        covered
    }

    /// A user route at least as long as a private endpoint's VNet range covers it, but the
    /// endpoint's subnet does not apply route tables to private endpoints (§5.5).
    fn pe_udr_ineffective_no_policy(
        &self,
        table: &Arc<EffectiveRouteTable>,
        context: RouteContext,
        out: &mut Vec<Finding>,
    ) {
        let snap = self.snap;
        for (pi, pr) in endpoint_routes(table) {
            let RouteOrigin::PrivateEndpoint { endpoint } = pr.origin else { continue };
            let Some(host) = pr.prefixes.first() else { continue };
            let address = host.addr();
            let Some(pe_subnet) = snap.private_endpoints[endpoint.index()].subnet.as_ref().and_then(|l| l.resolved())
            else {
                continue;
            };
            let subnet = &snap.subnets[pe_subnet.index()];
            if subnet.private_endpoint_network_policies.route_tables_apply() {
                continue;
            }
            let pe_vnet = &snap.vnets[subnet.vnet.index()];
            let Some(range_len) =
                pe_vnet.address_space.iter().filter(|r| r.contains(&address)).map(|r| r.prefix_len()).min()
            else {
                continue;
            };
            let udr = table.routes.iter().position(|u| {
                u.source == RouteSource::User
                    && u.is_active()
                    && u.prefixes.iter().any(|p| {
                        p.contains(&address) && p.prefix_len() >= range_len && p.prefix_len() < p.max_prefix_len()
                    })
            });
            if let Some(u) = udr {
                let ineffective = PeUdrIneffectiveNoPolicy {
                    context,
                    user_route: RouteRef::new(table, u),
                    endpoint_route: RouteRef::new(table, pi),
                    endpoint,
                    endpoint_subnet: pe_subnet,
                    address,
                };
                out.push(
                    Finding::new(ineffective)
                        .resource(ResourceRef::PrivateEndpoint(endpoint))
                        .resource(ResourceRef::Subnet(pe_subnet)),
                );
            }
        }
    }

    /// The VirtualNetwork tag includes the prefixes of user routes: with 0.0.0.0/0 it matches
    /// every address, in each NSG of the context's subnets and their NICs (issue #22178).
    fn virtual_network_tag_includes_default(
        &self,
        table: &Arc<EffectiveRouteTable>,
        subnets: &[SubnetIdx],
        out: &mut Vec<Finding>,
    ) {
        let snap = self.snap;
        let Some(udr) = table.routes.iter().position(|r| {
            r.source == RouteSource::User
                && r.is_active()
                && r.prefixes.iter().any(|p| p.prefix_len() == 0 && p.addr().is_ipv4())
        }) else {
            return;
        };
        for &s in subnets {
            let mut nsgs: BTreeSet<NsgIdx> =
                snap.subnets[s.index()].nsg.as_ref().and_then(|l| l.resolved()).into_iter().collect();
            for &n in &self.nics_by_subnet[s.index()] {
                nsgs.extend(snap.nics[n.index()].nsg.as_ref().and_then(|l| l.resolved()));
            }
            if nsgs.is_empty() {
                continue;
            }
            // Custom rules written for "the VNet" now cover every address.
            let names_vnet_tag =
                |a: &AddressPattern| matches!(a, AddressPattern::Tag(t) if t.eq_ignore_ascii_case("VirtualNetwork"));
            let relying: Vec<(NsgIdx, usize)> = nsgs
                .iter()
                .flat_map(|&n| {
                    snap.nsgs[n.index()]
                        .rules
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.sources.iter().chain(r.destinations.iter()).any(names_vnet_tag))
                        .map(move |(i, _)| (n, i))
                })
                .collect();
            let nsgs: Vec<NsgIdx> = nsgs.into_iter().collect();
            // The route's table is the root cause, shared by every subnet it is associated with.
            let route_table = match table.routes[udr].origin {
                RouteOrigin::User { table: t, .. } => Some(ResourceRef::RouteTable(t)),
                _ => None,
            };
            let mut finding = Finding::new(VirtualNetworkTagIncludesDefault {
                subnet: s,
                route: RouteRef::new(table, udr),
                nsgs: nsgs.clone(),
                relying,
            })
            .resource(route_table)
            .resource(ResourceRef::Subnet(s));
            for n in nsgs {
                finding = finding.resource(ResourceRef::Nsg(n));
            }
            out.push(finding);
        }
    }
}

/// A user route no destination selects: more specific routes cover its whole prefix, or a
/// service-endpoint route takes precedence (§4.1).
fn user_route_shadowed(table: &Arc<EffectiveRouteTable>, context: RouteContext, route: RouteRef) -> Finding {
    let by_service_endpoint = table.notes.iter().find_map(|n| match n {
        TableNote::ShadowedByServiceEndpoint { route: x, by } if *x == route.index() => Some(route.sibling(*by)),
        _ => None,
    });
    Finding::new(UserRouteShadowed { context, route, by_service_endpoint })
}

/// What the table's notes prove: BGP routes shadowed by system routes (§4.1), gateway routes
/// suppressed (§3.7), service tags not expanded.
fn table_note_checks(
    table: &Arc<EffectiveRouteTable>,
    key: &ContextKey,
    context: RouteContext,
    out: &mut Vec<Finding>,
) {
    let vnet = ResourceRef::Vnet(key.vnet);
    for note in &table.notes {
        match note {
            TableNote::BgpRouteShadowedBySystemRoute { route, by } => {
                let shadowed = BgpRouteShadowedBySystemRoute {
                    context,
                    route: RouteRef::new(table, *route),
                    by: RouteRef::new(table, *by),
                };
                out.push(Finding::new(shadowed).resource(vnet));
            }
            TableNote::GatewayRoutesSuppressed { table: t, prefixes } => {
                let suppressed = GatewayRoutesSuppressed::Context { context, table: *t, prefixes: prefixes.clone() };
                out.push(Finding::new(suppressed).resource(ResourceRef::RouteTable(*t)));
            }
            TableNote::ServiceTagNotExpanded { tag, .. } => {
                out.push(Finding::new(ServiceTagNotExpanded { context, tag: tag.clone() }).resource(vnet));
            }
            _ => {}
        }
    }
}

/// Active private-endpoint routes of a table, with their positions.
fn endpoint_routes(table: &EffectiveRouteTable) -> impl Iterator<Item = (usize, &EffectiveRoute)> {
    table.routes.iter().enumerate().filter(|(_, r)| r.next_hop_type == NextHopType::InterfaceEndpoint && r.is_active())
}

/// Private endpoints' /32 routes win over the context's 0.0.0.0/0 route to a firewall (§5.5,
/// T20). An endpoint of the context's own VNet bypasses nothing: without its /32, VnetLocal
/// already wins over 0.0.0.0/0, so that traffic never went through the firewall.
fn private_endpoint_bypasses_firewall(table: &Arc<EffectiveRouteTable>, context: RouteContext, out: &mut Vec<Finding>) {
    let firewall = table.routes.iter().position(|r| {
        r.source == RouteSource::User
            && r.is_active()
            && r.next_hop_type == NextHopType::VirtualAppliance
            && r.prefixes.iter().any(|p| p.prefix_len() == 0)
    });
    let Some(fw) = firewall else { return };
    let endpoint_routes: Vec<(usize, &EffectiveRoute)> = endpoint_routes(table)
        .filter(|(_, r)| {
            r.prefixes
                .first()
                .and_then(|p| winner_without_endpoints(table, p.addr()))
                .is_none_or(|w| w.next_hop_type != NextHopType::VnetLocal)
        })
        .collect();
    if endpoint_routes.is_empty() {
        return;
    }
    let firewall_table = match table.routes[fw].origin {
        RouteOrigin::User { table: t, .. } => Some(ResourceRef::RouteTable(t)),
        _ => None,
    };
    let mut finding = Finding::new(PrivateEndpointBypassesFirewall::Context {
        context,
        firewall: RouteRef::new(table, fw),
        endpoint_routes: endpoint_routes.iter().map(|(i, _)| RouteRef::new(table, *i)).collect(),
    })
    .resource(firewall_table);
    for (_, r) in &endpoint_routes {
        if let RouteOrigin::PrivateEndpoint { endpoint } = r.origin {
            finding = finding.resource(ResourceRef::PrivateEndpoint(endpoint));
        }
    }
    out.push(finding);
}

/// The active route that would carry an address if no private-endpoint route existed: the
/// longest active prefix containing it among the others.
fn winner_without_endpoints(table: &EffectiveRouteTable, address: std::net::IpAddr) -> Option<&EffectiveRoute> {
    table
        .routes
        .iter()
        .filter(|r| r.is_active() && r.next_hop_type != NextHopType::InterfaceEndpoint)
        .filter_map(|r| {
            r.prefixes.iter().filter(|p| p.contains(&address)).map(|p| p.prefix_len()).max().map(|l| (l, r))
        })
        .max_by_key(|(l, _)| *l)
        .map(|(_, r)| r)
}
