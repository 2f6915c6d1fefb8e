//! Azure Firewall from Terraform (§16.1): `azurerm_firewall`, `azurerm_firewall_policy`,
//! `azurerm_firewall_policy_rule_collection_group` and `azurerm_ip_group`, lowered into the same
//! model as the ARM JSON. A link Terraform does not know yet (a plan's unknown policy id) is
//! left out; rule values are parsed as the ARM ones are.

use super::*;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfFirewallIpConfig {
    pub(super) name: Option<String>,
    pub(super) subnet_id: Option<String>,
    pub(super) public_ip_address_id: Option<String>,
    pub(super) private_ip_address: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfVirtualHub {
    pub(super) virtual_hub_id: Option<String>,
    pub(super) private_ip_address: Option<String>,
    pub(super) public_ip_addresses: Strs,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfFirewall {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) sku_name: Option<String>,
    pub(super) sku_tier: Option<String>,
    pub(super) firewall_policy_id: Option<String>,
    pub(super) ip_configuration: Blocks<TfFirewallIpConfig>,
    pub(super) management_ip_configuration: Blocks<TfFirewallIpConfig>,
    pub(super) virtual_hub: Blocks<TfVirtualHub>,
    pub(super) dns_proxy_enabled: Option<bool>,
    pub(super) private_ip_ranges: Strs,
    pub(super) threat_intel_mode: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfPolicyDns {
    pub(super) proxy_enabled: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfFirewallPolicy {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) base_policy_id: Option<String>,
    pub(super) dns: Blocks<TfPolicyDns>,
    pub(super) private_ip_ranges: Strs,
    pub(super) auto_learn_private_ranges_enabled: Option<bool>,
    pub(super) sku: Option<String>,
    pub(super) threat_intelligence_mode: Option<String>,
}

/// A rule of any collection kind; the attributes a kind lacks stay empty.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfFirewallRule {
    pub(super) name: Option<String>,
    /// Network and NAT rules: strings; application rules: `protocols { type, port }` blocks.
    pub(super) protocols: Option<Value>,
    pub(super) source_addresses: Strs,
    pub(super) source_ip_groups: Strs,
    pub(super) destination_addresses: Strs,
    /// NAT rules name one destination.
    pub(super) destination_address: Option<String>,
    pub(super) destination_ip_groups: Strs,
    pub(super) destination_fqdns: Strs,
    pub(super) destination_ports: Strs,
    pub(super) destination_urls: Strs,
    pub(super) destination_fqdn_tags: Strs,
    pub(super) web_categories: Strs,
    pub(super) translated_address: Option<String>,
    pub(super) translated_fqdn: Option<String>,
    pub(super) translated_port: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfRuleCollection {
    pub(super) name: Option<String>,
    pub(super) action: Option<String>,
    pub(super) priority: Option<u32>,
    pub(super) rule: Blocks<TfFirewallRule>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfRuleCollectionGroup {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) firewall_policy_id: Option<String>,
    pub(super) priority: Option<u32>,
    pub(super) nat_rule_collection: Blocks<TfRuleCollection>,
    pub(super) network_rule_collection: Blocks<TfRuleCollection>,
    pub(super) application_rule_collection: Blocks<TfRuleCollection>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfIpGroup {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) cidrs: Strs,
}

fn link_of<T>(id: &Option<String>) -> Option<Link<T>> {
    nonempty(id).map(|i| Link::Missing(ArmId::new(i)))
}

fn ip_config(c: &TfFirewallIpConfig) -> FirewallIpConfig {
    FirewallIpConfig {
        name: nonempty(&c.name).unwrap_or_default().to_string(),
        private_ip: nonempty(&c.private_ip_address).and_then(|t| parse_ip(t).ok()),
        subnet: link_of(&c.subnet_id),
        public_ip: link_of(&c.public_ip_address_id),
    }
}

/// A private-range list: `private_ip_ranges`, absent when empty (the default list applies).
fn ranges(v: &Strs) -> Option<Vec<String>> {
    let list: Vec<String> = texts(v).into_iter().map(str::to_string).collect();
    (!list.is_empty()).then_some(list)
}

fn rule(r: &TfFirewallRule) -> FwRule {
    let mut protocols = Vec::new();
    let mut app_protocols = Vec::new();
    for p in r.protocols.iter().flat_map(|v| v.as_array().into_iter().flatten()) {
        match p {
            Value::String(s) => protocols.push(FwProtocol::parse(s)),
            Value::Object(o) => app_protocols.push(FwAppProtocol {
                protocol_type: o.get("type").and_then(Value::as_str).unwrap_or_default().to_string(),
                port: o.get("port").and_then(Value::as_u64).and_then(|p| u16::try_from(p).ok()),
            }),
            _ => {}
        }
    }
    let addresses = |v: &Strs| texts(v).into_iter().map(FwAddress::parse).collect::<Vec<_>>();
    let strings = |v: &Strs| texts(v).into_iter().map(str::to_string).collect::<Vec<_>>();
    let mut destination_addresses = addresses(&r.destination_addresses);
    destination_addresses.extend(nonempty(&r.destination_address).map(FwAddress::parse));
    FwRule {
        name: nonempty(&r.name).unwrap_or_default().to_string(),
        protocols,
        app_protocols,
        source_addresses: addresses(&r.source_addresses),
        source_ip_groups: texts(&r.source_ip_groups).into_iter().map(|g| Link::Missing(ArmId::new(g))).collect(),
        destination_addresses,
        destination_ip_groups: texts(&r.destination_ip_groups)
            .into_iter()
            .map(|g| Link::Missing(ArmId::new(g)))
            .collect(),
        // A network rule's `destination_fqdns`; an application rule's are its targets.
        destination_fqdns: if r
            .protocols
            .as_ref()
            .is_some_and(|p| p.as_array().is_some_and(|a| a.iter().any(Value::is_object)))
        {
            Vec::new()
        } else {
            strings(&r.destination_fqdns)
        },
        destination_ports: texts(&r.destination_ports).into_iter().map(FwPort::parse).collect(),
        target_fqdns: if r
            .protocols
            .as_ref()
            .is_some_and(|p| p.as_array().is_some_and(|a| a.iter().any(Value::is_object)))
        {
            strings(&r.destination_fqdns)
        } else {
            Vec::new()
        },
        target_urls: strings(&r.destination_urls),
        fqdn_tags: strings(&r.destination_fqdn_tags),
        web_categories: strings(&r.web_categories),
        translated_address: nonempty(&r.translated_address).map(str::to_string),
        translated_port: r.translated_port.as_ref().and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }),
        translated_fqdn: nonempty(&r.translated_fqdn).map(str::to_string),
    }
}

/// The collections of one block kind (`network_rule_collection`, …) of a group at `path`.
fn collections(
    pending: &mut Pending,
    v: &Blocks<TfRuleCollection>,
    kind: FwRuleKind,
    (path, block, id): (&str, &str, &str),
) -> Vec<FwRuleCollection> {
    blocks(v)
        .map(|(b, c)| FwRuleCollection {
            name: nonempty(&c.name).unwrap_or_default().to_string(),
            priority: tf_priority(pending, c.priority, &format!("{path}.{block}[{b}].priority"), id),
            kind,
            action: FwAction::parse(nonempty(&c.action).unwrap_or_default()),
            rules: blocks(&c.rule).map(|(_, r)| rule(r)).collect(),
        })
        .collect()
}

impl Lowerer<'_, '_> {
    pub(super) fn firewall(&mut self, i: usize, a: &TfFirewall) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let hub = blocks(&a.virtual_hub).map(|(_, h)| h).next();
        self.pending.firewalls.push(Firewall {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            sku: FirewallSku::parse(nonempty(&a.sku_name).unwrap_or_default()),
            tier: nonempty(&a.sku_tier).unwrap_or_default().to_string(),
            ip_configs: blocks(&a.ip_configuration).map(|(_, c)| ip_config(c)).collect(),
            management_ip_config: blocks(&a.management_ip_configuration).map(|(_, c)| ip_config(c)).next(),
            hub_private_ip: hub.and_then(|h| nonempty(&h.private_ip_address)).and_then(|t| parse_ip(t).ok()),
            hub_public_ips: hub
                .map(|h| texts(&h.public_ip_addresses).into_iter().filter_map(|t| parse_ip(t).ok()).collect())
                .unwrap_or_default(),
            virtual_hub: hub.and_then(|h| nonempty(&h.virtual_hub_id)).map(ArmId::new),
            policy: link_of(&a.firewall_policy_id),
            classic: Vec::new(),
            threat_intel_mode: nonempty(&a.threat_intel_mode).unwrap_or_default().to_string(),
            snat_private_ranges: ranges(&a.private_ip_ranges),
            dns_proxy: a.dns_proxy_enabled,
            origin: self.origin(&path),
        });
    }

    pub(super) fn firewall_policy(&mut self, i: usize, a: &TfFirewallPolicy) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        self.pending.firewall_policies.push(FirewallPolicy {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            base_policy: link_of(&a.base_policy_id),
            threat_intel_mode: nonempty(&a.threat_intelligence_mode).unwrap_or_default().to_string(),
            snat_private_ranges: ranges(&a.private_ip_ranges),
            auto_learn_private_ranges: a.auto_learn_private_ranges_enabled.unwrap_or(false),
            dns_proxy: blocks(&a.dns).any(|(_, d)| d.proxy_enabled == Some(true)),
            tier: nonempty(&a.sku).unwrap_or_default().to_string(),
            rule_collection_groups: Vec::new(),
            origin: self.origin(&path),
        });
    }

    /// A rule collection group: a child of its policy (its id, or the policy's and its name).
    pub(super) fn rule_collection_group(&mut self, i: usize, a: &TfRuleCollectionGroup) {
        let path = self.insts[i].path.clone();
        let name = nonempty(&a.name).unwrap_or_default().to_string();
        let id = match (self.id(i), nonempty(&a.firewall_policy_id)) {
            (Some(id), _) => id,
            (None, Some(policy)) => format!("{policy}/ruleCollectionGroups/{name}"),
            (None, None) => return,
        };
        let p = &mut *self.pending;
        let mut all = collections(p, &a.nat_rule_collection, FwRuleKind::Nat, (&path, "nat_rule_collection", &id));
        all.extend(collections(
            p,
            &a.network_rule_collection,
            FwRuleKind::Network,
            (&path, "network_rule_collection", &id),
        ));
        all.extend(collections(
            p,
            &a.application_rule_collection,
            FwRuleKind::Application,
            (&path, "application_rule_collection", &id),
        ));
        let group = RuleCollectionGroup {
            id: ArmId::new(&id),
            name,
            priority: tf_priority(p, a.priority, &format!("{path}.priority"), &id),
            collections: all,
            origin: self.origin(&path),
        };
        self.pending.rule_collection_groups.push(Child {
            key: normalize_id(&id),
            parent: normalize_id(&parent_id(&id)),
            item: group,
        });
    }

    pub(super) fn ip_group(&mut self, i: usize, a: &TfIpGroup) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        self.pending.ip_groups.push(IpGroup {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            ip_addresses: texts(&a.cidrs).into_iter().map(FwAddress::parse).collect(),
            origin: self.origin(&path),
        });
    }
}

/// A Terraform priority, checked as the ARM one is (100–65000).
pub(super) fn tf_priority(pending: &mut Pending, priority: Option<u32>, path: &str, id: &str) -> Option<u32> {
    priority.and_then(|p| pending.priority(Some(&p.to_string()), path, id))
}
