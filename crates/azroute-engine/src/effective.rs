//! Building a route context's effective routes: system routes, peering routes, gateway routes,
//! service-endpoint and private-endpoint routes and user routes (§1, §3, §5), then each route's
//! state (§4.2, §4.3) and the compiled forwarding table.

use std::collections::HashMap;
use std::net::IpAddr;

use azroute_model::*;
use ipnet::IpNet;

use crate::fib::{Fib, FibEntry};
use crate::route::*;
use crate::system_data::{is_dynamic_tag, reserved_ranges, service_endpoint_tag, user_prefix_rank};
use crate::topology::Topology;

// The steps of Route Server routes and Virtual WAN hub connections (§19).
mod hubs;

/// The inputs that decide a subnet's effective routes. Subnets with equal keys share one
/// table (§0: routes are a property of the subnet's context, not of the NIC).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ContextKey {
    pub vnet: VnetIdx,
    pub route_table: Option<RouteTableIdx>,
    pub service_endpoints: Vec<ServiceEndpoint>,
    /// Only set when subnet peering routes depend on the subnet's name
    /// (`subnet_peering_scope = listed-subnets-only`).
    pub subnet_name: Option<String>,
    /// Only set when an AVNM routing rule collection targets the subnet through a network group
    /// of subnets (§18.10): its managed routes are its own.
    pub routing_subnet: Option<SubnetIdx>,
}

impl ContextKey {
    pub fn for_subnet(snap: &Snapshot, options: &ModelOptions, subnet: SubnetIdx) -> ContextKey {
        let s = &snap.subnets[subnet.index()];
        let mut service_endpoints = s.service_endpoints.clone();
        service_endpoints.sort();
        service_endpoints.dedup();
        let needs_name = options.subnet_peering_scope == SubnetPeeringScope::ListedSubnetsOnly
            && snap.vnets[s.vnet.index()].peerings.iter().any(|p| !snap.peerings[p.index()].peer_complete_vnets);
        ContextKey {
            vnet: s.vnet,
            route_table: s.route_table.as_ref().and_then(|l| l.resolved()),
            service_endpoints,
            subnet_name: needs_name.then(|| s.name.to_ascii_lowercase()),
            routing_subnet: (snap.avnm.routing_rule_collections.iter())
                .any(|c| crate::managed_routes::collection_targets_subnet(snap, c, subnet))
                .then_some(subnet),
        }
    }
}

/// A route being built, before states are assigned.
struct Draft {
    route: EffectiveRoute,
    /// Tie-break within a source for identical prefixes (higher wins).
    sub_rank: u8,
    /// Position in the route table for user routes (earlier wins ties).
    order: usize,
    /// The service tag a user route names, if any.
    tag: Option<String>,
    reserved: bool,
}

fn draft(route: EffectiveRoute) -> Draft {
    let sub_rank = match (&route.source, &route.next_hop_type) {
        (RouteSource::Default, NextHopType::VnetLocal) => 6,
        (RouteSource::Default, NextHopType::VNetPeering | NextHopType::VNetGlobalPeering) => 5,
        (RouteSource::Default, NextHopType::VirtualNetworkServiceEndpoint) => 4,
        (RouteSource::Default, NextHopType::InterfaceEndpoint) => 3,
        (RouteSource::Default, NextHopType::Internet) => 2,
        (RouteSource::Default, _) => 1,
        _ => 0,
    };
    Draft { route, sub_rank, order: 0, tag: None, reserved: false }
}

fn system(prefix: IpNet, next_hop_type: NextHopType, origin: RouteOrigin) -> EffectiveRoute {
    EffectiveRoute {
        name: None,
        source: RouteSource::Default,
        state: RouteState::Active,
        prefixes: vec![prefix],
        prefix_text: vec![prefix_text(&prefix)],
        next_hop_type,
        next_hop_ips: Vec::new(),
        origin,
        invalid: None,
        assumed: false,
    }
}

/// A prefix as `addressPrefix` prints it (`10.1.0.0/16`), exactly as `IpNet`'s `Display`
/// writes it; IPv4, which every table is full of, without the formatting machinery.
pub(crate) fn prefix_text(prefix: &IpNet) -> String {
    match prefix {
        IpNet::V4(net) => {
            let mut out = String::with_capacity(18);
            for (i, octet) in net.addr().octets().iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                push_decimal(&mut out, *octet);
            }
            out.push('/');
            push_decimal(&mut out, net.prefix_len());
            out
        }
        IpNet::V6(_) => prefix.to_string(),
    }
}

/// An address as `nextHopIpAddress` prints it, exactly as `IpAddr`'s `Display` writes it.
pub fn ip_text(ip: &IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let mut out = String::with_capacity(15);
            for (i, octet) in v4.octets().iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                push_decimal(&mut out, *octet);
            }
            out
        }
        IpAddr::V6(_) => ip.to_string(),
    }
}

fn push_decimal(out: &mut String, n: u8) {
    if n >= 100 {
        out.push(char::from(b'0' + n / 100));
    }
    if n >= 10 {
        out.push(char::from(b'0' + (n / 10) % 10));
    }
    out.push(char::from(b'0' + n % 10));
}

/// Expands a service tag from the Service Tags file.
pub(crate) fn expand_tag(snap: &Snapshot, tag: &str) -> Option<Vec<IpNet>> {
    if is_dynamic_tag(tag) {
        return None;
    }
    snap.service_tags.as_ref()?.find(tag).map(|t| t.prefixes.clone())
}

/// Tags and prefixes of a service endpoint: the regional tags of its locations, or the
/// top-level tag for `*`.
fn service_endpoint_prefixes(snap: &Snapshot, se: &ServiceEndpoint) -> (Vec<String>, Option<Vec<IpNet>>) {
    let base = service_endpoint_tag(&se.service);
    let global = se.locations.iter().any(|l| l == "*");
    let Some(tags) = snap.service_tags.as_ref() else {
        let names = if global { vec![base] } else { se.locations.iter().map(|l| format!("{base}.{l}")).collect() };
        return (names, None);
    };
    if global {
        return match tags.find(&base) {
            Some(t) => (vec![t.name.clone()], Some(t.prefixes.clone())),
            None => (vec![base], None),
        };
    }
    let prefix = format!("{}.", base.to_ascii_lowercase());
    let mut names = Vec::new();
    let mut prefixes = Vec::new();
    let mut missing = false;
    for loc in &se.locations {
        let found = tags.tags.iter().find(|t| t.name.to_ascii_lowercase().starts_with(&prefix) && &t.region == loc);
        match found {
            Some(t) => {
                names.push(t.name.clone());
                for p in &t.prefixes {
                    if !prefixes.contains(p) {
                        prefixes.push(*p);
                    }
                }
            }
            None => {
                names.push(format!("{base}.{loc}"));
                missing = true;
            }
        }
    }
    (names, (!missing).then_some(prefixes))
}

/// Computes the effective routes of one context: each source of routes in turn, then the
/// states and the compiled table.
pub(crate) fn build_table(
    snap: &Snapshot,
    topo: &Topology,
    options: &ModelOptions,
    key: &ContextKey,
) -> EffectiveRouteTable {
    let mut b = TableBuilder::new(snap, topo, options, key);
    b.vnet_local_routes();
    b.peering_routes();
    b.connected_group_routes();
    b.default_internet_routes();
    b.reserved_none_routes();
    b.service_endpoint_routes();
    b.private_endpoint_routes();
    b.gateway_routes();
    b.route_server_routes();
    b.virtual_wan_hub_routes();
    b.user_routes();
    b.remove_reserved_none_routes_on_default_override();
    b.finish()
}

/// A context's routes while they are being gathered, with the notes explaining them.
struct TableBuilder<'a> {
    snap: &'a Snapshot,
    topo: &'a Topology,
    options: &'a ModelOptions,
    key: &'a ContextKey,
    vnet: &'a Vnet,
    table: Option<&'a RouteTable>,
    disable_bgp: bool,
    /// IPv6 system routes are built (option `ipv6_system_routes = mirror-ipv4`).
    mirror_v6: bool,
    /// The VNet has an IPv6 range that got a VnetLocal route.
    has_v6: bool,
    drafts: Vec<Draft>,
    notes: Vec<TableNote>,
    /// What AVNM routing configurations add to the subnet's routes (§18.4).
    managed: crate::ManagedRoutes,
}

impl<'a> TableBuilder<'a> {
    fn new(snap: &'a Snapshot, topo: &'a Topology, options: &'a ModelOptions, key: &'a ContextKey) -> Self {
        let table = key.route_table.map(|t| &snap.route_tables[t.index()]);
        let managed = crate::managed_routes(snap, key.vnet, key.routing_subnet);
        TableBuilder {
            snap,
            topo,
            options,
            key,
            vnet: &snap.vnets[key.vnet.index()],
            table,
            // AV-R3: a managed collection's `disableBgpRoutePropagation` is stamped on the table.
            disable_bgp: table.is_some_and(|t| t.disable_bgp_route_propagation)
                || managed.disable_bgp_route_propagation,
            mirror_v6: options.ipv6_system_routes == Ipv6SystemRoutes::MirrorIpv4,
            has_v6: false,
            drafts: Vec::new(),
            notes: Vec::new(),
            managed,
        }
    }

    /// One VnetLocal route per address range (§1.1).
    fn vnet_local_routes(&mut self) {
        for range in &self.vnet.address_space {
            let v6 = matches!(range, IpNet::V6(_));
            if v6 && !self.mirror_v6 {
                continue;
            }
            self.has_v6 |= v6;
            let mut r = system(*range, NextHopType::VnetLocal, RouteOrigin::VnetAddressSpace { vnet: self.key.vnet });
            r.assumed = v6;
            self.drafts.push(draft(r));
        }
    }

    /// Peering routes, only while Connected on both sides (§5.1).
    fn peering_routes(&mut self) {
        let (snap, topo, key) = (self.snap, self.topo, self.key);
        let peering_routes_disabled = self.table.is_some_and(|t| t.disable_peering_routes);
        if peering_routes_disabled {
            self.notes.push(TableNote::PeeringRoutesDisabled { table: key.route_table.expect("table is set") });
        }
        for &p in &self.vnet.peerings {
            let status = &topo.peerings[p.index()];
            let peering = &snap.peerings[p.index()];
            if !status.connected {
                self.notes.push(TableNote::PeeringNotConnected {
                    peering: p,
                    local_state: status.local_state.clone(),
                    remote_state: status.remote_state.clone(),
                });
                continue;
            }
            if peering_routes_disabled {
                continue;
            }
            if let Some(name) = &key.subnet_name
                && !peering.peer_complete_vnets
                && !peering.local_subnet_names.iter().any(|n| n.eq_ignore_ascii_case(name))
            {
                continue;
            }
            let mut ranges = peering.remote_address_space.clone();
            if ranges.is_empty() {
                ranges = match status.remote_vnet {
                    Some(r) => snap.vnets[r.index()].address_space.clone(),
                    None => peering.remote_virtual_network_address_space.clone(),
                };
            }
            let hop = if status.global { NextHopType::VNetGlobalPeering } else { NextHopType::VNetPeering };
            for range in ranges {
                let v6 = matches!(range, IpNet::V6(_));
                if v6 && !self.mirror_v6 {
                    continue;
                }
                self.drafts.push(draft(system(range, hop.clone(), RouteOrigin::Peering { peering: p })));
            }
        }
    }

    /// One `ConnectedGroup` route per AVNM connected group the VNet is in, listing every other
    /// member's ranges (§18.2, AV-C4), overlapping ones left out (AV-C5).
    fn connected_group_routes(&mut self) {
        let groups = &self.topo.connected_groups;
        for &g in groups.of_vnet(self.key.vnet) {
            let (kept, _dropped) = groups.route_prefixes(self.snap, self.options, g, self.key.vnet);
            let prefixes: Vec<IpNet> =
                kept.into_iter().filter(|p| self.mirror_v6 || matches!(p, IpNet::V4(_))).collect();
            if prefixes.is_empty() {
                continue;
            }
            let configuration = groups.groups[g as usize].configuration as u32;
            let origin = RouteOrigin::ConnectedGroup { group: g, configuration };
            let mut r = system(prefixes[0], NextHopType::ConnectedGroup, origin);
            r.prefix_text = prefixes.iter().map(prefix_text).collect();
            r.prefixes = prefixes;
            self.drafts.push(draft(r));
        }
    }

    /// The default Internet route (§1.1); ::/0 for dual-stack VNets (assumed, §10.3).
    fn default_internet_routes(&mut self) {
        self.drafts.push(draft(system(
            "0.0.0.0/0".parse().expect("valid"),
            NextHopType::Internet,
            RouteOrigin::DefaultInternet,
        )));
        if self.has_v6 {
            let mut r = system("::/0".parse().expect("valid"), NextHopType::Internet, RouteOrigin::DefaultInternet);
            r.assumed = true;
            self.drafts.push(draft(r));
            self.notes.push(TableNote::Ipv6SystemRoutesAssumed);
        }
    }

    /// Reserved ranges dropped by default, with the equal/superset rules of §1.2.
    fn reserved_none_routes(&mut self) {
        for range in reserved_ranges(self.options.reserved_none_profile) {
            let equal_or_inside = self.vnet.address_space.iter().any(|v| contains_prefix(v, &range));
            if equal_or_inside {
                continue; // R1 (equal) and R2 (VNet range is a superset): no None route.
            }
            let mut d = draft(system(range, NextHopType::None, RouteOrigin::ReservedRange));
            d.reserved = true;
            self.drafts.push(d);
        }
    }

    /// Service-endpoint routes, only on subnets that enable the endpoint (§1.5).
    fn service_endpoint_routes(&mut self) {
        let snap = self.snap;
        for se in &self.key.service_endpoints {
            let (tags, prefixes) = service_endpoint_prefixes(snap, se);
            let (prefixes, prefix_text) = match prefixes {
                Some(p) => {
                    let text = p.iter().map(prefix_text).collect();
                    (p, text)
                }
                None => (Vec::new(), tags.clone()),
            };
            let mut r = EffectiveRoute {
                name: None,
                source: RouteSource::Default,
                state: RouteState::Active,
                prefixes,
                prefix_text,
                next_hop_type: NextHopType::VirtualNetworkServiceEndpoint,
                next_hop_ips: Vec::new(),
                origin: RouteOrigin::ServiceEndpoint { service: se.service.clone(), tags: tags.clone() },
                invalid: None,
                assumed: false,
            };
            if r.prefixes.is_empty() {
                self.notes.push(TableNote::ServiceTagNotExpanded {
                    route: usize::MAX,
                    tag: tags.join(" "),
                    file_present: snap.service_tags.is_some(),
                });
                r.assumed = true;
            }
            self.drafts.push(draft(r));
        }
    }

    /// Private-endpoint /32 routes: the PE's VNet and directly peered VNets (§5.5).
    fn private_endpoint_routes(&mut self) {
        let (snap, topo, vnet) = (self.snap, self.topo, self.key.vnet);
        let mut visible_vnets = vec![vnet];
        for p in topo.connected_peerings(snap, vnet) {
            if let Some(r) = topo.peerings[p.index()].remote_vnet {
                visible_vnets.push(r);
            }
        }
        for v in visible_vnets {
            for &pe in &topo.endpoints_by_vnet[v.index()] {
                for ip in &snap.private_endpoints[pe.index()].ips {
                    let host = prefix_of_ip(*ip);
                    self.drafts.push(draft(system(
                        host,
                        NextHopType::InterfaceEndpoint,
                        RouteOrigin::PrivateEndpoint { endpoint: pe },
                    )));
                }
            }
        }
    }

    /// Gateway routes, unless the route table disables propagation (§3.7, §5.3); where an
    /// ExpressRoute and a VPN gateway program the same prefix, ExpressRoute's (§5.4).
    fn gateway_routes(&mut self) {
        let (snap, topo) = (self.snap, self.topo);
        let attachment = &topo.attachments[self.key.vnet.index()];
        self.notes.extend(attachment.mismatches.iter().cloned());
        let mut gateway_drafts: Vec<Draft> = Vec::new();
        let mut suppressed: Vec<IpNet> = Vec::new();
        let mut er_seen: HashMap<IpNet, usize> = HashMap::new();
        for &g in &attachment.gateways {
            let gw = &snap.gateways[g.index()];
            if gw.instance_ips.is_empty()
                && gw.gateway_type == GatewayType::Vpn
                && !topo.gateway_prefixes[g.index()].is_empty()
            {
                self.notes.push(TableNote::GatewayNextHopUnknown { gateway: g });
            }
            let relearned = &topo.route_server_relearned[g.index()];
            let also_gateway = self.options.route_server_relearned_routes == RouteServerRelearnedRoutes::AlsoGateway;
            if !relearned.is_empty() && !self.disable_bgp {
                let prefixes = relearned.iter().map(|gp| gp.prefix).collect();
                self.notes.push(TableNote::RouteServerRoutesRelearnedByGateway { gateway: g, prefixes, also_gateway });
            }
            let relearned = if also_gateway { relearned.as_slice() } else { &[] };
            for gp in topo.gateway_prefixes[g.index()].iter().chain(relearned) {
                if self.disable_bgp {
                    suppressed.push(gp.prefix);
                    continue;
                }
                let er = gw.gateway_type == GatewayType::ExpressRoute;
                let r = EffectiveRoute {
                    name: None,
                    source: RouteSource::VirtualNetworkGateway,
                    state: RouteState::Active,
                    prefixes: vec![gp.prefix],
                    prefix_text: vec![prefix_text(&gp.prefix)],
                    next_hop_type: NextHopType::VirtualNetworkGateway,
                    next_hop_ips: gp.next_hops.clone(),
                    origin: RouteOrigin::Gateway { gateway: g, via_peering: attachment.via, kinds: gp.kinds.clone() },
                    invalid: None,
                    assumed: false,
                };
                let mut d = draft(r);
                d.sub_rank = if er { 2 } else { 1 };
                if let Some(&existing) = er_seen.get(&gp.prefix) {
                    self.notes.push(TableNote::ExpressRoutePreferred { prefix: gp.prefix });
                    if er && gateway_drafts[existing].sub_rank < 2 {
                        gateway_drafts[existing] = d;
                    }
                    continue;
                }
                er_seen.insert(gp.prefix, gateway_drafts.len());
                gateway_drafts.push(d);
            }
        }
        // Without a route table of its own, only an AVNM routing collection (§18.4) can have
        // disabled propagation; the route's origin explains it, there is no table to name.
        if let Some(table) = self.key.route_table.filter(|_| !suppressed.is_empty()) {
            suppressed.sort();
            suppressed.dedup();
            self.notes.push(TableNote::GatewayRoutesSuppressed { table, prefixes: suppressed });
        }
        self.drafts.extend(gateway_drafts);
    }

    /// User routes of the subnet's route table (§3), then those AVNM routing configurations
    /// write beside them (§18.4).
    fn user_routes(&mut self) {
        self.table_user_routes();
        self.managed_user_routes();
    }

    /// AV-R2: a rule whose destination the subnet's table already has is ignored; of several
    /// rules with one destination Azure applies one "selected at random": the first is kept
    /// (doctor `AvnmRoutingRuleConflict`).
    fn managed_user_routes(&mut self) {
        let snap = self.snap;
        let existing: Vec<RoutePrefix> =
            self.table.map(|t| t.routes.iter().map(|r| r.prefix.clone()).collect()).unwrap_or_default();
        let mut taken: Vec<&RoutePrefix> = Vec::new();
        let base = self.table.map_or(0, |t| t.routes.len());
        for (k, &i) in self.managed.rules.iter().enumerate() {
            let rule = &snap.avnm.routing_rules[i];
            if existing.contains(&rule.destination) || taken.contains(&&rule.destination) {
                continue;
            }
            taken.push(&rule.destination);
            let (prefixes, prefix_text, tag) = self.route_prefixes(&rule.destination);
            let r = EffectiveRoute {
                name: Some(rule.name.clone()),
                source: RouteSource::User,
                state: RouteState::Active,
                prefixes,
                prefix_text,
                next_hop_type: NextHopType::from_user(&rule.next_hop_type),
                next_hop_ips: rule.next_hop_ip.into_iter().collect(),
                origin: RouteOrigin::AvnmRoutingRule { rule: i },
                invalid: None,
                assumed: false,
            };
            let mut d = draft(r);
            d.sub_rank = user_prefix_rank(tag.as_deref());
            d.order = base + k;
            d.tag = tag;
            self.drafts.push(d);
        }
    }

    /// A user route's prefixes: the CIDR, or the service tag expanded (kept as text when it
    /// cannot be).
    fn route_prefixes(&self, prefix: &RoutePrefix) -> (Vec<IpNet>, Vec<String>, Option<String>) {
        match prefix {
            RoutePrefix::Cidr(net) => (vec![*net], vec![prefix_text(net)], None),
            RoutePrefix::ServiceTag(tag) => match expand_tag(self.snap, tag) {
                Some(p) => {
                    let text = p.iter().map(prefix_text).collect();
                    (p, text, Some(tag.clone()))
                }
                None => (Vec::new(), vec![tag.clone()], Some(tag.clone())),
            },
        }
    }

    fn table_user_routes(&mut self) {
        let (Some(t_idx), Some(t)) = (self.key.route_table, self.table) else { return };
        for (i, route) in t.routes.iter().enumerate() {
            let (prefixes, prefix_text, tag) = self.route_prefixes(&route.prefix);
            let r = EffectiveRoute {
                name: Some(route.name.clone()),
                source: RouteSource::User,
                state: RouteState::Active,
                prefixes,
                prefix_text,
                next_hop_type: NextHopType::from_user(&route.next_hop_type),
                next_hop_ips: route.next_hop_ips.clone(),
                origin: RouteOrigin::User { table: t_idx, route: i },
                invalid: None,
                assumed: false,
            };
            let mut d = draft(r);
            d.sub_rank = user_prefix_rank(tag.as_deref());
            d.order = i;
            d.tag = tag;
            self.drafts.push(d);
        }
    }

    /// §1.3: a user route for exactly 0.0.0.0/0 removes the reserved None routes.
    fn remove_reserved_none_routes_on_default_override(&mut self) {
        let default_v4: IpNet = "0.0.0.0/0".parse().expect("valid");
        let remover = self.drafts.iter().position(|d| {
            let is_default = d.route.prefixes.contains(&default_v4);
            match self.options.drop_reserved_none_routes_on_default_override {
                ReservedNoneRemoval::UdrOnly => is_default && d.route.source == RouteSource::User,
                ReservedNoneRemoval::UdrAndBgp => is_default && d.route.source != RouteSource::Default,
                ReservedNoneRemoval::Never => false,
            }
        });
        if let Some(by) = remover {
            self.drafts.retain(|d| !d.reserved);
            let by = self
                .drafts
                .iter()
                .position(|d| d.route.prefixes.contains(&default_v4) && d.route.source != RouteSource::Default)
                .unwrap_or(by);
            self.notes.push(TableNote::ReservedNoneRoutesRemoved { by });
        }
    }

    /// Orders the routes, assigns their states, notes user routes whose service tag could not
    /// be expanded, and compiles the forwarding table.
    fn finish(self) -> EffectiveRouteTable {
        let TableBuilder { snap, options, key, disable_bgp, drafts, mut notes, .. } = self;
        let drafts = order_by_source(drafts, &mut notes);
        let routes = assign_states(snap, drafts);
        for (i, r) in routes.iter().enumerate() {
            if r.source == RouteSource::User
                && r.prefixes.is_empty()
                && let RouteOrigin::User { table, route } = r.origin
                && let RoutePrefix::ServiceTag(tag) = &snap.route_tables[table.index()].routes[route].prefix
            {
                notes.push(TableNote::ServiceTagNotExpanded {
                    route: i,
                    tag: tag.clone(),
                    file_present: snap.service_tags.is_some(),
                });
            }
        }
        let (fib_entries, mut shadow_notes) = compile(options, &routes);
        notes.append(&mut shadow_notes);
        EffectiveRouteTable {
            routes,
            disable_bgp_route_propagation: disable_bgp,
            route_table: key.route_table,
            vnet: key.vnet,
            notes,
            fib: Fib::build(fib_entries),
        }
    }
}

/// Deterministic order: system routes, then gateway routes, then user routes (drafts are
/// moved, not cloned); notes that point at draft positions are renumbered.
fn order_by_source(drafts: Vec<Draft>, notes: &mut [TableNote]) -> Vec<Draft> {
    let mut order: Vec<usize> = Vec::with_capacity(drafts.len());
    for source in [RouteSource::Default, RouteSource::VirtualNetworkGateway, RouteSource::User] {
        order.extend((0..drafts.len()).filter(|&i| drafts[i].route.source == source));
    }
    let mut new_position = vec![0usize; drafts.len()];
    for (n, &old) in order.iter().enumerate() {
        new_position[old] = n;
    }
    let mut taken: Vec<Option<Draft>> = drafts.into_iter().map(Some).collect();
    let drafts: Vec<Draft> = order.iter().map(|&old| taken[old].take().expect("each draft once")).collect();
    // A note points at the first route equal to the one meant.
    for note in notes {
        if let TableNote::ReservedNoneRoutesRemoved { by } = note {
            let moved = new_position[*by];
            let target = &drafts[moved].route;
            *by = drafts.iter().position(|d| &d.route == target).unwrap_or(moved);
        }
    }
    drafts
}

/// Each route's (draft's) prefixes, one slot per distinct prefix of a draft, in draft order.
struct Slots {
    /// (draft, prefix).
    slots: Vec<(usize, IpNet)>,
    /// `start[d]..start[d + 1]` are draft d's slots.
    start: Vec<usize>,
}

impl Slots {
    fn new(drafts: &[Draft]) -> Slots {
        let mut slots: Vec<(usize, IpNet)> = Vec::with_capacity(drafts.len() + 8);
        let mut start: Vec<usize> = Vec::with_capacity(drafts.len() + 1);
        for (di, d) in drafts.iter().enumerate() {
            start.push(slots.len());
            for (k, p) in d.route.prefixes.iter().enumerate() {
                if d.route.prefixes[..k].contains(p) {
                    continue;
                }
                slots.push((di, *p));
            }
        }
        start.push(slots.len());
        Slots { slots, start }
    }
}

/// Assigns Active/Invalid per prefix (§4.2 step 1 and §5.5), splitting a multi-prefix route
/// whose prefixes end up in different states.
fn assign_states(snap: &Snapshot, drafts: Vec<Draft>) -> Vec<EffectiveRoute> {
    let slots = Slots::new(&drafts);
    let mut verdict: Vec<Option<InvalidReason>> = vec![None; slots.slots.len()];
    invalidate_identical_prefixes(&drafts, &slots, &mut verdict);
    invalidate_overridden_private_endpoints(snap, &drafts, &slots, &mut verdict);
    split_by_state(drafts, &slots, &verdict)
}

/// Among drafts with an identical prefix, the highest ranked wins (§4.1: source, then the
/// tie-breaks within a source); the others are Invalid for it, as duplicates when both are
/// the same table's user routes.
fn invalidate_identical_prefixes(drafts: &[Draft], slots: &Slots, verdict: &mut [Option<InvalidReason>]) {
    let slots = &slots.slots;
    // Slots grouped by prefix (each group in slot order), by sorting rather than hashing.
    let mut by_prefix: Vec<usize> = (0..slots.len()).collect();
    by_prefix.sort_unstable_by(|&a, &b| slots[a].1.cmp(&slots[b].1).then(a.cmp(&b)));
    let rank = |di: usize| {
        let d = &drafts[di];
        (d.route.source.priority(), d.sub_rank, std::cmp::Reverse(d.order), std::cmp::Reverse(di))
    };
    for members in by_prefix.chunk_by(|&a, &b| slots[a].1 == slots[b].1) {
        if members.len() < 2 {
            continue;
        }
        let winner_slot = *members.iter().max_by_key(|&&s| rank(slots[s].0)).expect("non-empty");
        let winner = slots[winner_slot].0;
        for &s in members {
            let di = slots[s].0;
            if di == winner {
                continue;
            }
            let d = &drafts[di];
            let w = &drafts[winner];
            // Service-endpoint routes cannot be overridden (§4.1 rule 4); the user or gateway
            // route with the same prefix stays Active but is not used for it (§4.4).
            if d.route.next_hop_type == NextHopType::VirtualNetworkServiceEndpoint
                && w.route.source != RouteSource::Default
            {
                continue;
            }
            // Equal-AS-path Route Server routes with different next hops are all programmed
            // (§19.2 RS-5, ECMP).
            if matches!((&d.route.origin, &w.route.origin), (RouteOrigin::RouteServer { hub: a, .. }, RouteOrigin::RouteServer { hub: b, .. }) if a == b)
            {
                continue;
            }
            // A hub's route to a VPN gateway is one row per instance, all Active (§20.4).
            if matches!((&d.route.origin, &w.route.origin), (RouteOrigin::VirtualWanHub { hub: a, .. }, RouteOrigin::VirtualWanHub { hub: b, .. }) if a == b)
            {
                continue;
            }
            let duplicate = d.route.source == RouteSource::User
                && w.route.source == RouteSource::User
                && matches!((&d.route.origin, &w.route.origin), (RouteOrigin::User { table: a, .. }, RouteOrigin::User { table: b, .. }) if a == b)
                && d.tag.as_deref().map(str::to_ascii_lowercase) == w.tag.as_deref().map(str::to_ascii_lowercase);
            verdict[s] = Some(if duplicate {
                InvalidReason::DuplicateInRouteTable { first: winner }
            } else {
                InvalidReason::IdenticalPrefix { winner }
            });
        }
    }
}

/// §5.5: with route-table network policies on the PE's subnet, a user route at least as long
/// as the PE VNet's range (and shorter than /32) covering the PE IP invalidates it.
fn invalidate_overridden_private_endpoints(
    snap: &Snapshot,
    drafts: &[Draft],
    slots: &Slots,
    verdict: &mut [Option<InvalidReason>],
) {
    let slots = &slots.slots;
    for (s, (di, prefix)) in slots.iter().enumerate() {
        let d = &drafts[*di];
        let RouteOrigin::PrivateEndpoint { endpoint } = d.route.origin else {
            continue;
        };
        if verdict[s].is_some() {
            continue;
        }
        let pe = &snap.private_endpoints[endpoint.index()];
        let Some(pe_subnet) = pe.subnet.as_ref().and_then(|l| l.resolved()) else {
            continue;
        };
        let subnet = &snap.subnets[pe_subnet.index()];
        if !subnet.private_endpoint_network_policies.route_tables_apply() {
            continue;
        }
        let ip = prefix.addr();
        let vnet = &snap.vnets[subnet.vnet.index()];
        let Some(range_len) = vnet.address_space.iter().filter(|r| r.contains(&ip)).map(|r| r.prefix_len()).min()
        else {
            continue;
        };
        let by = slots.iter().enumerate().find(|(us, (udi, up))| {
            let u = &drafts[*udi];
            u.route.source == RouteSource::User
                && verdict[*us].is_none()
                && up.contains(&ip)
                && up.prefix_len() >= range_len
                && up.prefix_len() < up.max_prefix_len()
        });
        if let Some((_, (udi, _))) = by {
            verdict[s] = Some(InvalidReason::PrivateEndpointOverridden { by: *udi });
        }
    }
}

/// The routes: one per draft, split when its prefixes' states disagree (the Invalid part
/// after every draft), with reasons renumbered from drafts to output positions.
fn split_by_state(drafts: Vec<Draft>, slots: &Slots, verdict: &[Option<InvalidReason>]) -> Vec<EffectiveRoute> {
    let mut out: Vec<EffectiveRoute> = Vec::with_capacity(drafts.len());
    let mut new_index: Vec<usize> = vec![0; drafts.len()];
    let mut extra: Vec<EffectiveRoute> = Vec::new();
    for (di, d) in drafts.into_iter().enumerate() {
        let members = slots.start[di]..slots.start[di + 1];
        let invalid: Vec<usize> = members.clone().filter(|&s| verdict[s].is_some()).collect();
        let mut route = d.route;
        new_index[di] = out.len();
        if members.is_empty() || invalid.is_empty() {
            out.push(route);
        } else if invalid.len() == members.len() {
            route.state = RouteState::Invalid;
            route.invalid = verdict[invalid[0]].clone();
            out.push(route);
        } else {
            let bad: Vec<IpNet> = invalid.iter().map(|&s| slots.slots[s].1).collect();
            let mut inactive = route.clone();
            route.prefixes.retain(|p| !bad.contains(p));
            route.prefix_text = route.prefixes.iter().map(prefix_text).collect();
            inactive.prefixes = bad;
            inactive.prefix_text = inactive.prefixes.iter().map(prefix_text).collect();
            inactive.state = RouteState::Invalid;
            inactive.invalid = verdict[invalid[0]].clone();
            out.push(route);
            extra.push(inactive);
        }
    }
    out.append(&mut extra);
    for route in &mut out {
        match &mut route.invalid {
            Some(InvalidReason::IdenticalPrefix { winner }) => *winner = new_index[*winner],
            Some(InvalidReason::PrivateEndpointOverridden { by }) => *by = new_index[*by],
            Some(InvalidReason::DuplicateInRouteTable { first }) => *first = new_index[*first],
            None => {}
        }
    }
    out
}

/// Chooses the forwarding winner of every prefix (§4.2 steps 2–4): gateway routes more
/// specific than a protected system route are never used (§4.1 rule 3); user and gateway
/// routes inside a service-endpoint prefix are not used for it (§4.1 rule 4, C6).
fn compile(options: &ModelOptions, routes: &[EffectiveRoute]) -> (Vec<FibEntry>, Vec<TableNote>) {
    let mut notes = Vec::new();
    let protected: Vec<(usize, IpNet)> = routes
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            // C24: whether a connected group is protected like a peering is undocumented.
            let connected_group_protected = r.next_hop_type == NextHopType::ConnectedGroup
                && options.connected_group_precedence == ConnectedGroupPrecedence::ProtectedLikePeering;
            r.is_active() && (r.is_protected_system() || connected_group_protected)
        })
        .flat_map(|(i, r)| r.prefixes.iter().map(move |p| (i, *p)))
        .collect();
    let mut best: HashMap<IpNet, (usize, (u8, u8))> = HashMap::new();
    for (i, r) in routes.iter().enumerate() {
        if !r.is_active() {
            continue;
        }
        let mut shadow_noted = false;
        for p in &r.prefixes {
            let shadow = shadowed_by_rule(options, r, p, &protected, routes);
            if let Some((by, se)) = shadow {
                if !shadow_noted {
                    notes.push(if se {
                        TableNote::ShadowedByServiceEndpoint { route: i, by }
                    } else {
                        TableNote::BgpRouteShadowedBySystemRoute { route: i, by }
                    });
                    shadow_noted = true;
                }
                continue;
            }
            // Among Active routes an identical prefix remains only for a service endpoint
            // and the user or gateway route it shadows, which is skipped above.
            let key = (r.source.priority(), 0u8);
            match best.get(p) {
                Some(&(_, k)) if k >= key => {}
                _ => {
                    best.insert(*p, (i, key));
                }
            }
        }
    }
    let mut entries: Vec<FibEntry> =
        best.into_iter().map(|(prefix, (route, _))| FibEntry { prefix, route: route as u32 }).collect();
    entries.sort_by_key(|a| a.prefix);
    (entries, notes)
}

/// Whether `prefix` of `route` is never used because a protected route covers it.
pub(crate) fn shadowed_by_rule(
    options: &ModelOptions,
    route: &EffectiveRoute,
    prefix: &IpNet,
    protected: &[(usize, IpNet)],
    routes: &[EffectiveRoute],
) -> Option<(usize, bool)> {
    if route.source == RouteSource::Default {
        return None;
    }
    for (by, p) in protected {
        let se = routes[*by].next_hop_type == NextHopType::VirtualNetworkServiceEndpoint;
        if se {
            let applies = if options.se_routes_lpm_strict { p == prefix } else { contains_prefix(p, prefix) };
            if applies {
                return Some((*by, true));
            }
        } else if route.source == RouteSource::VirtualNetworkGateway && contains_prefix(p, prefix) && p != prefix {
            return Some((*by, false));
        }
    }
    None
}

#[cfg(test)]
mod text_tests {
    use proptest::prelude::*;

    proptest! {
        /// The fast IPv4 text is exactly `IpNet`'s `Display`.
        #[test]
        fn prefix_text_matches_display(addr in any::<u32>(), len in 0u8..=32) {
            let net = ipnet::IpNet::V4(ipnet::Ipv4Net::new(std::net::Ipv4Addr::from(addr), len).expect("len <= 32").trunc());
            prop_assert_eq!(super::prefix_text(&net), net.to_string());
            let ip = std::net::IpAddr::V4(std::net::Ipv4Addr::from(addr));
            prop_assert_eq!(super::ip_text(&ip), ip.to_string());
        }
    }
}
