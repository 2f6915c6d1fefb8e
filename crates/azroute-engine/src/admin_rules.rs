//! Security admin rules of Azure Virtual Network Manager (§18.3, AV-S1…AV-S6), evaluated at the
//! VNet that owns a NIC before its NSGs: the first matching rule by priority decides; `Deny`
//! drops, `AlwaysAllow` allows without the NSGs, `Allow` hands the flow to the NSGs.
//!
//! Which rules apply to a VNet: those of every rule collection whose `appliesToGroups` names a
//! network group the VNet is a static member of (AV-S3), where the rule's configuration is
//! deployed in the VNet's region (assumed deployed when the snapshot holds no deployment state
//! for it, §18.5); a VNet with an effective-admin-rules answer gets exactly the rules it lists
//! (§18.6). In a VNet holding a service with network intent policies (SQL Managed Instance,
//! Databricks) only what `applyOnNetworkIntentPolicyBasedServices` allows applies (AV-S5). A
//! single network manager is assumed (the scope order of AV-C8 is not modelled).

use std::net::IpAddr;
use std::sync::Arc;

use azroute_model::*;

use crate::connected_groups::network_group_vnets;
use crate::nsg::{Flow, SecurityEngine, header_matches};

/// A security admin rule as it applies to a VNet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedAdminRule {
    /// Index into `Snapshot::avnm.admin_rules`.
    pub rule: usize,
    /// `securityAdminConfigurations/{c}/ruleCollections/{rc}/rules/{r}` (AV-S6).
    pub name: Arc<str>,
}

/// The deciding admin rule of a flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminVerdict {
    pub rule: AppliedAdminRule,
    pub access: AdminAccess,
}

/// Why admin rules do not apply where a flow meets them (AV-S5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdminExemption {
    /// A platform subnet (`GatewaySubnet`, `AzureFirewallSubnet`, `AzureBastionSubnet`,
    /// `RouteServerSubnet`, `AzureFirewallManagementSubnet`).
    PlatformSubnet { subnet: SubnetIdx },
    /// The NIC of a private endpoint.
    PrivateEndpoint { nic: NicIdx },
}

/// The subnets whose services admin rules skip (AV-S5), by their required names.
const PLATFORM_SUBNETS: [&str; 5] = [
    "GatewaySubnet",
    "AzureFirewallSubnet",
    "AzureFirewallManagementSubnet",
    "AzureBastionSubnet",
    "RouteServerSubnet",
];

/// The rule's name as IP flow verify reports it: its id from `securityAdminConfigurations/`.
fn admin_rule_name(id: &str) -> String {
    let lower = id.to_ascii_lowercase();
    match lower.find("/securityadminconfigurations/") {
        Some(pos) => id[pos + 1..].to_string(),
        None => id.to_string(),
    }
}

/// Admin rules per VNet, in evaluation order (priority, then id), computed once.
pub(crate) fn admin_rules_by_vnet(snap: &Snapshot) -> Vec<Vec<AppliedAdminRule>> {
    let mut by_vnet: Vec<Vec<AppliedAdminRule>> = vec![Vec::new(); snap.vnets.len()];
    if snap.avnm.admin_rules.is_empty() {
        return by_vnet;
    }
    for (i, rule) in snap.avnm.admin_rules.iter().enumerate() {
        let collection_id = avnm_parent_id(rule.id.as_str(), 1);
        let Some(collection) = snap.avnm.admin_rule_collections.iter().find(|c| c.id == ArmId::new(&collection_id))
        else {
            continue;
        };
        let configuration = ArmId::new(avnm_parent_id(rule.id.as_str(), 2));
        let intent_mode = intent_policy_mode(snap, &configuration);
        let mut vnets: Vec<VnetIdx> = collection
            .applies_to
            .iter()
            .flat_map(|g| network_group_vnets(snap, g))
            .filter(|v| {
                let vnet = &snap.vnets[v.index()];
                snap.avnm.effective_admin_rules_of(&vnet.id).is_none()
                    && snap.avnm.deployed_in(&configuration, &vnet.location) != Some(false)
                    && (!has_network_intent_policy(snap, *v) || intent_mode.applies(rule.access))
            })
            .collect();
        vnets.sort();
        vnets.dedup();
        let applied = AppliedAdminRule { rule: i, name: admin_rule_name(rule.id.as_str()).into() };
        for v in vnets {
            by_vnet[v.index()].push(applied.clone());
        }
    }
    add_effective_answers(snap, &mut by_vnet);
    for rules in &mut by_vnet {
        rules.sort_by_key(|a| {
            (snap.avnm.admin_rules[a.rule].priority, normalize_id(snap.avnm.admin_rules[a.rule].id.as_str()))
        });
    }
    by_vnet
}

/// Services whose subnets carry network intent policies (AV-S5): Azure SQL Managed Instance and
/// Azure Databricks, known by their subnet delegations.
const NETWORK_INTENT_POLICY_SERVICES: [&str; 2] = ["Microsoft.Sql/managedInstances", "Microsoft.Databricks/workspaces"];

/// Whether a VNet holds a service with network intent policies (a subnet delegated to one).
pub(crate) fn has_network_intent_policy(snap: &Snapshot, vnet: VnetIdx) -> bool {
    snap.vnets[vnet.index()].subnets.iter().any(|s| {
        snap.subnets[s.index()]
            .delegations
            .iter()
            .any(|d| NETWORK_INTENT_POLICY_SERVICES.iter().any(|svc| svc.eq_ignore_ascii_case(d)))
    })
}

/// `applyOnNetworkIntentPolicyBasedServices` of a security admin configuration (AV-S5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum IntentPolicyMode {
    /// `None` (the default): no rule applies in such VNets.
    None,
    /// `AllowRulesOnly`: only the rules that allow (`Allow`, `AlwaysAllow`) apply.
    AllowRulesOnly,
    /// `All`: every rule applies.
    All,
}

impl IntentPolicyMode {
    fn applies(self, access: AdminAccess) -> bool {
        match self {
            IntentPolicyMode::None => false,
            IntentPolicyMode::AllowRulesOnly => access != AdminAccess::Deny,
            IntentPolicyMode::All => true,
        }
    }
}

fn intent_policy_mode(snap: &Snapshot, configuration: &ArmId) -> IntentPolicyMode {
    let values = snap
        .avnm
        .security_admin_configurations
        .iter()
        .find(|c| c.id == *configuration)
        .map(|c| c.apply_on_network_intent_policy_based_services.as_slice())
        .unwrap_or_default();
    if values.iter().any(|v| v.eq_ignore_ascii_case("All")) {
        IntentPolicyMode::All
    } else if values.iter().any(|v| v.eq_ignore_ascii_case("AllowRulesOnly")) {
        IntentPolicyMode::AllowRulesOnly
    } else {
        IntentPolicyMode::None
    }
}

/// The rules each effective-admin-rules answer lists, for its VNet (§18.6).
fn add_effective_answers(snap: &Snapshot, by_vnet: &mut [Vec<AppliedAdminRule>]) {
    for answer in &snap.avnm.effective_admin_rules {
        let Some(v) = snap.resolve_id(ResourceKind::VirtualNetwork, answer.id.as_str()) else { continue };
        for id in &answer.rules {
            if let Some(i) = snap.avnm.admin_rules.iter().position(|r| r.id == *id) {
                by_vnet[v as usize].push(AppliedAdminRule { rule: i, name: admin_rule_name(id.as_str()).into() });
            }
        }
    }
}

impl SecurityEngine<'_, '_> {
    /// The admin rules applying to a VNet, in evaluation order.
    pub fn admin_rules_of(&self, vnet: VnetIdx) -> &[AppliedAdminRule] {
        self.admin_by_vnet().get(vnet.index()).map_or(&[], |v| v.as_slice())
    }

    /// Why admin rules do not apply at this subnet or NIC, if they do not (AV-S5).
    pub fn admin_exemption(&self, subnet: SubnetIdx, nic: Option<NicIdx>) -> Option<AdminExemption> {
        let snap = self.routes().snap();
        if let Some(n) = nic
            && snap.nics[n.index()].private_endpoint.is_some()
        {
            return Some(AdminExemption::PrivateEndpoint { nic: n });
        }
        let name = &snap.subnets[subnet.index()].name;
        PLATFORM_SUBNETS
            .iter()
            .any(|p| p.eq_ignore_ascii_case(name))
            .then_some(AdminExemption::PlatformSubnet { subnet })
    }

    /// The first admin rule matching a flow at a NIC (or NIC-less host) in `subnet`; `None`
    /// when none matches or admin rules do not apply there.
    pub fn evaluate_admin(
        &self,
        subnet: SubnetIdx,
        nic: Option<NicIdx>,
        flow: &Flow,
        unknown: &mut Vec<String>,
    ) -> Option<AdminVerdict> {
        let snap = self.routes().snap();
        // Most estates have no admin rule: asked at every NSG check of every trace, that is
        // said without reading the subnet (a cache miss each).
        if snap.avnm.admin_rules.is_empty() {
            return None;
        }
        let vnet = snap.subnets[subnet.index()].vnet;
        let rules = self.admin_rules_of(vnet);
        if rules.is_empty() || self.admin_exemption(subnet, nic).is_some() {
            return None;
        }
        rules.iter().find_map(|applied| {
            let rule = &snap.avnm.admin_rules[applied.rule];
            self.admin_rule_matches(rule, flow, subnet, unknown)
                .then(|| AdminVerdict { rule: applied.clone(), access: rule.access })
        })
    }

    /// Whether an admin rule matches a flow (AV-S1: direction, protocol, ports, addresses).
    pub fn admin_rule_matches(
        &self,
        rule: &AdminRule,
        flow: &Flow,
        subnet: SubnetIdx,
        unknown: &mut Vec<String>,
    ) -> bool {
        if !header_matches(rule.direction, rule.protocol, &rule.source_ports, &rule.destination_ports, flow) {
            return false;
        }
        self.admin_address_matches(&rule.sources, flow.source, subnet, unknown)
            && self.admin_address_matches(&rule.destinations, flow.destination, subnet, unknown)
    }

    fn admin_address_matches(
        &self,
        addresses: &[AdminAddress],
        ip: IpAddr,
        subnet: SubnetIdx,
        unknown: &mut Vec<String>,
    ) -> bool {
        let snap = self.routes().snap();
        addresses.is_empty()
            || addresses.iter().any(|a| match a {
                AdminAddress::Any => true,
                AdminAddress::Prefix(net) => net.contains(&ip),
                AdminAddress::Tag(tag) => match self.tag_contains(tag, subnet, ip) {
                    Some(found) => found,
                    None => {
                        if !unknown.contains(tag) {
                            unknown.push(tag.clone());
                        }
                        false
                    }
                },
                AdminAddress::NetworkGroup(group) => network_group_vnets(snap, group)
                    .iter()
                    .any(|v| snap.vnets[v.index()].address_space.iter().any(|r| r.contains(&ip))),
            })
    }
}
