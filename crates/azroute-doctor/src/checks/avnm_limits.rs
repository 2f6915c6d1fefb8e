//! Virtual Network Manager's documented limits (§18.9, AV-C6, AV-S4): VNets per connected group,
//! connected groups per VNet, spokes per hub, IP prefixes in all the admin rules of a manager;
//! and several managers whose configurations reach one VNet (AV-C8).

use std::collections::BTreeMap;

use azroute_engine::*;
use azroute_model::*;

use crate::Doctor;

impl Doctor<'_, '_> {
    /// `AvnmLimitExceeded`, one finding per group, VNet, hub or manager over a limit.
    pub(crate) fn avnm_limit_exceeded(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        let groups = &self.routes.topology().connected_groups.groups;
        let mut per_vnet = vec![0usize; snap.vnets.len()];
        for g in groups {
            for v in &g.members {
                per_vnet[v.index()] += 1;
            }
            let e = AvnmLimitExceeded {
                configuration: Some(g.configuration),
                ..limit(AvnmLimit::ConnectedGroupVnets, g.members.len())
            };
            push_over(out, e, g.members.first().copied());
        }
        for (v, count) in per_vnet.into_iter().enumerate() {
            let vnet = VnetIdx(v as u32);
            push_over(
                out,
                AvnmLimitExceeded { vnet: Some(vnet), ..limit(AvnmLimit::ConnectedGroupsPerVnet, count) },
                Some(vnet),
            );
            // The hub side of the `ANM_…` peerings: one per spoke (AV-C2, §18.7).
            let spokes =
                (snap.vnets[v].peerings.iter()).filter(|p| snap.peerings[p.index()].name.starts_with("ANM_")).count();
            push_over(out, AvnmLimitExceeded { vnet: Some(vnet), ..limit(AvnmLimit::HubSpokes, spokes) }, Some(vnet));
        }
        let mut prefixes: BTreeMap<String, usize> = BTreeMap::new();
        for r in &snap.avnm.admin_rules {
            let manager = avnm_parent_id(r.id.as_str(), 3);
            let n = r.sources.iter().chain(&r.destinations).filter(|a| matches!(a, AdminAddress::Prefix(_))).count();
            *prefixes.entry(manager).or_default() += n;
        }
        for (manager, count) in prefixes {
            let e =
                AvnmLimitExceeded { manager: Some(ArmId::new(manager)), ..limit(AvnmLimit::AdminRulePrefixes, count) };
            push_over(out, e, None);
        }
    }
}

impl Doctor<'_, '_> {
    /// `AvnmManagersOverlap` (AV-C8): admin rules or routing rules of more than one network
    /// manager apply to a VNet.
    pub(crate) fn avnm_managers_overlap(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        let manager_of = |id: &str, levels: usize| ArmId::new(avnm_parent_id(id, levels));
        for v in 0..snap.vnets.len() {
            let vnet = VnetIdx(v as u32);
            let admin: Vec<ArmId> = (self.security.admin_rules_of(vnet).iter())
                .map(|a| manager_of(snap.avnm.admin_rules[a.rule].id.as_str(), 3))
                .collect();
            let routing: Vec<ArmId> = (managed_routes(snap, vnet, None).rules.iter())
                .map(|&i| manager_of(snap.avnm.routing_rules[i].id.as_str(), 3))
                .collect();
            for (kind, mut managers) in [("securityAdmin", admin), ("routing", routing)] {
                managers.sort_by_key(|m| m.key());
                managers.dedup_by_key(|m| m.key());
                if managers.len() > 1 {
                    let e = AvnmManagersOverlap { vnet, kind, managers };
                    out.push(Finding::new(e).resource(ResourceRef::Vnet(vnet)));
                }
            }
        }
    }
}

fn limit(limit: AvnmLimit, count: usize) -> AvnmLimitExceeded {
    AvnmLimitExceeded { limit, count, vnet: None, configuration: None, manager: None }
}

fn push_over(out: &mut Vec<Finding>, e: AvnmLimitExceeded, vnet: Option<VnetIdx>) {
    if e.count <= e.limit.max() {
        return;
    }
    let finding = Finding::new(e);
    out.push(match vnet {
        Some(v) => finding.resource(ResourceRef::Vnet(v)),
        None => finding,
    });
}
