//! Next hop in the shape of Network Watcher (`az network watcher show-next-hop`), with the
//! optional explanation of every candidate route.

use std::net::IpAddr;

use azroute_engine::*;
use azroute_model::Snapshot;
use serde::Serialize;

use crate::table;

/// A candidate route considered for the destination (with `--explain`).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CandidateView {
    pub address_prefix: String,
    pub source: String,
    pub state: String,
    pub next_hop_type: String,
    pub next_hop_ip_address: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Selected`, `LongerPrefixWins`, `Invalid`, `ShadowedBySystemRoute`, `ShadowedByServiceEndpoint`.
    pub verdict: String,
    pub reason: String,
}

/// `{"nextHopType", "nextHopIpAddress", "routeTableId"}` as Network Watcher answers.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NextHopView {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_hop_ip_address: Option<String>,
    pub next_hop_type: String,
    pub route_table_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Vec<CandidateView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<String>>,
}

pub fn view(
    snap: &Snapshot,
    table: &EffectiveRouteTable,
    answer: &NextHopAnswer,
    explanation: Option<&Explanation>,
) -> NextHopView {
    let candidates = explanation.map(|e| {
        e.candidates
            .iter()
            .map(|c| {
                let r = &table.routes[c.route];
                CandidateView {
                    address_prefix: c.prefix.to_string(),
                    source: r.source.as_str().to_string(),
                    state: r.state.as_str().to_string(),
                    next_hop_type: r.next_hop_type.as_str().to_string(),
                    next_hop_ip_address: r.next_hop_ips.iter().map(|ip| ip.to_string()).collect(),
                    name: r.name.clone(),
                    verdict: match &c.verdict {
                        CandidateVerdict::Selected => "Selected",
                        CandidateVerdict::LongerPrefixWins { .. } => "LongerPrefixWins",
                        CandidateVerdict::Invalid(_) => "Invalid",
                        CandidateVerdict::ShadowedBySystemRoute { .. } => "ShadowedBySystemRoute",
                        CandidateVerdict::ShadowedByServiceEndpoint { .. } => "ShadowedByServiceEndpoint",
                    }
                    .to_string(),
                    reason: verdict_text(table, &c.verdict),
                }
            })
            .collect()
    });
    let notes = explanation.map(|_| answer.assumptions.clone()).filter(|n| !n.is_empty());
    NextHopView {
        next_hop_ip_address: answer.next_hop_ip.map(|ip| ip.to_string()),
        next_hop_type: answer.next_hop_type.clone(),
        route_table_id: match answer.route_table {
            Some(t) => snap.route_tables[t.index()].id.to_string(),
            None => "System Route".to_string(),
        },
        candidates,
        notes,
    }
}

pub fn json(view: &NextHopView) -> String {
    serde_json::to_string_pretty(view).expect("views serialize")
}

pub fn text(view: &NextHopView, destination: IpAddr) -> String {
    let mut out = table::render(
        &["Next Hop Type", "Next Hop IP", "Route Table Id"],
        &[vec![
            view.next_hop_type.clone(),
            view.next_hop_ip_address.clone().unwrap_or_default(),
            view.route_table_id.clone(),
        ]],
    );
    if let Some(candidates) = &view.candidates {
        out.push_str(&format!("\nRoutes whose prefix contains {destination}:\n"));
        let rows: Vec<Vec<String>> = candidates
            .iter()
            .map(|c| {
                vec![
                    c.verdict.clone(),
                    c.address_prefix.clone(),
                    c.source.clone(),
                    c.state.clone(),
                    c.next_hop_type.clone(),
                    c.next_hop_ip_address.join(" "),
                    c.name.clone().unwrap_or_default(),
                ]
            })
            .collect();
        out.push_str(&table::render(
            &["Verdict", "Address Prefix", "Source", "State", "Next Hop Type", "Next Hop IP", "Name"],
            &rows,
        ));
        out.push_str("\nWhy:\n");
        for c in candidates {
            out.push_str(&format!("  {} ({} {}): {}\n", c.address_prefix, c.source, c.next_hop_type, c.reason));
        }
    }
    if let Some(notes) = &view.notes {
        out.push_str("\nNotes:\n");
        for n in notes {
            out.push_str(&format!("  - {n}\n"));
        }
    }
    out
}
