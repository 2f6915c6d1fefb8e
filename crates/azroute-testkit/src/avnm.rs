//! Azure Virtual Network Manager resources for test estates (§18): network groups with static
//! members, connectivity configurations, security admin rules, routing rules, in REST shape
//! (the az CLI and Resource Graph dialects are derived from it like every other resource).

use serde_json::{Value, json};

use crate::{Estate, id};

/// The network manager every AVNM resource of a test estate belongs to.
pub const MANAGER: &str = "avnm1";

/// A security admin rule for [`Estate::admin_rules`]: (name, priority, direction, access,
/// protocol, source prefix, destination prefix, destination port).
pub type AdminRuleSpec<'a> = (&'a str, u32, &'a str, &'a str, &'a str, &'a str, &'a str, &'a str);

/// The id of a resource under the test network manager (`networkGroups/g`, …).
pub fn avnm_id(path: &str) -> String {
    format!("{}/{path}", id("networkManagers", MANAGER))
}

impl Estate {
    /// A network group with its VNets as static members.
    pub fn network_group(&mut self, name: &str, vnets: &[&str]) -> &mut Estate {
        let group = avnm_id(&format!("networkGroups/{name}"));
        self.others.push(json!({
            "id": group, "name": name, "type": "Microsoft.Network/networkManagers/networkGroups",
            "properties": {"memberType": "VirtualNetwork"}
        }));
        for vnet in vnets {
            self.others.push(json!({
                "id": format!("{group}/staticMembers/sm-{vnet}"), "name": format!("sm-{vnet}"),
                "type": "Microsoft.Network/networkManagers/networkGroups/staticMembers",
                "properties": {"resourceId": id("virtualNetworks", vnet)}
            }));
        }
        self
    }

    /// A network group of `memberType` `Subnet` with the given (VNet, subnet) static members.
    pub fn subnet_group(&mut self, name: &str, subnets: &[(&str, &str)]) -> &mut Estate {
        let group = avnm_id(&format!("networkGroups/{name}"));
        self.others.push(json!({
            "id": group, "name": name, "type": "Microsoft.Network/networkManagers/networkGroups",
            "properties": {"memberType": "Subnet"}
        }));
        for (vnet, subnet) in subnets {
            self.others.push(json!({
                "id": format!("{group}/staticMembers/sm-{vnet}-{subnet}"), "name": format!("sm-{vnet}-{subnet}"),
                "type": "Microsoft.Network/networkManagers/networkGroups/staticMembers",
                "properties": {"resourceId": format!("{}/subnets/{subnet}", id("virtualNetworks", vnet))}
            }));
        }
        self
    }

    /// A connectivity configuration: `Mesh` or `HubAndSpoke` (with `hub`), applied to groups
    /// given as (group, directly connected, global). String booleans, as AVNM writes them.
    pub fn connectivity(
        &mut self,
        name: &str,
        topology: &str,
        hub: Option<&str>,
        groups: &[(&str, bool, bool)],
        global: bool,
    ) -> &mut Estate {
        let b = |v: bool| if v { "True" } else { "False" };
        let applies: Vec<Value> = groups
            .iter()
            .map(|(g, direct, global)| {
                json!({
                    "networkGroupId": avnm_id(&format!("networkGroups/{g}")),
                    "groupConnectivity": if *direct { "DirectlyConnected" } else { "None" },
                    "isGlobal": b(*global), "useHubGateway": "False"
                })
            })
            .collect();
        let hubs: Vec<Value> = hub
            .iter()
            .map(|h| json!({"resourceId": id("virtualNetworks", h), "resourceType": "Microsoft.Network/virtualNetworks"}))
            .collect();
        self.others.push(json!({
            "id": avnm_id(&format!("connectivityConfigurations/{name}")), "name": name,
            "type": "Microsoft.Network/networkManagers/connectivityConfigurations",
            "properties": {
                "connectivityTopology": topology, "hubs": hubs, "isGlobal": b(global),
                "deleteExistingPeering": "False", "appliesToGroups": applies
            }
        }));
        self
    }

    /// A security admin configuration `config` with one rule collection `collection` applied to
    /// `groups`, and its rules: (name, priority, direction, access, protocol, source prefix,
    /// destination prefix, destination port).
    pub fn admin_rules(
        &mut self,
        config: &str,
        collection: &str,
        groups: &[&str],
        rules: &[AdminRuleSpec<'_>],
    ) -> &mut Estate {
        let config_id = avnm_id(&format!("securityAdminConfigurations/{config}"));
        if !self.others.iter().any(|r| r["id"] == config_id) {
            self.others.push(json!({
                "id": config_id, "name": config,
                "type": "Microsoft.Network/networkManagers/securityAdminConfigurations",
                "properties": {"applyOnNetworkIntentPolicyBasedServices": ["None"]}
            }));
        }
        let collection_id = format!("{config_id}/ruleCollections/{collection}");
        let applies: Vec<Value> =
            groups.iter().map(|g| json!({"networkGroupId": avnm_id(&format!("networkGroups/{g}"))})).collect();
        self.others.push(json!({
            "id": collection_id, "name": collection,
            "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections",
            "properties": {"appliesToGroups": applies}
        }));
        for (name, priority, direction, access, protocol, src, dst, port) in rules {
            let address = |text: &str| {
                let kind = if text.starts_with('/') {
                    "NetworkGroup"
                } else if text == "*" || text.starts_with(|c: char| c.is_ascii_digit()) || text.contains(':') {
                    "IPPrefix"
                } else {
                    "ServiceTag"
                };
                json!([{"addressPrefixType": kind, "addressPrefix": text}])
            };
            self.others.push(json!({
                "id": format!("{collection_id}/rules/{name}"), "name": name, "kind": "Custom",
                "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules",
                "properties": {
                    "priority": priority, "direction": direction, "access": access, "protocol": protocol,
                    "sources": address(src), "destinations": address(dst),
                    "sourcePortRanges": ["0-65535"], "destinationPortRanges": [port]
                }
            }));
        }
        self
    }

    /// A routing configuration `config` with one rule collection applied to `groups`, and its
    /// rules: (name, destination prefix, AVNM next hop type, next hop address).
    pub fn routing_rules(
        &mut self,
        config: &str,
        collection: &str,
        groups: &[&str],
        disable_bgp: bool,
        rules: &[(&str, &str, &str, Option<&str>)],
    ) -> &mut Estate {
        let config_id = avnm_id(&format!("routingConfigurations/{config}"));
        if !self.others.iter().any(|r| r["id"] == config_id) {
            self.others.push(json!({
                "id": config_id, "name": config, "type": "Microsoft.Network/networkManagers/routingConfigurations",
                "properties": {"routeTableUsageMode": "ManagedOnly"}
            }));
        }
        let collection_id = format!("{config_id}/ruleCollections/{collection}");
        let applies: Vec<Value> =
            groups.iter().map(|g| json!({"networkGroupId": avnm_id(&format!("networkGroups/{g}"))})).collect();
        self.others.push(json!({
            "id": collection_id, "name": collection,
            "type": "Microsoft.Network/networkManagers/routingConfigurations/ruleCollections",
            "properties": {"appliesTo": applies, "disableBgpRoutePropagation": if disable_bgp { "True" } else { "False" }}
        }));
        for (name, destination, hop, address) in rules {
            self.others.push(json!({
                "id": format!("{collection_id}/rules/{name}"), "name": name,
                "type": "Microsoft.Network/networkManagers/routingConfigurations/ruleCollections/rules",
                "properties": {
                    "destination": {"type": "AddressPrefix", "destinationAddress": destination},
                    "nextHop": {"nextHopType": hop, "nextHopAddress": address.unwrap_or("")}
                }
            }));
        }
        self
    }

    /// An `listActiveConnectivityConfigurations` entry: `config` is deployed in `region`
    /// (§18.6), written as its own file, `{"value": [...]}` as the API answers.
    pub fn active_connectivity(&mut self, config: &str, region: &str) -> &mut Estate {
        let id = avnm_id(&format!("connectivityConfigurations/{config}"));
        let copy = self.others.iter().find(|r| r["id"] == id).cloned().expect("configuration in the estate");
        let entry = json!({"region": region, "commitTime": "2025-01-01T00:00:00Z", "id": id,
                           "properties": copy["properties"].clone(), "configurationGroups": []});
        self.learned.push(json!({"value": [entry], "skipToken": ""}));
        self
    }

    /// An `listActiveSecurityAdminRules` entry: rule `rule` of `config`/`collection` is deployed
    /// in `region` (§18.6).
    pub fn active_admin_rule(&mut self, config: &str, collection: &str, rule: &str, region: &str) -> &mut Estate {
        let entry = self.effective_rule(config, collection, rule);
        let mut entry = entry;
        entry["region"] = json!(region);
        entry["commitTime"] = json!("2025-01-01T00:00:00Z");
        self.learned.push(json!({"value": [entry], "skipToken": ""}));
        self
    }

    /// A VNet's `listNetworkManagerEffectiveConnectivityConfigurations` answer in the documented
    /// wrapper (§18.6): the configurations `configs`, each through the group `(config, group)`.
    pub fn effective_connectivity(&mut self, vnet: &str, configs: &[(&str, &str)]) -> &mut Estate {
        let value: Vec<Value> = configs
            .iter()
            .map(|(config, group)| {
                let id = avnm_id(&format!("connectivityConfigurations/{config}"));
                let copy = self.others.iter().find(|r| r["id"] == id).cloned().expect("configuration in the estate");
                json!({"id": id, "properties": copy["properties"].clone(),
                       "configurationGroups": [{"id": avnm_id(&format!("networkGroups/{group}")), "properties": {}}]})
            })
            .collect();
        self.learned.push(json!({"virtualNetworkId": id("virtualNetworks", vnet),
                                 "effectiveConnectivityConfigurations": {"value": value, "skipToken": ""}}));
        self
    }

    /// A VNet's `listNetworkManagerEffectiveSecurityAdminRules` answer in the documented wrapper
    /// (§18.6): the rules `(config, collection, rule)` of the estate, as the API shows them.
    pub fn effective_admin_rules(&mut self, vnet: &str, rules: &[(&str, &str, &str)]) -> &mut Estate {
        let value: Vec<Value> = rules.iter().map(|(c, rc, r)| self.effective_rule(c, rc, r)).collect();
        self.learned.push(
            json!({"virtualNetworkId": id("virtualNetworks", vnet), "effectiveSecurityAdminRules": {"value": value}}),
        );
        self
    }

    /// A rule of the estate as effective and active answers show it (no name, no type).
    fn effective_rule(&self, config: &str, collection: &str, rule: &str) -> Value {
        let id = avnm_id(&format!("securityAdminConfigurations/{config}/ruleCollections/{collection}/rules/{rule}"));
        let copy = self.others.iter().find(|r| r["id"] == id).cloned().expect("rule in the estate");
        json!({"id": id, "kind": copy["kind"].clone(), "properties": copy["properties"].clone(),
               "configurationDescription": "", "ruleCollectionAppliesToGroups": []})
    }
}
