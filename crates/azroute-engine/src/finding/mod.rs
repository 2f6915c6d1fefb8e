//! Findings: a problem the engine can prove from the snapshot, as data — a stable code, the
//! resources involved, and typed evidence (routes, rules, addresses, settings) from which the
//! report layer alone writes the message, the evidence lines and the fix, in any format.
//!
//! [`FindingCode`] names every code traces, the doctor and the reachability matrix raise;
//! [`catalogue()`] gives each its default severity, its documentation and who raises it;
//! [`Evidence`] holds, per code, the facts that prove one finding.

mod catalogue;
mod code;
mod evidence;
mod firewall_evidence;
mod platform_evidence;
mod route_server_evidence;
mod vwan_evidence;

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use azroute_model::*;

pub use azroute_model::Severity;
pub use catalogue::{CHECKS, CodeInfo, FoundBy, OTHER_CODES, catalogue};
pub use code::FindingCode;
pub use evidence::*;
pub use firewall_evidence::*;
pub use platform_evidence::*;
pub use route_server_evidence::*;
pub use vwan_evidence::*;

use crate::route::{EffectiveRoute, EffectiveRouteTable};

/// One problem, proven from the snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: FindingCode,
    pub severity: Severity,
    /// The resources involved, most relevant first (the root cause, which the doctor groups
    /// findings by), without repeats.
    pub resources: Vec<ResourceRef>,
    /// The facts that prove it.
    pub evidence: Evidence,
    /// The traced paths it was seen on, when traffic analysis aggregated it.
    pub traced: Option<TracedPaths>,
    /// The evidence of other findings with the same code and the same root cause (the first
    /// resource), which the doctor reports as this one; their resources are in `resources`.
    pub grouped: Vec<Evidence>,
}

impl Finding {
    /// A finding with the code and severity its evidence decides.
    pub fn new(evidence: impl Into<Evidence>) -> Finding {
        let evidence = evidence.into();
        Finding {
            code: evidence.code(),
            severity: evidence.severity(),
            resources: Vec::new(),
            evidence,
            traced: None,
            grouped: Vec::new(),
        }
    }

    /// Adds a resource unless it is already listed.
    pub fn resource(mut self, resource: impl Into<Option<ResourceRef>>) -> Finding {
        if let Some(r) = resource.into()
            && !self.resources.contains(&r)
        {
            self.resources.push(r);
        }
        self
    }
}

/// A resource of the snapshot a finding names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResourceRef {
    Vnet(VnetIdx),
    Subnet(SubnetIdx),
    Peering(PeeringIdx),
    RouteTable(RouteTableIdx),
    Nic(NicIdx),
    Vm(VmIdx),
    Nsg(NsgIdx),
    Gateway(GatewayIdx),
    Connection(ConnectionIdx),
    LoadBalancer(LoadBalancerIdx),
    PrivateEndpoint(PrivateEndpointIdx),
    Firewall(FirewallIdx),
    NatGateway(NatGatewayIdx),
    ApplicationGateway(ApplicationGatewayIdx),
    BastionHost(BastionHostIdx),
    ScaleSet(ScaleSetIdx),
    VirtualHub(VirtualHubIdx),
    DnsResolverInbound(DnsInboundEndpointIdx),
}

impl ResourceRef {
    /// The resource's id as the export wrote it.
    pub fn id<'s>(&self, snap: &'s Snapshot) -> &'s ArmId {
        match *self {
            ResourceRef::Vnet(i) => &snap.vnets[i.index()].id,
            ResourceRef::Subnet(i) => &snap.subnets[i.index()].id,
            ResourceRef::Peering(i) => &snap.peerings[i.index()].id,
            ResourceRef::RouteTable(i) => &snap.route_tables[i.index()].id,
            ResourceRef::Nic(i) => &snap.nics[i.index()].id,
            ResourceRef::Vm(i) => &snap.vms[i.index()].id,
            ResourceRef::Nsg(i) => &snap.nsgs[i.index()].id,
            ResourceRef::Gateway(i) => &snap.gateways[i.index()].id,
            ResourceRef::Connection(i) => &snap.connections[i.index()].id,
            ResourceRef::LoadBalancer(i) => &snap.load_balancers[i.index()].id,
            ResourceRef::PrivateEndpoint(i) => &snap.private_endpoints[i.index()].id,
            ResourceRef::Firewall(i) => &snap.firewalls[i.index()].id,
            ResourceRef::NatGateway(i) => &snap.nat_gateways[i.index()].id,
            ResourceRef::ApplicationGateway(i) => &snap.application_gateways[i.index()].id,
            ResourceRef::BastionHost(i) => &snap.bastion_hosts[i.index()].id,
            ResourceRef::ScaleSet(i) => &snap.scale_sets[i.index()].id,
            ResourceRef::VirtualHub(i) => &snap.virtual_hubs[i.index()].id,
            ResourceRef::DnsResolverInbound(i) => &snap.dns_inbound_endpoints[i.index()].id,
        }
    }
}

/// One route of a computed table, shared with the table rather than copied (traces record one
/// at every hop). Two are equal when the routes are.
#[derive(Clone)]
pub struct RouteRef {
    table: Arc<EffectiveRouteTable>,
    index: u32,
}

impl RouteRef {
    pub fn new(table: &Arc<EffectiveRouteTable>, index: usize) -> RouteRef {
        RouteRef { table: Arc::clone(table), index: index as u32 }
    }

    /// A route of a table the caller hands over (no reference count to update).
    pub fn owning(table: Arc<EffectiveRouteTable>, index: usize) -> RouteRef {
        RouteRef { table, index: index as u32 }
    }

    pub fn route(&self) -> &EffectiveRoute {
        &self.table.routes[self.index as usize]
    }

    /// The table the route belongs to.
    pub fn table(&self) -> &EffectiveRouteTable {
        &self.table
    }

    /// The route's position in its table.
    pub fn index(&self) -> usize {
        self.index as usize
    }

    /// Another route of the same table.
    pub fn sibling(&self, index: usize) -> RouteRef {
        RouteRef { table: Arc::clone(&self.table), index: index as u32 }
    }
}

impl PartialEq for RouteRef {
    fn eq(&self, other: &RouteRef) -> bool {
        self.route() == other.route()
    }
}

impl Eq for RouteRef {}

impl fmt::Debug for RouteRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RouteRef").field(&self.index).field(self.route()).finish()
    }
}

/// The traced paths an aggregated finding was seen on: how many, and a few examples.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TracedPaths {
    pub count: usize,
    /// Up to three (source, destination) pairs, in the order they were traced.
    pub examples: Vec<(PathEnd, PathEnd)>,
}

/// One end of a path the doctor traced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathEnd {
    /// An address of a subnet: a NIC's standing for every subnet of its route context
    /// (sampled analysis), or a reachability class's sample (exhaustive).
    Context { subnet: SubnetIdx, address: IpAddr },
    /// An address of an on-premises prefix.
    OnPremises(IpAddr),
    /// An address a user route sends to an NVA, outside every subnet of the estate.
    Routed(IpAddr),
    /// The address standing for the Internet.
    Internet(IpAddr),
}
