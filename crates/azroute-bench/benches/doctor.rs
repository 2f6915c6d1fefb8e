//! The doctor (issue 18's "doctor, exhaustive traffic analysis" row): every check and the
//! traffic analysis, as `azroute doctor` runs them, on an estate already loaded and its route
//! contexts built. The traffic analysis is exhaustive up to `EXHAUSTIVE_CELLS` (1k and 10k);
//! the 100k estate's matrix is above it, so `doctor/100k` measures the sampled analysis the
//! doctor falls back to there (BENCHMARKS.md).

use azroute_bench::{load, presets};
use azroute_doctor::{DoctorConfig, run};
use azroute_engine::RouteEngine;
use azroute_model::ModelOptions;
use criterion::{Criterion, criterion_group, criterion_main};

fn doctor(c: &mut Criterion) {
    let mut group = c.benchmark_group("doctor");
    group.sample_size(10);
    for preset in presets() {
        let loaded = load(preset);
        let engine = RouteEngine::new(&loaded.snapshot, ModelOptions::default());
        engine.all_subnet_tables();
        let config = DoctorConfig::default();
        group.bench_function(preset.name(), |b| b.iter_with_large_drop(|| run(&engine, &config)));
    }
    group.finish();
}

criterion_group!(benches, doctor);
criterion_main!(benches);
