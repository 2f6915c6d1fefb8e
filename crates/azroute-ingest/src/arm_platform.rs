//! Lowering of the egress and platform-service resources from ARM JSON (REST, az CLI, Resource
//! Graph, §17.1): NAT gateways, public IP prefixes, application gateways, Bastion hosts, DNS
//! Private Resolver inbound endpoints and VM scale sets. Each keeps only where its addresses and
//! outbound identities are; a value Azure would refuse is a diagnostic naming its JSON path.

use azroute_model::*;

use crate::arm::{link, s};
use crate::dto::*;
use crate::pending::Pending;

/// Links of a list of `{id}` references, in input order.
fn links<T>(refs: &Option<Vec<RefDto<'_>>>) -> Vec<Link<T>> {
    refs.iter().flatten().filter_map(|r| link(&Some(r.clone()))).collect()
}

/// The subnets of a list of IP configurations, each once.
fn config_subnets(configs: &[IpConfig]) -> Vec<Link<SubnetIdx>> {
    let mut out: Vec<Link<SubnetIdx>> = Vec::new();
    for l in configs.iter().filter_map(|c| c.subnet.clone()) {
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

impl Pending {
    /// `ipConfigurations` (or another list of IP configurations) of a platform resource.
    fn platform_ip_configs(
        &mut self,
        configs: &Option<Vec<IpConfigDto<'_>>>,
        list_path: &str,
        owner: &str,
    ) -> Vec<IpConfig> {
        let mut out = Vec::new();
        for (i, c) in configs.iter().flatten().enumerate() {
            let p = || format!("{list_path}[{i}]");
            out.push(self.ip_config(c, &p, owner));
        }
        out
    }

    pub(crate) fn nat_gateway(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "NAT gateway", path) {
            return;
        }
        let gateway = NatGateway {
            id: ArmId::new(&id),
            name: s(&dto.name),
            sku: dto.sku.as_ref().map(|k| s(&k.name)).unwrap_or_default(),
            public_ips: links(&dto.public_ip_addresses),
            public_ip_prefixes: links(&dto.public_ip_prefixes),
            origin: self.origin(path),
        };
        self.nat_gateways.push(gateway);
    }

    pub(crate) fn public_ip_prefix(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "public IP prefix", path) {
            return;
        }
        let prefix = dto.ip_prefix.as_ref().and_then(|t| self.prefix(t.as_str(), &dto.path(path, "ipPrefix"), &id));
        let out = PublicIpPrefix { id: ArmId::new(&id), name: s(&dto.name), prefix, origin: self.origin(path) };
        self.public_ip_prefixes.push(out);
    }

    pub(crate) fn application_gateway(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "application gateway", path) {
            return;
        }
        let gateway_path = dto.path(path, "gatewayIPConfigurations");
        let gateway_configs = self.platform_ip_configs(&dto.gateway_ip_configurations, &gateway_path, &id);
        let frontend_path = dto.path(path, "frontendIPConfigurations");
        let frontends = self.platform_ip_configs(&dto.frontend_ip_configurations, &frontend_path, &id);
        let out = ApplicationGateway {
            id: ArmId::new(&id),
            name: s(&dto.name),
            tier: dto.sku.as_ref().map(|k| s(&k.tier)).unwrap_or_default(),
            frontend_private_ips: frontends.iter().filter_map(|c| c.private_ip).collect(),
            subnets: config_subnets(&gateway_configs),
            origin: self.origin(path),
        };
        self.application_gateways.push(out);
    }

    pub(crate) fn bastion_host(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "Bastion host", path) {
            return;
        }
        let configs = self.platform_ip_configs(&dto.ip_configurations, &dto.path(path, "ipConfigurations"), &id);
        let out = BastionHost {
            id: ArmId::new(&id),
            name: s(&dto.name),
            subnets: config_subnets(&configs),
            public_ips: configs.iter().filter_map(|c| c.public_ip.clone()).collect(),
            origin: self.origin(path),
        };
        self.bastion_hosts.push(out);
    }

    pub(crate) fn dns_inbound_endpoint(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "DNS resolver inbound endpoint", path) {
            return;
        }
        let configs = self.platform_ip_configs(&dto.ip_configurations, &dto.path(path, "ipConfigurations"), &id);
        let out = DnsResolverInboundEndpoint {
            id: ArmId::new(&id),
            name: s(&dto.name),
            ips: configs.iter().filter_map(|c| c.private_ip).collect(),
            subnets: config_subnets(&configs),
            origin: self.origin(path),
        };
        self.dns_inbound_endpoints.push(out);
    }

    pub(crate) fn scale_set(&mut self, dto: &ResourceDto<'_>, path: &str) {
        let id = s(&dto.id);
        if !self.require_id(&id, "virtual machine scale set", path) {
            return;
        }
        let nic_configs = dto
            .virtual_machine_profile
            .as_ref()
            .and_then(|p| p.network_profile.as_ref())
            .and_then(|n| n.network_interface_configurations.as_ref());
        let mut configs = Vec::new();
        for (n, nic) in nic_configs.into_iter().flatten().enumerate() {
            let list_path = format!(
                "{}.networkProfile.networkInterfaceConfigurations[{n}].ipConfigurations",
                dto.path(path, "virtualMachineProfile")
            );
            configs.extend(self.platform_ip_configs(&nic.ip_configurations, &list_path, &id));
        }
        let out = ScaleSet {
            id: ArmId::new(&id),
            name: s(&dto.name),
            orchestration_mode: OrchestrationMode::parse(&s(&dto.orchestration_mode)),
            subnets: config_subnets(&configs),
            origin: self.origin(path),
        };
        self.scale_sets.push(out);
    }

    /// `outboundRules[]` of a load balancer: each rule's frontends by name, and the NICs of its
    /// backend pool (looked up among the load balancer's own pools by id).
    pub(crate) fn lb_outbound_rules(&mut self, dto: &ResourceDto<'_>) -> Vec<LbOutboundRule> {
        let pools = dto.backend_address_pools.iter().flatten();
        let pool_nics = |pool_id: &str| -> Vec<Link<NicIdx>> {
            let mut nics: Vec<Link<NicIdx>> = Vec::new();
            let pool = pools.clone().find(|p| p.id.as_ref().is_some_and(|i| i.as_str().eq_ignore_ascii_case(pool_id)));
            for r in pool.and_then(|p| p.backend_ip_configurations.as_ref()).into_iter().flatten() {
                if let Some(cfg_id) = &r.id {
                    let l = Link::Missing(ArmId::new(crate::values::parent_id(cfg_id.as_str())));
                    if !nics.contains(&l) {
                        nics.push(l);
                    }
                }
            }
            nics
        };
        let last_segment = |id: &str| id.rsplit('/').next().unwrap_or("").to_string();
        dto.outbound_rules
            .iter()
            .flatten()
            .map(|rule| {
                let pool_id = rule.backend_address_pool.as_ref().and_then(|r| r.id.as_ref());
                LbOutboundRule {
                    name: s(&rule.name),
                    frontends: rule
                        .frontend_ip_configurations
                        .iter()
                        .flatten()
                        .filter_map(|r| r.id.as_ref().map(|i| last_segment(i.as_str())))
                        .collect(),
                    backend_nics: pool_id.map(|p| pool_nics(p.as_str())).unwrap_or_default(),
                }
            })
            .collect()
    }
}
