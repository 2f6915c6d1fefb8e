//! `azroute reach --by vnet` output: one record per (source VNet, destination) cell, each
//! summarising the subnet cells it holds (how many of each reachability, how many per code, the
//! worst outcome); as a table, JSON or CSV, plus a summary by worst outcome.

use std::collections::BTreeMap;
use std::io::{self, Write};

use azroute_engine::*;
use azroute_model::Snapshot;
use serde::Serialize;

use crate::reach::{BranchView, ErrorView, RowView, StatsView};

/// One destination column: a VNet, an on-premises prefix or the Internet.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct VnetColumnView {
    /// `VirtualNetwork`, `OnPremises`, `Branch` or `Internet`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The VNet's name, the on-premises prefix, `SITE PREFIX` for a Virtual WAN branch, or
    /// `Internet`.
    pub name: String,
    /// The VNet's id, the ids of the gateways that program the prefix, or a branch's
    /// connection (and VPN site).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub branch: Option<BranchView>,
}

/// One VNet cell.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VnetCellView<'a> {
    source: &'a str,
    destination: &'a str,
    destination_type: &'static str,
    /// Subnet cells summarised.
    subnet_cells: u64,
    /// The worst outcome any address pair of the cell meets.
    #[serde(skip_serializing_if = "Option::is_none")]
    worst: Option<&'static str>,
    /// Subnet cells per reachability.
    reachability: BTreeMap<&'static str, u64>,
    /// Subnet cells per code (a drop's or an asymmetry's).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    codes: BTreeMap<&'static str, u64>,
}

/// The labels of a computed VNet matrix, and the writers of each format.
pub struct VnetReachReport<'a> {
    matrix: &'a VnetReachMatrix,
    rows: Vec<RowView>,
    columns: Vec<VnetColumnView>,
    problems_only: bool,
    protocol: &'static str,
    destination_port: u16,
    nsgs_evaluated: bool,
    /// VNet cells per worst outcome (all cells, also when only problems are listed).
    summary: BTreeMap<&'static str, usize>,
    errors: Vec<ErrorView>,
}

fn column_view(snap: &Snapshot, column: &VnetColumn) -> VnetColumnView {
    match column {
        VnetColumn::Vnet(v) => VnetColumnView {
            kind: "VirtualNetwork",
            name: snap.vnets[v.index()].name.clone(),
            ids: vec![snap.vnets[v.index()].id.to_string()],
            address: None,
            branch: None,
        },
        VnetColumn::OnPremises { prefix, gateways, sites } => {
            let (name, ids, branch) = BranchView::on_premises(snap, prefix, gateways, sites);
            VnetColumnView { kind: "OnPremises", name, ids, address: None, branch }
        }
        VnetColumn::Branch(b) => {
            let (name, ids, view) = BranchView::of(b);
            VnetColumnView { kind: "Branch", name, ids, address: None, branch: Some(view) }
        }
        VnetColumn::Internet(ip) => VnetColumnView {
            kind: "Internet",
            name: "Internet".into(),
            ids: Vec::new(),
            address: Some(ip.to_string()),
            branch: None,
        },
    }
}

fn worst_text(cell: &VnetCell) -> &'static str {
    cell.worst.map(Reachability::as_str).unwrap_or("Empty")
}

impl<'a> VnetReachReport<'a> {
    /// Labels a VNet matrix; `problems_only` keeps the cells where some connection fails.
    pub fn new(
        snap: &Snapshot,
        matrix: &'a VnetReachMatrix,
        query: &ReachQuery,
        problems_only: bool,
    ) -> VnetReachReport<'a> {
        let mut summary: BTreeMap<&'static str, usize> = BTreeMap::new();
        for c in &matrix.cells {
            *summary.entry(worst_text(c)).or_default() += 1;
        }
        VnetReachReport {
            matrix,
            rows: matrix
                .rows
                .iter()
                .map(|v| RowView { name: snap.vnets[v.index()].name.clone(), id: snap.vnets[v.index()].id.to_string() })
                .collect(),
            columns: matrix.columns.iter().map(|c| column_view(snap, c)).collect(),
            problems_only,
            protocol: query.protocol.as_str(),
            destination_port: query.destination_port,
            nsgs_evaluated: query.evaluate_nsgs,
            summary,
            errors: ErrorView::list(snap, &matrix.errors),
        }
    }

    /// Cells to print, with their row and column.
    fn listed(&self) -> impl Iterator<Item = (usize, usize, &'a VnetCell)> + '_ {
        let width = self.columns.len();
        self.matrix
            .cells
            .iter()
            .enumerate()
            .filter(move |(_, c)| !self.problems_only || c.worst.is_some_and(|w| !w.connects()))
            .map(move |(i, c)| (i / width, i % width, c))
    }

    fn cell_view(&self, row: usize, column: usize, cell: &'a VnetCell) -> VnetCellView<'_> {
        VnetCellView {
            source: &self.rows[row].name,
            destination: &self.columns[column].name,
            destination_type: self.columns[column].kind,
            subnet_cells: cell.subnet_cells,
            worst: cell.worst.map(Reachability::as_str),
            reachability: cell.reachabilities().map(|(k, v)| (k.as_str(), v)).collect(),
            codes: cell.by_code.iter().copied().collect(),
        }
    }

    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Whole<'r, 'a> {
            protocol: &'static str,
            destination_port: u16,
            nsgs_evaluated: bool,
            by: &'static str,
            summary: &'r BTreeMap<&'static str, usize>,
            rows: &'r [RowView],
            columns: &'r [VnetColumnView],
            cells: CellsView<'r, 'a>,
            stats: StatsView,
            errors: &'r [ErrorView],
            assumptions: &'r [String],
        }
        let s = &self.matrix.stats;
        let whole = Whole {
            protocol: self.protocol,
            destination_port: self.destination_port,
            nsgs_evaluated: self.nsgs_evaluated,
            by: "vnet",
            summary: &self.summary,
            rows: &self.rows,
            columns: &self.columns,
            cells: CellsView(self),
            stats: StatsView {
                cells: s.cells,
                atoms: s.atoms,
                source_classes: s.source_classes,
                destination_classes: s.destination_classes,
                traces: s.traces,
            },
            errors: &self.errors,
            assumptions: &self.matrix.assumptions,
        };
        serde_json::to_writer_pretty(&mut *out, &whole).map_err(io::Error::other)?;
        out.write_all(b"\n")
    }

    pub fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        const REACH: [Reachability; 5] = [
            Reachability::Delivered,
            Reachability::DeliveredThroughNva,
            Reachability::Asymmetric,
            Reachability::Dropped,
            Reachability::Mixed,
        ];
        let mut w = csv::Writer::from_writer(out);
        let mut header = vec!["Source", "Destination", "DestinationType", "SubnetCells", "Worst"];
        header.extend(REACH.iter().map(|r| r.as_str()));
        header.push("Codes");
        w.write_record(&header)?;
        for (r, c, cell) in self.listed() {
            let mut record = vec![
                self.rows[r].name.clone(),
                self.columns[c].name.clone(),
                self.columns[c].kind.to_string(),
                cell.subnet_cells.to_string(),
                worst_text(cell).to_string(),
            ];
            record.extend(REACH.iter().map(|k| cell.count(*k).to_string()));
            record.push(codes_text(cell, "; "));
            w.write_record(&record)?;
        }
        w.flush()
    }

    /// The az CLI table layout.
    pub fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        let headers = ["Source", "Destination", "SubnetCells", "Worst", "Reachability", "Codes"];
        // Two passes over the cells (widths, then lines) rather than every line held: a
        // whole-estate VNet matrix has millions of cells.
        let texts = |(r, c, cell): (usize, usize, &VnetCell)| -> [String; 6] {
            [
                self.rows[r].name.clone(),
                self.columns[c].name.clone(),
                cell.subnet_cells.to_string(),
                worst_text(cell).to_string(),
                cell.reachabilities().map(|(k, v)| format!("{} {v}", k.as_str())).collect::<Vec<_>>().join(", "),
                codes_text(cell, ", "),
            ]
        };
        let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
        for row in self.listed().map(texts) {
            for (w, text) in widths.iter_mut().zip(&row) {
                *w = (*w).max(text.chars().count());
            }
        }
        let line = |cells: [&str; 6], out: &mut dyn Write| -> io::Result<()> {
            let mut text = String::new();
            for (i, cell) in cells.iter().enumerate() {
                if i > 0 {
                    text.push_str("  ");
                }
                text.push_str(&crate::style::paint(cell));
                text.extend(std::iter::repeat_n(' ', widths[i].saturating_sub(cell.chars().count())));
            }
            writeln!(out, "{}", text.trim_end())
        };
        let rules: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        line(headers, out)?;
        line([&rules[0], &rules[1], &rules[2], &rules[3], &rules[4], &rules[5]], out)?;
        for row in self.listed().map(texts) {
            line([&row[0], &row[1], &row[2], &row[3], &row[4], &row[5]], out)?;
        }
        self.write_footer(out)
    }

    fn write_footer(&self, out: &mut dyn Write) -> io::Result<()> {
        let summary: Vec<String> = self.summary.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let s = &self.matrix.stats;
        writeln!(
            out,
            "\n{} VNet cells summarising {} subnet cells ({}/{}{}), by worst outcome: {}",
            self.matrix.cells.len(),
            s.cells,
            self.protocol,
            self.destination_port,
            if self.nsgs_evaluated { "" } else { ", NSGs not evaluated" },
            summary.join(", ")
        )?;
        writeln!(
            out,
            "computed from {} source and {} destination address classes ({} atoms): {} traces",
            s.source_classes, s.destination_classes, s.atoms, s.traces
        )?;
        for e in &self.errors {
            writeln!(out, "error: {}: {}", e.subnet, e.message)?;
        }
        if self.matrix.cells.iter().any(|c| c.worst.is_some_and(|w| !w.connects())) {
            writeln!(out, "Run `azroute reach --from 'VNET/*' --to 'VNET/*'` to see the subnet cells of a VNet pair.")?;
        }
        Ok(())
    }
}

/// The listed cells, serialized one at a time as a JSON array (never all views at once: a
/// whole-estate VNet matrix has millions of cells).
struct CellsView<'r, 'a>(&'r VnetReachReport<'a>);

impl Serialize for CellsView<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        serializer.collect_seq(report.listed().map(|(r, c, cell)| report.cell_view(r, c, cell)))
    }
}

/// `NsgDenied 3, …`: the cell's subnet cells per code.
fn codes_text(cell: &VnetCell, separator: &str) -> String {
    cell.by_code.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(separator)
}
