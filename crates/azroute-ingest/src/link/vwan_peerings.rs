//! The `RemoteVnetToHubPeering_*` peering Azure creates on a spoke when it is connected to a
//! Virtual WAN hub (§20.1), for the spokes whose export lacks it: a Terraform state or plan
//! holds the `azurerm_virtual_hub_connection` but never that peering, which Microsoft owns. One
//! peering is added per hub connection whose spoke VNet is in the snapshot and has no hub
//! peering: to the hub's hidden VNet (`RG_<hub>_derived/…/HV_<hub>_derived`, the real name's
//! GUID cannot be known), the hub's address prefix as its remote space, connected, with the
//! hub's gateways used (`allowRemoteVnetToUseHubVnetGateways`, on by default), origin the hub
//! connection's.

use azroute_model::*;

/// The prefix of the peering Azure creates on a spoke connected to a Virtual WAN hub.
const HUB_PEERING_PREFIX: &str = "remotevnettohubpeering_";

/// Adds the hub peerings the snapshot lacks (references already resolved).
pub(super) fn add_hub_connection_peerings(snapshot: &mut Snapshot) {
    let created = hub_connection_peerings(snapshot);
    // Listed first: Azure creates it with the hub connection, usually before the spoke's
    // other peerings, and exports list it so.
    super::add_peerings(snapshot, created, true);
}

fn hub_connection_peerings(snap: &Snapshot) -> Vec<Peering> {
    let mut out = Vec::new();
    let mut connected: Vec<usize> = snap
        .peerings
        .iter()
        .filter(|p| p.name.to_ascii_lowercase().starts_with(HUB_PEERING_PREFIX))
        .map(|p| p.vnet.index())
        .collect();
    for connection in &snap.vwan.hub_connections {
        let Some(spoke) = connection
            .remote_vnet
            .as_ref()
            .and_then(|id| snap.resolve_id(ResourceKind::VirtualNetwork, id.as_str()))
            .map(|v| v as usize)
        else {
            continue;
        };
        let Some(hub) = snap.resolve_id(ResourceKind::VirtualHub, connection.hub.as_str()).map(|h| h as usize) else {
            continue;
        };
        let hub = &snap.virtual_hubs[hub];
        if hub.is_route_server() || connected.contains(&spoke) {
            continue;
        }
        connected.push(spoke);
        out.push(peering(&snap.vnets[spoke], spoke, hub, &connection.origin));
    }
    out
}

fn peering(vnet: &Vnet, index: usize, hub: &VirtualHub, origin: &Origin) -> Peering {
    let name = format!("RemoteVnetToHubPeering_{}_derived", hub.name);
    let subscription = hub.id.as_str().split('/').nth(2).unwrap_or_default();
    let hidden = format!(
        "/subscriptions/{subscription}/resourceGroups/RG_{0}_derived/providers/Microsoft.Network/virtualNetworks/HV_{0}_derived",
        hub.name
    );
    let space: Vec<_> = hub.address_prefix.into_iter().collect();
    Peering {
        id: ArmId::new(format!("{}/virtualNetworkPeerings/{name}", vnet.id.as_str())),
        name,
        vnet: VnetIdx(index as u32),
        remote_vnet: Link::Missing(ArmId::new(hidden)),
        state: PeeringState::Connected,
        allow_virtual_network_access: true,
        allow_forwarded_traffic: false,
        allow_gateway_transit: false,
        use_remote_gateways: true,
        remote_address_space: space.clone(),
        remote_virtual_network_address_space: space,
        peer_complete_vnets: true,
        local_subnet_names: Vec::new(),
        remote_subnet_names: Vec::new(),
        origin: origin.clone(),
    }
}

#[cfg(test)]
mod tests {
    use crate::load_texts;

    const SUB: &str =
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network";

    fn estate(spoke_peerings: &str) -> Vec<(String, String)> {
        let hub = format!(
            r#"[{{"id": "{SUB}/virtualHubs/hub1", "name": "hub1", "type": "Microsoft.Network/virtualHubs", "location": "eastus",
                "addressPrefix": "10.100.0.0/23", "virtualWan": {{"id": "{SUB}/virtualWans/wan"}}, "virtualRouterIps": ["10.100.0.68"]}}]"#
        );
        let connection = format!(
            r#"[{{"id": "{SUB}/virtualHubs/hub1/hubVirtualNetworkConnections/c1", "name": "c1",
                "type": "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections",
                "remoteVirtualNetwork": {{"id": "{SUB}/virtualNetworks/spoke"}}}}]"#
        );
        let vnet = format!(
            r#"[{{"id": "{SUB}/virtualNetworks/spoke", "name": "spoke", "type": "Microsoft.Network/virtualNetworks", "location": "eastus",
                "addressSpace": {{"addressPrefixes": ["10.1.0.0/16"]}}, "subnets": [], "virtualNetworkPeerings": [{spoke_peerings}]}}]"#
        );
        [("vhub-list.json", hub), ("vhub-connection-list-hub1.json", connection), ("vnet-list.json", vnet)]
            .into_iter()
            .map(|(n, t)| (n.to_string(), t))
            .collect()
    }

    #[test]
    fn a_hub_connection_gives_its_spoke_the_hub_peering_azure_creates_once() {
        let loaded = load_texts(&estate(""));
        let snap = &loaded.snapshot;
        assert_eq!(snap.peerings.len(), 1, "{:?}", loaded.diagnostics);
        let p = &snap.peerings[0];
        assert_eq!(p.name, "RemoteVnetToHubPeering_hub1_derived");
        assert!(p.remote_vnet.missing().is_some_and(|id| id.as_str().ends_with("/virtualNetworks/HV_hub1_derived")));
        assert_eq!(p.remote_address_space, ["10.100.0.0/23".parse().unwrap()]);
        assert!(p.use_remote_gateways && !p.allow_forwarded_traffic);
        assert_eq!(snap.vnets[0].peerings, [azroute_model::PeeringIdx(0)]);
        // An exported hub peering is kept and none is added.
        let exported = format!(
            r#"{{"id": "{SUB}/virtualNetworks/spoke/virtualNetworkPeerings/RemoteVnetToHubPeering_abc", "name": "RemoteVnetToHubPeering_abc",
                "peeringState": "Connected", "allowVirtualNetworkAccess": true, "useRemoteGateways": true,
                "remoteVirtualNetwork": {{"id": "/subscriptions/9/resourceGroups/RG_hub1_abc/providers/Microsoft.Network/virtualNetworks/HV_hub1_abc"}},
                "remoteAddressSpace": {{"addressPrefixes": ["10.100.0.0/23"]}}}}"#
        );
        let loaded = load_texts(&estate(&exported));
        let names: Vec<&str> = loaded.snapshot.peerings.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["RemoteVnetToHubPeering_abc"]);
    }
}
