//! `azroute next-hop` and `GET /api/next-hop`: Network Watcher's next hop from a NIC to an
//! address, with `--explain`.

use std::net::IpAddr;

use azroute_engine::{explain, next_hop};
use azroute_model::NicIdx;
use azroute_report::nexthop::{self, NextHopView};

use crate::routes::not_running;
use crate::{Notice, QueryError, Session, with_newline};

/// The NIC (`--nic`, or `--vm` for its primary NIC), the destination and, optionally, the
/// source address (which picks the NIC of a multi-NIC VM).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextHopQuery {
    pub nic: Option<String>,
    pub vm: Option<String>,
    pub dest_ip: IpAddr,
    pub source_ip: Option<IpAddr>,
    pub explain: bool,
}

pub struct NextHopAnswer {
    pub view: NextHopView,
    destination: IpAddr,
    pub notices: Vec<Notice>,
}

impl Session<'_> {
    pub fn next_hop(&self, query: &NextHopQuery) -> Result<NextHopAnswer, QueryError> {
        let snap = self.snapshot();
        let nic = self.next_hop_nic(query)?;
        let mut notices = Vec::new();
        if let Some(ip) = query.source_ip
            && !snap.nics[nic.index()].owns_ip(ip)
        {
            notices.push(Notice::warning(format!(
                "{ip} is not an address of `{}`; the next hop depends only on the destination and the NIC's subnet",
                snap.nics[nic.index()].name
            )));
        }
        notices.extend(not_running(snap, nic));
        let (_, table) = self.engine().nic_table(nic)?;
        let answer = next_hop(snap, &table, query.dest_ip);
        let explanation = query.explain.then(|| explain(self.options(), &table, query.dest_ip));
        let view = nexthop::view(snap, &table, &answer, explanation.as_ref());
        Ok(NextHopAnswer { view, destination: query.dest_ip, notices })
    }

    /// The NIC named, or the VM's: the one holding the source address, else its primary NIC.
    fn next_hop_nic(&self, query: &NextHopQuery) -> Result<NicIdx, QueryError> {
        let snap = self.snapshot();
        if let Some(nic) = &query.nic {
            if query.vm.is_some() {
                return Err(QueryError::invalid("--nic and --vm name one target; give only one of them"));
            }
            return Ok(snap.find_nic(nic)?);
        }
        let Some(vm) = &query.vm else {
            return Err(QueryError::invalid("name the network interface").hint("pass --nic NIC or --vm VM"));
        };
        let vm_idx = snap.find_vm(vm)?;
        let vm = &snap.vms[vm_idx.index()];
        let nics: Vec<NicIdx> = vm.nics.iter().filter_map(|l| l.resolved()).collect();
        // Network Watcher requires targetNicResourceId for a multi-NIC VM with IP forwarding
        // on any NIC (§6.2, T31).
        if nics.len() > 1 && nics.iter().any(|n| snap.nics[n.index()].ip_forwarding) {
            return Err(QueryError::invalid(format!(
                "`{}` has {} network interfaces and IP forwarding is enabled on one of them; Network Watcher requires the NIC to be named (targetNicResourceId)",
                vm.name,
                nics.len()
            ))
            .hint(format!(
                "pass --nic with one of: {}",
                nics.iter().map(|n| snap.nics[n.index()].name.as_str()).collect::<Vec<_>>().join(", ")
            )));
        }
        match query.source_ip.and_then(|ip| nics.iter().copied().find(|n| snap.nics[n.index()].owns_ip(ip))) {
            Some(n) => Ok(n),
            None => Ok(self.engine().vm_primary_nic(vm_idx)?),
        }
    }
}

impl NextHopAnswer {
    /// `-o json`: Network Watcher's answer (`--explain` adds the candidates).
    pub fn json(&self) -> String {
        with_newline(nexthop::json(&self.view))
    }

    pub fn text(&self) -> String {
        with_newline(nexthop::text(&self.view, self.destination))
    }
}
