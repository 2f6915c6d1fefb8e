//! `azroute trace --from/--to` as a user types them (issue 11, "Addresses"): an address of a
//! subnet no NIC holds, an address two NICs hold, a name two NICs share, the IP family of a
//! named NIC, and ICMP with a port. Each case exits 2 with a message that names what to do, or
//! traces with the right ends.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::{Value, json};

/// The `hub-spoke` example plus, in resource group `rg-other`, an unpeered copy of vnet-spoke1
/// (`vnet-copy`, same 10.1.0.0/16, plus fd00:1::/32) holding its own `nic-app1` (10.1.1.4, as
/// the example's) with VM `vm-app1`, and a dual-stack `nic-dual` (10.1.1.5, fd00:1:1::5).
fn overlapping_estate(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    azroute(&["examples", "--export", "hub-spoke", "--out", dir.to_str().unwrap()]).ok();
    let sub = "/subscriptions/00000000-0000-0000-0000-00000000a2e0/resourceGroups/rg-other/providers";
    let subnet = format!("{sub}/Microsoft.Network/virtualNetworks/vnet-copy/subnets/snet-workload");
    let nic = |name: &str, configs: Value, vm: Option<&str>| {
        let mut n = json!({
            "id": format!("{sub}/Microsoft.Network/networkInterfaces/{name}"),
            "name": name, "location": "eastus", "resourceGroup": "rg-other",
            "type": "Microsoft.Network/networkInterfaces", "enableIPForwarding": false,
            "ipConfigurations": configs,
        });
        if let Some(vm) = vm {
            n["virtualMachine"] = json!({"id": format!("{sub}/Microsoft.Compute/virtualMachines/{vm}")});
        }
        n
    };
    let config = |nic: &str, name: &str, ip: &str, primary: bool, version: &str| {
        json!({
            "id": format!("{sub}/Microsoft.Network/networkInterfaces/{nic}/ipConfigurations/{name}"),
            "name": name, "primary": primary, "privateIPAddress": ip, "privateIPAddressVersion": version,
            "subnet": {"id": subnet},
        })
    };
    let resources = json!([
        {
            "id": format!("{sub}/Microsoft.Network/virtualNetworks/vnet-copy"),
            "name": "vnet-copy", "location": "eastus", "resourceGroup": "rg-other",
            "type": "Microsoft.Network/virtualNetworks",
            "addressSpace": {"addressPrefixes": ["10.1.0.0/16", "fd00:1::/32"]},
            "subnets": [{"id": subnet, "name": "snet-workload", "addressPrefixes": ["10.1.1.0/24", "fd00:1:1::/64"]}],
        },
        nic("nic-app1", json!([config("nic-app1", "ipconfig1", "10.1.1.4", true, "IPv4")]), Some("vm-app1")),
        nic("nic-dual", json!([
            config("nic-dual", "ipconfig1", "10.1.1.5", true, "IPv4"),
            config("nic-dual", "ipconfig2", "fd00:1:1::5", false, "IPv6"),
        ]), None),
        {
            "id": format!("{sub}/Microsoft.Compute/virtualMachines/vm-app1"),
            "name": "vm-app1", "location": "eastus", "resourceGroup": "rg-other",
            "type": "Microsoft.Compute/virtualMachines",
            "networkProfile": {"networkInterfaces": [{"id": format!("{sub}/Microsoft.Network/networkInterfaces/nic-app1")}]},
        },
    ]);
    std::fs::write(dir.join("rg-other.json"), serde_json::to_string_pretty(&resources).unwrap()).unwrap();
    dir
}

fn trace(snapshot: &Path, args: &[&str]) -> Run {
    let mut all = vec!["trace", "--snapshot", snapshot.to_str().unwrap()];
    all.extend_from_slice(args);
    azroute(&all)
}

/// Before: 10.1.2.5 (in vnet-spoke1/snet-endpoints, held by nothing) was taken for an Internet
/// address ("neither in a VNet nor behind a gateway").
#[test]
fn a_source_address_no_nic_holds_names_its_subnet_and_suggests_assume_host() {
    let run = azroute(&["trace", "--example", "hub-spoke", "--from", "10.1.2.5", "--to", "10.0.2.4"]).fails();
    assert!(run.stderr.contains("subnet `vnet-spoke1/snet-endpoints`"), "{}", run.stderr);
    assert!(run.stderr.contains("--assume-host"), "{}", run.stderr);
    assert!(!run.stdout.contains("Internet"), "{}", run.stdout);
    // With --assume-host it is a host there.
    let run = azroute(&[
        "trace",
        "--example",
        "hub-spoke",
        "--assume-host",
        "--from",
        "10.1.2.5",
        "--to",
        "10.2.1.4",
        "-o",
        "json",
    ]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert_eq!(run.json()["request"]["source"], "10.1.2.5");
    assert_ne!(run.json()["hops"][0]["kind"], "Internet", "{}", run.stdout);
}

#[test]
fn a_destination_address_no_nic_holds_is_no_host_with_its_subnet_and_the_hint() {
    let run = azroute(&["trace", "--example", "hub-spoke", "--from", "nic-app1", "--to", "10.1.2.5", "-o", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v = run.json();
    let finding =
        v["findings"].as_array().unwrap().iter().find(|f| f["code"] == "NoHostAtDestination").expect("finding");
    let resources: Vec<&str> = finding["resources"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    assert!(
        resources.iter().any(|r| r.ends_with("/virtualNetworks/vnet-spoke1/subnets/snet-endpoints")),
        "{resources:?}"
    );
    assert!(run.stderr.contains("subnet `vnet-spoke1/snet-endpoints`") && run.stderr.contains("--assume-host"));
}

/// Before: 10.1.1.4 held by two NICs in unpeered, overlapping VNets was silently taken as an
/// Internet address; now both NICs are listed.
#[test]
fn an_address_two_nics_hold_lists_both() {
    let dir = overlapping_estate("endpoints-shared-address");
    let run = trace(&dir, &["--from", "10.1.1.4", "--to", "10.2.1.4"]).fails();
    assert!(run.stderr.contains("held by 2 network interfaces"), "{}", run.stderr);
    assert!(run.stderr.contains("rg-network/nic-app1") && run.stderr.contains("rg-other/nic-app1"), "{}", run.stderr);
    let run = trace(&dir, &["--from", "nic-app2", "--to", "10.1.1.4"]).fails();
    assert!(run.stderr.contains("--to: the address 10.1.1.4 is held by 2"), "{}", run.stderr);
}

/// Before: "`vm-app1` is not an IP address, NIC or VM of the snapshot", then the candidates.
#[test]
fn an_ambiguous_name_says_so_and_resource_group_slash_name_picks_one() {
    let dir = overlapping_estate("endpoints-ambiguous-name");
    for name in ["vm-app1", "nic-app1"] {
        let run = trace(&dir, &["--from", name, "--to", "10.2.1.4"]).fails();
        assert!(run.stderr.contains("is ambiguous"), "{}", run.stderr);
        assert!(!run.stderr.contains("is not an IP address"), "{}", run.stderr);
        assert!(run.stderr.contains(&format!("rg-other/{name}")), "{}", run.stderr);
        assert!(run.stderr.contains("RESOURCE-GROUP/NAME"), "{}", run.stderr);
    }
    let run = trace(&dir, &["--from", "rg-network/vm-app1", "--to", "10.2.1.4", "-o", "json"]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert!(run.json()["request"]["sourceResource"]["id"].as_str().unwrap().contains("/rg-network/"));
    // routes takes the same form.
    let run = azroute(&["routes", "--snapshot", dir.to_str().unwrap(), "--nic", "nic-app1"]).fails();
    assert!(run.stderr.contains("rg-other/nic-app1") && run.stderr.contains("rg-network/nic-app1"), "{}", run.stderr);
    azroute(&["routes", "--snapshot", dir.to_str().unwrap(), "--nic", "RG-OTHER/nic-app1"]).ok();
}

/// Before: from an IPv4-only NIC to an IPv6 address, a deny by a rule named "" and exit 0.
#[test]
fn a_named_nic_takes_its_address_of_the_other_ends_family() {
    let run = azroute(&["trace", "--example", "hub-spoke", "--from", "vm-app1", "--to", "2001:db8::4"]).fails();
    assert!(run.stderr.contains("`nic-app1` has no IPv6 address"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let run = azroute(&["trace", "--example", "hub-spoke", "--from", "2001:db8::9", "--to", "nic-app2"]).fails();
    assert!(run.stderr.contains("--to: network interface `nic-app2` has no IPv6 address"), "{}", run.stderr);
    let run = azroute(&["trace", "--example", "hub-spoke", "--from", "10.1.1.4", "--to", "2001:db8::1"]).fails();
    assert!(run.stderr.contains("is IPv4") && run.stderr.contains("is IPv6"), "{}", run.stderr);
    let dir = overlapping_estate("endpoints-family");
    let run = trace(&dir, &["--from", "nic-dual", "--to", "fd00:1:1::6", "-o", "json"]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.json()["request"]["source"], "fd00:1:1::5");
    let run = trace(&dir, &["--from", "nic-dual", "--to", "10.1.1.6", "-o", "json"]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.json()["request"]["source"], "10.1.1.5");
}

/// Before: "--protocol ICMP --port 22" printed "ICMP/22".
#[test]
fn icmp_with_a_port_is_refused() {
    let run = azroute(&[
        "trace",
        "--example",
        "hub-spoke",
        "--from",
        "vm-app1",
        "--to",
        "vm-app2",
        "--protocol",
        "ICMP",
        "--port",
        "22",
    ])
    .fails();
    assert!(run.stderr.contains("--port 22 was given for ICMP, which has no ports"), "{}", run.stderr);
    let run = azroute(&["reach", "--example", "hub-spoke", "--protocol", "icmp", "--source-port", "1"]).fails();
    assert!(run.stderr.contains("--source-port 1 was given for ICMP"), "{}", run.stderr);
    let run =
        azroute(&["trace", "--example", "hub-spoke", "--from", "vm-app1", "--to", "vm-app2", "--protocol", "ICMP"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn an_unknown_name_gets_a_did_you_mean() {
    let run = azroute(&["trace", "--example", "hub-spoke", "--from", "vm-ap1", "--to", "vm-app2"]).fails();
    assert!(run.stderr.contains("`vm-ap1` given to --from is not an IP address, NIC or VM"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean one of: vm-app1, vm-app2?"), "{}", run.stderr);
}
