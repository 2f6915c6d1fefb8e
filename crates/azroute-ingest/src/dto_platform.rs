//! JSON views of the egress and platform-service objects (§17.1): subnet delegations,
//! load-balancer outbound rules and a VM scale set's network profile.

use crate::dto::{IpConfigDto, RefDto, Str, azure_object};

azure_object! {
    /// One `delegations[]` entry of a subnet.
    pub struct DelegationDto<'a> {
        service_name: Str<'a> = "serviceName",
    }
}

azure_object! {
    /// One `outboundRules[]` entry of a load balancer.
    pub struct OutboundRuleDto<'a> {
        name: Str<'a> = "name",
        frontend_ip_configurations: Vec<RefDto<'a>> = "frontendIPConfigurations",
        backend_address_pool: RefDto<'a> = "backendAddressPool",
    }
}

azure_object! {
    /// `virtualMachineProfile` of a VM scale set.
    pub struct VmssProfileDto<'a> {
        network_profile: VmssNetworkProfileDto<'a> = "networkProfile",
    }
}

azure_object! {
    /// `virtualMachineProfile.networkProfile` of a VM scale set.
    pub struct VmssNetworkProfileDto<'a> {
        network_interface_configurations: Vec<VmssNicConfigDto<'a>> = "networkInterfaceConfigurations",
    }
}

azure_object! {
    /// One `networkInterfaceConfigurations[]` entry of a VM scale set.
    pub struct VmssNicConfigDto<'a> {
        name: Str<'a> = "name",
        ip_configurations: Vec<IpConfigDto<'a>> = "ipConfigurations",
    }
}
