//! Terraform input end to end: the hub-and-spoke of `testdata/terraform/` written as an az CLI
//! export, as azurerm 3.x and 4.x state, and as 3.x and 4.x plans that end in the same estate,
//! must give every subnet the same effective routes (regenerate the fixtures with
//! `python3 tools/make_terraform_fixtures.py`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use azroute_engine::{EffectiveRoute, RouteEngine, TableNote};
use azroute_ingest::{IngestOptions, Loaded, Severity, load_path};
use azroute_model::*;

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/terraform").join(path)
}

fn load(path: &str) -> Loaded {
    let loaded = load_path(&fixture(path), &IngestOptions::default());
    let problems: Vec<String> =
        loaded.diagnostics.iter().filter(|d| d.severity >= Severity::Warning).map(|d| d.to_string()).collect();
    assert!(problems.is_empty(), "{path} should load without warnings:\n{}", problems.join("\n"));
    loaded
}

/// What a subnet's effective route table holds, keyed by subnet id.
#[derive(Debug, PartialEq)]
struct SubnetRoutes {
    routes: Vec<EffectiveRoute>,
    notes: Vec<TableNote>,
    disable_bgp_route_propagation: bool,
    route_table: Option<String>,
    labels: Vec<String>,
}

fn routes(loaded: &Loaded) -> BTreeMap<String, SubnetRoutes> {
    let snap = &loaded.snapshot;
    let engine = RouteEngine::new(snap, ModelOptions::default());
    let mut out = BTreeMap::new();
    for (i, subnet) in snap.subnets.iter().enumerate() {
        let table = engine.subnet_table(SubnetIdx(i as u32)).unwrap_or_else(|e| panic!("routes of {}: {e}", subnet.id));
        out.insert(
            subnet.id.key(),
            SubnetRoutes {
                routes: table.routes.clone(),
                notes: table.notes.clone(),
                disable_bgp_route_propagation: table.disable_bgp_route_propagation,
                route_table: table.route_table.map(|t| snap.route_tables[t.index()].id.key()),
                labels: table.routes.iter().map(|r| format!("{} {}", r.state.as_str(), r.label())).collect(),
            },
        );
    }
    out
}

/// The ARM export, checked to be the estate the fixtures describe, so the comparisons below
/// are not vacuous.
fn arm() -> BTreeMap<String, SubnetRoutes> {
    let loaded = load("hub-spoke-arm");
    let r = routes(&loaded);
    assert_eq!(r.len(), 5, "five subnets");
    let spoke1 =
        r.iter().find(|(k, _)| k.ends_with("/vnet-spoke1/subnets/snet-app")).map(|(_, v)| v).expect("spoke1 subnet");
    let spoke2 =
        r.iter().find(|(k, _)| k.ends_with("/vnet-spoke2/subnets/snet-app")).map(|(_, v)| v).expect("spoke2 subnet");
    let has = |s: &SubnetRoutes, label: &str| s.labels.iter().any(|l| l == label);
    // Spoke 1 disables gateway route propagation; spoke 2 learns on-premises over gateway
    // transit, except the prefix its own user route overrides.
    assert!(spoke1.disable_bgp_route_propagation);
    assert!(!spoke1.labels.iter().any(|l| l.contains("VirtualNetworkGateway")), "{:#?}", spoke1.labels);
    assert!(
        has(spoke2, "Active VirtualNetworkGateway 192.168.10.0/24 → VirtualNetworkGateway 10.0.0.30"),
        "{:#?}",
        spoke2.labels
    );
    assert!(
        has(spoke2, "Invalid VirtualNetworkGateway 192.168.20.0/24 → VirtualNetworkGateway 10.0.0.30"),
        "{:#?}",
        spoke2.labels
    );
    assert!(
        has(spoke2, "Active User 192.168.20.0/24 → VirtualAppliance 10.0.1.4 (to-onprem-dmz)"),
        "{:#?}",
        spoke2.labels
    );
    assert!(has(spoke2, "Active Default 10.0.0.0/16 → VNetGlobalPeering"), "{:#?}", spoke2.labels);
    assert!(has(spoke1, "Active Default 10.0.0.0/16 → VNetPeering"), "{:#?}", spoke1.labels);
    // The key vault endpoint's subnet applies route tables to private endpoints, so spoke 1's
    // /24 route for it invalidates the /32.
    assert!(has(spoke1, "Invalid Default 10.0.2.5/32 → InterfaceEndpoint"), "{:#?}", spoke1.labels);
    assert!(has(spoke2, "Active Default 10.0.2.5/32 → InterfaceEndpoint"), "{:#?}", spoke2.labels);
    r
}

fn assert_same_routes(path: &str, expected: &BTreeMap<String, SubnetRoutes>) -> Loaded {
    let loaded = load(path);
    let actual = routes(&loaded);
    assert_eq!(actual.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>(), "{path}: the same subnets");
    for (subnet, want) in expected {
        let got = &actual[subnet];
        assert_eq!(got.labels, want.labels, "{path}: routes of {subnet}");
        assert_eq!(got, want, "{path}: effective route table of {subnet}");
    }
    loaded
}

#[test]
fn azurerm_3x_state_gives_the_routes_of_the_arm_export() {
    let loaded = assert_same_routes("hub-spoke-3x/state.json", &arm());
    assert!(loaded.deleted.is_empty());
}

#[test]
fn azurerm_4x_state_gives_the_routes_of_the_arm_export() {
    let loaded = assert_same_routes("hub-spoke-4x/state.json", &arm());
    assert!(loaded.deleted.is_empty());
}

#[test]
fn azurerm_3x_plan_gives_the_routes_of_the_arm_export() {
    let loaded = assert_same_routes("hub-spoke-3x/plan.json", &arm());
    assert_eq!(
        loaded.deleted,
        vec![normalize_id(
            "/subscriptions/3f2a9c4e-8b1d-4e6f-9a7c-2d5e8f1b3c6a/resourceGroups/rg-hub-network/providers/Microsoft.Network/routeTables/rt-legacy"
        )],
        "the deleted route table, not its association (whose id is the subnet's)"
    );
}

#[test]
fn azurerm_4x_plan_gives_the_routes_of_the_arm_export() {
    let loaded = assert_same_routes("hub-spoke-4x/plan.json", &arm());
    assert_eq!(
        loaded.deleted,
        vec![normalize_id(
            "/subscriptions/3f2a9c4e-8b1d-4e6f-9a7c-2d5e8f1b3c6a/resourceGroups/rg-hub-network/providers/Microsoft.Network/networkSecurityGroups/nsg-shared/securityRules/allow-rdp-legacy"
        )]
    );
}

/// Beyond routes: the resources Terraform describes link as the ARM export does.
#[test]
fn terraform_inputs_link_like_the_arm_export() {
    let arm = load("hub-spoke-arm").snapshot;
    for path in
        ["hub-spoke-3x/state.json", "hub-spoke-3x/plan.json", "hub-spoke-4x/state.json", "hub-spoke-4x/plan.json"]
    {
        let tf = load(path).snapshot;
        let views: [(&str, View); 6] = [
            ("NICs", nic_view),
            ("subnets", subnet_view),
            ("VMs", vm_view),
            ("NSG rules", rule_view),
            ("peerings", peering_view),
            ("gateways", gateway_view),
        ];
        for (what, view) in views {
            assert_eq!(view(&tf), view(&arm), "{path}: {what}");
        }
        assert_eq!(tf.private_endpoints.len(), 1);
        assert_eq!(tf.private_endpoints[0].ips, arm.private_endpoints[0].ips);
        assert_eq!(tf.private_endpoints[0].group_ids, arm.private_endpoints[0].group_ids);
    }
}

/// One kind of resource as text comparable across inputs (links by the ids of their targets).
type View = fn(&Snapshot) -> Vec<String>;

/// What a NIC links to, by the ids of its targets.
fn nic_view(s: &Snapshot) -> Vec<String> {
    s.nics
        .iter()
        .map(|n| {
            let cfg = n.primary_ip_config();
            format!(
                "{} fwd={} ip={:?} subnet={:?} nsg={:?} vm={:?} pe={:?}",
                n.id.key(),
                n.ip_forwarding,
                cfg.and_then(|c| c.private_ip),
                cfg.and_then(|c| c.subnet.as_ref()).and_then(|l| l.resolved()).map(|i| s.subnets[i.index()].id.key()),
                n.nsg.as_ref().and_then(|l| l.resolved()).map(|i| s.nsgs[i.index()].id.key()),
                n.vm.as_ref().and_then(|l| l.resolved()).map(|i| s.vms[i.index()].id.key()),
                n.private_endpoint.as_ref().map(|p| p.key()),
            )
        })
        .collect()
}

fn subnet_view(s: &Snapshot) -> Vec<String> {
    s.subnets
        .iter()
        .map(|x| {
            format!(
                "{} {:?} rt={:?} nsg={:?} se={:?} pe={:?}",
                x.id.key(),
                x.prefixes,
                x.route_table.as_ref().and_then(|l| l.resolved()).map(|i| s.route_tables[i.index()].id.key()),
                x.nsg.as_ref().and_then(|l| l.resolved()).map(|i| s.nsgs[i.index()].id.key()),
                x.service_endpoints,
                x.private_endpoint_network_policies,
            )
        })
        .collect()
}

fn vm_view(s: &Snapshot) -> Vec<String> {
    s.vms
        .iter()
        .map(|v| {
            let nics: Vec<Option<String>> =
                v.nics.iter().map(|l| l.resolved().map(|i| s.nics[i.index()].id.key())).collect();
            format!("{} {nics:?}", v.id.key())
        })
        .collect()
}

/// Every NSG's rules, sorted within the NSG (Terraform lists them by name).
fn rule_view(s: &Snapshot) -> Vec<String> {
    s.nsgs
        .iter()
        .flat_map(|n| {
            let mut r: Vec<String> = n
                .rules
                .iter()
                .map(|r| {
                    format!(
                        "{} {} {} {:?} {:?} {:?} {:?} {:?}",
                        r.id.key(),
                        r.priority,
                        r.direction.as_str(),
                        r.access,
                        r.protocol,
                        r.sources,
                        r.destinations,
                        r.destination_ports
                    )
                })
                .collect();
            r.sort();
            r
        })
        .collect()
}

fn peering_view(s: &Snapshot) -> Vec<String> {
    s.peerings
        .iter()
        .map(|p| {
            format!(
                "{} {} {:?} transit={} remote_gw={} fwd={}",
                p.id.key(),
                p.state.as_str(),
                p.remote_address_space,
                p.allow_gateway_transit,
                p.use_remote_gateways,
                p.allow_forwarded_traffic
            )
        })
        .collect()
}

fn gateway_view(s: &Snapshot) -> Vec<String> {
    s.gateways
        .iter()
        .map(|g| {
            format!(
                "{} {} bgp={} ips={:?} vnet={:?}",
                g.id.key(),
                g.gateway_type.as_str(),
                g.bgp_enabled,
                g.instance_ips,
                g.vnet.as_ref().and_then(|l| l.resolved())
            )
        })
        .collect()
}

/// A `terraform show -json` state of the root module's `(address, values)`.
fn state(resources: &[(&str, serde_json::Value)]) -> String {
    let list: Vec<serde_json::Value> = resources
        .iter()
        .map(|(address, values)| {
            let (rtype, name) = address.rsplit_once('.').unwrap();
            serde_json::json!({"address": address, "mode": "managed", "type": rtype, "name": name,
                "provider_name": "registry.terraform.io/hashicorp/azurerm", "values": values})
        })
        .collect();
    serde_json::json!({"format_version": "1.0", "terraform_version": "1.9.8",
        "values": {"root_module": {"resources": list}}})
    .to_string()
}

fn net(rest: &str) -> String {
    format!("/subscriptions/0b1c2d3e-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Network/{rest}")
}

/// Two teams' states: the hub's holds its peering to the spoke and the spoke subnet's route
/// table association; the spoke's holds the spoke and its peering back. Together they link as
/// one estate; what neither holds is reported.
#[test]
fn separate_states_link_peerings_and_associations() {
    use serde_json::json;
    let vnet = |name: &str, space: &str| {
        json!({"id": net(&format!("virtualNetworks/{name}")), "name": name,
        "resource_group_name": "rg", "location": "westeurope", "address_space": [space]})
    };
    let peering = |from: &str, to: &str| {
        json!({"id": net(&format!("virtualNetworks/{from}/virtualNetworkPeerings/to-{to}")),
        "name": format!("to-{to}"), "virtual_network_name": from, "resource_group_name": "rg",
        "remote_virtual_network_id": net(&format!("virtualNetworks/{to}"))})
    };
    let hub = state(&[
        ("azurerm_virtual_network.hub", vnet("hub", "10.0.0.0/16")),
        ("azurerm_virtual_network_peering.hub_spoke", peering("hub", "spoke")),
        ("azurerm_virtual_network_peering.hub_gone", peering("hub", "gone")),
        (
            "azurerm_route_table.spoke",
            json!({"id": net("routeTables/rt-spoke"), "name": "rt-spoke", "route": [
            {"name": "default", "address_prefix": "0.0.0.0/0", "next_hop_type": "VirtualAppliance", "next_hop_in_ip_address": "10.0.1.4"}]}),
        ),
        (
            "azurerm_subnet_route_table_association.spoke",
            json!({"id": net("virtualNetworks/spoke/subnets/app"),
            "subnet_id": net("virtualNetworks/spoke/subnets/app"), "route_table_id": net("routeTables/rt-spoke")}),
        ),
        (
            "azurerm_subnet_route_table_association.elsewhere",
            json!({"id": net("virtualNetworks/gone/subnets/x"),
            "subnet_id": net("virtualNetworks/gone/subnets/x"), "route_table_id": net("routeTables/rt-spoke")}),
        ),
    ]);
    let spoke = state(&[
        ("azurerm_virtual_network.spoke", vnet("spoke", "10.1.0.0/16")),
        (
            "azurerm_subnet.app",
            json!({"id": net("virtualNetworks/spoke/subnets/app"), "name": "app",
            "address_prefixes": ["10.1.1.0/24"]}),
        ),
        ("azurerm_virtual_network_peering.spoke_hub", peering("spoke", "hub")),
    ]);
    let loaded = azroute_ingest::load_texts(&[("hub.json".to_string(), hub), ("spoke.json".to_string(), spoke)]);
    let snap = &loaded.snapshot;
    let state_of =
        |name: &str| snap.peerings.iter().find(|p| p.id.as_str().ends_with(name)).map(|p| p.state.clone()).unwrap();
    assert_eq!(state_of("hub/virtualNetworkPeerings/to-spoke"), PeeringState::Connected);
    assert_eq!(state_of("spoke/virtualNetworkPeerings/to-hub"), PeeringState::Connected);
    assert_eq!(state_of("hub/virtualNetworkPeerings/to-gone"), PeeringState::Initiated);
    let subnet = snap.find_subnet("spoke/app").unwrap();
    let table = snap.subnets[subnet.index()]
        .route_table
        .as_ref()
        .and_then(|l| l.resolved())
        .expect("the hub state's association links the spoke state's subnet");
    assert_eq!(snap.route_tables[table.index()].name, "rt-spoke");
    let engine = RouteEngine::new(snap, ModelOptions::default());
    let routes = engine.subnet_table(subnet).unwrap();
    assert!(routes.routes.iter().any(|r| r.label() == "Default 10.0.0.0/16 → VNetPeering"));
    let warnings: Vec<(&str, &str)> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    assert!(
        warnings
            .iter()
            .any(|(c, m)| *c == "TerraformPeeringUnpaired" && m.contains("azurerm_virtual_network_peering.hub_gone")),
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .any(|(c, m)| *c == "DanglingReference" && m.contains("azurerm_subnet_route_table_association.elsewhere")),
        "{warnings:#?}"
    );
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
}

/// The same route table read twice (`terraform show -json` and the raw state file it came
/// from) is one route table: where its routes were read does not make the copies differ.
#[test]
fn the_same_state_in_two_shapes_is_not_a_conflict() {
    let table = serde_json::json!({"id": net("routeTables/rt"), "name": "rt", "disable_bgp_route_propagation": false,
        "route": [{"name": "default", "address_prefix": "0.0.0.0/0", "next_hop_type": "Internet", "next_hop_in_ip_address": ""}]});
    let shown = state(&[("azurerm_route_table.rt", table.clone())]);
    let raw = serde_json::json!({"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": "4f1c",
        "resources": [{"mode": "managed", "type": "azurerm_route_table", "name": "rt",
                       "instances": [{"schema_version": 0, "attributes": table}]}]})
    .to_string();
    let loaded =
        azroute_ingest::load_texts(&[("show.json".to_string(), shown), ("terraform.tfstate".to_string(), raw)]);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    assert_eq!(loaded.snapshot.route_tables.len(), 1);
    assert_eq!(loaded.snapshot.route_tables[0].routes.len(), 1);
}
