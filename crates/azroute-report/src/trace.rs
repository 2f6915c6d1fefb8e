//! Trace views: JSON (`{"verdict", "hops", "findings", "return"}`), a hop-per-line table for a
//! person, and a Mermaid flowchart of both directions for tickets and pull requests.

use azroute_engine::*;
use azroute_model::*;
use serde::Serialize;

use crate::finding_text::{self, hop_id, hop_name};
use crate::table;

#[derive(Clone, Debug, Serialize)]
pub struct ResourceView {
    pub name: String,
    pub id: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteView {
    pub address_prefix: String,
    pub source: String,
    pub state: String,
    pub next_hop_type: String,
    pub next_hop_ip_address: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The route table's id for a user route, else `System Route` (as Network Watcher says).
    pub route_table_id: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NsgRuleView {
    pub network_security_group: ResourceView,
    pub applied_to: String,
    pub direction: String,
    pub access: String,
    pub rule_name: String,
    /// Allowed because the NSG saw the request (NSGs are stateful).
    pub by_flow_state: bool,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HopView {
    pub index: usize,
    #[serde(rename = "type")]
    pub kind: String,
    pub resource: ResourceView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet: Option<ResourceView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<RouteView>,
    pub nsg_rules: Vec<NsgRuleView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Why `nsg_rules` is empty, for the table's NSG column (JSON says it by the empty list).
    #[serde(skip)]
    pub no_nsg_rules: NoNsgRules,
}

/// Why a hop lists no NSG rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NoNsgRules {
    /// It lists rules.
    #[default]
    Listed,
    /// Neither the NIC nor its subnet has an NSG: nothing to evaluate.
    NoNsg,
    /// An NSG applies, but the path ended before it was evaluated.
    NotEvaluated,
    /// No NSG applies to this kind of hop (the Internet, on-premises, a gateway, a load
    /// balancer, a private endpoint, an Azure service).
    NotApplicable,
}

impl NoNsgRules {
    /// The table's words.
    pub fn as_str(self) -> &'static str {
        match self {
            NoNsgRules::Listed => "",
            NoNsgRules::NoNsg => "no NSG",
            NoNsgRules::NotEvaluated => "not evaluated (the path ended first)",
            NoNsgRules::NotApplicable => "n/a",
        }
    }
}

/// Why a hop has no NSG rules: whether its NIC or subnet has an NSG at all.
fn no_nsg_rules(snap: &Snapshot, hop: &Hop) -> NoNsgRules {
    if !hop.nsg.is_empty() {
        return NoNsgRules::Listed;
    }
    let nic_nsg = match hop.resource {
        HopResource::Nic(n) => snap.nics[n.index()].nsg.is_some(),
        HopResource::Host(_) => false,
        _ => return NoNsgRules::NotApplicable,
    };
    let subnet_nsg = hop.subnet.is_some_and(|s| snap.subnets[s.index()].nsg.is_some());
    if nic_nsg || subnet_nsg { NoNsgRules::NotEvaluated } else { NoNsgRules::NoNsg }
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FindingView {
    pub code: String,
    pub severity: String,
    pub resources: Vec<String>,
    pub message: String,
    pub evidence: Vec<String>,
    pub fix: String,
}

impl FindingView {
    pub fn new(snap: &Snapshot, f: &Finding) -> FindingView {
        let text = finding_text::render(snap, f);
        FindingView {
            code: f.code.to_string(),
            severity: f.severity.as_str().to_string(),
            resources: finding_text::resource_ids(snap, f),
            message: text.message,
            evidence: text.evidence,
            fix: text.fix,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestView {
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_resource: Option<ResourceView>,
    pub destination: String,
    pub protocol: String,
    pub source_port: u16,
    pub destination_port: u16,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PathView {
    pub verdict: String,
    pub hops: Vec<HopView>,
    pub findings: Vec<FindingView>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TraceView {
    pub verdict: String,
    pub request: RequestView,
    pub hops: Vec<HopView>,
    /// How the request got its public source, when it left for the Internet (§17.2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub egress: Option<EgressView>,
    /// Every finding of both directions and of their comparison.
    pub findings: Vec<FindingView>,
    /// The reply, `null` when none was traced (the request did not arrive).
    #[serde(rename = "return")]
    pub reply: Option<PathView>,
    pub assumptions: Vec<String>,
}

/// `"egress": {"method", "publicIps"}` (§17.2).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EgressView {
    pub method: String,
    /// Addresses and prefixes; the id of a public IP or prefix whose address the snapshot lacks.
    pub public_ips: Vec<String>,
}

fn egress_view(egress: &Egress) -> EgressView {
    let address = |a: &EgressAddress| match a {
        EgressAddress::Address(ip) => ip.to_string(),
        EgressAddress::Prefix(p) => p.to_string(),
        EgressAddress::Unknown(id) => id.to_string(),
    };
    EgressView {
        method: egress.method.as_str().to_string(),
        public_ips: egress.public_ips.iter().map(address).collect(),
    }
}

fn hop_view(snap: &Snapshot, index: usize, hop: &Hop) -> HopView {
    HopView {
        index,
        kind: hop.kind.as_str().to_string(),
        resource: ResourceView { name: hop_name(snap, &hop.resource), id: hop_id(snap, &hop.resource) },
        address: hop.address.map(|a| a.to_string()),
        subnet: hop
            .subnet
            .map(|s| ResourceView { name: snap.subnet_label(s), id: snap.subnets[s.index()].id.to_string() }),
        route: hop.route.as_ref().map(|used| {
            let r = used.route.route();
            RouteView {
                address_prefix: used.prefix.to_string(),
                source: r.source.as_str().to_string(),
                state: r.state.as_str().to_string(),
                next_hop_type: r.next_hop_type.as_str().to_string(),
                next_hop_ip_address: r.next_hop_ips.iter().map(|i| i.to_string()).collect(),
                name: r.name.clone(),
                route_table_id: match r.origin {
                    RouteOrigin::User { table, .. } => snap.route_tables[table.index()].id.to_string(),
                    _ => "System Route".to_string(),
                },
            }
        }),
        nsg_rules: hop
            .nsg
            .iter()
            .map(|c| {
                let nsg = &snap.nsgs[c.evaluation.nsg.index()];
                NsgRuleView {
                    network_security_group: ResourceView { name: nsg.name.clone(), id: nsg.id.to_string() },
                    applied_to: c.evaluation.applied_to.as_str().to_string(),
                    direction: c.direction.as_str().to_string(),
                    access: c.evaluation.access.as_str().to_string(),
                    rule_name: c.evaluation.rule_name.to_string(),
                    by_flow_state: c.by_flow_state,
                }
            })
            .collect(),
        notes: hop.notes.iter().map(|n| note_text(snap, n)).collect(),
        no_nsg_rules: no_nsg_rules(snap, hop),
    }
}

/// A hop's note in words.
pub fn note_text(snap: &Snapshot, note: &HopNote) -> String {
    let vnet = |v: &VnetIdx| snap.vnets[v.index()].name.as_str();
    match note {
        HopNote::ServiceTagUnknown { tag } => {
            format!("service tag `{tag}` is not known (no Service Tags file or not in it); rules using it never match")
        }
        HopNote::PublicIpTranslated { public, private } => format!("public IP {public} is translated to {private}"),
        HopNote::EntersThroughGateway => {
            "enters Azure through the gateway; the GatewaySubnet's routes decide".to_string()
        }
        HopNote::EntersFromBranch { connection, kind } => format!(
            "enters the hub from the branch by {} gateway `{}`, connection `{}`; its associated route table decides",
            match kind {
                azroute_engine::OfferKind::ExpressRoute => "ExpressRoute",
                _ => "VPN",
            },
            // `…/vpnGateways/GATEWAY/vpnConnections/CONNECTION` (or the ExpressRoute pair).
            connection.as_str().rsplit('/').nth(2).unwrap_or("?"),
            connection.last_segment()
        ),
        HopNote::PrivateDestinationLost => "a private destination sent to the Internet is not delivered".to_string(),
        HopNote::LeavesWithSourceNat => "leaves Azure with source NAT to a public IP".to_string(),
        HopNote::PrivateEndpointTcpOnly => "private endpoints carry TCP only".to_string(),
        HopNote::CrossesPeering { from, to } => format!("crosses the peering from `{}` to `{}`", vnet(from), vnet(to)),
        HopNote::AdminRule { name, access } => match access {
            AdminAccess::Allow => format!("security admin rule `{name}` (Allow) matched first; the NSGs decide"),
            AdminAccess::AlwaysAllow => {
                format!("security admin rule `{name}` (AlwaysAllow) admits the packet; the NSGs are not evaluated")
            }
            AdminAccess::Deny => format!("security admin rule `{name}` (Deny) drops the packet before any NSG"),
        },
        HopNote::ForwardedTrafficRefused { into } => {
            format!("crossing peering into `{}`: forwarded traffic refused", vnet(into))
        }
        HopNote::AvnmPeeringForwardedTraffic { peering, allowed } => format!(
            "peering `{}` is added from its hub-and-spoke configuration (not in the snapshot): forwarded traffic {} (--avnm-peering-forwarded-traffic, C32)",
            snap.peerings[peering.index()].name,
            if *allowed { "assumed allowed" } else { "refused" }
        ),
        HopNote::FirstBackend => {
            "the load balancer's first backend; Azure hashes each flow to one healthy backend".to_string()
        }
        HopNote::GatewayTransit { hub } => {
            format!("reached by gateway transit in `{}`", hub.as_ref().map(vnet).unwrap_or_default())
        }
        HopNote::VnetToVnet { connection, remote_vnet } => format!(
            "VNet-to-VNet connection `{}` to `{}`",
            snap.connections[connection.index()].name,
            vnet(remote_vnet)
        ),
        HopNote::Site { local_gateway, connection } => {
            let c = &snap.connections[connection.index()];
            format!(
                "site `{}` via connection `{}` ({})",
                snap.local_gateways[local_gateway.index()].name,
                c.name,
                if c.status.is_empty() { "status unknown" } else { &c.status }
            )
        }
        HopNote::DefaultSite { gateway, destination, site } => format!(
            "no on-premises prefix of `{}` contains {destination}: the gateway sends it to its default site{} (forced tunnelling, gatewayDefaultSite); the on-premises side decides",
            snap.gateways[gateway.index()].name,
            site.map(|s| format!(" `{}`", snap.local_gateways[s.index()].name)).unwrap_or_default()
        ),
        HopNote::ReplyToTranslatingNva => {
            "the reply returns to the NVA that sent the request to the Internet".to_string()
        }
        HopNote::ReplyRetracesRequest => "reply retraces the request (no routing decision on the way back)".to_string(),
        HopNote::FirewallAllowed { rule } => format!("allowed by {}", crate::finding_text::rule_place_text(snap, rule)),
        HopNote::FirewallTranslated { source, destination } => {
            let mut parts = Vec::new();
            if let Some(s) = source {
                parts.push(format!("source NAT to {s}"));
            }
            if let Some((d, port)) = destination {
                parts.push(format!("destination NAT to {d}{}", port.map(|p| format!(":{p}")).unwrap_or_default()));
            }
            parts.join(", ")
        }
        HopNote::FirewallSnatUnknown => {
            "source NAT unknown: the policy learns its private ranges from Route Server, and the learned list is not in the snapshot".to_string()
        }
        HopNote::FirewallFlowState => "the reply of a session the firewall saw start passes without a rule".to_string(),
        HopNote::FirewallRulesNotEvaluated => "routing only: the firewall's rules are not evaluated".to_string(),
        HopNote::ReplyToTranslatingFirewall => {
            "the reply returns to the firewall that translated the request's source".to_string()
        }
        HopNote::FirewallNoSession => {
            "the firewall saw no session start for this reply (the request did not cross it) and drops it".to_string()
        }
    }
}

/// What a trace assumed, in words.
pub fn assumption_text(snap: &Snapshot, assumption: &Assumption) -> String {
    match assumption {
        Assumption::NvaForwardsWithoutSnat => "the guest OS of every NVA forwards what Azure delivers to it, without SNAT (the snapshot holds no guest configuration)".to_string(),
        Assumption::MultiNicSource { vm } => format!(
            "`{}` has several NICs; only the primary NIC gets a default route in the guest OS, so traffic leaves by the NIC traced here only if the guest's routes send it there",
            snap.vms[vm.index()].name
        ),
        Assumption::ServiceRepliesRetrace => "replies from an Azure service or private endpoint are assumed to retrace the request; behind a firewall, Azure recommends SNAT there to keep them symmetric".to_string(),
        Assumption::FirstBackend => "a load balancer in front of NVAs is traced to its first backend; Azure hashes each flow to one healthy backend".to_string(),
        Assumption::PowerStateUnknown => "a VM on the path has no power state in the export (`az vm list` without `-d`): it is assumed running".to_string(),
        Assumption::SourceNotRunning { vm } => {
            let v = &snap.vms[vm.index()];
            format!(
                "the source VM `{}` is not running ({}): traced from its configuration as if it were started (Network Watcher answers only for a running VM)",
                v.name,
                v.power_state.as_ref().map(|p| p.as_str()).unwrap_or_default()
            )
        }
        Assumption::FirewallInspectionNotModelled { threat_intel_deny: false } => "Azure Firewall threat intelligence, IDPS and TLS inspection are not evaluated (no feed or signatures in a snapshot)".to_string(),
        Assumption::DefaultOutboundAccessAssumed => "the subnet the packet left from does not say `defaultOutboundAccess` (older API versions and tools leave it null): default outbound access is assumed; subnets of VNets created after 31 March 2026 are private by default (`--default-outbound-unset private`)".to_string(),
        Assumption::AvnmPeeringForwardedTraffic { allowed } => format!(
            "a forwarded packet crossed a hub–spoke peering azroute added from a Virtual Network Manager hub-and-spoke configuration (the snapshot lacks it); whether AVNM's peerings allow forwarded traffic is not documented: {} (--avnm-peering-forwarded-traffic, §18.7, C32)",
            if *allowed { "assumed allowed" } else { "refused, as chosen" }
        ),
        Assumption::BranchSendsToHub => "the branch's own network sends this packet to its Virtual WAN hub (the hub advertises the destination to it) and takes the reply back; the branch's devices and routes are in no snapshot".to_string(),
        Assumption::VwanSecuredSpokeInterHub { local_firewall } => format!(
            "the path leaves a spoke or branch of a Virtual WAN hub with a private-traffic policy for another hub: {} (--vwan-secured-spoke-inter-hub, §20.14, C38)",
            if *local_firewall {
                "through the local firewall first, as Microsoft's routing-intent traffic tables show, even where the hub also holds a more specific Remote Hub route"
            } else {
                "by the more specific Remote Hub route, past the local firewall, as chosen"
            }
        ),
        Assumption::AvnmConfigurationAssumed => "Virtual Network Manager configurations are assumed deployed where the snapshot holds no deployment state for them (no effective answer, active list or Terraform deployment, §18.6); a connected group is assumed protected from more specific BGP routes like a peering (--connected-group-precedence); security admin rules are assumed stateful like NSGs (§18.5)".to_string(),
        Assumption::DnatMatch { respects_network_deny: false } => "a DNAT match is final: the translated flow is not run through the network rules, so an explicit network Deny does not stop it (the rule-processing page; the FAQ and the DNAT tutorial say otherwise, conflict C21: `--dnat-respects-network-deny`)".to_string(),
        Assumption::DnatToPrivateIp { supported } => crate::firewall::dnat_private_ip_text(*supported).to_string(),
        Assumption::DnatMatch { respects_network_deny: true } => "the DNAT-translated flow was run through the network rules and no explicit Deny stopped it (option --dnat-respects-network-deny, conflict C21; the rule-processing page says a DNAT match is final)".to_string(),
        Assumption::FirewallInspectionNotModelled { threat_intel_deny: true } => "Azure Firewall threat intelligence is in Deny mode and one end is public: its feed, not in the snapshot, may drop this flow; IDPS and TLS inspection are not evaluated either".to_string(),
    }
}

/// Codes that say what happened to the packet rather than why: a drop at a `None` route, a
/// private destination lost to the Internet route, no route, nobody at the destination. The
/// causes a trace finds for them (a peering not Connected, a peer of a peer, gateway routes
/// suppressed or transit half set) explain them, so they are listed after those.
fn is_symptom(code: FindingCode) -> bool {
    matches!(
        code,
        FindingCode::DroppedByNoneRoute
            | FindingCode::PrivateDestinationToInternet
            | FindingCode::NoRoute
            | FindingCode::NoHostAtDestination
    )
}

/// Findings in the order a person reads them: root causes first, then the symptoms they
/// explain; otherwise in the order the walk met them. JSON, table and Mermaid all use it.
fn by_cause(findings: &[Finding]) -> impl Iterator<Item = &Finding> {
    let causes = findings.iter().filter(|f| !is_symptom(f.code));
    causes.chain(findings.iter().filter(|f| is_symptom(f.code)))
}

fn path_view(snap: &Snapshot, path: &PathTrace) -> PathView {
    PathView {
        verdict: path.verdict.as_str().to_string(),
        hops: path.hops.iter().enumerate().map(|(i, h)| hop_view(snap, i, h)).collect(),
        findings: by_cause(&path.findings).map(|f| FindingView::new(snap, f)).collect(),
    }
}

pub fn view(snap: &Snapshot, trace: &Trace) -> TraceView {
    let r = &trace.request;
    let (source, source_resource) = match r.source {
        TraceSource::Nic { nic, ip } => {
            let n = &snap.nics[nic.index()];
            (ip.to_string(), Some(ResourceView { name: n.name.clone(), id: n.id.to_string() }))
        }
        TraceSource::Host { subnet, ip } => {
            let s = &snap.subnets[subnet.index()];
            (ip.to_string(), Some(ResourceView { name: s.name.clone(), id: s.id.to_string() }))
        }
        TraceSource::External(ip) => (ip.to_string(), None),
    };
    TraceView {
        verdict: trace.forward.verdict.as_str().to_string(),
        request: RequestView {
            source,
            source_resource,
            destination: r.destination.to_string(),
            protocol: r.protocol.as_str().to_string(),
            source_port: r.source_port,
            destination_port: r.destination_port,
        },
        hops: trace.forward.hops.iter().enumerate().map(|(i, h)| hop_view(snap, i, h)).collect(),
        egress: trace.forward.egress.as_ref().map(egress_view),
        findings: by_cause(&trace.findings).map(|f| FindingView::new(snap, f)).collect(),
        reply: trace.reverse.as_ref().map(|p| path_view(snap, p)),
        assumptions: trace.assumptions.list().map(|a| assumption_text(snap, &a)).collect(),
    }
}

pub fn json(view: &TraceView) -> String {
    serde_json::to_string_pretty(view).expect("views serialize")
}

fn hop_rows(hops: &[HopView]) -> Vec<Vec<String>> {
    hops.iter()
        .map(|h| {
            let route = h
                .route
                .as_ref()
                .map(|r| {
                    let mut s = format!("{} → {}", r.address_prefix, r.next_hop_type);
                    if let Some(ip) = r.next_hop_ip_address.first() {
                        s.push_str(&format!(" {ip}"));
                    }
                    s.push_str(&format!(
                        " ({})",
                        if r.route_table_id == "System Route" {
                            format!("{}, System Route", r.source)
                        } else {
                            format!(
                                "{}, {}",
                                r.name.clone().unwrap_or_default(),
                                r.route_table_id.rsplit('/').next().unwrap_or_default()
                            )
                        }
                    ));
                    s
                })
                .unwrap_or_default();
            let nsg = h
                .nsg_rules
                .iter()
                .map(|n| {
                    if n.by_flow_state {
                        format!("{} {}: allowed by flow state", n.network_security_group.name, n.direction)
                    } else {
                        format!("{} {}: {} {}", n.network_security_group.name, n.direction, n.access, n.rule_name)
                    }
                })
                .collect::<Vec<_>>()
                .join("; ");
            let nsg = if nsg.is_empty() { h.no_nsg_rules.as_str().to_string() } else { nsg };
            vec![
                h.index.to_string(),
                h.kind.clone(),
                h.resource.name.clone(),
                h.address.clone().unwrap_or_default(),
                route,
                nsg,
            ]
        })
        .collect()
}

const HEADERS: [&str; 6] = ["#", "Hop", "Resource", "Address", "Route Used", "NSG"];

/// The trace for a person: both directions hop by hop, then findings with their fixes.
pub fn text(view: &TraceView) -> String {
    let r = &view.request;
    let mut out = format!(
        "Request {} → {} {}/{} (source port {}): {}\n\n",
        r.source_resource.as_ref().map(|s| format!("{} ({})", r.source, s.name)).unwrap_or_else(|| r.source.clone()),
        r.destination,
        r.protocol,
        r.destination_port,
        r.source_port,
        crate::style::paint(&view.verdict)
    );
    out.push_str(&table::render(&HEADERS, &hop_rows(&view.hops)));
    for h in &view.hops {
        for n in &h.notes {
            out.push_str(&format!("  [{}] {}\n", h.index, n));
        }
    }
    if let Some(e) = &view.egress {
        let ips = if e.public_ips.is_empty() { "address not known".to_string() } else { e.public_ips.join(", ") };
        out.push_str(&format!("Egress: {} ({ips})\n", e.method));
    }
    if let Some(reply) = &view.reply {
        out.push_str(&format!("\nReply {} → {}: {}\n\n", r.destination, r.source, crate::style::paint(&reply.verdict)));
        out.push_str(&table::render(&HEADERS, &hop_rows(&reply.hops)));
        for h in &reply.hops {
            for n in &h.notes {
                out.push_str(&format!("  [{}] {}\n", h.index, n));
            }
        }
    }
    if view.findings.is_empty() {
        out.push_str("\nNo findings.\n");
    } else {
        out.push_str("\nFindings:\n");
        for f in &view.findings {
            let severity = crate::style::paint(&f.severity.to_ascii_uppercase());
            out.push_str(&format!("  {severity} {}: {}\n", f.code, f.message));
            for e in &f.evidence {
                out.push_str(&format!("      evidence: {e}\n"));
            }
            out.push_str(&format!("      fix: {}\n", f.fix));
        }
    }
    if !view.assumptions.is_empty() {
        out.push_str("\nAssumptions:\n");
        for a in &view.assumptions {
            out.push_str(&format!("  - {a}\n"));
        }
    }
    out
}

fn mermaid_text(text: &str) -> String {
    // Backticks would start Mermaid's markdown strings; quotes and angle brackets end labels.
    text.replace('"', "#quot;").replace('<', "#lt;").replace('>', "#gt;").replace('`', "'")
}

/// Hops that fail: the last hop of a direction that did not arrive, and every hop whose
/// resource an error finding names.
fn failing_hops(view: &TraceView, verdict: &str, hops: &[HopView]) -> Vec<usize> {
    let named: Vec<&str> = view
        .findings
        .iter()
        .filter(|f| f.severity == "error")
        .flat_map(|f| f.resources.iter().map(String::as_str))
        .collect();
    let mut failing: Vec<usize> = hops
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.resource.id.is_empty() && named.contains(&h.resource.id.as_str()))
        .map(|(i, _)| i)
        .collect();
    if matches!(verdict, "Dropped" | "Loop") && !hops.is_empty() {
        failing.push(hops.len() - 1);
    }
    failing.sort_unstable();
    failing.dedup();
    failing
}

fn mermaid_path(out: &mut String, prefix: &str, title: &str, hops: &[HopView], failing: &[usize]) {
    out.push_str(&format!("  subgraph {prefix}[\"{}\"]\n", mermaid_text(title)));
    out.push_str("    direction LR\n");
    for (i, h) in hops.iter().enumerate() {
        let label = format!(
            "{}<br/>{}{}",
            h.kind,
            mermaid_text(&h.resource.name),
            h.address.as_ref().map(|a| format!("<br/>{a}")).unwrap_or_default()
        );
        let class = if failing.contains(&i) { ":::failing" } else { "" };
        out.push_str(&format!("    {prefix}{i}[\"{label}\"]{class}\n"));
    }
    for i in 1..hops.len() {
        let prev = &hops[i - 1];
        let label =
            prev.route.as_ref().map(|r| format!("{} {}", r.address_prefix, r.next_hop_type)).unwrap_or_default();
        if label.is_empty() {
            out.push_str(&format!("    {prefix}{} --> {prefix}{i}\n", i - 1));
        } else {
            out.push_str(&format!("    {prefix}{} -->|\"{}\"| {prefix}{i}\n", i - 1, mermaid_text(&label)));
        }
    }
    out.push_str("  end\n");
}

/// The verdict a title shows: the request's, and that it fails when an error finding says so
/// (an asymmetric path is delivered, then dropped by the firewall).
fn overall_verdict(view: &TraceView) -> String {
    let errors: Vec<&str> = view.findings.iter().filter(|f| f.severity == "error").map(|f| f.code.as_str()).collect();
    if errors.is_empty() || matches!(view.verdict.as_str(), "Dropped" | "Loop") {
        view.verdict.clone()
    } else {
        format!("{}, but fails: {}", view.verdict, errors.join(", "))
    }
}

/// A Mermaid flowchart of the request and the reply: the verdict in the title, failing hops
/// styled as failing, and each finding with its fix as a visible note linked to its hop.
pub fn mermaid(view: &TraceView) -> String {
    let r = &view.request;
    let mut out = String::from("flowchart TB\n");
    let failing = failing_hops(view, &view.verdict, &view.hops);
    let title = format!(
        "Request {} → {} {}/{}: {}",
        r.source,
        r.destination,
        r.protocol,
        r.destination_port,
        overall_verdict(view)
    );
    mermaid_path(&mut out, "req", &title, &view.hops, &failing);
    let reply_failing = view.reply.as_ref().map(|p| failing_hops(view, &p.verdict, &p.hops)).unwrap_or_default();
    if let Some(reply) = &view.reply {
        let title = format!("Reply {} → {}: {}", r.destination, r.source, reply.verdict);
        mermaid_path(&mut out, "rep", &title, &reply.hops, &reply_failing);
    }
    mermaid_findings(&mut out, view, &failing, &reply_failing);
    out.push_str("  classDef failing fill:#fdd,stroke:#c00,stroke-width:3px\n");
    out.push_str("  classDef error fill:#fee,stroke:#c00\n");
    out.push_str("  classDef warning fill:#ffd,stroke:#a80\n");
    out.push_str("  classDef info fill:#eef,stroke:#558\n");
    out
}

/// One note per finding (severity, code, message, fix), linked to the failing hops it names.
fn mermaid_findings(out: &mut String, view: &TraceView, failing: &[usize], reply_failing: &[usize]) {
    if view.findings.is_empty() {
        return;
    }
    out.push_str("  subgraph findings[\"Findings\"]\n    direction TB\n");
    for (i, f) in view.findings.iter().enumerate() {
        let label = format!(
            "{} {}<br/>{}<br/>fix: {}",
            f.severity.to_ascii_uppercase(),
            f.code,
            mermaid_text(&f.message),
            mermaid_text(&f.fix)
        );
        out.push_str(&format!("    f{i}[\"{label}\"]:::{}\n", f.severity));
    }
    out.push_str("  end\n");
    for (i, f) in view.findings.iter().enumerate() {
        let names = |h: &HopView| !h.resource.id.is_empty() && f.resources.contains(&h.resource.id);
        let mut linked = false;
        for (prefix, hops, marked) in [("req", &view.hops, failing)]
            .into_iter()
            .chain(view.reply.as_ref().map(|p| ("rep", &p.hops, reply_failing)))
        {
            for &h in marked.iter().filter(|&&h| names(&hops[h])) {
                out.push_str(&format!("  {prefix}{h} -.- f{i}\n"));
                linked = true;
            }
        }
        // A drop the finding does not name a hop for: link it to the request's last failing hop.
        if !linked && let Some(&last) = failing.last() {
            out.push_str(&format!("  req{last} -.- f{i}\n"));
        }
    }
}
