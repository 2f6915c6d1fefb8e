//! `azroute trace`: a packet and its reply, hop by hop.

use azroute_engine::{RouteEngine, Severity, TraceRequest, Tracer};
use azroute_report::trace as report;

use crate::args::{TraceArgs, TraceFormat};
use crate::input::{self, CliError};
use crate::output::emit;

pub fn run(args: TraceArgs) -> Result<i32, CliError> {
    let (source_port, destination_port) = args.ports.for_protocol(args.protocol)?;
    let loaded = input::load(&args.snapshot)?;
    let snap = &loaded.snapshot;
    let engine = RouteEngine::new(snap, input::model_options(&args.model));
    let mut tracer = Tracer::new(&engine);
    tracer.virtual_hosts = args.assume_host;
    tracer.fqdn = args.fqdn.clone();
    tracer.firewall_options = super::firewall_flow::firewall_options(&args.firewall);
    let ends = azroute_engine::resolve_trace_endpoints(&tracer, &args.from, &args.to, args.assume_host)?;
    let request = TraceRequest {
        source: ends.source,
        destination: ends.destination,
        protocol: args.protocol.into(),
        source_port,
        destination_port,
    };
    let trace = tracer.trace(request)?;
    let view = report::view(snap, &trace);
    emit(&match args.output {
        TraceFormat::Table => report::text(&view),
        TraceFormat::Json => report::json(&view),
        TraceFormat::Mermaid => report::mermaid(&view),
    });
    if let Some(subnet) = ends.unheld_destination {
        input::hint(&format!(
            "{} is an address of subnet `{}` that nothing in the snapshot holds; add --assume-host to trace to \
             a host there",
            ends.destination,
            snap.subnet_label(subnet)
        ));
    }
    let failed = !trace.forward.verdict.reached() || trace.findings.iter().any(|f| f.severity == Severity::Error);
    Ok(if failed { 1 } else { 0 })
}
