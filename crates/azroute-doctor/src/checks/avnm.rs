//! Azure Virtual Network Manager checks (§18): overlapping connected-group members, security
//! admin rules that override NSG rules or are not applied where they target, routing rules that
//! conflict, and hub-and-spoke configurations that ask for a hub gateway the hub lacks.

use azroute_engine::*;
use azroute_model::*;
use ipnet::IpNet;

use crate::Doctor;

impl Doctor<'_, '_> {
    pub(crate) fn avnm_checks(&self, out: &mut Vec<Finding>) {
        if self.snap.avnm.is_empty() {
            return;
        }
        self.avnm_connected_group_overlap(out);
        self.avnm_admin_overrides(out);
        self.avnm_admin_rule_not_applied(out);
        self.avnm_routing_rule_conflict(out);
        self.avnm_hub_gateway_missing(out);
        self.avnm_limit_exceeded(out);
        self.avnm_managers_overlap(out);
    }

    /// AV-C5: overlapping members of one connected group.
    fn avnm_connected_group_overlap(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        for group in &self.routes.topology().connected_groups.groups {
            for (i, &a) in group.members.iter().enumerate() {
                for &b in &group.members[i + 1..] {
                    for pa in &snap.vnets[a.index()].address_space {
                        for pb in snap.vnets[b.index()].address_space.iter().filter(|pb| overlap(pa, pb)) {
                            let e = AvnmConnectedGroupOverlap {
                                configuration: group.configuration,
                                vnet: a,
                                other: b,
                                prefix: *pa,
                                other_prefix: *pb,
                            };
                            out.push(Finding::new(e).resource(ResourceRef::Vnet(a)).resource(ResourceRef::Vnet(b)));
                        }
                    }
                }
            }
        }
    }

    /// AV-S1: a `Deny` admin rule that can take traffic an NSG rule of the VNet allows, an
    /// `AlwaysAllow` one that can admit traffic an NSG rule denies.
    fn avnm_admin_overrides(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        for (v, _) in snap.vnets.iter().enumerate() {
            let vnet = VnetIdx(v as u32);
            let rules = self.security.admin_rules_of(vnet);
            if rules.is_empty() {
                continue;
            }
            for nsg in self.nsgs_in(vnet) {
                for applied in rules {
                    let admin = &snap.avnm.admin_rules[applied.rule];
                    let wanted = match admin.access {
                        AdminAccess::Deny => Access::Allow,
                        AdminAccess::AlwaysAllow => Access::Deny,
                        AdminAccess::Allow => continue,
                    };
                    for rule in
                        snap.nsgs[nsg.index()].rules.iter().filter(|r| r.access == wanted && may_overlap(admin, r))
                    {
                        let e = AvnmAdminOverridesNsg {
                            admin_rule: applied.rule,
                            nsg,
                            nsg_rule: format!("securityRules/{}", rule.name).into(),
                            vnet,
                        };
                        let finding = if admin.access == AdminAccess::Deny {
                            Finding::new(AvnmAdminDenyOverridesNsgAllow(e))
                        } else {
                            Finding::new(AvnmAlwaysAllowBypassesNsgDeny(e))
                        };
                        out.push(finding.resource(ResourceRef::Nsg(nsg)).resource(ResourceRef::Vnet(vnet)));
                    }
                }
            }
        }
    }

    /// The NSGs associated with the subnets (admin rules apply there) and NICs of a VNet.
    fn nsgs_in(&self, vnet: VnetIdx) -> Vec<NsgIdx> {
        let snap = self.snap;
        let mut out = Vec::new();
        for &s in &snap.vnets[vnet.index()].subnets {
            if self.security.admin_exemption(s, None).is_some() {
                continue;
            }
            out.extend(snap.subnets[s.index()].nsg.as_ref().and_then(|l| l.resolved()));
            for &n in &self.nics_by_subnet[s.index()] {
                out.extend(snap.nics[n.index()].nsg.as_ref().and_then(|l| l.resolved()));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// AV-S5: platform subnets and private endpoints in a VNet admin rules target.
    fn avnm_admin_rule_not_applied(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        for (v, vn) in snap.vnets.iter().enumerate() {
            let vnet = VnetIdx(v as u32);
            if self.security.admin_rules_of(vnet).is_empty() {
                continue;
            }
            for &s in &vn.subnets {
                let exempt = self.security.admin_exemption(s, None).map(|_| None).into_iter().chain(
                    self.nics_by_subnet[s.index()]
                        .iter()
                        .filter(|&&n| self.security.admin_exemption(s, Some(n)).is_some())
                        .map(|&n| Some(n)),
                );
                for private_endpoint in exempt {
                    let e = AvnmAdminRuleNotApplied { vnet, subnet: s, private_endpoint };
                    out.push(Finding::new(e).resource(ResourceRef::Subnet(s)).resource(ResourceRef::Vnet(vnet)));
                }
            }
        }
    }

    /// AV-R2: routing rules reaching one VNet with one destination and different next hops.
    fn avnm_routing_rule_conflict(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        for v in 0..snap.vnets.len() {
            let vnet = VnetIdx(v as u32);
            let managed = managed_routes(snap, vnet, None);
            let mut seen: Vec<usize> = Vec::new();
            for &i in &managed.rules {
                if seen.contains(&i) {
                    continue;
                }
                let r = &snap.avnm.routing_rules[i];
                let same: Vec<usize> = managed
                    .rules
                    .iter()
                    .copied()
                    .filter(|&j| snap.avnm.routing_rules[j].destination == r.destination)
                    .collect();
                seen.extend(&same);
                let differ = same.iter().any(|&j| {
                    let o = &snap.avnm.routing_rules[j];
                    (&o.next_hop_type, o.next_hop_ip) != (&r.next_hop_type, r.next_hop_ip)
                });
                if differ {
                    out.push(
                        Finding::new(AvnmRoutingRuleConflict { vnet, rules: same }).resource(ResourceRef::Vnet(vnet)),
                    );
                }
            }
        }
    }

    /// AV-C2: `useHubGateway` with no VPN or ExpressRoute gateway in the hub.
    fn avnm_hub_gateway_missing(&self, out: &mut Vec<Finding>) {
        let snap = self.snap;
        for (ci, config) in snap.avnm.connectivity_configurations.iter().enumerate() {
            if config.topology != ConnectivityTopology::HubAndSpoke
                || !config.applies_to.iter().any(|g| g.use_hub_gateway)
            {
                continue;
            }
            for hub in &config.hubs {
                // A hub the export lacks: nothing to prove.
                let Some(v) = snap.resolve_id(ResourceKind::VirtualNetwork, hub.as_str()) else { continue };
                if self.routes.topology().own_gateways[v as usize].is_empty() {
                    let e = AvnmHubGatewayMissing { configuration: ci, hub: hub.clone() };
                    out.push(Finding::new(e).resource(ResourceRef::Vnet(VnetIdx(v))));
                }
            }
        }
    }
}

fn overlap(a: &IpNet, b: &IpNet) -> bool {
    contains_prefix(a, b) || contains_prefix(b, a)
}

/// Whether an admin rule and an NSG rule can match one flow: same direction, compatible
/// protocols, intersecting ports, and addresses that can meet (a tag, a group or `*` can).
fn may_overlap(admin: &AdminRule, rule: &SecurityRule) -> bool {
    let protocols = match (admin.protocol, rule.protocol) {
        (RuleProtocol::Only(a), RuleProtocol::Only(b)) => a == b,
        _ => true,
    };
    let ports = |a: &[PortRange], b: &[PortRange]| a.iter().any(|x| b.iter().any(|y| x.lo <= y.hi && y.lo <= x.hi));
    let addresses = |a: &[AdminAddress], b: &[AddressPattern]| {
        a.is_empty()
            || b.is_empty()
            || a.iter().any(|x| {
                b.iter().any(|y| match (x, y) {
                    (AdminAddress::Prefix(p), AddressPattern::Prefix(q)) => overlap(p, q),
                    _ => true,
                })
            })
    };
    admin.direction == rule.direction
        && protocols
        && ports(&admin.source_ports, &rule.source_ports)
        && ports(&admin.destination_ports, &rule.destination_ports)
        && addresses(&admin.sources, &rule.sources)
        && addresses(&admin.destinations, &rule.destinations)
}
