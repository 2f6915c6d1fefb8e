//! `azroute routes`: effective routes of a NIC, VM or subnet.

use std::io::Write;

use azroute_engine::RouteEngine;
use azroute_query::{RoutesQuery, Session};
use azroute_report::{OutputFormat, routes};

use crate::args::{RoutesArgs, RoutesFormat};
use crate::input::{self, CliError};
use crate::output::emit;

pub fn run(args: RoutesArgs) -> Result<i32, CliError> {
    if args.all {
        return run_all(&args);
    }
    let loaded = input::load(&args.snapshot)?;
    let session = Session::new(&loaded.snapshot, input::model_options(&args.model));
    let query =
        RoutesQuery { nic: args.nic.clone(), vm: args.vm.clone(), subnet: args.subnet.clone(), explain: args.explain };
    let answer = session.routes(&query)?;
    input::notices(&answer.notices);
    emit(&match args.output {
        RoutesFormat::Table => answer.text(),
        RoutesFormat::Json => answer.json(),
        RoutesFormat::Csv => answer.csv(),
    });
    Ok(0)
}

/// `routes --all`: every NIC's effective routes, streamed through a locked, buffered stdout
/// (the report crate computes each distinct context once and serializes it once).
fn run_all(args: &RoutesArgs) -> Result<i32, CliError> {
    let format = match args.output {
        RoutesFormat::Json => OutputFormat::Json,
        RoutesFormat::Csv => OutputFormat::Csv,
        RoutesFormat::Table => {
            return Err(CliError::new("`--all` streams JSON or CSV; a table for every NIC is not offered")
                .hint("add `-o json` or `-o csv` (or ask for one NIC with --nic)"));
        }
    };
    let loaded = input::load(&args.snapshot)?;
    let engine = RouteEngine::new(&loaded.snapshot, input::model_options(&args.model));
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let writing = crate::progress::spinner("computing and writing every NIC's routes");
    let streamed = routes::stream_all(&engine, format, args.explain, out).and_then(|(mut out, s)| {
        out.flush()?;
        Ok(s)
    });
    drop(writing);
    let summary = match streamed {
        Ok(s) => s,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => return Ok(0),
        Err(err) => return Err(CliError::new(format!("cannot write the output: {err}"))),
    };
    if !summary.skipped.is_empty() && !crate::progress::quiet() {
        let shown = if args.snapshot.load.verbose { summary.skipped.len() } else { summary.skipped.len().min(20) };
        for s in &summary.skipped[..shown] {
            input::warn(&format!("left out: {s}"));
        }
        if shown < summary.skipped.len() {
            input::warn(&format!(
                "… and {} more NIC(s) left out; run with --verbose to see them all",
                summary.skipped.len() - shown
            ));
        }
    }
    // The process ends right after this command: freeing the snapshot of a large estate
    // (millions of small allocations) would cost a tenth of a second and buy nothing.
    std::mem::forget(engine);
    std::mem::forget(loaded);
    Ok(0)
}
