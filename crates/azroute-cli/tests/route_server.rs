//! Azure Route Server end to end (§19) on the embedded example `route-server` (the hub-spoke
//! example around a Route Server with two NVAs, in the az CLI's JSON and learned-routes wrappers;
//! regenerate with `python3 tools/make_route_server_fixture.py`): routes, next hop, trace and the
//! doctor answer what the rules say; bad learned-routes input is named.

mod common;

use common::*;

fn gateway_rows(v: &serde_json::Value) -> Vec<String> {
    v["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["source"] == "VirtualNetworkGateway")
        .map(|r| {
            let hops: Vec<&str> =
                r["nextHopIpAddress"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
            format!("{} {} {}", r["state"].as_str().unwrap(), r["addressPrefix"][0].as_str().unwrap(), hops.join(" "))
        })
        .collect()
}

/// RS-1, RS-4, RS-5: a spoke using the hub's Route Server gets both NVAs' 0.0.0.0/0 and
/// 10.0.0.0/8, one row per next hop; nva2's SD-WAN branch alone; the on-premises prefixes from
/// the VPN gateway, not the copies it learned from the Route Server (RS-7); nothing dropped for
/// 65515 or inside the hub (RS-8, RS-3).
#[test]
fn spoke_routes_show_each_next_hop() {
    let v = azroute(&["routes", "--example", "route-server", "--vm", "vm-app1", "-o", "json"]).ok().json();
    assert_eq!(
        gateway_rows(&v),
        [
            "Active 172.16.0.0/16 10.0.0.4 10.0.0.5",
            "Active 172.17.0.0/16 10.0.0.4 10.0.0.5",
            "Active 0.0.0.0/0 10.0.1.4",
            "Active 0.0.0.0/0 10.0.1.5",
            "Active 10.0.0.0/8 10.0.1.4",
            "Active 10.0.0.0/8 10.0.1.5",
            "Active 192.168.50.0/24 10.0.1.5",
        ]
    );
    let text = azroute(&["routes", "--example", "route-server", "--vm", "vm-app1"]).ok().stdout;
    assert!(text.contains("one route per next hop (10.0.1.4, 10.0.1.5)"), "{text}");
}

/// `--explain` says where a Route Server route comes from.
#[test]
fn explain_names_the_route_server_and_peer() {
    let v = azroute(&["routes", "--example", "route-server", "--vm", "vm-app1", "--explain", "-o", "json"]).ok().json();
    let sdwan = v["value"].as_array().unwrap().iter().find(|r| r["addressPrefix"][0] == "192.168.50.0/24").unwrap();
    let origin = sdwan["origin"].as_str().unwrap();
    assert!(
        origin.contains("Route Server `rs-hub`")
            && origin.contains("`nva2` (10.0.1.5)")
            && origin.contains("65001-65100"),
        "{origin}"
    );
}

/// Network Watcher's answer for a Route Server route: VirtualNetworkGateway with the BGP next hop.
#[test]
fn next_hop_is_the_nva() {
    let v = azroute(&[
        "next-hop",
        "--example",
        "route-server",
        "--vm",
        "vm-app1",
        "--dest-ip",
        "192.168.50.9",
        "-o",
        "json",
    ])
    .ok()
    .json();
    assert_eq!(v["nextHopType"], "VirtualNetworkGateway");
    assert_eq!(v["nextHopIpAddress"], "10.0.1.5");
    // The NVAs' own subnet sends the Internet out directly (RS-10's fix, a user route).
    let v = azroute(&["next-hop", "--example", "route-server", "--vm", "vm-fw2", "--dest-ip", "8.8.8.8", "-o", "json"])
        .ok()
        .json();
    assert_eq!(v["nextHopType"], "Internet");
}

/// Spoke to spoke crosses the NVA the Route Server route names, both ways; the Internet leaves
/// through it.
#[test]
fn trace_crosses_the_nva() {
    let v = azroute(&["trace", "--example", "route-server", "--from", "vm-app1", "--to", "vm-app2", "-o", "json"])
        .ok()
        .json();
    assert_eq!(v["verdict"], "Delivered");
    let names: Vec<&str> =
        v["hops"].as_array().unwrap().iter().map(|h| h["resource"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["nic-app1", "nic-fw", "nic-app2"]);
    assert_eq!(v["hops"][0]["route"]["nextHopType"], "VirtualNetworkGateway");
    assert_eq!(v["return"]["verdict"], "Delivered");
    let v = azroute(&["trace", "--example", "route-server", "--from", "vm-app1", "--to", "8.8.8.8", "-o", "json"])
        .ok()
        .json();
    assert_eq!(v["verdict"], "ExitedToInternet");
    assert_eq!(v["hops"][1]["resource"]["name"], "nic-fw");
}

/// The doctor names the routes the Route Server drops, and nothing worse.
#[test]
fn doctor_reports_dropped_routes() {
    let v = azroute(&["doctor", "--example", "route-server", "-o", "json"]).ok().json();
    let codes: Vec<&str> = v["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        ["RouteServerPrefixTooSpecific", "RouteServerRouteDroppedAsPath65515", "VirtualNetworkTagIncludesDefault"]
    );
    assert_eq!(v["summary"]["errors"], 0);
    let explain = azroute(&["doctor", "--explain", "RouteServerSingleInstancePeer"]).ok().stdout;
    assert!(explain.contains("https://learn.microsoft.com/azure/route-server/route-server-faq"), "{explain}");
}

/// A learned-routes wrapper naming something that is not a BGP connection: the file, the JSON
/// path and a hint, exit 2.
#[test]
fn bad_bgp_connection_id_is_named() {
    let dir = temp_dir("route-server-bad-wrapper");
    std::fs::write(
        dir.join("learned.json"),
        r#"{"bgpConnectionId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualHubs/rs", "learnedRoutes": {"RouteServiceRole_IN_0": []}}"#,
    )
    .unwrap();
    let snapshot = dir.to_string_lossy().to_string();
    let run = azroute(&["routes", "--snapshot", &snapshot, "--nic", "x"]).fails();
    assert!(run.stderr.contains("learned.json") && run.stderr.contains("$.bgpConnectionId"), "{}", run.stderr);
    assert!(run.stderr.contains("az network routeserver peering list-learned-routes"), "{}", run.stderr);
}

/// C31 (RS-7): the VPN gateway lists the NVAs' routes it learned from the Route Server under
/// branch-to-branch; by default the Route Server programs them (next hop the NVA) and the text
/// says which option decided; `--route-server-relearned-routes also-gateway` lets the gateway
/// program them too, and then the equal AS paths tie (C30), which `--route-server-vpn-tie`
/// settles.
#[test]
fn route_server_options_change_the_answer_and_are_named() {
    let base = ["routes", "--example", "route-server", "--vm", "vm-app1"];
    let text = azroute(&base).ok().stdout;
    assert!(text.contains("--route-server-relearned-routes route-server-only, C31"), "{text}");
    let also: Vec<&str> = base.iter().copied().chain(["--route-server-relearned-routes", "also-gateway"]).collect();
    let v = azroute(&[also.as_slice(), &["-o", "json"]].concat()).ok().json();
    assert!(
        gateway_rows(&v).contains(&"Active 192.168.50.0/24 10.0.0.4 10.0.0.5".to_string()),
        "{:?}",
        gateway_rows(&v)
    );
    let text = azroute(&also).ok().stdout;
    assert!(text.contains("--route-server-vpn-tie gateway, C30"), "{text}");
    let tie: Vec<&str> = also.iter().copied().chain(["--route-server-vpn-tie", "route-server", "-o", "json"]).collect();
    let v = azroute(&tie).ok().json();
    assert!(gateway_rows(&v).contains(&"Active 192.168.50.0/24 10.0.1.5".to_string()), "{:?}", gateway_rows(&v));
    run_fails_on_unknown_value();
}

fn run_fails_on_unknown_value() {
    azroute(&["routes", "--example", "route-server", "--vm", "vm-app1", "--route-server-vpn-tie", "sometimes"]).fails();
}

/// RS-9: `list-learned-routes` shows no communities, so `--explain` says whether a route carries
/// NO_ADVERTISE cannot be told.
#[test]
fn explain_says_no_advertise_cannot_be_told() {
    let v = azroute(&["routes", "--example", "route-server", "--vm", "vm-app1", "--explain", "-o", "json"]).ok().json();
    let sdwan = v["value"].as_array().unwrap().iter().find(|r| r["addressPrefix"][0] == "192.168.50.0/24").unwrap();
    assert!(sdwan["origin"].as_str().unwrap().contains("NO_ADVERTISE"), "{sdwan}");
}
