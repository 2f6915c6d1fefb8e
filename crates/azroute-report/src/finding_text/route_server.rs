//! The words of the Route Server checks (§19.3, §19.6).

use azroute_engine::*;
use azroute_model::*;

use super::{FindingText, az};

fn hub(snap: &Snapshot, hub: VirtualHubIdx) -> &VirtualHub {
    &snap.virtual_hubs[hub.index()]
}

/// `` `nva1` (10.0.2.4, AS 65001) ``.
fn peer(snap: &Snapshot, h: VirtualHubIdx, connection: usize) -> String {
    let Some(c) = hub(snap, h).bgp_connections.get(connection) else { return "?".to_string() };
    let ip = c.peer_ip.map(|ip| ip.to_string()).unwrap_or_else(|| "no peer IP".to_string());
    match c.peer_asn {
        Some(asn) => format!("`{}` ({ip}, AS {asn})", c.name),
        None => format!("`{}` ({ip})", c.name),
    }
}

fn list(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

pub(super) fn single_instance_peer(snap: &Snapshot, e: &RouteServerSingleInstancePeer) -> FindingText {
    let h = hub(snap, e.hub);
    FindingText::new(
        format!(
            "Route Server `{}` instance {} learned {} prefix(es) from peer {} that instance {} did not: the NVA peers with one Route Server instance only, so some VMs get these routes and others do not",
            h.name,
            e.present_on,
            e.prefixes.len(),
            peer(snap, e.hub, e.connection),
            e.missing_on
        ),
        format!(
            "configure the NVA's BGP to peer with both Route Server addresses ({})",
            list(h.virtual_router_ips.iter().map(|ip| ip.to_string()))
        ),
    )
    .evidence(format!("on {} only: {}", e.present_on, list(e.prefixes.iter().map(|p| p.to_string()))))
}

pub(super) fn route_dropped_as_path_65515(snap: &Snapshot, e: &RouteServerRouteDroppedAsPath65515) -> FindingText {
    let mut text = FindingText::new(
        format!(
            "Route Server `{}` drops {} route(s) from peer {}: their AS path holds 65515, Azure's own ASN, which BGP loop prevention rejects",
            hub(snap, e.hub).name,
            e.routes.len(),
            peer(snap, e.hub, e.connection)
        ),
        "advertise these prefixes without 65515 in the AS path (strip or replace Azure's ASN on the NVA, e.g. `as-override` or a route map)",
    );
    for (prefix, as_path) in &e.routes {
        text = text.evidence(format!("{prefix} asPath {as_path}"));
    }
    text
}

pub(super) fn default_route_self_loop(snap: &Snapshot, e: &RouteServerDefaultRouteSelfLoop) -> FindingText {
    let nic = &snap.nics[e.nic.index()].name;
    FindingText::new(
        format!(
            "NVA `{nic}` ({}) advertises 0.0.0.0/0 to Route Server `{}`, and its own subnet `{}` uses that route: the NVA's Internet traffic is sent back to itself",
            e.next_hop,
            hub(snap, e.hub).name,
            snap.subnet_label(e.subnet)
        ),
        format!(
            "associate a route table with `{}` holding a user route 0.0.0.0/0 → Internet (a user route beats the BGP route of the identical prefix)",
            snap.subnet_label(e.subnet)
        ),
    )
    .evidence(format!("{}: 0.0.0.0/0 VirtualNetworkGateway {} (Route Server)", snap.subnet_label(e.subnet), e.next_hop))
}

pub(super) fn prefix_too_specific(snap: &Snapshot, e: &RouteServerPrefixTooSpecific) -> FindingText {
    let mut text = FindingText::new(
        format!(
            "Route Server `{}` does not program {} prefix(es) from peer {}: they are equal to or inside its virtual network's address space, and BGP cannot steer traffic inside the VNet",
            hub(snap, e.hub).name,
            e.prefixes.len(),
            peer(snap, e.hub, e.connection)
        ),
        "advertise a shorter prefix (a supernet of the VNet is programmed) or use a user route for traffic inside the VNet",
    );
    for (prefix, range) in &e.prefixes {
        text = text.evidence(format!("{prefix} is inside the VNet range {range}"));
    }
    text
}

pub(super) fn branch_to_branch_disabled(snap: &Snapshot, e: &RouteServerBranchToBranchDisabled) -> FindingText {
    let h = hub(snap, e.hub);
    let gateways = list(e.gateways.iter().map(|g| format!("`{}`", snap.gateways[g.index()].name)));
    FindingText::new(
        format!(
            "Route Server `{}` has allowBranchToBranchTraffic = false beside gateway(s) {gateways}: on-premises does not learn the {} prefix(es) its peers advertise, nor the NVAs on-premises prefixes",
            h.name,
            e.prefixes.len()
        ),
        format!("if the NVAs and on-premises should exchange routes, `{}`", az::route_server_branch_to_branch(&h.id)),
    )
    .evidence(format!("advertised by peers: {}", list(e.prefixes.iter().take(10).map(|p| p.to_string()))))
}

pub(super) fn peer_asn_refused(snap: &Snapshot, e: &RouteServerPeerAsnRefused) -> FindingText {
    FindingText::new(
        format!(
            "Route Server `{}` cannot peer with {}: AS {} is not a 16-bit ASN, or one Azure or IANA reserves (8074, 8075, 12076, 23456, 64496-64511, 65515, 65517-65520, 65535), so the NVA's routes are never learned",
            hub(snap, e.hub).name,
            peer(snap, e.hub, e.connection),
            e.asn
        ),
        "give the NVA a private 16-bit ASN that is not reserved (64512-65514, for example) and peer again",
    )
    .evidence(format!("peerAsn {}", e.asn))
}

pub(super) fn peer_over_route_limit(snap: &Snapshot, e: &RouteServerPeerOverRouteLimit) -> FindingText {
    FindingText::new(
        format!(
            "peer {} advertised {} routes to Route Server `{}`, more than the {} it accepts per peer: Route Server tears the BGP session down, so none of its routes are programmed",
            peer(snap, e.hub, e.connection),
            e.routes,
            hub(snap, e.hub).name,
            e.limit
        ),
        "advertise fewer routes from the NVA (summarise prefixes) to stay under the limit",
    )
    .evidence(format!("{} routes learned, limit {}", e.routes, e.limit))
}

pub(super) fn branch_to_branch_gateway_not_active_active(
    snap: &Snapshot,
    e: &RouteServerBranchToBranchGatewayNotActiveActive,
) -> FindingText {
    let gw = &snap.gateways[e.gateway.index()];
    let mut wrong = Vec::new();
    if !e.active_active {
        wrong.push("is not active-active".to_string());
    }
    if let Some(asn) = e.asn.filter(|&a| a != 65515) {
        wrong.push(format!("has AS {asn}"));
    }
    FindingText::new(
        format!(
            "Route Server `{}` has branch-to-branch on, but VPN gateway `{}` {}: Route Server exchanges routes with a VPN gateway only when it is active-active with AS 65515, so the NVAs and the VPN branches do not learn each other's routes",
            hub(snap, e.hub).name,
            gw.name,
            wrong.join(" and ")
        ),
        "make the VPN gateway active-active and keep its ASN 65515 (`az network vnet-gateway update --asn 65515`, active-active needs a second public IP configuration)",
    )
    .evidence(format!(
        "activeActive {}, bgpSettings.asn {}",
        e.active_active,
        e.asn.map_or("not exported".to_string(), |a| a.to_string())
    ))
}

pub(super) fn multiple_per_vnet(snap: &Snapshot, e: &RouteServerMultiplePerVnet) -> FindingText {
    FindingText::new(
        format!(
            "VNet `{}` holds {} Route Servers ({}); Azure allows one per VNet, so this snapshot is not a state Azure deploys",
            snap.vnets[e.vnet.index()].name,
            e.hubs.len(),
            list(e.hubs.iter().map(|h| format!("`{}`", hub(snap, *h).name)))
        ),
        "keep one Route Server in the VNet and peer every NVA with both of its instances",
    )
}
