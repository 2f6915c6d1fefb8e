//! Azure Virtual Network Manager (AVNM, `docs/azure-routing-rules.md` §18): network groups and
//! their static members, connectivity configurations (mesh, hub-and-spoke, direct connectivity),
//! security admin configurations with their rule collections and rules, and routing
//! configurations with theirs. Every kind is kept flat, as ARM lists it, in [`Avnm`]; each child
//! names its parent by the parent segments of its own id, and references between them are ids
//! (the engine resolves them, and says when one is not in the snapshot).

use ipnet::IpNet;

use crate::*;

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
        macro_rules! clear {
            ($($field:ident),*) => {$(for r in &mut a.$field { r.origin = Origin::default(); })*};
        }
        clear!(
            network_groups,
            static_members,
            connectivity_configurations,
            security_admin_configurations,
            admin_rule_collections,
            admin_rules,
            routing_configurations,
            routing_rule_collections,
            routing_rules
        );
        a
    }
}

/// AVNM resources compare by every field but their origin: their text fields are ids, names
/// and enum values compared as read (derived `PartialEq`).
macro_rules! same_content_but_origin {
    ($($t:ty),*) => {$(
        impl SameContent for $t {
            fn same_content(&self, other: &$t) -> bool {
                let mut a = self.clone();
                a.origin = other.origin.clone();
                &a == other
            }
        }
    )*};
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
    RoutingRule
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
    fn admin_access_reads_the_three_values_without_case() {
        assert_eq!(AdminAccess::parse("alwaysallow"), Some(AdminAccess::AlwaysAllow));
        assert_eq!(AdminAccess::parse("Deny"), Some(AdminAccess::Deny));
        assert_eq!(AdminAccess::parse("Block"), None);
    }
}
