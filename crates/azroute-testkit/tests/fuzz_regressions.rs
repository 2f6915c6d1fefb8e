//! Inputs the fuzzers found (`testdata/fuzz-regressions/{ingest,rule}/`), run through exactly
//! what the fuzz targets run (`azroute_testkit::fuzz`): ingest, then the route, NSG and trace
//! engines. None may panic; a file named `bad-*` must be refused with at least one error
//! diagnostic that says something, and any other file must load without errors (so the engines
//! run on it). Findings of the `parse` target are unit tests in `azroute-model`.

use std::path::{Path, PathBuf};

use azroute_ingest::Severity;

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/fuzz-regressions").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn run(target: &str) -> usize {
    let files = corpus(target);
    assert!(
        !files.is_empty(),
        "testdata/fuzz-regressions/{target}/ holds no input: the regression test would test nothing"
    );
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(path).unwrap();
        let outcome = std::panic::catch_unwind(|| {
            let loaded = azroute_testkit::fuzz::load(&bytes);
            azroute_testkit::fuzz::exercise(&loaded);
            loaded
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
        });
        match outcome {
            Err(_) => failures.push(format!("{target}/{name}: panicked")),
            Ok(errors) if name.starts_with("bad-") && errors.is_empty() => {
                failures.push(format!("{target}/{name}: loaded without an error diagnostic"))
            }
            Ok(errors) if !name.starts_with("bad-") && !errors.is_empty() => {
                failures.push(format!("{target}/{name}: expected to load cleanly, got:\n{}", errors.join("\n")))
            }
            Ok(_) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} regression inputs failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    files.len()
}

#[test]
fn ingest_fuzz_regressions() {
    eprintln!("{} ingest regression inputs", run("ingest"));
}

#[test]
fn rule_fuzz_regressions() {
    eprintln!("{} rule regression inputs", run("rule"));
}
