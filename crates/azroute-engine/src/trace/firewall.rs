//! An Azure Firewall as a next hop (§16.4): a user route to its private IP reaches it from its
//! VNet or a directly peered one; it judges the flow by its rules (§16.2), translates it
//! (§16.3) and forwards it by the routes of `AzureFirewallSubnet`. It is stateful (§16.5): the
//! reply of a flow it SNATed comes back to it; the reply of one it did not must be routed through
//! it, which the comparison of the two directions checks.

use std::net::IpAddr;

use azroute_model::*;

use super::walk::{Endpoint, Packet, Start, Step, Walk};
use super::{
    Addressing, FirewallCrossing, Hop, HopKind, HopNote, HopResource, Owner, PathTrace, TraceRequest, Tracer, Verdict,
};
use crate::RouteError;
use crate::finding::*;
use crate::firewall::{
    FirewallAction, FirewallFlow, FirewallPass, IndeterminateReason, RulePlace, Snat, evaluate_firewall,
    inspection_caveat,
};

impl Tracer<'_, '_> {
    /// A VirtualAppliance next hop that is an Azure Firewall's private IP: through the firewall.
    /// `None` when no firewall owns the address (or another owner is the one in reach).
    pub(super) fn to_firewall(
        &self,
        walk: &mut Walk,
        vnet: VnetIdx,
        firewall_ip: IpAddr,
        route: &RouteRef,
        pkt: Packet,
        forward_nics: &[Endpoint],
    ) -> Result<Option<Step>, RouteError> {
        if !self.addressing.owners(firewall_ip).iter().any(|o| matches!(o, Owner::Firewall { .. })) {
            return Ok(None);
        }
        let Some(owner) = self.reachable_owner(walk, vnet, firewall_ip, route) else {
            return Ok(Some(Step::Ended(Verdict::Dropped)));
        };
        let Owner::Firewall { firewall, subnet } = owner else { return Ok(None) };
        let owner_vnet = Addressing::vnet_of(self.snap(), &owner).expect("a reachable owner has a VNet");
        if !self.cross_peering(walk, vnet, owner_vnet, pkt) {
            return Ok(Some(Step::Ended(Verdict::Dropped)));
        }
        let own_ip = self.snap().firewalls[firewall.index()].private_ips().any(|ip| ip == pkt.dst);
        if own_ip && !self.dnat_decides(firewall, pkt) {
            // The packet is for the firewall itself: the route only chose how to reach it.
            let mut hop = Hop::new(HopKind::Destination, HopResource::Firewall(firewall), Some(pkt.dst));
            hop.subnet = subnet;
            walk.hops.push(hop);
            return Ok(Some(Step::Ended(Verdict::Delivered)));
        }
        let mut hop = Hop::new(HopKind::AzureFirewall, HopResource::Firewall(firewall), Some(firewall_ip));
        hop.subnet = subnet;
        walk.hops.push(hop);
        walk.from_gateway = false;
        Ok(Some(self.through_firewall(walk, firewall, subnet, pkt, forward_nics)))
    }

    /// A packet addressed to the private IP of a firewall in `target_vnet` (from its VNet or a
    /// peered one): when a DNAT rule decides the flow (C33: supported by default on Standard and
    /// Premium), through the firewall as from the Internet (§16.8): translated, SNATed and
    /// forwarded by the routes of `AzureFirewallSubnet`. `None`: no firewall owns the address, or
    /// no DNAT rule decides; the packet is for the firewall itself.
    pub(super) fn private_ip_dnat(
        &self,
        walk: &mut Walk,
        vnet: VnetIdx,
        target_vnet: Option<VnetIdx>,
        pkt: Packet,
        forward_nics: &[Endpoint],
    ) -> Option<Step> {
        let snap = self.snap();
        let target_vnet = target_vnet?;
        let (firewall, subnet) = self.addressing.owners(pkt.dst).iter().find_map(|o| match o {
            Owner::Firewall { firewall, subnet } if Addressing::vnet_of(snap, o) == Some(target_vnet) => {
                Some((*firewall, *subnet))
            }
            _ => None,
        })?;
        if !self.dnat_decides(firewall, pkt) {
            return None;
        }
        if !self.cross_peering(walk, vnet, target_vnet, pkt) {
            return Some(Step::Ended(Verdict::Dropped));
        }
        let mut hop = Hop::new(HopKind::AzureFirewall, HopResource::Firewall(firewall), Some(pkt.dst));
        hop.subnet = subnet;
        walk.hops.push(hop);
        walk.from_gateway = false;
        Some(self.through_firewall(walk, firewall, subnet, pkt, forward_nics))
    }

    /// Whether the firewall's DNAT pass decides a packet addressed to its private IP (C33).
    fn dnat_decides(&self, firewall: FirewallIdx, pkt: Packet) -> bool {
        let v = evaluate_firewall(self.snap(), firewall, &self.firewall_flow(pkt), &self.firewall_options, false);
        v.pass == FirewallPass::Dnat
    }

    /// C33 (§16.6), said when the request is addressed to a firewall's private IP: whether DNAT
    /// rules were taken to match it.
    pub(super) fn dnat_private_ip_assumption(&self, request: &TraceRequest) -> Option<bool> {
        let fw = self.snap().firewalls.iter().find(|f| f.private_ips().any(|ip| ip == request.destination))?;
        Some(self.firewall_options.dnat_private_ip_supported(fw))
    }

    /// The firewall whose IP configuration (or secured-hub address list) holds this public IP.
    pub(super) fn firewall_with_public_ip(&self, ip: IpAddr) -> Option<FirewallIdx> {
        let snap = self.snap();
        snap.firewalls.iter().position(|f| firewall_public_ips(snap, f).any(|p| p == ip)).map(|i| FirewallIdx(i as u32))
    }

    /// From the Internet to a firewall's public IP (§16.3, §16.4): only a DNAT rule lets the flow
    /// in (every other pass ends in the default deny for it); the firewall translates the
    /// destination, SNATs to an address of `AzureFirewallSubnet` (its frontend stands for the
    /// instance, O2) and forwards by the routes of that subnet. The reply comes back to the SNAT
    /// address by ordinary routing and leaves by the route of `AzureFirewallSubnet` to the client.
    pub(super) fn enter_firewall_from_internet(
        &self,
        mut walk: Walk,
        firewall: FirewallIdx,
        pkt: Packet,
    ) -> Result<PathTrace, RouteError> {
        let fw = &self.snap().firewalls[firewall.index()];
        let subnet = fw.subnet();
        let mut hop = Hop::new(HopKind::AzureFirewall, HopResource::Firewall(firewall), fw.private_ips().next());
        hop.subnet = subnet;
        walk.hops.push(hop);
        let none: [Endpoint; 0] = [];
        match self.through_firewall(&mut walk, firewall, subnet, pkt, &none) {
            // Allowed by a network or application rule, not translated: the packet is for the
            // firewall itself, which serves nothing on its public IP (§16.4: only DNAT gives such
            // a flow somewhere to go), so its default deny applies.
            Step::Forwarded { pkt: forwarded, .. } if forwarded.dst == pkt.dst => {
                let rule = RulePlace {
                    policy: None,
                    group: None,
                    group_priority: None,
                    collection: String::new(),
                    collection_priority: None,
                    action: FwAction::Deny,
                    pass: FirewallPass::Default,
                    rule: None,
                };
                let flow = self.firewall_flow(pkt);
                walk.findings.push(
                    Finding::new(FirewallDeniesFlow { firewall, flow, rule }).resource(ResourceRef::Firewall(firewall)),
                );
                Ok(walk.finish(Verdict::Dropped))
            }
            Step::Forwarded { subnet, pkt } => self.continue_walk(walk, Start::AtSubnet { subnet }, pkt, &none),
            Step::Ended(verdict) => Ok(walk.finish(verdict)),
            Step::At { .. } | Step::Restart(_) => unreachable!("a firewall forwards or ends the walk"),
        }
    }

    /// The firewall's decision, and the packet it forwards from `AzureFirewallSubnet`; a
    /// secured hub's firewall forwards by its hub's routing instead (§20.3 RI-12).
    fn through_firewall(
        &self,
        walk: &mut Walk,
        firewall: FirewallIdx,
        subnet: Option<SubnetIdx>,
        pkt: Packet,
        forward_nics: &[Endpoint],
    ) -> Step {
        let Some(subnet) = subnet else {
            // A secured-hub firewall reached other than through its hub's routes.
            let flow = self.firewall_flow(pkt);
            let reasons = vec![IndeterminateReason::HubFirewall];
            walk.findings.push(
                Finding::new(FirewallVerdictIndeterminate { firewall, flow, reasons })
                    .resource(ResourceRef::Firewall(firewall)),
            );
            return Step::Ended(Verdict::Indeterminate);
        };
        match self.firewall_pass(walk, firewall, pkt, forward_nics) {
            Ok(pkt) => Step::Forwarded { subnet, pkt },
            Err(verdict) => Step::Ended(verdict),
        }
    }

    /// The flow a firewall judges: the packet's five-tuple with the host name given by `--fqdn`.
    fn firewall_flow(&self, pkt: Packet) -> FirewallFlow {
        FirewallFlow { fqdn: self.fqdn.clone(), ..FirewallFlow::of_packet(pkt) }
    }

    /// What the firewall does with the packet: the packet it sends on (translated), or how the
    /// path ends (§16.4).
    pub(super) fn firewall_pass(
        &self,
        walk: &mut Walk,
        firewall: FirewallIdx,
        pkt: Packet,
        forward_nics: &[Endpoint],
    ) -> Result<Packet, Verdict> {
        let crossing = |snat_source| FirewallCrossing { firewall, snat_source, source: pkt.src, destination: pkt.dst };
        let flow = self.firewall_flow(pkt);
        // A reply: it passes by flow state where the request passed; a firewall the request did
        // not pass is reported by the comparison of the two directions (§16.5).
        if !forward_nics.is_empty() {
            if forward_nics.contains(&Endpoint::Firewall(firewall)) {
                walk.note(HopNote::FirewallFlowState);
            }
            walk.firewalls.push(crossing(None));
            return Ok(pkt);
        }
        if !self.evaluate_nsgs {
            walk.note(HopNote::FirewallRulesNotEvaluated);
            walk.firewalls.push(crossing(None));
            return Ok(pkt);
        }
        let verdict = evaluate_firewall(self.snap(), firewall, &flow, &self.firewall_options, false);
        let resource = ResourceRef::Firewall(firewall);
        match verdict.action {
            FirewallAction::Deny => {
                let rule = verdict.decided_by.expect("a deny names its rule or the default deny");
                walk.firewalls.push(crossing(None));
                walk.findings.push(Finding::new(FirewallDeniesFlow { firewall, flow, rule }).resource(resource));
                Err(Verdict::Dropped)
            }
            FirewallAction::Indeterminate => {
                let reasons = verdict.reasons;
                walk.findings
                    .push(Finding::new(FirewallVerdictIndeterminate { firewall, flow, reasons }).resource(resource));
                Err(Verdict::Indeterminate)
            }
            FirewallAction::Allow => {
                if let Some(rule) = verdict.decided_by {
                    walk.note(HopNote::FirewallAllowed { rule: Box::new(rule) });
                }
                let frontend = walk.hops.last().and_then(|h| h.address);
                let source = match verdict.snat {
                    Some(Snat::ToPublicIp { addresses }) => addresses.first().copied().or(frontend),
                    // Any address of AzureFirewallSubnet (an instance); the frontend stands for it (O2).
                    Some(Snat::ToFirewallSubnet { .. }) => frontend,
                    Some(Snat::Unknown) => {
                        walk.note(HopNote::FirewallSnatUnknown);
                        None
                    }
                    Some(Snat::NotTranslated) | None => None,
                };
                let destination = verdict.dnat.map(|d| (d.translated_address, d.translated_port));
                if source.is_some() || destination.is_some() {
                    walk.note(HopNote::FirewallTranslated { source, destination });
                }
                walk.firewalls.push(crossing(source));
                Ok(Packet {
                    src: source.unwrap_or(pkt.src),
                    dst: destination.map_or(pkt.dst, |d| d.0),
                    dport: destination.and_then(|d| d.1).unwrap_or(pkt.dport),
                    ..pkt
                })
            }
        }
    }

    /// The reply of a flow a firewall SNATed (and no NVA after it): back to the firewall's SNAT
    /// address by ordinary routing, then from `AzureFirewallSubnet` to the original source
    /// (§16.5). `None` when no firewall translated the request's source.
    pub(super) fn reply_through_translating_firewall(
        &self,
        forward: &PathTrace,
        pkt: Packet,
        forward_nics: &[Endpoint],
        from_destination: impl FnOnce(Packet) -> Result<PathTrace, RouteError>,
    ) -> Result<Option<PathTrace>, RouteError> {
        let Some(crossing) = forward.firewalls.iter().rev().find(|c| c.snat_source.is_some()) else { return Ok(None) };
        let at_firewall = |h: &Hop| h.resource == HopResource::Firewall(crossing.firewall);
        let firewall_hop = forward.hops.iter().rposition(at_firewall);
        let nva_hop = forward.hops.iter().rposition(|h| h.kind == HopKind::VirtualAppliance);
        let Some(subnet) = self.snap().firewalls[crossing.firewall.index()].subnet() else { return Ok(None) };
        if nva_hop > firewall_hop {
            return Ok(None);
        }
        let snat = crossing.snat_source.expect("found by its SNAT source");
        let back =
            Packet { src: crossing.destination, dst: crossing.source, sport: pkt.dport, dport: pkt.sport, ..pkt };
        let mut walk = match forward.verdict {
            Verdict::Delivered => {
                let to_firewall = from_destination(Packet { dst: snat, ..pkt.reply() })?;
                if to_firewall.verdict != Verdict::Delivered || !to_firewall.hops.last().is_some_and(at_firewall) {
                    return Ok(Some(to_firewall));
                }
                let mut walk = walk_of(to_firewall);
                if let Some(hop) = walk.hops.last_mut() {
                    hop.kind = HopKind::AzureFirewall;
                    hop.notes.push(HopNote::ReplyToTranslatingFirewall);
                }
                walk
            }
            Verdict::ExitedToInternet => {
                let mut walk = Walk::from_hop(Some(Hop::new(HopKind::Internet, HopResource::Internet, Some(pkt.dst))));
                let mut hop = Hop::new(HopKind::AzureFirewall, HopResource::Firewall(crossing.firewall), Some(snat));
                hop.subnet = Some(subnet);
                hop.notes.push(HopNote::ReplyToTranslatingFirewall);
                walk.hops.push(hop);
                walk
            }
            _ => return Ok(None),
        };
        walk.firewalls.push(FirewallCrossing {
            firewall: crossing.firewall,
            snat_source: None,
            source: back.src,
            destination: back.dst,
        });
        self.continue_walk(walk, Start::AtSubnet { subnet }, back, forward_nics).map(Some)
    }

    /// `DnatWithForcedTunnel` (§16.7) seen in a trace: the request came from the Internet through
    /// a firewall's DNAT rule, and the reply leaves `AzureFirewallSubnet` by a route that does not
    /// go to the Internet, so the client never sees it ("DNAT isn't supported with forced
    /// tunneling enabled … because of asymmetric routing").
    pub(super) fn dnat_reply_not_to_internet(&self, forward: &PathTrace, reverse: &PathTrace) -> Option<Finding> {
        if forward.hops.first().is_none_or(|h| h.kind != HopKind::Internet)
            || matches!(reverse.verdict, Verdict::ExitedToInternet)
        {
            return None;
        }
        let (firewall, dnat_rule) = forward.hops.iter().find_map(|h| match h.resource {
            HopResource::Firewall(f) if h.kind == HopKind::AzureFirewall => h.notes.iter().find_map(|n| match n {
                HopNote::FirewallAllowed { rule } if rule.pass == FirewallPass::Dnat => Some((f, (**rule).clone())),
                _ => None,
            }),
            _ => None,
        })?;
        let at_firewall = reverse.hops.iter().find(|h| h.resource == HopResource::Firewall(firewall))?;
        let subnet = at_firewall.subnet?;
        let routes = at_firewall.route.iter().map(|used| used.route.clone()).collect();
        let evidence = DnatWithForcedTunnel { firewall, subnet, routes, nat_collections: vec![dnat_rule] };
        Some(Finding::new(evidence).resource(ResourceRef::Firewall(firewall)))
    }

    /// `AsymmetricThroughFirewall` (§16.5): a firewall the request crossed without SNAT that the
    /// reply skips, or one the reply crosses that the request did not. The first firewall the
    /// reply reaches without a session drops it there, so the reply is cut at that hop and
    /// `Dropped`: printing it `Delivered` beside the finding would contradict it.
    pub(super) fn compare_firewalls(
        &self,
        request: &TraceRequest,
        forward: &PathTrace,
        reverse: &mut PathTrace,
    ) -> Vec<Finding> {
        let findings = self.asymmetric_firewalls(request, forward, reverse);
        // The reply's firewalls are found in its order, so the first is where it stops.
        let sessionless = findings.iter().find_map(|f| match &f.evidence {
            Evidence::AsymmetricThroughFirewall(e) if e.crossed_by == CrossedBy::Reply => Some(e.firewall),
            _ => None,
        });
        if let Some(firewall) = sessionless {
            drop_reply_at(reverse, firewall);
        }
        findings
    }

    fn asymmetric_firewalls(&self, request: &TraceRequest, forward: &PathTrace, reverse: &PathTrace) -> Vec<Finding> {
        if !reverse.verdict.reached() {
            return Vec::new();
        }
        let reply_subnet = reverse.hops.first().and_then(|h| h.subnet);
        let source_prefix = prefix_of_ip(request.source.ip());
        let crossed = |p: &PathTrace, f: FirewallIdx| p.firewalls.iter().any(|c| c.firewall == f);
        let mut out = Vec::new();
        let mut seen = Vec::new();
        // A firewall's own instances (its subnet) are endpoints, not transit: a flow they start
        // or end is one the firewall holds both sides of.
        let own = |f: FirewallIdx| {
            self.in_firewall_subnet(f, request.source.ip()) || self.in_firewall_subnet(f, request.destination)
        };
        for c in forward.firewalls.iter().filter(|c| c.snat_source.is_none()) {
            if !crossed(reverse, c.firewall) && !seen.contains(&c.firewall) && !own(c.firewall) {
                seen.push(c.firewall);
                let e = AsymmetricThroughFirewall {
                    firewall: c.firewall,
                    crossed_by: CrossedBy::Request,
                    source_prefix,
                    reply_subnet,
                };
                out.push(Finding::new(e).resource(ResourceRef::Firewall(c.firewall)));
            }
        }
        for c in &reverse.firewalls {
            if !crossed(forward, c.firewall) && !seen.contains(&c.firewall) && !own(c.firewall) {
                seen.push(c.firewall);
                let e = AsymmetricThroughFirewall {
                    firewall: c.firewall,
                    crossed_by: CrossedBy::Reply,
                    source_prefix,
                    reply_subnet,
                };
                out.push(Finding::new(e).resource(ResourceRef::Firewall(c.firewall)));
            }
        }
        out
    }

    /// Whether an address lies in the firewall's `AzureFirewallSubnet`, where only its own
    /// instances live.
    fn in_firewall_subnet(&self, firewall: FirewallIdx, ip: IpAddr) -> bool {
        let snap = self.snap();
        snap.firewalls[firewall.index()]
            .subnet()
            .is_some_and(|s| snap.subnets[s.index()].prefixes.iter().any(|p| p.contains(&ip)))
    }

    /// C21 (§16.6), said when a firewall let the request in by a DNAT rule: whether explicit
    /// network denies were consulted after it.
    pub(super) fn dnat_assumption(&self, forward: &PathTrace) -> Option<bool> {
        let by_dnat = |n: &HopNote| matches!(n, HopNote::FirewallAllowed { rule } if rule.pass == FirewallPass::Dnat);
        forward
            .hops
            .iter()
            .any(|h| h.notes.iter().any(by_dnat))
            .then_some(self.firewall_options.dnat_respects_network_deny)
    }

    /// Threat intelligence, IDPS and TLS inspection are not evaluated wherever a firewall was
    /// crossed: `Some(whether threat intelligence in Deny mode meets a public end)`.
    pub(super) fn firewall_inspection(&self, request: &TraceRequest, forward: &PathTrace) -> Option<bool> {
        if forward.firewalls.is_empty() {
            return None;
        }
        let snap = self.snap();
        Some(
            forward
                .firewalls
                .iter()
                .any(|c| inspection_caveat(snap, c.firewall, request.source.ip(), request.destination)),
        )
    }
}

impl FirewallFlow {
    /// The flow of a packet, without a host name.
    fn of_packet(pkt: Packet) -> FirewallFlow {
        FirewallFlow {
            source: pkt.src,
            source_port: Some(pkt.sport),
            destination: pkt.dst,
            destination_port: Some(pkt.dport),
            protocol: Some(pkt.protocol),
            fqdn: None,
        }
    }
}

/// A firewall's public IPs: those of its IP configurations, and a secured-hub firewall's.
fn firewall_public_ips<'s>(snap: &'s Snapshot, f: &'s Firewall) -> impl Iterator<Item = IpAddr> + 's {
    let configs = f.ip_configs.iter().filter_map(|c| c.public_ip.as_ref()?.resolved());
    configs.filter_map(|p| snap.public_ips[p.index()].ip).chain(f.hub_public_ips.iter().copied())
}

/// A walk that goes on from where a finished path ended.
fn walk_of(path: PathTrace) -> Walk {
    let mut walk = Walk::new();
    walk.hops = path.hops;
    walk.findings = path.findings;
    walk.devices = path.devices;
    walk.consulted = path.consulted;
    walk.consulted_vnets = path.consulted_vnets;
    walk.firewalls = path.firewalls;
    walk
}

/// Cuts a reply at the hop of the firewall that drops it: the hops after it are not reached.
fn drop_reply_at(reverse: &mut PathTrace, firewall: FirewallIdx) {
    if let Some(at) = reverse.hops.iter().position(|h| h.resource == HopResource::Firewall(firewall)) {
        reverse.hops.truncate(at + 1);
        // The firewall forwards nothing: the route it would have used is not shown as used.
        let hop = &mut reverse.hops[at];
        hop.route = None;
        hop.notes.retain(|n| !matches!(n, HopNote::CrossesPeering { .. }));
        hop.notes.push(HopNote::FirewallNoSession);
        reverse.verdict = Verdict::Dropped;
        reverse.egress = None;
        reverse.exit_gateway = None;
    }
}
