//! The words of Azure Firewall findings (§16) and of the parts of a firewall verdict every
//! output shares: where a rule sits, why a rule did not match or could not be decided, SNAT.

use azroute_engine::*;
use azroute_model::*;

use super::*;

/// The firewall's name.
pub fn firewall_name(snap: &Snapshot, firewall: FirewallIdx) -> &str {
    &snap.firewalls[firewall.index()].name
}

/// `policy `p` › group `g` (200) › collection `c` (100, Deny) › rule `r``, or `the default deny`.
pub fn rule_place_text(snap: &Snapshot, place: &RulePlace) -> String {
    if place.pass == FirewallPass::Default {
        return "the default deny (no rule matches)".to_string();
    }
    let mut parts = Vec::new();
    if let Some(p) = place.policy {
        parts.push(format!("policy `{}`", snap.firewall_policies[p.index()].name));
    }
    if let Some(g) = &place.group {
        parts.push(format!("group `{g}`{}", priority(place.group_priority)));
    }
    parts.push(format!(
        "{} collection `{}`{} ({})",
        pass_str(place.pass),
        place.collection,
        priority(place.collection_priority),
        place.action.as_str()
    ));
    if let Some(r) = &place.rule {
        parts.push(format!("rule `{r}`"));
    }
    parts.join(" › ")
}

fn priority(p: Option<u32>) -> String {
    p.map(|p| format!(" priority {p}")).unwrap_or_default()
}

/// A pass as Azure's output names it (`Dnat`, `Network`, …).
pub fn pass_str(pass: FirewallPass) -> &'static str {
    match pass {
        FirewallPass::ThreatIntel => "ThreatIntel",
        FirewallPass::Dnat => "Dnat",
        FirewallPass::Network => "Network",
        FirewallPass::Application => "Application",
        FirewallPass::Default => "Default",
    }
}

pub fn action_str(action: FirewallAction) -> &'static str {
    match action {
        FirewallAction::Allow => "Allow",
        FirewallAction::Deny => "Deny",
        FirewallAction::Indeterminate => "Indeterminate",
    }
}

/// Why a rule did not match.
pub fn no_match_text(no: &NoMatch) -> &'static str {
    match no {
        NoMatch::Protocol => "protocol does not match",
        NoMatch::Source => "source does not match",
        NoMatch::Destination => "destination does not match",
        NoMatch::Port => "destination port does not match",
        NoMatch::NotApplicationProtocol => "application rules apply only to TCP on their HTTP, HTTPS or MSSQL ports",
        NoMatch::HostName => "the host name (--fqdn) is none of the rule's targets",
        NoMatch::FqdnWithoutDnsProxy => {
            "FQDNs in network rules need DNS proxy, which is off: this rule can never match its FQDNs"
        }
        NoMatch::DnatToPrivateIpUnsupported => {
            "DNAT to the firewall's private IP is taken as unsupported (option --dnat-private-ip-unsupported or a Basic firewall, conflict C33)"
        }
    }
}

/// Why a rule could not be decided.
pub fn undecided_text(u: &Undecided) -> String {
    match u {
        Undecided::NeedsFqdn => {
            "an application rule matches on the host name (HTTP Host or TLS SNI), which a 5-tuple does not carry: give it with --fqdn".to_string()
        }
        Undecided::FqdnNotResolved { fqdns } => format!(
            "a network rule names FQDNs ({}) whose addresses the snapshot does not hold: give the name the client used with --fqdn",
            fqdns.join(", ")
        ),
        Undecided::MissingIpGroup { id } => format!("IP group `{id}` is not in the snapshot: export it (az network ip-group list)"),
        Undecided::ServiceTagsMissing { tag } => {
            format!("service tag `{tag}` needs Azure's Service Tags file in the snapshot")
        }
        Undecided::UnknownServiceTag { tag } => format!("service tag `{tag}` is not in the Service Tags file"),
        Undecided::FqdnTagsNotModelled { tags } => {
            format!("FQDN tags ({}) need Microsoft's catalogue, which azroute does not have", tags.join(", "))
        }
        Undecided::WebCategoriesNotModelled { categories } => {
            format!("web categories ({}) need Microsoft's catalogue, which azroute does not have", categories.join(", "))
        }
        Undecided::TargetUrlsNeedUrl => "target URLs need the request's URL (TLS inspection), which a flow does not carry".to_string(),
        Undecided::TranslatedFqdn { fqdn } => {
            format!("the DNAT rule translates to `{fqdn}`, which the firewall resolves itself")
        }
        Undecided::UnknownAction { action } => format!("collection action `{action}` is not modelled"),
    }
}

/// Why a verdict is Indeterminate.
pub fn reason_text(snap: &Snapshot, r: &IndeterminateReason) -> String {
    match r {
        IndeterminateReason::Rule { rule, undecided } => {
            format!("{} may match: {}", rule_place_text(snap, rule), undecided_text(undecided))
        }
        IndeterminateReason::MissingPolicy { id } => {
            format!("firewall policy `{id}` is not in the snapshot: export it (az network firewall policy list)")
        }
        IndeterminateReason::PolicyWithoutGroups { policy } => format!(
            "policy `{}` has no rule collection groups in the snapshot; they are separate resources (az network firewall policy rule-collection-group list --policy-name {} -g RG)",
            snap.firewall_policies[policy.index()].name,
            snap.firewall_policies[policy.index()].name
        ),
        IndeterminateReason::HubFirewall => {
            "a secured-hub (AZFW_Hub) firewall forwards by Virtual WAN routing, which azroute does not model"
                .to_string()
        }
    }
}

/// SNAT of an allowed flow.
pub fn snat_text(snap: &Snapshot, s: &Snat) -> String {
    match s {
        Snat::NotTranslated => "none: the destination is in the private-range list".to_string(),
        Snat::ToPublicIp { addresses } if addresses.is_empty() => "to a public IP of the firewall".to_string(),
        Snat::ToPublicIp { addresses } => format!("to a public IP of the firewall ({})", ips(addresses)),
        Snat::ToFirewallSubnet { subnet: Some(s) } => format!("to an address of `{}`", snap.subnet_label(*s)),
        Snat::ToFirewallSubnet { subnet: None } => "to an address of `AzureFirewallSubnet`".to_string(),
        Snat::Unknown => "unknown: auto-learned private ranges are not in the snapshot".to_string(),
    }
}

fn flow_text(f: &FirewallFlow) -> String {
    let proto = f.protocol.map_or("Any", |p| p.as_str());
    let port = f.destination_port.map(|p| format!(":{p}")).unwrap_or_default();
    let fqdn = f.fqdn.as_ref().map(|n| format!(" (host {n})")).unwrap_or_default();
    format!("{proto} {} → {}{port}{fqdn}", f.source, f.destination)
}

pub(super) fn firewall_denies_flow(snap: &Snapshot, e: &FirewallDeniesFlow) -> FindingText {
    let message = format!(
        "Azure Firewall `{}` denies {}: {}",
        firewall_name(snap, e.firewall),
        flow_text(&e.flow),
        rule_place_text(snap, &e.rule)
    );
    let fix = if e.rule.pass == FirewallPass::Default {
        "add a rule that allows this flow (a network rule, or an application rule for HTTP/HTTPS by name) if it should pass"
    } else {
        "change or remove the deny rule, or allow the flow in a collection processed before it, if it should pass"
    };
    FindingText::new(message, fix).evidence(format!("deciding rule: {}", rule_place_text(snap, &e.rule)))
}

pub(super) fn firewall_verdict_indeterminate(snap: &Snapshot, e: &FirewallVerdictIndeterminate) -> FindingText {
    let message = format!(
        "the snapshot cannot decide whether Azure Firewall `{}` allows {}; the trace stops here",
        firewall_name(snap, e.firewall),
        flow_text(&e.flow)
    );
    let mut text = FindingText::new(
        message,
        "supply what is missing (see the reasons), or check this flow with `azroute firewall-flow --explain`",
    );
    text.evidence = e.reasons.iter().map(|r| reason_text(snap, r)).collect();
    text
}

pub(super) fn asymmetric_through_firewall(snap: &Snapshot, e: &AsymmetricThroughFirewall) -> FindingText {
    let fw = &snap.firewalls[e.firewall.index()];
    let ip = fw.private_ips().next().map(|i| i.to_string()).unwrap_or_default();
    let message = match e.crossed_by {
        CrossedBy::Request => format!(
            "the request passes Azure Firewall `{}` without SNAT but the reply does not: the firewall sees one direction only and drops the connection",
            fw.name
        ),
        CrossedBy::Reply => format!(
            "the reply passes Azure Firewall `{}`, which the request did not: it has no session for it and drops it",
            fw.name
        ),
    };
    let at = e.reply_subnet.map(|s| format!(" (`{}`)", snap.subnet_label(s))).unwrap_or_default();
    let fix = match e.crossed_by {
        CrossedBy::Request => format!(
            "route the reply through the firewall: a user route for {} with next hop VirtualAppliance {ip} on the reply's first subnet{at}; or make the firewall SNAT this traffic (its private-range list)",
            e.source_prefix
        ),
        CrossedBy::Reply => {
            "route both directions through the firewall, or neither (matching user routes on both sides)".to_string()
        }
    };
    FindingText::new(message, fix)
}
