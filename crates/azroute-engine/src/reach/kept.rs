//! The classes of the last matrix, kept by the incremental engine across changes to route
//! tables' routes, and the check that they still hold.
//!
//! A class is (atom, VNet, route context, subnet NSG, endpoint) (`classes`). A change to the
//! routes of a table alters none of these but the atoms, and those only through the prefixes
//! its route contexts' compiled tables hold: a route whose next hop changed keeps its prefix (it
//! is an atom boundary already), an added or removed route adds or drops its prefix only when no
//! other table or rule holds it. An added or dropped prefix that meets no row's or column's
//! addresses splits or merges no member of any row or column: every member keeps its atom
//! (renumbered, which changes no equality) and so its class, and the classes are interned in
//! the same order. Only then are the kept classes used; anything else (an association that
//! changes a subnet's route context, a prefix inside the estate's subnets, on-premises prefixes
//! or the Internet address) makes them anew.

use std::sync::Arc;

use azroute_model::*;
use ipnet::Ipv4Net;
use rustc_hash::{FxHashMap, FxHashSet};

use super::atoms::{static_prefixes, table_prefixes, v4_range};
use super::classes::MatrixClasses;
use super::pairs::{Invalidation, PairCache};
use super::{ReachMatrix, ReachQuery, compute_keeping, touching};
use crate::progress::NoProgress;
use crate::{ContextKey, EffectiveRouteTable, RouteEngine};

/// A matrix's classes, with what deciding whether they still hold needs.
pub struct KeptClasses {
    classes: MatrixClasses,
    /// Per subnet, its route context when the classes were made (`None`: its routes could
    /// not be computed).
    keys: Vec<Option<ContextKey>>,
    /// The table of every route context in use, as the atoms saw it.
    tables: FxHashMap<ContextKey, Arc<EffectiveRouteTable>>,
    /// Per prefix of those tables, how many of them hold it.
    table_prefixes: FxHashMap<Ipv4Net, u32>,
    /// The atoms' prefixes no route table contributes.
    static_prefixes: FxHashSet<Ipv4Net>,
    /// The addresses of the rows and columns (`MatrixClasses::member_ranges`).
    ranges: Vec<(u32, u32)>,
}

/// The matrix of `query` ([`super::reach_incremental`]), and its classes kept.
pub fn reach_incremental_keeping(
    engine: &RouteEngine<'_>,
    query: &ReachQuery,
    cache: &mut PairCache,
    stale: &Invalidation,
) -> (ReachMatrix, KeptClasses) {
    let (matrix, classes) = compute_keeping(engine, query, Some((cache, stale)), &NoProgress);
    (matrix, KeptClasses::keep(engine, classes))
}

impl KeptClasses {
    /// The classes of `query`'s matrix in the engine's current state.
    pub fn new(engine: &RouteEngine<'_>, query: &ReachQuery) -> KeptClasses {
        KeptClasses::keep(engine, MatrixClasses::build(engine, query))
    }

    fn keep(engine: &RouteEngine<'_>, classes: MatrixClasses) -> KeptClasses {
        let snap = engine.snap();
        let keys: Vec<Option<ContextKey>> =
            (0..snap.subnets.len()).map(|s| engine.context_key(SubnetIdx(s as u32)).ok()).collect();
        let mut tables: FxHashMap<ContextKey, Arc<EffectiveRouteTable>> = FxHashMap::default();
        let mut counts: FxHashMap<Ipv4Net, u32> = FxHashMap::default();
        for key in keys.iter().flatten() {
            if !tables.contains_key(key) {
                let table = engine.table_for_key(key);
                for p in table_prefixes(&table) {
                    *counts.entry(p).or_default() += 1;
                }
                tables.insert(key.clone(), table);
            }
        }
        let ranges = classes.member_ranges(snap);
        KeptClasses {
            classes,
            keys,
            tables,
            table_prefixes: counts,
            static_prefixes: static_prefixes(engine).into_iter().collect(),
            ranges,
        }
    }

    /// Brings the kept classes up to date after changes confined to the routes of `changed`
    /// subnets: `false` when they may no longer be the matrix's (a changed subnet's route
    /// context is another, or a prefix that appeared or vanished meets a row's or column's
    /// addresses), in which case they must be made anew.
    pub fn refresh(&mut self, engine: &RouteEngine<'_>, changed: &[SubnetIdx]) -> bool {
        if changed.iter().any(|s| engine.context_key(*s).ok() != self.keys[s.index()]) {
            return false;
        }
        // Every subnet keeps its context: the contexts in use are the same, some with a new table.
        let mut appeared_or_vanished: Vec<Ipv4Net> = Vec::new();
        for (key, kept) in self.tables.iter_mut() {
            let now = engine.table_for_key(key);
            if Arc::ptr_eq(kept, &now) {
                continue;
            }
            for p in table_prefixes(kept) {
                let count = self.table_prefixes.get_mut(&p).expect("a kept table's prefixes are counted");
                *count -= 1;
                if *count == 0 {
                    self.table_prefixes.remove(&p);
                    appeared_or_vanished.push(p);
                }
            }
            for p in table_prefixes(&now) {
                let count = self.table_prefixes.entry(p).or_default();
                *count += 1;
                if *count == 1 {
                    appeared_or_vanished.push(p);
                }
            }
            *kept = now;
        }
        // A prefix dropped by one table and added by another is in the list twice: it is still
        // there, and does not change the atoms; one that vanished and came back likewise.
        appeared_or_vanished.sort_unstable();
        let mut changed_atoms = 0isize;
        let mut i = 0;
        while i < appeared_or_vanished.len() {
            let p = appeared_or_vanished[i];
            let n = appeared_or_vanished[i..].iter().take_while(|q| **q == p).count();
            i += n;
            let held = self.table_prefixes.contains_key(&p);
            // An odd number of transitions: it appeared (held now) or vanished (not held).
            if n % 2 == 0 || self.static_prefixes.contains(&p) {
                continue;
            }
            if self.meets_members(&p) {
                return false;
            }
            changed_atoms += if held { 1 } else { -1 };
        }
        self.classes.atoms = self.classes.atoms.checked_add_signed(changed_atoms).expect("atoms are counted");
        true
    }

    fn meets_members(&self, p: &Ipv4Net) -> bool {
        let (lo, hi) = v4_range(p);
        // The first range that ends at or after `lo`: it meets `p` when it starts by `hi`.
        let i = self.ranges.partition_point(|&(_, end)| end < lo);
        self.ranges.get(i).is_some_and(|&(start, _)| start <= hi)
    }

    /// The matrix brought up to date after changes to the routes of `subnets` (sorted, none
    /// of them a transit one) from the kept classes, in place ([`touching::splice_with`]): `false` (and `matrix`
    /// untouched) when its rows or columns are not those of the classes.
    pub fn splice(
        &self,
        engine: &RouteEngine<'_>,
        query: &ReachQuery,
        matrix: &mut ReachMatrix,
        subnets: &[SubnetIdx],
    ) -> bool {
        touching::splice_with(engine, query, matrix, &self.classes, subnets)
    }
}
