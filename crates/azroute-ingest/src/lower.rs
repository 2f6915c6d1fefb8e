//! Lowering: one parsed Azure object at a time into model resources whose references are still
//! unresolved ids (`Link::Missing`), plus diagnostics for values Azure would refuse.

use std::collections::BTreeMap;
use std::net::IpAddr;

use azroute_model::*;
use ipnet::IpNet;

use crate::diag::Diagnostic;
use crate::dto::*;

/// A child resource (subnet, peering, route, rule) whose parent is named by id.
#[derive(Clone, Debug)]
pub(crate) struct Child<T> {
    pub key: String,
    pub parent: String,
    pub item: T,
}

/// A learned-routes wrapper file: the routes of one gateway.
#[derive(Clone, Debug)]
pub(crate) struct PendingLearned {
    pub gateway_id: String,
    pub routes: Vec<LearnedRoute>,
    pub origin: Origin,
}

/// What a Terraform association resource links.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AssociationKind {
    SubnetRouteTable,
    SubnetNsg,
    NicNsg,
}

/// A Terraform association resource (`azurerm_subnet_route_table_association`, …) to apply to a
/// subnet or NIC read elsewhere.
#[derive(Clone, Debug)]
pub(crate) struct PendingAssociation {
    pub kind: AssociationKind,
    /// Normalised id of the subnet or NIC.
    pub target: String,
    /// The route table or NSG; `None` when a plan deletes the association.
    pub value: Option<ArmId>,
    /// The Terraform address, for messages.
    pub address: String,
    pub origin: Origin,
}

/// A peering read from Terraform without its reverse peering in the same input.
#[derive(Clone, Debug)]
pub(crate) struct UnpairedPeering {
    pub key: String,
    pub address: String,
    pub origin: Origin,
}

/// Everything read from one file, before linking.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    pub file: u32,
    pub file_path: String,
    pub vnets: Vec<Vnet>,
    pub subnets: Vec<Child<Subnet>>,
    pub peerings: Vec<Child<Peering>>,
    pub route_tables: Vec<RouteTable>,
    pub routes: Vec<Child<Route>>,
    pub nics: Vec<Nic>,
    pub vms: Vec<Vm>,
    pub gateways: Vec<VnetGateway>,
    pub local_gateways: Vec<LocalNetworkGateway>,
    pub connections: Vec<Connection>,
    pub nsgs: Vec<Nsg>,
    pub rules: Vec<Child<SecurityRule>>,
    pub private_endpoints: Vec<PrivateEndpoint>,
    pub load_balancers: Vec<LoadBalancer>,
    pub public_ips: Vec<PublicIp>,
    pub service_tags: Vec<(ServiceTags, Origin)>,
    pub learned: Vec<PendingLearned>,
    /// Subnet key → keys of the NICs its `ipConfigurations` back-references name.
    pub subnet_nic_refs: Vec<(String, Vec<String>)>,
    /// Normalised ids of resources a Terraform plan deletes (actions `["delete"]`, not
    /// replacements), for overlaying a plan on a live snapshot.
    pub deleted: Vec<String>,
    /// Normalised ids of resources a Terraform plan leaves unchanged (`no-op`): laid over a
    /// live snapshot, the live copy stays.
    pub unchanged: Vec<String>,
    /// Terraform associations whose subnet or NIC was not in the same Terraform input; `link.rs`
    /// applies them to that resource wherever it was read.
    pub associations: Vec<PendingAssociation>,
    /// Terraform peerings whose reverse peering was not in the same Terraform input (so they
    /// were lowered as `Initiated`); `link.rs` marks them `Connected` when the reverse peering
    /// is anywhere in the snapshot.
    pub unpaired_peerings: Vec<UnpairedPeering>,
    pub diagnostics: Vec<Diagnostic>,
    /// Resources of types azroute does not model, by lower-cased type.
    pub skipped_types: BTreeMap<String, usize>,
    /// Objects with no resource type (effective-route entries, API results, …).
    pub untyped_objects: usize,
    pub resources_read: usize,
}

fn s(v: &Option<Str<'_>>) -> String {
    v.as_ref().map(|x| x.as_str().to_string()).unwrap_or_default()
}

fn list<'s>(v: &'s Option<StrList<'_>>) -> Vec<&'s str> {
    v.as_ref().map(|l| l.0.iter().map(|x| x.as_str()).collect()).unwrap_or_default()
}

fn strs<'s>(v: &'s Option<Vec<Str<'_>>>) -> Vec<&'s str> {
    v.as_ref().map(|l| l.iter().map(|x| x.as_str()).collect()).unwrap_or_default()
}

fn flag(v: Option<Flag>, default: bool) -> bool {
    v.map(|f| f.0).unwrap_or(default)
}

fn ref_id(r: &Option<RefDto<'_>>) -> Option<ArmId> {
    r.as_ref().and_then(|r| r.id.as_ref()).map(|id| ArmId::new(id.as_str())).filter(|id| !id.is_empty())
}

fn link<T>(r: &Option<RefDto<'_>>) -> Option<Link<T>> {
    ref_id(r).map(Link::Missing)
}

/// `East US` → `eastus`.
pub(crate) fn normalize_location(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    out.extend(text.chars().filter(|c| !c.is_whitespace()).flat_map(|c| c.to_lowercase()));
    out
}

/// [`normalize_location`] of an optional field.
fn location(v: &Option<Str<'_>>) -> String {
    normalize_location(v.as_ref().map_or("", |x| x.as_str()))
}

/// The parent id of a child resource id: `…/virtualNetworks/v/subnets/s` → `…/virtualNetworks/v`.
pub(crate) fn parent_id(id: &str) -> String {
    let trimmed = id.trim().trim_end_matches('/');
    let mut parts: Vec<&str> = trimmed.split('/').collect();
    if parts.len() >= 2 {
        parts.truncate(parts.len() - 2);
    }
    parts.join("/")
}

/// The resource type an id implies, for objects exported without `type`.
pub(crate) fn type_from_id(id: &str) -> Option<String> {
    let lower = id.to_ascii_lowercase();
    let pos = lower.rfind("/providers/")?;
    let rest = &lower[pos + "/providers/".len()..];
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    if parts.len() < 3 {
        return None;
    }
    let mut ty = format!("{}/{}", parts[0], parts[1]);
    let mut i = 3;
    while i + 1 < parts.len() {
        ty.push('/');
        ty.push_str(parts[i]);
        i += 2;
    }
    Some(ty)
}

/// Resource types azroute reads (lower-cased).
pub(crate) fn is_modelled_type(ty: &str) -> bool {
    matches!(
        ty,
        "microsoft.network/virtualnetworks"
            | "microsoft.network/virtualnetworks/subnets"
            | "microsoft.network/virtualnetworks/virtualnetworkpeerings"
            | "microsoft.network/networkinterfaces"
            | "microsoft.network/routetables"
            | "microsoft.network/routetables/routes"
            | "microsoft.network/virtualnetworkgateways"
            | "microsoft.network/localnetworkgateways"
            | "microsoft.network/connections"
            | "microsoft.network/networksecuritygroups"
            | "microsoft.network/networksecuritygroups/securityrules"
            | "microsoft.network/privateendpoints"
            | "microsoft.network/loadbalancers"
            | "microsoft.network/publicipaddresses"
            | "microsoft.compute/virtualmachines"
    )
}

/// A user route as plain values, from whichever dialect it was read.
pub(crate) struct RouteFields {
    pub id: String,
    pub name: String,
    pub prefixes: Vec<String>,
    pub prefix_path: String,
    pub next_hop_type: String,
    pub next_hop_type_path: String,
    /// Next hop IP addresses, each with the JSON path it was read from.
    pub next_hop_ips: Vec<(String, String)>,
    pub next_hop_ip_path: String,
    /// The input's own names of the fields, for messages.
    pub next_hop_ip_field: &'static str,
    pub prefix_field: &'static str,
    pub next_hop_type_field: &'static str,
    /// JSON path of the route object.
    pub path: String,
}

/// JSON paths of the fields of a security rule, as the input spells them.
pub(crate) struct RulePaths {
    pub object: String,
    pub protocol: String,
    pub access: String,
    pub direction: String,
    pub priority: String,
    pub source: String,
    pub destination: String,
    pub source_port: String,
    pub destination_port: String,
}

/// A security rule as plain values, from whichever dialect it was read. Singular and plural
/// address and port fields are already merged.
pub(crate) struct RuleFields {
    pub id: String,
    pub name: String,
    pub protocol: String,
    pub access: String,
    pub direction: String,
    pub priority: Option<i64>,
    pub sources: Vec<String>,
    pub destinations: Vec<String>,
    pub source_ports: Vec<String>,
    pub destination_ports: Vec<String>,
    /// Application security group ids as written.
    pub source_asgs: Vec<String>,
    pub destination_asgs: Vec<String>,
    pub paths: RulePaths,
}

/// `privateEndpointNetworkPolicies` as Azure spells it (case-insensitive); anything else is
/// Azure's default, `Disabled`.
pub(crate) fn private_endpoint_policies(text: &str) -> PrivateEndpointNetworkPolicies {
    match text.trim().to_ascii_lowercase().as_str() {
        "enabled" => PrivateEndpointNetworkPolicies::Enabled,
        "routetableenabled" => PrivateEndpointNetworkPolicies::RouteTableEnabled,
        "networksecuritygroupenabled" => PrivateEndpointNetworkPolicies::NetworkSecurityGroupEnabled,
        _ => PrivateEndpointNetworkPolicies::Disabled,
    }
}

impl Pending {
    pub fn new(file: u32, file_path: &str) -> Pending {
        Pending { file, file_path: file_path.to_string(), ..Pending::default() }
    }

    pub(crate) fn origin(&self, path: &str) -> Origin {
        Origin { file: self.file, json_path: path.to_string() }
    }

    pub(crate) fn diag(&mut self, d: Diagnostic) {
        let d = d.in_file(self.file_path.clone());
        self.diagnostics.push(d);
    }

    /// Parses a CIDR prefix; reports and drops it when Azure would refuse it.
    pub(crate) fn prefix(&mut self, text: &str, path: &str, id: &str) -> Option<IpNet> {
        match parse_prefix(text) {
            Ok(net) => Some(net),
            Err(err) => {
                let code = match err {
                    PrefixError::HostBitsSet { .. } => "HostBitsSet",
                    _ => "InvalidPrefix",
                };
                let hint = err.hint();
                self.diag(Diagnostic::error(code, err.to_string()).at(path).resource(id).maybe_hint(hint));
                None
            }
        }
    }

    pub(crate) fn prefixes(&mut self, texts: &[&str], path: &str, id: &str) -> Vec<IpNet> {
        // Sized exactly: a `push` into an empty vector reserves room for four, and the model
        // keeps these vectors for hundreds of thousands of resources.
        let mut out = Vec::with_capacity(texts.len());
        for (i, text) in texts.iter().enumerate() {
            let p = if texts.len() > 1 { format!("{path}[{i}]") } else { path.to_string() };
            if let Some(net) = self.prefix(text, &p, id)
                && !out.contains(&net)
            {
                out.push(net);
            }
        }
        out
    }

    /// Parses a private IP as NICs write it: an address, or `address/length` with IP-prefix
    /// allocation (`172.20.2.16/28`).
    pub(crate) fn ip(&mut self, text: &str, path: &str, id: &str) -> Option<IpAddr> {
        let addr = text.split('/').next().unwrap_or("").trim();
        if addr.is_empty() {
            return None;
        }
        match parse_ip(addr) {
            Ok(ip) => Some(ip),
            Err(err) => {
                self.diag(Diagnostic::error("InvalidIpAddress", err.to_string()).at(path).resource(id));
                None
            }
        }
    }

    /// Lowers one top-level (or nested, standalone-shaped) resource object.
    pub fn resource(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let raw_id = dto.id.as_ref().map_or("", |x| x.as_str());
        // The type, lower-cased on the stack (no allocation for the types azroute reads).
        let mut buffer = [0u8; 80];
        let from_id;
        let ty: &str = match &dto.resource_type {
            Some(t) if t.as_str().len() <= buffer.len() => {
                let bytes = &mut buffer[..t.as_str().len()];
                bytes.copy_from_slice(t.as_str().as_bytes());
                bytes.make_ascii_lowercase();
                std::str::from_utf8(bytes).expect("lower-casing ASCII keeps UTF-8")
            }
            Some(t) => {
                from_id = t.as_str().to_ascii_lowercase();
                &from_id
            }
            None => match type_from_id(raw_id) {
                Some(t) => {
                    from_id = t;
                    &from_id
                }
                None => {
                    self.untyped_objects += 1;
                    return;
                }
            },
        };
        self.resources_read += 1;
        match ty {
            "microsoft.network/virtualnetworks" => self.vnet(dto, path),
            "microsoft.network/virtualnetworks/subnets" => {
                let sub = SubnetDto {
                    id: dto.id.clone(),
                    name: dto.name.clone(),
                    address_prefix: dto.address_prefix.clone(),
                    address_prefixes: dto.address_prefixes.clone(),
                    route_table: dto.route_table.clone(),
                    network_security_group: dto.network_security_group.clone(),
                    service_endpoints: dto.service_endpoints.clone(),
                    private_endpoint_network_policies: dto.private_endpoint_network_policies.clone(),
                    ip_configurations: dto
                        .ip_configurations
                        .as_ref()
                        .map(|v| v.iter().map(|c| RefDto { id: c.id.clone(), ..RefDto::default() }).collect()),
                    nested_properties: dto.nested_properties,
                    _lifetime: Default::default(),
                };
                let parent = parent_id(raw_id);
                self.subnet(&sub, parent, path);
            }
            "microsoft.network/virtualnetworks/virtualnetworkpeerings" => {
                let peering = PeeringDto {
                    id: dto.id.clone(),
                    name: dto.name.clone(),
                    remote_virtual_network: dto.remote_virtual_network.clone(),
                    peering_state: dto.peering_state.clone(),
                    allow_virtual_network_access: dto.allow_virtual_network_access,
                    allow_forwarded_traffic: dto.allow_forwarded_traffic,
                    allow_gateway_transit: dto.allow_gateway_transit,
                    use_remote_gateways: dto.use_remote_gateways,
                    remote_address_space: dto.remote_address_space.clone(),
                    remote_virtual_network_address_space: dto.remote_virtual_network_address_space.clone(),
                    peer_complete_vnets: dto.peer_complete_vnets,
                    local_subnet_names: dto.local_subnet_names.clone(),
                    remote_subnet_names: dto.remote_subnet_names.clone(),
                    nested_properties: dto.nested_properties,
                    _lifetime: Default::default(),
                };
                let parent = parent_id(raw_id);
                self.peering(&peering, parent, path);
            }
            "microsoft.network/networkinterfaces" => self.nic(dto, path),
            "microsoft.network/routetables" => self.route_table(dto, path),
            "microsoft.network/routetables/routes" => {
                let route = RouteDto {
                    id: dto.id.clone(),
                    name: dto.name.clone(),
                    address_prefix: dto.address_prefix.clone(),
                    next_hop_type: dto.next_hop_type.clone(),
                    next_hop_ip_address: dto.next_hop_ip_address.clone(),
                    next_hop: dto.next_hop.clone(),
                    nested_properties: dto.nested_properties,
                    _lifetime: Default::default(),
                };
                if let Some(r) = self.route(&route, path, raw_id) {
                    self.routes.push(Child {
                        key: normalize_id(raw_id),
                        parent: normalize_id(&parent_id(raw_id)),
                        item: r,
                    });
                }
            }
            "microsoft.network/virtualnetworkgateways" => self.gateway(dto, path),
            "microsoft.network/localnetworkgateways" => self.local_gateway(dto, path),
            "microsoft.network/connections" => self.connection(dto, path),
            "microsoft.network/networksecuritygroups" => self.nsg(dto, path),
            "microsoft.network/networksecuritygroups/securityrules" => {
                let rule = RuleDto {
                    id: dto.id.clone(),
                    name: dto.name.clone(),
                    protocol: dto.protocol.clone(),
                    access: dto.access.clone(),
                    priority: dto.priority,
                    direction: dto.direction.clone(),
                    source_port_range: dto.source_port_range.clone(),
                    source_port_ranges: dto.source_port_ranges.clone(),
                    destination_port_range: dto.destination_port_range.clone(),
                    destination_port_ranges: dto.destination_port_ranges.clone(),
                    source_address_prefix: dto.source_address_prefix.clone(),
                    source_address_prefixes: dto.source_address_prefixes.clone(),
                    destination_address_prefix: dto.destination_address_prefix.clone(),
                    destination_address_prefixes: dto.destination_address_prefixes.clone(),
                    source_application_security_groups: dto.source_application_security_groups.clone(),
                    destination_application_security_groups: dto.destination_application_security_groups.clone(),
                    nested_properties: dto.nested_properties,
                    _lifetime: Default::default(),
                };
                if let Some(r) = self.rule(&rule, path) {
                    self.rules.push(Child {
                        key: normalize_id(raw_id),
                        parent: normalize_id(&parent_id(raw_id)),
                        item: r,
                    });
                }
            }
            "microsoft.network/privateendpoints" => self.private_endpoint(dto, path),
            "microsoft.network/loadbalancers" => self.load_balancer(dto, path),
            "microsoft.network/publicipaddresses" => self.public_ip(dto, path),
            "microsoft.compute/virtualmachines" => self.vm(dto, path),
            other => {
                self.resources_read -= 1;
                *self.skipped_types.entry(other.to_string()).or_default() += 1;
            }
        }
    }

    pub(crate) fn require_id(&mut self, id: &str, what: &str, path: &str) -> bool {
        if id.trim().is_empty() {
            self.diag(
                Diagnostic::warning("MissingId", format!("{what} without an `id`; skipped"))
                    .at(path)
                    .hint("every ARM resource carries its id; was the export trimmed with a query?"),
            );
            return false;
        }
        true
    }

    fn vnet(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "virtual network", path) {
            return;
        }
        let space_path = dto.path(path, "addressSpace.addressPrefixes");
        let space_texts = dto.address_space.as_ref().map(|a| strs(&a.address_prefixes)).unwrap_or_default();
        let address_space = self.prefixes(&space_texts, &space_path, &id);
        if space_texts.is_empty() {
            self.diag(
                Diagnostic::warning("EmptyAddressSpace", "virtual network has no address space")
                    .at(space_path)
                    .resource(&id),
            );
        }
        for (i, sub) in dto.subnets.iter().flatten().enumerate() {
            let p = format!("{}[{i}]", dto.path(path, "subnets"));
            self.subnet(sub, id.clone(), &p);
        }
        for (i, peering) in dto.virtual_network_peerings.iter().flatten().enumerate() {
            let p = format!("{}[{i}]", dto.path(path, "virtualNetworkPeerings"));
            self.peering(peering, id.clone(), &p);
        }
        let vnet = Vnet {
            id: ArmId::new(&id),
            name: s(&dto.name),
            location: location(&dto.location),
            address_space,
            subnets: Vec::new(),
            peerings: Vec::new(),
            origin: self.origin(path),
        };
        self.vnets.push(vnet);
    }

    fn subnet(&mut self, dto: &SubnetDto<'_>, parent: String, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "subnet", path) {
            return;
        }
        let mut texts = list(&dto.address_prefix);
        texts.extend(strs(&dto.address_prefixes));
        let prefix_path =
            dto.path(path, if dto.address_prefixes.is_some() { "addressPrefixes" } else { "addressPrefix" });
        let prefixes = self.prefixes(&texts, &prefix_path, &id);
        if texts.is_empty() {
            self.diag(
                Diagnostic::warning("SubnetWithoutPrefix", "subnet has neither `addressPrefix` nor `addressPrefixes`")
                    .at(path)
                    .resource(&id),
            );
        }
        let service_endpoints = dto
            .service_endpoints
            .iter()
            .flatten()
            .filter_map(|se| {
                let service = s(&se.service);
                if service.is_empty() {
                    return None;
                }
                let mut locations: Vec<String> = list(&se.locations).iter().map(|l| normalize_location(l)).collect();
                if locations.is_empty() {
                    locations.push("*".to_string());
                }
                locations.sort();
                Some(ServiceEndpoint { service, locations })
            })
            .collect();
        let policies = dto
            .private_endpoint_network_policies
            .as_ref()
            .map(|p| private_endpoint_policies(p.as_str()))
            .unwrap_or_default();
        let subnet = Subnet {
            id: ArmId::new(&id),
            name: s(&dto.name),
            vnet: VnetIdx(u32::MAX),
            prefixes,
            route_table: link(&dto.route_table),
            nsg: link(&dto.network_security_group),
            service_endpoints,
            private_endpoint_network_policies: policies,
            origin: self.origin(path),
        };
        let nic_refs: Vec<String> = dto
            .ip_configurations
            .iter()
            .flatten()
            .filter_map(|r| r.id.as_ref())
            .map(|cfg| normalize_id(cfg.as_str()))
            .filter(|cfg| cfg.contains("/networkinterfaces/"))
            .map(|cfg| parent_id(&cfg))
            .collect();
        let key = normalize_id(&id);
        if !nic_refs.is_empty() {
            self.subnet_nic_refs.push((key.clone(), nic_refs));
        }
        self.subnets.push(Child { key, parent: normalize_id(&parent), item: subnet });
    }

    fn peering(&mut self, dto: &PeeringDto<'_>, parent: String, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "peering", path) {
            return;
        }
        let Some(remote) = ref_id(&dto.remote_virtual_network) else {
            self.diag(
                Diagnostic::warning("PeeringWithoutRemote", "peering has no `remoteVirtualNetwork`; skipped")
                    .at(path)
                    .resource(&id),
            );
            return;
        };
        let state = match dto.peering_state.as_ref().map(|s| s.as_str().to_ascii_lowercase()) {
            Some(s) if s == "connected" => PeeringState::Connected,
            Some(s) if s == "initiated" => PeeringState::Initiated,
            Some(s) if s == "disconnected" => PeeringState::Disconnected,
            Some(other) => PeeringState::Other(other),
            None => PeeringState::Other(String::new()),
        };
        let ras_texts = dto.remote_address_space.as_ref().map(|a| strs(&a.address_prefixes)).unwrap_or_default();
        let remote_address_space =
            self.prefixes(&ras_texts, &dto.path(path, "remoteAddressSpace.addressPrefixes"), &id);
        let rvas_texts =
            dto.remote_virtual_network_address_space.as_ref().map(|a| strs(&a.address_prefixes)).unwrap_or_default();
        let remote_virtual_network_address_space =
            self.prefixes(&rvas_texts, &dto.path(path, "remoteVirtualNetworkAddressSpace.addressPrefixes"), &id);
        let peering = Peering {
            id: ArmId::new(&id),
            name: s(&dto.name),
            vnet: VnetIdx(u32::MAX),
            remote_vnet: Link::Missing(remote),
            state,
            allow_virtual_network_access: flag(dto.allow_virtual_network_access, true),
            allow_forwarded_traffic: flag(dto.allow_forwarded_traffic, false),
            allow_gateway_transit: flag(dto.allow_gateway_transit, false),
            use_remote_gateways: flag(dto.use_remote_gateways, false),
            remote_address_space,
            remote_virtual_network_address_space,
            peer_complete_vnets: flag(dto.peer_complete_vnets, true),
            local_subnet_names: list(&dto.local_subnet_names).iter().map(|x| x.to_string()).collect(),
            remote_subnet_names: list(&dto.remote_subnet_names).iter().map(|x| x.to_string()).collect(),
            origin: self.origin(path),
        };
        self.peerings.push(Child { key: normalize_id(&id), parent: normalize_id(&parent), item: peering });
    }

    fn route(&mut self, dto: &RouteDto<'_>, path: &str, table_id: &str) -> Option<Route> {
        let mut next_hop_ips: Vec<(String, String)> = list(&dto.next_hop_ip_address)
            .iter()
            .map(|t| (t.to_string(), dto.path(path, "nextHopIpAddress")))
            .collect();
        if let Some(nh) = &dto.next_hop {
            for t in list(&nh.next_hop_ip_addresses) {
                next_hop_ips.push((t.to_string(), dto.path(path, "nextHop.nextHopIpAddresses")));
            }
        }
        let fields = RouteFields {
            id: s(&dto.id),
            name: s(&dto.name),
            prefixes: list(&dto.address_prefix).iter().map(|t| t.to_string()).collect(),
            prefix_path: dto.path(path, "addressPrefix"),
            next_hop_type: s(&dto.next_hop_type),
            next_hop_type_path: dto.path(path, "nextHopType"),
            next_hop_ips,
            next_hop_ip_path: dto.path(path, "nextHopIpAddress"),
            next_hop_ip_field: "nextHopIpAddress",
            prefix_field: "addressPrefix",
            next_hop_type_field: "nextHopType",
            path: path.to_string(),
        };
        self.lower_route(fields, table_id)
    }

    /// Lowers a user route given as plain values (any dialect); reports and drops it when Azure
    /// would refuse it.
    pub(crate) fn lower_route(&mut self, f: RouteFields, table_id: &str) -> Option<Route> {
        let RouteFields {
            id,
            name,
            prefixes: prefix_texts,
            prefix_path,
            next_hop_type: nht_text,
            next_hop_type_path: nht_path,
            next_hop_ips: ip_texts,
            next_hop_ip_path,
            next_hop_ip_field,
            prefix_field,
            next_hop_type_field,
            path,
        } = f;
        let shown = if id.is_empty() { table_id.to_string() } else { id.clone() };
        let prefix = match prefix_texts.as_slice() {
            [text] => {
                let looks_like_address = text.chars().next().is_some_and(|c| c.is_ascii_digit()) || text.contains(':');
                if looks_like_address {
                    RoutePrefix::Cidr(self.prefix(text, &prefix_path, &shown)?)
                } else if text.trim().is_empty() {
                    self.diag(
                        Diagnostic::error("InvalidPrefix", format!("route `{name}` has an empty `{prefix_field}`"))
                            .at(prefix_path)
                            .resource(&shown),
                    );
                    return None;
                } else {
                    RoutePrefix::ServiceTag(text.trim().to_string())
                }
            }
            _ => {
                self.diag(
                    Diagnostic::error("InvalidPrefix", format!("route `{name}` needs exactly one `{prefix_field}`"))
                        .at(prefix_path)
                        .resource(&shown),
                );
                return None;
            }
        };
        let next_hop_type = RouteNextHopType::parse(&nht_text);
        if let RouteNextHopType::Other(text) = &next_hop_type {
            let message = if text.is_empty() {
                format!("route `{name}` has no `{next_hop_type_field}`")
            } else {
                format!("route `{name}` has an unknown next hop type `{text}`")
            };
            self.diag(
                Diagnostic::warning("UnknownNextHopType", message)
                    .at(nht_path.clone())
                    .resource(&shown)
                    .hint("azroute knows VirtualNetworkGateway, VnetLocal, Internet, VirtualAppliance, VirtualApplianceEcmp and None; the route is shown as written and traffic matching it is reported as not modelled"),
            );
        }
        let mut next_hop_ips = Vec::with_capacity(ip_texts.len());
        for (text, p) in ip_texts.iter().filter(|(t, _)| !t.trim().is_empty()) {
            match parse_ip(text) {
                Ok(ip) => next_hop_ips.push(ip),
                Err(err) => {
                    self.diag(Diagnostic::error("InvalidIpAddress", err.to_string()).at(p.clone()).resource(&shown));
                    return None;
                }
            }
        }
        let needs_ip =
            matches!(next_hop_type, RouteNextHopType::VirtualAppliance | RouteNextHopType::VirtualApplianceEcmp);
        if needs_ip && next_hop_ips.is_empty() {
            self.diag(
                Diagnostic::error(
                    "MissingNextHopIp",
                    format!("route `{name}` has next hop type {} but no next hop IP address", next_hop_type.as_str()),
                )
                .at(next_hop_ip_path)
                .resource(&shown)
                .hint(format!("Azure requires `{next_hop_ip_field}` for VirtualAppliance routes")),
            );
            return None;
        }
        if !needs_ip && !next_hop_ips.is_empty() {
            next_hop_ips.clear();
        }
        if let (RoutePrefix::Cidr(net), Some(ip)) = (&prefix, next_hop_ips.first())
            && net.addr().is_ipv4() != ip.is_ipv4()
        {
            self.diag(
                Diagnostic::warning(
                    "AddressFamilyMismatch",
                    format!("route `{name}` sends {net} to {ip}, an address of the other IP family"),
                )
                .at(next_hop_ip_path)
                .resource(&shown),
            );
        }
        Some(Route {
            id: ArmId::new(if id.is_empty() { format!("{table_id}/routes/{name}") } else { id }),
            name,
            prefix,
            next_hop_type,
            next_hop_ips,
            origin: self.origin(&path),
        })
    }

    fn route_table(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "route table", path) {
            return;
        }
        let mut routes = Vec::with_capacity(dto.routes.as_ref().map_or(0, |r| r.len()));
        for (i, r) in dto.routes.iter().flatten().enumerate() {
            let p = format!("{}[{i}]", dto.path(path, "routes"));
            if let Some(route) = self.route(r, &p, &id) {
                routes.push(route);
            }
        }
        let disable_peering_routes =
            dto.disable_peering_route.as_ref().is_some_and(|v| v.as_str().eq_ignore_ascii_case("All"));
        let rt = RouteTable {
            id: ArmId::new(&id),
            name: s(&dto.name),
            location: location(&dto.location),
            disable_bgp_route_propagation: flag(dto.disable_bgp_route_propagation, false),
            disable_peering_routes,
            routes,
            origin: self.origin(path),
        };
        self.route_tables.push(rt);
    }

    /// `path` makes the JSON path of the configuration, needed only for a diagnostic.
    fn ip_config(&mut self, dto: &IpConfigDto<'_>, path: &dyn Fn() -> String, owner: &str) -> IpConfig {
        let id = s(&dto.id);
        let private_ip = match &dto.private_ip_address {
            Some(text) => match parse_ip(text.as_str().split('/').next().unwrap_or("").trim()) {
                Ok(ip) => Some(ip),
                Err(_) => self.ip(text.as_str(), &dto.path(&path(), "privateIPAddress"), owner),
            },
            None => None,
        };
        IpConfig {
            id: ArmId::new(id),
            name: s(&dto.name),
            private_ip,
            subnet: link(&dto.subnet),
            public_ip: link(&dto.public_ip_address),
            primary: flag(dto.primary, false),
            application_security_groups: dto
                .application_security_groups
                .iter()
                .flatten()
                .filter_map(|r| r.id.as_ref().map(|id| normalize_id(id.as_str())))
                .collect(),
        }
    }

    fn nic(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "network interface", path) {
            return;
        }
        let mut ip_configs = Vec::with_capacity(dto.ip_configurations.as_ref().map_or(0, |c| c.len()));
        for (i, c) in dto.ip_configurations.iter().flatten().enumerate() {
            let p = || format!("{}[{i}]", dto.path(path, "ipConfigurations"));
            ip_configs.push(self.ip_config(c, &p, &id));
        }
        if ip_configs.is_empty() {
            self.diag(
                Diagnostic::warning("NicWithoutIpConfiguration", "network interface has no IP configuration")
                    .at(dto.path(path, "ipConfigurations"))
                    .resource(&id)
                    .hint("Azure requires at least one; the NIC is kept but has no subnet and no routes"),
            );
        }
        if ip_configs.len() > 1 && !ip_configs.iter().any(|c| c.primary) {
            ip_configs[0].primary = true;
        }
        let nic = Nic {
            id: ArmId::new(id),
            name: s(&dto.name),
            location: location(&dto.location),
            ip_forwarding: flag(dto.enable_ip_forwarding, false),
            nsg: link(&dto.network_security_group),
            vm: link(&dto.virtual_machine),
            primary: dto.primary.map(|f| f.0),
            ip_configs,
            private_endpoint: ref_id(&dto.private_endpoint),
            origin: self.origin(path),
        };
        self.nics.push(nic);
    }

    fn vm(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "virtual machine", path) {
            return;
        }
        let refs: Vec<&RefDto<'_>> =
            dto.network_profile.as_ref().and_then(|p| p.network_interfaces.as_ref()).into_iter().flatten().collect();
        let mut nics: Vec<Link<NicIdx>> = Vec::with_capacity(refs.len());
        nics.extend(refs.iter().filter_map(|r| r.id.as_ref()).map(|id| Link::Missing(ArmId::new(id.as_str()))));
        let primary_nic = refs.iter().position(|r| r.primary.is_some_and(|f| f.0)).unwrap_or(0);
        let mut power_state = dto
            .instance_view
            .as_ref()
            .and_then(|v| v.statuses.as_ref())
            .into_iter()
            .flatten()
            .filter_map(|st| st.code.as_ref())
            .find(|c| c.as_str().starts_with("PowerState/"))
            .map(|c| c.as_str().to_string());
        if power_state.is_none() {
            power_state = dto.power_state.as_ref().map(|p| p.as_str().to_string());
        }
        let vm = Vm {
            id: ArmId::new(id),
            name: s(&dto.name),
            location: location(&dto.location),
            nics,
            primary_nic,
            power_state,
            origin: self.origin(path),
        };
        self.vms.push(vm);
    }

    fn gateway(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "virtual network gateway", path) {
            return;
        }
        let gateway_type = match s(&dto.gateway_type).to_ascii_lowercase().as_str() {
            "vpn" => GatewayType::Vpn,
            "expressroute" => GatewayType::ExpressRoute,
            "localgateway" => GatewayType::LocalGateway,
            "" => GatewayType::Vpn,
            other => GatewayType::Other(other.to_string()),
        };
        let mut instance_ips: Vec<IpAddr> = Vec::new();
        let mut vnet_subnet: Option<ArmId> = None;
        let mut config_ips = Vec::new();
        for (i, c) in dto.ip_configurations.iter().flatten().enumerate() {
            let p = || format!("{}[{i}]", dto.path(path, "ipConfigurations"));
            let cfg = self.ip_config(c, &p, &id);
            if vnet_subnet.is_none() {
                vnet_subnet = cfg.subnet.as_ref().and_then(|l| l.missing().cloned());
            }
            config_ips.extend(cfg.private_ip);
        }
        if let Some(bgp) = &dto.bgp_settings {
            for addr in bgp.bgp_peering_addresses.iter().flatten() {
                for text in list(&addr.default_bgp_ip_addresses) {
                    if let Ok(ip) = parse_ip(text)
                        && !instance_ips.contains(&ip)
                    {
                        instance_ips.push(ip);
                    }
                }
            }
            if instance_ips.is_empty() {
                // Active-active gateways write both instances comma-separated.
                for text in s(&bgp.bgp_peering_address).split(',') {
                    if let Ok(ip) = parse_ip(text)
                        && !instance_ips.contains(&ip)
                    {
                        instance_ips.push(ip);
                    }
                }
            }
        }
        if instance_ips.is_empty() {
            instance_ips = config_ips;
        }
        let pool_texts = dto
            .vpn_client_configuration
            .as_ref()
            .and_then(|c| c.vpn_client_address_pool.as_ref())
            .map(|a| strs(&a.address_prefixes))
            .unwrap_or_default();
        let vpn_client_address_pool = self.prefixes(
            &pool_texts,
            &dto.path(path, "vpnClientConfiguration.vpnClientAddressPool.addressPrefixes"),
            &id,
        );
        // The gateway's VNet is the parent of its GatewaySubnet.
        let vnet = vnet_subnet.map(|subnet| Link::Missing(ArmId::new(parent_id(subnet.as_str()))));
        let gw = VnetGateway {
            id: ArmId::new(&id),
            name: s(&dto.name),
            location: location(&dto.location),
            gateway_type,
            vpn_type: s(&dto.vpn_type),
            sku: dto.sku.as_ref().map(|k| s(&k.name)).unwrap_or_default(),
            active_active: flag(dto.active_active, false),
            bgp_enabled: flag(dto.enable_bgp, false),
            vnet,
            instance_ips,
            vpn_client_address_pool,
            learned_routes: Vec::new(),
            learned_routes_supplied: false,
            provisioning_state: s(&dto.provisioning_state),
            origin: self.origin(path),
        };
        self.gateways.push(gw);
    }

    fn local_gateway(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "local network gateway", path) {
            return;
        }
        let texts = dto.local_network_address_space.as_ref().map(|a| strs(&a.address_prefixes)).unwrap_or_default();
        let space_path = dto.path(path, "localNetworkAddressSpace.addressPrefixes");
        let mut prefixes = self.prefixes(&texts, &space_path, &id);
        if prefixes.iter().any(|p| matches!(p, IpNet::V6(_))) {
            self.diag(
                Diagnostic::warning(
                    "Ipv6WhereIpv4Expected",
                    "local network gateway lists an IPv6 prefix; Azure VPN gateways are IPv4-only, so it is ignored",
                )
                .at(space_path)
                .resource(&id),
            );
            prefixes.retain(|p| matches!(p, IpNet::V4(_)));
        }
        let bgp_peering_address = dto
            .bgp_settings
            .as_ref()
            .and_then(|b| b.bgp_peering_address.as_ref())
            .and_then(|t| parse_ip(t.as_str()).ok());
        let lng = LocalNetworkGateway {
            id: ArmId::new(&id),
            name: s(&dto.name),
            prefixes,
            gateway_ip: s(&dto.gateway_ip_address),
            bgp_peering_address,
            origin: self.origin(path),
        };
        self.local_gateways.push(lng);
    }

    fn connection(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "connection", path) {
            return;
        }
        let connection_type = match s(&dto.connection_type).to_ascii_lowercase().as_str() {
            "ipsec" => ConnectionType::IPsec,
            "vnet2vnet" => ConnectionType::Vnet2Vnet,
            "expressroute" => ConnectionType::ExpressRoute,
            "vpnclient" => ConnectionType::VPNClient,
            other => ConnectionType::Other(other.to_string()),
        };
        let conn = Connection {
            id: ArmId::new(&id),
            name: s(&dto.name),
            connection_type,
            gateway1: link(&dto.virtual_network_gateway1),
            gateway2: link(&dto.virtual_network_gateway2),
            local_gateway2: link(&dto.local_network_gateway2),
            status: s(&dto.connection_status),
            enable_bgp: flag(dto.enable_bgp, false),
            origin: self.origin(path),
        };
        self.connections.push(conn);
    }

    fn address_patterns(&mut self, texts: &[&str], path: &str, id: &str) -> Option<Vec<AddressPattern>> {
        let mut out = Vec::with_capacity(texts.len());
        for text in texts {
            let t = text.trim();
            if t.is_empty() {
                continue;
            }
            if t == "*" || t.eq_ignore_ascii_case("Any") {
                out.push(AddressPattern::Any);
            } else if t.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && !t.contains(':') {
                out.push(AddressPattern::Tag(t.to_string()));
            } else {
                match parse_prefix_lenient(t) {
                    Ok(net) => out.push(AddressPattern::Prefix(net)),
                    Err(PrefixError::HostBitsSet { canonical, .. }) => {
                        self.diag(
                            Diagnostic::warning(
                                "HostBitsSet",
                                format!("security rule prefix `{t}` has host bits set; matched as `{canonical}`"),
                            )
                            .at(path)
                            .resource(id),
                        );
                        out.push(AddressPattern::Prefix(canonical));
                    }
                    Err(err) => {
                        let hint = err.hint();
                        self.diag(
                            Diagnostic::error("InvalidPrefix", err.to_string()).at(path).resource(id).maybe_hint(hint),
                        );
                        return None;
                    }
                }
            }
        }
        Some(out)
    }

    fn ports(&mut self, texts: &[&str], path: &str, id: &str) -> Option<Vec<PortRange>> {
        let mut out = Vec::with_capacity(texts.len().max(1));
        for text in texts.iter().filter(|t| !t.trim().is_empty()) {
            match PortRange::parse(text) {
                Some(range) => out.push(range),
                None => {
                    self.diag(
                        Diagnostic::error("InvalidPortRange", format!("`{text}` is not a port, port range or `*`"))
                            .at(path)
                            .resource(id)
                            .hint("ports are 0-65535, written `80`, `1000-2000` or `*`"),
                    );
                    return None;
                }
            }
        }
        if out.is_empty() {
            out.push(PortRange::ALL);
        }
        Some(out)
    }

    fn rule(&mut self, dto: &RuleDto<'_>, path: &str) -> Option<SecurityRule> {
        let mut sources: Vec<String> = dto.source_address_prefix.iter().map(|x| x.as_str().to_string()).collect();
        sources.extend(list(&dto.source_address_prefixes).iter().map(|x| x.to_string()));
        let mut destinations: Vec<String> =
            dto.destination_address_prefix.iter().map(|x| x.as_str().to_string()).collect();
        destinations.extend(list(&dto.destination_address_prefixes).iter().map(|x| x.to_string()));
        let mut source_ports: Vec<String> = dto.source_port_range.iter().map(|x| x.as_str().to_string()).collect();
        source_ports.extend(list(&dto.source_port_ranges).iter().map(|x| x.to_string()));
        let mut destination_ports: Vec<String> =
            dto.destination_port_range.iter().map(|x| x.as_str().to_string()).collect();
        destination_ports.extend(list(&dto.destination_port_ranges).iter().map(|x| x.to_string()));
        let asgs = |v: &Option<Vec<RefDto<'_>>>| -> Vec<String> {
            v.iter().flatten().filter_map(|r| r.id.as_ref().map(|id| id.as_str().to_string())).collect()
        };
        let fields = RuleFields {
            id: s(&dto.id),
            name: s(&dto.name),
            protocol: s(&dto.protocol),
            access: s(&dto.access),
            direction: s(&dto.direction),
            priority: dto.priority,
            sources,
            destinations,
            source_ports,
            destination_ports,
            source_asgs: asgs(&dto.source_application_security_groups),
            destination_asgs: asgs(&dto.destination_application_security_groups),
            paths: RulePaths {
                object: path.to_string(),
                protocol: dto.path(path, "protocol"),
                access: dto.path(path, "access"),
                direction: dto.path(path, "direction"),
                priority: dto.path(path, "priority"),
                source: dto.path(path, "sourceAddressPrefix"),
                destination: dto.path(path, "destinationAddressPrefix"),
                source_port: dto.path(path, "sourcePortRange"),
                destination_port: dto.path(path, "destinationPortRange"),
            },
        };
        self.lower_rule(fields)
    }

    /// Lowers a security rule given as plain values (any dialect); reports and drops it when
    /// Azure would refuse it.
    pub(crate) fn lower_rule(&mut self, f: RuleFields) -> Option<SecurityRule> {
        let RuleFields {
            id,
            name,
            protocol: protocol_text,
            access,
            direction,
            priority,
            sources: src_texts,
            destinations: dst_texts,
            source_ports,
            destination_ports,
            source_asgs,
            destination_asgs,
            paths,
        } = f;
        let shown = if id.is_empty() { name.clone() } else { id.clone() };
        let Some(protocol) = RuleProtocol::parse(&protocol_text) else {
            self.diag(
                Diagnostic::error(
                    "InvalidProtocol",
                    format!("security rule `{name}` has an unknown protocol `{protocol_text}`"),
                )
                .at(paths.protocol)
                .resource(&shown)
                .hint("Azure allows Tcp, Udp, Icmp, Esp, Ah and *"),
            );
            return None;
        };
        let direction = match direction.to_ascii_lowercase().as_str() {
            "inbound" => Direction::Inbound,
            "outbound" => Direction::Outbound,
            other => {
                self.diag(
                    Diagnostic::error("InvalidDirection", format!("security rule `{name}` has direction `{other}`"))
                        .at(paths.direction)
                        .resource(&shown)
                        .hint("use Inbound or Outbound"),
                );
                return None;
            }
        };
        let access = match access.to_ascii_lowercase().as_str() {
            "allow" => Access::Allow,
            "deny" => Access::Deny,
            other => {
                self.diag(
                    Diagnostic::error("InvalidAccess", format!("security rule `{name}` has access `{other}`"))
                        .at(paths.access)
                        .resource(&shown)
                        .hint("use Allow or Deny"),
                );
                return None;
            }
        };
        let priority = match priority {
            Some(p) if (100..=4096).contains(&p) => p as u32,
            Some(p) => {
                self.diag(
                    Diagnostic::warning(
                        "PriorityOutOfRange",
                        format!("security rule `{name}` has priority {p}; Azure allows 100 to 4096"),
                    )
                    .at(paths.priority)
                    .resource(&shown),
                );
                p.clamp(0, u32::MAX as i64) as u32
            }
            None => {
                self.diag(
                    Diagnostic::error("MissingPriority", format!("security rule `{name}` has no priority"))
                        .at(paths.object.clone())
                        .resource(&shown),
                );
                return None;
            }
        };
        let src_refs: Vec<&str> = src_texts.iter().map(|t| t.as_str()).collect();
        let dst_refs: Vec<&str> = dst_texts.iter().map(|t| t.as_str()).collect();
        let sources = self.address_patterns(&src_refs, &paths.source, &shown)?;
        let destinations = self.address_patterns(&dst_refs, &paths.destination, &shown)?;
        let sport_refs: Vec<&str> = source_ports.iter().map(|t| t.as_str()).collect();
        let dport_refs: Vec<&str> = destination_ports.iter().map(|t| t.as_str()).collect();
        let source_ports = self.ports(&sport_refs, &paths.source_port, &shown)?;
        let destination_ports = self.ports(&dport_refs, &paths.destination_port, &shown)?;
        let normalize = |v: Vec<String>| -> Vec<String> {
            v.iter().filter(|id| !id.trim().is_empty()).map(|id| normalize_id(id)).collect()
        };
        Some(SecurityRule {
            id: ArmId::new(&id),
            name,
            priority,
            direction,
            access,
            protocol,
            sources,
            destinations,
            source_asgs: normalize(source_asgs),
            destination_asgs: normalize(destination_asgs),
            source_ports,
            destination_ports,
            source_text: src_texts,
            destination_text: dst_texts,
            origin: self.origin(&paths.object),
        })
    }

    fn nsg(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "network security group", path) {
            return;
        }
        let mut rules = Vec::with_capacity(dto.security_rules.as_ref().map_or(0, |r| r.len()));
        for (i, r) in dto.security_rules.iter().flatten().enumerate() {
            let p = format!("{}[{i}]", dto.path(path, "securityRules"));
            if let Some(rule) = self.rule(r, &p) {
                rules.push(rule);
            }
        }
        let nsg = Nsg {
            id: ArmId::new(&id),
            name: s(&dto.name),
            location: location(&dto.location),
            rules,
            origin: self.origin(path),
        };
        self.nsgs.push(nsg);
    }

    fn private_endpoint(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "private endpoint", path) {
            return;
        }
        let mut ips: Vec<IpAddr> = Vec::new();
        for (i, c) in dto.ip_configurations.iter().flatten().enumerate() {
            let p = || format!("{}[{i}]", dto.path(path, "ipConfigurations"));
            if let Some(ip) = self.ip_config(c, &p, &id).private_ip
                && !ips.contains(&ip)
            {
                ips.push(ip);
            }
        }
        for cfg in dto.custom_dns_configs.iter().flatten() {
            for text in list(&cfg.ip_addresses) {
                if let Ok(ip) = parse_ip(text)
                    && !ips.contains(&ip)
                {
                    ips.push(ip);
                }
            }
        }
        let mut group_ids: Vec<String> = Vec::new();
        for conn in dto
            .private_link_service_connections
            .iter()
            .chain(dto.manual_private_link_service_connections.iter())
            .flatten()
        {
            group_ids.extend(list(&conn.group_ids).iter().map(|g| g.to_string()));
        }
        let nic = dto
            .network_interfaces
            .as_ref()
            .and_then(|v| v.first())
            .and_then(|r| r.id.as_ref())
            .map(|id| Link::Missing(ArmId::new(id.as_str())));
        let pe = PrivateEndpoint {
            id: ArmId::new(&id),
            name: s(&dto.name),
            subnet: link(&dto.subnet),
            ips,
            nic,
            group_ids,
            origin: self.origin(path),
        };
        self.private_endpoints.push(pe);
    }

    fn load_balancer(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "load balancer", path) {
            return;
        }
        let mut frontends = Vec::new();
        for (i, c) in dto.frontend_ip_configurations.iter().flatten().enumerate() {
            let p = || format!("{}[{i}]", dto.path(path, "frontendIPConfigurations"));
            let cfg = self.ip_config(c, &p, &id);
            frontends.push(LbFrontend { name: cfg.name, private_ip: cfg.private_ip, subnet: cfg.subnet });
        }
        let mut backend_nics: Vec<Link<NicIdx>> = Vec::new();
        for pool in dto.backend_address_pools.iter().flatten() {
            for r in pool.backend_ip_configurations.iter().flatten() {
                if let Some(cfg_id) = &r.id {
                    let nic_id = ArmId::new(parent_id(cfg_id.as_str()));
                    let l = Link::Missing(nic_id);
                    if !backend_nics.contains(&l) {
                        backend_nics.push(l);
                    }
                }
            }
        }
        let lb = LoadBalancer {
            id: ArmId::new(&id),
            name: s(&dto.name),
            sku: dto.sku.as_ref().map(|k| s(&k.name)).unwrap_or_default(),
            frontends,
            backend_nics,
            origin: self.origin(path),
        };
        self.load_balancers.push(lb);
    }

    fn public_ip(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "public IP address", path) {
            return;
        }
        let ip = dto.ip_address.as_ref().and_then(|t| parse_ip(t.as_str()).ok());
        let pip = PublicIp { id: ArmId::new(&id), name: s(&dto.name), ip, origin: self.origin(path) };
        self.public_ips.push(pip);
    }

    /// Lowers the `values` list of a Service Tags file.
    pub fn service_tags(&mut self, tags: Vec<ServiceTagDto<'_>>, change_number: i64, cloud: String, path: &str) {
        let mut out = ServiceTags { change_number, cloud, tags: Vec::with_capacity(tags.len()) };
        for (i, tag) in tags.iter().enumerate() {
            let name = s(&tag.name);
            let mut prefixes = Vec::new();
            for text in list(&tag.address_prefixes) {
                match parse_prefix(text) {
                    Ok(net) => prefixes.push(net),
                    Err(PrefixError::HostBitsSet { canonical, .. }) => prefixes.push(canonical),
                    Err(err) => self.diag(
                        Diagnostic::warning("InvalidPrefix", format!("service tag `{name}`: {err}"))
                            .at(format!("{path}.values[{i}].properties.addressPrefixes")),
                    ),
                }
            }
            out.tags.push(ServiceTag {
                name,
                region: normalize_location(&s(&tag.region)),
                system_service: s(&tag.system_service),
                prefixes,
            });
        }
        let origin = self.origin(path);
        self.service_tags.push((out, origin));
    }

    /// Lowers a learned-routes wrapper.
    pub fn learned_routes(&mut self, gateway_id: String, routes: Vec<LearnedRouteDto<'_>>, path: &str) {
        let mut out = Vec::new();
        for (i, r) in routes.iter().enumerate() {
            let p = format!("{path}.learnedRoutes[{i}].network");
            let Some(network) = self.prefix(&s(&r.network), &p, &gateway_id) else {
                continue;
            };
            out.push(LearnedRoute {
                network,
                next_hop: r.next_hop.as_ref().and_then(|t| parse_ip(t.as_str()).ok()),
                origin: s(&r.origin),
                as_path: s(&r.as_path),
                source_peer: s(&r.source_peer),
                weight: r.weight.unwrap_or(0),
            });
        }
        let origin = self.origin(path);
        self.learned.push(PendingLearned { gateway_id, routes: out, origin });
    }

    /// Whether nothing has been read into this yet.
    pub fn is_empty(&self) -> bool {
        let Pending {
            file: _,
            file_path: _,
            vnets,
            subnets,
            peerings,
            route_tables,
            routes,
            nics,
            vms,
            gateways,
            local_gateways,
            connections,
            nsgs,
            rules,
            private_endpoints,
            load_balancers,
            public_ips,
            service_tags,
            learned,
            subnet_nic_refs,
            deleted,
            unchanged,
            associations,
            unpaired_peerings,
            diagnostics,
            skipped_types,
            untyped_objects,
            resources_read,
        } = self;
        vnets.is_empty()
            && subnets.is_empty()
            && peerings.is_empty()
            && route_tables.is_empty()
            && routes.is_empty()
            && nics.is_empty()
            && vms.is_empty()
            && gateways.is_empty()
            && local_gateways.is_empty()
            && connections.is_empty()
            && nsgs.is_empty()
            && rules.is_empty()
            && private_endpoints.is_empty()
            && load_balancers.is_empty()
            && public_ips.is_empty()
            && service_tags.is_empty()
            && learned.is_empty()
            && subnet_nic_refs.is_empty()
            && deleted.is_empty()
            && unchanged.is_empty()
            && associations.is_empty()
            && unpaired_peerings.is_empty()
            && diagnostics.is_empty()
            && skipped_types.is_empty()
            && *untyped_objects == 0
            && *resources_read == 0
    }

    /// Returns the spare capacity of the resource vectors (a file's vectors grow by doubling;
    /// they are kept until every file is read).
    pub fn shrink_to_fit(&mut self) {
        self.vnets.shrink_to_fit();
        self.subnets.shrink_to_fit();
        self.peerings.shrink_to_fit();
        self.route_tables.shrink_to_fit();
        self.routes.shrink_to_fit();
        self.nics.shrink_to_fit();
        self.vms.shrink_to_fit();
        self.nsgs.shrink_to_fit();
        self.rules.shrink_to_fit();
        self.private_endpoints.shrink_to_fit();
    }

    /// Merges every file's results, one kind of resource at a time: each kind's vectors are
    /// freed as soon as they are moved, so the estate is never held twice.
    pub fn merge(mut parts: Vec<Pending>) -> Pending {
        let mut all = Pending::default();
        macro_rules! merge {
            ($($field:ident),*) => {$(
                all.$field.reserve_exact(parts.iter().map(|p| p.$field.len()).sum());
                for p in parts.iter_mut() {
                    all.$field.append(&mut p.$field);
                    p.$field = Vec::new();
                }
            )*};
        }
        merge!(
            vnets,
            subnets,
            peerings,
            route_tables,
            routes,
            nics,
            vms,
            gateways,
            local_gateways,
            connections,
            nsgs,
            rules,
            private_endpoints,
            load_balancers,
            public_ips,
            service_tags,
            learned,
            subnet_nic_refs,
            deleted,
            unchanged,
            associations,
            unpaired_peerings,
            diagnostics
        );
        for p in parts {
            for (ty, n) in p.skipped_types {
                *all.skipped_types.entry(ty).or_default() += n;
            }
            all.untyped_objects += p.untyped_objects;
            all.resources_read += p.resources_read;
        }
        all
    }

    /// Lays `overlay` over this (the base): the overlay's copies of resources it leaves
    /// unchanged are dropped where the base has them (the live copy stays), then every base
    /// resource the overlay replaces (same normalised id) or deletes (with the children of
    /// deleted parents) is removed, so that absorbing the overlay afterwards yields the
    /// overlaid estate.
    pub fn overlay_with(&mut self, overlay: &mut Pending) {
        use std::collections::HashSet;
        if !overlay.unchanged.is_empty() {
            let unchanged: HashSet<String> = overlay.unchanged.iter().cloned().collect();
            fn keep_keyed<T: HasOrigin>(over: &mut Vec<T>, base: &[T], unchanged: &HashSet<String>) {
                let in_base: HashSet<String> = base.iter().map(|k| normalize_id(k.id_str())).collect();
                over.retain(|k| {
                    let key = normalize_id(k.id_str());
                    !(unchanged.contains(&key) && in_base.contains(&key))
                });
            }
            fn keep_child<T>(over: &mut Vec<Child<T>>, base: &[Child<T>], unchanged: &HashSet<String>) {
                let in_base: HashSet<&str> = base.iter().map(|k| k.key.as_str()).collect();
                over.retain(|k| !(unchanged.contains(&k.key) && in_base.contains(k.key.as_str())));
            }
            keep_keyed(&mut overlay.vnets, &self.vnets, &unchanged);
            keep_child(&mut overlay.subnets, &self.subnets, &unchanged);
            keep_child(&mut overlay.peerings, &self.peerings, &unchanged);
            keep_keyed(&mut overlay.route_tables, &self.route_tables, &unchanged);
            keep_child(&mut overlay.routes, &self.routes, &unchanged);
            keep_keyed(&mut overlay.nics, &self.nics, &unchanged);
            keep_keyed(&mut overlay.vms, &self.vms, &unchanged);
            keep_keyed(&mut overlay.gateways, &self.gateways, &unchanged);
            keep_keyed(&mut overlay.local_gateways, &self.local_gateways, &unchanged);
            keep_keyed(&mut overlay.connections, &self.connections, &unchanged);
            keep_keyed(&mut overlay.nsgs, &self.nsgs, &unchanged);
            keep_child(&mut overlay.rules, &self.rules, &unchanged);
            keep_keyed(&mut overlay.private_endpoints, &self.private_endpoints, &unchanged);
            keep_keyed(&mut overlay.load_balancers, &self.load_balancers, &unchanged);
            keep_keyed(&mut overlay.public_ips, &self.public_ips, &unchanged);
            // Inline children of a base route table or NSG are inside it; standalone ones may be
            // exported separately: either way the base keeps them.
            overlay.unpaired_peerings.retain(|u| !unchanged.contains(&u.key));
        }
        self.remove_replaced_by(overlay);
    }

    /// Drops what `overlay` replaces (same normalised id) or deletes (with the children of
    /// deleted parents).
    fn remove_replaced_by(&mut self, overlay: &Pending) {
        use std::collections::HashSet;
        let deleted: HashSet<&str> = overlay.deleted.iter().map(String::as_str).collect();
        fn keyed<T: HasOrigin>(items: &mut Vec<T>, over: &[T], deleted: &HashSet<&str>) {
            let replaced: HashSet<String> = over.iter().map(|k| normalize_id(k.id_str())).collect();
            items.retain(|k| {
                let key = normalize_id(k.id_str());
                !replaced.contains(&key) && !deleted.contains(key.as_str())
            });
        }
        fn child<T>(items: &mut Vec<Child<T>>, over: &[Child<T>], deleted: &HashSet<&str>) {
            let replaced: HashSet<&str> = over.iter().map(|k| k.key.as_str()).collect();
            items.retain(|k| {
                !replaced.contains(k.key.as_str())
                    && !deleted.contains(k.key.as_str())
                    && !deleted.contains(k.parent.as_str())
            });
        }
        keyed(&mut self.vnets, &overlay.vnets, &deleted);
        child(&mut self.subnets, &overlay.subnets, &deleted);
        child(&mut self.peerings, &overlay.peerings, &deleted);
        keyed(&mut self.route_tables, &overlay.route_tables, &deleted);
        child(&mut self.routes, &overlay.routes, &deleted);
        keyed(&mut self.nics, &overlay.nics, &deleted);
        keyed(&mut self.vms, &overlay.vms, &deleted);
        keyed(&mut self.gateways, &overlay.gateways, &deleted);
        keyed(&mut self.local_gateways, &overlay.local_gateways, &deleted);
        keyed(&mut self.connections, &overlay.connections, &deleted);
        keyed(&mut self.nsgs, &overlay.nsgs, &deleted);
        child(&mut self.rules, &overlay.rules, &deleted);
        keyed(&mut self.private_endpoints, &overlay.private_endpoints, &deleted);
        keyed(&mut self.load_balancers, &overlay.load_balancers, &deleted);
        keyed(&mut self.public_ips, &overlay.public_ips, &deleted);
        // Children of a deleted or replaced parent that the base holds inline go with it (a
        // replaced route table brings its own routes); standalone children were handled above.
        let gone: HashSet<&str> = deleted.iter().copied().collect();
        self.subnet_nic_refs.retain(|(subnet, _)| !gone.contains(subnet.as_str()));
        if !overlay.service_tags.is_empty() {
            self.service_tags.clear();
        }
    }

    /// Appends everything read from another file.
    pub fn absorb(&mut self, other: Pending) {
        self.vnets.extend(other.vnets);
        self.subnets.extend(other.subnets);
        self.peerings.extend(other.peerings);
        self.route_tables.extend(other.route_tables);
        self.routes.extend(other.routes);
        self.nics.extend(other.nics);
        self.vms.extend(other.vms);
        self.gateways.extend(other.gateways);
        self.local_gateways.extend(other.local_gateways);
        self.connections.extend(other.connections);
        self.nsgs.extend(other.nsgs);
        self.rules.extend(other.rules);
        self.private_endpoints.extend(other.private_endpoints);
        self.load_balancers.extend(other.load_balancers);
        self.public_ips.extend(other.public_ips);
        self.service_tags.extend(other.service_tags);
        self.learned.extend(other.learned);
        self.subnet_nic_refs.extend(other.subnet_nic_refs);
        self.deleted.extend(other.deleted);
        self.unchanged.extend(other.unchanged);
        self.associations.extend(other.associations);
        self.unpaired_peerings.extend(other.unpaired_peerings);
        self.diagnostics.extend(other.diagnostics);
        for (ty, n) in other.skipped_types {
            *self.skipped_types.entry(ty).or_default() += n;
        }
        self.untyped_objects += other.untyped_objects;
        self.resources_read += other.resources_read;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_and_type_come_from_ids() {
        assert_eq!(
            parent_id("/s/x/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a"),
            "/s/x/rg/providers/Microsoft.Network/virtualNetworks/v"
        );
        assert_eq!(
            type_from_id("resourceGroups/t/providers/Microsoft.Network/virtualNetworks/v/subnets/a").as_deref(),
            Some("microsoft.network/virtualnetworks/subnets")
        );
        assert_eq!(type_from_id("testId"), None);
        assert_eq!(normalize_location("East US 2"), "eastus2");
    }
}
