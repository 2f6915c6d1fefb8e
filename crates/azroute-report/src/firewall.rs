//! `azroute firewall-flow`: Azure Firewall's verdict for one flow (§16.2, §16.3) as JSON
//! (`action`, `pass`, `policy`, `ruleCollectionGroup`, `ruleCollection`, `rule`, `snat`, `dnat`,
//! `skipped`, `reasons`; `candidates` with `--explain`) and as a table.

use serde::Serialize;

use azroute_engine::*;
use azroute_model::*;

use crate::finding_text::{
    action_str, no_match_text, pass_str, reason_text, rule_place_text, snat_text, undecided_text,
};
use crate::table;

/// The verdict, as `firewall-flow` prints it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FirewallFlowView {
    pub action: String,
    pub pass: String,
    pub policy: Option<String>,
    pub rule_collection_group: Option<String>,
    pub rule_collection: Option<String>,
    pub rule: Option<String>,
    pub snat: Option<SnatView>,
    pub dnat: Option<DnatView>,
    pub skipped: Vec<SkippedView>,
    /// Why the answer is what it is: what could not be decided, and what was not evaluated.
    pub reasons: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Vec<CandidateView>>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SnatView {
    /// `false`: the source is kept; `null`: the snapshot cannot say.
    pub translated: Option<bool>,
    /// `PublicIp` or `AzureFirewallSubnet`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
    pub description: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DnatView {
    pub translated_address: String,
    pub translated_port: Option<u16>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SkippedView {
    pub rule_collection_group: Option<String>,
    pub rule_collection: String,
    pub rule: Option<String>,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CandidateView {
    pub pass: String,
    pub policy: Option<String>,
    pub rule_collection_group: Option<String>,
    pub rule_collection: String,
    pub action: String,
    pub rule: Option<String>,
    /// `Match`, `NoMatch` or `Undecided`.
    pub result: String,
    pub reason: Option<String>,
}

fn policy_name(snap: &Snapshot, place: &RulePlace) -> Option<String> {
    place.policy.map(|p| snap.firewall_policies[p.index()].name.clone())
}

fn snat_view(snap: &Snapshot, s: &Snat) -> SnatView {
    let (translated, to, addresses) = match s {
        Snat::NotTranslated => (Some(false), None, Vec::new()),
        Snat::ToPublicIp { addresses } => {
            (Some(true), Some("PublicIp"), addresses.iter().map(|a| a.to_string()).collect())
        }
        Snat::ToFirewallSubnet { .. } => (Some(true), Some("AzureFirewallSubnet"), Vec::new()),
        Snat::Unknown => (None, None, Vec::new()),
    };
    SnatView { translated, to: to.map(str::to_string), addresses, description: snat_text(snap, s) }
}

fn candidate_view(snap: &Snapshot, c: &CandidateRule) -> CandidateView {
    let (result, reason) = match &c.result {
        RuleMatch::Yes => ("Match", None),
        RuleMatch::No(n) => ("NoMatch", Some(no_match_text(n).to_string())),
        RuleMatch::Unknown(u) => ("Undecided", Some(undecided_text(u))),
    };
    CandidateView {
        pass: pass_str(c.place.pass).to_string(),
        policy: policy_name(snap, &c.place),
        rule_collection_group: c.place.group.clone(),
        rule_collection: c.place.collection.clone(),
        action: c.place.action.as_str().to_string(),
        rule: c.place.rule.clone(),
        result: result.to_string(),
        reason,
    }
}

/// C33, said when a flow is addressed to a firewall's private IP: which reading was assumed.
pub fn dnat_private_ip_text(supported: bool) -> &'static str {
    if supported {
        "assumed: DNAT rules match the firewall's private IP (supported on Standard and Premium by the 2025 known issues and the DNAT tutorial; the 2023 known issues said unsupported, conflict C33: `--dnat-private-ip-unsupported`)"
    } else {
        "assumed: DNAT rules never match the firewall's private IP (option --dnat-private-ip-unsupported or a Basic firewall, conflict C33; the 2025 known issues support it on Standard and Premium)"
    }
}

/// The view of a verdict; `explain` keeps the candidates.
pub fn flow_view(snap: &Snapshot, v: &FirewallVerdict, explain: bool) -> FirewallFlowView {
    let place = v.decided_by.as_ref().filter(|p| p.pass != FirewallPass::Default);
    let mut reasons: Vec<String> = v.reasons.iter().map(|r| reason_text(snap, r)).collect();
    if v.caveats.threat_intel_deny {
        reasons.push("threat intelligence is in Deny mode and one end is public: its feed, not in the snapshot, may drop this flow first".to_string());
    }
    if let Some(supported) = v.caveats.dnat_private_ip {
        reasons.push(dnat_private_ip_text(supported).to_string());
    }
    reasons.push(
        "not evaluated: threat intelligence, IDPS and TLS inspection (no feed or signatures in a snapshot)".to_string(),
    );
    FirewallFlowView {
        action: action_str(v.action).to_string(),
        pass: pass_str(v.pass).to_string(),
        policy: place.and_then(|p| policy_name(snap, p)),
        rule_collection_group: place.and_then(|p| p.group.clone()),
        rule_collection: place.map(|p| p.collection.clone()),
        rule: place.and_then(|p| p.rule.clone()),
        snat: v.snat.as_ref().map(|s| snat_view(snap, s)),
        dnat: v.dnat.as_ref().map(|d| DnatView {
            translated_address: d.translated_address.to_string(),
            translated_port: d.translated_port,
        }),
        skipped: v
            .skipped
            .iter()
            .map(|(p, n)| SkippedView {
                rule_collection_group: p.group.clone(),
                rule_collection: p.collection.clone(),
                rule: p.rule.clone(),
                reason: no_match_text(n).to_string(),
            })
            .collect(),
        reasons,
        candidates: explain.then(|| v.candidates.iter().map(|c| candidate_view(snap, c)).collect()),
    }
}

pub fn flow_json(view: &FirewallFlowView) -> String {
    serde_json::to_string_pretty(view).expect("views serialize")
}

pub fn flow_text(snap: &Snapshot, v: &FirewallVerdict, view: &FirewallFlowView) -> String {
    let dash = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".to_string());
    let mut out = table::render(
        &["Action", "Pass", "Policy", "Rule Collection Group", "Rule Collection", "Rule"],
        &[vec![
            view.action.clone(),
            view.pass.clone(),
            dash(&view.policy),
            dash(&view.rule_collection_group),
            dash(&view.rule_collection),
            dash(&view.rule),
        ]],
    );
    if let Some(place) = &v.decided_by {
        out.push_str(&format!("decided by: {}\n", rule_place_text(snap, place)));
    }
    if let Some(s) = &view.snat {
        out.push_str(&format!("SNAT: {}\n", s.description));
    }
    if let Some(d) = &view.dnat {
        let port = d.translated_port.map(|p| format!(":{p}")).unwrap_or_default();
        out.push_str(&format!("DNAT: to {}{port}\n", d.translated_address));
    }
    for s in &view.skipped {
        out.push_str(&format!(
            "skipped: collection `{}` rule `{}`: {}\n",
            s.rule_collection,
            s.rule.clone().unwrap_or_default(),
            s.reason
        ));
    }
    for r in &view.reasons {
        out.push_str(&format!("note: {r}\n"));
    }
    if let Some(candidates) = &view.candidates {
        out.push_str("\nCandidates in processing order:\n");
        let rows: Vec<Vec<String>> = candidates
            .iter()
            .map(|c| {
                vec![
                    c.pass.clone(),
                    dash(&c.rule_collection_group),
                    c.rule_collection.clone(),
                    c.action.clone(),
                    dash(&c.rule),
                    c.result.clone(),
                    c.reason.clone().unwrap_or_default(),
                ]
            })
            .collect();
        out.push_str(&table::render(
            &["Pass", "Rule Collection Group", "Rule Collection", "Action", "Rule", "Result", "Why"],
            &rows,
        ));
    }
    out
}
