//! What the hosts behind an Azure Firewall do (§16.7): VNets that send their traffic to a
//! firewall with FQDN network rules but resolve names elsewhere than its DNS proxy, and private
//! endpoints reached through it by a network rule that keeps the source, whose replies skip it.
//! The firewall's verdict is the engine's (`evaluate_firewall`).

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use azroute_engine::*;
use azroute_model::*;

use crate::Doctor;

/// The port a private endpoint's service answers on, by `groupId` (§16.7); 443 otherwise.
fn port_of_group(group: &str) -> Option<u16> {
    const PORTS: [(&str, u16); 4] =
        [("sqlServer", 1433), ("postgresqlServer", 5432), ("mysqlServer", 3306), ("redisCache", 6380)];
    PORTS.iter().find(|(g, _)| g.eq_ignore_ascii_case(group)).map(|(_, p)| *p)
}

/// The port tested for an endpoint and the `groupId` it came from.
fn endpoint_port(endpoint: &PrivateEndpoint) -> (u16, Option<String>) {
    for group in &endpoint.group_ids {
        if let Some(port) = port_of_group(group) {
            return (port, Some(group.clone()));
        }
    }
    match endpoint.group_ids.first() {
        Some(group) => (443, Some(group.clone())),
        None => (443, None),
    }
}

/// The findings of one endpoint address, per firewall, before they become findings.
struct NoSnatGroup {
    subnets: Vec<(SubnetIdx, RouteRef)>,
    flow: FirewallFlow,
    rule: RulePlace,
}

impl Doctor<'_, '_> {
    pub(crate) fn firewall_client_checks(&self, options: &FirewallOptions, out: &mut Vec<Finding>) {
        if self.snap.firewalls.is_empty() {
            return;
        }
        for i in 0..self.snap.firewalls.len() {
            out.extend(self.firewall_dns_proxy_not_used_by_clients(FirewallIdx(i as u32), options));
        }
        for i in 0..self.snap.private_endpoints.len() {
            self.private_endpoint_through_firewall_no_snat(PrivateEndpointIdx(i as u32), options, out);
        }
    }

    /// The VNets whose traffic reaches a firewall: its own, and those with a subnet whose route
    /// table has a route to one of its private IPs.
    fn vnets_sending_to(&self, firewall: FirewallIdx) -> BTreeSet<VnetIdx> {
        let snap = self.snap;
        let fw = &snap.firewalls[firewall.index()];
        let ips: Vec<IpAddr> = fw.private_ips().collect();
        let mut vnets = BTreeSet::new();
        if let Some(s) = fw.subnet() {
            vnets.insert(snap.subnets[s.index()].vnet);
        }
        for s in &snap.subnets {
            let Some(table) = s.route_table.as_ref().and_then(|l| l.resolved()) else { continue };
            let to_firewall = snap.route_tables[table.index()].routes.iter().any(|r| {
                r.next_hop_type == RouteNextHopType::VirtualAppliance
                    && r.next_hop_ips.iter().any(|ip| ips.contains(ip))
            });
            if to_firewall {
                vnets.insert(s.vnet);
            }
        }
        vnets
    }

    /// FQDN network rules and DNS proxy on, while VNets sending their traffic to the firewall
    /// do not name it as their DNS server (§16.7): their hosts may resolve a name to an
    /// address the firewall's rule does not hold.
    fn firewall_dns_proxy_not_used_by_clients(
        &self,
        firewall: FirewallIdx,
        options: &FirewallOptions,
    ) -> Option<Finding> {
        let snap = self.snap;
        let fw = &snap.firewalls[firewall.index()];
        // Without the proxy (or on Basic) the rules match nothing: another code says so.
        if !firewall_dns_proxy(snap, firewall) || fw.tier.eq_ignore_ascii_case("Basic") {
            return None;
        }
        let private_ip = fw.private_ips().next()?;
        let rules = fqdn_network_rules(snap, firewall, options);
        if rules.is_empty() {
            return None;
        }
        let ips: Vec<IpAddr> = fw.private_ips().collect();
        let vnets: Vec<(VnetIdx, Vec<IpAddr>)> = self
            .vnets_sending_to(firewall)
            .into_iter()
            .map(|v| (v, snap.vnets[v.index()].dns_servers.clone()))
            .filter(|(_, servers)| !servers.iter().any(|s| ips.contains(s)))
            .collect();
        if vnets.is_empty() {
            return None;
        }
        let mut finding =
            Finding::new(FirewallDnsProxyNotUsedByClients { firewall, private_ip, rules, vnets: vnets.clone() })
                .resource(ResourceRef::Firewall(firewall));
        for (v, _) in vnets {
            finding = finding.resource(ResourceRef::Vnet(v));
        }
        Some(finding)
    }

    /// Subnets whose winning route to a private endpoint is a firewall, which allows the flow
    /// by a network rule without SNAT: the endpoint answers the source directly (§16.7). One
    /// finding per endpoint address and firewall, listing the subnets.
    fn private_endpoint_through_firewall_no_snat(
        &self,
        endpoint: PrivateEndpointIdx,
        options: &FirewallOptions,
        out: &mut Vec<Finding>,
    ) {
        let snap = self.snap;
        let pe = &snap.private_endpoints[endpoint.index()];
        let (port, group_id) = endpoint_port(pe);
        let pe_subnet = pe.subnet.as_ref().and_then(|l| l.resolved());
        for &address in pe.ips.iter().filter(|ip| ip.is_ipv4()) {
            let mut groups: BTreeMap<FirewallIdx, NoSnatGroup> = BTreeMap::new();
            for (s, nics) in self.nics_by_subnet.iter().enumerate() {
                let subnet = SubnetIdx(s as u32);
                let Some(source) = self.host_of(subnet, nics) else { continue };
                let Some(route) = self.selected(subnet, address) else { continue };
                let r = route.route();
                if r.next_hop_type != NextHopType::VirtualAppliance {
                    continue;
                }
                let Some(firewall) = r.next_hop_ips.iter().find_map(|ip| self.firewall_at(*ip)) else { continue };
                let flow = FirewallFlow {
                    source,
                    source_port: None,
                    destination: address,
                    destination_port: Some(port),
                    protocol: Some(Protocol::Tcp),
                    fqdn: None,
                };
                let verdict = evaluate_firewall(snap, firewall, &flow, options, false);
                let no_snat = verdict.action == FirewallAction::Allow
                    && verdict.pass == FirewallPass::Network
                    && verdict.snat == Some(Snat::NotTranslated);
                let Some(rule) = verdict.decided_by.filter(|_| no_snat) else { continue };
                if self.reply_through(pe_subnet, address, source, firewall) {
                    continue;
                }
                groups
                    .entry(firewall)
                    .or_insert_with(|| NoSnatGroup { subnets: Vec::new(), flow, rule })
                    .subnets
                    .push((subnet, route));
            }
            for (firewall, g) in groups {
                let mut finding = Finding::new(PrivateEndpointThroughFirewallNoSnat {
                    endpoint,
                    address,
                    firewall,
                    subnets: g.subnets.clone(),
                    flow: g.flow,
                    group_id: group_id.clone(),
                    rule: g.rule,
                })
                .resource(ResourceRef::PrivateEndpoint(endpoint))
                .resource(ResourceRef::Firewall(firewall));
                for (s, _) in g.subnets {
                    finding = finding.resource(ResourceRef::Subnet(s));
                }
                out.push(finding);
            }
        }
    }

    /// A client of a subnet: the address of its first NIC that is not a private endpoint's.
    /// The platform's own subnets (gateway, firewall, Bastion, delegated) hold no clients.
    fn host_of(&self, subnet: SubnetIdx, nics: &[NicIdx]) -> Option<IpAddr> {
        if self.snap.subnets[subnet.index()].is_service_managed() {
            return None;
        }
        nics.iter().find_map(|n| {
            let nic = &self.snap.nics[n.index()];
            if nic.private_endpoint.is_some() {
                return None;
            }
            nic.primary_ip_config().and_then(|c| c.private_ip).filter(|ip| ip.is_ipv4())
        })
    }

    /// Whether the endpoint's reply goes back through the firewall that forwarded the request
    /// to it: only when its subnet applies route tables to private endpoints (§5.5) and its
    /// route to the source is either the client's firewall or the firewall the client's
    /// firewall hands the request to (two hubs' firewalls in a chain: the one next to the
    /// endpoint sees both directions of its leg).
    fn reply_through(
        &self,
        pe_subnet: Option<SubnetIdx>,
        pe_ip: IpAddr,
        source: IpAddr,
        firewall: FirewallIdx,
    ) -> bool {
        let Some(pe_subnet) = pe_subnet else { return false };
        let last = self.firewall_next_to(pe_ip, firewall);
        let policies = self.snap.subnets[pe_subnet.index()].private_endpoint_network_policies;
        if !matches!(
            policies,
            PrivateEndpointNetworkPolicies::Enabled | PrivateEndpointNetworkPolicies::RouteTableEnabled
        ) {
            return false;
        }
        self.selected(pe_subnet, source).is_some_and(|r| {
            r.route().next_hop_type == NextHopType::VirtualAppliance
                && r.route().next_hop_ips.iter().any(|ip| self.firewall_at(*ip) == Some(last))
        })
    }

    /// The firewall next to the endpoint on the request's way: the client's firewall, or the
    /// one its `AzureFirewallSubnet` routes the endpoint's address to.
    fn firewall_next_to(&self, pe_ip: IpAddr, firewall: FirewallIdx) -> FirewallIdx {
        let onward = self.snap.firewalls[firewall.index()]
            .subnet()
            .and_then(|subnet| self.selected(subnet, pe_ip))
            .filter(|r| r.route().next_hop_type == NextHopType::VirtualAppliance)
            .and_then(|r| r.route().next_hop_ips.iter().find_map(|ip| self.firewall_at(*ip)));
        onward.unwrap_or(firewall)
    }
}
