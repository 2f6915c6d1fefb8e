#!/usr/bin/env python3
"""Writes the embedded example `hub-firewall` (crates/azroute-cli/estates/hub-firewall/): the
hub-spoke example with its NVA VM replaced by an Azure Firewall at the same private IP (10.0.1.4,
subnet renamed AzureFirewallSubnet, public IP pip-fw), the GatewaySubnet routing both spokes to it,
a parent and a child firewall policy (DNAT, network and application rules) and their rule
collection groups, all in the az CLI's flattened JSON (`az network firewall list`,
`az network firewall policy list`, `az network firewall policy rule-collection-group list`)
(docs/azure-routing-rules.md §16). Run from the repository root after tools/make_examples.py."""

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


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    for name in sorted(os.listdir(SRC)):
        value = load(name)
        if isinstance(value, list):
            value = [r for r in value if r.get("name") not in ("nic-fw", "vm-fw")]
        if name == "route-table-list.json":
            gateway_routes(value)
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
