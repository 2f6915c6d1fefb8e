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
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct LbFrontend {
    pub name: String,
    pub private_ip: Option<IpAddr>,
    pub subnet: Option<Link<SubnetIdx>>,
}

/// `Microsoft.Network/publicIPAddresses`.
#[derive(Clone, Debug)]
pub struct PublicIp {
    pub id: ArmId,
    pub name: String,
    pub ip: Option<IpAddr>,
    pub origin: Origin,
}
