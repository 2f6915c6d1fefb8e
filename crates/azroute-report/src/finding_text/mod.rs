//! The words of findings: each finding's evidence turned into a message (what is wrong and
//! what it does to traffic), evidence lines (the routes, rules and settings that prove it) and
//! a fix; and each code's title and explanation. The engine and the doctor hand over codes and
//! typed evidence only; every format (table, JSON, SARIF, Mermaid) renders these texts.
//!
//! `settings.rs` words the codes of the doctor's settings checks, `paths.rs` those found on
//! traced paths, `firewall.rs` the Azure Firewall codes and verdict parts, `firewall_checks.rs` the doctor's
//! Azure Firewall checks, `avnm.rs` the Azure Virtual Network Manager codes, `catalogue.rs` the
//! titles and explanations.

mod avnm;
pub mod az;
mod catalogue;
mod firewall;
mod firewall_checks;
mod paths;
mod platform;
mod route_server;
mod settings;
mod vwan;

use std::net::IpAddr;

use azroute_engine::HopResource;
use azroute_engine::*;
use azroute_model::*;

pub use catalogue::{explanation, severity_rule, title};
pub use firewall::{
    action_str, firewall_name, no_match_text, pass_str, reason_text, rule_place_text, snat_text, undecided_text,
};

/// A finding in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingText {
    /// What is wrong and what it does to traffic.
    pub message: String,
    /// The routes, rules or settings that prove it.
    pub evidence: Vec<String>,
    /// The change that would fix it.
    pub fix: String,
}

impl FindingText {
    fn new(message: String, fix: impl Into<String>) -> FindingText {
        FindingText { message, evidence: Vec::new(), fix: fix.into() }
    }

    fn evidence(mut self, line: String) -> FindingText {
        self.evidence.push(line);
        self
    }
}

/// A finding's message, evidence lines and fix.
pub fn render(snap: &Snapshot, finding: &Finding) -> FindingText {
    let mut text = render_evidence(snap, &finding.evidence);
    if let Some(paths) = &finding.traced {
        let count =
            if paths.count == 1 { "1 traced path".to_string() } else { format!("{} traced paths", paths.count) };
        let example = |(from, to): &(PathEnd, PathEnd)| format!("{} → {}", path_end(snap, from), path_end(snap, to));
        if let Some(first) = paths.examples.first() {
            text.message = format!("{} ({count}, e.g. {})", text.message, example(first));
        }
        text.evidence.extend(paths.examples.iter().map(|e| format!("path: {}", example(e))));
    }
    if !finding.grouped.is_empty() {
        text.message = format!("{} {}", text.message, same_cause(finding));
        text.evidence.extend(finding.grouped.iter().map(|e| format!("also: {}", render_evidence(snap, e).message)));
    }
    text
}

/// How many more findings share this one's code and root cause (its first resource); their
/// evidence follows this one's (`also:`), their resources are listed with this one's.
fn same_cause(finding: &Finding) -> String {
    format!("(and {} more with the same cause, listed under evidence)", finding.grouped.len())
}

/// The ids of a finding's resources, as the export wrote them.
pub fn resource_ids(snap: &Snapshot, finding: &Finding) -> Vec<String> {
    finding.resources.iter().map(|r| r.id(snap).to_string()).collect()
}

fn render_evidence(snap: &Snapshot, evidence: &Evidence) -> FindingText {
    match evidence {
        Evidence::AsymmetricPath(e) => paths::asymmetric_path(snap, e),
        Evidence::AsymmetricThroughFirewall(e) => firewall::asymmetric_through_firewall(snap, e),
        Evidence::FirewallDeniesFlow(e) => firewall::firewall_denies_flow(snap, e),
        Evidence::FirewallVerdictIndeterminate(e) => firewall::firewall_verdict_indeterminate(snap, e),
        Evidence::DroppedByNoneRoute(e) => paths::dropped_by_none_route(snap, e),
        Evidence::ForwardedTrafficNotAllowed(e) => paths::forwarded_traffic_not_allowed(snap, e),
        Evidence::GatewayConnectionDown(e) => paths::gateway_connection_down(snap, e),
        Evidence::IpForwardingDisabled(e) => paths::ip_forwarding_disabled(snap, e),
        Evidence::NoHostAtDestination(e) => paths::no_host_at_destination(snap, e),
        Evidence::NoRoute(e) => paths::no_route(snap, e),
        Evidence::NonTransitivePeering(e) => paths::non_transitive_peering(snap, e),
        Evidence::NotModelled(e) => paths::not_modelled(snap, e),
        Evidence::NvaNotRunning(e) => paths::nva_not_running(snap, e),
        Evidence::ForcedTunnelNoDefaultSite(e) => paths::forced_tunnel_no_default_site(snap, e),
        Evidence::DestinationNotRunning(e) => paths::destination_not_running(snap, e),
        Evidence::NsgDenied(e) => paths::nsg_denied(snap, e),
        Evidence::AvnmAdminRuleDenied(e) => paths::avnm_admin_rule_denied(snap, e),
        Evidence::AvnmAdminDenyOverridesNsgAllow(e) => avnm::admin_overrides_nsg(snap, &e.0, true),
        Evidence::AvnmAlwaysAllowBypassesNsgDeny(e) => avnm::admin_overrides_nsg(snap, &e.0, false),
        Evidence::AvnmAdminRuleNotApplied(e) => avnm::admin_rule_not_applied(snap, e),
        Evidence::AvnmConnectedGroupOverlap(e) => avnm::connected_group_overlap(snap, e),
        Evidence::AvnmRoutingRuleConflict(e) => avnm::routing_rule_conflict(snap, e),
        Evidence::AvnmHubGatewayMissing(e) => avnm::hub_gateway_missing(snap, e),
        Evidence::AvnmLimitExceeded(e) => avnm::limit_exceeded(snap, e),
        Evidence::AvnmManagersOverlap(e) => avnm::managers_overlap(snap, e),
        Evidence::SubnetPeeringNonPeeredSource(e) => paths::subnet_peering_non_peered_source(snap, e),
        Evidence::SubnetPeeringNonPeeredDestination(e) => paths::subnet_peering_non_peered_destination(snap, e),
        Evidence::PeeringAccessDisabled(e) => paths::peering_access_disabled(snap, e),
        Evidence::PrivateDestinationToInternet(e) => paths::private_destination_to_internet(snap, e),
        Evidence::RoutingLoop(e) => paths::routing_loop(snap, e),
        Evidence::TrafficAnalysisSampled(e) => paths::traffic_analysis_sampled(e),
        Evidence::BgpRouteShadowedBySystemRoute(e) => settings::bgp_route_shadowed_by_system_route(snap, e),
        Evidence::DuplicatePrefixInRouteTable(e) => settings::duplicate_prefix_in_route_table(snap, e),
        Evidence::EffectiveRoutesRequireRunningVm(e) => settings::effective_routes_require_running_vm(snap, e),
        Evidence::ForcedTunnelBreaksInbound(e) => settings::forced_tunnel_breaks_inbound(snap, e),
        Evidence::GatewayRoutesSuppressed(e) => settings::gateway_routes_suppressed(snap, e),
        Evidence::GatewaySubnetDefaultRoute(e) => settings::gateway_subnet_default_route(snap, e),
        Evidence::GatewaySubnetPropagationDisabled(e) => settings::gateway_subnet_propagation_disabled(snap, e),
        Evidence::MultiNicGuestRouteMissing(e) => settings::multi_nic_guest_route_missing(snap, e),
        Evidence::NextHopUnreachable(e) => settings::next_hop_unreachable(snap, e),
        Evidence::NoneRouteBlackholesRange(e) => settings::none_route_blackholes_range(snap, e),
        Evidence::NsgBlocksProbe(e) => settings::nsg_blocks_probe(snap, e),
        Evidence::NsgOnGatewaySubnet(e) => settings::nsg_on_gateway_subnet(snap, e),
        Evidence::NvaInSameSubnetLoop(e) => settings::nva_in_same_subnet_loop(snap, e),
        Evidence::OverlappingAddressSpace(e) => settings::overlapping_address_space(snap, e),
        Evidence::PeUdrIneffectiveNoPolicy(e) => settings::pe_udr_ineffective_no_policy(snap, e),
        Evidence::PeeringNotConnected(e) => settings::peering_not_connected(snap, e),
        Evidence::PrivateEndpointBypassesFirewall(e) => settings::private_endpoint_bypasses_firewall(snap, e),
        Evidence::RouteLimitExceeded(e) => settings::route_limit_exceeded(snap, e),
        Evidence::RouteTableNotAssociated(e) => settings::route_table_not_associated(snap, e),
        Evidence::ServiceTagNotExpanded(e) => settings::service_tag_not_expanded(snap, e),
        Evidence::ServiceTagRouteLimit(e) => settings::service_tag_route_limit(snap, e),
        Evidence::UdrGatewayNotVpn(e) => settings::udr_gateway_not_vpn(snap, e),
        Evidence::UdrNextHopNoForwarding(e) => settings::udr_next_hop_no_forwarding(snap, e),
        Evidence::UdrOrNsgOnRouteServerSubnet(e) => settings::udr_or_nsg_on_route_server_subnet(snap, e),
        Evidence::UseRemoteGatewaysMissing(e) => settings::use_remote_gateways_missing(snap, e),
        Evidence::UserRouteInvalid(e) => settings::user_route_invalid(snap, e),
        Evidence::UserRouteShadowed(e) => settings::user_route_shadowed(snap, e),
        Evidence::VirtualNetworkTagIncludesDefault(e) => settings::virtual_network_tag_includes_default(snap, e),
        Evidence::NsgBlocksForwardedTraffic(e) => settings::nsg_blocks_forwarded_traffic(snap, e),
        Evidence::RouteTableRegionMismatch(e) => settings::route_table_region_mismatch(snap, e),
        // Egress and platform services (§17).
        Evidence::PrivateSubnetNoEgress(e) => platform::private_subnet_no_egress(snap, e),
        Evidence::OutboundIcmpNotSupported(e) => platform::outbound_icmp_not_supported(snap, e),
        Evidence::PrivateSubnetInternetUdr(e) => platform::private_subnet_internet_udr(snap, e),
        Evidence::DefaultOutboundAccessInUse(e) => platform::default_outbound_access_in_use(snap, e),
        Evidence::NatGatewayOverriddenByUdr(e) => platform::nat_gateway_overridden_by_udr(snap, e),
        Evidence::NatGatewayOnUnsupportedSubnet(e) => platform::nat_gateway_on_unsupported_subnet(snap, e),
        Evidence::AppGatewayV2DefaultRouteToAppliance(e) => {
            platform::app_gateway_v2_default_route_to_appliance(snap, e)
        }
        Evidence::UdrOnBastionSubnet(e) => platform::udr_on_bastion_subnet(snap, e),
        Evidence::BastionSubnetTooSmall(e) => platform::bastion_subnet_too_small(snap, e),
        Evidence::PublicLoadBalancerBehindFirewallDefaultRoute(e) => platform::public_lb_behind_firewall(snap, e),
        Evidence::VmssNicsMissing(e) => platform::vmss_nics_missing(snap, e),
        Evidence::PlatformOwnedDestination(e) => platform::platform_owned_destination(snap, e),
        // The doctor's Azure Firewall checks (§16.7).
        Evidence::FirewallSubnetDefaultRouteNotInternet(e) => {
            firewall_checks::firewall_subnet_default_route_not_internet(snap, e)
        }
        Evidence::FirewallManagementSubnetRouteInvalid(e) => {
            firewall_checks::firewall_management_subnet_route_invalid(snap, e)
        }
        Evidence::NsgOnFirewallSubnet(e) => firewall_checks::nsg_on_firewall_subnet(snap, e),
        Evidence::FirewallSubnetTooSmall(e) => firewall_checks::firewall_subnet_too_small(snap, e),
        Evidence::FirewallSubnetNameInvalid(e) => firewall_checks::firewall_subnet_name_invalid(snap, e),
        Evidence::FirewallNextHopStale(e) => firewall_checks::firewall_next_hop_stale(snap, e),
        Evidence::FirewallPolicyRuleShadowed(e) => firewall_checks::firewall_policy_rule_shadowed(snap, e),
        Evidence::FirewallAppRuleShadowedByNetworkRule(e) => {
            firewall_checks::firewall_app_rule_shadowed_by_network_rule(snap, e)
        }
        Evidence::FirewallFqdnNetworkRuleWithoutDnsProxy(e) => {
            firewall_checks::firewall_fqdn_network_rule_without_dns_proxy(snap, e)
        }
        Evidence::FirewallDnsProxyNotUsedByClients(e) => {
            firewall_checks::firewall_dns_proxy_not_used_by_clients(snap, e)
        }
        Evidence::FirewallChildPolicyDnsNotInherited(e) => {
            firewall_checks::firewall_child_policy_dns_not_inherited(snap, e)
        }
        Evidence::FirewallParentNatRulesIgnored(e) => firewall_checks::firewall_parent_nat_rules_ignored(snap, e),
        Evidence::FirewallSnatRangesDropRfc1918(e) => firewall_checks::firewall_snat_ranges_drop_rfc1918(snap, e),
        Evidence::FirewallClassicSnatIgnored(e) => firewall_checks::firewall_classic_snat_ignored(snap, e),
        Evidence::FirewallIcmpToInternet(e) => firewall_checks::firewall_icmp_to_internet(snap, e),
        Evidence::FirewallSnatSourceNotAllowedByNsg(e) => {
            firewall_checks::firewall_snat_source_not_allowed_by_nsg(snap, e)
        }
        Evidence::PrivateEndpointThroughFirewallNoSnat(e) => {
            firewall_checks::private_endpoint_through_firewall_no_snat(snap, e)
        }
        Evidence::DnatWithForcedTunnel(e) => firewall_checks::dnat_with_forced_tunnel(snap, e),
        Evidence::GatewaySubnetMissingSpokeRoute(e) => firewall_checks::gateway_subnet_missing_spoke_route(snap, e),
        Evidence::GatewaySubnetSummaryRouteShadowed(e) => {
            firewall_checks::gateway_subnet_summary_route_shadowed(snap, e)
        }
        Evidence::SpokePropagationBypassesFirewall(e) => firewall_checks::spoke_propagation_bypasses_firewall(snap, e),
        Evidence::DirectPeeringBypassesFirewall(e) => firewall_checks::direct_peering_bypasses_firewall(snap, e),
        Evidence::VnetRangeUdrCapturesOwnSubnet(e) => firewall_checks::vnet_range_udr_captures_own_subnet(snap, e),
        Evidence::RouteServerSingleInstancePeer(e) => route_server::single_instance_peer(snap, e),
        Evidence::RouteServerRouteDroppedAsPath65515(e) => route_server::route_dropped_as_path_65515(snap, e),
        Evidence::RouteServerDefaultRouteSelfLoop(e) => route_server::default_route_self_loop(snap, e),
        Evidence::RouteServerPrefixTooSpecific(e) => route_server::prefix_too_specific(snap, e),
        Evidence::RouteServerBranchToBranchDisabled(e) => route_server::branch_to_branch_disabled(snap, e),
        Evidence::VwanSpokePropagationDisabled(e) => vwan::spoke_propagation_disabled(snap, e),
        Evidence::VwanPrivateEndpointAsymmetry(e) => vwan::private_endpoint_asymmetry(snap, e),
        Evidence::VwanDefaultRouteNotPropagated(e) => vwan::default_route_not_propagated(snap, e),
        Evidence::VwanRouteInsideSpokeSpace(e) => vwan::route_inside_spoke_space(snap, e),
        Evidence::VwanRoutingIntentWithCustomTables(e) => vwan::routing_intent_with_custom_tables(snap, e),
        Evidence::VwanRoutingIntentNotOnAllHubs(e) => vwan::routing_intent_not_on_all_hubs(snap, e),
        Evidence::VwanSpokeHasGateway(e) => vwan::spoke_has_gateway(snap, e),
        Evidence::VwanDualRoleNvaEcmp(e) => vwan::dual_role_nva_ecmp(snap, e),
        Evidence::RouteServerPeerAsnRefused(e) => route_server::peer_asn_refused(snap, e),
        Evidence::RouteServerPeerOverRouteLimit(e) => route_server::peer_over_route_limit(snap, e),
        Evidence::RouteServerBranchToBranchGatewayNotActiveActive(e) => {
            route_server::branch_to_branch_gateway_not_active_active(snap, e)
        }
        Evidence::RouteServerMultiplePerVnet(e) => route_server::multiple_per_vnet(snap, e),
    }
}

/// One end of a traced path: `` `vnet/subnet` (10.1.1.4) ``, `on-premises (…)`, `… (routed to an NVA)`.
fn path_end(snap: &Snapshot, end: &PathEnd) -> String {
    match end {
        PathEnd::Context { subnet, address } => format!("`{}` ({address})", snap.subnet_label(*subnet)),
        PathEnd::OnPremises(ip) => format!("on-premises ({ip})"),
        PathEnd::Routed(ip) => format!("{ip} (routed to an NVA)"),
        PathEnd::Internet(ip) => format!("the Internet ({ip})"),
    }
}

/// The name a hop shows: its resource's name, or what it stands for.
pub fn hop_name(snap: &Snapshot, hop: &HopResource) -> String {
    match hop {
        HopResource::Nic(n) => snap.nics[n.index()].name.clone(),
        HopResource::Gateway(g) => snap.gateways[g.index()].name.clone(),
        HopResource::LoadBalancer(l) => snap.load_balancers[l.index()].name.clone(),
        HopResource::PrivateEndpoint(p) => snap.private_endpoints[p.index()].name.clone(),
        HopResource::Firewall(f) => snap.firewalls[f.index()].name.clone(),
        HopResource::VirtualHub(h) => snap.virtual_hubs[h.index()].name.clone(),
        HopResource::ApplicationGateway(a) => snap.application_gateways[a.index()].name.clone(),
        HopResource::DnsResolverInbound(d) => snap.dns_inbound_endpoints[d.index()].name.clone(),
        HopResource::Host(s) => format!("host in {}", snap.subnet_label(*s)),
        HopResource::Internet => "Internet".to_string(),
        HopResource::OnPremises => "on-premises".to_string(),
        HopResource::Service(Some(service)) => format!("{service} (service endpoint)"),
        HopResource::Service(None) => "Azure service (service endpoint)".to_string(),
        HopResource::Unknown => String::new(),
    }
}

/// The id a hop shows: its resource's, empty for what is not a resource of the snapshot.
pub fn hop_id(snap: &Snapshot, hop: &HopResource) -> String {
    if let HopResource::VirtualHub(h) = hop {
        return snap.virtual_hubs[h.index()].id.to_string();
    }
    hop.resource().map(|r| r.id(snap).to_string()).unwrap_or_default()
}

/// `{hop} at `{subnet}`: {route}` for each route of a path.
fn hop_routes(snap: &Snapshot, routes: &[HopRoute]) -> Vec<String> {
    routes
        .iter()
        .map(|r| {
            format!("{} at `{}`: {}", hop_name(snap, &r.hop), snap.subnet_label(r.subnet), r.route.route().label())
        })
        .collect()
}

/// `` `vnet/subnet` `` and, when other subnets share the context, how many.
fn context_label(snap: &Snapshot, context: &RouteContext) -> String {
    let more = if context.others > 0 {
        format!(" (and {} more subnet(s) with the same routes)", context.others)
    } else {
        String::new()
    };
    format!("`{}`{more}", snap.subnet_label(context.subnet))
}

fn ips(list: &[IpAddr]) -> String {
    list.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(" ")
}

fn vnet_name(snap: &Snapshot, vnet: VnetIdx) -> &str {
    &snap.vnets[vnet.index()].name
}

fn nic_name(snap: &Snapshot, nic: NicIdx) -> &str {
    &snap.nics[nic.index()].name
}

fn table_name(snap: &Snapshot, table: RouteTableIdx) -> &str {
    &snap.route_tables[table.index()].name
}

/// A user route of the snapshot and its table.
fn user_route<'s>(snap: &'s Snapshot, route: &UserRoute) -> (&'s Route, &'s RouteTable) {
    let table = &snap.route_tables[route.table.index()];
    (&table.routes[route.index], table)
}
