//! Virtual WAN input (§20.1): the REST spec examples of `testdata/reference/azure-samples/
//! rest-api-specs/vwan/` read as hub connections, hub route tables, routing intent, VPN
//! gateways and sites and ExpressRoute gateways; the az CLI (flattened) and Resource Graph
//! (lower-cased type, string booleans) dialects read the same; the hub effective-routes wrapper
//! in its shapes; bad input named by file, JSON path and hint.

use std::path::PathBuf;

use azroute_ingest::{IngestOptions, Loaded, load_path, load_texts};
use azroute_model::*;

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/reference/azure-samples/rest-api-specs")
}

fn sample(name: &str) -> Loaded {
    let loaded = load_path(&samples().join(name), &IngestOptions::default());
    assert!(!loaded.has_errors(), "{name}: {:?}", loaded.diagnostics);
    loaded
}

fn load(files: &[(&str, &str)]) -> Loaded {
    load_texts(&files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect::<Vec<_>>())
}

fn ip(text: &str) -> std::net::IpAddr {
    text.parse().unwrap()
}

#[test]
fn hub_connection_example_reads_its_routing_configuration() {
    let loaded = sample("vwan/HubVirtualNetworkConnectionGet.json");
    let c = &loaded.snapshot.vwan.hub_connections[0];
    assert_eq!(c.name, "connection1");
    // The example's id says `virtualHubVnetConnections` (§20.1 quirk): still read, hub from the id.
    assert!(c.hub.as_str().ends_with("/virtualHubs/virtualHub1"));
    assert!(c.remote_vnet.as_ref().unwrap().as_str().ends_with("/virtualNetworks/vnet1"));
    assert_eq!(c.enable_internet_security, Some(false));
    let r = &c.routing;
    assert!(r.associated_route_table.as_ref().unwrap().as_str().ends_with("/hubRouteTables/hubRouteTable1"));
    let propagated = r.propagated_route_tables.as_ref().unwrap();
    assert_eq!(propagated.ids.len(), 3);
    assert_eq!(propagated.labels, ["label1", "label2"]);
    assert_eq!(r.static_routes.len(), 2);
    assert_eq!(r.static_routes[0].address_prefixes, ["10.1.0.0/16".parse().unwrap(), "10.2.0.0/16".parse().unwrap()]);
    assert_eq!(r.static_routes[1].next_hop_ip, Some(ip("10.0.0.65")));
    assert_eq!(r.propagate_static_routes, Some(true));
    assert_eq!(r.vnet_local_route_override, VnetLocalRouteOverride::Equal);
    assert_eq!(r.bgp_connections.len(), 1);
    assert_eq!(loaded.snapshot.resolve_id(ResourceKind::HubVirtualNetworkConnection, c.id.as_str()), Some(0));
}

#[test]
fn hub_route_table_example_reads_routes_labels_and_connections() {
    let loaded = sample("vwan/HubRouteTableGet.json");
    let t = &loaded.snapshot.vwan.hub_route_tables[0];
    assert_eq!(t.name, "hubRouteTable1");
    assert!(t.hub.as_str().ends_with("/virtualHubs/virtualHub1"));
    assert_eq!(t.labels, ["label1", "label2"]);
    assert_eq!(t.associated_connections.len(), 2);
    assert_eq!(t.propagating_connections.len(), 2);
    let route = &t.routes[0];
    assert_eq!(route.destination_type, "CIDR");
    assert_eq!(route.prefixes.len(), 3);
    assert_eq!(route.next_hop_type, "ResourceId");
    assert!(route.next_hop.as_str().ends_with("/azureFirewalls/azureFirewall1"));
    assert!(!t.is_default());
}

#[test]
fn routing_intent_example_reads_both_policies() {
    let loaded = sample("vwan/RoutingIntentGet.json");
    let ri = &loaded.snapshot.vwan.routing_intents[0];
    assert!(ri.hub.as_str().ends_with("/virtualHubs/virtualHub1"));
    let internet = ri.policy(&RoutingPolicyKind::Internet).unwrap();
    assert_eq!(internet.name, "InternetTraffic");
    assert!(internet.next_hop.as_str().ends_with("/azureFirewalls/azfw1"));
    assert_eq!(ri.policy(&RoutingPolicyKind::PrivateTraffic).unwrap().name, "PrivateTrafficPolicy");
}

#[test]
fn vpn_gateway_example_reads_instances_and_connections() {
    let loaded = sample("vwan/VpnGatewayGet.json");
    let g = &loaded.snapshot.vwan.vpn_gateways[0];
    assert_eq!(g.asn, Some(65514));
    assert_eq!(g.instance_ips(), [ip("10.30.0.4"), ip("10.30.0.5")]);
    assert_eq!(g.instances[0].instance, "Instance0");
    assert_eq!(g.instances[1].tunnel_ips, [ip("104.208.48.179")]);
    assert!(g.hub.is_some());
    let c = &g.connections[0];
    assert_eq!(c.name, "vpnConnection1");
    assert!(c.remote_vpn_site.as_ref().unwrap().as_str().ends_with("/vpnSites/vpnSite1"));
    assert_eq!(c.enable_internet_security, Some(false));
    assert_eq!(c.site_links.len(), 2);
    assert_eq!(c.routing.propagated_route_tables.as_ref().unwrap().labels, ["label1", "label2"]);
}

#[test]
fn vpn_site_and_express_route_gateway_examples_read() {
    let loaded = sample("vwan/VpnSiteGet.json");
    let site = &loaded.snapshot.vwan.vpn_sites[0];
    assert_eq!(site.address_space, ["10.0.0.0/16".parse().unwrap()]);
    assert_eq!(site.links[0].bgp_asn, Some(1234));
    assert_eq!(site.links[0].ip_address, Some(ip("50.50.50.56")));
    assert_eq!(site.asn(), Some(1234));
    let loaded = sample("vwan/ExpressRouteGatewayGet.json");
    let er = &loaded.snapshot.vwan.express_route_gateways[0];
    assert!(er.hub.as_ref().unwrap().as_str().ends_with("/virtualHubs/virtualHubName"));
    assert!(er.connections.is_empty());
}

#[test]
fn hub_firewall_example_reads_its_hub_address() {
    let loaded = sample("firewall/AzureFirewallPutInHub.json");
    let fw = &loaded.snapshot.firewalls[0];
    assert_eq!(fw.sku, FirewallSku::Hub);
    assert!(fw.virtual_hub.is_some());
    assert_eq!(fw.hub_private_ip, Some(ip("10.0.0.0")));
}

#[test]
fn virtual_wan_reads_its_type_in_rest_and_cli_shapes() {
    let rest = r#"{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualWans/w","name":"w","type":"Microsoft.Network/virtualWans","location":"westeurope","properties":{"type":"Standard","allowBranchToBranchTraffic":true}}"#;
    let cli = r#"{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualWans/w","name":"w","type":"Microsoft.Network/virtualWans","location":"westeurope","typePropertiesType":"Standard","allowBranchToBranchTraffic":true}"#;
    for text in [rest, cli] {
        let loaded = load(&[("w.json", text)]);
        let wan = &loaded.snapshot.vwan.virtual_wans[0];
        assert_eq!(wan.wan_type, "Standard", "{text}");
        assert_eq!(wan.allow_branch_to_branch_traffic, Some(true));
        assert_eq!(loaded.snapshot.resolve_id(ResourceKind::VirtualWan, wan.id.as_str()), Some(0));
    }
}

const HUB: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualHubs/hub1";

#[test]
fn cli_and_resource_graph_connections_read_the_same() {
    let cli = format!(
        r#"[{{"id":"{HUB}/hubVirtualNetworkConnections/c1","name":"c1","enableInternetSecurity":true,
        "remoteVirtualNetwork":{{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke1"}},
        "routingConfiguration":{{"associatedRouteTable":{{"id":"{HUB}/hubRouteTables/defaultRouteTable"}},
        "propagatedRouteTables":{{"ids":[{{"id":"{HUB}/hubRouteTables/defaultRouteTable"}}],"labels":["default"]}}}}}}]"#
    );
    let graph = format!(
        r#"{{"data":[{{"id":"{HUB}/hubVirtualNetworkConnections/c1","name":"c1","type":"microsoft.network/virtualhubs/hubvirtualnetworkconnections",
        "properties":{{"enableInternetSecurity":"True",
        "remoteVirtualNetwork":{{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke1"}},
        "routingConfiguration":{{"associatedRouteTable":{{"id":"{HUB}/hubRouteTables/defaultRouteTable"}},
        "propagatedRouteTables":{{"ids":[{{"id":"{HUB}/hubRouteTables/defaultRouteTable"}}],"labels":["default"]}}}}}}}}]}}"#
    );
    let a = load(&[("cli.json", &cli)]);
    let b = load(&[("graph.json", &graph)]);
    assert!(!a.has_errors() && !b.has_errors(), "{:?} {:?}", a.diagnostics, b.diagnostics);
    let (ca, cb) = (&a.snapshot.vwan.hub_connections[0], &b.snapshot.vwan.hub_connections[0]);
    assert_eq!(ca.enable_internet_security, Some(true));
    assert_eq!(ca.routing, cb.routing);
    assert_eq!(ca.enable_internet_security, cb.enable_internet_security);
    assert_eq!(ca.remote_vnet, cb.remote_vnet);
}

#[test]
fn hub_fields_of_a_virtual_wan_hub_are_read() {
    let text = format!(
        r#"{{"id":"{HUB}","name":"hub1","type":"Microsoft.Network/virtualHubs","location":"westeurope","properties":{{
        "virtualWan":{{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualWans/w"}},
        "addressPrefix":"10.100.0.0/23","sku":"Standard","routingState":"Provisioned","virtualRouterIps":["10.100.0.68","10.100.0.69"],
        "azureFirewall":{{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/azureFirewalls/fw1"}},
        "vpnGateway":{{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/vpnGateways/vpn1"}},
        "expressRouteGateway":{{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/expressRouteGateways/er1"}}}}}}"#
    );
    let loaded = load(&[("hub.json", &text)]);
    let hub = &loaded.snapshot.virtual_hubs[0];
    assert_eq!(hub.vwan_hub.sku, "Standard");
    assert_eq!(hub.vwan_hub.routing_state, "Provisioned");
    assert!(hub.vwan_hub.azure_firewall.as_ref().unwrap().as_str().ends_with("/fw1"));
    assert!(hub.vwan_hub.vpn_gateway.is_some() && hub.vwan_hub.express_route_gateway.is_some());
}

#[test]
fn hub_nva_reads_its_addresses() {
    let text = format!(
        r#"{{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkVirtualAppliances/nva1","name":"nva1",
        "type":"Microsoft.Network/networkVirtualAppliances","location":"westeurope","properties":{{"virtualHub":{{"id":"{HUB}"}},
        "virtualApplianceAsn":64512,"virtualApplianceNics":[{{"name":"privatenicipconfig","privateIpAddress":"10.100.0.132","publicIpAddress":""}},
        {{"name":"privatenicipconfig","privateIpAddress":"10.100.0.133"}}]}}}}"#
    );
    let loaded = load(&[("nva.json", &text)]);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let nva = &loaded.snapshot.vwan.network_virtual_appliances[0];
    assert_eq!(nva.asn, Some(64512));
    assert_eq!(nva.private_ips, [ip("10.100.0.132"), ip("10.100.0.133")]);
}

/// §20.17: the spec example's `nvaSku` and NIC instances, and the same fields flattened by the
/// az CLI and nested under `properties` by Resource Graph.
#[test]
fn hub_nva_reads_its_vendor_and_instances_in_every_dialect() {
    let loaded = sample("vwan/NetworkVirtualApplianceGet.json");
    let nva = &loaded.snapshot.vwan.network_virtual_appliances[0];
    assert_eq!(nva.vendor.as_deref(), Some("Cisco SDWAN"));
    assert_eq!(nva.bundled_scale_unit.as_deref(), Some("1"));
    assert_eq!(nva.instances, ["nva_0", "nva_1"]);
    assert!(!nva.is_dual_role());
    let id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkVirtualAppliances/nva1";
    let nics = r#"[{"instanceName":"nva_0","privateIpAddress":"10.100.0.132"},{"instanceName":"NVA_0","privateIpAddress":"10.100.0.133"},{"instanceName":"nva_1","privateIpAddress":"10.100.0.134"}]"#;
    let cli = format!(
        r#"[{{"id":"{id}","name":"nva1","type":"Microsoft.Network/networkVirtualAppliances","virtualHub":{{"id":"{HUB}"}},"nvaSku":{{"vendor":"fortinet-ngfw-and-sdwan","bundledScaleUnit":2}},"virtualApplianceNics":{nics}}}]"#
    );
    let graph = format!(
        r#"{{"data":[{{"id":"{id}","name":"nva1","type":"microsoft.network/networkvirtualappliances","properties":{{"virtualHub":{{"id":"{HUB}"}},"nvaSku":{{"vendor":"Fortinet-NGFW-and-SDWAN","bundledScaleUnit":"2"}},"virtualApplianceNics":{nics}}}}}]}}"#
    );
    for text in [cli, graph] {
        let loaded = load(&[("nva.json", &text)]);
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        let nva = &loaded.snapshot.vwan.network_virtual_appliances[0];
        assert_eq!(nva.bundled_scale_unit.as_deref(), Some("2"));
        assert_eq!(nva.instances, ["nva_0", "nva_1"], "instance names compare without case");
        assert!(nva.is_dual_role(), "{:?}", nva.vendor);
    }
}

#[test]
fn hub_effective_routes_wrapper_reads_every_shape() {
    let body = std::fs::read_to_string(samples().join("vwan/EffectiveRoutesListForRouteTable.json")).unwrap();
    let old = std::fs::read_to_string(samples().join("2024-05-01/EffectiveRoutesListForVirtualHub.json")).unwrap();
    let ps = r#"{"Value":[{"AddressPrefixes":["10.1.0.0/16"],"NextHops":["/x/hubVirtualNetworkConnections/c1"],"NextHopType":"Virtual Network Connection","RouteOrigin":"/x/hubVirtualNetworkConnections/c1"}]}"#;
    for (effective, n) in [(body.as_str(), 2), (old.as_str(), 2), (ps, 1)] {
        let wrapper = format!(
            r#"{{"virtualHubId":"{HUB}","resourceId":"{HUB}/hubRouteTables/defaultRouteTable","effectiveRoutes":{effective}}}"#
        );
        let loaded = load(&[("routes.json", &wrapper)]);
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        let observed = &loaded.snapshot.vwan.observed_routes[0];
        assert_eq!(observed.virtual_hub.as_str(), HUB);
        assert!(observed.resource.as_str().ends_with("/defaultRouteTable"));
        assert_eq!(observed.routes.len(), n);
        assert!(loaded.diagnostics.iter().all(|d| d.code != "NoAzureResources"));
    }
}

#[test]
fn bad_hub_wrappers_name_file_path_and_hint() {
    let loaded = load(&[(
        "bad.json",
        r#"{"virtualHubId":"/x/virtualHubs/h","effectiveRoutes":{"value":[{"nextHopType":"Remote Hub"}]}}"#,
    )]);
    let d = loaded.diagnostics.iter().find(|d| d.code == "MissingField").expect("a diagnostic");
    assert_eq!(d.file.as_deref(), Some("bad.json"));
    assert_eq!(d.json_path.as_deref(), Some("$.effectiveRoutes.value[0].addressPrefixes"));
    assert!(d.hint.is_some());
    let loaded = load(&[("bad.json", r#"{"virtualHubId":"/x/virtualHubs/h"}"#)]);
    assert!(loaded.diagnostics.iter().any(|d| d.code == "HubRoutesWithoutRoutes" && d.hint.is_some()));
    let loaded = load(&[("bad.json", r#"{"virtualHubId":"/x/virtualHubs/h","effectiveRoutes":{"foo":1}}"#)]);
    assert!(loaded.diagnostics.iter().any(|d| d.code == "NotHubEffectiveRoutes"));
}

#[test]
fn a_wrong_typed_hub_route_table_is_named_by_path() {
    let text = format!(
        r#"{{"id":"{HUB}/hubRouteTables/t","name":"t","type":"Microsoft.Network/virtualHubs/hubRouteTables","properties":{{"routes":[{{"name":"r","destinations":["10.0.0.0/8"],"nextHop":5}}]}}}}"#
    );
    let loaded = load(&[("t.json", &text)]);
    let d = loaded.diagnostics.iter().find(|d| d.code == "WrongType").expect("a diagnostic");
    assert!(d.json_path.as_deref().unwrap().contains("routes[0].nextHop"), "{d:?}");
    let bad_prefix = format!(
        r#"{{"id":"{HUB}/hubRouteTables/t","name":"t","type":"Microsoft.Network/virtualHubs/hubRouteTables","properties":{{"routes":[{{"name":"r","destinationType":"CIDR","destinations":["10.0.0.300/8"],"nextHop":"/x"}}]}}}}"#
    );
    let loaded = load(&[("t.json", &bad_prefix)]);
    assert!(
        loaded.diagnostics.iter().any(|d| d.json_path.as_deref().is_some_and(|p| p.contains("routes[0].destinations"))),
        "{:?}",
        loaded.diagnostics
    );
}

/// A hub VPN gateway's `ipConfigurations` hold `publicIpAddress` as the address itself (a
/// string), a NIC's `publicIPAddress` is a reference: both read, the reference still linked.
#[test]
fn vpn_gateway_ip_configurations_with_string_addresses_read() {
    let gateway = r#"[{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/vpnGateways/gw", "name": "gw",
        "location": "eastus", "type": "Microsoft.Network/vpnGateways",
        "virtualHub": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualHubs/hub"},
        "ipConfigurations": [{"id": "Instance0", "privateIpAddress": "10.100.0.12", "publicIpAddress": "20.62.14.30"}],
        "connections": []}]"#;
    let nic = r#"[{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic", "name": "nic",
        "location": "eastus", "type": "Microsoft.Network/networkInterfaces",
        "ipConfigurations": [{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic/ipConfigurations/c",
            "name": "c", "privateIPAddress": "10.1.1.4",
            "publicIPAddress": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip"}}]}]"#;
    let loaded = load(&[("vpn-gateway-list.json", gateway), ("nic-list.json", nic)]);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    assert_eq!(loaded.snapshot.vwan.vpn_gateways[0].name, "gw");
    let public = loaded.snapshot.nics[0].ip_configs[0].public_ip.as_ref().expect("the reference is linked");
    assert!(format!("{public:?}").contains("/publicIPAddresses/pip"), "{public:?}");
}
