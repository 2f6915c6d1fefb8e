//! `azroute next-hop`: Network Watcher's next hop, with `--explain`.

use azroute_query::{NextHopQuery, Session};

use crate::args::{NextHopArgs, NextHopFormat};
use crate::input::{self, CliError};
use crate::output::emit;

pub fn run(args: NextHopArgs) -> Result<i32, CliError> {
    let dest_ip = input::parse_ip_arg("--dest-ip", &args.dest_ip)?;
    let source_ip = args.source_ip.as_deref().map(|s| input::parse_ip_arg("--source-ip", s)).transpose()?;
    let loaded = input::load(&args.snapshot)?;
    let session = Session::new(&loaded.snapshot, input::model_options(&args.model));
    let query = NextHopQuery { nic: args.nic, vm: args.vm, dest_ip, source_ip, explain: args.explain };
    let answer = session.next_hop(&query)?;
    input::notices(&answer.notices);
    emit(&match args.output {
        NextHopFormat::Json => answer.json(),
        NextHopFormat::Table => answer.text(),
    });
    Ok(0)
}
