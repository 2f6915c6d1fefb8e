//! `azroute hub-routes`: a Virtual WAN hub table's or connection's effective routes (§20.5).

use azroute_engine::{HubEffectiveRoute, HubRouting, Topology};
use azroute_model::{Snapshot, same_arm_id};
use azroute_report::hub_routes as report;

use crate::args::{HubRoutesArgs, TableJson};
use crate::input::{self, CliError};
use crate::output::emit;

/// An unknown table or connection: the error names the candidates.
fn unknown(what: &str, query: &str, hub: &str, candidates: Vec<String>) -> CliError {
    CliError::new(format!("hub `{hub}` has no {what} `{query}`")).hint(if candidates.is_empty() {
        format!("hub `{hub}` has no {what}s in the snapshot")
    } else {
        format!("its {what}s: {}", candidates.join(", "))
    })
}

/// The routes of `--route-table` (a table, or the secured hub's firewall table).
fn table_routes(routing: &HubRouting, query: &str, hub: &str) -> Result<Vec<HubEffectiveRoute>, CliError> {
    let table = routing
        .tables
        .iter()
        .chain(routing.firewall_table.as_ref())
        .find(|t| t.name.eq_ignore_ascii_case(query) || same_arm_id(t.id.as_str(), query));
    match table {
        Some(t) => Ok(t.routes.clone()),
        None => {
            let names = routing.tables.iter().chain(routing.firewall_table.as_ref()).map(|t| t.name.clone()).collect();
            Err(unknown("route table", query, hub, names))
        }
    }
}

/// The routes `--connection` receives.
fn connection_routes(routing: &HubRouting, query: &str, hub: &str) -> Result<Vec<HubEffectiveRoute>, CliError> {
    let connection = routing.connection_named(query).or_else(|| routing.connection(query));
    match connection {
        Some(c) => Ok(routing.connection_routes(c)),
        None => Err(unknown("connection", query, hub, routing.connections.iter().map(|c| c.name.clone()).collect())),
    }
}

fn hub_routing<'t>(snap: &Snapshot, topo: &'t Topology, query: &str) -> Result<&'t HubRouting, CliError> {
    let hub = snap.find_virtual_hub(query)?;
    topo.vwan.hub(hub).ok_or_else(|| {
        CliError::new(format!("`{}` is a Route Server, not a Virtual WAN hub", snap.virtual_hubs[hub.index()].name))
            .hint("hub-routes answers for hubs with `virtualWan`; a Route Server's routes are in `azroute routes` of its VNet")
    })
}

pub fn run(args: HubRoutesArgs) -> Result<i32, CliError> {
    let loaded = input::load(&args.snapshot)?;
    let snap = &loaded.snapshot;
    let topo = Topology::build_with(snap, &input::model_options(&args.model));
    let routing = hub_routing(snap, &topo, &args.hub)?;
    let hub_name = &snap.virtual_hubs[routing.hub.index()].name;
    let routes = match (&args.route_table, &args.connection) {
        (Some(t), _) => table_routes(routing, t, hub_name)?,
        // clap requires one of the two.
        (None, c) => connection_routes(routing, c.as_deref().unwrap_or_default(), hub_name)?,
    };
    let view = report::view(&routes, &routing.notes, args.explain);
    emit(&match args.output {
        TableJson::Json => report::json(&view),
        TableJson::Table => report::text(&view),
    });
    Ok(0)
}
