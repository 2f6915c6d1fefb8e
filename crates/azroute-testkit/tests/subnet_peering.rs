//! Subnet peering in a trace (§5.6, §18.8): Azure gives every subnet of the VNet the routes to
//! the remote peered subnets, but packets from subnets the peering does not list are dropped at
//! the destination (`SubnetPeeringNonPeeredSource`); with `--subnet-peering-scope
//! listed-subnets-only` they have no route and are dropped at the source. Either way they do
//! not arrive.

use azroute_engine::Verdict;
use azroute_model::*;
use azroute_testkit::*;

/// `left` (10.0/16) subnet1 peered with `right` (10.1/16) subnet0; left's subnet0 is not listed.
fn estate() -> Estate {
    let mut e = Estate::new();
    e.vnet("left", "eastus", &["10.0.0.0/16"])
        .subnet("left", "subnet0", "10.0.0.0/24")
        .subnet("left", "subnet1", "10.0.1.0/24")
        .nic("left0", "left", "subnet0", "10.0.0.4")
        .nic("left1", "left", "subnet1", "10.0.1.4");
    e.vnet("right", "eastus", &["10.1.0.0/16"])
        .subnet("right", "subnet0", "10.1.0.0/24")
        .nic("right0", "right", "subnet0", "10.1.0.4");
    e.subnet_peer("left", "right", &["subnet1"], &["subnet0"]);
    e
}

fn codes(t: &azroute_engine::Trace) -> Vec<&'static str> {
    t.forward.findings.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn a_listed_subnet_reaches_the_remote_peered_subnet() {
    let s = Scenario::new(&estate());
    assert_eq!(s.trace("left1", "10.1.0.4", 443).forward.verdict, Verdict::Delivered);
}

#[test]
fn a_non_peered_subnet_has_the_route_but_is_dropped_at_the_remote_side() {
    let s = Scenario::new(&estate());
    assert!(s.route_strings("left0").contains(&"Default Active 10.1.0.0/24 VNetPeering".to_string()));
    let t = s.trace("left0", "10.1.0.4", 443);
    assert_eq!(t.forward.verdict, Verdict::Dropped, "{t:?}");
    assert_eq!(codes(&t), ["SubnetPeeringNonPeeredSource"]);
}

#[test]
fn with_listed_subnets_only_the_non_peered_subnet_is_dropped_at_the_source() {
    let options =
        ModelOptions { subnet_peering_scope: SubnetPeeringScope::ListedSubnetsOnly, ..ModelOptions::default() };
    let s = Scenario::with_options(&estate(), options);
    let t = s.trace("left0", "10.1.0.4", 443);
    assert_eq!(t.forward.verdict, Verdict::Dropped, "{t:?}");
    assert!(!codes(&t).contains(&"SubnetPeeringNonPeeredSource"), "{:?}", codes(&t));
    assert_eq!(s.trace("left1", "10.1.0.4", 443).forward.verdict, Verdict::Delivered);
}
