//! The accumulator of what one file (or many, merged) held before linking: [`Pending`], declared
//! from one list of its fields so that merging, absorbing and overlaying handle every kind.

use std::collections::BTreeMap;

use azroute_model::*;

use crate::diag::Diagnostic;

/// A child resource (subnet, peering, route, rule) whose parent is named by id.
#[derive(Clone, Debug)]
pub(crate) struct Child<T> {
    pub key: String,
    pub parent: String,
    pub item: T,
}

/// A learned-routes wrapper file: the routes of one gateway.
#[derive(Clone, Debug)]
pub(crate) struct PendingLearned {
    pub gateway_id: String,
    pub routes: Vec<LearnedRoute>,
    pub origin: Origin,
}

/// What a Terraform association resource links.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AssociationKind {
    SubnetRouteTable,
    SubnetNsg,
    NicNsg,
    /// `azurerm_subnet_nat_gateway_association` (§17.1).
    SubnetNatGateway,
}

/// A Terraform association resource (`azurerm_subnet_route_table_association`, …) to apply to a
/// subnet or NIC read elsewhere.
#[derive(Clone, Debug)]
pub(crate) struct PendingAssociation {
    pub kind: AssociationKind,
    /// Normalised id of the subnet or NIC.
    pub target: String,
    /// The route table or NSG; `None` when a plan deletes the association.
    pub value: Option<ArmId>,
    /// The Terraform address, for messages.
    pub address: String,
    pub origin: Origin,
}

/// A peering read from Terraform without its reverse peering in the same input.
#[derive(Clone, Debug)]
pub(crate) struct UnpairedPeering {
    pub key: String,
    pub address: String,
    pub origin: Origin,
}

/// A resource kind's item in [`Pending`]: its normalised id and, for a child read apart from its
/// parent, the parent's. What overlaying and child handling need, for every kind alike.
pub(crate) trait PendingItem {
    /// The normalised id.
    fn key(&self) -> std::borrow::Cow<'_, str>;
    /// The normalised id of the parent, for children read apart from it.
    fn parent_key(&self) -> Option<&str> {
        None
    }
}

impl<T: HasOrigin> PendingItem for T {
    fn key(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Owned(normalize_id(self.id_str()))
    }
}

impl<T> PendingItem for Child<T> {
    fn key(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(&self.key)
    }
    fn parent_key(&self) -> Option<&str> {
        Some(&self.parent)
    }
}

/// Something done to each resource kind of two [`Pending`]s side by side (see
/// [`Pending::zip_resource_kinds`]).
pub(crate) trait KindVisitor {
    fn visit<T: PendingItem>(&mut self, mine: &mut Vec<T>, theirs: &mut Vec<T>);
}

/// Declares [`Pending`] from one list of its fields, and every operation that must handle each
/// of them (merge, absorb, emptiness, shrinking, visiting resource kinds): a field added to the
/// list is handled everywhere, and none can be forgotten.
macro_rules! pending {
    (
        resources { $($(#[$rmeta:meta])* $res:ident: $rty:ty,)* }
        records { $($(#[$cmeta:meta])* $rec:ident: $recty:ty,)* }
    ) => {
        /// Everything read from one file, before linking.
        #[derive(Debug, Default)]
        pub(crate) struct Pending {
            pub file: u32,
            pub file_path: String,
            $($(#[$rmeta])* pub $res: Vec<$rty>,)*
            $($(#[$cmeta])* pub $rec: Vec<$recty>,)*
            /// Resources of types azroute does not model, by lower-cased type.
            pub skipped_types: BTreeMap<String, usize>,
            /// Objects with no resource type (effective-route entries, API results, …).
            pub untyped_objects: usize,
            pub resources_read: usize,
        }

        impl Pending {
            /// Whether nothing has been read into this yet.
            pub fn is_empty(&self) -> bool {
                $(self.$res.is_empty() &&)*
                $(self.$rec.is_empty() &&)*
                self.skipped_types.is_empty() && self.untyped_objects == 0 && self.resources_read == 0
            }

            /// Returns the spare capacity of the vectors (a file's vectors grow by doubling;
            /// they are kept until every file is read).
            pub fn shrink_to_fit(&mut self) {
                $(self.$res.shrink_to_fit();)*
                $(self.$rec.shrink_to_fit();)*
            }

            /// Merges every file's results, one kind at a time: each kind's vectors are freed as
            /// soon as they are moved, so the estate is never held twice.
            pub fn merge(mut parts: Vec<Pending>) -> Pending {
                let mut all = Pending::default();
                $(
                    all.$res.reserve_exact(parts.iter().map(|p| p.$res.len()).sum());
                    for p in parts.iter_mut() {
                        all.$res.append(&mut p.$res);
                        p.$res = Vec::new();
                    }
                )*
                $(
                    all.$rec.reserve_exact(parts.iter().map(|p| p.$rec.len()).sum());
                    for p in parts.iter_mut() {
                        all.$rec.append(&mut p.$rec);
                        p.$rec = Vec::new();
                    }
                )*
                for p in parts {
                    all.absorb_counts(p.skipped_types, p.untyped_objects, p.resources_read);
                }
                all
            }

            /// Appends everything read from another file.
            pub fn absorb(&mut self, other: Pending) {
                $(self.$res.extend(other.$res);)*
                $(self.$rec.extend(other.$rec);)*
                self.absorb_counts(other.skipped_types, other.untyped_objects, other.resources_read);
            }

            /// Hands each resource kind of this and `other` to `visitor`, side by side.
            pub fn zip_resource_kinds(&mut self, other: &mut Pending, visitor: &mut impl KindVisitor) {
                $(visitor.visit(&mut self.$res, &mut other.$res);)*
            }
        }
    };
}

pending! {
    resources {
        vnets: Vnet,
        subnets: Child<Subnet>,
        peerings: Child<Peering>,
        route_tables: RouteTable,
        routes: Child<Route>,
        nics: Nic,
        vms: Vm,
        gateways: VnetGateway,
        local_gateways: LocalNetworkGateway,
        connections: Connection,
        nsgs: Nsg,
        rules: Child<SecurityRule>,
        private_endpoints: PrivateEndpoint,
        load_balancers: LoadBalancer,
        public_ips: PublicIp,
        firewalls: Firewall,
        firewall_policies: FirewallPolicy,
        rule_collection_groups: Child<RuleCollectionGroup>,
        ip_groups: IpGroup,
        nat_gateways: NatGateway,
        public_ip_prefixes: PublicIpPrefix,
        application_gateways: ApplicationGateway,
        bastion_hosts: BastionHost,
        dns_inbound_endpoints: DnsResolverInboundEndpoint,
        scale_sets: ScaleSet,
        network_groups: NetworkGroup,
        static_members: NetworkGroupMember,
        connectivity_configurations: ConnectivityConfiguration,
        security_admin_configurations: SecurityAdminConfiguration,
        admin_rule_collections: AdminRuleCollection,
        admin_rules: AdminRule,
        routing_configurations: RoutingConfiguration,
        routing_rule_collections: RoutingRuleCollection,
        routing_rules: RoutingRule,
        avnm_deployments: AvnmDeployment,
        effective_connectivity: VnetEffectiveConnectivity,
        effective_admin_rules: VnetEffectiveAdminRules,
        virtual_hubs: VirtualHub,
        bgp_connections: Child<BgpConnection>,
        virtual_wans: VirtualWan,
        hub_connections: HubVnetConnection,
        hub_route_tables: HubRouteTable,
        routing_intents: RoutingIntent,
        vpn_gateways: VpnGateway,
        vpn_sites: VpnSite,
        express_route_gateways: ExpressRouteGateway,
        network_virtual_appliances: NetworkVirtualAppliance,
    }
    records {
        /// AVNM configurations and admin rules as a per-VNet effective answer or an active
        /// (deployed) list shows them: used when the snapshot lacks the configuration's own
        /// export (§18.6).
        avnm_connectivity_copies: ConnectivityConfiguration,
        avnm_admin_rule_copies: AdminRule,
        service_tags: (ServiceTags, Origin),
        learned: PendingLearned,
        /// Route Server learned-routes wrappers, for BGP connections of hubs.
        hub_learned: crate::arm_hub::PendingHubLearned,
        /// `virtualHubs/ipConfigurations` read apart from their hub.
        hub_subnets: crate::arm_hub::PendingHubSubnet,
        /// Hub effective-routes wrappers (`{"virtualHubId", "resourceId", "effectiveRoutes"}`).
        observed_hub_routes: ObservedHubRoutes,
        /// Subnet key → keys of the NICs its `ipConfigurations` back-references name.
        subnet_nic_refs: (String, Vec<String>),
        /// Normalised ids of resources a Terraform plan deletes (actions `["delete"]`, and the
        /// old id of a replacement that changes it), for overlaying a plan on a live snapshot.
        deleted: String,
        /// Normalised ids of resources a Terraform plan leaves unchanged (`no-op`): laid over a
        /// live snapshot, the live copy stays.
        unchanged: String,
        /// Terraform associations whose subnet or NIC was not in the same Terraform input;
        /// `link/` applies them to that resource wherever it was read.
        associations: PendingAssociation,
        /// Terraform peerings whose reverse peering was not in the same Terraform input (so
        /// they were lowered as `Initiated`); `link/` marks them `Connected` when the reverse
        /// peering is anywhere in the snapshot.
        unpaired_peerings: UnpairedPeering,
        diagnostics: Diagnostic,
    }
}

impl Pending {
    pub fn new(file: u32, file_path: &str) -> Pending {
        Pending { file, file_path: file_path.to_string(), ..Pending::default() }
    }

    pub(crate) fn origin(&self, path: &str) -> Origin {
        Origin { file: self.file, json_path: path.into() }
    }

    pub(crate) fn diag(&mut self, d: Diagnostic) {
        let d = d.in_file(self.file_path.clone());
        self.diagnostics.push(d);
    }

    fn absorb_counts(&mut self, skipped_types: BTreeMap<String, usize>, untyped_objects: usize, resources_read: usize) {
        for (ty, n) in skipped_types {
            *self.skipped_types.entry(ty).or_default() += n;
        }
        self.untyped_objects += untyped_objects;
        self.resources_read += resources_read;
    }
}
