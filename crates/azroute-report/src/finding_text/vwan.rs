//! The words of the Virtual WAN checks (§20.6).

use azroute_engine::*;
use azroute_model::*;

use super::FindingText;

fn hub(snap: &Snapshot, hub: VirtualHubIdx) -> &str {
    &snap.virtual_hubs[hub.index()].name
}

/// The last segment of an id (`conn-app1`).
fn last(id: &ArmId) -> &str {
    id.last_segment()
}

fn list(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

pub(super) fn spoke_propagation_disabled(snap: &Snapshot, e: &VwanSpokePropagationDisabled) -> FindingText {
    let table = &snap.route_tables[e.table.index()].name;
    let lost = if e.routing_intent {
        "including routing intent's routes to the hub firewall, so its traffic is not inspected"
    } else {
        "so other spokes and branches are unreachable from it"
    };
    FindingText::new(
        format!(
            "subnet `{}` is in a spoke of Virtual WAN hub `{}` (connection `{}`), but its route table `{table}` has disableBgpRoutePropagation = true: it gets none of the hub's {} route(s), {lost}",
            snap.subnet_label(e.subnet),
            hub(snap, e.hub),
            last(&e.connection),
            e.prefixes.len()
        ),
        format!(
            "set \"Propagate gateway routes\" to Yes on route table `{table}` (`az network route-table update -g <rg> -n {table} --disable-bgp-route-propagation false`); user routes can stay"
        ),
    )
    .evidence(format!("hub routes not programmed: {}", list(e.prefixes.iter().take(10).map(|p| p.to_string()))))
}

pub(super) fn private_endpoint_asymmetry(snap: &Snapshot, e: &VwanPrivateEndpointAsymmetry) -> FindingText {
    let pe = &snap.private_endpoints[e.endpoint.index()].name;
    FindingText::new(
        format!(
            "private endpoint `{pe}` in `{}` is behind Virtual WAN hub `{}`, whose routing intent inspects private traffic, but its subnet has privateEndpointNetworkPolicies = {}: traffic to the endpoint bypasses the firewall while its replies go through it, an asymmetric flow the firewall drops",
            snap.subnet_label(e.subnet),
            hub(snap, e.hub),
            e.policies.as_str()
        ),
        format!(
            "enable route-table network policies on `{}` (privateEndpointNetworkPolicies = RouteTableEnabled or Enabled); /32 entries in the private-traffic prefixes do not help",
            snap.subnet_label(e.subnet)
        ),
    )
    .evidence(format!("{}: privateEndpointNetworkPolicies {}", snap.subnet_label(e.subnet), e.policies.as_str()))
}

pub(super) fn default_route_not_propagated(snap: &Snapshot, e: &VwanDefaultRouteNotPropagated) -> FindingText {
    let vnet = &snap.vnets[e.vnet.index()].name;
    let setting = match e.enable_internet_security {
        Some(v) => format!("enableInternetSecurity = {v}"),
        None => "no enableInternetSecurity".to_string(),
    };
    FindingText::new(
        format!(
            "hub `{}` route table `{}` holds 0.0.0.0/0 ({}), but connection `{}` of spoke `{vnet}` has {setting}: the spoke does not get the default route, and its Internet traffic leaves directly instead",
            hub(snap, e.hub),
            last(&e.table),
            e.next_hop_type,
            last(&e.connection)
        ),
        format!(
            "turn on \"Propagate Default Route\" for the connection (`az network vhub connection update -g <rg> --vhub-name {} -n {} --internet-security true`)",
            hub(snap, e.hub),
            last(&e.connection)
        ),
    )
    .evidence(format!("{}: 0.0.0.0/0 {}; {}: {setting}", last(&e.table), e.next_hop_type, last(&e.connection)))
}

pub(super) fn route_inside_spoke_space(snap: &Snapshot, e: &VwanRouteInsideSpokeSpace) -> FindingText {
    let vnet = &snap.vnets[e.vnet.index()].name;
    let mut text = FindingText::new(
        format!(
            "{} route(s) of hub `{}` that connection `{}` receives are equal to or inside spoke `{vnet}`'s own address space: Virtual WAN does not program them in the spoke, so they cannot steer its traffic",
            e.routes.len(),
            hub(snap, e.hub),
            last(&e.connection)
        ),
        "use a less specific prefix than the spoke's range, or a user route in the spoke for traffic inside it",
    );
    for (prefix, range, kind) in &e.routes {
        text = text.evidence(format!("{prefix} ({kind}) is inside the spoke range {range}"));
    }
    text
}

pub(super) fn routing_intent_with_custom_tables(snap: &Snapshot, e: &VwanRoutingIntentWithCustomTables) -> FindingText {
    let mut text = FindingText::new(
        format!(
            "hub `{}` has routing intent `{}` and also {} custom route table(s) and {} static route(s) to a VNet connection: Azure refuses routing intent in this state; azroute applied routing intent",
            hub(snap, e.hub),
            last(&e.intent),
            e.tables.len(),
            e.static_routes.len()
        ),
        "remove the custom route tables and the static routes to VNet connections (associate and propagate to defaultRouteTable and noneRouteTable only), or remove routing intent",
    );
    for t in &e.tables {
        text = text.evidence(format!("custom route table `{}`", last(t)));
    }
    for (t, name) in &e.static_routes {
        text = text.evidence(format!("route `{name}` of `{}` has a VNet connection as next hop", last(t)));
    }
    text
}

pub(super) fn routing_intent_not_on_all_hubs(snap: &Snapshot, e: &VwanRoutingIntentNotOnAllHubs) -> FindingText {
    let names =
        |hubs: &[VirtualHubIdx]| hubs.iter().map(|h| format!("`{}`", hub(snap, *h))).collect::<Vec<_>>().join(", ");
    FindingText::new(
        format!(
            "Virtual WAN `{}` inspects private traffic by routing intent on {} but not on {}: traffic between their spokes and branches is inspected in one direction only, or not at all",
            last(&e.virtual_wan),
            names(&e.secured),
            names(&e.unsecured)
        ),
        "configure routing intent with a PrivateTraffic policy on every hub of the Virtual WAN (each with its own firewall or NVA), or on none",
    )
    .evidence(format!("hubs with a PrivateTraffic policy: {}", names(&e.secured)))
    .evidence(format!("hubs without one: {}", names(&e.unsecured)))
}

pub(super) fn spoke_has_gateway(snap: &Snapshot, e: &VwanSpokeHasGateway) -> FindingText {
    let vnet = &snap.vnets[e.vnet.index()].name;
    let mut own: Vec<String> =
        e.gateways.iter().map(|g| format!("gateway `{}`", snap.gateways[g.index()].name)).collect();
    if let Some(rs) = e.route_server {
        own.push(format!("Route Server `{}`", hub(snap, rs)));
    }
    FindingText::new(
        format!(
            "VNet `{vnet}` is connected to Virtual WAN hub `{}` and has {} of its own: a VNet connected to a hub must have no gateway and no Route Server",
            hub(snap, e.hub),
            own.join(" and ")
        ),
        "remove the spoke's own gateway or Route Server and reach branches through the hub, or disconnect the VNet from the hub",
    )
    .evidence(own.join(", "))
}

pub(super) fn dual_role_nva_ecmp(snap: &Snapshot, e: &VwanDualRoleNvaEcmp) -> FindingText {
    let instances = if e.instances.is_empty() {
        "instances not named in the export (Virtual WAN deploys hub NVAs with n+1 instances)".to_string()
    } else {
        format!("{} instances: {}", e.instances.len(), e.instances.join(", "))
    };
    FindingText::new(
        format!(
            "routing policy `{}` of Virtual WAN hub `{}` sends private traffic to network virtual appliance `{}`, a dual-role SD-WAN and firewall NVA (vendor `{}`) with more than one instance: where its instances advertise a prefix alike (active-active), Azure spreads flows over them by ECMP without keeping both directions of a flow on one instance, and a stateful firewall drops what it sees one way only",
            e.policy,
            hub(snap, e.hub),
            last(&e.nva),
            e.vendor
        ),
        "advertise each prefix from one instance only, or with a longer AS path from the others (active-passive), unless the NVA supports asymmetric forwarding or shares session state between instances (ask its vendor)",
    )
    .evidence(format!("next hop of PrivateTraffic policy `{}`: `{}`", e.policy, e.nva.as_str()))
    .evidence(format!("nvaSku.vendor: {}", e.vendor))
    .evidence(instances)
}

/// Why a trace stops at a Virtual WAN hub's next hop (§20.11).
pub(super) fn not_followed(snap: &Snapshot, reason: &NotFollowed) -> FindingText {
    let at = |a: &Option<std::net::IpAddr>| a.map(|a| format!(" ({a})")).unwrap_or_default();
    match reason {
        NotFollowed::HubAppliance { hub: h, appliance, address } => FindingText::new(
            format!(
                "the next hop is network virtual appliance `{}`{} inside Virtual WAN hub `{}`: its guest routing and policy are in no snapshot, so where it sends the packet cannot be told; the trace stops here",
                appliance.as_ref().map_or("?", last),
                at(address),
                hub(snap, *h)
            ),
            "check the appliance's own routes and policy (its vendor's console), or `az network vhub get-effective-routes` for its connection",
        ),
        NotFollowed::HubPeerNotInSnapshot { hub: h, bgp_connection, address } => FindingText::new(
            format!(
                "the next hop is BGP peer `{}`{} of Virtual WAN hub `{}`, but no NIC of a spoke of its Virtual WAN holds that address in the snapshot; the trace stops here",
                bgp_connection.as_ref().map_or("?", last),
                at(address),
                hub(snap, *h)
            ),
            "export the peer VM's NIC and its VNet with the snapshot, or check the peer's `peerIp` and the next hop it advertises",
        ),
        NotFollowed::NoSpokeHolds { hub: h, destination } => FindingText::new(
            format!(
                "Virtual WAN hub `{}` routes {destination} to a VNet connection, but no connected spoke in the snapshot holds it; the trace stops here",
                hub(snap, *h)
            ),
            "export the spoke VNets of every hub of the Virtual WAN with the snapshot",
        ),
        NotFollowed::FirewallTableSilent { hub: h, destination } => FindingText::new(
            format!(
                "the firewall of Virtual WAN hub `{}` allowed the packet, but its own table (RI-12) has no route to {destination} the snapshot can follow; the trace stops here",
                hub(snap, *h)
            ),
            "compare with the firewall's own effective routes (the hub's Effective Routes for the Azure Firewall, in the portal)",
        ),
        NotFollowed::NotAdvertisedToBranch { hub: h, connection, destination } => FindingText::new(
            format!(
                "Virtual WAN hub `{}` does not advertise a route to {destination} to branch connection `{}`: whether the branch sends it to the hub at all is its own network's choice, which no snapshot holds; the trace stops here",
                hub(snap, *h),
                last(connection)
            ),
            format!(
                "compare with what the hub advertises to the branch (`azroute hub-routes --hub {} --connection {}`) and the branch device's own routes",
                hub(snap, *h),
                last(connection)
            ),
        ),
        NotFollowed::BranchToBranchOff { hub: h, destination } => FindingText::new(
            format!(
                "the Virtual WAN of hub `{}` has `allowBranchToBranchTraffic` false: Azure carries no traffic between its branches, so {destination} is not reached through the hub; whether the branches reach each other some other way is their own networks' choice; the trace stops here",
                hub(snap, *h)
            ),
            "turn on Branch-to-branch in the Virtual WAN's configuration if the branches should reach each other through Azure",
        ),
        NotFollowed::SpokeApplianceFromBranch { hub: h, address } => FindingText::new(
            format!(
                "Virtual WAN hub `{}` hands the branch's packet to the appliance at {address} in a spoke; a trace from a branch does not follow spoke appliances; the trace stops here",
                hub(snap, *h)
            ),
            format!("trace from a spoke to the same destination, or from the appliance ({address}) onwards"),
        ),
    }
}
