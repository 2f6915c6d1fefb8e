//! References between resources: typed indices into a [`crate::Snapshot`], links that may name a
//! missing resource, and where in the input each resource was read.

use crate::ArmId;

macro_rules! index_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

index_type!(
    /// Index of a virtual network in [`crate::Snapshot::vnets`].
    VnetIdx,
    /// Index of a subnet in [`crate::Snapshot::subnets`].
    SubnetIdx,
    /// Index of a peering in [`crate::Snapshot::peerings`].
    PeeringIdx,
    /// Index of a route table in [`crate::Snapshot::route_tables`].
    RouteTableIdx,
    /// Index of a network interface in [`crate::Snapshot::nics`].
    NicIdx,
    /// Index of a virtual machine in [`crate::Snapshot::vms`].
    VmIdx,
    /// Index of a virtual network gateway in [`crate::Snapshot::gateways`].
    GatewayIdx,
    /// Index of a local network gateway in [`crate::Snapshot::local_gateways`].
    LocalGatewayIdx,
    /// Index of a gateway connection in [`crate::Snapshot::connections`].
    ConnectionIdx,
    /// Index of a network security group in [`crate::Snapshot::nsgs`].
    NsgIdx,
    /// Index of a private endpoint in [`crate::Snapshot::private_endpoints`].
    PrivateEndpointIdx,
    /// Index of a load balancer in [`crate::Snapshot::load_balancers`].
    LoadBalancerIdx,
    /// Index of a public IP address in [`crate::Snapshot::public_ips`].
    PublicIpIdx,
    /// Index of an Azure Firewall in [`crate::Snapshot::firewalls`].
    FirewallIdx,
    /// Index of a firewall policy in [`crate::Snapshot::firewall_policies`].
    FirewallPolicyIdx,
    /// Index of an IP group in [`crate::Snapshot::ip_groups`].
    IpGroupIdx,
    /// Index of a NAT gateway in [`crate::Snapshot::nat_gateways`].
    NatGatewayIdx,
    /// Index of a public IP prefix in [`crate::Snapshot::public_ip_prefixes`].
    PublicIpPrefixIdx,
    /// Index of an application gateway in [`crate::Snapshot::application_gateways`].
    ApplicationGatewayIdx,
    /// Index of a Bastion host in [`crate::Snapshot::bastion_hosts`].
    BastionHostIdx,
    /// Index of a DNS resolver inbound endpoint in [`crate::Snapshot::dns_inbound_endpoints`].
    DnsInboundEndpointIdx,
    /// Index of a VM scale set in [`crate::Snapshot::scale_sets`].
    ScaleSetIdx,
    /// Index of a virtual hub (Route Server) in [`crate::Snapshot::virtual_hubs`].
    VirtualHubIdx,
);

/// A reference from one resource to another.
///
/// Exports are often incomplete; a reference to a resource that is not in the snapshot is kept
/// with its id, so a question that needs it can name it and a question that does not can go on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link<T> {
    Resolved(T),
    Missing(ArmId),
}

impl<T: Copy> Link<T> {
    pub fn resolved(&self) -> Option<T> {
        match self {
            Link::Resolved(idx) => Some(*idx),
            Link::Missing(_) => None,
        }
    }

    pub fn missing(&self) -> Option<&ArmId> {
        match self {
            Link::Resolved(_) => None,
            Link::Missing(id) => Some(id),
        }
    }
}

/// Where in the input a resource was read: the file and the JSON path of its object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// Index into [`crate::Snapshot::files`]; `u32::MAX` for resources not read from a file.
    pub file: u32,
    /// JSON path of the resource object inside the file, e.g. `$[3].properties.subnets[1]`.
    pub json_path: String,
}
