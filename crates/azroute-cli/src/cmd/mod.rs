//! One module per command; each returns the exit code or an error for the user.

mod collect;
mod completions;
mod diff;
mod doctor;
mod examples;
mod firewall_flow;
mod generate;
mod hub_routes;
mod ip_flow;
mod man;
mod next_hop;
mod reach;
mod report;
mod routes;
mod security_rules;
mod serve;
mod trace;
mod verify;

use crate::args::{Cli, Command};
use crate::input::CliError;

pub fn run(cli: Cli) -> Result<i32, CliError> {
    match cli.command {
        Command::Routes(args) => routes::run(args),
        Command::NextHop(args) => next_hop::run(args),
        Command::Examples(args) => examples::run(args),
        Command::Doctor(args) => doctor::run(args),
        Command::SecurityRules(args) => security_rules::run(args),
        Command::IpFlow(args) => ip_flow::run(args),
        Command::Trace(args) => trace::run(args),
        Command::FirewallFlow(args) => firewall_flow::run(args),
        Command::HubRoutes(args) => hub_routes::run(args),
        Command::Reach(args) => reach::run(args),
        Command::Diff(args) => diff::run_diff(args),
        Command::WhatIf(args) => diff::run_what_if(args),
        Command::Serve(args) => serve::run(args),
        Command::Report(args) => report::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Collect(args) => collect::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
}
