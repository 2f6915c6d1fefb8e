//! Lowering of NICs, associations, gateways, connections, VMs, private endpoints and public IPs.

use super::*;

impl<'p, 't> Lowerer<'p, 't> {
    pub(super) fn nic(&mut self, i: usize, a: &TfNic, nics: &mut BTreeMap<String, Nic>) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let mut ip_configs = Vec::new();
        for (c, block) in blocks(&a.ip_configuration) {
            let cpath = format!("{path}.ip_configuration[{c}]");
            let name = nonempty(&block.name).unwrap_or_default().to_string();
            let subnet = self.link_value(
                i,
                &block.subnet_id,
                &[ExprStep::Key("ip_configuration"), ExprStep::Idx(c), ExprStep::Key("subnet_id")],
                SUBNET,
                &format!("ip_configuration[{c}].subnet_id"),
            );
            let public_ip = self.link_value(
                i,
                &block.public_ip_address_id,
                &[ExprStep::Key("ip_configuration"), ExprStep::Idx(c), ExprStep::Key("public_ip_address_id")],
                PUBLIC_IP,
                &format!("ip_configuration[{c}].public_ip_address_id"),
            );
            let private_ip = match nonempty(&block.private_ip_address) {
                Some(text) => self.pending.ip(text, &format!("{cpath}.private_ip_address"), &id),
                None => None,
            };
            ip_configs.push(IpConfig {
                id: IpConfigId::Own(ArmId::new(format!("{id}/ipConfigurations/{name}"))),
                name,
                private_ip,
                subnet: subnet.map(|s| Link::Missing(ArmId::new(s))),
                public_ip: public_ip.map(|p| Link::Missing(ArmId::new(p))),
                primary: block.primary.unwrap_or(false),
                application_security_groups: Vec::new(),
            });
        }
        let named = Named::Address(&self.insts[i].shown);
        self.pending.check_nic_ip_configurations(named, ip_configs.len(), format!("{path}.ip_configuration"), &id);
        // Terraform computes `primary`: the first configuration unless another is marked.
        if !ip_configs.is_empty() && !ip_configs.iter().any(|c| c.primary) {
            ip_configs[0].primary = true;
        }
        let vm = nonempty(&a.virtual_machine_id).map(|v| Link::Missing(ArmId::new(v)));
        nics.insert(
            normalize_id(&id),
            Nic {
                id: ArmId::new(&id),
                name: nonempty(&a.name).unwrap_or_default().to_string(),
                location: normalize_location(nonempty(&a.location).unwrap_or_default()).into(),
                ip_forwarding: a.ip_forwarding_enabled.or(a.enable_ip_forwarding).unwrap_or(false),
                nsg: None,
                vm,
                primary: None,
                ip_configs,
                private_endpoint: None,
                origin: self.origin(&path),
            },
        );
    }

    /// An association resource: applied to its subnet or NIC when that is in this input, else
    /// handed to `link/`.
    pub(super) fn association(
        &mut self,
        i: usize,
        kind: AssociationKind,
        target: &Option<String>,
        value: &Option<String>,
        subnets: &mut BTreeMap<String, SubnetDraft>,
        nics: &mut BTreeMap<String, Nic>,
    ) {
        let (target_attr, target_types, value_attr, value_types) = match kind {
            AssociationKind::SubnetRouteTable => ("subnet_id", SUBNET, "route_table_id", ROUTE_TABLE),
            AssociationKind::SubnetNsg => ("subnet_id", SUBNET, "network_security_group_id", NSG),
            AssociationKind::NicNsg => ("network_interface_id", NIC, "network_security_group_id", NSG),
            AssociationKind::SubnetNatGateway => ("subnet_id", SUBNET, "nat_gateway_id", NAT_GATEWAY),
        };
        let target = self.link_value(i, target, &[ExprStep::Key(target_attr)], target_types, target_attr);
        let value = self.link_value(i, value, &[ExprStep::Key(value_attr)], value_types, value_attr);
        let (Some(target), Some(value)) = (target, value) else {
            return;
        };
        let key = normalize_id(&target);
        match kind {
            AssociationKind::SubnetRouteTable if subnets.contains_key(&key) => {
                if let Some(d) = subnets.get_mut(&key) {
                    d.subnet.route_table = Some(Link::Missing(ArmId::new(&value)));
                }
            }
            AssociationKind::SubnetNsg if subnets.contains_key(&key) => {
                if let Some(d) = subnets.get_mut(&key) {
                    d.subnet.nsg = Some(Link::Missing(ArmId::new(&value)));
                }
            }
            AssociationKind::SubnetNatGateway if subnets.contains_key(&key) => {
                if let Some(d) = subnets.get_mut(&key) {
                    d.subnet.nat_gateway = Some(Link::Missing(ArmId::new(&value)));
                }
            }
            AssociationKind::NicNsg if nics.contains_key(&key) => {
                if let Some(n) = nics.get_mut(&key) {
                    n.nsg = Some(Link::Missing(ArmId::new(&value)));
                }
            }
            _ => {
                let origin = self.origin(&self.insts[i].path);
                self.pending.associations.push(PendingAssociation {
                    kind,
                    target: key,
                    value: Some(ArmId::new(&value)),
                    address: self.insts[i].shown.clone(),
                    origin,
                });
            }
        }
    }

    pub(super) fn gateway(&mut self, i: usize, a: &TfGateway) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let gateway_type = match nonempty(&a.gateway_type).unwrap_or("Vpn").to_ascii_lowercase().as_str() {
            "vpn" => GatewayType::Vpn,
            "expressroute" => GatewayType::ExpressRoute,
            "localgateway" => GatewayType::LocalGateway,
            other => GatewayType::Other(other.to_string()),
        };
        let mut subnet = None;
        for (c, block) in blocks(&a.ip_configuration) {
            let s = self.link_value(
                i,
                &block.subnet_id,
                &[ExprStep::Key("ip_configuration"), ExprStep::Idx(c), ExprStep::Key("subnet_id")],
                SUBNET,
                &format!("ip_configuration[{c}].subnet_id"),
            );
            if subnet.is_none() {
                subnet = s;
            }
        }
        let mut instance_ips: Vec<IpAddr> = Vec::new();
        for (b, bgp) in blocks(&a.bgp_settings) {
            for (p, peering) in blocks(&bgp.peering_addresses) {
                for (k, text) in texts(&peering.default_addresses).iter().enumerate() {
                    let ip_path = format!("{path}.bgp_settings[{b}].peering_addresses[{p}].default_addresses[{k}]");
                    if let Some(ip) = self.pending.ip(text, &ip_path, &id)
                        && !instance_ips.contains(&ip)
                    {
                        instance_ips.push(ip);
                    }
                }
            }
        }
        let mut pool = Vec::new();
        for (c, client) in blocks(&a.vpn_client_configuration) {
            pool.extend(self.pending.prefixes(
                &texts(&client.address_space),
                &format!("{path}.vpn_client_configuration[{c}].address_space"),
                &id,
            ));
        }
        self.pending.gateways.push(VnetGateway {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            location: normalize_location(nonempty(&a.location).unwrap_or_default()),
            gateway_type,
            vpn_type: nonempty(&a.vpn_type).unwrap_or_default().to_string(),
            sku: nonempty(&a.sku).unwrap_or_default().to_string(),
            active_active: a.active_active.unwrap_or(false),
            bgp_enabled: a.bgp_enabled.or(a.enable_bgp).unwrap_or(false),
            bgp_asn: blocks(&a.bgp_settings).find_map(|(_, b)| b.asn),
            // The gateway's VNet is the parent of its GatewaySubnet.
            vnet: subnet.map(|s| Link::Missing(ArmId::new(parent_id(&s)))),
            instance_ips,
            default_site: nonempty(&a.default_local_network_gateway_id).map(|l| Link::Missing(ArmId::new(l))),
            vpn_client_address_pool: pool,
            learned_routes: Vec::new(),
            learned_routes_supplied: false,
            provisioning_state: String::new(),
            origin: self.origin(&path),
        });
    }

    pub(super) fn local_gateway(&mut self, i: usize, a: &TfLocalGateway) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let space_path = format!("{path}.address_space");
        let mut prefixes = self.pending.prefixes(&texts(&a.address_space), &space_path, &id);
        self.pending.keep_ipv4_local_prefixes(&mut prefixes, space_path, &id);
        let bgp_peering_address = blocks(&a.bgp_settings)
            .filter_map(|(_, b)| nonempty(&b.bgp_peering_address))
            .find_map(|t| parse_ip(t).ok());
        self.pending.local_gateways.push(LocalNetworkGateway {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            prefixes,
            gateway_ip: nonempty(&a.gateway_address).or(nonempty(&a.gateway_fqdn)).unwrap_or_default().to_string(),
            bgp_peering_address,
            origin: self.origin(&path),
        });
    }

    pub(super) fn connection(&mut self, i: usize, a: &TfConnection) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let connection_type = match nonempty(&a.connection_type).unwrap_or_default().to_ascii_lowercase().as_str() {
            "ipsec" => ConnectionType::IPsec,
            "vnet2vnet" => ConnectionType::Vnet2Vnet,
            "expressroute" => ConnectionType::ExpressRoute,
            "vpnclient" => ConnectionType::VPNClient,
            other => ConnectionType::Other(other.to_string()),
        };
        let gateway1 = self.link_value(
            i,
            &a.virtual_network_gateway_id,
            &[ExprStep::Key("virtual_network_gateway_id")],
            GATEWAY,
            "virtual_network_gateway_id",
        );
        let gateway2 = self.link_value(
            i,
            &a.peer_virtual_network_gateway_id,
            &[ExprStep::Key("peer_virtual_network_gateway_id")],
            GATEWAY,
            "peer_virtual_network_gateway_id",
        );
        let local = self.link_value(
            i,
            &a.local_network_gateway_id,
            &[ExprStep::Key("local_network_gateway_id")],
            LOCAL_GATEWAY,
            "local_network_gateway_id",
        );
        self.pending.connections.push(Connection {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            connection_type,
            gateway1: gateway1.map(|v| Link::Missing(ArmId::new(v))),
            gateway2: gateway2.map(|v| Link::Missing(ArmId::new(v))),
            local_gateway2: local.map(|v| Link::Missing(ArmId::new(v))),
            // Terraform records no connection status.
            status: String::new(),
            enable_bgp: a.bgp_enabled.or(a.enable_bgp).unwrap_or(false),
            origin: self.origin(&path),
        });
    }

    pub(super) fn vm(&mut self, i: usize, a: &TfVm) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let listed: Vec<Option<String>> =
            a.network_interface_ids.iter().flatten().map(|v| v.clone().filter(|s| !s.trim().is_empty())).collect();
        let mut nics: Vec<String> = Vec::new();
        if listed.iter().any(Option::is_none) || listed.is_empty() {
            // Unknown NIC ids: fill them, in order, with the NICs the references name.
            let (followed, refs) = self.follow_all(i, &[ExprStep::Key("network_interface_ids")], NIC);
            let mut extra =
                followed.into_iter().filter(|f| !listed.iter().flatten().any(|l| l.eq_ignore_ascii_case(f)));
            let mut missing = false;
            for l in &listed {
                match l {
                    Some(id) => nics.push(id.clone()),
                    None => match extra.next() {
                        Some(id) => nics.push(id),
                        None => missing = true,
                    },
                }
            }
            if listed.is_empty() {
                nics.extend(extra);
            }
            if missing
                || (nics.is_empty()
                    && (!refs.is_empty() || self.is_unknown(i, &[ExprStep::Key("network_interface_ids")])))
            {
                self.unresolved(i, "network_interface_ids", &refs);
            }
        } else {
            nics = listed.into_iter().flatten().collect();
        }
        let primary_nic = nonempty(&a.primary_network_interface_id)
            .and_then(|p| nics.iter().position(|n| n.eq_ignore_ascii_case(p)))
            .unwrap_or(0);
        let scale_set = self.link_value(
            i,
            &a.virtual_machine_scale_set_id,
            &[ExprStep::Key("virtual_machine_scale_set_id")],
            &["azurerm_orchestrated_virtual_machine_scale_set"],
            "virtual_machine_scale_set_id",
        );
        self.pending.vms.push(Vm {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            location: normalize_location(nonempty(&a.location).unwrap_or_default()).into(),
            nics: nics.into_iter().map(|n| Link::Missing(ArmId::new(n))).collect(),
            primary_nic,
            power_state: None,
            scale_set: scale_set.map(|s| Link::Missing(ArmId::new(&s))),
            origin: self.origin(&path),
        });
    }

    pub(super) fn private_endpoint(&mut self, i: usize, a: &TfPrivateEndpoint, nics: &mut BTreeMap<String, Nic>) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let subnet = self.link_value(i, &a.subnet_id, &[ExprStep::Key("subnet_id")], SUBNET, "subnet_id");
        let mut ips: Vec<IpAddr> = Vec::new();
        let mut candidates: Vec<(String, String)> = Vec::new();
        let mut group_ids: Vec<String> = Vec::new();
        for (c, conn) in blocks(&a.private_service_connection) {
            if let Some(t) = nonempty(&conn.private_ip_address) {
                candidates.push((t.to_string(), format!("{path}.private_service_connection[{c}].private_ip_address")));
            }
            group_ids.extend(texts(&conn.subresource_names).iter().map(|s| s.to_string()));
        }
        for (c, cfg) in blocks(&a.ip_configuration) {
            if let Some(t) = nonempty(&cfg.private_ip_address) {
                candidates.push((t.to_string(), format!("{path}.ip_configuration[{c}].private_ip_address")));
            }
            if let Some(g) = nonempty(&cfg.subresource_name)
                && !group_ids.iter().any(|x| x.eq_ignore_ascii_case(g))
            {
                group_ids.push(g.to_string());
            }
        }
        for (c, dns) in blocks(&a.custom_dns_configs) {
            for (k, t) in texts(&dns.ip_addresses).iter().enumerate() {
                candidates.push((t.to_string(), format!("{path}.custom_dns_configs[{c}].ip_addresses[{k}]")));
            }
        }
        for (text, p) in candidates {
            if let Some(ip) = self.pending.ip(&text, &p, &id)
                && !ips.contains(&ip)
            {
                ips.push(ip);
            }
        }
        // Azure creates the endpoint's NIC; Terraform only names it. It is lowered as ARM
        // exports it, so the endpoint's link resolves and its address is owned.
        let nic = blocks(&a.network_interface)
            .find_map(|(_, n)| nonempty(&n.id).map(|nid| (nid.to_string(), nonempty(&n.name).map(str::to_string))));
        if let Some((nic_id, nic_name)) = &nic {
            let key = normalize_id(nic_id);
            nics.entry(key).or_insert_with(|| Nic {
                id: ArmId::new(nic_id),
                name: nic_name.clone().unwrap_or_else(|| ArmId::new(nic_id).last_segment().to_string()),
                location: normalize_location(nonempty(&a.location).unwrap_or_default()).into(),
                ip_forwarding: false,
                nsg: None,
                vm: None,
                primary: None,
                ip_configs: ips
                    .iter()
                    .enumerate()
                    .map(|(k, ip)| IpConfig {
                        id: IpConfigId::Own(ArmId::new(format!(
                            "{nic_id}/ipConfigurations/privateEndpointIpConfig{k}"
                        ))),
                        name: format!("privateEndpointIpConfig{k}"),
                        private_ip: Some(*ip),
                        subnet: subnet.clone().map(|s| Link::Missing(ArmId::new(s))),
                        public_ip: None,
                        primary: k == 0,
                        application_security_groups: Vec::new(),
                    })
                    .collect(),
                private_endpoint: Some(ArmId::new(&id)),
                origin: Origin { file: self.pending.file, json_path: format!("{path}.network_interface").into() },
            });
        }
        self.pending.private_endpoints.push(PrivateEndpoint {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            subnet: subnet.map(|s| Link::Missing(ArmId::new(s))),
            ips,
            nic: nic.map(|(n, _)| Link::Missing(ArmId::new(n))),
            group_ids,
            origin: self.origin(&path),
        });
    }

    pub(super) fn public_ip(&mut self, i: usize, a: &TfPublicIp) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        self.pending.public_ips.push(PublicIp {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            ip: nonempty(&a.ip_address).and_then(|t| parse_ip(t).ok()),
            origin: self.origin(&path),
        });
    }
}
