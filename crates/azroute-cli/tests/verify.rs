//! End-to-end tests of `azroute verify`: Azure's effective routes (in every accepted file
//! shape) compared with azroute's, fixtures that agree and fixtures with known differences, the
//! likely causes named, and the single known difference of a real subscription's recording.

mod common;

use common::*;
use serde_json::Value;

const AGREE: &str = "crates/azroute-cli/tests/verify-fixtures/hub-spoke-agree";
const DIFFER: &str = "crates/azroute-cli/tests/verify-fixtures/hub-spoke-differ";

fn verify_example(actual: &str, extra: &[&str]) -> Run {
    let actual = repo_str(actual);
    let mut args = vec!["verify", "--example", "hub-spoke", "--actual", &actual];
    args.extend_from_slice(extra);
    azroute(&args)
}

fn nic<'v>(v: &'v Value, name: &str) -> &'v Value {
    v["nics"].as_array().unwrap().iter().find(|n| n["nic"] == name).unwrap_or_else(|| panic!("{name} in {v}"))
}

/// The fixtures were generated from azroute's own answers (tools/make_collect_fixtures.py), in
/// the four file shapes: az CLI output, PowerShell's bare list, a REST example and the nicId
/// wrapper (whose file name is not the NIC's).
#[test]
fn verify_agrees_with_matching_routes_in_every_file_shape() {
    let run = verify_example(AGREE, &["-o", "json"]).ok();
    let v = run.json();
    assert_eq!(
        v["summary"],
        serde_json::json!({"nics": 4, "matched": 40, "missing": 0, "extra": 0, "changed": 0, "agreement": 100.0})
    );
    assert_eq!(nic(&v, "nic-fw")["file"], format!("{}/fw.json", repo_str(AGREE)));
    for n in v["nics"].as_array().unwrap() {
        assert_eq!(n["agreement"], 100.0);
        assert!(n["differences"].as_array().unwrap().is_empty());
    }
    let text = verify_example(AGREE, &[]).ok();
    assert!(text.stdout.contains("Summary: 4 NIC(s), 40 of 40 route(s) agree (100.0%)"), "{}", text.stdout);
    // One file works too.
    let one = repo_str(&format!("{AGREE}/nic-app1.json"));
    azroute(&["verify", "--example", "hub-spoke", "--actual", &one]).ok();
}

/// Both az generations (§7.2): current builds print the REST body without null keys, exactly
/// what `routes -o json` prints; older builds added `"nextLink": null` and `"name": null`.
/// The agree set holds one of each, and verify agrees with both.
#[test]
fn verify_accepts_current_and_older_az_output_and_routes_json_is_the_current_form() {
    let read = |file: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(repo(&format!("{AGREE}/{file}"))).unwrap()).unwrap()
    };
    let current = read("nic-app1.json");
    assert!(current.get("nextLink").is_none(), "{current}");
    assert!(current["value"].as_array().unwrap().iter().all(|r| !r.get("name").is_some_and(Value::is_null)));
    let routes = azroute(&["routes", "--example", "hub-spoke", "--nic", "nic-app1", "-o", "json"]).ok().json();
    assert_eq!(routes, current, "routes -o json is the current az form");
    let older = read("fw.json");
    assert_eq!(older["effectiveRoutes"]["nextLink"], Value::Null);
    assert!(older["effectiveRoutes"].get("nextLink").is_some());
    assert!(older["effectiveRoutes"]["value"].as_array().unwrap().iter().any(|r| r["name"].is_null()));
    for file in ["nic-app1.json", "fw.json"] {
        let one = repo_str(&format!("{AGREE}/{file}"));
        let v = azroute(&["verify", "--example", "hub-spoke", "--actual", &one, "-o", "json"]).ok().json();
        assert_eq!(v["summary"]["agreement"], 100.0, "{file}: {v}");
    }
}

#[test]
fn verify_reports_every_difference_with_its_likely_cause() {
    let run = verify_example(DIFFER, &["-o", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v = run.json();
    assert_eq!(
        v["summary"],
        serde_json::json!({"nics": 4, "matched": 36, "missing": 1, "extra": 3, "changed": 3, "agreement": 83.7})
    );

    // nic-app1: a route Azure lacks, and a flipped state.
    let app1 = nic(&v, "nic-app1");
    assert_eq!(app1["agreement"], 75.0);
    let diffs = app1["differences"].as_array().unwrap();
    let missing = diffs.iter().find(|d| d["kind"] == "missing").unwrap();
    assert_eq!(missing["azroute"]["addressPrefix"], serde_json::json!(["10.1.2.4/32"]));
    assert_eq!(missing["azroute"]["nextHopType"], "InterfaceEndpoint");
    assert!(missing.get("azure").is_none());
    let changed = diffs.iter().find(|d| d["kind"] == "changed").unwrap();
    assert_eq!(changed["changes"], serde_json::json!([{"field": "state", "azroute": "Invalid", "azure": "Active"}]));

    // nic-app2: an AVNM ConnectedGroup route and a platform-only None route.
    let app2 = nic(&v, "nic-app2");
    let causes: Vec<&str> = app2["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_eq!(d["kind"], "extra");
            d["likelyCause"]["code"].as_str().unwrap()
        })
        .collect();
    assert_eq!(causes, vec!["AvnmConnectivity", "PlatformReservedRanges"]);
    let texts: Vec<&str> =
        app2["likelyCauses"].as_array().unwrap().iter().map(|c| c["text"].as_str().unwrap()).collect();
    assert!(texts[0].contains("Virtual Network Manager"), "{texts:?}");
    assert!(texts[1].contains("--reserved-none-profile platform-observed"), "{texts:?}");

    // nic-shared: a gateway route with other next hops, and one pointing at an NVA (Route Server).
    let shared = nic(&v, "nic-shared");
    let diffs = shared["differences"].as_array().unwrap();
    let changed = diffs.iter().find(|d| d["kind"] == "changed").unwrap();
    assert_eq!(
        changed["changes"],
        serde_json::json!([{"field": "nextHopIpAddress", "azroute": "10.0.0.4 10.0.0.5", "azure": "10.0.0.4"}])
    );
    let extra = diffs.iter().find(|d| d["kind"] == "extra").unwrap();
    assert_eq!(extra["likelyCause"]["code"], "RouteServerOrVirtualWan");
    assert!(extra["likelyCause"]["text"].as_str().unwrap().contains("next hop 10.0.1.4"));

    // nic-fw: a different next hop type (global vs. regional peering).
    let fw = nic(&v, "nic-fw");
    assert_eq!(
        fw["differences"][0]["changes"],
        serde_json::json!([{"field": "nextHopType", "azroute": "VNetGlobalPeering", "azure": "VNetPeering"}])
    );

    // The table, run from the repository root so the file names are relative.
    let text = azroute_in(Some(&repo("")), &["verify", "--example", "hub-spoke", "--actual", DIFFER]);
    assert_eq!(text.code, 1);
    golden("verify-hub-spoke-differ.txt", &text.stdout);
}

/// Gateway routes Azure shows but azroute lacks, with no learned-routes file for the gateway.
#[test]
fn verify_asks_for_the_missing_learned_routes_file() {
    let dir = temp_dir("verify-without-learned-routes");
    for entry in std::fs::read_dir(repo("crates/azroute-cli/estates/hub-spoke")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if !name.starts_with("learned-routes") {
            std::fs::copy(&path, dir.join(name)).unwrap();
        }
    }
    let actual = repo_str(&format!("{AGREE}/nic-shared.json"));
    let run = azroute(&["verify", "--snapshot", dir.to_str().unwrap(), "--actual", &actual, "-o", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v = run.json();
    let shared = nic(&v, "nic-shared");
    let bgp: Vec<&Value> = shared["differences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["likelyCause"]["code"] == "BgpRoutesNotInSnapshot")
        .collect();
    // 172.17.0.0/16 is learned over BGP only; 172.16.0.0/16 is also the local gateway's prefix.
    assert_eq!(bgp.len(), 1, "{shared}");
    assert_eq!(bgp[0]["kind"], "extra");
    assert_eq!(bgp[0]["azure"]["addressPrefix"], serde_json::json!(["172.17.0.0/16"]));
    assert!(bgp[0]["likelyCause"]["text"].as_str().unwrap().contains("`vgw-hub`"));
}

/// The real recording: Azure (2020) had no None route for 172.16.0.0/12; everything else agrees.
#[test]
fn verify_a_real_subscription_names_the_older_reserved_list() {
    let folder = "test_network_nic_convenience_commands-2020-07";
    let dir = temp_dir("verify-recording");
    let snapshot = dir.join("snapshot");
    std::fs::create_dir_all(&snapshot).unwrap();
    let recordings = repo(&format!("testdata/reference/azure-cli-recordings/{folder}"));
    std::fs::copy(recordings.join("resources.json"), snapshot.join("resources.json")).unwrap();
    // The VNet the recording's README describes (deployed from a template, never read back).
    let resources: Value =
        serde_json::from_str(&std::fs::read_to_string(recordings.join("resources.json")).unwrap()).unwrap();
    let nic_res =
        resources.as_array().unwrap().iter().find(|r| r["type"] == "Microsoft.Network/networkInterfaces").unwrap();
    let subnet_id = nic_res["properties"]["ipConfigurations"][0]["properties"]["subnet"]["id"].as_str().unwrap();
    let vnet_id = subnet_id.rsplit_once("/subnets/").unwrap().0;
    let vnet = serde_json::json!([{
        "id": vnet_id, "name": "conveniencevm1VNET", "type": "Microsoft.Network/virtualNetworks", "location": "westus",
        "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
            "subnets": [{"id": subnet_id, "name": "conveniencevm1Subnet", "properties": {"addressPrefix": "10.0.0.0/24"}}]}
    }]);
    std::fs::write(snapshot.join("vnet-from-readme.json"), vnet.to_string()).unwrap();
    // Azure's answer, as the REST body it was, in a file named after the NIC.
    let answers: Value =
        serde_json::from_str(&std::fs::read_to_string(recordings.join("answers.json")).unwrap()).unwrap();
    let body =
        answers.as_array().unwrap().iter().find(|a| a["operation"] == "effectiveRouteTable").unwrap()["response_body"]
            .clone();
    let actual = dir.join("actual");
    std::fs::create_dir_all(&actual).unwrap();
    std::fs::write(actual.join("conveniencevm1VMNic.json"), body.to_string()).unwrap();

    let run = azroute(&[
        "verify",
        "--snapshot",
        snapshot.to_str().unwrap(),
        "--actual",
        actual.to_str().unwrap(),
        "-o",
        "json",
        "-q",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v = run.json();
    assert_eq!(
        v["summary"],
        serde_json::json!({"nics": 1, "matched": 5, "missing": 1, "extra": 0, "changed": 0, "agreement": 83.3})
    );
    let d = &v["nics"][0]["differences"][0];
    assert_eq!(d["kind"], "missing");
    assert_eq!(d["azroute"]["addressPrefix"], serde_json::json!(["172.16.0.0/12"]));
    assert_eq!(d["azroute"]["nextHopType"], "None");
    assert_eq!(d["likelyCause"]["code"], "OlderReservedList");
    assert!(d["likelyCause"]["text"].as_str().unwrap().contains("older reserved-range list"));
}

#[test]
fn verify_bad_input_exits_2() {
    let dir = temp_dir("verify-bad");
    // A file named after no NIC of the snapshot.
    std::fs::copy(repo(&format!("{AGREE}/nic-app1.json")), dir.join("nic-unknown.json")).unwrap();
    let run = azroute(&["verify", "--example", "hub-spoke", "--actual", dir.to_str().unwrap()]).fails();
    assert!(run.stderr.contains("nic-unknown.json") && run.stderr.contains("no network interface"), "{}", run.stderr);
    // A file that is not effective routes names its JSON path.
    std::fs::remove_file(dir.join("nic-unknown.json")).unwrap();
    std::fs::write(
        dir.join("nic-app1.json"),
        r#"{"value": [{"source": "Default", "state": "Active", "addressPrefix": ["10.0.0.0/8"]}]}"#,
    )
    .unwrap();
    let run = azroute(&["verify", "--example", "hub-spoke", "--actual", dir.to_str().unwrap()]).fails();
    assert!(run.stderr.contains("[MissingField]") && run.stderr.contains("$.value[0].nextHopType"), "{}", run.stderr);
    // Two files for one NIC.
    std::fs::copy(repo(&format!("{AGREE}/nic-app1.json")), dir.join("nic-app1.json")).unwrap();
    std::fs::copy(repo(&format!("{AGREE}/nic-app1.json")), dir.join("NIC-APP1-copy.json")).unwrap();
    let wrapped = format!(
        r#"{{"nicId": "/subscriptions/00000000-0000-0000-0000-00000000a2e0/resourceGroups/rg-network/providers/Microsoft.Network/networkInterfaces/nic-app1", "effectiveRoutes": {}}}"#,
        std::fs::read_to_string(repo(&format!("{AGREE}/nic-app1.json"))).unwrap()
    );
    std::fs::write(dir.join("NIC-APP1-copy.json"), wrapped).unwrap();
    let run = azroute(&["verify", "--example", "hub-spoke", "--actual", dir.to_str().unwrap()]).fails();
    assert!(run.stderr.contains("both hold routes of network interface `nic-app1`"), "{}", run.stderr);
    // An empty directory.
    let empty = temp_dir("verify-empty");
    let run = azroute(&["verify", "--example", "hub-spoke", "--actual", empty.to_str().unwrap()]).fails();
    assert!(run.stderr.contains("NoObservedRoutes"), "{}", run.stderr);
}
