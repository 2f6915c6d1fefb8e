//! `azroute diff` and `azroute what-if` output: per subnet (and its NICs) the effective routes
//! added, removed and changed, in the keys of `show-effective-route-table`; then every
//! reachability cell that changed, with the finding codes of the trace engine.

use azroute_engine::*;
use azroute_model::{ArmId, Snapshot, SubnetIdx};
use serde::Serialize;

use crate::routes::EffectiveRouteView;
use crate::table;

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ChangedRouteView<'a> {
    /// Azure's names of the fields that differ (`nextHopType`, `nextHopIpAddress`, `state`,
    /// `name`).
    pub fields: Vec<String>,
    pub before: EffectiveRouteView<'a>,
    pub after: EffectiveRouteView<'a>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SubnetDiffView<'a> {
    /// `vnet/subnet`.
    pub subnet: String,
    pub subnet_id: String,
    /// `Changed`, `Added` (only in the after snapshot) or `Removed`.
    pub status: String,
    /// NICs in the subnet (after side, else before): their effective routes change the same way.
    pub network_interfaces: Vec<String>,
    pub added: Vec<EffectiveRouteView<'a>>,
    pub removed: Vec<EffectiveRouteView<'a>>,
    pub changed: Vec<ChangedRouteView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CellSideView {
    pub reachability: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub via: Vec<String>,
    /// Share of the cell's address pairs that connect, in percent.
    pub connecting_percent: f64,
    pub sample_source: String,
    pub sample_destination: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReachChangeView {
    /// `Lost`, `NewlyAllowed`, `NowThroughNva`, `NowSkipsNva`, `NvaChanged` or `ReasonChanged`.
    pub change: String,
    pub source: String,
    pub source_id: String,
    pub destination: String,
    /// `Subnet`, `OnPremises` or `Internet`.
    pub destination_type: String,
    /// The finding code that explains the change (the after side's, or the before side's for
    /// flows newly allowed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<CellSideView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<CellSideView>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub struct DiffSummary {
    pub subnets_with_route_changes: usize,
    pub network_interfaces_with_route_changes: usize,
    pub routes_added: usize,
    pub routes_removed: usize,
    pub routes_changed: usize,
    /// Whether reachability was compared (not with `--routes-only`).
    pub reachability_compared: bool,
    pub lost: usize,
    pub newly_allowed: usize,
    pub nva_changes: usize,
    pub reason_changes: usize,
    /// Cells an Azure Firewall leaves undecided on one side (§16.4); only when there are some.
    #[serde(skip_serializing_if = "is_zero")]
    pub undecided: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DiffView<'a> {
    pub summary: DiffSummary,
    pub routes: Vec<SubnetDiffView<'a>>,
    pub reachability: Vec<ReachChangeView>,
    /// How the after side was computed (e.g. how much was recomputed incrementally).
    pub notes: Vec<String>,
    /// The arguments that name the after estate to `azroute trace` (`--example NAME` or
    /// `--snapshot PATH`), so the suggested command pastes as is; `None` when no single
    /// snapshot holds it (what-if lays a plan over a snapshot). Text output only.
    #[serde(skip)]
    pub after_snapshot_args: Option<String>,
    /// The Azure Virtual Network Manager resources that differ, by kind (§18.4: what deploying
    /// a configuration changes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub virtual_network_manager: Vec<AvnmChangeView>,
}

/// One AVNM kind's changes: the ARM type, and the ids added, removed and changed.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AvnmChangeView {
    /// The ARM type (`Microsoft.Network/networkManagers/routingConfigurations/…/rules`), or
    /// `deploymentState` for deployment state and effective answers.
    pub kind: String,
    #[serde(skip)]
    noun: &'static str,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

fn avnm_views(before: &Snapshot, after: &Snapshot) -> Vec<AvnmChangeView> {
    let ids = |list: &[ArmId]| list.iter().map(|i| i.to_string()).collect::<Vec<_>>();
    (after.avnm.changes_since(&before.avnm).iter())
        .map(|c| AvnmChangeView {
            kind: c.kind.map_or("deploymentState", |k| k.arm_type()).to_string(),
            noun: c.kind.map_or("deployment state or effective answer", |k| k.noun()),
            added: ids(&c.added),
            removed: ids(&c.removed),
            changed: ids(&c.changed),
        })
        .collect()
}

fn avnm_text(views: &[AvnmChangeView]) -> String {
    let mut out = String::from("Virtual Network Manager:\n");
    for v in views {
        if v.added.is_empty() && v.removed.is_empty() && v.changed.is_empty() {
            out.push_str(&format!("  {}: changed\n", v.noun));
        }
        for (word, list) in [("added", &v.added), ("removed", &v.removed), ("changed", &v.changed)] {
            for id in list {
                let name = id.rsplit('/').next().unwrap_or(id);
                out.push_str(&format!("  {} `{name}` {word}\n", v.noun));
            }
        }
    }
    out.push('\n');
    out
}

fn route_view(r: &EffectiveRoute, disable_bgp: bool) -> EffectiveRouteView<'_> {
    EffectiveRouteView {
        address_prefix: &r.prefix_text,
        disable_bgp_route_propagation: disable_bgp,
        name: r.name.as_deref(),
        next_hop_ip_address: r.next_hop_ips.iter().map(|ip| ip.to_string()).collect(),
        next_hop_type: r.next_hop_type.as_str(),
        source: r.source.as_str(),
        state: r.state.as_str(),
        origin: None,
        reason: None,
    }
}

fn nics_in(snap: &Snapshot, subnet: SubnetIdx) -> Vec<String> {
    let mut names: Vec<String> = snap
        .nics
        .iter()
        .filter(|n| n.primary_ip_config().and_then(|c| c.subnet.as_ref()).and_then(|l| l.resolved()) == Some(subnet))
        .map(|n| n.name.clone())
        .collect();
    names.sort();
    names
}

fn side_view(side: &CellSide) -> CellSideView {
    CellSideView {
        reachability: side.reach.as_str().to_string(),
        code: side.code.map(str::to_string),
        via: side.via.clone(),
        connecting_percent: if side.pairs == 0 {
            0.0
        } else {
            (side.connecting_pairs as f64 * 10000.0 / side.pairs as f64).round() / 100.0
        },
        sample_source: side.sample.0.to_string(),
        sample_destination: side.sample.1.to_string(),
    }
}

/// Builds the view.
pub fn view<'a>(
    before: &Snapshot,
    after: &Snapshot,
    routes: &'a [SubnetRouteDiff],
    reach: Option<&[ReachChange]>,
    notes: Vec<String>,
) -> DiffView<'a> {
    let mut summary = DiffSummary { reachability_compared: reach.is_some(), ..DiffSummary::default() };
    let mut subnet_views = Vec::new();
    for d in routes {
        let (snap, subnet) = match (d.after, d.before) {
            (Some(a), _) => (after, a),
            (None, Some(b)) => (before, b),
            (None, None) => continue,
        };
        let s = &snap.subnets[subnet.index()];
        let mut v = SubnetDiffView {
            subnet: snap.subnet_label(subnet),
            subnet_id: s.id.to_string(),
            status: match (d.before, d.after) {
                (Some(_), Some(_)) => "Changed",
                (None, _) => "Added",
                (_, None) => "Removed",
            }
            .to_string(),
            network_interfaces: nics_in(snap, subnet),
            added: Vec::new(),
            removed: Vec::new(),
            changed: Vec::new(),
            error: d.error.as_ref().map(|e| format!("{e}; {}", e.hint())),
        };
        for c in &d.changes {
            match c {
                RouteChange::Added(r) => v.added.push(route_view(r, d.disable_bgp_after)),
                RouteChange::Removed(r) => v.removed.push(route_view(r, d.disable_bgp_before)),
                RouteChange::Changed { before, after, fields } => v.changed.push(ChangedRouteView {
                    fields: fields.iter().map(|f| f.to_string()).collect(),
                    before: route_view(before, d.disable_bgp_before),
                    after: route_view(after, d.disable_bgp_after),
                }),
            }
        }
        summary.subnets_with_route_changes += 1;
        summary.network_interfaces_with_route_changes += v.network_interfaces.len();
        summary.routes_added += v.added.len();
        summary.routes_removed += v.removed.len();
        summary.routes_changed += v.changed.len();
        subnet_views.push(v);
    }
    let mut reach_views = Vec::new();
    for c in reach.unwrap_or_default() {
        match c.kind {
            ReachChangeKind::Lost => summary.lost += 1,
            ReachChangeKind::NewlyAllowed => summary.newly_allowed += 1,
            ReachChangeKind::NowThroughNva | ReachChangeKind::NowSkipsNva | ReachChangeKind::NvaChanged => {
                summary.nva_changes += 1
            }
            ReachChangeKind::ReasonChanged => summary.reason_changes += 1,
            ReachChangeKind::Undecided => summary.undecided += 1,
        }
        let code = match c.kind {
            ReachChangeKind::NewlyAllowed => c.before.as_ref().and_then(|s| s.code),
            _ => c.after.as_ref().and_then(|s| s.code).or(c.before.as_ref().and_then(|s| s.code)),
        };
        reach_views.push(ReachChangeView {
            change: c.kind.as_str().to_string(),
            source: c.source.clone(),
            source_id: c.source_id.clone(),
            destination: c.destination.clone(),
            destination_type: match c.destination_key {
                DestinationKey::Subnet(_) => "Subnet",
                DestinationKey::OnPremises(_) => "OnPremises",
                DestinationKey::Branch(..) => "Branch",
                DestinationKey::Internet => "Internet",
            }
            .to_string(),
            code: code.map(str::to_string),
            before: c.before.as_ref().map(side_view),
            after: c.after.as_ref().map(side_view),
        });
    }
    DiffView {
        summary,
        routes: subnet_views,
        reachability: reach_views,
        notes,
        after_snapshot_args: None,
        virtual_network_manager: avnm_views(before, after),
    }
}

pub fn json(view: &DiffView<'_>) -> String {
    serde_json::to_string_pretty(view).expect("views serialize")
}

fn route_text(r: &EffectiveRouteView<'_>) -> String {
    let hop = if r.next_hop_ip_address.is_empty() {
        r.next_hop_type.to_string()
    } else {
        format!("{} {}", r.next_hop_type, r.next_hop_ip_address.join(" "))
    };
    let name = r.name.map(|n| format!(" {n}")).unwrap_or_default();
    format!("{hop} ({}{name}, {})", r.source, r.state)
}

fn side_text(side: &Option<CellSideView>) -> String {
    match side {
        None => "-".to_string(),
        Some(s) => {
            let mut t = s.reachability.clone();
            if let Some(code) = &s.code {
                t.push_str(&format!(" {code}"));
            }
            if !s.via.is_empty() {
                t.push_str(&format!(" via {}", s.via.join(" -> ")));
            }
            if s.reachability == "Mixed" {
                t.push_str(&format!(" ({}% connect)", s.connecting_percent));
            }
            t
        }
    }
}

pub fn text(view: &DiffView<'_>) -> String {
    let mut out = String::new();
    let s = &view.summary;
    if view.routes.is_empty() {
        out.push_str("Effective routes: no changes\n");
    } else {
        out.push_str(&format!(
            "Effective routes: {} subnet(s), {} NIC(s): {} added, {} removed, {} changed\n\n",
            s.subnets_with_route_changes,
            s.network_interfaces_with_route_changes,
            s.routes_added,
            s.routes_removed,
            s.routes_changed
        ));
        let mut rows = Vec::new();
        for v in &view.routes {
            let nics = if v.network_interfaces.len() > 3 {
                format!("{} and {} more", v.network_interfaces[..3].join(", "), v.network_interfaces.len() - 3)
            } else {
                v.network_interfaces.join(", ")
            };
            let mut first = true;
            let mut push = |change: &str, prefix: String, before: String, after: String| {
                rows.push(vec![
                    if first { v.subnet.clone() } else { String::new() },
                    if first { nics.clone() } else { String::new() },
                    change.to_string(),
                    prefix,
                    before,
                    after,
                ]);
                first = false;
            };
            if let Some(e) = &v.error {
                push("Error", String::new(), e.clone(), String::new());
            }
            for r in &v.removed {
                push("Removed", r.address_prefix.join(" "), route_text(r), "-".into());
            }
            for c in &v.changed {
                push(
                    &format!("Changed ({})", c.fields.join(", ")),
                    c.after.address_prefix.join(" "),
                    route_text(&c.before),
                    route_text(&c.after),
                );
            }
            for r in &v.added {
                push("Added", r.address_prefix.join(" "), "-".into(), route_text(r));
            }
        }
        out.push_str(&table::render(&["Subnet", "NICs", "Change", "Prefix", "Before", "After"], &rows));
    }
    if s.reachability_compared {
        out.push('\n');
        if view.reachability.is_empty() {
            out.push_str("Reachability: no changes\n");
        } else {
            let undecided = if s.undecided > 0 {
                format!(", {} undecided (an Azure Firewall's verdict)", s.undecided)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "Reachability: {} lost, {} newly allowed, {} NVA path change(s), {} reason change(s){undecided}\n\n",
                s.lost, s.newly_allowed, s.nva_changes, s.reason_changes
            ));
            let rows: Vec<Vec<String>> = view
                .reachability
                .iter()
                .map(|c| {
                    vec![
                        c.change.clone(),
                        c.source.clone(),
                        c.destination.clone(),
                        side_text(&c.before),
                        side_text(&c.after),
                    ]
                })
                .collect();
            out.push_str(&table::render(&["Change", "Source", "Destination", "Before", "After"], &rows));
            if let Some(c) = view.reachability.iter().find(|c| c.change == "Lost")
                && let Some(a) = &c.after
            {
                out.push_str(&match &view.after_snapshot_args {
                    Some(snapshot) => format!(
                        "\nSee why: azroute trace {snapshot} --assume-host --from {} --to {}\n",
                        a.sample_source, a.sample_destination
                    ),
                    None => format!(
                        "\nSee why: trace {} to {} with `azroute trace --assume-host` on an export taken after the \
                         change (trace reads one snapshot, not a plan laid over one)\n",
                        a.sample_source, a.sample_destination
                    ),
                });
            }
        }
    }
    if !view.virtual_network_manager.is_empty() {
        out.push_str(&avnm_text(&view.virtual_network_manager));
    }
    for n in &view.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}
