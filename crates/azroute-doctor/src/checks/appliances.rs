//! Virtual-appliance next hops of user routes (§3.3, §6.2, §6.3): owned by a NIC or internal
//! load balancer, directly reachable from every VNet the route applies in, running, forwarding,
//! on a NIC the guest routes for, and not refused by the NVA's own NSGs (§9.3).

use std::collections::BTreeSet;
use std::net::IpAddr;

use azroute_engine::*;
use azroute_engine::{Addressing, Owner};
use azroute_model::*;

use crate::Doctor;

impl Doctor<'_, '_> {
    /// A virtual-appliance next hop of a route applied to `subnets`.
    pub(crate) fn appliance_checks(&self, route: UserRoute, ip: IpAddr, subnets: &[SubnetIdx], out: &mut Vec<Finding>) {
        let snap = self.snap;
        let topo = self.routes.topology();
        let table = ResourceRef::RouteTable(route.table);
        let owners: Vec<Owner> = self
            .tracer
            .addressing
            .owners(ip)
            .iter()
            .copied()
            .filter(|o| !matches!(o, Owner::PublicIp { .. }))
            .collect();
        if owners.is_empty() {
            out.push(Finding::new(NextHopUnreachable::RouteNotOwned { route, next_hop: ip }).resource(table));
            return;
        }
        let vnets: BTreeSet<VnetIdx> = subnets.iter().map(|s| snap.subnets[s.index()].vnet).collect();
        for vnet in vnets {
            let mut reachable = vec![vnet];
            reachable.extend(topo.connected_peerings(snap, vnet).filter_map(|p| topo.peerings[p.index()].remote_vnet));
            let Some(owner) =
                owners.iter().find(|o| Addressing::vnet_of(snap, o).is_some_and(|ov| reachable.contains(&ov)))
            else {
                let owner_vnet = owners.iter().find_map(|o| Addressing::vnet_of(snap, o));
                let unreachable = NextHopUnreachable::RouteNotPeered { route, next_hop: ip, vnet, owner_vnet };
                out.push(Finding::new(unreachable).resource(table));
                continue;
            };
            let nics: Vec<NicIdx> = match *owner {
                Owner::Nic { nic, .. } => vec![nic],
                Owner::LoadBalancer { lb, .. } => {
                    out.extend(self.basic_load_balancer_across_global_peering(route, vnet, owner, lb));
                    snap.load_balancers[lb.index()].backend_nics.iter().filter_map(|b| b.resolved()).collect()
                }
                // An Azure Firewall forwards by design: no NIC, no IP forwarding setting (§16.4).
                Owner::Firewall { .. } => Vec::new(),
                _ => {
                    out.push(
                        Finding::new(NextHopUnreachable::RouteNotAnAppliance { route, next_hop: ip }).resource(table),
                    );
                    continue;
                }
            };
            let vnet_subnets: Vec<SubnetIdx> =
                subnets.iter().copied().filter(|s| snap.subnets[s.index()].vnet == vnet).collect();
            for nic in nics {
                out.extend(self.nva_not_running(route, ip, nic));
                out.extend(udr_next_hop_no_forwarding(snap, route, ip, nic));
                out.extend(multi_nic_guest_route_missing(snap, route, nic));
                out.extend(self.nsg_blocks_forwarded_traffic(route, nic, &vnet_subnets));
            }
        }
    }

    /// A stopped or deallocated NVA forwards nothing (§3.3, §11.1); an NVA whose VM has no power
    /// state in the export is assumed running, and the report says so.
    fn nva_not_running(&self, route: UserRoute, ip: IpAddr, nic: NicIdx) -> Option<Finding> {
        let snap = self.snap;
        let vm = snap.nics[nic.index()].vm.as_ref().and_then(|l| l.resolved())?;
        let v = &snap.vms[vm.index()];
        if v.power_state.is_none() {
            self.power_state_unknown.lock().expect("not poisoned").insert(vm);
        }
        let state = v.stopped()?.clone();
        Some(
            Finding::new(NvaNotRunning::Route { route, next_hop: ip, nic, vm, state })
                .resource(ResourceRef::Vm(vm))
                .resource(ResourceRef::Nic(nic))
                .resource(ResourceRef::RouteTable(route.table)),
        )
    }

    /// A Basic load balancer is not reachable across a global peering (§3.3).
    fn basic_load_balancer_across_global_peering(
        &self,
        route: UserRoute,
        vnet: VnetIdx,
        owner: &Owner,
        lb: LoadBalancerIdx,
    ) -> Option<Finding> {
        let snap = self.snap;
        let topo = self.routes.topology();
        let owner_vnet = Addressing::vnet_of(snap, owner).expect("a reachable owner has a VNet");
        let global = topo.peering_between(snap, vnet, owner_vnet).is_some_and(|p| topo.peerings[p.index()].global);
        (global && snap.load_balancers[lb.index()].sku.eq_ignore_ascii_case("Basic")).then(|| {
            Finding::new(NextHopUnreachable::RouteBasicLoadBalancerGlobal { route, lb })
                .resource(ResourceRef::RouteTable(route.table))
                .resource(ResourceRef::LoadBalancer(lb))
        })
    }
}

/// Azure drops what an NVA's NIC should forward unless IP forwarding is on (§6.2).
fn udr_next_hop_no_forwarding(snap: &Snapshot, route: UserRoute, ip: IpAddr, nic: NicIdx) -> Option<Finding> {
    (!snap.nics[nic.index()].ip_forwarding).then(|| {
        Finding::new(UdrNextHopNoForwarding { route, next_hop: ip, nic })
            .resource(ResourceRef::Nic(nic))
            .resource(ResourceRef::RouteTable(route.table))
    })
}

/// Only a VM's primary NIC gets a default route in the guest (§6.3).
fn multi_nic_guest_route_missing(snap: &Snapshot, route: UserRoute, nic: NicIdx) -> Option<Finding> {
    let vm = snap.nics[nic.index()].vm.as_ref().and_then(|l| l.resolved())?;
    let v = &snap.vms[vm.index()];
    let primary = v.nics.get(v.primary_nic).and_then(|l| l.resolved());
    (v.nics.len() > 1 && primary != Some(nic)).then(|| {
        Finding::new(MultiNicGuestRouteMissing { route, nic, vm })
            .resource(ResourceRef::Nic(nic))
            .resource(ResourceRef::Vm(vm))
    })
}
