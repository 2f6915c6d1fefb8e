//! `azroute routes`: effective routes of a NIC, VM or subnet.

use std::io::Write;

use azroute_engine::RouteEngine;
use azroute_report::{OutputFormat, routes};

use crate::args::{RoutesArgs, RoutesFormat};
use crate::input::{self, CliError};
use crate::output::emit;

pub fn run(args: RoutesArgs) -> Result<i32, CliError> {
    if args.all {
        return run_all(&args);
    }
    let loaded = input::load(&args.snapshot)?;
    let snap = &loaded.snapshot;
    let engine = RouteEngine::new(snap, input::model_options(&args.model));
    let subnet = if let Some(nic) = &args.nic {
        let nic = snap.find_nic(nic)?;
        warn_if_not_running(snap, nic);
        engine.nic_subnet(nic)?
    } else if let Some(vm) = &args.vm {
        let vm_idx = snap.find_vm(vm)?;
        let nic = engine.vm_primary_nic(vm_idx)?;
        let v = &snap.vms[vm_idx.index()];
        if v.nics.len() > 1 {
            input::warn(&format!(
                "`{}` has {} network interfaces; showing the primary one, `{}` (use --nic for the others)",
                v.name,
                v.nics.len(),
                snap.nics[nic.index()].name
            ));
        }
        warn_if_not_running(snap, nic);
        engine.nic_subnet(nic)?
    } else if let Some(subnet) = &args.subnet {
        snap.find_subnet(subnet)?
    } else {
        return Err(
            CliError::new("say whose routes to show").hint(format!("{}, or --all for every NIC", targets_hint(snap)))
        );
    };
    let table = engine.subnet_table(subnet)?;
    let text = match args.output {
        RoutesFormat::Table => routes::text(snap, &table, args.explain),
        RoutesFormat::Json => routes::json(snap, &table, args.explain),
        RoutesFormat::Csv => routes::csv(&table),
    };
    emit(&text);
    Ok(0)
}

/// `routes --all`: every NIC's effective routes, streamed through a locked, buffered stdout
/// (the report crate computes each distinct context once and serializes it once).
fn run_all(args: &RoutesArgs) -> Result<i32, CliError> {
    let format = match args.output {
        RoutesFormat::Json => OutputFormat::Json,
        RoutesFormat::Csv => OutputFormat::Csv,
        RoutesFormat::Table => {
            return Err(CliError::new("`--all` streams JSON or CSV; a table for every NIC is not offered")
                .hint("add `-o json` or `-o csv` (or ask for one NIC with --nic)"));
        }
    };
    let loaded = input::load(&args.snapshot)?;
    let engine = RouteEngine::new(&loaded.snapshot, input::model_options(&args.model));
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let summary = match routes::stream_all(&engine, format, args.explain, out).and_then(|(mut out, s)| {
        out.flush()?;
        Ok(s)
    }) {
        Ok(s) => s,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => return Ok(0),
        Err(err) => return Err(CliError::new(format!("cannot write the output: {err}"))),
    };
    if !summary.skipped.is_empty() && !args.snapshot.load.quiet {
        let shown = if args.snapshot.load.verbose { summary.skipped.len() } else { summary.skipped.len().min(20) };
        for s in &summary.skipped[..shown] {
            input::warn(&format!("left out: {s}"));
        }
        if shown < summary.skipped.len() {
            input::warn(&format!(
                "… and {} more NIC(s) left out; run with --verbose to see them all",
                summary.skipped.len() - shown
            ));
        }
    }
    // The process ends right after this command: freeing the snapshot of a large estate
    // (millions of small allocations) would cost a tenth of a second and buy nothing.
    std::mem::forget(engine);
    std::mem::forget(loaded);
    Ok(0)
}

/// Azure answers effective routes only for a running VM (§7.1, T36); azroute answers anyway
/// and says so.
pub fn warn_if_not_running(snap: &azroute_model::Snapshot, nic: azroute_model::NicIdx) {
    let Some(vm) = snap.nics[nic.index()].vm.as_ref().and_then(|l| l.resolved()) else {
        return;
    };
    let v = &snap.vms[vm.index()];
    if let Some(state) = v.stopped() {
        input::warn(&format!(
            "`{}` is not running ({}); Azure returns effective routes only for running VMs, azroute computes them from configuration",
            v.name,
            state.as_str()
        ));
    }
}

/// Names a user can pass, for a hint when none was given.
pub fn targets_hint(snap: &azroute_model::Snapshot) -> String {
    let nics: Vec<&str> = snap.nics.iter().take(6).map(|n| n.name.as_str()).collect();
    let subnets: Vec<String> =
        (0..snap.subnets.len().min(6)).map(|i| snap.subnet_label(azroute_model::SubnetIdx(i as u32))).collect();
    format!(
        "pass --nic NIC, --vm VM or --subnet VNET/SUBNET; this snapshot has NICs {}{} and subnets {}{}",
        if nics.is_empty() { "(none)".to_string() } else { nics.join(", ") },
        if snap.nics.len() > 6 { ", …" } else { "" },
        if subnets.is_empty() { "(none)".to_string() } else { subnets.join(", ") },
        if snap.subnets.len() > 6 { ", …" } else { "" }
    )
}
