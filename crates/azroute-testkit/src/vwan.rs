//! Virtual WAN in test estates (§20): hubs with router addresses, spoke connections with a
//! `routingConfiguration`, hub route tables, routing intent, hub firewalls and NVAs (with their
//! `nvaSku` and instances), VPN gateways and sites, ExpressRoute gateways, and observed hub
//! effective routes as the wrapper file `{"virtualHubId", "resourceId", "effectiveRoutes"}`.

use serde_json::{Value, json};

use crate::{Estate, id};

/// The id of a hub's route table.
pub fn hub_table_id(hub: &str, table: &str) -> String {
    format!("{}/hubRouteTables/{table}", id("virtualHubs", hub))
}

/// The id of a hub's VNet connection.
pub fn hub_connection_id(hub: &str, connection: &str) -> String {
    format!("{}/hubVirtualNetworkConnections/{connection}", id("virtualHubs", hub))
}

/// `routingConfiguration`: associated table, propagated tables (by name, of `hub`) and labels.
pub fn routing(hub: &str, associated: &str, propagated: &[&str], labels: &[&str]) -> Value {
    let ids: Vec<Value> = propagated.iter().map(|t| json!({"id": hub_table_id(hub, t)})).collect();
    json!({
        "associatedRouteTable": {"id": hub_table_id(hub, associated)},
        "propagatedRouteTables": {"ids": ids, "labels": labels}
    })
}

impl Estate {
    /// Adds a resource, replacing one with the same id (a test redefines a connection).
    fn upsert(&mut self, resource: Value) -> bool {
        match self.others.iter_mut().find(|r| r["id"] == resource["id"]) {
            Some(existing) => {
                *existing = resource;
                true
            }
            None => {
                self.others.push(resource);
                false
            }
        }
    }

    /// A Virtual WAN hub of WAN `wan` with its router addresses and routing preference.
    pub fn vwan_hub(&mut self, name: &str, prefix: &str, router_ips: &[&str], preference: &str) -> &mut Estate {
        self.others.push(json!({
            "id": id("virtualHubs", name), "name": name, "type": "Microsoft.Network/virtualHubs", "location": "eastus",
            "properties": {"virtualWan": {"id": id("virtualWans", "wan")}, "addressPrefix": prefix, "sku": "Standard",
                "virtualRouterAsn": 65515, "virtualRouterIps": router_ips, "hubRoutingPreference": preference,
                "routingState": "Provisioned"}
        }));
        self
    }

    /// A spoke VNet connected to `hub`, with its routing configuration (`Value::Null`: none
    /// stated) and `enableInternetSecurity`; the spoke's `RemoteVnetToHubPeering_*` too.
    pub fn hub_connection(
        &mut self,
        hub: &str,
        name: &str,
        spoke: &str,
        routing: Value,
        internet_security: bool,
    ) -> &mut Estate {
        let hub_prefix = self
            .others
            .iter()
            .find(|r| r["name"] == hub && r["type"] == "Microsoft.Network/virtualHubs")
            .map(|r| r["properties"]["addressPrefix"].as_str().unwrap_or("").to_string())
            .unwrap_or_default();
        let mut properties = json!({
            "remoteVirtualNetwork": {"id": id("virtualNetworks", spoke)},
            "enableInternetSecurity": internet_security, "provisioningState": "Succeeded"
        });
        if !routing.is_null() {
            properties["routingConfiguration"] = routing;
        }
        let replaced = self.upsert(json!({
            "id": hub_connection_id(hub, name), "name": name,
            "type": "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections", "properties": properties
        }));
        if replaced {
            return self;
        }
        self.connect_to_virtual_wan_hub(spoke, hub, &hub_prefix)
    }

    /// A hub route table with its labels and static routes `(name, destinations, next hop id)`.
    pub fn hub_route_table(
        &mut self,
        hub: &str,
        name: &str,
        labels: &[&str],
        routes: &[(&str, &[&str], String)],
    ) -> &mut Estate {
        let routes: Vec<Value> = routes
            .iter()
            .map(|(n, d, hop)| json!({"name": n, "destinationType": "CIDR", "destinations": d, "nextHopType": "ResourceId", "nextHop": hop}))
            .collect();
        self.upsert(json!({
            "id": hub_table_id(hub, name), "name": name, "type": "Microsoft.Network/virtualHubs/hubRouteTables",
            "properties": {"routes": routes, "labels": labels}
        }));
        self
    }

    /// An `AZFW_Hub` firewall in `hub` with its private address.
    pub fn hub_firewall(&mut self, name: &str, hub: &str, private_ip: &str) -> &mut Estate {
        self.others.push(json!({
            "id": id("azureFirewalls", name), "name": name, "type": "Microsoft.Network/azureFirewalls", "location": "eastus",
            "properties": {"sku": {"name": "AZFW_Hub", "tier": "Standard"}, "virtualHub": {"id": id("virtualHubs", hub)},
                "hubIPAddresses": {"privateIPAddress": private_ip}, "threatIntelMode": "Alert"}
        }));
        self
    }

    /// A network virtual appliance inside `hub` with its NICs' private addresses.
    pub fn hub_nva(&mut self, name: &str, hub: &str, private_ips: &[&str]) -> &mut Estate {
        let nics: Vec<Value> = private_ips
            .iter()
            .enumerate()
            .map(|(i, ip)| json!({"name": format!("nic{i}"), "privateIpAddress": ip}))
            .collect();
        self.others.push(json!({
            "id": id("networkVirtualAppliances", name), "name": name,
            "type": "Microsoft.Network/networkVirtualAppliances", "location": "eastus",
            "properties": {"virtualHub": {"id": id("virtualHubs", hub)}, "virtualApplianceAsn": 64512,
                "virtualApplianceNics": nics}
        }));
        self
    }

    /// Gives hub NVA `name` its `nvaSku.vendor` and spreads its NICs over `instances`
    /// (`virtualApplianceNics[].instanceName`, NIC `i` in instance `i % instances.len()`).
    pub fn nva_sku(&mut self, name: &str, vendor: &str, instances: &[&str]) -> &mut Estate {
        let nva = self
            .others
            .iter_mut()
            .find(|r| r["id"] == id("networkVirtualAppliances", name))
            .expect("nva_sku names a hub_nva");
        nva["properties"]["nvaSku"] =
            json!({"vendor": vendor, "bundledScaleUnit": "2", "marketPlaceVersion": "latest"});
        if let Some(nics) = nva["properties"]["virtualApplianceNics"].as_array_mut() {
            for (i, nic) in nics.iter_mut().enumerate().filter(|_| !instances.is_empty()) {
                nic["instanceName"] = json!(instances[i % instances.len()]);
            }
        }
        self
    }

    /// Routing intent on `hub`: `(Internet | PrivateTraffic, next hop id)` policies.
    pub fn routing_intent(&mut self, hub: &str, policies: &[(&str, String)]) -> &mut Estate {
        let policies: Vec<Value> = policies
            .iter()
            .map(|(kind, hop)| json!({"name": format!("{kind}Policy"), "destinations": [kind], "nextHop": hop}))
            .collect();
        self.others.push(json!({
            "id": format!("{}/routingIntent/intent", id("virtualHubs", hub)), "name": "intent",
            "type": "Microsoft.Network/virtualHubs/routingIntent", "properties": {"routingPolicies": policies}
        }));
        self
    }

    /// A VPN site with its address space and BGP ASN.
    pub fn vpn_site(&mut self, name: &str, prefixes: &[&str], asn: u32) -> &mut Estate {
        self.upsert(json!({
            "id": id("vpnSites", name), "name": name, "type": "Microsoft.Network/vpnSites", "location": "eastus",
            "properties": {"virtualWan": {"id": id("virtualWans", "wan")}, "addressSpace": {"addressPrefixes": prefixes},
                "vpnSiteLinks": [{"id": format!("{}/vpnSiteLinks/link1", id("vpnSites", name)), "name": "link1",
                    "properties": {"ipAddress": "203.0.113.10", "bgpProperties": {"asn": asn, "bgpPeeringAddress": "192.168.255.1"}}}]}
        }));
        self
    }

    /// Sets `enableInternetSecurity` of a connection of a hub VPN gateway (VW-5, RI-6).
    pub fn vpn_connection_internet_security(&mut self, gateway: &str, connection: &str, on: bool) -> &mut Estate {
        let gw = id("vpnGateways", gateway);
        let r = self.others.iter_mut().find(|r| r["id"] == gw).unwrap_or_else(|| panic!("no VPN gateway {gateway}"));
        let c = r["properties"]["connections"]
            .as_array_mut()
            .and_then(|cs| cs.iter_mut().find(|c| c["name"] == connection))
            .unwrap_or_else(|| panic!("no connection {connection} of {gateway}"));
        c["properties"]["enableInternetSecurity"] = json!(on);
        self
    }

    /// A hub VPN gateway with its instances and one connection per `(connection, site, bgp,
    /// routing)` (routing `Value::Null`: none stated).
    pub fn vpn_gateway(
        &mut self,
        name: &str,
        hub: &str,
        instance_ips: &[&str],
        connections: &[(&str, &str, bool, Value)],
    ) -> &mut Estate {
        let gw = id("vpnGateways", name);
        let instances: Vec<Value> = instance_ips
            .iter()
            .enumerate()
            .map(|(i, ip)| json!({"ipconfigurationId": format!("Instance{i}"), "defaultBgpIpAddresses": [ip], "tunnelIpAddresses": [format!("198.51.100.{}", 10 + i)]}))
            .collect();
        let conns: Vec<Value> = connections
            .iter()
            .map(|(c, site, bgp, routing)| {
                let mut p = json!({"remoteVpnSite": {"id": id("vpnSites", site)}, "enableInternetSecurity": false, "enableBgp": bgp});
                if !routing.is_null() {
                    p["routingConfiguration"] = routing.clone();
                }
                json!({"id": format!("{gw}/vpnConnections/{c}"), "name": c, "properties": p})
            })
            .collect();
        self.upsert(json!({
            "id": gw, "name": name, "type": "Microsoft.Network/vpnGateways", "location": "eastus",
            "properties": {"virtualHub": {"id": id("virtualHubs", hub)},
                "bgpSettings": {"asn": 65515, "bgpPeeringAddresses": instances}, "connections": conns}
        }));
        self
    }

    /// A hub ExpressRoute gateway with one connection.
    pub fn express_route_gateway(&mut self, name: &str, hub: &str, connection: &str) -> &mut Estate {
        let gw = id("expressRouteGateways", name);
        self.others.push(json!({
            "id": gw, "name": name, "type": "Microsoft.Network/expressRouteGateways", "location": "eastus",
            "properties": {"virtualHub": {"id": id("virtualHubs", hub)}, "expressRouteConnections": [
                {"id": format!("{gw}/expressRouteConnections/{connection}"), "name": connection,
                 "properties": {"enableInternetSecurity": false, "expressRouteCircuitPeering": {"id": format!("{}/peerings/AzurePrivatePeering", id("expressRouteCircuits", "circuit"))}}}]}
        }));
        self
    }

    /// Hub effective routes as Azure reported them for `table` of `hub`: `(prefix, next hop
    /// type, next hop id, AS path)`.
    pub fn observed_hub_routes(
        &mut self,
        hub: &str,
        table: &str,
        routes: &[(&str, &str, String, &str)],
    ) -> &mut Estate {
        let value: Vec<Value> = routes
            .iter()
            .map(|(p, t, hop, path)| json!({"addressPrefixes": [p], "nextHops": [hop], "nextHopType": t, "routeOrigin": hop, "asPath": path}))
            .collect();
        self.learned.push(json!({
            "virtualHubId": id("virtualHubs", hub), "resourceId": hub_table_id(hub, table), "effectiveRoutes": {"value": value}
        }));
        self
    }
}
