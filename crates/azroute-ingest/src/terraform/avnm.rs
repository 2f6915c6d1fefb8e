//! Azure Virtual Network Manager from Terraform (§18.1, §18.6): the `azurerm_network_manager_*`
//! network groups, static members, connectivity, security admin and routing configurations with
//! their rule collections and rules, and `azurerm_network_manager_deployment` (deployment state),
//! lowered into the same model as the ARM JSON through the same rule lowering (`arm_avnm.rs`).
//! A child whose id a plan does not know yet gets `<parent>/<segment>/<name>`, as Azure assigns
//! it.

use super::*;
use crate::arm_avnm::{AdminRuleText, AvnmPaths, RoutingRuleText};

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfNetworkGroup {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) network_manager_id: Option<String>,
    pub(super) member_type: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfStaticMember {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) network_group_id: Option<String>,
    pub(super) target_virtual_network_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfAppliesToGroup {
    pub(super) group_connectivity: Option<String>,
    pub(super) network_group_id: Option<String>,
    pub(super) global_mesh_enabled: Option<bool>,
    pub(super) use_hub_gateway: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfAvnmHub {
    pub(super) resource_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfConnectivityConfiguration {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) network_manager_id: Option<String>,
    pub(super) connectivity_topology: Option<String>,
    pub(super) delete_existing_peering_enabled: Option<bool>,
    pub(super) global_mesh_enabled: Option<bool>,
    pub(super) hub: Blocks<TfAvnmHub>,
    pub(super) applies_to_group: Blocks<TfAppliesToGroup>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfSecurityAdminConfiguration {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) network_manager_id: Option<String>,
    pub(super) apply_on_network_intent_policy_based_services: Strs,
}

/// `azurerm_network_manager_admin_rule_collection` and `…_routing_rule_collection`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfAvnmRuleCollection {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) security_admin_configuration_id: Option<String>,
    pub(super) routing_configuration_id: Option<String>,
    pub(super) network_group_ids: Strs,
    pub(super) bgp_route_propagation_enabled: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfAdminAddress {
    pub(super) address_prefix: Option<String>,
    pub(super) address_prefix_type: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfAdminRule {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) admin_rule_collection_id: Option<String>,
    pub(super) action: Option<String>,
    pub(super) direction: Option<String>,
    pub(super) priority: Option<i64>,
    pub(super) protocol: Option<String>,
    pub(super) source_port_ranges: Strs,
    pub(super) destination_port_ranges: Strs,
    pub(super) source: Blocks<TfAdminAddress>,
    pub(super) destination: Blocks<TfAdminAddress>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfRoutingConfiguration {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) network_manager_id: Option<String>,
}

/// A routing rule's `destination` and `next_hop` blocks.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfTypedAddress {
    #[serde(rename = "type")]
    pub(super) kind: Option<String>,
    pub(super) address: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfRoutingRule {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) rule_collection_id: Option<String>,
    pub(super) destination: Blocks<TfTypedAddress>,
    pub(super) next_hop: Blocks<TfTypedAddress>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfAvnmDeployment {
    pub(super) network_manager_id: Option<String>,
    pub(super) location: Option<String>,
    pub(super) scope_access: Option<String>,
    pub(super) configuration_ids: Strs,
}

fn ids(v: &Strs) -> Vec<ArmId> {
    texts(v).into_iter().map(ArmId::new).collect()
}

fn first<T>(v: &Blocks<T>) -> Option<&T> {
    blocks(v).next().map(|(_, b)| b)
}

impl Lowerer<'_, '_> {
    /// The instance's id, or `<parent>/<segment>/<name>` when a plan does not know it yet.
    fn avnm_id(&self, i: usize, parent: &Option<String>, segment: &str, name: &Option<String>) -> Option<String> {
        self.id(i).or_else(|| Some(format!("{}/{segment}/{}", nonempty(parent)?, nonempty(name)?)))
    }

    pub(super) fn network_group(&mut self, i: usize, a: &TfNetworkGroup) {
        let Some(id) = self.avnm_id(i, &a.network_manager_id, "networkGroups", &a.name) else { return };
        let origin = self.origin(&self.insts[i].path.clone());
        self.pending.network_groups.push(NetworkGroup {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            member_type: nonempty(&a.member_type).unwrap_or("VirtualNetwork").to_string(),
            origin,
        });
    }

    pub(super) fn static_member(&mut self, i: usize, a: &TfStaticMember) {
        let Some(id) = self.avnm_id(i, &a.network_group_id, "staticMembers", &a.name) else { return };
        let Some(resource) = nonempty(&a.target_virtual_network_id) else { return };
        let origin = self.origin(&self.insts[i].path.clone());
        self.pending.static_members.push(NetworkGroupMember {
            group: ArmId::new(avnm_parent_id(&id, 1)),
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            resource: ArmId::new(resource),
            origin,
        });
    }

    pub(super) fn connectivity_configuration(&mut self, i: usize, a: &TfConnectivityConfiguration) {
        let Some(id) = self.avnm_id(i, &a.network_manager_id, "connectivityConfigurations", &a.name) else { return };
        let origin = self.origin(&self.insts[i].path.clone());
        let applies_to = blocks(&a.applies_to_group)
            .filter_map(|(_, g)| {
                Some(ConnectivityGroupItem {
                    network_group: ArmId::new(nonempty(&g.network_group_id)?),
                    directly_connected: nonempty(&g.group_connectivity)
                        .is_some_and(|c| c.eq_ignore_ascii_case("DirectlyConnected")),
                    is_global: g.global_mesh_enabled == Some(true),
                    use_hub_gateway: g.use_hub_gateway == Some(true),
                })
            })
            .collect();
        self.pending.connectivity_configurations.push(ConnectivityConfiguration {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            topology: ConnectivityTopology::parse(nonempty(&a.connectivity_topology).unwrap_or_default()),
            hubs: blocks(&a.hub).filter_map(|(_, h)| nonempty(&h.resource_id)).map(ArmId::new).collect(),
            is_global: a.global_mesh_enabled == Some(true),
            delete_existing_peering: a.delete_existing_peering_enabled == Some(true),
            applies_to,
            // The provider has no `connectivity_capabilities` block yet: Azure's default.
            address_overlap_allowed: true,
            origin,
        });
    }

    pub(super) fn security_admin_configuration(&mut self, i: usize, a: &TfSecurityAdminConfiguration) {
        let Some(id) = self.avnm_id(i, &a.network_manager_id, "securityAdminConfigurations", &a.name) else {
            return;
        };
        let origin = self.origin(&self.insts[i].path.clone());
        self.pending.security_admin_configurations.push(SecurityAdminConfiguration {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            apply_on_network_intent_policy_based_services: texts(&a.apply_on_network_intent_policy_based_services)
                .into_iter()
                .map(str::to_string)
                .collect(),
            origin,
        });
    }

    /// An admin rule collection or a routing rule collection (whichever parent it names).
    pub(super) fn avnm_rule_collection(&mut self, i: usize, a: &TfAvnmRuleCollection, routing: bool) {
        let parent = if routing { &a.routing_configuration_id } else { &a.security_admin_configuration_id };
        let Some(id) = self.avnm_id(i, parent, "ruleCollections", &a.name) else { return };
        let (id, name) = (ArmId::new(&id), nonempty(&a.name).unwrap_or_default().to_string());
        let origin = self.origin(&self.insts[i].path.clone());
        let applies_to = ids(&a.network_group_ids);
        if routing {
            // azurerm's `bgp_route_propagation_enabled` defaults to false: propagation disabled.
            let disable_bgp_route_propagation = a.bgp_route_propagation_enabled != Some(true);
            let collection = RoutingRuleCollection { id, name, applies_to, disable_bgp_route_propagation, origin };
            self.pending.routing_rule_collections.push(collection);
        } else {
            self.pending.admin_rule_collections.push(AdminRuleCollection { id, name, applies_to, origin });
        }
    }

    pub(super) fn admin_rule(&mut self, i: usize, a: &TfAdminRule) {
        let Some(id) = self.avnm_id(i, &a.admin_rule_collection_id, "rules", &a.name) else { return };
        let path = self.insts[i].path.clone();
        let addresses = |v: &Blocks<TfAdminAddress>| -> Vec<(String, String)> {
            blocks(v)
                .map(|(_, b)| {
                    let t = |x: &Option<String>| nonempty(x).unwrap_or_default().to_string();
                    (t(&b.address_prefix_type), t(&b.address_prefix))
                })
                .collect()
        };
        let strings = |v: &Strs| texts(v).into_iter().map(str::to_string).collect();
        let text = AdminRuleText {
            access: nonempty(&a.action).unwrap_or_default().to_string(),
            direction: nonempty(&a.direction).unwrap_or_default().to_string(),
            protocol: nonempty(&a.protocol).unwrap_or_default().to_string(),
            priority: a.priority,
            sources: addresses(&a.source),
            destinations: addresses(&a.destination),
            source_ports: strings(&a.source_port_ranges),
            destination_ports: strings(&a.destination_port_ranges),
            default_kind: false,
            flag: String::new(),
        };
        let (name, origin) = (nonempty(&a.name).unwrap_or_default().to_string(), self.origin(&path));
        let paths = AvnmPaths::Terraform { path: &path };
        if let Some(rule) = self.pending.lower_admin_rule(text, &paths, ArmId::new(&id), name, origin) {
            self.pending.admin_rules.push(rule);
        }
    }

    pub(super) fn routing_configuration(&mut self, i: usize, a: &TfRoutingConfiguration) {
        let Some(id) = self.avnm_id(i, &a.network_manager_id, "routingConfigurations", &a.name) else { return };
        let origin = self.origin(&self.insts[i].path.clone());
        self.pending.routing_configurations.push(RoutingConfiguration {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            route_table_usage_mode: String::new(),
            origin,
        });
    }

    pub(super) fn routing_rule(&mut self, i: usize, a: &TfRoutingRule) {
        let Some(id) = self.avnm_id(i, &a.rule_collection_id, "rules", &a.name) else { return };
        let path = self.insts[i].path.clone();
        let (destination, hop) = (first(&a.destination), first(&a.next_hop));
        let t = |x: Option<&Option<String>>| x.and_then(nonempty).unwrap_or_default().to_string();
        let text = RoutingRuleText {
            destination_type: t(destination.map(|d| &d.kind)),
            destination: t(destination.map(|d| &d.address)),
            next_hop_type: t(hop.map(|h| &h.kind)),
            next_hop_address: t(hop.map(|h| &h.address)),
        };
        let (name, origin) = (nonempty(&a.name).unwrap_or_default().to_string(), self.origin(&path));
        let paths = AvnmPaths::Terraform { path: &path };
        if let Some(rule) = self.pending.lower_routing_rule(text, &paths, ArmId::new(&id), name, origin) {
            self.pending.routing_rules.push(rule);
        }
    }

    /// `azurerm_network_manager_deployment`: each configuration deployed in `location` (§18.6).
    pub(super) fn avnm_deployment(&mut self, i: usize, a: &TfAvnmDeployment) {
        let Some(region) = nonempty(&a.location) else { return };
        let origin = self.origin(&self.insts[i].path.clone());
        for configuration in ids(&a.configuration_ids) {
            self.pending.avnm_deployments.push(AvnmDeployment::new(configuration, region, origin.clone()));
        }
    }
}
