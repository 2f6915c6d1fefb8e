//! Test-only helpers: describe an Azure estate in a few lines, write it as Azure JSON in each
//! dialect (REST, az CLI, Resource Graph), load it through ingest, and query routes.
//!
//! Scenario tests go through the same ingest path as users' exports, so every scenario also
//! checks that the three dialects give the same answer.

#![forbid(unsafe_code)]

pub mod avnm;
pub mod bgp_communities;
pub mod browser;
pub mod estates;
pub mod fuzz;
pub mod http;
pub mod hubs;
pub mod random;
pub mod vwan;

pub use estates::spokes_via_hub;

use std::collections::BTreeMap;
use std::net::IpAddr;

use azroute_engine::{RouteEngine, next_hop};
use azroute_model::*;
use serde_json::{Value, json};

pub const SUB: &str = "00000000-0000-0000-0000-0000000000aa";
pub const RG: &str = "rg";

/// The JSON dialects ingest must read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// ARM REST: fields under `properties`, `{"value": [...]}` lists.
    Rest,
    /// az CLI: `properties` flattened, bare lists, `resourceGroup` added.
    AzCli,
    /// Resource Graph: `{"data": [...]}`, lower-cased `type`, extra columns.
    ResourceGraph,
}

pub const ALL_DIALECTS: [Dialect; 3] = [Dialect::Rest, Dialect::AzCli, Dialect::ResourceGraph];

pub fn id(kind: &str, name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Network/{kind}/{name}")
}

pub fn subnet_id(vnet: &str, subnet: &str) -> String {
    format!("{}/subnets/{subnet}", id("virtualNetworks", vnet))
}

/// Options of one side of a peering.
#[derive(Clone, Debug)]
pub struct PeerSide {
    pub state: &'static str,
    pub allow_forwarded_traffic: bool,
    pub allow_gateway_transit: bool,
    pub use_remote_gateways: bool,
    pub allow_virtual_network_access: bool,
}

impl Default for PeerSide {
    fn default() -> PeerSide {
        PeerSide {
            state: "Connected",
            allow_forwarded_traffic: false,
            allow_gateway_transit: false,
            use_remote_gateways: false,
            allow_virtual_network_access: true,
        }
    }
}

/// An estate under construction: REST-shaped resources keyed by kind and name.
#[derive(Clone, Debug, Default)]
pub struct Estate {
    vnets: BTreeMap<String, Value>,
    others: Vec<Value>,
    learned: Vec<Value>,
    service_tags: Option<Value>,
}

impl Estate {
    pub fn new() -> Estate {
        Estate::default()
    }

    pub fn vnet(&mut self, name: &str, location: &str, space: &[&str]) -> &mut Estate {
        self.vnets.insert(
            name.to_string(),
            json!({
                "id": id("virtualNetworks", name), "name": name, "type": "Microsoft.Network/virtualNetworks",
                "location": location,
                "properties": {"addressSpace": {"addressPrefixes": space}, "subnets": [], "virtualNetworkPeerings": []}
            }),
        );
        self
    }

    fn vnet_mut(&mut self, vnet: &str) -> &mut Value {
        self.vnets.get_mut(vnet).unwrap_or_else(|| panic!("no vnet {vnet} in the test estate"))
    }

    fn subnet_mut(&mut self, vnet: &str, subnet: &str) -> &mut Value {
        let v = self.vnet_mut(vnet);
        v["properties"]["subnets"]
            .as_array_mut()
            .expect("subnets")
            .iter_mut()
            .find(|s| s["name"] == subnet)
            .unwrap_or_else(|| panic!("no subnet {vnet}/{subnet}"))
    }

    pub fn subnet(&mut self, vnet: &str, name: &str, prefix: &str) -> &mut Estate {
        let s = json!({
            "id": subnet_id(vnet, name), "name": name, "type": "Microsoft.Network/virtualNetworks/subnets",
            "properties": {"addressPrefix": prefix}
        });
        self.vnet_mut(vnet)["properties"]["subnets"].as_array_mut().expect("subnets").push(s);
        self
    }

    /// Sets a property of a subnet (e.g. `privateEndpointNetworkPolicies`).
    pub fn subnet_property(&mut self, vnet: &str, subnet: &str, key: &str, value: Value) -> &mut Estate {
        self.subnet_mut(vnet, subnet)["properties"][key] = value;
        self
    }

    pub fn service_endpoint(&mut self, vnet: &str, subnet: &str, service: &str, locations: &[&str]) -> &mut Estate {
        let s = self.subnet_mut(vnet, subnet);
        if s["properties"]["serviceEndpoints"].is_null() {
            s["properties"]["serviceEndpoints"] = json!([]);
        }
        s["properties"]["serviceEndpoints"]
            .as_array_mut()
            .expect("list")
            .push(json!({"service": service, "locations": locations}));
        self
    }

    /// A route table; each route is (name, prefix, next hop type, next hop IP).
    pub fn route_table(&mut self, name: &str, routes: &[(&str, &str, &str, Option<&str>)]) -> &mut Estate {
        self.route_table_with(name, routes, false)
    }

    pub fn route_table_with(
        &mut self,
        name: &str,
        routes: &[(&str, &str, &str, Option<&str>)],
        disable_bgp: bool,
    ) -> &mut Estate {
        let routes: Vec<Value> = routes
            .iter()
            .map(|(rname, prefix, hop, ip)| {
                let mut props = json!({"addressPrefix": prefix, "nextHopType": hop});
                if let Some(ip) = ip {
                    props["nextHopIpAddress"] = json!(ip);
                }
                json!({"id": format!("{}/routes/{rname}", id("routeTables", name)), "name": rname, "properties": props})
            })
            .collect();
        self.others.push(json!({
            "id": id("routeTables", name), "name": name, "type": "Microsoft.Network/routeTables", "location": "eastus",
            "properties": {"disableBgpRoutePropagation": disable_bgp, "routes": routes}
        }));
        self
    }

    pub fn associate(&mut self, vnet: &str, subnet: &str, table: &str) -> &mut Estate {
        self.subnet_mut(vnet, subnet)["properties"]["routeTable"] = json!({"id": id("routeTables", table)});
        self
    }

    pub fn nsg(&mut self, name: &str, rules: &[Value]) -> &mut Estate {
        self.others.push(json!({
            "id": id("networkSecurityGroups", name), "name": name, "type": "Microsoft.Network/networkSecurityGroups",
            "location": "eastus", "properties": {"securityRules": rules}
        }));
        self
    }

    pub fn subnet_nsg(&mut self, vnet: &str, subnet: &str, nsg: &str) -> &mut Estate {
        self.subnet_mut(vnet, subnet)["properties"]["networkSecurityGroup"] =
            json!({"id": id("networkSecurityGroups", nsg)});
        self
    }

    /// A NIC with one IP configuration (and a VM of the same name plus `-vm`).
    pub fn nic(&mut self, name: &str, vnet: &str, subnet: &str, ip: &str) -> &mut Estate {
        self.nic_with(name, vnet, subnet, ip, false)
    }

    pub fn nic_with(&mut self, name: &str, vnet: &str, subnet: &str, ip: &str, forwarding: bool) -> &mut Estate {
        let vm = format!("{name}-vm");
        self.others.push(json!({
            "id": id("networkInterfaces", name), "name": name, "type": "Microsoft.Network/networkInterfaces",
            "location": "eastus",
            "properties": {
                "enableIPForwarding": forwarding,
                "virtualMachine": {"id": format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Compute/virtualMachines/{vm}")},
                "ipConfigurations": [{
                    "id": format!("{}/ipConfigurations/ipconfig1", id("networkInterfaces", name)), "name": "ipconfig1",
                    "properties": {"privateIPAddress": ip, "primary": true, "subnet": {"id": subnet_id(vnet, subnet)}}
                }]
            }
        }));
        self.others.push(json!({
            "id": format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Compute/virtualMachines/{vm}"),
            "name": vm, "type": "Microsoft.Compute/virtualMachines", "location": "eastus",
            "properties": {"networkProfile": {"networkInterfaces": [{"id": id("networkInterfaces", name), "properties": {"primary": true}}]}}
        }));
        self
    }

    /// A VM with several NICs; the first is primary. Each NIC is (name, vnet, subnet, ip, forwarding).
    pub fn multi_nic_vm(&mut self, vm: &str, nics: &[(&str, &str, &str, &str, bool)]) -> &mut Estate {
        let vm_id =
            format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Compute/virtualMachines/{vm}");
        let mut refs = Vec::new();
        for (i, (name, vnet, subnet, ip, forwarding)) in nics.iter().enumerate() {
            self.others.push(json!({
                "id": id("networkInterfaces", name), "name": name, "type": "Microsoft.Network/networkInterfaces",
                "location": "eastus",
                "properties": {
                    "enableIPForwarding": forwarding, "primary": i == 0,
                    "virtualMachine": {"id": vm_id},
                    "ipConfigurations": [{
                        "id": format!("{}/ipConfigurations/ipconfig1", id("networkInterfaces", name)), "name": "ipconfig1",
                        "properties": {"privateIPAddress": ip, "primary": true, "subnet": {"id": subnet_id(vnet, subnet)}}
                    }]
                }
            }));
            refs.push(json!({"id": id("networkInterfaces", name), "properties": {"primary": i == 0}}));
        }
        self.others.push(json!({
            "id": vm_id, "name": vm, "type": "Microsoft.Compute/virtualMachines", "location": "eastus",
            "properties": {"networkProfile": {"networkInterfaces": refs}}
        }));
        self
    }

    /// Sets a property of a resource found by type and name (e.g. a VM's `powerState`).
    /// Adds a resource object as it stands (any type the builders do not cover).
    pub fn raw_resource(&mut self, resource: Value) -> &mut Estate {
        self.others.push(resource);
        self
    }

    pub fn resource_property(&mut self, resource_type: &str, name: &str, key: &str, value: Value) -> &mut Estate {
        let r = self
            .others
            .iter_mut()
            .find(|r| r["type"].as_str().is_some_and(|t| t.eq_ignore_ascii_case(resource_type)) && r["name"] == name)
            .unwrap_or_else(|| panic!("no {resource_type} {name}"));
        r["properties"][key] = value;
        self
    }

    /// Sets a property of a route table (e.g. `disablePeeringRoute`).
    pub fn route_table_property(&mut self, table: &str, key: &str, value: Value) -> &mut Estate {
        let t = self
            .others
            .iter_mut()
            .find(|r| r["type"] == "Microsoft.Network/routeTables" && r["name"] == table)
            .unwrap_or_else(|| panic!("no route table {table}"));
        t["properties"][key] = value;
        self
    }

    /// A subnet peering (both directions): `a`'s subnets `local` with `b`'s subnets `remote`.
    pub fn subnet_peer(&mut self, a: &str, b: &str, local: &[&str], remote: &[&str]) -> &mut Estate {
        let prefixes_of = |estate: &Estate, vnet: &str, names: &[&str]| -> Vec<Value> {
            estate.vnets[vnet]["properties"]["subnets"]
                .as_array()
                .expect("subnets")
                .iter()
                .filter(|s| names.iter().any(|n| s["name"] == *n))
                .map(|s| s["properties"]["addressPrefix"].clone())
                .collect()
        };
        for (from, to, mine, theirs) in [(a, b, local, remote), (b, a, remote, local)] {
            let remote_space = prefixes_of(self, to, theirs);
            let p = json!({
                "id": format!("{}/virtualNetworkPeerings/{from}-to-{to}", id("virtualNetworks", from)), "name": format!("{from}-to-{to}"),
                "properties": {
                    "peeringState": "Connected", "remoteVirtualNetwork": {"id": id("virtualNetworks", to)},
                    "remoteAddressSpace": {"addressPrefixes": remote_space},
                    "peerCompleteVnets": false, "localSubnetNames": mine, "remoteSubnetNames": theirs,
                    "allowVirtualNetworkAccess": true
                }
            });
            self.vnet_mut(from)["properties"]["virtualNetworkPeerings"].as_array_mut().expect("list").push(p);
        }
        self
    }

    /// Sets a property of the NIC (e.g. `networkSecurityGroup`).
    pub fn nic_property(&mut self, nic: &str, key: &str, value: Value) -> &mut Estate {
        let n = self
            .others
            .iter_mut()
            .find(|r| r["type"] == "Microsoft.Network/networkInterfaces" && r["name"] == nic)
            .unwrap_or_else(|| panic!("no nic {nic}"));
        n["properties"][key] = value;
        self
    }

    /// Adds a public IP to a NIC's first IP configuration.
    pub fn public_ip(&mut self, nic: &str, address: &str) -> &mut Estate {
        let pip = format!("{nic}-pip");
        self.others.push(json!({
            "id": id("publicIPAddresses", &pip), "name": pip, "type": "Microsoft.Network/publicIPAddresses",
            "location": "eastus", "properties": {"ipAddress": address}
        }));
        let n = self
            .others
            .iter_mut()
            .find(|r| r["type"] == "Microsoft.Network/networkInterfaces" && r["name"] == nic)
            .unwrap_or_else(|| panic!("no nic {nic}"));
        n["properties"]["ipConfigurations"][0]["properties"]["publicIPAddress"] =
            json!({"id": id("publicIPAddresses", &pip)});
        self
    }

    /// Both sides of a peering with the given options.
    pub fn peer(&mut self, a: &str, b: &str, side_a: PeerSide, side_b: PeerSide) -> &mut Estate {
        self.peer_one_way(a, b, side_a);
        self.peer_one_way(b, a, side_b)
    }

    /// A plain Connected peering between two VNets.
    pub fn peer_simple(&mut self, a: &str, b: &str) -> &mut Estate {
        self.peer(a, b, PeerSide::default(), PeerSide::default())
    }

    pub fn peer_one_way(&mut self, a: &str, b: &str, side: PeerSide) -> &mut Estate {
        let remote_space =
            self.vnets.get(b).map(|v| v["properties"]["addressSpace"]["addressPrefixes"].clone()).unwrap_or(json!([]));
        let p = json!({
            "id": format!("{}/virtualNetworkPeerings/{a}-to-{b}", id("virtualNetworks", a)), "name": format!("{a}-to-{b}"),
            "properties": {
                "peeringState": side.state,
                "remoteVirtualNetwork": {"id": id("virtualNetworks", b)},
                "remoteAddressSpace": {"addressPrefixes": remote_space},
                "allowForwardedTraffic": side.allow_forwarded_traffic,
                "allowGatewayTransit": side.allow_gateway_transit,
                "useRemoteGateways": side.use_remote_gateways,
                "allowVirtualNetworkAccess": side.allow_virtual_network_access
            }
        });
        self.vnet_mut(a)["properties"]["virtualNetworkPeerings"].as_array_mut().expect("list").push(p);
        self
    }

    /// A gateway in `vnet`'s GatewaySubnet (which must exist).
    pub fn gateway(&mut self, name: &str, vnet: &str, gateway_type: &str, instance_ips: &[&str]) -> &mut Estate {
        self.others.push(json!({
            "id": id("virtualNetworkGateways", name), "name": name, "type": "Microsoft.Network/virtualNetworkGateways",
            "location": "eastus",
            "properties": {
                "gatewayType": gateway_type, "vpnType": "RouteBased", "enableBgp": true,
                "ipConfigurations": [{"name": "default", "id": format!("{}/ipConfigurations/default", id("virtualNetworkGateways", name)),
                    "properties": {"subnet": {"id": subnet_id(vnet, "GatewaySubnet")}}}],
                "bgpSettings": {"asn": 65515, "bgpPeeringAddress": instance_ips.join(",")}
            }
        }));
        self
    }

    /// A local network gateway and a site-to-site connection to `gateway`.
    pub fn site(&mut self, gateway: &str, lng: &str, prefixes: &[&str]) -> &mut Estate {
        self.others.push(json!({
            "id": id("localNetworkGateways", lng), "name": lng, "type": "Microsoft.Network/localNetworkGateways",
            "location": "eastus", "properties": {"localNetworkAddressSpace": {"addressPrefixes": prefixes}, "gatewayIpAddress": "203.0.113.1"}
        }));
        let conn = format!("{gateway}-to-{lng}");
        self.others.push(json!({
            "id": id("connections", &conn), "name": conn, "type": "Microsoft.Network/connections", "location": "eastus",
            "properties": {"connectionType": "IPsec", "connectionStatus": "Connected",
                "virtualNetworkGateway1": {"id": id("virtualNetworkGateways", gateway)},
                "localNetworkGateway2": {"id": id("localNetworkGateways", lng)}}
        }));
        self
    }

    /// BGP routes learned by `gateway`: (network, origin, next hop).
    pub fn learned(&mut self, gateway: &str, routes: &[(&str, &str, &str)]) -> &mut Estate {
        let value: Vec<Value> = routes
            .iter()
            .map(|(network, origin, hop)| json!({"network": network, "origin": origin, "nextHop": hop, "sourcePeer": hop, "asPath": "65050", "weight": 32768}))
            .collect();
        self.learned
            .push(json!({"gatewayId": id("virtualNetworkGateways", gateway), "learnedRoutes": {"value": value}}));
        self
    }

    pub fn private_endpoint(&mut self, name: &str, vnet: &str, subnet: &str, ip: &str) -> &mut Estate {
        self.others.push(json!({
            "id": id("privateEndpoints", name), "name": name, "type": "Microsoft.Network/privateEndpoints", "location": "eastus",
            "properties": {"subnet": {"id": subnet_id(vnet, subnet)},
                "ipConfigurations": [{"name": "cfg", "properties": {"privateIPAddress": ip, "groupId": "blob"}}]}
        }));
        self
    }

    pub fn internal_load_balancer(
        &mut self,
        name: &str,
        vnet: &str,
        subnet: &str,
        frontend_ip: &str,
        backend_nics: &[&str],
    ) -> &mut Estate {
        let backends: Vec<Value> = backend_nics
            .iter()
            .map(|n| json!({"id": format!("{}/ipConfigurations/ipconfig1", id("networkInterfaces", n))}))
            .collect();
        self.others.push(json!({
            "id": id("loadBalancers", name), "name": name, "type": "Microsoft.Network/loadBalancers", "location": "eastus",
            "sku": {"name": "Standard"},
            "properties": {
                "frontendIPConfigurations": [{"name": "fe", "properties": {"privateIPAddress": frontend_ip, "subnet": {"id": subnet_id(vnet, subnet)}}}],
                "backendAddressPools": [{"name": "pool", "properties": {"backendIPConfigurations": backends}}]
            }
        }));
        self
    }

    /// A Service Tags file with (name, region, prefixes) tags.
    pub fn service_tags(&mut self, tags: &[(&str, &str, &[&str])]) -> &mut Estate {
        let values: Vec<Value> = tags
            .iter()
            .map(|(name, region, prefixes)| json!({"name": name, "id": name, "properties": {"region": region, "addressPrefixes": prefixes, "systemService": ""}}))
            .collect();
        self.service_tags = Some(json!({"changeNumber": 1, "cloud": "Public", "values": values}));
        self
    }

    /// The resources as REST-shaped JSON values.
    pub fn resources(&self) -> Vec<Value> {
        self.vnets.values().cloned().chain(self.others.iter().cloned()).collect()
    }

    /// The estate as files of one dialect.
    pub fn files(&self, dialect: Dialect) -> Vec<(String, String)> {
        let resources = self.resources();
        let mut files = Vec::new();
        let body = match dialect {
            Dialect::Rest => json!({"value": resources, "nextLink": null}),
            Dialect::AzCli => {
                Value::Array(resources.iter().map(|r| flatten(r.clone())).map(add_resource_group).collect())
            }
            Dialect::ResourceGraph => {
                let rows: Vec<Value> = resources
                    .iter()
                    .map(|r| {
                        let mut r = r.clone();
                        let ty = r["type"].as_str().unwrap_or("").to_ascii_lowercase();
                        r["type"] = json!(ty);
                        r["resourceGroup"] = json!(RG.to_ascii_lowercase());
                        r["subscriptionId"] = json!(SUB);
                        r["tenantId"] = json!("t");
                        // Resource Graph's `kind` column: AVNM admin rules keep theirs.
                        if r.get("kind").is_none() {
                            r["kind"] = json!("");
                        }
                        r
                    })
                    .collect();
                json!({"totalRecords": rows.len(), "count": rows.len(), "resultTruncated": "false", "facets": [], "data": rows})
            }
        };
        files.push(("resources.json".to_string(), serde_json::to_string_pretty(&body).expect("json")));
        for (i, l) in self.learned.iter().enumerate() {
            files.push((format!("learned-{i}.json"), l.to_string()));
        }
        if let Some(tags) = &self.service_tags {
            files.push(("service-tags.json".to_string(), tags.to_string()));
        }
        files
    }

    /// Loads the estate through ingest; panics on ingest errors (a test estate must be valid).
    pub fn load(&self, dialect: Dialect) -> Snapshot {
        let loaded = azroute_ingest::load_texts(&self.files(dialect));
        let errors: Vec<String> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == azroute_ingest::Severity::Error)
            .map(|d| d.to_string())
            .collect();
        assert!(errors.is_empty(), "test estate has ingest errors in {dialect:?}:\n{}", errors.join("\n"));
        loaded.snapshot
    }
}

/// The az CLI shape: `properties` flattened at every level.
pub fn flatten(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            let mut props = None;
            for (k, v) in map {
                if k == "properties" {
                    props = Some(v);
                } else {
                    out.insert(k, flatten(v));
                }
            }
            if let Some(Value::Object(p)) = props {
                for (k, v) in p {
                    out.insert(k, flatten(v));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(flatten).collect()),
        other => other,
    }
}

fn add_resource_group(mut value: Value) -> Value {
    value["resourceGroup"] = json!(RG);
    value
}

/// An NSG rule in REST shape: (name, priority, direction, access, protocol, source, destination, destination port).
#[allow(clippy::too_many_arguments)]
pub fn rule(
    name: &str,
    priority: u32,
    direction: &str,
    access: &str,
    protocol: &str,
    source: &str,
    destination: &str,
    port: &str,
) -> Value {
    json!({
        "name": name, "id": format!("{}/securityRules/{name}", id("networkSecurityGroups", "x")),
        "properties": {
            "priority": priority, "direction": direction, "access": access, "protocol": protocol,
            "sourceAddressPrefix": source, "destinationAddressPrefix": destination,
            "sourcePortRange": "*", "destinationPortRange": port
        }
    })
}

/// One effective route, flattened for assertions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub source: String,
    pub state: String,
    pub prefix: String,
    pub next_hop_type: String,
    pub next_hop_ips: String,
    pub name: String,
    pub disable_bgp: bool,
}

/// Query helpers over one loaded snapshot.
pub struct Scenario {
    pub snapshot: Snapshot,
    pub options: ModelOptions,
}

impl Scenario {
    /// Loads the estate in every dialect, checks they agree, and returns the REST one.
    pub fn new(estate: &Estate) -> Scenario {
        Scenario::with_options(estate, ModelOptions::default())
    }

    pub fn with_options(estate: &Estate, options: ModelOptions) -> Scenario {
        let rest = Scenario { snapshot: estate.load(Dialect::Rest), options: options.clone() };
        for dialect in [Dialect::AzCli, Dialect::ResourceGraph] {
            let other = Scenario { snapshot: estate.load(dialect), options: options.clone() };
            for subnet in 0..rest.snapshot.subnets.len() {
                let label = rest.snapshot.subnet_label(SubnetIdx(subnet as u32));
                assert_eq!(
                    rest.subnet_rows(&label),
                    other.subnet_rows(&label),
                    "{dialect:?} disagrees with REST for {label}"
                );
            }
        }
        rest
    }

    pub fn engine(&self) -> RouteEngine<'_> {
        RouteEngine::new(&self.snapshot, self.options.clone())
    }

    fn rows(table: &azroute_engine::EffectiveRouteTable) -> Vec<Row> {
        table
            .routes
            .iter()
            .map(|r| Row {
                source: r.source.as_str().to_string(),
                state: r.state.as_str().to_string(),
                prefix: r.prefix_text.join(" "),
                next_hop_type: r.next_hop_type.as_str().to_string(),
                next_hop_ips: r.next_hop_ips.iter().map(|ip| ip.to_string()).collect::<Vec<_>>().join(" "),
                name: r.name.clone().unwrap_or_default(),
                disable_bgp: table.disable_bgp_route_propagation,
            })
            .collect()
    }

    /// Effective routes of a subnet (`vnet/subnet`).
    pub fn subnet_rows(&self, subnet: &str) -> Vec<Row> {
        let engine = self.engine();
        let s = self.snapshot.find_subnet(subnet).expect("subnet exists");
        let table = engine.subnet_table(s).expect("routes compute");
        Scenario::rows(&table)
    }

    /// Effective routes of a NIC.
    pub fn routes(&self, nic: &str) -> Vec<Row> {
        let engine = self.engine();
        let n = self.snapshot.find_nic(nic).expect("nic exists");
        let (_, table) = engine.nic_table(n).expect("routes compute");
        Scenario::rows(&table)
    }

    /// Routes as compact strings `Source State prefix NextHopType [ips] [name]`, sorted.
    pub fn route_strings(&self, nic: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .routes(nic)
            .into_iter()
            .map(|r| {
                let mut s = format!("{} {} {} {}", r.source, r.state, r.prefix, r.next_hop_type);
                if !r.next_hop_ips.is_empty() {
                    s.push_str(&format!(" {}", r.next_hop_ips));
                }
                if !r.name.is_empty() {
                    s.push_str(&format!(" {}", r.name));
                }
                s
            })
            .collect();
        out.sort();
        out
    }

    /// Network Watcher next hop: (type, ip or "", routeTableId or "System Route").
    pub fn next_hop(&self, nic: &str, destination: &str) -> (String, String, String) {
        let engine = self.engine();
        let n = self.snapshot.find_nic(nic).expect("nic exists");
        let (_, table) = engine.nic_table(n).expect("routes compute");
        let dst: IpAddr = destination.parse().expect("test IP");
        let answer = next_hop(&self.snapshot, &table, dst);
        let rt = match answer.route_table {
            Some(t) => self.snapshot.route_tables[t.index()].name.clone(),
            None => "System Route".to_string(),
        };
        (answer.next_hop_type, answer.next_hop_ip.map(|i| i.to_string()).unwrap_or_default(), rt)
    }

    /// Traces TCP to `port` from a NIC name or IP to an IP or NIC name.
    pub fn trace(&self, from: &str, to: &str, port: u16) -> azroute_engine::Trace {
        self.trace_proto(from, to, azroute_model::Protocol::Tcp, port)
    }

    pub fn trace_proto(
        &self,
        from: &str,
        to: &str,
        protocol: azroute_model::Protocol,
        port: u16,
    ) -> azroute_engine::Trace {
        use azroute_engine::{TraceRequest, TraceSource, Tracer};
        let engine = self.engine();
        let tracer = Tracer::new(&engine);
        let ip_of = |name: &str| -> (Option<NicIdx>, IpAddr) {
            match name.parse::<IpAddr>() {
                Ok(ip) => (tracer.nic_owning(ip), ip),
                Err(_) => {
                    let nic = self.snapshot.find_nic(name).expect("nic exists");
                    (Some(nic), self.snapshot.nics[nic.index()].primary_ip_config().unwrap().private_ip.unwrap())
                }
            }
        };
        let (from_nic, from_ip) = ip_of(from);
        let (_, to_ip) = ip_of(to);
        let source = match from_nic {
            Some(nic) => TraceSource::Nic { nic, ip: from_ip },
            None => TraceSource::External(from_ip),
        };
        tracer
            .trace(TraceRequest { source, destination: to_ip, protocol, source_port: 50000, destination_port: port })
            .expect("trace runs")
    }

    /// IP flow verify at a NIC: (access, rule name, applied to).
    pub fn ip_flow(
        &self,
        nic: &str,
        direction: Direction,
        local: &str,
        local_port: u16,
        remote: &str,
        remote_port: u16,
    ) -> (String, String, String) {
        use azroute_engine::{Flow, SecurityEngine};
        let engine = self.engine();
        let security = SecurityEngine::new(&engine);
        let n = self.snapshot.find_nic(nic).expect("nic exists");
        let (local, remote): (IpAddr, IpAddr) = (local.parse().unwrap(), remote.parse().unwrap());
        let flow = match direction {
            Direction::Inbound => Flow {
                direction,
                protocol: Protocol::Tcp,
                source: remote,
                source_port: Some(remote_port),
                destination: local,
                destination_port: Some(local_port),
            },
            Direction::Outbound => Flow {
                direction,
                protocol: Protocol::Tcp,
                source: local,
                source_port: Some(local_port),
                destination: remote,
                destination_port: Some(remote_port),
            },
        };
        let d = security.evaluate(n, &flow).expect("evaluates");
        (
            d.access.as_str().to_string(),
            d.rule_name,
            d.decided_by.map(|(_, a)| a.as_str().to_string()).unwrap_or_default(),
        )
    }

    /// The notes of a NIC's table, as text.
    pub fn notes(&self, nic: &str) -> Vec<String> {
        let engine = self.engine();
        let n = self.snapshot.find_nic(nic).expect("nic exists");
        let (_, table) = engine.nic_table(n).expect("routes compute");
        table.notes.iter().map(|note| azroute_engine::note_text(&self.snapshot, &table, note)).collect()
    }
}
