//! The example estates embedded in the binary, usable as `--example NAME` by every command.

use crate::input::CliError;

/// One embedded estate: its files as `az` would have written them.
pub struct Example {
    pub name: &'static str,
    pub summary: &'static str,
    pub files: &'static [(&'static str, &'static str)],
}

macro_rules! estate_files {
    ($dir:literal: $($file:literal),* $(,)?) => {
        &[$(($file, include_str!(concat!("../estates/", $dir, "/", $file)))),*]
    };
}

pub const EXAMPLES: &[Example] = &[
    Example {
        name: "hub-spoke",
        summary: "healthy hub-and-spoke (doctor and reach find nothing): VPN gateway with BGP, gateway transit and a default site, a firewall NVA on every path to and from spoke1, a forced-tunnelled spoke in another region (global peering), a service endpoint and a private endpoint",
        files: estate_files!("hub-spoke":
            "learned-routes-vgw-hub.json",
            "local-gateway-list.json",
            "nic-list.json",
            "nsg-list.json",
            "private-endpoint-list.json",
            "public-ip-list.json",
            "route-table-list.json",
            "service-tags.json",
            "vm-list.json",
            "vnet-gateway-list.json",
            "vnet-list.json",
            "vpn-connection-list.json",
        ),
    },
    Example {
        name: "hub-firewall",
        summary: "the hub-spoke estate with an Azure Firewall in place of its NVA: a parent and a child policy with DNAT, network and application rules, spokes and the GatewaySubnet routed through it; a NAT gateway for its Internet egress, an Application Gateway v2, Azure Bastion, and a private subnet whose VM has no outbound method",
        files: estate_files!("hub-firewall":
            "application-gateway-list.json",
            "bastion-list.json",
            "firewall-list.json",
            "firewall-policy-list.json",
            "firewall-policy-rule-collection-groups.json",
            "learned-routes-vgw-hub.json",
            "local-gateway-list.json",
            "nat-gateway-list.json",
            "nic-list.json",
            "nsg-list.json",
            "private-endpoint-list.json",
            "public-ip-list.json",
            "route-table-list.json",
            "service-tags.json",
            "vm-list.json",
            "vnet-gateway-list.json",
            "vnet-list.json",
            "vpn-connection-list.json",
        ),
    },
    Example {
        name: "firewall-mistakes",
        summary: "the hub-firewall estate with the typical mistakes around an Azure Firewall (doctor names each): GatewaySubnet routes missing or beaten by peering routes, a spoke keeping gateway propagation, directly peered spokes, forced tunnelling with DNAT, a stale next hop, dead and shadowed rules, DNS proxy off, a SNAT range list without RFC 1918",
        files: estate_files!("firewall-mistakes":
            "application-gateway-list.json",
            "bastion-list.json",
            "firewall-list.json",
            "firewall-policy-list.json",
            "firewall-policy-rule-collection-groups.json",
            "learned-routes-vgw-hub.json",
            "local-gateway-list.json",
            "nat-gateway-list.json",
            "nic-list.json",
            "nsg-list.json",
            "private-endpoint-list.json",
            "public-ip-list.json",
            "route-table-list.json",
            "service-tags.json",
            "vm-list.json",
            "vnet-gateway-list.json",
            "vnet-list.json",
            "vpn-connection-list.json",
        ),
    },
    Example {
        name: "avnm",
        summary: "an estate managed by Azure Virtual Network Manager: hub-and-spoke with direct connectivity among the spokes (ConnectedGroup routes), a regional mesh of three lab VNets, security admin rules of all three kinds overriding NSGs (Deny RDP, AlwaysAllow SSH from the hub, Allow HTTPS) and a routing configuration sending the spokes' Internet traffic to the hub's NVA",
        files: estate_files!("avnm":
            "network-manager-admin-rule-collections.json",
            "network-manager-admin-rules.json",
            "network-manager-connectivity-configs.json",
            "network-manager-groups.json",
            "network-manager-routing-configs.json",
            "network-manager-routing-rule-collections.json",
            "network-manager-routing-rules.json",
            "network-manager-security-admin-configs.json",
            "network-manager-static-members.json",
            "nic-list.json",
            "nsg-list.json",
            "vm-list.json",
            "vnet-list.json",
        ),
    },
    Example {
        name: "route-server",
        summary: "the hub-spoke estate around Azure Route Server: two NVAs advertising 0.0.0.0/0 and 10.0.0.0/8 (ECMP) and an SD-WAN branch, a route dropped for 65515 and one inside the hub, a VPN gateway with branch-to-branch, spokes using the hub's Route Server",
        files: estate_files!("route-server":
            "learned-routes-rs-hub-nva1.json",
            "learned-routes-rs-hub-nva2.json",
            "learned-routes-vgw-hub.json",
            "local-gateway-list.json",
            "nic-list.json",
            "nsg-list.json",
            "private-endpoint-list.json",
            "public-ip-list.json",
            "route-table-list.json",
            "routeserver-list.json",
            "routeserver-peering-list.json",
            "service-tags.json",
            "vm-list.json",
            "vnet-gateway-list.json",
            "vnet-list.json",
            "vpn-connection-list.json",
        ),
    },
    Example {
        name: "vwan",
        summary: "a Virtual WAN with two hubs: hub-eastus secured by an Azure Firewall with routing intent for private and Internet traffic and a VPN site, hub-westeurope with default route tables, an ExpressRoute connection and a spoke NVA peered over BGP that advertises an indirect spoke; three spokes per hub",
        files: estate_files!("vwan":
            "express-route-gateway-list.json",
            "firewall-list.json",
            "firewall-policy-list.json",
            "firewall-policy-rule-collection-groups.json",
            "learned-routes-hub-westeurope-bgp-nva.json",
            "nic-list.json",
            "private-endpoint-list.json",
            "route-table-list.json",
            "vhub-bgpconnection-list-hub-westeurope.json",
            "vhub-connection-list-hub-eastus.json",
            "vhub-connection-list-hub-westeurope.json",
            "vhub-effective-routes-hub-eastus-defaultRouteTable.json",
            "vhub-effective-routes-hub-westeurope-defaultRouteTable.json",
            "vhub-list.json",
            "vhub-route-table-list-hub-eastus.json",
            "vhub-route-table-list-hub-westeurope.json",
            "vhub-routing-intent-list-hub-eastus.json",
            "vm-list.json",
            "vnet-list.json",
            "vpn-gateway-list.json",
            "vpn-site-list.json",
            "vwan-list.json",
        ),
    },
    Example {
        name: "troubleshoot",
        summary: "the traps of Microsoft's \"diagnose a VM routing problem\" guide: forced tunnelling on a VM with a public IP, an NVA with IP forwarding off, a half-created peering, an unassociated route table, an asymmetric firewall path and two NVAs routing to each other",
        files: estate_files!("troubleshoot":
            "nic-list.json",
            "nsg-list.json",
            "public-ip-list.json",
            "route-table-list.json",
            "vm-list.json",
            "vnet-list.json",
        ),
    },
];

pub fn find(name: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.name.eq_ignore_ascii_case(name))
}

/// The example named `name`, or an error that suggests the closest names.
pub fn named(name: &str) -> Result<&'static Example, CliError> {
    find(name).ok_or_else(|| {
        let names: Vec<&str> = EXAMPLES.iter().map(|e| e.name).collect();
        let guess = match azroute_model::similar_names(name, names.iter().copied()).first() {
            Some(close) => format!("; did you mean `{close}`?"),
            None => String::new(),
        };
        CliError::new(format!("no example estate named `{name}`{guess}"))
            .hint(format!("the examples are: {} (see `azroute examples`)", names.join(", ")))
    })
}

/// The example's files as (display name, text) pairs for ingest.
pub fn texts(example: &Example) -> Vec<(String, String)> {
    example.files.iter().map(|(file, text)| (format!("example:{}/{}", example.name, file), text.to_string())).collect()
}
