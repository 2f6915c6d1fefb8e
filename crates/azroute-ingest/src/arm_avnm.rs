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
    #[serde(default, rename = "skipToken", alias = "SkipToken")]
    skip_token: Option<String>,
}

/// The warning for one page of an AVNM `list…` POST answer (`listActive…`,
/// `listNetworkManagerEffective…`), which pages with a non-empty `skipToken` in the body rather
/// than Resource Graph's `$skipToken` (§18.6): the entries on other pages are missing.
pub(crate) fn list_incomplete(what: &str) -> Diagnostic {
    Diagnostic::warning(
        "AvnmListIncomplete",
        format!("{what} is one page of a longer list (`skipToken` is set): the configurations or rules on the other pages are missing, so azroute may miss deployments, memberships or admin rules"),
    )
    .hint("call the same `list…` POST again with {\"skipToken\": \"<token>\"} in the request body until no token comes back, and put every page's `value` entries into one list")
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
            serde_json::from_str::<EffectivePage<'_>>(raw).map(|p| {
                if p.skip_token.is_some_and(|t| !t.is_empty()) {
                    let what = format!("the effective answer for VNet `{vnet}`");
                    self.diagnostics.push(list_incomplete(&what).in_file(self.file_path.clone()).at(path.to_string()));
                }
                p.value
            })
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

    /// A security admin rule read from ARM JSON (§18.1).
    fn admin_rule(
        &mut self,
        dto: &ResourceDto<'_>,
        path: &str,
        id: ArmId,
        name: String,
        origin: Origin,
    ) -> Option<AdminRule> {
        let addresses = |items: &Option<Vec<AdminAddressDto<'_>>>| -> Vec<(String, String)> {
            items.iter().flatten().map(|a| (s(&a.address_prefix_type), s(&a.address_prefix))).collect()
        };
        let text = AdminRuleText {
            access: s(&dto.access),
            direction: s(&dto.direction),
            protocol: s(&dto.protocol),
            priority: dto.priority,
            sources: addresses(&dto.sources),
            destinations: addresses(&dto.destinations),
            source_ports: list(&dto.source_port_ranges).iter().map(|p| p.to_string()).collect(),
            destination_ports: list(&dto.destination_port_ranges).iter().map(|p| p.to_string()).collect(),
            default_kind: dto.kind.as_ref().is_some_and(|k| k.as_str().eq_ignore_ascii_case("Default")),
            flag: s(&dto.flag),
        };
        let paths = AvnmPaths::Arm { dto, path };
        self.lower_admin_rule(text, &paths, id, name, origin)
    }

    /// A security admin rule from its fields as text, whichever dialect they were read from;
    /// refused (with a diagnostic naming `paths.of(field)`) when its access, direction,
    /// protocol, priority or an address is one Azure would refuse.
    pub(crate) fn lower_admin_rule(
        &mut self,
        text: AdminRuleText,
        paths: &AvnmPaths<'_, '_>,
        id: ArmId,
        name: String,
        origin: Origin,
    ) -> Option<AdminRule> {
        let shown = id.as_str().to_string();
        let bad = |this: &mut Pending, field: &str, message: String, hint: &str| {
            this.diag(Diagnostic::error("InvalidAdminRule", message).at(paths.of(field)).resource(&shown).hint(hint));
        };
        let Some(access) = AdminAccess::parse(&text.access) else {
            let message = format!("admin rule `{name}` has access `{}`", text.access);
            bad(self, paths.name("access", "action"), message, "use Allow, Deny or AlwaysAllow");
            return None;
        };
        let direction = match text.direction.to_ascii_lowercase().as_str() {
            "inbound" => Direction::Inbound,
            "outbound" => Direction::Outbound,
            other => {
                let message = format!("admin rule `{name}` has direction `{other}`");
                bad(self, "direction", message, "use Inbound or Outbound");
                return None;
            }
        };
        let Some(protocol) = RuleProtocol::parse(&text.protocol) else {
            let message = format!("admin rule `{name}` has protocol `{}`", text.protocol);
            bad(self, "protocol", message, "Azure allows Tcp, Udp, Icmp, Esp, Ah and Any");
            return None;
        };
        let priority = match text.priority {
            Some(p) if (1..=4096).contains(&p) => p as u32,
            other => {
                let message = format!("admin rule `{name}` has priority {other:?}; Azure allows 1 to 4096");
                bad(self, "priority", message, "set a priority from 1 (first) to 4096");
                return None;
            }
        };
        let prefix = paths.name("addressPrefix", "address_prefix");
        let sources =
            self.admin_addresses(&text.sources, &paths.of(paths.name("sources", "source")), prefix, &shown)?;
        let destinations = self.admin_addresses(
            &text.destinations,
            &paths.of(paths.name("destinations", "destination")),
            prefix,
            &shown,
        )?;
        let source_ports = self.ports(
            &as_strs(&text.source_ports),
            &paths.of(paths.name("sourcePortRanges", "source_port_ranges")),
            &shown,
        )?;
        let destination_ports = self.ports(
            &as_strs(&text.destination_ports),
            &paths.of(paths.name("destinationPortRanges", "destination_port_ranges")),
            &shown,
        )?;
        Some(AdminRule {
            id,
            name,
            default_kind: text.default_kind,
            flag: text.flag,
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

    /// `sources`/`destinations` as (`addressPrefixType`, `addressPrefix`) pairs.
    fn admin_addresses(
        &mut self,
        items: &[(String, String)],
        path: &str,
        field: &str,
        id: &str,
    ) -> Option<Vec<AdminAddress>> {
        let mut out = Vec::new();
        for (i, (kind, text)) in items.iter().enumerate() {
            let p = format!("{path}[{i}].{field}");
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
        let destination = dto.destination.as_ref();
        let next_hop = dto.next_hop.as_ref();
        let text = RoutingRuleText {
            destination_type: destination.map(|d| s(&d.destination_type)).unwrap_or_default(),
            destination: destination.map(|d| s(&d.destination_address)).unwrap_or_default(),
            next_hop_type: next_hop.map(|n| s(&n.next_hop_type)).unwrap_or_default(),
            next_hop_address: next_hop.map(|n| s(&n.next_hop_address)).unwrap_or_default(),
        };
        self.lower_routing_rule(text, &AvnmPaths::Arm { dto, path }, id, name, origin)
    }

    /// A routing rule from its fields as text, whichever dialect they were read from (§18.4).
    pub(crate) fn lower_routing_rule(
        &mut self,
        text: RoutingRuleText,
        paths: &AvnmPaths<'_, '_>,
        id: ArmId,
        name: String,
        origin: Origin,
    ) -> Option<RoutingRule> {
        let shown = id.as_str().to_string();
        let address = text.destination.trim();
        let dest_path = paths.of(paths.name("destination.destinationAddress", "destination[0].address"));
        let destination = if text.destination_type.eq_ignore_ascii_case("ServiceTag") && !address.is_empty() {
            RoutePrefix::ServiceTag(address.to_string())
        } else {
            RoutePrefix::Cidr(self.prefix(address, &dest_path, &shown)?)
        };
        // AV-R3: `NoNextHop` is a user route's `None`; the other four are spelled alike.
        let next_hop_type = if text.next_hop_type.eq_ignore_ascii_case("NoNextHop") {
            RouteNextHopType::None
        } else {
            RouteNextHopType::parse(&text.next_hop_type)
        };
        if let RouteNextHopType::Other(other) = &next_hop_type {
            self.diag(
                Diagnostic::error("InvalidRoutingRule", format!("routing rule `{name}` has next hop type `{other}`"))
                    .at(paths.of(paths.name("nextHop.nextHopType", "next_hop[0].type")))
                    .resource(&shown)
                    .hint("AVNM allows Internet, NoNextHop, VirtualAppliance, VirtualNetworkGateway and VnetLocal"),
            );
            return None;
        }
        let hop_address = text.next_hop_address.trim();
        let next_hop_ip = if hop_address.is_empty() {
            None
        } else {
            let hop_path = paths.of(paths.name("nextHop.nextHopAddress", "next_hop[0].address"));
            Some(self.ip(hop_address, &hop_path, &shown)?)
        };
        Some(RoutingRule { id, name, destination, next_hop_type, next_hop_ip, origin })
    }
}

fn as_strs(v: &[String]) -> Vec<&str> {
    v.iter().map(|p| p.as_str()).collect()
}

/// A security admin rule's fields as text, read from ARM JSON or Terraform.
pub(crate) struct AdminRuleText {
    pub access: String,
    pub direction: String,
    pub protocol: String,
    pub priority: Option<i64>,
    /// (`addressPrefixType`, `addressPrefix`).
    pub sources: Vec<(String, String)>,
    pub destinations: Vec<(String, String)>,
    pub source_ports: Vec<String>,
    pub destination_ports: Vec<String>,
    pub default_kind: bool,
    pub flag: String,
}

/// A routing rule's fields as text, read from ARM JSON or Terraform.
pub(crate) struct RoutingRuleText {
    pub destination_type: String,
    pub destination: String,
    pub next_hop_type: String,
    pub next_hop_address: String,
}

/// Where an AVNM resource's fields are, for diagnostics: an ARM resource (its `properties`
/// nesting) or a Terraform instance (the attribute names).
pub(crate) enum AvnmPaths<'d, 'a> {
    Arm { dto: &'d ResourceDto<'a>, path: &'d str },
    Terraform { path: &'d str },
}

impl AvnmPaths<'_, '_> {
    fn of(&self, field: &str) -> String {
        match self {
            AvnmPaths::Arm { dto, path } => dto.path(path, field),
            AvnmPaths::Terraform { path } => format!("{path}.{field}"),
        }
    }

    /// The field's name in this dialect: ARM's or Terraform's.
    fn name<'n>(&self, arm: &'n str, terraform: &'n str) -> &'n str {
        match self {
            AvnmPaths::Arm { .. } => arm,
            AvnmPaths::Terraform { .. } => terraform,
        }
    }
}
