//! Azure Virtual Network Manager end to end (§18) on the embedded example `avnm` (regenerate
//! with `python3 tools/make_avnm_fixture.py`): connected-group routes (direct connectivity and a
//! regional mesh), managed user routes of a routing configuration, admin-rule verdicts in
//! `ip-flow` (with `ruleType`), `security-rules` and `trace`, the modelling options.

mod common;

use common::*;

fn run(args: &[&str]) -> Run {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--example", "avnm"]);
    azroute(&all)
}

fn routes(nic: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["routes", "--nic", nic, "-o", "json"];
    args.extend_from_slice(extra);
    run(&args).ok().json()
}

/// The one `ConnectedGroup` entry of a NIC's effective routes, as Azure renders it (AV-C4).
fn connected_group(v: &serde_json::Value) -> Vec<serde_json::Value> {
    v["value"].as_array().unwrap().iter().filter(|r| r["nextHopType"] == "ConnectedGroup").cloned().collect()
}

#[test]
fn spokes_and_mesh_members_show_connected_group_routes() {
    let spoke = routes("nic-app1", &[]);
    let cg = connected_group(&spoke);
    assert_eq!(cg.len(), 1, "{spoke}");
    assert_eq!(cg[0]["source"], "Default");
    assert_eq!(cg[0]["addressPrefix"], serde_json::json!(["10.2.0.0/16"]));
    assert_eq!(cg[0]["nextHopIpAddress"], serde_json::json!([]));
    let lab = routes("nic-lab2", &[]);
    assert_eq!(connected_group(&lab)[0]["addressPrefix"], serde_json::json!(["10.10.0.0/16", "10.12.0.0/16"]));
    let explained = run(&["routes", "--nic", "nic-lab2", "--explain"]).ok();
    assert!(
        explained.stdout.contains("connectivity configuration `cc-labs-mesh` (Mesh; assumed deployed)"),
        "{}",
        explained.stdout
    );
    let hop = run(&["next-hop", "--nic", "nic-lab1", "--dest-ip", "10.12.1.4", "-o", "json"]).ok().json();
    assert_eq!(hop["nextHopType"], "ConnectedGroup");
}

#[test]
fn routing_configuration_routes_spoke_internet_traffic_to_the_hub_nva() {
    let v = routes("nic-app2", &[]);
    let user: Vec<&serde_json::Value> =
        v["value"].as_array().unwrap().iter().filter(|r| r["source"] == "User").collect();
    assert_eq!(user.len(), 1, "{v}");
    assert_eq!(user[0]["name"], "default-to-nva");
    assert_eq!(user[0]["nextHopIpAddress"], serde_json::json!(["10.0.2.4"]));
    let explained = run(&["routes", "--nic", "nic-app2", "--explain"]).ok();
    assert!(explained.stdout.contains("routing configuration `rt-spokes-egress`"), "{}", explained.stdout);
    // The labs are not in the routing configuration's group.
    assert!(!routes("nic-lab1", &[])["value"].as_array().unwrap().iter().any(|r| r["source"] == "User"));
}

fn ip_flow(nic: &str, local: &str, remote: &str) -> serde_json::Value {
    run(&[
        "ip-flow",
        "--nic",
        nic,
        "--direction",
        "Inbound",
        "--protocol",
        "TCP",
        "--local",
        local,
        "--remote",
        remote,
        "-o",
        "json",
    ])
    .ok()
    .json()
}

#[test]
fn admin_rules_of_all_three_kinds_decide_ip_flow() {
    let deny = ip_flow("nic-app2", "10.2.1.4:3389", "10.0.1.4:50000");
    assert_eq!(deny["access"], "Deny", "NSG allow-rdp-any is overridden: {deny}");
    assert_eq!(deny["ruleName"], "securityAdminConfigurations/sac-corp/ruleCollections/rc-baseline/rules/deny-rdp");
    assert_eq!(deny["ruleType"], "SecurityAdminRule");
    assert!(deny["ruleId"].as_str().unwrap().ends_with(
        "/networkManagers/avnm-corp/securityAdminConfigurations/sac-corp/ruleCollections/rc-baseline/rules/deny-rdp"
    ));
    let always = ip_flow("nic-app1", "10.1.1.4:22", "10.0.1.4:50000");
    assert_eq!(
        (always["access"].as_str(), always["ruleType"].as_str()),
        (Some("Allow"), Some("SecurityAdminRule")),
        "NSG deny-ssh is bypassed: {always}"
    );
    // SSH from elsewhere: no admin rule matches; the NSG denies.
    let nsg = ip_flow("nic-app1", "10.1.1.4:22", "10.2.1.4:50000");
    assert_eq!(
        (nsg["access"].as_str(), nsg["ruleName"].as_str(), nsg["ruleType"].as_str()),
        (Some("Deny"), Some("securityRules/deny-ssh"), Some("NetworkSecurityRule"))
    );
    // Allow continues to the NSGs, which decide.
    let https = ip_flow("nic-app1", "10.1.1.4:443", "10.2.1.4:50000");
    assert_eq!(https["ruleName"], "securityRules/allow-https-from-vnets");
    assert!(https["notes"][0].as_str().unwrap().contains("rules/allow-https` (Allow) matched first"));
}

#[test]
fn security_rules_list_admin_rules_before_nsgs() {
    let v = run(&["security-rules", "--nic", "nic-app1", "-o", "json"]).ok().json();
    let admin = v["securityAdminRules"].as_array().expect("admin rules listed");
    let names: Vec<&str> = admin.iter().map(|r| r["name"].as_str().unwrap().rsplit('/').next().unwrap()).collect();
    assert_eq!(names, ["deny-rdp", "always-allow-ssh-from-mgmt", "allow-https"]);
    assert_eq!(admin[1]["access"], "AlwaysAllow");
    assert_eq!(admin[2]["sources"][0]["addressPrefixType"], "ServiceTag");
    let table = run(&["security-rules", "--nic", "nic-app1"]).ok().stdout;
    let admin_at = table.find("(security admin rule)").expect("admin rows");
    assert!(admin_at < table.find("nsg-spoke1").unwrap(), "{table}");
    // The hub is in no group the collection targets.
    assert!(
        run(&["security-rules", "--nic", "nic-mgmt", "-o", "json"]).ok().json().get("securityAdminRules").is_none()
    );
}

#[test]
fn trace_drops_at_the_admin_deny_and_states_the_assumption() {
    let t = run(&["trace", "--from", "nic-app1", "--to", "nic-app2", "--port", "3389", "-o", "json"]).found_problem();
    assert!(t.stdout.contains("AvnmAdminRuleDenied"), "{}", t.stdout);
    let ok = run(&["trace", "--from", "nic-mgmt", "--to", "nic-app1", "--port", "22"]).ok();
    assert!(ok.stdout.contains("(AlwaysAllow) admits the packet"), "{}", ok.stdout);
    assert!(ok.stdout.contains("Virtual Network Manager configurations are assumed deployed"));
}

#[test]
fn overlap_and_precedence_options_are_accepted() {
    let v = routes(
        "nic-lab1",
        &["--connected-group-overlap", "keep-all", "--connected-group-precedence", "longest-prefix"],
    );
    assert_eq!(connected_group(&v)[0]["addressPrefix"], serde_json::json!(["10.11.0.0/16", "10.12.0.0/16"]));
    run(&["routes", "--nic", "nic-lab1", "--connected-group-overlap", "sometimes"]).fails();
}

#[test]
fn doctor_reports_the_admin_rules_that_override_nsgs() {
    let v = run(&["doctor", "-o", "json"]).json();
    let codes: Vec<&str> = v["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"AvnmAdminDenyOverridesNsgAllow"), "{codes:?}");
    assert!(codes.contains(&"AvnmAlwaysAllowBypassesNsgDeny"), "{codes:?}");
    let deny =
        v["findings"].as_array().unwrap().iter().find(|f| f["code"] == "AvnmAdminDenyOverridesNsgAllow").unwrap();
    assert!(deny["message"].as_str().unwrap().contains("allow-rdp-any"), "{deny}");
    let explain = azroute(&["doctor", "--explain", "AvnmRoutingRuleConflict"]).ok();
    assert!(explain.stdout.contains("concept-user-defined-route"), "{}", explain.stdout);
}

/// The `avnm` example as Terraform holds it (`testdata/terraform/avnm/plan.json`, written by
/// `tools/make_avnm_terraform_fixture.py`): no `ANM_…` peerings (AVNM creates them; azroute adds
/// them from the hub-and-spoke configuration, §18.7) and deployments of every configuration.
fn on_terraform(args: &[&str]) -> Run {
    let plan = repo_str("testdata/terraform/avnm/plan.json");
    let mut all = args.to_vec();
    all.extend_from_slice(&["--snapshot", &plan]);
    azroute(&all)
}

/// What a trace decides, hop by hop, without names Terraform cannot know (the `ANM_…` peering
/// names AVNM picks, power states).
fn trace_outline(v: &serde_json::Value) -> serde_json::Value {
    let hops: Vec<serde_json::Value> = v["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            serde_json::json!([
                h["type"],
                h["address"],
                h["subnet"]["name"],
                h["route"]["addressPrefix"],
                h["route"]["nextHopType"]
            ])
        })
        .collect();
    let codes: Vec<&serde_json::Value> = v["findings"].as_array().unwrap().iter().map(|f| &f["code"]).collect();
    serde_json::json!({"verdict": v["verdict"], "hops": hops, "findings": codes, "return": v["return"]["verdict"]})
}

#[test]
fn terraform_rendering_gives_the_same_answers() {
    const NICS: [&str; 7] = ["nic-mgmt", "nic-nva", "nic-app1", "nic-app2", "nic-lab1", "nic-lab2", "nic-lab3"];
    for nic in NICS {
        for command in ["routes", "security-rules"] {
            let args = [command, "--nic", nic, "-o", "json"];
            assert_eq!(run(&args).ok().json(), on_terraform(&args).ok().json(), "{command} {nic}");
        }
    }
    let flows = [
        ("nic-app2", "10.2.1.4:3389", "10.0.1.4:50000"),
        ("nic-app1", "10.1.1.4:22", "10.0.1.4:50000"),
        ("nic-app1", "10.1.1.4:443", "10.2.1.4:50000"),
        ("nic-lab1", "10.10.1.4:3389", "10.11.1.4:50000"),
    ];
    for (nic, local, remote) in flows {
        let args = [
            "ip-flow",
            "--nic",
            nic,
            "--direction",
            "Inbound",
            "--protocol",
            "TCP",
            "--local",
            local,
            "--remote",
            remote,
            "-o",
            "json",
        ];
        assert_eq!(run(&args).ok().json(), on_terraform(&args).ok().json(), "ip-flow {nic} {local}");
    }
    let traces = [
        ("nic-app1", "nic-app2", "3389"),
        ("nic-mgmt", "nic-app1", "22"),
        ("nic-app1", "8.8.8.8", "443"),
        ("nic-lab1", "nic-lab3", "80"),
        ("nic-app2", "nic-mgmt", "443"),
    ];
    for (from, to, port) in traces {
        let args = ["trace", "--from", from, "--to", to, "--port", port, "-o", "json"];
        let (json, tf) = (run(&args), on_terraform(&args));
        assert_eq!(json.code, tf.code, "trace {from} {to}");
        assert_eq!(trace_outline(&json.json()), trace_outline(&tf.json()), "trace {from} {to} {port}");
    }
    // Terraform holds the deployments (§18.6): nothing is assumed deployed.
    let explained = on_terraform(&["routes", "--nic", "nic-lab2", "--explain"]).ok();
    assert!(explained.stdout.contains("`cc-labs-mesh` (Mesh; deployed)"), "{}", explained.stdout);
}

/// §18.4: `what-if` of a Terraform plan that adds a routing rule (`azurerm_network_manager_routing_rule`,
/// `testdata/terraform/avnm/plan-add-routing-rule.json`) shows the user route it will write into
/// the spokes' managed route tables, before it is deployed.
#[test]
fn what_if_shows_what_a_routing_rule_will_write() {
    let plan = repo_str("testdata/terraform/avnm/plan-add-routing-rule.json");
    let v = run(&["what-if", "--plan", &plan, "-o", "json"]).json();
    let text = v.to_string();
    assert!(text.contains("labs-to-nva") && text.contains("10.10.0.0/16"), "{v}");
    let table = run(&["what-if", "--plan", &plan]).stdout;
    for subnet in ["vnet-spoke1/snet-app", "vnet-spoke2/snet-app"] {
        let row = table.lines().find(|l| l.starts_with(subnet)).unwrap_or_else(|| panic!("{subnet}: {table}"));
        assert!(row.contains("Added") && row.contains("VirtualAppliance 10.0.2.4"), "{row}");
    }
    assert!(!table.contains("vnet-lab1/snet-lab "), "the labs are not in the collection's group: {table}");
}

/// §18.7, C32: the hub–spoke peerings azroute adds from the configuration (Terraform never holds
/// AVNM's `ANM_…` peerings) allow forwarded traffic by default, so the reply from the Internet
/// that the hub's NVA forwards into the spoke is delivered and the trace says it was assumed;
/// `--avnm-peering-forwarded-traffic refused` drops it at that peering. The exported example says
/// it itself: no option note there.
#[test]
fn forwarded_traffic_over_created_peerings_is_an_option() {
    let args = ["trace", "--from", "10.1.1.4", "--to", "203.0.113.10", "--assume-host", "-o", "json"];
    let v = on_terraform(&args).json();
    assert_eq!(v["return"]["verdict"], "Delivered", "{v}");
    assert!(v.to_string().contains("C32"), "the assumption is stated: {v}");
    let mut refused = args.to_vec();
    refused.extend_from_slice(&["--avnm-peering-forwarded-traffic", "refused"]);
    let v = on_terraform(&refused).json();
    assert!(v.to_string().contains("ForwardedTrafficNotAllowed"), "{v}");
    let exported = run(&args).json();
    assert_eq!(exported["return"]["verdict"], "Delivered", "{exported}");
    assert!(!exported.to_string().contains("C32"), "{exported}");
}

/// `what-if` names the AVNM resources a plan changes by kind, for each kind of configuration
/// (written by `tools/make_avnm_terraform_fixture.py`): an admin rule turned from `Deny` to
/// `Allow` changes no route but is listed; the spoke group no longer directly connected loses the
/// spokes' `ConnectedGroup` routes (AV-C3); the routing rule adds user routes (§18.4).
#[test]
fn what_if_names_avnm_changes_by_kind() {
    let live = repo_str("testdata/terraform/avnm/plan.json");
    let what_if = |plan: &str| {
        let plan = repo_str(&format!("testdata/terraform/avnm/{plan}"));
        let v = azroute(&["what-if", "--snapshot", &live, "--plan", &plan, "-o", "json"]).json();
        let table = azroute(&["what-if", "--snapshot", &live, "--plan", &plan]).stdout;
        (v, table)
    };
    let (v, table) = what_if("plan-admin-rule-allow.json");
    let avnm = &v["virtualNetworkManager"];
    assert_eq!(avnm.as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(avnm[0]["kind"], "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules");
    assert!(avnm[0]["changed"][0].as_str().unwrap().ends_with("/rules/deny-rdp"), "{avnm}");
    assert!(table.contains("security admin rule `deny-rdp` changed"), "{table}");
    assert!(table.contains("the Virtual Network Manager security admin rules differ"), "{table}");
    let (v, table) = what_if("plan-spokes-not-directly-connected.json");
    assert_eq!(v["virtualNetworkManager"][0]["kind"], "Microsoft.Network/networkManagers/connectivityConfigurations");
    assert!(table.contains("connectivity configuration `cc-hub-spoke` changed"), "{table}");
    for subnet in ["vnet-spoke1/snet-app", "vnet-spoke2/snet-app"] {
        let row = table.lines().find(|l| l.starts_with(subnet)).unwrap_or_else(|| panic!("{subnet}: {table}"));
        assert!(row.contains("Removed") && row.contains("ConnectedGroup"), "{row}");
    }
    let (v, table) = what_if("plan-add-routing-rule.json");
    assert!(v["virtualNetworkManager"][0]["added"][0].as_str().unwrap().ends_with("/rules/labs-to-nva"), "{v}");
    assert!(table.contains("routing rule `labs-to-nva` added"), "{table}");
}

/// `verify` matches Azure's `ConnectedGroup` entry (one row listing every other member, in
/// Azure's own order, AV-C4) with the one azroute computes, instead of calling it not modelled.
#[test]
fn verify_matches_connected_group_routes() {
    let mut observed = routes("nic-lab2", &[]);
    for r in observed["value"].as_array_mut().unwrap() {
        if r["nextHopType"] == "ConnectedGroup" {
            // The recording lists the members' prefixes from the highest down.
            r["addressPrefix"].as_array_mut().unwrap().reverse();
        }
    }
    let nic = run(&["routes", "--nic", "nic-lab2", "-o", "json"]).json();
    assert_eq!(connected_group(&nic)[0]["addressPrefix"], serde_json::json!(["10.10.0.0/16", "10.12.0.0/16"]));
    let dir = temp_dir("avnm-verify");
    let id = "/subscriptions/00000000-0000-0000-0000-0000000a4e00/resourceGroups/rg-network/providers/Microsoft.Network/networkInterfaces/nic-lab2";
    let wrapper = serde_json::json!({"nicId": id, "effectiveRoutes": observed});
    std::fs::write(dir.join("nic-lab2.json"), wrapper.to_string()).unwrap();
    let v = run(&["verify", "--actual", dir.to_str().unwrap(), "-o", "json"]).ok().json();
    assert_eq!(v["summary"]["agreement"], 100.0, "{v}");
    assert!(!v.to_string().contains("AvnmConnectivity"), "{v}");
}
