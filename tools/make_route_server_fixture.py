#!/usr/bin/env python3
"""Writes the embedded example `route-server` (crates/azroute-cli/estates/route-server/): the
hub-spoke example redesigned around Azure Route Server (docs/azure-routing-rules.md §19). The hub
gets a RouteServerSubnet (10.0.3.0/27) with Route Server `rs-hub` (10.0.3.4, 10.0.3.5,
branch-to-branch on), a second NVA `vm-fw2` (10.0.1.5) beside `vm-fw` (10.0.1.4), both peered
with the Route Server (AS 65001); the NVAs advertise 0.0.0.0/0 and 10.0.0.0/8 with equal AS paths
(ECMP), nva2 also an SD-WAN branch 192.168.50.0/24, a route carrying 65515 (dropped) and a hub
subnet (never programmed). The spokes, the GatewaySubnet and the shared subnet lose their user
routes (the spokes learn the NVAs' routes through the hub by `useRemoteGateways`), the NVA subnet gets `0.0.0.0/0 → Internet` (so the NVAs' default
route does not loop back to them), and the VPN gateway's learned routes include what it learned
from the Route Server (branch-to-branch). Files are the az CLI's flattened JSON
(`az network routeserver list`, `az network routeserver peering list`) and the learned-routes
wrappers `{"bgpConnectionId", "learnedRoutes"}` holding `az network routeserver peering
list-learned-routes` output. Run from the repository root after tools/make_examples.py."""

import copy
import json
import os
import shutil

SRC = "crates/azroute-cli/estates/hub-spoke"
OUT = "crates/azroute-cli/estates/route-server"
RG = "/subscriptions/00000000-0000-0000-0000-00000000a2e0/resourceGroups/rg-network"
NET = RG + "/providers/Microsoft.Network"
RS = NET + "/virtualHubs/rs-hub"
ROUTER_IPS = ["10.0.3.4", "10.0.3.5"]
# The hub-spoke example's user routes steer traffic through the NVA; here BGP does it instead.
REMOVED_TABLES = {"rt-spoke1", "rt-spoke2", "rt-endpoints", "rt-gateway", "rt-shared"}


def load(name):
    with open(os.path.join(SRC, name)) as f:
        return json.load(f)


def write(name, value):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def ref(id_):
    return {"id": id_, "resourceGroup": "rg-network"}


def vnets():
    """The RouteServerSubnet in the hub; the spokes without route tables; rt-nva on the NVAs."""
    out = load("vnet-list.json")
    for v in out:
        for s in v["subnets"]:
            table = (s.get("routeTable") or {}).get("id", "").rsplit("/", 1)[-1]
            if table in REMOVED_TABLES:
                del s["routeTable"]
            if s["name"] == "snet-nva":
                s["routeTable"] = ref(NET + "/routeTables/rt-nva")
        if v["name"] == "vnet-hub":
            v["subnets"].append({
                "addressPrefix": "10.0.3.0/27", "id": v["id"] + "/subnets/RouteServerSubnet", "name": "RouteServerSubnet",
                "privateEndpointNetworkPolicies": "Disabled", "privateLinkServiceNetworkPolicies": "Enabled",
                "provisioningState": "Succeeded", "resourceGroup": "rg-network",
                "type": "Microsoft.Network/virtualNetworks/subnets"})
    return out


def route_tables():
    """Spoke tables removed; rt-nva sends the NVAs' own Internet traffic out (RS-10's fix)."""
    tables = load("route-table-list.json")
    out = [t for t in tables if t["name"] not in REMOVED_TABLES]
    template = copy.deepcopy(tables[0])
    template.update({"id": NET + "/routeTables/rt-nva", "name": "rt-nva", "disableBgpRoutePropagation": False,
                     "subnets": [ref(NET + "/virtualNetworks/vnet-hub/subnets/snet-nva")]})
    route = dict(template["routes"][0])
    route.update({"id": NET + "/routeTables/rt-nva/routes/internet-direct", "name": "internet-direct",
                  "addressPrefix": "0.0.0.0/0", "nextHopType": "Internet"})
    route.pop("nextHopIpAddress", None)
    template["routes"] = [route]
    out.append(template)
    return out


def second_nva(nics, vms):
    """vm-fw2 / nic-fw2 at 10.0.1.5, a copy of the first NVA without its public IP."""
    nic = copy.deepcopy(next(n for n in nics if n["name"] == "nic-fw"))
    text = json.dumps(nic).replace("nic-fw", "nic-fw2").replace("vm-fw", "vm-fw2").replace("10.0.1.4", "10.0.1.5")
    nic = json.loads(text)
    nic["ipConfigurations"][0].pop("publicIPAddress", None)
    vm = json.loads(json.dumps(next(v for v in vms if v["name"] == "vm-fw")).replace("nic-fw", "nic-fw2").replace("vm-fw", "vm-fw2"))
    return nics + [nic], vms + [vm]


def route_server():
    return [{
        "allowBranchToBranchTraffic": True, "hubRoutingPreference": "ExpressRoute", "id": RS,
        "ipConfigurations": [{"id": RS + "/ipConfigurations/ipconfig1", "name": "ipconfig1",
                              "privateIPAllocationMethod": "Dynamic",
                              "subnet": ref(NET + "/virtualNetworks/vnet-hub/subnets/RouteServerSubnet")}],
        "location": "eastus", "name": "rs-hub", "provisioningState": "Succeeded", "resourceGroup": "rg-network",
        "routingState": "Provisioned", "sku": "Standard", "type": "Microsoft.Network/virtualHubs",
        "virtualRouterAsn": 65515, "virtualRouterIps": ROUTER_IPS, "virtualWan": None}]


def peerings():
    return [{"connectionState": "Connected", "etag": "W/\"00000000-0000-0000-0000-00000000000%d\"" % i,
             "id": f"{RS}/bgpConnections/{name}", "name": name, "peerAsn": 65001, "peerIp": ip,
             "provisioningState": "Succeeded", "resourceGroup": "rg-network",
             "type": "Microsoft.Network/virtualHubs/bgpConnections"}
            for i, (name, ip) in enumerate([("nva1", "10.0.1.4"), ("nva2", "10.0.1.5")], 1)]


def learned(peer, peer_ip, routes):
    """One peer's list-learned-routes output (both instances), wrapped."""
    def instance(local):
        return [{"asPath": path, "localAddress": local, "network": network, "nextHop": hop,
                 "origin": "EBgp", "sourcePeer": peer_ip, "weight": 32768} for network, hop, path in routes]
    return {"bgpConnectionId": f"{RS}/bgpConnections/{peer}",
            "learnedRoutes": {"RouteServiceRole_IN_0": instance(ROUTER_IPS[0]),
                              "RouteServiceRole_IN_1": instance(ROUTER_IPS[1]), "value": None}}


def gateway_learned():
    """With branch-to-branch, the VPN gateway learns the NVAs' prefixes from the Route Server."""
    out = load("learned-routes-vgw-hub.json")
    for network, path in [("10.0.0.0/8", "65001"), ("192.168.50.0/24", "65001-65100")]:
        for router in ROUTER_IPS:
            out["learnedRoutes"]["value"].append({
                "asPath": path, "localAddress": "10.0.0.4", "network": network, "nextHop": "10.0.1.5" if "192" in network else "10.0.1.4",
                "origin": "IBgp", "sourcePeer": router, "weight": 32768})
    return out


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    shutil.copytree(SRC, OUT)
    write("vnet-list.json", vnets())
    write("route-table-list.json", route_tables())
    nics, vms = second_nva(load("nic-list.json"), load("vm-list.json"))
    write("nic-list.json", nics)
    write("vm-list.json", vms)
    write("learned-routes-vgw-hub.json", gateway_learned())
    write("routeserver-list.json", route_server())
    write("routeserver-peering-list.json", peerings())
    write("learned-routes-rs-hub-nva1.json", learned("nva1", "10.0.1.4", [
        ("0.0.0.0/0", "10.0.1.4", "65001"), ("10.0.0.0/8", "10.0.1.4", "65001")]))
    write("learned-routes-rs-hub-nva2.json", learned("nva2", "10.0.1.5", [
        ("0.0.0.0/0", "10.0.1.5", "65001"), ("10.0.0.0/8", "10.0.1.5", "65001"),
        ("192.168.50.0/24", "10.0.1.5", "65001-65100"), ("192.168.60.0/24", "10.0.1.5", "65001-65515"),
        ("10.0.2.0/24", "10.0.1.5", "65001")]))


if __name__ == "__main__":
    main()
