//! Checks of Route Servers and their BGP peers (§19.3): one instance only (RS-11), routes
//! dropped for 65515 (RS-8) or for being inside the VNet (RS-3), an NVA's default route looping
//! back to it (RS-10), gateways beside a Route Server without branch-to-branch (RS-7), and the
//! restrictions of §19.6: branch-to-branch with a VPN gateway that is not active-active or not
//! AS 65515 (RS-7), several Route Servers in one VNet (RS-12).

use std::collections::BTreeSet;
use std::net::IpAddr;

use azroute_engine::*;
use azroute_model::*;
use ipnet::IpNet;

use crate::Doctor;

/// The ASN a VPN gateway must keep to exchange routes with Route Server (RS-7).
const AZURE_GATEWAY_ASN: i64 = 65515;

/// The address standing for the Internet when asking which route a subnet uses for it.
const INTERNET_SAMPLE: &str = "198.51.100.10";

impl Doctor<'_, '_> {
    pub(crate) fn route_server_checks(&self, out: &mut Vec<Finding>) {
        let route_servers = &self.routes.topology().route_servers;
        for (hi, hub) in self.snap.virtual_hubs.iter().enumerate() {
            if !hub.is_route_server() {
                continue;
            }
            let h = VirtualHubIdx(hi as u32);
            let rib = &route_servers.ribs[hi];
            for (ci, connection) in hub.bgp_connections.iter().enumerate() {
                route_server_single_instance_peer(h, ci, connection, out);
                route_server_peer_asn_refused(h, ci, connection, out);
                route_server_peer_over_route_limit(h, ci, connection, out);
            }
            route_server_dropped(h, rib, out);
            self.route_server_default_route_self_loop(h, rib, out);
            self.route_server_branch_to_branch_disabled(h, hub, rib, out);
            self.route_server_branch_to_branch_gateway(h, hub, out);
        }
        self.route_server_multiple_per_vnet(out);
    }

    /// RS-7 (§19.6): with branch-to-branch, the VPN gateway of the Route Server's VNet must be
    /// active-active with AS 65515. An ASN the export does not hold is not judged.
    fn route_server_branch_to_branch_gateway(&self, hub: VirtualHubIdx, h: &VirtualHub, out: &mut Vec<Finding>) {
        let Some(vnet) = h.vnet.as_ref().and_then(|l| l.resolved()) else { return };
        if !h.allow_branch_to_branch_traffic {
            return;
        }
        for &g in &self.routes.topology().own_gateways[vnet.index()] {
            let gw = &self.snap.gateways[g.index()];
            let wrong_asn = gw.bgp_asn.is_some_and(|a| a != AZURE_GATEWAY_ASN);
            if gw.gateway_type != GatewayType::Vpn || (gw.active_active && !wrong_asn) {
                continue;
            }
            let e = RouteServerBranchToBranchGatewayNotActiveActive {
                hub,
                gateway: g,
                active_active: gw.active_active,
                asn: gw.bgp_asn,
            };
            out.push(Finding::new(e).resource(ResourceRef::VirtualHub(hub)).resource(ResourceRef::Gateway(g)));
        }
    }

    /// RS-12 (§19.6): one Route Server per VNet.
    fn route_server_multiple_per_vnet(&self, out: &mut Vec<Finding>) {
        let mut by_vnet: std::collections::BTreeMap<VnetIdx, Vec<VirtualHubIdx>> = Default::default();
        for (hi, hub) in self.snap.virtual_hubs.iter().enumerate() {
            if let Some(vnet) = hub.vnet.as_ref().and_then(|l| l.resolved()).filter(|_| hub.is_route_server()) {
                by_vnet.entry(vnet).or_default().push(VirtualHubIdx(hi as u32));
            }
        }
        for (vnet, hubs) in by_vnet.into_iter().filter(|(_, h)| h.len() > 1) {
            let mut finding =
                Finding::new(RouteServerMultiplePerVnet { vnet, hubs: hubs.clone() }).resource(ResourceRef::Vnet(vnet));
            for h in hubs {
                finding = finding.resource(ResourceRef::VirtualHub(h));
            }
            out.push(finding);
        }
    }

    /// RS-10: the NVA a Route Server's 0.0.0.0/0 points at gets the route on its own subnet;
    /// unless a user route overrides it there, the NVA's Internet traffic comes back to it.
    fn route_server_default_route_self_loop(&self, hub: VirtualHubIdx, rib: &RouteServerRib, out: &mut Vec<Finding>) {
        let internet: IpAddr = INTERNET_SAMPLE.parse().expect("valid");
        let hops: BTreeSet<IpAddr> =
            rib.routes.iter().filter(|r| r.prefix.prefix_len() == 0).map(|r| r.next_hop).collect();
        for next_hop in hops {
            let Some((nic, subnet)) = self.nic_with_address(next_hop) else { continue };
            let Ok(table) = self.routes.subnet_table(subnet) else { continue };
            let used = table.fib.lookup(internet).map(|e| &table.routes[e.route as usize]);
            let loops = used.is_some_and(|r| {
                matches!(r.origin, RouteOrigin::RouteServer { hub: h, .. } if h == hub)
                    && r.next_hop_ips.contains(&next_hop)
            });
            if loops {
                let e = RouteServerDefaultRouteSelfLoop { hub, subnet, nic, next_hop };
                out.push(
                    Finding::new(e)
                        .resource(ResourceRef::Subnet(subnet))
                        .resource(ResourceRef::Nic(nic))
                        .resource(ResourceRef::VirtualHub(hub)),
                );
            }
        }
    }

    /// The NIC holding an address, and its subnet.
    fn nic_with_address(&self, ip: IpAddr) -> Option<(NicIdx, SubnetIdx)> {
        self.snap.nics.iter().enumerate().find_map(|(ni, nic)| {
            nic.ip_configs
                .iter()
                .find(|c| c.private_ip == Some(ip))
                .and_then(|c| c.subnet.as_ref().and_then(|l| l.resolved()).map(|s| (NicIdx(ni as u32), s)))
        })
    }

    /// RS-7: without branch-to-branch, the gateways in the Route Server's VNet and its peers
    /// exchange no routes.
    fn route_server_branch_to_branch_disabled(
        &self,
        hub: VirtualHubIdx,
        h: &VirtualHub,
        rib: &RouteServerRib,
        out: &mut Vec<Finding>,
    ) {
        let Some(vnet) = h.vnet.as_ref().and_then(|l| l.resolved()) else { return };
        let gateways = self.routes.topology().own_gateways[vnet.index()].clone();
        if h.allow_branch_to_branch_traffic || gateways.is_empty() || rib.routes.is_empty() {
            return;
        }
        let prefixes: BTreeSet<IpNet> = rib.routes.iter().map(|r| r.prefix).collect();
        let e = RouteServerBranchToBranchDisabled {
            hub,
            gateways: gateways.clone(),
            prefixes: prefixes.into_iter().collect(),
        };
        let mut finding = Finding::new(e).resource(ResourceRef::VirtualHub(hub));
        for g in gateways {
            finding = finding.resource(ResourceRef::Gateway(g));
        }
        out.push(finding);
    }
}

/// RS-11: a prefix present on one instance's list and missing from the other's.
fn route_server_single_instance_peer(hub: VirtualHubIdx, ci: usize, c: &BgpConnection, out: &mut Vec<Finding>) {
    const INSTANCES: [&str; 2] = ["RouteServiceRole_IN_0", "RouteServiceRole_IN_1"];
    if !c.learned_routes_supplied || c.learned_routes.iter().any(|r| r.instance.is_empty()) {
        return;
    }
    let on = |instance: &str| -> BTreeSet<IpNet> {
        c.learned_routes.iter().filter(|r| r.instance.eq_ignore_ascii_case(instance)).map(|r| r.route.network).collect()
    };
    let (first, second) = (on(INSTANCES[0]), on(INSTANCES[1]));
    for (present, missing, present_on, missing_on) in
        [(&first, &second, INSTANCES[0], INSTANCES[1]), (&second, &first, INSTANCES[1], INSTANCES[0])]
    {
        let prefixes: Vec<IpNet> = present.difference(missing).copied().collect();
        if !prefixes.is_empty() {
            let e = RouteServerSingleInstancePeer {
                hub,
                connection: ci,
                present_on: present_on.to_string(),
                missing_on: missing_on.to_string(),
                prefixes,
            };
            out.push(Finding::new(e).resource(ResourceRef::VirtualHub(hub)));
        }
    }
}

/// RS-8: Route Server peers only with 16-bit ASNs that are not reserved.
fn route_server_peer_asn_refused(hub: VirtualHubIdx, ci: usize, c: &BgpConnection, out: &mut Vec<Finding>) {
    if let Some(asn) = c.peer_asn.filter(|&a| peer_asn_refused(a)) {
        let e = RouteServerPeerAsnRefused { hub, connection: ci, asn };
        out.push(Finding::new(e).resource(ResourceRef::VirtualHub(hub)));
    }
}

/// RS-8: a peer over the route limit loses its session, and with it every route.
fn route_server_peer_over_route_limit(hub: VirtualHubIdx, ci: usize, c: &BgpConnection, out: &mut Vec<Finding>) {
    let routes = peer_route_count(c);
    if routes > PEER_ROUTE_LIMIT {
        let e = RouteServerPeerOverRouteLimit { hub, connection: ci, routes, limit: PEER_ROUTE_LIMIT };
        out.push(Finding::new(e).resource(ResourceRef::VirtualHub(hub)));
    }
}

/// RS-8 and RS-3: what each peer advertised that the Route Server drops.
fn route_server_dropped(hub: VirtualHubIdx, rib: &RouteServerRib, out: &mut Vec<Finding>) {
    let peers: BTreeSet<usize> = rib.dropped.iter().map(|d| d.connection).collect();
    for connection in peers {
        let of_peer = rib.dropped.iter().filter(|d| d.connection == connection);
        let mut as_path = Vec::new();
        let mut inside = Vec::new();
        for d in of_peer {
            match &d.reason {
                RouteServerDrop::AsPath65515 => as_path.push((d.route.network, d.route.as_path.clone())),
                RouteServerDrop::InsideVnetRange { range } => inside.push((d.route.network, *range)),
                RouteServerDrop::LongerAsPath { .. } | RouteServerDrop::PeerOverRouteLimit { .. } => {}
            }
        }
        as_path.dedup();
        inside.dedup();
        if !as_path.is_empty() {
            let e = RouteServerRouteDroppedAsPath65515 { hub, connection, routes: as_path };
            out.push(Finding::new(e).resource(ResourceRef::VirtualHub(hub)));
        }
        if !inside.is_empty() {
            let e = RouteServerPrefixTooSpecific { hub, connection, prefixes: inside };
            out.push(Finding::new(e).resource(ResourceRef::VirtualHub(hub)));
        }
    }
}
