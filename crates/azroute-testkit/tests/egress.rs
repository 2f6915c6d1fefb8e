//! Internet egress and platform services (§17.2, §17.3), on one VNet read through ingest (az
//! CLI shape). Traces: each explicit outbound method in the documented precedence, a private
//! subnet with none (even with a user route to the Internet), the Storage exception, the option
//! for an unset `defaultOutboundAccess`, and addresses held by an Application Gateway, a DNS
//! resolver inbound endpoint and their subnets. Doctor: each egress and platform-subnet check,
//! raised by the variant that breaks the rule and not by the estate that keeps it.

use azroute_doctor::{DoctorConfig, run};
use azroute_engine::*;
use azroute_ingest::load_texts;
use azroute_model::*;
use serde_json::{Value, json};

const P: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network";

fn subnet(name: &str, prefix: &str, extra: Value) -> Value {
    let mut s =
        json!({"id": format!("{P}/virtualNetworks/vnet/subnets/{name}"), "name": name, "addressPrefix": prefix});
    for (k, v) in extra.as_object().unwrap() {
        s[k] = v.clone();
    }
    s
}

fn nic(name: &str, ip: &str, subnet: &str, public_ip: Option<&str>) -> Value {
    let mut cfg = json!({"id": format!("{P}/networkInterfaces/{name}/ipConfigurations/ip"), "name": "ip",
        "privateIPAddress": ip, "primary": true, "subnet": {"id": format!("{P}/virtualNetworks/vnet/subnets/{subnet}")}});
    if let Some(p) = public_ip {
        cfg["publicIPAddress"] = json!({"id": format!("{P}/publicIPAddresses/{p}")});
    }
    json!({"id": format!("{P}/networkInterfaces/{name}"), "name": name, "type": "Microsoft.Network/networkInterfaces",
        "location": "westeurope", "ipConfigurations": [cfg]})
}

fn pip(name: &str, ip: &str) -> Value {
    json!({"id": format!("{P}/publicIPAddresses/{name}"), "name": name, "type": "Microsoft.Network/publicIPAddresses", "ipAddress": ip})
}

fn estate() -> Snapshot {
    estate_with(|_| {})
}

/// The estate with `edit` applied to its resource list (the VNet first).
fn estate_with(edit: impl Fn(&mut Value)) -> Snapshot {
    let rt = json!({"id": format!("{P}/routeTables/rt-internet"), "name": "rt-internet", "type": "Microsoft.Network/routeTables",
        "location": "westeurope", "routes": [{"id": format!("{P}/routeTables/rt-internet/routes/default"), "name": "default",
        "addressPrefix": "0.0.0.0/0", "nextHopType": "Internet"}]});
    let vnet = json!({"id": format!("{P}/virtualNetworks/vnet"), "name": "vnet", "type": "Microsoft.Network/virtualNetworks",
        "location": "westeurope", "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [
        subnet("snet-private", "10.0.1.0/24", json!({"defaultOutboundAccess": false})),
        subnet("snet-nat", "10.0.2.0/24", json!({"natGateway": {"id": format!("{P}/natGateways/nat")}, "defaultOutboundAccess": false})),
        subnet("snet-unset", "10.0.3.0/24", json!({})),
        subnet("snet-agw", "10.0.4.0/24", json!({})),
        subnet("snet-dns", "10.0.5.0/28", json!({"delegations": [{"name": "d", "serviceName": "Microsoft.Network/dnsResolvers"}]})),
        subnet("snet-private-udr", "10.0.6.0/24", json!({"defaultOutboundAccess": false,
            "routeTable": {"id": format!("{P}/routeTables/rt-internet")}})),
    ]});
    let lb = format!("{P}/loadBalancers/lb-out");
    let resources = json!([vnet, rt,
        nic("nic-private", "10.0.1.4", "snet-private", None),
        nic("nic-pip", "10.0.1.5", "snet-private", Some("pip-vm")),
        nic("nic-lb", "10.0.1.6", "snet-private", None),
        nic("nic-nat", "10.0.2.4", "snet-nat", Some("pip-vm2")),
        nic("nic-unset", "10.0.3.4", "snet-unset", None),
        nic("nic-udr", "10.0.6.4", "snet-private-udr", None),
        pip("pip-vm", "20.0.0.9"), pip("pip-vm2", "20.0.0.10"), pip("pip-nat", "20.0.0.1"), pip("pip-lb", "20.0.0.7"),
        {"id": format!("{P}/publicIPPrefixes/pfx"), "name": "pfx", "type": "Microsoft.Network/publicIPPrefixes", "ipPrefix": "20.0.1.0/30"},
        {"id": format!("{P}/natGateways/nat"), "name": "nat", "type": "Microsoft.Network/natGateways", "sku": {"name": "Standard"},
         "publicIpAddresses": [{"id": format!("{P}/publicIPAddresses/pip-nat")}], "publicIpPrefixes": [{"id": format!("{P}/publicIPPrefixes/pfx")}]},
        {"id": lb, "name": "lb-out", "type": "Microsoft.Network/loadBalancers", "sku": {"name": "Standard"},
         "frontendIPConfigurations": [{"id": format!("{lb}/frontendIPConfigurations/out"), "name": "out",
            "publicIPAddress": {"id": format!("{P}/publicIPAddresses/pip-lb")}}],
         "backendAddressPools": [{"id": format!("{lb}/backendAddressPools/pool"), "name": "pool",
            "backendIPConfigurations": [{"id": format!("{P}/networkInterfaces/nic-lb/ipConfigurations/ip")}]}],
         "outboundRules": [{"name": "egress", "frontendIPConfigurations": [{"id": format!("{lb}/frontendIPConfigurations/out")}],
            "backendAddressPool": {"id": format!("{lb}/backendAddressPools/pool")}}]},
        {"id": format!("{P}/applicationGateways/agw"), "name": "agw", "type": "Microsoft.Network/applicationGateways",
         "sku": {"name": "Standard_v2", "tier": "Standard_v2"},
         "gatewayIPConfigurations": [{"name": "gw", "subnet": {"id": format!("{P}/virtualNetworks/vnet/subnets/snet-agw")}}],
         "frontendIPConfigurations": [{"name": "private", "privateIPAddress": "10.0.4.10",
            "subnet": {"id": format!("{P}/virtualNetworks/vnet/subnets/snet-agw")}}]},
        {"id": format!("{P}/dnsResolvers/dns/inboundEndpoints/in"), "name": "in", "type": "Microsoft.Network/dnsResolvers/inboundEndpoints",
         "ipConfigurations": [{"privateIpAddress": "10.0.5.4", "subnet": {"id": format!("{P}/virtualNetworks/vnet/subnets/snet-dns")}}]},
    ]);
    let mut resources = resources;
    edit(&mut resources);
    let tags = json!({"changeNumber": 1, "cloud": "Public", "values": [{"name": "Storage.WestEurope", "id": "Storage.WestEurope",
        "properties": {"region": "westeurope", "systemService": "AzureStorage", "addressPrefixes": ["52.239.0.0/16"]}}]});
    let loaded = load_texts(&[("estate.json".into(), resources.to_string()), ("tags.json".into(), tags.to_string())]);
    let errors: Vec<String> =
        loaded.diagnostics.iter().filter(|d| d.severity >= Severity::Warning).map(|d| d.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    loaded.snapshot
}

fn trace_with(
    snap: &Snapshot,
    from: &str,
    to: &str,
    protocol: Protocol,
    port: u16,
    unset: UnsetDefaultOutbound,
) -> Trace {
    let engine = RouteEngine::new(snap, ModelOptions::default());
    let mut tracer = Tracer::new(&engine);
    tracer.unset_default_outbound = unset;
    let nic = snap.find_nic(from).expect("source NIC");
    let ip = snap.nics[nic.index()].primary_ip_config().unwrap().private_ip.unwrap();
    let request = TraceRequest {
        source: TraceSource::Nic { nic, ip },
        destination: to.parse().unwrap(),
        protocol,
        source_port: 50000,
        destination_port: port,
    };
    tracer.trace(request).unwrap()
}

fn trace(snap: &Snapshot, from: &str, to: &str) -> Trace {
    trace_with(snap, from, to, Protocol::Tcp, 443, UnsetDefaultOutbound::Allowed)
}

fn egress(t: &Trace) -> (EgressMethod, Vec<String>) {
    let e = t.forward.egress.as_ref().expect("an egress");
    let ips = e
        .public_ips
        .iter()
        .map(|a| match a {
            EgressAddress::Address(ip) => ip.to_string(),
            EgressAddress::Prefix(p) => p.to_string(),
            EgressAddress::Unknown(id) => id.to_string(),
        })
        .collect();
    (e.method, ips)
}

fn codes(t: &Trace) -> Vec<&'static str> {
    t.findings.iter().map(|f| f.code.as_str()).collect()
}

/// §17.2: "NAT gateway ≫ Instance-level public IP": a NIC with its own public IP in a subnet
/// with a NAT gateway leaves by the NAT gateway's addresses and prefixes.
#[test]
fn nat_gateway_takes_precedence_over_an_instance_public_ip() {
    let t = trace(&estate(), "nic-nat", "8.8.8.8");
    assert_eq!(t.forward.verdict, Verdict::ExitedToInternet);
    assert_eq!(egress(&t), (EgressMethod::NatGateway, vec!["20.0.0.1".into(), "20.0.1.0/30".into()]));
    assert!(t.assumptions.list().all(|a| a != Assumption::DefaultOutboundAccessAssumed));
}

/// Explicit methods work in a private subnet: the instance public IP, then the Standard load
/// balancer's outbound rule (§17.2).
#[test]
fn instance_public_ip_and_lb_outbound_rules_are_explicit_methods() {
    let snap = estate();
    let t = trace(&snap, "nic-pip", "8.8.8.8");
    assert_eq!(egress(&t), (EgressMethod::InstancePublicIp, vec!["20.0.0.9".into()]));
    let t = trace(&snap, "nic-lb", "8.8.8.8");
    assert_eq!(egress(&t), (EgressMethod::LoadBalancerOutbound, vec!["20.0.0.7".into()]));
    assert!(codes(&t).is_empty(), "{:?}", codes(&t));
}

/// A private subnet without an explicit method: dropped with `PrivateSubnetNoEgress`, even
/// though its effective routes still list 0.0.0.0/0 → Internet; a user route with next hop
/// Internet is not an exit either (§17.2).
#[test]
fn private_subnet_without_a_method_is_dropped() {
    let snap = estate();
    for from in ["nic-private", "nic-udr"] {
        let t = trace(&snap, from, "8.8.8.8");
        assert_eq!(t.forward.verdict, Verdict::Dropped, "{from}");
        assert_eq!(codes(&t), ["PrivateSubnetNoEgress"], "{from}");
        assert!(t.forward.egress.is_none());
        assert!(!t.forward.hops.iter().any(|h| h.kind == HopKind::Internet));
    }
}

/// §17.2: "Virtual machines are still able to access Azure Storage accounts in the same region
/// in a private subnet without an explicit method of outbound."
#[test]
fn private_subnet_reaches_storage_in_its_region() {
    let t = trace(&estate(), "nic-private", "52.239.1.1");
    assert_eq!(t.forward.verdict, Verdict::DeliveredToAzureService);
    assert!(codes(&t).is_empty());
}

/// An unset `defaultOutboundAccess`: default outbound access, said as an assumption; with the
/// option `Private`, dropped, the finding saying the option decided.
#[test]
fn unset_default_outbound_is_a_named_option() {
    let snap = estate();
    let t = trace(&snap, "nic-unset", "8.8.8.8");
    assert_eq!(egress(&t), (EgressMethod::DefaultOutboundAccess, vec![]));
    assert!(t.assumptions.list().any(|a| a == Assumption::DefaultOutboundAccessAssumed));
    let t = trace_with(&snap, "nic-unset", "8.8.8.8", Protocol::Tcp, 443, UnsetDefaultOutbound::Private);
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    assert!(matches!(
        &t.findings[0].evidence,
        Evidence::PrivateSubnetNoEgress(PrivateSubnetNoEgress::Traced { assumed_private: true, .. })
    ));
}

/// §17.3: an Application Gateway's frontend private IP is a destination (Delivered to the
/// gateway); another address of its subnet is an instance's: named, never "no host".
#[test]
fn application_gateway_addresses_belong_to_the_gateway() {
    let snap = estate();
    let t = trace(&snap, "nic-unset", "10.0.4.10");
    assert_eq!(t.forward.verdict, Verdict::Delivered);
    let last = t.forward.hops.last().unwrap();
    assert_eq!(last.resource, HopResource::ApplicationGateway(ApplicationGatewayIdx(0)));
    let t = trace(&snap, "nic-unset", "10.0.4.5");
    assert_eq!(t.forward.verdict, Verdict::Indeterminate);
    assert_eq!(codes(&t), ["PlatformOwnedDestination"]);
}

/// §17.3: a DNS resolver inbound endpoint answers DNS on port 53 and nothing else.
#[test]
fn dns_resolver_inbound_endpoint_answers_port_53() {
    let snap = estate();
    let t = trace_with(&snap, "nic-unset", "10.0.5.4", Protocol::Udp, 53, UnsetDefaultOutbound::Allowed);
    assert_eq!(t.forward.verdict, Verdict::Delivered);
    let t = trace(&snap, "nic-unset", "10.0.5.4");
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    assert_eq!(codes(&t), ["PlatformOwnedDestination"]);
}

fn doctor_codes(snap: &Snapshot) -> Vec<&'static str> {
    let engine = RouteEngine::new(snap, ModelOptions::default());
    let mut codes: Vec<&str> =
        run(&engine, &DoctorConfig::default()).findings.iter().map(|f| f.code.as_str()).collect();
    codes.sort();
    codes.dedup();
    codes
}

const EGRESS_CODES: [&str; 10] = [
    "AppGatewayV2DefaultRouteToAppliance",
    "BastionSubnetTooSmall",
    "DefaultOutboundAccessInUse",
    "NatGatewayOnUnsupportedSubnet",
    "NatGatewayOverriddenByUdr",
    "PrivateSubnetInternetUdr",
    "PrivateSubnetNoEgress",
    "PublicLoadBalancerBehindFirewallDefaultRoute",
    "UdrOnBastionSubnet",
    "VmssNicsMissing",
];

fn egress_codes(snap: &Snapshot) -> Vec<&'static str> {
    doctor_codes(snap).into_iter().filter(|c| EGRESS_CODES.contains(c)).collect()
}

fn add_subnet(resources: &mut Value, s: Value) {
    resources[0]["subnets"].as_array_mut().unwrap().push(s);
}

fn add(resources: &mut Value, r: Value) {
    resources.as_array_mut().unwrap().push(r);
}

fn route_table(name: &str, next_hop_type: &str, next_hop: Option<&str>) -> Value {
    let mut route = json!({"id": format!("{P}/routeTables/{name}/routes/default"), "name": "default",
        "addressPrefix": "0.0.0.0/0", "nextHopType": next_hop_type});
    if let Some(ip) = next_hop {
        route["nextHopIpAddress"] = json!(ip);
    }
    json!({"id": format!("{P}/routeTables/{name}"), "name": name, "type": "Microsoft.Network/routeTables",
        "location": "westeurope", "routes": [route]})
}

/// The estate as built: the private subnets without a method (only `nic-private` and `nic-udr`
/// lack one), the user route to the Internet in a private subnet; nothing else.
#[test]
fn doctor_finds_private_subnets_without_egress() {
    let snap = estate();
    let engine = RouteEngine::new(&snap, ModelOptions::default());
    let findings = run(&engine, &DoctorConfig::default()).findings;
    assert_eq!(egress_codes(&snap), ["PrivateSubnetInternetUdr", "PrivateSubnetNoEgress"]);
    let lacking: Vec<Vec<&str>> = findings
        .iter()
        .flat_map(|f| std::iter::once(&f.evidence).chain(f.grouped.iter()))
        .filter_map(|e| match e {
            Evidence::PrivateSubnetNoEgress(PrivateSubnetNoEgress::Subnet { nics, .. }) => {
                Some(nics.iter().map(|n| snap.nics[n.index()].name.as_str()).collect())
            }
            _ => None,
        })
        .collect();
    assert_eq!(lacking, [vec!["nic-private"], vec!["nic-udr"]]);
}

/// `defaultOutboundAccess: true` with a NIC that has no method: default outbound access in use.
#[test]
fn doctor_finds_default_outbound_access_in_use() {
    let snap = estate_with(|r| r[0]["subnets"][2]["defaultOutboundAccess"] = json!(true));
    assert!(egress_codes(&snap).contains(&"DefaultOutboundAccessInUse"));
    assert!(!egress_codes(&estate()).contains(&"DefaultOutboundAccessInUse"));
}

/// 0.0.0.0/0 to an NVA: the NAT gateway is overridden, the Application Gateway v2 subnet is
/// unsupported, the public load balancer's backends answer through the NVA; and the private
/// subnet now egresses through the NVA (no PrivateSubnetNoEgress for it).
#[test]
fn doctor_finds_default_routes_to_an_appliance() {
    let snap = estate_with(|r| {
        add(r, route_table("rt-nva", "VirtualAppliance", Some("10.0.3.4")));
        for i in [0, 1, 3] {
            r[0]["subnets"][i]["routeTable"] = json!({"id": format!("{P}/routeTables/rt-nva")});
        }
    });
    let codes = egress_codes(&snap);
    for code in [
        "NatGatewayOverriddenByUdr",
        "AppGatewayV2DefaultRouteToAppliance",
        "PublicLoadBalancerBehindFirewallDefaultRoute",
    ] {
        assert!(codes.contains(&code), "{code}: {codes:?}");
    }
    let engine = RouteEngine::new(&snap, ModelOptions::default());
    let findings = run(&engine, &DoctorConfig::default()).findings;
    let private_subnets: Vec<&str> = findings
        .iter()
        .filter(|f| f.code == FindingCode::PrivateSubnetNoEgress)
        .flat_map(|f| f.resources.iter())
        .map(|r| r.id(&snap).as_str())
        .collect();
    assert!(private_subnets.iter().all(|id| !id.ends_with("/snet-private")), "{private_subnets:?}");
    let baseline = egress_codes(&estate());
    assert!(
        !baseline.contains(&"NatGatewayOverriddenByUdr")
            && !baseline.contains(&"PublicLoadBalancerBehindFirewallDefaultRoute")
    );
}

/// AzureBastionSubnet: a route table is not supported, /27 is too small.
#[test]
fn doctor_finds_bastion_subnet_problems() {
    let bastion = |prefix: &str, table: bool| {
        let prefix = prefix.to_string();
        move |r: &mut Value| {
            let extra =
                if table { json!({"routeTable": {"id": format!("{P}/routeTables/rt-internet")}}) } else { json!({}) };
            add_subnet(r, subnet("AzureBastionSubnet", &prefix, extra));
        }
    };
    let codes = egress_codes(&estate_with(bastion("10.0.7.0/27", true)));
    assert!(codes.contains(&"UdrOnBastionSubnet") && codes.contains(&"BastionSubnetTooSmall"), "{codes:?}");
    let codes = egress_codes(&estate_with(bastion("10.0.8.0/26", false)));
    assert!(!codes.contains(&"UdrOnBastionSubnet") && !codes.contains(&"BastionSubnetTooSmall"), "{codes:?}");
}

/// A NAT gateway on the GatewaySubnet, and a StandardV2 one on a subnet delegated to DNS
/// Private Resolver: unsupported; a Standard one there is fine.
#[test]
fn doctor_finds_nat_gateways_on_unsupported_subnets() {
    let nat = json!({"id": format!("{P}/natGateways/nat")});
    let on_gateway_subnet =
        estate_with(|r| add_subnet(r, subnet("GatewaySubnet", "10.0.9.0/27", json!({"natGateway": nat}))));
    assert!(egress_codes(&on_gateway_subnet).contains(&"NatGatewayOnUnsupportedSubnet"));
    let sku = |name: &'static str| {
        move |r: &mut Value| {
            r[0]["subnets"][4]["natGateway"] = json!({"id": format!("{P}/natGateways/nat")});
            let nat = r.as_array_mut().unwrap().iter_mut().find(|x| x["name"] == "nat").unwrap();
            nat["sku"]["name"] = json!(name);
        }
    };
    assert!(egress_codes(&estate_with(sku("StandardV2"))).contains(&"NatGatewayOnUnsupportedSubnet"));
    assert!(!egress_codes(&estate_with(sku("Standard"))).contains(&"NatGatewayOnUnsupportedSubnet"));
}

/// A uniform scale set without its instance NICs; with one exported, nothing to say.
#[test]
fn doctor_finds_scale_sets_without_instance_nics() {
    let vmss = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/web";
    let scale_set = json!({"id": vmss, "name": "web", "type": "Microsoft.Compute/virtualMachineScaleSets",
        "virtualMachineProfile": {"networkProfile": {"networkInterfaceConfigurations": [{"name": "nic",
          "ipConfigurations": [{"name": "ip", "subnet": {"id": format!("{P}/virtualNetworks/vnet/subnets/snet-unset")}}]}]}}});
    let without = estate_with(|r| add(r, scale_set.clone()));
    assert!(egress_codes(&without).contains(&"VmssNicsMissing"));
    let with_nic = estate_with(|r| {
        add(r, scale_set.clone());
        add(
            r,
            json!({"id": format!("{vmss}/virtualMachines/0/networkInterfaces/nic"), "name": "nic",
            "type": "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/networkInterfaces",
            "ipConfigurations": [{"id": format!("{vmss}/virtualMachines/0/networkInterfaces/nic/ipConfigurations/ip"), "name": "ip",
              "privateIPAddress": "10.0.3.9", "subnet": {"id": format!("{P}/virtualNetworks/vnet/subnets/snet-unset")}}]}),
        );
    });
    assert!(!egress_codes(&with_nic).contains(&"VmssNicsMissing"));
}

/// §17.2: a NAT gateway carries TCP and UDP only, default outbound access no ICMP: ICMP leaving
/// by either is dropped with `OutboundIcmpNotSupported`; by an instance public IP it leaves, and
/// UDP by the NAT gateway too.
#[test]
fn icmp_does_not_leave_by_a_nat_gateway_or_default_outbound_access() {
    let snap = estate();
    let icmp = |from: &str| trace_with(&snap, from, "8.8.8.8", Protocol::Icmp, 0, UnsetDefaultOutbound::Allowed);
    for from in ["nic-nat", "nic-unset"] {
        let t = icmp(from);
        assert_eq!((t.forward.verdict, codes(&t)), (Verdict::Dropped, vec!["OutboundIcmpNotSupported"]), "{from}");
    }
    let by_nat = icmp("nic-nat");
    let Evidence::OutboundIcmpNotSupported(e) = &by_nat.findings[0].evidence else { panic!("{:?}", by_nat.findings) };
    assert!(e.nat_gateway.is_some());
    assert!(
        matches!(&icmp("nic-unset").findings[0].evidence, Evidence::OutboundIcmpNotSupported(e) if e.nat_gateway.is_none())
    );
    assert_eq!(icmp("nic-pip").forward.verdict, Verdict::ExitedToInternet);
    let udp = trace_with(&snap, "nic-nat", "8.8.8.8", Protocol::Udp, 53, UnsetDefaultOutbound::Allowed);
    assert_eq!(egress(&udp).0, EgressMethod::NatGateway);
}

/// A Flexible-orchestration scale set `flex` and its instance VM `vm-flex` owning `nic`.
fn flexible_instance(resources: &mut Value, nic: &str, mode: &str) {
    let vmss = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/flex";
    add(
        resources,
        json!({"id": vmss, "name": "flex", "type": "Microsoft.Compute/virtualMachineScaleSets", "orchestrationMode": mode}),
    );
    add(
        resources,
        json!({"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-flex",
            "name": "vm-flex", "type": "Microsoft.Compute/virtualMachines", "location": "westeurope",
            "virtualMachineScaleSet": {"id": vmss},
            "networkProfile": {"networkInterfaces": [{"id": format!("{P}/networkInterfaces/{nic}")}]}}),
    );
}

/// §17.2: "Flexible-orchestration VMSS instances never get default outbound access": an
/// instance without an explicit method is dropped with `PrivateSubnetNoEgress` even in a subnet
/// that allows default outbound access (the trace, and the doctor); a Uniform-mode scale set, or
/// an instance with a public IP, leaves as before.
#[test]
fn flexible_scale_set_instances_have_no_default_outbound_access() {
    let snap = estate_with(|r| {
        r[0]["subnets"][2]["defaultOutboundAccess"] = json!(true);
        flexible_instance(r, "nic-unset", "Flexible");
    });
    let t = trace(&snap, "nic-unset", "8.8.8.8");
    assert_eq!(t.forward.verdict, Verdict::Dropped);
    assert_eq!(codes(&t), ["PrivateSubnetNoEgress"]);
    let Evidence::PrivateSubnetNoEgress(PrivateSubnetNoEgress::FlexibleInstances { scale_set, nics, .. }) =
        &t.findings[0].evidence
    else {
        panic!("{:?}", t.findings)
    };
    assert_eq!((snap.scale_sets[scale_set.index()].name.as_str(), nics.len()), ("flex", 1));
    let text = azroute_report::finding_text::render(&snap, &t.findings[0]).message;
    assert!(text.contains("Flexible scale set `flex`"), "{text}");
    // The doctor: the instance has no egress; default outbound access is not "in use" by it.
    let codes = egress_codes(&snap);
    assert!(codes.contains(&"PrivateSubnetNoEgress") && !codes.contains(&"DefaultOutboundAccessInUse"), "{codes:?}");
    // Uniform mode (or no scale set): default outbound access, as before.
    let uniform = estate_with(|r| {
        r[0]["subnets"][2]["defaultOutboundAccess"] = json!(true);
        flexible_instance(r, "nic-unset", "Uniform");
    });
    assert_eq!(egress(&trace(&uniform, "nic-unset", "8.8.8.8")).0, EgressMethod::DefaultOutboundAccess);
    assert!(egress_codes(&uniform).contains(&"DefaultOutboundAccessInUse"));
    // An explicit method still works for an instance.
    let with_pip = estate_with(|r| flexible_instance(r, "nic-pip", "Flexible"));
    assert_eq!(egress(&trace(&with_pip, "nic-pip", "8.8.8.8")).0, EgressMethod::InstancePublicIp);
}
