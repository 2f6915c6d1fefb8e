//! The estate as the web page draws it (`GET /api/topology`): resources as nodes, each with its
//! kind, a parent for containment (a subnet's VNet, a NIC's subnet) and Azure's own property
//! names; links between them as edges (peerings, gateway connections).
//!
//! A node kind is a name and a parent rule, nothing more: a new kind of resource (a firewall, a
//! virtual hub) is one more `NodeKind` and one more `push_…` step, and the page draws an unknown
//! kind with a default style.

use azroute_engine::Topology;
use azroute_model::*;
use serde::Serialize;
use serde_json::{Map, Value, json};

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum NodeKind {
    VirtualNetwork,
    Subnet,
    NetworkInterface,
    VirtualNetworkGateway,
    /// An on-premises site (`Microsoft.Network/localNetworkGateways`).
    LocalNetworkGateway,
    LoadBalancer,
    PrivateEndpoint,
    /// `Microsoft.Network/azureFirewalls`: in its `AzureFirewallSubnet` (§16.1).
    AzureFirewall,
    /// `Microsoft.Network/natGateways`: in the first subnet it serves (§17.1).
    NatGateway,
    /// `Microsoft.Network/applicationGateways`: in its gateway subnet (§17.3).
    ApplicationGateway,
    /// `Microsoft.Network/bastionHosts`: in `AzureBastionSubnet` (§17.3).
    BastionHost,
    /// `Microsoft.Network/dnsResolvers/inboundEndpoints`: in its subnet (§17.3).
    DnsResolverInboundEndpoint,
    /// An Azure Route Server (`Microsoft.Network/virtualHubs` without `virtualWan`): in its
    /// `RouteServerSubnet` (§19.1).
    RouteServer,
    /// The Internet, once per estate (id `Internet`).
    Internet,
    /// A resource that a peering or connection names but the snapshot does not hold.
    MissingResource,
}

/// What an edge stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum EdgeKind {
    /// Both directions of a VNet peering (one edge per pair of VNets).
    VirtualNetworkPeering,
    /// `Microsoft.Network/connections`: a gateway to a site or to another gateway.
    Connection,
    /// `virtualHubs/bgpConnections`: a Route Server to the NIC of its BGP peer (§19.1).
    BgpPeering,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeView {
    /// The resource id (`Internet` for the Internet).
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    /// The id of the node that contains this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Address prefixes: a VNet's address space, a subnet's prefixes, a site's prefixes, a
    /// gateway's point-to-site pool.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prefixes: Vec<String>,
    /// Private addresses: a NIC's, a gateway's instances', a load balancer's frontends', a
    /// private endpoint's.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
    /// Further facts under Azure's property names.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub properties: Map<String, Value>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EdgeView {
    pub id: String,
    pub kind: EdgeKind,
    pub source: String,
    pub target: String,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub properties: Map<String, Value>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TopologyView {
    pub nodes: Vec<NodeView>,
    pub edges: Vec<EdgeView>,
}

/// The id of the Internet node.
pub const INTERNET: &str = "Internet";

impl NodeView {
    fn new(id: &ArmId, kind: NodeKind, name: &str) -> NodeView {
        NodeView {
            id: id.to_string(),
            kind,
            name: name.to_string(),
            parent: None,
            prefixes: Vec::new(),
            addresses: Vec::new(),
            properties: Map::new(),
        }
    }

    fn set(&mut self, key: &str, value: Value) {
        self.properties.insert(key.to_string(), value);
    }
}

/// Every node and edge of the estate, VNets first, in snapshot order.
pub fn view(snap: &Snapshot, topology: &Topology) -> TopologyView {
    let mut view = TopologyView { nodes: Vec::new(), edges: Vec::new() };
    push_vnets(snap, &mut view);
    push_subnets(snap, &mut view);
    push_gateways(snap, &mut view);
    push_sites(snap, &mut view);
    push_load_balancers(snap, &mut view);
    push_private_endpoints(snap, &mut view);
    push_firewalls(snap, &mut view);
    push_platform_services(snap, &mut view);
    push_route_servers(snap, &mut view);
    push_nics(snap, &mut view);
    push_internet(&mut view);
    push_peerings(snap, topology, &mut view);
    push_connections(snap, &mut view);
    push_bgp_peerings(snap, &mut view);
    view
}

fn push_vnets(snap: &Snapshot, view: &mut TopologyView) {
    for v in &snap.vnets {
        let mut node = NodeView::new(&v.id, NodeKind::VirtualNetwork, &v.name);
        node.prefixes = v.address_space.iter().map(|p| p.to_string()).collect();
        node.set("location", json!(v.location));
        view.nodes.push(node);
    }
}

/// `{"id", "name"}` of a linked resource, or `{"id", "missing": true}` when not exported.
fn reference<T: Copy>(link: &Link<T>, name_of: impl Fn(T) -> (String, String)) -> Value {
    match link {
        Link::Resolved(idx) => {
            let (id, name) = name_of(*idx);
            json!({"id": id, "name": name})
        }
        Link::Missing(id) => json!({"id": id.to_string(), "missing": true}),
    }
}

fn push_subnets(snap: &Snapshot, view: &mut TopologyView) {
    for s in &snap.subnets {
        let mut node = NodeView::new(&s.id, NodeKind::Subnet, &s.name);
        node.parent = Some(snap.vnets[s.vnet.index()].id.to_string());
        node.prefixes = s.prefixes.iter().map(|p| p.to_string()).collect();
        if let Some(link) = &s.route_table {
            let table = |t: RouteTableIdx| {
                let t = &snap.route_tables[t.index()];
                (t.id.to_string(), t.name.clone())
            };
            node.set("routeTable", reference(link, table));
        }
        if let Some(link) = &s.nsg {
            node.set("networkSecurityGroup", reference(link, |n| nsg_ref(snap, n)));
        }
        if !s.service_endpoints.is_empty() {
            let services: Vec<&str> = s.service_endpoints.iter().map(|e| e.service.as_str()).collect();
            node.set("serviceEndpoints", json!(services));
        }
        view.nodes.push(node);
    }
}

fn nsg_ref(snap: &Snapshot, nsg: NsgIdx) -> (String, String) {
    let n = &snap.nsgs[nsg.index()];
    (n.id.to_string(), n.name.clone())
}

/// A gateway sits in its VNet's GatewaySubnet when that is exported, else in the VNet.
fn push_gateways(snap: &Snapshot, view: &mut TopologyView) {
    for g in &snap.gateways {
        let mut node = NodeView::new(&g.id, NodeKind::VirtualNetworkGateway, &g.name);
        if let Some(vnet) = g.vnet.as_ref().and_then(|l| l.resolved()) {
            let v = &snap.vnets[vnet.index()];
            let gateway_subnet = v.subnets.iter().map(|s| &snap.subnets[s.index()]).find(|s| s.is_gateway_subnet());
            node.parent = Some(gateway_subnet.map(|s| s.id.to_string()).unwrap_or_else(|| v.id.to_string()));
        }
        node.addresses = g.instance_ips.iter().map(|ip| ip.to_string()).collect();
        node.prefixes = g.vpn_client_address_pool.iter().map(|p| p.to_string()).collect();
        node.set("gatewayType", json!(g.gateway_type.as_str()));
        node.set("sku", json!(g.sku));
        node.set("activeActive", json!(g.active_active));
        node.set("enableBgp", json!(g.bgp_enabled));
        view.nodes.push(node);
    }
}

fn push_sites(snap: &Snapshot, view: &mut TopologyView) {
    for l in &snap.local_gateways {
        let mut node = NodeView::new(&l.id, NodeKind::LocalNetworkGateway, &l.name);
        node.prefixes = l.prefixes.iter().map(|p| p.to_string()).collect();
        node.set("gatewayIpAddress", json!(l.gateway_ip));
        if let Some(bgp) = l.bgp_peering_address {
            node.set("bgpPeeringAddress", json!(bgp.to_string()));
        }
        view.nodes.push(node);
    }
}

fn push_load_balancers(snap: &Snapshot, view: &mut TopologyView) {
    for lb in &snap.load_balancers {
        let mut node = NodeView::new(&lb.id, NodeKind::LoadBalancer, &lb.name);
        node.parent = lb
            .frontends
            .iter()
            .find_map(|f| f.subnet.as_ref().and_then(|l| l.resolved()))
            .map(|s| snap.subnets[s.index()].id.to_string());
        node.addresses = lb.frontends.iter().filter_map(|f| f.private_ip).map(|ip| ip.to_string()).collect();
        let backends: Vec<String> =
            lb.backend_nics.iter().filter_map(|l| l.resolved()).map(|n| snap.nics[n.index()].id.to_string()).collect();
        node.set("sku", json!(lb.sku));
        node.set("backendNetworkInterfaces", json!(backends));
        view.nodes.push(node);
    }
}

fn push_private_endpoints(snap: &Snapshot, view: &mut TopologyView) {
    for pe in &snap.private_endpoints {
        let mut node = NodeView::new(&pe.id, NodeKind::PrivateEndpoint, &pe.name);
        node.parent = pe.subnet.as_ref().and_then(|l| l.resolved()).map(|s| snap.subnets[s.index()].id.to_string());
        node.addresses = pe.ips.iter().map(|ip| ip.to_string()).collect();
        if !pe.group_ids.is_empty() {
            node.set("groupIds", json!(pe.group_ids));
        }
        view.nodes.push(node);
    }
}

/// A firewall sits in its `AzureFirewallSubnet`; a hub (`AZFW_Hub`) firewall has no subnet and
/// is drawn loose. Its private IP is the next hop user routes name.
fn push_firewalls(snap: &Snapshot, view: &mut TopologyView) {
    for fw in &snap.firewalls {
        let mut node = NodeView::new(&fw.id, NodeKind::AzureFirewall, &fw.name);
        node.parent = fw.subnet().map(|s| snap.subnets[s.index()].id.to_string());
        node.addresses = fw.private_ips().map(|ip| ip.to_string()).collect();
        node.set("sku", json!({"name": fw.sku.as_str(), "tier": fw.tier}));
        if let Some(link) = &fw.policy {
            node.set(
                "firewallPolicy",
                reference(link, |p| {
                    let p = &snap.firewall_policies[p.index()];
                    (p.id.to_string(), p.name.clone())
                }),
            );
        }
        if !fw.threat_intel_mode.is_empty() {
            node.set("threatIntelMode", json!(fw.threat_intel_mode));
        }
        node.set("managementIpConfiguration", json!(fw.management_ip_config.is_some()));
        view.nodes.push(node);
    }
}

/// The egress and platform services (§17): a NAT gateway in the first subnet it serves (every
/// one listed under `subnets`), with its public IPs; an Application Gateway, a Bastion host and a
/// DNS resolver inbound endpoint in their subnets, with the private addresses they answer on.
fn push_platform_services(snap: &Snapshot, view: &mut TopologyView) {
    let subnet_id = |s: &Link<SubnetIdx>| s.resolved().map(|s| snap.subnets[s.index()].id.to_string());
    let public_ip = |p: &Link<PublicIpIdx>| {
        reference(p, |i| {
            let p = &snap.public_ips[i.index()];
            (p.id.to_string(), p.name.clone())
        })
    };
    for (i, g) in snap.nat_gateways.iter().enumerate() {
        let mut node = NodeView::new(&g.id, NodeKind::NatGateway, &g.name);
        let me = NatGatewayIdx(i as u32);
        let served: Vec<&Subnet> =
            snap.subnets.iter().filter(|s| s.nat_gateway.as_ref().and_then(|l| l.resolved()) == Some(me)).collect();
        node.parent = served.first().map(|s| s.id.to_string());
        node.set("sku", json!({"name": g.sku}));
        node.set("subnets", json!(served.iter().map(|s| s.id.to_string()).collect::<Vec<_>>()));
        node.set("publicIpAddresses", Value::Array(g.public_ips.iter().map(public_ip).collect()));
        view.nodes.push(node);
    }
    for a in &snap.application_gateways {
        let mut node = NodeView::new(&a.id, NodeKind::ApplicationGateway, &a.name);
        node.parent = a.subnets.first().and_then(subnet_id);
        node.addresses = a.frontend_private_ips.iter().map(|ip| ip.to_string()).collect();
        node.set("sku", json!({"tier": a.tier}));
        view.nodes.push(node);
    }
    for b in &snap.bastion_hosts {
        let mut node = NodeView::new(&b.id, NodeKind::BastionHost, &b.name);
        node.parent = b.subnets.first().and_then(subnet_id);
        node.set("publicIpAddresses", Value::Array(b.public_ips.iter().map(public_ip).collect()));
        view.nodes.push(node);
    }
    for e in &snap.dns_inbound_endpoints {
        let mut node = NodeView::new(&e.id, NodeKind::DnsResolverInboundEndpoint, &e.name);
        node.parent = e.subnets.first().and_then(subnet_id);
        node.addresses = e.ips.iter().map(|ip| ip.to_string()).collect();
        view.nodes.push(node);
    }
}

/// A Route Server sits in its `RouteServerSubnet`, with its two instance addresses and its
/// peers (each with whether a learned-routes file told what it advertises).
fn push_route_servers(snap: &Snapshot, view: &mut TopologyView) {
    for hub in snap.virtual_hubs.iter().filter(|h| h.is_route_server()) {
        let mut node = NodeView::new(&hub.id, NodeKind::RouteServer, &hub.name);
        node.parent = hub.subnet.as_ref().and_then(|id| {
            snap.subnets.iter().find(|s| s.id.as_str().eq_ignore_ascii_case(id.as_str())).map(|s| s.id.to_string())
        });
        node.addresses = hub.virtual_router_ips.iter().map(|ip| ip.to_string()).collect();
        if let Some(asn) = hub.virtual_router_asn {
            node.set("virtualRouterAsn", json!(asn));
        }
        node.set("allowBranchToBranchTraffic", json!(hub.allow_branch_to_branch_traffic));
        node.set("hubRoutingPreference", json!(hub.hub_routing_preference.as_str()));
        let peers: Vec<Value> = hub
            .bgp_connections
            .iter()
            .map(|c| {
                json!({"id": c.id.to_string(), "name": c.name, "peerIp": c.peer_ip.map(|ip| ip.to_string()),
                    "peerAsn": c.peer_asn, "learnedRoutes": c.learned_routes_supplied.then_some(c.learned_routes.len())})
            })
            .collect();
        node.set("bgpConnections", json!(peers));
        view.nodes.push(node);
    }
}

/// NICs sit in the subnet of their primary IP configuration; a private endpoint's NIC is left
/// out (the endpoint stands for it).
fn push_nics(snap: &Snapshot, view: &mut TopologyView) {
    for n in snap.nics.iter().filter(|n| n.private_endpoint.is_none()) {
        let mut node = NodeView::new(&n.id, NodeKind::NetworkInterface, &n.name);
        node.parent = n
            .primary_ip_config()
            .and_then(|c| c.subnet.as_ref())
            .and_then(|l| l.resolved())
            .map(|s| snap.subnets[s.index()].id.to_string());
        node.addresses = n.ip_configs.iter().filter_map(|c| c.private_ip).map(|ip| ip.to_string()).collect();
        if let Some(vm) = n.vm.as_ref().and_then(|l| l.resolved()) {
            node.set("virtualMachine", json!(snap.vms[vm.index()].name));
        }
        node.set("enableIPForwarding", json!(n.ip_forwarding));
        if let Some(link) = &n.nsg {
            node.set("networkSecurityGroup", reference(link, |g| nsg_ref(snap, g)));
        }
        view.nodes.push(node);
    }
}

fn push_internet(view: &mut TopologyView) {
    view.nodes.push(NodeView {
        id: INTERNET.to_string(),
        kind: NodeKind::Internet,
        name: INTERNET.to_string(),
        parent: None,
        prefixes: Vec::new(),
        addresses: Vec::new(),
        properties: Map::new(),
    });
}

/// One edge per pair of VNets, with each direction's peering (`null` where that side has
/// none); a remote VNet the snapshot lacks becomes a `MissingResource` node.
fn push_peerings(snap: &Snapshot, topology: &Topology, view: &mut TopologyView) {
    let mut missing: Vec<String> = Vec::new();
    for (i, p) in snap.peerings.iter().enumerate() {
        let status = &topology.peerings[i];
        let reverse = status.reverse.map(|r| &snap.peerings[r.index()]);
        // A pair is drawn once, from the side with the lower index (or the only side).
        if status.reverse.is_some_and(|r| r.index() < i) {
            continue;
        }
        let target = match &p.remote_vnet {
            Link::Resolved(v) => snap.vnets[v.index()].id.to_string(),
            Link::Missing(id) => {
                if !missing.iter().any(|m| m.eq_ignore_ascii_case(id.as_str())) {
                    missing.push(id.to_string());
                }
                id.to_string()
            }
        };
        let mut properties = Map::new();
        properties.insert("global".into(), json!(status.global));
        properties.insert("connected".into(), json!(status.connected));
        properties.insert("sourceToTarget".into(), peering_side(p));
        properties.insert("targetToSource".into(), reverse.map(peering_side).unwrap_or(Value::Null));
        view.edges.push(EdgeView {
            id: p.id.to_string(),
            kind: EdgeKind::VirtualNetworkPeering,
            source: snap.vnets[p.vnet.index()].id.to_string(),
            target,
            properties,
        });
    }
    for id in missing.into_iter().map(ArmId::new) {
        let mut node = NodeView::new(&id, NodeKind::MissingResource, id.last_segment());
        node.set("type", json!("Microsoft.Network/virtualNetworks"));
        view.nodes.push(node);
    }
}

fn peering_side(p: &Peering) -> Value {
    json!({
        "id": p.id.to_string(),
        "name": p.name,
        "peeringState": p.state.as_str(),
        "allowVirtualNetworkAccess": p.allow_virtual_network_access,
        "allowForwardedTraffic": p.allow_forwarded_traffic,
        "allowGatewayTransit": p.allow_gateway_transit,
        "useRemoteGateways": p.use_remote_gateways,
    })
}

fn connection_type(c: &ConnectionType) -> &str {
    match c {
        ConnectionType::IPsec => "IPsec",
        ConnectionType::Vnet2Vnet => "Vnet2Vnet",
        ConnectionType::ExpressRoute => "ExpressRoute",
        ConnectionType::VPNClient => "VPNClient",
        ConnectionType::Other(text) => text,
    }
}

/// A connection from its gateway to a site or a second gateway; one whose ends are not both
/// exported is left out (doctor names it).
fn push_connections(snap: &Snapshot, view: &mut TopologyView) {
    for c in &snap.connections {
        let Some(source) = c.gateway1.as_ref().and_then(|l| l.resolved()) else { continue };
        let target = match (&c.local_gateway2, &c.gateway2) {
            (Some(Link::Resolved(l)), _) => snap.local_gateways[l.index()].id.to_string(),
            (_, Some(Link::Resolved(g))) => snap.gateways[g.index()].id.to_string(),
            _ => continue,
        };
        let mut properties = Map::new();
        properties.insert("name".into(), json!(c.name));
        properties.insert("connectionType".into(), json!(connection_type(&c.connection_type)));
        if !c.status.is_empty() {
            properties.insert("connectionStatus".into(), json!(c.status));
        }
        properties.insert("enableBgp".into(), json!(c.enable_bgp));
        view.edges.push(EdgeView {
            id: c.id.to_string(),
            kind: EdgeKind::Connection,
            source: snap.gateways[source.index()].id.to_string(),
            target,
            properties,
        });
    }
}

/// One edge per Route Server peer whose address is a NIC of the snapshot (the NVA); a peer
/// outside the snapshot is listed on the Route Server node only.
fn push_bgp_peerings(snap: &Snapshot, view: &mut TopologyView) {
    for hub in snap.virtual_hubs.iter().filter(|h| h.is_route_server()) {
        for c in &hub.bgp_connections {
            let Some(peer_ip) = c.peer_ip else { continue };
            let nic = snap.nics.iter().find(|n| n.ip_configs.iter().any(|ic| ic.private_ip == Some(peer_ip)));
            let Some(nic) = nic else { continue };
            let mut properties = Map::new();
            properties.insert("name".into(), json!(c.name));
            properties.insert("peerIp".into(), json!(peer_ip.to_string()));
            properties.insert("peerAsn".into(), json!(c.peer_asn));
            view.edges.push(EdgeView {
                id: c.id.to_string(),
                kind: EdgeKind::BgpPeering,
                source: hub.id.to_string(),
                target: nic.id.to_string(),
                properties,
            });
        }
    }
}

/// `GET /api/topology`'s body.
pub fn json(view: &TopologyView) -> String {
    serde_json::to_string(view).expect("views serialize")
}
