//! Security admin rules (§18.3, AV-S1…AV-S6) before NSGs, through real ingest in all three
//! dialects: `Deny` overrides an NSG allow, `AlwaysAllow` bypasses an NSG deny, `Allow` hands the
//! flow to the NSGs, priorities, network groups as sources, where admin rules are not applied
//! (platform subnets, private endpoints), and the trace's drop with `AvnmAdminRuleDenied`.

use azroute_engine::Verdict;
use azroute_model::*;
use azroute_testkit::avnm::{AdminRuleSpec, avnm_id};
use azroute_testkit::*;

/// An NSG rule, in the same shape as an admin rule: (name, priority, direction, access,
/// protocol, source, destination, destination port).
type RuleSpec = AdminRuleSpec<'static>;

const ALLOW_ALL_IN: RuleSpec = ("allow-all-in", 100, "Inbound", "Allow", "*", "*", "*", "*");

/// vnet `app` (10.0.0.0/16) in group `apps`, NIC 10.0.1.4 behind a subnet NSG; vnet `other`
/// (10.1.0.0/16) peered, in group `others`.
fn estate(nsg_rules: &[RuleSpec]) -> Estate {
    let mut e = Estate::new();
    e.vnet("app", "eastus", &["10.0.0.0/16"]).subnet("app", "s", "10.0.1.0/24").nic("nic", "app", "s", "10.0.1.4");
    e.vnet("other", "eastus", &["10.1.0.0/16"])
        .subnet("other", "s", "10.1.1.0/24")
        .nic("nic-o", "other", "s", "10.1.1.4");
    e.peer_simple("app", "other");
    let rules: Vec<_> = nsg_rules.iter().map(|r| rule(r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7)).collect();
    e.nsg("nsg", &rules).subnet_nsg("app", "s", "nsg");
    e.network_group("apps", &["app"]).network_group("others", &["other"]);
    e
}

fn admin(name: &str) -> String {
    format!("securityAdminConfigurations/sac/ruleCollections/rc/rules/{name}")
}

/// AV-S1: a `Deny` admin rule drops traffic the NSG allows.
#[test]
fn admin_deny_overrides_an_nsg_allow() {
    let mut e = estate(&[ALLOW_ALL_IN]);
    e.admin_rules("sac", "rc", &["apps"], &[("deny-ssh", 10, "Inbound", "Deny", "Tcp", "*", "*", "22")]);
    let s = Scenario::new(&e);
    let verdict = s.ip_flow("nic", Direction::Inbound, "10.0.1.4", 22, "10.1.1.4", 50000);
    assert_eq!(verdict, ("Deny".into(), admin("deny-ssh"), String::new()));
    // Another port: no admin rule matches, the NSG decides.
    let other = s.ip_flow("nic", Direction::Inbound, "10.0.1.4", 443, "10.1.1.4", 50000);
    assert_eq!(other, ("Allow".into(), "securityRules/allow-all-in".into(), "subnet".into()));
    let t = s.trace("nic-o", "nic", 22);
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    assert!(t.findings.iter().any(|f| f.code.as_str() == "AvnmAdminRuleDenied"), "{:?}", t.findings);
}

/// AV-S1: `AlwaysAllow` admits traffic the NSG denies; `Allow` does not (observed, avnm-demo).
#[test]
fn always_allow_bypasses_an_nsg_deny_and_allow_does_not() {
    let deny_rfc1918 = ("deny-private", 100, "Inbound", "Deny", "*", "10.0.0.0/8", "*", "*");
    let mut e = estate(&[deny_rfc1918]);
    e.admin_rules(
        "sac",
        "rc",
        &["apps"],
        &[("let-in", 10, "Inbound", "AlwaysAllow", "Tcp", "10.1.0.0/16", "*", "443")],
    );
    let s = Scenario::new(&e);
    assert_eq!(s.ip_flow("nic", Direction::Inbound, "10.0.1.4", 443, "10.1.1.4", 50000).0, "Allow");
    assert_eq!(s.trace("nic-o", "nic", 443).forward.verdict, Verdict::Delivered);
    let mut e = estate(&[deny_rfc1918]);
    e.admin_rules("sac", "rc", &["apps"], &[("let-in", 10, "Inbound", "Allow", "Tcp", "10.1.0.0/16", "*", "443")]);
    let s = Scenario::new(&e);
    let verdict = s.ip_flow("nic", Direction::Inbound, "10.0.1.4", 443, "10.1.1.4", 50000);
    assert_eq!(verdict, ("Deny".into(), "securityRules/deny-private".into(), "subnet".into()));
}

/// AV-S2: the lower priority number wins ("a deny rule with a priority of 10 overrides an
/// allow rule with a priority of 20").
#[test]
fn lower_priority_number_wins_among_admin_rules() {
    let mut e = estate(&[ALLOW_ALL_IN]);
    e.admin_rules(
        "sac",
        "rc",
        &["apps"],
        &[
            ("allow-20", 20, "Inbound", "AlwaysAllow", "Any", "*", "*", "*"),
            ("deny-10", 10, "Inbound", "Deny", "Any", "*", "*", "*"),
        ],
    );
    let s = Scenario::new(&e);
    assert_eq!(s.ip_flow("nic", Direction::Inbound, "10.0.1.4", 80, "10.1.1.4", 1).1, admin("deny-10"));
}

/// Network groups as sources: the member VNets' address spaces; rules apply only to the VNets
/// of the collection's groups (AV-S3).
#[test]
fn network_group_sources_and_target_groups() {
    let mut e = estate(&[ALLOW_ALL_IN]);
    let others = avnm_id("networkGroups/others");
    e.admin_rules("sac", "rc", &["apps"], &[("from-others", 10, "Inbound", "Deny", "Any", &others, "*", "*")]);
    let s = Scenario::new(&e);
    assert_eq!(s.ip_flow("nic", Direction::Inbound, "10.0.1.4", 80, "10.1.1.4", 1).0, "Deny");
    assert_eq!(s.ip_flow("nic", Direction::Inbound, "10.0.1.4", 80, "10.2.0.4", 1).0, "Allow");
    // `other` is not in `apps`: the rule does not apply to its NIC (no NSG there: allowed).
    assert_eq!(s.ip_flow("nic-o", Direction::Inbound, "10.1.1.4", 80, "10.0.1.4", 1).0, "Allow");
}

/// AV-S5: admin rules are not applied in platform subnets or to private endpoints.
#[test]
fn admin_rules_skip_platform_subnets() {
    let mut e = estate(&[ALLOW_ALL_IN]);
    e.subnet("app", "AzureBastionSubnet", "10.0.9.0/26").nic("bastion-nic", "app", "AzureBastionSubnet", "10.0.9.4");
    e.admin_rules("sac", "rc", &["apps"], &[("deny-all", 10, "Inbound", "Deny", "Any", "*", "*", "*")]);
    let s = Scenario::new(&e);
    assert_eq!(s.ip_flow("nic", Direction::Inbound, "10.0.1.4", 80, "10.1.1.4", 1).0, "Deny");
    assert_eq!(s.ip_flow("bastion-nic", Direction::Inbound, "10.0.9.4", 80, "10.1.1.4", 1).0, "Allow");
}

/// AV-S5: in a VNet holding a service with network intent policies (a subnet delegated to SQL
/// Managed Instance) admin rules apply only as `applyOnNetworkIntentPolicyBasedServices` says:
/// `None` none, `AllowRulesOnly` the allowing ones, `All` every rule.
#[test]
fn network_intent_policy_vnets_follow_apply_on_network_intent_policy_based_services() {
    let with_mode = |mode: &str| {
        let mut e = estate(&[("deny-ssh-nsg", 100, "Inbound", "Deny", "Tcp", "*", "*", "22")]);
        e.subnet("app", "mi", "10.0.5.0/24").subnet_property(
            "app",
            "mi",
            "delegations",
            serde_json::json!([{"name": "mi", "properties": {"serviceName": "Microsoft.Sql/managedInstances"}}]),
        );
        e.admin_rules(
            "sac",
            "rc",
            &["apps"],
            &[
                ("deny-http", 10, "Inbound", "Deny", "Tcp", "*", "*", "80"),
                ("let-ssh", 20, "Inbound", "AlwaysAllow", "Tcp", "*", "*", "22"),
            ],
        );
        e.resource_property(
            "Microsoft.Network/networkManagers/securityAdminConfigurations",
            "sac",
            "applyOnNetworkIntentPolicyBasedServices",
            serde_json::json!([mode]),
        );
        let s = Scenario::new(&e);
        let http = s.ip_flow("nic", Direction::Inbound, "10.0.1.4", 80, "10.1.1.4", 1).0;
        let ssh = s.ip_flow("nic", Direction::Inbound, "10.0.1.4", 22, "10.1.1.4", 1).0;
        (http, ssh)
    };
    assert_eq!(with_mode("None"), ("Allow".into(), "Deny".into()), "no admin rule: the NSG decides");
    assert_eq!(with_mode("AllowRulesOnly"), ("Allow".into(), "Allow".into()));
    assert_eq!(with_mode("All"), ("Deny".into(), "Allow".into()));
}
