//! The reply (§11): walked back from where the request arrived, through NSGs that saw the
//! request (stateful, §9), from the NVA that translated Internet traffic, or back through the
//! gateway the request left by; and forced tunnelling of replies to Internet clients (§6.1).

use azroute_model::*;

use super::walk::{Endpoint, Packet, Start, Walk};
use super::{Hop, HopKind, HopNote, HopResource, PathTrace, TraceRequest, TraceSource, Tracer, Verdict};
use crate::RouteError;
use crate::finding::*;
use crate::route::NextHopType;

impl Tracer<'_, '_> {
    /// Traces the reply of a request that arrived.
    pub(super) fn reply(
        &self,
        request: &TraceRequest,
        forward: &PathTrace,
        pkt: Packet,
    ) -> Result<PathTrace, RouteError> {
        let reply = pkt.reply();
        // NICs whose NSGs saw the request: replies pass them by flow state. A path has a
        // handful of hops, so a vector searched in place (no hashing per trace).
        let forward_nics: Vec<Endpoint> = forward
            .hops
            .iter()
            .filter_map(|h| match (h.nic(), h.subnet, h.kind) {
                (_, _, HopKind::AzureFirewall) => match h.resource {
                    HopResource::Firewall(f) => Some(Endpoint::Firewall(f)),
                    _ => None,
                },
                (Some(n), _, _) => Some(Endpoint::Nic(n)),
                (None, Some(s), HopKind::Source | HopKind::Destination) => Some(Endpoint::Host(s)),
                _ => None,
            })
            .collect();
        let from_destination = |p: Packet| self.reply_from_destination(request, forward, p, &forward_nics);
        if let Some(mut through) =
            self.reply_through_translating_firewall(forward, pkt, &forward_nics, from_destination)?
        {
            through.findings.extend(self.dnat_reply_not_to_internet(forward, &through));
            return Ok(through);
        }
        match forward.verdict {
            Verdict::Delivered => self.reply_from_destination(request, forward, reply, &forward_nics),
            Verdict::ExitedToOnPremises => match forward.exit_gateway {
                Some(g) => {
                    let hop = Hop::new(HopKind::OnPremises, HopResource::OnPremises, Some(reply.src));
                    self.continue_walk(Walk::from_hop(Some(hop)), Start::Gateway { gateway: g }, reply, &forward_nics)
                }
                // A Virtual WAN branch answers through its own hub connection (§20.16).
                None => match self.wan_branch(reply.src) {
                    Some(branch) => self.arriving_from_branch(reply.src, branch, reply, &forward_nics),
                    None => Ok(trivial_reply(forward, reply)),
                },
            },
            // The reply comes back to whoever translated the request: the last NVA, else the
            // source NIC directly.
            Verdict::ExitedToInternet => match forward.devices.last() {
                Some(&nva) => self.reply_from_translating_nva(nva, reply, &forward_nics),
                None => Ok(trivial_reply(forward, reply)),
            },
            Verdict::DeliveredToAzureService => Ok(trivial_reply(forward, reply)),
            Verdict::Dropped | Verdict::Loop | Verdict::Indeterminate => {
                unreachable!("replies are traced only for packets that arrived")
            }
        }
    }

    /// The reply of a delivered request leaves from the address the request was delivered to:
    /// a NIC (through its outbound NSGs) or a NIC-less host.
    fn reply_from_destination(
        &self,
        request: &TraceRequest,
        forward: &PathTrace,
        reply: Packet,
        forward_nics: &[Endpoint],
    ) -> Result<PathTrace, RouteError> {
        let last = forward.hops.last().expect("a path has hops");
        // The reply leaves from the address the request was delivered to.
        let from_destination = Packet { src: last.address.unwrap_or(reply.src), ..reply };
        match (last.nic(), last.subnet, last.kind) {
            (None, Some(subnet), HopKind::Destination) => {
                self.continue_walk(Walk::new(), Start::Host { subnet }, from_destination, forward_nics)
            }
            (Some(nic), _, HopKind::Destination) => {
                let reply = from_destination;
                let subnet = self.nic_subnet(nic)?;
                let mut hop = Hop::new(HopKind::Source, HopResource::Nic(nic), Some(reply.src));
                hop.subnet = Some(subnet);
                let mut walk = Walk::from_hop(Some(hop));
                if !self.nsg_at(&mut walk, nic, Direction::Outbound, reply, forward_nics) {
                    return Ok(walk.finish(Verdict::Dropped));
                }
                let mut trace = self.continue_walk(walk, Start::Resume { nic }, reply, forward_nics)?;
                // An Internet client that reached a public IP must get the reply from the
                // Internet route, not through a device (§6.1).
                if let TraceSource::External(client) = request.source
                    && forward.hops.first().is_some_and(|h| h.kind == HopKind::Internet)
                    // Not a reply to a firewall that translated the client (DNAT, §16.3).
                    && reply.dst == client
                {
                    forced_tunnel_check(&mut trace, client, subnet);
                }
                Ok(trace)
            }
            _ => Ok(trivial_reply(forward, reply)),
        }
    }

    /// The reply of Internet traffic comes back to the NVA that translated the request.
    fn reply_from_translating_nva(
        &self,
        nva: NicIdx,
        reply: Packet,
        forward_nics: &[Endpoint],
    ) -> Result<PathTrace, RouteError> {
        let mut walk = Walk::from_hop(Some(Hop::new(HopKind::Internet, HopResource::Internet, Some(reply.src))));
        let subnet = self.nic_subnet(nva)?;
        let address = self.snap().nics[nva.index()].primary_ip_config().and_then(|c| c.private_ip);
        let mut hop = Hop::new(HopKind::VirtualAppliance, HopResource::Nic(nva), address);
        hop.subnet = Some(subnet);
        hop.notes.push(HopNote::ReplyToTranslatingNva);
        walk.hops.push(hop);
        walk.devices.push(nva);
        self.continue_walk(walk, Start::Resume { nic: nva }, reply, forward_nics)
    }
}

/// The reply of traffic that left Azure directly or reached a service: it comes back the way
/// it went.
fn trivial_reply(forward: &PathTrace, reply: Packet) -> PathTrace {
    let mut hops: Vec<Hop> = forward.hops.iter().rev().cloned().collect();
    for h in &mut hops {
        h.route = None;
        h.nsg.clear();
        h.notes = vec![HopNote::ReplyRetracesRequest];
    }
    if let Some(first) = hops.first_mut() {
        first.address = Some(reply.src);
    }
    PathTrace {
        verdict: Verdict::Delivered,
        hops,
        findings: Vec::new(),
        devices: forward.devices.iter().rev().copied().collect(),
        exit_gateway: None,
        consulted: Vec::new(),
        consulted_vnets: Vec::new(),
        firewalls: forward.firewalls.iter().rev().cloned().collect(),
        egress: None,
    }
}

/// Forced tunnelling (§6.1): a reply to an Internet client routed to an NVA or gateway instead
/// of the Internet breaks inbound connections to public IPs.
fn forced_tunnel_check(trace: &mut PathTrace, client: std::net::IpAddr, subnet: SubnetIdx) {
    let Some(used) = trace.hops.first().and_then(|h| h.route.as_ref()) else { return };
    if matches!(used.route.route().next_hop_type, NextHopType::VirtualAppliance | NextHopType::VirtualNetworkGateway) {
        let route = used.route.clone();
        let resource = super::appliances::user_route_table(&route);
        let forced = ForcedTunnelBreaksInbound::Reply(ForcedReply { client, subnet, route });
        trace.findings.push(Finding::new(forced).resource(resource));
    }
}
