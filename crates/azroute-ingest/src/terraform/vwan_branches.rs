//! Virtual WAN branches from Terraform (§20.1): `azurerm_vpn_site` (its `address_cidrs` and
//! `link` blocks), `azurerm_vpn_gateway` (its `bgp_settings` instance blocks),
//! `azurerm_vpn_gateway_connection`, `azurerm_express_route_gateway` and
//! `azurerm_express_route_connection` (3.x `enable_internet_security`, 4.x
//! `internet_security_enabled`), lowered into the same model as the ARM JSON. Connections are
//! separate resources in Terraform: each joins its gateway (lowered first).

use super::*;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfSiteLinkBgp {
    pub(super) asn: Option<i64>,
    pub(super) peering_address: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfSiteLink {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) ip_address: Option<String>,
    pub(super) bgp: Blocks<TfSiteLinkBgp>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfVpnSite {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) location: Option<String>,
    pub(super) virtual_wan_id: Option<String>,
    pub(super) address_cidrs: Strs,
    pub(super) link: Blocks<TfSiteLink>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfInstanceBgp {
    pub(super) ip_configuration_id: Option<String>,
    pub(super) default_ips: Strs,
    pub(super) tunnel_ips: Strs,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfVpnBgpSettings {
    pub(super) asn: Option<i64>,
    pub(super) instance_0_bgp_peering_address: Blocks<TfInstanceBgp>,
    pub(super) instance_1_bgp_peering_address: Blocks<TfInstanceBgp>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfVpnGateway {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) location: Option<String>,
    pub(super) virtual_hub_id: Option<String>,
    pub(super) bgp_settings: Blocks<TfVpnBgpSettings>,
}

/// `routing.propagated_route_table` of a VPN or ExpressRoute connection.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfBranchPropagated {
    pub(super) labels: Strs,
    pub(super) route_table_ids: Strs,
}

/// `routing` of a VPN connection (`associated_route_table`) or an ExpressRoute connection
/// (`associated_route_table_id`).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfBranchRouting {
    pub(super) associated_route_table: Option<String>,
    pub(super) associated_route_table_id: Option<String>,
    pub(super) propagated_route_table: Blocks<TfBranchPropagated>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfVpnLink {
    pub(super) name: Option<String>,
    pub(super) vpn_site_link_id: Option<String>,
    pub(super) bgp_enabled: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfVpnConnection {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) vpn_gateway_id: Option<String>,
    pub(super) remote_vpn_site_id: Option<String>,
    pub(super) internet_security_enabled: Option<bool>,
    pub(super) routing: Blocks<TfBranchRouting>,
    pub(super) vpn_link: Blocks<TfVpnLink>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfErGateway {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) resource_group_name: Option<String>,
    pub(super) location: Option<String>,
    pub(super) virtual_hub_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TfErConnection {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) express_route_gateway_id: Option<String>,
    pub(super) express_route_circuit_peering_id: Option<String>,
    /// 3.x.
    pub(super) enable_internet_security: Option<bool>,
    /// 4.x.
    pub(super) internet_security_enabled: Option<bool>,
    pub(super) routing: Blocks<TfBranchRouting>,
}

fn ips(v: &Strs) -> Vec<IpAddr> {
    texts(v).into_iter().filter_map(|t| parse_ip(t).ok()).collect()
}

fn branch_routing(r: Option<&TfBranchRouting>) -> ConnectionRouting {
    let Some(r) = r else { return ConnectionRouting::default() };
    let propagated = blocks(&r.propagated_route_table).map(|(_, p)| p).next().map(|p| PropagatedRouteTables {
        ids: texts(&p.route_table_ids).into_iter().map(ArmId::new).collect(),
        labels: texts(&p.labels).into_iter().map(str::to_string).collect(),
    });
    ConnectionRouting {
        associated_route_table: nonempty(&r.associated_route_table)
            .or(nonempty(&r.associated_route_table_id))
            .map(ArmId::new),
        propagated_route_tables: propagated,
        ..ConnectionRouting::default()
    }
}

/// The id of a site link: its own, or (a plan creating the site) `<site>/vpnSiteLinks/<name>`
/// as Azure assigns it.
fn site_link_id(site: &str, link: &TfSiteLink) -> Option<String> {
    match nonempty(&link.id) {
        Some(id) => Some(id.to_string()),
        None => nonempty(&link.name).map(|name| format!("{site}/vpnSiteLinks/{name}")),
    }
}

/// The `link` block index a reference to a VPN site names (`azurerm_vpn_site.s.link[1].id` →
/// 1), past the resource's own type, name and instance key.
fn link_index(reference: &str) -> Option<usize> {
    let steps = parse_steps(reference)?;
    let skip = if matches!(steps.get(2), Some(Step::Index(_))) { 3 } else { 2 };
    steps.get(skip..)?.windows(2).find_map(|w| match w {
        [Step::Name(n), Step::Index(k)] if n == "link" => k.parse().ok(),
        _ => None,
    })
}

/// The id of a connection, or (a plan) `<gateway>/<kind>/<name>` as Azure assigns it.
fn child_id(own: Option<String>, gateway: Option<&str>, kind: &str, name: &str) -> Option<String> {
    own.or_else(|| gateway.map(|g| format!("{g}/{kind}/{name}")))
}

impl Lowerer<'_, '_> {
    pub(super) fn vpn_site(&mut self, i: usize, a: &TfVpnSite) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let links: Vec<VpnSiteLink> = blocks(&a.link)
            .map(|(_, l)| {
                let bgp = blocks(&l.bgp).map(|(_, b)| b).next();
                VpnSiteLink {
                    id: ArmId::new(site_link_id(&id, l).unwrap_or_else(|| format!("{id}/vpnSiteLinks/"))),
                    name: nonempty(&l.name).unwrap_or_default().to_string(),
                    ip_address: nonempty(&l.ip_address).and_then(|t| parse_ip(t).ok()),
                    bgp_asn: bgp.and_then(|b| b.asn),
                    bgp_peering_address: bgp.and_then(|b| nonempty(&b.peering_address)).and_then(|t| parse_ip(t).ok()),
                }
            })
            .collect();
        self.pending.vpn_sites.push(VpnSite {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            location: normalize_location(nonempty(&a.location).unwrap_or_default()),
            virtual_wan: nonempty(&a.virtual_wan_id).map(ArmId::new),
            address_space: texts(&a.address_cidrs).into_iter().filter_map(|t| parse_prefix(t).ok()).collect(),
            // Terraform has BGP per link only, as `vpnSiteLinks[].bgpProperties`.
            bgp_asn: None,
            links,
            origin: self.origin(&path),
        });
    }

    pub(super) fn vpn_gateway(&mut self, i: usize, a: &TfVpnGateway) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let bgp = blocks(&a.bgp_settings).map(|(_, b)| b).next();
        let instances = bgp
            .into_iter()
            .flat_map(|b| blocks(&b.instance_0_bgp_peering_address).chain(blocks(&b.instance_1_bgp_peering_address)))
            .map(|(_, p)| VpnGatewayInstance {
                instance: nonempty(&p.ip_configuration_id).unwrap_or_default().to_string(),
                default_bgp_ips: ips(&p.default_ips),
                tunnel_ips: ips(&p.tunnel_ips),
            })
            .collect();
        self.pending.vpn_gateways.push(VpnGateway {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            location: normalize_location(nonempty(&a.location).unwrap_or_default()),
            hub: nonempty(&a.virtual_hub_id).map(ArmId::new),
            asn: bgp.and_then(|b| b.asn),
            instances,
            connections: Vec::new(),
            origin: self.origin(&path),
        });
    }

    /// A VPN connection, joined to its gateway (lowered before).
    pub(super) fn vpn_gateway_connection(&mut self, i: usize, a: &TfVpnConnection) {
        let name = nonempty(&a.name).unwrap_or_default().to_string();
        let gateway = nonempty(&a.vpn_gateway_id);
        let Some(id) = child_id(self.id(i), gateway, "vpnConnections", &name) else { return };
        let links: Vec<(usize, &TfVpnLink)> = blocks(&a.vpn_link).collect();
        let site_path = [ExprStep::Key("remote_vpn_site_id")];
        let site = self.link_value(i, &a.remote_vpn_site_id, &site_path, VPN_SITE, "remote_vpn_site_id");
        let site_links = links.iter().filter_map(|&(n, l)| self.vpn_site_link_id(i, n, l)).map(ArmId::new).collect();
        let connection = VpnConnection {
            id: ArmId::new(&id),
            name,
            remote_vpn_site: site.map(ArmId::new),
            enable_internet_security: a.internet_security_enabled,
            enable_bgp: links.iter().any(|(_, l)| l.bgp_enabled == Some(true)),
            site_links,
            routing: branch_routing(blocks(&a.routing).map(|(_, r)| r).next()),
        };
        let key = normalize_id(gateway.map_or_else(|| parent_id(&id), str::to_string).as_str());
        if let Some(g) = self.pending.vpn_gateways.iter_mut().find(|g| normalize_id(g.id.as_str()) == key) {
            g.connections.push(connection);
        }
    }

    /// `vpn_link[n].vpn_site_link_id`: its value when known, else (a plan creating the site) the
    /// site link the configuration's references name, with the id Azure will assign it.
    fn vpn_site_link_id(&mut self, i: usize, n: usize, link: &TfVpnLink) -> Option<String> {
        if let Some(known) = nonempty(&link.vpn_site_link_id) {
            return Some(known.to_string());
        }
        let by_index = [ExprStep::Key("vpn_link"), ExprStep::Idx(n), ExprStep::Key("vpn_site_link_id")];
        let by_name = nonempty(&link.name)
            .map(|name| [ExprStep::Key("vpn_link"), ExprStep::Named(name), ExprStep::Key("vpn_site_link_id")]);
        let mut refs = by_name.map(|path| self.references(i, &path)).unwrap_or_default();
        if refs.is_empty() {
            refs = self.references(i, &by_index);
        }
        let scope = self.insts[i].addr.module.clone();
        for reference in &refs {
            self.budget.set(MAX_REFERENCE_STEPS);
            for t in self.resolve(&scope, reference, 0) {
                if let Some(id) = self.site_link_of(t, reference) {
                    return Some(id);
                }
            }
        }
        if !refs.is_empty() || self.is_unknown(i, &by_index) {
            self.unresolved(i, &format!("vpn_link[{n}].vpn_site_link_id"), &refs);
        }
        None
    }

    /// The site link a reference to instance `t` names, when `t` is a VPN site: the `link[k]`
    /// the reference names, else the site's only link.
    fn site_link_of(&self, t: usize, reference: &str) -> Option<String> {
        let (Some(Attrs::VpnSite(site)), Some(site_id)) = (&self.attrs[t], &self.ids[t]) else { return None };
        let link = match link_index(reference) {
            Some(k) => blocks(&site.link).find(|&(j, _)| j == k).map(|(_, l)| l),
            None => match blocks(&site.link).collect::<Vec<_>>().as_slice() {
                [(_, only)] => Some(*only),
                _ => None,
            },
        }?;
        site_link_id(site_id, link)
    }

    pub(super) fn express_route_gateway(&mut self, i: usize, a: &TfErGateway) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        self.pending.express_route_gateways.push(ExpressRouteGateway {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            location: normalize_location(nonempty(&a.location).unwrap_or_default()),
            hub: nonempty(&a.virtual_hub_id).map(ArmId::new),
            connections: Vec::new(),
            origin: self.origin(&path),
        });
    }

    /// An ExpressRoute connection, joined to its gateway (lowered before).
    pub(super) fn express_route_connection(&mut self, i: usize, a: &TfErConnection) {
        let name = nonempty(&a.name).unwrap_or_default().to_string();
        let gateway = nonempty(&a.express_route_gateway_id);
        let Some(id) = child_id(self.id(i), gateway, "expressRouteConnections", &name) else { return };
        let connection = ExpressRouteConnection {
            id: ArmId::new(&id),
            name,
            circuit_peering: nonempty(&a.express_route_circuit_peering_id).map(ArmId::new),
            enable_internet_security: a.internet_security_enabled.or(a.enable_internet_security),
            routing: branch_routing(blocks(&a.routing).map(|(_, r)| r).next()),
        };
        let key = normalize_id(gateway.map_or_else(|| parent_id(&id), str::to_string).as_str());
        if let Some(g) = self.pending.express_route_gateways.iter_mut().find(|g| normalize_id(g.id.as_str()) == key) {
            g.connections.push(connection);
        }
    }
}
