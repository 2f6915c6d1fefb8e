//! Checks of Virtual WAN spokes and hubs (§20.6): spoke subnets that refuse the hub's routes
//! (RI-8), private endpoints whose replies the firewall sees alone (RI-9), a default route a
//! connection does not take (VW-5), hub routes inside a spoke's own space (VW-8), routing
//! intent beside custom tables (RI-2), routing intent on some hubs only (RI-5), spokes with a
//! gateway of their own (VW-N3) and a private-traffic policy to a dual-role NVA of several
//! instances (RI-11, §20.17).

use azroute_engine::*;
use azroute_model::*;
use ipnet::IpNet;

use crate::Doctor;

impl Doctor<'_, '_> {
    pub(crate) fn vwan_checks(&self, out: &mut Vec<Finding>) {
        let vwan = &self.routes.topology().vwan;
        self.vwan_routing_intent_not_on_all_hubs(out);
        for hub in &vwan.hubs {
            self.vwan_routing_intent_with_custom_tables(hub, out);
            self.vwan_dual_role_nva_ecmp(hub, out);
            for connection in hub.connections.iter().filter(|c| c.kind == OfferKind::VnetConnection) {
                let Some(vnet) = connection.vnet else { continue };
                self.vwan_spoke_propagation_disabled(hub, connection, vnet, out);
                self.vwan_private_endpoint_asymmetry(hub, vnet, out);
                vwan_default_route_not_propagated(hub, connection, vnet, out);
                self.vwan_route_inside_spoke_space(hub, connection, vnet, out);
                self.vwan_spoke_has_gateway(hub, vnet, out);
            }
        }
    }

    /// RI-8, VW-N2: a spoke subnet whose route table disables gateway route propagation gets
    /// none of the hub's routes.
    fn vwan_spoke_propagation_disabled(
        &self,
        hub: &HubRouting,
        connection: &HubConnectionState,
        vnet: VnetIdx,
        out: &mut Vec<Finding>,
    ) {
        let mut prefixes: Vec<IpNet> =
            hub.connection_routes(connection).iter().flat_map(|r| r.prefixes.iter().copied()).collect();
        prefixes.sort();
        prefixes.dedup();
        if prefixes.is_empty() {
            return;
        }
        let routing_intent = self.snap.vwan.routing_intent_of(&self.snap.virtual_hubs[hub.hub.index()].id).is_some();
        for &s in &self.snap.vnets[vnet.index()].subnets {
            let Some(table) = self.snap.subnets[s.index()].route_table.as_ref().and_then(|l| l.resolved()) else {
                continue;
            };
            if !self.snap.route_tables[table.index()].disable_bgp_route_propagation {
                continue;
            }
            let e = VwanSpokePropagationDisabled {
                hub: hub.hub,
                connection: connection.id.clone(),
                subnet: s,
                table,
                routing_intent,
                prefixes: prefixes.clone(),
            };
            out.push(
                Finding::new(e)
                    .resource(ResourceRef::Subnet(s))
                    .resource(ResourceRef::RouteTable(table))
                    .resource(ResourceRef::VirtualHub(hub.hub)),
            );
        }
    }

    /// RI-9: under a private-traffic routing policy, traffic to a private endpoint bypasses the
    /// firewall unless its subnet applies route tables to private endpoints; its replies do not.
    fn vwan_private_endpoint_asymmetry(&self, hub: &HubRouting, vnet: VnetIdx, out: &mut Vec<Finding>) {
        let intent = self.snap.vwan.routing_intent_of(&self.snap.virtual_hubs[hub.hub.index()].id);
        if intent.and_then(|i| i.policy(&RoutingPolicyKind::PrivateTraffic)).is_none() {
            return;
        }
        for &endpoint in &self.routes.topology().endpoints_by_vnet[vnet.index()] {
            let Some(subnet) = self.snap.private_endpoints[endpoint.index()].subnet.as_ref().and_then(|l| l.resolved())
            else {
                continue;
            };
            let policies = self.snap.subnets[subnet.index()].private_endpoint_network_policies;
            if policies.route_tables_apply() {
                continue;
            }
            let e = VwanPrivateEndpointAsymmetry { hub: hub.hub, endpoint, subnet, policies };
            out.push(
                Finding::new(e)
                    .resource(ResourceRef::PrivateEndpoint(endpoint))
                    .resource(ResourceRef::Subnet(subnet))
                    .resource(ResourceRef::VirtualHub(hub.hub)),
            );
        }
    }

    /// VW-8: hub routes equal to or inside the spoke's own ranges are not programmed in it
    /// (the spoke's own prefix, which it propagates itself, excepted).
    fn vwan_route_inside_spoke_space(
        &self,
        hub: &HubRouting,
        connection: &HubConnectionState,
        vnet: VnetIdx,
        out: &mut Vec<Finding>,
    ) {
        let space = &self.snap.vnets[vnet.index()].address_space;
        let mut routes: Vec<(IpNet, IpNet, String)> = Vec::new();
        for r in hub.connection_routes(connection) {
            if same_arm_id(r.route_origin.as_str(), connection.id.as_str()) {
                continue;
            }
            for prefix in &r.prefixes {
                if let Some(range) = space.iter().find(|range| contains_prefix(range, prefix)) {
                    routes.push((*prefix, *range, r.next_hop_type.as_str().to_string()));
                }
            }
        }
        routes.sort();
        routes.dedup();
        if routes.is_empty() {
            return;
        }
        let e = VwanRouteInsideSpokeSpace { hub: hub.hub, connection: connection.id.clone(), vnet, routes };
        out.push(Finding::new(e).resource(ResourceRef::Vnet(vnet)).resource(ResourceRef::VirtualHub(hub.hub)));
    }

    /// RI-2: routing intent requires that the hub has no custom route tables and no static
    /// route to a VNet connection; Azure refuses the combination.
    fn vwan_routing_intent_with_custom_tables(&self, hub: &HubRouting, out: &mut Vec<Finding>) {
        let id = &self.snap.virtual_hubs[hub.hub.index()].id;
        let Some(intent) = self.snap.vwan.routing_intent_of(id) else { return };
        let mut tables = Vec::new();
        let mut static_routes = Vec::new();
        for t in self.snap.vwan.route_tables_of(id) {
            if !t.is_default() && !t.is_none_table() {
                tables.push(t.id.clone());
            }
            for r in &t.routes {
                if self.snap.vwan.hub_connections.iter().any(|c| same_arm_id(c.id.as_str(), r.next_hop.as_str())) {
                    static_routes.push((t.id.clone(), r.name.clone()));
                }
            }
        }
        if tables.is_empty() && static_routes.is_empty() {
            return;
        }
        let e = VwanRoutingIntentWithCustomTables { hub: hub.hub, intent: intent.id.clone(), tables, static_routes };
        out.push(Finding::new(e).resource(ResourceRef::VirtualHub(hub.hub)));
    }

    /// RI-5: inter-hub inspection is symmetric only when every hub of the WAN has a private-traffic
    /// policy; one finding per Virtual WAN whose hubs differ.
    fn vwan_routing_intent_not_on_all_hubs(&self, out: &mut Vec<Finding>) {
        for e in routing_intent_splits(self.snap) {
            let hubs: Vec<VirtualHubIdx> = e.secured.iter().chain(&e.unsecured).copied().collect();
            let mut finding = Finding::new(e);
            for h in hubs {
                finding = finding.resource(ResourceRef::VirtualHub(h));
            }
            out.push(finding);
        }
    }

    /// RI-11 (§20.17): a private-traffic policy whose next hop is a dual-role (SD-WAN and NGFW)
    /// NVA of more than one instance: Azure ECMPs over the instances without flow symmetry. An
    /// NVA whose instances the export does not name counts as several (hub NVAs are n+1).
    fn vwan_dual_role_nva_ecmp(&self, hub: &HubRouting, out: &mut Vec<Finding>) {
        let snap = self.snap;
        let intent = snap.vwan.routing_intent_of(&snap.virtual_hubs[hub.hub.index()].id);
        let Some(policy) = intent.and_then(|i| i.policy(&RoutingPolicyKind::PrivateTraffic)) else { return };
        let Some(n) = snap.resolve_id(ResourceKind::NetworkVirtualAppliance, policy.next_hop.as_str()) else { return };
        let nva = &snap.vwan.network_virtual_appliances[n as usize];
        if !nva.is_dual_role() || nva.instances.len() == 1 {
            return;
        }
        let e = VwanDualRoleNvaEcmp {
            hub: hub.hub,
            nva: nva.id.clone(),
            vendor: nva.vendor.clone().unwrap_or_default(),
            instances: nva.instances.clone(),
            policy: policy.name.clone(),
        };
        out.push(Finding::new(e).resource(ResourceRef::VirtualHub(hub.hub)));
    }

    /// VW-N3: a VNet connected to a hub may have no gateway and no Route Server of its own.
    fn vwan_spoke_has_gateway(&self, hub: &HubRouting, vnet: VnetIdx, out: &mut Vec<Finding>) {
        let topology = self.routes.topology();
        let gateways = topology.own_gateways[vnet.index()].clone();
        let route_server = topology.route_servers.in_vnet(vnet);
        if gateways.is_empty() && route_server.is_none() {
            return;
        }
        let mut finding =
            Finding::new(VwanSpokeHasGateway { hub: hub.hub, vnet, gateways: gateways.clone(), route_server })
                .resource(ResourceRef::Vnet(vnet))
                .resource(ResourceRef::VirtualHub(hub.hub));
        for g in gateways {
            finding = finding.resource(ResourceRef::Gateway(g));
        }
        if let Some(rs) = route_server {
            finding = finding.resource(ResourceRef::VirtualHub(rs));
        }
        out.push(finding);
    }
}

/// VW-5, RI-6: the associated table holds 0.0.0.0/0 but the connection does not take it
/// (`enableInternetSecurity` not true), so the spoke's Internet traffic leaves directly.
fn vwan_default_route_not_propagated(
    hub: &HubRouting,
    connection: &HubConnectionState,
    vnet: VnetIdx,
    out: &mut Vec<Finding>,
) {
    if connection.enable_internet_security == Some(true) {
        return;
    }
    let Some(table) = hub.table(connection.associated.as_str()) else { return };
    let Some(default) =
        table.routes.iter().find(|r| r.prefixes.iter().any(|p| p.prefix_len() == 0 && p.addr().is_ipv4()))
    else {
        return;
    };
    let e = VwanDefaultRouteNotPropagated {
        hub: hub.hub,
        connection: connection.id.clone(),
        vnet,
        table: table.id.clone(),
        enable_internet_security: connection.enable_internet_security,
        next_hop_type: default.next_hop_type.as_str().to_string(),
    };
    out.push(Finding::new(e).resource(ResourceRef::Vnet(vnet)).resource(ResourceRef::VirtualHub(hub.hub)));
}
