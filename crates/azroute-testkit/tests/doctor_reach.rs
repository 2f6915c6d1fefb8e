//! One engine, one answer: every path the reachability matrix (routing only, the doctor's
//! question) finds asymmetric or broken by a traffic code is a path the doctor reports, on the
//! embedded examples and on random hub-and-spoke estates; and the healthy example is healthy by
//! both.

use std::collections::BTreeSet;
use std::path::Path;

use azroute_doctor::{DoctorConfig, run, traffic_codes, traffic_query};
use azroute_engine::*;
use azroute_ingest::IngestOptions;
use azroute_model::*;
use azroute_testkit::random::RandomHubSpoke;
use azroute_testkit::*;
use proptest::prelude::*;

fn example(name: &str) -> Snapshot {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../azroute-cli/estates").join(name);
    azroute_ingest::load_path(&dir, &IngestOptions::default()).snapshot
}

/// Each problem of the matrix the doctor does not report, as `source → destination: code`.
fn disagreements(snap: &Snapshot) -> Vec<String> {
    let engine = RouteEngine::new(snap, ModelOptions::default());
    let report = run(&engine, &DoctorConfig::default());
    assert!(report.traffic.matrix.is_some(), "traffic analysis is exhaustive on small estates");
    let reported: BTreeSet<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
    let traffic: Vec<&str> = traffic_codes().map(FindingCode::as_str).collect();
    let matrix = reach(&engine, &traffic_query(snap));
    let mut missing = Vec::new();
    for (r, &row) in matrix.rows.iter().enumerate() {
        for c in 0..matrix.columns.len() {
            for part in matrix.cell_outcomes(matrix.cell(r, c)) {
                let outcome = matrix.outcome(part);
                let mut expected: Vec<&str> = outcome.codes.iter().copied().filter(|c| traffic.contains(c)).collect();
                if outcome.reach == Reachability::Asymmetric {
                    expected.push(FindingCode::AsymmetricPath.as_str());
                }
                for code in expected.into_iter().filter(|c| !reported.contains(c)) {
                    missing.push(format!(
                        "{} ({}) → {}: {code}",
                        snap.subnet_label(row),
                        part.sample_source,
                        part.sample_destination
                    ));
                }
            }
        }
    }
    missing
}

#[test]
fn doctor_reports_every_problem_reach_finds_on_the_examples() {
    for name in ["hub-spoke", "troubleshoot"] {
        let missing = disagreements(&example(name));
        assert!(missing.is_empty(), "{name}: the doctor misses {missing:?}");
    }
}

/// The troubleshoot example's asymmetric firewall path is in reach and in the doctor.
#[test]
fn troubleshoot_asymmetry_is_seen_by_both() {
    let snap = example("troubleshoot");
    let engine = RouteEngine::new(&snap, ModelOptions::default());
    let matrix = reach(&engine, &traffic_query(&snap));
    assert!(matrix.cells.iter().any(|c| c.reach == Reachability::Asymmetric || c.code == Some("AsymmetricPath")));
    let report = run(&engine, &DoctorConfig::default());
    assert!(report.findings.iter().any(|f| f.code == FindingCode::AsymmetricPath));
}

/// The healthy example: every cell connects, routing only and with NSGs, and the doctor
/// reports nothing above info.
#[test]
fn hub_spoke_is_healthy_by_doctor_and_reach() {
    let snap = example("hub-spoke");
    let engine = RouteEngine::new(&snap, ModelOptions::default());
    for query in [traffic_query(&snap), ReachQuery::every_subnet(&snap, 443)] {
        let matrix = reach(&engine, &query);
        for (r, &row) in matrix.rows.iter().enumerate() {
            for (c, column) in matrix.columns.iter().enumerate() {
                let cell = matrix.cell(r, c);
                assert!(
                    cell.reach.connects(),
                    "{} → {column:?}: {:?} {:?} (NSGs {})",
                    snap.subnet_label(row),
                    cell.reach,
                    cell.code,
                    query.evaluate_nsgs
                );
            }
        }
    }
    let report = run(&engine, &DoctorConfig::default());
    let loud: Vec<&str> =
        report.findings.iter().filter(|f| f.severity > Severity::Info).map(|f| f.code.as_str()).collect();
    assert!(loud.is_empty(), "{loud:?}");
}

/// Above the exhaustive limit the doctor samples and says so.
#[test]
fn traffic_analysis_falls_back_to_an_announced_sample() {
    let snap = example("troubleshoot");
    let engine = RouteEngine::new(&snap, ModelOptions::default());
    let config = DoctorConfig { exhaustive_cells: 1, max_traces: 2, ..DoctorConfig::default() };
    let report = run(&engine, &config);
    assert!(report.traffic.matrix.is_none());
    assert!(report.findings.iter().any(|f| f.code == FindingCode::TrafficAnalysisSampled));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn doctor_reports_every_problem_reach_finds(p in RandomHubSpoke::strategy(4, false)) {
        let snap = p.estate().load(Dialect::AzCli);
        let missing = disagreements(&snap);
        prop_assert!(missing.is_empty(), "the doctor misses {:?}", missing);
    }
}
