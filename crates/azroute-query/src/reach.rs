//! `azroute reach` and `GET /api/reach`: the subnet × subnet reachability matrix, with
//! on-premises prefixes and the Internet as extra columns.

use std::io::{self, Write};
use std::net::IpAddr;

use azroute_engine::{
    NoProgress, Progress, ReachMatrix, ReachQuery, VnetReachMatrix, reach_by_vnet, reach_stream, reach_with_progress,
    select_subnets,
};
use azroute_model::{Snapshot, is_private_or_reserved};
use azroute_report::reach::{ReachReport, RowFn};
use azroute_report::reach_vnet::VnetReachReport;

use crate::error::subnet_selection;
use crate::{Ports, Protocol, QueryError, Session, TraceQuery};

/// Which cells a matrix has and the flow it tests, as the reachability options give them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReachScope {
    /// Source subnets (rows): a glob over `vnet/subnet`, the subnet name or id.
    pub from: Option<String>,
    /// Destination subnets (columns), as `from`.
    pub to: Option<String>,
    pub no_on_premises: bool,
    pub no_internet: bool,
    /// The public address that stands for the Internet.
    pub internet_address: IpAddr,
    pub protocol: Protocol,
    pub ports: Ports,
    /// Routing only: do not evaluate NSGs.
    pub no_nsg: bool,
}

impl Default for ReachScope {
    /// What `azroute reach` asks with no option.
    fn default() -> ReachScope {
        ReachScope {
            from: None,
            to: None,
            no_on_premises: false,
            no_internet: false,
            internet_address: IpAddr::V4(azroute_engine::DEFAULT_INTERNET_ADDRESS),
            protocol: Protocol::Tcp,
            ports: Ports::default(),
            no_nsg: false,
        }
    }
}

/// The engine's matrix question for a scope, on one snapshot (`diff` and `what-if` ask it of
/// both sides).
pub fn reach_query(snap: &Snapshot, scope: &ReachScope) -> Result<ReachQuery, QueryError> {
    let (source_port, destination_port) = scope.ports.for_protocol(scope.protocol)?;
    let internet = (!scope.no_internet).then(|| internet_address(scope.internet_address)).transpose()?;
    let select = |glob: Option<&str>, flag: &str| select_subnets(snap, glob).map_err(|e| subnet_selection(flag, e));
    Ok(ReachQuery {
        sources: select(scope.from.as_deref(), "--from")?,
        destinations: select(scope.to.as_deref(), "--to")?,
        on_premises: !scope.no_on_premises,
        internet,
        protocol: scope.protocol,
        source_port,
        destination_port,
        evaluate_nsgs: !scope.no_nsg,
    })
}

/// The Internet column stands for a public address: a private or reserved one would be routed
/// as the VNet or on-premises space it belongs to, not as the Internet.
fn internet_address(ip: IpAddr) -> Result<IpAddr, QueryError> {
    if ip.is_ipv6() {
        return Err(QueryError::invalid(format!("--internet-address {ip}: the reachability matrix is IPv4 only"))
            .hint("give a public IPv4 address, such as the default 203.0.113.10"));
    }
    if is_private_or_reserved(ip) {
        return Err(QueryError::invalid(format!(
            "--internet-address {ip} is a private or reserved address, not one of the Internet"
        ))
        .hint("give a public address, such as the default 203.0.113.10; to test a private range, name its subnet with --to"));
    }
    Ok(ip)
}

/// A checked matrix question, not yet computed: its size can be weighed first.
pub struct ReachPlan {
    query: ReachQuery,
}

impl ReachPlan {
    /// Rows times subnet columns (the on-premises and Internet columns add a few per row).
    pub fn subnet_cells(&self) -> usize {
        self.query.sources.len().saturating_mul(self.query.destinations.len())
    }

    pub fn rows(&self) -> usize {
        self.query.sources.len()
    }
}

/// A computed VNet × VNet matrix, ready to render.
pub struct VnetReachAnswer<'s> {
    snap: &'s Snapshot,
    matrix: VnetReachMatrix,
    query: ReachQuery,
}

impl VnetReachAnswer<'_> {
    /// The labelled matrix; `problems_only` lists only cells where some connection fails.
    pub fn report(&self, problems_only: bool) -> VnetReachReport<'_> {
        VnetReachReport::new(self.snap, &self.matrix, &self.query, problems_only)
    }
}

/// The formats the subnet matrix streams in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamedFormat {
    Table,
    Json,
    Csv,
}

/// A computed matrix, ready to render.
pub struct ReachAnswer<'s> {
    snap: &'s Snapshot,
    matrix: ReachMatrix,
    query: ReachQuery,
}

impl<'s> Session<'s> {
    pub fn reach_plan(&self, scope: &ReachScope) -> Result<ReachPlan, QueryError> {
        Ok(ReachPlan { query: reach_query(self.snapshot(), scope)? })
    }

    pub fn reach(&self, plan: ReachPlan) -> ReachAnswer<'s> {
        self.reach_with_progress(plan, &NoProgress)
    }

    /// As [`Session::reach`], reporting each stage to `progress`.
    pub fn reach_with_progress(&self, plan: ReachPlan, progress: &dyn Progress) -> ReachAnswer<'s> {
        let matrix = reach_with_progress(self.engine(), &plan.query, progress);
        ReachAnswer { snap: self.snapshot(), matrix, query: plan.query }
    }

    /// The subnet matrix written row by row as the rows are made, never holding its cells:
    /// CSV in one pass; JSON and the table after a first pass that counts the summary (and, for
    /// the table, the column widths). The same bytes as [`ReachAnswer::report`]'s writers.
    pub fn reach_streamed(
        &self,
        plan: ReachPlan,
        format: StreamedFormat,
        problems_only: bool,
        progress: &dyn Progress,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let stream = reach_stream(self.engine(), &plan.query, progress);
        let mut report = ReachReport::new(self.snapshot(), stream.head(), &plan.query, problems_only);
        let rows = |row: &mut RowFn<'_>| stream.for_each_row(progress, |r, cells, parts| row(r, cells, parts));
        match format {
            StreamedFormat::Csv => {
                let mut w = report.csv_header(out)?;
                stream.for_each_row(progress, |row, cells, parts| report.write_csv_row(&mut w, row, cells, parts))?;
                w.flush()
            }
            StreamedFormat::Json => {
                report.count_summary(&rows)?;
                report.write_json_rows(out, &rows)
            }
            StreamedFormat::Table => {
                report.count_summary(&rows)?;
                report.write_text_rows(out, &rows)
            }
        }
    }

    /// The VNet × VNet matrix of the plan's subnets (`reach --by vnet`), computed from the same
    /// classes without holding the subnet cells.
    pub fn reach_by_vnet(&self, plan: ReachPlan, progress: &dyn Progress) -> VnetReachAnswer<'s> {
        let matrix = reach_by_vnet(self.engine(), &plan.query, progress);
        VnetReachAnswer { snap: self.snapshot(), matrix, query: plan.query }
    }
}

impl ReachAnswer<'_> {
    /// The labelled matrix; `problems_only` lists only cells whose connections do not all
    /// succeed (`--problems`).
    pub fn report(&self, problems_only: bool) -> ReachReport<'_> {
        ReachReport::new(self.snap, &self.matrix, &self.query, problems_only)
    }

    /// `-o json`, as bytes.
    pub fn json(&self, problems_only: bool) -> Vec<u8> {
        let mut out = Vec::new();
        write_to_memory(|w| self.report(problems_only).write_json(w), &mut out);
        out
    }
}

fn write_to_memory(write: impl FnOnce(&mut dyn Write) -> io::Result<()>, out: &mut Vec<u8>) {
    // Writing into memory cannot fail; serializing a view cannot either.
    write(out).expect("writing into memory cannot fail");
}

impl ReachAnswer<'_> {
    /// The web page's compact grid (every cell as the index of its label).
    pub fn grid_json(&self) -> Vec<u8> {
        let mut out = Vec::new();
        write_to_memory(|w| self.report(false).write_grid_json(w), &mut out);
        out
    }

    /// One cell's record as `-o json` lists it, or `None` outside the matrix.
    pub fn cell_json(&self, row: usize, column: usize) -> Option<String> {
        self.report(false).cell_json(row, column).map(crate::with_newline)
    }

    /// The trace that explains a cell: `azroute trace --assume-host` between its sample
    /// addresses (the first that do not connect, else the main ones), with the matrix's flow.
    pub fn cell_trace(&self, row: usize, column: usize) -> Option<TraceQuery> {
        let (from, to) = self.report(false).trace_pair(row, column)?;
        Some(TraceQuery {
            from: from.to_string(),
            to: to.to_string(),
            protocol: self.query.protocol,
            source_port: self.query.source_port,
            destination_port: self.query.destination_port,
            assume_host: true,
            fqdn: None,
        })
    }

    /// Rows and columns.
    pub fn shape(&self) -> (usize, usize) {
        (self.matrix.rows.len(), self.matrix.columns.len())
    }
}
