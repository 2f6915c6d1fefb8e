//! `azroute serve` and `azroute report` end to end: every JSON endpoint returns, byte for byte,
//! what the command it mirrors prints with `-o json` (and refuses what the command refuses, with
//! the same message), its parameters are the command's flags, a non-loopback address needs
//! `--allow-remote`, and a report is written once, never over a file without `--force`.

mod common;

use azroute_testkit::http;
use common::*;

/// The estate's NIC, VM and subnet names, from the page's own topology.
struct Names {
    nics: Vec<String>,
    vms: Vec<String>,
    subnets: Vec<String>,
    addresses: Vec<String>,
}

fn names(serve: &Serve) -> Names {
    let topology = http::get(serve.address, "/api/topology").json();
    let nodes = topology["nodes"].as_array().unwrap();
    let by_id = |id: &serde_json::Value| nodes.iter().find(|n| &n["id"] == id).cloned();
    let mut out = Names { nics: Vec::new(), vms: Vec::new(), subnets: Vec::new(), addresses: Vec::new() };
    for n in nodes {
        match n["kind"].as_str().unwrap() {
            "NetworkInterface" => {
                out.nics.push(n["name"].as_str().unwrap().to_string());
                if let Some(vm) = n["properties"]["virtualMachine"].as_str() {
                    out.vms.push(vm.to_string());
                }
                if let Some(ip) = n["addresses"][0].as_str() {
                    out.addresses.push(ip.to_string());
                }
            }
            "Subnet" => {
                let vnet = by_id(&n["parent"]).unwrap();
                out.subnets.push(format!("{}/{}", vnet["name"].as_str().unwrap(), n["name"].as_str().unwrap()));
            }
            _ => {}
        }
    }
    out.vms.sort();
    out.vms.dedup();
    out
}

/// The API's answer and the command's, compared byte for byte: a 200 against exit 0 or 1
/// with the same stdout, a 400 or 404 against exit 2 with the same message and hint.
fn same(serve: &Serve, target: &str, command: &[&str], example: &str) {
    let mut args: Vec<&str> = command.to_vec();
    args.extend(["--example", example, "-o", "json"]);
    let cli = azroute(&args);
    let api = http::get(serve.address, target);
    match api.status {
        200 => {
            assert!(cli.code == 0 || cli.code == 1, "{target}: the command failed:\n{}", cli.stderr);
            assert_eq!(api.text(), cli.stdout, "{target} differs from `azroute {}`", args.join(" "));
        }
        400 | 404 => {
            assert_eq!(cli.code, 2, "{target} was refused ({}), the command was not:\n{}", api.text(), cli.stdout);
            let error = api.json();
            let message = error["error"]["message"].as_str().unwrap();
            assert!(cli.stderr.contains(&format!("error: {message}\n")), "{target}: `{message}` vs\n{}", cli.stderr);
            if let Some(hint) = error["error"]["hint"].as_str() {
                assert!(cli.stderr.contains(&format!("hint: {hint}\n")), "{target}: hint `{hint}` vs\n{}", cli.stderr);
            }
        }
        other => panic!("{target}: status {other}: {}", api.text()),
    }
}

/// `name=value` pairs as a query string.
fn query(pairs: &[(&str, &str)]) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        out.append_pair(name, value);
    }
    out.finish()
}

#[test]
fn every_endpoint_returns_what_the_command_prints_with_o_json() {
    for example in example_names() {
        let serve = Serve::start(&["--example", &example]);
        let n = names(&serve);
        let mut checked = 0;
        let mut check = |target: String, command: Vec<&str>| {
            same(&serve, &target, &command, &example);
            checked += 1;
        };
        for nic in &n.nics {
            check(format!("/api/routes?{}", query(&[("nic", nic)])), vec!["routes", "--nic", nic]);
            check(format!("/api/routes?{}&explain", query(&[("nic", nic)])), vec!["routes", "--nic", nic, "--explain"]);
            for dest in ["8.8.8.8", "172.16.1.10", n.addresses[0].as_str()] {
                check(
                    format!("/api/next-hop?{}&explain", query(&[("nic", nic), ("dest-ip", dest)])),
                    vec!["next-hop", "--nic", nic, "--dest-ip", dest, "--explain"],
                );
            }
        }
        for subnet in &n.subnets {
            check(
                format!("/api/routes?{}&explain=true", query(&[("subnet", subnet)])),
                vec!["routes", "--subnet", subnet, "--explain"],
            );
        }
        for from in &n.vms {
            check(format!("/api/routes?{}", query(&[("vm", from)])), vec!["routes", "--vm", from]);
            check(
                format!("/api/next-hop?{}", query(&[("vm", from), ("dest-ip", "10.2.1.4")])),
                vec!["next-hop", "--vm", from, "--dest-ip", "10.2.1.4"],
            );
            for to in n.vms.iter().map(String::as_str).chain(["8.8.8.8", "172.16.1.10", "203.0.113.50"]) {
                check(
                    format!("/api/trace?{}", query(&[("from", from), ("to", to)])),
                    vec!["trace", "--from", from, "--to", to],
                );
            }
            check(
                format!(
                    "/api/trace?{}",
                    query(&[("from", from), ("to", "8.8.8.8"), ("protocol", "UDP"), ("port", "53")])
                ),
                vec!["trace", "--from", from, "--to", "8.8.8.8", "--protocol", "UDP", "--port", "53"],
            );
            check(
                format!("/api/trace?{}", query(&[("from", "203.0.113.50"), ("to", from), ("port", "22")])),
                vec!["trace", "--from", "203.0.113.50", "--to", from, "--port", "22"],
            );
        }
        for (target, command) in [
            ("/api/reach", vec!["reach"]),
            ("/api/reach?problems", vec!["reach", "--problems"]),
            ("/api/reach?no-nsg&no-internet", vec!["reach", "--no-nsg", "--no-internet"]),
            (
                "/api/reach?protocol=UDP&port=53&no-on-premises",
                vec!["reach", "--protocol", "UDP", "--port", "53", "--no-on-premises"],
            ),
            ("/api/reach?protocol=ICMP", vec!["reach", "--protocol", "ICMP"]),
            (
                "/api/reach?from=vnet-*%2Fsnet-*&to=*%2Fsnet-app",
                vec!["reach", "--from", "vnet-*/snet-*", "--to", "*/snet-app"],
            ),
            ("/api/doctor", vec!["doctor"]),
            ("/api/doctor?severity=warning", vec!["doctor", "--severity", "warning"]),
            (
                "/api/doctor?only=PeeringNotConnected,AsymmetricPath&max-traces=50",
                vec!["doctor", "--only", "PeeringNotConnected,AsymmetricPath", "--max-traces", "50"],
            ),
            // Refused alike.
            ("/api/routes?nic=nic-nothing", vec!["routes", "--nic", "nic-nothing"]),
            ("/api/routes", vec!["routes"]),
            ("/api/trace?from=vm-nothing&to=8.8.8.8", vec!["trace", "--from", "vm-nothing", "--to", "8.8.8.8"]),
            (
                "/api/trace?from=8.8.8.8&to=8.8.4.4&protocol=ICMP&port=7",
                vec!["trace", "--from", "8.8.8.8", "--to", "8.8.4.4", "--protocol", "ICMP", "--port", "7"],
            ),
            (
                "/api/next-hop?nic=nic-nothing&dest-ip=8.8.8.8",
                vec!["next-hop", "--nic", "nic-nothing", "--dest-ip", "8.8.8.8"],
            ),
            ("/api/next-hop?vm=x&dest-ip=8.8.8", vec!["next-hop", "--vm", "x", "--dest-ip", "8.8.8"]),
            ("/api/reach?from=nothing*", vec!["reach", "--from", "nothing*"]),
            ("/api/reach?internet-address=10.1.2.3", vec!["reach", "--internet-address", "10.1.2.3"]),
            ("/api/doctor?only=NoSuchCheck", vec!["doctor", "--only", "NoSuchCheck"]),
        ] {
            check(target.to_string(), command);
        }
        assert!(checked > 50, "{example}: only {checked} comparisons");
    }
}

#[test]
fn api_parameters_are_the_commands_flags() {
    for endpoint in azroute_web::ENDPOINTS {
        let command = endpoint.command.unwrap_or("reach");
        let help = azroute(&[command, "--help"]).ok().stdout;
        for param in endpoint.params {
            if endpoint.command.is_none() && ["row", "column"].contains(param) {
                continue;
            }
            assert!(
                help.contains(&format!("--{param}")),
                "{}: `{param}` is not a flag of `azroute {command}`",
                endpoint.path
            );
        }
    }
}

#[test]
fn serve_needs_allow_remote_for_an_address_other_than_loopback() {
    let refused = azroute(&["serve", "--example", "hub-spoke", "--listen", "0.0.0.0:0"]).fails();
    assert!(refused.stderr.contains("is not a loopback address"), "{}", refused.stderr);
    assert!(refused.stderr.contains("--allow-remote"), "{}", refused.stderr);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_azroute"))
        .args(["serve", "--example", "hub-spoke", "--listen", "0.0.0.0:0", "--allow-remote"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
    assert!(line.contains("http://127.0.0.1:"), "{line}");
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: serving on 0.0.0.0:"), "{stderr}");
    assert!(stderr.contains("no authentication"), "{stderr}");
}

#[test]
fn serve_refuses_a_port_in_use_with_a_hint() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let run = azroute(&["serve", "--example", "hub-spoke", "--listen", &address]).fails();
    assert!(run.stderr.contains(&format!("cannot listen on {address}")), "{}", run.stderr);
    assert!(run.stderr.contains("port 0 picks a free one"), "{}", run.stderr);
}

#[test]
fn a_report_is_written_once_and_never_over_a_file_without_force() {
    let dir = temp_dir("web-report");
    let out = dir.join("estate.html");
    let path = out.to_str().unwrap();
    let run = azroute(&["report", "--example", "troubleshoot", "--out", path]).ok();
    assert!(run.stdout.contains("wrote") && run.stdout.contains("estate.html"), "{}", run.stdout);
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<script type=\"application/json\" id=\"azroute-data\">"));
    assert!(!page.contains("src=\"/assets/") && !page.contains("href=\"/assets/"), "nothing is linked");
    assert!(page.contains("Permission is hereby granted"), "the library's licence ships with it");
    for vnet in ["vnet-core", "vnet-partner"] {
        assert!(page.contains(vnet), "{vnet}");
    }
    std::fs::write(&out, "mine").unwrap();
    let refused = azroute(&["report", "--example", "troubleshoot", "--out", path]).fails();
    assert!(refused.stderr.contains("already exists") && refused.stderr.contains("--force"), "{}", refused.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine", "the file is kept");
    azroute(&["report", "--example", "troubleshoot", "--out", path, "--force"]).ok();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), page, "the same snapshot gives the same file");
}

#[test]
fn a_report_holds_the_answers_of_the_commands() {
    let dir = temp_dir("web-report-data");
    let out = dir.join("hub-spoke.html");
    azroute(&["report", "--example", "hub-spoke", "--out", out.to_str().unwrap()]).ok();
    let page = std::fs::read_to_string(&out).unwrap();
    let start = page.find("id=\"azroute-data\">").unwrap() + "id=\"azroute-data\">".len();
    let end = start + page[start..].find("</script>").unwrap();
    let data: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
    let doctor = azroute(&["doctor", "--example", "hub-spoke", "-o", "json"]).json();
    assert_eq!(data["doctor"], doctor);
    let reach = azroute(&["reach", "--example", "hub-spoke", "-o", "json"]).json();
    let cells = reach["cells"].as_array().unwrap();
    assert_eq!(data["reachGrid"]["cells"].as_array().unwrap().len(), cells.len());
    assert_eq!(data["reachCells"].as_object().unwrap().len(), cells.len());
    assert_eq!(data["traces"].as_object().unwrap().len(), cells.len());
    let columns = reach["columns"].as_array().unwrap().len();
    for (i, cell) in cells.iter().enumerate() {
        assert_eq!(&data["reachCells"][format!("{},{}", i / columns, i % columns)]["cell"], cell);
    }
    let routes =
        azroute(&["routes", "--example", "hub-spoke", "--subnet", "vnet-hub/GatewaySubnet", "--explain", "-o", "json"])
            .json();
    let id = data["topology"]["nodes"].as_array().unwrap().iter().find(|n| n["name"] == "GatewaySubnet").unwrap()["id"]
        .clone();
    assert_eq!(data["routes"][id.as_str().unwrap()], routes);
}

/// The page's topology draws an Azure Firewall as a node of its own kind inside its
/// `AzureFirewallSubnet` (in the hub VNet), with the private IP user routes name and its policy.
#[test]
fn the_topology_holds_the_azure_firewall_in_its_subnet() {
    let serve = Serve::start(&["--example", "hub-firewall"]);
    let topology = http::get(serve.address, "/api/topology").json();
    let nodes = topology["nodes"].as_array().unwrap();
    let firewalls: Vec<&serde_json::Value> = nodes.iter().filter(|n| n["kind"] == "AzureFirewall").collect();
    assert_eq!(firewalls.len(), 1, "{topology}");
    let fw = firewalls[0];
    assert_eq!(fw["name"], "fw-hub");
    assert_eq!(fw["addresses"], serde_json::json!(["10.0.1.4"]));
    assert_eq!(fw["properties"]["sku"], serde_json::json!({"name": "AZFW_VNet", "tier": "Standard"}));
    assert_eq!(fw["properties"]["firewallPolicy"]["name"], "fw-policy-hub");
    let subnet = nodes.iter().find(|n| n["id"] == fw["parent"]).expect("the firewall's parent is a node");
    assert_eq!((&subnet["kind"], &subnet["name"]), (&"Subnet".into(), &"AzureFirewallSubnet".into()));
    let vnet = nodes.iter().find(|n| n["id"] == subnet["parent"]).unwrap();
    assert_eq!(vnet["name"], "vnet-hub");
    // The egress and platform services (§17) are nodes in their subnets too.
    let parent_name = |n: &serde_json::Value| {
        nodes.iter().find(|s| s["id"] == n["parent"]).map(|s| s["name"].as_str().unwrap().to_string())
    };
    let platform: Vec<(String, String, Option<String>)> = nodes
        .iter()
        .filter(|n| ["NatGateway", "ApplicationGateway", "BastionHost"].contains(&n["kind"].as_str().unwrap()))
        .map(|n| (n["kind"].as_str().unwrap().to_string(), n["name"].as_str().unwrap().to_string(), parent_name(n)))
        .collect();
    let own = |k: &str, n: &str, s: &str| (k.to_string(), n.to_string(), Some(s.to_string()));
    assert_eq!(
        platform,
        [
            own("NatGateway", "nat-fw", "AzureFirewallSubnet"),
            own("ApplicationGateway", "agw-hub", "snet-agw"),
            own("BastionHost", "bas-hub", "AzureBastionSubnet")
        ]
    );
    let nat = nodes.iter().find(|n| n["kind"] == "NatGateway").unwrap();
    assert_eq!(nat["properties"]["publicIpAddresses"][0]["name"], "pip-nat-fw");
    // The estate without a firewall has no such node.
    let plain = Serve::start(&["--example", "hub-spoke"]);
    let topology = http::get(plain.address, "/api/topology").json();
    assert!(!topology["nodes"].as_array().unwrap().iter().any(|n| n["kind"] == "AzureFirewall"));
}

/// The page's topology draws a Route Server as a node of its own kind inside its
/// `RouteServerSubnet`, with its instance addresses and peers, and one BGP edge to each peer's
/// NIC (§19.1).
#[test]
fn the_topology_holds_the_route_server_and_its_peers() {
    let serve = Serve::start(&["--example", "route-server"]);
    let topology = http::get(serve.address, "/api/topology").json();
    let nodes = topology["nodes"].as_array().unwrap();
    let servers: Vec<&serde_json::Value> = nodes.iter().filter(|n| n["kind"] == "RouteServer").collect();
    assert_eq!(servers.len(), 1, "{topology}");
    let rs = servers[0];
    assert_eq!(rs["name"], "rs-hub");
    assert_eq!(rs["addresses"], serde_json::json!(["10.0.3.4", "10.0.3.5"]));
    assert_eq!(rs["properties"]["allowBranchToBranchTraffic"], true);
    let peers: Vec<&str> =
        rs["properties"]["bgpConnections"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(peers, ["nva1", "nva2"]);
    let subnet = nodes.iter().find(|n| n["id"] == rs["parent"]).expect("the Route Server's parent is a node");
    assert_eq!(subnet["name"], "RouteServerSubnet");
    let edges: Vec<&serde_json::Value> =
        topology["edges"].as_array().unwrap().iter().filter(|e| e["kind"] == "BgpPeering").collect();
    assert_eq!(edges.len(), 2);
    for e in edges {
        assert_eq!(e["source"], rs["id"]);
        let nic = nodes.iter().find(|n| n["id"] == e["target"]).expect("the peer is a NIC node");
        assert_eq!(nic["kind"], "NetworkInterface");
        assert_eq!(nic["addresses"][0], e["properties"]["peerIp"]);
    }
    let plain = Serve::start(&["--example", "hub-spoke"]);
    let topology = http::get(plain.address, "/api/topology").json();
    assert!(!topology["nodes"].as_array().unwrap().iter().any(|n| n["kind"] == "RouteServer"));
}
