//! `azroute doctor`: every routing misconfiguration of an estate, explained, with the fix.

use azroute_doctor::{DoctorConfig, catalogue};
use azroute_engine::{RouteEngine, Severity};
use azroute_report::doctor as report;

use crate::args::{DoctorArgs, DoctorFormat, FailOnArg, SeverityArg};
use crate::input::{self, CliError};
use crate::output::emit;

pub fn run(args: DoctorArgs) -> Result<i32, CliError> {
    if let Some(code) = &args.explain {
        let Some(check) = catalogue::find(code) else {
            let codes: Vec<&str> = catalogue::CHECKS.iter().map(|c| c.code).collect();
            return Err(CliError::new(format!("no check with code `{code}`"))
                .hint(format!("the codes are: {}", codes.join(", "))));
        };
        emit(&report::explain(check));
        return Ok(0);
    }
    for code in &args.only {
        if catalogue::find(code).is_none() {
            return Err(CliError::new(format!("--only names an unknown check `{code}`"))
                .hint("`azroute doctor --explain CODE` explains a check; the codes are listed in the README"));
        }
    }
    let snapshot = args.snapshot.to_snapshot_args();
    if snapshot.snapshot.is_none() && snapshot.example.is_none() {
        return Err(
            CliError::new("no snapshot given").hint("pass `--snapshot PATH` or `--example NAME` (or `--explain CODE`)")
        );
    }
    let loaded = input::load(&snapshot)?;
    let snap = &loaded.snapshot;
    let engine = RouteEngine::new(snap, input::model_options(&args.model));
    let config = DoctorConfig {
        only: (!args.only.is_empty()).then(|| args.only.clone()),
        min_severity: match args.severity {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Error => Severity::Error,
        },
        max_traces: args.max_traces,
    };
    let result = azroute_doctor::run(&engine, &config);
    let view = report::view(&result);
    emit(&match args.output {
        DoctorFormat::Table => report::text(&view),
        DoctorFormat::Json => report::json(&view),
        DoctorFormat::Sarif => report::sarif(snap, &view),
    });
    let threshold = args.fail_on.map(|f| match f {
        FailOnArg::Warning => Severity::Warning,
        FailOnArg::Error => Severity::Error,
    });
    let failed = threshold.is_some_and(|t| result.findings.iter().any(|f| f.severity >= t));
    Ok(if failed { 1 } else { 0 })
}
