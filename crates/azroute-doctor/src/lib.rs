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
use std::collections::HashMap;

use azroute_engine::RouteEngine;
use azroute_engine::Tracer;
use azroute_engine::{Finding, FindingCode, ResourceRef, Severity};
use azroute_model::*;

pub use catalogue::{CHECKS, Check};
pub use traffic::{TrafficStats, traffic_codes};

/// What to run and report.
#[derive(Clone, Debug)]
pub struct DoctorConfig {
    /// Only these codes (case-insensitive); `None` for all.
    pub only: Option<Vec<String>>,
    /// Report findings of this severity and above.
    pub min_severity: Severity,
    /// The most paths traffic analysis traces; beyond it an evenly spread sample is traced.
    pub max_traces: usize,
}

impl Default for DoctorConfig {
    fn default() -> DoctorConfig {
        DoctorConfig { only: None, min_severity: Severity::Info, max_traces: 20_000 }
    }
}

/// Everything the doctor found.
#[derive(Clone, Debug)]
pub struct DoctorReport {
    /// Most severe first, then by code and resources.
    pub findings: Vec<Finding>,
    pub traffic: TrafficStats,
}

impl DoctorReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
}

/// The state the checks share.
pub(crate) struct Doctor<'e, 's> {
    pub snap: &'s Snapshot,
    pub routes: &'e RouteEngine<'s>,
    pub tracer: Tracer<'e, 's>,
    pub nics_by_subnet: Vec<Vec<NicIdx>>,
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
    let doctor = Doctor { snap, routes, tracer, nics_by_subnet };
    let wanted = |code: FindingCode| {
        config.only.as_ref().is_none_or(|list| list.iter().any(|c| c.eq_ignore_ascii_case(code.as_str())))
    };
    // A warm-up, not a silencer: every table is computed once, in parallel, before the checks
    // read them one by one.
    routes.all_subnet_tables();
    let mut findings = Vec::new();
    doctor.route_table_checks(&mut findings);
    doctor.special_subnet_checks(&mut findings);
    doctor.peering_checks(&mut findings);
    doctor.context_checks(&mut findings);
    if wanted(FindingCode::ForcedTunnelBreaksInbound) {
        doctor.forced_tunnel_checks(&mut findings);
    }
    if wanted(FindingCode::NsgBlocksProbe) {
        doctor.nsg_checks(&mut findings);
    }
    doctor.effective_routes_require_running_vm(&mut findings);
    doctor.on_premises_overlap_checks(&mut findings);
    let traffic = if traffic_codes().any(wanted) {
        doctor.traffic_checks(config.max_traces, &mut findings)
    } else {
        TrafficStats::default()
    };
    findings.retain(|f| {
        f.severity >= config.min_severity && (wanted(f.code) || f.code == FindingCode::TrafficAnalysisSampled)
    });
    let findings = without_repeats(findings);
    DoctorReport { findings: in_report_order(snap, findings), traffic }
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

/// Most severe first, then by code and by the ids of the resources; the order they were found
/// in otherwise.
fn in_report_order(snap: &Snapshot, mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by_cached_key(|f| {
        let ids: Vec<String> = f.resources.iter().map(|r| r.id(snap).to_string()).collect();
        (Reverse(f.severity), f.code.as_str(), ids)
    });
    findings
}
