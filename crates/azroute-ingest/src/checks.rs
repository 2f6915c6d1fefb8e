//! Checks of one resource as read, the same for ARM JSON and Terraform: each diagnostic is
//! built here once, and each dialect says only how it names the resource and its fields.

use std::fmt;

use ipnet::IpNet;

use crate::diag::Diagnostic;
use crate::pending::Pending;

/// How a message names the resource: by its ARM kind (`virtual network`), or by its Terraform
/// address.
#[derive(Clone, Copy)]
pub(crate) enum Named<'a> {
    Kind(&'static str),
    Address(&'a str),
}

impl fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Named::Kind(kind) => f.write_str(kind),
            Named::Address(address) => write!(f, "`{address}`"),
        }
    }
}

/// Why a resource has no id.
pub(crate) enum MissingId<'a> {
    /// An exported ARM object without `id`.
    NotExported(&'static str),
    /// A planned resource whose name or resource group is unknown, so its id cannot be
    /// synthesised.
    NotKnownYet(&'a str),
    /// A resource a plan deletes whose prior state has no `id`.
    DeletedWithoutId(&'a str),
}

impl Pending {
    /// `EmptyAddressSpace`: a VNet without an address space (Azure requires one).
    pub(crate) fn check_address_space(&mut self, named: Named<'_>, listed: usize, path: String, id: &str) {
        if listed == 0 {
            self.diag(
                Diagnostic::warning("EmptyAddressSpace", format!("{named} has no address space")).at(path).resource(id),
            );
        }
    }

    /// `SubnetWithoutPrefix`: a subnet with neither of its prefix fields (`fields`, as the
    /// dialect spells them).
    pub(crate) fn check_subnet_prefix(
        &mut self,
        named: Named<'_>,
        listed: usize,
        fields: [&str; 2],
        path: String,
        id: &str,
    ) {
        if listed == 0 {
            let [first, second] = fields;
            self.diag(
                Diagnostic::warning("SubnetWithoutPrefix", format!("{named} has neither `{first}` nor `{second}`"))
                    .at(path)
                    .resource(id),
            );
        }
    }

    /// `PeeringWithoutRemote`: a peering that names no remote VNet (`field`, as the dialect
    /// spells it); it is skipped.
    pub(crate) fn peering_without_remote(&mut self, named: Named<'_>, field: &str, path: String, id: &str) {
        self.diag(
            Diagnostic::warning("PeeringWithoutRemote", format!("{named} has no `{field}`; skipped"))
                .at(path)
                .resource(id),
        );
    }

    /// `NicWithoutIpConfiguration`: Azure requires at least one IP configuration.
    pub(crate) fn check_nic_ip_configurations(&mut self, named: Named<'_>, count: usize, path: String, id: &str) {
        if count == 0 {
            self.diag(
                Diagnostic::warning("NicWithoutIpConfiguration", format!("{named} has no IP configuration"))
                    .at(path)
                    .resource(id)
                    .hint("Azure requires at least one; the NIC is kept but has no subnet and no routes"),
            );
        }
    }

    /// `MissingId`: the resource cannot be placed in the snapshot.
    pub(crate) fn missing_id(&mut self, why: MissingId<'_>, path: String) {
        let d = match why {
            MissingId::NotExported(what) => Diagnostic::warning("MissingId", format!("{what} without an `id`; skipped"))
                .hint("every ARM resource carries its id; was the export trimmed with a query?"),
            MissingId::NotKnownYet(address) => Diagnostic::warning(
                "MissingId",
                format!(
                    "`{address}` has no id yet and its name or resource group is unknown, so azroute cannot tell the id Azure will give it; skipped"
                ),
            )
            .hint("plan with names and resource groups known at plan time, or read the state after apply"),
            MissingId::DeletedWithoutId(address) => Diagnostic::warning(
                "MissingId",
                format!("`{address}` is deleted by the plan but its prior state has no `id`"),
            ),
        };
        self.diag(d.at(path));
    }

    /// `Ipv6WhereIpv4Expected`: Azure VPN gateways are IPv4-only, so a local network gateway's
    /// IPv6 prefixes are reported and dropped.
    pub(crate) fn keep_ipv4_local_prefixes(&mut self, prefixes: &mut Vec<IpNet>, path: String, id: &str) {
        if prefixes.iter().any(|p| matches!(p, IpNet::V6(_))) {
            self.diag(
                Diagnostic::warning(
                    "Ipv6WhereIpv4Expected",
                    "local network gateway lists an IPv6 prefix; Azure VPN gateways are IPv4-only, so it is ignored",
                )
                .at(path)
                .resource(id),
            );
            prefixes.retain(|p| matches!(p, IpNet::V4(_)));
        }
    }
}
