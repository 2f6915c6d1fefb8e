//! The routes of the hub-and-spoke design around an Azure Firewall (§16.4): the hub's
//! GatewaySubnet sends each spoke that sends its traffic to the firewall back through it (with
//! a route at least as specific as the peering route), spokes that send 0.0.0.0/0 to it keep
//! on-premises prefixes from bypassing it, directly peered spokes route each other through it,
//! and a route for the VNet's range does not capture the subnet's own traffic.

use std::net::IpAddr;

use azroute_engine::*;
use azroute_model::*;
use ipnet::IpNet;

use crate::Doctor;

/// How many gateway routes a finding lists as examples.
const EXAMPLES: usize = 3;

/// The address whose route stands for a whole subnet prefix: its network address, which Azure
/// reserves, so no host route (a private endpoint's /32) sits on it.
fn stands_for(prefix: &IpNet) -> IpAddr {
    prefix.network()
}

impl Doctor<'_, '_> {
    pub(crate) fn firewall_routing_checks(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        if snap.firewalls.is_empty() {
            return;
        }
        let defaults: Vec<Option<(UserRoute, FirewallIdx)>> =
            (0..snap.subnets.len()).map(|s| self.default_route_to_firewall(SubnetIdx(s as u32))).collect();
        for (i, default) in defaults.iter().enumerate() {
            let subnet = SubnetIdx(i as u32);
            if let Some((route, firewall)) = *default {
                out.extend(self.spoke_propagation_bypasses_firewall(subnet, route, firewall));
                out.extend(self.direct_peering_bypasses_firewall(subnet, firewall, &defaults));
            }
            out.extend(self.vnet_range_udr_captures_own_subnet(subnet));
        }
        for (i, s) in snap.subnets.iter().enumerate() {
            if s.is_gateway_subnet() {
                self.gateway_subnet_spoke_routes(SubnetIdx(i as u32), &defaults, out);
            }
        }
    }

    /// The firewall whose private IP is this address.
    pub(crate) fn firewall_at(&self, ip: IpAddr) -> Option<FirewallIdx> {
        self.tracer.addressing.owners(ip).iter().find_map(|o| match o {
            Owner::Firewall { firewall, .. } => Some(*firewall),
            _ => None,
        })
    }

    /// The user route (and its firewall) of a subnet's route table that sends 0.0.0.0/0 to an
    /// Azure Firewall.
    fn default_route_to_firewall(&self, subnet: SubnetIdx) -> Option<(UserRoute, FirewallIdx)> {
        let table = self.snap.subnets[subnet.index()].route_table.as_ref().and_then(|l| l.resolved())?;
        self.snap.route_tables[table.index()].routes.iter().enumerate().find_map(|(index, r)| {
            let default = matches!(r.prefix, RoutePrefix::Cidr(p) if p.prefix_len() == 0 && p.addr().is_ipv4());
            let firewall = (default && r.next_hop_type == RouteNextHopType::VirtualAppliance)
                .then(|| r.next_hop_ips.iter().find_map(|ip| self.firewall_at(*ip)))??;
            Some((UserRoute { table, index }, firewall))
        })
    }

    /// The route a subnet selects for an address.
    pub(crate) fn selected(&self, subnet: SubnetIdx, ip: IpAddr) -> Option<RouteRef> {
        let table = self.routes.subnet_table(subnet).ok()?;
        let index = table.fib.lookup_route(ip)? as usize;
        Some(RouteRef::owning(table, index))
    }

    /// Whether a route sends to this firewall.
    fn to_firewall(&self, route: &EffectiveRoute, firewall: FirewallIdx) -> bool {
        route.next_hop_type == NextHopType::VirtualAppliance
            && route.next_hop_ips.iter().any(|ip| self.firewall_at(*ip) == Some(firewall))
    }

    /// A 0.0.0.0/0 to the firewall with gateway route propagation on: every on-premises prefix
    /// the gateway programs is more specific and skips the firewall (§16.4).
    fn spoke_propagation_bypasses_firewall(
        &self,
        subnet: SubnetIdx,
        default_route: UserRoute,
        firewall: FirewallIdx,
    ) -> Option<Finding> {
        if self.snap.route_tables[default_route.table.index()].disable_bgp_route_propagation {
            return None;
        }
        let table = self.routes.subnet_table(subnet).ok()?;
        let gateway: Vec<usize> = table
            .active()
            .filter(|(_, r)| r.source == RouteSource::VirtualNetworkGateway)
            .filter(|(_, r)| r.prefixes.iter().any(|p| p.prefix_len() > 0))
            .map(|(i, _)| i)
            .collect();
        if gateway.is_empty() {
            return None;
        }
        let gateway_routes = gateway.iter().take(EXAMPLES).map(|&i| RouteRef::new(&table, i)).collect();
        let evidence = SpokePropagationBypassesFirewall {
            subnet,
            firewall,
            default_route,
            gateway_routes,
            gateway_route_count: gateway.len(),
        };
        Some(
            Finding::new(evidence)
                .resource(ResourceRef::RouteTable(default_route.table))
                .resource(ResourceRef::Subnet(subnet))
                .resource(ResourceRef::Firewall(firewall)),
        )
    }

    /// Two directly peered VNets that both send 0.0.0.0/0 to a firewall still reach each other
    /// by the peering route unless a user route names the other's prefixes (§16.4). One finding
    /// per subnet and peered VNet.
    fn direct_peering_bypasses_firewall(
        &self,
        subnet: SubnetIdx,
        firewall: FirewallIdx,
        defaults: &[Option<(UserRoute, FirewallIdx)>],
    ) -> Option<Finding> {
        let snap = self.snap;
        let topo = self.routes.topology();
        let vnet = snap.subnets[subnet.index()].vnet;
        for peering in topo.connected_peerings(snap, vnet) {
            let Some(remote) = topo.peerings[peering.index()].remote_vnet else { continue };
            for &peer_subnet in &snap.vnets[remote.index()].subnets {
                if defaults[peer_subnet.index()].is_none() {
                    continue;
                }
                let Some(host) = snap.subnets[peer_subnet.index()].prefixes.first().map(stands_for) else {
                    continue;
                };
                let Some(route) = self.selected(subnet, host) else { continue };
                if matches!(route.route().next_hop_type, NextHopType::VNetPeering | NextHopType::VNetGlobalPeering) {
                    let evidence = DirectPeeringBypassesFirewall { subnet, peer_subnet, firewall, route };
                    return Some(
                        Finding::new(evidence)
                            .resource(ResourceRef::Subnet(subnet))
                            .resource(ResourceRef::Peering(peering)),
                    );
                }
            }
        }
        None
    }

    /// A user route to the firewall for a range that holds the subnet itself (the VNet's range):
    /// traffic between two hosts of the subnet goes through the firewall unless a `VnetLocal`
    /// route names the subnet's own prefix (§16.4).
    fn vnet_range_udr_captures_own_subnet(&self, subnet: SubnetIdx) -> Option<Finding> {
        let s = &self.snap.subnets[subnet.index()];
        if s.name.eq_ignore_ascii_case("AzureFirewallSubnet") {
            return None;
        }
        for prefix in s.prefixes.iter().filter(|p| p.addr().is_ipv4()) {
            let Some(selected) = self.selected(subnet, stands_for(prefix)) else { continue };
            let r = selected.route();
            let RouteOrigin::User { table, route } = r.origin else { continue };
            let Some(firewall) = r.next_hop_ips.iter().find_map(|ip| self.firewall_at(*ip)) else { continue };
            if r.prefixes.iter().any(|p| p.contains(prefix)) {
                let evidence = VnetRangeUdrCapturesOwnSubnet {
                    subnet,
                    firewall,
                    route: UserRoute { table, index: route },
                    prefix: *prefix,
                };
                return Some(
                    Finding::new(evidence)
                        .resource(ResourceRef::RouteTable(table))
                        .resource(ResourceRef::Subnet(subnet)),
                );
            }
        }
        None
    }

    /// The GatewaySubnet of a hub with a firewall must send every spoke subnet that sends its
    /// traffic to that firewall back through it, with a route the peering route does not beat
    /// (§16.4): only spokes the hub's gateway serves (gateway transit) are reached from
    /// on-premises at all.
    fn gateway_subnet_spoke_routes(
        &self,
        gateway_subnet: SubnetIdx,
        defaults: &[Option<(UserRoute, FirewallIdx)>],
        out: &mut Vec<Finding>,
    ) {
        let snap = self.snap;
        let topo = self.routes.topology();
        let hub = snap.subnets[gateway_subnet.index()].vnet;
        let hub_gateways = &topo.own_gateways[hub.index()];
        if hub_gateways.is_empty() {
            return;
        }
        for peering in topo.connected_peerings(snap, hub) {
            let Some(spoke) = topo.peerings[peering.index()].remote_vnet else { continue };
            let served = topo.attachments[spoke.index()].gateways.iter().any(|g| hub_gateways.contains(g));
            if !served {
                continue;
            }
            for &spoke_subnet in &snap.vnets[spoke.index()].subnets {
                let Some((_, firewall)) = defaults[spoke_subnet.index()] else { continue };
                let fw_vnet = snap.firewalls[firewall.index()].subnet().map(|s| snap.subnets[s.index()].vnet);
                if fw_vnet != Some(hub) {
                    continue;
                }
                for prefix in snap.subnets[spoke_subnet.index()].prefixes.iter().filter(|p| p.addr().is_ipv4()) {
                    out.extend(self.gateway_subnet_spoke_route(gateway_subnet, firewall, spoke_subnet, *prefix));
                }
            }
        }
    }

    fn gateway_subnet_spoke_route(
        &self,
        gateway_subnet: SubnetIdx,
        firewall: FirewallIdx,
        spoke_subnet: SubnetIdx,
        prefix: IpNet,
    ) -> Option<Finding> {
        let selected = self.selected(gateway_subnet, stands_for(&prefix));
        if selected.as_ref().is_some_and(|r| self.to_firewall(r.route(), firewall)) {
            return None;
        }
        let resources = |f: Finding| {
            f.resource(ResourceRef::Subnet(gateway_subnet))
                .resource(ResourceRef::Subnet(spoke_subnet))
                .resource(ResourceRef::Firewall(firewall))
        };
        if let Some(by) = selected.clone()
            && let Some(route) = self.summary_route_to_firewall(gateway_subnet, firewall, &prefix)
        {
            let evidence =
                GatewaySubnetSummaryRouteShadowed { gateway_subnet, firewall, route, spoke_subnet, prefix, by };
            return Some(resources(Finding::new(evidence).resource(ResourceRef::RouteTable(route.table))));
        }
        let evidence = GatewaySubnetMissingSpokeRoute { gateway_subnet, firewall, spoke_subnet, prefix, selected };
        Some(resources(Finding::new(evidence)))
    }

    /// A user route of the GatewaySubnet's table to the firewall whose prefix holds `prefix`.
    fn summary_route_to_firewall(&self, subnet: SubnetIdx, firewall: FirewallIdx, prefix: &IpNet) -> Option<UserRoute> {
        let table = self.snap.subnets[subnet.index()].route_table.as_ref().and_then(|l| l.resolved())?;
        self.snap.route_tables[table.index()].routes.iter().enumerate().find_map(|(index, r)| {
            let covers = matches!(r.prefix, RoutePrefix::Cidr(p) if p.contains(prefix));
            let to_firewall = r.next_hop_type == RouteNextHopType::VirtualAppliance
                && r.next_hop_ips.iter().any(|ip| self.firewall_at(*ip) == Some(firewall));
            (covers && to_firewall).then_some(UserRoute { table, index })
        })
    }
}
