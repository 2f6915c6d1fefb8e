//! `azroute doctor`: finds the routing misconfigurations of a whole estate, each a finding
//! with a stable code, the resources involved and typed evidence; the report layer explains
//! them and says how to fix them.
//!
//! Architecture invariant: the doctor is pure like the engine (no IO, no serde) and builds no
//! text. Checks that read settings and computed route tables live in `checks/`, one module per
//! family and one function per code; checks that need traffic (asymmetric paths, loops, black
//! holes) run the trace engine over representative pairs of route contexts in `traffic.rs`.
//! Every code, with its severity and documentation, is in the engine's catalogue
//! ([`azroute_engine::catalogue()`]); [`catalogue`] finds the doctor's checks.

#![forbid(unsafe_code)]

pub mod catalogue;
mod checks;
mod traffic;

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Mutex;

use azroute_engine::{Finding, FindingCode, OptionAssumption, ResourceRef, Severity, option_assumptions};
use azroute_engine::{RouteEngine, SecurityEngine, Tracer};
use azroute_model::*;
use ipnet::IpNet;

pub use catalogue::{CHECKS, Check};
pub use traffic::{MatrixStats, TrafficStats, traffic_codes, traffic_query};

/// What to run and report.
#[derive(Clone, Debug)]
pub struct DoctorConfig {
    /// Only these codes (case-insensitive); `None` for all.
    pub only: Option<Vec<String>>,
    /// Report findings of this severity and above.
    pub min_severity: Severity,
    /// Traffic analysis is exhaustive (every cell of the reachability matrix) up to this many
    /// cells (source subnets × destination columns); beyond it, sampled (BENCHMARKS.md).
    pub exhaustive_cells: usize,
    /// The most paths a sampled traffic analysis traces; beyond it an evenly spread sample is
    /// traced.
    pub max_traces: usize,
    /// The named options of the firewall's disputed behaviour (§16.6) the firewall checks
    /// assume.
    pub firewall: FirewallOptions,
}

/// The default of [`DoctorConfig::exhaustive_cells`]: about a 20k-NIC estate (BENCHMARKS.md).
pub const EXHAUSTIVE_CELLS: usize = 2_500_000;

impl Default for DoctorConfig {
    fn default() -> DoctorConfig {
        DoctorConfig {
            only: None,
            min_severity: Severity::Info,
            exhaustive_cells: EXHAUSTIVE_CELLS,
            max_traces: 20_000,
            firewall: FirewallOptions::default(),
        }
    }
}

/// Everything the doctor found.
#[derive(Clone, Debug)]
pub struct DoctorReport {
    /// Most severe first, then by code and resources; one per code and root cause.
    pub findings: Vec<Finding>,
    pub traffic: TrafficStats,
    /// What the checks assumed where the snapshot could not say.
    pub assumptions: Vec<DoctorAssumption>,
}

/// Something the doctor assumed because the snapshot does not say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DoctorAssumption {
    /// These VMs, NVAs that user routes send traffic to, have no power state in the export
    /// (`az vm list` without `-d`): `NvaNotRunning` assumed them running.
    PowerStateUnknown { vms: Vec<VmIdx> },
    /// A modelling option the checks and the traffic analysis relied on (§16.6, §17.4).
    Option(OptionAssumption),
}

impl DoctorReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
}

/// The destination port of the flows traffic analysis and the NSG checks of forwarded traffic
/// stand for (TCP, from port 50000).
pub(crate) const TRAFFIC_PORT: u16 = 443;

/// A representative host of a prefix: its fourth address (the first Azure hands out), or for
/// very wide prefixes a documentation address inside them (0.0.0.4 would be reserved space).
pub(crate) fn first_host(prefix: &IpNet) -> Option<IpAddr> {
    match prefix {
        IpNet::V4(n) if n.prefix_len() < 8 => {
            let doc: IpAddr = "198.51.100.10".parse().expect("valid");
            prefix.contains(&doc).then_some(doc)
        }
        IpNet::V4(n) if n.prefix_len() < 31 => Some(IpAddr::V4((u32::from(n.network()) + 4).into())),
        _ => None,
    }
}

/// The state the checks share.
pub(crate) struct Doctor<'e, 's> {
    pub snap: &'s Snapshot,
    pub routes: &'e RouteEngine<'s>,
    pub tracer: Tracer<'e, 's>,
    pub security: SecurityEngine<'e, 's>,
    pub nics_by_subnet: Vec<Vec<NicIdx>>,
    /// NVA VMs without a power state, which the checks assumed running.
    pub power_state_unknown: Mutex<BTreeSet<VmIdx>>,
}

/// Runs every check on an estate.
pub fn run(routes: &RouteEngine<'_>, config: &DoctorConfig) -> DoctorReport {
    let snap = routes.snap();
    let mut tracer = Tracer::new(routes);
    // Routing-only traces: NSG problems are per rule, and checked on their own.
    tracer.evaluate_nsgs = false;
    let mut nics_by_subnet = vec![Vec::new(); snap.subnets.len()];
    for (i, nic) in snap.nics.iter().enumerate() {
        if let Some(s) = nic.primary_ip_config().and_then(|c| c.subnet.as_ref()).and_then(|l| l.resolved()) {
            nics_by_subnet[s.index()].push(NicIdx(i as u32));
        }
    }
    let doctor = Doctor {
        snap,
        routes,
        tracer,
        security: SecurityEngine::new(routes),
        nics_by_subnet,
        power_state_unknown: Mutex::new(BTreeSet::new()),
    };
    let wanted = |code: FindingCode| {
        config.only.as_ref().is_none_or(|list| list.iter().any(|c| c.eq_ignore_ascii_case(code.as_str())))
    };
    // A warm-up, not a silencer: every table is computed once, in parallel, before the checks
    // read them one by one.
    routes.all_subnet_tables();
    let mut findings = Vec::new();
    doctor.route_table_checks(&mut findings);
    doctor.special_subnet_checks(&mut findings);
    doctor.egress_checks(&mut findings);
    doctor.peering_checks(&mut findings);
    doctor.context_checks(&mut findings);
    doctor.firewall_subnet_checks(&config.firewall, &mut findings);
    doctor.firewall_policy_checks(&config.firewall, &mut findings);
    doctor.firewall_routing_checks(&mut findings);
    doctor.firewall_client_checks(&config.firewall, &mut findings);
    if wanted(FindingCode::ForcedTunnelBreaksInbound) {
        doctor.forced_tunnel_checks(&mut findings);
    }
    if wanted(FindingCode::NsgBlocksProbe) {
        doctor.nsg_checks(&mut findings);
    }
    doctor.effective_routes_require_running_vm(&mut findings);
    doctor.on_premises_overlap_checks(&mut findings);
    doctor.avnm_checks(&mut findings);
    doctor.route_server_checks(&mut findings);
    doctor.vwan_checks(&mut findings);
    let traffic = if traffic_codes().any(wanted) {
        doctor.traffic_checks(config, &mut findings)
    } else {
        TrafficStats::default()
    };
    findings.retain(|f| {
        f.severity >= config.min_severity && (wanted(f.code) || f.code == FindingCode::TrafficAnalysisSampled)
    });
    let findings = grouped_by_cause(findings);
    let mut assumptions = Vec::new();
    let unknown = doctor.power_state_unknown.into_inner().unwrap_or_default();
    if !unknown.is_empty() && wanted(FindingCode::NvaNotRunning) {
        assumptions.push(DoctorAssumption::PowerStateUnknown { vms: unknown.into_iter().collect() });
    }
    assumptions.extend(option_assumptions(snap, routes.options()).into_iter().map(DoctorAssumption::Option));
    DoctorReport { findings: in_report_order(snap, findings), traffic, assumptions }
}

/// The findings, each once: the same problem can be proven from several subnets or paths.
fn without_repeats(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut by_resources: HashMap<(FindingCode, Vec<ResourceRef>), Vec<usize>> = HashMap::new();
    for f in findings {
        let same = by_resources.entry((f.code, f.resources.clone())).or_default();
        if !same.iter().any(|&i| out[i] == f) {
            same.push(out.len());
            out.push(f);
        }
    }
    out
}

/// One finding per code, severity and root cause (a finding's first resource): problems with
/// one cause (one route table's default route widening the tag of many subnets, one VNet behind
/// many non-transitive pairs) are reported as one finding that keeps the others' evidence and
/// lists their resources.
fn grouped_by_cause(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    type Key = (FindingCode, Severity, Option<ResourceRef>);
    let mut by_cause: HashMap<Key, (usize, HashSet<ResourceRef>)> = HashMap::new();
    for f in without_repeats(findings) {
        let key = (f.code, f.severity, f.resources.first().copied());
        let Some((i, listed)) = by_cause.get_mut(&key) else {
            by_cause.insert(key, (out.len(), f.resources.iter().copied().collect()));
            out.push(f);
            continue;
        };
        let group = &mut out[*i];
        if let (Some(paths), Some(more)) = (group.traced.as_mut(), f.traced) {
            paths.count += more.count;
            let room = 3usize.saturating_sub(paths.examples.len());
            paths.examples.extend(more.examples.into_iter().take(room));
        }
        group.resources.extend(f.resources.into_iter().filter(|r| listed.insert(*r)));
        group.grouped.push(f.evidence);
    }
    out
}

/// Most severe first, then by code and by the ids of the resources; the order they were found
/// in otherwise.
fn in_report_order(snap: &Snapshot, mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by_cached_key(|f| {
        let ids: Vec<String> = f.resources.iter().map(|r| r.id(snap).to_string()).collect();
        (Reverse(f.severity), f.code.as_str(), ids)
    });
    findings
}
