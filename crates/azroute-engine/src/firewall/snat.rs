//! Source NAT of an allowed flow (§16.3): network rules keep the source for destinations in the
//! private-range list and translate the rest; application and DNAT traffic is always
//! translated. The list comes from the firewall's policy, else the classic setting, else the
//! default (`IANAPrivateRanges`, C19).

use std::net::IpAddr;

use azroute_model::*;

use super::{FirewallFlow, FirewallPass};

/// What the firewall does to the source of an allowed flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Snat {
    /// The source is kept: the destination is in the private-range list.
    NotTranslated,
    /// To one of the firewall's public IPs (Internet-bound), or of the NAT gateway of
    /// `AzureFirewallSubnet` when it has one (§16.3, §17.2).
    ToPublicIp { addresses: Vec<IpAddr> },
    /// To an address of `AzureFirewallSubnet` (an instance, not the frontend IP).
    ToFirewallSubnet { subnet: Option<SubnetIdx> },
    /// Auto-learned private ranges are not in the snapshot: SNAT for a destination outside the
    /// static list cannot be decided.
    Unknown,
}

const RFC1918: [&str; 3] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
const RFC6598: &str = "100.64.0.0/10";

/// The private-range list that applies to a firewall, with `IANAPrivateRanges` expanded.
pub fn private_ranges(snap: &Snapshot, fw: &Firewall, options: &FirewallOptions) -> Vec<FwAddress> {
    // "Firewalls associated with a firewall policy must specify the range in the policy."
    let configured = match fw.policy.as_ref().and_then(|l| l.resolved()) {
        Some(p) => snap.firewall_policies[p.index()].snat_private_ranges.clone(),
        None => fw.snat_private_ranges.clone(),
    };
    let texts = configured.unwrap_or_else(|| vec!["IANAPrivateRanges".to_string()]);
    let mut out = Vec::new();
    for t in texts {
        if t.trim().eq_ignore_ascii_case("IANAPrivateRanges") {
            out.extend(RFC1918.iter().map(|r| FwAddress::parse(r)));
            if options.snat_default_ranges == SnatDefaultRanges::Rfc1918AndRfc6598 {
                out.push(FwAddress::parse(RFC6598));
            }
        } else {
            out.push(FwAddress::parse(&t));
        }
    }
    out
}

/// The SNAT of an allowed flow decided by `pass`.
pub(super) fn decide(
    snap: &Snapshot,
    fw: &Firewall,
    chain: &[FirewallPolicyIdx],
    flow: &FirewallFlow,
    pass: FirewallPass,
    options: &FirewallOptions,
) -> Snat {
    let public = !is_private_or_reserved(flow.destination);
    let to_public = || Snat::ToPublicIp { addresses: public_ips(snap, fw) };
    let to_subnet = || Snat::ToFirewallSubnet { subnet: fw.subnet() };
    match pass {
        FirewallPass::Dnat => to_subnet(),
        FirewallPass::Application if public => to_public(),
        FirewallPass::Application => to_subnet(),
        FirewallPass::Network => {
            let ranges = private_ranges(snap, fw, options);
            // `255.255.255.255/32` in the list means "always SNAT" (§16.3).
            let always = ranges.iter().any(|r| matches!(r, FwAddress::Prefix(p) if p.prefix_len() == 32 && p.addr() == IpAddr::from([255, 255, 255, 255])));
            if !always && ranges.iter().any(|r| r.contains(flow.destination) == Some(true)) {
                return Snat::NotTranslated;
            }
            let auto_learn = chain.last().is_some_and(|p| snap.firewall_policies[p.index()].auto_learn_private_ranges);
            if auto_learn && !always {
                Snat::Unknown
            } else if public {
                to_public()
            } else {
                to_subnet()
            }
        }
        FirewallPass::ThreatIntel | FirewallPass::Default => Snat::NotTranslated,
    }
}

/// The public addresses the firewall's Internet traffic leaves from (the one rule, in
/// `trace/egress.rs`, §17.2): the NAT gateway's of `AzureFirewallSubnet`, else the firewall's own.
pub(super) fn public_ips(snap: &Snapshot, fw: &Firewall) -> Vec<IpAddr> {
    crate::trace::firewall_public_sources(snap, fw)
        .into_iter()
        .filter_map(|a| match a {
            crate::trace::EgressAddress::Address(ip) => Some(ip),
            _ => None,
        })
        .collect()
}
