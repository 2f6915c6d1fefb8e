//! `azroute diff` and `azroute what-if`: what changes between two estates (two snapshots, or a
//! live snapshot and the same with a Terraform plan applied), routes first, then reachability.

use std::collections::BTreeSet;

use azroute_engine::{
    IncrementalEngine, ReachChange, ReachChangeKind, RouteEngine, SubnetRouteDiff, changes_of, diff_reach, diff_routes,
    diff_subnet, reach,
};
use azroute_model::{ModelOptions, Snapshot, SnapshotDelta, SubnetIdx, snapshot_delta};
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
fn compare(before: &Snapshot, after: &Snapshot, args: &CompareArgs, mut notes: Vec<String>) -> Result<i32, CliError> {
    let options = input::model_options(&args.model);
    let (routes, changes) = match snapshot_delta(before, after) {
        Ok(delta) if !args.full => {
            let (routes, changes, note) = incremental(before, after, &delta, args, options)?;
            notes.push(note);
            (routes, changes)
        }
        other => {
            notes.push(match other {
                Err(why) => format!(
                    "computed in full: {why} (incremental recomputation covers routes, associations and peerings)"
                ),
                Ok(_) => "computed in full (--full)".to_string(),
            });
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
            (routes, changes)
        }
    };
    let lost = changes.as_ref().is_some_and(|c| c.iter().any(|c| c.kind == ReachChangeKind::Lost));
    let view = report::view(before, after, &routes, changes.as_deref(), notes);
    emit(&match args.output {
        TableJson::Table => report::text(&view),
        TableJson::Json => report::json(&view),
    });
    Ok(if lost { 1 } else { 0 })
}

type Compared = (Vec<SubnetRouteDiff>, Option<Vec<ReachChange>>, String);

/// The after side as changes applied to the before side: only the route contexts the
/// changes touch are recomputed, and only the reachability pairs whose traces consulted them.
fn incremental(
    before: &Snapshot,
    after: &Snapshot,
    delta: &SnapshotDelta,
    args: &CompareArgs,
    options: ModelOptions,
) -> Result<Compared, CliError> {
    let mut inc = IncrementalEngine::new(before.clone(), options);
    let query_before = query(before, &args.scope)?;
    let matrix_before = (!args.routes_only).then(|| inc.reach(&query_before));
    let tables_before: Vec<_> = (0..before.subnets.len()).map(|s| inc.subnet_table(SubnetIdx(s as u32))).collect();
    let mut touched: BTreeSet<SubnetIdx> = BTreeSet::new();
    let mut contexts = 0;
    let changes = changes_of(delta);
    for change in &changes {
        let affected = inc.apply(change.clone());
        touched.extend(affected.subnets);
        contexts += affected.contexts_recomputed;
    }
    let mut routes: Vec<SubnetRouteDiff> = touched
        .iter()
        .filter_map(|&s| match (&tables_before[s.index()], inc.subnet_table(s)) {
            (Some(b), Some(a)) => diff_subnet(s, b, &a),
            _ => None,
        })
        .collect();
    routes.sort_by_cached_key(|d| after.subnet_label(d.after.expect("both sides")));
    let mut note = format!(
        "computed incrementally: {} change(s) touched {} subnet(s); {} route context(s) recomputed",
        changes.len(),
        touched.len(),
        contexts
    );
    let reach_changes = match matrix_before {
        None => None,
        Some(mb) => {
            let ma = inc.reach(&query(after, &args.scope)?);
            note.push_str(&format!(
                "; {} of {} reachability class pairs retraced",
                ma.stats.traces,
                ma.stats.traces + ma.stats.reused
            ));
            Some(diff_reach(before, &mb, after, &ma))
        }
    };
    Ok((routes, reach_changes, note))
}
