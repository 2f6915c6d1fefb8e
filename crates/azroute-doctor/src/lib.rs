//! `azroute doctor`: finds and explains the routing misconfigurations of a whole estate, each
//! with a stable code, the resources involved, the evidence and the fix.
//!
//! Architecture invariant: the doctor is pure like the engine (no IO, no serde). Checks that
//! read settings and computed route tables live in `checks.rs`; checks that need traffic
//! (asymmetric paths, loops, black holes) run the trace engine over representative pairs of
//! route contexts in `traffic.rs`. The catalogue (`catalogue.rs`) documents every code.

#![forbid(unsafe_code)]

pub mod catalogue;
mod checks;
mod traffic;

use std::collections::BTreeSet;

use azroute_engine::{Finding, RouteEngine, Severity, Tracer};
use azroute_model::*;

pub use catalogue::{CHECKS, Check};
pub use traffic::{TRAFFIC_CODES, TrafficStats};

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
    let wanted = |code: &str| config.only.as_ref().is_none_or(|list| list.iter().any(|c| c.eq_ignore_ascii_case(code)));
    // Compute every table once, in parallel, before the checks read them.
    let _ = routes.all_subnet_tables();
    let mut findings = Vec::new();
    doctor.route_table_checks(&mut findings);
    doctor.special_subnet_checks(&mut findings);
    doctor.peering_checks(&mut findings);
    doctor.table_checks(&mut findings);
    if wanted("ForcedTunnelBreaksInbound") {
        doctor.forced_tunnel_checks(&mut findings);
    }
    if wanted("NsgBlocksProbe") {
        doctor.nsg_checks(&mut findings);
    }
    doctor.vm_checks(&mut findings);
    let traffic = if TRAFFIC_CODES.iter().any(|c| wanted(c)) {
        doctor.traffic_checks(config.max_traces, &mut findings)
    } else {
        TrafficStats::default()
    };
    findings.retain(|f| f.severity >= config.min_severity && (wanted(f.code) || f.code == catalogue::TRAFFIC_SAMPLED));
    let mut seen = BTreeSet::new();
    findings.retain(|f| seen.insert((f.code, f.resources.clone(), f.message.clone())));
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.code.cmp(b.code))
            .then(a.resources.cmp(&b.resources))
            .then(a.message.cmp(&b.message))
    });
    DoctorReport { findings, traffic }
}
