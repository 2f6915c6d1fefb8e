//! `azroute reach` output: one record per (source subnet, destination) cell of the
//! reachability matrix, with the reason code of every drop and the NVAs passed; as a table, JSON
//! or CSV, plus a summary by reachability.
//!
//! A matrix of a thousand subnets has a million cells, so records are written straight to the
//! output from borrowed labels computed once per row, column and distinct outcome.

use std::collections::BTreeMap;
use std::io::{self, Write};

use azroute_engine::*;
use azroute_model::{GatewayIdx, LocalGatewayIdx, Snapshot, SubnetIdx};
use serde::Serialize;
use serde::ser::SerializeSeq;

/// One destination column.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ColumnView {
    /// `Subnet`, `OnPremises`, `Branch` or `Internet`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `vnet/subnet`, `SITE PREFIX` for an on-premises prefix of a local network gateway (else
    /// the prefix) and for a Virtual WAN branch, or `Internet`.
    pub name: String,
    /// The subnet's resource id, the ids of the gateways that program the prefix (then its
    /// local network gateways), or a branch's connection (and VPN site).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
    /// The address that stands for the Internet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// A branch's or on-premises column's prefix, site (or ExpressRoute connection) name and,
    /// for a branch, its kind (`Vpn`, `ExpressRoute`).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub branch: Option<BranchView>,
}

/// What a Virtual WAN branch column adds (§20.9), and an on-premises column whose site is
/// known (its local network gateways; no `branchType`).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BranchView {
    pub prefix: String,
    pub site: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch_type: Option<&'static str>,
}

impl BranchView {
    /// An on-premises column's label (`SITE PREFIX`, as a branch's, or the prefix alone when no
    /// local network gateway owns it), ids (the gateways programming it, then the sites) and
    /// what it adds.
    pub fn on_premises(
        snap: &Snapshot,
        prefix: &ipnet::IpNet,
        gateways: &[GatewayIdx],
        sites: &[LocalGatewayIdx],
    ) -> (String, Vec<String>, Option<BranchView>) {
        let ids = gateways
            .iter()
            .map(|g| snap.gateways[g.index()].id.to_string())
            .chain(sites.iter().map(|l| snap.local_gateways[l.index()].id.to_string()))
            .collect();
        let view = on_premises_site(snap, sites).map(|site| BranchView {
            prefix: prefix.to_string(),
            site,
            branch_type: None,
        });
        (on_premises_label(snap, prefix, sites), ids, view)
    }

    /// A branch column's label, ids and what it adds.
    pub fn of(b: &BranchColumn) -> (String, Vec<String>, BranchView) {
        let ids = std::iter::once(b.connection.to_string()).chain(b.site.iter().map(|s| s.to_string())).collect();
        let view =
            BranchView { prefix: b.prefix.to_string(), site: b.name.clone(), branch_type: Some(b.kind.as_str()) };
        (b.label(), ids, view)
    }
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RowView {
    pub name: String,
    pub id: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StatsView {
    pub cells: usize,
    pub atoms: usize,
    pub source_classes: usize,
    pub destination_classes: usize,
    pub traces: usize,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ErrorView {
    pub subnet: String,
    pub message: String,
}

impl ErrorView {
    /// The subnets a matrix could not compute, each with its error and hint (subnet and VNet
    /// matrices alike).
    pub fn list(snap: &Snapshot, errors: &[(SubnetIdx, RouteError)]) -> Vec<ErrorView> {
        errors
            .iter()
            .map(|(s, e)| ErrorView { subnet: snap.subnet_label(*s), message: format!("{e}; {}", e.hint()) })
            .collect()
    }
}

/// Labels of one distinct outcome.
struct OutcomeLabels {
    reachability: &'static str,
    verdict: &'static str,
    code: Option<&'static str>,
    failed_direction: Option<&'static str>,
    via: Vec<String>,
    codes: Vec<&'static str>,
}

/// One outcome of a Mixed cell.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OutcomeView<'a> {
    reachability: &'static str,
    verdict: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failed_direction: Option<&'static str>,
    via: &'a [String],
    codes: &'a [&'static str],
    sample_source: String,
    sample_destination: String,
    /// Source × destination address pairs with this outcome.
    address_pairs: String,
}

/// One cell.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CellView<'a> {
    source: &'a str,
    destination: &'a str,
    destination_type: &'static str,
    reachability: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'static str>,
    /// How the request of the main outcome ended (the trace verdict).
    verdict: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    failed_direction: Option<&'static str>,
    /// NVAs the request passes, in order (NIC names).
    via: &'a [String],
    /// Every finding code of the main outcome's trace, warnings included.
    codes: &'a [&'static str],
    /// `azroute trace --assume-host --from SAMPLESOURCE --to SAMPLEDESTINATION` shows each hop
    /// and the fix.
    sample_source: String,
    sample_destination: String,
    /// Present when addresses of the cell fare differently (`Mixed`, or one reachability
    /// with several codes), largest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    outcomes: Vec<OutcomeView<'a>>,
}

/// What receives one row of a matrix: its index, its cells, and the outcomes the cells point
/// into (the row's own when rows are streamed, the matrix's otherwise).
pub type RowFn<'f> = dyn FnMut(usize, &[ReachCell], &[CellOutcome]) -> io::Result<()> + 'f;

/// Makes a matrix's rows in order and hands each to the function it is given (the query layer
/// wraps `ReachStream::for_each_row` in one); called once per pass.
pub type ReachRows<'r> = &'r dyn Fn(&mut RowFn<'_>) -> io::Result<()>;

/// The labels of a computed matrix, and the writers of each format.
pub struct ReachReport<'a> {
    matrix: &'a ReachMatrix,
    rows: Vec<RowView>,
    columns: Vec<ColumnView>,
    outcomes: Vec<OutcomeLabels>,
    problems_only: bool,
    protocol: &'static str,
    destination_port: u16,
    nsgs_evaluated: bool,
    /// Cells per reachability value (all cells, also when only problems are listed).
    summary: BTreeMap<&'static str, usize>,
    errors: Vec<ErrorView>,
}

fn column_view(snap: &Snapshot, column: &Column) -> ColumnView {
    match column {
        Column::Subnet(s) => ColumnView {
            kind: "Subnet",
            name: snap.subnet_label(*s),
            ids: vec![snap.subnets[s.index()].id.to_string()],
            address: None,
            branch: None,
        },
        Column::OnPremises { prefix, gateways, sites } => {
            let (name, ids, branch) = BranchView::on_premises(snap, prefix, gateways, sites);
            ColumnView { kind: "OnPremises", name, ids, address: None, branch }
        }
        Column::Branch(b) => {
            let (name, ids, view) = BranchView::of(b);
            ColumnView { kind: "Branch", name, ids, address: None, branch: Some(view) }
        }
        Column::Internet(ip) => ColumnView {
            kind: "Internet",
            name: "Internet".into(),
            ids: Vec::new(),
            address: Some(ip.to_string()),
            branch: None,
        },
    }
}

impl<'a> ReachReport<'a> {
    /// Labels a matrix; `problems_only` keeps the cells whose connections do not all succeed.
    pub fn new(snap: &Snapshot, matrix: &'a ReachMatrix, query: &ReachQuery, problems_only: bool) -> ReachReport<'a> {
        let mut summary: BTreeMap<&'static str, usize> = BTreeMap::new();
        for c in &matrix.cells {
            *summary.entry(c.reach.as_str()).or_default() += 1;
        }
        ReachReport {
            matrix,
            rows: matrix
                .rows
                .iter()
                .map(|s| RowView { name: snap.subnet_label(*s), id: snap.subnets[s.index()].id.to_string() })
                .collect(),
            columns: matrix.columns.iter().map(|c| column_view(snap, c)).collect(),
            outcomes: matrix
                .outcomes
                .iter()
                .map(|o| OutcomeLabels {
                    reachability: o.reach.as_str(),
                    verdict: o.verdict.as_str(),
                    code: o.code,
                    failed_direction: o.failed.map(|d| d.as_str()),
                    via: o.via_names(snap),
                    codes: o.codes.clone(),
                })
                .collect(),
            problems_only,
            protocol: query.protocol.as_str(),
            destination_port: query.destination_port,
            nsgs_evaluated: query.evaluate_nsgs,
            summary,
            errors: ErrorView::list(snap, &matrix.errors),
        }
    }

    /// Cells to print, with their row and column.
    fn listed(&self) -> impl Iterator<Item = (usize, usize, &'a ReachCell)> + '_ {
        let width = self.columns.len();
        self.matrix
            .cells
            .iter()
            .enumerate()
            .filter(move |(_, c)| !self.problems_only || !c.reach.connects())
            .map(move |(i, c)| (i / width, i % width, c))
    }

    fn cell_view(&self, row: usize, column: usize, cell: &ReachCell) -> CellView<'_> {
        self.cell_view_in(row, column, cell, &self.matrix.parts)
    }

    fn cell_view_in(&self, row: usize, column: usize, cell: &ReachCell, parts: &[CellOutcome]) -> CellView<'_> {
        let parts = cell.outcomes_in(parts);
        let main = &parts[0];
        let labels = &self.outcomes[main.outcome as usize];
        let outcomes = if parts.len() > 1 {
            parts
                .iter()
                .map(|p| {
                    let l = &self.outcomes[p.outcome as usize];
                    OutcomeView {
                        reachability: l.reachability,
                        verdict: l.verdict,
                        code: l.code,
                        failed_direction: l.failed_direction,
                        via: &l.via,
                        codes: &l.codes,
                        sample_source: p.sample_source.to_string(),
                        sample_destination: p.sample_destination.to_string(),
                        address_pairs: p.address_pairs.to_string(),
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        CellView {
            source: &self.rows[row].name,
            destination: &self.columns[column].name,
            destination_type: self.columns[column].kind,
            reachability: cell.reach.as_str(),
            code: cell.code,
            verdict: labels.verdict,
            failed_direction: labels.failed_direction,
            via: &labels.via,
            codes: &labels.codes,
            sample_source: main.sample_source.to_string(),
            sample_destination: main.sample_destination.to_string(),
            outcomes,
        }
    }

    /// The sample pair worth tracing: the first outcome that does not connect, else the main.
    fn sample(&self, cell: &ReachCell) -> &CellOutcome {
        self.sample_in(cell, &self.matrix.parts)
    }

    /// As [`ReachReport::sample`], the cell's outcomes in `parts`.
    fn sample_in<'p>(&self, cell: &ReachCell, parts: &'p [CellOutcome]) -> &'p CellOutcome {
        let parts = cell.outcomes_in(parts);
        parts.iter().find(|p| !self.matrix.outcome(p).reach.connects()).unwrap_or(&parts[0])
    }

    /// The codes a table or CSV row shows: the cell's, or every distinct one of a Mixed cell.
    fn code_text_in(&self, cell: &ReachCell, parts: &[CellOutcome]) -> String {
        if let Some(code) = cell.code {
            return code.to_string();
        }
        let mut codes: Vec<&str> = cell.outcomes_in(parts).iter().filter_map(|p| self.matrix.outcome(p).code).collect();
        codes.sort_unstable();
        codes.dedup();
        codes.join(",")
    }

    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        self.write_json_rows(out, &|row| self.matrix_rows(row))
    }

    /// Hands each row of the computed matrix to `row`, as [`ReachRows`] does for a stream.
    fn matrix_rows(&self, row: &mut RowFn<'_>) -> io::Result<()> {
        let width = self.columns.len();
        if width == 0 {
            return Ok(());
        }
        for (r, cells) in self.matrix.cells.chunks(width).enumerate() {
            row(r, cells, &self.matrix.parts)?;
        }
        Ok(())
    }

    /// Counts the cells per reachability from rows made one by one (a streamed matrix, whose
    /// head has no cells): the summary the JSON and the table print before the rows.
    pub fn count_summary(&mut self, rows: ReachRows<'_>) -> io::Result<()> {
        let mut summary: BTreeMap<&'static str, usize> = BTreeMap::new();
        rows(&mut |_, cells, _| {
            for c in cells {
                *summary.entry(c.reach.as_str()).or_default() += 1;
            }
            Ok(())
        })?;
        self.summary = summary;
        Ok(())
    }

    /// `-o json` from rows made one by one (the summary counted first, by
    /// [`ReachReport::count_summary`]): the same bytes as [`ReachReport::write_json`].
    pub fn write_json_rows(&self, out: &mut dyn Write, rows: ReachRows<'_>) -> io::Result<()> {
        struct Cells<'r, 'a> {
            report: &'r ReachReport<'a>,
            rows: ReachRows<'r>,
        }
        impl Serialize for Cells<'_, '_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut seq = s.serialize_seq(None)?;
                let mut failed: Option<S::Error> = None;
                let report = self.report;
                let walked = (self.rows)(&mut |r, cells, parts| {
                    for (c, cell) in cells.iter().enumerate() {
                        if report.problems_only && cell.reach.connects() {
                            continue;
                        }
                        if let Err(e) = seq.serialize_element(&report.cell_view_in(r, c, cell, parts)) {
                            failed = Some(e);
                            return Err(io::Error::other("serializing a cell failed"));
                        }
                    }
                    Ok(())
                });
                if let Some(e) = failed {
                    return Err(e);
                }
                walked.map_err(serde::ser::Error::custom)?;
                seq.end()
            }
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Whole<'r, 'a> {
            protocol: &'static str,
            destination_port: u16,
            nsgs_evaluated: bool,
            summary: &'r BTreeMap<&'static str, usize>,
            rows: &'r [RowView],
            columns: &'r [ColumnView],
            cells: Cells<'r, 'a>,
            stats: StatsView,
            errors: &'r [ErrorView],
            assumptions: &'r [String],
        }
        let s = &self.matrix.stats;
        let whole = Whole {
            protocol: self.protocol,
            destination_port: self.destination_port,
            nsgs_evaluated: self.nsgs_evaluated,
            summary: &self.summary,
            rows: &self.rows,
            columns: &self.columns,
            cells: Cells { report: self, rows },
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
        let mut w = self.csv_header(out)?;
        for (r, c, cell) in self.listed() {
            self.csv_record(&mut w, r, c, cell, &self.matrix.parts)?;
        }
        w.flush()
    }

    /// The CSV writer, its header written: rows follow with [`ReachReport::write_csv_row`].
    pub fn csv_header<'w>(&self, out: &'w mut dyn Write) -> io::Result<csv::Writer<&'w mut dyn Write>> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record([
            "Source",
            "Destination",
            "DestinationType",
            "Reachability",
            "Code",
            "FailedDirection",
            "Via",
            "SampleSource",
            "SampleDestination",
        ])?;
        Ok(w)
    }

    /// One streamed row of the matrix (a matrix computed without its cells, rows made one by
    /// one): the same records [`ReachReport::write_csv`] writes for that row.
    pub fn write_csv_row(
        &self,
        w: &mut csv::Writer<&mut dyn Write>,
        row: usize,
        cells: &[ReachCell],
        parts: &[CellOutcome],
    ) -> io::Result<()> {
        for (c, cell) in cells.iter().enumerate() {
            if !self.problems_only || !cell.reach.connects() {
                self.csv_record(w, row, c, cell, parts)?;
            }
        }
        Ok(())
    }

    fn csv_record<W: Write>(
        &self,
        w: &mut csv::Writer<W>,
        r: usize,
        c: usize,
        cell: &ReachCell,
        parts: &[CellOutcome],
    ) -> io::Result<()> {
        let sample = self.sample_in(cell, parts);
        let labels = &self.outcomes[sample.outcome as usize];
        w.write_record([
            self.rows[r].name.as_str(),
            self.columns[c].name.as_str(),
            self.columns[c].kind,
            cell.reach.as_str(),
            &self.code_text_in(cell, parts),
            labels.failed_direction.unwrap_or(""),
            &labels.via.join(" "),
            &sample.sample_source.to_string(),
            &sample.sample_destination.to_string(),
        ])?;
        Ok(())
    }

    /// The az CLI table layout, written row by row (column widths come from the labels).
    pub fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        self.write_text_rows(out, &|row| self.matrix_rows(row))
    }

    /// The code and sample texts of a listed cell's table line.
    fn text_fields(&self, cell: &ReachCell, parts: &[CellOutcome]) -> [String; 2] {
        let s = self.sample_in(cell, parts);
        [self.code_text_in(cell, parts), format!("{} -> {}", s.sample_source, s.sample_destination)]
    }

    /// The table from rows made one by one, in two passes (column widths, then the lines; the
    /// summary counted first, by [`ReachReport::count_summary`]): the same text as
    /// [`ReachReport::write_text`].
    pub fn write_text_rows(&self, out: &mut dyn Write, rows: ReachRows<'_>) -> io::Result<()> {
        let headers = ["Source", "Destination", "Reachability", "Code", "Via", "Sample"];
        let via_texts: Vec<String> = self.outcomes.iter().map(|o| o.via.join(" -> ")).collect();
        let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
        rows(&mut |r, cells, parts| {
            for (c, cell) in cells.iter().enumerate() {
                if self.problems_only && cell.reach.connects() {
                    continue;
                }
                let [code, sample] = self.text_fields(cell, parts);
                let via = &via_texts[self.sample_in(cell, parts).outcome as usize];
                for (w, text) in widths.iter_mut().zip([
                    self.rows[r].name.as_str(),
                    self.columns[c].name.as_str(),
                    cell.reach.as_str(),
                    code.as_str(),
                    via.as_str(),
                    sample.as_str(),
                ]) {
                    *w = (*w).max(text.chars().count());
                }
            }
            Ok(())
        })?;
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
        rows(&mut |r, cells, parts| {
            for (c, cell) in cells.iter().enumerate() {
                if self.problems_only && cell.reach.connects() {
                    continue;
                }
                let [code, sample] = self.text_fields(cell, parts);
                let via = &via_texts[self.sample_in(cell, parts).outcome as usize];
                line([&self.rows[r].name, &self.columns[c].name, cell.reach.as_str(), &code, via, &sample], &mut *out)?;
            }
            Ok(())
        })?;
        self.write_text_footer(out)
    }

    /// The table's summary lines.
    fn write_text_footer(&self, out: &mut dyn Write) -> io::Result<()> {
        let summary: Vec<String> = self.summary.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let s = &self.matrix.stats;
        writeln!(
            out,
            "\n{} cells ({}/{}{}): {}",
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
        if self.summary.keys().any(|k| *k != "Delivered" && *k != "DeliveredThroughNva") {
            writeln!(
                out,
                "Run `azroute trace --assume-host --from SAMPLE-SOURCE --to SAMPLE-DESTINATION` to see each hop and the fix."
            )?;
        }
        Ok(())
    }
}

/// One label of the page's grid: what a cell shows (its reachability, code and the NVAs its
/// main outcome passes).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GridLabelView<'a> {
    reachability: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'static str>,
    verdict: &'static str,
    via: &'a [String],
}

impl ReachReport<'_> {
    /// The web page's grid (`GET /api/reach-grid`): the rows, columns, summary, errors and
    /// assumptions of the JSON, then `labels` (the distinct things a cell shows) and `cells`,
    /// row by row, each the index of its label. A million cells take a few megabytes, where
    /// the full JSON would take hundreds; a cell's record is asked for on its own
    /// ([`ReachReport::cell_json`]).
    pub fn write_grid_json(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut keys: Vec<(&'static str, Option<&'static str>, u32)> = Vec::new();
        let mut index: std::collections::HashMap<(&'static str, Option<&'static str>, u32), u32> =
            std::collections::HashMap::new();
        let cells: Vec<u32> = self
            .matrix
            .cells
            .iter()
            .map(|cell| {
                let key = (cell.reach.as_str(), cell.code, self.matrix.cell_outcomes(cell)[0].outcome);
                *index.entry(key).or_insert_with(|| {
                    keys.push(key);
                    keys.len() as u32 - 1
                })
            })
            .collect();
        let labels: Vec<GridLabelView<'_>> = keys
            .iter()
            .map(|&(reachability, code, outcome)| {
                let l = &self.outcomes[outcome as usize];
                GridLabelView { reachability, code, verdict: l.verdict, via: &l.via }
            })
            .collect();
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Grid<'r> {
            protocol: &'static str,
            destination_port: u16,
            nsgs_evaluated: bool,
            summary: &'r BTreeMap<&'static str, usize>,
            rows: &'r [RowView],
            columns: &'r [ColumnView],
            labels: Vec<GridLabelView<'r>>,
            cells: Vec<u32>,
            errors: &'r [ErrorView],
            assumptions: &'r [String],
        }
        let grid = Grid {
            protocol: self.protocol,
            destination_port: self.destination_port,
            nsgs_evaluated: self.nsgs_evaluated,
            summary: &self.summary,
            rows: &self.rows,
            columns: &self.columns,
            labels,
            cells,
            errors: &self.errors,
            assumptions: &self.matrix.assumptions,
        };
        serde_json::to_writer(&mut *out, &grid).map_err(io::Error::other)?;
        out.write_all(b"\n")
    }

    /// One cell's record exactly as `cells[]` of the JSON holds it, or `None` outside the
    /// matrix.
    pub fn cell_json(&self, row: usize, column: usize) -> Option<String> {
        if row >= self.rows.len() || column >= self.columns.len() {
            return None;
        }
        let cell = self.matrix.cell(row, column);
        Some(serde_json::to_string_pretty(&self.cell_view(row, column, cell)).expect("views serialize"))
    }

    /// The addresses worth tracing to explain a cell (the first outcome that does not
    /// connect, else the main one), or `None` outside the matrix.
    pub fn trace_pair(&self, row: usize, column: usize) -> Option<(std::net::IpAddr, std::net::IpAddr)> {
        if row >= self.rows.len() || column >= self.columns.len() {
            return None;
        }
        let sample = self.sample(self.matrix.cell(row, column));
        Some((sample.sample_source, sample.sample_destination))
    }

    /// Rows times columns.
    pub fn cell_count(&self) -> usize {
        self.matrix.cells.len()
    }
}
