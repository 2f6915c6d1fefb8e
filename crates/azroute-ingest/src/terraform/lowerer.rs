//! The lowerer: instances decoded by type, then lowered in dependency order (parents, children,
//! computed back-references, associations) into pending resources.

use super::*;

impl<'p, 't> Lowerer<'p, 't> {
    pub(super) fn new(
        pending: &'p mut Pending,
        file_text: &'t str,
        mut insts: Vec<Instance<'t>>,
        data_insts: Vec<Instance<'t>>,
        configuration: Option<Value>,
        is_plan: bool,
    ) -> Lowerer<'p, 't> {
        let managed = insts.len();
        insts.extend(data_insts);
        let mut by_instance = HashMap::new();
        let mut by_resource: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, inst) in insts.iter().enumerate() {
            by_instance.insert(inst.addr.instance_key(), i);
            by_resource.entry(inst.addr.resource_key()).or_default().push(i);
        }
        let mut lowerer = Lowerer {
            pending,
            file_text,
            attrs: Vec::with_capacity(insts.len()),
            ids: vec![None; insts.len()],
            insts,
            by_instance,
            by_resource,
            configuration,
            subscriptions: HashMap::new(),
            any_subscription: None,
            used_placeholder_subscription: false,
            is_plan,
            budget: std::cell::Cell::new(MAX_REFERENCE_STEPS),
            classic: Vec::new(),
        };
        for i in 0..lowerer.insts.len() {
            let attrs = lowerer.decode(i, i >= managed);
            lowerer.attrs.push(attrs);
        }
        lowerer
    }

    /// Reads an instance's attributes into the struct of its type.
    pub(super) fn decode(&mut self, i: usize, data: bool) -> Option<Attrs> {
        let inst = &self.insts[i];
        let raw = inst.values;
        let rtype = inst.addr.rtype.clone();
        if data {
            // Data sources only help follow references; a malformed one is simply not used.
            return serde_json::from_str::<TfCommon>(raw.get()).ok().map(Attrs::Other);
        }
        macro_rules! read {
            ($variant:ident, $t:ty) => {
                self.read::<$t>(i).map(Attrs::$variant)
            };
        }
        let attrs = match rtype.as_str() {
            "azurerm_virtual_network" => read!(Vnet, TfVnet),
            "azurerm_virtual_network_dns_servers" => read!(VnetDnsServers, TfVnetDnsServers),
            "azurerm_subnet" => read!(Subnet, TfSubnet),
            "azurerm_route_table" => read!(RouteTable, TfRouteTable),
            "azurerm_route" => read!(Route, TfRoute),
            "azurerm_subnet_route_table_association" => {
                read!(SubnetRouteTable, TfSubnetRouteTableAssociation)
            }
            "azurerm_subnet_network_security_group_association" => {
                read!(SubnetNsg, TfSubnetNsgAssociation)
            }
            "azurerm_network_interface_security_group_association" => {
                read!(NicNsg, TfNicNsgAssociation)
            }
            "azurerm_network_interface" => read!(Nic, TfNic),
            "azurerm_virtual_network_peering" => read!(Peering, TfPeering),
            "azurerm_network_security_group" => read!(Nsg, TfNsg),
            "azurerm_network_security_rule" => read!(Rule, TfRule),
            "azurerm_virtual_network_gateway" => read!(Gateway, TfGateway),
            "azurerm_local_network_gateway" => read!(LocalGateway, TfLocalGateway),
            "azurerm_virtual_network_gateway_connection" => read!(Connection, TfConnection),
            "azurerm_linux_virtual_machine" | "azurerm_windows_virtual_machine" | "azurerm_virtual_machine" => {
                read!(Vm, TfVm)
            }
            "azurerm_private_endpoint" => read!(PrivateEndpoint, TfPrivateEndpoint),
            "azurerm_public_ip" => read!(PublicIp, TfPublicIp),
            "azurerm_firewall" => read!(Firewall, super::firewall::TfFirewall),
            "azurerm_firewall_policy" => read!(FirewallPolicy, super::firewall::TfFirewallPolicy),
            "azurerm_firewall_policy_rule_collection_group" => {
                read!(RuleCollectionGroup, super::firewall::TfRuleCollectionGroup)
            }
            "azurerm_ip_group" => read!(IpGroup, super::firewall::TfIpGroup),
            "azurerm_route_server" => read!(RouteServer, super::hubs::TfRouteServer),
            "azurerm_nat_gateway" => read!(NatGateway, super::platform::TfNatGateway),
            "azurerm_nat_gateway_public_ip_association" | "azurerm_nat_gateway_public_ip_prefix_association" => {
                read!(NatGatewayAddress, super::platform::TfNatGatewayAddress)
            }
            "azurerm_subnet_nat_gateway_association" => {
                read!(SubnetNatGateway, super::platform::TfSubnetNatGatewayAssociation)
            }
            "azurerm_public_ip_prefix" => read!(PublicIpPrefix, super::platform::TfPublicIpPrefix),
            "azurerm_application_gateway" => read!(ApplicationGateway, super::platform::TfApplicationGateway),
            "azurerm_bastion_host" => read!(BastionHost, super::platform::TfBastionHost),
            "azurerm_private_dns_resolver_inbound_endpoint" => {
                read!(DnsInboundEndpoint, super::platform::TfDnsInboundEndpoint)
            }
            "azurerm_linux_virtual_machine_scale_set" | "azurerm_windows_virtual_machine_scale_set" => {
                read!(UniformScaleSet, super::platform::TfScaleSet)
            }
            "azurerm_orchestrated_virtual_machine_scale_set" => read!(FlexibleScaleSet, super::platform::TfScaleSet),
            "azurerm_firewall_network_rule_collection" => {
                read!(ClassicNetworkCollection, super::platform::TfClassicCollection)
            }
            "azurerm_firewall_application_rule_collection" => {
                read!(ClassicApplicationCollection, super::platform::TfClassicCollection)
            }
            "azurerm_firewall_nat_rule_collection" => read!(ClassicNatCollection, super::platform::TfClassicCollection),
            "azurerm_route_server_bgp_connection" | "azurerm_virtual_hub_bgp_connection" => {
                read!(RouteServerBgpConnection, super::hubs::TfRouteServerBgpConnection)
            }
            "azurerm_network_manager_network_group" => read!(NetworkGroup, super::avnm::TfNetworkGroup),
            "azurerm_network_manager_static_member" => read!(StaticMember, super::avnm::TfStaticMember),
            "azurerm_network_manager_connectivity_configuration" => {
                read!(ConnectivityConfiguration, super::avnm::TfConnectivityConfiguration)
            }
            "azurerm_network_manager_security_admin_configuration" => {
                read!(SecurityAdminConfiguration, super::avnm::TfSecurityAdminConfiguration)
            }
            "azurerm_network_manager_admin_rule_collection" => {
                read!(AdminRuleCollection, super::avnm::TfAvnmRuleCollection)
            }
            "azurerm_network_manager_admin_rule" => read!(AdminRule, super::avnm::TfAdminRule),
            "azurerm_network_manager_routing_configuration" => {
                read!(RoutingConfiguration, super::avnm::TfRoutingConfiguration)
            }
            "azurerm_network_manager_routing_rule_collection" => {
                read!(RoutingRuleCollection, super::avnm::TfAvnmRuleCollection)
            }
            "azurerm_network_manager_routing_rule" => read!(RoutingRule, super::avnm::TfRoutingRule),
            "azurerm_network_manager_deployment" => read!(AvnmDeployment, super::avnm::TfAvnmDeployment),
            "azurerm_virtual_wan" => read!(VirtualWan, super::vwan::TfVirtualWan),
            "azurerm_virtual_hub" => read!(VwanHub, super::vwan::TfVwanHub),
            "azurerm_virtual_hub_connection" => read!(HubConnection, super::vwan::TfHubConnection),
            "azurerm_virtual_hub_route_table" => read!(HubRouteTable, super::vwan::TfHubRouteTable),
            "azurerm_virtual_hub_route_table_route" => read!(HubRouteTableRoute, super::vwan::TfHubRoute),
            "azurerm_virtual_hub_routing_intent" => read!(RoutingIntent, super::vwan::TfRoutingIntent),
            "azurerm_palo_alto_virtual_network_appliance" => read!(HubNva, super::vwan::TfHubNva),
            "azurerm_virtual_hub_ip" => read!(HubIp, super::hubs::TfHubIp),
            "azurerm_vpn_site" => read!(VpnSite, super::vwan_branches::TfVpnSite),
            "azurerm_vpn_gateway" => read!(VpnGateway, super::vwan_branches::TfVpnGateway),
            "azurerm_vpn_gateway_connection" => read!(VpnGatewayConnection, super::vwan_branches::TfVpnConnection),
            "azurerm_express_route_gateway" => read!(ExpressRouteGateway, super::vwan_branches::TfErGateway),
            "azurerm_express_route_connection" => {
                read!(ExpressRouteConnection, super::vwan_branches::TfErConnection)
            }
            "azurerm_lb" => read!(LoadBalancer, super::load_balancer::TfLoadBalancer),
            "azurerm_lb_backend_address_pool" => read!(LbPool, super::load_balancer::TfLbPool),
            "azurerm_lb_outbound_rule" => read!(LbOutboundRule, super::load_balancer::TfLbOutboundRule),
            "azurerm_network_interface_backend_address_pool_association" => {
                read!(NicPoolAssociation, super::load_balancer::TfNicPoolAssociation)
            }
            other => {
                *self.pending.skipped_types.entry(other.to_string()).or_default() += 1;
                // Unmodelled resources may still be named by references (resource groups).
                serde_json::from_str::<TfCommon>(raw.get()).ok().map(Attrs::Other)
            }
        };
        if attrs.is_some() && !matches!(attrs, Some(Attrs::Other(_))) {
            self.pending.resources_read += 1;
        }
        attrs
    }

    pub(super) fn read<T: Deserialize<'t>>(&mut self, i: usize) -> Option<T> {
        let inst = &self.insts[i];
        let raw = inst.values;
        match serde_json::from_str::<T>(raw.get()) {
            Ok(v) => Some(v),
            Err(err) => {
                let inner =
                    serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_str(raw.get()))
                        .err()
                        .map(|e| e.path().to_string());
                let what = format!("`{}`", inst.shown);
                let path = inst.path.clone();
                wrong_type(self.pending, self.file_text, raw.get(), &path, &err, inner, &what);
                None
            }
        }
    }

    /// Calls `f` for each instance whose attributes `pick` selects, the attributes taken out of
    /// the lowerer for the call (so `f` may use it mutably) and put back after.
    pub(super) fn each_of<T>(&mut self, pick: impl Fn(&Attrs) -> Option<&T>, mut f: impl FnMut(&mut Self, usize, &T)) {
        for i in 0..self.insts.len() {
            if self.attrs[i].as_ref().is_none_or(|a| pick(a).is_none()) {
                continue;
            }
            let Some(attrs) = self.attrs[i].take() else { continue };
            if let Some(a) = pick(&attrs) {
                f(self, i, a);
            }
            self.attrs[i] = Some(attrs);
        }
    }

    pub(super) fn run(&mut self, hint_ids: &[String]) {
        self.assign_ids(hint_ids);
        self.delete_renamed_replacements();
        let mut drafts = Drafts::default();
        self.lower_parents(&mut drafts);
        self.lower_children(&mut drafts);
        self.apply_vnet_dns_servers();
        self.apply_nat_gateway_addresses();
        self.apply_load_balancer_members();
        self.attach_classic_collections();
        self.apply_table_subnets(&mut drafts);
        self.apply_associations(&mut drafts);
        self.drop_deleted_children(&mut drafts);
        self.finish_peerings(std::mem::take(&mut drafts.peerings), &drafts.vnet_spaces, &drafts.subnets);
        self.emit(drafts);
        self.record_unchanged();
        self.note_placeholder_subscription();
    }

    /// Top-level resources first, so children find their parents.
    fn lower_parents(&mut self, d: &mut Drafts) {
        self.each_of(every, |this, i, attrs| match attrs {
            Attrs::Vnet(a) => this.vnet(i, a, &mut d.subnets, &mut d.vnet_spaces),
            Attrs::RouteTable(a) => this.route_table(i, a, &mut d.tables),
            Attrs::Nsg(a) => this.nsg(i, a, &mut d.nsgs),
            Attrs::HubRouteTable(a) => this.hub_route_table(i, a),
            Attrs::VpnGateway(a) => this.vpn_gateway(i, a),
            Attrs::ExpressRouteGateway(a) => this.express_route_gateway(i, a),
            _ => {}
        });
    }

    /// Children and every other resource.
    fn lower_children(&mut self, d: &mut Drafts) {
        self.each_of(every, |this, i, attrs| match attrs {
            Attrs::Subnet(a) => this.subnet(i, a, &mut d.subnets),
            Attrs::Route(a) => this.route(i, a, &mut d.tables),
            Attrs::Rule(a) => this.rule(i, a, &mut d.nsgs),
            Attrs::Peering(a) => this.peering(i, a, &mut d.peerings),
            Attrs::Nic(a) => this.nic(i, a, &mut d.nics),
            Attrs::Gateway(a) => this.gateway(i, a),
            Attrs::LocalGateway(a) => this.local_gateway(i, a),
            Attrs::Connection(a) => this.connection(i, a),
            Attrs::Vm(a) => this.vm(i, a),
            Attrs::PrivateEndpoint(a) => this.private_endpoint(i, a, &mut d.nics),
            Attrs::PublicIp(a) => this.public_ip(i, a),
            Attrs::Firewall(a) => this.firewall(i, a),
            Attrs::FirewallPolicy(a) => this.firewall_policy(i, a),
            Attrs::RuleCollectionGroup(a) => this.rule_collection_group(i, a),
            Attrs::IpGroup(a) => this.ip_group(i, a),
            Attrs::RouteServer(a) => this.route_server(i, a),
            Attrs::RouteServerBgpConnection(a) => this.route_server_bgp_connection(i, a),
            Attrs::NetworkGroup(a) => this.network_group(i, a),
            Attrs::StaticMember(a) => this.static_member(i, a),
            Attrs::ConnectivityConfiguration(a) => this.connectivity_configuration(i, a),
            Attrs::SecurityAdminConfiguration(a) => this.security_admin_configuration(i, a),
            Attrs::AdminRuleCollection(a) => this.avnm_rule_collection(i, a, false),
            Attrs::AdminRule(a) => this.admin_rule(i, a),
            Attrs::RoutingConfiguration(a) => this.routing_configuration(i, a),
            Attrs::RoutingRuleCollection(a) => this.avnm_rule_collection(i, a, true),
            Attrs::RoutingRule(a) => this.routing_rule(i, a),
            Attrs::AvnmDeployment(a) => this.avnm_deployment(i, a),
            Attrs::NatGateway(a) => this.nat_gateway(i, a),
            Attrs::PublicIpPrefix(a) => this.public_ip_prefix(i, a),
            Attrs::ApplicationGateway(a) => this.application_gateway(i, a),
            Attrs::BastionHost(a) => this.bastion_host(i, a),
            Attrs::DnsInboundEndpoint(a) => this.dns_inbound_endpoint(i, a),
            Attrs::UniformScaleSet(a) => this.scale_set(i, a, OrchestrationMode::Uniform),
            Attrs::FlexibleScaleSet(a) => this.scale_set(i, a, OrchestrationMode::Flexible),
            Attrs::ClassicNetworkCollection(a) => this.classic_collection(i, a, FwRuleKind::Network),
            Attrs::ClassicApplicationCollection(a) => this.classic_collection(i, a, FwRuleKind::Application),
            Attrs::ClassicNatCollection(a) => this.classic_collection(i, a, FwRuleKind::Nat),
            Attrs::VirtualWan(a) => this.virtual_wan(i, a),
            Attrs::VwanHub(a) => this.vwan_hub(i, a),
            Attrs::HubConnection(a) => this.hub_connection(i, a),
            Attrs::HubRouteTableRoute(a) => this.hub_route_table_route(a),
            Attrs::RoutingIntent(a) => this.routing_intent(i, a),
            Attrs::HubNva(a) => this.hub_nva(i, a),
            Attrs::HubIp(a) => this.hub_ip(i, a),
            Attrs::VpnSite(a) => this.vpn_site(i, a),
            Attrs::VpnGatewayConnection(a) => this.vpn_gateway_connection(i, a),
            Attrs::ExpressRouteConnection(a) => this.express_route_connection(i, a),
            Attrs::LoadBalancer(a) => this.load_balancer(i, a),
            _ => {}
        });
    }

    /// Route tables' computed `subnets` name their subnets when no association does.
    fn apply_table_subnets(&mut self, d: &mut Drafts) {
        for i in 0..self.insts.len() {
            if let Some(Attrs::RouteTable(a)) = &self.attrs[i] {
                let Some(table_id) = self.ids[i].clone() else {
                    continue;
                };
                for subnet in texts(&a.subnets) {
                    if let Some(draft) = d.subnets.get_mut(&normalize_id(subnet))
                        && draft.subnet.route_table.is_none()
                    {
                        draft.subnet.route_table = Some(Link::Missing(ArmId::new(&table_id)));
                    }
                }
            }
        }
    }

    /// Associations override what the subnet or NIC says.
    fn apply_associations(&mut self, d: &mut Drafts) {
        self.each_of(every, |this, i, attrs| {
            let (kind, target, value) = match attrs {
                Attrs::SubnetRouteTable(a) => (AssociationKind::SubnetRouteTable, &a.subnet_id, &a.route_table_id),
                Attrs::SubnetNsg(a) => (AssociationKind::SubnetNsg, &a.subnet_id, &a.network_security_group_id),
                Attrs::NicNsg(a) => (AssociationKind::NicNsg, &a.network_interface_id, &a.network_security_group_id),
                Attrs::SubnetNatGateway(a) => (AssociationKind::SubnetNatGateway, &a.subnet_id, &a.nat_gateway_id),
                _ => return,
            };
            this.association(i, kind, target, value, &mut d.subnets, &mut d.nics);
        });
    }

    /// A resource the plan deletes may still be listed in its parent's computed blocks
    /// (a VNet's `subnet`, a table's `route`, an NSG's `security_rule`): after apply it is gone.
    fn drop_deleted_children(&mut self, d: &mut Drafts) {
        if self.pending.deleted.is_empty() {
            return;
        }
        let deleted: std::collections::HashSet<&str> = self.pending.deleted.iter().map(String::as_str).collect();
        d.subnets.retain(|key, _| !deleted.contains(key.as_str()));
        for table in d.tables.values_mut() {
            table.routes.retain(|_, r| !deleted.contains(r.id.key().as_str()));
        }
        for nsg in d.nsgs.values_mut() {
            nsg.rules.retain(|_, r| !deleted.contains(r.id.key().as_str()));
        }
    }

    /// The drafts, complete, into the pending resources.
    fn emit(&mut self, d: Drafts) {
        for (key, draft) in d.subnets {
            self.pending.subnets.push(Child { key, parent: draft.parent, item: draft.subnet });
        }
        for draft in d.tables.into_values() {
            let mut table = draft.table;
            table.routes = draft.routes.into_values().collect();
            self.pending.route_tables.push(table);
        }
        for draft in d.nsgs.into_values() {
            let mut nsg = draft.nsg;
            nsg.rules = draft.rules.into_values().collect();
            self.pending.nsgs.push(nsg);
        }
        for nic in d.nics.into_values() {
            self.pending.nics.push(nic);
        }
    }

    /// A replacement whose id changes (a new name) deletes the old resource: laid over a live
    /// snapshot, the old one goes.
    fn delete_renamed_replacements(&mut self) {
        for (i, inst) in self.insts.iter().enumerate() {
            if let (Planned::Replaced { before_id: Some(before) }, Some(after)) = (&inst.planned, &self.ids[i]) {
                let old = normalize_id(before);
                if old != normalize_id(after) && !self.pending.deleted.contains(&old) {
                    self.pending.deleted.push(old);
                }
            }
        }
    }

    fn note_placeholder_subscription(&mut self) {
        if self.used_placeholder_subscription {
            self.pending.diag(
                Diagnostic::new(
                    crate::diag::Severity::Info,
                    "TerraformPlaceholderSubscription",
                    format!("no known id in this Terraform input names a subscription; ids of resources not created yet use `{UNKNOWN_SUBSCRIPTION}`"),
                )
                .hint("such ids cannot match resources exported from Azure; include the state of an existing resource of the same subscription"),
            );
        }
    }

    /// Keys of resources a plan leaves as they are (`no-op`), for laying the plan over a live
    /// snapshot. A route table or NSG whose standalone routes or rules change, or lose a member,
    /// is changed even when its own resource is not.
    pub(super) fn record_unchanged(&mut self) {
        let mut changed_parents: std::collections::HashSet<String> =
            self.pending.deleted.iter().map(|d| normalize_id(&parent_id(d))).collect();
        for (i, inst) in self.insts.iter().enumerate() {
            if inst.planned != Planned::Unchanged
                && matches!(
                    inst.addr.rtype.as_str(),
                    "azurerm_route" | "azurerm_network_security_rule" | "azurerm_virtual_network_dns_servers"
                )
                && let Some(id) = &self.ids[i]
            {
                changed_parents.insert(normalize_id(&parent_id(id)));
            }
        }
        for (i, inst) in self.insts.iter().enumerate() {
            if inst.planned == Planned::Unchanged
                && let Some(id) = &self.ids[i]
            {
                let key = normalize_id(id);
                if !changed_parents.contains(&key) {
                    self.pending.unchanged.push(key);
                }
            }
        }
    }
}

/// Every instance's attributes, for `Lowerer::each_of`.
fn every(a: &Attrs) -> Option<&Attrs> {
    Some(a)
}
