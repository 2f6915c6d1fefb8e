//! Virtual WAN (§20): each hub table's effective routes (`tables.rs`, with the sources of
//! routes in `offers.rs` and routing intent in `intent.rs`), and the recognition of a spoke's
//! `RemoteVnetToHubPeering_*` peering to the hub's hidden VNet (`HV_<hub>_<guid>`, in a
//! Microsoft-owned resource group, §19.4).

use azroute_model::*;

mod intent;
mod nic_routes;
mod offers;
mod tables;
pub(crate) mod text;
mod types;
mod verify;

pub(crate) use intent::private_policy;
pub use intent::routing_intent_splits;
pub(crate) use nic_routes::{crosses_local_firewall, private_destinations, spoke_routes};
pub use tables::VwanRouting;
pub use types::*;
pub use verify::{HubRouteFacts, HubVerification, HubVerifyError, verify_hub};

/// The prefix of the peering Azure creates on a spoke connected to a Virtual WAN hub.
const HUB_PEERING_PREFIX: &str = "remotevnettohubpeering_";

/// Whether a peering is the one Azure creates for a Virtual WAN hub connection.
pub fn is_virtual_wan_hub_peering(peering: &Peering) -> bool {
    peering.name.to_ascii_lowercase().starts_with(HUB_PEERING_PREFIX)
}

/// The Virtual WAN hub a hub peering leads to, when the snapshot holds it: the hidden VNet is
/// named `HV_<hub name>_<guid>`.
pub fn hub_of_peering(snap: &Snapshot, peering: &Peering) -> Option<VirtualHubIdx> {
    let remote = match &peering.remote_vnet {
        Link::Resolved(v) => snap.vnets[v.index()].name.clone(),
        Link::Missing(id) => id.last_segment().to_string(),
    };
    let rest = remote.strip_prefix("HV_").or_else(|| remote.strip_prefix("hv_"))?;
    snap.virtual_hubs.iter().enumerate().find_map(|(i, h)| {
        let named = rest.len() > h.name.len()
            && rest[..h.name.len()].eq_ignore_ascii_case(&h.name)
            && rest.as_bytes()[h.name.len()] == b'_';
        (named && !h.is_route_server()).then_some(VirtualHubIdx(i as u32))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peering(name: &str, remote: &str) -> Peering {
        Peering {
            id: ArmId::new(format!("/x/virtualNetworks/spoke/virtualNetworkPeerings/{name}")),
            name: name.to_string(),
            vnet: VnetIdx(0),
            remote_vnet: Link::Missing(ArmId::new(format!(
                "/subscriptions/m/resourceGroups/RG_hub1_1/providers/Microsoft.Network/virtualNetworks/{remote}"
            ))),
            state: PeeringState::Connected,
            allow_virtual_network_access: true,
            allow_forwarded_traffic: false,
            allow_gateway_transit: false,
            use_remote_gateways: true,
            remote_address_space: Vec::new(),
            remote_virtual_network_address_space: Vec::new(),
            peer_complete_vnets: true,
            local_subnet_names: Vec::new(),
            remote_subnet_names: Vec::new(),
            origin: Origin::default(),
        }
    }

    #[test]
    fn hub_peerings_are_recognised_by_name_and_hidden_vnet() {
        let mut snap = Snapshot::default();
        snap.virtual_hubs.push(VirtualHub {
            id: ArmId::new("/x/virtualHubs/hub1"),
            name: "hub1".into(),
            location: "eastus".into(),
            virtual_wan: Some(ArmId::new("/x/virtualWans/wan")),
            address_prefix: None,
            subnet: None,
            vnet: None,
            virtual_router_asn: None,
            virtual_router_ips: Vec::new(),
            allow_branch_to_branch_traffic: false,
            hub_routing_preference: HubRoutingPreference::default(),
            bgp_connections: Vec::new(),
            vwan_hub: VwanHubFields::default(),
            origin: Origin::default(),
        });
        let p = peering("RemoteVnetToHubPeering_0b1c", "HV_hub1_0b1c-22");
        assert!(is_virtual_wan_hub_peering(&p));
        assert_eq!(hub_of_peering(&snap, &p), Some(VirtualHubIdx(0)));
        assert_eq!(hub_of_peering(&snap, &peering("RemoteVnetToHubPeering_0b1c", "HV_hub10_0b1c")), None);
        assert!(!is_virtual_wan_hub_peering(&peering("spoke-to-hub", "vnet-hub")));
    }
}
