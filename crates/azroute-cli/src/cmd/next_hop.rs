//! `azroute next-hop`: Network Watcher's next hop, with `--explain`.

use azroute_engine::{RouteEngine, explain, next_hop};
use azroute_model::NicIdx;
use azroute_report::nexthop;

use crate::args::{NextHopArgs, NextHopFormat};
use crate::cmd::routes::warn_if_not_running;
use crate::input::{self, CliError};
use crate::output::emit;

pub fn run(args: NextHopArgs) -> Result<i32, CliError> {
    let destination = input::parse_ip_arg("--dest-ip", &args.dest_ip)?;
    let source = args.source_ip.as_deref().map(|s| input::parse_ip_arg("--source-ip", s)).transpose()?;
    let loaded = input::load(&args.snapshot)?;
    let snap = &loaded.snapshot;
    let options = input::model_options(&args.model);
    let engine = RouteEngine::new(snap, options.clone());
    let nic: NicIdx = if let Some(nic) = &args.nic {
        snap.find_nic(nic)?
    } else {
        let vm_idx = snap.find_vm(args.vm.as_deref().unwrap_or_default())?;
        let vm = &snap.vms[vm_idx.index()];
        let nics: Vec<NicIdx> = vm.nics.iter().filter_map(|l| l.resolved()).collect();
        // Network Watcher requires targetNicResourceId for a multi-NIC VM with IP forwarding
        // on any NIC (§6.2, T31).
        if nics.len() > 1 && nics.iter().any(|n| snap.nics[n.index()].ip_forwarding) {
            return Err(CliError::new(format!(
                "`{}` has {} network interfaces and IP forwarding is enabled on one of them; Network Watcher requires the NIC to be named (targetNicResourceId)",
                vm.name,
                nics.len()
            ))
            .hint(format!(
                "pass --nic with one of: {}",
                nics.iter().map(|n| snap.nics[n.index()].name.as_str()).collect::<Vec<_>>().join(", ")
            )));
        }
        match source.and_then(|ip| nics.iter().copied().find(|n| snap.nics[n.index()].owns_ip(ip))) {
            Some(n) => n,
            None => engine.vm_primary_nic(vm_idx)?,
        }
    };
    if let Some(ip) = source
        && !snap.nics[nic.index()].owns_ip(ip)
    {
        input::warn(&format!(
            "{ip} is not an address of `{}`; the next hop depends only on the destination and the NIC's subnet",
            snap.nics[nic.index()].name
        ));
    }
    warn_if_not_running(snap, nic);
    let (_, table) = engine.nic_table(nic)?;
    let answer = next_hop(snap, &table, destination);
    let explanation = args.explain.then(|| explain(&options, &table, destination));
    let view = nexthop::view(snap, &table, &answer, explanation.as_ref());
    let text = match args.output {
        NextHopFormat::Json => nexthop::json(&view),
        NextHopFormat::Table => nexthop::text(&view, destination),
    };
    emit(&text);
    Ok(0)
}
