//! `azroute routes` and `GET /api/routes`: the effective routes of a NIC, a VM's primary NIC or
//! a subnet.

use std::sync::Arc;

use azroute_engine::EffectiveRouteTable;
use azroute_model::{NicIdx, Snapshot, SubnetIdx};
use azroute_report::routes;

use crate::{Notice, QueryError, Session, with_newline};

/// Whose routes to show (`--nic`, `--vm` or `--subnet`, exactly one) and whether to explain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoutesQuery {
    pub nic: Option<String>,
    pub vm: Option<String>,
    pub subnet: Option<String>,
    pub explain: bool,
}

/// A subnet's effective routes, ready to render.
pub struct RoutesAnswer<'s> {
    snap: &'s Snapshot,
    table: Arc<EffectiveRouteTable>,
    explain: bool,
    pub notices: Vec<Notice>,
}

impl<'s> Session<'s> {
    pub fn routes(&self, query: &RoutesQuery) -> Result<RoutesAnswer<'s>, QueryError> {
        let mut notices = Vec::new();
        let subnet = self.routes_subnet(query, &mut notices)?;
        let table = self.engine().subnet_table(subnet)?;
        Ok(RoutesAnswer { snap: self.snapshot(), table, explain: query.explain, notices })
    }

    /// The subnet whose table answers: the NIC's, the VM's primary NIC's, or the one named.
    fn routes_subnet(&self, query: &RoutesQuery, notices: &mut Vec<Notice>) -> Result<SubnetIdx, QueryError> {
        let snap = self.snapshot();
        let given = [&query.nic, &query.vm, &query.subnet].iter().filter(|o| o.is_some()).count();
        if given > 1 {
            return Err(QueryError::invalid("--nic, --vm and --subnet name one target; give only one of them")
                .hint(targets_hint(snap)));
        }
        if let Some(nic) = &query.nic {
            let nic = snap.find_nic(nic)?;
            notices.extend(not_running(snap, nic));
            Ok(self.engine().nic_subnet(nic)?)
        } else if let Some(vm) = &query.vm {
            let vm_idx = snap.find_vm(vm)?;
            let nic = self.engine().vm_primary_nic(vm_idx)?;
            let v = &snap.vms[vm_idx.index()];
            if v.nics.len() > 1 {
                notices.push(Notice::warning(format!(
                    "`{}` has {} network interfaces; showing the primary one, `{}` (use --nic for the others)",
                    v.name,
                    v.nics.len(),
                    snap.nics[nic.index()].name
                )));
            }
            notices.extend(not_running(snap, nic));
            Ok(self.engine().nic_subnet(nic)?)
        } else if let Some(subnet) = &query.subnet {
            Ok(snap.find_subnet(subnet)?)
        } else {
            Err(QueryError::invalid("say whose routes to show")
                .hint(format!("{}, or --all for every NIC", targets_hint(snap))))
        }
    }
}

impl RoutesAnswer<'_> {
    /// `-o json`: az's `show-effective-route-table` body (`--explain` adds origins, reasons,
    /// notes).
    pub fn json(&self) -> String {
        with_newline(routes::json(self.snap, &self.table, self.explain))
    }

    pub fn text(&self) -> String {
        with_newline(routes::text(self.snap, &self.table, self.explain))
    }

    pub fn csv(&self) -> String {
        with_newline(routes::csv(&self.table))
    }
}

/// Azure answers effective routes only for a running VM (§7.1, T36); azroute answers anyway
/// and says so.
pub(crate) fn not_running(snap: &Snapshot, nic: NicIdx) -> Option<Notice> {
    let vm = snap.nics[nic.index()].vm.as_ref().and_then(|l| l.resolved())?;
    let v = &snap.vms[vm.index()];
    let state = v.stopped()?;
    Some(Notice::warning(format!(
        "`{}` is not running ({}); Azure returns effective routes only for running VMs, azroute computes them from configuration",
        v.name,
        state.as_str()
    )))
}

/// Names a user can pass, for a hint when none was given.
pub(crate) fn targets_hint(snap: &Snapshot) -> String {
    let nics: Vec<&str> = snap.nics.iter().take(6).map(|n| n.name.as_str()).collect();
    let subnets: Vec<String> = (0..snap.subnets.len().min(6)).map(|i| snap.subnet_label(SubnetIdx(i as u32))).collect();
    format!(
        "pass --nic NIC, --vm VM or --subnet VNET/SUBNET; this snapshot has NICs {}{} and subnets {}{}",
        if nics.is_empty() { "(none)".to_string() } else { nics.join(", ") },
        if snap.nics.len() > 6 { ", …" } else { "" },
        if subnets.is_empty() { "(none)".to_string() } else { subnets.join(", ") },
        if snap.subnets.len() > 6 { ", …" } else { "" }
    )
}
