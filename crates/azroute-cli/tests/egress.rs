//! Egress and platform-owned addresses end to end (§17) on the embedded example `hub-firewall`
//! (a NAT gateway on AzureFirewallSubnet, an Application Gateway v2, Azure Bastion, and a private
//! subnet whose VM has no outbound method; regenerate with `python3 tools/make_firewall_fixture.py`):
//! `trace` to the Internet from the private subnet, through the firewall, and from a subnet that
//! does not say `defaultOutboundAccess` (with `--default-outbound-unset`), to the Application
//! Gateway, and the doctor's findings.

mod common;

use common::*;

fn trace<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["trace", "--example", "hub-firewall"];
    all.extend_from_slice(args);
    all
}

fn codes(v: &serde_json::Value) -> Vec<String> {
    v["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
}

/// §17.2: a private subnet with no NAT gateway, public IP or load balancer: the route to the
/// Internet is not an exit; exit status 1.
#[test]
fn private_subnet_vm_cannot_reach_the_internet() {
    let v = azroute(&trace(&["--from", "vm-private", "--to", "8.8.8.8", "-o", "json"])).found_problem().json();
    assert_eq!(v["verdict"], "Dropped");
    assert_eq!(codes(&v), ["PrivateSubnetNoEgress"]);
    assert!(v.get("egress").is_none(), "{v}");
    let table = azroute(&trace(&["--from", "vm-private", "--to", "8.8.8.8"])).found_problem().stdout;
    assert!(table.contains("ERROR PrivateSubnetNoEgress") && table.contains("defaultOutboundAccess: false"), "{table}");
}

/// §17.2: through the firewall, the egress is the firewall's: the NAT gateway of
/// AzureFirewallSubnet, whose address the firewall's SNAT uses too.
#[test]
fn spoke_vm_leaves_through_the_firewall_and_its_nat_gateway() {
    let args = trace(&["--from", "vm-app1", "--to", "52.1.1.1", "--fqdn", "www.contoso.com"]);
    let v = azroute(&[&args[..], &["-o", "json"]].concat()).ok().json();
    assert_eq!(v["verdict"], "ExitedToInternet");
    assert_eq!(v["egress"], serde_json::json!({"method": "AzureFirewall", "publicIps": ["20.81.110.20"]}));
    let table = azroute(&args).ok().stdout;
    assert!(table.contains("Egress: AzureFirewall (20.81.110.20)"), "{table}");
}

/// An unset `defaultOutboundAccess` (vm-shared's subnet): default outbound access, said as an
/// assumption; `--default-outbound-unset private` makes it a private subnet (C23).
#[test]
fn unset_default_outbound_access_is_assumed_and_can_be_switched() {
    let v = azroute(&trace(&["--from", "vm-shared", "--to", "8.8.8.8", "-o", "json"])).ok().json();
    assert_eq!(v["egress"]["method"], "DefaultOutboundAccess");
    let assumptions = v["assumptions"].to_string();
    assert!(assumptions.contains("defaultOutboundAccess"), "{assumptions}");
    let private = azroute(&trace(&[
        "--from",
        "vm-shared",
        "--to",
        "8.8.8.8",
        "--default-outbound-unset",
        "private",
        "-o",
        "json",
    ]))
    .found_problem()
    .json();
    assert_eq!(codes(&private), ["PrivateSubnetNoEgress"]);
    let bad = azroute(&trace(&["--from", "vm-shared", "--to", "8.8.8.8", "--default-outbound-unset", "maybe"])).fails();
    assert!(bad.stderr.contains("allowed") && bad.stderr.contains("private"), "{}", bad.stderr);
}

/// §17.3: the Application Gateway's frontend private IP is delivered to the gateway; another
/// address of its subnet names it, never "no host".
#[test]
fn application_gateway_addresses_are_its_own() {
    let v = azroute(&trace(&["--from", "vm-app1", "--to", "10.0.3.10", "-o", "json"])).ok().json();
    assert_eq!(v["verdict"], "Delivered");
    let last = v["hops"].as_array().unwrap().last().unwrap();
    assert_eq!((last["type"].as_str(), last["resource"]["name"].as_str()), (Some("Destination"), Some("agw-hub")));
    let v = azroute(&trace(&["--from", "vm-app1", "--to", "10.0.3.5", "-o", "json"])).found_problem().json();
    assert_eq!(v["verdict"], "Indeterminate");
    assert_eq!(codes(&v), ["PlatformOwnedDestination"]);
    assert!(v["findings"][0]["message"].as_str().unwrap().contains("agw-hub"), "{v}");
}

/// The doctor on the example: the private subnet is its one error; the Application Gateway v2
/// and Bastion subnets, and the NAT gateway, follow the rules.
#[test]
fn doctor_reports_the_private_subnet() {
    let v = azroute(&["doctor", "--example", "hub-firewall", "-o", "json"]).found_problem().json();
    let text = v.to_string();
    assert!(text.contains("PrivateSubnetNoEgress") && text.contains("snet-private"), "{text}");
    for absent in [
        "AppGatewayV2DefaultRouteToAppliance",
        "UdrOnBastionSubnet",
        "BastionSubnetTooSmall",
        "NatGatewayOnUnsupportedSubnet",
        "NatGatewayOverriddenByUdr",
    ] {
        assert!(!text.contains(absent), "{absent}: {text}");
    }
    let explain = azroute(&["doctor", "--explain", "PrivateSubnetNoEgress"]).ok().stdout;
    assert!(explain.contains("https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access"));
}
