//! `azroute diff` and `azroute what-if`: what changes between two estates (two snapshots, or a
//! live snapshot and the same with a Terraform plan applied), routes first, then reachability.

use azroute_engine::RouteEngine;
use azroute_engine::diff::{ReachChangeKind, diff_reach, diff_routes};
use azroute_engine::reach::reach;
use azroute_model::Snapshot;
use azroute_report::diff as report;

use crate::args::{CompareArgs, DiffArgs, SnapshotArgs, TableJson, WhatIfArgs};
use crate::cmd::reach::query;
use crate::input::{self, CliError};
use crate::output::emit;

pub fn run_diff(args: DiffArgs) -> Result<i32, CliError> {
    let load_args = SnapshotArgs {
        snapshot: None,
        example: None,
        max_file_size: args.max_file_size,
        verbose: args.verbose,
        quiet: args.quiet,
    };
    let before = input::load_spec(&args.before, &load_args, "the before snapshot")?;
    let after = input::load_spec(&args.after, &load_args, "the after snapshot")?;
    compare(&before.snapshot, &after.snapshot, &args.compare, Vec::new())
}

pub fn run_what_if(args: WhatIfArgs) -> Result<i32, CliError> {
    let before = input::load(&args.snapshot)?;
    let after = input::load_with_overlay(&args.snapshot, &args.plan)?;
    let mut notes = vec![format!(
        "after = the live snapshot with `{}` laid over it: {} resource(s) read from it replace or add to the live ones",
        args.plan.display(),
        after.stats.resources.saturating_sub(before.stats.resources.min(after.stats.resources))
    )];
    if !after.deleted.is_empty() {
        notes.push(format!("the plan deletes {} resource(s)", after.deleted.len()));
    }
    compare(&before.snapshot, &after.snapshot, &args.compare, notes)
}

/// Compares two estates and prints the differences; exit 1 when reachability is lost.
fn compare(before: &Snapshot, after: &Snapshot, args: &CompareArgs, notes: Vec<String>) -> Result<i32, CliError> {
    let options = input::model_options(&args.model);
    let eb = RouteEngine::new(before, options.clone());
    let ea = RouteEngine::new(after, options);
    let routes = diff_routes(&eb, &ea);
    let changes = if args.routes_only {
        None
    } else {
        let (qb, qa) = (query(before, &args.scope)?, query(after, &args.scope)?);
        let (mb, ma) = (reach(&eb, &qb), reach(&ea, &qa));
        Some(diff_reach(before, &mb, after, &ma))
    };
    let lost = changes.as_ref().is_some_and(|c| c.iter().any(|c| c.kind == ReachChangeKind::Lost));
    let view = report::view(before, after, &routes, changes.as_deref(), notes);
    emit(&match args.output {
        TableJson::Table => report::text(&view),
        TableJson::Json => report::json(&view),
    });
    Ok(if lost { 1 } else { 0 })
}
