//! Whole-estate routes: every NIC's effective routes computed and streamed as JSON and CSV
//! (what `routes --all` does after parsing), to a sink; and parse plus JSON end to end.

use std::hint::black_box;

use azroute_bench::{estate_dir, load, presets};
use azroute_engine::RouteEngine;
use azroute_generate::Preset;
use azroute_ingest::{IngestOptions, load_path};
use azroute_model::ModelOptions;
use azroute_report::OutputFormat;
use azroute_report::routes::stream_all;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn whole_estate(c: &mut Criterion) {
    let mut group = c.benchmark_group("whole_estate_routes");
    for preset in presets() {
        let loaded = load(preset);
        let snap = &loaded.snapshot;
        group.throughput(Throughput::Elements(snap.nics.len() as u64));
        if preset == Preset::K100 {
            group.sample_size(10);
        }
        for (name, format) in [("json", OutputFormat::Json), ("csv", OutputFormat::Csv)] {
            group.bench_function(format!("{name}/{}", preset.name()), |b| {
                b.iter_with_large_drop(|| {
                    let engine = RouteEngine::new(snap, ModelOptions::default());
                    let (_, summary) = stream_all(&engine, format, false, std::io::sink()).expect("sink");
                    black_box(summary.nics);
                    engine
                })
            });
        }
    }
    group.finish();
}

fn end_to_end(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse_and_routes");
    for preset in presets() {
        let dir = estate_dir(preset);
        if preset == Preset::K100 {
            group.sample_size(10);
        }
        group.bench_function(format!("json/{}", preset.name()), |b| {
            // The snapshot is freed outside the timing, as the CLI never frees it.
            b.iter_with_large_drop(|| {
                let loaded = load_path(&dir, &IngestOptions::default());
                let engine = RouteEngine::new(&loaded.snapshot, ModelOptions::default());
                let (_, summary) = stream_all(&engine, OutputFormat::Json, false, std::io::sink()).expect("sink");
                black_box(summary.nics);
                drop(engine);
                loaded
            })
        });
    }
    group.finish();
}

criterion_group!(benches, whole_estate, end_to_end);
criterion_main!(benches);
