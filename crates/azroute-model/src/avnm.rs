//! Azure Virtual Network Manager (AVNM, `docs/azure-routing-rules.md` §18): network groups and
//! their static members, connectivity configurations (mesh, hub-and-spoke, direct connectivity),
//! security admin configurations with their rule collections and rules, and routing
//! configurations with theirs. Every kind is kept flat, as ARM lists it, in [`Avnm`]; each child
//! names its parent by the parent segments of its own id, and references between them are ids
//! (the engine resolves them, and says when one is not in the snapshot).

use ipnet::IpNet;

use crate::content::{HasOrigin, clear_origins, same_content_but_origin};
use crate::*;

/// How the resources of one AVNM kind differ between two snapshots (what `diff` and `what-if`
/// name, by kind): the ids added, removed and changed (origins ignored).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AvnmKindChange {
    pub kind: Option<ResourceKind>,
    pub added: Vec<ArmId>,
    pub removed: Vec<ArmId>,
    pub changed: Vec<ArmId>,
}

impl AvnmKindChange {
    fn between<T: HasOrigin>(kind: ResourceKind, before: &[T], after: &[T]) -> Option<AvnmKindChange> {
        let find = |list: &[T], id: &str| list.iter().find(|r| r.id_str().eq_ignore_ascii_case(id)).cloned();
        let mut change = AvnmKindChange { kind: Some(kind), ..AvnmKindChange::default() };
        for a in after {
            match find(before, a.id_str()) {
                None => change.added.push(ArmId::new(a.id_str())),
                Some(b) if !b.same_content(a) => change.changed.push(ArmId::new(a.id_str())),
                Some(_) => {}
            }
        }
        change.removed =
            before.iter().filter(|b| find(after, b.id_str()).is_none()).map(|b| ArmId::new(b.id_str())).collect();
        let empty = change.added.is_empty() && change.removed.is_empty() && change.changed.is_empty();
        (!empty).then_some(change)
    }
}

/// `Microsoft.Network/networkManagers/networkGroups`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkGroup {
    pub id: ArmId,
    pub name: String,
    /// `memberType`: `VirtualNetwork` (the default) or `Subnet`.
    pub member_type: String,
    pub origin: Origin,
}

/// `…/networkGroups/{g}/staticMembers/{m}`: one VNet (or subnet) put in a group by hand.
/// Dynamic members come from Azure Policy and are not in any group resource (§18.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkGroupMember {
    pub id: ArmId,
    pub name: String,
    /// The group: the parent of this resource's id.
    pub group: ArmId,
    /// `resourceId`: the member VNet (or subnet).
    pub resource: ArmId,
    pub origin: Origin,
}

/// `connectivityTopology`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectivityTopology {
    Mesh,
    HubAndSpoke,
    Other(String),
}

impl ConnectivityTopology {
    pub fn parse(text: &str) -> ConnectivityTopology {
        if text.eq_ignore_ascii_case("Mesh") {
            ConnectivityTopology::Mesh
        } else if text.eq_ignore_ascii_case("HubAndSpoke") {
            ConnectivityTopology::HubAndSpoke
        } else {
            ConnectivityTopology::Other(text.to_string())
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            ConnectivityTopology::Mesh => "Mesh",
            ConnectivityTopology::HubAndSpoke => "HubAndSpoke",
            ConnectivityTopology::Other(s) => s,
        }
    }
}

/// One `appliesToGroups[]` entry of a connectivity configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectivityGroupItem {
    pub network_group: ArmId,
    /// `groupConnectivity = DirectlyConnected` (§18.2, AV-C3).
    pub directly_connected: bool,
    /// `isGlobal` of the group entry.
    pub is_global: bool,
    /// `useHubGateway` (gateway transit from the hub, AV-C2).
    pub use_hub_gateway: bool,
}

/// `Microsoft.Network/networkManagers/connectivityConfigurations`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectivityConfiguration {
    pub id: ArmId,
    pub name: String,
    pub topology: ConnectivityTopology,
    /// `hubs[].resourceId` (hub-and-spoke).
    pub hubs: Vec<ArmId>,
    /// `isGlobal`: a mesh across regions (AV-C1).
    pub is_global: bool,
    pub delete_existing_peering: bool,
    pub applies_to: Vec<ConnectivityGroupItem>,
    /// `connectivityCapabilities.connectedGroupAddressOverlap`: `Allowed` unless `Disallowed`.
    pub address_overlap_allowed: bool,
    pub origin: Origin,
}

/// `Microsoft.Network/networkManagers/securityAdminConfigurations`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityAdminConfiguration {
    pub id: ArmId,
    pub name: String,
    /// `applyOnNetworkIntentPolicyBasedServices` (`None`, `All`, `AllowRulesOnly`; AV-S5).
    pub apply_on_network_intent_policy_based_services: Vec<String>,
    pub origin: Origin,
}

/// `…/securityAdminConfigurations/{c}/ruleCollections/{rc}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminRuleCollection {
    pub id: ArmId,
    pub name: String,
    /// `appliesToGroups[].networkGroupId`.
    pub applies_to: Vec<ArmId>,
    pub origin: Origin,
}

/// `access` of a security admin rule (§18.3, AV-S1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AdminAccess {
    /// Continues to the NSGs.
    Allow,
    /// Ends evaluation: dropped.
    Deny,
    /// Ends evaluation: allowed, NSGs skipped.
    AlwaysAllow,
}

impl AdminAccess {
    pub fn parse(text: &str) -> Option<AdminAccess> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("Allow") {
            Some(AdminAccess::Allow)
        } else if t.eq_ignore_ascii_case("Deny") {
            Some(AdminAccess::Deny)
        } else if t.eq_ignore_ascii_case("AlwaysAllow") {
            Some(AdminAccess::AlwaysAllow)
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AdminAccess::Allow => "Allow",
            AdminAccess::Deny => "Deny",
            AdminAccess::AlwaysAllow => "AlwaysAllow",
        }
    }
}

/// One `sources[]`/`destinations[]` entry of an admin rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdminAddress {
    /// `IPPrefix` `*`.
    Any,
    /// `IPPrefix` with an IPv4 or IPv6 prefix (or a bare address).
    Prefix(IpNet),
    /// `ServiceTag`.
    Tag(String),
    /// `NetworkGroup`: the address spaces of the group's member VNets.
    NetworkGroup(ArmId),
}

/// `Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules`, kind
/// `Custom` or `Default` (a `Default` rule carries its predefined `flag`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminRule {
    pub id: ArmId,
    pub name: String,
    /// `kind == Default`.
    pub default_kind: bool,
    /// `flag` of a default rule (`AllowVnetInbound`, …).
    pub flag: String,
    pub access: AdminAccess,
    pub direction: Direction,
    /// 1–4096; lower wins (AV-S2).
    pub priority: u32,
    pub protocol: RuleProtocol,
    pub sources: Vec<AdminAddress>,
    pub destinations: Vec<AdminAddress>,
    pub source_ports: Vec<PortRange>,
    pub destination_ports: Vec<PortRange>,
    pub origin: Origin,
}

/// `Microsoft.Network/networkManagers/routingConfigurations`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoutingConfiguration {
    pub id: ArmId,
    pub name: String,
    /// `routeTableUsageMode`: `ManagedOnly` or `UseExisting`.
    pub route_table_usage_mode: String,
    pub origin: Origin,
}

/// `…/routingConfigurations/{c}/ruleCollections/{rc}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoutingRuleCollection {
    pub id: ArmId,
    pub name: String,
    /// `appliesTo[].networkGroupId`.
    pub applies_to: Vec<ArmId>,
    /// `disableBgpRoutePropagation`, stamped onto the managed route table (AV-R3).
    pub disable_bgp_route_propagation: bool,
    pub origin: Origin,
}

/// `…/routingConfigurations/{c}/ruleCollections/{rc}/rules/{r}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoutingRule {
    pub id: ArmId,
    pub name: String,
    /// `destination`: an `AddressPrefix` or a `ServiceTag` (`destinationAddress`).
    pub destination: RoutePrefix,
    /// `nextHop.nextHopType` mapped to the user-route type (`NoNextHop` → `None`, AV-R3).
    pub next_hop_type: RouteNextHopType,
    /// `nextHop.nextHopAddress` (`VirtualAppliance`).
    pub next_hop_ip: Option<std::net::IpAddr>,
    pub origin: Origin,
}

/// Where a configuration is deployed (§18.5): one `listActiveConnectivityConfigurations` or
/// `listActiveSecurityAdminRules` entry, or one configuration of an
/// `azurerm_network_manager_deployment`. Its id is synthetic, `{configuration}/deployedIn/{region}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AvnmDeployment {
    pub id: ArmId,
    /// The connectivity, security admin or routing configuration deployed.
    pub configuration: ArmId,
    /// The region it is deployed in, normalised (`eastus`).
    pub region: String,
    pub origin: Origin,
}

impl AvnmDeployment {
    pub fn new(configuration: ArmId, region: &str, origin: Origin) -> AvnmDeployment {
        let region: String = region.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        AvnmDeployment {
            id: ArmId::new(format!("{}/deployedIn/{region}", configuration.as_str())),
            configuration,
            region,
            origin,
        }
    }
}

/// One VNet's `listNetworkManagerEffectiveConnectivityConfigurations` answer, read from the
/// wrapper `{"virtualNetworkId", "effectiveConnectivityConfigurations"}` (§18.6). Its id is the
/// VNet's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VnetEffectiveConnectivity {
    pub id: ArmId,
    /// Each configuration in effect, with the network groups (`configurationGroups`) through
    /// which the VNet gets it.
    pub configurations: Vec<(ArmId, Vec<ArmId>)>,
    pub origin: Origin,
}

/// One VNet's `listNetworkManagerEffectiveSecurityAdminRules` answer, read from the wrapper
/// `{"virtualNetworkId", "effectiveSecurityAdminRules"}` (§18.6): the ids of the admin rules in
/// effect (their definitions are in `Avnm::admin_rules`). Its id is the VNet's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VnetEffectiveAdminRules {
    pub id: ArmId,
    pub rules: Vec<ArmId>,
    pub origin: Origin,
}

/// Every AVNM resource of a snapshot, each kind sorted by id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Avnm {
    pub network_groups: Vec<NetworkGroup>,
    pub static_members: Vec<NetworkGroupMember>,
    pub connectivity_configurations: Vec<ConnectivityConfiguration>,
    pub security_admin_configurations: Vec<SecurityAdminConfiguration>,
    pub admin_rule_collections: Vec<AdminRuleCollection>,
    pub admin_rules: Vec<AdminRule>,
    pub routing_configurations: Vec<RoutingConfiguration>,
    pub routing_rule_collections: Vec<RoutingRuleCollection>,
    pub routing_rules: Vec<RoutingRule>,
    /// Deployment state (§18.6): where the snapshot says configurations are deployed.
    pub deployments: Vec<AvnmDeployment>,
    /// Per-VNet effective answers (§18.6).
    pub effective_connectivity: Vec<VnetEffectiveConnectivity>,
    pub effective_admin_rules: Vec<VnetEffectiveAdminRules>,
}

impl Avnm {
    pub fn is_empty(&self) -> bool {
        self == &Avnm::default()
    }

    /// The same resources, origins ignored (what `diff` compares).
    pub fn same_content(&self, other: &Avnm) -> bool {
        self.without_origins() == other.without_origins()
    }

    fn without_origins(&self) -> Avnm {
        let mut a = self.clone();
        clear_origins!(
            a;
            network_groups,
            static_members,
            connectivity_configurations,
            security_admin_configurations,
            admin_rule_collections,
            admin_rules,
            routing_configurations,
            routing_rule_collections,
            routing_rules,
            deployments,
            effective_connectivity,
            effective_admin_rules
        );
        a
    }

    /// The AVNM resources that differ from `before` to `self`, kind by kind (in the order of
    /// [`ResourceKind`]); deployment state and effective answers, which are not resources of a
    /// kind, are one entry without a kind when they differ.
    pub fn changes_since(&self, before: &Avnm) -> Vec<AvnmKindChange> {
        use ResourceKind as K;
        let mut out: Vec<AvnmKindChange> = [
            AvnmKindChange::between(K::NetworkGroup, &before.network_groups, &self.network_groups),
            AvnmKindChange::between(K::NetworkGroupStaticMember, &before.static_members, &self.static_members),
            AvnmKindChange::between(
                K::ConnectivityConfiguration,
                &before.connectivity_configurations,
                &self.connectivity_configurations,
            ),
            AvnmKindChange::between(
                K::SecurityAdminConfiguration,
                &before.security_admin_configurations,
                &self.security_admin_configurations,
            ),
            AvnmKindChange::between(
                K::AdminRuleCollection,
                &before.admin_rule_collections,
                &self.admin_rule_collections,
            ),
            AvnmKindChange::between(K::AdminRule, &before.admin_rules, &self.admin_rules),
            AvnmKindChange::between(
                K::RoutingConfiguration,
                &before.routing_configurations,
                &self.routing_configurations,
            ),
            AvnmKindChange::between(
                K::RoutingRuleCollection,
                &before.routing_rule_collections,
                &self.routing_rule_collections,
            ),
            AvnmKindChange::between(K::RoutingRule, &before.routing_rules, &self.routing_rules),
        ]
        .into_iter()
        .flatten()
        .collect();
        let state = |a: &Avnm| {
            let mut a = a.without_origins();
            (std::mem::take(&mut a.deployments), a.effective_connectivity, a.effective_admin_rules)
        };
        if state(self) != state(before) {
            out.push(AvnmKindChange::default());
        }
        out
    }

    /// Whether `configuration` is deployed in `region` (§18.6): when the snapshot holds
    /// deployment state for its network manager and kind (connectivity, security admin,
    /// routing), only a recorded deployment counts; otherwise it is assumed deployed (`None`).
    pub fn deployed_in(&self, configuration: &ArmId, region: &str) -> Option<bool> {
        let scope = deployment_scope(configuration.as_str());
        let mut known = false;
        for d in &self.deployments {
            if deployment_scope(d.configuration.as_str()) == scope {
                known = true;
                if d.configuration == *configuration && d.region.eq_ignore_ascii_case(region) {
                    return Some(true);
                }
            }
        }
        known.then_some(false)
    }

    /// Whether the snapshot says anything of where `configuration` is deployed: a deployment
    /// of its manager and kind, or (for a connectivity configuration) an effective answer.
    pub fn deployment_known(&self, configuration: &ArmId) -> bool {
        let scope = deployment_scope(configuration.as_str());
        self.deployments.iter().any(|d| deployment_scope(d.configuration.as_str()) == scope)
            || (scope.ends_with("/connectivityconfigurations") && !self.effective_connectivity.is_empty())
            || (scope.ends_with("/securityadminconfigurations") && !self.effective_admin_rules.is_empty())
    }

    /// How answers name a configuration's deployment state (§18.6).
    pub fn deployment_word(&self, configuration: &ArmId) -> &'static str {
        if self.deployment_known(configuration) { "deployed" } else { "assumed deployed" }
    }

    /// Whether `configuration` joins the VNet `vnet` (in `location`) through network group
    /// `group` (§18.2, §18.6): with an effective answer for the VNet, when it lists the
    /// configuration through this group (or through no group the configuration names); without
    /// one, when the VNet is a static member of the group and the configuration is deployed (or
    /// assumed deployed) in its region.
    pub fn joins(
        &self,
        configuration: &ConnectivityConfiguration,
        group: &ArmId,
        vnet: &ArmId,
        location: &str,
    ) -> bool {
        match self.effective_connectivity_of(vnet) {
            Some(answer) => answer.configurations.iter().any(|(c, groups)| {
                let named = |g: &ArmId| configuration.applies_to.iter().any(|item| item.network_group == *g);
                *c == configuration.id && (groups.contains(group) || !groups.iter().any(named))
            }),
            None => {
                self.static_members.iter().any(|m| m.group == *group && m.resource == *vnet)
                    && self.deployed_in(&configuration.id, location) != Some(false)
            }
        }
    }

    /// The VNets that may join a configuration through `group`: its static members and every
    /// VNet with an effective answer (the candidates [`Avnm::joins`] decides).
    pub fn candidate_vnets<'a>(&'a self, group: &'a ArmId) -> impl Iterator<Item = &'a ArmId> + 'a {
        let statics = self.static_members.iter().filter(move |m| m.group == *group).map(|m| &m.resource);
        statics.chain(self.effective_connectivity.iter().map(|e| &e.id))
    }

    /// The hub-and-spoke configuration a peering was added from because the snapshot lacked it
    /// (§18.7): named `ANM_{configuration}_…` with the configuration's origin. Exported peerings
    /// have their own origin.
    pub fn created_peering_source(&self, peering: &Peering) -> Option<&ConnectivityConfiguration> {
        let rest = peering.name.strip_prefix("ANM_")?;
        self.connectivity_configurations.iter().find(|c| {
            c.topology == ConnectivityTopology::HubAndSpoke
                && c.origin == peering.origin
                && rest.strip_prefix(c.name.as_str()).is_some_and(|r| r.starts_with('_'))
        })
    }

    pub fn effective_connectivity_of(&self, vnet: &ArmId) -> Option<&VnetEffectiveConnectivity> {
        self.effective_connectivity.iter().find(|e| e.id == *vnet)
    }

    pub fn effective_admin_rules_of(&self, vnet: &ArmId) -> Option<&VnetEffectiveAdminRules> {
        self.effective_admin_rules.iter().find(|e| e.id == *vnet)
    }
}

/// The network manager and configuration kind of a configuration id, lower-cased
/// (`…/networkmanagers/m/connectivityconfigurations`).
fn deployment_scope(configuration: &str) -> String {
    avnm_parent_id(configuration, 0)
        .to_ascii_lowercase()
        .rsplit_once('/')
        .map_or(String::new(), |(head, _)| head.to_string())
}

same_content_but_origin!(
    NetworkGroup,
    NetworkGroupMember,
    ConnectivityConfiguration,
    SecurityAdminConfiguration,
    AdminRuleCollection,
    AdminRule,
    RoutingConfiguration,
    RoutingRuleCollection,
    RoutingRule,
    AvnmDeployment,
    VnetEffectiveConnectivity,
    VnetEffectiveAdminRules
);

/// The id of the parent `levels` segments up (`…/ruleCollections/rc/rules/r` → 2 levels: the
/// collection's id), as the input spells it.
pub fn avnm_parent_id(id: &str, levels: usize) -> String {
    let mut rest = id.trim_end_matches('/');
    for _ in 0..levels {
        for _ in 0..2 {
            rest = rest.rsplit_once('/').map_or("", |(head, _)| head);
        }
    }
    rest.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_ids_drop_type_and_name_pairs() {
        let rule = "/s/x/providers/Microsoft.Network/networkManagers/m/securityAdminConfigurations/c/ruleCollections/rc/rules/r";
        assert!(avnm_parent_id(rule, 1).ends_with("/ruleCollections/rc"));
        assert!(avnm_parent_id(rule, 2).ends_with("/securityAdminConfigurations/c"));
    }

    #[test]
    fn changes_name_the_kind_and_ids() {
        let rule = |name: &str, priority: u32| AdminRule {
            id: ArmId::new(format!(
                "/s/x/providers/Microsoft.Network/networkManagers/m/securityAdminConfigurations/c/ruleCollections/rc/rules/{name}"
            )),
            name: name.into(),
            default_kind: false,
            flag: String::new(),
            access: AdminAccess::Deny,
            direction: Direction::Inbound,
            priority,
            protocol: RuleProtocol::Any,
            sources: vec![AdminAddress::Any],
            destinations: vec![AdminAddress::Any],
            source_ports: Vec::new(),
            destination_ports: Vec::new(),
            origin: Origin::default(),
        };
        let before = Avnm { admin_rules: vec![rule("a", 10), rule("b", 20)], ..Avnm::default() };
        let mut after = Avnm { admin_rules: vec![rule("a", 11), rule("c", 30)], ..Avnm::default() };
        after.admin_rules[1].origin.file = 3;
        let changes = after.changes_since(&before);
        assert_eq!(changes.len(), 1, "{changes:?}");
        let c = &changes[0];
        assert_eq!(c.kind, Some(ResourceKind::AdminRule));
        let last =
            |ids: &[ArmId]| ids.iter().map(|i| i.as_str().rsplit('/').next().unwrap().to_string()).collect::<Vec<_>>();
        assert_eq!(
            (last(&c.added), last(&c.removed), last(&c.changed)),
            (vec!["c".into()], vec!["b".into()], vec!["a".into()])
        );
        assert!(before.changes_since(&before.clone()).is_empty(), "origins and equal content: no change");
        // The snapshot knows AVNM resources by their kind (lookups, `origin_of`, messages).
        let mut snap = Snapshot::default();
        snap.avnm = after;
        snap.rebuild_index();
        let id = snap.avnm.admin_rules[1].id.to_string();
        assert_eq!(snap.kind_of(&id), Some(ResourceKind::AdminRule));
        assert_eq!(snap.origin_of(&id).map(|o| o.file), Some(3));
        assert_eq!(
            ResourceKind::from_arm_type("microsoft.network/networkmanagers/routingconfigurations"),
            Some(ResourceKind::RoutingConfiguration)
        );
        assert_eq!(ResourceKind::AdminRule.noun(), "security admin rule");
    }

    #[test]
    fn admin_access_reads_the_three_values_without_case() {
        assert_eq!(AdminAccess::parse("alwaysallow"), Some(AdminAccess::AlwaysAllow));
        assert_eq!(AdminAccess::parse("Deny"), Some(AdminAccess::Deny));
        assert_eq!(AdminAccess::parse("Block"), None);
    }
}
