//! NSGs on the way through an NVA: Azure applies the NVA NIC's and subnet's NSGs to the packets
//! it forwards like to any other (§9.3), so a user route to an NVA whose NSG denies the routed
//! traffic (a `DenyAllInBound` left in place, say) drops it silently.

use std::net::IpAddr;

use azroute_engine::*;
use azroute_engine::{Flow, NsgEvaluation};
use azroute_model::*;

use crate::{Doctor, TRAFFIC_PORT, first_host};

impl Doctor<'_, '_> {
    /// For each subnet the route serves, a representative packet of its traffic to an address of
    /// the route's prefix, checked by the NVA's NSGs as it enters and as it leaves the NVA; each
    /// subnet whose packet a rule denies is a finding, grouped later by the NSG.
    pub(crate) fn nsg_blocks_forwarded_traffic(
        &self,
        route: UserRoute,
        nic: NicIdx,
        subnets: &[SubnetIdx],
    ) -> Vec<Finding> {
        let snap = self.snap;
        let RoutePrefix::Cidr(prefix) = &snap.route_tables[route.table.index()].routes[route.index].prefix else {
            return Vec::new();
        };
        let Some(destination) = first_host(prefix) else { return Vec::new() };
        let mut out = Vec::new();
        for &subnet in subnets {
            let Some(source) = snap.subnets[subnet.index()].prefixes.iter().find_map(first_host) else { continue };
            if source.is_ipv4() != destination.is_ipv4() || !self.routes_to(subnet, destination, route) {
                continue;
            }
            if let Some((direction, denied)) = self.forwarded_denied(nic, source, destination) {
                let blocked = NsgBlocksForwardedTraffic {
                    route,
                    subnet,
                    nic,
                    nsg: denied.nsg,
                    applied_to: denied.applied_to,
                    rule: denied.rule_name,
                    direction,
                    protocol: Protocol::Tcp,
                    source,
                    destination,
                    destination_port: TRAFFIC_PORT,
                };
                out.push(
                    Finding::new(blocked)
                        .resource(ResourceRef::Nsg(denied.nsg))
                        .resource(ResourceRef::Nic(nic))
                        .resource(ResourceRef::RouteTable(route.table))
                        .resource(ResourceRef::Subnet(subnet)),
                );
            }
        }
        out
    }

    /// Whether the subnet's computed table sends `destination` by this user route.
    fn routes_to(&self, subnet: SubnetIdx, destination: IpAddr, route: UserRoute) -> bool {
        let Ok(table) = self.routes.subnet_table(subnet) else { return false };
        table.fib.lookup(destination).is_some_and(|e| {
            matches!(table.routes[e.route as usize].origin,
                RouteOrigin::User { table: t, route: index } if t == route.table && index == route.index)
        })
    }

    /// The NSG evaluation that denies the forwarded packet at the NVA's NIC, inbound first.
    fn forwarded_denied(&self, nic: NicIdx, source: IpAddr, destination: IpAddr) -> Option<(Direction, NsgEvaluation)> {
        [Direction::Inbound, Direction::Outbound].into_iter().find_map(|direction| {
            let flow = Flow {
                direction,
                protocol: Protocol::Tcp,
                source,
                source_port: Some(50000),
                destination,
                destination_port: Some(TRAFFIC_PORT),
            };
            let decision = self.security.evaluate(nic, &flow).ok()?;
            let denied = decision.evaluations.into_iter().find(|e| e.access == Access::Deny)?;
            Some((direction, denied))
        })
    }
}
