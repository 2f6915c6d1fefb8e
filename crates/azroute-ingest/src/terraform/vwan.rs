//! Virtual WAN from Terraform (§20.1): `azurerm_virtual_wan`, `azurerm_virtual_hub`,
//! `azurerm_virtual_hub_connection` (its `routing` block), `azurerm_virtual_hub_route_table`
//! (its `route` blocks) and `azurerm_virtual_hub_route_table_route`, and
//! `azurerm_virtual_hub_routing_intent`, and the hub NVA `azurerm_palo_alto_virtual_network_appliance`
//! (the hub NVA resource azurerm has: a name and its hub), lowered into the same model as the ARM
//! JSON. A resource whose id Terraform does not know yet (a plan) is left out, but for the NVA,
//! whose id Azure assigns in its hub's resource group.

use super::*;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfVirtualWan {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) location: Option<String>,
    #[serde(rename = "type")]
    pub(super) wan_type: Option<String>,
    pub(super) allow_branch_to_branch_traffic: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfVwanHub {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) location: Option<String>,
    pub(super) virtual_wan_id: Option<String>,
    pub(super) address_prefix: Option<String>,
    pub(super) sku: Option<String>,
    pub(super) hub_routing_preference: Option<String>,
    pub(super) virtual_router_asn: Option<i64>,
    pub(super) virtual_router_ips: Strs,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfPropagated {
    pub(super) labels: Strs,
    pub(super) route_table_ids: Strs,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfStaticVnetRoute {
    pub(super) name: Option<String>,
    pub(super) address_prefixes: Strs,
    pub(super) next_hop_ip_address: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfRouting {
    pub(super) associated_route_table_id: Option<String>,
    pub(super) propagated_route_table: Blocks<TfPropagated>,
    pub(super) static_vnet_route: Blocks<TfStaticVnetRoute>,
    pub(super) static_vnet_local_route_override_criteria: Option<String>,
    pub(super) static_vnet_propagate_static_routes_enabled: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfHubConnection {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) virtual_hub_id: Option<String>,
    pub(super) remote_virtual_network_id: Option<String>,
    pub(super) internet_security_enabled: Option<bool>,
    pub(super) routing: Blocks<TfRouting>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfHubRoute {
    pub(super) id: Option<String>,
    pub(super) route_table_id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) destinations: Strs,
    pub(super) destinations_type: Option<String>,
    pub(super) next_hop: Option<String>,
    pub(super) next_hop_type: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfHubRouteTable {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) virtual_hub_id: Option<String>,
    pub(super) labels: Strs,
    pub(super) route: Blocks<TfHubRoute>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfRoutingPolicy {
    pub(super) name: Option<String>,
    pub(super) destinations: Strs,
    pub(super) next_hop: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfRoutingIntent {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) virtual_hub_id: Option<String>,
    pub(super) routing_policy: Blocks<TfRoutingPolicy>,
}

/// `azurerm_palo_alto_virtual_network_appliance`: Cloud NGFW deployed in a hub, a
/// `Microsoft.Network/networkVirtualAppliances` of its hub's resource group. Terraform holds
/// neither its ASN nor its addresses.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfHubNva {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) virtual_hub_id: Option<String>,
}

fn prefixes(v: &Strs) -> Vec<IpNet> {
    texts(v).into_iter().filter_map(|t| parse_prefix(t).ok()).collect()
}

fn hub_route(r: &TfHubRoute) -> azroute_model::HubRoute {
    let destination_type = nonempty(&r.destinations_type).unwrap_or("CIDR").to_string();
    let destinations: Vec<String> = texts(&r.destinations).into_iter().map(str::to_string).collect();
    let prefixes = if destination_type.eq_ignore_ascii_case("CIDR") { prefixes(&r.destinations) } else { Vec::new() };
    azroute_model::HubRoute {
        name: nonempty(&r.name).unwrap_or_default().to_string(),
        destination_type,
        destinations,
        prefixes,
        next_hop_type: nonempty(&r.next_hop_type).unwrap_or("ResourceId").to_string(),
        next_hop: ArmId::new(nonempty(&r.next_hop).unwrap_or_default()),
    }
}

fn routing(r: Option<&TfRouting>) -> ConnectionRouting {
    let Some(r) = r else { return ConnectionRouting::default() };
    let propagated = blocks(&r.propagated_route_table).map(|(_, p)| p).next().map(|p| PropagatedRouteTables {
        ids: texts(&p.route_table_ids).into_iter().map(ArmId::new).collect(),
        labels: texts(&p.labels).into_iter().map(str::to_string).collect(),
    });
    ConnectionRouting {
        associated_route_table: nonempty(&r.associated_route_table_id).map(ArmId::new),
        propagated_route_tables: propagated,
        static_routes: blocks(&r.static_vnet_route)
            .map(|(_, s)| HubStaticVnetRoute {
                name: nonempty(&s.name).unwrap_or_default().to_string(),
                address_prefixes: prefixes(&s.address_prefixes),
                next_hop_ip: nonempty(&s.next_hop_ip_address).and_then(|t| parse_ip(t).ok()),
            })
            .collect(),
        propagate_static_routes: r.static_vnet_propagate_static_routes_enabled,
        vnet_local_route_override: VnetLocalRouteOverride::parse(
            nonempty(&r.static_vnet_local_route_override_criteria).unwrap_or_default(),
        ),
        bgp_connections: Vec::new(),
    }
}

impl Lowerer<'_, '_> {
    pub(super) fn virtual_wan(&mut self, i: usize, a: &TfVirtualWan) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        self.pending.virtual_wans.push(VirtualWan {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            location: normalize_location(nonempty(&a.location).unwrap_or_default()),
            wan_type: nonempty(&a.wan_type).unwrap_or_default().to_string(),
            allow_branch_to_branch_traffic: a.allow_branch_to_branch_traffic,
            allow_vnet_to_vnet_traffic: None,
            origin: self.origin(&path),
        });
    }

    pub(super) fn vwan_hub(&mut self, i: usize, a: &TfVwanHub) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        self.pending.virtual_hubs.push(VirtualHub {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            location: normalize_location(nonempty(&a.location).unwrap_or_default()),
            virtual_wan: nonempty(&a.virtual_wan_id).map(ArmId::new),
            address_prefix: nonempty(&a.address_prefix).and_then(|t| parse_prefix(t).ok()),
            subnet: None,
            vnet: None,
            virtual_router_asn: a.virtual_router_asn,
            virtual_router_ips: texts(&a.virtual_router_ips).into_iter().filter_map(|t| parse_ip(t).ok()).collect(),
            allow_branch_to_branch_traffic: false,
            hub_routing_preference: HubRoutingPreference::parse(
                nonempty(&a.hub_routing_preference).unwrap_or_default(),
            ),
            bgp_connections: Vec::new(),
            vwan_hub: VwanHubFields {
                sku: nonempty(&a.sku).unwrap_or_default().to_string(),
                ..VwanHubFields::default()
            },
            origin: self.origin(&path),
        });
    }

    pub(super) fn hub_connection(&mut self, i: usize, a: &TfHubConnection) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        self.pending.hub_connections.push(HubVnetConnection {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            hub: ArmId::new(nonempty(&a.virtual_hub_id).map_or_else(|| hub_of_child_id(&id), str::to_string)),
            remote_vnet: nonempty(&a.remote_virtual_network_id).map(ArmId::new),
            enable_internet_security: a.internet_security_enabled,
            routing: routing(blocks(&a.routing).map(|(_, r)| r).next()),
            origin: self.origin(&path),
        });
    }

    pub(super) fn hub_route_table(&mut self, i: usize, a: &TfHubRouteTable) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        self.pending.hub_route_tables.push(HubRouteTable {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            hub: ArmId::new(nonempty(&a.virtual_hub_id).map_or_else(|| hub_of_child_id(&id), str::to_string)),
            routes: blocks(&a.route).map(|(_, r)| hub_route(r)).collect(),
            labels: texts(&a.labels).into_iter().map(str::to_string).collect(),
            associated_connections: Vec::new(),
            propagating_connections: Vec::new(),
            origin: self.origin(&path),
        });
    }

    /// `azurerm_virtual_hub_route_table_route`: a route added to its table (lowered after the
    /// tables).
    pub(super) fn hub_route_table_route(&mut self, a: &TfHubRoute) {
        let Some(table) = nonempty(&a.route_table_id) else { return };
        let key = normalize_id(table);
        if let Some(t) = self.pending.hub_route_tables.iter_mut().find(|t| normalize_id(t.id.as_str()) == key) {
            t.routes.push(hub_route(a));
        }
    }

    pub(super) fn hub_nva(&mut self, i: usize, a: &TfHubNva) {
        let name = nonempty(&a.name).unwrap_or_default().to_string();
        let hub = nonempty(&a.virtual_hub_id);
        let in_hub_group = |hub: &str| {
            let group = hub.split("/providers/").next().unwrap_or_default();
            format!("{group}/providers/Microsoft.Network/networkVirtualAppliances/{name}")
        };
        let Some(id) = self.id(i).or_else(|| hub.map(in_hub_group)) else { return };
        let path = self.insts[i].path.clone();
        self.pending.network_virtual_appliances.push(NetworkVirtualAppliance {
            id: ArmId::new(&id),
            name,
            location: String::new(),
            hub: hub.map(ArmId::new),
            asn: None,
            private_ips: Vec::new(),
            vendor: None,
            bundled_scale_unit: None,
            instances: Vec::new(),
            origin: self.origin(&path),
        });
    }

    pub(super) fn routing_intent(&mut self, i: usize, a: &TfRoutingIntent) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        self.pending.routing_intents.push(RoutingIntent {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            hub: ArmId::new(nonempty(&a.virtual_hub_id).map_or_else(|| hub_of_child_id(&id), str::to_string)),
            policies: blocks(&a.routing_policy)
                .map(|(_, p)| RoutingPolicy {
                    name: nonempty(&p.name).unwrap_or_default().to_string(),
                    destinations: texts(&p.destinations).into_iter().map(RoutingPolicyKind::parse).collect(),
                    next_hop: ArmId::new(nonempty(&p.next_hop).unwrap_or_default()),
                })
                .collect(),
            origin: self.origin(&path),
        });
    }
}
