//! Subnets Azure reserves for its own services: the GatewaySubnet (no 0.0.0.0/0 route, route
//! propagation on, no NSG) and the RouteServerSubnet (no route table, no NSG).

use azroute_engine::*;
use azroute_model::*;

use crate::Doctor;

impl Doctor<'_, '_> {
    pub(crate) fn special_subnet_checks(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        for (i, s) in snap.subnets.iter().enumerate() {
            let subnet = SubnetIdx(i as u32);
            let table = s.route_table.as_ref().and_then(|l| l.resolved());
            if s.is_gateway_subnet() {
                if let Some(t) = table {
                    out.extend(gateway_subnet_default_route(snap, subnet, t));
                    out.extend(gateway_subnet_propagation_disabled(snap, subnet, t));
                }
                out.extend(nsg_on_gateway_subnet(snap, subnet));
            }
            if s.is_route_server_subnet() && (table.is_some() || s.nsg.is_some()) {
                out.push(Finding::new(UdrOrNsgOnRouteServerSubnet { subnet }).resource(ResourceRef::Subnet(subnet)));
            }
        }
    }
}

/// Azure does not support a 0.0.0.0/0 route on the GatewaySubnet.
fn gateway_subnet_default_route(snap: &Snapshot, subnet: SubnetIdx, table: RouteTableIdx) -> Option<Finding> {
    let index = snap.route_tables[table.index()]
        .routes
        .iter()
        .position(|r| matches!(r.prefix, RoutePrefix::Cidr(p) if p.prefix_len() == 0 && p.addr().is_ipv4()))?;
    let route = UserRoute { table, index };
    Some(
        Finding::new(GatewaySubnetDefaultRoute { subnet, route })
            .resource(ResourceRef::RouteTable(table))
            .resource(ResourceRef::Subnet(subnet)),
    )
}

/// Gateway route propagation must stay enabled on the GatewaySubnet.
fn gateway_subnet_propagation_disabled(snap: &Snapshot, subnet: SubnetIdx, table: RouteTableIdx) -> Option<Finding> {
    snap.route_tables[table.index()].disable_bgp_route_propagation.then(|| {
        Finding::new(GatewaySubnetPropagationDisabled { subnet, table })
            .resource(ResourceRef::RouteTable(table))
            .resource(ResourceRef::Subnet(subnet))
    })
}

/// NSGs are not supported on the GatewaySubnet.
fn nsg_on_gateway_subnet(snap: &Snapshot, subnet: SubnetIdx) -> Option<Finding> {
    let nsg = snap.subnets[subnet.index()].nsg.as_ref().and_then(|l| l.resolved())?;
    Some(
        Finding::new(NsgOnGatewaySubnet { subnet, nsg })
            .resource(ResourceRef::Nsg(nsg))
            .resource(ResourceRef::Subnet(subnet)),
    )
}
