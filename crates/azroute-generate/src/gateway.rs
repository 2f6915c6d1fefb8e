//! A hub's VPN gateway, local network gateway, connection and BGP-learned routes.

use std::collections::BTreeSet;
use std::io;

use serde_json::{Value, json};

use crate::*;

/// The hub's VPN gateway, its local network gateway, the connection, and the learned routes.
pub(crate) fn write_hub_gateway(
    p: &GenerateParams,
    plan: &Plan,
    rng: &mut Rng,
    out: &mut Output<'_>,
    hub: &Hub,
) -> io::Result<()> {
    let rg = hub.rg.as_str();
    let site = OnPremises::of(hub);
    let gw_name = format!("vgw-{}", hub.name);
    let gw_id = plan.net(rg, &format!("virtualNetworkGateways/{gw_name}"));
    let instances = [hub.block + 4, hub.block + 5];
    out.write(format!("vnet-gateway-list-{rg}.json"), &gateway_json(plan, rng, hub, &gw_name, &gw_id, instances))?;
    out.summary.gateways += 1;
    let lng_id = plan.net(rg, &format!("localNetworkGateways/lng-{}-onprem", hub.name));
    out.write(format!("local-gateway-list-{rg}.json"), &local_gateway_json(rng, hub, &site, &lng_id))?;
    out.write(format!("vpn-connection-list-{rg}.json"), &connection_json(plan, rng, hub, &gw_id, &lng_id))?;
    let learned = learned_routes(p, plan, rng, hub, &site, instances);
    out.summary.learned_routes += learned.len();
    let wrapper = json!({"gatewayId": gw_id, "learnedRoutes": {"value": learned}});
    out.write(format!("learned-routes-{gw_name}.json"), &wrapper)
}

/// The hub's on-premises site: its `172.<octet>.0.0/16` range and BGP peer.
struct OnPremises {
    octet: u32,
    peer: String,
}

impl OnPremises {
    fn of(hub: &Hub) -> OnPremises {
        let octet = 16 + (hub_index(hub) % 16) as u32;
        OnPremises { octet, peer: ip((172 << 24) | (octet << 16) | (255 << 8) | 254) }
    }
}

/// The active-active VPN gateway with BGP (`az network vnet-gateway list` shape).
fn gateway_json(plan: &Plan, rng: &mut Rng, hub: &Hub, gw_name: &str, gw_id: &str, instances: [u32; 2]) -> Value {
    let rg = hub.rg.as_str();
    let gw_subnet = plan.net(rg, &format!("virtualNetworks/vnet-{}/subnets/GatewaySubnet", hub.name));
    json!([{
        "activeActive": true,
        "bgpSettings": {
            "asn": 65515,
            "bgpPeeringAddress": format!("{},{}", ip(instances[0]), ip(instances[1])),
            "bgpPeeringAddresses": instances.iter().enumerate().map(|(i, a)| json!({
                "customBgpIpAddresses": [],
                "defaultBgpIpAddresses": [ip(*a)],
                "ipconfigurationId": format!("{gw_id}/ipConfigurations/ipconfig{i}"),
                "tunnelIpAddresses": [ip(0x1450_0000 + rng.below(1 << 16) as u32)],
            })).collect::<Vec<_>>(),
            "peerWeight": 0,
        },
        "enableBgp": true,
        "enablePrivateIpAddress": false,
        "etag": format!("W/\"{}\"", rng.uuid()),
        "gatewayType": "Vpn",
        "id": gw_id,
        "ipConfigurations": (0..2).map(|i| json!({
            "etag": format!("W/\"{}\"", rng.uuid()),
            "id": format!("{gw_id}/ipConfigurations/ipconfig{i}"),
            "name": format!("ipconfig{i}"),
            "privateIPAllocationMethod": "Dynamic",
            "provisioningState": "Succeeded",
            "publicIPAddress": reference(&plan.net(rg, &format!("publicIPAddresses/pip-{gw_name}-{i}")), rg),
            "resourceGroup": rg,
            "subnet": reference(&gw_subnet, rg),
        })).collect::<Vec<_>>(),
        "location": hub.region,
        "name": gw_name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "resourceGuid": rng.uuid(),
        "sku": {"capacity": 2, "name": "VpnGw2AZ", "tier": "VpnGw2AZ"},
        "type": "Microsoft.Network/virtualNetworkGateways",
        "vpnGatewayGeneration": "Generation2",
        "vpnType": "RouteBased",
    }])
}

fn local_gateway_json(rng: &mut Rng, hub: &Hub, site: &OnPremises, lng_id: &str) -> Value {
    let rg = hub.rg.as_str();
    let lng_name = format!("lng-{}-onprem", hub.name);
    let (onprem_octet, onprem_peer) = (site.octet, &site.peer);
    json!([{
        "bgpSettings": {"asn": 65050, "bgpPeeringAddress": onprem_peer, "peerWeight": 0},
        "etag": format!("W/\"{}\"", rng.uuid()),
        "gatewayIpAddress": ip((203 << 24) | (113 << 8) | (10 + hub_index(hub) as u32 % 200)),
        "id": lng_id,
        "localNetworkAddressSpace": {"addressPrefixes": [format!("172.{onprem_octet}.0.0/16")]},
        "location": hub.region,
        "name": lng_name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "resourceGuid": rng.uuid(),
        "type": "Microsoft.Network/localNetworkGateways",
    }])
}

fn connection_json(plan: &Plan, rng: &mut Rng, hub: &Hub, gw_id: &str, lng_id: &str) -> Value {
    let rg = hub.rg.as_str();
    let cn_name = format!("cn-{}-onprem", hub.name);
    json!([{
        "connectionMode": "Default",
        "connectionProtocol": "IKEv2",
        "connectionStatus": "Connected",
        "connectionType": "IPsec",
        "dpdTimeoutSeconds": 45,
        "egressBytesTransferred": rng.below(1 << 40),
        "enableBgp": true,
        "etag": format!("W/\"{}\"", rng.uuid()),
        "id": plan.net(rg, &format!("connections/{cn_name}")),
        "ingressBytesTransferred": rng.below(1 << 40),
        "localNetworkGateway2": reference(lng_id, rg),
        "location": hub.region,
        "name": cn_name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "resourceGuid": rng.uuid(),
        "routingWeight": 0,
        "type": "Microsoft.Network/connections",
        "useLocalAzureIpAddress": false,
        "usePolicyBasedTrafficSelectors": false,
        "virtualNetworkGateway1": reference(gw_id, rg),
    }])
}

/// `list-learned-routes`: the hub's own range (origin Network, not programmed back) and the
/// on-premises prefixes learned over eBGP, once per gateway instance.
fn learned_routes(
    p: &GenerateParams,
    plan: &Plan,
    rng: &mut Rng,
    hub: &Hub,
    site: &OnPremises,
    instances: [u32; 2],
) -> Vec<Value> {
    let (onprem_octet, onprem_peer) = (site.octet, &site.peer);
    let mut learned = Vec::new();
    for a in instances {
        learned.push(json!({
            "asPath": "", "localAddress": ip(a), "network": cidr(hub.block, 4 * plan.hub_subnet),
            "nextHop": "", "origin": "Network", "sourcePeer": ip(a), "weight": 32768,
        }));
    }
    let mut prefixes = BTreeSet::new();
    prefixes.insert(format!("172.{onprem_octet}.0.0/16"));
    while prefixes.len() < p.bgp_prefixes.max(1) {
        let len = 20 + rng.below(5) as u32;
        let base = match rng.below(3) {
            0 => (172 << 24) | (onprem_octet << 16),
            1 => (192 << 24) | (168 << 16),
            _ => (172 << 24) | ((16 + rng.below(16) as u32) << 16),
        };
        let addr = base | (rng.next() as u32 & 0xffff & !((1u32 << (32 - len)) - 1));
        prefixes.insert(cidr(addr, 1 << (32 - len)));
    }
    for prefix in &prefixes {
        for a in instances {
            learned.push(json!({
                "asPath": "65050", "localAddress": ip(a), "network": prefix,
                "nextHop": onprem_peer, "origin": "EBgp", "sourcePeer": onprem_peer, "weight": 32768,
            }));
        }
    }
    learned
}

pub(crate) fn hub_index(hub: &Hub) -> usize {
    hub.name[3..].parse().unwrap_or(0)
}
