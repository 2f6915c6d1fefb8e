//! Findings that need traffic (asymmetry, loops, forwarded traffic refused, black holes): the
//! trace engine run over a representative address of every pair of route contexts (and
//! on-premises ranges) whose routes involve an NVA, rather than ad-hoc pattern matching.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

use azroute_engine::*;
use azroute_model::*;
use ipnet::IpNet;
use rayon::prelude::*;

use crate::Doctor;

/// Codes whose findings come from traces (the static checks own the others).
pub const TRAFFIC_CODES: &[&str] = &[
    "AsymmetricPath",
    "RoutingLoop",
    "ForwardedTrafficNotAllowed",
    "DroppedByNoneRoute",
    "NonTransitivePeering",
    "PrivateDestinationToInternet",
];

/// How much traffic analysis was done.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrafficStats {
    /// Distinct route contexts with a NIC to stand for them.
    pub contexts: usize,
    /// Context pairs (and on-premises pairs) whose routes involve an NVA.
    pub candidate_pairs: usize,
    /// Pairs actually traced.
    pub traced: usize,
}

/// A stand-in for every subnet of one route context: a NIC and its address.
#[derive(Clone, Debug)]
struct Rep {
    subnet: SubnetIdx,
    nic: NicIdx,
    ip: IpAddr,
    table: std::sync::Arc<EffectiveRouteTable>,
}

#[derive(Clone, Copy, Debug)]
enum End {
    Context(usize),
    OnPremises(IpAddr),
    /// An address a user route sends to an NVA, outside any subnet of the estate.
    Routed(IpAddr),
}

/// A representative host of a prefix: its fourth address (the first Azure hands out), or for
/// very wide prefixes a documentation address inside them (0.0.0.4 would be reserved space).
fn first_host(prefix: &IpNet) -> Option<IpAddr> {
    match prefix {
        IpNet::V4(n) if n.prefix_len() < 8 => {
            let doc: IpAddr = "198.51.100.10".parse().expect("valid");
            prefix.contains(&doc).then_some(doc)
        }
        IpNet::V4(n) if n.prefix_len() < 31 => Some(IpAddr::V4((u32::from(n.network()) + 4).into())),
        _ => None,
    }
}

impl Doctor<'_, '_> {
    fn representatives(&self) -> Vec<Rep> {
        let snap = self.snap;
        let mut seen: BTreeMap<String, ()> = BTreeMap::new();
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
            if seen.insert(format!("{key:?}"), ()).is_some() {
                continue;
            }
            let table = self.routes.table_for_key(&key);
            reps.push(Rep { subnet, nic, ip, table });
        }
        reps
    }

    pub(crate) fn traffic_checks(&self, max_traces: usize, out: &mut Vec<Finding>) -> TrafficStats {
        let snap = self.snap;
        let topo = self.routes.topology();
        let reps = self.representatives();
        let appliance = |table: &EffectiveRouteTable, ip: IpAddr| {
            table
                .fib
                .lookup(ip)
                .is_some_and(|e| table.routes[e.route as usize].next_hop_type == NextHopType::VirtualAppliance)
        };
        // Context pairs are a rows × columns square (16 M candidates on a 100k-NIC estate), so
        // they are counted per row first and only the sampled ones are materialised.
        let row = |a: usize| {
            let ra = &reps[a];
            reps.iter()
                .enumerate()
                .filter(move |&(b, rb)| a != b && (appliance(&ra.table, rb.ip) || appliance(&rb.table, ra.ip)))
                .map(move |(b, _)| (End::Context(a), End::Context(b)))
        };
        let row_counts: Vec<usize> = (0..reps.len()).into_par_iter().map(|a| row(a).count()).collect();
        let context_pairs: usize = row_counts.iter().sum();
        let mut pairs: Vec<(End, End)> = Vec::new();
        let estate_prefixes: Vec<IpNet> = snap.subnets.iter().flat_map(|s| s.prefixes.iter().copied()).collect();
        let estate = azroute_engine::RangeSet::new(&estate_prefixes);
        let in_estate = |ip: IpAddr| estate.contains(ip);
        for (a, ra) in reps.iter().enumerate() {
            let mut probed: Vec<IpAddr> = Vec::new();
            for r in ra.table.routes.iter().filter(|r| {
                r.source == RouteSource::User && r.is_active() && r.next_hop_type == NextHopType::VirtualAppliance
            }) {
                for p in r.prefixes.iter().take(4) {
                    let Some(ip) = first_host(p) else { continue };
                    if in_estate(ip) || probed.contains(&ip) {
                        continue;
                    }
                    probed.push(ip);
                    pairs.push((End::Context(a), End::Routed(ip)));
                }
            }
        }
        // On-premises: one address per gateway prefix, to and from every context the gateway
        // serves, when either direction involves an NVA (GatewaySubnet routes included).
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
                    let inbound_nva = gateway_subnet_table.as_ref().is_some_and(|t| appliance(t, rb.ip));
                    if appliance(&rb.table, onprem) || inbound_nva {
                        pairs.push((End::Context(b), End::OnPremises(onprem)));
                        pairs.push((End::OnPremises(onprem), End::Context(b)));
                    }
                }
            }
        }
        let candidate_pairs = context_pairs + pairs.len();
        // A deterministic, evenly spread sample when there are more pairs than the budget: the
        // pairs at indices ⌊i × step⌋ of the sequence context pairs (row by row), then the rest.
        let budget = if max_traces == 0 { 0 } else { candidate_pairs.min(max_traces) };
        let step = candidate_pairs as f64 / budget.max(1) as f64;
        let mut wanted = (0..budget).map(|i| (i as f64 * step) as usize).peekable();
        let mut sampled: Vec<(End, End)> = Vec::with_capacity(budget);
        let mut row_start = 0;
        for (a, &count) in row_counts.iter().enumerate() {
            let row_end = row_start + count;
            if wanted.peek().is_some_and(|&w| w < row_end) {
                for (k, pair) in row(a).enumerate() {
                    while wanted.peek() == Some(&(row_start + k)) {
                        sampled.push(pair);
                        wanted.next();
                    }
                }
            }
            row_start = row_end;
        }
        for (k, &pair) in pairs.iter().enumerate() {
            while wanted.peek() == Some(&(context_pairs + k)) {
                sampled.push(pair);
                wanted.next();
            }
        }
        let pairs = sampled;
        let traced = pairs.len();
        let traces: Vec<(End, End, Option<Trace>)> = pairs
            .par_iter()
            .map(|&(from, to)| {
                let source = match from {
                    End::Context(a) => TraceSource::Nic { nic: reps[a].nic, ip: reps[a].ip },
                    End::OnPremises(ip) | End::Routed(ip) => TraceSource::External(ip),
                };
                let destination = match to {
                    End::Context(b) => reps[b].ip,
                    End::OnPremises(ip) | End::Routed(ip) => ip,
                };
                let request = TraceRequest {
                    source,
                    destination,
                    protocol: Protocol::Tcp,
                    source_port: 50000,
                    destination_port: 443,
                };
                (from, to, self.tracer.trace(request).ok())
            })
            .collect();
        let label = |end: End| match end {
            End::Context(i) => format!("`{}` ({})", snap.subnet_label(reps[i].subnet), reps[i].ip),
            End::OnPremises(ip) => format!("on-premises ({ip})"),
            End::Routed(ip) => format!("{ip} (routed to an NVA)"),
        };
        // Aggregate identical problems seen on several pairs.
        // (code, resources) → (first finding, paths seen, example paths).
        type Group = (Finding, usize, Vec<String>);
        let mut grouped: HashMap<(&'static str, Vec<String>), Group> = HashMap::new();
        let mut order: Vec<(&'static str, Vec<String>)> = Vec::new();
        for (from, to, trace) in &traces {
            let Some(trace) = trace else { continue };
            for f in trace.findings.iter().filter(|f| TRAFFIC_CODES.contains(&f.code)) {
                let mut resources = f.resources.clone();
                resources.sort();
                let key = (f.code, resources);
                let example = format!("{} → {}", label(*from), label(*to));
                match grouped.get_mut(&key) {
                    Some(entry) => {
                        entry.1 += 1;
                        if entry.2.len() < 3 {
                            entry.2.push(example);
                        }
                    }
                    None => {
                        order.push(key.clone());
                        grouped.insert(key, (f.clone(), 1, vec![example]));
                    }
                }
            }
        }
        for key in order {
            let (mut f, count, examples) = grouped.remove(&key).expect("grouped");
            let pairs_text = if count == 1 { "1 traced path".to_string() } else { format!("{count} traced paths") };
            f.message = format!("{} ({pairs_text}, e.g. {})", f.message, examples[0]);
            for e in examples {
                f.evidence.push(format!("path: {e}"));
            }
            out.push(f);
        }
        if traced < candidate_pairs {
            out.push(Finding::new(
                crate::catalogue::TRAFFIC_SAMPLED,
                Severity::Info,
                format!("traffic analysis traced {traced} of {candidate_pairs} context pairs involving an NVA (an evenly spread sample)"),
                "raise --max-traces to trace them all",
            ));
        }
        TrafficStats { contexts: reps.len(), candidate_pairs, traced }
    }
}
