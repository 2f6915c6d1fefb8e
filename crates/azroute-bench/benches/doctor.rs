//! The doctor (issue 18's "doctor, exhaustive traffic analysis" row): every check and the
//! traffic analysis, as `azroute doctor` runs them, on an estate already loaded and its route
//! contexts built. The traffic analysis is exhaustive up to `EXHAUSTIVE_CELLS` (1k and 10k);
//! the 100k estate's matrix is above it, so `doctor/100k` measures the sampled analysis the
//! doctor falls back to there (BENCHMARKS.md), and `doctor_exhaustive/100k` the exhaustive one,
//! its limit lifted, with the 100k estate only (`AZROUTE_BENCH_100K=1`).

use azroute_bench::{load, presets};
use azroute_doctor::{DoctorConfig, run};
use azroute_engine::RouteEngine;
use azroute_generate::Preset;
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

/// The exhaustive traffic analysis of the 100k estate (issue 18's row): the whole
/// reachability matrix, routing only, streamed a row at a time, and every problem path traced.
fn doctor_exhaustive(c: &mut Criterion) {
    if !presets().contains(&Preset::K100) {
        return;
    }
    let mut group = c.benchmark_group("doctor_exhaustive");
    group.sample_size(10);
    let loaded = load(Preset::K100);
    let engine = RouteEngine::new(&loaded.snapshot, ModelOptions::default());
    engine.all_subnet_tables();
    let config = DoctorConfig { exhaustive_cells: usize::MAX, ..DoctorConfig::default() };
    group.bench_function(Preset::K100.name(), |b| b.iter_with_large_drop(|| run(&engine, &config)));
    group.finish();
}

criterion_group!(benches, doctor, doctor_exhaustive);
criterion_main!(benches);
