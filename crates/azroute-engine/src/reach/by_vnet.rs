//! The matrix by VNet: each (source VNet, destination VNet) cell summarises the subnet cells it
//! holds — how many of each reachability, how many per code, and the worst outcome any address
//! pair meets. It is computed from the same classes and traced pairs as the subnet matrix, one
//! row of subnet cells at a time and folded at once, so memory is bounded by the classes and
//! the VNet cells, never by the subnet cells.

use std::collections::BTreeMap;
use std::net::IpAddr;

use azroute_model::*;
use ipnet::IpNet;
use rayon::prelude::*;

use super::{Column, PairOutcome, ReachCell, ReachQuery, ReachStats, Reachability, cells, trace_classes};
use crate::progress::{Progress, Stage};
use crate::{RouteEngine, RouteError};

/// A column of the VNet matrix: the subnet columns of one VNet, or an on-premises or Internet
/// column as the subnet matrix has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VnetColumn {
    Vnet(VnetIdx),
    OnPremises { prefix: IpNet, gateways: Vec<GatewayIdx>, sites: Vec<LocalGatewayIdx> },
    Branch(super::BranchColumn),
    Internet(IpAddr),
}

/// The summary of the subnet cells of one (source VNet, destination) pair. A whole-estate VNet
/// matrix holds millions of these (4.1 M at 100k NICs), so the counts are fixed arrays and a
/// short sorted vector rather than maps (issue 18: about 600 bytes a cell with two `BTreeMap`s).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VnetCell {
    /// Subnet cells summarised (source subnets × destination subnets or columns).
    pub subnet_cells: u64,
    /// Subnet cells per reachability, indexed by `Reachability as usize` (see
    /// [`Reachability::ALL`]); read them with [`VnetCell::reachabilities`].
    pub by_reachability: [u64; Reachability::ALL.len()],
    /// Subnet cells per code, for cells with one code (a drop's or an asymmetry's), sorted by
    /// code, each code once, no zero count.
    pub by_code: Vec<(&'static str, u64)>,
    /// The worst outcome of any address pair of the cell (`None` for an empty cell): Dropped,
    /// then Indeterminate (a firewall the snapshot cannot decide), Asymmetric, DeliveredThroughNva,
    /// Delivered.
    pub worst: Option<Reachability>,
}

/// How bad an outcome is, for `worst` (a pair outcome is never `Mixed`).
fn badness(reach: Reachability) -> u8 {
    match reach {
        Reachability::Delivered => 0,
        Reachability::DeliveredThroughNva => 1,
        Reachability::Asymmetric => 2,
        Reachability::Indeterminate => 3,
        Reachability::Mixed => 4,
        Reachability::Dropped => 5,
    }
}

impl VnetCell {
    /// The reachabilities some subnet cell has, with their counts, in `Reachability`'s order.
    pub fn reachabilities(&self) -> impl Iterator<Item = (Reachability, u64)> + '_ {
        Reachability::ALL.iter().zip(&self.by_reachability).filter(|(_, n)| **n > 0).map(|(r, n)| (*r, *n))
    }

    /// How many subnet cells have `reach`.
    pub fn count(&self, reach: Reachability) -> u64 {
        self.by_reachability[reach as usize]
    }

    fn add(&mut self, cell: &ReachCell, worst_pair: Option<Reachability>) {
        self.subnet_cells += 1;
        self.by_reachability[cell.reach as usize] += 1;
        if let Some(code) = cell.code {
            match self.by_code.binary_search_by(|(c, _)| c.cmp(&code)) {
                Ok(i) => self.by_code[i].1 += 1,
                Err(i) => self.by_code.insert(i, (code, 1)),
            }
        }
        self.worst = match (self.worst, worst_pair) {
            (Some(a), Some(b)) => Some(if badness(b) > badness(a) { b } else { a }),
            (a, b) => a.or(b),
        };
    }
}

/// The VNet × VNet matrix, row-major.
#[derive(Clone, Debug)]
pub struct VnetReachMatrix {
    /// Source VNets, in snapshot order.
    pub rows: Vec<VnetIdx>,
    pub columns: Vec<VnetColumn>,
    pub cells: Vec<VnetCell>,
    /// Distinct pair outcomes (their codes and NVAs), as the subnet matrix's.
    pub outcomes: Vec<PairOutcome>,
    /// `cells` counts the subnet cells summarised.
    pub stats: ReachStats,
    pub errors: Vec<(SubnetIdx, RouteError)>,
    pub assumptions: Vec<String>,
}

impl VnetReachMatrix {
    pub fn cell(&self, row: usize, column: usize) -> &VnetCell {
        &self.cells[row * self.columns.len() + column]
    }
}

/// Computes the VNet × VNet matrix of `query`'s subnets.
pub fn reach_by_vnet(engine: &RouteEngine<'_>, query: &ReachQuery, progress: &dyn Progress) -> VnetReachMatrix {
    let snap = engine.snap();
    let t = trace_classes(engine, query, None, progress);
    let c = &t.classes;
    let (columns, column_group) = vnet_columns(snap, &c.columns);
    let row_groups = rows_by_vnet(snap, &c.rows.subnets);
    let lookup = t.lookup();
    let outcomes = &t.traced.outcomes;
    progress.start(Stage::ReachCells, Some(c.rows.subnets.len() as u64));
    let cells: Vec<VnetCell> = row_groups
        .par_iter()
        .flat_map_iter(|(_, rows)| {
            let mut summary = vec![VnetCell::default(); columns.len()];
            for &row in rows {
                let (row_cells, parts) =
                    cells::row_cells(&c.rows.members[row], c.column_members.iter(), &c.destinations, &lookup, outcomes);
                for (column, cell) in row_cells.iter().enumerate() {
                    let cell_parts = &parts[cell.first as usize..(cell.first + cell.len) as usize];
                    let worst =
                        cell_parts.iter().map(|p| outcomes[p.outcome as usize].reach).max_by_key(|r| badness(*r));
                    summary[column_group[column]].add(cell, worst);
                }
                progress.advance(1);
            }
            for cell in &mut summary {
                cell.by_code.shrink_to_fit();
            }
            summary
        })
        .collect();
    progress.finish();
    let subnet_cells = c.rows.subnets.len() * c.columns.len();
    let stats = t.stats(subnet_cells);
    VnetReachMatrix {
        rows: row_groups.iter().map(|(v, _)| *v).collect(),
        columns,
        cells,
        outcomes: t.traced.outcomes,
        stats,
        errors: t.classes.rows.errors,
        assumptions: super::assumptions(snap, engine.options(), query),
    }
}

/// The VNet matrix's columns (each VNet of the subnet columns in snapshot order, then the
/// on-premises and Internet columns as they were), and each subnet-matrix column's group.
fn vnet_columns(snap: &Snapshot, columns: &[Column]) -> (Vec<VnetColumn>, Vec<usize>) {
    let mut vnets: Vec<VnetIdx> = columns
        .iter()
        .filter_map(|c| if let Column::Subnet(s) = c { Some(snap.subnets[s.index()].vnet) } else { None })
        .collect();
    vnets.sort_unstable();
    vnets.dedup();
    let mut out: Vec<VnetColumn> = vnets.iter().map(|v| VnetColumn::Vnet(*v)).collect();
    let group = columns
        .iter()
        .map(|c| match c {
            Column::Subnet(s) => vnets.binary_search(&snap.subnets[s.index()].vnet).expect("listed above"),
            Column::OnPremises { prefix, gateways, sites } => {
                out.push(VnetColumn::OnPremises { prefix: *prefix, gateways: gateways.clone(), sites: sites.clone() });
                out.len() - 1
            }
            Column::Branch(b) => {
                out.push(VnetColumn::Branch(b.clone()));
                out.len() - 1
            }
            Column::Internet(ip) => {
                out.push(VnetColumn::Internet(*ip));
                out.len() - 1
            }
        })
        .collect();
    (out, group)
}

/// The matrix's rows grouped by VNet, in snapshot order: each VNet with its rows' indices.
fn rows_by_vnet(snap: &Snapshot, rows: &[SubnetIdx]) -> Vec<(VnetIdx, Vec<usize>)> {
    let mut groups: BTreeMap<VnetIdx, Vec<usize>> = BTreeMap::new();
    for (i, s) in rows.iter().enumerate() {
        groups.entry(snap.subnets[s.index()].vnet).or_default().push(i);
    }
    groups.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_reachabilities_are_indexed_by_their_discriminant() {
        for (i, r) in Reachability::ALL.iter().enumerate() {
            assert_eq!(*r as usize, i, "{r:?}");
        }
        let mut sorted = Reachability::ALL;
        sorted.sort();
        assert_eq!(sorted, Reachability::ALL, "in Ord order, so counts read as the old map's order");
    }

    #[test]
    fn codes_stay_sorted_and_counted() {
        let mut v = VnetCell::default();
        for (reach, code) in [
            (Reachability::Dropped, Some("NsgDenied")),
            (Reachability::Delivered, None),
            (Reachability::Dropped, Some("BlackholeRoute")),
            (Reachability::Dropped, Some("NsgDenied")),
            (Reachability::Asymmetric, Some("AsymmetricRouting")),
        ] {
            let cell = ReachCell { reach, code, first: 0, len: 0 };
            v.add(&cell, Some(reach));
        }
        assert_eq!(v.subnet_cells, 5);
        assert_eq!(v.by_code, vec![("AsymmetricRouting", 1), ("BlackholeRoute", 1), ("NsgDenied", 2)]);
        assert_eq!(
            v.reachabilities().collect::<Vec<_>>(),
            vec![(Reachability::Delivered, 1), (Reachability::Asymmetric, 1), (Reachability::Dropped, 3)]
        );
        assert_eq!(v.count(Reachability::Mixed), 0);
        assert_eq!(v.worst, Some(Reachability::Dropped));
    }
}
