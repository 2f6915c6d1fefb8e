//! `azroute security-rules`: a NIC's effective security rules.

use azroute_engine::{RouteEngine, SecurityEngine};
use azroute_model::Direction;
use azroute_report::security;

use crate::args::{SecurityRulesArgs, TableJson};
use crate::input::{self, CliError};
use crate::output::emit;

pub fn run(args: SecurityRulesArgs) -> Result<i32, CliError> {
    let loaded = input::load(&args.snapshot)?;
    let snap = &loaded.snapshot;
    let engine = RouteEngine::new(snap, input::model_options(&args.model));
    let nic = input::resolve_nic(snap, &engine, args.nic.as_deref(), args.vm.as_deref())?;
    let security = SecurityEngine::new(&engine);
    let subnet = engine.nic_subnet(nic)?;
    // Levels in inbound order: the subnet's NSG, then the NIC's.
    let levels = security.levels(nic, Direction::Inbound)?;
    input::require_nsgs(snap, nic, subnet)?;
    let list = security::effective_nsgs(&security, &levels, subnet, Some(nic));
    let text = match args.output {
        TableJson::Json => security::effective_nsgs_json(&list),
        TableJson::Table => security::effective_nsgs_text(&list, &snap.nics[nic.index()].name),
    };
    emit(&text);
    Ok(0)
}
