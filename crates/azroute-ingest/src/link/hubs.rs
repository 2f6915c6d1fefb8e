//! Linking virtual hubs (Route Servers): BGP connections nested in their hub, IP
//! configurations read apart giving the hub its subnet and VNet, and learned-routes wrappers
//! attached to the BGP connection they name (§19.1); the Virtual WAN kinds (§20.1).

use azroute_model::*;

use super::Ctx;
use crate::arm_hub::{PendingHubLearned, PendingHubSubnet};
use crate::diag::Diagnostic;
use crate::pending::Pending;
use crate::values::parent_id;

impl Ctx<'_> {
    /// Hubs deduplicated, each with its BGP connections (inline or read apart) ordered by id.
    pub(super) fn virtual_hubs(&mut self, all: &mut Pending) -> Vec<VirtualHub> {
        let mut hubs = self.with_children(
            std::mem::take(&mut all.virtual_hubs),
            std::mem::take(&mut all.bgp_connections),
            ["virtual hub", "BGP connection"],
            |h: &mut VirtualHub| &mut h.bgp_connections,
        );
        for hub in &mut hubs {
            hub.bgp_connections.sort_by_key(|c| normalize_id(c.id.as_str()));
        }
        hubs
    }

    /// The Virtual WAN kinds, each deduplicated and sorted by id (§20.1); observed hub routes
    /// in the order read.
    pub(super) fn vwan(&mut self, all: &mut Pending) -> Vwan {
        Vwan {
            virtual_wans: self.dedupe_by_id(std::mem::take(&mut all.virtual_wans), "virtual WAN"),
            hub_connections: self
                .dedupe_by_id(std::mem::take(&mut all.hub_connections), "hub virtual network connection"),
            hub_route_tables: self.dedupe_by_id(std::mem::take(&mut all.hub_route_tables), "hub route table"),
            routing_intents: self.dedupe_by_id(std::mem::take(&mut all.routing_intents), "routing intent"),
            vpn_gateways: self.dedupe_by_id(std::mem::take(&mut all.vpn_gateways), "VPN gateway"),
            vpn_sites: self.dedupe_by_id(std::mem::take(&mut all.vpn_sites), "VPN site"),
            express_route_gateways: self
                .dedupe_by_id(std::mem::take(&mut all.express_route_gateways), "ExpressRoute gateway"),
            network_virtual_appliances: self
                .dedupe_by_id(std::mem::take(&mut all.network_virtual_appliances), "network virtual appliance"),
            observed_routes: std::mem::take(&mut all.observed_hub_routes),
        }
    }
}

/// A hub whose own JSON did not name its subnet takes it from a `virtualHubs/ipConfigurations`
/// child (the shape `az network routeserver` keeps it in).
pub(super) fn apply_hub_subnets(hubs: &mut [VirtualHub], subnets: Vec<PendingHubSubnet>) {
    for s in subnets {
        if let Some(hub) = hubs.iter_mut().find(|h| normalize_id(h.id.as_str()) == s.hub)
            && hub.subnet.is_none()
        {
            hub.vnet = Some(Link::Missing(ArmId::new(parent_id(s.subnet.as_str()))));
            hub.subnet = Some(s.subnet);
        }
    }
}

/// Learned routes belong to the BGP connection their wrapper names.
pub(super) fn attach_hub_learned_routes(ctx: &mut Ctx<'_>, snapshot: &mut Snapshot, learned: Vec<PendingHubLearned>) {
    for learned in learned {
        let hub_id = parent_id(&learned.bgp_connection_id);
        let target = snapshot.resolve_id(ResourceKind::VirtualHub, &hub_id).and_then(|h| {
            let key = normalize_id(&learned.bgp_connection_id);
            let hub = &snapshot.virtual_hubs[h as usize];
            hub.bgp_connections.iter().position(|c| normalize_id(c.id.as_str()) == key).map(|c| (h as usize, c))
        });
        match target {
            Some((h, c)) => {
                let connection = &mut snapshot.virtual_hubs[h].bgp_connections[c];
                connection.learned_routes_supplied = true;
                for r in learned.routes {
                    if !connection.learned_routes.contains(&r) {
                        connection.learned_routes.push(r);
                    }
                }
            }
            None => ctx.diagnostics.push(
                Diagnostic::warning(
                    "DanglingReference",
                    format!(
                        "learned routes name BGP connection `{}`, which is not in the snapshot; ignored",
                        learned.bgp_connection_id
                    ),
                )
                .in_file(ctx.file(&learned.origin))
                .at(learned.origin.json_path.clone())
                .hint("export the Route Server and its peerings (`az network routeserver show`, `az network routeserver peering list`)"),
            ),
        }
    }
}
