//! Words for the Virtual WAN parts of a NIC's table (§20.4): why a hub route is there, and the
//! notes about hub routes, for `--explain`.

use azroute_model::*;

use super::types::HubNextHopType;
use crate::route::TableNote;

fn hub_name(snap: &Snapshot, hub: VirtualHubIdx) -> &str {
    &snap.virtual_hubs[hub.index()].name
}

/// Why a route of a Virtual WAN hub is in a spoke's table.
pub(crate) fn origin_text(
    snap: &Snapshot,
    hub: VirtualHubIdx,
    next_hop_type: &HubNextHopType,
    next_hop: Option<&ArmId>,
    derived: bool,
) -> String {
    let via = next_hop.map(|h| format!(" `{}`", h.last_segment())).unwrap_or_default();
    let derived = if derived { "; derived from the hub's routing intent (RI-4)" } else { "" };
    format!(
        "route of Virtual WAN hub `{}`'s table associated with this VNet's connection: {}{via} (§20.4){derived}",
        hub_name(snap, hub),
        next_hop_type.as_str()
    )
}

/// The text of a Virtual WAN note, `None` for other notes.
pub(crate) fn note_text(snap: &Snapshot, note: &TableNote) -> Option<String> {
    Some(match note {
        TableNote::VirtualWanRoutesSuppressed { table, hub, prefixes } => format!(
            "route table `{}` disables gateway route propagation, so none of Virtual WAN hub `{}`'s routes reach this subnet ({} left out; RI-8)",
            snap.route_tables[table.index()].name,
            hub_name(snap, *hub),
            prefixes.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ")
        ),
        TableNote::VirtualWanRouterNextHopAssumed { hub } => format!(
            "routes through Virtual WAN hub `{}`'s router show its virtualRouterIps as next hop; older hubs showed a public route-service address (assumed, option --vwan-router-next-hop, C26)",
            hub_name(snap, *hub)
        ),
        TableNote::VirtualWanInternetSecurityUnknown { hub } => format!(
            "the connection to Virtual WAN hub `{}` does not say enableInternetSecurity: 0.0.0.0/0 from the hub was left out (VW-5)",
            hub_name(snap, *hub)
        ),
        TableNote::VirtualWanExpressRouteNextHopUnknown { hub, gateways, prefixes } => format!(
            "{} learned over ExpressRoute gateway {} of Virtual WAN hub `{}` show no next hop IP: Azure shows the address of the Microsoft edge router (MSEE) each route was learned from, which no export holds (§20.4)",
            prefixes.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", "),
            gateways.iter().map(|g| format!("`{}`", g.last_segment())).collect::<Vec<_>>().join(", "),
            hub_name(snap, *hub)
        ),
        TableNote::VirtualWanSecuredSpokeInterHub { hub, prefixes, local_firewall } => format!(
            "Virtual WAN hub `{}` sends private traffic to its firewall, and its table also holds {} as Remote Hub routes: {} (option --vwan-secured-spoke-inter-hub, C38, §20.14)",
            hub_name(snap, *hub),
            prefixes.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", "),
            if *local_firewall {
                "left out here, so this spoke reaches them through the local firewall first, as Microsoft's traffic tables show"
            } else {
                "kept, so this spoke reaches them past the local firewall"
            }
        ),
        _ => return None,
    })
}
