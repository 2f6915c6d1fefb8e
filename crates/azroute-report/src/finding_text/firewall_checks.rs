//! The words of the doctor's Azure Firewall checks (§16.7): the firewall's subnets, its rules,
//! and the hub-and-spoke routes around it.

use azroute_engine::*;
use azroute_model::*;

use super::firewall::{firewall_name, rule_place_text};
use super::*;

fn route_text(snap: &Snapshot, route: &UserRoute) -> String {
    let (r, table) = user_route(snap, route);
    let ips = if r.next_hop_ips.is_empty() { String::new() } else { format!(" {}", ips(&r.next_hop_ips)) };
    format!("`{}` of `{}`: {} → {}{ips}", r.name, table.name, r.prefix.text(), r.next_hop_type.as_str())
}

fn firewall_ip(snap: &Snapshot, firewall: FirewallIdx) -> String {
    snap.firewalls[firewall.index()].private_ips().next().map(|i| i.to_string()).unwrap_or_else(|| "(none)".into())
}

pub(super) fn firewall_subnet_default_route_not_internet(
    snap: &Snapshot,
    e: &FirewallSubnetDefaultRouteNotInternet,
) -> FindingText {
    let mut text = FindingText::new(
        format!(
            "`{}` sends default-route traffic elsewhere than the Internet, and Azure Firewall `{}` has no management IP configuration: Azure refuses this route table (AzureFirewallSubnetRouteTableMustHaveDefaultRouteToInternet) and a BGP-learned default breaks the firewall's Internet access",
            snap.subnet_label(e.subnet),
            firewall_name(snap, e.firewall)
        ),
        "add a user route 0.0.0.0/0 with next hop Internet to the route table of AzureFirewallSubnet; for forced tunnelling, deploy the firewall with a management IP configuration (AzureFirewallManagementSubnet)",
    );
    text.evidence = e.routes.iter().map(|r| r.route().label()).collect();
    text
}

pub(super) fn firewall_management_subnet_route_invalid(
    snap: &Snapshot,
    e: &FirewallManagementSubnetRouteInvalid,
) -> FindingText {
    let table = &snap.route_tables[e.table.index()];
    let mut text = FindingText::new(
        format!(
            "route table `{}` on `{}` breaks the firewall's management traffic: the only route allowed there is 0.0.0.0/0 to the Internet, with gateway route propagation disabled",
            table.name,
            snap.subnet_label(e.subnet)
        ),
        format!(
            "leave `{}` with one route, 0.0.0.0/0 → Internet, and set disableBgpRoutePropagation = true",
            table.name
        ),
    );
    text.evidence = e
        .problems
        .iter()
        .map(|p| match p {
            ManagementRouteProblem::NoDefaultToInternet => "no route 0.0.0.0/0 → Internet".to_string(),
            ManagementRouteProblem::PropagationEnabled => "disableBgpRoutePropagation = false".to_string(),
            ManagementRouteProblem::OtherRoute { index } => {
                format!("extra route {}", route_text(snap, &UserRoute { table: e.table, index: *index }))
            }
        })
        .collect();
    text
}

pub(super) fn nsg_on_firewall_subnet(snap: &Snapshot, e: &NsgOnFirewallSubnet) -> FindingText {
    let nsg = &snap.nsgs[e.nsg.index()].name;
    FindingText::new(
        format!(
            "`{}` has NSG `{nsg}`: Azure does not allow NSGs on the firewall's subnets (the snapshot is inconsistent or hand-made)",
            snap.subnet_label(e.subnet)
        ),
        format!("dissociate `{nsg}` from the subnet; filter with the firewall's own rules"),
    )
}

pub(super) fn firewall_subnet_too_small(snap: &Snapshot, e: &FirewallSubnetTooSmall) -> FindingText {
    FindingText::new(
        format!(
            "`{}` is {}: the firewall subnets need at least a /26 so the firewall can add instances as it scales",
            snap.subnet_label(e.subnet),
            e.prefix
        ),
        "recreate the subnet as a /26",
    )
}

pub(super) fn firewall_subnet_name_invalid(snap: &Snapshot, e: &FirewallSubnetNameInvalid) -> FindingText {
    let (which, name) = if e.management {
        ("management IP configuration", "AzureFirewallManagementSubnet")
    } else {
        ("IP configuration", "AzureFirewallSubnet")
    };
    FindingText::new(
        format!(
            "Azure Firewall `{}` has its {which} in `{}`: Azure deploys a firewall only in a subnet named exactly {name}",
            firewall_name(snap, e.firewall),
            snap.subnet_label(e.subnet)
        ),
        format!("deploy the firewall in a subnet named {name}"),
    )
}

pub(super) fn firewall_next_hop_stale(snap: &Snapshot, e: &FirewallNextHopStale) -> FindingText {
    let fw = firewall_name(snap, e.firewall);
    let message = if e.firewall_ips.is_empty() {
        format!(
            "user route {} points into `{}`, but Azure Firewall `{fw}` is deallocated (no private IP): the traffic is dropped",
            route_text(snap, &e.route),
            snap.subnet_label(e.subnet)
        )
    } else {
        format!(
            "user route {} points at {} in `{}`, which is not Azure Firewall `{fw}`'s private IP ({}): the IP changes when a firewall is deallocated and allocated again, and the traffic is dropped",
            route_text(snap, &e.route),
            e.next_hop,
            snap.subnet_label(e.subnet),
            ips(&e.firewall_ips)
        )
    };
    let fix = match e.firewall_ips.first() {
        Some(ip) => format!("set the route's next hop to {ip}"),
        None => format!("start (allocate) `{fw}`, then point the route at its new private IP"),
    };
    FindingText::new(message, fix)
}

pub(super) fn firewall_policy_rule_shadowed(snap: &Snapshot, e: &FirewallPolicyRuleShadowed) -> FindingText {
    let same = e.rule.action == e.by.action;
    let effect = if same { "it is redundant" } else { "its action never applies" };
    FindingText::new(
        format!(
            "in Azure Firewall `{}`, {} can never match: {} comes first in processing order and matches every flow it does; {effect}",
            firewall_name(snap, e.firewall),
            rule_place_text(snap, &e.rule),
            rule_place_text(snap, &e.by)
        ),
        if same {
            "remove the redundant rule, or narrow the earlier one"
        } else {
            "give the later rule's collection a lower priority number than the earlier one (or move it to an earlier group), or narrow the earlier rule"
        },
    )
    .evidence(format!("dead: {}", rule_place_text(snap, &e.rule)))
    .evidence(format!("covered by: {}", rule_place_text(snap, &e.by)))
}

pub(super) fn firewall_app_rule_shadowed_by_network_rule(
    snap: &Snapshot,
    e: &FirewallAppRuleShadowedByNetworkRule,
) -> FindingText {
    FindingText::new(
        format!(
            "in Azure Firewall `{}`, {} never sees its traffic: network rules are processed before application rules, and {} matches all of it (TCP on its ports from its sources to any address)",
            firewall_name(snap, e.firewall),
            rule_place_text(snap, &e.rule),
            rule_place_text(snap, &e.by)
        ),
        "narrow the network rule (destinations, ports or sources) so that web traffic reaches the application rules, or express the intent as a network rule",
    )
    .evidence(format!("dead: {}", rule_place_text(snap, &e.rule)))
    .evidence(format!("taken by: {}", rule_place_text(snap, &e.by)))
}

pub(super) fn firewall_fqdn_network_rule_without_dns_proxy(
    snap: &Snapshot,
    e: &FirewallFqdnNetworkRuleWithoutDnsProxy,
) -> FindingText {
    let why = if e.basic { "a Basic firewall has no DNS proxy" } else { "its DNS proxy is off" };
    let mut text = FindingText::new(
        format!(
            "Azure Firewall `{}` has {} network rule(s) with destination FQDNs, but {why}: those FQDNs never match",
            firewall_name(snap, e.firewall),
            e.rules.len()
        ),
        if e.basic {
            "use IP addresses in these network rules, or an application rule, or a Standard firewall with DNS proxy"
        } else {
            "enable DNS proxy in the firewall's own policy (dnsSettings.enableProxy; a parent's setting is not inherited) and make clients use the firewall as DNS server"
        },
    );
    text.evidence = e.rules.iter().map(|r| rule_place_text(snap, r)).collect();
    text
}

pub(super) fn firewall_dns_proxy_not_used_by_clients(
    snap: &Snapshot,
    e: &FirewallDnsProxyNotUsedByClients,
) -> FindingText {
    let mut text = FindingText::new(
        format!(
            "Azure Firewall `{}` resolves the FQDNs of {} network rule(s) with its DNS proxy, but {} VNet(s) sending traffic to it do not use it as DNS server: their hosts may resolve those names to addresses the rules do not hold, and are denied",
            firewall_name(snap, e.firewall),
            e.rules.len(),
            e.vnets.len()
        ),
        format!(
            "set the DNS servers of these VNets to the firewall's private IP {} (dhcpOptions.dnsServers), and let the firewall forward to your DNS servers",
            e.private_ip
        ),
    );
    text.evidence = e
        .vnets
        .iter()
        .map(|(v, servers)| {
            let dns = if servers.is_empty() {
                "Azure-provided DNS".to_string()
            } else {
                format!("DNS servers {}", ips(servers))
            };
            format!("VNet `{}`: {dns}", vnet_name(snap, *v))
        })
        .collect();
    text.evidence.extend(e.rules.iter().map(|r| rule_place_text(snap, r)));
    text
}

pub(super) fn firewall_parent_nat_rules_ignored(snap: &Snapshot, e: &FirewallParentNatRulesIgnored) -> FindingText {
    let policy = &snap.firewall_policies[e.policy.index()].name;
    FindingText::new(
        format!(
            "parent policy `{policy}` holds NAT collections ({}) that Azure Firewall `{}` does not process: NAT collections are not inherited by child policies (assumed: option inherit_parent_dnat off, C20)",
            e.collections.join(", "),
            firewall_name(snap, e.firewall)
        ),
        "define the DNAT rules in the firewall's own (child) policy",
    )
}

pub(super) fn firewall_snat_ranges_drop_rfc1918(snap: &Snapshot, e: &FirewallSnatRangesDropRfc1918) -> FindingText {
    let whose = match e.policy {
        Some(p) => format!("policy `{}`", snap.firewall_policies[p.index()].name),
        None => "the classic setting Network.SNAT.PrivateRanges".to_string(),
    };
    let uncovered: Vec<String> = e.uncovered.iter().map(|p| p.to_string()).collect();
    FindingText::new(
        format!(
            "the private-range list of Azure Firewall `{}` ({whose}: {}) leaves out {}: traffic to those private destinations is SNATed, so their NSGs and logs see the firewall instead of the client",
            firewall_name(snap, e.firewall),
            e.ranges.join(", "),
            uncovered.join(", ")
        ),
        "add IANAPrivateRanges to the list (a custom list replaces the default)",
    )
}

pub(super) fn firewall_child_policy_dns_not_inherited(
    snap: &Snapshot,
    e: &FirewallChildPolicyDnsNotInherited,
) -> FindingText {
    let mut text = FindingText::new(
        format!(
            "policy `{}` of Azure Firewall `{}` leaves DNS proxy off while its parent `{}` turns it on: DNS settings are not inherited by child policies, so the firewall's {} FQDN network rule(s) do not resolve",
            snap.firewall_policies[e.policy.index()].name,
            firewall_name(snap, e.firewall),
            snap.firewall_policies[e.parent.index()].name,
            e.rules.len()
        ),
        "set dnsSettings (enableProxy and any custom DNS servers) in the child policy itself",
    );
    text.evidence = e.rules.iter().map(|r| rule_place_text(snap, r)).collect();
    text
}

pub(super) fn firewall_classic_snat_ignored(snap: &Snapshot, e: &FirewallClassicSnatIgnored) -> FindingText {
    let policy = &snap.firewall_policies[e.policy.index()].name;
    let applies = match &e.policy_ranges {
        Some(r) => format!("the policy's snat.privateRanges ({}) applies", r.join(", ")),
        None => "the policy sets no snat.privateRanges, so the default IANAPrivateRanges applies".to_string(),
    };
    FindingText::new(
        format!(
            "Azure Firewall `{}` sets Network.SNAT.PrivateRanges ({}) but is managed by policy `{policy}`: the firewall-level setting is ignored and {applies}",
            firewall_name(snap, e.firewall),
            e.classic.join(", ")
        ),
        "set the private ranges in the policy (snat.privateRanges) and remove Network.SNAT.PrivateRanges from the firewall",
    )
}

pub(super) fn firewall_icmp_to_internet(snap: &Snapshot, e: &FirewallIcmpToInternet) -> FindingText {
    let mut text = FindingText::new(
        format!(
            "Azure Firewall `{}` has {} network rule(s) allowing ICMP to public destinations: the firewall does not SNAT ICMP, so ICMP to the Internet does not work through it (it works between private networks)",
            firewall_name(snap, e.firewall),
            e.rules.len()
        ),
        "test Internet reachability with TCP (for example a TCP connection on port 443) rather than ping; restrict ICMP rules to private destinations",
    );
    text.evidence = e.rules.iter().map(|r| rule_place_text(snap, r)).collect();
    text
}

pub(super) fn firewall_snat_source_not_allowed_by_nsg(
    snap: &Snapshot,
    e: &FirewallSnatSourceNotAllowedByNsg,
) -> FindingText {
    let nsg = &snap.nsgs[e.nsg.index()];
    FindingText::new(
        format!(
            "NSG `{}` rule `{}` allows Azure Firewall `{}` by its frontend IP {} only, but SNATed traffic from the firewall comes from the address of one of its instances in AzureFirewallSubnet ({}), which no inbound allow of this NSG covers (inferred from the Azure architecture guide)",
            nsg.name,
            nsg.rules[e.rule].name,
            firewall_name(snap, e.firewall),
            e.frontend,
            e.firewall_subnet
        ),
        format!("allow AzureFirewallSubnet's prefix {} as source instead of the frontend IP", e.firewall_subnet),
    )
}

pub(super) fn private_endpoint_through_firewall_no_snat(
    snap: &Snapshot,
    e: &PrivateEndpointThroughFirewallNoSnat,
) -> FindingText {
    let pe = &snap.private_endpoints[e.endpoint.index()];
    let port = e.flow.destination_port.map(|p| p.to_string()).unwrap_or_else(|| "*".into());
    let assumed = match &e.group_id {
        Some(g) => format!("TCP {port}, assumed from groupId `{g}`"),
        None => format!("TCP {port}, assumed: the endpoint names no groupId"),
    };
    let mut text = FindingText::new(
        format!(
            "{} subnet(s) reach private endpoint `{}` ({}) through Azure Firewall `{}`, whose network rule allows the flow ({assumed}) without SNAT: the endpoint replies to the client directly, so the firewall sees one direction only and the connection fails",
            e.subnets.len(),
            pe.name,
            e.address,
            firewall_name(snap, e.firewall)
        ),
        "allow this traffic with an application rule (always SNATed), or make the firewall SNAT it (add 255.255.255.255/32 to the private ranges, or leave the endpoint's range out of them)",
    );
    text.evidence =
        e.subnets.iter().map(|(s, r)| format!("`{}`: {}", snap.subnet_label(*s), r.route().label())).collect();
    text.evidence.push(format!("decided by: {}", rule_place_text(snap, &e.rule)));
    text
}

pub(super) fn dnat_with_forced_tunnel(snap: &Snapshot, e: &DnatWithForcedTunnel) -> FindingText {
    let mut text = FindingText::new(
        format!(
            "Azure Firewall `{}` has DNAT rules while `{}` sends default-route traffic elsewhere than the Internet: replies to DNAT clients leave by the tunnel and the connections fail (DNAT is not supported with forced tunnelling)",
            firewall_name(snap, e.firewall),
            snap.subnet_label(e.subnet)
        ),
        "keep 0.0.0.0/0 → Internet on AzureFirewallSubnet (forced-tunnel only the management traffic), or publish the service another way",
    );
    text.evidence = e.routes.iter().map(|r| r.route().label()).collect();
    text.evidence.extend(e.nat_collections.iter().map(|c| rule_place_text(snap, c)));
    text
}

pub(super) fn gateway_subnet_missing_spoke_route(snap: &Snapshot, e: &GatewaySubnetMissingSpokeRoute) -> FindingText {
    let used = e.selected.as_ref().map(|r| r.route().label()).unwrap_or_else(|| "no route".to_string());
    FindingText::new(
        format!(
            "`{}` sends its traffic to Azure Firewall `{}`, but `{}` reaches {} by {used}: on-premises → spoke skips the firewall while spoke → on-premises crosses it, and the firewall drops the replies",
            snap.subnet_label(e.spoke_subnet),
            firewall_name(snap, e.firewall),
            snap.subnet_label(e.gateway_subnet),
            e.prefix
        ),
        format!(
            "add a user route {} → VirtualAppliance {} to the GatewaySubnet's route table",
            e.prefix,
            firewall_ip(snap, e.firewall)
        ),
    )
}

pub(super) fn gateway_subnet_summary_route_shadowed(
    snap: &Snapshot,
    e: &GatewaySubnetSummaryRouteShadowed,
) -> FindingText {
    FindingText::new(
        format!(
            "user route {} on `{}` is meant to send `{}` ({}) to Azure Firewall `{}`, but the more specific {} wins: on-premises traffic to the spoke skips the firewall",
            route_text(snap, &e.route),
            snap.subnet_label(e.gateway_subnet),
            snap.subnet_label(e.spoke_subnet),
            e.prefix,
            firewall_name(snap, e.firewall),
            e.by.route().label()
        ),
        format!(
            "add a user route per spoke prefix ({} → VirtualAppliance {}): a summary does not beat the peering routes",
            e.by.route().prefix_text.join(" "),
            firewall_ip(snap, e.firewall)
        ),
    )
}

pub(super) fn spoke_propagation_bypasses_firewall(
    snap: &Snapshot,
    e: &SpokePropagationBypassesFirewall,
) -> FindingText {
    let mut text = FindingText::new(
        format!(
            "`{}` sends 0.0.0.0/0 to Azure Firewall `{}` ({}) but keeps gateway route propagation: {} on-premises prefix(es) from the gateway are more specific and skip the firewall outbound, while inbound traffic is inspected",
            snap.subnet_label(e.subnet),
            firewall_name(snap, e.firewall),
            route_text(snap, &e.default_route),
            e.gateway_route_count
        ),
        format!(
            "set disableBgpRoutePropagation = true on `{}`, or add user routes for the on-premises prefixes → VirtualAppliance {}",
            snap.route_tables[e.default_route.table.index()].name,
            firewall_ip(snap, e.firewall)
        ),
    );
    text.evidence = e.gateway_routes.iter().map(|r| r.route().label()).collect();
    text
}

pub(super) fn direct_peering_bypasses_firewall(snap: &Snapshot, e: &DirectPeeringBypassesFirewall) -> FindingText {
    FindingText::new(
        format!(
            "`{}` and `{}` both send 0.0.0.0/0 to a firewall, but they are peered directly: traffic between them takes {} and skips Azure Firewall `{}`",
            snap.subnet_label(e.subnet),
            snap.subnet_label(e.peer_subnet),
            e.route.route().label(),
            firewall_name(snap, e.firewall)
        ),
        format!(
            "if this traffic must be inspected, add user routes for each other's prefixes → VirtualAppliance {} on both subnets",
            firewall_ip(snap, e.firewall)
        ),
    )
}

pub(super) fn vnet_range_udr_captures_own_subnet(snap: &Snapshot, e: &VnetRangeUdrCapturesOwnSubnet) -> FindingText {
    FindingText::new(
        format!(
            "user route {} covers `{}` itself ({}): traffic between hosts of the same subnet goes through Azure Firewall `{}`",
            route_text(snap, &e.route),
            snap.subnet_label(e.subnet),
            e.prefix,
            firewall_name(snap, e.firewall)
        ),
        format!("add a user route {} → VnetLocal to the same route table", e.prefix),
    )
}
