//! Virtual WAN branch columns of the reachability matrix: each prefix a VPN site or an
//! ExpressRoute connection offers its hub (§20.2, §20.9), labelled by the site's name (the
//! connection's for ExpressRoute). A cell is traced to a representative address of the prefix,
//! as on-premises columns are.

use azroute_model::*;
use ipnet::IpNet;

use super::Column;
use crate::RouteEngine;
use crate::vwan::OfferKind;

/// How a branch is connected to its hub.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BranchKind {
    /// A VPN site over a hub's site-to-site VPN gateway.
    Vpn,
    /// An ExpressRoute circuit over a hub's ExpressRoute gateway.
    ExpressRoute,
}

impl BranchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BranchKind::Vpn => "Vpn",
            BranchKind::ExpressRoute => "ExpressRoute",
        }
    }
}

/// One prefix of one Virtual WAN branch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BranchColumn {
    pub prefix: IpNet,
    /// The VPN site's name, or the ExpressRoute connection's.
    pub name: String,
    pub kind: BranchKind,
    /// The hub connection (VPN or ExpressRoute) that offers the prefix.
    pub connection: ArmId,
    /// The VPN site, when the snapshot holds it.
    pub site: Option<ArmId>,
    pub hub: VirtualHubIdx,
}

impl BranchColumn {
    /// `site-branch1 192.168.10.0/24`.
    pub fn label(&self) -> String {
        format!("{} {}", self.name, self.prefix)
    }
}

/// Every IPv4 prefix each branch connection of each Virtual WAN hub offers, in hub and
/// connection order.
pub(super) fn branch_columns(engine: &RouteEngine<'_>) -> Vec<Column> {
    let snap = engine.snap();
    let mut out: Vec<BranchColumn> = Vec::new();
    for hub in &engine.topology().vwan.hubs {
        for c in &hub.connections {
            let kind = match c.kind {
                OfferKind::Vpn => BranchKind::Vpn,
                OfferKind::ExpressRoute => BranchKind::ExpressRoute,
                _ => continue,
            };
            let site_name = c
                .site
                .as_ref()
                .and_then(|id| snap.resolve_id(ResourceKind::VpnSite, id.as_str()))
                .map(|s| snap.vwan.vpn_sites[s as usize].name.clone());
            for prefix in c.branch_prefixes.iter().filter(|p| p.addr().is_ipv4()) {
                let column = BranchColumn {
                    prefix: *prefix,
                    name: site_name.clone().unwrap_or_else(|| c.name.clone()),
                    kind,
                    connection: c.id.clone(),
                    site: c.site.clone(),
                    hub: hub.hub,
                };
                if !out.iter().any(|o| o.connection == column.connection && o.prefix == column.prefix) {
                    out.push(column);
                }
            }
        }
    }
    out.into_iter().map(Column::Branch).collect()
}
