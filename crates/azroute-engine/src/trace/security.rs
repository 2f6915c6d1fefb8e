//! NSGs at each hop (§9): the levels of a NIC or NIC-less host evaluated in Azure's order, each
//! check recorded on the hop, replies allowed by flow state where the request passed, and a
//! finding for the rule that denies.

use azroute_model::*;

use super::walk::{Endpoint, Packet, Walk};
use super::{HopNote, NsgCheck, Tracer};
use crate::finding::{AvnmAdminRuleDenied, Finding, NsgDenied, ResourceRef};
use crate::nsg::{Flow, NsgEvaluation};

impl Tracer<'_, '_> {
    /// Evaluates the NSGs of a NIC for a packet; records the checks on the last hop. Returns
    /// false (and a finding) when they deny. `forward_nics` are NICs whose flow state allows a
    /// reply without evaluation.
    pub(super) fn nsg_at(
        &self,
        walk: &mut Walk,
        nic: NicIdx,
        direction: Direction,
        pkt: Packet,
        forward_nics: &[Endpoint],
    ) -> bool {
        let Ok(subnet) = self.nic_subnet(nic) else { return true };
        self.nsg_at_endpoint(walk, subnet, Some(nic), direction, pkt, forward_nics)
    }

    /// NSGs at a subnet and, where there is one, a NIC in it.
    pub(super) fn nsg_at_endpoint(
        &self,
        walk: &mut Walk,
        subnet: SubnetIdx,
        nic: Option<NicIdx>,
        direction: Direction,
        pkt: Packet,
        forward_nics: &[Endpoint],
    ) -> bool {
        if !self.evaluate_nsgs {
            return true;
        }
        let flow = Flow {
            direction,
            protocol: pkt.protocol,
            source: pkt.src,
            source_port: Some(pkt.sport),
            destination: pkt.dst,
            destination_port: Some(pkt.dport),
        };
        let endpoint = match nic {
            Some(n) => Endpoint::Nic(n),
            None => Endpoint::Host(subnet),
        };
        let stateful = forward_nics.contains(&endpoint);
        walk.consulted.push(subnet);
        // §18.3: security admin rules first. A reply admitted by flow state is not evaluated
        // (assumed stateful like NSGs, §18.5).
        if !stateful {
            match self.admin_at(walk, subnet, nic, &flow) {
                Some(AdminAccess::Deny) => return false,
                Some(AdminAccess::AlwaysAllow) => return true,
                Some(AdminAccess::Allow) | None => {}
            }
        }
        for (nsg, applied_to) in self.security.nsgs_in_order(subnet, nic, direction) {
            let mut unknown = Vec::new();
            // A reply admitted by flow state is decided by no rule.
            let (rule, access) = if stateful {
                (None, Access::Allow)
            } else {
                let rule = self.security.deciding_rule(nsg, &flow, subnet, &mut unknown);
                (rule, crate::nsg::access_by(rule))
            };
            let denied = access == Access::Deny;
            let hop = walk.hops.last_mut().expect("a hop to record NSG checks on");
            hop.notes.extend(unknown.into_iter().map(|tag| HopNote::ServiceTagUnknown { tag }));
            if !denied && !self.nsg_checks {
                continue;
            }
            let evaluation = NsgEvaluation { nsg, applied_to, access, rule_name: crate::nsg::rule_name_of(rule) };
            if denied {
                let at = match nic {
                    Some(n) => ResourceRef::Nic(n),
                    None => ResourceRef::Subnet(subnet),
                };
                let denial = NsgDenied {
                    nsg,
                    applied_to,
                    rule: evaluation.rule_name.clone(),
                    direction,
                    protocol: pkt.protocol,
                    source: pkt.src,
                    destination: pkt.dst,
                    destination_port: pkt.dport,
                };
                if self.nsg_checks {
                    hop.nsg.push(NsgCheck { direction, evaluation, by_flow_state: stateful });
                }
                walk.findings.push(Finding::new(denial).resource(ResourceRef::Nsg(nsg)).resource(at));
                return false;
            }
            hop.nsg.push(NsgCheck { direction, evaluation, by_flow_state: stateful });
        }
        true
    }

    /// The admin rule deciding a flow at an endpoint, recorded on the last hop; a `Deny` adds
    /// its finding.
    fn admin_at(&self, walk: &mut Walk, subnet: SubnetIdx, nic: Option<NicIdx>, flow: &Flow) -> Option<AdminAccess> {
        let mut unknown = Vec::new();
        let verdict = self.security.evaluate_admin(subnet, nic, flow, &mut unknown)?;
        let hop = walk.hops.last_mut().expect("a hop to record admin rules on");
        hop.notes.extend(unknown.into_iter().map(|tag| HopNote::ServiceTagUnknown { tag }));
        hop.notes.push(HopNote::AdminRule { name: verdict.rule.name.clone(), access: verdict.access });
        if verdict.access == AdminAccess::Deny {
            let denial = AvnmAdminRuleDenied {
                rule: verdict.rule.rule,
                name: verdict.rule.name.clone(),
                direction: flow.direction,
                protocol: flow.protocol,
                source: flow.source,
                destination: flow.destination,
                destination_port: flow.destination_port.unwrap_or(0),
            };
            let at = match nic {
                Some(n) => ResourceRef::Nic(n),
                None => ResourceRef::Subnet(subnet),
            };
            walk.findings.push(Finding::new(denial).resource(at));
        }
        Some(verdict.access)
    }
}
