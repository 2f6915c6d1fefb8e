//! Network interfaces, their IP configurations, and the virtual machines that own them.

use std::net::IpAddr;
use std::sync::Arc;

use crate::*;

/// `Microsoft.Network/networkInterfaces`.
#[derive(Clone, Debug)]
pub struct Nic {
    pub id: ArmId,
    pub name: String,
    /// Shared by every resource of the load in the same region (ingest interns it).
    pub location: Arc<str>,
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
    /// The id as the export wrote it; [`IpConfig::id`] gives it whole.
    pub id: IpConfigId,
    pub name: String,
    pub private_ip: Option<IpAddr>,
    pub subnet: Option<Link<SubnetIdx>>,
    pub public_ip: Option<Link<PublicIpIdx>>,
    pub primary: bool,
    /// Normalised ids of the application security groups this configuration belongs to.
    pub application_security_groups: Vec<String>,
}

impl IpConfig {
    /// The configuration's id, as the export wrote it.
    pub fn id(&self) -> ArmId {
        match &self.id {
            IpConfigId::OfNic(nic) => ArmId::new(format!("{nic}{IP_CONFIGURATIONS}{}", self.name)),
            IpConfigId::Own(id) => id.clone(),
        }
    }
}

/// What every IP configuration id Azure assigns holds between its NIC's id and its name.
const IP_CONFIGURATIONS: &str = "/ipConfigurations/";

/// An IP configuration's id. Azure spells it as its NIC's id, `/ipConfigurations/` and the
/// configuration's name; such an id is kept as the NIC's own (shared) id and spelled out only
/// when asked for ([`IpConfig::id`]), so that a 100k-NIC estate does not hold every NIC's id
/// twice. Any other text is kept as written. Compare [`IpConfig::id`]s, not these.
#[derive(Clone, Debug)]
pub enum IpConfigId {
    /// `{nic}/ipConfigurations/{name}`, exactly (the NIC's id is shared, not copied).
    OfNic(ArmId),
    /// Any other text (another spelling, an empty id), as written.
    Own(ArmId),
}

impl IpConfigId {
    /// The id `text` of configuration `name` of the NIC whose id is `nic`.
    pub fn new(text: &str, nic: &ArmId, name: &str) -> IpConfigId {
        let of_nic = text.strip_prefix(nic.as_str()).and_then(|rest| rest.strip_prefix(IP_CONFIGURATIONS));
        if !nic.is_empty() && of_nic == Some(name) {
            IpConfigId::OfNic(nic.clone())
        } else {
            IpConfigId::Own(ArmId::new(text))
        }
    }
}

/// `Microsoft.Compute/virtualMachines`.
#[derive(Clone, Debug)]
pub struct Vm {
    pub id: ArmId,
    pub name: String,
    /// Shared as [`Nic::location`] is.
    pub location: Arc<str>,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str, nic: &ArmId, name: &str) -> IpConfig {
        IpConfig {
            id: IpConfigId::new(text, nic, name),
            name: name.to_string(),
            private_ip: None,
            subnet: None,
            public_ip: None,
            primary: true,
            application_security_groups: Vec::new(),
        }
    }

    /// An id Azure spelled from the NIC's shares the NIC's text and reads back as written;
    /// any other spelling is kept as it is.
    #[test]
    fn an_ip_configuration_id_shares_its_nics_and_reads_back_as_written() {
        let nic = ArmId::new("/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkInterfaces/n");
        let derived = config(&format!("{nic}/ipConfigurations/ipconfig1"), &nic, "ipconfig1");
        let IpConfigId::OfNic(shared) = &derived.id else { panic!("not derived: {:?}", derived.id) };
        assert!(std::ptr::eq(shared.as_str(), nic.as_str()));
        assert_eq!(derived.id().as_str(), format!("{nic}/ipConfigurations/ipconfig1"));
        for text in [
            format!("{nic}/IPConfigurations/ipconfig1"),
            format!("{nic}/ipConfigurations/other"),
            format!("{nic}x/ipConfigurations/ipconfig1"),
            String::new(),
        ] {
            let kept = config(&text, &nic, "ipconfig1");
            assert!(matches!(kept.id, IpConfigId::Own(_)), "{text}");
            assert_eq!(kept.id().as_str(), text);
        }
        let unnamed = ArmId::new("");
        assert!(matches!(config("/ipConfigurations/c", &unnamed, "c").id, IpConfigId::Own(_)));
    }
}
