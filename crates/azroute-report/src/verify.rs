//! `azroute verify` output: per NIC, every difference between azroute's effective routes and
//! Azure's (missing, extra, changed with the field that differs) and its likely cause, plus the
//! agreement figures; as JSON and as a table.

use azroute_engine::*;
use azroute_model::Snapshot;
use serde::Serialize;

use crate::table;

/// A route in the keys of `show-effective-route-table`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RouteView {
    pub address_prefix: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub next_hop_ip_address: Vec<String>,
    pub next_hop_type: String,
    pub source: String,
    pub state: String,
}

impl RouteView {
    fn of(facts: &RouteFacts) -> RouteView {
        RouteView {
            address_prefix: facts.prefixes.clone(),
            name: facts.name.clone(),
            next_hop_ip_address: facts.next_hop_ips.clone(),
            next_hop_type: facts.next_hop_type.clone(),
            source: facts.source.clone(),
            state: facts.state.clone(),
        }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ChangeView {
    pub field: String,
    pub azroute: String,
    pub azure: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct CauseView {
    pub code: String,
    pub text: String,
}

impl CauseView {
    fn of(cause: &LikelyCause) -> CauseView {
        CauseView { code: cause_code(cause).to_string(), text: cause_text(cause) }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DifferenceView {
    /// `missing` (azroute computes it, Azure does not show it), `extra` (Azure shows it,
    /// azroute does not compute it) or `changed`.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub azroute: Option<RouteView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub azure: Option<RouteView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<ChangeView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub likely_cause: Option<CauseView>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CountsView {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nics: Option<usize>,
    pub matched: usize,
    pub missing: usize,
    pub extra: usize,
    pub changed: usize,
    /// matched / (matched + missing + extra + changed), percent, one decimal.
    pub agreement: f64,
}

impl CountsView {
    fn of(c: &VerifyCounts, with_nics: bool) -> CountsView {
        CountsView {
            nics: with_nics.then_some(c.nics),
            matched: c.matched,
            missing: c.missing,
            extra: c.extra,
            changed: c.changed,
            agreement: round1(c.agreement()),
        }
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct NicView {
    pub nic: String,
    pub nic_id: String,
    pub subnet: String,
    /// The file Azure's routes were read from.
    pub file: String,
    #[serde(flatten)]
    pub counts: CountsView,
    pub differences: Vec<DifferenceView>,
    pub likely_causes: Vec<CauseView>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct VerifyView {
    pub summary: CountsView,
    pub nics: Vec<NicView>,
}

/// One NIC's comparison and the file its observed routes came from.
pub struct NicResult<'a> {
    pub file: &'a str,
    pub verification: &'a NicVerification,
}

pub fn view(snap: &Snapshot, results: &[NicResult<'_>]) -> VerifyView {
    let verifications: Vec<NicVerification> = results.iter().map(|r| r.verification.clone()).collect();
    VerifyView {
        summary: CountsView::of(&total_counts(&verifications), true),
        nics: results
            .iter()
            .map(|r| {
                let v = r.verification;
                let nic = &snap.nics[v.nic.index()];
                NicView {
                    nic: nic.name.clone(),
                    nic_id: nic.id.as_str().to_string(),
                    subnet: snap.subnet_label(v.subnet),
                    file: r.file.to_string(),
                    counts: CountsView::of(&v.counts(), false),
                    differences: v
                        .differences
                        .iter()
                        .map(|d| DifferenceView {
                            kind: d.kind.as_str().to_string(),
                            azroute: d.computed.as_ref().map(RouteView::of),
                            azure: d.observed.as_ref().map(RouteView::of),
                            changes: d
                                .changes
                                .iter()
                                .map(|c| ChangeView {
                                    field: c.field.as_str().to_string(),
                                    azroute: c.computed.clone(),
                                    azure: c.observed.clone(),
                                })
                                .collect(),
                            likely_cause: d.cause.as_ref().map(CauseView::of),
                        })
                        .collect(),
                    likely_causes: v.causes().iter().map(CauseView::of).collect(),
                }
            })
            .collect(),
    }
}

pub fn json(snap: &Snapshot, results: &[NicResult<'_>]) -> String {
    serde_json::to_string_pretty(&view(snap, results)).expect("views serialize")
}

const HEADERS: [&str; 7] = ["Difference", "Source", "Address Prefix", "azroute", "Azure", "Differs In", "Cause"];

fn hop(facts: &RouteFacts) -> String {
    let mut s = format!("{} {}", facts.state, facts.next_hop_type);
    if !facts.next_hop_ips.is_empty() {
        s.push(' ');
        s.push_str(&facts.next_hop_ips.join(" "));
    }
    s
}

fn percent(x: f64) -> String {
    format!("{:.1}%", round1(x))
}

/// The report for a person: per NIC its figures, a table of differences and the likely causes
/// (numbered), then the summary.
pub fn text(snap: &Snapshot, results: &[NicResult<'_>]) -> String {
    let mut out = String::new();
    let v = view(snap, results);
    for (nic, result) in v.nics.iter().zip(results) {
        let c = result.verification.counts();
        out.push_str(&format!(
            "{} ({}), from {}: {} of {} route(s) agree ({}); {} missing, {} extra, {} changed\n",
            nic.nic,
            nic.subnet,
            nic.file,
            c.matched,
            c.total(),
            percent(c.agreement()),
            c.missing,
            c.extra,
            c.changed
        ));
        if nic.differences.is_empty() {
            out.push('\n');
            continue;
        }
        let causes = &nic.likely_causes;
        let rows: Vec<Vec<String>> = result
            .verification
            .differences
            .iter()
            .map(|d| {
                let facts = d.computed.as_ref().or(d.observed.as_ref()).expect("a side");
                let cause = d
                    .cause
                    .as_ref()
                    .and_then(|cause| {
                        let view = CauseView::of(cause);
                        causes.iter().position(|c| *c == view)
                    })
                    .map(|i| format!("[{}]", i + 1))
                    .unwrap_or_default();
                let kind = match d.kind {
                    DifferenceKind::Missing => "missing from Azure",
                    DifferenceKind::Extra => "extra in Azure",
                    DifferenceKind::Changed => "changed",
                };
                vec![
                    kind.to_string(),
                    facts.source.clone(),
                    facts.prefixes.join(" "),
                    d.computed.as_ref().map(hop).unwrap_or_else(|| "-".into()),
                    d.observed.as_ref().map(hop).unwrap_or_else(|| "-".into()),
                    d.changes.iter().map(|c| c.field.as_str()).collect::<Vec<_>>().join(", "),
                    cause,
                ]
            })
            .collect();
        out.push_str(&table::render(&HEADERS, &rows));
        if !causes.is_empty() {
            out.push_str("Likely causes:\n");
            for (i, c) in causes.iter().enumerate() {
                out.push_str(&format!("  [{}] {}\n", i + 1, c.text));
            }
        }
        out.push('\n');
    }
    let total = &v.summary;
    out.push_str(&format!(
        "Summary: {} NIC(s), {} of {} route(s) agree ({}); {} missing (azroute only), {} extra (Azure only), {} changed\n",
        total.nics.unwrap_or(0),
        total.matched,
        total.matched + total.missing + total.extra + total.changed,
        percent(total.agreement),
        total.missing,
        total.extra,
        total.changed
    ));
    out
}
