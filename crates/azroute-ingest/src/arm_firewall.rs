//! Lowering of Azure Firewall resources from ARM JSON (REST, az CLI, Resource Graph, §16.1):
//! firewalls (VNet and hub SKUs, classic rule collections), firewall policies, their rule
//! collection groups (separate resources, nested into their policy when linked) and IP groups.
//! Enum values are read without case (`DNAT` and `Dnat`); a value Azure would refuse is a
//! diagnostic naming its JSON path.

use azroute_model::*;

use crate::arm::{link, list, s};
use crate::diag::Diagnostic;
use crate::dto::*;
use crate::pending::{Child, Pending};
use crate::values::*;

/// Which list of a classic firewall a collection came from.
const CLASSIC_LISTS: [(&str, FwRuleKind); 3] = [
    ("natRuleCollections", FwRuleKind::Nat),
    ("networkRuleCollections", FwRuleKind::Network),
    ("applicationRuleCollections", FwRuleKind::Application),
];

impl Pending {
    pub(crate) fn firewall(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "Azure Firewall", path) {
            return;
        }
        let mut ip_configs = Vec::new();
        for (i, c) in dto.ip_configurations.iter().flatten().enumerate() {
            let p = || format!("{}[{i}]", dto.path(path, "ipConfigurations"));
            ip_configs.push(self.firewall_ip_config(c, &p, &id));
        }
        let management_ip_config = dto.management_ip_configuration.as_ref().map(|c| {
            let p = || dto.path(path, "managementIpConfiguration");
            self.firewall_ip_config(c, &p, &id)
        });
        let hub = dto.hub_ip_addresses.as_ref();
        let hub_private_ip = hub.and_then(|h| h.private_ip_address.as_ref()).and_then(|t| {
            let p = dto.path(path, "hubIPAddresses.privateIPAddress");
            self.ip(t.as_str(), &p, &id)
        });
        let hub_public_ips = hub
            .and_then(|h| h.public_ips.as_ref())
            .and_then(|p| p.addresses.as_ref())
            .map(|a| a.iter().filter_map(|x| x.address.as_ref().and_then(|t| parse_ip(t.as_str()).ok())).collect())
            .unwrap_or_default();
        let classic = self.classic_collections(dto, path, &id);
        let extra = dto.additional_properties.as_ref();
        let snat_private_ranges = extra
            .and_then(|a| a.get("Network.SNAT.PrivateRanges"))
            .map(|t| t.split(',').map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect());
        let dns_proxy = extra.and_then(|a| a.get("Network.DNS.EnableProxy")).map(|t| t.eq_ignore_ascii_case("true"));
        let sku = dto.sku.as_ref();
        let firewall = Firewall {
            id: ArmId::new(&id),
            name: s(&dto.name),
            sku: FirewallSku::parse(&sku.map(|k| s(&k.name)).unwrap_or_default()),
            tier: sku.map(|k| s(&k.tier)).unwrap_or_default(),
            ip_configs,
            management_ip_config,
            hub_private_ip,
            hub_public_ips,
            virtual_hub: crate::arm::ref_id(&dto.virtual_hub),
            policy: link(&dto.firewall_policy),
            classic,
            threat_intel_mode: s(&dto.threat_intel_mode),
            snat_private_ranges,
            dns_proxy,
            origin: self.origin(path),
        };
        self.firewalls.push(firewall);
    }

    fn firewall_ip_config(&mut self, c: &IpConfigDto<'_>, path: &dyn Fn() -> String, owner: &str) -> FirewallIpConfig {
        let cfg = self.ip_config(c, path, owner);
        FirewallIpConfig { name: cfg.name, private_ip: cfg.private_ip, subnet: cfg.subnet, public_ip: cfg.public_ip }
    }

    /// The classic collections, in the order NAT, network, application (the order of the
    /// passes, §16.2); within each list, as exported.
    fn classic_collections(&mut self, dto: &ResourceDto<'_>, path: &str, id: &str) -> Vec<FwRuleCollection> {
        let mut out = Vec::new();
        for (key, kind) in CLASSIC_LISTS {
            let lists = match kind {
                FwRuleKind::Nat => &dto.nat_rule_collections,
                FwRuleKind::Network => &dto.network_rule_collections,
                FwRuleKind::Application => &dto.application_rule_collections,
            };
            for (i, c) in lists.iter().flatten().enumerate() {
                let p = format!("{}[{i}]", dto.path(path, key));
                out.push(self.rule_collection(c, Some(kind), &p, id));
            }
        }
        out
    }

    pub(crate) fn firewall_policy(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "firewall policy", path) {
            return;
        }
        let snat = dto.snat.as_ref();
        let policy = FirewallPolicy {
            id: ArmId::new(&id),
            name: s(&dto.name),
            base_policy: link(&dto.base_policy),
            threat_intel_mode: s(&dto.threat_intel_mode),
            snat_private_ranges: snat
                .and_then(|n| n.private_ranges.as_ref())
                .map(|r| r.0.iter().map(|x| x.as_str().trim().to_string()).collect()),
            auto_learn_private_ranges: snat
                .and_then(|n| n.auto_learn_private_ranges.as_ref())
                .is_some_and(|t| t.as_str().eq_ignore_ascii_case("Enabled")),
            dns_proxy: dto.dns_settings.as_ref().and_then(|d| d.enable_proxy).is_some_and(|f| f.0),
            tier: dto.sku.as_ref().map(|k| s(&k.tier)).unwrap_or_default(),
            rule_collection_groups: Vec::new(),
            origin: self.origin(path),
        };
        self.firewall_policies.push(policy);
    }

    /// A rule collection group: a child of its policy, named by the parent segment of its id.
    pub(crate) fn rule_collection_group(&mut self, dto: &ResourceDto<'_>, path: &str, raw_id: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "rule collection group", path) {
            return;
        }
        let mut collections = Vec::new();
        for (i, c) in dto.rule_collections.iter().flatten().enumerate() {
            let p = format!("{}[{i}]", dto.path(path, "ruleCollections"));
            collections.push(self.rule_collection(c, None, &p, &id));
        }
        let priority = self.priority(dto.priority.map(|p| p.to_string()).as_deref(), &dto.path(path, "priority"), &id);
        let group = RuleCollectionGroup {
            id: ArmId::new(&id),
            name: s(&dto.name),
            priority,
            collections,
            origin: self.origin(path),
        };
        self.rule_collection_groups.push(Child {
            key: normalize_id(raw_id),
            parent: normalize_id(&parent_id(raw_id)),
            item: group,
        });
    }

    pub(crate) fn ip_group(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "IP group", path) {
            return;
        }
        let ip_addresses = list(&dto.ip_addresses).into_iter().map(FwAddress::parse).collect();
        self.ip_groups.push(IpGroup {
            id: ArmId::new(&id),
            name: s(&dto.name),
            ip_addresses,
            origin: self.origin(path),
        });
    }

    /// A priority of 100–65000, or a diagnostic (Terraform's too: azurerm documents the same
    /// range).
    pub(crate) fn priority(&mut self, text: Option<&str>, path: &str, id: &str) -> Option<u32> {
        let text = text?;
        match text.trim().parse::<u32>() {
            Ok(p) if (100..=65000).contains(&p) => Some(p),
            _ => {
                let d = Diagnostic::warning("InvalidFirewallValue", format!("priority `{text}` is not 100–65000"))
                    .at(path)
                    .resource(id)
                    .hint("Azure Firewall priorities run from 100 (first) to 65000 (last); the collection is ordered last");
                self.diag(d);
                None
            }
        }
    }

    /// One rule collection. `classic` is the kind of a classic list; a policy collection's kind
    /// comes from `ruleCollectionType` and its rules' `ruleType`.
    fn rule_collection(
        &mut self,
        dto: &FwRuleCollectionDto<'_>,
        classic: Option<FwRuleKind>,
        path: &str,
        id: &str,
    ) -> FwRuleCollection {
        let kind = classic.unwrap_or_else(|| policy_collection_kind(dto));
        let action = FwAction::parse(&dto.action.as_ref().map(|a| s(&a.action_type)).unwrap_or_default());
        if let FwAction::Other(text) = &action {
            let d = Diagnostic::warning("InvalidFirewallValue", format!("rule collection action `{text}` is unknown"))
                .at(dto.path(path, "action.type"))
                .resource(id)
                .hint("Azure Firewall collections are Allow or Deny (network, application) or Dnat (NAT)");
            self.diag(d);
        }
        let priority = self.priority(dto.priority.as_ref().and_then(|p| p.text()), &dto.path(path, "priority"), id);
        let mut rules = Vec::new();
        for (i, r) in dto.rules.iter().flatten().enumerate() {
            let p = format!("{}[{i}]", dto.path(path, "rules"));
            rules.push(self.firewall_rule(r, &p, id));
        }
        FwRuleCollection { name: s(&dto.name), priority, kind, action, rules }
    }

    fn firewall_rule(&mut self, dto: &FwRuleDto<'_>, path: &str, id: &str) -> FwRule {
        let mut protocols: Vec<FwProtocol> = list(&dto.ip_protocols).into_iter().map(FwProtocol::parse).collect();
        let mut app_protocols = Vec::new();
        for item in dto.protocols.iter().flatten() {
            match item {
                FwProtocolItem::Name(n) => protocols.push(FwProtocol::parse(n.as_str())),
                FwProtocolItem::App(a) => app_protocols.push(FwAppProtocol {
                    protocol_type: s(&a.protocol_type),
                    port: a.port.as_ref().and_then(|p| p.text()).and_then(|t| t.trim().parse().ok()),
                }),
            }
        }
        let destination_ports: Vec<FwPort> = list(&dto.destination_ports).into_iter().map(FwPort::parse).collect();
        for (i, port) in destination_ports.iter().enumerate() {
            if let FwPort::Invalid(text) = port {
                let d = Diagnostic::warning("InvalidFirewallValue", format!("destination port `{text}` is not a port"))
                    .at(format!("{}[{i}]", dto.path(path, "destinationPorts")))
                    .resource(id)
                    .hint("ports are `*`, a number or a range `443-444`; the rule cannot match this entry");
                self.diag(d);
            }
        }
        let addresses = |l: &Option<StrList<'_>>| list(l).into_iter().map(FwAddress::parse).collect();
        let groups = |l: &Option<StrList<'_>>| list(l).into_iter().map(|g| Link::Missing(ArmId::new(g))).collect();
        let strings = |l: &Option<StrList<'_>>| list(l).into_iter().map(str::to_string).collect();
        let text = |v: &Option<Str<'_>>| v.as_ref().map(|t| t.as_str().to_string()).filter(|t| !t.is_empty());
        FwRule {
            name: s(&dto.name),
            protocols,
            app_protocols,
            source_addresses: addresses(&dto.source_addresses),
            source_ip_groups: groups(&dto.source_ip_groups),
            destination_addresses: addresses(&dto.destination_addresses),
            destination_ip_groups: groups(&dto.destination_ip_groups),
            destination_fqdns: strings(&dto.destination_fqdns),
            destination_ports,
            target_fqdns: strings(&dto.target_fqdns),
            target_urls: strings(&dto.target_urls),
            fqdn_tags: strings(&dto.fqdn_tags),
            web_categories: strings(&dto.web_categories),
            translated_address: text(&dto.translated_address),
            translated_port: dto.translated_port.as_ref().and_then(|p| p.text()).map(str::to_string),
            translated_fqdn: text(&dto.translated_fqdn),
        }
    }
}

/// A policy collection's kind: NAT by `ruleCollectionType`; a filter collection's by its
/// rules' `ruleType` ("Rules in a rule collection must be of the same type", §16.1).
fn policy_collection_kind(dto: &FwRuleCollectionDto<'_>) -> FwRuleKind {
    let ty = dto.rule_collection_type.as_ref().map_or("", |t| t.as_str());
    if ty.eq_ignore_ascii_case("FirewallPolicyNatRuleCollection") {
        return FwRuleKind::Nat;
    }
    dto.rules
        .iter()
        .flatten()
        .find_map(|r| r.rule_type.as_ref().and_then(|t| FwRuleKind::of_rule_type(t.as_str())))
        .unwrap_or(FwRuleKind::Network)
}
