//! Checks of values that each look fine alone but that Azure refuses together.

use std::collections::HashMap;
use std::net::IpAddr;

use azroute_model::*;

use super::Ctx;
use crate::diag::Diagnostic;

/// Checks of values that each look fine alone but that Azure refuses together.
pub(super) fn validate(snapshot: &Snapshot, ctx: &mut Ctx) {
    for table in &snapshot.route_tables {
        let mut seen: HashMap<String, &Route> = HashMap::new();
        for route in &table.routes {
            let key = route.prefix.text().to_ascii_lowercase();
            if let Some(first) = seen.get(&key) {
                ctx.diagnostics.push(
                    Diagnostic::warning(
                        "DuplicatePrefixInRouteTable",
                        format!(
                            "route table `{}` has two routes for {} (`{}` and `{}`); Azure refuses this, azroute uses `{}` and lists `{}` as Invalid",
                            table.name,
                            route.prefix.text(),
                            first.name,
                            route.name,
                            first.name,
                            route.name
                        ),
                    )
                    .in_file(ctx.file(&route.origin))
                    .at(route.origin.json_path.clone())
                    .resource(table.id.as_str())
                    .hint("a prefix may appear only once per route table; delete or change one of the routes"),
                );
            } else {
                seen.insert(key, route);
            }
        }
    }

    // Two NICs with the same private IP in one VNet: Azure allocates addresses uniquely.
    let mut owners: HashMap<(VnetIdx, IpAddr), &Nic> = HashMap::new();
    for nic in &snapshot.nics {
        for cfg in &nic.ip_configs {
            let (Some(ip), Some(subnet)) = (cfg.private_ip, cfg.subnet.as_ref().and_then(|l| l.resolved())) else {
                continue;
            };
            let vnet = snapshot.subnets[subnet.index()].vnet;
            if let Some(other) = owners.get(&(vnet, ip)) {
                if other.id != nic.id {
                    ctx.diagnostics.push(
                        Diagnostic::warning(
                            "DuplicatePrivateIp",
                            format!("{ip} is claimed by two network interfaces in `{}`: `{}` and `{}`", snapshot.vnets[vnet.index()].name, other.name, nic.name),
                        )
                        .in_file(ctx.file(&nic.origin))
                        .at(nic.origin.json_path.clone())
                        .resource(nic.id.as_str())
                        .hint("Azure assigns each private IP once per VNet; traces to this address are ambiguous and stop with an error"),
                    );
                }
            } else {
                owners.insert((vnet, ip), nic);
            }
            if !snapshot.subnets[subnet.index()].contains(ip) && !snapshot.subnets[subnet.index()].prefixes.is_empty() {
                ctx.diagnostics.push(
                    Diagnostic::warning(
                        "IpOutsideSubnet",
                        format!("{ip} of `{}` is outside its subnet `{}`", nic.name, snapshot.subnet_label(subnet)),
                    )
                    .in_file(ctx.file(&nic.origin))
                    .at(nic.origin.json_path.clone())
                    .resource(nic.id.as_str()),
                );
            }
        }
    }

    for subnet in &snapshot.subnets {
        let vnet = &snapshot.vnets[subnet.vnet.index()];
        for p in &subnet.prefixes {
            if !vnet.address_space.iter().any(|space| contains_prefix(space, p)) {
                ctx.diagnostics.push(
                    Diagnostic::warning(
                        "SubnetOutsideAddressSpace",
                        format!("subnet `{}` prefix {p} is outside the address space of `{}`", subnet.name, vnet.name),
                    )
                    .in_file(ctx.file(&subnet.origin))
                    .at(subnet.origin.json_path.clone())
                    .resource(subnet.id.as_str()),
                );
            }
        }
    }
}
