//! Who owns each address of the snapshot: NIC IPs, load balancer frontends, private
//! endpoints, public IPs, gateway instances, Azure Firewalls' private IPs, Application Gateway
//! frontends and DNS resolver inbound endpoints (several owners where VNets overlap); and the
//! platform service a subnet belongs to, for addresses no resource lists (§17.3).

// Fx rather than SipHash: looked up several times per traced packet, keyed by addresses of
// the snapshot (nothing an attacker chooses).
use rustc_hash::FxHashMap as HashMap;
use smallvec::SmallVec;
use std::net::IpAddr;

use azroute_model::*;

use crate::finding::PlatformOwner;

/// Who owns an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    /// A private IP of a NIC's IP configuration.
    Nic { nic: NicIdx, subnet: Option<SubnetIdx> },
    /// The private frontend IP of a load balancer.
    LoadBalancer { lb: LoadBalancerIdx, subnet: Option<SubnetIdx> },
    /// A private endpoint's IP.
    PrivateEndpoint { endpoint: PrivateEndpointIdx, subnet: Option<SubnetIdx> },
    /// A public IP attached to a NIC.
    PublicIp { nic: NicIdx },
    /// A gateway instance's private IP.
    Gateway { gateway: GatewayIdx },
    /// An Azure Firewall's private (frontend) IP (§16.4).
    Firewall { firewall: FirewallIdx, subnet: Option<SubnetIdx> },
    /// An Application Gateway's frontend private IP (§17.3).
    ApplicationGateway { gateway: ApplicationGatewayIdx, subnet: Option<SubnetIdx> },
    /// A DNS Private Resolver inbound endpoint's IP (§17.3).
    DnsResolverInbound { endpoint: DnsInboundEndpointIdx, subnet: Option<SubnetIdx> },
}

/// The owners of one address: nearly always one, held inline so that a lookup reads the map's
/// bucket and nothing else (a `Vec` was a second cache miss at every hop of every trace).
type Owners = SmallVec<[Owner; 1]>;

/// Every address of the snapshot and its owners (several where VNets overlap).
#[derive(Clone, Debug, Default)]
pub struct Addressing {
    by_ip: HashMap<IpAddr, Owners>,
}

impl Addressing {
    pub fn build(snap: &Snapshot) -> Addressing {
        let mut by_ip: HashMap<IpAddr, Owners> = HashMap::default();
        for (i, nic) in snap.nics.iter().enumerate() {
            let nic_idx = NicIdx(i as u32);
            for cfg in &nic.ip_configs {
                if let Some(ip) = cfg.private_ip {
                    let owner = if nic.private_endpoint.is_some() {
                        None
                    } else {
                        Some(Owner::Nic { nic: nic_idx, subnet: cfg.subnet.as_ref().and_then(|l| l.resolved()) })
                    };
                    by_ip.entry(ip).or_default().extend(owner);
                }
                if let Some(pip) = cfg.public_ip.as_ref().and_then(|l| l.resolved())
                    && let Some(ip) = snap.public_ips[pip.index()].ip
                {
                    by_ip.entry(ip).or_default().push(Owner::PublicIp { nic: nic_idx });
                }
            }
        }
        for (i, lb) in snap.load_balancers.iter().enumerate() {
            for f in &lb.frontends {
                if let Some(ip) = f.private_ip {
                    by_ip.entry(ip).or_default().push(Owner::LoadBalancer {
                        lb: LoadBalancerIdx(i as u32),
                        subnet: f.subnet.as_ref().and_then(|l| l.resolved()),
                    });
                }
            }
        }
        for (i, pe) in snap.private_endpoints.iter().enumerate() {
            for ip in &pe.ips {
                by_ip.entry(*ip).or_default().push(Owner::PrivateEndpoint {
                    endpoint: PrivateEndpointIdx(i as u32),
                    subnet: pe.subnet.as_ref().and_then(|l| l.resolved()),
                });
            }
        }
        for (i, gw) in snap.gateways.iter().enumerate() {
            for ip in &gw.instance_ips {
                by_ip.entry(*ip).or_default().push(Owner::Gateway { gateway: GatewayIdx(i as u32) });
            }
        }
        for (i, fw) in snap.firewalls.iter().enumerate() {
            let subnet = fw.subnet();
            for ip in fw.private_ips() {
                by_ip.entry(ip).or_default().push(Owner::Firewall { firewall: FirewallIdx(i as u32), subnet });
            }
        }
        platform_addresses(snap, &mut by_ip);
        Addressing { by_ip }
    }

    /// Every owned address with its owners, in no particular order.
    pub fn all(&self) -> impl Iterator<Item = (IpAddr, &Owner)> {
        self.by_ip.iter().flat_map(|(ip, owners)| owners.iter().map(move |o| (*ip, o)))
    }

    pub fn owners(&self, ip: IpAddr) -> &[Owner] {
        self.by_ip.get(&ip).map(|v| v.as_slice()).unwrap_or(&[])
    }

    /// The VNet an owner sits in.
    pub fn vnet_of(snap: &Snapshot, owner: &Owner) -> Option<VnetIdx> {
        let subnet = match owner {
            Owner::Nic { subnet, .. }
            | Owner::LoadBalancer { subnet, .. }
            | Owner::PrivateEndpoint { subnet, .. }
            | Owner::Firewall { subnet, .. }
            | Owner::ApplicationGateway { subnet, .. }
            | Owner::DnsResolverInbound { subnet, .. } => *subnet,
            Owner::PublicIp { .. } => None,
            Owner::Gateway { gateway } => {
                return snap.gateways[gateway.index()].vnet.as_ref().and_then(|l| l.resolved());
            }
        };
        subnet.map(|s| snap.subnets[s.index()].vnet)
    }
}

/// Application Gateway frontends and DNS resolver inbound endpoints: platform services whose
/// addresses no NIC holds (§17.3). A frontend sits in the gateway's own subnet.
fn platform_addresses(snap: &Snapshot, by_ip: &mut HashMap<IpAddr, Owners>) {
    let in_subnet = |links: &[Link<SubnetIdx>], ip: IpAddr| {
        links.iter().filter_map(|l| l.resolved()).find(|s| snap.subnets[s.index()].contains(ip))
    };
    for (i, agw) in snap.application_gateways.iter().enumerate() {
        for ip in &agw.frontend_private_ips {
            let owner = Owner::ApplicationGateway {
                gateway: ApplicationGatewayIdx(i as u32),
                subnet: in_subnet(&agw.subnets, *ip),
            };
            by_ip.entry(*ip).or_default().push(owner);
        }
    }
    for (i, e) in snap.dns_inbound_endpoints.iter().enumerate() {
        for ip in &e.ips {
            let owner = Owner::DnsResolverInbound {
                endpoint: DnsInboundEndpointIdx(i as u32),
                subnet: in_subnet(&e.subnets, *ip),
            };
            by_ip.entry(*ip).or_default().push(owner);
        }
    }
}

/// The platform service a subnet belongs to, for an address no resource of the snapshot holds
/// (§17.3): an Application Gateway's or Bastion's subnet (their instances), a uniform scale
/// set's subnet whose instance NICs the export lacks, or a delegated subnet.
pub(super) fn platform_owner_of_subnet(snap: &Snapshot, subnet: SubnetIdx) -> Option<PlatformOwner> {
    let here = |links: &[Link<SubnetIdx>]| links.iter().any(|l| l.resolved() == Some(subnet));
    if let Some(i) = snap.application_gateways.iter().position(|a| here(&a.subnets)) {
        return Some(PlatformOwner::ApplicationGateway(ApplicationGatewayIdx(i as u32)));
    }
    if let Some(i) = snap.bastion_hosts.iter().position(|b| here(&b.subnets)) {
        return Some(PlatformOwner::BastionHost(BastionHostIdx(i as u32)));
    }
    if let Some(i) = snap.dns_inbound_endpoints.iter().position(|e| here(&e.subnets)) {
        return Some(PlatformOwner::DnsResolverInbound(DnsInboundEndpointIdx(i as u32)));
    }
    let uniform = |v: &ScaleSet| v.orchestration_mode != OrchestrationMode::Flexible && here(&v.subnets);
    if let Some(i) = snap.scale_sets.iter().position(uniform) {
        return Some(PlatformOwner::ScaleSet(ScaleSetIdx(i as u32)));
    }
    let s = &snap.subnets[subnet.index()];
    s.delegations.first().map(|service| PlatformOwner::Delegated { subnet, service: service.clone() })
}
