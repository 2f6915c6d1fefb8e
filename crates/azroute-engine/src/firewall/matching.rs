//! Whether one rule matches a flow (§16.2), in three values: it matches, it does not (and which
//! field said so), or the snapshot cannot say (and why). Fields combine as Azure does: a rule
//! matches when every field matches, and a field matches when any of its values does.

use std::net::IpAddr;

use azroute_model::*;

use super::{FirewallFlow, NoMatch, Undecided};

/// A rule's (or a field's) match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleMatch {
    Yes,
    No(NoMatch),
    Unknown(Undecided),
}

impl RuleMatch {
    /// Every field must match: the first `No` wins, else the first `Unknown`.
    fn and(self, other: impl FnOnce() -> RuleMatch) -> RuleMatch {
        match self {
            RuleMatch::No(_) => self,
            RuleMatch::Yes => other(),
            RuleMatch::Unknown(u) => match other() {
                RuleMatch::No(n) => RuleMatch::No(n),
                _ => RuleMatch::Unknown(u),
            },
        }
    }
}

/// What a match needs besides the flow.
pub(super) struct MatchContext<'s> {
    pub snap: &'s Snapshot,
    /// DNS proxy of the firewall (its policy's `dnsSettings.enableProxy`, or the classic
    /// `Network.DNS.EnableProxy`): FQDNs in network rules need it.
    pub dns_proxy: bool,
    /// The firewall's private IPs, and whether DNAT to them is supported (C33): a flow to one
    /// of them matches no DNAT rule when it is not.
    pub private_ips: Vec<IpAddr>,
    pub dnat_private_ip: bool,
}

/// Any of the values: `Yes` if one matches, else `Unknown` if one cannot be decided, else `No`.
fn any_of(values: impl Iterator<Item = RuleMatch>, none: NoMatch) -> RuleMatch {
    let mut unknown = None;
    for v in values {
        match v {
            RuleMatch::Yes => return RuleMatch::Yes,
            RuleMatch::Unknown(u) => unknown = unknown.or(Some(u)),
            RuleMatch::No(_) => {}
        }
    }
    unknown.map_or(RuleMatch::No(none), RuleMatch::Unknown)
}

impl MatchContext<'_> {
    /// An address value: IPs, CIDRs and ranges directly; a service tag from the snapshot's
    /// Service Tags file (§3.5).
    fn address(&self, a: &FwAddress, ip: IpAddr) -> RuleMatch {
        match a.contains(ip) {
            Some(true) => RuleMatch::Yes,
            Some(false) => RuleMatch::No(NoMatch::Destination),
            None => {
                let FwAddress::Tag(tag) = a else { unreachable!("only tags are undecided") };
                match &self.snap.service_tags {
                    None => RuleMatch::Unknown(Undecided::ServiceTagsMissing { tag: tag.clone() }),
                    Some(tags) => match tags.find(tag) {
                        Some(t) if t.prefixes.iter().any(|p| p.contains(&ip)) => RuleMatch::Yes,
                        Some(_) => RuleMatch::No(NoMatch::Destination),
                        None => RuleMatch::Unknown(Undecided::UnknownServiceTag { tag: tag.clone() }),
                    },
                }
            }
        }
    }

    /// An IP group's addresses; a group the snapshot lacks is undecidable, never empty (§16.2).
    fn ip_group(&self, group: &Link<IpGroupIdx>, ip: IpAddr) -> RuleMatch {
        match group {
            Link::Resolved(g) => any_of(
                self.snap.ip_groups[g.index()].ip_addresses.iter().map(|a| self.address(a, ip)),
                NoMatch::Destination,
            ),
            Link::Missing(id) => RuleMatch::Unknown(Undecided::MissingIpGroup { id: id.clone() }),
        }
    }

    fn addresses(&self, values: &[FwAddress], groups: &[Link<IpGroupIdx>], ip: IpAddr, none: NoMatch) -> RuleMatch {
        any_of(values.iter().map(|a| self.address(a, ip)).chain(groups.iter().map(|g| self.ip_group(g, ip))), none)
    }

    fn source(&self, rule: &FwRule, flow: &FirewallFlow) -> RuleMatch {
        self.addresses(&rule.source_addresses, &rule.source_ip_groups, flow.source, NoMatch::Source)
    }

    /// A network rule's protocol: `Any` is every protocol, but "if you explicitly configure a
    /// destination port, the rule translates to a TCP+UDP rule" (§16.2). A flow of any protocol
    /// (`--protocol Any`) matches only a rule that takes every protocol.
    fn protocol(&self, rule: &FwRule, flow: &FirewallFlow) -> RuleMatch {
        let any_ports = rule.destination_ports.iter().all(|p| *p == FwPort::Any);
        let ok = rule.protocols.iter().any(|p| match (p, flow.protocol) {
            (FwProtocol::Any, None) => any_ports,
            (FwProtocol::Any, Some(Protocol::Tcp | Protocol::Udp)) => true,
            (FwProtocol::Any, Some(_)) => any_ports,
            (FwProtocol::Tcp, Some(Protocol::Tcp)) | (FwProtocol::Udp, Some(Protocol::Udp)) => true,
            (FwProtocol::Icmp, Some(Protocol::Icmp)) => true,
            _ => false,
        });
        if ok { RuleMatch::Yes } else { RuleMatch::No(NoMatch::Protocol) }
    }

    /// Destination ports apply to TCP and UDP; ICMP has none.
    fn port(&self, rule: &FwRule, flow: &FirewallFlow) -> RuleMatch {
        if matches!(flow.protocol, Some(Protocol::Icmp)) {
            return RuleMatch::Yes;
        }
        match flow.destination_port {
            Some(port) if rule.destination_ports.iter().any(|p| p.contains(port)) => RuleMatch::Yes,
            None if rule.destination_ports.contains(&FwPort::Any) => RuleMatch::Yes,
            _ => RuleMatch::No(NoMatch::Port),
        }
    }

    /// A network rule (§16.2). An FQDN destination needs DNS proxy; with it, the flow's
    /// `--fqdn` names the address the firewall resolved, and nothing else can say.
    pub fn network(&self, rule: &FwRule, flow: &FirewallFlow) -> RuleMatch {
        self.protocol(rule, flow).and(|| self.port(rule, flow)).and(|| self.source(rule, flow)).and(|| {
            let by_address = self.addresses(
                &rule.destination_addresses,
                &rule.destination_ip_groups,
                flow.destination,
                NoMatch::Destination,
            );
            if by_address == RuleMatch::Yes || rule.destination_fqdns.is_empty() {
                return by_address;
            }
            let by_fqdn = if !self.dns_proxy {
                RuleMatch::No(NoMatch::FqdnWithoutDnsProxy)
            } else {
                match &flow.fqdn {
                    Some(name) if rule.destination_fqdns.iter().any(|f| f.eq_ignore_ascii_case(name)) => RuleMatch::Yes,
                    Some(_) => RuleMatch::No(NoMatch::Destination),
                    None => RuleMatch::Unknown(Undecided::FqdnNotResolved { fqdns: rule.destination_fqdns.clone() }),
                }
            };
            match (by_address, by_fqdn) {
                (_, RuleMatch::Yes) => RuleMatch::Yes,
                (RuleMatch::Unknown(u), _) | (_, RuleMatch::Unknown(u)) => RuleMatch::Unknown(u),
                (_, no) => no,
            }
        })
    }

    /// A DNAT rule: TCP or UDP to one of its destinations (a firewall address) and port.
    pub fn nat(&self, rule: &FwRule, flow: &FirewallFlow) -> RuleMatch {
        if !self.dnat_private_ip && self.private_ips.contains(&flow.destination) {
            return RuleMatch::No(NoMatch::DnatToPrivateIpUnsupported);
        }
        self.protocol(rule, flow)
            .and(|| self.port(rule, flow))
            .and(|| self.source(rule, flow))
            .and(|| self.addresses(&rule.destination_addresses, &[], flow.destination, NoMatch::Destination))
    }

    /// An application rule: TCP on one of its HTTP, HTTPS or MSSQL ports, then the host name
    /// (`--fqdn`), which a 5-tuple does not carry (§16.2).
    pub fn application(&self, rule: &FwRule, flow: &FirewallFlow) -> RuleMatch {
        let port_ok = flow.protocol == Some(Protocol::Tcp)
            && flow.destination_port.is_some_and(|port| rule.app_protocols.iter().any(|p| app_port(p) == Some(port)));
        if !port_ok {
            return RuleMatch::No(NoMatch::NotApplicationProtocol);
        }
        self.source(rule, flow).and(|| self.host(rule, flow))
    }

    fn host(&self, rule: &FwRule, flow: &FirewallFlow) -> RuleMatch {
        let by_address = (!rule.destination_addresses.is_empty())
            .then(|| self.addresses(&rule.destination_addresses, &[], flow.destination, NoMatch::Destination));
        if by_address == Some(RuleMatch::Yes) {
            return RuleMatch::Yes;
        }
        let mut unknown = match by_address {
            Some(RuleMatch::Unknown(u)) => Some(u),
            _ => None,
        };
        if !rule.target_fqdns.is_empty() {
            match &flow.fqdn {
                Some(name) if rule.target_fqdns.iter().any(|t| fqdn_matches(t, name)) => return RuleMatch::Yes,
                Some(_) => {}
                None => unknown = unknown.or(Some(Undecided::NeedsFqdn)),
            }
        }
        let catalogue = if !rule.fqdn_tags.is_empty() {
            Some(Undecided::FqdnTagsNotModelled { tags: rule.fqdn_tags.clone() })
        } else if !rule.web_categories.is_empty() {
            Some(Undecided::WebCategoriesNotModelled { categories: rule.web_categories.clone() })
        } else if !rule.target_urls.is_empty() {
            Some(Undecided::TargetUrlsNeedUrl)
        } else {
            None
        };
        unknown.or(catalogue).map_or(RuleMatch::No(NoMatch::HostName), RuleMatch::Unknown)
    }
}

/// An application protocol's port: as written, else the protocol's own.
fn app_port(p: &FwAppProtocol) -> Option<u16> {
    p.port.or(match p.protocol_type.to_ascii_lowercase().as_str() {
        "http" => Some(80),
        "https" => Some(443),
        "mssql" => Some(1433),
        _ => None,
    })
}

/// FQDN wildcards of application rules (§16.2): `*.contoso.com` matches `a.contoso.com` but not
/// `contoso.com`; `*contoso.com` matches both; `*` matches everything.
pub fn fqdn_matches(target: &str, name: &str) -> bool {
    let (target, name) = (target.trim().to_ascii_lowercase(), name.trim().trim_end_matches('.').to_ascii_lowercase());
    if target == "*" {
        return true;
    }
    match target.strip_prefix('*') {
        Some(suffix) => name.ends_with(suffix) && name.len() >= suffix.len(),
        None => target == name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The FAQ's wildcard table (§16.2).
    #[test]
    fn fqdn_wildcards_follow_the_faq() {
        assert!(fqdn_matches("*.contoso.com", "any.contoso.com"));
        assert!(!fqdn_matches("*.contoso.com", "contoso.com"));
        assert!(fqdn_matches("*contoso.com", "contoso.com"));
        assert!(fqdn_matches("*contoso.com", "example.anycontoso.com"));
        assert!(fqdn_matches("www.test.com", "WWW.test.com."));
        assert!(!fqdn_matches("www.test.com", "test.com"));
    }
}
