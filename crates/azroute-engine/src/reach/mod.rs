//! The reachability matrix: source subnets against destination subnets, on-premises prefixes
//! and the Internet, computed over address equivalence classes rather than address by address.
//!
//! Every forwarding decision the tracer makes depends on a packet's addresses only through
//! prefixes: the routes of the tables it meets, the NSG rules it is checked against, the VNet
//! address spaces a peering compares, and the owner of the destination address. All those
//! prefixes (every route a compiled table selects, NSG rule prefixes, owned special addresses,
//! the private ranges some checks test) are CIDR, so they nest or are disjoint, and the set of
//! them containing an address is fixed by the longest one: that prefix is the address's *atom*,
//! and addresses of one atom are treated alike by every table and rule (the Veriflow /
//! Delta-net / APKeep technique, see `docs/azure-routing-rules.md` §11.4). Within a subnet an atom
//! is further split by the endpoint that holds the address (a NIC's own NSG and application
//! security groups are per NIC).
//!
//! An address's *class* is then (atom, VNet, route context, subnet NSG, endpoint): two
//! addresses of the same class behave identically as sources and as destinations, so each
//! (source class, destination class) pair is traced once — with its reply — and the result is
//! shared by every matrix cell containing that pair. A cell whose classes disagree is `Mixed`
//! and lists each outcome with the addresses it covers.
//!
//! IPv4 only: the matrix is built over subnets' IPv4 prefixes (IPv6 subnets are rare in
//! routed estates; single IPv6 flows can still be traced). The first four and the last
//! address of every subnet are reserved by Azure and never stand for a host.
//!
//! Here: the query and the matrix's types, and the computation as a list of steps; `atoms`
//! (address atoms), `classes` (classes and the members of each row and column), `pairs`
//! (class pairs traced, and the pair cache of incremental recomputation), `cells` (cells
//! assembled from pair outcomes), `touching` (only the cells of some subnets' rows and
//! columns, for `diff`), `kept` (the classes the incremental engine keeps across route changes
//! that leave them alone).

mod atoms;
mod branches;
mod by_vnet;
mod cells;
mod classes;
mod kept;
mod pairs;
mod table;
mod touching;

use std::net::{IpAddr, Ipv4Addr};

use azroute_model::*;
use ipnet::IpNet;
use rayon::prelude::*;

use crate::progress::{NoProgress, Progress, Stage};
use crate::trace::Verdict;
use crate::{GatewayRouteKind, RouteEngine, RouteError};
use classes::MatrixClasses;

pub use branches::{BranchColumn, BranchKind};
pub use by_vnet::{VnetCell, VnetColumn, VnetReachMatrix, reach_by_vnet};
pub use kept::{KeptClasses, reach_incremental_keeping};
pub use pairs::{Invalidation, PairCache, reach_pair, reach_tracer};
pub use touching::{TouchingCells, reach_touching, transit_subnets};

/// The address that stands for the Internet unless the caller picks another (TEST-NET-3,
/// RFC 5737: routed like any public address by the default route).
pub const DEFAULT_INTERNET_ADDRESS: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 10);

/// What to compute.
#[derive(Clone, Debug, PartialEq)]
pub struct ReachQuery {
    /// Rows: the subnets traffic starts from.
    pub sources: Vec<SubnetIdx>,
    /// Subnet columns.
    pub destinations: Vec<SubnetIdx>,
    /// Add one column per on-premises prefix the gateways know (local network gateway
    /// address spaces and BGP-learned prefixes), and one per Virtual WAN branch prefix (a VPN
    /// site's, an ExpressRoute connection's, §20.9).
    pub on_premises: bool,
    /// Add an Internet column, represented by this address.
    pub internet: Option<IpAddr>,
    pub protocol: Protocol,
    pub source_port: u16,
    pub destination_port: u16,
    /// Evaluate NSGs (off: routing only).
    pub evaluate_nsgs: bool,
}

/// Whether a matrix covers a subnet when the user names none: every subnet but GatewaySubnet
/// and RouteServerSubnet, which hold no workload.
pub fn in_default_scope(subnet: &Subnet) -> bool {
    !subnet.is_gateway_subnet() && !subnet.is_route_server_subnet()
}

impl ReachQuery {
    /// What `azroute reach` asks by default, to `destination_port`: every subnet in the
    /// default scope both ways, on-premises prefixes and the Internet as columns, TCP from port
    /// 50000, NSGs evaluated.
    pub fn every_subnet(snap: &Snapshot, destination_port: u16) -> ReachQuery {
        let subnets: Vec<SubnetIdx> = (0..snap.subnets.len())
            .map(|i| SubnetIdx(i as u32))
            .filter(|s| in_default_scope(&snap.subnets[s.index()]))
            .collect();
        ReachQuery {
            sources: subnets.clone(),
            destinations: subnets,
            on_premises: true,
            internet: Some(IpAddr::V4(DEFAULT_INTERNET_ADDRESS)),
            protocol: Protocol::Tcp,
            source_port: 50000,
            destination_port,
            evaluate_nsgs: true,
        }
    }
}

/// Why a subnet glob selected nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubnetSelectError {
    /// The pattern is not a glob (an unclosed `[` or `{`).
    InvalidGlob { glob: String, error: String },
    /// No subnet matches; `examples` are a few `vnet/subnet` labels of the snapshot.
    NoMatch { glob: Option<String>, examples: Vec<String> },
}

impl std::fmt::Display for SubnetSelectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SubnetSelectError::InvalidGlob { glob, error } => write!(f, "`{glob}` is not a valid glob: {error}"),
            SubnetSelectError::NoMatch { glob: Some(glob), .. } => {
                write!(f, "`{glob}` matches no subnet of the snapshot")
            }
            SubnetSelectError::NoMatch { glob: None, .. } => {
                write!(f, "(default) matches no subnet of the snapshot")
            }
        }
    }
}

impl SubnetSelectError {
    pub fn hint(&self) -> String {
        match self {
            SubnetSelectError::InvalidGlob { .. } => {
                "use `*` for any text and `?` for one character, e.g. 'vnet-spoke*/*'".to_string()
            }
            SubnetSelectError::NoMatch { examples, .. } if examples.is_empty() => {
                "the snapshot holds no subnets".to_string()
            }
            SubnetSelectError::NoMatch { examples, .. } => {
                format!("globs match `vnet/subnet`, the subnet name or id, e.g. {}", examples.join(", "))
            }
        }
    }
}

/// The subnets a glob selects, matched case-insensitively against `vnet/subnet`, the subnet's
/// name and its id (`*` any text, `/` included; `?` one character); without a glob, every
/// subnet [`in_default_scope`].
pub fn select_subnets(snap: &Snapshot, glob: Option<&str>) -> Result<Vec<SubnetIdx>, SubnetSelectError> {
    let matcher = glob
        .map(|g| {
            globset::GlobBuilder::new(g)
                .case_insensitive(true)
                .build()
                .map(|g| g.compile_matcher())
                .map_err(|e| SubnetSelectError::InvalidGlob { glob: g.to_string(), error: e.kind().to_string() })
        })
        .transpose()?;
    let picked: Vec<SubnetIdx> = (0..snap.subnets.len())
        .map(|i| SubnetIdx(i as u32))
        .filter(|s| {
            let subnet = &snap.subnets[s.index()];
            match &matcher {
                Some(m) => {
                    m.is_match(snap.subnet_label(*s)) || m.is_match(&subnet.name) || m.is_match(subnet.id.as_str())
                }
                None => in_default_scope(subnet),
            }
        })
        .collect();
    if picked.is_empty() {
        let examples = (0..snap.subnets.len().min(3)).map(|i| snap.subnet_label(SubnetIdx(i as u32))).collect();
        return Err(SubnetSelectError::NoMatch { glob: glob.map(str::to_string), examples });
    }
    Ok(picked)
}

/// A column of the matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Column {
    Subnet(SubnetIdx),
    /// An on-premises prefix, the gateways that program it, and the local network gateways
    /// (sites) it belongs to: the one whose address space holds it, or the one whose BGP
    /// peering address advertised it over a connection of that gateway.
    OnPremises {
        prefix: IpNet,
        gateways: Vec<GatewayIdx>,
        sites: Vec<LocalGatewayIdx>,
    },
    /// A prefix of a Virtual WAN branch (VPN site or ExpressRoute connection, §20.9).
    Branch(BranchColumn),
    Internet(IpAddr),
}

impl Column {
    /// The column's name, the same in `reach`, `diff` and `what-if`: the subnet's label,
    /// `SITE PREFIX` for a branch and for an on-premises prefix a local network gateway owns
    /// (the prefix alone when none does), `Internet`.
    pub fn label(&self, snap: &Snapshot) -> String {
        match self {
            Column::Subnet(s) => snap.subnet_label(*s),
            Column::OnPremises { prefix, sites, .. } => on_premises_label(snap, prefix, sites),
            Column::Branch(b) => b.label(),
            Column::Internet(_) => "Internet".to_string(),
        }
    }
}

/// The local network gateways (sites) an on-premises column belongs to, as its label names
/// them (`lng-a,lng-b`); `None` when no local network gateway owns the prefix.
pub fn on_premises_site(snap: &Snapshot, sites: &[LocalGatewayIdx]) -> Option<String> {
    (!sites.is_empty())
        .then(|| sites.iter().map(|l| snap.local_gateways[l.index()].name.as_str()).collect::<Vec<_>>().join(","))
}

/// An on-premises column's label: `SITE PREFIX` (`lng-onprem 172.16.0.0/16`), as a branch's,
/// or the prefix alone when no local network gateway owns it.
pub fn on_premises_label(snap: &Snapshot, prefix: &IpNet, sites: &[LocalGatewayIdx]) -> String {
    match on_premises_site(snap, sites) {
        Some(site) => format!("{site} {prefix}"),
        None => prefix.to_string(),
    }
}

/// How traffic of a cell (or of one class pair) fares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reachability {
    /// Delivered (or left Azure to on-premises / the Internet, or reached an Azure service)
    /// and the reply comes back the same way, without passing an NVA.
    Delivered,
    /// As `Delivered`, through one or more NVAs or Azure Firewalls in both directions.
    DeliveredThroughNva,
    /// The request arrives but the reply passes different stateful devices.
    Asymmetric,
    /// The request or its reply is dropped; the code says why.
    Dropped,
    /// Addresses of the cell fare differently; see the cell's outcomes.
    Mixed,
    /// An Azure Firewall on the way decides the flow and the snapshot cannot say how (an
    /// application rule without a host name, an unresolved FQDN, §16.4): neither delivered nor
    /// dropped.
    Indeterminate,
}

impl Reachability {
    /// Every reachability, in declaration (and `Ord`) order: `ALL[r as usize] == r`.
    pub const ALL: [Reachability; 6] = [
        Reachability::Delivered,
        Reachability::DeliveredThroughNva,
        Reachability::Asymmetric,
        Reachability::Dropped,
        Reachability::Mixed,
        Reachability::Indeterminate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reachability::Delivered => "Delivered",
            Reachability::DeliveredThroughNva => "DeliveredThroughNva",
            Reachability::Asymmetric => "Asymmetric",
            Reachability::Dropped => "Dropped",
            Reachability::Mixed => "Mixed",
            Reachability::Indeterminate => "Indeterminate",
        }
    }

    /// Whether a connection succeeds.
    pub fn connects(self) -> bool {
        matches!(self, Reachability::Delivered | Reachability::DeliveredThroughNva)
    }
}

/// Which direction failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FailedDirection {
    Request,
    Reply,
}

impl FailedDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            FailedDirection::Request => "Request",
            FailedDirection::Reply => "Reply",
        }
    }
}

/// The result of tracing one (source class, destination class) pair.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PairOutcome {
    pub reach: Reachability,
    /// How the request ended.
    pub verdict: Verdict,
    /// The finding code that explains a drop or an asymmetry.
    pub code: Option<&'static str>,
    pub failed: Option<FailedDirection>,
    /// NVAs the request passes, in order.
    pub nvas: Vec<NicIdx>,
    /// Azure Firewalls the request passes, in order (§16.4).
    pub firewalls: Vec<FirewallIdx>,
    /// Every finding code of the trace (warnings included), sorted.
    pub codes: Vec<&'static str>,
}

impl PairOutcome {
    /// The names of the stateful devices the request passes (the "via" of a cell): its NVAs'
    /// NICs, then its Azure Firewalls.
    pub fn via_names(&self, snap: &Snapshot) -> Vec<String> {
        let nvas = self.nvas.iter().map(|n| snap.nics[n.index()].name.clone());
        nvas.chain(self.firewalls.iter().map(|f| snap.firewalls[f.index()].name.clone())).collect()
    }
}

/// One distinct outcome inside a cell, with the addresses it covers and a sample pair to trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellOutcome {
    /// Index into [`ReachMatrix::outcomes`].
    pub outcome: u32,
    pub sample_source: IpAddr,
    pub sample_destination: IpAddr,
    /// Source × destination address pairs with this outcome.
    pub address_pairs: u128,
}

/// One cell of the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReachCell {
    pub reach: Reachability,
    /// The common code when every outcome has the same one.
    pub code: Option<&'static str>,
    /// Where the cell's outcomes start in [`ReachMatrix::parts`], and how many there are.
    first: u32,
    len: u32,
}

/// Counts that show how much the classes saved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReachStats {
    pub cells: usize,
    /// Address atoms: distinct longest prefixes that split the address space.
    pub atoms: usize,
    pub source_classes: usize,
    pub destination_classes: usize,
    /// Traces run (one per distinct class pair, reply included).
    pub traces: usize,
    /// Class pairs whose outcome was reused from before a change (incremental).
    pub reused: usize,
}

/// The matrix, row-major.
#[derive(Clone, Debug)]
pub struct ReachMatrix {
    pub rows: Vec<SubnetIdx>,
    pub columns: Vec<Column>,
    pub cells: Vec<ReachCell>,
    /// Every cell's outcomes, largest first within a cell.
    pub parts: Vec<CellOutcome>,
    /// Distinct outcomes, shared by the cells.
    pub outcomes: Vec<PairOutcome>,
    pub stats: ReachStats,
    pub errors: Vec<(SubnetIdx, RouteError)>,
    pub assumptions: Vec<String>,
}

impl ReachCell {
    /// The cell's outcomes in `parts`: the matrix's, or the row's when rows are streamed.
    pub fn outcomes_in<'p>(&self, parts: &'p [CellOutcome]) -> &'p [CellOutcome] {
        &parts[self.first as usize..(self.first + self.len) as usize]
    }
}

impl ReachMatrix {
    pub fn cell(&self, row: usize, column: usize) -> &ReachCell {
        &self.cells[row * self.columns.len() + column]
    }

    /// A cell's outcomes, largest first.
    pub fn cell_outcomes(&self, cell: &ReachCell) -> &[CellOutcome] {
        &self.parts[cell.first as usize..(cell.first + cell.len) as usize]
    }

    pub fn outcome(&self, part: &CellOutcome) -> &PairOutcome {
        &self.outcomes[part.outcome as usize]
    }
}

/// The on-premises prefixes the gateways program, each with its gateways and sites, sorted.
fn on_premises_columns(engine: &RouteEngine<'_>) -> Vec<Column> {
    type Owners = (Vec<GatewayIdx>, Vec<LocalGatewayIdx>);
    let mut by_prefix: std::collections::BTreeMap<IpNet, Owners> = std::collections::BTreeMap::new();
    let snap = engine.snap();
    for (g, prefixes) in engine.topology().gateway_prefixes.iter().enumerate() {
        let gateway = GatewayIdx(g as u32);
        for gp in prefixes.iter().filter(|gp| gp.prefix.addr().is_ipv4()) {
            let (gateways, sites) = by_prefix.entry(gp.prefix).or_default();
            if !gateways.contains(&gateway) {
                gateways.push(gateway);
            }
            for site in gp.kinds.iter().filter_map(|k| site_of(snap, gateway, k)) {
                if !sites.contains(&site) {
                    sites.push(site);
                }
            }
        }
    }
    by_prefix.into_iter().map(|(prefix, (gateways, sites))| Column::OnPremises { prefix, gateways, sites }).collect()
}

/// The local network gateway a gateway route comes from: a static prefix's own, or for a
/// BGP-learned one the site of the gateway's connections whose BGP peering address is the
/// route's source peer.
fn site_of(snap: &Snapshot, gateway: GatewayIdx, kind: &GatewayRouteKind) -> Option<LocalGatewayIdx> {
    match kind {
        GatewayRouteKind::LocalNetworkGateway { local_gateway, .. } => Some(*local_gateway),
        GatewayRouteKind::Bgp { source_peer, .. } => {
            let peer: IpAddr = source_peer.parse().ok()?;
            snap.connections
                .iter()
                .filter(|c| c.gateway1.as_ref().and_then(Link::resolved) == Some(gateway))
                .filter_map(|c| c.local_gateway2.as_ref().and_then(Link::resolved))
                .find(|l| snap.local_gateways[l.index()].bgp_peering_address == Some(peer))
        }
        _ => None,
    }
}

/// Computes the matrix.
pub fn reach(engine: &RouteEngine<'_>, query: &ReachQuery) -> ReachMatrix {
    compute(engine, query, None, &NoProgress)
}

/// Computes the matrix, reporting each stage to `progress`.
pub fn reach_with_progress(engine: &RouteEngine<'_>, query: &ReachQuery, progress: &dyn Progress) -> ReachMatrix {
    compute(engine, query, None, progress)
}

/// Computes the matrix, reusing the outcomes kept in `cache` (by an earlier computation on the
/// same estate before a change) for every representative pair whose trace consulted nothing
/// `stale` names, and keeping the pairs traced now for the next change.
pub fn reach_incremental(
    engine: &RouteEngine<'_>,
    query: &ReachQuery,
    cache: &mut PairCache,
    stale: &Invalidation,
) -> ReachMatrix {
    compute(engine, query, Some((cache, stale)), &NoProgress)
}

/// What every form of the matrix shares: the classes of its rows and columns, every class pair
/// a cell holds, and each pair's outcome.
struct Traced {
    classes: MatrixClasses,
    traced: pairs::TracedPairs,
}

impl Traced {
    fn stats(&self, cells: usize) -> ReachStats {
        ReachStats {
            cells,
            atoms: self.classes.atoms,
            source_classes: self.classes.sources.reps.len(),
            destination_classes: self.classes.destinations.reps.len(),
            traces: self.traced.table.len() - self.traced.reused,
            reused: self.traced.reused,
        }
    }

    fn lookup(&self) -> cells::PairLookup<'_> {
        cells::PairLookup::new(&self.traced)
    }
}

/// Classes, pairs and one trace per pair; with a cache, reusing and keeping traced pairs.
fn trace_classes(
    engine: &RouteEngine<'_>,
    query: &ReachQuery,
    cache: Option<(&mut PairCache, &Invalidation)>,
    progress: &dyn Progress,
) -> Traced {
    let tracer = &reach_tracer(engine, query);
    progress.start(Stage::ReachClasses, None);
    let classes = MatrixClasses::build(engine, query);
    progress.finish();
    let traced = pairs::trace_pairs(tracer, query, &classes.sources, &classes.destinations, cache, progress);
    Traced { classes, traced }
}

/// A matrix whose rows are made on demand, in order, and never held together: its `head` is
/// the matrix without cells (rows, columns, outcomes, stats, errors, assumptions), and
/// [`ReachStream::for_each_row`] hands each row's cells to the caller (each cell's outcomes
/// counted from the row's first part). The cells are those [`reach`] computes.
pub struct ReachStream {
    traced: Traced,
    head: ReachMatrix,
}

/// Rows made at once (in parallel) before they are handed over in order.
const STREAMED_ROWS: usize = 64;

/// Classes and traces of `query`, ready to stream the rows.
pub fn reach_stream(engine: &RouteEngine<'_>, query: &ReachQuery, progress: &dyn Progress) -> ReachStream {
    let traced = trace_classes(engine, query, None, progress);
    let c = &traced.classes;
    let head = ReachMatrix {
        rows: c.rows.subnets.clone(),
        columns: c.columns.clone(),
        cells: Vec::new(),
        parts: Vec::new(),
        outcomes: traced.traced.outcomes.clone(),
        stats: traced.stats(c.rows.subnets.len() * c.columns.len()),
        errors: c.rows.errors.clone(),
        assumptions: assumptions(engine.snap(), engine.options(), query),
    };
    ReachStream { traced, head }
}

impl ReachStream {
    /// The matrix without its cells.
    pub fn head(&self) -> &ReachMatrix {
        &self.head
    }

    /// Makes the rows in order and hands each to `row` (row index, cells, their outcomes); the
    /// first error stops it.
    pub fn for_each_row<E>(
        &self,
        progress: &dyn Progress,
        mut row: impl FnMut(usize, &[ReachCell], &[CellOutcome]) -> Result<(), E>,
    ) -> Result<(), E> {
        let t = &self.traced;
        let lookup = t.lookup();
        let members = &t.classes.rows.members;
        progress.start(Stage::ReachCells, Some(members.len() as u64));
        for start in (0..members.len()).step_by(STREAMED_ROWS) {
            let end = (start + STREAMED_ROWS).min(members.len());
            let made: Vec<(Vec<ReachCell>, Vec<CellOutcome>)> = members[start..end]
                .par_iter()
                .map(|rm| {
                    let columns = t.classes.column_members.iter();
                    cells::row_cells(rm, columns, &t.classes.destinations, &lookup, &t.traced.outcomes)
                })
                .collect();
            for (i, (cells, parts)) in made.iter().enumerate() {
                row(start + i, cells, parts)?;
            }
            progress.advance((end - start) as u64);
        }
        progress.finish();
        Ok(())
    }
}

/// The matrix; with a cache, reusing and keeping traced pairs.
fn compute(
    engine: &RouteEngine<'_>,
    query: &ReachQuery,
    cache: Option<(&mut PairCache, &Invalidation)>,
    progress: &dyn Progress,
) -> ReachMatrix {
    compute_keeping(engine, query, cache, progress).0
}

/// The matrix, and the classes it was made from.
fn compute_keeping(
    engine: &RouteEngine<'_>,
    query: &ReachQuery,
    cache: Option<(&mut PairCache, &Invalidation)>,
    progress: &dyn Progress,
) -> (ReachMatrix, MatrixClasses) {
    let t = trace_classes(engine, query, cache, progress);
    let c = &t.classes;
    let (cells, parts) = cells::assemble_cells(
        &c.rows.members,
        &c.column_members,
        &c.destinations,
        &t.lookup(),
        &t.traced.outcomes,
        progress,
    );
    let stats = t.stats(cells.len());
    let Traced { classes, traced } = t;
    let matrix = ReachMatrix {
        rows: classes.rows.subnets.clone(),
        columns: classes.columns.clone(),
        cells,
        parts,
        outcomes: traced.outcomes,
        stats,
        errors: classes.rows.errors.clone(),
        assumptions: assumptions(engine.snap(), engine.options(), query),
    };
    (matrix, classes)
}

/// The columns a query asks for: its subnets, then the on-premises prefixes and the Virtual WAN
/// branches, then the Internet.
fn columns(engine: &RouteEngine<'_>, query: &ReachQuery) -> Vec<Column> {
    let mut columns: Vec<Column> = query.destinations.iter().map(|s| Column::Subnet(*s)).collect();
    if query.on_premises {
        columns.extend(on_premises_columns(engine));
        columns.extend(branches::branch_columns(engine));
    }
    if let Some(ip) = query.internet {
        columns.push(Column::Internet(ip));
    }
    columns
}

/// What every matrix assumes, and what this query adds.
fn assumptions(snap: &Snapshot, options: &ModelOptions, query: &ReachQuery) -> Vec<String> {
    let mut assumptions = vec![
        "each address class is traced once, from a representative address (a NIC's where the class holds one)"
            .to_string(),
        "the first four and the last address of every subnet are reserved by Azure and left out".to_string(),
        "the guest OS of every NVA forwards what Azure delivers to it, without SNAT".to_string(),
    ];
    let unknown_power = snap.vms.iter().filter(|v| v.power_state.is_none()).count();
    if unknown_power > 0 {
        assumptions.push(format!("{unknown_power} VM(s) have no power state in the export (`az vm list` without `-d`) and are assumed running; a stopped NVA or destination drops traffic (NvaNotRunning, DestinationNotRunning)"));
    }
    if !query.evaluate_nsgs {
        assumptions.push("NSGs were not evaluated (routing only)".to_string());
    }
    if let Some(ip) = query.internet {
        assumptions.push(format!("the Internet column stands for {ip}; a user route for a narrower public prefix can treat other addresses differently"));
    }
    assumptions.extend(crate::option_assumptions(snap, options).iter().map(|a| a.text()));
    assumptions
}
