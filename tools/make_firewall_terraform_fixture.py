#!/usr/bin/env python3
"""Writes testdata/terraform/hub-firewall/: the embedded example `hub-firewall` (the az CLI JSON
in crates/azroute-cli/estates/hub-firewall/) as Terraform sees it, `terraform show -json` of an
azurerm 4.x state (state/state.json) and of a plan that creates the firewall subnet's NAT gateway
and its associations over the rest of the estate (plan/plan.json), one resource per azurerm type
as the provider records it:

- VNets (their DNS servers inline, and spoke 2's as `azurerm_virtual_network_dns_servers`),
  standalone subnets and peerings; route tables with inline routes; NSGs with inline rules;
  subnet associations (route table, NSG, NAT gateway); NICs; Linux VMs;
- the VPN gateway, the local network gateway and their connection; the private endpoint;
  public IPs;
- the Azure Firewall, its parent and child policies and their rule collection groups;
- the NAT gateway and its public IP association; the Application Gateway; Bastion.

What Terraform does not hold is copied beside each unchanged: the gateway's BGP-learned
routes and the Service Tags file. `crates/azroute-cli/tests/terraform_firewall.rs` requires the
answers of routes, next-hop, trace and firewall-flow on this directory to equal those on the
example (§16.1, §17.1).

Run from the repository root: python3 tools/make_firewall_terraform_fixture.py
"""

import json
import os
import shutil

ROOT = os.path.join(os.path.dirname(__file__), "..")
SRC = os.path.join(ROOT, "crates", "azroute-cli", "estates", "hub-firewall")
OUT = os.path.join(ROOT, "testdata", "terraform", "hub-firewall")
AZURERM = "registry.terraform.io/hashicorp/azurerm"


def load(name):
    with open(os.path.join(SRC, name)) as f:
        return json.load(f)


def ref(obj, key):
    value = obj.get(key)
    return value["id"] if value else None


def resource(rtype, name, values):
    return {
        "address": f"{rtype}.{name}",
        "mode": "managed",
        "type": rtype,
        "name": name,
        "provider_name": AZURERM,
        "schema_version": 0,
        "values": values,
    }


def tf_name(text):
    return text.replace("-", "_").replace(".", "_").lower()


def common(r):
    return {"id": r["id"], "name": r["name"], "resource_group_name": r["resourceGroup"], "location": r.get("location")}


def networks(out):
    for v in load("vnet-list.json"):
        dns = (v.get("dhcpOptions") or {}).get("dnsServers", [])
        # One VNet's DNS servers as their own resource, the others inline: both spellings (§16.7).
        separate = v["name"] == "vnet-spoke2"
        out.append(resource("azurerm_virtual_network", tf_name(v["name"]), {
            **common(v), "address_space": v["addressSpace"]["addressPrefixes"],
            "dns_servers": [] if separate else dns}))
        if separate and dns:
            out.append(resource("azurerm_virtual_network_dns_servers", tf_name(v["name"]), {
                "id": f"{v['id']}/dnsServers/default", "virtual_network_id": v["id"], "dns_servers": dns}))
        for s in v["subnets"]:
            key = tf_name(f"{v['name']}_{s['name']}")
            policies = s.get("privateEndpointNetworkPolicies", "Disabled")
            out.append(resource("azurerm_subnet", key, {
                "id": s["id"], "name": s["name"], "resource_group_name": v["resourceGroup"],
                "virtual_network_name": v["name"], "address_prefixes": [s["addressPrefix"]],
                "service_endpoints": [e["service"] for e in s.get("serviceEndpoints", [])],
                "private_endpoint_network_policies": policies,
                # The property as the export says it: absent stays unknown (C23).
                "default_outbound_access_enabled": s.get("defaultOutboundAccess"),
            }))
            for attr, rtype, value_key in [
                ("routeTable", "azurerm_subnet_route_table_association", "route_table_id"),
                ("networkSecurityGroup", "azurerm_subnet_network_security_group_association",
                 "network_security_group_id"),
                ("natGateway", "azurerm_subnet_nat_gateway_association", "nat_gateway_id"),
            ]:
                if ref(s, attr):
                    out.append(resource(rtype, key, {"id": s["id"], "subnet_id": s["id"], value_key: ref(s, attr)}))
        for p in v.get("virtualNetworkPeerings", []):
            out.append(resource("azurerm_virtual_network_peering", tf_name(p["name"]), {
                "id": p["id"], "name": p["name"], "resource_group_name": v["resourceGroup"],
                "virtual_network_name": v["name"], "remote_virtual_network_id": ref(p, "remoteVirtualNetwork"),
                "allow_virtual_network_access": p["allowVirtualNetworkAccess"],
                "allow_forwarded_traffic": p["allowForwardedTraffic"],
                "allow_gateway_transit": p["allowGatewayTransit"],
                "use_remote_gateways": p["useRemoteGateways"],
            }))


def tables_and_nsgs(out):
    for t in load("route-table-list.json"):
        routes = [{"name": r["name"], "address_prefix": r["addressPrefix"], "next_hop_type": r["nextHopType"],
                   "next_hop_in_ip_address": r.get("nextHopIpAddress")} for r in t["routes"]]
        out.append(resource("azurerm_route_table", tf_name(t["name"]), {
            **common(t), "route": routes, "bgp_route_propagation_enabled": not t["disableBgpRoutePropagation"]}))
    for n in load("nsg-list.json"):
        rules = []
        for r in n["securityRules"]:
            rules.append({
                "name": r["name"], "priority": r["priority"], "direction": r["direction"], "access": r["access"],
                "protocol": r["protocol"],
                "source_port_range": r.get("sourcePortRange"), "source_port_ranges": r.get("sourcePortRanges", []),
                "destination_port_range": r.get("destinationPortRange"),
                "destination_port_ranges": r.get("destinationPortRanges", []),
                "source_address_prefix": r.get("sourceAddressPrefix"),
                "source_address_prefixes": r.get("sourceAddressPrefixes", []),
                "destination_address_prefix": r.get("destinationAddressPrefix"),
                "destination_address_prefixes": r.get("destinationAddressPrefixes", []),
            })
        out.append(resource("azurerm_network_security_group", tf_name(n["name"]), {**common(n), "security_rule": rules}))


def compute(out):
    for n in load("nic-list.json"):
        if n.get("privateEndpoint"):
            continue  # the private endpoint's NIC is the private endpoint's (below)
        configs = [{"name": c["name"], "subnet_id": ref(c, "subnet"), "private_ip_address": c["privateIPAddress"],
                    "primary": c.get("primary", False), "public_ip_address_id": ref(c, "publicIPAddress")}
                   for c in n["ipConfigurations"]]
        out.append(resource("azurerm_network_interface", tf_name(n["name"]), {
            **common(n), "ip_forwarding_enabled": n["enableIPForwarding"], "ip_configuration": configs,
            "virtual_machine_id": ref(n, "virtualMachine")}))
        if ref(n, "networkSecurityGroup"):
            out.append(resource("azurerm_network_interface_security_group_association", tf_name(n["name"]), {
                "id": f"{n['id']}|{ref(n, 'networkSecurityGroup')}", "network_interface_id": n["id"],
                "network_security_group_id": ref(n, "networkSecurityGroup")}))
    for vm in load("vm-list.json"):
        nics = [x["id"] for x in vm["networkProfile"]["networkInterfaces"]]
        out.append(resource("azurerm_linux_virtual_machine", tf_name(vm["name"]), {
            **common(vm), "network_interface_ids": nics}))
    nics = {n["id"].lower(): n for n in load("nic-list.json")}
    for pe in load("private-endpoint-list.json"):
        nic = nics[pe["networkInterfaces"][0]["id"].lower()]
        ip = nic["ipConfigurations"][0]["privateIPAddress"]
        connections = [{"name": c["name"], "subresource_names": c["groupIds"], "private_ip_address": ip,
                        "private_connection_resource_id": c["privateLinkServiceId"]}
                       for c in pe["privateLinkServiceConnections"]]
        out.append(resource("azurerm_private_endpoint", tf_name(pe["name"]), {
            **common(pe), "subnet_id": ref(pe, "subnet"), "private_service_connection": connections,
            "network_interface": [{"id": nic["id"], "name": nic["name"]}],
            "custom_dns_configs": [{"fqdn": c["fqdn"], "ip_addresses": c["ipAddresses"]}
                                   for c in pe["customDnsConfigs"]]}))
    for p in load("public-ip-list.json"):
        out.append(resource("azurerm_public_ip", tf_name(p["name"]), {**common(p), "ip_address": p["ipAddress"]}))


def gateways(out):
    for g in load("vnet-gateway-list.json"):
        configs = [{"name": c["name"], "subnet_id": ref(c, "subnet")} for c in g["ipConfigurations"]]
        peers = g["bgpSettings"]["bgpPeeringAddress"].split(",")
        peering = [{"ip_configuration_name": c["name"], "default_addresses": [ip]}
                   for c, ip in zip(g["ipConfigurations"], peers)]
        out.append(resource("azurerm_virtual_network_gateway", tf_name(g["name"]), {
            **common(g), "type": g["gatewayType"], "vpn_type": g["vpnType"], "sku": g["sku"]["name"],
            "active_active": g["activeActive"], "bgp_enabled": g["enableBgp"], "ip_configuration": configs,
            "bgp_settings": [{"asn": g["bgpSettings"]["asn"], "peering_addresses": peering}],
            "default_local_network_gateway_id": ref(g, "gatewayDefaultSite")}))
    for l in load("local-gateway-list.json"):
        out.append(resource("azurerm_local_network_gateway", tf_name(l["name"]), {
            **common(l), "gateway_address": l["gatewayIpAddress"],
            "address_space": l["localNetworkAddressSpace"]["addressPrefixes"],
            "bgp_settings": [{"asn": l["bgpSettings"]["asn"],
                              "bgp_peering_address": l["bgpSettings"]["bgpPeeringAddress"]}]}))
    for c in load("vpn-connection-list.json"):
        out.append(resource("azurerm_virtual_network_gateway_connection", tf_name(c["name"]), {
            **common(c), "type": c["connectionType"], "virtual_network_gateway_id": ref(c, "virtualNetworkGateway1"),
            "local_network_gateway_id": ref(c, "localNetworkGateway2"), "bgp_enabled": c["enableBgp"]}))


def tf_rule(kind, r):
    if kind == "NatRule":
        return {"name": r["name"], "protocols": r["ipProtocols"], "source_addresses": r["sourceAddresses"],
                "source_ip_groups": r.get("sourceIpGroups", []), "destination_address": r["destinationAddresses"][0],
                "destination_ports": r["destinationPorts"], "translated_address": r.get("translatedAddress"),
                "translated_port": r.get("translatedPort")}
    if kind == "NetworkRule":
        return {"name": r["name"], "protocols": r["ipProtocols"], "source_addresses": r["sourceAddresses"],
                "source_ip_groups": r["sourceIpGroups"], "destination_addresses": r["destinationAddresses"],
                "destination_ip_groups": r["destinationIpGroups"], "destination_fqdns": r["destinationFqdns"],
                "destination_ports": r["destinationPorts"]}
    return {"name": r["name"], "source_addresses": r["sourceAddresses"], "source_ip_groups": r["sourceIpGroups"],
            "destination_fqdns": r["targetFqdns"], "destination_fqdn_tags": r["fqdnTags"],
            "web_categories": r["webCategories"], "destination_urls": r["targetUrls"],
            "terminate_tls": r["terminateTLS"],
            "protocols": [{"type": p["protocolType"], "port": p["port"]} for p in r["protocols"]]}


def firewall(out):
    for f in load("firewall-list.json"):
        configs = [{"name": c["name"], "subnet_id": ref(c, "subnet"), "public_ip_address_id": ref(c, "publicIPAddress"),
                    "private_ip_address": c["privateIPAddress"]} for c in f["ipConfigurations"]]
        out.append(resource("azurerm_firewall", tf_name(f["name"]), {
            **common(f), "sku_name": f["sku"]["name"], "sku_tier": f["sku"]["tier"],
            "firewall_policy_id": ref(f, "firewallPolicy"), "threat_intel_mode": f["threatIntelMode"],
            "ip_configuration": configs, "management_ip_configuration": [], "virtual_hub": [],
            "dns_proxy_enabled": None, "private_ip_ranges": None}))
    for p in load("firewall-policy-list.json"):
        dns = p.get("dnsSettings")
        out.append(resource("azurerm_firewall_policy", tf_name(p["name"]), {
            **common(p), "base_policy_id": ref(p, "basePolicy"), "sku": p["sku"]["tier"],
            "threat_intelligence_mode": p["threatIntelMode"],
            "dns": [{"proxy_enabled": dns.get("enableProxy", False), "servers": dns.get("servers", [])}] if dns else [],
            "private_ip_ranges": (p.get("snat") or {}).get("privateRanges")}))
    for g in load("firewall-policy-rule-collection-groups.json"):
        policy = g["id"].split("/ruleCollectionGroups/")[0]
        blocks = {"nat_rule_collection": [], "network_rule_collection": [], "application_rule_collection": []}
        for c in g["ruleCollections"]:
            kinds = {r["ruleType"] for r in c["rules"]}
            kind = kinds.pop() if len(kinds) == 1 else "NetworkRule"
            block = {"NatRule": "nat_rule_collection", "NetworkRule": "network_rule_collection",
                     "ApplicationRule": "application_rule_collection"}[kind]
            blocks[block].append({"name": c["name"], "priority": c["priority"], "action": c["action"]["type"],
                                  "rule": [tf_rule(kind, r) for r in c["rules"]]})
        out.append(resource("azurerm_firewall_policy_rule_collection_group", tf_name(f"{policy.rsplit('/', 1)[1]}_{g['name']}"), {
            "id": g["id"], "name": g["name"], "firewall_policy_id": policy, "priority": g["priority"], **blocks}))


def platform(out):
    for n in load("nat-gateway-list.json"):
        out.append(resource("azurerm_nat_gateway", tf_name(n["name"]), {
            **common(n), "sku_name": n["sku"]["name"], "idle_timeout_in_minutes": n["idleTimeoutInMinutes"]}))
        for p in n.get("publicIpAddresses", []):
            out.append(resource("azurerm_nat_gateway_public_ip_association", tf_name(p["id"].rsplit("/", 1)[1]), {
                "id": f"{n['id']}|{p['id']}", "nat_gateway_id": n["id"], "public_ip_address_id": p["id"]}))
    for a in load("application-gateway-list.json"):
        gateway = [{"name": c["name"], "subnet_id": ref(c, "subnet")} for c in a["gatewayIPConfigurations"]]
        frontends = [{"name": c["name"], "private_ip_address": c.get("privateIPAddress"),
                      "subnet_id": ref(c, "subnet"), "public_ip_address_id": ref(c, "publicIPAddress")}
                     for c in a["frontendIPConfigurations"]]
        out.append(resource("azurerm_application_gateway", tf_name(a["name"]), {
            **common(a), "sku": [{"name": a["sku"]["name"], "tier": a["sku"]["tier"], "capacity": a["sku"]["capacity"]}],
            "gateway_ip_configuration": gateway, "frontend_ip_configuration": frontends}))
    for b in load("bastion-list.json"):
        configs = [{"name": c["name"], "subnet_id": ref(c, "subnet"), "public_ip_address_id": ref(c, "publicIPAddress")}
                   for c in b["ipConfigurations"]]
        out.append(resource("azurerm_bastion_host", tf_name(b["name"]), {
            **common(b), "sku": b["sku"]["name"], "ip_configuration": configs}))


# The plan: the estate applied, except the NAT gateway of AzureFirewallSubnet, which the plan
# creates with its associations (their ids and the gateway's id are unknown until apply, and
# followed through the configuration's references).
NAT = "azurerm_nat_gateway.nat_fw"
CREATED = {
    NAT: {"id": None},
    "azurerm_nat_gateway_public_ip_association.pip_nat_fw": {"id": None, "nat_gateway_id": NAT},
    "azurerm_subnet_nat_gateway_association.vnet_hub_azurefirewallsubnet": {"id": None, "nat_gateway_id": NAT},
}


def plan(resources):
    changes, planned, prior, config = [], [], [], []
    for r in resources:
        unknown_refs = CREATED.get(r["address"])
        if unknown_refs is None:
            change = {"actions": ["no-op"], "before": r["values"], "after": r["values"], "after_unknown": {}}
            prior.append(r)
            planned.append(r)
        else:
            after = {k: v for k, v in r["values"].items() if k not in unknown_refs}
            change = {"actions": ["create"], "before": None, "after": after,
                      "after_unknown": {k: True for k in unknown_refs}}
            planned.append({**r, "values": after})
            expressions = {k: {"references": [f"{target}.id", target]} for k, target in unknown_refs.items() if target}
            config.append({"address": r["address"], "mode": "managed", "type": r["type"], "name": r["name"],
                           "provider_config_key": "azurerm", "expressions": expressions, "schema_version": 0})
        changes.append({"address": r["address"], "mode": "managed", "type": r["type"], "name": r["name"],
                        "provider_name": AZURERM, "change": change})
    return {
        "format_version": "1.2", "terraform_version": "1.9.8", "variables": {},
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "prior_state": {"format_version": "1.0", "terraform_version": "1.9.8",
                        "values": {"root_module": {"resources": prior}}},
        "configuration": {"provider_config": {"azurerm": {"name": "azurerm", "full_name": AZURERM}},
                          "root_module": {"resources": config}},
        "applyable": True, "complete": True, "errored": False,
    }


def write(directory, name, doc):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    for extra in ("learned-routes-vgw-hub.json", "service-tags.json"):
        shutil.copyfile(os.path.join(SRC, extra), os.path.join(directory, extra))


def main():
    resources = []
    for step in (networks, tables_and_nsgs, compute, gateways, firewall, platform):
        step(resources)
    state = {"format_version": "1.0", "terraform_version": "1.9.8",
             "values": {"root_module": {"resources": resources}}}
    write(os.path.join(OUT, "state"), "state.json", state)
    write(os.path.join(OUT, "plan"), "plan.json", plan(resources))


if __name__ == "__main__":
    main()
