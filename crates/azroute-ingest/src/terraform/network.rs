//! Lowering of virtual networks, subnets, route tables and routes, NSGs and rules, and peerings.

use super::*;

impl<'p, 't> Lowerer<'p, 't> {
    // ----- Resources -----

    pub(super) fn vnet(
        &mut self,
        i: usize,
        a: &TfVnet,
        subnets: &mut BTreeMap<String, SubnetDraft>,
        spaces: &mut HashMap<String, Vec<IpNet>>,
    ) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let space_texts = texts(&a.address_space);
        let address_space = self.pending.prefixes(&space_texts, &format!("{path}.address_space"), &id);
        let named = Named::Address(&self.insts[i].shown);
        self.pending.check_address_space(named, space_texts.len(), format!("{path}.address_space"), &id);
        let dns_servers = self.pending.dns_servers(&texts(&a.dns_servers), &format!("{path}.dns_servers"), &id);
        let key = normalize_id(&id);
        spaces.insert(key.clone(), address_space.clone());
        for (b, block) in blocks(&a.subnet) {
            let Some(name) = nonempty(&block.name) else {
                continue;
            };
            let subnet_id = nonempty(&block.id).map(str::to_string).unwrap_or_else(|| format!("{id}/subnets/{name}"));
            let bpath = format!("{path}.subnet[{b}]");
            let mut prefixes: Vec<&str> = block.address_prefix.iter().map(|s| s.as_str()).collect();
            prefixes.extend(texts(&block.address_prefixes));
            let prefix_path = if block.address_prefixes.is_some() {
                format!("{bpath}.address_prefixes")
            } else {
                format!("{bpath}.address_prefix")
            };
            let prefixes = self.pending.prefixes(&prefixes, &prefix_path, &subnet_id);
            let route_table = self.link_value(
                i,
                &block.route_table_id,
                &[ExprStep::Key("subnet"), ExprStep::Named(name), ExprStep::Key("route_table_id")],
                ROUTE_TABLE,
                &format!("subnet[{b}].route_table_id"),
            );
            let nsg = self.link_value(
                i,
                &block.security_group,
                &[ExprStep::Key("subnet"), ExprStep::Named(name), ExprStep::Key("security_group")],
                NSG,
                &format!("subnet[{b}].security_group"),
            );
            let subnet = Subnet {
                id: ArmId::new(&subnet_id),
                name: name.to_string(),
                vnet: VnetIdx(u32::MAX),
                prefixes,
                route_table: route_table.map(|r| Link::Missing(ArmId::new(r))),
                nsg: nsg.map(|n| Link::Missing(ArmId::new(n))),
                service_endpoints: service_endpoints(&block.service_endpoints),
                private_endpoint_network_policies: block
                    .private_endpoint_network_policies
                    .as_deref()
                    .map(private_endpoint_policies)
                    .unwrap_or_default(),
                // The subnet's NAT gateway is an association resource, which this reader does
                // not follow yet (§17.1).
                nat_gateway: None,
                default_outbound_access: block.default_outbound_access_enabled,
                delegations: Vec::new(),
                origin: self.origin(&bpath),
            };
            subnets.entry(normalize_id(&subnet_id)).or_insert(SubnetDraft {
                subnet,
                parent: key.clone(),
                from_resource: false,
            });
        }
        self.pending.vnets.push(Vnet {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            location: normalize_location(nonempty(&a.location).unwrap_or_default()),
            address_space,
            dns_servers,
            subnets: Vec::new(),
            peerings: Vec::new(),
            origin: self.origin(&path),
        });
    }

    /// `azurerm_virtual_network_dns_servers` replaces the DNS servers of its VNet in the same
    /// input (§16.7); a VNet the input does not hold is left alone.
    pub(super) fn apply_vnet_dns_servers(&mut self) {
        for i in 0..self.insts.len() {
            if !matches!(self.attrs[i], Some(Attrs::VnetDnsServers(_))) {
                continue;
            }
            let Some(Attrs::VnetDnsServers(a)) = self.attrs[i].take() else { continue };
            let vnet = self.link_value(
                i,
                &a.virtual_network_id,
                &[ExprStep::Key("virtual_network_id")],
                VNET,
                "virtual_network_id",
            );
            let path = format!("{}.dns_servers", self.insts[i].path);
            if let Some(vnet) = vnet {
                let servers = self.pending.dns_servers(&texts(&a.dns_servers), &path, &vnet);
                let key = normalize_id(&vnet);
                if let Some(v) = self.pending.vnets.iter_mut().find(|v| v.id.key() == key) {
                    v.dns_servers = servers;
                }
            }
            self.attrs[i] = Some(Attrs::VnetDnsServers(a));
        }
    }

    pub(super) fn subnet(&mut self, i: usize, a: &TfSubnet, subnets: &mut BTreeMap<String, SubnetDraft>) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let mut prefix_texts: Vec<&str> = texts(&a.address_prefixes);
        prefix_texts.extend(nonempty(&a.address_prefix));
        let prefix_path = if a.address_prefixes.is_some() {
            format!("{path}.address_prefixes")
        } else {
            format!("{path}.address_prefix")
        };
        let prefixes = self.pending.prefixes(&prefix_texts, &prefix_path, &id);
        let (named, fields) = (Named::Address(&self.insts[i].shown), ["address_prefixes", "address_prefix"]);
        self.pending.check_subnet_prefix(named, prefix_texts.len(), fields, path.clone(), &id);
        let policies = match (
            nonempty(&a.private_endpoint_network_policies),
            a.private_endpoint_network_policies_enabled,
            a.enforce_private_link_endpoint_network_policies,
        ) {
            (Some(text), _, _) => private_endpoint_policies(text),
            (None, Some(true), _) | (None, None, Some(false)) => PrivateEndpointNetworkPolicies::Enabled,
            _ => PrivateEndpointNetworkPolicies::Disabled,
        };
        let key = normalize_id(&id);
        let subnet = Subnet {
            id: ArmId::new(&id),
            name: nonempty(&a.name).map(str::to_string).unwrap_or_else(|| ArmId::new(&id).last_segment().to_string()),
            vnet: VnetIdx(u32::MAX),
            prefixes,
            route_table: None,
            nsg: None,
            service_endpoints: service_endpoints(&a.service_endpoints),
            private_endpoint_network_policies: policies,
            nat_gateway: None,
            default_outbound_access: a.default_outbound_access_enabled,
            delegations: Vec::new(),
            origin: self.origin(&path),
        };
        let parent = normalize_id(&parent_id(&id));
        match subnets.get_mut(&key) {
            // The VNet's inline block lists the same subnet: the resource wins, but the block
            // may carry the route table and NSG (4.x).
            Some(existing) if !existing.from_resource => {
                let route_table = existing.subnet.route_table.take();
                let nsg = existing.subnet.nsg.take();
                *existing = SubnetDraft { subnet: Subnet { route_table, nsg, ..subnet }, parent, from_resource: true };
            }
            Some(_) => {}
            None => {
                subnets.insert(key, SubnetDraft { subnet, parent, from_resource: true });
            }
        }
    }

    pub(super) fn route_table(&mut self, i: usize, a: &TfRouteTable, tables: &mut BTreeMap<String, TableDraft>) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let mut routes = BTreeMap::new();
        for (r, block) in blocks(&a.route) {
            let rpath = format!("{path}.route[{r}]");
            let fields = route_fields(
                String::new(),
                nonempty(&block.name).unwrap_or_default(),
                &block.address_prefix,
                &block.next_hop_type,
                &block.next_hop_in_ip_address,
                &rpath,
            );
            if let Some(route) = self.pending.lower_route(fields, &id) {
                routes.insert(route.name.to_ascii_lowercase(), route);
            }
        }
        // 4.x `bgp_route_propagation_enabled` (default true) is the inverse of ≤3.x
        // `disable_bgp_route_propagation`.
        let disable_bgp_route_propagation = match (a.bgp_route_propagation_enabled, a.disable_bgp_route_propagation) {
            (Some(enabled), _) => !enabled,
            (None, Some(disabled)) => disabled,
            (None, None) => false,
        };
        tables.insert(
            normalize_id(&id),
            TableDraft {
                table: RouteTable {
                    id: ArmId::new(&id),
                    name: nonempty(&a.name).unwrap_or_default().to_string(),
                    location: normalize_location(nonempty(&a.location).unwrap_or_default()),
                    disable_bgp_route_propagation,
                    disable_peering_routes: false,
                    routes: Vec::new(),
                    origin: self.origin(&path),
                },
                routes,
            },
        );
    }

    pub(super) fn route(&mut self, i: usize, a: &TfRoute, tables: &mut BTreeMap<String, TableDraft>) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let table_id = parent_id(&id);
        let fields = route_fields(
            id.clone(),
            nonempty(&a.name).unwrap_or(ArmId::new(&id).last_segment()),
            &a.address_prefix,
            &a.next_hop_type,
            &a.next_hop_in_ip_address,
            &path,
        );
        let Some(route) = self.pending.lower_route(fields, &table_id) else {
            return;
        };
        let parent = normalize_id(&table_id);
        match tables.get_mut(&parent) {
            // The table's computed `route` set lists this route too after a refresh; the
            // resource is the one Terraform manages.
            Some(table) => {
                table.routes.insert(route.name.to_ascii_lowercase(), route);
            }
            None => self.pending.routes.push(Child { key: normalize_id(&id), parent, item: route }),
        }
    }

    pub(super) fn nsg(&mut self, i: usize, a: &TfNsg, nsgs: &mut BTreeMap<String, NsgDraft>) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let mut rules = BTreeMap::new();
        for (r, block) in blocks(&a.security_rule) {
            let rpath = format!("{path}.security_rule[{r}]");
            let rule_id = format!("{id}/securityRules/{}", nonempty(&block.name).unwrap_or_default());
            if let Some(rule) = self.pending.lower_rule(rule_fields(rule_id, block, &rpath)) {
                rules.insert(rule.name.to_ascii_lowercase(), rule);
            }
        }
        nsgs.insert(
            normalize_id(&id),
            NsgDraft {
                nsg: Nsg {
                    id: ArmId::new(&id),
                    name: nonempty(&a.name).unwrap_or_default().to_string(),
                    location: normalize_location(nonempty(&a.location).unwrap_or_default()),
                    rules: Vec::new(),
                    origin: self.origin(&path),
                },
                rules,
            },
        );
    }

    pub(super) fn rule(&mut self, i: usize, a: &TfRule, nsgs: &mut BTreeMap<String, NsgDraft>) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let Some(rule) = self.pending.lower_rule(rule_fields(id.clone(), a, &path)) else {
            return;
        };
        let parent = normalize_id(&parent_id(&id));
        match nsgs.get_mut(&parent) {
            Some(nsg) => {
                nsg.rules.insert(rule.name.to_ascii_lowercase(), rule);
            }
            None => self.pending.rules.push(Child { key: normalize_id(&id), parent, item: rule }),
        }
    }

    pub(super) fn peering(&mut self, i: usize, a: &TfPeering, out: &mut Vec<PeeringDraft>) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let Some(remote) = self.link_value(
            i,
            &a.remote_virtual_network_id,
            &[ExprStep::Key("remote_virtual_network_id")],
            VNET,
            "remote_virtual_network_id",
        ) else {
            let (named, field) = (Named::Address(&self.insts[i].shown), "remote_virtual_network_id");
            self.pending.peering_without_remote(named, field, format!("{path}.{field}"), &id);
            return;
        };
        let names = |v: &Strs| texts(v).iter().map(|s| s.to_string()).collect();
        let peering = Peering {
            id: ArmId::new(&id),
            name: nonempty(&a.name).map(str::to_string).unwrap_or_else(|| ArmId::new(&id).last_segment().to_string()),
            vnet: VnetIdx(u32::MAX),
            remote_vnet: Link::Missing(ArmId::new(&remote)),
            state: PeeringState::Initiated,
            allow_virtual_network_access: a.allow_virtual_network_access.unwrap_or(true),
            allow_forwarded_traffic: a.allow_forwarded_traffic.unwrap_or(false),
            allow_gateway_transit: a.allow_gateway_transit.unwrap_or(false),
            use_remote_gateways: a.use_remote_gateways.unwrap_or(false),
            remote_address_space: Vec::new(),
            remote_virtual_network_address_space: Vec::new(),
            peer_complete_vnets: a.peer_complete_virtual_networks_enabled.unwrap_or(true),
            local_subnet_names: names(&a.local_subnet_names),
            remote_subnet_names: names(&a.remote_subnet_names),
            origin: self.origin(&path),
        };
        out.push(PeeringDraft {
            key: normalize_id(&id),
            parent: normalize_id(&parent_id(&id)),
            remote: normalize_id(&remote),
            address: self.insts[i].shown.clone(),
            peering,
        });
    }

    /// Terraform exports no peering state: a peering is `Connected` when its reverse peering
    /// (remote → local) is in the same input, else `Initiated` (and `link/` looks for the
    /// reverse in the rest of the snapshot). The remote address space is the remote VNet's, or
    /// for subnet peering the listed remote subnets', when they are in the input.
    pub(super) fn finish_peerings(
        &mut self,
        drafts: Vec<PeeringDraft>,
        spaces: &HashMap<String, Vec<IpNet>>,
        subnets: &BTreeMap<String, SubnetDraft>,
    ) {
        let pairs: Vec<(String, String)> = drafts.iter().map(|d| (d.parent.clone(), d.remote.clone())).collect();
        for mut d in drafts {
            let reverse = pairs.iter().any(|(parent, remote)| *parent == d.remote && *remote == d.parent);
            d.peering.state = if reverse { PeeringState::Connected } else { PeeringState::Initiated };
            if let Some(space) = spaces.get(&d.remote) {
                d.peering.remote_virtual_network_address_space = space.clone();
                d.peering.remote_address_space = if d.peering.peer_complete_vnets {
                    space.clone()
                } else {
                    subnets
                        .values()
                        .filter(|s| {
                            s.parent == d.remote
                                && d.peering.remote_subnet_names.iter().any(|n| n.eq_ignore_ascii_case(&s.subnet.name))
                        })
                        .flat_map(|s| s.subnet.prefixes.iter().copied())
                        .collect()
                };
            }
            if !reverse {
                self.pending.unpaired_peerings.push(UnpairedPeering {
                    key: d.key.clone(),
                    address: d.address.clone(),
                    origin: d.peering.origin.clone(),
                });
            }
            self.pending.peerings.push(Child { key: d.key, parent: d.parent, item: d.peering });
        }
    }
}

pub(super) fn string_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

/// Terraform lists service names only; Azure fills in the locations (`*` for most services,
/// the region pair for Microsoft.Storage), which the export does not say, so `*` is assumed.
pub(super) fn service_endpoints(v: &Strs) -> Vec<ServiceEndpoint> {
    let mut out: Vec<ServiceEndpoint> = texts(v)
        .iter()
        .map(|s| ServiceEndpoint { service: s.trim().to_string(), locations: vec!["*".to_string()] })
        .collect();
    out.sort();
    out.dedup();
    out
}

pub(super) fn route_fields(
    id: String,
    name: &str,
    prefix: &Option<String>,
    next_hop_type: &Option<String>,
    next_hop_ip: &Option<String>,
    path: &str,
) -> RouteFields {
    RouteFields {
        id,
        name: name.to_string(),
        prefixes: prefix.iter().cloned().collect(),
        prefix_path: format!("{path}.address_prefix"),
        next_hop_type: next_hop_type.clone().unwrap_or_default(),
        next_hop_type_path: format!("{path}.next_hop_type"),
        next_hop_ips: nonempty(next_hop_ip)
            .map(|ip| (ip.to_string(), format!("{path}.next_hop_in_ip_address")))
            .into_iter()
            .collect(),
        next_hop_ip_path: format!("{path}.next_hop_in_ip_address"),
        next_hop_ip_field: "next_hop_in_ip_address",
        prefix_field: "address_prefix",
        next_hop_type_field: "next_hop_type",
        path: path.to_string(),
    }
}

pub(super) fn rule_fields(id: String, r: &TfRule, path: &str) -> RuleFields {
    let merge = |one: &Option<String>, many: &Strs| -> Vec<String> {
        let mut out: Vec<String> = nonempty(one).map(str::to_string).into_iter().collect();
        out.extend(texts(many).iter().map(|s| s.to_string()));
        out
    };
    RuleFields {
        id,
        name: nonempty(&r.name).unwrap_or_default().to_string(),
        protocol: r.protocol.clone().unwrap_or_default(),
        access: r.access.clone().unwrap_or_default(),
        direction: r.direction.clone().unwrap_or_default(),
        priority: r.priority,
        sources: merge(&r.source_address_prefix, &r.source_address_prefixes),
        destinations: merge(&r.destination_address_prefix, &r.destination_address_prefixes),
        source_ports: merge(&r.source_port_range, &r.source_port_ranges),
        destination_ports: merge(&r.destination_port_range, &r.destination_port_ranges),
        source_asgs: texts(&r.source_application_security_group_ids).iter().map(|s| s.to_string()).collect(),
        destination_asgs: texts(&r.destination_application_security_group_ids).iter().map(|s| s.to_string()).collect(),
        paths: RulePaths {
            object: path.to_string(),
            protocol: format!("{path}.protocol"),
            access: format!("{path}.access"),
            direction: format!("{path}.direction"),
            priority: format!("{path}.priority"),
            source: format!("{path}.source_address_prefix"),
            destination: format!("{path}.destination_address_prefix"),
            source_port: format!("{path}.source_port_range"),
            destination_port: format!("{path}.destination_port_range"),
        },
    }
}
