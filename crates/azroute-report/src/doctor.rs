//! Doctor output: JSON (`{"findings": [...], "summary": {...}}`), a table grouped by severity,
//! and SARIF 2.1.0 for code-scanning pipelines.

use std::collections::BTreeMap;

use azroute_doctor::{Check, DoctorAssumption, DoctorReport};
use azroute_engine::{FoundBy, Severity};
use azroute_model::Snapshot;
use serde::Serialize;

use crate::finding_text::{explanation, severity_rule, title};
use crate::trace::FindingView;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrafficView {
    pub contexts: usize,
    pub candidate_pairs: usize,
    pub traced: usize,
    /// `exhaustive` (every cell of the reachability matrix) or `sampled`.
    pub method: &'static str,
    /// The matrix an exhaustive analysis decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matrix: Option<MatrixView>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MatrixView {
    pub cells: usize,
    pub source_classes: usize,
    pub destination_classes: usize,
    pub traces: usize,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryView {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub by_code: BTreeMap<String, usize>,
    pub checks: usize,
    pub traffic: TrafficView,
}

#[derive(Clone, Debug, Serialize)]
pub struct DoctorView {
    pub findings: Vec<FindingView>,
    pub summary: SummaryView,
    /// What the checks assumed where the snapshot does not say.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<String>,
}

/// An assumption in words.
fn assumption_text(snap: &Snapshot, assumption: &DoctorAssumption) -> String {
    match assumption {
        DoctorAssumption::PowerStateUnknown { vms } => {
            let names: Vec<&str> = vms.iter().take(5).map(|v| snap.vms[v.index()].name.as_str()).collect();
            let more = if vms.len() > 5 { format!(" and {} more", vms.len() - 5) } else { String::new() };
            format!(
                "{} NVA VM(s) have no power state in the snapshot ({}{more}): assumed running; export VMs with `az vm list -d` to check",
                vms.len(),
                names.join(", ")
            )
        }
        DoctorAssumption::Option(option) => option.text(),
    }
}

pub fn view(snap: &Snapshot, report: &DoctorReport) -> DoctorView {
    let mut by_code = BTreeMap::new();
    for f in &report.findings {
        *by_code.entry(f.code.to_string()).or_insert(0) += 1;
    }
    // The doctor orders findings by severity, code and resources; their messages order the
    // rest, for a stable reading order.
    let mut findings: Vec<FindingView> = report.findings.iter().map(|f| FindingView::new(snap, f)).collect();
    findings.sort_by(|a, b| {
        severity_rank(&b.severity)
            .cmp(&severity_rank(&a.severity))
            .then(a.code.cmp(&b.code))
            .then(a.resources.cmp(&b.resources))
            .then(a.message.cmp(&b.message))
    });
    DoctorView {
        findings,
        assumptions: report.assumptions.iter().map(|a| assumption_text(snap, a)).collect(),
        summary: SummaryView {
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
            by_code,
            checks: azroute_doctor::CHECKS.len(),
            traffic: TrafficView {
                contexts: report.traffic.contexts,
                candidate_pairs: report.traffic.candidate_pairs,
                traced: report.traffic.traced,
                method: if report.traffic.matrix.is_some() { "exhaustive" } else { "sampled" },
                matrix: report.traffic.matrix.map(|m| MatrixView {
                    cells: m.cells,
                    source_classes: m.source_classes,
                    destination_classes: m.destination_classes,
                    traces: m.traces,
                }),
            },
        },
    }
}

fn severity_rank(severity: &str) -> Option<Severity> {
    Severity::parse(severity)
}

pub fn json(view: &DoctorView) -> String {
    serde_json::to_string_pretty(view).expect("views serialize")
}

fn short(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

/// Findings grouped by severity, most severe first.
pub fn text(view: &DoctorView) -> String {
    let mut out = String::new();
    for (severity, title) in [("error", "ERRORS"), ("warning", "WARNINGS"), ("info", "INFO")] {
        let group: Vec<&FindingView> = view.findings.iter().filter(|f| f.severity == severity).collect();
        if group.is_empty() {
            continue;
        }
        out.push_str(&format!("{} ({})\n", crate::style::paint(title), group.len()));
        for f in group {
            let resources: Vec<&str> = f.resources.iter().map(|r| short(r)).collect();
            out.push_str(&format!("  {} [{}]\n", f.code, resources.join(", ")));
            out.push_str(&format!("    {}\n", f.message));
            for e in f.evidence.iter().take(4) {
                out.push_str(&format!("    evidence: {e}\n"));
            }
            out.push_str(&format!("    fix: {}\n", f.fix));
        }
        out.push('\n');
    }
    for a in &view.assumptions {
        out.push_str(&format!("assumed: {a}\n"));
    }
    let s = &view.summary;
    if view.findings.is_empty() {
        out.push_str("No findings.\n");
    }
    let traffic = match &s.traffic.matrix {
        Some(m) => format!(
            "traffic analysis covered every path: {} cell(s) from {} source and {} destination address class(es) ({} traces), {} path(s) traced for their findings",
            m.cells, m.source_classes, m.destination_classes, m.traces, s.traffic.traced
        ),
        None => format!(
            "traffic analysis traced {} of {} NVA path(s) between {} route context(s)",
            s.traffic.traced, s.traffic.candidate_pairs, s.traffic.contexts
        ),
    };
    out.push_str(&format!(
        "Summary: {} error(s), {} warning(s), {} info; {} checks; {traffic}\n",
        s.errors, s.warnings, s.infos, s.checks
    ));
    out
}

/// The long explanation of one check.
pub fn explain(check: &Check) -> String {
    let severity = match severity_rule(check.code) {
        Some(rule) => format!("{}; {rule}", check.severity.as_str()),
        None => check.severity.as_str().to_string(),
    };
    let mut out = format!(
        "{} ({}, default severity {severity})\n\n{}\n",
        check.code,
        title(check.code),
        wrap(explanation(check.code), 96)
    );
    if check.found_by == FoundBy::Traffic {
        out.push_str("\nFound by tracing traffic: every path of the reachability matrix (routing only) whose traffic does not connect, from on-premises, and to the addresses user routes send to an NVA; on very large estates an announced sample of route-context pairs.\n");
    }
    out.push_str("\nAzure documentation:\n");
    for d in check.docs {
        out.push_str(&format!("  {d}\n"));
    }
    out
}

fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out
}

/// SARIF 2.1.0: one rule per check, one result per finding, located at the input file of its
/// first resource (and the resource id as a logical location).
pub fn sarif(snap: &Snapshot, view: &DoctorView) -> String {
    let level = |s: &str| match s {
        "error" => "error",
        "warning" => "warning",
        _ => "note",
    };
    let rules: Vec<serde_json::Value> = azroute_doctor::CHECKS
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.code.as_str(),
                "name": c.code.as_str(),
                "shortDescription": {"text": title(c.code)},
                "fullDescription": {"text": explanation(c.code)},
                "helpUri": c.docs.first().copied().unwrap_or(""),
                "help": {"text": format!("{}\n\nAzure documentation: {}", explanation(c.code), c.docs.join(" "))},
                "defaultConfiguration": {"level": level(c.severity.as_str())},
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = view
        .findings
        .iter()
        .map(|f| {
            let mut locations = Vec::new();
            if let Some(first) = f.resources.first() {
                let mut location = serde_json::json!({
                    "logicalLocations": f.resources.iter().map(|r| serde_json::json!({"fullyQualifiedName": r, "kind": "resource"})).collect::<Vec<_>>(),
                });
                if let Some(origin) = snap.origin_of(first) {
                    let file = snap.file_of(origin);
                    if !file.starts_with("example:") && file != "<built-in>" {
                        location["physicalLocation"] = serde_json::json!({"artifactLocation": {"uri": file.replace('\\', "/")}});
                    }
                }
                locations.push(location);
            }
            serde_json::json!({
                "ruleId": f.code,
                "level": level(&f.severity),
                "message": {"text": format!("{} Fix: {}", f.message, f.fix)},
                "locations": locations,
                "properties": {"fix": f.fix, "evidence": f.evidence, "resources": f.resources},
            })
        })
        .collect();
    let doc = serde_json::json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": {"driver": {
                "name": "azroute",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/azroute/azroute",
                "rules": rules,
            }},
            "results": results,
        }]
    });
    serde_json::to_string_pretty(&doc).expect("SARIF serializes")
}
