//! Leaving for the Internet (§17.2): which explicit outbound method gives the packet its public
//! source, in the documented precedence (NAT gateway, instance public IP, load-balancer outbound
//! rules), a firewall's own egress, the platform's for service-managed subnets, and default
//! outbound access, which a private subnet (`defaultOutboundAccess: false`) does not have.

use std::net::IpAddr;

use azroute_model::*;
use ipnet::IpNet;

use super::{HopResource, Tracer};

/// How a packet leaving for the Internet gets its public source address (§17.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EgressMethod {
    NatGateway,
    InstancePublicIp,
    LoadBalancerOutbound,
    AzureFirewall,
    DefaultOutboundAccess,
    ServiceManaged,
}

impl Egress {
    /// A NAT gateway carries TCP and UDP only, default outbound access no ICMP (§17.2).
    pub fn carries_no_icmp(&self) -> bool {
        matches!(self.method, EgressMethod::NatGateway | EgressMethod::DefaultOutboundAccess)
    }
}

impl EgressMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            EgressMethod::NatGateway => "NatGateway",
            EgressMethod::InstancePublicIp => "InstancePublicIp",
            EgressMethod::LoadBalancerOutbound => "LoadBalancerOutbound",
            EgressMethod::AzureFirewall => "AzureFirewall",
            EgressMethod::DefaultOutboundAccess => "DefaultOutboundAccess",
            EgressMethod::ServiceManaged => "ServiceManaged",
        }
    }
}

/// One public source a method may use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EgressAddress {
    Address(IpAddr),
    /// A public IP prefix (NAT gateway).
    Prefix(IpNet),
    /// A public IP or prefix whose address the snapshot lacks (not allocated, or not exported).
    Unknown(ArmId),
}

/// The egress of a packet that left for the Internet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Egress {
    pub method: EgressMethod,
    /// Every public source the method may use (a firewall picks one at random, §17.2).
    pub public_ips: Vec<EgressAddress>,
    /// Default outbound access was assumed: the subnet's export does not say
    /// `defaultOutboundAccess` (option `UnsetDefaultOutbound::Allowed`).
    pub assumed_default: bool,
}

/// What leaving for the Internet comes to.
pub(super) enum EgressDecision {
    Exit(Egress),
    /// A private subnet reaching Azure Storage in its own region (§17.2's exception).
    StorageInRegion,
    /// A private subnet with no explicit outbound method.
    NoEgress,
    /// An instance of a Flexible-orchestration scale set with no explicit outbound method: it
    /// never has default outbound access, whatever its subnet says (§17.2).
    FlexibleInstance(ScaleSetIdx),
}

impl Tracer<'_, '_> {
    /// The egress of a packet that `sender` (the walk's current hop, in `subnet`) sends to the
    /// Internet, in the precedence of §17.2.
    pub(super) fn egress(&self, sender: &HopResource, subnet: SubnetIdx, src: IpAddr, dst: IpAddr) -> EgressDecision {
        let snap = self.snap();
        if let HopResource::Firewall(f) = sender {
            return EgressDecision::Exit(self.firewall_egress(*f));
        }
        let s = &snap.subnets[subnet.index()];
        // C7: a user route with next hop Internet still leaves through the NAT gateway.
        if let Some(nat) = s.nat_gateway.as_ref() {
            let public_ips = self.nat_gateway_addresses(nat);
            return EgressDecision::Exit(Egress {
                method: EgressMethod::NatGateway,
                public_ips,
                assumed_default: false,
            });
        }
        let nic = match sender {
            HopResource::Nic(n) => Some(*n),
            _ => None,
        };
        if let Some(egress) = nic.and_then(|n| self.nic_egress(n, src)) {
            return EgressDecision::Exit(egress);
        }
        if s.is_service_managed() {
            return EgressDecision::Exit(Egress {
                method: EgressMethod::ServiceManaged,
                public_ips: Vec::new(),
                assumed_default: false,
            });
        }
        if s.is_private(self.unset_default_outbound) {
            return if self.storage_in_region(subnet, dst) {
                EgressDecision::StorageInRegion
            } else {
                EgressDecision::NoEgress
            };
        }
        if let Some(scale_set) = nic.and_then(|n| flexible_scale_set(snap, n)) {
            return EgressDecision::FlexibleInstance(scale_set);
        }
        EgressDecision::Exit(Egress {
            method: EgressMethod::DefaultOutboundAccess,
            public_ips: Vec::new(),
            assumed_default: s.default_outbound_access.is_none(),
        })
    }

    fn nic_egress(&self, nic: NicIdx, src: IpAddr) -> Option<Egress> {
        nic_explicit_egress(self.snap(), nic, Some(src))
    }

    /// An Azure Firewall's egress (§17.2): the NAT gateway of `AzureFirewallSubnet` when it has
    /// one, else every public IP of the firewall.
    fn firewall_egress(&self, firewall: FirewallIdx) -> Egress {
        let public_ips = firewall_public_sources(self.snap(), &self.snap().firewalls[firewall.index()]);
        Egress { method: EgressMethod::AzureFirewall, public_ips, assumed_default: false }
    }

    fn nat_gateway_addresses(&self, nat: &Link<NatGatewayIdx>) -> Vec<EgressAddress> {
        nat_gateway_addresses(self.snap(), nat)
    }

    /// Whether `dst` is Azure Storage in the subnet's own region (service tag
    /// `Storage.<region>`), which a private subnet reaches without an outbound method (§17.2).
    fn storage_in_region(&self, subnet: SubnetIdx, dst: IpAddr) -> bool {
        let snap = self.snap();
        let Some(tags) = snap.service_tags.as_ref() else { return false };
        let region = &snap.vnets[snap.subnets[subnet.index()].vnet.index()].location;
        tags.tags.iter().any(|t| {
            t.name.to_ascii_lowercase().starts_with("storage.")
                && !region.is_empty()
                && t.region.eq_ignore_ascii_case(region)
                && t.prefixes.iter().any(|p| p.contains(&dst))
        })
    }
}

/// The Flexible-orchestration scale set whose instance owns `nic` (its VM's
/// `virtualMachineScaleSet`): "Flexible-orchestration VMSS instances never get default outbound
/// access" (§17.2).
pub fn flexible_scale_set(snap: &Snapshot, nic: NicIdx) -> Option<ScaleSetIdx> {
    let vm = snap.nics[nic.index()].vm.as_ref()?.resolved()?;
    let scale_set = snap.vms[vm.index()].scale_set.as_ref()?.resolved()?;
    (snap.scale_sets[scale_set.index()].orchestration_mode == OrchestrationMode::Flexible).then_some(scale_set)
}

fn public_ip_address(snap: &Snapshot, pip: &Link<PublicIpIdx>) -> EgressAddress {
    match pip {
        Link::Resolved(i) => {
            let p = &snap.public_ips[i.index()];
            p.ip.map(EgressAddress::Address).unwrap_or_else(|| EgressAddress::Unknown(p.id.clone()))
        }
        Link::Missing(id) => EgressAddress::Unknown(id.clone()),
    }
}

/// A NIC's own explicit outbound method (§17.2), the one rule traces and the doctor share: an
/// instance public IP (on the configuration holding `src`, else the primary; any configuration
/// when `src` is not given), then the outbound rules of a Standard public load balancer or a
/// Basic public load balancer its NIC is a backend of. A pool configured by IP address lists no
/// NIC, and uses default outbound access (a documented known issue).
pub fn nic_explicit_egress(snap: &Snapshot, nic: NicIdx, src: Option<IpAddr>) -> Option<Egress> {
    let n = &snap.nics[nic.index()];
    let pip = match src {
        Some(src) => n
            .ip_configs
            .iter()
            .find(|c| c.private_ip == Some(src))
            .or_else(|| n.primary_ip_config())
            .and_then(|c| c.public_ip.as_ref()),
        None => n.ip_configs.iter().find_map(|c| c.public_ip.as_ref()),
    };
    if let Some(pip) = pip {
        let public_ips = vec![public_ip_address(snap, pip)];
        return Some(Egress { method: EgressMethod::InstancePublicIp, public_ips, assumed_default: false });
    }
    let me = Link::Resolved(nic);
    for lb in snap.load_balancers.iter().filter(|lb| lb.is_public()) {
        let frontends: Vec<&LbFrontend> = if lb.is_basic() {
            if !lb.backend_nics.contains(&me) {
                continue;
            }
            lb.frontends.iter().collect()
        } else {
            let rules = lb.outbound_rules.iter().filter(|r| r.backend_nics.contains(&me));
            let names: Vec<&String> = rules.flat_map(|r| r.frontends.iter()).collect();
            if names.is_empty() {
                continue;
            }
            lb.frontends.iter().filter(|f| names.contains(&&f.name)).collect()
        };
        let public_ips =
            frontends.iter().filter_map(|f| f.public_ip.as_ref()).map(|p| public_ip_address(snap, p)).collect();
        return Some(Egress { method: EgressMethod::LoadBalancerOutbound, public_ips, assumed_default: false });
    }
    None
}

/// A NAT gateway's public IPs and prefixes.
fn nat_gateway_addresses(snap: &Snapshot, nat: &Link<NatGatewayIdx>) -> Vec<EgressAddress> {
    let g = match nat {
        Link::Resolved(g) => &snap.nat_gateways[g.index()],
        Link::Missing(id) => return vec![EgressAddress::Unknown(id.clone())],
    };
    let mut out: Vec<EgressAddress> = g.public_ips.iter().map(|p| public_ip_address(snap, p)).collect();
    out.extend(g.public_ip_prefixes.iter().map(|p| match p {
        Link::Resolved(i) => {
            let prefix = &snap.public_ip_prefixes[i.index()];
            prefix.prefix.map(EgressAddress::Prefix).unwrap_or_else(|| EgressAddress::Unknown(prefix.id.clone()))
        }
        Link::Missing(id) => EgressAddress::Unknown(id.clone()),
    }));
    out
}

/// Where an Azure Firewall's Internet traffic leaves from (§17.2): the NAT gateway of
/// `AzureFirewallSubnet` when it has one, else every public IP of the firewall (it picks one).
pub(crate) fn firewall_public_sources(snap: &Snapshot, f: &Firewall) -> Vec<EgressAddress> {
    let nat = f.subnet().and_then(|s| snap.subnets[s.index()].nat_gateway.as_ref());
    match nat {
        Some(nat) => nat_gateway_addresses(snap, nat),
        None => {
            let configs = f.ip_configs.iter().filter_map(|c| c.public_ip.as_ref());
            let mut out: Vec<EgressAddress> = configs.map(|p| public_ip_address(snap, p)).collect();
            out.extend(f.hub_public_ips.iter().map(|ip| EgressAddress::Address(*ip)));
            out
        }
    }
}
