//! Packet traces (§11): a packet followed hop by hop from its source, through NVAs, peerings
//! and gateways, to where it is delivered, leaves Azure or is dropped; then the reply followed
//! back, and the two compared for stateful devices crossed in one direction only (§6.4).
//!
//! What the snapshot cannot say is an explicit assumption of every trace: an NVA's guest OS
//! forwards what Azure delivers to it, without SNAT; a load balancer in front of NVAs picks its
//! first backend; a multi-NIC VM sends from the NIC the trace starts at.
//!
//! Everything a trace returns is data ([`path`]): hops name resources by index, notes and
//! assumptions are enums, findings carry typed evidence; the report layer writes the words.
//! The walk (`walk.rs`) takes the route at each subnet and hands the packet to the module of
//! its next hop: `delivery.rs` (the VNet or a peered one), `appliances.rs` (NVAs, load
//! balancers), `gateways.rs` (on-premises, VNet-to-VNet, and traffic entering from outside);
//! `branch.rs` traffic entering a Virtual WAN hub from one of its branches (§20.16);
//! `security.rs` applies NSGs at each NIC, `unreachable.rs` says why a destination has no
//! route, `reply.rs` walks the reply and `comparison.rs` compares the two directions.

mod addressing;
mod appliances;
mod branch;
mod comparison;
mod delivery;
mod egress;
mod firewall;
mod gateways;
mod hub;
mod path;
mod reply;
mod security;
mod unreachable;
mod walk;

use std::net::IpAddr;

use azroute_model::*;

pub use addressing::{Addressing, Owner};
pub(crate) use egress::firewall_public_sources;
pub use egress::{Egress, EgressAddress, EgressMethod, flexible_scale_set, nic_explicit_egress};
pub use path::*;

use crate::finding::{Finding, ResourceRef};
use crate::nsg::SecurityEngine;
use crate::{RouteEngine, RouteError};
use walk::{Packet, Start};

/// The most hops a trace follows before calling it a loop.
pub const HOP_LIMIT: usize = 16;

/// Traces packets through one snapshot.
pub struct Tracer<'e, 's> {
    pub routes: &'e RouteEngine<'s>,
    pub security: SecurityEngine<'e, 's>,
    pub addressing: Addressing,
    /// The first VNet (in snapshot order) whose address space holds an address, by search.
    vnet_spaces: crate::ranges::FirstOwner,
    /// Per NIC, worked out once: whether its VM runs (`power_of`) and its primary subnet
    /// (`nic_subnet`), asked at every NVA and destination of every trace, where reading them
    /// from the NIC's IP configurations and VM is several cache misses.
    nic_facts: Vec<NicFacts>,
    /// Evaluate NSGs at each NIC (off for routing-only analysis such as the doctor's).
    pub evaluate_nsgs: bool,
    /// Deliver to any address of a subnet even where no NIC owns it (whole-subnet
    /// reachability); off for `azroute trace`, where a missing host is a finding.
    pub virtual_hosts: bool,
    /// When the source's own NSG drops the packet, also report what routing would do with it,
    /// so one `azroute trace` shows every problem. Off for the reachability matrix, whose
    /// cells list the codes of what happened.
    pub routing_after_nsg_drop: bool,
    /// The host name (HTTP Host, TLS SNI) an Azure Firewall's application rules match (`--fqdn`).
    pub fqdn: Option<String>,
    /// Work out each trace's assumptions (`Trace::assumptions`); off for the reachability
    /// matrix, whose outcomes never show them (the lean matrix trace: same path, same findings).
    pub assumptions: bool,
    /// Record every NSG check on its hop (`Hop::nsg`); off for the reachability matrix, whose
    /// outcomes never show them (same path, same findings: a denying rule is still named in its
    /// `NsgDenied` finding).
    pub nsg_checks: bool,
    /// Azure Firewall's disputed behaviour (§16.6).
    pub firewall_options: FirewallOptions,
    /// What a subnet that does not say `defaultOutboundAccess` is taken to be (§17.2).
    pub unset_default_outbound: UnsetDefaultOutbound,
}

impl<'e, 's> Tracer<'e, 's> {
    pub fn new(routes: &'e RouteEngine<'s>) -> Tracer<'e, 's> {
        Tracer {
            security: SecurityEngine::new(routes),
            addressing: Addressing::build(routes.snap()),
            vnet_spaces: crate::ranges::FirstOwner::new(routes.snap().vnets.iter().map(|v| v.address_space.as_slice())),
            nic_facts: (0..routes.snap().nics.len())
                .map(|n| NicFacts {
                    power: power_of_nic(routes.snap(), NicIdx(n as u32)),
                    subnet: routes.nic_subnet(NicIdx(n as u32)).ok(),
                })
                .collect(),
            routes,
            evaluate_nsgs: true,
            virtual_hosts: false,
            routing_after_nsg_drop: true,
            fqdn: None,
            assumptions: true,
            nsg_checks: true,
            firewall_options: routes.options().firewall,
            unset_default_outbound: routes.options().unset_default_outbound,
        }
    }

    fn snap(&self) -> &'s Snapshot {
        self.routes.snap()
    }

    fn options(&self) -> &ModelOptions {
        self.routes.options()
    }

    /// The NIC that owns an address, if exactly one does.
    pub fn nic_owning(&self, ip: IpAddr) -> Option<NicIdx> {
        let mut nics = self.addressing.owners(ip).iter().filter_map(|o| match o {
            Owner::Nic { nic, .. } => Some(*nic),
            _ => None,
        });
        match (nics.next(), nics.next()) {
            (Some(nic), None) => Some(nic),
            _ => None,
        }
    }

    /// The gateway whose on-premises prefixes hold an address most specifically.
    fn on_premises_gateway(&self, ip: IpAddr) -> Option<GatewayIdx> {
        // Most addresses are no gateway's: one search each says so.
        self.routes.topology().gateway_prefixes_holding(ip).next()?;
        let mut best: Option<(u8, GatewayIdx)> = None;
        for (g, prefixes) in self.routes.topology().gateway_prefixes.iter().enumerate() {
            for gp in prefixes {
                if gp.prefix.contains(&ip) && best.is_none_or(|(len, _)| gp.prefix.prefix_len() > len) {
                    best = Some((gp.prefix.prefix_len(), GatewayIdx(g as u32)));
                }
            }
        }
        best.map(|(_, g)| g)
    }

    /// The first VNet of the snapshot whose address space holds an address.
    fn in_some_vnet(&self, ip: IpAddr) -> Option<VnetIdx> {
        self.vnet_spaces.owner_of(ip).map(|i| VnetIdx(i as u32))
    }

    /// Whether an address is private: reserved space, or inside a VNet of the snapshot.
    fn is_private(&self, ip: IpAddr) -> bool {
        is_private_or_reserved(ip) || self.in_some_vnet(ip).is_some()
    }

    /// Traces a request and its reply.
    pub fn trace(&self, request: TraceRequest) -> Result<Trace, RouteError> {
        let pkt = Packet::of(&request);
        let forward = match request.source {
            TraceSource::Nic { nic, .. } => self.walk(Start::Nic { nic }, pkt, &[])?,
            TraceSource::Host { subnet, .. } => self.walk(Start::Host { subnet }, pkt, &[])?,
            TraceSource::External(ip) => self.arriving_from_outside(ip, pkt)?,
        };
        let mut reverse = if forward.verdict.reached() { Some(self.reply(&request, &forward, pkt)?) } else { None };
        let reply_findings = reverse.as_ref().map_or(0, |r| r.findings.len());
        let mut findings = Vec::with_capacity(forward.findings.len() + reply_findings);
        findings.extend(forward.findings.iter().cloned());
        if let Some(rev) = &mut reverse {
            findings.extend(rev.findings.iter().cloned());
            findings.extend(self.compare(&request, &forward, rev));
            findings.extend(self.compare_firewalls(&request, &forward, rev));
        }
        remove_repeats(&mut findings);
        let assumptions = if self.assumptions {
            self.assumptions_of(&request, &forward, reverse.as_ref())
        } else {
            Assumptions::default()
        };
        Ok(Trace { request, forward, reverse, findings, assumptions })
    }

    /// What a trace assumed where the snapshot does not say (none of it changes its path).
    fn assumptions_of(&self, request: &TraceRequest, forward: &PathTrace, reverse: Option<&PathTrace>) -> Assumptions {
        let mut assumptions = Assumptions::default();
        if let TraceSource::Nic { nic, .. } = request.source {
            assumptions.multi_nic_source = self.multi_nic_vm(nic);
            if let Power::NotRunning { vm } = self.power_of(nic) {
                assumptions.source_not_running = Some(vm);
            }
        }
        assumptions.service_replies_retrace = forward.verdict == Verdict::DeliveredToAzureService;
        let through_lb = |p: &PathTrace| p.hops.iter().any(|h| h.kind == HopKind::LoadBalancer);
        assumptions.first_backend = through_lb(forward) || reverse.is_some_and(through_lb);
        let power_unknown =
            |p: &PathTrace| p.hops.iter().any(|h| h.nic().is_some_and(|n| self.power_of(n) == Power::Unknown));
        assumptions.power_state_unknown = power_unknown(forward) || reverse.is_some_and(power_unknown);
        assumptions.firewall_inspection = self.firewall_inspection(request, forward);
        assumptions.dnat_match = self.dnat_assumption(forward);
        assumptions.dnat_private_ip = self.dnat_private_ip_assumption(request);
        assumptions.default_outbound_assumed = forward.egress.as_ref().is_some_and(|e| e.assumed_default);
        let avnm = |p: &PathTrace| {
            p.hops.iter().any(|h| {
                h.notes.iter().any(|n| matches!(n, HopNote::AdminRule { .. }))
                    || h.route
                        .as_ref()
                        .is_some_and(|r| r.route.route().next_hop_type == crate::NextHopType::ConnectedGroup)
            })
        };
        assumptions.avnm = avnm(forward) || reverse.is_some_and(avnm);
        assumptions.avnm_peering_forwarded = std::iter::once(forward).chain(reverse).find_map(|p| {
            p.hops.iter().flat_map(|h| &h.notes).find_map(|n| match n {
                HopNote::AvnmPeeringForwardedTraffic { allowed, .. } => Some(*allowed),
                _ => None,
            })
        });
        assumptions.branch_source = forward.hops.first().is_some_and(|h| h.kind == HopKind::OnPremises)
            && forward
                .hops
                .get(1)
                .is_some_and(|h| h.notes.iter().any(|n| matches!(n, HopNote::EntersFromBranch { .. })));
        assumptions.vwan_secured_spoke_inter_hub = std::iter::once(forward)
            .chain(reverse)
            .any(|p| self.leaves_secured_hub(p))
            .then(|| self.options().vwan_secured_spoke_inter_hub == VwanSecuredSpokeInterHub::LocalFirewall);
        assumptions
    }

    /// Whether a path goes from a hub with a private-traffic policy, its first, into a spoke of
    /// another hub (C38).
    fn leaves_secured_hub(&self, path: &PathTrace) -> bool {
        let snap = self.snap();
        let routing = &self.routes.topology().vwan;
        let first = path.hops.iter().find_map(|h| match h.resource {
            HopResource::VirtualHub(hub) => Some(hub),
            _ => None,
        });
        let Some(first) = first else { return false };
        let last_vnet = path.hops.last().and_then(|h| h.nic()).and_then(|n| {
            let subnet = self.nic_subnet(n).ok()?;
            Some(snap.subnets[subnet.index()].vnet)
        });
        let other_hub = last_vnet.and_then(|v| routing.connection_of_vnet(v)).is_some_and(|(h, _)| h.hub != first);
        other_hub && crate::vwan::private_policy(snap, &snap.virtual_hubs[first.index()]).is_some()
    }

    /// Whether the VM of a NIC runs, as the export says (`power_of_nic`, worked out once).
    fn power_of(&self, nic: NicIdx) -> Power {
        self.nic_facts[nic.index()].power
    }

    /// The subnet of a NIC's primary IP configuration (`RouteEngine::nic_subnet`, looked up
    /// once per NIC; the error, naming the NIC, is made again where there is none).
    fn nic_subnet(&self, nic: NicIdx) -> Result<SubnetIdx, RouteError> {
        match self.nic_facts[nic.index()].subnet {
            Some(subnet) => Ok(subnet),
            None => self.routes.nic_subnet(nic),
        }
    }

    /// The VM of a NIC when it has several NICs.
    fn multi_nic_vm(&self, nic: NicIdx) -> Option<VmIdx> {
        let snap = self.snap();
        let vm = snap.nics[nic.index()].vm.as_ref().and_then(|l| l.resolved())?;
        (snap.vms[vm.index()].nics.len() > 1).then_some(vm)
    }
}

impl HopResource {
    /// The snapshot resource this hop is, if it is one.
    pub fn resource(&self) -> Option<ResourceRef> {
        match *self {
            HopResource::Nic(n) => Some(ResourceRef::Nic(n)),
            HopResource::Gateway(g) => Some(ResourceRef::Gateway(g)),
            HopResource::LoadBalancer(l) => Some(ResourceRef::LoadBalancer(l)),
            HopResource::PrivateEndpoint(p) => Some(ResourceRef::PrivateEndpoint(p)),
            HopResource::Firewall(f) => Some(ResourceRef::Firewall(f)),
            HopResource::ApplicationGateway(a) => Some(ResourceRef::ApplicationGateway(a)),
            HopResource::DnsResolverInbound(d) => Some(ResourceRef::DnsResolverInbound(d)),
            HopResource::Host(_)
            | HopResource::Internet
            | HopResource::OnPremises
            | HopResource::Service(_)
            | HopResource::Unknown
            | HopResource::VirtualHub(_) => None,
        }
    }
}

/// Whether the VM of a NIC runs, as the export says: the one place a trace decides it
/// (`Vm::stopped` is the model's rule). A NIC without a VM in the export, or a VM without a
/// power state, is `Unknown` and assumed running; a private endpoint's NIC runs.
fn power_of_nic(snap: &Snapshot, nic: NicIdx) -> Power {
    // A private endpoint's NIC is the platform's: it has no VM and no power state.
    if snap.nics[nic.index()].private_endpoint.is_some() {
        return Power::Running;
    }
    let Some(vm) = snap.nics[nic.index()].vm.as_ref().and_then(|l| l.resolved()) else { return Power::Unknown };
    let v = &snap.vms[vm.index()];
    match (&v.power_state, v.stopped()) {
        (None, _) => Power::Unknown,
        (Some(_), Some(_)) => Power::NotRunning { vm },
        (Some(_), None) => Power::Running,
    }
}

/// What a tracer keeps per NIC.
#[derive(Clone, Copy, Debug)]
struct NicFacts {
    power: Power,
    subnet: Option<SubnetIdx>,
}

/// Whether a NIC's VM runs (`Tracer::power_of`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Power {
    Running,
    /// Stopped or deallocated: it forwards nothing and answers nothing.
    NotRunning {
        vm: VmIdx,
    },
    /// The export does not say; assumed running.
    Unknown,
}

/// Keeps each finding once, the first time it shows (the same problem can show in both
/// directions).
fn remove_repeats(findings: &mut Vec<Finding>) {
    let mut i = 0;
    while i < findings.len() {
        let f = &findings[i];
        if findings[..i].iter().any(|g| g.code == f.code && g.resources == f.resources && g.evidence == f.evidence) {
            findings.remove(i);
        } else {
            i += 1;
        }
    }
}
