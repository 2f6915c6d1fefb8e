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

/// What a subnet whose export does not say `defaultOutboundAccess` is taken to be (§17.2): older
/// API versions and tools leave the property null, which allows default outbound access, while
/// subnets of VNets created with API 2025-07-01 or later (after 31 March 2026) are private by
/// default, which an export cannot show when the property is absent. Named option; the default
/// follows the documented meaning of null.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum UnsetDefaultOutbound {
    /// Null means allowed ("implicitly allows outbound access"); the answer says it assumed so.
    #[default]
    Allowed,
    /// Treat an unset subnet as private (VNets created after 31 March 2026 with new tools).
    Private,
}

impl UnsetDefaultOutbound {
    pub fn as_str(self) -> &'static str {
        match self {
            UnsetDefaultOutbound::Allowed => "allowed",
            UnsetDefaultOutbound::Private => "private",
        }
    }
}

impl Subnet {
    /// Whether the subnet is private (`defaultOutboundAccess: false`), an unset value read as
    /// `unset` says (§17.2).
    pub fn is_private(&self, unset: UnsetDefaultOutbound) -> bool {
        match self.default_outbound_access {
            Some(allowed) => !allowed,
            None => unset == UnsetDefaultOutbound::Private,
        }
    }

    /// Subnets whose outbound traffic the platform manages (§17.2: "Private subnets aren't
    /// applicable to delegated or managed subnets used for hosting PaaS services").
    pub fn is_service_managed(&self) -> bool {
        !self.delegations.is_empty()
            || self.is_gateway_subnet()
            || self.is_route_server_subnet()
            || self.is_bastion_subnet()
            || ["AzureFirewallSubnet", "AzureFirewallManagementSubnet"]
                .iter()
                .any(|n| self.name.eq_ignore_ascii_case(n))
    }
}
