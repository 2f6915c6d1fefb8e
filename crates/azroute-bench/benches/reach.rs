//! The reachability matrix and incremental recomputation: the whole subnet × subnet matrix
//! (with on-premises prefixes and the Internet) over address classes, one route change applied
//! to an estate kept up to date, and the matrix retraced after it; and the VNet × VNet matrix
//! (`reach --by vnet`), 100k included when the 100k estate is benchmarked.

use std::hint::black_box;

use azroute_bench::{load, presets};
use azroute_engine::{Change, IncrementalEngine, NoProgress, ReachQuery, RouteEngine, reach, reach_by_vnet};
use azroute_generate::Preset;
use azroute_model::*;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The matrix of 1k (about 100 subnets) and 10k (about 1,000 subnets); 100k's 10,000 × 10,000
/// cells are out of scope.
fn matrix(c: &mut Criterion) {
    let mut group = c.benchmark_group("reach");
    group.sample_size(10);
    for preset in presets().into_iter().filter(|p| *p != Preset::K100) {
        let loaded = load(preset);
        let snap = &loaded.snapshot;
        let engine = RouteEngine::new(snap, ModelOptions::default());
        engine.all_subnet_tables();
        let q = ReachQuery::every_subnet(snap, 443);
        group.throughput(Throughput::Elements((q.sources.len() * q.destinations.len()) as u64));
        group.bench_function(preset.name(), |b| b.iter_with_large_drop(|| reach(&engine, &q)));
    }
    group.finish();
}

/// `reach --by vnet`: the same classes and traces, cells folded by VNet as they are made.
fn by_vnet(c: &mut Criterion) {
    let mut group = c.benchmark_group("reach_by_vnet");
    group.sample_size(10);
    for preset in presets() {
        let loaded = load(preset);
        let snap = &loaded.snapshot;
        let engine = RouteEngine::new(snap, ModelOptions::default());
        engine.all_subnet_tables();
        let q = ReachQuery::every_subnet(snap, 443);
        group.throughput(Throughput::Elements((q.sources.len() * q.destinations.len()) as u64));
        group.bench_function(preset.name(), |b| b.iter_with_large_drop(|| reach_by_vnet(&engine, &q, &NoProgress)));
    }
    group.finish();
}

/// A route added to (then removed from) a spoke route table: the change applied and every
/// route context it touches recomputed.
fn route_change(c: &mut Criterion) {
    let mut group = c.benchmark_group("incremental");
    for preset in presets() {
        let loaded = load(preset);
        let mut inc = IncrementalEngine::new(loaded.snapshot.clone(), ModelOptions::default());
        let table = RouteTableIdx(
            inc.snapshot().route_tables.iter().position(|t| t.name.contains("spoke")).unwrap_or(0) as u32,
        );
        let original = inc.snapshot().route_tables[table.index()].routes.clone();
        let mut changed = original.clone();
        let mut extra = changed.first().cloned().expect("spoke tables have routes");
        extra.name = "bench-blackhole".into();
        extra.prefix = RoutePrefix::Cidr("198.51.100.0/24".parse().unwrap());
        extra.next_hop_type = RouteNextHopType::None;
        extra.next_hop_ips.clear();
        changed.push(extra);
        let mut flip = false;
        group.bench_function(format!("route_change/{}", preset.name()), |b| {
            b.iter(|| {
                flip = !flip;
                let routes = if flip { changed.clone() } else { original.clone() };
                black_box(inc.apply(Change::SetRoutes { table, routes }))
            })
        });
        if preset != Preset::K100 {
            let q = ReachQuery::every_subnet(inc.snapshot(), 443);
            group.sample_size(10);
            group.bench_function(format!("reach_after_route_change/{}", preset.name()), |b| {
                // Untimed: bring the matrix up to date; timed: one change and the matrix after it.
                b.iter_custom(|iters| {
                    let mut total = std::time::Duration::ZERO;
                    for _ in 0..iters {
                        let _ = inc.reach(&q);
                        flip = !flip;
                        let routes = if flip { changed.clone() } else { original.clone() };
                        let start = std::time::Instant::now();
                        inc.apply(Change::SetRoutes { table, routes });
                        black_box(inc.reach(&q));
                        total += start.elapsed();
                    }
                    total
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, matrix, by_vnet, route_change);
criterion_main!(benches);
