//! The library calls behind `azroute trace --from/--to` and `azroute reach --from/--to`, as a
//! test or a web page makes them: `resolve_trace_endpoints` and `select_subnets` on the
//! embedded `hub-spoke` example estate.

use std::net::IpAddr;

use azroute_engine::{
    EndpointError, IpFamily, RouteEngine, SubnetSelectError, TraceSource, Tracer, resolve_trace_endpoints,
    select_subnets,
};
use azroute_model::{ModelOptions, Snapshot};

fn hub_spoke() -> Snapshot {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../azroute-cli/estates/hub-spoke");
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        texts.push((entry.path().display().to_string(), std::fs::read_to_string(entry.path()).unwrap()));
    }
    texts.sort();
    azroute_ingest::load_texts(&texts).snapshot
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

#[test]
fn names_addresses_and_families_resolve_to_trace_ends() {
    let snap = hub_spoke();
    let engine = RouteEngine::new(&snap, ModelOptions::default());
    let tracer = Tracer::new(&engine);
    let nic_app1 = snap.find_nic("nic-app1").unwrap();
    // A VM is its primary NIC, at its primary address; a NIC's address picks the NIC.
    let ends = resolve_trace_endpoints(&tracer, "vm-app1", "10.2.1.4", false).unwrap();
    assert_eq!(ends.source, TraceSource::Nic { nic: nic_app1, ip: ip("10.1.1.4") });
    assert_eq!(ends.destination, ip("10.2.1.4"));
    assert_eq!(ends.unheld_destination, None);
    assert_eq!(resolve_trace_endpoints(&tracer, "10.1.1.4", "nic-app2", false).unwrap().source, ends.source);
    // On-premises and Internet addresses are external.
    let ends = resolve_trace_endpoints(&tracer, "172.16.1.10", "nic-app1", false).unwrap();
    assert_eq!(ends.source, TraceSource::External(ip("172.16.1.10")));
    assert_eq!(ends.destination, ip("10.1.1.4"));
    // An address of a subnet nothing holds: an error as a source, a host with assume_host, and
    // a destination whose subnet is named for the hint.
    let endpoints = snap.find_subnet("vnet-spoke1/snet-endpoints").unwrap();
    match resolve_trace_endpoints(&tracer, "10.1.2.5", "10.0.2.4", false) {
        Err(EndpointError::UnheldSource { subnet, label, .. }) => {
            assert_eq!(subnet, endpoints);
            assert_eq!(label, "vnet-spoke1/snet-endpoints");
        }
        other => panic!("{other:?}"),
    }
    let ends = resolve_trace_endpoints(&tracer, "10.1.2.5", "10.0.2.4", true).unwrap();
    assert_eq!(ends.source, TraceSource::Host { subnet: endpoints, ip: ip("10.1.2.5") });
    let ends = resolve_trace_endpoints(&tracer, "nic-app1", "10.1.2.5", false).unwrap();
    assert_eq!(ends.unheld_destination, Some(endpoints));
    assert_eq!(resolve_trace_endpoints(&tracer, "nic-app1", "10.1.2.5", true).unwrap().unheld_destination, None);
    // IP families never mix.
    match resolve_trace_endpoints(&tracer, "nic-app1", "2001:db8::1", false) {
        Err(EndpointError::NoAddressOfFamily { nic, family, .. }) => {
            assert_eq!((nic.as_str(), family), ("nic-app1", IpFamily::V6));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        resolve_trace_endpoints(&tracer, "10.1.1.4", "::1", false),
        Err(EndpointError::MixedFamilies { .. })
    ));
    // Unknown names suggest the closest.
    match resolve_trace_endpoints(&tracer, "vm-ap1", "10.0.2.4", false) {
        Err(EndpointError::Unknown { similar, .. }) => assert_eq!(similar, ["vm-app1", "vm-app2"]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn subnet_globs_match_label_name_or_id_case_insensitively() {
    let snap = hub_spoke();
    let labels = |glob: Option<&str>| -> Vec<String> {
        select_subnets(&snap, glob).unwrap().into_iter().map(|s| snap.subnet_label(s)).collect()
    };
    // Default: every subnet but GatewaySubnet and RouteServerSubnet.
    let all = labels(None);
    assert!(!all.iter().any(|l| l.ends_with("/GatewaySubnet")) && all.len() >= 5, "{all:?}");
    assert_eq!(labels(Some("VNET-SPOKE1/*")), ["vnet-spoke1/snet-endpoints", "vnet-spoke1/snet-workload"]);
    assert_eq!(labels(Some("*/snet-?orkload")), ["vnet-spoke1/snet-workload"]);
    assert_eq!(labels(Some("snet-workload")), ["vnet-spoke1/snet-workload"], "by name");
    assert_eq!(labels(Some("*/virtualNetworks/vnet-hub/subnets/gatewaysubnet")), ["vnet-hub/GatewaySubnet"], "by id");
    assert!(matches!(select_subnets(&snap, Some("vnet")), Err(SubnetSelectError::NoMatch { .. })));
    assert!(matches!(select_subnets(&snap, Some("vnet-[")), Err(SubnetSelectError::InvalidGlob { .. })));
}
