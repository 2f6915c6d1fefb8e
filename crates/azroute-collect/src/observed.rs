//! The observed state collect asks az for, which configuration cannot give: each VNet gateway's
//! BGP-learned routes, each NIC's effective routes (with `--effective-routes`) and the service tags
//! of a location.

use std::collections::BTreeSet;

use serde_json::Value;

use super::*;

impl Session<'_> {
    /// Each VNet gateway's BGP-learned routes, wrapped with the gateway's id.
    pub(super) fn learned_routes(
        &self,
        sub: &str,
        gateways: &[(String, String, String)],
        record: &mut SubscriptionRecord,
    ) -> Result<(), CollectError> {
        let progress = self.progress;
        let mut used_names: BTreeSet<String> = BTreeSet::new();
        for (id, rg, name) in gateways {
            let (command, fetched) =
                self.fetch(&["network", "vnet-gateway", "list-learned-routes", "-g", rg, "-n", name], sub)?;
            match fetched {
                Ok(value) => {
                    let stem = unique_name(&mut used_names, name, rg);
                    let rel = format!("{sub}/learned-routes-{stem}.json");
                    let rec = self.persist(&rel, &command, value, Some((&[("gatewayId", id)], "learnedRoutes")))?;
                    progress(&format!("  learned routes of gateway {name}: {} route(s)", rec.resources));
                    record.files.push(rec);
                }
                Err(f) => {
                    progress(&format!(
                        "  learned routes of gateway {name}: failed ({}): {}",
                        f.kind.code(),
                        first_line(&f.message)
                    ));
                    record.failures.push(failure(&command, &f));
                }
            }
        }
        Ok(())
    }

    pub(super) fn effective_routes(
        &self,
        sub: &str,
        vms: Option<&Value>,
        record: &mut SubscriptionRecord,
    ) -> Result<(), CollectError> {
        let progress = self.progress;
        let Some(vms) = vms else {
            progress("  effective routes: skipped, the VM list could not be read");
            return Ok(());
        };
        let mut nics: Vec<String> = Vec::new();
        for vm in items(vms) {
            let running = str_field(vm, "powerState").is_some_and(|s| s.to_ascii_lowercase().contains("running"));
            if !running {
                continue;
            }
            let refs = vm.get("networkProfile").and_then(|p| p.get("networkInterfaces")).and_then(Value::as_array);
            for r in refs.into_iter().flatten() {
                if let Some(id) = str_field(r, "id")
                    && !nics.iter().any(|n| n.eq_ignore_ascii_case(&id))
                {
                    nics.push(id);
                }
            }
        }
        progress(&format!("  effective routes of {} NIC(s) of running VMs", nics.len()));
        let mut used_names: BTreeSet<String> = BTreeSet::new();
        for id in nics {
            let name = last_segment(&id).to_string();
            let Some(rg) = group_of(&id) else {
                continue;
            };
            let (command, fetched) =
                self.fetch(&["network", "nic", "show-effective-route-table", "-g", &rg, "-n", &name], sub)?;
            match fetched {
                Ok(value) => {
                    let stem = unique_name(&mut used_names, &name, &rg);
                    let rel = format!("{sub}/actual/{stem}.json");
                    create_dir(&self.out.join(sub).join("actual"))?;
                    let rec = self.persist(&rel, &command, value, Some((&[("nicId", &id)], "effectiveRoutes")))?;
                    progress(&format!("  effective routes of {name}: {} route(s)", rec.resources));
                    record.files.push(rec);
                }
                Err(f) => {
                    progress(&format!(
                        "  effective routes of {name}: failed ({}): {}",
                        f.kind.code(),
                        first_line(&f.message)
                    ));
                    record.effective_route_failures.push(failure(&command, &f));
                }
            }
        }
        Ok(())
    }

    pub(super) fn service_tags(&self, location: &str, sub: &str) -> Result<ServiceTagsRecord, CollectError> {
        let (command, fetched) = self.fetch(&["network", "list-service-tags", "--location", location], sub)?;
        Ok(match fetched {
            Ok(value) => {
                let rec = self.persist("service-tags.json", &command, value, None)?;
                (self.progress)(&format!("service tags for {location}: {} tag(s)", rec.resources));
                ServiceTagsRecord { location: location.to_string(), file: Some(rec), failure: None }
            }
            Err(f) => {
                (self.progress)(&format!(
                    "service tags for {location}: failed ({}): {}",
                    f.kind.code(),
                    first_line(&f.message)
                ));
                ServiceTagsRecord { location: location.to_string(), file: None, failure: Some(failure(&command, &f)) }
            }
        })
    }
}
