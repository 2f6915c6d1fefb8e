//! Checks of VMs and of what gateways bring into a VNet: VMs not running (§7.1), and
//! on-premises prefixes that overlap the VNet they serve.

use azroute_engine::*;
use azroute_model::*;

use crate::Doctor;

impl Doctor<'_, '_> {
    /// Azure answers effective routes only for a running VM (§7.1, T36).
    pub(crate) fn effective_routes_require_running_vm(&self, out: &mut Vec<Finding>) {
        for (i, vm) in self.snap.vms.iter().enumerate() {
            if vm.stopped().is_some() {
                let vm = VmIdx(i as u32);
                out.push(Finding::new(EffectiveRoutesRequireRunningVm { vm }).resource(ResourceRef::Vm(vm)));
            }
        }
    }

    /// Gateway prefixes that overlap the address space of a VNet they serve: the overlapping
    /// addresses stay in the VNet.
    pub(crate) fn on_premises_overlap_checks(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        let topo = self.routes.topology();
        for (vi, attachment) in topo.attachments.iter().enumerate() {
            let vnet = VnetIdx(vi as u32);
            for &gateway in &attachment.gateways {
                for gp in &topo.gateway_prefixes[gateway.index()] {
                    for &range in &snap.vnets[vi].address_space {
                        if contains_prefix(&range, &gp.prefix) || contains_prefix(&gp.prefix, &range) {
                            let overlap =
                                OverlappingAddressSpace::OnPremises { vnet, range, gateway, prefix: gp.prefix };
                            out.push(
                                Finding::new(overlap)
                                    .resource(ResourceRef::Vnet(vnet))
                                    .resource(ResourceRef::Gateway(gateway)),
                            );
                        }
                    }
                }
            }
        }
    }
}
