//! Network security groups (§9): effective rules with service tags expanded, and the verdict
//! for one flow at a NIC, the way IP flow verify answers.
//!
//! Order (§9.3): inbound traffic meets the subnet's NSG, then the NIC's; outbound traffic the
//! NIC's, then the subnet's. Both must allow; a level without an NSG allows. Within an NSG the
//! custom rules by ascending priority come first, then the six default rules; the first match
//! decides. NSGs are stateful: replies of an allowed flow pass without evaluation.

// Fx rather than SipHash: looked up at every NSG rule with an application security group,
// keyed by addresses of the snapshot (nothing an attacker chooses).
use rustc_hash::FxHashMap as HashMap;
use std::net::IpAddr;

use azroute_model::*;
use ipnet::IpNet;

use crate::nsg_compiled::CompiledNsg;
use crate::ranges::RangeSet;
use crate::route::{EffectiveRouteTable, RouteSource};
use crate::{RouteEngine, RouteError};

/// The Azure host IP (DHCP, DNS, health probes) that the `VirtualNetwork` and
/// `AzureLoadBalancer` tags include (§9.4).
pub const AZURE_HOST_IP: &str = "168.63.129.16/32";

/// The addresses NSG rules match for the `AzureLoadBalancer` tag (§9.4): the Azure host IP and
/// its IPv6 counterpart.
pub(crate) fn azure_load_balancer_ips() -> [IpAddr; 2] {
    [
        IpAddr::V4(std::net::Ipv4Addr::new(168, 63, 129, 16)),
        IpAddr::V6(std::net::Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0x1234, 0x5678, 0x9abc)),
    ]
}

/// A packet's five-tuple, with the direction it crosses a NIC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Flow {
    pub direction: Direction,
    pub protocol: Protocol,
    pub source: IpAddr,
    /// `None` is IP flow verify's `*`: any port.
    pub source_port: Option<u16>,
    pub destination: IpAddr,
    pub destination_port: Option<u16>,
}

/// Where an NSG is associated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AppliedTo {
    Subnet(SubnetIdx),
    NetworkInterface(NicIdx),
}

impl AppliedTo {
    pub fn as_str(self) -> &'static str {
        match self {
            AppliedTo::Subnet(_) => "subnet",
            AppliedTo::NetworkInterface(_) => "networkInterface",
        }
    }
}

/// One rule as it applies to a NIC: custom or default, with tags expanded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffectiveRule {
    /// `securityRules/NAME` or `defaultSecurityRules/NAME` (shared: every evaluation names it).
    pub name: std::sync::Arc<str>,
    pub default: bool,
    pub priority: u32,
    pub direction: Direction,
    pub access: Access,
    pub protocol: RuleProtocol,
    pub sources: Vec<AddressPattern>,
    pub destinations: Vec<AddressPattern>,
    pub source_asgs: Vec<String>,
    pub destination_asgs: Vec<String>,
    pub source_ports: Vec<PortRange>,
    pub destination_ports: Vec<PortRange>,
    /// The address fields as written (`VirtualNetwork`, `10.0.0.0/8`, `*` …).
    pub source_text: Vec<String>,
    pub destination_text: Vec<String>,
}

/// The rules of one NSG at one association, in evaluation order for both directions.
#[derive(Clone, Debug)]
pub struct NsgLevel {
    pub nsg: NsgIdx,
    pub applied_to: AppliedTo,
    pub rules: std::sync::Arc<Vec<EffectiveRule>>,
}

/// The rule name of an evaluation no rule decided (a reply admitted by flow state): one shared
/// empty name rather than an allocation per check.
pub(crate) fn no_rule_name() -> std::sync::Arc<str> {
    static EMPTY: std::sync::LazyLock<std::sync::Arc<str>> = std::sync::LazyLock::new(|| "".into());
    EMPTY.clone()
}

/// One NSG's verdict for a flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NsgEvaluation {
    pub nsg: NsgIdx,
    pub applied_to: AppliedTo,
    pub access: Access,
    /// The matching rule's name (`securityRules/…` or `defaultSecurityRules/…`).
    pub rule_name: std::sync::Arc<str>,
}

/// The verdict for a flow at a NIC: every NSG consulted, in order, and which one decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowDecision {
    pub access: Access,
    /// The deciding rule: the first Deny, else the last NSG's Allow; empty when no NSG applies.
    pub rule_name: String,
    pub decided_by: Option<(NsgIdx, AppliedTo)>,
    pub evaluations: Vec<NsgEvaluation>,
    /// Tags in matched or skipped rules that could not be expanded.
    pub unknown_tags: Vec<String>,
    /// The security admin rule that matched first (§18.3): a `Deny` or `AlwaysAllow` decided,
    /// an `Allow` handed the flow to the NSGs.
    pub admin: Option<crate::AdminVerdict>,
    /// Why admin rules were not applied at this NIC (AV-S5), when the VNet has some.
    pub admin_exemption: Option<crate::AdminExemption>,
}

/// The six default rules (§9.2), with the names effective rules and IP flow verify use.
pub(crate) fn default_rules() -> Vec<EffectiveRule> {
    let rule = |name: &str, priority: u32, direction: Direction, access: Access, src: &str, dst: &str| EffectiveRule {
        name: format!("defaultSecurityRules/{name}").into(),
        default: true,
        priority,
        direction,
        access,
        protocol: RuleProtocol::Any,
        sources: vec![default_pattern(src)],
        destinations: vec![default_pattern(dst)],
        source_asgs: Vec::new(),
        destination_asgs: Vec::new(),
        source_ports: vec![PortRange::ALL],
        destination_ports: vec![PortRange::ALL],
        source_text: vec![src.to_string()],
        destination_text: vec![dst.to_string()],
    };
    vec![
        rule("AllowVnetInBound", 65000, Direction::Inbound, Access::Allow, "VirtualNetwork", "VirtualNetwork"),
        rule(
            "AllowAzureLoadBalancerInBound",
            65001,
            Direction::Inbound,
            Access::Allow,
            "AzureLoadBalancer",
            "0.0.0.0/0",
        ),
        rule("DenyAllInBound", 65500, Direction::Inbound, Access::Deny, "0.0.0.0/0", "0.0.0.0/0"),
        rule("AllowVnetOutBound", 65000, Direction::Outbound, Access::Allow, "VirtualNetwork", "VirtualNetwork"),
        rule("AllowInternetOutBound", 65001, Direction::Outbound, Access::Allow, "0.0.0.0/0", "Internet"),
        rule("DenyAllOutBound", 65500, Direction::Outbound, Access::Deny, "0.0.0.0/0", "0.0.0.0/0"),
    ]
}

/// A default rule's address: effective rules print `0.0.0.0/0`, but the rule is `*` and
/// matches IPv6 as well (§9.2, §10.3: dual-stack NICs are governed by the same defaults).
fn default_pattern(text: &str) -> AddressPattern {
    if text == "0.0.0.0/0" { AddressPattern::Any } else { pattern(text) }
}

fn pattern(text: &str) -> AddressPattern {
    match text.parse::<IpNet>() {
        Ok(net) => AddressPattern::Prefix(net),
        Err(_) => AddressPattern::Tag(text.to_string()),
    }
}

/// The rules of an NSG, custom then default, sorted the way Azure evaluates them.
pub fn nsg_rules(nsg: &Nsg) -> Vec<EffectiveRule> {
    let mut rules: Vec<EffectiveRule> = nsg
        .rules
        .iter()
        .map(|r| EffectiveRule {
            name: format!("securityRules/{}", r.name).into(),
            default: false,
            priority: r.priority,
            direction: r.direction,
            access: r.access,
            protocol: r.protocol,
            sources: r.sources.clone(),
            destinations: r.destinations.clone(),
            source_asgs: r.source_asgs.clone(),
            destination_asgs: r.destination_asgs.clone(),
            source_ports: r.source_ports.clone(),
            destination_ports: r.destination_ports.clone(),
            source_text: r.source_text.clone(),
            destination_text: r.destination_text.clone(),
        })
        .collect();
    rules.sort_by(|a, b| (a.direction, a.priority, &a.name).cmp(&(b.direction, b.priority, &b.name)));
    let mut defaults = default_rules();
    rules.append(&mut defaults);
    rules.sort_by_key(|r| (r.direction, r.default, r.priority));
    rules
}

/// Evaluates flows and expands tags for one snapshot.
pub struct SecurityEngine<'e, 's> {
    routes: &'e RouteEngine<'s>,
    /// Application security groups of every NIC IP (normalised ASG ids).
    asg_by_ip: HashMap<IpAddr, Vec<String>>,
    /// `VirtualNetwork` per subnet, computed once.
    vnet_tags: Vec<std::sync::OnceLock<(std::sync::Arc<Vec<IpNet>>, RangeSet)>>,
    /// Each NSG's rules in evaluation order, built once.
    rules: Vec<std::sync::OnceLock<std::sync::Arc<Vec<EffectiveRule>>>>,
    /// The same rules compiled into address and port classes, built on the first verdict.
    compiled: Vec<std::sync::OnceLock<CompiledNsg>>,
    /// Security admin rules per VNet (§18.3), built on first use.
    admin_by_vnet: std::sync::OnceLock<Vec<Vec<crate::AppliedAdminRule>>>,
}

/// What a level answers when its rule at `position` decides, rule by rule or compiled alike.
fn evaluation_at(
    nsg: NsgIdx,
    applied_to: AppliedTo,
    rules: &[EffectiveRule],
    position: Option<usize>,
) -> NsgEvaluation {
    evaluation_by(nsg, applied_to, position.map(|i| &rules[i]))
}

/// What a level answers when `rule` decides.
fn evaluation_by(nsg: NsgIdx, applied_to: AppliedTo, rule: Option<&EffectiveRule>) -> NsgEvaluation {
    NsgEvaluation { nsg, applied_to, access: access_by(rule), rule_name: rule_name_of(rule) }
}

/// The name an evaluation gives its deciding rule; the shared empty name where none decided.
pub(crate) fn rule_name_of(rule: Option<&EffectiveRule>) -> std::sync::Arc<str> {
    rule.map_or_else(no_rule_name, |r| std::sync::Arc::clone(&r.name))
}

/// The access of a level whose deciding rule is `rule`: the default rules always match, so no
/// rule is only an inconsistent level, which denies.
pub(crate) fn access_by(rule: Option<&EffectiveRule>) -> Access {
    rule.map_or(Access::Deny, |r| r.access)
}

impl<'e, 's> SecurityEngine<'e, 's> {
    pub fn new(routes: &'e RouteEngine<'s>) -> SecurityEngine<'e, 's> {
        let mut asg_by_ip: HashMap<IpAddr, Vec<String>> = HashMap::default();
        for nic in &routes.snap().nics {
            for cfg in &nic.ip_configs {
                if let Some(ip) = cfg.private_ip
                    && !cfg.application_security_groups.is_empty()
                {
                    asg_by_ip.entry(ip).or_default().extend(cfg.application_security_groups.iter().cloned());
                }
            }
        }
        let rules = (0..routes.snap().nsgs.len()).map(|_| std::sync::OnceLock::new()).collect();
        let compiled = (0..routes.snap().nsgs.len()).map(|_| std::sync::OnceLock::new()).collect();
        let vnet_tags = (0..routes.snap().subnets.len()).map(|_| std::sync::OnceLock::new()).collect();
        SecurityEngine { routes, asg_by_ip, vnet_tags, rules, compiled, admin_by_vnet: std::sync::OnceLock::new() }
    }

    pub(crate) fn admin_by_vnet(&self) -> &[Vec<crate::AppliedAdminRule>] {
        self.admin_by_vnet.get_or_init(|| crate::admin_rules::admin_rules_by_vnet(self.snap()))
    }

    /// The route engine whose snapshot and tables this evaluates against.
    pub fn routes(&self) -> &'e RouteEngine<'s> {
        self.routes
    }

    /// The addresses of the NIC IP configurations that belong to any of `asgs` (normalised
    /// application security group ids), each once, sorted: what an ASG in a rule stands for.
    pub fn asg_members(&self, asgs: &[String]) -> Vec<IpAddr> {
        let mut out: Vec<IpAddr> = self
            .asg_by_ip
            .iter()
            .filter(|(_, groups)| groups.iter().any(|g| asgs.contains(g)))
            .map(|(ip, _)| *ip)
            .collect();
        out.sort_unstable();
        out
    }

    /// An NSG's rules, custom then default, in evaluation order.
    pub fn rules_of(&self, nsg: NsgIdx) -> std::sync::Arc<Vec<EffectiveRule>> {
        self.rules_ref(nsg).clone()
    }

    /// The same, borrowed: the tracer's checks take no reference count.
    fn rules_ref(&self, nsg: NsgIdx) -> &std::sync::Arc<Vec<EffectiveRule>> {
        self.rules[nsg.index()].get_or_init(|| std::sync::Arc::new(nsg_rules(&self.snap().nsgs[nsg.index()])))
    }

    fn snap(&self) -> &'s Snapshot {
        self.routes.snap()
    }

    /// The NSG levels a NIC's traffic meets, in evaluation order for `direction`.
    pub fn levels(&self, nic: NicIdx, direction: Direction) -> Result<Vec<NsgLevel>, RouteError> {
        let subnet = self.routes.nic_subnet(nic)?;
        Ok(self.levels_at(subnet, Some(nic), direction))
    }

    /// The NSG levels at a subnet and, where there is one, a NIC in it.
    pub fn levels_at(&self, subnet: SubnetIdx, nic: Option<NicIdx>, direction: Direction) -> Vec<NsgLevel> {
        self.levels_in_order(subnet, nic, direction).collect()
    }

    /// The same levels, in evaluation order for `direction`, without collecting them.
    pub fn levels_in_order(
        &self,
        subnet: SubnetIdx,
        nic: Option<NicIdx>,
        direction: Direction,
    ) -> impl Iterator<Item = NsgLevel> + use<'_, 's> {
        self.nsgs_in_order(subnet, nic, direction).map(|(nsg, applied_to)| NsgLevel {
            nsg,
            applied_to,
            rules: self.rules_of(nsg),
        })
    }

    /// The NSGs of those levels and where each is associated, without their rules: the tracer
    /// asks at every NIC a packet meets (a vector per check was a tenth of a matrix's
    /// allocations, and a reference count per level is shared by every thread).
    pub(crate) fn nsgs_in_order(
        &self,
        subnet: SubnetIdx,
        nic: Option<NicIdx>,
        direction: Direction,
    ) -> impl Iterator<Item = (NsgIdx, AppliedTo)> + use<'_, 's> {
        let snap = self.snap();
        let subnet_level = snap.subnets[subnet.index()]
            .nsg
            .as_ref()
            .and_then(|l| l.resolved())
            .map(|n| (n, AppliedTo::Subnet(subnet)));
        let nic_level = nic.and_then(|nic| {
            snap.nics[nic.index()]
                .nsg
                .as_ref()
                .and_then(|l| l.resolved())
                .map(|n| (n, AppliedTo::NetworkInterface(nic)))
        });
        let (first, second) = match direction {
            Direction::Inbound => (subnet_level, nic_level),
            Direction::Outbound => (nic_level, subnet_level),
        };
        first.into_iter().chain(second)
    }

    /// `VirtualNetwork` for a subnet (§9.4): the VNet's ranges, peered ranges (with
    /// `allowVirtualNetworkAccess`), gateway-learned prefixes (where propagated), the prefixes
    /// of the subnet's user routes (0.0.0.0/0 included), and the Azure host IP.
    pub fn virtual_network_tag(&self, subnet: SubnetIdx) -> std::sync::Arc<Vec<IpNet>> {
        self.vnet_tag(subnet).0.clone()
    }

    /// The tag's prefixes and, for membership tests at every NSG check, the same as sorted
    /// disjoint ranges.
    fn vnet_tag(&self, subnet: SubnetIdx) -> &(std::sync::Arc<Vec<IpNet>>, RangeSet) {
        self.vnet_tags[subnet.index()].get_or_init(|| {
            let prefixes = self.compute_virtual_network_tag(subnet);
            let ranges = RangeSet::new(&prefixes);
            (std::sync::Arc::new(prefixes), ranges)
        })
    }

    fn compute_virtual_network_tag(&self, subnet: SubnetIdx) -> Vec<IpNet> {
        let snap = self.snap();
        let s = &snap.subnets[subnet.index()];
        let vnet = &snap.vnets[s.vnet.index()];
        let mut out: Vec<IpNet> = vnet.address_space.clone();
        let add = |p: IpNet, out: &mut Vec<IpNet>| {
            if !out.contains(&p) {
                out.push(p);
            }
        };
        for &p in &vnet.peerings {
            let status = &self.routes.topology().peerings[p.index()];
            let peering = &snap.peerings[p.index()];
            if !status.connected || !peering.allow_virtual_network_access {
                continue;
            }
            let ranges = if peering.remote_address_space.is_empty() {
                status.remote_vnet.map(|r| snap.vnets[r.index()].address_space.clone()).unwrap_or_default()
            } else {
                peering.remote_address_space.clone()
            };
            for r in ranges {
                add(r, &mut out);
            }
        }
        if let Ok(table) = self.routes.subnet_table(subnet) {
            for r in &table.routes {
                // §18.2 [inferred]: connected-group members are in the tag as peers are.
                if r.source == RouteSource::VirtualNetworkGateway
                    || r.source == RouteSource::User
                    || r.next_hop_type == crate::NextHopType::ConnectedGroup
                {
                    for p in &r.prefixes {
                        add(*p, &mut out);
                    }
                }
            }
        }
        add(AZURE_HOST_IP.parse().expect("valid"), &mut out);
        out
    }

    /// The prefixes of a service tag as seen from a subnet; `None` for an unknown tag.
    pub fn expand_tag(&self, tag: &str, subnet: SubnetIdx) -> Option<Vec<IpNet>> {
        if tag.eq_ignore_ascii_case("VirtualNetwork") {
            return Some(self.virtual_network_tag(subnet).as_ref().clone());
        }
        if tag.eq_ignore_ascii_case("AzureLoadBalancer") {
            return Some(vec![
                AZURE_HOST_IP.parse().expect("valid"),
                "fe80::1234:5678:9abc/128".parse().expect("valid"),
            ]);
        }
        if tag.eq_ignore_ascii_case("Internet") {
            return Some(internet_prefixes().to_vec());
        }
        crate::effective::expand_tag(self.snap(), tag)
    }

    /// Whether a tag (as seen from `subnet`) contains `ip`, without copying its prefixes;
    /// `None` for an unknown tag.
    pub(crate) fn tag_contains(&self, tag: &str, subnet: SubnetIdx, ip: IpAddr) -> Option<bool> {
        if tag.eq_ignore_ascii_case("VirtualNetwork") {
            return Some(self.vnet_tag(subnet).1.contains(ip));
        }
        if tag.eq_ignore_ascii_case("Internet") {
            return Some(is_internet(ip));
        }
        if tag.eq_ignore_ascii_case("AzureLoadBalancer") {
            return Some(azure_load_balancer_ips().contains(&ip));
        }
        self.service_tag(tag).map(|t| t.prefixes.iter().any(|n| n.contains(&ip)))
    }

    /// A tag of the snapshot's Service Tags file; `None` when there is no file or no such tag.
    pub(crate) fn service_tag(&self, tag: &str) -> Option<&'s ServiceTag> {
        self.snap().service_tags.as_ref()?.find(tag)
    }

    fn address_matches(
        &self,
        patterns: &[AddressPattern],
        asgs: &[String],
        ip: IpAddr,
        subnet: SubnetIdx,
        unknown: &mut Vec<String>,
    ) -> bool {
        if !asgs.is_empty() {
            let members = self.asg_by_ip.get(&ip);
            return members.is_some_and(|m| m.iter().any(|a| asgs.contains(a)));
        }
        if patterns.is_empty() {
            return true;
        }
        patterns.iter().any(|p| match p {
            AddressPattern::Any => true,
            AddressPattern::Prefix(net) => net.contains(&ip),
            AddressPattern::Tag(tag) => match self.tag_contains(tag, subnet, ip) {
                Some(found) => found,
                None => {
                    if !unknown.contains(tag) {
                        unknown.push(tag.clone());
                    }
                    false
                }
            },
        })
    }

    /// Whether a rule matches a flow seen at a NIC in `subnet`.
    pub fn rule_matches(
        &self,
        rule: &EffectiveRule,
        flow: &Flow,
        subnet: SubnetIdx,
        unknown: &mut Vec<String>,
    ) -> bool {
        if !header_matches(rule.direction, rule.protocol, &rule.source_ports, &rule.destination_ports, flow) {
            return false;
        }
        self.address_matches(&rule.sources, &rule.source_asgs, flow.source, subnet, unknown)
            && self.address_matches(&rule.destinations, &rule.destination_asgs, flow.destination, subnet, unknown)
    }

    /// The first matching rule of one NSG level: by the NSG's compiled classes where it has
    /// them (`compiled_verdict`), else rule by rule.
    pub fn evaluate_level(
        &self,
        level: &NsgLevel,
        flow: &Flow,
        subnet: SubnetIdx,
        unknown: &mut Vec<String>,
    ) -> NsgEvaluation {
        match self.compiled_verdict(level, flow, subnet) {
            Some(evaluation) => evaluation,
            None => self.evaluate_level_by_rules(level, flow, subnet, unknown),
        }
    }

    /// The first matching rule of one of this engine's NSGs, associated at `applied_to`: what
    /// `evaluate_level` answers for its level, without building one.
    pub(crate) fn evaluate_nsg(
        &self,
        nsg: NsgIdx,
        applied_to: AppliedTo,
        flow: &Flow,
        subnet: SubnetIdx,
        unknown: &mut Vec<String>,
    ) -> NsgEvaluation {
        evaluation_by(nsg, applied_to, self.deciding_rule(nsg, flow, subnet, unknown))
    }

    /// The rule of one of this engine's NSGs that decides a flow, without naming it in an
    /// evaluation: what a caller that keeps only the verdict asks (the reachability matrix).
    /// Compiled where it can be, rule by rule where a tag is unknown (those reported in
    /// `unknown`); `None` only for an inconsistent level (the default rules always match).
    pub(crate) fn deciding_rule(
        &self,
        nsg: NsgIdx,
        flow: &Flow,
        subnet: SubnetIdx,
        unknown: &mut Vec<String>,
    ) -> Option<&EffectiveRule> {
        let rules = self.rules_ref(nsg);
        let position = match self.compiled_position(nsg, flow, subnet) {
            Some(position) => position,
            None => self.position_by_rules(rules, flow, subnet, unknown),
        };
        position.map(|i| &rules[i])
    }

    /// The first rule in `rules` that matches a flow, asked rule by rule.
    fn position_by_rules(
        &self,
        rules: &[EffectiveRule],
        flow: &Flow,
        subnet: SubnetIdx,
        unknown: &mut Vec<String>,
    ) -> Option<usize> {
        rules.iter().position(|rule| self.rule_matches(rule, flow, subnet, unknown))
    }

    /// The verdict of a level's compiled rules (`nsg_compiled`): the same rule as
    /// [`Self::evaluate_level_by_rules`] finds. `None` when the level is not one of this
    /// engine's NSGs as built, or its rules of the flow's direction name a tag the snapshot
    /// cannot expand (those are reported rule by rule, in order).
    pub fn compiled_verdict(&self, level: &NsgLevel, flow: &Flow, subnet: SubnetIdx) -> Option<NsgEvaluation> {
        let built = self.rules.get(level.nsg.index())?.get()?;
        if !std::sync::Arc::ptr_eq(built, &level.rules) {
            return None;
        }
        self.compiled_evaluation(level.nsg, level.applied_to, flow, subnet)
    }

    fn compiled_evaluation(
        &self,
        nsg: NsgIdx,
        applied_to: AppliedTo,
        flow: &Flow,
        subnet: SubnetIdx,
    ) -> Option<NsgEvaluation> {
        let position = self.compiled_position(nsg, flow, subnet)?;
        Some(evaluation_at(nsg, applied_to, self.rules_ref(nsg), position))
    }

    /// The deciding rule's position by the compiled rules; `None` when the flow's direction
    /// names a tag the snapshot cannot expand (evaluated rule by rule instead).
    fn compiled_position(&self, nsg: NsgIdx, flow: &Flow, subnet: SubnetIdx) -> Option<Option<usize>> {
        let rules = self.rules_ref(nsg);
        let compiled = self.compiled[nsg.index()].get_or_init(|| CompiledNsg::new(self, rules));
        Some(compiled.direction(flow.direction)?.first_match(flow, |ip| self.vnet_tag(subnet).1.contains(ip)))
    }

    /// The first matching rule of one NSG level, rule by rule in evaluation order: the
    /// reference the compiled verdict is tested against, and the evaluation that reports
    /// unknown tags.
    pub fn evaluate_level_by_rules(
        &self,
        level: &NsgLevel,
        flow: &Flow,
        subnet: SubnetIdx,
        unknown: &mut Vec<String>,
    ) -> NsgEvaluation {
        self.evaluate_rules(level.nsg, level.applied_to, &level.rules, flow, subnet, unknown)
    }

    fn evaluate_rules(
        &self,
        nsg: NsgIdx,
        applied_to: AppliedTo,
        rules: &[EffectiveRule],
        flow: &Flow,
        subnet: SubnetIdx,
        unknown: &mut Vec<String>,
    ) -> NsgEvaluation {
        evaluation_at(nsg, applied_to, rules, self.position_by_rules(rules, flow, subnet, unknown))
    }

    /// IP flow verify for a NIC: every NSG on the way, in Azure's order.
    pub fn evaluate(&self, nic: NicIdx, flow: &Flow) -> Result<FlowDecision, RouteError> {
        let subnet = self.routes.nic_subnet(nic)?;
        let mut unknown = Vec::new();
        // §18.3 AV-S1: admin rules first; `Deny` and `AlwaysAllow` end the evaluation.
        let admin = self.evaluate_admin(subnet, Some(nic), flow, &mut unknown);
        let vnet = self.snap().subnets[subnet.index()].vnet;
        let admin_exemption =
            if self.admin_rules_of(vnet).is_empty() { None } else { self.admin_exemption(subnet, Some(nic)) };
        if let Some(verdict) = admin.as_ref().filter(|v| v.access != AdminAccess::Allow) {
            return Ok(FlowDecision {
                access: if verdict.access == AdminAccess::Deny { Access::Deny } else { Access::Allow },
                rule_name: verdict.rule.name.to_string(),
                decided_by: None,
                evaluations: Vec::new(),
                unknown_tags: unknown,
                admin,
                admin_exemption,
            });
        }
        let mut evaluations = Vec::new();
        for (nsg, applied_to) in self.nsgs_in_order(subnet, Some(nic), flow.direction) {
            let e = self.evaluate_nsg(nsg, applied_to, flow, subnet, &mut unknown);
            let deny = e.access == Access::Deny;
            evaluations.push(e);
            if deny {
                break;
            }
        }
        let last = evaluations.last();
        // No NSG: an `Allow` admin rule that matched is the only rule that spoke.
        let admin_name = admin.as_ref().map(|v| v.rule.name.to_string());
        Ok(FlowDecision {
            access: last.map(|e| e.access).unwrap_or(Access::Allow),
            rule_name: last.map(|e| e.rule_name.to_string()).or(admin_name).unwrap_or_default(),
            decided_by: last.map(|e| (e.nsg, e.applied_to)),
            evaluations,
            unknown_tags: unknown,
            admin,
            admin_exemption,
        })
    }

    /// The subnet's table, for callers that need the routes behind the tag expansion.
    pub fn subnet_table(&self, subnet: SubnetIdx) -> Result<std::sync::Arc<EffectiveRouteTable>, RouteError> {
        self.routes.subnet_table(subnet)
    }
}

/// Whether a rule's direction, protocol and ports admit a flow: the part of matching that NSG
/// rules (§9) and security admin rules (§18.3) share; ports only count for protocols that have them.
pub(crate) fn header_matches(
    direction: Direction,
    protocol: RuleProtocol,
    source_ports: &[PortRange],
    destination_ports: &[PortRange],
    flow: &Flow,
) -> bool {
    let port_ok = |ranges: &[PortRange], port: Option<u16>| port.is_none_or(|p| ranges.iter().any(|r| r.contains(p)));
    direction == flow.direction
        && protocol.matches(flow.protocol)
        && (!flow.protocol.has_ports()
            || (port_ok(source_ports, flow.source_port) && port_ok(destination_ports, flow.destination_port)))
}
