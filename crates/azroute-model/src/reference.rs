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
    pub json_path: JsonPath,
}

/// A JSON path, as written in diagnostics (`$[3].properties.subnets[1]`).
///
/// Only diagnostics render it, yet every resource carries one: the path of an element of a
/// top-level list (`$[3]`, each resource of an `az … list` file) is kept as its number, any
/// other as text, so that a 100k-NIC estate does not hold 200,000 small strings for it.
#[derive(Clone, PartialEq, Eq)]
pub struct JsonPath(PathRepr);

#[derive(Clone, PartialEq, Eq)]
enum PathRepr {
    /// `$[N]`.
    Item(u32),
    Text(Box<str>),
}

impl JsonPath {
    /// The path of element `n` of the top-level list, `$[n]`.
    pub fn item(n: u32) -> JsonPath {
        JsonPath(PathRepr::Item(n))
    }
}

impl Default for JsonPath {
    fn default() -> JsonPath {
        JsonPath(PathRepr::Text(Box::default()))
    }
}

impl From<&str> for JsonPath {
    fn from(path: &str) -> JsonPath {
        match item_number(path) {
            Some(n) => JsonPath::item(n),
            None => JsonPath(PathRepr::Text(path.into())),
        }
    }
}

/// N of a path spelled `$[N]` as [`JsonPath`]'s `Display` spells it (no sign, no leading zero).
fn item_number(path: &str) -> Option<u32> {
    let digits = path.strip_prefix("$[")?.strip_suffix(']')?;
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits.len() == 1 || !digits.starts_with('0'));
    if canonical { digits.parse().ok() } else { None }
}

impl From<String> for JsonPath {
    fn from(path: String) -> JsonPath {
        JsonPath::from(path.as_str())
    }
}

impl From<JsonPath> for String {
    fn from(path: JsonPath) -> String {
        path.to_string()
    }
}

impl std::fmt::Display for JsonPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            PathRepr::Item(n) => write!(f, "$[{n}]"),
            PathRepr::Text(text) => f.write_str(text),
        }
    }
}

impl std::fmt::Debug for JsonPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.to_string(), f)
    }
}

impl PartialEq<&str> for JsonPath {
    fn eq(&self, other: &&str) -> bool {
        match &self.0 {
            // Read as every path is: `$[N]` is kept as a number only when spelled canonically.
            PathRepr::Item(n) => item_number(other) == Some(*n),
            PathRepr::Text(text) => &**text == *other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every path reads back as written; only `$[N]` as Azure lists number them is kept as a
    /// number.
    #[test]
    fn json_paths_read_back_as_written() {
        for text in [
            "$[0]",
            "$[7]",
            "$[2999]",
            "$[4294967295]",
            "$[4294967296]",
            "$[007]",
            "$[]",
            "$[-1]",
            "$[+1]",
            "$[1].properties.subnets[0]",
            "$",
            "",
            "$.value[3]",
        ] {
            let path = JsonPath::from(text);
            assert_eq!(path.to_string(), text);
            assert_eq!(path, text);
            assert_eq!(format!("{path:?}"), format!("{text:?}"));
            assert_eq!(String::from(path.clone()), text);
        }
        assert_eq!(JsonPath::from("$[12]"), JsonPath::item(12));
        assert!(matches!(JsonPath::from("$[012]").0, PathRepr::Text(_)));
    }
}
