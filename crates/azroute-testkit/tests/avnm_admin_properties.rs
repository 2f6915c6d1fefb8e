//! Security admin rules then NSGs (§18.3) against a naive reference written from the
//! documented algorithm: admin rules by ascending priority, the first match decides — `Deny`
//! drops, `AlwaysAllow` admits, `Allow` falls through to the NSG — then the NSG's custom rules by
//! ascending priority (a catch-all rule at 4000 keeps the defaults out of play).

use std::net::{IpAddr, Ipv4Addr};

use azroute_engine::{Flow, RouteEngine, SecurityEngine};
use azroute_model::*;
use azroute_testkit::*;
use ipnet::Ipv4Net;
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Spec {
    inbound: bool,
    /// 0 Allow, 1 Deny, 2 AlwaysAllow (NSG rules: 0 Allow, otherwise Deny).
    access: u8,
    protocol: Option<Protocol>,
    remote: Option<Ipv4Net>,
    port: Option<(u16, u16)>,
}

const LOCAL: Ipv4Addr = Ipv4Addr::new(10, 0, 1, 4);

fn spec() -> impl Strategy<Value = Spec> {
    let remote = prop_oneof![
        Just(None),
        (0u8..4, 8u8..=24)
            .prop_map(|(third, len)| Some(Ipv4Net::new(Ipv4Addr::new(10, 1, third, 0), len).unwrap().trunc())),
    ];
    let port = prop_oneof![
        Just(None),
        (1u16..6).prop_map(|p| Some((p * 100, p * 100))),
        (1u16..6).prop_map(|p| Some((p * 100, p * 100 + 150)))
    ];
    let protocol = prop_oneof![Just(None), Just(Some(Protocol::Tcp)), Just(Some(Protocol::Udp))];
    (any::<bool>(), 0u8..3, protocol, remote, port).prop_map(|(inbound, access, protocol, remote, port)| Spec {
        inbound,
        access,
        protocol,
        remote,
        port,
    })
}

#[derive(Clone, Debug)]
struct FlowSpec {
    inbound: bool,
    protocol: Protocol,
    remote: Ipv4Addr,
    port: u16,
}

fn flow_spec() -> impl Strategy<Value = FlowSpec> {
    (any::<bool>(), prop_oneof![Just(Protocol::Tcp), Just(Protocol::Udp)], 0u8..4, 0u8..8, 1u16..8).prop_map(
        |(inbound, protocol, third, host, p)| FlowSpec {
            inbound,
            protocol,
            remote: Ipv4Addr::new(10, 1, third, host),
            port: p * 100 + (host as u16) * 10,
        },
    )
}

fn texts(s: &Spec) -> (&'static str, String, String, String) {
    let protocol = match s.protocol {
        None => "Any",
        Some(Protocol::Tcp) => "Tcp",
        Some(_) => "Udp",
    };
    let remote = s.remote.map_or("*".to_string(), |n| n.to_string());
    let (src, dst) = if s.inbound { (remote, "*".to_string()) } else { ("*".to_string(), remote) };
    let port = s.port.map_or("*".to_string(), |(lo, hi)| if lo == hi { lo.to_string() } else { format!("{lo}-{hi}") });
    (protocol, src, dst, port)
}

/// Whether a rule (admin or NSG alike here) matches: direction, protocol, remote prefix on the
/// remote side, destination port.
fn matches(s: &Spec, f: &FlowSpec) -> bool {
    s.inbound == f.inbound
        && s.protocol.is_none_or(|p| p == f.protocol)
        && s.remote.is_none_or(|n| n.contains(&f.remote))
        && s.port.is_none_or(|(lo, hi)| lo <= f.port && f.port <= hi)
}

/// The documented algorithm (§18.3), scanning every rule.
fn naive(admin: &[Spec], nsg: &[Spec], catch_all_allows: bool, f: &FlowSpec) -> (bool, String) {
    for (i, r) in admin.iter().enumerate() {
        if matches(r, f) {
            let name = format!("securityAdminConfigurations/sac/ruleCollections/rc/rules/a{i}");
            match r.access {
                1 => return (false, name),
                2 => return (true, name),
                _ => break,
            }
        }
    }
    for (i, r) in nsg.iter().enumerate() {
        if matches(r, f) {
            return (r.access == 0, format!("securityRules/n{i}"));
        }
    }
    let dir = if f.inbound { "in" } else { "out" };
    (catch_all_allows, format!("securityRules/catch-all-{dir}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn admin_rules_then_nsg_equal_a_naive_scan(
        admin in proptest::collection::vec(spec(), 0..6),
        nsg in proptest::collection::vec(spec(), 0..6),
        catch_all_allows in any::<bool>(),
        flows in proptest::collection::vec(flow_spec(), 1..24),
    ) {
        let mut e = Estate::new();
        e.vnet("v", "eastus", &["10.0.0.0/16"]).subnet("v", "s", "10.0.1.0/24").nic("nic", "v", "s", "10.0.1.4");
        let catch = if catch_all_allows { "Allow" } else { "Deny" };
        let mut rules: Vec<_> = nsg.iter().enumerate().map(|(i, r)| {
            let (protocol, src, dst, port) = texts(r);
            let protocol = if protocol == "Any" { "*" } else { protocol };
            rule(&format!("n{i}"), 100 + i as u32, if r.inbound { "Inbound" } else { "Outbound" }, if r.access == 0 { "Allow" } else { "Deny" }, protocol, &src, &dst, &port)
        }).collect();
        rules.push(rule("catch-all-in", 4000, "Inbound", catch, "*", "*", "*", "*"));
        rules.push(rule("catch-all-out", 4000, "Outbound", catch, "*", "*", "*", "*"));
        e.nsg("nsg", &rules).subnet_nsg("v", "s", "nsg");
        e.network_group("g", &["v"]);
        let admin_texts: Vec<(String, &'static str, String, String, String, &'static str)> = admin.iter().map(|r| {
            let (protocol, src, dst, port) = texts(r);
            (protocol.to_string(), ["Allow", "Deny", "AlwaysAllow"][r.access as usize], src, dst, port, if r.inbound { "Inbound" } else { "Outbound" })
        }).collect();
        let names: Vec<String> = (0..admin.len()).map(|i| format!("a{i}")).collect();
        let admin_rules: Vec<azroute_testkit::avnm::AdminRuleSpec<'_>> = admin_texts.iter().zip(&names).enumerate().map(|(i, (t, name))| {
            (name.as_str(), 1 + i as u32, t.5, t.1, t.0.as_str(), t.2.as_str(), t.3.as_str(), t.4.as_str())
        }).collect();
        if !admin_rules.is_empty() {
            e.admin_rules("sac", "rc", &["g"], &admin_rules);
        }
        let snapshot = e.load(Dialect::Rest);
        let engine = RouteEngine::new(&snapshot, ModelOptions::default());
        let security = SecurityEngine::new(&engine);
        let nic = snapshot.find_nic("nic").unwrap();
        for f in &flows {
            let (source, destination) = if f.inbound { (IpAddr::V4(f.remote), IpAddr::V4(LOCAL)) } else { (IpAddr::V4(LOCAL), IpAddr::V4(f.remote)) };
            // The rules' ports are destination ports, on the local side inbound, remote outbound.
            let (source_port, destination_port) = (40000, f.port);
            let flow = Flow {
                direction: if f.inbound { Direction::Inbound } else { Direction::Outbound },
                protocol: f.protocol,
                source,
                source_port: Some(source_port),
                destination,
                destination_port: Some(destination_port),
            };
            let d = security.evaluate(nic, &flow).unwrap();
            let (allow, rule_name) = naive(&admin, &nsg, catch_all_allows, f);
            prop_assert_eq!(d.access == Access::Allow, allow, "{:?}: engine {:?} {}", f, d.access, d.rule_name);
            prop_assert_eq!(d.rule_name, rule_name, "{:?}", f);
        }
    }
}
