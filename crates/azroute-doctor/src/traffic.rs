//! Findings that need traffic (asymmetry, loops, forwarded traffic refused, black holes), from
//! the trace engine rather than ad-hoc pattern matching.
//!
//! Exhaustive by default: the reachability matrix (`azroute reach`, routing only) decides every
//! subnet pair, on-premises prefix and the Internet over its address classes, and every part of
//! a cell whose traffic does not connect, or whose trace raised a traffic code, is traced again
//! for its findings; on-premises sources and the addresses user routes send to an NVA outside
//! the estate are traced from one NIC per route context. One engine, one answer: a cell `reach`
//! calls `Asymmetric` is a path the doctor reports. Above `DoctorConfig::exhaustive_cells` cells
//! (BENCHMARKS.md says why) the doctor falls back to an evenly spread sample of route-context
//! pairs whose routes involve an NVA, and says so (`TrafficAnalysisSampled`).

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;

use azroute_engine::*;

use azroute_engine::RangeSet;
use azroute_engine::{Trace, TraceRequest, TraceSource};
use azroute_model::*;
use ipnet::IpNet;
use rayon::prelude::*;

use crate::{Doctor, DoctorConfig, TRAFFIC_PORT, first_host};

/// Codes whose findings come from traces (the static checks own the others).
pub fn traffic_codes() -> impl Iterator<Item = FindingCode> {
    CHECKS.iter().filter(|c| c.found_by == FoundBy::Traffic).map(|c| c.code)
}

/// How much traffic analysis was done.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrafficStats {
    /// Distinct route contexts with a NIC to stand for them.
    pub contexts: usize,
    /// Paths that needed a trace: every problem part of the matrix and the extra pairs
    /// (exhaustive), or the context pairs involving an NVA (sampled).
    pub candidate_pairs: usize,
    /// Pairs actually traced for findings.
    pub traced: usize,
    /// The reachability matrix behind an exhaustive analysis; `None` when sampled.
    pub matrix: Option<MatrixStats>,
}

/// The matrix an exhaustive analysis decided.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MatrixStats {
    pub cells: usize,
    pub source_classes: usize,
    pub destination_classes: usize,
    /// Class pairs traced by the matrix.
    pub traces: usize,
}

/// The question traffic analysis asks the reachability engine: every subnet of the default
/// scope both ways, on-premises prefixes and the Internet, TCP from port 50000 to
/// `TRAFFIC_PORT`, routing only (NSG problems are checked rule by rule, on their own).
pub fn traffic_query(snap: &Snapshot) -> ReachQuery {
    ReachQuery { evaluate_nsgs: false, ..ReachQuery::every_subnet(snap, TRAFFIC_PORT) }
}

/// A stand-in for every subnet of one route context: a NIC and its address.
#[derive(Clone, Debug)]
struct Rep {
    subnet: SubnetIdx,
    nic: NicIdx,
    ip: IpAddr,
    table: Arc<EffectiveRouteTable>,
}

#[derive(Clone, Copy, Debug)]
enum End {
    Context(usize),
    OnPremises(IpAddr),
    /// An address a user route sends to an NVA, outside any subnet of the estate.
    Routed(IpAddr),
}

/// The pairs worth tracing: context pairs, counted per row and only materialised when
/// sampled (16 M candidates on a 100k-NIC estate), then the other pairs.
struct Candidates {
    row_counts: Vec<usize>,
    others: Vec<(End, End)>,
}

impl Candidates {
    fn context_pairs(&self) -> usize {
        self.row_counts.iter().sum()
    }

    fn len(&self) -> usize {
        self.context_pairs() + self.others.len()
    }
}

/// Whether the route a table selects for an address goes to an NVA.
fn to_appliance(table: &EffectiveRouteTable, ip: IpAddr) -> bool {
    table.fib.lookup(ip).is_some_and(|e| table.routes[e.route as usize].next_hop_type == NextHopType::VirtualAppliance)
}

/// Row `a` of the context pairs: every other context that either direction sends to an NVA.
fn row(reps: &[Rep], a: usize) -> impl Iterator<Item = (End, End)> + '_ {
    let ra = &reps[a];
    reps.iter()
        .enumerate()
        .filter(move |&(b, rb)| a != b && (to_appliance(&ra.table, rb.ip) || to_appliance(&rb.table, ra.ip)))
        .map(move |(b, _)| (End::Context(a), End::Context(b)))
}

impl Doctor<'_, '_> {
    /// Traffic analysis, exhaustive up to `exhaustive_cells` matrix cells, else sampled: the
    /// problems of the traffic codes, each once with the paths it was seen on.
    pub(crate) fn traffic_checks(&self, config: &DoctorConfig, out: &mut Vec<Finding>) -> TrafficStats {
        let reps = self.representatives();
        let query = traffic_query(self.snap);
        // Subnet columns, plus at most one per gateway prefix and the Internet.
        let on_premises: usize = self.routes.topology().gateway_prefixes.iter().map(Vec::len).sum();
        let columns = query.destinations.len() + on_premises + 1;
        if query.sources.len().saturating_mul(columns) <= config.exhaustive_cells {
            self.exhaustive_traffic(&reps, &query, out)
        } else {
            self.sampled_traffic(&reps, config.max_traces, out)
        }
    }

    /// Every problem path of the reachability matrix, traced again for its findings, and the
    /// pairs the matrix does not hold (from on-premises, to addresses routed to an NVA).
    fn exhaustive_traffic(&self, reps: &[Rep], query: &ReachQuery, out: &mut Vec<Finding>) -> TrafficStats {
        // The matrix's rows are made one at a time and never held together (a 100k-NIC estate
        // has 100 M cells): memory is bounded by its classes and one chunk of problem paths.
        let matrix = reach_stream(self.routes, query, &NoProgress);
        let head = matrix.head();
        let tracer = reach_tracer(self.routes, query);
        // Traced and folded a chunk at a time, in the matrix's order, so that only one chunk's
        // traces are ever held (the problem paths of a large estate are hundreds of thousands
        // of whole traces).
        let mut findings = Aggregator::default();
        let mut traced = 0;
        let mut pending: Vec<(PathEnd, TraceSource, PathEnd)> = Vec::new();
        let mut trace_pending = |pending: &mut Vec<(PathEnd, TraceSource, PathEnd)>| {
            let traces: Vec<(PathEnd, PathEnd, Option<Trace>)> = pending
                .par_iter()
                .map(|&(from, source, to)| (from, to, tracer.trace(request(source, end_address(to))).ok()))
                .collect();
            traced += traces.len();
            findings.add(self.snap, &traces);
            pending.clear();
        };
        let rows = matrix.for_each_row(&NoProgress, |r, cells, parts| {
            problem_paths(&tracer, head, r, cells, parts, &mut pending);
            if pending.len() >= TRACE_CHUNK {
                trace_pending(&mut pending);
            }
            Ok::<(), std::convert::Infallible>(())
        });
        let Ok(()) = rows;
        trace_pending(&mut pending);
        let mut extra = self.routed_pairs(reps);
        extra.extend(self.on_premises_pairs(reps).into_iter().filter(|(from, _)| matches!(from, End::OnPremises(_))));
        let traces = self.trace_pairs(reps, &extra);
        traced += traces.len();
        findings.add(self.snap, &traces);
        out.extend(findings.finish());
        let s = head.stats;
        let matrix = MatrixStats {
            cells: s.cells,
            source_classes: s.source_classes,
            destination_classes: s.destination_classes,
            traces: s.traces,
        };
        TrafficStats { contexts: reps.len(), candidate_pairs: traced, traced, matrix: Some(matrix) }
    }

    /// Representative pairs whose routes involve an NVA, an evenly spread sample of them when
    /// there are more than `max_traces`.
    fn sampled_traffic(&self, reps: &[Rep], max_traces: usize, out: &mut Vec<Finding>) -> TrafficStats {
        let candidates = self.candidates(reps);
        let pairs = sample(reps, &candidates, max_traces);
        let traces = self.trace_pairs(reps, &pairs);
        out.extend(aggregate(self.snap, &traces));
        let (traced, candidate_pairs) = (pairs.len(), candidates.len());
        if traced < candidate_pairs {
            out.push(Finding::new(TrafficAnalysisSampled { traced, candidates: candidate_pairs }));
        }
        TrafficStats { contexts: reps.len(), candidate_pairs, traced, matrix: None }
    }

    /// One NIC for every distinct route context.
    fn representatives(&self) -> Vec<Rep> {
        let snap = self.snap;
        let mut seen: HashSet<ContextKey> = HashSet::new();
        let mut reps = Vec::new();
        for (i, nics) in self.nics_by_subnet.iter().enumerate() {
            let subnet = SubnetIdx(i as u32);
            // A workload NIC (not an NVA, not a private endpoint's NIC); in a subnet of NVAs
            // only, an NVA, whose own traffic follows the subnet's routes too.
            let candidates = || nics.iter().copied().filter(|n| snap.nics[n.index()].private_endpoint.is_none());
            let Some(nic) = candidates().find(|n| !snap.nics[n.index()].ip_forwarding).or_else(|| candidates().next())
            else {
                continue;
            };
            let Some(ip) = snap.nics[nic.index()].primary_ip_config().and_then(|c| c.private_ip) else { continue };
            let Ok(key) = self.routes.context_key(subnet) else { continue };
            if !seen.insert(key.clone()) {
                continue;
            }
            let table = self.routes.table_for_key(&key);
            reps.push(Rep { subnet, nic, ip, table });
        }
        reps
    }

    /// Context pairs (counted), then addresses user routes send to an NVA, then on-premises
    /// pairs.
    fn candidates(&self, reps: &[Rep]) -> Candidates {
        let row_counts: Vec<usize> = (0..reps.len()).into_par_iter().map(|a| row(reps, a).count()).collect();
        let mut others = self.routed_pairs(reps);
        others.extend(self.on_premises_pairs(reps));
        Candidates { row_counts, others }
    }

    /// An address of each active user route to an NVA, outside every subnet of the estate.
    fn routed_pairs(&self, reps: &[Rep]) -> Vec<(End, End)> {
        let estate_prefixes: Vec<IpNet> = self.snap.subnets.iter().flat_map(|s| s.prefixes.iter().copied()).collect();
        let estate = RangeSet::new(&estate_prefixes);
        let mut pairs = Vec::new();
        for (a, ra) in reps.iter().enumerate() {
            let mut probed: Vec<IpAddr> = Vec::new();
            for r in ra.table.routes.iter().filter(|r| {
                r.source == RouteSource::User && r.is_active() && r.next_hop_type == NextHopType::VirtualAppliance
            }) {
                for p in r.prefixes.iter().take(4) {
                    let Some(ip) = first_host(p) else { continue };
                    if estate.contains(ip) || probed.contains(&ip) {
                        continue;
                    }
                    probed.push(ip);
                    pairs.push((End::Context(a), End::Routed(ip)));
                }
            }
        }
        pairs
    }

    /// One address per gateway prefix, to and from every context the gateway serves, when
    /// either direction involves an NVA (GatewaySubnet routes included).
    fn on_premises_pairs(&self, reps: &[Rep]) -> Vec<(End, End)> {
        let snap = self.snap;
        let topo = self.routes.topology();
        let mut pairs = Vec::new();
        for (g, prefixes) in topo.gateway_prefixes.iter().enumerate() {
            let g = GatewayIdx(g as u32);
            let gateway_subnet_table = snap.gateways[g.index()]
                .vnet
                .as_ref()
                .and_then(|l| l.resolved())
                .and_then(|v| {
                    snap.vnets[v.index()].subnets.iter().copied().find(|s| snap.subnets[s.index()].is_gateway_subnet())
                })
                .and_then(|s| self.routes.subnet_table(s).ok());
            for gp in prefixes.iter().take(8) {
                let Some(onprem) = first_host(&gp.prefix) else { continue };
                for (b, rb) in reps.iter().enumerate() {
                    if !topo.attachments[snap.subnets[rb.subnet.index()].vnet.index()].gateways.contains(&g) {
                        continue;
                    }
                    let inbound_nva = gateway_subnet_table.as_ref().is_some_and(|t| to_appliance(t, rb.ip));
                    if to_appliance(&rb.table, onprem) || inbound_nva {
                        pairs.push((End::Context(b), End::OnPremises(onprem)));
                        pairs.push((End::OnPremises(onprem), End::Context(b)));
                    }
                }
            }
        }
        pairs
    }

    /// Traces each pair (TCP to `TRAFFIC_PORT`), in parallel.
    fn trace_pairs(&self, reps: &[Rep], pairs: &[(End, End)]) -> Vec<(PathEnd, PathEnd, Option<Trace>)> {
        let end = |e: End| match e {
            End::Context(i) => PathEnd::Context { subnet: reps[i].subnet, address: reps[i].ip },
            End::OnPremises(ip) => PathEnd::OnPremises(ip),
            End::Routed(ip) => PathEnd::Routed(ip),
        };
        pairs
            .par_iter()
            .map(|&(from, to)| {
                let source = match from {
                    End::Context(a) => TraceSource::Nic { nic: reps[a].nic, ip: reps[a].ip },
                    End::OnPremises(ip) | End::Routed(ip) => TraceSource::External(ip),
                };
                let trace = self.tracer.trace(request(source, end_address(end(to)))).ok();
                (end(from), end(to), trace)
            })
            .collect()
    }
}

/// A traced request of the analysed flow.
fn request(source: TraceSource, destination: IpAddr) -> TraceRequest {
    TraceRequest { source, destination, protocol: Protocol::Tcp, source_port: 50000, destination_port: TRAFFIC_PORT }
}

fn end_address(end: PathEnd) -> IpAddr {
    match end {
        PathEnd::Context { address, .. } => address,
        PathEnd::OnPremises(ip) | PathEnd::Routed(ip) | PathEnd::Internet(ip) => ip,
    }
}

/// One sample path of every part of a cell of row `r` (its `cells`, their outcomes in
/// `parts`) whose traffic does not connect or whose trace raised a traffic code: where it starts
/// (a NIC of the row's subnet holding the sample address, else a host there) and where it ends.
fn problem_paths(
    tracer: &Tracer<'_, '_>,
    head: &ReachMatrix,
    r: usize,
    cells: &[ReachCell],
    parts: &[CellOutcome],
    paths: &mut Vec<(PathEnd, TraceSource, PathEnd)>,
) {
    let traffic: Vec<&'static str> = traffic_codes().map(FindingCode::as_str).collect();
    let needs_trace = |o: &PairOutcome| !o.reach.connects() || o.codes.iter().any(|c| traffic.contains(c));
    let row = head.rows[r];
    for (cell, column) in cells.iter().zip(&head.columns) {
        for part in cell.outcomes_in(parts) {
            if !needs_trace(head.outcome(part)) {
                continue;
            }
            let ip = part.sample_source;
            let nic = tracer.nic_owning(ip).filter(|n| tracer.routes.nic_subnet(*n).ok() == Some(row));
            let source = match nic {
                Some(nic) => TraceSource::Nic { nic, ip },
                None => TraceSource::Host { subnet: row, ip },
            };
            let to = match column {
                Column::Subnet(d) => PathEnd::Context { subnet: *d, address: part.sample_destination },
                Column::OnPremises { .. } | Column::Branch(_) => PathEnd::OnPremises(part.sample_destination),
                Column::Internet(_) => PathEnd::Internet(part.sample_destination),
            };
            paths.push((PathEnd::Context { subnet: row, address: ip }, source, to));
        }
    }
}

/// A deterministic, evenly spread sample when there are more pairs than the budget: the pairs
/// at indices ⌊i × step⌋ of the sequence context pairs (row by row), then the rest.
fn sample(reps: &[Rep], candidates: &Candidates, max_traces: usize) -> Vec<(End, End)> {
    let total = candidates.len();
    let budget = if max_traces == 0 { 0 } else { total.min(max_traces) };
    let step = total as f64 / budget.max(1) as f64;
    let mut wanted = (0..budget).map(|i| (i as f64 * step) as usize).peekable();
    let mut sampled: Vec<(End, End)> = Vec::with_capacity(budget);
    let mut row_start = 0;
    for (a, &count) in candidates.row_counts.iter().enumerate() {
        let row_end = row_start + count;
        if wanted.peek().is_some_and(|&w| w < row_end) {
            for (k, pair) in row(reps, a).enumerate() {
                while wanted.peek() == Some(&(row_start + k)) {
                    sampled.push(pair);
                    wanted.next();
                }
            }
        }
        row_start = row_end;
    }
    let context_pairs = candidates.context_pairs();
    for (k, &pair) in candidates.others.iter().enumerate() {
        while wanted.peek() == Some(&(context_pairs + k)) {
            sampled.push(pair);
            wanted.next();
        }
    }
    sampled
}

/// Identical problems (same code, same resources) seen on several paths, reported once with
/// the number of paths and up to three examples, in the order first seen.
fn aggregate(snap: &Snapshot, traces: &[(PathEnd, PathEnd, Option<Trace>)]) -> Vec<Finding> {
    let mut findings = Aggregator::default();
    findings.add(snap, traces);
    findings.finish()
}

/// How many problem paths the exhaustive analysis traces before folding their findings.
const TRACE_CHUNK: usize = 16_384;

/// The traffic findings of traced paths, one per code and resources, with the number of paths
/// that showed it and up to three of them; fed in order, a batch at a time.
#[derive(Default)]
struct Aggregator {
    grouped: HashMap<(FindingCode, Vec<ResourceRef>), usize>,
    out: Vec<Finding>,
    traffic: Vec<FindingCode>,
}

impl Aggregator {
    fn add(&mut self, snap: &Snapshot, traces: &[(PathEnd, PathEnd, Option<Trace>)]) {
        if self.traffic.is_empty() {
            self.traffic = traffic_codes().collect();
        }
        for (from, to, trace) in traces {
            let Some(trace) = trace else { continue };
            for f in trace.findings.iter().filter(|f| self.traffic.contains(&f.code)) {
                let mut resources = f.resources.clone();
                resources.sort();
                let example = (*from, *to);
                match self.grouped.get(&(f.code, resources.clone())) {
                    Some(&i) => {
                        let paths = self.out[i].traced.as_mut().expect("aggregated findings carry their paths");
                        paths.count += 1;
                        if paths.examples.len() < 3 {
                            paths.examples.push(example);
                        }
                    }
                    None => {
                        self.grouped.insert((f.code, resources), self.out.len());
                        let traced = Some(TracedPaths { count: 1, examples: vec![example] });
                        self.out.push(with_root_cause_first(snap, Finding { traced, ..f.clone() }));
                    }
                }
            }
        }
    }

    fn finish(self) -> Vec<Finding> {
        self.out
    }
}

/// A traced finding whose root cause is not its first resource gets it in front, so that the
/// doctor's grouping by root cause joins what one cause explains: a packet dropped by a system
/// `None` route (a reserved range nothing routes) is lost for want of a route to the VNet that
/// holds the destination, from whichever subnet it starts.
fn with_root_cause_first(snap: &Snapshot, finding: Finding) -> Finding {
    let system_drop = match &finding.evidence {
        Evidence::DroppedByNoneRoute(
            DroppedByNoneRoute::Dropped { destination, route, .. }
            | DroppedByNoneRoute::BehindNsg { destination, route, .. },
        ) if route.route().source == RouteSource::Default => Some(*destination),
        _ => None,
    };
    let Some(vnet) =
        system_drop.and_then(|ip| snap.vnets.iter().position(|v| v.address_space.iter().any(|p| p.contains(&ip))))
    else {
        return finding;
    };
    let cause = ResourceRef::Vnet(VnetIdx(vnet as u32));
    let mut resources = vec![cause];
    resources.extend(finding.resources.into_iter().filter(|r| *r != cause));
    Finding { resources, ..finding }
}
