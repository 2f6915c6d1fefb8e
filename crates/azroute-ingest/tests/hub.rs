//! Route Server input (§19.1): the REST spec examples of `testdata/reference/
//! azure-samples/rest-api-specs/hub/` read as virtual hubs, BGP connections and learned routes;
//! the az CLI (flattened, `az network routeserver show`) and Resource Graph (lower-cased type,
//! string booleans) dialects read the same; the learned-routes wrapper keyed by instance; bad
//! input named by file, JSON path and hint.

use std::path::PathBuf;

use azroute_ingest::{IngestOptions, Loaded, load_path, load_texts};
use azroute_model::*;

fn sample_text(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/reference/azure-samples/rest-api-specs/hub")
        .join(name);
    std::fs::read_to_string(path).expect("sample file")
}

fn sample(name: &str) -> Loaded {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/reference/azure-samples/rest-api-specs/hub")
        .join(name);
    load_path(&path, &IngestOptions::default())
}

fn load(files: &[(&str, &str)]) -> Loaded {
    load_texts(&files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect::<Vec<_>>())
}

const RS: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualHubs/rs1";
const VNET: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub";

fn vnet_json() -> String {
    format!(
        r#"{{"id": "{VNET}", "name": "hub", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
            "properties": {{"addressSpace": {{"addressPrefixes": ["10.0.0.0/16"]}},
            "subnets": [{{"id": "{VNET}/subnets/RouteServerSubnet", "name": "RouteServerSubnet", "properties": {{"addressPrefix": "10.0.1.0/27"}}}}]}}}}"#
    )
}

#[test]
fn virtual_wan_hub_example_reads_router_fields() {
    let loaded = sample("VirtualHubGet.json");
    let hub = &loaded.snapshot.virtual_hubs[0];
    assert_eq!(hub.name, "virtualHub1");
    assert!(!hub.is_route_server(), "the example belongs to virtualWan1");
    assert_eq!(hub.address_prefix, Some("10.10.1.0/24".parse().unwrap()));
    assert_eq!(hub.virtual_router_asn, Some(65515));
    assert_eq!(
        hub.virtual_router_ips,
        ["10.10.1.12".parse::<std::net::IpAddr>().unwrap(), "10.10.1.13".parse().unwrap()]
    );
    assert_eq!(hub.hub_routing_preference, HubRoutingPreference::ExpressRoute);
    assert!(!hub.allow_branch_to_branch_traffic);
}

#[test]
fn bgp_connection_examples_need_their_hub() {
    for name in ["VirtualHubBgpConnectionGet.json", "VirtualHubBgpConnectionList.json"] {
        let loaded = sample(name);
        assert!(loaded.snapshot.virtual_hubs.is_empty());
        let d = loaded.diagnostics.iter().find(|d| d.message.contains("BGP connection")).expect("missing parent named");
        assert!(d.message.contains("virtual hub"), "{}", d.message);
    }
}

#[test]
fn example_peer_nests_into_its_hub_with_learned_routes_per_instance() {
    // The peer example's id names subscription 00000000-…; the hub and wrapper follow it.
    let hub = r#"{"id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.Network/virtualHubs/hub1",
                  "name": "hub1", "type": "Microsoft.Network/virtualHubs", "properties": {"virtualRouterAsn": 65515}}"#;
    let body = serde_json::from_str::<serde_json::Value>(&sample_text("VirtualRouterPeerListLearnedRoute.json"))
        .unwrap()["responses"]["200"]["body"]
        .to_string();
    let wrapper = format!(
        r#"{{"bgpConnectionId": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.Network/virtualHubs/hub1/bgpConnections/conn1", "learnedRoutes": {body}}}"#
    );
    let loaded = load(&[
        ("hub.json", hub),
        ("peer.json", &sample_text("VirtualHubBgpConnectionGet.json")),
        ("learned.json", &wrapper),
    ]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let hub = &loaded.snapshot.virtual_hubs[0];
    assert!(hub.is_route_server());
    let peer = &hub.bgp_connections[0];
    assert_eq!((peer.peer_ip, peer.peer_asn), (Some("192.168.1.5".parse().unwrap()), Some(20000)));
    assert!(peer.learned_routes_supplied);
    // Two routes per instance, told apart by localAddress (identical copies are kept apart).
    assert_eq!(peer.learned_routes.len(), 4);
    let on = |instance: &str| peer.learned_routes.iter().filter(|r| r.instance == instance).count();
    assert_eq!((on("RouteServiceRole_IN_0"), on("RouteServiceRole_IN_1")), (2, 2));
    let r = &peer.learned_routes[0];
    assert_eq!(r.route.network, "10.101.0.0/16".parse().unwrap());
    assert_eq!(r.route.next_hop, Some("10.85.4.4".parse().unwrap()));
    assert_eq!((r.route.as_path.as_str(), r.route.origin.as_str()), ("65002-65001", "EBgp"));
    assert_eq!(r.local_address, Some("10.85.3.4".parse().unwrap()));
}

#[test]
fn route_server_reads_the_same_in_every_dialect() {
    // `az network routeserver show` (flattened), REST (properties), Resource Graph (lower-cased
    // type, string booleans and ASN as text).
    let az = format!(
        r#"[{{"id": "{RS}", "name": "rs1", "type": "Microsoft.Network/virtualHubs", "location": "westeurope",
             "allowBranchToBranchTraffic": true, "hubRoutingPreference": "ASPath", "virtualRouterAsn": 65515,
             "virtualRouterIps": ["10.0.1.4", "10.0.1.5"], "virtualWan": null,
             "ipConfigurations": [{{"id": "{RS}/ipConfigurations/ipconfig1", "subnet": {{"id": "{VNET}/subnets/RouteServerSubnet"}}}}]}}]"#
    );
    let rest = format!(
        r#"{{"value": [{{"id": "{RS}", "name": "rs1", "type": "Microsoft.Network/virtualHubs", "location": "West Europe",
             "properties": {{"allowBranchToBranchTraffic": true, "hubRoutingPreference": "ASPath", "virtualRouterAsn": 65515,
             "virtualRouterIps": ["10.0.1.4", "10.0.1.5"]}}}},
           {{"id": "{RS}/ipConfigurations/ipconfig1", "type": "Microsoft.Network/virtualHubs/ipConfigurations",
             "properties": {{"subnet": {{"id": "{VNET}/subnets/RouteServerSubnet"}}}}}}]}}"#
    );
    let graph = format!(
        r#"{{"data": [{{"id": "{RS}", "name": "rs1", "type": "microsoft.network/virtualhubs", "location": "westeurope",
             "properties": {{"allowBranchToBranchTraffic": "True", "hubRoutingPreference": "aspath", "virtualRouterAsn": "65515",
             "virtualRouterIps": ["10.0.1.4", "10.0.1.5"],
             "ipConfigurations": [{{"properties": {{"subnet": {{"id": "{VNET}/subnets/RouteServerSubnet"}}}}}}]}}}}]}}"#
    );
    let vnet = vnet_json();
    let mut seen = Vec::new();
    for text in [&az, &rest, &graph] {
        let loaded = load(&[("vnet.json", &vnet), ("rs.json", text)]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let hub = loaded.snapshot.virtual_hubs[0].clone();
        assert!(hub.is_route_server());
        assert_eq!(hub.vnet, Some(Link::Resolved(VnetIdx(0))));
        assert_eq!(hub.hub_routing_preference, HubRoutingPreference::AsPath);
        assert!(hub.allow_branch_to_branch_traffic);
        assert_eq!(hub.virtual_router_asn, Some(65515));
        seen.push(hub);
    }
    assert!(seen.windows(2).all(|w| w[0].same_content(&w[1])));
}

#[test]
fn flat_and_value_learned_route_lists_are_accepted() {
    let hub = format!(
        r#"{{"id": "{RS}", "name": "rs1", "type": "Microsoft.Network/virtualHubs",
        "bgpConnections": [], "properties": {{}}}}"#
    );
    let peer =
        format!(r#"{{"id": "{RS}/bgpConnections/nva1", "name": "nva1", "peerIp": "10.0.2.4", "peerAsn": "65001"}}"#);
    let route = r#"{"network": "0.0.0.0/0", "nextHop": "10.0.2.4", "asPath": "65001", "origin": "EBgp", "sourcePeer": "10.0.2.4", "weight": 32768}"#;
    for learned in [
        format!("[{route}]"),
        format!(r#"{{"value": [{route}]}}"#),
        format!(r#"{{"RouteServiceRole_IN_0": [{route}], "RouteServiceRole_IN_1": [], "value": null}}"#),
    ] {
        let wrapper = format!(r#"{{"bgpConnectionId": "{RS}/bgpConnections/nva1", "learnedRoutes": {learned}}}"#);
        let loaded = load(&[("rs.json", &hub), ("peer.json", &peer), ("learned.json", &wrapper)]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let c = &loaded.snapshot.virtual_hubs[0].bgp_connections[0];
        assert_eq!(c.peer_asn, Some(65001));
        assert_eq!(c.learned_routes.len(), 1, "{learned}");
        assert_eq!(c.learned_routes[0].route.network, "0.0.0.0/0".parse().unwrap());
    }
}

#[test]
fn bad_learned_routes_name_file_path_and_hint() {
    let hub =
        format!(r#"{{"id": "{RS}", "name": "rs1", "type": "Microsoft.Network/virtualHubs", "properties": {{}}}}"#);
    let peer =
        format!(r#"{{"id": "{RS}/bgpConnections/nva1", "name": "nva1", "peerIp": "10.0.2.4", "peerAsn": 65001}}"#);
    let bad_prefix = format!(
        r#"{{"bgpConnectionId": "{RS}/bgpConnections/nva1", "learnedRoutes": {{"RouteServiceRole_IN_0": [{{"network": "10.0.0.300/8"}}, {{"network": "10.9.0.0/16"}}], "RouteServiceRole_IN_1": [{{"network": "10.9.0.0/16"}}, {{"network": "10.1.0.0/33"}}]}}}}"#
    );
    let loaded = load(&[("rs.json", &hub), ("peer.json", &peer), ("learned.json", &bad_prefix)]);
    let paths: Vec<&str> = loaded.diagnostics.iter().filter_map(|d| d.json_path.as_deref()).collect();
    assert_eq!(
        paths,
        ["$.learnedRoutes.RouteServiceRole_IN_0[0].network", "$.learnedRoutes.RouteServiceRole_IN_1[1].network"]
    );
    assert!(loaded.diagnostics.iter().all(|d| d.file.as_deref() == Some("learned.json")));
    assert_eq!(loaded.snapshot.virtual_hubs[0].bgp_connections[0].learned_routes.len(), 2);

    let not_a_peer = format!(r#"{{"bgpConnectionId": "{RS}", "learnedRoutes": []}}"#);
    let loaded = load(&[("rs.json", &hub), ("learned.json", &not_a_peer)]);
    let d = loaded.diagnostics.iter().find(|d| d.code == "LearnedRoutesWithoutBgpConnection").expect("refused");
    assert_eq!(d.json_path.as_deref(), Some("$.bgpConnectionId"));
    assert!(d.hint.as_deref().unwrap().contains("az network routeserver peering list-learned-routes"));

    let unknown_peer = format!(r#"{{"bgpConnectionId": "{RS}/bgpConnections/ghost", "learnedRoutes": []}}"#);
    let loaded = load(&[("rs.json", &hub), ("learned.json", &unknown_peer)]);
    let d = loaded.diagnostics.iter().find(|d| d.code == "DanglingReference").expect("dangling peer");
    assert!(d.message.contains("ghost") && d.file.as_deref() == Some("learned.json"));
}

/// One managed resource of `terraform show -json`.
fn resource(ty: &str, name: &str, values: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"address": format!("{ty}.{name}"), "mode": "managed", "type": ty, "name": name,
        "provider_name": "registry.terraform.io/hashicorp/azurerm", "schema_version": 0, "values": values})
}

/// Terraform state of a Route Server and a peer reads as the az CLI JSON of the same estate
/// does, and takes the learned-routes wrapper beside it.
#[test]
fn terraform_route_server_reads_as_the_az_cli_json_does() {
    let resources = vec![
        resource(
            "azurerm_route_server",
            "rs1",
            serde_json::json!({"id": RS, "name": "rs1", "resource_group_name": "rg", "location": "westeurope",
                "sku": "Standard", "subnet_id": format!("{VNET}/subnets/RouteServerSubnet"),
                "public_ip_address_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip",
                "branch_to_branch_traffic_enabled": true, "hub_routing_preference": "ASPath",
                "virtual_router_asn": 65515, "virtual_router_ips": ["10.0.1.4", "10.0.1.5"]}),
        ),
        resource(
            "azurerm_route_server_bgp_connection",
            "nva1",
            serde_json::json!({"id": format!("{RS}/bgpConnections/nva1"), "name": "nva1", "route_server_id": RS,
                "peer_asn": 65001, "peer_ip": "10.0.2.4"}),
        ),
    ];
    let state = serde_json::json!({"format_version": "1.0", "terraform_version": "1.9.8",
        "values": {"root_module": {"resources": resources}}})
    .to_string();
    let az = format!(
        r#"[{{"id": "{RS}", "name": "rs1", "type": "Microsoft.Network/virtualHubs", "location": "westeurope",
             "allowBranchToBranchTraffic": true, "hubRoutingPreference": "ASPath", "virtualRouterAsn": 65515,
             "virtualRouterIps": ["10.0.1.4", "10.0.1.5"],
             "ipConfigurations": [{{"subnet": {{"id": "{VNET}/subnets/RouteServerSubnet"}}}}]}},
            {{"id": "{RS}/bgpConnections/nva1", "name": "nva1", "type": "Microsoft.Network/virtualHubs/bgpConnections",
              "peerIp": "10.0.2.4", "peerAsn": 65001}}]"#
    );
    let learned = format!(
        r#"{{"bgpConnectionId": "{RS}/bgpConnections/nva1", "learnedRoutes": {{"RouteServiceRole_IN_0": [{{"network": "0.0.0.0/0", "nextHop": "10.0.2.4", "asPath": "65001"}}]}}}}"#
    );
    let vnet = vnet_json();
    let tf = load(&[("vnet.json", &vnet), ("tf.json", &state), ("learned.json", &learned)]);
    let cli = load(&[("vnet.json", &vnet), ("rs.json", &az), ("learned.json", &learned)]);
    assert!(tf.diagnostics.is_empty(), "{:?}", tf.diagnostics);
    let (a, b) = (&tf.snapshot.virtual_hubs[0], &cli.snapshot.virtual_hubs[0]);
    assert!(a.same_content(b), "{a:?}\n{b:?}");
    assert_eq!(a.bgp_connections[0].learned_routes.len(), 1);
    assert_eq!(a.vnet, Some(Link::Resolved(VnetIdx(0))));
}

/// The older Terraform of a Route Server, an `azurerm_virtual_hub` without a Virtual WAN, its
/// `azurerm_virtual_hub_ip` in `RouteServerSubnet` and an `azurerm_virtual_hub_bgp_connection`,
/// gives the Route Server of the az CLI JSON: its subnet and VNet from the IP configuration.
#[test]
fn terraform_virtual_hub_with_hub_ip_is_a_route_server() {
    let resources = vec![
        resource(
            "azurerm_virtual_hub",
            "rs1",
            serde_json::json!({"id": RS, "name": "rs1", "resource_group_name": "rg", "location": "westeurope", "sku": "Standard",
                "virtual_wan_id": null, "address_prefix": null, "hub_routing_preference": "ASPath",
                "virtual_router_asn": 65515, "virtual_router_ips": ["10.0.1.4", "10.0.1.5"]}),
        ),
        resource(
            "azurerm_virtual_hub_ip",
            "rs1",
            serde_json::json!({"id": format!("{RS}/ipConfigurations/ipconfig1"), "name": "ipconfig1", "virtual_hub_id": RS,
                "subnet_id": format!("{VNET}/subnets/RouteServerSubnet"), "private_ip_address": null,
                "public_ip_address_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip"}),
        ),
        resource(
            "azurerm_virtual_hub_bgp_connection",
            "nva1",
            serde_json::json!({"id": format!("{RS}/bgpConnections/nva1"), "name": "nva1", "virtual_hub_id": RS,
                "peer_asn": 65001, "peer_ip": "10.0.2.4", "virtual_network_connection_id": null}),
        ),
    ];
    let state =
        serde_json::json!({"format_version": "1.0", "values": {"root_module": {"resources": resources}}}).to_string();
    let az = format!(
        r#"[{{"id": "{RS}", "name": "rs1", "type": "Microsoft.Network/virtualHubs", "location": "westeurope",
             "hubRoutingPreference": "ASPath", "virtualRouterAsn": 65515, "virtualRouterIps": ["10.0.1.4", "10.0.1.5"],
             "sku": "Standard", "ipConfigurations": [{{"subnet": {{"id": "{VNET}/subnets/RouteServerSubnet"}}}}]}},
            {{"id": "{RS}/bgpConnections/nva1", "name": "nva1", "type": "Microsoft.Network/virtualHubs/bgpConnections",
              "peerIp": "10.0.2.4", "peerAsn": 65001}}]"#
    );
    let vnet = vnet_json();
    let tf = load(&[("vnet.json", &vnet), ("tf.json", &state)]);
    let cli = load(&[("vnet.json", &vnet), ("rs.json", &az)]);
    assert!(tf.diagnostics.is_empty(), "{:?}", tf.diagnostics);
    let (a, b) = (&tf.snapshot.virtual_hubs[0], &cli.snapshot.virtual_hubs[0]);
    assert!(a.is_route_server() && a.subnet.is_some(), "{a:?}");
    assert!(a.same_content(b), "{a:?}\n{b:?}");
    assert_eq!(a.vnet, Some(Link::Resolved(VnetIdx(0))));
}
