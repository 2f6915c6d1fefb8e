//! NSG evaluation against a naive rule scan (§9): random rules on a subnet NSG and a NIC NSG,
//! random flows in both directions; the engine's verdict and deciding rule equal those of a
//! scan written straight from the documented order (inbound: subnet then NIC; outbound: NIC
//! then subnet; lowest priority number first; custom rules before the six defaults; a Deny
//! stops, an Allow passes to the next NSG).

use std::net::{IpAddr, Ipv4Addr};

use azroute_engine::{Flow, RouteEngine, SecurityEngine};
use azroute_model::*;
use azroute_testkit::*;
use ipnet::Ipv4Net;
use proptest::prelude::*;
use serde_json::{Value, json};

#[derive(Clone, Debug)]
enum Addr {
    Any,
    Prefix(Ipv4Net),
    VirtualNetwork,
    Internet,
}

#[derive(Clone, Debug)]
enum Ports {
    Any,
    One(u16),
    Range(u16, u16),
    List(Vec<(u16, u16)>),
}

#[derive(Clone, Debug)]
struct RuleSpec {
    inbound: bool,
    allow: bool,
    /// "Tcp", "Udp", "Icmp" or "*".
    protocol: &'static str,
    source: Addr,
    destination: Addr,
    source_ports: Ports,
    destination_ports: Ports,
}

#[derive(Clone, Debug)]
struct FlowSpec {
    inbound: bool,
    protocol: Protocol,
    remote: Ipv4Addr,
    local_port: u16,
    remote_port: u16,
}

/// Addresses clustered where rules and flows meet: the VNet, a public block, a private block
/// outside the VNet, and the Azure host IP.
fn address() -> impl Strategy<Value = Ipv4Addr> {
    prop_oneof![
        (0u32..(1 << 16)).prop_map(|x| Ipv4Addr::from(u32::from(Ipv4Addr::new(10, 0, 0, 0)) + x)),
        (0u32..(1 << 16)).prop_map(|x| Ipv4Addr::from(u32::from(Ipv4Addr::new(52, 1, 0, 0)) + x)),
        (0u32..(1 << 16)).prop_map(|x| Ipv4Addr::from(u32::from(Ipv4Addr::new(192, 168, 0, 0)) + x)),
        Just(Ipv4Addr::new(168, 63, 129, 16)),
    ]
}

fn addr_spec() -> impl Strategy<Value = Addr> {
    prop_oneof![
        Just(Addr::Any),
        (address(), 8u8..=32).prop_map(|(a, len)| Addr::Prefix(Ipv4Net::new(a, len).unwrap().trunc())),
        Just(Addr::VirtualNetwork),
        Just(Addr::Internet),
    ]
}

/// Ports clustered around a few values so that rules and flows meet.
fn port() -> impl Strategy<Value = u16> {
    prop_oneof![Just(22u16), Just(80), Just(443), Just(3389), 1000u16..1100, any::<u16>()]
}

fn ports() -> impl Strategy<Value = Ports> {
    prop_oneof![
        Just(Ports::Any),
        port().prop_map(Ports::One),
        (port(), port()).prop_map(|(a, b)| Ports::Range(a.min(b), a.max(b))),
        proptest::collection::vec((port(), 0u16..50), 1..3)
            .prop_map(|v| Ports::List(v.into_iter().map(|(a, w)| (a, a.saturating_add(w))).collect())),
    ]
}

fn rule_spec() -> impl Strategy<Value = RuleSpec> {
    (
        any::<bool>(),
        any::<bool>(),
        prop_oneof![Just("Tcp"), Just("Udp"), Just("Icmp"), Just("*")],
        addr_spec(),
        addr_spec(),
        prop_oneof![3 => Just(Ports::Any), 1 => ports()],
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

fn flow_spec() -> impl Strategy<Value = FlowSpec> {
    (
        any::<bool>(),
        prop_oneof![Just(Protocol::Tcp), Just(Protocol::Udp), Just(Protocol::Icmp)],
        address(),
        port(),
        port(),
    )
        .prop_map(|(inbound, protocol, remote, local_port, remote_port)| FlowSpec {
            inbound,
            protocol,
            remote,
            local_port,
            remote_port,
        })
}

fn addr_text(a: &Addr) -> String {
    match a {
        Addr::Any => "*".into(),
        Addr::Prefix(p) => p.to_string(),
        Addr::VirtualNetwork => "VirtualNetwork".into(),
        Addr::Internet => "Internet".into(),
    }
}

/// `(singular, plural)` port fields as Azure writes them.
fn port_fields(p: &Ports) -> (Value, Value) {
    let range = |(a, b): (u16, u16)| if a == b { a.to_string() } else { format!("{a}-{b}") };
    match p {
        Ports::Any => (json!("*"), json!([])),
        Ports::One(x) => (json!(x.to_string()), json!([])),
        Ports::Range(a, b) => (json!(range((*a, *b))), json!([])),
        Ports::List(list) => (Value::Null, json!(list.iter().map(|r| range(*r)).collect::<Vec<_>>())),
    }
}

fn rule_json(name: &str, priority: u32, r: &RuleSpec) -> Value {
    let (sp, sps) = port_fields(&r.source_ports);
    let (dp, dps) = port_fields(&r.destination_ports);
    json!({
        "name": name,
        "id": format!("{}/securityRules/{name}", id("networkSecurityGroups", "x")),
        "properties": {
            "priority": priority,
            "direction": if r.inbound { "Inbound" } else { "Outbound" },
            "access": if r.allow { "Allow" } else { "Deny" },
            "protocol": r.protocol,
            "sourceAddressPrefix": addr_text(&r.source),
            "destinationAddressPrefix": addr_text(&r.destination),
            "sourcePortRange": sp, "sourcePortRanges": sps,
            "destinationPortRange": dp, "destinationPortRanges": dps
        }
    })
}

// ----- The naive reference -----

const VNET: &str = "10.0.0.0/16";
const HOST_IP: Ipv4Addr = Ipv4Addr::new(168, 63, 129, 16);

fn addr_matches(a: &Addr, ip: Ipv4Addr) -> bool {
    match a {
        Addr::Any => true,
        Addr::Prefix(p) => p.contains(&ip),
        // §9.4: the VNet's ranges and the Azure host IP (no peering, gateway or route table here).
        Addr::VirtualNetwork => VNET.parse::<Ipv4Net>().unwrap().contains(&ip) || ip == HOST_IP,
        Addr::Internet => is_internet(IpAddr::V4(ip)),
    }
}

fn ports_match(p: &Ports, port: u16) -> bool {
    match p {
        Ports::Any => true,
        Ports::One(x) => *x == port,
        Ports::Range(a, b) => (*a..=*b).contains(&port),
        Ports::List(list) => list.iter().any(|(a, b)| (*a..=*b).contains(&port)),
    }
}

/// The six default rules (§9.2) as specs, with their names.
fn defaults() -> Vec<(String, RuleSpec)> {
    let r = |inbound, allow, source, destination| RuleSpec {
        inbound,
        allow,
        protocol: "*",
        source,
        destination,
        source_ports: Ports::Any,
        destination_ports: Ports::Any,
    };
    let host = Addr::Prefix(Ipv4Net::new(HOST_IP, 32).unwrap());
    vec![
        ("defaultSecurityRules/AllowVnetInBound".into(), r(true, true, Addr::VirtualNetwork, Addr::VirtualNetwork)),
        ("defaultSecurityRules/AllowAzureLoadBalancerInBound".into(), r(true, true, host, Addr::Any)),
        ("defaultSecurityRules/DenyAllInBound".into(), r(true, false, Addr::Any, Addr::Any)),
        ("defaultSecurityRules/AllowVnetOutBound".into(), r(false, true, Addr::VirtualNetwork, Addr::VirtualNetwork)),
        ("defaultSecurityRules/AllowInternetOutBound".into(), r(false, true, Addr::Any, Addr::Internet)),
        ("defaultSecurityRules/DenyAllOutBound".into(), r(false, false, Addr::Any, Addr::Any)),
    ]
}

/// First matching rule of one NSG: (allow, name).
fn scan(rules: &[RuleSpec], prefix: &str, f: &FlowSpec, src: Ipv4Addr, dst: Ipv4Addr) -> (bool, String) {
    let (sport, dport) = if f.inbound { (f.remote_port, f.local_port) } else { (f.local_port, f.remote_port) };
    let custom = rules.iter().enumerate().map(|(i, r)| (format!("securityRules/{prefix}{i}"), r.clone()));
    // Custom rules are already in priority order (priorities grow with the index).
    for (name, r) in custom.chain(defaults()) {
        if r.inbound != f.inbound {
            continue;
        }
        let protocol_ok = matches!(
            (r.protocol, f.protocol),
            ("*", _) | ("Tcp", Protocol::Tcp) | ("Udp", Protocol::Udp) | ("Icmp", Protocol::Icmp)
        );
        let ports_ok = f.protocol == Protocol::Icmp
            || (ports_match(&r.source_ports, sport) && ports_match(&r.destination_ports, dport));
        if protocol_ok && ports_ok && addr_matches(&r.source, src) && addr_matches(&r.destination, dst) {
            return (r.allow, name);
        }
    }
    unreachable!("the default rules always match")
}

/// The verdict over both NSGs, in the documented order.
fn naive(subnet_rules: &[RuleSpec], nic_rules: &[RuleSpec], f: &FlowSpec, local: Ipv4Addr) -> (bool, String) {
    let (src, dst) = if f.inbound { (f.remote, local) } else { (local, f.remote) };
    let levels =
        if f.inbound { [(subnet_rules, "s"), (nic_rules, "n")] } else { [(nic_rules, "n"), (subnet_rules, "s")] };
    let mut last = (true, String::new());
    for (rules, prefix) in levels {
        last = scan(rules, prefix, f, src, dst);
        if !last.0 {
            return last;
        }
    }
    last
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn nsg_evaluation_equals_a_naive_rule_scan(
        subnet_rules in proptest::collection::vec(rule_spec(), 0..8),
        nic_rules in proptest::collection::vec(rule_spec(), 0..8),
        flows in proptest::collection::vec(flow_spec(), 1..24),
    ) {
        let local = Ipv4Addr::new(10, 0, 1, 4);
        let mut e = Estate::new();
        e.vnet("v", "eastus", &[VNET]).subnet("v", "s", "10.0.1.0/24").nic("nic", "v", "s", "10.0.1.4");
        let sub: Vec<Value> = subnet_rules.iter().enumerate().map(|(i, r)| rule_json(&format!("s{i}"), 100 + 10 * i as u32, r)).collect();
        let nic: Vec<Value> = nic_rules.iter().enumerate().map(|(i, r)| rule_json(&format!("n{i}"), 100 + 10 * i as u32, r)).collect();
        e.nsg("nsg-s", &sub).subnet_nsg("v", "s", "nsg-s");
        e.nsg("nsg-n", &nic).nic_property("nic", "networkSecurityGroup", json!({"id": id("networkSecurityGroups", "nsg-n")}));
        let snapshot = e.load(Dialect::Rest);
        let engine = RouteEngine::new(&snapshot, ModelOptions::default());
        let security = SecurityEngine::new(&engine);
        let nic_idx = snapshot.find_nic("nic").unwrap();
        for f in &flows {
            let (source, destination, source_port, destination_port) = if f.inbound {
                (IpAddr::V4(f.remote), IpAddr::V4(local), f.remote_port, f.local_port)
            } else {
                (IpAddr::V4(local), IpAddr::V4(f.remote), f.local_port, f.remote_port)
            };
            let flow = Flow {
                direction: if f.inbound { Direction::Inbound } else { Direction::Outbound },
                protocol: f.protocol,
                source,
                source_port: Some(source_port),
                destination,
                destination_port: Some(destination_port),
            };
            let d = security.evaluate(nic_idx, &flow).unwrap();
            let (allow, rule) = naive(&subnet_rules, &nic_rules, f, local);
            prop_assert_eq!(d.access == Access::Allow, allow, "{:?}: engine {:?} {}", f, d.access, d.rule_name);
            prop_assert_eq!(d.rule_name.to_string(), rule, "{:?}", f);
        }
    }
}
