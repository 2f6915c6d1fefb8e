//! Class pairs traced: one lean trace (with its reply) per representative pair, reduced to the
//! outcome the matrix shows; and the pair cache that keeps outcomes, with what each trace
//! consulted, across changes.

// Fx rather than SipHash: the matrix hashes a million pair keys and outcomes per run, all of
// them computed here (nothing an attacker chooses), and SipHash was a fifth of the time.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};

use azroute_model::*;
use rayon::prelude::*;

use super::classes::Classes;
use super::table::PairTable;
use super::{FailedDirection, PairOutcome, ReachQuery, Reachability};
use crate::RouteEngine;
use crate::finding::{FindingCode, Severity};
use crate::progress::{PROGRESS_CHUNK, Progress, Stage};
use crate::trace::{HopResource, Trace, TraceRequest, TraceSource, Tracer, Verdict};

/// The tracer the matrix uses: NIC-less addresses of a subnet stand for hosts, NSGs as asked.
pub fn reach_tracer<'e, 's>(engine: &'e RouteEngine<'s>, query: &ReachQuery) -> Tracer<'e, 's> {
    let mut tracer = Tracer::new(engine);
    tracer.virtual_hosts = true;
    tracer.evaluate_nsgs = query.evaluate_nsgs;
    tracer.routing_after_nsg_drop = false;
    // An outcome shows the path's verdict, devices, firewalls and codes, never assumptions or
    // the NSG rules that allowed.
    tracer.assumptions = false;
    tracer.nsg_checks = false;
    tracer
}

/// The outcome of every class pair a matrix needs.
pub(super) struct TracedPairs {
    /// Distinct outcomes, in the order first met.
    pub(super) outcomes: Vec<PairOutcome>,
    /// Per pair: the index of its outcome.
    pub(super) table: PairTable,
    /// Pairs whose outcome was still valid in the cache.
    pub(super) reused: usize,
}

/// Pairs traced at once (in parallel) before their outcomes are interned: bounds the full
/// outcomes held at once.
const TRACED_CHUNK: usize = 1 << 16;

/// A pair's outcome: still valid in the cache, or traced now.
enum Slot<'c> {
    Cached(&'c PairOutcome),
    Traced(PairKey, PairOutcome, Option<Consulted>),
}

/// Traces every class pair once, in parallel, from the classes' representative addresses;
/// with a cache, reuses the outcomes still valid and keeps the ones traced now.
pub(super) fn trace_pairs(
    tracer: &Tracer<'_, '_>,
    query: &ReachQuery,
    sources: &Classes,
    destinations: &Classes,
    cache: Option<(&mut PairCache, &Invalidation)>,
    progress: &dyn Progress,
) -> TracedPairs {
    let flow = (query.protocol, query.source_port, query.destination_port, query.evaluate_nsgs);
    let mut cache = cache;
    if let Some((c, _)) = cache.as_mut()
        && c.flow != Some(flow)
    {
        c.entries.clear();
        c.flow = Some(flow);
    }
    // Forget every kept pair a change may have altered, needed now or not: the next change
    // starts from an empty invalidation.
    if let Some((c, stale)) = cache.as_mut() {
        c.forget(stale);
    }
    let keep = cache.is_some();
    let mut table = PairTable::new(sources.reps.len(), destinations.reps.len());
    progress.start(Stage::ReachTraces, Some(table.len() as u64));
    let done = AtomicUsize::new(0);
    // Distinct outcomes, interned as chunks come back (a matrix has millions of pairs and a
    // few hundred distinct outcomes).
    let mut outcomes = Outcomes::default();
    let mut reused = 0;
    let mut kept: Vec<(PairKey, PairOutcome, Option<Consulted>)> = Vec::new();
    table.fill_in_chunks(TRACED_CHUNK, |pairs| {
        let lookup = cache.as_ref().map(|(c, _)| &**c);
        let slots = in_column_order(pairs, |src, dst| {
            if done.fetch_add(1, Ordering::Relaxed) % PROGRESS_CHUNK == PROGRESS_CHUNK - 1 {
                progress.advance(PROGRESS_CHUNK as u64);
            }
            trace_slot(tracer, query, sources, destinations, lookup, keep, src, dst)
        });
        let ids: Vec<u32> = slots
            .in_chunk_order()
            .map(|slot| match slot {
                Slot::Cached(o) => outcomes.intern(o),
                Slot::Traced(_, o, _) => outcomes.intern(o),
            })
            .collect();
        reused += slots.traced.iter().filter(|s| matches!(s, Slot::Cached(_))).count();
        if keep {
            // Into the cache's map: the order does not matter.
            kept.extend(slots.traced.into_iter().filter_map(|slot| match slot {
                Slot::Cached(_) => None,
                Slot::Traced(key, outcome, consulted) => Some((key, outcome, consulted)),
            }));
        }
        ids
    });
    progress.finish();
    if let Some((c, _)) = cache {
        c.entries.extend(kept.into_iter().map(|(key, outcome, consulted)| (key, (outcome, consulted))));
    }
    TracedPairs { outcomes: outcomes.list, table, reused }
}

/// A chunk's traces, made column by column (`in_column_order`).
struct ColumnOrdered<T> {
    /// In the order traced.
    traced: Vec<T>,
    /// Per pair of the chunk, in the chunk's order: its trace's index in `traced`.
    at: Vec<u32>,
}

impl<T> ColumnOrdered<T> {
    /// The traces in the chunk's order (read in place: a trace is hundreds of bytes, and
    /// moving them back into order was a twentieth of the matrix's time).
    fn in_chunk_order(&self) -> impl Iterator<Item = &T> {
        self.at.iter().map(|&k| &self.traced[k as usize])
    }
}

/// Traces a chunk of pairs (whole rows: a few source classes against every destination class)
/// column by column, in parallel.
///
/// Why: a trace's misses are mostly the destination's tables, NIC and NSGs (its delivery and
/// the reply's start), and row by row the chunk cycles through every destination before
/// meeting one again, far more than the caches hold; column by column each destination's data
/// serves every row of the chunk while it is still cached, and each thread takes its own part
/// of the columns. Read back in the chunk's order, the interned outcomes are unchanged.
fn in_column_order<T: Send>(pairs: &[(u32, u32)], trace: impl Fn(u32, u32) -> T + Sync) -> ColumnOrdered<T> {
    let mut order: Vec<u32> = (0..pairs.len() as u32).collect();
    order.sort_unstable_by_key(|&i| {
        let (src, dst) = pairs[i as usize];
        (dst, src, i)
    });
    let traced: Vec<T> = order
        .par_iter()
        .map(|&i| {
            let (src, dst) = pairs[i as usize];
            trace(src, dst)
        })
        .collect();
    let mut at = vec![0u32; pairs.len()];
    for (k, &i) in order.iter().enumerate() {
        at[i as usize] = k as u32;
    }
    ColumnOrdered { traced, at }
}

/// Distinct outcomes, each with its index in order of first meeting.
#[derive(Default)]
struct Outcomes {
    list: Vec<PairOutcome>,
    ids: HashMap<PairOutcome, u32>,
}

impl Outcomes {
    fn intern(&mut self, o: &PairOutcome) -> u32 {
        if let Some(id) = self.ids.get(o) {
            return *id;
        }
        let id = self.list.len() as u32;
        self.list.push(o.clone());
        self.ids.insert(o.clone(), id);
        id
    }
}

/// Traces the listed class pairs only (in parallel, as [`trace_pairs`] traces each pair):
/// the distinct outcomes, and each listed pair's outcome index, in the list's order.
pub(super) fn trace_listed(
    tracer: &Tracer<'_, '_>,
    query: &ReachQuery,
    sources: &Classes,
    destinations: &Classes,
    pairs: &[(u32, u32)],
) -> (Vec<PairOutcome>, Vec<u32>) {
    let mut outcomes = Outcomes::default();
    let mut ids = Vec::with_capacity(pairs.len());
    for chunk in pairs.chunks(TRACED_CHUNK) {
        let slots: Vec<Slot<'_>> = chunk
            .par_iter()
            .map(|&(src, dst)| trace_slot(tracer, query, sources, destinations, None, false, src, dst))
            .collect();
        ids.extend(slots.iter().map(|slot| match slot {
            Slot::Cached(o) => outcomes.intern(o),
            Slot::Traced(_, o, _) => outcomes.intern(o),
        }));
    }
    (outcomes.list, ids)
}

/// One pair's outcome: from the cache when it holds the pair, else traced.
#[allow(clippy::too_many_arguments)]
fn trace_slot<'c>(
    tracer: &Tracer<'_, '_>,
    query: &ReachQuery,
    sources: &Classes,
    destinations: &Classes,
    cache: Option<&'c PairCache>,
    keep: bool,
    src: u32,
    dst: u32,
) -> Slot<'c> {
    let (src_ip, src_nic, src_subnet) = sources.reps[src as usize];
    let mut dst_ip = destinations.reps[dst as usize].0;
    if dst_ip == src_ip
        && let Some(alt) = destinations.alts[dst as usize]
    {
        dst_ip = alt;
    }
    let key = (src_ip, src_nic, src_subnet, dst_ip);
    if let Some(c) = cache
        && let Some((outcome, _)) = c.entries.get(&key)
    {
        return Slot::Cached(outcome);
    }
    let (outcome, consulted) = if keep {
        trace_pair_consulting(tracer, query, src_ip, src_nic, src_subnet, dst_ip)
    } else {
        (trace_pair(tracer, query, src_ip, src_nic, src_subnet, dst_ip), None)
    };
    Slot::Traced(key, outcome, consulted)
}

/// Traces one representative pair.
fn trace_pair(
    tracer: &Tracer<'_, '_>,
    query: &ReachQuery,
    src_ip: IpAddr,
    src_nic: Option<NicIdx>,
    src_subnet: Option<SubnetIdx>,
    dst_ip: IpAddr,
) -> PairOutcome {
    trace_pair_with(tracer, query, src_ip, src_nic, src_subnet, dst_ip, false).0
}

fn trace_pair_consulting(
    tracer: &Tracer<'_, '_>,
    query: &ReachQuery,
    src_ip: IpAddr,
    src_nic: Option<NicIdx>,
    src_subnet: Option<SubnetIdx>,
    dst_ip: IpAddr,
) -> (PairOutcome, Option<Consulted>) {
    trace_pair_with(tracer, query, src_ip, src_nic, src_subnet, dst_ip, true)
}

/// Traces one representative pair, with what the trace consulted when asked (`None`:
/// unknown, as when routes could not be computed; such a result is recomputed after any
/// change).
fn trace_pair_with(
    tracer: &Tracer<'_, '_>,
    query: &ReachQuery,
    src_ip: IpAddr,
    src_nic: Option<NicIdx>,
    src_subnet: Option<SubnetIdx>,
    dst_ip: IpAddr,
    consulting: bool,
) -> (PairOutcome, Option<Consulted>) {
    if src_ip == dst_ip {
        // A host talking to itself never reaches the network.
        let outcome = PairOutcome {
            reach: Reachability::Delivered,
            verdict: Verdict::Delivered,
            code: None,
            failed: None,
            nvas: Vec::new(),
            firewalls: Vec::new(),
            codes: Vec::new(),
        };
        return (outcome, Some(Consulted::default()));
    }
    let source = match (src_nic, src_subnet) {
        (Some(nic), _) => TraceSource::Nic { nic, ip: src_ip },
        (None, Some(subnet)) => TraceSource::Host { subnet, ip: src_ip },
        (None, None) => TraceSource::External(src_ip),
    };
    let request = TraceRequest {
        source,
        destination: dst_ip,
        protocol: query.protocol,
        source_port: query.source_port,
        destination_port: query.destination_port,
    };
    match tracer.trace(request) {
        Ok(trace) if !consulting => (outcome_of(&trace), None),
        Ok(trace) => {
            let mut subnets: Vec<SubnetIdx> = src_subnet.into_iter().collect();
            let mut vnets: Vec<VnetIdx> = Vec::new();
            for path in std::iter::once(&trace.forward).chain(trace.reverse.as_ref()) {
                subnets.extend(path.consulted.iter().copied());
                vnets.extend(path.consulted_vnets.iter().copied());
            }
            let snap = tracer.routes.snap();
            vnets.extend(subnets.iter().map(|s| snap.subnets[s.index()].vnet));
            subnets.sort_unstable();
            subnets.dedup();
            vnets.sort_unstable();
            vnets.dedup();
            (outcome_of(&trace), Some(Consulted { subnets, vnets }))
        }
        Err(_) => (
            PairOutcome {
                reach: Reachability::Dropped,
                verdict: Verdict::Dropped,
                code: Some(FindingCode::IncompleteSnapshot.as_str()),
                failed: Some(FailedDirection::Request),
                nvas: Vec::new(),
                firewalls: Vec::new(),
                codes: vec![FindingCode::IncompleteSnapshot.as_str()],
            },
            None,
        ),
    }
}

/// Reduces a trace to the outcome the matrix shows.
fn outcome_of(trace: &Trace) -> PairOutcome {
    let mut codes: Vec<&'static str> = trace.findings.iter().map(|f| f.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let first_error = |findings: &[crate::finding::Finding]| {
        findings.iter().find(|f| f.severity == Severity::Error).or_else(|| findings.first()).map(|f| f.code.as_str())
    };
    let forward = &trace.forward;
    let nvas = forward.devices.clone();
    // Every firewall the request reached, the one that denied it or could not decide included.
    let firewalls: Vec<FirewallIdx> = forward
        .hops
        .iter()
        .filter_map(|h| match h.resource {
            HopResource::Firewall(f) => Some(f),
            _ => None,
        })
        .collect();
    let indeterminate = |path: &crate::trace::PathTrace| path.verdict == Verdict::Indeterminate;
    let (reach, code, failed) = if indeterminate(forward) {
        // A firewall's verdict the snapshot cannot decide is not a drop (§16.4).
        (Reachability::Indeterminate, first_error(&forward.findings), Some(FailedDirection::Request))
    } else if let Some(reply) = trace.reverse.as_ref().filter(|r| indeterminate(r)) {
        (Reachability::Indeterminate, first_error(&reply.findings), Some(FailedDirection::Reply))
    } else if !forward.verdict.reached() {
        let code = first_error(&forward.findings).or(match forward.verdict {
            Verdict::Loop => Some(FindingCode::RoutingLoop.as_str()),
            _ => None,
        });
        (Reachability::Dropped, code, Some(FailedDirection::Request))
    } else if let Some(f) = trace.findings.iter().find(|f| f.code == FindingCode::AsymmetricThroughFirewall) {
        // A stateful Azure Firewall that saw one direction only fails the connection (§16.5),
        // unlike an NVA whose guest behaviour the snapshot does not hold (`Asymmetric`); the
        // reply it drops is cut there, so this comes before the reply's own drops.
        (Reachability::Dropped, Some(f.code.as_str()), Some(FailedDirection::Reply))
    } else if let Some(reply) = trace.reverse.as_ref().filter(|r| !r.verdict.reached()) {
        (Reachability::Dropped, first_error(&reply.findings), Some(FailedDirection::Reply))
    } else if trace.findings.iter().any(|f| f.code == FindingCode::AsymmetricPath) {
        (Reachability::Asymmetric, Some(FindingCode::AsymmetricPath.as_str()), Some(FailedDirection::Reply))
    } else if let Some(f) = trace.findings.iter().find(|f| f.code == FindingCode::ForcedTunnelBreaksInbound) {
        (Reachability::Dropped, Some(f.code.as_str()), Some(FailedDirection::Reply))
    } else if nvas.is_empty() && firewalls.is_empty() {
        (Reachability::Delivered, None, None)
    } else {
        (Reachability::DeliveredThroughNva, None, None)
    };
    PairOutcome { reach, verdict: forward.verdict, code, failed, nvas, firewalls, codes }
}

/// What one trace consulted: the subnets whose routes or NSGs decided something and the VNets
/// whose peerings, gateways or subnets did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Consulted {
    pub subnets: Vec<SubnetIdx>,
    pub vnets: Vec<VnetIdx>,
}

/// What a change may have altered: traces that consulted none of it keep their outcome.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Invalidation {
    pub subnets: HashSet<SubnetIdx>,
    pub vnets: HashSet<VnetIdx>,
    /// Everything is stale (the query changed, or a change of another kind).
    pub all: bool,
}

impl Invalidation {
    /// Adds what `more` names.
    pub fn merge(&mut self, more: Invalidation) {
        self.all |= more.all;
        self.subnets.extend(more.subnets);
        self.vnets.extend(more.vnets);
    }

    fn stales(&self, consulted: &Option<Consulted>) -> bool {
        match consulted {
            None => true,
            Some(c) => {
                self.all
                    || c.subnets.iter().any(|s| self.subnets.contains(s))
                    || c.vnets.iter().any(|v| self.vnets.contains(v))
            }
        }
    }
}

/// The representative pairs a matrix traced, keyed by addresses, with their outcomes and what
/// each consulted: the memory of incremental reachability.
#[derive(Clone, Debug, Default)]
pub struct PairCache {
    entries: HashMap<PairKey, (PairOutcome, Option<Consulted>)>,
    /// The flow the outcomes are for.
    flow: Option<(Protocol, u16, u16, bool)>,
}

type PairKey = (IpAddr, Option<NicIdx>, Option<SubnetIdx>, IpAddr);

impl PairCache {
    /// Forgets every kept pair whose trace consulted something `stale` names.
    pub fn forget(&mut self, stale: &Invalidation) {
        if stale.all || !stale.subnets.is_empty() || !stale.vnets.is_empty() {
            self.entries.retain(|_, (_, consulted)| !stale.stales(consulted));
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Traces one concrete address pair, without classes: the naive reference the matrix is
/// checked against. `tracer` comes from [`reach_tracer`].
pub fn reach_pair(
    tracer: &Tracer<'_, '_>,
    query: &ReachQuery,
    src_subnet: SubnetIdx,
    src_ip: IpAddr,
    dst_ip: IpAddr,
) -> PairOutcome {
    let nic = tracer.nic_owning(src_ip).filter(|n| tracer.routes.nic_subnet(*n).ok() == Some(src_subnet));
    trace_pair(tracer, query, src_ip, nic, Some(src_subnet), dst_ip)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Traced column by column, every pair once, and answered in the chunk's own order.
    #[test]
    fn column_order_traces_each_pair_once_and_answers_in_chunk_order() {
        let pairs: Vec<(u32, u32)> = (0..5).flat_map(|s| (0..7).map(move |d| (s, d))).collect();
        let seen = Mutex::new(Vec::new());
        let answers = in_column_order(&pairs, |s, d| {
            seen.lock().expect("no panic while held").push((s, d));
            s * 100 + d
        });
        let expected: Vec<u32> = pairs.iter().map(|&(s, d)| s * 100 + d).collect();
        assert_eq!(answers.in_chunk_order().copied().collect::<Vec<_>>(), expected);
        // Traced destination by destination.
        let traced_dsts: Vec<u32> = answers.traced.iter().map(|a| a % 100).collect();
        assert!(traced_dsts.is_sorted(), "{traced_dsts:?}");
        let mut seen = seen.into_inner().expect("no panic while held");
        assert_eq!(seen.len(), pairs.len());
        seen.sort_unstable();
        assert_eq!(seen, pairs);
    }
}
