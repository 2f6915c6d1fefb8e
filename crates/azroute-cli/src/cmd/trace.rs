//! `azroute trace`: a packet and its reply, hop by hop.

use azroute_query::{Session, TraceQuery};

use crate::args::{TraceArgs, TraceFormat};
use crate::input::{self, CliError};
use crate::output::emit;

pub fn run(args: TraceArgs) -> Result<i32, CliError> {
    let (source_port, destination_port) = args.ports.for_protocol(args.protocol)?;
    let loaded = input::load(&args.snapshot)?;
    let session = Session::new(&loaded.snapshot, input::model_options(&args.model));
    let query = TraceQuery {
        from: args.from,
        to: args.to,
        protocol: args.protocol.into(),
        source_port,
        destination_port,
        assume_host: args.assume_host,
        fqdn: args.fqdn.clone(),
    };
    let answer = session.trace(&query)?;
    emit(&match args.output {
        TraceFormat::Table => answer.text(),
        TraceFormat::Json => answer.json(),
        TraceFormat::Mermaid => answer.mermaid(),
    });
    input::notices(&answer.notices);
    Ok(if answer.failed { 1 } else { 0 })
}
