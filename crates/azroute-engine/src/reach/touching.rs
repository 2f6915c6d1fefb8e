//! The cells of a matrix that involve some subnets — their rows against every column, and every
//! row against their columns — made from the whole matrix's classes (so each cell is exactly
//! the one [`super::reach`] makes) while tracing only the class pairs those cells hold: what
//! `diff` needs when a change touched only those subnets' routes (`crate::compare`).
//!
//! Why only those cells can change (§11.4): a trace reads a subnet's routes only where the
//! walk stands in that subnet, which is where the request starts (its row), where the reply
//! starts (its destination, a subnet column) or where a device forwards the packet (an NVA
//! with IP forwarding, a load balancer's backend, a gateway, a firewall, a hub's appliance);
//! and an NSG's `VirtualNetwork` tag reads only the routes of the NSG's own subnet (§9.4).
//! So when no changed subnet can hold such a device ([`transit_subnets`]), a cell whose row
//! and column are both outside the changed subnets keeps every address pair's outcome.

use rustc_hash::{FxHashMap, FxHashSet};

use azroute_model::*;
use rayon::prelude::*;

use super::classes::{MatrixClasses, Member};
use super::{Column, ReachCell, ReachMatrix, ReachQuery, assumptions, cells, pairs};
use crate::RouteEngine;
use crate::trace::{Addressing, Owner};

/// Some cells of a matrix: `head` is the matrix without cells (its `parts` are those of
/// `cells`, its stats count the pairs traced for them), `cells` the (row, column, cell)
/// triples, row-major.
pub struct TouchingCells {
    pub head: ReachMatrix,
    pub cells: Vec<(usize, usize, ReachCell)>,
}

/// The cells of `query`'s matrix whose row or (subnet) column is one of `subnets` (sorted).
pub fn reach_touching(engine: &RouteEngine<'_>, query: &ReachQuery, subnets: &[SubnetIdx]) -> TouchingCells {
    touching_cells(engine, query, &MatrixClasses::build(engine, query), subnets)
}

/// The cells whose row or (subnet) column is one of `subnets` (sorted), made from `classes`
/// (the whole matrix's), tracing only the class pairs they hold.
pub(super) fn touching_cells(
    engine: &RouteEngine<'_>,
    query: &ReachQuery,
    classes: &MatrixClasses,
    subnets: &[SubnetIdx],
) -> TouchingCells {
    let tracer = &pairs::reach_tracer(engine, query);
    let MatrixClasses { rows, columns, column_members, .. } = classes;
    let touched = |s: &SubnetIdx| subnets.binary_search(s).is_ok();
    let every_column: Vec<usize> = (0..columns.len()).collect();
    let touched_columns: Vec<usize> =
        (0..columns.len()).filter(|&c| matches!(&columns[c], Column::Subnet(s) if touched(s))).collect();
    // Per row, the columns whose cells are made.
    let wanted: Vec<&[usize]> =
        rows.subnets.iter().map(|s| if touched(s) { &every_column[..] } else { &touched_columns[..] }).collect();
    let mut needed: FxHashSet<(u32, u32)> = FxHashSet::default();
    for (members, cols) in rows.members.iter().zip(&wanted) {
        for m in members {
            for &c in cols.iter() {
                needed.extend(column_members[c].iter().map(|d| (m.class, d.class)));
            }
        }
    }
    let mut needed: Vec<(u32, u32)> = needed.into_iter().collect();
    needed.sort_unstable();
    let (outcomes, ids) = pairs::trace_listed(tracer, query, &classes.sources, &classes.destinations, &needed);
    let table: FxHashMap<(u32, u32), u32> = needed.iter().copied().zip(ids).collect();
    let lookup = cells::PairLookup::Sparse(&table);
    let per_row: Vec<(Vec<ReachCell>, Vec<super::CellOutcome>)> = rows
        .members
        .par_iter()
        .zip(&wanted)
        .map(|(rm, cols): (&Vec<Member>, &&[usize])| {
            let members = cols.iter().map(|&c| &column_members[c]);
            cells::row_cells(rm, members, &classes.destinations, &lookup, &outcomes)
        })
        .collect();
    let mut made = Vec::new();
    let mut parts = Vec::new();
    for (r, (row, row_parts)) in per_row.into_iter().enumerate() {
        let base = parts.len() as u32;
        made.extend(row.into_iter().zip(wanted[r].iter()).map(|(mut cell, &c)| {
            cell.first += base;
            (r, c, cell)
        }));
        parts.extend(row_parts);
    }
    let stats = super::ReachStats {
        cells: made.len(),
        atoms: classes.atoms,
        source_classes: classes.sources.reps.len(),
        destination_classes: classes.destinations.reps.len(),
        traces: needed.len(),
        reused: 0,
    };
    let head = ReachMatrix {
        rows: rows.subnets.clone(),
        columns: columns.clone(),
        cells: Vec::new(),
        parts,
        outcomes,
        stats,
        errors: rows.errors.clone(),
        assumptions: assumptions(engine.snap(), engine.options(), query),
    };
    TouchingCells { head, cells: made }
}

/// `matrix` (made for `query` before changes that touched only the routes of `subnets`, sorted,
/// none of them a [`transit_subnets`] one) brought up to date in place, from `classes` (the
/// current classes of its rows and columns): the cells of those subnets' rows and columns made
/// again and put in place of the old ones, every other cell kept (its address pairs fare as
/// before; its sample pair is one of the previous classes'). `false` (and `matrix` untouched)
/// when the rows or columns are no longer the same (a row whose routes cannot be computed now).
pub(super) fn splice_with(
    engine: &RouteEngine<'_>,
    query: &ReachQuery,
    matrix: &mut ReachMatrix,
    classes: &MatrixClasses,
    subnets: &[SubnetIdx],
) -> bool {
    if classes.rows.subnets != matrix.rows || classes.columns != matrix.columns {
        return false;
    }
    let touching = touching_cells(engine, query, classes, subnets);
    let head = touching.head;
    let mut known: FxHashMap<&super::PairOutcome, u32> =
        matrix.outcomes.iter().enumerate().map(|(i, o)| (o, i as u32)).collect();
    let mut added: Vec<super::PairOutcome> = Vec::new();
    let n_known = matrix.outcomes.len() as u32;
    let ids: Vec<u32> = head
        .outcomes
        .iter()
        .map(|o| {
            *known.entry(o).or_insert_with(|| {
                added.push(o.clone());
                n_known + added.len() as u32 - 1
            })
        })
        .collect();
    drop(known);
    matrix.outcomes.extend(added);
    let n_columns = matrix.columns.len();
    for (r, c, cell) in touching.cells {
        let new_parts =
            cell.outcomes_in(&head.parts).iter().map(|p| super::CellOutcome { outcome: ids[p.outcome as usize], ..*p });
        let old = matrix.cells[r * n_columns + c];
        // A cell whose outcomes fit where its old ones were is rewritten in place, so that the
        // parts grow only by cells that gained outcomes.
        let first = if cell.len <= old.len {
            let at = old.first as usize;
            for (i, p) in new_parts.enumerate() {
                matrix.parts[at + i] = p;
            }
            old.first
        } else {
            let first = matrix.parts.len() as u32;
            matrix.parts.extend(new_parts);
            first
        };
        matrix.cells[r * n_columns + c] = ReachCell { first, ..cell };
    }
    compact_parts(matrix);
    let pairs = head.stats.source_classes * head.stats.destination_classes;
    matrix.stats = super::ReachStats { cells: matrix.cells.len(), reused: pairs - head.stats.traces, ..head.stats };
    matrix.errors = head.errors;
    matrix.assumptions = head.assumptions;
    true
}

/// Drops the parts no cell refers to any more once they outnumber the live ones.
fn compact_parts(matrix: &mut ReachMatrix) {
    // Parts within twice the cells are left alone without counting the live ones (a walk over
    // every cell, a tenth of a splice's time at 10k), however many of them are dead.
    if matrix.parts.len() <= 2 * matrix.cells.len() {
        return;
    }
    let live: usize = matrix.cells.iter().map(|c| c.len as usize).sum();
    if matrix.parts.len() <= 2 * live {
        return;
    }
    let mut parts = Vec::with_capacity(live);
    for cell in &mut matrix.cells {
        let first = parts.len() as u32;
        parts.extend_from_slice(cell.outcomes_in(&matrix.parts));
        *cell = ReachCell { first, ..*cell };
    }
    matrix.parts = parts;
}

/// The subnets where a walk may stand other than as a request's source or a reply's
/// destination-side start, so that their routes may decide paths between other subnets:
/// GatewaySubnet, RouteServerSubnet and every `Azure…` platform subnet (firewalls, Bastion);
/// subnets holding a NIC with IP forwarding, a NIC with addresses in more than one subnet (it
/// replies from its primary subnet), a load balancer's backend NIC, or an address owned by
/// anything but a NIC or a private endpoint (load balancer frontends, firewalls, gateways,
/// Application Gateways, DNS resolver endpoints).
pub fn transit_subnets(snap: &Snapshot, addressing: &Addressing) -> Vec<bool> {
    let mut transit: Vec<bool> = snap
        .subnets
        .iter()
        .map(|s| {
            s.is_gateway_subnet() || s.is_route_server_subnet() || s.name.to_ascii_lowercase().starts_with("azure")
        })
        .collect();
    let backends: FxHashSet<NicIdx> = snap
        .load_balancers
        .iter()
        .flat_map(|lb| lb.backend_nics.iter().chain(lb.outbound_rules.iter().flat_map(|o| o.backend_nics.iter())))
        .filter_map(|l| l.resolved())
        .collect();
    for (n, nic) in snap.nics.iter().enumerate() {
        let subnets: FxHashSet<SubnetIdx> =
            nic.ip_configs.iter().filter_map(|c| c.subnet.as_ref().and_then(|l| l.resolved())).collect();
        if nic.ip_forwarding || subnets.len() > 1 || backends.contains(&NicIdx(n as u32)) {
            for s in subnets {
                transit[s.index()] = true;
            }
        }
    }
    for (ip, owner) in addressing.all() {
        if matches!(owner, Owner::Nic { .. } | Owner::PrivateEndpoint { .. } | Owner::PublicIp { .. }) {
            continue;
        }
        for (s, subnet) in snap.subnets.iter().enumerate() {
            if subnet.contains(ip) {
                transit[s] = true;
            }
        }
    }
    transit
}
