//! Delivery inside a VNet or a peered one (§5): crossing the peering (both sides' settings),
//! then the owner of the destination — a NIC, a load balancer's backend, a private endpoint,
//! a gateway instance, or a NIC-less host when whole subnets are traced.

use azroute_model::*;

use super::walk::{Endpoint, Packet, Walk};
use super::{Addressing, Hop, HopKind, HopNote, HopResource, Owner, Power, Tracer, Verdict};
use crate::finding::*;
use crate::route::EffectiveRouteTable;

impl Tracer<'_, '_> {
    /// AV-C7 (§18.8): over a connected-group route into `to`, a subnet peering between the two
    /// VNets takes precedence: a destination outside the remote subnets it lists is dropped.
    pub(super) fn non_peered_destination(
        &self,
        from: VnetIdx,
        to: VnetIdx,
        pkt: Packet,
    ) -> Option<SubnetPeeringNonPeeredDestination> {
        let snap = self.snap();
        let p = self.routes.topology().peering_between(snap, from, to)?;
        let peering = &snap.peerings[p.index()];
        let listed = peering.remote_address_space.iter().any(|r| r.contains(&pkt.dst));
        (!peering.peer_complete_vnets && !listed).then_some(SubnetPeeringNonPeeredDestination {
            destination: pkt.dst,
            from,
            to,
            peering: p,
        })
    }

    /// Crosses from `from_vnet` into `to_vnet` over their peering: checks the receiving side
    /// accepts the packet (§5.2). Returns false with a finding when it does not.
    pub(super) fn cross_peering(&self, walk: &mut Walk, from_vnet: VnetIdx, to_vnet: VnetIdx, pkt: Packet) -> bool {
        if from_vnet == to_vnet {
            return true;
        }
        walk.consulted_vnets.extend([from_vnet, to_vnet]);
        let snap = self.snap();
        let topo = self.routes.topology();
        let Some(p) = topo.peering_between(snap, from_vnet, to_vnet) else { return true };
        if let Some(q) = topo.peerings[p.index()].reverse {
            let back = &snap.peerings[q.index()];
            if !back.allow_virtual_network_access
                && self.options().peering_access_false_semantics == PeeringAccessFalse::Drop
            {
                let refused = PeeringAccessDisabled { peering: q, vnet: to_vnet };
                walk.findings.push(Finding::new(refused).resource(ResourceRef::Peering(q)));
                return false;
            }
            // A forwarded packet: its source is not in the sending VNet (§5.2, C10).
            let from = &snap.vnets[from_vnet.index()];
            let forwarded = !from.address_space.iter().any(|r| r.contains(&pkt.src)) && !walk.from_gateway;
            // A peering added from a hub-and-spoke configuration says what the option says (C32).
            let allowed = match snap.avnm.created_peering_source(back) {
                Some(_) if forwarded => {
                    let allowed = self.options().avnm_peering_forwarded_traffic == AvnmPeeringForwardedTraffic::Allowed;
                    walk.note(HopNote::AvnmPeeringForwardedTraffic { peering: q, allowed });
                    allowed
                }
                _ => back.allow_forwarded_traffic,
            };
            if forwarded && !allowed && self.options().allow_forwarded_traffic_enforced {
                let refused = ForwardedTrafficNotAllowed { source: pkt.src, from: from_vnet, to: to_vnet, peering: q };
                walk.findings.push(Finding::new(refused).resource(ResourceRef::Peering(q)));
                walk.note(HopNote::ForwardedTrafficRefused { into: to_vnet });
                return false;
            }
            // Subnet peering (§5.6, §18.8): every local subnet may have the route, but only
            // the listed subnets' packets are accepted; the others are dropped at the far side.
            let own = from.address_space.iter().any(|r| r.contains(&pkt.src));
            if own && !back.peer_complete_vnets && !back.remote_address_space.iter().any(|r| r.contains(&pkt.src)) {
                let refused =
                    SubnetPeeringNonPeeredSource { source: pkt.src, from: from_vnet, to: to_vnet, peering: q };
                walk.findings.push(Finding::new(refused).resource(ResourceRef::Peering(q)));
                return false;
            }
        }
        walk.note(HopNote::CrossesPeering { from: from_vnet, to: to_vnet });
        true
    }

    /// Delivers to the owner of the destination inside `target_vnet`, coming from `vnet`; `from`
    /// is the subnet and table whose route led here (none for a packet from a Virtual WAN
    /// branch), which explain a destination nobody owns.
    pub(super) fn deliver(
        &self,
        walk: &mut Walk,
        vnet: VnetIdx,
        target_vnet: Option<VnetIdx>,
        from: Option<(SubnetIdx, &EffectiveRouteTable)>,
        pkt: Packet,
        forward_nics: &[Endpoint],
    ) -> Verdict {
        let snap = self.snap();
        let Some(target_vnet) = target_vnet else {
            walk.findings.push(Finding::new(NoHostAtDestination::RemoteVnetMissing { destination: pkt.dst }));
            return Verdict::Dropped;
        };
        let owner = self
            .addressing
            .owners(pkt.dst)
            .iter()
            .copied()
            .find(|o| !matches!(o, Owner::PublicIp { .. }) && Addressing::vnet_of(snap, o) == Some(target_vnet));
        if owner.is_none()
            && self.virtual_hosts
            && let Some(verdict) = self.deliver_to_host(walk, vnet, target_vnet, pkt, forward_nics)
        {
            return verdict;
        }
        let Some(owner) = owner else {
            if let Some(verdict) = self.platform_subnet_destination(walk, vnet, target_vnet, pkt) {
                return verdict;
            }
            let unowned = NoHostAtDestination::Unowned { vnet: target_vnet, destination: pkt.dst };
            let mut finding = Finding::new(unowned).resource(ResourceRef::Vnet(target_vnet));
            // The subnet the address lies in, as data: a host could sit there (`--assume-host`).
            if let Some(s) =
                snap.vnets[target_vnet.index()].subnets.iter().find(|s| snap.subnets[s.index()].contains(pkt.dst))
            {
                finding = finding.resource(ResourceRef::Subnet(*s));
            }
            walk.findings.push(finding);
            if let Some((subnet, table)) = from {
                walk.findings.extend(self.why_unreachable(vnet, subnet, table, pkt.dst));
            }
            walk.consulted_vnets.extend(self.in_some_vnet(pkt.dst));
            return Verdict::Dropped;
        };
        if !self.cross_peering(walk, vnet, target_vnet, pkt) {
            return Verdict::Dropped;
        }
        self.deliver_to_owner(walk, owner, pkt, forward_nics)
    }

    /// Reachability of a subnet as a whole: any address of it stands for a host there. None
    /// when no subnet of the VNet holds the address.
    fn deliver_to_host(
        &self,
        walk: &mut Walk,
        vnet: VnetIdx,
        target_vnet: VnetIdx,
        pkt: Packet,
        forward_nics: &[Endpoint],
    ) -> Option<Verdict> {
        let snap = self.snap();
        let host_subnet = snap.vnets[target_vnet.index()]
            .subnets
            .iter()
            .copied()
            .find(|s| snap.subnets[s.index()].contains(pkt.dst))?;
        if !self.cross_peering(walk, vnet, target_vnet, pkt) {
            return Some(Verdict::Dropped);
        }
        let mut hop = Hop::new(HopKind::Destination, HopResource::Host(host_subnet), Some(pkt.dst));
        hop.subnet = Some(host_subnet);
        walk.hops.push(hop);
        if !self.nsg_at_endpoint(walk, host_subnet, None, Direction::Inbound, pkt, forward_nics) {
            return Some(Verdict::Dropped);
        }
        Some(Verdict::Delivered)
    }

    /// The owner of the destination receives the packet, through its inbound NSGs.
    fn deliver_to_owner(&self, walk: &mut Walk, owner: Owner, pkt: Packet, forward_nics: &[Endpoint]) -> Verdict {
        let snap = self.snap();
        match owner {
            Owner::Nic { nic, subnet: dst_subnet } => {
                let mut hop = Hop::new(HopKind::Destination, HopResource::Nic(nic), Some(pkt.dst));
                hop.subnet = dst_subnet;
                walk.hops.push(hop);
                if !self.destination_running(walk, nic, pkt) {
                    return Verdict::Dropped;
                }
                if !self.nsg_at(walk, nic, Direction::Inbound, pkt, forward_nics) {
                    return Verdict::Dropped;
                }
                Verdict::Delivered
            }
            Owner::LoadBalancer { lb, .. } => {
                let l = &snap.load_balancers[lb.index()];
                walk.hops.push(Hop::new(HopKind::LoadBalancer, HopResource::LoadBalancer(lb), Some(pkt.dst)));
                let Some(backend) = self.first_backend(l) else {
                    let empty = NoHostAtDestination::NoBackend { lb };
                    walk.findings.push(Finding::new(empty).resource(ResourceRef::LoadBalancer(lb)));
                    return Verdict::Dropped;
                };
                let addr = snap.nics[backend.index()].primary_ip_config().and_then(|c| c.private_ip);
                let mut hop = Hop::new(HopKind::Destination, HopResource::Nic(backend), addr);
                hop.subnet = self.nic_subnet(backend).ok();
                hop.notes.push(HopNote::FirstBackend);
                walk.hops.push(hop);
                if !self.destination_running(walk, backend, pkt) {
                    return Verdict::Dropped;
                }
                if !self.nsg_at(walk, backend, Direction::Inbound, pkt, forward_nics) {
                    return Verdict::Dropped;
                }
                Verdict::Delivered
            }
            Owner::PrivateEndpoint { endpoint, .. } => {
                let hop = Hop::new(HopKind::PrivateEndpoint, HopResource::PrivateEndpoint(endpoint), Some(pkt.dst));
                walk.hops.push(hop);
                Verdict::DeliveredToAzureService
            }
            Owner::Gateway { gateway } => {
                walk.hops.push(Hop::new(HopKind::VirtualNetworkGateway, HopResource::Gateway(gateway), Some(pkt.dst)));
                Verdict::Delivered
            }
            Owner::Firewall { firewall, subnet } => {
                // Addressed to the firewall itself (the reply to its SNAT address, DNS proxy,
                // a private-IP DNAT rule): delivered; its rules for it are not evaluated.
                let mut hop = Hop::new(HopKind::Destination, HopResource::Firewall(firewall), Some(pkt.dst));
                hop.subnet = subnet;
                walk.hops.push(hop);
                Verdict::Delivered
            }
            Owner::ApplicationGateway { gateway, subnet } => {
                // A reverse proxy: the request ends at its frontend; the gateway opens a new
                // flow to its backends (§17.3). Its subnet's NSG applies.
                let mut hop = Hop::new(HopKind::Destination, HopResource::ApplicationGateway(gateway), Some(pkt.dst));
                hop.subnet = subnet;
                walk.hops.push(hop);
                match subnet {
                    Some(s) if !self.nsg_at_endpoint(walk, s, None, Direction::Inbound, pkt, forward_nics) => {
                        Verdict::Dropped
                    }
                    _ => Verdict::Delivered,
                }
            }
            Owner::DnsResolverInbound { endpoint, subnet } => {
                let mut hop = Hop::new(HopKind::Destination, HopResource::DnsResolverInbound(endpoint), Some(pkt.dst));
                hop.subnet = subnet;
                walk.hops.push(hop);
                // An inbound endpoint answers DNS, TCP and UDP port 53 (§17.3).
                if pkt.dport == 53 && matches!(pkt.protocol, Protocol::Tcp | Protocol::Udp) {
                    return Verdict::Delivered;
                }
                let owned = PlatformOwnedDestination {
                    destination: pkt.dst,
                    owner: PlatformOwner::DnsResolverInbound(endpoint),
                    answer: PlatformAnswer::PortNotServed { port: pkt.dport },
                };
                walk.findings.push(Finding::new(owned));
                Verdict::Dropped
            }
            Owner::PublicIp { .. } => unreachable!("public IPs are filtered out by the caller"),
        }
    }
}

impl Tracer<'_, '_> {
    /// A destination NIC whose VM is stopped or deallocated answers nothing: the packet is
    /// dropped there with `DestinationNotRunning` (§11.1). False when it is.
    pub(super) fn destination_running(&self, walk: &mut Walk, nic: NicIdx, pkt: Packet) -> bool {
        let Power::NotRunning { vm } = self.power_of(nic) else { return true };
        let state = self.snap().vms[vm.index()].power_state.clone().expect("a stopped VM has a power state");
        let stopped = DestinationNotRunning { nic, vm, state, destination: pkt.dst };
        walk.findings.push(Finding::new(stopped).resource(ResourceRef::Vm(vm)).resource(ResourceRef::Nic(nic)));
        false
    }

    /// The backend a load balancer sends a flow to: the first whose VM is not known to be
    /// stopped (Azure's health probes take stopped VMs out of rotation, §6.5), else the first.
    pub(super) fn first_backend(&self, lb: &LoadBalancer) -> Option<NicIdx> {
        let mut backends = lb.backend_nics.iter().filter_map(|b| b.resolved());
        let first = backends.clone().next();
        backends.find(|n| !matches!(self.power_of(*n), Power::NotRunning { .. })).or(first)
    }
}

impl Tracer<'_, '_> {
    /// An address no resource holds, in a subnet a platform service owns (its instances, or a
    /// delegated subnet): the trace says whose it is and stops, never "no host" (§17.3).
    fn platform_subnet_destination(
        &self,
        walk: &mut Walk,
        vnet: VnetIdx,
        target_vnet: VnetIdx,
        pkt: Packet,
    ) -> Option<Verdict> {
        let snap = self.snap();
        let subnets = &snap.vnets[target_vnet.index()].subnets;
        let subnet = *subnets.iter().find(|s| snap.subnets[s.index()].contains(pkt.dst))?;
        let owner = super::addressing::platform_owner_of_subnet(snap, subnet)?;
        if !self.cross_peering(walk, vnet, target_vnet, pkt) {
            return Some(Verdict::Dropped);
        }
        let mut hop = Hop::new(HopKind::Destination, HopResource::Host(subnet), Some(pkt.dst));
        hop.subnet = Some(subnet);
        walk.hops.push(hop);
        let owned = PlatformOwnedDestination { destination: pkt.dst, owner, answer: PlatformAnswer::InstanceAddress };
        walk.findings.push(Finding::new(owned).resource(ResourceRef::Subnet(subnet)));
        Some(Verdict::Indeterminate)
    }
}
