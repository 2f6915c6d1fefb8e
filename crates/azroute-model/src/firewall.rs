//! Azure Firewall: `azureFirewalls` (VNet and hub SKUs, classic inline rule collections),
//! `firewallPolicies` with their `ruleCollectionGroups`, and `ipGroups` (§16.1), with the values
//! inside rules parsed once (addresses, ports, protocols) so evaluation never reads text.

use std::net::IpAddr;

use ipnet::IpNet;

use crate::*;

/// `sku.name` of a firewall.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FirewallSku {
    /// `AZFW_VNet`: in a VNet's `AzureFirewallSubnet`.
    VNet,
    /// `AZFW_Hub`: in a Virtual WAN hub, addressed by `hubIPAddresses`.
    Hub,
    Other(String),
}

impl FirewallSku {
    pub fn parse(text: &str) -> FirewallSku {
        if text.eq_ignore_ascii_case("AZFW_VNet") || text.is_empty() {
            FirewallSku::VNet
        } else if text.eq_ignore_ascii_case("AZFW_Hub") {
            FirewallSku::Hub
        } else {
            FirewallSku::Other(text.to_string())
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            FirewallSku::VNet => "AZFW_VNet",
            FirewallSku::Hub => "AZFW_Hub",
            FirewallSku::Other(s) => s,
        }
    }
}

/// One `ipConfigurations[]` entry (or `managementIpConfiguration`) of a firewall.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallIpConfig {
    pub name: String,
    /// The frontend ("Internal Load Balancer") IP user routes point at; readOnly in ARM.
    pub private_ip: Option<IpAddr>,
    pub subnet: Option<Link<SubnetIdx>>,
    pub public_ip: Option<Link<PublicIpIdx>>,
}

/// `Microsoft.Network/azureFirewalls`.
#[derive(Clone, Debug)]
pub struct Firewall {
    pub id: ArmId,
    pub name: String,
    pub sku: FirewallSku,
    /// `sku.tier`: `Standard`, `Premium`, `Basic` (empty when not exported).
    pub tier: String,
    pub ip_configs: Vec<FirewallIpConfig>,
    pub management_ip_config: Option<FirewallIpConfig>,
    /// `hubIPAddresses.privateIPAddress` of an `AZFW_Hub` firewall.
    pub hub_private_ip: Option<IpAddr>,
    /// `hubIPAddresses.publicIPs.addresses[].address`.
    pub hub_public_ips: Vec<IpAddr>,
    pub virtual_hub: Option<ArmId>,
    pub policy: Option<Link<FirewallPolicyIdx>>,
    /// Classic (inline) rule collections: NAT, network and application.
    pub classic: Vec<FwRuleCollection>,
    /// `threatIntelMode` (`Alert`, `Deny`, `Off`).
    pub threat_intel_mode: String,
    /// `additionalProperties["Network.SNAT.PrivateRanges"]`, split on commas (classic mode).
    pub snat_private_ranges: Option<Vec<String>>,
    /// `additionalProperties["Network.DNS.EnableProxy"]` (classic mode).
    pub dns_proxy: Option<bool>,
    pub origin: Origin,
}

impl Firewall {
    /// Every private address a user route may name as this firewall: the frontend IPs of its
    /// IP configurations (§16.1) and, in a hub, `hubIPAddresses.privateIPAddress`.
    pub fn private_ips(&self) -> impl Iterator<Item = IpAddr> + '_ {
        self.ip_configs.iter().filter_map(|c| c.private_ip).chain(self.hub_private_ip)
    }

    /// The `AzureFirewallSubnet` the firewall sits in (the one IP configuration with a subnet).
    pub fn subnet(&self) -> Option<SubnetIdx> {
        self.ip_configs.iter().find_map(|c| c.subnet.as_ref().and_then(|l| l.resolved()))
    }
}

/// `Microsoft.Network/firewallPolicies`, with its rule collection groups (separate resources in
/// ARM, nested here when linked).
#[derive(Clone, Debug)]
pub struct FirewallPolicy {
    pub id: ArmId,
    pub name: String,
    pub base_policy: Option<Link<FirewallPolicyIdx>>,
    pub threat_intel_mode: String,
    /// `snat.privateRanges`; `None` when absent (the default list applies).
    pub snat_private_ranges: Option<Vec<String>>,
    /// `snat.autoLearnPrivateRanges == "Enabled"`.
    pub auto_learn_private_ranges: bool,
    /// `dnsSettings.enableProxy`.
    pub dns_proxy: bool,
    pub tier: String,
    pub rule_collection_groups: Vec<RuleCollectionGroup>,
    pub origin: Origin,
}

/// `Microsoft.Network/firewallPolicies/ruleCollectionGroups`.
#[derive(Clone, Debug)]
pub struct RuleCollectionGroup {
    pub id: ArmId,
    pub name: String,
    /// 100 (first) … 65000 (last); `None` when not exported.
    pub priority: Option<u32>,
    pub collections: Vec<FwRuleCollection>,
    pub origin: Origin,
}

/// Which pass of the firewall a rule collection belongs to (§16.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FwRuleKind {
    Nat,
    Network,
    Application,
}

impl FwRuleKind {
    /// The kind of a policy rule's `ruleType`.
    pub fn of_rule_type(text: &str) -> Option<FwRuleKind> {
        match text.to_ascii_lowercase().as_str() {
            "natrule" => Some(FwRuleKind::Nat),
            "networkrule" => Some(FwRuleKind::Network),
            "applicationrule" => Some(FwRuleKind::Application),
            _ => None,
        }
    }
}

/// A rule collection's `action.type`, read case-insensitively (`DNAT` in the spec, `Dnat` in
/// templates and Terraform, §16.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FwAction {
    Allow,
    Deny,
    Dnat,
    Snat,
    Other(String),
}

impl FwAction {
    pub fn parse(text: &str) -> FwAction {
        match text.to_ascii_lowercase().as_str() {
            "allow" => FwAction::Allow,
            "deny" => FwAction::Deny,
            "dnat" => FwAction::Dnat,
            "snat" => FwAction::Snat,
            _ => FwAction::Other(text.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            FwAction::Allow => "Allow",
            FwAction::Deny => "Deny",
            FwAction::Dnat => "Dnat",
            FwAction::Snat => "Snat",
            FwAction::Other(s) => s,
        }
    }
}

/// A rule collection: classic (`networkRuleCollections`, …) or a policy's
/// `FirewallPolicyFilterRuleCollection` / `FirewallPolicyNatRuleCollection`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FwRuleCollection {
    pub name: String,
    pub priority: Option<u32>,
    /// The kind of its rules (a filter collection holds one kind, §16.1).
    pub kind: FwRuleKind,
    pub action: FwAction,
    pub rules: Vec<FwRule>,
}

/// An address of a rule: `*`, an IP, a CIDR, a range `a-b`, or a name (a service tag).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FwAddress {
    Any,
    Prefix(IpNet),
    Range(IpAddr, IpAddr),
    /// A service tag (or any word that is not an address).
    Tag(String),
}

impl FwAddress {
    pub fn parse(text: &str) -> FwAddress {
        let t = text.trim();
        if t == "*" {
            return FwAddress::Any;
        }
        if let Some((a, b)) = t.split_once('-')
            && let (Ok(a), Ok(b)) = (parse_ip(a), parse_ip(b))
        {
            return FwAddress::Range(a, b);
        }
        match parse_prefix_lenient(t) {
            Ok(p) => FwAddress::Prefix(p.trunc()),
            Err(_) => FwAddress::Tag(t.to_string()),
        }
    }

    /// Whether the address holds `ip`; `None` for a tag (the caller resolves tags).
    pub fn contains(&self, ip: IpAddr) -> Option<bool> {
        match self {
            FwAddress::Any => Some(true),
            FwAddress::Prefix(p) => Some(p.contains(&ip)),
            FwAddress::Range(a, b) => Some(*a <= ip && ip <= *b),
            FwAddress::Tag(_) => None,
        }
    }
}

/// A port of a rule: `*`, a port or a range; `Invalid` keeps text that is neither.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FwPort {
    Any,
    Range(u16, u16),
    Invalid(String),
}

impl FwPort {
    pub fn parse(text: &str) -> FwPort {
        let t = text.trim();
        if t == "*" {
            return FwPort::Any;
        }
        let (a, b) = t.split_once('-').unwrap_or((t, t));
        match (a.trim().parse::<u16>(), b.trim().parse::<u16>()) {
            (Ok(a), Ok(b)) if a <= b => FwPort::Range(a, b),
            _ => FwPort::Invalid(t.to_string()),
        }
    }

    pub fn contains(&self, port: u16) -> bool {
        match self {
            FwPort::Any => true,
            FwPort::Range(a, b) => *a <= port && port <= *b,
            FwPort::Invalid(_) => false,
        }
    }
}

/// A network or NAT rule's protocol (`ipProtocols`, classic `protocols`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FwProtocol {
    Any,
    Tcp,
    Udp,
    Icmp,
    Other(String),
}

impl FwProtocol {
    pub fn parse(text: &str) -> FwProtocol {
        match text.trim().to_ascii_lowercase().as_str() {
            "any" => FwProtocol::Any,
            "tcp" => FwProtocol::Tcp,
            "udp" => FwProtocol::Udp,
            "icmp" => FwProtocol::Icmp,
            _ => FwProtocol::Other(text.to_string()),
        }
    }
}

/// An application rule's `protocols[]` entry: `Http`, `Https` or `Mssql` and its port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FwAppProtocol {
    pub protocol_type: String,
    pub port: Option<u16>,
}

/// One rule of any kind; the fields a kind does not have stay empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FwRule {
    pub name: String,
    /// Network and NAT rules: `ipProtocols` (policy) or `protocols` (classic).
    pub protocols: Vec<FwProtocol>,
    /// Application rules: `protocols[{protocolType, port}]`.
    pub app_protocols: Vec<FwAppProtocol>,
    pub source_addresses: Vec<FwAddress>,
    pub source_ip_groups: Vec<Link<IpGroupIdx>>,
    pub destination_addresses: Vec<FwAddress>,
    pub destination_ip_groups: Vec<Link<IpGroupIdx>>,
    pub destination_fqdns: Vec<String>,
    pub destination_ports: Vec<FwPort>,
    /// Application rules: `targetFqdns`, `targetUrls`, `fqdnTags`, `webCategories`.
    pub target_fqdns: Vec<String>,
    pub target_urls: Vec<String>,
    pub fqdn_tags: Vec<String>,
    pub web_categories: Vec<String>,
    /// NAT rules: the translation.
    pub translated_address: Option<String>,
    pub translated_port: Option<String>,
    pub translated_fqdn: Option<String>,
}

/// `Microsoft.Network/ipGroups`.
#[derive(Clone, Debug)]
pub struct IpGroup {
    pub id: ArmId,
    pub name: String,
    pub ip_addresses: Vec<FwAddress>,
    pub origin: Origin,
}

/// The default no-SNAT list when a firewall or policy names none (§16.3, conflict C19).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SnatDefaultRanges {
    /// The SNAT page (2023–2026): IANA RFC 1918 and RFC 6598 (`100.64.0.0/10`).
    #[default]
    Rfc1918AndRfc6598,
    /// The FAQ, the forced-tunnelling page and the Terraform docs: RFC 1918 only.
    Rfc1918,
}

/// Named options for the firewall's disputed behaviour (§16.6); defaults as recommended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct FirewallOptions {
    pub snat_default_ranges: SnatDefaultRanges,
    /// C20: NAT rule collections of a parent policy are processed (default: not inherited).
    pub inherit_parent_dnat: bool,
    /// C21: a DNAT match is final (default) or the translated flow meets explicit network denies.
    pub dnat_respects_network_deny: bool,
    /// C33: a DNAT rule whose destination is the firewall's private IP never matches (the 2023
    /// known issues); default: it matches on Standard and Premium (2025 known issues, DNAT
    /// tutorial).
    pub dnat_private_ip_unsupported: bool,
}

impl FirewallOptions {
    /// Whether DNAT to a private IP of `firewall` is supported under these options (C33):
    /// Standard and Premium, unless the option says it is not.
    pub fn dnat_private_ip_supported(&self, firewall: &Firewall) -> bool {
        !self.dnat_private_ip_unsupported && !firewall.tier.eq_ignore_ascii_case("Basic")
    }
}
