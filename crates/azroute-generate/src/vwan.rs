//! Virtual WAN estates (`--topology vwan`, docs/azure-routing-rules.md §20): one Virtual WAN,
//! one hub per `hubs` (a /24 at the start of the hub's block, router addresses .68 and .69), each
//! with its defaultRouteTable and noneRouteTable, a VPN gateway (.12, .13) and a VPN site
//! (172.16.<hub>.0/24); every other hub secured by an `AZFW_Hub` firewall (.132) with routing
//! intent for Internet and private traffic when `nvas_per_hub` > 0 or with
//! `--hub-appliance azure-firewall` (which gives those firewalls a policy, `firewall.rs`).
//! Spokes are connected to their hub (a hub VNet connection and the `RemoteVnetToHubPeering_*`
//! peering Azure creates), with their subnets and NICs as in the hub-and-spoke estates, and no
//! route tables of their own.

use std::io;

use serde_json::{Value, json};

use crate::*;

/// Writes the Virtual WAN estate: the WAN, per hub its resources and spokes, the hosts, then
/// the lists every hub adds to.
pub(crate) fn write_all_vwan(p: &GenerateParams, plan: &Plan, rng: &mut Rng, out: &mut Output<'_>) -> io::Result<()> {
    let hubs = lay_out_hubs(p, plan);
    let spokes = lay_out_spokes(p, plan, rng, &hubs);
    let wan = plan.net("rg-vwan", "virtualWans/wan");
    out.write(
        "vwan-list.json".into(),
        &json!([{"allowBranchToBranchTraffic": true, "id": wan, "location": hubs[0].region, "name": "wan",
            "resourceGroup": "rg-vwan", "type": "Microsoft.Network/virtualWans", "virtualWanType": "Standard"}]),
    )?;
    let mut lists = HubLists::default();
    let mut hosts = Hosts::new();
    let mut policies = Firewalls::default();
    let azure_firewall = p.hub_appliance == HubAppliance::AzureFirewall;
    for (h, hub) in hubs.iter().enumerate() {
        let hub_spokes: Vec<&Spoke> = spokes.iter().filter(|s| s.hub == h).collect();
        let secured = (p.nvas_per_hub > 0 || azure_firewall) && h % 2 == 0;
        let policies = azure_firewall.then_some(&mut policies);
        write_hub(plan, out, &mut lists, policies, hub, h, secured, &wan, &hub_spokes)?;
        write_spokes(p, plan, rng, out, hub, &hub_spokes)?;
        hosts.add_spoke_hosts(p, plan, rng, out, hub, &hub_spokes)?;
    }
    out.write("vhub-list.json".into(), &Value::Array(lists.hubs))?;
    out.write("vpn-gateway-list.json".into(), &Value::Array(lists.vpn_gateways))?;
    out.write("vpn-site-list.json".into(), &Value::Array(lists.vpn_sites))?;
    out.write("firewall-list.json".into(), &Value::Array(lists.firewalls))?;
    hosts.write(out)?;
    policies.write(out)
}

/// The lists every hub adds one entry to.
#[derive(Default)]
struct HubLists {
    hubs: Vec<Value>,
    vpn_gateways: Vec<Value>,
    vpn_sites: Vec<Value>,
    firewalls: Vec<Value>,
}

/// A hub's resource ids.
struct HubIds {
    hub: String,
    default_table: String,
    none_table: String,
    firewall: String,
    vpn_gateway: String,
}

impl HubIds {
    fn new(plan: &Plan, hub: &Hub) -> HubIds {
        let id = plan.net(&hub.rg, &format!("virtualHubs/{}", hub.name));
        HubIds {
            default_table: format!("{id}/hubRouteTables/defaultRouteTable"),
            none_table: format!("{id}/hubRouteTables/noneRouteTable"),
            firewall: plan.net(&hub.rg, &format!("azureFirewalls/fw-{}", hub.name)),
            vpn_gateway: plan.net(&hub.rg, &format!("vpnGateways/vpngw-{}", hub.name)),
            hub: id,
        }
    }
}

/// A connection's routing configuration: forced by routing intent (RI-3), or the defaults.
fn routing(ids: &HubIds, secured: bool) -> Value {
    let (table, label) = if secured { (&ids.none_table, "none") } else { (&ids.default_table, "default") };
    json!({"associatedRouteTable": {"id": ids.default_table},
        "propagatedRouteTables": {"ids": [{"id": table}], "labels": [label]}, "vnetRoutes": {"staticRoutes": []}})
}

/// One hub: the hub, its route tables, VNet connections, VPN gateway and site, and (secured)
/// its firewall and routing intent; the firewall gets a policy when `policies` is given
/// (`--hub-appliance azure-firewall`).
#[allow(clippy::too_many_arguments)]
fn write_hub(
    plan: &Plan,
    out: &mut Output<'_>,
    lists: &mut HubLists,
    policies: Option<&mut Firewalls>,
    hub: &Hub,
    h: usize,
    secured: bool,
    wan: &str,
    spokes: &[&Spoke],
) -> io::Result<()> {
    let ids = HubIds::new(plan, hub);
    let mut hub_json = json!({
        "addressPrefix": cidr(hub.block, 256), "allowBranchToBranchTraffic": false, "hubRoutingPreference": "ExpressRoute",
        "id": ids.hub, "location": hub.region, "name": hub.name, "provisioningState": "Succeeded", "resourceGroup": hub.rg,
        "routingState": "Provisioned", "sku": "Standard", "type": "Microsoft.Network/virtualHubs", "virtualRouterAsn": 65515,
        "virtualRouterIps": [ip(hub.block + 68), ip(hub.block + 69)], "virtualWan": {"id": wan},
        "vpnGateway": {"id": ids.vpn_gateway}});
    let connections: Vec<Value> = spokes
        .iter()
        .map(|s| {
            json!({"enableInternetSecurity": true, "id": format!("{}/hubVirtualNetworkConnections/conn-{}", ids.hub, s.name),
                "name": format!("conn-{}", s.name), "provisioningState": "Succeeded", "resourceGroup": hub.rg,
                "remoteVirtualNetwork": {"id": plan.net(&hub.rg, &format!("virtualNetworks/{}", s.name))},
                "routingConfiguration": routing(&ids, secured),
                "type": "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections"})
        })
        .collect();
    let vpn_connection = format!("{}/vpnConnections/conn-site-{}", ids.vpn_gateway, hub.name);
    let mut members: Vec<Value> = connections.iter().map(|c| c["id"].clone()).collect();
    members.push(json!(vpn_connection));
    write_tables(out, hub, &ids, secured, members)?;
    out.write(format!("vhub-connection-list-{}.json", hub.name), &Value::Array(connections))?;
    write_branch(plan, lists, hub, h, &ids, secured, wan, &vpn_connection);
    if secured {
        hub_json["azureFirewall"] = json!({"id": ids.firewall});
        let mut firewall = json!({"hubIPAddresses": {"privateIPAddress": ip(hub.block + 132)}, "id": ids.firewall,
            "location": hub.region, "name": format!("fw-{}", hub.name), "resourceGroup": hub.rg,
            "sku": {"name": "AZFW_Hub", "tier": "Standard"}, "threatIntelMode": "Alert",
            "type": "Microsoft.Network/azureFirewalls", "virtualHub": {"id": ids.hub}});
        if let Some(policies) = policies {
            firewall["firewallPolicy"] = json!({"id": policies.add_policy(plan, hub, &ids.firewall)});
        }
        lists.firewalls.push(firewall);
        out.summary.firewalls += 1;
        let intent = format!("{}/routingIntent/{}_RoutingIntent", ids.hub, hub.name);
        out.write(
            format!("vhub-routing-intent-list-{}.json", hub.name),
            &json!([{"id": intent, "name": format!("{}_RoutingIntent", hub.name), "resourceGroup": hub.rg,
                "routingPolicies": [{"destinations": ["Internet"], "name": "InternetTraffic", "nextHop": ids.firewall},
                    {"destinations": ["PrivateTraffic"], "name": "PrivateTrafficPolicy", "nextHop": ids.firewall}],
                "type": "Microsoft.Network/virtualHubs/routingIntent"}]),
        )?;
    }
    lists.hubs.push(hub_json);
    Ok(())
}

/// defaultRouteTable (with routing intent's policy routes when secured, RI-4) and
/// noneRouteTable.
fn write_tables(out: &mut Output<'_>, hub: &Hub, ids: &HubIds, secured: bool, members: Vec<Value>) -> io::Result<()> {
    let routes = if secured {
        json!([{"destinationType": "CIDR", "destinations": ["0.0.0.0/0"], "name": "_policy_PublicTraffic",
                "nextHop": ids.firewall, "nextHopType": "ResourceId"},
               {"destinationType": "CIDR", "destinations": ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
                "name": "_policy_PrivateTraffic", "nextHop": ids.firewall, "nextHopType": "ResourceId"}])
    } else {
        json!([])
    };
    let (default_propagating, none_propagating) =
        if secured { (json!([]), Value::Array(members.clone())) } else { (Value::Array(members.clone()), json!([])) };
    let tables = json!([
        {"associatedConnections": members, "id": ids.default_table, "labels": ["default"], "name": "defaultRouteTable",
         "propagatingConnections": default_propagating, "resourceGroup": hub.rg, "routes": routes,
         "type": "Microsoft.Network/virtualHubs/hubRouteTables"},
        {"associatedConnections": [], "id": ids.none_table, "labels": ["none"], "name": "noneRouteTable",
         "propagatingConnections": none_propagating, "resourceGroup": hub.rg, "routes": [],
         "type": "Microsoft.Network/virtualHubs/hubRouteTables"}]);
    out.write(format!("vhub-route-table-list-{}.json", hub.name), &tables)
}

/// The hub's VPN gateway and its site (172.16.<hub>.0/24, static).
#[allow(clippy::too_many_arguments)]
fn write_branch(
    plan: &Plan,
    lists: &mut HubLists,
    hub: &Hub,
    h: usize,
    ids: &HubIds,
    secured: bool,
    wan: &str,
    connection: &str,
) {
    let site = plan.net(&hub.rg, &format!("vpnSites/site-{}", hub.name));
    let site_prefix = cidr((172 << 24) | (16 << 16) | ((h as u32 % 256) << 8), 256);
    lists.vpn_sites.push(json!({"addressSpace": {"addressPrefixes": [site_prefix]}, "id": site, "location": hub.region,
        "name": format!("site-{}", hub.name), "resourceGroup": hub.rg, "type": "Microsoft.Network/vpnSites",
        "virtualWan": {"id": wan}, "vpnSiteLinks": [{"id": format!("{site}/vpnSiteLinks/link1"), "ipAddress": "198.51.100.10",
            "name": "link1"}]}));
    let instances: Vec<Value> = [12, 13]
        .iter()
        .enumerate()
        .map(
            |(i, o)| json!({"defaultBgpIpAddresses": [ip(hub.block + o)], "ipconfigurationId": format!("Instance{i}")}),
        )
        .collect();
    lists.vpn_gateways.push(json!({"bgpSettings": {"asn": 65515, "bgpPeeringAddresses": instances},
        "connections": [{"enableBgp": false, "enableInternetSecurity": false, "id": connection,
            "name": connection.rsplit('/').next().unwrap_or_default(), "remoteVpnSite": {"id": site},
            "routingConfiguration": routing(ids, secured)}],
        "id": ids.vpn_gateway, "location": hub.region, "name": format!("vpngw-{}", hub.name), "resourceGroup": hub.rg,
        "type": "Microsoft.Network/vpnGateways", "virtualHub": {"id": ids.hub}}));
}

/// The hub's spokes: subnets without route tables, and the peering Azure creates to the hub's
/// hidden VNet (§19.4).
fn write_spokes(
    p: &GenerateParams,
    plan: &Plan,
    rng: &mut Rng,
    out: &mut Output<'_>,
    hub: &Hub,
    spokes: &[&Spoke],
) -> io::Result<()> {
    let guid = rng.uuid();
    let hidden = format!(
        "/subscriptions/{}/resourceGroups/RG_{}_{guid}/providers/Microsoft.Network/virtualNetworks/HV_{}_{guid}",
        rng.uuid(),
        hub.name,
        hub.name
    );
    let mut vnets = Vec::new();
    for spoke in spokes {
        let subnets: Vec<Value> = (0..p.subnets_per_spoke)
            .map(|sn| {
                let name = format!("snet-{sn}");
                json!({"addressPrefix": cidr(spoke.start + sn as u32 * plan.spoke_subnet, plan.spoke_subnet),
                    "id": plan.net(&hub.rg, &format!("virtualNetworks/{}/subnets/{name}", spoke.name)), "name": name,
                    "privateEndpointNetworkPolicies": "Disabled", "resourceGroup": hub.rg,
                    "type": "Microsoft.Network/virtualNetworks/subnets"})
            })
            .collect();
        let peering = format!("RemoteVnetToHubPeering_{guid}");
        let peerings = vec![json!({"allowForwardedTraffic": false, "allowGatewayTransit": false,
            "allowVirtualNetworkAccess": true, "doNotVerifyRemoteGateways": true,
            "id": plan.net(&hub.rg, &format!("virtualNetworks/{}/virtualNetworkPeerings/{peering}", spoke.name)),
            "name": peering, "peeringState": "Connected", "remoteAddressSpace": {"addressPrefixes": [cidr(hub.block, 256)]},
            "remoteVirtualNetwork": {"id": hidden}, "resourceGroup": hub.rg, "useRemoteGateways": true})];
        out.summary.subnets += subnets.len();
        out.summary.peerings += peerings.len();
        let space = cidr(spoke.start, plan.spoke_size);
        vnets.push(vnet_json(plan, rng, &hub.rg, &spoke.name, spoke.region, &space, subnets, peerings));
    }
    out.summary.vnets += vnets.len();
    out.write(format!("vnet-list-{}.json", hub.name), &Value::Array(vnets))
}
