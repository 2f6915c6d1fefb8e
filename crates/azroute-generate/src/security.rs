//! NSGs and their security rules, in one of two mixes (`RuleMix`): `realistic` (the default:
//! the flows the estate is designed for allowed, a few deliberate denies) or `legacy` (random
//! rules ending in an inbound deny-all, the mix of the figures before issue 18).

use std::io;

use serde_json::{Value, json};

use crate::*;

/// Which NSG an estate's rules are for: the hub's (NVA, shared and management subnets) or a
/// spoke's (all its subnets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NsgRole {
    Hub,
    Spoke,
}

/// One designed rule of the realistic mix.
struct Designed {
    name: &'static str,
    inbound: bool,
    allow: bool,
    protocol: &'static str,
    ports: &'static str,
    /// The remote side: the source of an inbound rule, the destination of an outbound one.
    remote: Remote,
    priority: u32,
}

/// The remote side of a designed rule.
#[derive(Clone, Copy)]
enum Remote {
    Tag(&'static str),
    /// The hub's management subnet (administration comes from there).
    HubManagement,
}

/// The realistic mix, per NSG role (Azure's six default rules follow them, §9).
fn designed(role: NsgRole) -> &'static [Designed] {
    const fn rule(
        name: &'static str,
        inbound: bool,
        allow: bool,
        protocol: &'static str,
        ports: &'static str,
        remote: Remote,
        priority: u32,
    ) -> Designed {
        Designed { name, inbound, allow, protocol, ports, remote, priority }
    }
    const SPOKE: [Designed; 7] = [
        // Applications: HTTPS and HTTP from the estate and on-premises (the spokes reach each
        // other through the hub's NVAs, and the VirtualNetwork tag holds the peered hub, the
        // gateway's prefixes and the spokes' user-route prefixes).
        rule("allow-web-from-vnet", true, true, "Tcp", "443", Remote::Tag("VirtualNetwork"), 100),
        rule("allow-http-from-vnet", true, true, "Tcp", "80", Remote::Tag("VirtualNetwork"), 110),
        // Administration from the hub's management subnet only.
        rule("allow-admin-from-mgmt", true, true, "Tcp", "22", Remote::HubManagement, 120),
        rule("allow-rdp-from-mgmt", true, true, "Tcp", "3389", Remote::HubManagement, 130),
        // Deliberate denies: administration from anywhere else, and everything else inbound.
        rule("deny-admin-from-vnet", true, false, "Tcp", "22", Remote::Tag("VirtualNetwork"), 4000),
        rule("deny-all-inbound", true, false, "*", "*", Remote::Tag("*"), 4096),
        // Deliberate deny outbound: no mail straight to the Internet.
        rule("deny-smtp-to-internet", false, false, "Tcp", "25", Remote::Tag("Internet"), 4000),
    ];
    const HUB: [Designed; 4] = [
        // The NVAs receive what the spokes and on-premises route through them, whatever its
        // destination (the Internet included); the shared and management subnets serve the estate.
        rule("allow-vnet-inbound", true, true, "*", "*", Remote::Tag("VirtualNetwork"), 100),
        rule("allow-lb-probes", true, true, "*", "*", Remote::Tag("AzureLoadBalancer"), 110),
        // Deliberate deny: no administration from the Internet.
        rule("deny-admin-from-internet", true, false, "Tcp", "3389", Remote::Tag("Internet"), 4000),
        rule("allow-all-outbound", false, true, "*", "*", Remote::Tag("*"), 100),
    ];
    match role {
        NsgRole::Spoke => &SPOKE,
        NsgRole::Hub => &HUB,
    }
}

/// The rules of one NSG in the chosen mix. The realistic mix holds its designed rules and, when
/// `nsg_rules` asks for more, narrow allow rules for on-premises hosts on other ports (which
/// change no designed flow).
pub(crate) fn nsg_rules(p: &GenerateParams, plan: &Plan, rng: &mut Rng, nsg: &NsgSpec<'_>) -> Vec<Value> {
    let (rg, name) = (nsg.rg, nsg.name);
    match p.rule_mix {
        RuleMix::Legacy => security_rules(p, plan, rng, rg, name, nsg.hub_space),
        RuleMix::Realistic => {
            let mut rules: Vec<Value> = designed(nsg.role)
                .iter()
                .map(|d| {
                    let remote = match d.remote {
                        Remote::Tag(tag) => tag,
                        Remote::HubManagement => nsg.hub_mgmt,
                    };
                    let (source, destination) = if d.inbound { (remote, "*") } else { ("*", remote) };
                    let rule = RuleSpec {
                        name: d.name,
                        inbound: d.inbound,
                        allow: d.allow,
                        protocol: d.protocol,
                        ports: d.ports,
                        source,
                        destination,
                        priority: d.priority,
                    };
                    rule_json(plan, rng, rg, name, &rule)
                })
                .collect();
            for i in rules.len()..p.nsg_rules {
                let (rule_name, port) = (format!("allow-onprem-{i:03}"), (9000 + i).to_string());
                let source = format!("172.16.{}.0/24", rng.below(256));
                let rule = RuleSpec {
                    name: &rule_name,
                    inbound: true,
                    allow: true,
                    protocol: "Tcp",
                    ports: &port,
                    source: &source,
                    destination: "*",
                    priority: 200 + 10 * i as u32,
                };
                rules.push(rule_json(plan, rng, rg, name, &rule));
            }
            rules
        }
    }
}

/// One NSG: where it lives and what it is for.
pub(crate) struct NsgSpec<'a> {
    pub(crate) rg: &'a str,
    pub(crate) name: &'a str,
    /// The hub VNet's address space (the legacy mix picks it as a source).
    pub(crate) hub_space: &'a str,
    /// The hub's management subnet (the realistic mix allows administration from it).
    pub(crate) hub_mgmt: &'a str,
    pub(crate) role: NsgRole,
}

/// One security rule's values.
struct RuleSpec<'a> {
    name: &'a str,
    inbound: bool,
    allow: bool,
    protocol: &'a str,
    ports: &'a str,
    source: &'a str,
    destination: &'a str,
    priority: u32,
}

/// One security rule, as az prints it.
fn rule_json(plan: &Plan, rng: &mut Rng, rg: &str, nsg: &str, rule: &RuleSpec<'_>) -> Value {
    let RuleSpec { name, inbound, allow, protocol, ports, source, destination, priority } = *rule;
    json!({
        "access": if allow { "Allow" } else { "Deny" },
        "destinationAddressPrefix": destination,
        "destinationAddressPrefixes": [],
        "destinationPortRange": ports,
        "destinationPortRanges": [],
        "direction": if inbound { "Inbound" } else { "Outbound" },
        "etag": format!("W/\"{}\"", rng.uuid()),
        "id": plan.net(rg, &format!("networkSecurityGroups/{nsg}/securityRules/{name}")),
        "name": name,
        "priority": priority,
        "protocol": protocol,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "sourceAddressPrefix": source,
        "sourceAddressPrefixes": [],
        "sourcePortRange": "*",
        "sourcePortRanges": [],
        "type": "Microsoft.Network/networkSecurityGroups/securityRules",
    })
}

/// The legacy mix: random rules (two in three inbound to VirtualNetwork from a random source),
/// the last an inbound deny-all.
fn security_rules(p: &GenerateParams, plan: &Plan, rng: &mut Rng, rg: &str, nsg: &str, hub_space: &str) -> Vec<Value> {
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
    let mgmt = cidr(hub.block + 3 * plan.hub_subnet, plan.hub_subnet);
    let mut nsgs = Vec::new();
    let name = format!("nsg-{}", hub.name);
    let hub_nsg = NsgSpec { rg, name: &name, hub_space: &space, hub_mgmt: &mgmt, role: NsgRole::Hub };
    let rules = nsg_rules(p, plan, rng, &hub_nsg);
    out.summary.security_rules += rules.len();
    // Azure Firewall's subnet takes no NSG (§16); the NVAs' subnet has the hub's.
    let appliance = (p.hub_appliance == HubAppliance::Nva).then_some("snet-nva");
    let subnets = appliance
        .iter()
        .chain(["snet-shared", "snet-mgmt"].iter())
        .map(|s| reference(&plan.net(rg, &format!("virtualNetworks/{vnet}/subnets/{s}")), rg))
        .collect();
    nsgs.push(nsg_json(plan, rng, rg, &name, hub.region, rules, subnets));
    for spoke in spokes {
        let name = format!("nsg-{}-spoke{:04}", hub.name, spoke.index);
        let spoke_nsg = NsgSpec { name: &name, role: NsgRole::Spoke, ..hub_nsg };
        let rules = nsg_rules(p, plan, rng, &spoke_nsg);
        out.summary.security_rules += rules.len();
        let subnets = (0..p.subnets_per_spoke)
            .map(|sn| reference(&plan.net(rg, &format!("virtualNetworks/{}/subnets/snet-{sn}", spoke.name)), rg))
            .collect();
        nsgs.push(nsg_json(plan, rng, rg, &name, spoke.region, rules, subnets));
    }
    out.summary.nsgs += nsgs.len();
    out.write(format!("nsg-list-{}.json", hub.name), &Value::Array(nsgs))
}
