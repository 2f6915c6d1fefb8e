//! The reachability matrix: scenario cells on a hub-and-spoke with an NVA, and a property test
//! that every address pair traced on its own (the naive reference) lands on one of the
//! outcomes the matrix computed over equivalence classes for that cell.

use std::net::{IpAddr, Ipv4Addr};

use azroute_engine::*;
use azroute_model::*;
use azroute_testkit::random::RandomHubSpoke;
use azroute_testkit::*;
use ipnet::IpNet;
use proptest::prelude::*;
use serde_json::json;

fn column_name(snap: &Snapshot, c: &Column) -> String {
    match c {
        Column::Subnet(s) => snap.subnet_label(*s),
        Column::OnPremises { prefix, .. } => prefix.to_string(),
        Column::Branch(b) => b.label(),
        Column::Internet(_) => "Internet".into(),
    }
}

/// (reachability, code, NVA names) of a cell.
fn cell(snap: &Snapshot, m: &ReachMatrix, from: &str, to: &str) -> (String, String, Vec<String>) {
    let r = m.rows.iter().position(|s| snap.subnet_label(*s) == from).expect("row exists");
    let c = m.columns.iter().position(|c| column_name(snap, c) == to).expect("column exists");
    let cell = m.cell(r, c);
    let main = &m.cell_outcomes(cell)[0];
    let nvas = m.outcome(main).nvas.iter().map(|n| snap.nics[n.index()].name.clone()).collect();
    (cell.reach.as_str().to_string(), cell.code.unwrap_or("").to_string(), nvas)
}

/// Hub with an NVA and a gateway; spoke1 forced through the NVA, spoke2 not; spoke1 and spoke2
/// are not peered with each other.
fn hub_spoke() -> Estate {
    let mut e = Estate::new();
    e.vnet("hub", "eastus", &["10.0.0.0/16"])
        .subnet("hub", "GatewaySubnet", "10.0.0.0/27")
        .subnet("hub", "nva", "10.0.1.0/24")
        .nic_with("fw", "hub", "nva", "10.0.1.4", true)
        .gateway("gw", "hub", "Vpn", &["10.0.0.4"])
        .site("gw", "dc", &["172.16.0.0/16"]);
    e.vnet("spoke1", "eastus", &["10.1.0.0/16"])
        .subnet("spoke1", "app", "10.1.1.0/24")
        .nic("app1", "spoke1", "app", "10.1.1.4");
    e.vnet("spoke2", "eastus", &["10.2.0.0/16"])
        .subnet("spoke2", "db", "10.2.1.0/24")
        .nic("db1", "spoke2", "db", "10.2.1.4");
    let hub_side = PeerSide { allow_forwarded_traffic: true, allow_gateway_transit: true, ..PeerSide::default() };
    let spoke_side = PeerSide { allow_forwarded_traffic: true, use_remote_gateways: true, ..PeerSide::default() };
    e.peer("hub", "spoke1", hub_side.clone(), spoke_side.clone()).peer("hub", "spoke2", hub_side, spoke_side);
    e.route_table("rt-spoke1", &[("default", "0.0.0.0/0", "VirtualAppliance", Some("10.0.1.4"))]).associate(
        "spoke1",
        "app",
        "rt-spoke1",
    );
    e
}

#[test]
fn reach_hub_spoke_cells_follow_the_routes() {
    let s = Scenario::new(&hub_spoke());
    let engine = s.engine();
    let m = reach(&engine, &ReachQuery::every_subnet(&s.snapshot, 443));
    let snap = &s.snapshot;
    // §6: spoke1's default route sends everything to the NVA, which reaches spoke2 by peering;
    // spoke2 has no route back to spoke1 (spokes are not peered): the reply meets the
    // reserved 10.0.0.0/8 None route (§1.1).
    assert_eq!(
        cell(snap, &m, "spoke1/app", "spoke2/db"),
        ("Dropped".into(), "DroppedByNoneRoute".into(), vec!["fw".into()])
    );
    let r = m.rows.iter().position(|x| snap.subnet_label(*x) == "spoke1/app").unwrap();
    let c = m.columns.iter().position(|x| column_name(snap, x) == "spoke2/db").unwrap();
    let main = &m.cell_outcomes(m.cell(r, c))[0];
    assert_eq!(m.outcome(main).failed, Some(FailedDirection::Reply));
    // Inside a VNet: VnetLocal, no device.
    assert_eq!(cell(snap, &m, "spoke1/app", "spoke1/app"), ("Delivered".into(), "".into(), vec![]));
    // spoke2 → spoke1: no peering between spokes and no route table: the 10.0.0.0/8 None route.
    assert_eq!(cell(snap, &m, "spoke2/db", "spoke1/app"), ("Dropped".into(), "DroppedByNoneRoute".into(), vec![]));
    // Both spokes reach on-premises by gateway transit: the gateway's 172.16.0.0/16 is longer
    // than spoke1's 0.0.0.0/0 user route (§4.1), so even spoke1 skips the NVA.
    assert_eq!(cell(snap, &m, "spoke2/db", "172.16.0.0/16"), ("Delivered".into(), "".into(), vec![]));
    assert_eq!(cell(snap, &m, "spoke1/app", "172.16.0.0/16"), ("Delivered".into(), "".into(), vec![]));
    // The Internet: spoke1 via the NVA (which SNATs, so the reply returns through it).
    assert_eq!(cell(snap, &m, "spoke1/app", "Internet"), ("DeliveredThroughNva".into(), "".into(), vec!["fw".into()]));
    assert_eq!(cell(snap, &m, "spoke2/db", "Internet"), ("Delivered".into(), "".into(), vec![]));
    assert_eq!(m.stats.cells, m.rows.len() * m.columns.len());
    assert!(m.stats.traces <= m.stats.source_classes * m.stats.destination_classes);
}

#[test]
fn reach_nsg_deny_on_part_of_a_subnet_is_mixed() {
    let mut e = hub_spoke();
    e.nsg("nsg-db", &[rule("deny-low", 100, "Inbound", "Deny", "Tcp", "10.1.1.0/25", "*", "443")])
        .subnet_nsg("spoke2", "db", "nsg-db");
    // Give spoke2 a route back through the NVA so the only difference left is the NSG.
    e.route_table("rt-spoke2", &[("to-spoke1", "10.1.0.0/16", "VirtualAppliance", Some("10.0.1.4"))]).associate(
        "spoke2",
        "db",
        "rt-spoke2",
    );
    let s = Scenario::new(&e);
    let engine = s.engine();
    let m = reach(&engine, &ReachQuery::every_subnet(&s.snapshot, 443));
    let snap = &s.snapshot;
    let r = m.rows.iter().position(|x| snap.subnet_label(*x) == "spoke1/app").unwrap();
    let c = m.columns.iter().position(|x| column_name(snap, x) == "spoke2/db").unwrap();
    let the_cell = m.cell(r, c);
    assert_eq!(the_cell.reach, Reachability::Mixed);
    let parts = m.cell_outcomes(the_cell);
    let by_reach: Vec<(Reachability, Option<&str>, u128)> =
        parts.iter().map(|p| (m.outcome(p).reach, m.outcome(p).code, p.address_pairs)).collect();
    // Usable hosts of a /24: 251. Sources .4–.127 (124) are denied, .128–.254 (127) pass.
    assert!(by_reach.contains(&(Reachability::Dropped, Some("NsgDenied"), 124 * 251)), "{by_reach:?}");
    assert!(by_reach.contains(&(Reachability::DeliveredThroughNva, None, 127 * 251)), "{by_reach:?}");
    // Another port is not denied.
    let m80 = reach(&engine, &ReachQuery::every_subnet(&s.snapshot, 80));
    assert_eq!(m80.cell(r, c).reach, Reachability::DeliveredThroughNva);
}

#[test]
fn reach_without_nsgs_is_routing_only() {
    let mut e = hub_spoke();
    e.nsg("nsg-all", &[rule("deny", 100, "Inbound", "Deny", "*", "*", "*", "*")]).subnet_nsg("spoke2", "db", "nsg-all");
    let s = Scenario::new(&e);
    let engine = s.engine();
    let mut q = ReachQuery::every_subnet(&s.snapshot, 443);
    let with = reach(&engine, &q);
    q.evaluate_nsgs = false;
    let without = reach(&engine, &q);
    assert_eq!(cell(&s.snapshot, &with, "spoke2/db", "spoke2/db").1, "NsgDenied");
    assert_eq!(cell(&s.snapshot, &without, "spoke2/db", "spoke2/db").0, "Delivered");
}

/// §11.1 – reach follows the trace: a deallocated NVA drops what is routed through it, and a
/// stopped host is a class of its own whose cells are dropped while its running neighbours'
/// are not.
#[test]
fn reach_drops_through_stopped_vms() {
    let mut e = hub_spoke();
    e.nic("db2", "spoke2", "db", "10.2.1.5");
    for (vm, state) in [("fw-vm", "VM deallocated"), ("app1-vm", "VM running"), ("db1-vm", "VM running")] {
        e.resource_property("Microsoft.Compute/virtualMachines", vm, "powerState", json!(state));
    }
    e.resource_property("Microsoft.Compute/virtualMachines", "db2-vm", "powerState", json!("VM stopped"));
    let s = Scenario::new(&e);
    let engine = s.engine();
    let m = reach(&engine, &ReachQuery::every_subnet(&s.snapshot, 443));
    let snap = &s.snapshot;
    assert_eq!(cell(snap, &m, "spoke1/app", "Internet"), ("Dropped".into(), "NvaNotRunning".into(), vec!["fw".into()]));
    // spoke2/db → spoke2/db: the running db1 is reached, the stopped db2 is not.
    let r = m.rows.iter().position(|x| snap.subnet_label(*x) == "spoke2/db").unwrap();
    let c = m.columns.iter().position(|x| column_name(snap, x) == "spoke2/db").unwrap();
    let the_cell = m.cell(r, c);
    assert_eq!(the_cell.reach, Reachability::Mixed);
    let codes: Vec<Option<&str>> = m.cell_outcomes(the_cell).iter().map(|o| m.outcome(o).code).collect();
    assert!(codes.contains(&Some("DestinationNotRunning")) && codes.contains(&None), "{codes:?}");
    // Every VM's power state is known here; without them, VMs are assumed running, as said.
    assert!(!m.assumptions.iter().any(|a| a.contains("assumed running")), "{:?}", m.assumptions);
    let unknown = Scenario::new(&hub_spoke());
    let m = reach(&unknown.engine(), &ReachQuery::every_subnet(&unknown.snapshot, 443));
    assert!(
        m.assumptions.iter().any(|a| a.contains("3 VM(s)") && a.contains("assumed running")),
        "{:?}",
        m.assumptions
    );
}

/// §6.1 – reach follows the trace for forced tunnelling: a 0.0.0.0/0 user route to a VPN
/// gateway without a default site drops the Internet column with `ForcedTunnelNoDefaultSite`.
#[test]
fn reach_drops_forced_tunnel_without_default_site() {
    let mut e = hub_spoke();
    e.route_table("rt-spoke2", &[("default", "0.0.0.0/0", "VirtualNetworkGateway", None)]).associate(
        "spoke2",
        "db",
        "rt-spoke2",
    );
    let s = Scenario::new(&e);
    let m = reach(&s.engine(), &ReachQuery::every_subnet(&s.snapshot, 443));
    assert_eq!(
        cell(&s.snapshot, &m, "spoke2/db", "Internet"),
        ("Dropped".into(), "ForcedTunnelNoDefaultSite".into(), vec![])
    );
    assert_eq!(cell(&s.snapshot, &m, "spoke2/db", "172.16.0.0/16"), ("Delivered".into(), "".into(), vec![]));
}

// ---------------------------------------------------------------------------------------------
// Property: classes agree with address-by-address tracing.

/// A deterministic pseudo-random address inside `net`'s usable hosts.
fn pick(net: &ipnet::Ipv4Net, seed: &mut u64) -> IpAddr {
    *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let (lo, hi) = (u32::from(net.network()), u32::from(net.broadcast()));
    let (lo, hi) = if net.prefix_len() <= 29 { (lo + 4, hi - 1) } else { (lo, hi) };
    IpAddr::V4(Ipv4Addr::from(lo + ((*seed >> 33) as u32) % (hi - lo + 1)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every address pair traced on its own gives one of its cell's outcomes.
    #[test]
    fn reach_classes_agree_with_address_by_address_traces(p in RandomHubSpoke::strategy(6, true)) {
        let s = Scenario::new(&p.estate());
        let snap = &s.snapshot;
        let engine = s.engine();
        let q = ReachQuery::every_subnet(snap, 443);
        let m = reach(&engine, &q);
        let tracer = reach_tracer(&engine, &q);
        let mut seed = p.seed;
        for (r, &row) in m.rows.iter().enumerate() {
            let IpNet::V4(src_net) = snap.subnets[row.index()].prefixes[0] else { continue };
            for (c, column) in m.columns.iter().enumerate() {
                let cell = m.cell(r, c);
                let outcomes: Vec<&PairOutcome> = m.cell_outcomes(cell).iter().map(|o| m.outcome(o)).collect();
                let mut probes: Vec<(IpAddr, IpAddr)> = Vec::new();
                for _ in 0..3 {
                    let src = pick(&src_net, &mut seed);
                    let dst = match column {
                        Column::Subnet(d) => match snap.subnets[d.index()].prefixes[0] {
                            IpNet::V4(n) => pick(&n, &mut seed),
                            IpNet::V6(_) => continue,
                        },
                        Column::OnPremises { prefix: IpNet::V4(n), .. } => pick(n, &mut seed),
                        Column::Branch(b) => match b.prefix {
                            IpNet::V4(n) => pick(&n, &mut seed),
                            IpNet::V6(_) => continue,
                        },
                        Column::OnPremises { .. } => continue,
                        Column::Internet(ip) => *ip,
                    };
                    probes.push((src, dst));
                }
                // The hosts and owned addresses of both ends, which classes single out.
                if let Column::Subnet(d) = column {
                    for nic in &snap.nics {
                        for cfg in &nic.ip_configs {
                            let Some(ip) = cfg.private_ip else { continue };
                            if snap.subnets[d.index()].contains(ip) {
                                probes.push((pick(&src_net, &mut seed), ip));
                            }
                            if snap.subnets[row.index()].contains(ip) && nic.private_endpoint.is_none() {
                                probes.push((ip, probes[0].1));
                            }
                        }
                    }
                    for pe in &snap.private_endpoints {
                        for ip in pe.ips.iter().filter(|ip| snap.subnets[d.index()].contains(**ip)) {
                            probes.push((pick(&src_net, &mut seed), *ip));
                        }
                    }
                }
                // Private endpoints, load balancer frontends and gateways start no connections:
                // the matrix has no source class for them.
                let special = |ip: IpAddr| {
                    snap.private_endpoints.iter().any(|pe| pe.ips.contains(&ip))
                        || snap.gateways.iter().any(|g| g.instance_ips.contains(&ip))
                };
                for (src, dst) in probes.into_iter().filter(|(src, _)| !special(*src)) {
                    let naive = reach_pair(&tracer, &q, row, src, dst);
                    prop_assert!(
                        outcomes.contains(&&naive),
                        "{} → {}: {src} → {dst} traced alone gives {naive:?}, not one of {outcomes:?}",
                        snap.subnet_label(row),
                        column_name(snap, column)
                    );
                }
            }
        }
    }
}
