//! Large matrices: `reach --by vnet` against the subnet matrix aggregated naively (every VNet
//! cell's counts and worst outcome equal those summed over the subnet cells it holds), streamed
//! rows against the whole matrix (the same cells, the same CSV bytes), on the embedded examples
//! and on random hub-and-spoke estates; and a progress reporter sees every trace.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use azroute_engine::*;
use azroute_ingest::IngestOptions;
use azroute_model::*;
use azroute_testkit::Scenario;
use azroute_testkit::random::RandomHubSpoke;
use proptest::prelude::*;

fn example(name: &str) -> Snapshot {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../azroute-cli/estates").join(name);
    azroute_ingest::load_path(&dir, &IngestOptions::default()).snapshot
}

/// The VNet column a subnet-matrix column falls in, as a comparable key.
fn group_of(snap: &Snapshot, column: &Column) -> String {
    match column {
        Column::Subnet(s) => format!("vnet:{}", snap.subnets[s.index()].vnet.0),
        Column::OnPremises { prefix, .. } => format!("onprem:{prefix}"),
        Column::Branch(b) => format!("branch:{}", b.label()),
        Column::Internet(ip) => format!("internet:{ip}"),
    }
}

fn vnet_group(column: &VnetColumn) -> String {
    match column {
        VnetColumn::Vnet(v) => format!("vnet:{}", v.0),
        VnetColumn::OnPremises { prefix, .. } => format!("onprem:{prefix}"),
        VnetColumn::Branch(b) => format!("branch:{}", b.label()),
        VnetColumn::Internet(ip) => format!("internet:{ip}"),
    }
}

/// Rank of the worst outcome, written out independently of the engine's.
fn rank(r: Reachability) -> u8 {
    match r {
        Reachability::Delivered => 0,
        Reachability::DeliveredThroughNva => 1,
        Reachability::Asymmetric => 2,
        Reachability::Indeterminate => 3,
        Reachability::Mixed => 4,
        Reachability::Dropped => 5,
    }
}

type Summary = (u64, BTreeMap<Reachability, u64>, BTreeMap<&'static str, u64>, Option<Reachability>);

/// The subnet matrix summed cell by cell into (source VNet, column group).
fn naive(snap: &Snapshot, m: &ReachMatrix) -> BTreeMap<(u32, String), Summary> {
    let mut out: BTreeMap<(u32, String), Summary> = BTreeMap::new();
    for (r, row) in m.rows.iter().enumerate() {
        for (c, column) in m.columns.iter().enumerate() {
            let cell = m.cell(r, c);
            let entry = out.entry((snap.subnets[row.index()].vnet.0, group_of(snap, column))).or_default();
            entry.0 += 1;
            *entry.1.entry(cell.reach).or_default() += 1;
            if let Some(code) = cell.code {
                *entry.2.entry(code).or_default() += 1;
            }
            for part in m.cell_outcomes(cell) {
                let reach = m.outcome(part).reach;
                if entry.3.is_none_or(|w| rank(reach) > rank(w)) {
                    entry.3 = Some(reach);
                }
            }
        }
    }
    out
}

fn by_vnet_as_map(m: &VnetReachMatrix) -> BTreeMap<(u32, String), Summary> {
    let mut out = BTreeMap::new();
    for (r, row) in m.rows.iter().enumerate() {
        for (c, column) in m.columns.iter().enumerate() {
            let cell = m.cell(r, c);
            out.insert(
                (row.0, vnet_group(column)),
                (
                    cell.subnet_cells,
                    cell.reachabilities().collect(),
                    cell.by_code.iter().copied().collect(),
                    cell.worst,
                ),
            );
        }
    }
    out
}

fn check_agrees(snap: &Snapshot, query: &ReachQuery) {
    let engine = RouteEngine::new(snap, ModelOptions::default());
    let subnet = reach(&engine, query);
    let vnet = reach_by_vnet(&engine, query, &NoProgress);
    assert_eq!(by_vnet_as_map(&vnet), naive(snap, &subnet));
    assert_eq!(vnet.stats, subnet.stats, "the same classes and traces");
    assert_eq!(vnet.errors.len(), subnet.errors.len());
}

#[test]
fn reach_by_vnet_sums_the_subnet_matrix_on_every_example() {
    for name in ["hub-spoke", "hub-firewall", "troubleshoot"] {
        let snap = example(name);
        assert!(snap.vnets.len() > 1, "{name} has several VNets");
        check_agrees(&snap, &ReachQuery::every_subnet(&snap, 443));
        let mut routing_only = ReachQuery::every_subnet(&snap, 22);
        routing_only.evaluate_nsgs = false;
        check_agrees(&snap, &routing_only);
    }
}

#[test]
fn reach_by_vnet_of_troubleshoot_shows_its_drops() {
    // The troubleshoot example is broken on purpose: its VNet matrix must show it.
    let snap = example("troubleshoot");
    let engine = RouteEngine::new(&snap, ModelOptions::default());
    let m = reach_by_vnet(&engine, &ReachQuery::every_subnet(&snap, 443), &NoProgress);
    assert!(m.cells.iter().any(|c| c.worst == Some(Reachability::Dropped)));
    assert!(m.cells.iter().any(|c| !c.by_code.is_empty()));
}

/// Counts what the engine reports.
#[derive(Default)]
struct Recorder {
    stages: Mutex<Vec<(Stage, Option<u64>)>>,
    advanced: AtomicU64,
}

impl Progress for Recorder {
    fn start(&self, stage: Stage, total: Option<u64>) {
        self.stages.lock().unwrap().push((stage, total));
    }
    fn advance(&self, done: u64) {
        self.advanced.fetch_add(done, Ordering::Relaxed);
    }
}

#[test]
fn reach_progress_reports_each_stage_and_never_more_than_the_total() {
    let snap = example("hub-spoke");
    let engine = RouteEngine::new(&snap, ModelOptions::default());
    let query = ReachQuery::every_subnet(&snap, 443);
    let recorder = Recorder::default();
    let m = reach_with_progress(&engine, &query, &recorder);
    let stages = recorder.stages.lock().unwrap().clone();
    let kinds: Vec<Stage> = stages.iter().map(|(s, _)| *s).collect();
    assert_eq!(kinds, vec![Stage::ReachClasses, Stage::ReachTraces, Stage::ReachCells]);
    assert_eq!(stages[1].1, Some(m.stats.traces as u64), "every class pair is one trace");
    assert_eq!(stages[2].1, Some(m.rows.len() as u64));
    // Traces are reported in chunks, rows one by one.
    let advanced = recorder.advanced.load(Ordering::Relaxed);
    let chunks = (m.stats.traces / PROGRESS_CHUNK * PROGRESS_CHUNK) as u64;
    assert_eq!(advanced, chunks + m.rows.len() as u64);
    assert_eq!(m.cells, reach(&engine, &query).cells, "progress changes nothing");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn reach_by_vnet_sums_the_subnet_matrix(p in RandomHubSpoke::strategy(6, true)) {
        let s = Scenario::new(&p.estate());
        check_agrees(&s.snapshot, &ReachQuery::every_subnet(&s.snapshot, 443));
    }
}

/// The subnet matrix's CSV written from streamed rows, and from the whole matrix.
fn csv_both_ways(snap: &Snapshot, query: &ReachQuery, problems_only: bool) -> (Vec<u8>, Vec<u8>) {
    use azroute_report::reach::ReachReport;
    let engine = RouteEngine::new(snap, ModelOptions::default());
    let whole = reach(&engine, query);
    let mut expected = Vec::new();
    ReachReport::new(snap, &whole, query, problems_only).write_csv(&mut expected).unwrap();
    let stream = reach_stream(&engine, query, &NoProgress);
    let mut streamed: Vec<u8> = Vec::new();
    {
        let report = ReachReport::new(snap, stream.head(), query, problems_only);
        let out: &mut dyn std::io::Write = &mut streamed;
        let mut w = report.csv_header(out).unwrap();
        let mut rows = 0;
        stream
            .for_each_row(&NoProgress, |row, cells, parts| {
                assert_eq!(row, rows, "rows come in order");
                rows += 1;
                // The same cells as the whole matrix's row.
                let width = whole.columns.len();
                for (c, cell) in cells.iter().enumerate() {
                    let full = whole.cell(row, c);
                    assert_eq!((cell.reach, cell.code), (full.reach, full.code));
                    assert_eq!(cell.outcomes_in(parts), whole.cell_outcomes(full));
                }
                assert_eq!(cells.len(), width);
                report.write_csv_row(&mut w, row, cells, parts)
            })
            .unwrap();
        assert_eq!(rows, whole.rows.len());
        w.flush().unwrap();
    }
    assert_eq!(stream.head().stats, whole.stats);
    (streamed, expected)
}

#[test]
fn streamed_rows_write_the_same_csv_as_the_whole_matrix() {
    for name in ["hub-spoke", "hub-firewall", "troubleshoot"] {
        let snap = example(name);
        for problems_only in [false, true] {
            let (streamed, expected) = csv_both_ways(&snap, &ReachQuery::every_subnet(&snap, 443), problems_only);
            assert!(expected.len() > 100, "{name}: a real CSV");
            assert_eq!(String::from_utf8(streamed).unwrap(), String::from_utf8(expected).unwrap(), "{name}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn streamed_rows_are_the_matrix_rows(p in RandomHubSpoke::strategy(6, true)) {
        let s = Scenario::new(&p.estate());
        let (streamed, expected) = csv_both_ways(&s.snapshot, &ReachQuery::every_subnet(&s.snapshot, 443), false);
        prop_assert_eq!(streamed, expected);
    }
}

/// The subnet matrix's JSON and table written from streamed rows (the summary and the table's
/// widths counted in a first pass), and from the whole matrix.
fn json_and_table_both_ways(snap: &Snapshot, query: &ReachQuery, problems_only: bool) -> [(String, String); 2] {
    use azroute_report::reach::{ReachReport, RowFn};
    let engine = RouteEngine::new(snap, ModelOptions::default());
    let whole = reach(&engine, query);
    let whole_report = ReachReport::new(snap, &whole, query, problems_only);
    let stream = reach_stream(&engine, query, &NoProgress);
    let mut report = ReachReport::new(snap, stream.head(), query, problems_only);
    let rows = |row: &mut RowFn<'_>| stream.for_each_row(&NoProgress, |r, cells, parts| row(r, cells, parts));
    report.count_summary(&rows).unwrap();
    let write = |f: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut out = Vec::new();
        f(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    [
        (write(&|o| report.write_json_rows(o, &rows)), write(&|o| whole_report.write_json(o))),
        (write(&|o| report.write_text_rows(o, &rows)), write(&|o| whole_report.write_text(o))),
    ]
}

#[test]
fn streamed_rows_write_the_same_json_and_table_as_the_whole_matrix() {
    for name in ["hub-spoke", "hub-firewall", "troubleshoot"] {
        let snap = example(name);
        for problems_only in [false, true] {
            let query = ReachQuery::every_subnet(&snap, 443);
            for (streamed, expected) in json_and_table_both_ways(&snap, &query, problems_only) {
                assert!(expected.len() > 100, "{name}: a real output");
                assert_eq!(streamed, expected, "{name}, problems only: {problems_only}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn streamed_json_and_table_are_the_matrix_outputs(p in RandomHubSpoke::strategy(6, true)) {
        let s = Scenario::new(&p.estate());
        for (streamed, expected) in json_and_table_both_ways(&s.snapshot, &ReachQuery::every_subnet(&s.snapshot, 443), false) {
            prop_assert_eq!(streamed, expected);
        }
    }
}
