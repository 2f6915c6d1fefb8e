//! Terraform of the `vwan` and `route-server` estates gives the examples' answers (§19.1,
//! §20.1): `testdata/terraform/{vwan,route-server}/state/state.json` is each example as an
//! azurerm 4.x state and `plan/plan.json` a plan creating part of it (written by
//! `python3 tools/make_vwan_terraform_fixture.py`), beside the observed state Terraform does not
//! hold (learned routes, hub effective routes, Service Tags). Terraform never holds what Azure
//! creates: the spokes' `RemoteVnetToHubPeering_*` peerings (derived from the hub connections),
//! the built-in `defaultRouteTable` and `noneRouteTable`, and the routing intent's `_policy_*`
//! routes (derived and marked so, RI-4). `routes`, `hub-routes` for every hub table and
//! connection, `reach` and `doctor` answer the same in JSON, except for what a state cannot say
//! and the answers name (VM power states, the `derived` mark).

mod common;

use common::terraform::{reads_every_resource, same_answers};

const VWAN_DIRS: [&str; 2] = ["testdata/terraform/vwan/state", "testdata/terraform/vwan/plan"];
const ROUTE_SERVER_DIRS: [&str; 2] = ["testdata/terraform/route-server/state", "testdata/terraform/route-server/plan"];

/// Every table and connection of both hubs (the plan creates the VPN site and its connection,
/// their ids unknown until apply and followed through the configuration).
#[test]
fn terraform_state_and_plan_of_vwan_answer_as_the_example() {
    let mut questions: Vec<Vec<&str>> = vec![
        vec!["routes", "--all"],
        vec!["reach"],
        vec!["doctor"],
        vec!["trace", "--from", "vm-app1", "--to", "192.168.10.5"],
    ];
    let hubs: [(&str, &[&str]); 2] = [
        ("hub-eastus", &["conn-app1", "conn-app2", "conn-data", "conn-branch1"]),
        ("hub-westeurope", &["conn-web", "conn-shared", "conn-nva", "conn-er-dc1"]),
    ];
    for (hub, connections) in hubs {
        for table in ["defaultRouteTable", "noneRouteTable"] {
            questions.push(vec!["hub-routes", "--hub", hub, "--route-table", table]);
        }
        for connection in connections {
            questions.push(vec!["hub-routes", "--hub", hub, "--connection", connection]);
        }
    }
    let questions: Vec<&[&str]> = questions.iter().map(Vec::as_slice).collect();
    for dir in VWAN_DIRS {
        let raw = same_answers("vwan", dir, &questions);
        assert!(raw.contains("\"derived\":true"), "{dir}: the policy routes are derived from the routing intent");
        assert!(raw.contains("site-branch1") && raw.contains("ExpressRouteGateway"), "{dir}: branches are read");
    }
}

/// The Route Server, its two NVA peers and the VPN gateway (the plan creates the second NVA's
/// peering, its id unknown until apply: the learned routes find it by the id Azure assigns).
#[test]
fn terraform_state_and_plan_of_route_server_answer_as_the_example() {
    let questions: &[&[&str]] =
        &[&["routes", "--all"], &["reach"], &["doctor"], &["next-hop", "--vm", "vm-app1", "--dest-ip", "8.8.8.8"]];
    for dir in ROUTE_SERVER_DIRS {
        let raw = same_answers("route-server", dir, questions);
        assert!(raw.contains("VirtualNetworkServiceEndpoint"), "{dir}: the normalisation must have something to do");
    }
}

#[test]
fn terraform_of_vwan_and_route_server_reads_every_resource() {
    for dir in VWAN_DIRS.iter().chain(&ROUTE_SERVER_DIRS) {
        reads_every_resource(dir);
    }
}
