//! Route contexts and lookups: building every distinct context's effective routes and compiled
//! table (in parallel, as `routes --all` does), and next-hop lookups on compiled tables.

use std::hint::black_box;

use azroute_bench::{destinations, load, presets};
use azroute_engine::{RouteEngine, lookup_routes};
use azroute_generate::Preset;
use azroute_model::ModelOptions;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn context_build(c: &mut Criterion) {
    let mut group = c.benchmark_group("context_build");
    for preset in presets() {
        let loaded = load(preset);
        let snap = &loaded.snapshot;
        group.throughput(Throughput::Elements(snap.subnets.len() as u64));
        if preset == Preset::K100 {
            group.sample_size(10);
        }
        group.bench_function(preset.name(), |b| {
            b.iter_with_large_drop(|| {
                let engine = RouteEngine::new(snap, ModelOptions::default());
                let tables = engine.all_subnet_tables();
                (engine, tables)
            })
        });
    }
    group.finish();
}

/// `Fib::lookup_route` (the route, so the next hop, selected for an address) per second on one
/// core. Each probe is (a context's table, a destination):
/// `lookup` asks 64 destinations of each table in turn (a sweep per source, as a reachability
/// matrix or a batch of traces does); `lookup_scattered` jumps to another table at every
/// probe, the worst case for caches once the tables outgrow them; `…binary_search/…` is the
/// same probes by a plain binary search over the interval starts, the baseline;
/// `batch/…` and `scattered_batch/…` are the same probes through `lookup_routes`, which reads
/// each probe's table head some probes before its block.
fn lookup(c: &mut Criterion) {
    let mut group = c.benchmark_group("lookup");
    for preset in presets() {
        let loaded = load(preset);
        let snap = &loaded.snapshot;
        let engine = RouteEngine::new(snap, ModelOptions::default());
        let tables: Vec<_> = engine.all_subnet_tables().into_iter().flatten().collect();
        let ips = destinations(1 << 16);
        let grouped: Vec<(usize, std::net::IpAddr)> =
            ips.iter().enumerate().map(|(i, ip)| (((i / 64) * 7919) % tables.len(), *ip)).collect();
        let scattered: Vec<(usize, std::net::IpAddr)> =
            ips.iter().enumerate().map(|(i, ip)| ((i * 7919) % tables.len(), *ip)).collect();
        group.throughput(Throughput::Elements(ips.len() as u64));
        for (name, batch, probes) in [("", "batch/", &grouped), ("scattered/", "scattered_batch/", &scattered)] {
            group.bench_function(format!("{name}{}", preset.name()), |b| {
                b.iter(|| {
                    let mut found = 0u32;
                    for (t, ip) in probes.iter() {
                        if let Some(route) = tables[*t].fib.lookup_route(*ip) {
                            found = found.wrapping_add(route);
                        }
                    }
                    black_box(found)
                })
            });
            group.bench_function(format!("{batch}{}", preset.name()), |b| {
                b.iter(|| {
                    let answers = lookup_routes(probes.iter().map(|(t, ip)| (&tables[*t].fib, *ip)));
                    black_box(answers.flatten().fold(0u32, u32::wrapping_add))
                })
            });
            // The baseline: a plain binary search over the same interval starts (the layout
            // before issue 18, less its read of the entry), IPv4 probes only.
            group.bench_function(format!("{name}binary_search/{}", preset.name()), |b| {
                b.iter(|| {
                    let mut found = 0u32;
                    for (t, ip) in probes.iter() {
                        let (fib, std::net::IpAddr::V4(v4)) = (&tables[*t].fib, ip) else { continue };
                        let i = fib.v4_boundaries().partition_point(|&s| s <= u32::from(*v4));
                        if let Some(route) = fib.v4_interval_route(i - 1) {
                            found = found.wrapping_add(route);
                        }
                    }
                    black_box(found)
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, context_build, lookup);
criterion_main!(benches);
