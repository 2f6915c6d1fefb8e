//! Lowering of Virtual WAN resources from ARM JSON (REST, az CLI, Resource Graph; §20.1):
//! `virtualWans`, hub VNet connections, hub route tables, routing intent, `vpnGateways` with
//! their connections, `vpnSites`, `expressRouteGateways` with their connections and hub NVAs.
//! The hubs themselves are read by `arm_hub.rs`.

use azroute_model::*;

use crate::arm::{list, ref_id, s};
use crate::dto::*;
use crate::pending::Pending;
use crate::values::*;

/// An ASN written as a number or as text.
pub(crate) fn asn(text: &Option<LooseText<'_>>) -> Option<i64> {
    text.as_ref().and_then(|t| t.text()).and_then(|t| t.trim().parse().ok())
}

fn location(v: &Option<Str<'_>>) -> String {
    normalize_location(v.as_ref().map_or("", |x| x.as_str()))
}

/// Hub child types as their ids spell them, including the `virtualHubVnetConnections` of the
/// REST spec example (§20.1: the real child type is `hubVirtualNetworkConnections`).
pub(crate) fn is_hub_connection_type(ty: &str) -> bool {
    matches!(
        ty,
        "microsoft.network/virtualhubs/hubvirtualnetworkconnections"
            | "microsoft.network/virtualhubs/virtualhubvnetconnections"
    )
}

impl Pending {
    /// Lowers one Virtual WAN resource; `false` when `ty` is not one.
    pub(crate) fn vwan_resource(&mut self, ty: &str, dto: &ResourceDto<'_>, path: &str) -> bool {
        match ty {
            "microsoft.network/virtualwans" => self.virtual_wan(dto, path),
            t if is_hub_connection_type(t) => self.hub_connection(dto, path),
            "microsoft.network/virtualhubs/hubroutetables" => self.hub_route_table(dto, path),
            "microsoft.network/virtualhubs/routingintent" => self.routing_intent(dto, path),
            "microsoft.network/vpngateways" => self.vpn_gateway(dto, path),
            "microsoft.network/vpnsites" => self.vpn_site(dto, path),
            "microsoft.network/expressroutegateways" => self.express_route_gateway(dto, path),
            "microsoft.network/networkvirtualappliances" => self.network_virtual_appliance(dto, path),
            _ => return false,
        }
        true
    }

    fn virtual_wan(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "virtual WAN", path) {
            return;
        }
        // REST nests the WAN type as `properties.type`, which the merge lays over the resource
        // type; the az CLI flattens it to `typePropertiesType`.
        let nested_type = s(&dto.resource_type);
        let wan_type = match &dto.type_properties_type {
            Some(t) => t.as_str().to_string(),
            None if !nested_type.contains('/') => nested_type,
            None => String::new(),
        };
        self.virtual_wans.push(VirtualWan {
            id: ArmId::new(&id),
            name: s(&dto.name),
            location: location(&dto.location),
            wan_type,
            allow_branch_to_branch_traffic: dto.allow_branch_to_branch_traffic.map(|f| f.0),
            allow_vnet_to_vnet_traffic: dto.allow_vnet_to_vnet_traffic.map(|f| f.0),
            origin: self.origin(path),
        });
    }

    /// `routingConfiguration` of any connection; `base` is its JSON path.
    pub(crate) fn connection_routing(
        &mut self,
        dto: Option<&RoutingConfigurationDto<'_>>,
        base: &str,
        owner: &str,
    ) -> ConnectionRouting {
        let Some(dto) = dto else {
            return ConnectionRouting::default();
        };
        let propagated_route_tables = dto.propagated_route_tables.as_ref().map(|p| PropagatedRouteTables {
            ids: p.ids.iter().flatten().filter_map(|r| ref_id(&Some(r.clone()))).collect(),
            labels: list(&p.labels).iter().map(|l| l.to_string()).collect(),
        });
        let vnet_routes = dto.vnet_routes.as_ref();
        let mut static_routes = Vec::new();
        for (i, r) in vnet_routes.and_then(|v| v.static_routes.as_ref()).into_iter().flatten().enumerate() {
            let p = format!("{base}.vnetRoutes.staticRoutes[{i}]");
            let texts = list(&r.address_prefixes);
            let address_prefixes = self.prefixes(&texts, &format!("{p}.addressPrefixes"), owner);
            let next_hop_ip = r
                .next_hop_ip_address
                .as_ref()
                .and_then(|t| self.ip(t.as_str(), &format!("{p}.nextHopIpAddress"), owner));
            static_routes.push(HubStaticVnetRoute { name: s(&r.name), address_prefixes, next_hop_ip });
        }
        let config = vnet_routes.and_then(|v| v.static_routes_config.as_ref());
        ConnectionRouting {
            associated_route_table: ref_id(&dto.associated_route_table),
            propagated_route_tables,
            static_routes,
            propagate_static_routes: config.and_then(|c| c.propagate_static_routes).map(|f| f.0),
            vnet_local_route_override: VnetLocalRouteOverride::parse(
                &config.map(|c| s(&c.vnet_local_route_override_criteria)).unwrap_or_default(),
            ),
            bgp_connections: vnet_routes
                .and_then(|v| v.bgp_connections.as_ref())
                .into_iter()
                .flatten()
                .filter_map(|r| ref_id(&Some(r.clone())))
                .collect(),
        }
    }

    fn hub_connection(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "hub virtual network connection", path) {
            return;
        }
        let routing =
            self.connection_routing(dto.routing_configuration.as_ref(), &dto.path(path, "routingConfiguration"), &id);
        self.hub_connections.push(HubVnetConnection {
            id: ArmId::new(&id),
            name: s(&dto.name),
            hub: ArmId::new(hub_of_child_id(&id)),
            remote_vnet: ref_id(&dto.remote_virtual_network),
            enable_internet_security: dto.enable_internet_security.map(|f| f.0),
            routing,
            origin: self.origin(path),
        });
    }

    fn hub_route_table(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "hub route table", path) {
            return;
        }
        let mut routes = Vec::new();
        for (i, r) in dto.routes.iter().flatten().enumerate() {
            let p = format!("{}[{i}]", dto.path(path, "routes"));
            let destination_type = s(&r.destination_type);
            let destinations: Vec<String> = list(&r.destinations).iter().map(|d| d.to_string()).collect();
            let prefixes = if destination_type.is_empty() || destination_type.eq_ignore_ascii_case("CIDR") {
                let texts: Vec<&str> = destinations.iter().map(|d| d.as_str()).collect();
                self.prefixes(&texts, &format!("{p}.destinations"), &id)
            } else {
                Vec::new()
            };
            let next_hop = r.next_hop.as_ref().and_then(|n| n.text.as_ref()).map(|t| ArmId::new(t.as_str()));
            routes.push(HubRoute {
                name: s(&r.name),
                destination_type,
                destinations,
                prefixes,
                next_hop_type: s(&r.next_hop_type),
                next_hop: next_hop.unwrap_or_else(|| ArmId::new("")),
            });
        }
        self.hub_route_tables.push(HubRouteTable {
            id: ArmId::new(&id),
            name: s(&dto.name),
            hub: ArmId::new(hub_of_child_id(&id)),
            routes,
            labels: list(&dto.labels).iter().map(|l| l.to_string()).collect(),
            associated_connections: list(&dto.associated_connections).iter().map(|c| ArmId::new(*c)).collect(),
            propagating_connections: list(&dto.propagating_connections).iter().map(|c| ArmId::new(*c)).collect(),
            origin: self.origin(path),
        });
    }

    fn routing_intent(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "routing intent", path) {
            return;
        }
        let policies = dto
            .routing_policies
            .iter()
            .flatten()
            .map(|p| RoutingPolicy {
                name: s(&p.name),
                destinations: list(&p.destinations).iter().map(|d| RoutingPolicyKind::parse(d)).collect(),
                next_hop: ArmId::new(s(&p.next_hop)),
            })
            .collect();
        self.routing_intents.push(RoutingIntent {
            id: ArmId::new(&id),
            name: s(&dto.name),
            hub: ArmId::new(hub_of_child_id(&id)),
            policies,
            origin: self.origin(path),
        });
    }

    fn vpn_gateway(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "VPN gateway", path) {
            return;
        }
        let bgp = dto.bgp_settings.as_ref();
        let mut instances = Vec::new();
        for (i, a) in bgp.and_then(|b| b.bgp_peering_addresses.as_ref()).into_iter().flatten().enumerate() {
            let p = format!("{}[{i}]", dto.path(path, "bgpSettings.bgpPeeringAddresses"));
            let mut ips = |field: &Option<StrList<'_>>, name: &str| -> Vec<_> {
                list(field).iter().filter_map(|t| self.ip(t, &format!("{p}.{name}"), &id)).collect()
            };
            let default_bgp_ips = ips(&a.default_bgp_ip_addresses, "defaultBgpIpAddresses");
            let tunnel_ips = ips(&a.tunnel_ip_addresses, "tunnelIpAddresses");
            instances.push(VpnGatewayInstance { instance: s(&a.ipconfiguration_id), default_bgp_ips, tunnel_ips });
        }
        let mut connections = Vec::new();
        for (i, c) in dto.connections.iter().flatten().enumerate() {
            let p = format!("{}[{i}]", dto.path(path, "connections"));
            let links = c.vpn_link_connections.iter().flatten();
            let enable_bgp =
                c.enable_bgp.is_some_and(|f| f.0) || links.clone().any(|l| l.enable_bgp.is_some_and(|f| f.0));
            let routing =
                self.connection_routing(c.routing_configuration.as_ref(), &c.path(&p, "routingConfiguration"), &id);
            connections.push(VpnConnection {
                id: ArmId::new(s(&c.id)),
                name: s(&c.name),
                remote_vpn_site: ref_id(&c.remote_vpn_site),
                enable_internet_security: c.enable_internet_security.map(|f| f.0),
                enable_bgp,
                site_links: links.filter_map(|l| ref_id(&l.vpn_site_link)).collect(),
                routing,
            });
        }
        self.vpn_gateways.push(VpnGateway {
            id: ArmId::new(&id),
            name: s(&dto.name),
            location: location(&dto.location),
            hub: ref_id(&dto.virtual_hub),
            asn: bgp.and_then(|b| asn(&b.asn)),
            instances,
            connections,
            origin: self.origin(path),
        });
    }

    fn vpn_site(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "VPN site", path) {
            return;
        }
        let space_texts: Vec<&str> = dto
            .address_space
            .as_ref()
            .and_then(|a| a.address_prefixes.as_ref())
            .map(|l| l.iter().map(|x| x.as_str()).collect())
            .unwrap_or_default();
        let address_space = self.prefixes(&space_texts, &dto.path(path, "addressSpace.addressPrefixes"), &id);
        let mut links = Vec::new();
        for (i, l) in dto.vpn_site_links.iter().flatten().enumerate() {
            let p = format!("{}[{i}]", dto.path(path, "vpnSiteLinks"));
            let ip_address = l.ip_address.as_ref().and_then(|t| self.ip(t.as_str(), &l.path(&p, "ipAddress"), &id));
            let bgp = l.bgp_properties.as_ref();
            let bgp_peering_address = bgp
                .and_then(|b| b.bgp_peering_address.as_ref())
                .and_then(|t| self.ip(t.as_str(), &l.path(&p, "bgpProperties.bgpPeeringAddress"), &id));
            links.push(VpnSiteLink {
                id: ArmId::new(s(&l.id)),
                name: s(&l.name),
                ip_address,
                bgp_asn: bgp.and_then(|b| asn(&b.asn)),
                bgp_peering_address,
            });
        }
        self.vpn_sites.push(VpnSite {
            id: ArmId::new(&id),
            name: s(&dto.name),
            location: location(&dto.location),
            virtual_wan: ref_id(&dto.virtual_wan),
            address_space,
            links,
            bgp_asn: dto.bgp_properties.as_ref().and_then(|b| asn(&b.asn)),
            origin: self.origin(path),
        });
    }

    fn express_route_gateway(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "ExpressRoute gateway", path) {
            return;
        }
        let mut connections = Vec::new();
        for (i, c) in dto.express_route_connections.iter().flatten().enumerate() {
            let p = format!("{}[{i}]", dto.path(path, "expressRouteConnections"));
            let routing =
                self.connection_routing(c.routing_configuration.as_ref(), &c.path(&p, "routingConfiguration"), &id);
            connections.push(ExpressRouteConnection {
                id: ArmId::new(s(&c.id)),
                name: s(&c.name),
                circuit_peering: ref_id(&c.express_route_circuit_peering),
                enable_internet_security: c.enable_internet_security.map(|f| f.0),
                routing,
            });
        }
        self.express_route_gateways.push(ExpressRouteGateway {
            id: ArmId::new(&id),
            name: s(&dto.name),
            location: location(&dto.location),
            hub: ref_id(&dto.virtual_hub),
            connections,
            origin: self.origin(path),
        });
    }

    fn network_virtual_appliance(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "network virtual appliance", path) {
            return;
        }
        let mut private_ips = Vec::new();
        let mut instances: Vec<String> = Vec::new();
        for (i, nic) in dto.virtual_appliance_nics.iter().flatten().enumerate() {
            let p = format!("{}[{i}]", dto.path(path, "virtualApplianceNics"));
            if let Some(ip) = nic
                .private_ip_address
                .as_ref()
                .and_then(|t| self.ip(t.as_str(), &nic.path(&p, "privateIpAddress"), &id))
                && !private_ips.contains(&ip)
            {
                private_ips.push(ip);
            }
            let instance = s(&nic.instance_name);
            if !instance.is_empty() && !instances.iter().any(|known| known.eq_ignore_ascii_case(&instance)) {
                instances.push(instance);
            }
        }
        let sku = dto.nva_sku.as_ref();
        let text = |v: String| Some(v).filter(|v| !v.is_empty());
        self.network_virtual_appliances.push(NetworkVirtualAppliance {
            id: ArmId::new(&id),
            name: s(&dto.name),
            location: location(&dto.location),
            hub: ref_id(&dto.virtual_hub),
            asn: asn(&dto.virtual_appliance_asn),
            private_ips,
            vendor: sku.and_then(|k| text(s(&k.vendor))),
            bundled_scale_unit: sku
                .and_then(|k| k.bundled_scale_unit.as_ref())
                .and_then(|t| t.text())
                .and_then(|t| text(t.to_string())),
            instances,
            origin: self.origin(path),
        });
    }
}

/// The Virtual WAN fields of a hub (§20.1).
pub(crate) fn vwan_hub_fields(dto: &ResourceDto<'_>) -> VwanHubFields {
    VwanHubFields {
        sku: dto.sku.as_ref().and_then(|k| k.name.as_ref()).map(|n| n.as_str().to_string()).unwrap_or_default(),
        azure_firewall: ref_id(&dto.azure_firewall),
        vpn_gateway: ref_id(&dto.vpn_gateway),
        express_route_gateway: ref_id(&dto.express_route_gateway),
        p2s_vpn_gateway: ref_id(&dto.p2s_vpn_gateway),
        routing_state: s(&dto.routing_state),
    }
}
