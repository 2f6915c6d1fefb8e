#!/usr/bin/env python3
"""Writes the embedded example `avnm` (crates/azroute-cli/estates/avnm/): an estate managed by
Azure Virtual Network Manager, in the az CLI's flattened JSON (`az network vnet list`,
`az network manager group list`, `az network manager connectivity-config list`,
`az network manager security-admin-config rule-collection rule list`, …)
(docs/azure-routing-rules.md §18):

* a hub (10.0.0.0/16) with spokes 10.1.0.0/16 and 10.2.0.0/16 in a hub-and-spoke connectivity
  configuration with direct connectivity among the spokes (the ANM_ peerings AVNM creates are
  exported, allowing forwarded traffic as §18.7 infers (C32); spoke to spoke is ConnectedGroup);
* three lab VNets (10.10/16, 10.11/16, 10.12/16) in a regional mesh;
* a security admin configuration with rules of all three kinds overriding the NSGs: Deny RDP
  (the NSG of spoke2 allows it), AlwaysAllow SSH from the hub's management subnet (the NSG of
  spoke1 denies it), Allow HTTPS (the NSGs still decide);
* a routing configuration sending the spokes' Internet traffic to an appliance in the hub.

Run from the repository root after tools/make_examples.py (it does not depend on its output)."""

import json
import os

OUT = "crates/azroute-cli/estates/avnm"
SUB = "00000000-0000-0000-0000-0000000a4e00"
RG = "rg-network"
NET = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Network"
MANAGER = f"{NET}/networkManagers/avnm-corp"
LOCATION = "eastus"


def write(name, value):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def ref(rid):
    return {"id": rid, "resourceGroup": RG}


def vnet(name, space, subnets, peerings=()):
    vid = f"{NET}/virtualNetworks/{name}"
    return {
        "addressSpace": {"addressPrefixes": [space]}, "enableDdosProtection": False, "id": vid,
        "location": LOCATION, "name": name, "provisioningState": "Succeeded", "resourceGroup": RG,
        "subnets": [{
            "addressPrefix": prefix, "id": f"{vid}/subnets/{sname}", "name": sname,
            **({"networkSecurityGroup": ref(f"{NET}/networkSecurityGroups/{nsg}")} if nsg else {}),
            "privateEndpointNetworkPolicies": "Disabled", "provisioningState": "Succeeded",
            "resourceGroup": RG, "type": "Microsoft.Network/virtualNetworks/subnets",
        } for sname, prefix, nsg in subnets],
        "type": "Microsoft.Network/virtualNetworks",
        "virtualNetworkPeerings": [{
            "allowForwardedTraffic": True, "allowGatewayTransit": False, "allowVirtualNetworkAccess": True,
            "id": f"{vid}/virtualNetworkPeerings/{pname}", "name": pname, "peeringState": "Connected",
            "peeringSyncLevel": "FullyInSync", "provisioningState": "Succeeded",
            "remoteAddressSpace": {"addressPrefixes": [rspace]},
            "remoteVirtualNetwork": ref(f"{NET}/virtualNetworks/{remote}"),
            "remoteVirtualNetworkAddressSpace": {"addressPrefixes": [rspace]}, "resourceGroup": RG,
            "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "useRemoteGateways": False,
        } for pname, remote, rspace in peerings],
    }


def nic(name, vnet_name, subnet, ip, vm, forwarding=False):
    nid = f"{NET}/networkInterfaces/{name}"
    return {
        "enableAcceleratedNetworking": False, "enableIPForwarding": forwarding, "id": nid,
        "ipConfigurations": [{
            "id": f"{nid}/ipConfigurations/ipconfig1", "name": "ipconfig1", "primary": True,
            "privateIPAddress": ip, "privateIPAddressVersion": "IPv4", "privateIPAllocationMethod": "Static",
            "provisioningState": "Succeeded", "resourceGroup": RG,
            "subnet": ref(f"{NET}/virtualNetworks/{vnet_name}/subnets/{subnet}"),
            "type": "Microsoft.Network/networkInterfaces/ipConfigurations",
        }],
        "location": LOCATION, "name": name, "primary": True, "provisioningState": "Succeeded",
        "resourceGroup": RG, "type": "Microsoft.Network/networkInterfaces",
        "virtualMachine": ref(f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Compute/virtualMachines/{vm}"),
    }


def vm(name, nic_name):
    return {
        "id": f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Compute/virtualMachines/{name}",
        "location": LOCATION, "name": name,
        "networkProfile": {"networkInterfaces": [{"id": f"{NET}/networkInterfaces/{nic_name}", "primary": True, "resourceGroup": RG}]},
        "powerState": "VM running", "provisioningState": "Succeeded", "resourceGroup": RG,
        "type": "Microsoft.Compute/virtualMachines",
    }


def nsg(name, rules):
    sid = f"{NET}/networkSecurityGroups/{name}"
    return {
        "id": sid, "location": LOCATION, "name": name, "provisioningState": "Succeeded", "resourceGroup": RG,
        "securityRules": [{
            "access": access, "destinationAddressPrefix": "*", "destinationPortRange": port,
            "direction": "Inbound", "id": f"{sid}/securityRules/{rname}", "name": rname, "priority": priority,
            "protocol": "Tcp", "provisioningState": "Succeeded", "resourceGroup": RG,
            "sourceAddressPrefix": source, "sourcePortRange": "*",
            "type": "Microsoft.Network/networkSecurityGroups/securityRules",
        } for rname, priority, access, source, port in rules],
        "type": "Microsoft.Network/networkSecurityGroups",
    }


def group(name, members):
    gid = f"{MANAGER}/networkGroups/{name}"
    g = {"description": "", "id": gid, "memberType": "VirtualNetwork", "name": name,
         "provisioningState": "Succeeded", "resourceGroup": RG, "type": "Microsoft.Network/networkManagers/networkGroups"}
    statics = [{"id": f"{gid}/staticMembers/sm-{m}", "name": f"sm-{m}", "provisioningState": "Succeeded",
                "region": LOCATION, "resourceGroup": RG, "resourceId": f"{NET}/virtualNetworks/{m}",
                "type": "Microsoft.Network/networkManagers/networkGroups/staticMembers"} for m in members]
    return g, statics


def admin_rule(collection, name, priority, access, source, source_type, port):
    return {
        "access": access, "description": "", "destinationPortRanges": [port],
        "destinations": [{"addressPrefix": "*", "addressPrefixType": "IPPrefix"}], "direction": "Inbound",
        "id": f"{collection}/rules/{name}", "kind": "Custom", "name": name, "priority": priority, "protocol": "Tcp",
        "provisioningState": "Succeeded", "resourceGroup": RG, "sourcePortRanges": ["0-65535"],
        "sources": [{"addressPrefix": source, "addressPrefixType": source_type}],
        "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules",
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    anm = "ANM_5f3b1c0e"
    write("vnet-list.json", [
        vnet("vnet-hub", "10.0.0.0/16", [("snet-mgmt", "10.0.1.0/24", None), ("snet-nva", "10.0.2.0/24", None)],
             [(f"{anm}_vnet-hub_vnet-spoke1", "vnet-spoke1", "10.1.0.0/16"), (f"{anm}_vnet-hub_vnet-spoke2", "vnet-spoke2", "10.2.0.0/16")]),
        vnet("vnet-spoke1", "10.1.0.0/16", [("snet-app", "10.1.1.0/24", "nsg-spoke1")], [(f"{anm}_vnet-spoke1_vnet-hub", "vnet-hub", "10.0.0.0/16")]),
        vnet("vnet-spoke2", "10.2.0.0/16", [("snet-app", "10.2.1.0/24", "nsg-spoke2")], [(f"{anm}_vnet-spoke2_vnet-hub", "vnet-hub", "10.0.0.0/16")]),
        vnet("vnet-lab1", "10.10.0.0/16", [("snet-lab", "10.10.1.0/24", None)]),
        vnet("vnet-lab2", "10.11.0.0/16", [("snet-lab", "10.11.1.0/24", None)]),
        vnet("vnet-lab3", "10.12.0.0/16", [("snet-lab", "10.12.1.0/24", None)]),
    ])
    hosts = [("nic-mgmt", "vnet-hub", "snet-mgmt", "10.0.1.4", "vm-mgmt"), ("nic-nva", "vnet-hub", "snet-nva", "10.0.2.4", "vm-nva"),
             ("nic-app1", "vnet-spoke1", "snet-app", "10.1.1.4", "vm-app1"), ("nic-app2", "vnet-spoke2", "snet-app", "10.2.1.4", "vm-app2"),
             ("nic-lab1", "vnet-lab1", "snet-lab", "10.10.1.4", "vm-lab1"), ("nic-lab2", "vnet-lab2", "snet-lab", "10.11.1.4", "vm-lab2"),
             ("nic-lab3", "vnet-lab3", "snet-lab", "10.12.1.4", "vm-lab3")]
    write("nic-list.json", [nic(n, v, s, ip, m, forwarding=(n == "nic-nva")) for n, v, s, ip, m in hosts])
    write("vm-list.json", [vm(m, n) for n, _, _, _, m in hosts])
    write("nsg-list.json", [
        nsg("nsg-spoke1", [("allow-https-from-vnets", 100, "Allow", "VirtualNetwork", "443"), ("deny-ssh", 200, "Deny", "*", "22")]),
        nsg("nsg-spoke2", [("allow-https-from-vnets", 100, "Allow", "VirtualNetwork", "443"), ("allow-rdp-any", 110, "Allow", "*", "3389")]),
    ])
    spokes, spoke_members = group("ng-spokes", ["vnet-spoke1", "vnet-spoke2"])
    labs, lab_members = group("ng-labs", ["vnet-lab1", "vnet-lab2", "vnet-lab3"])
    write("network-manager-groups.json", [labs, spokes])
    write("network-manager-static-members.json", lab_members + spoke_members)
    write("network-manager-connectivity-configs.json", [
        {"appliesToGroups": [{"groupConnectivity": "DirectlyConnected", "isGlobal": "False", "networkGroupId": spokes["id"], "useHubGateway": "False"}],
         "connectivityCapabilities": {"connectedGroupAddressOverlap": "Allowed", "connectedGroupPrivateEndpointsScale": "Standard", "peeringEnforcement": "Unenforced"},
         "connectivityTopology": "HubAndSpoke", "deleteExistingPeering": "True",
         "hubs": [{"resourceId": f"{NET}/virtualNetworks/vnet-hub", "resourceType": "Microsoft.Network/virtualNetworks"}],
         "id": f"{MANAGER}/connectivityConfigurations/cc-hub-spoke", "isGlobal": "False", "name": "cc-hub-spoke",
         "provisioningState": "Succeeded", "resourceGroup": RG, "type": "Microsoft.Network/networkManagers/connectivityConfigurations"},
        {"appliesToGroups": [{"groupConnectivity": "None", "isGlobal": "False", "networkGroupId": labs["id"], "useHubGateway": "False"}],
         "connectivityTopology": "Mesh", "deleteExistingPeering": "False", "hubs": [],
         "id": f"{MANAGER}/connectivityConfigurations/cc-labs-mesh", "isGlobal": "False", "name": "cc-labs-mesh",
         "provisioningState": "Succeeded", "resourceGroup": RG, "type": "Microsoft.Network/networkManagers/connectivityConfigurations"},
    ])
    sac = f"{MANAGER}/securityAdminConfigurations/sac-corp"
    rc = f"{sac}/ruleCollections/rc-baseline"
    write("network-manager-security-admin-configs.json", [
        {"applyOnNetworkIntentPolicyBasedServices": ["None"], "id": sac, "name": "sac-corp", "provisioningState": "Succeeded",
         "resourceGroup": RG, "type": "Microsoft.Network/networkManagers/securityAdminConfigurations"}])
    write("network-manager-admin-rule-collections.json", [
        {"appliesToGroups": [{"networkGroupId": spokes["id"]}, {"networkGroupId": labs["id"]}], "id": rc, "name": "rc-baseline",
         "provisioningState": "Succeeded", "resourceGroup": RG,
         "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections"}])
    write("network-manager-admin-rules.json", [
        admin_rule(rc, "deny-rdp", 10, "Deny", "*", "IPPrefix", "3389"),
        admin_rule(rc, "always-allow-ssh-from-mgmt", 20, "AlwaysAllow", "10.0.1.0/24", "IPPrefix", "22"),
        admin_rule(rc, "allow-https", 30, "Allow", "VirtualNetwork", "ServiceTag", "443"),
    ])
    rcfg = f"{MANAGER}/routingConfigurations/rt-spokes-egress"
    rcol = f"{rcfg}/ruleCollections/spokes"
    write("network-manager-routing-configs.json", [
        {"id": rcfg, "name": "rt-spokes-egress", "provisioningState": "Succeeded", "resourceGroup": RG, "routeTableUsageMode": "ManagedOnly",
         "type": "Microsoft.Network/networkManagers/routingConfigurations"}])
    write("network-manager-routing-rule-collections.json", [
        {"appliesTo": [{"networkGroupId": spokes["id"]}], "disableBgpRoutePropagation": "False", "id": rcol, "name": "spokes",
         "provisioningState": "Succeeded", "resourceGroup": RG, "type": "Microsoft.Network/networkManagers/routingConfigurations/ruleCollections"}])
    write("network-manager-routing-rules.json", [
        {"destination": {"destinationAddress": "0.0.0.0/0", "type": "AddressPrefix"}, "id": f"{rcol}/rules/default-to-nva", "name": "default-to-nva",
         "nextHop": {"nextHopAddress": "10.0.2.4", "nextHopType": "VirtualAppliance"}, "provisioningState": "Succeeded", "resourceGroup": RG,
         "type": "Microsoft.Network/networkManagers/routingConfigurations/ruleCollections/rules"}])


if __name__ == "__main__":
    main()
