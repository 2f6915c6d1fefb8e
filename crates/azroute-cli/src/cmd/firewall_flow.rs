//! `azroute firewall-flow`: Azure Firewall's verdict for one flow (§16.2, §16.3).

use std::net::IpAddr;

use azroute_engine::{FirewallAction, FirewallFlow, evaluate_firewall};
use azroute_model::Protocol;
use azroute_report::firewall as report;

use crate::args::{FirewallFlowArgs, FirewallProtocolArg, TableJson};
use crate::input::{self, CliError};
use crate::output::emit;

/// Parses `IP` or `IP:PORT`; `port_required` when the protocol has ports.
fn endpoint(flag: &str, text: &str, port_required: bool) -> Result<(IpAddr, Option<u16>), CliError> {
    let bad = || {
        let form = if port_required { "IP:PORT" } else { "IP or IP:PORT" };
        CliError::new(format!("`{text}` given to {flag} is not {form}"))
            .hint("write e.g. 10.1.1.4:443 (Azure Firewall rules are IPv4)")
    };
    let t = text.trim();
    let (ip, port) = match t.rsplit_once(':') {
        Some((ip, port)) if !ip.contains(':') => (ip, Some(port.parse::<u16>().map_err(|_| bad())?)),
        _ => (t, None),
    };
    let ip: IpAddr = ip.parse().map_err(|_| bad())?;
    if port_required && port.is_none() {
        return Err(bad());
    }
    Ok((ip, port))
}

pub fn run(args: FirewallFlowArgs) -> Result<i32, CliError> {
    let protocol = match args.protocol {
        FirewallProtocolArg::Tcp => Some(Protocol::Tcp),
        FirewallProtocolArg::Udp => Some(Protocol::Udp),
        FirewallProtocolArg::Icmp => Some(Protocol::Icmp),
        FirewallProtocolArg::Any => None,
    };
    let ports = matches!(protocol, Some(Protocol::Tcp | Protocol::Udp));
    let (source, source_port) = endpoint("--source", &args.source, false)?;
    let (destination, destination_port) = endpoint("--destination", &args.destination, ports)?;
    let loaded = input::load(&args.snapshot)?;
    let snap = &loaded.snapshot;
    let firewall = snap.find_firewall(&args.firewall)?;
    let flow = FirewallFlow { source, source_port, destination, destination_port, protocol, fqdn: args.fqdn.clone() };
    let options = crate::input::firewall_options(&args.model.firewall);
    let verdict = evaluate_firewall(snap, firewall, &flow, &options, args.explain);
    let view = report::flow_view(snap, &verdict, args.explain);
    emit(&match args.output {
        TableJson::Json => report::flow_json(&view),
        TableJson::Table => report::flow_text(snap, &verdict, &view),
    });
    Ok(if verdict.action == FirewallAction::Allow { 0 } else { 1 })
}
