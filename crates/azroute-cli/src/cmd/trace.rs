//! `azroute trace`: a packet and its reply, hop by hop.

use std::net::IpAddr;

use azroute_engine::{RouteEngine, Severity, TraceRequest, TraceSource, Tracer};
use azroute_model::Protocol;
use azroute_model::{NicIdx, Snapshot, SubnetIdx};
use azroute_report::trace as report;

use crate::args::{TraceArgs, TraceFormat, TraceProtocolArg};
use crate::input::{self, CliError};
use crate::output::emit;

/// A NIC or VM named on the command line, with its primary private IP.
fn named_nic(snap: &Snapshot, engine: &RouteEngine, text: &str) -> Result<(NicIdx, IpAddr), CliError> {
    let nic = match snap.find_nic(text) {
        Ok(nic) => nic,
        Err(nic_err) => match snap.find_vm(text) {
            Ok(vm) => engine.vm_primary_nic(vm)?,
            Err(_) => {
                return Err(CliError::new(format!("`{text}` is not an IP address, NIC or VM of the snapshot"))
                    .hint(format!("{nic_err}; give an IP address, or a NIC or VM name or id")));
            }
        },
    };
    let ip = snap.nics[nic.index()].primary_ip_config().and_then(|c| c.private_ip).ok_or_else(|| {
        CliError::new(format!("network interface `{}` has no private IP", snap.nics[nic.index()].name))
    })?;
    Ok((nic, ip))
}

pub fn run(args: TraceArgs) -> Result<i32, CliError> {
    let loaded = input::load(&args.snapshot)?;
    let snap = &loaded.snapshot;
    let engine = RouteEngine::new(snap, input::model_options(&args.model));
    let mut tracer = Tracer::new(&engine);
    tracer.virtual_hosts = args.assume_host;
    let host_subnet = |ip: IpAddr| {
        (0..snap.subnets.len()).map(|i| SubnetIdx(i as u32)).find(|s| snap.subnets[s.index()].contains(ip))
    };
    let source = match args.from.trim().parse::<IpAddr>() {
        Ok(ip) => match (tracer.nic_owning(ip), args.assume_host.then(|| host_subnet(ip)).flatten()) {
            (Some(nic), _) => TraceSource::Nic { nic, ip },
            (None, Some(subnet)) => TraceSource::Host { subnet, ip },
            (None, None) => TraceSource::External(ip),
        },
        Err(_) => {
            let (nic, ip) = named_nic(snap, &engine, &args.from)?;
            TraceSource::Nic { nic, ip }
        }
    };
    let destination = match args.to.trim().parse::<IpAddr>() {
        Ok(ip) => ip,
        Err(_) => named_nic(snap, &engine, &args.to)?.1,
    };
    let protocol = match args.protocol {
        TraceProtocolArg::Tcp => Protocol::Tcp,
        TraceProtocolArg::Udp => Protocol::Udp,
        TraceProtocolArg::Icmp => Protocol::Icmp,
    };
    let request =
        TraceRequest { source, destination, protocol, source_port: args.source_port, destination_port: args.port };
    let trace = tracer.trace(request)?;
    let view = report::view(snap, &trace);
    emit(&match args.output {
        TraceFormat::Table => report::text(&view),
        TraceFormat::Json => report::json(&view),
        TraceFormat::Mermaid => report::mermaid(&view),
    });
    let failed = !trace.forward.verdict.reached() || trace.findings.iter().any(|f| f.severity == Severity::Error);
    Ok(if failed { 1 } else { 0 })
}
