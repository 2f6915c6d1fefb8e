//! Unit tests of Terraform reading: provider generations, inline blocks, plans, references, bad input.

use serde_json::{Value, json};

use super::*;

const SUB: &str = "11111111-2222-3333-4444-555555555555";

fn id(rest: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Network/{rest}")
}

fn parse(text: &str) -> Pending {
    let mut p = Pending::new(0, "tf.json");
    crate::envelope::parse_text(text, &mut p).expect("the envelope parses");
    p
}

/// A `terraform show -json` state whose root module holds `resources`, each
/// `(address, values)`.
fn state(resources: &[(&str, Value)]) -> String {
    let list: Vec<Value> = resources
        .iter()
        .map(|(address, values)| {
            let addr = Address::parse(address).expect("address");
            json!({"address": address, "mode": "managed", "type": addr.rtype, "name": addr.name,
                   "provider_name": "registry.terraform.io/hashicorp/azurerm", "schema_version": 0,
                   "values": values, "sensitive_values": {}})
        })
        .collect();
    json!({"format_version": "1.0", "terraform_version": "1.9.8",
           "values": {"root_module": {"resources": list}}})
    .to_string()
}

fn change(address: &str, actions: &[&str], before: Value, after: Value, unknown: Value) -> Value {
    let addr = Address::parse(address).expect("address");
    json!({"address": address, "mode": "managed", "type": addr.rtype, "name": addr.name,
           "change": {"actions": actions, "before": before, "after": after, "after_unknown": unknown}})
}

fn plan(changes: Vec<Value>, configuration: Value) -> String {
    json!({"format_version": "1.2", "terraform_version": "1.9.8", "planned_values": {},
           "resource_changes": changes, "configuration": configuration})
    .to_string()
}

fn codes(p: &Pending) -> Vec<&'static str> {
    p.diagnostics.iter().map(|d| d.code).collect()
}

fn vnet(name: &str, space: &str) -> Value {
    json!({"id": id(&format!("virtualNetworks/{name}")), "name": name, "resource_group_name": "rg",
           "location": "westeurope", "address_space": [space]})
}

#[test]
fn provider_3x_and_4x_attribute_names_mean_the_same() {
    let v3 = state(&[
        ("azurerm_virtual_network.v", vnet("v", "10.0.0.0/16")),
        (
            "azurerm_subnet.old",
            json!({"id": id("virtualNetworks/v/subnets/old"), "name": "old",
            "address_prefix": "10.0.1.0/24", "enforce_private_link_endpoint_network_policies": false}),
        ),
        (
            "azurerm_subnet.off",
            json!({"id": id("virtualNetworks/v/subnets/off"), "name": "off",
            "address_prefixes": ["10.0.2.0/24"], "private_endpoint_network_policies_enabled": false,
            "enforce_private_link_endpoint_network_policies": true}),
        ),
        (
            "azurerm_network_interface.n",
            json!({"id": id("networkInterfaces/n"), "name": "n",
            "enable_ip_forwarding": true,
            "ip_configuration": [{"name": "c", "subnet_id": id("virtualNetworks/v/subnets/old"), "private_ip_address": "10.0.1.4"}]}),
        ),
        (
            "azurerm_route_table.r",
            json!({"id": id("routeTables/r"), "name": "r", "disable_bgp_route_propagation": true, "route": []}),
        ),
        (
            "azurerm_virtual_network_gateway.g",
            json!({"id": id("virtualNetworkGateways/g"), "name": "g", "type": "Vpn", "enable_bgp": true}),
        ),
    ]);
    let v4 = state(&[
        ("azurerm_virtual_network.v", vnet("v", "10.0.0.0/16")),
        (
            "azurerm_subnet.old",
            json!({"id": id("virtualNetworks/v/subnets/old"), "name": "old",
            "address_prefixes": ["10.0.1.0/24"], "private_endpoint_network_policies": "Enabled"}),
        ),
        (
            "azurerm_subnet.off",
            json!({"id": id("virtualNetworks/v/subnets/off"), "name": "off",
            "address_prefixes": ["10.0.2.0/24"], "private_endpoint_network_policies": "Disabled"}),
        ),
        (
            "azurerm_network_interface.n",
            json!({"id": id("networkInterfaces/n"), "name": "n",
            "ip_forwarding_enabled": true,
            "ip_configuration": [{"name": "c", "subnet_id": id("virtualNetworks/v/subnets/old"), "private_ip_address": "10.0.1.4"}]}),
        ),
        (
            "azurerm_route_table.r",
            json!({"id": id("routeTables/r"), "name": "r", "bgp_route_propagation_enabled": false, "route": []}),
        ),
        (
            "azurerm_virtual_network_gateway.g",
            json!({"id": id("virtualNetworkGateways/g"), "name": "g", "type": "Vpn", "bgp_enabled": true}),
        ),
    ]);
    for (version, text) in [("3.x", v3), ("4.x", v4)] {
        let p = parse(&text);
        assert!(p.diagnostics.is_empty(), "{version}: {:?}", p.diagnostics);
        let subnet = |name: &str| &p.subnets.iter().find(|s| s.item.name == name).expect(name).item;
        assert_eq!(subnet("old").prefixes, vec!["10.0.1.0/24".parse::<IpNet>().unwrap()], "{version}");
        assert_eq!(
            subnet("old").private_endpoint_network_policies,
            PrivateEndpointNetworkPolicies::Enabled,
            "{version}: enforce_… = false and the 4.x string both mean Enabled"
        );
        assert_eq!(
            subnet("off").private_endpoint_network_policies,
            PrivateEndpointNetworkPolicies::Disabled,
            "{version}"
        );
        assert!(p.nics[0].ip_forwarding, "{version}");
        assert!(p.route_tables[0].disable_bgp_route_propagation, "{version}: inverted in 4.x");
        assert!(p.gateways[0].bgp_enabled, "{version}");
        assert_eq!(p.resources_read, 6, "{version}");
    }
    // 4.x's default (propagation enabled) and an explicit true both leave it on.
    for values in
        [json!({}), json!({"bgp_route_propagation_enabled": true}), json!({"disable_bgp_route_propagation": false})]
    {
        let mut v = json!({"id": id("routeTables/r"), "name": "r"});
        v.as_object_mut().unwrap().extend(values.as_object().unwrap().clone());
        let p = parse(&state(&[("azurerm_route_table.r", v)]));
        assert!(!p.route_tables[0].disable_bgp_route_propagation);
    }
    // The 4.x policy values beyond Enabled/Disabled.
    let p = parse(&state(&[(
        "azurerm_subnet.s",
        json!({"id": id("virtualNetworks/v/subnets/s"), "name": "s",
        "address_prefixes": ["10.0.3.0/24"], "private_endpoint_network_policies": "RouteTableEnabled"}),
    )]));
    assert_eq!(p.subnets[0].item.private_endpoint_network_policies, PrivateEndpointNetworkPolicies::RouteTableEnabled);
}

#[test]
fn inline_blocks_and_separate_resources_merge_by_name() {
    let rt = id("routeTables/rt");
    let nsg = id("networkSecurityGroups/nsg");
    let mut hub = vnet("v", "10.0.0.0/16");
    // 4.x inline subnets carry their route table and NSG; one is also an azurerm_subnet.
    hub["subnet"] = json!([
        {"id": id("virtualNetworks/v/subnets/a"), "name": "a", "address_prefixes": ["10.0.1.0/24"],
         "route_table_id": rt, "security_group": nsg},
        {"id": id("virtualNetworks/v/subnets/b"), "name": "b", "address_prefixes": ["10.0.2.0/24"],
         "route_table_id": "", "security_group": ""},
    ]);
    let p = parse(&state(&[
        ("azurerm_virtual_network.v", hub),
        (
            "azurerm_subnet.a",
            json!({"id": id("virtualNetworks/v/subnets/a"), "name": "a", "address_prefixes": ["10.0.1.0/24"],
            "service_endpoints": ["Microsoft.Sql"]}),
        ),
        (
            "azurerm_subnet_route_table_association.b",
            json!({"id": id("virtualNetworks/v/subnets/b"),
            "subnet_id": id("virtualNetworks/v/subnets/b"), "route_table_id": rt}),
        ),
        // The table's computed `route` set also lists the azurerm_route; in no particular order.
        (
            "azurerm_route_table.rt",
            json!({"id": rt, "name": "rt", "route": [
                {"name": "zeta", "address_prefix": "10.9.0.0/16", "next_hop_type": "vnetlocal", "next_hop_in_ip_address": ""},
                {"name": "alpha", "address_prefix": "0.0.0.0/0", "next_hop_type": "Internet", "next_hop_in_ip_address": ""},
                {"name": "mid", "address_prefix": "10.8.0.0/16", "next_hop_type": "VirtualAppliance", "next_hop_in_ip_address": "10.0.1.4"},
            ]}),
        ),
        (
            "azurerm_route.mid",
            json!({"id": format!("{rt}/routes/mid"), "name": "mid", "route_table_name": "rt",
            "resource_group_name": "rg", "address_prefix": "10.8.0.0/16", "next_hop_type": "VirtualAppliance",
            "next_hop_in_ip_address": "10.0.1.4"}),
        ),
        (
            "azurerm_network_security_group.nsg",
            json!({"id": nsg, "name": "nsg", "security_rule": [
                {"name": "in", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                 "source_address_prefix": "", "source_address_prefixes": ["10.1.0.0/16", "10.2.0.0/16"],
                 "destination_address_prefix": "*", "source_port_range": "*", "destination_port_range": "",
                 "destination_port_ranges": ["80", "443"]},
            ]}),
        ),
        (
            "azurerm_network_security_rule.out",
            json!({"id": format!("{nsg}/securityRules/out"), "name": "out",
            "network_security_group_name": "nsg", "resource_group_name": "rg", "priority": 4000, "direction": "Outbound",
            "access": "Deny", "protocol": "*", "source_address_prefix": "*", "destination_address_prefix": "Internet",
            "source_port_range": "*", "destination_port_range": "*"}),
        ),
    ]));
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.subnets.len(), 2);
    let a = &p.subnets.iter().find(|s| s.item.name == "a").unwrap().item;
    assert_eq!(a.route_table.as_ref().and_then(|l| l.missing()).map(|i| i.key()), Some(normalize_id(&rt)));
    assert_eq!(a.nsg.as_ref().and_then(|l| l.missing()).map(|i| i.key()), Some(normalize_id(&nsg)));
    assert_eq!(a.service_endpoints[0].service, "Microsoft.Sql", "the azurerm_subnet's own fields win");
    let b = &p.subnets.iter().find(|s| s.item.name == "b").unwrap().item;
    assert!(b.route_table.is_some() && b.nsg.is_none(), "the association links b");
    let names: Vec<&str> = p.route_tables[0].routes.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["alpha", "mid", "zeta"], "one route per name, in name order");
    assert_eq!(p.route_tables[0].routes[2].next_hop_type, RouteNextHopType::VnetLocal);
    assert!(p.routes.is_empty());
    let rules = &p.nsgs[0].rules;
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[0].sources.len(), 2);
    assert_eq!(rules[0].destination_ports.len(), 2);
    assert_eq!(rules[1].destinations, vec![AddressPattern::Tag("Internet".into())]);
}

/// A plan that creates a VNet, a subnet (in a module instance with a `for_each` key) and a
/// NIC in the root module that reaches the subnet through the module's output.
fn module_plan(nic_reference: &str) -> String {
    let unknown_id = json!({"id": true});
    plan(
        vec![
            change(
                "azurerm_resource_group.rg",
                &["no-op"],
                json!({}),
                json!({"id": format!("/subscriptions/{SUB}/resourceGroups/rg"), "name": "rg"}),
                json!({}),
            ),
            change(
                "module.net[\"a\"].azurerm_virtual_network.this",
                &["create"],
                Value::Null,
                json!({"name": "v", "resource_group_name": "rg", "location": "westeurope", "address_space": ["10.5.0.0/16"]}),
                json!({"id": true, "subnet": true}),
            ),
            change(
                "module.net[\"a\"].azurerm_subnet.app[0]",
                &["create"],
                Value::Null,
                json!({"name": "app", "resource_group_name": "rg", "virtual_network_name": "v", "address_prefixes": ["10.5.1.0/24"]}),
                unknown_id.clone(),
            ),
            change(
                "azurerm_network_interface.nic",
                &["create"],
                Value::Null,
                json!({"name": "nic", "resource_group_name": "rg", "location": "westeurope",
                       "ip_configuration": [{"name": "c", "private_ip_address": "10.5.1.4"}]}),
                json!({"id": true, "ip_configuration": [{"subnet_id": true}]}),
            ),
            change(
                "azurerm_linux_virtual_machine.vm",
                &["create"],
                Value::Null,
                json!({"name": "vm", "resource_group_name": "rg", "network_interface_ids": [null]}),
                json!({"id": true, "network_interface_ids": [true]}),
            ),
        ],
        json!({"root_module": {
            "resources": [
                {"address": "azurerm_network_interface.nic", "mode": "managed", "type": "azurerm_network_interface", "name": "nic",
                 "expressions": {"ip_configuration": [{"name": {"constant_value": "c"},
                    "subnet_id": {"references": [nic_reference, "module.net"]}}]}},
                {"address": "azurerm_linux_virtual_machine.vm", "mode": "managed", "type": "azurerm_linux_virtual_machine", "name": "vm",
                 "expressions": {"network_interface_ids": {"references": ["azurerm_network_interface.nic.id", "azurerm_network_interface.nic"]}}}
            ],
            "module_calls": {"net": {"source": "./net",
                "expressions": {"resource_group_name": {"references": ["azurerm_resource_group.rg.name", "azurerm_resource_group.rg"]}},
                "module": {
                    "outputs": {"subnet_id": {"expression": {"references": ["azurerm_subnet.app[0].id", "azurerm_subnet.app[0]", "azurerm_subnet.app"]}}},
                    "resources": [{"address": "azurerm_subnet.app", "mode": "managed", "type": "azurerm_subnet", "name": "app",
                        "expressions": {"virtual_network_name": {"references": ["azurerm_virtual_network.this.name", "azurerm_virtual_network.this"]}}}]
                }}}
        }}),
    )
}

#[test]
fn unknown_ids_are_synthesised_and_followed_through_module_outputs() {
    let p = parse(&module_plan("module.net[\"a\"].subnet_id"));
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let subnet = format!("{}/subnets/app", id("virtualNetworks/v"));
    assert_eq!(p.subnets[0].key, normalize_id(&subnet), "subscription taken from a known id");
    let nic = &p.nics[0];
    assert_eq!(nic.id.as_str(), id("networkInterfaces/nic"));
    assert_eq!(
        nic.ip_configs[0].subnet.as_ref().and_then(|l| l.missing()).map(|i| i.key()),
        Some(normalize_id(&subnet))
    );
    assert_eq!(p.vms[0].nics, vec![Link::Missing(ArmId::new(id("networkInterfaces/nic")))]);
}

#[test]
fn unresolved_references_name_the_terraform_address() {
    // The output is of another module instance, which the plan does not have.
    let p = parse(&module_plan("module.net[\"b\"].subnet_id"));
    let d = p.diagnostics.iter().find(|d| d.code == "TerraformUnresolvedReference").expect("an unresolved reference");
    assert!(d.message.contains("`azurerm_network_interface.nic`"), "{d}");
    assert!(d.message.contains("ip_configuration[0].subnet_id"), "{d}");
    assert!(d.message.contains("module.net[\"b\"].subnet_id"), "{d}");
    assert_eq!(d.json_path.as_deref(), Some("$.resource_changes[3].change.after.ip_configuration[0].subnet_id"));
    assert_eq!(d.severity, crate::diag::Severity::Warning);
    assert!(p.nics[0].ip_configs[0].subnet.is_none(), "no guessed link");
    // Locals are not in the configuration representation.
    let p = parse(&module_plan("local.subnet_id"));
    assert_eq!(codes(&p), ["TerraformUnresolvedReference"]);
}

#[test]
fn unknown_parent_names_and_inline_subnets_follow_references() {
    let p = parse(&plan(
        vec![
            change(
                "azurerm_virtual_network.v",
                &["create"],
                Value::Null,
                json!({"name": "v", "resource_group_name": "rg", "address_space": ["10.6.0.0/16"],
                       "subnet": [{"name": "only", "address_prefixes": ["10.6.1.0/24"]}]}),
                json!({"id": true, "subnet": [{"id": true, "route_table_id": true}]}),
            ),
            change(
                "azurerm_route_table.rt",
                &["create"],
                Value::Null,
                json!({"name": "rt", "resource_group_name": "rg", "route": []}),
                json!({"id": true}),
            ),
            change(
                "azurerm_virtual_network_peering.p",
                &["create"],
                Value::Null,
                json!({"name": "p", "resource_group_name": "rg", "remote_virtual_network_id": id("virtualNetworks/other")}),
                json!({"id": true, "virtual_network_name": true}),
            ),
            change(
                "azurerm_network_interface.nic",
                &["create"],
                Value::Null,
                json!({"name": "nic", "resource_group_name": "rg", "ip_configuration": [{"name": "c"}]}),
                json!({"id": true, "ip_configuration": [{"subnet_id": true}]}),
            ),
        ],
        json!({"root_module": {"resources": [
            {"address": "azurerm_virtual_network.v", "mode": "managed", "type": "azurerm_virtual_network", "name": "v",
             "expressions": {"subnet": [{"name": {"constant_value": "only"},
                "route_table_id": {"references": ["azurerm_route_table.rt.id", "azurerm_route_table.rt"]}}]}},
            {"address": "azurerm_virtual_network_peering.p", "mode": "managed", "type": "azurerm_virtual_network_peering", "name": "p",
             "expressions": {"virtual_network_name": {"references": ["azurerm_virtual_network.v.name", "azurerm_virtual_network.v"]}}},
            {"address": "azurerm_network_interface.nic", "mode": "managed", "type": "azurerm_network_interface", "name": "nic",
             "expressions": {"ip_configuration": [{"subnet_id": {"references": ["azurerm_virtual_network.v.subnet", "azurerm_virtual_network.v"]}}]}}
        ]}}),
    ));
    // No known id names a subscription: the placeholder, said once.
    assert_eq!(codes(&p), ["TerraformPlaceholderSubscription"]);
    let vnet = format!(
        "/subscriptions/{UNKNOWN_SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"
    );
    assert_eq!(p.peerings[0].parent, normalize_id(&vnet), "parent named by reference");
    assert_eq!(p.subnets[0].item.id.as_str(), format!("{vnet}/subnets/only"));
    assert!(p.subnets[0].item.route_table.is_some());
    assert_eq!(
        p.nics[0].ip_configs[0].subnet.as_ref().and_then(|l| l.missing()).map(|i| i.key()),
        Some(normalize_id(&format!("{vnet}/subnets/only"))),
        "a VNet's only inline subnet"
    );
    // Without a name or resource group, no id can be told.
    let p = parse(&plan(
        vec![change(
            "azurerm_network_interface.nic",
            &["create"],
            Value::Null,
            json!({"resource_group_name": "rg"}),
            json!({"id": true, "name": true}),
        )],
        json!({}),
    ));
    assert_eq!(codes(&p), ["MissingId"]);
    assert!(p.diagnostics[0].message.contains("azurerm_network_interface.nic"));
    assert!(p.nics.is_empty());
}

#[test]
fn plan_deletions_are_recorded_but_not_replacements_or_associations() {
    let rt = id("routeTables/old");
    let nic = id("networkInterfaces/n");
    let p = parse(&plan(
        vec![
            change("azurerm_route_table.old", &["delete"], json!({"id": rt, "name": "old"}), Value::Null, Value::Null),
            change(
                "azurerm_network_interface.n",
                &["delete", "create"],
                json!({"id": nic, "name": "n"}),
                json!({"name": "n", "resource_group_name": "rg", "ip_configuration": []}),
                json!({"id": true}),
            ),
            change(
                "azurerm_subnet_route_table_association.a",
                &["delete"],
                json!({"id": id("virtualNetworks/v/subnets/s"), "subnet_id": id("virtualNetworks/v/subnets/s"), "route_table_id": rt}),
                Value::Null,
                Value::Null,
            ),
            json!({"address": "azurerm_subnet.s", "mode": "managed", "type": "azurerm_subnet", "name": "s", "deposed": "00a1b2c3",
                   "change": {"actions": ["delete"], "before": {"id": id("virtualNetworks/v/subnets/s")}, "after": null}}),
        ],
        json!({}),
    ));
    assert_eq!(p.deleted, vec![normalize_id(&rt)]);
    assert_eq!(p.nics.len(), 1, "the replacement is read from its after-value");
    assert_eq!(normalize_id(p.nics[0].id.as_str()), normalize_id(&nic));
    assert!(p.route_tables.is_empty());
    // A deleted route is gone from its table, though the table's computed `route` set still
    // lists it in the plan.
    let table = id("routeTables/t");
    let p = parse(&plan(
        vec![
            change(
                "azurerm_route_table.t",
                &["no-op"],
                Value::Null,
                json!({"id": table, "name": "t", "route": [
                {"name": "keep", "address_prefix": "10.1.0.0/16", "next_hop_type": "None"},
                {"name": "gone", "address_prefix": "10.2.0.0/16", "next_hop_type": "None"}]}),
                json!({}),
            ),
            change(
                "azurerm_route.gone",
                &["delete"],
                json!({"id": format!("{table}/routes/gone")}),
                Value::Null,
                Value::Null,
            ),
        ],
        json!({}),
    ));
    let names: Vec<&str> = p.route_tables[0].routes.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["keep"]);
}

#[test]
fn peering_state_comes_from_the_reverse_peering() {
    let peering = |from: &str, to: &str| {
        json!({"id": id(&format!("virtualNetworks/{from}/virtualNetworkPeerings/{from}-{to}")), "name": format!("{from}-{to}"),
               "virtual_network_name": from, "resource_group_name": "rg",
               "remote_virtual_network_id": id(&format!("virtualNetworks/{to}")), "allow_gateway_transit": true})
    };
    let p = parse(&state(&[
        ("azurerm_virtual_network.a", vnet("a", "10.1.0.0/16")),
        ("azurerm_virtual_network.b", vnet("b", "10.2.0.0/16")),
        ("azurerm_virtual_network_peering.ab", peering("a", "b")),
        ("azurerm_virtual_network_peering.ba", peering("b", "a")),
        ("azurerm_virtual_network_peering.ac", peering("a", "c")),
    ]));
    let state_of = |name: &str| p.peerings.iter().find(|x| x.item.name == name).unwrap();
    assert_eq!(state_of("a-b").item.state, PeeringState::Connected);
    assert_eq!(state_of("b-a").item.state, PeeringState::Connected);
    assert_eq!(
        state_of("a-b").item.remote_address_space,
        vec!["10.2.0.0/16".parse::<IpNet>().unwrap()],
        "the remote VNet's space"
    );
    assert!(state_of("a-b").item.allow_gateway_transit && state_of("a-b").item.allow_virtual_network_access);
    assert_eq!(state_of("a-c").item.state, PeeringState::Initiated);
    assert!(state_of("a-c").item.remote_address_space.is_empty(), "remote VNet not in the input");
    assert_eq!(p.unpaired_peerings.len(), 1);
    assert!(p.unpaired_peerings[0].address.ends_with("peering.ac"));
}

#[test]
fn raw_state_files_are_read() {
    let text = json!({"version": 4, "terraform_version": "1.5.7", "serial": 12, "lineage": "0c4f2a3e", "outputs": {},
        "resources": [
            {"mode": "managed", "type": "azurerm_virtual_network", "name": "v",
             "provider": "provider[\"registry.terraform.io/hashicorp/azurerm\"]",
             "instances": [{"schema_version": 0, "attributes": vnet("v", "10.0.0.0/16"), "sensitive_attributes": []}]},
            {"module": "module.net", "mode": "managed", "type": "azurerm_subnet", "name": "s",
             "instances": [
                {"index_key": 0, "attributes": {"id": id("virtualNetworks/v/subnets/s0"), "name": "s0", "address_prefixes": ["10.0.0.0/24"]}},
                {"index_key": "x", "attributes": {"id": id("virtualNetworks/v/subnets/s1"), "name": "s1", "address_prefixes": ["10.0.1.0/24"]}}
             ]},
            {"mode": "data", "type": "azurerm_client_config", "name": "current", "instances": [{"attributes": {"id": "x"}}]}
        ]})
    .to_string();
    let p = parse(&text);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!((p.vnets.len(), p.subnets.len()), (1, 2));
    let old = json!({"version": 3, "terraform_version": "0.11.14", "lineage": "x", "modules": [], "resources": []})
        .to_string();
    assert_eq!(codes(&parse(&old)), ["TerraformUnsupportedFormat"]);
}

#[test]
fn wrong_types_name_the_json_path_and_cost_only_their_resource() {
    let mut bad = vnet("bad", "10.0.0.0/16");
    bad["address_space"] = json!("10.0.0.0/16");
    let p = parse(&state(&[
        ("azurerm_virtual_network.bad", bad),
        ("azurerm_virtual_network.good", vnet("good", "10.1.0.0/16")),
        (
            "azurerm_network_security_group.n",
            json!({"id": id("networkSecurityGroups/n"), "name": "n",
            "security_rule": [{"name": "r", "priority": "100"}]}),
        ),
        (
            "azurerm_subnet.s",
            json!({"id": id("virtualNetworks/good/subnets/s"), "name": "s", "address_prefixes": ["10.1.1.300/24"]}),
        ),
    ]));
    let wrong: Vec<&Diagnostic> = p.diagnostics.iter().filter(|d| d.code == "WrongType").collect();
    assert_eq!(wrong.len(), 2, "{:?}", p.diagnostics);
    assert_eq!(wrong[0].json_path.as_deref(), Some("$.values.root_module.resources[0].values.address_space"));
    assert!(wrong[0].message.contains("`azurerm_virtual_network.bad`"), "{}", wrong[0]);
    assert!(wrong[0].message.contains("line 1 column"), "{}", wrong[0]);
    assert_eq!(
        wrong[1].json_path.as_deref(),
        Some("$.values.root_module.resources[2].values.security_rule[0].priority")
    );
    let invalid = p.diagnostics.iter().find(|d| d.code == "InvalidPrefix").expect("InvalidPrefix");
    assert_eq!(invalid.json_path.as_deref(), Some("$.values.root_module.resources[3].values.address_prefixes"));
    assert_eq!(p.vnets.len(), 1, "the good VNet is still read");
    // In a plan, the path runs through the change's after-value.
    let p = parse(&plan(
        vec![change(
            "azurerm_network_interface.n",
            &["create"],
            Value::Null,
            json!({"name": "n", "resource_group_name": "rg", "ip_forwarding_enabled": "yes"}),
            json!({"id": true}),
        )],
        json!({}),
    ));
    assert_eq!(p.diagnostics[0].json_path.as_deref(), Some("$.resource_changes[0].change.after.ip_forwarding_enabled"));
}

#[test]
fn malformed_terraform_never_panics() {
    let deep_modules = format!(
        "{{\"format_version\":\"1.0\",\"values\":{{\"root_module\":{}{{}}{}}}}}",
        "{\"child_modules\":[".repeat(300),
        "]}".repeat(300)
    );
    let cyclic_vars = json!({"format_version": "1.2", "resource_changes": [
            {"address": "module.m.azurerm_network_interface.n", "type": "azurerm_network_interface",
             "change": {"actions": ["create"], "after": {"name": "n", "resource_group_name": "rg", "ip_configuration": [{}]},
                        "after_unknown": {"id": true, "ip_configuration": [{"subnet_id": true}]}}}],
        "configuration": {"root_module": {"module_calls": {"m": {
            "expressions": {"x": {"references": ["module.m.out", "module.m.out", "module.m.out"]}},
            "module": {"outputs": {"out": {"expression": {"references": ["var.x", "var.x", "var.x"]}}},
                "resources": [{"address": "azurerm_network_interface.n", "mode": "managed",
                    "expressions": {"ip_configuration": [{"subnet_id": {"references": ["var.x", "var.x"]}}]}}]}}}}}})
    .to_string();
    let cases = [
        r#"{"format_version": 1}"#.to_string(),
        r#"{"format_version": "2.0", "values": {}}"#.to_string(),
        r#"{"format_version": "1.0", "values": {"root_module": []}}"#.to_string(),
        r#"{"terraform_version": "1", "values": {"root_module": {"child_modules": 5, "resources": [7, null, {"values": 3}]}}}"#.to_string(),
        r#"{"format_version": "1.2", "resource_changes": {}}"#.to_string(),
        r#"{"format_version": "1.2", "resource_changes": [5, null, {"address": "!!", "change": {"after": {}}}, {"change": {"actions": "delete"}}]}"#.to_string(),
        r#"{"format_version": "1.2", "resource_changes": [{"address": "azurerm_route_table.r", "type": "azurerm_route_table", "change": {"actions": ["delete"], "before": {"id": 5}}}]}"#.to_string(),
        r#"{"format_version": "1.2", "resource_changes": [{"address": "azurerm_subnet.s", "type": "azurerm_subnet", "change": {"actions": ["create"], "after": {"name": "s"}}}], "configuration": {"root_module": 7}}"#.to_string(),
        r#"{"lineage": "x", "version": 4, "resources": [{"instances": [{"attributes": null}, {"index_key": [1], "attributes": {}}]}]}"#.to_string(),
        r#"{"terraform_version": "1.9.8", "values": {"root_module": {"resources": [{"address": "module.[.x", "values": {}}]}}}"#.to_string(),
        r#"{"format_version": "1.0"}"#.to_string(),
        deep_modules,
        cyclic_vars,
    ];
    for text in &cases {
        let mut p = Pending::new(0, "tf.json");
        let _ = crate::envelope::parse_text(text, &mut p);
    }
    assert!(codes(&parse(&cases[0])).contains(&"WrongType"));
    assert!(codes(&parse(&cases[1])).contains(&"TerraformUnsupportedFormat"));
    assert!(codes(&parse(&cases[10])).contains(&"TerraformEmpty"));
    assert!(codes(&parse(&cases[11])).contains(&"NestingTooDeep"));
    assert!(codes(&parse(&cases[12])).contains(&"TerraformUnresolvedReference"));
    // Every truncation of a real plan is an error, never a panic.
    let fixture = module_plan("module.net[\"a\"].subnet_id");
    for end in (0..fixture.len()).step_by(7) {
        let mut p = Pending::new(0, "tf.json");
        let _ = crate::envelope::parse_text(&fixture[..end], &mut p);
    }
}

#[test]
fn addresses_and_references_are_split_into_steps() {
    let a = Address::parse("module.spoke[\"a.b\"].module.inner[0].data.azurerm_subnet.s[\"x\"]").unwrap();
    assert_eq!(
        a.module,
        vec![("spoke".to_string(), Some("\"a.b\"".to_string())), ("inner".to_string(), Some("0".to_string()))]
    );
    assert!(a.data);
    assert_eq!(a.local(), "data.azurerm_subnet.s");
    assert_eq!(a.instance_key(), "module.spoke[\"a.b\"].module.inner[0].data.azurerm_subnet.s[\"x\"]");
    assert!(Address::parse("module.m").is_none());
    assert!(parse_steps("a..b").is_none());
    assert!(parse_steps("a[\"unterminated").is_none());
    assert_eq!(
        parse_steps("azurerm_subnet.app[0].id").unwrap(),
        vec![
            Step::Name("azurerm_subnet".into()),
            Step::Name("app".into()),
            Step::Index("0".into()),
            Step::Name("id".into())
        ]
    );
}

fn dns_servers(p: &Pending) -> Vec<String> {
    p.vnets[0].dns_servers.iter().map(|ip| ip.to_string()).collect()
}

/// §16.7: `dns_servers` of `azurerm_virtual_network` (3.x and 4.x alike), and the separate
/// `azurerm_virtual_network_dns_servers`, which replaces what the VNet says.
#[test]
fn vnet_dns_servers_inline_and_as_their_own_resource() {
    let inline = parse(&state(&[(
        "azurerm_virtual_network.v",
        json!({"id": id("virtualNetworks/v"), "name": "v", "address_space": ["10.0.0.0/16"], "dns_servers": ["10.0.1.4"]}),
    )]));
    assert!(inline.diagnostics.is_empty(), "{:?}", inline.diagnostics);
    assert_eq!(dns_servers(&inline), ["10.0.1.4"]);
    let separate = parse(&state(&[
        (
            "azurerm_virtual_network.v",
            json!({"id": id("virtualNetworks/v"), "name": "v", "address_space": ["10.0.0.0/16"], "dns_servers": []}),
        ),
        (
            "azurerm_virtual_network_dns_servers.v",
            json!({"id": format!("{}/dnsServers/default", id("virtualNetworks/v")),
                   "virtual_network_id": id("virtualNetworks/v"), "dns_servers": ["10.0.1.4", "10.0.1.5"]}),
        ),
    ]));
    assert!(separate.diagnostics.is_empty(), "{:?}", separate.diagnostics);
    assert_eq!(dns_servers(&separate), ["10.0.1.4", "10.0.1.5"]);
    let bad = parse(&state(&[(
        "azurerm_virtual_network.v",
        json!({"id": id("virtualNetworks/v"), "name": "v", "address_space": ["10.0.0.0/16"], "dns_servers": ["resolver"]}),
    )]));
    assert_eq!(codes(&bad), ["InvalidIpAddress"]);
    assert!(dns_servers(&bad).is_empty());
}

/// A plan that creates the VNet and its DNS servers: the resource's `virtual_network_id` is
/// unknown and followed through the configuration's reference.
#[test]
fn planned_vnet_dns_servers_follow_the_reference_to_their_vnet() {
    let p = parse(&plan(
        vec![
            change(
                "azurerm_virtual_network.hub",
                &["create"],
                Value::Null,
                json!({"name": "hub", "resource_group_name": "rg", "location": "westeurope", "address_space": ["10.0.0.0/16"], "dns_servers": []}),
                json!({"id": true}),
            ),
            change(
                "azurerm_virtual_network_dns_servers.hub",
                &["create"],
                Value::Null,
                json!({"dns_servers": ["10.0.1.4"]}),
                json!({"id": true, "virtual_network_id": true}),
            ),
        ],
        json!({"root_module": {"resources": [
            {"address": "azurerm_virtual_network_dns_servers.hub", "mode": "managed",
             "type": "azurerm_virtual_network_dns_servers", "name": "hub",
             "expressions": {"virtual_network_id": {"references": ["azurerm_virtual_network.hub.id", "azurerm_virtual_network.hub"]}}}
        ]}}),
    ));
    assert_eq!(dns_servers(&p), ["10.0.1.4"]);
}

/// A rule collection priority outside 100–65000 is reported and ordered last, as in ARM JSON
/// (azurerm documents the same range).
#[test]
fn firewall_priorities_outside_the_range_are_reported() {
    let policy = id("firewallPolicies/p");
    let p = parse(&state(&[(
        "azurerm_firewall_policy_rule_collection_group.g",
        json!({"id": format!("{policy}/ruleCollectionGroups/g"), "name": "g", "firewall_policy_id": policy,
               "priority": 70000, "network_rule_collection": [{"name": "c", "action": "Deny", "priority": 50, "rule": []}]}),
    )]));
    let paths: Vec<_> = p.diagnostics.iter().map(|d| (d.code, d.json_path.clone().unwrap_or_default())).collect();
    assert_eq!(
        paths,
        [
            (
                "InvalidFirewallValue",
                "$.values.root_module.resources[0].values.network_rule_collection[0].priority".into()
            ),
            ("InvalidFirewallValue", "$.values.root_module.resources[0].values.priority".into()),
        ]
    );
    let group = &p.rule_collection_groups[0].item;
    assert_eq!((group.priority, group.collections[0].priority), (None, None));
}

/// A plan creating a VPN site and its connection: `vpn_link[].vpn_site_link_id` is unknown and
/// followed through the configuration to the site's `link` block it names (`link[1]`), with the
/// id Azure will assign it (§20.1); without references it is reported, not guessed.
#[test]
fn plan_vpn_link_follows_the_new_sites_link() {
    let gateway = id("vpnGateways/gw");
    let site = id("vpnSites/s");
    let plan_with = |references: Value| {
        plan(
            vec![
                change(
                    "azurerm_vpn_gateway.gw",
                    &["no-op"],
                    Value::Null,
                    json!({"id": gateway, "name": "gw", "resource_group_name": "rg", "location": "westeurope"}),
                    json!({}),
                ),
                change(
                    "azurerm_vpn_site.s",
                    &["create"],
                    Value::Null,
                    json!({"name": "s", "resource_group_name": "rg", "location": "westeurope", "address_cidrs": ["192.168.10.0/24"],
                           "link": [{"name": "link-a", "ip_address": "198.51.100.10"}, {"name": "link-b", "ip_address": "198.51.100.11"}]}),
                    json!({"id": true, "link": [{"id": true}, {"id": true}]}),
                ),
                change(
                    "azurerm_vpn_gateway_connection.c",
                    &["create"],
                    Value::Null,
                    json!({"name": "c", "vpn_gateway_id": gateway, "vpn_link": [{"name": "to-b", "bgp_enabled": false}]}),
                    json!({"id": true, "remote_vpn_site_id": true, "vpn_link": [{"vpn_site_link_id": true}]}),
                ),
            ],
            json!({"root_module": {"resources": [{"address": "azurerm_vpn_gateway_connection.c", "mode": "managed",
                "expressions": {"remote_vpn_site_id": {"references": ["azurerm_vpn_site.s.id", "azurerm_vpn_site.s"]},
                    "vpn_link": [{"name": {"constant_value": "to-b"}, "vpn_site_link_id": {"references": references}}]}}]}}),
        )
    };
    let linked = parse(&plan_with(json!([
        "azurerm_vpn_site.s.link[1].id",
        "azurerm_vpn_site.s.link[1]",
        "azurerm_vpn_site.s.link",
        "azurerm_vpn_site.s"
    ])));
    assert!(linked.diagnostics.is_empty(), "{:?}", linked.diagnostics);
    let connection = &linked.vpn_gateways[0].connections[0];
    assert_eq!(connection.remote_vpn_site.as_ref().map(ArmId::as_str), Some(site.as_str()));
    assert_eq!(connection.site_links, [ArmId::new(format!("{site}/vpnSiteLinks/link-b"))]);
    assert_eq!(linked.vpn_sites[0].links[1].id, connection.site_links[0], "the site's own link has that id");
    // A reference to the site alone names its link only when it has one.
    let ambiguous = parse(&plan_with(json!(["azurerm_vpn_site.s"])));
    assert!(ambiguous.vpn_gateways[0].connections[0].site_links.is_empty());
    assert_eq!(codes(&ambiguous), ["TerraformUnresolvedReference"]);
    let unreferenced = parse(&plan_with(json!([])));
    assert!(unreferenced.vpn_gateways[0].connections[0].site_links.is_empty());
    let d = &unreferenced.diagnostics[0];
    assert_eq!(d.code, "TerraformUnresolvedReference");
    assert!(d.message.contains("vpn_link[0].vpn_site_link_id"), "{}", d.message);
}
