//! Egress and platform services from Terraform (§17.1): `azurerm_nat_gateway` with its public IP
//! and prefix associations, `azurerm_public_ip_prefix`, `azurerm_application_gateway`,
//! `azurerm_bastion_host`, `azurerm_private_dns_resolver_inbound_endpoint`, the three VM scale
//! set types, and the classic inline firewall rule collections
//! (`azurerm_firewall_{network,application,nat}_rule_collection`, §16.1), lowered into the same
//! model as the ARM JSON. Associations are applied once every resource of the file is lowered.

use super::*;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfNatGateway {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) sku_name: Option<String>,
}

/// `azurerm_nat_gateway_public_ip_association` and `…_public_ip_prefix_association`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfNatGatewayAddress {
    pub(super) nat_gateway_id: Option<String>,
    pub(super) public_ip_address_id: Option<String>,
    pub(super) public_ip_prefix_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfSubnetNatGatewayAssociation {
    pub(super) subnet_id: Option<String>,
    pub(super) nat_gateway_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfPublicIpPrefix {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) ip_prefix: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfSku {
    pub(super) name: Option<String>,
    pub(super) tier: Option<String>,
}

/// An IP configuration block of the platform services: gateway, frontend, Bastion, resolver
/// endpoint and scale-set configurations all name a subnet, some a private or public IP.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfServiceIpConfig {
    pub(super) subnet_id: Option<String>,
    pub(super) private_ip_address: Option<String>,
    pub(super) public_ip_address_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfApplicationGateway {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) sku: Blocks<TfSku>,
    pub(super) gateway_ip_configuration: Blocks<TfServiceIpConfig>,
    pub(super) frontend_ip_configuration: Blocks<TfServiceIpConfig>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfBastionHost {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) ip_configuration: Blocks<TfServiceIpConfig>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfDnsInboundEndpoint {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) private_dns_resolver_id: Option<String>,
    pub(super) ip_configurations: Blocks<TfServiceIpConfig>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfScaleSetNic {
    pub(super) ip_configuration: Blocks<TfServiceIpConfig>,
}

/// `azurerm_linux_virtual_machine_scale_set`, `azurerm_windows_…` (Uniform) and
/// `azurerm_orchestrated_virtual_machine_scale_set` (Flexible).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfScaleSet {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) network_interface: Blocks<TfScaleSetNic>,
}

/// An application rule's `protocol { type, port }` block (classic collections).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfClassicAppProtocol {
    #[serde(rename = "type")]
    pub(super) protocol_type: Option<String>,
    pub(super) port: Option<u16>,
}

/// A rule of a classic collection; the attributes a kind lacks stay empty.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfClassicRule {
    pub(super) name: Option<String>,
    pub(super) protocols: Strs,
    pub(super) protocol: Blocks<TfClassicAppProtocol>,
    pub(super) source_addresses: Strs,
    pub(super) source_ip_groups: Strs,
    pub(super) destination_addresses: Strs,
    pub(super) destination_ip_groups: Strs,
    pub(super) destination_fqdns: Strs,
    pub(super) destination_ports: Strs,
    pub(super) target_fqdns: Strs,
    pub(super) fqdn_tags: Strs,
    pub(super) translated_address: Option<String>,
    pub(super) translated_port: Option<String>,
}

/// `azurerm_firewall_{network,application,nat}_rule_collection`: a collection inline in the
/// firewall named by `azure_firewall_name` in `resource_group_name`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfClassicCollection {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) azure_firewall_name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) priority: Option<u32>,
    pub(super) action: Option<String>,
    pub(super) rule: Blocks<TfClassicRule>,
}

fn link_of<T>(id: &Option<String>) -> Option<Link<T>> {
    nonempty(id).map(|i| Link::Missing(ArmId::new(i)))
}

/// The distinct subnets of IP configuration blocks, in order.
fn subnets_of(configs: &Blocks<TfServiceIpConfig>) -> Vec<Link<SubnetIdx>> {
    let mut out: Vec<Link<SubnetIdx>> = Vec::new();
    for l in blocks(configs).filter_map(|(_, c)| link_of(&c.subnet_id)) {
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

fn private_ips(configs: &Blocks<TfServiceIpConfig>) -> Vec<IpAddr> {
    blocks(configs).filter_map(|(_, c)| nonempty(&c.private_ip_address).and_then(|t| parse_ip(t).ok())).collect()
}

fn classic_rule(r: &TfClassicRule) -> FwRule {
    let addresses = |v: &Strs| texts(v).into_iter().map(FwAddress::parse).collect::<Vec<_>>();
    let strings = |v: &Strs| texts(v).into_iter().map(str::to_string).collect::<Vec<_>>();
    let groups = |v: &Strs| texts(v).into_iter().map(|g| Link::Missing(ArmId::new(g))).collect::<Vec<_>>();
    FwRule {
        name: nonempty(&r.name).unwrap_or_default().to_string(),
        protocols: texts(&r.protocols).into_iter().map(FwProtocol::parse).collect(),
        app_protocols: blocks(&r.protocol)
            .map(|(_, p)| FwAppProtocol {
                protocol_type: nonempty(&p.protocol_type).unwrap_or_default().to_string(),
                port: p.port,
            })
            .collect(),
        source_addresses: addresses(&r.source_addresses),
        source_ip_groups: groups(&r.source_ip_groups),
        destination_addresses: addresses(&r.destination_addresses),
        destination_ip_groups: groups(&r.destination_ip_groups),
        destination_fqdns: strings(&r.destination_fqdns),
        destination_ports: texts(&r.destination_ports).into_iter().map(FwPort::parse).collect(),
        target_fqdns: strings(&r.target_fqdns),
        fqdn_tags: strings(&r.fqdn_tags),
        translated_address: nonempty(&r.translated_address).map(str::to_string),
        translated_port: nonempty(&r.translated_port).map(str::to_string),
        ..FwRule::default()
    }
}

/// A classic collection read, waiting for its firewall: (resource group, firewall name).
pub(super) struct PendingClassic {
    pub(super) firewall: (String, String),
    pub(super) collection: FwRuleCollection,
    pub(super) address: String,
}

impl Lowerer<'_, '_> {
    pub(super) fn nat_gateway(&mut self, i: usize, a: &TfNatGateway) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        self.pending.nat_gateways.push(NatGateway {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            // The provider's default SKU is Standard.
            sku: nonempty(&a.sku_name).unwrap_or("Standard").to_string(),
            public_ips: Vec::new(),
            public_ip_prefixes: Vec::new(),
            origin: self.origin(&path),
        });
    }

    pub(super) fn public_ip_prefix(&mut self, i: usize, a: &TfPublicIpPrefix) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let prefix = nonempty(&a.ip_prefix).and_then(|t| t.parse::<IpNet>().ok());
        self.pending.public_ip_prefixes.push(PublicIpPrefix {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            prefix,
            origin: self.origin(&path),
        });
    }

    pub(super) fn application_gateway(&mut self, i: usize, a: &TfApplicationGateway) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        self.pending.application_gateways.push(ApplicationGateway {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            tier: blocks(&a.sku).find_map(|(_, s)| nonempty(&s.tier)).unwrap_or_default().to_string(),
            frontend_private_ips: private_ips(&a.frontend_ip_configuration),
            subnets: subnets_of(&a.gateway_ip_configuration),
            origin: self.origin(&path),
        });
    }

    pub(super) fn bastion_host(&mut self, i: usize, a: &TfBastionHost) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        self.pending.bastion_hosts.push(BastionHost {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            subnets: subnets_of(&a.ip_configuration),
            public_ips: blocks(&a.ip_configuration).filter_map(|(_, c)| link_of(&c.public_ip_address_id)).collect(),
            origin: self.origin(&path),
        });
    }

    /// A resolver's inbound endpoint: its id, or the resolver's and its name.
    pub(super) fn dns_inbound_endpoint(&mut self, i: usize, a: &TfDnsInboundEndpoint) {
        let name = nonempty(&a.name).unwrap_or_default().to_string();
        let id = match (self.id(i), nonempty(&a.private_dns_resolver_id)) {
            (Some(id), _) => id,
            (None, Some(resolver)) => format!("{resolver}/inboundEndpoints/{name}"),
            (None, None) => return,
        };
        let path = self.insts[i].path.clone();
        self.pending.dns_inbound_endpoints.push(DnsResolverInboundEndpoint {
            id: ArmId::new(&id),
            name,
            ips: private_ips(&a.ip_configurations),
            subnets: subnets_of(&a.ip_configurations),
            origin: self.origin(&path),
        });
    }

    pub(super) fn scale_set(&mut self, i: usize, a: &TfScaleSet, mode: OrchestrationMode) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let mut subnets: Vec<Link<SubnetIdx>> = Vec::new();
        for (_, nic) in blocks(&a.network_interface) {
            for l in subnets_of(&nic.ip_configuration) {
                if !subnets.contains(&l) {
                    subnets.push(l);
                }
            }
        }
        self.pending.scale_sets.push(ScaleSet {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            orchestration_mode: mode,
            subnets,
            origin: self.origin(&path),
        });
    }

    pub(super) fn classic_collection(&mut self, i: usize, a: &TfClassicCollection, kind: FwRuleKind) {
        let (Some(rg), Some(firewall)) = (nonempty(&a.resource_group_name), nonempty(&a.azure_firewall_name)) else {
            return;
        };
        let path = format!("{}.priority", self.insts[i].path);
        let id = self.id(i).unwrap_or_default();
        let collection = FwRuleCollection {
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            priority: super::firewall::tf_priority(self.pending, a.priority, &path, &id),
            kind,
            action: FwAction::parse(nonempty(&a.action).unwrap_or_default()),
            rules: blocks(&a.rule).map(|(_, r)| classic_rule(r)).collect(),
        };
        let address = self.insts[i].shown.clone();
        self.classic.push(PendingClassic {
            firewall: (rg.to_ascii_lowercase(), firewall.to_ascii_lowercase()),
            collection,
            address,
        });
    }

    /// NAT gateways' public IPs and prefixes from their association resources (ids a plan does
    /// not know yet are followed through its configuration).
    pub(super) fn apply_nat_gateway_addresses(&mut self) {
        self.each_of(attrs_of!(NatGatewayAddress), |this, i, a| {
            let gateway = this.link_value(
                i,
                &a.nat_gateway_id,
                &[ExprStep::Key("nat_gateway_id")],
                NAT_GATEWAY,
                "nat_gateway_id",
            );
            let (ip, prefix) = if this.insts[i].addr.rtype == "azurerm_nat_gateway_public_ip_prefix_association" {
                (
                    None,
                    this.link_value(
                        i,
                        &a.public_ip_prefix_id,
                        &[ExprStep::Key("public_ip_prefix_id")],
                        PUBLIC_IP_PREFIX,
                        "public_ip_prefix_id",
                    ),
                )
            } else {
                (
                    this.link_value(
                        i,
                        &a.public_ip_address_id,
                        &[ExprStep::Key("public_ip_address_id")],
                        PUBLIC_IP,
                        "public_ip_address_id",
                    ),
                    None,
                )
            };
            let Some(gateway) = gateway.map(|g| normalize_id(&g)) else { return };
            let Some(g) = this.pending.nat_gateways.iter_mut().find(|g| g.id.key() == gateway) else { return };
            if let Some(ip) = ip.map(|t| Link::Missing(ArmId::new(&t)))
                && !g.public_ips.contains(&ip)
            {
                g.public_ips.push(ip);
            }
            if let Some(prefix) = prefix.map(|t| Link::Missing(ArmId::new(&t)))
                && !g.public_ip_prefixes.contains(&prefix)
            {
                g.public_ip_prefixes.push(prefix);
            }
        });
    }

    /// Classic collections into their firewall of this file, in the order the ARM JSON lists
    /// them (NAT, network, application; then priority). A collection whose firewall is not in
    /// the file is a warning naming it.
    pub(super) fn attach_classic_collections(&mut self) {
        let order = |k: FwRuleKind| match k {
            FwRuleKind::Nat => 0,
            FwRuleKind::Network => 1,
            FwRuleKind::Application => 2,
        };
        let mut pending = std::mem::take(&mut self.classic);
        pending.sort_by(|a, b| {
            (order(a.collection.kind), a.collection.priority, &a.collection.name).cmp(&(
                order(b.collection.kind),
                b.collection.priority,
                &b.collection.name,
            ))
        });
        for c in pending {
            let of_firewall = |f: &Firewall| {
                let rg = f.id.as_str().split('/').nth(4).unwrap_or_default().to_ascii_lowercase();
                (rg, f.name.to_ascii_lowercase()) == c.firewall
            };
            match self.pending.firewalls.iter_mut().find(|f| of_firewall(f)) {
                Some(f) => f.classic.push(c.collection),
                None => self.pending.diag(
                    Diagnostic::warning(
                        "DanglingReference",
                        format!(
                            "`{}` is a rule collection of Azure Firewall `{}/{}`, which is not in this Terraform input; ignored",
                            c.address, c.firewall.0, c.firewall.1
                        ),
                    )
                    .hint("include the firewall's resource in the same state or plan"),
                ),
            }
        }
    }
}
