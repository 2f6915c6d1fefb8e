//! Routing intent (§20.3): forced association and propagation (RI-3), the policy routes of
//! the default table (RI-4), read as exported or derived when the export lacks them, and the
//! secured hub firewall's own table (RI-12).

use azroute_model::*;
use ipnet::IpNet;

use super::offers::{Conn, ForcedPropagation};
use super::tables::{appliance_ips, hop_type_of, select_table};
use super::types::*;

/// The prefixes of a `PrivateTraffic` policy (RI-4).
pub(super) fn private_prefixes() -> [IpNet; 3] {
    ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(|p| p.parse().expect("a valid prefix"))
}

/// The route names Azure gives policy routes (RI-4).
pub(super) const PRIVATE_ROUTE: &str = "_policy_PrivateTraffic";
pub(super) const PUBLIC_ROUTE: &str = "_policy_PublicTraffic";

pub(super) fn is_policy_route_name(name: &str) -> bool {
    name.to_ascii_lowercase().starts_with("_policy_")
}

/// RI-4: a static route for exactly 0.0.0.0/0 or an RFC 1918 supernet is removed.
pub(super) fn replaced_by_intent(prefix: IpNet) -> bool {
    prefix.prefix_len() == 0 && prefix.addr().is_ipv4() || private_prefixes().contains(&prefix)
}

/// The name the portal and Firewall Manager give the consolidated route (RI-4, §20.13).
pub(super) const CONSOLIDATED_ROUTE: &str = "private_traffic";

/// One prefix of a static route as routing intent leaves the default table.
pub(super) struct KeptStatic<'r> {
    pub name: String,
    pub prefix: IpNet,
    pub route: &'r azroute_model::HubRoute,
}

/// RI-4 (§20.13): the static routes of a secured hub's `defaultRouteTable` (other than the
/// `_policy_` ones) once routing intent is on: every prefix equal to 0.0.0.0/0 or an RFC 1918
/// supernet removed (returned second, with its route's name); the rest kept as they are (REST,
/// CLI, PowerShell), or, when the export holds the table as it was before (no `_policy_` route)
/// and option `vwan_intent_static_routes` says the portal did it, consolidated into one route
/// named `private_traffic` (C39).
pub(super) fn rewrite_statics<'r>(
    routes: &'r [azroute_model::HubRoute],
    tool: VwanIntentStaticRoutes,
) -> (Vec<KeptStatic<'r>>, Vec<(String, IpNet)>) {
    let before = !routes.iter().any(|r| is_policy_route_name(&r.name));
    let consolidate = before && tool == VwanIntentStaticRoutes::Portal;
    let (mut kept, mut removed) = (Vec::new(), Vec::new());
    for r in routes.iter().filter(|r| !is_policy_route_name(&r.name)) {
        for p in &r.prefixes {
            if replaced_by_intent(*p) {
                removed.push((r.name.clone(), *p));
                continue;
            }
            let name = if consolidate { CONSOLIDATED_ROUTE.to_string() } else { r.name.clone() };
            if !kept.iter().any(|k: &KeptStatic| k.name == name && k.prefix == *p) {
                kept.push(KeptStatic { name, prefix: *p, route: r });
            }
        }
    }
    (kept, removed)
}

fn policy_of_name(name: &str) -> RoutingPolicyKind {
    if name.to_ascii_lowercase().contains("private") {
        RoutingPolicyKind::PrivateTraffic
    } else {
        RoutingPolicyKind::Internet
    }
}

fn policy_route(
    snap: &Snapshot,
    table: &HubTable,
    name: &str,
    prefix: IpNet,
    hop: &ArmId,
    derived: bool,
) -> HubEffectiveRoute {
    HubEffectiveRoute {
        prefixes: vec![prefix],
        next_hop_type: hop_type_of(hop),
        next_hops: vec![hop.clone()],
        route_origin: table.id.clone(),
        as_path: String::new(),
        kind: OfferKind::RoutingIntent,
        next_hop_ips: appliance_ips(snap, hop),
        reason: HubRouteReason::RoutingPolicy { name: name.to_string(), policy: policy_of_name(name), derived },
        derived,
    }
}

/// A `_policy_*` route of an exported table, read as it is.
pub(super) fn read_policy_route(
    snap: &Snapshot,
    table: &HubTable,
    r: &azroute_model::HubRoute,
) -> Vec<HubEffectiveRoute> {
    r.prefixes.iter().map(|p| policy_route(snap, table, &r.name, *p, &r.next_hop, false)).collect()
}

/// A hub's `PrivateTraffic` routing policy, if it has one (RI-1).
pub(crate) fn private_policy<'s>(snap: &'s Snapshot, hub: &VirtualHub) -> Option<&'s RoutingPolicy> {
    snap.vwan.routing_intent_of(&hub.id)?.policy(&RoutingPolicyKind::PrivateTraffic)
}

/// RI-2, RI-3: under routing intent every connection of the hub is associated with the default
/// table and propagates to the `default` label (Internet only) or nowhere (a private policy).
pub(super) fn force_connections(
    snap: &Snapshot,
    hubs: &[VirtualHubIdx],
    tables: &[Vec<HubTable>],
    conns: &mut [Conn],
    notes: &mut [Vec<HubNote>],
) {
    for (h, hub) in hubs.iter().enumerate() {
        let hub = &snap.virtual_hubs[hub.index()];
        let Some(intent) = snap.vwan.routing_intent_of(&hub.id) else { continue };
        let custom: Vec<ArmId> = tables[h]
            .iter()
            .filter(|t| t.exported && !t.is_default() && !t.is_none_table())
            .map(|t| t.id.clone())
            .collect();
        if !custom.is_empty() {
            notes[h].push(HubNote::RoutingIntentWithCustomTables { intent: intent.id.clone(), tables: custom });
        }
        let default =
            tables[h].iter().find(|t| t.is_default()).map(|t| t.id.clone()).expect("every hub has a default table");
        let forced = if intent.policy(&RoutingPolicyKind::PrivateTraffic).is_some() {
            ForcedPropagation::Nowhere
        } else {
            ForcedPropagation::DefaultLabel
        };
        for c in conns.iter_mut().filter(|c| c.hub == h) {
            c.state.associated = default.clone();
            c.state.associated_by_intent = true;
            c.forced = Some(forced);
        }
    }
}

/// RI-4: the policy routes of each secured hub's default table, derived where the export does
/// not hold them.
pub(super) fn policy_routes(
    snap: &Snapshot,
    hubs: &[VirtualHubIdx],
    tables: &mut [Vec<HubTable>],
    notes: &mut [Vec<HubNote>],
) {
    for (h, hub) in hubs.iter().enumerate() {
        let hub = &snap.virtual_hubs[hub.index()];
        let Some(intent) = snap.vwan.routing_intent_of(&hub.id) else { continue };
        let Some(table) = tables[h].iter_mut().find(|t| t.is_default()) else { continue };
        let mut derived_any = false;
        for (kind, name, prefixes) in [
            (RoutingPolicyKind::PrivateTraffic, PRIVATE_ROUTE, private_prefixes().to_vec()),
            (RoutingPolicyKind::Internet, PUBLIC_ROUTE, vec!["0.0.0.0/0".parse().expect("a valid prefix")]),
        ] {
            let Some(policy) = intent.policy(&kind) else { continue };
            let read = table
                .routes
                .iter()
                .any(|r| matches!(&r.reason, HubRouteReason::RoutingPolicy { policy: p, .. } if *p == kind));
            if read {
                continue;
            }
            derived_any = true;
            for p in prefixes {
                let route = policy_route(snap, table, name, p, &policy.next_hop, true);
                table.routes.push(route);
            }
        }
        if derived_any {
            notes[h].push(HubNote::PolicyRoutesDerived { intent: intent.id.clone() });
        }
    }
}

/// RI-12: where a secured hub's firewall sends what it inspected: its own connections'
/// prefixes, those of the WAN's other hubs with a private policy as `Remote Hub`, those of hubs
/// without one only as far as they propagate to this hub's default table (the how-to's
/// troubleshooting: otherwise the secured hub cannot send to them), and 0.0.0.0/0 to the
/// Internet.
pub(super) fn firewall_tables(
    snap: &Snapshot,
    hubs: &[VirtualHubIdx],
    conns: &[Conn],
    tables: &[Vec<HubTable>],
) -> Vec<Option<HubTable>> {
    hubs.iter()
        .enumerate()
        .map(|(h, hub)| {
            let hub = &snap.virtual_hubs[hub.index()];
            let intent = snap.vwan.routing_intent_of(&hub.id)?;
            let appliance = intent.policies.first()?.next_hop.clone();
            let mut routes = Vec::new();
            for c in conns {
                let origin_hub = &snap.virtual_hubs[hubs[c.hub].index()];
                let secured = c.hub == h || private_policy(snap, origin_hub).is_some();
                if origin_hub.virtual_wan != hub.virtual_wan || !secured {
                    continue;
                }
                for o in &c.offers {
                    let mut route = o.clone();
                    route.reason =
                        HubRouteReason::Propagated { connection: c.state.id.clone(), by: PropagationBy::RoutingIntent };
                    if c.hub != h {
                        if o.kind.class() == 0 || o.prefixes.iter().any(|p| p.prefix_len() == 0) {
                            continue;
                        }
                        let origin = origin_hub.id.clone();
                        route.next_hop_type = HubNextHopType::RemoteHub;
                        route.next_hops = vec![origin.clone()];
                        route.route_origin = origin;
                        route.as_path = format!(
                            "65520-65520{}",
                            if o.as_path.is_empty() { String::new() } else { format!("-{}", o.as_path) }
                        );
                    }
                    routes.push(route);
                }
            }
            let default = tables[h].iter().find(|t| t.is_default());
            let propagated = default.into_iter().flat_map(|t| t.routes.iter());
            routes.extend(propagated.filter(|r| matches!(r.reason, HubRouteReason::RemoteHub { .. })).cloned());
            routes.push(HubEffectiveRoute {
                prefixes: vec!["0.0.0.0/0".parse().expect("a valid prefix")],
                next_hop_type: HubNextHopType::Internet,
                next_hops: Vec::new(),
                route_origin: appliance.clone(),
                as_path: String::new(),
                kind: OfferKind::Internet,
                next_hop_ips: Vec::new(),
                reason: HubRouteReason::FirewallInternet,
                derived: true,
            });
            Some(HubTable {
                id: appliance.clone(),
                name: appliance.last_segment().to_string(),
                labels: Vec::new(),
                exported: false,
                routes: select_table(routes, &hub.hub_routing_preference),
            })
        })
        .collect()
}

/// RI-5: each Virtual WAN whose hubs differ in having a `PrivateTraffic` policy, with the hubs
/// that have one and those that do not (the doctor's `VwanRoutingIntentNotOnAllHubs`, and the
/// reason a trace between their spokes gives, §20.12).
pub fn routing_intent_splits(snap: &Snapshot) -> Vec<crate::finding::VwanRoutingIntentNotOnAllHubs> {
    let mut wans: Vec<(&ArmId, Vec<VirtualHubIdx>, Vec<VirtualHubIdx>)> = Vec::new();
    for (i, h) in snap.virtual_hubs.iter().enumerate() {
        let Some(wan) = h.virtual_wan.as_ref() else { continue };
        let index = VirtualHubIdx(i as u32);
        let private =
            snap.vwan.routing_intent_of(&h.id).is_some_and(|r| r.policy(&RoutingPolicyKind::PrivateTraffic).is_some());
        let at = match wans.iter().position(|(w, _, _)| same_arm_id(w.as_str(), wan.as_str())) {
            Some(at) => at,
            None => {
                wans.push((wan, Vec::new(), Vec::new()));
                wans.len() - 1
            }
        };
        if private { wans[at].1.push(index) } else { wans[at].2.push(index) }
    }
    wans.into_iter()
        .filter(|(_, secured, unsecured)| !secured.is_empty() && !unsecured.is_empty())
        .map(|(wan, secured, unsecured)| crate::finding::VwanRoutingIntentNotOnAllHubs {
            virtual_wan: wan.clone(),
            secured,
            unsecured,
        })
        .collect()
}
