#!/usr/bin/env python3
"""Regenerates the embedded example estates under crates/azroute-cli/estates/.

Each estate is written the way `az ... list -o json` prints it (properties flattened,
`resourceGroup` added), one file per az command, so the examples double as a model of what
`azroute collect` writes. Run from the repository root: python3 tools/make_examples.py
"""

import json
import os

SUB = "00000000-0000-0000-0000-00000000a2e0"
OUT = os.path.join(os.path.dirname(__file__), "..", "crates", "azroute-cli", "estates")


def rid(rg, provider, *parts):
    path = "/".join(parts)
    return f"/subscriptions/{SUB}/resourceGroups/{rg}/providers/{provider}/{path}"


def net(rg, *parts):
    return rid(rg, "Microsoft.Network", *parts)


class Estate:
    def __init__(self, name):
        self.name = name
        self.files = {}

    def add(self, file, obj):
        self.files.setdefault(file, []).append(obj)

    def write(self):
        d = os.path.join(OUT, self.name)
        os.makedirs(d, exist_ok=True)
        for old in os.listdir(d):
            if old.endswith(".json"):
                os.remove(os.path.join(d, old))
        for file, objs in sorted(self.files.items()):
            body = objs[0] if file.startswith("learned-routes") or file == "service-tags.json" else objs
            with open(os.path.join(d, file), "w") as f:
                json.dump(body, f, indent=2)
                f.write("\n")


def subnet(rg, vnet, name, prefix, rt=None, nsg=None, endpoints=None, pe_policies="Disabled"):
    s = {
        "addressPrefix": prefix,
        "id": net(rg, "virtualNetworks", vnet, "subnets", name),
        "name": name,
        "privateEndpointNetworkPolicies": pe_policies,
        "privateLinkServiceNetworkPolicies": "Enabled",
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "type": "Microsoft.Network/virtualNetworks/subnets",
    }
    if rt:
        s["routeTable"] = {"id": net(rg, "routeTables", rt), "resourceGroup": rg}
    if nsg:
        s["networkSecurityGroup"] = {"id": net(rg, "networkSecurityGroups", nsg), "resourceGroup": rg}
    if endpoints:
        s["serviceEndpoints"] = [
            {"locations": locs, "provisioningState": "Succeeded", "service": svc} for svc, locs in endpoints
        ]
    return s


def peering(rg, vnet, name, remote_rg, remote, remote_space, state="Connected", access=True,
            forwarded=False, transit=False, remote_gw=False):
    return {
        "allowForwardedTraffic": forwarded,
        "allowGatewayTransit": transit,
        "allowVirtualNetworkAccess": access,
        "id": net(rg, "virtualNetworks", vnet, "virtualNetworkPeerings", name),
        "name": name,
        "peeringState": state,
        "peeringSyncLevel": "FullyInSync",
        "provisioningState": "Succeeded",
        "remoteAddressSpace": {"addressPrefixes": remote_space},
        "remoteVirtualNetwork": {"id": net(remote_rg, "virtualNetworks", remote), "resourceGroup": remote_rg},
        "remoteVirtualNetworkAddressSpace": {"addressPrefixes": remote_space},
        "resourceGroup": rg,
        "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        "useRemoteGateways": remote_gw,
    }


def vnet(rg, name, location, space, subnets, peerings):
    return {
        "addressSpace": {"addressPrefixes": space},
        "enableDdosProtection": False,
        "id": net(rg, "virtualNetworks", name),
        "location": location,
        "name": name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "subnets": subnets,
        "type": "Microsoft.Network/virtualNetworks",
        "virtualNetworkPeerings": peerings,
    }


def route(rg, table, name, prefix, hop, ip=None):
    r = {
        "addressPrefix": prefix,
        "hasBgpOverride": False,
        "id": net(rg, "routeTables", table, "routes", name),
        "name": name,
        "nextHopType": hop,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "type": "Microsoft.Network/routeTables/routes",
    }
    if ip:
        r["nextHopIpAddress"] = ip
    return r


def route_table(rg, name, location, routes, subnets, propagation_disabled=False):
    return {
        "disableBgpRoutePropagation": propagation_disabled,
        "id": net(rg, "routeTables", name),
        "location": location,
        "name": name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "routes": [route(rg, name, *r) for r in routes],
        "subnets": [{"id": s, "resourceGroup": rg} for s in subnets],
        "type": "Microsoft.Network/routeTables",
    }


def nic(rg, name, location, subnet_id, ip, forwarding=False, vm=None, nsg=None, pip=None):
    cfg = {
        "id": net(rg, "networkInterfaces", name, "ipConfigurations", "ipconfig1"),
        "name": "ipconfig1",
        "primary": True,
        "privateIPAddress": ip,
        "privateIPAddressVersion": "IPv4",
        "privateIPAllocationMethod": "Static",
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "subnet": {"id": subnet_id, "resourceGroup": rg},
        "type": "Microsoft.Network/networkInterfaces/ipConfigurations",
    }
    if pip:
        cfg["publicIPAddress"] = {"id": net(rg, "publicIPAddresses", pip), "resourceGroup": rg}
    n = {
        "enableAcceleratedNetworking": False,
        "enableIPForwarding": forwarding,
        "id": net(rg, "networkInterfaces", name),
        "ipConfigurations": [cfg],
        "location": location,
        "name": name,
        "primary": True,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "type": "Microsoft.Network/networkInterfaces",
    }
    if vm:
        n["virtualMachine"] = {"id": rid(rg, "Microsoft.Compute", "virtualMachines", vm), "resourceGroup": rg}
    if nsg:
        n["networkSecurityGroup"] = {"id": net(rg, "networkSecurityGroups", nsg), "resourceGroup": rg}
    return n


def vm(rg, name, location, nics):
    return {
        "id": rid(rg, "Microsoft.Compute", "virtualMachines", name),
        "location": location,
        "name": name,
        "networkProfile": {
            "networkInterfaces": [
                {"id": net(rg, "networkInterfaces", n), "primary": i == 0, "resourceGroup": rg} for i, n in enumerate(nics)
            ]
        },
        "powerState": "VM running",
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "type": "Microsoft.Compute/virtualMachines",
    }


def rule(rg, nsg, name, priority, direction, access, protocol, src, dst, dport, sport="*"):
    r = {
        "access": access,
        "destinationPortRange": dport,
        "direction": direction,
        "id": net(rg, "networkSecurityGroups", nsg, "securityRules", name),
        "name": name,
        "priority": priority,
        "protocol": protocol,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "sourcePortRange": sport,
        "type": "Microsoft.Network/networkSecurityGroups/securityRules",
    }
    for key, value in (("sourceAddressPrefix", src), ("destinationAddressPrefix", dst)):
        if isinstance(value, list):
            r[key + "es"] = value
        else:
            r[key] = value
    return r


def nsg(rg, name, location, rules):
    return {
        "id": net(rg, "networkSecurityGroups", name),
        "location": location,
        "name": name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "securityRules": [rule(rg, name, *r) for r in rules],
        "type": "Microsoft.Network/networkSecurityGroups",
    }


def public_ip(rg, name, location, address, nic_name):
    return {
        "id": net(rg, "publicIPAddresses", name),
        "ipAddress": address,
        "ipConfiguration": {"id": net(rg, "networkInterfaces", nic_name, "ipConfigurations", "ipconfig1"), "resourceGroup": rg},
        "location": location,
        "name": name,
        "provisioningState": "Succeeded",
        "publicIPAllocationMethod": "Static",
        "resourceGroup": rg,
        "sku": {"name": "Standard", "tier": "Regional"},
        "type": "Microsoft.Network/publicIPAddresses",
    }


def vpn_gateway(rg, name, location, vnet_name, instance_ips, asn=65515, default_site=None):
    gateway = {
        "activeActive": len(instance_ips) > 1,
        "bgpSettings": {
            "asn": asn,
            "bgpPeeringAddress": ",".join(instance_ips),
            "peerWeight": 0,
        },
        "enableBgp": True,
        "gatewayType": "Vpn",
        "id": net(rg, "virtualNetworkGateways", name),
        "ipConfigurations": [
            {
                "id": net(rg, "virtualNetworkGateways", name, "ipConfigurations", f"ipconfig{i}"),
                "name": f"ipconfig{i}",
                "privateIPAllocationMethod": "Dynamic",
                "subnet": {"id": net(rg, "virtualNetworks", vnet_name, "subnets", "GatewaySubnet"), "resourceGroup": rg},
            }
            for i in range(len(instance_ips))
        ],
        "location": location,
        "name": name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "sku": {"name": "VpnGw2AZ", "tier": "VpnGw2AZ"},
        "type": "Microsoft.Network/virtualNetworkGateways",
        "vpnGatewayGeneration": "Generation2",
        "vpnType": "RouteBased",
    }
    if default_site:
        # Where forced-tunnelled Internet traffic goes (docs/azure-routing-rules.md §6.1).
        gateway["gatewayDefaultSite"] = {"id": net(rg, "localNetworkGateways", default_site), "resourceGroup": rg}
    return gateway


def local_gateway(rg, name, location, prefixes, gateway_ip, bgp_ip):
    return {
        "bgpSettings": {"asn": 65050, "bgpPeeringAddress": bgp_ip, "peerWeight": 0},
        "gatewayIpAddress": gateway_ip,
        "id": net(rg, "localNetworkGateways", name),
        "localNetworkAddressSpace": {"addressPrefixes": prefixes},
        "location": location,
        "name": name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "type": "Microsoft.Network/localNetworkGateways",
    }


def connection(rg, name, location, gateway, lng):
    return {
        "connectionStatus": "Connected",
        "connectionType": "IPsec",
        "enableBgp": True,
        "id": net(rg, "connections", name),
        "localNetworkGateway2": {"id": net(rg, "localNetworkGateways", lng), "resourceGroup": rg},
        "location": location,
        "name": name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "type": "Microsoft.Network/connections",
        "virtualNetworkGateway1": {"id": net(rg, "virtualNetworkGateways", gateway), "resourceGroup": rg},
    }


def private_endpoint(rg, name, location, vnet_name, subnet_name, ip, target, group):
    nic_name = f"{name}.nic.6f0c2d1e"
    return {
        "customDnsConfigs": [{"fqdn": f"{target}.blob.core.windows.net", "ipAddresses": [ip]}],
        "id": net(rg, "privateEndpoints", name),
        "location": location,
        "name": name,
        "networkInterfaces": [{"id": net(rg, "networkInterfaces", nic_name), "resourceGroup": rg}],
        "privateLinkServiceConnections": [
            {
                "groupIds": [group],
                "id": net(rg, "privateEndpoints", name, "privateLinkServiceConnections", name),
                "name": name,
                "privateLinkServiceId": rid(rg, "Microsoft.Storage", "storageAccounts", target),
            }
        ],
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "subnet": {"id": net(rg, "virtualNetworks", vnet_name, "subnets", subnet_name), "resourceGroup": rg},
        "type": "Microsoft.Network/privateEndpoints",
    }


def learned(rg, gateway, routes):
    return {
        "azrouteFormat": "gateway-learned-routes/v1",
        "gatewayId": net(rg, "virtualNetworkGateways", gateway),
        "learnedRoutes": {
            "value": [
                {"asPath": asp, "localAddress": local, "network": network, "nextHop": hop, "origin": origin,
                 "sourcePeer": peer, "weight": weight}
                for network, hop, origin, peer, asp, weight, local in routes
            ]
        },
    }


SERVICE_TAGS_NOTE = (
    "Illustrative excerpt in the format of ServiceTags_Public_*.json; the prefixes are a small "
    "sample, not the full, current list. Download the real file for real estates."
)


def service_tags():
    def tag(name, region, service, prefixes):
        return {
            "id": name,
            "name": name,
            "properties": {
                "addressPrefixes": prefixes,
                "changeNumber": 1,
                "networkFeatures": ["API", "NSG", "UDR", "FW"],
                "platform": "Azure",
                "region": region,
                "regionId": 0,
                "systemService": service,
            },
        }

    return {
        "changeNumber": 1,
        "cloud": "Public",
        "values": [
            tag("Storage", "", "AzureStorage", ["20.38.96.0/19", "20.47.0.0/18", "20.60.0.0/16", "52.239.128.0/17"]),
            tag("Storage.EastUS", "eastus", "AzureStorage", ["20.38.98.0/24", "20.47.1.0/24", "20.60.0.0/24", "52.239.152.0/22"]),
            tag("Storage.WestEurope", "westeurope", "AzureStorage", ["20.38.108.0/23", "20.47.7.0/24", "20.60.26.0/23", "52.239.136.0/22"]),
            tag("Sql.EastUS", "eastus", "AzureSQL", ["20.42.65.64/29", "40.121.158.0/25", "52.168.116.64/29"]),
        ],
        "_note": SERVICE_TAGS_NOTE,
    }


def hub_spoke():
    """A healthy hub-and-spoke: VPN gateway with BGP, a firewall NVA, two spokes (one
    forced-tunnelled across the region boundary), a service endpoint and a private endpoint."""
    e = Estate("hub-spoke")
    rg, loc, loc2 = "rg-network", "eastus", "westeurope"
    fw_ip = "10.0.1.4"
    hub_sub = lambda n: net(rg, "virtualNetworks", "vnet-hub", "subnets", n)
    e.add("vnet-list.json", vnet(rg, "vnet-hub", loc, ["10.0.0.0/16"], [
        subnet(rg, "vnet-hub", "GatewaySubnet", "10.0.0.0/27", rt="rt-gateway"),
        subnet(rg, "vnet-hub", "snet-nva", "10.0.1.0/24", nsg="nsg-nva"),
        subnet(rg, "vnet-hub", "snet-shared", "10.0.2.0/24", rt="rt-shared", nsg="nsg-shared"),
    ], [
        peering(rg, "vnet-hub", "hub-to-spoke1", rg, "vnet-spoke1", ["10.1.0.0/16"], forwarded=True, transit=True),
        peering(rg, "vnet-hub", "hub-to-spoke2", rg, "vnet-spoke2", ["10.2.0.0/16"], forwarded=True, transit=True),
    ]))
    e.add("vnet-list.json", vnet(rg, "vnet-spoke1", loc, ["10.1.0.0/16"], [
        subnet(rg, "vnet-spoke1", "snet-workload", "10.1.1.0/24", rt="rt-spoke1", nsg="nsg-workload",
               endpoints=[("Microsoft.Storage", ["eastus"])]),
        subnet(rg, "vnet-spoke1", "snet-endpoints", "10.1.2.0/24", rt="rt-endpoints", pe_policies="RouteTableEnabled"),
    ], [
        peering(rg, "vnet-spoke1", "spoke1-to-hub", rg, "vnet-hub", ["10.0.0.0/16"], forwarded=True, remote_gw=True),
    ]))
    e.add("vnet-list.json", vnet(rg, "vnet-spoke2", loc2, ["10.2.0.0/16"], [
        subnet(rg, "vnet-spoke2", "snet-app", "10.2.1.0/24", rt="rt-spoke2", nsg="nsg-app"),
    ], [
        peering(rg, "vnet-spoke2", "spoke2-to-hub", rg, "vnet-hub", ["10.0.0.0/16"], forwarded=True, remote_gw=True),
    ]))
    # On-premises traffic to spoke1 is inspected; spoke2 is forced-tunnelled to on-premises
    # (the gateway's default site) directly through the gateway in both directions. Both spoke1
    # subnets, the private endpoint's included, send everything outside spoke1 through the
    # firewall, as the hub and spoke2 send spoke1's traffic: every path is symmetric. The
    # endpoints' table keeps gateway route propagation on and overrides the on-premises prefixes
    # the gateway learns with routes to the firewall (identical prefixes: the user routes win).
    e.add("route-table-list.json", route_table(rg, "rt-gateway", loc, [
        ("to-spoke1-via-fw", "10.1.0.0/16", "VirtualAppliance", fw_ip),
    ], [hub_sub("GatewaySubnet")]))
    e.add("route-table-list.json", route_table(rg, "rt-shared", loc, [
        ("to-spoke1-via-fw", "10.1.0.0/16", "VirtualAppliance", fw_ip),
        ("to-spoke2-via-fw", "10.2.0.0/16", "VirtualAppliance", fw_ip),
    ], [hub_sub("snet-shared")]))
    e.add("route-table-list.json", route_table(rg, "rt-spoke1", loc, [
        ("default-via-fw", "0.0.0.0/0", "VirtualAppliance", fw_ip),
        ("hub-via-fw", "10.0.0.0/16", "VirtualAppliance", fw_ip),
        ("keep-spoke-local", "10.1.0.0/16", "VnetLocal"),
    ], [net(rg, "virtualNetworks", "vnet-spoke1", "subnets", "snet-workload")], propagation_disabled=True))
    e.add("route-table-list.json", route_table(rg, "rt-endpoints", loc, [
        ("default-via-fw", "0.0.0.0/0", "VirtualAppliance", fw_ip),
        ("hub-via-fw", "10.0.0.0/16", "VirtualAppliance", fw_ip),
        ("keep-spoke-local", "10.1.0.0/16", "VnetLocal"),
        ("onprem-via-fw", "172.16.0.0/16", "VirtualAppliance", fw_ip),
        ("onprem2-via-fw", "172.17.0.0/16", "VirtualAppliance", fw_ip),
    ], [net(rg, "virtualNetworks", "vnet-spoke1", "subnets", "snet-endpoints")]))
    e.add("route-table-list.json", route_table(rg, "rt-spoke2", loc2, [
        ("forced-tunnel", "0.0.0.0/0", "VirtualNetworkGateway"),
        ("hub-via-fw", "10.0.0.0/16", "VirtualAppliance", fw_ip),
        ("spoke1-via-fw", "10.1.0.0/16", "VirtualAppliance", fw_ip),
    ], [net(rg, "virtualNetworks", "vnet-spoke2", "subnets", "snet-app")]))
    e.add("nsg-list.json", nsg(rg, "nsg-nva", loc, [
        ("allow-spokes-and-onprem", 100, "Inbound", "Allow", "*", ["10.0.0.0/8", "172.16.0.0/12"], "*", "*"),
    ]))
    e.add("nsg-list.json", nsg(rg, "nsg-shared", loc, [
        ("allow-ssh-from-onprem", 100, "Inbound", "Allow", "Tcp", "172.16.0.0/12", "*", "22"),
    ]))
    e.add("nsg-list.json", nsg(rg, "nsg-workload", loc, [
        ("allow-https-from-hub", 100, "Inbound", "Allow", "Tcp", "10.0.0.0/16", "*", "443"),
        ("allow-ssh-from-onprem", 110, "Inbound", "Allow", "Tcp", "172.16.0.0/12", "*", "22"),
    ]))
    e.add("nsg-list.json", nsg(rg, "nsg-app", loc2, [
        ("allow-https-from-spoke1", 100, "Inbound", "Allow", "Tcp", "10.1.1.0/24", "*", "443"),
        ("deny-rdp", 200, "Inbound", "Deny", "Tcp", "*", "*", "3389"),
    ]))
    e.add("nic-list.json", nic(rg, "nic-fw", loc, hub_sub("snet-nva"), fw_ip, forwarding=True, vm="vm-fw", pip="pip-fw"))
    e.add("nic-list.json", nic(rg, "nic-shared", loc, hub_sub("snet-shared"), "10.0.2.4", vm="vm-shared"))
    e.add("nic-list.json", nic(rg, "nic-app1", loc, net(rg, "virtualNetworks", "vnet-spoke1", "subnets", "snet-workload"), "10.1.1.4", vm="vm-app1"))
    e.add("nic-list.json", nic(rg, "nic-app2", loc2, net(rg, "virtualNetworks", "vnet-spoke2", "subnets", "snet-app"), "10.2.1.4", vm="vm-app2"))
    e.add("public-ip-list.json", public_ip(rg, "pip-fw", loc, "20.81.110.12", "nic-fw"))
    for name, n, l in (("vm-fw", "nic-fw", loc), ("vm-shared", "nic-shared", loc), ("vm-app1", "nic-app1", loc), ("vm-app2", "nic-app2", loc2)):
        e.add("vm-list.json", vm(rg, name, l, [n]))
    e.add("vnet-gateway-list.json", vpn_gateway(rg, "vgw-hub", loc, "vnet-hub", ["10.0.0.4", "10.0.0.5"], default_site="lng-onprem"))
    e.add("local-gateway-list.json", local_gateway(rg, "lng-onprem", loc, ["172.16.0.0/16"], "203.0.113.10", "172.16.255.254"))
    e.add("vpn-connection-list.json", connection(rg, "cn-hub-onprem", loc, "vgw-hub", "lng-onprem"))
    e.add("private-endpoint-list.json", private_endpoint(rg, "pe-stappdata", loc, "vnet-spoke1", "snet-endpoints", "10.1.2.4", "stappdata", "blob"))
    pe_nic = nic(rg, "pe-stappdata.nic.6f0c2d1e", loc, net(rg, "virtualNetworks", "vnet-spoke1", "subnets", "snet-endpoints"), "10.1.2.4")
    pe_nic["privateEndpoint"] = {"id": net(rg, "privateEndpoints", "pe-stappdata"), "resourceGroup": rg}
    pe_nic["ipConfigurations"][0]["name"] = "privateEndpointIpConfig.blob"
    pe_nic["ipConfigurations"][0]["privateIPAllocationMethod"] = "Dynamic"
    e.add("nic-list.json", pe_nic)
    e.add("learned-routes-vgw-hub.json", learned(rg, "vgw-hub", [
        ("10.0.0.0/16", "", "Network", "10.0.0.4", "", 32768, "10.0.0.4"),
        ("172.16.0.0/16", "172.16.255.254", "EBgp", "172.16.255.254", "65050", 32768, "10.0.0.4"),
        ("172.17.0.0/16", "172.16.255.254", "EBgp", "172.16.255.254", "65050", 32768, "10.0.0.4"),
        ("172.17.0.0/16", "172.16.255.254", "EBgp", "172.16.255.254", "65050", 32768, "10.0.0.5"),
    ]))
    e.add("service-tags.json", service_tags())
    e.write()


def troubleshoot():
    """The seed guide's traps in one estate: a forced-tunnelled subnet whose VM has a public IP,
    an NVA with IP forwarding off, a half-created peering, a route table associated with
    nothing, an asymmetric path through a firewall, and two NVAs that route to each other."""
    e = Estate("troubleshoot")
    rg, loc = "rg-trouble", "eastus"
    sub = lambda v, n: net(rg, "virtualNetworks", v, "subnets", n)
    e.add("vnet-list.json", vnet(rg, "vnet-core", loc, ["10.10.0.0/16"], [
        subnet(rg, "vnet-core", "GatewaySubnet", "10.10.0.0/27"),
        subnet(rg, "vnet-core", "snet-fw", "10.10.1.0/24"),
        subnet(rg, "vnet-core", "snet-router", "10.10.2.0/24", rt="rt-router"),
        subnet(rg, "vnet-core", "snet-web", "10.10.3.0/24", rt="rt-web", nsg="nsg-web"),
        subnet(rg, "vnet-core", "snet-db", "10.10.4.0/24", nsg="nsg-db"),
        subnet(rg, "vnet-core", "snet-proxy", "10.10.5.0/24", rt="rt-proxy"),
        subnet(rg, "vnet-core", "snet-app", "10.10.6.0/24", rt="rt-app"),
    ], [
        peering(rg, "vnet-core", "core-to-partner", rg, "vnet-partner", ["10.20.0.0/16"], state="Initiated"),
    ]))
    e.add("vnet-list.json", vnet(rg, "vnet-partner", loc, ["10.20.0.0/16"], [
        subnet(rg, "vnet-partner", "snet-partner", "10.20.1.0/24"),
    ], []))
    e.add("route-table-list.json", route_table(rg, "rt-web", loc, [
        ("default-via-fw", "0.0.0.0/0", "VirtualAppliance", "10.10.1.4"),
        ("db-via-fw", "10.10.4.0/24", "VirtualAppliance", "10.10.1.4"),
    ], [sub("vnet-core", "snet-web")]))
    e.add("route-table-list.json", route_table(rg, "rt-router", loc, [
        ("partner-via-proxy", "10.30.0.0/16", "VirtualAppliance", "10.10.5.4"),
    ], [sub("vnet-core", "snet-router")]))
    e.add("route-table-list.json", route_table(rg, "rt-proxy", loc, [
        ("partner-via-router", "10.30.0.0/16", "VirtualAppliance", "10.10.2.4"),
    ], [sub("vnet-core", "snet-proxy")]))
    e.add("route-table-list.json", route_table(rg, "rt-app", loc, [
        ("db-via-router", "10.10.4.0/24", "VirtualAppliance", "10.10.2.4"),
    ], [sub("vnet-core", "snet-app")]))
    e.add("route-table-list.json", route_table(rg, "rt-db-orphan", loc, [
        ("web-via-fw", "10.10.3.0/24", "VirtualAppliance", "10.10.1.4"),
    ], []))
    e.add("nsg-list.json", nsg(rg, "nsg-web", loc, [
        ("allow-https-in", 100, "Inbound", "Allow", "Tcp", "*", "*", "443"),
        ("allow-ssh-admin", 110, "Inbound", "Allow", "Tcp", "198.51.100.0/24", "*", "22"),
    ]))
    e.add("nsg-list.json", nsg(rg, "nsg-db", loc, [
        ("allow-sql-from-web", 100, "Inbound", "Allow", "Tcp", ["10.10.3.0/24", "10.10.6.0/24"], "*", "1433"),
        ("deny-ssh", 200, "Inbound", "Deny", "Tcp", "*", "*", "22"),
    ]))
    e.add("nic-list.json", nic(rg, "nic-fw", loc, sub("vnet-core", "snet-fw"), "10.10.1.4", forwarding=False, vm="vm-fw"))
    e.add("nic-list.json", nic(rg, "nic-router", loc, sub("vnet-core", "snet-router"), "10.10.2.4", forwarding=True, vm="vm-router"))
    e.add("nic-list.json", nic(rg, "nic-proxy", loc, sub("vnet-core", "snet-proxy"), "10.10.5.4", forwarding=True, vm="vm-proxy"))
    e.add("nic-list.json", nic(rg, "nic-web", loc, sub("vnet-core", "snet-web"), "10.10.3.4", vm="vm-web", pip="pip-web"))
    e.add("nic-list.json", nic(rg, "nic-db", loc, sub("vnet-core", "snet-db"), "10.10.4.4", vm="vm-db"))
    e.add("nic-list.json", nic(rg, "nic-app", loc, sub("vnet-core", "snet-app"), "10.10.6.4", vm="vm-app"))
    e.add("nic-list.json", nic(rg, "nic-partner", loc, sub("vnet-partner", "snet-partner"), "10.20.1.4", vm="vm-partner"))
    e.add("public-ip-list.json", public_ip(rg, "pip-web", loc, "20.110.7.45", "nic-web"))
    for name, n in (("vm-fw", "nic-fw"), ("vm-router", "nic-router"), ("vm-proxy", "nic-proxy"), ("vm-web", "nic-web"), ("vm-db", "nic-db"), ("vm-app", "nic-app"), ("vm-partner", "nic-partner")):
        e.add("vm-list.json", vm(rg, name, loc, [n]))
    e.write()


if __name__ == "__main__":
    hub_spoke()
    troubleshoot()
