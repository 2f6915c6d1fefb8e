#!/usr/bin/env python3
"""Writes the embedded example `vwan` (crates/azroute-cli/estates/vwan/): a Virtual WAN estate
(docs/azure-routing-rules.md §20) in the az CLI's flattened JSON, as `azroute collect` saves it.

Virtual WAN `wan-contoso` (Standard) with two hubs:
* `hub-eastus` 10.100.0.0/23, secured: Azure Firewall `fw-hub-eastus` (AZFW_Hub, hub private IP
  10.100.0.132) and routing intent for Internet and private traffic, so its defaultRouteTable holds
  `_policy_PublicTraffic` (0.0.0.0/0) and `_policy_PrivateTraffic` (the RFC 1918 aggregates) to the
  firewall, and every connection is associated with defaultRouteTable and propagates to
  noneRouteTable (RI-3, RI-4). A VPN gateway `vpngw-hub-eastus` (instances 10.100.0.12, .13)
  connects VPN site `site-branch1` (192.168.10.0/24, static). Spokes `vnet-app1` 10.1.0.0/16,
  `vnet-app2` 10.2.0.0/16 and `vnet-data` 10.3.0.0/16 (with a private endpoint whose subnet keeps
  route-table network policies off, RI-9).
* `hub-westeurope` 10.200.0.0/23, not secured, default route tables (every connection associated
  with defaultRouteTable, propagating to the label `default`). An ExpressRoute gateway
  `ergw-hub-westeurope` with a connection to circuit `er-dc1`, whose on-premises prefix
  172.30.0.0/16 is observed in the hub's effective routes (configuration cannot give it). Spokes
  `vnet-web` 10.11.0.0/16, `vnet-shared` 10.12.0.0/16 and `vnet-nva` 10.13.0.0/16, whose NVA
  `vm-nva` (10.13.1.4, AS 65010) is peered over BGP with the hub (`bgpConnections`) and advertises
  the indirect spoke `vnet-indirect` 10.14.0.0/16 behind it (its learned routes in the wrapper
  `{"bgpConnectionId", "learnedRoutes"}`).

Each spoke holds the peering Azure creates, `RemoteVnetToHubPeering_<guid>`, to the hub's hidden
VNet `HV_<hub>_<guid>` in a Microsoft-owned resource group. The firewall policy allows private
traffic among the spokes, the branch and the datacenter, and web traffic to the Internet. The
hubs' defaultRouteTable effective routes are given as Azure would print them, in the wrapper
`{"virtualHubId", "resourceId", "effectiveRoutes"}` (`az network vhub get-effective-routes`).

Run from the repository root: python3 tools/make_vwan_fixture.py"""

import json
import os

OUT = "crates/azroute-cli/estates/vwan"
SUB = "00000000-0000-0000-0000-00000000b3a1"
RG = f"/subscriptions/{SUB}/resourceGroups/rg-vwan"
NET = RG + "/providers/Microsoft.Network"
COMPUTE = RG + "/providers/Microsoft.Compute"
WAN = NET + "/virtualWans/wan-contoso"
# The subscription and resource group Microsoft owns for each hub's hidden VNet.
HIDDEN_SUB = "/subscriptions/9b7f3c2e-5a41-4d8e-a6c0-1f2e3d4c5b6a"

HUBS = {
    "hub-eastus": {"location": "eastus", "prefix": "10.100.0.0/23", "router": ["10.100.0.68", "10.100.0.69"],
                   "guid": "3c1f7a2e-9b4d-4e61-8a5f-0d2c6b9e1a47"},
    "hub-westeurope": {"location": "westeurope", "prefix": "10.200.0.0/23", "router": ["10.200.0.68", "10.200.0.69"],
                       "guid": "8e4b2d1c-6f3a-4a9e-b7c5-2e1d0f9a8b36"},
}
FIREWALL = NET + "/azureFirewalls/fw-hub-eastus"
FIREWALL_IP = "10.100.0.132"
VPN_GATEWAY = NET + "/vpnGateways/vpngw-hub-eastus"
VPN_INSTANCES = ["10.100.0.12", "10.100.0.13"]
VPN_SITE = NET + "/vpnSites/site-branch1"
BRANCH_PREFIX = "192.168.10.0/24"
ER_GATEWAY = NET + "/expressRouteGateways/ergw-hub-westeurope"
ER_CIRCUIT = f"/subscriptions/{SUB}/resourceGroups/rg-connectivity/providers/Microsoft.Network/expressRouteCircuits/er-dc1"
DATACENTER_PREFIX = "172.30.0.0/16"
NVA_IP = "10.13.1.4"
NVA_ASN = 65010
INDIRECT_PREFIX = "10.14.0.0/16"

# (VNet, hub, address space, [(subnet, prefix)], [(vm, subnet, ip, ip forwarding)])
SPOKES = [
    ("vnet-app1", "hub-eastus", "10.1.0.0/16", [("snet-app", "10.1.1.0/24")], [("vm-app1", "snet-app", "10.1.1.4", False)]),
    ("vnet-app2", "hub-eastus", "10.2.0.0/16", [("snet-app", "10.2.1.0/24")], [("vm-app2", "snet-app", "10.2.1.4", False)]),
    ("vnet-data", "hub-eastus", "10.3.0.0/16", [("snet-data", "10.3.1.0/24"), ("snet-pe", "10.3.2.0/24")],
     [("vm-db", "snet-data", "10.3.1.4", False)]),
    ("vnet-web", "hub-westeurope", "10.11.0.0/16", [("snet-web", "10.11.1.0/24")], [("vm-web", "snet-web", "10.11.1.4", False)]),
    ("vnet-shared", "hub-westeurope", "10.12.0.0/16", [("snet-shared", "10.12.1.0/24")],
     [("vm-shared", "snet-shared", "10.12.1.4", False)]),
    ("vnet-nva", "hub-westeurope", "10.13.0.0/16", [("snet-nva", "10.13.1.0/24")], [("vm-nva", "snet-nva", NVA_IP, True)]),
]
INDIRECT = ("vnet-indirect", None, INDIRECT_PREFIX, [("snet-app", "10.14.1.0/24")], [("vm-indirect", "snet-app", "10.14.1.4", False)])
PRIVATE_ENDPOINT = ("pe-sqldata", "vnet-data", "snet-pe", "10.3.2.5")


def write(name, value):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def ref(id_, rg="rg-vwan"):
    return {"id": id_, "resourceGroup": rg}


def hub_id(hub):
    return f"{NET}/virtualHubs/{hub}"


def table_id(hub, table):
    return f"{hub_id(hub)}/hubRouteTables/{table}"


def connection_id(hub, vnet):
    return f"{hub_id(hub)}/hubVirtualNetworkConnections/conn-{vnet.removeprefix('vnet-')}"


def vnet_id(name):
    return f"{NET}/virtualNetworks/{name}"


def subnet_id(vnet, subnet):
    return f"{vnet_id(vnet)}/subnets/{subnet}"


def hidden_vnet(hub):
    guid = HUBS[hub]["guid"]
    return f"{HIDDEN_SUB}/resourceGroups/RG_{hub}_{guid}/providers/Microsoft.Network/virtualNetworks/HV_{hub}_{guid}"


def hub_peering(vnet, hub):
    """The peering Azure creates on a spoke connected to a hub (§19.4, observed)."""
    guid = HUBS[hub]["guid"]
    name = f"RemoteVnetToHubPeering_{guid}"
    prefix = HUBS[hub]["prefix"]
    return {
        "allowForwardedTraffic": False, "allowGatewayTransit": False, "allowVirtualNetworkAccess": True,
        "doNotVerifyRemoteGateways": True, "id": f"{vnet_id(vnet)}/virtualNetworkPeerings/{name}", "name": name,
        "peeringState": "Connected", "peeringSyncLevel": "FullyInSync", "provisioningState": "Succeeded",
        "remoteAddressSpace": {"addressPrefixes": [prefix]},
        "remoteVirtualNetwork": {"id": hidden_vnet(hub), "resourceGroup": f"RG_{hub}_{guid}"},
        "remoteVirtualNetworkAddressSpace": {"addressPrefixes": [prefix]},
        "resourceGroup": "rg-vwan", "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        "useRemoteGateways": True,
    }


def plain_peering(vnet, remote, remote_space, forwarded):
    return {
        "allowForwardedTraffic": forwarded, "allowGatewayTransit": False, "allowVirtualNetworkAccess": True,
        "id": f"{vnet_id(vnet)}/virtualNetworkPeerings/{vnet}-to-{remote}", "name": f"{vnet}-to-{remote}",
        "peeringState": "Connected", "peeringSyncLevel": "FullyInSync", "provisioningState": "Succeeded",
        "remoteAddressSpace": {"addressPrefixes": [remote_space]},
        "remoteVirtualNetwork": ref(vnet_id(remote)), "remoteVirtualNetworkAddressSpace": {"addressPrefixes": [remote_space]},
        "resourceGroup": "rg-vwan", "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        "useRemoteGateways": False,
    }


def vnet(name, hub, space, subnets, location):
    out = {
        "addressSpace": {"addressPrefixes": [space]}, "enableDdosProtection": False, "id": vnet_id(name),
        "location": location, "name": name, "provisioningState": "Succeeded", "resourceGroup": "rg-vwan",
        "subnets": [], "type": "Microsoft.Network/virtualNetworks", "virtualNetworkPeerings": [],
    }
    for subnet, prefix in subnets:
        s = {"addressPrefix": prefix, "id": subnet_id(name, subnet), "name": subnet,
             "privateEndpointNetworkPolicies": "Disabled", "privateLinkServiceNetworkPolicies": "Enabled",
             "provisioningState": "Succeeded", "resourceGroup": "rg-vwan", "type": "Microsoft.Network/virtualNetworks/subnets"}
        if name == "vnet-indirect":
            s["routeTable"] = ref(NET + "/routeTables/rt-indirect")
        out["subnets"].append(s)
    if hub:
        out["virtualNetworkPeerings"].append(hub_peering(name, hub))
    return out


def vnets():
    out = []
    for name, hub, space, subnets, _ in SPOKES:
        out.append(vnet(name, hub, space, subnets, HUBS[hub]["location"]))
    name, _, space, subnets, _ = INDIRECT
    out.append(vnet(name, None, space, subnets, "westeurope"))
    # The indirect spoke reaches the hub through the NVA's VNet (forwarded traffic allowed).
    nva = next(v for v in out if v["name"] == "vnet-nva")
    nva["virtualNetworkPeerings"].append(plain_peering("vnet-nva", "vnet-indirect", INDIRECT_PREFIX, True))
    out[-1]["virtualNetworkPeerings"].append(plain_peering("vnet-indirect", "vnet-nva", "10.13.0.0/16", True))
    return out


def nic(vm, vnet_name, subnet, ip, forwarding, location):
    return {
        "enableAcceleratedNetworking": False, "enableIPForwarding": forwarding, "id": f"{NET}/networkInterfaces/nic-{vm[3:]}",
        "ipConfigurations": [{
            "id": f"{NET}/networkInterfaces/nic-{vm[3:]}/ipConfigurations/ipconfig1", "name": "ipconfig1", "primary": True,
            "privateIPAddress": ip, "privateIPAddressVersion": "IPv4", "privateIPAllocationMethod": "Static",
            "provisioningState": "Succeeded", "resourceGroup": "rg-vwan", "subnet": ref(subnet_id(vnet_name, subnet)),
            "type": "Microsoft.Network/networkInterfaces/ipConfigurations"}],
        "location": location, "name": f"nic-{vm[3:]}", "primary": True, "provisioningState": "Succeeded",
        "resourceGroup": "rg-vwan", "type": "Microsoft.Network/networkInterfaces",
        "virtualMachine": ref(f"{COMPUTE}/virtualMachines/{vm}"),
    }


def machines():
    nics, vms = [], []
    for name, hub, _, _, members in SPOKES + [INDIRECT]:
        location = HUBS[hub]["location"] if hub else "westeurope"
        for vm, subnet, ip, forwarding in members:
            nics.append(nic(vm, name, subnet, ip, forwarding, location))
            vms.append({
                "id": f"{COMPUTE}/virtualMachines/{vm}", "location": location, "name": vm,
                "networkProfile": {"networkInterfaces": [{"id": nics[-1]["id"], "primary": True, "resourceGroup": "rg-vwan"}]},
                "powerState": "VM running", "provisioningState": "Succeeded", "resourceGroup": "rg-vwan",
                "type": "Microsoft.Compute/virtualMachines"})
    pe, vnet_name, subnet, ip = PRIVATE_ENDPOINT
    pe_nic = nic("xx-" + pe, vnet_name, subnet, ip, False, "eastus")
    pe_nic_id = f"{NET}/networkInterfaces/{pe}.nic.2b7e4c19"
    pe_nic.update({"id": pe_nic_id, "name": f"{pe}.nic.2b7e4c19", "privateEndpoint": ref(f"{NET}/privateEndpoints/{pe}")})
    pe_nic["ipConfigurations"][0].update({"id": pe_nic_id + "/ipConfigurations/ipconfig1", "name": "privateEndpointIpConfig.sqlServer",
                                          "privateIPAllocationMethod": "Dynamic"})
    del pe_nic["virtualMachine"]
    nics.append(pe_nic)
    endpoint = {
        "customDnsConfigs": [{"fqdn": "sql-data.database.windows.net", "ipAddresses": [ip]}],
        "id": f"{NET}/privateEndpoints/{pe}", "location": "eastus", "name": pe,
        "networkInterfaces": [ref(pe_nic_id)],
        "privateLinkServiceConnections": [{
            "groupIds": ["sqlServer"], "id": f"{NET}/privateEndpoints/{pe}/privateLinkServiceConnections/{pe}", "name": pe,
            "privateLinkServiceId": RG + "/providers/Microsoft.Sql/servers/sql-data"}],
        "provisioningState": "Succeeded", "resourceGroup": "rg-vwan", "subnet": ref(subnet_id(vnet_name, subnet)),
        "type": "Microsoft.Network/privateEndpoints"}
    return nics, vms, [endpoint]


def route_tables():
    """The indirect spoke sends everything to the NVA, which the hub reaches over BGP."""
    rid = NET + "/routeTables/rt-indirect"
    return [{
        "disableBgpRoutePropagation": False, "id": rid, "location": "westeurope", "name": "rt-indirect",
        "provisioningState": "Succeeded", "resourceGroup": "rg-vwan",
        "routes": [{"addressPrefix": "0.0.0.0/0", "id": rid + "/routes/to-nva", "name": "to-nva", "nextHopIpAddress": NVA_IP,
                    "nextHopType": "VirtualAppliance", "provisioningState": "Succeeded", "resourceGroup": "rg-vwan",
                    "type": "Microsoft.Network/routeTables/routes"}],
        "subnets": [ref(subnet_id("vnet-indirect", "snet-app"))], "type": "Microsoft.Network/routeTables"}]


def virtual_wan():
    return [{"allowBranchToBranchTraffic": True, "disableVpnEncryption": False, "id": WAN, "location": "eastus",
             "name": "wan-contoso", "provisioningState": "Succeeded", "resourceGroup": "rg-vwan",
             "type": "Microsoft.Network/virtualWans", "virtualWanType": "Standard"}]


def hubs():
    out = []
    for name, h in HUBS.items():
        hub = {
            "addressPrefix": h["prefix"], "allowBranchToBranchTraffic": False, "hubRoutingPreference": "ExpressRoute",
            "id": hub_id(name), "location": h["location"], "name": name, "preferredRoutingGateway": "ExpressRoute",
            "provisioningState": "Succeeded", "resourceGroup": "rg-vwan", "routingState": "Provisioned", "sku": "Standard",
            "type": "Microsoft.Network/virtualHubs", "virtualHubRouteTableV2s": [], "virtualRouterAsn": 65515,
            "virtualRouterAutoScaleConfiguration": {"minCapacity": 2}, "virtualRouterIps": h["router"],
            "virtualWan": {"id": WAN}}
        if name == "hub-eastus":
            hub["azureFirewall"] = {"id": FIREWALL}
            hub["vpnGateway"] = {"id": VPN_GATEWAY}
        else:
            hub["expressRouteGateway"] = {"id": ER_GATEWAY}
        out.append(hub)
    return out


def routing(hub, secured):
    """A connection's routingConfiguration: forced by routing intent (RI-3), or the defaults."""
    config = {"associatedRouteTable": {"id": table_id(hub, "defaultRouteTable")}, "vnetRoutes": {"staticRoutes": []}}
    if secured:
        config["propagatedRouteTables"] = {"ids": [{"id": table_id(hub, "noneRouteTable")}], "labels": ["none"]}
    else:
        config["propagatedRouteTables"] = {"ids": [{"id": table_id(hub, "defaultRouteTable")}], "labels": ["default"]}
    return config


def connections(hub):
    out = []
    secured = hub == "hub-eastus"
    for name, h, _, _, _ in SPOKES:
        if h != hub:
            continue
        cid = connection_id(hub, name)
        config = routing(hub, secured)
        if name == "vnet-nva":
            config["vnetRoutes"]["bgpConnections"] = [{"id": f"{hub_id(hub)}/bgpConnections/bgp-nva"}]
        out.append({"allowHubToRemoteVnetTransit": True, "allowRemoteVnetToUseHubVnetGateways": True,
                    "enableInternetSecurity": True, "id": cid, "name": cid.rsplit("/", 1)[1],
                    "provisioningState": "Succeeded", "remoteVirtualNetwork": {"id": vnet_id(name)},
                    "resourceGroup": "rg-vwan", "routingConfiguration": config,
                    "type": "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections"})
    return out


def branch_connections(hub):
    if hub == "hub-eastus":
        return [f"{VPN_GATEWAY}/vpnConnections/conn-branch1"]
    return [f"{ER_GATEWAY}/expressRouteConnections/conn-er-dc1"]


def route_table_list(hub):
    """defaultRouteTable and noneRouteTable; under routing intent the policy routes (RI-4)."""
    secured = hub == "hub-eastus"
    members = [c["id"] for c in connections(hub)] + branch_connections(hub)
    routes = []
    if secured:
        routes = [
            {"destinationType": "CIDR", "destinations": ["0.0.0.0/0"], "name": "_policy_PublicTraffic",
             "nextHop": FIREWALL, "nextHopType": "ResourceId"},
            {"destinationType": "CIDR", "destinations": ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
             "name": "_policy_PrivateTraffic", "nextHop": FIREWALL, "nextHopType": "ResourceId"},
        ]
    default = {"associatedConnections": members, "id": table_id(hub, "defaultRouteTable"), "labels": ["default"],
               "name": "defaultRouteTable", "propagatingConnections": [] if secured else members,
               "provisioningState": "Succeeded", "resourceGroup": "rg-vwan", "routes": routes,
               "type": "Microsoft.Network/virtualHubs/hubRouteTables"}
    none = {"associatedConnections": [], "id": table_id(hub, "noneRouteTable"), "labels": ["none"], "name": "noneRouteTable",
            "propagatingConnections": members if secured else [], "provisioningState": "Succeeded",
            "resourceGroup": "rg-vwan", "routes": [], "type": "Microsoft.Network/virtualHubs/hubRouteTables"}
    return [default, none]


def routing_intent():
    rid = f"{hub_id('hub-eastus')}/routingIntent/hub-eastus_RoutingIntent"
    return [{"id": rid, "name": "hub-eastus_RoutingIntent", "provisioningState": "Succeeded", "resourceGroup": "rg-vwan",
             "routingPolicies": [{"destinations": ["Internet"], "name": "InternetTraffic", "nextHop": FIREWALL},
                                 {"destinations": ["PrivateTraffic"], "name": "PrivateTrafficPolicy", "nextHop": FIREWALL}],
             "type": "Microsoft.Network/virtualHubs/routingIntent"}]


def bgp_connections():
    hub = "hub-westeurope"
    return [{"connectionState": "Connected", "hubVirtualNetworkConnection": {"id": connection_id(hub, "vnet-nva")},
             "id": f"{hub_id(hub)}/bgpConnections/bgp-nva", "name": "bgp-nva", "peerAsn": NVA_ASN, "peerIp": NVA_IP,
             "provisioningState": "Succeeded", "resourceGroup": "rg-vwan",
             "type": "Microsoft.Network/virtualHubs/bgpConnections"}]


def nva_learned():
    """What the hub's router instances learned from the NVA (the list-learned-routes shape)."""
    router = HUBS["hub-westeurope"]["router"]

    def instance(local):
        return [{"asPath": str(NVA_ASN), "localAddress": local, "network": INDIRECT_PREFIX, "nextHop": NVA_IP,
                 "origin": "EBgp", "sourcePeer": NVA_IP, "weight": 32768}]
    return {"bgpConnectionId": f"{hub_id('hub-westeurope')}/bgpConnections/bgp-nva",
            "learnedRoutes": {"RouteServiceRole_IN_0": instance(router[0]), "RouteServiceRole_IN_1": instance(router[1]),
                              "value": None}}


def firewall():
    return [{
        "additionalProperties": {}, "applicationRuleCollections": [], "firewallPolicy": {"id": NET + "/firewallPolicies/fwp-vwan"},
        "hubIPAddresses": {"privateIPAddress": FIREWALL_IP, "publicIPs": {"addresses": [{"address": "20.62.14.25"}], "count": 1}},
        "id": FIREWALL, "ipConfigurations": [], "location": "eastus", "name": "fw-hub-eastus", "natRuleCollections": [],
        "networkRuleCollections": [], "provisioningState": "Succeeded", "resourceGroup": "rg-vwan",
        "sku": {"name": "AZFW_Hub", "tier": "Standard"}, "threatIntelMode": "Alert", "type": "Microsoft.Network/azureFirewalls",
        "virtualHub": {"id": hub_id("hub-eastus")}}]


def firewall_policy():
    pid = NET + "/firewallPolicies/fwp-vwan"
    policy = [{"dnsSettings": {"enableProxy": False, "servers": []}, "firewalls": [{"id": FIREWALL}], "id": pid,
               "location": "eastus", "name": "fwp-vwan", "provisioningState": "Succeeded", "resourceGroup": "rg-vwan",
               "ruleCollectionGroups": [{"id": pid + "/ruleCollectionGroups/VwanNetwork"}], "sku": {"tier": "Standard"},
               "snat": {"privateRanges": ["IANAPrivateRanges"]}, "threatIntelMode": "Alert",
               "type": "Microsoft.Network/FirewallPolicies"}]
    private = ["10.0.0.0/8", BRANCH_PREFIX, DATACENTER_PREFIX]

    def rule(name, sources, destinations, protocols, ports):
        return {"destinationAddresses": destinations, "destinationFqdns": [], "destinationIpGroups": [],
                "destinationPorts": ports, "ipProtocols": protocols, "name": name, "ruleType": "NetworkRule",
                "sourceAddresses": sources, "sourceIpGroups": []}
    groups = [{"etag": "00000000-0000-0000-0000-00000000b301", "id": pid + "/ruleCollectionGroups/VwanNetwork",
               "name": "VwanNetwork", "priority": 200, "provisioningState": "Succeeded", "resourceGroup": "rg-vwan",
               "ruleCollections": [{
                   "action": {"type": "Allow"}, "name": "allow-designed-flows", "priority": 100,
                   "ruleCollectionType": "FirewallPolicyFilterRuleCollection",
                   "rules": [rule("private-any", private, private, ["Any"], ["*"]),
                             rule("web-out", ["10.0.0.0/8"], ["*"], ["TCP"], ["80", "443"])]}],
               "type": "Microsoft.Network/FirewallPolicies/RuleCollectionGroups"}]
    return policy, groups


def vpn_gateway():
    conn = f"{VPN_GATEWAY}/vpnConnections/conn-branch1"
    return [{
        "bgpSettings": {"asn": 65515, "bgpPeeringAddress": ",".join(VPN_INSTANCES), "peerWeight": 0,
                        "bgpPeeringAddresses": [
                            {"customBgpIpAddresses": [], "defaultBgpIpAddresses": [ip], "ipconfigurationId": f"Instance{i}",
                             "tunnelIpAddresses": [pub]}
                            for i, (ip, pub) in enumerate(zip(VPN_INSTANCES, ["20.62.14.30", "20.62.14.31"]))]},
        "connections": [{
            "connectionBandwidth": 10, "enableBgp": False, "enableInternetSecurity": False, "id": conn, "name": "conn-branch1",
            "provisioningState": "Succeeded", "remoteVpnSite": {"id": VPN_SITE}, "resourceGroup": "rg-vwan",
            "routingConfiguration": routing("hub-eastus", True),
            "vpnLinkConnections": [{"enableBgp": False, "id": conn + "/vpnLinkConnections/link-branch1", "name": "link-branch1",
                                    "provisioningState": "Succeeded", "vpnSiteLink": {"id": VPN_SITE + "/vpnSiteLinks/link-branch1"}}]}],
        "id": VPN_GATEWAY,
        # A hub VPN gateway's `ipConfigurations` hold the addresses themselves, as strings.
        "ipConfigurations": [{"id": f"Instance{i}", "privateIpAddress": ip, "publicIpAddress": pub}
                             for i, (ip, pub) in enumerate(zip(VPN_INSTANCES, ["20.62.14.30", "20.62.14.31"]))],
        "location": "eastus", "name": "vpngw-hub-eastus", "provisioningState": "Succeeded", "resourceGroup": "rg-vwan",
        "type": "Microsoft.Network/vpnGateways", "virtualHub": {"id": hub_id("hub-eastus")}, "vpnGatewayScaleUnit": 1}]


def vpn_site():
    return [{"addressSpace": {"addressPrefixes": [BRANCH_PREFIX]}, "deviceProperties": {"linkSpeedInMbps": 0},
             "id": VPN_SITE, "isSecuritySite": False, "location": "eastus", "name": "site-branch1",
             "provisioningState": "Succeeded", "resourceGroup": "rg-vwan", "type": "Microsoft.Network/vpnSites",
             "virtualWan": {"id": WAN},
             "vpnSiteLinks": [{"id": VPN_SITE + "/vpnSiteLinks/link-branch1", "ipAddress": "198.51.100.10",
                               "linkProperties": {"linkProviderName": "contoso-isp", "linkSpeedInMbps": 100},
                               "name": "link-branch1", "provisioningState": "Succeeded"}]}]


def expressroute_gateway():
    conn = f"{ER_GATEWAY}/expressRouteConnections/conn-er-dc1"
    return [{
        "allowNonVirtualWanTraffic": False, "autoScaleConfiguration": {"bounds": {"min": 1}},
        "expressRouteConnections": [{
            "enableInternetSecurity": False, "expressRouteCircuitPeering": {"id": ER_CIRCUIT + "/peerings/AzurePrivatePeering"},
            "id": conn, "name": "conn-er-dc1", "provisioningState": "Succeeded",
            "routingConfiguration": routing("hub-westeurope", False), "routingWeight": 0}],
        "id": ER_GATEWAY, "location": "westeurope", "name": "ergw-hub-westeurope", "provisioningState": "Succeeded",
        "resourceGroup": "rg-vwan", "type": "Microsoft.Network/expressRouteGateways",
        "virtualHub": {"id": hub_id("hub-westeurope")}}]


def effective(hub, rows):
    """A route table's `az network vhub get-effective-routes` output, wrapped."""
    value = [{"addressPrefixes": prefixes, "asPath": as_path, "nextHopType": kind, "nextHops": [hop], "routeOrigin": hop}
             for prefixes, kind, hop, as_path in rows]
    return {"virtualHubId": hub_id(hub), "resourceId": table_id(hub, "defaultRouteTable"), "effectiveRoutes": {"value": value}}


def effective_routes():
    """Both hubs' defaultRouteTable as the documented rules give them (§20.2, §20.3; written from
    the rules, not recorded from a subscription): the secured hub's holds the routing intent
    routes to the firewall (RI-4) and, as `Remote Hub`, what the unsecured hub's connections
    propagate to every default table (VW-2, VW-3; RI-10); the unsecured hub's holds its spokes,
    the NVA's BGP route, the datacenter over ExpressRoute and, as `Remote Hub`, the secured hub's
    spokes and branch: their connections propagate to noneRouteTable in their own hub (RI-3), but
    Microsoft's traffic table has the unsecured hub's spokes reach them through the secured hub's
    firewall (§20.12, §20.14)."""
    remote = hub_id("hub-westeurope")
    east_rows = [
        (["0.0.0.0/0"], "Azure Firewall", FIREWALL, ""),
        (["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"], "Azure Firewall", FIREWALL, ""),
    ]
    east_rows += [([space], "Remote Hub", remote, "65520-65520")
                  for name, hub, space, _, _ in SPOKES if hub == "hub-westeurope"]
    east_rows.append(([INDIRECT_PREFIX], "Remote Hub", remote, f"65520-65520-{NVA_ASN}"))
    east_rows.append(([DATACENTER_PREFIX], "Remote Hub", remote, "65520-65520-12076-65200"))
    east = effective("hub-eastus", east_rows)
    west_rows = [([space], "Virtual Network Connection", connection_id("hub-westeurope", name), "")
                 for name, hub, space, _, _ in SPOKES if hub == "hub-westeurope"]
    west_rows.append(([INDIRECT_PREFIX], "HubBgpConnection", f"{hub_id('hub-westeurope')}/bgpConnections/bgp-nva", str(NVA_ASN)))
    west_rows.append(([DATACENTER_PREFIX], "ExpressRouteGateway", ER_GATEWAY, "12076-65200"))
    east_hub = hub_id("hub-eastus")
    west_rows += [([space], "Remote Hub", east_hub, "65520-65520")
                  for name, hub, space, _, _ in SPOKES if hub == "hub-eastus"]
    west_rows.append(([BRANCH_PREFIX], "Remote Hub", east_hub, "65520-65520"))
    return east, effective("hub-westeurope", west_rows)


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    nics, vms, endpoints = machines()
    policy, groups = firewall_policy()
    east, west = effective_routes()
    files = {
        "vnet-list.json": vnets(),
        "nic-list.json": nics,
        "vm-list.json": vms,
        "private-endpoint-list.json": endpoints,
        "route-table-list.json": route_tables(),
        "vwan-list.json": virtual_wan(),
        "vhub-list.json": hubs(),
        "vhub-connection-list-hub-eastus.json": connections("hub-eastus"),
        "vhub-connection-list-hub-westeurope.json": connections("hub-westeurope"),
        "vhub-route-table-list-hub-eastus.json": route_table_list("hub-eastus"),
        "vhub-route-table-list-hub-westeurope.json": route_table_list("hub-westeurope"),
        "vhub-routing-intent-list-hub-eastus.json": routing_intent(),
        "vhub-bgpconnection-list-hub-westeurope.json": bgp_connections(),
        "learned-routes-hub-westeurope-bgp-nva.json": nva_learned(),
        "vhub-effective-routes-hub-eastus-defaultRouteTable.json": east,
        "vhub-effective-routes-hub-westeurope-defaultRouteTable.json": west,
        "firewall-list.json": firewall(),
        "firewall-policy-list.json": policy,
        "firewall-policy-rule-collection-groups.json": groups,
        "vpn-gateway-list.json": vpn_gateway(),
        "vpn-site-list.json": vpn_site(),
        "express-route-gateway-list.json": expressroute_gateway(),
    }
    for name, value in files.items():
        write(name, value)
    print(f"wrote {len(files)} files to {OUT}")


if __name__ == "__main__":
    main()
