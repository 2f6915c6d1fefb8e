//! Effective routes in the shapes of `az network nic show-effective-route-table`: JSON
//! (`{"value": [...]}` with Azure's field names and enum values), the az table, and CSV.

use azroute_engine::*;
use azroute_model::Snapshot;
use serde::Serialize;

use crate::table;

/// One effective route, with the keys `az` prints (alphabetical, as the CLI orders them).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EffectiveRouteView {
    pub address_prefix: Vec<String>,
    pub disable_bgp_route_propagation: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub next_hop_ip_address: Vec<String>,
    pub next_hop_type: String,
    pub source: String,
    pub state: String,
    /// azroute's explanation (only with `--explain`): why the route exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// azroute's explanation (only with `--explain`): why the route is Invalid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `{"value": [...]}`, plus azroute's notes with `--explain`.
#[derive(Clone, Debug, Serialize)]
pub struct EffectiveRouteList {
    pub value: Vec<EffectiveRouteView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<String>>,
}

/// Converts a table into views.
pub fn views(snap: &Snapshot, table: &EffectiveRouteTable, explain: bool) -> Vec<EffectiveRouteView> {
    table
        .routes
        .iter()
        .map(|r| EffectiveRouteView {
            address_prefix: r.prefix_text.clone(),
            disable_bgp_route_propagation: table.disable_bgp_route_propagation,
            name: r.name.clone(),
            next_hop_ip_address: r.next_hop_ips.iter().map(|ip| ip.to_string()).collect(),
            next_hop_type: r.next_hop_type.as_str().to_string(),
            source: r.source.as_str().to_string(),
            state: r.state.as_str().to_string(),
            origin: explain.then(|| origin_text(snap, r)),
            reason: if explain { r.invalid.as_ref().map(|reason| invalid_text(table, reason)) } else { None },
        })
        .collect()
}

/// The notes of a table as text.
pub fn notes(snap: &Snapshot, table: &EffectiveRouteTable) -> Vec<String> {
    let mut out: Vec<String> = table.notes.iter().map(|n| note_text(snap, table, n)).collect();
    out.dedup();
    out
}

/// JSON exactly as az prints it (`explain` adds azroute's `origin`, `reason` and `notes`).
pub fn json(snap: &Snapshot, table: &EffectiveRouteTable, explain: bool) -> String {
    let list = EffectiveRouteList { value: views(snap, table, explain), notes: explain.then(|| notes(snap, table)) };
    serde_json::to_string_pretty(&list).expect("views serialize")
}

pub const HEADERS: [&str; 6] = ["Source", "State", "Address Prefix", "Next Hop Type", "Next Hop IP", "Name"];

/// Table rows: az's columns plus the user route's name.
pub fn rows(table: &EffectiveRouteTable) -> Vec<Vec<String>> {
    table
        .routes
        .iter()
        .map(|r| {
            vec![
                r.source.as_str().to_string(),
                r.state.as_str().to_string(),
                r.prefix_text.join(" "),
                r.next_hop_type.as_str().to_string(),
                r.next_hop_ips.iter().map(|ip| ip.to_string()).collect::<Vec<_>>().join(" "),
                r.name.clone().unwrap_or_default(),
            ]
        })
        .collect()
}

/// The table for a person: routes, then why each Invalid route lost, then notes.
pub fn text(snap: &Snapshot, table: &EffectiveRouteTable, explain: bool) -> String {
    let mut out = table::render(&HEADERS, &rows(table));
    let invalid: Vec<String> = table
        .routes
        .iter()
        .filter_map(|r| r.invalid.as_ref().map(|reason| format!("  {}: {}", r.label(), invalid_text(table, reason))))
        .collect();
    if !invalid.is_empty() {
        out.push_str("\nInvalid routes:\n");
        for line in invalid {
            out.push_str(&line);
            out.push('\n');
        }
    }
    if explain {
        out.push_str("\nWhy each route exists:\n");
        for r in &table.routes {
            out.push_str(&format!("  {}: {}\n", r.label(), origin_text(snap, r)));
        }
    }
    let notes = notes(snap, table);
    if !notes.is_empty() {
        out.push_str("\nNotes:\n");
        for n in notes {
            out.push_str(&format!("  - {n}\n"));
        }
    }
    out
}

/// CSV with the table's columns.
pub fn csv(table: &EffectiveRouteTable) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADERS).expect("in-memory write");
    for row in rows(table) {
        w.write_record(&row).expect("in-memory write");
    }
    String::from_utf8(w.into_inner().expect("in-memory flush")).expect("csv is UTF-8")
}
