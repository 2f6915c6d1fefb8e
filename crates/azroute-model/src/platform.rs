//! Egress and platform services (`docs/azure-routing-rules.md` §17): NAT gateways, public IP
//! prefixes, and the services that own VNet addresses without a NIC of their own (Application
//! Gateway, Azure Bastion, DNS Private Resolver inbound endpoints, VM scale sets).

use ipnet::IpNet;
use std::net::IpAddr;

use crate::*;

/// `Microsoft.Network/natGateways` (§17.1).
#[derive(Clone, Debug)]
pub struct NatGateway {
    pub id: ArmId,
    pub name: String,
    /// `sku.name`: `Standard` or `StandardV2`.
    pub sku: String,
    /// `publicIpAddresses[]` (REST casing: lower-case `p` in `Ip`).
    pub public_ips: Vec<Link<PublicIpIdx>>,
    /// `publicIpPrefixes[]`.
    pub public_ip_prefixes: Vec<Link<PublicIpPrefixIdx>>,
    pub origin: Origin,
}

/// `Microsoft.Network/publicIPPrefixes`.
#[derive(Clone, Debug)]
pub struct PublicIpPrefix {
    pub id: ArmId,
    pub name: String,
    /// `ipPrefix`, when allocated.
    pub prefix: Option<IpNet>,
    pub origin: Origin,
}

/// `Microsoft.Network/applicationGateways` (§17.3): where its addresses are.
#[derive(Clone, Debug)]
pub struct ApplicationGateway {
    pub id: ArmId,
    pub name: String,
    /// `sku.tier`: `Standard`/`WAF` (v1) or `Standard_v2`/`WAF_v2` (v2).
    pub tier: String,
    /// `frontendIPConfigurations[].privateIPAddress`.
    pub frontend_private_ips: Vec<IpAddr>,
    /// `gatewayIPConfigurations[].subnet`: the subnet its instances take addresses from.
    pub subnets: Vec<Link<SubnetIdx>>,
    pub origin: Origin,
}

impl ApplicationGateway {
    /// v2 SKUs (`Standard_v2`, `WAF_v2`), which refuse a 0/0 route to a virtual appliance.
    pub fn is_v2(&self) -> bool {
        self.tier.to_ascii_lowercase().ends_with("_v2")
    }
}

/// `Microsoft.Network/bastionHosts` (§17.3).
#[derive(Clone, Debug)]
pub struct BastionHost {
    pub id: ArmId,
    pub name: String,
    /// `ipConfigurations[].subnet` (`AzureBastionSubnet`).
    pub subnets: Vec<Link<SubnetIdx>>,
    pub public_ips: Vec<Link<PublicIpIdx>>,
    pub origin: Origin,
}

/// `Microsoft.Network/dnsResolvers/inboundEndpoints` (§17.3).
#[derive(Clone, Debug)]
pub struct DnsResolverInboundEndpoint {
    pub id: ArmId,
    pub name: String,
    /// `ipConfigurations[].privateIpAddress` (lower-case `Ip`).
    pub ips: Vec<IpAddr>,
    pub subnets: Vec<Link<SubnetIdx>>,
    pub origin: Origin,
}

/// `orchestrationMode` of a VM scale set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrchestrationMode {
    /// The default when absent: instance NICs are not in `az network nic list`.
    Uniform,
    /// Instances are ordinary VMs with ordinary NICs, and never get default outbound access.
    Flexible,
    Other(String),
}

impl OrchestrationMode {
    pub fn parse(text: &str) -> OrchestrationMode {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "uniform" => OrchestrationMode::Uniform,
            "flexible" => OrchestrationMode::Flexible,
            _ => OrchestrationMode::Other(text.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            OrchestrationMode::Uniform => "Uniform",
            OrchestrationMode::Flexible => "Flexible",
            OrchestrationMode::Other(text) => text,
        }
    }
}

/// `Microsoft.Compute/virtualMachineScaleSets` (§17.3): its network profile.
#[derive(Clone, Debug)]
pub struct ScaleSet {
    pub id: ArmId,
    pub name: String,
    pub orchestration_mode: OrchestrationMode,
    /// `virtualMachineProfile.networkProfile.networkInterfaceConfigurations[].ipConfigurations[].subnet`.
    pub subnets: Vec<Link<SubnetIdx>>,
    pub origin: Origin,
}
