#!/usr/bin/env python3
"""Writes testdata/terraform/avnm/plan.json: the embedded example `avnm`
(crates/azroute-cli/estates/avnm/, written by tools/make_avnm_fixture.py) as Terraform manages it,
as `terraform show -json` of a plan with nothing to change (every resource `no-op`, ids known),
azurerm 4.x attribute names (docs/azure-routing-rules.md §18.7).

What Terraform holds and the az export does not, and the reverse:
* the `ANM_…` hub–spoke peerings are created by Virtual Network Manager on deployment, not by
  Terraform: they are absent here, and azroute adds them from the hub-and-spoke configuration;
* the deployments (`azurerm_network_manager_deployment`) of the three configurations in eastus.

Also writes two what-if plans over it, one per kind of configuration besides the routing rule
of plan-add-routing-rule.json: plan-admin-rule-allow.json updates the admin rule `deny-rdp` to
`Allow` (the NSGs decide again), plan-spokes-not-directly-connected.json updates the hub-and-spoke
configuration's spoke group to `groupConnectivity = None` (no ConnectedGroup among the spokes).

Run from the repository root: python3 tools/make_avnm_terraform_fixture.py"""

import json
import os

EXAMPLE = "crates/azroute-cli/estates/avnm"
OUT = "testdata/terraform/avnm/plan.json"


def load(name):
    with open(os.path.join(EXAMPLE, name)) as f:
        return json.load(f)


def rg_of(rid):
    return rid.split("/")[4]


def change(rtype, name, values):
    return {"address": f"{rtype}.{name}", "mode": "managed", "type": rtype, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/azurerm",
            "change": {"actions": ["no-op"], "before": values, "after": values, "after_unknown": {},
                       "before_sensitive": {}, "after_sensitive": {}}}


def key(name):
    return name.replace("-", "_").replace(".", "_")


def network(changes):
    for v in load("vnet-list.json"):
        subnets = [{"name": s["name"], "id": s["id"], "address_prefixes": [s["addressPrefix"]],
                    "security_group": s.get("networkSecurityGroup", {}).get("id", ""), "route_table_id": "",
                    "private_endpoint_network_policies": "Disabled", "default_outbound_access_enabled": True}
                   for s in v["subnets"]]
        changes.append(change("azurerm_virtual_network", key(v["name"]), {
            "id": v["id"], "name": v["name"], "resource_group_name": rg_of(v["id"]), "location": v["location"],
            "address_space": v["addressSpace"]["addressPrefixes"], "subnet": subnets}))
    for n in load("nsg-list.json"):
        rules = [{"name": r["name"], "priority": r["priority"], "direction": r["direction"], "access": r["access"],
                  "protocol": r["protocol"], "source_address_prefix": r["sourceAddressPrefix"], "source_port_range": "*",
                  "destination_address_prefix": r["destinationAddressPrefix"],
                  "destination_port_range": r["destinationPortRange"], "source_address_prefixes": [],
                  "destination_address_prefixes": [], "source_port_ranges": [], "destination_port_ranges": []}
                 for r in n["securityRules"]]
        changes.append(change("azurerm_network_security_group", key(n["name"]), {
            "id": n["id"], "name": n["name"], "resource_group_name": rg_of(n["id"]), "location": n["location"],
            "security_rule": rules}))
    for n in load("nic-list.json"):
        configs = [{"name": c["name"], "primary": c["primary"], "private_ip_address": c["privateIPAddress"],
                    "private_ip_address_allocation": c["privateIPAllocationMethod"], "private_ip_address_version": "IPv4",
                    "subnet_id": c["subnet"]["id"], "public_ip_address_id": ""} for c in n["ipConfigurations"]]
        changes.append(change("azurerm_network_interface", key(n["name"]), {
            "id": n["id"], "name": n["name"], "resource_group_name": rg_of(n["id"]), "location": n["location"],
            "ip_forwarding_enabled": n["enableIPForwarding"], "ip_configuration": configs}))
    for m in load("vm-list.json"):
        changes.append(change("azurerm_linux_virtual_machine", key(m["name"]), {
            "id": m["id"], "name": m["name"], "resource_group_name": rg_of(m["id"]), "location": m["location"],
            "size": "Standard_B2s",
            "network_interface_ids": [i["id"] for i in m["networkProfile"]["networkInterfaces"]]}))


def manager(changes):
    groups = load("network-manager-groups.json")
    manager_id = groups[0]["id"].rsplit("/networkGroups/", 1)[0]
    changes.append(change("azurerm_network_manager", "corp", {
        "id": manager_id, "name": manager_id.rsplit("/", 1)[1], "resource_group_name": rg_of(manager_id),
        "location": "eastus", "scope_accesses": ["Connectivity", "SecurityAdmin", "Routing"],
        "scope": [{"subscription_ids": ["/subscriptions/" + manager_id.split("/")[2]], "management_group_ids": []}]}))
    for g in groups:
        changes.append(change("azurerm_network_manager_network_group", key(g["name"]), {
            "id": g["id"], "name": g["name"], "network_manager_id": manager_id, "description": ""}))
    for m in load("network-manager-static-members.json"):
        changes.append(change("azurerm_network_manager_static_member", key(m["name"]), {
            "id": m["id"], "name": m["name"], "network_group_id": m["id"].rsplit("/staticMembers/", 1)[0],
            "target_virtual_network_id": m["resourceId"], "region": m["region"]}))
    return manager_id


def true(flag):
    return str(flag).lower() == "true"


def configurations(changes, manager_id):
    for c in load("network-manager-connectivity-configs.json"):
        changes.append(change("azurerm_network_manager_connectivity_configuration", key(c["name"]), {
            "id": c["id"], "name": c["name"], "network_manager_id": manager_id,
            "connectivity_topology": c["connectivityTopology"],
            "delete_existing_peering_enabled": true(c["deleteExistingPeering"]), "global_mesh_enabled": true(c["isGlobal"]),
            "hub": [{"resource_id": h["resourceId"], "resource_type": h["resourceType"]} for h in c["hubs"]],
            "applies_to_group": [{"group_connectivity": g["groupConnectivity"], "network_group_id": g["networkGroupId"],
                                  "global_mesh_enabled": true(g["isGlobal"]), "use_hub_gateway": true(g["useHubGateway"])}
                                 for g in c["appliesToGroups"]]}))
    for c in load("network-manager-security-admin-configs.json"):
        changes.append(change("azurerm_network_manager_security_admin_configuration", key(c["name"]), {
            "id": c["id"], "name": c["name"], "network_manager_id": manager_id,
            "apply_on_network_intent_policy_based_services": c["applyOnNetworkIntentPolicyBasedServices"]}))
    for rc in load("network-manager-admin-rule-collections.json"):
        changes.append(change("azurerm_network_manager_admin_rule_collection", key(rc["name"]), {
            "id": rc["id"], "name": rc["name"],
            "security_admin_configuration_id": rc["id"].rsplit("/ruleCollections/", 1)[0],
            "network_group_ids": [g["networkGroupId"] for g in rc["appliesToGroups"]]}))
    for r in load("network-manager-admin-rules.json"):
        address = lambda items: [{"address_prefix": a["addressPrefix"], "address_prefix_type": a["addressPrefixType"]} for a in items]
        changes.append(change("azurerm_network_manager_admin_rule", key(r["name"]), {
            "id": r["id"], "name": r["name"], "admin_rule_collection_id": r["id"].rsplit("/rules/", 1)[0],
            "action": r["access"], "direction": r["direction"], "priority": r["priority"], "protocol": r["protocol"],
            "source_port_ranges": r["sourcePortRanges"], "destination_port_ranges": r["destinationPortRanges"],
            "source": address(r["sources"]), "destination": address(r["destinations"]), "description": ""}))
    for c in load("network-manager-routing-configs.json"):
        changes.append(change("azurerm_network_manager_routing_configuration", key(c["name"]), {
            "id": c["id"], "name": c["name"], "network_manager_id": manager_id, "description": ""}))
    for rc in load("network-manager-routing-rule-collections.json"):
        changes.append(change("azurerm_network_manager_routing_rule_collection", key(rc["name"]), {
            "id": rc["id"], "name": rc["name"], "routing_configuration_id": rc["id"].rsplit("/ruleCollections/", 1)[0],
            "network_group_ids": [g["networkGroupId"] for g in rc["appliesTo"]],
            "bgp_route_propagation_enabled": not true(rc["disableBgpRoutePropagation"])}))
    for r in load("network-manager-routing-rules.json"):
        changes.append(change("azurerm_network_manager_routing_rule", key(r["name"]), {
            "id": r["id"], "name": r["name"], "rule_collection_id": r["id"].rsplit("/rules/", 1)[0],
            "destination": [{"type": r["destination"]["type"], "address": r["destination"]["destinationAddress"]}],
            "next_hop": [{"type": r["nextHop"]["nextHopType"], "address": r["nextHop"].get("nextHopAddress", "")}]}))


def deployments(changes, manager_id):
    kinds = [("Connectivity", "network-manager-connectivity-configs.json"),
             ("SecurityAdmin", "network-manager-security-admin-configs.json"),
             ("Routing", "network-manager-routing-configs.json")]
    for scope, name in kinds:
        changes.append(change("azurerm_network_manager_deployment", key(scope.lower()), {
            "id": f"{manager_id}/commit|eastus|{scope}", "network_manager_id": manager_id, "location": "eastus",
            "scope_access": scope, "configuration_ids": [c["id"] for c in load(name)], "triggers": None}))


def updated(changes, address, edit):
    """A plan that updates the one resource at `address` of `changes` with `edit(after)`."""
    c = json.loads(json.dumps(next(c for c in changes if c["address"] == address)))
    edit(c["change"]["after"])
    c["change"]["actions"] = ["update"]
    return {"format_version": "1.2", "terraform_version": "1.9.8", "planned_values": {"root_module": {}},
            "resource_changes": [c], "configuration": {"root_module": {}}}


def what_if_plans(changes):
    def allow(after):
        after["action"] = "Allow"

    def not_direct(after):
        for g in after["applies_to_group"]:
            g["group_connectivity"] = "None"

    plans = {"plan-admin-rule-allow.json": updated(changes, "azurerm_network_manager_admin_rule.deny_rdp", allow),
             "plan-spokes-not-directly-connected.json":
                 updated(changes, "azurerm_network_manager_connectivity_configuration.cc_hub_spoke", not_direct)}
    for name, doc in plans.items():
        with open(os.path.join(os.path.dirname(OUT), name), "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")


def main():
    changes = []
    network(changes)
    manager_id = manager(changes)
    configurations(changes, manager_id)
    deployments(changes, manager_id)
    doc = {"format_version": "1.2", "terraform_version": "1.9.8", "planned_values": {"root_module": {}},
           "resource_changes": changes, "configuration": {"root_module": {}}, "applyable": False, "complete": True,
           "errored": False}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    what_if_plans(changes)


if __name__ == "__main__":
    main()
