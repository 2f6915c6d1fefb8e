//! Evidence of the Route Server checks (§19.3): the hub, the peer (an index into the hub's
//! `bgp_connections`) and the prefixes or routes that prove each.

use std::net::IpAddr;

use ipnet::IpNet;

use azroute_model::*;

/// `RouteServerSingleInstancePeer`: prefixes a peer advertised that one Route Server instance
/// learned and the other did not (§19.2 RS-11).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteServerSingleInstancePeer {
    pub hub: VirtualHubIdx,
    pub connection: usize,
    /// The instance that has them (`RouteServiceRole_IN_0`).
    pub present_on: String,
    /// The instance that lacks them.
    pub missing_on: String,
    pub prefixes: Vec<IpNet>,
}

/// `RouteServerRouteDroppedAsPath65515`: routes a peer advertised with 65515 in the AS path,
/// dropped by loop prevention (§19.2 RS-8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteServerRouteDroppedAsPath65515 {
    pub hub: VirtualHubIdx,
    pub connection: usize,
    /// (prefix, AS path).
    pub routes: Vec<(IpNet, String)>,
}

/// `RouteServerDefaultRouteSelfLoop`: the 0.0.0.0/0 an NVA advertises is the route its own
/// subnet sends the Internet by, back to the NVA (§19.2 RS-10, T28).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteServerDefaultRouteSelfLoop {
    pub hub: VirtualHubIdx,
    pub subnet: SubnetIdx,
    pub nic: NicIdx,
    pub next_hop: IpAddr,
}

/// `RouteServerPrefixTooSpecific`: prefixes a peer advertised that are equal to or inside the
/// Route Server VNet's address space, never programmed (§19.2 RS-3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteServerPrefixTooSpecific {
    pub hub: VirtualHubIdx,
    pub connection: usize,
    /// (prefix, the VNet range that holds it).
    pub prefixes: Vec<(IpNet, IpNet)>,
}

/// `RouteServerBranchToBranchDisabled`: a Route Server whose peers advertise routes beside a
/// VPN or ExpressRoute gateway, without branch-to-branch: neither side learns the other's routes
/// (§19.2 RS-7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteServerBranchToBranchDisabled {
    pub hub: VirtualHubIdx,
    pub gateways: Vec<GatewayIdx>,
    /// Prefixes the peers advertise, which on-premises does not learn.
    pub prefixes: Vec<IpNet>,
}

/// `RouteServerPeerAsnRefused`: a peer whose ASN Route Server does not accept: not a 16-bit ASN,
/// or one Azure or IANA reserves (§19.2 RS-8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteServerPeerAsnRefused {
    pub hub: VirtualHubIdx,
    pub connection: usize,
    pub asn: i64,
}

/// `RouteServerPeerOverRouteLimit`: a peer that advertised more routes than Route Server
/// accepts: its session is torn down and none of its routes are programmed (§19.2 RS-8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteServerPeerOverRouteLimit {
    pub hub: VirtualHubIdx,
    pub connection: usize,
    pub routes: usize,
    pub limit: usize,
}

/// `RouteServerBranchToBranchGatewayNotActiveActive`: branch-to-branch is on, but the VPN
/// gateway beside the Route Server is not active-active or its BGP ASN is not 65515, which route
/// exchange with Route Server requires (§19.6, RS-7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteServerBranchToBranchGatewayNotActiveActive {
    pub hub: VirtualHubIdx,
    pub gateway: GatewayIdx,
    pub active_active: bool,
    /// `bgpSettings.asn` as exported (None: absent, not judged).
    pub asn: Option<i64>,
}

/// `RouteServerMultiplePerVnet`: more than one Route Server in one VNet, which Azure does not
/// allow (§19.6, RS-12).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteServerMultiplePerVnet {
    pub vnet: VnetIdx,
    pub hubs: Vec<VirtualHubIdx>,
}
