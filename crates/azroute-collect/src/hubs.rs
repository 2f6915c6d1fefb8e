//! Collecting Virtual WAN and Route Server estates (docs/azure-routing-rules.md §19, §20.7):
//! the Virtual WAN resources (az extension `virtual-wan`; a missing extension is recorded with
//! the command that installs it), ExpressRoute gateways, hub NVAs and Route Servers (core az), and the
//! observed state configuration cannot give: each Route Server peer's and each hub BGP peer's
//! learned routes, wrapped as `{"bgpConnectionId", "learnedRoutes"}`, and each hub route
//! table's effective routes,
//! wrapped as `{"virtualHubId", "resourceId", "effectiveRoutes"}`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::*;

/// The az extension that holds `vwan`, `vhub`, `vpn-gateway` and `vpn-site`.
pub const VIRTUAL_WAN_EXTENSION: &str = "virtual-wan";

/// The subscription-wide Virtual WAN lists: file name and az command.
const VWAN_LISTS: &[(&str, &[&str])] = &[
    ("vwan-list.json", &["network", "vwan", "list"]),
    ("vhub-list.json", &["network", "vhub", "list"]),
    ("vpn-gateway-list.json", &["network", "vpn-gateway", "list"]),
    ("vpn-site-list.json", &["network", "vpn-site", "list"]),
];

/// The lists of one Virtual WAN hub: file prefix, az command and the flag naming the hub.
const HUB_LISTS: &[(&str, &[&str], &str)] = &[
    ("vhub-connection-list", &["network", "vhub", "connection", "list"], "--vhub-name"),
    ("vhub-route-table-list", &["network", "vhub", "route-table", "list"], "--vhub-name"),
    ("vhub-routing-intent-list", &["network", "vhub", "routing-intent", "list"], "--vhub"),
    ("vhub-bgpconnection-list", &["network", "vhub", "bgpconnection", "list"], "--vhub-name"),
];

/// A resource of a list output: id, resource group, name.
#[derive(Clone, Debug)]
struct Named {
    id: String,
    group: String,
    name: String,
}

/// Where a BGP peer's learned routes are listed: the az command words, the flag naming the
/// peer's owner (a Route Server or a virtual hub) and that owner.
struct PeerParent<'a> {
    words: [&'static str; 2],
    flag: &'static str,
    owner: &'a Named,
}

/// The resources of a list output that have an id.
fn named(value: &Value) -> Vec<Named> {
    items(value)
        .iter()
        .filter_map(|item| {
            let id = str_field(item, "id")?;
            let name = str_field(item, "name").unwrap_or_else(|| last_segment(&id).to_string());
            let group = group_of(&id).or_else(|| str_field(item, "resourceGroup")).unwrap_or_default();
            Some(Named { id, group, name })
        })
        .collect()
}

/// A Virtual WAN hub (with `virtualWan.id`), not a Route Server (§19.1).
fn is_virtual_wan_hub(item: &Value) -> bool {
    let wan = item.get("virtualWan").or_else(|| item.get("properties").and_then(|p| p.get("virtualWan")));
    wan.and_then(|w| w.get("id")).and_then(Value::as_str).is_some_and(|id| !id.is_empty())
}

/// How one call's output is written.
struct Target<'a> {
    /// The file, relative to the snapshot directory.
    rel: String,
    /// The wrapper's id fields and the key of the output, if wrapped.
    wrapper: Option<(&'a [(&'a str, &'a str)], &'a str)>,
    /// What the progress line calls it.
    label: String,
    /// The az extension the command lives in, if any.
    extension: Option<&'a str>,
}

impl<'a> Target<'a> {
    /// A subscription-wide list saved as az wrote it: `<sub>/<file>`, called by its command.
    fn list(sub: &str, file: &str, base: &[&str], extension: Option<&'a str>) -> Target<'a> {
        Target { rel: format!("{sub}/{file}"), wrapper: None, label: base.join(" "), extension }
    }
}

/// What one call gave: its output, or whether it failed for a missing extension.
enum Step {
    Written(Value),
    ExtensionMissing,
    Failed,
}

impl Session<'_> {
    /// One az call written to its file; a failure is recorded (a missing extension once, with
    /// the command that installs it).
    fn step(
        &self,
        sub: &str,
        base: &[&str],
        target: Target<'_>,
        record: &mut SubscriptionRecord,
    ) -> Result<Step, CollectError> {
        let (command, fetched) = self.fetch(base, sub)?;
        match fetched {
            Ok(value) => {
                let json = value.1.clone();
                if let Some(dir) = self.out.join(&target.rel).parent() {
                    create_dir(dir)?;
                }
                let rec = self.persist(&target.rel, &command, value, target.wrapper)?;
                (self.progress)(&format!("  {}: {} resource(s)", target.label, rec.resources));
                record.files.push(rec);
                Ok(Step::Written(json))
            }
            Err(f) if f.kind == FailureKind::ExtensionMissing && target.extension.is_some() => {
                self.extension_missing(&target.label, target.extension.unwrap_or_default(), &command, &f, record);
                Ok(Step::ExtensionMissing)
            }
            Err(f) => {
                (self.progress)(&format!("  {}: failed ({}): {}", target.label, f.kind.code(), first_line(&f.message)));
                record.failures.push(failure(&command, &f));
                Ok(Step::Failed)
            }
        }
    }

    /// Virtual WAN: the subscription-wide lists, then each hub's connections, route tables,
    /// routing intent, BGP connections and route tables' effective routes; the ExpressRoute
    /// gateways and their connections. Without the `virtual-wan` extension the rest of the
    /// Virtual WAN calls are skipped (one failure says why).
    pub(super) fn virtual_wan(&self, sub: &str, record: &mut SubscriptionRecord) -> Result<(), CollectError> {
        let mut hubs: Vec<Named> = Vec::new();
        for (file, base) in VWAN_LISTS {
            let target = Target::list(sub, file, base, Some(VIRTUAL_WAN_EXTENSION));
            match self.step(sub, base, target, record)? {
                Step::Written(value) if *file == "vhub-list.json" => {
                    let wan_hubs: Vec<Value> =
                        items(&value).iter().filter(|h| is_virtual_wan_hub(h)).cloned().collect();
                    hubs = named(&Value::Array(wan_hubs));
                }
                Step::ExtensionMissing => {
                    hubs.clear();
                    break;
                }
                _ => {}
            }
        }
        let mut used_names: BTreeSet<String> = BTreeSet::new();
        for hub in &hubs {
            let stem = unique_name(&mut used_names, &hub.name, &hub.group);
            self.hub(sub, hub, &stem, record)?;
        }
        self.expressroute_gateways(sub, record)?;
        self.virtual_appliances(sub, record)
    }

    /// Network virtual appliances (core az, `az network virtual-appliance list`): a hub NVA's
    /// vendor and instances decide whether routing intent's ECMP to it can split a flow
    /// (RI-11, §20.17), and its private addresses are routing intent's next hop.
    fn virtual_appliances(&self, sub: &str, record: &mut SubscriptionRecord) -> Result<(), CollectError> {
        let base = ["network", "virtual-appliance", "list"];
        let target = Target::list(sub, "virtual-appliance-list.json", &base, None);
        self.step(sub, &base, target, record)?;
        Ok(())
    }

    /// One Virtual WAN hub's lists, its route tables' effective routes and its BGP peers'
    /// learned routes.
    fn hub(&self, sub: &str, hub: &Named, stem: &str, record: &mut SubscriptionRecord) -> Result<(), CollectError> {
        let mut tables: Vec<Named> = Vec::new();
        let mut peers: Vec<Named> = Vec::new();
        for (prefix, base, hub_flag) in HUB_LISTS {
            let mut full: Vec<&str> = base.to_vec();
            full.extend([*hub_flag, hub.name.as_str(), "-g", hub.group.as_str()]);
            let target = Target {
                rel: format!("{sub}/{prefix}-{stem}.json"),
                wrapper: None,
                label: format!("{} of hub {}", base[2..].join(" "), hub.name),
                extension: Some(VIRTUAL_WAN_EXTENSION),
            };
            if let Step::Written(value) = self.step(sub, &full, target, record)? {
                match *prefix {
                    "vhub-route-table-list" => tables = named(&value),
                    "vhub-bgpconnection-list" => peers = named(&value),
                    _ => {}
                }
            }
        }
        self.hub_peers_learned(sub, hub, stem, &peers, record)?;
        let mut used_names: BTreeSet<String> = BTreeSet::new();
        for table in &tables {
            let table_stem = unique_name(&mut used_names, &table.name, &table.group);
            let base = [
                "network",
                "vhub",
                "get-effective-routes",
                "-g",
                hub.group.as_str(),
                "-n",
                hub.name.as_str(),
                "--resource-type",
                "RouteTable",
                "--resource-id",
                table.id.as_str(),
            ];
            let ids = [("virtualHubId", hub.id.as_str()), ("resourceId", table.id.as_str())];
            let target = Target {
                rel: format!("{sub}/vhub-effective-routes-{stem}-{table_stem}.json"),
                wrapper: Some((&ids, "effectiveRoutes")),
                label: format!("effective routes of hub {} route table {}", hub.name, table.name),
                extension: Some(VIRTUAL_WAN_EXTENSION),
            };
            self.step(sub, &base, target, record)?;
        }
        Ok(())
    }

    /// One BGP peer's learned routes, in the wrapper `{"bgpConnectionId", "learnedRoutes"}` that a
    /// Route Server peer (§19.4) and a hub BGP peer (§20.7) share: `az network <words>
    /// list-learned-routes -g G <flag> OWNER -n PEER`.
    #[allow(clippy::too_many_arguments)]
    fn peer_learned_routes(
        &self,
        sub: &str,
        stem: &str,
        parent: &PeerParent<'_>,
        peer: &Named,
        owner_label: String,
        extension: Option<&'static str>,
        record: &mut SubscriptionRecord,
    ) -> Result<Step, CollectError> {
        let [noun, child] = parent.words;
        let base = [
            "network",
            noun,
            child,
            "list-learned-routes",
            "-g",
            parent.owner.group.as_str(),
            parent.flag,
            parent.owner.name.as_str(),
            "-n",
            peer.name.as_str(),
        ];
        let ids = [("bgpConnectionId", peer.id.as_str())];
        let target = Target {
            rel: format!("{sub}/learned-routes-{stem}-{}.json", file_safe(&peer.name)),
            wrapper: Some((&ids, "learnedRoutes")),
            label: format!("learned routes of {owner_label} peer {}", peer.name),
            extension,
        };
        self.step(sub, &base, target, record)
    }

    /// Each hub BGP peer's learned routes (§20.7), in the wrapper a Route Server peer's use.
    fn hub_peers_learned(
        &self,
        sub: &str,
        hub: &Named,
        stem: &str,
        peers: &[Named],
        record: &mut SubscriptionRecord,
    ) -> Result<(), CollectError> {
        for peer in peers {
            let parent = PeerParent { words: ["vhub", "bgpconnection"], flag: "--vhub-name", owner: hub };
            self.peer_learned_routes(
                sub,
                stem,
                &parent,
                peer,
                format!("hub {}", hub.name),
                Some(VIRTUAL_WAN_EXTENSION),
                record,
            )?;
        }
        Ok(())
    }

    /// ExpressRoute gateways (core az) and each one's connections.
    fn expressroute_gateways(&self, sub: &str, record: &mut SubscriptionRecord) -> Result<(), CollectError> {
        let base = ["network", "express-route", "gateway", "list"];
        let target = Target::list(sub, "express-route-gateway-list.json", &base, None);
        let Step::Written(value) = self.step(sub, &base, target, record)? else { return Ok(()) };
        let mut used_names: BTreeSet<String> = BTreeSet::new();
        for gateway in named(&value) {
            let stem = unique_name(&mut used_names, &gateway.name, &gateway.group);
            let base = [
                "network",
                "express-route",
                "gateway",
                "connection",
                "list",
                "--gateway-name",
                gateway.name.as_str(),
                "-g",
                gateway.group.as_str(),
            ];
            let target = Target {
                rel: format!("{sub}/express-route-gateway-connection-list-{stem}.json"),
                wrapper: None,
                label: format!("connections of ExpressRoute gateway {}", gateway.name),
                extension: None,
            };
            self.step(sub, &base, target, record)?;
        }
        Ok(())
    }

    /// Route Servers (core az): the list, each one's peerings, and each peering's learned
    /// routes in the wrapper ingest reads (§19.1).
    pub(super) fn route_servers(&self, sub: &str, record: &mut SubscriptionRecord) -> Result<(), CollectError> {
        let base = ["network", "routeserver", "list"];
        let target = Target::list(sub, "routeserver-list.json", &base, None);
        let Step::Written(value) = self.step(sub, &base, target, record)? else { return Ok(()) };
        let mut used_names: BTreeSet<String> = BTreeSet::new();
        for rs in named(&value) {
            let stem = unique_name(&mut used_names, &rs.name, &rs.group);
            let base = [
                "network",
                "routeserver",
                "peering",
                "list",
                "--routeserver",
                rs.name.as_str(),
                "-g",
                rs.group.as_str(),
            ];
            let target = Target {
                rel: format!("{sub}/routeserver-peering-list-{stem}.json"),
                wrapper: None,
                label: format!("peerings of Route Server {}", rs.name),
                extension: None,
            };
            let Step::Written(peerings) = self.step(sub, &base, target, record)? else { continue };
            for peer in named(&peerings) {
                let parent = PeerParent { words: ["routeserver", "peering"], flag: "--routeserver", owner: &rs };
                self.peer_learned_routes(
                    sub,
                    &stem,
                    &parent,
                    &peer,
                    format!("Route Server {}", rs.name),
                    None,
                    record,
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_wan_hubs_are_told_from_route_servers() {
        let hub = serde_json::json!({"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualHubs/h1",
            "virtualWan": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualWans/w"}});
        let rest = serde_json::json!({"id": "x", "properties": {"virtualWan": {"id": "/w"}}});
        let rs = serde_json::json!({"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualHubs/rs", "virtualWan": null});
        assert!(is_virtual_wan_hub(&hub));
        assert!(is_virtual_wan_hub(&rest));
        assert!(!is_virtual_wan_hub(&rs));
        let n = named(&serde_json::json!([hub]));
        assert_eq!((n[0].group.as_str(), n[0].name.as_str()), ("rg", "h1"));
    }
}
