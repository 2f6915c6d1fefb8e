//! `diff` and `what-if` as one call: the route and reachability differences between two
//! estates, computed incrementally (only the route contexts and reachability pairs a change
//! touches) when the two differ only by changes [`crate::incremental`] can apply, else in full.
//! The CLI only parses arguments, calls [`compare`] and renders; a test or a server can do the
//! same.

use std::collections::BTreeSet;

use azroute_model::*;

use crate::RouteEngine;
use crate::diff::{ReachChange, SubnetRouteDiff, diff_reach, diff_reach_touching, diff_routes, diff_subnet};
use crate::incremental::{Change, IncrementalEngine, changes_of};
use crate::reach::{ReachQuery, reach, reach_touching, transit_subnets};
use crate::trace::Addressing;

/// What to compare and how.
pub struct CompareRequest {
    pub options: ModelOptions,
    /// Recompute everything even when the change could be applied incrementally.
    pub full: bool,
    /// The reachability questions on each side (the same scope, resolved in each snapshot);
    /// `None`: routes only.
    pub reach: Option<(ReachQuery, ReachQuery)>,
}

/// How the after side was computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompareMethod {
    /// Nothing: the two estates have the same content (every resource compared by content,
    /// origin ignored), so no route or trace can differ.
    Identical,
    /// As changes applied to the before side.
    Incremental {
        changes: usize,
        subnets_touched: usize,
        contexts_recomputed: usize,
        /// Reachability class pairs traced again, and all pairs (traced or reused).
        pairs: Option<(usize, usize)>,
    },
    /// In full, because it was asked for.
    FullRequested,
    /// In full, because the estates differ by more than incremental recomputation covers.
    FullBecause(String),
}

/// The differences, and how they were computed.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub routes: Vec<SubnetRouteDiff>,
    /// `None` when only routes were asked for.
    pub reach: Option<Vec<ReachChange>>,
    pub method: CompareMethod,
}

/// Compares two estates: not at all when their content is the same, incrementally when
/// [`snapshot_delta`] finds a delta and `--full` is not asked for (it always equals a full
/// recomputation), else in full.
pub fn compare(before: &Snapshot, after: &Snapshot, request: CompareRequest) -> Comparison {
    match snapshot_delta(before, after) {
        // Routes and traces are functions of the content alone (origins and file order do not
        // enter them), so equal content has no difference to find.
        Ok(delta) if delta.is_empty() && !request.full => Comparison {
            routes: Vec::new(),
            reach: request.reach.map(|_| Vec::new()),
            method: CompareMethod::Identical,
        },
        Ok(delta) if !request.full => incremental(before, after, &delta, request),
        Ok(_) => full(before, after, request, CompareMethod::FullRequested),
        Err(why) => full(before, after, request, CompareMethod::FullBecause(why)),
    }
}

fn full(before: &Snapshot, after: &Snapshot, request: CompareRequest, method: CompareMethod) -> Comparison {
    let eb = RouteEngine::new(before, request.options.clone());
    let ea = RouteEngine::new(after, request.options);
    let routes = diff_routes(&eb, &ea);
    let reach = request.reach.map(|(qb, qa)| {
        let (mb, ma) = (reach(&eb, &qb), reach(&ea, &qa));
        diff_reach(before, &mb, after, &ma)
    });
    Comparison { routes, reach, method }
}

/// The after side as changes applied to the before side: only the route contexts the changes
/// touch are recomputed, and only the reachability cells they can alter are made on each side
/// ([`touching_reach`]); where that cannot be bounded, only the pairs whose traces consulted
/// what changed are traced again ([`consulted_reach`]).
fn incremental(before: &Snapshot, after: &Snapshot, delta: &SnapshotDelta, request: CompareRequest) -> Comparison {
    let mut inc = IncrementalEngine::new(before.clone(), request.options.clone());
    let tables_before: Vec<_> = (0..before.subnets.len()).map(|s| inc.subnet_table(SubnetIdx(s as u32))).collect();
    let mut touched: BTreeSet<SubnetIdx> = BTreeSet::new();
    let mut vnets_touched = false;
    let mut contexts = 0;
    let changes = changes_of(delta);
    for change in &changes {
        let affected = inc.apply(change.clone());
        touched.extend(affected.subnets);
        vnets_touched |= !affected.vnets.is_empty();
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
    let touched: Vec<SubnetIdx> = touched.into_iter().collect();
    let (reach, pairs) = match request.reach {
        Some((qb, qa)) => {
            let transit = transit_subnets(before, &Addressing::build(before));
            let (changes, pairs) = if vnets_touched || touched.iter().any(|s| transit[s.index()]) {
                consulted_reach(before, after, &changes, &request.options, (&qb, &qa))
            } else {
                touching_reach(before, after, &inc, &touched, &request.options, (&qb, &qa))
            };
            (Some(changes), Some(pairs))
        }
        None => (None, None),
    };
    let method = CompareMethod::Incremental {
        changes: changes.len(),
        subnets_touched: touched.len(),
        contexts_recomputed: contexts,
        pairs,
    };
    Comparison { routes, reach, method }
}

/// The reachability changes when the changes touched only the routes of `touched` (sorted),
/// none of which can carry traffic between other subnets: only the cells of their rows and
/// columns can differ, and only their class pairs are traced, on each side. Pairs: those
/// traced on the after side, of all its class pairs.
fn touching_reach(
    before: &Snapshot,
    after: &Snapshot,
    inc: &IncrementalEngine,
    touched: &[SubnetIdx],
    options: &ModelOptions,
    (qb, qa): (&ReachQuery, &ReachQuery),
) -> (Vec<ReachChange>, (usize, usize)) {
    let cells_before = reach_touching(&RouteEngine::new(before, options.clone()), qb, touched);
    let cells_after = reach_touching(&inc.engine(), qa, touched);
    let stats = cells_after.head.stats;
    let pairs = (stats.traces, stats.source_classes * stats.destination_classes);
    (diff_reach_touching(before, &cells_before, after, &cells_after), pairs)
}

/// The reachability changes from both whole matrices, the after one retracing only the pairs
/// whose traces consulted something the changes touched. Pairs: retraced, of all.
fn consulted_reach(
    before: &Snapshot,
    after: &Snapshot,
    changes: &[Change],
    options: &ModelOptions,
    (qb, qa): (&ReachQuery, &ReachQuery),
) -> (Vec<ReachChange>, (usize, usize)) {
    let mut inc = IncrementalEngine::new(before.clone(), options.clone());
    let mb = inc.reach(qb);
    for change in changes {
        inc.apply(change.clone());
    }
    let ma = inc.reach(qa);
    let pairs = (ma.stats.traces, ma.stats.traces + ma.stats.reused);
    (diff_reach(before, &mb, after, &ma), pairs)
}
