//! The walk: where a packet starts, then at each subnet the route its destination selects and
//! what that route's next hop does with it, until it is delivered, leaves Azure, is dropped or
//! loops (§11).

use std::net::IpAddr;

use azroute_model::*;

use super::egress::{Egress, EgressDecision, EgressMethod};
use super::{
    FirewallCrossing, HOP_LIMIT, Hop, HopKind, HopNote, HopResource, PathTrace, RouteUsed, TraceRequest, Tracer,
    Verdict,
};
use crate::RouteError;
use crate::finding::*;

use crate::route::*;

/// The packet being walked.
#[derive(Clone, Copy, Debug)]
pub(super) struct Packet {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub protocol: Protocol,
    pub sport: u16,
    pub dport: u16,
}

impl Packet {
    pub fn of(request: &TraceRequest) -> Packet {
        Packet {
            src: request.source.ip(),
            dst: request.destination,
            protocol: request.protocol,
            sport: request.source_port,
            dport: request.destination_port,
        }
    }

    /// The packet that answers this one.
    pub fn reply(self) -> Packet {
        Packet { src: self.dst, dst: self.src, protocol: self.protocol, sport: self.dport, dport: self.sport }
    }
}

/// Something whose NSGs keep flow state: a NIC, or a NIC-less host in a subnet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Endpoint {
    Nic(NicIdx),
    Host(SubnetIdx),
    /// An Azure Firewall the request passed (§16.5).
    Firewall(FirewallIdx),
}

/// Where a walk starts.
#[derive(Clone, Copy, Debug)]
pub(super) enum Start {
    Nic {
        nic: NicIdx,
    },
    /// A host in a subnet without a NIC in the snapshot.
    Host {
        subnet: SubnetIdx,
    },
    /// Arriving from on-premises through a gateway.
    Gateway {
        gateway: GatewayIdx,
    },
    /// Continuing from a NIC whose hop the walk already holds.
    Resume {
        nic: NicIdx,
    },
    /// Continuing from a NIC-less device in a subnet (an Azure Firewall) whose hop the walk
    /// already holds.
    AtSubnet {
        subnet: SubnetIdx,
    },
}

/// What one step of the walk decided.
pub(super) enum Step {
    /// The path ends.
    Ended(Verdict),
    /// The packet is at a NIC (or a host) of `subnet`, whose routes decide next.
    At { subnet: SubnetIdx, nic: Option<NicIdx> },
    /// The packet enters again elsewhere (through a VNet-to-VNet connection's far gateway).
    Restart(Start),
    /// A NIC-less device of `subnet` (an Azure Firewall) sends the packet on, maybe translated.
    Forwarded { subnet: SubnetIdx, pkt: Packet },
}

/// The walker's state between hops.
pub(super) struct Walk {
    pub hops: Vec<Hop>,
    pub findings: Vec<Finding>,
    pub devices: Vec<NicIdx>,
    pub exit_gateway: Option<GatewayIdx>,
    /// The packet came in through a gateway and no NVA has forwarded it since: peerings accept
    /// it without `allowForwardedTraffic` (§5.2, not needed for Azure VPN gateway forwarding).
    pub from_gateway: bool,
    /// Subnets whose routes or NSGs decided something, and VNets whose peerings or gateways
    /// did: what a change must touch to change this path (incremental recomputation).
    pub consulted: Vec<SubnetIdx>,
    pub consulted_vnets: Vec<VnetIdx>,
    pub firewalls: Vec<FirewallCrossing>,
    pub egress: Option<Egress>,
}

impl Walk {
    pub fn new() -> Walk {
        Walk::from_hop(None)
    }

    /// A walk whose first hop is already known.
    pub fn from_hop(hop: Option<Hop>) -> Walk {
        // Most paths have a handful of hops: one allocation instead of regrowing 1, 4, 8.
        let mut hops = Vec::with_capacity(8);
        hops.extend(hop);
        Walk {
            hops,
            findings: Vec::new(),
            devices: Vec::new(),
            exit_gateway: None,
            from_gateway: false,
            // A subnet per route and NSG decision: a path through an NVA and a peering passes 8.
            consulted: Vec::with_capacity(16),
            consulted_vnets: Vec::new(),
            firewalls: Vec::new(),
            egress: None,
        }
    }

    pub fn finish(self, verdict: Verdict) -> PathTrace {
        PathTrace {
            verdict,
            hops: self.hops,
            findings: self.findings,
            devices: self.devices,
            exit_gateway: self.exit_gateway,
            consulted: self.consulted,
            consulted_vnets: self.consulted_vnets,
            firewalls: self.firewalls,
            egress: self.egress,
        }
    }

    /// Adds a note to the last hop.
    pub fn note(&mut self, note: HopNote) {
        if let Some(hop) = self.hops.last_mut() {
            hop.notes.push(note);
        }
    }
}

impl Tracer<'_, '_> {
    pub(super) fn walk(&self, start: Start, pkt: Packet, forward_nics: &[Endpoint]) -> Result<PathTrace, RouteError> {
        self.continue_walk(Walk::new(), start, pkt, forward_nics)
    }

    /// Walks from `start` until the path ends: at each subnet the selected route's next hop
    /// decides, and a subnet and NIC seen twice is a loop.
    pub(super) fn continue_walk(
        &self,
        mut walk: Walk,
        start: Start,
        pkt: Packet,
        forward_nics: &[Endpoint],
    ) -> Result<PathTrace, RouteError> {
        let first = self.start(&mut walk, start, pkt, forward_nics)?;
        self.walk_on(walk, first, pkt, forward_nics)
    }

    /// A walk on from a step already taken (a start, or a hub's exit, `branch.rs`).
    pub(super) fn walk_on(
        &self,
        mut walk: Walk,
        first: Step,
        mut pkt: Packet,
        forward_nics: &[Endpoint],
    ) -> Result<PathTrace, RouteError> {
        let (mut subnet, mut at_nic) = match first {
            Step::At { subnet, nic } => (subnet, nic),
            Step::Forwarded { subnet, pkt: forwarded } => {
                pkt = forwarded;
                (subnet, None)
            }
            Step::Ended(verdict) => return Ok(walk.finish(verdict)),
            Step::Restart(start) => return self.continue_walk(walk, start, pkt, forward_nics),
        };
        let mut visited: Vec<(SubnetIdx, Option<NicIdx>, usize)> = Vec::new();
        for _ in 0..HOP_LIMIT {
            if let Some(&(_, _, hop_start)) = visited.iter().find(|(s, n, _)| *s == subnet && *n == at_nic) {
                let finding = self.routing_loop(&walk, hop_start, pkt);
                walk.findings.push(finding);
                return Ok(walk.finish(Verdict::Loop));
            }
            visited.push((subnet, at_nic, walk.hops.len() - 1));
            match self.step(&mut walk, subnet, pkt, forward_nics)? {
                Step::At { subnet: next, nic } => (subnet, at_nic) = (next, nic),
                Step::Forwarded { subnet: next, pkt: forwarded } => (subnet, at_nic, pkt) = (next, None, forwarded),
                Step::Ended(verdict) => return Ok(walk.finish(verdict)),
                Step::Restart(start) => return self.continue_walk(walk, start, pkt, forward_nics),
            }
        }
        walk.findings.push(Finding::new(RoutingLoop::HopLimit { destination: pkt.dst, limit: HOP_LIMIT }));
        Ok(walk.finish(Verdict::Loop))
    }

    /// The first hop: the source NIC (its own address, its outbound NSGs), a NIC-less host, a
    /// gateway traffic enters by, or a NIC the walk resumes from.
    fn start(&self, walk: &mut Walk, start: Start, pkt: Packet, forward_nics: &[Endpoint]) -> Result<Step, RouteError> {
        match start {
            Start::Nic { nic } => self.start_at_nic(walk, nic, pkt, forward_nics),
            Start::Resume { nic } => Ok(Step::At { subnet: self.nic_subnet(nic)?, nic: Some(nic) }),
            Start::AtSubnet { subnet } => Ok(Step::At { subnet, nic: None }),
            Start::Host { subnet } => {
                let mut hop = Hop::new(HopKind::Source, HopResource::Host(subnet), Some(pkt.src));
                hop.subnet = Some(subnet);
                walk.hops.push(hop);
                if !self.nsg_at_endpoint(walk, subnet, None, Direction::Outbound, pkt, forward_nics) {
                    return Ok(Step::Ended(Verdict::Dropped));
                }
                Ok(Step::At { subnet, nic: None })
            }
            Start::Gateway { gateway } => Ok(self.enter_through_gateway(walk, gateway)),
        }
    }

    /// The source NIC: it may send only from its own addresses unless it forwards (§6.2), and
    /// its outbound NSGs apply.
    fn start_at_nic(
        &self,
        walk: &mut Walk,
        nic: NicIdx,
        pkt: Packet,
        forward_nics: &[Endpoint],
    ) -> Result<Step, RouteError> {
        let subnet = self.nic_subnet(nic)?;
        let mut hop = Hop::new(HopKind::Source, HopResource::Nic(nic), Some(pkt.src));
        hop.subnet = Some(subnet);
        walk.hops.push(hop);
        let n = &self.snap().nics[nic.index()];
        if !n.owns_ip(pkt.src) && !n.ip_forwarding {
            walk.findings.push(
                Finding::new(IpForwardingDisabled::Source { nic, source: pkt.src }).resource(ResourceRef::Nic(nic)),
            );
            return Ok(Step::Ended(Verdict::Dropped));
        }
        if !self.nsg_at(walk, nic, Direction::Outbound, pkt, forward_nics) {
            if self.routing_after_nsg_drop {
                // Say also what routing would do, so one run shows every problem.
                let findings = self.route_problems(subnet, pkt.dst)?;
                walk.findings.extend(findings);
            }
            return Ok(Step::Ended(Verdict::Dropped));
        }
        Ok(Step::At { subnet, nic: Some(nic) })
    }

    /// One subnet's decision: the route the destination selects, and what its next hop does.
    fn step(
        &self,
        walk: &mut Walk,
        subnet: SubnetIdx,
        pkt: Packet,
        forward_nics: &[Endpoint],
    ) -> Result<Step, RouteError> {
        let table = self.routes.subnet_table(subnet)?;
        let vnet = self.snap().subnets[subnet.index()].vnet;
        walk.consulted.push(subnet);
        let Some(entry) = table.fib.lookup(pkt.dst).copied() else {
            walk.findings.push(Finding::new(NoRoute { subnet, destination: pkt.dst }));
            return Ok(Step::Ended(Verdict::Dropped));
        };
        // The hop the route is recorded on: the packet's current one, before the next hop's
        // module adds hops. The route is recorded after it, by move: no reference count to
        // update on the walk's hot path.
        let at = walk.hops.len().checked_sub(1);
        if let Some(hop) = at.and_then(|i| walk.hops.get_mut(i)) {
            hop.subnet = Some(subnet);
        }
        let route = RouteRef::owning(table, entry.route as usize);
        let table = route.table();
        let step = match &route.route().next_hop_type {
            NextHopType::None => Step::Ended(self.none_route(walk, subnet, table, &route, pkt)),
            NextHopType::Internet => Step::Ended(self.internet(walk, subnet, table, &route, pkt)),
            NextHopType::VirtualNetworkServiceEndpoint => Step::Ended(service_endpoint(walk, &route, pkt)),
            NextHopType::InterfaceEndpoint => Step::Ended(private_endpoint(walk, subnet, &route, pkt)),
            NextHopType::VnetLocal
            | NextHopType::VNetPeering
            | NextHopType::VNetGlobalPeering
            | NextHopType::ConnectedGroup => {
                let target_vnet = match route.route().origin {
                    RouteOrigin::Peering { peering } => self.routes.topology().peerings[peering.index()].remote_vnet,
                    // §18.2: the member whose address space holds the destination.
                    RouteOrigin::ConnectedGroup { group, .. } => {
                        let member =
                            self.routes.topology().connected_groups.member_holding(self.snap(), group, pkt.dst);
                        if let Some(refused) = member.and_then(|to| self.non_peered_destination(vnet, to, pkt)) {
                            walk.findings.push(Finding::new(refused).resource(ResourceRef::Peering(refused.peering)));
                            return Ok(Step::Ended(Verdict::Dropped));
                        }
                        member
                    }
                    _ => Some(vnet),
                };
                match self.private_ip_dnat(walk, vnet, target_vnet, pkt, forward_nics) {
                    Some(step) => step,
                    None => {
                        Step::Ended(self.deliver(walk, vnet, target_vnet, Some((subnet, table)), pkt, forward_nics))
                    }
                }
            }
            NextHopType::VirtualAppliance => self.to_appliance(walk, vnet, &route, pkt, forward_nics)?,
            // A Route Server route's next hop is the NVA that advertised it (§19.2 RS-4):
            // the packet goes to that appliance, not to a gateway.
            NextHopType::VirtualNetworkGateway if matches!(route.route().origin, RouteOrigin::RouteServer { .. }) => {
                self.to_appliance(walk, vnet, &route, pkt, forward_nics)?
            }
            // A Virtual WAN hub's route: through the hub (§20.4).
            NextHopType::VirtualNetworkGateway if matches!(route.route().origin, RouteOrigin::VirtualWanHub { .. }) => {
                self.through_hub(walk, vnet, subnet, table, &route, pkt, forward_nics)?
            }
            NextHopType::VirtualNetworkGateway => self.gateway_exit(walk, vnet, &route, pkt),
            NextHopType::Other(_) => {
                walk.findings.push(Finding::new(NotModelled { route: Some(route.clone()), reason: None }));
                Step::Ended(Verdict::Dropped)
            }
        };
        if let Some(hop) = at.and_then(|i| walk.hops.get_mut(i)) {
            hop.route = Some(RouteUsed { subnet, route, prefix: entry.prefix });
        }
        Ok(step)
    }

    /// The packet came back to the hop at `hop_start`: a loop, with the routes that form it.
    fn routing_loop(&self, walk: &Walk, hop_start: usize, pkt: Packet) -> Finding {
        let hops = &walk.hops[hop_start..];
        let routes = hops
            .iter()
            .filter_map(|h| {
                h.route.as_ref().map(|r| HopRoute { hop: h.resource.clone(), subnet: r.subnet, route: r.route.clone() })
            })
            .collect();
        let mut finding = Finding::new(RoutingLoop::Revisit {
            destination: pkt.dst,
            at: walk.hops[hop_start].resource.clone(),
            routes,
        });
        for h in hops {
            finding = finding.resource(h.resource.resource());
        }
        finding
    }

    /// Next hop None: dropped (§1.1, §3), and why the destination has no better route.
    fn none_route(
        &self,
        walk: &mut Walk,
        subnet: SubnetIdx,
        table: &EffectiveRouteTable,
        route: &RouteRef,
        pkt: Packet,
    ) -> Verdict {
        let snap = self.snap();
        let resource = match route.route().origin {
            RouteOrigin::User { table: t, .. } => ResourceRef::RouteTable(t),
            _ => ResourceRef::Subnet(subnet),
        };
        let dropped = DroppedByNoneRoute::Dropped { subnet, destination: pkt.dst, route: route.clone() };
        walk.findings.push(Finding::new(dropped).resource(resource));
        let vnet = snap.subnets[subnet.index()].vnet;
        walk.findings.extend(self.routing_intent_split(vnet, pkt.dst));
        walk.findings.extend(self.why_unreachable(vnet, subnet, table, pkt.dst));
        walk.consulted_vnets.extend(self.in_some_vnet(pkt.dst));
        Verdict::Dropped
    }

    /// Next hop Internet: the packet leaves with source NAT, unless its destination is private
    /// and is lost there.
    fn internet(
        &self,
        walk: &mut Walk,
        subnet: SubnetIdx,
        table: &EffectiveRouteTable,
        route: &RouteRef,
        pkt: Packet,
    ) -> Verdict {
        let mut hop = Hop::new(HopKind::Internet, HopResource::Internet, Some(pkt.dst));
        if self.is_private(pkt.dst) {
            let lost = PrivateDestinationToInternet::Lost { subnet, destination: pkt.dst, route: route.clone() };
            walk.findings.push(Finding::new(lost));
            let vnet = self.snap().subnets[subnet.index()].vnet;
            walk.findings.extend(self.why_unreachable(vnet, subnet, table, pkt.dst));
            walk.consulted_vnets.extend(self.in_some_vnet(pkt.dst));
            hop.notes.push(HopNote::PrivateDestinationLost);
            walk.hops.push(hop);
            return Verdict::Dropped;
        }
        let sender = walk.hops.last().map_or(HopResource::Unknown, |h| h.resource.clone());
        match self.egress(&sender, subnet, pkt.src, pkt.dst) {
            EgressDecision::Exit(egress) if pkt.protocol == Protocol::Icmp && egress.carries_no_icmp() => {
                let s = &self.snap().subnets[subnet.index()];
                let nat_gateway = (egress.method == EgressMethod::NatGateway).then(|| s.nat_gateway.clone()).flatten();
                let icmp = OutboundIcmpNotSupported { subnet, nat_gateway, destination: pkt.dst };
                walk.findings.push(Finding::new(icmp).resource(ResourceRef::Subnet(subnet)));
                Verdict::Dropped
            }
            EgressDecision::Exit(egress) => {
                hop.notes.push(HopNote::LeavesWithSourceNat);
                walk.hops.push(hop);
                walk.egress = Some(egress);
                Verdict::ExitedToInternet
            }
            EgressDecision::StorageInRegion => {
                let service = Some("Storage".to_string());
                walk.hops.push(Hop::new(HopKind::ServiceEndpoint, HopResource::Service(service), Some(pkt.dst)));
                Verdict::DeliveredToAzureService
            }
            EgressDecision::NoEgress => {
                // A private subnet: the Internet route is not an exit (§17.2).
                let s = &self.snap().subnets[subnet.index()];
                let no_egress = PrivateSubnetNoEgress::Traced {
                    subnet,
                    sender: match sender {
                        HopResource::Nic(n) => Some(n),
                        _ => None,
                    },
                    destination: pkt.dst,
                    route: route.clone(),
                    assumed_private: s.default_outbound_access.is_none(),
                };
                walk.findings.push(Finding::new(no_egress).resource(ResourceRef::Subnet(subnet)));
                Verdict::Dropped
            }
            EgressDecision::FlexibleInstance(scale_set) => {
                let nics = match sender {
                    HopResource::Nic(n) => vec![n],
                    _ => Vec::new(),
                };
                let no_egress = PrivateSubnetNoEgress::FlexibleInstances {
                    subnet,
                    scale_set,
                    nics,
                    destination: Some(pkt.dst),
                    route: route.clone(),
                };
                let finding = Finding::new(no_egress).resource(ResourceRef::ScaleSet(scale_set));
                walk.findings.push(finding.resource(ResourceRef::Subnet(subnet)));
                Verdict::Dropped
            }
        }
    }

    /// Routing problems for a destination from a subnet, without following the packet: used
    /// where an NSG already dropped it.
    fn route_problems(&self, subnet: SubnetIdx, dst: IpAddr) -> Result<Vec<Finding>, RouteError> {
        let table = self.routes.subnet_table(subnet)?;
        let vnet = self.snap().subnets[subnet.index()].vnet;
        let Some(entry) = table.fib.lookup(dst) else { return Ok(Vec::new()) };
        let route = RouteRef::new(&table, entry.route as usize);
        let evidence: Evidence = match route.route().next_hop_type {
            NextHopType::None => DroppedByNoneRoute::BehindNsg { subnet, destination: dst, route }.into(),
            NextHopType::Internet if self.is_private(dst) => {
                PrivateDestinationToInternet::BehindNsg { subnet, destination: dst, route }.into()
            }
            _ => return Ok(Vec::new()),
        };
        let mut out = vec![Finding::new(evidence)];
        out.extend(self.why_unreachable(vnet, subnet, &table, dst));
        Ok(out)
    }

    /// Next hop VirtualAppliance: on to the NVA, or to the appliance itself when the packet is
    /// addressed to it.
    fn to_appliance(
        &self,
        walk: &mut Walk,
        vnet: VnetIdx,
        route: &RouteRef,
        pkt: Packet,
        forward_nics: &[Endpoint],
    ) -> Result<Step, RouteError> {
        let Some(&nva_ip) = route.route().next_hop_ips.first() else { return Ok(Step::Ended(Verdict::Dropped)) };
        if let Some(step) = self.to_firewall(walk, vnet, nva_ip, route, pkt, forward_nics)? {
            return Ok(step);
        }
        Ok(match self.appliance(walk, vnet, nva_ip, pkt, route, forward_nics)? {
            Some(next) if walk.hops.last().is_some_and(|h| h.kind == HopKind::Destination) => {
                if !self.nsg_at(walk, next, Direction::Inbound, pkt, forward_nics) {
                    Step::Ended(Verdict::Dropped)
                } else {
                    Step::Ended(Verdict::Delivered)
                }
            }
            Some(next) => Step::At { subnet: self.nic_subnet(next)?, nic: Some(next) },
            None => Step::Ended(Verdict::Dropped),
        })
    }
}

/// Next hop VirtualNetworkServiceEndpoint: the Azure service (§1.5).
fn service_endpoint(walk: &mut Walk, route: &RouteRef, pkt: Packet) -> Verdict {
    let service = match &route.route().origin {
        RouteOrigin::ServiceEndpoint { service, .. } => Some(service.clone()),
        _ => None,
    };
    walk.hops.push(Hop::new(HopKind::ServiceEndpoint, HopResource::Service(service), Some(pkt.dst)));
    Verdict::DeliveredToAzureService
}

/// Next hop InterfaceEndpoint: the private endpoint (TCP only), and a warning when its /32
/// route skips the NVA the subnet's 0.0.0.0/0 route sends everything else to (§5.5).
fn private_endpoint(walk: &mut Walk, subnet: SubnetIdx, route: &RouteRef, pkt: Packet) -> Verdict {
    let endpoint = match route.route().origin {
        RouteOrigin::PrivateEndpoint { endpoint } => Some(endpoint),
        _ => None,
    };
    let resource = endpoint.map(HopResource::PrivateEndpoint).unwrap_or(HopResource::Unknown);
    let mut hop = Hop::new(HopKind::PrivateEndpoint, resource, Some(pkt.dst));
    if pkt.protocol != Protocol::Tcp {
        hop.notes.push(HopNote::PrivateEndpointTcpOnly);
    }
    let firewall = route.table().routes.iter().position(|r| {
        r.is_active()
            && r.source == RouteSource::User
            && r.next_hop_type == NextHopType::VirtualAppliance
            && r.prefixes.iter().any(|p| p.prefix_len() == 0)
    });
    if let Some(fw) = firewall {
        let bypass = PrivateEndpointBypassesFirewall::Traced {
            subnet,
            endpoint,
            route: route.clone(),
            firewall: route.sibling(fw),
        };
        walk.findings.push(Finding::new(bypass).resource(endpoint.map(ResourceRef::PrivateEndpoint)));
    }
    walk.hops.push(hop);
    if pkt.protocol == Protocol::Tcp { Verdict::DeliveredToAzureService } else { Verdict::Dropped }
}
