//! `azroute reach`: the subnet × subnet reachability matrix, with on-premises prefixes and the
//! Internet as extra columns.

use std::net::IpAddr;

use azroute_engine::{ReachQuery, RouteEngine, reach, select_subnets};
use azroute_model::{Snapshot, is_private_or_reserved};
use azroute_report::reach as report;

use crate::args::{ReachArgs, ReachFormat, ReachScopeArgs};
use crate::input::{self, CliError};
use crate::output::emit_with;

/// The matrix a command's reachability options ask for, on one snapshot.
pub fn query(snap: &Snapshot, scope: &ReachScopeArgs) -> Result<ReachQuery, CliError> {
    let (source_port, destination_port) = scope.ports.for_protocol(scope.protocol)?;
    let internet = (!scope.no_internet).then(|| internet_address(scope.internet_address)).transpose()?;
    let select = |glob: Option<&str>, flag: &str| {
        select_subnets(snap, glob).map_err(|err| CliError::new(format!("{flag} {err}")).hint(err.hint()))
    };
    Ok(ReachQuery {
        sources: select(scope.from.as_deref(), "--from")?,
        destinations: select(scope.to.as_deref(), "--to")?,
        on_premises: !scope.no_on_premises,
        internet,
        protocol: scope.protocol.into(),
        source_port,
        destination_port,
        evaluate_nsgs: !scope.no_nsg,
    })
}

/// The Internet column stands for a public address: a private or reserved one would be routed
/// as the VNet or on-premises space it belongs to, not as the Internet.
fn internet_address(ip: IpAddr) -> Result<IpAddr, CliError> {
    if ip.is_ipv6() {
        return Err(CliError::new(format!("--internet-address {ip}: the reachability matrix is IPv4 only"))
            .hint("give a public IPv4 address, such as the default 203.0.113.10"));
    }
    if is_private_or_reserved(ip) {
        return Err(CliError::new(format!(
            "--internet-address {ip} is a private or reserved address, not one of the Internet"
        ))
        .hint("give a public address, such as the default 203.0.113.10; to test a private range, name its subnet with --to"));
    }
    Ok(ip)
}

pub fn run(args: ReachArgs) -> Result<i32, CliError> {
    let loaded = input::load(&args.snapshot)?;
    let snap = &loaded.snapshot;
    let engine = RouteEngine::new(snap, input::model_options(&args.model));
    let query = query(snap, &args.scope)?;
    let matrix = reach(&engine, &query);
    let report = report::ReachReport::new(snap, &matrix, &query, args.problems);
    emit_with(|out| match args.output {
        ReachFormat::Table => report.write_text(out),
        ReachFormat::Json => report.write_json(out),
        ReachFormat::Csv => report.write_csv(out),
    });
    Ok(0)
}
