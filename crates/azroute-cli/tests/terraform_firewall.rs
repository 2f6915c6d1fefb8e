//! Terraform of the `hub-firewall` estate gives the example's answers (§16.1, §17.1):
//! `testdata/terraform/hub-firewall/state/state.json` is the example as an azurerm 4.x state, and
//! `plan/plan.json` a plan creating its NAT gateway over the rest (written by
//! `python3 tools/make_firewall_terraform_fixture.py`: firewall, policies, rule collection groups,
//! NAT gateway and its associations, Application Gateway, Bastion, and the rest of the estate),
//! beside the gateway's learned routes and the Service Tags file, which Terraform does not hold.
//! `routes`, `next-hop`, `trace`, `firewall-flow`, `doctor` and `reach` answer the same in JSON,
//! except for what a state cannot say and the answers name: VM power states (assumed running),
//! connection status, and a Storage service endpoint's locations (Terraform lists the service
//! only, so every region's prefixes are assumed).

mod common;

use common::*;
use serde_json::Value;

fn answer(snapshot: &[&str], args: &[&str]) -> (i32, Value) {
    let run = azroute(&[args, snapshot, &["-o", "json"]].concat());
    assert!(run.code == 0 || run.code == 1, "{args:?}: {}", run.stderr);
    (run.code, run.json())
}

/// Removes what only the Terraform answer can lack: the power-state assumption, the connection
/// status in notes, and the prefixes of service-endpoint routes.
fn without_state_only_facts(v: &mut Value) {
    match v {
        Value::Array(items) => {
            items.retain(|i| !i.as_str().is_some_and(|s| s.contains("no power state")));
            items.iter_mut().for_each(without_state_only_facts);
        }
        Value::Object(map) => {
            if map.get("nextHopType").and_then(Value::as_str) == Some("VirtualNetworkServiceEndpoint") {
                map.remove("addressPrefix");
            }
            map.values_mut().for_each(without_state_only_facts);
        }
        Value::String(s) => *s = s.replace(" (Connected)", "").replace(" (status unknown)", ""),
        _ => {}
    }
}

/// The state, and the plan that creates the NAT gateway of `AzureFirewallSubnet` (its id and
/// its associations' links unknown until apply, followed through the configuration).
#[test]
fn terraform_state_and_plan_of_hub_firewall_answer_as_the_example() {
    for dir in ["testdata/terraform/hub-firewall/state", "testdata/terraform/hub-firewall/plan"] {
        same_answers(&repo_str(dir));
    }
}

fn same_answers(tf_dir: &str) {
    let terraform = ["--snapshot", tf_dir];
    let example = ["--example", "hub-firewall"];
    let questions: &[&[&str]] = &[
        &["routes", "--all"],
        &["next-hop", "--vm", "vm-app1", "--dest-ip", "10.2.1.4"],
        &["next-hop", "--vm", "vm-private", "--dest-ip", "52.1.1.1"],
        &["trace", "--from", "vm-app1", "--to", "vm-app2"],
        &["trace", "--from", "vm-app1", "--to", "52.1.1.1"],
        &["trace", "--from", "vm-app1", "--to", "52.1.1.1", "--fqdn", "www.contoso.com"],
        &["trace", "--from", "vm-app1", "--to", "10.2.1.4", "--port", "23"],
        &["trace", "--from", "vm-private", "--to", "52.1.1.1"],
        &["trace", "--from", "203.0.113.50", "--to", "20.81.110.12", "--port", "443"],
        &["trace", "--from", "172.16.1.10", "--to", "vm-app1", "--port", "22"],
        &["trace", "--from", "vm-app1", "--to", "10.0.3.10"],
        &[
            "firewall-flow",
            "--firewall",
            "fw-hub",
            "--protocol",
            "TCP",
            "--source",
            "10.1.1.4",
            "--destination",
            "10.2.1.4:443",
        ],
        &[
            "firewall-flow",
            "--firewall",
            "fw-hub",
            "--protocol",
            "TCP",
            "--source",
            "203.0.113.5",
            "--destination",
            "20.81.110.12:443",
        ],
        &[
            "firewall-flow",
            "--firewall",
            "fw-hub",
            "--protocol",
            "TCP",
            "--source",
            "10.1.1.4",
            "--destination",
            "52.1.1.1:443",
            "--explain",
        ],
        &["doctor"],
        &["reach"],
    ];
    let mut service_endpoint_routes = 0;
    for args in questions {
        let (code_example, mut from_example) = answer(&example, args);
        let (code_terraform, mut from_terraform) = answer(&terraform, args);
        assert_eq!(code_example, code_terraform, "{tf_dir} {args:?}");
        service_endpoint_routes += from_terraform.to_string().matches("VirtualNetworkServiceEndpoint").count();
        without_state_only_facts(&mut from_example);
        without_state_only_facts(&mut from_terraform);
        assert_eq!(from_example, from_terraform, "{tf_dir} {args:?}");
    }
    assert!(service_endpoint_routes > 0, "the normalisation above must have something to do");
}

/// The state's platform resources are read (not skipped as unknown types), and a classic rule
/// collection or a NAT gateway association whose firewall or subnet is in the state applies.
#[test]
fn terraform_state_of_hub_firewall_reads_every_resource() {
    for dir in ["testdata/terraform/hub-firewall/state", "testdata/terraform/hub-firewall/plan"] {
        let run = azroute(&["routes", "--snapshot", repo_str(dir).as_str(), "--all", "-o", "json", "--verbose"]).ok();
        assert!(!run.stderr.contains("unmodelled type") && !run.stderr.contains("warning"), "{}", run.stderr);
    }
}
