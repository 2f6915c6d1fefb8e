//! An Azure Firewall as a trace's next hop (§16.4, §16.5), on the embedded `hub-spoke` example
//! with its NVA VM replaced by an Azure Firewall at the same private IP (10.0.1.4, in
//! `AzureFirewallSubnet`): the firewall is reached, judges the flow by its rules, translates it
//! and forwards it by its subnet's routes; the reply returns through it statefully; and the
//! doctor no longer calls its address unreachable.

use std::path::PathBuf;

use azroute_doctor::{DoctorConfig, run};
use azroute_engine::*;
use azroute_ingest::load_texts;
use azroute_model::*;
use azroute_report::trace::FindingView;
use serde_json::{Value, json};

const SUB: &str =
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-network/providers/Microsoft.Network";

fn example_files() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../azroute-cli/estates/hub-spoke");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    files.sort();
    files
}

/// The example with `vm-fw` and its NIC removed, `snet-nva` renamed `AzureFirewallSubnet`, an
/// Azure Firewall at 10.0.1.4 using policy `fw-policy` with `groups`, and `edit` applied to the
/// route tables.
fn estate(groups: Vec<Value>, edit_tables: impl Fn(&mut Value)) -> Snapshot {
    let mut texts = Vec::new();
    let mut sub_prefix = String::new();
    for (name, text) in example_files() {
        let mut v: Value = serde_json::from_str(&text.replace("snet-nva", "AzureFirewallSubnet")).unwrap();
        if let Value::Array(items) = &mut v {
            items.retain(|r| !matches!(r["name"].as_str(), Some("nic-fw" | "vm-fw")));
        }
        if name == "route-table-list.json" {
            edit_tables(&mut v);
        }
        if name == "vnet-list.json" {
            let id = v[0]["id"].as_str().unwrap();
            sub_prefix = id[..id.find("/virtualNetworks/").unwrap()].to_string();
        }
        texts.push((name, v.to_string()));
    }
    let prefix = if sub_prefix.is_empty() { SUB.to_string() } else { sub_prefix };
    let firewall = json!({"id": format!("{prefix}/azureFirewalls/fw-hub"), "name": "fw-hub", "type": "Microsoft.Network/azureFirewalls",
        "sku": {"name": "AZFW_VNet", "tier": "Standard"},
        "ipConfigurations": [{"name": "ipconfig", "privateIPAddress": "10.0.1.4",
            "subnet": {"id": format!("{prefix}/virtualNetworks/vnet-hub/subnets/AzureFirewallSubnet")}}],
        "firewallPolicy": {"id": format!("{prefix}/firewallPolicies/fw-policy")}});
    let policy = json!({"id": format!("{prefix}/firewallPolicies/fw-policy"), "name": "fw-policy",
        "type": "Microsoft.Network/firewallPolicies"});
    let mut resources = vec![firewall, policy];
    for g in groups {
        let mut g = g;
        let name = g["name"].as_str().unwrap().to_string();
        g["id"] = json!(format!("{prefix}/firewallPolicies/fw-policy/ruleCollectionGroups/{name}"));
        resources.push(g);
    }
    texts.push(("firewall.json".into(), Value::Array(resources).to_string()));
    let loaded = load_texts(&texts);
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Error || d.code == "DanglingReference")
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    loaded.snapshot
}

fn group(name: &str, priority: u32, collections: Vec<Value>) -> Value {
    json!({"name": name, "properties": {"priority": priority, "ruleCollections": collections}})
}

fn network(name: &str, action: &str, src: &str, dst: &str) -> Value {
    json!({"ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": name, "priority": 100,
        "action": {"type": action}, "rules": [{"ruleType": "NetworkRule", "name": format!("{name}-rule"),
        "ipProtocols": ["Any"], "sourceAddresses": [src], "destinationAddresses": [dst], "destinationPorts": ["*"]}]})
}

fn allow_private() -> Vec<Value> {
    vec![group("east-west", 200, vec![network("private", "Allow", "10.0.0.0/8", "10.0.0.0/8")])]
}

fn trace(snap: &Snapshot, from: &str, to: &str, port: u16, fqdn: Option<&str>) -> Trace {
    let engine = RouteEngine::new(snap, ModelOptions::default());
    let mut tracer = Tracer::new(&engine);
    tracer.fqdn = fqdn.map(str::to_string);
    let nic = snap.find_nic(from).expect("source NIC");
    let ip = snap.nics[nic.index()].primary_ip_config().unwrap().private_ip.unwrap();
    let request = TraceRequest {
        source: TraceSource::Nic { nic, ip },
        destination: to.parse().unwrap(),
        protocol: Protocol::Tcp,
        source_port: 50000,
        destination_port: port,
    };
    tracer.trace(request).unwrap()
}

fn kinds(p: &PathTrace) -> Vec<HopKind> {
    p.hops.iter().map(|h| h.kind).collect()
}

fn codes(t: &Trace) -> Vec<&'static str> {
    t.findings.iter().map(|f| f.code.as_str()).collect()
}

/// The confident wrong answer, fixed: vm-app1 → vm-app2 through the firewall is delivered,
/// both ways through it (the reply passes by flow state), with no finding.
#[test]
fn spoke_to_spoke_through_the_firewall_is_delivered_both_ways() {
    let snap = estate(allow_private(), |_| {});
    let t = trace(&snap, "nic-app1", "10.2.1.4", 443, None);
    assert_eq!(t.forward.verdict, Verdict::Delivered, "{:?}", t.findings);
    assert_eq!(kinds(&t.forward), [HopKind::Source, HopKind::AzureFirewall, HopKind::Destination]);
    let fw_hop = &t.forward.hops[1];
    assert_eq!(fw_hop.address, Some("10.0.1.4".parse().unwrap()));
    assert!(fw_hop.notes.iter().any(|n| matches!(n, HopNote::FirewallAllowed { .. })));
    // The route the firewall's subnet used: its (global) peering to spoke 2 (§16.4).
    assert_eq!(fw_hop.route.as_ref().unwrap().route.route().next_hop_type, NextHopType::VNetGlobalPeering);
    let reply = t.reverse.as_ref().unwrap();
    assert_eq!(reply.verdict, Verdict::Delivered);
    assert_eq!(kinds(reply), [HopKind::Source, HopKind::AzureFirewall, HopKind::Destination]);
    assert!(reply.hops[1].notes.contains(&HopNote::FirewallFlowState));
    assert!(codes(&t).is_empty(), "{:?}", codes(&t));
    assert_eq!(t.assumptions.firewall_inspection, Some(false));
}

/// A deny rule drops the flow and names the deciding rule; no rule at all is the default deny.
#[test]
fn firewall_denies_with_the_deciding_rule() {
    let groups = vec![group("east-west", 200, vec![network("block-spoke2", "Deny", "*", "10.2.0.0/16")])];
    let snap = estate(groups, |_| {});
    let t = trace(&snap, "nic-app1", "10.2.1.4", 443, None);
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    assert_eq!(codes(&t), ["FirewallDeniesFlow"]);
    let words = FindingView::new(&snap, &t.findings[0]);
    assert!(
        words.message.contains("`block-spoke2`") && words.message.contains("`block-spoke2-rule`"),
        "{}",
        words.message
    );
    // Traffic the rules do not name: the default deny.
    let t = trace(&snap, "nic-app1", "10.0.2.4", 443, None);
    let Evidence::FirewallDeniesFlow(e) = &t.findings[0].evidence else { panic!("{:?}", t.findings) };
    assert_eq!(e.rule.pass, FirewallPass::Default);
}

/// An application rule needs the host name: without `--fqdn` the trace stops Indeterminate
/// (never a silent allow); with it, the flow is allowed and SNATed, and the reply comes back to
/// the firewall's address (§16.3, §16.5).
#[test]
fn application_rule_without_and_with_the_host_name() {
    let app = json!({"ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": "web", "priority": 100,
        "action": {"type": "Allow"}, "rules": [{"ruleType": "ApplicationRule", "name": "contoso",
        "sourceAddresses": ["10.1.0.0/16"], "targetFqdns": ["*.contoso.com"], "protocols": [{"protocolType": "Https", "port": 443}]}]});
    let snap = estate(vec![group("apps", 300, vec![app])], |_| {});
    let t = trace(&snap, "nic-app1", "10.2.1.4", 443, None);
    assert_eq!(t.forward.verdict, Verdict::Indeterminate);
    assert_eq!(codes(&t), ["FirewallVerdictIndeterminate"]);
    assert!(t.reverse.is_none());
    let words = FindingView::new(&snap, &t.findings[0]);
    assert!(words.evidence.iter().any(|e| e.contains("--fqdn")), "{:?}", words.evidence);
    let t = trace(&snap, "nic-app1", "10.2.1.4", 443, Some("app.contoso.com"));
    assert_eq!(t.forward.verdict, Verdict::Delivered, "{:?}", t.findings);
    assert!(t.forward.hops[1].notes.iter().any(|n| matches!(n, HopNote::FirewallTranslated { source: Some(_), .. })));
    let reply = t.reverse.as_ref().unwrap();
    assert_eq!(reply.verdict, Verdict::Delivered);
    assert_eq!(kinds(reply), [HopKind::Source, HopKind::AzureFirewall, HopKind::Destination]);
    assert!(reply.hops[1].notes.contains(&HopNote::ReplyToTranslatingFirewall));
    assert!(codes(&t).is_empty(), "{:?}", codes(&t));
}

/// §16.5: shared → spoke 1 goes through the firewall (not SNATed: private destination), but
/// without spoke 1's route for the hub's range the reply goes straight back over the peering.
#[test]
fn reply_that_skips_the_firewall_is_asymmetric() {
    let snap = estate(allow_private(), |tables| {
        for t in tables.as_array_mut().unwrap() {
            if t["name"] == "rt-spoke1" {
                t["routes"].as_array_mut().unwrap().retain(|r| r["name"] != "hub-via-fw");
            }
        }
    });
    let t = trace(&snap, "nic-shared", "10.1.1.4", 443, None);
    assert_eq!(t.forward.verdict, Verdict::Delivered);
    assert_eq!(kinds(t.reverse.as_ref().unwrap()), [HopKind::Source, HopKind::Destination]);
    assert_eq!(codes(&t), ["AsymmetricThroughFirewall"]);
    let words = FindingView::new(&snap, &t.findings[0]);
    assert!(words.fix.contains("10.0.2.4/32") && words.fix.contains("10.0.1.4"), "{}", words.fix);
}

/// §16.5, the other way round: shared → spoke 1 goes straight over the peering (no route of the
/// shared subnet's for spoke 1), but spoke 1's reply is sent to the firewall, which saw no session
/// start and drops it. The reply ends at the firewall, `Dropped`: never `Delivered` beside the
/// finding that says the firewall drops it.
#[test]
fn reply_that_reaches_a_firewall_the_request_skipped_is_dropped_there() {
    let snap = estate(allow_private(), |tables| {
        for t in tables.as_array_mut().unwrap() {
            if t["name"] == "rt-shared" {
                t["routes"].as_array_mut().unwrap().retain(|r| r["name"] != "to-spoke1-via-fw");
            }
        }
    });
    let t = trace(&snap, "nic-shared", "10.1.1.4", 443, None);
    assert_eq!(t.forward.verdict, Verdict::Delivered);
    assert_eq!(kinds(&t.forward), [HopKind::Source, HopKind::Destination]);
    let reply = t.reverse.as_ref().unwrap();
    assert_eq!(reply.verdict, Verdict::Dropped);
    assert_eq!(kinds(reply), [HopKind::Source, HopKind::AzureFirewall]);
    assert_eq!(reply.hops[1].notes, [HopNote::FirewallNoSession]);
    assert!(reply.hops[1].route.is_none(), "the firewall forwards nothing");
    assert_eq!(codes(&t), ["AsymmetricThroughFirewall"]);
}

/// The doctor no longer reports the firewall's address as unreachable or not forwarding.
#[test]
fn doctor_accepts_a_firewall_next_hop() {
    let snap = estate(allow_private(), |_| {});
    let engine = RouteEngine::new(&snap, ModelOptions::default());
    let findings = run(&engine, &DoctorConfig::default()).findings;
    let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    assert!(!codes.contains(&"NextHopUnreachable") && !codes.contains(&"UdrNextHopNoForwarding"), "{codes:?}");
}

/// C33 (§16.6): a DNAT rule to the firewall's private IP (10.0.1.4:8443 → vm-app2 10.2.1.4:443),
/// reached from a peered spoke. Supported by default on Standard: the flow is translated,
/// SNATed and delivered to vm-app2, and the trace says what it assumed; with the option
/// `dnat_private_ip_unsupported` the rule never matches and the packet is for the firewall itself.
#[test]
fn dnat_to_the_firewall_private_ip_is_a_named_option() {
    let dnat = json!({"ruleCollectionType": "FirewallPolicyNatRuleCollection", "name": "private-dnat", "priority": 100,
        "action": {"type": "DNAT"}, "rules": [{"ruleType": "NatRule", "name": "to-app2", "ipProtocols": ["TCP"],
        "sourceAddresses": ["10.1.0.0/16"], "destinationAddresses": ["10.0.1.4"], "destinationPorts": ["8443"],
        "translatedAddress": "10.2.1.4", "translatedPort": "443"}]});
    let snap = estate(vec![group("dnat", 100, vec![dnat])], |_| {});
    let run = |unsupported: bool| {
        let mut options = ModelOptions::default();
        options.firewall.dnat_private_ip_unsupported = unsupported;
        let engine = RouteEngine::new(&snap, options);
        let tracer = Tracer::new(&engine);
        let nic = snap.find_nic("nic-app1").unwrap();
        let request = TraceRequest {
            source: TraceSource::Nic { nic, ip: "10.1.1.4".parse().unwrap() },
            destination: "10.0.1.4".parse().unwrap(),
            protocol: Protocol::Tcp,
            source_port: 50000,
            destination_port: 8443,
        };
        tracer.trace(request).unwrap()
    };
    let supported = run(false);
    assert_eq!(supported.forward.verdict, Verdict::Delivered, "{:?}", supported.findings);
    assert_eq!(kinds(&supported.forward), [HopKind::Source, HopKind::AzureFirewall, HopKind::Destination]);
    assert_eq!(supported.forward.hops[2].resource, HopResource::Nic(snap.find_nic("nic-app2").unwrap()));
    assert!(supported.assumptions.list().any(|a| a == Assumption::DnatToPrivateIp { supported: true }));
    let unsupported = run(true);
    assert_eq!(unsupported.forward.verdict, Verdict::Delivered);
    assert_eq!(kinds(&unsupported.forward), [HopKind::Source, HopKind::Destination]);
    assert!(matches!(unsupported.forward.hops[1].resource, HopResource::Firewall(_)));
    assert!(unsupported.assumptions.list().any(|a| a == Assumption::DnatToPrivateIp { supported: false }));
    // The firewall's own verdict (firewall-flow): the DNAT rule, or no match and the default deny.
    let fw = FirewallIdx(0);
    let flow = FirewallFlow {
        source: "10.1.1.4".parse().unwrap(),
        source_port: None,
        destination: "10.0.1.4".parse().unwrap(),
        destination_port: Some(8443),
        protocol: Some(Protocol::Tcp),
        fqdn: None,
    };
    let mut options = FirewallOptions::default();
    let v = evaluate_firewall(&snap, fw, &flow, &options, true);
    assert_eq!((v.action, v.pass, v.caveats.dnat_private_ip), (FirewallAction::Allow, FirewallPass::Dnat, Some(true)));
    options.dnat_private_ip_unsupported = true;
    let v = evaluate_firewall(&snap, fw, &flow, &options, true);
    assert_eq!(
        (v.action, v.pass, v.caveats.dnat_private_ip),
        (FirewallAction::Deny, FirewallPass::Default, Some(false))
    );
    assert!(v.candidates.iter().any(|c| c.result == RuleMatch::No(NoMatch::DnatToPrivateIpUnsupported)));
}
