//! Egress and platform-service input (§17.1): the REST spec examples of NAT gateways, a private
//! subnet, an application gateway, a Bastion host and a DNS resolver inbound endpoint; the az CLI
//! (flattened) and Resource Graph (lower-cased type) dialects; load-balancer outbound rules; VM
//! scale sets and their instance NICs; bad values (file, JSON path, hint).

use std::path::PathBuf;

use azroute_ingest::{IngestOptions, Loaded, load_path, load_texts};
use azroute_model::*;

fn sample(name: &str) -> Loaded {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/reference/azure-samples/rest-api-specs/firewall")
        .join(name);
    load_path(&path, &IngestOptions::default())
}

fn read(text: &str) -> Loaded {
    load_texts(&[("f.json".into(), text.into())])
}

const SUB: &str = "/subscriptions/s/resourceGroups/rg/providers";

#[test]
fn nat_gateway_examples_read_public_ips_and_prefixes() {
    let loaded = sample("NatGatewayGet.json");
    let g = &loaded.snapshot.nat_gateways[0];
    assert_eq!((g.name.as_str(), g.sku.as_str()), ("test-natGateway", "Standard"));
    assert!(g.public_ips[0].missing().unwrap().as_str().ends_with("/publicIPAddresses/PublicIpAddress1"));
    assert!(g.public_ip_prefixes[0].missing().unwrap().as_str().ends_with("/publicIPPrefixes/PublicIpPrefix1"));
    let all = sample("NatGatewayListAll.json");
    let skus: Vec<&str> = all.snapshot.nat_gateways.iter().map(|g| g.sku.as_str()).collect();
    assert_eq!(skus, ["Standard", "Standard", "StandardV2"]);
}

/// A subnet is kept with its VNet: the VNet, as a second file.
fn vnet(id: &str) -> (String, String) {
    let text = format!(
        r#"{{"id": "{id}", "name": "v", "type": "Microsoft.Network/virtualNetworks",
          "properties": {{"addressSpace": {{"addressPrefixes": ["10.0.0.0/8"]}}}}}}"#
    );
    ("vnet.json".into(), text)
}

#[test]
fn private_subnet_example_reads_default_outbound_access_false() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/reference/azure-samples/rest-api-specs/firewall/SubnetGetWithSharingScope.json");
    let text = std::fs::read_to_string(path).unwrap();
    let vnet_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/subnet-test/providers/Microsoft.Network/virtualNetworks/vnetname";
    let loaded = load_texts(&[("subnet.json".into(), text), vnet(vnet_id)]);
    let s = &loaded.snapshot.subnets[0];
    assert_eq!(s.default_outbound_access, Some(false));
    assert!(s.nat_gateway.is_none());
}

#[test]
fn platform_service_examples_read_their_subnets_and_addresses() {
    let agw = sample("ApplicationGatewayGet.json");
    let a = &agw.snapshot.application_gateways[0];
    assert_eq!(a.tier, "Standard");
    assert!(!a.is_v2());
    assert!(a.subnets[0].missing().unwrap().as_str().ends_with("/subnets/appgwsubnet"));
    // The example's only frontend is public.
    assert!(a.frontend_private_ips.is_empty());
    let bastion = sample("BastionHostGetWithZones.json");
    let b = &bastion.snapshot.bastion_hosts[0];
    assert!(b.subnets[0].missing().unwrap().as_str().ends_with("/subnets/BastionHostSubnet"));
    assert_eq!(b.public_ips.len(), 1);
    let dns = sample("InboundEndpoint_Get.json");
    let e = &dns.snapshot.dns_inbound_endpoints[0];
    // Lower-case `privateIpAddress` reads as the NIC field does.
    assert_eq!(e.ips, ["255.255.255.255".parse::<std::net::IpAddr>().unwrap()]);
    assert!(e.subnets[0].missing().unwrap().as_str().ends_with("/subnets/sampleSubnet"));
}

/// The same subnet in REST, az CLI (flattened) and Resource Graph (lower-cased type, `data`).
#[test]
fn subnet_egress_fields_read_the_same_in_every_dialect() {
    let rest = format!(
        r#"{{"id": "{SUB}/Microsoft.Network/virtualNetworks/v/subnets/app", "name": "app",
        "type": "Microsoft.Network/virtualNetworks/subnets", "properties": {{"addressPrefix": "10.0.1.0/24",
        "defaultOutboundAccess": false, "natGateway": {{"id": "{SUB}/Microsoft.Network/natGateways/nat"}},
        "delegations": [{{"name": "d", "properties": {{"serviceName": "Microsoft.Web/serverFarms"}}}}]}}}}"#
    );
    let cli = format!(
        r#"[{{"id": "{SUB}/Microsoft.Network/virtualNetworks/v/subnets/app", "name": "app",
        "type": "Microsoft.Network/virtualNetworks/subnets", "addressPrefix": "10.0.1.0/24",
        "defaultOutboundAccess": false, "natGateway": {{"id": "{SUB}/Microsoft.Network/natGateways/nat"}},
        "delegations": [{{"name": "d", "serviceName": "Microsoft.Web/serverFarms"}}]}}]"#
    );
    let graph = format!(
        r#"{{"data": [{}]}}"#,
        rest.replace("Microsoft.Network/virtualNetworks/subnets", "microsoft.network/virtualnetworks/subnets")
    );
    for text in [rest, cli, graph] {
        let loaded =
            load_texts(&[("f.json".into(), text.clone()), vnet(&format!("{SUB}/Microsoft.Network/virtualNetworks/v"))]);
        let s = &loaded.snapshot.subnets[0];
        assert_eq!(s.default_outbound_access, Some(false), "{text}");
        assert!(s.nat_gateway.as_ref().unwrap().missing().unwrap().as_str().ends_with("/natGateways/nat"));
        assert_eq!(s.delegations, ["Microsoft.Web/serverFarms"]);
    }
}

#[test]
fn nat_gateway_links_resolve_to_its_public_ips_and_prefixes() {
    let text = format!(
        r#"[{{"id": "{SUB}/Microsoft.Network/natGateways/nat", "name": "nat", "type": "Microsoft.Network/natGateways",
          "sku": {{"name": "Standard"}}, "publicIpAddresses": [{{"id": "{SUB}/Microsoft.Network/publicIPAddresses/pip"}}],
          "publicIpPrefixes": [{{"id": "{SUB}/Microsoft.Network/publicIPPrefixes/pfx"}}]}},
         {{"id": "{SUB}/Microsoft.Network/publicIPAddresses/pip", "name": "pip", "type": "Microsoft.Network/publicIPAddresses", "ipAddress": "20.1.2.3"}},
         {{"id": "{SUB}/Microsoft.Network/publicIPPrefixes/pfx", "name": "pfx", "type": "Microsoft.Network/publicIPPrefixes", "ipPrefix": "20.9.9.0/30"}}]"#
    );
    let loaded = read(&text);
    let snap = &loaded.snapshot;
    assert_eq!(snap.nat_gateways[0].public_ips, [Link::Resolved(PublicIpIdx(0))]);
    assert_eq!(snap.nat_gateways[0].public_ip_prefixes, [Link::Resolved(PublicIpPrefixIdx(0))]);
    assert_eq!(snap.public_ip_prefixes[0].prefix, Some("20.9.9.0/30".parse().unwrap()));
}

#[test]
fn load_balancer_outbound_rules_name_their_frontends_and_pool_nics() {
    let lb = format!("{SUB}/Microsoft.Network/loadBalancers/lb");
    let text = format!(
        r#"{{"id": "{lb}", "name": "lb", "type": "Microsoft.Network/loadBalancers", "sku": {{"name": "Standard"}},
          "properties": {{
            "frontendIPConfigurations": [{{"id": "{lb}/frontendIPConfigurations/out", "name": "out",
               "properties": {{"publicIPAddress": {{"id": "{SUB}/Microsoft.Network/publicIPAddresses/lbpip"}}}}}}],
            "backendAddressPools": [
              {{"id": "{lb}/backendAddressPools/web", "name": "web", "properties": {{"backendIPConfigurations": [
                {{"id": "{SUB}/Microsoft.Network/networkInterfaces/nic1/ipConfigurations/ipconfig1"}}]}}}},
              {{"id": "{lb}/backendAddressPools/other", "name": "other", "properties": {{"backendIPConfigurations": [
                {{"id": "{SUB}/Microsoft.Network/networkInterfaces/nic2/ipConfigurations/ipconfig1"}}]}}}}],
            "outboundRules": [{{"name": "egress", "properties": {{
              "frontendIPConfigurations": [{{"id": "{lb}/frontendIPConfigurations/out"}}],
              "backendAddressPool": {{"id": "{lb}/backendAddressPools/web"}}, "protocol": "All"}}}}]}}}}"#
    );
    let loaded = read(&text);
    let lb = &loaded.snapshot.load_balancers[0];
    assert!(lb.is_public());
    let rule = &lb.outbound_rules[0];
    assert_eq!((rule.name.as_str(), rule.frontends.as_slice()), ("egress", ["out".to_string()].as_slice()));
    assert_eq!(rule.backend_nics.len(), 1);
    assert!(rule.backend_nics[0].missing().unwrap().as_str().ends_with("/networkInterfaces/nic1"));
}

#[test]
fn scale_sets_read_their_subnets_and_mode_and_instance_nics_are_nics() {
    let vmss = format!("{SUB}/Microsoft.Compute/virtualMachineScaleSets/web");
    let subnet = format!("{SUB}/Microsoft.Network/virtualNetworks/v/subnets/app");
    let rest = format!(
        r#"{{"id": "{vmss}", "name": "web", "type": "Microsoft.Compute/virtualMachineScaleSets", "properties": {{
          "orchestrationMode": "Flexible", "virtualMachineProfile": {{"networkProfile": {{"networkInterfaceConfigurations": [
            {{"name": "nic", "properties": {{"ipConfigurations": [{{"name": "ip", "properties": {{"subnet": {{"id": "{subnet}"}}}}}}]}}}}]}}}}}}}}"#
    );
    let cli = format!(
        r#"[{{"id": "{vmss}", "name": "web", "type": "Microsoft.Compute/virtualMachineScaleSets",
          "virtualMachineProfile": {{"networkProfile": {{"networkInterfaceConfigurations": [
            {{"name": "nic", "ipConfigurations": [{{"name": "ip", "subnet": {{"id": "{subnet}"}}}}]}}]}}}}}}]"#
    );
    let flexible = read(&rest);
    let s = &flexible.snapshot.scale_sets[0];
    assert_eq!(s.orchestration_mode, OrchestrationMode::Flexible);
    assert!(s.subnets[0].missing().unwrap().as_str().ends_with("/subnets/app"));
    let uniform = read(&cli);
    assert_eq!(uniform.snapshot.scale_sets[0].orchestration_mode, OrchestrationMode::Uniform);
    assert_eq!(uniform.snapshot.scale_sets[0].subnets, s.subnets);
    // `az vmss nic list` / REST: the instance NICs' type names the scale set.
    let nic = format!(
        r#"[{{"id": "{vmss}/virtualMachines/0/networkInterfaces/nic", "name": "nic",
          "type": "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/networkInterfaces",
          "ipConfigurations": [{{"id": "{vmss}/virtualMachines/0/networkInterfaces/nic/ipConfigurations/ip",
            "name": "ip", "privateIPAddress": "10.0.1.5", "subnet": {{"id": "{subnet}"}}}}]}}]"#
    );
    let nics = read(&nic);
    assert_eq!(nics.snapshot.nics.len(), 1);
    assert_eq!(nics.snapshot.nics[0].ip_configs[0].private_ip, Some("10.0.1.5".parse().unwrap()));
}

/// A public IP prefix that is not a prefix: a warning naming the file and JSON path.
#[test]
fn bad_prefix_names_file_and_path() {
    let text = format!(
        r#"{{"id": "{SUB}/Microsoft.Network/publicIPPrefixes/pfx", "name": "pfx", "type": "Microsoft.Network/publicIPPrefixes",
          "properties": {{"ipPrefix": "20.9.9.0/33"}}}}"#
    );
    let loaded = read(&text);
    let d = loaded.diagnostics.iter().find(|d| d.json_path.as_deref() == Some("$.properties.ipPrefix")).unwrap();
    assert_eq!(d.file.as_deref(), Some("f.json"));
    assert!(d.hint.is_some(), "{d:?}");
    assert_eq!(loaded.snapshot.public_ip_prefixes[0].prefix, None);
}

/// Batfish's Azure exports write a subnet's `natGateway` as the bare id: read as a reference.
#[test]
fn batfish_nat_gateway_reference_is_a_string() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/reference/batfish-azure/test-nat-gateway");
    let loaded = load_path(&dir, &IngestOptions::default());
    let errors: Vec<String> =
        loaded.diagnostics.iter().filter(|d| d.severity >= Severity::Error).map(|d| d.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let with_nat: Vec<&str> =
        loaded.snapshot.subnets.iter().filter(|s| s.nat_gateway.is_some()).map(|s| s.name.as_str()).collect();
    assert_eq!(with_nat.len(), 1, "{with_nat:?}");
    assert_eq!(loaded.snapshot.nat_gateways[0].name, "nat-gateway-subnet1");
}

/// A Terraform state of one resource list (`terraform show -json`).
fn terraform(resources: Vec<serde_json::Value>) -> String {
    serde_json::json!({"format_version": "1.0", "terraform_version": "1.9.8",
        "values": {"root_module": {"resources": resources}}})
    .to_string()
}

fn tf(ty: &str, name: &str, values: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"address": format!("{ty}.{name}"), "mode": "managed", "type": ty, "name": name,
        "provider_name": "registry.terraform.io/hashicorp/azurerm", "schema_version": 0, "values": values})
}

/// Terraform's classic inline rule collections (§16.1) read as the ARM firewall's
/// `networkRuleCollections`, `applicationRuleCollections` and `natRuleCollections` do, in the
/// ARM order (NAT, network, application), on the firewall they name.
#[test]
fn terraform_classic_rule_collections_read_as_the_arm_firewall() {
    let fw = format!("{SUB}/Microsoft.Network/azureFirewalls/fw");
    let common = |name: &str, priority: u32, action: &str| {
        serde_json::json!({"id": format!("{fw}/x/{name}"), "name": name, "azure_firewall_name": "fw",
            "resource_group_name": "rg", "priority": priority, "action": action})
    };
    let with_rules = |mut c: serde_json::Value, rules: serde_json::Value| {
        c["rule"] = rules;
        c
    };
    let state = terraform(vec![
        tf(
            "azurerm_firewall",
            "fw",
            serde_json::json!({"id": fw, "name": "fw", "resource_group_name": "rg",
            "sku_name": "AZFW_VNet", "sku_tier": "Standard", "threat_intel_mode": "Alert", "ip_configuration": []}),
        ),
        tf(
            "azurerm_firewall_application_rule_collection",
            "app",
            with_rules(
                common("app", 300, "Allow"),
                serde_json::json!([{"name": "ms", "source_addresses": ["10.0.0.0/8"], "target_fqdns": ["*.microsoft.com"],
              "fqdn_tags": [], "protocol": [{"type": "Https", "port": 443}]}]),
            ),
        ),
        tf(
            "azurerm_firewall_network_rule_collection",
            "net",
            with_rules(
                common("net", 200, "Deny"),
                serde_json::json!([{"name": "telnet", "protocols": ["TCP"], "source_addresses": ["*"],
              "destination_addresses": ["*"], "destination_ports": ["23"]}]),
            ),
        ),
        tf(
            "azurerm_firewall_nat_rule_collection",
            "nat",
            with_rules(
                common("nat", 100, "Dnat"),
                serde_json::json!([{"name": "web", "protocols": ["TCP"], "source_addresses": ["*"],
              "destination_addresses": ["20.1.1.1"], "destination_ports": ["443"],
              "translated_address": "10.2.1.4", "translated_port": "8443"}]),
            ),
        ),
    ]);
    let arm = format!(
        r#"[{{"id": "{fw}", "name": "fw", "type": "Microsoft.Network/azureFirewalls", "sku": {{"name": "AZFW_VNet", "tier": "Standard"}},
          "threatIntelMode": "Alert",
          "applicationRuleCollections": [{{"name": "app", "priority": 300, "action": {{"type": "Allow"}}, "rules": [
            {{"name": "ms", "sourceAddresses": ["10.0.0.0/8"], "targetFqdns": ["*.microsoft.com"], "protocols": [{{"protocolType": "Https", "port": 443}}]}}]}}],
          "networkRuleCollections": [{{"name": "net", "priority": 200, "action": {{"type": "Deny"}}, "rules": [
            {{"name": "telnet", "protocols": ["TCP"], "sourceAddresses": ["*"], "destinationAddresses": ["*"], "destinationPorts": ["23"]}}]}}],
          "natRuleCollections": [{{"name": "nat", "priority": 100, "action": {{"type": "Dnat"}}, "rules": [
            {{"name": "web", "protocols": ["TCP"], "sourceAddresses": ["*"], "destinationAddresses": ["20.1.1.1"], "destinationPorts": ["443"],
              "translatedAddress": "10.2.1.4", "translatedPort": "8443"}}]}}]}}]"#
    );
    let from_tf = load_texts(&[("state.json".into(), state)]);
    let from_arm = read(&arm);
    let (a, b) = (&from_tf.snapshot.firewalls[0], &from_arm.snapshot.firewalls[0]);
    assert_eq!(
        a.classic.iter().map(|c| c.kind).collect::<Vec<_>>(),
        [FwRuleKind::Nat, FwRuleKind::Network, FwRuleKind::Application]
    );
    assert_eq!(a.classic, b.classic);
    // A collection whose firewall is not in the input says so.
    let orphan = terraform(vec![tf("azurerm_firewall_network_rule_collection", "net", common("net", 200, "Deny"))]);
    let loaded = load_texts(&[("state.json".into(), orphan)]);
    assert!(
        loaded.diagnostics.iter().any(|d| d.code == "DanglingReference" && d.message.contains("rg/fw")),
        "{:?}",
        loaded.diagnostics
    );
}

/// NAT gateways with their public IP and prefix associations and the subnet association,
/// public IP prefixes, Application Gateway, Bastion, DNS resolver inbound endpoints and the
/// three scale-set types from Terraform (§17.1), as the ARM JSON of the same resources reads.
#[test]
fn terraform_platform_services_read_as_the_arm_json() {
    let id = |rest: &str| format!("{SUB}/Microsoft.Network/{rest}");
    let subnet = |name: &str| id(&format!("virtualNetworks/v/subnets/{name}"));
    let state = terraform(vec![
        tf(
            "azurerm_virtual_network",
            "v",
            serde_json::json!({"id": id("virtualNetworks/v"), "name": "v",
            "resource_group_name": "rg", "address_space": ["10.0.0.0/16"]}),
        ),
        tf(
            "azurerm_subnet",
            "a",
            serde_json::json!({"id": subnet("a"), "name": "a", "resource_group_name": "rg",
            "virtual_network_name": "v", "address_prefixes": ["10.0.1.0/24"]}),
        ),
        tf(
            "azurerm_subnet_nat_gateway_association",
            "a",
            serde_json::json!({"id": subnet("a"), "subnet_id": subnet("a"),
            "nat_gateway_id": id("natGateways/nat")}),
        ),
        tf(
            "azurerm_nat_gateway",
            "nat",
            serde_json::json!({"id": id("natGateways/nat"), "name": "nat",
            "resource_group_name": "rg", "sku_name": "Standard"}),
        ),
        tf(
            "azurerm_nat_gateway_public_ip_association",
            "pip",
            serde_json::json!({"id": "x",
            "nat_gateway_id": id("natGateways/nat"), "public_ip_address_id": id("publicIPAddresses/pip")}),
        ),
        tf(
            "azurerm_nat_gateway_public_ip_prefix_association",
            "prefix",
            serde_json::json!({"id": "y",
            "nat_gateway_id": id("natGateways/nat"), "public_ip_prefix_id": id("publicIPPrefixes/prefix")}),
        ),
        tf(
            "azurerm_public_ip_prefix",
            "prefix",
            serde_json::json!({"id": id("publicIPPrefixes/prefix"), "name": "prefix",
            "resource_group_name": "rg", "ip_prefix": "20.1.2.0/30"}),
        ),
        tf(
            "azurerm_application_gateway",
            "agw",
            serde_json::json!({"id": id("applicationGateways/agw"), "name": "agw",
            "resource_group_name": "rg", "sku": [{"name": "Standard_v2", "tier": "Standard_v2", "capacity": 2}],
            "gateway_ip_configuration": [{"name": "g", "subnet_id": subnet("agw")}],
            "frontend_ip_configuration": [{"name": "f", "private_ip_address": "10.0.3.10", "subnet_id": subnet("agw")}]}),
        ),
        tf(
            "azurerm_bastion_host",
            "bas",
            serde_json::json!({"id": id("bastionHosts/bas"), "name": "bas",
            "resource_group_name": "rg", "ip_configuration": [{"name": "c", "subnet_id": subnet("AzureBastionSubnet"),
            "public_ip_address_id": id("publicIPAddresses/bas")}]}),
        ),
        tf(
            "azurerm_private_dns_resolver_inbound_endpoint",
            "in",
            serde_json::json!({"id": id("dnsResolvers/r/inboundEndpoints/in"),
            "name": "in", "private_dns_resolver_id": id("dnsResolvers/r"),
            "ip_configurations": [{"private_ip_address": "10.0.5.4", "private_ip_allocation_method": "Static", "subnet_id": subnet("dns")}]}),
        ),
        tf(
            "azurerm_linux_virtual_machine_scale_set",
            "uniform",
            serde_json::json!({
            "id": format!("{SUB}/Microsoft.Compute/virtualMachineScaleSets/uniform"), "name": "uniform", "resource_group_name": "rg",
            "network_interface": [{"name": "n", "ip_configuration": [{"name": "c", "subnet_id": subnet("a")}]}]}),
        ),
        tf(
            "azurerm_orchestrated_virtual_machine_scale_set",
            "flex",
            serde_json::json!({
            "id": format!("{SUB}/Microsoft.Compute/virtualMachineScaleSets/flex"), "name": "flex", "resource_group_name": "rg",
            "network_interface": [{"name": "n", "ip_configuration": [{"name": "c", "subnet_id": subnet("a")}]}]}),
        ),
    ]);
    let loaded = load_texts(&[("state.json".into(), state)]);
    let snap = &loaded.snapshot;
    let nat = &snap.nat_gateways[0];
    assert_eq!(
        (nat.name.as_str(), nat.sku.as_str(), nat.public_ips.len(), nat.public_ip_prefixes.len()),
        ("nat", "Standard", 1, 1)
    );
    assert!(matches!(nat.public_ip_prefixes[0], Link::Resolved(_)), "{nat:?}");
    assert_eq!(snap.subnets[0].nat_gateway, Some(Link::Resolved(NatGatewayIdx(0))));
    assert_eq!(snap.public_ip_prefixes[0].prefix, Some("20.1.2.0/30".parse().unwrap()));
    let agw = &snap.application_gateways[0];
    assert!(agw.is_v2());
    assert_eq!(agw.frontend_private_ips, ["10.0.3.10".parse::<std::net::IpAddr>().unwrap()]);
    assert!(agw.subnets[0].missing().unwrap().as_str().ends_with("/subnets/agw"));
    assert!(snap.bastion_hosts[0].subnets[0].missing().unwrap().as_str().ends_with("/subnets/AzureBastionSubnet"));
    let dns = &snap.dns_inbound_endpoints[0];
    assert_eq!(dns.ips, ["10.0.5.4".parse::<std::net::IpAddr>().unwrap()]);
    let modes: Vec<(&str, OrchestrationMode)> =
        snap.scale_sets.iter().map(|s| (s.name.as_str(), s.orchestration_mode.clone())).collect();
    assert_eq!(modes, [("flex", OrchestrationMode::Flexible), ("uniform", OrchestrationMode::Uniform)]);
    assert!(snap.scale_sets.iter().all(|s| s.subnets == [Link::Resolved(SubnetIdx(0))]));
}
