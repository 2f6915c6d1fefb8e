//! The order in which Azure Firewall reads its rule collections (§16.2): DNAT, network, then
//! application; within a pass the parent policy's groups before the child's, then group
//! priority, then collection priority. Equal priorities keep the order of names (O1).

use azroute_model::*;

/// Where a collection sits: the policy and group it came from (none for a classic firewall).
#[derive(Clone, Copy, Debug)]
pub(super) struct Placed<'s> {
    pub policy: Option<FirewallPolicyIdx>,
    pub group: Option<&'s RuleCollectionGroup>,
    pub collection: &'s FwRuleCollection,
}

/// The policy chain of a firewall, root first (several levels: the grandparent first, O1). A
/// cycle or a missing parent ends the chain; `missing` names the policy id that is not in the
/// snapshot.
pub(super) fn policy_chain(snap: &Snapshot, fw: &Firewall) -> (Vec<FirewallPolicyIdx>, Option<ArmId>) {
    let mut chain = Vec::new();
    let mut next = fw.policy.clone();
    while let Some(link) = next {
        match link {
            Link::Resolved(p) if !chain.contains(&p) => {
                chain.push(p);
                next = snap.firewall_policies[p.index()].base_policy.clone();
            }
            Link::Resolved(_) => break,
            Link::Missing(id) => {
                chain.reverse();
                return (chain, Some(id));
            }
        }
    }
    chain.reverse();
    (chain, None)
}

fn by_priority<'a>(items: impl Iterator<Item = &'a FwRuleCollection>) -> Vec<&'a FwRuleCollection> {
    let mut v: Vec<&FwRuleCollection> = items.collect();
    v.sort_by(|a, b| a.priority.unwrap_or(u32::MAX).cmp(&b.priority.unwrap_or(u32::MAX)).then(a.name.cmp(&b.name)));
    v
}

/// The collections of one pass, in processing order. `inherit_parent_dnat` (C20) decides
/// whether parent policies' NAT collections take part.
pub(super) fn ordered<'s>(
    snap: &'s Snapshot,
    fw: &'s Firewall,
    chain: &[FirewallPolicyIdx],
    kind: FwRuleKind,
    inherit_parent_dnat: bool,
) -> Vec<Placed<'s>> {
    if fw.policy.is_none() {
        return by_priority(fw.classic.iter().filter(|c| c.kind == kind))
            .into_iter()
            .map(|collection| Placed { policy: None, group: None, collection })
            .collect();
    }
    let mut out = Vec::new();
    for (depth, &p) in chain.iter().enumerate() {
        let inherited = depth + 1 < chain.len();
        if inherited && kind == FwRuleKind::Nat && !inherit_parent_dnat {
            continue;
        }
        let mut groups: Vec<&RuleCollectionGroup> =
            snap.firewall_policies[p.index()].rule_collection_groups.iter().collect();
        groups.sort_by(|a, b| {
            a.priority.unwrap_or(u32::MAX).cmp(&b.priority.unwrap_or(u32::MAX)).then(a.name.cmp(&b.name))
        });
        for g in groups {
            for collection in by_priority(g.collections.iter().filter(|c| c.kind == kind)) {
                out.push(Placed { policy: Some(p), group: Some(g), collection });
            }
        }
    }
    out
}
