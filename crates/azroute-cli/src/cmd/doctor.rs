//! `azroute doctor`: every routing misconfiguration of an estate, explained, with the fix.

use azroute_query::{DoctorQuery, Session, Severity};

use crate::args::{DoctorArgs, DoctorFormat, FailOnArg, SeverityArg};
use crate::input::{self, CliError};
use crate::output::emit;

fn severity(arg: SeverityArg) -> Severity {
    match arg {
        SeverityArg::Info => Severity::Info,
        SeverityArg::Warning => Severity::Warning,
        SeverityArg::Error => Severity::Error,
    }
}

pub fn run(args: DoctorArgs) -> Result<i32, CliError> {
    if let Some(code) = &args.explain {
        emit(&azroute_query::explain_check(code)?);
        return Ok(0);
    }
    azroute_query::check_only(&args.only)?;
    if args.snapshot.snapshot.is_none() && args.snapshot.example.is_none() {
        return Err(
            CliError::new("no snapshot given").hint("pass `--snapshot PATH` or `--example NAME` (or `--explain CODE`)")
        );
    }
    let loaded = input::load(&args.snapshot)?;
    let session = Session::new(&loaded.snapshot, input::model_options(&args.model));
    let query = DoctorQuery {
        only: args.only.clone(),
        severity: severity(args.severity),
        max_traces: args.max_traces,
        exhaustive: args.exhaustive,
    };
    let checking = crate::progress::spinner("running the checks");
    let answer = session.doctor(&query);
    drop(checking);
    let answer = answer?;
    emit(&match args.output {
        DoctorFormat::Table => answer.text(),
        DoctorFormat::Json => answer.json(),
        DoctorFormat::Sarif => answer.sarif(&session),
    });
    input::notices(&answer.notices);
    let threshold = match args.fail_on {
        FailOnArg::Warning => Some(Severity::Warning),
        FailOnArg::Error => Some(Severity::Error),
        FailOnArg::Never => None,
    };
    Ok(if threshold.is_some_and(|t| answer.fails_at(t)) { 1 } else { 0 })
}
