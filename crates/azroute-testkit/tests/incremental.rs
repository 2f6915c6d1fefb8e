//! Incremental recomputation equals a full recomputation: random changes (a route table's
//! routes, an association, a peering's flags or its deletion) applied one after another to
//! random hub-and-spoke estates give, after each change, the same effective routes for every
//! subnet and the same reachability matrix as computing the changed snapshot from scratch.

use azroute_engine::*;
use azroute_model::*;
use azroute_testkit::random::RandomHubSpoke;
use azroute_testkit::random::model_route as route;
use azroute_testkit::*;
use proptest::prelude::*;

/// A change drawn from four kinds; indices are reduced modulo what the estate has.
#[derive(Clone, Debug)]
enum Draw {
    Routes { table: usize, kind: u8, third_octet: u8 },
    Associate { subnet: usize, table: Option<usize> },
    Peering { peering: usize, flag: u8 },
    Remove { peering: usize },
}

fn draw() -> impl Strategy<Value = Draw> {
    prop_oneof![
        (any::<usize>(), 0u8..4, any::<u8>()).prop_map(|(table, kind, third_octet)| Draw::Routes {
            table,
            kind,
            third_octet
        }),
        (any::<usize>(), proptest::option::of(any::<usize>()))
            .prop_map(|(subnet, table)| Draw::Associate { subnet, table }),
        (any::<usize>(), 0u8..5).prop_map(|(peering, flag)| Draw::Peering { peering, flag }),
        any::<usize>().prop_map(|peering| Draw::Remove { peering }),
    ]
}

/// Turns a draw into a change on `snap`, or `None` when the estate has nothing to change.
fn change(snap: &Snapshot, d: &Draw) -> Option<Change> {
    match d {
        Draw::Routes { table, kind, third_octet } => {
            if snap.route_tables.is_empty() {
                return None;
            }
            let t = RouteTableIdx((table % snap.route_tables.len()) as u32);
            let mut routes = snap.route_tables[t.index()].routes.clone();
            match kind {
                0 => routes.push(route("default", "0.0.0.0/0", RouteNextHopType::VirtualAppliance, Some("10.0.1.4"))),
                1 => routes.clear(),
                2 => routes.push(route(
                    "blackhole",
                    &format!("10.{}.{}.0/24", third_octet % 4, third_octet / 64),
                    RouteNextHopType::None,
                    None,
                )),
                _ => routes.push(route(
                    "spoke-via-fw",
                    &format!("10.{}.0.0/16", 1 + third_octet % 3),
                    RouteNextHopType::VirtualAppliance,
                    Some("10.0.1.4"),
                )),
            }
            // Route names are unique within a table.
            let mut seen = std::collections::HashSet::new();
            routes.retain(|r| seen.insert(r.name.clone()));
            Some(Change::SetRoutes { table: t, routes })
        }
        Draw::Associate { subnet, table } => {
            let s = SubnetIdx((subnet % snap.subnets.len()) as u32);
            let route_table = match table {
                Some(t) if !snap.route_tables.is_empty() => Some(RouteTableIdx((t % snap.route_tables.len()) as u32)),
                _ => None,
            };
            Some(Change::Associate { subnet: s, route_table })
        }
        Draw::Peering { peering, flag } => {
            let live: Vec<PeeringIdx> = snap.vnets.iter().flat_map(|v| v.peerings.iter().copied()).collect();
            let p = *live.get(peering % live.len().max(1))?;
            let mut value = snap.peerings[p.index()].clone();
            match flag {
                0 => value.allow_forwarded_traffic = !value.allow_forwarded_traffic,
                1 => value.allow_gateway_transit = !value.allow_gateway_transit,
                2 => value.use_remote_gateways = !value.use_remote_gateways,
                3 => value.allow_virtual_network_access = !value.allow_virtual_network_access,
                _ => {
                    value.state = if value.state == PeeringState::Connected {
                        PeeringState::Disconnected
                    } else {
                        PeeringState::Connected
                    }
                }
            }
            Some(Change::SetPeering { peering: p, value: Box::new(value) })
        }
        Draw::Remove { peering } => {
            let live: Vec<PeeringIdx> = snap.vnets.iter().flat_map(|v| v.peerings.iter().copied()).collect();
            let p = *live.get(peering % live.len().max(1))?;
            Some(Change::RemovePeering { peering: p })
        }
    }
}

fn same_table(a: &EffectiveRouteTable, b: &EffectiveRouteTable) -> bool {
    a.routes == b.routes && a.notes == b.notes && a.disable_bgp_route_propagation == b.disable_bgp_route_propagation
}

/// Every cell's reachability and outcomes, in order.
/// A cell's reachability, code and (outcome, address pairs) list.
type CellView = (Reachability, Option<&'static str>, Vec<(PairOutcome, u128)>);

fn cells(m: &ReachMatrix) -> Vec<CellView> {
    m.cells
        .iter()
        .map(|c| {
            let parts = m.cell_outcomes(c).iter().map(|p| (m.outcome(p).clone(), p.address_pairs)).collect();
            (c.reach, c.code, parts)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn incremental_equals_full_recomputation(p in RandomHubSpoke::strategy(4, false), draws in proptest::collection::vec(draw(), 1..5)) {
        let snapshot = Scenario::new(&p.estate()).snapshot;
        let options = ModelOptions::default();
        let mut inc = IncrementalEngine::new(snapshot, options.clone());
        let q = ReachQuery::every_subnet(inc.snapshot(), 443);
        let _ = inc.reach(&q);
        for d in &draws {
            let Some(c) = change(inc.snapshot(), d) else { continue };
            let affected = inc.apply(c.clone());
            let changed = inc.snapshot().clone();
            let full = RouteEngine::new(&changed, options.clone());
            for s in 0..changed.subnets.len() {
                let s = SubnetIdx(s as u32);
                let expected = full.subnet_table(s).expect("routes compute");
                let got = inc.subnet_table(s).expect("incremental keeps every table");
                prop_assert!(
                    same_table(&expected, &got),
                    "{c:?}: {} differs (affected {affected:?})",
                    changed.subnet_label(s)
                );
            }
            let incremental = inc.reach(&q);
            let scratch = reach(&full, &q);
            prop_assert_eq!(cells(&incremental), cells(&scratch), "{:?}", c);
            prop_assert_eq!(incremental.stats.traces + incremental.stats.reused, scratch.stats.traces);
        }
    }
}

#[test]
fn a_route_change_recomputes_only_its_table_and_retraces_few_pairs() {
    let p = RandomHubSpoke {
        spokes: vec![(1, true, false), (2, true, false), (0, true, false)],
        rules: vec![],
        gateway_route_to_nva: true,
        private_endpoint: true,
        power: 0,
        seed: 0,
    };
    let snapshot = Scenario::new(&p.estate()).snapshot;
    let mut inc = IncrementalEngine::new(snapshot, ModelOptions::default());
    let q = ReachQuery::every_subnet(inc.snapshot(), 443);
    let before = inc.reach(&q);
    assert_eq!(before.stats.reused, 0);
    let table = inc.snapshot().find_route_table("rt-spoke2").expect("spoke2 has a table");
    let mut routes = inc.snapshot().route_tables[table.index()].routes.clone();
    routes.push(route("default", "0.0.0.0/0", RouteNextHopType::VirtualAppliance, Some("10.0.1.4")));
    let affected = inc.apply(Change::SetRoutes { table, routes });
    let labels: Vec<String> = affected.subnets.iter().map(|s| inc.snapshot().subnet_label(*s)).collect();
    assert_eq!(labels, vec!["spoke2/a", "spoke2/b"]);
    assert_eq!(affected.contexts_recomputed, 1, "both subnets share one context");
    let after = inc.reach(&q);
    assert!(after.stats.reused > after.stats.traces, "{:?}", after.stats);
}
