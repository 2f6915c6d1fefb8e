//! Private endpoints, load balancers and public IP addresses: the other owners of addresses in a VNet.

use std::net::IpAddr;

use crate::*;

/// `Microsoft.Network/privateEndpoints`.
#[derive(Clone, Debug)]
pub struct PrivateEndpoint {
    pub id: ArmId,
    pub name: String,
    pub subnet: Option<Link<SubnetIdx>>,
    pub ips: Vec<IpAddr>,
    pub nic: Option<Link<NicIdx>>,
    /// `groupId`s of the private link connections (`blob`, `sqlServer`, …).
    pub group_ids: Vec<String>,
    pub origin: Origin,
}

/// `Microsoft.Network/loadBalancers`: only what a virtual-appliance next hop needs.
#[derive(Clone, Debug)]
pub struct LoadBalancer {
    pub id: ArmId,
    pub name: String,
    /// `Basic` or `Standard`.
    pub sku: String,
    pub frontends: Vec<LbFrontend>,
    /// NICs in any backend pool.
    pub backend_nics: Vec<Link<NicIdx>>,
    /// `outboundRules[]` (§17.1): the egress of their backend pools' NICs.
    pub outbound_rules: Vec<LbOutboundRule>,
    pub origin: Origin,
}

impl LoadBalancer {
    /// A load balancer with a public frontend.
    pub fn is_public(&self) -> bool {
        self.frontends.iter().any(|f| f.public_ip.is_some())
    }

    pub fn is_basic(&self) -> bool {
        self.sku.eq_ignore_ascii_case("Basic")
    }
}

/// One `outboundRules[]` entry of a load balancer.
#[derive(Clone, Debug)]
pub struct LbOutboundRule {
    pub name: String,
    /// Names of the `frontendIPConfigurations` it SNATs to.
    pub frontends: Vec<String>,
    /// NICs of its `backendAddressPool` (by NIC; a pool configured by IP address has none).
    pub backend_nics: Vec<Link<NicIdx>>,
}

#[derive(Clone, Debug)]
pub struct LbFrontend {
    pub name: String,
    pub private_ip: Option<IpAddr>,
    pub subnet: Option<Link<SubnetIdx>>,
    /// `publicIPAddress` of a public frontend.
    pub public_ip: Option<Link<PublicIpIdx>>,
}

/// `Microsoft.Network/publicIPAddresses`.
#[derive(Clone, Debug)]
pub struct PublicIp {
    pub id: ArmId,
    pub name: String,
    pub ip: Option<IpAddr>,
    pub origin: Origin,
}
