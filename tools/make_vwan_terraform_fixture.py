#!/usr/bin/env python3
"""Writes testdata/terraform/vwan/ and testdata/terraform/route-server/: the embedded examples
`vwan` and `route-server` (the az CLI JSON in crates/azroute-cli/estates/) as Terraform sees
them, `terraform show -json` of an azurerm 4.x state (state/state.json) and of a plan over the
rest of the estate (plan/plan.json), one resource per azurerm type as the provider records it.
The VNets, subnets, peerings, route tables, NSGs, NICs, VMs, private endpoints, public IPs,
gateways and firewall policies are written as tools/make_firewall_terraform_fixture.py writes
them; this script adds:

- `vwan`: `azurerm_virtual_wan`, `azurerm_virtual_hub`, `azurerm_virtual_hub_connection` (its
  `routing` block), `azurerm_virtual_hub_routing_intent`, `azurerm_virtual_hub_bgp_connection`,
  `azurerm_vpn_site`, `azurerm_vpn_gateway`, `azurerm_vpn_gateway_connection`,
  `azurerm_express_route_gateway`, `azurerm_express_route_connection` and the hub's
  `azurerm_firewall` (its `virtual_hub` block). What Azure creates and Terraform never holds is
  left out: the `RemoteVnetToHubPeering_*` peerings, the built-in `defaultRouteTable` and
  `noneRouteTable` (the hub's `default_route_table_id`) and the routing intent's `_policy_*`
  routes. The plan creates the VPN site and its connection (their ids, the site's `link[].id`
  and the connection's `vpn_link[].vpn_site_link_id` unknown until apply; the configuration
  names the site link each `vpn_link` uses).
- `route-server`: `azurerm_route_server` and `azurerm_route_server_bgp_connection`; the plan
  creates the peering of the second NVA (its id unknown until apply).

What Terraform does not hold is copied beside each unchanged: the learned routes, the hubs'
effective routes and the Service Tags file. `crates/azroute-cli/tests/terraform_vwan.rs` requires
the answers of routes, hub-routes, reach and doctor on these directories to equal those on the
examples (§20.1, §19.1).

Run from the repository root: python3 tools/make_vwan_terraform_fixture.py
"""

import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(__file__))
import make_firewall_terraform_fixture as base  # noqa: E402

ROOT = base.ROOT
ESTATES = os.path.join(ROOT, "crates", "azroute-cli", "estates")
resource, tf_name, common, ref = base.resource, base.tf_name, base.common, base.ref


def use_example(name):
    """Points the shared writers at one example; Azure's hub peerings are not Terraform's."""
    src = os.path.join(ESTATES, name)

    def load(file):
        path = os.path.join(src, file)
        if not os.path.exists(path):
            return []
        with open(path) as f:
            doc = json.load(f)
        if file == "vnet-list.json":
            for v in doc:
                v["virtualNetworkPeerings"] = [p for p in v.get("virtualNetworkPeerings", [])
                                               if not p["name"].startswith("RemoteVnetToHubPeering_")]
        return doc

    base.SRC = src
    base.load = load
    return load


def ids(refs):
    return [r["id"] for r in refs or []]


def routing(config, associated_key):
    """A connection's `routingConfiguration` as its Terraform `routing` block."""
    if not config:
        return []
    propagated = config.get("propagatedRouteTables")
    block = {associated_key: ref(config, "associatedRouteTable"),
             "propagated_route_table": [{"labels": propagated.get("labels", []),
                                         "route_table_ids": ids(propagated.get("ids"))}] if propagated else []}
    if associated_key == "associated_route_table_id" and "vnetRoutes" in config:
        statics = config["vnetRoutes"].get("staticRoutes", [])
        block["static_vnet_route"] = [{"name": s["name"], "address_prefixes": s["addressPrefixes"],
                                       "next_hop_ip_address": s["nextHopIpAddress"]} for s in statics]
    return [block]


def hubs(load, out):
    for w in load("vwan-list.json"):
        out.append(resource("azurerm_virtual_wan", tf_name(w["name"]), {
            **common(w), "type": w["virtualWanType"], "allow_branch_to_branch_traffic": w["allowBranchToBranchTraffic"],
            "disable_vpn_encryption": w["disableVpnEncryption"]}))
    for h in load("vhub-list.json"):
        hub = h["name"]
        out.append(resource("azurerm_virtual_hub", tf_name(hub), {
            **common(h), "virtual_wan_id": ref(h, "virtualWan"), "address_prefix": h["addressPrefix"], "sku": h["sku"],
            "hub_routing_preference": h["hubRoutingPreference"], "virtual_router_asn": h["virtualRouterAsn"],
            "virtual_router_ips": h["virtualRouterIps"], "default_route_table_id": f"{h['id']}/hubRouteTables/defaultRouteTable",
            "route": []}))
        for c in load(f"vhub-connection-list-{hub}.json"):
            out.append(resource("azurerm_virtual_hub_connection", tf_name(c["name"]), {
                "id": c["id"], "name": c["name"], "virtual_hub_id": h["id"],
                "remote_virtual_network_id": ref(c, "remoteVirtualNetwork"),
                "internet_security_enabled": c["enableInternetSecurity"],
                "routing": routing(c.get("routingConfiguration"), "associated_route_table_id")}))
        for t in load(f"vhub-route-table-list-{hub}.json"):
            if t["name"] in ("defaultRouteTable", "noneRouteTable"):
                continue  # built in: Terraform names the default one by the hub's `default_route_table_id`
            out.append(resource("azurerm_virtual_hub_route_table", tf_name(f"{hub}_{t['name']}"), {
                "id": t["id"], "name": t["name"], "virtual_hub_id": h["id"], "labels": t["labels"],
                "route": [{"name": r["name"], "destinations": r["destinations"], "destinations_type": r["destinationType"],
                           "next_hop": r["nextHop"], "next_hop_type": r["nextHopType"]} for r in t["routes"]]}))
        for ri in load(f"vhub-routing-intent-list-{hub}.json"):
            out.append(resource("azurerm_virtual_hub_routing_intent", tf_name(hub), {
                "id": ri["id"], "name": ri["name"], "virtual_hub_id": h["id"],
                "routing_policy": [{"name": p["name"], "destinations": p["destinations"], "next_hop": p["nextHop"]}
                                   for p in ri["routingPolicies"]]}))
        for b in load(f"vhub-bgpconnection-list-{hub}.json"):
            out.append(resource("azurerm_virtual_hub_bgp_connection", tf_name(f"{hub}_{b['name']}"), {
                "id": b["id"], "name": b["name"], "virtual_hub_id": h["id"], "peer_asn": b["peerAsn"], "peer_ip": b["peerIp"],
                "virtual_network_connection_id": ref(b, "hubVirtualNetworkConnection")}))


def branches(load, out):
    for s in load("vpn-site-list.json"):
        links = [{"id": l["id"], "name": l["name"], "ip_address": l["ipAddress"],
                  "provider_name": l["linkProperties"]["linkProviderName"],
                  "speed_in_mbps": l["linkProperties"]["linkSpeedInMbps"], "fqdn": None, "bgp": []}
                 for l in s["vpnSiteLinks"]]
        out.append(resource("azurerm_vpn_site", tf_name(s["name"]), {
            **common(s), "virtual_wan_id": ref(s, "virtualWan"), "address_cidrs": s["addressSpace"]["addressPrefixes"],
            "link": links}))
    for g in load("vpn-gateway-list.json"):
        peering = {p["ipconfigurationId"]: p for p in g["bgpSettings"]["bgpPeeringAddresses"]}

        def instance(n):
            p = peering[f"Instance{n}"]
            return [{"ip_configuration_id": p["ipconfigurationId"], "default_ips": p["defaultBgpIpAddresses"],
                     "custom_ips": p["customBgpIpAddresses"], "tunnel_ips": p["tunnelIpAddresses"]}]

        out.append(resource("azurerm_vpn_gateway", tf_name(g["name"]), {
            **common(g), "virtual_hub_id": ref(g, "virtualHub"), "scale_unit": g["vpnGatewayScaleUnit"],
            "bgp_settings": [{"asn": g["bgpSettings"]["asn"], "peer_weight": g["bgpSettings"]["peerWeight"],
                              "instance_0_bgp_peering_address": instance(0),
                              "instance_1_bgp_peering_address": instance(1)}]}))
        for c in g["connections"]:
            out.append(resource("azurerm_vpn_gateway_connection", tf_name(c["name"]), {
                "id": c["id"], "name": c["name"], "vpn_gateway_id": g["id"], "remote_vpn_site_id": ref(c, "remoteVpnSite"),
                "internet_security_enabled": c["enableInternetSecurity"],
                "routing": routing(c.get("routingConfiguration"), "associated_route_table"),
                "vpn_link": [{"name": l["name"], "vpn_site_link_id": ref(l, "vpnSiteLink"), "bgp_enabled": l["enableBgp"]}
                             for l in c["vpnLinkConnections"]]}))
    for g in load("express-route-gateway-list.json"):
        out.append(resource("azurerm_express_route_gateway", tf_name(g["name"]), {
            **common(g), "virtual_hub_id": ref(g, "virtualHub"), "scale_units": g["autoScaleConfiguration"]["bounds"]["min"],
            "allow_non_virtual_wan_traffic": g["allowNonVirtualWanTraffic"]}))
        for c in g["expressRouteConnections"]:
            out.append(resource("azurerm_express_route_connection", tf_name(c["name"]), {
                "id": c["id"], "name": c["name"], "express_route_gateway_id": g["id"],
                "express_route_circuit_peering_id": ref(c, "expressRouteCircuitPeering"),
                "internet_security_enabled": c["enableInternetSecurity"], "routing_weight": c["routingWeight"],
                "routing": routing(c.get("routingConfiguration"), "associated_route_table_id")}))


def hub_firewalls(load, out):
    """Hub firewalls (`virtual_hub` block); the policies and groups as the shared writer does."""
    firewalls = load("firewall-list.json")
    base.load = lambda file: [] if file == "firewall-list.json" else load(file)
    base.firewall(out)
    base.load = load
    for f in firewalls:
        hub = f["hubIPAddresses"]
        out.append(resource("azurerm_firewall", tf_name(f["name"]), {
            **common(f), "sku_name": f["sku"]["name"], "sku_tier": f["sku"]["tier"],
            "firewall_policy_id": ref(f, "firewallPolicy"), "threat_intel_mode": f["threatIntelMode"],
            "ip_configuration": [], "management_ip_configuration": [], "dns_proxy_enabled": None,
            "private_ip_ranges": None,
            "virtual_hub": [{"virtual_hub_id": ref(f, "virtualHub"), "public_ip_count": hub["publicIPs"]["count"],
                             "private_ip_address": hub["privateIPAddress"],
                             "public_ip_addresses": [a["address"] for a in hub["publicIPs"]["addresses"]]}]}))


def route_servers(load, out):
    for rs in load("routeserver-list.json"):
        subnet = ref(rs["ipConfigurations"][0], "subnet")
        out.append(resource("azurerm_route_server", tf_name(rs["name"]), {
            **common(rs), "sku": rs["sku"], "subnet_id": subnet, "public_ip_address_id": None,
            "branch_to_branch_traffic_enabled": rs["allowBranchToBranchTraffic"],
            "hub_routing_preference": rs["hubRoutingPreference"],
            "virtual_router_asn": rs["virtualRouterAsn"], "virtual_router_ips": rs["virtualRouterIps"]}))
    for p in load("routeserver-peering-list.json"):
        out.append(resource("azurerm_route_server_bgp_connection", tf_name(p["name"]), {
            "id": p["id"], "name": p["name"], "route_server_id": p["id"].split("/bgpConnections/")[0],
            "peer_asn": p["peerAsn"], "peer_ip": p["peerIp"]}))


def plan(resources, created):
    """The shared plan writer, with this estate's created resources; a created resource's
    nested ids (`link[].id` of a VPN site, `vpn_link[].vpn_site_link_id` naming them) are
    unknown too."""
    saved = base.CREATED
    base.CREATED = created
    try:
        doc = base.plan(resources)
    finally:
        base.CREATED = saved
    for change in doc["resource_changes"]:
        if change["address"] not in created:
            continue
        after, unknown = change["change"]["after"], change["change"]["after_unknown"]
        for block, key in (("link", "id"), ("vpn_link", "vpn_site_link_id")):
            if after.get(block):
                after[block] = [{k: v for k, v in b.items() if k != key} for b in after[block]]
                unknown[block] = [{key: True} for _ in after[block]]
    site_link_references(doc, resources, created)
    return doc  # the planned values share each change's `after`


def site_link_references(doc, resources, created):
    """A created connection's `vpn_link` blocks name their site's `link[k].id` in the
    configuration, with the references Terraform lists for that expression."""
    by_address = {r["address"]: r for r in resources}
    for config in doc["configuration"]["root_module"]["resources"]:
        site = created.get(config["address"], {}).get("remote_vpn_site_id")
        if not site:
            continue
        site_links = [l["id"] for l in by_address[site]["values"]["link"]]
        blocks = []
        for l in by_address[config["address"]]["values"].get("vpn_link", []):
            k = site_links.index(l["vpn_site_link_id"])
            steps = [f"{site}.link[{k}].id", f"{site}.link[{k}]", f"{site}.link", site]
            blocks.append({"name": {"constant_value": l["name"]}, "vpn_site_link_id": {"references": steps}})
        config["expressions"]["vpn_link"] = blocks


def write(example, resources, created):
    src = os.path.join(ESTATES, example)
    out = os.path.join(ROOT, "testdata", "terraform", example)
    observed = sorted(f for f in os.listdir(src)
                      if f.startswith(("learned-routes-", "vhub-effective-routes-")) or f == "service-tags.json")
    state = {"format_version": "1.0", "terraform_version": "1.9.8",
             "values": {"root_module": {"resources": resources}}}
    for kind, doc in (("state", state), ("plan", plan(resources, created))):
        directory = os.path.join(out, kind)
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, f"{kind}.json"), "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
        for extra in observed:
            shutil.copyfile(os.path.join(src, extra), os.path.join(directory, extra))


def estate(example, steps):
    load = use_example(example)
    resources = []
    for step in steps:
        step(resources) if step in SHARED else step(load, resources)
    return resources


SHARED = (base.networks, base.tables_and_nsgs, base.compute, base.gateways)

# The plans: the VPN site and its connection (vwan), the second NVA's peering (route-server)
# created, their ids unknown until apply and followed through the configuration.
VWAN_CREATED = {
    "azurerm_vpn_site.site_branch1": {"id": None},
    "azurerm_vpn_gateway_connection.conn_branch1": {"id": None, "remote_vpn_site_id": "azurerm_vpn_site.site_branch1"},
}
ROUTE_SERVER_CREATED = {"azurerm_route_server_bgp_connection.nva2": {"id": None}}


def main():
    write("vwan", estate("vwan", SHARED + (hubs, branches, hub_firewalls)), VWAN_CREATED)
    write("route-server", estate("route-server", SHARED + (route_servers,)), ROUTE_SERVER_CREATED)


if __name__ == "__main__":
    main()
