//! `azroute hub-routes`: a Virtual WAN hub table's (or connection's) effective routes in the
//! shape of `az network vhub get-effective-routes` (§20.5): `{"value": [{addressPrefixes,
//! nextHopType, nextHops, routeOrigin, asPath}]}`, derived routes marked `"derived": true`, and
//! with `--explain` why each route is there; the CLI's table columns (`Address Prefix`,
//! `Next Hop Type`, `Next Hop`, `Route Origin`).

use serde::Serialize;

use azroute_engine::*;
use azroute_model::*;

use crate::table;

/// One route as `get-effective-routes` prints it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct HubRouteView {
    pub address_prefixes: Vec<String>,
    pub next_hop_type: String,
    pub next_hops: Vec<String>,
    pub route_origin: String,
    pub as_path: String,
    /// Derived by azroute (routing intent's policy routes the export lacks, RI-4).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

/// The answer: Azure's `value`, plus what azroute assumed or could not know.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct HubRoutesView {
    pub value: Vec<HubRouteView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<String>,
}

fn name(id: &ArmId) -> &str {
    id.last_segment()
}

/// Why a route is in the table (`--explain`).
pub fn reason_text(reason: &HubRouteReason) -> String {
    let by = |by: &PropagationBy| {
        match by {
        PropagationBy::TableId => "propagates to this table by id".to_string(),
        PropagationBy::Label(l) => format!("propagates to label `{l}`, which this table carries"),
        PropagationBy::Default => {
            "states no propagation, so propagates to its hub's defaultRouteTable and label `default` (VW-2)".to_string()
        }
        PropagationBy::RoutingIntent => {
            "propagates as routing intent forces (RI-3; a secured hub's connections still reach the hubs without a private policy, §20.14)".to_string()
        }
    }
    };
    match reason {
        HubRouteReason::Propagated { connection, by: b } => {
            format!("connection `{}` {} (VW-2)", name(connection), by(b))
        }
        HubRouteReason::RemoteHub { hub, connection, by: b } => format!(
            "learned from hub `{}`: its connection `{}` {}; another hub's route shows as Remote Hub (VW-3)",
            name(hub),
            name(connection),
            by(b)
        ),
        HubRouteReason::TableStatic { table, name: n } => {
            format!("static route `{n}` of `{}`; static routes win over learned ones (VW-6)", name(table))
        }
        HubRouteReason::RoutingPolicy { name: n, policy, derived } => {
            let how = if *derived {
                "derived from the routing intent (the export does not hold it)"
            } else {
                "read as exported"
            };
            format!("routing policy route `{n}` ({} policy), {how} (RI-4)", policy.as_str())
        }
        HubRouteReason::FirewallInternet => {
            "the secured hub's firewall sends what is not private to the Internet (RI-12)".to_string()
        }
    }
}

/// What a hub note says.
pub fn note_text(note: &HubNote) -> String {
    match note {
        HubNote::ExpressRouteRoutesUnknown { connection } => format!(
            "ExpressRoute connection `{}`: its prefixes come from the circuit and are unknown without observed hub routes (add a `vhub get-effective-routes` wrapper)",
            name(connection)
        ),
        HubNote::VpnBgpRoutesUnknown { connection, .. } => format!(
            "VPN connection `{}` uses BGP: what the site advertises beyond its address space is unknown without observed hub routes",
            name(connection)
        ),
        HubNote::BgpPeerRoutesUnknown { bgp_connection } => {
            format!("hub BGP peer `{}` has no learned-routes file: its routes are unknown", name(bgp_connection))
        }
        HubNote::ConnectedVnetMissing { connection, vnet } => format!(
            "connection `{}`: its VNet `{}` is not in the snapshot, so its prefixes are unknown",
            name(connection),
            vnet.as_ref().map_or("?", |v| v.as_str())
        ),
        HubNote::RouteTableMissing { connection, table } => {
            format!(
                "connection `{}` is associated with `{}`, which the snapshot does not hold",
                name(connection),
                table
            )
        }
        HubNote::RoutingIntentWithCustomTables { tables, .. } => {
            let names: Vec<&str> = tables.iter().map(name).collect();
            format!(
                "routing intent with custom route tables ({}), a state Azure refuses (RI-2); routing intent was applied",
                names.join(", ")
            )
        }
        HubNote::StaticRouteReplacedByIntent { name: n, prefix, .. } => {
            format!("static route `{n}` for {prefix} is removed by routing intent (RI-4)")
        }
        HubNote::StaticRoutesRewrittenByTool { portal, routes, .. } => {
            let names: Vec<String> = routes.iter().map(|r| format!("`{r}`")).collect();
            if *portal {
                format!(
                    "the export holds the default table as it was before routing intent: static routes {} were consolidated into one route `private_traffic`, as the portal and Firewall Manager do (option --vwan-intent-static-routes, C39)",
                    names.join(", ")
                )
            } else {
                format!(
                    "the export holds the default table as it was before routing intent: static routes {} were kept, less the prefixes routing intent removes, as REST, CLI and PowerShell do (option --vwan-intent-static-routes, C39)",
                    names.join(", ")
                )
            }
        }
        HubNote::PolicyRoutesDerived { .. } => {
            "the routing policy routes are not in the export; derived as documented (RI-4)".to_string()
        }
        HubNote::StaticRoutesNotPropagated { connection } => format!(
            "connection `{}`'s static routes stay in this hub (`propagateStaticRoutes` is not true, VW-3)",
            name(connection)
        ),
        HubNote::StaticRoutePropagationAssumed { connection, all_hubs } => format!(
            "connection `{}` does not say `propagateStaticRoutes`: its static routes are assumed to {} (inferred, option --vwan-static-route-propagation, C28)",
            name(connection),
            if *all_hubs { "cross hubs" } else { "stay in this hub" }
        ),
        HubNote::EmptyPropagationAssumed { connection, nowhere } => format!(
            "connection `{}`'s `propagatedRouteTables` names no ids and no labels: read as {} (inferred, option --vwan-empty-propagation, C27)",
            name(connection),
            if *nowhere { "propagating nowhere" } else { "propagating to the default table and label, as when absent" }
        ),
        HubNote::RemoteBranchAsPathAssumed { prepended } => format!(
            "branch routes learned through another hub carry `65520-65520`{} (inferred, option --vwan-remote-branch-as-path, C29)",
            if *prepended { " followed by the path the origin hub had" } else { " alone" }
        ),
    }
}

/// The view of a list of hub routes.
pub fn view(routes: &[HubEffectiveRoute], notes: &[HubNote], explain: bool) -> HubRoutesView {
    let value = routes
        .iter()
        .map(|r| HubRouteView {
            address_prefixes: r.prefixes.iter().map(|p| p.to_string()).collect(),
            next_hop_type: r.next_hop_type.as_str().to_string(),
            next_hops: r.next_hops.iter().map(|h| h.as_str().to_string()).collect(),
            route_origin: r.route_origin.as_str().to_string(),
            as_path: r.as_path.clone(),
            derived: r.derived,
            explanation: explain.then(|| reason_text(&r.reason)),
        })
        .collect();
    let mut assumptions = Vec::new();
    if routes.iter().any(|r| r.derived) {
        assumptions.push("routes marked derived were computed from the routing intent, not read (RI-4)".to_string());
    }
    HubRoutesView { value, notes: notes.iter().map(note_text).collect(), assumptions }
}

pub fn json(view: &HubRoutesView) -> String {
    serde_json::to_string_pretty(view).expect("views serialize")
}

/// The az CLI's table: `Address Prefix`, `Next Hop Type`, `Next Hop`, `Route Origin`; then
/// explanations, notes and assumptions.
pub fn text(view: &HubRoutesView) -> String {
    let rows: Vec<Vec<String>> = view
        .value
        .iter()
        .map(|r| {
            let short =
                |ids: &[String]| ids.iter().map(|i| i.rsplit('/').next().unwrap_or(i)).collect::<Vec<_>>().join(" ");
            let mut origin = r.route_origin.rsplit('/').next().unwrap_or("").to_string();
            if r.derived {
                origin.push_str(" (derived)");
            }
            vec![r.address_prefixes.join(" "), r.next_hop_type.clone(), short(&r.next_hops), origin]
        })
        .collect();
    let mut out = table::render(&["Address Prefix", "Next Hop Type", "Next Hop", "Route Origin"], &rows);
    if view.value.iter().any(|r| r.explanation.is_some()) {
        out.push_str("\nWhy:\n");
        for r in &view.value {
            if let Some(e) = &r.explanation {
                out.push_str(&format!("  {}: {e}\n", r.address_prefixes.join(" ")));
            }
        }
    }
    for (title, lines) in [("Notes", &view.notes), ("Assumptions", &view.assumptions)] {
        if !lines.is_empty() {
            out.push_str(&format!("\n{title}:\n"));
            for l in lines {
                out.push_str(&format!("  - {l}\n"));
            }
        }
    }
    out
}

/// One hub file's comparison, as `verify` prints it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HubVerifyView {
    pub file: String,
    pub hub: String,
    pub resource: String,
    pub agreeing: usize,
    pub only_azroute: Vec<String>,
    pub only_azure: Vec<String>,
}

fn fact_label(f: &HubRouteFacts) -> String {
    let hops: Vec<&str> = f.next_hops.iter().map(|h| h.rsplit('/').next().unwrap_or(h)).collect();
    format!("{} → {} {}", f.prefixes.join(" "), f.next_hop_type, hops.join(" ")).trim_end().to_string()
}

pub fn verify_views(snap: &Snapshot, results: &[(String, HubVerification)]) -> Vec<HubVerifyView> {
    results
        .iter()
        .map(|(file, v)| HubVerifyView {
            file: file.clone(),
            hub: snap.virtual_hubs[v.hub.index()].name.clone(),
            resource: v.resource.last_segment().to_string(),
            agreeing: v.agreeing,
            only_azroute: v.only_azroute.iter().map(fact_label).collect(),
            only_azure: v.only_azure.iter().map(fact_label).collect(),
        })
        .collect()
}

/// The hub part of `verify`'s text output.
pub fn verify_text(views: &[HubVerifyView]) -> String {
    let mut out = String::new();
    for v in views {
        let differ = v.only_azroute.len() + v.only_azure.len();
        out.push_str(&format!(
            "Hub {} {} ({}): {} route(s) agree, {differ} differ\n",
            v.hub, v.resource, v.file, v.agreeing
        ));
        for r in &v.only_azure {
            out.push_str(&format!("  only in Azure's answer:   {r}\n"));
        }
        for r in &v.only_azroute {
            out.push_str(&format!("  only in azroute's answer: {r}\n"));
        }
    }
    out
}

/// The words for a hub file that could not be compared.
pub fn verify_error_text(err: &HubVerifyError) -> (String, String) {
    match err {
        HubVerifyError::HubNotFound(id) => {
            (format!("hub `{id}` is not in the snapshot"), "export the hub (`az network vhub list`)".to_string())
        }
        HubVerifyError::NotAVirtualWanHub(id) => (
            format!("`{}` is a Route Server, not a Virtual WAN hub", id.last_segment()),
            "hub effective routes exist for Virtual WAN hubs only".to_string(),
        ),
        HubVerifyError::ResourceNotFound { hub, resource } => (
            format!("`{resource}` is neither a route table nor a connection of hub `{}`", hub.last_segment()),
            "set `resourceId` to the id of the route table or connection given to `az network vhub get-effective-routes`"
                .to_string(),
        ),
    }
}
