//! Terraform of a Virtual WAN estate (§20.1: `azurerm_virtual_wan`, `azurerm_virtual_hub`,
//! `azurerm_virtual_hub_connection` with its `routing` block, `azurerm_virtual_hub_route_table`
//! and `_route`, `azurerm_virtual_hub_routing_intent`, `azurerm_firewall` with `virtual_hub`)
//! gives the same hub tables and spoke routes as the same estate in ARM JSON.

use azroute_engine::{HubRouting, Topology};
use azroute_model::*;
use azroute_testkit::vwan::*;
use azroute_testkit::*;
use serde_json::{Value, json};

fn tables(snap: &Snapshot) -> Vec<String> {
    let topo = Topology::build(snap);
    let mut out = Vec::new();
    for h in &topo.vwan.hubs {
        let hub = &snap.virtual_hubs[h.hub.index()].name;
        for t in &h.tables {
            out.extend(rows(hub, h, &t.name));
        }
    }
    out.sort();
    out
}

fn rows(hub: &str, routing: &HubRouting, table: &str) -> Vec<String> {
    routing
        .table_named(table)
        .unwrap()
        .routes
        .iter()
        .map(|r| {
            let hops: Vec<String> = r.next_hops.iter().map(|h| normalize_id(h.as_str())).collect();
            format!(
                "{hub}/{table} {:?} {} {} {} {}",
                r.prefixes,
                r.next_hop_type.as_str(),
                hops.join(","),
                r.as_path,
                r.derived
            )
        })
        .collect()
}

fn json_estate() -> Estate {
    let mut e = Estate::new();
    e.vwan_hub("hub1", "10.100.0.0/24", &["10.100.0.68", "10.100.0.69"], "ExpressRoute").vwan_hub(
        "hub2",
        "10.200.0.0/24",
        &["10.200.0.68", "10.200.0.69"],
        "ExpressRoute",
    );
    e.vnet("spoke1", "eastus", &["10.1.0.0/16"]).subnet("spoke1", "app", "10.1.1.0/24");
    e.vnet("spoke2", "eastus", &["10.2.0.0/16"]).subnet("spoke2", "app", "10.2.1.0/24");
    e.hub_connection(
        "hub1",
        "spoke1-conn",
        "spoke1",
        routing("hub1", "defaultRouteTable", &["defaultRouteTable"], &["default"]),
        true,
    );
    e.hub_connection("hub2", "spoke2-conn", "spoke2", routing("hub2", "RT_blue", &["RT_blue"], &["default"]), true);
    e.hub_firewall("fw1", "hub1", "10.100.0.132");
    e.hub_route_table("hub2", "RT_blue", &["blue"], &[("to-fw", &["10.50.0.0/16"], id("azureFirewalls", "fw1"))]);
    e.routing_intent("hub1", &[("Internet", id("azureFirewalls", "fw1"))]);
    e.vpn_site("branch1", &["192.168.10.0/24"], 65010).vpn_gateway(
        "vpngw1",
        "hub2",
        &["10.200.0.14", "10.200.0.15"],
        &[("branch1-conn", "branch1", false, Value::Null)],
    );
    e.express_route_gateway("ergw1", "hub2", "dc1-conn");
    e.bgp_peer("hub2", "nva1", "10.2.1.10", 65010);
    e
}

/// The VPN site, VPN gateway and connection, ExpressRoute gateway and connection of
/// `json_estate`, as Terraform writes them (4.x names; `enable_internet_security` is 3.x).
fn branch_resources() -> Vec<Value> {
    let gw = id("vpnGateways", "vpngw1");
    let site = id("vpnSites", "branch1");
    let instance = |i: usize, ip: &str| json!([{"ip_configuration_id": format!("Instance{i}"), "default_ips": [ip], "custom_ips": [], "tunnel_ips": [format!("198.51.100.{}", 10 + i)]}]);
    let er = id("expressRouteGateways", "ergw1");
    let hub2 = id("virtualHubs", "hub2");
    vec![
        resource(
            "azurerm_virtual_hub_bgp_connection.nva1",
            json!({"id": format!("{hub2}/bgpConnections/nva1"), "name": "nva1", "virtual_hub_id": hub2, "peer_asn": 65010,
                   "peer_ip": "10.2.1.10", "virtual_network_connection_id": hub_connection_id("hub2", "spoke2-conn")}),
        ),
        resource(
            "azurerm_vpn_site.branch1",
            json!({"id": site, "name": "branch1", "resource_group_name": "rg", "location": "eastus", "virtual_wan_id": id("virtualWans", "wan"),
                   "address_cidrs": ["192.168.10.0/24"], "link": [{"id": format!("{site}/vpnSiteLinks/link1"), "name": "link1", "ip_address": "203.0.113.10",
                   "bgp": [{"asn": 65010, "peering_address": "192.168.255.1"}]}]}),
        ),
        resource(
            "azurerm_vpn_gateway_connection.branch1",
            json!({"id": format!("{gw}/vpnConnections/branch1-conn"), "name": "branch1-conn", "vpn_gateway_id": gw, "remote_vpn_site_id": site,
                   "internet_security_enabled": false, "routing": [], "vpn_link": [{"name": "link1", "vpn_site_link_id": format!("{site}/vpnSiteLinks/link1"), "bgp_enabled": false}]}),
        ),
        resource(
            "azurerm_vpn_gateway.vpngw1",
            json!({"id": gw, "name": "vpngw1", "resource_group_name": "rg", "location": "eastus", "virtual_hub_id": id("virtualHubs", "hub2"),
                   "bgp_settings": [{"asn": 65515, "peer_weight": 0, "instance_0_bgp_peering_address": instance(0, "10.200.0.14"),
                   "instance_1_bgp_peering_address": instance(1, "10.200.0.15")}]}),
        ),
        resource(
            "azurerm_express_route_gateway.ergw1",
            json!({"id": er, "name": "ergw1", "resource_group_name": "rg", "location": "eastus", "virtual_hub_id": id("virtualHubs", "hub2"), "scale_units": 1}),
        ),
        resource(
            "azurerm_express_route_connection.dc1",
            json!({"id": format!("{er}/expressRouteConnections/dc1-conn"), "name": "dc1-conn", "express_route_gateway_id": er,
                   "express_route_circuit_peering_id": format!("{}/peerings/AzurePrivatePeering", id("expressRouteCircuits", "circuit")),
                   "enable_internet_security": false, "routing": []}),
        ),
    ]
}

fn resource(address: &str, values: Value) -> Value {
    let (rtype, name) = address.split_once('.').unwrap();
    json!({"address": address, "mode": "managed", "type": rtype, "name": name,
           "provider_name": "registry.terraform.io/hashicorp/azurerm", "schema_version": 0, "values": values, "sensitive_values": {}})
}

fn terraform() -> String {
    let hub = |n: &str| id("virtualHubs", n);
    let vnet = |n: &str, space: &str| {
        resource(
            &format!("azurerm_virtual_network.{n}"),
            json!({"id": id("virtualNetworks", n), "name": n, "resource_group_name": "rg", "location": "eastus", "address_space": [space]}),
        )
    };
    let hub_res = |n: &str, prefix: &str, routers: &[&str]| {
        resource(
            &format!("azurerm_virtual_hub.{n}"),
            json!({"id": hub(n), "name": n, "resource_group_name": "rg", "location": "eastus", "virtual_wan_id": id("virtualWans", "wan"),
                   "address_prefix": prefix, "sku": "Standard", "hub_routing_preference": "ExpressRoute", "virtual_router_asn": 65515,
                   "virtual_router_ips": routers}),
        )
    };
    let conn = |h: &str, c: &str, spoke: &str, table: &str| {
        resource(
            &format!("azurerm_virtual_hub_connection.{c}"),
            json!({"id": hub_connection_id(h, c), "name": c, "virtual_hub_id": hub(h), "remote_virtual_network_id": id("virtualNetworks", spoke),
                   "internet_security_enabled": true, "routing": [{"associated_route_table_id": hub_table_id(h, table),
                   "propagated_route_table": [{"labels": ["default"], "route_table_ids": [hub_table_id(h, table)]}], "static_vnet_route": []}]}),
        )
    };
    let mut resources = vec![
        resource(
            "azurerm_virtual_wan.wan",
            json!({"id": id("virtualWans", "wan"), "name": "wan", "resource_group_name": "rg", "location": "eastus", "type": "Standard"}),
        ),
        hub_res("hub1", "10.100.0.0/24", &["10.100.0.68", "10.100.0.69"]),
        hub_res("hub2", "10.200.0.0/24", &["10.200.0.68", "10.200.0.69"]),
        vnet("spoke1", "10.1.0.0/16"),
        vnet("spoke2", "10.2.0.0/16"),
        conn("hub1", "spoke1-conn", "spoke1", "defaultRouteTable"),
        conn("hub2", "spoke2-conn", "spoke2", "RT_blue"),
        resource(
            "azurerm_firewall.fw1",
            json!({"id": id("azureFirewalls", "fw1"), "name": "fw1", "resource_group_name": "rg", "sku_name": "AZFW_Hub", "sku_tier": "Standard",
                   "virtual_hub": [{"virtual_hub_id": hub("hub1"), "private_ip_address": "10.100.0.132", "public_ip_addresses": []}]}),
        ),
        resource(
            "azurerm_virtual_hub_route_table.blue",
            json!({"id": hub_table_id("hub2", "RT_blue"), "name": "RT_blue", "virtual_hub_id": hub("hub2"), "labels": ["blue"], "route": []}),
        ),
        resource(
            "azurerm_virtual_hub_route_table_route.to_fw",
            json!({"id": format!("{}/routes/to-fw", hub_table_id("hub2", "RT_blue")), "route_table_id": hub_table_id("hub2", "RT_blue"), "name": "to-fw",
                   "destinations": ["10.50.0.0/16"], "destinations_type": "CIDR", "next_hop": id("azureFirewalls", "fw1"), "next_hop_type": "ResourceId"}),
        ),
        resource(
            "azurerm_virtual_hub_routing_intent.hub1",
            json!({"id": format!("{}/routingIntent/intent", hub("hub1")), "name": "intent", "virtual_hub_id": hub("hub1"),
                   "routing_policy": [{"name": "InternetPolicy", "destinations": ["Internet"], "next_hop": id("azureFirewalls", "fw1")}]}),
        ),
    ];
    resources.extend(branch_resources());
    json!({"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {"resources": resources}}})
        .to_string()
}

#[test]
fn terraform_gives_the_same_hub_tables_as_json() {
    let from_json = json_estate().load(Dialect::Rest);
    let loaded = azroute_ingest::load_texts(&[("state.json".to_string(), terraform())]);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let from_tf = loaded.snapshot;
    let expected = tables(&from_json);
    assert!(expected.iter().any(|r| r.contains("RT_blue") && r.contains("10.50.0.0/16")), "{expected:?}");
    assert!(
        expected.iter().any(|r| r.contains("hub1/defaultRouteTable") && r.contains("0.0.0.0/0") && r.contains("true")),
        "{expected:?}"
    );
    assert!(expected.iter().any(|r| r.contains("192.168.10.0/24") && r.contains("VPN_S2S_Gateway")), "{expected:?}");
    assert_eq!(tables(&from_tf), expected);
    // The branch resources read as their ARM JSON does (origins aside).
    let (tf, js) = (&from_tf.vwan, &from_json.vwan);
    assert_eq!((tf.vpn_sites.len(), tf.vpn_gateways.len(), tf.express_route_gateways.len()), (1, 1, 1));
    assert!(tf.vpn_sites[0].same_content(&js.vpn_sites[0]), "{:?}\n{:?}", tf.vpn_sites[0], js.vpn_sites[0]);
    // Terraform's `vpn_link` names the site link; the JSON estate's connection has no
    // `vpnLinkConnections`.
    let mut gateway = tf.vpn_gateways[0].clone();
    let links = std::mem::take(&mut gateway.connections[0].site_links);
    assert_eq!(links, [ArmId::new(format!("{}/vpnSiteLinks/link1", id("vpnSites", "branch1")))]);
    assert!(gateway.same_content(&js.vpn_gateways[0]), "{gateway:?}\n{:?}", js.vpn_gateways[0]);
    let (te, je) = (&tf.express_route_gateways[0], &js.express_route_gateways[0]);
    assert!(te.same_content(je), "{te:?}\n{je:?}");
    // `azurerm_virtual_hub_bgp_connection` names the spoke's connection, which the JSON estate's
    // peer does not.
    let hub2 = |s: &Snapshot| s.virtual_hubs.iter().find(|h| h.name == "hub2").unwrap().bgp_connections.clone();
    let mut peers = hub2(&from_tf);
    let spoke = peers[0].hub_virtual_network_connection.take();
    assert_eq!(spoke, Some(ArmId::new(hub_connection_id("hub2", "spoke2-conn"))));
    let expected_peers = hub2(&from_json);
    assert_eq!(peers.len(), 1);
    assert!(peers[0].same_content(&expected_peers[0]), "{:?}\n{:?}", peers[0], expected_peers[0]);
}

/// `azurerm_palo_alto_virtual_network_appliance`, azurerm's hub NVA (a name and its hub), is
/// the hub's `networkVirtualAppliances` resource: routing intent to it gives the hub table the
/// same policy routes as the ARM JSON's NVA; a plan's NVA gets the id Azure assigns in its hub's
/// resource group.
#[test]
fn terraform_hub_nva_is_the_hubs_network_virtual_appliance() {
    let mut e = Estate::new();
    e.vwan_hub("hub1", "10.100.0.0/24", &["10.100.0.68", "10.100.0.69"], "ExpressRoute");
    e.hub_nva("nva1", "hub1", &[]);
    e.routing_intent("hub1", &[("Internet", id("networkVirtualAppliances", "nva1"))]);
    let from_json = e.load(Dialect::Rest);
    let hub = id("virtualHubs", "hub1");
    let resources = [
        resource(
            "azurerm_virtual_wan.wan",
            json!({"id": id("virtualWans", "wan"), "name": "wan", "resource_group_name": "rg", "location": "eastus", "type": "Standard"}),
        ),
        resource(
            "azurerm_virtual_hub.hub1",
            json!({"id": hub, "name": "hub1", "resource_group_name": "rg", "location": "eastus", "virtual_wan_id": id("virtualWans", "wan"),
                   "address_prefix": "10.100.0.0/24", "sku": "Standard", "hub_routing_preference": "ExpressRoute",
                   "virtual_router_asn": 65515, "virtual_router_ips": ["10.100.0.68", "10.100.0.69"]}),
        ),
        resource(
            "azurerm_palo_alto_virtual_network_appliance.nva1",
            json!({"id": id("networkVirtualAppliances", "nva1"), "name": "nva1", "virtual_hub_id": hub}),
        ),
        resource(
            "azurerm_virtual_hub_routing_intent.hub1",
            json!({"id": format!("{hub}/routingIntent/intent"), "name": "intent", "virtual_hub_id": hub,
                   "routing_policy": [{"name": "InternetPolicy", "destinations": ["Internet"], "next_hop": id("networkVirtualAppliances", "nva1")}]}),
        ),
    ];
    let state = json!({"format_version": "1.0", "values": {"root_module": {"resources": resources}}});
    let loaded = azroute_ingest::load_texts(&[("state.json".to_string(), state.to_string())]);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let from_tf = loaded.snapshot;
    let nva = &from_tf.vwan.network_virtual_appliances;
    assert_eq!(nva.len(), 1);
    assert_eq!(
        (nva[0].id.as_str(), nva[0].hub.as_ref()),
        (id("networkVirtualAppliances", "nva1").as_str(), Some(&ArmId::new(&hub)))
    );
    assert!(nva[0].asn.is_none() && nva[0].private_ips.is_empty(), "Terraform holds neither");
    let expected = tables(&from_json);
    assert!(
        expected.iter().any(|r| r.contains("0.0.0.0/0") && r.contains("networkvirtualappliances/nva1")),
        "{expected:?}"
    );
    assert_eq!(tables(&from_tf), expected);
    // In a plan the NVA's id is not known yet: Azure assigns it in the hub's resource group.
    let mut planned = state;
    planned["values"]["root_module"]["resources"][2]["values"]["id"] = Value::Null;
    let loaded = azroute_ingest::load_texts(&[("state.json".to_string(), planned.to_string())]);
    let ids: Vec<&str> = loaded.snapshot.vwan.network_virtual_appliances.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, [id("networkVirtualAppliances", "nva1").as_str()]);
}

/// `testdata/terraform/vwan`: the plan creates VPN site `site-branch1` and connection
/// `conn-branch1`, whose `vpn_link[0].vpn_site_link_id` is unknown until apply; it is followed
/// through the configuration to the site's `link[0]` and given the id Azure will assign, the
/// one the state holds.
#[test]
fn terraform_plan_vpn_link_names_the_new_sites_link() {
    let site_links = |dir: &str| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/terraform/vwan").join(dir);
        let loaded = azroute_ingest::load_path(&dir, &azroute_ingest::IngestOptions::default());
        assert!(
            loaded.diagnostics.iter().all(|d| d.code != "TerraformUnresolvedReference"),
            "{:?}",
            loaded.diagnostics
        );
        let vwan = loaded.snapshot.vwan;
        let connection = vwan.vpn_gateways.iter().flat_map(|g| &g.connections).find(|c| c.name == "conn-branch1");
        let site = vwan.vpn_sites.iter().find(|s| s.name == "site-branch1").expect("the site");
        (
            connection.expect("the connection").site_links.clone(),
            site.links.iter().map(|l| l.id.clone()).collect::<Vec<_>>(),
        )
    };
    let (planned, planned_site) = site_links("plan");
    let (applied, _) = site_links("state");
    assert_eq!(planned.len(), 1, "{planned:?}");
    assert!(planned[0].as_str().ends_with("/vpnSites/site-branch1/vpnSiteLinks/link-branch1"), "{planned:?}");
    assert_eq!(planned, planned_site, "the link of the site the plan creates");
    assert_eq!(planned, applied);
}
