//! `collect` against the fake `az` in `tests/fake-az/`, which replays recorded az CLI outputs:
//! the layout written, the manifest, secrets kept off the disk, throttling retried, a
//! subscription without permission recorded while the others are collected, and a missing login.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use azroute_collect::{CollectError, CollectOptions, Collected, collect};
use serde_json::Value;

const SUB: &str = "00000000-0000-0000-0000-00000000a2e0";
const DENIED: &str = "11111111-2222-3333-4444-555555555555";

fn fake_az() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fake-az/az")
}

fn temp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("collect-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

struct Run {
    result: Result<Collected, CollectError>,
    out: PathBuf,
    progress: String,
    calls: Vec<String>,
}

fn run(name: &str, scenario: &str, configure: impl FnOnce(&mut CollectOptions)) -> Run {
    let base = temp(name);
    let state = base.join("state");
    let out = base.join("out");
    let mut options = CollectOptions {
        out: out.clone(),
        subscriptions: Vec::new(),
        service_tags: None,
        az: fake_az_in(scenario, &state),
        retries: 3,
        retry_delay: Duration::from_millis(1),
        effective_routes: false,
        tool: "azroute test".to_string(),
    };
    configure(&mut options);
    let lines = std::cell::RefCell::new(String::new());
    let result = collect(&options, &|line: &str| {
        lines.borrow_mut().push_str(line);
        lines.borrow_mut().push('\n');
    });
    let calls =
        std::fs::read_to_string(state.join("calls.log")).unwrap_or_default().lines().map(str::to_string).collect();
    Run { result, out, progress: lines.into_inner(), calls }
}

/// A wrapper that runs the fake in one scenario with its own state directory, so tests run in
/// parallel without touching this process's environment.
fn fake_az_in(scenario: &str, state: &Path) -> PathBuf {
    std::fs::create_dir_all(state).unwrap();
    let wrapper = state.join("az");
    std::fs::write(
        &wrapper,
        format!(
            "#!/usr/bin/env bash\nexport FAKE_AZ_SCENARIO='{scenario}'\nexport FAKE_AZ_STATE='{}'\nexec '{}' \"$@\"\n",
            state.display(),
            fake_az().display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    wrapper
}

fn files_below(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

fn manifest(out: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn collects_the_layout_ingest_reads_with_a_manifest() {
    let r = run("layout", "ok", |o| {
        o.service_tags = Some("eastus".into());
        o.effective_routes = true;
    });
    let collected = r.result.expect("collect runs");
    // nic-fw's effective routes failed (recorded): the collection is partial.
    assert!(!collected.complete(), "{}", r.progress);
    let expected: Vec<String> = [
        "manifest.json",
        "service-tags.json",
        &format!("{SUB}/actual/nic-app1.json"),
        &format!("{SUB}/actual/nic-app2.json"),
        &format!("{SUB}/application-gateway-list.json"),
        &format!("{SUB}/bastion-list.json"),
        &format!("{SUB}/dns-resolver-list.json"),
        &format!("{SUB}/express-route-gateway-list.json"),
        &format!("{SUB}/firewall-list.json"),
        &format!("{SUB}/firewall-policy-list.json"),
        &format!("{SUB}/firewall-policy-rcg-fw-policy-base.json"),
        &format!("{SUB}/firewall-policy-rcg-fw-policy-hub.json"),
        &format!("{SUB}/ip-group-list.json"),
        &format!("{SUB}/lb-list.json"),
        &format!("{SUB}/learned-routes-vgw-hub.json"),
        &format!("{SUB}/local-gateway-list-rg-app.json"),
        &format!("{SUB}/local-gateway-list-rg-network.json"),
        &format!("{SUB}/nat-gateway-list.json"),
        &format!("{SUB}/network-manager-list.json"),
        &format!("{SUB}/nic-list.json"),
        &format!("{SUB}/nsg-list.json"),
        &format!("{SUB}/private-endpoint-list.json"),
        &format!("{SUB}/public-ip-list.json"),
        &format!("{SUB}/public-ip-prefix-list.json"),
        &format!("{SUB}/route-table-list.json"),
        &format!("{SUB}/routeserver-list.json"),
        &format!("{SUB}/vhub-list.json"),
        &format!("{SUB}/virtual-appliance-list.json"),
        &format!("{SUB}/vm-list.json"),
        &format!("{SUB}/vmss-list.json"),
        &format!("{SUB}/vnet-gateway-list-rg-app.json"),
        &format!("{SUB}/vnet-gateway-list-rg-network.json"),
        &format!("{SUB}/vnet-list.json"),
        &format!("{SUB}/vpn-connection-list-rg-app.json"),
        &format!("{SUB}/vpn-connection-list-rg-network.json"),
        &format!("{SUB}/vpn-gateway-list.json"),
        &format!("{SUB}/vpn-site-list.json"),
        &format!("{SUB}/vwan-list.json"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut expected = expected;
    expected.sort();
    assert_eq!(files_below(&r.out), expected);

    let m = manifest(&r.out);
    assert_eq!(m["azrouteManifest"], 1);
    assert_eq!(m["tool"], "azroute test");
    assert_eq!(m["azCliVersion"], "2.67.0");
    assert_eq!(m["complete"], false);
    let at = m["collectedAt"].as_str().unwrap();
    assert!(at.len() == 20 && at.ends_with('Z') && at.as_bytes()[10] == b'T', "RFC 3339 UTC: {at}");
    let sub = &m["subscriptions"][0];
    assert_eq!(sub["subscriptionId"], SUB);
    assert_eq!(sub["status"], "partial");
    assert_eq!(m["totals"]["partial"], 1);
    assert_eq!(sub["resourceGroups"], serde_json::json!(["rg-app", "rg-network"]));
    let files = sub["files"].as_array().unwrap();
    let file = |f: &str| {
        files.iter().find(|x| x["file"] == format!("{SUB}/{f}")).unwrap_or_else(|| panic!("{f} in the manifest"))
    };
    assert_eq!(file("vnet-list.json")["resources"], 3);
    assert_eq!(file("nic-list.json")["resources"], 5);
    assert_eq!(file("learned-routes-vgw-hub.json")["resources"], 4);
    assert_eq!(file("vm-list.json")["command"], format!("az vm list -d --subscription {SUB} -o json"));
    assert_eq!(
        file("vnet-gateway-list-rg-network.json")["command"],
        format!("az network vnet-gateway list -g rg-network --subscription {SUB} -o json")
    );
    assert_eq!(m["serviceTags"]["file"]["resources"], 4);
    assert_eq!(m["totals"]["subscriptions"], 1);
    // 30 before the Virtual WAN, ExpressRoute gateway, Route Server and appliance lists (empty
    // here), 37 with them.
    assert_eq!(m["totals"]["files"], 37);
    // The firewall's policies hold no rules: each one's rule collection groups are a list of their own.
    assert_eq!(file("firewall-policy-list.json")["resources"], 2);
    assert_eq!(file("firewall-policy-rcg-fw-policy-hub.json")["resources"], 3);
    assert_eq!(
        file("firewall-policy-rcg-fw-policy-hub.json")["command"],
        format!(
            "az network firewall policy rule-collection-group list --policy-name fw-policy-hub -g rg-network --subscription {SUB} -o json"
        )
    );
    assert!(sub.get("missingExtensions").is_none(), "{sub}");
    // vm-shared is deallocated: no call for its NIC; nic-fw's call failed, which is recorded
    // and makes the subscription partial (every other file is written).
    let failures = sub["effectiveRouteFailures"].as_array().unwrap();
    assert_eq!(failures.len(), 1);
    assert!(failures[0]["command"].as_str().unwrap().contains("-n nic-fw"));
    assert!(!r.calls.iter().any(|c| c.contains("nic-shared")));

    // Wrappers name their resource by id.
    let learned: Value =
        serde_json::from_str(&std::fs::read_to_string(r.out.join(SUB).join("learned-routes-vgw-hub.json")).unwrap())
            .unwrap();
    assert!(learned["gatewayId"].as_str().unwrap().ends_with("/virtualNetworkGateways/vgw-hub"));
    assert_eq!(learned["learnedRoutes"]["value"].as_array().unwrap().len(), 4);
    let actual: Value =
        serde_json::from_str(&std::fs::read_to_string(r.out.join(SUB).join("actual/nic-app1.json")).unwrap()).unwrap();
    assert!(actual["nicId"].as_str().unwrap().ends_with("/networkInterfaces/nic-app1"));
    assert_eq!(actual["effectiveRoutes"]["value"].as_array().unwrap().len(), 8);

    // Every call asks for JSON (or tsv) and names its subscription; no token is ever asked for.
    for call in &r.calls {
        assert!(!call.contains("get-access-token"), "{call}");
        if call == "version -o json" || call.starts_with("account show") {
            continue;
        }
        assert!(call.ends_with(&format!("--subscription {SUB} -o json")), "{call}");
    }
    assert!(r.progress.contains("learned routes of gateway vgw-hub: 4 route(s)"), "{}", r.progress);
}

#[test]
fn secrets_never_reach_the_disk() {
    let r = run("secrets", "ok", |o| {
        o.effective_routes = true;
        o.service_tags = Some("eastus".into());
    });
    let collected = r.result.expect("collect runs");
    for file in files_below(&r.out) {
        let text = std::fs::read_to_string(r.out.join(&file)).unwrap();
        for secret in ["PLANTED-SECRET", "eyJ0eXAiOiJKV1Qi"] {
            assert!(!text.contains(secret), "{secret} reached {file}");
        }
        serde_json::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    assert!(!r.progress.contains("PLANTED"));
    let sub = &collected.manifest.subscriptions[0];
    let redacted = |f: &str| sub.files.iter().find(|x| x.file.ends_with(f)).unwrap().redacted_keys.clone();
    assert_eq!(redacted("/nic-list.json"), vec!["accessToken"]);
    assert_eq!(redacted("/route-table-list.json"), vec!["refreshToken"]);
    assert_eq!(redacted("/vpn-connection-list-rg-network.json"), vec!["sharedKey"]);
    assert_eq!(redacted("/learned-routes-vgw-hub.json"), vec!["clientSecret"]);
    assert!(redacted("/vm-list.json").contains(&"adminPassword".to_string()));
    assert_eq!(redacted("/vnet-gateway-list-rg-network.json"), vec!["radiusServerSecret"]);
    // A file without secrets is written verbatim.
    let recorded =
        std::fs::read_to_string(fake_az().parent().unwrap().join(format!("recordings/{SUB}/network-nsg-list.json")))
            .unwrap();
    let written = std::fs::read_to_string(r.out.join(SUB).join("nsg-list.json")).unwrap();
    assert_eq!(recorded.trim(), written.trim());
}

#[test]
fn throttled_calls_are_retried() {
    let r = run("throttled", "throttled", |_| {});
    let collected = r.result.expect("collect runs");
    assert!(collected.complete(), "{}", r.progress);
    let m = &collected.manifest;
    // Every subscription-scoped command failed once and succeeded on its retry.
    assert!(m.totals.retries >= 10, "{:?}", m.totals);
    // version and account; then twice each: groups, 12 lists, 6 extension lists, 2 policies' rule
    // collection groups, 6 per-group lists, 1 gateway's learned routes, 4 Virtual WAN lists,
    // the ExpressRoute gateway, network virtual appliance and Route Server lists.
    assert_eq!(m.totals.az_calls, 2 + 2 * (1 + 12 + 6 + 2 + 6 + 1 + 4 + 3));
    assert!(r.progress.contains("throttled by Azure (429); retry 1 of 3"));
    assert_eq!(m.subscriptions[0].files.len(), 34);
}

#[test]
fn throttling_that_outlasts_the_retries_is_recorded() {
    let r = run("throttled-no-retry", "throttled", |o| {
        o.retries = 0;
    });
    let collected = r.result.expect("collect runs");
    assert!(!collected.complete());
    let sub = &collected.manifest.subscriptions[0];
    assert_eq!(sub.status, "partial");
    assert!(!sub.failures.is_empty());
    assert!(sub.failures.iter().all(|f| f.code == "Throttled" && f.attempts == 1));
    let m = manifest(&r.out);
    assert_eq!(m["complete"], false);
    assert!(m["subscriptions"][0]["failures"][0]["error"].as_str().unwrap().contains("TooManyRequests"));
}

#[test]
fn a_subscription_without_permission_does_not_stop_the_others() {
    let r = run("no-permission", "no-permission", |o| {
        o.subscriptions = vec![DENIED.into(), "contoso-hub".into()];
    });
    let collected = r.result.expect("collect runs");
    assert!(!collected.complete());
    let m = manifest(&r.out);
    let subs = m["subscriptions"].as_array().unwrap();
    assert_eq!(subs[0]["subscriptionId"], DENIED);
    assert_eq!(subs[0]["status"], "failed");
    assert_eq!(subs[0]["errorCode"], "AuthorizationFailed");
    assert!(subs[0]["error"].as_str().unwrap().contains("does not have authorization"));
    assert_eq!(subs[1]["subscriptionId"], SUB);
    assert_eq!(subs[1]["requestedAs"], "contoso-hub");
    assert_eq!(subs[1]["status"], "complete");
    assert_eq!(m["totals"]["failed"], 1);
    assert_eq!(m["totals"]["complete"], 1);
    assert!(!r.out.join(DENIED).exists());
    assert!(r.out.join(SUB).join("vnet-list.json").exists());
}

#[test]
fn not_logged_in_stops_before_writing() {
    let r = run("not-logged-in", "not-logged-in", |_| {});
    match r.result {
        Err(err @ CollectError::NotLoggedIn { .. }) => {
            assert!(err.to_string().contains("az login"), "{err}");
            assert!(err.hint().contains("az login"));
        }
        other => panic!("expected NotLoggedIn, got {other:?}"),
    }
    assert!(!r.out.exists());
}

#[test]
fn the_output_directory_must_be_new_or_empty() {
    let r = run("not-empty", "ok", |o| {
        std::fs::create_dir_all(&o.out).unwrap();
        std::fs::write(o.out.join("old.json"), "[]").unwrap();
    });
    assert!(matches!(r.result, Err(CollectError::OutNotEmpty { .. })));
    assert!(r.calls.is_empty());
}

#[test]
fn a_missing_az_is_named() {
    let r = run("no-az", "ok", |o| o.az = PathBuf::from("/nonexistent/az"));
    match r.result {
        Err(err @ CollectError::AzNotStarted(_)) => assert!(err.hint().contains("--az")),
        other => panic!("expected AzNotStarted, got {other:?}"),
    }
}

/// The Azure Firewall and Bastion commands live in az extensions (`azure-firewall`, `bastion`):
/// when they are missing, the manifest says which and how to install them, the other lists are
/// written, and the subscription is partial (the snapshot lacks those resources).
#[test]
fn missing_az_extensions_are_recorded_with_how_to_install_them() {
    let r = run("missing-extensions", "missing-extensions", |_| {});
    let collected = r.result.expect("collect runs");
    assert!(!collected.complete());
    let m = manifest(&r.out);
    let sub = &m["subscriptions"][0];
    assert_eq!(sub["status"], "partial");
    assert_eq!(
        sub["missingExtensions"],
        serde_json::json!([
            {"extension": "azure-firewall", "install": "az extension add --name azure-firewall"},
            {"extension": "bastion", "install": "az extension add --name bastion"},
            {"extension": "virtual-network-manager", "install": "az extension add --name virtual-network-manager"},
            {"extension": "dns-resolver", "install": "az extension add --name dns-resolver"},
            {"extension": "virtual-wan", "install": "az extension add --name virtual-wan"}
        ])
    );
    let codes: Vec<&str> = sub["failures"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["ExtensionMissing"; 6]);
    // Without virtual-wan, the first Virtual WAN list says so and the others are not asked.
    assert!(!r.calls.iter().any(|c| c.starts_with("network vhub")), "{:?}", r.calls);
    assert!(r.progress.contains("install it with `az extension add --name virtual-wan`"), "{}", r.progress);
    let files = files_below(&r.out);
    assert!(files.contains(&format!("{SUB}/vnet-list.json")) && files.contains(&format!("{SUB}/ip-group-list.json")));
    assert!(!files.iter().any(|f| f.contains("firewall") || f.contains("bastion")), "{files:?}");
    assert!(!r.calls.iter().any(|c| c.contains("rule-collection-group")), "no policy list, no groups asked");
    assert!(r.progress.contains("install it with `az extension add --name azure-firewall`"), "{}", r.progress);
}

/// Azure Virtual Network Manager (§18.6): the network manager's groups and configurations, its
/// active lists for the VNets' regions, and each VNet's effective answers wrapped with the VNet's
/// id, as ingest reads them; no per-VNet call without a network manager (the other tests).
#[test]
fn network_managers_and_each_vnets_effective_answers_are_collected() {
    let r = run("avnm", "avnm", |_| {});
    let collected = r.result.expect("collect runs");
    assert!(collected.complete(), "{}", r.progress);
    let files = files_below(&r.out);
    for f in [
        "network-manager-list.json",
        "network-manager-groups-avnm-hub.json",
        "network-manager-connectivity-configs-avnm-hub.json",
        "network-manager-security-admin-configs-avnm-hub.json",
        "network-manager-routing-configs-avnm-hub.json",
        "network-manager-active-connectivity-avnm-hub.json",
        "network-manager-active-security-admin-avnm-hub.json",
        "network-manager-effective-connectivity-vnet-spoke1.json",
        "network-manager-effective-security-admin-vnet-hub.json",
    ] {
        assert!(files.contains(&format!("{SUB}/{f}")), "{f}: {files:?}");
    }
    assert!(
        r.calls.iter().any(|c| c.contains(
            "list-active-connectivity-config --network-manager-name avnm-hub -g rg-network --regions eastus westeurope"
        )),
        "{:?}",
        r.calls
    );
    let answer: Value = serde_json::from_str(
        &std::fs::read_to_string(r.out.join(SUB).join("network-manager-effective-connectivity-vnet-spoke1.json"))
            .unwrap(),
    )
    .unwrap();
    assert!(answer["virtualNetworkId"].as_str().unwrap().ends_with("/virtualNetworks/vnet-spoke1"));
    assert_eq!(answer["effectiveConnectivityConfigurations"]["value"][0]["properties"]["connectivityTopology"], "Mesh");
}

/// The egress and platform services (§17.1): a Uniform scale set's instance NICs come from
/// `az vmss nic list` (the NIC list lacks them), a Flexible one's are not asked for (they are
/// ordinary NICs, and az refuses the call); a DNS resolver's inbound endpoints are asked of each
/// resolver (`crates/azroute-cli/tests/collect.rs` reads what was written).
#[test]
fn scale_set_nics_and_dns_inbound_endpoints_are_collected() {
    let r = run("platform", "platform", |_| {});
    r.result.expect("collect runs");
    let vmss_calls: Vec<&String> = r.calls.iter().filter(|c| c.starts_with("vmss nic list")).collect();
    assert_eq!(vmss_calls, [&format!("vmss nic list -g rg-app --vmss-name vmss-web --subscription {SUB} -o json")]);
    assert!(
        r.calls
            .iter()
            .any(|c| c.starts_with("dns-resolver inbound-endpoint list -g rg-network --dns-resolver-name dnspr-hub"))
    );
    let files = files_below(&r.out);
    for f in ["vmss-nic-list-vmss-web.json", "dns-resolver-inbound-endpoints-dnspr-hub.json"] {
        assert!(files.contains(&format!("{SUB}/{f}")), "{f}: {files:?}");
    }
    let m = manifest(&r.out);
    assert!(m["subscriptions"][0].get("missingExtensions").is_none());
}

/// Virtual WAN and Route Server estates (§19, §20.7): the hub's lists, each route table's
/// effective routes in `{"virtualHubId", "resourceId", "effectiveRoutes"}`, the ExpressRoute
/// gateway's connections, and each Route Server peer's and hub BGP peer's learned routes in
/// `{"bgpConnectionId", "learnedRoutes"}`, and the network virtual appliances (a hub NVA's vendor
/// and instances, §20.17); a Route Server listed by `vhub list` gets no hub calls.
#[test]
fn virtual_wan_and_route_server_resources_and_observed_state() {
    let r = run("hubs", "hubs", |_| {});
    let collected = r.result.expect("collect runs");
    assert!(collected.complete(), "{}", r.progress);
    let files = files_below(&r.out);
    for f in [
        "vwan-list.json",
        "vhub-list.json",
        "vhub-connection-list-hub1.json",
        "vhub-route-table-list-hub1.json",
        "vhub-routing-intent-list-hub1.json",
        "vhub-bgpconnection-list-hub1.json",
        "vhub-effective-routes-hub1-defaultRouteTable.json",
        "vhub-effective-routes-hub1-noneRouteTable.json",
        "express-route-gateway-list.json",
        "express-route-gateway-connection-list-ergw1.json",
        "routeserver-list.json",
        "routeserver-peering-list-rs-hub.json",
        "learned-routes-rs-hub-nva1.json",
        "learned-routes-rs-hub-nva2.json",
        "learned-routes-hub1-bgp-nva.json",
        "virtual-appliance-list.json",
    ] {
        assert!(files.contains(&format!("{SUB}/{f}")), "{f} in {files:?}");
    }
    assert!(!r.calls.iter().any(|c| c.contains("--vhub-name rs-hub") || c.contains("--vhub rs-hub")), "{:?}", r.calls);
    let read = |f: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(r.out.join(SUB).join(f)).unwrap()).unwrap()
    };
    let effective = read("vhub-effective-routes-hub1-defaultRouteTable.json");
    assert!(effective["virtualHubId"].as_str().unwrap().ends_with("/virtualHubs/hub1"));
    assert!(effective["resourceId"].as_str().unwrap().ends_with("/virtualHubs/hub1/hubRouteTables/defaultRouteTable"));
    assert_eq!(effective["effectiveRoutes"]["value"][0]["nextHopType"], "ExpressRouteGateway");
    let learned = read("learned-routes-rs-hub-nva1.json");
    assert!(learned["bgpConnectionId"].as_str().unwrap().ends_with("/virtualHubs/rs-hub/bgpConnections/nva1"));
    assert_eq!(learned["learnedRoutes"]["RouteServiceRole_IN_0"].as_array().unwrap().len(), 2);
    let hub_peer = read("learned-routes-hub1-bgp-nva.json");
    assert!(hub_peer["bgpConnectionId"].as_str().unwrap().ends_with("/virtualHubs/hub1/bgpConnections/bgp-nva"));
    assert_eq!(hub_peer["learnedRoutes"]["RouteServiceRole_IN_1"][0]["network"], "10.14.0.0/16");
    let m = manifest(&r.out);
    let commands: Vec<&str> =
        m["subscriptions"][0]["files"].as_array().unwrap().iter().map(|f| f["command"].as_str().unwrap()).collect();
    assert!(commands.contains(&format!(
        "az network vhub get-effective-routes -g rg-vwan -n hub1 --resource-type RouteTable --resource-id /subscriptions/{SUB}/resourceGroups/rg-vwan/providers/Microsoft.Network/virtualHubs/hub1/hubRouteTables/defaultRouteTable --subscription {SUB} -o json"
    ).as_str()), "{commands:?}");
    assert!(commands.contains(
        &format!("az network vhub routing-intent list --vhub hub1 -g rg-vwan --subscription {SUB} -o json").as_str()
    ));
}
