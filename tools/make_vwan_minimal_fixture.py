#!/usr/bin/env python3
"""Writes testdata/vwan-minimal/: a small Virtual WAN estate in REST-shaped JSON (issue 14, §20).

Two hubs of one WAN: hub1 (secured: an AZFW_Hub firewall, routing intent for private and
Internet traffic, a VPN gateway with one static site) and hub2 (unsecured). spoke1 and spoke2
connect to hub1, spoke3 to hub2; spoke2's subnet has a route table that disables gateway route
propagation (RI-8). The firewall policy allows private traffic and denies the rest by default.
Run from the repository root: python3 tools/make_vwan_minimal_fixture.py
"""
import json
import os

SUB = "/subscriptions/00000000-0000-0000-0000-0000000000c0/resourceGroups/rg-vwan/providers/Microsoft.Network"


def rid(kind, name):
    return f"{SUB}/{kind}/{name}"


def hub(name, prefix, routers):
    return {"id": rid("virtualHubs", name), "name": name, "type": "Microsoft.Network/virtualHubs", "location": "westeurope",
            "properties": {"virtualWan": {"id": rid("virtualWans", "wan1")}, "addressPrefix": prefix, "sku": "Standard",
                           "virtualRouterAsn": 65515, "virtualRouterIps": routers, "hubRoutingPreference": "ExpressRoute",
                           "routingState": "Provisioned"}}


def spoke(name, space, subnet, route_table=None):
    s = {"id": f"{rid('virtualNetworks', name)}/subnets/app", "name": "app", "properties": {"addressPrefix": subnet}}
    if route_table:
        s["properties"]["routeTable"] = {"id": rid("routeTables", route_table)}
    hub_name = "hub2" if name == "spoke3" else "hub1"
    hub_prefix = "10.200.0.0/24" if hub_name == "hub2" else "10.100.0.0/24"
    guid = {"spoke1": "11111111-aaaa", "spoke2": "22222222-bbbb", "spoke3": "33333333-cccc"}[name]
    peering = {"id": f"{rid('virtualNetworks', name)}/virtualNetworkPeerings/RemoteVnetToHubPeering_{guid}",
               "name": f"RemoteVnetToHubPeering_{guid}",
               "properties": {"peeringState": "Connected", "allowVirtualNetworkAccess": True, "allowForwardedTraffic": False,
                              "allowGatewayTransit": False, "useRemoteGateways": True,
                              "remoteVirtualNetwork": {"id": f"/subscriptions/ffffffff-0000-0000-0000-000000000001/resourceGroups/RG_{hub_name}_{guid}/providers/Microsoft.Network/virtualNetworks/HV_{hub_name}_{guid}"},
                              "remoteAddressSpace": {"addressPrefixes": [hub_prefix]}}}
    return {"id": rid("virtualNetworks", name), "name": name, "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
            "properties": {"addressSpace": {"addressPrefixes": [space]}, "subnets": [s], "virtualNetworkPeerings": [peering]}}


def nic(name, vnet, ip):
    return {"id": rid("networkInterfaces", name), "name": name, "type": "Microsoft.Network/networkInterfaces", "location": "westeurope",
            "properties": {"ipConfigurations": [{"id": f"{rid('networkInterfaces', name)}/ipConfigurations/ipconfig1", "name": "ipconfig1",
                                                 "properties": {"privateIPAddress": ip, "primary": True,
                                                                "subnet": {"id": f"{rid('virtualNetworks', vnet)}/subnets/app"}}}]}}


def connection(hub_name, name, vnet):
    return {"id": f"{rid('virtualHubs', hub_name)}/hubVirtualNetworkConnections/{name}", "name": name,
            "type": "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections",
            "properties": {"remoteVirtualNetwork": {"id": rid("virtualNetworks", vnet)}, "enableInternetSecurity": True,
                           "routingConfiguration": {
                               "associatedRouteTable": {"id": f"{rid('virtualHubs', hub_name)}/hubRouteTables/defaultRouteTable"},
                               "propagatedRouteTables": {"ids": [{"id": f"{rid('virtualHubs', hub_name)}/hubRouteTables/defaultRouteTable"}],
                                                         "labels": ["default"]}}}}


resources = [
    {"id": rid("virtualWans", "wan1"), "name": "wan1", "type": "Microsoft.Network/virtualWans", "location": "westeurope",
     "properties": {"type": "Standard", "allowBranchToBranchTraffic": True}},
    hub("hub1", "10.100.0.0/24", ["10.100.0.68", "10.100.0.69"]),
    hub("hub2", "10.200.0.0/24", ["10.200.0.68", "10.200.0.69"]),
    spoke("spoke1", "10.1.0.0/16", "10.1.1.0/24"),
    spoke("spoke2", "10.2.0.0/16", "10.2.1.0/24", route_table="rt-spoke2"),
    spoke("spoke3", "10.3.0.0/16", "10.3.1.0/24"),
    {"id": rid("routeTables", "rt-spoke2"), "name": "rt-spoke2", "type": "Microsoft.Network/routeTables", "location": "westeurope",
     "properties": {"disableBgpRoutePropagation": True, "routes": []}},
    nic("vm1-nic", "spoke1", "10.1.1.4"),
    nic("vm2-nic", "spoke2", "10.2.1.4"),
    nic("vm3-nic", "spoke3", "10.3.1.4"),
    connection("hub1", "spoke1-conn", "spoke1"),
    connection("hub1", "spoke2-conn", "spoke2"),
    connection("hub2", "spoke3-conn", "spoke3"),
    {"id": rid("azureFirewalls", "fw-hub1"), "name": "fw-hub1", "type": "Microsoft.Network/azureFirewalls", "location": "westeurope",
     "properties": {"sku": {"name": "AZFW_Hub", "tier": "Standard"}, "virtualHub": {"id": rid("virtualHubs", "hub1")},
                    "hubIPAddresses": {"privateIPAddress": "10.100.0.132", "publicIPs": {"addresses": [{"address": "20.1.2.3"}], "count": 1}},
                    "firewallPolicy": {"id": rid("firewallPolicies", "fwp-hub1")}, "threatIntelMode": "Alert"}},
    {"id": rid("firewallPolicies", "fwp-hub1"), "name": "fwp-hub1", "type": "Microsoft.Network/firewallPolicies", "location": "westeurope",
     "properties": {"sku": {"tier": "Standard"}, "threatIntelMode": "Alert",
                    "ruleCollectionGroups": [{"id": f"{rid('firewallPolicies', 'fwp-hub1')}/ruleCollectionGroups/private"}]}},
    {"id": f"{rid('firewallPolicies', 'fwp-hub1')}/ruleCollectionGroups/private", "name": "private",
     "type": "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
     "properties": {"priority": 100, "ruleCollections": [
         {"ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": "allow-private", "priority": 100, "action": {"type": "Allow"},
          "rules": [{"ruleType": "NetworkRule", "name": "private-any", "ipProtocols": ["TCP", "UDP", "ICMP"],
                     "sourceAddresses": ["10.0.0.0/8", "192.168.0.0/16"], "destinationAddresses": ["10.0.0.0/8", "192.168.0.0/16"],
                     "destinationPorts": ["*"]}]}]}},
    {"id": f"{rid('virtualHubs', 'hub1')}/routingIntent/hub1-intent", "name": "hub1-intent",
     "type": "Microsoft.Network/virtualHubs/routingIntent",
     "properties": {"routingPolicies": [
         {"name": "PrivateTraffic", "destinations": ["PrivateTraffic"], "nextHop": rid("azureFirewalls", "fw-hub1")},
         {"name": "InternetTraffic", "destinations": ["Internet"], "nextHop": rid("azureFirewalls", "fw-hub1")}]}},
    {"id": rid("vpnSites", "branch1"), "name": "branch1", "type": "Microsoft.Network/vpnSites", "location": "westeurope",
     "properties": {"virtualWan": {"id": rid("virtualWans", "wan1")}, "addressSpace": {"addressPrefixes": ["192.168.10.0/24"]},
                    "vpnSiteLinks": [{"id": f"{rid('vpnSites', 'branch1')}/vpnSiteLinks/link1", "name": "link1",
                                      "properties": {"ipAddress": "203.0.113.10"}}]}},
    {"id": rid("vpnGateways", "vpngw-hub1"), "name": "vpngw-hub1", "type": "Microsoft.Network/vpnGateways", "location": "westeurope",
     "properties": {"virtualHub": {"id": rid("virtualHubs", "hub1")},
                    "bgpSettings": {"asn": 65515, "bgpPeeringAddresses": [
                        {"ipconfigurationId": "Instance0", "defaultBgpIpAddresses": ["10.100.0.14"], "tunnelIpAddresses": ["20.9.9.1"]},
                        {"ipconfigurationId": "Instance1", "defaultBgpIpAddresses": ["10.100.0.15"], "tunnelIpAddresses": ["20.9.9.2"]}]},
                    "connections": [{"id": f"{rid('vpnGateways', 'vpngw-hub1')}/vpnConnections/branch1-conn", "name": "branch1-conn",
                                     "properties": {"remoteVpnSite": {"id": rid("vpnSites", "branch1")}, "enableInternetSecurity": False,
                                                    "enableBgp": False}}]}},
]

out = os.path.join("testdata", "vwan-minimal")
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "resources.json"), "w") as f:
    json.dump({"value": resources}, f, indent=1)
    f.write("\n")
