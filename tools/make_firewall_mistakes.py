#!/usr/bin/env python3
"""Writes the embedded example `firewall-mistakes` (crates/azroute-cli/estates/firewall-mistakes/):
the `hub-firewall` example with the typical mistakes of a hub-and-spoke design around an Azure
Firewall made on purpose (docs/azure-routing-rules.md §16.7), each one a doctor finding:

- the GatewaySubnet routes spoke 1 by a summary (10.0.0.0/15) the peering route beats, and has no
  route for spoke 2 (GatewaySubnetSummaryRouteShadowed, GatewaySubnetMissingSpokeRoute);
- spoke 2 sends 0.0.0.0/0 to the firewall but keeps gateway route propagation
  (SpokePropagationBypassesFirewall);
- the spokes are peered with each other and spoke 1 has no route for spoke 2
  (DirectPeeringBypassesFirewall);
- spoke 1's route for its own range goes to the firewall (VnetRangeUdrCapturesOwnSubnet);
- AzureFirewallSubnet forced-tunnels 0.0.0.0/0 to the VPN gateway without a management IP
  configuration, with DNAT rules (FirewallSubnetDefaultRouteNotInternet, DnatWithForcedTunnel);
- a management subnet prepared as a /27 with a route to an appliance and propagation on
  (FirewallSubnetTooSmall, FirewallManagementSubnetRouteInvalid);
- a hub route to a firewall address that is not its private IP (FirewallNextHopStale, with
  NextHopUnreachable);
- rules: a deny an earlier allow makes dead, a network rule that takes the application rule's web
  traffic, DNS proxy off with an FQDN network rule, DNAT rules in the parent policy, a custom SNAT
  range list without RFC 1918 (FirewallPolicyRuleShadowed, FirewallAppRuleShadowedByNetworkRule,
  FirewallFqdnNetworkRuleWithoutDnsProxy, FirewallParentNatRulesIgnored,
  FirewallSnatRangesDropRfc1918);
- DNS proxy on in the parent policy only, which the child does not inherit
  (FirewallChildPolicyDnsNotInherited); the classic Network.SNAT.PrivateRanges on the
  policy-managed firewall (FirewallClassicSnatIgnored); ping allowed to the Internet
  (FirewallIcmpToInternet); spoke 2's NSG allows HTTPS from the firewall's frontend IP only and
  denies the rest of the VNet (FirewallSnatSourceNotAllowedByNsg);
- an NSG on AzureFirewallSubnet, which Azure refuses (NsgOnFirewallSubnet);
- through the two route mistakes above, spoke 1's workloads and spoke 2 reach the private
  endpoint through the firewall by a network rule that keeps the source, while the endpoint's
  subnet answers them directly (its VnetLocal route for spoke 1, the spoke-to-spoke peering for
  spoke 2): PrivateEndpointThroughFirewallNoSnat.

FirewallDnsProxyNotUsedByClients is not made here: it needs the DNS proxy on, which the DNS-proxy
mistakes above turn off; crates/azroute-testkit/tests/firewall_doctor.rs makes it on hub-firewall.

Run from the repository root after tools/make_examples.py and tools/make_firewall_fixture.py."""

import json
import os
import shutil

SRC = "crates/azroute-cli/estates/hub-firewall"
OUT = "crates/azroute-cli/estates/firewall-mistakes"
SUB = "/subscriptions/00000000-0000-0000-0000-00000000a2e0/resourceGroups/rg-network/providers/Microsoft.Network"
FW_IP = "10.0.1.4"

# The files of the example (crates/azroute-cli/src/examples.rs lists the same).
FILES = [
    "application-gateway-list.json", "bastion-list.json", "nat-gateway-list.json",
    "firewall-list.json", "firewall-policy-list.json", "firewall-policy-rule-collection-groups.json",
    "learned-routes-vgw-hub.json", "local-gateway-list.json", "nic-list.json", "nsg-list.json",
    "private-endpoint-list.json", "public-ip-list.json", "route-table-list.json", "service-tags.json",
    "vm-list.json", "vnet-gateway-list.json", "vnet-list.json", "vpn-connection-list.json",
]


def load(name):
    with open(os.path.join(SRC, name)) as f:
        return json.load(f)


def write(name, value):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def by_name(items, name):
    return next(i for i in items if i["name"] == name)


def new_route(table_id, name, prefix, hop, ip=None):
    r = {"id": f"{table_id}/routes/{name}", "name": name, "addressPrefix": prefix, "nextHopType": hop,
         "provisioningState": "Succeeded", "resourceGroup": "rg-network",
         "type": "Microsoft.Network/routeTables/routes"}
    if ip:
        r["nextHopIpAddress"] = ip
    return r


def new_table(name, propagation_disabled, routes):
    table_id = f"{SUB}/routeTables/{name}"
    return {"id": table_id, "name": name, "location": "eastus", "resourceGroup": "rg-network",
            "type": "Microsoft.Network/routeTables", "provisioningState": "Succeeded",
            "disableBgpRoutePropagation": propagation_disabled,
            "routes": [new_route(table_id, *r) for r in routes]}


def route_tables(tables):
    gateway = by_name(tables, "rt-gateway")
    spoke1 = by_name(gateway["routes"], "to-spoke1-via-fw")
    spoke1["addressPrefix"] = "10.0.0.0/15"  # a summary: the peering route 10.1.0.0/16 wins
    gateway["routes"] = [r for r in gateway["routes"] if r["name"] != "to-spoke2-via-fw"]
    spoke2 = by_name(tables, "rt-spoke2")
    # Spoke 2 sends everything to the firewall (as in hub-firewall), but the GatewaySubnet no
    # longer brings on-premises replies back through it.
    assert by_name(spoke2["routes"], "default-via-fw")["nextHopIpAddress"] == FW_IP
    # ...and keeps gateway route propagation, so the on-premises prefixes skip it outbound.
    spoke2["disableBgpRoutePropagation"] = False
    by_name(by_name(tables, "rt-spoke1")["routes"], "keep-spoke-local").update(
        {"nextHopType": "VirtualAppliance", "nextHopIpAddress": FW_IP})
    by_name(by_name(tables, "rt-shared")["routes"], "to-spoke2-via-fw")["nextHopIpAddress"] = "10.0.1.5"
    tables.append(new_table("rt-firewall", False, [("to-onprem", "0.0.0.0/0", "VirtualNetworkGateway")]))
    tables.append(new_table("rt-fw-management", False, [("to-nva", "10.9.0.0/16", "VirtualAppliance", "10.0.2.10")]))


def peering(vnet, remote, prefix):
    return {"id": f"{SUB}/virtualNetworks/{vnet}/virtualNetworkPeerings/{vnet}-to-{remote}",
            "name": f"{vnet}-to-{remote}", "peeringState": "Connected", "peeringSyncLevel": "FullyInSync",
            "provisioningState": "Succeeded", "allowVirtualNetworkAccess": True, "allowForwardedTraffic": True,
            "allowGatewayTransit": False, "useRemoteGateways": False, "resourceGroup": "rg-network",
            "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
            "remoteVirtualNetwork": {"id": f"{SUB}/virtualNetworks/{remote}", "resourceGroup": "rg-network"},
            "remoteAddressSpace": {"addressPrefixes": [prefix]}}


def vnets(items):
    hub = by_name(items, "vnet-hub")
    by_name(hub["subnets"], "AzureFirewallSubnet")["routeTable"] = {"id": f"{SUB}/routeTables/rt-firewall"}
    # The NVA subnet's NSG left on AzureFirewallSubnet, as a hand-edited export would have it.
    by_name(hub["subnets"], "AzureFirewallSubnet")["networkSecurityGroup"] = {
        "id": f"{SUB}/networkSecurityGroups/nsg-nva", "resourceGroup": "rg-network"}
    hub["subnets"].append({
        "id": f"{SUB}/virtualNetworks/vnet-hub/subnets/AzureFirewallManagementSubnet",
        "name": "AzureFirewallManagementSubnet", "addressPrefix": "10.0.5.0/27", "provisioningState": "Succeeded",
        "resourceGroup": "rg-network", "type": "Microsoft.Network/virtualNetworks/subnets",
        "routeTable": {"id": f"{SUB}/routeTables/rt-fw-management"}})
    by_name(items, "vnet-spoke1")["virtualNetworkPeerings"].append(peering("vnet-spoke1", "vnet-spoke2", "10.2.0.0/16"))
    by_name(items, "vnet-spoke2")["virtualNetworkPeerings"].append(peering("vnet-spoke2", "vnet-spoke1", "10.1.0.0/16"))


def nsgs(items):
    nsg = by_name(items, "nsg-app")
    for name, priority, access, source in [("allow-https-from-firewall", 110, "Allow", FW_IP),
                                           ("deny-https-from-vnet", 4000, "Deny", "VirtualNetwork")]:
        nsg["securityRules"].append({
            "id": f"{nsg['id']}/securityRules/{name}", "name": name, "priority": priority,
            "direction": "Inbound", "access": access, "protocol": "Tcp", "sourcePortRange": "*",
            "destinationPortRange": "443", "sourceAddressPrefix": source, "destinationAddressPrefix": "*",
            "provisioningState": "Succeeded", "resourceGroup": "rg-network",
            "type": "Microsoft.Network/networkSecurityGroups/securityRules"})


def policies(items):
    child = by_name(items, "fw-policy-hub")
    child["dnsSettings"]["enableProxy"] = False
    child["snat"]["privateRanges"] = ["10.0.0.0/8"]
    by_name(items, "fw-policy-base")["dnsSettings"] = {"enableProxy": True, "servers": []}


def firewalls(items):
    by_name(items, "fw-hub")["additionalProperties"] = {"Network.SNAT.PrivateRanges": "IANAPrivateRanges, 100.64.0.0/10"}


def net_rule(name, protocols, src, dst, ports):
    return {"ruleType": "NetworkRule", "name": name, "ipProtocols": protocols, "sourceAddresses": src,
            "sourceIpGroups": [], "destinationAddresses": dst, "destinationIpGroups": [], "destinationFqdns": [],
            "destinationPorts": ports}


def groups(items):
    base = by_name(items, "BaseNetwork")
    base["ruleCollections"].append({
        "ruleCollectionType": "FirewallPolicyNatRuleCollection", "name": "base-dnat", "priority": 200,
        "action": {"type": "DNAT"}, "rules": [{
            "ruleType": "NatRule", "name": "ssh-to-app2", "ipProtocols": ["TCP"], "sourceAddresses": ["*"],
            "sourceIpGroups": [], "destinationAddresses": ["20.81.110.12"], "destinationPorts": ["22"],
            "translatedAddress": "10.2.1.4", "translatedPort": "22"}]})
    network = by_name(items, "DefaultNetworkRuleCollectionGroup")
    network["ruleCollections"].append({
        "ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": "late-deny", "priority": 300,
        "action": {"type": "Deny"},
        "rules": [net_rule("no-ssh-spoke1-to-spoke2", ["TCP"], ["10.1.0.0/16"], ["10.2.0.0/16"], ["22"])]})
    network["ruleCollections"].append({
        "ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": "web-out", "priority": 400,
        "action": {"type": "Allow"},
        "rules": [net_rule("web", ["TCP"], ["10.0.0.0/8"], ["*"], ["80", "443"])]})
    network["ruleCollections"].append({
        "ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": "ping-out", "priority": 500,
        "action": {"type": "Allow"},
        "rules": [net_rule("ping-internet", ["ICMP"], ["10.1.0.0/16"], ["*"], ["*"])]})


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    edits = {"route-table-list.json": route_tables, "vnet-list.json": vnets,
             "firewall-list.json": firewalls, "nsg-list.json": nsgs, "firewall-policy-list.json": policies, "firewall-policy-rule-collection-groups.json": groups}
    for name in FILES:
        value = load(name)
        if name in edits:
            edits[name](value)
        write(name, value)


if __name__ == "__main__":
    main()
