//! `azroute reach`: the subnet × subnet reachability matrix, with on-premises prefixes and the
//! Internet as extra columns.

use azroute_query::Session;

use crate::args::{ReachArgs, ReachFormat};
use crate::input::{self, CliError};
use crate::output::emit_with;

pub fn run(args: ReachArgs) -> Result<i32, CliError> {
    let loaded = input::load(&args.snapshot)?;
    let session = Session::new(&loaded.snapshot, input::model_options(&args.model));
    let plan = session.reach_plan(&args.scope.scope())?;
    let answer = session.reach(plan);
    let report = answer.report(args.problems);
    emit_with(|out| match args.output {
        ReachFormat::Table => report.write_text(out),
        ReachFormat::Json => report.write_json(out),
        ReachFormat::Csv => report.write_csv(out),
    });
    Ok(0)
}
