//! The doctor's Azure Virtual Network Manager checks (§18), each on an estate that has the
//! problem and one that does not: connected-group overlap (AV-C5), routing-rule conflict
//! (AV-R2), a missing hub gateway (AV-C2), admin rules not applied (AV-S5) and admin rules
//! overriding NSG rules (AV-S1), documented limits (AV-C6, AV-S4).

use azroute_doctor::DoctorConfig;
use azroute_engine::RouteEngine;
use azroute_model::*;
use azroute_testkit::*;

fn codes(e: &Estate) -> Vec<String> {
    let snapshot = e.load(Dialect::Rest);
    let engine = RouteEngine::new(&snapshot, ModelOptions::default());
    azroute_doctor::run(&engine, &DoctorConfig::default())
        .findings
        .iter()
        .map(|f| f.code.as_str().to_string())
        .collect()
}

fn has(e: &Estate, code: &str) -> bool {
    codes(e).iter().any(|c| c == code)
}

fn two_vnets(second: &str) -> Estate {
    let mut e = Estate::new();
    e.vnet("a", "eastus", &["10.1.0.0/16"]).subnet("a", "s", "10.1.1.0/24").nic("nic-a", "a", "s", "10.1.1.4");
    e.vnet("b", "eastus", &[second]).subnet("b", "s", &second.replace(".0.0/16", ".2.0/24")).nic(
        "nic-b",
        "b",
        "s",
        &second.replace(".0.0/16", ".2.4"),
    );
    e.network_group("g", &["a", "b"]);
    e
}

#[test]
fn connected_group_overlap_is_reported_only_when_members_overlap() {
    let mut overlapping = two_vnets("10.1.0.0/16");
    overlapping.connectivity("mesh", "Mesh", None, &[("g", false, false)], false);
    assert!(has(&overlapping, "AvnmConnectedGroupOverlap"));
    let mut apart = two_vnets("10.2.0.0/16");
    apart.connectivity("mesh", "Mesh", None, &[("g", false, false)], false);
    assert!(!has(&apart, "AvnmConnectedGroupOverlap"));
}

#[test]
fn routing_rules_with_one_destination_and_different_next_hops_conflict() {
    let mut e = two_vnets("10.2.0.0/16");
    e.routing_rules("rc", "c1", &["g"], false, &[("to-a", "192.168.0.0/16", "VirtualAppliance", Some("10.1.1.10"))]);
    e.routing_rules("rc", "c2", &["g"], false, &[("drop", "192.168.0.0/16", "NoNextHop", None)]);
    assert!(has(&e, "AvnmRoutingRuleConflict"));
    let mut same = two_vnets("10.2.0.0/16");
    same.routing_rules("rc", "c1", &["g"], false, &[("drop", "192.168.0.0/16", "NoNextHop", None)]);
    same.routing_rules("rc", "c2", &["g"], false, &[("drop-too", "192.168.0.0/16", "NoNextHop", None)]);
    assert!(!has(&same, "AvnmRoutingRuleConflict"));
}

/// AV-C6: a VNet belongs to at most two connected groups by default; three meshes over one
/// group put both VNets in three (one finding each), two meshes stay within the limit.
#[test]
fn a_vnet_in_more_connected_groups_than_the_limit() {
    let count = |meshes: &[&str]| {
        let mut e = two_vnets("10.2.0.0/16");
        for m in meshes {
            e.connectivity(m, "Mesh", None, &[("g", false, false)], false);
        }
        codes(&e).iter().filter(|c| *c == "AvnmLimitExceeded").count()
    };
    assert_eq!(count(&["m1", "m2"]), 0);
    assert_eq!(count(&["m1", "m2", "m3"]), 2);
}

/// AV-S4: at most 20,000 IP prefixes in all the admin rules of a network manager.
#[test]
fn admin_rule_prefixes_over_the_limit() {
    let rules = |n: usize| {
        let mut e = two_vnets("10.2.0.0/16");
        e.admin_rules("sac", "rc", &["g"], &[("deny-many", 10, "Inbound", "Deny", "Tcp", "*", "*", "22")]);
        let prefixes: Vec<serde_json::Value> = (0..n)
            .map(|i| serde_json::json!({"addressPrefixType": "IPPrefix", "addressPrefix": format!("100.{}.{}.0/24", i / 256, i % 256)}))
            .collect();
        e.resource_property(
            "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules",
            "deny-many",
            "sources",
            serde_json::Value::Array(prefixes),
        );
        has(&e, "AvnmLimitExceeded")
    };
    // The destination `*` is any address, not a prefix: only the sources count.
    assert!(!rules(20_000));
    assert!(rules(20_001));
}

/// AV-C8: admin rules of two network managers apply to one VNet; which wins a conflict depends
/// on the managers' scopes, which the snapshot cannot order: the doctor says so. One manager's
/// rules alone raise nothing.
#[test]
fn admin_rules_of_two_managers_on_one_vnet() {
    let mut e = two_vnets("10.2.0.0/16");
    e.admin_rules("sac", "rc", &["g"], &[("deny-ssh", 10, "Inbound", "Deny", "Tcp", "*", "*", "22")]);
    assert!(!has(&e, "AvnmManagersOverlap"));
    let other = azroute_testkit::avnm::avnm_id("")
        .replace("/networkManagers/", "/networkManagers/other-")
        .trim_end_matches('/')
        .to_string();
    let config = format!("{other}/securityAdminConfigurations/platform");
    let collection = format!("{config}/ruleCollections/base");
    let group = azroute_testkit::avnm::avnm_id("networkGroups/g");
    e.raw_resource(serde_json::json!({"id": config, "name": "platform", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations", "properties": {}}))
        .raw_resource(serde_json::json!({"id": collection, "name": "base", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections", "properties": {"appliesToGroups": [{"networkGroupId": group}]}}))
        .raw_resource(serde_json::json!({"id": format!("{collection}/rules/allow-ssh"), "name": "allow-ssh", "kind": "Custom", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules",
            "properties": {"priority": 5, "direction": "Inbound", "access": "AlwaysAllow", "protocol": "Tcp",
                "sources": [{"addressPrefixType": "IPPrefix", "addressPrefix": "*"}], "destinations": [{"addressPrefixType": "IPPrefix", "addressPrefix": "*"}],
                "sourcePortRanges": ["0-65535"], "destinationPortRanges": ["22"]}}));
    assert_eq!(codes(&e).iter().filter(|c| *c == "AvnmManagersOverlap").count(), 2, "one per VNet of the group");
}

#[test]
fn use_hub_gateway_without_a_hub_gateway() {
    let mut e = two_vnets("10.2.0.0/16");
    e.vnet("hub", "eastus", &["10.0.0.0/16"]).subnet("hub", "GatewaySubnet", "10.0.0.0/27");
    e.connectivity("hs", "HubAndSpoke", Some("hub"), &[("g", false, false)], false);
    let mut text = e.clone();
    // `useHubGateway` is "False" in the builder: no finding.
    assert!(!has(&text, "AvnmHubGatewayMissing"));
    text.resource_property(
        "Microsoft.Network/networkManagers/connectivityConfigurations",
        "hs",
        "appliesToGroups",
        serde_json::json!([{"networkGroupId": azroute_testkit::avnm::avnm_id("networkGroups/g"), "groupConnectivity": "None", "useHubGateway": "True", "isGlobal": "False"}]),
    );
    assert!(has(&text, "AvnmHubGatewayMissing"));
    text.gateway("vgw", "hub", "Vpn", &["10.0.0.4"]);
    assert!(!has(&text, "AvnmHubGatewayMissing"));
}

#[test]
fn admin_rules_not_applied_to_platform_subnets_and_overriding_nsgs() {
    let mut e = two_vnets("10.2.0.0/16");
    e.subnet("a", "AzureBastionSubnet", "10.1.9.0/26");
    e.nsg(
        "nsg-a",
        &[
            rule("allow-rdp", 100, "Inbound", "Allow", "Tcp", "*", "*", "3389"),
            rule("deny-ssh", 110, "Inbound", "Deny", "Tcp", "*", "*", "22"),
        ],
    )
    .subnet_nsg("a", "s", "nsg-a");
    e.admin_rules("sac", "rc", &["g"], &[("deny-rdp", 10, "Inbound", "Deny", "Tcp", "*", "*", "3389")]);
    let found = codes(&e);
    assert!(found.contains(&"AvnmAdminRuleNotApplied".to_string()), "{found:?}");
    assert!(found.contains(&"AvnmAdminDenyOverridesNsgAllow".to_string()), "{found:?}");
    assert!(!found.contains(&"AvnmAlwaysAllowBypassesNsgDeny".to_string()), "{found:?}");
    let mut ssh = two_vnets("10.2.0.0/16");
    ssh.nsg("nsg-a", &[rule("deny-ssh", 110, "Inbound", "Deny", "Tcp", "*", "*", "22")]).subnet_nsg("a", "s", "nsg-a");
    ssh.admin_rules(
        "sac",
        "rc",
        &["g"],
        &[("ssh-from-mgmt", 10, "Inbound", "AlwaysAllow", "Tcp", "10.0.1.0/24", "*", "22")],
    );
    let found = codes(&ssh);
    assert!(found.contains(&"AvnmAlwaysAllowBypassesNsgDeny".to_string()), "{found:?}");
    assert!(!found.contains(&"AvnmAdminRuleNotApplied".to_string()), "{found:?}");
    // An admin rule on another port overrides nothing.
    let mut other = two_vnets("10.2.0.0/16");
    other
        .nsg("nsg-a", &[rule("deny-ssh", 110, "Inbound", "Deny", "Tcp", "*", "*", "22")])
        .subnet_nsg("a", "s", "nsg-a");
    other.admin_rules("sac", "rc", &["g"], &[("https", 10, "Inbound", "AlwaysAllow", "Tcp", "*", "*", "443")]);
    assert!(!has(&other, "AvnmAlwaysAllowBypassesNsgDeny"));
}

/// §18.8: the doctor's traffic analysis reports packets a subnet peering drops at the far side
/// (`SubnetPeeringNonPeeredSource`), and not when every subnet with the route is listed.
#[test]
fn subnet_peering_drop_of_non_peered_subnets_is_reported() {
    let estate = |listed: &[&str]| {
        let mut e = Estate::new();
        e.vnet("left", "eastus", &["10.0.0.0/16"])
            .subnet("left", "s0", "10.0.0.0/24")
            .subnet("left", "s1", "10.0.1.0/24")
            .nic("left0", "left", "s0", "10.0.0.4")
            .nic("left1", "left", "s1", "10.0.1.4");
        e.vnet("right", "eastus", &["10.1.0.0/16"])
            .subnet("right", "s0", "10.1.0.0/24")
            .nic("right0", "right", "s0", "10.1.0.4");
        e.subnet_peer("left", "right", listed, &["s0"]);
        e
    };
    assert!(has(&estate(&["s1"]), "SubnetPeeringNonPeeredSource"));
    assert!(!has(&estate(&["s0", "s1"]), "SubnetPeeringNonPeeredSource"));
    // AV-C7: with the two VNets also in a mesh, the connected-group route covers `right`'s
    // unlisted subnet, and the subnet peering drops that traffic (§18.8).
    let mut meshed = estate(&["s0", "s1"]);
    meshed.subnet("right", "s1", "10.1.1.0/24").nic("right1", "right", "s1", "10.1.1.4");
    assert!(!has(&meshed, "SubnetPeeringNonPeeredDestination"), "no connected group: no route to right/s1");
    meshed.network_group("g", &["left", "right"]);
    meshed.connectivity("mesh", "Mesh", None, &[("g", false, false)], false);
    assert!(has(&meshed, "SubnetPeeringNonPeeredDestination"));
}
