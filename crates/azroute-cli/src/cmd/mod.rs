//! One module per command; each returns the exit code or an error for the user.

mod collect;
mod examples;
mod generate;
mod ip_flow;
mod next_hop;
mod routes;
mod security_rules;
mod trace;
mod verify;

use crate::args::{Cli, Command};
use crate::input::CliError;

pub fn run(cli: Cli) -> Result<i32, CliError> {
    match cli.command {
        Command::Routes(args) => routes::run(args),
        Command::NextHop(args) => next_hop::run(args),
        Command::Examples(args) => examples::run(args),
        Command::SecurityRules(args) => security_rules::run(args),
        Command::IpFlow(args) => ip_flow::run(args),
        Command::Trace(args) => trace::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Collect(args) => collect::run(args),
        Command::Generate(args) => generate::run(args),
    }
}
