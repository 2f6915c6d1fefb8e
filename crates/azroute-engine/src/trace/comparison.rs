//! The two directions compared (§6.4): a stateful device (NVA) crossed by the request but not
//! the reply, or the other way round, drops the connection. Devices are compared by VM, so a
//! two-armed NVA crossed on different NICs counts once.

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
        // The devices of each direction as sets: sorted without repeats (a path passes a
        // handful, so no hashing per trace).
        let device_set = |devices: &[NicIdx]| {
            let mut set: Vec<i64> = devices.iter().map(device_of).collect();
            set.sort_unstable();
            set.dedup();
            set
        };
        let request_set = device_set(&request_devices);
        let reply_set = device_set(&reply_devices);
        if request_set == reply_set || !reverse.verdict.reached() {
            return Vec::new();
        }
        if reverse.findings.iter().any(|f| f.code == FindingCode::ForcedTunnelBreaksInbound) {
            return Vec::new();
        }
        let only_request: Vec<NicIdx> =
            request_devices.iter().copied().filter(|n| reply_set.binary_search(&device_of(n)).is_err()).collect();
        let only_reply: Vec<NicIdx> =
            reply_devices.iter().copied().filter(|n| request_set.binary_search(&device_of(n)).is_err()).collect();
        let return_route = match (only_request.first(), reverse.hops.first()) {
            (Some(&nva), Some(first)) => Some(ReturnRoute {
                nva,
                source_prefix: self.source_range(request, forward),
                reply_subnet: first.subnet,
            }),
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

impl Tracer<'_, '_> {
    /// The range a return route should cover: the source subnet's prefix (the route then fixes
    /// every host of the subnet, not only the traced one), the on-premises prefix an outside
    /// source sits in, else the source address alone.
    fn source_range(&self, request: &TraceRequest, forward: &PathTrace) -> ipnet::IpNet {
        let snap = self.snap();
        let ip = request.source.ip();
        let subnet_prefix = forward
            .hops
            .first()
            .and_then(|h| h.subnet)
            .and_then(|s| snap.subnets[s.index()].prefixes.iter().find(|p| p.contains(&ip)).copied());
        let on_premises = || {
            let g = self.on_premises_gateway(ip)?;
            let prefixes = &self.routes.topology().gateway_prefixes[g.index()];
            prefixes.iter().filter(|gp| gp.prefix.contains(&ip)).map(|gp| gp.prefix).max_by_key(|p| p.prefix_len())
        };
        subnet_prefix.or_else(on_premises).unwrap_or_else(|| prefix_of_ip(ip))
    }
}
