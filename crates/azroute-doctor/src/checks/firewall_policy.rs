//! The rules of an Azure Firewall (§16.2, §16.3, §16.7): rules an earlier rule makes dead,
//! application rules a network rule takes first, FQDN network rules without DNS proxy, parent
//! NAT collections a child does not inherit, DNS proxy settings a child does not inherit, a
//! private-range list that leaves out RFC 1918 or that the policy overrides, and ICMP allowed to
//! the Internet.
//! Rule order and coverage are the engine's (`shadowed_rules`, `app_rules_shadowed_by_network`).

use azroute_engine::*;
use azroute_model::*;
use ipnet::IpNet;

use crate::Doctor;

impl Doctor<'_, '_> {
    pub(crate) fn firewall_policy_checks(&self, options: &FirewallOptions, out: &mut Vec<Finding>) {
        let snap = self.snap;
        for i in 0..snap.firewalls.len() {
            let firewall = FirewallIdx(i as u32);
            let resource = ResourceRef::Firewall(firewall);
            for ShadowedRule { rule, by } in shadowed_rules(snap, firewall, options) {
                out.push(Finding::new(FirewallPolicyRuleShadowed { firewall, rule, by }).resource(resource));
            }
            for ShadowedRule { rule, by } in app_rules_shadowed_by_network(snap, firewall, options) {
                out.push(Finding::new(FirewallAppRuleShadowedByNetworkRule { firewall, rule, by }).resource(resource));
            }
            out.extend(fqdn_network_rule_without_dns_proxy(snap, firewall, options));
            if !options.inherit_parent_dnat {
                out.extend(parent_nat_rules_ignored(snap, firewall));
            }
            out.extend(child_policy_dns_not_inherited(snap, firewall, options));
            out.extend(snat_ranges_drop_rfc1918(snap, firewall));
            out.extend(classic_snat_ignored(snap, firewall));
            let rules = icmp_internet_network_rules(snap, firewall, options);
            if !rules.is_empty() {
                out.push(Finding::new(FirewallIcmpToInternet { firewall, rules }).resource(resource));
            }
        }
    }
}

/// FQDNs in network rules need the firewall's DNS proxy, which a Basic firewall does not have
/// (§16.2): without it those rules match nothing.
fn fqdn_network_rule_without_dns_proxy(
    snap: &Snapshot,
    firewall: FirewallIdx,
    options: &FirewallOptions,
) -> Option<Finding> {
    let basic = snap.firewalls[firewall.index()].tier.eq_ignore_ascii_case("Basic");
    if firewall_dns_proxy(snap, firewall) && !basic {
        return None;
    }
    let rules = fqdn_network_rules(snap, firewall, options);
    (!rules.is_empty()).then(|| {
        Finding::new(FirewallFqdnNetworkRuleWithoutDnsProxy { firewall, rules, basic })
            .resource(ResourceRef::Firewall(firewall))
    })
}

/// DNS proxy settings are not inherited (§16.2, known issues 2025): the firewall's own policy
/// has the proxy off while a parent has it on, and FQDN network rules rely on it.
fn child_policy_dns_not_inherited(
    snap: &Snapshot,
    firewall: FirewallIdx,
    options: &FirewallOptions,
) -> Option<Finding> {
    let chain = firewall_policy_chain(snap, firewall);
    let (&policy, parents) = chain.split_last()?;
    if snap.firewall_policies[policy.index()].dns_proxy {
        return None;
    }
    let &parent = parents.iter().rev().find(|p| snap.firewall_policies[p.index()].dns_proxy)?;
    let rules = fqdn_network_rules(snap, firewall, options);
    (!rules.is_empty()).then(|| {
        Finding::new(FirewallChildPolicyDnsNotInherited { firewall, policy, parent, rules })
            .resource(ResourceRef::Firewall(firewall))
    })
}

/// NAT collections of a parent policy are not inherited (C20): the firewall never processes
/// them.
fn parent_nat_rules_ignored(snap: &Snapshot, firewall: FirewallIdx) -> Vec<Finding> {
    let chain = firewall_policy_chain(snap, firewall);
    let parents = chain.split_last().map(|(_, parents)| parents).unwrap_or_default();
    parents
        .iter()
        .filter_map(|&policy| {
            let collections: Vec<String> = snap.firewall_policies[policy.index()]
                .rule_collection_groups
                .iter()
                .flat_map(|g| g.collections.iter())
                .filter(|c| c.kind == FwRuleKind::Nat && !c.rules.is_empty())
                .map(|c| c.name.clone())
                .collect();
            (!collections.is_empty()).then(|| {
                Finding::new(FirewallParentNatRulesIgnored { firewall, policy, collections })
                    .resource(ResourceRef::Firewall(firewall))
            })
        })
        .collect()
}

const RFC1918: [&str; 3] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/// A custom private-range list without `IANAPrivateRanges` that does not cover RFC 1918: the
/// firewall SNATs traffic to the private destinations left out (§16.3). A list holding
/// `255.255.255.255/32` asks for SNAT everywhere on purpose and is left alone.
fn snat_ranges_drop_rfc1918(snap: &Snapshot, firewall: FirewallIdx) -> Option<Finding> {
    let fw = &snap.firewalls[firewall.index()];
    let policy = fw.policy.as_ref().and_then(|l| l.resolved());
    let ranges = match policy {
        Some(p) => snap.firewall_policies[p.index()].snat_private_ranges.clone()?,
        None => fw.snat_private_ranges.clone()?,
    };
    let values: Vec<FwAddress> = ranges.iter().map(|r| FwAddress::parse(r)).collect();
    let named_default = ranges.iter().any(|r| r.trim().eq_ignore_ascii_case("IANAPrivateRanges"));
    let always = values.iter().any(|v| matches!(v, FwAddress::Prefix(p) if p.prefix_len() == 32 && p.addr() == std::net::IpAddr::from([255, 255, 255, 255])));
    if named_default || always {
        return None;
    }
    let uncovered: Vec<IpNet> = RFC1918
        .iter()
        .map(|r| r.parse::<IpNet>().expect("valid"))
        .filter(|block| !values.iter().any(|v| covers_block(v, block)))
        .collect();
    (!uncovered.is_empty()).then(|| {
        Finding::new(FirewallSnatRangesDropRfc1918 { firewall, policy, ranges, uncovered })
            .resource(ResourceRef::Firewall(firewall))
    })
}

/// Whether one value of the list holds a whole RFC 1918 block.
fn covers_block(value: &FwAddress, block: &IpNet) -> bool {
    match value {
        FwAddress::Any => true,
        FwAddress::Prefix(p) => p.contains(block),
        FwAddress::Range(a, b) => *a <= block.network() && block.broadcast() <= *b,
        FwAddress::Tag(_) => false,
    }
}

/// "Firewalls associated with a firewall policy must specify the range in the policy": the
/// classic `Network.SNAT.PrivateRanges` of a policy-managed firewall is ignored (§16.3).
fn classic_snat_ignored(snap: &Snapshot, firewall: FirewallIdx) -> Option<Finding> {
    let fw = &snap.firewalls[firewall.index()];
    let policy = fw.policy.as_ref().and_then(|l| l.resolved())?;
    let classic = fw.snat_private_ranges.clone()?;
    let policy_ranges = snap.firewall_policies[policy.index()].snat_private_ranges.clone();
    Some(
        Finding::new(FirewallClassicSnatIgnored { firewall, policy, classic, policy_ranges })
            .resource(ResourceRef::Firewall(firewall)),
    )
}
