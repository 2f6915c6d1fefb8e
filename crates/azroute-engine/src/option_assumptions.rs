//! The modelling options an answer over the whole estate (`reach`, `doctor`) relied on: the
//! Azure Firewall options of §16.6 (C19, C20, C21, C33) when the snapshot holds a firewall, and
//! the reading of an unset `defaultOutboundAccess` (§17.4, C23) when a subnet does not say it.
//! A trace says the ones its path met (`Assumption`); these say the ones every cell may meet.

use azroute_model::*;

/// One modelling option an estate-wide answer assumed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionAssumption {
    /// The snapshot holds Azure Firewalls: their rules were evaluated under these options.
    Firewall(FirewallOptions),
    /// `subnets` subnets do not say `defaultOutboundAccess`: read as the option says.
    UnsetDefaultOutbound { subnets: usize, option: UnsetDefaultOutbound },
}

/// The options the snapshot makes relevant, in a fixed order.
pub fn option_assumptions(snap: &Snapshot, options: &ModelOptions) -> Vec<OptionAssumption> {
    let mut out = Vec::new();
    if !snap.firewalls.is_empty() {
        out.push(OptionAssumption::Firewall(options.firewall));
    }
    let unset = snap.subnets.iter().filter(|s| s.default_outbound_access.is_none() && !s.is_service_managed()).count();
    if unset > 0 {
        out.push(OptionAssumption::UnsetDefaultOutbound { subnets: unset, option: options.unset_default_outbound });
    }
    out
}

impl OptionAssumption {
    /// The assumption in words, naming the flag and conflict of each option.
    pub fn text(&self) -> String {
        match self {
            OptionAssumption::Firewall(f) => {
                let ranges = match f.snat_default_ranges {
                    SnatDefaultRanges::Rfc1918AndRfc6598 => "RFC 1918 and RFC 6598",
                    SnatDefaultRanges::Rfc1918 => "RFC 1918 only",
                };
                format!(
                    "Azure Firewall rules evaluated with: IANAPrivateRanges = {ranges} (C19, --snat-default-ranges); a parent policy's NAT collections {} (C20, --inherit-parent-dnat); a DNAT match {} (C21, --dnat-respects-network-deny); DNAT to a firewall's private IP {} (C33, --dnat-private-ip-unsupported)",
                    if f.inherit_parent_dnat { "processed" } else { "not inherited" },
                    if f.dnat_respects_network_deny {
                        "run through the network rules, where an explicit Deny wins"
                    } else {
                        "final"
                    },
                    if f.dnat_private_ip_unsupported { "never matched" } else { "matched on Standard and Premium" },
                )
            }
            OptionAssumption::UnsetDefaultOutbound { subnets, option } => format!(
                "{subnets} subnet(s) do not say defaultOutboundAccess: read as {} (C23, --default-outbound-unset {})",
                match option {
                    UnsetDefaultOutbound::Allowed => "allowing default outbound access",
                    UnsetDefaultOutbound::Private => "private subnets",
                },
                option.as_str()
            ),
        }
    }
}
