//! Values both dialects (ARM JSON and Terraform) share once read: ids, locations, prefixes, IP
//! addresses, user routes and security rules as plain fields, lowered with the diagnostics for
//! what Azure would refuse.

use std::net::IpAddr;

use azroute_model::*;
use ipnet::IpNet;

use crate::diag::Diagnostic;
use crate::pending::Pending;

/// `East US` → `eastus`.
pub(crate) fn normalize_location(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    out.extend(text.chars().filter(|c| !c.is_whitespace()).flat_map(|c| c.to_lowercase()));
    out
}

/// The parent id of a child resource id: `…/virtualNetworks/v/subnets/s` → `…/virtualNetworks/v`.
pub(crate) fn parent_id(id: &str) -> String {
    let trimmed = id.trim().trim_end_matches('/');
    let mut parts: Vec<&str> = trimmed.split('/').collect();
    if parts.len() >= 2 {
        parts.truncate(parts.len() - 2);
    }
    parts.join("/")
}

/// The resource type an id implies, for objects exported without `type`.
pub(crate) fn type_from_id(id: &str) -> Option<String> {
    let lower = id.to_ascii_lowercase();
    let pos = lower.rfind("/providers/")?;
    let rest = &lower[pos + "/providers/".len()..];
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    if parts.len() < 3 {
        return None;
    }
    let mut ty = format!("{}/{}", parts[0], parts[1]);
    let mut i = 3;
    while i + 1 < parts.len() {
        ty.push('/');
        ty.push_str(parts[i]);
        i += 2;
    }
    Some(ty)
}

/// Resource types azroute reads (lower-cased).
pub(crate) fn is_modelled_type(ty: &str) -> bool {
    matches!(
        ty,
        "microsoft.network/virtualnetworks"
            | "microsoft.network/virtualnetworks/subnets"
            | "microsoft.network/virtualnetworks/virtualnetworkpeerings"
            | "microsoft.network/networkinterfaces"
            | "microsoft.network/routetables"
            | "microsoft.network/routetables/routes"
            | "microsoft.network/virtualnetworkgateways"
            | "microsoft.network/localnetworkgateways"
            | "microsoft.network/connections"
            | "microsoft.network/networksecuritygroups"
            | "microsoft.network/networksecuritygroups/securityrules"
            | "microsoft.network/privateendpoints"
            | "microsoft.network/loadbalancers"
            | "microsoft.network/publicipaddresses"
            | "microsoft.network/azurefirewalls"
            | "microsoft.network/firewallpolicies"
            | "microsoft.network/firewallpolicies/rulecollectiongroups"
            | "microsoft.network/ipgroups"
            | "microsoft.network/networkmanagers/networkgroups"
            | "microsoft.network/networkmanagers/networkgroups/staticmembers"
            | "microsoft.network/networkmanagers/connectivityconfigurations"
            | "microsoft.network/networkmanagers/securityadminconfigurations"
            | "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections"
            | "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections/rules"
            | "microsoft.network/networkmanagers/routingconfigurations"
            | "microsoft.network/networkmanagers/routingconfigurations/rulecollections"
            | "microsoft.network/networkmanagers/routingconfigurations/rulecollections/rules"
            | "microsoft.network/virtualhubs"
            | "microsoft.network/virtualhubs/ipconfigurations"
            | "microsoft.network/virtualhubs/bgpconnections"
            | "microsoft.network/virtualwans"
            | "microsoft.network/virtualhubs/hubvirtualnetworkconnections"
            | "microsoft.network/virtualhubs/virtualhubvnetconnections"
            | "microsoft.network/virtualhubs/hubroutetables"
            | "microsoft.network/virtualhubs/routingintent"
            | "microsoft.network/vpngateways"
            | "microsoft.network/vpnsites"
            | "microsoft.network/expressroutegateways"
            | "microsoft.network/networkvirtualappliances"
            | "microsoft.compute/virtualmachines"
            | "microsoft.compute/virtualmachinescalesets/virtualmachines/networkinterfaces"
            | "microsoft.compute/virtualmachinescalesets/networkinterfaces"
            | "microsoft.network/natgateways"
            | "microsoft.network/publicipprefixes"
            | "microsoft.network/applicationgateways"
            | "microsoft.network/bastionhosts"
            | "microsoft.network/dnsresolvers/inboundendpoints"
            | "microsoft.compute/virtualmachinescalesets"
    )
}

/// A user route as plain values, from whichever dialect it was read.
pub(crate) struct RouteFields {
    pub id: String,
    pub name: String,
    pub prefixes: Vec<String>,
    pub prefix_path: String,
    pub next_hop_type: String,
    pub next_hop_type_path: String,
    /// Next hop IP addresses, each with the JSON path it was read from.
    pub next_hop_ips: Vec<(String, String)>,
    pub next_hop_ip_path: String,
    /// The input's own names of the fields, for messages.
    pub next_hop_ip_field: &'static str,
    pub prefix_field: &'static str,
    pub next_hop_type_field: &'static str,
    /// JSON path of the route object.
    pub path: String,
}

/// JSON paths of the fields of a security rule, as the input spells them.
pub(crate) struct RulePaths {
    pub object: String,
    pub protocol: String,
    pub access: String,
    pub direction: String,
    pub priority: String,
    pub source: String,
    pub destination: String,
    pub source_port: String,
    pub destination_port: String,
}

/// A security rule as plain values, from whichever dialect it was read. Singular and plural
/// address and port fields are already merged.
pub(crate) struct RuleFields {
    pub id: String,
    pub name: String,
    pub protocol: String,
    pub access: String,
    pub direction: String,
    pub priority: Option<i64>,
    pub sources: Vec<String>,
    pub destinations: Vec<String>,
    pub source_ports: Vec<String>,
    pub destination_ports: Vec<String>,
    /// Application security group ids as written.
    pub source_asgs: Vec<String>,
    pub destination_asgs: Vec<String>,
    pub paths: RulePaths,
}

/// `privateEndpointNetworkPolicies` as Azure spells it (case-insensitive); anything else is
/// Azure's default, `Disabled`.
pub(crate) fn private_endpoint_policies(text: &str) -> PrivateEndpointNetworkPolicies {
    match text.trim().to_ascii_lowercase().as_str() {
        "enabled" => PrivateEndpointNetworkPolicies::Enabled,
        "routetableenabled" => PrivateEndpointNetworkPolicies::RouteTableEnabled,
        "networksecuritygroupenabled" => PrivateEndpointNetworkPolicies::NetworkSecurityGroupEnabled,
        _ => PrivateEndpointNetworkPolicies::Disabled,
    }
}

impl Pending {
    /// Parses a CIDR prefix; reports and drops it when Azure would refuse it.
    pub(crate) fn prefix(&mut self, text: &str, path: &str, id: &str) -> Option<IpNet> {
        match parse_prefix(text) {
            Ok(net) => Some(net),
            Err(err) => {
                let code = match err {
                    PrefixError::HostBitsSet { .. } => "HostBitsSet",
                    _ => "InvalidPrefix",
                };
                let hint = err.hint();
                self.diag(Diagnostic::error(code, err.to_string()).at(path).resource(id).maybe_hint(hint));
                None
            }
        }
    }

    pub(crate) fn prefixes(&mut self, texts: &[&str], path: &str, id: &str) -> Vec<IpNet> {
        // Sized exactly: a `push` into an empty vector reserves room for four, and the model
        // keeps these vectors for hundreds of thousands of resources.
        let mut out = Vec::with_capacity(texts.len());
        for (i, text) in texts.iter().enumerate() {
            let p = if texts.len() > 1 { format!("{path}[{i}]") } else { path.to_string() };
            if let Some(net) = self.prefix(text, &p, id)
                && !out.contains(&net)
            {
                out.push(net);
            }
        }
        out
    }

    /// Parses a private IP as NICs write it: an address, or `address/length` with IP-prefix
    /// allocation (`172.20.2.16/28`).
    pub(crate) fn ip(&mut self, text: &str, path: &str, id: &str) -> Option<IpAddr> {
        let addr = text.split('/').next().unwrap_or("").trim();
        if addr.is_empty() {
            return None;
        }
        match parse_ip(addr) {
            Ok(ip) => Some(ip),
            Err(err) => {
                self.diag(Diagnostic::error("InvalidIpAddress", err.to_string()).at(path).resource(id));
                None
            }
        }
    }

    /// A VNet's custom DNS servers (`dhcpOptions.dnsServers`, Terraform `dns_servers`), each
    /// an address; one Azure would refuse is reported and dropped.
    pub(crate) fn dns_servers(&mut self, texts: &[&str], path: &str, id: &str) -> Vec<IpAddr> {
        let mut out = Vec::with_capacity(texts.len());
        for (i, text) in texts.iter().enumerate() {
            if let Some(ip) = self.ip(text, &format!("{path}[{i}]"), id) {
                out.push(ip);
            }
        }
        out
    }

    /// A route's one address prefix: a CIDR, or a service tag (`Storage`); reported and refused
    /// when empty, invalid, or not exactly one. `field` is the JSON path and the input's name of
    /// the field.
    fn route_prefix(&mut self, texts: &[String], field: (&str, &str), name: &str, shown: &str) -> Option<RoutePrefix> {
        let (path, field) = field;
        let [text] = texts else {
            self.diag(
                Diagnostic::error("InvalidPrefix", format!("route `{name}` needs exactly one `{field}`"))
                    .at(path)
                    .resource(shown),
            );
            return None;
        };
        let looks_like_address = text.chars().next().is_some_and(|c| c.is_ascii_digit()) || text.contains(':');
        if looks_like_address {
            Some(RoutePrefix::Cidr(self.prefix(text, path, shown)?))
        } else if text.trim().is_empty() {
            self.diag(
                Diagnostic::error("InvalidPrefix", format!("route `{name}` has an empty `{field}`"))
                    .at(path)
                    .resource(shown),
            );
            None
        } else {
            Some(RoutePrefix::ServiceTag(text.trim().to_string()))
        }
    }

    /// Lowers a user route given as plain values (any dialect); reports and drops it when Azure
    /// would refuse it.
    pub(crate) fn lower_route(&mut self, f: RouteFields, table_id: &str) -> Option<Route> {
        let RouteFields {
            id,
            name,
            prefixes: prefix_texts,
            prefix_path,
            next_hop_type: nht_text,
            next_hop_type_path: nht_path,
            next_hop_ips: ip_texts,
            next_hop_ip_path,
            next_hop_ip_field,
            prefix_field,
            next_hop_type_field,
            path,
        } = f;
        let shown = if id.is_empty() { table_id.to_string() } else { id.clone() };
        let prefix = self.route_prefix(&prefix_texts, (&prefix_path, prefix_field), &name, &shown)?;
        let next_hop_type = RouteNextHopType::parse(&nht_text);
        if let RouteNextHopType::Other(text) = &next_hop_type {
            let message = if text.is_empty() {
                format!("route `{name}` has no `{next_hop_type_field}`")
            } else {
                format!("route `{name}` has an unknown next hop type `{text}`")
            };
            self.diag(
                Diagnostic::warning("UnknownNextHopType", message)
                    .at(nht_path.clone())
                    .resource(&shown)
                    .hint("azroute knows VirtualNetworkGateway, VnetLocal, Internet, VirtualAppliance, VirtualApplianceEcmp and None; the route is shown as written and traffic matching it is reported as not modelled"),
            );
        }
        let mut next_hop_ips = Vec::with_capacity(ip_texts.len());
        for (text, p) in ip_texts.iter().filter(|(t, _)| !t.trim().is_empty()) {
            match parse_ip(text) {
                Ok(ip) => next_hop_ips.push(ip),
                Err(err) => {
                    self.diag(Diagnostic::error("InvalidIpAddress", err.to_string()).at(p.clone()).resource(&shown));
                    return None;
                }
            }
        }
        let needs_ip =
            matches!(next_hop_type, RouteNextHopType::VirtualAppliance | RouteNextHopType::VirtualApplianceEcmp);
        if needs_ip && next_hop_ips.is_empty() {
            self.diag(
                Diagnostic::error(
                    "MissingNextHopIp",
                    format!("route `{name}` has next hop type {} but no next hop IP address", next_hop_type.as_str()),
                )
                .at(next_hop_ip_path)
                .resource(&shown)
                .hint(format!("Azure requires `{next_hop_ip_field}` for VirtualAppliance routes")),
            );
            return None;
        }
        if !needs_ip && !next_hop_ips.is_empty() {
            next_hop_ips.clear();
        }
        if let (RoutePrefix::Cidr(net), Some(ip)) = (&prefix, next_hop_ips.first())
            && net.addr().is_ipv4() != ip.is_ipv4()
        {
            self.diag(
                Diagnostic::warning(
                    "AddressFamilyMismatch",
                    format!("route `{name}` sends {net} to {ip}, an address of the other IP family"),
                )
                .at(next_hop_ip_path)
                .resource(&shown),
            );
        }
        Some(Route {
            id: ArmId::new(if id.is_empty() { format!("{table_id}/routes/{name}") } else { id }),
            name,
            prefix,
            next_hop_type,
            next_hop_ips,
            origin: self.origin(&path),
        })
    }

    fn address_patterns(&mut self, texts: &[&str], path: &str, id: &str) -> Option<Vec<AddressPattern>> {
        let mut out = Vec::with_capacity(texts.len());
        for text in texts {
            let t = text.trim();
            if t.is_empty() {
                continue;
            }
            if t == "*" || t.eq_ignore_ascii_case("Any") {
                out.push(AddressPattern::Any);
            } else if t.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && !t.contains(':') {
                out.push(AddressPattern::Tag(t.to_string()));
            } else {
                match parse_prefix_lenient(t) {
                    Ok(net) => out.push(AddressPattern::Prefix(net)),
                    Err(PrefixError::HostBitsSet { canonical, .. }) => {
                        self.diag(
                            Diagnostic::warning(
                                "HostBitsSet",
                                format!("security rule prefix `{t}` has host bits set; matched as `{canonical}`"),
                            )
                            .at(path)
                            .resource(id),
                        );
                        out.push(AddressPattern::Prefix(canonical));
                    }
                    Err(err) => {
                        let hint = err.hint();
                        self.diag(
                            Diagnostic::error("InvalidPrefix", err.to_string()).at(path).resource(id).maybe_hint(hint),
                        );
                        return None;
                    }
                }
            }
        }
        Some(out)
    }

    pub(crate) fn ports(&mut self, texts: &[&str], path: &str, id: &str) -> Option<Vec<PortRange>> {
        let mut out = Vec::with_capacity(texts.len().max(1));
        for text in texts.iter().filter(|t| !t.trim().is_empty()) {
            match PortRange::parse(text) {
                Some(range) => out.push(range),
                None => {
                    self.diag(
                        Diagnostic::error("InvalidPortRange", format!("`{text}` is not a port, port range or `*`"))
                            .at(path)
                            .resource(id)
                            .hint("ports are 0-65535, written `80`, `1000-2000` or `*`"),
                    );
                    return None;
                }
            }
        }
        if out.is_empty() {
            out.push(PortRange::ALL);
        }
        Some(out)
    }

    /// A rule's priority: outside Azure's 100 to 4096 reported and kept as written (the
    /// order it gives still decides), missing refused.
    fn rule_priority(&mut self, priority: Option<i64>, name: &str, paths: &RulePaths, shown: &str) -> Option<u32> {
        match priority {
            Some(p) if (100..=4096).contains(&p) => Some(p as u32),
            Some(p) => {
                self.diag(
                    Diagnostic::warning(
                        "PriorityOutOfRange",
                        format!("security rule `{name}` has priority {p}; Azure allows 100 to 4096"),
                    )
                    .at(paths.priority.clone())
                    .resource(shown),
                );
                Some(p.clamp(0, u32::MAX as i64) as u32)
            }
            None => {
                self.diag(
                    Diagnostic::error("MissingPriority", format!("security rule `{name}` has no priority"))
                        .at(paths.object.clone())
                        .resource(shown),
                );
                None
            }
        }
    }

    /// Lowers a security rule given as plain values (any dialect); reports and drops it when
    /// Azure would refuse it.
    pub(crate) fn lower_rule(&mut self, f: RuleFields) -> Option<SecurityRule> {
        let RuleFields {
            id,
            name,
            protocol: protocol_text,
            access,
            direction,
            priority,
            sources: src_texts,
            destinations: dst_texts,
            source_ports,
            destination_ports,
            source_asgs,
            destination_asgs,
            paths,
        } = f;
        let shown = if id.is_empty() { name.clone() } else { id.clone() };
        let Some(protocol) = RuleProtocol::parse(&protocol_text) else {
            self.diag(
                Diagnostic::error(
                    "InvalidProtocol",
                    format!("security rule `{name}` has an unknown protocol `{protocol_text}`"),
                )
                .at(paths.protocol)
                .resource(&shown)
                .hint("Azure allows Tcp, Udp, Icmp, Esp, Ah and *"),
            );
            return None;
        };
        let direction = match direction.to_ascii_lowercase().as_str() {
            "inbound" => Direction::Inbound,
            "outbound" => Direction::Outbound,
            other => {
                self.diag(
                    Diagnostic::error("InvalidDirection", format!("security rule `{name}` has direction `{other}`"))
                        .at(paths.direction)
                        .resource(&shown)
                        .hint("use Inbound or Outbound"),
                );
                return None;
            }
        };
        let access = match access.to_ascii_lowercase().as_str() {
            "allow" => Access::Allow,
            "deny" => Access::Deny,
            other => {
                self.diag(
                    Diagnostic::error("InvalidAccess", format!("security rule `{name}` has access `{other}`"))
                        .at(paths.access)
                        .resource(&shown)
                        .hint("use Allow or Deny"),
                );
                return None;
            }
        };
        let priority = self.rule_priority(priority, &name, &paths, &shown)?;
        let src_refs: Vec<&str> = src_texts.iter().map(|t| t.as_str()).collect();
        let dst_refs: Vec<&str> = dst_texts.iter().map(|t| t.as_str()).collect();
        let sources = self.address_patterns(&src_refs, &paths.source, &shown)?;
        let destinations = self.address_patterns(&dst_refs, &paths.destination, &shown)?;
        let sport_refs: Vec<&str> = source_ports.iter().map(|t| t.as_str()).collect();
        let dport_refs: Vec<&str> = destination_ports.iter().map(|t| t.as_str()).collect();
        let source_ports = self.ports(&sport_refs, &paths.source_port, &shown)?;
        let destination_ports = self.ports(&dport_refs, &paths.destination_port, &shown)?;
        let normalize = |v: Vec<String>| -> Vec<String> {
            v.iter().filter(|id| !id.trim().is_empty()).map(|id| normalize_id(id)).collect()
        };
        Some(SecurityRule {
            id: ArmId::new(&id),
            name,
            priority,
            direction,
            access,
            protocol,
            sources,
            destinations,
            source_asgs: normalize(source_asgs),
            destination_asgs: normalize(destination_asgs),
            source_ports,
            destination_ports,
            source_text: src_texts,
            destination_text: dst_texts,
            origin: self.origin(&paths.object),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_and_type_come_from_ids() {
        assert_eq!(
            parent_id("/s/x/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a"),
            "/s/x/rg/providers/Microsoft.Network/virtualNetworks/v"
        );
        assert_eq!(
            type_from_id("resourceGroups/t/providers/Microsoft.Network/virtualNetworks/v/subnets/a").as_deref(),
            Some("microsoft.network/virtualnetworks/subnets")
        );
        assert_eq!(type_from_id("testId"), None);
        assert_eq!(normalize_location("East US 2"), "eastus2");
    }
}
