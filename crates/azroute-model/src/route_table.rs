//! Route tables and user-defined routes (`Microsoft.Network/routeTables`).

use ipnet::IpNet;
use std::net::IpAddr;

use crate::*;

/// `Microsoft.Network/routeTables`.
#[derive(Clone, Debug)]
pub struct RouteTable {
    pub id: ArmId,
    pub name: String,
    pub location: String,
    pub disable_bgp_route_propagation: bool,
    /// `disablePeeringRoute = All` (preview, §3.8).
    pub disable_peering_routes: bool,
    pub routes: Vec<Route>,
    pub origin: Origin,
}

/// What a user route's `addressPrefix` holds: a CIDR prefix or a service tag name (§3.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoutePrefix {
    Cidr(IpNet),
    ServiceTag(String),
}

impl RoutePrefix {
    pub fn text(&self) -> String {
        match self {
            RoutePrefix::Cidr(net) => net.to_string(),
            RoutePrefix::ServiceTag(tag) => tag.clone(),
        }
    }
}

/// `nextHopType` of a user route (`RouteNextHopType`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RouteNextHopType {
    VirtualNetworkGateway,
    VnetLocal,
    Internet,
    VirtualAppliance,
    VirtualApplianceEcmp,
    None,
    Other(String),
}

impl RouteNextHopType {
    /// Parses Azure's spelling, case-insensitively (Terraform accepts `vnetlocal`).
    pub fn parse(text: &str) -> RouteNextHopType {
        let t = text.trim();
        let is = |s: &str| t.eq_ignore_ascii_case(s);
        if is("VirtualNetworkGateway") || is("VPNGateway") {
            RouteNextHopType::VirtualNetworkGateway
        } else if is("VnetLocal") || is("VirtualNetwork") {
            RouteNextHopType::VnetLocal
        } else if is("Internet") {
            RouteNextHopType::Internet
        } else if is("VirtualAppliance") {
            RouteNextHopType::VirtualAppliance
        } else if is("VirtualApplianceEcmp") {
            RouteNextHopType::VirtualApplianceEcmp
        } else if is("None") || is("Null") {
            RouteNextHopType::None
        } else {
            RouteNextHopType::Other(t.to_string())
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            RouteNextHopType::VirtualNetworkGateway => "VirtualNetworkGateway",
            RouteNextHopType::VnetLocal => "VnetLocal",
            RouteNextHopType::Internet => "Internet",
            RouteNextHopType::VirtualAppliance => "VirtualAppliance",
            RouteNextHopType::VirtualApplianceEcmp => "VirtualApplianceEcmp",
            RouteNextHopType::None => "None",
            RouteNextHopType::Other(text) => text,
        }
    }
}

/// One user-defined route of a route table.
#[derive(Clone, Debug)]
pub struct Route {
    pub id: ArmId,
    pub name: String,
    pub prefix: RoutePrefix,
    pub next_hop_type: RouteNextHopType,
    /// `nextHopIpAddress`, or `nextHop.nextHopIpAddresses` for `VirtualApplianceEcmp`.
    pub next_hop_ips: Vec<IpAddr>,
    pub origin: Origin,
}
