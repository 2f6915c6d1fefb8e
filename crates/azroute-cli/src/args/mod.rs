//! Command-line arguments: the commands and their help (`help.rs` holds the worked examples and
//! exit statuses each `--help` ends with), each command's own options (`commands.rs`), and the
//! options commands share (`common.rs`).

mod commands;
mod common;
mod help;

use clap::{Parser, Subcommand};

pub use commands::*;
pub use common::*;

#[derive(Parser, Debug)]
#[command(
    name = "azroute",
    version = env!("AZROUTE_VERSION"),
    about = "Azure virtual-network routing, reproduced offline: effective routes, next hop and why",
    long_about = help::LONG_ABOUT,
    after_help = help::TOP,
    // Wrapped to the terminal, and never wider than 100 columns.
    max_term_width = 100,
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Colour verdicts and severities in tables: `auto` when stdout is a terminal and
    /// `NO_COLOR` is not set (https://no-color.org), `always`, or `never`.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Print no warnings and no progress (errors are always printed). Progress is drawn on
    /// stderr only when it is a terminal.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// When to colour tables.
#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq, Eq)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    /// Whether to colour: `always` and `never` as said; `auto` on a terminal without
    /// `NO_COLOR` (set and not empty).
    pub fn enabled(self) -> bool {
        use std::io::IsTerminal;
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
            }
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Effective routes of a NIC, VM or subnet, shaped like `az network nic show-effective-route-table`.
    #[command(after_help = help::ROUTES)]
    Routes(RoutesArgs),
    /// Next hop for a destination, like Network Watcher's `az network watcher show-next-hop`.
    #[command(name = "next-hop", after_help = help::NEXT_HOP)]
    NextHop(NextHopArgs),
    /// A NIC's effective security rules, like `az network nic list-effective-nsg`.
    #[command(name = "security-rules", after_help = help::SECURITY_RULES)]
    SecurityRules(SecurityRulesArgs),
    /// Network Watcher's IP flow verify: would the NSGs allow this flow at this NIC?
    #[command(
        name = "ip-flow",
        after_help = help::IP_FLOW,
        override_usage = "azroute ip-flow [OPTIONS] --direction <DIR> --protocol <PROTO> \\\n         \
                          --local <IP:PORT> --remote <IP:PORT>"
    )]
    IpFlow(IpFlowArgs),
    /// Follow a packet hop by hop and its reply back, through NVAs, peerings, gateways and NSGs.
    #[command(after_help = help::TRACE)]
    Trace(TraceArgs),
    /// Azure Firewall's verdict for one flow: the deciding rule, SNAT and DNAT, and why.
    #[command(
        name = "firewall-flow",
        after_help = help::FIREWALL_FLOW,
        override_usage = "azroute firewall-flow [OPTIONS] --firewall <NAME> --protocol <PROTO> \\\n         \
                          --source <IP[:PORT]> --destination <IP:PORT>"
    )]
    FirewallFlow(FirewallFlowArgs),
    /// A Virtual WAN hub table's effective routes, like `az network vhub get-effective-routes`.
    #[command(
        name = "hub-routes",
        after_help = help::HUB_ROUTES,
        override_usage = "azroute hub-routes [OPTIONS] --hub <HUB> (--route-table <NAME> | --connection <NAME>)"
    )]
    HubRoutes(HubRoutesArgs),
    /// The reachability matrix: subnets against subnets, on-premises prefixes and the Internet.
    #[command(after_help = help::REACH)]
    Reach(ReachArgs),
    /// What changes between two snapshots: effective routes per subnet, then reachability.
    #[command(after_help = help::DIFF)]
    Diff(DiffArgs),
    /// What a Terraform plan will do to a live estate, before it is applied.
    #[command(after_help = help::WHAT_IF)]
    WhatIf(WhatIfArgs),
    /// Find and explain every routing misconfiguration of an estate, with the fix.
    #[command(after_help = help::DOCTOR)]
    Doctor(DoctorArgs),
    /// A local, read-only web page of the estate: topology, routes, paths, reachability, doctor.
    #[command(after_help = help::SERVE)]
    Serve(ServeArgs),
    /// The same page as one self-contained HTML file that opens offline.
    #[command(after_help = help::REPORT)]
    Report(ReportArgs),
    /// Compare azroute's effective routes with Azure's own (`show-effective-route-table` outputs).
    #[command(after_help = help::VERIFY)]
    Verify(VerifyArgs),
    /// Export a snapshot by running the Azure CLI you are logged into (`az login`).
    #[command(after_help = help::COLLECT)]
    Collect(CollectArgs),
    /// List the embedded example estates, or write one's files to edit.
    #[command(after_help = help::EXAMPLES)]
    Examples(ExamplesArgs),
    /// Write a synthetic, seeded estate (hub-and-spoke, az CLI JSON) for benchmarks and tests.
    #[command(after_help = help::GENERATE)]
    Generate(GenerateArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell).
    #[command(after_help = help::COMPLETIONS)]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write one page per command with --out.
    #[command(after_help = help::MAN)]
    Man(ManArgs),
}
