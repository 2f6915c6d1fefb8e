//! VNets with their subnets and peerings inline, one file per hub.

use std::io;

use serde_json::{Value, json};

use crate::*;

/// Hub VNet and its spokes (subnets and peerings inline), one file per hub.
pub(crate) fn write_hub_network(
    p: &GenerateParams,
    plan: &Plan,
    rng: &mut Rng,
    out: &mut Output<'_>,
    hubs: &[Hub],
    h: usize,
    spokes: &[&Spoke],
) -> io::Result<()> {
    let hub = &hubs[h];
    let mut vnets = vec![hub_vnet(p, plan, rng, out, hubs, h, spokes)];
    for spoke in spokes {
        vnets.push(spoke_vnet(p, plan, rng, out, hub, spoke));
    }
    out.summary.vnets += vnets.len();
    out.write(format!("vnet-list-{}.json", hub.name), &Value::Array(vnets))
}

/// What varies between the generated subnets.
struct SubnetSpec<'a> {
    vnet: &'a str,
    name: &'a str,
    start: u32,
    size: u32,
    table: Option<String>,
    nsg: Option<&'a str>,
    extra: Vec<(&'static str, Value)>,
}

fn subnet_json(plan: &Plan, rng: &mut Rng, rg: &str, spec: SubnetSpec<'_>) -> Value {
    let SubnetSpec { vnet, name, start, size, table, nsg, extra } = spec;
    let mut s = json!({
        "addressPrefix": cidr(start, size),
        "etag": format!("W/\"{}\"", rng.uuid()),
        "id": plan.net(rg, &format!("virtualNetworks/{vnet}/subnets/{name}")),
        "name": name,
        "privateEndpointNetworkPolicies": "Disabled",
        "privateLinkServiceNetworkPolicies": "Enabled",
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "type": "Microsoft.Network/virtualNetworks/subnets",
    });
    if let Some(t) = table {
        s["routeTable"] = reference(&t, rg);
    }
    if let Some(n) = nsg {
        s["networkSecurityGroup"] = reference(n, rg);
    }
    for (k, v) in extra {
        s[k] = v;
    }
    s
}

/// What varies between the generated peerings: from which VNet, to which, and the gateway flags.
struct PeeringSpec<'a> {
    from: &'a str,
    name: String,
    to_rg: &'a str,
    to: &'a str,
    to_space: String,
    transit: bool,
    use_remote: bool,
}

fn peering_json(plan: &Plan, rng: &mut Rng, rg: &str, spec: PeeringSpec<'_>) -> Value {
    let PeeringSpec { from, name, to_rg, to, to_space, transit, use_remote } = spec;
    json!({
        "allowForwardedTraffic": true,
        "allowGatewayTransit": transit,
        "allowVirtualNetworkAccess": true,
        "doNotVerifyRemoteGateways": false,
        "etag": format!("W/\"{}\"", rng.uuid()),
        "id": plan.net(rg, &format!("virtualNetworks/{from}/virtualNetworkPeerings/{name}")),
        "name": name,
        "peerCompleteVnets": true,
        "peeringState": "Connected",
        "peeringSyncLevel": "FullyInSync",
        "provisioningState": "Succeeded",
        "remoteAddressSpace": {"addressPrefixes": [to_space]},
        "remoteVirtualNetwork": reference(&plan.net(to_rg, &format!("virtualNetworks/{to}")), to_rg),
        "remoteVirtualNetworkAddressSpace": {"addressPrefixes": [to_space]},
        "resourceGroup": rg,
        "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        "useRemoteGateways": use_remote,
    })
}

/// The hub VNet: GatewaySubnet, the appliance's subnet (NVAs, or Azure Firewall without an
/// NSG), shared and management subnets; peerings to the other hubs and to its spokes (with
/// gateway transit).
fn hub_vnet(
    p: &GenerateParams,
    plan: &Plan,
    rng: &mut Rng,
    out: &mut Output<'_>,
    hubs: &[Hub],
    h: usize,
    spokes: &[&Spoke],
) -> Value {
    let hub = &hubs[h];
    let rg = hub.rg.as_str();
    let vnet = format!("vnet-{}", hub.name);
    let hub_size = 4 * plan.hub_subnet;
    let hub_nsg = plan.net(rg, &format!("networkSecurityGroups/nsg-{}", hub.name));
    let spec = |name, start, size, table: Option<&str>, nsg| SubnetSpec {
        vnet: &vnet,
        name,
        start,
        size,
        table: table.map(|t| plan.net(rg, &format!("routeTables/rt-{}-{t}", hub.name))),
        nsg,
        extra: Vec::new(),
    };
    let mut subnets = vec![subnet_json(plan, rng, rg, spec("GatewaySubnet", hub.block, 32, Some("gateway"), None))];
    let nva_nsg = (p.hub_appliance == HubAppliance::Nva).then_some(hub_nsg.as_str());
    let nva =
        spec(appliance_subnet(p), hub.block + plan.hub_subnet, plan.hub_subnet, Some(appliance_table(p)), nva_nsg);
    subnets.push(subnet_json(plan, rng, rg, nva));
    for (k, name) in ["snet-shared", "snet-mgmt"].iter().enumerate() {
        let start = hub.block + (2 + k as u32) * plan.hub_subnet;
        subnets.push(subnet_json(plan, rng, rg, spec(name, start, plan.hub_subnet, None, Some(&hub_nsg))));
    }
    let mut peerings = Vec::new();
    for (o, other) in hubs.iter().enumerate() {
        if o == h {
            continue;
        }
        let to = format!("vnet-{}", other.name);
        let spec = PeeringSpec {
            from: &vnet,
            name: format!("{}-to-{}", hub.name, other.name),
            to_rg: &other.rg,
            to: &to,
            to_space: cidr(other.block, hub_size),
            transit: false,
            use_remote: false,
        };
        peerings.push(peering_json(plan, rng, rg, spec));
    }
    for spoke in spokes {
        let spec = PeeringSpec {
            from: &vnet,
            name: format!("{}-to-spoke{:04}", hub.name, spoke.index),
            to_rg: rg,
            to: &spoke.name,
            to_space: cidr(spoke.start, plan.spoke_size),
            transit: true,
            use_remote: false,
        };
        peerings.push(peering_json(plan, rng, rg, spec));
    }
    out.summary.subnets += subnets.len();
    out.summary.peerings += peerings.len();
    vnet_json(plan, rng, rg, &vnet, hub.region, &cidr(hub.block, hub_size), subnets, peerings)
}

/// A spoke VNet: its subnets (one with a Storage service endpoint, its own route context) on the
/// spoke's route table and NSG, and its peering to the hub (using the hub's gateway).
fn spoke_vnet(p: &GenerateParams, plan: &Plan, rng: &mut Rng, out: &mut Output<'_>, hub: &Hub, spoke: &Spoke) -> Value {
    let rg = hub.rg.as_str();
    let table = plan.net(rg, &format!("routeTables/rt-{}-spoke{:04}", hub.name, spoke.table));
    let nsg = plan.net(rg, &format!("networkSecurityGroups/nsg-{}-spoke{:04}", hub.name, spoke.index));
    let mut subnets = Vec::new();
    for sn in 0..p.subnets_per_spoke {
        let extra: Vec<(&str, Value)> = if sn == 1 {
            vec![(
                "serviceEndpoints",
                json!([{"locations": [spoke.region], "provisioningState": "Succeeded", "service": "Microsoft.Storage"}]),
            )]
        } else if sn + 1 == p.subnets_per_spoke && p.hub_appliance == HubAppliance::AzureFirewall {
            // The private endpoints' subnet (hosts.rs): behind an Azure Firewall that keeps
            // private sources (§16.7), their replies must follow the spoke's route table back
            // through it, which only route-table network policies give (§5.5).
            vec![("privateEndpointNetworkPolicies", json!("RouteTableEnabled"))]
        } else {
            Vec::new()
        };
        let name = format!("snet-{sn}");
        let spec = SubnetSpec {
            vnet: &spoke.name,
            name: &name,
            start: spoke.start + sn as u32 * plan.spoke_subnet,
            size: plan.spoke_subnet,
            table: Some(table.clone()),
            nsg: Some(&nsg),
            extra,
        };
        subnets.push(subnet_json(plan, rng, rg, spec));
    }
    let to = format!("vnet-{}", hub.name);
    let spec = PeeringSpec {
        from: &spoke.name,
        name: format!("spoke{:04}-to-{}", spoke.index, hub.name),
        to_rg: rg,
        to: &to,
        to_space: cidr(hub.block, 4 * plan.hub_subnet),
        transit: false,
        use_remote: true,
    };
    let peerings = vec![peering_json(plan, rng, rg, spec)];
    out.summary.subnets += subnets.len();
    out.summary.peerings += peerings.len();
    let space = cidr(spoke.start, plan.spoke_size);
    vnet_json(plan, rng, rg, &spoke.name, spoke.region, &space, subnets, peerings)
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn vnet_json(
    plan: &Plan,
    rng: &mut Rng,
    rg: &str,
    name: &str,
    region: &str,
    space: &str,
    subnets: Vec<Value>,
    peerings: Vec<Value>,
) -> Value {
    json!({
        "addressSpace": {"addressPrefixes": [space]},
        "enableDdosProtection": false,
        "etag": format!("W/\"{}\"", rng.uuid()),
        "id": plan.net(rg, &format!("virtualNetworks/{name}")),
        "location": region,
        "name": name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "resourceGuid": rng.uuid(),
        "subnets": subnets,
        "type": "Microsoft.Network/virtualNetworks",
        "virtualNetworkPeerings": peerings,
    })
}
