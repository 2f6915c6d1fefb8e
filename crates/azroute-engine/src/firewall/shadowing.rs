//! Rules that can never decide a flow (§16.7): a rule whose every flow an earlier rule in
//! processing order (§16.2) also matches. Azure's rules are terminating, so the later rule is
//! dead: the same idea as Batfish's `filterLineReachability`, with one earlier rule covering the
//! later one (a later rule covered only by the union of several earlier rules is not reported).
//! Coverage is proven on the rule's values, never guessed: a service tag, an FQDN or an IP group
//! the snapshot lacks covers only the same name, and `*` covers everything.

use std::net::IpAddr;

use azroute_model::*;

use super::order::{Placed, ordered, policy_chain};
use super::{RulePlace, place_of};
use crate::firewall::fqdn_matches;
use crate::ranges::merged;

/// A rule no flow reaches, and the earlier rule that takes all its flows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShadowedRule {
    pub rule: RulePlace,
    pub by: RulePlace,
}

/// The rules of a firewall's own passes (DNAT, network, application) that an earlier rule of
/// the same pass covers. Inside one filter collection every rule shares the action, so only
/// earlier collections shadow; inside a NAT collection an earlier rule's translation wins, so
/// earlier rules of the same collection count too.
pub fn shadowed_rules(snap: &Snapshot, firewall: FirewallIdx, options: &FirewallOptions) -> Vec<ShadowedRule> {
    let fw = &snap.firewalls[firewall.index()];
    let (chain, _) = policy_chain(snap, fw);
    let mut out = Vec::new();
    for kind in [FwRuleKind::Nat, FwRuleKind::Network, FwRuleKind::Application] {
        let collections = ordered(snap, fw, &chain, kind, options.inherit_parent_dnat);
        for (ci, later) in collections.iter().enumerate() {
            for (ri, rule) in later.collection.rules.iter().enumerate() {
                let earlier = collections[..ci]
                    .iter()
                    .flat_map(|p| p.collection.rules.iter().map(move |r| (p, r)))
                    .chain(same_collection_earlier(later, kind, ri));
                if let Some((p, by)) = earlier.into_iter().find(|(_, a)| covers(snap, kind, a, rule)) {
                    out.push(ShadowedRule { rule: place_of(later, Some(&rule.name)), by: place_of(p, Some(&by.name)) });
                }
            }
        }
    }
    out
}

fn same_collection_earlier<'a, 's>(
    placed: &'a Placed<'s>,
    kind: FwRuleKind,
    index: usize,
) -> impl Iterator<Item = (&'a Placed<'s>, &'s FwRule)> + 'a {
    let rules: &'s [FwRule] = if kind == FwRuleKind::Nat { &placed.collection.rules[..index] } else { &[] };
    rules.iter().map(move |r| (placed, r))
}

/// Application rules whose every flow (TCP to their ports, from their sources, to any address a
/// name resolves to) a network rule matches first: network rules are processed before
/// application rules whatever the priorities (§16.2, the documentation's first example).
pub fn app_rules_shadowed_by_network(
    snap: &Snapshot,
    firewall: FirewallIdx,
    options: &FirewallOptions,
) -> Vec<ShadowedRule> {
    let fw = &snap.firewalls[firewall.index()];
    let (chain, _) = policy_chain(snap, fw);
    let network = ordered(snap, fw, &chain, FwRuleKind::Network, options.inherit_parent_dnat);
    let application = ordered(snap, fw, &chain, FwRuleKind::Application, options.inherit_parent_dnat);
    let mut out = Vec::new();
    for placed in &application {
        for rule in &placed.collection.rules {
            let by = network
                .iter()
                .flat_map(|p| p.collection.rules.iter().map(move |r| (p, r)))
                .find(|(_, n)| network_covers_application(snap, n, rule));
            if let Some((p, n)) = by {
                out.push(ShadowedRule { rule: place_of(placed, Some(&rule.name)), by: place_of(p, Some(&n.name)) });
            }
        }
    }
    out
}

/// Whether every flow `later` matches, `earlier` (a rule of the same kind) matches too.
fn covers(snap: &Snapshot, kind: FwRuleKind, earlier: &FwRule, later: &FwRule) -> bool {
    let sources = Addresses::covers(
        &Addresses::of(snap, &earlier.source_addresses, &earlier.source_ip_groups),
        &Addresses::of(snap, &later.source_addresses, &later.source_ip_groups),
    );
    if !sources {
        return false;
    }
    match kind {
        FwRuleKind::Nat | FwRuleKind::Network => {
            protocols_cover(earlier, later)
                && ports_cover(&earlier.destination_ports, &later.destination_ports)
                && network_destinations_cover(snap, earlier, later)
        }
        FwRuleKind::Application => app_ports(earlier).covers(&app_ports(later)) && targets_cover(earlier, later),
    }
}

/// A network rule takes all of an application rule's flows: TCP on every port the application
/// rule names, all its sources, and every destination address.
fn network_covers_application(snap: &Snapshot, network: &FwRule, app: &FwRule) -> bool {
    let tcp = ProtocolSet::of(network).contains(&ProtocolSet { all: false, tcp: true, udp: false, icmp: false });
    let dest_any = network.destination_addresses.contains(&FwAddress::Any);
    tcp && dest_any
        && PortSet::of(&network.destination_ports).covers(&app_ports(app))
        && Addresses::covers(
            &Addresses::of(snap, &network.source_addresses, &network.source_ip_groups),
            &Addresses::of(snap, &app.source_addresses, &app.source_ip_groups),
        )
}

/// The protocols a network or NAT rule matches: `Any` is every protocol, or TCP and UDP when
/// the rule names ports (§16.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ProtocolSet {
    all: bool,
    tcp: bool,
    udp: bool,
    icmp: bool,
}

impl ProtocolSet {
    fn of(rule: &FwRule) -> ProtocolSet {
        let any_ports = rule.destination_ports.iter().all(|p| *p == FwPort::Any);
        let mut set = ProtocolSet { all: false, tcp: false, udp: false, icmp: false };
        for p in &rule.protocols {
            match p {
                FwProtocol::Any if any_ports => set.all = true,
                FwProtocol::Any => (set.tcp, set.udp) = (true, true),
                FwProtocol::Tcp => set.tcp = true,
                FwProtocol::Udp => set.udp = true,
                FwProtocol::Icmp => set.icmp = true,
                // An unknown protocol is covered only by every protocol (`protocols_cover`).
                FwProtocol::Other(_) => {}
            }
        }
        set
    }

    fn contains(&self, other: &ProtocolSet) -> bool {
        self.all || (!other.all && (self.tcp || !other.tcp) && (self.udp || !other.udp) && (self.icmp || !other.icmp))
    }
}

fn protocols_cover(earlier: &FwRule, later: &FwRule) -> bool {
    let (a, b) = (ProtocolSet::of(earlier), ProtocolSet::of(later));
    let later_has_other = later.protocols.iter().any(|p| matches!(p, FwProtocol::Other(_)));
    a.contains(&b) && (!later_has_other || a.all)
}

/// A set of ports as merged ranges.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PortSet(Vec<(u32, u32)>);

impl PortSet {
    fn of(ports: &[FwPort]) -> PortSet {
        PortSet(merged(
            ports
                .iter()
                .filter_map(|p| match p {
                    FwPort::Any => Some((0, u16::MAX as u32)),
                    FwPort::Range(a, b) => Some((*a as u32, *b as u32)),
                    FwPort::Invalid(_) => None,
                })
                .collect(),
        ))
    }

    fn covers(&self, other: &PortSet) -> bool {
        other.0.iter().all(|&(lo, hi)| self.0.iter().any(|&(a, b)| a <= lo && hi <= b))
    }
}

/// Ports of a rule: ICMP-only rules have none to compare, so any port set covers them.
fn ports_cover(earlier: &[FwPort], later: &[FwPort]) -> bool {
    PortSet::of(earlier).covers(&PortSet::of(later))
}

/// An application rule's ports (its HTTP, HTTPS and MSSQL protocols).
fn app_ports(rule: &FwRule) -> PortSet {
    let ports: Vec<FwPort> = rule
        .app_protocols
        .iter()
        .filter_map(|p| {
            let port = p.port.or(match p.protocol_type.to_ascii_lowercase().as_str() {
                "http" => Some(80),
                "https" => Some(443),
                "mssql" => Some(1433),
                _ => None,
            })?;
            Some(FwPort::Range(port, port))
        })
        .collect();
    PortSet::of(&ports)
}

/// Addresses as merged ranges of integers (IPv4 and IPv6 apart), and the names that are not
/// addresses (service tags, IP groups the snapshot lacks), which cover only themselves.
#[derive(Clone, Debug, Default)]
struct Addresses {
    any: bool,
    v4: Vec<(u128, u128)>,
    v6: Vec<(u128, u128)>,
    names: Vec<String>,
}

impl Addresses {
    fn of(snap: &Snapshot, values: &[FwAddress], groups: &[Link<IpGroupIdx>]) -> Addresses {
        let mut out = Addresses::default();
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        let mut add = |a: &FwAddress, out: &mut Addresses| match a {
            FwAddress::Any => out.any = true,
            FwAddress::Prefix(p) => push_range(&mut v4, &mut v6, p.network(), p.broadcast()),
            FwAddress::Range(lo, hi) => push_range(&mut v4, &mut v6, *lo, *hi),
            FwAddress::Tag(t) => out.names.push(t.to_ascii_lowercase()),
        };
        for a in values {
            add(a, &mut out);
        }
        for g in groups {
            match g {
                Link::Resolved(g) => snap.ip_groups[g.index()].ip_addresses.iter().for_each(|a| add(a, &mut out)),
                Link::Missing(id) => out.names.push(id.to_string().to_ascii_lowercase()),
            }
        }
        out.v4 = merged(v4);
        out.v6 = merged(v6);
        out
    }

    /// Whether every address of `other` is in `self`.
    fn covers(&self, other: &Addresses) -> bool {
        if self.any {
            return true;
        }
        let inside = |ranges: &[(u128, u128)], (lo, hi): (u128, u128)| ranges.iter().any(|&(a, b)| a <= lo && hi <= b);
        !other.any
            && other.v4.iter().all(|r| inside(&self.v4, *r))
            && other.v6.iter().all(|r| inside(&self.v6, *r))
            && other.names.iter().all(|n| self.names.contains(n))
    }
}

fn push_range(v4: &mut Vec<(u128, u128)>, v6: &mut Vec<(u128, u128)>, lo: IpAddr, hi: IpAddr) {
    match (lo, hi) {
        (IpAddr::V4(a), IpAddr::V4(b)) if a <= b => v4.push((u32::from(a) as u128, u32::from(b) as u128)),
        (IpAddr::V6(a), IpAddr::V6(b)) if a <= b => v6.push((u128::from(a), u128::from(b))),
        _ => {}
    }
}

/// A network or NAT rule's destinations: addresses and IP groups by value; FQDNs are covered
/// only by `*` or the same name (their addresses are the firewall's DNS answer).
fn network_destinations_cover(snap: &Snapshot, earlier: &FwRule, later: &FwRule) -> bool {
    let a = Addresses::of(snap, &earlier.destination_addresses, &earlier.destination_ip_groups);
    let b = Addresses::of(snap, &later.destination_addresses, &later.destination_ip_groups);
    let fqdns = later
        .destination_fqdns
        .iter()
        .all(|f| a.any || earlier.destination_fqdns.iter().any(|e| e.eq_ignore_ascii_case(f)));
    a.covers(&b) && fqdns
}

/// An application rule's targets: every name the later rule matches is matched by an earlier
/// target (`*` and wildcards as the FAQ writes them); FQDN tags, web categories and URLs are
/// covered only by a catch-all (`*` or destination `*`).
fn targets_cover(earlier: &FwRule, later: &FwRule) -> bool {
    let catch_all =
        earlier.target_fqdns.iter().any(|t| t.trim() == "*") || earlier.destination_addresses.contains(&FwAddress::Any);
    if catch_all {
        return true;
    }
    let names = later.target_fqdns.iter().all(|b| earlier.target_fqdns.iter().any(|a| target_covers(a, b)));
    let others = later.fqdn_tags.is_empty()
        && later.web_categories.is_empty()
        && later.target_urls.is_empty()
        && later.destination_addresses.is_empty();
    names && others && !later.target_fqdns.is_empty()
}

/// Whether target `a` matches every name target `b` matches.
fn target_covers(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim().to_ascii_lowercase(), b.trim().to_ascii_lowercase());
    if a == b {
        return true;
    }
    match (a.strip_prefix('*'), b.strip_prefix('*')) {
        (Some(sa), Some(sb)) => sb.ends_with(sa),
        (Some(_), None) => fqdn_matches(&a, &b),
        (None, _) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(protocols: &[&str], src: &[&str], dst: &[&str], ports: &[&str]) -> FwRule {
        FwRule {
            name: "r".into(),
            protocols: protocols.iter().map(|p| FwProtocol::parse(p)).collect(),
            source_addresses: src.iter().map(|a| FwAddress::parse(a)).collect(),
            destination_addresses: dst.iter().map(|a| FwAddress::parse(a)).collect(),
            destination_ports: ports.iter().map(|p| FwPort::parse(p)).collect(),
            ..FwRule::default()
        }
    }

    fn snap() -> Snapshot {
        Snapshot::default()
    }

    #[test]
    fn a_wider_rule_covers_a_narrower_one() {
        let s = snap();
        let wide = rule(&["TCP", "UDP"], &["10.0.0.0/8"], &["*"], &["1-1024"]);
        let narrow = rule(&["TCP"], &["10.1.0.0/16", "10.2.0.5-10.2.0.9"], &["192.0.2.0/24"], &["443", "80"]);
        assert!(covers(&s, FwRuleKind::Network, &wide, &narrow));
        assert!(!covers(&s, FwRuleKind::Network, &narrow, &wide));
    }

    /// Two adjacent prefixes together cover their parent; one alone does not.
    #[test]
    fn ranges_are_merged_before_coverage() {
        let s = snap();
        let halves = rule(&["TCP"], &["10.0.0.0/9", "10.128.0.0/9"], &["*"], &["*"]);
        let whole = rule(&["TCP"], &["10.0.0.0/8"], &["*"], &["443"]);
        assert!(covers(&s, FwRuleKind::Network, &halves, &whole));
        let half = rule(&["TCP"], &["10.0.0.0/9"], &["*"], &["*"]);
        assert!(!covers(&s, FwRuleKind::Network, &half, &whole));
    }

    /// `Any` with ports is TCP and UDP only (§16.2): it does not cover an ICMP rule.
    #[test]
    fn any_with_ports_does_not_cover_icmp() {
        let s = snap();
        let any_ported = rule(&["Any"], &["*"], &["*"], &["1-65535"]);
        let icmp = rule(&["ICMP"], &["*"], &["*"], &["*"]);
        assert!(!covers(&s, FwRuleKind::Network, &any_ported, &icmp));
        let any = rule(&["Any"], &["*"], &["*"], &["*"]);
        assert!(covers(&s, FwRuleKind::Network, &any, &icmp));
    }

    /// A service tag or an FQDN covers only itself: its addresses are not the rule's to know.
    #[test]
    fn names_cover_only_themselves() {
        let s = snap();
        let tag = rule(&["TCP"], &["*"], &["AzureCloud"], &["443"]);
        let prefix = rule(&["TCP"], &["*"], &["20.0.0.0/8"], &["443"]);
        assert!(!covers(&s, FwRuleKind::Network, &tag, &prefix));
        assert!(covers(&s, FwRuleKind::Network, &tag, &rule(&["TCP"], &["*"], &["azurecloud"], &["443"])));
        let mut fqdn = rule(&["TCP"], &["*"], &[], &["1433"]);
        fqdn.destination_fqdns = vec!["sql.contoso.com".into()];
        assert!(!covers(&s, FwRuleKind::Network, &prefix, &fqdn));
        assert!(covers(&s, FwRuleKind::Network, &rule(&["TCP"], &["*"], &["*"], &["*"]), &fqdn));
    }

    #[test]
    fn wildcard_targets_cover_narrower_names() {
        assert!(target_covers("*.contoso.com", "www.contoso.com"));
        assert!(target_covers("*.contoso.com", "*.eu.contoso.com"));
        assert!(!target_covers("*.contoso.com", "contoso.com"));
        assert!(!target_covers("www.contoso.com", "*.contoso.com"));
        assert!(target_covers("*contoso.com", "contoso.com"));
    }

    use proptest::prelude::*;

    use super::super::matching::{MatchContext, RuleMatch};
    use crate::firewall::FirewallFlow;

    const ADDRESSES: &[&str] = &[
        "*",
        "10.0.0.0/8",
        "10.1.0.0/16",
        "10.1.2.0/24",
        "10.1.2.4",
        "10.1.0.0-10.1.3.255",
        "192.168.0.0/16",
        "AzureCloud",
    ];
    const PORTS: &[&str] = &["*", "22", "80", "443", "1-1024", "440-450"];
    const PROTOCOLS: &[&str] = &["Any", "TCP", "UDP", "ICMP"];

    fn pick(pool: &'static [&'static str]) -> impl Strategy<Value = Vec<&'static str>> {
        proptest::collection::vec(proptest::sample::select(pool), 1..3)
    }

    fn arb_rule() -> impl Strategy<Value = FwRule> {
        (pick(PROTOCOLS), pick(ADDRESSES), pick(ADDRESSES), pick(PORTS))
            .prop_map(|(p, s, d, ports)| rule(&p, &s, &d, &ports))
    }

    fn arb_flow() -> impl Strategy<Value = FirewallFlow> {
        let ip = proptest::sample::select(vec!["10.1.2.4", "10.1.3.9", "10.9.0.1", "192.168.1.1", "203.0.113.5"]);
        let protocol = proptest::sample::select(vec![Protocol::Tcp, Protocol::Udp, Protocol::Icmp]);
        (ip.clone(), ip, protocol, proptest::sample::select(vec![22u16, 80, 443, 445, 3389])).prop_map(
            |(s, d, p, port)| FirewallFlow {
                source: s.parse().unwrap(),
                source_port: Some(50000),
                destination: d.parse().unwrap(),
                destination_port: Some(port),
                protocol: Some(p),
                fqdn: None,
            },
        )
    }

    proptest! {
        /// Soundness against the engine's own matcher (§16.2): when one rule is said to cover
        /// another, every flow the later rule matches, the earlier one matches too.
        #[test]
        fn coverage_is_sound(a in arb_rule(), b in arb_rule(), flows in proptest::collection::vec(arb_flow(), 16)) {
            let s = snap();
            let ctx = MatchContext { snap: &s, dns_proxy: true, private_ips: Vec::new(), dnat_private_ip: true };
            if covers(&s, FwRuleKind::Network, &a, &b) {
                for f in &flows {
                    if ctx.network(&b, f) == RuleMatch::Yes {
                        prop_assert_eq!(ctx.network(&a, f), RuleMatch::Yes, "{:?} covers {:?} but not for {:?}", a, b, f);
                    }
                }
            }
        }
    }
}
