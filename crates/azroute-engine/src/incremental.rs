//! Incremental recomputation: apply one change to an estate (a route table's routes, a route
//! table association, a peering's settings or its deletion) and recompute only what it
//! touches — the route contexts whose inputs changed and the reachability cells or pairs they
//! can alter — instead of the whole estate.
//!
//! What a change touches (§0: a subnet's routes are a function of its context):
//! - routes of table T: the contexts with route table T, and the subnets associated with it;
//! - an association of subnet S: S's context (its key changes; other subnets keep theirs);
//! - a peering: the VNets whose peering statuses or gateway attachment (§5.3 gateway transit)
//!   differ once it changed — the two ends, and spokes reaching a gateway through it.
//!
//! The result always equals a full recomputation on the changed snapshot; the property tests
//! check exactly that.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use azroute_model::*;

use crate::reach::{
    Invalidation, KeptClasses, PairCache, ReachMatrix, ReachQuery, reach_incremental_keeping, transit_subnets,
};
use crate::topology::Topology;
use crate::trace::Addressing;
use crate::{ContextKey, EffectiveRouteTable, RouteEngine, effective};

/// The changes of a snapshot delta, in an order that applies cleanly (deletions first).
pub fn changes_of(delta: &SnapshotDelta) -> Vec<Change> {
    let mut out: Vec<Change> = delta.removed_peerings.iter().map(|p| Change::RemovePeering { peering: *p }).collect();
    out.extend(delta.peerings.iter().map(|(p, v)| Change::SetPeering { peering: *p, value: Box::new(v.clone()) }));
    out.extend(delta.routes.iter().map(|(t, r)| Change::SetRoutes { table: *t, routes: r.clone() }));
    out.extend(delta.associations.iter().map(|(s, t)| Change::Associate { subnet: *s, route_table: *t }));
    out
}

/// One change to an estate.
#[derive(Clone, Debug)]
pub enum Change {
    /// Replace the routes of a route table (a route added, removed or changed).
    SetRoutes { table: RouteTableIdx, routes: Vec<Route> },
    /// Associate a route table with a subnet, or dissociate it (`None`).
    Associate { subnet: SubnetIdx, route_table: Option<RouteTableIdx> },
    /// Replace a peering object (its state, flags or remote address space).
    SetPeering { peering: PeeringIdx, value: Box<Peering> },
    /// Delete a peering object: it leaves its VNet, and its remote side is no longer
    /// Connected (§5.1: the other side shows Disconnected, T37).
    RemovePeering { peering: PeeringIdx },
}

/// What one change touched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Affected {
    /// Subnets whose effective routes were recomputed (sorted).
    pub subnets: Vec<SubnetIdx>,
    /// VNets whose peering statuses or gateway attachment changed (sorted).
    pub vnets: Vec<VnetIdx>,
    /// Route contexts computed anew.
    pub contexts_recomputed: usize,
}

/// How [`IncrementalEngine::reach`] made its last matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReachMethod {
    /// Every class pair of classes made anew, reusing the kept outcome of each pair whose
    /// trace consulted nothing changed since.
    Retraced,
    /// The last matrix, with the changed subnets' rows and columns made again; `classes_kept`:
    /// from the last matrix's classes (the changes left them alone), not classes made anew.
    Spliced { classes_kept: bool },
}

/// The last matrix: its query, the matrix (shared with the caller, copied only when the
/// caller still holds it at the next change) and its classes.
struct LastMatrix {
    query: ReachQuery,
    matrix: Arc<ReachMatrix>,
    classes: KeptClasses,
}

/// An estate kept up to date across changes.
pub struct IncrementalEngine {
    snapshot: Snapshot,
    options: ModelOptions,
    topology: Arc<Topology>,
    tables: HashMap<ContextKey, Arc<EffectiveRouteTable>>,
    pairs: PairCache,
    /// What changed since the last reachability matrix.
    stale: Invalidation,
    /// What changed since the last matrix made by retracing: the pairs kept in `pairs` that
    /// consulted it are forgotten before they are reused (splicing does not read them).
    unforgotten: Invalidation,
    /// The last matrix: after changes to the routes of subnets that carry no transit, only
    /// their rows' and columns' cells are made again.
    last: Option<LastMatrix>,
    last_method: Option<ReachMethod>,
    /// Per subnet, whether traffic between other subnets may pass it ([`transit_subnets`]);
    /// no change alters what it depends on (NICs, their addresses and owners).
    transit: Vec<bool>,
}

impl IncrementalEngine {
    /// Computes every subnet's routes once.
    pub fn new(snapshot: Snapshot, options: ModelOptions) -> IncrementalEngine {
        let topology = Arc::new(Topology::build_with(&snapshot, &options));
        let tables = {
            let engine = RouteEngine::with_parts(&snapshot, options.clone(), Arc::clone(&topology), HashMap::new());
            engine.all_subnet_tables();
            engine.cached_tables()
        };
        let transit = transit_subnets(&snapshot, &Addressing::build(&snapshot));
        IncrementalEngine {
            snapshot,
            options,
            topology,
            tables,
            pairs: PairCache::default(),
            stale: Invalidation { all: true, ..Invalidation::default() },
            unforgotten: Invalidation::default(),
            last: None,
            last_method: None,
            transit,
        }
    }

    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// A route engine over the current state, with every computed table.
    pub fn engine(&self) -> RouteEngine<'_> {
        RouteEngine::with_parts(&self.snapshot, self.options.clone(), Arc::clone(&self.topology), self.tables.clone())
    }

    /// The table of a subnet in the current state (computed by [`IncrementalEngine::apply`]).
    pub fn subnet_table(&self, subnet: SubnetIdx) -> Option<Arc<EffectiveRouteTable>> {
        let s = &self.snapshot.subnets[subnet.index()];
        if let Some(Link::Missing(_)) = &s.route_table {
            return None;
        }
        self.tables.get(&ContextKey::for_subnet(&self.snapshot, &self.options, subnet)).cloned()
    }

    /// Applies one change and recomputes the route contexts it touches.
    pub fn apply(&mut self, change: Change) -> Affected {
        let snap = &mut self.snapshot;
        let (subnets, vnets): (Vec<SubnetIdx>, Vec<VnetIdx>) = match change {
            Change::SetRoutes { table, routes } => {
                snap.route_tables[table.index()].routes = routes;
                self.tables.retain(|k, _| k.route_table != Some(table));
                let subnets = (0..snap.subnets.len())
                    .map(|i| SubnetIdx(i as u32))
                    .filter(|s| snap.subnets[s.index()].route_table.as_ref().and_then(|l| l.resolved()) == Some(table))
                    .collect();
                (subnets, Vec::new())
            }
            Change::Associate { subnet, route_table } => {
                snap.subnets[subnet.index()].route_table = route_table.map(Link::Resolved);
                (vec![subnet], Vec::new())
            }
            Change::SetPeering { peering, value } => {
                let mut ends = vec![snap.peerings[peering.index()].vnet];
                ends.extend(snap.peerings[peering.index()].remote_vnet.resolved());
                ends.extend(value.remote_vnet.resolved());
                snap.peerings[peering.index()] = *value;
                self.topology_changed(ends)
            }
            Change::RemovePeering { peering } => {
                let p = &mut snap.peerings[peering.index()];
                let vnet = p.vnet;
                let mut ends = vec![vnet];
                ends.extend(p.remote_vnet.resolved());
                // The object stays in the arena (indices are stable) but belongs to no VNet.
                p.state = PeeringState::Disconnected;
                snap.vnets[vnet.index()].peerings.retain(|q| *q != peering);
                self.topology_changed(ends)
            }
        };
        let mut contexts_recomputed = 0;
        for &s in &subnets {
            if let Some(Link::Missing(_)) = &self.snapshot.subnets[s.index()].route_table {
                continue;
            }
            let key = ContextKey::for_subnet(&self.snapshot, &self.options, s);
            if !self.tables.contains_key(&key) {
                let table = effective::build_table(&self.snapshot, &self.topology, &self.options, &key);
                self.tables.insert(key, Arc::new(table));
                contexts_recomputed += 1;
            }
        }
        self.stale.subnets.extend(subnets.iter().copied());
        self.stale.vnets.extend(vnets.iter().copied());
        Affected { subnets, vnets, contexts_recomputed }
    }

    /// Rebuilds the derived topology after a peering changed; drops the contexts of every VNet
    /// whose peering statuses or gateway attachment differ, and returns those VNets' subnets.
    fn topology_changed(&mut self, ends: Vec<VnetIdx>) -> (Vec<SubnetIdx>, Vec<VnetIdx>) {
        let snap = &self.snapshot;
        let new = Arc::new(Topology::build_with(snap, &self.options));
        let old = std::mem::replace(&mut self.topology, Arc::clone(&new));
        let mut vnets: HashSet<VnetIdx> = ends.into_iter().collect();
        for (v, vnet) in snap.vnets.iter().enumerate() {
            let v = VnetIdx(v as u32);
            let statuses_differ =
                vnet.peerings.iter().any(|p| old.peerings.get(p.index()) != new.peerings.get(p.index()));
            if statuses_differ || old.attachments.get(v.index()) != new.attachments.get(v.index()) {
                vnets.insert(v);
            }
        }
        self.tables.retain(|k, _| !vnets.contains(&k.vnet));
        let mut vnets: Vec<VnetIdx> = vnets.into_iter().collect();
        vnets.sort_unstable();
        let subnets = vnets.iter().flat_map(|v| snap.vnets[v.index()].subnets.iter().copied()).collect();
        (subnets, vnets)
    }

    /// The reachability matrix of the current state. After changes to the routes of subnets
    /// that carry no transit, the last matrix (same query) with only those subnets' rows and
    /// columns made again, from the last matrix's classes when
    /// the changes left them alone ([`KeptClasses::refresh`]); else the whole matrix, retracing
    /// only the pairs whose traces consulted something changed since the last matrix.
    ///
    /// The matrix is shared: the engine keeps it for the next change, and updates it in place
    /// then unless the caller still holds it.
    pub fn reach(&mut self, query: &ReachQuery) -> Arc<ReachMatrix> {
        let engine = RouteEngine::with_parts(
            &self.snapshot,
            self.options.clone(),
            Arc::clone(&self.topology),
            self.tables.clone(),
        );
        let stale = std::mem::take(&mut self.stale);
        let bounded = !stale.all && stale.vnets.is_empty() && stale.subnets.iter().all(|s| !self.transit[s.index()]);
        let last = match self.last.take() {
            Some(last) if bounded && last.query == *query => Some(last),
            _ => None,
        };
        if let Some(LastMatrix { matrix, mut classes, .. }) = last {
            let mut subnets: Vec<SubnetIdx> = stale.subnets.iter().copied().collect();
            subnets.sort_unstable();
            let classes_kept = classes.refresh(&engine, &subnets);
            if !classes_kept {
                classes = KeptClasses::new(&engine, query);
            }
            let mut matrix = Arc::try_unwrap(matrix).unwrap_or_else(|shared| (*shared).clone());
            if classes.splice(&engine, query, &mut matrix, &subnets) {
                // Kept pairs that consulted a changed subnet must not be reused later.
                self.unforgotten.merge(stale);
                let matrix = Arc::new(matrix);
                self.last = Some(LastMatrix { query: query.clone(), matrix: Arc::clone(&matrix), classes });
                self.last_method = Some(ReachMethod::Spliced { classes_kept });
                return matrix;
            }
        }
        let mut stale = stale;
        stale.merge(std::mem::take(&mut self.unforgotten));
        let (matrix, classes) = reach_incremental_keeping(&engine, query, &mut self.pairs, &stale);
        let matrix = Arc::new(matrix);
        self.last = Some(LastMatrix { query: query.clone(), matrix: Arc::clone(&matrix), classes });
        self.last_method = Some(ReachMethod::Retraced);
        matrix
    }

    /// How the last [`IncrementalEngine::reach`] made its matrix (`None` before the first).
    pub fn last_reach_method(&self) -> Option<ReachMethod> {
        self.last_method
    }
}
