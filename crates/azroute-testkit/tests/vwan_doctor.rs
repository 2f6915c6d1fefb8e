//! The Virtual WAN doctor checks (§20.6), each both ways: an estate that triggers it and one
//! that does not, with the words the report gives its evidence and fix.

use azroute_doctor::{DoctorConfig, run};
use azroute_engine::{Finding, RouteEngine, Severity};
use azroute_model::*;
use azroute_report::finding_text::render;
use azroute_testkit::vwan::*;
use azroute_testkit::*;
use serde_json::{Value, json};

/// Hub `hub1` 10.100.0.0/24 with spokes `spoke1` 10.1.0.0/16 (subnets `app`, `pe`) and `spoke2`
/// 10.2.0.0/16, both taking the default route; secured (firewall `fw1` 10.100.0.132, routing
/// intent for Internet and private traffic) when asked.
fn hub(secured: bool) -> Estate {
    let mut e = Estate::new();
    e.vwan_hub("hub1", "10.100.0.0/24", &["10.100.0.68", "10.100.0.69"], "ExpressRoute");
    e.vnet("spoke1", "eastus", &["10.1.0.0/16"]).subnet("spoke1", "app", "10.1.1.0/24").subnet(
        "spoke1",
        "pe",
        "10.1.2.0/24",
    );
    e.vnet("spoke2", "eastus", &["10.2.0.0/16"]).subnet("spoke2", "app", "10.2.1.0/24");
    e.hub_connection("hub1", "spoke1-conn", "spoke1", Value::Null, true).hub_connection(
        "hub1",
        "spoke2-conn",
        "spoke2",
        Value::Null,
        true,
    );
    if secured {
        let fw = id("azureFirewalls", "fw1");
        e.hub_firewall("fw1", "hub1", "10.100.0.132")
            .routing_intent("hub1", &[("Internet", fw.clone()), ("PrivateTraffic", fw)]);
    }
    e
}

/// The doctor's findings of one code, with their words.
fn found(e: &Estate, code: &str) -> Vec<(Severity, String, Vec<String>, String)> {
    let snapshot = e.load(Dialect::AzCli);
    let engine = RouteEngine::new(&snapshot, ModelOptions::default());
    let findings: Vec<Finding> = run(&engine, &DoctorConfig::default()).findings;
    findings
        .iter()
        .filter(|f| f.code.as_str() == code)
        .map(|f| {
            let text = render(&snapshot, f);
            (f.severity, text.message, text.evidence, text.fix)
        })
        .collect()
}

/// RI-8: a secured hub's spoke subnet with gateway route propagation off loses the routing
/// intent routes; the same table with propagation on is fine.
#[test]
fn vwan_spoke_propagation_disabled_ri8() {
    let mut e = hub(true);
    e.route_table("rt-app", &[])
        .route_table_property("rt-app", "disableBgpRoutePropagation", json!(true))
        .associate("spoke1", "app", "rt-app");
    let f = found(&e, "VwanSpokePropagationDisabled");
    assert_eq!(f.len(), 1, "{f:?}");
    let (severity, message, evidence, fix) = &f[0];
    assert_eq!(*severity, Severity::Warning);
    assert!(message.contains("`spoke1/app`") && message.contains("routing intent"), "{message}");
    assert!(evidence[0].contains("0.0.0.0/0") && evidence[0].contains("10.0.0.0/8"), "{evidence:?}");
    assert!(fix.contains("--disable-bgp-route-propagation false"));
    e.route_table_property("rt-app", "disableBgpRoutePropagation", json!(false));
    assert!(found(&e, "VwanSpokePropagationDisabled").is_empty());
}

/// RI-9: a private endpoint behind a hub with a private-traffic policy, in a subnet without
/// route-table policies; fine with them, or without routing intent.
#[test]
fn vwan_private_endpoint_asymmetry_ri9() {
    let mut e = hub(true);
    e.private_endpoint("pe-sql", "spoke1", "pe", "10.1.2.5");
    let f = found(&e, "VwanPrivateEndpointAsymmetry");
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].1.contains("`pe-sql`") && f[0].1.contains("privateEndpointNetworkPolicies = Disabled"), "{}", f[0].1);
    assert!(f[0].3.contains("RouteTableEnabled"));
    e.subnet_property("spoke1", "pe", "privateEndpointNetworkPolicies", json!("RouteTableEnabled"));
    assert!(found(&e, "VwanPrivateEndpointAsymmetry").is_empty());
    let mut open = hub(false);
    open.private_endpoint("pe-sql", "spoke1", "pe", "10.1.2.5");
    assert!(found(&open, "VwanPrivateEndpointAsymmetry").is_empty());
}

/// VW-5: the routing intent's 0.0.0.0/0 is in defaultRouteTable, but a connection without
/// enableInternetSecurity does not take it.
#[test]
fn vwan_default_route_not_propagated_vw5() {
    let mut e = hub(true);
    e.hub_connection("hub1", "spoke2-conn", "spoke2", Value::Null, false);
    let f = found(&e, "VwanDefaultRouteNotPropagated");
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].1.contains("`spoke2-conn`") && f[0].1.contains("Azure Firewall"), "{}", f[0].1);
    assert!(f[0].3.contains("--internet-security true"));
    // Without a default route in the table, there is nothing to miss.
    let mut plain = hub(false);
    plain.hub_connection("hub1", "spoke2-conn", "spoke2", Value::Null, false);
    assert!(found(&plain, "VwanDefaultRouteNotPropagated").is_empty());
    assert!(found(&hub(true), "VwanDefaultRouteNotPropagated").is_empty());
}

/// VW-8: a static route for 10.1.5.0/24 (inside spoke1) in defaultRouteTable, to spoke2's
/// connection, is not programmed in spoke1; spoke2 (10.2.0.0/16) is not concerned.
#[test]
fn vwan_route_inside_spoke_space_vw8() {
    let mut e = hub(false);
    e.hub_route_table(
        "hub1",
        "defaultRouteTable",
        &["default"],
        &[("to-nva", &["10.1.5.0/24"], hub_connection_id("hub1", "spoke2-conn"))],
    );
    let f = found(&e, "VwanRouteInsideSpokeSpace");
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].1.contains("spoke `spoke1`"), "{}", f[0].1);
    assert!(f[0].2.iter().any(|l| l.starts_with("10.1.5.0/24") && l.ends_with("inside the spoke range 10.1.0.0/16")));
    assert!(found(&hub(false), "VwanRouteInsideSpokeSpace").is_empty(), "a spoke's own prefix is not reported");
}

/// RI-2: routing intent with a custom route table is a state Azure refuses.
#[test]
fn vwan_routing_intent_with_custom_tables_ri2() {
    let mut e = hub(true);
    e.hub_route_table("hub1", "rt-custom", &["custom"], &[]);
    let f = found(&e, "VwanRoutingIntentWithCustomTables");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, Severity::Error);
    assert_eq!(f[0].2, ["custom route table `rt-custom`"]);
    assert!(found(&hub(true), "VwanRoutingIntentWithCustomTables").is_empty());
    let mut unsecured = hub(false);
    unsecured.hub_route_table("hub1", "rt-custom", &["custom"], &[]);
    assert!(found(&unsecured, "VwanRoutingIntentWithCustomTables").is_empty());
}

/// RI-5: a second hub of the same WAN without routing intent beside a secured hub; none when
/// both hubs are secured or neither is.
#[test]
fn vwan_routing_intent_not_on_all_hubs_ri5() {
    let mut e = hub(true);
    e.vwan_hub("hub2", "10.101.0.0/24", &["10.101.0.68", "10.101.0.69"], "ExpressRoute");
    let f = found(&e, "VwanRoutingIntentNotOnAllHubs");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, Severity::Warning);
    assert_eq!(f[0].2, ["hubs with a PrivateTraffic policy: `hub1`", "hubs without one: `hub2`"]);
    assert!(f[0].3.contains("on every hub"), "{}", f[0].3);
    let mut both = hub(true);
    both.vwan_hub("hub2", "10.101.0.0/24", &["10.101.0.68", "10.101.0.69"], "ExpressRoute");
    let fw2 = id("azureFirewalls", "fw2");
    both.hub_firewall("fw2", "hub2", "10.101.0.132").routing_intent("hub2", &[("PrivateTraffic", fw2)]);
    assert!(found(&both, "VwanRoutingIntentNotOnAllHubs").is_empty());
    let mut neither = hub(false);
    neither.vwan_hub("hub2", "10.101.0.0/24", &["10.101.0.68", "10.101.0.69"], "ExpressRoute");
    assert!(found(&neither, "VwanRoutingIntentNotOnAllHubs").is_empty());
}

/// VW-N3: a spoke connected to a hub with a VPN gateway of its own.
#[test]
fn vwan_spoke_has_gateway_vwn3() {
    let mut e = hub(false);
    e.subnet("spoke2", "GatewaySubnet", "10.2.255.0/27").gateway("vgw-spoke2", "spoke2", "Vpn", &["10.2.255.4"]);
    let f = found(&e, "VwanSpokeHasGateway");
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].1.contains("VNet `spoke2`") && f[0].1.contains("gateway `vgw-spoke2`"), "{}", f[0].1);
    assert!(found(&hub(false), "VwanSpokeHasGateway").is_empty());
}

/// RI-11 (§20.17): a private-traffic policy to a dual-role SD-WAN and NGFW NVA of two instances;
/// none for a single instance, a single-role NVA, an Internet-only policy or an Azure Firewall.
#[test]
fn vwan_dual_role_nva_ecmp_ri11() {
    let with_nva = |vendor: &str, instances: &[&str], policies: &[&str]| {
        let mut e = hub(false);
        e.hub_nva("nva1", "hub1", &["10.100.0.132", "10.100.0.133"]).nva_sku("nva1", vendor, instances);
        let nva = id("networkVirtualAppliances", "nva1");
        let policies: Vec<(&str, String)> = policies.iter().map(|k| (*k, nva.clone())).collect();
        e.routing_intent("hub1", &policies);
        e
    };
    let both = ["Internet", "PrivateTraffic"];
    let f = found(&with_nva("fortinet-ngfw-and-sdwan", &["nva_0", "nva_1"], &both), "VwanDualRoleNvaEcmp");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, Severity::Warning);
    assert!(f[0].1.contains("routing policy `PrivateTrafficPolicy` of Virtual WAN hub `hub1`"), "{}", f[0].1);
    assert!(f[0].1.contains("`nva1`") && f[0].1.contains("ECMP"), "{}", f[0].1);
    assert_eq!(
        f[0].2,
        [
            format!(
                "next hop of PrivateTraffic policy `PrivateTrafficPolicy`: `{}`",
                id("networkVirtualAppliances", "nva1")
            ),
            "nvaSku.vendor: fortinet-ngfw-and-sdwan".to_string(),
            "2 instances: nva_0, nva_1".to_string(),
        ]
    );
    assert!(f[0].3.contains("active-passive"), "{}", f[0].3);
    // Instances the export does not name: hub NVAs are n+1, so reported, saying so.
    let unnamed = found(&with_nva("Fortinet-NGFW-and-SDWAN", &[], &["PrivateTraffic"]), "VwanDualRoleNvaEcmp");
    assert_eq!(unnamed.len(), 1, "{unnamed:?}");
    assert!(unnamed[0].2[2].contains("n+1"), "{:?}", unnamed[0].2);
    // Not reported: one instance, a single-role NVA, an Internet policy only, an Azure Firewall.
    for quiet in [
        with_nva("fortinet-ngfw-and-sdwan", &["nva_0"], &both),
        with_nva("fortinet-ngfw", &["nva_0", "nva_1"], &both),
        with_nva("checkpoint", &["nva_0", "nva_1"], &both),
        with_nva("fortinet-ngfw-and-sdwan", &["nva_0", "nva_1"], &["Internet"]),
        hub(true),
    ] {
        assert!(found(&quiet, "VwanDualRoleNvaEcmp").is_empty());
    }
}
