//! The matrix's cells: each (row, column) cell's outcomes summed over the class pairs it holds,
//! weighted by how many address pairs each covers, largest first.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::classes::{Classes, Member};
use super::pairs::TracedPairs;
use super::table::PairTable;
use super::{CellOutcome, PairOutcome, ReachCell, Reachability};
use crate::progress::{Progress, Stage};

/// Maps a class pair to the index of its outcome: every pair of a matrix, or the few pairs
/// some of its cells hold.
pub(super) enum PairLookup<'t> {
    Dense(&'t PairTable),
    Sparse(&'t FxHashMap<(u32, u32), u32>),
}

impl<'t> PairLookup<'t> {
    pub(super) fn new(traced: &'t TracedPairs) -> Self {
        PairLookup::Dense(&traced.table)
    }

    fn outcome_of(&self, src: u32, dst: u32) -> u32 {
        match self {
            PairLookup::Dense(table) => table.outcome_of(src, dst),
            PairLookup::Sparse(map) => *map.get(&(src, dst)).expect("every pair of the cells asked for is traced"),
        }
    }
}

/// Every cell, row-major, and every cell's outcomes (a cell's `first..first + len`).
pub(super) fn assemble_cells(
    row_members: &[Vec<Member>],
    column_members: &[Vec<Member>],
    destinations: &Classes,
    lookup: &PairLookup<'_>,
    outcomes: &[PairOutcome],
    progress: &dyn Progress,
) -> (Vec<ReachCell>, Vec<CellOutcome>) {
    progress.start(Stage::ReachCells, Some(row_members.len() as u64));
    let per_row: Vec<(Vec<ReachCell>, Vec<CellOutcome>)> = row_members
        .par_iter()
        .map(|rm| {
            let row = row_cells(rm, column_members.iter(), destinations, lookup, outcomes);
            progress.advance(1);
            row
        })
        .collect();
    progress.finish();
    let mut cells = Vec::with_capacity(row_members.len() * column_members.len());
    let mut parts = Vec::new();
    for (row_cells, row_parts) in per_row {
        let base = parts.len() as u32;
        cells.extend(row_cells.into_iter().map(|mut c| {
            c.first += base;
            c
        }));
        parts.extend(row_parts);
    }

    (cells, parts)
}

/// One row's cells in the given columns (each column's members), and their outcomes (each
/// cell's `first` counts from the row's first part).
pub(super) fn row_cells<'m>(
    rm: &[Member],
    column_members: impl ExactSizeIterator<Item = &'m Vec<Member>>,
    destinations: &Classes,
    lookup: &PairLookup<'_>,
    outcomes: &[PairOutcome],
) -> (Vec<ReachCell>, Vec<CellOutcome>) {
    let mut cells = Vec::with_capacity(column_members.len());
    let mut parts: Vec<CellOutcome> = Vec::new();
    for cm in column_members {
        let first = parts.len();
        for r in rm {
            for c in cm {
                let outcome = lookup.outcome_of(r.class, c.class);
                let weight = r.size * c.size;
                match parts[first..].iter_mut().find(|m| m.outcome == outcome) {
                    Some(m) => m.address_pairs += weight,
                    None => parts.push(CellOutcome {
                        outcome,
                        sample_source: r.rep,
                        // The pair actually traced: a class paired with itself
                        // stands for two of its hosts where it has two.
                        sample_destination: match destinations.alts[c.class as usize] {
                            Some(alt) if c.rep == r.rep => alt,
                            _ => c.rep,
                        },
                        address_pairs: weight,
                    }),
                }
            }
        }
        cells.push(cell_of(&mut parts[first..], outcomes, first as u32));
    }
    (cells, parts)
}

/// Orders a cell's outcomes (largest first) and sums them up.
fn cell_of(parts: &mut [CellOutcome], outcomes: &[PairOutcome], first: u32) -> ReachCell {
    let reach = |p: &CellOutcome| outcomes[p.outcome as usize].reach;
    let code = |p: &CellOutcome| outcomes[p.outcome as usize].code;
    parts.sort_by(|a, b| b.address_pairs.cmp(&a.address_pairs).then(reach(a).cmp(&reach(b))));
    let len = parts.len() as u32;
    match &*parts {
        [] => ReachCell {
            reach: Reachability::Dropped,
            code: Some(crate::finding::FindingCode::NoHostAtDestination.as_str()),
            first,
            len,
        },
        [first_part, rest @ ..] => {
            let same_reach = rest.iter().all(|m| reach(m) == reach(first_part));
            let same_code = rest.iter().all(|m| code(m) == code(first_part));
            ReachCell {
                reach: if same_reach { reach(first_part) } else { Reachability::Mixed },
                code: if same_code { code(first_part) } else { None },
                first,
                len,
            }
        }
    }
}
