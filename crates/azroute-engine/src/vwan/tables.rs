//! Each Virtual WAN hub table's effective routes (§20.2 VW-1…VW-7, with routing intent's
//! changes of §20.3 from `intent.rs`): connections propagate their offers to tables by id and by
//! WAN-wide label; another hub's table shows them as `Remote Hub` (only each hub's best routes,
//! never 0.0.0.0/0, statics only with `propagateStaticRoutes`); static routes of the table; then
//! one selection per prefix by the hub's routing preference.

use azroute_model::*;
use ipnet::IpNet;

use super::intent;
use super::offers::{self, Conn, ForcedPropagation};
use super::types::*;
use crate::route_server::as_path_len;

/// The AS path a route learned from another hub carries (VW-3).
const REMOTE_HUB_AS_PATH: &str = "65520-65520";

/// Every Virtual WAN hub's routing (hubs with `virtualWan`; Route Servers are not here).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VwanRouting {
    pub hubs: Vec<HubRouting>,
    /// The Virtual WANs whose hubs differ in having a private-traffic policy (RI-5), computed
    /// once: every dropped trace between hubs looks for them (§20.12).
    pub routing_intent_splits: Vec<crate::finding::VwanRoutingIntentNotOnAllHubs>,
}

impl VwanRouting {
    /// The hub tables under the default options.
    pub fn build(snap: &Snapshot) -> VwanRouting {
        VwanRouting::build_with(snap, &ModelOptions::default())
    }

    /// The hub tables; `options` decide C27, C28 and C29 (§20.4).
    pub fn build_with(snap: &Snapshot, options: &ModelOptions) -> VwanRouting {
        let hubs: Vec<VirtualHubIdx> = (0..snap.virtual_hubs.len())
            .filter(|&h| !snap.virtual_hubs[h].is_route_server())
            .map(|h| VirtualHubIdx(h as u32))
            .collect();
        if hubs.is_empty() {
            return VwanRouting::default();
        }
        let mut b = Builder::new(snap, hubs, options);
        let mut conns = offers::connections(snap, &b.hubs, &mut b.notes, options);
        intent::force_connections(snap, &b.hubs, &b.tables, &mut conns, &mut b.notes);
        b.resolve_associations(&mut conns);
        b.propagate(&conns);
        b.table_statics();
        intent::policy_routes(snap, &b.hubs, &mut b.tables, &mut b.notes);
        b.select();
        let firewall_tables = intent::firewall_tables(snap, &b.hubs, &conns, &b.tables);
        b.finish(conns, firewall_tables)
    }

    pub fn hub(&self, hub: VirtualHubIdx) -> Option<&HubRouting> {
        self.hubs.iter().find(|h| h.hub == hub)
    }

    /// The hub connection of a spoke VNet, with its hub.
    pub fn connection_of_vnet(&self, vnet: VnetIdx) -> Option<(&HubRouting, &HubConnectionState)> {
        self.hubs.iter().find_map(|h| h.connections.iter().find(|c| c.vnet == Some(vnet)).map(|c| (h, c)))
    }
}

struct Builder<'a> {
    snap: &'a Snapshot,
    options: &'a ModelOptions,
    hubs: Vec<VirtualHubIdx>,
    tables: Vec<Vec<HubTable>>,
    notes: Vec<Vec<HubNote>>,
}

/// A hub's tables: the exported ones, and the built-in ones the export lacks.
fn hub_tables(snap: &Snapshot, hub: &VirtualHub) -> Vec<HubTable> {
    let mut tables: Vec<HubTable> = snap
        .vwan
        .route_tables_of(&hub.id)
        .map(|t| HubTable {
            id: t.id.clone(),
            name: t.name.clone(),
            labels: with_builtin_label(&t.name, &t.labels),
            exported: true,
            routes: Vec::new(),
        })
        .collect();
    for name in ["defaultRouteTable", "noneRouteTable"] {
        if !tables.iter().any(|t| t.name.eq_ignore_ascii_case(name)) {
            tables.push(HubTable {
                id: ArmId::new(format!("{}/hubRouteTables/{name}", hub.id.as_str())),
                name: name.to_string(),
                labels: with_builtin_label(name, &[]),
                exported: false,
                routes: Vec::new(),
            });
        }
    }
    tables
}

/// VW-2: `defaultRouteTable` carries `default`, `noneRouteTable` carries `none`.
fn with_builtin_label(name: &str, labels: &[String]) -> Vec<String> {
    let mut out = labels.to_vec();
    let builtin = if name.eq_ignore_ascii_case("defaultRouteTable") {
        Some("default")
    } else if name.eq_ignore_ascii_case("noneRouteTable") {
        Some("none")
    } else {
        None
    };
    if let Some(b) = builtin
        && !out.iter().any(|l| l.eq_ignore_ascii_case(b))
    {
        out.push(b.to_string());
    }
    out
}

impl<'a> Builder<'a> {
    fn new(snap: &'a Snapshot, hubs: Vec<VirtualHubIdx>, options: &'a ModelOptions) -> Builder<'a> {
        let tables = hubs.iter().map(|h| hub_tables(snap, &snap.virtual_hubs[h.index()])).collect();
        let notes = vec![Vec::new(); hubs.len()];
        Builder { snap, options, hubs, tables, notes }
    }

    fn hub(&self, h: usize) -> &'a VirtualHub {
        &self.snap.virtual_hubs[self.hubs[h].index()]
    }

    /// VW-1: a connection that names no table is associated with its hub's default table.
    fn resolve_associations(&mut self, conns: &mut [Conn]) {
        for c in conns {
            if c.state.associated.is_empty() {
                c.state.associated = self.tables[c.hub].iter().find(|t| t.is_default()).map(|t| t.id.clone()).unwrap();
            } else if !self.tables.iter().flatten().any(|t| same_arm_id(t.id.as_str(), c.state.associated.as_str())) {
                let note =
                    HubNote::RouteTableMissing { connection: c.state.id.clone(), table: c.state.associated.clone() };
                self.notes[c.hub].push(note);
            }
        }
    }

    /// The tables a connection propagates to, with how (VW-2): ids and labels (labels across
    /// every hub of the same WAN); nothing said means the default table and label `default`.
    fn targets(&self, c: &Conn) -> Vec<(usize, usize, PropagationBy)> {
        let wan = &self.hub(c.hub).virtual_wan;
        if let Some(forced) = c.forced {
            return self.forced_targets(c.hub, forced, wan);
        }
        let (ids, labels, default) = match &c.routing.propagated_route_tables {
            Some(p) if !(p.ids.is_empty() && p.labels.is_empty()) => (p.ids.clone(), p.labels.clone(), false),
            // C27: an empty object reads as absent unless the option says nowhere.
            Some(_) if self.options.vwan_empty_propagation == VwanEmptyPropagation::Nowhere => return Vec::new(),
            _ => (Vec::new(), vec!["default".to_string()], true),
        };
        let mut out = Vec::new();
        for (h, tables) in self.tables.iter().enumerate() {
            let same_wan = self.hub(h).virtual_wan == *wan;
            for (t, table) in tables.iter().enumerate() {
                if table.is_none_table() {
                    continue;
                }
                let local_default = default && h == c.hub && table.is_default();
                let by_id = ids.iter().any(|id| same_arm_id(id.as_str(), table.id.as_str()));
                let label = labels.iter().find(|l| table.labels.iter().any(|tl| tl.eq_ignore_ascii_case(l)));
                let by = if default && (local_default || (same_wan && label.is_some())) {
                    Some(PropagationBy::Default)
                } else if by_id {
                    Some(PropagationBy::TableId)
                } else {
                    label.filter(|_| same_wan).map(|l| PropagationBy::Label(l.clone()))
                };
                if let Some(by) = by {
                    out.push((h, t, by));
                }
            }
        }
        out
    }

    /// RI-3: the default table of every hub of the WAN; with a private policy no table of its
    /// own hub, but still the default tables of the WAN's hubs without one (§20.14: Microsoft's
    /// traffic table has their spokes reach the secured hub's, through its firewall).
    fn forced_targets(
        &self,
        hub: usize,
        forced: ForcedPropagation,
        wan: &Option<ArmId>,
    ) -> Vec<(usize, usize, PropagationBy)> {
        let mut out = Vec::new();
        for (h, tables) in self.tables.iter().enumerate() {
            if self.hub(h).virtual_wan != *wan {
                continue;
            }
            let nowhere = forced == ForcedPropagation::Nowhere;
            if nowhere && (h == hub || intent::private_policy(self.snap, self.hub(h)).is_some()) {
                continue;
            }
            if let Some(t) = tables.iter().position(|t| t.is_default()) {
                out.push((h, t, PropagationBy::RoutingIntent));
            }
        }
        out
    }

    /// Places each offer in the tables it reaches: as it is in its own hub, as `Remote Hub`
    /// elsewhere (VW-3, VW-4).
    fn propagate(&mut self, conns: &[Conn]) {
        let mut remote: Vec<(usize, usize, usize, HubEffectiveRoute)> = Vec::new();
        for c in conns {
            let empty =
                c.routing.propagated_route_tables.as_ref().is_some_and(|p| p.ids.is_empty() && p.labels.is_empty());
            if empty && c.forced.is_none() {
                let nowhere = self.options.vwan_empty_propagation == VwanEmptyPropagation::Nowhere;
                self.notes[c.hub].push(HubNote::EmptyPropagationAssumed { connection: c.state.id.clone(), nowhere });
            }
            for (h, t, by) in self.targets(c) {
                for o in &c.offers {
                    let mut route = o.clone();
                    if h == c.hub {
                        route.reason = HubRouteReason::Propagated { connection: c.state.id.clone(), by: by.clone() };
                        self.tables[h][t].routes.push(route);
                        continue;
                    }
                    let is_static = o.kind.class() == 0;
                    if o.prefixes.iter().any(|p| p.prefix_len() == 0) || (is_static && !c.propagate_static) {
                        continue;
                    }
                    let hub_id = self.hub(c.hub).id.clone();
                    route.reason = HubRouteReason::RemoteHub {
                        hub: hub_id.clone(),
                        connection: c.state.id.clone(),
                        by: by.clone(),
                    };
                    route.as_path = self.remote_as_path(h, &o.as_path);
                    route.next_hop_type = HubNextHopType::RemoteHub;
                    route.next_hops = vec![hub_id.clone()];
                    route.route_origin = hub_id;
                    remote.push((h, t, c.hub, route));
                }
            }
        }
        self.place_remote(remote);
    }

    /// A hub advertises only its best route per prefix to other hubs (VW-7): per table,
    /// prefix and origin hub, the origin hub's own selection decides.
    fn place_remote(&mut self, mut remote: Vec<(usize, usize, usize, HubEffectiveRoute)>) {
        remote.sort_by(|a, b| (a.0, a.1, a.2, a.3.prefixes[0]).cmp(&(b.0, b.1, b.2, b.3.prefixes[0])));
        for group in remote.chunk_by(|a, b| (a.0, a.1, a.2, a.3.prefixes[0]) == (b.0, b.1, b.2, b.3.prefixes[0])) {
            let (h, t, origin) = (group[0].0, group[0].1, group[0].2);
            let candidates: Vec<HubEffectiveRoute> = group.iter().map(|g| g.3.clone()).collect();
            let preference = &self.hub(origin).hub_routing_preference;
            let best = select_one_prefix(candidates, preference, |r| r.kind);
            if let Some(first) = best.into_iter().next() {
                self.tables[h][t].routes.push(first);
            }
        }
    }

    /// A table's own static routes (VW-6), less what routing intent replaces (RI-4, §20.13).
    fn table_statics(&mut self) {
        for (h, tables) in self.tables.iter_mut().enumerate() {
            let hub = &self.snap.virtual_hubs[self.hubs[h].index()];
            let intent = self.snap.vwan.routing_intent_of(&hub.id);
            for table in tables.iter_mut().filter(|t| t.exported) {
                let Some(exported) = self.snap.vwan.hub_route_tables.iter().find(|x| x.id == table.id) else {
                    continue;
                };
                if intent.is_none() {
                    for r in &exported.routes {
                        for p in &r.prefixes {
                            table.routes.push(static_route(self.snap, table, r, &r.name, *p));
                        }
                    }
                    continue;
                }
                for r in exported.routes.iter().filter(|r| intent::is_policy_route_name(&r.name)) {
                    // Read as exported: the routing policy's own route (RI-4).
                    table.routes.extend(intent::read_policy_route(self.snap, table, r));
                }
                let (kept, removed) = intent::rewrite_statics(&exported.routes, self.options.vwan_intent_static_routes);
                for (name, prefix) in removed {
                    self.notes[h].push(HubNote::StaticRouteReplacedByIntent { table: table.id.clone(), name, prefix });
                }
                if kept.iter().any(|k| k.name != k.route.name) {
                    let note = HubNote::StaticRoutesRewrittenByTool {
                        table: table.id.clone(),
                        portal: true,
                        routes: kept.iter().map(|k| k.route.name.clone()).fold(Vec::new(), push_new),
                    };
                    self.notes[h].push(note);
                } else if !kept.is_empty() && !exported.routes.iter().any(|r| intent::is_policy_route_name(&r.name)) {
                    let routes = kept.iter().map(|k| k.route.name.clone()).fold(Vec::new(), push_new);
                    self.notes[h].push(HubNote::StaticRoutesRewrittenByTool {
                        table: table.id.clone(),
                        portal: false,
                        routes,
                    });
                }
                for k in kept {
                    table.routes.push(static_route(self.snap, table, k.route, &k.name, k.prefix));
                }
            }
        }
    }

    /// VW-7 for every table: per prefix, the best routes by the hub's preference.
    fn select(&mut self) {
        for (h, tables) in self.tables.iter_mut().enumerate() {
            let preference = self.snap.virtual_hubs[self.hubs[h].index()].hub_routing_preference.clone();
            for table in tables.iter_mut() {
                table.routes = select_table(std::mem::take(&mut table.routes), &preference);
            }
        }
    }

    fn finish(self, conns: Vec<Conn>, mut firewall_tables: Vec<Option<HubTable>>) -> VwanRouting {
        let mut connections: Vec<Vec<HubConnectionState>> = vec![Vec::new(); self.hubs.len()];
        for c in conns {
            connections[c.hub].push(c.state);
        }
        let hubs = self
            .hubs
            .iter()
            .zip(self.tables)
            .zip(self.notes)
            .zip(connections)
            .enumerate()
            .map(|(i, (((hub, tables), notes), connections))| HubRouting {
                hub: *hub,
                tables,
                firewall_table: firewall_tables[i].take(),
                connections,
                notes,
            })
            .collect();
        VwanRouting { hubs, routing_intent_splits: intent::routing_intent_splits(self.snap) }
    }
}

impl Builder<'_> {
    /// `65520-65520`, then (C29, option `vwan_remote_branch_as_path`) the path the origin hub
    /// had; hub `h`, which receives the route, notes the assumption.
    fn remote_as_path(&mut self, h: usize, path: &str) -> String {
        if path.is_empty() {
            return REMOTE_HUB_AS_PATH.to_string();
        }
        let prepend = self.options.vwan_remote_branch_as_path == VwanRemoteBranchAsPath::Prepend;
        let note = HubNote::RemoteBranchAsPathAssumed { prepended: prepend };
        if !self.notes[h].contains(&note) {
            self.notes[h].push(note);
        }
        if prepend { format!("{REMOTE_HUB_AS_PATH}-{path}") } else { REMOTE_HUB_AS_PATH.to_string() }
    }
}

/// The next hop type of a static route by its next hop's resource type (VW-6).
pub(super) fn hop_type_of(id: &ArmId) -> HubNextHopType {
    let lower = id.as_str().to_ascii_lowercase();
    if lower.contains("/azurefirewalls/") {
        HubNextHopType::AzureFirewall
    } else if lower.contains("/networkvirtualappliances/") {
        HubNextHopType::NetworkVirtualAppliance
    } else {
        HubNextHopType::VirtualNetworkConnection
    }
}

/// The address a spoke sees for a firewall or hub NVA next hop (RI-7).
pub(super) fn appliance_ips(snap: &Snapshot, id: &ArmId) -> Vec<std::net::IpAddr> {
    if let Some(f) = snap.resolve_id(ResourceKind::AzureFirewall, id.as_str()) {
        return snap.firewalls[f as usize].hub_private_ip.into_iter().collect();
    }
    if let Some(n) = snap.resolve_id(ResourceKind::NetworkVirtualAppliance, id.as_str()) {
        return snap.vwan.network_virtual_appliances[n as usize].private_ips.clone();
    }
    Vec::new()
}

/// Appends a name not yet in the list.
fn push_new(mut names: Vec<String>, name: String) -> Vec<String> {
    if !names.contains(&name) {
        names.push(name);
    }
    names
}

fn static_route(
    snap: &Snapshot,
    table: &HubTable,
    r: &azroute_model::HubRoute,
    name: &str,
    prefix: IpNet,
) -> HubEffectiveRoute {
    HubEffectiveRoute {
        prefixes: vec![prefix],
        next_hop_type: hop_type_of(&r.next_hop),
        next_hops: vec![r.next_hop.clone()],
        route_origin: table.id.clone(),
        as_path: String::new(),
        kind: OfferKind::TableStatic,
        next_hop_ips: appliance_ips(snap, &r.next_hop),
        reason: HubRouteReason::TableStatic { table: table.id.clone(), name: name.to_string() },
        derived: false,
    }
}

/// Per prefix (in prefix order), the best routes.
pub(super) fn select_table(
    mut routes: Vec<HubEffectiveRoute>,
    preference: &HubRoutingPreference,
) -> Vec<HubEffectiveRoute> {
    routes.sort_by(|a, b| a.prefixes[0].cmp(&b.prefixes[0]));
    let mut out = Vec::with_capacity(routes.len());
    for group in routes.chunk_by(|a, b| a.prefixes[0] == b.prefixes[0]) {
        out.extend(select_one_prefix(group.to_vec(), preference, |r| r.kind));
    }
    out
}

/// VW-7 among routes for one prefix: static first, then the preference's order; ties all kept
/// (ECMP), duplicates dropped.
pub(super) fn select_one_prefix(
    routes: Vec<HubEffectiveRoute>,
    preference: &HubRoutingPreference,
    kind: impl Fn(&HubEffectiveRoute) -> OfferKind,
) -> Vec<HubEffectiveRoute> {
    let key = |r: &HubEffectiveRoute| {
        preference_key(kind(r), r.next_hop_type != HubNextHopType::RemoteHub, as_path_len(&r.as_path), preference)
    };
    let Some(best) = routes.iter().map(key).min() else { return routes };
    let mut out: Vec<HubEffectiveRoute> = Vec::new();
    for r in routes {
        if key(&r) == best && !out.iter().any(|o| o.next_hop_type == r.next_hop_type && o.next_hops == r.next_hops) {
            out.push(r);
        }
    }
    out
}

/// The order of VW-7 step 2 and 3, smaller first.
fn preference_key(
    kind: OfferKind,
    local: bool,
    path_len: usize,
    preference: &HubRoutingPreference,
) -> (u8, usize, u8, u8, usize) {
    let class = kind.class();
    let remote = u8::from(!local);
    let er_first = match (local, kind) {
        (true, OfferKind::ExpressRoute) | (false, OfferKind::Vpn) => 0,
        (true, OfferKind::Vpn) | (false, OfferKind::ExpressRoute) => 1,
        _ => 2,
    };
    let vpn_first = match kind {
        OfferKind::Vpn => 0,
        OfferKind::ExpressRoute => 1,
        _ => 2,
    };
    match preference {
        HubRoutingPreference::VpnGateway => (class, 0, remote, vpn_first, path_len),
        HubRoutingPreference::AsPath => (class, path_len, remote, er_first, 0),
        _ => (class, 0, remote, er_first, path_len),
    }
}
