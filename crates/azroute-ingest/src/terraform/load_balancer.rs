//! Load balancers from Terraform (§17.1): `azurerm_lb` with its frontend IP configurations,
//! `azurerm_lb_backend_address_pool`, `azurerm_lb_outbound_rule` and
//! `azurerm_network_interface_backend_address_pool_association`, lowered into the same
//! `LoadBalancer` (backend NICs, outbound rules) as an ARM `loadBalancers` export, so a NIC's
//! `LoadBalancerOutbound` egress is the same from either. The attribute names are those of
//! azurerm 3.x and 4.x alike. Pools, rules and associations are separate resources, joined once
//! every resource of the file is lowered.

use super::*;

pub(super) const LOAD_BALANCER: &[&str] = &["azurerm_lb"];
pub(super) const LB_POOL: &[&str] = &["azurerm_lb_backend_address_pool"];

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfLbFrontend {
    pub(super) name: Option<String>,
    pub(super) subnet_id: Option<String>,
    pub(super) private_ip_address: Option<String>,
    pub(super) public_ip_address_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfLoadBalancer {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) sku: Option<String>,
    pub(super) frontend_ip_configuration: Blocks<TfLbFrontend>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfLbPool {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) loadbalancer_id: Option<String>,
    /// Computed: the NIC IP configurations in the pool (a state records them).
    pub(super) backend_ip_configurations: Strs,
}

/// An outbound rule's `frontend_ip_configuration { name }` block.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfLbRuleFrontend {
    pub(super) name: Option<String>,
    pub(super) id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfLbOutboundRule {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) loadbalancer_id: Option<String>,
    pub(super) backend_address_pool_id: Option<String>,
    pub(super) frontend_ip_configuration: Blocks<TfLbRuleFrontend>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfNicPoolAssociation {
    pub(super) network_interface_id: Option<String>,
    pub(super) backend_address_pool_id: Option<String>,
}

fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

impl Lowerer<'_, '_> {
    pub(super) fn load_balancer(&mut self, i: usize, a: &TfLoadBalancer) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let frontends = blocks(&a.frontend_ip_configuration)
            .map(|(_, f)| LbFrontend {
                name: nonempty(&f.name).unwrap_or_default().to_string(),
                private_ip: nonempty(&f.private_ip_address).and_then(|t| parse_ip(t).ok()),
                subnet: nonempty(&f.subnet_id).map(|s| Link::Missing(ArmId::new(s))),
                public_ip: nonempty(&f.public_ip_address_id).map(|p| Link::Missing(ArmId::new(p))),
            })
            .collect();
        self.pending.load_balancers.push(LoadBalancer {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            // The provider's documented default SKU is Basic.
            sku: nonempty(&a.sku).unwrap_or("Basic").to_string(),
            frontends,
            backend_nics: Vec::new(),
            outbound_rules: Vec::new(),
            origin: self.origin(&path),
        });
    }

    /// Backend pools (ids synthesised under their load balancer when a plan does not know them
    /// yet), their NICs from the pools' own `backend_ip_configurations` and from the NIC
    /// association resources, then each load balancer's backend NICs and outbound rules.
    pub(super) fn apply_load_balancer_members(&mut self) {
        // pool key → (load balancer key, NIC ids)
        let mut pools: HashMap<String, (String, Vec<String>)> = HashMap::new();
        self.each_of(attrs_of!(LbPool), |this, i, a| {
            let lb = this.link_value(
                i,
                &a.loadbalancer_id,
                &[ExprStep::Key("loadbalancer_id")],
                LOAD_BALANCER,
                "loadbalancer_id",
            );
            if this.ids[i].is_none()
                && let (Some(lb), Some(name)) = (&lb, nonempty(&a.name))
            {
                this.ids[i] = Some(format!("{lb}/backendAddressPools/{name}"));
            }
            let nics = texts(&a.backend_ip_configurations).into_iter().map(parent_id).collect();
            if let (Some(pool), Some(lb)) = (this.ids[i].clone(), lb) {
                pools.insert(normalize_id(&pool), (normalize_id(&lb), nics));
            }
        });
        self.each_of(attrs_of!(NicPoolAssociation), |this, i, a| {
            let pool = this.link_value(
                i,
                &a.backend_address_pool_id,
                &[ExprStep::Key("backend_address_pool_id")],
                LB_POOL,
                "backend_address_pool_id",
            );
            let nic = this.link_value(
                i,
                &a.network_interface_id,
                &[ExprStep::Key("network_interface_id")],
                NIC,
                "network_interface_id",
            );
            if let (Some(pool), Some(nic)) = (pool, nic)
                && let Some((_, nics)) = pools.get_mut(&normalize_id(&pool))
                && !nics.iter().any(|n| n.eq_ignore_ascii_case(&nic))
            {
                nics.push(nic);
            }
        });
        let nic_links =
            |nics: &[String]| nics.iter().map(|n| Link::Missing(ArmId::new(n))).collect::<Vec<Link<NicIdx>>>();
        for lb in &mut self.pending.load_balancers {
            let key = lb.id.key();
            for (_, nics) in pools.values().filter(|(l, _)| *l == key) {
                for n in nic_links(nics) {
                    push_unique(&mut lb.backend_nics, n);
                }
            }
        }
        self.each_of(attrs_of!(LbOutboundRule), |this, i, a| {
            let lb = this.link_value(
                i,
                &a.loadbalancer_id,
                &[ExprStep::Key("loadbalancer_id")],
                LOAD_BALANCER,
                "loadbalancer_id",
            );
            let pool = this.link_value(
                i,
                &a.backend_address_pool_id,
                &[ExprStep::Key("backend_address_pool_id")],
                LB_POOL,
                "backend_address_pool_id",
            );
            let rule = LbOutboundRule {
                name: nonempty(&a.name).unwrap_or_default().to_string(),
                frontends: blocks(&a.frontend_ip_configuration)
                    .filter_map(|(_, f)| {
                        nonempty(&f.name).or_else(|| nonempty(&f.id).and_then(|id| id.rsplit('/').next()))
                    })
                    .map(str::to_string)
                    .collect(),
                backend_nics: pool
                    .and_then(|p| pools.get(&normalize_id(&p)))
                    .map(|(_, nics)| nic_links(nics))
                    .unwrap_or_default(),
            };
            let Some(lb) = lb.map(|l| normalize_id(&l)) else { return };
            if let Some(target) = this.pending.load_balancers.iter_mut().find(|b| b.id.key() == lb) {
                target.outbound_rules.push(rule);
            }
        });
    }
}
