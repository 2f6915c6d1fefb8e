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

use common::terraform::{reads_every_resource, same_answers};

/// The state, and the plan that creates the NAT gateway of `AzureFirewallSubnet` (its id and
/// its associations' links unknown until apply, followed through the configuration).
#[test]
fn terraform_state_and_plan_of_hub_firewall_answer_as_the_example() {
    for dir in ["testdata/terraform/hub-firewall/state", "testdata/terraform/hub-firewall/plan"] {
        same_answers_as_hub_firewall(dir);
    }
}

fn same_answers_as_hub_firewall(tf_dir: &str) {
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
    let raw = same_answers("hub-firewall", tf_dir, questions);
    assert!(raw.contains("VirtualNetworkServiceEndpoint"), "the normalisation must have something to do");
}

/// The state's platform resources are read (not skipped as unknown types), and a classic rule
/// collection or a NAT gateway association whose firewall or subnet is in the state applies.
#[test]
fn terraform_state_of_hub_firewall_reads_every_resource() {
    for dir in ["testdata/terraform/hub-firewall/state", "testdata/terraform/hub-firewall/plan"] {
        reads_every_resource(dir);
    }
}
