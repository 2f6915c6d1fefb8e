//! Security views: effective rules shaped like `az network nic list-effective-nsg`, and IP flow
//! verify shaped like Network Watcher's answer.

use std::collections::BTreeMap;

use azroute_engine::{AdminExemption, AppliedTo, EffectiveRule, FlowDecision, NsgLevel, SecurityEngine};
use azroute_model::*;
use serde::Serialize;

use crate::table;

#[derive(Clone, Debug, Serialize)]
pub struct IdRef {
    pub id: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Association {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet: Option<IdRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_interface: Option<IdRef>,
}

/// One effective rule (`EffectiveNetworkSecurityRule`).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EffectiveRuleView {
    pub name: String,
    pub protocol: String,
    pub source_port_range: String,
    pub destination_port_range: String,
    pub source_port_ranges: Vec<String>,
    pub destination_port_ranges: Vec<String>,
    pub source_address_prefix: String,
    pub destination_address_prefix: String,
    pub source_address_prefixes: Vec<String>,
    pub destination_address_prefixes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expanded_source_address_prefix: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expanded_destination_address_prefix: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub source_application_security_groups: Vec<IdRef>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub destination_application_security_groups: Vec<IdRef>,
    pub access: String,
    pub priority: u32,
    pub direction: String,
}

/// One NSG as it applies to a NIC (`EffectiveNetworkSecurityGroup`).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EffectiveNsgView {
    pub network_security_group: IdRef,
    pub association: Association,
    pub effective_security_rules: Vec<EffectiveRuleView>,
    pub tag_map: BTreeMap<String, Vec<String>>,
}

/// One `sources[]`/`destinations[]` entry of a security admin rule.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminAddressView {
    pub address_prefix: String,
    pub address_prefix_type: &'static str,
}

/// A security admin rule as it applies to the NIC's VNet (§18.3), shaped like an entry of
/// `listNetworkManagerEffectiveSecurityAdminRules`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminRuleView {
    pub id: String,
    /// `securityAdminConfigurations/{c}/ruleCollections/{rc}/rules/{r}`.
    pub name: String,
    pub rule_type: &'static str,
    pub kind: &'static str,
    pub access: &'static str,
    pub priority: u32,
    pub direction: &'static str,
    pub protocol: &'static str,
    pub sources: Vec<AdminAddressView>,
    pub destinations: Vec<AdminAddressView>,
    pub source_port_ranges: Vec<String>,
    pub destination_port_ranges: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EffectiveNsgList {
    /// Security admin rules, evaluated before every NSG (§18.3); absent without any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub security_admin_rules: Vec<AdminRuleView>,
    /// Why the VNet's admin rules do not apply at this NIC (AV-S5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_admin_rules_not_applied: Option<String>,
    pub value: Vec<EffectiveNsgView>,
}

fn admin_addresses(addresses: &[AdminAddress]) -> Vec<AdminAddressView> {
    let view = |a: &AdminAddress| match a {
        AdminAddress::Any => AdminAddressView { address_prefix: "*".into(), address_prefix_type: "IPPrefix" },
        AdminAddress::Prefix(n) => AdminAddressView { address_prefix: n.to_string(), address_prefix_type: "IPPrefix" },
        AdminAddress::Tag(t) => AdminAddressView { address_prefix: t.clone(), address_prefix_type: "ServiceTag" },
        AdminAddress::NetworkGroup(g) => {
            AdminAddressView { address_prefix: g.to_string(), address_prefix_type: "NetworkGroup" }
        }
    };
    if addresses.is_empty() { vec![view(&AdminAddress::Any)] } else { addresses.iter().map(view).collect() }
}

/// The admin rules applying to a NIC's VNet, in evaluation order.
fn admin_rule_views(engine: &SecurityEngine, subnet: SubnetIdx) -> Vec<AdminRuleView> {
    let snap = engine.routes().snap();
    engine
        .admin_rules_of(snap.subnets[subnet.index()].vnet)
        .iter()
        .map(|applied| {
            let r = &snap.avnm.admin_rules[applied.rule];
            AdminRuleView {
                id: r.id.to_string(),
                name: applied.name.to_string(),
                rule_type: "SecurityAdminRule",
                kind: if r.default_kind { "Default" } else { "Custom" },
                access: r.access.as_str(),
                priority: r.priority,
                direction: r.direction.as_str(),
                protocol: if r.protocol == RuleProtocol::Any { "Any" } else { r.protocol.as_effective_str() },
                sources: admin_addresses(&r.sources),
                destinations: admin_addresses(&r.destinations),
                source_port_ranges: ports(&r.source_ports),
                destination_port_ranges: ports(&r.destination_ports),
            }
        })
        .collect()
}

fn ports(ranges: &[PortRange]) -> Vec<String> {
    ranges.iter().map(|r| format!("{}-{}", r.lo, r.hi)).collect()
}

fn address_text(pattern_text: &[String], patterns: &[AddressPattern]) -> Vec<String> {
    if patterns.is_empty() && pattern_text.is_empty() {
        return vec!["0.0.0.0/0".to_string()];
    }
    patterns
        .iter()
        .map(|p| match p {
            AddressPattern::Any => "0.0.0.0/0".to_string(),
            AddressPattern::Prefix(net) => net.to_string(),
            AddressPattern::Tag(tag) => tag.clone(),
        })
        .collect()
}

fn expand(
    engine: &SecurityEngine,
    patterns: &[AddressPattern],
    asgs: &[String],
    subnet: SubnetIdx,
    tag_map: &mut BTreeMap<String, Vec<String>>,
) -> Option<Vec<String>> {
    if !asgs.is_empty() {
        // ASG members are expanded to their addresses.
        let mut out: Vec<String> =
            engine.asg_members(asgs).into_iter().map(|ip| prefix_of_ip(ip).to_string()).collect();
        out.sort();
        return Some(out);
    }
    if !patterns.iter().any(|p| matches!(p, AddressPattern::Tag(_))) {
        return None;
    }
    let mut out = Vec::new();
    for p in patterns {
        match p {
            AddressPattern::Any => out.push("0.0.0.0/0".to_string()),
            AddressPattern::Prefix(net) => out.push(net.to_string()),
            AddressPattern::Tag(tag) => {
                let expanded: Vec<String> =
                    engine.expand_tag(tag, subnet).unwrap_or_default().iter().map(|n| n.to_string()).collect();
                tag_map.insert(tag.clone(), expanded.clone());
                out.extend(expanded);
            }
        }
    }
    Some(out)
}

fn rule_view(
    engine: &SecurityEngine,
    rule: &EffectiveRule,
    subnet: SubnetIdx,
    tag_map: &mut BTreeMap<String, Vec<String>>,
) -> EffectiveRuleView {
    let src = address_text(&rule.source_text, &rule.sources);
    let dst = address_text(&rule.destination_text, &rule.destinations);
    let sp = ports(&rule.source_ports);
    let dp = ports(&rule.destination_ports);
    EffectiveRuleView {
        name: rule.name.to_string(),
        protocol: rule.protocol.as_effective_str().to_string(),
        source_port_range: sp.first().cloned().unwrap_or_default(),
        destination_port_range: dp.first().cloned().unwrap_or_default(),
        source_port_ranges: sp,
        destination_port_ranges: dp,
        source_address_prefix: src.first().cloned().unwrap_or_default(),
        destination_address_prefix: dst.first().cloned().unwrap_or_default(),
        source_address_prefixes: src,
        destination_address_prefixes: dst,
        expanded_source_address_prefix: expand(engine, &rule.sources, &rule.source_asgs, subnet, tag_map),
        expanded_destination_address_prefix: expand(
            engine,
            &rule.destinations,
            &rule.destination_asgs,
            subnet,
            tag_map,
        ),
        source_application_security_groups: rule.source_asgs.iter().map(|id| IdRef { id: id.clone() }).collect(),
        destination_application_security_groups: rule
            .destination_asgs
            .iter()
            .map(|id| IdRef { id: id.clone() })
            .collect(),
        access: rule.access.as_str().to_string(),
        priority: rule.priority,
        direction: rule.direction.as_str().to_string(),
    }
}

/// The effective rules of a NIC: the security admin rules of its VNet (§18.3), then the
/// subnet's NSG, then the NIC's.
pub fn effective_nsgs(
    engine: &SecurityEngine,
    levels: &[NsgLevel],
    subnet: SubnetIdx,
    nic: Option<NicIdx>,
) -> EffectiveNsgList {
    let snap = engine.routes().snap();
    let security_admin_rules = admin_rule_views(engine, subnet);
    let security_admin_rules_not_applied = match engine.admin_exemption(subnet, nic) {
        _ if security_admin_rules.is_empty() => None,
        Some(AdminExemption::PlatformSubnet { subnet }) => {
            Some(format!("subnet `{}` is a platform subnet (§18.3)", snap.subnet_label(subnet)))
        }
        Some(AdminExemption::PrivateEndpoint { .. }) => {
            Some("private endpoints are not subject to them (§18.3)".into())
        }
        None => None,
    };
    let value = levels
        .iter()
        .map(|level| {
            let mut tag_map = BTreeMap::new();
            let rules = level.rules.iter().map(|r| rule_view(engine, r, subnet, &mut tag_map)).collect();
            let association = match level.applied_to {
                AppliedTo::Subnet(s) => Association {
                    subnet: Some(IdRef { id: snap.subnets[s.index()].id.to_string() }),
                    network_interface: None,
                },
                AppliedTo::NetworkInterface(n) => Association {
                    subnet: None,
                    network_interface: Some(IdRef { id: snap.nics[n.index()].id.to_string() }),
                },
            };
            EffectiveNsgView {
                network_security_group: IdRef { id: snap.nsgs[level.nsg.index()].id.to_string() },
                association,
                effective_security_rules: rules,
                tag_map,
            }
        })
        .collect();
    EffectiveNsgList { security_admin_rules, security_admin_rules_not_applied, value }
}

pub fn effective_nsgs_json(list: &EffectiveNsgList) -> String {
    serde_json::to_string_pretty(list).expect("views serialize")
}

/// A table with the rules of every NSG, in evaluation order.
pub fn effective_nsgs_text(list: &EffectiveNsgList, nic_name: &str) -> String {
    let mut rows = Vec::new();
    for r in &list.security_admin_rules {
        let text = |a: &[AdminAddressView]| {
            a.iter()
                .map(|x| {
                    if x.address_prefix_type == "NetworkGroup" {
                        x.address_prefix.rsplit('/').next().unwrap_or_default().to_string()
                    } else {
                        x.address_prefix.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        rows.push(vec![
            "(security admin rule)".to_string(),
            "virtualNetwork".to_string(),
            r.direction.to_string(),
            r.priority.to_string(),
            r.name.clone(),
            r.access.to_string(),
            r.protocol.to_string(),
            text(&r.sources),
            r.source_port_ranges.join(" "),
            text(&r.destinations),
            r.destination_port_ranges.join(" "),
        ]);
    }
    for nsg in &list.value {
        let nsg_name = nsg.network_security_group.id.rsplit('/').next().unwrap_or_default().to_string();
        let applied = if nsg.association.subnet.is_some() { "subnet" } else { "networkInterface" };
        for r in &nsg.effective_security_rules {
            rows.push(vec![
                nsg_name.clone(),
                applied.to_string(),
                r.direction.clone(),
                r.priority.to_string(),
                r.name.clone(),
                r.access.clone(),
                r.protocol.clone(),
                r.source_address_prefixes.join(" "),
                r.source_port_ranges.join(" "),
                r.destination_address_prefixes.join(" "),
                r.destination_port_ranges.join(" "),
            ]);
        }
    }
    if rows.is_empty() {
        return format!("No network security group applies to `{nic_name}`: all traffic is allowed.\n");
    }
    let mut out = table::render(
        &[
            "NSG",
            "Applied To",
            "Direction",
            "Priority",
            "Rule Name",
            "Access",
            "Protocol",
            "Source",
            "Source Ports",
            "Destination",
            "Destination Ports",
        ],
        &rows,
    );
    let mut tags: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for nsg in &list.value {
        for (k, v) in &nsg.tag_map {
            tags.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    if let Some(why) = &list.security_admin_rules_not_applied {
        out.push_str(&format!("\nThe security admin rules above are not applied here: {why}.\n"));
    } else if !list.security_admin_rules.is_empty() {
        out.push_str("\nSecurity admin rules are evaluated first: Deny and AlwaysAllow decide, Allow continues to the NSGs (§18.3).\n");
    }
    if !tags.is_empty() {
        out.push_str("\nService tags as expanded for this NIC:\n");
        for (tag, prefixes) in tags {
            let shown: Vec<&str> = prefixes.iter().take(12).map(|s| s.as_str()).collect();
            let more = if prefixes.len() > 12 { format!(" … ({} prefixes)", prefixes.len()) } else { String::new() };
            out.push_str(&format!("  {tag}: {}{more}\n", shown.join(" ")));
        }
    }
    out
}

/// One NSG's verdict in an IP flow verify answer.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationView {
    pub network_security_group_id: String,
    pub applied_to: String,
    pub access: String,
    pub rule_name: String,
}

/// IP flow verify: `{"access", "ruleName", "ruleId"}` plus which NSG decided and every NSG
/// consulted.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IpFlowView {
    pub access: String,
    pub rule_name: String,
    /// `SecurityAdminRule` (Azure Virtual Network Manager, §18.3) or `NetworkSecurityRule`;
    /// absent when no rule applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_type: Option<&'static str>,
    pub rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_security_group_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_to: Option<String>,
    pub evaluations: Vec<EvaluationView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

pub fn ip_flow_view(snap: &Snapshot, decision: &FlowDecision) -> IpFlowView {
    let admin_decided = decision.admin.as_ref().filter(|_| decision.decided_by.is_none());
    let rule_type = match (admin_decided, decision.rule_name.is_empty()) {
        (Some(_), _) => Some("SecurityAdminRule"),
        (None, false) => Some("NetworkSecurityRule"),
        (None, true) => None,
    };
    let admin_rule_id = admin_decided.map(|v| snap.avnm.admin_rules[v.rule.rule].id.to_string());
    let rule_id = decision
        .decided_by
        .and_then(|(nsg, _)| {
            let name = decision.rule_name.strip_prefix("securityRules/")?;
            snap.nsgs[nsg.index()].rules.iter().find(|r| r.name == name).map(|r| r.id.to_string())
        })
        .or(admin_rule_id)
        .unwrap_or_default();
    let mut notes = Vec::new();
    if let Some(v) = &decision.admin {
        notes.push(match v.access {
            AdminAccess::Allow => format!(
                "security admin rule `{}` (Allow) matched first and handed the flow to the NSGs (§18.3)",
                v.rule.name
            ),
            AdminAccess::Deny => "a security admin rule (Deny) decided before any NSG (§18.3)".to_string(),
            AdminAccess::AlwaysAllow => {
                "a security admin rule (AlwaysAllow) decided: the NSGs were not evaluated (§18.3)".to_string()
            }
        });
        notes.push("assumed: the security admin configuration is deployed in this region (§18.5)".to_string());
    }
    if let Some(exemption) = &decision.admin_exemption {
        notes.push(match exemption {
            AdminExemption::PlatformSubnet { subnet } => format!(
                "security admin rules are not applied in subnet `{}` (platform subnet, §18.3)",
                snap.subnet_label(*subnet)
            ),
            AdminExemption::PrivateEndpoint { .. } => {
                "security admin rules are not applied to private endpoints (§18.3)".to_string()
            }
        });
    }
    if decision.evaluations.is_empty() && decision.admin.is_none() {
        notes.push("no network security group applies to this NIC or its subnet: all traffic is allowed".to_string());
    }
    for tag in &decision.unknown_tags {
        notes.push(format!(
            "service tag `{tag}` could not be expanded (no Service Tags file or not in it); rules using it never match"
        ));
    }
    IpFlowView {
        access: decision.access.as_str().to_string(),
        rule_name: decision.rule_name.clone(),
        rule_type,
        rule_id,
        network_security_group_id: decision.decided_by.map(|(n, _)| snap.nsgs[n.index()].id.to_string()),
        applied_to: decision.decided_by.map(|(_, a)| a.as_str().to_string()),
        evaluations: decision
            .evaluations
            .iter()
            .map(|e| EvaluationView {
                network_security_group_id: snap.nsgs[e.nsg.index()].id.to_string(),
                applied_to: e.applied_to.as_str().to_string(),
                access: e.access.as_str().to_string(),
                rule_name: e.rule_name.to_string(),
            })
            .collect(),
        notes,
    }
}

pub fn ip_flow_json(view: &IpFlowView) -> String {
    serde_json::to_string_pretty(view).expect("views serialize")
}

pub fn ip_flow_text(view: &IpFlowView) -> String {
    let mut out = table::render(
        &["Access", "Rule Name", "Decided By"],
        &[vec![
            view.access.clone(),
            view.rule_name.clone(),
            match (&view.network_security_group_id, &view.applied_to) {
                (Some(id), Some(at)) => format!("{} ({at})", id.rsplit('/').next().unwrap_or_default()),
                _ if view.rule_type == Some("SecurityAdminRule") => "security admin rule".to_string(),
                _ => "no NSG".to_string(),
            },
        ]],
    );
    if !view.evaluations.is_empty() {
        out.push_str("\nNSGs in evaluation order:\n");
        for e in &view.evaluations {
            out.push_str(&format!(
                "  {} ({}): {} by {}\n",
                e.network_security_group_id.rsplit('/').next().unwrap_or_default(),
                e.applied_to,
                e.access,
                e.rule_name
            ));
        }
    }
    for n in &view.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}
