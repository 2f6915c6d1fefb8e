//! Azure Firewall rule evaluation (§16.2, §16.3) through real ingest: the documentation's
//! rule-processing examples reproduced, DNAT, SNAT, application rules with and without a host
//! name, FQDN network rules without DNS proxy, and the verdict property-tested against a naive
//! first-match scan written from the documentation's order alone.

use std::net::IpAddr;

use azroute_engine::*;
use azroute_ingest::load_texts;
use azroute_model::*;
use proptest::prelude::*;
use serde_json::{Value, json};

const SUB: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network";

fn policy(name: &str, base: Option<&str>, dns_proxy: bool) -> Value {
    let mut p = json!({"id": format!("{SUB}/firewallPolicies/{name}"), "name": name,
        "type": "Microsoft.Network/firewallPolicies",
        "properties": {"dnsSettings": {"enableProxy": dns_proxy}}});
    if let Some(b) = base {
        p["properties"]["basePolicy"] = json!({"id": format!("{SUB}/firewallPolicies/{b}")});
    }
    p
}

fn group(policy: &str, name: &str, priority: u32, collections: Vec<Value>) -> Value {
    json!({"id": format!("{SUB}/firewallPolicies/{policy}/ruleCollectionGroups/{name}"), "name": name,
        "properties": {"priority": priority, "ruleCollections": collections}})
}

fn filter(name: &str, priority: u32, action: &str, rules: Vec<Value>) -> Value {
    json!({"ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": name, "priority": priority,
        "action": {"type": action}, "rules": rules})
}

fn nat(name: &str, priority: u32, rules: Vec<Value>) -> Value {
    json!({"ruleCollectionType": "FirewallPolicyNatRuleCollection", "name": name, "priority": priority,
        "action": {"type": "DNAT"}, "rules": rules})
}

fn net_rule(name: &str, protocols: &[&str], src: &[&str], dst: &[&str], ports: &[&str]) -> Value {
    json!({"ruleType": "NetworkRule", "name": name, "ipProtocols": protocols, "sourceAddresses": src,
        "destinationAddresses": dst, "destinationPorts": ports})
}

fn app_rule(name: &str, src: &[&str], fqdns: &[&str]) -> Value {
    json!({"ruleType": "ApplicationRule", "name": name, "sourceAddresses": src, "targetFqdns": fqdns,
        "protocols": [{"protocolType": "Http", "port": 80}, {"protocolType": "Https", "port": 443}]})
}

fn dnat_rule(name: &str, dst: &str, port: &str, to: &str, to_port: &str) -> Value {
    json!({"ruleType": "NatRule", "name": name, "ipProtocols": ["TCP"], "sourceAddresses": ["*"],
        "destinationAddresses": [dst], "destinationPorts": [port], "translatedAddress": to, "translatedPort": to_port})
}

/// A firewall with a public IP `20.1.1.1` in `hub/AzureFirewallSubnet` (10.0.1.0/26, frontend
/// 10.0.1.4), using `policy`, with the given resources beside it.
fn estate(policy: Option<&str>, resources: Vec<Value>) -> Snapshot {
    let mut fw = json!({"id": format!("{SUB}/azureFirewalls/fw"), "name": "fw", "type": "Microsoft.Network/azureFirewalls",
        "properties": {"sku": {"name": "AZFW_VNet", "tier": "Standard"},
          "ipConfigurations": [{"name": "c", "properties": {"privateIPAddress": "10.0.1.4",
            "subnet": {"id": format!("{SUB}/virtualNetworks/hub/subnets/AzureFirewallSubnet")},
            "publicIPAddress": {"id": format!("{SUB}/publicIPAddresses/fw-pip")}}}]}});
    if let Some(p) = policy {
        fw["properties"]["firewallPolicy"] = json!({"id": format!("{SUB}/firewallPolicies/{p}")});
    }
    let vnet = json!({"id": format!("{SUB}/virtualNetworks/hub"), "name": "hub", "type": "Microsoft.Network/virtualNetworks",
        "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
          "subnets": [{"id": format!("{SUB}/virtualNetworks/hub/subnets/AzureFirewallSubnet"), "name": "AzureFirewallSubnet",
            "properties": {"addressPrefix": "10.0.1.0/26"}}]}});
    let pip = json!({"id": format!("{SUB}/publicIPAddresses/fw-pip"), "name": "fw-pip",
        "type": "Microsoft.Network/publicIPAddresses", "properties": {"ipAddress": "20.1.1.1"}});
    let mut all = vec![fw, vnet, pip];
    all.extend(resources);
    let loaded = load_texts(&[("estate.json".into(), Value::Array(all).to_string())]);
    let errors: Vec<String> =
        loaded.diagnostics.iter().filter(|d| d.severity >= Severity::Warning).map(|d| d.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    loaded.snapshot
}

fn flow(src: &str, dst: &str, protocol: Option<Protocol>, port: Option<u16>, fqdn: Option<&str>) -> FirewallFlow {
    FirewallFlow {
        source: src.parse().unwrap(),
        source_port: None,
        destination: dst.parse().unwrap(),
        destination_port: port,
        protocol,
        fqdn: fqdn.map(str::to_string),
    }
}

fn verdict(snap: &Snapshot, f: &FirewallFlow, options: FirewallOptions, explain: bool) -> FirewallVerdict {
    evaluate_firewall(snap, FirewallIdx(0), f, &options, explain)
}

fn deciding(v: &FirewallVerdict) -> (Option<&str>, &str, Option<&str>) {
    let p = v.decided_by.as_ref().expect("a deciding place");
    (p.group.as_deref(), p.collection.as_str(), p.rule.as_deref())
}

/// The rule-processing page's example policy (§16.2): parent groups BaseRCG1 (200: DNATRC1 600,
/// DNATRC3 610, NetworkRC1 800) and BaseRCG2 (300: AppRC2 1200, NetworkRC2 1300); child groups
/// ChildRCG1 (300: ChNetRC1 700, ChAppRC1 900) and ChildRCG2 (650: ChNetRC2 1100, ChAppRC2 2000,
/// ChDNATRC3 3000). The documented order: DNATRC1, DNATRC3, ChDNATRC3, then NetworkRC1,
/// NetworkRC2, ChNetRC1, ChNetRC2, then AppRC2, ChAppRC1, ChAppRC2 — with parent NAT collections
/// processed, which the policy overview says are not inherited (C20).
#[test]
fn documented_processing_order_parent_first_then_priorities() {
    let no = |n: &str| net_rule(n, &["UDP"], &["192.0.2.1"], &["*"], &["9"]);
    let no_app = |n: &str| app_rule(n, &["192.0.2.1"], &["never.example"]);
    let no_nat = |n: &str| dnat_rule(n, "20.1.1.1", "9", "10.9.9.9", "9");
    let resources = vec![
        policy("parent", None, false),
        policy("child", Some("parent"), false),
        group(
            "parent",
            "BaseRCG1",
            200,
            vec![
                nat("DNATRC1", 600, vec![no_nat("d1")]),
                nat("DNATRC3", 610, vec![no_nat("d3")]),
                filter("NetworkRC1", 800, "Allow", vec![no("n1")]),
            ],
        ),
        group(
            "parent",
            "BaseRCG2",
            300,
            vec![
                filter("AppRC2", 1200, "Allow", vec![no_app("a2")]),
                filter("NetworkRC2", 1300, "Allow", vec![no("n2")]),
            ],
        ),
        group(
            "child",
            "ChildRCG1",
            300,
            vec![
                filter("ChNetRC1", 700, "Allow", vec![no("cn1")]),
                filter("ChAppRC1", 900, "Allow", vec![no_app("ca1")]),
            ],
        ),
        group(
            "child",
            "ChildRCG2",
            650,
            vec![
                filter("ChNetRC2", 1100, "Allow", vec![no("cn2")]),
                filter("ChAppRC2", 2000, "Allow", vec![no_app("ca2")]),
                nat("ChDNATRC3", 3000, vec![no_nat("cd3")]),
            ],
        ),
    ];
    let snap = estate(Some("child"), resources);
    let f = flow("10.1.0.4", "20.1.1.1", Some(Protocol::Tcp), Some(443), Some("example.com"));
    let order = |options| {
        let v = verdict(&snap, &f, options, true);
        assert_eq!(v.action, FirewallAction::Deny);
        assert_eq!(v.pass, FirewallPass::Default);
        v.candidates.iter().map(|c| c.place.collection.clone()).collect::<Vec<_>>()
    };
    let documented = [
        "DNATRC1",
        "DNATRC3",
        "ChDNATRC3",
        "NetworkRC1",
        "NetworkRC2",
        "ChNetRC1",
        "ChNetRC2",
        "AppRC2",
        "ChAppRC1",
        "ChAppRC2",
    ];
    assert_eq!(order(FirewallOptions { inherit_parent_dnat: true, ..FirewallOptions::default() }), documented);
    let without_parent_nat: Vec<&str> = documented.iter().copied().filter(|c| !c.starts_with("DNATRC")).collect();
    assert_eq!(order(FirewallOptions::default()), without_parent_nat);
}

/// Rule-processing example 1 (§16.2): a network rule allowing TCP 80/443 to anywhere and an
/// application rule denying google.com: the network rule matches first, so google.com is allowed.
#[test]
fn network_rule_before_application_rule() {
    let resources = vec![
        policy("p", None, false),
        group(
            "p",
            "g",
            200,
            vec![
                filter(
                    "Allow-web",
                    1000,
                    "Allow",
                    vec![net_rule("Allow-web", &["TCP"], &["*"], &["*"], &["80", "443"])],
                ),
                filter("Deny-google", 1100, "Deny", vec![app_rule("Deny-google", &["*"], &["*google.com"])]),
            ],
        ),
    ];
    let snap = estate(Some("p"), resources);
    let v = verdict(
        &snap,
        &flow("10.1.0.4", "142.250.1.1", Some(Protocol::Tcp), Some(443), Some("www.google.com")),
        FirewallOptions::default(),
        false,
    );
    assert_eq!((v.action, v.pass), (FirewallAction::Allow, FirewallPass::Network));
    assert_eq!(deciding(&v), (Some("g"), "Allow-web", Some("Allow-web")));
    // Internet-bound network-rule traffic leaves with the firewall's public IP (§16.3).
    assert_eq!(v.snat, Some(Snat::ToPublicIp { addresses: vec!["20.1.1.1".parse().unwrap()] }));
}

/// Rule-processing example 2 (§16.2): SSH allowed by a collection of priority 200 and denied by
/// one of priority 100: the higher-priority deny wins.
#[test]
fn higher_priority_collection_wins() {
    let ssh = |n: &str| net_rule(n, &["TCP"], &["*"], &["*"], &["22"]);
    let classic = json!({"id": format!("{SUB}/azureFirewalls/fw"), "name": "fw", "type": "Microsoft.Network/azureFirewalls",
        "properties": {"networkRuleCollections": [
          {"name": "Allow-SSH", "properties": {"priority": 200, "action": {"type": "Allow"}, "rules": [{"name": "AllowSSH", "protocols": ["TCP"], "sourceAddresses": ["*"], "destinationAddresses": ["*"], "destinationPorts": ["22"]}]}},
          {"name": "Deny-SSH", "properties": {"priority": 100, "action": {"type": "Deny"}, "rules": [{"name": "DenySSH", "protocols": ["TCP"], "sourceAddresses": ["*"], "destinationAddresses": ["*"], "destinationPorts": ["22"]}]}}]}});
    let loaded = load_texts(&[("fw.json".into(), Value::Array(vec![classic]).to_string())]);
    let f = flow("10.1.0.4", "10.2.0.4", Some(Protocol::Tcp), Some(22), None);
    let v = verdict(&loaded.snapshot, &f, FirewallOptions::default(), false);
    assert_eq!((v.action, deciding(&v)), (FirewallAction::Deny, (None, "Deny-SSH", Some("DenySSH"))));
    // The same in a policy: collections ordered by priority inside the group.
    let snap = estate(
        Some("p"),
        vec![
            policy("p", None, false),
            group(
                "p",
                "g",
                200,
                vec![
                    filter("Allow-SSH", 200, "Allow", vec![ssh("a")]),
                    filter("Deny-SSH", 100, "Deny", vec![ssh("d")]),
                ],
            ),
        ],
    );
    assert_eq!(verdict(&snap, &f, FirewallOptions::default(), false).action, FirewallAction::Deny);
}

/// DNAT (§16.2, §16.3): a flow to the firewall's public IP is translated, allowed without
/// further processing (C21) and SNATed to the firewall subnet.
#[test]
fn dnat_translates_allows_and_snats() {
    let snap = estate(
        Some("p"),
        vec![
            policy("p", None, false),
            group(
                "p",
                "DefaultDnatRuleCollectionGroup",
                100,
                vec![nat("inbound", 100, vec![dnat_rule("web", "20.1.1.1", "443", "10.2.0.4", "8443")])],
            ),
            group(
                "p",
                "DefaultNetworkRuleCollectionGroup",
                200,
                vec![filter("deny-all", 100, "Deny", vec![net_rule("all", &["Any"], &["*"], &["*"], &["*"])])],
            ),
        ],
    );
    let v = verdict(
        &snap,
        &flow("198.51.100.7", "20.1.1.1", Some(Protocol::Tcp), Some(443), None),
        FirewallOptions::default(),
        false,
    );
    assert_eq!((v.action, v.pass), (FirewallAction::Allow, FirewallPass::Dnat));
    assert_eq!(v.dnat, Some(Dnat { translated_address: "10.2.0.4".parse().unwrap(), translated_port: Some(8443) }));
    assert!(matches!(v.snat, Some(Snat::ToFirewallSubnet { .. })));
    // Another port: no DNAT rule, the explicit network deny decides.
    let other = verdict(
        &snap,
        &flow("198.51.100.7", "20.1.1.1", Some(Protocol::Tcp), Some(80), None),
        FirewallOptions::default(),
        false,
    );
    assert_eq!((other.action, other.pass), (FirewallAction::Deny, FirewallPass::Network));
}

/// C21 (§16.6): by default a DNAT match is final and the explicit network deny of the estate
/// above does not stop the translated flow; with `dnat_respects_network_deny` the translated flow
/// (10.2.0.4:8443) meets the network rules and the explicit deny wins; a network rule that allows
/// it, or none matching it, keeps the DNAT allow.
#[test]
fn c21_explicit_network_deny_after_dnat_is_an_option() {
    let with_network = |rule: Value, action: &str| {
        estate(
            Some("p"),
            vec![
                policy("p", None, false),
                group(
                    "p",
                    "dnat",
                    100,
                    vec![nat("inbound", 100, vec![dnat_rule("web", "20.1.1.1", "443", "10.2.0.4", "8443")])],
                ),
                group("p", "net", 200, vec![filter("net", 100, action, vec![rule])]),
            ],
        )
    };
    let f = flow("198.51.100.7", "20.1.1.1", Some(Protocol::Tcp), Some(443), None);
    let respects = FirewallOptions { dnat_respects_network_deny: true, ..FirewallOptions::default() };
    // A deny of the translated destination and port.
    let deny = with_network(net_rule("no-backend", &["TCP"], &["*"], &["10.2.0.4"], &["8443"]), "Deny");
    assert_eq!(verdict(&deny, &f, FirewallOptions::default(), false).pass, FirewallPass::Dnat);
    let v = verdict(&deny, &f, respects, true);
    assert_eq!((v.action, v.pass, v.dnat.clone()), (FirewallAction::Deny, FirewallPass::Network, None));
    assert_eq!(deciding(&v), (Some("net"), "net", Some("no-backend")));
    // The explanation lists the DNAT rule, then the network rule the translated flow met.
    let places: Vec<&str> = v.candidates.iter().map(|c| c.place.collection.as_str()).collect();
    assert_eq!(places, ["inbound", "net"]);
    // A deny of the untranslated port only: the translated flow does not meet it.
    let untranslated = with_network(net_rule("no-443", &["TCP"], &["*"], &["10.2.0.4"], &["443"]), "Deny");
    assert_eq!(verdict(&untranslated, &f, respects, false).pass, FirewallPass::Dnat);
    // An allow keeps the DNAT decision.
    let allow = with_network(net_rule("backend", &["TCP"], &["*"], &["10.2.0.4"], &["8443"]), "Allow");
    let v = verdict(&allow, &f, respects, false);
    assert_eq!((v.action, v.pass), (FirewallAction::Allow, FirewallPass::Dnat));
    assert!(v.dnat.is_some() && matches!(v.snat, Some(Snat::ToFirewallSubnet { .. })));
}

/// Network rules to private destinations keep the source (IANAPrivateRanges, §16.3); a custom
/// list without it replaces the default.
#[test]
fn snat_private_ranges() {
    let allow = filter("spokes", 100, "Allow", vec![net_rule("any", &["Any"], &["10.0.0.0/8"], &["*"], &["*"])]);
    let snap = estate(Some("p"), vec![policy("p", None, false), group("p", "g", 100, vec![allow.clone()])]);
    let f = flow("10.1.0.4", "10.2.0.4", Some(Protocol::Tcp), Some(443), None);
    assert_eq!(verdict(&snap, &f, FirewallOptions::default(), false).snat, Some(Snat::NotTranslated));
    // RFC 6598 space: not SNATed by default (the SNAT page), SNATed with the RFC 1918-only option (C19).
    let shared = flow("10.1.0.4", "100.64.0.9", Some(Protocol::Tcp), Some(443), None);
    assert_eq!(verdict(&snap, &shared, FirewallOptions::default(), false).snat, Some(Snat::NotTranslated));
    let rfc1918 = FirewallOptions { snat_default_ranges: SnatDefaultRanges::Rfc1918, ..FirewallOptions::default() };
    assert!(matches!(verdict(&snap, &shared, rfc1918, false).snat, Some(Snat::ToFirewallSubnet { .. })));
    let mut custom = policy("p", None, false);
    custom["properties"]["snat"] = json!({"privateRanges": ["192.168.0.0/16"]});
    let snap = estate(Some("p"), vec![custom, group("p", "g", 100, vec![allow])]);
    assert!(matches!(verdict(&snap, &f, FirewallOptions::default(), false).snat, Some(Snat::ToFirewallSubnet { .. })));
}

/// Application rules need the host name (§16.2): without `--fqdn` the answer is Indeterminate,
/// never a guess; with it, the rule decides and the flow is always SNATed.
#[test]
fn application_rule_needs_the_host_name() {
    let snap = estate(
        Some("p"),
        vec![
            policy("p", None, false),
            group(
                "p",
                "g",
                300,
                vec![filter("web", 100, "Allow", vec![app_rule("contoso", &["10.0.0.0/8"], &["*.contoso.com"])])],
            ),
        ],
    );
    let no_name = verdict(
        &snap,
        &flow("10.1.0.4", "52.1.1.1", Some(Protocol::Tcp), Some(443), None),
        FirewallOptions::default(),
        false,
    );
    assert_eq!(no_name.action, FirewallAction::Indeterminate);
    assert!(matches!(&no_name.reasons[0], IndeterminateReason::Rule { undecided: Undecided::NeedsFqdn, .. }));
    let named = verdict(
        &snap,
        &flow("10.1.0.4", "52.1.1.1", Some(Protocol::Tcp), Some(443), Some("www.contoso.com")),
        FirewallOptions::default(),
        false,
    );
    assert_eq!((named.action, named.pass), (FirewallAction::Allow, FirewallPass::Application));
    let bare = verdict(
        &snap,
        &flow("10.1.0.4", "52.1.1.1", Some(Protocol::Tcp), Some(443), Some("contoso.com")),
        FirewallOptions::default(),
        false,
    );
    assert_eq!(bare.action, FirewallAction::Deny, "*.contoso.com does not match contoso.com");
    // UDP never reaches the application pass.
    let udp = verdict(
        &snap,
        &flow("10.1.0.4", "52.1.1.1", Some(Protocol::Udp), Some(443), None),
        FirewallOptions::default(),
        false,
    );
    assert_eq!((udp.action, udp.pass), (FirewallAction::Deny, FirewallPass::Default));
}

/// FQDNs in network rules need DNS proxy (§16.2): without it the rule is skipped, and said so.
#[test]
fn fqdn_network_rule_needs_dns_proxy() {
    let rule = json!({"ruleType": "NetworkRule", "name": "sql", "ipProtocols": ["TCP"], "sourceAddresses": ["*"],
        "destinationFqdns": ["sql.contoso.com"], "destinationPorts": ["1433"]});
    let coll = || vec![filter("fqdn", 100, "Allow", vec![rule.clone()])];
    let f = flow("10.1.0.4", "52.1.1.1", Some(Protocol::Tcp), Some(1433), Some("sql.contoso.com"));
    let snap = estate(Some("p"), vec![policy("p", None, false), group("p", "g", 200, coll())]);
    let v = verdict(&snap, &f, FirewallOptions::default(), false);
    assert_eq!(v.action, FirewallAction::Deny);
    assert_eq!(v.skipped.len(), 1);
    assert_eq!(v.skipped[0].1, NoMatch::FqdnWithoutDnsProxy);
    let snap = estate(Some("p"), vec![policy("p", None, true), group("p", "g", 200, coll())]);
    assert_eq!(verdict(&snap, &f, FirewallOptions::default(), false).action, FirewallAction::Allow);
    let unnamed = FirewallFlow { fqdn: None, ..f };
    assert_eq!(verdict(&snap, &unnamed, FirewallOptions::default(), false).action, FirewallAction::Indeterminate);
}

/// A policy whose rule collection groups are not in the snapshot cannot be evaluated.
#[test]
fn policy_without_groups_is_indeterminate() {
    let snap = estate(Some("p"), vec![policy("p", None, false)]);
    let v = verdict(
        &snap,
        &flow("10.1.0.4", "10.2.0.4", Some(Protocol::Tcp), Some(443), None),
        FirewallOptions::default(),
        false,
    );
    assert_eq!(v.action, FirewallAction::Indeterminate);
    assert!(matches!(v.reasons[0], IndeterminateReason::PolicyWithoutGroups { .. }));
}

// ---------------------------------------------------------------------------------------------
// Property: the verdict of classic network rules equals a naive first-match scan.

#[derive(Clone, Debug)]
struct NaiveRule {
    proto: &'static str,
    src: u8,
    src_len: u8,
    dst: u8,
    dst_len: u8,
    port: Option<u16>,
}

#[derive(Clone, Debug)]
struct NaiveCollection {
    name: String,
    priority: u32,
    allow: bool,
    rules: Vec<NaiveRule>,
}

fn rule_strategy() -> impl Strategy<Value = NaiveRule> {
    (
        prop::sample::select(vec!["TCP", "UDP", "ICMP", "Any"]),
        0u8..4,
        prop::sample::select(vec![0u8, 16, 24]),
        0u8..4,
        prop::sample::select(vec![0u8, 16, 24]),
        prop::option::of(prop::sample::select(vec![22u16, 80, 443])),
    )
        .prop_map(|(proto, src, src_len, dst, dst_len, port)| NaiveRule {
            proto,
            src,
            src_len,
            dst,
            dst_len,
            port,
        })
}

fn firewall_strategy() -> impl Strategy<Value = Vec<NaiveCollection>> {
    prop::collection::vec(
        (prop::sample::select(vec![100u32, 200, 300]), any::<bool>(), prop::collection::vec(rule_strategy(), 1..4)),
        1..6,
    )
    .prop_map(|cs| {
        cs.into_iter()
            .enumerate()
            .map(|(i, (priority, allow, rules))| NaiveCollection { name: format!("c{i}"), priority, allow, rules })
            .collect()
    })
}

fn cidr(octet: u8, len: u8) -> String {
    if len == 0 { "*".to_string() } else { format!("10.{octet}.0.0/{len}") }
}

/// Written from the documentation alone: collections by priority (then name), the first rule
/// whose protocol, source, destination and port all match decides; nothing matches: deny.
fn naive(
    collections: &[NaiveCollection],
    proto: &str,
    src: IpAddr,
    dst: IpAddr,
    port: u16,
) -> (bool, Option<(String, String)>) {
    let mut sorted = collections.to_vec();
    sorted.sort_by(|a, b| (a.priority, &a.name).cmp(&(b.priority, &b.name)));
    let inside = |ip: IpAddr, octet: u8, len: u8| {
        let IpAddr::V4(v4) = ip else { return false };
        let o = v4.octets();
        len == 0 || (o[0] == 10 && o[1] == octet && (len == 16 || o[2] == 0))
    };
    for c in &sorted {
        for (i, r) in c.rules.iter().enumerate() {
            let proto_ok = match r.proto {
                "Any" => r.port.is_none() || proto != "ICMP",
                p => p == proto,
            };
            let port_ok = proto == "ICMP" || r.port.is_none_or(|p| p == port);
            if proto_ok && port_ok && inside(src, r.src, r.src_len) && inside(dst, r.dst, r.dst_len) {
                return (c.allow, Some((c.name.clone(), format!("r{i}"))));
            }
        }
    }
    (false, None)
}

fn classic_json(collections: &[NaiveCollection]) -> String {
    let colls: Vec<Value> = collections
        .iter()
        .map(|c| {
            let rules: Vec<Value> = c.rules.iter().enumerate().map(|(i, r)| json!({"name": format!("r{i}"), "protocols": [r.proto],
                "sourceAddresses": [cidr(r.src, r.src_len)], "destinationAddresses": [cidr(r.dst, r.dst_len)],
                "destinationPorts": [r.port.map_or("*".to_string(), |p| p.to_string())]})).collect();
            json!({"name": c.name, "properties": {"priority": c.priority, "action": {"type": if c.allow { "Allow" } else { "Deny" }}, "rules": rules}})
        })
        .collect();
    json!([{"id": format!("{SUB}/azureFirewalls/fw"), "name": "fw", "type": "Microsoft.Network/azureFirewalls",
        "properties": {"networkRuleCollections": colls}}])
    .to_string()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn verdict_equals_naive_first_match(collections in firewall_strategy(), s in 0u8..4, d in 0u8..4, s3 in 0u8..2, d3 in 0u8..2,
        proto in prop::sample::select(vec!["TCP", "UDP", "ICMP"]), port in prop::sample::select(vec![22u16, 80, 443])) {
        let loaded = load_texts(&[("fw.json".into(), classic_json(&collections))]);
        let src: IpAddr = format!("10.{s}.{s3}.1").parse().unwrap();
        let dst: IpAddr = format!("10.{d}.{d3}.2").parse().unwrap();
        let f = FirewallFlow { source: src, source_port: None, destination: dst, destination_port: Some(port),
            protocol: Protocol::parse(proto), fqdn: None };
        let v = evaluate_firewall(&loaded.snapshot, FirewallIdx(0), &f, &FirewallOptions::default(), false);
        let (allow, decided) = naive(&collections, proto, src, dst, port);
        prop_assert_eq!(v.action == FirewallAction::Allow, allow);
        match decided {
            Some((collection, rule)) => {
                let p = v.decided_by.as_ref().unwrap();
                prop_assert_eq!((&p.collection, p.rule.as_deref()), (&collection, Some(rule.as_str())));
                prop_assert_eq!(v.pass, FirewallPass::Network);
            }
            None => prop_assert_eq!(v.pass, FirewallPass::Default),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Property: a parent and a child policy with DNAT, network and application collections in
// random groups and priorities give the verdict of a naive scan written from §16.2 alone: the
// three passes in their order whatever the priorities; in each, the parent's groups before the
// child's (its NAT collections only with `inherit_parent_dnat`, C20), then group priority (equal
// priorities by name, O1), then collection priority; the first matching rule decides.

#[derive(Clone, Debug)]
enum PolicyRule {
    /// TCP to the firewall's public IP 20.1.1.1 on a port, translated to 10.9.0.4.
    Dnat {
        src: u8,
        src_len: u8,
        port: u16,
    },
    Network(NaiveRule),
    /// An HTTP (80) or HTTPS (443) application rule for one host name.
    Application {
        src: u8,
        src_len: u8,
        https: bool,
        fqdn: &'static str,
    },
}

#[derive(Clone, Debug)]
struct PolicyCollection {
    kind: FwRuleKind,
    priority: u32,
    allow: bool,
    rules: Vec<PolicyRule>,
}

#[derive(Clone, Debug)]
struct PolicyGroup {
    priority: u32,
    collections: Vec<PolicyCollection>,
}

fn source_strategy() -> impl Strategy<Value = (u8, u8)> {
    (0u8..3, prop::sample::select(vec![0u8, 16]))
}

fn policy_collection_strategy() -> impl Strategy<Value = PolicyCollection> {
    let priority = prop::sample::select(vec![100u32, 200, 300]);
    prop_oneof![
        (priority.clone(), prop::collection::vec((source_strategy(), prop::sample::select(vec![80u16, 443])), 1..3))
            .prop_map(|(priority, rules)| PolicyCollection {
                kind: FwRuleKind::Nat,
                priority,
                allow: true,
                rules: rules
                    .into_iter()
                    .map(|((src, src_len), port)| PolicyRule::Dnat { src, src_len, port })
                    .collect(),
            }),
        (priority.clone(), any::<bool>(), prop::collection::vec(rule_strategy(), 1..3)).prop_map(
            |(priority, allow, rules)| PolicyCollection {
                kind: FwRuleKind::Network,
                priority,
                allow,
                rules: rules.into_iter().map(PolicyRule::Network).collect()
            }
        ),
        (
            priority,
            any::<bool>(),
            prop::collection::vec(
                (source_strategy(), any::<bool>(), prop::sample::select(vec!["a.example", "b.example"])),
                1..3
            )
        )
            .prop_map(|(priority, allow, rules)| PolicyCollection {
                kind: FwRuleKind::Application,
                priority,
                allow,
                rules: rules
                    .into_iter()
                    .map(|((src, src_len), https, fqdn)| PolicyRule::Application { src, src_len, https, fqdn })
                    .collect(),
            }),
    ]
}

fn policy_groups_strategy() -> impl Strategy<Value = Vec<PolicyGroup>> {
    prop::collection::vec(
        (prop::sample::select(vec![100u32, 200]), prop::collection::vec(policy_collection_strategy(), 1..4))
            .prop_map(|(priority, collections)| PolicyGroup { priority, collections }),
        1..3,
    )
}

/// Names: groups `{policy}-g{i}`, collections `{policy}-g{i}-c{j}`, rules `r{k}`.
fn policy_resources(parent: &[PolicyGroup], child: &[PolicyGroup]) -> Vec<Value> {
    let mut out = vec![policy("parent", None, false), policy("child", Some("parent"), false)];
    for (name, groups) in [("parent", parent), ("child", child)] {
        for (i, g) in groups.iter().enumerate() {
            let collections = g
                .collections
                .iter()
                .enumerate()
                .map(|(j, c)| {
                    let cname = format!("{name}-g{i}-c{j}");
                    let rules: Vec<Value> = c
                        .rules
                        .iter()
                        .enumerate()
                        .map(|(k, r)| {
                            let rname = format!("r{k}");
                            match r {
                                PolicyRule::Dnat { src, src_len, port } => json!({"ruleType": "NatRule", "name": rname,
                                    "ipProtocols": ["TCP"], "sourceAddresses": [cidr(*src, *src_len)],
                                    "destinationAddresses": ["20.1.1.1"], "destinationPorts": [port.to_string()],
                                    "translatedAddress": "10.9.0.4", "translatedPort": port.to_string()}),
                                PolicyRule::Network(n) => net_rule(
                                    &rname,
                                    &[n.proto],
                                    &[&cidr(n.src, n.src_len)],
                                    &[&cidr(n.dst, n.dst_len)],
                                    &[&n.port.map_or("*".to_string(), |p| p.to_string())],
                                ),
                                PolicyRule::Application { src, src_len, https, fqdn } => {
                                    let (kind, port) = if *https { ("Https", 443) } else { ("Http", 80) };
                                    json!({"ruleType": "ApplicationRule", "name": rname,
                                        "sourceAddresses": [cidr(*src, *src_len)], "targetFqdns": [fqdn],
                                        "protocols": [{"protocolType": kind, "port": port}]})
                                }
                            }
                        })
                        .collect();
                    match c.kind {
                        FwRuleKind::Nat => nat(&cname, c.priority, rules),
                        _ => filter(&cname, c.priority, if c.allow { "Allow" } else { "Deny" }, rules),
                    }
                })
                .collect();
            out.push(group(name, &format!("{name}-g{i}"), g.priority, collections));
        }
    }
    out
}

/// Where a collection comes in §16.2's order: (policy depth, group priority, group name,
/// collection priority, collection name).
type OrderKey = (usize, u32, String, u32, String);

/// The naive scan: (allow, pass, collection, rule), or the default deny.
fn naive_policy(
    parent: &[PolicyGroup],
    child: &[PolicyGroup],
    inherit_parent_dnat: bool,
    f: &FirewallFlow,
    proto: &str,
) -> (bool, FirewallPass, Option<(String, String)>) {
    let inside = |ip: IpAddr, octet: u8, len: u8| {
        let IpAddr::V4(v4) = ip else { return false };
        let o = v4.octets();
        len == 0 || (o[0] == 10 && o[1] == octet && (len == 16 || o[2] == 0))
    };
    let port = f.destination_port.unwrap_or(0);
    let matches = |r: &PolicyRule| match r {
        PolicyRule::Dnat { src, src_len, port: p } => {
            proto == "TCP"
                && inside(f.source, *src, *src_len)
                && f.destination == "20.1.1.1".parse::<IpAddr>().unwrap()
                && port == *p
        }
        PolicyRule::Network(r) => {
            let proto_ok = match r.proto {
                "Any" => r.port.is_none() || proto != "ICMP",
                p => p == proto,
            };
            let port_ok = proto == "ICMP" || r.port.is_none_or(|p| p == port);
            proto_ok && port_ok && inside(f.source, r.src, r.src_len) && inside(f.destination, r.dst, r.dst_len)
        }
        PolicyRule::Application { src, src_len, https, fqdn } => {
            proto == "TCP"
                && port == if *https { 443 } else { 80 }
                && inside(f.source, *src, *src_len)
                && f.fqdn.as_deref() == Some(*fqdn)
        }
    };
    for (kind, pass) in [
        (FwRuleKind::Nat, FirewallPass::Dnat),
        (FwRuleKind::Network, FirewallPass::Network),
        (FwRuleKind::Application, FirewallPass::Application),
    ] {
        let mut ordered: Vec<(OrderKey, &PolicyCollection)> = Vec::new();
        for (depth, (name, groups)) in [("parent", parent), ("child", child)].into_iter().enumerate() {
            if kind == FwRuleKind::Nat && name == "parent" && !inherit_parent_dnat {
                continue;
            }
            for (i, g) in groups.iter().enumerate() {
                for (j, c) in g.collections.iter().enumerate().filter(|(_, c)| c.kind == kind) {
                    let key = (depth, g.priority, format!("{name}-g{i}"), c.priority, format!("{name}-g{i}-c{j}"));
                    ordered.push((key, c));
                }
            }
        }
        ordered.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, c) in ordered {
            if let Some(k) = c.rules.iter().position(matches) {
                return (c.allow, pass, Some((key.4, format!("r{k}"))));
            }
        }
    }
    (false, FirewallPass::Default, None)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn policy_verdict_equals_naive_scan_of_the_documented_order(
        parent in policy_groups_strategy(), child in policy_groups_strategy(), inherit_parent_dnat in any::<bool>(),
        s in 0u8..3, s3 in 0u8..2, d in 0u8..4,
        proto in prop::sample::select(vec!["TCP", "UDP", "ICMP"]), port in prop::sample::select(vec![22u16, 80, 443]),
        fqdn in prop::sample::select(vec!["a.example", "b.example"])) {
        let snap = estate(Some("child"), policy_resources(&parent, &child));
        // d = 3: the firewall's public IP, which only DNAT rules name.
        let destination = if d == 3 { "20.1.1.1".to_string() } else { format!("10.{d}.0.2") };
        let f = FirewallFlow { source: format!("10.{s}.{s3}.1").parse().unwrap(), source_port: None,
            destination: destination.parse().unwrap(), destination_port: Some(port), protocol: Protocol::parse(proto),
            fqdn: Some(fqdn.to_string()) };
        let options = FirewallOptions { inherit_parent_dnat, ..FirewallOptions::default() };
        let v = evaluate_firewall(&snap, FirewallIdx(0), &f, &options, false);
        let (allow, pass, decided) = naive_policy(&parent, &child, inherit_parent_dnat, &f, proto);
        prop_assert_eq!((v.action == FirewallAction::Allow, v.pass), (allow, pass), "{:?}", v);
        match decided {
            Some((collection, rule)) => {
                let p = v.decided_by.as_ref().unwrap();
                prop_assert_eq!((&p.collection, p.rule.as_deref()), (&collection, Some(rule.as_str())));
            }
            None => prop_assert_eq!(v.decided_by.as_ref().and_then(|p| p.rule.clone()), None),
        }
        if pass == FirewallPass::Dnat {
            prop_assert_eq!(v.dnat.as_ref().map(|d| d.translated_address), Some("10.9.0.4".parse().unwrap()));
        }
    }
}
