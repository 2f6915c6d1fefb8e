//! Egress and platform-service subnets (§17): private subnets without an outbound method or
//! with user routes to the Internet, default outbound access still in use, NAT gateways
//! overridden or on subnets that cannot use them, Application Gateway v2 and Bastion subnet
//! rules, public load balancers behind a firewall's default route, and uniform scale sets
//! whose instance NICs were not exported.

use std::sync::Arc;

use azroute_engine::*;
use azroute_model::*;

use crate::Doctor;

/// Services a StandardV2 NAT gateway does not support on their delegated subnets (§17.2).
const STANDARD_V2_UNSUPPORTED: [&str; 6] = [
    "Microsoft.ContainerInstance/containerGroups",
    "Microsoft.DBforPostgreSQL/flexibleServers",
    "Microsoft.DBforMySQL/flexibleServers",
    "Microsoft.Web/serverFarms",
    "Microsoft.App/environments",
    "Microsoft.Network/dnsResolvers",
];

const SQL_MANAGED_INSTANCE: &str = "Microsoft.Sql/managedInstances";

/// The active IPv4 0.0.0.0/0 route of a table.
fn default_route(table: &Arc<EffectiveRouteTable>) -> Option<RouteRef> {
    let index = table
        .routes
        .iter()
        .position(|r| r.is_active() && r.prefixes.iter().any(|p| p.prefix_len() == 0 && p.addr().is_ipv4()))?;
    Some(RouteRef::new(table, index))
}

fn to_appliance(route: &RouteRef) -> bool {
    matches!(route.route().next_hop_type, NextHopType::VirtualAppliance | NextHopType::VirtualNetworkGateway)
}

impl Doctor<'_, '_> {
    pub(crate) fn egress_checks(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        for i in 0..snap.subnets.len() {
            let subnet = SubnetIdx(i as u32);
            let Ok(table) = self.routes.subnet_table(subnet) else { continue };
            let default = default_route(&table);
            self.outbound_method_checks(subnet, &table, default.as_ref(), out);
            out.extend(nat_gateway_overridden_by_udr(snap, subnet, default.as_ref()));
            out.extend(self.nat_gateway_on_unsupported_subnet(subnet));
            out.extend(bastion_subnet_checks(snap, subnet));
        }
        self.app_gateway_v2_default_route_to_appliance(out);
        self.public_load_balancer_behind_firewall(out);
        vmss_nics_missing(snap, out);
    }

    /// The subnet's NICs that have no explicit outbound method of their own.
    fn without_explicit_method(&self, subnet: SubnetIdx) -> Vec<NicIdx> {
        self.nics_by_subnet[subnet.index()]
            .iter()
            .copied()
            .filter(|n| self.snap.nics[n.index()].private_endpoint.is_none())
            .filter(|n| nic_explicit_egress(self.snap, *n, None).is_none())
            .collect()
    }

    /// `PrivateSubnetNoEgress`, `PrivateSubnetInternetUdr` and `DefaultOutboundAccessInUse`:
    /// what the subnet's NICs without an explicit method get when their traffic leaves for the
    /// Internet (§17.2). An unset `defaultOutboundAccess` is not judged: the export cannot say.
    fn outbound_method_checks(
        &self,
        subnet: SubnetIdx,
        table: &Arc<EffectiveRouteTable>,
        default: Option<&RouteRef>,
        out: &mut Vec<Finding>,
    ) {
        let s = &self.snap.subnets[subnet.index()];
        if s.nat_gateway.is_some() || s.is_service_managed() {
            return;
        }
        let internet = default.filter(|r| r.route().next_hop_type == NextHopType::Internet);
        let mut nics = self.without_explicit_method(subnet);
        if s.default_outbound_access != Some(false) {
            nics.retain(|n| flexible_scale_set(self.snap, *n).is_none());
            flexible_instances_no_egress(self.snap, subnet, &self.without_explicit_method(subnet), internet, out);
        }
        let Some(allowed) = s.default_outbound_access else { return };
        if nics.is_empty() {
            return;
        }
        let at = ResourceRef::Subnet(subnet);
        match (allowed, internet) {
            (false, Some(route)) => {
                let e = PrivateSubnetNoEgress::Subnet { subnet, nics: nics.clone(), route: route.clone() };
                out.push(Finding::new(e).resource(at));
            }
            (true, Some(_)) => {
                out.push(Finding::new(DefaultOutboundAccessInUse { subnet, nics: nics.clone() }).resource(at));
            }
            _ => {}
        }
        if allowed {
            return;
        }
        for (index, r) in table.routes.iter().enumerate() {
            if r.is_active() && r.source == RouteSource::User && r.next_hop_type == NextHopType::Internet {
                let route = RouteRef::new(table, index);
                let finding = Finding::new(PrivateSubnetInternetUdr { subnet, route, nics: nics.clone() });
                let finding = match r.origin {
                    RouteOrigin::User { table, .. } => finding.resource(ResourceRef::RouteTable(table)),
                    _ => finding,
                };
                out.push(finding.resource(at));
            }
        }
    }

    /// `NatGatewayOnUnsupportedSubnet` (§17.2).
    fn nat_gateway_on_unsupported_subnet(&self, subnet: SubnetIdx) -> Option<Finding> {
        let snap = self.snap;
        let s = &snap.subnets[subnet.index()];
        let nat_gateway = s.nat_gateway.as_ref().and_then(|l| l.resolved())?;
        let g = &snap.nat_gateways[nat_gateway.index()];
        let delegated = |service: &str| s.delegations.iter().any(|d| d.eq_ignore_ascii_case(service));
        let v2_service = STANDARD_V2_UNSUPPORTED.iter().find(|svc| delegated(svc));
        let basic_lb = snap.load_balancers.iter().position(|lb| {
            lb.is_basic()
                && lb
                    .backend_nics
                    .iter()
                    .any(|n| n.resolved().is_some_and(|n| self.nics_by_subnet[subnet.index()].contains(&n)))
        });
        let reason = if s.is_gateway_subnet() {
            NatGatewayUnsupported::GatewaySubnet
        } else if delegated(SQL_MANAGED_INSTANCE) {
            NatGatewayUnsupported::SqlManagedInstance
        } else if let (true, Some(service)) = (g.sku.eq_ignore_ascii_case("StandardV2"), v2_service) {
            NatGatewayUnsupported::StandardV2Delegated { service: service.to_string() }
        } else if let Some(lb) = basic_lb {
            NatGatewayUnsupported::BasicLoadBalancer { lb: LoadBalancerIdx(lb as u32) }
        } else {
            return None;
        };
        let e = NatGatewayOnUnsupportedSubnet { subnet, nat_gateway, reason };
        Some(Finding::new(e).resource(ResourceRef::NatGateway(nat_gateway)).resource(ResourceRef::Subnet(subnet)))
    }

    /// `AppGatewayV2DefaultRouteToAppliance` (§17.3).
    fn app_gateway_v2_default_route_to_appliance(&self, out: &mut Vec<Finding>) {
        for (i, agw) in self.snap.application_gateways.iter().enumerate().filter(|(_, a)| a.is_v2()) {
            let gateway = ApplicationGatewayIdx(i as u32);
            for subnet in agw.subnets.iter().filter_map(|l| l.resolved()) {
                let Ok(table) = self.routes.subnet_table(subnet) else { continue };
                if let Some(route) = default_route(&table).filter(to_appliance) {
                    let e = AppGatewayV2DefaultRouteToAppliance { gateway, subnet, route };
                    out.push(
                        Finding::new(e)
                            .resource(ResourceRef::ApplicationGateway(gateway))
                            .resource(ResourceRef::Subnet(subnet)),
                    );
                }
            }
        }
    }

    /// `PublicLoadBalancerBehindFirewallDefaultRoute` (§17.3): per public load balancer and
    /// backend subnet whose 0.0.0.0/0 goes to a virtual appliance.
    fn public_load_balancer_behind_firewall(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        for (i, lb) in snap.load_balancers.iter().enumerate().filter(|(_, lb)| lb.is_public()) {
            let backends: Vec<NicIdx> = lb.backend_nics.iter().filter_map(|l| l.resolved()).collect();
            let mut subnets: Vec<SubnetIdx> = backends.iter().filter_map(|n| self.routes.nic_subnet(*n).ok()).collect();
            subnets.sort();
            subnets.dedup();
            for subnet in subnets {
                let Ok(table) = self.routes.subnet_table(subnet) else { continue };
                let Some(route) = default_route(&table) else { continue };
                if route.route().next_hop_type != NextHopType::VirtualAppliance {
                    continue;
                }
                let nics: Vec<NicIdx> =
                    backends.iter().copied().filter(|n| self.routes.nic_subnet(*n).ok() == Some(subnet)).collect();
                let lb = LoadBalancerIdx(i as u32);
                let context = RouteContext { subnet, others: 0 };
                let e = PublicLoadBalancerBehindFirewallDefaultRoute { lb, context, nics, route };
                out.push(Finding::new(e).resource(ResourceRef::LoadBalancer(lb)).resource(ResourceRef::Subnet(subnet)));
            }
        }
    }
}

/// `NatGatewayOverriddenByUdr` (§17.2).
fn nat_gateway_overridden_by_udr(snap: &Snapshot, subnet: SubnetIdx, default: Option<&RouteRef>) -> Option<Finding> {
    let nat_gateway = snap.subnets[subnet.index()].nat_gateway.as_ref().and_then(|l| l.resolved())?;
    let route = default.filter(|r| to_appliance(r))?.clone();
    let e = NatGatewayOverriddenByUdr { subnet, nat_gateway, route };
    Some(Finding::new(e).resource(ResourceRef::Subnet(subnet)).resource(ResourceRef::NatGateway(nat_gateway)))
}

/// `UdrOnBastionSubnet` and `BastionSubnetTooSmall` (§17.3).
fn bastion_subnet_checks(snap: &Snapshot, subnet: SubnetIdx) -> Vec<Finding> {
    let s = &snap.subnets[subnet.index()];
    if !s.is_bastion_subnet() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(table) = s.route_table.as_ref().and_then(|l| l.resolved()) {
        out.push(
            Finding::new(UdrOnBastionSubnet { subnet, table })
                .resource(ResourceRef::RouteTable(table))
                .resource(ResourceRef::Subnet(subnet)),
        );
    }
    if let Some(prefix) = s.prefixes.iter().find(|p| p.addr().is_ipv4() && p.prefix_len() > 26) {
        out.push(Finding::new(BastionSubnetTooSmall { subnet, prefix: *prefix }).resource(ResourceRef::Subnet(subnet)));
    }
    out
}

/// `VmssNicsMissing` (§17.3): a uniform scale set none of whose instance NICs (ids below the
/// scale set's) is in the snapshot.
fn vmss_nics_missing(snap: &Snapshot, out: &mut Vec<Finding>) {
    for (i, v) in snap.scale_sets.iter().enumerate() {
        if v.orchestration_mode == OrchestrationMode::Flexible {
            continue;
        }
        let below = format!("{}/", normalize_id(v.id.as_str()));
        if snap.nics.iter().any(|n| normalize_id(n.id.as_str()).starts_with(&below)) {
            continue;
        }
        let scale_set = ScaleSetIdx(i as u32);
        let subnets = v.subnets.iter().filter_map(|l| l.resolved()).collect();
        out.push(Finding::new(VmssNicsMissing { scale_set, subnets }).resource(ResourceRef::ScaleSet(scale_set)));
    }
}

/// `PrivateSubnetNoEgress` for instances of Flexible-orchestration scale sets without an explicit
/// method in a subnet that is not private, one finding per scale set: they never have default
/// outbound access (§17.2).
fn flexible_instances_no_egress(
    snap: &Snapshot,
    subnet: SubnetIdx,
    nics: &[NicIdx],
    internet: Option<&RouteRef>,
    out: &mut Vec<Finding>,
) {
    let Some(route) = internet else { return };
    let mut by_scale_set: Vec<(ScaleSetIdx, Vec<NicIdx>)> = Vec::new();
    for n in nics {
        let Some(scale_set) = flexible_scale_set(snap, *n) else { continue };
        match by_scale_set.iter_mut().find(|(s, _)| *s == scale_set) {
            Some((_, list)) => list.push(*n),
            None => by_scale_set.push((scale_set, vec![*n])),
        }
    }
    for (scale_set, nics) in by_scale_set {
        let e = PrivateSubnetNoEgress::FlexibleInstances {
            subnet,
            scale_set,
            nics,
            destination: None,
            route: route.clone(),
        };
        out.push(Finding::new(e).resource(ResourceRef::ScaleSet(scale_set)).resource(ResourceRef::Subnet(subnet)));
    }
}
