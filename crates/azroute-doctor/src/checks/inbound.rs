//! Inbound traffic to VMs: forced tunnelling that breaks connections to public IPs (§6.1),
//! proven by a trace from the Internet, and NSG rules that block load-balancer health probes.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use azroute_engine::*;
use azroute_engine::{AZURE_HOST_IP, Flow, NsgLevel, SecurityEngine, nsg_rules};
use azroute_engine::{TraceRequest, TraceSource};
use azroute_model::*;
use ipnet::IpNet;

use crate::Doctor;

/// The Internet client whose reply the forced-tunnelling check traces.
const PROBE_CLIENT: &str = "198.51.100.200";

impl Doctor<'_, '_> {
    /// Forced tunnelling that breaks inbound connections to public IPs (§6.1), proven by a
    /// trace from the Internet to one public IP of each subnet.
    pub(crate) fn forced_tunnel_checks(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        let mut by_subnet: BTreeMap<SubnetIdx, Vec<(NicIdx, IpAddr)>> = BTreeMap::new();
        for (i, nic) in snap.nics.iter().enumerate() {
            for cfg in &nic.ip_configs {
                let Some(pip) = cfg.public_ip.as_ref().and_then(|l| l.resolved()) else { continue };
                let Some(public) = snap.public_ips[pip.index()].ip else { continue };
                let Some(subnet) = cfg.subnet.as_ref().and_then(|l| l.resolved()) else { continue };
                by_subnet.entry(subnet).or_default().push((NicIdx(i as u32), public));
            }
        }
        for (subnet, nics) in by_subnet {
            out.extend(self.forced_tunnel_breaks_inbound(subnet, &nics));
        }
    }

    /// One subnet whose NICs have public IPs: its route for an Internet client, and the traced
    /// reply to the first of them.
    fn forced_tunnel_breaks_inbound(&self, subnet: SubnetIdx, nics: &[(NicIdx, IpAddr)]) -> Option<Finding> {
        let client: IpAddr = PROBE_CLIENT.parse().expect("valid");
        let table = self.routes.subnet_table(subnet).ok()?;
        let entry = table.fib.lookup(client)?;
        let route = RouteRef::new(&table, entry.route as usize);
        if !matches!(route.route().next_hop_type, NextHopType::VirtualAppliance | NextHopType::VirtualNetworkGateway) {
            return None;
        }
        let (example, public_ip) = nics[0];
        let trace = self
            .tracer
            .trace(TraceRequest {
                source: TraceSource::External(client),
                destination: public_ip,
                protocol: Protocol::Tcp,
                source_port: 50000,
                destination_port: 22,
            })
            .ok()?;
        let traced = trace.findings.iter().find(|f| f.code == FindingCode::ForcedTunnelBreaksInbound)?;
        let Evidence::ForcedTunnelBreaksInbound(ForcedTunnelBreaksInbound::Reply(reply)) = &traced.evidence else {
            return None;
        };
        let evidence = ForcedTunnelBreaksInbound::Subnet {
            reply: reply.clone(),
            subnet,
            route,
            public_nics: nics.len(),
            example,
            public_ip,
        };
        let mut finding = Finding { evidence: evidence.into(), ..traced.clone() };
        for (n, _) in nics {
            finding = finding.resource(ResourceRef::Nic(*n));
        }
        Some(finding.resource(ResourceRef::Subnet(subnet)))
    }

    /// NSG rules that deny load-balancer health probes on backends (their source is
    /// 168.63.129.16) before AllowAzureLoadBalancerInBound.
    pub(crate) fn nsg_checks(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        let security = &self.security;
        let mut checked: BTreeSet<(NsgIdx, u32)> = BTreeSet::new();
        for (li, lb) in snap.load_balancers.iter().enumerate() {
            for nic in lb.backend_nics.iter().filter_map(|b| b.resolved()) {
                let Ok(levels) = security.levels(nic, Direction::Inbound) else { continue };
                let Ok(subnet) = self.routes.nic_subnet(nic) else { continue };
                for level in levels {
                    if checked.insert((level.nsg, subnet.0)) {
                        let lb = LoadBalancerIdx(li as u32);
                        out.extend(nsg_blocks_probe(snap, security, &level, nic, subnet, lb));
                    }
                }
            }
        }
    }
}

/// The first inbound rule of one NSG level that matches a probe to the backend, if it is a
/// custom Deny.
fn nsg_blocks_probe(
    snap: &Snapshot,
    security: &SecurityEngine<'_, '_>,
    level: &NsgLevel,
    nic: NicIdx,
    subnet: SubnetIdx,
    lb: LoadBalancerIdx,
) -> Option<Finding> {
    let host: IpAddr = AZURE_HOST_IP.parse::<IpNet>().expect("valid").addr();
    let flow = Flow {
        direction: Direction::Inbound,
        protocol: Protocol::Tcp,
        source: host,
        source_port: None,
        destination: snap.nics[nic.index()].primary_ip_config().and_then(|c| c.private_ip).unwrap_or(host),
        destination_port: None,
    };
    let mut unknown = Vec::new();
    let rules = nsg_rules(&snap.nsgs[level.nsg.index()]);
    let rule = rules
        .iter()
        .find(|r| r.direction == Direction::Inbound && security.rule_matches(r, &flow, subnet, &mut unknown))?;
    (rule.access == Access::Deny && !rule.default).then(|| {
        let blocked = NsgBlocksProbe {
            nsg: level.nsg,
            rule: rule.name.clone(),
            priority: rule.priority,
            applied_to: level.applied_to,
            lb,
        };
        Finding::new(blocked).resource(ResourceRef::Nsg(level.nsg)).resource(ResourceRef::LoadBalancer(lb))
    })
}
