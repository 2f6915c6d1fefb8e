//! Route Servers in test estates (§19): the hub with its IP configuration in
//! `RouteServerSubnet`, BGP peers, and each peer's learned routes as the wrapper file
//! `{"bgpConnectionId", "learnedRoutes"}` holding the map keyed by instance; Virtual WAN hubs and
//! the peering Azure creates on a spoke connected to one (§19.4).

use serde_json::{Value, json};

use crate::{Estate, id, subnet_id};

/// One learned route of a peer: (network, BGP next hop, AS path).
pub type PeerRoute<'a> = (&'a str, &'a str, &'a str);

impl Estate {
    /// A Route Server in `vnet`'s `RouteServerSubnet` (which must exist).
    pub fn route_server(&mut self, name: &str, vnet: &str, router_ips: &[&str], branch_to_branch: bool) -> &mut Estate {
        self.others.push(json!({
            "id": id("virtualHubs", name), "name": name, "type": "Microsoft.Network/virtualHubs", "location": "eastus",
            "properties": {
                "sku": "Standard", "virtualRouterAsn": 65515, "virtualRouterIps": router_ips,
                "allowBranchToBranchTraffic": branch_to_branch, "hubRoutingPreference": "ExpressRoute",
                "ipConfigurations": [{"id": format!("{}/ipConfigurations/ipconfig1", id("virtualHubs", name)),
                    "properties": {"subnet": {"id": subnet_id(vnet, "RouteServerSubnet")}}}]
            }
        }));
        self
    }

    /// Sets a Route Server property (`hubRoutingPreference`, …).
    pub fn route_server_property(&mut self, name: &str, key: &str, value: Value) -> &mut Estate {
        self.resource_property("Microsoft.Network/virtualHubs", name, key, value)
    }

    /// A BGP peer of a Route Server.
    pub fn bgp_peer(&mut self, route_server: &str, peer: &str, peer_ip: &str, peer_asn: u32) -> &mut Estate {
        let hub = id("virtualHubs", route_server);
        self.others.push(json!({
            "id": format!("{hub}/bgpConnections/{peer}"), "name": peer, "type": "Microsoft.Network/virtualHubs/bgpConnections",
            "properties": {"peerIp": peer_ip, "peerAsn": peer_asn, "connectionState": "Connected"}
        }));
        self
    }

    /// What a peer advertised, as both Route Server instances learned it (RS-11 needs them to
    /// differ: `instance_1` overrides the second instance's list when given).
    pub fn peer_learned(
        &mut self,
        route_server: &str,
        peer: &str,
        routes: &[PeerRoute<'_>],
        instance_1: Option<&[PeerRoute<'_>]>,
    ) -> &mut Estate {
        let peer_ip = self
            .others
            .iter()
            .find(|r| r["name"] == peer && r["type"] == "Microsoft.Network/virtualHubs/bgpConnections")
            .map(|r| r["properties"]["peerIp"].clone())
            .unwrap_or(Value::Null);
        let rows = |list: &[PeerRoute<'_>], local: &str| -> Vec<Value> {
            list.iter()
                .map(|(network, hop, path)| {
                    json!({"localAddress": local, "network": network, "nextHop": hop,
                    "sourcePeer": peer_ip, "origin": "EBgp", "asPath": path, "weight": 32768})
                })
                .collect()
        };
        let learned = json!({
            "RouteServiceRole_IN_0": rows(routes, "rs-instance-0"),
            "RouteServiceRole_IN_1": rows(instance_1.unwrap_or(routes), "rs-instance-1"),
            "value": null
        });
        self.learned.push(json!({
            "bgpConnectionId": format!("{}/bgpConnections/{peer}", id("virtualHubs", route_server)),
            "learnedRoutes": learned
        }));
        self
    }

    /// A Virtual WAN hub (a `virtualHubs` resource with `virtualWan.id`).
    pub fn virtual_wan_hub(&mut self, name: &str, address_prefix: &str) -> &mut Estate {
        self.others.push(json!({
            "id": id("virtualHubs", name), "name": name, "type": "Microsoft.Network/virtualHubs", "location": "eastus",
            "properties": {"virtualWan": {"id": id("virtualWans", "wan")}, "addressPrefix": address_prefix,
                "virtualRouterAsn": 65515, "hubRoutingPreference": "ExpressRoute"}
        }));
        self
    }

    /// The peering Azure creates on `spoke` when it is connected to Virtual WAN hub `hub`: named
    /// `RemoteVnetToHubPeering_<guid>`, to the hub's hidden VNet `HV_<hub>_<guid>` in a
    /// Microsoft-owned resource group, using the remote gateways.
    pub fn connect_to_virtual_wan_hub(&mut self, spoke: &str, hub: &str, hub_prefix: &str) -> &mut Estate {
        let guid = "6f1c2a9e-0d4b-4e8a-9c1f-3b2d5e7a8c90";
        let p = json!({
            "id": format!("{}/virtualNetworkPeerings/RemoteVnetToHubPeering_{guid}", id("virtualNetworks", spoke)),
            "name": format!("RemoteVnetToHubPeering_{guid}"),
            "properties": {
                "peeringState": "Connected",
                "remoteVirtualNetwork": {"id": format!("/subscriptions/a1b2c3d4-0000-0000-0000-000000000000/resourceGroups/RG_{hub}_{guid}/providers/Microsoft.Network/virtualNetworks/HV_{hub}_{guid}")},
                "remoteAddressSpace": {"addressPrefixes": [hub_prefix]},
                "allowForwardedTraffic": false, "allowGatewayTransit": false, "useRemoteGateways": true,
                "doNotVerifyRemoteGateways": true, "allowVirtualNetworkAccess": true
            }
        });
        self.vnet_mut(spoke)["properties"]["virtualNetworkPeerings"].as_array_mut().expect("list").push(p);
        self
    }
}
