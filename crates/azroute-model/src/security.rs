//! Network security groups and their rules: directions, access, protocols, address patterns and ports.

use ipnet::IpNet;

use crate::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    Inbound,
    Outbound,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "Inbound",
            Direction::Outbound => "Outbound",
        }
    }

    pub fn reverse(self) -> Direction {
        match self {
            Direction::Inbound => Direction::Outbound,
            Direction::Outbound => Direction::Inbound,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Access {
    Allow,
    Deny,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Allow => "Allow",
            Access::Deny => "Deny",
        }
    }
}

/// An IP protocol, as a flow carries it and an NSG rule names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Protocol {
    Tcp,
    Udp,
    Icmp,
    Esp,
    Ah,
}

impl Protocol {
    /// `Tcp`, `udp`, `ICMP`, … (any case, surrounding spaces ignored).
    pub fn parse(text: &str) -> Option<Protocol> {
        let is = |s: &str| text.trim().eq_ignore_ascii_case(s);
        Some(if is("Tcp") {
            Protocol::Tcp
        } else if is("Udp") {
            Protocol::Udp
        } else if is("Icmp") {
            Protocol::Icmp
        } else if is("Esp") {
            Protocol::Esp
        } else if is("Ah") {
            Protocol::Ah
        } else {
            return None;
        })
    }

    /// The spelling of IP flow verify and of a flow (`TCP`, `UDP`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Icmp => "ICMP",
            Protocol::Esp => "ESP",
            Protocol::Ah => "AH",
        }
    }

    /// The spelling of a security rule (`Tcp`, `Udp`, …).
    pub fn as_rule_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "Tcp",
            Protocol::Udp => "Udp",
            Protocol::Icmp => "Icmp",
            Protocol::Esp => "Esp",
            Protocol::Ah => "Ah",
        }
    }

    /// Whether ports mean anything for this protocol.
    pub fn has_ports(self) -> bool {
        matches!(self, Protocol::Tcp | Protocol::Udp)
    }
}

/// The protocol an NSG rule matches: any (`*`), or one. A flow always has exactly one
/// [`Protocol`]; only a rule can say "any".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleProtocol {
    Any,
    Only(Protocol),
}

impl RuleProtocol {
    /// `*`, `All` or `Any`, or one protocol.
    pub fn parse(text: &str) -> Option<RuleProtocol> {
        let t = text.trim();
        if t == "*" || t.eq_ignore_ascii_case("All") || t.eq_ignore_ascii_case("Any") {
            return Some(RuleProtocol::Any);
        }
        Protocol::parse(t).map(RuleProtocol::Only)
    }

    /// The spelling of effective security rules (`All`, `Tcp`, `Udp`, …).
    pub fn as_effective_str(self) -> &'static str {
        match self {
            RuleProtocol::Any => "All",
            RuleProtocol::Only(p) => p.as_rule_str(),
        }
    }

    /// Whether a flow of `protocol` matches.
    pub fn matches(self, protocol: Protocol) -> bool {
        match self {
            RuleProtocol::Any => true,
            RuleProtocol::Only(p) => p == protocol,
        }
    }
}

/// One source or destination entry of an NSG rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddressPattern {
    /// `*`, `0.0.0.0/0` is kept as a prefix.
    Any,
    Prefix(IpNet),
    /// A service tag such as `VirtualNetwork`, `Internet` or `Storage.EastUS`.
    Tag(String),
}

/// An inclusive port range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PortRange {
    pub lo: u16,
    pub hi: u16,
}

impl PortRange {
    pub const ALL: PortRange = PortRange { lo: 0, hi: 65535 };

    pub fn contains(self, port: u16) -> bool {
        self.lo <= port && port <= self.hi
    }

    /// Parses `*`, `80` or `1000-2000`.
    pub fn parse(text: &str) -> Option<PortRange> {
        let t = text.trim();
        if t == "*" {
            return Some(PortRange::ALL);
        }
        match t.split_once('-') {
            Some((lo, hi)) => {
                let lo: u16 = lo.trim().parse().ok()?;
                let hi: u16 = hi.trim().parse().ok()?;
                (lo <= hi).then_some(PortRange { lo, hi })
            }
            None => t.parse().ok().map(|p| PortRange { lo: p, hi: p }),
        }
    }
}

/// A custom rule of an NSG (default rules are supplied by the engine, §9.2).
#[derive(Clone, Debug)]
pub struct SecurityRule {
    pub id: ArmId,
    pub name: String,
    pub priority: u32,
    pub direction: Direction,
    pub access: Access,
    pub protocol: RuleProtocol,
    pub sources: Vec<AddressPattern>,
    pub destinations: Vec<AddressPattern>,
    /// Normalised ids of source application security groups.
    pub source_asgs: Vec<String>,
    pub destination_asgs: Vec<String>,
    pub source_ports: Vec<PortRange>,
    pub destination_ports: Vec<PortRange>,
    /// The address fields as written, for display (`sourceAddressPrefix(es)`).
    pub source_text: Vec<String>,
    pub destination_text: Vec<String>,
    pub origin: Origin,
}

/// `Microsoft.Network/networkSecurityGroups`.
#[derive(Clone, Debug)]
pub struct Nsg {
    pub id: ArmId,
    pub name: String,
    pub location: String,
    pub rules: Vec<SecurityRule>,
    pub origin: Origin,
}
