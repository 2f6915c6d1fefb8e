//! Evidence of the egress and platform-service codes (§17): private subnets without an
//! outbound method, NAT gateways overridden or misplaced, the subnet rules of Application
//! Gateway v2 and Azure Bastion, public load balancers behind a firewall's default route, scale
//! sets whose instance NICs are missing, and addresses that belong to a platform service.

use std::net::IpAddr;

use ipnet::IpNet;

use azroute_model::*;

use super::{RouteContext, RouteRef};

/// `PrivateSubnetNoEgress`: Internet-bound traffic from a private subnet
/// (`defaultOutboundAccess: false`) with no NAT gateway, instance public IP or load-balancer
/// outbound rule (§17.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrivateSubnetNoEgress {
    /// A traced packet: the route that sent it to the Internet, from `sender` (a NIC, or a host
    /// of the subnet).
    Traced {
        subnet: SubnetIdx,
        sender: Option<NicIdx>,
        destination: IpAddr,
        route: RouteRef,
        /// The subnet does not say `defaultOutboundAccess`; option `private` made it private.
        assumed_private: bool,
    },
    /// The doctor: NICs of the subnet without an explicit method, and the subnet's route to
    /// the Internet.
    Subnet { subnet: SubnetIdx, nics: Vec<NicIdx>, route: RouteRef },
    /// Instances of a Flexible-orchestration scale set without an explicit method, in a subnet
    /// that is not private: they never have default outbound access (§17.2). `destination`:
    /// the traced packet's (a trace), `None` for the doctor.
    FlexibleInstances {
        subnet: SubnetIdx,
        scale_set: ScaleSetIdx,
        nics: Vec<NicIdx>,
        destination: Option<IpAddr>,
        route: RouteRef,
    },
}

/// `OutboundIcmpNotSupported`: an ICMP packet leaving for the Internet by a method that carries
/// TCP and UDP only: a NAT gateway ("TCP and UDP only", [nat-overview]) or default outbound
/// access ("doesn't support ICMP pings", [default-outbound]) (§17.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboundIcmpNotSupported {
    pub subnet: SubnetIdx,
    /// The NAT gateway of the subnet; `None`: default outbound access.
    pub nat_gateway: Option<Link<NatGatewayIdx>>,
    pub destination: IpAddr,
}

/// `PrivateSubnetInternetUdr`: a user route with next hop `Internet` in a private subnet whose
/// NICs have no explicit outbound method: it does not reach the Internet (§17.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivateSubnetInternetUdr {
    pub subnet: SubnetIdx,
    pub route: RouteRef,
    pub nics: Vec<NicIdx>,
}

/// `DefaultOutboundAccessInUse`: NICs of a subnet that says `defaultOutboundAccess: true` reach
/// the Internet by default outbound access, which Azure is retiring (§17.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefaultOutboundAccessInUse {
    pub subnet: SubnetIdx,
    pub nics: Vec<NicIdx>,
}

/// `NatGatewayOverriddenByUdr`: a subnet with a NAT gateway whose 0.0.0.0/0 goes to a virtual
/// appliance or gateway, which take precedence (§17.2): the NAT gateway is unused for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NatGatewayOverriddenByUdr {
    pub subnet: SubnetIdx,
    pub nat_gateway: NatGatewayIdx,
    pub route: RouteRef,
}

/// Why a NAT gateway cannot serve a subnet (§17.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NatGatewayUnsupported {
    GatewaySubnet,
    /// A subnet delegated to SQL Managed Instance.
    SqlManagedInstance,
    /// A `StandardV2` NAT gateway on a subnet delegated to a service that does not support it.
    StandardV2Delegated {
        service: String,
    },
    /// A Basic load balancer with a NIC of the subnet in its backend pool.
    BasicLoadBalancer {
        lb: LoadBalancerIdx,
    },
}

/// `NatGatewayOnUnsupportedSubnet`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NatGatewayOnUnsupportedSubnet {
    pub subnet: SubnetIdx,
    pub nat_gateway: NatGatewayIdx,
    pub reason: NatGatewayUnsupported,
}

/// `AppGatewayV2DefaultRouteToAppliance`: an Application Gateway v2 subnet whose 0.0.0.0/0
/// goes to a virtual appliance or gateway, which v2 does not support (§17.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppGatewayV2DefaultRouteToAppliance {
    pub gateway: ApplicationGatewayIdx,
    pub subnet: SubnetIdx,
    pub route: RouteRef,
}

/// `UdrOnBastionSubnet`: a route table associated with `AzureBastionSubnet` (§17.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UdrOnBastionSubnet {
    pub subnet: SubnetIdx,
    pub table: RouteTableIdx,
}

/// `BastionSubnetTooSmall`: `AzureBastionSubnet` smaller than /26 (§17.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BastionSubnetTooSmall {
    pub subnet: SubnetIdx,
    pub prefix: IpNet,
}

/// `PublicLoadBalancerBehindFirewallDefaultRoute`: a public load balancer's backend NICs sit in
/// a subnet whose 0.0.0.0/0 goes to a firewall or NVA: replies to Internet clients leave by the
/// appliance, not the load balancer, and are dropped (§17.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicLoadBalancerBehindFirewallDefaultRoute {
    pub lb: LoadBalancerIdx,
    pub context: RouteContext,
    pub nics: Vec<NicIdx>,
    pub route: RouteRef,
}

/// `VmssNicsMissing`: a uniform scale set whose instance NICs are not in the snapshot
/// (`az network nic list` omits them; `az vmss nic list` lists them, §17.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VmssNicsMissing {
    pub scale_set: ScaleSetIdx,
    pub subnets: Vec<SubnetIdx>,
}

/// The platform service an address belongs to (§17.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlatformOwner {
    ApplicationGateway(ApplicationGatewayIdx),
    BastionHost(BastionHostIdx),
    DnsResolverInbound(DnsInboundEndpointIdx),
    ScaleSet(ScaleSetIdx),
    /// A subnet delegated to a service (`Microsoft.Web/serverFarms`, …).
    Delegated {
        subnet: SubnetIdx,
        service: String,
    },
}

/// What a trace can say of a platform-owned address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlatformAnswer {
    /// An address of the service's subnet that no frontend of it holds (its instances): the
    /// snapshot does not list them, so the trace cannot follow the packet further.
    InstanceAddress,
    /// A DNS resolver inbound endpoint serves DNS (port 53, TCP and UDP) only.
    PortNotServed { port: u16 },
}

/// `PlatformOwnedDestination`: the destination belongs to a platform service without a NIC in
/// the snapshot; never "no host" (§17.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlatformOwnedDestination {
    pub destination: IpAddr,
    pub owner: PlatformOwner,
    pub answer: PlatformAnswer,
}
