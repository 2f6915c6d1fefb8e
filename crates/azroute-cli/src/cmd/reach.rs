//! `azroute reach`: the subnet × subnet reachability matrix, with on-premises prefixes and the
//! Internet as extra columns; or, with `--by vnet`, the VNet × VNet matrix summarising it.

use azroute_query::{ReachPlan, Session, StreamedFormat};

use crate::args::{ReachArgs, ReachBy, ReachFormat};
use crate::input::{self, CliError};
use crate::output::emit_with;
use crate::progress::{self, StageBars};

/// Above this many subnet cells, the size and time are announced before the work starts.
const LARGE_MATRIX_CELLS: usize = 1_000_000;

/// Subnet cells per second and per core, for the announced estimate: the 10k estate's matrix
/// (1.09 M cells) took about 1 s on two busy cores (BENCHMARKS.md, Reach). The time grows with
/// the address classes rather than the cells, so this is a rough first figure; the progress bar
/// refines it once the traces start.
const CELLS_PER_CORE_SECOND: f64 = 500_000.0;

pub fn run(args: ReachArgs) -> Result<i32, CliError> {
    let loaded = input::load(&args.snapshot)?;
    let session = Session::new(&loaded.snapshot, input::model_options(&args.model));
    let plan = session.reach_plan(&args.scope.scope())?;
    let bars = StageBars::default();
    match args.by {
        ReachBy::Vnet => {
            let answer = session.reach_by_vnet(plan, &bars);
            let report = answer.report(args.problems);
            let _writing = progress::spinner("writing the matrix");
            emit_with(|out| match args.output {
                ReachFormat::Table => report.write_text(out),
                ReachFormat::Json => report.write_json(out),
                ReachFormat::Csv => report.write_csv(out),
            });
        }
        ReachBy::Subnet => {
            // Rows are written as they are made and the matrix's cells are never held
            // together: CSV in one pass, JSON and the table after a pass that counts the
            // summary (and the table's column widths).
            announce_size(&plan);
            let format = match args.output {
                ReachFormat::Table => StreamedFormat::Table,
                ReachFormat::Json => StreamedFormat::Json,
                ReachFormat::Csv => StreamedFormat::Csv,
            };
            emit_with(|out| session.reach_streamed(plan, format, args.problems, &bars, out));
        }
    }
    Ok(0)
}

/// Before a large subnet matrix: how many cells, roughly how long, and how to ask less.
fn announce_size(plan: &ReachPlan) {
    let cells = plan.subnet_cells();
    if cells <= LARGE_MATRIX_CELLS || progress::quiet() {
        return;
    }
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let seconds = cells as f64 / (CELLS_PER_CORE_SECOND * cores as f64);
    crate::output::print_stderr(&format!(
        "note: this matrix has {} subnet cells ({} source subnets × {} destination subnets, plus the on-premises and Internet columns); roughly {} on {cores} core(s)\n  hint: scope it with --from/--to (globs over `vnet/subnet`), or summarise it with --by vnet\n",
        thousands(cells),
        thousands(plan.rows()),
        thousands(cells / plan.rows().max(1)),
        duration_text(seconds),
    ));
}

/// 1234567 as `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn duration_text(seconds: f64) -> String {
    match seconds {
        s if s < 90.0 => format!("{} s", s.ceil() as u64),
        s if s < 5400.0 => format!("{} min", (s / 60.0).ceil() as u64),
        s => format!("{:.1} h", s / 3600.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_numbers_are_grouped_by_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_088_640), "1,088,640");
        assert_eq!(thousands(100_000_000), "100,000,000");
    }

    #[test]
    fn durations_are_worded_in_the_unit_that_reads_best() {
        assert_eq!(duration_text(0.2), "1 s");
        assert_eq!(duration_text(89.0), "89 s");
        assert_eq!(duration_text(100.0), "2 min");
        assert_eq!(duration_text(7200.0), "2.0 h");
    }
}
