//! The two directions compared (§6.4): a stateful device (NVA) crossed by the request but not
//! the reply, or the other way round, drops the connection. Devices are compared by VM, so a
//! two-armed NVA crossed on different NICs counts once.

use std::collections::HashSet;

use azroute_model::*;

use super::{PathTrace, TraceRequest, Tracer};
use crate::finding::*;

impl Tracer<'_, '_> {
    /// An `AsymmetricPath` finding when the two directions pass different stateful devices.
    pub(super) fn compare(&self, request: &TraceRequest, forward: &PathTrace, reverse: &PathTrace) -> Vec<Finding> {
        let snap = self.snap();
        let request_devices = forward.devices.clone();
        let reply_devices: Vec<NicIdx> = reverse.devices.iter().rev().copied().collect();
        let device_of = |n: &NicIdx| {
            snap.nics[n.index()].vm.as_ref().and_then(|l| l.resolved()).map(|v| v.0 as i64).unwrap_or(-(n.0 as i64) - 1)
        };
        let request_set: HashSet<i64> = request_devices.iter().map(device_of).collect();
        let reply_set: HashSet<i64> = reply_devices.iter().map(device_of).collect();
        if request_set == reply_set || !reverse.verdict.reached() {
            return Vec::new();
        }
        if reverse.findings.iter().any(|f| f.code == FindingCode::ForcedTunnelBreaksInbound) {
            return Vec::new();
        }
        let only_request: Vec<NicIdx> =
            request_devices.iter().copied().filter(|n| !reply_set.contains(&device_of(n))).collect();
        let only_reply: Vec<NicIdx> =
            reply_devices.iter().copied().filter(|n| !request_set.contains(&device_of(n))).collect();
        let return_route = match (only_request.first(), reverse.hops.first()) {
            (Some(&nva), Some(first)) => {
                Some(ReturnRoute { nva, source_prefix: prefix_of_ip(request.source.ip()), reply_subnet: first.subnet })
            }
            _ => None,
        };
        let routes = forward
            .hops
            .iter()
            .chain(reverse.hops.iter())
            .filter_map(|h| {
                h.route.as_ref().map(|r| HopRoute { hop: h.resource.clone(), subnet: r.subnet, route: r.route.clone() })
            })
            .collect();
        let mut finding = Finding::new(AsymmetricPath { request_devices, reply_devices, return_route, routes });
        for n in only_request.iter().chain(only_reply.iter()) {
            finding = finding.resource(ResourceRef::Nic(*n));
        }
        vec![finding]
    }
}
