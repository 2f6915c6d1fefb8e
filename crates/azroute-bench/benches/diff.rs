//! `diff` as the CLI runs it after loading (`azroute_engine::compare` with the reachability
//! matrices of the default scope on both sides): two estates with the same content, and two
//! that differ by one user route.

use azroute_bench::{load, presets};
use azroute_engine::{CompareRequest, ReachQuery, compare};
use azroute_generate::Preset;
use azroute_model::*;
use criterion::{Criterion, criterion_group, criterion_main};

fn request(before: &Snapshot, after: &Snapshot) -> CompareRequest {
    CompareRequest {
        options: ModelOptions::default(),
        full: false,
        reach: Some((ReachQuery::every_subnet(before, 443), ReachQuery::every_subnet(after, 443))),
    }
}

/// The estate with one blackhole route added to its first spoke route table.
fn one_route_added(snap: &Snapshot) -> Snapshot {
    let mut after = snap.clone();
    let table = after.route_tables.iter().position(|t| t.name.contains("spoke")).unwrap_or(0);
    let routes = &mut after.route_tables[table].routes;
    let mut extra = routes.first().cloned().expect("spoke tables have routes");
    extra.name = "bench-blackhole".into();
    extra.prefix = RoutePrefix::Cidr("198.51.100.0/24".parse().unwrap());
    extra.next_hop_type = RouteNextHopType::None;
    extra.next_hop_ips.clear();
    routes.push(extra);
    after
}

fn diff(c: &mut Criterion) {
    let mut group = c.benchmark_group("diff");
    group.sample_size(10);
    for preset in presets().into_iter().filter(|p| *p != Preset::K100) {
        let before = load(preset).snapshot;
        let same = load(preset).snapshot;
        group.bench_function(format!("identical/{}", preset.name()), |b| {
            b.iter_with_large_drop(|| compare(&before, &same, request(&before, &same)))
        });
        let after = one_route_added(&before);
        group.bench_function(format!("one_route/{}", preset.name()), |b| {
            b.iter_with_large_drop(|| compare(&before, &after, request(&before, &after)))
        });
    }
    group.finish();
}

criterion_group!(benches, diff);
criterion_main!(benches);
