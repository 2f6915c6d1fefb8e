//! Route table checks: tables that apply to nothing or to a subnet of another region or
//! subscription (T35), the route limits (§3.6), duplicate prefixes (§3.1), next hop
//! VirtualNetworkGateway without a VPN gateway (§3.4) or, for 0.0.0.0/0, without a default
//! site (§6.1), and an NVA in the subnet whose traffic its own table sends back to it (§3.3).
//! Appliance next hops are checked in `appliances.rs`.

use std::collections::{BTreeSet, HashMap};

use azroute_engine::*;
use azroute_model::*;

use crate::Doctor;

impl Doctor<'_, '_> {
    /// Every route table, and the routes of those associated with a subnet.
    pub(crate) fn route_table_checks(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        let associations = self.associations();
        for (ti, table) in snap.route_tables.iter().enumerate() {
            let t = RouteTableIdx(ti as u32);
            let subnets = &associations[ti];
            out.extend(route_table_not_associated(t, subnets));
            out.extend(subnets.iter().filter_map(|&s| route_table_region_mismatch(snap, t, s)));
            out.extend(self.route_limit_exceeded(t));
            out.extend(service_tag_route_limit(snap, t));
            duplicate_prefix_in_route_table(snap, t, out);
            if subnets.is_empty() {
                continue;
            }
            for (index, r) in table.routes.iter().enumerate() {
                let route = UserRoute { table: t, index };
                match r.next_hop_type {
                    RouteNextHopType::VirtualAppliance | RouteNextHopType::VirtualApplianceEcmp => {
                        for ip in &r.next_hop_ips {
                            self.appliance_checks(route, *ip, subnets, out);
                        }
                    }
                    RouteNextHopType::VirtualNetworkGateway => {
                        self.udr_gateway_not_vpn(route, subnets, out);
                        self.forced_tunnel_no_default_site(route, subnets, out);
                    }
                    _ => {}
                }
            }
            nva_in_same_subnet_loop(snap, t, subnets, out);
        }
    }

    /// More routes than Azure allows, or than the documented 400 (§3.6).
    fn route_limit_exceeded(&self, table: RouteTableIdx) -> Option<Finding> {
        let count = self.snap.route_tables[table.index()].routes.len();
        let options = self.routes.options();
        let evidence = if count > options.max_routes_per_table {
            RouteLimitExceeded::Over { table, count, limit: options.max_routes_per_table }
        } else if count > options.warn_routes_per_table {
            RouteLimitExceeded::Near { table, count }
        } else {
            return None;
        };
        Some(Finding::new(evidence).resource(ResourceRef::RouteTable(table)))
    }

    /// A 0.0.0.0/0 route to VirtualNetworkGateway sends Internet-bound traffic to the VPN
    /// gateway's default site (`gatewayDefaultSite`) or to a 0.0.0.0/0 it learned over BGP; with
    /// neither, the gateway drops it (§6.1). A BGP gateway whose learned routes the export lacks
    /// is not judged.
    fn forced_tunnel_no_default_site(&self, route: UserRoute, subnets: &[SubnetIdx], out: &mut Vec<Finding>) {
        let snap = self.snap;
        let topo = self.routes.topology();
        let prefix = &snap.route_tables[route.table.index()].routes[route.index].prefix;
        if !matches!(prefix, RoutePrefix::Cidr(p) if p.prefix_len() == 0 && p.addr().is_ipv4()) {
            return;
        }
        let vnets: BTreeSet<VnetIdx> = subnets.iter().map(|s| snap.subnets[s.index()].vnet).collect();
        for vnet in vnets {
            for &gateway in &topo.attachments[vnet.index()].gateways {
                let g = &snap.gateways[gateway.index()];
                let learned_default = topo.gateway_prefixes[gateway.index()]
                    .iter()
                    .any(|gp| gp.prefix.prefix_len() == 0 && gp.prefix.addr().is_ipv4());
                let undecidable = g.bgp_enabled && !g.learned_routes_supplied;
                if g.gateway_type != GatewayType::Vpn || g.default_site.is_some() || learned_default || undecidable {
                    continue;
                }
                out.push(
                    Finding::new(ForcedTunnelNoDefaultSite::Route { route, vnet, gateway })
                        .resource(ResourceRef::Gateway(gateway))
                        .resource(ResourceRef::RouteTable(route.table))
                        .resource(ResourceRef::Vnet(vnet)),
                );
            }
        }
    }

    /// Next hop VirtualNetworkGateway means the VNet's own VPN gateway or the hub's by transit
    /// (§3.4): checked for every VNet the table's subnets are in.
    fn udr_gateway_not_vpn(&self, route: UserRoute, subnets: &[SubnetIdx], out: &mut Vec<Finding>) {
        let snap = self.snap;
        let vnets: BTreeSet<VnetIdx> = subnets.iter().map(|s| snap.subnets[s.index()].vnet).collect();
        for vnet in vnets {
            let gateways = &self.routes.topology().attachments[vnet.index()].gateways;
            let vpn = gateways.iter().any(|g| snap.gateways[g.index()].gateway_type == GatewayType::Vpn);
            let er = gateways.iter().find(|g| snap.gateways[g.index()].gateway_type == GatewayType::ExpressRoute);
            let evidence = match (vpn, er) {
                (true, None) => continue,
                (false, None) => UdrGatewayNotVpn::NoGateway { route, vnet },
                (_, Some(&gateway)) => UdrGatewayNotVpn::ExpressRoute { route, vnet, gateway },
            };
            out.push(
                Finding::new(evidence).resource(ResourceRef::RouteTable(route.table)).resource(ResourceRef::Vnet(vnet)),
            );
        }
    }
}

/// Azure associates a route table only with subnets of VNets in its own region and subscription
/// (T35); a snapshot that does otherwise is not what Azure runs (a plan, an edited export).
fn route_table_region_mismatch(snap: &Snapshot, table: RouteTableIdx, subnet: SubnetIdx) -> Option<Finding> {
    let t = &snap.route_tables[table.index()];
    let vnet = &snap.vnets[snap.subnets[subnet.index()].vnet.index()];
    let evidence = if !t.location.is_empty() && !vnet.location.is_empty() && t.location != vnet.location {
        RouteTableRegionMismatch::Region {
            table,
            subnet,
            table_location: t.location.clone(),
            vnet_location: vnet.location.clone(),
        }
    } else {
        match (subscription_of(&t.id), subscription_of(&vnet.id)) {
            (Some(a), Some(b)) if !a.eq_ignore_ascii_case(b) => RouteTableRegionMismatch::Subscription {
                table,
                subnet,
                table_subscription: a.to_string(),
                vnet_subscription: b.to_string(),
            },
            _ => return None,
        }
    };
    Some(Finding::new(evidence).resource(ResourceRef::RouteTable(table)).resource(ResourceRef::Subnet(subnet)))
}

/// The subscription segment of a full resource id (exports without it say nothing).
fn subscription_of(id: &ArmId) -> Option<&str> {
    let text = id.as_str();
    let start = text.get(..15).filter(|p| p.eq_ignore_ascii_case("/subscriptions/")).map(|_| 15)?;
    text[start..].split('/').next().filter(|s| !s.is_empty())
}

/// A route table acts only on the subnets associated with it.
fn route_table_not_associated(table: RouteTableIdx, subnets: &[SubnetIdx]) -> Option<Finding> {
    subnets.is_empty().then(|| Finding::new(RouteTableNotAssociated { table }).resource(ResourceRef::RouteTable(table)))
}

/// At most 25 routes whose prefix is a service tag.
fn service_tag_route_limit(snap: &Snapshot, table: RouteTableIdx) -> Option<Finding> {
    let routes = &snap.route_tables[table.index()].routes;
    let count = routes.iter().filter(|r| matches!(r.prefix, RoutePrefix::ServiceTag(_))).count();
    (count > 25).then(|| Finding::new(ServiceTagRouteLimit { table, count }).resource(ResourceRef::RouteTable(table)))
}

/// One prefix twice in a table: Azure refuses it (§3.1).
fn duplicate_prefix_in_route_table(snap: &Snapshot, table: RouteTableIdx, out: &mut Vec<Finding>) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, r) in snap.route_tables[table.index()].routes.iter().enumerate() {
        let key = r.prefix.text().to_ascii_lowercase();
        match seen.get(&key) {
            Some(&first) => out.push(
                Finding::new(DuplicatePrefixInRouteTable { table, first, second: i })
                    .resource(ResourceRef::RouteTable(table)),
            ),
            None => {
                seen.insert(key, i);
            }
        }
    }
}

/// An NVA in a subnet whose own table sends traffic back to it (§3.3).
fn nva_in_same_subnet_loop(snap: &Snapshot, table: RouteTableIdx, subnets: &[SubnetIdx], out: &mut Vec<Finding>) {
    let routes = &snap.route_tables[table.index()].routes;
    for (index, r) in routes.iter().enumerate().filter(|(_, r)| r.next_hop_type == RouteNextHopType::VirtualAppliance) {
        for &s in subnets {
            let subnet = &snap.subnets[s.index()];
            let Some(&next_hop) = r.next_hop_ips.first() else { continue };
            let covers_subnet = match &r.prefix {
                RoutePrefix::Cidr(p) => subnet.prefixes.iter().any(|sp| contains_prefix(p, sp)) || p.prefix_len() == 0,
                RoutePrefix::ServiceTag(_) => false,
            };
            if subnet.contains(next_hop) && covers_subnet {
                let looped = NvaInSameSubnetLoop { route: UserRoute { table, index }, subnet: s, next_hop };
                out.push(
                    Finding::new(looped).resource(ResourceRef::RouteTable(table)).resource(ResourceRef::Subnet(s)),
                );
            }
        }
    }
}
