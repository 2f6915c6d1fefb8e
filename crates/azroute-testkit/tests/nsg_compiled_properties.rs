//! Compiled NSG verdicts against rule-by-rule evaluation (§9): random rules with every kind of
//! address (prefixes of both families, `*`, `VirtualNetwork`, `Internet`, `AzureLoadBalancer`,
//! a service tag, an unknown tag, application security groups), protocols and port lists, on
//! a subnet NSG and a NIC NSG; random flows of both directions and every protocol, with and
//! without ports, from addresses clustered on the rules' edges. Every level whose rules the
//! snapshot can expand is compiled, and its verdict is the rule-by-rule one.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use azroute_engine::{Flow, RouteEngine, SecurityEngine};
use azroute_model::*;
use azroute_testkit::*;
use proptest::prelude::*;
use serde_json::{Value, json};

#[derive(Clone, Debug)]
enum Addr {
    Any,
    Prefix(ipnet::IpNet),
    Tag(&'static str),
}

#[derive(Clone, Debug)]
enum Side {
    Addresses(Vec<Addr>),
    Asgs(Vec<&'static str>),
}

#[derive(Clone, Debug)]
struct RuleSpec {
    inbound: bool,
    allow: bool,
    protocol: &'static str,
    source: Side,
    destination: Side,
    source_ports: Vec<(u16, u16)>,
    destination_ports: Vec<(u16, u16)>,
}

const UNKNOWN_TAG: &str = "NoSuchTag.Anywhere";
const ASGS: [&str; 2] = ["web", "db"];

fn asg_id(name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Network/applicationSecurityGroups/{name}")
}

/// Addresses where rules and tags begin and end: the VNet and its peer, the service tag, the
/// Internet tag's IPv6 hole, the load balancer's addresses, private space outside the VNet.
fn address() -> impl Strategy<Value = IpAddr> {
    let v4 = |base: [u8; 4], span: u32| {
        (0..span).prop_map(move |x| IpAddr::V4(Ipv4Addr::from(u32::from(Ipv4Addr::from(base)).wrapping_add(x))))
    };
    let v6 = |base: &'static str, span: u128| {
        (0..span).prop_map(move |x| IpAddr::V6(Ipv6Addr::from(u128::from(base.parse::<Ipv6Addr>().unwrap()) + x)))
    };
    prop_oneof![
        v4([10, 0, 0, 0], 1 << 16),
        v4([10, 2, 0, 0], 1 << 16),
        v4([52, 1, 0, 0], 1 << 16),
        v4([192, 168, 0, 0], 1 << 16),
        v4([0, 255, 255, 250], 12),
        v4([255, 255, 255, 250], 6),
        Just(IpAddr::V4(Ipv4Addr::new(168, 63, 129, 16))),
        v6("fd00::", 1 << 20),
        v6("2001:db7:ffff:ffff:ffff:ffff:ffff:fff0", 32),
        v6("2603:1000::", 1 << 20),
        Just(IpAddr::V6("fe80::1234:5678:9abc".parse().unwrap())),
        any::<u128>().prop_map(|x| IpAddr::V6(Ipv6Addr::from(x))),
    ]
}

fn addr() -> impl Strategy<Value = Addr> {
    prop_oneof![
        2 => Just(Addr::Any),
        6 => (address(), 0u8..=128).prop_map(|(a, len)| {
            let len = match a {
                IpAddr::V4(_) => len % 33,
                IpAddr::V6(_) => len,
            };
            Addr::Prefix(ipnet::IpNet::new(a, len).unwrap().trunc())
        }),
        2 => Just(Addr::Tag("VirtualNetwork")),
        2 => Just(Addr::Tag("Internet")),
        1 => Just(Addr::Tag("AzureLoadBalancer")),
        2 => Just(Addr::Tag("Storage")),
        1 => Just(Addr::Tag(UNKNOWN_TAG)),
    ]
}

fn side() -> impl Strategy<Value = Side> {
    prop_oneof![
        5 => proptest::collection::vec(addr(), 1..4).prop_map(Side::Addresses),
        1 => proptest::sample::subsequence(ASGS.to_vec(), 1..=2).prop_map(Side::Asgs),
    ]
}

fn port() -> impl Strategy<Value = u16> {
    prop_oneof![Just(0u16), Just(22), Just(80), Just(443), Just(65535), 1000u16..1100, any::<u16>()]
}

fn ports() -> impl Strategy<Value = Vec<(u16, u16)>> {
    prop_oneof![
        Just(vec![(0, 65535)]),
        proptest::collection::vec((port(), port()).prop_map(|(a, b)| (a.min(b), a.max(b))), 1..4),
    ]
}

fn rule_spec() -> impl Strategy<Value = RuleSpec> {
    (
        any::<bool>(),
        any::<bool>(),
        proptest::sample::select(vec!["*", "Tcp", "Udp", "Icmp", "Esp", "Ah"]),
        side(),
        side(),
        ports(),
        ports(),
    )
        .prop_map(|(inbound, allow, protocol, source, destination, source_ports, destination_ports)| RuleSpec {
            inbound,
            allow,
            protocol,
            source,
            destination,
            source_ports,
            destination_ports,
        })
}

fn flow() -> impl Strategy<Value = Flow> {
    (
        any::<bool>(),
        proptest::sample::select(vec![Protocol::Tcp, Protocol::Udp, Protocol::Icmp, Protocol::Esp, Protocol::Ah]),
        address(),
        address(),
        proptest::option::weighted(0.9, port()),
        proptest::option::weighted(0.9, port()),
    )
        .prop_map(|(inbound, protocol, source, destination, source_port, destination_port)| Flow {
            direction: if inbound { Direction::Inbound } else { Direction::Outbound },
            protocol,
            source,
            source_port,
            destination,
            destination_port,
        })
}

fn side_json(rule: &mut Value, field: &str, side: &Side) {
    let props = &mut rule["properties"];
    match side {
        Side::Addresses(list) => {
            let text: Vec<String> = list
                .iter()
                .map(|a| match a {
                    Addr::Any => "*".to_string(),
                    Addr::Prefix(p) => p.to_string(),
                    Addr::Tag(t) => t.to_string(),
                })
                .collect();
            if text.len() == 1 {
                props[format!("{field}AddressPrefix")] = json!(text[0]);
            } else {
                props[format!("{field}AddressPrefixes")] = json!(text);
            }
        }
        Side::Asgs(asgs) => {
            props[format!("{field}ApplicationSecurityGroups")] =
                json!(asgs.iter().map(|a| json!({"id": asg_id(a)})).collect::<Vec<_>>());
        }
    }
}

fn rule_json(name: &str, priority: u32, r: &RuleSpec) -> Value {
    let ranges = |list: &[(u16, u16)]| -> Vec<String> {
        list.iter().map(|&(a, b)| if (a, b) == (0, 65535) { "*".into() } else { format!("{a}-{b}") }).collect()
    };
    let mut rule = json!({
        "name": name,
        "id": format!("{}/securityRules/{name}", id("networkSecurityGroups", "x")),
        "properties": {
            "priority": priority,
            "direction": if r.inbound { "Inbound" } else { "Outbound" },
            "access": if r.allow { "Allow" } else { "Deny" },
            "protocol": r.protocol,
            "sourcePortRanges": ranges(&r.source_ports),
            "destinationPortRanges": ranges(&r.destination_ports),
        }
    });
    side_json(&mut rule, "source", &r.source);
    side_json(&mut rule, "destination", &r.destination);
    rule
}

/// Whether the rules of one direction name the unknown tag where it counts (not beside ASGs).
fn names_unknown_tag(rules: &[RuleSpec], direction: Direction) -> bool {
    let unknown = |s: &Side| matches!(s, Side::Addresses(list) if list.iter().any(|a| matches!(a, Addr::Tag(t) if *t == UNKNOWN_TAG)));
    rules
        .iter()
        .filter(|r| r.inbound == (direction == Direction::Inbound))
        .any(|r| unknown(&r.source) || unknown(&r.destination))
}

fn ip_config(nic: &str, ip: &str, asgs: &[&str]) -> Value {
    json!({"name": "ipconfig1", "id": format!("{}/ipConfigurations/ipconfig1", id("networkInterfaces", nic)),
        "properties": {"privateIPAddress": ip, "primary": true, "subnet": {"id": subnet_id("v", "s")},
            "applicationSecurityGroups": asgs.iter().map(|a| json!({"id": asg_id(a)})).collect::<Vec<_>>()}})
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn compiled_nsg_verdicts_equal_rule_by_rule_evaluation(
        subnet_rules in proptest::collection::vec(rule_spec(), 0..10),
        nic_rules in proptest::collection::vec(rule_spec(), 0..10),
        flows in proptest::collection::vec(flow(), 1..32),
    ) {
        let mut e = Estate::new();
        e.vnet("v", "eastus", &["10.0.0.0/16", "fd00::/48"])
            .subnet("v", "s", "10.0.1.0/24")
            .vnet("w", "eastus", &["10.2.0.0/16"])
            .peer_simple("v", "w")
            .nic("web", "v", "s", "10.0.1.4")
            .nic("both", "v", "s", "10.0.1.5")
            .service_tags(&[("Storage", "", &["52.1.0.0/20", "52.1.128.0/24", "2603:1000::/40"])]);
        e.nic_property("web", "ipConfigurations", json!([ip_config("web", "10.0.1.4", &["web"])]));
        e.nic_property("both", "ipConfigurations", json!([ip_config("both", "10.0.1.5", &["web", "db"])]));
        let sub: Vec<Value> = subnet_rules.iter().enumerate().map(|(i, r)| rule_json(&format!("s{i}"), 100 + 10 * i as u32, r)).collect();
        let nic: Vec<Value> = nic_rules.iter().enumerate().map(|(i, r)| rule_json(&format!("n{i}"), 100 + 10 * i as u32, r)).collect();
        e.nsg("nsg-s", &sub).subnet_nsg("v", "s", "nsg-s");
        e.nsg("nsg-n", &nic).nic_property("web", "networkSecurityGroup", json!({"id": id("networkSecurityGroups", "nsg-n")}));
        let snapshot = e.load(Dialect::Rest);
        let engine = RouteEngine::new(&snapshot, ModelOptions::default());
        let security = SecurityEngine::new(&engine);
        let nic_idx = snapshot.find_nic("web").unwrap();
        let subnet = engine.nic_subnet(nic_idx).unwrap();
        for f in &flows {
            let levels = security.levels(nic_idx, f.direction).unwrap();
            prop_assert_eq!(levels.len(), 2);
            for (level, specs) in levels.iter().zip(match f.direction {
                Direction::Inbound => [&subnet_rules, &nic_rules],
                Direction::Outbound => [&nic_rules, &subnet_rules],
            }) {
                let mut unknown = Vec::new();
                let by_rules = security.evaluate_level_by_rules(level, f, subnet, &mut unknown);
                let compiled = security.compiled_verdict(level, f, subnet);
                if names_unknown_tag(specs, f.direction) {
                    prop_assert!(compiled.is_none(), "a level naming an unknown tag is left to rule-by-rule evaluation");
                    continue;
                }
                prop_assert!(unknown.is_empty());
                prop_assert_eq!(compiled, Some(by_rules), "{:?}", f);
            }
        }
    }
}
