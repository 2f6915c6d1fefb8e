//! `azroute ip-flow`: Network Watcher's IP flow verify.

use std::net::IpAddr;

use azroute_engine::{Flow, RouteEngine, SecurityEngine};
use azroute_model::Direction;
use azroute_model::Protocol;
use azroute_report::security;

use crate::args::{DirectionArg, IpFlowArgs, IpFlowProtocolArg, TableJson};
use crate::input::{self, CliError};
use crate::output::emit;

/// Parses `IP:PORT` where PORT may be `*`.
fn endpoint(flag: &str, text: &str) -> Result<(IpAddr, Option<u16>), CliError> {
    let bad = || {
        CliError::new(format!("`{text}` given to {flag} is not IP:PORT"))
            .hint("write e.g. 10.0.1.4:443, or 10.0.1.4:* for any port")
    };
    let (ip, port) = text.trim().rsplit_once(':').ok_or_else(bad)?;
    let ip: IpAddr = ip.trim_matches(|c| c == '[' || c == ']').parse().map_err(|_| bad())?;
    if ip.is_ipv6() {
        return Err(CliError::new(format!("{flag}: IP flow verify accepts IPv4 addresses only"))
            .hint("Network Watcher's IP flow verify is IPv4-only"));
    }
    let port = if port == "*" { None } else { Some(port.parse::<u16>().map_err(|_| bad())?) };
    Ok((ip, port))
}

pub fn run(args: IpFlowArgs) -> Result<i32, CliError> {
    let (local, local_port) = endpoint("--local", &args.local)?;
    let (remote, remote_port) = endpoint("--remote", &args.remote)?;
    let loaded = input::load(&args.snapshot)?;
    let snap = &loaded.snapshot;
    let engine = RouteEngine::new(snap, input::model_options(&args.model));
    let nic = input::resolve_nic(snap, &engine, args.nic.as_deref(), args.vm.as_deref())?;
    if !snap.nics[nic.index()].owns_ip(local) {
        input::warn(&format!(
            "{local} is not an address of `{}`; the flow is evaluated at this NIC anyway",
            snap.nics[nic.index()].name
        ));
    }
    let subnet = engine.nic_subnet(nic)?;
    input::require_nsgs(snap, nic, subnet)?;
    let protocol = match args.protocol {
        IpFlowProtocolArg::Tcp => Protocol::Tcp,
        IpFlowProtocolArg::Udp => Protocol::Udp,
    };
    let flow = match args.direction {
        DirectionArg::Inbound => Flow {
            direction: Direction::Inbound,
            protocol,
            source: remote,
            source_port: remote_port,
            destination: local,
            destination_port: local_port,
        },
        DirectionArg::Outbound => Flow {
            direction: Direction::Outbound,
            protocol,
            source: local,
            source_port: local_port,
            destination: remote,
            destination_port: remote_port,
        },
    };
    let security_engine = SecurityEngine::new(&engine);
    let decision = security_engine.evaluate(nic, &flow)?;
    let view = security::ip_flow_view(snap, &decision);
    emit(&match args.output {
        TableJson::Json => security::ip_flow_json(&view),
        TableJson::Table => security::ip_flow_text(&view),
    });
    Ok(0)
}
