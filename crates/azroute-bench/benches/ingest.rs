//! Parse: reading a generated estate's files (in parallel) into a linked snapshot, as
//! `--snapshot DIR` does.

use azroute_bench::{estate_bytes, estate_dir, presets};
use azroute_generate::Preset;
use azroute_ingest::{IngestOptions, load_path};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    for preset in presets() {
        let dir = estate_dir(preset);
        group.throughput(Throughput::Bytes(estate_bytes(preset)));
        if preset == Preset::K100 {
            group.sample_size(10);
        }
        // The snapshot is freed outside the timing (the CLI never frees it).
        group.bench_function(preset.name(), |b| b.iter_with_large_drop(|| load_path(&dir, &IngestOptions::default())));
    }
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
