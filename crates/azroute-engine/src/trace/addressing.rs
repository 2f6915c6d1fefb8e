//! Who owns each address of the snapshot: NIC IPs, load balancer frontends, private
//! endpoints, public IPs, gateway instances and Azure Firewalls' private IPs (several owners
//! where VNets overlap).

use std::collections::HashMap;
use std::net::IpAddr;

use azroute_model::*;

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
}

/// Every address of the snapshot and its owners (several where VNets overlap).
#[derive(Clone, Debug, Default)]
pub struct Addressing {
    by_ip: HashMap<IpAddr, Vec<Owner>>,
}

impl Addressing {
    pub fn build(snap: &Snapshot) -> Addressing {
        let mut by_ip: HashMap<IpAddr, Vec<Owner>> = HashMap::new();
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
        Addressing { by_ip }
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
            | Owner::Firewall { subnet, .. } => *subnet,
            Owner::PublicIp { .. } => None,
            Owner::Gateway { gateway } => {
                return snap.gateways[gateway.index()].vnet.as_ref().and_then(|l| l.resolved());
            }
        };
        subnet.map(|s| snap.subnets[s.index()].vnet)
    }
}
