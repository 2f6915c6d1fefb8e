#!/usr/bin/env python3
"""Regenerates testdata/terraform/: one hub-and-spoke estate written three equivalent ways.

- hub-spoke-arm/: the deployed estate as `az ... list -o json` prints it (one file per command);
- hub-spoke-3x/state.json and plan.json: `terraform show -json` with azurerm 3.x attribute names;
- hub-spoke-4x/state.json and plan.json: the same with azurerm 4.x names (and the second spoke's
  subnet written inline in its VNet, with `route_table_id`).

The plans start from a different prior state but end at the same estate: in the 3.x plan the
second spoke is created, the first spoke's NIC replaced and its route table updated, and a
legacy route table deleted; in the 4.x plan the first spoke is created and a legacy NSG rule
deleted. Ids that a plan does not know yet are omitted from `after` and marked in
`after_unknown`, and the configuration carries the references that link them, as Terraform
writes them. The integration test `crates/azroute-ingest/tests/terraform.rs` requires every
subnet's effective routes to be identical across all five inputs.

Run from the repository root: python3 tools/make_terraform_fixtures.py
"""

import copy
import json
import os

OUT = os.path.join(os.path.dirname(__file__), "..", "testdata", "terraform")

SUB = "3f2a9c4e-8b1d-4e6f-9a7c-2d5e8f1b3c6a"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
HUB_RG = "rg-hub-network"
SPOKE_RG = "rg-spokes"
WE = "westeurope"
NE = "northeurope"
NVA_IP = "10.0.1.4"
PE_NIC = "pe-keyvault.nic.5b7c1e0a-3d2f-4c8b-9e61-0f4a7d2c8b19"
KEY_VAULT = f"/subscriptions/{SUB}/resourceGroups/rg-shared/providers/Microsoft.KeyVault/vaults/kv-shared-7d2c"
AZURERM = "registry.terraform.io/hashicorp/azurerm"


def rid(rg, provider, *parts):
    return f"/subscriptions/{SUB}/resourceGroups/{rg}/providers/{provider}/" + "/".join(parts)


def net(rg, *parts):
    return rid(rg, "Microsoft.Network", *parts)


def vm_id(rg, name):
    return rid(rg, "Microsoft.Compute", "virtualMachines", name)


# ===== The estate =====

VNETS = {
    "hub": {"name": "vnet-hub", "rg": HUB_RG, "loc": WE, "space": ["10.0.0.0/16"]},
    "spoke1": {"name": "vnet-spoke1", "rg": SPOKE_RG, "loc": WE, "space": ["10.1.0.0/16"]},
    "spoke2": {"name": "vnet-spoke2", "rg": SPOKE_RG, "loc": NE, "space": ["10.2.0.0/16"]},
}

# vnet, name, prefix, route table, NSG, service endpoints, privateEndpointNetworkPolicies
SUBNETS = [
    ("hub", "GatewaySubnet", "10.0.0.0/27", "rt-gateway", None, [], "Disabled"),
    ("hub", "snet-nva", "10.0.1.0/24", None, None, [], "Disabled"),
    ("hub", "snet-shared", "10.0.2.0/24", None, "nsg-shared", ["Microsoft.KeyVault"], "Enabled"),
    ("spoke1", "snet-app", "10.1.1.0/24", "rt-spoke1", "nsg-app1", [], "Disabled"),
    ("spoke2", "snet-app", "10.2.1.0/24", "rt-spoke2", None, [], "Disabled"),
]

# Routes in name order (Terraform's `route` is a set; azroute orders routes by name).
ROUTE_TABLES = {
    "rt-gateway": {"rg": HUB_RG, "loc": WE, "disable_bgp": False, "routes": [
        ("to-spoke1", "10.1.0.0/16", "VirtualAppliance", NVA_IP),
        ("to-spoke2", "10.2.0.0/16", "VirtualAppliance", NVA_IP),
    ]},
    "rt-spoke1": {"rg": SPOKE_RG, "loc": WE, "disable_bgp": True, "routes": [
        ("default-via-nva", "0.0.0.0/0", "VirtualAppliance", NVA_IP),
        ("to-hub-shared", "10.0.2.0/24", "VirtualAppliance", NVA_IP),
    ]},
    "rt-spoke2": {"rg": SPOKE_RG, "loc": NE, "disable_bgp": False, "routes": [
        ("blackhole", "10.250.0.0/16", "None", None),
        ("default-via-nva", "0.0.0.0/0", "VirtualAppliance", NVA_IP),
        ("to-onprem-dmz", "192.168.20.0/24", "VirtualAppliance", NVA_IP),  # an azurerm_route
    ]},
}

# name, priority, direction, access, protocol, sources, destination, destination port
NSGS = {
    "nsg-shared": {"rg": HUB_RG, "loc": WE, "rules": [
        ("allow-https-from-spokes", 100, "Inbound", "Allow", "Tcp", ["10.1.0.0/16", "10.2.0.0/16"], "*", "443"),
        ("allow-ssh-from-onprem", 200, "Inbound", "Allow", "Tcp", ["192.168.10.0/24"], "VirtualNetwork", "22"),  # an azurerm_network_security_rule
        ("deny-internet-out", 4000, "Outbound", "Deny", "*", ["*"], "Internet", "*"),
    ]},
    "nsg-app1": {"rg": SPOKE_RG, "loc": WE, "rules": [
        ("allow-http-in", 100, "Inbound", "Allow", "Tcp", ["VirtualNetwork"], "*", "80"),
    ]},
    "nsg-app2": {"rg": SPOKE_RG, "loc": NE, "rules": [
        ("allow-rdp-from-hub", 110, "Inbound", "Allow", "Tcp", ["10.0.0.0/16"], "*", "3389"),
    ]},
}

# name, rg, location, (vnet, subnet), ip, forwarding, vm, NIC NSG
NICS = [
    ("nic-nva", HUB_RG, WE, ("hub", "snet-nva"), NVA_IP, True, "vm-nva", None),
    ("nic-app1", SPOKE_RG, WE, ("spoke1", "snet-app"), "10.1.1.4", False, "vm-app1", None),
    ("nic-app2", SPOKE_RG, NE, ("spoke2", "snet-app"), "10.2.1.4", False, "vm-app2", "nsg-app2"),
]

# owner, name, remote, allowForwardedTraffic, allowGatewayTransit, useRemoteGateways
PEERINGS = [
    ("hub", "peer-hub-to-spoke1", "spoke1", True, True, False),
    ("hub", "peer-hub-to-spoke2", "spoke2", True, True, False),
    ("spoke1", "peer-spoke1-to-hub", "hub", True, False, True),
    ("spoke2", "peer-spoke2-to-hub", "hub", True, False, True),
]

GATEWAY = {"name": "vgw-hub", "instance_ip": "10.0.0.30", "asn": 65515, "pip": "pip-vgw-hub", "pip_ip": "20.61.24.7"}
LNG = {"name": "lng-onprem", "address": "203.0.113.10", "space": ["192.168.10.0/24", "192.168.20.0/24"]}
CONNECTION = "cn-hub-onprem"
PE = {"name": "pe-keyvault", "ip": "10.0.2.5", "group": "vault"}


def vnet_id(key):
    v = VNETS[key]
    return net(v["rg"], "virtualNetworks", v["name"])


def subnet_id(key, name):
    return f"{vnet_id(key)}/subnets/{name}"


def subnet_row(key, name):
    return next(s for s in SUBNETS if s[0] == key and s[1] == name)


def rt_id(name):
    return net(ROUTE_TABLES[name]["rg"], "routeTables", name)


def nsg_id(name):
    return net(NSGS[name]["rg"], "networkSecurityGroups", name)


def nic_id(name):
    row = next(n for n in NICS if n[0] == name)
    return net(row[1], "networkInterfaces", name)


GW_ID = net(HUB_RG, "virtualNetworkGateways", GATEWAY["name"])
PIP_ID = net(HUB_RG, "publicIPAddresses", GATEWAY["pip"])
LNG_ID = net(HUB_RG, "localNetworkGateways", LNG["name"])
CONN_ID = net(HUB_RG, "connections", CONNECTION)
PE_ID = net(HUB_RG, "privateEndpoints", PE["name"])
PE_NIC_ID = net(HUB_RG, "networkInterfaces", PE_NIC)


# ===== ARM (az CLI) =====


def ref(id_, rg):
    return {"id": id_, "resourceGroup": rg}


def arm_subnet(row):
    key, name, prefix, rt, nsg, endpoints, policies = row
    rg = VNETS[key]["rg"]
    s = {
        "addressPrefix": prefix,
        "delegations": [],
        "etag": 'W/"6f0e0c4b-5a57-4b1b-9d4a-0b8e2a1f7c11"',
        "id": subnet_id(key, name),
        "name": name,
        "privateEndpointNetworkPolicies": policies,
        "privateLinkServiceNetworkPolicies": "Enabled",
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "type": "Microsoft.Network/virtualNetworks/subnets",
    }
    if rt:
        s["routeTable"] = ref(rt_id(rt), ROUTE_TABLES[rt]["rg"])
    if nsg:
        s["networkSecurityGroup"] = ref(nsg_id(nsg), NSGS[nsg]["rg"])
    if endpoints:
        # Azure fills in the locations; KeyVault's are "*".
        s["serviceEndpoints"] = [{"locations": ["*"], "provisioningState": "Succeeded", "service": e} for e in endpoints]
    configs = [ref(nic_id(n[0]) + "/ipConfigurations/ipconfig1", n[1]) for n in NICS if n[3] == (key, name)]
    if (key, name) == ("hub", "GatewaySubnet"):
        configs.append(ref(GW_ID + "/ipConfigurations/vnetGatewayConfig", HUB_RG))
    if (key, name) == ("hub", "snet-shared"):
        configs.append(ref(PE_NIC_ID + "/ipConfigurations/privateEndpointIpConfig.0d2a7c1e-44b3-4f7e-8a15-6c9d3e2b7f40", HUB_RG))
        s["privateEndpoints"] = [ref(PE_ID, HUB_RG)]
    if configs:
        s["ipConfigurations"] = configs
    return s


def arm_peering(row):
    owner, name, remote, fwd, transit, use_remote = row
    o = VNETS[owner]
    return {
        "allowForwardedTraffic": fwd,
        "allowGatewayTransit": transit,
        "allowVirtualNetworkAccess": True,
        "doNotVerifyRemoteGateways": False,
        "etag": 'W/"c1d4f2e8-7b6a-4e3d-9f0a-2b5c8d1e4f7a"',
        "id": f"{vnet_id(owner)}/virtualNetworkPeerings/{name}",
        "name": name,
        "peerCompleteVnets": True,
        "peeringState": "Connected",
        "peeringSyncLevel": "FullyInSync",
        "provisioningState": "Succeeded",
        "remoteAddressSpace": {"addressPrefixes": VNETS[remote]["space"]},
        "remoteVirtualNetwork": ref(vnet_id(remote), VNETS[remote]["rg"]),
        "remoteVirtualNetworkAddressSpace": {"addressPrefixes": VNETS[remote]["space"]},
        "resourceGroup": o["rg"],
        "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        "useRemoteGateways": use_remote,
    }


def arm_files():
    files = {}
    files["vnet-list.json"] = [
        {
            "addressSpace": {"addressPrefixes": v["space"]},
            "enableDdosProtection": False,
            "etag": 'W/"0b6c5e2d-1f3a-4d8e-b7c9-5a2e1d0f3b6c"',
            "id": vnet_id(k),
            "location": v["loc"],
            "name": v["name"],
            "provisioningState": "Succeeded",
            "resourceGroup": v["rg"],
            "resourceGuid": "9e3b1c7a-2d4f-4a6b-8c0e-1f5d3a7b9c2e",
            "subnets": [arm_subnet(s) for s in SUBNETS if s[0] == k],
            "type": "Microsoft.Network/virtualNetworks",
            "virtualNetworkPeerings": [arm_peering(p) for p in PEERINGS if p[0] == k],
        }
        for k, v in VNETS.items()
    ]
    files["route-table-list.json"] = []
    for name, t in ROUTE_TABLES.items():
        routes = []
        for rname, prefix, hop, ip in t["routes"]:
            r = {
                "addressPrefix": prefix,
                "hasBgpOverride": False,
                "id": f"{rt_id(name)}/routes/{rname}",
                "name": rname,
                "nextHopType": hop,
                "provisioningState": "Succeeded",
                "resourceGroup": t["rg"],
                "type": "Microsoft.Network/routeTables/routes",
            }
            if ip:
                r["nextHopIpAddress"] = ip
            routes.append(r)
        files["route-table-list.json"].append({
            "disableBgpRoutePropagation": t["disable_bgp"],
            "id": rt_id(name),
            "location": t["loc"],
            "name": name,
            "provisioningState": "Succeeded",
            "resourceGroup": t["rg"],
            "routes": routes,
            "subnets": [ref(subnet_id(s[0], s[1]), VNETS[s[0]]["rg"]) for s in SUBNETS if s[3] == name],
            "type": "Microsoft.Network/routeTables",
        })
    files["nsg-list.json"] = []
    for name, n in NSGS.items():
        rules = []
        for rname, prio, direction, access, proto, srcs, dst, dport in n["rules"]:
            r = {
                "access": access,
                "destinationAddressPrefix": dst,
                "destinationAddressPrefixes": [],
                "destinationPortRange": dport,
                "destinationPortRanges": [],
                "direction": direction,
                "id": f"{nsg_id(name)}/securityRules/{rname}",
                "name": rname,
                "priority": prio,
                "protocol": proto,
                "provisioningState": "Succeeded",
                "resourceGroup": n["rg"],
                "sourcePortRange": "*",
                "sourcePortRanges": [],
                "type": "Microsoft.Network/networkSecurityGroups/securityRules",
            }
            if len(srcs) == 1:
                r["sourceAddressPrefix"] = srcs[0]
                r["sourceAddressPrefixes"] = []
            else:
                r["sourceAddressPrefixes"] = srcs
            rules.append(r)
        files["nsg-list.json"].append({
            "defaultSecurityRules": [],
            "id": nsg_id(name),
            "location": n["loc"],
            "name": name,
            "provisioningState": "Succeeded",
            "resourceGroup": n["rg"],
            "securityRules": rules,
            "type": "Microsoft.Network/networkSecurityGroups",
        })
    files["nic-list.json"] = []
    for name, rg, loc, (vkey, sname), ip, fwd, vm, nsg in NICS:
        n = {
            "enableAcceleratedNetworking": False,
            "enableIPForwarding": fwd,
            "id": nic_id(name),
            "ipConfigurations": [{
                "id": nic_id(name) + "/ipConfigurations/ipconfig1",
                "name": "ipconfig1",
                "primary": True,
                "privateIPAddress": ip,
                "privateIPAddressVersion": "IPv4",
                "privateIPAllocationMethod": "Static",
                "provisioningState": "Succeeded",
                "resourceGroup": rg,
                "subnet": ref(subnet_id(vkey, sname), VNETS[vkey]["rg"]),
                "type": "Microsoft.Network/networkInterfaces/ipConfigurations",
            }],
            "location": loc,
            "name": name,
            "primary": True,
            "provisioningState": "Succeeded",
            "resourceGroup": rg,
            "type": "Microsoft.Network/networkInterfaces",
            "virtualMachine": ref(vm_id(rg, vm), rg),
        }
        if nsg:
            n["networkSecurityGroup"] = ref(nsg_id(nsg), NSGS[nsg]["rg"])
        files["nic-list.json"].append(n)
    files["nic-list.json"].append({
        "enableAcceleratedNetworking": False,
        "enableIPForwarding": False,
        "id": PE_NIC_ID,
        "ipConfigurations": [{
            "id": PE_NIC_ID + "/ipConfigurations/privateEndpointIpConfig.0d2a7c1e-44b3-4f7e-8a15-6c9d3e2b7f40",
            "name": "privateEndpointIpConfig.0d2a7c1e-44b3-4f7e-8a15-6c9d3e2b7f40",
            "primary": True,
            "privateIPAddress": PE["ip"],
            "privateIPAddressVersion": "IPv4",
            "privateIPAllocationMethod": "Dynamic",
            "provisioningState": "Succeeded",
            "resourceGroup": HUB_RG,
            "subnet": ref(subnet_id("hub", "snet-shared"), HUB_RG),
            "type": "Microsoft.Network/networkInterfaces/ipConfigurations",
        }],
        "location": WE,
        "name": PE_NIC,
        "privateEndpoint": ref(PE_ID, HUB_RG),
        "provisioningState": "Succeeded",
        "resourceGroup": HUB_RG,
        "type": "Microsoft.Network/networkInterfaces",
    })
    files["vm-list.json"] = [
        {
            "id": vm_id(rg, vm),
            "location": loc,
            "name": vm,
            "networkProfile": {"networkInterfaces": [{"id": nic_id(name), "primary": True, "resourceGroup": rg}]},
            "provisioningState": "Succeeded",
            "resourceGroup": rg,
            "type": "Microsoft.Compute/virtualMachines",
        }
        for name, rg, loc, _, _, _, vm, _ in NICS
    ]
    files["public-ip-list.json"] = [{
        "id": PIP_ID,
        "ipAddress": GATEWAY["pip_ip"],
        "location": WE,
        "name": GATEWAY["pip"],
        "publicIPAllocationMethod": "Static",
        "resourceGroup": HUB_RG,
        "sku": {"name": "Standard", "tier": "Regional"},
        "type": "Microsoft.Network/publicIPAddresses",
    }]
    files["vnet-gateway-list.json"] = [{
        "activeActive": False,
        "bgpSettings": {
            "asn": GATEWAY["asn"],
            "bgpPeeringAddress": GATEWAY["instance_ip"],
            "bgpPeeringAddresses": [{
                "customBgpIpAddresses": [],
                "defaultBgpIpAddresses": [GATEWAY["instance_ip"]],
                "ipconfigurationId": GW_ID + "/ipConfigurations/vnetGatewayConfig",
                "tunnelIpAddresses": [GATEWAY["pip_ip"]],
            }],
            "peerWeight": 0,
        },
        "enableBgp": True,
        "gatewayType": "Vpn",
        "id": GW_ID,
        "ipConfigurations": [{
            "id": GW_ID + "/ipConfigurations/vnetGatewayConfig",
            "name": "vnetGatewayConfig",
            "privateIPAllocationMethod": "Dynamic",
            "publicIPAddress": ref(PIP_ID, HUB_RG),
            "subnet": ref(subnet_id("hub", "GatewaySubnet"), HUB_RG),
        }],
        "location": WE,
        "name": GATEWAY["name"],
        "provisioningState": "Succeeded",
        "resourceGroup": HUB_RG,
        "sku": {"capacity": 2, "name": "VpnGw1", "tier": "VpnGw1"},
        "type": "Microsoft.Network/virtualNetworkGateways",
        "vpnGatewayGeneration": "Generation1",
        "vpnType": "RouteBased",
    }]
    files["local-gateway-list.json"] = [{
        "gatewayIpAddress": LNG["address"],
        "id": LNG_ID,
        "localNetworkAddressSpace": {"addressPrefixes": LNG["space"]},
        "location": WE,
        "name": LNG["name"],
        "provisioningState": "Succeeded",
        "resourceGroup": HUB_RG,
        "type": "Microsoft.Network/localNetworkGateways",
    }]
    files["vpn-connection-list.json"] = [{
        "connectionProtocol": "IKEv2",
        "connectionStatus": "Connected",
        "connectionType": "IPsec",
        "enableBgp": False,
        "id": CONN_ID,
        "localNetworkGateway2": ref(LNG_ID, HUB_RG),
        "location": WE,
        "name": CONNECTION,
        "provisioningState": "Succeeded",
        "resourceGroup": HUB_RG,
        "routingWeight": 0,
        "type": "Microsoft.Network/connections",
        "virtualNetworkGateway1": ref(GW_ID, HUB_RG),
    }]
    files["private-endpoint-list.json"] = [{
        "customDnsConfigs": [{"fqdn": "kv-shared-7d2c.vault.azure.net", "ipAddresses": [PE["ip"]]}],
        "id": PE_ID,
        "location": WE,
        "name": PE["name"],
        "networkInterfaces": [ref(PE_NIC_ID, HUB_RG)],
        "privateLinkServiceConnections": [{
            "groupIds": [PE["group"]],
            "name": "psc-keyvault",
            "privateLinkServiceConnectionState": {"actionsRequired": "None", "status": "Approved"},
            "privateLinkServiceId": KEY_VAULT,
        }],
        "provisioningState": "Succeeded",
        "resourceGroup": HUB_RG,
        "subnet": ref(subnet_id("hub", "snet-shared"), HUB_RG),
        "type": "Microsoft.Network/privateEndpoints",
    }]
    return files


# ===== Terraform =====


class R:
    """A configuration expression that references other objects. `target` is the absolute
    address of the resource whose id it yields (for the generator's unknown-value bookkeeping);
    `many` marks a list attribute."""

    def __init__(self, *refs, target=None, attr="id", many=False):
        self.refs = list(refs)
        self.target = target
        self.attr = attr
        self.many = many


class Res:
    def __init__(self, module, rtype, name, values, config, computed=(), depends_on=()):
        self.module = module  # "" or "module.spoke1"
        self.rtype = rtype
        self.name = name
        self.values = values
        self.config = config
        self.computed = list(computed)
        self.depends_on = list(depends_on)

    @property
    def local(self):
        return f"{self.rtype}.{self.name}"

    @property
    def address(self):
        return f"{self.module}.{self.local}" if self.module else self.local


def tf_rule(rule, v, standalone=False, nsg=None):
    rname, prio, direction, access, proto, srcs, dst, dport = rule
    r = {
        "access": access,
        "description": "",
        "destination_address_prefix": dst,
        "destination_address_prefixes": [],
        "destination_application_security_group_ids": [],
        "destination_port_range": dport,
        "destination_port_ranges": [],
        "direction": direction,
        "name": rname,
        "priority": prio,
        "protocol": proto,
        "source_address_prefix": srcs[0] if len(srcs) == 1 else "",
        "source_address_prefixes": [] if len(srcs) == 1 else srcs,
        "source_application_security_group_ids": [],
        "source_port_range": "*",
        "source_port_ranges": [],
    }
    if standalone:
        r.update({
            "id": f"{nsg_id(nsg)}/securityRules/{rname}",
            "network_security_group_name": nsg,
            "resource_group_name": NSGS[nsg]["rg"],
            "timeouts": None,
        })
    return r


def rule_config(rule):
    return {k: val for k, val in tf_rule(rule, "4").items() if val not in ("", [])}


def tf_route_block(route):
    rname, prefix, hop, ip = route
    return {"address_prefix": prefix, "name": rname, "next_hop_in_ip_address": ip or "", "next_hop_type": hop}


def subnet_values(row, v, standalone=True):
    key, name, prefix, rt, nsg, endpoints, policies = row
    vals = {
        "address_prefixes": [prefix],
        "default_outbound_access_enabled": True,
        "delegation": [],
        "id": subnet_id(key, name),
        "name": name,
        "resource_group_name": VNETS[key]["rg"],
        "service_endpoint_policy_ids": [],
        "service_endpoints": endpoints,
        "timeouts": None,
        "virtual_network_name": VNETS[key]["name"],
    }
    if v == "3":
        del vals["default_outbound_access_enabled"]
        vals.update({
            # 3.x: `*_enabled = true` means Enabled; the older `enforce_*` means the opposite.
            "enforce_private_link_endpoint_network_policies": policies != "Enabled",
            "enforce_private_link_service_network_policies": False,
            "private_endpoint_network_policies_enabled": policies == "Enabled",
            "private_link_service_network_policies_enabled": True,
        })
    else:
        vals.update({
            "private_endpoint_network_policies": policies,
            "private_link_service_network_policies_enabled": True,
        })
    return vals


def inline_subnet(row, v, with_links):
    """A subnet as the computed `subnet` set of `azurerm_virtual_network` lists it."""
    key, name, prefix, rt, nsg, endpoints, policies = row
    if v == "3":
        return {"address_prefix": prefix, "id": subnet_id(key, name), "name": name,
                "security_group": nsg_id(nsg) if nsg else ""}
    return {
        "address_prefixes": [prefix],
        "default_outbound_access_enabled": True,
        "delegation": [],
        "id": subnet_id(key, name),
        "name": name,
        "private_endpoint_network_policies": policies,
        "private_link_service_network_policies_enabled": True,
        "route_table_id": rt_id(rt) if (rt and with_links) else "",
        "security_group": nsg_id(nsg) if nsg else "",
        "service_endpoint_policy_ids": [],
        "service_endpoints": endpoints,
    }


def vnet_values(key, v, inline_links=False):
    vn = VNETS[key]
    return {
        "address_space": vn["space"],
        "bgp_community": "",
        "ddos_protection_plan": [],
        "dns_servers": [],
        "edge_zone": "",
        "encryption": [],
        "flow_timeout_in_minutes": 0,
        "guid": "9e3b1c7a-2d4f-4a6b-8c0e-1f5d3a7b9c2e",
        "id": vnet_id(key),
        "location": vn["loc"],
        "name": vn["name"],
        "resource_group_name": vn["rg"],
        "subnet": [inline_subnet(s, v, True) for s in SUBNETS if s[0] == key],
        "tags": {},
        "timeouts": None,
    }


def route_table_values(name, v, include_standalone):
    t = ROUTE_TABLES[name]
    routes = [r for r in t["routes"] if include_standalone or r[0] != "to-onprem-dmz"]
    vals = {
        "id": rt_id(name),
        "location": t["loc"],
        "name": name,
        "resource_group_name": t["rg"],
        # A set: Terraform writes it in its own order, not the configuration's.
        "route": [tf_route_block(r) for r in reversed(routes)],
        "subnets": [subnet_id(s[0], s[1]) for s in SUBNETS if s[3] == name],
        "tags": {},
        "timeouts": None,
    }
    if v == "3":
        vals["disable_bgp_route_propagation"] = t["disable_bgp"]
    else:
        vals["bgp_route_propagation_enabled"] = not t["disable_bgp"]
    return vals


def nsg_values(name, v, include_standalone):
    n = NSGS[name]
    rules = [r for r in n["rules"] if include_standalone or r[0] != "allow-ssh-from-onprem"]
    return {
        "id": nsg_id(name),
        "location": n["loc"],
        "name": name,
        "resource_group_name": n["rg"],
        "security_rule": [tf_rule(r, v) for r in sorted(rules, key=lambda r: -r[1])],
        "tags": {},
        "timeouts": None,
    }


def nic_values(row, v):
    name, rg, loc, (vkey, sname), ip, fwd, vm, _ = row
    vals = {
        "accelerated_networking_enabled": False,
        "applied_dns_servers": [],
        "auxiliary_mode": "",
        "auxiliary_sku": "",
        "dns_servers": [],
        "edge_zone": "",
        "id": nic_id(name),
        "internal_dns_name_label": "",
        "internal_domain_name_suffix": "x2dcq4s1jnyuhmrpbfy0wgdwma.ax.internal.cloudapp.net",
        "ip_configuration": [{
            "gateway_load_balancer_frontend_ip_configuration_id": "",
            "name": "ipconfig1",
            "primary": True,
            "private_ip_address": ip,
            "private_ip_address_allocation": "Static",
            "private_ip_address_version": "IPv4",
            "public_ip_address_id": "",
            "subnet_id": subnet_id(vkey, sname),
        }],
        "ip_forwarding_enabled": fwd,
        "location": loc,
        "mac_address": "00-0D-3A-2B-4C-5D",
        "name": name,
        "private_ip_address": ip,
        "private_ip_addresses": [ip],
        "resource_group_name": rg,
        "tags": {},
        "timeouts": None,
        "virtual_machine_id": vm_id(rg, vm),
    }
    if v == "3":
        del vals["accelerated_networking_enabled"], vals["ip_forwarding_enabled"]
        vals["enable_accelerated_networking"] = False
        vals["enable_ip_forwarding"] = fwd
    return vals


NIC_COMPUTED = ["id", "mac_address", "private_ip_address", "private_ip_addresses", "virtual_machine_id",
                "applied_dns_servers", "internal_domain_name_suffix"]


def vm_values(row, windows):
    name, rg, loc, _, ip, _, vm, _ = row
    vals = {
        "admin_password": "" if not windows else "not-a-real-password",
        "admin_username": "azureadmin",
        "computer_name": vm,
        "id": vm_id(rg, vm),
        "location": loc,
        "name": vm,
        "network_interface_ids": [nic_id(name)],
        "os_disk": [{"caching": "ReadWrite", "disk_size_gb": 30, "name": f"{vm}_OsDisk_1", "storage_account_type": "Standard_LRS"}],
        "private_ip_address": ip,
        "private_ip_addresses": [ip],
        "public_ip_address": "",
        "public_ip_addresses": [],
        "resource_group_name": rg,
        "size": "Standard_B2s",
        "tags": {},
        "timeouts": None,
        "virtual_machine_id": "4c1f7e2a-9b3d-4e8f-a6c0-5d2b8e1f3a7c",
    }
    if not windows:
        vals["disable_password_authentication"] = True
    return vals


VM_COMPUTED = ["id", "private_ip_address", "private_ip_addresses", "public_ip_address", "public_ip_addresses",
               "virtual_machine_id", "computer_name"]


def peering_values(row):
    owner, name, remote, fwd, transit, use_remote = row
    o = VNETS[owner]
    return {
        "allow_forwarded_traffic": fwd,
        "allow_gateway_transit": transit,
        "allow_virtual_network_access": True,
        "id": f"{vnet_id(owner)}/virtualNetworkPeerings/{name}",
        "local_subnet_names": [],
        "name": name,
        "only_ipv6_peering_enabled": False,
        "peer_complete_virtual_networks_enabled": True,
        "remote_subnet_names": [],
        "remote_virtual_network_id": vnet_id(remote),
        "resource_group_name": o["rg"],
        "timeouts": None,
        "triggers": None,
        "use_remote_gateways": use_remote,
        "virtual_network_name": o["name"],
    }


def resources(v):
    """Every Terraform resource of the estate, with azurerm `v`.x attribute names."""
    rs = []
    add = rs.append
    inline_spoke2 = v == "4"
    rg_hub = R("azurerm_resource_group.hub.name", "azurerm_resource_group.hub", attr="name")

    # Resource groups (not modelled by azroute).
    for key, rg in (("hub", HUB_RG), ("spokes", SPOKE_RG)):
        add(Res("", "azurerm_resource_group", key,
                {"id": f"/subscriptions/{SUB}/resourceGroups/{rg}", "location": WE, "managed_by": "", "name": rg,
                 "tags": {}, "timeouts": None},
                {"location": WE, "name": rg}, computed=["id"]))

    # ----- Hub (root module) -----
    add(Res("", "azurerm_virtual_network", "hub", vnet_values("hub", v),
            {"address_space": VNETS["hub"]["space"], "location": WE, "name": "vnet-hub", "resource_group_name": rg_hub},
            computed=["id", "guid", "subnet", "dns_servers"]))
    for key, tfname in (("GatewaySubnet", "gateway"), ("snet-nva", "nva"), ("snet-shared", "shared")):
        row = subnet_row("hub", key)
        cfg = {"address_prefixes": [row[2]], "name": key, "resource_group_name": rg_hub,
               "virtual_network_name": R("azurerm_virtual_network.hub.name", "azurerm_virtual_network.hub", attr="name")}
        if row[5]:
            cfg["service_endpoints"] = row[5]
        if v == "3":
            cfg["private_endpoint_network_policies_enabled"] = row[6] == "Enabled"
        else:
            cfg["private_endpoint_network_policies"] = row[6]
        add(Res("", "azurerm_subnet", tfname, subnet_values(row, v), cfg, computed=["id"]))
    add(Res("", "azurerm_route_table", "gateway", route_table_values("rt-gateway", v, True),
            {"location": WE, "name": "rt-gateway", "resource_group_name": rg_hub,
             "route": [{k: val for k, val in tf_route_block(r).items() if val} for r in ROUTE_TABLES["rt-gateway"]["routes"]]},
            computed=["id", "subnets"]))
    add(Res("", "azurerm_subnet_route_table_association", "gateway",
            {"id": subnet_id("hub", "GatewaySubnet"), "route_table_id": rt_id("rt-gateway"),
             "subnet_id": subnet_id("hub", "GatewaySubnet"), "timeouts": None},
            {"route_table_id": R("azurerm_route_table.gateway.id", "azurerm_route_table.gateway", target="azurerm_route_table.gateway"),
             "subnet_id": R("azurerm_subnet.gateway.id", "azurerm_subnet.gateway", target="azurerm_subnet.gateway")},
            computed=["id"]))
    add(Res("", "azurerm_network_security_group", "shared", nsg_values("nsg-shared", v, v == "3"),
            {"location": WE, "name": "nsg-shared", "resource_group_name": rg_hub,
             "security_rule": [rule_config(r) for r in NSGS["nsg-shared"]["rules"] if r[0] != "allow-ssh-from-onprem"]},
            computed=["id"]))
    ssh = next(r for r in NSGS["nsg-shared"]["rules"] if r[0] == "allow-ssh-from-onprem")
    add(Res("", "azurerm_network_security_rule", "ssh_from_onprem", tf_rule(ssh, v, True, "nsg-shared"),
            dict(rule_config(ssh), network_security_group_name=R("azurerm_network_security_group.shared.name",
                 "azurerm_network_security_group.shared", attr="name"), resource_group_name=rg_hub),
            computed=["id"]))
    add(Res("", "azurerm_subnet_network_security_group_association", "shared",
            {"id": subnet_id("hub", "snet-shared"), "network_security_group_id": nsg_id("nsg-shared"),
             "subnet_id": subnet_id("hub", "snet-shared"), "timeouts": None},
            {"network_security_group_id": R("azurerm_network_security_group.shared.id", "azurerm_network_security_group.shared",
                                            target="azurerm_network_security_group.shared"),
             "subnet_id": R("azurerm_subnet.shared.id", "azurerm_subnet.shared", target="azurerm_subnet.shared")},
            computed=["id"]))
    add(Res("", "azurerm_public_ip", "vgw",
            {"allocation_method": "Static", "id": PIP_ID, "ip_address": GATEWAY["pip_ip"], "location": WE,
             "name": GATEWAY["pip"], "resource_group_name": HUB_RG, "sku": "Standard", "tags": {}, "timeouts": None,
             "zones": []},
            {"allocation_method": "Static", "location": WE, "name": GATEWAY["pip"], "resource_group_name": rg_hub, "sku": "Standard"},
            computed=["id", "ip_address"]))
    gw = {
        "active_active": False,
        "bgp_route_translation_for_nat_enabled": False,
        "bgp_settings": [{
            "asn": GATEWAY["asn"],
            "peer_weight": 0,
            "peering_addresses": [{
                "apipa_addresses": [],
                "default_addresses": [GATEWAY["instance_ip"]],
                "ip_configuration_name": "vnetGatewayConfig",
                "tunnel_ip_addresses": [GATEWAY["pip_ip"]],
            }],
        }],
        "custom_route": [],
        "default_local_network_gateway_id": "",
        "edge_zone": "",
        "generation": "Generation1",
        "id": GW_ID,
        "ip_configuration": [{
            "name": "vnetGatewayConfig",
            "private_ip_address_allocation": "Dynamic",
            "public_ip_address_id": PIP_ID,
            "subnet_id": subnet_id("hub", "GatewaySubnet"),
        }],
        "location": WE,
        "name": GATEWAY["name"],
        "private_ip_address_enabled": False,
        "resource_group_name": HUB_RG,
        "sku": "VpnGw1",
        "tags": {},
        "timeouts": None,
        "type": "Vpn",
        "vpn_client_configuration": [],
        "vpn_type": "RouteBased",
    }
    gw["enable_bgp" if v == "3" else "bgp_enabled"] = True
    add(Res("", "azurerm_virtual_network_gateway", "hub", gw,
            {"active_active": False, ("enable_bgp" if v == "3" else "bgp_enabled"): True,
             "bgp_settings": [{"asn": GATEWAY["asn"]}],
             "ip_configuration": [{"name": "vnetGatewayConfig", "private_ip_address_allocation": "Dynamic",
                                   "public_ip_address_id": R("azurerm_public_ip.vgw.id", "azurerm_public_ip.vgw", target="azurerm_public_ip.vgw"),
                                   "subnet_id": R("azurerm_subnet.gateway.id", "azurerm_subnet.gateway", target="azurerm_subnet.gateway")}],
             "location": WE, "name": GATEWAY["name"], "resource_group_name": rg_hub, "sku": "VpnGw1", "type": "Vpn",
             "vpn_type": "RouteBased"},
            computed=["id", "bgp_settings"]))
    add(Res("", "azurerm_local_network_gateway", "onprem",
            {"address_space": LNG["space"], "bgp_settings": [], "gateway_address": LNG["address"], "gateway_fqdn": "",
             "id": LNG_ID, "location": WE, "name": LNG["name"], "resource_group_name": HUB_RG, "tags": {}, "timeouts": None},
            {"address_space": LNG["space"], "gateway_address": LNG["address"], "location": WE, "name": LNG["name"],
             "resource_group_name": rg_hub},
            computed=["id"]))
    add(Res("", "azurerm_virtual_network_gateway_connection", "onprem",
            {"connection_mode": "Default", "connection_protocol": "IKEv2", "dpd_timeout_seconds": 0, "egress_nat_rule_ids": [],
             "enable_bgp": False, "express_route_circuit_id": "", "id": CONN_ID, "ingress_nat_rule_ids": [], "ipsec_policy": [],
             "local_network_gateway_id": LNG_ID, "location": WE, "name": CONNECTION, "peer_virtual_network_gateway_id": "",
             "resource_group_name": HUB_RG, "routing_weight": 0, "shared_key": "not-a-real-psk", "tags": {}, "timeouts": None,
             "type": "IPsec", "virtual_network_gateway_id": GW_ID},
            {"local_network_gateway_id": R("azurerm_local_network_gateway.onprem.id", "azurerm_local_network_gateway.onprem",
                                           target="azurerm_local_network_gateway.onprem"),
             "location": WE, "name": CONNECTION, "resource_group_name": rg_hub, "type": "IPsec",
             "virtual_network_gateway_id": R("azurerm_virtual_network_gateway.hub.id", "azurerm_virtual_network_gateway.hub",
                                             target="azurerm_virtual_network_gateway.hub")},
            computed=["id"]))
    nva = NICS[0]
    add(Res("", "azurerm_network_interface", "nva", nic_values(nva, v),
            {("enable_ip_forwarding" if v == "3" else "ip_forwarding_enabled"): True,
             "ip_configuration": [{"name": "ipconfig1", "private_ip_address": NVA_IP, "private_ip_address_allocation": "Static",
                                   "subnet_id": R("azurerm_subnet.nva.id", "azurerm_subnet.nva", target="azurerm_subnet.nva")}],
             "location": WE, "name": "nic-nva", "resource_group_name": rg_hub},
            computed=NIC_COMPUTED))
    add(Res("", "azurerm_linux_virtual_machine", "nva", vm_values(nva, False),
            {"admin_username": "azureadmin", "location": WE, "name": "vm-nva",
             "network_interface_ids": R("azurerm_network_interface.nva.id", "azurerm_network_interface.nva",
                                        target="azurerm_network_interface.nva", many=True),
             "resource_group_name": rg_hub, "size": "Standard_B2s"},
            computed=VM_COMPUTED))
    add(Res("", "azurerm_private_endpoint", "keyvault",
            {"custom_dns_configs": [{"fqdn": "kv-shared-7d2c.vault.azure.net", "ip_addresses": [PE["ip"]]}],
             "custom_network_interface_name": "", "id": PE_ID, "ip_configuration": [], "location": WE, "name": PE["name"],
             "network_interface": [{"id": PE_NIC_ID, "name": PE_NIC}],
             "private_dns_zone_configs": [], "private_dns_zone_group": [],
             "private_service_connection": [{"is_manual_connection": False, "name": "psc-keyvault",
                                             "private_connection_resource_alias": "", "private_connection_resource_id": KEY_VAULT,
                                             "private_ip_address": PE["ip"], "request_message": "", "subresource_names": [PE["group"]]}],
             "resource_group_name": HUB_RG, "subnet_id": subnet_id("hub", "snet-shared"), "tags": {}, "timeouts": None},
            {"location": WE, "name": PE["name"], "resource_group_name": rg_hub,
             "private_service_connection": [{"is_manual_connection": False, "name": "psc-keyvault",
                                             "private_connection_resource_id": KEY_VAULT, "subresource_names": [PE["group"]]}],
             "subnet_id": R("azurerm_subnet.shared.id", "azurerm_subnet.shared", target="azurerm_subnet.shared")},
            computed=["id", "custom_dns_configs", "network_interface", "private_dns_zone_configs"]))
    for row in PEERINGS[:2]:
        spoke = row[2]
        add(Res("", "azurerm_virtual_network_peering", f"hub_to_{spoke}", peering_values(row),
                {"allow_forwarded_traffic": True, "allow_gateway_transit": True, "name": row[1], "resource_group_name": rg_hub,
                 "remote_virtual_network_id": R(f"module.{spoke}.vnet_id", f"module.{spoke}",
                                                target=f"module.{spoke}.azurerm_virtual_network.this"),
                 "virtual_network_name": R("azurerm_virtual_network.hub.name", "azurerm_virtual_network.hub", attr="name")},
                computed=["id"]))

    # ----- Spokes (one module each) -----
    for spoke, nic_row, windows in (("spoke1", NICS[1], False), ("spoke2", NICS[2], True)):
        m = f"module.{spoke}"
        vn = VNETS[spoke]
        (sname, prefix, rt, nsg) = next((s[1], s[2], s[3], s[4]) for s in SUBNETS if s[0] == spoke)
        var_rg = R("var.resource_group_name", attr="name")
        inline = inline_spoke2 and spoke == "spoke2"
        vnet_cfg = {"address_space": vn["space"], "location": R("var.location", attr="name"), "name": vn["name"],
                    "resource_group_name": var_rg}
        if inline:
            vnet_cfg["subnet"] = [{"address_prefixes": [prefix], "name": sname,
                                   "route_table_id": R("azurerm_route_table.this.id", "azurerm_route_table.this",
                                                       target=f"{m}.azurerm_route_table.this")}]
        add(Res(m, "azurerm_virtual_network", "this", vnet_values(spoke, v, inline_links=inline), vnet_cfg,
                computed=["id", "guid", "dns_servers"] + ([] if inline else ["subnet"])))
        subnet_ref = R("azurerm_subnet.app.id", "azurerm_subnet.app", target=f"{m}.azurerm_subnet.app")
        if inline:
            subnet_ref = R("azurerm_virtual_network.this.subnet", "azurerm_virtual_network.this",
                           target=f"{m}.azurerm_virtual_network.this")
        if not inline:
            row = subnet_row(spoke, sname)
            add(Res(m, "azurerm_subnet", "app", subnet_values(row, v),
                    {"address_prefixes": [prefix], "name": sname, "resource_group_name": var_rg,
                     "virtual_network_name": R("azurerm_virtual_network.this.name", "azurerm_virtual_network.this", attr="name")},
                    computed=["id"]))
        rt_routes = [r for r in ROUTE_TABLES[rt]["routes"] if r[0] != "to-onprem-dmz"]
        rt_cfg = {"location": R("var.location", attr="name"), "name": rt, "resource_group_name": var_rg,
                  "route": [{"address_prefix": r[1], "name": r[0], "next_hop_type": r[2],
                             **({"next_hop_in_ip_address": R("var.nva_ip", attr="ip")} if r[3] else {})} for r in rt_routes]}
        rt_cfg["disable_bgp_route_propagation" if v == "3" else "bgp_route_propagation_enabled"] = (
            ROUTE_TABLES[rt]["disable_bgp"] if v == "3" else not ROUTE_TABLES[rt]["disable_bgp"])
        add(Res(m, "azurerm_route_table", "this", route_table_values(rt, v, v == "3"), rt_cfg, computed=["id", "subnets"]))
        if spoke == "spoke2":
            dmz = next(r for r in ROUTE_TABLES[rt]["routes"] if r[0] == "to-onprem-dmz")
            add(Res(m, "azurerm_route", "to_onprem_dmz",
                    {"address_prefix": dmz[1], "id": f"{rt_id(rt)}/routes/{dmz[0]}", "name": dmz[0],
                     "next_hop_in_ip_address": dmz[3], "next_hop_type": dmz[2], "resource_group_name": vn["rg"],
                     "route_table_name": rt, "timeouts": None},
                    {"address_prefix": dmz[1], "name": dmz[0], "next_hop_in_ip_address": R("var.nva_ip", attr="ip"),
                     "next_hop_type": dmz[2], "resource_group_name": var_rg,
                     "route_table_name": R("azurerm_route_table.this.name", "azurerm_route_table.this", attr="name")},
                    computed=["id"]))
        if not inline:
            add(Res(m, "azurerm_subnet_route_table_association", "app",
                    {"id": subnet_id(spoke, sname), "route_table_id": rt_id(rt), "subnet_id": subnet_id(spoke, sname),
                     "timeouts": None},
                    {"route_table_id": R("azurerm_route_table.this.id", "azurerm_route_table.this", target=f"{m}.azurerm_route_table.this"),
                     "subnet_id": subnet_ref},
                    computed=["id"]))
        nsg_name = nsg or nic_row[7]
        add(Res(m, "azurerm_network_security_group", "this", nsg_values(nsg_name, v, True),
                {"location": R("var.location", attr="name"), "name": nsg_name, "resource_group_name": var_rg,
                 "security_rule": [rule_config(r) for r in NSGS[nsg_name]["rules"]]},
                computed=["id"]))
        nsg_ref = R("azurerm_network_security_group.this.id", "azurerm_network_security_group.this",
                    target=f"{m}.azurerm_network_security_group.this")
        if nsg:
            add(Res(m, "azurerm_subnet_network_security_group_association", "app",
                    {"id": subnet_id(spoke, sname), "network_security_group_id": nsg_id(nsg), "subnet_id": subnet_id(spoke, sname),
                     "timeouts": None},
                    {"network_security_group_id": nsg_ref, "subnet_id": subnet_ref}, computed=["id"]))
        add(Res(m, "azurerm_network_interface", "app", nic_values(nic_row, v),
                {"ip_configuration": [{"name": "ipconfig1", "private_ip_address": nic_row[4],
                                       "private_ip_address_allocation": "Static", "subnet_id": subnet_ref}],
                 "location": R("var.location", attr="name"), "name": nic_row[0], "resource_group_name": var_rg},
                computed=NIC_COMPUTED))
        if nic_row[7]:
            add(Res(m, "azurerm_network_interface_security_group_association", "app",
                    {"id": f"{nic_id(nic_row[0])}|{nsg_id(nic_row[7])}", "network_interface_id": nic_id(nic_row[0]),
                     "network_security_group_id": nsg_id(nic_row[7]), "timeouts": None},
                    {"network_interface_id": R("azurerm_network_interface.app.id", "azurerm_network_interface.app",
                                               target=f"{m}.azurerm_network_interface.app"),
                     "network_security_group_id": nsg_ref},
                    computed=["id"]))
        vm_type = "azurerm_windows_virtual_machine" if windows else "azurerm_linux_virtual_machine"
        add(Res(m, vm_type, "app", vm_values(nic_row, windows),
                {"admin_username": "azureadmin", "location": R("var.location", attr="name"), "name": nic_row[6],
                 "network_interface_ids": R("azurerm_network_interface.app.id", "azurerm_network_interface.app",
                                            target=f"{m}.azurerm_network_interface.app", many=True),
                 "resource_group_name": var_rg, "size": "Standard_B2s"},
                computed=VM_COMPUTED))
        prow = next(p for p in PEERINGS if p[0] == spoke)
        add(Res(m, "azurerm_virtual_network_peering", "to_hub", peering_values(prow),
                {"allow_forwarded_traffic": True, "name": prow[1], "resource_group_name": var_rg,
                 "remote_virtual_network_id": R("var.hub_vnet_id", target="azurerm_virtual_network.hub"),
                 "use_remote_gateways": True,
                 "virtual_network_name": R("azurerm_virtual_network.this.name", "azurerm_virtual_network.this", attr="name")},
                computed=["id"]))
    return rs


MODULE_SOURCES = {"spoke1": "./modules/spoke-linux", "spoke2": "./modules/spoke-windows"}


def mask(value):
    """The shape Terraform gives `sensitive_values` / `after_unknown`: collections mirrored,
    leaves false (lists) or left out (objects)."""
    if isinstance(value, dict):
        return {k: mask(v) for k, v in value.items() if isinstance(v, (dict, list))}
    if isinstance(value, list):
        return [mask(v) if isinstance(v, (dict, list)) else False for v in value]
    return False


def resource_repr(res, values):
    r = {
        "address": res.address,
        "mode": "managed",
        "type": res.rtype,
        "name": res.name,
        "provider_name": AZURERM,
        "schema_version": 1 if res.rtype == "azurerm_network_security_rule" else 0,
        "values": values,
        "sensitive_values": mask(values),
    }
    if res.depends_on:
        r["depends_on"] = res.depends_on
    return r


def values_repr(items):
    """items: (Res, values). Root resources, then one child module per spoke."""
    root = {"resources": [resource_repr(r, v) for r, v in items if not r.module]}
    children = []
    for spoke in ("spoke1", "spoke2"):
        m = f"module.{spoke}"
        rs = [resource_repr(r, v) for r, v in items if r.module == m]
        if rs:
            children.append({"resources": rs, "address": m})
    if children:
        root["child_modules"] = children
    return {"root_module": root}


def data_client_config():
    return {
        "address": "data.azurerm_client_config.current",
        "mode": "data",
        "type": "azurerm_client_config",
        "name": "current",
        "provider_name": AZURERM,
        "schema_version": 0,
        "values": {"client_id": "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "id": "Y2xpZW50Q29uZmlncy9jbGllbnRJZD0wNGIw",
                   "object_id": "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e", "subscription_id": SUB, "tenant_id": TENANT,
                   "timeouts": None},
        "sensitive_values": {},
    }


def expr(c):
    if isinstance(c, R):
        return {"references": c.refs}
    if isinstance(c, list) and c and all(isinstance(x, dict) for x in c):
        return [{k: expr(v) for k, v in b.items()} for b in c]
    return {"constant_value": c}


def config_resource(res):
    return {
        "address": res.local,
        "mode": "managed",
        "type": res.rtype,
        "name": res.name,
        "provider_config_key": "azurerm" if not res.module else f"{res.module[len('module.'):]}:azurerm",
        "expressions": {k: expr(v) for k, v in res.config.items()},
        "schema_version": 0,
    }


def configuration(rs, v):
    root = [config_resource(r) for r in rs if not r.module]
    root.append({
        "address": "data.azurerm_client_config.current",
        "mode": "data",
        "type": "azurerm_client_config",
        "name": "current",
        "provider_config_key": "azurerm",
        "schema_version": 0,
    })
    calls = {}
    for spoke in ("spoke1", "spoke2"):
        m = f"module.{spoke}"
        calls[spoke] = {
            "source": MODULE_SOURCES[spoke],
            "expressions": {
                "hub_vnet_id": {"references": ["azurerm_virtual_network.hub.id", "azurerm_virtual_network.hub"]},
                "location": {"constant_value": VNETS[spoke]["loc"]},
                "nva_ip": {"references": ["azurerm_network_interface.nva.private_ip_address", "azurerm_network_interface.nva"]},
                "resource_group_name": {"references": ["azurerm_resource_group.spokes.name", "azurerm_resource_group.spokes"]},
            },
            "module": {
                "outputs": {
                    "vnet_id": {"expression": {"references": ["azurerm_virtual_network.this.id", "azurerm_virtual_network.this"]}},
                },
                "resources": [config_resource(r) for r in rs if r.module == m],
                "variables": {
                    "hub_vnet_id": {"description": "Id of the hub VNet to peer with"},
                    "location": {},
                    "nva_ip": {"description": "Private IP of the hub NVA"},
                    "resource_group_name": {},
                },
            },
        }
    return {
        "provider_config": {
            "azurerm": {"name": "azurerm", "full_name": AZURERM,
                        "version_constraint": "~> 3.85" if v == "3" else "~> 4.10",
                        "expressions": {"features": [{}], "subscription_id": {"constant_value": SUB}}},
        },
        "root_module": {"resources": root, "module_calls": calls},
    }


def planned_after(res, created):
    """`after` and `after_unknown` of a resource created (or replaced) by the plan: computed
    attributes and ids of resources created in the same plan are unknown."""
    after = copy.deepcopy(res.values)
    unknown = {}
    for k in res.computed:
        after.pop(k, None)
        unknown[k] = True

    def walk(cfg, aft, unk):
        for k, c in cfg.items():
            if isinstance(c, R):
                if c.target in created and c.attr == "id":
                    if c.many:
                        aft[k] = [None]
                        unk[k] = [True]
                    else:
                        aft.pop(k, None)
                        unk[k] = True
            elif isinstance(c, list) and c and all(isinstance(x, dict) for x in c) and isinstance(aft.get(k), list):
                sub = unk.setdefault(k, [{} for _ in aft[k]])
                if isinstance(sub, list):
                    for i, block in enumerate(c):
                        if i < len(aft[k]) and isinstance(aft[k][i], dict):
                            walk(block, aft[k][i], sub[i])

    walk(res.config, after, unknown)
    # Terraform computes `primary` of a NIC's only IP configuration.
    if res.rtype == "azurerm_network_interface":
        for i, block in enumerate(after.get("ip_configuration", [])):
            block.pop("primary", None)
            unknown.setdefault("ip_configuration", [{}])[i]["primary"] = True
    full = mask(after)
    merge_unknown(full, unknown)
    return after, full


def merge_unknown(m, unknown):
    for k, u in unknown.items():
        if u is True:
            m[k] = True
        elif isinstance(u, list):
            base = m.get(k)
            if not isinstance(base, list):
                m[k] = u
                continue
            for i, x in enumerate(u):
                if x is True:
                    base[i] = True
                elif isinstance(x, dict) and i < len(base) and isinstance(base[i], dict):
                    merge_unknown(base[i], x)
        elif isinstance(u, dict) and isinstance(m.get(k), dict):
            merge_unknown(m[k], u)


def change(res, actions, before, after=None, after_unknown=None, reason=None):
    c = {
        "address": res.address,
        "mode": "managed",
        "type": res.rtype,
        "name": res.name,
        "provider_name": AZURERM,
        "change": {
            "actions": actions,
            "before": before,
            "after": after,
            "after_unknown": after_unknown if after_unknown is not None else {},
            "before_sensitive": mask(before) if before is not None else False,
            "after_sensitive": mask(after) if after is not None else False,
        },
    }
    if res.module:
        c["module_address"] = res.module
    if reason:
        c["action_reason"] = reason
    return c


def state_doc(rs, terraform_version):
    return {
        "format_version": "1.0",
        "terraform_version": terraform_version,
        "values": dict(values_repr([(r, r.values) for r in rs]), outputs={
            "hub_vnet_id": {"sensitive": False, "value": vnet_id("hub"), "type": "string"},
        }),
    }


def plan_doc(rs, v, terraform_version, created, replaced, updated_before, deleted):
    """created/replaced: addresses; updated_before: address → prior values; deleted: extra
    resources that exist only in the prior state."""
    changes = []
    prior = []
    planned = []
    for r in rs:
        if r.address in created or r.address in replaced:
            after, unknown = planned_after(r, created | replaced)
            if r.address in replaced:
                changes.append(change(r, ["delete", "create"], r.values, after, unknown, "replace_because_cannot_update"))
                prior.append((r, r.values))
            else:
                changes.append(change(r, ["create"], None, after, unknown))
            planned.append((r, after))
        elif r.address in updated_before:
            before = updated_before[r.address]
            after = r.values
            # References to replaced resources are unknown again.
            after, unknown = after, mask(after)
            for k, c in r.config.items():
                if isinstance(c, R) and c.target in replaced and c.attr == "id":
                    after = copy.deepcopy(after)
                    if c.many:
                        after[k] = [None]
                        unknown[k] = [True]
                    else:
                        after.pop(k, None)
                        unknown[k] = True
            changes.append(change(r, ["update"], before, after, unknown))
            prior.append((r, before))
            planned.append((r, after))
        else:
            changes.append(change(r, ["no-op"], r.values, r.values, mask(r.values)))
            prior.append((r, r.values))
            planned.append((r, r.values))
    for r in deleted:
        changes.append(change(r, ["delete"], r.values, None, None, "delete_because_no_resource_config"))
        prior.append((r, r.values))
    prior_values = values_repr(prior)
    prior_values["root_module"]["resources"].insert(0, data_client_config())
    return {
        "format_version": "1.2",
        "terraform_version": terraform_version,
        "variables": {},
        "planned_values": values_repr(planned),
        "resource_changes": changes,
        "prior_state": {"format_version": "1.0", "terraform_version": terraform_version, "values": prior_values},
        "configuration": configuration(rs, v),
        "relevant_attributes": [
            {"resource": "azurerm_virtual_network.hub", "attribute": ["id"]},
            {"resource": "azurerm_network_interface.nva", "attribute": ["private_ip_address"]},
        ],
        "timestamp": "2025-03-14T09:26:53Z",
        "applyable": True,
        "complete": True,
        "errored": False,
    }


def write(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def main():
    arm_dir = os.path.join(OUT, "hub-spoke-arm")
    os.makedirs(arm_dir, exist_ok=True)
    for old in os.listdir(arm_dir):
        if old.endswith(".json"):
            os.remove(os.path.join(arm_dir, old))
    for name, body in sorted(arm_files().items()):
        write(os.path.join(arm_dir, name), body)

    # ----- azurerm 3.x -----
    rs3 = resources("3")
    write(os.path.join(OUT, "hub-spoke-3x", "state.json"), state_doc(rs3, "1.5.7"))
    by = {r.address: r for r in rs3}
    created = {r.address for r in rs3 if r.module == "module.spoke2"} | {"azurerm_virtual_network_peering.hub_to_spoke2"}
    replaced = {"module.spoke1.azurerm_network_interface.app"}
    rt1 = by["module.spoke1.azurerm_route_table.this"]
    rt1_before = copy.deepcopy(rt1.values)
    rt1_before["route"] = [b for b in rt1_before["route"] if b["name"] != "to-hub-shared"]
    vm1 = by["module.spoke1.azurerm_linux_virtual_machine.app"]
    legacy_rt = Res("", "azurerm_route_table", "legacy",
                    {"disable_bgp_route_propagation": False, "id": net(HUB_RG, "routeTables", "rt-legacy"), "location": WE,
                     "name": "rt-legacy", "resource_group_name": HUB_RG,
                     "route": [{"address_prefix": "0.0.0.0/0", "name": "default-to-old-fw", "next_hop_in_ip_address": "10.0.1.250",
                                "next_hop_type": "VirtualAppliance"}],
                     "subnets": [subnet_id("hub", "snet-nva")], "tags": {}, "timeouts": None}, {})
    legacy_assoc = Res("", "azurerm_subnet_route_table_association", "legacy",
                       {"id": subnet_id("hub", "snet-nva"), "route_table_id": net(HUB_RG, "routeTables", "rt-legacy"),
                        "subnet_id": subnet_id("hub", "snet-nva"), "timeouts": None}, {})
    write(os.path.join(OUT, "hub-spoke-3x", "plan.json"),
          plan_doc(rs3, "3", "1.5.7", created, replaced,
                   {rt1.address: rt1_before, vm1.address: vm1.values}, [legacy_rt, legacy_assoc]))

    # ----- azurerm 4.x -----
    rs4 = resources("4")
    write(os.path.join(OUT, "hub-spoke-4x", "state.json"), state_doc(rs4, "1.9.8"))
    created = {r.address for r in rs4 if r.module == "module.spoke1"} | {"azurerm_virtual_network_peering.hub_to_spoke1"}
    legacy_rule = Res("", "azurerm_network_security_rule", "legacy_rdp",
                      tf_rule(("allow-rdp-legacy", 300, "Inbound", "Allow", "Tcp", ["192.168.10.0/24"], "*", "3389"),
                              "4", True, "nsg-shared"), {})
    write(os.path.join(OUT, "hub-spoke-4x", "plan.json"),
          plan_doc(rs4, "4", "1.9.8", created, set(), {}, [legacy_rule]))


if __name__ == "__main__":
    main()
