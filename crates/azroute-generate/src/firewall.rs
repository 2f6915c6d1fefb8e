//! Azure Firewall in the hubs (`--hub-appliance azure-firewall`, §16): per hub an `AZFW_VNet`
//! Standard firewall in `AzureFirewallSubnet` with a public IP, and a firewall policy whose
//! rule collection groups allow the designed flows of the realistic rule mix and deny a few on
//! purpose; with `--topology vwan`, the same policy for the secured hubs' `AZFW_Hub` firewalls.
//! The lists are written once, after every hub, in the az CLI's shape
//! (`az network firewall list`, `az network firewall policy list`, `… rule-collection-group list`,
//! `az network public-ip list`).

use std::io;

use serde_json::{Value, json};

use crate::*;

/// The hub subnet that holds the hub's appliance: `snet-nva` for NVAs, `AzureFirewallSubnet`
/// for Azure Firewall (the name Azure requires, §16).
pub(crate) fn appliance_subnet(p: &GenerateParams) -> &'static str {
    match p.hub_appliance {
        HubAppliance::Nva => "snet-nva",
        HubAppliance::AzureFirewall => "AzureFirewallSubnet",
    }
}

/// The suffix of the appliance subnet's route table (`rt-<hub>-<suffix>`).
pub(crate) fn appliance_table(p: &GenerateParams) -> &'static str {
    match p.hub_appliance {
        HubAppliance::Nva => "nva",
        HubAppliance::AzureFirewall => "firewall",
    }
}

/// One network rule of the generated policy.
struct NetRule {
    name: &'static str,
    sources: &'static [&'static str],
    destinations: &'static [&'static str],
    ports: &'static [&'static str],
}

/// One rule collection: its name, priority, action and rules.
struct Collection {
    name: &'static str,
    priority: u32,
    allow: bool,
    rules: &'static [NetRule],
}

const ESTATE: &[&str] = &["10.0.0.0/8"];
const ON_PREMISES: &[&str] = &["172.16.0.0/12"];
const ANY: &[&str] = &["*"];
const WEB: &[&str] = &["443", "80"];
const ADMIN: &[&str] = &["22", "3389"];

/// The policy's network rules, in processing order (priority within the group, §16): the
/// deliberate denies first, then the designed flows of the realistic mix (`security.rs`).
const COLLECTIONS: &[Collection] = &[
    Collection {
        name: "deny-list",
        priority: 100,
        allow: false,
        rules: &[
            // No mail straight to the Internet (as the spokes' NSGs).
            NetRule { name: "deny-smtp-out", sources: ESTATE, destinations: ANY, ports: &["25"] },
            // The spokes do not administer on-premises hosts.
            NetRule { name: "deny-admin-to-on-premises", sources: ESTATE, destinations: ON_PREMISES, ports: ADMIN },
        ],
    },
    Collection {
        name: "east-west",
        priority: 200,
        allow: true,
        rules: &[
            NetRule { name: "web-between-spokes", sources: ESTATE, destinations: ESTATE, ports: WEB },
            NetRule { name: "web-from-on-premises", sources: ON_PREMISES, destinations: ESTATE, ports: WEB },
            NetRule { name: "web-to-on-premises", sources: ESTATE, destinations: ON_PREMISES, ports: WEB },
        ],
    },
    Collection {
        name: "internet",
        priority: 300,
        allow: true,
        rules: &[NetRule { name: "web-to-internet", sources: ESTATE, destinations: ANY, ports: WEB }],
    },
];

fn strings(items: &[&str]) -> Value {
    Value::Array(items.iter().map(|s| json!(s)).collect())
}

fn collection_json(c: &Collection) -> Value {
    let rules: Vec<Value> = c
        .rules
        .iter()
        .map(|r| {
            json!({"destinationAddresses": strings(r.destinations), "destinationFqdns": [], "destinationIpGroups": [],
                "destinationPorts": strings(r.ports), "ipProtocols": ["TCP"], "name": r.name, "ruleType": "NetworkRule",
                "sourceAddresses": strings(r.sources), "sourceIpGroups": []})
        })
        .collect();
    json!({"action": {"type": if c.allow { "Allow" } else { "Deny" }}, "name": c.name, "priority": c.priority,
        "ruleCollectionType": "FirewallPolicyFilterRuleCollection", "rules": rules})
}

/// The firewalls, policies, rule collection groups and public IPs of every hub.
#[derive(Default)]
pub(crate) struct Firewalls {
    firewalls: Vec<Value>,
    policies: Vec<Value>,
    groups: Vec<Value>,
    public_ips: Vec<Value>,
}

impl Firewalls {
    /// The hub's policy (`fw-policy-<hub>`, one network rule collection group) for the
    /// firewall `firewall`; returns the policy's id.
    pub(crate) fn add_policy(&mut self, plan: &Plan, hub: &Hub, firewall: &str) -> String {
        let rg = hub.rg.as_str();
        let name = format!("fw-policy-{}", hub.name);
        let id = plan.net(rg, &format!("firewallPolicies/{name}"));
        let group = format!("{id}/ruleCollectionGroups/DefaultNetworkRuleCollectionGroup");
        self.policies.push(json!({"firewalls": [{"id": firewall}], "id": id, "location": hub.region, "name": name,
            "resourceGroup": rg, "ruleCollectionGroups": [{"id": group}], "sku": {"tier": "Standard"},
            "snat": {"privateRanges": ["IANAPrivateRanges"]}, "threatIntelMode": "Alert",
            "type": "Microsoft.Network/FirewallPolicies"}));
        let collections: Vec<Value> = COLLECTIONS.iter().map(collection_json).collect();
        self.groups.push(json!({"id": group, "name": "DefaultNetworkRuleCollectionGroup", "priority": 200,
            "provisioningState": "Succeeded", "resourceGroup": rg, "ruleCollections": collections,
            "type": "Microsoft.Network/FirewallPolicies/RuleCollectionGroups"}));
        id
    }

    /// A hub-and-spoke hub's `AZFW_VNet` firewall at `hub.firewall` in `AzureFirewallSubnet`,
    /// with its public IP and policy.
    pub(crate) fn add_vnet_firewall(&mut self, plan: &Plan, hub: &Hub, h: usize, out: &mut Output<'_>) {
        let Some(address) = hub.firewall else { return };
        let rg = hub.rg.as_str();
        let name = format!("fw-{}", hub.name);
        let id = plan.net(rg, &format!("azureFirewalls/{name}"));
        let pip = plan.net(rg, &format!("publicIPAddresses/pip-{name}"));
        let subnet = plan.net(rg, &format!("virtualNetworks/vnet-{}/subnets/AzureFirewallSubnet", hub.name));
        let policy = self.add_policy(plan, hub, &id);
        self.public_ips.push(json!({"id": pip, "ipAddress": ip((203 << 24) | (113 << 8) | (1 + h as u32 % 250)),
            "ipConfiguration": {"id": format!("{id}/azureFirewallIpConfigurations/ipconfig"), "resourceGroup": rg},
            "location": hub.region, "name": format!("pip-{name}"), "provisioningState": "Succeeded",
            "publicIPAllocationMethod": "Static", "resourceGroup": rg, "sku": {"name": "Standard", "tier": "Regional"},
            "type": "Microsoft.Network/publicIPAddresses"}));
        self.firewalls.push(json!({"additionalProperties": {}, "applicationRuleCollections": [],
            "firewallPolicy": {"id": policy}, "id": id,
            "ipConfigurations": [{"id": format!("{id}/azureFirewallIpConfigurations/ipconfig"), "name": "ipconfig",
                "privateIPAddress": ip(address), "provisioningState": "Succeeded", "publicIPAddress": {"id": pip},
                "subnet": {"id": subnet}}],
            "location": hub.region, "name": name, "natRuleCollections": [], "networkRuleCollections": [],
            "provisioningState": "Succeeded", "resourceGroup": rg, "sku": {"name": "AZFW_VNet", "tier": "Standard"},
            "threatIntelMode": "Alert", "type": "Microsoft.Network/azureFirewalls"}));
        out.summary.firewalls += 1;
    }

    /// The lists, each only when it has an entry.
    pub(crate) fn write(self, out: &mut Output<'_>) -> io::Result<()> {
        let lists = [
            ("firewall-list.json", self.firewalls),
            ("firewall-policy-list.json", self.policies),
            ("firewall-policy-rule-collection-groups.json", self.groups),
            ("public-ip-list.json", self.public_ips),
        ];
        for (name, items) in lists {
            if !items.is_empty() {
                out.write(name.into(), &Value::Array(items))?;
            }
        }
        Ok(())
    }
}
