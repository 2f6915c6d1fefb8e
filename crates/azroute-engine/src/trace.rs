//! Packet traces (§11): a packet followed hop by hop from its source, through NVAs, peerings
//! and gateways, to where it is delivered, leaves Azure or is dropped; then the reply followed
//! back, and the two compared for stateful devices crossed in one direction only (§6.4).
//!
//! What the snapshot cannot say is an explicit assumption of every trace: an NVA's guest OS
//! forwards what Azure delivers to it, without SNAT; a load balancer in front of NVAs picks its
//! first backend; a multi-NIC VM sends from the NIC the trace starts at.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

use azroute_model::*;
use ipnet::IpNet;

use crate::finding::{Finding, Severity};
use crate::nsg::{AppliedTo, Flow, NsgEvaluation, SecurityEngine};
use crate::route::*;
use crate::{RouteEngine, RouteError};

/// The most hops a trace follows before calling it a loop.
pub const HOP_LIMIT: usize = 16;

/// Who owns an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    /// A private IP of a NIC's IP configuration.
    Nic { nic: NicIdx, subnet: Option<SubnetIdx> },
    /// The private frontend IP of a load balancer.
    LoadBalancer { lb: LoadBalancerIdx, subnet: Option<SubnetIdx> },
    /// A private endpoint's IP.
    PrivateEndpoint { endpoint: PrivateEndpointIdx, subnet: Option<SubnetIdx> },
    /// A public IP attached to a NIC.
    PublicIp { nic: NicIdx },
    /// A gateway instance's private IP.
    Gateway { gateway: GatewayIdx },
}

/// Every address of the snapshot and its owners (several where VNets overlap).
#[derive(Clone, Debug, Default)]
pub struct Addressing {
    by_ip: HashMap<IpAddr, Vec<Owner>>,
}

impl Addressing {
    pub fn build(snap: &Snapshot) -> Addressing {
        let mut by_ip: HashMap<IpAddr, Vec<Owner>> = HashMap::new();
        for (i, nic) in snap.nics.iter().enumerate() {
            let nic_idx = NicIdx(i as u32);
            for cfg in &nic.ip_configs {
                if let Some(ip) = cfg.private_ip {
                    let owner = if nic.private_endpoint.is_some() {
                        None
                    } else {
                        Some(Owner::Nic { nic: nic_idx, subnet: cfg.subnet.as_ref().and_then(|l| l.resolved()) })
                    };
                    by_ip.entry(ip).or_default().extend(owner);
                }
                if let Some(pip) = cfg.public_ip.as_ref().and_then(|l| l.resolved())
                    && let Some(ip) = snap.public_ips[pip.index()].ip
                {
                    by_ip.entry(ip).or_default().push(Owner::PublicIp { nic: nic_idx });
                }
            }
        }
        for (i, lb) in snap.load_balancers.iter().enumerate() {
            for f in &lb.frontends {
                if let Some(ip) = f.private_ip {
                    by_ip.entry(ip).or_default().push(Owner::LoadBalancer {
                        lb: LoadBalancerIdx(i as u32),
                        subnet: f.subnet.as_ref().and_then(|l| l.resolved()),
                    });
                }
            }
        }
        for (i, pe) in snap.private_endpoints.iter().enumerate() {
            for ip in &pe.ips {
                by_ip.entry(*ip).or_default().push(Owner::PrivateEndpoint {
                    endpoint: PrivateEndpointIdx(i as u32),
                    subnet: pe.subnet.as_ref().and_then(|l| l.resolved()),
                });
            }
        }
        for (i, gw) in snap.gateways.iter().enumerate() {
            for ip in &gw.instance_ips {
                by_ip.entry(*ip).or_default().push(Owner::Gateway { gateway: GatewayIdx(i as u32) });
            }
        }
        Addressing { by_ip }
    }

    pub fn owners(&self, ip: IpAddr) -> &[Owner] {
        self.by_ip.get(&ip).map(|v| v.as_slice()).unwrap_or(&[])
    }

    /// The VNet an owner sits in.
    pub fn vnet_of(snap: &Snapshot, owner: &Owner) -> Option<VnetIdx> {
        let subnet = match owner {
            Owner::Nic { subnet, .. } | Owner::LoadBalancer { subnet, .. } | Owner::PrivateEndpoint { subnet, .. } => {
                *subnet
            }
            Owner::PublicIp { .. } => None,
            Owner::Gateway { gateway } => {
                return snap.gateways[gateway.index()].vnet.as_ref().and_then(|l| l.resolved());
            }
        };
        subnet.map(|s| snap.subnets[s.index()].vnet)
    }
}

/// Where a trace starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceSource {
    /// A NIC sending from one of its addresses.
    Nic { nic: NicIdx, ip: IpAddr },
    /// A host in a subnet that has no NIC in the snapshot (reachability of whole subnets):
    /// only the subnet's NSG applies.
    Host { subnet: SubnetIdx, ip: IpAddr },
    /// An address outside Azure (on-premises or the Internet).
    External(IpAddr),
}

/// What to trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceRequest {
    pub source: TraceSource,
    pub destination: IpAddr,
    pub protocol: Protocol,
    pub source_port: u16,
    pub destination_port: u16,
}

/// How a path ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    Delivered,
    Dropped,
    ExitedToInternet,
    ExitedToOnPremises,
    DeliveredToAzureService,
    Loop,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Delivered => "Delivered",
            Verdict::Dropped => "Dropped",
            Verdict::ExitedToInternet => "ExitedToInternet",
            Verdict::ExitedToOnPremises => "ExitedToOnPremises",
            Verdict::DeliveredToAzureService => "DeliveredToAzureService",
            Verdict::Loop => "Loop",
        }
    }

    /// Whether the packet reached something that answers.
    pub fn reached(self) -> bool {
        !matches!(self, Verdict::Dropped | Verdict::Loop)
    }
}

/// What a hop is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HopKind {
    /// The NIC the packet leaves from.
    Source,
    /// The Internet, as the origin of an inbound connection or the place a packet leaves to.
    Internet,
    /// An on-premises network behind a gateway.
    OnPremises,
    VirtualNetworkGateway,
    LoadBalancer,
    /// A NIC that forwards packets not addressed to it (an NVA).
    VirtualAppliance,
    /// The NIC that owns the destination address.
    Destination,
    PrivateEndpoint,
    ServiceEndpoint,
}

impl HopKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HopKind::Source => "Source",
            HopKind::Internet => "Internet",
            HopKind::OnPremises => "OnPremises",
            HopKind::VirtualNetworkGateway => "VirtualNetworkGateway",
            HopKind::LoadBalancer => "LoadBalancer",
            HopKind::VirtualAppliance => "VirtualAppliance",
            HopKind::Destination => "Destination",
            HopKind::PrivateEndpoint => "PrivateEndpoint",
            HopKind::ServiceEndpoint => "ServiceEndpoint",
        }
    }
}

/// The route a hop used to choose the next one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteUsed {
    pub subnet: SubnetIdx,
    pub route: EffectiveRoute,
    pub prefix: IpNet,
}

/// One NSG check at a hop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NsgCheck {
    pub direction: Direction,
    pub evaluation: NsgEvaluation,
    /// Allowed because the NSG saw the request of this reply (NSGs are stateful).
    pub by_flow_state: bool,
}

/// One hop of a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    pub kind: HopKind,
    pub name: String,
    pub id: String,
    /// The NIC this hop is, for NIC hops.
    pub nic: Option<NicIdx>,
    pub address: Option<IpAddr>,
    pub subnet: Option<SubnetIdx>,
    pub route: Option<Box<RouteUsed>>,
    pub nsg: Vec<NsgCheck>,
    pub notes: Vec<String>,
}

impl Hop {
    fn new(kind: HopKind, name: impl Into<String>, id: impl Into<String>, address: Option<IpAddr>) -> Hop {
        Hop {
            kind,
            name: name.into(),
            id: id.into(),
            nic: None,
            address,
            subnet: None,
            route: None,
            nsg: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn at_nic(kind: HopKind, snap: &Snapshot, nic: NicIdx, address: Option<IpAddr>, detail: bool) -> Hop {
        let n = &snap.nics[nic.index()];
        let mut hop = if detail {
            Hop::new(kind, n.name.clone(), n.id.to_string(), address)
        } else {
            Hop::new(kind, String::new(), String::new(), address)
        };
        hop.nic = Some(nic);
        hop
    }
}

/// One direction of a trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathTrace {
    pub verdict: Verdict,
    pub hops: Vec<Hop>,
    pub findings: Vec<Finding>,
    /// NICs of stateful devices (NVAs) crossed, in order.
    pub devices: Vec<NicIdx>,
    /// The gateway the packet left by, for the reply to come back through.
    pub exit_gateway: Option<GatewayIdx>,
    /// Subnets whose routes or NSGs the walk consulted.
    pub consulted: Vec<SubnetIdx>,
    /// VNets whose peerings or gateways the walk consulted (beyond those of the subnets).
    pub consulted_vnets: Vec<VnetIdx>,
}

/// A full trace: the request, the forward path and the reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    pub request: TraceRequest,
    pub forward: PathTrace,
    pub reverse: Option<PathTrace>,
    /// Every finding of both directions and their comparison, without duplicates.
    pub findings: Vec<Finding>,
    /// What azroute assumed because the snapshot cannot say.
    pub assumptions: Vec<String>,
}

/// Something whose NSGs keep flow state: a NIC, or a NIC-less host in a subnet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Endpoint {
    Nic(NicIdx),
    Host(SubnetIdx),
}

/// Where a walk starts.
#[derive(Clone, Copy, Debug)]
enum Start {
    Nic {
        nic: NicIdx,
    },
    /// A host in a subnet without a NIC in the snapshot.
    Host {
        subnet: SubnetIdx,
    },
    /// Arriving from on-premises through a gateway.
    Gateway {
        gateway: GatewayIdx,
    },
    /// Continuing from a NIC whose hop the walk already holds.
    Resume {
        nic: NicIdx,
    },
}

#[derive(Clone, Copy, Debug)]
struct Packet {
    src: IpAddr,
    dst: IpAddr,
    protocol: Protocol,
    sport: u16,
    dport: u16,
}

/// The walker's state between hops.
struct Walk {
    hops: Vec<Hop>,
    findings: Vec<Finding>,
    devices: Vec<NicIdx>,
    exit_gateway: Option<GatewayIdx>,
    /// The packet came in through a gateway and no NVA has forwarded it since: peerings accept
    /// it without `allowForwardedTraffic` (§5.2, not needed for Azure VPN gateway forwarding).
    from_gateway: bool,
    /// Subnets whose routes or NSGs decided something, and VNets whose peerings or gateways
    /// did: what a change must touch to change this path (incremental recomputation).
    consulted: Vec<SubnetIdx>,
    consulted_vnets: Vec<VnetIdx>,
}

impl Walk {
    fn new() -> Walk {
        Walk {
            hops: Vec::new(),
            findings: Vec::new(),
            devices: Vec::new(),
            exit_gateway: None,
            from_gateway: false,
            consulted: Vec::new(),
            consulted_vnets: Vec::new(),
        }
    }

    fn finish(self, verdict: Verdict) -> PathTrace {
        PathTrace {
            verdict,
            hops: self.hops,
            findings: self.findings,
            devices: self.devices,
            exit_gateway: self.exit_gateway,
            consulted: self.consulted,
            consulted_vnets: self.consulted_vnets,
        }
    }
}

/// Traces packets through one snapshot.
pub struct Tracer<'e, 's> {
    pub routes: &'e RouteEngine<'s>,
    pub security: SecurityEngine<'e, 's>,
    pub addressing: Addressing,
    /// Evaluate NSGs at each NIC (off for routing-only analysis such as the doctor's).
    pub evaluate_nsgs: bool,
    /// Deliver to any address of a subnet even where no NIC owns it (whole-subnet
    /// reachability); off for `azroute trace`, where a missing host is a finding.
    pub virtual_hosts: bool,
    /// Build names, notes and finding texts (off for the reachability matrix, which keeps
    /// only verdicts, codes and devices, and traces a sample pair again to explain a cell).
    pub detail: bool,
}

fn nic_label(snap: &Snapshot, nic: NicIdx) -> (String, String) {
    let n = &snap.nics[nic.index()];
    (n.name.clone(), n.id.to_string())
}

impl<'e, 's> Tracer<'e, 's> {
    pub fn new(routes: &'e RouteEngine<'s>) -> Tracer<'e, 's> {
        Tracer {
            security: SecurityEngine::new(routes),
            addressing: Addressing::build(routes.snap()),
            routes,
            evaluate_nsgs: true,
            virtual_hosts: false,
            detail: true,
        }
    }

    fn snap(&self) -> &'s Snapshot {
        self.routes.snap()
    }

    /// Adds a note to a hop, building its text only when details are wanted.
    fn note(&self, notes: &mut Vec<String>, text: impl FnOnce() -> String) {
        if self.detail {
            notes.push(text());
        }
    }

    fn nic_hop(&self, kind: HopKind, nic: NicIdx, address: Option<IpAddr>) -> Hop {
        Hop::at_nic(kind, self.snap(), nic, address, self.detail)
    }

    fn options(&self) -> &ModelOptions {
        self.routes.options()
    }

    /// The NIC that owns an address, if exactly one does.
    pub fn nic_owning(&self, ip: IpAddr) -> Option<NicIdx> {
        let nics: Vec<NicIdx> = self
            .addressing
            .owners(ip)
            .iter()
            .filter_map(|o| match o {
                Owner::Nic { nic, .. } => Some(*nic),
                _ => None,
            })
            .collect();
        (nics.len() == 1).then(|| nics[0])
    }

    /// On-premises prefixes (gateway prefixes) containing an address, with their gateway.
    fn on_premises_gateway(&self, ip: IpAddr) -> Option<GatewayIdx> {
        let mut best: Option<(u8, GatewayIdx)> = None;
        for (g, prefixes) in self.routes.topology().gateway_prefixes.iter().enumerate() {
            for gp in prefixes {
                if gp.prefix.contains(&ip) && best.is_none_or(|(len, _)| gp.prefix.prefix_len() > len) {
                    best = Some((gp.prefix.prefix_len(), GatewayIdx(g as u32)));
                }
            }
        }
        best.map(|(_, g)| g)
    }

    /// Whether an address lies in any VNet of the snapshot.
    fn in_some_vnet(&self, ip: IpAddr) -> Option<VnetIdx> {
        self.snap()
            .vnets
            .iter()
            .position(|v| v.address_space.iter().any(|p| p.contains(&ip)))
            .map(|i| VnetIdx(i as u32))
    }

    /// Traces a request and its reply.
    pub fn trace(&self, request: TraceRequest) -> Result<Trace, RouteError> {
        let snap = self.snap();
        let pkt = Packet {
            src: match request.source {
                TraceSource::Nic { ip, .. } | TraceSource::Host { ip, .. } | TraceSource::External(ip) => ip,
            },
            dst: request.destination,
            protocol: request.protocol,
            sport: request.source_port,
            dport: request.destination_port,
        };
        let mut assumptions = Vec::new();
        if self.detail {
            assumptions.push("the guest OS of every NVA forwards what Azure delivers to it, without SNAT (the snapshot holds no guest configuration)".to_string());
        }
        let forward = match request.source {
            TraceSource::Nic { nic, .. } => {
                let vm = snap.nics[nic.index()].vm.as_ref().and_then(|l| l.resolved());
                if let Some(vm) = vm
                    && snap.vms[vm.index()].nics.len() > 1
                {
                    assumptions.push(format!(
                            "`{}` has several NICs; only the primary NIC gets a default route in the guest OS, so traffic leaves by the NIC traced here only if the guest's routes send it there",
                            snap.vms[vm.index()].name
                        ));
                }
                self.walk(Start::Nic { nic }, pkt, &HashSet::new())?
            }
            TraceSource::Host { subnet, .. } => self.walk(Start::Host { subnet }, pkt, &HashSet::new())?,
            TraceSource::External(ip) => self.arriving_from_outside(ip, pkt)?,
        };
        let reverse = if forward.verdict.reached() { Some(self.reply(&request, &forward, pkt)?) } else { None };
        let mut findings = forward.findings.clone();
        if let Some(rev) = &reverse {
            for f in &rev.findings {
                findings.push(f.clone());
            }
            findings.extend(self.compare(&request, &forward, rev));
        }
        if !self.detail {
            return Ok(Trace { request, forward, reverse, findings, assumptions });
        }
        let mut seen = HashSet::new();
        findings.retain(|f| seen.insert((f.code, f.resources.clone(), f.message.clone())));
        if forward.verdict == Verdict::DeliveredToAzureService {
            assumptions.push("replies from an Azure service or private endpoint are assumed to retrace the request; behind a firewall, Azure recommends SNAT there to keep them symmetric".to_string());
        }
        let through_lb = |p: &PathTrace| p.hops.iter().any(|h| h.kind == HopKind::LoadBalancer);
        if through_lb(&forward) || reverse.as_ref().is_some_and(through_lb) {
            assumptions.push("a load balancer in front of NVAs is traced to its first backend; Azure hashes each flow to one healthy backend".to_string());
        }
        Ok(Trace { request, forward, reverse, findings, assumptions })
    }

    /// A packet arriving from outside Azure: from the Internet to a public IP, or from
    /// on-premises through a gateway.
    fn arriving_from_outside(&self, src: IpAddr, pkt: Packet) -> Result<PathTrace, RouteError> {
        let snap = self.snap();
        if let Some(g) = self.on_premises_gateway(src) {
            let mut walk = Walk::new();
            walk.hops.push(Hop::new(HopKind::OnPremises, "on-premises", "", Some(src)));
            return self.continue_walk(walk, Start::Gateway { gateway: g }, pkt, &HashSet::new());
        }
        // From the Internet: only a public IP can be reached.
        let mut walk = Walk::new();
        walk.hops.push(Hop::new(HopKind::Internet, "Internet", "", Some(src)));
        let public_owner = self.addressing.owners(pkt.dst).iter().find_map(|o| match o {
            Owner::PublicIp { nic } => Some(*nic),
            _ => None,
        });
        match public_owner {
            Some(nic) => {
                // Azure translates the public IP to the NIC's private IP; inbound NSGs see the
                // private destination (§9.1).
                let private = snap.nics[nic.index()].primary_ip_config().and_then(|c| c.private_ip).unwrap_or(pkt.dst);
                let inner = Packet { dst: private, ..pkt };
                let mut hop = self.nic_hop(HopKind::Destination, nic, Some(private));
                hop.subnet = self.routes.nic_subnet(nic).ok();
                self.note(&mut hop.notes, || format!("public IP {} is translated to {private}", pkt.dst));
                walk.hops.push(hop);
                if !self.nsg_at(&mut walk, nic, Direction::Inbound, inner, &HashSet::new()) {
                    return Ok(walk.finish(Verdict::Dropped));
                }
                Ok(walk.finish(Verdict::Delivered))
            }
            None => {
                let msg = if is_private_or_reserved(pkt.dst) || self.in_some_vnet(pkt.dst).is_some() {
                    format!("{} is a private address; it cannot be reached from the Internet", pkt.dst)
                } else {
                    format!("{} is not a public IP of any NIC in the snapshot", pkt.dst)
                };
                walk.findings.push(
                    Finding::new(
                        "NoHostAtDestination",
                        Severity::Error,
                        msg,
                        "trace to a public IP attached to a NIC, or from a source inside Azure or on-premises",
                    )
                    .evidence(format!(
                        "source {src} is neither in a VNet nor behind a gateway, so it is treated as the Internet"
                    )),
                );
                Ok(walk.finish(Verdict::Dropped))
            }
        }
    }

    fn walk(&self, start: Start, pkt: Packet, forward_nics: &HashSet<Endpoint>) -> Result<PathTrace, RouteError> {
        let walk = Walk::new();
        self.continue_walk(walk, start, pkt, forward_nics)
    }

    /// Evaluates the NSGs of a NIC for a packet; records the checks on the last hop. Returns
    /// false (and a finding) when they deny. `forward_nics` are NICs whose flow state allows a
    /// reply without evaluation.
    fn nsg_at(
        &self,
        walk: &mut Walk,
        nic: NicIdx,
        direction: Direction,
        pkt: Packet,
        forward_nics: &HashSet<Endpoint>,
    ) -> bool {
        let Ok(subnet) = self.routes.nic_subnet(nic) else { return true };
        self.nsg_at_endpoint(walk, subnet, Some(nic), direction, pkt, forward_nics)
    }

    /// NSGs at a subnet and, where there is one, a NIC in it.
    fn nsg_at_endpoint(
        &self,
        walk: &mut Walk,
        subnet: SubnetIdx,
        nic: Option<NicIdx>,
        direction: Direction,
        pkt: Packet,
        forward_nics: &HashSet<Endpoint>,
    ) -> bool {
        let snap = self.snap();
        let flow = Flow {
            direction,
            protocol: pkt.protocol,
            source: pkt.src,
            source_port: Some(pkt.sport),
            destination: pkt.dst,
            destination_port: Some(pkt.dport),
        };
        if !self.evaluate_nsgs {
            return true;
        }
        let endpoint = match nic {
            Some(n) => Endpoint::Nic(n),
            None => Endpoint::Host(subnet),
        };
        let stateful = forward_nics.contains(&endpoint);
        walk.consulted.push(subnet);
        let levels = self.security.levels_at(subnet, nic, direction);
        for level in &levels {
            let mut unknown = Vec::new();
            let evaluation = if stateful {
                NsgEvaluation {
                    nsg: level.nsg,
                    applied_to: level.applied_to,
                    access: Access::Allow,
                    rule_name: "".into(),
                }
            } else {
                self.security.evaluate_level(level, &flow, subnet, &mut unknown)
            };
            let denied = evaluation.access == Access::Deny;
            let hop = walk.hops.last_mut().expect("a hop to record NSG checks on");
            hop.nsg.push(NsgCheck { direction, evaluation: evaluation.clone(), by_flow_state: stateful });
            for tag in unknown {
                self.note(&mut hop.notes, || format!(
                    "service tag `{tag}` is not known (no Service Tags file or not in it); rules using it never match"
                ));
            }
            if denied && !self.detail {
                walk.findings.push(Finding::new("NsgDenied", Severity::Error, String::new(), String::new()));
                return false;
            }
            if denied {
                let nsg = &snap.nsgs[level.nsg.index()];
                let at = match level.applied_to {
                    AppliedTo::Subnet(s) => format!("subnet `{}`", snap.subnet_label(s)),
                    AppliedTo::NetworkInterface(n) => format!("network interface `{}`", snap.nics[n.index()].name),
                };
                let rule = evaluation.rule_name.clone();
                let fix = if rule.starts_with("defaultSecurityRules/") {
                    format!(
                        "add a rule to NSG `{}` allowing {} {} from {} to {} port {} with a priority below 65000",
                        nsg.name,
                        direction.as_str().to_ascii_lowercase(),
                        pkt.protocol.as_str(),
                        pkt.src,
                        pkt.dst,
                        pkt.dport
                    )
                } else {
                    format!(
                        "change or remove rule `{}` of NSG `{}`, or add an Allow rule with a lower priority number for {} {} to {} port {}",
                        rule.trim_start_matches("securityRules/"),
                        nsg.name,
                        pkt.protocol.as_str(),
                        pkt.src,
                        pkt.dst,
                        pkt.dport
                    )
                };
                walk.findings.push(
                    Finding::new(
                        "NsgDenied",
                        Severity::Error,
                        format!(
                            "{} traffic {} → {} port {} is denied by `{}` of NSG `{}` on {}",
                            direction.as_str(),
                            pkt.src,
                            pkt.dst,
                            pkt.dport,
                            rule,
                            nsg.name,
                            at
                        ),
                        fix,
                    )
                    .resource(nsg.id.to_string())
                    .resource(match nic {
                        Some(n) => snap.nics[n.index()].id.to_string(),
                        None => snap.subnets[subnet.index()].id.to_string(),
                    })
                    .evidence(format!("{} {} ({})", nsg.name, rule, level.applied_to.as_str())),
                );
                return false;
            }
        }
        true
    }

    /// Records the route a hop used.
    fn record_route(
        &self,
        walk: &mut Walk,
        subnet: SubnetIdx,
        table: &EffectiveRouteTable,
        route: usize,
        prefix: IpNet,
    ) {
        if let Some(hop) = walk.hops.last_mut() {
            hop.subnet = Some(subnet);
            // The route is shown and cited as evidence; without details nothing reads it
            // except the forced-tunnelling check of Internet clients, which keeps details.
            if self.detail {
                hop.route = Some(Box::new(RouteUsed { subnet, route: table.routes[route].clone(), prefix }));
            }
        }
    }

    fn continue_walk(
        &self,
        mut walk: Walk,
        start: Start,
        pkt: Packet,
        forward_nics: &HashSet<Endpoint>,
    ) -> Result<PathTrace, RouteError> {
        let snap = self.snap();
        // Position: the subnet whose routes decide, and the NIC the packet is at.
        let (mut subnet, mut at_nic): (SubnetIdx, Option<NicIdx>) = match start {
            Start::Nic { nic } => {
                let subnet = self.routes.nic_subnet(nic)?;
                let mut hop = self.nic_hop(HopKind::Source, nic, Some(pkt.src));
                hop.subnet = Some(subnet);
                walk.hops.push(hop);
                let n = &snap.nics[nic.index()];
                if !n.owns_ip(pkt.src) && !n.ip_forwarding {
                    walk.findings.push(
                        Finding::new(
                            "IpForwardingDisabled",
                            Severity::Error,
                            format!("`{}` sends from {}, which is not one of its addresses, and IP forwarding is off: Azure drops the packet", n.name, pkt.src),
                            format!("enable IP forwarding on network interface `{}` (enableIPForwarding = true)", n.name),
                        )
                        .resource(n.id.to_string()),
                    );
                    return Ok(walk.finish(Verdict::Dropped));
                }
                if !self.nsg_at(&mut walk, nic, Direction::Outbound, pkt, forward_nics) {
                    if !self.detail {
                        return Ok(walk.finish(Verdict::Dropped));
                    }
                    // Say also what routing would do, so one run shows every problem.
                    let findings = self.route_problems(subnet, pkt.dst)?;
                    walk.findings.extend(findings);
                    return Ok(walk.finish(Verdict::Dropped));
                }
                (subnet, Some(nic))
            }
            Start::Resume { nic } => (self.routes.nic_subnet(nic)?, Some(nic)),
            Start::Host { subnet } => {
                let mut hop =
                    Hop::new(HopKind::Source, format!("host in {}", snap.subnet_label(subnet)), "", Some(pkt.src));
                hop.subnet = Some(subnet);
                walk.hops.push(hop);
                if !self.nsg_at_endpoint(&mut walk, subnet, None, Direction::Outbound, pkt, forward_nics) {
                    return Ok(walk.finish(Verdict::Dropped));
                }
                (subnet, None)
            }
            Start::Gateway { gateway } => {
                walk.from_gateway = true;
                let gw = &snap.gateways[gateway.index()];
                let mut hop = Hop::new(
                    HopKind::VirtualNetworkGateway,
                    gw.name.clone(),
                    gw.id.to_string(),
                    gw.instance_ips.first().copied(),
                );
                self.note(&mut hop.notes, || {
                    "enters Azure through the gateway; the GatewaySubnet's routes decide".to_string()
                });
                let gateway_subnet = gw.vnet.as_ref().and_then(|l| l.resolved()).and_then(|v| {
                    snap.vnets[v.index()].subnets.iter().copied().find(|s| snap.subnets[s.index()].is_gateway_subnet())
                });
                walk.hops.push(hop);
                match gateway_subnet {
                    Some(s) => (s, None),
                    None => {
                        walk.findings.push(Finding::new(
                            "NextHopUnreachable",
                            Severity::Error,
                            format!(
                                "gateway `{}` has no GatewaySubnet in the snapshot, so its routes are unknown",
                                gw.name
                            ),
                            "export the gateway's virtual network with its GatewaySubnet",
                        ));
                        return Ok(walk.finish(Verdict::Dropped));
                    }
                }
            }
        };

        let mut visited: Vec<(SubnetIdx, Option<NicIdx>, usize)> = Vec::new();
        for _ in 0..HOP_LIMIT {
            if let Some(pos) = visited.iter().position(|(s, n, _)| *s == subnet && *n == at_nic) {
                let hop_start = visited[pos].2;
                let loop_routes: Vec<String> = walk.hops[hop_start..]
                    .iter()
                    .filter_map(|h| {
                        h.route
                            .as_ref()
                            .map(|r| format!("{} at `{}`: {}", h.name, snap.subnet_label(r.subnet), r.route.label()))
                    })
                    .collect();
                let mut f = Finding::new(
                    "RoutingLoop",
                    Severity::Error,
                    format!(
                        "the packet to {} returns to `{}`: the routes below send it round in a loop until its TTL runs out",
                        pkt.dst, walk.hops[hop_start].name
                    ),
                    "change one of these routes so the destination is delivered (or dropped) instead of sent back",
                );
                for h in &walk.hops[hop_start..] {
                    f = f.resource(h.id.clone());
                }
                for r in loop_routes {
                    f = f.evidence(r);
                }
                walk.findings.push(f);
                return Ok(walk.finish(Verdict::Loop));
            }
            visited.push((subnet, at_nic, walk.hops.len() - 1));

            let table = self.routes.subnet_table(subnet)?;
            let vnet = snap.subnets[subnet.index()].vnet;
            walk.consulted.push(subnet);
            let Some(entry) = table.fib.lookup(pkt.dst).copied() else {
                walk.findings.push(Finding::new(
                    "NoRoute",
                    Severity::Error,
                    format!("no route of `{}` matches {}", snap.subnet_label(subnet), pkt.dst),
                    "add a route for this destination",
                ));
                return Ok(walk.finish(Verdict::Dropped));
            };
            let route_idx = entry.route as usize;
            self.record_route(&mut walk, subnet, &table, route_idx, entry.prefix);
            let route = &table.routes[route_idx];

            match &route.next_hop_type {
                NextHopType::None => {
                    let by = match route.origin {
                        RouteOrigin::User { table: t, .. } => format!(
                            "the user route `{}` of route table `{}`",
                            route.name.clone().unwrap_or_default(),
                            snap.route_tables[t.index()].name
                        ),
                        _ => format!(
                            "the system route {} (reserved ranges are dropped by default)",
                            route.prefix_text.join(" ")
                        ),
                    };
                    let mut f = Finding::new(
                        "DroppedByNoneRoute",
                        Severity::Error,
                        format!("{} matches {} with next hop None in `{}`: the packet is dropped", pkt.dst, by, snap.subnet_label(subnet)),
                        match route.origin {
                            RouteOrigin::User { .. } => "remove or change the user route if this traffic should flow".to_string(),
                            _ => "give the destination a route: peer its VNet directly, add a gateway route, or a user route to an NVA that can reach it".to_string(),
                        },
                    )
                    .evidence(route.label());
                    match route.origin {
                        RouteOrigin::User { table: t, .. } => {
                            f = f.resource(snap.route_tables[t.index()].id.to_string())
                        }
                        _ => f = f.resource(snap.subnets[subnet.index()].id.to_string()),
                    }
                    walk.findings.push(f);
                    walk.findings.extend(self.why_unreachable(vnet, subnet, &table, pkt.dst));
                    walk.consulted_vnets.extend(self.in_some_vnet(pkt.dst));
                    return Ok(walk.finish(Verdict::Dropped));
                }
                NextHopType::Internet => {
                    let mut hop = Hop::new(HopKind::Internet, "Internet", "", Some(pkt.dst));
                    if is_private_or_reserved(pkt.dst) || self.in_some_vnet(pkt.dst).is_some() {
                        walk.findings.push(
                            Finding::new(
                                "PrivateDestinationToInternet",
                                Severity::Error,
                                format!("{} is a private address but the route chosen in `{}` sends it to the Internet, where it is lost", pkt.dst, snap.subnet_label(subnet)),
                                "route the private range explicitly (peering, gateway, or a user route to an NVA)",
                            )
                            .evidence(route.label()),
                        );
                        walk.findings.extend(self.why_unreachable(vnet, subnet, &table, pkt.dst));
                        walk.consulted_vnets.extend(self.in_some_vnet(pkt.dst));
                        self.note(&mut hop.notes, || {
                            "a private destination sent to the Internet is not delivered".to_string()
                        });
                        walk.hops.push(hop);
                        return Ok(walk.finish(Verdict::Dropped));
                    }
                    self.note(&mut hop.notes, || "leaves Azure with source NAT to a public IP".to_string());
                    walk.hops.push(hop);
                    return Ok(walk.finish(Verdict::ExitedToInternet));
                }
                NextHopType::VirtualNetworkServiceEndpoint => {
                    let mut hop =
                        Hop::new(HopKind::ServiceEndpoint, "Azure service (service endpoint)", "", Some(pkt.dst));
                    if let RouteOrigin::ServiceEndpoint { service, .. } = &route.origin {
                        hop.name = format!("{service} (service endpoint)");
                    }
                    walk.hops.push(hop);
                    return Ok(walk.finish(Verdict::DeliveredToAzureService));
                }
                NextHopType::InterfaceEndpoint => {
                    let pe = match route.origin {
                        RouteOrigin::PrivateEndpoint { endpoint } => Some(endpoint),
                        _ => None,
                    };
                    let (name, id) = pe
                        .map(|p| {
                            (
                                snap.private_endpoints[p.index()].name.clone(),
                                snap.private_endpoints[p.index()].id.to_string(),
                            )
                        })
                        .unwrap_or_default();
                    let mut hop = Hop::new(HopKind::PrivateEndpoint, name, id.clone(), Some(pkt.dst));
                    if pkt.protocol != Protocol::Tcp {
                        self.note(&mut hop.notes, || "private endpoints carry TCP only".to_string());
                    }
                    // §5.5: a default route to an NVA does not capture private-endpoint traffic.
                    if let Some(fw) = table.routes.iter().find(|r| {
                        r.is_active()
                            && r.source == RouteSource::User
                            && r.next_hop_type == NextHopType::VirtualAppliance
                            && r.prefixes.iter().any(|p| p.prefix_len() == 0)
                    }) {
                        walk.findings.push(
                            Finding::new(
                                "PrivateEndpointBypassesFirewall",
                                Severity::Warning,
                                format!(
                                    "traffic from `{}` to private endpoint `{}` takes its /32 route and skips the NVA {} that the subnet's 0.0.0.0/0 route sends everything else to",
                                    snap.subnet_label(subnet),
                                    hop.name,
                                    fw.next_hop_ips.first().map(|i| i.to_string()).unwrap_or_default()
                                ),
                                "enable route-table network policies on the private endpoint's subnet (privateEndpointNetworkPolicies = RouteTableEnabled) and add a user route for the endpoint's VNet range (or the /32) via the NVA; SNAT at the NVA keeps replies symmetric",
                            )
                            .resource(id.clone())
                            .evidence(route.label())
                            .evidence(fw.label()),
                        );
                    }
                    walk.hops.push(hop);
                    return Ok(walk.finish(if pkt.protocol == Protocol::Tcp {
                        Verdict::DeliveredToAzureService
                    } else {
                        Verdict::Dropped
                    }));
                }
                NextHopType::VnetLocal | NextHopType::VNetPeering | NextHopType::VNetGlobalPeering => {
                    let target_vnet = match route.origin {
                        RouteOrigin::Peering { peering } => {
                            self.routes.topology().peerings[peering.index()].remote_vnet
                        }
                        _ => Some(vnet),
                    };
                    return self.deliver(walk, vnet, target_vnet, subnet, &table, pkt, forward_nics);
                }
                NextHopType::VirtualAppliance => {
                    let Some(&nva_ip) = route.next_hop_ips.first() else {
                        return Ok(walk.finish(Verdict::Dropped));
                    };
                    match self.appliance(&mut walk, vnet, nva_ip, pkt, route, forward_nics)? {
                        Some(next) if walk.hops.last().is_some_and(|h| h.kind == HopKind::Destination) => {
                            if !self.nsg_at(&mut walk, next, Direction::Inbound, pkt, forward_nics) {
                                return Ok(walk.finish(Verdict::Dropped));
                            }
                            return Ok(walk.finish(Verdict::Delivered));
                        }
                        Some(next) => {
                            subnet = self.routes.nic_subnet(next)?;
                            at_nic = Some(next);
                            continue;
                        }
                        None => return Ok(walk.finish(Verdict::Dropped)),
                    }
                }
                NextHopType::VirtualNetworkGateway => {
                    return self.gateway_exit(walk, vnet, subnet, &table, route, pkt, forward_nics);
                }
                NextHopType::Other(text) => {
                    walk.findings.push(
                        Finding::new(
                            "NotModelled",
                            Severity::Warning,
                            format!("next hop type `{text}` is not modelled; the trace stops here"),
                            "check this route against Azure's documentation",
                        )
                        .evidence(route.label()),
                    );
                    return Ok(walk.finish(Verdict::Dropped));
                }
            }
        }
        walk.findings.push(Finding::new(
            "RoutingLoop",
            Severity::Error,
            format!("the packet to {} crossed {HOP_LIMIT} hops without arriving", pkt.dst),
            "check the user routes along the path",
        ));
        Ok(walk.finish(Verdict::Loop))
    }

    /// Routing problems for a destination from a subnet, without following the packet: used
    /// where an NSG already dropped it.
    fn route_problems(&self, subnet: SubnetIdx, dst: IpAddr) -> Result<Vec<Finding>, RouteError> {
        let table = self.routes.subnet_table(subnet)?;
        let vnet = self.snap().subnets[subnet.index()].vnet;
        let Some(entry) = table.fib.lookup(dst) else { return Ok(Vec::new()) };
        let route = &table.routes[entry.route as usize];
        let private_to_internet = route.next_hop_type == NextHopType::Internet
            && (is_private_or_reserved(dst) || self.in_some_vnet(dst).is_some());
        if route.next_hop_type == NextHopType::None || private_to_internet {
            let mut out = vec![
                Finding::new(
                    if private_to_internet { "PrivateDestinationToInternet" } else { "DroppedByNoneRoute" },
                    Severity::Error,
                    format!(
                        "even if the NSG allowed it, {} from `{}` matches {} and would be lost",
                        dst,
                        self.snap().subnet_label(subnet),
                        route.label()
                    ),
                    "see the findings below for how to give the destination a route",
                )
                .evidence(route.label()),
            ];
            out.extend(self.why_unreachable(vnet, subnet, &table, dst));
            return Ok(out);
        }
        Ok(Vec::new())
    }

    /// Why a destination has no usable route from a VNet: peerings not Connected, peerings that
    /// are not transitive, gateway routes suppressed or gateway transit half-configured.
    fn why_unreachable(
        &self,
        vnet: VnetIdx,
        subnet: SubnetIdx,
        table: &EffectiveRouteTable,
        dst: IpAddr,
    ) -> Vec<Finding> {
        let snap = self.snap();
        let topo = self.routes.topology();
        let mut out = Vec::new();
        let v = &snap.vnets[vnet.index()];
        if let Some(target) = self.in_some_vnet(dst)
            && target != vnet
        {
            let t = &snap.vnets[target.index()];
            // A peering object on either side names the pair.
            let direct =
                v.peerings.iter().copied().find(|p| topo.peerings[p.index()].remote_vnet == Some(target)).or_else(
                    || t.peerings.iter().copied().find(|p| topo.peerings[p.index()].remote_vnet == Some(vnet)),
                );
            match direct {
                Some(p) if !topo.peerings[p.index()].connected => {
                    let status = &topo.peerings[p.index()];
                    let peering = &snap.peerings[p.index()];
                    out.push(
                            Finding::new(
                                "PeeringNotConnected",
                                Severity::Error,
                                format!(
                                    "`{}` and `{}` are peered, but the peering is {} (remote side: {}), so there is no route to {}",
                                    v.name,
                                    t.name,
                                    status.local_state,
                                    status.remote_state.clone().unwrap_or_else(|| "missing".to_string()),
                                    dst
                                ),
                                {
                                    let (owner, other) = if peering.vnet == vnet { (&t.name, &v.name) } else { (&v.name, &t.name) };
                                    format!("create the peering from `{owner}` back to `{other}` (or re-create the deleted side) so both sides are Connected")
                                },
                            )
                            .resource(peering.id.to_string())
                            .evidence(format!("peeringState = {}", status.local_state)),
                        );
                }
                Some(_) => {}
                None => {
                    // Peered to a peer of the destination only: peering is not transitive.
                    let via: Vec<String> = v
                        .peerings
                        .iter()
                        .filter(|p| topo.peerings[p.index()].connected)
                        .filter_map(|p| topo.peerings[p.index()].remote_vnet)
                        .filter(|mid| {
                            snap.vnets[mid.index()].peerings.iter().any(|q| {
                                topo.peerings[q.index()].remote_vnet == Some(target)
                                    && topo.peerings[q.index()].connected
                            })
                        })
                        .map(|mid| snap.vnets[mid.index()].name.clone())
                        .collect();
                    if !via.is_empty() {
                        out.push(
                                Finding::new(
                                    "NonTransitivePeering",
                                    Severity::Error,
                                    format!(
                                        "`{}` reaches `{}` only through `{}`, but VNet peering is not transitive: `{}` has no route to {}",
                                        v.name,
                                        t.name,
                                        via.join("`, `"),
                                        v.name,
                                        dst
                                    ),
                                    format!(
                                        "peer `{}` with `{}` directly, or send {} through an NVA in `{}` with a user route (next hop VirtualAppliance) on both sides",
                                        v.name,
                                        t.name,
                                        t.address_space.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", "),
                                        via[0]
                                    ),
                                )
                                .resource(v.id.to_string())
                                .resource(t.id.to_string()),
                            );
                    }
                }
            }
        }
        // On-premises prefixes a gateway knows but this subnet does not get.
        for (g, prefixes) in topo.gateway_prefixes.iter().enumerate() {
            let Some(gp) = prefixes.iter().find(|gp| gp.prefix.contains(&dst)) else { continue };
            let g = GatewayIdx(g as u32);
            let gw = &snap.gateways[g.index()];
            let attachment = &topo.attachments[vnet.index()];
            if attachment.gateways.contains(&g) {
                for note in &table.notes {
                    if let TableNote::GatewayRoutesSuppressed { table: t, prefixes } = note
                        && prefixes.contains(&gp.prefix)
                    {
                        let rt = &snap.route_tables[t.index()];
                        out.push(
                                Finding::new(
                                    "GatewayRoutesSuppressed",
                                    Severity::Error,
                                    format!(
                                        "gateway `{}` knows {} but route table `{}` of `{}` disables gateway route propagation, so the subnet has no route to {}",
                                        gw.name,
                                        gp.prefix,
                                        rt.name,
                                        snap.subnet_label(subnet),
                                        dst
                                    ),
                                    format!("set disableBgpRoutePropagation = false on route table `{}` (\"Propagate gateway routes\" = Yes), or add a user route for {} with next hop VirtualNetworkGateway or via the NVA", rt.name, gp.prefix),
                                )
                                .resource(rt.id.to_string())
                                .resource(gw.id.to_string()),
                            );
                    }
                }
            } else {
                for note in &attachment.mismatches {
                    if let TableNote::GatewayTransitMismatch {
                        peering,
                        use_remote_gateways,
                        remote_allows_transit,
                        ..
                    } = note
                    {
                        let p = &snap.peerings[peering.index()];
                        let remote = topo.peerings[peering.index()].remote_vnet;
                        if remote != gw.vnet.as_ref().and_then(|l| l.resolved()) {
                            continue;
                        }
                        let fix = if !use_remote_gateways {
                            format!("set useRemoteGateways = true on peering `{}` of `{}`", p.name, v.name)
                        } else {
                            format!(
                                "set allowGatewayTransit = true on the peering from `{}` back to `{}`",
                                remote.map(|r| snap.vnets[r.index()].name.clone()).unwrap_or_default(),
                                v.name
                            )
                        };
                        out.push(
                            Finding::new(
                                "UseRemoteGatewaysMissing",
                                Severity::Error,
                                format!(
                                    "gateway `{}` in the peered VNet knows {}, but gateway transit is half-configured (useRemoteGateways = {}, remote allowGatewayTransit = {}), so `{}` gets no route to {}",
                                    gw.name, gp.prefix, use_remote_gateways, remote_allows_transit, v.name, dst
                                ),
                                fix,
                            )
                            .resource(p.id.to_string())
                            .resource(gw.id.to_string()),
                        );
                    }
                }
            }
        }
        out
    }

    /// Crosses from `from_vnet` into `to_vnet` over their peering: checks the receiving side
    /// accepts the packet (§5.2). Returns false with a finding when it does not.
    fn cross_peering(&self, walk: &mut Walk, from_vnet: VnetIdx, to_vnet: VnetIdx, pkt: Packet) -> bool {
        if from_vnet == to_vnet {
            return true;
        }
        walk.consulted_vnets.extend([from_vnet, to_vnet]);
        let snap = self.snap();
        let topo = self.routes.topology();
        let Some(p) = topo.peering_between(snap, from_vnet, to_vnet) else { return true };
        let from = &snap.vnets[from_vnet.index()];
        let to = &snap.vnets[to_vnet.index()];
        let reverse = topo.peerings[p.index()].reverse;
        if let Some(q) = reverse {
            let back = &snap.peerings[q.index()];
            if !back.allow_virtual_network_access
                && self.options().peering_access_false_semantics == PeeringAccessFalse::Drop
            {
                walk.findings.push(
                    Finding::new(
                        "PeeringAccessDisabled",
                        Severity::Error,
                        format!("peering `{}` of `{}` has allowVirtualNetworkAccess = false (modelled as dropping traffic, --peering-access-false-semantics drop)", back.name, to.name),
                        format!("set allowVirtualNetworkAccess = true on peering `{}`", back.name),
                    )
                    .resource(back.id.to_string()),
                );
                return false;
            }
            // A forwarded packet: its source is not in the sending VNet (§5.2, C10).
            let forwarded = !from.address_space.iter().any(|r| r.contains(&pkt.src)) && !walk.from_gateway;
            if forwarded && !back.allow_forwarded_traffic && self.options().allow_forwarded_traffic_enforced {
                walk.findings.push(
                    Finding::new(
                        "ForwardedTrafficNotAllowed",
                        Severity::Error,
                        format!(
                            "the packet from {} was forwarded by `{}` into `{}`, whose peering `{}` does not allow forwarded traffic: it is dropped",
                            pkt.src, from.name, to.name, back.name
                        ),
                        format!("set allowForwardedTraffic = true on peering `{}` of `{}` (\"Allow traffic forwarded from {}\")", back.name, to.name, from.name),
                    )
                    .resource(back.id.to_string())
                    .evidence(format!("{} is outside {} ({})", pkt.src, from.name, from.address_space.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", "))),
                );
                if let Some(hop) = walk.hops.last_mut() {
                    self.note(&mut hop.notes, || {
                        format!("crossing peering into `{}`: forwarded traffic refused", to.name)
                    });
                }
                return false;
            }
        }
        if let Some(hop) = walk.hops.last_mut() {
            self.note(&mut hop.notes, || format!("crosses the peering from `{}` to `{}`", from.name, to.name));
        }
        true
    }

    /// Delivers to the owner of the destination inside `target_vnet`.
    #[allow(clippy::too_many_arguments)]
    fn deliver(
        &self,
        mut walk: Walk,
        vnet: VnetIdx,
        target_vnet: Option<VnetIdx>,
        subnet: SubnetIdx,
        table: &EffectiveRouteTable,
        pkt: Packet,
        forward_nics: &HashSet<Endpoint>,
    ) -> Result<PathTrace, RouteError> {
        let snap = self.snap();
        let Some(target_vnet) = target_vnet else {
            walk.findings.push(Finding::new(
                "NoHostAtDestination",
                Severity::Warning,
                format!("{} is in a peered VNet that is not in the snapshot; the trace stops at the peering", pkt.dst),
                "export the remote virtual network to follow the packet further",
            ));
            return Ok(walk.finish(Verdict::Dropped));
        };
        let owner = self
            .addressing
            .owners(pkt.dst)
            .iter()
            .copied()
            .find(|o| !matches!(o, Owner::PublicIp { .. }) && Addressing::vnet_of(snap, o) == Some(target_vnet));
        if owner.is_none() && self.virtual_hosts {
            // Reachability of a subnet as a whole: any address of it stands for a host there.
            let host_subnet = snap.vnets[target_vnet.index()]
                .subnets
                .iter()
                .copied()
                .find(|s| snap.subnets[s.index()].contains(pkt.dst));
            if let Some(host_subnet) = host_subnet {
                if !self.cross_peering(&mut walk, vnet, target_vnet, pkt) {
                    return Ok(walk.finish(Verdict::Dropped));
                }
                let mut hop = Hop::new(
                    HopKind::Destination,
                    format!("host in {}", snap.subnet_label(host_subnet)),
                    "",
                    Some(pkt.dst),
                );
                hop.subnet = Some(host_subnet);
                walk.hops.push(hop);
                if !self.nsg_at_endpoint(&mut walk, host_subnet, None, Direction::Inbound, pkt, forward_nics) {
                    return Ok(walk.finish(Verdict::Dropped));
                }
                return Ok(walk.finish(Verdict::Delivered));
            }
        }
        let Some(owner) = owner else {
            walk.findings.push(
                Finding::new(
                    "NoHostAtDestination",
                    Severity::Error,
                    format!(
                        "no NIC, load balancer or private endpoint in `{}` has the address {}",
                        snap.vnets[target_vnet.index()].name,
                        pkt.dst
                    ),
                    "check the destination address; if the resource exists, add it to the snapshot",
                )
                .resource(snap.vnets[target_vnet.index()].id.to_string())
                // The subnet the address lies in, as data: a host could sit there (`--assume-host`).
                .resource(
                    snap.vnets[target_vnet.index()]
                        .subnets
                        .iter()
                        .find(|s| snap.subnets[s.index()].contains(pkt.dst))
                        .map(|s| snap.subnets[s.index()].id.to_string())
                        .unwrap_or_default(),
                ),
            );
            walk.findings.extend(self.why_unreachable(vnet, subnet, table, pkt.dst));
            walk.consulted_vnets.extend(self.in_some_vnet(pkt.dst));
            return Ok(walk.finish(Verdict::Dropped));
        };
        if !self.cross_peering(&mut walk, vnet, target_vnet, pkt) {
            return Ok(walk.finish(Verdict::Dropped));
        }
        match owner {
            Owner::Nic { nic, subnet: dst_subnet } => {
                let mut hop = self.nic_hop(HopKind::Destination, nic, Some(pkt.dst));
                hop.subnet = dst_subnet;
                walk.hops.push(hop);
                if !self.nsg_at(&mut walk, nic, Direction::Inbound, pkt, forward_nics) {
                    return Ok(walk.finish(Verdict::Dropped));
                }
                Ok(walk.finish(Verdict::Delivered))
            }
            Owner::LoadBalancer { lb, .. } => {
                let l = &snap.load_balancers[lb.index()];
                walk.hops.push(Hop::new(HopKind::LoadBalancer, l.name.clone(), l.id.to_string(), Some(pkt.dst)));
                match l.backend_nics.iter().find_map(|b| b.resolved()) {
                    Some(backend) => {
                        let addr = snap.nics[backend.index()].primary_ip_config().and_then(|c| c.private_ip);
                        let mut hop = self.nic_hop(HopKind::Destination, backend, addr);
                        hop.subnet = self.routes.nic_subnet(backend).ok();
                        self.note(&mut hop.notes, || {
                            "the load balancer's first backend; Azure hashes each flow to one healthy backend"
                                .to_string()
                        });
                        walk.hops.push(hop);
                        if !self.nsg_at(&mut walk, backend, Direction::Inbound, pkt, forward_nics) {
                            return Ok(walk.finish(Verdict::Dropped));
                        }
                        Ok(walk.finish(Verdict::Delivered))
                    }
                    None => {
                        walk.findings.push(
                            Finding::new(
                                "NoHostAtDestination",
                                Severity::Error,
                                format!("load balancer `{}` has no backend in the snapshot", l.name),
                                "add backends to the load balancer's pool",
                            )
                            .resource(l.id.to_string()),
                        );
                        Ok(walk.finish(Verdict::Dropped))
                    }
                }
            }
            Owner::PrivateEndpoint { endpoint, .. } => {
                let pe = &snap.private_endpoints[endpoint.index()];
                walk.hops.push(Hop::new(HopKind::PrivateEndpoint, pe.name.clone(), pe.id.to_string(), Some(pkt.dst)));
                Ok(walk.finish(Verdict::DeliveredToAzureService))
            }
            Owner::Gateway { gateway } => {
                let gw = &snap.gateways[gateway.index()];
                walk.hops.push(Hop::new(
                    HopKind::VirtualNetworkGateway,
                    gw.name.clone(),
                    gw.id.to_string(),
                    Some(pkt.dst),
                ));
                Ok(walk.finish(Verdict::Delivered))
            }
            Owner::PublicIp { .. } => unreachable!("public IPs are filtered out above"),
        }
    }

    /// Sends the packet to a virtual appliance: the NIC or load balancer that owns the next
    /// hop IP, reachable in the VNet or a directly peered one (§3.3). Returns the NVA's NIC to
    /// continue from, or None when the packet is dropped.
    fn appliance(
        &self,
        walk: &mut Walk,
        vnet: VnetIdx,
        nva_ip: IpAddr,
        pkt: Packet,
        route: &EffectiveRoute,
        forward_nics: &HashSet<Endpoint>,
    ) -> Result<Option<NicIdx>, RouteError> {
        let snap = self.snap();
        let topo = self.routes.topology();
        let mut reachable = vec![vnet];
        reachable.extend(topo.connected_peerings(snap, vnet).filter_map(|p| topo.peerings[p.index()].remote_vnet));
        let owners: Vec<Owner> =
            self.addressing.owners(nva_ip).iter().copied().filter(|o| !matches!(o, Owner::PublicIp { .. })).collect();
        let owner =
            owners.iter().copied().find(|o| Addressing::vnet_of(snap, o).is_some_and(|v| reachable.contains(&v)));
        let route_table_id = match route.origin {
            RouteOrigin::User { table, .. } => snap.route_tables[table.index()].id.to_string(),
            _ => String::new(),
        };
        let Some(owner) = owner else {
            let elsewhere =
                owners.iter().find_map(|o| Addressing::vnet_of(snap, o)).map(|v| snap.vnets[v.index()].name.clone());
            let message = match elsewhere {
                Some(v) => format!(
                    "next hop {nva_ip} belongs to a resource in `{v}`, which is neither `{}` nor directly peered with it: Azure cannot reach it",
                    snap.vnets[vnet.index()].name
                ),
                None => {
                    format!("no NIC or load balancer in the snapshot owns the next hop {nva_ip}: the packet is dropped")
                }
            };
            walk.findings.push(
                Finding::new(
                    "NextHopUnreachable",
                    Severity::Error,
                    message,
                    format!("point the route at the private IP of an NVA NIC or internal load balancer in `{}` or a directly peered VNet", snap.vnets[vnet.index()].name),
                )
                .resource(route_table_id)
                .evidence(route.label()),
            );
            return Ok(None);
        };
        let owner_vnet = Addressing::vnet_of(snap, &owner).expect("filtered above");
        let nva_nic = match owner {
            Owner::Nic { nic, .. } => nic,
            Owner::LoadBalancer { lb, .. } => {
                let l = &snap.load_balancers[lb.index()];
                let global =
                    topo.peering_between(snap, vnet, owner_vnet).is_some_and(|p| topo.peerings[p.index()].global);
                if global && l.sku.eq_ignore_ascii_case("Basic") {
                    walk.findings.push(
                        Finding::new(
                            "NextHopUnreachable",
                            Severity::Error,
                            format!("next hop {nva_ip} is the frontend of Basic load balancer `{}` across a global peering, which Azure does not support", l.name),
                            "use a Standard internal load balancer, or an NVA in the same region",
                        )
                        .resource(l.id.to_string()),
                    );
                    return Ok(None);
                }
                walk.hops.push(Hop::new(HopKind::LoadBalancer, l.name.clone(), l.id.to_string(), Some(nva_ip)));
                match l.backend_nics.iter().find_map(|b| b.resolved()) {
                    Some(n) => n,
                    None => {
                        walk.findings.push(
                            Finding::new(
                                "NextHopUnreachable",
                                Severity::Error,
                                format!(
                                    "load balancer `{}` (next hop {nva_ip}) has no backend NIC in the snapshot",
                                    l.name
                                ),
                                "add the NVAs to the load balancer's backend pool",
                            )
                            .resource(l.id.to_string()),
                        );
                        return Ok(None);
                    }
                }
            }
            Owner::PrivateEndpoint { .. } | Owner::Gateway { .. } | Owner::PublicIp { .. } => {
                walk.findings.push(
                    Finding::new(
                        "NextHopUnreachable",
                        Severity::Error,
                        format!("next hop {nva_ip} is not an NVA (it belongs to a private endpoint or a gateway)"),
                        "point the route at the private IP of an NVA NIC or internal load balancer",
                    )
                    .resource(route_table_id)
                    .evidence(route.label()),
                );
                return Ok(None);
            }
        };
        if !self.cross_peering(walk, vnet, owner_vnet, pkt) {
            return Ok(None);
        }
        if snap.nics[nva_nic.index()].owns_ip(pkt.dst) {
            // The packet is for the appliance itself: the route only chose how to reach it.
            if !self.cross_peering(walk, vnet, owner_vnet, pkt) {
                return Ok(None);
            }
            let mut hop = self.nic_hop(HopKind::Destination, nva_nic, Some(pkt.dst));
            hop.subnet = self.routes.nic_subnet(nva_nic).ok();
            walk.hops.push(hop);
            return Ok(Some(nva_nic));
        }
        let (name, id) = nic_label(snap, nva_nic);
        let nva_addr = snap.nics[nva_nic.index()].primary_ip_config().and_then(|c| c.private_ip);
        let mut hop = self.nic_hop(HopKind::VirtualAppliance, nva_nic, nva_addr);
        hop.subnet = self.routes.nic_subnet(nva_nic).ok();
        walk.hops.push(hop);
        walk.devices.push(nva_nic);
        walk.from_gateway = false;
        if !self.nsg_at(walk, nva_nic, Direction::Inbound, pkt, forward_nics) {
            return Ok(None);
        }
        let n = &snap.nics[nva_nic.index()];
        if !n.ip_forwarding {
            walk.findings.push(
                Finding::new(
                    "IpForwardingDisabled",
                    Severity::Error,
                    format!("NVA `{}` ({}) receives a packet for {} but IP forwarding is off on its NIC: Azure drops it", name, nva_addr.map(|a| a.to_string()).unwrap_or_default(), pkt.dst),
                    format!("enable IP forwarding on network interface `{name}` (enableIPForwarding = true) and in the NVA's guest OS"),
                )
                .resource(id)
                .evidence(route.label()),
            );
            return Ok(None);
        }
        if !self.nsg_at(walk, nva_nic, Direction::Outbound, pkt, forward_nics) {
            return Ok(None);
        }
        Ok(Some(nva_nic))
    }

    /// Next hop VirtualNetworkGateway: leave for on-premises (or a VNet-to-VNet peer).
    #[allow(clippy::too_many_arguments)]
    fn gateway_exit(
        &self,
        mut walk: Walk,
        vnet: VnetIdx,
        subnet: SubnetIdx,
        table: &EffectiveRouteTable,
        route: &EffectiveRoute,
        pkt: Packet,
        forward_nics: &HashSet<Endpoint>,
    ) -> Result<PathTrace, RouteError> {
        let snap = self.snap();
        let topo = self.routes.topology();
        let (gateway, kinds): (Option<GatewayIdx>, Vec<GatewayRouteKind>) = match &route.origin {
            RouteOrigin::Gateway { gateway, kinds, .. } => (Some(*gateway), kinds.clone()),
            _ => {
                // A user route to "the VNet's gateway" (§3.4): own gateway, else gateway transit.
                let attachment = &topo.attachments[vnet.index()];
                let gateways = &attachment.gateways;
                let vpn = gateways.iter().copied().find(|g| snap.gateways[g.index()].gateway_type == GatewayType::Vpn);
                let er = gateways
                    .iter()
                    .copied()
                    .find(|g| snap.gateways[g.index()].gateway_type == GatewayType::ExpressRoute);
                match (vpn, er) {
                    (Some(v), None) => (Some(v), Vec::new()),
                    (None, None) => {
                        walk.findings.push(
                            Finding::new(
                                "UdrGatewayNotVpn",
                                Severity::Error,
                                format!("the user route {} sends traffic to VirtualNetworkGateway, but `{}` has no gateway of its own or by gateway transit: the traffic is dropped", route.label(), snap.vnets[vnet.index()].name),
                                "deploy a VPN gateway (or enable gateway transit from a hub), or change the route's next hop",
                            )
                            .evidence(route.label()),
                        );
                        return Ok(walk.finish(Verdict::Dropped));
                    }
                    (_, Some(e)) => {
                        walk.findings.push(
                            Finding::new(
                                "UdrGatewayNotVpn",
                                Severity::Error,
                                format!(
                                    "the user route {} sends traffic to VirtualNetworkGateway, which resolves to ExpressRoute gateway `{}`; only VPN gateways are supported as this next hop (§3.4): modelled as dropped",
                                    route.label(),
                                    snap.gateways[e.index()].name
                                ),
                                "let BGP carry routes over ExpressRoute, or send the traffic to an NVA",
                            )
                            .resource(snap.gateways[e.index()].id.to_string())
                            .evidence(route.label()),
                        );
                        return Ok(walk.finish(Verdict::Dropped));
                    }
                }
            }
        };
        let Some(g) = gateway else { return Ok(walk.finish(Verdict::Dropped)) };
        let gw = &snap.gateways[g.index()];
        let mut hop = Hop::new(
            HopKind::VirtualNetworkGateway,
            gw.name.clone(),
            gw.id.to_string(),
            gw.instance_ips.first().copied(),
        );
        // The gateway VNet may be a hub reached by gateway transit.
        let gw_vnet = gw.vnet.as_ref().and_then(|l| l.resolved());
        if gw_vnet != Some(vnet) {
            self.note(&mut hop.notes, || {
                format!(
                    "reached by gateway transit in `{}`",
                    gw_vnet.map(|v| snap.vnets[v.index()].name.clone()).unwrap_or_default()
                )
            });
        }
        // VNet-to-VNet: continue in the remote VNet.
        for kind in &kinds {
            if let GatewayRouteKind::Vnet2Vnet { connection, remote_vnet } = kind {
                let remote_gw = {
                    let c = &snap.connections[connection.index()];
                    [c.gateway1.as_ref(), c.gateway2.as_ref()]
                        .into_iter()
                        .flatten()
                        .filter_map(|l| l.resolved())
                        .find(|x| *x != g)
                };
                self.note(&mut hop.notes, || {
                    format!(
                        "VNet-to-VNet connection `{}` to `{}`",
                        snap.connections[connection.index()].name,
                        snap.vnets[remote_vnet.index()].name
                    )
                });
                walk.hops.push(hop);
                if let Some(rg) = remote_gw {
                    return self.continue_walk(walk, Start::Gateway { gateway: rg }, pkt, forward_nics);
                }
                return Ok(walk.finish(Verdict::Dropped));
            }
        }
        let on_prem = topo.gateway_prefixes[g.index()]
            .iter()
            .filter(|gp| gp.prefix.contains(&pkt.dst))
            .max_by_key(|gp| gp.prefix.prefix_len());
        match on_prem {
            Some(gp) => {
                for kind in &gp.kinds {
                    if let GatewayRouteKind::LocalNetworkGateway { local_gateway, connection } = kind {
                        let c = &snap.connections[connection.index()];
                        self.note(&mut hop.notes, || format!("site `{}` via connection `{}` ({})", snap.local_gateways[local_gateway.index()].name, c.name, if c.status.is_empty() { "status unknown" } else { &c.status }));
                        if !c.status.is_empty() && !c.status.eq_ignore_ascii_case("Connected") {
                            walk.findings.push(
                                Finding::new(
                                    "GatewayConnectionDown",
                                    Severity::Warning,
                                    format!("connection `{}` is {}: the route exists but packets may not reach on-premises", c.name, c.status),
                                    "check the tunnel (VPN troubleshoot) and the on-premises device",
                                )
                                .resource(c.id.to_string()),
                            );
                        }
                    }
                }
            }
            None => self.note(&mut hop.notes, || format!(
                "no on-premises prefix of `{}` contains {}: the gateway sends it to its default site (forced tunnelling); the on-premises side decides",
                gw.name, pkt.dst
            )),
        }
        walk.hops.push(hop);
        walk.hops.push(Hop::new(HopKind::OnPremises, "on-premises", "", Some(pkt.dst)));
        walk.exit_gateway = Some(g);
        let _ = (subnet, table);
        Ok(walk.finish(Verdict::ExitedToOnPremises))
    }

    /// Traces the reply of a request that arrived.
    fn reply(&self, request: &TraceRequest, forward: &PathTrace, pkt: Packet) -> Result<PathTrace, RouteError> {
        let snap = self.snap();
        let reply = Packet { src: pkt.dst, dst: pkt.src, protocol: pkt.protocol, sport: pkt.dport, dport: pkt.sport };
        // NICs whose NSGs saw the request: replies pass them by flow state.
        let forward_nics: HashSet<Endpoint> = forward
            .hops
            .iter()
            .filter_map(|h| match (h.nic, h.subnet, h.kind) {
                (Some(n), _, _) => Some(Endpoint::Nic(n)),
                (None, Some(s), HopKind::Source | HopKind::Destination) => Some(Endpoint::Host(s)),
                _ => None,
            })
            .collect();
        let last = forward.hops.last().expect("a path has hops");
        match forward.verdict {
            Verdict::Delivered => {
                if let (None, Some(subnet), HopKind::Destination) = (last.nic, last.subnet, last.kind) {
                    let reply = Packet { src: last.address.unwrap_or(reply.src), ..reply };
                    let walk = Walk::new();
                    return self.continue_walk(walk, Start::Host { subnet }, reply, &forward_nics);
                }
                match (last.nic, last.kind) {
                    (Some(nic), HopKind::Destination) => {
                        // The reply leaves from the address the request was delivered to.
                        let reply = Packet { src: last.address.unwrap_or(reply.src), ..reply };
                        let mut walk = Walk::new();
                        let subnet = self.routes.nic_subnet(nic)?;
                        let mut hop = self.nic_hop(HopKind::Source, nic, Some(reply.src));
                        hop.subnet = Some(subnet);
                        walk.hops.push(hop);
                        if !self.nsg_at(&mut walk, nic, Direction::Outbound, reply, &forward_nics) {
                            return Ok(walk.finish(Verdict::Dropped));
                        }
                        let mut trace = self.continue_from(walk, subnet, nic, reply, &forward_nics)?;
                        // An Internet client that reached a public IP must get the reply from the
                        // Internet route, not through a device (§6.1).
                        if let TraceSource::External(_) = request.source
                            && forward.hops.first().is_some_and(|h| h.kind == HopKind::Internet)
                        {
                            self.forced_tunnel_check(&mut trace, request, subnet);
                        }
                        Ok(trace)
                    }
                    _ => Ok(self.trivial_reply(forward, reply)),
                }
            }
            Verdict::ExitedToOnPremises => match forward.exit_gateway {
                Some(g) => {
                    let mut walk = Walk::new();
                    walk.hops.push(Hop::new(HopKind::OnPremises, "on-premises", "", Some(reply.src)));
                    self.continue_walk(walk, Start::Gateway { gateway: g }, reply, &forward_nics)
                }
                None => Ok(self.trivial_reply(forward, reply)),
            },
            Verdict::ExitedToInternet => {
                // The reply comes back to whoever translated the request: the last NVA, else the
                // source NIC directly.
                match forward.devices.last() {
                    Some(&nva) => {
                        let mut walk = Walk {
                            hops: vec![Hop::new(HopKind::Internet, "Internet", "", Some(reply.src))],
                            ..Walk::new()
                        };
                        let subnet = self.routes.nic_subnet(nva)?;
                        let mut hop = self.nic_hop(
                            HopKind::VirtualAppliance,
                            nva,
                            snap.nics[nva.index()].primary_ip_config().and_then(|c| c.private_ip),
                        );
                        hop.subnet = Some(subnet);
                        hop.notes
                            .push("the reply returns to the NVA that sent the request to the Internet".to_string());
                        walk.hops.push(hop);
                        walk.devices.push(nva);
                        self.continue_from(walk, subnet, nva, reply, &forward_nics)
                    }
                    None => Ok(self.trivial_reply(forward, reply)),
                }
            }
            Verdict::DeliveredToAzureService => Ok(self.trivial_reply(forward, reply)),
            Verdict::Dropped | Verdict::Loop => unreachable!("replies are traced only for packets that arrived"),
        }
    }

    /// Continues a walk whose last hop is at `nic` in `subnet`.
    fn continue_from(
        &self,
        walk: Walk,
        subnet: SubnetIdx,
        nic: NicIdx,
        pkt: Packet,
        forward_nics: &HashSet<Endpoint>,
    ) -> Result<PathTrace, RouteError> {
        let _ = subnet;
        self.continue_walk(walk, Start::Resume { nic }, pkt, forward_nics)
    }

    /// The reply of traffic that left Azure directly or reached a service: it comes back the way
    /// it went.
    fn trivial_reply(&self, forward: &PathTrace, reply: Packet) -> PathTrace {
        let mut hops: Vec<Hop> = forward.hops.iter().rev().cloned().collect();
        for h in &mut hops {
            h.route = None;
            h.nsg.clear();
            h.notes = vec!["reply retraces the request (no routing decision on the way back)".to_string()];
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
        }
    }

    /// Forced tunnelling (§6.1): a reply to an Internet client routed to an NVA or gateway
    /// instead of the Internet breaks inbound connections to public IPs.
    fn forced_tunnel_check(&self, trace: &mut PathTrace, request: &TraceRequest, subnet: SubnetIdx) {
        let snap = self.snap();
        let first_route = trace.hops.first().and_then(|h| h.route.clone());
        let Some(used) = first_route else { return };
        let hop_type = &used.route.next_hop_type;
        if matches!(hop_type, NextHopType::VirtualAppliance | NextHopType::VirtualNetworkGateway) {
            let TraceSource::External(client) = request.source else { return };
            let mut f = Finding::new(
                "ForcedTunnelBreaksInbound",
                Severity::Error,
                format!(
                    "the reply to Internet client {client} leaves `{}` by {} instead of the Internet: the client sees the wrong source address and the connection (RDP/SSH/HTTPS to the public IP) fails",
                    snap.subnet_label(subnet),
                    used.route.label()
                ),
                format!(
                    "reach the VM through the NVA/firewall (DNAT on its public IP) instead of the VM's own public IP, or add a user route for the clients' prefix with next hop Internet to the route table of `{}`",
                    snap.subnet_label(subnet)
                ),
            )
            .evidence(used.route.label());
            if let RouteOrigin::User { table, .. } = used.route.origin {
                f = f.resource(snap.route_tables[table.index()].id.to_string());
            }
            trace.findings.push(f);
        }
    }

    /// Compares the two directions' stateful devices (§6.4).
    fn compare(&self, request: &TraceRequest, forward: &PathTrace, reverse: &PathTrace) -> Vec<Finding> {
        let snap = self.snap();
        let fwd: Vec<NicIdx> = forward.devices.clone();
        let mut rev: Vec<NicIdx> = reverse.devices.clone();
        rev.reverse();
        let vm_of = |n: &NicIdx| {
            snap.nics[n.index()].vm.as_ref().and_then(|l| l.resolved()).map(|v| v.0 as i64).unwrap_or(-(n.0 as i64) - 1)
        };
        let fwd_devices: HashSet<i64> = fwd.iter().map(vm_of).collect();
        let rev_devices: HashSet<i64> = rev.iter().map(vm_of).collect();
        if fwd_devices == rev_devices || !reverse.verdict.reached() {
            return Vec::new();
        }
        if reverse.findings.iter().any(|f| f.code == "ForcedTunnelBreaksInbound") {
            return Vec::new();
        }
        if !self.detail {
            return vec![Finding::new("AsymmetricPath", Severity::Error, String::new(), String::new())];
        }
        let names = |list: &[NicIdx]| -> String {
            if list.is_empty() {
                "no NVA".to_string()
            } else {
                list.iter().map(|n| format!("`{}`", snap.nics[n.index()].name)).collect::<Vec<_>>().join(" → ")
            }
        };
        let only_forward: Vec<&NicIdx> = fwd.iter().filter(|n| !rev_devices.contains(&vm_of(n))).collect();
        let only_reverse: Vec<&NicIdx> = rev.iter().filter(|n| !fwd_devices.contains(&vm_of(n))).collect();
        let fix = match (only_forward.first(), reverse.hops.first()) {
            (Some(nva), Some(first)) => format!(
                "make the reply pass `{}` too: add a user route for {} with next hop VirtualAppliance {} to the route table of the reply's first subnet{}, or SNAT the traffic at the NVA",
                snap.nics[nva.index()].name,
                request_source_prefix(request),
                snap.nics[nva.index()].primary_ip_config().and_then(|c| c.private_ip).map(|i| i.to_string()).unwrap_or_default(),
                first.subnet.map(|s| format!(" (`{}`)", snap.subnet_label(s))).unwrap_or_default()
            ),
            _ => "make both directions pass the same stateful devices (matching user routes on both sides), or SNAT at the NVA".to_string(),
        };
        let mut f = Finding::new(
            "AsymmetricPath",
            Severity::Error,
            format!(
                "the request passes {} but the reply passes {}: a stateful firewall drops packets of connections it did not see start",
                names(&fwd),
                names(&rev)
            ),
            fix,
        );
        for n in only_forward.iter().chain(only_reverse.iter()) {
            f = f.resource(snap.nics[n.index()].id.to_string());
        }
        for h in forward.hops.iter().chain(reverse.hops.iter()) {
            if let Some(r) = &h.route {
                f = f.evidence(format!("{} at `{}`: {}", h.name, snap.subnet_label(r.subnet), r.route.label()));
            }
        }
        vec![f]
    }
}

fn request_source_prefix(request: &TraceRequest) -> String {
    match request.source {
        TraceSource::Nic { ip, .. } | TraceSource::Host { ip, .. } | TraceSource::External(ip) => {
            prefix_of_ip(ip).to_string()
        }
    }
}
