//! `azroute verify`: azroute's effective routes compared with the ones Azure reported, per NIC.

use std::collections::HashMap;

use azroute_engine::{NicVerification, RouteEngine, total_counts, verify_nic};
use azroute_ingest::Severity;
use azroute_report::verify::{self as report, NicResult};

use crate::args::{VerifyArgs, VerifyFormat};
use crate::input::{self, CliError};
use crate::output::emit;

pub fn run(args: VerifyArgs) -> Result<i32, CliError> {
    let loaded = input::load(&args.snapshot)?;
    let snap = &loaded.snapshot;
    let (tables, diagnostics) =
        azroute_ingest::load_observed(&args.actual, &input::ingest_options(&args.snapshot.load));
    input::report_diagnostics(&diagnostics, &args.snapshot.load);
    let mut failures: Vec<CliError> = Vec::new();
    let unreadable = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let engine = RouteEngine::new(snap, input::model_options(&args.model));
    let mut results: Vec<(String, NicVerification)> = Vec::new();
    let mut seen: HashMap<azroute_model::NicIdx, String> = HashMap::new();
    for table in &tables {
        let nic = match snap.find_nic(table.nic.as_str()) {
            Ok(nic) => nic,
            Err(err) => {
                failures.push(CliError::new(format!("{}: {err}", table.file)).hint(
                    "name the file <nic-name>.json after a NIC of the snapshot, or wrap it as {\"nicId\": \"<NIC id>\", \"effectiveRoutes\": …}",
                ));
                continue;
            }
        };
        if let Some(first) = seen.insert(nic, table.file.clone()) {
            failures.push(
                CliError::new(format!(
                    "{} and {} both hold routes of network interface `{}`",
                    first,
                    table.file,
                    snap.nics[nic.index()].name
                ))
                .hint("keep one file per NIC"),
            );
            continue;
        }
        match verify_nic(&engine, nic, &table.routes) {
            Ok(v) => results.push((table.file.clone(), v)),
            Err(err) => failures.push(CliError::new(format!("{}: {err}", table.file)).hint(err.hint())),
        }
    }
    let errors = unreadable + failures.len();
    if errors > 0 {
        return Err(CliError::new(format!(
            "{errors} file(s) of Azure's routes could not be compared (listed above)"
        ))
        .hint("fix or remove the files named above; each must hold one NIC's `az network nic show-effective-route-table -o json` output")
        .causes(failures));
    }
    let views: Vec<NicResult<'_>> = results.iter().map(|(file, v)| NicResult { file, verification: v }).collect();
    let text = match args.output {
        VerifyFormat::Table => report::text(snap, &views),
        VerifyFormat::Json => report::json(snap, &views),
    };
    emit(&text);
    let verifications: Vec<NicVerification> = results.into_iter().map(|(_, v)| v).collect();
    Ok(if total_counts(&verifications).differences() == 0 { 0 } else { 1 })
}
