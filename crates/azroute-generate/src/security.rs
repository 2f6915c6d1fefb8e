//! NSGs and their security rules.

use std::io;

use serde_json::{Value, json};

use crate::*;

pub(crate) fn security_rules(
    p: &GenerateParams,
    plan: &Plan,
    rng: &mut Rng,
    rg: &str,
    nsg: &str,
    hub_space: &str,
) -> Vec<Value> {
    let sources = ["VirtualNetwork", "10.0.0.0/8", "172.16.0.0/12", "Internet", "AzureLoadBalancer", "*", hub_space];
    let ports = ["443", "80", "22", "3389", "1433", "8080-8090", "*"];
    let protocols = ["Tcp", "Udp", "*", "Icmp"];
    (0..p.nsg_rules)
        .map(|i| {
            let inbound = i % 3 != 2;
            let deny = i + 1 == p.nsg_rules && p.nsg_rules > 1;
            let name = format!("rule-{i:03}");
            json!({
                "access": if deny { "Deny" } else { "Allow" },
                "destinationAddressPrefix": if inbound { "VirtualNetwork" } else { *rng.pick(&sources) },
                "destinationAddressPrefixes": [],
                "destinationPortRange": if deny { "*" } else { *rng.pick(&ports) },
                "destinationPortRanges": [],
                "direction": if inbound { "Inbound" } else { "Outbound" },
                "etag": format!("W/\"{}\"", rng.uuid()),
                "id": plan.net(rg, &format!("networkSecurityGroups/{nsg}/securityRules/{name}")),
                "name": name,
                "priority": 100 + 10 * i,
                "protocol": if deny { "*" } else { *rng.pick(&protocols) },
                "provisioningState": "Succeeded",
                "resourceGroup": rg,
                "sourceAddressPrefix": if inbound { *rng.pick(&sources) } else { "VirtualNetwork" },
                "sourceAddressPrefixes": [],
                "sourcePortRange": "*",
                "sourcePortRanges": [],
                "type": "Microsoft.Network/networkSecurityGroups/securityRules",
            })
        })
        .collect()
}

pub(crate) fn nsg_json(
    plan: &Plan,
    rng: &mut Rng,
    rg: &str,
    name: &str,
    region: &str,
    rules: Vec<Value>,
    subnets: Vec<Value>,
) -> Value {
    json!({
        "etag": format!("W/\"{}\"", rng.uuid()),
        "id": plan.net(rg, &format!("networkSecurityGroups/{name}")),
        "location": region,
        "name": name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "resourceGuid": rng.uuid(),
        "securityRules": rules,
        "subnets": subnets,
        "type": "Microsoft.Network/networkSecurityGroups",
    })
}

/// One NSG for the hub's subnets and one per spoke (on all its subnets), one file per hub.
pub(crate) fn write_hub_nsgs(
    p: &GenerateParams,
    plan: &Plan,
    rng: &mut Rng,
    out: &mut Output<'_>,
    hubs: &[Hub],
    h: usize,
    spokes: &[&Spoke],
) -> io::Result<()> {
    let hub = &hubs[h];
    let rg = hub.rg.as_str();
    let vnet = format!("vnet-{}", hub.name);
    let space = cidr(hub.block, plan.hub_block);
    let mut nsgs = Vec::new();
    let name = format!("nsg-{}", hub.name);
    let rules = security_rules(p, plan, rng, rg, &name, &space);
    out.summary.security_rules += rules.len();
    let subnets = ["snet-nva", "snet-shared", "snet-mgmt"]
        .iter()
        .map(|s| reference(&plan.net(rg, &format!("virtualNetworks/{vnet}/subnets/{s}")), rg))
        .collect();
    nsgs.push(nsg_json(plan, rng, rg, &name, hub.region, rules, subnets));
    for spoke in spokes {
        let name = format!("nsg-{}-spoke{:04}", hub.name, spoke.index);
        let rules = security_rules(p, plan, rng, rg, &name, &space);
        out.summary.security_rules += rules.len();
        let subnets = (0..p.subnets_per_spoke)
            .map(|sn| reference(&plan.net(rg, &format!("virtualNetworks/{}/subnets/snet-{sn}", spoke.name)), rg))
            .collect();
        nsgs.push(nsg_json(plan, rng, rg, &name, spoke.region, rules, subnets));
    }
    out.summary.nsgs += nsgs.len();
    out.write(format!("nsg-list-{}.json", hub.name), &Value::Array(nsgs))
}
