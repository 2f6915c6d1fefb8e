//! `diff` of two estates that differ by route changes equals the full diff: the incremental
//! comparison makes only the cells of the changed subnets' rows and columns (when no changed
//! subnet can carry traffic between others, `azroute_engine::transit_subnets`) and must
//! report exactly the changes of comparing both whole matrices (`--full`). Random hub-and-spoke
//! estates and random one-route or one-association changes (a route added, removed, or its next
//! hop changed; a table associated or dissociated), and the generated estates with the change
//! BENCHMARKS.md measures.

use azroute_engine::*;
use azroute_model::*;
use azroute_testkit::Scenario;
use azroute_testkit::estates::generated;
use azroute_testkit::random::RandomHubSpoke;
use azroute_testkit::random::model_route as route;
use proptest::prelude::*;

/// One change, indices reduced modulo what the estate has.
#[derive(Clone, Debug)]
enum Draw {
    /// 0: add a route; 1: remove the last; 2: last route's next hop None; 3: last route's next
    /// hop the hub NVA.
    Route {
        table: usize,
        kind: u8,
        octet: u8,
    },
    Associate {
        subnet: usize,
        table: Option<usize>,
    },
}

fn draw() -> impl Strategy<Value = Draw> {
    prop_oneof![
        3 => (any::<usize>(), 0u8..4, any::<u8>()).prop_map(|(table, kind, octet)| Draw::Route { table, kind, octet }),
        1 => (any::<usize>(), proptest::option::of(any::<usize>()))
            .prop_map(|(subnet, table)| Draw::Associate { subnet, table }),
    ]
}

/// The estate with the drawn change, or `None` when it has nothing to change.
fn changed(snap: &Snapshot, d: &Draw) -> Option<Snapshot> {
    let mut after = snap.clone();
    match d {
        Draw::Route { table, kind, octet } => {
            if after.route_tables.is_empty() {
                return None;
            }
            let t = table % after.route_tables.len();
            let routes = &mut after.route_tables[t].routes;
            match (kind, routes.last_mut()) {
                (1, Some(_)) => {
                    routes.pop();
                }
                (2, Some(last)) => {
                    last.next_hop_type = RouteNextHopType::None;
                    last.next_hop_ips.clear();
                }
                (3, Some(last)) => {
                    last.next_hop_type = RouteNextHopType::VirtualAppliance;
                    last.next_hop_ips = vec!["10.0.1.4".parse().unwrap()];
                }
                _ => routes.push(route(
                    "drawn",
                    &format!("10.{}.{}.0/24", octet % 4, octet / 64),
                    if octet % 2 == 0 { RouteNextHopType::None } else { RouteNextHopType::VirtualAppliance },
                    (octet % 2 == 1).then_some("10.0.1.4"),
                )),
            }
        }
        Draw::Associate { subnet, table } => {
            let s = subnet % after.subnets.len();
            after.subnets[s].route_table = match table {
                Some(t) if !after.route_tables.is_empty() => {
                    Some(Link::Resolved(RouteTableIdx((t % after.route_tables.len()) as u32)))
                }
                _ => None,
            };
        }
    }
    Some(after)
}

fn request(before: &Snapshot, after: &Snapshot, full: bool, port: u16) -> CompareRequest {
    CompareRequest {
        options: ModelOptions::default(),
        full,
        reach: Some((ReachQuery::every_subnet(before, port), ReachQuery::every_subnet(after, port))),
    }
}

/// The incremental and the full comparison report the same changes; returns the pairs the
/// incremental one traced, of all.
fn check(before: &Snapshot, after: &Snapshot, port: u16) -> Option<(usize, usize)> {
    let fast = compare(before, after, request(before, after, false, port));
    let full = compare(before, after, request(before, after, true, port));
    assert_eq!(full.method, CompareMethod::FullRequested);
    assert_eq!(fast.routes, full.routes, "route differences");
    assert_eq!(fast.reach, full.reach, "reachability changes ({:?})", fast.method);
    match fast.method {
        CompareMethod::Incremental { pairs, .. } => pairs,
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn touching_diff_equals_full_diff(p in RandomHubSpoke::strategy(6, false), d in draw(), ssh in any::<bool>()) {
        let before = Scenario::new(&p.estate()).snapshot;
        if let Some(after) = changed(&before, &d) {
            check(&before, &after, if ssh { 22 } else { 443 });
        }
    }
}

/// BENCHMARKS.md's change: a spoke route table's last route sends to nothing instead of the
/// NVA. Only the spoke's rows and columns are traced, and the changes are the full diff's.
#[test]
fn a_spoke_route_to_none_traces_only_its_rows_and_columns() {
    let before = generated(azroute_generate::EstateTopology::HubSpoke);
    let mut after = before.clone();
    let t = after.route_tables.iter().position(|t| t.name.contains("spoke")).expect("a spoke table");
    let last = after.route_tables[t].routes.last_mut().expect("spoke tables have routes");
    last.next_hop_type = RouteNextHopType::None;
    last.next_hop_ips.clear();
    let (traced, all) = check(&before, &after, 443).expect("incremental");
    // The spoke's subnets carry nothing for others: the touching cells were made.
    let table = RouteTableIdx(t as u32);
    let touched: Vec<SubnetIdx> = (0..after.subnets.len() as u32)
        .map(SubnetIdx)
        .filter(|s| after.subnets[s.index()].route_table.as_ref().and_then(|l| l.resolved()) == Some(table))
        .collect();
    let transit = transit_subnets(&before, &Addressing::build(&before));
    assert!(!touched.is_empty() && touched.iter().all(|s| !transit[s.index()]), "{touched:?}");
    let engine = RouteEngine::new(&after, ModelOptions::default());
    let cells = reach_touching(&engine, &ReachQuery::every_subnet(&after, 443), &touched);
    assert_eq!(traced, cells.head.stats.traces);
    assert!(traced * 5 < all, "{traced} of {all} pairs traced");
    let changes = compare(&before, &after, request(&before, &after, false, 443)).reach.unwrap();
    assert!(!changes.is_empty(), "sending a route to None changes reachability");
}
