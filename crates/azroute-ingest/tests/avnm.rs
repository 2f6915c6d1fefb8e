//! Azure Virtual Network Manager input (§18.1): the REST spec examples of `testdata/reference/
//! azure-samples/rest-api-specs/avnm/` read as connectivity configurations, admin rule
//! collections and rules (custom and default kinds), routing configurations, collections and
//! rules; string booleans (`"True"`/`"False"`); the az CLI (flattened) and Resource Graph
//! (lower-cased type) dialects read the same; bad values name file, JSON path and a hint.

use std::path::PathBuf;

use azroute_ingest::{IngestOptions, Loaded, load_path, load_texts};
use azroute_model::*;

fn sample(name: &str) -> Loaded {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/reference/azure-samples/rest-api-specs/avnm")
        .join(name);
    load_path(&path, &IngestOptions::default())
}

#[test]
fn connectivity_configuration_example_reads_hub_and_spoke_with_string_booleans() {
    let loaded = sample("NetworkManagerConnectivityConfigurationGet.json");
    let c = &loaded.snapshot.avnm.connectivity_configurations[0];
    assert_eq!(c.name, "myTestConnectivityConfig");
    assert_eq!(c.topology, ConnectivityTopology::HubAndSpoke);
    assert!(c.is_global && c.delete_existing_peering, "\"True\" strings read as true");
    assert!(c.hubs[0].as_str().ends_with("virtualNetworks/myHubVnet"));
    let g = &c.applies_to[0];
    assert!(g.network_group.as_str().ends_with("networkGroups/group1"));
    assert!(!g.directly_connected && !g.is_global && g.use_hub_gateway);
    assert!(c.address_overlap_allowed);
}

#[test]
fn admin_rule_and_collection_examples() {
    let rule = sample("NetworkManagerAdminRuleGet.json");
    let r = &rule.snapshot.avnm.admin_rules[0];
    assert_eq!(
        (r.name.as_str(), r.access, r.direction, r.priority),
        ("SampleAdminRule", AdminAccess::Deny, Direction::Inbound, 1)
    );
    assert!(!r.default_kind);
    assert_eq!(r.protocol, RuleProtocol::Only(Protocol::Tcp));
    assert_eq!(r.sources, [AdminAddress::Any]);
    assert_eq!(r.destination_ports, [PortRange { lo: 22, hi: 22 }]);
    assert_eq!(r.source_ports, [PortRange::ALL]);
    let coll = sample("NetworkManagerAdminRuleCollectionGet.json");
    let c = &coll.snapshot.avnm.admin_rule_collections[0];
    assert!(!c.applies_to.is_empty());
    assert!(avnm_parent_id(r.id.as_str(), 1).eq_ignore_ascii_case(c.id.as_str()));
}

#[test]
fn default_admin_rule_carries_its_flag() {
    let loaded = sample("NetworkManagerDefaultAdminRuleGet.json");
    let r = &loaded.snapshot.avnm.admin_rules[0];
    assert!(r.default_kind, "{r:?}");
    assert!(!r.flag.is_empty());
}

#[test]
fn routing_examples_map_next_hops_to_user_route_types() {
    let config = sample("NetworkManagerRoutingConfigurationGet.json");
    assert!(!config.snapshot.avnm.routing_configurations[0].route_table_usage_mode.is_empty());
    let coll = sample("NetworkManagerRoutingRuleCollectionGet.json");
    let c = &coll.snapshot.avnm.routing_rule_collections[0];
    assert!(!c.disable_bgp_route_propagation, "\"False\" reads as false");
    assert!(c.applies_to[0].as_str().ends_with("networkGroups/testGroup"));
    let rule = sample("NetworkManagerRoutingRulePut.json");
    let r = &rule.snapshot.avnm.routing_rules[0];
    assert_eq!(r.destination, RoutePrefix::Cidr("10.0.0.0/16".parse().unwrap()));
    assert_eq!(r.next_hop_type, RouteNextHopType::VirtualNetworkGateway);
    assert_eq!(r.next_hop_ip, None);
}

const RULE_ID: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkManagers/m/securityAdminConfigurations/c/ruleCollections/rc/rules/r1";

#[test]
fn az_cli_and_resource_graph_dialects_read_the_same_rule() {
    let az = format!(
        r#"[{{"id":"{RULE_ID}","name":"r1","kind":"Custom","access":"AlwaysAllow","direction":"Outbound","priority":10,"protocol":"Any","sources":[{{"addressPrefix":"10.1.0.0/16","addressPrefixType":"IPPrefix"}}],"destinations":[{{"addressPrefix":"Internet","addressPrefixType":"ServiceTag"}},{{"addressPrefix":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkManagers/m/networkGroups/g","addressPrefixType":"NetworkGroup"}}],"sourcePortRanges":[],"destinationPortRanges":["80-81"]}}]"#
    );
    let graph = format!(
        r#"{{"data":[{{"id":"{RULE_ID}","name":"r1","type":"microsoft.network/networkmanagers/securityadminconfigurations/rulecollections/rules","kind":"Custom","properties":{{"access":"AlwaysAllow","direction":"Outbound","priority":10,"protocol":"Any","sources":[{{"addressPrefix":"10.1.0.0/16","addressPrefixType":"IPPrefix"}}],"destinations":[{{"addressPrefix":"Internet","addressPrefixType":"ServiceTag"}},{{"addressPrefix":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkManagers/m/networkGroups/g","addressPrefixType":"NetworkGroup"}}],"destinationPortRanges":["80-81"]}}}}]}}"#
    );
    let a = load_texts(&[("az.json".into(), az)]);
    let b = load_texts(&[("graph.json".into(), graph)]);
    assert!(a.diagnostics.is_empty() && b.diagnostics.is_empty(), "{:?} {:?}", a.diagnostics, b.diagnostics);
    let (ra, rb) = (&a.snapshot.avnm.admin_rules[0], &b.snapshot.avnm.admin_rules[0]);
    assert!(ra.same_content(rb));
    assert_eq!(ra.access, AdminAccess::AlwaysAllow);
    assert_eq!(ra.protocol, RuleProtocol::Any);
    assert_eq!(ra.sources, [AdminAddress::Prefix("10.1.0.0/16".parse().unwrap())]);
    assert!(matches!(&ra.destinations[0], AdminAddress::Tag(t) if t == "Internet"));
    assert!(matches!(&ra.destinations[1], AdminAddress::NetworkGroup(g) if g.as_str().ends_with("/g")));
    assert_eq!(ra.destination_ports, [PortRange { lo: 80, hi: 81 }]);
}

#[test]
fn bad_admin_rule_values_name_the_json_path_and_a_hint() {
    let text = format!(
        r#"[{{"id":"{RULE_ID}","name":"r1","access":"Block","direction":"Inbound","priority":5,"protocol":"Tcp"}}]"#
    );
    let loaded = load_texts(&[("rules.json".into(), text)]);
    assert!(loaded.snapshot.avnm.admin_rules.is_empty());
    let d = loaded.diagnostics.iter().find(|d| d.code == "InvalidAdminRule").expect("diagnostic");
    assert_eq!(d.json_path.as_deref(), Some("$[0].access"));
    assert_eq!(d.file.as_deref(), Some("rules.json"));
    assert!(d.hint.as_deref().unwrap().contains("AlwaysAllow"));
    let priority = format!(
        r#"[{{"id":"{RULE_ID}","name":"r1","access":"Deny","direction":"Inbound","priority":5000,"protocol":"Tcp"}}]"#
    );
    let loaded = load_texts(&[("rules.json".into(), priority)]);
    assert!(loaded.diagnostics.iter().any(|d| d.json_path.as_deref() == Some("$[0].priority")));
}

/// The body of a REST spec example's 200 response, verbatim, and the VNet its parameters name.
fn example_body(name: &str) -> (String, String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/reference/azure-samples/rest-api-specs/avnm")
        .join(name);
    let example: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let p = &example["parameters"];
    let vnet = format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Network/virtualNetworks/{}",
        p["subscriptionId"].as_str().unwrap(),
        p["resourceGroupName"].as_str().unwrap(),
        p["virtualNetworkName"].as_str().unwrap_or_default()
    );
    (example["responses"]["200"]["body"].to_string(), vnet)
}

/// §18.6: the per-VNet effective answers, wrapped as the README documents, read verbatim.
#[test]
fn effective_connectivity_example_in_its_wrapper() {
    let (body, vnet) = example_body("NetworkManagerEffectiveConnectivityConfigurationsList.json");
    let text = format!(r#"{{"virtualNetworkId": "{vnet}", "effectiveConnectivityConfigurations": {body}}}"#);
    let loaded = load_texts(&[("effective.json".into(), text)]);
    // The example's `skipToken` marks one page of the list (see the admin-rules example).
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["AvnmListIncomplete"], "{:?}", loaded.diagnostics);
    let avnm = &loaded.snapshot.avnm;
    let answer = avnm.effective_connectivity_of(&ArmId::new(&vnet)).expect("the VNet's answer");
    assert_eq!(answer.configurations.len(), 1);
    assert!(answer.configurations[0].0.as_str().ends_with("connectivityConfigurations/myTestConnectivityConfig"));
    assert!(answer.configurations[0].1[0].as_str().ends_with("networkGroups/group1"));
    // The entry stands in for the configuration, which the snapshot does not export.
    let c = &avnm.connectivity_configurations[0];
    assert_eq!((c.name.as_str(), &c.topology), ("myTestConnectivityConfig", &ConnectivityTopology::HubAndSpoke));
    assert!(c.applies_to[0].use_hub_gateway);
}

#[test]
fn effective_admin_rules_example_in_its_wrapper() {
    let (body, vnet) = example_body("NetworkManagerEffectiveSecurityAdminRulesList.json");
    let text = format!(r#"{{"effectiveSecurityAdminRules": {body}, "virtualNetworkId": "{vnet}"}}"#);
    let loaded = load_texts(&[("effective.json".into(), text)]);
    // The example's body carries a non-empty `skipToken`: one page of the VNet's list, said as
    // such (not as a Resource Graph page).
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["AvnmListIncomplete"], "{:?}", loaded.diagnostics);
    let d = &loaded.diagnostics[0];
    assert!(d.message.contains(&vnet) && d.message.contains("effective answer"), "{d:?}");
    assert_eq!(d.json_path.as_deref(), Some("$.effectiveSecurityAdminRules"), "{d:?}");
    assert!(d.hint.as_deref().unwrap().contains("skipToken"));
    let avnm = &loaded.snapshot.avnm;
    let answer = avnm.effective_admin_rules_of(&ArmId::new(&vnet)).expect("the VNet's answer");
    assert!(answer.rules[0].as_str().ends_with("/rules/SampleAdminRule"));
    let r = &avnm.admin_rules[0];
    assert_eq!(
        (r.name.as_str(), r.access, r.default_kind, r.flag.as_str()),
        ("SampleAdminRule", AdminAccess::Deny, true, "AllowVnetInbound")
    );
    // Without `virtualNetworkId` the answer cannot be placed: an error saying how to wrap it.
    let loaded = load_texts(&[("bare.json".into(), format!(r#"{{"effectiveSecurityAdminRules": {body}}}"#))]);
    let d = loaded.diagnostics.iter().find(|d| d.code == "AvnmEffectiveWithoutVnet").expect("diagnostic");
    assert!(d.hint.as_deref().unwrap().contains("virtualNetworkId"));
}

/// §18.6: the per-region active lists say where configurations are deployed.
#[test]
fn active_configuration_examples_record_deployments() {
    let connectivity = sample("NetworkManagerActiveConnectivityConfigurationsList.json");
    let d = &connectivity.snapshot.avnm.deployments;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].region, "westus");
    assert!(d[0].configuration.as_str().ends_with("connectivityConfigurations/myTestConnectivityConfig"));
    let c = &connectivity.snapshot.avnm.connectivity_configurations[0];
    assert_eq!(connectivity.snapshot.avnm.deployed_in(&c.id, "westus"), Some(true));
    assert_eq!(connectivity.snapshot.avnm.deployed_in(&c.id, "eastus"), Some(false));
    let rules = sample("NetworkManagerActiveSecurityAdminRulesList.json");
    let d = &rules.snapshot.avnm.deployments;
    assert!(d[0].configuration.as_str().ends_with("securityAdminConfigurations/myTestSecurityConfig"), "{d:?}");
    assert_eq!(rules.snapshot.avnm.admin_rules[0].name, "SampleAdminRule");
    // A configuration of another kind has no deployment state: assumed deployed.
    let other = ArmId::new(
        d[0].configuration
            .as_str()
            .replace("securityAdminConfigurations/myTestSecurityConfig", "routingConfigurations/r"),
    );
    assert_eq!(rules.snapshot.avnm.deployed_in(&other, "westus"), None);
}

/// A `listActive…` answer pages with `skipToken` in its body: the warning names the AVNM list,
/// not Resource Graph; a Resource Graph page (`data` with `$skipToken`) keeps its own.
#[test]
fn avnm_list_pages_are_not_called_resource_graph() {
    let (body, _) = example_body("NetworkManagerActiveConnectivityConfigurationsList.json");
    let loaded = load_texts(&[("active.json".into(), body.clone())]);
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["AvnmListIncomplete"], "{:?}", loaded.diagnostics);
    assert!(loaded.diagnostics[0].message.contains("AVNM `list…` answer"));
    assert_eq!(loaded.snapshot.avnm.deployments.len(), 1, "the page's entries are still read");
    // The last page (no token) is complete.
    let last = body.replace("\"FakeSkipTokenCode\"", "\"\"");
    assert!(load_texts(&[("last.json".into(), last)]).diagnostics.is_empty());
    let graph = r#"{"data": [], "$skipToken": "abc", "count": 0, "totalRecords": 2000}"#;
    let loaded = load_texts(&[("graph.json".into(), graph.into())]);
    assert!(loaded.diagnostics.iter().any(|d| d.code == "ResourceGraphIncomplete"), "{:?}", loaded.diagnostics);
}

/// §18.7: Terraform children a plan creates get `<parent>/<segment>/<name>` ids; azurerm's
/// `bgp_route_propagation_enabled` (false by default) means propagation disabled; a deployment
/// records each configuration in its location; a bad admin rule names its Terraform address.
#[test]
fn terraform_plan_children_and_deployments() {
    let config =
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkManagers/m/routingConfigurations/rc";
    let change = |ty: &str, name: &str, after: serde_json::Value| {
        serde_json::json!({"address": format!("{ty}.{name}"), "mode": "managed", "type": ty, "name": name,
            "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": {"id": true}}})
    };
    let plan = serde_json::json!({"format_version": "1.2", "terraform_version": "1.9.8", "planned_values": {},
        "configuration": {"root_module": {}}, "resource_changes": [
        change("azurerm_network_manager_routing_rule_collection", "c", serde_json::json!({"name": "spokes",
            "routing_configuration_id": config, "network_group_ids": ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkManagers/m/networkGroups/g"]})),
        change("azurerm_network_manager_routing_rule", "r", serde_json::json!({"name": "r1",
            "rule_collection_id": format!("{config}/ruleCollections/spokes"),
            "destination": [{"type": "AddressPrefix", "address": "10.9.0.0/16"}], "next_hop": [{"type": "NoNextHop"}]})),
        change("azurerm_network_manager_admin_rule", "bad", serde_json::json!({"name": "bad",
            "admin_rule_collection_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkManagers/m/securityAdminConfigurations/c/ruleCollections/rc",
            "action": "Block", "direction": "Inbound", "priority": 1, "protocol": "Tcp"})),
        change("azurerm_network_manager_deployment", "d", serde_json::json!({"network_manager_id": "m",
            "location": "westeurope", "scope_access": "Routing", "configuration_ids": [config]}))
    ]});
    let loaded = load_texts(&[("plan.json".into(), plan.to_string())]);
    let avnm = &loaded.snapshot.avnm;
    let c = &avnm.routing_rule_collections[0];
    assert_eq!(c.id.as_str(), format!("{config}/ruleCollections/spokes"));
    assert!(c.disable_bgp_route_propagation);
    let r = &avnm.routing_rules[0];
    assert_eq!(r.id.as_str(), format!("{config}/ruleCollections/spokes/rules/r1"));
    assert_eq!(r.next_hop_type, RouteNextHopType::None);
    assert_eq!(avnm.deployed_in(&ArmId::new(config), "westeurope"), Some(true));
    assert_eq!(avnm.deployed_in(&ArmId::new(config), "eastus"), Some(false));
    assert!(avnm.admin_rules.is_empty());
    let d = loaded.diagnostics.iter().find(|d| d.code == "InvalidAdminRule").expect("diagnostic");
    assert!(d.json_path.as_deref().unwrap().ends_with(".action"), "{d:?}");
}
