//! Network Watcher's next hop (§7.5): the route a NIC's subnet uses for one destination,
//! spelled the way `az network watcher show-next-hop` answers.

use std::net::IpAddr;

use azroute_model::*;

use crate::route::*;

/// A next-hop answer: `{"nextHopType", "nextHopIpAddress", "routeTableId"}` plus the route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextHopAnswer {
    /// Network Watcher's spelling (`VirtualNetwork`, `VirtualNetworkPeering`, …).
    pub next_hop_type: String,
    pub next_hop_ip: Option<IpAddr>,
    /// The route table holding the winning user route; `None` means "System Route".
    pub route_table: Option<RouteTableIdx>,
    /// The winning route in the table, if any route matched.
    pub route: Option<usize>,
    /// Notes on choices Azure does not document (a private endpoint's name, ECMP's pick).
    pub assumptions: Vec<String>,
}

/// The next hop from a subnet's table to `destination`.
pub fn next_hop(snap: &Snapshot, table: &EffectiveRouteTable, destination: IpAddr) -> NextHopAnswer {
    let Some(entry) = table.fib.lookup(destination) else {
        return NextHopAnswer {
            next_hop_type: "None".to_string(),
            next_hop_ip: None,
            route_table: None,
            route: None,
            assumptions: vec!["no route matches this destination; the packet is dropped".to_string()],
        };
    };
    let route = &table.routes[entry.route as usize];
    let mut assumptions = Vec::new();
    let mut next_hop_type = route.next_hop_type.network_watcher_name().to_string();
    if let RouteOrigin::PrivateEndpoint { endpoint } = route.origin {
        let own = snap.private_endpoints[endpoint.index()]
            .subnet
            .as_ref()
            .and_then(|l| l.resolved())
            .is_some_and(|s| snap.subnets[s.index()].vnet == table.vnet);
        if !own {
            next_hop_type = "VirtualNetworkPeering".to_string();
        }
        assumptions.push(format!(
            "the winning route is a private endpoint /32 (InterfaceEndpoint); Network Watcher documents no name for it, so azroute answers {next_hop_type}"
        ));
    }
    if route.next_hop_type == NextHopType::VirtualAppliance
        && let Some(&appliance) = route.next_hop_ips.first()
        && !table.reaches_address_space(appliance)
    {
        next_hop_type = "None".to_string();
        assumptions.push(format!(
            "the route's virtual appliance {appliance} is outside every address space the VNet reaches (its own ranges and its connected peerings'): Azure cannot deliver to it, and Network Watcher answers next hop type None with the appliance's address and the route table (as recorded in 2017 and 2020); `azroute trace` drops there with NextHopUnreachable"
        ));
    }
    let next_hop_ip = match route.next_hop_type {
        NextHopType::VirtualAppliance | NextHopType::VirtualNetworkGateway => route.next_hop_ips.first().copied(),
        _ => None,
    };
    if route.next_hop_ips.len() > 1 && next_hop_ip.is_some() {
        assumptions.push(format!(
            "the route has {} next hop IPs; Network Watcher returns one, and azroute shows the first",
            route.next_hop_ips.len()
        ));
    }
    let route_table = match route.origin {
        RouteOrigin::User { table, .. } => Some(table),
        _ => None,
    };
    NextHopAnswer { next_hop_type, next_hop_ip, route_table, route: Some(entry.route as usize), assumptions }
}
