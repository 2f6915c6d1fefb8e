//! Virtual appliances (§3.3, §6.2): the NIC or internal load balancer that owns a
//! VirtualAppliance next hop, reachable in the VNet or a directly peered one; its NSGs both
//! ways and IP forwarding on its NIC.

use std::net::IpAddr;

use azroute_model::*;

use super::walk::{Endpoint, Packet, Walk};
use super::{Addressing, Hop, HopKind, HopResource, Owner, Power, Tracer};
use crate::RouteError;
use crate::finding::*;
use crate::route::RouteOrigin;

impl Tracer<'_, '_> {
    /// Sends the packet to a virtual appliance: the NIC or load balancer that owns the next
    /// hop IP, reachable in the VNet or a directly peered one (§3.3). Returns the NVA's NIC to
    /// continue from, or None when the packet is dropped.
    pub(super) fn appliance(
        &self,
        walk: &mut Walk,
        vnet: VnetIdx,
        nva_ip: IpAddr,
        pkt: Packet,
        route: &RouteRef,
        forward_nics: &[Endpoint],
    ) -> Result<Option<NicIdx>, RouteError> {
        let Some(owner) = self.reachable_owner(walk, vnet, nva_ip, route) else { return Ok(None) };
        let owner_vnet = Addressing::vnet_of(self.snap(), &owner).expect("a reachable owner has a VNet");
        let Some(nva_nic) = self.appliance_nic(walk, vnet, owner, owner_vnet, nva_ip, route) else { return Ok(None) };
        if !self.cross_peering(walk, vnet, owner_vnet, pkt) {
            return Ok(None);
        }
        if self.snap().nics[nva_nic.index()].owns_ip(pkt.dst) {
            // The packet is for the appliance itself: the route only chose how to reach it.
            if !self.cross_peering(walk, vnet, owner_vnet, pkt) {
                return Ok(None);
            }
            let mut hop = Hop::new(HopKind::Destination, HopResource::Nic(nva_nic), Some(pkt.dst));
            hop.subnet = self.nic_subnet(nva_nic).ok();
            walk.hops.push(hop);
            return Ok(self.destination_running(walk, nva_nic, pkt).then_some(nva_nic));
        }
        Ok(self.forward_through(walk, nva_nic, pkt, route, forward_nics).then_some(nva_nic))
    }

    /// The owner of the next hop in the VNet or a directly peered one, or a finding saying why
    /// there is none.
    pub(super) fn reachable_owner(
        &self,
        walk: &mut Walk,
        vnet: VnetIdx,
        nva_ip: IpAddr,
        route: &RouteRef,
    ) -> Option<Owner> {
        let snap = self.snap();
        let topo = self.routes.topology();
        // The VNet itself or one it has a connected peering to: one lookup per owner (a hub has
        // hundreds of peerings and this runs at every NVA hop of every trace).
        let reachable = |v: VnetIdx| v == vnet || topo.connected_between(vnet, v);
        let owners = self.addressing.owners(nva_ip).iter().copied().filter(|o| !matches!(o, Owner::PublicIp { .. }));
        let owner = owners.clone().find(|o| Addressing::vnet_of(snap, o).is_some_and(reachable));
        if owner.is_none() {
            let unreachable = match owners.clone().find_map(|o| Addressing::vnet_of(snap, &o)) {
                _ if !route.table().reaches_address_space(nva_ip) => {
                    NextHopUnreachable::OutsideAddressSpace { vnet, next_hop: nva_ip, route: route.clone() }
                }
                Some(owner_vnet) => {
                    NextHopUnreachable::NotPeered { vnet, next_hop: nva_ip, owner_vnet, route: route.clone() }
                }
                None => NextHopUnreachable::NotOwned { vnet, next_hop: nva_ip, route: route.clone() },
            };
            walk.findings.push(Finding::new(unreachable).resource(user_route_table(route)));
        }
        owner
    }

    /// The NVA NIC behind an owner: the NIC itself, or a load balancer's first backend (§3.3).
    fn appliance_nic(
        &self,
        walk: &mut Walk,
        vnet: VnetIdx,
        owner: Owner,
        owner_vnet: VnetIdx,
        nva_ip: IpAddr,
        route: &RouteRef,
    ) -> Option<NicIdx> {
        let snap = self.snap();
        let topo = self.routes.topology();
        match owner {
            Owner::Nic { nic, .. } => Some(nic),
            Owner::LoadBalancer { lb, .. } => {
                let l = &snap.load_balancers[lb.index()];
                let global =
                    topo.peering_between(snap, vnet, owner_vnet).is_some_and(|p| topo.peerings[p.index()].global);
                if global && l.sku.eq_ignore_ascii_case("Basic") {
                    let unsupported = NextHopUnreachable::BasicLoadBalancerGlobal { next_hop: nva_ip, lb };
                    walk.findings.push(Finding::new(unsupported).resource(ResourceRef::LoadBalancer(lb)));
                    return None;
                }
                walk.hops.push(Hop::new(HopKind::LoadBalancer, HopResource::LoadBalancer(lb), Some(nva_ip)));
                let backend = self.first_backend(l);
                if backend.is_none() {
                    let empty = NextHopUnreachable::NoBackend { next_hop: nva_ip, lb };
                    walk.findings.push(Finding::new(empty).resource(ResourceRef::LoadBalancer(lb)));
                }
                backend
            }
            // A firewall is reached through `firewall.rs` before this.
            Owner::PrivateEndpoint { .. }
            | Owner::Gateway { .. }
            | Owner::PublicIp { .. }
            | Owner::Firewall { .. }
            | Owner::ApplicationGateway { .. }
            | Owner::DnsResolverInbound { .. } => {
                let not_nva = NextHopUnreachable::NotAnAppliance { next_hop: nva_ip, route: route.clone() };
                walk.findings.push(Finding::new(not_nva).resource(user_route_table(route)));
                None
            }
        }
    }

    /// The NVA receives the packet (inbound NSGs), forwards it if its NIC allows (§6.2), and
    /// sends it on (outbound NSGs). False when it is dropped.
    pub(super) fn forward_through(
        &self,
        walk: &mut Walk,
        nva_nic: NicIdx,
        pkt: Packet,
        route: &RouteRef,
        forward_nics: &[Endpoint],
    ) -> bool {
        let n = &self.snap().nics[nva_nic.index()];
        let nva_addr = n.primary_ip_config().and_then(|c| c.private_ip);
        let mut hop = Hop::new(HopKind::VirtualAppliance, HopResource::Nic(nva_nic), nva_addr);
        hop.subnet = self.nic_subnet(nva_nic).ok();
        walk.hops.push(hop);
        walk.devices.push(nva_nic);
        walk.from_gateway = false;
        if let Power::NotRunning { vm } = self.power_of(nva_nic) {
            let state = self.snap().vms[vm.index()].power_state.clone().expect("a stopped VM has a power state");
            let stopped = NvaNotRunning::Traced { nic: nva_nic, vm, state, destination: pkt.dst, route: route.clone() };
            walk.findings.push(Finding::new(stopped).resource(ResourceRef::Vm(vm)).resource(ResourceRef::Nic(nva_nic)));
            return false;
        }
        if !self.nsg_at(walk, nva_nic, Direction::Inbound, pkt, forward_nics) {
            return false;
        }
        if !n.ip_forwarding {
            let off = IpForwardingDisabled::Appliance {
                nic: nva_nic,
                address: nva_addr,
                destination: pkt.dst,
                route: route.clone(),
            };
            walk.findings.push(Finding::new(off).resource(ResourceRef::Nic(nva_nic)));
            return false;
        }
        self.nsg_at(walk, nva_nic, Direction::Outbound, pkt, forward_nics)
    }
}

/// The route table of a user route, named as a resource of findings about it.
pub(super) fn user_route_table(route: &RouteRef) -> Option<ResourceRef> {
    match route.route().origin {
        RouteOrigin::User { table, .. } => Some(ResourceRef::RouteTable(table)),
        _ => None,
    }
}
