//! The subnets of an Azure Firewall (§16.4): `AzureFirewallSubnet` keeps a default route to the
//! Internet unless the firewall has a management IP configuration, and DNAT breaks when it does
//! not; `AzureFirewallManagementSubnet` has one route, 0.0.0.0/0 to the Internet, and no
//! propagation; neither takes an NSG; both are at least /26; a firewall sits only in subnets
//! with those names; user routes name the firewall's current private IP; NSGs that allow the
//! firewall by its frontend IP alone miss its instances' SNAT addresses.

use std::net::IpAddr;

use azroute_engine::*;
use azroute_model::*;
use ipnet::IpNet;

use crate::Doctor;

const FIREWALL_SUBNET: &str = "AzureFirewallSubnet";
const MANAGEMENT_SUBNET: &str = "AzureFirewallManagementSubnet";

fn is_firewall_subnet(s: &Subnet) -> bool {
    s.name.eq_ignore_ascii_case(FIREWALL_SUBNET)
}

fn is_management_subnet(s: &Subnet) -> bool {
    s.name.eq_ignore_ascii_case(MANAGEMENT_SUBNET)
}

impl Doctor<'_, '_> {
    pub(crate) fn firewall_subnet_checks(&self, options: &FirewallOptions, out: &mut Vec<Finding>) {
        let snap = self.snap;
        for (i, s) in snap.subnets.iter().enumerate() {
            let subnet = SubnetIdx(i as u32);
            if is_firewall_subnet(s) || is_management_subnet(s) {
                out.extend(nsg_on_firewall_subnet(snap, subnet));
                out.extend(firewall_subnet_too_small(snap, subnet));
            }
            if is_management_subnet(s) {
                out.extend(firewall_management_subnet_route_invalid(snap, subnet));
            }
        }
        for (i, fw) in snap.firewalls.iter().enumerate() {
            let firewall = FirewallIdx(i as u32);
            out.extend(firewall_subnet_name_invalid(snap, firewall));
            out.extend(snat_source_not_allowed_by_nsg(snap, firewall));
            let Some(subnet) = fw.subnet() else { continue };
            let away = self.default_routes_not_internet(subnet);
            if away.is_empty() {
                continue;
            }
            if fw.management_ip_config.is_none() {
                let evidence = FirewallSubnetDefaultRouteNotInternet { firewall, subnet, routes: away.clone() };
                out.push(
                    Finding::new(evidence)
                        .resource(ResourceRef::Firewall(firewall))
                        .resource(ResourceRef::Subnet(subnet)),
                );
            }
            let nat_collections = nat_collections(snap, firewall, options);
            if !nat_collections.is_empty() {
                let evidence = DnatWithForcedTunnel { firewall, subnet, routes: away, nat_collections };
                out.push(
                    Finding::new(evidence)
                        .resource(ResourceRef::Firewall(firewall))
                        .resource(ResourceRef::Subnet(subnet)),
                );
            }
        }
        self.firewall_next_hop_stale(out);
    }

    /// The active routes of a subnet that send default-route traffic (0.0.0.0/0, or the split
    /// pair 0.0.0.0/1 + 128.0.0.0/1 that passes Azure's validation, §16.4) elsewhere than the
    /// Internet.
    fn default_routes_not_internet(&self, subnet: SubnetIdx) -> Vec<RouteRef> {
        let Ok(table) = self.routes.subnet_table(subnet) else { return Vec::new() };
        table
            .active()
            .filter(|(_, r)| r.prefixes.iter().any(|p| matches!(p, IpNet::V4(n) if n.prefix_len() <= 1)))
            .filter(|(_, r)| r.next_hop_type != NextHopType::Internet)
            .map(|(i, _)| RouteRef::new(&table, i))
            .collect()
    }

    /// A user route to an address of an `AzureFirewallSubnet` that is not the firewall's
    /// private IP: the IP changes when a firewall is deallocated and allocated again (§16.4).
    fn firewall_next_hop_stale(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        for (ti, table) in snap.route_tables.iter().enumerate() {
            for (index, r) in table.routes.iter().enumerate() {
                if !matches!(
                    r.next_hop_type,
                    RouteNextHopType::VirtualAppliance | RouteNextHopType::VirtualApplianceEcmp
                ) {
                    continue;
                }
                for &ip in &r.next_hop_ips {
                    let route = UserRoute { table: RouteTableIdx(ti as u32), index };
                    out.extend(stale_firewall_next_hop(snap, route, ip));
                }
            }
        }
    }
}

fn stale_firewall_next_hop(snap: &Snapshot, route: UserRoute, next_hop: IpAddr) -> Option<Finding> {
    let (firewall, fw) = snap.firewalls.iter().enumerate().find(|(_, fw)| {
        fw.subnet()
            .is_some_and(|s| snap.subnets[s.index()].contains(next_hop) && is_firewall_subnet(&snap.subnets[s.index()]))
    })?;
    let firewall_ips: Vec<IpAddr> = fw.private_ips().collect();
    if firewall_ips.contains(&next_hop) {
        return None;
    }
    let firewall = FirewallIdx(firewall as u32);
    let subnet = fw.subnet()?;
    Some(
        Finding::new(FirewallNextHopStale { route, next_hop, firewall, subnet, firewall_ips })
            .resource(ResourceRef::RouteTable(route.table))
            .resource(ResourceRef::Firewall(firewall)),
    )
}

/// The platform refuses an NSG on either firewall subnet; a snapshot that holds one is
/// inconsistent or hand-made.
fn nsg_on_firewall_subnet(snap: &Snapshot, subnet: SubnetIdx) -> Option<Finding> {
    let nsg = snap.subnets[subnet.index()].nsg.as_ref().and_then(|l| l.resolved())?;
    Some(
        Finding::new(NsgOnFirewallSubnet { subnet, nsg })
            .resource(ResourceRef::Subnet(subnet))
            .resource(ResourceRef::Nsg(nsg)),
    )
}

/// Both firewall subnets need at least a /26.
fn firewall_subnet_too_small(snap: &Snapshot, subnet: SubnetIdx) -> Option<Finding> {
    let prefix = *snap.subnets[subnet.index()].prefixes.iter().find(|p| p.addr().is_ipv4() && p.prefix_len() > 26)?;
    Some(Finding::new(FirewallSubnetTooSmall { subnet, prefix }).resource(ResourceRef::Subnet(subnet)))
}

/// `AzureFirewallManagementSubnet`: only 0.0.0.0/0 → Internet, and propagation off.
fn firewall_management_subnet_route_invalid(snap: &Snapshot, subnet: SubnetIdx) -> Option<Finding> {
    let table = snap.subnets[subnet.index()].route_table.as_ref().and_then(|l| l.resolved())?;
    let t = &snap.route_tables[table.index()];
    let is_default_to_internet = |r: &Route| {
        matches!(r.prefix, RoutePrefix::Cidr(p) if p.prefix_len() == 0 && p.addr().is_ipv4())
            && r.next_hop_type == RouteNextHopType::Internet
    };
    let mut problems = Vec::new();
    if !t.routes.iter().any(is_default_to_internet) {
        problems.push(ManagementRouteProblem::NoDefaultToInternet);
    }
    if !t.disable_bgp_route_propagation {
        problems.push(ManagementRouteProblem::PropagationEnabled);
    }
    problems.extend(
        t.routes
            .iter()
            .enumerate()
            .filter(|(_, r)| !is_default_to_internet(r))
            .map(|(index, _)| ManagementRouteProblem::OtherRoute { index }),
    );
    (!problems.is_empty()).then(|| {
        Finding::new(FirewallManagementSubnetRouteInvalid { subnet, table, problems })
            .resource(ResourceRef::RouteTable(table))
            .resource(ResourceRef::Subnet(subnet))
    })
}

/// A firewall's IP configurations sit in `AzureFirewallSubnet` (the management one in
/// `AzureFirewallManagementSubnet`); a hub firewall has none.
fn firewall_subnet_name_invalid(snap: &Snapshot, firewall: FirewallIdx) -> Vec<Finding> {
    let fw = &snap.firewalls[firewall.index()];
    let data = fw.ip_configs.iter().map(|c| (c, false));
    let management = fw.management_ip_config.iter().map(|c| (c, true));
    data.chain(management)
        .filter_map(|(c, management)| {
            let subnet = c.subnet.as_ref().and_then(|l| l.resolved())?;
            let s = &snap.subnets[subnet.index()];
            let ok = if management { is_management_subnet(s) } else { is_firewall_subnet(s) };
            (!ok).then(|| {
                Finding::new(FirewallSubnetNameInvalid { firewall, subnet, management })
                    .resource(ResourceRef::Firewall(firewall))
                    .resource(ResourceRef::Subnet(subnet))
            })
        })
        .collect()
}

/// A firewall SNATs with the address of one of its instances in `AzureFirewallSubnet`, not its
/// frontend IP ([inferred] from the architecture guide, §16.3): an NSG whose inbound allow names
/// the frontend IP as source, that allows no source covering the whole subnet and that denies the
/// subnet on the rule's ports (`*`, `VirtualNetwork` or a prefix holding it; else the default
/// AllowVnetInBound admits it) drops that traffic; the deny's protocol is not compared.
/// A service tag as allowed source is taken as covering the subnet.
fn snat_source_not_allowed_by_nsg(snap: &Snapshot, firewall: FirewallIdx) -> Vec<Finding> {
    let fw = &snap.firewalls[firewall.index()];
    let Some(subnet) = fw.subnet() else { return Vec::new() };
    let Some(&firewall_subnet) = snap.subnets[subnet.index()].prefixes.first() else { return Vec::new() };
    let frontends: Vec<IpAddr> = fw.ip_configs.iter().filter_map(|c| c.private_ip).collect();
    let inbound = |access: Access| move |r: &&SecurityRule| r.direction == Direction::Inbound && r.access == access;
    let inbound_allow = inbound(Access::Allow);
    let mut out = Vec::new();
    for (n, nsg) in snap.nsgs.iter().enumerate() {
        let allowed = nsg.rules.iter().filter(inbound_allow).flat_map(|r| &r.sources).any(|p| match p {
            AddressPattern::Any | AddressPattern::Tag(_) => true,
            AddressPattern::Prefix(p) => p.contains(&firewall_subnet),
        });
        if allowed {
            continue;
        }
        // Without a deny of the firewall's subnet on the rule's ports, the default
        // AllowVnetInBound lets the instances in.
        let denies = |allow: &SecurityRule| {
            nsg.rules.iter().filter(inbound(Access::Deny)).any(|d| {
                let source = d.sources.iter().any(|p| match p {
                    AddressPattern::Any => true,
                    AddressPattern::Tag(t) => t.eq_ignore_ascii_case("VirtualNetwork"),
                    AddressPattern::Prefix(p) => p.contains(&firewall_subnet),
                });
                let ports = allow
                    .destination_ports
                    .iter()
                    .all(|a| d.destination_ports.iter().any(|b| b.lo <= a.lo && a.hi <= b.hi));
                source && ports
            })
        };
        for (rule, r) in nsg.rules.iter().enumerate().filter(|(_, r)| inbound_allow(r) && denies(r)) {
            let named = r.sources.iter().find_map(|p| match p {
                AddressPattern::Prefix(p) if p.prefix_len() == p.max_prefix_len() && frontends.contains(&p.addr()) => {
                    Some(p.addr())
                }
                _ => None,
            });
            if let Some(frontend) = named {
                let nsg = NsgIdx(n as u32);
                let evidence = FirewallSnatSourceNotAllowedByNsg { nsg, rule, firewall, frontend, firewall_subnet };
                out.push(
                    Finding::new(evidence).resource(ResourceRef::Nsg(nsg)).resource(ResourceRef::Firewall(firewall)),
                );
            }
        }
    }
    out
}
