//! A Terraform plan laid over a live snapshot must give the estate the same edit made by hand
//! gives: for every plan action (create, update, delete, both replacement orders, no-op, read)
//! on every child kind (routes of a route table, security rules of an NSG, subnets of a VNet,
//! peerings, a NIC's IP configurations), over an az CLI export that holds the children inline
//! (the embedded `hub-spoke` example) and over a Terraform state. "The same" is what `diff` and
//! `what-if` print: the route and reachability differences from the live estate.

use std::path::Path;

use azroute_engine::{CompareRequest, Comparison, ReachQuery, compare};
use azroute_ingest::{Loaded, Severity, load_overlay_texts, load_texts};
use azroute_model::{ModelOptions, Snapshot};
use serde_json::{Value, json};

const SUB: &str =
    "/subscriptions/00000000-0000-0000-0000-00000000a2e0/resourceGroups/rg-network/providers/Microsoft.Network";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Create,
    Update,
    Delete,
    DeleteCreate,
    CreateDelete,
    NoOp,
    Read,
}

const ACTIONS: [Action; 7] = [
    Action::Create,
    Action::Update,
    Action::Delete,
    Action::DeleteCreate,
    Action::CreateDelete,
    Action::NoOp,
    Action::Read,
];

impl Action {
    fn terraform(self) -> Vec<&'static str> {
        match self {
            Action::Create => vec!["create"],
            Action::Update => vec!["update"],
            Action::Delete => vec!["delete"],
            Action::DeleteCreate => vec!["delete", "create"],
            Action::CreateDelete => vec!["create", "delete"],
            Action::NoOp => vec!["no-op"],
            Action::Read => vec!["read"],
        }
    }

    fn changes_nothing(self) -> bool {
        matches!(self, Action::NoOp | Action::Read)
    }
}

/// One child kind: its Terraform type, its attributes before, the attributes a new one and an
/// updated one have, and the same edits made to the JSON by hand.
struct Kind {
    name: &'static str,
    rtype: &'static str,
    /// The existing child as Terraform has it.
    before: Value,
    /// A child that does not exist yet.
    created: Value,
    /// The existing child, changed.
    updated: Value,
    /// The existing child under a new name (a replacement that changes the id); no id, as a
    /// plan does not know it yet.
    renamed: Value,
    /// Hand edits of the live files.
    edit: fn(&mut Files, Action),
    /// The other changes a real plan lists with this one (associations of the resource).
    with: fn(Action) -> Vec<Value>,
}

fn nothing_else(_: Action) -> Vec<Value> {
    Vec::new()
}

fn change(address: &str, rtype: &str, actions: Vec<&str>, before: Value, after: Value, unknown: Value) -> Value {
    json!({
        "address": address,
        "mode": "managed",
        "type": rtype,
        "name": address.rsplit('.').next().unwrap(),
        "change": {"actions": actions, "before": before, "after": after, "after_unknown": unknown},
    })
}

type Files = Vec<(String, Value)>;

fn read_dir(dir: &Path) -> Files {
    let mut files: Files = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name, serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap())
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn texts(files: &Files) -> Vec<(String, String)> {
    files.iter().map(|(n, v)| (n.clone(), serde_json::to_string_pretty(v).unwrap())).collect()
}

fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

/// The list in `file` (an az CLI list).
fn list<'a>(files: &'a mut Files, file: &str) -> &'a mut Vec<Value> {
    let (_, v) = files.iter_mut().find(|(n, _)| n == file).unwrap();
    v.as_array_mut().unwrap()
}

fn by_name<'a>(items: &'a mut [Value], name: &str) -> &'a mut Value {
    items.iter_mut().find(|i| i["name"] == name).unwrap_or_else(|| panic!("no `{name}`"))
}

/// A plan of one resource change (`before`/`after` as the action has them).
fn plan(kind: &Kind, action: Action) -> String {
    let (before, after, unknown) = match action {
        Action::Create => (Value::Null, kind.created.clone(), json!({"id": true})),
        Action::Update => (kind.before.clone(), kind.updated.clone(), json!({})),
        Action::Delete => (kind.before.clone(), Value::Null, json!({})),
        Action::DeleteCreate | Action::CreateDelete => (kind.before.clone(), kind.renamed.clone(), json!({"id": true})),
        Action::NoOp | Action::Read => (kind.before.clone(), kind.before.clone(), json!({})),
    };
    let mut changes =
        vec![change(&format!("{}.planned", kind.rtype), kind.rtype, action.terraform(), before, after, unknown)];
    changes.extend((kind.with)(action));
    // Every plan lists the resource group (unchanged): its id names the subscription of the
    // ids Azure will give new resources.
    let rg =
        json!({"id": SUB.trim_end_matches("/providers/Microsoft.Network"), "name": "rg-network", "location": "eastus"});
    changes.push(change(
        "azurerm_resource_group.rg",
        "azurerm_resource_group",
        vec!["no-op"],
        rg.clone(),
        rg,
        json!({}),
    ));
    json!({"format_version": "1.2", "resource_changes": changes}).to_string()
}

fn checked(loaded: Loaded, what: &str) -> Snapshot {
    let errors: Vec<String> =
        loaded.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| d.to_string()).collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
    loaded.snapshot
}

fn compared(before: &Snapshot, after: &Snapshot) -> Comparison {
    let request = CompareRequest {
        options: ModelOptions::default(),
        full: false,
        reach: Some((ReachQuery::every_subnet(before, 443), ReachQuery::every_subnet(after, 443))),
    };
    compare(before, after, request)
}

/// Every action of every kind: the plan laid over the live estate (`live_for` the action) gives
/// the differences the hand edit gives; changes are seen, no-ops and reads change nothing.
fn check_every_action(live_for: &dyn Fn(Action) -> Files, kinds: &[Kind]) {
    let mut failures = Vec::new();
    for kind in kinds {
        for action in ACTIONS {
            let case = format!("{} {action:?}", kind.name);
            let live = &live_for(action);
            let before = checked(load_texts(&texts(live)), "live");
            let mut edited = live.clone();
            (kind.edit)(&mut edited, action);
            let by_hand = checked(load_texts(&texts(&edited)), &format!("{case} by hand"));
            let planned = load_overlay_texts(&texts(live), &[("plan.json".to_string(), plan(kind, action))]);
            let planned = checked(planned, &format!("{case} planned"));
            let (want, got) = (compared(&before, &by_hand), compared(&before, &planned));
            let want_reach = want.reach.clone().unwrap_or_default();
            let changed = !want.routes.is_empty() || !want_reach.is_empty();
            if changed == action.changes_nothing() {
                failures.push(format!("{case}: the hand edit changes {} (test case is wrong)", changed));
            }
            if got.routes != want.routes {
                failures.push(format!("{case}: routes\n  plan:    {:?}\n  by hand: {:?}", got.routes, want.routes));
            }
            if got.reach.unwrap_or_default() != want_reach {
                failures.push(format!("{case}: reachability differs from the hand edit"));
            }
        }
    }
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

// ----- Over an az CLI export (children inline) -----

fn arm_route(name: &str, prefix: &str, hop: &str, ip: Option<&str>) -> Value {
    let mut r = json!({
        "addressPrefix": prefix,
        "id": format!("{SUB}/routeTables/rt-spoke1/routes/{name}"),
        "name": name,
        "nextHopType": hop,
        "type": "Microsoft.Network/routeTables/routes",
    });
    if let Some(ip) = ip {
        r["nextHopIpAddress"] = json!(ip);
    }
    r
}

fn tf_route(name: &str, prefix: &str, hop: &str, ip: Option<&str>, with_id: bool) -> Value {
    let mut r = json!({
        "name": name,
        "resource_group_name": "rg-network",
        "route_table_name": "rt-spoke1",
        "address_prefix": prefix,
        "next_hop_type": hop,
        "next_hop_in_ip_address": ip,
    });
    if with_id {
        r["id"] = json!(format!("{SUB}/routeTables/rt-spoke1/routes/{name}"));
    }
    r
}

fn edit_route(files: &mut Files, action: Action) {
    let routes = by_name(list(files, "route-table-list.json"), "rt-spoke1")["routes"].as_array_mut().unwrap();
    let at = routes.iter().position(|r| r["name"] == "default-via-fw").unwrap();
    match action {
        Action::Create => routes.push(arm_route("to-partner", "192.168.50.0/24", "VirtualAppliance", Some("10.0.1.4"))),
        Action::Update => routes[at] = arm_route("default-via-fw", "0.0.0.0/0", "None", None),
        Action::Delete => {
            routes.remove(at);
        }
        Action::DeleteCreate | Action::CreateDelete => {
            routes.remove(at);
            routes.push(arm_route("default-none", "0.0.0.0/0", "None", None));
        }
        Action::NoOp | Action::Read => {}
    }
}

fn arm_rule(name: &str, access: &str, priority: u32, sources: &[&str]) -> Value {
    json!({
        "access": access,
        "destinationAddressPrefix": "*",
        "destinationPortRange": "*",
        "direction": "Inbound",
        "id": format!("{SUB}/networkSecurityGroups/nsg-shared/securityRules/{name}"),
        "name": name,
        "priority": priority,
        "protocol": "*",
        "sourceAddressPrefixes": sources,
        "sourcePortRange": "*",
        "type": "Microsoft.Network/networkSecurityGroups/securityRules",
    })
}

fn tf_rule(name: &str, access: &str, priority: u32, sources: &[&str], with_id: bool) -> Value {
    let mut r = json!({
        "name": name,
        "resource_group_name": "rg-network",
        "network_security_group_name": "nsg-shared",
        "access": access,
        "direction": "Inbound",
        "priority": priority,
        "protocol": "*",
        "source_port_range": "*",
        "destination_port_range": "*",
        "source_address_prefixes": sources,
        "destination_address_prefix": "*",
    });
    if with_id {
        r["id"] = json!(format!("{SUB}/networkSecurityGroups/nsg-shared/securityRules/{name}"));
    }
    r
}

const SPOKES: [&str; 2] = ["10.1.0.0/16", "10.2.0.0/16"];

/// `deny-spokes` (everything from both spokes) is added to the live NSG first, so that every
/// edit changes what the reachability matrix sees.
fn with_spoke_rule(files: &mut Files) {
    let rules = by_name(list(files, "nsg-list.json"), "nsg-shared")["securityRules"].as_array_mut().unwrap();
    rules.push(arm_rule("deny-spokes", "Deny", 90, &SPOKES));
}

fn edit_rule(files: &mut Files, action: Action) {
    let rules = by_name(list(files, "nsg-list.json"), "nsg-shared")["securityRules"].as_array_mut().unwrap();
    let at = rules.iter().position(|r| r["name"] == "deny-spokes").unwrap();
    match action {
        Action::Create => rules.push(arm_rule("allow-spoke2", "Allow", 80, &["10.2.0.0/16"])),
        Action::Update => rules[at] = arm_rule("deny-spokes", "Allow", 90, &SPOKES),
        Action::Delete => {
            rules.remove(at);
        }
        Action::DeleteCreate | Action::CreateDelete => {
            rules.remove(at);
            rules.push(arm_rule("deny-spoke1", "Deny", 90, &SPOKES[..1]));
        }
        Action::NoOp | Action::Read => {}
    }
}

fn vnet_subnets<'a>(files: &'a mut Files, vnet: &str) -> &'a mut Vec<Value> {
    by_name(list(files, "vnet-list.json"), vnet)["subnets"].as_array_mut().unwrap()
}

fn arm_subnet(name: &str, prefix: &str, storage: bool) -> Value {
    let mut s = json!({
        "addressPrefix": prefix,
        "id": format!("{SUB}/virtualNetworks/vnet-spoke1/subnets/{name}"),
        "name": name,
        "privateEndpointNetworkPolicies": "RouteTableEnabled",
        "type": "Microsoft.Network/virtualNetworks/subnets",
    });
    if storage {
        s["serviceEndpoints"] = json!([{"service": "Microsoft.Storage", "locations": ["*"]}]);
    }
    s
}

fn tf_subnet(name: &str, prefix: &str, storage: bool, with_id: bool) -> Value {
    let mut s = json!({
        "name": name,
        "resource_group_name": "rg-network",
        "virtual_network_name": "vnet-spoke1",
        "address_prefixes": [prefix],
        "private_endpoint_network_policies": "RouteTableEnabled",
        "service_endpoints": if storage { json!(["Microsoft.Storage"]) } else { json!([]) },
    });
    if with_id {
        s["id"] = json!(format!("{SUB}/virtualNetworks/vnet-spoke1/subnets/{name}"));
    }
    s
}

fn edit_subnet(files: &mut Files, action: Action) {
    let subnets = vnet_subnets(files, "vnet-spoke1");
    let at = subnets.iter().position(|s| s["name"] == "snet-endpoints").unwrap();
    match action {
        Action::Create => subnets.push(arm_subnet("snet-new", "10.1.3.0/24", false)),
        Action::Update => subnets[at] = arm_subnet("snet-endpoints", "10.1.2.0/24", true),
        Action::Delete => {
            subnets.remove(at);
        }
        Action::DeleteCreate | Action::CreateDelete => {
            subnets[at] = arm_subnet("snet-endpoints2", "10.1.2.0/24", false)
        }
        Action::NoOp | Action::Read => {}
    }
}

fn arm_peering(name: &str, forwarded: bool, remote_gateways: bool) -> Value {
    json!({
        "allowForwardedTraffic": forwarded,
        "allowGatewayTransit": false,
        "allowVirtualNetworkAccess": true,
        "id": format!("{SUB}/virtualNetworks/vnet-spoke1/virtualNetworkPeerings/{name}"),
        "name": name,
        "peeringState": "Connected",
        "remoteVirtualNetwork": {"id": format!("{SUB}/virtualNetworks/vnet-hub")},
        "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        "useRemoteGateways": remote_gateways,
    })
}

fn tf_peering(name: &str, forwarded: bool, remote_gateways: bool, with_id: bool) -> Value {
    let mut p = json!({
        "name": name,
        "resource_group_name": "rg-network",
        "virtual_network_name": "vnet-spoke1",
        "remote_virtual_network_id": format!("{SUB}/virtualNetworks/vnet-hub"),
        "allow_virtual_network_access": true,
        "allow_forwarded_traffic": forwarded,
        "allow_gateway_transit": false,
        "use_remote_gateways": remote_gateways,
    });
    if with_id {
        p["id"] = json!(format!("{SUB}/virtualNetworks/vnet-spoke1/virtualNetworkPeerings/{name}"));
    }
    p
}

/// vnet-spoke1's peering to the hub is deleted first, so that a peering can be created.
fn without_spoke1_peering(files: &mut Files) {
    let vnet = by_name(list(files, "vnet-list.json"), "vnet-spoke1");
    vnet["virtualNetworkPeerings"].as_array_mut().unwrap().clear();
}

fn edit_peering(files: &mut Files, action: Action) {
    let peerings =
        by_name(list(files, "vnet-list.json"), "vnet-spoke1")["virtualNetworkPeerings"].as_array_mut().unwrap();
    match action {
        Action::Create => peerings.push(arm_peering("spoke1-to-hub", true, true)),
        // The existing peering here is `spoke1-to-hub` of the live export.
        Action::Update => peerings[0] = arm_peering("spoke1-to-hub", true, false),
        Action::Delete => {
            peerings.clear();
        }
        Action::DeleteCreate | Action::CreateDelete => peerings[0] = arm_peering("spoke1-to-hub-2", true, false),
        Action::NoOp | Action::Read => {}
    }
}

fn arm_nic(name: &str, ip: &str, subnet: &str) -> Value {
    let id = format!("{SUB}/networkInterfaces/{name}");
    json!({
        "enableIPForwarding": false,
        "id": id,
        "ipConfigurations": [{
            "id": format!("{id}/ipConfigurations/ipconfig1"),
            "name": "ipconfig1",
            "primary": true,
            "privateIPAddress": ip,
            "subnet": {"id": format!("{SUB}/virtualNetworks/vnet-spoke1/subnets/{subnet}")},
        }],
        "location": "eastus",
        "name": name,
        "networkSecurityGroup": {"id": format!("{SUB}/networkSecurityGroups/nsg-shared")},
        "type": "Microsoft.Network/networkInterfaces",
    })
}

fn tf_nic(name: &str, ip: &str, subnet: &str, with_id: bool) -> Value {
    let mut n = json!({
        "name": name,
        "location": "eastus",
        "resource_group_name": "rg-network",
        "ip_forwarding_enabled": false,
        "ip_configuration": [{
            "name": "ipconfig1",
            "primary": true,
            "private_ip_address": ip,
            "private_ip_address_allocation": "Static",
            "subnet_id": format!("{SUB}/virtualNetworks/vnet-spoke1/subnets/{subnet}"),
        }],
    });
    if with_id {
        n["id"] = json!(format!("{SUB}/networkInterfaces/{name}"));
    }
    n
}

/// The NSG association a plan lists with a NIC (`azurerm_network_interface_security_group_association`):
/// created with a new NIC, deleted with a deleted one, else unchanged.
fn nic_association(action: Action) -> Vec<Value> {
    let assoc = |nic: &str| {
        json!({
            "id": format!("{SUB}/networkInterfaces/{nic}|{SUB}/networkSecurityGroups/nsg-shared"),
            "network_interface_id": format!("{SUB}/networkInterfaces/{nic}"),
            "network_security_group_id": format!("{SUB}/networkSecurityGroups/nsg-shared"),
        })
    };
    let rtype = "azurerm_network_interface_security_group_association";
    let address = format!("{rtype}.planned");
    let (actions, before, after) = match action {
        Action::Create => (vec!["create"], Value::Null, assoc("nic-new")),
        Action::Delete => (vec!["delete"], assoc("nic-spare"), Value::Null),
        Action::DeleteCreate | Action::CreateDelete => (action.terraform(), assoc("nic-spare"), assoc("nic-spare-2")),
        Action::Update | Action::NoOp | Action::Read => (vec!["no-op"], assoc("nic-spare"), assoc("nic-spare")),
    };
    vec![change(&address, rtype, actions, before, after, json!({}))]
}

/// A NIC of spoke 1 without a VM but with the NSG that denies the spokes, so that where its IP
/// configuration is shows in the reachability matrix.
fn with_spare_nic(files: &mut Files) {
    list(files, "nic-list.json").push(arm_nic("nic-spare", "10.1.1.10", "snet-workload"));
}

fn edit_nic(files: &mut Files, action: Action) {
    let nics = list(files, "nic-list.json");
    let at = nics.iter().position(|n| n["name"] == "nic-spare").unwrap();
    match action {
        Action::Create => nics.push(arm_nic("nic-new", "10.1.2.20", "snet-endpoints")),
        // The IP configuration moves to the other subnet.
        Action::Update => nics[at] = arm_nic("nic-spare", "10.1.2.10", "snet-endpoints"),
        Action::Delete => {
            nics.remove(at);
        }
        Action::DeleteCreate | Action::CreateDelete => nics[at] = arm_nic("nic-spare-2", "10.1.2.10", "snet-endpoints"),
        Action::NoOp | Action::Read => {}
    }
}

fn arm_kinds() -> Vec<Kind> {
    vec![
        Kind {
            name: "route",
            rtype: "azurerm_route",
            before: tf_route("default-via-fw", "0.0.0.0/0", "VirtualAppliance", Some("10.0.1.4"), true),
            created: tf_route("to-partner", "192.168.50.0/24", "VirtualAppliance", Some("10.0.1.4"), false),
            updated: tf_route("default-via-fw", "0.0.0.0/0", "None", None, true),
            renamed: tf_route("default-none", "0.0.0.0/0", "None", None, false),
            edit: edit_route,
            with: nothing_else,
        },
        Kind {
            name: "security rule",
            rtype: "azurerm_network_security_rule",
            before: tf_rule("deny-spokes", "Deny", 90, &SPOKES, true),
            created: tf_rule("allow-spoke2", "Allow", 80, &["10.2.0.0/16"], false),
            updated: tf_rule("deny-spokes", "Allow", 90, &SPOKES, true),
            renamed: tf_rule("deny-spoke1", "Deny", 90, &SPOKES[..1], false),
            edit: edit_rule,
            with: nothing_else,
        },
        Kind {
            name: "subnet",
            rtype: "azurerm_subnet",
            before: tf_subnet("snet-endpoints", "10.1.2.0/24", false, true),
            created: tf_subnet("snet-new", "10.1.3.0/24", false, false),
            updated: tf_subnet("snet-endpoints", "10.1.2.0/24", true, true),
            renamed: tf_subnet("snet-endpoints2", "10.1.2.0/24", false, false),
            edit: edit_subnet,
            with: nothing_else,
        },
        Kind {
            name: "NIC IP configuration",
            rtype: "azurerm_network_interface",
            before: tf_nic("nic-spare", "10.1.1.10", "snet-workload", true),
            created: tf_nic("nic-new", "10.1.2.20", "snet-endpoints", false),
            updated: tf_nic("nic-spare", "10.1.2.10", "snet-endpoints", true),
            renamed: tf_nic("nic-spare-2", "10.1.2.10", "snet-endpoints", false),
            edit: edit_nic,
            with: nic_association,
        },
    ]
}

fn peering_kind() -> Kind {
    Kind {
        name: "peering",
        rtype: "azurerm_virtual_network_peering",
        before: tf_peering("spoke1-to-hub", true, true, true),
        created: tf_peering("spoke1-to-hub", true, true, false),
        updated: tf_peering("spoke1-to-hub", true, false, true),
        renamed: tf_peering("spoke1-to-hub-2", true, false, false),
        edit: edit_peering,
        with: nothing_else,
    }
}

#[test]
fn plans_apply_to_inline_children_of_an_export_as_the_same_edit_by_hand() {
    let mut live = read_dir(&repo("crates/azroute-cli/estates/hub-spoke"));
    with_spoke_rule(&mut live);
    with_spare_nic(&mut live);
    check_every_action(&|_| live.clone(), &arm_kinds());
}

#[test]
fn plans_apply_to_peerings_of_an_export_as_the_same_edit_by_hand() {
    // Creating a peering needs a live estate without it; the other actions need it there.
    let live = read_dir(&repo("crates/azroute-cli/estates/hub-spoke"));
    let mut without = live.clone();
    without_spoke1_peering(&mut without);
    check_every_action(
        &|action| if action == Action::Create { without.clone() } else { live.clone() },
        &[peering_kind()],
    );
}

// ----- Over a Terraform state -----

/// One kind over the Terraform state: the existing resource by address, its values changed,
/// a new one, a renamed one (new id), and the resources a plan lists with it.
struct StateKind {
    name: &'static str,
    address: &'static str,
    /// The module the resource lives in (`""` for the root module).
    module: &'static str,
    rtype: &'static str,
    update: fn(&mut Value),
    /// A new resource's values (with the id Azure gives it, which the plan does not know).
    created: fn() -> Value,
    /// The existing resource under a new name (values with its new id).
    rename: fn(&mut Value),
    /// Other resources that change with it in a real plan, by action: (address, values before,
    /// values after), `Null` for none.
    with: fn(Action, &Value) -> Vec<CompanionChange>,
    /// Makes the live state one where every action changes what the reachability matrix sees.
    prepare: fn(&mut Value),
    /// What a refreshed state shows besides the resource itself after the action (a VNet's
    /// computed `subnet` blocks).
    after_apply: fn(&mut Value, Action),
}

fn as_is(_: &mut Value) {}

fn nothing_more(_: &mut Value, _: Action) {}

/// A resource that changes with the one under test: address, values before and after (`Null`
/// for none).
type CompanionChange = (String, Value, Value);

const TF_SUB: &str = "/subscriptions/3f2a9c4e-8b1d-4e6f-9a7c-2d5e8f1b3c6a/resourceGroups";

fn resources_of<'a>(module: &'a mut Value, path: &str) -> &'a mut Vec<Value> {
    let mut m = module;
    if !path.is_empty() {
        m = m["child_modules"].as_array_mut().unwrap().iter_mut().find(|c| c["address"] == path).unwrap();
    }
    m["resources"].as_array_mut().unwrap()
}

fn state_resources<'a>(state: &'a mut Value, module: &str) -> &'a mut Vec<Value> {
    resources_of(&mut state["values"]["root_module"], module)
}

fn values_at(state: &mut Value, module: &str, address: &str) -> Option<Value> {
    state_resources(state, module).iter().find(|r| r["address"] == address).map(|r| r["values"].clone())
}

fn set_values(state: &mut Value, module: &str, address: &str, values: Option<Value>) {
    let resources = state_resources(state, module);
    let at = resources.iter().position(|r| r["address"] == address);
    match (at, values) {
        (Some(i), Some(v)) => resources[i]["values"] = v,
        (Some(i), None) => {
            resources.remove(i);
        }
        (None, Some(v)) => {
            let (rtype, name) = address.rsplit_once('.').map(|(a, n)| (a.rsplit('.').next().unwrap(), n)).unwrap();
            resources.push(json!({"address": address, "mode": "managed", "type": rtype, "name": name, "values": v}));
        }
        (None, None) => {}
    }
}

fn without_id(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("id");
    v
}

fn new_address(kind: &StateKind) -> String {
    let local = format!("{}.created", kind.rtype);
    if kind.module.is_empty() { local } else { format!("{}.{local}", kind.module) }
}

/// The state edited by hand as `action` would leave it, and the plan's changes for the same.
fn state_edit(kind: &StateKind, action: Action, live: &Value, before_values: &Value) -> (Value, Vec<Value>) {
    let mut edited = live.clone();
    let mut changes = Vec::new();
    let (unknown_id, known) = (json!({"id": true}), json!({}));
    match action {
        Action::Create => {
            let created = (kind.created)();
            set_values(&mut edited, kind.module, &new_address(kind), Some(created.clone()));
            changes.push(change(
                &new_address(kind),
                kind.rtype,
                vec!["create"],
                Value::Null,
                without_id(created),
                unknown_id,
            ));
        }
        Action::Update => {
            let mut after = before_values.clone();
            (kind.update)(&mut after);
            set_values(&mut edited, kind.module, kind.address, Some(after.clone()));
            changes.push(change(kind.address, kind.rtype, vec!["update"], before_values.clone(), after, known));
        }
        Action::Delete => {
            set_values(&mut edited, kind.module, kind.address, None);
            changes.push(change(kind.address, kind.rtype, vec!["delete"], before_values.clone(), Value::Null, known));
        }
        Action::DeleteCreate | Action::CreateDelete => {
            let mut after = before_values.clone();
            (kind.rename)(&mut after);
            set_values(&mut edited, kind.module, kind.address, Some(after.clone()));
            changes.push(change(
                kind.address,
                kind.rtype,
                action.terraform(),
                before_values.clone(),
                without_id(after),
                unknown_id,
            ));
        }
        Action::NoOp | Action::Read => {
            let v = before_values.clone();
            changes.push(change(kind.address, kind.rtype, action.terraform(), v.clone(), v, known));
        }
    }
    for (address, before, after) in (kind.with)(action, before_values) {
        let rtype = address.rsplit('.').nth(1).unwrap().to_string();
        let module = address.rsplit_once(&format!(".{rtype}.")).map(|(m, _)| m.to_string()).unwrap_or_default();
        set_values(&mut edited, &module, &address, (!after.is_null()).then(|| after.clone()));
        let actions = match (before.is_null(), after.is_null()) {
            (true, _) => vec!["create"],
            (_, true) => vec!["delete"],
            _ if before == after => vec!["no-op"],
            _ => vec!["update"],
        };
        changes.push(change(&address, &rtype, actions, before, after, json!({})));
    }
    (kind.after_apply)(&mut edited, action);
    for rg in ["rg-hub-network", "rg-spokes"] {
        let v = json!({"id": format!("{TF_SUB}/{rg}"), "name": rg, "location": "westeurope"});
        changes.push(change(
            &format!("azurerm_resource_group.{rg}"),
            "azurerm_resource_group",
            vec!["no-op"],
            v.clone(),
            v,
            json!({}),
        ));
    }
    (edited, changes)
}

fn check_state_kind(state: &Value, kind: &StateKind) -> Vec<String> {
    let mut failures = Vec::new();
    for action in ACTIONS {
        let case = format!("{} {action:?}", kind.name);
        let mut live = state.clone();
        (kind.prepare)(&mut live);
        let before_values = values_at(&mut live, kind.module, kind.address).unwrap();
        let (edited, changes) = state_edit(kind, action, &live, &before_values);
        let plan = json!({"format_version": "1.2", "resource_changes": changes}).to_string();
        let live_texts = vec![("state.json".to_string(), live.to_string())];
        let before = checked(load_texts(&live_texts), "live");
        let by_hand =
            checked(load_texts(&[("state.json".to_string(), edited.to_string())]), &format!("{case} by hand"));
        let planned =
            checked(load_overlay_texts(&live_texts, &[("plan.json".to_string(), plan)]), &format!("{case} planned"));
        let (want, got) = (compared(&before, &by_hand), compared(&before, &planned));
        let changed = !want.routes.is_empty() || want.reach.as_ref().is_some_and(|r| !r.is_empty());
        if changed == action.changes_nothing() {
            failures.push(format!("{case}: the hand edit changes {changed} (test case is wrong)"));
        }
        if got.routes != want.routes {
            failures.push(format!("{case}: routes\n  plan:    {:?}\n  by hand: {:?}", got.routes, want.routes));
        }
        if got.reach != want.reach {
            failures.push(format!("{case}: reachability differs from the hand edit"));
        }
    }
    failures
}

fn rename(v: &mut Value, name: &str) {
    let id = v["id"].as_str().unwrap();
    let id = format!("{}/{name}", id.rsplit_once('/').unwrap().0);
    v["name"] = json!(name);
    v["id"] = json!(id);
}

fn no_other(_: Action, _: &Value) -> Vec<CompanionChange> {
    Vec::new()
}

/// nic-app2's NSG association, as a plan lists it with the NIC.
fn nic_app2_association(action: Action, nic: &Value) -> Vec<CompanionChange> {
    let nsg = format!("{TF_SUB}/rg-spokes/providers/Microsoft.Network/networkSecurityGroups/nsg-app2");
    let assoc = |nic_id: &str| json!({"id": format!("{nic_id}|{nsg}"), "network_interface_id": nic_id, "network_security_group_id": nsg});
    let address = "module.spoke2.azurerm_network_interface_security_group_association.app".to_string();
    let old = assoc(nic["id"].as_str().unwrap());
    match action {
        Action::Create => {
            let new = assoc(&format!("{TF_SUB}/rg-spokes/providers/Microsoft.Network/networkInterfaces/nic-new"));
            vec![(
                "module.spoke2.azurerm_network_interface_security_group_association.created".to_string(),
                Value::Null,
                new,
            )]
        }
        Action::Delete => vec![(address, old, Value::Null)],
        Action::DeleteCreate | Action::CreateDelete => {
            let new = assoc(&format!("{TF_SUB}/rg-spokes/providers/Microsoft.Network/networkInterfaces/nic-app2b"));
            vec![(address, old, new)]
        }
        Action::Update | Action::NoOp | Action::Read => vec![(address, old.clone(), old)],
    }
}

fn state_kinds() -> Vec<StateKind> {
    let mut kinds = table_and_nsg_state_kinds();
    kinds.extend(vnet_and_nic_state_kinds());
    kinds
}

/// Routes and security rules.
fn table_and_nsg_state_kinds() -> Vec<StateKind> {
    vec![
        StateKind {
            name: "route",
            address: "module.spoke2.azurerm_route.to_onprem_dmz",
            module: "module.spoke2",
            rtype: "azurerm_route",
            update: |v| {
                v["next_hop_type"] = json!("None");
                v["next_hop_in_ip_address"] = Value::Null;
            },
            created: || json!({"id": format!("{TF_SUB}/rg-spokes/providers/Microsoft.Network/routeTables/rt-spoke2/routes/to-partner"), "name": "to-partner", "resource_group_name": "rg-spokes", "route_table_name": "rt-spoke2", "address_prefix": "192.168.50.0/24", "next_hop_type": "None"}),
            rename: |v| {
                rename(v, "to-onprem-dmz-2");
                v["next_hop_type"] = json!("None");
                v["next_hop_in_ip_address"] = Value::Null;
            },
            with: no_other,
            prepare: as_is,
            after_apply: nothing_more,
        },
        StateKind {
            name: "security rule",
            address: "azurerm_network_security_rule.ssh_from_onprem",
            module: "",
            rtype: "azurerm_network_security_rule",
            update: |v| v["access"] = json!("Allow"),
            created: || json!({"id": format!("{TF_SUB}/rg-hub-network/providers/Microsoft.Network/networkSecurityGroups/nsg-shared/securityRules/allow-spoke1"), "name": "allow-spoke1", "resource_group_name": "rg-hub-network", "network_security_group_name": "nsg-shared", "access": "Allow", "direction": "Inbound", "priority": 80, "protocol": "*", "source_port_range": "*", "destination_port_range": "*", "source_address_prefix": "10.1.0.0/16", "destination_address_prefix": "*"}),
            rename: |v| {
                rename(v, "deny-spoke2");
                v["source_address_prefixes"] = json!(["10.2.0.0/16"]);
            },
            with: no_other,
            // The standalone rule denies everything from both spokes, ahead of the others.
            prepare: |state| {
                let rules = state_resources(state, "");
                let rule =
                    rules.iter_mut().find(|r| r["address"] == "azurerm_network_security_rule.ssh_from_onprem").unwrap();
                let v = &mut rule["values"];
                v["access"] = json!("Deny");
                v["priority"] = json!(90);
                v["protocol"] = json!("*");
                v["destination_port_range"] = json!("*");
                v["destination_address_prefix"] = json!("*");
                v["source_address_prefix"] = json!("");
                v["source_address_prefixes"] = json!(["10.1.0.0/16", "10.2.0.0/16"]);
            },
            after_apply: nothing_more,
        },
    ]
}

/// Subnets, peerings and NICs.
fn vnet_and_nic_state_kinds() -> Vec<StateKind> {
    vec![
        StateKind {
            name: "subnet",
            address: "azurerm_subnet.nva",
            module: "",
            rtype: "azurerm_subnet",
            update: |v| v["service_endpoints"] = json!(["Microsoft.Storage"]),
            created: || json!({"id": format!("{TF_SUB}/rg-hub-network/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-new"), "name": "snet-new", "resource_group_name": "rg-hub-network", "virtual_network_name": "vnet-hub", "address_prefixes": ["10.0.9.0/24"]}),
            rename: |v| rename(v, "snet-nva-2"),
            with: no_other,
            prepare: as_is,
            after_apply: |state, action| {
                let vnet = state_resources(state, "")
                    .iter_mut()
                    .find(|r| r["address"] == "azurerm_virtual_network.hub")
                    .unwrap();
                let blocks = vnet["values"]["subnet"].as_array_mut().unwrap();
                let at = blocks.iter().position(|b| b["name"] == "snet-nva").unwrap();
                match action {
                    Action::Delete => {
                        blocks.remove(at);
                    }
                    Action::DeleteCreate | Action::CreateDelete => rename(&mut blocks[at], "snet-nva-2"),
                    _ => {}
                }
            },
        },
        StateKind {
            name: "peering",
            address: "azurerm_virtual_network_peering.hub_to_spoke1",
            module: "",
            rtype: "azurerm_virtual_network_peering",
            update: |v| v["allow_virtual_network_access"] = json!(false),
            created: || json!({"id": format!("{TF_SUB}/rg-hub-network/providers/Microsoft.Network/virtualNetworks/vnet-hub/virtualNetworkPeerings/peer-hub-to-hub"), "name": "peer-hub-to-hub", "resource_group_name": "rg-hub-network", "virtual_network_name": "vnet-hub", "remote_virtual_network_id": format!("{TF_SUB}/rg-spokes/providers/Microsoft.Network/virtualNetworks/vnet-spoke2"), "allow_virtual_network_access": false}),
            rename: |v| {
                rename(v, "peer-hub-to-spoke1-b");
                v["allow_virtual_network_access"] = json!(false);
            },
            with: no_other,
            prepare: as_is,
            after_apply: nothing_more,
        },
        StateKind {
            name: "NIC IP configuration",
            address: "module.spoke2.azurerm_network_interface.app",
            module: "module.spoke2",
            rtype: "azurerm_network_interface",
            update: |v| {
                v["ip_configuration"][0]["subnet_id"] = json!(format!(
                    "{TF_SUB}/rg-hub-network/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-shared"
                ));
                v["ip_configuration"][0]["private_ip_address"] = json!("10.0.2.5");
            },
            created: || json!({"id": format!("{TF_SUB}/rg-spokes/providers/Microsoft.Network/networkInterfaces/nic-new"), "name": "nic-new", "location": "westeurope", "resource_group_name": "rg-spokes", "ip_configuration": [{"name": "ipconfig1", "primary": true, "private_ip_address": "10.0.2.6", "private_ip_address_allocation": "Static", "subnet_id": format!("{TF_SUB}/rg-hub-network/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-shared")}]}),
            rename: |v| {
                rename(v, "nic-app2b");
                v["ip_configuration"][0]["subnet_id"] = json!(format!(
                    "{TF_SUB}/rg-hub-network/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-shared"
                ));
                v["ip_configuration"][0]["private_ip_address"] = json!("10.0.2.5");
            },
            with: nic_app2_association,
            // nsg-app2 denies everything inbound, so where nic-app2 is shows.
            prepare: |state| {
                let nsgs = state_resources(state, "module.spoke2");
                let nsg = nsgs.iter_mut().find(|r| r["type"] == "azurerm_network_security_group").unwrap();
                nsg["values"]["security_rule"].as_array_mut().unwrap().push(json!({
                    "name": "deny-all-in", "priority": 100, "direction": "Inbound", "access": "Deny", "protocol": "*",
                    "source_address_prefix": "*", "source_port_range": "*", "destination_address_prefix": "*", "destination_port_range": "*",
                }));
            },
            after_apply: nothing_more,
        },
    ]
}

#[test]
fn plans_apply_to_a_terraform_state_as_the_same_edit_by_hand() {
    let state: Value =
        serde_json::from_str(&std::fs::read_to_string(repo("testdata/terraform/hub-spoke-4x/state.json")).unwrap())
            .unwrap();
    let failures: Vec<String> = state_kinds().iter().flat_map(|k| check_state_kind(&state, k)).collect();
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}
