//! `azroute verify`: azroute's effective routes compared with the ones Azure reported, per NIC.

use std::collections::HashMap;

use azroute_engine::{NicVerification, RouteEngine, total_counts, verify_nic};
use azroute_ingest::Severity;
use azroute_report::hub_routes as hub_report;
use azroute_report::verify::{self as report, NicResult};

use crate::args::{VerifyArgs, VerifyFormat};
use crate::input::{self, CliError};
use crate::output::emit;

pub fn run(args: VerifyArgs) -> Result<i32, CliError> {
    let loaded = input::load(&args.snapshot)?;
    let snap = &loaded.snapshot;
    let observed = azroute_ingest::load_observed_all(&args.actual, &input::ingest_options(&args.snapshot.load));
    let (tables, diagnostics) = (observed.nics, observed.diagnostics);
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
    let hubs = verify_hubs(&engine, &observed.hubs, &mut failures);
    let errors = unreadable + failures.len();
    if errors > 0 {
        return Err(CliError::new(format!(
            "{errors} file(s) of Azure's routes could not be compared (listed above)"
        ))
        .hint("fix or remove the files named above; each must hold one NIC's `az network nic show-effective-route-table -o json` output")
        .causes(failures));
    }
    let views: Vec<NicResult<'_>> = results.iter().map(|(file, v)| NicResult { file, verification: v }).collect();
    let hub_views = hub_report::verify_views(snap, &hubs);
    let text = match args.output {
        VerifyFormat::Table if views.is_empty() && !hub_views.is_empty() => hub_report::verify_text(&hub_views),
        VerifyFormat::Table => report::text(snap, &views) + &hub_report::verify_text(&hub_views),
        VerifyFormat::Json if hub_views.is_empty() => report::json(snap, &views),
        VerifyFormat::Json => {
            let mut value: serde_json::Value =
                serde_json::from_str(&report::json(snap, &views)).expect("the report writes JSON");
            value["hubTables"] = serde_json::to_value(&hub_views).expect("views serialize");
            serde_json::to_string_pretty(&value).expect("values serialize")
        }
    };
    emit(&text);
    let verifications: Vec<NicVerification> = results.into_iter().map(|(_, v)| v).collect();
    let hub_differences: usize = hubs.iter().map(|(_, v)| v.differences()).sum();
    Ok(if total_counts(&verifications).differences() == 0 && hub_differences == 0 { 0 } else { 1 })
}

/// Virtual WAN hub files (§20.5): each compared with `hub-routes`.
fn verify_hubs(
    engine: &azroute_engine::RouteEngine<'_>,
    observed: &[(String, azroute_model::ObservedHubRoutes)],
    failures: &mut Vec<CliError>,
) -> Vec<(String, azroute_engine::HubVerification)> {
    if observed.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (file, o) in observed {
        let file = file.clone();
        match azroute_engine::verify_hub(engine.snap(), engine.topology(), o) {
            Ok(v) => out.push((file, v)),
            Err(err) => {
                let (message, hint) = hub_report::verify_error_text(&err);
                failures.push(CliError::new(format!("{file}: {message}")).hint(hint));
            }
        }
    }
    out
}
