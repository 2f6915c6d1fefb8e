//! End-to-end tests of `azroute diff` and `azroute what-if` on the embedded hub-spoke example:
//! a new 0.0.0.0/0 route to the firewall, a removed peering, and the same changes as Terraform
//! plans laid over the live snapshot.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::{Value, json};

/// Exports the hub-spoke example into a fresh directory.
fn exported(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    let out = dir.join("estate");
    azroute(&["examples", "--export", "hub-spoke", "--out", out.to_str().unwrap()]).ok();
    out
}

fn edit(dir: &Path, file: &str, change: impl FnOnce(&mut Value)) {
    let path = dir.join(file);
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    change(&mut v);
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

/// Adds `0.0.0.0/0 → VirtualAppliance 10.0.1.4` to rt-shared (the hub's shared subnet).
fn add_default_route(dir: &Path) {
    edit(dir, "route-table-list.json", |tables| {
        let table = tables.as_array_mut().unwrap().iter_mut().find(|t| t["name"] == "rt-shared").unwrap();
        let id = format!("{}/routes/default-via-fw", table["id"].as_str().unwrap());
        table["routes"].as_array_mut().unwrap().push(json!({
            "id": id, "name": "default-via-fw", "addressPrefix": "0.0.0.0/0",
            "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.1.4"
        }));
    });
}

fn shared_subnet(v: &Value) -> &Value {
    v["routes"].as_array().unwrap().iter().find(|s| s["subnet"] == "vnet-hub/snet-shared").expect("snet-shared changed")
}

#[test]
fn diff_of_a_new_default_route_to_the_nva() {
    let after = exported("diff-default-route");
    add_default_route(&after);
    let run = azroute(&["diff", "--before", "example:hub-spoke", "--after", after.to_str().unwrap(), "-o", "json"]);
    assert_eq!(run.code, 0, "no reachability is lost: {}", run.stderr);
    let v = run.json();
    assert_eq!(v["routes"].as_array().unwrap().len(), 1, "only snet-shared's routes change: {v:#}");
    let shared = shared_subnet(&v);
    assert_eq!(shared["networkInterfaces"], json!(["nic-shared"]));
    let added = &shared["added"][0];
    assert_eq!(added["addressPrefix"], json!(["0.0.0.0/0"]));
    assert_eq!(added["nextHopType"], "VirtualAppliance");
    assert_eq!(added["nextHopIpAddress"], json!(["10.0.1.4"]));
    assert_eq!(added["source"], "User");
    // The default Internet route turns Invalid (§4.2); the reserved None routes go with it.
    let changed = &shared["changed"][0];
    assert_eq!(changed["fields"], json!(["state"]));
    assert_eq!(
        (changed["before"]["state"].as_str(), changed["after"]["state"].as_str()),
        (Some("Active"), Some("Invalid"))
    );
    assert_eq!(changed["after"]["nextHopType"], "Internet");
    let removed: Vec<&str> =
        shared["removed"].as_array().unwrap().iter().map(|r| r["addressPrefix"][0].as_str().unwrap()).collect();
    assert!(removed.contains(&"10.0.0.0/8") && removed.contains(&"192.168.0.0/16"), "{removed:?}");
    // Internet traffic of the shared subnet now passes the firewall.
    let reach = v["reachability"].as_array().unwrap();
    let internet = reach
        .iter()
        .find(|c| c["source"] == "vnet-hub/snet-shared" && c["destination"] == "Internet")
        .expect("snet-shared → Internet changed");
    assert_eq!(internet["change"], "NowThroughNva");
    assert_eq!(internet["after"]["via"], json!(["nic-fw"]));
    assert_eq!(internet["before"]["reachability"], "Delivered");
    assert!(reach.iter().all(|c| c["change"] != "Lost"), "{reach:#?}");
    assert_eq!(v["summary"]["lost"], 0);

    let table = azroute(&["diff", "--before", "example:hub-spoke", "--after", after.to_str().unwrap()]).ok();
    assert!(table.stdout.contains("Changed (state)") && table.stdout.contains("NowThroughNva"), "{}", table.stdout);
    // One route change: recomputed incrementally, with the same answer as in full.
    assert_same_as_full(&["diff", "--before", "example:hub-spoke", "--after", after.to_str().unwrap()], &v);
    let routes_only = azroute(&[
        "diff",
        "--before",
        "example:hub-spoke",
        "--after",
        after.to_str().unwrap(),
        "--routes-only",
        "-o",
        "json",
    ])
    .ok()
    .json();
    assert_eq!(routes_only["summary"]["reachabilityCompared"], false);
    assert!(routes_only["reachability"].as_array().unwrap().is_empty());
}

/// The incremental answer (`v`) names what it recomputed and equals the `--full` one.
fn assert_same_as_full(args: &[&str], v: &Value) {
    let notes = v["notes"].as_array().unwrap();
    assert!(notes.iter().any(|n| n.as_str().unwrap().starts_with("computed incrementally")), "{notes:?}");
    let mut full_args = args.to_vec();
    full_args.extend(["--full", "-o", "json"]);
    let mut full = azroute(&full_args).json();
    assert!(full["notes"].as_array().unwrap().iter().any(|n| n == "computed in full (--full)"));
    let mut incremental = v.clone();
    incremental["notes"] = json!([]);
    full["notes"] = json!([]);
    assert_eq!(incremental, full);
}

#[test]
fn diff_of_a_removed_peering_reports_lost_reachability_and_exits_1() {
    let after = exported("diff-removed-peering");
    edit(&after, "vnet-list.json", |vnets| {
        for v in vnets.as_array_mut().unwrap() {
            if v["name"] == "vnet-hub" {
                v["virtualNetworkPeerings"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|p| !p["name"].as_str().unwrap().contains("spoke2"));
            }
        }
    });
    let run = azroute(&["diff", "--before", "example:hub-spoke", "--after", after.to_str().unwrap(), "-o", "json"]);
    assert_eq!(run.code, 1, "lost reachability exits 1: {}", run.stderr);
    let v = run.json();
    // §5.1/T37: with the hub side deleted, spoke2's side is not Connected: no peering routes.
    let spoke2 = v["routes"].as_array().unwrap().iter().find(|s| s["subnet"] == "vnet-spoke2/snet-app").unwrap();
    assert!(
        spoke2["removed"].as_array().unwrap().iter().any(|r| r["nextHopType"] == "VNetGlobalPeering"),
        "{spoke2:#}"
    );
    let lost: Vec<&Value> = v["reachability"].as_array().unwrap().iter().filter(|c| c["change"] == "Lost").collect();
    assert!(!lost.is_empty());
    let to_spoke2 = lost
        .iter()
        .find(|c| c["source"] == "vnet-spoke1/snet-workload" && c["destination"] == "vnet-spoke2/snet-app")
        .expect("spoke1 → spoke2 is lost");
    assert_eq!(to_spoke2["before"]["reachability"], "DeliveredThroughNva");
    assert!(to_spoke2["code"].is_string());
    assert!(lost.iter().any(|c| c["source"] == "vnet-spoke2/snet-app" && c["destinationType"] == "OnPremises"));
    assert_eq!(v["summary"]["lost"].as_u64().unwrap() as usize, lost.len());
    assert_same_as_full(&["diff", "--before", "example:hub-spoke", "--after", after.to_str().unwrap()], &v);
    let table = azroute(&["diff", "--before", "example:hub-spoke", "--after", after.to_str().unwrap()]);
    assert_eq!(table.code, 1);
    assert!(table.stdout.contains("Lost") && table.stdout.contains("See why: azroute trace"), "{}", table.stdout);
}

#[test]
fn diff_with_no_changes_and_bad_inputs() {
    let same = exported("diff-same");
    let v = azroute(&["diff", "--before", "example:hub-spoke", "--after", same.to_str().unwrap(), "-o", "json"])
        .ok()
        .json();
    assert!(v["routes"].as_array().unwrap().is_empty() && v["reachability"].as_array().unwrap().is_empty());
    azroute(&["diff", "--before", "example:nope", "--after", same.to_str().unwrap()]).fails();
    let missing = azroute(&["diff", "--before", "example:hub-spoke", "--after", "/definitely/not/here"]).fails();
    assert!(missing.stderr.contains("after snapshot") || missing.stderr.contains("cannot read"), "{}", missing.stderr);
    // Exporting never overwrites.
    let again = azroute(&["examples", "--export", "hub-spoke", "--out", same.to_str().unwrap()]).fails();
    assert!(again.stderr.contains("already exists"));
}

fn write_plan(dir: &Path, changes: Value) -> PathBuf {
    let path = dir.join("plan.json");
    let plan = json!({"format_version": "1.2", "terraform_version": "1.9.5", "resource_changes": changes});
    std::fs::write(&path, serde_json::to_string_pretty(&plan).unwrap()).unwrap();
    path
}

const SUB: &str =
    "/subscriptions/00000000-0000-0000-0000-00000000a2e0/resourceGroups/rg-network/providers/Microsoft.Network";

#[test]
fn what_if_a_plan_adds_a_default_route() {
    let dir = temp_dir("what-if-route");
    let plan = write_plan(
        &dir,
        json!([
            {
                "address": "azurerm_route.shared_default", "mode": "managed", "type": "azurerm_route", "name": "shared_default",
                "change": {
                    "actions": ["create"], "before": null,
                    "after": {"name": "default-via-fw", "resource_group_name": "rg-network", "route_table_name": "rt-shared",
                              "address_prefix": "0.0.0.0/0", "next_hop_type": "VirtualAppliance", "next_hop_in_ip_address": "10.0.1.4"},
                    "after_unknown": {"id": true}
                }
            },
            // Unchanged resources of the plan leave the live copies alone.
            {
                "address": "azurerm_route_table.spoke1", "mode": "managed", "type": "azurerm_route_table", "name": "spoke1",
                "change": {
                    "actions": ["no-op"],
                    "before": {"id": format!("{SUB}/routeTables/rt-spoke1"), "name": "rt-spoke1", "resource_group_name": "rg-network", "location": "westeurope", "route": []},
                    "after": {"id": format!("{SUB}/routeTables/rt-spoke1"), "name": "rt-spoke1", "resource_group_name": "rg-network", "location": "westeurope", "route": []}
                }
            }
        ]),
    );
    let run = azroute(&["what-if", "--example", "hub-spoke", "--plan", plan.to_str().unwrap(), "-o", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = run.json();
    assert_eq!(v["routes"].as_array().unwrap().len(), 1, "{v:#}");
    assert_eq!(shared_subnet(&v)["added"][0]["name"], "default-via-fw");
    let reach = v["reachability"].as_array().unwrap();
    assert!(reach.iter().any(|c| c["source"] == "vnet-hub/snet-shared" && c["change"] == "NowThroughNva"));
}

#[test]
fn what_if_a_plan_deletes_a_peering_and_a_route_table_association() {
    let dir = temp_dir("what-if-peering");
    let plan = write_plan(
        &dir,
        json!([
            {
                "address": "azurerm_virtual_network_peering.hub_to_spoke2", "mode": "managed",
                "type": "azurerm_virtual_network_peering", "name": "hub_to_spoke2",
                "change": {
                    "actions": ["delete"],
                    "before": {"id": format!("{SUB}/virtualNetworks/vnet-hub/virtualNetworkPeerings/hub-to-spoke2"), "name": "hub-to-spoke2"},
                    "after": null
                }
            },
            {
                "address": "azurerm_subnet_route_table_association.shared", "mode": "managed",
                "type": "azurerm_subnet_route_table_association", "name": "shared",
                "change": {
                    "actions": ["delete"],
                    "before": {"id": format!("{SUB}/virtualNetworks/vnet-hub/subnets/snet-shared"),
                               "subnet_id": format!("{SUB}/virtualNetworks/vnet-hub/subnets/snet-shared"),
                               "route_table_id": format!("{SUB}/routeTables/rt-shared")},
                    "after": null
                }
            }
        ]),
    );
    let run = azroute(&["what-if", "--example", "hub-spoke", "--plan", plan.to_str().unwrap(), "-o", "json"]);
    assert_eq!(run.code, 1, "lost reachability exits 1: {}", run.stderr);
    let v = run.json();
    let shared = shared_subnet(&v);
    // Without rt-shared, its user routes are gone.
    assert!(shared["removed"].as_array().unwrap().iter().any(|r| r["name"] == "to-spoke1-via-fw"), "{shared:#}");
    let lost: Vec<&Value> = v["reachability"].as_array().unwrap().iter().filter(|c| c["change"] == "Lost").collect();
    assert!(lost.iter().any(|c| c["destination"] == "vnet-spoke2/snet-app"), "{lost:#?}");
    assert!(v["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("deletes 1 resource")));
    assert_same_as_full(&["what-if", "--example", "hub-spoke", "--plan", plan.to_str().unwrap()], &v);
}

/// `azurerm_route` `default-via-fw` of rt-spoke1 as Terraform has it; the export holds the route
/// inside its table.
fn spoke1_default_route(next_hop_type: &str, next_hop_ip: Option<&str>) -> Value {
    json!({
        "id": format!("{SUB}/routeTables/rt-spoke1/routes/default-via-fw"), "name": "default-via-fw",
        "resource_group_name": "rg-network", "route_table_name": "rt-spoke1", "address_prefix": "0.0.0.0/0",
        "next_hop_type": next_hop_type, "next_hop_in_ip_address": next_hop_ip
    })
}

fn route_change(actions: &[&str], before: Value, after: Value) -> Value {
    json!([{
        "address": "azurerm_route.spoke1_default", "mode": "managed", "type": "azurerm_route", "name": "spoke1_default",
        "change": {"actions": actions, "before": before, "after": after, "after_unknown": {}}
    }])
}

fn spoke1_subnet(v: &Value) -> &Value {
    v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["subnet"] == "vnet-spoke1/snet-workload")
        .expect("snet-workload changed")
}

// Issue 11: a plan deleting a route the export holds inside its table printed "no changes".
#[test]
fn what_if_a_plan_deletes_a_route_an_export_holds_inline() {
    let dir = temp_dir("what-if-inline-delete");
    let plan = write_plan(
        &dir,
        route_change(&["delete"], spoke1_default_route("VirtualAppliance", Some("10.0.1.4")), Value::Null),
    );
    let run = azroute(&["what-if", "--example", "hub-spoke", "--plan", plan.to_str().unwrap(), "-o", "json"]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let v = run.json();
    let removed = &spoke1_subnet(&v)["removed"];
    assert!(removed.as_array().unwrap().iter().any(|r| r["name"] == "default-via-fw"), "{v:#}");
    assert_same_as_full(&["what-if", "--example", "hub-spoke", "--plan", plan.to_str().unwrap()], &v);
}

// Issue 11: updating such a route failed with ConflictingDuplicate.
#[test]
fn what_if_a_plan_updates_a_route_an_export_holds_inline() {
    let dir = temp_dir("what-if-inline-update");
    let before = spoke1_default_route("VirtualAppliance", Some("10.0.1.4"));
    let plan = write_plan(&dir, route_change(&["update"], before, spoke1_default_route("None", None)));
    let run = azroute(&["what-if", "--example", "hub-spoke", "--plan", plan.to_str().unwrap(), "-o", "json"]);
    assert!(!run.stderr.contains("ConflictingDuplicate"), "{}", run.stderr);
    let v = run.json();
    let changed = &spoke1_subnet(&v)["changed"][0];
    assert_eq!(changed["after"]["nextHopType"], "None", "{v:#}");
}

// Issue 11: a rule updated from Allow to Deny reported no reachability change.
#[test]
fn what_if_a_plan_turns_an_inline_nsg_rule_to_deny() {
    let dir = temp_dir("what-if-inline-rule");
    let rule = |access: &str| {
        json!({
            "id": format!("{SUB}/networkSecurityGroups/nsg-nva/securityRules/allow-spokes-and-onprem"),
            "name": "allow-spokes-and-onprem", "resource_group_name": "rg-network", "network_security_group_name": "nsg-nva",
            "access": access, "direction": "Inbound", "priority": 100, "protocol": "*", "source_port_range": "*",
            "destination_port_range": "*", "source_address_prefixes": ["10.0.0.0/8", "172.16.0.0/12"],
            "destination_address_prefix": "*"
        })
    };
    let plan = write_plan(
        &dir,
        json!([{
            "address": "azurerm_network_security_rule.nva", "mode": "managed", "type": "azurerm_network_security_rule", "name": "nva",
            "change": {"actions": ["update"], "before": rule("Allow"), "after": rule("Deny"), "after_unknown": {}}
        }]),
    );
    let run = azroute(&["what-if", "--example", "hub-spoke", "--plan", plan.to_str().unwrap(), "-o", "json"]);
    assert_eq!(run.code, 1, "traffic through the NVA is lost: {}", run.stderr);
    let v = run.json();
    assert!(v["reachability"].as_array().unwrap().iter().any(|c| c["change"] == "Lost"), "{v:#}");
}

// Issue 11: a change of case in a name was invisible; an id in another case is the same resource.
#[test]
fn diff_sees_a_name_in_another_case_but_not_an_id_in_another_case() {
    let renamed = exported("diff-name-case");
    edit(&renamed, "route-table-list.json", |tables| {
        let table = tables.as_array_mut().unwrap().iter_mut().find(|t| t["name"] == "rt-spoke1").unwrap();
        let route = table["routes"].as_array_mut().unwrap().iter_mut().find(|r| r["name"] == "default-via-fw").unwrap();
        route["name"] = json!("Default-Via-FW");
    });
    let v =
        azroute(&["diff", "--before", "example:hub-spoke", "--after", renamed.to_str().unwrap(), "-o", "json"]).json();
    let changed = &spoke1_subnet(&v)["changed"][0];
    assert_eq!(changed["fields"], json!(["name"]), "{v:#}");
    let recased = exported("diff-id-case");
    edit(&recased, "route-table-list.json", |tables| {
        let table = tables.as_array_mut().unwrap().iter_mut().find(|t| t["name"] == "rt-spoke1").unwrap();
        for route in table["routes"].as_array_mut().unwrap() {
            let upper = route["id"].as_str().unwrap().to_uppercase();
            route["id"] = json!(upper);
        }
    });
    let v = azroute(&["diff", "--before", "example:hub-spoke", "--after", recased.to_str().unwrap(), "-o", "json"])
        .ok()
        .json();
    assert!(v["routes"].as_array().unwrap().is_empty() && v["reachability"].as_array().unwrap().is_empty(), "{v:#}");
}

// Issue 18: two estates with the same content are recognised without tracing, and the answer
// is the full computation's.
#[test]
fn diff_of_estates_with_the_same_content_traces_nothing() {
    for example in ["hub-spoke", "troubleshoot"] {
        let dir = temp_dir(&format!("diff-same-content-{example}")).join("estate");
        azroute(&["examples", "--export", example, "--out", dir.to_str().unwrap()]).ok();
        // Other whitespace in one file: the content is what counts.
        edit(&dir, "vnet-list.json", |_| {});
        let before = format!("example:{example}");
        let args = ["diff", "--before", &before, "--after", dir.to_str().unwrap(), "-o", "json"];
        let fast = azroute(&args).ok().json();
        let notes = fast["notes"].as_array().unwrap();
        assert!(
            notes.iter().any(|n| n.as_str().unwrap().starts_with("the two estates have the same content")),
            "{notes:?}"
        );
        let full = azroute(&[&args[..], &["--full"]].concat()).ok().json();
        assert_eq!(fast["routes"], full["routes"]);
        assert_eq!(fast["reachability"], full["reachability"]);
        assert!(fast["routes"].as_array().unwrap().is_empty() && fast["reachability"].as_array().unwrap().is_empty());
    }
}

/// `diff` and `what-if` name an on-premises destination as `reach` names its column, by its
/// local network gateway and prefix (`lng-onprem 172.16.0.0/16`), not by the prefix alone.
#[test]
fn diff_and_what_if_name_on_premises_as_reach_does() {
    let reach = azroute(&["reach", "--example", "hub-spoke", "-o", "json"]).json();
    let reach_names: Vec<&str> = reach["columns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "OnPremises")
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    // The site's address space and the prefix its BGP peer advertised.
    assert_eq!(reach_names, ["lng-onprem 172.16.0.0/16", "lng-onprem 172.17.0.0/16"]);
    let on_premises = |v: &Value| -> Vec<String> {
        let changes = v["reachability"].as_array().unwrap().iter();
        changes
            .filter(|c| c["destinationType"] == "OnPremises")
            .map(|c| c["destination"].as_str().unwrap().to_string())
            .collect()
    };
    let after = exported("diff-on-premises-name");
    edit(&after, "vnet-list.json", |vnets| {
        let hub = vnets.as_array_mut().unwrap().iter_mut().find(|v| v["name"] == "vnet-hub").unwrap();
        hub["virtualNetworkPeerings"]
            .as_array_mut()
            .unwrap()
            .retain(|p| !p["name"].as_str().unwrap().contains("spoke2"));
    });
    let diff = azroute(&["diff", "--before", "example:hub-spoke", "--after", after.to_str().unwrap(), "-o", "json"]);
    let plan = write_plan(
        &temp_dir("what-if-on-premises-name"),
        json!([{
            "address": "azurerm_virtual_network_peering.hub_to_spoke2", "mode": "managed",
            "type": "azurerm_virtual_network_peering", "name": "hub_to_spoke2",
            "change": {"actions": ["delete"], "after": null,
                       "before": {"id": format!("{SUB}/virtualNetworks/vnet-hub/virtualNetworkPeerings/hub-to-spoke2"), "name": "hub-to-spoke2"}}
        }]),
    );
    let what_if = azroute(&["what-if", "--example", "hub-spoke", "--plan", plan.to_str().unwrap(), "-o", "json"]);
    for (command, v) in [("diff", diff.json()), ("what-if", what_if.json())] {
        let names = on_premises(&v);
        assert!(!names.is_empty(), "{command}: spoke2 loses on-premises: {v:#}");
        assert!(names.iter().all(|n| reach_names.contains(&n.as_str())), "{command}: {names:?}");
        assert!(names.iter().any(|n| n == "lng-onprem 172.16.0.0/16"), "{command}: {names:?}");
    }
    let table = azroute(&["diff", "--before", "example:hub-spoke", "--after", after.to_str().unwrap()]);
    assert!(table.stdout.contains("lng-onprem 172.16.0.0/16"), "{}", table.stdout);
}
