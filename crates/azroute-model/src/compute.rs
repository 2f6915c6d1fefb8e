//! Network interfaces, their IP configurations, and the virtual machines that own them.

use std::net::IpAddr;

use crate::*;

/// `Microsoft.Network/networkInterfaces`.
#[derive(Clone, Debug)]
pub struct Nic {
    pub id: ArmId,
    pub name: String,
    pub location: String,
    /// `enableIPForwarding`.
    pub ip_forwarding: bool,
    pub nsg: Option<Link<NsgIdx>>,
    pub vm: Option<Link<VmIdx>>,
    /// `primary`: whether this is the VM's primary NIC, when the export says.
    pub primary: Option<bool>,
    pub ip_configs: Vec<IpConfig>,
    /// Set for the NIC Azure creates for a private endpoint.
    pub private_endpoint: Option<ArmId>,
    pub origin: Origin,
}

impl Nic {
    /// The primary IP configuration (the one marked primary, else the first).
    pub fn primary_ip_config(&self) -> Option<&IpConfig> {
        self.ip_configs.iter().find(|c| c.primary).or_else(|| self.ip_configs.first())
    }

    pub fn owns_ip(&self, ip: IpAddr) -> bool {
        self.ip_configs.iter().any(|c| c.private_ip == Some(ip))
    }
}

/// One `ipConfigurations[]` entry of a NIC.
#[derive(Clone, Debug)]
pub struct IpConfig {
    pub id: ArmId,
    pub name: String,
    pub private_ip: Option<IpAddr>,
    pub subnet: Option<Link<SubnetIdx>>,
    pub public_ip: Option<Link<PublicIpIdx>>,
    pub primary: bool,
    /// Normalised ids of the application security groups this configuration belongs to.
    pub application_security_groups: Vec<String>,
}

/// `Microsoft.Compute/virtualMachines`.
#[derive(Clone, Debug)]
pub struct Vm {
    pub id: ArmId,
    pub name: String,
    pub location: String,
    /// NICs in `networkProfile.networkInterfaces` order.
    pub nics: Vec<Link<NicIdx>>,
    /// Index into `nics` of the NIC marked primary (the first when none is marked).
    pub primary_nic: usize,
    /// `PowerState/running` and friends, when the export carries the instance view.
    pub power_state: Option<String>,
    pub origin: Origin,
}
