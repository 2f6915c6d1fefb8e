//! Random hub-and-spoke estates for property tests: a hub with an NVA (IP forwarding), a VPN
//! gateway and a site; one to three spokes with optional route tables, NSGs, per-NIC NSGs, a
//! private endpoint, and a GatewaySubnet route table towards the NVA.

use std::net::IpAddr;

use azroute_model::{ArmId, Origin, Route, RouteNextHopType, RoutePrefix};
use proptest::prelude::*;
use serde_json::json;

use crate::{Estate, PeerSide, id, rule};

/// The knobs of a random estate (property tests draw them).
#[derive(Clone, Debug)]
pub struct RandomHubSpoke {
    /// Per spoke: (route table kind, allowForwardedTraffic on the spoke side, NIC with own NSG).
    pub spokes: Vec<(u8, bool, bool)>,
    /// NSG rules: (subnet index, inbound, deny, source /25 index, port 443 only).
    pub rules: Vec<(usize, bool, bool, u8, bool)>,
    pub gateway_route_to_nva: bool,
    pub private_endpoint: bool,
    /// Power states exported with the VMs: 0 none (unknown, assumed running), 1 every VM
    /// running, 2 the hub NVA deallocated, 3 the first spoke's `b` VM stopped.
    pub power: u8,
    /// Drives the choice of probe addresses.
    pub seed: u64,
}

impl RandomHubSpoke {
    /// Draws the knobs the property tests share: one to three spokes and fewer than
    /// `rules_below` NSG rules; the probe seed is drawn when `seeded`, else 0 (for tests that
    /// draw no probes).
    pub fn strategy(rules_below: usize, seeded: bool) -> impl Strategy<Value = RandomHubSpoke> {
        let seed = if seeded { any::<u64>().boxed() } else { Just(0).boxed() };
        (
            proptest::collection::vec((0u8..4, any::<bool>(), any::<bool>()), 1..4),
            proptest::collection::vec(
                (0usize..8, any::<bool>(), any::<bool>(), 0u8..16, any::<bool>()),
                0..rules_below,
            ),
            any::<bool>(),
            any::<bool>(),
            0u8..4,
            seed,
        )
            .prop_map(|(spokes, rules, gateway_route_to_nva, private_endpoint, power, seed)| RandomHubSpoke {
                spokes,
                rules,
                gateway_route_to_nva,
                private_endpoint,
                power,
                seed,
            })
    }

    /// The estate.
    pub fn estate(&self) -> Estate {
        let p = self;
        let mut e = Estate::new();
        e.vnet("hub", "eastus", &["10.0.0.0/16"])
            .subnet("hub", "GatewaySubnet", "10.0.0.0/27")
            .subnet("hub", "nva", "10.0.1.0/24")
            .subnet("hub", "shared", "10.0.2.0/24")
            .nic_with("fw", "hub", "nva", "10.0.1.4", true)
            .nic("shared1", "hub", "shared", "10.0.2.10")
            .gateway("gw", "hub", "Vpn", &["10.0.0.4"])
            .site("gw", "dc", &["172.16.0.0/16"]);
        let mut subnets: Vec<(String, String)> = vec![("hub".into(), "nva".into()), ("hub".into(), "shared".into())];
        let mut gateway_routes: Vec<(String, String)> = Vec::new();
        for (i, (kind, forwarded, nic_nsg)) in p.spokes.iter().enumerate() {
            let k = i + 1;
            let vnet = format!("spoke{k}");
            let space = format!("10.{k}.0.0/16");
            e.vnet(&vnet, "eastus", &[space.as_str()])
                .subnet(&vnet, "a", &format!("10.{k}.1.0/24"))
                .subnet(&vnet, "b", &format!("10.{k}.2.0/24"))
                .nic(&format!("s{k}a"), &vnet, "a", &format!("10.{k}.1.4"))
                .nic(&format!("s{k}b"), &vnet, "b", &format!("10.{k}.2.4"));
            if *nic_nsg {
                e.nsg(
                    &format!("nsg-nic{k}"),
                    &[rule("deny-443", 100, "Inbound", "Deny", "Tcp", "10.0.0.0/8", "*", "443")],
                );
                e.nic_property(
                    &format!("s{k}a"),
                    "networkSecurityGroup",
                    json!({"id": id("networkSecurityGroups", &format!("nsg-nic{k}"))}),
                );
            }
            let hub_side =
                PeerSide { allow_forwarded_traffic: true, allow_gateway_transit: true, ..PeerSide::default() };
            let spoke_side =
                PeerSide { allow_forwarded_traffic: *forwarded, use_remote_gateways: true, ..PeerSide::default() };
            e.peer("hub", &vnet, hub_side, spoke_side);
            let rt = format!("rt-{vnet}");
            match kind {
                1 => {
                    e.route_table(&rt, &[("default", "0.0.0.0/0", "VirtualAppliance", Some("10.0.1.4"))])
                        .associate(&vnet, "a", &rt);
                }
                2 => {
                    e.route_table(&rt, &[("private", "10.0.0.0/8", "VirtualAppliance", Some("10.0.1.4"))])
                        .associate(&vnet, "a", &rt)
                        .associate(&vnet, "b", &rt);
                }
                3 => {
                    e.route_table(&rt, &[("half", &format!("10.{k}.2.128/25"), "None", None)])
                        .associate(&vnet, "a", &rt);
                }
                _ => {}
            }
            gateway_routes.push((format!("to-{vnet}"), space));
            subnets.push((vnet.clone(), "a".into()));
            subnets.push((vnet, "b".into()));
        }
        if p.gateway_route_to_nva {
            let routes: Vec<(&str, &str, &str, Option<&str>)> = gateway_routes
                .iter()
                .map(|(n, pfx)| (n.as_str(), pfx.as_str(), "VirtualAppliance", Some("10.0.1.4")))
                .collect();
            e.route_table("rt-gw", &routes).associate("hub", "GatewaySubnet", "rt-gw");
        }
        if p.private_endpoint {
            e.private_endpoint("pe1", "spoke1", "b", "10.1.2.5");
        }
        p.set_power_states(&mut e);
        let mut by_subnet: std::collections::BTreeMap<usize, Vec<serde_json::Value>> = Default::default();
        for (n, (subnet, inbound, deny, src, only_443)) in p.rules.iter().enumerate() {
            let source = format!("10.{}.{}.{}/25", src % 4, 1 + (src / 4) % 2, (src % 2) * 128);
            let r = rule(
                &format!("r{n}"),
                100 + n as u32,
                if *inbound { "Inbound" } else { "Outbound" },
                if *deny { "Deny" } else { "Allow" },
                "Tcp",
                if *inbound { &source } else { "*" },
                if *inbound { "*" } else { &source },
                if *only_443 { "443" } else { "*" },
            );
            by_subnet.entry(subnet % subnets.len()).or_default().push(r);
        }
        for (subnet, rules) in by_subnet {
            let (vnet, name) = &subnets[subnet];
            let nsg = format!("nsg-{vnet}-{name}");
            e.nsg(&nsg, &rules).subnet_nsg(vnet, name, &nsg);
        }
        e
    }

    /// The VMs' power states as `az vm list -d` exports them (`power`).
    fn set_power_states(&self, e: &mut Estate) {
        if self.power == 0 {
            return;
        }
        let mut vms = vec!["fw-vm".to_string(), "shared1-vm".to_string()];
        for k in 1..=self.spokes.len() {
            vms.push(format!("s{k}a-vm"));
            vms.push(format!("s{k}b-vm"));
        }
        for vm in &vms {
            let state = match (self.power, vm.as_str()) {
                (2, "fw-vm") => "VM deallocated",
                (3, "s1b-vm") => "VM stopped",
                _ => "VM running",
            };
            e.resource_property("Microsoft.Compute/virtualMachines", vm, "powerState", json!(state));
        }
    }
}

/// A user route built directly in the model, for the random changes property tests apply to a
/// loaded snapshot (incremental updates, diffs).
pub fn model_route(name: &str, prefix: &str, hop: RouteNextHopType, ip: Option<&str>) -> Route {
    Route {
        id: ArmId::new(format!("/x/routes/{name}")),
        name: name.to_string(),
        prefix: RoutePrefix::Cidr(prefix.parse().unwrap()),
        next_hop_type: hop,
        next_hop_ips: ip.map(|i| i.parse::<IpAddr>().unwrap()).into_iter().collect(),
        origin: Origin::default(),
    }
}
