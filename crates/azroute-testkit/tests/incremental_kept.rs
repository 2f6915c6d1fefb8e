//! The incremental matrix's shortcuts equal a full recomputation: after a route's next hop
//! changes, a route is added (with a prefix outside the estate, or inside a subnet, an
//! on-premises prefix or the Internet column's range) or removed, or an association changes, the
//! matrix `IncrementalEngine::reach` hands back (spliced from the last one, from its kept
//! classes where the change left them alone) has the same cells and the same class counts as
//! the changed snapshot's matrix computed from scratch.

use azroute_engine::*;
use azroute_model::*;
use azroute_testkit::random::RandomHubSpoke;
use azroute_testkit::random::model_route as route;
use azroute_testkit::*;
use proptest::prelude::*;

/// Prefixes an added route may have: two outside everything the matrix shows (the classes are
/// kept), one inside a spoke subnet, one inside the on-premises site's prefix, one holding the
/// Internet column's address (the classes are made anew).
const ADDED: [&str; 5] = ["198.51.100.0/24", "192.0.2.0/25", "10.1.1.128/26", "172.16.5.0/24", "203.0.113.0/24"];

#[derive(Clone, Debug)]
enum Draw {
    /// The next hop of a table's route flips between `None` and the hub NVA.
    NextHop { table: usize, route: usize },
    /// A route is added with one of [`ADDED`]'s prefixes.
    Add { table: usize, prefix: usize, to_nva: bool },
    /// A table's route is removed.
    Remove { table: usize, route: usize },
    /// A subnet's route table is replaced (its route context changes).
    Associate { subnet: usize, table: Option<usize> },
}

fn draw() -> impl Strategy<Value = Draw> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(table, route)| Draw::NextHop { table, route }),
        (any::<usize>(), 0..ADDED.len(), any::<bool>()).prop_map(|(table, prefix, to_nva)| Draw::Add {
            table,
            prefix,
            to_nva
        }),
        (any::<usize>(), any::<usize>()).prop_map(|(table, route)| Draw::Remove { table, route }),
        (any::<usize>(), proptest::option::of(any::<usize>()))
            .prop_map(|(subnet, table)| Draw::Associate { subnet, table }),
    ]
}

fn change(snap: &Snapshot, d: &Draw) -> Option<Change> {
    let table_of = |t: usize| RouteTableIdx((t % snap.route_tables.len().max(1)) as u32);
    if snap.route_tables.is_empty() {
        return None;
    }
    match d {
        Draw::NextHop { table, route } | Draw::Remove { table, route } => {
            let t = table_of(*table);
            let mut routes = snap.route_tables[t.index()].routes.clone();
            if routes.is_empty() {
                return None;
            }
            let i = route % routes.len();
            if matches!(d, Draw::Remove { .. }) {
                routes.remove(i);
            } else if routes[i].next_hop_type == RouteNextHopType::None {
                routes[i].next_hop_type = RouteNextHopType::VirtualAppliance;
                routes[i].next_hop_ips = vec!["10.0.1.4".parse().unwrap()];
            } else {
                routes[i].next_hop_type = RouteNextHopType::None;
                routes[i].next_hop_ips.clear();
            }
            Some(Change::SetRoutes { table: t, routes })
        }
        Draw::Add { table, prefix, to_nva } => {
            let t = table_of(*table);
            let mut routes = snap.route_tables[t.index()].routes.clone();
            let name = format!("added{prefix}");
            if routes.iter().any(|r| r.name == name) {
                return None;
            }
            routes.push(if *to_nva {
                route(&name, ADDED[*prefix], RouteNextHopType::VirtualAppliance, Some("10.0.1.4"))
            } else {
                route(&name, ADDED[*prefix], RouteNextHopType::None, None)
            });
            Some(Change::SetRoutes { table: t, routes })
        }
        Draw::Associate { subnet, table } => Some(Change::Associate {
            subnet: SubnetIdx((subnet % snap.subnets.len()) as u32),
            route_table: table.map(table_of),
        }),
    }
}

/// A cell's reachability, code and (outcome, address pairs) list.
type CellView = (Reachability, Option<&'static str>, Vec<(PairOutcome, u128)>);

fn cells(m: &ReachMatrix) -> Vec<CellView> {
    let view = |c: &ReachCell| {
        let parts = m.cell_outcomes(c).iter().map(|p| (m.outcome(p).clone(), p.address_pairs)).collect();
        (c.reach, c.code, parts)
    };
    m.cells.iter().map(view).collect()
}

/// The incremental matrix after `c` against the matrix of the changed snapshot from scratch.
fn check_against_scratch(inc: &mut IncrementalEngine, q: &ReachQuery, c: &Change) -> Result<(), TestCaseError> {
    let got = inc.reach(q);
    let changed = inc.snapshot().clone();
    let scratch = reach(&RouteEngine::new(&changed, ModelOptions::default()), q);
    prop_assert_eq!(cells(&got), cells(&scratch), "{:?} ({:?})", c, inc.last_reach_method());
    let (g, s) = (got.stats, scratch.stats);
    prop_assert_eq!(
        (g.atoms, g.source_classes, g.destination_classes, g.traces + g.reused),
        (s.atoms, s.source_classes, s.destination_classes, s.traces),
        "{:?} ({:?})",
        c,
        inc.last_reach_method()
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn kept_classes_equal_full_recomputation(p in RandomHubSpoke::strategy(4, false), draws in proptest::collection::vec(draw(), 1..6)) {
        let snapshot = Scenario::new(&p.estate()).snapshot;
        let mut inc = IncrementalEngine::new(snapshot, ModelOptions::default());
        let q = ReachQuery::every_subnet(inc.snapshot(), 443);
        let _ = inc.reach(&q);
        for d in &draws {
            let Some(c) = change(inc.snapshot(), d) else { continue };
            inc.apply(c.clone());
            check_against_scratch(&mut inc, &q, &c)?;
        }
    }
}

/// A hub with three spokes, each spoke's `a` subnet with a route table.
fn three_spokes() -> IncrementalEngine {
    let p = RandomHubSpoke {
        spokes: vec![(1, true, false), (2, true, true), (3, true, false)],
        rules: vec![(3, true, true, 5, true)],
        gateway_route_to_nva: false,
        private_endpoint: true,
        power: 0,
        seed: 0,
    };
    IncrementalEngine::new(Scenario::new(&p.estate()).snapshot, ModelOptions::default())
}

#[test]
fn next_hop_changes_and_prefixes_outside_the_estate_keep_the_classes() {
    let mut inc = three_spokes();
    let q = ReachQuery::every_subnet(inc.snapshot(), 443);
    let _ = inc.reach(&q);
    assert_eq!(inc.last_reach_method(), Some(ReachMethod::Retraced));
    let table = inc.snapshot().find_route_table("rt-spoke2").expect("spoke2 has a table");
    let original = inc.snapshot().route_tables[table.index()].routes.clone();
    let mut to_none = original.clone();
    to_none[0].next_hop_type = RouteNextHopType::None;
    to_none[0].next_hop_ips.clear();
    let mut outside = original.clone();
    outside.push(route("doc", "198.51.100.0/24", RouteNextHopType::None, None));
    let mut inside = original.clone();
    inside.push(route("half", "10.1.1.128/25", RouteNextHopType::None, None));
    let kept = |k| Some(ReachMethod::Spliced { classes_kept: k });
    for (routes, classes_kept) in [(to_none, true), (outside, true), (original.clone(), true), (inside, false)] {
        let c = Change::SetRoutes { table, routes };
        inc.apply(c.clone());
        check_against_scratch(&mut inc, &q, &c).unwrap();
        assert_eq!(inc.last_reach_method(), kept(classes_kept), "{c:?}");
    }
    let spoke1_b = (0..inc.snapshot().subnets.len() as u32)
        .map(SubnetIdx)
        .find(|s| inc.snapshot().subnet_label(*s) == "spoke1/b")
        .expect("spoke1/b");
    let c = Change::Associate { subnet: spoke1_b, route_table: Some(table) };
    inc.apply(c.clone());
    check_against_scratch(&mut inc, &q, &c).unwrap();
    assert_eq!(inc.last_reach_method(), kept(false), "a new route context makes the classes anew");
}

#[test]
fn a_matrix_the_caller_still_holds_is_not_changed_by_the_next_change() {
    let mut inc = three_spokes();
    let q = ReachQuery::every_subnet(inc.snapshot(), 443);
    let before = inc.reach(&q);
    let copy = cells(&before);
    let table = inc.snapshot().find_route_table("rt-spoke1").expect("spoke1 has a table");
    inc.apply(Change::SetRoutes { table, routes: Vec::new() });
    let after = inc.reach(&q);
    assert_eq!(inc.last_reach_method(), Some(ReachMethod::Spliced { classes_kept: true }));
    assert_eq!(cells(&before), copy, "the matrix handed back before the change is unchanged");
    assert_ne!(cells(&after), copy, "spoke1/a lost its default route to the NVA");
}
