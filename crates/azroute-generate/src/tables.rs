//! Route tables and user routes: the hub's own tables and its spokes'.

use std::collections::BTreeSet;
use std::io;

use serde_json::{Value, json};

use crate::*;

pub(crate) fn route(
    plan: &Plan,
    rg: &str,
    table: &str,
    name: &str,
    prefix: &str,
    hop: &str,
    hop_ip: Option<u32>,
) -> Value {
    let mut r = json!({
        "addressPrefix": prefix,
        "hasBgpOverride": false,
        "id": plan.net(rg, &format!("routeTables/{table}/routes/{name}")),
        "name": name,
        "nextHopType": hop,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "type": "Microsoft.Network/routeTables/routes",
    });
    if let Some(a) = hop_ip {
        r["nextHopIpAddress"] = Value::String(ip(a));
    }
    r
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn route_table(
    plan: &Plan,
    rng: &mut Rng,
    rg: &str,
    name: &str,
    region: &str,
    disable_bgp: bool,
    routes: Vec<Value>,
    subnets: Vec<Value>,
) -> Value {
    json!({
        "disableBgpRoutePropagation": disable_bgp,
        "etag": format!("W/\"{}\"", rng.uuid()),
        "id": plan.net(rg, &format!("routeTables/{name}")),
        "location": region,
        "name": name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "resourceGuid": rng.uuid(),
        "routes": routes,
        "subnets": subnets,
        "type": "Microsoft.Network/routeTables",
    })
}

/// The hub's GatewaySubnet and NVA tables, then its spokes' tables, one file per hub.
pub(crate) fn write_hub_tables(
    p: &GenerateParams,
    plan: &Plan,
    rng: &mut Rng,
    out: &mut Output<'_>,
    hubs: &[Hub],
    h: usize,
    spokes: &[&Spoke],
) -> io::Result<()> {
    let hub = &hubs[h];
    let mut tables = vec![gateway_table(plan, rng, out, hub, spokes), nva_table(p, plan, rng, out, hubs, h)];
    for t in 0..plan.spoke_tables_per_hub.min(spokes.len()) {
        tables.push(spoke_table(p, plan, rng, out, hubs, h, spokes, t));
    }
    out.summary.route_tables += tables.len();
    out.write(format!("route-table-list-{}.json", hub.name), &Value::Array(tables))
}

/// GatewaySubnet: traffic from on-premises to each spoke is inspected by the NVA.
fn gateway_table(plan: &Plan, rng: &mut Rng, out: &mut Output<'_>, hub: &Hub, spokes: &[&Spoke]) -> Value {
    let rg = hub.rg.as_str();
    let name = format!("rt-{}-gateway", hub.name);
    let mut routes = Vec::new();
    if hub.firewall.is_some() {
        for spoke in spokes {
            routes.push(route(
                plan,
                rg,
                &name,
                &format!("to-spoke{:04}-via-fw", spoke.index),
                &cidr(spoke.start, plan.spoke_size),
                "VirtualAppliance",
                hub.firewall,
            ));
        }
    }
    out.summary.user_routes += routes.len();
    let subnet = reference(&plan.net(rg, &format!("virtualNetworks/vnet-{}/subnets/GatewaySubnet", hub.name)), rg);
    route_table(plan, rng, rg, &name, hub.region, false, routes, vec![subnet])
}

/// The appliance's subnet (NVAs or Azure Firewall): other hubs' spokes through their own
/// appliance.
fn nva_table(p: &GenerateParams, plan: &Plan, rng: &mut Rng, out: &mut Output<'_>, hubs: &[Hub], h: usize) -> Value {
    let hub = &hubs[h];
    let rg = hub.rg.as_str();
    let name = format!("rt-{}-{}", hub.name, appliance_table(p));
    let mut routes = Vec::new();
    for (o, other) in hubs.iter().enumerate() {
        if o != h && other.firewall.is_some() {
            routes.push(route(
                plan,
                rg,
                &name,
                &format!("to-{}-via-fw", other.name),
                &cidr(other.block, plan.hub_block),
                "VirtualAppliance",
                other.firewall,
            ));
        }
    }
    out.summary.user_routes += routes.len();
    let subnet =
        reference(&plan.net(rg, &format!("virtualNetworks/vnet-{}/subnets/{}", hub.name, appliance_subnet(p))), rg);
    route_table(plan, rng, rg, &name, hub.region, false, routes, vec![subnet])
}

/// Spoke table `t`, shared by the spokes whose `table` it is.
#[allow(clippy::too_many_arguments)]
fn spoke_table(
    p: &GenerateParams,
    plan: &Plan,
    rng: &mut Rng,
    out: &mut Output<'_>,
    hubs: &[Hub],
    h: usize,
    spokes: &[&Spoke],
    t: usize,
) -> Value {
    let hub = &hubs[h];
    let rg = hub.rg.as_str();
    let name = format!("rt-{}-spoke{t:04}", hub.name);
    let users: Vec<&&Spoke> = spokes.iter().filter(|s| s.table == t).collect();
    let region = users.first().map(|s| s.region).unwrap_or(hub.region);
    let routes = spoke_routes(p, plan, rng, hubs, h, &name, t);
    out.summary.user_routes += routes.len();
    let mut subnets = Vec::new();
    for spoke in &users {
        for sn in 0..p.subnets_per_spoke {
            subnets.push(reference(&plan.net(rg, &format!("virtualNetworks/{}/subnets/snet-{sn}", spoke.name)), rg));
        }
    }
    // Every tenth table keeps on-premises routes away from its spokes (forced tunnelling). With
    // Azure Firewall every spoke table does, as Microsoft's hub-spoke design with Azure Firewall
    // has it: the gateway's more specific on-premises prefixes would otherwise skip the firewall
    // outbound while the GatewaySubnet's routes send the replies through it (§16.7).
    let disable_bgp = p.hub_appliance == HubAppliance::AzureFirewall || t % 10 == 9;
    route_table(plan, rng, rg, &name, region, disable_bgp, routes, subnets)
}

/// A spoke table's user routes: default and on-premises through the hub's NVA, the other hubs,
/// a service tag on every tenth table, then seeded partner, SaaS, black-hole and on-premises
/// prefixes up to `routes_per_table` (each prefix once).
fn spoke_routes(
    p: &GenerateParams,
    plan: &Plan,
    rng: &mut Rng,
    hubs: &[Hub],
    h: usize,
    name: &str,
    t: usize,
) -> Vec<Value> {
    let hub = &hubs[h];
    let rg = hub.rg.as_str();
    let hop = |fw: Option<u32>| if fw.is_some() { "VirtualAppliance" } else { "Internet" };
    let mut routes = Vec::new();
    let mut seen = BTreeSet::new();
    let mut add = |routes: &mut Vec<Value>, name_: String, prefix: String, hop_type: &str, hop_ip: Option<u32>| {
        if routes.len() < p.routes_per_table && seen.insert(prefix.clone()) {
            routes.push(route(plan, rg, name, &name_, &prefix, hop_type, hop_ip));
        }
    };
    add(&mut routes, "default-via-fw".into(), "0.0.0.0/0".into(), hop(hub.firewall), hub.firewall);
    add(&mut routes, "onprem-via-fw".into(), "172.16.0.0/12".into(), hop(hub.firewall), hub.firewall);
    for other in hubs.iter().filter(|o| o.name != hub.name).take(p.routes_per_table / 4) {
        add(
            &mut routes,
            format!("{}-via-fw", other.name),
            cidr(other.block, plan.hub_block),
            hop(hub.firewall),
            hub.firewall,
        );
    }
    if t.is_multiple_of(10) {
        add(&mut routes, "storage-direct".into(), "Storage".into(), "Internet", None);
    }
    let mut tries = 0;
    while routes.len() < p.routes_per_table && tries < 100 * p.routes_per_table {
        tries += 1;
        let n = routes.len();
        match rng.below(10) {
            0..=5 => {
                let len = 24 + rng.below(5) as u32;
                let addr = (192 << 24) | (168 << 16) | (rng.next() as u32 & 0xffff & !((1u32 << (32 - len)) - 1));
                add(
                    &mut routes,
                    format!("partner-{n:03}"),
                    cidr(addr, 1 << (32 - len)),
                    hop(hub.firewall),
                    hub.firewall,
                );
            }
            6 | 7 => {
                let addr = (20 << 24) | ((rng.next() as u32 & 0xffff) << 8);
                add(&mut routes, format!("saas-{n:03}"), cidr(addr, 256), "Internet", None);
            }
            8 => {
                let addr = (100 << 24) | (64 << 16) | ((rng.next() as u32 & 0x3fff) << 8);
                add(&mut routes, format!("blackhole-{n:03}"), cidr(addr, 256), "None", None);
            }
            _ => {
                let octet = 16 + (h % 16) as u32;
                let addr = (172 << 24) | (octet << 16) | ((rng.next() as u32 & 0xff) << 8);
                if p.hub_appliance == HubAppliance::AzureFirewall && hub.firewall.is_some() {
                    // The GatewaySubnet brings on-premises replies through an Azure Firewall,
                    // which drops one-way flows (§16.5): no prefix may bypass it outbound.
                    let name = format!("onprem-via-fw-{n:03}");
                    add(&mut routes, name, cidr(addr, 256), "VirtualAppliance", hub.firewall);
                } else {
                    add(&mut routes, format!("onprem-direct-{n:03}"), cidr(addr, 256), "VirtualNetworkGateway", None);
                }
            }
        }
    }
    routes
}
