//! The snapshot: every resource of an exported estate, with id and name lookups.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use crate::id::{ArmId, id_hash, normalize_id_into, rg_relative_key};
use crate::*;

/// A file the snapshot was read from.
#[derive(Clone, Debug, Default)]
pub struct SourceFile {
    pub path: String,
}

/// The kinds of resources a snapshot holds, for lookups and messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceKind {
    VirtualNetwork,
    Subnet,
    Peering,
    RouteTable,
    NetworkInterface,
    VirtualMachine,
    VirtualNetworkGateway,
    LocalNetworkGateway,
    Connection,
    NetworkSecurityGroup,
    PrivateEndpoint,
    LoadBalancer,
    PublicIpAddress,
    AzureFirewall,
    FirewallPolicy,
    IpGroup,
    NatGateway,
    PublicIpPrefix,
    ApplicationGateway,
    BastionHost,
    DnsResolverInboundEndpoint,
    VirtualMachineScaleSet,
    VirtualHub,
    // Virtual WAN (§20.1).
    VirtualWan,
    HubVirtualNetworkConnection,
    HubRouteTable,
    RoutingIntent,
    VpnGateway,
    VpnSite,
    ExpressRouteGateway,
    NetworkVirtualAppliance,
    // Azure Virtual Network Manager (§18.1).
    NetworkGroup,
    NetworkGroupStaticMember,
    ConnectivityConfiguration,
    SecurityAdminConfiguration,
    AdminRuleCollection,
    AdminRule,
    RoutingConfiguration,
    RoutingRuleCollection,
    RoutingRule,
}

impl ResourceKind {
    /// Every kind, in declaration order.
    pub const ALL: [ResourceKind; 40] = [
        ResourceKind::VirtualNetwork,
        ResourceKind::Subnet,
        ResourceKind::Peering,
        ResourceKind::RouteTable,
        ResourceKind::NetworkInterface,
        ResourceKind::VirtualMachine,
        ResourceKind::VirtualNetworkGateway,
        ResourceKind::LocalNetworkGateway,
        ResourceKind::Connection,
        ResourceKind::NetworkSecurityGroup,
        ResourceKind::PrivateEndpoint,
        ResourceKind::LoadBalancer,
        ResourceKind::PublicIpAddress,
        ResourceKind::AzureFirewall,
        ResourceKind::FirewallPolicy,
        ResourceKind::IpGroup,
        ResourceKind::NatGateway,
        ResourceKind::PublicIpPrefix,
        ResourceKind::ApplicationGateway,
        ResourceKind::BastionHost,
        ResourceKind::DnsResolverInboundEndpoint,
        ResourceKind::VirtualMachineScaleSet,
        ResourceKind::VirtualHub,
        ResourceKind::VirtualWan,
        ResourceKind::HubVirtualNetworkConnection,
        ResourceKind::HubRouteTable,
        ResourceKind::RoutingIntent,
        ResourceKind::VpnGateway,
        ResourceKind::VpnSite,
        ResourceKind::ExpressRouteGateway,
        ResourceKind::NetworkVirtualAppliance,
        ResourceKind::NetworkGroup,
        ResourceKind::NetworkGroupStaticMember,
        ResourceKind::ConnectivityConfiguration,
        ResourceKind::SecurityAdminConfiguration,
        ResourceKind::AdminRuleCollection,
        ResourceKind::AdminRule,
        ResourceKind::RoutingConfiguration,
        ResourceKind::RoutingRuleCollection,
        ResourceKind::RoutingRule,
    ];

    /// The kind whose ARM type is `arm_type` (compared without case, as ARM and Resource Graph
    /// spell types differently).
    pub fn from_arm_type(arm_type: &str) -> Option<ResourceKind> {
        ResourceKind::ALL.into_iter().find(|k| k.arm_type().eq_ignore_ascii_case(arm_type))
    }

    /// The ARM resource type.
    pub fn arm_type(self) -> &'static str {
        match self {
            ResourceKind::VirtualNetwork => "Microsoft.Network/virtualNetworks",
            ResourceKind::Subnet => "Microsoft.Network/virtualNetworks/subnets",
            ResourceKind::Peering => "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
            ResourceKind::RouteTable => "Microsoft.Network/routeTables",
            ResourceKind::NetworkInterface => "Microsoft.Network/networkInterfaces",
            ResourceKind::VirtualMachine => "Microsoft.Compute/virtualMachines",
            ResourceKind::VirtualNetworkGateway => "Microsoft.Network/virtualNetworkGateways",
            ResourceKind::LocalNetworkGateway => "Microsoft.Network/localNetworkGateways",
            ResourceKind::Connection => "Microsoft.Network/connections",
            ResourceKind::NetworkSecurityGroup => "Microsoft.Network/networkSecurityGroups",
            ResourceKind::PrivateEndpoint => "Microsoft.Network/privateEndpoints",
            ResourceKind::LoadBalancer => "Microsoft.Network/loadBalancers",
            ResourceKind::PublicIpAddress => "Microsoft.Network/publicIPAddresses",
            ResourceKind::AzureFirewall => "Microsoft.Network/azureFirewalls",
            ResourceKind::FirewallPolicy => "Microsoft.Network/firewallPolicies",
            ResourceKind::IpGroup => "Microsoft.Network/ipGroups",
            ResourceKind::NatGateway => "Microsoft.Network/natGateways",
            ResourceKind::PublicIpPrefix => "Microsoft.Network/publicIPPrefixes",
            ResourceKind::ApplicationGateway => "Microsoft.Network/applicationGateways",
            ResourceKind::BastionHost => "Microsoft.Network/bastionHosts",
            ResourceKind::DnsResolverInboundEndpoint => "Microsoft.Network/dnsResolvers/inboundEndpoints",
            ResourceKind::VirtualMachineScaleSet => "Microsoft.Compute/virtualMachineScaleSets",
            ResourceKind::VirtualHub => "Microsoft.Network/virtualHubs",
            ResourceKind::VirtualWan => "Microsoft.Network/virtualWans",
            ResourceKind::HubVirtualNetworkConnection => "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections",
            ResourceKind::HubRouteTable => "Microsoft.Network/virtualHubs/hubRouteTables",
            ResourceKind::RoutingIntent => "Microsoft.Network/virtualHubs/routingIntent",
            ResourceKind::VpnGateway => "Microsoft.Network/vpnGateways",
            ResourceKind::VpnSite => "Microsoft.Network/vpnSites",
            ResourceKind::ExpressRouteGateway => "Microsoft.Network/expressRouteGateways",
            ResourceKind::NetworkVirtualAppliance => "Microsoft.Network/networkVirtualAppliances",
            ResourceKind::NetworkGroup => "Microsoft.Network/networkManagers/networkGroups",
            ResourceKind::NetworkGroupStaticMember => "Microsoft.Network/networkManagers/networkGroups/staticMembers",
            ResourceKind::ConnectivityConfiguration => "Microsoft.Network/networkManagers/connectivityConfigurations",
            ResourceKind::SecurityAdminConfiguration => "Microsoft.Network/networkManagers/securityAdminConfigurations",
            ResourceKind::AdminRuleCollection => {
                "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections"
            }
            ResourceKind::AdminRule => {
                "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules"
            }
            ResourceKind::RoutingConfiguration => "Microsoft.Network/networkManagers/routingConfigurations",
            ResourceKind::RoutingRuleCollection => {
                "Microsoft.Network/networkManagers/routingConfigurations/ruleCollections"
            }
            ResourceKind::RoutingRule => {
                "Microsoft.Network/networkManagers/routingConfigurations/ruleCollections/rules"
            }
        }
    }

    /// A short human name (`NIC`, `VM`, `subnet`).
    pub fn noun(self) -> &'static str {
        match self {
            ResourceKind::VirtualNetwork => "virtual network",
            ResourceKind::Subnet => "subnet",
            ResourceKind::Peering => "peering",
            ResourceKind::RouteTable => "route table",
            ResourceKind::NetworkInterface => "network interface",
            ResourceKind::VirtualMachine => "virtual machine",
            ResourceKind::VirtualNetworkGateway => "virtual network gateway",
            ResourceKind::LocalNetworkGateway => "local network gateway",
            ResourceKind::Connection => "connection",
            ResourceKind::NetworkSecurityGroup => "network security group",
            ResourceKind::PrivateEndpoint => "private endpoint",
            ResourceKind::LoadBalancer => "load balancer",
            ResourceKind::PublicIpAddress => "public IP address",
            ResourceKind::AzureFirewall => "Azure Firewall",
            ResourceKind::FirewallPolicy => "firewall policy",
            ResourceKind::IpGroup => "IP group",
            ResourceKind::NatGateway => "NAT gateway",
            ResourceKind::PublicIpPrefix => "public IP prefix",
            ResourceKind::ApplicationGateway => "application gateway",
            ResourceKind::BastionHost => "Bastion host",
            ResourceKind::DnsResolverInboundEndpoint => "DNS resolver inbound endpoint",
            ResourceKind::VirtualMachineScaleSet => "virtual machine scale set",
            ResourceKind::VirtualHub => "virtual hub",
            ResourceKind::VirtualWan => "virtual WAN",
            ResourceKind::HubVirtualNetworkConnection => "hub virtual network connection",
            ResourceKind::HubRouteTable => "hub route table",
            ResourceKind::RoutingIntent => "routing intent",
            ResourceKind::VpnGateway => "VPN gateway",
            ResourceKind::VpnSite => "VPN site",
            ResourceKind::ExpressRouteGateway => "ExpressRoute gateway",
            ResourceKind::NetworkVirtualAppliance => "network virtual appliance",
            ResourceKind::NetworkGroup => "network group",
            ResourceKind::NetworkGroupStaticMember => "network group static member",
            ResourceKind::ConnectivityConfiguration => "connectivity configuration",
            ResourceKind::SecurityAdminConfiguration => "security admin configuration",
            ResourceKind::AdminRuleCollection => "admin rule collection",
            ResourceKind::AdminRule => "security admin rule",
            ResourceKind::RoutingConfiguration => "routing configuration",
            ResourceKind::RoutingRuleCollection => "routing rule collection",
            ResourceKind::RoutingRule => "routing rule",
        }
    }
}

/// Every resource of an exported estate, linked by typed indices.
///
/// Vectors are sorted by normalised id when ingest builds the snapshot, so indices (and every
/// answer derived from them) do not depend on the order of input files or resources.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub files: Vec<SourceFile>,
    pub vnets: Vec<Vnet>,
    pub subnets: Vec<Subnet>,
    pub peerings: Vec<Peering>,
    pub route_tables: Vec<RouteTable>,
    pub nics: Vec<Nic>,
    pub vms: Vec<Vm>,
    pub gateways: Vec<VnetGateway>,
    pub local_gateways: Vec<LocalNetworkGateway>,
    pub connections: Vec<Connection>,
    pub nsgs: Vec<Nsg>,
    pub private_endpoints: Vec<PrivateEndpoint>,
    pub load_balancers: Vec<LoadBalancer>,
    pub public_ips: Vec<PublicIp>,
    pub firewalls: Vec<Firewall>,
    /// Firewall policies, each with its rule collection groups nested.
    pub firewall_policies: Vec<FirewallPolicy>,
    pub ip_groups: Vec<IpGroup>,
    pub nat_gateways: Vec<NatGateway>,
    pub public_ip_prefixes: Vec<PublicIpPrefix>,
    pub application_gateways: Vec<ApplicationGateway>,
    pub bastion_hosts: Vec<BastionHost>,
    pub dns_inbound_endpoints: Vec<DnsResolverInboundEndpoint>,
    pub scale_sets: Vec<ScaleSet>,
    /// Azure Virtual Network Manager resources (§18).
    pub avnm: Avnm,
    /// Virtual hubs (Route Servers), each with its BGP connections nested.
    pub virtual_hubs: Vec<VirtualHub>,
    /// Virtual WAN resources other than the hubs (§20.1).
    pub vwan: Vwan,
    pub service_tags: Option<ServiceTags>,
    /// Id hash → resources: no key strings are kept; a hit is confirmed against the
    /// resource's own id, so a hash collision can never link the wrong resource.
    index: HashMap<u64, IndexEntry, BuildHasherDefault<PassThrough>>,
    /// The resources of the index's entries that name more than one (see [`IndexEntry`]).
    index_shared: Vec<Vec<(ResourceKind, u32)>>,
    /// `resourceGroups/…`-relative lookups, built on first use (only ids that do not
    /// resolve exactly need it).
    relative_index: OnceLock<RelativeIndex>,
}

/// Hash of the `resourceGroups/…` part of an id → resources.
type RelativeIndex = HashMap<u64, Vec<(ResourceKind, u32)>, BuildHasherDefault<PassThrough>>;

/// The resources whose normalised ids share one hash (almost always exactly one), packed in
/// one word so that an entry of the index is 16 bytes (8.4 MB of index at 100k NICs was 4 MB
/// of it): one resource as its kind and index, or (the top bit set) the position of the list
/// in [`Snapshot::index_shared`].
#[derive(Clone, Copy, Debug)]
struct IndexEntry(u64);

const SHARED_ENTRY: u64 = 1 << 63;

impl IndexEntry {
    fn one(kind: ResourceKind, idx: u32) -> IndexEntry {
        IndexEntry((u64::from(kind as u8) << 32) | u64::from(idx))
    }

    /// The one resource of `kind`, or where the list is.
    fn get(self) -> Result<(u8, u32), usize> {
        if self.0 & SHARED_ENTRY != 0 {
            Err((self.0 & !SHARED_ENTRY) as usize)
        } else {
            Ok(((self.0 >> 32) as u8, self.0 as u32))
        }
    }
}

/// The index's keys are already hashes.
#[derive(Clone, Copy, Debug, Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8)) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

thread_local! {
    /// Scratch buffers for normalising ids during lookups without allocating.
    static KEY_BUFFERS: RefCell<(String, String)> = const { RefCell::new((String::new(), String::new())) };
}

impl Snapshot {
    /// Whether the snapshot holds any Azure network resource (what every question needs).
    pub fn has_network_resources(&self) -> bool {
        !(self.vnets.is_empty()
            && self.route_tables.is_empty()
            && self.nics.is_empty()
            && self.vms.is_empty()
            && self.gateways.is_empty()
            && self.local_gateways.is_empty()
            && self.connections.is_empty()
            && self.nsgs.is_empty()
            && self.private_endpoints.is_empty()
            && self.load_balancers.is_empty()
            && self.public_ips.is_empty()
            && self.firewalls.is_empty()
            && self.firewall_policies.is_empty()
            && self.ip_groups.is_empty()
            && self.nat_gateways.is_empty()
            && self.public_ip_prefixes.is_empty()
            && self.application_gateways.is_empty()
            && self.bastion_hosts.is_empty()
            && self.dns_inbound_endpoints.is_empty()
            && self.scale_sets.is_empty()
            && self.virtual_hubs.is_empty()
            && self.vwan.is_empty())
    }

    /// Every resource with an id, as (kind, index, id).
    fn each_id(&self, mut f: impl FnMut(ResourceKind, u32, &ArmId)) {
        macro_rules! each {
            ($vec:expr, $kind:expr) => {
                for (i, r) in $vec.iter().enumerate() {
                    f($kind, i as u32, &r.id);
                }
            };
        }
        each!(self.vnets, ResourceKind::VirtualNetwork);
        each!(self.subnets, ResourceKind::Subnet);
        each!(self.peerings, ResourceKind::Peering);
        each!(self.route_tables, ResourceKind::RouteTable);
        each!(self.nics, ResourceKind::NetworkInterface);
        each!(self.vms, ResourceKind::VirtualMachine);
        each!(self.gateways, ResourceKind::VirtualNetworkGateway);
        each!(self.local_gateways, ResourceKind::LocalNetworkGateway);
        each!(self.connections, ResourceKind::Connection);
        each!(self.nsgs, ResourceKind::NetworkSecurityGroup);
        each!(self.private_endpoints, ResourceKind::PrivateEndpoint);
        each!(self.load_balancers, ResourceKind::LoadBalancer);
        each!(self.public_ips, ResourceKind::PublicIpAddress);
        each!(self.firewalls, ResourceKind::AzureFirewall);
        each!(self.firewall_policies, ResourceKind::FirewallPolicy);
        each!(self.ip_groups, ResourceKind::IpGroup);
        each!(self.nat_gateways, ResourceKind::NatGateway);
        each!(self.public_ip_prefixes, ResourceKind::PublicIpPrefix);
        each!(self.application_gateways, ResourceKind::ApplicationGateway);
        each!(self.bastion_hosts, ResourceKind::BastionHost);
        each!(self.dns_inbound_endpoints, ResourceKind::DnsResolverInboundEndpoint);
        each!(self.scale_sets, ResourceKind::VirtualMachineScaleSet);
        each!(self.virtual_hubs, ResourceKind::VirtualHub);
        each!(self.vwan.virtual_wans, ResourceKind::VirtualWan);
        each!(self.vwan.hub_connections, ResourceKind::HubVirtualNetworkConnection);
        each!(self.vwan.hub_route_tables, ResourceKind::HubRouteTable);
        each!(self.vwan.routing_intents, ResourceKind::RoutingIntent);
        each!(self.vwan.vpn_gateways, ResourceKind::VpnGateway);
        each!(self.vwan.vpn_sites, ResourceKind::VpnSite);
        each!(self.vwan.express_route_gateways, ResourceKind::ExpressRouteGateway);
        each!(self.vwan.network_virtual_appliances, ResourceKind::NetworkVirtualAppliance);
        each!(self.avnm.network_groups, ResourceKind::NetworkGroup);
        each!(self.avnm.static_members, ResourceKind::NetworkGroupStaticMember);
        each!(self.avnm.connectivity_configurations, ResourceKind::ConnectivityConfiguration);
        each!(self.avnm.security_admin_configurations, ResourceKind::SecurityAdminConfiguration);
        each!(self.avnm.admin_rule_collections, ResourceKind::AdminRuleCollection);
        each!(self.avnm.admin_rules, ResourceKind::AdminRule);
        each!(self.avnm.routing_configurations, ResourceKind::RoutingConfiguration);
        each!(self.avnm.routing_rule_collections, ResourceKind::RoutingRuleCollection);
        each!(self.avnm.routing_rules, ResourceKind::RoutingRule);
    }

    /// The id of a resource.
    fn id_of(&self, kind: ResourceKind, idx: u32) -> Option<&ArmId> {
        let i = idx as usize;
        match kind {
            ResourceKind::VirtualNetwork => self.vnets.get(i).map(|r| &r.id),
            ResourceKind::Subnet => self.subnets.get(i).map(|r| &r.id),
            ResourceKind::Peering => self.peerings.get(i).map(|r| &r.id),
            ResourceKind::RouteTable => self.route_tables.get(i).map(|r| &r.id),
            ResourceKind::NetworkInterface => self.nics.get(i).map(|r| &r.id),
            ResourceKind::VirtualMachine => self.vms.get(i).map(|r| &r.id),
            ResourceKind::VirtualNetworkGateway => self.gateways.get(i).map(|r| &r.id),
            ResourceKind::LocalNetworkGateway => self.local_gateways.get(i).map(|r| &r.id),
            ResourceKind::Connection => self.connections.get(i).map(|r| &r.id),
            ResourceKind::NetworkSecurityGroup => self.nsgs.get(i).map(|r| &r.id),
            ResourceKind::PrivateEndpoint => self.private_endpoints.get(i).map(|r| &r.id),
            ResourceKind::LoadBalancer => self.load_balancers.get(i).map(|r| &r.id),
            ResourceKind::PublicIpAddress => self.public_ips.get(i).map(|r| &r.id),
            ResourceKind::AzureFirewall => self.firewalls.get(i).map(|r| &r.id),
            ResourceKind::FirewallPolicy => self.firewall_policies.get(i).map(|r| &r.id),
            ResourceKind::IpGroup => self.ip_groups.get(i).map(|r| &r.id),
            ResourceKind::NatGateway => self.nat_gateways.get(i).map(|r| &r.id),
            ResourceKind::PublicIpPrefix => self.public_ip_prefixes.get(i).map(|r| &r.id),
            ResourceKind::ApplicationGateway => self.application_gateways.get(i).map(|r| &r.id),
            ResourceKind::BastionHost => self.bastion_hosts.get(i).map(|r| &r.id),
            ResourceKind::DnsResolverInboundEndpoint => self.dns_inbound_endpoints.get(i).map(|r| &r.id),
            ResourceKind::VirtualMachineScaleSet => self.scale_sets.get(i).map(|r| &r.id),
            ResourceKind::VirtualHub => self.virtual_hubs.get(i).map(|r| &r.id),
            ResourceKind::VirtualWan => self.vwan.virtual_wans.get(i).map(|r| &r.id),
            ResourceKind::HubVirtualNetworkConnection => self.vwan.hub_connections.get(i).map(|r| &r.id),
            ResourceKind::HubRouteTable => self.vwan.hub_route_tables.get(i).map(|r| &r.id),
            ResourceKind::RoutingIntent => self.vwan.routing_intents.get(i).map(|r| &r.id),
            ResourceKind::VpnGateway => self.vwan.vpn_gateways.get(i).map(|r| &r.id),
            ResourceKind::VpnSite => self.vwan.vpn_sites.get(i).map(|r| &r.id),
            ResourceKind::ExpressRouteGateway => self.vwan.express_route_gateways.get(i).map(|r| &r.id),
            ResourceKind::NetworkVirtualAppliance => self.vwan.network_virtual_appliances.get(i).map(|r| &r.id),
            ResourceKind::NetworkGroup => self.avnm.network_groups.get(i).map(|r| &r.id),
            ResourceKind::NetworkGroupStaticMember => self.avnm.static_members.get(i).map(|r| &r.id),
            ResourceKind::ConnectivityConfiguration => self.avnm.connectivity_configurations.get(i).map(|r| &r.id),
            ResourceKind::SecurityAdminConfiguration => self.avnm.security_admin_configurations.get(i).map(|r| &r.id),
            ResourceKind::AdminRuleCollection => self.avnm.admin_rule_collections.get(i).map(|r| &r.id),
            ResourceKind::AdminRule => self.avnm.admin_rules.get(i).map(|r| &r.id),
            ResourceKind::RoutingConfiguration => self.avnm.routing_configurations.get(i).map(|r| &r.id),
            ResourceKind::RoutingRuleCollection => self.avnm.routing_rule_collections.get(i).map(|r| &r.id),
            ResourceKind::RoutingRule => self.avnm.routing_rules.get(i).map(|r| &r.id),
        }
    }

    /// Rebuilds the id index; call after adding or reordering resources.
    pub fn rebuild_index(&mut self) {
        let mut count = 0;
        self.each_id(|_, _, _| count += 1);
        // Sized once: no rehash while growing, no doubled capacity left over.
        let mut index: HashMap<u64, IndexEntry, BuildHasherDefault<PassThrough>> =
            HashMap::with_capacity_and_hasher(count, BuildHasherDefault::default());
        let mut shared: Vec<Vec<(ResourceKind, u32)>> = Vec::new();
        // The kind of each packed entry's one resource, by its code, to move it into a list.
        let mut kinds: HashMap<u8, ResourceKind> = HashMap::new();
        let mut key = String::new();
        self.each_id(|kind, idx, id| {
            kinds.entry(kind as u8).or_insert(kind);
            normalize_id_into(id.as_str(), &mut key);
            match index.entry(id_hash(&key)) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(IndexEntry::one(kind, idx));
                }
                std::collections::hash_map::Entry::Occupied(mut o) => match o.get().get() {
                    Ok((code, i)) => {
                        shared.push(vec![(kinds[&code], i), (kind, idx)]);
                        *o.get_mut() = IndexEntry(SHARED_ENTRY | (shared.len() - 1) as u64);
                    }
                    Err(at) => shared[at].push((kind, idx)),
                },
            }
        });
        self.index = index;
        self.index_shared = shared;
        self.relative_index = OnceLock::new();
    }

    fn relative(&self) -> &RelativeIndex {
        self.relative_index.get_or_init(|| {
            let mut rel = RelativeIndex::default();
            let mut key = String::new();
            self.each_id(|kind, idx, id| {
                normalize_id_into(id.as_str(), &mut key);
                if let Some(r) = rg_relative_key(&key) {
                    rel.entry(id_hash(r)).or_default().push((kind, idx));
                }
            });
            rel
        })
    }

    /// Resolves an id (full, or relative from `resourceGroups/`) to a resource of `kind`.
    pub fn resolve_id(&self, kind: ResourceKind, id: &str) -> Option<u32> {
        KEY_BUFFERS.with(|buffers| {
            let (key, other) = &mut *buffers.borrow_mut();
            normalize_id_into(id, key);
            let same = |other: &mut String, k: ResourceKind, i: u32, relative: bool| {
                self.id_of(k, i).is_some_and(|stored| {
                    if !relative && stored.as_str() == id {
                        return true;
                    }
                    normalize_id_into(stored.as_str(), other);
                    if relative { rg_relative_key(other) == rg_relative_key(key) } else { other == key }
                })
            };
            let exact = match self.index.get(&id_hash(key)).map(|e| e.get()) {
                Some(Ok((code, i))) => (code == kind as u8 && same(other, kind, i, false)).then_some(i),
                Some(Err(at)) => self.index_shared[at]
                    .iter()
                    .find(|(k, i)| *k == kind && same(other, *k, *i, false))
                    .map(|(_, i)| *i),
                None => None,
            };
            if exact.is_some() {
                return exact;
            }
            let rel = rg_relative_key(key)?;
            let hits: Vec<u32> = self
                .relative()
                .get(&id_hash(rel))
                .map(|v| v.iter().filter(|(k, i)| *k == kind && same(other, *k, *i, true)).map(|(_, i)| *i).collect())
                .unwrap_or_default();
            (hits.len() == 1).then(|| hits[0])
        })
    }

    /// A display label for a subnet: `vnet/subnet`.
    pub fn subnet_label(&self, subnet: SubnetIdx) -> String {
        let s = &self.subnets[subnet.index()];
        format!("{}/{}", self.vnets[s.vnet.index()].name, s.name)
    }

    /// The path of the file a resource came from, for messages.
    pub fn file_of(&self, origin: &Origin) -> &str {
        self.files.get(origin.file as usize).map(|f| f.path.as_str()).unwrap_or("<built-in>")
    }

    /// The kind of the resource with this id, when the snapshot holds it.
    pub fn kind_of(&self, id: &str) -> Option<ResourceKind> {
        ResourceKind::ALL.into_iter().find(|k| self.resolve_id(*k, id).is_some())
    }

    /// Where the resource with this id was read (any kind), for pointing tools at the input.
    pub fn origin_of(&self, id: &str) -> Option<&Origin> {
        let (kind, idx) = ResourceKind::ALL.iter().find_map(|k| self.resolve_id(*k, id).map(|i| (*k, i)))?;
        let i = idx as usize;
        Some(match kind {
            ResourceKind::VirtualNetwork => &self.vnets[i].origin,
            ResourceKind::Subnet => &self.subnets[i].origin,
            ResourceKind::Peering => &self.peerings[i].origin,
            ResourceKind::RouteTable => &self.route_tables[i].origin,
            ResourceKind::NetworkInterface => &self.nics[i].origin,
            ResourceKind::VirtualMachine => &self.vms[i].origin,
            ResourceKind::VirtualNetworkGateway => &self.gateways[i].origin,
            ResourceKind::LocalNetworkGateway => &self.local_gateways[i].origin,
            ResourceKind::Connection => &self.connections[i].origin,
            ResourceKind::NetworkSecurityGroup => &self.nsgs[i].origin,
            ResourceKind::PrivateEndpoint => &self.private_endpoints[i].origin,
            ResourceKind::LoadBalancer => &self.load_balancers[i].origin,
            ResourceKind::PublicIpAddress => &self.public_ips[i].origin,
            ResourceKind::AzureFirewall => &self.firewalls[i].origin,
            ResourceKind::FirewallPolicy => &self.firewall_policies[i].origin,
            ResourceKind::IpGroup => &self.ip_groups[i].origin,
            ResourceKind::NatGateway => &self.nat_gateways[i].origin,
            ResourceKind::PublicIpPrefix => &self.public_ip_prefixes[i].origin,
            ResourceKind::ApplicationGateway => &self.application_gateways[i].origin,
            ResourceKind::BastionHost => &self.bastion_hosts[i].origin,
            ResourceKind::DnsResolverInboundEndpoint => &self.dns_inbound_endpoints[i].origin,
            ResourceKind::VirtualMachineScaleSet => &self.scale_sets[i].origin,
            ResourceKind::VirtualHub => &self.virtual_hubs[i].origin,
            ResourceKind::VirtualWan => &self.vwan.virtual_wans[i].origin,
            ResourceKind::HubVirtualNetworkConnection => &self.vwan.hub_connections[i].origin,
            ResourceKind::HubRouteTable => &self.vwan.hub_route_tables[i].origin,
            ResourceKind::RoutingIntent => &self.vwan.routing_intents[i].origin,
            ResourceKind::VpnGateway => &self.vwan.vpn_gateways[i].origin,
            ResourceKind::VpnSite => &self.vwan.vpn_sites[i].origin,
            ResourceKind::ExpressRouteGateway => &self.vwan.express_route_gateways[i].origin,
            ResourceKind::NetworkVirtualAppliance => &self.vwan.network_virtual_appliances[i].origin,
            ResourceKind::NetworkGroup => &self.avnm.network_groups[i].origin,
            ResourceKind::NetworkGroupStaticMember => &self.avnm.static_members[i].origin,
            ResourceKind::ConnectivityConfiguration => &self.avnm.connectivity_configurations[i].origin,
            ResourceKind::SecurityAdminConfiguration => &self.avnm.security_admin_configurations[i].origin,
            ResourceKind::AdminRuleCollection => &self.avnm.admin_rule_collections[i].origin,
            ResourceKind::AdminRule => &self.avnm.admin_rules[i].origin,
            ResourceKind::RoutingConfiguration => &self.avnm.routing_configurations[i].origin,
            ResourceKind::RoutingRuleCollection => &self.avnm.routing_rule_collections[i].origin,
            ResourceKind::RoutingRule => &self.avnm.routing_rules[i].origin,
        })
    }

    /// The subnet a NIC's primary IP configuration sits in.
    pub fn nic_subnet(&self, nic: NicIdx) -> Option<&Link<SubnetIdx>> {
        self.nics[nic.index()].primary_ip_config().and_then(|c| c.subnet.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vnet(id: &str) -> Vnet {
        Vnet {
            id: ArmId::new(id),
            name: String::new(),
            location: String::new(),
            address_space: Vec::new(),
            dns_servers: Vec::new(),
            subnets: Vec::new(),
            peerings: Vec::new(),
            origin: Origin::default(),
        }
    }

    fn table(id: &str) -> RouteTable {
        RouteTable {
            id: ArmId::new(id),
            name: String::new(),
            location: String::new(),
            disable_bgp_route_propagation: false,
            disable_peering_routes: false,
            routes: Vec::new(),
            origin: Origin::default(),
        }
    }

    /// Resources of different kinds whose ids normalise alike share one packed index entry;
    /// each is still found by its kind, in any case, and a kind none of them has is not.
    #[test]
    fn resources_sharing_an_index_entry_are_told_apart_by_kind() {
        let mut snap = Snapshot {
            vnets: vec![vnet("/x/a"), vnet("/X/B"), vnet("/x/c")],
            route_tables: vec![table("/x/b"), table("/x/d")],
            ..Snapshot::default()
        };
        snap.rebuild_index();
        assert_eq!(snap.resolve_id(ResourceKind::VirtualNetwork, "/x/b"), Some(1));
        assert_eq!(snap.resolve_id(ResourceKind::RouteTable, "/x/B"), Some(0));
        assert_eq!(snap.resolve_id(ResourceKind::RouteTable, "/x/d"), Some(1));
        assert_eq!(snap.resolve_id(ResourceKind::VirtualNetwork, "/x/c/"), Some(2));
        assert_eq!(snap.resolve_id(ResourceKind::NetworkInterface, "/x/b"), None);
        assert_eq!(snap.resolve_id(ResourceKind::RouteTable, "/x/a"), None);
        snap.route_tables.push(table("/x/B"));
        snap.rebuild_index();
        assert_eq!(snap.resolve_id(ResourceKind::RouteTable, "/x/b"), Some(0));
        assert_eq!(snap.resolve_id(ResourceKind::VirtualNetwork, "/x/b"), Some(1));
    }
}
