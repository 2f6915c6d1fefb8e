//! The words of the egress and platform-service codes (§17): private subnets, default
//! outbound access, NAT gateways, Application Gateway v2 and Bastion subnets, public load
//! balancers behind a firewall, scale-set NICs and platform-owned addresses.

use azroute_engine::*;
use azroute_model::*;

use super::{FindingText, nic_name, table_name};

fn nic_list(snap: &Snapshot, nics: &[NicIdx]) -> String {
    nics.iter().map(|n| format!("`{}`", nic_name(snap, *n))).collect::<Vec<_>>().join(", ")
}

const EXPLICIT_METHODS: &str = "attach a NAT gateway to the subnet (or route 0.0.0.0/0 to a firewall that egresses), give the VM a public IP, or put it behind a load balancer with outbound rules";

pub(super) fn private_subnet_no_egress(snap: &Snapshot, e: &PrivateSubnetNoEgress) -> FindingText {
    match e {
        PrivateSubnetNoEgress::Traced { subnet, sender, destination, route, assumed_private } => {
            let who = sender.map(|n| format!("`{}`", nic_name(snap, n))).unwrap_or_else(|| "the host".to_string());
            let text = FindingText::new(
                format!(
                    "{who} in private subnet `{}` has no outbound method: its packet to {destination} is not sent to the Internet (the route to the Internet is not an exit in a private subnet)",
                    snap.subnet_label(*subnet)
                ),
                EXPLICIT_METHODS,
            )
            .evidence(route.route().label());
            if *assumed_private {
                text.evidence(
                    "the subnet does not say `defaultOutboundAccess`; `--default-outbound-unset private` made it private"
                        .to_string(),
                )
            } else {
                text.evidence("defaultOutboundAccess: false".to_string())
            }
        }
        PrivateSubnetNoEgress::Subnet { subnet, nics, route } => FindingText::new(
            format!(
                "private subnet `{}` (defaultOutboundAccess: false) sends 0.0.0.0/0 to the Internet, but {} ha{} no NAT gateway, public IP or load-balancer outbound rule: they cannot reach the Internet",
                snap.subnet_label(*subnet),
                nic_list(snap, nics),
                if nics.len() == 1 { "s" } else { "ve" }
            ),
            EXPLICIT_METHODS,
        )
        .evidence(route.route().label()),
        PrivateSubnetNoEgress::FlexibleInstances { subnet, scale_set, nics, destination, route } => {
            let scale_set = &snap.scale_sets[scale_set.index()].name;
            let what = match destination {
                Some(d) => format!("its packet to {d} is not sent to the Internet"),
                None => "they cannot reach the Internet".to_string(),
            };
            FindingText::new(
                format!(
                    "{} in subnet `{}` {} instance{} of Flexible scale set `{scale_set}`, which never get default outbound access, and ha{} no NAT gateway, public IP or load-balancer outbound rule: {what}",
                    nic_list(snap, nics),
                    snap.subnet_label(*subnet),
                    if nics.len() == 1 { "is an" } else { "are" },
                    if nics.len() == 1 { "" } else { "s" },
                    if nics.len() == 1 { "s" } else { "ve" },
                ),
                EXPLICIT_METHODS,
            )
            .evidence(route.route().label())
            .evidence(format!("orchestrationMode: Flexible (`{scale_set}`)"))
        }
    }
}

pub(super) fn outbound_icmp_not_supported(snap: &Snapshot, e: &OutboundIcmpNotSupported) -> FindingText {
    let by = match &e.nat_gateway {
        Some(Link::Resolved(g)) => format!("NAT gateway `{}` (TCP and UDP only)", snap.nat_gateways[g.index()].name),
        Some(Link::Missing(id)) => format!("NAT gateway `{id}` (TCP and UDP only)"),
        None => "default outbound access (no ICMP)".to_string(),
    };
    FindingText::new(
        format!(
            "ICMP from `{}` to {} leaves for the Internet by {by}: it is not translated and does not arrive",
            snap.subnet_label(e.subnet),
            e.destination
        ),
        "test reachability with TCP or UDP; ICMP to the Internet needs an instance public IP, or a firewall that allows it",
    )
}

pub(super) fn private_subnet_internet_udr(snap: &Snapshot, e: &PrivateSubnetInternetUdr) -> FindingText {
    FindingText::new(
        format!(
            "user route {} in private subnet `{}` has next hop Internet, but {} ha{} no explicit outbound method: traffic it matches is not delivered",
            e.route.route().label(),
            snap.subnet_label(e.subnet),
            nic_list(snap, &e.nics),
            if e.nics.len() == 1 { "s" } else { "ve" }
        ),
        EXPLICIT_METHODS,
    )
    .evidence("defaultOutboundAccess: false".to_string())
}

pub(super) fn default_outbound_access_in_use(snap: &Snapshot, e: &DefaultOutboundAccessInUse) -> FindingText {
    FindingText::new(
        format!(
            "{} in `{}` reach{} the Internet by default outbound access (a Microsoft-owned address that can change), which Azure is retiring",
            nic_list(snap, &e.nics),
            snap.subnet_label(e.subnet),
            if e.nics.len() == 1 { "es" } else { "" }
        ),
        format!("{EXPLICIT_METHODS}; then set defaultOutboundAccess to false"),
    )
    .evidence("defaultOutboundAccess: true, no NAT gateway".to_string())
}

pub(super) fn nat_gateway_overridden_by_udr(snap: &Snapshot, e: &NatGatewayOverriddenByUdr) -> FindingText {
    FindingText::new(
        format!(
            "NAT gateway `{}` on `{}` is unused for 0.0.0.0/0: a route to a virtual appliance or gateway takes precedence",
            snap.nat_gateways[e.nat_gateway.index()].name,
            snap.subnet_label(e.subnet)
        ),
        "nothing if the appliance is meant to egress; otherwise remove the route or the NAT gateway",
    )
    .evidence(e.route.route().label())
}

pub(super) fn nat_gateway_on_unsupported_subnet(snap: &Snapshot, e: &NatGatewayOnUnsupportedSubnet) -> FindingText {
    let gateway = &snap.nat_gateways[e.nat_gateway.index()];
    let why = match &e.reason {
        NatGatewayUnsupported::GatewaySubnet => "a NAT gateway cannot be attached to the GatewaySubnet".to_string(),
        NatGatewayUnsupported::SqlManagedInstance => {
            "a NAT gateway cannot be attached to a SQL Managed Instance subnet".to_string()
        }
        NatGatewayUnsupported::StandardV2Delegated { service } => {
            format!("a StandardV2 NAT gateway does not support subnets delegated to `{service}`")
        }
        NatGatewayUnsupported::BasicLoadBalancer { lb } => format!(
            "Basic load balancer `{}` has backends in the subnet; NAT gateway is incompatible with Basic load balancers",
            snap.load_balancers[lb.index()].name
        ),
    };
    FindingText::new(
        format!("NAT gateway `{}` on `{}`: {why}", gateway.name, snap.subnet_label(e.subnet)),
        "dissociate the NAT gateway from this subnet (or upgrade the Basic load balancer to Standard)",
    )
}

pub(super) fn app_gateway_v2_default_route_to_appliance(
    snap: &Snapshot,
    e: &AppGatewayV2DefaultRouteToAppliance,
) -> FindingText {
    FindingText::new(
        format!(
            "Application Gateway v2 `{}` sits in `{}`, whose 0.0.0.0/0 goes to {}: v2 does not support that, and its control traffic breaks",
            snap.application_gateways[e.gateway.index()].name,
            snap.subnet_label(e.subnet),
            e.route.route().next_hop_type.as_str()
        ),
        "send 0.0.0.0/0 from the Application Gateway subnet to Internet (or use a private Application Gateway deployment)",
    )
    .evidence(e.route.route().label())
}

pub(super) fn udr_on_bastion_subnet(snap: &Snapshot, e: &UdrOnBastionSubnet) -> FindingText {
    let table = table_name(snap, e.table);
    FindingText::new(
        format!(
            "AzureBastionSubnet `{}` has route table `{table}`; user routes are not supported there",
            snap.subnet_label(e.subnet)
        ),
        format!("dissociate `{table}` from AzureBastionSubnet"),
    )
}

pub(super) fn bastion_subnet_too_small(snap: &Snapshot, e: &BastionSubnetTooSmall) -> FindingText {
    FindingText::new(
        format!(
            "AzureBastionSubnet `{}` is {}; Bastion needs /26 or larger (deployments before 2 November 2021 on /27 keep working)",
            snap.subnet_label(e.subnet),
            e.prefix
        ),
        "resize AzureBastionSubnet to /26 or larger",
    )
}

pub(super) fn public_lb_behind_firewall(
    snap: &Snapshot,
    e: &PublicLoadBalancerBehindFirewallDefaultRoute,
) -> FindingText {
    FindingText::new(
        format!(
            "public load balancer `{}` has backends {} in {}, whose 0.0.0.0/0 goes to {}: replies to Internet clients leave through the appliance instead of the load balancer and are dropped",
            snap.load_balancers[e.lb.index()].name,
            nic_list(snap, &e.nics),
            super::context_label(snap, &e.context),
            e.route.route().next_hop_ips.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(" ")
        ),
        "add a user route for the clients' addresses (or 0.0.0.0/0 from the backends' subnet) with next hop Internet, or publish the service through the firewall's DNAT instead",
    )
    .evidence(e.route.route().label())
}

pub(super) fn vmss_nics_missing(snap: &Snapshot, e: &VmssNicsMissing) -> FindingText {
    let subnets = e.subnets.iter().map(|s| format!("`{}`", snap.subnet_label(*s))).collect::<Vec<_>>().join(", ");
    FindingText::new(
        format!(
            "scale set `{}` (Uniform) has no instance NICs in the snapshot, in {subnets}: `az network nic list` leaves them out, so its instances cannot be traced",
            snap.scale_sets[e.scale_set.index()].name
        ),
        "export them with `az vmss nic list --resource-group RG --vmss-name NAME` and add the file to the snapshot",
    )
}

/// The service that owns an address, in words.
pub(crate) fn platform_owner_text(snap: &Snapshot, owner: &PlatformOwner) -> String {
    match owner {
        PlatformOwner::ApplicationGateway(a) => {
            format!("Application Gateway `{}`", snap.application_gateways[a.index()].name)
        }
        PlatformOwner::BastionHost(b) => format!("Azure Bastion `{}`", snap.bastion_hosts[b.index()].name),
        PlatformOwner::DnsResolverInbound(d) => {
            format!("DNS Private Resolver inbound endpoint `{}`", snap.dns_inbound_endpoints[d.index()].name)
        }
        PlatformOwner::ScaleSet(v) => format!("scale set `{}`", snap.scale_sets[v.index()].name),
        PlatformOwner::Delegated { subnet, service } => {
            format!("`{service}` (subnet `{}` is delegated to it)", snap.subnet_label(*subnet))
        }
    }
}

pub(super) fn platform_owned_destination(snap: &Snapshot, e: &PlatformOwnedDestination) -> FindingText {
    let owner = platform_owner_text(snap, &e.owner);
    match e.answer {
        PlatformAnswer::InstanceAddress => FindingText::new(
            format!(
                "{} belongs to {owner}, whose instances the snapshot does not list: the trace stops there",
                e.destination
            ),
            "trace to the service's frontend address instead, or export the instances it uses",
        ),
        PlatformAnswer::PortNotServed { port } => FindingText::new(
            format!("{} is {owner}, which answers DNS (TCP and UDP port 53) only, not port {port}", e.destination),
            "query it on port 53",
        ),
    }
}
