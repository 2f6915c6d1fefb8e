//! Azure Virtual Network Manager deployment state and per-VNet effective answers (§18.6),
//! through real ingest in all three dialects: a configuration the active lists do not show in a
//! VNet's region is not applied there; without any deployment state it is assumed deployed; a
//! VNet's effective answer decides its membership (dynamic members included) and its admin
//! rules instead of the configuration.

use azroute_model::*;
use azroute_testkit::avnm::AdminRuleSpec;
use azroute_testkit::*;

/// Three VNets in eastus, `m1` and `m2` static members of group `mesh`, `m3` in no group; a
/// regional mesh over the group.
fn mesh() -> Estate {
    let mut e = Estate::new();
    for (i, name) in ["m1", "m2", "m3"].iter().enumerate() {
        let n = i + 1;
        e.vnet(name, "eastus", &[&format!("10.1{n}.0.0/16")]).subnet(name, "s", &format!("10.1{n}.0.0/24")).nic(
            &format!("nic-{name}"),
            name,
            "s",
            &format!("10.1{n}.0.4"),
        );
    }
    e.network_group("mesh", &["m1", "m2"]);
    e.connectivity("cc-mesh", "Mesh", None, &[("mesh", false, false)], false);
    e
}

fn connected_group(s: &Scenario, nic: &str) -> Vec<String> {
    s.route_strings(nic).into_iter().filter(|r| r.contains("ConnectedGroup")).collect()
}

#[test]
fn without_deployment_state_a_configuration_is_assumed_deployed() {
    let s = Scenario::new(&mesh());
    assert_eq!(connected_group(&s, "nic-m1"), ["Default Active 10.12.0.0/16 ConnectedGroup"]);
}

#[test]
fn a_configuration_active_only_in_another_region_is_not_applied() {
    let mut e = mesh();
    e.active_connectivity("cc-mesh", "westus");
    let s = Scenario::new(&e);
    assert!(connected_group(&s, "nic-m1").is_empty(), "{:?}", s.route_strings("nic-m1"));
    let mut e = mesh();
    e.active_connectivity("cc-mesh", "East US");
    let s = Scenario::new(&e);
    assert_eq!(connected_group(&s, "nic-m1"), ["Default Active 10.12.0.0/16 ConnectedGroup"]);
}

#[test]
fn effective_connectivity_answers_decide_membership() {
    // m3 is a dynamic member (Azure Policy): only its effective answer says so.
    let mut e = mesh();
    e.effective_connectivity("m3", &[("cc-mesh", "mesh")]);
    let s = Scenario::new(&e);
    assert_eq!(connected_group(&s, "nic-m1"), ["Default Active 10.12.0.0/16 10.13.0.0/16 ConnectedGroup"]);
    assert_eq!(connected_group(&s, "nic-m3"), ["Default Active 10.11.0.0/16 10.12.0.0/16 ConnectedGroup"]);
    // m2's effective answer lists nothing: whatever the static membership says, it is out.
    e.effective_connectivity("m2", &[]);
    let s = Scenario::new(&e);
    assert_eq!(connected_group(&s, "nic-m1"), ["Default Active 10.13.0.0/16 ConnectedGroup"]);
    assert!(connected_group(&s, "nic-m2").is_empty());
}

const DENY_SSH: AdminRuleSpec<'static> = ("deny-ssh", 10, "Inbound", "Deny", "Tcp", "*", "*", "22");
const DENY_HTTP: AdminRuleSpec<'static> = ("deny-http", 20, "Inbound", "Deny", "Tcp", "*", "*", "80");

fn guarded() -> Estate {
    let mut e = mesh();
    e.admin_rules("sac", "rc", &["mesh"], &[DENY_SSH, DENY_HTTP]);
    e
}

fn inbound(s: &Scenario, port: u16) -> String {
    s.ip_flow("nic-m1", Direction::Inbound, "10.11.0.4", port, "10.12.0.4", 50000).0
}

#[test]
fn admin_rules_active_only_in_another_region_are_not_applied() {
    let s = Scenario::new(&guarded());
    assert_eq!((inbound(&s, 22), inbound(&s, 80)), ("Deny".into(), "Deny".into()));
    let mut e = guarded();
    e.active_admin_rule("sac", "rc", "deny-ssh", "westus");
    let s = Scenario::new(&e);
    assert_eq!((inbound(&s, 22), inbound(&s, 80)), ("Allow".into(), "Allow".into()));
}

#[test]
fn effective_admin_rules_answer_replaces_the_configuration_for_its_vnet() {
    let mut e = guarded();
    e.effective_admin_rules("m1", &[("sac", "rc", "deny-http")]);
    let s = Scenario::new(&e);
    assert_eq!((inbound(&s, 22), inbound(&s, 80)), ("Allow".into(), "Deny".into()));
    // m2 has no answer: the configuration still decides there.
    let ssh_m2 = s.ip_flow("nic-m2", Direction::Inbound, "10.12.0.4", 22, "10.11.0.4", 50000).0;
    assert_eq!(ssh_m2, "Deny");
    // m3 is in no group, but its answer lists a rule: it applies (dynamic membership).
    e.effective_admin_rules("m3", &[("sac", "rc", "deny-ssh")]);
    let s = Scenario::new(&e);
    assert_eq!(s.ip_flow("nic-m3", Direction::Inbound, "10.13.0.4", 22, "10.11.0.4", 50000).0, "Deny");
}
