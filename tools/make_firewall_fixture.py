#!/usr/bin/env python3
"""Writes the embedded example `hub-firewall` (crates/azroute-cli/estates/hub-firewall/): the
hub-spoke example with its NVA VM replaced by an Azure Firewall at the same private IP (10.0.1.4,
subnet renamed AzureFirewallSubnet, public IP pip-fw), the GatewaySubnet routing both spokes to it,
a parent and a child firewall policy (DNAT, network and application rules) and their rule
collection groups, all in the az CLI's flattened JSON (`az network firewall list`,
`az network firewall policy list`, `az network firewall policy rule-collection-group list`)
(docs/azure-routing-rules.md §16); and the egress and platform services of §17: a NAT gateway on
AzureFirewallSubnet (the firewall's Internet egress), an Application Gateway v2 in `snet-agw`, Azure
Bastion in AzureBastionSubnet, and a private subnet (`defaultOutboundAccess: false`) in vnet-spoke1
whose VM `vm-private` has no outbound method (`az network nat gateway list`,
`az network application-gateway list`, `az network bastion list`). Every VNet names the
firewall's private IP as its DNS server (`dhcpOptions.dnsServers`), as the firewall's FQDN network
rule needs (§16.7 FirewallDnsProxyNotUsedByClients). Run from the repository root
after tools/make_examples.py."""

import json
import os
import shutil

SRC = "crates/azroute-cli/estates/hub-spoke"
OUT = "crates/azroute-cli/estates/hub-firewall"
SUB = "/subscriptions/00000000-0000-0000-0000-00000000a2e0/resourceGroups/rg-network/providers/Microsoft.Network"


def load(name):
    with open(os.path.join(SRC, name)) as f:
        return json.loads(f.read().replace("snet-nva", "AzureFirewallSubnet"))


def write(name, value):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def net_rule(name, protocols, src, dst, ports, fqdns=None):
    r = {"ruleType": "NetworkRule", "name": name, "ipProtocols": protocols, "sourceAddresses": src,
         "sourceIpGroups": [], "destinationAddresses": dst, "destinationIpGroups": [], "destinationFqdns": fqdns or [],
         "destinationPorts": ports}
    return r


def collection(name, priority, action, rules, nat=False):
    return {"ruleCollectionType": "FirewallPolicyNatRuleCollection" if nat else "FirewallPolicyFilterRuleCollection",
            "name": name, "priority": priority, "action": {"type": action}, "rules": rules}


def group(policy, name, priority, collections):
    return {"id": f"{SUB}/firewallPolicies/{policy}/ruleCollectionGroups/{name}", "name": name,
            "type": "Microsoft.Network/FirewallPolicies/RuleCollectionGroups", "resourceGroup": "rg-network",
            "etag": "00000000-0000-0000-0000-000000000001", "priority": priority,
            "provisioningState": "Succeeded", "ruleCollections": collections}


def gateway_routes(tables):
    """The GatewaySubnet routes each spoke's prefix to the firewall (on-premises traffic to the
    spokes is inspected both ways)."""
    for t in tables:
        if t["name"] == "rt-gateway" and not any(r["name"] == "to-spoke2-via-fw" for r in t["routes"]):
            first = t["routes"][0]
            route = dict(first)
            route["name"] = "to-spoke2-via-fw"
            route["id"] = first["id"].rsplit("/", 1)[0] + "/to-spoke2-via-fw"
            route["addressPrefix"] = "10.2.0.0/16"
            t["routes"].append(route)


def spoke_routes(tables):
    """The spokes send the hub subnets whose own tables route the spokes through the firewall
    (shared services, the Application Gateway) to the firewall, and nothing else of the hub: a
    route for the whole hub range would send the replies of Bastion sessions through a firewall
    their requests never crossed (§16.5). Spoke 2's 0.0.0.0/0 goes to the firewall too, since
    the GatewaySubnet brings on-premises replies to spoke 2 through it."""
    for t in tables:
        if t["name"] not in ("rt-spoke1", "rt-endpoints", "rt-spoke2"):
            continue
        routes = []
        for r in t["routes"]:
            if r["name"] == "hub-via-fw":
                for name, prefix in (("hub-agw-via-fw", "10.0.3.0/24"), ("hub-shared-via-fw", "10.0.2.0/24")):
                    routes.append(dict(r, name=name, addressPrefix=prefix, id=r["id"].rsplit("/", 1)[0] + "/" + name))
            elif r["name"] == "forced-tunnel":
                routes.append(dict(r, name="default-via-fw", nextHopType="VirtualAppliance", nextHopIpAddress="10.0.1.4",
                                   id=r["id"].rsplit("/", 1)[0] + "/default-via-fw"))
            else:
                routes.append(r)
        t["routes"] = routes
        # With 0.0.0.0/0 to the firewall, the gateway's more specific on-premises routes would
        # skip it outbound (§16.7 SpokePropagationBypassesFirewall).
        if t["name"] == "rt-spoke2":
            t["disableBgpRoutePropagation"] = True


def subnet(vnet, name, prefix, **extra):
    s = {"addressPrefix": prefix, "id": f"{SUB}/virtualNetworks/{vnet}/subnets/{name}", "name": name,
         "privateEndpointNetworkPolicies": "Disabled", "privateLinkServiceNetworkPolicies": "Enabled",
         "provisioningState": "Succeeded", "resourceGroup": "rg-network",
         "type": "Microsoft.Network/virtualNetworks/subnets"}
    s.update(extra)
    return s


def public_ip(name, address):
    return {"id": f"{SUB}/publicIPAddresses/{name}", "ipAddress": address, "location": "eastus", "name": name,
            "provisioningState": "Succeeded", "publicIPAllocationMethod": "Static", "resourceGroup": "rg-network",
            "sku": {"name": "Standard", "tier": "Regional"}, "type": "Microsoft.Network/publicIPAddresses"}


def egress_and_platform(files):
    """§17: the NAT gateway of AzureFirewallSubnet, the Application Gateway and Bastion subnets
    of the hub, and the private subnet of spoke1 with its VM."""
    for vnet in files["vnet-list.json"]:
        # Hosts resolve names through the firewall's DNS proxy (§16.7).
        vnet["dhcpOptions"] = {"dnsServers": ["10.0.1.4"]}
        if vnet["name"] == "vnet-hub":
            for s in vnet["subnets"]:
                if s["name"] == "AzureFirewallSubnet":
                    s["natGateway"] = {"id": f"{SUB}/natGateways/nat-fw", "resourceGroup": "rg-network"}
                    # Azure refuses an NSG on AzureFirewallSubnet (§16.7 NsgOnFirewallSubnet):
                    # the NVA's NSG does not come along with the subnet.
                    s.pop("networkSecurityGroup", None)
            # Spoke prefixes through the firewall, both ways (v2 allows any route but a
            # 0.0.0.0/0 to an appliance, §17.3).
            vnet["subnets"].append(subnet("vnet-hub", "snet-agw", "10.0.3.0/24",
                                          routeTable={"id": f"{SUB}/routeTables/rt-agw", "resourceGroup": "rg-network"}))
            vnet["subnets"].append(subnet("vnet-hub", "AzureBastionSubnet", "10.0.4.0/26"))
        if vnet["name"] == "vnet-spoke1":
            vnet["subnets"].append(subnet("vnet-spoke1", "snet-private", "10.1.3.0/24", defaultOutboundAccess=False,
                                          routeTable={"id": f"{SUB}/routeTables/rt-private",
                                                      "resourceGroup": "rg-network"}))
    # The private subnet reaches the hub, spoke2 and on-premises through the firewall, like its
    # neighbours, but has no 0.0.0.0/0 route to it: its Internet traffic has no way out.
    endpoints = next(t for t in files["route-table-list.json"] if t["name"] == "rt-endpoints")
    private = json.loads(json.dumps(endpoints).replace("rt-endpoints", "rt-private").replace("snet-endpoints", "snet-private"))
    private["routes"] = [r for r in private["routes"] if r["addressPrefix"] != "0.0.0.0/0"]
    spoke2 = dict(private["routes"][0])
    spoke2.update(name="spoke2-via-fw", addressPrefix="10.2.0.0/16", id=spoke2["id"].rsplit("/", 1)[0] + "/spoke2-via-fw")
    private["routes"].append(spoke2)
    files["route-table-list.json"].append(private)
    shared = next(t for t in files["route-table-list.json"] if t["name"] == "rt-shared")
    files["route-table-list.json"].append(
        json.loads(json.dumps(shared).replace("rt-shared", "rt-agw").replace("snet-shared", "snet-agw")))
    files["public-ip-list.json"] += [public_ip("pip-nat-fw", "20.81.110.20"), public_ip("pip-agw", "20.81.110.30"),
                                     public_ip("pip-bastion", "20.81.110.40")]
    nic = json.loads(json.dumps(next(n for n in files["nic-list.json"] if n["name"] == "nic-app1"))
                     .replace("nic-app1", "nic-private").replace("vm-app1", "vm-private")
                     .replace("vnet-spoke1/subnets/snet-workload", "vnet-spoke1/subnets/snet-private")
                     .replace("10.1.1.4", "10.1.3.4"))
    nic.pop("networkSecurityGroup", None)
    files["nic-list.json"].append(nic)
    vm = json.loads(json.dumps(next(v for v in files["vm-list.json"] if v["name"] == "vm-app1"))
                    .replace("nic-app1", "nic-private").replace("vm-app1", "vm-private"))
    files["vm-list.json"].append(vm)
    files["nat-gateway-list.json"] = [{
        "id": f"{SUB}/natGateways/nat-fw", "name": "nat-fw", "type": "Microsoft.Network/natGateways",
        "location": "eastus", "resourceGroup": "rg-network", "provisioningState": "Succeeded",
        "sku": {"name": "Standard"}, "idleTimeoutInMinutes": 4,
        "publicIpAddresses": [{"id": f"{SUB}/publicIPAddresses/pip-nat-fw", "resourceGroup": "rg-network"}],
        "subnets": [{"id": f"{SUB}/virtualNetworks/vnet-hub/subnets/AzureFirewallSubnet", "resourceGroup": "rg-network"}]}]
    agw = f"{SUB}/applicationGateways/agw-hub"
    files["application-gateway-list.json"] = [{
        "id": agw, "name": "agw-hub", "type": "Microsoft.Network/applicationGateways", "location": "eastus",
        "resourceGroup": "rg-network", "provisioningState": "Succeeded", "operationalState": "Running",
        "sku": {"name": "Standard_v2", "tier": "Standard_v2", "capacity": 2},
        "gatewayIPConfigurations": [{"id": f"{agw}/gatewayIPConfigurations/appGatewayIpConfig",
                                     "name": "appGatewayIpConfig", "resourceGroup": "rg-network",
                                     "subnet": {"id": f"{SUB}/virtualNetworks/vnet-hub/subnets/snet-agw",
                                                "resourceGroup": "rg-network"}}],
        "frontendIPConfigurations": [
            {"id": f"{agw}/frontendIPConfigurations/appGwPublicFrontendIp", "name": "appGwPublicFrontendIp",
             "privateIPAllocationMethod": "Dynamic", "resourceGroup": "rg-network",
             "publicIPAddress": {"id": f"{SUB}/publicIPAddresses/pip-agw", "resourceGroup": "rg-network"}},
            {"id": f"{agw}/frontendIPConfigurations/appGwPrivateFrontendIp", "name": "appGwPrivateFrontendIp",
             "privateIPAddress": "10.0.3.10", "privateIPAllocationMethod": "Static", "resourceGroup": "rg-network",
             "subnet": {"id": f"{SUB}/virtualNetworks/vnet-hub/subnets/snet-agw", "resourceGroup": "rg-network"}}]}]
    bastion = f"{SUB}/bastionHosts/bas-hub"
    files["bastion-list.json"] = [{
        "id": bastion, "name": "bas-hub", "type": "Microsoft.Network/bastionHosts", "location": "eastus",
        "resourceGroup": "rg-network", "provisioningState": "Succeeded", "sku": {"name": "Standard"},
        "scaleUnits": 2, "dnsName": "bst-00000000-0000-0000-0000-00000000a2e0.bastion.azure.com",
        "ipConfigurations": [{"id": f"{bastion}/bastionHostIpConfigurations/IpConf", "name": "IpConf",
                              "privateIPAllocationMethod": "Dynamic", "resourceGroup": "rg-network",
                              "subnet": {"id": f"{SUB}/virtualNetworks/vnet-hub/subnets/AzureBastionSubnet",
                                         "resourceGroup": "rg-network"},
                              "publicIPAddress": {"id": f"{SUB}/publicIPAddresses/pip-bastion",
                                                  "resourceGroup": "rg-network"}}]}]


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    files = {}
    for name in sorted(os.listdir(SRC)):
        value = load(name)
        if isinstance(value, list):
            value = [r for r in value if r.get("name") not in ("nic-fw", "vm-fw")]
        if name == "route-table-list.json":
            gateway_routes(value)
            spoke_routes(value)
        files[name] = value
    for nsg in files.get("nsg-list.json", []):
        if nsg.get("subnets"):
            nsg["subnets"] = [r for r in nsg["subnets"] if not r["id"].endswith("/AzureFirewallSubnet")]
    egress_and_platform(files)
    for name, value in files.items():
        write(name, value)
    firewall = {
        "id": f"{SUB}/azureFirewalls/fw-hub", "name": "fw-hub", "type": "Microsoft.Network/azureFirewalls",
        "location": "eastus", "resourceGroup": "rg-network", "provisioningState": "Succeeded",
        "sku": {"name": "AZFW_VNet", "tier": "Standard"}, "threatIntelMode": "Alert",
        "ipConfigurations": [{
            "id": f"{SUB}/azureFirewalls/fw-hub/azureFirewallIpConfigurations/ipconfig", "name": "ipconfig",
            "privateIPAddress": "10.0.1.4", "provisioningState": "Succeeded",
            "publicIPAddress": {"id": f"{SUB}/publicIPAddresses/pip-fw"},
            "subnet": {"id": f"{SUB}/virtualNetworks/vnet-hub/subnets/AzureFirewallSubnet"}}],
        "firewallPolicy": {"id": f"{SUB}/firewallPolicies/fw-policy-hub"},
        "applicationRuleCollections": [], "natRuleCollections": [], "networkRuleCollections": [],
        "additionalProperties": {},
    }
    write("firewall-list.json", [firewall])
    base = {"id": f"{SUB}/firewallPolicies/fw-policy-base", "name": "fw-policy-base",
            "type": "Microsoft.Network/FirewallPolicies", "location": "eastus", "resourceGroup": "rg-network",
            "sku": {"tier": "Standard"}, "threatIntelMode": "Alert",
            "childPolicies": [{"id": f"{SUB}/firewallPolicies/fw-policy-hub"}],
            "ruleCollectionGroups": [{"id": f"{SUB}/firewallPolicies/fw-policy-base/ruleCollectionGroups/BaseNetwork"}]}
    child = {"id": f"{SUB}/firewallPolicies/fw-policy-hub", "name": "fw-policy-hub",
             "type": "Microsoft.Network/FirewallPolicies", "location": "eastus", "resourceGroup": "rg-network",
             "sku": {"tier": "Standard"}, "threatIntelMode": "Alert",
             "basePolicy": {"id": f"{SUB}/firewallPolicies/fw-policy-base"},
             "dnsSettings": {"enableProxy": True, "servers": []},
             "snat": {"privateRanges": ["IANAPrivateRanges"]},
             "firewalls": [{"id": f"{SUB}/azureFirewalls/fw-hub"}],
             "ruleCollectionGroups": [{"id": f"{SUB}/firewallPolicies/fw-policy-hub/ruleCollectionGroups/{g}"}
                                      for g in ("DefaultDnatRuleCollectionGroup", "DefaultNetworkRuleCollectionGroup",
                                                "DefaultApplicationRuleCollectionGroup")]}
    write("firewall-policy-list.json", [base, child])
    groups = [
        # The parent's groups come first in every pass, whatever their priority (§16.2).
        group("fw-policy-base", "BaseNetwork", 400, [
            collection("deny-telnet", 100, "Deny", [net_rule("no-telnet", ["TCP"], ["*"], ["*"], ["23"])]),
        ]),
        group("fw-policy-hub", "DefaultDnatRuleCollectionGroup", 100, [
            collection("inbound-web", 100, "Dnat", [{
                "ruleType": "NatRule", "name": "web-to-app2", "ipProtocols": ["TCP"], "sourceAddresses": ["*"],
                "sourceIpGroups": [], "destinationAddresses": ["20.81.110.12"], "destinationPorts": ["443"],
                "translatedAddress": "10.2.1.4", "translatedPort": "443"}], nat=True),
        ]),
        group("fw-policy-hub", "DefaultNetworkRuleCollectionGroup", 200, [
            collection("east-west", 100, "Allow", [
                net_rule("spokes-and-hub", ["Any"], ["10.0.0.0/8"], ["10.0.0.0/8"], ["*"]),
                net_rule("on-premises", ["Any"], ["172.16.0.0/16"], ["10.0.0.0/8"], ["*"]),
                net_rule("to-on-premises", ["Any"], ["10.0.0.0/8"], ["172.16.0.0/16"], ["*"]),
            ]),
            collection("fqdn-sql", 200, "Allow", [
                net_rule("sql", ["TCP"], ["10.1.0.0/16"], [], ["1433"], fqdns=["sql.contoso.com"]),
            ]),
        ]),
        group("fw-policy-hub", "DefaultApplicationRuleCollectionGroup", 300, [
            collection("web", 100, "Allow", [{
                "ruleType": "ApplicationRule", "name": "microsoft", "sourceAddresses": ["10.1.0.0/16", "10.2.0.0/16"],
                "sourceIpGroups": [], "targetFqdns": ["*.microsoft.com", "www.contoso.com"], "fqdnTags": [],
                "webCategories": [], "targetUrls": [], "terminateTLS": False,
                "protocols": [{"protocolType": "Https", "port": 443}, {"protocolType": "Http", "port": 80}]}]),
        ]),
    ]
    write("firewall-policy-rule-collection-groups.json", groups)


if __name__ == "__main__":
    main()
