//! Route Servers from Terraform (§19.1): `azurerm_route_server` (its `subnet_id` is the
//! `RouteServerSubnet`, `virtual_router_ips` and `virtual_router_asn` are computed),
//! `azurerm_route_server_bgp_connection`, the older `azurerm_virtual_hub` without a Virtual WAN
//! with its `azurerm_virtual_hub_ip` (the subnet), and a Virtual WAN hub's `azurerm_virtual_hub_bgp_connection`
//! (§20.1: its `virtual_network_connection_id` names the spoke holding the peer), lowered into the
//! same model as the ARM JSON. What the peers advertise is not in Terraform: it comes from
//! learned-routes files beside the state.

use super::*;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfRouteServer {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) location: Option<String>,
    pub(super) subnet_id: Option<String>,
    pub(super) virtual_router_ips: Strs,
    pub(super) virtual_router_asn: Option<i64>,
    pub(super) branch_to_branch_traffic_enabled: Option<bool>,
    pub(super) hub_routing_preference: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfRouteServerBgpConnection {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) route_server_id: Option<String>,
    /// `azurerm_virtual_hub_bgp_connection`: the hub, and the spoke's hub connection.
    pub(super) virtual_hub_id: Option<String>,
    pub(super) virtual_network_connection_id: Option<String>,
    pub(super) peer_asn: Option<i64>,
    pub(super) peer_ip: Option<String>,
}

/// `azurerm_virtual_hub_ip`: the IP configuration of an `azurerm_virtual_hub` without a Virtual
/// WAN, the older way Terraform writes a Route Server: its subnet is the `RouteServerSubnet`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfHubIp {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) virtual_hub_id: Option<String>,
    pub(super) subnet_id: Option<String>,
}

impl Lowerer<'_, '_> {
    /// The hub's subnet and VNet, as the ARM JSON's `ipConfigurations` read apart give them.
    pub(super) fn hub_ip(&mut self, i: usize, a: &TfHubIp) {
        let Some(hub) =
            nonempty(&a.virtual_hub_id).map(str::to_string).or_else(|| self.id(i).map(|id| parent_id(&parent_id(&id))))
        else {
            return;
        };
        let path = [ExprStep::Key("subnet_id")];
        let Some(subnet) = self.link_value(i, &a.subnet_id, &path, SUBNET, "subnet_id") else { return };
        self.pending
            .hub_subnets
            .push(crate::arm_hub::PendingHubSubnet { hub: normalize_id(&hub), subnet: ArmId::new(&subnet) });
    }

    pub(super) fn route_server(&mut self, i: usize, a: &TfRouteServer) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let subnet = nonempty(&a.subnet_id).map(ArmId::new);
        self.pending.virtual_hubs.push(VirtualHub {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            location: normalize_location(nonempty(&a.location).unwrap_or_default()),
            virtual_wan: None,
            address_prefix: None,
            vnet: subnet.as_ref().map(|s| Link::Missing(ArmId::new(parent_id(s.as_str())))),
            subnet,
            virtual_router_asn: a.virtual_router_asn,
            virtual_router_ips: texts(&a.virtual_router_ips).into_iter().filter_map(|t| parse_ip(t).ok()).collect(),
            allow_branch_to_branch_traffic: a.branch_to_branch_traffic_enabled.unwrap_or(false),
            hub_routing_preference: HubRoutingPreference::parse(
                nonempty(&a.hub_routing_preference).unwrap_or_default(),
            ),
            bgp_connections: Vec::new(),
            vwan_hub: VwanHubFields::default(),
            origin: self.origin(&path),
        });
    }

    /// A peer, nested into its Route Server when linked; a plan's unknown id is
    /// `<route server>/bgpConnections/<name>`, as Azure assigns it.
    pub(super) fn route_server_bgp_connection(&mut self, i: usize, a: &TfRouteServerBgpConnection) {
        let path = self.insts[i].path.clone();
        let name = nonempty(&a.name).unwrap_or_default().to_string();
        let id = match (self.id(i), nonempty(&a.route_server_id).or(nonempty(&a.virtual_hub_id))) {
            (Some(id), _) => id,
            (None, Some(rs)) => format!("{rs}/bgpConnections/{name}"),
            (None, None) => return,
        };
        let connection = BgpConnection {
            id: ArmId::new(&id),
            name,
            peer_ip: nonempty(&a.peer_ip).and_then(|t| parse_ip(t).ok()),
            peer_asn: a.peer_asn,
            hub_virtual_network_connection: nonempty(&a.virtual_network_connection_id).map(ArmId::new),
            learned_routes: Vec::new(),
            learned_routes_supplied: false,
            origin: self.origin(&path),
        };
        self.pending.bgp_connections.push(Child {
            key: normalize_id(&id),
            parent: normalize_id(&parent_id(&id)),
            item: connection,
        });
    }
}
