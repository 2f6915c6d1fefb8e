//! Shared setup of the benchmarks: generated estates of the sizes, written once to a
//! cache directory and reused by every benchmark run.
//!
//! The cache is `$AZROUTE_BENCH_ESTATES` (default: `azroute-bench-estates` in the system's
//! temporary directory), one directory per preset and seed, e.g. `100k-seed1/`. The 100k
//! estate (about 470 MB) is only generated and measured when a benchmark filter names it
//! (`cargo bench -p azroute-bench -- 100k`) or `AZROUTE_BENCH_100K=1` is set, so a plain
//! `cargo bench` stays short.

#![forbid(unsafe_code)]

use std::path::PathBuf;

use azroute_generate::{Preset, generate_to_dir};
use azroute_ingest::{IngestOptions, Loaded, load_path};

/// The seed every benchmark estate is generated with.
pub const SEED: u64 = 1;

/// The presets a run measures: 1k and 10k always, 100k on request.
pub fn presets() -> Vec<Preset> {
    let mut out = vec![Preset::K1, Preset::K10];
    let asked = std::env::args().skip(1).any(|a| a.contains("100k"));
    if asked || std::env::var_os("AZROUTE_BENCH_100K").is_some() {
        out.push(Preset::K100);
    }
    out
}

/// The directory of a preset's estate, generated on first use.
pub fn estate_dir(preset: Preset) -> PathBuf {
    let root = std::env::var_os("AZROUTE_BENCH_ESTATES")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("azroute-bench-estates"));
    let params = azroute_generate::GenerateParams { seed: SEED, ..preset.params() };
    let dir = root.join(format!("{}-{}-seed{SEED}", preset.name(), params.rule_mix.name()));
    let done = dir.join(".complete");
    if !done.exists() {
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("remove a half-written estate");
        }
        generate_to_dir(&params, &dir).expect("generate the benchmark estate");
        std::fs::write(&done, b"").expect("mark the estate complete");
    }
    dir
}

/// Loads a preset's estate as `azroute --snapshot DIR` does (files parsed in parallel).
pub fn load(preset: Preset) -> Loaded {
    let loaded = load_path(&estate_dir(preset), &IngestOptions::default());
    assert!(!loaded.has_errors(), "the generated estate ingests without errors");
    loaded
}

/// Bytes of JSON in a preset's estate.
pub fn estate_bytes(preset: Preset) -> u64 {
    fn walk(dir: &std::path::Path) -> u64 {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| {
                let p = e.path();
                if p.is_dir() { walk(&p) } else { e.metadata().map(|m| m.len()).unwrap_or(0) }
            })
            .sum()
    }
    walk(&estate_dir(preset))
}

/// Deterministic destinations for lookups: half inside 10.0.0.0/8 (where the estates live),
/// a quarter on-premises (172.16.0.0/12, 192.168.0.0/16), a quarter anywhere.
pub fn destinations(n: usize) -> Vec<std::net::IpAddr> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..n)
        .map(|i| {
            let r = next() as u32;
            let addr = match i % 4 {
                0 | 1 => (10 << 24) | (r & 0x00ff_ffff),
                2 if r & 1 == 0 => (172 << 24) | ((16 + ((r >> 1) & 15)) << 16) | (r >> 16),
                2 => (192 << 24) | (168 << 16) | (r >> 16),
                _ => r,
            };
            std::net::IpAddr::V4(std::net::Ipv4Addr::from(addr))
        })
        .collect()
}
