//! The words of the Azure Virtual Network Manager codes (§18): connected-group overlaps, admin
//! rules against NSG rules, admin rules not applied, routing-rule conflicts, a missing hub
//! gateway, exceeded limits.

use azroute_engine::*;
use azroute_model::*;

use super::{FindingText, nic_name, vnet_name};

fn admin_rule_label(snap: &Snapshot, rule: usize) -> String {
    let r = &snap.avnm.admin_rules[rule];
    let collection = avnm_parent_id(r.id.as_str(), 1);
    format!(
        "admin rule `{}` of collection `{}` ({}, priority {}, {})",
        r.name,
        collection.rsplit('/').next().unwrap_or_default(),
        r.access.as_str(),
        r.priority,
        r.direction.as_str()
    )
}

pub(super) fn admin_overrides_nsg(snap: &Snapshot, e: &AvnmAdminOverridesNsg, deny: bool) -> FindingText {
    let nsg = &snap.nsgs[e.nsg.index()].name;
    let admin = admin_rule_label(snap, e.admin_rule);
    let (message, fix) = if deny {
        (
            format!(
                "{admin} denies traffic that rule `{}` of NSG `{nsg}` in `{}` allows: admin rules are evaluated first, so the NSG rule never takes effect for it",
                e.nsg_rule,
                vnet_name(snap, e.vnet)
            ),
            "if the traffic must flow, ask the network manager's administrators to narrow the admin rule or add an Allow/AlwaysAllow admin rule with a lower priority number; changing the NSG cannot help",
        )
    } else {
        (
            format!(
                "{admin} admits traffic that rule `{}` of NSG `{nsg}` in `{}` denies: AlwaysAllow skips the NSGs, so the deny never takes effect for it",
                e.nsg_rule,
                vnet_name(snap, e.vnet)
            ),
            "if the NSG's deny must hold, change the admin rule to Allow (which still lets NSGs decide) or narrow it",
        )
    };
    FindingText::new(message, fix).evidence(admin).evidence(format!("{nsg} {}", e.nsg_rule))
}

pub(super) fn admin_rule_not_applied(snap: &Snapshot, e: &AvnmAdminRuleNotApplied) -> FindingText {
    let (what, fix) = match e.private_endpoint {
        Some(n) => (
            format!("private endpoint NIC `{}`", nic_name(snap, n)),
            "protect the private endpoint with NSGs (private endpoint network policies) instead",
        ),
        None => (
            format!("platform subnet `{}`", snap.subnet_label(e.subnet)),
            "rely on the service's own controls there; admin rules do not apply to it",
        ),
    };
    FindingText::new(
        format!(
            "security admin rules target `{}`, but they are not applied to {what} (§18.3)",
            vnet_name(snap, e.vnet)
        ),
        fix,
    )
}

pub(super) fn connected_group_overlap(snap: &Snapshot, e: &AvnmConnectedGroupOverlap) -> FindingText {
    let config = &snap.avnm.connectivity_configurations[e.configuration].name;
    FindingText::new(
        format!(
            "`{}` ({}) and `{}` ({}) overlap in a connected group of configuration `{config}`: Azure drops communication to the overlapped addresses",
            vnet_name(snap, e.vnet),
            e.prefix,
            vnet_name(snap, e.other),
            e.other_prefix
        ),
        "re-address one of the VNets, or take it out of the network group; set connectedGroupAddressOverlap = Disallowed to have Azure refuse overlaps",
    )
}

pub(super) fn routing_rule_conflict(snap: &Snapshot, e: &AvnmRoutingRuleConflict) -> FindingText {
    let rules: Vec<&RoutingRule> = e.rules.iter().map(|&i| &snap.avnm.routing_rules[i]).collect();
    let destination = rules.first().map(|r| r.destination.text()).unwrap_or_default();
    let mut text = FindingText::new(
        format!(
            "{} routing rules send {destination} from `{}` to different next hops; Azure applies one \"selected at random\" (azroute shows `{}`)",
            rules.len(),
            vnet_name(snap, e.vnet),
            rules.first().map(|r| r.name.as_str()).unwrap_or_default()
        ),
        "keep one rule per destination across the routing configurations that apply to this VNet",
    );
    for r in rules {
        let ip = r.next_hop_ip.map(|i| format!(" {i}")).unwrap_or_default();
        text = text.evidence(format!("{}: {} → {}{ip}", r.name, r.destination.text(), r.next_hop_type.as_str()));
    }
    text
}

pub(super) fn hub_gateway_missing(snap: &Snapshot, e: &AvnmHubGatewayMissing) -> FindingText {
    let config = &snap.avnm.connectivity_configurations[e.configuration].name;
    FindingText::new(
        format!(
            "configuration `{config}` sets useHubGateway, but hub `{}` has no VPN or ExpressRoute gateway: the spoke-to-hub peerings fail and hub-to-spoke is created without an established connection",
            e.hub.last_segment()
        ),
        "deploy a gateway in the hub, or set useHubGateway = False",
    )
}

pub(super) fn limit_exceeded(snap: &Snapshot, e: &AvnmLimitExceeded) -> FindingText {
    let vnet = e.vnet.map(|v| vnet_name(snap, v)).unwrap_or_default();
    let config = e.configuration.map(|c| snap.avnm.connectivity_configurations[c].name.as_str()).unwrap_or_default();
    let manager = e.manager.as_ref().map(|m| m.last_segment()).unwrap_or_default();
    let (what, fix) = match e.limit {
        AvnmLimit::ConnectedGroupVnets => (
            format!("a connected group of configuration `{config}` holds {} VNets", e.count),
            "split the network group, or request a high-scale connected group (up to 3,000 or 5,000 VNets)",
        ),
        AvnmLimit::ConnectedGroupsPerVnet => (
            format!("`{vnet}` is in {} connected groups (meshes and directly connected spoke groups)", e.count),
            "take the VNet out of a mesh or directly connected group, or request a higher limit (a soft limit)",
        ),
        AvnmLimit::HubSpokes => (
            format!("hub `{vnet}` is peered with {} spokes by hub-and-spoke configurations", e.count),
            "spread the spokes over several hubs",
        ),
        AvnmLimit::AdminRulePrefixes => (
            format!("the security admin rules of network manager `{manager}` hold {} IP prefixes", e.count),
            "aggregate prefixes, or use service tags or network groups as sources and destinations",
        ),
    };
    FindingText::new(
        format!(
            "{what}, more than Virtual Network Manager's limit of {}: Azure does not deploy it as configured",
            e.limit.max()
        ),
        fix,
    )
}

pub(super) fn managers_overlap(snap: &Snapshot, e: &AvnmManagersOverlap) -> FindingText {
    let kind = if e.kind == "routing" { "routing" } else { "security admin" };
    let names: Vec<String> = e.managers.iter().map(|m| format!("`{}`", m.last_segment())).collect();
    let mut text = FindingText::new(
        format!(
            "{kind} configurations of {} network managers ({}) apply to `{}`: where they conflict, Azure applies the one of the manager with the higher scope, which depends on the management-group hierarchy the snapshot does not hold; azroute evaluates them together as one manager's",
            e.managers.len(),
            names.join(", "),
            vnet_name(snap, e.vnet)
        ),
        "check which manager's scope is higher (a management group above the other's subscriptions), or keep one manager per kind of configuration for a VNet",
    );
    for m in &e.managers {
        text = text.evidence(format!("network manager {m}"));
    }
    text
}
