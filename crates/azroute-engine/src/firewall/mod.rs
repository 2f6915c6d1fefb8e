//! Azure Firewall's verdict for one flow (§16.2, §16.3): the rule collections read in Azure's
//! order (`order.rs`), each rule matched in three values (`matching.rs`), the first collection
//! with a matching rule deciding; the translation (DNAT) and source NAT of an allowed flow
//! (`snat.rs`). What the snapshot cannot decide makes the verdict `Indeterminate` with its
//! reasons, never a silent allow. Everything here is data; the report crate words it.

mod matching;
mod order;
mod shadowing;
mod snat;

use std::net::IpAddr;

use azroute_model::*;

pub use matching::{RuleMatch, fqdn_matches};
pub use shadowing::{ShadowedRule, app_rules_shadowed_by_network, shadowed_rules};
pub use snat::{Snat, private_ranges};

use matching::MatchContext;
use order::{Placed, ordered, policy_chain};

/// One flow as the firewall sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallFlow {
    pub source: IpAddr,
    pub source_port: Option<u16>,
    pub destination: IpAddr,
    pub destination_port: Option<u16>,
    /// `None`: any protocol (`--protocol Any`).
    pub protocol: Option<Protocol>,
    /// The host name (HTTP Host, TLS SNI) application rules match, and the name a network
    /// rule's FQDN resolved to: `--fqdn`.
    pub fqdn: Option<String>,
}

/// `action` of a verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FirewallAction {
    Allow,
    Deny,
    Indeterminate,
}

/// The pass that decided (§16.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FirewallPass {
    ThreatIntel,
    Dnat,
    Network,
    Application,
    Default,
}

impl FirewallPass {
    fn of(kind: FwRuleKind) -> FirewallPass {
        match kind {
            FwRuleKind::Nat => FirewallPass::Dnat,
            FwRuleKind::Network => FirewallPass::Network,
            FwRuleKind::Application => FirewallPass::Application,
        }
    }
}

/// Why a rule did not match: the first field that failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoMatch {
    Protocol,
    Source,
    Destination,
    Port,
    /// An application rule and a flow that is not TCP to one of its HTTP/HTTPS/MSSQL ports.
    NotApplicationProtocol,
    /// The host name given is none of the rule's targets.
    HostName,
    /// An FQDN destination of a network rule on a firewall without DNS proxy (§16.2).
    FqdnWithoutDnsProxy,
    /// A DNAT rule and a flow to the firewall's private IP, which the options or the firewall's
    /// tier do not support (C33).
    DnatToPrivateIpUnsupported,
}

/// Why a rule could not be decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Undecided {
    /// An application rule with target FQDNs and no `--fqdn`.
    NeedsFqdn,
    /// A network rule's FQDNs: their addresses are not in the snapshot.
    FqdnNotResolved {
        fqdns: Vec<String>,
    },
    MissingIpGroup {
        id: ArmId,
    },
    ServiceTagsMissing {
        tag: String,
    },
    UnknownServiceTag {
        tag: String,
    },
    FqdnTagsNotModelled {
        tags: Vec<String>,
    },
    WebCategoriesNotModelled {
        categories: Vec<String>,
    },
    TargetUrlsNeedUrl,
    /// A DNAT rule's `translatedFqdn`, which the firewall resolves itself.
    TranslatedFqdn {
        fqdn: String,
    },
    /// A collection action azroute does not know (a classic `Snat` NAT collection).
    UnknownAction {
        action: String,
    },
}

/// Why a verdict is `Indeterminate`, besides an undecided rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndeterminateReason {
    /// A rule that may match and decides the flow if it does.
    Rule { rule: RulePlace, undecided: Undecided },
    /// The firewall's policy (or a parent) is not in the snapshot.
    MissingPolicy { id: ArmId },
    /// A policy without rule collection groups: the groups are separate resources (§16.1).
    PolicyWithoutGroups { policy: FirewallPolicyIdx },
    /// A secured-hub (`AZFW_Hub`) firewall forwards by Virtual WAN routing, not modelled.
    HubFirewall,
}

/// Where a rule sits: policy, group, collection, rule (names as exported).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RulePlace {
    pub policy: Option<FirewallPolicyIdx>,
    pub group: Option<String>,
    pub group_priority: Option<u32>,
    pub collection: String,
    pub collection_priority: Option<u32>,
    pub action: FwAction,
    pub pass: FirewallPass,
    /// The rule's name; `None` for the default deny.
    pub rule: Option<String>,
}

/// The destination translation of a DNAT rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dnat {
    pub translated_address: IpAddr,
    pub translated_port: Option<u16>,
}

/// What the answer assumed or could not evaluate (said in every answer).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FirewallCaveats {
    /// Threat intelligence in `Deny` mode and a public end: the feed is not in the snapshot.
    pub threat_intel_deny: bool,
    /// A network rule's FQDN matched by `--fqdn`: clients resolve through the firewall's DNS.
    pub fqdn_resolved_by_proxy: bool,
    /// The flow is addressed to the firewall's private IP: `Some(whether DNAT to it is
    /// supported)` (C33).
    pub dnat_private_ip: Option<bool>,
}

/// One candidate rule of `--explain`, in processing order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CandidateRule {
    pub place: RulePlace,
    pub result: RuleMatch,
}

/// The firewall's verdict for one flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallVerdict {
    pub firewall: FirewallIdx,
    pub action: FirewallAction,
    pub pass: FirewallPass,
    /// The deciding rule (or the default deny); for `Indeterminate`, the first undecided one.
    pub decided_by: Option<RulePlace>,
    pub snat: Option<Snat>,
    pub dnat: Option<Dnat>,
    /// Rules passed over that could never match as configured (an FQDN network rule without DNS
    /// proxy): worth knowing even when another rule decides.
    pub skipped: Vec<(RulePlace, NoMatch)>,
    pub reasons: Vec<IndeterminateReason>,
    pub caveats: FirewallCaveats,
    /// Every candidate, when asked for (`--explain`).
    pub candidates: Vec<CandidateRule>,
}

/// Evaluates a firewall's rules for a flow (§16.2): DNAT, network, application, default deny.
pub fn evaluate_firewall(
    snap: &Snapshot,
    firewall: FirewallIdx,
    flow: &FirewallFlow,
    options: &FirewallOptions,
    explain: bool,
) -> FirewallVerdict {
    let fw = &snap.firewalls[firewall.index()];
    let (chain, missing) = policy_chain(snap, fw);
    let mut v = FirewallVerdict::undecided(firewall);
    v.caveats.threat_intel_deny = threat_intel_deny(snap, fw, &chain) && has_public_end(flow);
    if let Some(id) = missing {
        v.reasons.push(IndeterminateReason::MissingPolicy { id });
    }
    for &p in &chain {
        if snap.firewall_policies[p.index()].rule_collection_groups.is_empty() {
            v.reasons.push(IndeterminateReason::PolicyWithoutGroups { policy: p });
        }
    }
    if !v.reasons.is_empty() {
        v.action = FirewallAction::Indeterminate;
        return v;
    }
    let ctx = MatchContext {
        snap,
        dns_proxy: dns_proxy(snap, fw, &chain),
        private_ips: fw.private_ips().collect(),
        dnat_private_ip: options.dnat_private_ip_supported(fw),
    };
    if fw.private_ips().any(|ip| ip == flow.destination) {
        v.caveats.dnat_private_ip = Some(ctx.dnat_private_ip);
    }
    for kind in [FwRuleKind::Nat, FwRuleKind::Network, FwRuleKind::Application] {
        let collections = ordered(snap, fw, &chain, kind, options.inherit_parent_dnat);
        if run_pass(&ctx, flow, &collections, explain, &mut v) {
            if v.pass == FirewallPass::Dnat && options.dnat_respects_network_deny {
                let network = ordered(snap, fw, &chain, FwRuleKind::Network, options.inherit_parent_dnat);
                network_deny_after_dnat(&ctx, flow, &network, explain, &mut v);
            }
            if v.action == FirewallAction::Allow {
                v.snat = Some(snat::decide(snap, fw, &chain, flow, v.pass, options));
            }
            return v;
        }
    }
    v.decided_by = Some(RulePlace {
        policy: None,
        group: None,
        group_priority: None,
        collection: String::new(),
        collection_priority: None,
        action: FwAction::Deny,
        pass: FirewallPass::Default,
        rule: None,
    });
    v
}

impl FirewallVerdict {
    /// No rule seen yet: the default deny.
    fn undecided(firewall: FirewallIdx) -> FirewallVerdict {
        FirewallVerdict {
            firewall,
            action: FirewallAction::Deny,
            pass: FirewallPass::Default,
            decided_by: None,
            snat: None,
            dnat: None,
            skipped: Vec::new(),
            reasons: Vec::new(),
            caveats: FirewallCaveats::default(),
            candidates: Vec::new(),
        }
    }
}

/// C21 with `dnat_respects_network_deny` (the FAQ's and the DNAT tutorial's reading, §16.6): the
/// translated flow meets the network rules, and an explicit Deny there (or a rule that cannot be
/// decided before one) wins over the DNAT rule's implicit allow; an Allow or no match keeps it.
fn network_deny_after_dnat(
    ctx: &MatchContext<'_>,
    flow: &FirewallFlow,
    network: &[Placed<'_>],
    explain: bool,
    v: &mut FirewallVerdict,
) {
    let (FirewallAction::Allow, Some(dnat)) = (v.action, v.dnat.clone()) else { return };
    let translated = FirewallFlow {
        destination: dnat.translated_address,
        destination_port: dnat.translated_port.or(flow.destination_port),
        ..flow.clone()
    };
    let mut after = FirewallVerdict::undecided(v.firewall);
    let decided = run_pass(ctx, &translated, network, explain, &mut after);
    v.candidates.append(&mut after.candidates);
    if decided && after.action != FirewallAction::Allow {
        v.action = after.action;
        v.pass = after.pass;
        v.decided_by = after.decided_by;
        v.reasons = after.reasons;
        v.dnat = None;
    }
}

/// One pass over its collections in order; true when a collection decided (or could not be
/// decided, which stops the evaluation: a later collection cannot be known to apply).
fn run_pass(
    ctx: &MatchContext<'_>,
    flow: &FirewallFlow,
    collections: &[Placed<'_>],
    explain: bool,
    v: &mut FirewallVerdict,
) -> bool {
    for placed in collections {
        let c = placed.collection;
        let mut first_unknown: Option<(RulePlace, Undecided)> = None;
        for rule in &c.rules {
            let result = match c.kind {
                FwRuleKind::Nat => ctx.nat(rule, flow),
                FwRuleKind::Network => ctx.network(rule, flow),
                FwRuleKind::Application => ctx.application(rule, flow),
            };
            let place = place_of(placed, Some(&rule.name));
            if explain {
                v.candidates.push(CandidateRule { place: place.clone(), result: result.clone() });
            }
            match result {
                RuleMatch::Yes => {
                    if c.kind == FwRuleKind::Nat {
                        match translation(rule) {
                            Ok(dnat) => v.dnat = Some(dnat),
                            Err(undecided) => {
                                first_unknown.get_or_insert((place, undecided));
                                continue;
                            }
                        }
                    }
                    // Every rule of a filter collection shares its action, so a match decides
                    // even after an undecided rule; in a NAT collection the earlier rule's
                    // translation would apply instead.
                    if first_unknown.is_none() || c.kind != FwRuleKind::Nat {
                        return decide(v, place, c);
                    }
                }
                RuleMatch::Unknown(u) => {
                    first_unknown.get_or_insert((place, u));
                }
                RuleMatch::No(NoMatch::FqdnWithoutDnsProxy) => v.skipped.push((place, NoMatch::FqdnWithoutDnsProxy)),
                RuleMatch::No(_) => {}
            }
        }
        if let Some((place, undecided)) = first_unknown {
            v.action = FirewallAction::Indeterminate;
            v.pass = place.pass;
            v.reasons.push(IndeterminateReason::Rule { rule: place.clone(), undecided });
            v.decided_by = Some(place);
            return true;
        }
    }
    false
}

/// A matching rule decides: its collection's action.
fn decide(v: &mut FirewallVerdict, place: RulePlace, c: &FwRuleCollection) -> bool {
    v.pass = place.pass;
    v.action = match c.action {
        FwAction::Allow | FwAction::Dnat => FirewallAction::Allow,
        FwAction::Deny => FirewallAction::Deny,
        // A classic `Snat` NAT collection or an unknown action: azroute cannot say.
        FwAction::Snat | FwAction::Other(_) => FirewallAction::Indeterminate,
    };
    if v.action == FirewallAction::Indeterminate {
        let undecided = Undecided::UnknownAction { action: c.action.as_str().to_string() };
        v.reasons.push(IndeterminateReason::Rule { rule: place.clone(), undecided });
    }
    v.decided_by = Some(place);
    true
}

fn place_of(placed: &Placed<'_>, rule: Option<&str>) -> RulePlace {
    RulePlace {
        policy: placed.policy,
        group: placed.group.map(|g| g.name.clone()),
        group_priority: placed.group.and_then(|g| g.priority),
        collection: placed.collection.name.clone(),
        collection_priority: placed.collection.priority,
        action: placed.collection.action.clone(),
        pass: FirewallPass::of(placed.collection.kind),
        rule: rule.map(str::to_string),
    }
}

/// A DNAT rule's translation; a `translatedFqdn` is resolved by the firewall, not offline.
fn translation(rule: &FwRule) -> Result<Dnat, Undecided> {
    let port = rule.translated_port.as_deref().and_then(|p| p.trim().parse().ok());
    match rule.translated_address.as_deref().and_then(|a| parse_ip(a).ok()) {
        Some(translated_address) => Ok(Dnat { translated_address, translated_port: port }),
        None => Err(Undecided::TranslatedFqdn { fqdn: rule.translated_fqdn.clone().unwrap_or_default() }),
    }
}

/// DNS proxy: the firewall's own policy (parents' settings are not inherited, §16.2), or the
/// classic setting.
fn dns_proxy(snap: &Snapshot, fw: &Firewall, chain: &[FirewallPolicyIdx]) -> bool {
    match chain.last() {
        Some(p) => snap.firewall_policies[p.index()].dns_proxy,
        None => fw.dns_proxy.unwrap_or(false),
    }
}

fn threat_intel_deny(snap: &Snapshot, fw: &Firewall, chain: &[FirewallPolicyIdx]) -> bool {
    fw.threat_intel_mode.eq_ignore_ascii_case("Deny")
        || chain.iter().any(|p| snap.firewall_policies[p.index()].threat_intel_mode.eq_ignore_ascii_case("Deny"))
}

fn has_public_end(flow: &FirewallFlow) -> bool {
    !is_private_or_reserved(flow.source) || !is_private_or_reserved(flow.destination)
}

/// Whether threat intelligence in `Deny` mode may drop a flow between two addresses through a
/// firewall: the mode of the firewall or its policy chain, and a public end (§16.2).
pub(crate) fn inspection_caveat(snap: &Snapshot, firewall: FirewallIdx, source: IpAddr, destination: IpAddr) -> bool {
    let fw = &snap.firewalls[firewall.index()];
    let (chain, _) = policy_chain(snap, fw);
    threat_intel_deny(snap, fw, &chain) && (!is_private_or_reserved(source) || !is_private_or_reserved(destination))
}

/// Whether the firewall's DNS proxy is on (§16.2): what FQDNs in its network rules need.
pub fn firewall_dns_proxy(snap: &Snapshot, firewall: FirewallIdx) -> bool {
    let fw = &snap.firewalls[firewall.index()];
    let (chain, _) = policy_chain(snap, fw);
    dns_proxy(snap, fw, &chain)
}

/// The network rules the firewall processes that name FQDNs (`destinationFqdns`), in processing
/// order.
pub fn fqdn_network_rules(snap: &Snapshot, firewall: FirewallIdx, options: &FirewallOptions) -> Vec<RulePlace> {
    let fw = &snap.firewalls[firewall.index()];
    let (chain, _) = policy_chain(snap, fw);
    let mut out = Vec::new();
    for placed in ordered(snap, fw, &chain, FwRuleKind::Network, options.inherit_parent_dnat) {
        for rule in placed.collection.rules.iter().filter(|r| !r.destination_fqdns.is_empty()) {
            out.push(place_of(&placed, Some(&rule.name)));
        }
    }
    out
}

/// The allowing network rules the firewall processes that take ICMP to a public destination:
/// protocol `ICMP`, or `Any` without an explicit port ("if you explicitly configure a destination
/// port, the rule translates to a TCP+UDP rule"); the firewall does not SNAT ICMP, so it cannot
/// reach the Internet (§16.2).
pub fn icmp_internet_network_rules(
    snap: &Snapshot,
    firewall: FirewallIdx,
    options: &FirewallOptions,
) -> Vec<RulePlace> {
    let fw = &snap.firewalls[firewall.index()];
    let (chain, _) = policy_chain(snap, fw);
    let mut out = Vec::new();
    for placed in ordered(snap, fw, &chain, FwRuleKind::Network, options.inherit_parent_dnat) {
        if placed.collection.action != FwAction::Allow {
            continue;
        }
        for rule in placed
            .collection
            .rules
            .iter()
            .filter(|r| takes_icmp(r) && r.destination_addresses.iter().any(is_public_destination))
        {
            out.push(place_of(&placed, Some(&rule.name)));
        }
    }
    out
}

fn takes_icmp(rule: &FwRule) -> bool {
    let any_ports = rule.destination_ports.iter().all(|p| *p == FwPort::Any);
    rule.protocols.iter().any(|p| *p == FwProtocol::Icmp || (*p == FwProtocol::Any && any_ports))
}

/// Whether a rule's destination holds public addresses: `*`, the `Internet` tag, or a prefix or
/// range with an end outside the private and reserved blocks (all of them are /8 or smaller, so a
/// prefix shorter than /8 always holds public space).
fn is_public_destination(address: &FwAddress) -> bool {
    match address {
        FwAddress::Any => true,
        FwAddress::Tag(tag) => tag.eq_ignore_ascii_case("Internet"),
        FwAddress::Prefix(p) => {
            (p.addr().is_ipv4() && p.prefix_len() < 8)
                || !is_private_or_reserved(p.network())
                || !is_private_or_reserved(p.broadcast())
        }
        FwAddress::Range(a, b) => !is_private_or_reserved(*a) || !is_private_or_reserved(*b),
    }
}

/// The NAT rule collections the firewall processes (its own policy's, a parent's when
/// `inherit_parent_dnat`, or classic ones) that hold rules.
pub fn nat_collections(snap: &Snapshot, firewall: FirewallIdx, options: &FirewallOptions) -> Vec<RulePlace> {
    let fw = &snap.firewalls[firewall.index()];
    let (chain, _) = policy_chain(snap, fw);
    ordered(snap, fw, &chain, FwRuleKind::Nat, options.inherit_parent_dnat)
        .iter()
        .filter(|p| !p.collection.rules.is_empty())
        .map(|p| place_of(p, None))
        .collect()
}

/// The firewall's policy chain, root first (a parent, its child, … the firewall's own policy).
pub fn firewall_policy_chain(snap: &Snapshot, firewall: FirewallIdx) -> Vec<FirewallPolicyIdx> {
    policy_chain(snap, &snap.firewalls[firewall.index()]).0
}
