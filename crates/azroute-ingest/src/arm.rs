//! Lowering of ARM JSON (REST, az CLI, Resource Graph): one parsed object at a time into model
//! resources whose references are still unresolved ids (`Link::Missing`), plus diagnostics for
//! values Azure would refuse.

use std::net::IpAddr;

use azroute_model::*;

use crate::checks::{MissingId, Named};
use crate::diag::Diagnostic;
use crate::dto::*;
use crate::pending::{Child, Pending, PendingLearned};
use crate::values::*;

pub(crate) fn s(v: &Option<Str<'_>>) -> String {
    v.as_ref().map(|x| x.as_str().to_string()).unwrap_or_default()
}

pub(crate) fn list<'s>(v: &'s Option<StrList<'_>>) -> Vec<&'s str> {
    v.as_ref().map(|l| l.0.iter().map(|x| x.as_str()).collect()).unwrap_or_default()
}

fn strs<'s>(v: &'s Option<Vec<Str<'_>>>) -> Vec<&'s str> {
    v.as_ref().map(|l| l.iter().map(|x| x.as_str()).collect()).unwrap_or_default()
}

fn flag(v: Option<Flag>, default: bool) -> bool {
    v.map(|f| f.0).unwrap_or(default)
}

/// A reference's id (shared with the file's other references to it: see [`crate::shared_ids`]).
pub(crate) fn ref_id(r: &Option<RefDto<'_>>) -> Option<ArmId> {
    r.as_ref()
        .and_then(|r| r.id.as_ref())
        .filter(|id| !id.as_str().trim().is_empty())
        .map(|id| crate::shared_ids::referenced_id(id.as_str()))
}

pub(crate) fn link<T>(r: &Option<RefDto<'_>>) -> Option<Link<T>> {
    ref_id(r).map(Link::Missing)
}

/// [`normalize_location`] of an optional field.
fn location(v: &Option<Str<'_>>) -> String {
    normalize_location(v.as_ref().map_or("", |x| x.as_str()))
}

impl Pending {
    /// Lowers one top-level (or nested, standalone-shaped) resource object.
    pub fn resource(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let raw_id = dto.id.as_ref().map_or("", |x| x.as_str());
        // The type, lower-cased on the stack (no allocation for the types azroute reads).
        let mut buffer = [0u8; 80];
        let from_id;
        let ty: &str = match &dto.resource_type {
            // A virtual WAN's `properties.type` (`Standard`) merged over the resource type.
            Some(t) if !t.as_str().contains('/') && type_from_id(raw_id).is_some() => {
                from_id = type_from_id(raw_id).unwrap_or_default();
                &from_id
            }
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
                let sub = subnet_dto(dto);
                let parent = parent_id(raw_id);
                self.subnet(&sub, parent, path);
            }
            "microsoft.network/virtualnetworks/virtualnetworkpeerings" => {
                let peering = peering_dto(dto);
                let parent = parent_id(raw_id);
                self.peering(&peering, parent, path);
            }
            "microsoft.network/networkinterfaces"
            // A uniform scale set's instance NICs, as the REST API lists them (§17.3).
            | "microsoft.compute/virtualmachinescalesets/virtualmachines/networkinterfaces"
            | "microsoft.compute/virtualmachinescalesets/networkinterfaces" => self.nic(dto, path),
            "microsoft.network/routetables" => self.route_table(dto, path),
            "microsoft.network/routetables/routes" => {
                let route = route_dto(dto);
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
                let rule = rule_dto(dto);
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
            "microsoft.network/azurefirewalls" => self.firewall(dto, path),
            "microsoft.network/firewallpolicies" => self.firewall_policy(dto, path),
            "microsoft.network/firewallpolicies/rulecollectiongroups" => self.rule_collection_group(dto, path, raw_id),
            "microsoft.network/ipgroups" => self.ip_group(dto, path),
            "microsoft.network/virtualhubs" => self.virtual_hub(dto, path),
            "microsoft.network/virtualhubs/ipconfigurations" => self.hub_ip_configuration(dto, raw_id),
            "microsoft.network/virtualhubs/bgpconnections" => self.bgp_connection(dto, path, raw_id),
            "microsoft.compute/virtualmachines" => self.vm(dto, path),
            "microsoft.network/natgateways" => self.nat_gateway(dto, path),
            "microsoft.network/publicipprefixes" => self.public_ip_prefix(dto, path),
            "microsoft.network/applicationgateways" => self.application_gateway(dto, path),
            "microsoft.network/bastionhosts" => self.bastion_host(dto, path),
            "microsoft.network/dnsresolvers/inboundendpoints" => self.dns_inbound_endpoint(dto, path),
            "microsoft.compute/virtualmachinescalesets" => self.scale_set(dto, path),
            avnm if avnm.starts_with("microsoft.network/networkmanagers/") && self.avnm_resource(avnm, dto, path) => {}
            vwan if self.vwan_resource(vwan, dto, path) => {}
            other => {
                self.resources_read -= 1;
                *self.skipped_types.entry(other.to_string()).or_default() += 1;
            }
        }
    }

    pub(crate) fn require_id(&mut self, id: &str, what: &'static str, path: &str) -> bool {
        if id.trim().is_empty() {
            self.missing_id(MissingId::NotExported(what), path.to_string());
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
        self.check_address_space(Named::Kind("virtual network"), space_texts.len(), space_path, &id);
        let dns_texts = dto.dhcp_options.as_ref().map(|d| strs(&d.dns_servers)).unwrap_or_default();
        let dns_servers = self.dns_servers(&dns_texts, &dto.path(path, "dhcpOptions.dnsServers"), &id);
        for (i, sub) in dto.subnets.iter().flatten().enumerate() {
            let p = format!("{}[{i}]", dto.path(path, "subnets"));
            self.subnet(sub, id.clone(), &p);
        }
        for (i, peering) in dto.virtual_network_peerings.iter().flatten().enumerate() {
            let p = format!("{}[{i}]", dto.path(path, "virtualNetworkPeerings"));
            self.peering(peering, id.clone(), &p);
        }
        let vnet = Vnet {
            id: crate::shared_ids::own_id(&id),
            name: s(&dto.name),
            location: location(&dto.location),
            address_space,
            dns_servers,
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
        let fields = ["addressPrefix", "addressPrefixes"];
        self.check_subnet_prefix(Named::Kind("subnet"), texts.len(), fields, path.to_string(), &id);
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
            id: crate::shared_ids::own_id(&id),
            name: s(&dto.name),
            vnet: VnetIdx(u32::MAX),
            prefixes,
            route_table: link(&dto.route_table),
            nsg: link(&dto.network_security_group),
            service_endpoints,
            private_endpoint_network_policies: policies,
            nat_gateway: link(&dto.nat_gateway.as_ref().map(|r| r.0.clone())),
            default_outbound_access: dto.default_outbound_access.map(|f| f.0),
            delegations: dto
                .delegations
                .iter()
                .flatten()
                .map(|d| s(&d.service_name))
                .filter(|n| !n.is_empty())
                .collect(),
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
            self.peering_without_remote(Named::Kind("peering"), "remoteVirtualNetwork", path.to_string(), &id);
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
            id: crate::shared_ids::own_id(&id),
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
    pub(crate) fn ip_config(&mut self, dto: &IpConfigDto<'_>, path: &dyn Fn() -> String, owner: &str) -> IpConfig {
        let id = IpConfigId::Own(ArmId::new(dto.id.as_ref().map_or("", |x| x.as_str())));
        self.lower_ip_config(dto, path, owner, id)
    }

    /// A NIC's configuration: its id shares the NIC's `nic` when Azure spelled it from it.
    fn nic_ip_config(&mut self, dto: &IpConfigDto<'_>, path: &dyn Fn() -> String, nic: &ArmId) -> IpConfig {
        let id = IpConfigId::new(
            dto.id.as_ref().map_or("", |x| x.as_str()),
            nic,
            dto.name.as_ref().map_or("", |x| x.as_str()),
        );
        self.lower_ip_config(dto, path, nic.as_str(), id)
    }

    fn lower_ip_config(
        &mut self,
        dto: &IpConfigDto<'_>,
        path: &dyn Fn() -> String,
        owner: &str,
        id: IpConfigId,
    ) -> IpConfig {
        let private_ip = match &dto.private_ip_address {
            Some(text) => match parse_ip(text.as_str().split('/').next().unwrap_or("").trim()) {
                Ok(ip) => Some(ip),
                Err(_) => self.ip(text.as_str(), &dto.path(&path(), "privateIPAddress"), owner),
            },
            None => None,
        };
        IpConfig {
            id,
            name: s(&dto.name),
            private_ip,
            subnet: link(&dto.subnet),
            public_ip: dto.public_ip_address.as_ref().and_then(|p| link(&Some(p.object.clone()))),
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
        let own_id = crate::shared_ids::own_id(&id);
        let mut ip_configs = Vec::with_capacity(dto.ip_configurations.as_ref().map_or(0, |c| c.len()));
        for (i, c) in dto.ip_configurations.iter().flatten().enumerate() {
            let p = || format!("{}[{i}]", dto.path(path, "ipConfigurations"));
            ip_configs.push(self.nic_ip_config(c, &p, &own_id));
        }
        let configs_path = dto.path(path, "ipConfigurations");
        self.check_nic_ip_configurations(Named::Kind("network interface"), ip_configs.len(), configs_path, &id);
        if ip_configs.len() > 1 && !ip_configs.iter().any(|c| c.primary) {
            ip_configs[0].primary = true;
        }
        let nic = Nic {
            id: own_id,
            name: s(&dto.name),
            location: crate::shared_ids::shared_text(&location(&dto.location)),
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
        nics.extend(
            refs.iter()
                .filter_map(|r| r.id.as_ref())
                .map(|id| Link::Missing(crate::shared_ids::referenced_id(id.as_str()))),
        );
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
            id: crate::shared_ids::own_id(&id),
            name: s(&dto.name),
            location: crate::shared_ids::shared_text(&location(&dto.location)),
            nics,
            primary_nic,
            power_state: power_state.as_deref().map(PowerState::parse),
            scale_set: link(&dto.virtual_machine_scale_set),
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
            bgp_asn: dto.bgp_settings.as_ref().and_then(|b| crate::arm_vwan::asn(&b.asn)),
            vnet,
            instance_ips,
            default_site: link(&dto.gateway_default_site),
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
        self.keep_ipv4_local_prefixes(&mut prefixes, space_path, &id);
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
            id: crate::shared_ids::own_id(&id),
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
            frontends.push(LbFrontend {
                name: cfg.name,
                private_ip: cfg.private_ip,
                subnet: cfg.subnet,
                public_ip: cfg.public_ip,
            });
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
            outbound_rules: self.lb_outbound_rules(dto),
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
}

/// A standalone SubnetDto object read as the nested shape its parent's list uses.
fn subnet_dto<'a>(dto: &ResourceDto<'a>) -> SubnetDto<'a> {
    SubnetDto {
        id: dto.id.clone(),
        name: dto.name.clone(),
        address_prefix: dto.address_prefix.clone(),
        address_prefixes: dto.address_prefixes.clone(),
        route_table: dto.route_table.clone(),
        network_security_group: dto.network_security_group.clone(),
        service_endpoints: dto.service_endpoints.clone(),
        private_endpoint_network_policies: dto.private_endpoint_network_policies.clone(),
        nat_gateway: dto.nat_gateway.clone(),
        default_outbound_access: dto.default_outbound_access,
        delegations: dto.delegations.clone(),
        ip_configurations: dto
            .ip_configurations
            .as_ref()
            .map(|v| v.iter().map(|c| RefDto { id: c.id.clone(), ..RefDto::default() }).collect()),
        nested_properties: dto.nested_properties,
        _lifetime: Default::default(),
    }
}

/// A standalone PeeringDto object read as the nested shape its parent's list uses.
fn peering_dto<'a>(dto: &ResourceDto<'a>) -> PeeringDto<'a> {
    PeeringDto {
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
    }
}

/// A standalone RouteDto object read as the nested shape its parent's list uses.
fn route_dto<'a>(dto: &ResourceDto<'a>) -> RouteDto<'a> {
    RouteDto {
        id: dto.id.clone(),
        name: dto.name.clone(),
        address_prefix: dto.address_prefix.clone(),
        next_hop_type: dto.next_hop_type.clone(),
        next_hop_ip_address: dto.next_hop_ip_address.clone(),
        next_hop: dto.next_hop.clone(),
        destination_type: None,
        destinations: None,
        nested_properties: dto.nested_properties,
        _lifetime: Default::default(),
    }
}

/// A standalone RuleDto object read as the nested shape its parent's list uses.
fn rule_dto<'a>(dto: &ResourceDto<'a>) -> RuleDto<'a> {
    RuleDto {
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
    }
}
