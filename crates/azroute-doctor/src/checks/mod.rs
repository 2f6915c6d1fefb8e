//! Checks that read settings and computed route tables, one module per family; each check is a
//! function named after its code (`route_table_not_associated` raises
//! `RouteTableNotAssociated`), which proves a misconfiguration from the snapshot as a finding
//! with typed evidence.

mod appliances;
mod avnm;
mod avnm_limits;
mod contexts;
mod egress;
mod firewall_clients;
mod firewall_policy;
mod firewall_routing;
mod firewall_subnet;
mod forwarded;
mod inbound;
mod peerings;
mod route_server;
mod route_tables;
mod special_subnets;
mod vms;
mod vwan;

use azroute_model::*;

use crate::Doctor;

impl Doctor<'_, '_> {
    /// Subnets associated with each route table.
    pub(crate) fn associations(&self) -> Vec<Vec<SubnetIdx>> {
        let snap = self.snap;
        let mut out = vec![Vec::new(); snap.route_tables.len()];
        for (i, s) in snap.subnets.iter().enumerate() {
            if let Some(t) = s.route_table.as_ref().and_then(|l| l.resolved()) {
                out[t.index()].push(SubnetIdx(i as u32));
            }
        }
        out
    }
}
