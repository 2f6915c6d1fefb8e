#!/usr/bin/env python3
"""Regenerates the test fixtures of `azroute collect` and `azroute verify` from the embedded
`hub-spoke` example:

- crates/azroute-collect/tests/fake-az/recordings/: what the fake `az` replays, shaped like real
  az CLI output (the example's files, one per az command, with secrets planted where a careless
  collector would leak them);
- crates/azroute-cli/tests/verify-fixtures/hub-spoke-agree/: Azure's effective routes for the example's
  NICs, taken from azroute's own answer, in each accepted file shape (current az, older az with
  `"nextLink": null` and `"name": null`, PowerShell, REST example);
- crates/azroute-cli/tests/verify-fixtures/hub-spoke-differ/: the same with known differences.

Run from the repository root after `cargo build`: python3 tools/make_collect_fixtures.py
(set AZROUTE to the binary to use; default target/debug/azroute, then $CARGO_TARGET_DIR).
"""

import copy
import json
import os
import shutil
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
ESTATE = os.path.join(ROOT, "crates", "azroute-cli", "estates", "hub-spoke")
FAKE = os.path.join(ROOT, "crates", "azroute-collect", "tests", "fake-az", "recordings")
VERIFY = os.path.join(ROOT, "crates", "azroute-cli", "tests", "verify-fixtures")

SUB = "00000000-0000-0000-0000-00000000a2e0"
DENIED = "11111111-2222-3333-4444-555555555555"
JWT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJQTEFOVEVEIjoiand0In0.c2lnbmF0dXJl"


def azroute():
    if os.environ.get("AZROUTE"):
        return os.environ["AZROUTE"]
    for target in [os.path.join(ROOT, "target"), os.environ.get("CARGO_TARGET_DIR", "")]:
        exe = os.path.join(target, "debug", "azroute")
        if target and os.path.exists(exe):
            return exe
    raise SystemExit("build azroute first (cargo build) or set AZROUTE")


def routes(nic):
    out = subprocess.run(
        [azroute(), "routes", "--example", "hub-spoke", "--nic", nic, "-o", "json"],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)["value"]


def az_routes(rs):
    """Routes as current az builds print `az network nic show-effective-route-table -o json`: the
    REST body, without null keys (docs/azure-routing-rules.md §7.2), which is also what `routes -o json`
    prints."""
    return {"value": [dict(sorted(r.items())) for r in rs]}


def az_routes_older(rs):
    """The same as older az builds printed it: `"nextLink": null`, and `"name": null` on routes
    without a name (verify accepts both)."""
    out = []
    for r in rs:
        r = dict(r)
        r.setdefault("name", None)
        out.append(dict(sorted(r.items())))
    return {"nextLink": None, "value": out}


def load(name):
    with open(os.path.join(ESTATE, name)) as f:
        return json.load(f)


def write(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        if isinstance(obj, str):
            f.write(obj)
        else:
            json.dump(obj, f, indent=2)
            f.write("\n")


def fake_az():
    if os.path.isdir(FAKE):
        shutil.rmtree(FAKE)
    write(os.path.join(FAKE, "version.json"),
          {"azure-cli": "2.67.0", "azure-cli-core": "2.67.0", "azure-cli-telemetry": "1.1.0", "extensions": {}})
    write(os.path.join(FAKE, "account-show.tsv"), SUB + "\n")
    write(os.path.join(FAKE, "contoso-hub", "account-show.tsv"), SUB + "\n")
    write(os.path.join(FAKE, "scenarios", "not-logged-in", "account-show.err"),
          "ERROR: Please run 'az login' to setup account.\n")
    write(os.path.join(FAKE, DENIED, "group-list.err"),
          f"ERROR: (AuthorizationFailed) The client 'alice@contoso.com' with object id '6f1b1d52-0a4a-4d0e-9d57-2f4a1a3c9e11' "
          f"does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourcegroups/read' over scope "
          f"'/subscriptions/{DENIED}' or the scope is invalid. If access was recently granted, please refresh your credentials.\n"
          "Code: AuthorizationFailed\n"
          f"Message: The client 'alice@contoso.com' with object id '6f1b1d52-0a4a-4d0e-9d57-2f4a1a3c9e11' does not have authorization "
          f"to perform action 'Microsoft.Resources/subscriptions/resourcegroups/read' over scope '/subscriptions/{DENIED}' or the scope is invalid.\n")
    d = os.path.join(FAKE, SUB)
    groups = []
    for rg in ["rg-app", "rg-network"]:
        groups.append({"id": f"/subscriptions/{SUB}/resourceGroups/{rg}", "location": "eastus", "managedBy": None,
                       "name": rg, "properties": {"provisioningState": "Succeeded"}, "tags": None,
                       "type": "Microsoft.Resources/resourceGroups"})
    write(os.path.join(d, "group-list.json"), groups)

    vnets = load("vnet-list.json")
    vnets[0]["tags"] = {"note": JWT}
    write(os.path.join(d, "network-vnet-list.json"), vnets)
    nics = load("nic-list.json")
    nics[0]["accessToken"] = "PLANTED-SECRET-access-token"
    write(os.path.join(d, "network-nic-list.json"), nics)
    tables = load("route-table-list.json")
    tables[0]["routes"][0]["refreshToken"] = "PLANTED-SECRET-refresh-token"
    write(os.path.join(d, "network-route-table-list.json"), tables)
    write(os.path.join(d, "network-nsg-list.json"), load("nsg-list.json"))
    write(os.path.join(d, "network-private-endpoint-list.json"), load("private-endpoint-list.json"))
    write(os.path.join(d, "network-public-ip-list.json"), load("public-ip-list.json"))
    write(os.path.join(d, "network-lb-list.json"), [])
    vms = load("vm-list.json")
    for vm in vms:
        vm["osProfile"] = {"adminPassword": None, "adminUsername": "azureuser", "computerName": vm["name"],
                           "customData": "PLANTED-SECRET-custom-data", "secrets": []}
        if vm["name"] == "vm-shared":
            vm["powerState"] = "VM deallocated"
    vms[0]["osProfile"]["adminPassword"] = "PLANTED-SECRET-password"
    write(os.path.join(d, "vm-list-d.json"), vms)

    gws = load("vnet-gateway-list.json")
    gws[0].setdefault("vpnClientConfiguration", {})["radiusServerSecret"] = "PLANTED-SECRET-radius"
    write(os.path.join(d, "network-vnet-gateway-list-rg-network.json"), gws)
    write(os.path.join(d, "network-local-gateway-list-rg-network.json"), load("local-gateway-list.json"))
    conns = load("vpn-connection-list.json")
    conns[0]["sharedKey"] = "PLANTED-SECRET-shared-key"
    write(os.path.join(d, "network-vpn-connection-list-rg-network.json"), conns)
    for kind in ["vnet-gateway", "local-gateway", "vpn-connection"]:
        write(os.path.join(d, f"network-{kind}-list-rg-app.json"), [])
    learned = load("learned-routes-vgw-hub.json")["learnedRoutes"]
    learned = copy.deepcopy(learned)
    learned["clientSecret"] = "PLANTED-SECRET-client-secret"
    write(os.path.join(d, "network-vnet-gateway-list-learned-routes-rg-network-vgw-hub.json"), learned)

    tags = load("service-tags.json")
    tags = {"changeNumber": tags.get("changeNumber"), "cloud": tags.get("cloud", "Public"),
            "id": f"/subscriptions/{SUB}/providers/Microsoft.Network/serviceTags/Public",
            "name": "Public", "nextLink": None, "type": "Microsoft.Network/serviceTags", "values": tags["values"]}
    write(os.path.join(d, "network-list-service-tags-eastus.json"), tags)

    firewall_recordings(d)
    avnm_recordings(d)
    platform_recordings(d)

    # Effective routes of running VMs' NICs: vm-shared is deallocated; vm-fw's call fails.
    for nic in ["nic-app1", "nic-app2"]:
        write(os.path.join(d, f"network-nic-show-effective-route-table-rg-network-{nic}.json"), az_routes(routes(nic)))
    write(os.path.join(d, "network-nic-show-effective-route-table-rg-network-nic-fw.err"),
          "ERROR: (InternalServerError) An error occurred.\nCode: InternalServerError\nMessage: An error occurred.\n")


def firewall_recordings(d):
    """The Azure Firewall lists (az extension `azure-firewall`): the `hub-firewall` example's
    policies and their rule collection groups (one list per policy), no firewall, no IP groups,
    no Bastion; and, in the scenario `missing-extensions`, the firewall and Bastion lists failing as az
    does when their extensions are not installed."""
    fw = os.path.join(ROOT, "crates", "azroute-cli", "estates", "hub-firewall")

    def load_fw(name):
        with open(os.path.join(fw, name)) as f:
            return json.load(f)

    # No firewall: hub-spoke's VNets have no AzureFirewallSubnet for it to sit in.
    write(os.path.join(d, "network-firewall-list.json"), [])
    policies = load_fw("firewall-policy-list.json")
    for p in policies:
        p.pop("firewalls", None)
    write(os.path.join(d, "network-firewall-policy-list.json"), policies)
    groups = load_fw("firewall-policy-rule-collection-groups.json")
    for p in policies:
        mine = [g for g in groups if f"/firewallPolicies/{p['name']}/" in g["id"]]
        write(os.path.join(d, f"network-firewall-policy-rule-collection-group-list-{p['name']}-{p['resourceGroup']}.json"), mine)
    write(os.path.join(d, "network-ip-group-list.json"), [])
    write(os.path.join(d, "network-bastion-list.json"), [])
    missing = os.path.join(FAKE, "scenarios", "missing-extensions", SUB)
    for key, extension in [("network-bastion-list", "bastion"), ("network-firewall-list", "azure-firewall"),
                           ("network-firewall-policy-list", "azure-firewall")]:
        write(os.path.join(missing, f"{key}.err"),
              f"ERROR: The command requires the extension {extension}. Unable to prompt for extension install confirmation "
              "as no tty available. Run 'az config set extension.use_dynamic_install=yes_without_prompt' to allow "
              "installing extensions without prompt.\n")


def avnm_recordings(d):
    """Azure Virtual Network Manager (az extension `virtual-network-manager`): no network manager
    in the default scenario; in the scenario `avnm`, manager `avnm-hub` with a regional mesh over
    the spokes, a Deny admin rule on RDP, the active lists and each VNet's effective answers; in
    `missing-extensions` the extension is not installed (docs/azure-routing-rules.md §18.6)."""
    write(os.path.join(d, "network-manager-list.json"), [])
    missing = os.path.join(FAKE, "scenarios", "missing-extensions", SUB)
    write(os.path.join(missing, "network-manager-list.err"),
          "ERROR: The command requires the extension virtual-network-manager. Unable to prompt for extension install "
          "confirmation as no tty available. Run 'az config set extension.use_dynamic_install=yes_without_prompt' to "
          "allow installing extensions without prompt.\n")
    a = os.path.join(FAKE, "scenarios", "avnm", SUB)
    net = f"/subscriptions/{SUB}/resourceGroups/rg-network/providers/Microsoft.Network"
    manager = f"{net}/networkManagers/avnm-hub"
    group = f"{manager}/networkGroups/ng-spokes"
    mesh_id = f"{manager}/connectivityConfigurations/cc-spokes-mesh"
    mesh = {"connectivityTopology": "Mesh", "isGlobal": "True", "deleteExistingPeering": "False", "hubs": [],
            "appliesToGroups": [{"networkGroupId": group, "groupConnectivity": "None", "isGlobal": "False",
                                 "useHubGateway": "False"}]}
    rule_id = f"{manager}/securityAdminConfigurations/sac/ruleCollections/rc/rules/deny-rdp"
    rule = {"access": "Deny", "direction": "Inbound", "priority": 10, "protocol": "Tcp",
            "sources": [{"addressPrefix": "*", "addressPrefixType": "IPPrefix"}],
            "destinations": [{"addressPrefix": "*", "addressPrefixType": "IPPrefix"}],
            "sourcePortRanges": ["0-65535"], "destinationPortRanges": ["3389"]}
    mg = "avnm-hub-rg-network"
    write(os.path.join(a, "network-manager-list.json"),
          [{"id": manager, "name": "avnm-hub", "resourceGroup": "rg-network", "location": "eastus",
            "networkManagerScopeAccesses": ["Connectivity", "SecurityAdmin"],
            "type": "Microsoft.Network/networkManagers"}])
    write(os.path.join(a, f"network-manager-group-list-{mg}.json"),
          [{"id": group, "name": "ng-spokes", "memberType": "VirtualNetwork", "resourceGroup": "rg-network",
            "type": "Microsoft.Network/networkManagers/networkGroups"}])
    write(os.path.join(a, f"network-manager-connectivity-config-list-{mg}.json"),
          [dict(mesh, id=mesh_id, name="cc-spokes-mesh", resourceGroup="rg-network",
                type="Microsoft.Network/networkManagers/connectivityConfigurations")])
    write(os.path.join(a, f"network-manager-security-admin-config-list-{mg}.json"),
          [{"id": f"{manager}/securityAdminConfigurations/sac", "name": "sac", "resourceGroup": "rg-network",
            "applyOnNetworkIntentPolicyBasedServices": ["None"],
            "type": "Microsoft.Network/networkManagers/securityAdminConfigurations"}])
    write(os.path.join(a, f"network-manager-routing-config-list-{mg}.json"), [])
    regions = "eastus-westeurope"
    write(os.path.join(a, f"network-manager-list-active-connectivity-config-{mg}-{regions}.json"),
          {"value": [{"region": "eastus", "commitTime": "2025-06-01T10:00:00Z", "id": mesh_id, "properties": mesh,
                      "configurationGroups": [{"id": group}]}], "skipToken": ""})
    write(os.path.join(a, f"network-manager-list-active-security-admin-rule-{mg}-{regions}.json"),
          {"value": [{"region": "eastus", "commitTime": "2025-06-01T10:00:00Z", "id": rule_id, "kind": "Custom",
                      "properties": rule, "ruleCollectionAppliesToGroups": [{"networkGroupId": group}]}],
           "skipToken": ""})
    for vnet, member in [("vnet-hub", False), ("vnet-spoke1", True), ("vnet-spoke2", True)]:
        connectivity = [{"id": mesh_id, "properties": mesh, "configurationGroups": [{"id": group}]}] if member else []
        admin = [{"id": rule_id, "kind": "Custom", "properties": rule, "configurationDescription": "",
                  "ruleCollectionAppliesToGroups": [{"networkGroupId": group}]}] if member else []
        write(os.path.join(a, f"network-manager-list-effective-connectivity-config-rg-network-{vnet}.json"),
              {"value": connectivity, "skipToken": ""})
        write(os.path.join(a, f"network-manager-list-effective-security-admin-rule-rg-network-{vnet}.json"),
              {"value": admin, "skipToken": ""})
def platform_recordings(d):
    """The egress and platform-service lists (§17.1): empty in the recorded subscription (the
    hub-spoke example has none); in the scenario `platform`, a Uniform scale set with one instance
    NIC (listed by `az vmss nic list` only), a Flexible one (whose NICs are ordinary NICs), and a
    DNS resolver with one inbound endpoint (az extension `dns-resolver`, missing in the scenario
    `missing-extensions`)."""
    for key in ["network-nat-gateway-list", "network-public-ip-prefix-list", "network-application-gateway-list",
                "vmss-list", "dns-resolver-list"]:
        write(os.path.join(d, f"{key}.json"), [])
    platform = os.path.join(FAKE, "scenarios", "platform", SUB)
    compute = f"/subscriptions/{SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachineScaleSets"
    subnet = f"/subscriptions/{SUB}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-spoke1/subnets/snet-workload"
    scale_sets = []
    for name, mode in [("vmss-web", "Uniform"), ("vmss-flex", "Flexible")]:
        scale_sets.append({"id": f"{compute}/{name}", "name": name, "resourceGroup": "rg-app", "location": "eastus",
                           "type": "Microsoft.Compute/virtualMachineScaleSets", "orchestrationMode": mode,
                           "virtualMachineProfile": {"networkProfile": {"networkInterfaceConfigurations": [
                               {"name": "nic", "ipConfigurations": [{"name": "ipconfig1", "subnet": {"id": subnet}}]}]}}})
    write(os.path.join(platform, "vmss-list.json"), scale_sets)
    nic_id = f"{compute}/vmss-web/virtualMachines/0/networkInterfaces/nic"
    write(os.path.join(platform, "vmss-nic-list-rg-app-vmss-web.json"), [{
        "id": nic_id, "name": "nic", "resourceGroup": "rg-app", "type": "Microsoft.Network/networkInterfaces",
        "ipConfigurations": [{"id": f"{nic_id}/ipConfigurations/ipconfig1", "name": "ipconfig1", "primary": True,
                              "privateIPAddress": "10.1.1.10", "subnet": {"id": subnet}}]}])
    resolver = f"/subscriptions/{SUB}/resourceGroups/rg-network/providers/Microsoft.Network/dnsResolvers/dnspr-hub"
    write(os.path.join(platform, "dns-resolver-list.json"), [{
        "id": resolver, "name": "dnspr-hub", "resourceGroup": "rg-network", "location": "eastus",
        "type": "Microsoft.Network/dnsResolvers"}])
    write(os.path.join(platform, "dns-resolver-inbound-endpoint-list-rg-network-dnspr-hub.json"), [{
        "id": f"{resolver}/inboundEndpoints/in", "name": "in", "resourceGroup": "rg-network", "location": "eastus",
        "type": "Microsoft.Network/dnsResolvers/inboundEndpoints",
        "ipConfigurations": [{"privateIpAddress": "10.0.2.10", "privateIpAllocationMethod": "Static",
                              "subnet": {"id": f"/subscriptions/{SUB}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-shared"}}]}])
    missing = os.path.join(FAKE, "scenarios", "missing-extensions", SUB)
    write(os.path.join(missing, "dns-resolver-list.err"),
          "ERROR: The command requires the extension dns-resolver. Unable to prompt for extension install confirmation "
          "as no tty available. Run 'az config set extension.use_dynamic_install=yes_without_prompt' to allow "
          "installing extensions without prompt.\n")


def pascal(rs):
    """PowerShell's `Get-AzEffectiveRouteTable | ConvertTo-Json`: a bare list, PascalCase keys."""
    out = []
    for r in rs:
        out.append({"Name": r.get("name"), "DisableBgpRoutePropagation": r["disableBgpRoutePropagation"],
                    "State": r["state"], "Source": r["source"], "AddressPrefix": r["addressPrefix"],
                    "NextHopType": r["nextHopType"], "NextHopIpAddress": r["nextHopIpAddress"]})
    return out


def nic_id(nic):
    return f"/subscriptions/{SUB}/resourceGroups/rg-network/providers/Microsoft.Network/networkInterfaces/{nic}"


def rest_example(rs, nic):
    return {"parameters": {"subscriptionId": SUB, "resourceGroupName": "rg-network", "networkInterfaceName": nic,
                           "api-version": "2024-05-01"},
            "responses": {"200": {"body": {"value": rs}}, "202": {}}}


def verify_sets():
    base = {nic: routes(nic) for nic in ["nic-app1", "nic-app2", "nic-shared", "nic-fw"]}

    def write_set(name, rs):
        d = os.path.join(VERIFY, name)
        if os.path.isdir(d):
            shutil.rmtree(d)
        write(os.path.join(d, "nic-app1.json"), az_routes(rs["nic-app1"]))
        write(os.path.join(d, "nic-app2.json"), pascal(rs["nic-app2"]))
        write(os.path.join(d, "nic-shared.json"), rest_example(rs["nic-shared"], "nic-shared"))
        write(os.path.join(d, "fw.json"), {"nicId": nic_id("nic-fw"), "effectiveRoutes": az_routes_older(rs["nic-fw"])})

    write_set("hub-spoke-agree", base)

    differ = copy.deepcopy(base)

    def find(rs, source, prefix, hop=None):
        for r in rs:
            if r["source"] == source and r["addressPrefix"] == [prefix] and (hop is None or r["nextHopType"] == hop):
                return r
        raise SystemExit(f"no route {source} {prefix}")

    app1 = differ["nic-app1"]
    app1.remove(find(app1, "Default", "10.1.2.4/32"))                    # missing
    find(app1, "Default", "0.0.0.0/0")["state"] = "Active"                # changed: state
    app2 = differ["nic-app2"]
    app2.append({"addressPrefix": ["10.3.0.0/16"], "disableBgpRoutePropagation": False, "nextHopIpAddress": [],
                 "nextHopType": "ConnectedGroup", "source": "Default", "state": "Active"})   # extra: AVNM
    app2.append({"addressPrefix": ["127.0.0.0/8"], "disableBgpRoutePropagation": False, "nextHopIpAddress": [],
                 "nextHopType": "None", "source": "Default", "state": "Active"})             # extra: platform None
    shared = differ["nic-shared"]
    find(shared, "VirtualNetworkGateway", "172.17.0.0/16")["nextHopIpAddress"] = ["10.0.0.4"]  # changed: IPs
    shared.append({"addressPrefix": ["192.168.50.0/24"], "disableBgpRoutePropagation": False,
                   "nextHopIpAddress": ["10.0.1.4"], "nextHopType": "VirtualNetworkGateway",
                   "source": "VirtualNetworkGateway", "state": "Active"})                   # extra: Route Server
    fw = differ["nic-fw"]
    find(fw, "Default", "10.2.0.0/16")["nextHopType"] = "VNetPeering"     # changed: next hop type
    write_set("hub-spoke-differ", differ)


if __name__ == "__main__":
    fake_az()
    verify_sets()
