//! JSON outputs parse back and say what the engine computed, on random estates: effective
//! routes (az shape), next hop (Network Watcher shape, with candidates), traces, the doctor's
//! findings and the reachability matrix. Names with characters JSON must escape are included.

use std::net::{IpAddr, Ipv4Addr};

use azroute_engine::{
    DEFAULT_INTERNET_ADDRESS, ReachQuery, RouteEngine, TraceRequest, TraceSource, Tracer, explain, next_hop, reach,
};
use azroute_model::*;
use azroute_report as report;
use azroute_testkit::random::RandomHubSpoke;
use azroute_testkit::*;
use proptest::prelude::*;
use serde_json::Value;

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("output is not JSON ({e}):\n{text}"))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().expect("a list").iter().map(|x| x.as_str().expect("a string").to_string()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn json_outputs_parse_back(p in RandomHubSpoke::strategy(4, true), probes in proptest::collection::vec(any::<u32>(), 1..6)) {
        let mut e = p.estate();
        // A route name with quotes, a backslash and non-ASCII text.
        e.route_table("rt \"odd\" \\ näme", &[("r \"1\" ✓", "198.51.100.0/24", "None", None)])
            .associate("hub", "shared", "rt \"odd\" \\ näme");
        let s = Scenario::new(&e);
        let snap = &s.snapshot;
        let engine = RouteEngine::new(snap, ModelOptions::default());
        for i in 0..snap.subnets.len() {
            let table = engine.subnet_table(SubnetIdx(i as u32)).unwrap();
            let v = parse(&report::routes::json(snap, &table, true));
            let list = v["value"].as_array().expect("value is a list");
            prop_assert_eq!(list.len(), table.routes.len());
            for (r, j) in table.routes.iter().zip(list) {
                prop_assert_eq!(strings(&j["addressPrefix"]), r.prefix_text.clone());
                prop_assert_eq!(j["nextHopType"].as_str(), Some(r.next_hop_type.as_str()));
                prop_assert_eq!(j["state"].as_str(), Some(r.state.as_str()));
                prop_assert_eq!(j["name"].as_str(), r.name.as_deref());
                prop_assert_eq!(strings(&j["nextHopIpAddress"]), r.next_hop_ips.iter().map(|x| x.to_string()).collect::<Vec<_>>());
            }
            for probe in &probes {
                let dst = IpAddr::V4(Ipv4Addr::from(*probe));
                let answer = next_hop(snap, &table, dst);
                let explanation = explain(engine.options(), &table, dst);
                let v = parse(&report::nexthop::json(&report::nexthop::view(snap, &table, &answer, Some(&explanation))));
                prop_assert_eq!(v["nextHopType"].as_str(), Some(answer.next_hop_type.as_str()));
                prop_assert_eq!(v["candidates"].as_array().map(|c| c.len()), Some(explanation.candidates.len()));
            }
        }
        // Traces between the first NIC of every subnet pair (and to the Internet).
        let tracer = Tracer::new(&engine);
        let nics: Vec<(NicIdx, IpAddr)> = snap
            .nics
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.primary_ip_config().and_then(|c| c.private_ip).map(|ip| (NicIdx(i as u32), ip)))
            .collect();
        for (nic, ip) in nics.iter().take(4) {
            for dst in nics.iter().map(|n| n.1).chain([IpAddr::V4(DEFAULT_INTERNET_ADDRESS)]) {
                let request = TraceRequest {
                    source: TraceSource::Nic { nic: *nic, ip: *ip },
                    destination: dst,
                    protocol: Protocol::Tcp,
                    source_port: 50000,
                    destination_port: 443,
                };
                let trace = tracer.trace(request).unwrap();
                let v = parse(&report::trace::json(&report::trace::view(snap, &trace)));
                prop_assert_eq!(v["verdict"].as_str(), Some(trace.forward.verdict.as_str()));
                prop_assert_eq!(v["hops"].as_array().map(|h| h.len()), Some(trace.forward.hops.len()));
                prop_assert_eq!(v["findings"].as_array().map(|f| f.len()), Some(trace.findings.len()));
                prop_assert_eq!(v["return"].is_null(), trace.reverse.is_none());
                if let Some(reply) = &trace.reverse {
                    prop_assert_eq!(v["return"]["verdict"].as_str(), Some(reply.verdict.as_str()));
                }
            }
        }
        // The doctor.
        let doctor = azroute_doctor::run(&engine, &azroute_doctor::DoctorConfig::default());
        let v = parse(&report::doctor::json(&report::doctor::view(snap, &doctor)));
        prop_assert_eq!(v["findings"].as_array().map(|f| f.len()), Some(doctor.findings.len()));
        // The reachability matrix.
        let subnets: Vec<SubnetIdx> = (0..snap.subnets.len()).map(|i| SubnetIdx(i as u32)).collect();
        let query = ReachQuery {
            sources: subnets.clone(),
            destinations: subnets,
            on_premises: true,
            internet: Some(IpAddr::V4(DEFAULT_INTERNET_ADDRESS)),
            protocol: Protocol::Tcp,
            source_port: 50000,
            destination_port: 443,
            evaluate_nsgs: true,
        };
        let m = reach(&engine, &query);
        let mut out = Vec::new();
        report::reach::ReachReport::new(snap, &m, &query, false).write_json(&mut out).unwrap();
        let v = parse(std::str::from_utf8(&out).unwrap());
        prop_assert_eq!(v["cells"].as_array().map(|c| c.len()), Some(m.cells.len()));
        for (c, cell) in v["cells"].as_array().unwrap().iter().zip(&m.cells) {
            prop_assert_eq!(c["reachability"].as_str(), Some(cell.reach.as_str()));
        }
    }
}
