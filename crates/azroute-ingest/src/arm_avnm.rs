//! Lowering of Azure Virtual Network Manager resources from ARM JSON (REST, az CLI, Resource
//! Graph, §18.1): network groups and static members, connectivity configurations, security admin
//! configurations with their rule collections and rules, routing configurations with theirs.
//! Every kind is read flat, as ARM lists it; a child's parent is the parent segment of its id.
//! Enum values are read without case; AVNM's string booleans (`"True"`) are read by `Flag`; a
//! value Azure would refuse is a diagnostic naming its JSON path.

use azroute_model::*;

use crate::arm::{list, s};
use crate::diag::Diagnostic;
use crate::dto::*;
use crate::pending::Pending;

fn flag(v: Option<Flag>) -> bool {
    v.is_some_and(|f| f.0)
}

/// The resource's name, or the last segment of its id (effective and active entries have none).
fn avnm_name(dto: &ResourceDto<'_>, id: &str) -> String {
    let name = s(&dto.name);
    if name.is_empty() { id.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_string() } else { name }
}

/// An effective answer as the API gives it (`{"value": [...], "skipToken"}`).
#[derive(serde::Deserialize)]
struct EffectivePage<'a> {
    #[serde(borrow, alias = "Value")]
    value: Vec<&'a serde_json::value::RawValue>,
}

fn group_ids(items: &Option<Vec<AvnmGroupItemDto<'_>>>) -> Vec<ArmId> {
    items.iter().flatten().filter_map(|g| g.network_group_id.as_ref()).map(|id| ArmId::new(id.as_str())).collect()
}

impl Pending {
    /// Lowers one AVNM resource of lower-cased type `ty`; `false` when azroute does not read
    /// that type (the network manager itself, its scope connections, …).
    pub(crate) fn avnm_resource(&mut self, ty: &str, dto: &ResourceDto<'_>, path: &str) -> bool {
        let Some(kind) = ty.strip_prefix("microsoft.network/networkmanagers/") else {
            return false;
        };
        let id = s(&dto.id);
        let what = match kind {
            "networkgroups" => "network group",
            "networkgroups/staticmembers" => "static member",
            "connectivityconfigurations" => "connectivity configuration",
            "securityadminconfigurations" => "security admin configuration",
            "securityadminconfigurations/rulecollections" => "admin rule collection",
            "securityadminconfigurations/rulecollections/rules" => "security admin rule",
            "routingconfigurations" => "routing configuration",
            "routingconfigurations/rulecollections" => "routing rule collection",
            "routingconfigurations/rulecollections/rules" => "routing rule",
            _ => return false,
        };
        if !self.require_id(&id, what, path) {
            return true;
        }
        // Entries of `listActive…` carry `region` and `commitTime` (§18.6).
        let active_region = dto.commit_time.as_ref().map(|_| s(&dto.region));
        let id_text = id.clone();
        let (id, name, origin) = (ArmId::new(&id), avnm_name(dto, &id), self.origin(path));
        match kind {
            "networkgroups" => self.network_groups.push(NetworkGroup {
                id,
                name,
                member_type: dto.member_type.as_ref().map_or("VirtualNetwork".into(), |t| t.as_str().to_string()),
                origin,
            }),
            "networkgroups/staticmembers" => {
                let group = ArmId::new(avnm_parent_id(id.as_str(), 1));
                let resource = ArmId::new(s(&dto.resource_id));
                if resource.is_empty() {
                    self.avnm_missing(&dto.path(path, "resourceId"), id.as_str(), "static member has no `resourceId`");
                    return true;
                }
                self.static_members.push(NetworkGroupMember { id, name, group, resource, origin });
            }
            "connectivityconfigurations" => self.connectivity_configuration(dto, id, name, origin),
            "securityadminconfigurations" => self.security_admin_configurations.push(SecurityAdminConfiguration {
                id,
                name,
                apply_on_network_intent_policy_based_services: list(&dto.apply_on_network_intent_policy_based_services)
                    .iter()
                    .map(|t| t.to_string())
                    .collect(),
                origin,
            }),
            "securityadminconfigurations/rulecollections" => self.admin_rule_collections.push(AdminRuleCollection {
                id,
                name,
                applies_to: group_ids(&dto.applies_to_groups),
                origin,
            }),
            "securityadminconfigurations/rulecollections/rules" => {
                if let Some(rule) = self.admin_rule(dto, path, id, name, origin) {
                    self.admin_rules.push(rule);
                }
            }
            "routingconfigurations" => self.routing_configurations.push(RoutingConfiguration {
                id,
                name,
                route_table_usage_mode: s(&dto.route_table_usage_mode),
                origin,
            }),
            "routingconfigurations/rulecollections" => self.routing_rule_collections.push(RoutingRuleCollection {
                id,
                name,
                applies_to: group_ids(&dto.applies_to),
                disable_bgp_route_propagation: flag(dto.disable_bgp_route_propagation),
                origin,
            }),
            _ => {
                if let Some(rule) = self.routing_rule(dto, path, id, name, origin) {
                    self.routing_rules.push(rule);
                }
            }
        }
        if let Some(region) = active_region {
            self.avnm_active_entry(kind, &id_text, &region, path);
        }
        true
    }

    /// An entry of `listActiveConnectivityConfigurations` or `listActiveSecurityAdminRules`
    /// (§18.6): its configuration is deployed in `region`; the entry itself stands in for the
    /// configuration (or rule) only when the snapshot lacks its own export.
    fn avnm_active_entry(&mut self, kind: &str, id: &str, region: &str, path: &str) {
        let configuration = match kind {
            "connectivityconfigurations" => {
                if let Some(c) = self.connectivity_configurations.pop() {
                    self.avnm_connectivity_copies.push(c);
                }
                id.to_string()
            }
            "securityadminconfigurations/rulecollections/rules" => {
                if let Some(r) = self.admin_rules.pop() {
                    self.avnm_admin_rule_copies.push(r);
                }
                avnm_parent_id(id, 2)
            }
            _ => return,
        };
        let origin = self.origin(path);
        self.avnm_deployments.push(AvnmDeployment::new(ArmId::new(configuration), region, origin));
    }

    /// One VNet's effective answer, from the wrapper `{"virtualNetworkId",
    /// "effectiveConnectivityConfigurations" | "effectiveSecurityAdminRules"}` whose value is the
    /// API's or az's output verbatim: a list, or `{"value": [...]}` (§18.6).
    pub(crate) fn avnm_effective(&mut self, vnet: &str, connectivity: bool, raw: &str, path: &str) {
        let listing = if raw.trim_start().starts_with('[') {
            serde_json::from_str::<Vec<&serde_json::value::RawValue>>(raw)
        } else {
            serde_json::from_str::<EffectivePage<'_>>(raw).map(|p| p.value)
        };
        let items = match listing {
            Ok(items) => items,
            Err(err) => {
                self.avnm_missing(
                    path,
                    vnet,
                    &format!("the effective answer is not a list or {{\"value\": [...]}}: {err}"),
                );
                return;
            }
        };
        let list_path = if raw.trim_start().starts_with('[') { path.to_string() } else { format!("{path}.value") };
        let mut configurations = Vec::new();
        let mut rules = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let item_path = format!("{list_path}[{i}]");
            let dto = match serde_json::from_str::<ResourceDto<'_>>(item.get()) {
                Ok(dto) => dto,
                Err(err) => {
                    self.avnm_missing(&item_path, vnet, &format!("an effective entry could not be read: {err}"));
                    continue;
                }
            };
            let id = s(&dto.id);
            if !self.require_id(&id, "effective AVNM entry", &item_path) {
                continue;
            }
            let (arm, name, origin) = (ArmId::new(&id), avnm_name(&dto, &id), self.origin(&item_path));
            if connectivity {
                let groups = dto.configuration_groups.iter().flatten().filter_map(|g| g.id.as_ref());
                configurations.push((arm.clone(), groups.map(|g| ArmId::new(g.as_str())).collect()));
                self.connectivity_configuration(&dto, arm, name, origin);
                if let Some(c) = self.connectivity_configurations.pop() {
                    self.avnm_connectivity_copies.push(c);
                }
            } else if let Some(rule) = self.admin_rule(&dto, &item_path, arm.clone(), name, origin) {
                rules.push(arm);
                self.avnm_admin_rule_copies.push(rule);
            }
        }
        let (id, origin) = (ArmId::new(vnet), self.origin(path));
        if connectivity {
            self.effective_connectivity.push(VnetEffectiveConnectivity { id, configurations, origin });
        } else {
            self.effective_admin_rules.push(VnetEffectiveAdminRules { id, rules, origin });
        }
    }

    fn avnm_missing(&mut self, path: &str, id: &str, message: &str) {
        self.diag(Diagnostic::error("InvalidAvnmResource", message.to_string()).at(path).resource(id));
    }

    fn connectivity_configuration(&mut self, dto: &ResourceDto<'_>, id: ArmId, name: String, origin: Origin) {
        let applies_to = dto
            .applies_to_groups
            .iter()
            .flatten()
            .filter_map(|g| {
                Some(ConnectivityGroupItem {
                    network_group: ArmId::new(g.network_group_id.as_ref()?.as_str()),
                    directly_connected: g
                        .group_connectivity
                        .as_ref()
                        .is_some_and(|c| c.as_str().eq_ignore_ascii_case("DirectlyConnected")),
                    is_global: flag(g.is_global),
                    use_hub_gateway: flag(g.use_hub_gateway),
                })
            })
            .collect();
        let overlap = dto.connectivity_capabilities.as_ref().and_then(|c| c.connected_group_address_overlap.as_ref());
        self.connectivity_configurations.push(ConnectivityConfiguration {
            id,
            name,
            topology: ConnectivityTopology::parse(&s(&dto.connectivity_topology)),
            hubs: dto
                .hubs
                .iter()
                .flatten()
                .filter_map(|h| h.resource_id.as_ref())
                .map(|r| ArmId::new(r.as_str()))
                .collect(),
            is_global: flag(dto.is_global),
            delete_existing_peering: flag(dto.delete_existing_peering),
            applies_to,
            address_overlap_allowed: !overlap.is_some_and(|o| o.as_str().eq_ignore_ascii_case("Disallowed")),
            origin,
        });
    }

    /// A security admin rule; refused (with a diagnostic) when its access, direction, protocol,
    /// priority or an address is one Azure would refuse.
    fn admin_rule(
        &mut self,
        dto: &ResourceDto<'_>,
        path: &str,
        id: ArmId,
        name: String,
        origin: Origin,
    ) -> Option<AdminRule> {
        let shown = id.as_str().to_string();
        let bad = |this: &mut Pending, field: &str, message: String, hint: &str| {
            this.diag(
                Diagnostic::error("InvalidAdminRule", message).at(dto.path(path, field)).resource(&shown).hint(hint),
            );
        };
        let access_text = s(&dto.access);
        let Some(access) = AdminAccess::parse(&access_text) else {
            bad(
                self,
                "access",
                format!("admin rule `{name}` has access `{access_text}`"),
                "use Allow, Deny or AlwaysAllow",
            );
            return None;
        };
        let direction = match s(&dto.direction).to_ascii_lowercase().as_str() {
            "inbound" => Direction::Inbound,
            "outbound" => Direction::Outbound,
            other => {
                bad(
                    self,
                    "direction",
                    format!("admin rule `{name}` has direction `{other}`"),
                    "use Inbound or Outbound",
                );
                return None;
            }
        };
        let protocol_text = s(&dto.protocol);
        let Some(protocol) = RuleProtocol::parse(&protocol_text) else {
            let message = format!("admin rule `{name}` has protocol `{protocol_text}`");
            bad(self, "protocol", message, "Azure allows Tcp, Udp, Icmp, Esp, Ah and Any");
            return None;
        };
        let priority = match dto.priority {
            Some(p) if (1..=4096).contains(&p) => p as u32,
            other => {
                let message = format!("admin rule `{name}` has priority {other:?}; Azure allows 1 to 4096");
                bad(self, "priority", message, "set a priority from 1 (first) to 4096");
                return None;
            }
        };
        let sources = self.admin_addresses(&dto.sources, &dto.path(path, "sources"), &shown)?;
        let destinations = self.admin_addresses(&dto.destinations, &dto.path(path, "destinations"), &shown)?;
        let source_ports = self.ports(&list(&dto.source_port_ranges), &dto.path(path, "sourcePortRanges"), &shown)?;
        let destination_ports =
            self.ports(&list(&dto.destination_port_ranges), &dto.path(path, "destinationPortRanges"), &shown)?;
        Some(AdminRule {
            id,
            name,
            default_kind: dto.kind.as_ref().is_some_and(|k| k.as_str().eq_ignore_ascii_case("Default")),
            flag: s(&dto.flag),
            access,
            direction,
            priority,
            protocol,
            sources,
            destinations,
            source_ports,
            destination_ports,
            origin,
        })
    }

    fn admin_addresses(
        &mut self,
        items: &Option<Vec<AdminAddressDto<'_>>>,
        path: &str,
        id: &str,
    ) -> Option<Vec<AdminAddress>> {
        let mut out = Vec::new();
        for (i, item) in items.iter().flatten().enumerate() {
            let p = format!("{path}[{i}].addressPrefix");
            let text = s(&item.address_prefix);
            let kind = s(&item.address_prefix_type);
            let address = if kind.eq_ignore_ascii_case("ServiceTag") {
                AdminAddress::Tag(text.trim().to_string())
            } else if kind.eq_ignore_ascii_case("NetworkGroup") {
                AdminAddress::NetworkGroup(ArmId::new(text.trim()))
            } else if text.trim() == "*" {
                AdminAddress::Any
            } else {
                let whole = if text.contains('/') {
                    text.trim().to_string()
                } else {
                    let len = if text.contains(':') { 128 } else { 32 };
                    format!("{}/{len}", text.trim())
                };
                AdminAddress::Prefix(self.prefix(&whole, &p, id)?)
            };
            out.push(address);
        }
        Some(out)
    }

    fn routing_rule(
        &mut self,
        dto: &ResourceDto<'_>,
        path: &str,
        id: ArmId,
        name: String,
        origin: Origin,
    ) -> Option<RoutingRule> {
        let shown = id.as_str().to_string();
        let destination = dto.destination.as_ref();
        let address = destination.map(|d| s(&d.destination_address)).unwrap_or_default();
        let is_tag = destination.is_some_and(|d| s(&d.destination_type).eq_ignore_ascii_case("ServiceTag"));
        let dest_path = dto.path(path, "destination.destinationAddress");
        let destination = if is_tag && !address.trim().is_empty() {
            RoutePrefix::ServiceTag(address.trim().to_string())
        } else {
            RoutePrefix::Cidr(self.prefix(address.trim(), &dest_path, &shown)?)
        };
        let next_hop = dto.next_hop.as_ref();
        let hop_text = next_hop.map(|n| s(&n.next_hop_type)).unwrap_or_default();
        // AV-R3: `NoNextHop` is a user route's `None`; the other four are spelled alike.
        let next_hop_type = if hop_text.eq_ignore_ascii_case("NoNextHop") {
            RouteNextHopType::None
        } else {
            RouteNextHopType::parse(&hop_text)
        };
        if let RouteNextHopType::Other(other) = &next_hop_type {
            self.diag(
                Diagnostic::error("InvalidRoutingRule", format!("routing rule `{name}` has next hop type `{other}`"))
                    .at(dto.path(path, "nextHop.nextHopType"))
                    .resource(&shown)
                    .hint("AVNM allows Internet, NoNextHop, VirtualAppliance, VirtualNetworkGateway and VnetLocal"),
            );
            return None;
        }
        let hop_address = next_hop.map(|n| s(&n.next_hop_address)).unwrap_or_default();
        let next_hop_ip = if hop_address.trim().is_empty() {
            None
        } else {
            Some(self.ip(&hop_address, &dto.path(path, "nextHop.nextHopAddress"), &shown)?)
        };
        Some(RoutingRule { id, name, destination, next_hop_type, next_hop_ip, origin })
    }
}
