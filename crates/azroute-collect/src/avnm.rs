//! Azure Virtual Network Manager (docs/azure-routing-rules.md §18.6): per network manager its
//! network groups, connectivity, security admin and routing configurations (routing rule
//! collections and rules too: no effective answer holds them) and the per-region active lists;
//! per VNet, when the subscriptions hold a network manager, the effective connectivity
//! configurations and security admin rules, each wrapped with the VNet's id. The commands live in
//! the az extension `virtual-network-manager` (a missing extension is recorded with
//! `network manager list`, the first of them).

use super::*;

/// A network manager (or a firewall policy): (resource group, name).
pub(crate) type Manager = (String, String);

impl Session<'_> {
    /// Everything AVNM for one subscription; `vnets` is its VNet list.
    pub(crate) fn network_managers(
        &self,
        sub: &str,
        managers: &[Manager],
        vnets: Option<&Value>,
        record: &mut SubscriptionRecord,
    ) -> Result<(), CollectError> {
        if managers.is_empty() {
            return Ok(());
        }
        let regions = vnet_regions(vnets);
        let mut used: BTreeSet<String> = BTreeSet::new();
        for (rg, name) in managers {
            let stem = unique_name(&mut used, name, rg);
            let m = ["--network-manager-name", name.as_str(), "-g", rg.as_str()];
            let lists: [(&str, Vec<&str>); 3] = [
                ("groups", [&["network", "manager", "group", "list"][..], &m].concat()),
                ("connectivity-configs", [&["network", "manager", "connectivity-config", "list"][..], &m].concat()),
                ("security-admin-configs", [&["network", "manager", "security-admin-config", "list"][..], &m].concat()),
            ];
            for (what, command) in lists {
                self.avnm_file(sub, &format!("network-manager-{what}-{stem}.json"), &command, None, record)?;
            }
            self.routing_configurations(sub, (rg, name), &stem, record)?;
            if !regions.is_empty() {
                let mut with_regions = m.to_vec();
                with_regions.push("--regions");
                with_regions.extend(regions.iter().map(String::as_str));
                for (what, verb) in [
                    ("active-connectivity", "list-active-connectivity-config"),
                    ("active-security-admin", "list-active-security-admin-rule"),
                ] {
                    let command = [&["network", "manager", verb][..], &with_regions].concat();
                    self.avnm_file(sub, &format!("network-manager-{what}-{stem}.json"), &command, None, record)?;
                }
            }
        }
        self.effective_answers(sub, vnets, record)
    }

    /// Routing configurations, their rule collections and rules (§18.4).
    fn routing_configurations(
        &self,
        sub: &str,
        (rg, name): (&str, &str),
        stem: &str,
        record: &mut SubscriptionRecord,
    ) -> Result<(), CollectError> {
        let m = ["--manager-name", name, "-g", rg];
        let command = [&["network", "manager", "routing-config", "list"][..], &m].concat();
        let Some(configs) =
            self.avnm_file(sub, &format!("network-manager-routing-configs-{stem}.json"), &command, None, record)?
        else {
            return Ok(());
        };
        for config in names(&configs) {
            let c = ["--config-name", config.as_str()];
            let command = [&["network", "manager", "routing-config", "rule-collection", "list"][..], &c, &m].concat();
            let rel = format!("network-manager-routing-rule-collections-{stem}-{}.json", file_safe(&config));
            let Some(collections) = self.avnm_file(sub, &rel, &command, None, record)? else { continue };
            for collection in names(&collections) {
                let rc = ["--collection-name", collection.as_str()];
                let command =
                    [&["network", "manager", "routing-config", "rule-collection", "rule", "list"][..], &rc, &c, &m]
                        .concat();
                let rel = format!(
                    "network-manager-routing-rules-{stem}-{}-{}.json",
                    file_safe(&config),
                    file_safe(&collection)
                );
                self.avnm_file(sub, &rel, &command, None, record)?;
            }
        }
        Ok(())
    }

    /// Each VNet's effective connectivity configurations and security admin rules, wrapped as
    /// `{"virtualNetworkId", "effectiveConnectivityConfigurations" | "effectiveSecurityAdminRules"}`.
    fn effective_answers(
        &self,
        sub: &str,
        vnets: Option<&Value>,
        record: &mut SubscriptionRecord,
    ) -> Result<(), CollectError> {
        let Some(vnets) = vnets else { return Ok(()) };
        let mut used: BTreeSet<String> = BTreeSet::new();
        for vnet in items(vnets) {
            let Some(id) = str_field(vnet, "id") else { continue };
            let (Some(rg), name) = (group_of(&id), last_segment(&id).to_string()) else { continue };
            let stem = unique_name(&mut used, &name, &rg);
            let answers = [
                ("list-effective-connectivity-config", "effectiveConnectivityConfigurations", "connectivity"),
                ("list-effective-security-admin-rule", "effectiveSecurityAdminRules", "security-admin"),
            ];
            for (verb, key, what) in answers {
                let command = ["network", "manager", verb, "-g", rg.as_str(), "--virtual-network-name", name.as_str()];
                let rel = format!("network-manager-effective-{what}-{stem}.json");
                self.avnm_file(sub, &rel, &command, Some((&[("virtualNetworkId", &id)], key)), record)?;
            }
        }
        Ok(())
    }

    /// One AVNM command into `<sub>/<rel>`; its output, or `None` when it failed (recorded).
    fn avnm_file(
        &self,
        sub: &str,
        rel: &str,
        command: &[&str],
        wrapper: Option<(&[(&str, &str)], &str)>,
        record: &mut SubscriptionRecord,
    ) -> Result<Option<Value>, CollectError> {
        let (full, fetched) = self.fetch(command, sub)?;
        match fetched {
            Ok(value) => {
                let kept = value.1.clone();
                let rec = self.persist(&format!("{sub}/{rel}"), &full, value, wrapper)?;
                (self.progress)(&format!("  {}: {} resource(s)", command.join(" "), rec.resources));
                record.files.push(rec);
                Ok(Some(kept))
            }
            Err(f) => {
                (self.progress)(&format!(
                    "  {}: failed ({}): {}",
                    command.join(" "),
                    f.kind.code(),
                    first_line(&f.message)
                ));
                record.failures.push(failure(&full, &f));
                Ok(None)
            }
        }
    }
}

/// The names of the resources of a list.
fn names(list: &Value) -> Vec<String> {
    items(list)
        .iter()
        .filter_map(|r| str_field(r, "name").or_else(|| str_field(r, "id").map(|id| last_segment(&id).to_string())))
        .collect()
}

/// The regions of the VNets, sorted, for the active lists.
fn vnet_regions(vnets: Option<&Value>) -> Vec<String> {
    let mut regions: Vec<String> =
        vnets.map(items).unwrap_or_default().iter().filter_map(|v| str_field(v, "location")).collect();
    regions.sort();
    regions.dedup();
    regions
}
