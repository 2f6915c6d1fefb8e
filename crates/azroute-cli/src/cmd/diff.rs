//! `azroute diff` and `azroute what-if`: what changes between two estates (two snapshots, or a
//! live snapshot and the same with a Terraform plan applied), routes first, then reachability.

use azroute_engine::{CompareMethod, CompareRequest, ReachChangeKind};
use azroute_model::Snapshot;
use azroute_report::diff as report;

use crate::args::{CompareArgs, DiffArgs, TableJson, WhatIfArgs};
use crate::input::{self, CliError};
use crate::output::emit;

pub fn run_diff(args: DiffArgs) -> Result<i32, CliError> {
    let before = input::load_spec(&args.before, &args.load, "the before snapshot")?;
    let after = input::load_spec(&args.after, &args.load, "the after snapshot")?;
    let after_args = input::snapshot_args_of_spec(&args.after);
    compare(&before.snapshot, &after.snapshot, &args.compare, Vec::new(), Some(after_args))
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
    compare(&before.snapshot, &after.snapshot, &args.compare, notes, None)
}

/// Compares two estates and prints the differences; exit 1 when reachability is lost.
fn compare(
    before: &Snapshot,
    after: &Snapshot,
    args: &CompareArgs,
    mut notes: Vec<String>,
    after_snapshot_args: Option<String>,
) -> Result<i32, CliError> {
    let reach = match args.routes_only {
        true => None,
        false => {
            let scope = args.scope.scope();
            Some((azroute_query::reach_query(before, &scope)?, azroute_query::reach_query(after, &scope)?))
        }
    };
    let request = CompareRequest { options: input::model_options(&args.model), full: args.full, reach };
    let comparing = crate::progress::spinner("comparing the estates");
    let comparison = azroute_engine::compare(before, after, request);
    drop(comparing);
    notes.push(method_note(&comparison.method));
    let changes = comparison.reach.as_deref();
    let lost = changes.is_some_and(|c| c.iter().any(|c| c.kind == ReachChangeKind::Lost));
    let mut view = report::view(before, after, &comparison.routes, changes, notes);
    view.after_snapshot_args = after_snapshot_args;
    emit(&match args.output {
        TableJson::Table => report::text(&view),
        TableJson::Json => report::json(&view),
    });
    Ok(if lost { 1 } else { 0 })
}

/// How the differences were computed, as a note under them.
fn method_note(method: &CompareMethod) -> String {
    match method {
        CompareMethod::Incremental { changes, subnets_touched, contexts_recomputed, pairs } => {
            let mut note = format!(
                "computed incrementally: {changes} change(s) touched {subnets_touched} subnet(s); {contexts_recomputed} route context(s) recomputed"
            );
            if let Some((retraced, total)) = pairs {
                note.push_str(&format!("; {retraced} of {total} reachability class pairs retraced"));
            }
            note
        }
        CompareMethod::Identical => {
            "the two estates have the same content: nothing was recomputed or traced (--full computes both sides)"
                .to_string()
        }
        CompareMethod::FullRequested => "computed in full (--full)".to_string(),
        CompareMethod::FullBecause(why) => {
            format!("computed in full: {why} (incremental recomputation covers routes, associations and peerings)")
        }
    }
}
