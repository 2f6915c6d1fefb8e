//! Where packets enter or leave Azure: through a virtual network gateway to on-premises or a
//! VNet-to-VNet peer (§5.3, §3.4), from on-premises through a gateway, and from the Internet to
//! a public IP (§9.1).

use std::net::IpAddr;

use azroute_model::*;

use super::walk::{Packet, Start, Step, Walk};
use super::{Hop, HopKind, HopNote, HopResource, Owner, PathTrace, Tracer, Verdict};
use crate::RouteError;
use crate::finding::*;
use crate::route::*;

impl Tracer<'_, '_> {
    /// A packet arriving from outside Azure: from on-premises through a gateway (a local network
    /// gateway's prefixes first, then a Virtual WAN branch's), or from the Internet to a public
    /// IP.
    pub(super) fn arriving_from_outside(&self, src: IpAddr, pkt: Packet) -> Result<PathTrace, RouteError> {
        if let Some(g) = self.on_premises_gateway(src) {
            let walk = Walk::from_hop(Some(Hop::new(HopKind::OnPremises, HopResource::OnPremises, Some(src))));
            return self.continue_walk(walk, Start::Gateway { gateway: g }, pkt, &[]);
        }
        // A Virtual WAN branch enters by its hub's gateway (§20.16).
        if let Some(branch) = self.wan_branch(src) {
            return self.arriving_from_branch(src, branch, pkt, &[]);
        }
        // From the Internet: only a public IP can be reached.
        let mut walk = Walk::from_hop(Some(Hop::new(HopKind::Internet, HopResource::Internet, Some(src))));
        let public_owner = self.addressing.owners(pkt.dst).iter().find_map(|o| match o {
            Owner::PublicIp { nic } => Some(*nic),
            _ => None,
        });
        let Some(nic) = public_owner else {
            // A firewall's public IP: its DNAT rules decide (§16.4, §16.3).
            if let Some(firewall) = self.firewall_with_public_ip(pkt.dst) {
                return self.enter_firewall_from_internet(walk, firewall, pkt);
            }
            let nobody =
                NoHostAtDestination::NotPublic { source: src, destination: pkt.dst, private: self.is_private(pkt.dst) };
            walk.findings.push(Finding::new(nobody));
            return Ok(walk.finish(Verdict::Dropped));
        };
        // Azure translates the public IP to the NIC's private IP; inbound NSGs see the private
        // destination (§9.1).
        let private = self.snap().nics[nic.index()].primary_ip_config().and_then(|c| c.private_ip).unwrap_or(pkt.dst);
        let inner = Packet { dst: private, ..pkt };
        let mut hop = Hop::new(HopKind::Destination, HopResource::Nic(nic), Some(private));
        hop.subnet = self.nic_subnet(nic).ok();
        hop.notes.push(HopNote::PublicIpTranslated { public: pkt.dst, private });
        walk.hops.push(hop);
        if !self.nsg_at(&mut walk, nic, Direction::Inbound, inner, &[]) {
            return Ok(walk.finish(Verdict::Dropped));
        }
        Ok(walk.finish(Verdict::Delivered))
    }

    /// Traffic entering Azure by a gateway: the GatewaySubnet's routes decide.
    pub(super) fn enter_through_gateway(&self, walk: &mut Walk, gateway: GatewayIdx) -> Step {
        let snap = self.snap();
        walk.from_gateway = true;
        let gw = &snap.gateways[gateway.index()];
        let mut hop =
            Hop::new(HopKind::VirtualNetworkGateway, HopResource::Gateway(gateway), gw.instance_ips.first().copied());
        hop.notes.push(HopNote::EntersThroughGateway);
        walk.hops.push(hop);
        let gateway_subnet = gw.vnet.as_ref().and_then(|l| l.resolved()).and_then(|v| {
            snap.vnets[v.index()].subnets.iter().copied().find(|s| snap.subnets[s.index()].is_gateway_subnet())
        });
        match gateway_subnet {
            Some(subnet) => Step::At { subnet, nic: None },
            None => {
                walk.findings.push(Finding::new(NextHopUnreachable::NoGatewaySubnet { gateway }));
                Step::Ended(Verdict::Dropped)
            }
        }
    }

    /// Next hop VirtualNetworkGateway: leave for on-premises, or continue in the VNet at the
    /// other end of a VNet-to-VNet connection.
    pub(super) fn gateway_exit(&self, walk: &mut Walk, vnet: VnetIdx, route: &RouteRef, pkt: Packet) -> Step {
        let snap = self.snap();
        let Some((g, kinds)) = self.exit_gateway(walk, vnet, route) else { return Step::Ended(Verdict::Dropped) };
        let gw = &snap.gateways[g.index()];
        let mut hop =
            Hop::new(HopKind::VirtualNetworkGateway, HopResource::Gateway(g), gw.instance_ips.first().copied());
        // The gateway VNet may be a hub reached by gateway transit.
        let gw_vnet = gw.vnet.as_ref().and_then(|l| l.resolved());
        if gw_vnet != Some(vnet) {
            hop.notes.push(HopNote::GatewayTransit { hub: gw_vnet });
        }
        // VNet-to-VNet: continue in the remote VNet.
        if let Some((connection, remote_vnet)) = kinds.iter().find_map(|k| match k {
            GatewayRouteKind::Vnet2Vnet { connection, remote_vnet } => Some((*connection, *remote_vnet)),
            _ => None,
        }) {
            let c = &snap.connections[connection.index()];
            let remote_gw = [c.gateway1.as_ref(), c.gateway2.as_ref()]
                .into_iter()
                .flatten()
                .filter_map(|l| l.resolved())
                .find(|x| *x != g);
            hop.notes.push(HopNote::VnetToVnet { connection, remote_vnet });
            walk.hops.push(hop);
            return match remote_gw {
                Some(rg) => Step::Restart(Start::Gateway { gateway: rg }),
                None => Step::Ended(Verdict::Dropped),
            };
        }
        let has_site = self.on_premises_site(walk, &mut hop, g, pkt, route);
        walk.hops.push(hop);
        if !has_site {
            return Step::Ended(Verdict::Dropped);
        }
        walk.hops.push(Hop::new(HopKind::OnPremises, HopResource::OnPremises, Some(pkt.dst)));
        walk.exit_gateway = Some(g);
        Step::Ended(Verdict::ExitedToOnPremises)
    }

    /// The gateway a route leaves by, with how it learned the prefix: the route's own gateway,
    /// or for a user route "the VNet's gateway" — its own, else by gateway transit, and only a
    /// VPN gateway (§3.4).
    fn exit_gateway(
        &self,
        walk: &mut Walk,
        vnet: VnetIdx,
        route: &RouteRef,
    ) -> Option<(GatewayIdx, Vec<GatewayRouteKind>)> {
        let snap = self.snap();
        if let RouteOrigin::Gateway { gateway, kinds, .. } = &route.route().origin {
            return Some((*gateway, kinds.clone()));
        }
        let gateways = &self.routes.topology().attachments[vnet.index()].gateways;
        let of_type = |t: GatewayType| gateways.iter().copied().find(|g| snap.gateways[g.index()].gateway_type == t);
        match (of_type(GatewayType::Vpn), of_type(GatewayType::ExpressRoute)) {
            (Some(v), None) => Some((v, Vec::new())),
            (None, None) => {
                walk.findings.push(Finding::new(UdrGatewayNotVpn::TracedNoGateway { vnet, route: route.clone() }));
                None
            }
            (_, Some(e)) => {
                let er = UdrGatewayNotVpn::TracedExpressRoute { gateway: e, route: route.clone() };
                walk.findings.push(Finding::new(er).resource(ResourceRef::Gateway(e)));
                None
            }
        }
    }

    /// The site an on-premises destination is reached at: the gateway's most specific prefix
    /// for it, the connections of that prefix (a warning for any not Connected), or forced
    /// tunnelling to the default site when no prefix holds it. False, with
    /// `ForcedTunnelNoDefaultSite`, when no prefix holds it and the gateway has no default site
    /// (§6.1, §3.4): the gateway has nowhere to send the packet.
    fn on_premises_site(&self, walk: &mut Walk, hop: &mut Hop, g: GatewayIdx, pkt: Packet, route: &RouteRef) -> bool {
        let snap = self.snap();
        let on_prem = self.routes.topology().gateway_prefixes[g.index()]
            .iter()
            .filter(|gp| gp.prefix.contains(&pkt.dst))
            .max_by_key(|gp| gp.prefix.prefix_len());
        let Some(gp) = on_prem else {
            let Some(site) = &snap.gateways[g.index()].default_site else {
                let none = ForcedTunnelNoDefaultSite::Traced { gateway: g, destination: pkt.dst, route: route.clone() };
                let finding = Finding::new(none).resource(ResourceRef::Gateway(g));
                walk.findings.push(finding.resource(super::appliances::user_route_table(route)));
                return false;
            };
            hop.notes.push(HopNote::DefaultSite { gateway: g, destination: pkt.dst, site: site.resolved() });
            return true;
        };
        for kind in &gp.kinds {
            if let GatewayRouteKind::LocalNetworkGateway { local_gateway, connection } = kind {
                hop.notes.push(HopNote::Site { local_gateway: *local_gateway, connection: *connection });
                let c = &snap.connections[connection.index()];
                if !c.status.is_empty() && !c.status.eq_ignore_ascii_case("Connected") {
                    let down = GatewayConnectionDown { connection: *connection };
                    walk.findings.push(Finding::new(down).resource(ResourceRef::Connection(*connection)));
                }
            }
        }
        true
    }
}
