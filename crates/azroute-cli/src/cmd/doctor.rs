//! `azroute doctor`: every routing misconfiguration of an estate, explained, with the fix.

use azroute_doctor::{DoctorConfig, catalogue};
use azroute_engine::{RouteEngine, Severity};
use azroute_report::doctor as report;

use crate::args::{DoctorArgs, DoctorFormat, FailOnArg, SeverityArg};
use crate::input::{self, CliError};
use crate::output::emit;

/// An unknown check code, with the closest codes.
fn unknown_code(what: String, code: &str) -> CliError {
    let codes: Vec<&str> = catalogue::CHECKS.iter().map(|c| c.code.as_str()).collect();
    let message = match azroute_model::similar_names(code, codes.iter().copied()).as_slice() {
        [] => what,
        [one] => format!("{what}; did you mean `{one}`?"),
        many => format!("{what}; did you mean one of: {}?", many.join(", ")),
    };
    CliError::new(message)
        .hint(format!("the codes are: {}; `azroute doctor --explain CODE` explains one", codes.join(", ")))
}

fn severity(arg: SeverityArg) -> Severity {
    match arg {
        SeverityArg::Info => Severity::Info,
        SeverityArg::Warning => Severity::Warning,
        SeverityArg::Error => Severity::Error,
    }
}

pub fn run(args: DoctorArgs) -> Result<i32, CliError> {
    if let Some(code) = &args.explain {
        let check = catalogue::find(code).ok_or_else(|| unknown_code(format!("no check with code `{code}`"), code))?;
        emit(&report::explain(check));
        return Ok(0);
    }
    if let Some(code) = args.only.iter().find(|code| catalogue::find(code).is_none()) {
        return Err(unknown_code(format!("--only names an unknown check `{code}`"), code));
    }
    if args.snapshot.snapshot.is_none() && args.snapshot.example.is_none() {
        return Err(
            CliError::new("no snapshot given").hint("pass `--snapshot PATH` or `--example NAME` (or `--explain CODE`)")
        );
    }
    let loaded = input::load(&args.snapshot)?;
    let snap = &loaded.snapshot;
    let engine = RouteEngine::new(snap, input::model_options(&args.model));
    // Every severity is computed, so that what `--severity` leaves out can be counted.
    let config = DoctorConfig {
        only: (!args.only.is_empty()).then(|| args.only.clone()),
        min_severity: Severity::Info,
        max_traces: args.max_traces,
        ..DoctorConfig::default()
    };
    let mut result = azroute_doctor::run(&engine, &config);
    let shown_from = severity(args.severity);
    let left_out = result.findings.iter().filter(|f| f.severity < shown_from).count();
    result.findings.retain(|f| f.severity >= shown_from);
    let view = report::view(snap, &result);
    emit(&match args.output {
        DoctorFormat::Table => report::text(&view),
        DoctorFormat::Json => report::json(&view),
        DoctorFormat::Sarif => report::sarif(snap, &view),
    });
    if left_out > 0 {
        input::note(&format!(
            "{left_out} finding(s) below severity {shown_from} left out (--severity {shown_from}); \
             --severity info shows them"
        ));
    }
    let threshold = match args.fail_on {
        FailOnArg::Warning => Some(Severity::Warning),
        FailOnArg::Error => Some(Severity::Error),
        FailOnArg::Never => None,
    };
    let failed = threshold.is_some_and(|t| result.findings.iter().any(|f| f.severity >= t));
    Ok(if failed { 1 } else { 0 })
}
