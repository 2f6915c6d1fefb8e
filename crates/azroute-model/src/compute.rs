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
    /// The power state, when the export carries it (the instance view's `PowerState/…` code
    /// or the `powerState` of `az vm list -d`).
    pub power_state: Option<PowerState>,
    /// `virtualMachineScaleSet`: the scale set of a Flexible-orchestration instance (§17.2:
    /// such instances never have default outbound access).
    pub scale_set: Option<Link<ScaleSetIdx>>,
    pub origin: Origin,
}

impl Vm {
    /// The VM's power state when it is stopped or deallocated: Azure answers effective routes,
    /// next hop and IP flow verify only for a running VM (§7.1, T36). A VM whose state is
    /// unknown, or in transition, is not reported.
    pub fn stopped(&self) -> Option<&PowerState> {
        self.power_state.as_ref().filter(|s| matches!(s, PowerState::Stopped | PowerState::Deallocated))
    }
}

/// A VM's power state, as Azure's instance view codes it (`PowerState/running`, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PowerState {
    Starting,
    Running,
    Stopping,
    Stopped,
    Deallocating,
    Deallocated,
    /// A value azroute does not know, kept as written.
    Other(String),
}

impl PowerState {
    /// Reads the instance view's code (`PowerState/deallocated`) or the az CLI's display form
    /// (`VM deallocated`), in any case.
    pub fn parse(text: &str) -> PowerState {
        let lower = text.trim().to_ascii_lowercase();
        let state = lower.strip_prefix("powerstate/").or_else(|| lower.strip_prefix("vm ")).unwrap_or(&lower);
        match state {
            "starting" => PowerState::Starting,
            "running" => PowerState::Running,
            "stopping" => PowerState::Stopping,
            "stopped" => PowerState::Stopped,
            "deallocating" => PowerState::Deallocating,
            "deallocated" => PowerState::Deallocated,
            _ => PowerState::Other(text.to_string()),
        }
    }

    /// Azure's instance-view code (`PowerState/running`); an unknown value as written.
    pub fn as_str(&self) -> &str {
        match self {
            PowerState::Starting => "PowerState/starting",
            PowerState::Running => "PowerState/running",
            PowerState::Stopping => "PowerState/stopping",
            PowerState::Stopped => "PowerState/stopped",
            PowerState::Deallocating => "PowerState/deallocating",
            PowerState::Deallocated => "PowerState/deallocated",
            PowerState::Other(text) => text,
        }
    }
}
